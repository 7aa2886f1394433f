"""What every approach shares: host arrays, the output record, the transfer model, the
learning-rate grid, and the approach registry (:func:`register_approach`, :func:`get`).

The review's five transfer approaches, exactly as its taxonomy defines them:

======================== ====================================================================
approach                 what is trained
======================== ====================================================================
feature_extractor        nothing of the backbone (frozen, BatchNorm in eval mode); features are
                         extracted once and cached (:mod:`reproduce.engine.features`), then a linear
                         classifier is trained on them
feature_extractor_hybrid the same cached features into scikit-learn classifiers (SVM, random
                         forest), chosen on the validation split
fine_tuning              the top ``k_blocks`` blocks of the backbone (each architecture's blocks
                         are listed in its registry entry) and the new head; the frozen blocks
                         keep BatchNorm in eval mode (their running statistics do not move)
fine_tuning_from_scratch every layer, initialised from the pretrained weights
scratch                  every layer, randomly initialised (the non-transfer baseline)
======================== ====================================================================

Hyper-parameters (the epoch, the learning rate of a grid, the hybrid's classifier and its ``C``)
are chosen on the validation split only; the test split is predicted once, by the chosen model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from reproduce.engine.config import FROZEN_APPROACHES, RunConfig
from reproduce.engine.train import DeviceArrays, ImagePrep, fit
from reproduce.models.zoo import build_backbone as registry_build

__all__ = [
    "Approach",
    "ApproachData",
    "ApproachOutput",
    "SplitArrays",
    "TransferModel",
    "block_modules",
    "build_backbone",
    "get",
    "prepare_model",
    "register_approach",
]


def build_backbone(arch: str, source: str) -> nn.Module:
    """The backbone of ``arch`` with ``source`` weights, from the model registry."""
    return registry_build(arch, source)


def block_modules(backbone: nn.Module) -> list[tuple[str, nn.Module]]:
    """The backbone's blocks as ``(name, module)`` in input -> output order."""
    blocks = backbone.blocks
    if isinstance(blocks, nn.ModuleDict | dict):
        return list(blocks.items())
    return list(zip(backbone.spec.blocks, blocks, strict=True))


class TransferModel(nn.Module):
    """Backbone + new linear head; keeps frozen blocks in eval mode when trained.

    Parameters
    ----------
    backbone
        The backbone (``.spec.feature_dim``, ``.blocks``).
    n_classes
        Outputs of the head.
    frozen_blocks
        Names of blocks whose parameters do not train and whose BatchNorm stays in eval mode.
    """

    def __init__(self, backbone: nn.Module, n_classes: int, frozen_blocks: Sequence[str] = ()):
        super().__init__()
        self.backbone = backbone
        self.head = nn.Linear(int(backbone.spec.feature_dim), n_classes)
        self.frozen_blocks = tuple(frozen_blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (N, n_classes) of RGB images in [0, 1]."""
        return self.head(self.backbone(x).flatten(1))

    def train(self, mode: bool = True) -> TransferModel:
        """Set training mode, then put the frozen blocks back in eval mode."""
        super().train(mode)
        if mode and self.frozen_blocks:
            frozen = set(self.frozen_blocks)
            for name, module in block_modules(self.backbone):
                if name in frozen:
                    module.eval()
        return self


def prepare_model(
    backbone: nn.Module, approach: str, k_blocks: int | None, n_classes: int
) -> TransferModel:
    """Freeze what ``approach`` freezes and add the head.

    Parameters
    ----------
    backbone
        A freshly built backbone.
    approach
        One of the review's approaches.
    k_blocks
        Top blocks unfrozen by ``fine_tuning``.
    n_classes
        Number of classes.

    Returns
    -------
    TransferModel
        With ``requires_grad`` set per block.

    Raises
    ------
    ValueError
        ``k_blocks`` out of range for the architecture, or backbone parameters outside every
        block (the registry contract says each parameter belongs to exactly one block).
    """
    blocks = block_modules(backbone)
    in_blocks = {id(p) for _, m in blocks for p in m.parameters()}
    orphans = [n for n, p in backbone.named_parameters() if id(p) not in in_blocks]
    if orphans:
        raise ValueError(
            f"{backbone.spec.name}: parameters outside every block: {', '.join(orphans[:5])}"
        )
    names = [n for n, _ in blocks]
    if approach in FROZEN_APPROACHES:
        frozen = names
    elif approach == "fine_tuning":
        if k_blocks is None or not 1 <= k_blocks <= len(names):
            raise ValueError(
                f"k_blocks={k_blocks}: {backbone.spec.name} has {len(names)} blocks "
                f"({', '.join(names)}); expected 1..{len(names)}"
            )
        frozen = names[: len(names) - k_blocks]
    else:
        frozen = []
    for name, module in blocks:
        for p in module.parameters():
            p.requires_grad_(name not in frozen)
    return TransferModel(backbone, n_classes, frozen)


@dataclass
class SplitArrays:
    """One split on the host: ``uint8`` images (N, H, W, C), labels (N,), ids (N,)."""

    images: np.ndarray
    labels: np.ndarray
    ids: np.ndarray


@dataclass
class ApproachOutput:
    """What one run of an approach produced.

    Attributes
    ----------
    test_probs
        Class probabilities on the test split (N, K), predicted once.
    val_metrics
        Validation metrics of the chosen model.
    best_epoch
        Chosen epoch (``None`` for the hybrid).
    selected
        Chosen hyper-parameters (``lr``, ``classifier``, ``C`` ...).
    trainable_params, total_params
        Parameters of the network that were trained / that it has (the hybrid trains none of
        the network: 0).
    flops_per_image
        Forward FLOPs of the network for one image.
    feature_cache_hit
        For the frozen approaches: all splits' features came from the cache.
    feature_extract_s
        Seconds spent extracting features (0 on a cache hit).
    compute_s
        Device seconds of the whole approach (synchronised).
    model
        The chosen network (``--keep-model``), or the scikit-learn estimator for the hybrid.
    """

    test_probs: np.ndarray
    val_metrics: dict[str, float]
    best_epoch: int | None
    selected: dict[str, Any]
    trainable_params: int
    total_params: int
    flops_per_image: float
    feature_cache_hit: bool | None = None
    feature_extract_s: float = 0.0
    compute_s: float = 0.0
    model: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


Log = Callable[[dict[str, Any]], None]


def n_params(model: nn.Module, trainable: bool) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable)


def image_prep(cfg: RunConfig, device: str, augment: bool) -> ImagePrep:
    assert cfg.resolution is not None
    return ImagePrep(
        resolution=cfg.resolution, augment=augment, channels_last=device.startswith("cuda")
    )


def to_device_model(model: nn.Module, device: str) -> nn.Module:
    model = model.to(device)
    if device.startswith("cuda"):
        model = model.to(memory_format=torch.channels_last)
    return model


def fit_over_lr_grid(
    cfg: RunConfig,
    make_model: Callable[[], nn.Module],
    dtr: DeviceArrays,
    dva: DeviceArrays,
    *,
    prep: Any,
    device: str,
    log: Log,
    stage: str,
    quiet: bool,
    amp: bool | None = None,
) -> tuple[float, Any, nn.Module]:
    """Train a fresh model per learning rate of ``cfg.learning_rates``; keep the best by
    validation AUC (the test split is not touched). Returns ``(lr, fit result, model)``."""
    best: tuple[float, float, Any, nn.Module] | None = None
    for lr in cfg.learning_rates:
        torch.manual_seed(cfg.seed)
        model = make_model()

        def _log(rec: dict[str, Any], lr: float = lr) -> None:
            log({"stage": stage, "lr_setting": lr, **rec})

        res = fit(
            model,
            dtr,
            dva,
            prep=prep,
            epochs=cfg.epochs,
            batch_size=cfg.batch_size,
            lr=lr,
            weight_decay=cfg.weight_decay,
            optimizer=cfg.optimizer,
            schedule=cfg.schedule,
            seed=cfg.seed,
            device=device,
            on_epoch=_log,
            quiet=quiet,
            amp=amp,
        )
        score = res.best_val.get("auc_macro_ovr", math.nan)
        score = -math.inf if math.isnan(score) else score
        if best is None or score > best[0]:
            best = (score, lr, res, model)
        else:
            del model
    assert best is not None
    return best[1], best[2], best[3]


@dataclass
class ApproachData:
    """The splits an approach sees (host arrays) and what identifies the data.

    Attributes
    ----------
    train
        Training split, already reduced to ``cfg.train_fraction``.
    val, test
        Validation and test splits.
    full_train
        The whole training split (frozen approaches cache its features, then select the
        fraction by id).
    n_classes
        Number of classes.
    data_checksum
        Data set checksum (part of the feature cache key).
    """

    train: SplitArrays
    val: SplitArrays
    test: SplitArrays
    full_train: SplitArrays
    n_classes: int
    data_checksum: str


#: ``fit(cfg, data, *, device, log, quiet) -> ApproachOutput``.
FitFn = Callable[..., ApproachOutput]


@dataclass(frozen=True)
class Approach:
    """A registered approach: its name, whether the backbone is frozen, and its ``fit``."""

    name: str
    frozen: bool
    fit: FitFn


_APPROACHES: dict[str, Approach] = {}


def register_approach(*names: str, frozen: bool = False) -> Callable[[FitFn], FitFn]:
    """Decorator: register ``fit`` as the strategy of each approach in ``names``.

    Parameters
    ----------
    names
        Approach names as configs write them (one of :data:`reproduce.engine.config.APPROACHES`).
    frozen
        The backbone is not trained (features are extracted once and cached).

    Returns
    -------
    callable
        The decorator; it returns ``fit`` unchanged.
    """

    def deco(fn: FitFn) -> FitFn:
        for name in names:
            if (name in FROZEN_APPROACHES) != frozen:
                raise ValueError(f"approach {name!r}: frozen={frozen} disagrees with RunConfig")
            _APPROACHES[name] = Approach(name, frozen, fn)
        return fn

    return deco


def get(name: str) -> Approach:
    """The registered :class:`Approach` called ``name``.

    Raises
    ------
    KeyError
        Unknown approach (the message lists the registered ones).
    """
    try:
        return _APPROACHES[name]
    except KeyError:
        raise KeyError(f"unknown approach {name!r}; registered: {', '.join(_APPROACHES)}") from None


def registered() -> tuple[str, ...]:
    """Names of the registered approaches, in registration order."""
    return tuple(_APPROACHES)
