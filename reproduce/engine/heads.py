"""Linear heads on frozen features, fitted to convergence: L-BFGS multinomial logistic regression.

The feature extractor's head must not inherit the network's epoch budget: it is a convex problem
and is solved to convergence. :func:`fit_logistic_head` standardises the features (mean and
standard deviation of the training split), then minimises, for each inverse regularisation
strength ``C`` of a grid, scikit-learn's objective of ``LogisticRegression(C=C)`` with the
multinomial loss::

    C * sum_i CE(W x_i + b, y_i) + 0.5 * ||W||_F^2        (the intercept b is not penalised)

(divided by ``C * n`` for numerical scale) with full-batch L-BFGS and a strong-Wolfe line search,
on the device the features live on, warm-starting each ``C`` from the previous (strongest
regularisation first). The ``C`` with the best validation AUC (accuracy on ties) is kept; its
iteration count and whether the gradient tolerance was reached are returned.

The objective is scikit-learn's, so ``tests`` check the fitted probabilities against
``sklearn.linear_model.LogisticRegression(C=C, solver="lbfgs", tol=1e-8)`` on the same data.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from reproduce.engine.train import classification_metrics

__all__ = ["C_GRID", "LinearHeadFit", "fit_logistic_head", "logistic_objective"]

#: Inverse L2 strengths tried (scikit-learn's ``C``), strongest regularisation first.
C_GRID: tuple[float, ...] = (0.001, 0.01, 0.1, 1.0, 10.0)


@dataclass
class LinearHeadFit:
    """A fitted linear head on standardised features.

    Attributes
    ----------
    weight, bias
        Coefficients on the standardised features (``K x D`` and ``K``).
    mean, scale
        Standardisation (training split) applied before the head.
    C
        The selected inverse regularisation strength.
    n_iter
        L-BFGS iterations of the selected fit.
    converged
        Whether the selected fit stopped on the gradient tolerance (not on ``max_iter``).
    history
        One record per ``C``: ``C``, ``n_iter``, ``converged``, validation metrics.
    """

    weight: torch.Tensor
    bias: torch.Tensor
    mean: torch.Tensor
    scale: torch.Tensor
    C: float
    n_iter: int
    converged: bool
    history: list[dict[str, Any]] = field(default_factory=list)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """Logits of raw (unstandardised) features."""
        z = (x.to(self.mean.dtype) - self.mean) / self.scale
        return z @ self.weight.T + self.bias

    def predict_proba(self, x: torch.Tensor) -> np.ndarray:
        """Class probabilities (float64 numpy) of raw features."""
        with torch.no_grad():
            return torch.softmax(self.logits(x), dim=1).double().cpu().numpy()

    def as_module(self) -> torch.nn.Module:
        """The head as ``Linear`` on raw features (standardisation folded into it)."""
        w = self.weight / self.scale
        b = self.bias - (self.weight * (self.mean / self.scale)).sum(1)
        lin = torch.nn.Linear(w.shape[1], w.shape[0], device=w.device)
        with torch.no_grad():
            lin.weight.copy_(w.float())
            lin.bias.copy_(b.float())
        return lin


def logistic_objective(
    w: torch.Tensor, b: torch.Tensor, z: torch.Tensor, y: torch.Tensor, C: float
) -> torch.Tensor:
    """scikit-learn's multinomial objective divided by ``C * n`` (see the module docstring)."""
    n = z.shape[0]
    return F.cross_entropy(z @ w.T + b, y, reduction="mean") + 0.5 * (w * w).sum() / (C * n)


def _lbfgs(
    z: torch.Tensor,
    y: torch.Tensor,
    w: torch.Tensor,
    b: torch.Tensor,
    C: float,
    max_iter: int,
    tol: float,
) -> tuple[torch.Tensor, torch.Tensor, int, bool]:
    w = w.clone().requires_grad_(True)
    b = b.clone().requires_grad_(True)
    opt = torch.optim.LBFGS(
        [w, b],
        lr=1.0,
        max_iter=max_iter,
        tolerance_grad=tol,
        tolerance_change=1e-14,
        history_size=20,
        line_search_fn="strong_wolfe",
    )

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = logistic_objective(w, b, z, y, C)
        loss.backward()
        return loss

    opt.step(closure)
    state = opt.state[opt._params[0]]
    n_iter = int(state.get("n_iter", 0))
    gw, gb = torch.autograd.grad(logistic_objective(w, b, z, y, C), [w, b])
    gmax = max(float(gw.abs().max()), float(gb.abs().max()))
    # L-BFGS stops before max_iter only on a tolerance (gradient or change in loss/step).
    converged = n_iter < max_iter and math.isfinite(gmax)
    return w.detach(), b.detach(), n_iter, converged


def fit_logistic_head(
    train_x: torch.Tensor,
    train_y: torch.Tensor,
    val_x: torch.Tensor,
    val_y: torch.Tensor,
    n_classes: int,
    *,
    Cs: Sequence[float] = C_GRID,
    max_iter: int = 1000,
    tol: float = 1e-7,
    score: Callable[[np.ndarray, np.ndarray], dict[str, float]] | None = None,
) -> LinearHeadFit:
    """Fit the head for each ``C`` and keep the best on the validation split.

    Parameters
    ----------
    train_x, train_y, val_x, val_y
        Features (``N x D``, any float dtype, on any device) and int64 labels.
    n_classes
        Number of classes (columns of the probabilities).
    Cs
        Inverse L2 strengths, tried in the given order with warm starts.
    max_iter
        L-BFGS iterations per ``C``.
    tol
        Gradient tolerance (max-abs) of convergence.
    score
        ``score(labels, probs) -> {"auc_macro_ovr", "accuracy", ...}``; default
        :func:`reproduce.engine.train.classification_metrics`.

    Returns
    -------
    LinearHeadFit
    """
    if score is None:
        score = classification_metrics
    x = train_x.double()  # float64: the tolerance is reachable and matches scikit-learn
    mean = x.mean(0)
    scale = x.std(0, unbiased=False)
    scale = torch.where(scale > 1e-8, scale, torch.ones_like(scale))
    z = (x - mean) / scale
    zv = (val_x.double() - mean) / scale
    y = train_y.long()
    w = torch.zeros(n_classes, z.shape[1], device=z.device, dtype=z.dtype)
    b = torch.zeros(n_classes, device=z.device, dtype=z.dtype)
    best: LinearHeadFit | None = None
    best_key = (-math.inf, -math.inf)
    history = []
    yv = val_y.long().cpu().numpy()
    for C in Cs:
        w, b, n_iter, conv = _lbfgs(z, y, w, b, float(C), max_iter, tol)
        with torch.no_grad():
            pv = torch.softmax(zv @ w.T + b, 1).double().cpu().numpy()
        m = score(yv, pv)
        rec = {"C": float(C), "n_iter": n_iter, "converged": conv}
        rec.update({f"val_{k}": v for k, v in m.items()})
        history.append(rec)
        auc = m.get("auc_macro_ovr", math.nan)
        key = (auc if not math.isnan(auc) else -math.inf, m.get("accuracy", -math.inf))
        if key > best_key:
            best_key = key
            best = LinearHeadFit(w.clone(), b.clone(), mean, scale, float(C), n_iter, conv)
    assert best is not None
    best.history = history
    return best
