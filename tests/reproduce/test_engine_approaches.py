"""Each transfer approach freezes and trains exactly what the review's taxonomy says.

SYNTHETIC: the toy ``tiny2`` backbone (tests/reproduce/conftest.py) on synthetic images.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from reproduce.approaches import (
    SplitArrays,
    TransferModel,
    build_backbone,
    prepare_model,
    run_approach,
)
from reproduce.datasets.synthetic import synthetic_splits
from reproduce.engine.config import RunConfig
from reproduce.engine.train import set_determinism
from reproduce.models.backbone import save_pretrained


def _arrays(a) -> SplitArrays:
    return SplitArrays(a.images, a.labels, a.ids)


def _run(approach: str, source: str = "imagenet", k: int | None = None, seed: int = 0):
    cfg = RunConfig(
        dataset="synthetic",
        arch="tiny2",
        approach=approach,
        source=source,
        k_blocks=k,
        resolution=16,
        epochs=2,
        batch_size=32,
        lr=0.05,
        seed=seed,
    ).resolved()
    set_determinism(cfg.seed, "cpu")
    d = synthetic_splits("synthetic")
    records: list[dict] = []
    out = run_approach(
        cfg,
        _arrays(d.train),
        _arrays(d.val),
        _arrays(d.test),
        n_classes=2,
        data_checksum="synthetic-v1",
        device="cpu",
        log=records.append,
    )
    return cfg, out, records


def _initial_backbone(cfg: RunConfig) -> torch.nn.Module:
    """The backbone's state before training (the engine seeds with cfg.seed before building)."""
    torch.manual_seed(cfg.seed)
    return build_backbone("tiny2", cfg.source)


def _changed(before: torch.nn.Module, after: torch.nn.Module) -> dict[str, bool]:
    """Block -> whether any parameter or BatchNorm buffer differs."""
    b, a = before.state_dict(), after.state_dict()
    out: dict[str, bool] = {}
    for key in b:
        block = key.split(".")[0]  # <block>.<layer>.<tensor>
        if key.endswith("num_batches_tracked"):
            continue
        out[block] = out.get(block, False) or not torch.equal(b[key], a[key].cpu())
    return out


def _bn_changed(before: torch.nn.Module, after: torch.nn.Module) -> dict[str, bool]:
    b, a = before.state_dict(), after.state_dict()
    out: dict[str, bool] = {}
    for key in b:
        if "running_mean" in key or "running_var" in key:
            block = key.split(".")[0]
            out[block] = out.get(block, False) or not torch.equal(b[key], a[key].cpu())
    return out


@pytest.mark.parametrize(
    ("approach", "k", "frozen", "trained"),
    [
        ("feature_extractor", None, {"stem", "top"}, set()),
        ("fine_tuning", 1, {"stem"}, {"top"}),
        ("fine_tuning", 2, set(), {"stem", "top"}),
        ("fine_tuning_from_scratch", None, set(), {"stem", "top"}),
        ("scratch", None, set(), {"stem", "top"}),
    ],
)
def test_blocks_frozen_or_trained(approach, k, frozen, trained):
    cfg, out, records = _run(approach, k=k)
    model: TransferModel = out.model
    before = _initial_backbone(cfg)
    changed = _changed(before.blocks, model.backbone.blocks)
    bn = _bn_changed(before.blocks, model.backbone.blocks)
    for block in frozen:
        assert not changed[block], f"{approach}: frozen block {block} changed"
        assert not bn[block], f"{approach}: BatchNorm statistics of frozen {block} moved"
    for block in trained:
        assert changed[block], f"{approach}: block {block} did not train"
        assert bn[block], f"{approach}: BatchNorm statistics of trained {block} did not update"
    head_params = sum(p.numel() for p in model.head.parameters())
    trainable_blocks = sum(
        p.numel() for n in trained for p in model.backbone.blocks[n].parameters()
    )
    assert out.trainable_params == head_params + trainable_blocks
    assert out.test_probs.shape == (48, 2)
    assert np.allclose(out.test_probs.sum(1), 1.0, atol=1e-5)
    assert out.flops_per_image > 0
    assert records and all("val_auc_macro_ovr" in r for r in records)


def test_scratch_uses_random_initialisation():
    cfg, out, _ = _run("scratch", source="imagenet")
    assert cfg.source == "random"
    pretrained = build_backbone("tiny2", "imagenet").state_dict()
    init = _initial_backbone(cfg).state_dict()
    assert not torch.equal(pretrained["blocks.stem.0.weight"], init["blocks.stem.0.weight"])


def test_hybrid_trains_no_network_and_selects_on_val():
    cfg, out, records = _run("feature_extractor_hybrid")
    assert out.trainable_params == 0
    assert out.selected["classifier"] in ("svm", "rf")
    # one record per candidate (3 SVMs + 1 forest), each with its validation AUC
    assert [r["classifier"] for r in records] == ["svm", "svm", "svm", "rf"]
    best = max(records, key=lambda r: r["val_auc_macro_ovr"])
    assert out.val_metrics["auc_macro_ovr"] == best["val_auc_macro_ovr"]
    assert out.test_probs.shape == (48, 2)


def test_features_are_cached_and_reused():
    _, first, _ = _run("feature_extractor")
    _, second, _ = _run("feature_extractor_hybrid")
    _, third, _ = _run("feature_extractor", seed=0)
    assert first.feature_cache_hit is False and first.feature_extract_s > 0
    assert second.feature_cache_hit is True and second.feature_extract_s == 0
    assert third.feature_cache_hit is True
    np.testing.assert_array_equal(first.test_probs, third.test_probs)


def test_folded_head_equals_standardised_head():
    """The saved feature-extractor network reproduces the test probabilities end to end."""
    cfg, out, _ = _run("feature_extractor")
    d = synthetic_splits("synthetic")
    from reproduce.engine.train import DeviceArrays, ImagePrep, predict

    data = DeviceArrays.from_images(d.test.images, d.test.labels, d.test.ids, "cpu")
    probs = predict(out.model, data, ImagePrep(16), batch_size=64, device="cpu")
    np.testing.assert_allclose(probs, out.test_probs, atol=1e-4)


def test_transfer_model_keeps_frozen_blocks_in_eval():
    model = prepare_model(build_backbone("tiny2", "imagenet"), "fine_tuning", 1, 2)
    model.train()
    assert not model.backbone.blocks["stem"].training
    assert model.backbone.blocks["top"].training
    assert not any(p.requires_grad for p in model.backbone.blocks["stem"].parameters())
    with pytest.raises(ValueError, match="expected 1..2"):
        prepare_model(build_backbone("tiny2", "imagenet"), "fine_tuning", 3, 2)


def test_fit_survives_a_last_batch_of_one_image():
    """SYNTHETIC features: 2 * 8 + 1 training rows with a BatchNorm layer in the model."""
    import numpy as np
    import torch
    from torch import nn

    from reproduce.engine.train import DeviceArrays, fit

    rng = np.random.default_rng(0)
    x = rng.normal(size=(17, 4)).astype(np.float32)
    y = np.arange(17) % 2
    tr = DeviceArrays.from_features(x, y, np.arange(17).astype(str), "cpu")
    va = DeviceArrays.from_features(x[:6], y[:6], np.arange(6).astype(str), "cpu")
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
    res = fit(model, tr, va, prep=None, epochs=2, batch_size=8, lr=1e-2, device="cpu")
    assert res.best_epoch in (1, 2)


def test_cifar10_features_follow_the_checkpoint():
    """A re-pretrained cifar10 checkpoint must not reuse the old checkpoint's cached features
    (SYNTHETIC checkpoints: the toy backbone's weights, perturbed for the second one)."""
    bb = build_backbone("tiny2", "random")
    recipe = {"note": "SYNTHETIC test checkpoint"}
    save_pretrained(bb, recipe=recipe, test_accuracy=0.5)
    _, first, _ = _run("feature_extractor", source="cifar10")
    _, again, _ = _run("feature_extractor", source="cifar10")
    with torch.no_grad():
        next(bb.parameters()).add_(0.01)
    save_pretrained(bb, recipe=recipe, test_accuracy=0.5)
    _, changed, _ = _run("feature_extractor", source="cifar10")
    assert first.feature_cache_hit is False and again.feature_cache_hit is True
    assert changed.feature_cache_hit is False


def test_every_configurable_approach_has_one_registered_strategy():
    from reproduce import approaches
    from reproduce.engine.config import APPROACHES, FROZEN_APPROACHES

    assert sorted(approaches.registered()) == sorted(APPROACHES)
    assert {a for a in APPROACHES if approaches.get(a).frozen} == set(FROZEN_APPROACHES)
    assert approaches.get("fine_tuning").fit is approaches.get("scratch").fit
    with pytest.raises(KeyError, match="unknown approach 'linear_probe'; registered: "):
        approaches.get("linear_probe")


def test_flops_are_counted_once_per_network_shape():
    from reproduce.engine import cost

    model = prepare_model(build_backbone("tiny2", "imagenet"), "fine_tuning", 1, 2)
    key = {"arch": "tiny2", "resolution": 16, "approach": "fine_tuning", "n_classes": 2}
    cost._FLOPS.clear()
    first = cost.flops_per_image(model, **key, device="cpu")
    assert first == cost.count_flops(model, 16, "cpu") > 0 and len(cost._FLOPS) == 1
    # the same network again (another run, another seed): the cached count
    other = prepare_model(build_backbone("tiny2", "imagenet"), "fine_tuning", 1, 2)
    assert cost.flops_per_image(other, **key, device="cpu") == first and len(cost._FLOPS) == 1
    # another resolution or another head is another network
    assert cost.flops_per_image(model, **{**key, "resolution": 32}, device="cpu") > first
    wider = prepare_model(build_backbone("tiny2", "imagenet"), "fine_tuning", 1, 5)
    cost.flops_per_image(wider, **{**key, "n_classes": 5}, device="cpu")
    assert len(cost._FLOPS) == 3