"""Gather run folders into one tidy table with a fixed schema.

Every run writes one row (``result.json``) with the columns of :data:`RESULT_SCHEMA`: the config
columns repeated per row, the status and the metrics, stored as numbers (never rounded).
:func:`collect` writes ``results.parquet`` and ``results.csv`` for a suite (default folder
``results/<suite>/``); rows merge by ``run_id``, so shards run on different machines combine by
copying their run folders into one runs root (or collecting each and concatenating the tables).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl

from reproduce.env import atomic_write_with
from review import paths

__all__ = ["RESULT_SCHEMA", "collect", "load_results", "normalise_row", "status_frame"]

#: Column -> dtype of a result row, in order.
RESULT_SCHEMA: dict[str, pl.DataType] = {
    "run_id": pl.String(),
    "suite": pl.String(),
    "status": pl.String(),
    "error": pl.String(),
    # config
    "dataset": pl.String(),
    "arch": pl.String(),
    "source": pl.String(),
    "approach": pl.String(),
    "resolution": pl.Int64(),
    "k_blocks": pl.Int64(),
    "classifier": pl.String(),
    "train_fraction": pl.Float64(),
    "seed": pl.Int64(),
    "split_seed": pl.Int64(),
    "dedup": pl.Boolean(),
    "epochs": pl.Int64(),
    "batch_size": pl.Int64(),
    "lr": pl.Float64(),
    "lr_grid": pl.String(),
    "weight_decay": pl.Float64(),
    "optimizer": pl.String(),
    "schedule": pl.String(),
    "augment": pl.Boolean(),
    # test metrics (evaluated once)
    "auc_macro_ovr": pl.Float64(),
    "accuracy": pl.Float64(),
    "balanced_accuracy": pl.Float64(),
    # selection on the validation split
    "val_auc_macro_ovr": pl.Float64(),
    "val_accuracy": pl.Float64(),
    "val_balanced_accuracy": pl.Float64(),
    "best_epoch": pl.Int64(),
    "selected_lr": pl.Float64(),
    "selected_classifier": pl.String(),
    "selected": pl.String(),
    # cost
    "wall_s": pl.Float64(),
    "compute_s": pl.Float64(),
    "gpu_s": pl.Float64(),
    "feature_extract_s": pl.Float64(),
    "feature_cache_hit": pl.Boolean(),
    "trainable_params": pl.Int64(),
    "total_params": pl.Int64(),
    "flops_per_image": pl.Float64(),
    # data
    "n_train": pl.Int64(),
    "n_val": pl.Int64(),
    "n_test": pl.Int64(),
    "n_classes": pl.Int64(),
    "dedup_removed": pl.Int64(),
    "classes": pl.String(),
    # provenance
    "data_checksum": pl.String(),
    "code_version": pl.String(),
    "device": pl.String(),
    "device_name": pl.String(),
    "torch_version": pl.String(),
    "finished_utc": pl.String(),
}


def normalise_row(
    row: dict[str, Any], schema: dict[str, Any] | None = None, name: str = "RESULT_SCHEMA"
) -> dict[str, Any]:
    """Order ``row`` by a fixed schema (missing columns ``None``, NaN -> ``None``).

    Parameters
    ----------
    row
        One result row.
    schema
        Column -> dtype mapping; default :data:`RESULT_SCHEMA`.
    name
        The schema's name, for the error message.

    Raises
    ------
    KeyError
        A column outside the schema (a programming error: the schema is fixed).
    """
    schema = RESULT_SCHEMA if schema is None else schema
    extra = set(row) - set(schema)
    if extra:
        raise KeyError(f"columns outside {name}: {sorted(extra)}")
    out = {}
    for k in schema:
        v = row.get(k)
        if isinstance(v, float) and math.isnan(v):
            v = None
        out[k] = v
    return out


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame(schema=RESULT_SCHEMA)
    return pl.DataFrame([normalise_row(r) for r in rows], schema=RESULT_SCHEMA, strict=False)


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


def status_frame(
    planned: Iterable[Any], *, suite: str, runs_root: Path | None = None
) -> pl.DataFrame:
    """One row per planned run: its state (``ok``, ``error``, ``running/partial``, ``pending``).

    Parameters
    ----------
    planned
        :class:`reproduce.runner.PlannedRun` objects.
    suite
        Suite name.
    runs_root
        Default :func:`review.paths.runs_dir`.

    Returns
    -------
    polars.DataFrame
        ``run_id, dataset, arch, source, approach, k_blocks, train_fraction, seed, state,
        auc_macro_ovr, wall_s, error``.
    """
    root = (runs_root or paths.runs_dir()) / suite
    rows = []
    for p in planned:
        c = p.config
        res = None
        f = root / p.run_id / "result.json"
        if f.exists():
            try:
                res = json.loads(f.read_text())
            except ValueError:
                res = None
        if res is not None:
            state = res.get("status", "unknown")
        elif any(root.glob(f".partial-{p.run_id}-*")):
            state = "partial"
        else:
            state = "pending"
        rows.append(
            {
                "run_id": p.run_id,
                "dataset": c.dataset,
                "arch": c.arch,
                "source": c.source,
                "approach": c.approach,
                "k_blocks": c.k_blocks,
                "train_fraction": c.train_fraction,
                "seed": c.seed,
                "state": state,
                "auc_macro_ovr": (res or {}).get("auc_macro_ovr"),
                "wall_s": (res or {}).get("wall_s"),
                "error": (res or {}).get("error"),
            }
        )
    schema = {
        "run_id": pl.String,
        "dataset": pl.String,
        "arch": pl.String,
        "source": pl.String,
        "approach": pl.String,
        "k_blocks": pl.Int64,
        "train_fraction": pl.Float64,
        "seed": pl.Int64,
        "state": pl.String,
        "auc_macro_ovr": pl.Float64,
        "wall_s": pl.Float64,
        "error": pl.String,
    }
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
