"""Feature fusion of two pretrained backbones: ``fusion_frozen`` and ``fusion_finetune``.

A later design beyond the review's taxonomy (Trinh & Nguyen 2021 fuse DenseNet-121 and
ResNet-101 and fine-tune the combination). Two registered backbones, ``cfg.arch`` and
``cfg.arch2`` (same ``cfg.source``), see the same image; their pooled features are each
L2-normalised (so that neither backbone's feature scale dominates), concatenated, and one linear
head maps them to the classes:

======================= =======================================================================
approach                what is trained
======================= =======================================================================
fusion_frozen           nothing of either backbone (BatchNorm in eval mode): the fused features
                        are extracted once and cached under the pair's own key, then the
                        converged L-BFGS logistic head of ``feature_extractor`` is fitted
fusion_finetune         every layer of both backbones and the head, with the learning rate
                        chosen from ``cfg.lr_grid`` on the validation split (as
                        ``fine_tuning_from_scratch`` does for one backbone)
======================= =======================================================================

Cost accounting: ``flops_per_image`` is counted on the whole fused network (both backbones, the
normalisation and the head), ``trainable_params`` / ``total_params`` over both backbones and
the head.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from reproduce.approaches.base import (
    ApproachData,
    ApproachOutput,
    Log,
    TransferModel,
    block_modules,
    build_backbone,
    fit_over_lr_grid,
    image_prep,
    n_params,
    prepare_model,
    register_approach,
    to_device_model,
)
from reproduce.approaches.frozen import feature_key, linear_head, split_features, weights_id
from reproduce.engine.config import RunConfig
from reproduce.engine.cost import count_flops
from reproduce.engine.train import DeviceArrays, predict

__all__ = ["FusedBackbone", "FusionModel", "build_fusion", "fit_fusion"]


class FusedBackbone(nn.Module):
    """Two backbones on the same image -> their pooled features, concatenated.

    Parameters
    ----------
    first, second
        Backbones mapping RGB [0, 1] images (N, 3, H, W) to pooled features (``spec.feature_dim``
        wide).
    normalize
        L2-normalise each backbone's features before concatenating them.

    Attributes
    ----------
    feature_dim : int
        Width of the fused features (the sum of both).
    """

    def __init__(self, first: nn.Module, second: nn.Module, *, normalize: bool = True) -> None:
        super().__init__()
        self.first = first
        self.second = second
        self.normalize = bool(normalize)
        self.feature_dim = int(first.spec.feature_dim) + int(second.spec.feature_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Fused features (N, feature_dim) of RGB [0, 1] images (N, 3, H, W)."""
        feats = [self.first(x).flatten(1), self.second(x).flatten(1)]
        if self.normalize:
            feats = [F.normalize(f, dim=1, eps=1e-6) for f in feats]
        return torch.cat(feats, dim=1)


class FusionModel(nn.Module):
    """Two prepared backbones, fused, and one linear head; frozen blocks stay in eval mode.

    Parameters
    ----------
    first, second
        Backbones with ``requires_grad`` already set per block (:func:`build_fusion`).
    n_classes
        Outputs of the head.
    frozen_blocks
        Per backbone, the names of its blocks that do not train (their BatchNorm stays in eval
        mode when the model trains).
    normalize
        L2-normalise each backbone's features (see :class:`FusedBackbone`).
    """

    def __init__(
        self,
        first: nn.Module,
        second: nn.Module,
        n_classes: int,
        frozen_blocks: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
        *,
        normalize: bool = True,
    ) -> None:
        super().__init__()
        self.backbone = FusedBackbone(first, second, normalize=normalize)
        self.head = nn.Linear(self.backbone.feature_dim, n_classes)
        self.frozen_blocks = (tuple(frozen_blocks[0]), tuple(frozen_blocks[1]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (N, n_classes) of RGB images in [0, 1]."""
        return self.head(self.backbone(x))

    def train(self, mode: bool = True) -> FusionModel:
        """Set training mode, then put each backbone's frozen blocks back in eval mode."""
        super().train(mode)
        if mode:
            for bb, frozen in zip(
                (self.backbone.first, self.backbone.second), self.frozen_blocks, strict=True
            ):
                names = set(frozen)
                for name, module in block_modules(bb):
                    if name in names:
                        module.eval()
        return self


def build_fusion(cfg: RunConfig, n_classes: int, *, normalize: bool = True) -> FusionModel:
    """Both backbones of ``cfg`` (``arch``, ``arch2``, ``source``), frozen or trainable, fused.

    Each backbone goes through :func:`~reproduce.approaches.base.prepare_model` with
    ``cfg.approach``, which freezes every block for ``fusion_frozen`` (a frozen approach) and
    none for ``fusion_finetune``, and checks that every parameter belongs to a block.
    """
    if cfg.arch2 is None:
        raise ValueError(f"approach {cfg.approach!r} needs arch2 (the second architecture)")
    parts: list[TransferModel] = [
        prepare_model(build_backbone(arch, cfg.source), cfg.approach, None, n_classes)
        for arch in (cfg.arch, cfg.arch2)
    ]
    return FusionModel(
        parts[0].backbone,
        parts[1].backbone,
        n_classes,
        (parts[0].frozen_blocks, parts[1].frozen_blocks),
        normalize=normalize,
    )


@register_approach("fusion_frozen", frozen=True)
def fit_fusion_frozen(
    cfg: RunConfig, data: ApproachData, *, device: str, log: Log, quiet: bool
) -> ApproachOutput:
    """fusion_frozen: cached fused features of two frozen backbones + the converged linear head.

    The fused (L2-normalised, concatenated) features are cached under the pair's own key
    (``arch+arch2``), so the first seed of a fusion arm pays the extraction of both backbones
    and later seeds reuse it, exactly as for a single-backbone ``feature_extractor`` arm.
    """
    torch.manual_seed(cfg.seed)
    model = to_device_model(build_fusion(cfg, data.n_classes), device)
    first, second = model.backbone.first, model.backbone.second
    assert cfg.arch2 is not None
    w1, w2 = weights_id(cfg, first, cfg.arch), weights_id(cfg, second, cfg.arch2)
    key = feature_key(
        cfg,
        data.data_checksum,
        device,
        arch=f"{cfg.arch}+{cfg.arch2}",
        weights=None if w1 is None or w2 is None else f"fusion-l2:{w1}+{w2}",
    )
    feats, hits, extract_s = split_features(cfg, data, model.backbone, key, device, quiet)
    out = linear_head(
        cfg,
        model,
        feats,
        data.train,
        data.val,
        data.test,
        device=device,
        log=log,
        quiet=quiet,
        feature_cache_hit=all(hits),
        feature_extract_s=extract_s,
        flops_per_image=count_flops(model, int(cfg.resolution or 0), device),
        total_params=n_params(model, False),
    )
    out.selected.update(_parts(model), l2_normalized=model.backbone.normalize)
    return out


@register_approach("fusion_finetune")
def fit_fusion(
    cfg: RunConfig, data: ApproachData, *, device: str, log: Log, quiet: bool
) -> ApproachOutput:
    """fusion_finetune: every layer of both backbones and the head, learning rate from the grid.

    One fresh fused model per learning rate of ``cfg.lr_grid``; the best epoch and rate are
    chosen by validation AUC, and the test split is predicted once.
    """
    train, val, test, n_classes = data.train, data.val, data.test, data.n_classes
    dtr = DeviceArrays.from_images(train.images, train.labels, train.ids, device)
    dva = DeviceArrays.from_images(val.images, val.labels, val.ids, device)
    prep = image_prep(cfg, device, cfg.augment)
    lr, res, model = fit_over_lr_grid(
        cfg,
        lambda: to_device_model(build_fusion(cfg, n_classes), device),
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
    out = ApproachOutput(
        test_probs=probs,
        val_metrics=res.best_val,
        best_epoch=res.best_epoch,
        selected={"lr": lr, "epoch": res.best_epoch},
        trainable_params=n_params(model, True),
        total_params=n_params(model, False),
        flops_per_image=count_flops(model, cfg.resolution or 0, device),
        model=model,
    )
    out.selected.update(_parts(model), l2_normalized=model.backbone.normalize)
    return out


def _parts(model: FusionModel) -> dict[str, int]:
    """Parameters per part of the fused network (for the record)."""
    first, second = model.backbone.first, model.backbone.second
    return {
        "params_arch": sum(p.numel() for p in first.parameters()),
        "params_arch2": sum(p.numel() for p in second.parameters()),
        "params_head": sum(p.numel() for p in model.head.parameters()),
    }
