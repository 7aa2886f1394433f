"""The report's figures: one style, one way to show a figure, and the shared figure kinds.

* :func:`use_style` sets the seaborn theme every figure of the book uses: the colour-blind-safe
  palette of Okabe & Ito (2008) (seaborn's ``colorblind``), fonts that read at 100 % zoom.
* :func:`show_figure` turns a matplotlib figure into an HTML ``<figure>`` with alt text and a
  caption (a PNG inlined at twice the display resolution, so the page needs no other file).
* :func:`count_bars`, :func:`year_counts`, :func:`count_heatmap`: counts and trends as bars,
  lines and heat maps, one panel per row.
* :func:`forest_plot`: verdicts at a glance (estimate, CI, optional PI, the decision line,
  colour by verdict), with :func:`verdict_forest_frame` building its input from verdict rows.

The meta-analysis figures (funnel, bubble and the study-level forest plot) stay in
:mod:`review.stats.plots`, drawn in the same style.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from review.output import VERDICT_COLOURS, VERDICT_WORDS, words  # noqa: E402

__all__ = [
    "OKABE_ITO",
    "VERDICT_COLOURS",
    "VERDICT_WORDS",
    "FigureHTML",
    "count_bars",
    "count_heatmap",
    "forest_plot",
    "show_figure",
    "use_style",
    "verdict_forest_frame",
    "year_counts",
]

#: Okabe & Ito's colour-blind-safe palette (the order of seaborn's ``colorblind``).
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
#: Width of the book's content column in inches at 100 dpi (about 780 px at 1400 px).
CONTENT_WIDTH = 7.6
#: Figures are drawn at this many dots per inch and displayed at 100 per inch (sharp on
#: high-density screens, the same size everywhere).
DPI = 200


def use_style() -> None:
    """Set the book's figure style (seaborn theme, colour-blind palette, readable fonts)."""
    # seaborn: about 5 s to import (pandas, scipy); only when a page draws figures
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette=list(OKABE_ITO))
    plt.rcParams.update(
        {
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "xtick.labelsize": 10,
            "ytick.labelsize": 10,
            "legend.fontsize": 10,
            "legend.title_fontsize": 10,
            "figure.titlesize": 12,
            "figure.dpi": 100,
            "savefig.dpi": DPI,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


@dataclass(frozen=True)
class FigureHTML:
    """A figure as HTML (``<figure>`` with alt text and caption); displays in a notebook."""

    html: str
    alt: str
    caption: str
    width_px: int
    height_px: int

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"FigureHTML({self.caption!r}, {self.width_px}x{self.height_px} px)"


def show_figure(fig: Figure, alt: str, caption: str, close: bool = True) -> FigureHTML:
    """A matplotlib figure as an HTML ``<figure>`` with alt text and a caption.

    Parameters
    ----------
    fig
        The figure (drawn at :data:`DPI`, shown at 100 px per inch, never wider than the page).
    alt
        Alt text: what the figure shows, for a reader who cannot see it.
    caption
        What to look at (printed under the figure).
    close
        Close the figure afterwards (so it is not shown a second time).

    Returns
    -------
    FigureHTML
    """
    if not alt.strip() or not caption.strip():
        raise ValueError("every figure needs alt text and a caption")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    if close:
        plt.close(fig)
    png = buf.getvalue()
    w_px, h_px = _png_size(png)
    shown_w, shown_h = round(w_px * 100 / DPI), round(h_px * 100 / DPI)
    data = base64.b64encode(png).decode("ascii")
    out = (
        '<figure class="tlr-figure" style="margin: 0.5em 0 1.5em 0; max-width: 100%;">'
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
        f'width="{shown_w}" height="{shown_h}" '
        'style="max-width: 100%; height: auto; display: block;">'
        '<figcaption style="font-size: 0.95em; color: #222; margin-top: 0.4em; '
        'text-align: left; font-weight: 400; font-family: inherit;">'
        f"<strong>Figure.</strong> {html.escape(caption)}</figcaption></figure>"
    )
    return FigureHTML(out, alt, caption, shown_w, shown_h)


def _png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _words(x: Any) -> str:
    return "missing" if x is None else words(x)


# ------------------------------------------------------------------------------ counts
def count_bars(
    counts: pl.DataFrame,
    level: str,
    n: str = "n",
    title: str | None = None,
    xlabel: str = "studies",
    reference: str | None = None,
    reference_label: str = "review",
    order: Sequence[str] | None = None,
    percent: bool = False,
) -> Figure:
    """Horizontal bars of counts by level, largest first, each bar labelled with its count.

    Parameters
    ----------
    counts
        One row per level: ``level`` (str) and ``n`` (count); e.g. :func:`review.query.count_by`.
    level, n
        Column names.
    title, xlabel
        Labels.
    reference
        Optional column of a second count per level (e.g. the review's own numbers), drawn as
        a hollow bar beside ours.
    reference_label
        Legend entry of ``reference``.
    order
        Levels top to bottom (default: by count, largest first).
    percent
        The values are proportions: bar labels and axis read as percentages.

    Returns
    -------
    matplotlib.figure.Figure
    """
    d = counts.with_columns(pl.col(level).cast(pl.String).fill_null("missing"))
    if order is None:
        d = d.sort(n, descending=True, nulls_last=True)
    else:
        rank = {v: i for i, v in enumerate(order)}
        d = d.sort(pl.col(level).replace_strict(rank, default=len(rank)))
    labels = [_words(v) for v in d[level].to_list()]
    ours = d[n].cast(pl.Float64).fill_null(0).to_numpy()
    scale = 100.0 if percent else 1.0
    ours = ours * scale

    def lab(v: float) -> str:
        return f" {v:.0f} %" if percent else f" {v:g}"

    y = np.arange(len(labels))
    per_row = 0.5 if reference else 0.34
    fig, ax = plt.subplots(figsize=(CONTENT_WIDTH * 0.85, 0.9 + per_row * len(labels)))
    h = 0.4 if reference else 0.7
    ax.barh(
        y - (h / 2 if reference else 0),
        ours,
        height=h,
        color=OKABE_ITO[0],
        label="this table" if reference else None,
    )
    for yi, v in zip(y, ours, strict=True):
        ax.text(v, yi - (h / 2 if reference else 0), lab(v), va="center", fontsize=10)
    if reference:
        ref = d[reference].cast(pl.Float64).fill_null(float("nan")).to_numpy() * scale
        ok = ~np.isnan(ref)
        ax.barh(
            y[ok] + h / 2,
            ref[ok],
            height=h,
            facecolor="white",
            edgecolor=OKABE_ITO[1],
            hatch="//",
            label=reference_label,
        )
        for yi, v in zip(y[ok], ref[ok], strict=True):
            ax.text(v, yi + h / 2, lab(v), va="center", fontsize=10, color="#8a5a00")
        ax.legend(
            loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False, borderaxespad=0.2
        )
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel(f"{xlabel} (%)" if percent else xlabel)
    ax.grid(axis="y", visible=False)
    top = float(np.nanmax(ours)) if len(ours) else 1.0
    if reference and ok.any():
        top = max(top, float(np.nanmax(ref)))
    ax.set_xlim(0, max(1.0, top) * 1.18)
    if title:
        ax.set_title(title, loc="left", pad=26 if reference else 6)
    fig.tight_layout()
    return fig


def year_counts(
    shares: pl.DataFrame, title: str | None = None, level_name: str = "level"
) -> Figure:
    """Studies per publication year by level: stacked bars (top) and shares (bottom).

    Parameters
    ----------
    shares
        ``year, level, n, n_year, share`` (:func:`review.stats.trends.year_shares`).
    title
        Figure title.
    level_name
        Legend title (what the levels are).

    Returns
    -------
    matplotlib.figure.Figure
        Two panels, one per row, sharing the year axis.
    """
    levels = sorted(shares["level"].cast(pl.String).fill_null("missing").unique().to_list())
    years = sorted(shares["year"].unique().to_list())
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(CONTENT_WIDTH, 6.4), sharex=True)
    bottom = np.zeros(len(years))
    for i, lev in enumerate(levels):
        s = shares.filter(pl.col("level").cast(pl.String).fill_null("missing") == lev)
        by_year = dict(zip(s["year"].to_list(), s["n"].to_list(), strict=True))
        nn = np.array([float(by_year.get(y, 0) or 0) for y in years])
        col = OKABE_ITO[i % len(OKABE_ITO)]
        ax1.bar(years, nn, bottom=bottom, color=col, label=_words(lev), edgecolor="white")
        bottom += nn
        sh = dict(zip(s["year"].to_list(), s["share"].to_list(), strict=True))
        ax2.plot(years, [sh.get(y, 0.0) or 0.0 for y in years], "o-", color=col, lw=2, ms=5)
    ax1.set_ylabel("studies")
    ax2.set_ylabel("share of the year's studies")
    ax2.set_xlabel("publication year")
    ax2.set_ylim(0, 1)
    ax2.set_xticks(years, [str(y) for y in years])
    ax1.legend(title=level_name, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    if title:
        ax1.set_title(title, loc="left")
    fig.tight_layout()
    return fig


def count_heatmap(
    table: pl.DataFrame, row_label: str = "", col_label: str = "", title: str | None = None
) -> Figure:
    """Heat map of a two-way table of counts, every cell annotated.

    Parameters
    ----------
    table
        Long counts ``row_level, col_level, n`` (:func:`review.stats.trends.contingency`).
    row_label, col_label
        Axis labels.
    title
        Title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    # seaborn: imported only for this figure (see use_style)
    import seaborn as sns

    t = table.with_columns(pl.col("row_level", "col_level").cast(pl.String).fill_null("missing"))
    wide = t.pivot(on="col_level", index="row_level", values="n").sort("row_level").fill_null(0)
    rows = [_words(r) for r in wide["row_level"].to_list()]
    mat = wide.drop("row_level")
    cols = [_words(c) for c in mat.columns]
    fig, ax = plt.subplots(
        figsize=(min(CONTENT_WIDTH, 2.6 + 0.95 * len(cols)), 1.6 + 0.36 * len(rows))
    )
    sns.heatmap(
        mat.to_numpy(),
        annot=True,
        fmt="g",
        cmap="Blues",
        cbar=False,
        ax=ax,
        xticklabels=cols,
        yticklabels=rows,
        linewidths=0.5,
        linecolor="white",
        annot_kws={"fontsize": 10},
    )
    ax.set_xlabel(col_label)
    ax.set_ylabel(row_label)
    ax.tick_params(axis="x", labelrotation=35)
    ax.tick_params(axis="y", labelrotation=0)
    for lab in ax.get_xticklabels():
        lab.set_horizontalalignment("right")
    if title:
        ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig


# ------------------------------------------------------------------------------ verdicts
def forest_plot(
    frame: pl.DataFrame,
    label: str = "label",
    estimate: str = "estimate",
    ci_low: str = "ci_low",
    ci_high: str = "ci_high",
    pi_low: str | None = "pi_low",
    pi_high: str | None = "pi_high",
    verdict: str | None = "verdict",
    reference: str | None = "reference",
    panel: str | None = "panel",
    null: str | None = "null",
    log_x: str | None = "log_x",
    title: str | None = None,
) -> Figure:
    """Forest plot of verdicts: one row per claim (or estimate), coloured by verdict.

    Input columns (the names are parameters; optional columns may be absent):

    ``label`` (str)
        Row label, e.g. the claim id and its statement in a few words.
    ``estimate``, ``ci_low``, ``ci_high`` (float)
        Point estimate and confidence interval; a row whose estimate is missing is drawn as
        its verdict in words (``not run``) instead of a marker.
    ``pi_low``, ``pi_high`` (float, optional)
        Prediction interval of a pooled estimate, drawn as a thin line beyond the CI.
    ``verdict`` (str, optional)
        One of :data:`VERDICT_COLOURS` (``supported``, ``contradicted``, ``inconclusive``,
        ``insufficient_data``, ``not_run``); sets the colour and the legend.
    ``reference`` (float, optional)
        The row's decision line other than no effect, e.g. ``-margin`` of a non-inferiority
        claim or the ratio threshold of a ``below`` claim, drawn as a dashed tick on the row.
    ``panel`` (str, optional)
        Rows with the same panel share an x axis (its label is the panel name); panels are
        stacked one per row, so claims on different scales each get their own axis.
    ``null`` (float, optional)
        No-effect value of the row's panel (default 0), drawn as a solid vertical line.
    ``log_x`` (bool, optional)
        Logarithmic x axis for the row's panel (ratios).

    Returns
    -------
    matplotlib.figure.Figure
    """
    d = frame
    cols = set(d.columns)

    def get(r: dict, c: str | None, default: Any = None) -> Any:
        return r.get(c, default) if c and c in cols else default

    rows = d.to_dicts()
    panels: list[str] = []
    for r in rows:
        p = str(get(r, panel, "") or "")
        if p not in panels:
            panels.append(p)
    heights = [max(1, sum(1 for r in rows if str(get(r, panel, "") or "") == p)) for p in panels]
    fig, axes = plt.subplots(
        len(panels),
        1,
        figsize=(CONTENT_WIDTH, 0.9 * len(panels) + 0.45 * sum(heights) + 0.5),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    seen_verdicts: list[str] = []
    for ax, p in zip(axes[:, 0], panels, strict=True):
        pr = [r for r in rows if str(get(r, panel, "") or "") == p]
        nullv = float(get(pr[0], null, 0.0) if get(pr[0], null) is not None else 0.0)
        logx = bool(get(pr[0], log_x, False))
        vals = [nullv]
        for r in pr:
            for c in (estimate, ci_low, ci_high, pi_low, pi_high, reference):
                v = get(r, c)
                if v is not None and not (isinstance(v, float) and math.isnan(v)):
                    vals.append(float(v))
        lo, hi = min(vals), max(vals)
        if logx:
            span = math.log10(hi) - math.log10(lo) if lo > 0 else 1.0
            xlim = (lo / 10 ** (0.08 * span + 0.05), hi * 10 ** (0.08 * span + 0.05))
            ax.set_xscale("log")
        else:
            pad = (hi - lo) * 0.08 or 0.05
            xlim = (lo - pad, hi + pad)
        ax.set_xlim(*xlim)
        ax.axvline(nullv, color="#333333", lw=1)
        n = len(pr)
        for i, r in enumerate(pr):
            y = n - 1 - i
            v = str(get(r, verdict, "") or "")
            col = VERDICT_COLOURS.get(v, "#333333")
            if v and v not in seen_verdicts:
                seen_verdicts.append(v)
            est = get(r, estimate)
            if est is None or (isinstance(est, float) and math.isnan(est)):
                ax.text(
                    nullv,
                    y,
                    f"  {VERDICT_WORDS.get(v, v) or 'no estimate'}",
                    va="center",
                    ha="left",
                    color="#555555",
                    fontsize=10,
                    style="italic",
                )
                continue
            pl_, ph_ = get(r, pi_low), get(r, pi_high)
            if pl_ is not None and ph_ is not None:
                ax.plot([pl_, ph_], [y, y], color=col, lw=1, alpha=0.8)
            lo_, hi_ = get(r, ci_low), get(r, ci_high)
            if lo_ is not None and hi_ is not None:
                ax.plot([lo_, hi_], [y, y], color=col, lw=3, solid_capstyle="butt")
            ax.plot([est], [y], "D", color=col, ms=8, mec="white", mew=1)
            ref = get(r, reference)
            if ref is not None and not (isinstance(ref, float) and math.isnan(ref)):
                ax.plot([ref, ref], [y - 0.38, y + 0.38], color="#333333", lw=1.5, ls="--")
        if logx:
            ticks = [t for t in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
                     if xlim[0] <= t <= xlim[1]]  # fmt: skip
            ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
            ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        if all(get(r, estimate) is None for r in pr):
            ax.set_xticks([])
            ax.grid(visible=False)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_yticks(range(n), [str(get(r, label, "")) for r in pr][::-1])
        ax.grid(axis="y", visible=False)
        if p:
            ax.set_xlabel(p)
    handles = [
        plt.Line2D(
            [],
            [],
            color=VERDICT_COLOURS.get(v, "#333"),
            marker="D",
            lw=3,
            ms=7,
            label=VERDICT_WORDS.get(v, v),
        )
        for v in seen_verdicts
    ]
    if any(get(r, reference) is not None for r in rows):
        handles.append(
            plt.Line2D(
                [],
                [],
                color="#333333",
                ls="--",
                lw=1.5,
                label="decision line (margin or threshold)",
            )
        )
    if handles:
        fig.legend(
            handles=handles,
            loc="upper center",
            ncol=min(len(handles), 3),
            frameon=False,
            bbox_to_anchor=(0.5, 1.0),
        )
    if title:
        fig.suptitle(title, y=1.04, fontsize=12)
    fig.tight_layout(rect=(0, 0, 1, 0.94 if handles else 1.0))
    return fig


#: Axis label of each (decision, scale, metric) kind of claim.
def _panel_of(row: Mapping[str, Any]) -> tuple[str, float, bool]:
    metric = {
        "auc_macro_ovr": "test AUC",
        "fooling_rate": "fooling rate",
        "compute_s": "compute time",
    }.get(str(row.get("metric")), _words(row.get("metric")))
    if row.get("decision") == "below" or row.get("scale") == "log_ratio":
        return f"ratio of {metric}, arm a / arm b (log scale)", 1.0, True
    if row.get("decision") == "slope_negative":
        return f"slope of the {metric} gap (a − b) per unit log(training fraction)", 0.0, False
    return f"difference in {metric}, arm a − arm b", 0.0, False


def verdict_forest_frame(
    verdicts: pl.DataFrame, short: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """The input of :func:`forest_plot` from verdict rows.

    Parameters
    ----------
    verdicts
        Rows of :func:`reproduce.claims.verdicts.evaluate_claims` (or ``results/*/verdicts.csv``):
        ``claim_id, metric, decision, scale, estimate, ci_low, ci_high, margin, threshold,
        verdict``.
    short
        Optional ``{claim_id: short label}``; the default label is the claim id.

    Returns
    -------
    polars.DataFrame
        ``label, estimate, ci_low, ci_high, verdict, reference, panel, null, log_x``;
        ``reference`` is ``-margin`` for non-inferiority and the threshold for ``below``.
    """
    out = []
    for r in verdicts.to_dicts():
        if r.get("decision") == "within":  # no single estimate: one difference per data set
            panel, nullv, logx = "difference from the published value", 0.0, False
        else:
            panel, nullv, logx = _panel_of(r)
        ref = None
        if r.get("decision") == "noninferiority" and r.get("margin") is not None:
            ref = -float(r["margin"])
        elif r.get("decision") == "below" and r.get("threshold") is not None:
            ref = float(r["threshold"])
        out.append(
            {
                "label": (short or {}).get(r["claim_id"], r["claim_id"]),
                "estimate": r.get("estimate"),
                "ci_low": r.get("ci_low"),
                "ci_high": r.get("ci_high"),
                "verdict": r.get("verdict"),
                "reference": ref,
                "panel": panel,
                "null": nullv,
                "log_x": logx,
            }
        )
    schema = {
        "label": pl.String,
        "estimate": pl.Float64,
        "ci_low": pl.Float64,
        "ci_high": pl.Float64,
        "verdict": pl.String,
        "reference": pl.Float64,
        "panel": pl.String,
        "null": pl.Float64,
        "log_x": pl.Boolean,
    }
    return pl.DataFrame(out, schema=schema)
