"""Compute cost of a network: forward FLOPs per image, counted once per network shape.

The count depends only on the network a run builds (architecture, input size, number of
classes), not on its weights or on which layers train, so it is cached per
``(arch, resolution, approach, n_classes)``: a sweep counts each shape once instead of once per
run and seed.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

__all__ = ["count_flops", "flops_per_image"]

_CACHE: dict[tuple[str, int, str, int], float] = {}


def count_flops(model: nn.Module, resolution: int, device: str) -> float:
    """Forward FLOPs for one image (``torch.utils.flop_counter``), in eval mode."""
    was = model.training
    model.eval()
    x = torch.zeros(1, 3, resolution, resolution, device=device)
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(x)
    model.train(was)
    return float(counter.get_total_flops())


def flops_per_image(
    model: nn.Module, *, arch: str, resolution: int, approach: str, n_classes: int, device: str
) -> float:
    """:func:`count_flops`, counted once per ``(arch, resolution, approach, n_classes)``."""
    key = (arch, int(resolution), approach, int(n_classes))
    if key not in _CACHE:
        _CACHE[key] = count_flops(model, int(resolution), device)
    return _CACHE[key]
