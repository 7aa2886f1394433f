"""Summaries of attack rows over seeds: one row per configuration with the mean and a t-based
confidence interval (fixed schema ``metric, estimate, ci_low, ci_high, sd, conf_level, n``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl
from scipy import stats

__all__ = ["DEFAULT_BY", "SUMMARY_SCHEMA", "seed_summary"]


#: Output schema of :func:`seed_summary` (after the grouping columns).
SUMMARY_SCHEMA: dict[str, pl.DataType] = {
    "metric": pl.String(),
    "estimate": pl.Float64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
    "sd": pl.Float64(),
    "conf_level": pl.Float64(),
    "n": pl.Int64(),
}


#: Default grouping of :func:`seed_summary`: everything that defines a configuration but a seed.
DEFAULT_BY: tuple[str, ...] = (
    "dataset",
    "resolution",
    "arch",
    "category",
    "source",
    "approach",
    "uap_source",
    "norm",
    "eps_ratio",
    "targeted",
    "target_class",
)


def seed_summary(
    results: pl.DataFrame,
    *,
    metrics: Sequence[str] = ("fooling_rate", "clean_accuracy", "perturbed_accuracy"),
    by: Sequence[str] = DEFAULT_BY,
    level: float = 0.95,
) -> pl.DataFrame:
    """Mean over seeds with a Student-t confidence interval, per configuration and metric.

    Parameters
    ----------
    results
        Tidy attack rows (:data:`reproduce.results.schema.ATTACK_SCHEMA`); rows whose ``status``
        is not ``ok`` are left out.
    metrics
        Metric columns to summarise.
    by
        Grouping columns (those absent from ``results`` are ignored).
    level
        Confidence level.

    Returns
    -------
    polars.DataFrame
        The ``by`` columns, then :data:`SUMMARY_SCHEMA`: ``estimate`` (mean over seeds),
        ``ci_low``/``ci_high`` (``mean +- t_{n-1} * sd / sqrt(n)``; NaN for one seed), ``sd``,
        ``conf_level`` and ``n`` (seeds). Sorted by the grouping columns.
    """
    df = results
    if "status" in df.columns:
        df = df.filter(pl.col("status") == "ok")
    keys = [k for k in by if k in df.columns]
    rows = []
    for metric in metrics:
        if metric not in df.columns or df.height == 0:
            continue
        for key, g in df.group_by(keys, maintain_order=True):
            x = g[metric].drop_nulls().drop_nans().to_numpy().astype(float)
            n = len(x)
            mean = float(x.mean()) if n else float("nan")
            sd = float(x.std(ddof=1)) if n > 1 else float("nan")
            if n > 1:
                half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / np.sqrt(n)
                lo, hi = mean - half, mean + half
            else:
                lo = hi = float("nan")
            rows.append(
                {
                    **dict(zip(keys, key, strict=True)),
                    "metric": metric,
                    "estimate": mean,
                    "ci_low": lo,
                    "ci_high": hi,
                    "sd": sd,
                    "conf_level": level,
                    "n": n,
                }
            )
    schema = {k: df.schema[k] for k in keys} | SUMMARY_SCHEMA
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(rows, schema=schema, orient="row").sort([*keys, "metric"])
