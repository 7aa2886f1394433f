"""The run engine, in two layers.

Low (imported by the approaches): :mod:`~reproduce.engine.config` (``RunConfig``, run ids),
:mod:`~reproduce.engine.io` (atomic writes), :mod:`~reproduce.engine.device`,
:mod:`~reproduce.engine.env` (environment, progress), :mod:`~reproduce.engine.train` (fit,
predict, metrics), :mod:`~reproduce.engine.features` (cached features),
:mod:`~reproduce.engine.cost` (FLOPs).

High (imports the approaches): :mod:`~reproduce.engine.plan` (suites, ids, shards) and
:mod:`~reproduce.engine.execute` (one run, top to bottom; a suite of runs).

This ``__init__`` imports nothing, so importing a low module does not pull in the high ones.
"""
