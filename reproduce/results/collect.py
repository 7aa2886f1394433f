"""Gather run folders into one tidy table with a fixed schema.

Every run writes one row (``result.json``) with the columns of
:data:`reproduce.results.schema.RESULT_SCHEMA`: the config columns repeated per row, the
status and the metrics, stored as numbers (never rounded). :func:`collect` writes
``results.parquet`` and ``results.csv`` for a suite (default folder ``results/<suite>/``); rows
merge by ``run_id``, so shards run on different machines combine by copying their run folders
into one runs root (or collecting each and concatenating the tables).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl

from reproduce.engine.io import atomic_write_with
from reproduce.results.schema import RESULT_SCHEMA, normalise_row
from review import paths

__all__ = ["collect", "load_results", "polars_schema"]

#: Polars dtype of each column type name of :mod:`reproduce.results.schema`.
_POLARS = {"str": pl.String(), "int": pl.Int64(), "float": pl.Float64(), "bool": pl.Boolean()}


def polars_schema(schema: dict[str, str]) -> pl.Schema:
    """The polars schema of a :mod:`reproduce.results.schema` schema (same columns, in order)."""
    return pl.Schema({k: _POLARS[v] for k, v in schema.items()})


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    schema = polars_schema(RESULT_SCHEMA)
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame([normalise_row(r) for r in rows], schema=schema, strict=False)


def load_results(
    suite: str, *, runs_root: Path | None = None, run_ids: Iterable[str] | None = None
) -> pl.DataFrame:
    """Every completed or failed run of ``suite`` (one row each, :data:`RESULT_SCHEMA`).

    Parameters
    ----------
    suite
        Suite name.
    runs_root
        Default :func:`review.paths.runs_dir`.
    run_ids
        Keep only these runs (e.g. one profile's).

    Returns
    -------
    polars.DataFrame
        Sorted by ``run_id``.
    """
    root = (runs_root or paths.runs_dir()) / suite
    wanted = set(run_ids) if run_ids is not None else None
    rows = []
    if root.is_dir():
        for p in sorted(root.glob("*/result.json")):
            if p.parent.name.startswith("."):
                continue
            if wanted is not None and p.parent.name not in wanted:
                continue
            try:
                rows.append(json.loads(p.read_text()))
            except (OSError, ValueError):
                continue
    return _frame(rows).sort("run_id")


def collect(
    suite: str,
    *,
    out_dir: Path | None = None,
    runs_root: Path | None = None,
    run_ids: Iterable[str] | None = None,
    predictions: bool = False,
) -> tuple[pl.DataFrame, list[Path]]:
    """Write ``results.parquet`` and ``results.csv`` (and optionally ``predictions.parquet``).

    Parameters
    ----------
    suite
        Suite name.
    out_dir
        Default ``results/<suite>/``.
    runs_root
        Default :func:`review.paths.runs_dir`.
    run_ids
        Keep only these runs.
    predictions
        Also write every run's per-sample test predictions, long format
        (``run_id, id, label, pred, class, prob``).

    Returns
    -------
    tuple
        The results frame and the written paths.
    """
    df = load_results(suite, runs_root=runs_root, run_ids=run_ids)
    out = out_dir or (paths.results_dir() / suite)
    written = [
        atomic_write_with(out / "results.parquet", lambda p: df.write_parquet(p)),
        atomic_write_with(out / "results.csv", lambda p: df.write_csv(p)),
    ]
    if predictions:
        root = (runs_root or paths.runs_dir()) / suite
        parts = []
        for rid in df.filter(pl.col("status") == "ok")["run_id"]:
            f = root / rid / "predictions.parquet"
            if f.exists():
                wide = pl.read_parquet(f)
                probs = [c for c in wide.columns if c.startswith("prob_")]
                long = wide.unpivot(
                    index=["id", "label", "pred"],
                    on=probs,
                    variable_name="class",
                    value_name="prob",
                )
                long = long.with_columns(
                    pl.col("class").str.strip_prefix("prob_").cast(pl.Int64),
                    pl.lit(rid).alias("run_id"),
                )
                parts.append(long.select("run_id", "id", "label", "pred", "class", "prob"))
        pred = (
            pl.concat(parts)
            if parts
            else pl.DataFrame(
                schema={
                    "run_id": pl.String,
                    "id": pl.String,
                    "label": pl.Int64,
                    "pred": pl.Int64,
                    "class": pl.Int64,
                    "prob": pl.Float64,
                }
            )
        )
        written.append(
            atomic_write_with(out / "predictions.parquet", lambda p: pred.write_parquet(p))
        )
    return df, written
