"""Feature extraction with a frozen backbone, cached on disk.

The review's feature-extractor approaches run the pretrained backbone once over every image:
the features of a split depend only on the backbone (architecture, source and its weights), the
data set (and its checksum, split seed and de-duplication) and the resolution, so they are
computed once and cached under ``cache_dir()/features``. Every later run that needs them (another
seed, another training fraction, the linear head or the scikit-learn classifiers) reads the
cache. The cache key also holds the numeric precision (bf16 on CUDA, fp32 on the CPU), because
the two give slightly different numbers.

Setting the environment variable ``TLREVIEW_FEATURE_CACHE=refresh`` makes every run extract its
features afresh (and rewrite the cache) instead of reading them: then each frozen run's
``compute_s`` includes the extraction it needs, as a cost comparison of the approaches requires
(the guideline suite's claim G1b). The default, ``use``, reads the cache.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from reproduce.engine.config import canonical_json
from reproduce.engine.env import progress
from reproduce.engine.io import atomic_write_bytes
from reproduce.engine.train import DeviceArrays, ImagePrep, _autocast, synchronize
from review import paths
from review.errors import InputError

__all__ = [
    "FEATURES_VERSION",
    "FeatureKey",
    "cached_features",
    "extract_features",
    "feature_cache_mode",
]

#: Bump when the extraction itself changes (invalidates every cached file).
FEATURES_VERSION = 1


def feature_cache_mode() -> str:
    """``use`` (read cached features; default) or ``refresh`` (``TLREVIEW_FEATURE_CACHE``).

    Raises
    ------
    review.errors.InputError
        Any other value of the environment variable.
    """
    mode = os.environ.get("TLREVIEW_FEATURE_CACHE", "use").strip().lower() or "use"
    if mode not in ("use", "refresh"):
        raise InputError(f"TLREVIEW_FEATURE_CACHE={mode!r}: expected 'use' or 'refresh'")
    return mode


@dataclass(frozen=True)
class FeatureKey:
    """What the features of one split depend on.

    Attributes
    ----------
    arch, source
        The backbone.
    weights
        Checksum of the weights (``None`` when the registry gives none), or for the ``random``
        source the seed of the initialisation.
    dataset, data_checksum
        The data set and the checksum of its files.
    resolution
        Input side in pixels.
    split_seed, dedup
        How the splits were made.
    precision
        ``bf16`` (CUDA autocast) or ``fp32``.
    """

    arch: str
    source: str
    weights: str | None
    dataset: str
    data_checksum: str
    resolution: int
    split_seed: int
    dedup: bool | str
    precision: str

    def digest(self, split: str) -> str:
        """16 hex digits identifying this key and split."""
        payload = {**asdict(self), "split": split, "version": FEATURES_VERSION}
        return hashlib.sha256(canonical_json(payload).encode()).hexdigest()[:16]

    def path(self, split: str) -> Path:
        """``cache_dir()/features/<dataset>/<arch>-<source>-<res>px-<split>-<digest>.npz``."""
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.dataset)[:80]
        name = f"{self.arch}-{self.source}-{self.resolution}px-{split}-{self.digest(split)}.npz"
        return paths.cache_dir() / "features" / safe / name


@torch.no_grad()
def extract_features(
    backbone: nn.Module,
    data: DeviceArrays,
    prep: ImagePrep,
    *,
    batch_size: int,
    device: str,
    quiet: bool = True,
) -> np.ndarray:
    """Run the frozen backbone (eval mode: BatchNorm uses its running statistics) over ``data``.

    Parameters
    ----------
    backbone
        Module mapping RGB in [0, 1] to pooled features (N, D).
    data
        Images on the device.
    prep
        Batch preparation (no augmentation is applied).
    batch_size
        Batch size.
    device
        Device of ``data`` and ``backbone``.
    quiet
        No progress bar.

    Returns
    -------
    numpy.ndarray
        float32 features (N, D).
    """
    was_training = backbone.training
    backbone.eval()
    out = []
    fixed = device.startswith("cuda")  # one batch shape: cuDNN searches its algorithms once
    for start in progress(range(0, len(data), batch_size), quiet=quiet, desc="features"):
        raw = data.x[start : start + batch_size]
        n_real = raw.shape[0]
        if fixed and n_real < batch_size and len(data) > batch_size:
            # Pad the ragged last batch (eval mode: rows are independent); padding dropped.
            raw = torch.cat([raw, raw[:1].expand(batch_size - n_real, *raw.shape[1:])])
        xb = prep(raw, False, None)
        with _autocast(device, device.startswith("cuda")):
            f = backbone(xb)
        out.append(f[:n_real].float().flatten(1).cpu())
    backbone.train(was_training)
    return torch.cat(out).numpy().astype(np.float32) if out else np.zeros((0, 0), np.float32)


def cached_features(
    backbone: nn.Module,
    images: np.ndarray,
    labels: np.ndarray,
    ids: np.ndarray,
    *,
    key: FeatureKey,
    split: str,
    prep: ImagePrep,
    batch_size: int,
    device: str,
    quiet: bool = True,
) -> tuple[np.ndarray, bool, float]:
    """Features of one split, from the cache when present, else extracted and cached.

    Parameters
    ----------
    backbone
        The frozen backbone (on ``device``).
    images, labels, ids
        The split on the host (``uint8`` (N, H, W, C), labels, stable ids).
    key
        What the features depend on.
    split
        ``train``, ``val`` or ``test``.
    prep
        Batch preparation.
    batch_size
        Extraction batch size.
    device
        Device.
    quiet
        No progress bar.

    Returns
    -------
    tuple
        ``(features (N, D) float32, cache_hit, extraction seconds)``; a cached file whose ids
        differ from ``ids`` is ignored and rewritten. With ``TLREVIEW_FEATURE_CACHE=refresh``
        the cache is never read (see :func:`feature_cache_mode`).
    """
    path = key.path(split)
    ids = np.asarray(ids).astype(str)
    if path.exists() and feature_cache_mode() == "use":
        try:
            with np.load(path, allow_pickle=False) as z:
                if np.array_equal(z["ids"].astype(str), ids):
                    return z["features"].astype(np.float32), True, 0.0
        except (OSError, ValueError, KeyError):
            pass  # unreadable or stale: recompute below
    synchronize(device)
    t0 = time.perf_counter()
    data = DeviceArrays.from_images(images, labels, ids, device)
    feats = extract_features(
        backbone, data, prep, batch_size=batch_size, device=device, quiet=quiet
    )
    synchronize(device)
    seconds = time.perf_counter() - t0
    buf = io.BytesIO()
    np.savez(buf, features=feats, ids=ids, labels=np.asarray(labels).reshape(-1))
    atomic_write_bytes(path, buf.getvalue())
    return feats, False, seconds
