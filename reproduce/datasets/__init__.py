"""Data sets of the reproduction engine, one module per job.

* :mod:`~reproduce.datasets.registry`: the registered data sets (:data:`REGISTRY`, ``get_spec``);
* :mod:`~reproduce.datasets.sources`: reading the official files;
* :mod:`~reproduce.datasets.load`: splits, duplicates, caching; ``load_data`` is the engine's
  one entry to the data;
* :mod:`~reproduce.datasets.arrays`: the in-memory containers;
* :mod:`~reproduce.datasets.synthetic`: the SYNTHETIC sets of tests and benchmarks;
* :mod:`~reproduce.datasets.checksum`: the data checksum of every run id;
* :mod:`~reproduce.datasets.describe`: the registry as a table (``tlreview reproduce datasets``).

This package's ``__init__`` imports nothing, so that a GPU worker importing the loader does not
import the description tables (polars).
"""
