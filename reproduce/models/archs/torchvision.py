"""The torchvision architectures: AlexNet, VGG-16, ResNet-18/50, DenseNet-121, GoogLeNet,
Inception-v3 and MobileNet v2, each one decorated builder with its spec beside it.

A builder cuts torchvision's model into the blocks its :class:`ArchSpec` names. ImageNet weights
are torchvision's weights API files, read offline from the ``TORCH_HOME`` cache (torch.hub
checkpoints) or an explicit file, checked against torchvision's published sha256 prefix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
import torchvision.models as tvm
from torch import nn

from reproduce.models.backbone import (
    Backbone,
    gap,
    head_of,
    load_state,
    load_strict,
    seq,
    sha256_file,
)
from reproduce.models.registry import (
    IMAGENET_TERMS,
    ArchSpec,
    Preprocessing,
    SourceSpec,
    default_preprocessing,
    register_model,
    source_spec,
)
from review.errors import MissingPathError, ModelError

__all__ = ["TORCHVISION_WEIGHTS", "torchvision_checkpoint_path", "torchvision_model"]

_TV = "torchvision 0.29.1 model definition"
_TV_LICENSE = f"BSD-3-Clause (torchvision); {IMAGENET_TERMS}"

#: torchvision weights enum member per architecture (ImageNet-1k, V1 = the classic weights).
TORCHVISION_WEIGHTS: dict[str, str] = {}

#: Cuts a torchvision model into ``(blocks, pooling, source classifier)``.
Parts = Callable[[nn.Module], tuple[list[tuple[str, nn.Module]], nn.Module, nn.Linear]]


def torchvision_model(arch: str, *, for_weights: bool) -> nn.Module:
    """Build the torchvision model of ``arch`` (untrained).

    Parameters
    ----------
    arch : str
        A torchvision architecture of the registry (also ``squeezenet1_1``).
    for_weights : bool
        Build it as torchvision does before loading ImageNet weights (GoogLeNet and Inception-v3
        with their auxiliary classifiers, whose weights are in the files).
    """
    kwargs: dict[str, Any] = {"weights": None}
    if arch in ("googlenet", "inception_v3"):
        kwargs |= {"aux_logits": for_weights, "init_weights": True}
    return tvm.get_model(arch, **kwargs)


def torchvision_checkpoint_path(arch: str) -> Path:
    """Where torch.hub caches the ImageNet file of ``arch`` (``$TORCH_HOME/hub/checkpoints``)."""
    spec = source_spec(arch, "imagenet")
    return Path(torch.hub.get_dir()) / "checkpoints" / spec.file


def _torchvision_weights(arch: str, weights_path: Path | None) -> tuple[dict, Path]:
    spec = source_spec(arch, "imagenet")
    if weights_path is None:
        path = torchvision_checkpoint_path(arch)
        if not path.exists():
            raise MissingPathError(
                f"{arch}: ImageNet weights not found at {path} (TORCH_HOME cache); torchvision "
                f"weights {spec.weights_enum}, {spec.url}, sha256 prefix {spec.sha256}. With "
                f'internet run: python -c "import torchvision; torchvision.models.get_model('
                f"'{arch}', weights='{spec.weights_enum.split('.')[1]}')\", or pass "
                "weights_path"
            )
        digest = sha256_file(path)
        if not digest.startswith(spec.sha256):
            raise ModelError(
                f"{path}: sha256 {digest} does not start with torchvision's prefix "
                f"{spec.sha256} ({spec.weights_enum}); delete it and download again"
            )
    else:
        path = Path(weights_path)
        if not path.exists():
            raise MissingPathError(f"{arch}: weights_path {path} does not exist")
    return load_state(path), path


def _imagenet(spec: ArchSpec, enum: str, transform_input: bool = False) -> Callable[[], SourceSpec]:
    """The ImageNet source of a torchvision architecture (URL and top-1 from torchvision)."""

    def make() -> SourceSpec:
        cls_name, member = enum.split(".")
        weights = getattr(getattr(tvm, cls_name), member)
        url = weights.url
        top1 = weights.meta.get("_metrics", {}).get("ImageNet-1K", {}).get("acc@1")
        pre = default_preprocessing(spec)
        if transform_input:
            pre = Preprocessing(
                (0.5, 0.5, 0.5),
                (0.5, 0.5, 0.5),
                "RGB",
                1.0,
                spec.default_resolution,
                "torchvision sets transform_input=True for these weights (ported from "
                "TensorFlow): ImageNet-normalised input is mapped to (x - 0.5) / 0.5, applied "
                "here directly",
            )
        return SourceSpec(
            arch=spec.name,
            source="imagenet",
            provenance=f"torchvision weights API: {enum} ({url})",
            license=_TV_LICENSE,
            sha256=url.rsplit("-", 1)[-1].split(".")[0],
            preprocessing=pre,
            note=(
                "Not downloadable from this project's machines: read from the TORCH_HOME cache "
                "(torch.hub checkpoints) or an explicit weights_path. sha256 is torchvision's "
                "published prefix (the file-name suffix checked by torch.hub)."
            ),
            url=url,
            weights_enum=enum,
            file=url.rsplit("/", 1)[-1],
            imagenet_top1=top1,
        )

    return make


def _register(spec: ArchSpec, enum: str, transform_input: bool = False) -> Callable[[Parts], Any]:
    """Register a torchvision architecture whose parts are cut by the decorated function."""
    TORCHVISION_WEIGHTS[spec.name] = enum

    def deco(parts: Parts) -> Parts:
        def build(source: SourceSpec, weights_path: Path | None) -> Backbone:
            m = torchvision_model(spec.name, for_weights=source.source == "imagenet")
            if source.source == "imagenet":
                state, path = _torchvision_weights(spec.name, weights_path)
                load_strict(m, state, path)
            blocks, pool, linear = parts(m)
            head = head_of(linear) if source.source == "imagenet" else None
            return Backbone(spec, source, blocks, pool, head)

        build.__name__ = build.__qualname__ = parts.__name__
        build.__doc__ = parts.__doc__
        register_model(
            spec,
            imagenet=_imagenet(spec, enum, transform_input),
            available=lambda: torchvision_checkpoint_path(spec.name).exists(),
        )(build)
        return parts

    return deco


def _classic(m: nn.Module, cuts: list[tuple[int, int]]) -> tuple[list, nn.Module, nn.Linear]:
    f, c = m.features, m.classifier
    blocks = [(f"conv{i + 1}", seq(*f[a:b])) for i, (a, b) in enumerate(cuts)]
    blocks += [("fc6", seq(m.avgpool, nn.Flatten(1), c[0], c[1], c[2]))]
    blocks += [("fc7", seq(c[3], c[4], c[5]))]
    return blocks, nn.Identity(), c[6]


@_register(
    ArchSpec(
        "alexnet", "alexnet", "shallow", 4096,
        ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7"),
        224, 64, "alexnet", "AlexNet",
        f"{_TV}; fc7 (after ReLU), the classic off-the-shelf CNN feature",
    ),
    "AlexNet_Weights.IMAGENET1K_V1",
)  # fmt: skip
def alexnet(m: nn.Module) -> tuple[list, nn.Module, nn.Linear]:
    """AlexNet: five conv blocks (each with its pooling) and fc6, fc7."""
    return _classic(m, [(0, 3), (3, 6), (6, 8), (8, 10), (10, 13)])


@_register(
    ArchSpec(
        "vgg16", "vgg", "shallow", 4096,
        ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7"),
        224, 32, "vgg16", "VGG-16",
        f"{_TV}; fc7 (after ReLU)",
    ),
    "VGG16_Weights.IMAGENET1K_V1",
)  # fmt: skip
def vgg16(m: nn.Module) -> tuple[list, nn.Module, nn.Linear]:
    """VGG-16: five conv stages (each with its pooling) and fc6, fc7."""
    return _classic(m, [(0, 5), (5, 10), (10, 17), (17, 24), (24, 31)])


def _resnet(m: nn.Module) -> tuple[list, nn.Module, nn.Linear]:
    blocks = [("stem", seq(m.conv1, m.bn1, m.relu, m.maxpool))]
    blocks += [(f"layer{i}", getattr(m, f"layer{i}")) for i in range(1, 5)]
    return blocks, gap(), m.fc


@_register(
    ArchSpec(
        "resnet18", "resnet", "deep", 512, ("stem", "layer1", "layer2", "layer3", "layer4"),
        224, 32, "resnet18", "ResNet-18", f"{_TV}; global average pool of layer4",
    ),
    "ResNet18_Weights.IMAGENET1K_V1",
)  # fmt: skip
def resnet18(m: nn.Module) -> tuple[list, nn.Module, nn.Linear]:
    """ResNet-18: stem and the four residual stages."""
    return _resnet(m)


@_register(
    ArchSpec(
        "resnet50", "resnet", "deep", 2048, ("stem", "layer1", "layer2", "layer3", "layer4"),
        224, 32, "resnet50", "ResNet-50", f"{_TV}; global average pool of layer4",
    ),
    "ResNet50_Weights.IMAGENET1K_V1",
)  # fmt: skip
def resnet50(m: nn.Module) -> tuple[list, nn.Module, nn.Linear]:
    """ResNet-50: stem and the four residual stages."""
    return _resnet(m)


@_register(
    ArchSpec(
        "densenet121", "densenet", "deep", 1024,
        ("stem", "denseblock1", "denseblock2", "denseblock3", "denseblock4"),
        224, 32, "densenet121", "DenseNet-121",
        f"{_TV}; ReLU(norm5) globally average-pooled; transitions belong to the block "
        "before them",
    ),
    "DenseNet121_Weights.IMAGENET1K_V1",
)  # fmt: skip
def densenet121(m: nn.Module) -> tuple[list, nn.Module, nn.Linear]:
    """DenseNet-121: stem and four dense blocks (each with the transition after it)."""
    f = m.features
    blocks = [
        ("stem", seq(f.conv0, f.norm0, f.relu0, f.pool0)),
        ("denseblock1", seq(f.denseblock1, f.transition1)),
        ("denseblock2", seq(f.denseblock2, f.transition2)),
        ("denseblock3", seq(f.denseblock3, f.transition3)),
        ("denseblock4", seq(f.denseblock4, f.norm5, nn.ReLU())),
    ]
    return blocks, gap(), m.classifier


@_register(
    ArchSpec(
        "googlenet", "inception", "deep", 1024,
        ("stem", "inception3", "inception4", "inception5"),
        224, 32, "googlenet", "GoogLeNet (Inception-v1)",
        f"{_TV} without the auxiliary classifiers; global average pool of inception5b",
    ),
    "GoogLeNet_Weights.IMAGENET1K_V1",
    transform_input=True,
)  # fmt: skip
def googlenet(m: nn.Module) -> tuple[list, nn.Module, nn.Linear]:
    """GoogLeNet: stem and the inception 3, 4 and 5 stages (auxiliary classifiers dropped)."""
    blocks = [
        ("stem", seq(m.conv1, m.maxpool1, m.conv2, m.conv3, m.maxpool2)),
        ("inception3", seq(m.inception3a, m.inception3b, m.maxpool3)),
        (
            "inception4",
            seq(
                m.inception4a, m.inception4b, m.inception4c, m.inception4d, m.inception4e,
                m.maxpool4,
            ),
        ),
        ("inception5", seq(m.inception5a, m.inception5b)),
    ]  # fmt: skip
    return blocks, gap(), m.fc


@_register(
    ArchSpec(
        "inception_v3", "inception", "deep", 2048, ("stem", "mixed5", "mixed6", "mixed7"),
        299, 75, "inception_v3", "Inception-v3",
        f"{_TV} without the auxiliary classifier; global average pool of Mixed_7c",
    ),
    "Inception_V3_Weights.IMAGENET1K_V1",
    transform_input=True,
)  # fmt: skip
def inception_v3(m: nn.Module) -> tuple[list, nn.Module, nn.Linear]:
    """Inception-v3: stem and the Mixed 5, 6 and 7 stages (auxiliary classifier dropped)."""
    stem = seq(
        m.Conv2d_1a_3x3, m.Conv2d_2a_3x3, m.Conv2d_2b_3x3, m.maxpool1, m.Conv2d_3b_1x1,
        m.Conv2d_4a_3x3, m.maxpool2,
    )  # fmt: skip
    blocks = [
        ("stem", stem),
        ("mixed5", seq(m.Mixed_5b, m.Mixed_5c, m.Mixed_5d)),
        ("mixed6", seq(m.Mixed_6a, m.Mixed_6b, m.Mixed_6c, m.Mixed_6d, m.Mixed_6e)),
        ("mixed7", seq(m.Mixed_7a, m.Mixed_7b, m.Mixed_7c)),
    ]
    return blocks, gap(), m.fc


@_register(
    ArchSpec(
        "mobilenet_v2", "mobilenet", "deep", 1280,
        ("stem", "stage1", "stage2", "stage3", "stage4", "stage5", "stage6", "stage7", "head"),
        224, 32, "mobilenet_v2", "MobileNet v2",
        f"{_TV}; global average pool of the last 1x1 conv (features.18); stages group the "
        "inverted residual blocks by output width",
    ),
    "MobileNet_V2_Weights.IMAGENET1K_V1",
)  # fmt: skip
def mobilenet_v2(m: nn.Module) -> tuple[list, nn.Module, nn.Linear]:
    """MobileNet v2: stem, seven stages of inverted residuals grouped by width, head conv."""
    f = m.features
    cuts = [(1, 2), (2, 4), (4, 7), (7, 11), (11, 14), (14, 17), (17, 18)]
    blocks = [("stem", f[0])]
    blocks += [(f"stage{i + 1}", seq(*f[a:b])) for i, (a, b) in enumerate(cuts)]
    blocks.append(("head", f[18]))
    return blocks, gap(), m.classifier[1]
