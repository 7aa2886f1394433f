"""Trends in models and transfer approaches over publication years, and associations.

:func:`cochran_armitage` / :func:`trend_tests`
    Cochran-Armitage test for a linear trend in the share of each level (each transfer
    approach, each model category) over publication years, scored by the year itself.
    The statistic is R's ``prop.trend.test`` (chi-square, 1 df); the exact conditional p value
    (the distribution of ``sum(year * events)`` given the margins) is computed alongside.
:func:`approach_regression`
    Multinomial (or, where too sparse, binary) logistic regression of approach choice on
    year, log10 data-set size and modality, with odds ratios and Wald CIs (statsmodels).
:func:`association` / :func:`association_tests`
    Chi-square or exact tests of the association between modality or region and approach,
    with Cramér's V.

Sparse-cell rules (each output table repeats the rule that was applied in a ``rule`` column)
--------------------------------------------------------------------------------------------
Trend tests
    The asymptotic chi-square p value is used when the level has at least
    :data:`MIN_TREND_EVENTS` studies and at least as many studies are of other levels;
    otherwise the exact conditional p value is used (``test_used`` says which). A level seen in
    a single year range of one year is not tested.
Logistic regression
    Studies without year, ``n_images`` or modality, and those with approach ``unclear``, are
    left out. Approaches with fewer than :data:`MIN_OUTCOME_EVENTS` studies are left out.
    Modalities with fewer than :data:`MIN_LEVEL_N` studies are pooled into ``other (pooled)``;
    modality is dropped when fewer than two levels remain. A multinomial model is fitted when
    at least three approaches remain and every approach has at least :data:`MIN_EPV` studies
    per model parameter; otherwise (or when the multinomial fit fails or separates) each
    approach is modelled against all others in a binary logit, dropping modality when the
    events per parameter would fall below :data:`MIN_EPV`, and not fitting at all below that.
Association tests
    Studies with approach ``unclear`` are left out. Pearson's chi-square (no continuity
    correction) when every expected count is at least 1
    and at most 20% are below 5 (Cochran 1954); otherwise Fisher's exact test: exact for 2 x 2
    tables, and for larger tables the Fisher-Freeman-Halton p value by Monte Carlo over
    :data:`MC_TABLES` seeded tables with the observed margins (R's
    ``fisher.test(simulate.p.value=TRUE)``). Cramér's V is reported in every case.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import polars as pl
from scipy import special, stats

from review.errors import InputError

__all__ = [
    "ASSOC_SCHEMA",
    "REGRESSION_SCHEMA",
    "TREND_SCHEMA",
    "approach_regression",
    "association",
    "association_tests",
    "cochran_armitage",
    "contingency",
    "fisher_freeman_halton_mc",
    "trend_tests",
    "year_shares",
]

#: Fewest studies of a level (and of the other levels) for the asymptotic trend p value.
MIN_TREND_EVENTS = 10
#: Fewest studies of an approach to enter the regression.
MIN_OUTCOME_EVENTS = 10
#: Fewest studies of a modality to keep it as its own level.
MIN_LEVEL_N = 5
#: Fewest events per model parameter.
MIN_EPV = 5
#: Year subtracted from the publication year in the regression (intercept at that year).
YEAR_CENTER = 2015
#: Monte Carlo tables of the Fisher-Freeman-Halton test, and their seed.
MC_TABLES = 10_000
MC_SEED = 20220409

TREND_RULE = (
    f"asymptotic chi-square (R prop.trend.test) when the level and the other levels each have "
    f">= {MIN_TREND_EVENTS} studies; otherwise the exact conditional p value"
)
REGRESSION_RULE = (
    f"approaches with < {MIN_OUTCOME_EVENTS} studies and 'unclear' left out; modalities with "
    f"< {MIN_LEVEL_N} studies pooled; multinomial if >= 3 approaches and >= {MIN_EPV} events "
    f"per parameter for each, else one-vs-rest binary logits (modality dropped if EPV < "
    f"{MIN_EPV}; not fitted below that)"
)
ASSOC_RULE = (
    "approach 'unclear' left out; Pearson chi-square (no continuity correction) if all "
    "expected >= 1 and <= 20% expected "
    f"< 5; else Fisher exact (2x2) or Fisher-Freeman-Halton by Monte Carlo (B={MC_TABLES:,})"
)


# ---------------------------------------------------------------------------------------------
# Cochran-Armitage
# ---------------------------------------------------------------------------------------------


def _exact_trend_p(events: np.ndarray, totals: np.ndarray, scores: np.ndarray) -> float:
    """Two-sided exact conditional p value of ``T = sum(score * events)`` given the margins.

    Under the null the events are a random subset of the studies, so ``T`` is the score sum of
    a sample without replacement; its distribution is built by dynamic programming over the
    score groups (weights ``prod C(n_j, x_j)``). Scores must be integers.
    """
    m_all = int(events.sum())
    n_all = int(totals.sum())
    flip = m_all > n_all - m_all
    x = (totals - events) if flip else events
    m = int(x.sum())
    s = scores.astype(np.int64) - int(scores.min())
    smax = int(s.max()) * m
    # dp[c, t]: total weight of choosing c studies with score sum t (rescaled to avoid overflow)
    dp = np.zeros((m + 1, smax + 1))
    dp[0, 0] = 1.0
    for nj, sj in zip(totals.astype(int), s, strict=True):
        new = np.zeros_like(dp)
        for xj in range(0, min(nj, m) + 1):
            w = math.comb(nj, xj)
            shift = xj * sj
            if shift > smax:
                break
            new[xj:, shift:] += w * dp[: m + 1 - xj, : smax + 1 - shift]
        dp = new / new.max()
    dist = dp[m]
    dist = dist / dist.sum()
    t_vals = np.arange(smax + 1)
    mean = float(np.sum(t_vals * dist))
    t_obs = float(np.sum(x * s))
    dev = np.abs(t_vals - mean)
    tol = 1e-7 * max(1.0, abs(t_obs - mean))
    return float(min(1.0, dist[dev >= abs(t_obs - mean) - tol].sum()))


def cochran_armitage(
    events: Sequence[int] | np.ndarray,
    totals: Sequence[int] | np.ndarray,
    scores: Sequence[float] | np.ndarray,
) -> dict[str, float]:
    """Cochran-Armitage test for a linear trend in proportions.

    ``chi2 = [sum (s_j - s̄)(x_j - n_j p)]² / [p (1 - p) sum n_j (s_j - s̄)²]`` with
    ``s̄ = sum n_j s_j / N`` and ``p = sum x_j / N``: the statistic of R's
    ``prop.trend.test(x, n, score)``.

    Parameters
    ----------
    events
        Studies with the level, per score group (e.g. per year).
    totals
        Studies per group.
    scores
        Group scores (the years); integer scores also give the exact conditional p value.

    Returns
    -------
    dict
        ``chi2``, ``z`` (signed: positive when the share rises), ``p_asymptotic``,
        ``p_exact`` (``nan`` for non-integer scores), ``slope`` (change in the share per unit
        of score, the weighted least-squares slope).

    Examples
    --------
    >>> r = cochran_armitage([1, 2, 4], [10, 10, 10], [2018, 2019, 2020])
    >>> round(r["chi2"], 4), r["z"] > 0
    (2.5155, True)
    """
    x = np.asarray(events, dtype=float)
    n = np.asarray(totals, dtype=float)
    s = np.asarray(scores, dtype=float)
    if not (x.size == n.size == s.size) or x.size == 0:
        raise InputError("cochran_armitage: events, totals and scores must have the same length")
    if np.any(x < 0) or np.any(x > n):
        raise InputError("cochran_armitage: expected 0 <= events <= totals")
    big_n = n.sum()
    p = x.sum() / big_n
    sbar = np.sum(n * s) / big_n
    sxx = float(np.sum(n * (s - sbar) ** 2))
    num = float(np.sum((s - sbar) * (x - n * p)))
    if sxx == 0 or p in (0.0, 1.0):
        return {"chi2": float("nan"), "z": float("nan"), "p_asymptotic": float("nan"),
                "p_exact": float("nan"), "slope": float("nan")}  # fmt: skip
    chi2 = num**2 / (p * (1 - p) * sxx)
    slope = num / sxx
    z = math.copysign(math.sqrt(chi2), slope)
    integer = bool(np.all(s == np.round(s)))
    p_exact = _exact_trend_p(x.astype(int), n.astype(int), s) if integer else float("nan")
    return {"chi2": float(chi2), "z": z, "p_asymptotic": float(stats.chi2.sf(chi2, 1)),
            "p_exact": p_exact, "slope": float(slope)}  # fmt: skip


#: Schema of :func:`trend_tests`.
TREND_SCHEMA: dict[str, pl.DataType] = {
    "variable": pl.String,
    "level": pl.String,
    "n": pl.Int64,
    "n_level": pl.Int64,
    "first_year": pl.Int64,
    "last_year": pl.Int64,
    "slope_per_year": pl.Float64,
    "z": pl.Float64,
    "chi2": pl.Float64,
    "p_asymptotic": pl.Float64,
    "p_exact": pl.Float64,
    "p_val": pl.Float64,
    "test_used": pl.String,
    "rule": pl.String,
}


def year_shares(studies: pl.DataFrame, variable: str) -> pl.DataFrame:
    """Studies per year and level with the share of the year's studies.

    Parameters
    ----------
    studies
        A loaded study table.
    variable
        Column to break down (e.g. ``tl_approach``).

    Returns
    -------
    polars.DataFrame
        ``year, level, n, n_year, share`` with every year x level combination (zeros kept).
    """
    schema = {"year": pl.Int64, "level": pl.String, "n": pl.Int64, "n_year": pl.Int64,
              "share": pl.Float64}  # fmt: skip
    d = studies.select("year", pl.col(variable).cast(pl.String).alias("level")).drop_nulls()
    if d.height == 0:
        return pl.DataFrame(schema=schema)
    years = pl.DataFrame({"year": list(range(d["year"].min(), d["year"].max() + 1))})
    levels = pl.DataFrame({"level": sorted(d["level"].unique().to_list())})
    grid = years.join(levels, how="cross")
    cnt = d.group_by("year", "level").len("n")
    tot = d.group_by("year").len("n_year")
    out = (
        grid.join(cnt, on=["year", "level"], how="left")
        .join(tot, on="year", how="left")
        .with_columns(pl.col("n").fill_null(0).cast(pl.Int64),
                      pl.col("n_year").fill_null(0).cast(pl.Int64))
        .with_columns(pl.when(pl.col("n_year") > 0).then(pl.col("n") / pl.col("n_year"))
                      .otherwise(None).alias("share"))
        .sort("year", "level")
    )  # fmt: skip
    return out.select(list(schema)).cast(schema)


def trend_tests(
    studies: pl.DataFrame, variables: Sequence[str] = ("tl_approach", "model_category")
) -> pl.DataFrame:
    """Cochran-Armitage trend test for every level of each variable over publication years.

    Parameters
    ----------
    studies
        A loaded study table.
    variables
        Categorical columns whose levels are tested one at a time (level vs all others).

    Returns
    -------
    polars.DataFrame
        :data:`TREND_SCHEMA`; ``p_val`` is the p value chosen by the sparse-cell rule
        (``test_used``); ``slope_per_year`` is the change in the share per year.
    """
    rows = []
    for var in variables:
        ys = year_shares(studies, var)
        if ys.height == 0:
            continue
        per_year = ys.group_by("year").agg(pl.col("n_year").first()).sort("year")
        per_year = per_year.filter(pl.col("n_year") > 0)
        years = per_year["year"].to_numpy()
        totals = per_year["n_year"].to_numpy()
        n_all = int(totals.sum())
        for lev in sorted(ys["level"].unique().to_list()):
            ev = (
                ys.filter(pl.col("level") == lev)
                .join(per_year.select("year"), on="year", how="inner")
                .sort("year")["n"]
                .to_numpy()
            )
            n_lev = int(ev.sum())
            base = {"variable": var, "level": lev, "n": n_all, "n_level": n_lev,
                    "first_year": int(years.min()), "last_year": int(years.max()),
                    "rule": TREND_RULE}  # fmt: skip
            if years.size < 2 or n_lev in (0, n_all):
                rows.append({**base, "slope_per_year": None, "z": None, "chi2": None,
                             "p_asymptotic": None, "p_exact": None, "p_val": None,
                             "test_used": "not tested: one year or no variation"})  # fmt: skip
                continue
            r = cochran_armitage(ev, totals, years)
            sparse = min(n_lev, n_all - n_lev) < MIN_TREND_EVENTS
            rows.append({**base, "slope_per_year": r["slope"], "z": r["z"], "chi2": r["chi2"],
                         "p_asymptotic": r["p_asymptotic"], "p_exact": r["p_exact"],
                         "p_val": r["p_exact"] if sparse else r["p_asymptotic"],
                         "test_used": "exact conditional" if sparse else
                         "asymptotic chi-square"})  # fmt: skip
    return pl.DataFrame(rows, schema=TREND_SCHEMA, orient="row")


# ---------------------------------------------------------------------------------------------
# Logistic regression of approach choice
# ---------------------------------------------------------------------------------------------

#: Schema of :func:`approach_regression` (one row per outcome x term).
REGRESSION_SCHEMA: dict[str, pl.DataType] = {
    "model": pl.String,
    "outcome": pl.String,
    "reference": pl.String,
    "term": pl.String,
    "estimate": pl.Float64,
    "se": pl.Float64,
    "odds_ratio": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "p_val": pl.Float64,
    "n": pl.Int64,
    "events": pl.Int64,
    "epv": pl.Float64,
    "conf_level": pl.Float64,
    "status": pl.String,
    "rule": pl.String,
}

_TERM_LABEL = {
    "year_c": "year (per year)",
    "log10_n": "log10 n_images (per 10-fold)",
}


def _most_frequent(values: list[str]) -> str:
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return sorted(counts, key=lambda k: (-counts[k], k))[0]


def _fit_quietly(model, **kw):
    """Fit a statsmodels model; return (result, problem) with problem None when clean."""
    # statsmodels: imported only when the regression is fitted
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = model.fit(disp=False, **kw)
        except (np.linalg.LinAlgError, ValueError, OverflowError) as exc:
            return None, f"failed: {exc}".splitlines()[0]
    problems = [w for w in caught if issubclass(w.category, (PerfectSeparationWarning,
                                                              ConvergenceWarning))]  # fmt: skip
    if problems:
        return res, "failed: " + str(problems[0].message).splitlines()[0]
    if not res.mle_retvals.get("converged", True):
        return res, "failed: did not converge"
    bse = np.asarray(res.bse)
    if not np.all(np.isfinite(bse)) or np.any(bse > 100):
        return res, "failed: (quasi-)separation (a standard error > 100)"
    return res, None


def approach_regression(
    studies: pl.DataFrame,
    *,
    outcome: str = "tl_approach",
    level: float = 0.95,
    outcome_reference: str | None = None,
    modality_reference: str | None = None,
    min_epv: float = MIN_EPV,
) -> pl.DataFrame:
    """Logistic regression of approach choice on year, log10 data-set size and modality.

    See the module docstring for the sparse-data rules. Odds ratios are per year, per
    10-fold increase in ``n_images`` and per modality against the reference modality.

    Parameters
    ----------
    studies
        A loaded study table.
    outcome
        The categorical outcome column.
    level
        Confidence level of the Wald intervals.
    outcome_reference, modality_reference
        Reference levels (default: the most frequent; ties alphabetical).
    min_epv
        Fewest events per model parameter (default :data:`MIN_EPV`).

    Returns
    -------
    polars.DataFrame
        :data:`REGRESSION_SCHEMA`; intercepts are not listed. A model that is not fitted
        appears as one row with ``status`` saying why.
    """
    # statsmodels: imported only when the regression is fitted
    from statsmodels.discrete.discrete_model import Logit, MNLogit

    crit = stats.norm.ppf(1 - (1 - level) / 2)
    d = studies.filter(
        pl.col("year").is_not_null() & pl.col("n_images").is_not_null()
        & pl.col("modality").is_not_null() & pl.col(outcome).is_not_null()
        & (pl.col(outcome) != "unclear")
    )  # fmt: skip
    status_rows: list[dict] = []

    def status(model: str, out: str, msg: str, n: int, events: int | None = None) -> dict:
        return {"model": model, "outcome": out, "reference": None, "term": None,
                "estimate": None, "se": None, "odds_ratio": None, "ci_low": None,
                "ci_high": None, "p_val": None, "n": n, "events": events, "epv": None,
                "conf_level": level, "status": msg, "rule": REGRESSION_RULE}  # fmt: skip

    if d.height:
        counts = d.group_by(outcome).len()
        keep = counts.filter(pl.col("len") >= MIN_OUTCOME_EVENTS)[outcome].to_list()
        d = d.filter(pl.col(outcome).is_in(keep))
    if d.height == 0 or d[outcome].n_unique() < 2:
        status_rows.append(status("none", "", "not fitted: fewer than two approaches with "
                                  f">= {MIN_OUTCOME_EVENTS} studies and complete covariates",
                                  d.height))  # fmt: skip
        return pl.DataFrame(status_rows, schema=REGRESSION_SCHEMA, orient="row")

    y = [str(v) for v in d[outcome].to_list()]
    mod = [str(v) for v in d["modality"].to_list()]
    mcount = {m: mod.count(m) for m in set(mod)}
    mod = [m if mcount[m] >= MIN_LEVEL_N else "other (pooled)" for m in mod]
    mlevels = sorted(set(mod))
    mref = modality_reference if modality_reference in mlevels else _most_frequent(mod)
    cols = {
        "year_c": d["year"].to_numpy().astype(float) - YEAR_CENTER,
        "log10_n": np.log10(d["n_images"].to_numpy().astype(float)),
    }
    mod_cols = {f"modality={m}": np.array([1.0 if v == m else 0.0 for v in mod])
                for m in mlevels if m != mref}  # fmt: skip

    def design(with_modality: bool) -> tuple[np.ndarray, list[str]]:
        names = list(cols) + (list(mod_cols) if with_modality else [])
        mats = [np.ones(len(y))] + [cols.get(nm, mod_cols.get(nm)) for nm in names]
        return np.column_stack(mats), ["intercept", *names]

    olevels = sorted(set(y))
    oref = outcome_reference if outcome_reference in olevels else _most_frequent(y)
    ocount = {o: y.count(o) for o in olevels}
    n = len(y)
    rows: list[dict] = []

    def emit(model, out, ref, names, params, bse, pvals, events, epv, note=None):
        for j, nm in enumerate(names):
            if j == 0:
                continue  # intercept
            b, se = float(params[j]), float(bse[j])
            rows.append({"model": model, "outcome": out, "reference": ref,
                         "term": _TERM_LABEL.get(nm, nm), "estimate": b, "se": se,
                         "odds_ratio": math.exp(b), "ci_low": math.exp(b - crit * se),
                         "ci_high": math.exp(b + crit * se), "p_val": float(pvals[j]), "n": n,
                         "events": events, "epv": epv, "conf_level": level,
                         "status": note or "ok", "rule": REGRESSION_RULE})  # fmt: skip

    with_mod = len(mlevels) >= 2
    X, names = design(with_mod)
    p = X.shape[1]
    others = [o for o in olevels if o != oref]
    epv_multi = min(ocount.values()) / p
    if len(olevels) >= 3 and epv_multi >= min_epv:
        codes = np.array([0 if v == oref else 1 + others.index(v) for v in y])
        res, problem = _fit_quietly(MNLogit(codes, X), method="newton", maxiter=200)
        if problem is None:
            params, bse, pv = (np.asarray(res.params), np.asarray(res.bse),
                               np.asarray(res.pvalues))  # fmt: skip
            for j, o in enumerate(others):
                emit("multinomial", o, oref, names, params[:, j], bse[:, j], pv[:, j],
                     ocount[o], epv_multi)  # fmt: skip
            return pl.DataFrame(rows, schema=REGRESSION_SCHEMA, orient="row")
        status_rows.append(status("multinomial", "", f"{problem}; binary models instead", n))
    elif len(olevels) >= 3:
        status_rows.append(
            status(
                "multinomial",
                "",
                f"not fitted: events per parameter "
                f"{epv_multi:.1f} < {min_epv}; binary models instead",
                n,
            )
        )
    targets = others if len(olevels) == 2 else olevels
    for o in targets:
        yb = np.array([1.0 if v == o else 0.0 for v in y])
        ev = int(yb.sum())
        ref = oref if len(olevels) == 2 else "all other approaches"
        done = False
        for use_mod in [True, False] if with_mod else [False]:
            Xb, nb = design(use_mod)
            epv = min(ev, n - ev) / Xb.shape[1]
            if epv < min_epv:
                continue
            res, problem = _fit_quietly(Logit(yb, Xb), method="newton", maxiter=200)
            if problem is not None:
                status_rows.append(status("binary", o, problem, n, ev))
                done = True
                break
            note = None if use_mod or not with_mod else "ok (modality dropped: EPV)"
            emit("binary", o, ref, nb, res.params, res.bse, res.pvalues, ev, epv, note)
            done = True
            break
        if not done:
            status_rows.append(status("binary", o, f"not fitted: events per parameter < "
                                      f"{min_epv}", n, ev))  # fmt: skip
    return pl.DataFrame(rows + status_rows, schema=REGRESSION_SCHEMA, orient="row")


# ---------------------------------------------------------------------------------------------
# Associations
# ---------------------------------------------------------------------------------------------


def contingency(studies: pl.DataFrame, row: str, col: str = "tl_approach") -> pl.DataFrame:
    """Long-format contingency table of two categorical columns (all combinations, zeros kept).

    Returns
    -------
    polars.DataFrame
        ``row_level, col_level, n``.
    """
    schema = {"row_level": pl.String, "col_level": pl.String, "n": pl.Int64}
    d = studies.select(pl.col(row).cast(pl.String).alias("row_level"),
                       pl.col(col).cast(pl.String).alias("col_level")).drop_nulls()  # fmt: skip
    if d.height == 0:
        return pl.DataFrame(schema=schema)
    grid = pl.DataFrame({"row_level": sorted(d["row_level"].unique().to_list())}).join(
        pl.DataFrame({"col_level": sorted(d["col_level"].unique().to_list())}), how="cross"
    )
    cnt = d.group_by("row_level", "col_level").len("n")
    return (grid.join(cnt, on=["row_level", "col_level"], how="left")
            .with_columns(pl.col("n").fill_null(0).cast(pl.Int64))
            .sort("row_level", "col_level"))  # fmt: skip


def fisher_freeman_halton_mc(table: np.ndarray, draws: int = MC_TABLES, seed: int = MC_SEED
                             ) -> float:  # fmt: skip
    """Monte Carlo p value of the Fisher-Freeman-Halton exact test of an r x c table.

    Tables with the observed margins are drawn by permuting the column labels of the
    individual observations; the p value is ``(1 + #{P(table) <= P(observed)}) / (B + 1)``,
    as R's ``fisher.test(simulate.p.value=TRUE)`` computes it.

    Parameters
    ----------
    table
        Counts (r x c).
    draws
        Number of simulated tables ``B``.
    seed
        Random seed.

    Returns
    -------
    float
    """
    t = np.asarray(table, dtype=np.int64)
    r, c = t.shape
    rows = np.repeat(np.arange(r), t.sum(axis=1))
    cols = np.concatenate([np.repeat(np.arange(c), t[i]) for i in range(r)])
    n = rows.size
    rng = np.random.default_rng(seed)
    # the table probability is proportional to 1 / prod(x_ij!): compare sum(gammaln(x_ij + 1))
    obs = float(special.gammaln(t + 1).sum())
    exceed = 0
    chunk = max(1, 2_000_000 // max(n, 1))
    done = 0
    while done < draws:
        b = min(chunk, draws - done)
        perm = rng.permuted(np.tile(cols, (b, 1)), axis=1)
        idx = (np.arange(b)[:, None] * (r * c) + rows[None, :] * c + perm).ravel()
        tabs = np.bincount(idx, minlength=b * r * c).reshape(b, r * c)
        stat = special.gammaln(tabs + 1).sum(axis=1)
        exceed += int(np.sum(stat >= obs * (1 - 1e-7) - 1e-7))
        done += b
    return (1 + exceed) / (draws + 1)


#: Schema of :func:`association` and :func:`association_tests`.
ASSOC_SCHEMA: dict[str, pl.DataType] = {
    "variable": pl.String,
    "by": pl.String,
    "n": pl.Int64,
    "n_rows": pl.Int64,
    "n_cols": pl.Int64,
    "chi2": pl.Float64,
    "df": pl.Int64,
    "p_chi2": pl.Float64,
    "p_val": pl.Float64,
    "test_used": pl.String,
    "cramers_v": pl.Float64,
    "min_expected": pl.Float64,
    "share_expected_lt5": pl.Float64,
    "rule": pl.String,
}


def association(table: np.ndarray, variable: str = "", by: str = "",
                mc_draws: int = MC_TABLES, seed: int = MC_SEED) -> dict[str, object]:  # fmt: skip
    """Test of association in an r x c table with Cramér's V, by the module's sparse rule.

    Parameters
    ----------
    table
        Counts; empty rows and columns are dropped first.
    variable, by
        Names for the output row.
    mc_draws, seed
        Monte Carlo settings of the Fisher-Freeman-Halton test.

    Returns
    -------
    dict
        An :data:`ASSOC_SCHEMA` row. ``cramers_v = sqrt(chi2 / (n (min(r, c) - 1)))``.

    Examples
    --------
    A 2 x 3 table with every expected count at least 5: Pearson's chi-square without continuity
    correction, as SciPy's ``chi2_contingency(..., correction=False)``:

    >>> import numpy as np
    >>> from scipy import stats
    >>> t = np.array([[12, 7, 3], [5, 9, 8]])
    >>> r = association(t)
    >>> ref = stats.chi2_contingency(t, correction=False)
    >>> r["test_used"], bool(np.isclose(r["chi2"], ref.statistic))
    ('chi-square', True)
    >>> bool(np.isclose(r["p_val"], ref.pvalue))
    True
    """
    t = np.asarray(table, dtype=float)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0] if t.size else t
    n = int(t.sum())
    base = {"variable": variable, "by": by, "n": n, "n_rows": int(t.shape[0]) if t.ndim == 2 else 0,
            "n_cols": int(t.shape[1]) if t.ndim == 2 else 0, "rule": ASSOC_RULE}  # fmt: skip
    if t.ndim != 2 or min(t.shape) < 2:
        return {**base, "chi2": None, "df": None, "p_chi2": None, "p_val": None,
                "test_used": "not tested: fewer than two levels", "cramers_v": None,
                "min_expected": None, "share_expected_lt5": None}  # fmt: skip
    expected = np.outer(t.sum(axis=1), t.sum(axis=0)) / n
    chi2 = float(np.sum((t - expected) ** 2 / expected))
    df = (t.shape[0] - 1) * (t.shape[1] - 1)
    p_chi2 = float(stats.chi2.sf(chi2, df))
    v = math.sqrt(chi2 / (n * (min(t.shape) - 1)))
    share_lt5 = float(np.mean(expected < 5))
    sparse = expected.min() < 1 or share_lt5 > 0.2
    if not sparse:
        p, used = p_chi2, "chi-square"
    elif t.shape == (2, 2):
        p, used = float(stats.fisher_exact(t.astype(int)).pvalue), "Fisher exact (2x2)"
    else:
        p = fisher_freeman_halton_mc(t.astype(int), mc_draws, seed)
        used = f"Fisher-Freeman-Halton (Monte Carlo, B={mc_draws})"
    return {**base, "chi2": chi2, "df": df, "p_chi2": p_chi2, "p_val": p, "test_used": used,
            "cramers_v": v, "min_expected": float(expected.min()),
            "share_expected_lt5": share_lt5}  # fmt: skip


def association_tests(
    studies: pl.DataFrame,
    variables: Sequence[str] = ("modality", "anatomical_region"),
    by: str = "tl_approach",
    exclude: Sequence[str] = ("unclear",),
) -> pl.DataFrame:
    """Association of each of ``variables`` with ``by`` (default: transfer approach).

    Parameters
    ----------
    studies
        A loaded study table.
    variables
        Row variables, one test each.
    by
        Column variable.
    exclude
        Levels of ``by`` left out of the tests (default: the approach ``unclear``, which
        records missing information rather than a choice).

    Returns
    -------
    polars.DataFrame
        :data:`ASSOC_SCHEMA`, one row per variable.
    """
    if exclude and by in studies.columns:
        studies = studies.filter(~pl.col(by).is_in(list(exclude)) | pl.col(by).is_null())
    rows = []
    for var in variables:
        ct = contingency(studies, var, by)
        if ct.height == 0:
            rows.append(association(np.zeros((0, 0)), var, by))
            continue
        wide = ct.pivot(on="col_level", index="row_level", values="n").sort("row_level")
        rows.append(association(wide.drop("row_level").to_numpy(), var, by))
    return pl.DataFrame(rows, schema=ASSOC_SCHEMA, orient="row")
