"""Figures of the statistics (matplotlib and seaborn; every function returns a Figure).

* :func:`forest_plot`: one row per study with extra study columns (e.g. backbone, approach,
  n), optional subgroup blocks each closed by its pooled diamond, and the overall diamond.
* :func:`funnel_plot`: contour-enhanced funnel plot (Peters et al. 2008): shaded regions where
  a study would be significant at 10%, 5% and 1% against ``refline``, with the pooled
  estimate and, optionally, the studies filled in by trim-and-fill.
* :func:`bubble_plot`: meta-regression on one moderator, bubble area proportional to weight.
* :func:`trend_plot`: studies per year by level (stacked bars) and each level's share.
* :func:`heatmap`: counts of a two-way table (e.g. modality x approach).
* :func:`unknown_share_plot`: share of unknown values by year and venue type, Wilson CIs.
* :func:`bounds_plot`: each level's share with its bounds over the unknown rows.

Nothing is shown or saved here; :mod:`review.stats.analyze` saves the figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import polars as pl
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from scipy import stats

from review.output import words
from review.stats.meta import RmaFit, rma

__all__ = [
    "bounds_plot",
    "bubble_plot",
    "forest_plot",
    "funnel_plot",
    "heatmap",
    "trend_plot",
    "unknown_share_plot",
]


def _identity(x):
    return x


def _diamond(ax, y: float, lo: float, mid: float, hi: float, color: str = "black") -> None:
    ax.add_patch(Polygon([(lo, y), (mid, y + 0.3), (hi, y), (mid, y - 0.3)], closed=True,
                         facecolor=color, edgecolor=color))  # fmt: skip


def forest_plot(
    data: pl.DataFrame,
    yi: str = "yi",
    vi: str = "vi",
    label: str = "study_id",
    extra: Sequence[str] = (),
    by: str | None = None,
    method: str = "REML",
    test: str = "z",
    transform: Callable[[np.ndarray], np.ndarray] | None = None,
    xlabel: str = "effect size",
    title: str | None = None,
) -> Figure:
    """Forest plot with extra study columns and optional subgroup blocks.

    Parameters
    ----------
    data
        One row per study.
    yi, vi
        Effect-size and sampling-variance columns.
    label
        Study label column.
    extra
        Columns printed between the label and the plot (e.g. ``backbone``, ``tl_approach``,
        ``n_test``).
    by
        Subgroup column: studies are grouped in blocks, each closed by its pooled estimate.
    method, test
        Pooling settings (:func:`review.stats.meta.rma`).
    transform
        Applied to every plotted value (e.g. the inverse logit to show accuracies).
    xlabel, title
        Axis label and title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    tf = transform or _identity
    z = stats.norm.ppf(0.975)
    d = data.sort(by, label) if by else data
    blocks = [(None, d)] if not by else [
        (g, d.filter(pl.col(by) == g)) for g in d[by].unique(maintain_order=True).to_list()
    ]  # fmt: skip
    lines: list[tuple] = []  # (kind, texts, est, lo, hi)
    for g, sub in blocks:
        if by:
            lines.append(("header", [f"{_words(by)}: {_words(g)}"], None, None, None))
        for r in sub.iter_rows(named=True):
            y, se = float(r[yi]), float(np.sqrt(r[vi]))
            texts = [str(r[label])] + ["" if r[c] is None else _fmt(r[c]) for c in extra]
            lines.append(("study", texts, y, y - z * se, y + z * se))
        if by and sub.height >= 2:
            f = rma(sub[yi].to_numpy(), sub[vi].to_numpy(), method=method, test=test)
            lines.append(("pooled", [f"{method} pooled, k = {f.k}"], float(f.beta[0]),
                          float(f.ci_low[0]), float(f.ci_high[0])))  # fmt: skip
    if d.height >= 2:
        f = rma(d[yi].to_numpy(), d[vi].to_numpy(), method=method, test=test)
        i2 = f"; I² = {f.i2:.0f}%" if method != "FE" else ""
        lines.append(("overall", [f"Overall ({method}, k = {f.k}{i2})"], float(f.beta[0]),
                      float(f.ci_low[0]), float(f.ci_high[0])))  # fmt: skip
    n = len(lines)
    # Sized for the book's content column (about 8 in at 100 px per inch) so that the text
    # stays readable at 100 % zoom: the label column is 2.4 in, each extra column 1.3 in.
    x0 = [0.0] + [2.4 + 1.3 * j for j in range(len(extra))]
    text_in = 2.4 + 1.3 * len(extra)
    fig = plt.figure(figsize=(text_in + 4.2, 0.9 + 0.3 * n))
    text_w = text_in / fig.get_figwidth()
    ax_t = fig.add_axes((0.01, 0.08, text_w, 0.84))
    ax = fig.add_axes((0.02 + text_w, 0.08, 0.95 - text_w - 0.02, 0.84))
    ax_t.set_axis_off()
    ax_t.set_xlim(0, text_in)
    ax_t.set_ylim(-0.5, n + 0.5)
    ax.set_ylim(-0.5, n + 0.5)
    headers = [_words(h) for h in [label, *extra]]
    for j, h in enumerate(headers):
        ax_t.text(x0[j], n, h, fontweight="bold", fontsize=9.5, va="center")
    for i, (kind, texts, est, lo, hi) in enumerate(lines):
        y = n - 1 - i
        weight = "bold" if kind in ("header", "overall") else "normal"
        for j, t in enumerate(texts):
            # study cells are cut to their column; headers and pooled rows span the columns
            if kind == "study":
                t = t if len(t) <= (28 if j == 0 else 15) else t[: 27 if j == 0 else 14] + "…"
            ax_t.text(x0[j], y, t, fontsize=9.5, va="center", fontweight=weight)
        if est is None:
            continue
        e, a, b = (float(v) for v in tf(np.array([est, lo, hi])))
        if kind == "study":
            ax.plot([a, b], [y, y], color="0.2", lw=1)
            ax.plot([e], [y], "s", color="0.2", ms=4)
        else:
            _diamond(ax, y, a, e, b, "tab:blue" if kind == "pooled" else "black")
    ax.set_yticks([])
    ax.set_xlabel(xlabel)
    ax.spines[["left", "right", "top"]].set_visible(False)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def _words(v) -> str:
    """Codes and column names as words on figures (``tl_approach`` -> ``transfer approach``)."""
    return words(v) if v is not None else "missing"


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3g}"
    if isinstance(v, list):
        return ";".join(map(str, v))
    return str(v)


def funnel_plot(
    fit: RmaFit,
    levels: Sequence[float] = (0.90, 0.95, 0.99),
    refline: float = 0.0,
    filled_yi: np.ndarray | None = None,
    filled_vi: np.ndarray | None = None,
    xlabel: str = "effect size",
    title: str | None = None,
) -> Figure:
    """Contour-enhanced funnel plot.

    Parameters
    ----------
    fit
        The pooled model (its studies are plotted; its estimate is the dashed line).
    levels
        Confidence levels of the significance contours around ``refline``.
    refline
        Effect of no difference (centre of the contours; metafor's ``refline=0``).
    filled_yi, filled_vi
        Studies imputed by trim-and-fill (drawn as open circles).
    xlabel, title
        Axis label and title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    sei = np.sqrt(fit.vi)
    se_all = sei if filled_vi is None else np.concatenate([sei, np.sqrt(filled_vi)])
    smax = float(se_all.max()) * 1.05
    se_grid = np.linspace(0, smax, 100)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    lev = sorted(levels, reverse=True)  # e.g. 0.99, 0.95, 0.90: widest band first
    alphas = [1 - x for x in lev]  # 0.01, 0.05, 0.10
    shades = ["0.55", "0.75", "0.9", "1.0"]
    ax.set_facecolor(shades[0])
    xs = np.concatenate([fit.yi, [] if filled_yi is None else filled_yi])
    span = max(abs(xs - refline).max(), 1e-9) * 1.3
    ax.set_xlim(min(xs.min(), refline) - 0.15 * span, max(xs.max(), refline) + 0.15 * span)
    ax.fill_between([], [], color=shades[0], label=f"p < {alphas[0]:.2f}")
    for i, conf in enumerate(lev):
        zc = stats.norm.ppf(1 - (1 - conf) / 2)
        upper = alphas[i + 1] if i + 1 < len(alphas) else None
        lab = (f"{alphas[i]:.2f} < p < {upper:.2f}" if upper is not None
               else f"p > {alphas[i]:.2f}")  # fmt: skip
        ax.fill_betweenx(
            se_grid,
            refline - zc * se_grid,
            refline + zc * se_grid,
            color=shades[min(i + 1, len(shades) - 1)],
            zorder=0,
            label=lab,
        )
    ax.axvline(refline, color="0.4", lw=0.8)
    ax.axvline(float(fit.beta[0]), color="tab:blue", ls="--", lw=1, label="pooled estimate")
    ax.scatter(fit.yi, sei, color="black", s=18, zorder=3, label="studies")
    if filled_yi is not None and len(filled_yi):
        ax.scatter(filled_yi, np.sqrt(filled_vi), facecolor="white", edgecolor="black", s=18,
                   zorder=3, label="filled (trim-and-fill)")  # fmt: skip
    ax.set_ylim(smax, 0)
    ax.set_ylabel("standard error")
    ax.set_xlabel(xlabel)
    ax.legend(fontsize=9, loc="lower right")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def bubble_plot(
    data: pl.DataFrame,
    moderator: str,
    yi: str = "yi",
    vi: str = "vi",
    method: str = "REML",
    test: str = "z",
    transform: Callable[[np.ndarray], np.ndarray] | None = None,
    xlabel: str | None = None,
    ylabel: str = "effect size",
    title: str | None = None,
) -> Figure:
    """Bubble plot of a one-moderator meta-regression with its fitted line and 95% CI band.

    Parameters
    ----------
    data
        One row per study with ``yi``, ``vi`` and ``moderator`` (rows with nulls are dropped).
    moderator
        Numeric moderator column.
    yi, vi, method, test
        As in :func:`review.stats.meta.rma`.
    transform
        Applied to the plotted effect sizes and the line (e.g. the inverse logit).
    xlabel, ylabel, title
        Labels.

    Returns
    -------
    matplotlib.figure.Figure
    """
    tf = transform or _identity
    d = data.drop_nulls([moderator, yi, vi])
    x = d[moderator].cast(pl.Float64).to_numpy()
    y, v = d[yi].to_numpy(), d[vi].to_numpy()
    fit = rma(y, v, x, method=method, test=test, terms=[moderator])
    grid = np.linspace(x.min(), x.max(), 100)
    pred = fit.beta[0] + fit.beta[1] * grid
    se = np.sqrt(fit.vb[0, 0] + 2 * grid * fit.vb[0, 1] + grid**2 * fit.vb[1, 1])
    w = fit.weights / fit.weights.max()
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.scatter(x, tf(y), s=20 + 300 * w, facecolor="none", edgecolor="black")
    ax.plot(grid, tf(pred), color="tab:blue")
    ax.fill_between(grid, tf(pred - fit.crit * se), tf(pred + fit.crit * se), color="tab:blue",
                    alpha=0.15, lw=0)  # fmt: skip
    ax.set_xlabel(xlabel or moderator)
    ax.set_ylabel(ylabel)
    ax.set_title(title or f"slope {fit.beta[1]:.3f} (p = {fit.p_val[1]:.3g}), k = {fit.k}",
                 fontsize=10)  # fmt: skip
    fig.tight_layout()
    return fig


def trend_plot(shares: pl.DataFrame, title: str | None = None) -> Figure:
    """Studies per year by level (stacked bars) and each level's share of the year's studies.

    Parameters
    ----------
    shares
        Output of :func:`review.stats.trends.year_shares` (``year, level, n, n_year, share``).
    title
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    levels = sorted(shares["level"].unique().to_list())
    years = sorted(shares["year"].unique().to_list())
    bottom = np.zeros(len(years))
    cmap = plt.get_cmap("tab10")
    for i, lev in enumerate(levels):
        s = shares.filter(pl.col("level") == lev).sort("year")
        n = s["n"].to_numpy().astype(float)
        ax1.bar(years, n, bottom=bottom, color=cmap(i % 10), label=lev)
        bottom += n
        ax2.plot(s["year"].to_numpy(), s["share"].to_numpy(), "o-", color=cmap(i % 10), ms=3,
                 label=lev)  # fmt: skip
    ax1.set_xlabel("publication year")
    ax1.set_ylabel("studies")
    ax2.set_xlabel("publication year")
    ax2.set_ylabel("share of the year's studies")
    ax2.set_ylim(0, 1)
    ax2.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def heatmap(table: pl.DataFrame, row_label: str = "", col_label: str = "",
            title: str | None = None) -> Figure:  # fmt: skip
    """Heat map of a long two-way table of counts (``row_level, col_level, n``).

    Parameters
    ----------
    table
        Output of :func:`review.stats.trends.contingency`.
    row_label, col_label
        Axis labels.
    title
        Title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    # seaborn: imported only for this figure
    import seaborn as sns

    wide = table.pivot(on="col_level", index="row_level", values="n").sort("row_level")
    rows = wide["row_level"].to_list()
    mat = wide.drop("row_level")
    fig, ax = plt.subplots(figsize=(1.4 + 1.1 * mat.width, 1.2 + 0.4 * len(rows)))
    sns.heatmap(mat.to_numpy(), annot=True, fmt="d", cmap="Blues", cbar=False, ax=ax,
                xticklabels=mat.columns, yticklabels=rows)  # fmt: skip
    ax.set_xlabel(col_label)
    ax.set_ylabel(row_label)
    ax.tick_params(axis="x", labelrotation=30)
    for lab in ax.get_xticklabels():
        lab.set_horizontalalignment("right")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def unknown_share_plot(shares: pl.DataFrame, variable: str = "tl_approach",
                       title: str | None = None) -> Figure:  # fmt: skip
    """Share of rows with an unknown value, by year and by venue type, with Wilson intervals.

    Parameters
    ----------
    shares
        Output of :func:`review.stats.disclosure.unknown_share` (``variable, by, group, n,
        n_unknown, share_unknown, ci_low, ci_high``).
    variable
        Which variable's unknown share to draw.
    title
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per breakdown (``by``); each point is labelled with ``unknown / n``.
    """
    s = shares.filter(pl.col("variable") == variable)
    bys = s["by"].unique(maintain_order=True).to_list()
    fig, axes = plt.subplots(1, max(1, len(bys)), figsize=(5.2 * max(1, len(bys)), 3.8),
                             squeeze=False)  # fmt: skip
    for ax, by in zip(axes[0], bys, strict=False):
        d = s.filter(pl.col("by") == by).sort("group")
        x = np.arange(d.height)
        p = d["share_unknown"].to_numpy()
        err = np.vstack([p - d["ci_low"].to_numpy(), d["ci_high"].to_numpy() - p])
        ax.errorbar(x, p, yerr=err, fmt="o", color="#4c72b0", capsize=3)
        for xi, pi, k, n in zip(x, p, d["n_unknown"], d["n"], strict=True):
            ax.annotate(f"{k}/{n}", (xi, pi), textcoords="offset points", xytext=(6, 4),
                        fontsize=8)  # fmt: skip
        ax.set_xticks(x, d["group"].to_list())
        ax.set_ylim(0, 1.05)
        ax.set_xlabel(by.replace("_", " "))
        ax.set_ylabel(f"share with {variable} unknown")
        ax.grid(axis="y", alpha=0.3)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def bounds_plot(bounds: pl.DataFrame, variable: str = "tl_approach",
                title: str | None = None) -> Figure:  # fmt: skip
    """Each level's share: the range over every assignment of the unknown rows, the share
    among known rows, in the primary subset, and the review's share.

    Parameters
    ----------
    bounds
        Output of :func:`review.stats.disclosure.bounds_shares`.
    variable
        Which variable to draw.
    title
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    b = bounds.filter(pl.col("variable") == variable)
    fig, ax = plt.subplots(figsize=(7.5, 0.55 * b.height + 1.4))
    y = np.arange(b.height)[::-1]
    ax.hlines(y, b["share_low"].to_numpy(), b["share_high"].to_numpy(), color="#999999", lw=6,
              label="bounds (unknown rows all elsewhere .. all here)")  # fmt: skip
    ax.plot(b["share_known"].to_numpy(), y, "o", color="#4c72b0", label="among known rows")
    ax.plot(b["share_primary"].to_numpy(), y, "s", color="#55a868", ms=5,
            label="primary (known, medium/high confidence)")  # fmt: skip
    rep = b["share_reported"].to_numpy().astype(float)
    ax.plot(rep, y, "D", color="#c44e52", ms=5, label="the review (Kim et al. 2022)")
    ax.set_yticks(y, b["level"].to_list())
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of studies")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.grid(axis="x", alpha=0.3)
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig
