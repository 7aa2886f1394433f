"""CIFAR-10 pretraining of an architecture from random initialisation: the ``cifar10`` source."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

import numpy as np

from reproduce.approaches.base import build_backbone, prepare_model, to_device_model
from reproduce.datasets.load import load_splits
from reproduce.datasets.synthetic import stratified_fraction
from reproduce.engine.config import PretrainRecipe, code_version
from reproduce.engine.env import environment
from reproduce.engine.train import DeviceArrays, ImagePrep, fit, predict, set_determinism
from reproduce.models.backbone import save_pretrained


def pretrain_cifar10(
    arch: str,
    recipe: PretrainRecipe | None = None,
    *,
    device: str = "cpu",
    out: Path | str | None = None,
    quiet: bool = True,
    **changes: Any,
) -> tuple[Path, float]:
    """Pretrain ``arch`` from random initialisation on CIFAR-10: the ``cifar10`` source.

    The recipe (:class:`~reproduce.engine.config.PretrainRecipe`): AdamW, cosine schedule,
    weight decay 0.05, random flips and crops on the device, bf16 on CUDA, best epoch by the
    validation split of the data registry; the test accuracy is measured once and stored with
    the checkpoint, as torchvision stores ImageNet accuracy with its weights.

    Parameters
    ----------
    arch
        Architecture name.
    recipe
        The recipe (default :class:`PretrainRecipe`); ``changes`` override its fields.
    device
        Torch device (a GPU is recommended: minutes there, hours on a CPU).
    out
        Checkpoint path (default ``cache_dir()/pretrained/<arch>-cifar10.pt``).
    quiet
        No progress bars.
    **changes
        Recipe fields to change (``epochs=1``, ``train_fraction=0.5``, ...).

    Returns
    -------
    tuple
        ``(checkpoint path, CIFAR-10 test accuracy)``; the checkpoint is written by
        :func:`reproduce.models.backbone.save_pretrained` (read back by
        ``build_backbone(arch, "cifar10")``).

    Raises
    ------
    review.errors.ConfigError
        An invalid recipe (e.g. ``train_fraction`` outside (0, 1]).
    """
    r = dataclasses.replace(recipe or PretrainRecipe(), **changes)
    set_determinism(r.seed, device)
    data = load_splits("cifar10", None if r.resolution >= 32 else r.resolution, seed=0)
    tr_images, tr_labels, tr_ids = data.train.images, data.train.labels, data.train.ids
    if r.train_fraction < 1.0:
        keep = stratified_fraction(np.asarray(tr_labels), float(r.train_fraction), r.seed)
        tr_images, tr_labels = np.asarray(tr_images)[keep], np.asarray(tr_labels)[keep]
        tr_ids = np.asarray(tr_ids)[keep]
    model = to_device_model(
        prepare_model(
            build_backbone(arch, "random"), "fine_tuning_from_scratch", None, len(data.classes)
        ),
        device,
    )
    prep = ImagePrep(resolution=r.resolution, augment=True, channels_last=device.startswith("cuda"))
    dtr = DeviceArrays.from_images(tr_images, tr_labels, tr_ids, device)
    dva = DeviceArrays.from_images(data.val.images, data.val.labels, data.val.ids, device)
    t0 = time.perf_counter()
    res = fit(
        model,
        dtr,
        dva,
        prep=prep,
        epochs=r.epochs,
        batch_size=r.batch_size,
        lr=r.lr,
        weight_decay=r.weight_decay,
        optimizer=r.optimizer,
        schedule=r.schedule,
        seed=r.seed,
        device=device,
        quiet=quiet,
    )
    dte = DeviceArrays.from_images(data.test.images, data.test.labels, data.test.ids, device)
    probs = predict(model, dte, prep, batch_size=2 * r.batch_size, device=device, quiet=quiet)
    acc = float((probs.argmax(1) == data.test.labels.reshape(-1)).mean())
    stored = {
        "dataset": "cifar10",
        "data_checksum": data.checksum,
        "resolution": r.resolution,
        "epochs": r.epochs,
        "train_fraction": float(r.train_fraction),
        "n_train": int(len(tr_labels)),
        "batch_size": r.batch_size,
        "lr": r.lr,
        "optimizer": r.optimizer,
        "weight_decay": r.weight_decay,
        "schedule": r.schedule,
        "augment": "flip+crop(0.85-1)",
        "seed": r.seed,
        "best_epoch": res.best_epoch,
        "train_seconds": time.perf_counter() - t0,
        "val_accuracy": res.best_val.get("accuracy"),
        "code_version": code_version(),
    }
    env = environment(device)
    stored.update(device=env["gpu_name"] or "cpu", torch=str(env["torch"]), git_sha=env["git_sha"])
    path = save_pretrained(
        model.backbone,
        recipe=stored,
        test_accuracy=acc,
        head=model.head,
        path=Path(out) if out else None,
    )
    return path, acc
