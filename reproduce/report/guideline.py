"""Analysis of the ``guideline`` suite: the tables and figures of the chapter "Does the guideline
hold?".

Everything here takes the tidy result rows of the suite (``results/guideline/results.parquet``,
schema :data:`reproduce.results.schema.RESULT_SCHEMA`) and returns tidy frames or matplotlib
figures; nothing is decided by hand: the verdicts come from
:func:`reproduce.claims.verdicts.evaluate_claims`.

Functions
---------
load_guideline_results
    The committed results (``None`` when none are committed yet), ``ok`` rows, with ``category``.
arm_summary
    Mean test AUC, compute and trainable parameters per configuration (over seeds).
pareto_front
    Marks the configurations no other configuration beats on both accuracy and cost.
learning_curves, transfer_gap
    Test AUC against the training fraction; the paired transfer-minus-scratch gap.
blockwise_curve
    Test AUC against the number of fine-tuned top blocks (0 = feature extractor, all = full).
source_ablation
    One architecture, its weights' source (ImageNet, CIFAR-10, random initialisation).
beside_medmnist_v2, beside_medmnist_plus
    Our numbers beside the published MedMNIST v2 and MedMNIST+ benchmarks.
still_improving, swap_feature_extractor_rows
    Whether training had levelled off; a sensitivity table with other feature-extractor rows.
load, intro, verdicts, ..., gpu_parts
    The sections of ``book/guideline.md``, each returning the blocks it shows: Markdown text,
    tables (:func:`review.output.show_table`), figures with alt text and a caption
    (:func:`review.figures.show_figure`) and claim cards (:func:`review.output.claim_card`).

The provenance files beside the results are written by :mod:`reproduce.results.export`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import polars as pl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter

from reproduce.claims.verdicts import (
    MIN_PAIRS,
    add_derived_columns,
    architectures,
    evaluate_claims,
    load_claims,
)
from reproduce.engine.plan import expand_suite, load_suite, plan_runs
from reproduce.results.schema import CONFIG_KEYS
from review import paths
from review.errors import USER_ERRORS
from review.figures import (
    CONTENT_WIDTH,
    OKABE_ITO,
    FigureHTML,
    forest_plot,
    show_figure,
    verdict_forest_frame,
)
from review.output import Card, Table, claim_card, show_table

__all__ = [
    "APPROACH_LABELS",
    "arm_summary",
    "beside_medmnist_plus",
    "beside_medmnist_v2",
    "blockwise_curve",
    "learning_curves",
    "load_guideline_results",
    "pareto_front",
    "plot_blockwise",
    "plot_learning_curves",
    "plot_pareto",
    "plot_source_ablation",
    "source_ablation",
    "still_improving",
    "swap_feature_extractor_rows",
    "transfer_gap",
]

SUITE = "guideline"

#: Short labels of the review's approaches (figure legends).
APPROACH_LABELS: dict[str, str] = {
    "feature_extractor": "feature extractor",
    "feature_extractor_hybrid": "feature extractor + SVM/RF",
    "fine_tuning": "fine-tune top k blocks",
    "fine_tuning_from_scratch": "fine-tune all layers",
    "scratch": "from scratch",
}


def results_path(results_dir: Path | None = None) -> Path:
    """``results/guideline/results.parquet`` (or the same file under ``results_dir``)."""
    return (results_dir or paths.results_dir() / SUITE) / "results.parquet"


def load_guideline_results(results_dir: Path | None = None) -> pl.DataFrame | None:
    """The committed results of the suite, ``status == ok`` only, with ``category`` added.

    Parameters
    ----------
    results_dir
        Folder of ``results.parquet``; default ``results/guideline``.

    Returns
    -------
    polars.DataFrame or None
        ``None`` when no results are committed (the chapter then says so).
    """

    path = results_path(results_dir)
    if not path.is_file():
        return None
    df = pl.read_parquet(path)
    df = add_derived_columns(df.filter(pl.col("status") == "ok"))
    return df


def _keys(df: pl.DataFrame, keys: Sequence[str]) -> list[str]:
    return [k for k in keys if k in df.columns]


def arm_summary(df: pl.DataFrame, keys: Sequence[str] = CONFIG_KEYS) -> pl.DataFrame:
    """Mean and spread of the test AUC and the cost of each configuration over its seeds.

    Parameters
    ----------
    df
        Tidy result rows.
    keys
        Columns identifying a configuration (those present are used).

    Returns
    -------
    polars.DataFrame
        One row per configuration: the keys, ``n_seeds``, ``auc_mean``, ``auc_sd``,
        ``compute_s_mean``, ``trainable_params`` and ``total_params`` (means, rounded).
    """
    k = _keys(df, keys)
    return (
        df.group_by(k)
        .agg(
            pl.len().alias("n_seeds"),
            pl.col("auc_macro_ovr").mean().alias("auc_mean"),
            pl.col("auc_macro_ovr").std().alias("auc_sd"),
            pl.col("compute_s").mean().alias("compute_s_mean"),
            pl.col("trainable_params").mean().round().cast(pl.Int64).alias("trainable_params"),
            pl.col("total_params").mean().round().cast(pl.Int64).alias("total_params"),
        )
        .sort(k, nulls_last=True)
    )


def pareto_front(
    df: pl.DataFrame, cost: str, value: str = "auc_mean", by: Sequence[str] = ()
) -> pl.DataFrame:
    """Mark the Pareto-optimal rows: no other row of the group costs no more and scores no less,
    with one of the two strictly better.

    Parameters
    ----------
    df
        One row per configuration (e.g. :func:`arm_summary`).
    cost
        Column to minimise (``compute_s_mean``, ``trainable_params``).
    value
        Column to maximise (default ``auc_mean``).
    by
        Columns whose groups get separate fronts (e.g. ``["dataset"]``).

    Returns
    -------
    polars.DataFrame
        ``df`` with a boolean ``on_front`` column (rows with a missing cost or value: ``False``).
    """
    rows = df.with_row_index("_row")
    flags: dict[int, bool] = {}
    groups = rows.group_by(list(by)) if by else [((), rows)]
    for _, g in groups:
        pts = [
            (r["_row"], r[cost], r[value])
            for r in g.iter_rows(named=True)
            if r[cost] is not None
            and r[value] is not None
            and not (isinstance(r[cost], float) and math.isnan(r[cost]))
            and not (isinstance(r[value], float) and math.isnan(r[value]))
        ]
        for i, c, v in pts:
            dominated = any(
                (c2 <= c and v2 >= v) and (c2 < c or v2 > v) for j, c2, v2 in pts if j != i
            )
            flags[i] = not dominated
    return rows.with_columns(
        pl.col("_row")
        .replace_strict(flags, default=False, return_dtype=pl.Boolean)
        .alias("on_front")
    ).drop("_row")


def learning_curves(df: pl.DataFrame) -> pl.DataFrame:
    """Mean test AUC per training fraction, for data sets run at more than one fraction.

    Returns
    -------
    polars.DataFrame
        ``dataset, arch, source, approach, train_fraction, n_train, n_seeds, auc_mean, auc_sd``.
    """
    multi = (
        df.group_by("dataset")
        .agg(pl.col("train_fraction").n_unique().alias("nf"))
        .filter(pl.col("nf") > 1)["dataset"]
    )
    sub = df.filter(pl.col("dataset").is_in(multi.implode()))
    k = ["dataset", "arch", "source", "approach", "train_fraction"]
    return (
        sub.group_by(k)
        .agg(
            pl.col("n_train").mean().alias("n_train"),
            pl.len().alias("n_seeds"),
            pl.col("auc_macro_ovr").mean().alias("auc_mean"),
            pl.col("auc_macro_ovr").std().alias("auc_sd"),
        )
        .sort(k)
    )


def transfer_gap(df: pl.DataFrame) -> pl.DataFrame:
    """Paired gap, fine-tuning all layers from pretrained weights minus training from scratch.

    Pairs share data set, resolution, architecture, training fraction and seed (as claims G4
    and G4b pair them).

    Returns
    -------
    polars.DataFrame
        ``dataset, resolution, arch, train_fraction, seed, auc_transfer, auc_scratch, gap``.
    """
    keys = ["dataset", "resolution", "arch", "train_fraction", "seed"]
    a = (
        df.filter(pl.col("approach") == "fine_tuning_from_scratch")
        .group_by(keys)
        .agg(pl.col("auc_macro_ovr").mean().alias("auc_transfer"))
    )
    b = (
        df.filter(pl.col("approach") == "scratch")
        .group_by(keys)
        .agg(pl.col("auc_macro_ovr").mean().alias("auc_scratch"))
    )
    return (
        a.join(b, on=keys, how="inner")
        .with_columns((pl.col("auc_transfer") - pl.col("auc_scratch")).alias("gap"))
        .sort(keys)
    )


def blockwise_curve(df: pl.DataFrame) -> pl.DataFrame:
    """Test AUC against the number of top blocks trained, per data set and architecture.

    ``feature_extractor`` is 0 blocks, ``fine_tuning`` its ``k_blocks``, and
    ``fine_tuning_from_scratch`` (every layer) the architecture's number of blocks; only
    pretrained sources at the full training fraction are used, and only (data set,
    architecture, source) cells with at least one ``fine_tuning`` run.

    Returns
    -------
    polars.DataFrame
        ``dataset, resolution, arch, source, blocks_trained, n_blocks, approach, n_seeds,
        auc_mean, auc_sd, trainable_params``.
    """

    nblocks = {a["arch"]: a["n_blocks"] for a in architectures().iter_rows(named=True)}
    sub = df.filter(
        pl.col("approach").is_in(["feature_extractor", "fine_tuning", "fine_tuning_from_scratch"])
        & (pl.col("source") != "random")
        & (pl.col("train_fraction") == 1.0)
    ).with_columns(
        pl.col("arch")
        .replace_strict(nblocks, default=None, return_dtype=pl.Int64)
        .alias("n_blocks")
    )
    sub = sub.with_columns(
        pl.when(pl.col("approach") == "feature_extractor")
        .then(0)
        .when(pl.col("approach") == "fine_tuning")
        .then(pl.col("k_blocks"))
        .otherwise(pl.col("n_blocks"))
        .cast(pl.Int64)
        .alias("blocks_trained")
    )
    # only (data set, architecture, source) with a block-wise run: a curve needs inner points
    cell = ["dataset", "arch", "source"]
    with_k = sub.filter(pl.col("approach") == "fine_tuning").select(cell).unique()
    sub = sub.join(with_k, on=cell, how="semi")
    k = ["dataset", "resolution", "arch", "source", "blocks_trained", "n_blocks", "approach"]
    return (
        sub.group_by(k)
        .agg(
            pl.len().alias("n_seeds"),
            pl.col("auc_macro_ovr").mean().alias("auc_mean"),
            pl.col("auc_macro_ovr").std().alias("auc_sd"),
            pl.col("trainable_params").mean().round().cast(pl.Int64).alias("trainable_params"),
        )
        .sort(["dataset", "arch", "source", "blocks_trained"])
    )


def source_ablation(df: pl.DataFrame, arch: str = "efficientnet_lite0") -> pl.DataFrame:
    """Mean test AUC of one architecture by the source of its initial weights.

    ``scratch`` rows are the ``random`` source of ``fine_tuning_from_scratch``'s comparison.

    Returns
    -------
    polars.DataFrame
        ``dataset, resolution, approach, source, n_seeds, auc_mean, auc_sd``, with
        ``approach`` ``scratch`` reported as ``fine_tuning_from_scratch`` from ``random``.
    """
    sub = df.filter(
        (pl.col("arch") == arch)
        & (pl.col("train_fraction") == 1.0)
        & pl.col("approach").is_in(["feature_extractor", "fine_tuning_from_scratch", "scratch"])
    )
    sub = sub.with_columns(
        pl.when(pl.col("approach") == "scratch")
        .then(pl.lit("fine_tuning_from_scratch"))
        .otherwise(pl.col("approach"))
        .alias("approach")
    )
    k = ["dataset", "resolution", "approach", "source"]
    order = {"imagenet": 0, "cifar10": 1, "random": 2}
    return (
        sub.group_by(k)
        .agg(
            pl.len().alias("n_seeds"),
            pl.col("auc_macro_ovr").mean().alias("auc_mean"),
            pl.col("auc_macro_ovr").std().alias("auc_sd"),
        )
        .with_columns(pl.col("source").replace_strict(order, default=9).alias("_o"))
        .sort(["dataset", "approach", "_o"])
        .drop("_o")
    )


def _by_dataset_lower(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(pl.col("dataset").str.to_lowercase().alias("_ds"))


def beside_medmnist_v2(df: pl.DataFrame, reported: pl.DataFrame | None = None) -> pl.DataFrame:
    """Our from-scratch test AUC beside MedMNIST v2's ResNet-18/50 (28 and 224) numbers.

    Parameters
    ----------
    df
        Tidy result rows.
    reported
        ``data/reported/medmnist_v2.csv`` (read when ``None``).

    Returns
    -------
    polars.DataFrame
        Per data set present in both: ``dataset, ours`` (arch @ resolution, epochs),
        ``our_auc_mean, n_seeds, v2_method, v2_test_auc``; one row per (our configuration,
        v2 method).
    """
    if reported is None:
        reported = pl.read_csv(paths.reported_dir() / "medmnist_v2.csv")
    v2 = _by_dataset_lower(reported.filter(pl.col("method").str.starts_with("ResNet")))
    ours = (
        df.filter((pl.col("approach") == "scratch") & (pl.col("train_fraction") == 1.0))
        .group_by("dataset", "arch", "resolution", "epochs")
        .agg(pl.len().alias("n_seeds"), pl.col("auc_macro_ovr").mean().alias("our_auc_mean"))
        .with_columns(
            pl.format("{} @ {} px, {} epochs", "arch", "resolution", "epochs").alias("ours")
        )
    )
    out = _by_dataset_lower(ours).join(
        v2.select(
            "_ds", pl.col("method").alias("v2_method"), pl.col("test_auc").alias("v2_test_auc")
        ),
        on="_ds",
        how="inner",
    )
    return out.select(
        "dataset", "ours", "our_auc_mean", "n_seeds", "v2_method", "v2_test_auc"
    ).sort("dataset", "ours", "v2_method")


#: Our approach -> MedMNIST+'s training scheme.
PLUS_SCHEMES = {"fine_tuning_from_scratch": "end_to_end", "feature_extractor": "linear_probe"}


def beside_medmnist_plus(df: pl.DataFrame, reported: pl.DataFrame | None = None) -> pl.DataFrame:
    """Our transfer test AUC beside MedMNIST+'s (end-to-end fine-tuning, linear probing).

    Full fine-tuning from ImageNet weights is set beside MedMNIST+'s ``end_to_end`` rows and the
    frozen feature extractor beside its ``linear_probe`` rows, per data set present in both.

    Parameters
    ----------
    df
        Tidy result rows.
    reported
        ``data/reported/medmnist_plus.csv`` (read when ``None``); AUC in percent there.

    Returns
    -------
    polars.DataFrame
        ``dataset, scheme, ours, our_auc_mean, n_seeds, plus_model, plus_resolution,
        plus_test_auc``.
    """
    if reported is None:
        reported = pl.read_csv(paths.reported_dir() / "medmnist_plus.csv")
    plus = _by_dataset_lower(reported).select(
        "_ds",
        "scheme",
        pl.col("model").alias("plus_model"),
        pl.col("resolution").alias("plus_resolution"),
        (pl.col("test_auc_pct") / 100).alias("plus_test_auc"),
    )
    ours = (
        df.filter(
            pl.col("approach").is_in(list(PLUS_SCHEMES))
            & (pl.col("source") == "imagenet")
            & (pl.col("train_fraction") == 1.0)
        )
        .group_by("dataset", "approach", "arch", "resolution", "epochs")
        .agg(pl.len().alias("n_seeds"), pl.col("auc_macro_ovr").mean().alias("our_auc_mean"))
        .with_columns(
            pl.col("approach").replace_strict(PLUS_SCHEMES).alias("scheme"),
            pl.format("{} @ {} px, {} epochs", "arch", "resolution", "epochs").alias("ours"),
        )
    )
    out = _by_dataset_lower(ours).join(plus, on=["_ds", "scheme"], how="inner")
    return out.select(
        "dataset",
        "scheme",
        "ours",
        "our_auc_mean",
        "n_seeds",
        "plus_model",
        "plus_resolution",
        "plus_test_auc",
    ).sort("dataset", "scheme", "ours", "plus_model", "plus_resolution")


def still_improving(df: pl.DataFrame) -> pl.DataFrame:
    """How often the best validation epoch was the last one (training had not levelled off).

    Returns
    -------
    polars.DataFrame
        Per ``approach, arch, epochs``: ``n_runs`` and ``share_best_is_last`` (the hybrid, which
        has no epochs, is left out).
    """
    sub = df.filter(pl.col("best_epoch").is_not_null())
    return (
        sub.group_by("approach", "arch", "epochs")
        .agg(
            pl.len().alias("n_runs"),
            (pl.col("best_epoch") == pl.col("epochs")).mean().alias("share_best_is_last"),
        )
        .sort("approach", "arch", "epochs")
    )


def swap_feature_extractor_rows(df: pl.DataFrame, replacement: pl.DataFrame) -> pl.DataFrame:
    """``df`` with its ``feature_extractor`` rows replaced by those of ``replacement``.

    For a sensitivity analysis (e.g. the same feature extractors with longer-trained heads);
    columns of ``df`` absent from ``replacement`` are filled with nulls.

    Raises
    ------
    ValueError
        ``replacement`` holds rows of another approach.
    """
    other = set(replacement["approach"].unique().to_list()) - {"feature_extractor"}
    if other:
        raise ValueError(f"replacement rows must all be feature_extractor, not {sorted(other)}")
    keep = df.filter(pl.col("approach") != "feature_extractor")
    rep = replacement.select([c for c in df.columns if c in replacement.columns])
    return pl.concat([keep, rep], how="diagonal_relaxed")


# ------------------------------------------------------------------------------- figures
def _ax_grid(n: int, height: float = 3.2) -> tuple[Figure, list[Axes]]:
    """Panels filling the book's content column: two per row (about 380 px each), or one."""
    cols = 1 if n == 1 else 2
    rows = max(1, math.ceil(n / cols))
    fig, axes = plt.subplots(
        rows, cols, figsize=(CONTENT_WIDTH, height * rows), squeeze=False, layout="constrained"
    )
    flat = [ax for r in axes for ax in r]
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat


def plot_pareto(summary: pl.DataFrame, cost: str, xlabel: str, log_x: bool = True) -> Figure | None:
    """Test AUC against ``cost`` per data set, every configuration a point, the front a line.

    Parameters
    ----------
    summary
        :func:`pareto_front` output (per data set), with ``approach``, ``arch``, ``auc_mean``.
    cost
        Cost column.
    xlabel
        Axis label.
    log_x
        Log-scale the cost axis (zero costs are drawn at the smallest positive one / 2).

    Returns
    -------
    matplotlib.figure.Figure
    """
    datasets = sorted(summary["dataset"].unique().to_list())
    fig, axes = _ax_grid(len(datasets))
    markers = {"squeezenet1_1": "o", "efficientnet_lite0": "s"}
    colors = dict(zip(APPROACH_LABELS, OKABE_ITO, strict=False))
    pos = summary.filter(pl.col(cost) > 0)[cost]
    floor = float(pos.min()) / 2 if len(pos) else 1.0
    for ax, ds in zip(axes, datasets, strict=False):
        g = summary.filter(pl.col("dataset") == ds)
        for r in g.iter_rows(named=True):
            x = r[cost] if r[cost] and r[cost] > 0 else floor
            ax.scatter(
                x,
                r["auc_mean"],
                marker=markers.get(r["arch"], "^"),
                color=colors.get(r["approach"], "k"),
                edgecolor="k" if r["on_front"] else "none",
                s=60 if r["on_front"] else 34,
                alpha=0.9,
            )
        front = g.filter(pl.col("on_front")).sort(cost)
        xs = [c if c and c > 0 else floor for c in front[cost].to_list()]
        ax.step(xs, front["auc_mean"].to_list(), where="post", color="k", lw=1, alpha=0.6)
        if log_x:
            ax.set_xscale("log")
            ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_title(ds)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("test AUC (mean over seeds)")
    handles = [
        Line2D([], [], ls="", marker="o", color=c, label=APPROACH_LABELS[a])
        for a, c in colors.items()
        if a in set(summary["approach"].to_list())
    ] + [
        Line2D([], [], ls="", marker=m, color="grey", label=a)
        for a, m in markers.items()
        if a in set(summary["arch"].to_list())
    ]
    handles.append(Line2D([], [], color="k", lw=1, label="Pareto front (outlined points)"))
    if len(datasets) % 2 == 1 and len(datasets) > 1:  # the empty last panel holds the legend
        axes[len(datasets)].set_visible(True)
        axes[len(datasets)].axis("off")
        axes[len(datasets)].legend(handles=handles, loc="center", frameon=False)
    else:
        fig.legend(handles=handles, loc="outside lower center", ncol=2, frameon=False)
    return fig


def _curve_panels(panels: Sequence[tuple[str, pl.DataFrame]], x: str, series: Sequence[str],
                  label: Any, xlabel: str, log_x: bool = False) -> Figure:  # fmt: skip
    """One panel per ``(title, rows)``: mean test AUC +- SD against ``x``, a line per series."""
    fig, axes = _ax_grid(max(1, len(panels)))
    for ax, (title, g) in zip(axes, panels, strict=False):
        for key, h in g.group_by(*series, maintain_order=True):
            h = h.sort(x)
            ax.errorbar(h[x].to_list(), h["auc_mean"].to_list(),
                        yerr=h["auc_sd"].fill_null(0).to_list(), marker="o", capsize=2,
                        label=label(*key))  # fmt: skip
        if log_x:
            ax.set_xscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("test AUC (mean ± SD)")
        ax.set_title(title)
    seen: dict[str, Any] = {}  # one legend under the panels (the series repeat across them)
    for ax in fig.axes:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            seen.setdefault(lab, h)
    fig.legend(list(seen.values()), list(seen), loc="outside lower center", ncol=2,
               frameon=False)  # fmt: skip
    return fig


def plot_learning_curves(curves: pl.DataFrame) -> Figure | None:
    """Test AUC against the training fraction (log axis), one panel per data set and arch."""
    keys = curves.select("dataset", "arch").unique().sort("dataset", "arch").rows()
    panels = [(f"{ds}, {arch}", curves.filter((pl.col("dataset") == ds) & (pl.col("arch") == arch)))
              for ds, arch in keys]  # fmt: skip
    return _curve_panels(panels, "train_fraction", ("approach", "source"),
                         lambda a, s: f"{APPROACH_LABELS.get(a, a)} ({s})",
                         "training fraction (log scale)", log_x=True)  # fmt: skip


def plot_blockwise(curve: pl.DataFrame) -> Figure | None:
    """Test AUC against the number of top blocks trained, one panel per architecture."""
    archs = sorted(curve["arch"].unique().to_list())
    fig = _curve_panels([(a, curve.filter(pl.col("arch") == a)) for a in archs],
                        "blocks_trained", ("dataset", "source"), lambda d, s: f"{d} ({s})",
                        "top blocks trained")  # fmt: skip
    for ax, arch in zip(fig.axes, archs, strict=False):
        n = curve.filter(pl.col("arch") == arch)["n_blocks"].max()
        ax.set_xticks(range(0, int(n) + 1) if n else [])
    return fig


def plot_source_ablation(ablation: pl.DataFrame) -> Figure | None:
    """Grouped bars: test AUC by data set and source, one panel per approach."""
    approaches = sorted(ablation["approach"].unique().to_list())
    fig, axes = _ax_grid(max(1, len(approaches)))
    sources = ["imagenet", "cifar10", "random"]
    for ax, approach in zip(axes, approaches, strict=False):
        g = ablation.filter(pl.col("approach") == approach)
        datasets = sorted(g["dataset"].unique().to_list())
        x = np.arange(len(datasets))
        present = [s for s in sources if s in set(g["source"].to_list())]
        w = 0.8 / max(1, len(present))
        for i, s in enumerate(present):
            vals, errs = [], []
            for ds in datasets:
                h = g.filter((pl.col("dataset") == ds) & (pl.col("source") == s))
                vals.append(h["auc_mean"][0] if h.height else np.nan)
                errs.append((h["auc_sd"][0] or 0) if h.height else 0)
            ax.bar(x + (i - (len(present) - 1) / 2) * w, vals, w, yerr=errs, capsize=2, label=s)
        ax.set_xticks(x, datasets)
        ax.set_ylim(0.4, 1.0)
        ax.set_ylabel("test AUC (mean ± SD)")
        ax.set_title(APPROACH_LABELS.get(approach, approach))
        ax.legend()
    return fig


# ------------------------------------------------------------------------------- export
# ============================================================================ book sections
# Each section of book/guideline.md is one function returning the blocks it shows (Markdown,
# tables, figures), so the page only calls them (reproduce.report.show.show).


@dataclass(frozen=True)
class GuidelineResults:
    """The committed ``results/guideline`` folder: rows, environment, pretraining records."""

    folder: Path
    rows: pl.DataFrame | None
    env: dict[str, Any] | None
    pretrain: list[dict[str, Any]]

    @property
    def have(self) -> bool:
        """Whether any result row is committed."""
        return self.rows is not None and self.rows.height > 0


def load(results_dir: Path | None = None) -> GuidelineResults:
    """Read ``results/guideline`` (rows ``None`` when nothing is committed)."""
    folder = results_dir or results_path().parent
    env_f, pre_f = folder / "env.json", folder / "pretrain_cifar10.json"
    return GuidelineResults(
        folder,
        load_guideline_results(folder),
        json.loads(env_f.read_text()) if env_f.is_file() else None,
        json.loads(pre_f.read_text()) if pre_f.is_file() else [],
    )


_NO_RESULTS = "*No results yet.*"


def _join(xs: Sequence[Any]) -> str:
    return ", ".join(str(x) for x in xs)


def gpu_profile_summary() -> str:
    """What the ``gpu`` profile runs, read from the suite file (runs, epochs by size, seeds)."""
    cfgs = expand_suite(load_suite(SUITE), "gpu")
    by_res: dict[int, set[int]] = {}
    for c in cfgs:
        if c.approach != "feature_extractor_hybrid":  # the hybrid trains no network: no epochs
            by_res.setdefault(int(c.resolution or 0), set()).add(c.epochs)
    epochs = "; ".join(f"{r} px: {_join(sorted(e))}" for r, e in sorted(by_res.items()))
    seeds = max(len({c.seed for c in cfgs if c.dataset == d}) for d in {c.dataset for c in cfgs})
    return (
        f"{len(cfgs)} runs on {_join(sorted({c.dataset for c in cfgs}))}; epochs by input size "
        f"({epochs}); up to {seeds} seeds; architectures {_join(sorted({c.arch for c in cfgs}))}"
    )


def intro(r: GuidelineResults) -> list[str]:
    """Which results these are, and what the ``gpu`` profile would add."""
    if not r.have:
        return [
            "**No results yet.** `results/guideline/results.parquet` is not committed, so every "
            "claim below is *not run*. The page fills in once `tlreview reproduce collect "
            "guideline` has written the results."
        ]
    df, env = r.rows, r.env or {}
    kind = env.get("hardware", {}).get("kind", "unknown hardware")
    profile = env.get("profile", "?")
    if kind != "CPU":
        return [f"> Results of the `{profile}` profile on {kind}: {df.height} runs."]
    nets = df.filter(pl.col("approach") != "feature_extractor_hybrid")  # the hybrid has none
    runs_env = (env.get("run_environments") or [{}])[0]
    return [
        f"> **These are `{profile}`-profile results on a CPU: a reduced grid.** "
        f"{df.height} runs on {_join(sorted(df['dataset'].unique()))}; architectures "
        f"{_join(sorted(df['arch'].unique()))}; {_join(sorted(df['resolution'].unique()))} px; "
        f"{_join(sorted(nets['epochs'].unique()))} epochs; {df['seed'].n_unique()} seeds; "
        f"{runs_env.get('cpu_count', '?')} shared CPU cores, {runs_env.get('torch_threads', '?')} "
        "torch thread(s). Short training favours approaches that converge fast (frozen "
        "features, pretrained weights), so the effects below are for this budget, not for "
        "converged models.\n>\n"
        f"> **What the `gpu` profile adds** (in named parts listed at the end of this page): "
        f"{gpu_profile_summary()}; compute times are then GPU seconds."
    ]


#: Where the page's numbers come from (printed under every table).
_SRC = "results/guideline/results.parquet"
#: One block of a section: Markdown text, a table, a figure or a claim card.
Block = str | Table | FigureHTML | Card


_AUC_LABELS = {"auc_mean": "test AUC (mean)", "auc_sd": "SD", "n_seeds": "seeds",
               "arch": "architecture", "k_blocks": "top blocks trained"}  # fmt: skip


#: Metric codes of the claims in words (table cells).
_METRIC_WORDS = {"auc_macro_ovr": "test AUC", "compute_s": "compute time"}


def _table(df: pl.DataFrame, caption: str, source: str = _SRC, **kw: Any) -> Table:
    """:func:`review.output.show_table` with this page's defaults (codes in words)."""
    for col, names in (("approach", APPROACH_LABELS), ("metric", _METRIC_WORDS)):
        if col in df.columns:
            df = df.with_columns(pl.col(col).replace(names))
    words = [c for c in ("source", "verdict", "decision") if c in df.columns]
    return show_table(df, caption, source=source, as_words=kw.pop("as_words", words), **kw)


def verdicts(r: GuidelineResults) -> list[Block]:
    """Every claim at a glance (forest plot, table), then one card per claim with its arms."""
    claims = {c["id"]: c for c in load_claims()["claims"] if c["suite"] == SUITE}
    v = evaluate_claims(r.rows if r.have else pl.DataFrame(), SUITE)
    src = f"reproduce.claims.verdicts.evaluate_claims({_SRC})"
    out: list[Block] = []
    if v["estimate"].is_not_null().any():
        fr = verdict_forest_frame(v, {k: k.split("_")[0] for k in v["claim_id"]})
        out.append(show_figure(
            forest_plot(fr),
            alt="Forest plot of the pilot's guideline claims: one row per claim with its "
                "estimate, 95 % confidence interval and verdict colour, in panels by scale "
                "(AUC difference, compute-time ratio, slope); claims without an estimate are "
                "written out as not run or insufficient data.",
            caption="The pilot's verdicts at a glance. Each marker is a claim's estimate with "
                    "its 95 % bootstrap CI, coloured by verdict; the solid line is no effect, "
                    "dashed ticks the pre-registered margin or ratio threshold. Look for "
                    "intervals that cross the solid line (inconclusive).",
        ))  # fmt: skip
    out.append(_table(
        v.select("claim_id", "verdict", "n_pairs", "estimate", "ci_low", "ci_high",
                 "p_wilcoxon", "metric", "decision"),
        "Every pilot claim: its verdict, the number of pairs and the estimate (a − b; G1b a "
        "ratio a / b; G4b a slope) with its bootstrap CI and Wilcoxon p.",
        source=src, labels={"claim_id": "claim", "n_pairs": "pairs", "p_wilcoxon": "Wilcoxon p"},
        note="A dash: no estimate (the claim did not run or had too few pairs).",
    ))  # fmt: skip
    out += [claim_card(row, claims.get(row["claim_id"])) for row in v.to_dicts()]
    return out


def method_note() -> str:
    """How a verdict's estimate and interval are made, with the settings of the claims file."""
    boot = load_claims()["bootstrap"]
    return (
        "The estimate is the mean over pairs of arm a minus arm b (test AUC, macro "
        f"one-vs-rest), with a percentile bootstrap {boot['level']:.0%} CI over pairs "
        f"({boot['resamples']:,} resamples, seed {boot['seed']}) and the Wilcoxon signed-rank p "
        "beside it; for G1b it is the geometric-mean ratio of compute times; for G4b the OLS "
        "slope of the paired gap on log(training fraction). A claim with fewer than "
        f"{MIN_PAIRS} pairs is *insufficient data*."
    )


def blocks_note(r: GuidelineResults) -> str:
    """What the block counts of the block-wise figure mean, per architecture in the results."""
    archs = sorted(r.rows["arch"].unique()) if r.have else []
    table = architectures().filter(pl.col("arch").is_in(archs))
    counts = ", ".join(f"{a} {n}" for a, n in table.select("arch", "n_blocks").rows())
    return (
        "Test AUC against the number of top blocks trained: 0 is the frozen feature extractor, "
        f"the largest number ({counts or 'per architecture'}) is every layer (fine-tuning from "
        "the pretrained weights). Each architecture's blocks are listed in its registry entry "
        "(`tlreview reproduce models`)."
    )


def convergence(r: GuidelineResults) -> list[Block]:
    """Share of runs whose best epoch is the last (still improving)."""
    if not r.have:
        return [_NO_RESULTS]
    return [_table(still_improving(r.rows), "Runs whose best validation epoch was their last "
                   "one, by approach, architecture and epoch budget (the hybrid has no epochs).",
                   labels={**_AUC_LABELS, "n_runs": "runs",
                           "share_best_is_last": "best epoch is the last"},
                   percent=["share_best_is_last"])]  # fmt: skip


#: The claims the long-head sensitivity analysis re-decides.
SENSITIVE_CLAIMS = ("G1_deep_fe_noninferior", "G1b_deep_fe_cheaper", "G2_deep_beats_shallow_fe")


def head_sensitivity(r: GuidelineResults) -> list[Block]:
    """The FE claims re-decided with the long-head feature-extractor rows (not pre-registered)."""
    long_f = r.folder / "fe_long" / "results.parquet"
    if not r.have or not long_f.is_file():
        return []
    df = r.rows
    long = load_guideline_results(r.folder / "fe_long")
    e_short = df.filter(pl.col("approach") == "feature_extractor")["epochs"].unique().to_list()
    keep = pl.col("claim_id").is_in(list(SENSITIVE_CLAIMS))
    sens = evaluate_claims(swap_feature_extractor_rows(df, long), SUITE).filter(keep)
    reg = evaluate_claims(df, SUITE).filter(keep)
    both = reg.select(
        "claim_id",
        pl.col("verdict").alias("registered_verdict"),
        pl.col("estimate").alias("registered_estimate"),
    ).join(
        sens.select(
            "claim_id",
            pl.col("verdict").alias("long_head_verdict"),
            pl.col("estimate").alias("long_head_estimate"),
            "ci_low",
            "ci_high",
            "n_pairs",
        ),
        on="claim_id",
    )
    return [
        "**Sensitivity analysis (not pre-registered).** The feature extractors' linear heads "
        f"trained for {_join(e_short)} epochs, the same budget as the networks, and were still "
        f"improving. The same feature extractors were rerun with "
        f"{_join(long['epochs'].unique().to_list())} epochs for the head (profile "
        f"`cpu_fe_long`, {long.height} runs, seconds each: the head trains on the extracted "
        "features). Below, the registered rules applied to the results with those rows in place "
        "of the short-head ones. This table does not replace the verdicts above; it says how "
        "much they depend on the head's budget.",
        _table(both, "The feature-extractor claims with the registered (short) heads and with "
               "the long heads; the CI and pairs are those of the long-head analysis.",
               source=f"{_SRC} with results/guideline/fe_long/results.parquet",
               as_words=["registered_verdict", "long_head_verdict"],
               labels={"claim_id": "claim", "n_pairs": "pairs",
                       "ci": "Long head 95 % CI"}),
    ]  # fmt: skip


_PARETO_COLS = ("dataset", "arch", "source", "approach", "k_blocks", "n_seeds", "auc_mean",
                "compute_s_mean", "trainable_params")  # fmt: skip


def pareto(r: GuidelineResults) -> list[Block]:
    """AUC against compute and against trainable parameters, with the Pareto fronts."""
    if not r.have:
        return [_NO_RESULTS]
    unit = "CPU" if (r.env or {}).get("hardware", {}).get("kind") == "CPU" else "GPU"
    full = arm_summary(r.rows).filter(
        (pl.col("train_fraction") == 1.0) & (pl.col("source") != "cifar10")
    )
    fc = pareto_front(full, "compute_s_mean", by=["dataset"])
    fp = pareto_front(full, "trainable_params", by=["dataset"])
    look = ("Look at which colours sit on the front (outlined points, black line) in each "
            "panel: those approaches give the best AUC for their cost.")  # fmt: skip
    return [
        show_figure(plot_pareto(fc, "compute_s_mean", f"compute seconds ({unit}, log scale)"),
                    alt="Scatter plots, one per data set, of mean test AUC against compute "
                        "seconds (log scale) for every configuration, coloured by approach, "
                        "marker by architecture, with the Pareto front as a step line.",
                    caption=f"Accuracy against compute per data set. {look}"),
        show_figure(plot_pareto(fp, "trainable_params", "trainable parameters (log scale)"),
                    alt="The same configurations, mean test AUC against the number of "
                        "trainable parameters (log scale); the hybrid, training none, sits at "
                        "the left edge.",
                    caption=f"Accuracy against trainable parameters per data set. {look}"),
        _table(fc.filter(pl.col("on_front")).select(_PARETO_COLS).sort("dataset",
                                                                         "compute_s_mean"),
               "The Pareto-optimal configurations of each data set (accuracy against compute).",
               labels={**_AUC_LABELS, "compute_s_mean": f"compute s ({unit}, mean)"}),
    ]  # fmt: skip


def data_size(r: GuidelineResults) -> list[Block]:
    """Learning curves and the paired transfer-minus-scratch gap per training fraction."""
    curves = learning_curves(r.rows) if r.have else pl.DataFrame()
    if not curves.height:
        return ["*No learning curves in the results yet.*"]
    gap = transfer_gap(r.rows).filter(pl.col("dataset").is_in(curves["dataset"].unique().implode()))
    table = gap.group_by("dataset", "arch", "train_fraction").agg(
        pl.len().alias("n_seeds"), pl.col("gap").mean().alias("gap_mean"),
        pl.col("gap").min().alias("gap_min"), pl.col("gap").max().alias("gap_max"),
    ).sort("dataset", "arch", "train_fraction")  # fmt: skip
    return [
        show_figure(plot_learning_curves(curves),
                    alt="Learning curves: mean test AUC (± SD over seeds) against the training "
                        "fraction on a log axis, one panel per data set and architecture, a "
                        "line per approach and weight source.",
                    caption="Test AUC against the share of the training set used. Look at "
                            "whether the transfer lines stay above the from-scratch line as "
                            "the fraction shrinks (left)."),
        _table(table, "Paired gap in test AUC, fine-tuning all layers minus training from "
               "scratch, per data set, architecture and training fraction (over seeds).",
               labels={**_AUC_LABELS, "gap_mean": "mean gap", "gap_min": "smallest gap",
                       "gap_max": "largest gap"}),
        "The number of epochs is fixed across fractions, so a smaller fraction also means fewer "
        "optimisation steps. Claim G4b's slope is fitted within data sets (each its own "
        "intercept), so only data sets with a learning curve inform it; the first committed "
        "verdict fitted one line across data sets, where pairs run only at the full training "
        "set sat at log(1) = 0.",
    ]  # fmt: skip


def blockwise(r: GuidelineResults) -> list[Block]:
    """Test AUC against the number of blocks fine-tuned."""
    curve = blockwise_curve(r.rows) if r.have else pl.DataFrame()
    if not curve.height:
        return ["*No block-wise runs in the results yet.*"]
    cols = ("dataset", "arch", "source", "blocks_trained", "n_blocks", "n_seeds", "auc_mean",
            "auc_sd", "trainable_params")  # fmt: skip
    return [
        show_figure(plot_blockwise(curve),
                    alt="Mean test AUC (± SD over seeds) against the number of top blocks "
                        "trained, one panel per architecture, a line per data set and source.",
                    caption="Block-wise fine-tuning. Look at whether AUC rises from 0 blocks "
                            "(frozen features) towards all blocks, and where it levels off."),
        _table(curve.select(cols), "Test AUC by the number of top blocks trained.",
               labels={**_AUC_LABELS, "blocks_trained": "blocks trained",
                       "n_blocks": "blocks in all"}),
    ]  # fmt: skip


def source(r: GuidelineResults) -> list[Block]:
    """The source ablation (ImageNet / CIFAR-10 / random) and each CIFAR-10 pretraining."""
    ab = source_ablation(r.rows) if r.have else pl.DataFrame()
    if ab.height and ab["source"].n_unique() > 1:
        out: list[Block] = [
            show_figure(plot_source_ablation(ab),
                        alt="Grouped bars of mean test AUC (± SD) by data set, one bar per "
                            "weight source (ImageNet, CIFAR-10, random), one panel per approach.",
                        caption="Source ablation of EfficientNet-Lite0. Look at the gap between "
                                "the ImageNet and the CIFAR-10 bars, and between either and "
                                "random initialisation."),
            _table(ab, "Test AUC of EfficientNet-Lite0 by weight source, approach and data set.",
                   labels=_AUC_LABELS),
        ]  # fmt: skip
    else:
        out = ["*No source ablation in the results yet.*"]
    for p in r.pretrain:
        rc = p["recipe"]
        out.append(
            f"**CIFAR-10 pretraining of {p['arch']}**: test accuracy "
            f"**{p['test_accuracy']:.3f}** on the official test images, after {rc['epochs']} "
            f"epochs on {rc.get('n_train', 'all')} training images (fraction "
            f"{rc.get('train_fraction', 1.0)}) at {rc['resolution']} px, {rc['optimizer']} lr "
            f"{rc['lr']}, batch {rc['batch_size']}, on {rc['device']} "
            f"({rc['train_seconds']:.0f} s). "
            + (
                "A short CPU recipe: this checkpoint is a weak CIFAR-10 model, and the ablation "
                "measures *this* pretraining, not a converged one."
                if rc["device"] == "cpu"
                else ""
            )
        )
    return out


def published(r: GuidelineResults) -> list[Block]:
    """The results beside MedMNIST v2 and MedMNIST+."""
    if not r.have:
        return [_NO_RESULTS]
    return [
        _table(beside_medmnist_v2(r.rows), "Our models trained from scratch beside MedMNIST "
               "v2's ResNets (test AUC).", source=f"{_SRC}; data/reported (MedMNIST v2)",
               labels=_AUC_LABELS),
        _table(beside_medmnist_plus(r.rows), "Our transfer results beside MedMNIST+ (test AUC "
               "as a fraction).", source=f"{_SRC}; data/reported (MedMNIST+)",
               labels=_AUC_LABELS),
    ]  # fmt: skip


_ENV_KEYS = ("runs", "python", "torch", "torchvision", "timm", "scikit_learn", "numpy",
             "torch_threads", "cpu_count", "device", "gpu_name", "git_sha",
             "code_version")  # fmt: skip


def provenance(r: GuidelineResults) -> list[Block]:
    """Hardware, run counts, software of the runs, commands and notes (from ``env.json``)."""
    if not r.have:
        return [_NO_RESULTS]
    if not r.env:
        return ["*`results/guideline/env.json` is missing.*"]
    env, hw = r.env, r.env["hardware"]
    counts = ", ".join(f"{k}: {v}" for k, v in env["status_counts"].items())
    soft = pl.DataFrame([{k: e.get(k) for k in _ENV_KEYS if k in e}
                         for e in env["run_environments"]])  # fmt: skip
    return [
        f"**Hardware**: {hw['kind']} ({hw.get('cpu_model') or 'model not recorded'}, "
        f"{hw.get('machine')}). {hw.get('note', '')}.  \n"
        f"**Runs**: {env['n_runs']} ({counts}), finished {env['first_finished_utc']} to "
        f"{env['last_finished_utc']}.",
        _table(soft, "Software of the runs, one row per distinct environment.",
               source="results/guideline/env.json", as_words=[],
               labels={"scikit_learn": "scikit-learn", "git_sha": "git SHA"}),
        "**Commands**\n\n```\n" + "\n".join(env["commands"]) + "\n```",
        *[f"- {note}" for note in env.get("notes", [])],
    ]  # fmt: skip


def gpu_parts(r: GuidelineResults) -> Table:
    """Each named part of the ``gpu`` profile: description, runs, done, remaining."""
    suite = load_suite(SUITE)
    done = set(r.rows["run_id"].to_list()) if r.have else set()
    rows = []
    for name, body in suite.profiles.items():
        if not name.startswith("gpu_"):
            continue
        configs = expand_suite(suite, name)
        try:
            ids = [p.run_id for p in plan_runs(configs)]
        except USER_ERRORS:  # data sets absent on this machine: count configurations only
            ids = [None] * len(configs)
        rows.append(
            {
                "part": name,
                "description": " ".join(str(body.get("description", "")).split()),
                "runs": len(ids),
                "done": sum(i in done for i in ids if i),
            }
        )
    df = pl.DataFrame(rows).with_columns((pl.col("runs") - pl.col("done")).alias("remaining"))
    return _table(
        df,
        "The named parts of the gpu profile: runs in each, already done, left.",
        source="reproduce/suites/guideline.yaml; " + _SRC,
        as_words=[],
    )
