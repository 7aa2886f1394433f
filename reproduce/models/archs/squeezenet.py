"""SqueezeNet 1.1: one decorated builder with its spec; ImageNet weights from the Keras HDF5 of
rcmalli/keras-squeezenet (the convolutional part), converted here to torchvision's layout."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from reproduce.models.archs.torchvision import torchvision_model
from reproduce.models.backbone import Backbone, gap, load_state, load_strict, seq, sha256_file
from reproduce.models.registry import (
    IMAGENET_TERMS,
    ArchSpec,
    Preprocessing,
    SourceSpec,
    get_arch,
    register_model,
)
from review.errors import MissingPathError, ModelError
from review.paths import weights_dir

__all__ = ["SQUEEZENET_H5", "SQUEEZENET_LAYERS", "squeezenet_h5_path", "squeezenet_state_from_h5"]

SQUEEZENET_H5 = "squeezenet_v1.1_tf_kernels_notop.h5"
SQUEEZENET_H5_SHA256 = "17154246284f555591549ac2c83e127abfbf4307dc4b0060fdaa2931d0fa38da"
SQUEEZENET_H5_URL = (
    "https://github.com/rcmalli/keras-squeezenet/releases/download/v1.0/"
    "squeezenet_weights_tf_dim_ordering_tf_kernels_notop.h5"
)

SQUEEZENET_IMAGENET = SourceSpec(
    arch="squeezenet1_1",
    source="imagenet",
    provenance=(
        "DeepScale's Caffe SqueezeNet v1.1 ImageNet model, converted to Keras by "
        "rcmalli/keras-squeezenet (convolutional part: conv1 + fire2..fire9, no "
        "classifier); HWIO kernels transposed to OIHW onto torchvision "
        "squeezenet1_1().features"
    ),
    license=f"BSD-2-Clause (DeepScale) / MIT (Keras port); {IMAGENET_TERMS}",
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


#: Keras layer group -> index in torchvision squeezenet1_1().features.
SQUEEZENET_LAYERS = {
    "conv1": 0,
    "fire2": 3,
    "fire3": 4,
    "fire4": 6,
    "fire5": 7,
    "fire6": 9,
    "fire7": 10,
    "fire8": 11,
    "fire9": 12,
}


def squeezenet_state_from_h5(path: Path) -> dict[str, torch.Tensor]:
    """Convert the Keras SqueezeNet 1.1 HDF5 into a state dict of ``squeezenet1_1().features``.

    Kernels are stored channels-last (H, W, in, out) and transposed to (out, in, H, W); biases
    are copied. Keras layer ``fireN/squeeze1x1`` maps to ``features.<i>.squeeze``, ``expand1x1``
    and ``expand3x3`` likewise (Keras concatenates [expand1x1, expand3x3] as torchvision does).

    Raises
    ------
    ModelError
        If a layer is missing or has no kernel/bias.
    """
    # h5py: only for the weight files in HDF5
    import h5py

    state: dict[str, torch.Tensor] = {}
    with h5py.File(path, "r") as f:
        for layer, idx in SQUEEZENET_LAYERS.items():
            convs = {"": layer} if layer == "conv1" else {
                "squeeze": f"{layer}/squeeze1x1",
                "expand1x1": f"{layer}/expand1x1",
                "expand3x3": f"{layer}/expand3x3",
            }  # fmt: skip
            for sub, group in convs.items():
                if group not in f:
                    raise ModelError(f"{path}: layer {group} missing")
                arrays = []
                f[group].visititems(
                    lambda _n, o, acc=arrays: (
                        acc.append(o[()]) if isinstance(o, h5py.Dataset) else None
                    )
                )
                kernels = [a for a in arrays if a.ndim == 4]
                biases = [a for a in arrays if a.ndim == 1]
                if len(kernels) != 1 or len(biases) != 1:
                    raise ModelError(f"{path}: layer {group} has no single kernel and bias")
                prefix = f"{idx}." + (f"{sub}." if sub else "")
                kernel = np.ascontiguousarray(kernels[0].transpose(3, 2, 0, 1))
                state[prefix + "weight"] = torch.from_numpy(kernel).float()
                state[prefix + "bias"] = torch.from_numpy(np.asarray(biases[0])).float()
    return state


def squeezenet_h5_path(weights_path: Path | None = None) -> Path:
    """The SqueezeNet HDF5: ``weights_path`` or ``TLREVIEW_WEIGHTS_DIR/<file>``.

    Raises
    ------
    review.errors.MissingPathError
        Naming the file, its sha256 and where to get it.
    """
    path = Path(weights_path) if weights_path is not None else weights_dir() / SQUEEZENET_H5
    if not path.exists():
        raise MissingPathError(
            f"squeezenet1_1: ImageNet weights {path} not found (sha256 {SQUEEZENET_H5_SHA256}); "
            f"download {SQUEEZENET_H5_URL} and save it as {SQUEEZENET_H5} in "
            "TLREVIEW_WEIGHTS_DIR, or pass weights_path"
        )
    return path


def _available() -> bool:
    try:
        return squeezenet_h5_path().exists()
    except MissingPathError:
        return False


@register_model(
    ArchSpec(
        "squeezenet1_1", "squeezenet", "shallow", 512,
        ("conv1", "fire2_3", "fire4_5", "fire6_7", "fire8_9"),
        227, 32, "squeezenet", "SqueezeNet 1.1",
        "torchvision 0.29.1 model definition (features only: the ImageNet file has no "
        "classifier); global average pool of fire9",
    ),
    imagenet=SQUEEZENET_IMAGENET,
    available=lambda: _available(),
)  # fmt: skip
def squeezenet1_1(source: SourceSpec, weights_path: Path | None) -> Backbone:
    """SqueezeNet 1.1 features: conv1 and the fire modules in pairs (no classifier)."""
    m = torchvision_model("squeezenet1_1", for_weights=False)
    f = m.features
    if source.source == "imagenet":
        path = squeezenet_h5_path(weights_path)
        if weights_path is None and sha256_file(path) != SQUEEZENET_H5_SHA256:
            raise ModelError(
                f"{path}: sha256 {sha256_file(path)}, expected {SQUEEZENET_H5_SHA256}; get it from "
                f"{SQUEEZENET_H5_URL}"
            )
        state = squeezenet_state_from_h5(path) if path.suffix in (".h5", ".hdf5") else None
        if state is None:
            state = load_state(path)
        load_strict(f, state, path)
    blocks = [
        ("conv1", seq(*f[0:3])),
        ("fire2_3", seq(*f[3:6])),
        ("fire4_5", seq(*f[6:9])),
        ("fire6_7", seq(*f[9:11])),
        ("fire8_9", seq(*f[11:13])),
    ]
    return Backbone(get_arch("squeezenet1_1"), source, blocks, gap(), None)
