"""Trained approaches: ``fine_tuning`` (top ``k_blocks`` blocks), ``fine_tuning_from_scratch``
(every layer from pretrained weights) and ``scratch`` (every layer, random initialisation)."""

from __future__ import annotations

from reproduce.approaches.base import (
    ApproachData,
    ApproachOutput,
    Log,
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
from reproduce.engine.train import DeviceArrays, predict


@register_approach("fine_tuning", "fine_tuning_from_scratch", "scratch")
def fit_trained(
    cfg: RunConfig, data: ApproachData, *, device: str, log: Log, quiet: bool
) -> ApproachOutput:
    """fine_tuning, fine_tuning_from_scratch, scratch: gradient training of the network.

    :func:`~reproduce.approaches.base.prepare_model` freezes what the approach freezes (the
    bottom blocks for ``fine_tuning``, nothing otherwise); ``scratch`` differs only by its
    ``random`` source. One fresh model per learning rate of the grid; the best epoch and rate
    are chosen by validation AUC and the test split is predicted once.
    """
    train, val, test, n_classes = data.train, data.val, data.test, data.n_classes
    dtr = DeviceArrays.from_images(train.images, train.labels, train.ids, device)
    dva = DeviceArrays.from_images(val.images, val.labels, val.ids, device)
    prep = image_prep(cfg, device, cfg.augment)
    lr, res, model = fit_over_lr_grid(
        cfg,
        lambda: to_device_model(
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
        trainable_params=n_params(model, True),
        total_params=n_params(model, False),
        flops_per_image=flops_per_image(
            model,
            arch=cfg.arch,
            resolution=int(cfg.resolution or 0),
            approach=cfg.approach,
            n_classes=n_classes,
            device=device,
        ),
        model=model,
    )
