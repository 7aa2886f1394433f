"""The later-designs section's report functions (reproduce/report/later.py).

Every results row here is SYNTHETIC (made-up AUCs and seconds, built in this file) to check the
pairing rules of claims_later.yaml; nothing here is a result.
"""

from __future__ import annotations

import math

import matplotlib
import polars as pl
import pytest

from reproduce.claims.verdicts import load_claims as check_claims_file
from reproduce.report import later

matplotlib.use("Agg")

L0, SQ, L2 = "efficientnet_lite0", "squeezenet1_1", "efficientnet_lite2"
NOISE = {0: 0.01, 1: -0.01}  # per-seed offsets of the fusion arm (so a variance exists)


def _row(ds, approach, arch, seed, auc, val, arch2=None, compute=10.0):
    return {
        "status": "ok", "dataset": ds, "resolution": 224, "approach": approach, "arch": arch,
        "arch2": arch2, "source": "imagenet", "train_fraction": 1.0, "seed": seed,
        "auc_macro_ovr": auc, "val_auc_macro_ovr": val, "compute_s": compute,
        "flops_per_image": 1e9 if arch2 is None else 2e9, "device_name": "SYNTHETIC",
    }  # fmt: skip


@pytest.fixture
def synthetic_results() -> pl.DataFrame:
    """SYNTHETIC rows: SqueezeNet is the better single backbone on VALIDATION in every data set,
    although EfficientNet-Lite0 has the higher TEST AUC, so a choice made on the test split
    would give the opposite sign."""
    rows = []
    for ds in ("d1", "d2", "d3"):
        for seed in (0, 1):
            rows += [
                _row(ds, "feature_extractor", L0, seed, 0.80, 0.70, compute=4.0),
                _row(ds, "feature_extractor", SQ, seed, 0.70, 0.90, compute=2.0),
                _row(ds, "fusion_frozen", L0, seed, 0.75 + NOISE[seed], 0.85, SQ, compute=6.0),
                _row(ds, "cnn_transformer_frozen", L0, seed, 0.82 + NOISE[seed], 0.8),
            ]
    return pl.DataFrame(rows)


def test_claims_file_reads_and_names_the_suite():
    doc = later.load_claims()
    assert [c["id"][:2] for c in doc["claims"]] == ["F1", "F1", "F1", "T1", "T2"]
    assert all(c["suite"] == later.SUITE for c in doc["claims"])
    check_claims_file(later.CLAIMS_FILE)  # the claims engine's own checks pass


def test_best_single_backbone_is_chosen_on_validation(synthetic_results):
    claim = next(c for c in later.load_claims()["claims"] if c["id"].startswith("F1a"))
    eff = later.claim_effects(synthetic_results, claim)
    assert eff["dataset"].to_list() == ["d1", "d2", "d3"]
    assert eff["n_pairs"].to_list() == [2, 2, 2]
    # fusion 0.75 +- 0.01 against SqueezeNet's 0.70 (the validation choice), not Lite0's 0.80
    assert eff["yi"].to_list() == pytest.approx([0.05] * 3)
    assert eff["vi"].to_list() == pytest.approx([0.02**2 / 2 / 2] * 3)  # sd(diffs)^2 / n


def test_compute_claim_is_a_log_ratio_against_the_chosen_backbone(synthetic_results):
    claim = next(c for c in later.load_claims()["claims"] if c["id"].startswith("F1c"))
    df = synthetic_results.with_columns(
        pl.when(pl.col("approach") == "fusion_frozen")
        .then(pl.col("compute_s") + pl.col("seed"))
        .otherwise(pl.col("compute_s"))
        .alias("compute_s")
    )
    eff = later.claim_effects(df, claim)
    expect = (math.log(6.0 / 2.0) + math.log(7.0 / 2.0)) / 2
    assert eff["yi"].to_list() == pytest.approx([expect] * 3)


def test_plain_pairing_and_figures(synthetic_results):
    claims = {c["id"][:2]: c for c in later.load_claims()["claims"]}
    eff = later.claim_effects(synthetic_results, claims["T1"])
    assert eff["yi"].to_list() == pytest.approx([0.02] * 3)  # 0.82 +- 0.01 vs 0.80
    fig = later.forest(synthetic_results, claims["T1"])
    assert fig is not None and fig.axes
    assert later.forest(synthetic_results, claims["T2"]) is None  # no T2 rows at all
    fig = later.auc_vs_compute(synthetic_results)
    assert len(fig.axes) == 3
    table = later.arm_table(synthetic_results)
    assert table.height == 12 and set(table["seeds"]) == {2}
    blocks = later.results_blocks(synthetic_results)
    assert sum(isinstance(b, str) and b.startswith("**") for b in blocks) == 5


def test_without_results_the_section_gives_the_commands():
    text = later.status_markdown(None)
    assert "Not yet run on a GPU" in text
    assert "tlreview reproduce plan later_designs --profile gpu" in text
    assert "run.sh PACK_DIR OUT_DIR later_designs gpu 470" in text
    assert later.results_blocks(None)[0].startswith("*No results yet")
