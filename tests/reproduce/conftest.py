"""Fixtures of the reproduction-engine tests.

Everything here is SYNTHETIC: a two-block toy backbone (registered with the model registry
during each engine test, under the name ``tiny2``) and the engine's built-in synthetic data
sets, so the engine tests run in seconds on the CPU without any real data or weights.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from torch import nn

from reproduce.models.registry import (
    ArchSpec,
    SourceSpec,
    default_preprocessing,
    register_model,
    unregister_model,
)

TINY_BLOCKS = ("stem", "top")

#: SYNTHETIC toy architecture, registered with the model registry like any real one.
TINY_SPEC = ArchSpec(
    "tiny2", "toy", "shallow", 16, TINY_BLOCKS, 16, 8, "tiny2", "Tiny2 (SYNTHETIC test toy)",
    "test-only two-block CNN; global average pool of the top block",
)  # fmt: skip
TINY_IMAGENET = SourceSpec(
    arch="tiny2",
    source="imagenet",
    provenance="SYNTHETIC: a fixed seeded initialisation standing in for pretrained weights",
    license="n/a",
    sha256="tiny2-imagenet",
    preprocessing=default_preprocessing(TINY_SPEC),
)


class TinyBackbone(nn.Module):
    """SYNTHETIC 2-block CNN with BatchNorm (input RGB in [0, 1] -> 16 pooled features)."""

    def __init__(self, source: SourceSpec) -> None:
        super().__init__()
        self.spec = TINY_SPEC
        self.source = source
        if source.source == "random":
            self.blocks = self._make()
        else:  # "pretrained": a fixed initialisation, independent of the global seed
            with torch.random.fork_rng():
                torch.manual_seed({"imagenet": 11, "cifar10": 22}.get(source.source, 33))
                self.blocks = self._make()

    @staticmethod
    def _make() -> nn.ModuleDict:
        return nn.ModuleDict(
            {
                "stem": nn.Sequential(
                    nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU()
                ),
                "top": nn.Sequential(
                    nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU()
                ),
            }
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x - 0.5
        for block in self.blocks.values():
            x = block(x)
        return x.mean(dim=(2, 3))


def tiny2(source: SourceSpec, weights_path: Path | None) -> TinyBackbone:
    """SYNTHETIC toy backbone builder."""
    return TinyBackbone(source)


def register_tiny2() -> None:
    """Put the SYNTHETIC ``tiny2`` into the model registry (one decorated builder)."""
    register_model(TINY_SPEC, imagenet=TINY_IMAGENET, available=lambda: True)(tiny2)


@pytest.fixture(autouse=True)
def _tiny2_registered(request: pytest.FixtureRequest) -> Iterator[None]:
    """``tiny2`` is in the model registry during each engine test (not the registry's own tests,
    which compare the registry with the committed catalogue)."""
    if request.module.__name__.rsplit(".", 1)[-1] == "test_models":
        yield
        return
    register_tiny2()
    yield
    unregister_model("tiny2")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test writes runs and caches into its own temporary folders."""
    monkeypatch.setenv("TLREVIEW_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(tmp_path / "cache"))
    torch.set_num_threads(1)  # stable timings on a shared 2-core machine


@pytest.fixture
def tiny_suite(tmp_path: Path) -> Path:
    """A SYNTHETIC suite file: every approach on the synthetic data with the toy backbone."""
    text = """
suite: tiny
description: SYNTHETIC test suite (toy backbone, synthetic images)
profiles:
  smoke:
    defaults: {dataset: synthetic, arch: tiny2, resolution: 16, epochs: 2, batch_size: 32,
               lr: 0.01, seed: 0}
    grids:
      - approach: [feature_extractor, feature_extractor_hybrid, fine_tuning_from_scratch,
                   scratch]
        source: imagenet
      - {approach: fine_tuning, source: imagenet, k_blocks: [1, 2]}
"""
    p = tmp_path / "tiny.yaml"
    p.write_text(text)
    return p
