"""Descriptive statistics of the study table and their comparison with the review's aggregates.

:func:`describe` re-derives the review's kind of figures (counts and shares by model category,
transfer approach, backbone family, anatomical region, modality, year and data-set size band)
from a loaded study table. :func:`compare_reported` sets them beside the counts printed in the
review's abstract (``data/reported/kim2022.csv``) with a goodness-of-fit test per variable.

Goodness-of-fit rule (stated in the ``rule`` column of the output as well)
    Pearson's chi-square test against the reported shares when every expected count is at
    least 5 (Cochran 1954); otherwise the exact multinomial test (p = total probability of all
    outcomes no more likely than the observed one), by full enumeration when there are at most
    :data:`EXACT_MAX_OUTCOMES` outcomes and by Monte Carlo (:data:`MC_DRAWS` seeded draws) of the
    same exact test beyond that. A single share (the most used backbone family) is tested with
    the exact binomial test.

What the comparison can and cannot say (the ``caveat``)
    The reported counts are the review's coding of its own 121 studies; ours is an independent
    re-coding from public abstracts and may cover a different set of studies. The test asks
    whether our table's distribution is compatible with the review's shares as if our studies
    were a random sample from a population with those shares. A small p value says the
    distributions differ (which may be a coding-rule difference, not an error on either side);
    a large p value does not show agreement, above all with few studies. Our values record what
    public sources disclose, mostly abstracts: a difference can come from disclosure rather than
    from practice (:mod:`review.stats.disclosure` bounds it).
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
from scipy import special, stats

from review import paths
from review.schema import vocabulary
from review.studies import study_backbones

__all__ = [
    "COMPARE_SCHEMA",
    "COUNT_SCHEMA",
    "GOF_SCHEMA",
    "SIZE_BANDS",
    "compare_reported",
    "counts",
    "describe",
    "exact_multinomial_test",
    "goodness_of_fit",
    "load_reported",
    "size_band",
]

#: Data-set size bands (total images), lower bound inclusive; "unknown" when not reported.
SIZE_BANDS: tuple[tuple[int, str], ...] = (
    (1, "<1k"),
    (1_000, "1k-10k"),
    (10_000, "10k-100k"),
    (100_000, ">=100k"),
)
#: Largest number of outcomes the exact multinomial test enumerates.
EXACT_MAX_OUTCOMES = 20_000_000
#: Monte Carlo draws of the exact multinomial test beyond that (seed :data:`MC_SEED`).
MC_DRAWS = 100_000
MC_SEED = 20220409

CAVEAT = (
    "The review's counts are its coding of its own 121 studies; ours is an independent "
    "re-coding from public abstracts of a possibly different set. The test treats our studies "
    "as a random sample from a population with the review's shares: a small p says the "
    "distributions differ (possibly a coding-rule difference, not an error), a large p does "
    "not show agreement, least of all with few studies. Our values record what the public "
    "sources disclose (mostly abstracts): a difference can come from disclosure rather than "
    "from what the studies did."
)

#: Schema of :func:`counts` and :func:`describe`.
COUNT_SCHEMA: dict[str, pl.DataType] = {
    "variable": pl.String,
    "level": pl.String,
    "n": pl.Int64,
    "share": pl.Float64,
    "denominator": pl.Int64,
    "unit": pl.String,
}


def size_band(n_images: int | None) -> str:
    """The size band of a data set of ``n_images`` images (see :data:`SIZE_BANDS`).

    Parameters
    ----------
    n_images
        Total images, or ``None``.

    Returns
    -------
    str
        Band label, ``"unknown"`` for ``None``.

    Examples
    --------
    >>> size_band(5000), size_band(None)
    ('1k-10k', 'unknown')
    """
    if n_images is None:
        return "unknown"
    label = SIZE_BANDS[0][1]
    for lower, name in SIZE_BANDS:
        if n_images >= lower:
            label = name
    return label


def counts(
    values: pl.Series | list,
    variable: str,
    unit: str = "study",
    denominator: int | None = None,
    levels: list[str] | None = None,
) -> pl.DataFrame:
    """Counts and shares of the values of one variable.

    Parameters
    ----------
    values
        One value per unit (nulls are counted as ``"(missing)"``).
    variable
        Name for the ``variable`` column.
    unit
        What one value stands for (``study`` or ``study x backbone``).
    denominator
        Denominator of the shares (default: the number of values).
    levels
        Levels to list even when their count is 0, in this order (others follow by count).

    Returns
    -------
    polars.DataFrame
        :data:`COUNT_SCHEMA`, sorted by ``levels`` then by decreasing count.

    Examples
    --------
    >>> out = counts(["deep", "shallow", "deep", None], "model_category")
    >>> out.select("level", "n", "share").rows()
    [('deep', 2, 0.5), ('(missing)', 1, 0.25), ('shallow', 1, 0.25)]
    """
    vals = ["(missing)" if v is None else str(v) for v in list(values)]
    denom = len(vals) if denominator is None else denominator
    tally: dict[str, int] = {}
    for lev in levels or []:
        tally[lev] = 0
    for v in vals:
        tally[v] = tally.get(v, 0) + 1
    fixed = list(levels or [])
    rest = sorted((k for k in tally if k not in fixed), key=lambda k: (-tally[k], k))
    rows = [
        {"variable": variable, "level": lev, "n": tally[lev],
         "share": tally[lev] / denom if denom else None, "denominator": denom, "unit": unit}
        for lev in fixed + rest
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=COUNT_SCHEMA, orient="row")


def describe(studies: pl.DataFrame) -> pl.DataFrame:
    """Counts and shares of the study table by every descriptive variable of the review.

    Variables: ``model_category``, ``tl_approach`` (vocabulary order, zeros listed),
    ``backbone_family`` (unit: study x backbone, one row per backbone a study used),
    ``backbone_family_studies`` (studies using at least one backbone of the family; shares
    do not sum to 1), ``anatomical_region``, ``modality``, ``year`` (every year from the first
    to the last, zeros listed) and ``size_band`` (:data:`SIZE_BANDS`).

    Parameters
    ----------
    studies
        A loaded study table (:func:`review.studies.load_studies`).

    Returns
    -------
    polars.DataFrame
        :data:`COUNT_SCHEMA`; empty for an empty table.
    """
    if studies.height == 0:
        return pl.DataFrame(schema=COUNT_SCHEMA)
    parts = [
        counts(studies[var], var, levels=list(vocabulary(var)))
        for var in ("model_category", "tl_approach")
    ]
    sb = study_backbones(studies)
    parts.append(counts(sb["family"], "backbone_family", unit="study x backbone"))
    fam_studies = sb.select("study_id", "family").unique()
    parts.append(counts(fam_studies["family"], "backbone_family_studies",
                        denominator=studies.height))  # fmt: skip
    parts.append(counts(studies["anatomical_region"], "anatomical_region"))
    parts.append(counts(studies["modality"], "modality"))
    years = studies["year"].drop_nulls()
    ylevels = [str(y) for y in range(int(years.min()), int(years.max()) + 1)]
    parts.append(counts(studies["year"], "year", levels=ylevels))
    bands = [size_band(v) for v in studies["n_images"].to_list()]
    parts.append(counts(bands, "size_band", levels=[b for _, b in SIZE_BANDS] + ["unknown"]))
    return pl.concat(parts)


# ---------------------------------------------------------------------------------------------
# Goodness of fit
# ---------------------------------------------------------------------------------------------


def _compositions(n: int, k: int) -> int:
    return math.comb(n + k - 1, k - 1)


def exact_multinomial_test(
    observed: list[int] | np.ndarray, probs: list[float] | np.ndarray, *, mc_draws: int = MC_DRAWS,
    seed: int = MC_SEED,
) -> tuple[float, str]:  # fmt: skip
    """Exact multinomial goodness-of-fit test (probability ordering).

    The p value is the total probability, under ``Multinomial(n, probs)``, of every outcome
    whose probability does not exceed that of the observed counts (with a relative tolerance
    of 1e-7, as R's EMT package uses). Outcomes are enumerated when there are at most
    :data:`EXACT_MAX_OUTCOMES`; otherwise the same p value is estimated from ``mc_draws``
    seeded multinomial draws.

    Parameters
    ----------
    observed
        Observed counts per category.
    probs
        Hypothesised probabilities (normalised to sum 1).
    mc_draws, seed
        Monte Carlo settings when enumeration is too large.

    Returns
    -------
    p_val : float
    method : str
        ``"exact multinomial (enumeration)"`` or ``"exact multinomial (Monte Carlo, B=...)"``.

    Examples
    --------
    >>> p, how = exact_multinomial_test([3, 1], [0.5, 0.5])
    >>> round(p, 6), how
    (0.625, 'exact multinomial (enumeration)')
    """
    x = np.asarray(observed, dtype=np.int64)
    p = np.asarray(probs, dtype=float)
    p = p / p.sum()
    n, k = int(x.sum()), x.size
    logp = np.where(p > 0, np.log(np.where(p > 0, p, 1.0)), -np.inf)

    def logpmf(mat: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            terms = np.where(mat > 0, mat * logp, 0.0)
        return special.gammaln(n + 1) - special.gammaln(mat + 1).sum(axis=-1) + terms.sum(axis=-1)

    obs = float(logpmf(x[None, :])[0])
    thresh = obs + math.log1p(1e-7)
    if k == 1:
        return 1.0, "exact multinomial (enumeration)"
    if _compositions(n, k) <= EXACT_MAX_OUTCOMES:
        if k == 2:
            a = np.arange(n + 1)
            mat = np.column_stack([a, n - a])
            lp = logpmf(mat)
            return float(
                min(1.0, np.exp(lp[lp <= thresh]).sum())
            ), "exact multinomial (enumeration)"
        # enumerate the first k-2 parts; the last two in a loop over the first of them, with
        # the prefixes sorted by what is left so that each step is a slice
        lg = special.gammaln(np.arange(n + 1) + 1.0)
        heads = _heads(n, k - 2)
        rest = n - heads.sum(axis=1)
        order = np.argsort(-rest, kind="stable")
        heads, rest = heads[order], rest[order]
        with np.errstate(invalid="ignore"):
            base = lg[n] - lg[heads].sum(axis=1) + np.where(heads > 0, heads * logp[: k - 2],
                                                            0.0).sum(axis=1)  # fmt: skip
        neg_rest = -rest
        total = 0.0
        for a in range(n + 1):
            m = int(np.searchsorted(neg_rest, -a, side="right"))
            if m == 0:
                break
            b = rest[:m] - a
            lp = base[:m] - lg[a] - lg[b] + (a * logp[k - 2] if a > 0 else 0.0)
            with np.errstate(invalid="ignore"):
                lp = lp + np.where(b > 0, b * logp[k - 1], 0.0)
            total += float(np.exp(lp[lp <= thresh]).sum())
        return min(1.0, total), "exact multinomial (enumeration)"
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, p, size=mc_draws)
    lp = logpmf(draws)
    return float((lp <= thresh).mean()), f"exact multinomial (Monte Carlo, B={mc_draws})"


def _heads(n: int, m: int) -> np.ndarray:
    """All vectors of ``m`` non-negative integers with sum <= n (rows)."""
    if m == 0:
        return np.zeros((1, 0), dtype=np.int64)
    out = np.arange(n + 1)[:, None]
    for _ in range(m - 1):
        s = out.sum(axis=1)
        reps = n - s + 1
        left = np.repeat(out, reps, axis=0)
        right = np.concatenate([np.arange(r) for r in reps])[:, None]
        out = np.hstack([left, right])
    return out.astype(np.int64)


#: Schema of the goodness-of-fit rows (:func:`goodness_of_fit`, :func:`compare_reported`).
GOF_SCHEMA: dict[str, pl.DataType] = {
    "variable": pl.String,
    "test": pl.String,
    "stat": pl.Float64,
    "df": pl.Int64,
    "p_val": pl.Float64,
    "n": pl.Int64,
    "n_categories": pl.Int64,
    "min_expected": pl.Float64,
    "rule": pl.String,
    "caveat": pl.String,
}

_RULE = (
    "Pearson chi-square if every expected count >= 5, else exact multinomial "
    f"(enumeration up to {EXACT_MAX_OUTCOMES:,} outcomes, else Monte Carlo B={MC_DRAWS:,})"
)


def goodness_of_fit(observed: list[int], probs: list[float], variable: str = "",
                    caveat: str = CAVEAT) -> dict[str, object]:  # fmt: skip
    """Goodness-of-fit of observed counts to hypothesised shares, by the module's rule.

    Parameters
    ----------
    observed
        Counts per category.
    probs
        Hypothesised shares of the same categories.
    variable
        Name for the output row.
    caveat
        Text for the ``caveat`` column.

    Returns
    -------
    dict
        A :data:`GOF_SCHEMA` row. ``stat`` and ``df`` are the Pearson statistic and its
        degrees of freedom in both cases (the statistic is informative even when its
        chi-square p value is not used).

    Examples
    --------
    With every expected count at least 5 the rule picks Pearson's chi-square, as SciPy computes it:

    >>> from scipy import stats
    >>> g = goodness_of_fit([30, 25, 20, 40], [0.2, 0.3, 0.2, 0.3])
    >>> ref = stats.chisquare([30, 25, 20, 40], [23, 34.5, 23, 34.5])
    >>> g["test"], round(g["stat"], 6) == round(float(ref.statistic), 6)
    ('chi-square', True)
    >>> round(g["p_val"], 6) == round(float(ref.pvalue), 6)
    True
    """
    x = np.asarray(observed, dtype=float)
    p = np.asarray(probs, dtype=float)
    p = p / p.sum()
    n = int(x.sum())
    row = {"variable": variable, "n": n, "n_categories": int(x.size), "rule": _RULE,
           "caveat": caveat}  # fmt: skip
    if n == 0 or x.size < 2:
        return {**row, "test": "none (no studies)" if n == 0 else "none (one category)",
                "stat": None, "df": None, "p_val": None, "min_expected": None}  # fmt: skip
    expected = n * p
    stat = float(np.sum((x - expected) ** 2 / expected))
    row.update(stat=stat, df=int(x.size - 1), min_expected=float(expected.min()))
    if expected.min() >= 5:
        return {**row, "test": "chi-square", "p_val": float(stats.chi2.sf(stat, x.size - 1))}
    pv, how = exact_multinomial_test(x.astype(int), p)
    return {**row, "test": how, "p_val": pv}


def load_reported(path=None) -> pl.DataFrame:
    """The review's reported aggregates (``data/reported/kim2022.csv``).

    Returns
    -------
    polars.DataFrame
        Columns ``item, term, label, n, denominator, note, source``.
    """
    path = paths.kim2022_reported_csv() if path is None else path
    return pl.read_csv(path, schema_overrides={"n": pl.Int64, "denominator": pl.Int64})


#: Schema of the side-by-side table of :func:`compare_reported`.
COMPARE_SCHEMA: dict[str, pl.DataType] = {
    "variable": pl.String,
    "level": pl.String,
    "n_ours": pl.Int64,
    "share_ours": pl.Float64,
    "n_reported": pl.Int64,
    "share_reported": pl.Float64,
    "denominator_reported": pl.Int64,
    "share_diff": pl.Float64,
    "in_test": pl.Boolean,
    "note": pl.String,
}


def compare_reported(
    studies: pl.DataFrame, reported: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Our counts beside the review's, with a goodness-of-fit test per variable.

    Compared: ``model_category`` (the abstract places 114 of 121 studies in multiple, deep or
    shallow; the test uses those three categories on both sides, so our ``other`` studies and
    the review's 7 unplaced ones are left out), ``tl_approach`` (five approaches covering all
    121; our ``unclear`` studies are left out of the test), the most used backbone family
    (Inception: studies using at least one Inception-family backbone, exact binomial test) and
    the number of studies (no test).

    Parameters
    ----------
    studies
        A loaded study table.
    reported
        The reported aggregates (default :func:`load_reported`).

    Returns
    -------
    side_by_side : polars.DataFrame
        :data:`COMPARE_SCHEMA`.
    tests : polars.DataFrame
        :data:`GOF_SCHEMA`, one row per compared variable; each row repeats the caveat.
    """
    rep = load_reported() if reported is None else reported
    rows: list[dict] = []
    tests: list[dict] = []
    n_all = studies.height
    total = rep.filter(pl.col("item") == "studies_included")
    if total.height:
        n_rep = int(total["n"][0])
        rows.append({"variable": "studies_included", "level": "all", "n_ours": n_all,
                     "share_ours": None, "n_reported": n_rep, "share_reported": None,
                     "denominator_reported": None, "share_diff": None, "in_test": False,
                     "note": "number of included studies"})  # fmt: skip
    for var in ("model_category", "tl_approach"):
        r = rep.filter((pl.col("item") == var) & pl.col("term").is_not_null())
        if r.height == 0:
            continue
        terms = r["term"].to_list()
        rep_n = dict(zip(terms, r["n"].to_list(), strict=True))
        denom = int(r["denominator"][0])
        ours = studies[var].to_list() if n_all else []
        ours_n = {t: sum(1 for v in ours if v == t) for t in terms}
        n_tested = sum(ours_n.values())
        extra = sorted({v for v in ours if v not in terms})
        for t in terms:
            so = ours_n[t] / n_all if n_all else None
            sr = rep_n[t] / denom
            rows.append({"variable": var, "level": t, "n_ours": ours_n[t], "share_ours": so,
                         "n_reported": rep_n[t], "share_reported": sr,
                         "denominator_reported": denom,
                         "share_diff": None if so is None else so - sr, "in_test": True,
                         "note": ""})  # fmt: skip
        for t in extra:
            k = sum(1 for v in ours if v == t)
            rows.append({"variable": var, "level": t, "n_ours": k, "share_ours": k / n_all,
                         "n_reported": None, "share_reported": None,
                         "denominator_reported": denom, "share_diff": None, "in_test": False,
                         "note": "not a reported category; left out of the test"})  # fmt: skip
        unplaced = rep.filter((pl.col("item") == var) & pl.col("term").is_null())
        for lab, k in zip(unplaced["label"].to_list(), unplaced["n"].to_list(), strict=True):
            rows.append({"variable": var, "level": lab, "n_ours": None, "share_ours": None,
                         "n_reported": k, "share_reported": k / denom,
                         "denominator_reported": denom, "share_diff": None, "in_test": False,
                         "note": "reported residual; left out of the test"})  # fmt: skip
        probs = [rep_n[t] / sum(rep_n.values()) for t in terms]
        gof = goodness_of_fit([ours_n[t] for t in terms], probs, variable=var)
        gof["caveat"] = (
            f"Tested on {n_tested} of our {n_all} studies in the categories "
            f"{', '.join(terms)} against the review's shares among those categories. " + CAVEAT
        )
        tests.append(gof)
    top = rep.filter(pl.col("item") == "backbone_most_used")
    if top.height:
        fam, k_rep, denom = top["term"][0], int(top["n"][0]), int(top["denominator"][0])
        k_ours = 0
        if n_all:
            sb = study_backbones(studies)
            k_ours = sb.filter(pl.col("family") == fam)["study_id"].n_unique()
        rows.append({"variable": "backbone_most_used", "level": fam, "n_ours": k_ours,
                     "share_ours": k_ours / n_all if n_all else None, "n_reported": k_rep,
                     "share_reported": k_rep / denom, "denominator_reported": denom,
                     "share_diff": (k_ours / n_all - k_rep / denom) if n_all else None,
                     "in_test": True,
                     "note": "studies using at least one backbone of the family"})  # fmt: skip
        if n_all:
            bt = stats.binomtest(k_ours, n_all, k_rep / denom)
            tests.append({"variable": "backbone_most_used", "test": "exact binomial",
                          "stat": float(k_ours), "df": None, "p_val": float(bt.pvalue),
                          "n": n_all, "n_categories": 2,
                          "min_expected": float(min(n_all * k_rep / denom,
                                                    n_all * (1 - k_rep / denom))),
                          "rule": "exact binomial test of one share (two-sided, R binom.test)",
                          "caveat": CAVEAT})  # fmt: skip
        else:
            tests.append(goodness_of_fit([0, 0], [1, 1], variable="backbone_most_used"))
    return (pl.DataFrame(rows, schema=COMPARE_SCHEMA, orient="row"),
            pl.DataFrame(tests, schema=GOF_SCHEMA, orient="row"))  # fmt: skip
