"""Gather run folders into one tidy table with a fixed schema.

Every run writes one row (``result.json``) with the columns of :data:`RESULT_SCHEMA`: the config
columns repeated per row, the status and the metrics, stored as numbers (never rounded).
:func:`collect` writes ``results.parquet`` and ``results.csv`` for a suite (default folder
``results/<suite>/``); rows merge by ``run_id``, so shards run on different machines or clusters
combine by collecting over their runs folders together (``runs_root`` may be several folders; a
run found in more than one gives one row).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
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


RunsRoots = Path | Sequence[Path] | None


def _roots(runs_root: RunsRoots) -> list[Path]:
    if runs_root is None:
        return [paths.runs_dir()]
    if isinstance(runs_root, str | Path):
        return [Path(runs_root)]
    return [Path(r) for r in runs_root] or [paths.runs_dir()]


def _result_folders(
    suite: str, runs_root: RunsRoots, run_ids: Iterable[str] | None
) -> dict[str, tuple[dict[str, Any], Path]]:
    """Run id -> (its row, its folder), one per run id over every runs root.

    The same run (same id: same config, data and engine version) may have been computed in
    several runs folders, e.g. on two machines or clusters. One copy is kept: a completed
    (``ok``) one before a failed one, then the copy that finished last (``finished_utc``),
    then the first root given.
    """
    wanted = set(run_ids) if run_ids is not None else None
    best: dict[str, tuple[dict[str, Any], Path]] = {}
    for root in (r / suite for r in _roots(runs_root)):
        if not root.is_dir():
            continue
        for p in sorted(root.glob("*/result.json")):
            if p.parent.name.startswith("."):
                continue
            if wanted is not None and p.parent.name not in wanted:
                continue
            try:
                row = json.loads(p.read_text())
            except (OSError, ValueError):
                continue
            rid = str(row.get("run_id") or p.parent.name)
            old = best.get(rid)
            if old is None or _rank(row) > _rank(old[0]):
                best[rid] = (row, p.parent)
    return best


def _rank(row: dict[str, Any]) -> tuple[bool, str]:
    return (row.get("status") == "ok", str(row.get("finished_utc") or ""))


def load_results(
    suite: str, *, runs_root: RunsRoots = None, run_ids: Iterable[str] | None = None
) -> pl.DataFrame:
    """Every completed or failed run of ``suite`` (one row each, :data:`RESULT_SCHEMA`).

    Parameters
    ----------
    suite
        Suite name.
    runs_root
        A runs root or several (e.g. copied back from several machines or clusters); default
        :func:`review.paths.runs_dir`. A run present in several roots gives one row
        (deduplicated by run id: an ``ok`` copy first, then the latest ``finished_utc``).
    run_ids
        Keep only these runs (e.g. one profile's).

    Returns
    -------
    polars.DataFrame
        Sorted by ``run_id``.
    """
    rows = [row for row, _ in _result_folders(suite, runs_root, run_ids).values()]
    return _frame(rows).sort("run_id")


def collect(
    suite: str,
    *,
    out_dir: Path | None = None,
    runs_root: RunsRoots = None,
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
        A runs root or several, merged by run id (:func:`load_results`); default
        :func:`review.paths.runs_dir`.
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
    found = _result_folders(suite, runs_root, run_ids)
    df = _frame([row for row, _ in found.values()]).sort("run_id")
    out = out_dir or (paths.results_dir() / suite)
    written = [
        atomic_write_with(out / "results.parquet", lambda p: df.write_parquet(p)),
        atomic_write_with(out / "results.csv", lambda p: df.write_csv(p)),
    ]
    if predictions:
        parts = []
        for rid in df.filter(pl.col("status") == "ok")["run_id"]:
            f = found[rid][1] / "predictions.parquet"
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
