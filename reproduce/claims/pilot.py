"""The v1 (pilot) decision rules, with the verdict-code bugs of issue #13 fixed.

The v1 registration (``claims.yaml``, 2026-11-26) treats pairs as the unit: a percentile
bootstrap CI of the mean paired difference (the file's ``bootstrap`` block: 10,000 resamples,
seed 20221026), the Wilcoxon signed-rank p beside it. Fixed here, each with a regression test
(tests/claims/test_pilot.py):

- ``aggregate_within_pair`` is read: without it a pair cell must hold one row per arm, and
  cells with several rows are left out and listed instead of silently averaged;
- unknown claim keys are refused by the loader (:func:`reproduce.claims.claim.load_claim_set`);
- pair cells of one arm without a partner, rows without the metric, and pair fields absent
  from the results are reported (the last is an error) instead of dropped without a word;
- ``slope_negative`` fits the slope within data sets (data-set fixed effects: each data set
  its own intercept, one common slope; data sets run at one training fraction carry no slope
  information and are listed) instead of one regression across data sets;
- ``within`` says supported only when every group's CI lies inside +-margin (it said supported
  from the point estimate alone, while contradicted needed the CI);
- the bootstrap seed is the file's: there is no fallback (it was 0 where the file says 20221026).

The output keeps the pilot's columns (:data:`SCHEMA`), so a recomputation can be compared with
the committed ``results/guideline/verdicts.csv`` column by column.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import polars as pl
from scipy import stats

from reproduce.claims.claim import Bootstrap, Claim, ClaimSet
from reproduce.claims.pairs import add_derived_columns, pair_cells, select_arm, t_interval
from reproduce.claims.pooled import EFFECT_SCHEMA
from review.errors import InputError

__all__ = [
    "MIN_PAIRS",
    "SCHEMA",
    "VERDICTS",
    "bootstrap_mean_ci",
    "evaluate_v1",
    "fixed_effects_slope",
]

MIN_PAIRS = 5
VERDICTS = ("supported", "contradicted", "inconclusive", "insufficient_data", "not_run")

#: Output schema (the pilot's ``verdicts.csv`` columns).
SCHEMA: dict[str, Any] = {
    "claim_id": pl.String,
    "suite": pl.String,
    "statement": pl.String,
    "metric": pl.String,
    "decision": pl.String,
    "scale": pl.String,
    "n_pairs": pl.Int64,
    "n_unpaired": pl.Int64,
    "mean_a": pl.Float64,
    "mean_b": pl.Float64,
    "estimate": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "conf_level": pl.Float64,
    "p_wilcoxon": pl.Float64,
    "margin": pl.Float64,
    "threshold": pl.Float64,
    "verdict": pl.String,
    "detail": pl.String,
}


def bootstrap_mean_ci(
    d: np.ndarray, resamples: int, seed: int, level: float
) -> tuple[float, float]:
    """Percentile bootstrap CI of the mean of ``d`` (resampling elements with replacement).

    Equals ``scipy.stats.bootstrap((d,), np.mean, method="percentile")`` in distribution; the
    tests compare the two.
    """
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(d), size=(resamples, len(d)))
    means = d[idx].mean(axis=1)
    alpha = (1 - level) / 2
    lo, hi = np.quantile(means, [alpha, 1 - alpha])
    return float(lo), float(hi)


def fixed_effects_slope(
    groups: np.ndarray, x: np.ndarray, y: np.ndarray, level: float
) -> dict[str, float]:
    """OLS of ``y`` on ``x`` with one intercept per group (the within-group slope).

    Equals ``statsmodels.formula.api.ols("y ~ C(group) + x")``'s coefficient of ``x``, its
    standard error and t interval (df = n - groups - 1); the tests compare them.

    Returns
    -------
    dict
        ``slope, se, ci_low, ci_high, df``.
    """
    labels, gi = np.unique(groups, return_inverse=True)
    X = np.column_stack([np.eye(labels.size)[gi], x])
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    df = len(y) - X.shape[1]
    if df < 1:
        raise InputError(f"slope: {len(y)} points for {X.shape[1]} coefficients")
    resid = y - X @ beta
    s2 = float(resid @ resid) / df
    cov = s2 * np.linalg.inv(X.T @ X)
    se = math.sqrt(cov[-1, -1])
    q = float(stats.t.ppf(1 - (1 - level) / 2, df))
    slope = float(beta[-1])
    return {"slope": slope, "se": se, "ci_low": slope - q * se, "ci_high": slope + q * se,
            "df": df}  # fmt: skip


def _verdict_from_ci(c: Claim, lo: float, hi: float) -> str:
    if c.decision == "superiority":
        return "supported" if lo > 0 else "contradicted" if hi < 0 else "inconclusive"
    if c.decision == "noninferiority":
        m = float(c.margin)
        return "supported" if lo > -m else "contradicted" if hi < -m else "inconclusive"
    if c.decision == "below":
        t = float(c.threshold)
        return ("supported" if math.exp(hi) < t else "contradicted" if math.exp(lo) > t
                else "inconclusive")  # fmt: skip
    raise InputError(f"claim {c.id}: decision {c.decision!r} has no CI rule")


def _slope(c: Claim, joined: pl.DataFrame, level: float, note: str) -> dict[str, Any]:
    """v1 ``slope_negative`` within data sets (see the module docstring)."""
    if "dataset" not in joined.columns:
        raise InputError(f"claim {c.id}: slope_negative needs dataset among the pair fields")
    curves = joined.group_by("dataset").agg(pl.col("train_fraction").n_unique().alias("_f"))
    flat = sorted(curves.filter(pl.col("_f") < 2)["dataset"].to_list())
    use = joined.filter(~pl.col("dataset").is_in(flat))
    extra = (f"; data sets at one training fraction (no slope information, left out): "
             f"{', '.join(flat)}" if flat else "")  # fmt: skip
    n_sets = use["dataset"].n_unique()
    if use.height < n_sets + 2:
        return {"verdict": "insufficient_data", "n_pairs": use.height,
                "detail": f"{use.height} pairs on learning curves{extra}; {note}"}  # fmt: skip
    fit = fixed_effects_slope(
        use["dataset"].to_numpy(),
        np.log(use["train_fraction"].cast(pl.Float64).to_numpy()),
        use["d"].to_numpy(),
        level,
    )
    lo, hi = fit["ci_low"], fit["ci_high"]
    verdict = "supported" if hi < 0 else "contradicted" if lo > 0 else "inconclusive"
    sets = ", ".join(sorted(use["dataset"].unique().to_list()))
    return {
        "estimate": fit["slope"], "ci_low": lo, "ci_high": hi, "verdict": verdict,
        "n_pairs": use.height,
        "detail": f"OLS slope of (a - b) on log(train_fraction) within data sets (one intercept "
                  f"each; {sets}; t df {fit['df']}){extra}; {note}",
    }  # fmt: skip


def _within(c: Claim, res: pl.DataFrame, boot: Bootstrap, row: dict) -> dict:
    arm, why = select_arm(res, c.arms.a)
    if why or arm is None or arm.height == 0:
        row.update(
            verdict="not_run", detail=why or "no runs of the anchor configuration in the results"
        )
        return row  # fmt: skip
    ref = c.reference
    table = pl.read_csv(ref.path).filter(pl.col("method") == ref.method)
    margin = float(c.margin)
    parts, verdicts, n = [], [], 0
    for (ds,), g in sorted(arm.group_by(list(c.group_by)), key=lambda t: str(t[0][0])):
        hit = table.filter(pl.col("dataset").str.to_lowercase() == str(ds).lower())
        if hit.height == 0:
            parts.append(f"{ds}: no published value")
            continue
        target = float(hit[ref.column][0])
        d = g[c.metric].drop_nulls().to_numpy() - target
        n += len(d)
        if len(d) < 2:
            verdicts.append("insufficient_data")
            parts.append(f"{ds}: {len(d)} run(s)")
            continue
        lo, hi = bootstrap_mean_ci(d, boot.resamples, boot.seed, boot.level)
        m = float(d.mean())
        if abs(m) <= margin and -margin <= lo and hi <= margin:
            verdicts.append("supported")
        elif lo > margin or hi < -margin:
            verdicts.append("contradicted")
        else:
            verdicts.append("inconclusive")
        parts.append(f"{ds}: mean diff {m:+.3f} [{lo:+.3f}, {hi:+.3f}] vs {target:.3f}")
    if not verdicts:
        row.update(verdict="not_run",
                   detail="no data set of the results is in the reference")  # fmt: skip
        return row
    if "contradicted" in verdicts:
        verdict = "contradicted"
    elif all(v == "supported" for v in verdicts):
        verdict = "supported"
    elif all(v == "insufficient_data" for v in verdicts):
        verdict = "insufficient_data"
    else:
        verdict = "inconclusive"
    row.update(n_pairs=n, verdict=verdict,
               detail="; ".join(parts) + "; supported needs each CI inside +-margin")  # fmt: skip
    return row


def evaluate_claim_v1(c: Claim, results: pl.DataFrame, boot: Bootstrap,
                      what: str = "results") -> dict[str, Any]:  # fmt: skip
    """One v1 claim on ``results`` (see the module docstring); one :data:`SCHEMA` row."""
    res = results
    if "status" in res.columns:
        res = res.filter(pl.col("status") == "ok")
    res = add_derived_columns(res)
    row: dict[str, Any] = dict.fromkeys(SCHEMA)
    row.update(claim_id=c.id, suite=c.suite, statement=c.statement, metric=c.metric,
               decision=c.decision, scale=c.scale, conf_level=boot.level, margin=c.margin,
               threshold=c.threshold, n_pairs=0, n_unpaired=0)  # fmt: skip
    for fld, values in c.requires.values:
        have = set(res[fld].unique().to_list()) if fld in res.columns else set()
        if not set(values) <= have:
            row.update(verdict="not_run", detail=f"needs {fld} in {list(values)}; results have "
                       f"{sorted(have) if have else 'none'}")  # fmt: skip
            return row
    if c.decision == "within":
        return _within(c, res, boot, row)
    pairing = pair_cells(c, res, what)
    if pairing.pairs is None:
        row.update(verdict="not_run", detail=pairing.reason)
        return row
    joined = pairing.pairs
    note = f"paired on {', '.join(c.pair_on)}"
    if c.aggregate_within_pair:
        note += f" (rows of one arm in a cell: {c.aggregate_within_pair})"
    if pairing.note:
        note += f"; {pairing.note}"
    row.update(n_pairs=joined.height, n_unpaired=pairing.n_unpaired,
               mean_a=joined["a"].mean(), mean_b=joined["b"].mean())  # fmt: skip
    if joined.height < MIN_PAIRS:
        row.update(verdict="insufficient_data", detail=f"{joined.height} pairs; {note}")
        return row
    if c.decision == "slope_negative":
        row.update(_slope(c, joined, boot.level, note))
        return row
    d = joined["d"].to_numpy()
    lo, hi = bootstrap_mean_ci(d, boot.resamples, boot.seed, boot.level)
    p = float(stats.wilcoxon(d).pvalue) if np.any(d != 0) else 1.0
    verdict = _verdict_from_ci(c, lo, hi)
    est = float(d.mean())
    if c.scale == "log_ratio":
        note += "; estimate and CI are geometric-mean ratios a/b"
        est, lo, hi = math.exp(est), math.exp(lo), math.exp(hi)
    row.update(estimate=est, ci_low=lo, ci_high=hi, p_wilcoxon=p, verdict=verdict, detail=note)
    return row


def evaluate_v1(results: pl.DataFrame, claim_set: ClaimSet, suite: str,
                what: str = "results") -> pl.DataFrame:  # fmt: skip
    """Every v1 claim of ``suite`` on its tidy results; one :data:`SCHEMA` row per claim.

    Raises
    ------
    InputError
        ``claim_set`` is not v1, or the results lack a pair field or metric of a claim whose
        arms they hold.
    """
    if claim_set.rules != 1 or claim_set.bootstrap is None:
        raise InputError(f"{claim_set.path}: evaluate_v1 needs a version 1 claims file")
    rows = [evaluate_claim_v1(c, results, claim_set.bootstrap, what)
            for c in claim_set.for_suite(suite)]  # fmt: skip
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def _with_dataset(pairs: pl.DataFrame, res: pl.DataFrame) -> pl.DataFrame:
    """``pairs`` with a ``dataset`` column: kept when the claim pairs on it, else looked up from
    the runs the pairs came from (``run_id``: the UAP claims U1 and U2 pair within one model),
    else ``all`` (one summary over every pair)."""
    if "dataset" in pairs.columns:
        return pairs
    if "run_id" in pairs.columns and {"run_id", "dataset"} <= set(res.columns):
        ds = res.select("run_id", "dataset").unique()
        if ds["run_id"].is_duplicated().any():
            raise ValueError("a run_id maps to several data sets; cannot group pairs by data set")
        return pairs.join(ds, on="run_id", how="left")
    return pairs.with_columns(pl.lit("all").alias("dataset"))


def pilot_effects(results: pl.DataFrame, claim_set: ClaimSet, suite: str,
                  what: str = "results") -> pl.DataFrame:  # fmt: skip
    """Per-data-set summaries of each v1 claim's pairs (descriptive, for plots).

    The pilot's unit is the pair, so these are not its verdicts: per data set, the mean paired
    difference (``slope_negative``: the OLS slope on log(train_fraction); ``within``: the mean
    difference from the published value) with a t interval over the data set's pairs.

    Returns
    -------
    polars.DataFrame
        The schema of :data:`reproduce.claims.pooled.EFFECT_SCHEMA`.
    """
    res = results.filter(pl.col("status") == "ok") if "status" in results.columns else results
    res = add_derived_columns(res)
    level = claim_set.bootstrap.level
    out: list[dict[str, Any]] = []
    for c in claim_set.for_suite(suite):
        if c.decision == "within":
            arm, why = select_arm(res, c.arms.a)
            if why or arm is None or arm.height == 0:
                continue
            ref = pl.read_csv(c.reference.path).filter(pl.col("method") == c.reference.method)
            ref = ref.select(pl.col("dataset").str.to_lowercase(),
                             pl.col(c.reference.column).alias("_ref"))  # fmt: skip
            pairs = arm.join(ref, on="dataset").with_columns(
                (pl.col(c.metric) - pl.col("_ref")).alias("d"))  # fmt: skip
        else:
            p = pair_cells(c, res, what)
            if p.pairs is None:
                continue
            pairs = _with_dataset(p.pairs, res)
        for (ds,), g in sorted(pairs.group_by(["dataset"]), key=lambda t: str(t[0][0])):
            row = dict.fromkeys(EFFECT_SCHEMA)
            row.update(claim_id=c.id, version=1, analysis="pilot", dataset=str(ds),
                       n_pairs=g.height, metric=c.metric, scale=c.scale, included=True,
                       n_seeds=g["seed"].n_unique() if "seed" in g.columns else None)  # fmt: skip
            if c.decision == "slope_negative":
                x = np.log(g["train_fraction"].cast(pl.Float64).to_numpy())
                if np.unique(x).size < 2 or g.height < 3:
                    row.update(included=False, reason="one training fraction: no learning curve")
                else:
                    fit = stats.linregress(x, g["d"].to_numpy())
                    q = float(stats.t.ppf(1 - (1 - level) / 2, g.height - 2))
                    row.update(estimate=float(fit.slope), se=float(fit.stderr),
                               ci_low=float(fit.slope - q * fit.stderr),
                               ci_high=float(fit.slope + q * fit.stderr))  # fmt: skip
            elif g.height >= 2:
                m, se, lo, hi = t_interval(g["d"].to_numpy(), level)
                row.update(estimate=m, se=se, ci_low=lo, ci_high=hi)
            else:
                row.update(estimate=float(g["d"][0]), reason="one pair: no interval")
            out.append(row)
    return pl.DataFrame(out, schema=EFFECT_SCHEMA, orient="row")
