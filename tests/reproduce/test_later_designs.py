"""The later designs of issue #18: two-backbone fusion and the CNN + transformer hybrid.

Shapes, which parameters train (frozen vs fine-tuned, both backbones), FLOP accounting, the
multi-view token path, the registry and the config field ``arch2``.

SYNTHETIC: the engine's synthetic images and randomly initialised (``random`` source) registered
architectures (SqueezeNet 1.1, EfficientNet-Lite0) at 32-64 px, and synthetic tensors for the
two-view path; nothing here is real data or pretrained weights.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from torch import nn

from reproduce.approaches import SplitArrays, get, registered, run_approach
from reproduce.approaches.cnn_transformer import (
    DEPTH,
    FFN,
    WIDTH,
    CNNTransformer,
    TokenMixer,
    build_cnn_transformer,
    feature_map_shape,
)
from reproduce.approaches.fusion import FusionModel, build_fusion
from reproduce.datasets.synthetic import synthetic_splits
from reproduce.engine.config import FROZEN_APPROACHES, ConfigError, RunConfig, run_id
from reproduce.engine.cost import count_flops
from reproduce.engine.train import set_determinism
from reproduce.models.zoo import build_backbone

LATER = ("fusion_frozen", "fusion_finetune", "cnn_transformer_frozen", "cnn_transformer_finetune")
A1, A2 = "squeezenet1_1", "efficientnet_lite0"


def _cfg(approach: str, **kw) -> RunConfig:
    base = dict(
        dataset="synthetic",
        arch=A1,
        approach=approach,
        source="random",
        resolution=32,
        epochs=1,
        batch_size=32,
        lr=1e-3,
        seed=0,
    )
    if approach.startswith("fusion"):
        base["arch2"] = A2
    base.update(kw)
    return RunConfig(**base).resolved()


def _arrays(a) -> SplitArrays:
    return SplitArrays(a.images, a.labels, a.ids)


def _run(cfg: RunConfig):
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
    return out, records


# ------------------------------------------------------------------ registry and config
def test_registered_with_their_frozen_flags():
    names = registered()
    for name in LATER:
        assert name in names
        assert get(name).frozen == (name in FROZEN_APPROACHES)
    assert get("fusion_frozen").frozen and get("cnn_transformer_frozen").frozen
    assert not get("fusion_finetune").frozen and not get("cnn_transformer_finetune").frozen


def test_arch2_required_for_fusion_and_dropped_elsewhere():
    with pytest.raises(ConfigError, match="arch2"):
        RunConfig("synthetic", A1, "fusion_frozen").resolved()
    with pytest.raises(ConfigError, match="two different"):
        RunConfig("synthetic", A1, "fusion_finetune", arch2=A1).resolved()
    c = RunConfig("synthetic", A1, "feature_extractor", arch2=A2).resolved()
    assert c.arch2 is None
    assert RunConfig("synthetic", A1, "fusion_frozen", arch2=A2).resolved().arch2 == A2
    # frozen designs never augment (features / feature maps are extracted once)
    assert not _cfg("fusion_frozen", augment=True).augment
    assert not _cfg("cnn_transformer_frozen", augment=True).augment
    assert _cfg("cnn_transformer_finetune", augment=True).augment


def test_new_field_leaves_existing_run_ids_unchanged():
    # Pinned before `arch2` existed (commit b1bdc5e, `run_id(cfg, "d", "c")`): a config that does
    # not use the new field keeps its identity, so committed results stay valid.
    cfg = RunConfig("breastmnist", "efficientnet_lite0", "feature_extractor", resolution=32)
    assert run_id(cfg, "d", "c") == "b8f1ec5cd4eb0534"
    cfg = RunConfig(
        "busi", "squeezenet1_1", "fine_tuning", k_blocks=1, lr_grid=(1e-4, 3e-4, 1e-3),
        resolution=224, seed=3,
    )  # fmt: skip
    assert run_id(cfg, "d", "c") == "2ee2ba2774bd93d9"
    # ... while the second architecture is part of a fusion run's identity.
    f1 = RunConfig("busi", A1, "fusion_frozen", arch2=A2)
    f2 = dataclasses.replace(f1, arch2="efficientnet_lite2")
    assert run_id(f1, "d", "c") != run_id(f2, "d", "c")


# ------------------------------------------------------------------ fusion
def test_fusion_shapes_and_l2_normalised_halves():
    torch.manual_seed(0)
    model = build_fusion(_cfg("fusion_finetune"), n_classes=3).eval()
    d1 = model.backbone.first.spec.feature_dim
    d2 = model.backbone.second.spec.feature_dim
    assert model.backbone.feature_dim == d1 + d2 == 512 + 1280
    x = torch.rand(4, 3, 32, 32)
    with torch.no_grad():
        f = model.backbone(x)
        logits = model(x)
    assert f.shape == (4, d1 + d2) and logits.shape == (4, 3)
    torch.testing.assert_close(f[:, :d1].norm(dim=1), torch.ones(4))
    torch.testing.assert_close(f[:, d1:].norm(dim=1), torch.ones(4))
    raw = FusionModel(model.backbone.first, model.backbone.second, 3, normalize=False).eval()
    with torch.no_grad():
        assert not torch.allclose(raw.backbone(x)[:, :d1].norm(dim=1), torch.ones(4))


@pytest.mark.parametrize("approach", ["fusion_frozen", "fusion_finetune"])
def test_fusion_requires_grad(approach):
    model = build_fusion(_cfg(approach), n_classes=2)
    for bb in (model.backbone.first, model.backbone.second):
        flags = {p.requires_grad for p in bb.parameters()}
        assert flags == ({False} if approach == "fusion_frozen" else {True})
    assert all(p.requires_grad for p in model.head.parameters())
    model.train()
    if approach == "fusion_frozen":  # frozen blocks keep BatchNorm in eval mode
        assert not any(m.training for m in model.backbone.first.blocks.values())
        assert not any(m.training for m in model.backbone.second.blocks.values())
    else:
        assert all(m.training for m in model.backbone.second.blocks.values())


def test_fusion_flops_are_the_sum_of_both_backbones_and_the_head():
    model = build_fusion(_cfg("fusion_frozen", resolution=64), n_classes=4)
    fused = count_flops(model, 64, "cpu")
    b1 = count_flops(build_backbone(A1, "random"), 64, "cpu")
    b2 = count_flops(build_backbone(A2, "random"), 64, "cpu")
    head = 2 * (512 + 1280) * 4
    assert b1 > 0 and b2 > 0
    assert fused == pytest.approx(b1 + b2 + head, rel=0.01)


@pytest.mark.slow
def test_fusion_frozen_trains_only_the_head_and_fusion_finetune_both_backbones():
    cfg = _cfg("fusion_frozen")
    out, records = _run(cfg)
    assert out.test_probs.shape == (48, 2)
    np.testing.assert_allclose(out.test_probs.sum(1), 1.0, rtol=1e-5)
    torch.manual_seed(cfg.seed)
    before = build_fusion(cfg, 2)
    after = out.model
    for name in ("first", "second"):  # nothing of either backbone moved, BatchNorm included
        sb = getattr(before.backbone, name).state_dict()
        sa = getattr(after.backbone, name).state_dict()
        assert all(torch.equal(sb[k], sa[k].cpu()) for k in sb)
    assert out.trainable_params == (512 + 1280) * 2 + 2
    assert out.total_params == sum(p.numel() for p in before.parameters())
    assert out.selected["params_arch"] + out.selected["params_arch2"] + 3586 == out.total_params
    assert out.feature_cache_hit is False and records[0]["stage"] == "linear_head"
    out2, _ = _run(cfg)  # the second run (another seed would too) reads the pair's cache
    assert out2.feature_cache_hit is True

    cfg = _cfg("fusion_finetune")
    out, records = _run(cfg)
    torch.manual_seed(cfg.seed)
    before = build_fusion(cfg, 2)
    for name in ("first", "second"):
        sb = getattr(before.backbone, name).state_dict()
        sa = getattr(out.model.backbone, name).state_dict()
        assert any(not torch.equal(sb[k], sa[k].cpu()) for k in sb if "num_batches" not in k)
    assert out.trainable_params == out.total_params
    assert out.best_epoch == 1 and records[0]["stage"] == "train"


# ------------------------------------------------------------------ CNN + transformer
def test_feature_map_tokens_and_logits_single_view():
    torch.manual_seed(0)
    model = build_cnn_transformer(_cfg("cnn_transformer_finetune", resolution=64), 3).eval()
    c, h, w = feature_map_shape(model.backbone, 64)
    assert (c, h, w) == (512, 3, 3)
    x = torch.rand(2, 3, 64, 64)
    with torch.no_grad():
        maps = model.feature_maps(x)
        tokens = model.mixer.tokens(maps)
        logits = model(x)
    assert maps.shape == (2, 512, 3, 3)
    assert tokens.shape == (2, 1 + 9, WIDTH) and logits.shape == (2, 3)
    assert len(model.mixer.encoder.layers) == DEPTH and WIDTH <= 256
    assert model.mixer.view_embed is None  # single view: no view embedding


def test_two_view_tokens_are_concatenated_with_a_view_embedding():
    # SYNTHETIC two-view tensors: no multi-view data set is available here.
    torch.manual_seed(0)
    mixer = TokenMixer(8, (2, 3), 4, n_views=2).eval()
    maps = torch.randn(5, 2, 8, 2, 3)
    with torch.no_grad():
        t = mixer.tokens(maps)
        assert t.shape == (5, 1 + 2 * 6, WIDTH)
        # the same map in both views differs only by the two view embeddings
        same = mixer.tokens(maps[:, :1].expand(-1, 2, -1, -1, -1))
        diff = same[:, 1 + 6 :] - same[:, 1:7]
        expect = (mixer.view_embed[1] - mixer.view_embed[0]).expand_as(diff)
        torch.testing.assert_close(diff, expect, rtol=1e-5, atol=1e-5)
        # each view's tokens come from that view's map
        single = TokenMixer(8, (2, 3), 4).eval()
        single.load_state_dict(
            {k: v for k, v in mixer.state_dict().items() if k != "view_embed"}, strict=True
        )
        one = single.tokens(maps[:, 1])[:, 1:] + mixer.view_embed[1]
        torch.testing.assert_close(t[:, 7:], one, rtol=1e-5, atol=1e-5)
        assert mixer(maps).shape == (5, 4)
    with pytest.raises(ValueError, match="view"):
        mixer(torch.randn(5, 3, 8, 2, 3))
    # the full model takes (N, V, 3, H, W) images through the CNN view by view
    cnn = build_cnn_transformer(_cfg("cnn_transformer_finetune", resolution=64), 2, n_views=2)
    with torch.no_grad():
        out = cnn.eval()(torch.rand(3, 2, 3, 64, 64))
    assert out.shape == (3, 2)


def test_width_capped_at_256():
    with pytest.raises(ValueError, match="256"):
        TokenMixer(8, (2, 2), 2, width=320)


def test_cnn_transformer_flops_are_cnn_plus_mixer():
    r, k = 64, 2
    model = build_cnn_transformer(_cfg("cnn_transformer_frozen", resolution=r), k)
    total = count_flops(model, r, "cpu")

    class Blocks(nn.Module):
        def __init__(self, bb):
            super().__init__()
            self.bb = bb

        def forward(self, x):
            return self.bb.forward_blocks(x)

    cnn = count_flops(Blocks(build_backbone(A1, "random")), r, "cpu")
    c, h, w = 512, 3, 3
    n = 1 + h * w  # tokens
    proj = 2 * c * WIDTH * h * w
    layer = 2 * (4 * n * WIDTH * WIDTH + 2 * n * n * WIDTH + 2 * n * WIDTH * FFN)
    head = 2 * WIDTH * k
    assert total == pytest.approx(cnn + proj + DEPTH * layer + head, rel=0.01)


@pytest.mark.parametrize("approach", ["cnn_transformer_frozen", "cnn_transformer_finetune"])
def test_cnn_transformer_requires_grad(approach):
    model = build_cnn_transformer(_cfg(approach), 2)
    flags = {p.requires_grad for p in model.backbone.parameters()}
    assert flags == ({False} if approach.endswith("frozen") else {True})
    assert all(p.requires_grad for p in model.mixer.parameters())
    assert isinstance(model, CNNTransformer)


@pytest.mark.slow
@pytest.mark.parametrize("approach", ["cnn_transformer_frozen", "cnn_transformer_finetune"])
def test_cnn_transformer_runs_and_trains_what_it_says(approach):
    cfg = _cfg(approach, epochs=2, lr_grid=(1e-3, 3e-3))
    out, records = _run(cfg)
    assert out.test_probs.shape == (48, 2)
    np.testing.assert_allclose(out.test_probs.sum(1), 1.0, rtol=1e-5)
    assert out.selected["views"] == 1 and out.selected["tokens"] == 2
    assert out.selected["lr"] in (1e-3, 3e-3) and out.best_epoch in (1, 2)
    assert len(records) == 4  # 2 learning rates x 2 epochs
    torch.manual_seed(cfg.seed)
    before = build_cnn_transformer(cfg, 2).backbone.state_dict()
    after = out.model.backbone.state_dict()
    moved = any(not torch.equal(before[k], after[k].cpu()) for k in before if "num_b" not in k)
    assert moved == (approach == "cnn_transformer_finetune")
    n_mixer = sum(p.numel() for p in out.model.mixer.parameters())
    if approach == "cnn_transformer_frozen":
        assert out.trainable_params == n_mixer and out.feature_extract_s > 0
    else:
        assert out.trainable_params == out.total_params
