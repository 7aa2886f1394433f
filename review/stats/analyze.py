"""Run every analysis on a study table and write the tables and figures (``tlreview analyze``).

:func:`run_tables` computes every table (cheap, no plotting); :func:`run_figures` draws the
figures from the same inputs; :func:`analyze` writes both to a folder: each table as CSV and
parquet (numbers unrounded), each figure as PNG, and ``manifest.csv`` listing what was written
(or why a figure was skipped) together with ``config.json`` (the resolved
:class:`AnalysisConfig`).

The meta-analyses pool the headline results the studies report, separately per metric:
accuracy as logit proportions with the test-set size, AUC on the logit scale with the
Hanley-McNeil SE (see :func:`review.stats.meta.effect_sizes` for the assumptions).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import polars as pl

from review.stats import bias, descriptives, disclosure, meta, trends

__all__ = ["AnalysisConfig", "analyze", "expit", "meta_inputs", "run_figures", "run_tables"]


@dataclass(frozen=True)
class AnalysisConfig:
    """Settings of :func:`analyze`.

    Parameters
    ----------
    method
        tau² estimator of the main random-effects model (all five are also tabulated).
    test
        ``knha`` (default: Knapp-Hartung, recommended with few and heterogeneous studies) or
        ``z``.
    level
        Confidence level.
    subgroups
        Columns of the subgroup analyses.
    moderators
        Moderators of the meta-regressions, one model each (``log10_n_images`` is derived).
    metrics
        Reported metrics to pool.
    figures
        Whether :func:`analyze` draws figures.
    """

    method: str = "REML"
    test: str = "knha"
    level: float = 0.95
    subgroups: tuple[str, ...] = ("tl_approach", "model_category", "modality")
    moderators: tuple[str, ...] = ("log10_n_images", "year")
    metrics: tuple[str, ...] = ("accuracy", "auc")
    figures: bool = True

    def __post_init__(self) -> None:
        meta.MetaConfig(self.method, self.test, self.level)


def expit(x: np.ndarray) -> np.ndarray:
    """Inverse logit (to show pooled logits as proportions)."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def meta_inputs(studies: pl.DataFrame, metric: str) -> pl.DataFrame:
    """Effect sizes of one metric with the moderators the analyses use.

    Returns
    -------
    polars.DataFrame
        :func:`review.stats.meta.effect_sizes` plus ``log10_n_images`` and a display column
        ``backbone`` (the best backbone, else the backbones joined by ``;``).
    """
    es = meta.effect_sizes(studies, metric)
    if es.height == 0:
        return es.with_columns(pl.lit(None, dtype=pl.Float64).alias("log10_n_images"),
                               pl.lit(None, dtype=pl.String).alias("backbone"))  # fmt: skip
    return es.with_columns(
        pl.col("n_images").cast(pl.Float64).log10().alias("log10_n_images"),
        pl.coalesce(pl.col("best_backbone"), pl.col("backbones").list.join(";")).alias("backbone"),
    )


def _tag(df: pl.DataFrame, metric: str) -> pl.DataFrame:
    return df.select(pl.lit(metric).alias("metric"), pl.all())


def _empty_tagged(schema: dict) -> pl.DataFrame:
    return pl.DataFrame(schema={"metric": pl.String, **schema})


def run_tables(studies: pl.DataFrame, cfg: AnalysisConfig | None = None) -> dict[str, pl.DataFrame]:
    """Compute every table.

    Parameters
    ----------
    studies
        A loaded study table (may be empty: every table is then empty with its schema).
    cfg
        Settings.

    Returns
    -------
    dict
        Table name -> polars DataFrame (fixed schemas; see the modules for each).
    """
    cfg = cfg or AnalysisConfig()
    out: dict[str, pl.DataFrame] = {}
    out["descriptives"] = descriptives.describe(studies)
    side, gof = descriptives.compare_reported(studies)
    out["reported_comparison"] = side
    out["reported_gof"] = gof
    out["trend_tests"] = trends.trend_tests(studies)
    for var in ("tl_approach", "model_category"):
        out[f"year_shares_{var}"] = trends.year_shares(studies, var)
    out["approach_regression"] = trends.approach_regression(studies, level=cfg.level)
    out["association_tests"] = trends.association_tests(studies)
    out["contingency_modality_approach"] = trends.contingency(studies, "modality")
    out["contingency_region_approach"] = trends.contingency(studies, "anatomical_region")
    # what the table can support (issue 15): primary analysis, bounds, disclosure
    out["primary_trend_tests"] = disclosure.primary_trend_tests(studies)
    out["primary_association_tests"] = disclosure.primary_association_tests(studies)
    out["bounds_shares"] = disclosure.bounds_shares(studies)
    out["bounds_tests"] = disclosure.bounds_tests(studies)
    out["unknown_share"] = disclosure.unknown_share(studies)
    out["unknown_share_tests"] = disclosure.unknown_share_tests(studies)
    out["evidence_mix"] = disclosure.evidence_mix(studies)

    es_all, pooled, sub_g, sub_t, mreg, small, l1o = [], [], [], [], [], [], []
    for metric in cfg.metrics:
        es = meta_inputs(studies, metric)
        es_all.append(es.select("study_id", pl.lit(metric).alias("metric_pooled"), "value",
                                "n_test", "yi", "vi", "scale", "assumption", "tl_approach",
                                "model_category", "modality", "year", "log10_n_images",
                                "backbone"))  # fmt: skip
        if es.height < 2:
            continue
        y, v = es["yi"].to_numpy(), es["vi"].to_numpy()
        pooled.append(_tag(meta.pool(es, methods=meta.METHODS, test=cfg.test, level=cfg.level),
                           metric))  # fmt: skip
        if cfg.test != "z":
            pooled.append(_tag(meta.pool(es, methods=(cfg.method,), test="z", level=cfg.level),
                               metric))  # fmt: skip
        for by in cfg.subgroups:
            g, t = meta.subgroup_analysis(es, by, method=cfg.method, test=cfg.test, level=cfg.level)
            sub_g.append(_tag(g, metric))
            sub_t.append(_tag(t, metric))
        for mod in cfg.moderators:
            r = meta.meta_regression(es, [mod], method=cfg.method, test=cfg.test, level=cfg.level)
            mreg.append(_tag(r.select(pl.lit(mod).alias("moderator"), pl.all()), metric))
        fit = meta.rma(y, v, method=cfg.method, test=cfg.test, level=cfg.level)
        small.append(_tag(bias.small_study_tests(fit), metric))
        l1o.append(_tag(bias.leave_one_out(fit, es["study_id"].to_list()), metric))

    def cat(parts: list[pl.DataFrame], schema: dict) -> pl.DataFrame:
        return pl.concat(parts) if parts else _empty_tagged(schema)

    out["effect_sizes"] = pl.concat(es_all) if es_all else pl.DataFrame()
    out["meta_pooled"] = cat(pooled, meta.POOL_SCHEMA)
    out["meta_subgroups"] = cat(sub_g, meta.SUBGROUP_SCHEMA)
    out["meta_subgroup_tests"] = cat(sub_t, meta.SUBGROUP_TEST_SCHEMA)
    out["meta_regression"] = cat(mreg, {"moderator": pl.String, **meta.METAREG_SCHEMA})
    out["small_study_tests"] = cat(small, bias.BIAS_SCHEMA)
    out["leave_one_out"] = cat(l1o, bias.LEAVE1OUT_SCHEMA)
    return out


def run_figures(studies: pl.DataFrame, cfg: AnalysisConfig | None = None) -> tuple[dict, dict]:
    """Draw every figure that the data allow.

    Returns
    -------
    figures : dict
        Name -> matplotlib Figure.
    skipped : dict
        Name -> reason, for figures that could not be drawn (e.g. too few studies).
    """
    # matplotlib (through review.stats.plots): only when figures are asked for
    from review.stats import plots

    cfg = cfg or AnalysisConfig()
    figs: dict = {}
    skipped: dict[str, str] = {}
    for var in ("tl_approach", "model_category"):
        ys = trends.year_shares(studies, var)
        if ys.height:
            figs[f"trend_{var}"] = plots.trend_plot(ys, title=f"{var} by publication year")
        else:
            skipped[f"trend_{var}"] = "no studies"
    us = disclosure.unknown_share(studies)
    bs = disclosure.bounds_shares(studies)
    for var in ("tl_approach", "model_category"):
        if us.filter(pl.col("variable") == var).height:
            figs[f"unknown_share_{var}"] = plots.unknown_share_plot(us, var)
            figs[f"bounds_{var}"] = plots.bounds_plot(bs, var)
        else:
            skipped[f"unknown_share_{var}"] = skipped[f"bounds_{var}"] = "no studies"
    for var, name in (("modality", "heatmap_modality_approach"),
                      ("anatomical_region", "heatmap_region_approach")):  # fmt: skip
        ct = trends.contingency(studies, var)
        if ct.height:
            figs[name] = plots.heatmap(ct, var, "tl_approach", title=f"{var} x transfer approach")
        else:
            skipped[name] = "no studies"
    for metric in cfg.metrics:
        es = meta_inputs(studies, metric)
        scale = "accuracy" if metric == "accuracy" else "AUC"
        if es.height < 2:
            for f in ("forest", "funnel", "bubble_log10_n_images"):
                skipped[f"{f}_{metric}"] = (
                    f"k = {es.height} < 2 studies report {metric} with n_test"
                )
            continue
        figs[f"forest_{metric}"] = plots.forest_plot(
            es, extra=("backbone", "tl_approach", "n_test"), by="tl_approach",
            method=cfg.method, test=cfg.test, transform=expit, xlabel=scale,
            title=f"Reported {scale} by transfer approach ({cfg.method}, {cfg.test})",
        )  # fmt: skip
        fit = meta.rma(es["yi"].to_numpy(), es["vi"].to_numpy(), method=cfg.method,
                       test=cfg.test, level=cfg.level)  # fmt: skip
        filled = (None, None)
        if fit.k >= 3:
            tf, _ = bias.attempt(bias.trimfill, fit)  # none drawn when it cannot be computed
            if tf is not None:
                filled = (tf.filled_yi, tf.filled_vi)
        figs[f"funnel_{metric}"] = plots.funnel_plot(
            fit, refline=0.0, filled_yi=filled[0], filled_vi=filled[1],
            xlabel=f"logit {scale} (0 = {0.5:.1f})", title=f"Contour-enhanced funnel: {scale}",
        )  # fmt: skip
        d = es.drop_nulls("log10_n_images")
        if d.height >= 3 and d["log10_n_images"].n_unique() >= 2:
            figs[f"bubble_log10_n_images_{metric}"] = plots.bubble_plot(
                d, "log10_n_images", method=cfg.method, test=cfg.test, transform=expit,
                xlabel="log10 images in the data set", ylabel=scale,
            )  # fmt: skip
        else:
            skipped[f"bubble_log10_n_images_{metric}"] = "fewer than 3 studies with n_images"
    return figs, skipped


def _clean_for_parquet(df: pl.DataFrame) -> pl.DataFrame:
    nulls = [c for c, t in df.schema.items() if t == pl.Null]
    return df.with_columns(pl.col(c).cast(pl.String) for c in nulls) if nulls else df


def analyze(studies: pl.DataFrame, out_dir: str | Path, cfg: AnalysisConfig | None = None
            ) -> pl.DataFrame:  # fmt: skip
    """Compute everything and write it to ``out_dir``.

    Parameters
    ----------
    studies
        A loaded study table.
    out_dir
        Folder to write (created if missing; files of the same names are replaced).
    cfg
        Settings.

    Returns
    -------
    polars.DataFrame
        The manifest: ``name, kind, path, rows, note`` (also written as ``manifest.csv``).
    """
    # matplotlib: imported only when a figure is drawn
    import matplotlib.pyplot as plt

    cfg = cfg or AnalysisConfig()
    out = Path(out_dir)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    rows = []
    for name, df in run_tables(studies, cfg).items():
        df = _clean_for_parquet(df)
        csv_df = df.with_columns(pl.col(c).list.join(";") for c, t in df.schema.items()
                                 if isinstance(t, pl.List))  # fmt: skip
        csv_path, pq_path = out / "tables" / f"{name}.csv", out / "tables" / f"{name}.parquet"
        csv_df.write_csv(csv_path)
        df.write_parquet(pq_path)
        rows.append({"name": name, "kind": "table", "path": str(csv_path.relative_to(out)),
                     "rows": df.height, "note": "also .parquet"})  # fmt: skip
    if cfg.figures:
        (out / "figures").mkdir(exist_ok=True)
        figs, skipped = run_figures(studies, cfg)
        for name, fig in figs.items():
            path = out / "figures" / f"{name}.png"
            fig.savefig(path, dpi=120)
            plt.close(fig)
            rows.append({"name": name, "kind": "figure", "path": str(path.relative_to(out)),
                         "rows": None, "note": ""})  # fmt: skip
        for name, why in skipped.items():
            rows.append({"name": name, "kind": "figure", "path": None, "rows": None,
                         "note": f"skipped: {why}"})  # fmt: skip
    manifest = pl.DataFrame(rows, schema={"name": pl.String, "kind": pl.String,
                                          "path": pl.String, "rows": pl.Int64,
                                          "note": pl.String}, orient="row")  # fmt: skip
    manifest.write_csv(out / "manifest.csv")
    conf = asdict(cfg) | {"n_studies": studies.height}
    (out / "config.json").write_text(json.dumps(conf, indent=1) + "\n", encoding="utf-8")
    return manifest
