"""The complete model registry and the one way to build a backbone: :func:`build_backbone`.

Importing this module imports every architecture module of :mod:`reproduce.models.archs`, so
:data:`ARCHS` is complete. The sources are handled here, once for every architecture:
``imagenet`` and ``random`` by the architecture's builder, ``cifar10`` by building the random
network and loading the checkpoint written by ``tlreview reproduce pretrain``.
"""

from __future__ import annotations

from pathlib import Path

from reproduce.models import archs
from reproduce.models.backbone import (
    Backbone,
    cifar10_checkpoint_path,
    load_strict,
    read_pretrained,
)
from reproduce.models.registry import (
    ARCHS,
    SOURCE_NAMES,
    get_arch,
    get_entry,
    source_spec,
)
from review.errors import MissingPathError, ModelError

__all__ = [
    "ARCHS",
    "SOURCE_NAMES",
    "archs",
    "available_offline",
    "build_backbone",
    "get_arch",
    "source_spec",
]


def build_backbone(arch: str, source: str, *, weights_path: Path | str | None = None) -> Backbone:
    """Build the backbone of ``arch`` with weights from ``source``.

    Parameters
    ----------
    arch : str
        Architecture name (see :data:`ARCHS`).
    source : {"imagenet", "cifar10", "random"}
        Where the weights come from.
    weights_path : Path or str, optional
        Explicit weight file: a torchvision state dict (full model, as torchvision saves it),
        the SqueezeNet HDF5, an EfficientNet-Lite ``.pth`` (lukemelas or timm layout), or a
        cifar10 checkpoint. Default: the registered location.

    Returns
    -------
    Backbone
        In training mode, on the CPU.

    Raises
    ------
    ModelError
        Unknown names, checksum mismatch, or a file that does not fit the architecture.
    review.errors.MissingPathError
        A weight file that is not where it is looked for (names the path, the torchvision
        weights enum, URL and sha256 or the command that writes it).
    """
    entry = get_entry(arch)
    src = source_spec(arch, source)
    wpath = Path(weights_path) if weights_path is not None else None
    if source == "cifar10":
        path = wpath or cifar10_checkpoint_path(arch)
        if not path.exists():
            raise MissingPathError(
                f"{arch}: CIFAR-10 checkpoint {path} not found; run `tlreview reproduce "
                f"pretrain {arch}` (GPU recommended) to write it"
            )
        ckpt = read_pretrained(path)
        if ckpt["arch"] != arch:
            raise ModelError(f"{path}: checkpoint is for {ckpt['arch']!r}, not {arch!r}")
        bb = build_backbone(arch, "random")
        load_strict(bb, ckpt["state_dict"], path)
        bb.source = src
        return bb
    return entry.build(src, wpath)


def available_offline(arch: str, source: str) -> bool:
    """Whether ``build_backbone(arch, source)`` finds its weights on this machine (no hashing)."""
    get_arch(arch)
    if source == "random":
        return True
    if source == "cifar10":
        return cifar10_checkpoint_path(arch).exists()
    entry = get_entry(arch)
    return bool(entry.available and entry.available())
