"""Compute cost of a network: forward FLOPs per image."""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

#: FLOPs already counted in this process, by the model's parameter shapes and the resolution
#: (counting runs a forward pass under the FLOP counter: seconds on a cold GPU, once per shape).
_FLOPS: dict[tuple, float] = {}


def count_flops(model: nn.Module, resolution: int, device: str) -> float:
    """Forward FLOPs for one image (``torch.utils.flop_counter``), in eval mode.

    Cached per (architecture as its parameter names and shapes, resolution): a long-lived
    worker counts each once.
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
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(x)
    model.train(was)
    _FLOPS[key] = float(counter.get_total_flops())
    return _FLOPS[key]
