"""Results of runs: the row schema (derived from RunConfig), collection into tables, status.

:mod:`reproduce.results.schema` is imported by the engine (no data-frame library);
:mod:`reproduce.results.collect` and :mod:`reproduce.results.status` build polars tables.
"""
