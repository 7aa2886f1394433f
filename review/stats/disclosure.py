"""What the study table can support: restricted analyses, bounds over unknowns, disclosure.

The fields the review's guideline rests on (``tl_approach``, ``model_category``) are coded from
what public sources disclose. A row whose value is not known (approach ``unclear``, model
category ``other``) records missing disclosure, not a choice the authors made, so:

:func:`primary_trend_tests` / :func:`primary_association_tests`
    The primary analysis: the trend and association tests of :mod:`review.stats.trends` on the
    rows whose value is known and whose coder's confidence is medium or high
    (:func:`primary_subset`).
:func:`scenario_table` / :func:`bounds_shares` / :func:`bounds_tests`
    Bounds: every unknown row is set to each known category in turn, and the headline shares,
    the goodness-of-fit test against the review's counts and the trend tests are recomputed
    for each scenario. A share's lower bound puts none of the unknown rows in its category,
    its upper bound puts all of them there.
:func:`venue_type` / :func:`unknown_share` / :func:`unknown_share_tests`
    How the share of unknown values varies with the publication year and the venue type
    (journal, conference, preprint; derived from venue, DOI and URL), with Wilson intervals.
:func:`evidence_mix`
    The kinds of source (``evidence_tl``, ``evidence_backbones``) behind each headline count.

Every function takes a loaded study table and returns a polars DataFrame with a fixed schema.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import polars as pl
from scipy import stats

from review.errors import InputError
from review.schema import vocabulary
from review.stats import trends
from review.stats.descriptives import compare_reported

__all__ = [
    "BOUNDS_SCHEMA",
    "PRIMARY_CONFIDENCE",
    "UNKNOWN",
    "VENUE_TYPES",
    "bounds_shares",
    "bounds_test_summary",
    "bounds_tests",
    "code_based_counts",
    "evidence_mix",
    "primary_association_tests",
    "primary_subset",
    "primary_trend_tests",
    "scenario_table",
    "unknown_share",
    "unknown_share_tests",
    "venue_type",
    "wilson_interval",
    "with_venue_type",
]

#: Levels that record "not known" rather than a category, per variable.
UNKNOWN: dict[str, tuple[str, ...]] = {"tl_approach": ("unclear",), "model_category": ("other",)}
#: Coder's confidence levels kept in the primary analysis.
PRIMARY_CONFIDENCE: tuple[str, ...] = ("medium", "high")
#: Venue types of :func:`venue_type`.
VENUE_TYPES: tuple[str, ...] = ("journal", "conference", "preprint", "unknown")
#: Confidence level of the Wilson intervals.
CONF_LEVEL = 0.95

PRIMARY_RULE = (
    "rows whose value is known (tl_approach not 'unclear', model_category not 'other') and "
    "whose confidence is medium or high"
)


def _check(studies: pl.DataFrame, variable: str) -> tuple[str, ...]:
    if variable not in UNKNOWN:
        raise InputError(f"variable {variable!r}: expected one of {', '.join(UNKNOWN)}")
    missing = [c for c in (variable, "confidence", "year") if c not in studies.columns]
    if missing:
        raise InputError(f"study table: missing column(s) {', '.join(missing)}")
    return UNKNOWN[variable]


def primary_subset(
    studies: pl.DataFrame,
    variable: str,
    confidence: Sequence[str] = PRIMARY_CONFIDENCE,
) -> pl.DataFrame:
    """Rows of the primary analysis of ``variable``: value known, confidence medium or high.

    Parameters
    ----------
    studies
        A loaded study table.
    variable
        ``tl_approach`` or ``model_category``.
    confidence
        Confidence levels kept.

    Returns
    -------
    polars.DataFrame
        The kept rows, unchanged.

    Examples
    --------
    >>> from review.stats.synthetic import synthetic_studies
    >>> s = synthetic_studies(40, seed=1)  # SYNTHETIC
    >>> sub = primary_subset(s.with_columns(confidence=pl.lit("high")), "tl_approach")
    >>> sub.height == s.filter(pl.col("tl_approach") != "unclear").height
    True
    """
    unknown = _check(studies, variable)
    return studies.filter(
        ~pl.col(variable).is_in(list(unknown)) & pl.col("confidence").is_in(list(confidence))
    )


def _left_out(studies: pl.DataFrame, variable: str) -> dict[str, int]:
    unknown = UNKNOWN[variable]
    is_unknown = pl.col(variable).is_in(list(unknown))
    low = ~pl.col("confidence").is_in(list(PRIMARY_CONFIDENCE))
    return {
        "n_table": studies.height,
        "n_unknown": studies.filter(is_unknown).height,
        "n_low_confidence": studies.filter(~is_unknown & low).height,
    }


_EXTRA = {"analysis": pl.String, "n_table": pl.Int64, "n_unknown": pl.Int64,
          "n_low_confidence": pl.Int64}  # fmt: skip
#: Schema of :func:`primary_trend_tests` (the trend schema plus what was left out).
PRIMARY_TREND_SCHEMA: dict[str, pl.DataType] = {**trends.TREND_SCHEMA, **_EXTRA}
#: Schema of :func:`primary_association_tests`.
PRIMARY_ASSOC_SCHEMA: dict[str, pl.DataType] = {**trends.ASSOC_SCHEMA, **_EXTRA}


def primary_trend_tests(
    studies: pl.DataFrame, variables: Sequence[str] = ("tl_approach", "model_category")
) -> pl.DataFrame:
    """Cochran-Armitage trend tests of each level over the years, on the primary subset.

    Parameters
    ----------
    studies
        A loaded study table.
    variables
        Variables whose known levels are tested (each on its own primary subset).

    Returns
    -------
    polars.DataFrame
        :data:`PRIMARY_TREND_SCHEMA`: the columns of :func:`review.stats.trends.trend_tests`
        plus ``analysis`` (the rule), ``n_table``, ``n_unknown`` and ``n_low_confidence``
        (rows of the table, and rows left out as unknown or as low-confidence).
    """
    frames = []
    for var in variables:
        sub = primary_subset(studies, var)
        tt = trends.trend_tests(sub, (var,))
        frames.append(
            tt.with_columns(
                pl.lit(PRIMARY_RULE).alias("analysis"),
                *[pl.lit(v, pl.Int64).alias(k) for k, v in _left_out(studies, var).items()],
            )
        )
    if not frames:
        return pl.DataFrame(schema=PRIMARY_TREND_SCHEMA)
    return pl.concat(frames).select(list(PRIMARY_TREND_SCHEMA)).cast(PRIMARY_TREND_SCHEMA)


def primary_association_tests(
    studies: pl.DataFrame,
    variables: Sequence[str] = ("modality", "anatomical_region"),
    by: Sequence[str] = ("tl_approach", "model_category"),
) -> pl.DataFrame:
    """Association of modality and region with each of ``by``, on the primary subsets.

    Returns
    -------
    polars.DataFrame
        :data:`PRIMARY_ASSOC_SCHEMA` (the columns of
        :func:`review.stats.trends.association_tests` plus what was left out), one row per
        ``variable x by``.
    """
    frames = []
    for b in by:
        sub = primary_subset(studies, b)
        at = trends.association_tests(sub, variables, by=b, exclude=())
        frames.append(
            at.with_columns(
                pl.lit(PRIMARY_RULE).alias("analysis"),
                *[pl.lit(v, pl.Int64).alias(k) for k, v in _left_out(studies, b).items()],
            )
        )
    return pl.concat(frames).select(list(PRIMARY_ASSOC_SCHEMA)).cast(PRIMARY_ASSOC_SCHEMA)


# ---------------------------------------------------------------------------------------------
# Bounds
# ---------------------------------------------------------------------------------------------


def _known_levels(studies: pl.DataFrame, variable: str) -> list[str]:
    unknown = UNKNOWN[variable]
    return [t for t in vocabulary(variable) if t not in unknown]


def scenario_table(studies: pl.DataFrame, variable: str, level: str) -> pl.DataFrame:
    """The table with every unknown value of ``variable`` set to ``level``.

    Examples
    --------
    >>> from review.stats.synthetic import synthetic_studies
    >>> s = synthetic_studies(30, seed=2)  # SYNTHETIC
    >>> t = scenario_table(s, "tl_approach", "fine_tuning")
    >>> t.filter(pl.col("tl_approach") == "unclear").height
    0
    """
    unknown = _check(studies, variable)
    if level in unknown:
        raise InputError(f"level {level!r} of {variable}: expected a known level")
    return studies.with_columns(
        pl.when(pl.col(variable).is_in(list(unknown)))
        .then(pl.lit(level))
        .otherwise(pl.col(variable))
        .alias(variable)
    )


#: Schema of :func:`bounds_shares`.
BOUNDS_SCHEMA: dict[str, pl.DataType] = {
    "variable": pl.String,
    "level": pl.String,
    "n": pl.Int64,
    "n_known": pl.Int64,
    "n_unknown": pl.Int64,
    "n_table": pl.Int64,
    "share_known": pl.Float64,
    "share_primary": pl.Float64,
    "n_primary": pl.Int64,
    "share_low": pl.Float64,
    "share_high": pl.Float64,
    "share_reported": pl.Float64,
    "reported_within_bounds": pl.Boolean,
}


def bounds_shares(
    studies: pl.DataFrame, variables: Sequence[str] = ("tl_approach", "model_category")
) -> pl.DataFrame:
    """Each known level's share: among known rows, in the primary subset, and its bounds.

    ``share_low = n / n_table`` (no unknown row is of the level) and ``share_high = (n +
    n_unknown) / n_table`` (every unknown row is): any assignment of the unknown rows gives a
    share in between. ``share_reported`` is the review's share among its placed studies
    (Kim et al. 2022, ``data/reported/kim2022.csv``).

    Returns
    -------
    polars.DataFrame
        :data:`BOUNDS_SCHEMA`, one row per variable x known level.

    Examples
    --------
    >>> from review.stats.synthetic import synthetic_studies
    >>> s = synthetic_studies(50, seed=3)  # SYNTHETIC
    >>> b = bounds_shares(s, ["tl_approach"])
    >>> bool((b["share_low"] <= b["share_high"]).all())
    True
    """
    side, _ = compare_reported(studies) if studies.height else (None, None)
    rows = []
    for var in variables:
        unknown = _check(studies, var)
        n_table = studies.height
        n_unknown = studies.filter(pl.col(var).is_in(list(unknown))).height
        prim = primary_subset(studies, var)
        rep = {}
        if side is not None:
            r = side.filter((pl.col("variable") == var) & pl.col("in_test"))
            tot = r["n_reported"].sum()
            rep = {lv: k / tot for lv, k in zip(r["level"], r["n_reported"], strict=True)}
        for lev in _known_levels(studies, var):
            n = studies.filter(pl.col(var) == lev).height
            n_known = n_table - n_unknown
            n_prim = prim.filter(pl.col(var) == lev).height
            lo = n / n_table if n_table else None
            hi = (n + n_unknown) / n_table if n_table else None
            sr = rep.get(lev)
            rows.append({
                "variable": var, "level": lev, "n": n, "n_known": n_known,
                "n_unknown": n_unknown, "n_table": n_table,
                "share_known": n / n_known if n_known else None,
                "share_primary": n_prim / prim.height if prim.height else None,
                "n_primary": prim.height, "share_low": lo, "share_high": hi,
                "share_reported": sr,
                "reported_within_bounds": None if sr is None or lo is None else lo <= sr <= hi,
            })  # fmt: skip
    return pl.DataFrame(rows, schema=BOUNDS_SCHEMA, orient="row")


#: Schema of :func:`bounds_tests`.
BOUNDS_TEST_SCHEMA: dict[str, pl.DataType] = {
    "variable": pl.String,
    "scenario": pl.String,
    "test": pl.String,
    "level": pl.String,
    "stat": pl.Float64,
    "z": pl.Float64,
    "p_val": pl.Float64,
    "n": pl.Int64,
    "method": pl.String,
}


def bounds_tests(
    studies: pl.DataFrame, variables: Sequence[str] = ("tl_approach", "model_category")
) -> pl.DataFrame:
    """The headline tests recomputed with the unknown rows set to each known level in turn.

    For each variable and scenario (``as observed``: unknown rows left out as the primary
    tests and the review comparison do; ``primary``: known and medium/high confidence;
    ``unknown = <level>``: every unknown row set to the level): the goodness-of-fit test of our
    distribution against the review's shares (:func:`review.stats.descriptives.compare_reported`)
    and the Cochran-Armitage trend test of each level over the years
    (:func:`review.stats.trends.trend_tests`).

    Returns
    -------
    polars.DataFrame
        :data:`BOUNDS_TEST_SCHEMA`: ``test`` is ``goodness_of_fit`` (``level`` null, ``stat``
        the Pearson statistic) or ``trend`` (one row per level; ``z`` signed, positive when the
        share rises); ``method`` names the p value used.
    """
    rows = []
    for var in variables:
        unknown = _check(studies, var)
        known = studies.filter(~pl.col(var).is_in(list(unknown)))
        scenarios = [("as observed", known), ("primary", primary_subset(studies, var))]
        scenarios += [(f"unknown = {lev}", scenario_table(studies, var, lev))
                      for lev in _known_levels(studies, var)]  # fmt: skip
        for name, table in scenarios:
            if table.height == 0:
                continue
            _, gof = compare_reported(table)
            g = gof.filter(pl.col("variable") == var)
            if g.height:
                r = g.row(0, named=True)
                rows.append({"variable": var, "scenario": name, "test": "goodness_of_fit",
                             "level": None, "stat": r["stat"], "z": None, "p_val": r["p_val"],
                             "n": r["n"], "method": r["test"]})  # fmt: skip
            for r in trends.trend_tests(table, (var,)).iter_rows(named=True):
                rows.append({"variable": var, "scenario": name, "test": "trend",
                             "level": r["level"], "stat": r["chi2"], "z": r["z"],
                             "p_val": r["p_val"], "n": r["n"],
                             "method": r["test_used"]})  # fmt: skip
    return pl.DataFrame(rows, schema=BOUNDS_TEST_SCHEMA, orient="row")


# ---------------------------------------------------------------------------------------------
# Disclosure: unknown share by year and venue type
# ---------------------------------------------------------------------------------------------

_PREPRINT_DOI = ("10.48550/", "10.1101/", "10.21203/", "10.2139/", "10.20944/", "10.36227/")
_PREPRINT_WORDS = re.compile(r"arxiv|medrxiv|biorxiv|preprint|research square|ssrn|techrxiv", re.I)
_PREPRINT_URL = re.compile(r"//(\w+\.)?(arxiv\.org|medrxiv\.org|biorxiv\.org|researchsquare)", re.I)
_CONF_WORDS = re.compile(
    r"conference|proceedings|symposium|workshop|congress|\blncs\b|lecture notes|\bmiccai\b|"
    r"\bisbi\b|\bicip\b|\bmlmi\b|\bmedinfo\b|\bbioimaging\b|\baiai\b|\bspie\b|\bsmc\b|"
    r"\bembc\b|\bcvpr\b|\biccv\b|\beccv\b|abstract\)|meeting",
    re.I,
)
#: Journals whose names look like proceedings.
_JOURNAL_NAMES = re.compile(r"^proceedings of the (ieee|national academy)|^pnas\b", re.I)
#: DOI prefixes of conference proceedings (SPIE Proceedings, Springer book chapters, IEEE
#: conference acronyms).
_CONF_DOI = re.compile(r"^10\.1117/12\.|^10\.1007/978-|^10\.1109/(isbi|icip|embc|cvpr|iccv|smc)",
                       re.I)  # fmt: skip


def venue_type(venue: str | None, doi: str | None = None, source_url: str | None = None) -> str:
    """Journal, conference or preprint, from the venue, the DOI prefix and the source URL.

    Rules, in order: a preprint server's DOI prefix, name or URL -> ``preprint``; a journal
    whose name starts "Proceedings of the IEEE/National Academy" -> ``journal``; a venue that
    names a conference, proceedings, symposium, workshop, meeting abstract or a known
    conference series, or a proceedings DOI (SPIE ``10.1117/12.``, Springer book chapter
    ``10.1007/978-``, IEEE conference acronyms) -> ``conference``; any other venue or DOI ->
    ``journal``; nothing -> ``unknown``.

    Examples
    --------
    >>> venue_type("Scientific Reports", "10.1038/s41598-020-1")
    'journal'
    >>> venue_type("2016 IEEE 13th International Symposium on Biomedical Imaging (ISBI)")
    'conference'
    >>> venue_type(None, "10.1117/12.2293971"), venue_type("Proceedings of the IEEE")
    ('conference', 'journal')
    >>> venue_type(None, None, "https://arxiv.org/abs/2003.1"), venue_type(None)
    ('preprint', 'unknown')
    """
    v, d, u = (venue or "").strip(), (doi or "").strip().lower(), (source_url or "").strip()
    if d.startswith(_PREPRINT_DOI) or _PREPRINT_WORDS.search(v) or _PREPRINT_URL.search(u):
        return "preprint"
    if _JOURNAL_NAMES.search(v):
        return "journal"
    if _CONF_WORDS.search(v) or _CONF_DOI.search(d):
        return "conference"
    return "journal" if v or d else "unknown"


def with_venue_type(studies: pl.DataFrame) -> pl.DataFrame:
    """The table with a ``venue_type`` column (:func:`venue_type` of venue, doi, source_url)."""
    vt = [
        venue_type(v, d, u) for v, d, u in studies.select("venue", "doi", "source_url").iter_rows()
    ]
    return studies.with_columns(pl.Series("venue_type", vt, dtype=pl.String))


def wilson_interval(k: int, n: int, conf_level: float = CONF_LEVEL) -> tuple[float, float]:
    """Wilson score interval of a proportion ``k / n``.

    Cross-checked against ``statsmodels.stats.proportion.proportion_confint(k, n,
    method="wilson")`` in the tests.

    Examples
    --------
    >>> lo, hi = wilson_interval(74, 143)
    >>> round(lo, 4), round(hi, 4)
    (0.4362, 0.5978)
    """
    if n <= 0 or not 0 <= k <= n:
        raise InputError(f"wilson_interval: expected 0 <= k <= n and n > 0, got k={k}, n={n}")
    z = stats.norm.ppf(1 - (1 - conf_level) / 2)
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    lo = 0.0 if k == 0 else max(0.0, mid - half)  # exact ends: no rounding noise at 0 and 1
    hi = 1.0 if k == n else min(1.0, mid + half)
    return float(lo), float(hi)


#: Schema of :func:`unknown_share`.
UNKNOWN_SHARE_SCHEMA: dict[str, pl.DataType] = {
    "variable": pl.String,
    "by": pl.String,
    "group": pl.String,
    "n": pl.Int64,
    "n_unknown": pl.Int64,
    "share_unknown": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "conf_level": pl.Float64,
}


def unknown_share(
    studies: pl.DataFrame,
    by: Sequence[str] = ("year", "venue_type"),
    variables: Sequence[str] = ("tl_approach", "model_category"),
) -> pl.DataFrame:
    """Share of rows whose value is unknown, per group, with Wilson 95 % intervals.

    Parameters
    ----------
    studies
        A loaded study table (``venue_type`` is derived when asked for and absent).
    by
        Grouping columns, one breakdown each.
    variables
        ``tl_approach`` (unknown = ``unclear``) and/or ``model_category`` (``other``).

    Returns
    -------
    polars.DataFrame
        :data:`UNKNOWN_SHARE_SCHEMA`; ``group`` is the group's value as text, sorted.
    """
    if "venue_type" in by and "venue_type" not in studies.columns:
        studies = with_venue_type(studies)
    rows = []
    for var in variables:
        unknown = _check(studies, var)
        for b in by:
            g = (
                studies.group_by(pl.col(b).cast(pl.String).alias("group"))
                .agg(pl.len().alias("n"), pl.col(var).is_in(list(unknown)).sum().alias("k"))
                .drop_nulls("group")
                .sort("group")
            )
            for grp, n, k in g.iter_rows():
                lo, hi = wilson_interval(int(k), int(n))
                rows.append({"variable": var, "by": b, "group": grp, "n": n, "n_unknown": k,
                             "share_unknown": k / n, "ci_low": lo, "ci_high": hi,
                             "conf_level": CONF_LEVEL})  # fmt: skip
    return pl.DataFrame(rows, schema=UNKNOWN_SHARE_SCHEMA, orient="row")


#: Schema of :func:`unknown_share_tests`.
UNKNOWN_TEST_SCHEMA: dict[str, pl.DataType] = {
    "variable": pl.String,
    "by": pl.String,
    "test": pl.String,
    "stat": pl.Float64,
    "df": pl.Int64,
    "z": pl.Float64,
    "p_val": pl.Float64,
    "n": pl.Int64,
    "effect": pl.Float64,
    "effect_name": pl.String,
}


def unknown_share_tests(
    studies: pl.DataFrame, variables: Sequence[str] = ("tl_approach", "model_category")
) -> pl.DataFrame:
    """Does the unknown share change with the year, or differ by venue type?

    Year: Cochran-Armitage trend test of the unknown share over publication years
    (:func:`review.stats.trends.cochran_armitage`; exact conditional p value when the unknown
    or known rows number fewer than :data:`review.stats.trends.MIN_TREND_EVENTS`). Venue type:
    test of association of venue type x known/unknown by the rule of
    :func:`review.stats.trends.association` (chi-square, or Fisher when sparse), with
    Cramér's V. Groups of venue type ``unknown`` are left out.

    Returns
    -------
    polars.DataFrame
        :data:`UNKNOWN_TEST_SCHEMA`; ``effect`` is the change in the share per year (year) or
        Cramér's V (venue type).
    """
    studies = with_venue_type(studies) if "venue_type" not in studies.columns else studies
    rows = []
    for var in variables:
        unknown = _check(studies, var)
        flag = pl.col(var).is_in(list(unknown))
        per_year = (studies.group_by("year").agg(pl.len().alias("n"), flag.sum().alias("k"))
                    .sort("year"))  # fmt: skip
        n_all = int(per_year["n"].sum())
        k_all = int(per_year["k"].sum())
        if per_year.height >= 2 and 0 < k_all < n_all:
            r = trends.cochran_armitage(per_year["k"].to_numpy(), per_year["n"].to_numpy(),
                                        per_year["year"].to_numpy())  # fmt: skip
            sparse = min(k_all, n_all - k_all) < trends.MIN_TREND_EVENTS
            rows.append({"variable": var, "by": "year",
                         "test": "Cochran-Armitage (exact conditional)" if sparse
                         else "Cochran-Armitage (chi-square)", "stat": r["chi2"], "df": 1,
                         "z": r["z"], "p_val": r["p_exact"] if sparse else r["p_asymptotic"],
                         "n": n_all, "effect": r["slope"],
                         "effect_name": "change in share per year"})  # fmt: skip
        vt = studies.filter(pl.col("venue_type") != "unknown")
        tab = (vt.group_by("venue_type").agg((~flag).sum().alias("known"),
                                             flag.sum().alias("unknown"))
               .sort("venue_type"))  # fmt: skip
        if tab.height >= 2:
            a = trends.association(tab.select("known", "unknown").to_numpy(), "venue_type", var)
            rows.append({"variable": var, "by": "venue_type", "test": a["test_used"],
                         "stat": a["chi2"], "df": a["df"], "z": None, "p_val": a["p_val"],
                         "n": a["n"], "effect": a["cramers_v"],
                         "effect_name": "Cramér's V"})  # fmt: skip
    return pl.DataFrame(rows, schema=UNKNOWN_TEST_SCHEMA, orient="row")


# ---------------------------------------------------------------------------------------------
# Evidence mix
# ---------------------------------------------------------------------------------------------


def evidence_mix(
    studies: pl.DataFrame,
    pairs: Sequence[tuple[str, str]] = (("tl_approach", "evidence_tl"),
                                        ("model_category", "evidence_backbones")),
) -> pl.DataFrame:  # fmt: skip
    """Counts of each level with the kinds of source behind them (wide: one column per kind).

    ``model_category`` follows from the backbones, so its evidence kind is
    ``evidence_backbones``.

    Returns
    -------
    polars.DataFrame
        ``variable, level, n, <kind>... (counts), share_beyond_abstract``, kinds in the order
        of ``data/vocab/evidence.csv``.
    """
    kinds = list(vocabulary("evidence"))
    frames = []
    for var, ev in pairs:
        long = studies.group_by(pl.col(var).alias("level"), pl.col(ev).alias("kind")).len("k")
        wide = (
            long.pivot(on="kind", index="level", values="k")
            if long.height
            else pl.DataFrame({"level": []}, schema={"level": pl.String})
        )
        for k in kinds:
            if k not in wide.columns:
                wide = wide.with_columns(pl.lit(0).alias(k))
        wide = wide.with_columns(pl.col(kinds).fill_null(0).cast(pl.Int64))
        wide = wide.with_columns(
            pl.lit(var).alias("variable"), pl.sum_horizontal(kinds).cast(pl.Int64).alias("n")
        ).with_columns(
            pl.when(pl.col("n") > 0)
            .then(1 - pl.col("abstract") / pl.col("n"))
            .otherwise(None)
            .alias("share_beyond_abstract")
        )
        frames.append(
            wide.select("variable", "level", "n", *kinds, "share_beyond_abstract").sort(
                ["n", "level"], descending=[True, False]
            )
        )
    return pl.concat(frames)


def code_based_counts(studies: pl.DataFrame) -> dict[str, int]:
    """How many values rest on the authors' code (``authors_code``), per evidence field."""
    return {
        f: int((studies[f] == "authors_code").sum())
        for f in ("evidence_tl", "evidence_backbones")
    } | {"rows": int(studies.filter(
        (pl.col("evidence_tl") == "authors_code") | (pl.col("evidence_backbones") == "authors_code")
    ).height)}  # fmt: skip


#: Schema of :func:`bounds_test_summary`.
BOUNDS_SUMMARY_SCHEMA: dict[str, pl.DataType] = {
    "variable": pl.String,
    "test": pl.String,
    "level": pl.String,
    "p_primary": pl.Float64,
    "p_as_observed": pl.Float64,
    "p_min": pl.Float64,
    "p_max": pl.Float64,
    "n_scenarios": pl.Int64,
    "n_scenarios_p_lt_05": pl.Int64,
}


def bounds_test_summary(bounds: pl.DataFrame) -> pl.DataFrame:
    """One row per test of :func:`bounds_tests`: its p value in the primary analysis, as
    observed, and its range over the scenarios that assign the unknown rows.

    Returns
    -------
    polars.DataFrame
        :data:`BOUNDS_SUMMARY_SCHEMA`; ``n_scenarios_p_lt_05`` counts the scenarios in which
        the test is significant at 5 %.
    """
    if bounds.height == 0:
        return pl.DataFrame(schema=BOUNDS_SUMMARY_SCHEMA)
    key = ["variable", "test", "level"]
    b = bounds.with_columns(pl.col("level").fill_null("(all levels)"))
    scen = b.filter(pl.col("scenario").str.starts_with("unknown = "))
    agg = scen.group_by(key, maintain_order=True).agg(
        pl.col("p_val").min().alias("p_min"),
        pl.col("p_val").max().alias("p_max"),
        pl.len().cast(pl.Int64).alias("n_scenarios"),
        (pl.col("p_val") < 0.05).sum().cast(pl.Int64).alias("n_scenarios_p_lt_05"),
    )
    prim = b.filter(pl.col("scenario") == "primary").select(
        *key, pl.col("p_val").alias("p_primary")
    )
    obs = b.filter(pl.col("scenario") == "as observed").select(
        *key, pl.col("p_val").alias("p_as_observed")
    )
    out = agg.join(prim, on=key, how="left").join(obs, on=key, how="left")
    return out.select(list(BOUNDS_SUMMARY_SCHEMA)).cast(BOUNDS_SUMMARY_SCHEMA)
