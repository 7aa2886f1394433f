"""Backbones: an ``nn.Module`` from RGB [0, 1] images to pooled features, and the helpers the
architecture builders of :mod:`reproduce.models.archs` share.

Every backbone is assembled from the architecture's own modules (torchvision or timm) cut into
the blocks its :class:`~reproduce.models.registry.ArchSpec` names, so block-wise fine-tuning can
unfreeze "the top k blocks". The source task's classifier (ImageNet, 1000 classes), when the
weights include one, is kept outside the parameters as :attr:`Backbone.source_head`. The
``cifar10`` source's checkpoints are written and read here (:func:`save_pretrained`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import torch
from torch import nn

from reproduce.models.registry import ArchSpec, SourceSpec
from review.errors import ModelError
from review.paths import cache_dir

__all__ = [
    "CHECKPOINT_FORMAT",
    "Backbone",
    "cifar10_checkpoint_path",
    "gap",
    "head_of",
    "load_state",
    "load_strict",
    "read_pretrained",
    "save_pretrained",
    "seq",
    "sha256_file",
]

#: Version of the cifar10 checkpoint format written by :func:`save_pretrained`.
CHECKPOINT_FORMAT = 1


class Backbone(nn.Module):
    """Pretrained (or random) feature extractor.

    Takes a float tensor (N, 3, H, W) of RGB values in [0, 1], applies the source's
    preprocessing (channel order, scale, mean/std) and runs the blocks in order, then the
    pooling; returns (N, ``spec.feature_dim``).

    Attributes
    ----------
    spec : ArchSpec
        The architecture.
    source : SourceSpec
        The source of the weights.
    blocks : nn.ModuleDict
        The blocks in ``spec.blocks`` order; every parameter belongs to exactly one.
    pool : nn.Module
        Parameter-free pooling to (N, feature_dim).
    source_head : tuple of (Tensor, Tensor) or None
        Weight and bias of the source task's classifier (not parameters of the module).
    """

    def __init__(
        self,
        spec: ArchSpec,
        source: SourceSpec,
        blocks: list[tuple[str, nn.Module]],
        pool: nn.Module,
        source_head: tuple[torch.Tensor, torch.Tensor] | None = None,
    ) -> None:
        super().__init__()
        names = tuple(n for n, _ in blocks)
        if names != spec.blocks:
            raise ModelError(f"{spec.name}: blocks {names} differ from the registry {spec.blocks}")
        self.spec = spec
        self.source = source
        pre = source.preprocessing
        self.bgr = pre.channel_order == "BGR"
        self.register_buffer("mean", torch.tensor(pre.mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(pre.std).view(1, 3, 1, 1), persistent=False)
        self.scale = float(pre.scale)
        self.blocks = nn.ModuleDict(blocks)
        self.pool = pool
        if any(True for _ in pool.parameters()):
            raise ModelError(f"{spec.name}: the pooling must not have parameters")
        self.source_head = (
            None if source_head is None else tuple(t.detach().clone() for t in source_head)
        )

    def preprocess(self, x: torch.Tensor) -> torch.Tensor:
        """Map RGB [0, 1] input to what the first layer expects."""
        if x.ndim != 4 or x.shape[1] != 3:
            raise ValueError(f"Backbone expects (N, 3, H, W) RGB in [0, 1]; got {tuple(x.shape)}")
        if self.bgr:
            x = x.flip(1)
        if self.scale != 1.0:
            x = x * self.scale
        return (x - self.mean) / self.std

    def forward_blocks(self, x: torch.Tensor) -> torch.Tensor:
        """Preprocess and run the blocks; return the last block's output (before pooling)."""
        x = self.preprocess(x)
        for block in self.blocks.values():
            x = block(x)
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Pooled features (N, feature_dim) of RGB [0, 1] images (N, 3, H, W)."""
        return self.pool(self.forward_blocks(x))

    def source_logits(self, features: torch.Tensor) -> torch.Tensor:
        """Logits of the source task (ImageNet) from pooled features.

        Raises
        ------
        ModelError
            If the weights carry no classifier (SqueezeNet notop, cifar10, random).
        """
        if self.source_head is None:
            raise ModelError(f"{self.spec.name} ({self.source.source}) has no source classifier")
        w, b = self.source_head
        return nn.functional.linear(features, w.to(features), b.to(features))


def gap() -> nn.Module:
    """Global average pooling to (N, C): the pooling of most backbones."""
    return nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(1))


def seq(*mods: nn.Module) -> nn.Sequential:
    """The modules in order, as one block."""
    return nn.Sequential(*mods)


def head_of(linear: nn.Linear) -> tuple[torch.Tensor, torch.Tensor]:
    """Weight and bias of the source task's classifier (detached)."""
    return linear.weight.detach(), linear.bias.detach()


def sha256_file(path: Path) -> str:
    """sha256 of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def load_state(path: Path) -> dict[str, torch.Tensor]:
    """A state dict from a torch file (also the ``state_dict`` entry of a checkpoint)."""
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises several types for corrupt or foreign files
        raise ModelError(f"cannot read weights {path}: {exc}") from exc
    if isinstance(obj, dict) and "state_dict" in obj and isinstance(obj["state_dict"], dict):
        obj = obj["state_dict"]
    if not isinstance(obj, dict):
        raise ModelError(f"{path}: expected a state dict, got {type(obj).__name__}")
    return obj


def load_strict(module: nn.Module, state: dict[str, torch.Tensor], where: Path) -> None:
    """Load ``state`` into ``module`` strictly; name what does not fit."""
    own = module.state_dict()
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    bad = [k for k in own if k in state and tuple(state[k].shape) != tuple(own[k].shape)]
    if missing or unexpected or bad:
        raise ModelError(
            f"{where}: does not fit {type(module).__name__}: {len(missing)} missing key(s) "
            f"{missing[:3]}, {len(unexpected)} unexpected {unexpected[:3]}, shape mismatch "
            f"{[(k, tuple(state[k].shape), tuple(own[k].shape)) for k in bad[:3]]}"
        )
    module.load_state_dict(state, strict=True)


def cifar10_checkpoint_path(arch: str) -> Path:
    """``cache_dir()/pretrained/<arch>-cifar10.pt``: where ``reproduce pretrain`` writes."""
    return cache_dir() / "pretrained" / f"{arch}-cifar10.pt"


def save_pretrained(
    backbone: Backbone,
    *,
    recipe: dict[str, Any],
    test_accuracy: float,
    head: nn.Module | None = None,
    path: Path | None = None,
) -> Path:
    """Write a CIFAR-10 checkpoint that ``build_backbone(arch, "cifar10")`` reads.

    Parameters
    ----------
    backbone : Backbone
        The trained backbone (any source; its ``state_dict`` is stored).
    recipe : dict
        How it was trained (epochs, optimiser, learning rate, resolution, seed, ...).
    test_accuracy : float
        Accuracy on the official CIFAR-10 test split (fraction in [0, 1]).
    head : nn.Module, optional
        The CIFAR-10 classifier, stored for completeness.
    path : Path, optional
        Default :func:`cifar10_checkpoint_path`.

    Returns
    -------
    Path
        The file written (atomically).
    """

    path = Path(path) if path is not None else cifar10_checkpoint_path(backbone.spec.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": CHECKPOINT_FORMAT,
        "arch": backbone.spec.name,
        "init_source": backbone.source.source,
        "state_dict": {k: v.detach().cpu() for k, v in backbone.state_dict().items()},
        "head": None if head is None else {k: v.cpu() for k, v in head.state_dict().items()},
        "recipe": dict(recipe),
        "test_accuracy": float(test_accuracy),
    }
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(fd)
    try:
        torch.save(payload, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_pretrained(path: Path) -> dict[str, Any]:
    """Read a checkpoint written by :func:`save_pretrained` (recipe, accuracy, state dict)."""
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # corrupt or foreign file
        raise ModelError(f"cannot read checkpoint {path}: {exc}") from exc
    need = {"format", "arch", "state_dict", "recipe", "test_accuracy"}
    if not isinstance(obj, dict) or not need <= set(obj):
        raise ModelError(f"{path}: not a cifar10 checkpoint (needs keys {sorted(need)})")
    return obj
