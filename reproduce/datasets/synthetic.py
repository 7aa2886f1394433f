"""SYNTHETIC data sets for tests and benchmarks (made up in code; no real images).

Each name in :data:`SYNTHETIC` is a tiny train/val/test split whose class is a bright square at a
class-specific place over uniform noise, so a small network learns it in an epoch or two.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


# ============================================================================ data access
@dataclass
class _SynthArrays:
    """Synthetic split (made up in code, no real images)."""

    images: np.ndarray
    labels: np.ndarray
    ids: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, indices: np.ndarray) -> _SynthArrays:
        idx = np.asarray(indices)
        return _SynthArrays(self.images[idx], self.labels[idx], self.ids[idx])

    def fraction(self, frac: float, seed: int) -> _SynthArrays:
        return self.subset(stratified_fraction(self.labels, frac, seed))


@dataclass
class SyntheticSplits:
    """Synthetic train/val/test splits with the attributes of ``reproduce.datasets.SplitData``."""

    name: str
    resolution: int
    classes: tuple[str, ...]
    train: _SynthArrays
    val: _SynthArrays
    test: _SynthArrays
    dedup: Any = None
    split_file: Path | None = None


#: Synthetic data sets understood by :func:`load_data`: name -> (classes, channels, side, n).
SYNTHETIC: dict[str, tuple[int, int, int, tuple[int, int, int]]] = {
    "synthetic": (2, 1, 28, (96, 32, 48)),
    "synthetic3": (3, 3, 28, (120, 45, 60)),
}


def synthetic_splits(name: str = "synthetic", seed: int = 0) -> SyntheticSplits:
    """SYNTHETIC images whose class is a brightness pattern plus noise (tests, benchmarks).

    Class ``c`` has a bright square at a class-specific place over uniform noise, so a small
    network learns it in an epoch or two. Nothing here is real data.

    Parameters
    ----------
    name
        A key of :data:`SYNTHETIC`.
    seed
        Seed of the noise.

    Returns
    -------
    SyntheticSplits
        ``uint8`` (N, H, W, C) arrays.
    """
    k, ch, side, sizes = SYNTHETIC[name]
    rng = np.random.default_rng(1234 + seed)
    out = []
    for split, n in zip(("train", "val", "test"), sizes, strict=True):
        labels = np.arange(n) % k
        rng.shuffle(labels)
        imgs = rng.integers(0, 120, size=(n, side, side, ch), dtype=np.uint8)
        q = side // 4
        for i, c in enumerate(labels):
            r0 = q * (c % 3)
            imgs[i, r0 : r0 + q + 2, q : 3 * q, :] = rng.integers(170, 255, dtype=np.uint8)
        ids = np.array([f"synthetic:{split}:{i}" for i in range(n)])
        out.append(_SynthArrays(imgs, labels.astype(np.int64), ids))
    return SyntheticSplits(name, side, tuple(f"class{c}" for c in range(k)), *out)


def stratified_fraction(labels: np.ndarray, frac: float, seed: int) -> np.ndarray:
    """Sorted indices of a stratified, seeded ``frac`` of ``labels`` (at least 1 per class)."""
    labels = np.asarray(labels).reshape(-1)
    if frac >= 1.0:
        return np.arange(len(labels))
    rng = np.random.default_rng(seed)
    keep = []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        n = max(1, int(round(frac * len(idx))))
        keep.append(rng.choice(idx, size=n, replace=False))
    return np.sort(np.concatenate(keep))


def is_synthetic(name: str) -> bool:
    return name in SYNTHETIC
