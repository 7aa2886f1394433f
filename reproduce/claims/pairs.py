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

from reproduce.claims.claim import BEST_OF_METRIC, Arm, Claim
from review import paths
from review.errors import InputError

__all__ = [
    "Pairing",
    "add_derived_columns",
    "architectures",
    "describe_cells",
    "pair_best_of",
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
    a, b, none = _both_arms(df, claim, what)
    if none is not None:
        return none
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
    joined = _with_differences(joined, claim, metric, keys, dropped)
    return Pairing(joined, n_unpaired=only_a.height + only_b.height, dropped=tuple(dropped))


def _both_arms(
    df: pl.DataFrame, claim: Claim, what: str
) -> tuple[pl.DataFrame, pl.DataFrame, Pairing | None]:
    """The rows of arm a and of arm b, and ``None``; or, as the third item, the unpaired
    ``Pairing`` that says why the claim has nothing to pair."""
    a, why_a = select_arm(df, claim.arms.a)
    b, why_b = select_arm(df, claim.arms.b)
    if why_a or why_b:
        return a, b, Pairing(None, reason="; ".join(x for x in (why_a, why_b) if x))
    empty = [n for n, x in (("a", a), ("b", b)) if x.height == 0]
    if empty:
        return a, b, Pairing(None, reason=f"no rows of arm {' and '.join(empty)} in {what}")
    return a, b, None


def _with_differences(
    joined: pl.DataFrame, claim: Claim, metric: str, keys: list[str], dropped: list[str]
) -> pl.DataFrame:
    """``joined`` (columns ``a`` and ``b``) with the paired difference ``d``: ``a - b``, or
    ``log(a / b)`` for a log-ratio claim, whose pairs with a non-positive value are dropped
    (and named in ``dropped``)."""
    if claim.scale != "log_ratio":
        return joined.with_columns((pl.col("a") - pl.col("b")).alias("d"))
    bad_log = joined.filter((pl.col("a") <= 0) | (pl.col("b") <= 0))
    if bad_log.height:
        dropped.append(f"{bad_log.height} pair(s) with a non-positive {metric} (no log "
                       f"ratio): {describe_cells(bad_log, keys)}")  # fmt: skip
    joined = joined.filter((pl.col("a") > 0) & (pl.col("b") > 0))
    return joined.with_columns((pl.col("a") / pl.col("b")).log().alias("d"))


#: Where ``b_best_of`` chooses the better single backbone (the claims file's header: "within each
#: data set and resolution", under the approach ``b_same_approach`` maps to).
BEST_OF_WITHIN = ("dataset", "resolution")


def pair_best_of(claim: Claim, df: pl.DataFrame, what: str = "results") -> Pairing:
    """Pair each arm-a row with the better single backbone of its architectures (``b_best_of``).

    For every arm-a group (data set, resolution, approach and the ``b_best_of`` fields, e.g. a
    fusion pair ``arch``, ``arch2``), the candidates are the arm-b rows of the same data set and
    resolution under the approach ``b_same_approach`` maps the a approach to, whose ``arch`` is
    one of the group's architectures. The better one is the candidate with the higher mean
    validation AUC (:data:`reproduce.claims.claim.BEST_OF_METRIC`) over its rows: the test
    split plays no part. Its rows are paired with the group's rows on ``pair_on``; each group
    is its own cell. A group whose choice cannot be made (a candidate without rows or without a
    validation AUC, or a tie) is left out and listed.

    Returns
    -------
    Pairing
        ``pairs``: the ``pair_on`` fields, ``approach``, the ``b_best_of`` fields, ``b_approach``,
        ``b_arch`` (the chosen backbone), ``a``, ``b``, ``d``. ``dropped`` also holds the choices
        made (``choice: ...``), so the verdict's note shows them.

    Raises
    ------
    InputError
        A pair field, ``approach``, a ``b_best_of`` field, ``resolution``, the metric or the
        validation AUC is not a column of results that hold both arms.
    """
    assert claim.arms.b is not None and claim.b_best_of, "pair_best_of needs b_best_of"
    a, b, none = _both_arms(df, claim, what)
    if none is not None:
        return none
    keys = list(claim.pair_on)
    best = list(claim.b_best_of)
    need = [*keys, "approach", "arch", *best, *BEST_OF_WITHIN, claim.metric, BEST_OF_METRIC]
    missing = [k for k in dict.fromkeys(need) if k not in df.columns]
    if missing:
        raise InputError(
            f"{what}: claim {claim.id}: {', '.join(missing)} not a column of the results; "
            f"expected every pair field, approach, {', '.join(best)}, resolution, the metric and "
            f"{BEST_OF_METRIC} (b_best_of chooses arm b on it)"
        )
    metric = claim.metric
    base = list(dict.fromkeys([*keys, *BEST_OF_WITHIN]))  # the choice's fields stay in a cell
    cell = list(dict.fromkeys([*base, "approach", *best]))
    group = list(dict.fromkeys([*BEST_OF_WITHIN, "approach", *best]))
    dropped: list[str] = []
    nulls = a.filter(pl.col(metric).is_null() | pl.col(metric).is_nan())
    if nulls.height:
        dropped.append(f"{nulls.height} row(s) of arm a without {metric}: "
                       + describe_cells(nulls, cell))  # fmt: skip
    a = a.filter(pl.col(metric).is_not_null() & pl.col(metric).is_not_nan())
    # the choice, per arm-a group, on validation AUC over all the candidate's rows
    choices, undecided, shown = [], [], []
    for g in a.select(group).unique().sort(group, nulls_last=True).iter_rows(named=True):
        b_appr = claim.b_approach_for(g["approach"])
        archs = list(dict.fromkeys(g[f] for f in best))
        where = ", ".join(f"{k}={g[k]}" for k in group)
        if None in archs:
            undecided.append(f"{where} (an architecture field is empty)")
            continue
        cand = b.filter(
            pl.all_horizontal([pl.col(k).eq_missing(g[k]) for k in BEST_OF_WITHIN])
            & (pl.col("approach") == b_appr)
            & pl.col("arch").is_in(archs)
        )
        means = {}
        for arch in archs:
            v = cand.filter(pl.col("arch") == arch)[BEST_OF_METRIC].cast(pl.Float64)
            v = v.drop_nulls().drop_nans()
            means[arch] = float(v.mean()) if v.len() else None
        if any(m is None for m in means.values()):
            lacking = [str(x) for x, m in means.items() if m is None]
            undecided.append(f"{where} (no {b_appr} row with {BEST_OF_METRIC} for "
                             f"{', '.join(lacking)})")  # fmt: skip
            continue
        ranked = sorted(means.items(), key=lambda t: -t[1])
        if ranked[0][1] == ranked[1][1]:
            undecided.append(f"{where} (tie on {BEST_OF_METRIC}: the registration has no "
                             "tie-break)")  # fmt: skip
            continue
        choices.append({**g, "b_approach": b_appr, "b_arch": ranked[0][0]})
        shown.append(f"{where}: {ranked[0][0]} ("
                     + " vs ".join(f"{x} {m:.4f}" for x, m in ranked) + ")")  # fmt: skip
    if undecided:
        dropped.append(f"{len(undecided)} arm-a group(s) left out, the better single backbone "
                       "undecidable: " + "; ".join(undecided[:MAX_LISTED])
                       + (f"; and {len(undecided) - MAX_LISTED} more"
                          if len(undecided) > MAX_LISTED else ""))  # fmt: skip
    if shown:
        dropped.append(f"choice: arm b is the single backbone with the higher mean "
                       f"{BEST_OF_METRIC}: " + "; ".join(shown[:MAX_LISTED])
                       + (f"; and {len(shown) - MAX_LISTED} more"
                          if len(shown) > MAX_LISTED else ""))  # fmt: skip
    schema = {k: a.schema[k] for k in group} | {"b_approach": pl.String, "b_arch": pl.String}
    chosen = pl.DataFrame(choices, schema=schema, orient="row")
    ca, ma = _cells(a, cell, metric, claim.aggregate_within_pair)
    b = b.filter(pl.col(metric).is_not_null() & pl.col(metric).is_not_nan())
    b_keys = list(dict.fromkeys([*base, "approach", "arch"]))
    cb, mb = _cells(b, b_keys, metric, claim.aggregate_within_pair)
    for n, m, k in (("a", ma, cell), ("b", mb, b_keys)):
        if m.height:
            dropped.append(
                f"{m.height} cell(s) with several rows of arm {n} left out (the claim declares "
                f"no aggregate_within_pair): {describe_cells(m, k)}"
            )
    ca = ca.join(chosen, on=group, how="inner", nulls_equal=True)
    cb = cb.select(*base, pl.col("approach").alias("b_approach"),
                   pl.col("arch").alias("b_arch"), pl.col("_v").alias("b"))  # fmt: skip
    on = [*base, "b_approach", "b_arch"]
    joined = ca.select(*cell, "b_approach", "b_arch", pl.col("_v").alias("a")).join(
        cb, on=on, how="left", nulls_equal=True
    )
    only_a = joined.filter(pl.col("b").is_null())
    if only_a.height:
        dropped.append(f"{only_a.height} cell(s) of arm a with no row of the chosen single "
                       f"backbone: {describe_cells(only_a, [*cell, 'b_arch'])}")  # fmt: skip
    joined = joined.filter(pl.col("b").is_not_null()).sort(cell, nulls_last=True)
    joined = _with_differences(joined, claim, metric, cell, dropped)
    return Pairing(joined, n_unpaired=only_a.height, dropped=tuple(dropped))


def t_interval(x: np.ndarray, level: float) -> tuple[float, float, float, float]:
    """Mean, standard error (sd / sqrt(n)) and the t confidence interval of ``x``.

    Equals ``scipy.stats.ttest_1samp(x, 0).confidence_interval(level)``; the tests compare them.
    """
    n = len(x)
    m = float(np.mean(x))
    se = float(np.std(x, ddof=1) / math.sqrt(n)) if n > 1 else math.nan
    q = float(stats.t.ppf(1 - (1 - level) / 2, n - 1)) if n > 1 else math.nan
    return m, se, m - q * se, m + q * se
