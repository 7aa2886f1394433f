"""Selecting a claim's arms in a results table and pairing their rows, saying what was dropped.

Shared by both registrations (v1 :mod:`reproduce.claims.verdicts`, v2
:mod:`reproduce.claims.pooled`). Nothing is dropped without a word: cells of one arm with no
partner in the other, cells that hold several rows of one arm while the claim declares no
``aggregate_within_pair``, and rows whose metric is missing are counted and listed in the
:class:`Pairing`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy import stats

from reproduce.claims.claim import Arm, Claim
from review import paths
from review.errors import InputError

__all__ = [
    "Pairing",
    "add_derived_columns",
    "architectures",
    "describe_cells",
    "pair_cells",
    "select_arm",
    "t_interval",
]

#: How many cells a note lists before it says "and N more".
MAX_LISTED = 8


def architectures() -> pl.DataFrame:
    """``arch, category, n_blocks`` of every registered architecture, torch-free.

    Read from ``data/source_models.csv``, which is generated from the model registry
    (``make regenerate``; a test fails when it is stale). ``category`` is the review's
    shallow/deep class of the architecture's row in ``data/backbones.csv``.
    """
    df = pl.read_csv(paths.source_models_csv(), columns=["arch", "category", "n_blocks"])
    return df.unique("arch", maintain_order=True)


def add_derived_columns(results: pl.DataFrame) -> pl.DataFrame:
    """Add ``category`` (the review's shallow/deep class of ``arch``) when absent.

    An architecture the registry does not know gets null (and so matches no ``category`` arm).
    """
    if "category" in results.columns or "arch" not in results.columns:
        return results
    cats = {a["arch"]: a["category"] for a in architectures().iter_rows(named=True)}
    return results.with_columns(
        pl.col("arch").replace_strict(cats, default=None, return_dtype=pl.String).alias("category")
    )


def select_arm(df: pl.DataFrame, arm: Arm) -> tuple[pl.DataFrame | None, str | None]:
    """Rows matching every filter of ``arm``.

    Returns
    -------
    (frame, None)
        The matching rows.
    (None, reason)
        A field of the arm is not a column of the results (so no row can match).
    """
    for fld, want in arm.filters:
        if fld == "trainable_fraction_max":
            if "trainable_fraction" not in df.columns:
                return None, "the results have no trainable_fraction column"
            df = df.filter(pl.col("trainable_fraction") <= float(want[0]))
            continue
        if fld not in df.columns:
            return None, f"arm field '{fld}' is not a column of the results"
        df = df.filter(pl.col(fld).is_in(list(want)))
    return df, None


def describe_cells(cells: pl.DataFrame, keys: Sequence[str], suffix: str = "") -> str:
    """``key=value, ...`` of the first :data:`MAX_LISTED` cells, then how many more."""
    rows = cells.select(list(keys)).unique().sort(list(keys), nulls_last=True).rows()
    parts = [", ".join(f"{k}={v}" for k, v in zip(keys, r, strict=True)) + suffix
             for r in rows[:MAX_LISTED]]  # fmt: skip
    more = len(rows) - MAX_LISTED
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


@dataclass(frozen=True)
class Pairing:
    """The paired cells of a claim, or why there are none.

    Attributes
    ----------
    pairs
        One row per pair cell: the ``pair_on`` columns, ``a``, ``b`` (the arms' metric, rows of a
        cell combined by ``aggregate_within_pair``) and ``d`` (``a - b``, or ``log(a / b)`` for
        ``scale: log_ratio``). ``None`` when an arm has no rows (see ``reason``).
    reason
        Why there are no pairs (``not_run``), else ``None``.
    n_unpaired
        Cells of one arm without a partner cell in the other.
    dropped
        One text per kind of dropped cell or row (what and how many, the cells listed).
    """

    pairs: pl.DataFrame | None
    reason: str | None = None
    n_unpaired: int = 0
    dropped: tuple[str, ...] = field(default_factory=tuple)

    @property
    def note(self) -> str:
        """The drops as one sentence list."""
        return "; ".join(self.dropped)


def _cells(x: pl.DataFrame, keys: list[str], metric: str, agg: str | None):
    g = x.group_by(keys).agg(
        pl.len().alias("_n"),
        (pl.col(metric).median() if agg == "median" else pl.col(metric).mean()).alias("_v"),
    )
    multi = g.filter(pl.col("_n") > 1) if agg is None else g.clear()
    return g.filter(pl.col("_n") == 1) if agg is None else g, multi


def pair_cells(claim: Claim, df: pl.DataFrame, what: str = "results") -> Pairing:
    """Pair the rows of the claim's arms on ``pair_on`` (see the module docstring).

    Parameters
    ----------
    claim
        A claim with two arms.
    df
        Result rows (already filtered to ``status == ok`` and with derived columns).
    what
        Name of the results in error messages (a file path).

    Raises
    ------
    InputError
        A ``pair_on`` field or the metric is not a column of results that do hold both arms.
    """
    assert claim.arms.b is not None, "pair_cells needs two arms"
    a, why_a = select_arm(df, claim.arms.a)
    b, why_b = select_arm(df, claim.arms.b)
    if why_a or why_b:
        return Pairing(None, reason="; ".join(x for x in (why_a, why_b) if x))
    empty = [n for n, x in (("a", a), ("b", b)) if x.height == 0]
    if empty:
        return Pairing(None, reason=f"no rows of arm {' and '.join(empty)} in {what}")
    keys = list(claim.pair_on)
    missing = [k for k in keys if k not in df.columns]
    if missing:
        raise InputError(
            f"{what}: claim {claim.id}: field 'pair_on': {', '.join(missing)} not a column of the "
            "results; expected every pair field to be present (pairing on fewer fields would "
            "change what a pair is)"
        )
    metric = claim.metric
    if metric not in df.columns:
        raise InputError(f"{what}: claim {claim.id}: field 'metric': no column {metric!r}")
    dropped: list[str] = []
    for n, x in (("a", a), ("b", b)):
        nulls = x.filter(pl.col(metric).is_null() | pl.col(metric).is_nan())
        if nulls.height:
            dropped.append(f"{nulls.height} row(s) of arm {n} without {metric}: "
                           + describe_cells(nulls, keys))  # fmt: skip
    a = a.filter(pl.col(metric).is_not_null() & pl.col(metric).is_not_nan())
    b = b.filter(pl.col(metric).is_not_null() & pl.col(metric).is_not_nan())
    ca, ma = _cells(a, keys, metric, claim.aggregate_within_pair)
    cb, mb = _cells(b, keys, metric, claim.aggregate_within_pair)
    for n, m in (("a", ma), ("b", mb)):
        if m.height:
            dropped.append(
                f"{m.height} cell(s) with several rows of arm {n} left out (the claim declares "
                f"no aggregate_within_pair): {describe_cells(m, keys)}"
            )
    # a cell with several rows of one arm is left out of both arms
    bad = pl.concat([ma.select(keys), mb.select(keys)]) if ma.height or mb.height else None
    if bad is not None:
        ca = ca.join(bad, on=keys, how="anti", nulls_equal=True)
        cb = cb.join(bad, on=keys, how="anti", nulls_equal=True)
    joined = (
        ca.select(*keys, pl.col("_v").alias("a"))
        .join(cb.select(*keys, pl.col("_v").alias("b")), on=keys, how="inner", nulls_equal=True)
        .sort(keys, nulls_last=True)
    )
    only_a = ca.join(cb, on=keys, how="anti", nulls_equal=True)
    only_b = cb.join(ca, on=keys, how="anti", nulls_equal=True)
    for n, other, x in (("a", "b", only_a), ("b", "a", only_b)):
        if x.height:
            dropped.append(f"{x.height} cell(s) of arm {n} with no arm-{other} partner: "
                           + describe_cells(x, keys))  # fmt: skip
    if claim.scale == "log_ratio":
        bad_log = joined.filter((pl.col("a") <= 0) | (pl.col("b") <= 0))
        if bad_log.height:
            dropped.append(f"{bad_log.height} pair(s) with a non-positive {metric} (no log "
                           f"ratio): {describe_cells(bad_log, keys)}")  # fmt: skip
        joined = joined.filter((pl.col("a") > 0) & (pl.col("b") > 0))
        d = (pl.col("a") / pl.col("b")).log()
    else:
        d = pl.col("a") - pl.col("b")
    joined = joined.with_columns(d.alias("d"))
    return Pairing(joined, n_unpaired=only_a.height + only_b.height, dropped=tuple(dropped))


def t_interval(x: np.ndarray, level: float) -> tuple[float, float, float, float]:
    """Mean, standard error (sd / sqrt(n)) and the t confidence interval of ``x``.

    Equals ``scipy.stats.ttest_1samp(x, 0).confidence_interval(level)``; the tests compare them.
    """
    n = len(x)
    m = float(np.mean(x))
    se = float(np.std(x, ddof=1) / math.sqrt(n)) if n > 1 else math.nan
    q = float(stats.t.ppf(1 - (1 - level) / 2, n - 1)) if n > 1 else math.nan
    return m, se, m - q * se, m + q * se
