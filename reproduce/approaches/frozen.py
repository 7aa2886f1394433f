"""Frozen approaches: ``feature_extractor`` (cached features + a linear head) and
``feature_extractor_hybrid`` (cached features + scikit-learn classifiers chosen on validation)."""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

import numpy as np
import torch

from reproduce.approaches.base import (
    ApproachData,
    ApproachOutput,
    Log,
    SplitArrays,
    TransferModel,
    build_backbone,
    image_prep,
    n_params,
    prepare_model,
    register_approach,
    to_device_model,
)
from reproduce.engine.config import RunConfig
from reproduce.engine.cost import count_flops
from reproduce.engine.features import FeatureKey, cached_features
from reproduce.engine.heads import fit_logistic_head
from reproduce.engine.train import classification_metrics
from reproduce.models.backbone import cifar10_checkpoint_path


@register_approach("feature_extractor", "feature_extractor_hybrid", frozen=True)
def fit_frozen(
    cfg: RunConfig, data: ApproachData, *, device: str, log: Log, quiet: bool
) -> ApproachOutput:
    """feature_extractor and feature_extractor_hybrid: cached features + a classifier.

    The backbone is frozen (BatchNorm in eval mode); features of the whole training split,
    validation and test are extracted once and cached (:mod:`reproduce.engine.features`), then
    ``feature_extractor`` trains a linear head on them and ``feature_extractor_hybrid`` chooses
    an SVM or random forest by validation AUC.
    """
    train, val, test = data.train, data.val, data.test
    n_classes, data_checksum = data.n_classes, data.data_checksum
    torch.manual_seed(cfg.seed)
    backbone = build_backbone(cfg.arch, cfg.source)
    model = to_device_model(prepare_model(backbone, cfg.approach, None, n_classes), device)
    key = feature_key(cfg, data_checksum, device, arch=cfg.arch, weights=weights_id(cfg, backbone))
    feats, hits, extract_s = split_features(cfg, data, model.backbone, key, device, quiet)
    flops = count_flops(model, int(cfg.resolution or 0), device)
    common = dict(
        feature_cache_hit=all(hits),
        feature_extract_s=extract_s,
        flops_per_image=flops,
        total_params=n_params(model, False),
    )
    if cfg.approach == "feature_extractor":
        return linear_head(
            cfg, model, feats, train, val, test, device=device, log=log, quiet=quiet, **common
        )
    return _hybrid(cfg, model, feats, train, val, test, log=log, **common)


def weights_id(cfg: RunConfig, backbone: torch.nn.Module, arch: str | None = None) -> str | None:
    """What identifies a backbone's weights in a feature-cache key.

    The registry's sha256 for ``imagenet``; the checkpoint's sha256 for ``cifar10`` (a
    re-pretrained checkpoint must not reuse features); the seed for ``random``.
    """
    arch = arch or cfg.arch
    if cfg.source == "random":
        return f"random-init-seed{cfg.seed}"
    if cfg.source == "cifar10":
        ckpt = cifar10_checkpoint_path(arch)
        return hashlib.sha256(ckpt.read_bytes()).hexdigest() if ckpt.exists() else None
    return getattr(getattr(backbone, "source", None), "sha256", None)


def feature_key(
    cfg: RunConfig, data_checksum: str, device: str, *, arch: str, weights: str | None
) -> FeatureKey:
    """The feature-cache key of ``cfg``'s data seen through the backbone ``arch``."""
    return FeatureKey(
        arch=arch,
        source=cfg.source,
        weights=weights,
        # a non-default resize is other pixels from the same files (older keys unchanged)
        dataset=cfg.dataset if cfg.resize is None else f"{cfg.dataset}#resize={cfg.resize}",
        data_checksum=data_checksum,
        resolution=int(cfg.resolution or 0),
        split_seed=cfg.split_seed,
        dedup=cfg.dedup_arg,
        precision="bf16" if device.startswith("cuda") else "fp32",
    )


def split_features(
    cfg: RunConfig,
    data: ApproachData,
    backbone: torch.nn.Module,
    key: FeatureKey,
    device: str,
    quiet: bool,
) -> tuple[dict[str, np.ndarray], list[bool], float]:
    """Cached features of every split (the whole training split, then ``cfg``'s fraction).

    Returns
    -------
    tuple
        ``({"train", "val", "test"} -> features, cache hit per split, extraction seconds)``.
    """
    prep = image_prep(cfg, device, False)
    feats: dict[str, np.ndarray] = {}
    hits, extract_s = [], 0.0
    bs = max(cfg.batch_size, 256)
    for split, arr in (("train", data.full_train), ("val", data.val), ("test", data.test)):
        f, hit, sec = cached_features(
            backbone,
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
    train, full_train = data.train, data.full_train
    if len(train.ids) != len(full_train.ids) or not np.array_equal(train.ids, full_train.ids):
        pos = {k: i for i, k in enumerate(np.asarray(full_train.ids).astype(str))}
        feats["train"] = feats["train"][[pos[k] for k in np.asarray(train.ids).astype(str)]]
    return feats, hits, extract_s


def linear_head(
    cfg: RunConfig,
    model: torch.nn.Module,
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
    """Fit the linear head on the cached features to convergence; fold it into the network.

    The head is an L-BFGS multinomial logistic regression on standardised features with its L2
    strength chosen on the validation split (:func:`reproduce.engine.heads.fit_logistic_head`),
    independent of the network's epochs: a convex problem solved to convergence, with its
    iterations recorded. ``cfg.epochs``, ``lr`` and ``lr_grid`` play no part. ``model`` is
    any network whose ``head`` is the ``nn.Linear`` on these features (:class:`TransferModel`,
    the fusion model).
    """

    def dev(split: str) -> torch.Tensor:
        return torch.as_tensor(feats[split], device=device)

    def lab(arr: SplitArrays) -> torch.Tensor:
        return torch.as_tensor(np.asarray(arr.labels).reshape(-1), device=device)

    n_classes = model.head.out_features
    fit = fit_logistic_head(dev("train"), lab(train), dev("val"), lab(val), n_classes)
    for rec in fit.history:
        log({"stage": "linear_head", **rec})
    probs = fit.predict_proba(dev("test")).astype(np.float32)
    folded = fit.as_module()
    with torch.no_grad():
        model.head.weight.copy_(folded.weight)
        model.head.bias.copy_(folded.bias)
    best = next(h for h in fit.history if h["C"] == fit.C)
    val_metrics = {k[4:]: v for k, v in best.items() if k.startswith("val_")}
    return ApproachOutput(
        test_probs=probs,
        val_metrics=val_metrics,
        best_epoch=None,
        selected={
            "head": "lbfgs_logistic",
            "C": fit.C,
            "n_iter": fit.n_iter,
            "converged": fit.converged,
        },
        trainable_params=n_params(model, True),
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
    # scikit-learn is imported only by the hybrid approach (heavy; optional for the others).
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
