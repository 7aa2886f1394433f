"""Tests of reproduce.datasets: registry, checksums, shapes, splits, duplicates, caching.

Most tests use SYNTHETIC data (random uint8 images written to ``tmp_path``); tests marked
``data`` read the real files under ``TLREVIEW_DATA_DIR`` and are skipped when it is unset.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
from PIL import Image

from reproduce.datasets import load as load_mod
from reproduce.datasets.arrays import ImageArrays
from reproduce.datasets.describe import datasets_csv, describe_datasets, registry_frame
from reproduce.datasets.load import (
    REASON_CONFLICT,
    REASON_CROSS,
    REASON_NEAR_CROSS,
    REASON_WITHIN,
    find_duplicates,
    load_splits,
    stratified_group_split,
)
from reproduce.datasets.registry import REGISTRY, FileSpec, get_spec
from review.errors import DatasetError, MissingPathError

DATA_DIR = os.environ.get("TLREVIEW_DATA_DIR")
needs_data = pytest.mark.skipif(
    not DATA_DIR or not Path(DATA_DIR).is_dir(),
    reason="TLREVIEW_DATA_DIR is not set (real data, e.g. ../shared/data, not available)",
)


@pytest.fixture(autouse=True)
def _tmp_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test writes its caches and splits under its own tmp folder."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(cache))
    return cache


# ------------------------------------------------------------------------ synthetic helpers


def synthetic_npz(
    path: Path,
    counts: dict[str, int],
    *,
    side: int = 28,
    n_classes: int = 2,
    labels_2d: bool = False,
    seed: int = 0,
) -> Path:
    """Write a SYNTHETIC MedMNIST-style npz (random pixels, balanced labels)."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for split, n in counts.items():
        arrays[f"{split}_images"] = rng.integers(0, 256, (n, side, side), dtype=np.uint8)
        y = (np.arange(n) % n_classes).astype(np.uint8)
        arrays[f"{split}_labels"] = y[:, None] if labels_2d else y
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)
    return path


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def register_synthetic(
    monkeypatch: pytest.MonkeyPatch, path: Path, counts: dict[str, int], name: str = "synth"
) -> None:
    """Register a SYNTHETIC npz data set modelled on breastmnist, checksum = the file's."""
    spec = dataclasses.replace(
        REGISTRY["breastmnist"],
        name=name,
        files=(FileSpec(relpath=path.name, sha256=sha256_of(path)),),
        expected_counts=counts,
        local_counts={},
    )
    monkeypatch.setitem(REGISTRY, name, spec)


def synthetic_png(path: Path, pixels: np.ndarray) -> None:
    """Write one SYNTHETIC image."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path)


# ------------------------------------------------------------------------------ registry


def test_registry_names_and_interface_fields() -> None:
    assert set(REGISTRY) == {
        "pneumoniamnist",
        "breastmnist",
        "retinamnist",
        "busi",
        "brain_mri",
        "cifar10",
    }
    for spec in REGISTRY.values():
        assert spec.task in ("binary", "multiclass")
        assert spec.channels in (1, 3)
        assert (spec.task == "binary") == (spec.n_classes == 2)
        assert spec.files and all(len(f.sha256) == 64 for f in spec.files), spec.name
        assert spec.citation and spec.license and spec.source_url
        assert spec.expected_counts


def test_medmnist_official_md5_and_urls_match_medmnist_package() -> None:
    # Values of medmnist 3.0.2, medmnist/info.py INFO[...]["MD5"] and ["url"].
    official = {
        "pneumoniamnist": "28209eda62fecd6e6a2d98b1501bb15f",
        "retinamnist": "bd4c0672f1bba3e3a89f0e4e876791e4",
        "breastmnist": "750601b1f35ba3300ea97c75c52ff8f6",
    }
    for name, md5 in official.items():
        spec = REGISTRY[name]
        assert spec.files[0].official_md5 == md5
        assert spec.source_url == f"https://zenodo.org/records/10519652/files/{name}.npz?download=1"
    # the copies that differ say why
    assert "rebuilt" in REGISTRY["pneumoniamnist"].files[0].note
    assert "(N,)" in REGISTRY["breastmnist"].files[0].note


def test_datasets_csv_in_sync_with_registry() -> None:
    committed = pl.read_csv(datasets_csv(), schema=registry_frame().schema)
    assert committed.equals(registry_frame()), (
        "data/datasets.csv is stale: regenerate with "
        "python -c 'from reproduce.datasets.describe import write_datasets_csv; "
        "write_datasets_csv()'"
    )


def test_describe_datasets_without_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TLREVIEW_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # no fetched files either
    frame = describe_datasets()
    assert frame.height == len(REGISTRY)
    # only the copy shipped in data/embedded/ is found
    assert frame.filter(pl.col("present"))["name"].to_list() == ["breastmnist"]
    assert frame.filter(pl.col("present"))["location"].to_list() == ["embedded"]
    assert {"name", "classes", "sha256", "official_md5", "license", "n_train"} <= set(frame.columns)


def test_unknown_name() -> None:
    with pytest.raises(DatasetError, match="registered: .*breastmnist"):
        get_spec("nosuchmnist")


# -------------------------------------------------------------------- checksums and shapes


def test_checksum_mismatch_names_file_expected_and_official(tmp_path: Path) -> None:
    path = synthetic_npz(
        tmp_path / "data/medmnist/breastmnist.npz", {"train": 4, "val": 2, "test": 2}
    )
    with pytest.raises(DatasetError) as err:
        load_splits("breastmnist", data_dir=tmp_path / "data")
    msg = str(err.value)
    assert str(path) in msg
    assert "750601b1f35ba3300ea97c75c52ff8f6" in msg  # official MD5
    assert REGISTRY["breastmnist"].files[0].sha256 in msg
    assert sha256_of(path) in msg  # actual
    assert "zenodo.org" in msg


def test_missing_file_and_missing_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(MissingPathError) as err:
        load_splits("retinamnist", data_dir=tmp_path)
    msg = str(err.value)
    assert "retinamnist.npz" in msg and "bd4c0672f1bba3e3a89f0e4e876791e4" in msg
    assert "zenodo.org" in msg
    monkeypatch.delenv("TLREVIEW_DATA_DIR", raising=False)
    with pytest.raises(MissingPathError, match="TLREVIEW_DATA_DIR is not set"):
        load_splits("retinamnist")


@pytest.mark.parametrize("labels_2d", [False, True])
def test_labels_n_and_n1_give_the_same_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, labels_2d: bool
) -> None:
    counts = {"train": 10, "val": 4, "test": 6}
    path = synthetic_npz(tmp_path / "synth.npz", counts, labels_2d=labels_2d)
    register_synthetic(monkeypatch, path, counts)
    data = load_splits("synth", data_dir=tmp_path)
    assert (len(data.train), len(data.val), len(data.test)) == (10, 4, 6)
    assert data.train.labels.dtype == np.int64 and data.train.labels.shape == (10,)
    np.testing.assert_array_equal(data.train.labels, np.arange(10) % 2)
    assert data.train.images.shape == (10, 28, 28, 1)
    assert data.train.ids[3] == "npz:train:3"


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (
            lambda a: a.update(train_images=a["train_images"][:, :27, :27]),
            r"expected uint8 \(N, 28, 28\)",
        ),
        (
            lambda a: a.update(train_labels=np.zeros((10, 2), np.uint8)),
            r"expected \(N,\) or \(N, 1\)",
        ),
        (
            lambda a: a.update(val_labels=np.full(4, 7, np.uint8)),
            r"labels in \[7, 7\]; expected 0..1",
        ),
        (lambda a: a.pop("test_labels"), "missing key test_labels"),
        (
            lambda a: a.update(train_labels=a["train_labels"][:9]),
            "10 images but train_labels has 9",
        ),
    ],
    ids=["image-shape", "label-shape", "label-range", "missing-key", "length"],
)
def test_shape_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mutate, match: str) -> None:
    counts = {"train": 10, "val": 4, "test": 6}
    src = synthetic_npz(tmp_path / "good.npz", counts)
    with np.load(src) as z:
        arrays = {k: z[k] for k in z.files}
    mutate(arrays)
    bad = tmp_path / "bad.npz"
    np.savez(bad, **arrays)
    register_synthetic(monkeypatch, bad, counts)
    with pytest.raises(DatasetError, match=match):
        load_splits("synth", data_dir=tmp_path)


def test_count_mismatch_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = synthetic_npz(tmp_path / "synth.npz", {"train": 10, "val": 4, "test": 6})
    register_synthetic(monkeypatch, path, {"train": 11, "val": 4, "test": 6})
    with pytest.raises(DatasetError, match="has 10 images; expected 11"):
        load_splits("synth", data_dir=tmp_path)


# ------------------------------------------------------------- duplicates (synthetic folder)


def planted_folder(root: Path) -> dict[str, np.ndarray]:
    """SYNTHETIC split folder with planted exact duplicates.

    train/a: a0, a1, a1-copy (within-split duplicate), a2
    train/b: b0, b1, b2
    test/a:  copy of train a0 (cross-split duplicate), t0
    test/b:  copy of train a2 labelled b (cross-split duplicate with another label), t1
    """
    rng = np.random.default_rng(1)
    img = {
        k: rng.integers(0, 256, (12, 12), dtype=np.uint8)
        for k in ("a0", "a1", "a2", "b0", "b1", "b2", "t0", "t1")
    }
    files = {
        "train/a/a0.png": img["a0"],
        "train/a/a1.png": img["a1"],
        "train/a/a1_copy.png": img["a1"],
        "train/a/a2.png": img["a2"],
        "train/b/b0.png": img["b0"],
        "train/b/b1.png": img["b1"],
        "train/b/b2.png": img["b2"],
        "test/a/dup_of_a0.png": img["a0"],
        "test/a/t0.png": img["t0"],
        "test/b/dup_of_a2.png": img["a2"],
        "test/b/t1.png": img["t1"],
    }
    for rel, px in files.items():
        synthetic_png(root / rel, px)
    return img


def _row(report: pd.DataFrame, split: str, cls: str, reason: str) -> tuple[int, int]:
    frame = pl.from_pandas(report)
    sel = frame.filter(
        (pl.col("split") == split)
        & (pl.col("class") == cls)
        & (pl.col("reason").str.starts_with(reason))
    )
    assert sel.height == 1, frame
    return sel["n_found"][0], sel["n_removed"][0]


def test_duplicates_across_and_within_splits(tmp_path: Path) -> None:
    root = tmp_path / "planted"
    planted_folder(root)
    data = load_splits(f"folder:{root}", seed=0)
    assert data.classes == ("a", "b")
    assert data.native_resolution == 12 and data.channels == 1
    # cross-split duplicates removed from test, reported per class
    assert sorted(data.test.ids.tolist()) == ["test/a/t0.png", "test/b/t1.png"]
    assert _row(data.dedup, "test", "a", REASON_CROSS) == (1, 1)
    assert _row(data.dedup, "test", "b", REASON_CROSS) == (1, 1)
    # within-split duplicate kept but counted
    assert "train/a/a1_copy.png" in data.train.ids.tolist() + data.val.ids.tolist()
    within = pl.from_pandas(data.dedup).filter(pl.col("reason") == REASON_WITHIN)
    assert within["n_found"].sum() == 1 and within["n_removed"].sum() == 0
    # same pixels with another label: the train copy (a) and the test copy (b)
    conflict = pl.from_pandas(data.dedup).filter(pl.col("reason") == REASON_CONFLICT)
    assert conflict["n_found"].sum() == 2
    # nothing silent: every image is either kept or counted as removed
    kept = len(data.train) + len(data.val) + len(data.test)
    assert kept + data.dedup["n_removed"].sum() == 11


def test_dedup_false_keeps_but_reports(tmp_path: Path) -> None:
    root = tmp_path / "planted"
    planted_folder(root)
    data = load_splits(f"folder:{root}", dedup=False)
    assert len(data.test) == 4
    assert _row(data.dedup, "test", "a", REASON_CROSS) == (1, 0)


def test_find_duplicates_drops_later_split_copies_and_counts_within_split_ones() -> None:
    # SYNTHETIC: hashes x (train, val, test); x in all three, y twice in val
    assigned = np.array(["train", "val", "test", "val", "val"])
    labels = np.array([0, 0, 0, 1, 1])
    hashes = np.array(["x", "x", "x", "y", "y"])
    keep, report = find_duplicates(assigned, labels, hashes, ("c0", "c1"))
    np.testing.assert_array_equal(keep, [True, False, False, True, True])
    assert _row(report, "val", "c0", REASON_CROSS) == (1, 1)
    assert _row(report, "test", "c0", REASON_CROSS) == (1, 1)
    assert _row(report, "val", "c1", REASON_WITHIN) == (1, 0)


# ---------------------------------------------------------------------- splits and caching


def flat_folder(root: Path, per_class: tuple[int, ...] = (30, 20, 10), side: int = 8) -> None:
    """SYNTHETIC folder of class sub-folders (distinct random images), no split folders."""
    rng = np.random.default_rng(2)
    for k, n in enumerate(per_class):
        for i in range(n):
            synthetic_png(
                root / f"class{k}" / f"{i:03d}.png",
                rng.integers(0, 256, (side, side, 3), dtype=np.uint8),
            )


def test_stratified_split_written_and_reused(tmp_path: Path, _tmp_cache: Path) -> None:
    root = tmp_path / "flat"
    flat_folder(root)
    data = load_splits(f"folder:{root}", seed=3)
    counts = (
        pl.from_pandas(data.counts()).pivot(on="split", index="class", values="n").sort("class")
    )
    assert counts["train"].to_list() == [21, 14, 7]
    assert counts["val"].to_list() == [3, 2, 1]
    assert counts["test"].to_list() == [6, 4, 2]
    assert data.channels == 3 and data.train.images.shape[1:] == (8, 8, 3)
    assert data.split_file is not None and data.split_file.exists()
    assert data.split_file.parent == _tmp_cache / "splits"
    written = pl.read_csv(data.split_file)
    assert written.columns == ["id", "split"] and written.height == 60
    again = load_splits(f"folder:{root}", seed=3)
    np.testing.assert_array_equal(again.test.ids, data.test.ids)
    other = load_splits(f"folder:{root}", seed=4)
    assert set(other.test.ids) != set(data.test.ids)
    # an edited split file is honoured (the file is the source of truth once written)
    edited = written.with_columns(
        pl.when(pl.col("id") == data.test.ids[0])
        .then(pl.lit("train"))
        .otherwise(pl.col("split"))
        .alias("split")
    )
    edited.write_csv(data.split_file)
    assert data.test.ids[0] in load_splits(f"folder:{root}", seed=3).train.ids


def test_stale_split_file_is_an_error(tmp_path: Path) -> None:
    root = tmp_path / "flat"
    flat_folder(root)
    data = load_splits(f"folder:{root}", seed=0)
    synthetic_png(root / "class0" / "new.png", np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(DatasetError, match="does not match the data: 1 image id"):
        load_splits(f"folder:{root}", seed=0)
    assert data.split_file is not None


def test_group_split_keeps_duplicates_together() -> None:
    labels = np.repeat([0, 1], 50)
    groups = np.array([f"g{i // 2}" for i in range(100)])  # pairs of identical images
    for seed in range(5):
        split = stratified_group_split(
            labels, groups, {"train": 0.7, "val": 0.1, "test": 0.2}, seed
        )
        for g in np.unique(groups):
            assert len(set(split[groups == g])) == 1


def test_cache_reused_and_rebuilt_on_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "flat"
    flat_folder(root, per_class=(5, 5), side=6)
    first = load_splits(f"folder:{root}")
    calls = []
    real = load_mod._read_pool
    monkeypatch.setattr(load_mod, "_read_pool", lambda *a: calls.append(1) or real(*a))
    load_splits(f"folder:{root}")
    assert calls == []  # served from the cache
    synthetic_png(root / "class0" / "000.png", np.full((6, 6, 3), 7, np.uint8))  # data change
    second = load_splits(f"folder:{root}")
    assert calls == [1] and second.checksum != first.checksum


def test_resolution_resized_and_cached(tmp_path: Path, _tmp_cache: Path) -> None:
    root = tmp_path / "flat"
    flat_folder(root, per_class=(5, 5), side=6)
    data = load_splits(f"folder:{root}", resolution=16)
    assert data.resolution == 16 and data.native_resolution == 6
    assert data.train.images.shape[1:] == (16, 16, 3)
    assert list((_tmp_cache / "datasets").glob("*/16.npz"))


def test_user_folder_layout_errors(tmp_path: Path) -> None:
    (tmp_path / "one" / "only").mkdir(parents=True)
    with pytest.raises(DatasetError, match="at least 2"):
        load_splits(f"folder:{tmp_path / 'one'}")
    with pytest.raises(MissingPathError):
        load_splits(f"folder:{tmp_path / 'absent'}")


def test_zip_reader_synthetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A SYNTHETIC CIFAR-style zip is read without extraction; val carved from train."""
    rng = np.random.default_rng(5)
    zpath = tmp_path / "cifar10" / "cifar10-jpeg.zip"
    zpath.parent.mkdir()
    classes = REGISTRY["cifar10"].classes
    with zipfile.ZipFile(zpath, "w") as zf:
        for split, n in (("train", 10), ("test", 2)):
            for c in classes:
                for i in range(n):
                    buf = Path(tmp_path / "x.png")
                    Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(buf)
                    zf.write(buf, f"{split}/{c}/{i:04d}.png")
    spec = dataclasses.replace(
        REGISTRY["cifar10"],
        files=(FileSpec("cifar10/cifar10-jpeg.zip", sha256_of(zpath)),),
        local_counts={"train": (10,) * 10, "test": (2,) * 10},
    )
    monkeypatch.setitem(REGISTRY, "cifar10", spec)
    data = load_splits("cifar10", data_dir=tmp_path)
    assert (len(data.train), len(data.val), len(data.test)) == (90, 10, 20)
    assert data.train.images.shape[1:] == (32, 32, 3)
    assert not (tmp_path / "cifar10" / "train").exists()


# ---------------------------------------------------------------------------- ImageArrays


def test_image_arrays_subset_fraction_and_validation() -> None:
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(3, dtype=np.int64), [40, 20, 10])
    arr = ImageArrays(
        rng.integers(0, 256, (70, 4, 4, 1), dtype=np.uint8),
        labels,
        np.array([f"i{k}" for k in range(70)]),
    )
    half = arr.fraction(0.5, seed=1)
    assert half.class_counts(3) == [20, 10, 5]
    np.testing.assert_array_equal(half.ids, arr.fraction(0.5, seed=1).ids)
    assert not np.array_equal(half.ids, arr.fraction(0.5, seed=2).ids)
    assert arr.fraction(0.01, seed=0).class_counts(3) == [1, 1, 1]
    sub = arr.subset([5, 1])
    assert sub.ids.tolist() == ["i5", "i1"] and len(sub) == 2
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        arr.fraction(0, seed=0)
    with pytest.raises(ValueError, match="uint8"):
        ImageArrays(np.zeros((2, 4, 4, 1), np.float32), labels[:2], np.array(["a", "b"]))
    with pytest.raises(ValueError, match="lengths differ"):
        ImageArrays(np.zeros((2, 4, 4, 1), np.uint8), labels[:3], np.array(["a", "b"]))


# ------------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def real_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("real-cache")


@needs_data
@pytest.mark.data
def test_real_breastmnist(real_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(real_cache))
    data = load_splits("breastmnist")
    assert data.train.images.shape == (546, 28, 28, 1)
    assert len(data.val) == 78
    # one test image (normal/benign) has exactly the pixels of a training image labelled
    # malignant: removed from test and reported, never silent
    assert len(data.test) == 155
    assert _row(data.dedup, "test", "normal, benign", REASON_CROSS) == (1, 1)
    assert data.checksum == REGISTRY["breastmnist"].files[0].sha256


@needs_data
@pytest.mark.data
@pytest.mark.parametrize("name", ["pneumoniamnist", "retinamnist"])
def test_real_medmnist_checksums_and_counts(
    name: str, real_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(real_cache))
    data = load_splits(name, dedup=False)
    got = {s: len(getattr(data, s)) for s in ("train", "val", "test")}
    assert got == REGISTRY[name].expected_counts


@needs_data
@pytest.mark.data
def test_real_busi_split(real_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(real_cache))
    data = load_splits("busi", seed=0)
    assert data.train.images.shape[1:] == (256, 256, 1)
    total = (
        pl.from_pandas(data.counts())
        .group_by("class")
        .agg(pl.col("n").sum())
        .sort("class")["n"]
        .to_list()
    )
    assert total == [437, 210, 133]  # no duplicate crosses a split: nothing removed
    assert data.dedup["n_removed"].sum() == 0
    # near-duplicate groups (106 groups, 234 images) are kept whole, so the 20 % test split has
    # 157 images (156 when only exact duplicates were grouped)
    assert len(data.test) == 157 and data.split_file.exists()
    assert not data.dedup["reason"].str.startswith(REASON_NEAR_CROSS).any()


@needs_data
@pytest.mark.data
@pytest.mark.slow
def test_real_brain_mri_duplicates(real_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(real_cache))
    data = load_splits("brain_mri", seed=0)
    removed = pl.from_pandas(data.dedup).filter(pl.col("reason") == REASON_CROSS)
    # 216 Testing images also appear in Training (shared README); all are removed from test
    assert removed.filter(pl.col("split") == "test")["n_removed"].sum() == 216
    assert len(data.test) == 1311 - 216
    assert removed.filter(pl.col("split") == "val").height == 0  # val carved by pixel groups
    assert len(data.train) + len(data.val) == 5708


@needs_data
@pytest.mark.data
def test_real_cifar10_zip_listing() -> None:
    spec = REGISTRY["cifar10"]
    with zipfile.ZipFile(Path(DATA_DIR) / spec.files[0].relpath) as zf:
        names = [n for n in zf.namelist() if n.endswith(".jpg")]
    assert sum(n.startswith("train/") for n in names) == spec.expected_counts["train"]
    assert sum(n.startswith("test/") for n in names) == spec.expected_counts["test"]
    assert {n.split("/")[1] for n in names} == set(spec.classes)
