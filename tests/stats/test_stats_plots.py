"""Figures: each function draws what it promises (dat.bcg and SYNTHETIC tables)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import polars as pl
import pytest
from stats_fixtures import bcg, data_set

from review.stats import bias, meta, plots, trends
from review.stats.synthetic import synthetic_studies


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_forest_plot_has_study_rows_extra_columns_and_subgroup_diamonds():
    d = bcg().with_columns(pl.col("trial").cast(pl.String).alias("study_id"))
    fig = plots.forest_plot(d, extra=("author", "ablat"), by="alloc", method="REML")
    ax_text, ax = fig.axes
    texts = [t.get_text() for t in ax_text.texts]
    assert "Aronson" in texts and "author" in texts and "ablat" in texts
    assert sum(t.startswith("REML pooled") for t in texts) == 3  # one diamond per subgroup
    assert any(t.startswith("Overall (REML, k = 13") for t in texts)
    assert len(ax.patches) == 4  # 3 subgroup diamonds + the overall one


def test_funnel_plot_draws_contours_studies_and_filled_points():
    y, v = data_set("sfun")
    fit = meta.rma(y, v)
    tf = bias.trimfill(fit)
    fig = plots.funnel_plot(fit, filled_yi=tf.filled_yi, filled_vi=tf.filled_vi)
    ax = fig.axes[0]
    labels = ax.get_legend_handles_labels()[1]
    assert "filled (trim-and-fill)" in labels and "p > 0.10" in labels
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # standard error axis inverted
    offsets = [c.get_offsets() for c in ax.collections if len(c.get_offsets())]
    assert sum(len(o) for o in offsets if len(o) in (10, 5)) == 15


def test_bubble_plot_line_is_the_meta_regression():
    d = bcg()
    fig = plots.bubble_plot(d, "ablat")
    line = fig.axes[0].lines[0]
    fit = meta.rma(d["yi"].to_numpy(), d["vi"].to_numpy(), d["ablat"].to_numpy())
    x, y = line.get_data()
    assert np.allclose(y, fit.beta[0] + fit.beta[1] * np.asarray(x))


def test_trend_plot_has_two_axes_and_heatmap_cells_sum_to_the_studies():
    s = synthetic_studies(60, seed=4)
    fig = plots.trend_plot(trends.year_shares(s, "tl_approach"), title="t")
    assert len(fig.axes) == 2
    ct = trends.contingency(s, "modality")
    fig = plots.heatmap(ct, "modality", "tl_approach")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert sum(int(t) for t in texts) == 60
