"""The state of each planned run of a suite: ok, error, partial (running or killed) or pending."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl

from review import paths

__all__ = ["status_frame"]


def status_frame(
    planned: Iterable[Any], *, suite: str, runs_root: Path | None = None
) -> pl.DataFrame:
    """One row per planned run: its state (``ok``, ``error``, ``running/partial``, ``pending``).

    Parameters
    ----------
    planned
        :class:`reproduce.engine.plan.PlannedRun` objects.
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
