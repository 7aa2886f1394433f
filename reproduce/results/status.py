"""The state of each planned run of a suite: ok, error, partial (running or killed) or pending."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl

from reproduce.engine.config import approach_label
from review import paths

__all__ = ["plan_frame", "status_frame"]


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
        auc_macro_ovr, wall_s, error`` (``arch`` of a fusion run: ``arch+arch2``).
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
                "arch": c.arch if c.arch2 is None else f"{c.arch}+{c.arch2}",  # fusion: both
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


def plan_frame(
    planned: Iterable[Any], *, suite: str, runs_root: Path | None = None
) -> pl.DataFrame:
    """The dry run: one row per planned run with EVERY config field that differs between runs.

    Columns: ``run_id``, ``dataset``, ``approach``, ``approach_label`` (plain words, e.g. "all
    layers, from pretrained"), then each other config field whose value is not the same in
    every planned run (in config order), then ``state``. Two rows never look identical.
    """
    planned = list(planned)
    states = status_frame(planned, suite=suite, runs_root=runs_root)["state"].to_list()
    dicts = [p.config.to_dict() for p in planned]
    fields = list(dicts[0]) if dicts else []
    varying = [
        f
        for f in fields
        if f not in ("dataset", "approach") and len({repr(d.get(f)) for d in dicts}) > 1
    ]
    rows = []
    for p, d, state in zip(planned, dicts, states, strict=True):
        row = {
            "run_id": p.run_id,
            "dataset": d["dataset"],
            "approach": d["approach"],
            "approach_label": approach_label(d["approach"]),
        }
        row.update({f: "" if d.get(f) is None else str(d.get(f)) for f in varying})
        row["state"] = state
        rows.append(row)
    schema = {"run_id": pl.String, "dataset": pl.String, "approach": pl.String}
    schema["approach_label"] = pl.String
    schema.update({f: pl.String for f in varying})
    schema["state"] = pl.String
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
