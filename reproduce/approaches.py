"""The review's five transfer approaches, exactly as its taxonomy defines them.

======================== ====================================================================
approach                 what is trained
======================== ====================================================================
feature_extractor        nothing of the backbone (frozen, BatchNorm in eval mode); features are
                         extracted once and cached (:mod:`reproduce.features`), then a linear
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

import hashlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from reproduce.config import FROZEN_APPROACHES, RunConfig
from reproduce.features import FeatureKey, cached_features
from reproduce.train import (
    DeviceArrays,
    ImagePrep,
    classification_metrics,
    fit,
    predict,
    synchronize,
)

__all__ = [
    "ApproachOutput",
    "SplitArrays",
    "TransferModel",
    "block_modules",
    "build_backbone",
    "count_flops",
    "prepare_model",
    "pretrain_cifar10",
    "register_backbone",
    "run_approach",
]

BackboneFactory = Callable[[str], nn.Module]
_FACTORIES: dict[str, BackboneFactory] = {}


def register_backbone(arch: str, factory: BackboneFactory) -> None:
    """Make ``arch`` buildable by the engine without the model registry (tests, user models).

    Parameters
    ----------
    arch
        Architecture name used in configs.
    factory
        ``factory(source) -> Backbone``: a module mapping RGB in [0, 1] (N, 3, H, W) to features
        (N, D), with ``.spec`` (``name``, ``feature_dim``, ``blocks``), ``.source`` and
        ``.blocks`` (like :func:`reproduce.models.build_backbone`'s result).
    """
    _FACTORIES[arch] = factory


def build_backbone(arch: str, source: str) -> nn.Module:
    """A backbone from :func:`register_backbone` or from :mod:`reproduce.models`."""
    if arch in _FACTORIES:
        return _FACTORIES[arch](source)
    from reproduce.models import build_backbone as registry_build

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


def count_flops(model: nn.Module, resolution: int, device: str) -> float:
    """Forward FLOPs for one image (``torch.utils.flop_counter``), in eval mode."""
    from torch.utils.flop_counter import FlopCounterMode

    was = model.training
    model.eval()
    x = torch.zeros(1, 3, resolution, resolution, device=device)
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(x)
    model.train(was)
    return float(counter.get_total_flops())


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


def _n_params(model: nn.Module, trainable: bool) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable)


def run_approach(
    cfg: RunConfig,
    train: SplitArrays,
    val: SplitArrays,
    test: SplitArrays,
    *,
    n_classes: int,
    data_checksum: str,
    device: str,
    log: Log,
    full_train: SplitArrays | None = None,
    quiet: bool = True,
) -> ApproachOutput:
    """Run ``cfg.approach`` on the given splits.

    Parameters
    ----------
    cfg
        The resolved config (``resolution`` set).
    train, val, test
        Host arrays; ``train`` is already reduced to ``cfg.train_fraction``.
    n_classes
        Number of classes.
    data_checksum
        Data set checksum (part of the feature cache key).
    device
        Torch device.
    log
        Receives one record per epoch / candidate (written to ``metrics.jsonl``).
    full_train
        The whole training split (features are cached for it, then the fraction is selected
        by id); default ``train``.
    quiet
        No progress bars.

    Returns
    -------
    ApproachOutput
        Test probabilities and everything the result row needs.
    """
    synchronize(device)
    t0 = time.perf_counter()
    if cfg.approach in FROZEN_APPROACHES:
        out = _frozen(
            cfg,
            train,
            val,
            test,
            n_classes=n_classes,
            data_checksum=data_checksum,
            device=device,
            log=log,
            full_train=full_train or train,
            quiet=quiet,
        )
    else:
        out = _trained(
            cfg, train, val, test, n_classes=n_classes, device=device, log=log, quiet=quiet
        )
    synchronize(device)
    out.compute_s = time.perf_counter() - t0
    return out


def _prep(cfg: RunConfig, device: str, augment: bool) -> ImagePrep:
    assert cfg.resolution is not None
    return ImagePrep(
        resolution=cfg.resolution, augment=augment, channels_last=device.startswith("cuda")
    )


def _to_device_model(model: nn.Module, device: str) -> nn.Module:
    model = model.to(device)
    if device.startswith("cuda"):
        model = model.to(memory_format=torch.channels_last)
    return model


def _fit_over_lr_grid(
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


def _trained(
    cfg: RunConfig,
    train: SplitArrays,
    val: SplitArrays,
    test: SplitArrays,
    *,
    n_classes: int,
    device: str,
    log: Log,
    quiet: bool,
) -> ApproachOutput:
    """fine_tuning, fine_tuning_from_scratch, scratch: gradient training of the network."""
    dtr = DeviceArrays.from_images(train.images, train.labels, train.ids, device)
    dva = DeviceArrays.from_images(val.images, val.labels, val.ids, device)
    prep = _prep(cfg, device, cfg.augment)
    lr, res, model = _fit_over_lr_grid(
        cfg,
        lambda: _to_device_model(
            prepare_model(
                build_backbone(cfg.arch, cfg.source), cfg.approach, cfg.k_blocks, n_classes
            ),
            device,
        ),
        dtr,
        dva,
        prep=prep,
        device=device,
        log=log,
        stage="train",
        quiet=quiet,
    )
    dte = DeviceArrays.from_images(test.images, test.labels, test.ids, device)
    probs = predict(model, dte, prep, batch_size=2 * cfg.batch_size, device=device, quiet=quiet)
    return ApproachOutput(
        test_probs=probs,
        val_metrics=res.best_val,
        best_epoch=res.best_epoch,
        selected={"lr": lr, "epoch": res.best_epoch},
        trainable_params=_n_params(model, True),
        total_params=_n_params(model, False),
        flops_per_image=count_flops(model, cfg.resolution or 0, device),
        model=model,
    )


def _frozen(
    cfg: RunConfig,
    train: SplitArrays,
    val: SplitArrays,
    test: SplitArrays,
    *,
    n_classes: int,
    data_checksum: str,
    device: str,
    log: Log,
    full_train: SplitArrays,
    quiet: bool,
) -> ApproachOutput:
    """feature_extractor and feature_extractor_hybrid: cached features + a classifier."""
    torch.manual_seed(cfg.seed)
    backbone = build_backbone(cfg.arch, cfg.source)
    model = _to_device_model(prepare_model(backbone, cfg.approach, None, n_classes), device)
    src = getattr(backbone, "source", None)
    weights = getattr(src, "sha256", None)
    if cfg.source == "random":
        weights = f"random-init-seed{cfg.seed}"
    elif cfg.source == "cifar10":  # a local checkpoint: a re-pretrained one must not reuse features
        from reproduce.models.backbone import cifar10_checkpoint_path

        ckpt = cifar10_checkpoint_path(cfg.arch)
        weights = hashlib.sha256(ckpt.read_bytes()).hexdigest() if ckpt.exists() else None
    key = FeatureKey(
        arch=cfg.arch,
        source=cfg.source,
        weights=weights,
        dataset=cfg.dataset,
        data_checksum=data_checksum,
        resolution=int(cfg.resolution or 0),
        split_seed=cfg.split_seed,
        dedup=cfg.dedup,
        precision="bf16" if device.startswith("cuda") else "fp32",
    )
    prep = _prep(cfg, device, False)
    feats: dict[str, np.ndarray] = {}
    hits, extract_s = [], 0.0
    bs = max(cfg.batch_size, 256)
    for split, arr in (("train", full_train), ("val", val), ("test", test)):
        f, hit, sec = cached_features(
            model.backbone,
            arr.images,
            arr.labels,
            arr.ids,
            key=key,
            split=split,
            prep=prep,
            batch_size=bs,
            device=device,
            quiet=quiet,
        )
        feats[split], extract_s = f, extract_s + sec
        hits.append(hit)
    if len(train.ids) != len(full_train.ids) or not np.array_equal(train.ids, full_train.ids):
        pos = {k: i for i, k in enumerate(np.asarray(full_train.ids).astype(str))}
        feats["train"] = feats["train"][[pos[k] for k in np.asarray(train.ids).astype(str)]]
    flops = count_flops(model, int(cfg.resolution or 0), device)
    common = dict(
        feature_cache_hit=all(hits),
        feature_extract_s=extract_s,
        flops_per_image=flops,
        total_params=_n_params(model, False),
    )
    if cfg.approach == "feature_extractor":
        return _linear_head(
            cfg, model, feats, train, val, test, device=device, log=log, quiet=quiet, **common
        )
    return _hybrid(cfg, model, feats, train, val, test, log=log, **common)


def _linear_head(
    cfg: RunConfig,
    model: TransferModel,
    feats: dict[str, np.ndarray],
    train: SplitArrays,
    val: SplitArrays,
    test: SplitArrays,
    *,
    device: str,
    log: Log,
    quiet: bool,
    **common: Any,
) -> ApproachOutput:
    """Train the linear head on standardised cached features; fold the scaling into it."""
    mean = feats["train"].mean(axis=0)
    std = feats["train"].std(axis=0) + 1e-6

    def dev(split: str, arr: SplitArrays) -> DeviceArrays:
        return DeviceArrays.from_features((feats[split] - mean) / std, arr.labels, arr.ids, device)

    dtr, dva, dte = dev("train", train), dev("val", val), dev("test", test)
    n_classes = model.head.out_features
    lr, res, head = _fit_over_lr_grid(
        cfg,
        lambda: nn.Linear(feats["train"].shape[1], n_classes).to(device),
        dtr,
        dva,
        prep=None,
        device=device,
        log=log,
        stage="linear_head",
        quiet=quiet,
        amp=False,
    )
    probs = predict(head, dte, None, batch_size=4096, device=device, amp=False, quiet=quiet)
    # The whole network: head(standardise(features)) == folded head(features).
    with torch.no_grad():
        std_t = torch.as_tensor(std, device=device)
        mean_t = torch.as_tensor(mean, device=device)
        model.head.weight.copy_(head.weight / std_t)
        model.head.bias.copy_(head.bias - (head.weight * (mean_t / std_t)).sum(dim=1))
    return ApproachOutput(
        test_probs=probs,
        val_metrics=res.best_val,
        best_epoch=res.best_epoch,
        selected={"lr": lr, "epoch": res.best_epoch},
        trainable_params=_n_params(model, True),
        model=model,
        **common,
    )


def _hybrid(
    cfg: RunConfig,
    model: TransferModel,
    feats: dict[str, np.ndarray],
    train: SplitArrays,
    val: SplitArrays,
    test: SplitArrays,
    *,
    log: Log,
    **common: Any,
) -> ApproachOutput:
    """SVM / random forest on the cached features, chosen by validation AUC."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    candidates: list[tuple[dict[str, Any], Any]] = []
    if cfg.classifier in ("auto", "svm"):
        for c in (0.1, 1.0, 10.0):
            # Platt-scaled probabilities (3-fold), the SVM itself fit on all training data.
            svm = SVC(C=c, kernel="rbf", random_state=cfg.seed)
            est = make_pipeline(
                StandardScaler(),
                CalibratedClassifierCV(svm, method="sigmoid", cv=3, ensemble=False),
            )
            candidates.append(({"classifier": "svm", "C": c}, est))
    if cfg.classifier in ("auto", "rf"):
        est = RandomForestClassifier(n_estimators=300, random_state=cfg.seed)
        candidates.append(({"classifier": "rf", "n_estimators": 300}, est))
    n_classes = model.head.out_features
    y_tr = np.asarray(train.labels).reshape(-1)
    best: tuple[float, dict[str, Any], Any, dict[str, float]] | None = None
    for params, est in candidates:
        t0 = time.perf_counter()
        est.fit(feats["train"], y_tr)
        probs = _full_proba(est, feats["val"], n_classes)
        m = classification_metrics(val.labels, probs)
        log(
            {
                "stage": "hybrid",
                **params,
                **{f"val_{k}": v for k, v in m.items()},
                "fit_seconds": time.perf_counter() - t0,
            }
        )
        score = -math.inf if math.isnan(m["auc_macro_ovr"]) else m["auc_macro_ovr"]
        if best is None or score > best[0]:
            best = (score, params, est, m)
    assert best is not None
    _, params, est, m = best
    probs = _full_proba(est, feats["test"], n_classes)
    return ApproachOutput(
        test_probs=probs,
        val_metrics=m,
        best_epoch=None,
        selected=params,
        trainable_params=0,
        model=est,
        **common,
    )


def _full_proba(est: Any, x: np.ndarray, n_classes: int) -> np.ndarray:
    """``predict_proba`` with a column for every class (absent training classes get 0)."""
    p = est.predict_proba(x)
    out = np.zeros((len(x), n_classes), dtype=np.float32)
    out[:, np.asarray(est.classes_, dtype=int)] = p
    return out


def pretrain_cifar10(
    arch: str,
    *,
    epochs: int = 30,
    resolution: int = 32,
    batch_size: int = 512,
    lr: float = 2e-3,
    seed: int = 0,
    device: str = "cpu",
    out: Any = None,
    quiet: bool = True,
    train_fraction: float = 1.0,
) -> tuple[Any, float]:
    """Pretrain ``arch`` from random initialisation on CIFAR-10: the ``cifar10`` source.

    The recipe: AdamW, cosine schedule, weight decay 0.05, random flips and crops on the
    device, bf16 on CUDA, best epoch by the validation split of the data registry; the test
    accuracy is measured once and stored with the checkpoint, as torchvision stores ImageNet
    accuracy with its weights.

    Parameters
    ----------
    arch
        Architecture name.
    epochs, resolution, batch_size, lr, seed
        The recipe.
    device
        Torch device (a GPU is recommended: minutes there, hours on a CPU).
    out
        Checkpoint path (default ``cache_dir()/pretrained/<arch>-cifar10.pt``).
    quiet
        No progress bars.
    train_fraction
        Stratified, seeded fraction of the CIFAR-10 training split used (1.0 = all; a short
        recipe for a CPU); recorded in the checkpoint's recipe. Validation and test are whole.

    Returns
    -------
    tuple
        ``(checkpoint path, CIFAR-10 test accuracy)``; the checkpoint is written by
        :func:`reproduce.models.save_pretrained` (read back by ``build_backbone(arch,
        "cifar10")``).
    """
    from pathlib import Path

    from reproduce.config import code_version
    from reproduce.datasets import load_splits
    from reproduce.env import environment
    from reproduce.models import save_pretrained
    from reproduce.runner import stratified_fraction
    from reproduce.train import set_determinism

    if not 0.0 < float(train_fraction) <= 1.0:
        raise ValueError(f"train_fraction={train_fraction!r}: expected 0 < value <= 1")
    set_determinism(seed, device)
    data = load_splits("cifar10", None if resolution >= 32 else resolution, seed=0)
    tr_images, tr_labels, tr_ids = data.train.images, data.train.labels, data.train.ids
    if train_fraction < 1.0:
        keep = stratified_fraction(np.asarray(tr_labels), float(train_fraction), seed)
        tr_images, tr_labels = np.asarray(tr_images)[keep], np.asarray(tr_labels)[keep]
        tr_ids = np.asarray(tr_ids)[keep]
    model = _to_device_model(
        prepare_model(
            build_backbone(arch, "random"), "fine_tuning_from_scratch", None, len(data.classes)
        ),
        device,
    )
    prep = ImagePrep(resolution=resolution, augment=True, channels_last=device.startswith("cuda"))
    dtr = DeviceArrays.from_images(tr_images, tr_labels, tr_ids, device)
    dva = DeviceArrays.from_images(data.val.images, data.val.labels, data.val.ids, device)
    t0 = time.perf_counter()
    res = fit(
        model,
        dtr,
        dva,
        prep=prep,
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        weight_decay=0.05,
        optimizer="adamw",
        schedule="cosine",
        seed=seed,
        device=device,
        quiet=quiet,
    )
    dte = DeviceArrays.from_images(data.test.images, data.test.labels, data.test.ids, device)
    probs = predict(model, dte, prep, batch_size=2 * batch_size, device=device, quiet=quiet)
    acc = float((probs.argmax(1) == data.test.labels.reshape(-1)).mean())
    recipe = {
        "dataset": "cifar10",
        "data_checksum": data.checksum,
        "resolution": resolution,
        "epochs": epochs,
        "train_fraction": float(train_fraction),
        "n_train": int(len(tr_labels)),
        "batch_size": batch_size,
        "lr": lr,
        "optimizer": "adamw",
        "weight_decay": 0.05,
        "schedule": "cosine",
        "augment": "flip+crop(0.85-1)",
        "seed": seed,
        "best_epoch": res.best_epoch,
        "train_seconds": time.perf_counter() - t0,
        "val_accuracy": res.best_val.get("accuracy"),
        "code_version": code_version(),
    }
    env = environment(device)
    recipe.update(device=env["gpu_name"] or "cpu", torch=str(env["torch"]), git_sha=env["git_sha"])
    path = save_pretrained(
        model.backbone,
        recipe=recipe,
        test_accuracy=acc,
        head=model.head,
        path=Path(out) if out else None,
    )
    return path, acc
