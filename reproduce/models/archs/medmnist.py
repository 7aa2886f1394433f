"""MedMNIST v2's ResNet-18 for 28-px inputs (Yang et al. 2023, Sci Data 10:41, Table 3).

The benchmark's "ResNet-18 (28)" is the ResNet-18 of He et al. with the stem of the CIFAR
variant: one 3x3 convolution with stride 1 and no max-pool, so a 28-px image keeps a 28x28
map through layer1 and ends in a 4x4 map at layer4 (torchvision's 7x7 stride-2 stem and
max-pool would leave a 1x1 map). The four residual stages are torchvision's BasicBlock stages
unchanged. Built here from torchvision's ``resnet18`` (no weights) by swapping the stem; there
are no ImageNet weights for this variant (``random`` and ``cifar10`` sources only).

Differences from the benchmark's code that do not change the network: input is RGB (grey
images are replicated to three channels by the engine; the benchmark uses one input channel for
grey sets) and the pooling is adaptive average pooling (the benchmark averages the 4x4 map).
"""

from __future__ import annotations

from pathlib import Path

import torchvision.models as tvm
from torch import nn

from reproduce.models.backbone import Backbone, gap, seq
from reproduce.models.registry import ArchSpec, SourceSpec, register_model

__all__ = ["resnet18_medmnist"]

SPEC = ArchSpec(
    "resnet18_medmnist", "resnet", "deep", 512, ("stem", "layer1", "layer2", "layer3", "layer4"),
    28, 8, "resnet18", "ResNet-18 (MedMNIST v2, 28 px)",
    "torchvision 0.29.1 ResNet-18 with MedMNIST v2's 28-px stem (3x3 conv, stride 1, no "
    "max-pool); global average pool of layer4",
)  # fmt: skip


@register_model(SPEC)
def resnet18_medmnist(source: SourceSpec, weights_path: Path | None) -> Backbone:
    """ResNet-18 with a 3x3 stride-1 stem and no max-pool (random initialisation)."""
    m = tvm.resnet18(weights=None)
    m.conv1 = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
    nn.init.kaiming_normal_(m.conv1.weight, mode="fan_out", nonlinearity="relu")
    blocks = [("stem", seq(m.conv1, m.bn1, m.relu))]
    blocks += [(f"layer{i}", getattr(m, f"layer{i}")) for i in range(1, 5)]
    return Backbone(SPEC, source, blocks, gap(), None)
