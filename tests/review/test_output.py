"""The report's table helper, number formatting and claim cards (inputs here are SYNTHETIC)."""

from __future__ import annotations

import math
import re

import pandas as pd
import polars as pl
import pytest

from review import output
from review.output import (
    DASH,
    arm_in_words,
    claim_card,
    fmt_interval,
    fmt_number,
    fmt_p,
    format_frame,
    show_table,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, DASH),
        (float("nan"), DASH),
        (True, "yes"),
        (0, "0"),
        (2019, "2019"),  # years keep their digits, no separator
        (12345, "12,345"),
        (0.0, "0"),
        (0.1, "0.100"),
        (0.12345, "0.123"),
        (12.345, "12.3"),
        (100.0, "100"),
        (1234.6, "1235"),
        (-0.0575, "−0.0575"),
        (7.6e-6, "7.60e−6"),
        (float("inf"), "∞"),
    ],
)
def test_fmt_number(value, text):
    assert fmt_number(value) == text


def test_fmt_p_and_interval():
    assert fmt_p(3e-7) == "< 0.0001"
    assert fmt_p(0.0412) == "0.0412"
    assert fmt_interval(-0.088, -0.029) == "[−0.0880, −0.0290]"
    assert fmt_interval(0.1, 0.25, percent=True) == "[10.0, 25.0] %"
    assert fmt_interval(None, None) == DASH


SYNTHETIC = pl.DataFrame(
    {
        "claim_id": ["S1", "S2"],
        "tl_approach": ["feature_extractor", None],
        "estimate": [-0.0575, None],
        "ci_low": [-0.088, None],
        "ci_high": [-0.029, None],
        "tau2_ci_low": [0.01, 0.02],
        "tau2_ci_high": [0.2, 0.3],
        "p_val": [0.00129, 1e-7],
        "share": [0.448, 0.1],
        "backbones": [["vgg16", "resnet50"], []],
        "arms": [{"approach": "scratch"}, {"approach": None}],
        "query": ['"transfer learning" chest x-ray', "plain"],
    }
)


def test_format_frame_reads_like_a_report():
    f = format_frame(SYNTHETIC, {"claim_id": "claim"}, percent=["share"],
                     as_words=["tl_approach"])  # fmt: skip
    assert f.columns == ["Claim", "Transfer approach", "Estimate", "95 % CI", "τ² 95 % CI", "p",
                         "Share", "Backbones", "Arms", "Query"]  # fmt: skip
    assert f.row(0) == ("S1", "feature extractor", "−0.0575", "[−0.0880, −0.0290]",
                        "[0.0100, 0.200]", "0.00129", "44.8 %", "vgg16, resnet50",
                        "approach: scratch", "“transfer learning” chest x-ray")  # fmt: skip
    assert f.row(1)[1:4] == (DASH, DASH, DASH)
    assert f["p"][1] == "< 0.0001"
    for cell in f.to_series(0).to_list() + [c for col in f.iter_columns() for c in col]:
        assert not re.match(r"^[\"']", cell), cell
        assert cell not in ("null", "None", "nan", "NaN")


def test_format_frame_takes_pandas():
    pdf = pd.DataFrame({"n_reported": [57.0, math.nan], "level": ["deep", "other"]})
    f = format_frame(pdf)
    # an integral float column with NaN (pandas' way of holding int + missing) reads as ints
    assert f["n reported"].to_list() == ["57", DASH]


def test_show_table_static_and_interactive_are_offline():
    small = show_table(SYNTHETIC, "Synthetic claims.", source="tests (synthetic)")
    assert not small.interactive
    assert "Synthetic claims." in small.html and "tests (synthetic)" in small.html
    assert "overflow-x: auto" in small.html  # wide tables scroll inside their own box
    big_frame = pl.DataFrame({"i": list(range(40)), "x": [0.5] * 39 + [None]})
    output._ITABLES_LOADED = False
    big = show_table(big_frame, "Synthetic long table.", source="tests (synthetic)")
    again = show_table(big_frame, "Synthetic long table.", source="tests (synthetic)")
    assert big.interactive and again.interactive
    assert "_itables_" in big.html  # the DataTables bundle is inlined ...
    assert len(again.html) < len(big.html) / 10  # ... once per page
    for t in (small, big):
        assert not re.search(r"(src|href)=[\"']https?://", t.html), "a CDN would break offline"
        assert "unpkg.com" not in t.html.replace("https://www.unpkg.com/dt_for_itables", "")


def test_show_table_needs_caption_and_source():
    with pytest.raises(ValueError, match="caption"):
        show_table(SYNTHETIC, "", source="x")
    with pytest.raises(ValueError, match="caption"):
        show_table(SYNTHETIC, "c", source="")


def test_arm_in_words():
    assert arm_in_words({"approach": "fine_tuning", "k_blocks": 2, "category": "shallow"}) == (
        "fine-tuning only the top 2 blocks, shallow backbones"
    )
    assert arm_in_words({"uap_source": "random"}) == "random noise of the same norm"
    assert arm_in_words({"resolution": 28, "new_field": "some_value"}) == (
        "28 px images, new field some value"
    )


def test_claim_card_has_no_raw_dicts():
    row = {
        "claim_id": "S1_synthetic", "statement": "A synthetic claim.", "metric": "auc_macro_ovr",
        "decision": "noninferiority", "margin": 0.02, "estimate": -0.05, "ci_low": -0.08,
        "ci_high": -0.03, "conf_level": 0.95, "n_pairs": 18, "p_wilcoxon": 0.001,
        "mean_a": 0.64, "mean_b": 0.70, "verdict": "contradicted",
    }  # fmt: skip
    claim = {
        "arms": {
            "a": {"approach": "feature_extractor", "category": "deep"},
            "b": {"approach": "fine_tuning_from_scratch", "category": "deep"},
        }
    }
    card = claim_card(row, claim)
    assert "CONTRADICTED" in card.text
    assert "arm a: frozen backbone as a feature extractor" in card.text
    assert "[−0.0800, −0.0300]" in card.text and "18 pairs" in card.text
    assert "margin 0.02" in card.text
    assert "{" not in card.text and "{" not in card.html.split(">", 1)[1]
    not_run = claim_card({"claim_id": "S2", "statement": "s", "verdict": "not_run",
                          "decision": "superiority", "metric": "fooling_rate",
                          "estimate": None, "detail": "no runs"})  # fmt: skip
    assert "NOT RUN" in not_run.text and "not run (no runs)" in not_run.text
    assert "None" not in not_run.text and "nan" not in not_run.text.lower()
