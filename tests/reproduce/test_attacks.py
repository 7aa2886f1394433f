"""UAP attacks: norm budgets, the random control, fooling rates, seeds, targeted mode, the suite.

Everything is SYNTHETIC (hand-built toy models, random tensors, the engine's synthetic data set
and the ``tiny2`` toy backbone of ``conftest.py``) except the smoke-profile test, which reads the
real BreastMNIST and CIFAR-10 files and is skipped without ``TLREVIEW_DATA_DIR``.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import torch
from torch import nn

from reproduce.attacks.cli import register_attack
from reproduce.attacks.execute import attack_run, attacks_root, load_run
from reproduce.attacks.metrics import (
    accuracy,
    evaluate_uap,
    fooling_rate,
    predict_labels,
)
from reproduce.attacks.spec import AttackSpec, attack_id
from reproduce.attacks.suite import expand_attacks
from reproduce.attacks.summary import seed_summary
from reproduce.attacks.uap import (
    AttackError,
    UAPConfig,
    apply_uap,
    generate_uap,
    lp_norm,
    mean_image_norm,
    project,
    random_uap,
)
from reproduce.engine.config import RunConfig
from reproduce.engine.execute import execute_run
from reproduce.results.collect import polars_schema
from reproduce.results.schema import ATTACK_SCHEMA

ROOT = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------------------- toy models
class MeanThreshold(nn.Module):
    """SYNTHETIC 2-class model: class 1 iff the mean pixel value exceeds 0.5.

    logits = [0, 100 * (mean(x) - 0.5)], so the decision is hand-checkable.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (N, 2)."""
        s = 100.0 * (x.mean(dim=(1, 2, 3)) - 0.5)
        return torch.stack([torch.zeros_like(s), s], dim=1)


def _toy_cnn(seed: int = 0, k: int = 3) -> nn.Module:
    """SYNTHETIC small random CNN classifier of RGB [0, 1] images (8 x 8) into ``k`` classes."""
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 8 * 8, k)
    ).eval()


def _images(n: int = 64, seed: int = 0) -> torch.Tensor:
    """SYNTHETIC images (n, 3, 8, 8) uniform in [0, 1]."""
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, 3, 8, 8, generator=g)


# ----------------------------------------------------------------------------- norm budget
@pytest.mark.parametrize("norm", ["l2", "linf"])
def test_projection_respects_budget(norm):
    v = torch.randn(5, 3, 16, 16) * 3
    eps = 0.7
    p = project(v, norm, eps)
    n = lp_norm(p, norm)
    assert torch.all(n <= eps), n.max().item()
    assert torch.allclose(n, torch.full_like(n, eps), rtol=1e-5)  # all were outside the ball
    small = v * 1e-4
    assert torch.equal(project(small, norm, eps), small)  # inside the ball: unchanged


@pytest.mark.parametrize("norm", ["l2", "linf"])
def test_generated_uap_respects_budget_exactly(norm):
    model, x = _toy_cnn(), _images()
    eps = 0.04 * mean_image_norm(x, norm)
    cfg = UAPConfig(norm=norm, eps_ratio=0.04, max_epochs=4, step_ratio=0.25, batch_size=16)
    res = generate_uap(model, x, cfg, eps=eps)
    got = float(lp_norm(res.perturbation[None], norm)[0])
    assert got <= eps  # never over budget (float64 norm of the float32 tensor)
    assert got == pytest.approx(eps, rel=1e-5)  # 16 steps of eps/4: the budget is used fully
    assert res.perturbation.shape == (3, 8, 8) and res.epochs_run == 4


def test_mean_image_norm_hand_checked():
    # SYNTHETIC: image a is all 0.5 (L2 = 0.5 * sqrt(12) = sqrt(3)), image b all 1 (sqrt(12)).
    x = torch.stack([torch.full((3, 2, 2), 0.5), torch.ones(3, 2, 2)])
    assert mean_image_norm(x, "l2") == pytest.approx((3**0.5 + 12**0.5) / 2)
    assert mean_image_norm(x, "linf") == pytest.approx(0.75)


# ----------------------------------------------------------------------------- random control
@pytest.mark.parametrize("norm", ["l2", "linf"])
def test_random_control_has_exactly_the_budget_norm(norm):
    eps = 0.123
    v = random_uap((3, 32, 32), norm, eps, seed=5)
    assert float(lp_norm(v[None], norm)[0]) == pytest.approx(eps, rel=1e-6)
    if norm == "linf":  # every pixel at the bound
        assert torch.allclose(v.abs(), torch.full_like(v, eps))
    assert torch.equal(v, random_uap((3, 32, 32), norm, eps, seed=5))
    assert not torch.equal(v, random_uap((3, 32, 32), norm, eps, seed=6))


# ----------------------------------------------------------------------------- fooling rate
def test_fooling_rate_definitions():
    assert fooling_rate([0, 0, 1, 1], [0, 1, 0, 1]) == 0.5
    assert fooling_rate([0, 0, 1, 1], [1, 1, 1, 0], target=1) == 0.75
    assert np.isnan(fooling_rate([], []))
    assert accuracy([0, 1, 1], [0, 1, 0]) == pytest.approx(2 / 3)
    with pytest.raises(ValueError):
        fooling_rate([0, 1], [0])


def test_fooling_rate_on_a_hand_checkable_model():
    # SYNTHETIC: 10 constant images with mean values 0.05, 0.15, ..., 0.95; labels by the rule.
    means = torch.arange(10, dtype=torch.float32) / 10 + 0.05
    x = means.view(-1, 1, 1, 1).expand(-1, 3, 4, 4).contiguous()
    labels = (means > 0.5).long().numpy()
    model = MeanThreshold()
    clean = predict_labels(model, x)
    assert clean.tolist() == [0] * 5 + [1] * 5
    # +0.2 everywhere: images 0.35 and 0.45 cross the threshold -> 2 of 10 fooled.
    v = torch.full((3, 4, 4), 0.2)
    adv = predict_labels(model, x, perturbation=v)
    m = evaluate_uap(labels, clean, adv)
    assert m["fooling_rate"] == pytest.approx(0.2)
    assert m["clean_accuracy"] == 1.0 and m["perturbed_accuracy"] == pytest.approx(0.8)
    # clipping to [0, 1]: +0.2 on 0.95 stays 1.0, still class 1
    assert float(apply_uap(x[-1:], v).max()) == 1.0
    # targeted into class 1: 5 clean + 2 pushed = 7 of 10
    t = evaluate_uap(labels, clean, adv, target=1)
    assert t["fooling_rate"] == pytest.approx(0.7) and t["clean_target_rate"] == 0.5


def test_seed_summary_t_interval():
    # SYNTHETIC rows: 3 seeds of one configuration, fooling rates 0.2, 0.4, 0.6.
    df = pl.DataFrame(
        {
            "dataset": ["d"] * 3,
            "uap_source": ["natural"] * 3,
            "seed": [0, 1, 2],
            "status": ["ok"] * 3,
            "fooling_rate": [0.2, 0.4, 0.6],
        }
    )
    s = seed_summary(df, metrics=["fooling_rate"])
    row = s.row(0, named=True)
    # mean 0.4, sd 0.2, t_{0.975, 2} = 4.302653: half-width 4.302653 * 0.2 / sqrt(3)
    assert row["estimate"] == pytest.approx(0.4) and row["n"] == 3
    assert row["ci_high"] - row["estimate"] == pytest.approx(4.302653 * 0.2 / 3**0.5, rel=1e-5)


# ----------------------------------------------------------------------------- generation
def test_uap_fools_more_than_random_noise_and_seeds_reproduce():
    model, x = _toy_cnn(k=2), _images(64)
    eps = 0.05 * mean_image_norm(x, "linf")
    cfg = UAPConfig(
        norm="linf", eps_ratio=0.05, max_epochs=3, step_ratio=0.25, batch_size=16, seed=3
    )
    a = generate_uap(model, x, cfg, eps=eps)
    b = generate_uap(model, x, cfg, eps=eps)
    assert torch.equal(a.perturbation, b.perturbation)  # same seed: the same UAP
    c = generate_uap(model, x, UAPConfig(**{**cfg.__dict__, "seed": 4}), eps=eps)
    assert not torch.equal(a.perturbation, c.perturbation)  # another batch order
    clean = predict_labels(model, x)
    fr_uap = fooling_rate(clean, predict_labels(model, x, perturbation=a.perturbation))
    fr_rnd = fooling_rate(
        clean, predict_labels(model, x, perturbation=random_uap((3, 8, 8), "linf", eps, 3))
    )
    assert fr_uap == pytest.approx(a.source_fooling_rate)
    assert fr_uap > fr_rnd


def test_targeted_uap_pushes_into_the_target():
    model, x = _toy_cnn(k=3), _images(96)
    clean = predict_labels(model, x)
    target = int(np.bincount(clean, minlength=3).argmin())  # the rarest clean class
    eps = 0.1 * mean_image_norm(x, "l2")
    cfg = UAPConfig(
        norm="l2",
        eps_ratio=0.1,
        targeted=True,
        target_class=target,
        max_epochs=5,
        step_ratio=0.2,
        batch_size=16,
    )
    res = generate_uap(model, x, cfg, eps=eps)
    adv = predict_labels(model, x, perturbation=res.perturbation)
    assert fooling_rate(clean, adv, target=target) > float(np.mean(clean == target)) + 0.2
    with pytest.raises(AttackError, match="target_class"):
        UAPConfig(targeted=True).validated()


def test_config_errors_name_the_field():
    with pytest.raises(AttackError, match="norm='l3'"):
        UAPConfig(norm="l3").validated()
    with pytest.raises(AttackError, match="eps_ratio"):
        AttackSpec(uap_source="natural", norm="linf", eps_ratio=0).resolved()
    with pytest.raises(AttackError, match="uap_source"):
        AttackSpec(uap_source="imagenet", norm="linf", eps_ratio=0.02).resolved()


def test_expand_attacks_seed_and_target_by_name():
    grids = [
        {"uap_source": ["natural", "random"], "norm": "linf", "eps_ratio": 0.02},
        {
            "uap_source": "natural",
            "norm": "linf",
            "eps_ratio": 0.02,
            "targeted": True,
            "target_class": {"synthetic": "class1"},
        },
    ]
    specs = expand_attacks(grids, run_seed=7, dataset="synthetic")
    assert [s.seed for s in specs] == [7, 7, 7]  # `seed: run` by default
    assert specs[2].target_class == 1 and specs[0].target_class is None
    # the random control's identity ignores generation settings it does not use
    r1 = AttackSpec(uap_source="random", norm="l2", eps_ratio=0.04, n_source=10)
    r2 = AttackSpec(uap_source="random", norm="l2", eps_ratio=0.04, n_source=99)
    assert attack_id("abc", r1, code="x") == attack_id("abc", r2, code="x")


# ----------------------------------------------------------------------------- run folders
@pytest.fixture
def synthetic_run(tmp_path):
    """A SYNTHETIC engine run (toy backbone, synthetic images) kept with its model."""
    cfg = RunConfig(
        dataset="synthetic",
        arch="tiny2",
        approach="fine_tuning_from_scratch",
        resolution=16,
        epochs=2,
        batch_size=32,
        lr=0.02,
    )
    out = execute_run(cfg, suite="tiny", device="cpu", keep_model=True)
    assert out.status == "ok", out.result["error"]
    return out.folder


def test_attack_run_rebuilds_the_model_and_writes_rows(synthetic_run, capsys):
    run = load_run(synthetic_run)
    # the rebuilt network predicts exactly what the run predicted on its test split
    pred = pl.read_parquet(synthetic_run / "predictions.parquet")
    from reproduce.datasets.synthetic import synthetic_splits
    from reproduce.engine.train import ImagePrep

    test = synthetic_splits("synthetic").test
    x = torch.from_numpy(test.images).permute(0, 3, 1, 2)
    got = predict_labels(run.model, x, prep=lambda b: ImagePrep(16)(b, False, None))
    assert got.tolist() == pred["pred"].to_list()

    specs = [
        AttackSpec(
            uap_source=s, norm=n, eps_ratio=0.05, seed=1, n_source=48, max_epochs=2, batch_size=16
        )
        for s in ("training", "random")
        for n in ("linf", "l2")
    ]
    specs.append(
        AttackSpec(
            uap_source="training",
            norm="linf",
            eps_ratio=0.05,
            targeted=True,
            target_class=0,
            seed=1,
            n_source=48,
            max_epochs=2,
            batch_size=16,
        )
    )
    rows = attack_run(run, specs)
    assert [r["status"] for r in rows] == ["ok"] * 5, [r["error"] for r in rows]
    df = pl.DataFrame(rows, schema=polars_schema(ATTACK_SCHEMA))
    assert list(rows[0]) == list(ATTACK_SCHEMA)
    assert (df["train_seed"] == 0).all() and (df["seed"] == 1).all()
    # n_eval: the images actually attacked (the whole synthetic test split of 48), whose clean
    # accuracy is the run's own test accuracy
    assert (df["n_eval"] == 48).all()
    assert np.allclose(df["clean_accuracy"].to_numpy(), df["run_accuracy"].to_numpy())
    for norm in ("linf", "l2"):
        sub = df.filter(~pl.col("targeted") & (pl.col("norm") == norm))
        assert sub["eps"].n_unique() == 1  # one budget for every source of a run and norm
        eps = sub["eps"][0]
        rnd = sub.filter(pl.col("uap_source") == "random")
        assert rnd["uap_norm"][0] == pytest.approx(eps, rel=1e-6)  # control: exactly eps
        assert (sub["uap_norm"] <= eps * (1 + 1e-6)).all()
    folder = attacks_root() / rows[0]["attack_id"]
    assert (folder / "perturbation.npy").is_file() and (folder / "example.npz").is_file()
    v = np.load(folder / "perturbation.npy")
    assert v.shape == (3, 16, 16) and v.dtype == np.float32
    # rerun: cache hits (same rows, nothing recomputed)
    again = attack_run(run, specs)
    assert [r["finished_utc"] for r in again] == [r["finished_utc"] for r in rows]

    # the CLI on the same run folder
    parser = argparse.ArgumentParser(prog="tlreview reproduce")
    register_attack(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        [
            "attack",
            str(synthetic_run),
            "--source",
            "random",
            "--norm",
            "l2",
            "--eps-ratio",
            "0.03",
            "--seed",
            "0",
            "--seed",
            "1",
            "--device",
            "cpu",
            "--format",
            "json",
        ]
    )
    assert args.func(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["seed"] for r in out] == [0, 1] and all(r["status"] == "ok" for r in out)
    assert out[0]["uap_norm"] == pytest.approx(out[0]["eps"], rel=1e-6)
    bad = parser.parse_args(["attack", "no-such-run"])
    with pytest.raises(AttackError, match="no such folder"):
        bad.func(bad)


def test_hybrid_and_missing_model_are_refused(tmp_path):
    hyb = RunConfig(
        dataset="synthetic",
        arch="tiny2",
        approach="feature_extractor_hybrid",
        resolution=16,
        classifier="rf",
    )
    out = execute_run(hyb, suite="tiny", device="cpu", keep_model=True)
    with pytest.raises(AttackError, match="not differentiable"):
        load_run(out.folder)
    plain = RunConfig(
        dataset="synthetic", arch="tiny2", approach="feature_extractor", resolution=16, epochs=1
    )
    out2 = execute_run(plain, suite="tiny", device="cpu", keep_model=False)
    with pytest.raises(AttackError, match="--keep-model"):
        load_run(out2.folder)


def test_suite_on_synthetic_data_records_failures(tmp_path):
    """A SYNTHETIC uap suite: one trainable toy run, one run whose architecture does not exist."""
    from reproduce.attacks.suite import collect_uap, load_attack_rows, run_uap_suite

    suite = tmp_path / "tinyuap.yaml"
    suite.write_text(
        """
suite: tinyuap
description: SYNTHETIC uap suite (toy backbone, synthetic images)
profiles:
  smoke:
    defaults: {dataset: synthetic, resolution: 16, epochs: 1, batch_size: 32, lr: 0.02}
    grids:
      - {arch: [tiny2, no_such_arch], approach: fine_tuning_from_scratch, source: imagenet}
    attacks:
      - {uap_source: [training, random], norm: linf, eps_ratio: 0.05, n_source: 32,
         max_epochs: 1, batch_size: 16}
"""
    )
    prof, rows = run_uap_suite(str(suite), "smoke", device="cpu", echo=lambda s: None)
    assert len(rows) == 4
    status = {(r["arch"], r["uap_source"]): r["status"] for r in rows}
    assert status[("tiny2", "training")] == "ok" and status[("tiny2", "random")] == "ok"
    bad = [r for r in rows if r["arch"] == "no_such_arch"]
    assert all(r["status"] == "error" and "training failed" in r["error"] for r in bad)
    # the failures are on disk too, so collect reports them
    df, _ = collect_uap(prof, out_dir=tmp_path / "out", device="cpu")
    assert df.height == 4 and (df["status"] == "error").sum() == 2
    assert load_attack_rows([r["attack_id"] for r in bad]).height == 2


# ----------------------------------------------------------------------------- smoke profile
@pytest.mark.slow
@pytest.mark.data
@pytest.mark.timeout(300)
def test_smoke_profile_end_to_end(tmp_path, monkeypatch):
    if not os.environ.get("TLREVIEW_DATA_DIR") or not os.environ.get("TLREVIEW_WEIGHTS_DIR"):
        pytest.skip(
            "TLREVIEW_DATA_DIR / TLREVIEW_WEIGHTS_DIR not set: the real BreastMNIST, "
            "CIFAR-10 and SqueezeNet files are not available"
        )
    # decoded arrays are keyed by the source files' checksums: reuse the project's cache
    # (decoding CIFAR-10 alone takes ~30 s) while runs and results stay in tmp_path
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(ROOT / "cache"))
    from reproduce.attacks.suite import collect_uap, run_uap_suite

    prof, rows = run_uap_suite("uap", "smoke", device="cpu", echo=lambda s: None)
    assert len(prof.planned) == 2 and len(rows) == 2 * 8
    assert all(r["status"] == "ok" for r in rows), [r["error"] for r in rows]
    df, written = collect_uap(prof, out_dir=tmp_path / "out", device="cpu")
    assert df.height == 16 and set(df["uap_source"]) == {"natural", "training", "random"}
    assert (tmp_path / "out" / "results.parquet").is_file()
    assert pl.read_parquet(tmp_path / "out" / "results.parquet").schema == polars_schema(
        ATTACK_SCHEMA
    )
    env = json.loads((tmp_path / "out" / "env.json").read_text())
    assert env["hardware"].startswith("CPU") and env["n_ok"] == 16
    ex = sorted(p.name for p in (tmp_path / "out" / "examples").glob("*.npz"))
    assert len(ex) == 3 and sum(p.stat().st_size for p in written if p.exists()) > 0
    from reproduce.claims.verdicts import evaluate_claims

    v = evaluate_claims(df, "uap")
    assert set(v["claim_id"]) == {
        "U1_natural_uap_beats_noise",
        "U2_training_uap_beats_natural",
        "U3_scratch_less_fooled",
    }


def test_committed_examples_hold_no_data_pixels():
    """The data sets' pixels stay under TLREVIEW_DATA_DIR: examples store an image id only."""
    from review import paths

    folder = paths.results_dir() / "uap" / "examples"
    files = sorted(folder.glob("*.npz"))
    if not files:
        pytest.skip("no committed uap examples")
    for f in files:
        z = np.load(f)
        assert "clean" not in z.files and "perturbed" not in z.files, f
        assert z["image_id"].shape == (1,) and z["perturbation"].ndim == 3, f


@pytest.mark.skipif(not os.environ.get("TLREVIEW_DATA_DIR"), reason="needs TLREVIEW_DATA_DIR")
def test_example_image_rebuilds_the_attacked_view():
    import polars as pl

    from reproduce.attacks.execute import example_image
    from review import paths

    res = paths.results_dir() / "uap"
    index = pl.read_csv(res / "examples" / "index.csv").filter(pl.col("dataset") == "busi")
    if index.height == 0:
        pytest.skip("no committed busi example")
    r = index.row(0, named=True)
    run = pl.read_parquet(res / "runs.parquet").filter(pl.col("run_id") == r["run_id"])
    z = np.load(res / "examples" / r["file"])
    img = example_image(run.row(0, named=True), str(z["image_id"][0]))
    assert img.shape == z["perturbation"].shape
    assert 0.0 <= img.min() and img.max() <= 1.0
    with pytest.raises(KeyError):
        example_image(run.row(0, named=True), "no/such/image.png")
