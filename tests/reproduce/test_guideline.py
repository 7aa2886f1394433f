"""The guideline chapter's analysis helpers, on SYNTHETIC result tables (invented numbers).

Also the two small engine features the guideline run needed: ``TLREVIEW_FEATURE_CACHE=refresh``
(every frozen run extracts its own features, so its compute time includes them) and a training
fraction for the CIFAR-10 pretraining recipe; and the shape of the suite's cpu/gpu profiles.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import polars as pl
import pytest
import yaml

from reproduce.claims.verdicts import add_derived_columns, evaluate_claims, load_claims
from reproduce.datasets.synthetic import synthetic_splits
from reproduce.engine.plan import expand_suite, load_suite
from reproduce.report import guideline as gl
from reproduce.results import export
from reproduce.results.collect import polars_schema
from reproduce.results.schema import RESULT_SCHEMA
from review.errors import ConfigError


# ------------------------------------------------------------------------ synthetic results
def _row(**kw) -> dict:
    """One SYNTHETIC result row with the schema's columns (unset ones None)."""
    base = dict.fromkeys(RESULT_SCHEMA)
    base.update(status="ok", suite="guideline", resolution=32, source="imagenet",
                train_fraction=1.0, epochs=4, seed=0, compute_s=10.0,
                trainable_params=1000, total_params=1000, n_train=100)  # fmt: skip
    base.update(kw)
    if base["run_id"] is None:
        base["run_id"] = f"{abs(hash(json.dumps(kw, sort_keys=True, default=str))):016x}"[:16]
    return base


def _synthetic_results() -> pl.DataFrame:
    """SYNTHETIC guideline table: 2 data sets x 3 seeds x two archs x every approach.

    Invented effects: deep FE = deep full fine-tuning - 0.005, at a tenth of its compute;
    transfer beats scratch by 0.10 at 5 % of the data and by 0.02 at 100 %.
    """
    rows = []
    rng = np.random.default_rng(7)
    for ds in ("breastmnist", "retinamnist"):
        for seed in range(3):
            noise = lambda: float(rng.normal(0, 0.002))  # noqa: E731
            for arch, base in (("efficientnet_lite0", 0.85), ("squeezenet1_1", 0.80)):
                rows += [
                    _row(dataset=ds, seed=seed, arch=arch, approach="fine_tuning_from_scratch",
                         auc_macro_ovr=base + noise(), compute_s=100.0,
                         trainable_params=4_000_000),
                    _row(dataset=ds, seed=seed, arch=arch, approach="feature_extractor",
                         auc_macro_ovr=base - 0.005 + noise(), compute_s=10.0,
                         trainable_params=2_000),
                    _row(dataset=ds, seed=seed, arch=arch, approach="scratch", source="random",
                         auc_macro_ovr=base - 0.02 + noise(), compute_s=100.0,
                         trainable_params=4_000_000),
                ]  # fmt: skip
            for k in (1, 2, 4):
                rows.append(
                    _row(dataset=ds, seed=seed, arch="squeezenet1_1", approach="fine_tuning",
                         k_blocks=k, auc_macro_ovr=0.79 + 0.002 * k + noise(),
                         compute_s=20.0 * k, trainable_params=10_000 * k)
                )  # fmt: skip
            rows.append(
                _row(dataset=ds, seed=seed, arch="efficientnet_lite0", source="cifar10",
                     approach="fine_tuning_from_scratch", auc_macro_ovr=0.83 + noise())
            )  # fmt: skip
    for seed in range(2):
        for f, gap in ((0.05, 0.10), (0.1, 0.08), (0.25, 0.06), (0.5, 0.04), (1.0, 0.02)):
            rows += [
                _row(dataset="pneumoniamnist", seed=seed, arch="squeezenet1_1",
                     approach="fine_tuning_from_scratch", train_fraction=f,
                     auc_macro_ovr=0.9 + 0.001 * seed, n_train=int(4708 * f)),
                _row(dataset="pneumoniamnist", seed=seed, arch="squeezenet1_1",
                     approach="scratch", source="random", train_fraction=f,
                     auc_macro_ovr=0.9 - gap, n_train=int(4708 * f)),
            ]  # fmt: skip
    return pl.DataFrame(rows, schema=polars_schema(RESULT_SCHEMA), strict=False)


# ------------------------------------------------------------------------ Pareto front
def test_pareto_front_marks_exactly_the_non_dominated_points():
    # SYNTHETIC points (cost, value): C is dominated by B, D by A (same cost, lower value),
    # E ties A exactly (neither dominates the other), F has no cost.
    pts = pl.DataFrame(
        {
            "name": ["A", "B", "C", "D", "E", "F"],
            "cost": [1.0, 10.0, 20.0, 1.0, 1.0, None],
            "auc_mean": [0.80, 0.90, 0.85, 0.70, 0.80, 0.99],
        }
    )
    out = gl.pareto_front(pts, "cost")
    front = dict(zip(out["name"], out["on_front"], strict=True))
    assert front == {"A": True, "B": True, "C": False, "D": False, "E": True, "F": False}
    assert out.columns == [*pts.columns, "on_front"]


def test_pareto_front_is_per_group():
    pts = pl.DataFrame(  # SYNTHETIC
        {"g": ["x", "x", "y"], "cost": [1.0, 2.0, 5.0], "auc_mean": [0.9, 0.8, 0.1]}
    )
    out = gl.pareto_front(pts, "cost", by=["g"]).sort("cost")
    # y's single point is its own front although x's points dominate it
    assert out["on_front"].to_list() == [True, False, True]


def test_pareto_front_of_summary_prefers_cheap_feature_extractor():
    summ = gl.arm_summary(_synthetic_results())
    front = gl.pareto_front(summ, "compute_s_mean", by=["dataset"])
    bm = front.filter(pl.col("dataset") == "breastmnist")
    fe = bm.filter(pl.col("approach") == "feature_extractor").sort("arch")
    # same (lowest) cost: the better EfficientNet features are on the front, SqueezeNet's not
    assert fe["arch"].to_list() == ["efficientnet_lite0", "squeezenet1_1"]
    assert fe["on_front"].to_list() == [True, False]
    scratch = bm.filter(pl.col("approach") == "scratch")
    assert not scratch["on_front"].any()  # dominated by fine-tuning at the same cost


# ------------------------------------------------------------------------ tables
def test_arm_summary_averages_over_seeds():
    s = gl.arm_summary(_synthetic_results())
    r = s.filter(
        (pl.col("dataset") == "breastmnist")
        & (pl.col("arch") == "efficientnet_lite0")
        & (pl.col("approach") == "fine_tuning_from_scratch")
        & (pl.col("source") == "imagenet")
    )
    assert r.height == 1 and r["n_seeds"][0] == 3
    assert r["auc_mean"][0] == pytest.approx(0.85, abs=0.005)
    assert r["compute_s_mean"][0] == 100.0


def test_learning_curves_and_transfer_gap():
    df = _synthetic_results()
    curves = gl.learning_curves(df)
    assert set(curves["dataset"]) == {"pneumoniamnist"}  # the only multi-fraction data set
    assert sorted(set(curves["train_fraction"])) == [0.05, 0.1, 0.25, 0.5, 1.0]
    gap = gl.transfer_gap(df).filter(pl.col("dataset") == "pneumoniamnist").sort("train_fraction")
    assert gap.height == 10
    first = gap.filter(pl.col("train_fraction") == 0.05)["gap"]
    assert first.to_list() == pytest.approx([0.10, 0.101])


def test_blockwise_curve_maps_approaches_to_blocks():
    curve = gl.blockwise_curve(_synthetic_results())
    sq = curve.filter((pl.col("dataset") == "breastmnist") & (pl.col("arch") == "squeezenet1_1"))
    assert sq["blocks_trained"].to_list() == [0, 1, 2, 4, 5]  # SqueezeNet 1.1 has 5 blocks
    assert sq["approach"].to_list()[0] == "feature_extractor"
    assert sq["approach"].to_list()[-1] == "fine_tuning_from_scratch"
    # no block-wise runs of EfficientNet in the synthetic table: no curve for it
    assert "efficientnet_lite0" not in set(curve["arch"])


def test_source_ablation_orders_sources_and_maps_scratch_to_random():
    ab = gl.source_ablation(_synthetic_results())
    ft = ab.filter(
        (pl.col("dataset") == "breastmnist") & (pl.col("approach") == "fine_tuning_from_scratch")
    )
    assert ft["source"].to_list() == ["imagenet", "cifar10", "random"]
    assert ft["auc_mean"].to_list() == pytest.approx([0.85, 0.83, 0.83], abs=0.005)


def test_beside_published_benchmarks_uses_the_committed_tables():
    df = _synthetic_results()
    v2 = gl.beside_medmnist_v2(df)
    bm = v2.filter((pl.col("dataset") == "breastmnist") & (pl.col("v2_method") == "ResNet-18 (28)"))
    assert bm["v2_test_auc"].to_list() == [0.901, 0.901]  # two archs trained from scratch
    assert set(v2["dataset"]) == {"breastmnist", "retinamnist", "pneumoniamnist"}
    plus = gl.beside_medmnist_plus(df)
    assert set(plus["scheme"]) == {"end_to_end", "linear_probe"}
    e2e = plus.filter(
        (pl.col("dataset") == "breastmnist")
        & (pl.col("scheme") == "end_to_end")
        & (pl.col("plus_model") == "ResNet-18")
        & (pl.col("plus_resolution") == 28)
    )
    assert e2e["plus_test_auc"].to_list() == pytest.approx([0.8761, 0.8761])  # 87.61 %
    # CIFAR-10-pretrained rows are not set beside MedMNIST+'s ImageNet rows
    assert plus.height == plus.unique().height


# ------------------------------------------------------------------------ verdicts and cards
def test_verdicts_section_shows_forest_plot_table_and_a_card_per_claim(tmp_path):
    v = evaluate_claims(_synthetic_results(), "guideline")
    by = {r["claim_id"]: r for r in v.to_dicts()}
    assert by["G1_deep_fe_noninferior"]["verdict"] == "supported"  # -0.005 vs margin 0.02
    assert by["G1b_deep_fe_cheaper"]["estimate"] == pytest.approx(0.1)  # 10 s / 100 s
    assert by["G4b_gap_shrinks_with_data"]["verdict"] == "supported"
    assert by["G6_medmnist_v2_anchor"]["verdict"] == "not_run"
    blocks = gl.verdicts(gl.GuidelineResults(tmp_path, _synthetic_results(), None, []))
    fig, table, *cards = blocks
    assert "<figure" in fig.html and 'alt="Forest plot' in fig.html
    assert "G1b_deep_fe_cheaper" in table.html and '"' + "supported" not in table.html
    by_card = {c.text.split(":")[0]: c for c in cards}
    assert set(by_card) == set(by)
    g1b = by_card["G1b_deep_fe_cheaper"].text
    assert "SUPPORTED" in g1b and "6 pairs" in g1b and "0.1" in g1b
    assert "Compared: arm a:" in g1b and "{" not in g1b  # arms in words, not dicts
    assert "NOT RUN" in by_card["G6_medmnist_v2_anchor"].text


def test_load_results_absent_is_none(tmp_path):
    assert gl.load_guideline_results(tmp_path / "nothing") is None


def test_export_bundle_writes_provenance_and_verdicts(tmp_path):
    df = _synthetic_results().with_columns(
        pl.lit("cpu").alias("device_name"),
        pl.lit("2026-11-26T08:00:00+00:00").alias("finished_utc"),
    )
    out, runs = tmp_path / "results", tmp_path / "runs"
    out.mkdir()
    df.write_parquet(out / "results.parquet")
    rid = df["run_id"][0]
    (runs / "guideline" / rid).mkdir(parents=True)
    (runs / "guideline" / rid / "config.yaml").write_text(yaml.safe_dump({"run_id": rid}))
    (runs / "guideline" / rid / "env.json").write_text(json.dumps({"torch": "x", "time_utc": 1}))
    written = export.export_bundle("cpu", out_dir=out, runs_root=runs, commands=["cmd 1"])
    names = {p.name for p in written}
    assert names == {"configs.jsonl", "env.json", "pretrain_cifar10.json", "verdicts.csv"}
    env = json.loads((out / "env.json").read_text())
    assert env["hardware"]["kind"] == "CPU" and env["commands"] == ["cmd 1"]
    assert env["run_environments"] == [{"runs": 1, "torch": "x"}]
    assert json.loads((out / "configs.jsonl").read_text().splitlines()[0]) == {"run_id": rid}
    verdicts = pl.read_csv(out / "verdicts.csv")
    assert verdicts.height == sum(c["suite"] == "guideline" for c in load_claims()["claims"])
    from review.errors import InputError

    with pytest.raises(InputError, match="results.parquet"):
        export.export_bundle("cpu", out_dir=tmp_path / "empty")


# ------------------------------------------------------------------------ suite profiles
def test_cpu_profile_covers_every_claim_but_the_anchor():
    suite = load_suite("guideline")
    cfgs = expand_suite(suite, "cpu")
    df = add_derived_columns(pl.DataFrame([c.to_dict() for c in cfgs], infer_schema_length=None))
    claims = [c for c in load_claims()["claims"] if c["suite"] == "guideline"]
    for c in claims:
        arms = c["arms"]
        hits = []
        for arm in arms.values():
            sub = df
            for field, want in arm.items():
                sub = sub.filter(pl.col(field).is_in(want if isinstance(want, list) else [want]))
            hits.append(sub.height)
        if c["id"] == "G6_medmnist_v2_anchor":
            assert hits == [0]  # too slow on a CPU: not_run, said so in the chapter
        else:
            assert min(hits) >= 5, (c["id"], hits)
    assert {0.05, 0.1, 0.25, 0.5, 1.0} <= set(df["train_fraction"])


def test_gpu_parts_partition_the_gpu_profile():
    suite = load_suite("guideline")
    whole = {json.dumps(c.to_dict(), sort_keys=True) for c in expand_suite(suite, "gpu")}
    parts = [p for p in suite.profiles if p.startswith("gpu_")]
    assert len(parts) >= 4
    union: set[str] = set()
    for p in parts:
        got = {json.dumps(c.to_dict(), sort_keys=True) for c in expand_suite(suite, p)}
        assert got, p
        union |= got
    assert union == whole


# ------------------------------------------------------------------------ engine features
def test_feature_cache_refresh_extracts_again(monkeypatch):
    import torch

    from reproduce.approaches import build_backbone
    from reproduce.engine.features import FeatureKey, cached_features, feature_cache_mode
    from reproduce.engine.train import ImagePrep

    d = synthetic_splits("synthetic")  # SYNTHETIC images
    bb = build_backbone("tiny2", "imagenet")  # SYNTHETIC toy backbone (conftest)
    key = FeatureKey("tiny2", "imagenet", "w", "synthetic", "c", 16, 0, True, "fp32")

    def run():
        t = d.test
        return cached_features(bb, t.images, t.labels, t.ids, key=key, split="test",
                               prep=ImagePrep(16), batch_size=32, device="cpu")  # fmt: skip

    torch.manual_seed(0)
    f1, hit1, s1 = run()
    _, hit2, s2 = run()
    assert (hit1, hit2) == (False, True) and s1 > 0 and s2 == 0
    monkeypatch.setenv("TLREVIEW_FEATURE_CACHE", "refresh")
    assert feature_cache_mode() == "refresh"
    f3, hit3, s3 = run()
    assert hit3 is False and s3 > 0
    np.testing.assert_array_equal(f1, f3)
    monkeypatch.setenv("TLREVIEW_FEATURE_CACHE", "sometimes")
    with pytest.raises(ValueError, match="TLREVIEW_FEATURE_CACHE"):
        feature_cache_mode()


def test_pretrain_cifar10_train_fraction(monkeypatch, tmp_path):
    from reproduce.models import pretrain
    from reproduce.models.backbone import read_pretrained
    from reproduce.models.pretrain import pretrain_cifar10

    syn = synthetic_splits("synthetic3")  # SYNTHETIC stand-in for CIFAR-10 (3 classes)
    fake = SimpleNamespace(
        train=syn.train, val=syn.val, test=syn.test, classes=syn.classes, checksum="synthetic"
    )
    monkeypatch.setattr(pretrain, "load_splits", lambda *a, **k: fake)
    path, acc = pretrain_cifar10(
        "tiny2", epochs=1, resolution=16, batch_size=32, train_fraction=0.5,
        out=tmp_path / "t.pt",
    )  # fmt: skip
    recipe = read_pretrained(path)["recipe"]
    assert recipe["train_fraction"] == 0.5 and recipe["n_train"] == 60  # 120 x 0.5, stratified
    assert 0.0 <= acc <= 1.0
    with pytest.raises(ConfigError, match="train_fraction"):
        pretrain_cifar10("tiny2", train_fraction=0.0, out=tmp_path / "u.pt")


def test_still_improving_and_swapping_feature_extractor_rows():
    df = _synthetic_results().with_columns(  # SYNTHETIC best epochs: FE at the last epoch
        pl.when(pl.col("approach") == "feature_extractor").then(4).otherwise(2).alias("best_epoch")
    )
    imp = gl.still_improving(df)
    fe = imp.filter(pl.col("approach") == "feature_extractor")
    assert fe["share_best_is_last"].to_list() == [1.0, 1.0]
    assert imp.filter(pl.col("approach") == "scratch")["share_best_is_last"].to_list() == [0, 0]
    longer = df.filter(pl.col("approach") == "feature_extractor").with_columns(
        pl.lit(100).alias("epochs"), (pl.col("auc_macro_ovr") + 0.01).alias("auc_macro_ovr")
    )
    swapped = gl.swap_feature_extractor_rows(df, longer.drop("classes"))
    assert swapped.height == df.height and swapped.columns == df.columns
    fe_rows = swapped.filter(pl.col("approach") == "feature_extractor")
    assert set(fe_rows["epochs"]) == {100}
    with pytest.raises(ValueError, match="feature_extractor"):
        gl.swap_feature_extractor_rows(df, df)


def test_pretrain_cli_rejects_a_bad_train_fraction(capsys):
    from review.cli import main

    argv = ["reproduce", "pretrain", "efficientnet_lite0", "--train-fraction", "1.5"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "train_fraction=1.5: expected 0 < value <= 1" in err[0]


def test_export_main_reports_missing_results_as_a_user_error(tmp_path, capsys):
    assert export.main(["--profile", "cpu", "--out", str(tmp_path)]) == 2
    assert "results.parquet" in capsys.readouterr().err
