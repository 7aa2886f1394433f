"""Compute cost of a network: forward FLOPs per image."""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode


def count_flops(model: nn.Module, resolution: int, device: str) -> float:
    """Forward FLOPs for one image (``torch.utils.flop_counter``), in eval mode."""

    was = model.training
    model.eval()
    x = torch.zeros(1, 3, resolution, resolution, device=device)
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(x)
    model.train(was)
    return float(counter.get_total_flops())
