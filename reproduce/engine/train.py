"""The training pipeline: the data set lives on the device, everything per batch happens there.

A split is moved to the device once as ``uint8`` (N, C, H, W) (:class:`DeviceArrays`); each batch
is indexed on the device, converted to float, resized with ``F.interpolate`` (or, when
augmenting, resized, flipped and randomly cropped in one ``F.affine_grid``/``F.grid_sample``
call) and expanded from 1 to 3 channels. On CUDA the forward and backward passes run under
bf16 autocast in channels-last layout. There is no DataLoader, no worker process and no
per-image Python code, so a small model is limited by the GPU, not by the input pipeline.

The same code runs on the CPU (slowly, in fp32); with :func:`set_determinism` and a fixed seed
two CPU runs give the same numbers.

:func:`fit` trains any module mapping RGB images in [0, 1] (or, with ``prepare=None``,
feature vectors) to logits, keeps the state of the epoch with the best validation AUC and
returns it; :func:`predict` returns class probabilities; :func:`classification_metrics`
computes the result metrics.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from reproduce.engine.env import progress

__all__ = [
    "DeviceArrays",
    "FitResult",
    "ImagePrep",
    "classification_metrics",
    "fit",
    "macro_auc_ovr",
    "make_optimizer",
    "predict",
    "progress",
    "set_determinism",
    "synchronize",
]


def set_determinism(seed: int, device: str) -> None:
    """Seed Python, NumPy and torch; on the CPU also ask torch for deterministic algorithms.

    Parameters
    ----------
    seed
        The run's seed.
    device
        ``cpu`` turns on ``torch.use_deterministic_algorithms`` (warn only); on CUDA the fast,
        non-deterministic kernels are kept (the GPU numbers vary slightly between runs).
    """
    random.seed(seed)
    np.random.seed(seed % 2**32)  # noqa: NPY002 - seeds third-party code using the global RNG
    torch.manual_seed(seed)
    if device == "cpu":
        torch.use_deterministic_algorithms(True, warn_only=True)
    else:
        torch.use_deterministic_algorithms(False)
        torch.backends.cudnn.benchmark = True


def synchronize(device: str) -> None:
    """Wait for queued device work (so that timings are real)."""
    if device.startswith("cuda"):
        torch.cuda.synchronize(torch.device(device))


@dataclass
class DeviceArrays:
    """One split on the device.

    Attributes
    ----------
    x
        ``uint8`` images (N, C, H, W), or float feature vectors (N, D).
    y
        ``int64`` labels (N,).
    ids
        Stable per-sample identifiers (host array of str).
    """

    x: torch.Tensor
    y: torch.Tensor
    ids: np.ndarray

    def __len__(self) -> int:
        return int(self.y.shape[0])

    @classmethod
    def from_images(
        cls, images: np.ndarray, labels: np.ndarray, ids: np.ndarray, device: str
    ) -> DeviceArrays:
        """Move ``uint8`` images (N, H, W, C) to the device as (N, C, H, W).

        Parameters
        ----------
        images
            ``uint8`` array (N, H, W, C) with C in {1, 3}, or (N, H, W).
        labels
            Integer labels (N,) or (N, 1).
        ids
            Per-sample identifiers (N,).
        device
            Target device.

        Returns
        -------
        DeviceArrays
            Images still ``uint8`` on the device.
        """
        if images.dtype != np.uint8:
            raise TypeError(f"images must be uint8, got {images.dtype}")
        if images.ndim == 3:
            images = images[..., None]
        if images.ndim != 4 or images.shape[-1] not in (1, 3):
            raise ValueError(f"images must be (N, H, W, C) with C in 1 or 3, got {images.shape}")
        x = torch.from_numpy(np.ascontiguousarray(images)).to(device)
        x = x.permute(0, 3, 1, 2).contiguous()
        y = torch.as_tensor(np.asarray(labels).reshape(-1).astype(np.int64), device=device)
        return cls(x=x, y=y, ids=np.asarray(ids).astype(str))

    @classmethod
    def from_features(
        cls, features: np.ndarray, labels: np.ndarray, ids: np.ndarray, device: str
    ) -> DeviceArrays:
        """Move float feature vectors (N, D) to the device."""
        x = torch.as_tensor(np.asarray(features, dtype=np.float32), device=device)
        y = torch.as_tensor(np.asarray(labels).reshape(-1).astype(np.int64), device=device)
        return cls(x=x, y=y, ids=np.asarray(ids).astype(str))


@dataclass(frozen=True)
class ImagePrep:
    """Turn a batch of device ``uint8`` images into the network's float input.

    Attributes
    ----------
    resolution
        Output side in pixels.
    augment
        In training: random horizontal flips and random crops of ``min_scale``..1 of the side
        (then resized to ``resolution``), done for the whole batch in one ``grid_sample``.
    min_scale
        Smallest crop side as a fraction of the image side.
    channels_last
        Return channels-last memory layout (CUDA).
    """

    resolution: int
    augment: bool = False
    min_scale: float = 0.85
    channels_last: bool = False

    def __call__(
        self, x: torch.Tensor, train: bool, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        """Return float RGB in [0, 1], shape (N, 3, resolution, resolution)."""
        x = x.float().div_(255.0)
        n, _, h, w = x.shape
        r = self.resolution
        if train and self.augment:
            dev = x.device
            s = torch.empty(n, device=dev).uniform_(self.min_scale, 1.0, generator=generator)
            flip = torch.randint(0, 2, (n,), device=dev, generator=generator).float() * 2 - 1
            tx = (torch.rand(n, device=dev, generator=generator) * 2 - 1) * (1 - s)
            ty = (torch.rand(n, device=dev, generator=generator) * 2 - 1) * (1 - s)
            theta = torch.zeros(n, 2, 3, device=dev)
            theta[:, 0, 0] = s * flip
            theta[:, 0, 2] = tx
            theta[:, 1, 1] = s
            theta[:, 1, 2] = ty
            grid = F.affine_grid(theta, [n, x.shape[1], r, r], align_corners=False)
            x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
        elif (h, w) != (r, r):
            x = F.interpolate(
                x, size=(r, r), mode="bilinear", align_corners=False, antialias=h > r or w > r
            )
        if x.shape[1] == 1:
            x = x.expand(-1, 3, -1, -1)
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        else:
            x = x.contiguous()
        return x


Prep = Callable[[torch.Tensor, bool, "torch.Generator | None"], torch.Tensor]


def macro_auc_ovr(labels: np.ndarray, probs: np.ndarray) -> float:
    """Macro-averaged one-vs-rest ROC AUC (binary: the AUC of the positive class).

    Classes absent from ``labels`` (or present in every row) are skipped; NaN when none is left.

    Parameters
    ----------
    labels
        Integer labels (N,).
    probs
        Class probabilities (N, K).

    Returns
    -------
    float
        The AUC.
    """
    # scikit-learn: heavy to import; only when this is computed
    from sklearn.metrics import roc_auc_score

    labels = np.asarray(labels).reshape(-1)
    k = probs.shape[1]
    if k == 2:
        if len(np.unique(labels)) < 2:
            return math.nan
        return float(roc_auc_score(labels, probs[:, 1]))
    aucs = []
    for c in range(k):
        pos = labels == c
        if 0 < pos.sum() < len(labels):
            aucs.append(roc_auc_score(pos, probs[:, c]))
    return float(np.mean(aucs)) if aucs else math.nan


def classification_metrics(labels: np.ndarray, probs: np.ndarray) -> dict[str, float]:
    """AUC (macro one-vs-rest), accuracy and balanced accuracy of probabilities ``probs``."""
    # scikit-learn: heavy to import; only when this is computed
    from sklearn.metrics import balanced_accuracy_score

    labels = np.asarray(labels).reshape(-1)
    pred = probs.argmax(axis=1)
    return {
        "auc_macro_ovr": macro_auc_ovr(labels, probs),
        "accuracy": float((pred == labels).mean()) if len(labels) else math.nan,
        "balanced_accuracy": float(balanced_accuracy_score(labels, pred))
        if len(labels)
        else math.nan,
    }


def make_optimizer(
    params: list[nn.Parameter], name: str, lr: float, weight_decay: float
) -> torch.optim.Optimizer:
    """``adam``, ``adamw`` or ``sgd`` (momentum 0.9, Nesterov) over ``params``."""
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    if name == "sgd":
        return torch.optim.SGD(
            params, lr=lr, momentum=0.9, nesterov=True, weight_decay=weight_decay
        )
    raise ValueError(f"unknown optimizer {name!r}")


def _make_schedule(opt: torch.optim.Optimizer, name: str, steps: int) -> Any:
    if name == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max(steps, 1))
    if name == "multistep":
        return torch.optim.lr_scheduler.MultiStepLR(
            opt, milestones=[int(0.5 * steps), int(0.75 * steps)], gamma=0.1
        )
    if name == "constant":
        return None
    raise ValueError(f"unknown schedule {name!r}")


def _autocast(device: str, amp: bool) -> Any:
    return (
        torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=amp)
        if (device.startswith("cuda"))
        else torch.autocast(device_type="cpu", enabled=False)
    )


@torch.no_grad()
def predict(
    model: nn.Module,
    data: DeviceArrays,
    prep: Prep | None,
    *,
    batch_size: int,
    device: str,
    amp: bool | None = None,
    quiet: bool = True,
) -> np.ndarray:
    """Class probabilities (N, K) of ``model`` on ``data`` (eval mode, no augmentation).

    Parameters
    ----------
    model
        Module returning logits.
    data
        The split on the device.
    prep
        Batch preparation (:class:`ImagePrep`), or ``None`` for feature vectors.
    batch_size
        Evaluation batch size.
    device
        The device ``data`` lives on.
    amp
        bf16 autocast (default: on for CUDA).
    quiet
        No progress bar.

    Returns
    -------
    numpy.ndarray
        float32 probabilities.
    """
    amp = device.startswith("cuda") if amp is None else amp
    was_training = model.training
    model.eval()
    out = []
    fixed = device.startswith("cuda")  # one batch shape: cuDNN searches its algorithms once
    for start in progress(range(0, len(data), batch_size), quiet=quiet, desc="eval"):
        xb = data.x[start : start + batch_size]
        n_real = xb.shape[0]
        if fixed and n_real < batch_size and len(data) > batch_size:
            # Pad the ragged last batch with copies of its first row (eval mode: rows are
            # independent, so the real rows' outputs are unchanged); the padding is dropped.
            pad = xb[:1].expand(batch_size - n_real, *xb.shape[1:])
            xb = torch.cat([xb, pad])
        if prep is not None:
            xb = prep(xb, False, None)
        with _autocast(device, amp):
            logits = model(xb)
        out.append(torch.softmax(logits[:n_real].float(), dim=1))
    model.train(was_training)
    if not out:
        return np.zeros((0, 0), dtype=np.float32)
    return torch.cat(out).cpu().numpy().astype(np.float32)


@dataclass
class FitResult:
    """What :func:`fit` returns.

    Attributes
    ----------
    best_epoch
        1-based epoch with the best validation AUC (ties: the earliest).
    best_val
        Validation metrics at that epoch.
    history
        One dict per epoch: epoch, lr, train_loss, val metrics, seconds, images_per_s.
    train_images
        Images (or vectors) processed in training.
    train_seconds
        Device time of the training steps (synchronised).
    """

    best_epoch: int
    best_val: dict[str, float]
    history: list[dict[str, Any]] = field(default_factory=list)
    train_images: int = 0
    train_seconds: float = 0.0


def fit(
    model: nn.Module,
    train: DeviceArrays,
    val: DeviceArrays,
    *,
    prep: Prep | None,
    epochs: int,
    batch_size: int,
    lr: float,
    weight_decay: float = 0.0,
    optimizer: str = "adam",
    schedule: str = "cosine",
    seed: int = 0,
    device: str = "cpu",
    amp: bool | None = None,
    eval_batch_size: int | None = None,
    on_epoch: Callable[[dict[str, Any]], None] | None = None,
    quiet: bool = True,
    restore_best: bool = True,
    step_fn: Callable[[torch.Tensor], torch.Tensor] | None = None,
) -> FitResult:
    """Train the parameters of ``model`` that require gradients; keep the best epoch by val AUC.

    Parameters
    ----------
    model
        Module returning logits; only parameters with ``requires_grad`` are optimised.
        ``model.train()`` is called each epoch (a wrapper may keep frozen BatchNorm in eval).
    train, val
        Splits on the device.
    prep
        Batch preparation for images (:class:`ImagePrep`), ``None`` for feature vectors.
    epochs, batch_size, lr, weight_decay, optimizer, schedule
        Optimisation settings (cross-entropy loss). On a GPU the ragged last batch is dropped
        (fixed batch shapes); elsewhere it is kept, except a single image, which BatchNorm
        cannot train on: it sits out that epoch.
    seed
        Seeds the batch order and the augmentation (a generator on the device).
    device
        Device of the data and the model.
    amp
        bf16 autocast (default: on for CUDA).
    eval_batch_size
        Batch size for validation (default ``2 * batch_size``).
    on_epoch
        Called with each epoch's record (e.g. to append it to ``metrics.jsonl``).
    quiet
        No progress bars.
    restore_best
        Load the best epoch's weights into ``model`` before returning.
    step_fn
        Replaces ``model`` in the training forward pass (e.g. a ``torch.compile``-d model).

    Returns
    -------
    FitResult
        Best epoch, its validation metrics and the per-epoch history.
    """
    amp = device.startswith("cuda") if amp is None else amp
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("fit: the model has no trainable parameters")
    opt = make_optimizer(params, optimizer, lr, weight_decay)
    sched = _make_schedule(opt, schedule, epochs)
    gen = torch.Generator(device=device)
    gen.manual_seed(seed)
    forward = step_fn or model
    n = len(train)
    best_auc, best_epoch, best_val, best_state = -math.inf, 0, {}, None
    result = FitResult(best_epoch=0, best_val={})
    val_bs = eval_batch_size or 2 * batch_size
    for epoch in progress(range(1, epochs + 1), quiet=quiet, desc="epochs"):
        model.train()
        synchronize(device)
        t0 = time.perf_counter()
        perm = torch.randperm(n, device=device, generator=gen)
        total = torch.zeros((), device=device)
        # A last mini-batch of a single image cannot be trained with BatchNorm in training mode;
        # that image is left out of this epoch (a different one each epoch, as perm changes).
        n_used = n - 1 if n > 1 and n % batch_size == 1 else n
        if device.startswith("cuda") and n > batch_size:
            # Fixed batch shapes on a GPU: the ragged last batch is dropped (a different set of
            # images each epoch, as perm changes), so no new shape triggers cuDNN's search.
            n_used = (n // batch_size) * batch_size
        for start in progress(range(0, n_used, batch_size), quiet=quiet, desc=f"epoch {epoch}"):
            idx = perm[start : min(start + batch_size, n_used)]
            xb = train.x[idx]
            if prep is not None:
                xb = prep(xb, True, gen)
            yb = train.y[idx]
            with _autocast(device, amp):
                logits = forward(xb)
                loss = F.cross_entropy(logits.float(), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.detach() * len(idx)
        synchronize(device)
        seconds = time.perf_counter() - t0
        result.train_seconds += seconds
        result.train_images += n
        current_lr = opt.param_groups[0]["lr"]
        if sched is not None:
            sched.step()
        probs = predict(model, val, prep, batch_size=val_bs, device=device, amp=amp)
        val_metrics = classification_metrics(val.y.cpu().numpy(), probs)
        record = {
            "epoch": epoch,
            "lr": current_lr,
            "train_loss": float(total.item() / max(n, 1)),
            **{f"val_{k}": v for k, v in val_metrics.items()},
            "train_seconds": seconds,
            "images_per_s": n / seconds if seconds > 0 else math.nan,
        }
        result.history.append(record)
        if on_epoch is not None:
            on_epoch(record)
        auc = val_metrics["auc_macro_ovr"]
        score = auc if not math.isnan(auc) else val_metrics["accuracy"]
        if score > best_auc:
            best_auc, best_epoch, best_val = score, epoch, val_metrics
            if restore_best and epoch < epochs:
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            elif restore_best:
                best_state = None  # the final weights are the best ones
    if restore_best and best_state is not None and best_epoch != epochs:
        model.load_state_dict(best_state)
    result.best_epoch, result.best_val = best_epoch, best_val
    return result
