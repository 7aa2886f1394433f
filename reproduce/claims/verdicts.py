"""Turn suite results plus the pre-registered claims (``claims/claims.yaml``) into verdicts.

Each claim names two arms (row filters on config fields), the fields that pair a row of one arm
with a row of the other, a metric and a decision rule. :func:`evaluate_claims` applies the rules
exactly as the claims file states them: a percentile bootstrap CI of the mean paired difference
(Wilcoxon signed-rank p beside it), then *supported / contradicted / inconclusive*, or
``insufficient_data`` (fewer than :data:`MIN_PAIRS` pairs) or ``not_run`` (the runs a claim needs
are absent from the results). Nothing is decided by hand.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml
from scipy import stats

from review import paths
from review.errors import InputError

CLAIMS_PATH = Path(__file__).with_name("claims.yaml")
MIN_PAIRS = 5
VERDICTS = ("supported", "contradicted", "inconclusive", "insufficient_data", "not_run")

#: Output schema of :func:`evaluate_claims`.
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


def load_claims(path: str | Path | None = None) -> dict:
    """Read the claims file and check each claim names what its decision rule needs.

    Raises
    ------
    InputError
        Naming the file, the claim and the missing or invalid key.
    """
    path = Path(path) if path is not None else CLAIMS_PATH
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = []
    for i, c in enumerate(doc.get("claims", [])):
        cid = c.get("id", f"#{i + 1}")
        for key in ("id", "suite", "statement", "arms", "metric", "decision"):
            if key not in c:
                problems.append(f"{path}: claim {cid}: missing key '{key}'")
        dec = c.get("decision")
        if dec not in ("superiority", "noninferiority", "below", "within", "slope_negative"):
            problems.append(f"{path}: claim {cid}: decision {dec!r} is not a known rule")
        if dec in ("noninferiority", "within") and "margin" not in c:
            problems.append(f"{path}: claim {cid}: decision {dec} needs 'margin'")
        if dec == "below" and "threshold" not in c:
            problems.append(f"{path}: claim {cid}: decision below needs 'threshold'")
        if dec != "within" and not {"a", "b"} <= set(c.get("arms", {})):
            problems.append(f"{path}: claim {cid}: needs arms 'a' and 'b'")
    if problems:
        raise InputError("\n".join(problems))
    return doc


def architectures() -> pl.DataFrame:
    """``arch, category, n_blocks`` of every registered architecture, torch-free.

    Read from ``data/source_models.csv``, which is generated from the model registry
    (``make regenerate``; a test fails when it is stale).
    """
    df = pl.read_csv(paths.source_models_csv(), columns=["arch", "category", "n_blocks"])
    return df.unique("arch", maintain_order=True)


def add_derived_columns(results: pl.DataFrame) -> pl.DataFrame:
    """Add ``category`` (the review's shallow/deep class of ``arch``) when absent."""
    if "category" in results.columns or "arch" not in results.columns:
        return results

    cats = {a["arch"]: a["category"] for a in architectures().iter_rows(named=True)}
    return results.with_columns(
        pl.col("arch").replace_strict(cats, default=None, return_dtype=pl.String).alias("category")
    )


def _select(df: pl.DataFrame, arm: dict) -> pl.DataFrame | None:
    """Rows matching every field of ``arm``; ``None`` if a field is not a column."""
    for field, want in arm.items():
        if field not in df.columns:
            return None
        values = want if isinstance(want, list) else [want]
        df = df.filter(pl.col(field).is_in(values))
    return df


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


def _pairs(c: dict, df: pl.DataFrame) -> tuple[pl.DataFrame | None, int, str]:
    metric = c["metric"]
    keys = [k for k in c.get("pair_on", []) if k in df.columns]
    missing_keys = [k for k in c.get("pair_on", []) if k not in df.columns]
    a = _select(df, c["arms"]["a"])
    b = _select(df, c["arms"]["b"])
    if a is None or b is None or a.height == 0 or b.height == 0:
        return None, 0, "no runs of one or both arms in the results"
    if metric not in df.columns:
        return None, 0, f"metric column '{metric}' absent"
    agg_a = a.group_by(keys).agg(pl.col(metric).mean().alias("a"))
    agg_b = b.group_by(keys).agg(pl.col(metric).mean().alias("b"))
    joined = (
        agg_a.join(agg_b, on=keys, how="inner", nulls_equal=True)
        .drop_nulls(["a", "b"])
        .sort(keys, nulls_last=True)  # a fixed pair order makes the bootstrap reproducible
    )
    unpaired = agg_a.height + agg_b.height - 2 * joined.height
    note = f"paired on {', '.join(keys)}" + (
        f" (fields absent from results: {', '.join(missing_keys)})" if missing_keys else ""
    )
    return joined, unpaired, note


def _verdict_from_ci(dec: str, lo: float, hi: float, margin: float, threshold: float) -> str:
    if dec == "superiority":
        return "supported" if lo > 0 else "contradicted" if hi < 0 else "inconclusive"
    if dec == "noninferiority":
        return "supported" if lo > -margin else "contradicted" if hi < -margin else "inconclusive"
    if dec == "below":
        return (
            "supported"
            if math.exp(hi) < threshold
            else "contradicted"
            if math.exp(lo) > threshold
            else "inconclusive"
        )
    raise ValueError(dec)


def evaluate_claim(c: dict, results: pl.DataFrame, boot: dict) -> dict:
    """Evaluate one claim on ``results`` (see the module docstring); returns one output row."""
    res = add_derived_columns(results)
    if "status" in res.columns:
        res = res.filter(pl.col("status") == "ok")
    level = float(boot.get("level", 0.95))
    row: dict[str, Any] = dict.fromkeys(SCHEMA)
    row.update(
        claim_id=c["id"],
        suite=c["suite"],
        statement=" ".join(str(c["statement"]).split()),
        metric=c["metric"],
        decision=c["decision"],
        scale=c.get("scale", "difference"),
        conf_level=level,
        margin=c.get("margin"),
        threshold=c.get("threshold"),
        n_pairs=0,
        n_unpaired=0,
    )
    for field, values in (c.get("requires") or {}).items():
        have = set(res[field].unique().to_list()) if field in res.columns else set()
        if not set(values) <= have:
            row.update(verdict="not_run", detail=f"needs {field} in {values}; results have "
                       f"{sorted(have) if have else 'none'}")  # fmt: skip
            return row
    if c["decision"] == "within":
        return _evaluate_within(c, res, boot, row)
    joined, unpaired, note = _pairs(c, res)
    if joined is None:
        row.update(verdict="not_run", detail=note)
        return row
    row.update(n_pairs=joined.height, n_unpaired=unpaired,
               mean_a=joined["a"].mean(), mean_b=joined["b"].mean())  # fmt: skip
    if joined.height < MIN_PAIRS:
        row.update(verdict="insufficient_data", detail=f"{joined.height} pairs; {note}")
        return row
    a, b = joined["a"].to_numpy(), joined["b"].to_numpy()
    if row["scale"] == "log_ratio":
        if (a <= 0).any() or (b <= 0).any():
            row.update(verdict="insufficient_data", detail="non-positive values on a log scale")
            return row
        d = np.log(a / b)
    else:
        d = a - b
    if c["decision"] == "slope_negative":
        x = np.log(joined["train_fraction"].to_numpy().astype(float))
        fit = stats.linregress(x, d)
        tq = stats.t.ppf(1 - (1 - level) / 2, len(d) - 2)
        lo, hi = fit.slope - tq * fit.stderr, fit.slope + tq * fit.stderr
        verdict = "supported" if hi < 0 else "contradicted" if lo > 0 else "inconclusive"
        row.update(estimate=float(fit.slope), ci_low=float(lo), ci_high=float(hi),
                   p_wilcoxon=None, verdict=verdict,
                   detail=f"OLS slope of (a - b) on log(train_fraction); {note}")  # fmt: skip
        return row
    lo, hi = bootstrap_mean_ci(d, int(boot["resamples"]), int(boot["seed"]), level)
    p = float(stats.wilcoxon(d).pvalue) if np.any(d != 0) else 1.0
    verdict = _verdict_from_ci(c["decision"], lo, hi, c.get("margin", 0.0),
                               c.get("threshold", 1.0))  # fmt: skip
    est = float(d.mean())
    if row["scale"] == "log_ratio":
        note += "; estimate and CI are geometric-mean ratios a/b"
        est, lo, hi = math.exp(est), math.exp(lo), math.exp(hi)
    row.update(estimate=est, ci_low=lo, ci_high=hi, p_wilcoxon=p, verdict=verdict, detail=note)
    return row


def _evaluate_within(c: dict, res: pl.DataFrame, boot: dict, row: dict) -> dict:
    ref_spec = c["reference"]
    ref = pl.read_csv(Path(__file__).resolve().parents[2] / ref_spec["file"])
    ref = ref.filter(pl.col("method") == ref_spec["method"])
    arm = _select(res, c["arms"]["a"])
    if arm is None or arm.height == 0:
        row.update(verdict="not_run", detail="no runs of the anchor configuration in the results")
        return row
    metric, margin = c["metric"], float(c["margin"])
    level = float(boot.get("level", 0.95))
    parts, verdicts, n = [], [], 0
    for (ds,), g in arm.group_by(c.get("group_by", ["dataset"])):
        hit = ref.filter(pl.col("dataset").str.to_lowercase() == str(ds).lower())
        if hit.height == 0:
            continue
        target = float(hit[ref_spec["column"]][0])
        d = g[metric].drop_nulls().to_numpy() - target
        n += len(d)
        if len(d) < 2:
            verdicts.append("insufficient_data")
            parts.append(f"{ds}: {len(d)} run(s)")
            continue
        lo, hi = bootstrap_mean_ci(d, int(boot["resamples"]), int(boot["seed"]), level)
        m = float(d.mean())
        if abs(m) <= margin:
            verdicts.append("supported")
        elif lo > margin or hi < -margin:
            verdicts.append("contradicted")
        else:
            verdicts.append("inconclusive")
        parts.append(f"{ds}: mean diff {m:+.3f} [{lo:+.3f}, {hi:+.3f}] vs {target:.3f}")
    if not verdicts:
        row.update(verdict="not_run", detail="no data set of the results is in the reference")
        return row
    if "contradicted" in verdicts:
        verdict = "contradicted"
    elif all(v == "supported" for v in verdicts):
        verdict = "supported"
    elif all(v == "insufficient_data" for v in verdicts):
        verdict = "insufficient_data"
    else:
        verdict = "inconclusive"
    row.update(n_pairs=n, verdict=verdict, detail="; ".join(parts))
    return row


def evaluate_claims(
    results: pl.DataFrame, suite: str, claims_path: str | Path | None = None
) -> pl.DataFrame:
    """Evaluate every pre-registered claim of ``suite`` on its tidy results.

    Parameters
    ----------
    results
        Tidy result rows of the suite (``tlreview reproduce collect``); rows with a ``status``
        other than ``ok`` are ignored.
    suite
        ``guideline`` or ``uap`` (the ``suite`` field of the claims).
    claims_path
        Claims file; default ``reproduce/claims/claims.yaml``.

    Returns
    -------
    polars.DataFrame
        One row per claim with the columns of :data:`SCHEMA`.
    """
    doc = load_claims(claims_path)
    boot = doc.get("bootstrap", {"resamples": 10000, "seed": 0, "level": 0.95})
    rows = [evaluate_claim(c, results, boot) for c in doc["claims"] if c["suite"] == suite]
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")
