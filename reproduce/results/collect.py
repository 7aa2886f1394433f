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
import pyarrow as pa
import pyarrow.parquet as pq

from reproduce.engine.io import atomic_write_with
from reproduce.results.schema import RESULT_SCHEMA, normalise_row
from review import paths
from review.errors import CollectError

__all__ = ["check_result", "collect", "load_results", "polars_schema"]

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


#: Result columns that are fractions in [0, 1] when present.
_UNIT_COLUMNS = (
    "auc_macro_ovr",
    "accuracy",
    "balanced_accuracy",
    "val_auc_macro_ovr",
    "val_accuracy",
    "val_balanced_accuracy",
)
_PY_TYPES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,)}


def check_result(folder: Path) -> tuple[dict[str, Any] | None, list[str]]:
    """Read and validate one run folder's ``result.json`` (and its predictions when ok).

    Returns
    -------
    tuple
        The row (``None`` when unusable) and the problems found, one line each, naming the file.
    """
    f = folder / "result.json"
    if f.is_dir():
        return None, [f"{f}: a folder where the run's result file should be"]
    if not f.exists():
        return None, [f"{f}: missing (the run folder has no result; rerun it)"]
    try:
        row = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return None, [f"{f}: not readable JSON ({type(exc).__name__}: {exc})"]
    if not isinstance(row, dict):
        return None, [f"{f}: expected a JSON object (one result row), got {type(row).__name__}"]
    problems = []
    extra = sorted(set(row) - set(RESULT_SCHEMA))
    if extra:
        problems.append(f"{f}: unexpected field(s) {', '.join(extra)}")
    if row.get("run_id") != folder.name:
        problems.append(
            f"{f}: run_id {row.get('run_id')!r} does not match its folder {folder.name!r} "
            "(a copied folder?)"
        )
    status = row.get("status")
    if status not in ("ok", "error"):
        problems.append(f"{f}: status {status!r}; expected 'ok' or 'error'")
    for col, kind in RESULT_SCHEMA.items():
        v = row.get(col)
        if v is None:
            continue
        ok = isinstance(v, _PY_TYPES[kind]) and not (kind != "bool" and isinstance(v, bool))
        if not ok:
            problems.append(f"{f}: field {col} = {v!r}; expected {kind}")
    for col in _UNIT_COLUMNS:
        v = row.get(col)
        if isinstance(v, int | float) and not isinstance(v, bool) and not 0.0 <= v <= 1.0:
            problems.append(f"{f}: field {col} = {v!r}; expected a value in [0, 1]")
    if status == "ok":
        if row.get("auc_macro_ovr") is None:
            problems.append(f"{f}: status ok but auc_macro_ovr = {row.get('auc_macro_ovr')!r}")
        pred = folder / "predictions.parquet"
        try:
            meta = pq.read_metadata(pred)
            if meta.num_rows != row.get("n_test"):
                problems.append(
                    f"{pred}: {meta.num_rows} rows, but result.json says n_test = "
                    f"{row.get('n_test')}"
                )
        except (OSError, pa.ArrowException) as exc:
            problems.append(f"{pred}: missing or unreadable ({type(exc).__name__})")
    return (row if not problems else None), problems


def load_results(
    suite: str,
    *,
    runs_root: Path | None = None,
    run_ids: Iterable[str] | None = None,
    strict: bool = False,
    allow_missing: bool = False,
) -> pl.DataFrame:
    """Every completed or failed run of ``suite`` (one row each, :data:`RESULT_SCHEMA`).

    Parameters
    ----------
    suite
        Suite name.
    runs_root
        Default :func:`review.paths.runs_dir`.
    run_ids
        Keep only these runs (e.g. one profile's); with ``strict``, each must be present.
    strict
        Raise :class:`CollectError` naming every missing or corrupt run instead of skipping it.
    allow_missing
        With ``strict``: planned runs without a folder are left out (not an error); corrupt
        folders still are.

    Returns
    -------
    polars.DataFrame
        Sorted by ``run_id``.
    """
    root = (runs_root or paths.runs_dir()) / suite
    wanted = list(dict.fromkeys(run_ids)) if run_ids is not None else None
    rows, problems = [], []
    folders = (
        sorted(q for q in root.iterdir() if not q.name.startswith(".") and q.is_dir())
        if root.is_dir()
        else []
    )
    names = {q.name for q in folders}
    if wanted is not None:
        folders = [q for q in folders if q.name in set(wanted)]
        problems += (
            []
            if allow_missing
            else [
                f"{root / rid}: planned run has no folder (not run yet, or lost)"
                for rid in wanted
                if rid not in names
            ]
        )
    for q in folders:
        row, bad = check_result(q)
        problems += bad
        if row is not None:
            rows.append(row)
    if strict and problems:
        raise CollectError(problems)
    return _frame(rows).sort("run_id")


def _guard_committed(out: Path, new: pl.DataFrame, force: bool) -> None:
    """Refuse to replace a results table by one that loses rows (unless ``force``)."""
    old_file = out / "results.parquet"
    if force or not old_file.is_file():
        return
    try:
        old = pl.read_parquet(old_file, columns=["run_id"])
    except (OSError, pl.exceptions.PolarsError):
        return
    lost = sorted(set(old["run_id"]) - set(new["run_id"]))
    if lost or new.height < old.height:
        shown = ", ".join(lost[:5]) + (" ..." if len(lost) > 5 else "")
        raise CollectError(
            [
                f"{old_file}: has {old.height} row(s); the new table would have {new.height}, "
                f"losing {len(lost)} run(s) ({shown or 'none by id'}). Nothing was written: "
                "collect the runs that made it (the right --runs-dir / --profile), write "
                "elsewhere with --out, or replace it with --force"
            ]
        )


def collect(
    suite: str,
    *,
    out_dir: Path | None = None,
    runs_root: Path | None = None,
    run_ids: Iterable[str] | None = None,
    predictions: bool = False,
    strict: bool = True,
    force: bool = False,
    allow_missing: bool = False,
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
    strict
        Fail (writing nothing) when a planned run is missing or a run folder is corrupt,
        naming each on one line.
    force
        Replace an existing table even if rows would be lost.
    allow_missing
        Planned runs without a folder are left out instead of failing (e.g. a GPU budget that
        ran out); corrupt runs still fail.

    Raises
    ------
    CollectError
        Missing or corrupt runs (``strict``), or a table that would lose rows (no ``force``).

    Returns
    -------
    tuple
        The results frame and the written paths.
    """
    df = load_results(
        suite, runs_root=runs_root, run_ids=run_ids, strict=strict, allow_missing=allow_missing
    )
    out = out_dir or (paths.results_dir() / suite)
    _guard_committed(out, df, force)
    pred = None
    if predictions:  # read every input before writing any output
        root = (runs_root or paths.runs_dir()) / suite
        parts = []
        for rid in df.filter(pl.col("status") == "ok")["run_id"]:
            f = root / rid / "predictions.parquet"
            try:
                wide = pl.read_parquet(f)
            except (OSError, pl.exceptions.PolarsError) as exc:
                raise CollectError([f"{f}: unreadable ({type(exc).__name__})"]) from None
            probs = [c for c in wide.columns if c.startswith("prob_")]
            long = wide.unpivot(
                index=["id", "label", "pred"], on=probs, variable_name="class", value_name="prob"
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
    written = [
        atomic_write_with(out / "results.parquet", lambda p: df.write_parquet(p)),
        atomic_write_with(out / "results.csv", lambda p: df.write_csv(p)),
    ]
    if pred is not None:
        written.append(
            atomic_write_with(out / "predictions.parquet", lambda p: pred.write_parquet(p))
        )
    return df, written
