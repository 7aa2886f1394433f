"""Metrics of one attack: fooling rate, clean and perturbed accuracy (no data-frame library:
they run where the attack runs; the summaries over seeds are :mod:`reproduce.attacks.summary`).

Definitions (Minagi et al. 2022, after Moosavi-Dezfooli et al. 2017)
--------------------------------------------------------------------
fooling rate (non-targeted)
    share of the attacked images whose predicted class changes under the perturbation:
    ``mean(pred(clip(x + v)) != pred(x))`` -- whether or not the clean prediction was right;
fooling rate (targeted)
    share of the attacked images classified as the target class under the perturbation:
    ``mean(pred(clip(x + v)) == target)`` (images already predicted as the target count, as in
    the papers' "targeted attack success rate"; :func:`evaluate_uap` also reports the clean
    share, ``clean_target_rate``, so the gain is visible);
clean / perturbed accuracy
    ``mean(pred == label)`` without / with the perturbation.

"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from reproduce.attacks.uap import apply_uap

__all__ = [
    "accuracy",
    "evaluate_uap",
    "fooling_rate",
    "predict_labels",
]


def fooling_rate(
    clean_pred: np.ndarray | Sequence[int],
    adv_pred: np.ndarray | Sequence[int],
    *,
    target: int | None = None,
) -> float:
    """Fooling rate of a perturbation.

    Parameters
    ----------
    clean_pred
        Predicted classes without the perturbation (N,).
    adv_pred
        Predicted classes with it (N,).
    target
        Target class of a targeted attack (``None``: non-targeted).

    Returns
    -------
    float
        Non-targeted: share of predictions that changed; targeted: share equal to ``target``.
        NaN for no images.

    Examples
    --------
    >>> fooling_rate([0, 0, 1, 1], [0, 1, 0, 1])
    0.5
    >>> fooling_rate([0, 0, 1, 1], [1, 1, 1, 0], target=1)
    0.75
    """
    clean = np.asarray(clean_pred).reshape(-1)
    adv = np.asarray(adv_pred).reshape(-1)
    if clean.shape != adv.shape:
        raise ValueError(f"fooling_rate: {clean.shape} clean vs {adv.shape} perturbed predictions")
    if adv.size == 0:
        return float("nan")
    if target is None:
        return float(np.mean(adv != clean))
    return float(np.mean(adv == int(target)))


def accuracy(labels: np.ndarray | Sequence[int], pred: np.ndarray | Sequence[int]) -> float:
    """Share of ``pred`` equal to ``labels`` (NaN for no images)."""
    y = np.asarray(labels).reshape(-1)
    p = np.asarray(pred).reshape(-1)
    if y.shape != p.shape:
        raise ValueError(f"accuracy: {y.shape} labels vs {p.shape} predictions")
    return float(np.mean(y == p)) if y.size else float("nan")


def predict_labels(
    model: Callable[[torch.Tensor], torch.Tensor],
    images: Any,
    *,
    prep: Callable[[torch.Tensor], torch.Tensor] | None = None,
    perturbation: torch.Tensor | None = None,
    batch_size: int = 256,
) -> np.ndarray:
    """Predicted classes of ``model`` on ``images`` (optionally perturbed), in eval mode.

    Parameters
    ----------
    model
        Classifier of RGB [0, 1] images (N, 3, H, W) to logits.
    images
        Indexable images (``prep`` converts a slice into the network's input).
    prep
        Batch conversion (default: ``float()``).
    perturbation
        UAP (3, H, W) on the images' device; applied as ``clip(x + v, 0, 1)``.
    batch_size
        Images per forward pass.

    Returns
    -------
    numpy.ndarray
        int64 classes (N,).
    """
    prep = prep or (lambda t: t.float())
    was = getattr(model, "training", False)
    if hasattr(model, "eval"):
        model.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            x = prep(images[start : start + batch_size])
            if perturbation is not None:
                x = apply_uap(x, perturbation)
            out.append(model(x).float().argmax(1).cpu())
    if hasattr(model, "train"):
        model.train(was)
    return torch.cat(out).numpy().astype(np.int64) if out else np.zeros(0, dtype=np.int64)


def evaluate_uap(
    labels: np.ndarray,
    clean_pred: np.ndarray,
    adv_pred: np.ndarray,
    *,
    target: int | None = None,
) -> dict[str, float]:
    """All metrics of one perturbation on one set of attacked images.

    Parameters
    ----------
    labels
        True classes (N,).
    clean_pred, adv_pred
        Predictions without / with the perturbation (N,).
    target
        Target class of a targeted attack.

    Returns
    -------
    dict
        ``fooling_rate``, ``clean_accuracy``, ``perturbed_accuracy``, ``changed_rate`` (share of
        changed predictions, = the non-targeted fooling rate), ``clean_target_rate`` (targeted:
        share already predicted as the target; NaN otherwise) and ``n_eval``.
    """
    return {
        "fooling_rate": fooling_rate(clean_pred, adv_pred, target=target),
        "clean_accuracy": accuracy(labels, clean_pred),
        "perturbed_accuracy": accuracy(labels, adv_pred),
        "changed_rate": fooling_rate(clean_pred, adv_pred),
        "clean_target_rate": float(np.mean(np.asarray(clean_pred) == int(target)))
        if target is not None and len(clean_pred)
        else float("nan"),
        "n_eval": int(len(labels)),
    }
