"""Fixtures of the reproduction-engine tests.

Everything here is SYNTHETIC: a two-block toy backbone (registered with the engine only in the
tests, under the name ``tiny2``) and the engine's built-in synthetic data sets, so the engine
tests run in seconds on the CPU without any real data or weights.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from torch import nn

from reproduce.approaches import register_backbone

TINY_BLOCKS = ("stem", "top")


class TinyBackbone(nn.Module):
    """SYNTHETIC 2-block CNN with BatchNorm (input RGB in [0, 1] -> 16 pooled features)."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.spec = SimpleNamespace(
            name="tiny2", feature_dim=16, blocks=TINY_BLOCKS, category="shallow"
        )
        self.source = SimpleNamespace(
            arch="tiny2", source=source, sha256=None if source == "random" else f"tiny2-{source}"
        )
        if source == "random":
            self.blocks = self._make()
        else:  # "pretrained": a fixed initialisation, independent of the global seed
            with torch.random.fork_rng():
                torch.manual_seed({"imagenet": 11, "cifar10": 22}.get(source, 33))
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


register_backbone("tiny2", TinyBackbone)


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
