"""``resnet18_medmnist``: MedMNIST v2's 28-px ResNet-18 (3x3 stride-1 stem, no max-pool).

Independent reference: the CIFAR-style ResNet-18 that MedMNIST v2's "ResNet-18 (28)" follows has
11,173,962 parameters with a 10-class linear layer (the count widely reported for that network,
e.g. kuangliu/pytorch-cifar), i.e. 11,168,832 without it; torchvision's ImageNet stem has
9,408 - 1,728 = 7,680 more. Random inputs below are SYNTHETIC.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from reproduce.models.zoo import ARCHS, available_offline, build_backbone, source_spec
from review.errors import ModelError


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(tmp_path / "cache"))
    torch.manual_seed(0)


def test_stem_is_3x3_stride_1_without_max_pool():
    bb = build_backbone("resnet18_medmnist", "random")
    stem = list(bb.blocks["stem"])
    conv = stem[0]
    assert isinstance(conv, nn.Conv2d)
    assert conv.kernel_size == (3, 3) and conv.stride == (1, 1) and conv.padding == (1, 1)
    assert not any(isinstance(m, nn.MaxPool2d) for m in bb.blocks["stem"].modules())
    assert ARCHS["resnet18_medmnist"].category == "deep"


def test_parameter_count_matches_the_cifar_style_resnet18():
    bb = build_backbone("resnet18_medmnist", "random")
    n = sum(p.numel() for p in bb.parameters())
    assert n == 11_173_962 - (512 * 10 + 10)
    tv = build_backbone("resnet18", "random")
    assert sum(p.numel() for p in tv.parameters()) - n == 64 * 3 * (7 * 7 - 3 * 3)


def test_28px_maps_keep_their_size_until_layer2():
    bb = build_backbone("resnet18_medmnist", "random").eval()
    x = torch.rand(2, 3, 28, 28)
    sizes = []
    with torch.no_grad():
        h = bb.preprocess(x)
        for block in bb.blocks.values():
            h = block(h)
            sizes.append(tuple(h.shape[1:]))
        out = bb(x)
    assert sizes == [(64, 28, 28), (64, 28, 28), (128, 14, 14), (256, 7, 7), (512, 4, 4)]
    assert out.shape == (2, 512) and torch.isfinite(out).all()


def test_no_imagenet_source():
    with pytest.raises(ModelError, match="no ImageNet weights"):
        source_spec("resnet18_medmnist", "imagenet")
    assert not available_offline("resnet18_medmnist", "imagenet")
    assert source_spec("resnet18_medmnist", "random").source == "random"
