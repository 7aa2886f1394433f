"""Adding a backbone is one decorated function: a toy registered here runs end to end.

Everything here is SYNTHETIC (a made-up two-block network, the built-in synthetic images).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from reproduce.engine.config import RunConfig
from reproduce.engine.execute import execute_run
from reproduce.models.describe import models_frame
from reproduce.models.registry import (
    ArchSpec,
    SourceSpec,
    default_preprocessing,
    get_arch,
    register_model,
    unregister_model,
)
from reproduce.models.zoo import ARCHS, available_offline, build_backbone

SPEC = ArchSpec(
    "toynet", "toy", "shallow", 12, ("conv", "mix"), 16, 8, "toynet", "ToyNet (SYNTHETIC)",
    "test-only; global average pool of mix",
)  # fmt: skip
IMAGENET = SourceSpec(
    arch="toynet",
    source="imagenet",
    provenance="SYNTHETIC: seeded initialisation standing in for pretrained weights",
    license="n/a",
    sha256="toynet-imagenet",
    preprocessing=default_preprocessing(SPEC),
)


class ToyNet(nn.Module):
    """SYNTHETIC two-block CNN: RGB in [0, 1] -> 12 pooled features."""

    def __init__(self, source: SourceSpec) -> None:
        super().__init__()
        self.spec, self.source = SPEC, source
        with torch.random.fork_rng():
            torch.manual_seed(5 if source.source == "imagenet" else 6)
            self.blocks = nn.ModuleDict(
                {
                    "conv": nn.Sequential(nn.Conv2d(3, 6, 3, stride=2), nn.ReLU()),
                    "mix": nn.Sequential(nn.Conv2d(6, 12, 3), nn.BatchNorm2d(12), nn.ReLU()),
                }
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.blocks.values():
            x = block(x)
        return x.mean(dim=(2, 3))


@pytest.fixture
def toynet():
    """Register ToyNet exactly as an architecture module does, then remove it again."""

    @register_model(SPEC, imagenet=IMAGENET, available=lambda: True)
    def toynet(source: SourceSpec, weights_path: Path | None) -> ToyNet:
        return ToyNet(source)

    yield toynet
    unregister_model("toynet")


def test_decorated_toy_backbone_is_listed_built_and_runs_end_to_end(toynet, tmp_path):
    assert "toynet" in ARCHS and get_arch("toynet") is SPEC
    assert available_offline("toynet", "imagenet") and available_offline("toynet", "random")
    listed = models_frame().filter(models_frame()["arch"] == "toynet")
    assert sorted(listed["source"].to_list()) == ["cifar10", "imagenet", "random"]
    bb = build_backbone("toynet", "imagenet")
    assert isinstance(bb, ToyNet) and bb.source.sha256 == "toynet-imagenet"
    for approach, k in (("fine_tuning", 1), ("feature_extractor", None)):
        cfg = RunConfig(
            dataset="synthetic", arch="toynet", approach=approach, k_blocks=k, resolution=16,
            epochs=1, batch_size=32, seed=0,
        )  # fmt: skip
        out = execute_run(cfg, suite="toy", runs_root=tmp_path)
        assert out.status == "ok", out.result["error"]
        assert 0.0 <= out.result["auc_macro_ovr"] <= 1.0
        assert out.result["trainable_params"] > 0


def test_unregistered_toy_is_gone_and_named_in_the_error(tmp_path):
    assert "toynet" not in ARCHS
    out = execute_run(
        RunConfig(dataset="synthetic", arch="toynet", approach="scratch", resolution=16, epochs=1),
        suite="toy",
        runs_root=tmp_path,
    )
    assert out.status == "error" and "unknown architecture 'toynet'" in out.result["error"]
