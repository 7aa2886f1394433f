"""The report's figures: style, alt text, verdict forest plot (inputs here are SYNTHETIC)."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import polars as pl
import pytest

from review import figures

SYNTHETIC_VERDICTS = pl.DataFrame(
    {
        "claim_id": ["S1", "S2", "S3", "S4"],
        "metric": ["auc_macro_ovr", "compute_s", "auc_macro_ovr", "fooling_rate"],
        "decision": ["noninferiority", "below", "superiority", "superiority"],
        "scale": ["difference", "log_ratio", "difference", "difference"],
        "estimate": [-0.05, 0.11, 0.09, None],
        "ci_low": [-0.08, 0.10, 0.07, None],
        "ci_high": [-0.03, 0.12, 0.11, None],
        "margin": [0.02, None, None, None],
        "threshold": [None, 0.5, None, None],
        "verdict": ["contradicted", "supported", "supported", "not_run"],
    }
)


def test_verdict_forest_frame():
    fr = figures.verdict_forest_frame(SYNTHETIC_VERDICTS, {"S1": "S1: synthetic"})
    assert fr["label"].to_list() == ["S1: synthetic", "S2", "S3", "S4"]
    assert fr["reference"].to_list() == [-0.02, 0.5, None, None]
    assert fr["log_x"].to_list() == [False, True, False, False]
    assert fr["null"].to_list() == [0.0, 1.0, 0.0, 0.0]
    # one panel per scale: AUC difference, compute ratio, fooling-rate difference
    assert fr["panel"].n_unique() == 3


def test_forest_plot_one_panel_per_scale_coloured_by_verdict():
    figures.use_style()
    fig = figures.forest_plot(figures.verdict_forest_frame(SYNTHETIC_VERDICTS))
    axes = fig.get_axes()
    assert len(axes) == 3
    assert axes[1].get_xscale() == "log"
    colours = {ln.get_color() for ax in axes for ln in ax.get_lines()}
    assert figures.VERDICT_COLOURS["contradicted"] in colours
    assert figures.VERDICT_COLOURS["supported"] in colours
    texts = [t.get_text() for ax in axes for t in ax.texts]
    assert any("not run" in t for t in texts)
    plt.close(fig)


def test_show_figure_has_alt_text_and_caption():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1])
    out = figures.show_figure(fig, alt="A synthetic line.", caption="Look at the line.")
    assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="A synthetic line\."', out.html)
    assert "<figcaption" in out.html and "Look at the line." in out.html
    # drawn at 200 dpi, shown at 100 px per inch: 4 x 3 in is about 400 x 300 px
    assert 350 <= out.width_px <= 420 and 250 <= out.height_px <= 320
    fig2, _ = plt.subplots()
    with pytest.raises(ValueError, match="alt text"):
        figures.show_figure(fig2, alt=" ", caption="c")


def test_count_figures_run_on_synthetic_counts():
    figures.use_style()
    counts = pl.DataFrame({"level": ["a_b", "c", None], "n": [5, 2, 1], "ref": [0.5, None, 0.1]})
    for fig in (
        figures.count_bars(counts, "level"),
        figures.count_bars(
            counts.with_columns(pl.col("n") / 8), "level", reference="ref", percent=True
        ),  # fmt: skip
        figures.year_counts(
            pl.DataFrame(
                {
                    "year": [2019, 2019, 2020, 2020],
                    "level": ["x", "y", "x", "y"],
                    "n": [1, 2, 3, 0],
                    "n_year": [3, 3, 3, 3],
                    "share": [1 / 3, 2 / 3, 1.0, 0.0],
                }
            )
        ),  # fmt: skip
        figures.count_heatmap(
            pl.DataFrame(
                {"row_level": ["r1", "r1", "r2"], "col_level": ["c1", "c2", "c1"], "n": [1, 2, 3]}
            )
        ),  # fmt: skip
    ):
        # every panel at least 350 px wide at 100 px per inch (one panel per row)
        for ax in fig.get_axes():
            assert ax.get_position().width * fig.get_figwidth() * 100 >= 350 * 0.6
        plt.close(fig)
    labels = [t.get_text() for t in figures.count_bars(counts, "level").get_axes()[0]
              .get_yticklabels()]  # fmt: skip
    assert labels == ["a b", "c", "missing"]
