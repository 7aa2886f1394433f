"""CIFAR-10 pretraining of an architecture from random initialisation: the ``cifar10`` source."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from reproduce.approaches.base import build_backbone, prepare_model, to_device_model
from reproduce.datasets.load import load_splits
from reproduce.datasets.synthetic import stratified_fraction
from reproduce.engine.config import code_version
from reproduce.engine.env import environment
from reproduce.engine.train import DeviceArrays, ImagePrep, fit, predict, set_determinism
from reproduce.models.backbone import save_pretrained


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

    if not 0.0 < float(train_fraction) <= 1.0:
        raise ValueError(f"train_fraction={train_fraction!r}: expected 0 < value <= 1")
    set_determinism(seed, device)
    data = load_splits("cifar10", None if resolution >= 32 else resolution, seed=0)
    tr_images, tr_labels, tr_ids = data.train.images, data.train.labels, data.train.ids
    if train_fraction < 1.0:
        keep = stratified_fraction(np.asarray(tr_labels), float(train_fraction), seed)
        tr_images, tr_labels = np.asarray(tr_images)[keep], np.asarray(tr_labels)[keep]
        tr_ids = np.asarray(tr_ids)[keep]
    model = to_device_model(
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
