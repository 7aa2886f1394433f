"""Build the device pack of a suite profile (runs here, on the CPU, with the real data).

``tlreview reproduce pack --suite guideline_v2 --profile gpu --out DIR`` writes
``DIR/part1.tar ...`` (each at most 60 MiB) and ``DIR/manifest.json``: the data sets at the
stored side each run starts from, the weight files of the profile's architectures, and
optionally natural images for UAPs. The format is :mod:`reproduce.datasets.pack`.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from reproduce.datasets.checksum import data_checksum
from reproduce.datasets.load import load_splits, stored_side
from reproduce.datasets.pack import write_dataset_entry, write_parts
from reproduce.models.archs.efficientnet_lite import efficientnet_lite_file
from reproduce.models.archs.squeezenet import squeezenet_h5_path
from reproduce.models.archs.torchvision import torchvision_checkpoint_path
from reproduce.models.backbone import cifar10_checkpoint_path

__all__ = ["PART_BYTES", "build_pack", "pack_needs"]

#: Largest part: 60 MiB, so that a part plus the working tree stays under a call's 64 MiB.
PART_BYTES = 60 * 2**20


def pack_needs(configs: Sequence[Any]) -> dict[str, Any]:
    """What a list of resolved configs needs on a GPU machine.

    Returns
    -------
    dict
        ``datasets``: sorted ``(name, stored_side or None, split_seed, dedup)``; ``weights``:
        sorted ``(arch, source)`` pairs whose weights come from files.
    """

    datasets = set()
    weights = set()
    for c in configs:
        datasets.add((c.dataset, stored_side(c.dataset, c.resolution), c.split_seed, c.dedup))
        if c.source != "random" and c.approach != "scratch":
            weights.add((c.arch, c.source))
            if getattr(c, "arch2", None):  # a fusion's second backbone (issue #18)
                weights.add((c.arch2, c.source))
    return {
        "datasets": sorted(datasets, key=lambda t: (t[0], t[1] or 0)),
        "weights": sorted(weights),
    }


def _weight_file(arch: str, source: str) -> Path:
    if source == "cifar10":
        return cifar10_checkpoint_path(arch)
    if arch.startswith("efficientnet_lite"):
        return efficientnet_lite_file(arch)
    if arch == "squeezenet1_1":
        return squeezenet_h5_path()
    return torchvision_checkpoint_path(arch)


def _natural_images(n: int) -> np.ndarray:

    data = load_splits("cifar10", None, seed=0)
    pool = np.concatenate([data.test.images, data.val.images, data.train.images])
    return np.ascontiguousarray(pool[:n])


def build_pack(
    suite: str,
    profile: str,
    out: Path,
    *,
    configs: Sequence[Any],
    natural_images: int = 0,
    part_bytes: int = PART_BYTES,
    echo: Any = print,
) -> dict[str, Any]:
    """Write a profile's pack into ``out`` (parts + manifest).

    Parameters
    ----------
    suite, profile
        Recorded in the manifest.
    out
        Output folder (created).
    configs
        The profile's resolved configs (:func:`reproduce.engine.plan.run_configs`).
    natural_images
        Number of CIFAR-10 images (test split first) to add for UAPs (0 = none).
    part_bytes
        Largest part.
    echo
        Progress messages.

    Returns
    -------
    dict
        ``{"bytes": TOTAL, "parts": [{"name", "bytes", "files"}], "datasets": [...]}``.
    """

    needs = pack_needs(configs)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    with tempfile.TemporaryDirectory(dir=out, prefix=".build-") as tmp:
        root = Path(tmp)
        for name, side, split_seed, dedup in needs["datasets"]:
            t0 = time.perf_counter()
            data = load_splits(name, side, seed=split_seed, dedup=dedup)
            rel = f"data/{name.replace(':', '_').replace('/', '_')}-{data.resolution}.npz"
            meta = write_dataset_entry(data, root / rel, data_checksum=data_checksum(name))
            meta.update(path=rel, split_seed=split_seed, dedup_flag=dedup)
            entries.append(meta)
            echo(
                f"pack: {name} at {data.resolution} px ({meta['encoding']}) "
                f"{(root / rel).stat().st_size / 2**20:.1f} MiB in {time.perf_counter() - t0:.1f} s"
            )
        weights = []
        for arch, source in needs["weights"]:
            src = _weight_file(arch, source)
            dst = root / "weights" / src.name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
            weights.append({"arch": arch, "source": source, "path": f"weights/{src.name}"})
            echo(f"pack: weights {arch}/{source} {dst.stat().st_size / 2**20:.1f} MiB")
        natural = None
        if natural_images:
            imgs = _natural_images(natural_images)
            dst = root / "natural" / "cifar10.npz"
            dst.parent.mkdir(parents=True, exist_ok=True)
            np.savez_compressed(dst, images=imgs)
            natural = {
                "path": "natural/cifar10.npz",
                "n": len(imgs),
                "sha256": hashlib.sha256(imgs.tobytes()).hexdigest(),
                "note": "CIFAR-10 images (test split first), 32 px; upsampled on the device",
            }
            echo(f"pack: {len(imgs)} CIFAR-10 natural images {dst.stat().st_size / 2**20:.1f} MiB")
        meta = {
            "suite": suite,
            "profile": profile,
            "datasets": entries,
            "weights": weights,
            "natural": natural,
            "runs": len(configs),
        }
        parts = write_parts(root, out, part_bytes=part_bytes, meta=meta)
    total = sum(p["bytes"] for p in parts)
    return {"bytes": total, "parts": parts, "datasets": [e["path"] for e in entries]}
