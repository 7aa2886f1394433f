"""The follow-up registration ``claims_later.yaml`` (issue #18) and its rules in the v2 engine.

Every results table here is SYNTHETIC (invented numbers built to hit a rule): architectures
``arch_p``, ``arch_q``, ``arch_r`` and data sets ``d1``-``d4`` do not exist. The claims file is
the registered one, read as committed (copies are edited only to test refusals).

Independent references: per-data-set means and standard errors against
``scipy.stats.ttest_1samp`` over the pair cells, pooled effects against
``review.stats.meta.pool`` called directly (the function pinned to R's metafor in
tests/stats/test_stats_meta.py).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy import stats

from reproduce.claims.claim import Arm, load_claim_set
from reproduce.claims.pairs import select_arm
from reproduce.claims.pooled import EFFECT_SCHEMA, VERDICT_SCHEMA, evaluate_v2
from review.cli import main
from review.errors import InputError
from review.stats.meta import pool

ROOT = Path(__file__).resolve().parents[2]
LATER = ROOT / "reproduce" / "claims" / "claims_later.yaml"
SUITE = "later_designs"
DATASETS = ("d1", "d2", "d3", "d4")
F1A, F1C = "F1a_fusion_frozen_noninferior", "F1c_fusion_compute_at_most_2x"


def _row(ds: str, seed: int, approach: str, arch: str, arch2: str | None, test: float,
         val: float, compute: float = 10.0) -> dict:  # fmt: skip
    """One SYNTHETIC ``status == ok`` result row of the later_designs suite."""
    return {
        "dataset": ds, "resolution": 128, "source": "imagenet", "train_fraction": 1.0,
        "seed": seed, "status": "ok", "approach": approach, "arch": arch, "arch2": arch2,
        "auc_macro_ovr": test, "val_auc_macro_ovr": val, "compute_s": compute,
    }  # fmt: skip


def _fusion_table(seeds: int = 3, pairs: tuple[str, ...] = ("arch_q",), rng_seed: int = 0,
                  skip: tuple[tuple[str, str], ...] = ()) -> pl.DataFrame:  # fmt: skip
    """SYNTHETIC frozen fusion against single frozen backbones.

    ``arch_p`` has the higher VALIDATION AUC (0.90 against 0.85 and 0.84) but the lower TEST AUC
    (0.80 against 0.88 and 0.87); every fusion ``arch_p + X`` scores 0.81 on test. Chosen on
    validation, the fusion is about +0.01 over arm b (noninferior); chosen on test it would be
    about -0.07 (contradicted). ``skip`` drops the single rows of (data set, arch).
    """
    rng = np.random.default_rng(rng_seed)
    singles = {"arch_p": (0.80, 0.90), "arch_q": (0.88, 0.85), "arch_r": (0.87, 0.84)}
    rows = []
    for ds in DATASETS:
        for s in range(seeds):
            for arch, (test, val) in singles.items():
                if (ds, arch) not in skip:
                    t, w = test + rng.normal(0, 0.003), val + rng.normal(0, 0.003)
                    rows.append(_row(ds, s, "feature_extractor", arch, None, t, w))
            for a2 in pairs:
                rows.append(_row(ds, s, "fusion_frozen", "arch_p", a2,
                                 0.81 + rng.normal(0, 0.004), 0.91))  # fmt: skip
    return pl.DataFrame(rows)


def _decide(res: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    v, e = evaluate_v2(res, load_claim_set(LATER), SUITE)
    assert v.schema == pl.Schema(VERDICT_SCHEMA) and e.schema == pl.Schema(EFFECT_SCHEMA)
    return v, e


def _reference(cells: pl.DataFrame) -> tuple[dict, dict[str, tuple[float, float]]]:
    """Per data set: mean and SE of the cells' ``d`` (scipy); pooled with review.stats."""
    per = {}
    for ds in sorted(set(cells["dataset"].to_list())):
        d = cells.filter(pl.col("dataset") == ds)["d"].to_numpy()
        tt = stats.ttest_1samp(d, 0.0)
        per[ds] = (float(d.mean()), float(d.mean() / tt.statistic))
    yi = [m for m, _ in per.values()]
    vi = [se**2 for _, se in per.values()]
    fit = pool(pl.DataFrame({"yi": yi, "vi": vi}), methods=("REML",), test="knha")
    return fit.row(0, named=True), per


def test_the_registered_file_loads_as_written():
    cs = load_claim_set(LATER)
    assert (cs.version, cs.rules, cs.effect_unit) == (1, 2, "cell")
    assert cs.follows_rules_of == "reproduce/claims/claims_v2.yaml"
    assert cs.pooling.method == "REML" and cs.pooling.test == "knha"
    assert (cs.min_seeds, cs.min_datasets) == (2, 3)
    assert [c.id for c in cs.claims] == [
        F1A, "F1b_fusion_finetune_noninferior", F1C, "T1_cnn_transformer_beats_linear_head",
        "T2_cnn_transformer_noninferior_to_finetuning"]  # fmt: skip
    f1c = cs.get(F1C)
    assert f1c.b_best_of == ("arch", "arch2")
    assert f1c.arms.a.get("approach") == ("fusion_frozen", "fusion_finetune")
    assert f1c.b_approach_for("fusion_finetune") == "fine_tuning_from_scratch"
    assert f1c.b_approach_for("fusion_frozen") == "feature_extractor"
    assert (f1c.scale, f1c.decision, f1c.threshold) == ("log_ratio", "below", 2.0)
    t1 = cs.get("T1_cnn_transformer_beats_linear_head")
    assert t1.b_best_of == () and t1.supersedes is None and "arch" in t1.pair_on


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    b_same_approach: {fusion_frozen: feature_extractor}\n",
         "    b_same_aproach: {fusion_frozen: feature_extractor}\n",
         "claim F1a_fusion_frozen_noninferior: field 'b_same_aproach': unknown key"),
        ("    b_best_of: [arch, arch2]\n", "    b_bestof: [arch, arch2]\n",
         "claim F1a_fusion_frozen_noninferior: field 'b_bestof': unknown key"),
        ("    b_best_of: [arch, arch2]\n", "    b_best_of: [arch, arhc2]\n",
         "claim F1a_fusion_frozen_noninferior: field 'b_best_of': got ['arch', 'arhc2']"),
        ("b_same_approach: {fusion_frozen: feature_extractor}",
         "b_same_approach: {fusion_frozen: feature_extraction}",
         "field 'b_same_approach.fusion_frozen': 'feature_extraction' is not an approach of arm b"),
        ("      a: {approach: [fusion_frozen, fusion_finetune], source: imagenet}",
         "      a: {approach: [fusion_frozen, fusion_finetune], sorce: imagenet}",
         "claim F1c_fusion_compute_at_most_2x: field 'arms.a.sorce': unknown arm field"),
        ("min_datasets: 3\n", "min_datasets: 3\nmin_seed: 2\n",
         "top level: field 'min_seed': unknown key for a follow-up claims file"),
        ("follows_rules_of: reproduce/claims/claims_v2.yaml",
         "follows_rules_of: reproduce/claims/claims.yaml",
         "field 'follows_rules_of': reproduce/claims/claims.yaml is not a v2 claims file"),
    ],
)  # fmt: skip
def test_a_misspelled_copy_is_refused(tmp_path, old, new, expected):
    text = LATER.read_text(encoding="utf-8")
    assert old in text
    copy = tmp_path / "claims_later.yaml"
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_claim_set(copy)
    assert expected in str(err.value)
    assert str(copy) in str(err.value)


def test_best_of_is_chosen_on_validation_not_test():
    res = _fusion_table()
    v, e = _decide(res)
    f1a = v.filter(pl.col("claim_id") == F1A).row(0, named=True)
    # the reference pairs every fusion row with arch_p (the validation choice) by hand
    fus = res.filter(pl.col("approach") == "fusion_frozen")
    p = res.filter((pl.col("approach") == "feature_extractor") & (pl.col("arch") == "arch_p"))
    cells = fus.join(p, on=["dataset", "seed"], suffix="_b").select(
        "dataset", (pl.col("auc_macro_ovr") - pl.col("auc_macro_ovr_b")).alias("d"))  # fmt: skip
    ref, per = _reference(cells)
    assert f1a["verdict"] == "supported" and f1a["k_datasets"] == 4 and f1a["n_pairs"] == 12
    for k in ("estimate", "se", "ci_low", "ci_high", "pi_low", "pi_high", "tau2"):
        assert f1a[k] == pytest.approx(ref[k], rel=1e-10, abs=1e-14), k
    assert 0.0 < f1a["estimate"] < 0.02  # chosen on test (arch_q) it would be about -0.07
    assert "arch_p (arch_p 0.90" in f1a["note"] and "vs arch_q 0.85" in f1a["note"]
    eff = e.filter(pl.col("claim_id") == F1A).sort("dataset")
    for r in eff.iter_rows(named=True):
        assert (r["estimate"], r["se"]) == pytest.approx(per[r["dataset"]], rel=1e-10)
        assert r["n_pairs"] == 3 and r["n_seeds"] == 3 and r["included"]
    # the other claims' arms are not in this table
    absent = ["F1b_fusion_finetune_noninferior", "T1_cnn_transformer_beats_linear_head"]
    others = v.filter(pl.col("claim_id").is_in(absent))
    assert set(others["verdict"]) == {"not_run"}


def test_swapping_validation_and_test_swaps_the_choice():
    """The same table with the two AUC columns exchanged: now arch_q is chosen, and loses."""
    res = _fusion_table().rename(
        {"auc_macro_ovr": "val_auc_macro_ovr", "val_auc_macro_ovr": "auc_macro_ovr"}
    )
    f1a = _decide(res)[0].filter(pl.col("claim_id") == F1A).row(0, named=True)
    assert "arch_q (arch_q 0.88" in f1a["note"]
    assert f1a["estimate"] == pytest.approx(0.91 - 0.85, abs=0.01)


def test_each_fusion_pair_is_its_own_cell():
    """Two fusion pairs (arch_p + arch_q, arch_p + arch_r), each against its own better single:
    the data set's effect and SE are over the 2 x seeds cells (the registration's header)."""
    res = _fusion_table(seeds=2, pairs=("arch_q", "arch_r"), rng_seed=3)
    v, e = _decide(res)
    f1a = v.filter(pl.col("claim_id") == F1A).row(0, named=True)
    fus = res.filter(pl.col("approach") == "fusion_frozen")
    p = res.filter((pl.col("approach") == "feature_extractor") & (pl.col("arch") == "arch_p"))
    cells = fus.join(p, on=["dataset", "seed"], suffix="_b").select(
        "dataset", (pl.col("auc_macro_ovr") - pl.col("auc_macro_ovr_b")).alias("d"))  # fmt: skip
    assert cells.height == 16
    ref, per = _reference(cells)
    assert f1a["n_pairs"] == 16
    for k in ("estimate", "se", "ci_low", "ci_high"):
        assert f1a[k] == pytest.approx(ref[k], rel=1e-10), k
    r = e.filter((pl.col("claim_id") == F1A) & (pl.col("dataset") == "d2")).row(0, named=True)
    assert (r["n_pairs"], r["n_seeds"]) == (4, 2)
    assert (r["estimate"], r["se"]) == pytest.approx(per["d2"], rel=1e-10)


def test_undecidable_choice_is_left_out_and_listed():
    """d4 has no arch_q single backbone: the better of the two cannot be known there."""
    res = _fusion_table(skip=(("d4", "arch_q"),))
    f1a = _decide(res)[0].filter(pl.col("claim_id") == F1A).row(0, named=True)
    assert f1a["k_datasets"] == 3 and "d4" not in f1a["datasets"]
    assert "better single backbone undecidable" in f1a["note"]
    assert "dataset=d4" in f1a["note"] and "arch_q" in f1a["note"]


def test_list_valued_arms_pair_each_approach_with_its_own_single_approach():
    """F1c: arm a is [fusion_frozen, fusion_finetune], arm b [feature_extractor,
    fine_tuning_from_scratch]; each fusion approach is paired with the approach b_same_approach
    maps it to. SYNTHETIC compute: fine-tuning costs 20x the frozen arms, fusion 1.5x its
    better single, so a wrong mapping would give ratios near 30 or 0.075."""
    rng = np.random.default_rng(7)
    rows = []
    for ds in DATASETS:
        for s in range(3):
            for appr, sec in (("feature_extractor", 10.0), ("fine_tuning_from_scratch", 200.0)):
                rows.append(_row(ds, s, appr, "arch_p", None, 0.8, 0.9,
                                 sec * math.exp(rng.normal(0, 0.02))))  # fmt: skip
                rows.append(_row(ds, s, appr, "arch_q", None, 0.8, 0.8, sec * 0.5))
            for appr, sec in (("fusion_frozen", 15.0), ("fusion_finetune", 300.0)):
                rows.append(_row(ds, s, appr, "arch_p", "arch_q", 0.8, 0.9,
                                 sec * math.exp(rng.normal(0, 0.05))))  # fmt: skip
    res = pl.DataFrame(rows)
    v, e = _decide(res)
    f1c = v.filter(pl.col("claim_id") == F1C).row(0, named=True)
    assert f1c["verdict"] == "supported" and f1c["n_pairs"] == 4 * 2 * 3
    to_fusion = {
        "feature_extractor": "fusion_frozen",
        "fine_tuning_from_scratch": "fusion_finetune",
    }
    b = res.filter(pl.col("arch2").is_null() & (pl.col("arch") == "arch_p")).select(
        "dataset", "seed", pl.col("approach").replace(to_fusion), pl.col("compute_s").alias("b")
    )
    cells = res.filter(pl.col("arch2").is_not_null()).join(b, on=["dataset", "seed", "approach"])
    cells = cells.select("dataset", (pl.col("compute_s") / pl.col("b")).log().alias("d"))
    ref, per = _reference(cells)
    assert f1c["estimate"] == pytest.approx(math.exp(ref["estimate"]), rel=1e-10)
    assert f1c["ci_high"] == pytest.approx(math.exp(ref["ci_high"]), rel=1e-10)
    assert 1.4 < f1c["estimate"] < 1.6
    r = e.filter((pl.col("claim_id") == F1C) & (pl.col("dataset") == "d1")).row(0, named=True)
    assert r["estimate"] == pytest.approx(math.exp(per["d1"][0]), rel=1e-10)


def test_a_list_valued_arm_field_matches_any_of_its_values():
    df = pl.DataFrame({"approach": ["fusion_frozen", "fusion_finetune", "feature_extractor"]})
    got, why = select_arm(df, Arm((("approach", ("fusion_frozen", "fusion_finetune")),)))
    assert why is None and got["approach"].to_list() == ["fusion_frozen", "fusion_finetune"]


def test_missing_validation_auc_column_is_refused():
    res = _fusion_table().drop("val_auc_macro_ovr")
    with pytest.raises(InputError, match="val_auc_macro_ovr not a column"):
        _decide(res)


def test_cli_without_results_every_claim_not_run(tmp_path, monkeypatch, capsys):
    from review import paths

    monkeypatch.setattr(paths, "results_dir", lambda: tmp_path / "results")
    assert main(["reproduce", "verdicts", SUITE, "--claims", "later", "--format", "csv"]) == 0
    out = tmp_path / "results" / SUITE
    v = pl.read_csv(out / "verdicts.csv")
    assert v.height == 5 and set(v["verdict"]) == {"not_run"}
    assert v["note"].str.contains("--profile gpu_extra").all()
    assert (out / "effects.csv").is_file()
    assert "F1a_fusion_frozen_noninferior" in capsys.readouterr().out
    # the registration is inferred from the suite when --claims is not given
    assert main(["reproduce", "verdicts", SUITE, "--out", str(tmp_path / "o")]) == 0
    assert set(pl.read_csv(tmp_path / "o" / "verdicts.csv")["verdict"]) == {"not_run"}


def test_cli_with_synthetic_results(tmp_path):
    res = tmp_path / "results.parquet"
    _fusion_table().write_parquet(res)
    assert main(["reproduce", "verdicts", SUITE, "--claims", "later", "--results", str(res),
                 "--out", str(tmp_path / "o")]) == 0  # fmt: skip
    v = pl.read_csv(tmp_path / "o" / "verdicts.csv")
    assert v.filter(pl.col("claim_id") == F1A)["verdict"][0] == "supported"


def test_amendment_a1_is_refused_on_a_best_of_claim(tmp_path):
    """A1 would bootstrap every arm-b run, not the chosen backbone's: refused, not misapplied."""
    text = LATER.read_text(encoding="utf-8") + (
        "amendments:\n"
        "  - id: A1_seed_invariant_arms\n"
        "    date: '2026-12-04'\n"
        f"    applies_to: [{F1A}]\n"
        "    change: synthetic\n"
        "    reason: synthetic\n"
    )
    copy = tmp_path / "claims_later.yaml"
    copy.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="not implemented for b_best_of claims"):
        load_claim_set(copy)
