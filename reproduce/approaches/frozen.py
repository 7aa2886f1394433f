"""Frozen approaches: ``feature_extractor`` (cached features + a linear head) and
``feature_extractor_hybrid`` (cached features + scikit-learn classifiers chosen on validation)."""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

import numpy as np
import torch
from torch import nn

from reproduce.approaches.base import (
    ApproachData,
    ApproachOutput,
    Log,
    SplitArrays,
    TransferModel,
    build_backbone,
    fit_over_lr_grid,
    image_prep,
    n_params,
    prepare_model,
    register_approach,
    to_device_model,
)
from reproduce.engine.config import RunConfig
from reproduce.engine.cost import flops_per_image
from reproduce.engine.features import FeatureKey, cached_features
from reproduce.engine.train import DeviceArrays, classification_metrics, predict
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
    train, val, test, full_train = data.train, data.val, data.test, data.full_train
    n_classes, data_checksum = data.n_classes, data.data_checksum
    torch.manual_seed(cfg.seed)
    backbone = build_backbone(cfg.arch, cfg.source)
    model = to_device_model(prepare_model(backbone, cfg.approach, None, n_classes), device)
    src = getattr(backbone, "source", None)
    weights = getattr(src, "sha256", None)
    if cfg.source == "random":
        weights = f"random-init-seed{cfg.seed}"
    elif cfg.source == "cifar10":  # a local checkpoint: a re-pretrained one must not reuse features
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
    prep = image_prep(cfg, device, False)
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
    flops = flops_per_image(
        model,
        arch=cfg.arch,
        resolution=int(cfg.resolution or 0),
        approach=cfg.approach,
        n_classes=n_classes,
        device=device,
    )
    common = dict(
        feature_cache_hit=all(hits),
        feature_extract_s=extract_s,
        flops_per_image=flops,
        total_params=n_params(model, False),
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
    lr, res, head = fit_over_lr_grid(
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
