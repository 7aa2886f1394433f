"""Compute cost of a network: forward FLOPs per image, counted once per network shape.

The count depends only on the network a run builds (its layers and input size), not on its
weights or on which layers train, so it is cached per (model class, resolution, parameter names
and shapes): a sweep counts each network once instead of once per run and seed.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.flop_counter import FlopCounterMode

__all__ = ["count_flops", "flops_per_image"]

#: FLOPs counted in this process, by (model class, resolution, parameter names and shapes).
_FLOPS: dict[tuple, float] = {}


def count_flops(model: nn.Module, resolution: int, device: str) -> float:
    """Forward FLOPs for one image (``torch.utils.flop_counter``), in eval mode.

    Cached per (architecture as its parameter names and shapes, resolution): a long-lived
    worker counts each once.

    The forward pass runs with autograd on and scaled-dot-product attention on its ``math``
    backend, so that every matrix product is a counted ATen op on every device: under
    ``no_grad`` ``nn.TransformerEncoderLayer`` takes a fused fast path the counter does not see,
    and the CPU's fused attention kernel is not in its registry. Convolutional networks count
    the same either way.
    """
    key = (
        type(model).__name__,
        int(resolution),
        tuple((n, tuple(p.shape)) for n, p in model.named_parameters()),
    )
    if key in _FLOPS:
        return _FLOPS[key]

    was = model.training
    model.eval()
    x = torch.zeros(1, 3, resolution, resolution, device=device)
    with (
        torch.enable_grad(),
        sdpa_kernel(SDPBackend.MATH),
        FlopCounterMode(display=False) as counter,
    ):
        model(x)
    model.train(was)
    _FLOPS[key] = float(counter.get_total_flops())
    return _FLOPS[key]


def flops_per_image(
    model: nn.Module, *, arch: str, resolution: int, approach: str, n_classes: int, device: str
) -> float:
    """:func:`count_flops` of a run's network (the keyword arguments name it in messages and
    keep call sites explicit; the cache is :func:`count_flops`' own, by network shape, so two
    networks that differ anywhere, e.g. a fusion's second backbone, are counted apart)."""
    del arch, approach, n_classes  # the parameter shapes already identify the network
    return count_flops(model, int(resolution), device)
