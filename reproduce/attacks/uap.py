"""Universal adversarial perturbations (UAPs): one image-sized perturbation that fools a model.

A UAP (Moosavi-Dezfooli et al. 2017, CVPR) is a single perturbation ``v`` that changes the
prediction of a classifier on most inputs, ``f(clip(x + v)) != f(x)``, with ``||v||_p <= eps``.
Minagi, Hirano & Takemoto (2022, J. Imaging 8:38) generated UAPs for transfer-learned medical
classifiers from three sources: natural images (no access to the medical data), the medical
training images, and random noise of the same norm as a control.

The algorithm here
------------------
Moosavi-Dezfooli's algorithm, as Minagi et al. used it, visits the source images one by one and,
for each image the current ``v`` does not fool yet, adds the minimal DeepFool step that fools
it, then projects ``v`` back onto the norm ball. This module implements the documented, faster
*gradient* variant of the same iteration (the stochastic-gradient UAP of Shafahi et al. 2020,
AAAI, and Mummadi et al. 2019, ICCV):

1. ``v = 0``; the source images are visited in seeded random mini-batches, ``max_epochs``
   passes;
2. per batch, the images that ``v`` does **not** fool yet (non-targeted: the prediction still
   equals the model's clean prediction; targeted: not yet classified as the target) contribute
   their cross-entropy loss (non-targeted: away from the clean prediction, ascended; targeted:
   towards the target, descended) -- the same "only the unfooled images move ``v``" rule as the
   original algorithm;
3. ``v`` takes one step of size ``step_ratio * eps`` along the sign of the gradient (L-inf) or
   the L2-normalised gradient (L2), and is projected onto the ball ``||v||_p <= eps``.

Everything happens in the network's input space: RGB values in [0, 1] at the model's
resolution, the tensor a :class:`reproduce.models.Backbone` receives (grey-scale images are
expanded to 3 channels by the engine before that). The perturbed image is ``clip(x + v, 0, 1)``.

The budget
----------
``eps = eps_ratio * mean_i ||x_i||_p``: a ratio of the average Lp norm of the attacked images, as
in Minagi et al. (their ``zeta``, a few per cent). The same ``eps`` serves the three sources, so a
natural-image UAP, a training-image UAP and the random control of a run are the same size.

The random control
------------------
:func:`random_uap` draws noise of norm exactly ``eps``: L2, an isotropic Gaussian direction scaled
to ``eps``; L-inf, independent random signs times ``eps`` (every pixel at the bound: the corner of
the cube, the strongest noise the L-inf budget allows, so the control is conservative).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from reproduce.attacks.spec import NORMS, UAP_SOURCES, UAPConfig
from review.errors import AttackError

__all__ = [
    "NORMS",
    "UAP_SOURCES",
    "AttackError",
    "UAPConfig",
    "UAPResult",
    "apply_uap",
    "deepfool_steps",
    "generate_uap",
    "generate_uap_deepfool",
    "lp_norm",
    "mean_image_norm",
    "project",
    "random_uap",
]


#: A batch of images (N, 3, H, W) in [0, 1] -> logits (N, K).
Model = Callable[[torch.Tensor], torch.Tensor]
#: Turns a device batch of stored images into the network's float input (N, 3, R, R).
Prep = Callable[[torch.Tensor], torch.Tensor]


def lp_norm(x: torch.Tensor, norm: str) -> torch.Tensor:
    """Per-sample Lp norm of a batch (N, ...) over all but the first dimension.

    Parameters
    ----------
    x
        Batch of tensors.
    norm
        ``l2`` or ``linf``.

    Returns
    -------
    torch.Tensor
        Norms (N,), computed in float64.
    """
    flat = x.detach().reshape(x.shape[0], -1).double()
    if norm == "l2":
        return flat.norm(p=2, dim=1)
    if norm == "linf":
        return flat.abs().amax(dim=1)
    raise AttackError(f"norm={norm!r}: expected one of {', '.join(NORMS)}")


def project(v: torch.Tensor, norm: str, eps: float) -> torch.Tensor:
    """Project ``v`` onto the ball ``||v||_p <= eps`` (a perturbation, or a batch of them).

    L-inf clamps every element to ``[-eps, eps]``; L2 rescales when the norm exceeds ``eps`` (the
    factor is nudged down by one ulp so the float32 result never exceeds ``eps``).

    Parameters
    ----------
    v
        Perturbation (C, H, W) or batch (N, C, H, W).
    norm
        ``l2`` or ``linf``.
    eps
        Radius (> 0).

    Returns
    -------
    torch.Tensor
        The projection, same shape and dtype.
    """
    if norm == "linf":
        b = _floor_to(eps, v.dtype)
        return v.clamp(-b, b)
    if norm != "l2":
        raise AttackError(f"norm={norm!r}: expected one of {', '.join(NORMS)}")
    batch = v if v.ndim == 4 else v.unsqueeze(0)
    n = lp_norm(batch, "l2")
    scale = torch.clamp(eps / torch.clamp(n, min=1e-30), max=1.0)
    scale = torch.where(scale < 1.0, scale * (1 - 4 * torch.finfo(v.dtype).eps), scale)
    out = batch * scale.to(v.dtype).view(-1, *([1] * (batch.ndim - 1)))
    return out if v.ndim == 4 else out[0]


def _floor_to(eps: float, dtype: torch.dtype) -> float:
    """The largest value of ``dtype`` that is <= ``eps`` (so a bound never rounds up)."""
    t = torch.tensor(float(eps), dtype=dtype)
    if float(t) > float(eps):
        t = torch.nextafter(t, torch.zeros_like(t))
    return float(t)


def mean_image_norm(
    images: Any, norm: str, *, prep: Prep | None = None, batch_size: int = 512
) -> float:
    """Average Lp norm of images in the network's input space (the budget's reference).

    Parameters
    ----------
    images
        A float tensor (N, 3, H, W) in [0, 1], or stored images that ``prep`` converts.
    norm
        ``l2`` or ``linf``.
    prep
        Converts a slice of ``images`` into the network's input (default: identity).
    batch_size
        Images per slice.

    Returns
    -------
    float
        ``mean_i ||x_i||_p``.
    """
    total, n = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            xb = images[start : start + batch_size]
            xb = prep(xb) if prep is not None else xb
            total += float(lp_norm(xb, norm).sum())
            n += int(xb.shape[0])
    if n == 0:
        raise AttackError("mean_image_norm: no images")
    return total / n


def apply_uap(x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """The perturbed images ``clip(x + v, 0, 1)`` (``v`` broadcast over the batch)."""
    return (x + v).clamp(0.0, 1.0)


def random_uap(shape: tuple[int, ...], norm: str, eps: float, seed: int) -> torch.Tensor:
    """Random noise of norm exactly ``eps`` (the control of the same size as the UAPs).

    Parameters
    ----------
    shape
        Perturbation shape, e.g. ``(3, 32, 32)``.
    norm
        ``l2`` (Gaussian direction scaled to ``eps``) or ``linf`` (random signs times ``eps``).
    eps
        Norm of the noise.
    seed
        Seed of the noise (a private generator; the global torch RNG is untouched).

    Returns
    -------
    torch.Tensor
        float32 tensor of ``shape`` on the CPU with ``||v||_p == eps`` up to float32 rounding
        (relative error below 1e-6, never above ``eps``).
    """
    g = torch.Generator().manual_seed(int(seed) + 7919)
    if norm == "linf":
        signs = torch.randint(0, 2, shape, generator=g).float() * 2 - 1
        return signs * _floor_to(eps, torch.float32)
    if norm == "l2":
        d = torch.randn(shape, generator=g, dtype=torch.float64)
        v = (d * (float(eps) / d.norm())).float()
        return project(v, "l2", eps)  # float32 rounding must not push it over eps
    raise AttackError(f"norm={norm!r}: expected one of {', '.join(NORMS)}")


@dataclass
class UAPResult:
    """A generated perturbation and how it was reached.

    Attributes
    ----------
    perturbation
        float32 tensor (3, H, W) on the CPU, ``||v||_p <= eps``.
    eps
        The budget (absolute).
    norm
        ``l2`` or ``linf``.
    source_fooling_rate
        Fooling rate of the final ``v`` on the source images (non-targeted: share whose
        prediction changed; targeted: share classified as the target).
    epochs_run
        Passes made over the source images.
    history
        One record per pass: epoch, running fooling rate of the batches (before each step),
        and the norm of ``v`` after the pass.
    """

    perturbation: torch.Tensor
    eps: float
    norm: str
    source_fooling_rate: float
    epochs_run: int
    history: list[dict[str, float]] = field(default_factory=list)


def _predict(
    model: Model, images: Any, prep: Prep, v: torch.Tensor | None, bs: int
) -> torch.Tensor:
    out = []
    with torch.no_grad():
        for start in range(0, len(images), bs):
            x = prep(images[start : start + bs])
            if v is not None:
                x = apply_uap(x, v)
            out.append(model(x).float().argmax(1))
    return torch.cat(out) if out else torch.zeros(0, dtype=torch.long)


def generate_uap(
    model: nn.Module,
    images: Any,
    cfg: UAPConfig,
    *,
    eps: float,
    prep: Prep | None = None,
    device: str = "cpu",
    target_fooling: float | None = None,
    reference: torch.Tensor | None = None,
    final_check: bool = True,
) -> UAPResult:
    """Generate a UAP from ``images`` (the gradient variant of Moosavi-Dezfooli's iteration).

    Parameters
    ----------
    model
        Classifier of RGB [0, 1] images (N, 3, H, W) to logits; put in eval mode here, its
        parameters are not changed (gradients flow to the perturbation only).
    images
        The source images, indexable along the first axis (a device tensor of stored images
        that ``prep`` converts, or float (N, 3, H, W) in [0, 1] when ``prep`` is ``None``).
    cfg
        The attack (norm, step, passes, batch size, seed, targeted).
    eps
        The budget (absolute, in the input space; see :func:`mean_image_norm`).
    prep
        Converts a batch of ``images`` into the network's input (default: identity).
    device
        Device of ``model`` and ``images``.
    target_fooling
        Stop early once a whole pass fooled at least this share of the source batches
        (``None``: always make ``max_epochs`` passes).
    reference
        The model's clean predictions on ``images`` (non-targeted; computed here when
        ``None``), so callers making many UAPs from one source set predict it once.
    final_check
        Measure the final ``v`` on every source image (``source_fooling_rate``); ``False``
        skips that pass and reports NaN.

    Returns
    -------
    UAPResult
        The perturbation (on the CPU) and its fooling rate on the source images.

    Raises
    ------
    AttackError
        Invalid config, ``eps <= 0`` or no source images.
    """
    cfg = cfg.validated()
    alpha = cfg.step_ratio * eps

    def step(v: torch.Tensor, x: torch.Tensor, y: torch.Tensor | None) -> tuple[torch.Tensor, int]:
        vv = v.clone().requires_grad_(True)
        logits = model(apply_uap(x, vv)).float()
        pred = logits.argmax(1)
        if cfg.targeted:
            target = torch.full_like(pred, int(cfg.target_class))
            fooled = pred == target
            active = ~fooled
            if not active.any():
                return v, int(fooled.sum())
            # descend the cross-entropy towards the target
            loss = -F.cross_entropy(logits[active], target[active], reduction="sum")
        else:
            fooled = pred != y
            active = ~fooled
            if not active.any():
                return v, int(fooled.sum())
            # ascend the cross-entropy away from the clean prediction
            loss = F.cross_entropy(logits[active], y[active], reduction="sum")
        (grad,) = torch.autograd.grad(loss, vv)
        with torch.no_grad():
            if cfg.norm == "linf":
                direction = grad.sign()
            else:
                gn = grad.norm()
                direction = grad / gn if gn > 0 else torch.zeros_like(grad)
            v = project(v + alpha * direction, cfg.norm, eps)
        return v, int(fooled.sum())

    return _iterate_uap(model, images, cfg, step, eps=eps, prep=prep, device=device,
                        reference=reference, final_check=final_check,
                        target_fooling=target_fooling, who="generate_uap")  # fmt: skip


def _iterate_uap(
    model: nn.Module,
    images: Any,
    cfg: UAPConfig,
    step: Callable[[torch.Tensor, torch.Tensor, torch.Tensor | None], tuple[torch.Tensor, int]],
    *,
    eps: float,
    prep: Prep | None,
    device: str,
    reference: torch.Tensor | None,
    final_check: bool,
    target_fooling: float | None = None,
    who: str,
) -> UAPResult:
    """The UAP iteration shared by both inner steps: seeded passes over mini-batches of the
    source images, ``v, n_fooled = step(v, prepared batch, clean predictions or None)`` per
    batch, the running fooling rate per pass, the final check; the model is in eval mode and its
    parameters frozen while it runs, and restored after."""
    cfg = cfg.validated()
    if not (eps > 0 and math.isfinite(eps)):
        raise AttackError(f"eps={eps!r}: expected a positive budget")
    n = len(images)
    if n == 0:
        raise AttackError(f"{who}: no source images")
    prep = prep or (lambda t: t.float())
    was_training = model.training
    model.eval()
    requires = [p.requires_grad for p in model.parameters()]
    for p in model.parameters():
        p.requires_grad_(False)
    try:
        probe = prep(images[:1])
        v = torch.zeros(probe.shape[1:], device=device, dtype=torch.float32)
        bs = cfg.batch_size
        ref = None
        if not cfg.targeted:
            ref = (
                reference.to(device)
                if reference is not None
                else _predict(model, images, prep, None, 2 * bs).to(device)
            )
        rng = np.random.default_rng(cfg.seed)
        history: list[dict[str, float]] = []
        epochs_run = 0
        for epoch in range(1, cfg.max_epochs + 1):
            order = torch.as_tensor(rng.permutation(n), device=device)
            fooled_total = 0
            for start in range(0, n, bs):
                idx = order[start : start + bs]
                v, fooled = step(v, prep(images[idx]), None if ref is None else ref[idx])
                fooled_total += fooled
            epochs_run = epoch
            rate = fooled_total / n
            history.append(
                {
                    "epoch": epoch,
                    "running_fooling_rate": rate,
                    "norm": float(lp_norm(v[None], cfg.norm)[0]),
                }
            )
            if target_fooling is not None and rate >= target_fooling:
                break
        if not final_check:
            src_rate = math.nan
        else:
            adv = _predict(model, images, prep, v, 2 * bs)
            if cfg.targeted:
                src_rate = float((adv == int(cfg.target_class)).float().mean())
            else:
                src_rate = float((adv != ref).float().mean())
    finally:
        for p, r in zip(model.parameters(), requires, strict=True):
            p.requires_grad_(r)
        model.train(was_training)
    return UAPResult(v.detach().cpu(), float(eps), cfg.norm, src_rate, epochs_run, history)


# ============================================================================ DeepFool inner step
def deepfool_steps(
    model: nn.Module,
    z: torch.Tensor,
    norm: str,
    *,
    reference: torch.Tensor | None = None,
    target: int | None = None,
    max_iter: int = 10,
    overshoot: float = 0.02,
) -> torch.Tensor:
    """Minimal perturbations that change each image's class (DeepFool, batched).

    DeepFool (Moosavi-Dezfooli, Fawzi & Frossard 2016, CVPR) linearises the classifier around
    the current point and steps to the nearest linearised decision boundary, until the class
    changes. For each image and each class ``k`` other than the current one ``c``, with
    ``f'_k = f_k - f_c`` and ``w'_k = grad f'_k``: L2 picks ``k`` minimising
    ``|f'_k| / ||w'_k||_2`` and steps ``|f'_k| / ||w'_k||_2^2 * w'_k``; L-inf minimises
    ``|f'_k| / ||w'_k||_1`` and steps ``|f'_k| / ||w'_k||_1 * sign(w'_k)``. A targeted step uses
    ``k = target`` only. The total is scaled by ``1 + overshoot``, as in the paper.

    Parameters
    ----------
    model
        Classifier in eval mode (each image's logits depend on that image only).
    z
        Points (N, 3, H, W) in the network's input space.
    norm
        ``l2`` or ``linf``.
    reference
        Class to move away from (N,); default the model's prediction at ``z``.
    target
        Class to move into (targeted), or ``None``.
    max_iter
        Linearisation steps at most.
    overshoot
        Relative overshoot of the final perturbation.

    Returns
    -------
    torch.Tensor
        Perturbations (N, 3, H, W); zero for images already fooled (or already in the target).
    """
    if norm not in NORMS:
        raise AttackError(f"norm={norm!r}: expected one of {', '.join(NORMS)}")
    n = z.shape[0]
    r_tot = torch.zeros_like(z)
    with torch.no_grad():
        first = model(z).float()
    c0 = first.argmax(1) if reference is None else reference.to(z.device)
    k_classes = first.shape[1]
    for _ in range(max_iter):
        x = (z + (1 + overshoot) * r_tot).requires_grad_(True)
        logits = model(x).float()
        pred = logits.argmax(1)
        active = pred == c0 if target is None else pred != int(target)
        if not active.any():
            break
        grads = []
        for k in range(k_classes):
            (g,) = torch.autograd.grad(logits[:, k].sum(), x, retain_graph=k < k_classes - 1)
            grads.append(g)
        grad = torch.stack(grads, 1)  # (N, K, C, H, W)
        with torch.no_grad():
            cur = c0 if target is None else pred
            idx = torch.arange(n, device=z.device)
            f = logits - logits[idx, cur][:, None]  # (N, K)
            w = grad - grad[idx, cur][:, None]
            flat = w.reshape(n, k_classes, -1)
            dual = flat.norm(p=2, dim=2) if norm == "l2" else flat.abs().sum(2)
            dist = f.abs() / (dual + 1e-12)
            if target is None:
                dist[idx, cur] = float("inf")
                best = dist.argmin(1)
            else:
                best = torch.full_like(cur, int(target))
            wb = w[idx, best]
            db = dist[idx, best]
            if norm == "l2":
                unit = wb / (wb.reshape(n, -1).norm(dim=1)[:, None, None, None] + 1e-12)
                step = (db + 1e-4)[:, None, None, None] * unit
            else:
                step = (db + 1e-4)[:, None, None, None] * wb.sign()
            r_tot = r_tot + step * active[:, None, None, None].float()
    return ((1 + overshoot) * r_tot).detach()


def generate_uap_deepfool(
    model: nn.Module,
    images: Any,
    cfg: UAPConfig,
    *,
    eps: float,
    prep: Prep | None = None,
    device: str = "cpu",
    reference: torch.Tensor | None = None,
    final_check: bool = True,
    max_iter: int = 10,
    overshoot: float = 0.02,
) -> UAPResult:
    """Moosavi-Dezfooli et al.'s UAP iteration with its DeepFool inner step (mini-batched).

    The original algorithm visits the source images one at a time: for an image that ``v`` does
    not fool yet, it adds the DeepFool perturbation of ``clip(x + v)`` to ``v`` and projects
    ``v`` onto the ball. Here the images of a mini-batch of ``cfg.batch_size`` get their DeepFool
    perturbations at the same ``v`` (one batched computation), which are then added and projected
    one after another, in the batch's order; ``cfg.batch_size = 1`` is the original algorithm.
    ``cfg.step_ratio`` is not used (DeepFool chooses the step).

    Parameters and result as :func:`generate_uap` (``max_iter`` and ``overshoot`` are
    DeepFool's).
    """
    cfg = cfg.validated()

    def step(v: torch.Tensor, x: torch.Tensor, y: torch.Tensor | None) -> tuple[torch.Tensor, int]:
        z = apply_uap(x, v)
        with torch.no_grad():
            pred = model(z).float().argmax(1)
        active = pred != int(cfg.target_class) if cfg.targeted else pred == y
        fooled = int((~active).sum())
        if not active.any():
            return v, fooled
        r = deepfool_steps(
            model,
            z[active],
            cfg.norm,
            reference=None if cfg.targeted else y[active],
            target=cfg.target_class if cfg.targeted else None,
            max_iter=max_iter,
            overshoot=overshoot,
        )
        with torch.no_grad():
            for ri in r:
                v = project(v + ri, cfg.norm, eps)
        return v, fooled

    return _iterate_uap(model, images, cfg, step, eps=eps, prep=prep, device=device,
                        reference=reference, final_check=final_check,
                        who="generate_uap_deepfool")  # fmt: skip
