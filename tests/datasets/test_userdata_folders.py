"""A user's own image folder must never give a silently wrong answer (issue #12).

Every image here is SYNTHETIC (made in the test: ramps, smooth random blobs, noise), written
to ``tmp_path``; nothing reads the real data except the embedded-default test, which reads the
BreastMNIST copy shipped in ``data/embedded/``.
"""

from __future__ import annotations

import struct
import warnings
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image, PngImagePlugin

from reproduce.datasets.load import (
    REASON_CROSS,
    REASON_NEAR_CROSS,
    REASON_NEAR_WITHIN,
    load_splits,
)
from reproduce.datasets.registry import folder_spec
from reproduce.datasets.sources import DatasetWarning, decode_folder
from review.errors import USER_ERRORS, DatasetError, InputError, problems_of


@pytest.fixture(autouse=True)
def _tmp_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(cache))
    return cache


def save(path: Path, pixels: np.ndarray, **kw: object) -> Path:
    """Write one SYNTHETIC image."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path, **kw)
    return path


def smooth(rng: np.random.Generator, side: int = 64) -> np.ndarray:
    """SYNTHETIC smooth grey image (8 x 8 random values upsampled): survives resizing."""
    small = rng.integers(0, 256, (8, 8), dtype=np.uint8)
    return np.asarray(Image.fromarray(small).resize((side, side), Image.Resampling.BICUBIC))


# ------------------------------------------------------------------------------ bit depth


def ramp(top: int, dtype: type = np.uint16) -> np.ndarray:
    """SYNTHETIC 16 x 16 ramp from 0 to ``top``."""
    return np.linspace(0, top, 256).round().astype(dtype).reshape(16, 16)


@pytest.mark.parametrize(
    ("bits", "top"),
    [(8, 255), (12, 4095), (16, 65535)],
    ids=["8-bit", "12-bit-in-16", "16-bit"],
)
def test_high_bit_depth_pngs_scaled_by_their_depth(tmp_path: Path, bits: int, top: int) -> None:
    root = tmp_path / f"depth{bits}"
    dtype = np.uint8 if bits == 8 else np.uint16
    for cls in ("a", "b"):
        for i in range(3):
            save(root / cls / f"{i}.png", ramp(top, dtype))
    if bits != 8:
        assert Image.open(root / "a" / "0.png").mode.startswith("I")  # really stored 16-bit
    data = load_splits(f"folder:{root}")
    x = np.concatenate([data.train.images, data.val.images, data.test.images])
    want = np.rint(ramp(top).astype(float) * 255 / top).astype(np.uint8)
    for img in x:
        np.testing.assert_array_equal(img[..., 0], want)
    # before the fix, 12-bit-in-16 became almost all white and 16-bit was clipped at 255
    assert (x == 255).mean() < 0.01


def test_sbit_chunk_gives_the_depth(tmp_path: Path) -> None:
    """A PNG that records 10 significant bits is scaled by 1023 even if its maximum is lower."""
    root = tmp_path / "sbit"
    info = PngImagePlugin.PngInfo()
    info.add(b"sBIT", bytes([10]))
    for cls in ("a", "b"):
        save(root / cls / "0.png", ramp(800), pnginfo=info)
    decoded = decode_folder(folder_spec(root), root)
    assert decoded.infos[0].significant_bits == 10 and decoded.high_depth_bits == 0
    assert decoded.arrays[0].max() == round(800 * 255 / 1023)


# --------------------------------------------------------------------------------- layout


def test_empty_class_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    root = tmp_path / "two"
    rng = np.random.default_rng(0)
    for i in range(4):
        save(root / "yes" / f"{i}.png", smooth(rng, 16))
        save(root / "no" / f"{i}.png", smooth(rng, 16))
    (root / "maybe").mkdir()
    (root / "maybe" / "notes.txt").write_text("not an image")
    with pytest.raises(DatasetError) as err:
        load_splits(f"folder:{root}")
    msg = str(err.value)
    assert str(root / "maybe") in msg and "no images" in msg
    assert isinstance(err.value, InputError) and isinstance(err.value, USER_ERRORS)  # exit 2
    assert len(problems_of(err.value)) == 1


def test_class_missing_from_training_split_is_an_error(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    root = tmp_path / "nested"
    for cls in ("a", "b"):
        for i in range(3):
            save(root / "train" / "a" / f"{cls}{i}.png", smooth(rng, 16))
            save(root / "test" / cls / f"{i}.png", smooth(rng, 16))
    with pytest.raises(DatasetError, match=r"no training images of class\(es\) \['b'\]"):
        load_splits(f"folder:{root}")


def test_images_in_sub_sub_folders_are_read_and_reported(tmp_path: Path) -> None:
    """30 images, 6 of them one or two levels below their class folder (were dropped)."""
    rng = np.random.default_rng(2)
    root = tmp_path / "deep"
    for i in range(12):
        save(root / "a" / f"{i}.png", smooth(rng, 16))
        save(root / "b" / f"{i}.png", smooth(rng, 16))
    for i in range(3):
        save(root / "a" / "patient1" / f"{i}.png", smooth(rng, 16))
        save(root / "b" / "site2" / "day3" / f"{i}.png", smooth(rng, 16))
    save(root / ".hidden" / "x.png", smooth(rng, 16))  # hidden folders are not read
    with pytest.warns(DatasetWarning, match="6 of 30 images sit in sub-folders"):
        data = load_splits(f"folder:{root}")
    ids = np.concatenate([data.train.ids, data.val.ids, data.test.ids]).tolist()
    assert len(ids) == 30
    labels = dict(
        zip(
            ids,
            np.concatenate([data.train.labels, data.val.labels, data.test.labels]).tolist(),
            strict=True,
        )
    )
    assert labels["a/patient1/0.png"] == 0 and labels["b/site2/day3/2.png"] == 1


# ---------------------------------------------------------------------------- decode errors


def huge_png(path: Path, side: int = 14_000) -> Path:
    """A valid SYNTHETIC all-black grey PNG of ``side`` x ``side`` px, written in a stream."""
    comp = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte + pixels
    body = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
    return path


def test_decode_errors_name_every_file_once(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    root = tmp_path / "broken"
    for i in range(3):
        save(root / "a" / f"{i}.png", smooth(rng, 16))
        save(root / "b" / f"{i}.png", smooth(rng, 16))
    huge_png(root / "a" / "huge.png")
    (root / "b" / "empty.jpg").write_bytes(b"")
    (root / "b" / "text.jpg").write_bytes(b"this is not a JPEG")
    with pytest.raises(DatasetError) as err:
        load_splits(f"folder:{root}")
    msg = str(err.value)
    lines = problems_of(err.value)
    assert "cannot decode 3 of 9 image(s)" in lines[0]
    assert any("a/huge.png" in line and "196000000 pixels" in line for line in lines), lines
    assert any("b/empty.jpg" in line and "empty file (0 bytes)" in line for line in lines)
    assert any("b/text.jpg" in line and "not an image PIL can read" in line for line in lines)
    assert "<_io.BytesIO" not in msg and "object at 0x" not in msg
    assert isinstance(err.value, InputError)  # the CLI exits 2


def test_decode_error_raised_before_anything_is_cached(tmp_path: Path, _tmp_cache: Path) -> None:
    rng = np.random.default_rng(4)
    root = tmp_path / "one_bad"
    for i in range(3):
        save(root / "a" / f"{i}.png", smooth(rng, 16))
        save(root / "b" / f"{i}.png", smooth(rng, 16))
    (root / "a" / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    with pytest.raises(DatasetError, match="a/bad.png"):
        load_splits(f"folder:{root}")
    assert not list(_tmp_cache.rglob("*.npz"))


# ----------------------------------------------------------------------------- duplicates


def test_near_duplicates_kept_in_one_seeded_split(tmp_path: Path) -> None:
    """The same SYNTHETIC scan saved at 64 px and at 40 px never lands in two splits."""
    rng = np.random.default_rng(5)
    root = tmp_path / "near"
    originals = {}
    for cls in ("a", "b"):
        for i in range(20):
            img = smooth(rng, 64)
            originals[f"{cls}/{i}.png"] = img
            save(root / cls / f"{i}.png", img)
        for i in range(8):  # 8 near duplicates per class: resized copies
            small = Image.fromarray(originals[f"{cls}/{i}.png"]).resize((40, 40))
            save(root / cls / f"{i}_small.png", np.asarray(small))
    data = load_splits(f"folder:{root}", seed=0)
    split_of = {}
    for split in ("train", "val", "test"):
        for rid in getattr(data, split).ids.tolist():
            split_of[rid] = split
    for cls in ("a", "b"):
        for i in range(8):
            assert split_of[f"{cls}/{i}.png"] == split_of[f"{cls}/{i}_small.png"]
    near = data.dedup[data.dedup["reason"] == REASON_NEAR_WITHIN]
    assert near["n_found"].sum() == 16 and near["n_removed"].sum() == 0
    assert data.split_file is not None and data.split_file.name.endswith("-seed0-near.csv")


def official_split_with_near_copies(root: Path) -> None:
    """SYNTHETIC official split: test/a holds a 40 px copy of train/a/0 and an exact copy."""
    rng = np.random.default_rng(6)
    imgs = {f"{c}{i}": smooth(rng, 64) for c in "ab" for i in range(4)}
    for key, img in imgs.items():
        save(root / "train" / key[0] / f"{key}.png", img)
    for c in "ab":
        save(root / "test" / c / f"{c}_new.png", smooth(rng, 64))
    save(
        root / "test" / "a" / "a0_small.png",
        np.asarray(Image.fromarray(imgs["a0"]).resize((40, 40))),
    )
    save(root / "test" / "a" / "a1_copy.png", imgs["a1"])


def test_near_duplicates_across_official_splits_warn_or_strict(tmp_path: Path) -> None:
    root = tmp_path / "official"
    official_split_with_near_copies(root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DatasetWarning)
        default = load_splits(f"folder:{root}")
        strict = load_splits(f"folder:{root}", dedup="strict")
        off = load_splits(f"folder:{root}", dedup="off")

    def row(frame: pd.DataFrame, reason: str) -> tuple[int, int]:
        sel = frame[(frame["split"] == "test") & frame["reason"].str.startswith(reason)]
        return int(sel["n_found"].sum()), int(sel["n_removed"].sum())

    # default: the exact copy is removed, the near copy is kept and reported
    assert row(default.dedup, REASON_CROSS) == (1, 1)
    assert row(default.dedup, REASON_NEAR_CROSS) == (1, 0)
    assert "a0_small" in " ".join(default.test.ids.tolist())
    kept = default.dedup[default.dedup["reason"].str.startswith(REASON_NEAR_CROSS)]["reason"]
    assert kept.to_list() == [REASON_NEAR_CROSS + " (kept)"]
    # strict: both removed
    assert row(strict.dedup, REASON_NEAR_CROSS) == (1, 1)
    assert sorted(strict.test.ids.tolist()) == ["test/a/a_new.png", "test/b/b_new.png"]
    # off: nothing removed, both reported
    assert len(off.test) == 4 and row(off.dedup, REASON_CROSS) == (1, 0)
    with pytest.raises(DatasetError, match="expected one of exact, strict, off"):
        load_splits(f"folder:{root}", dedup="loose")


# ---------------------------------------------------------------------------------- resize


@pytest.mark.parametrize("how", ["squash", "pad", "crop"])
def test_resize_modes_of_non_square_images(tmp_path: Path, how: str) -> None:
    root = tmp_path / "wide"
    wide = np.zeros((20, 40), np.uint8)
    wide[:, 10:30] = 255  # SYNTHETIC: a white 20 x 20 square centred in a black 20 x 40 image
    for c in "ab":
        for i in range(3):
            save(root / c / f"{i}.png", wide)
        save(root / c / "sq.png", np.full((30, 30), 128, np.uint8))
    data = load_splits(f"folder:{root}", resize=how)
    assert data.native_resolution == 224
    img = next(
        a[..., 0]
        for split in ("train", "val", "test")
        for a, i in zip(getattr(data, split).images, getattr(data, split).ids, strict=True)
        if i.endswith("0.png")
    )
    white = (img > 127).mean()
    # squash keeps the white half; crop keeps only the white centre; pad adds black bands
    assert {"squash": 0.5, "crop": 1.0, "pad": 0.25}[how] == pytest.approx(white, abs=0.03)


# ------------------------------------------------------------------------- embedded default


def test_embedded_breastmnist_used_without_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reproduce.datasets import sources

    monkeypatch.delenv("TLREVIEW_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # no fetched copy either
    # the note is printed once per process: an earlier test may have printed it already
    monkeypatch.setattr(sources, "_NOTED", set())
    data = load_splits("breastmnist")
    # the official counts; one test image duplicates a training image and is removed
    assert (len(data.train), len(data.val), len(data.test)) == (546, 78, 155)
    assert "using the copy shipped with tlreview" in capsys.readouterr().err
    # a data folder that lacks the file falls back as well; one that has a bad copy does not
    monkeypatch.setenv("TLREVIEW_DATA_DIR", str(tmp_path / "empty"))
    assert len(load_splits("breastmnist").test) == 155


def test_busi_release_masks_are_not_read_as_images(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The official BUSI release keeps '<name>_mask.png' next to each image (SYNTHETIC here)."""
    import dataclasses

    from reproduce.datasets.registry import REGISTRY

    rng = np.random.default_rng(7)
    for cls in ("benign", "malignant", "normal"):
        for i in range(5):
            save(tmp_path / "busi" / cls / f"{cls} ({i}).png", smooth(rng, 32))
            save(tmp_path / "busi" / cls / f"{cls} ({i})_mask.png", np.zeros((32, 32), np.uint8))
        save(tmp_path / "busi" / cls / f"{cls} (0)_mask_1.png", np.zeros((32, 32), np.uint8))
    spec = REGISTRY["busi"]
    fake = dataclasses.replace(
        spec, files=(dataclasses.replace(spec.files[0], sha256=""),), local_counts={}
    )
    monkeypatch.setitem(REGISTRY, "busi", fake)
    data = load_splits("busi", data_dir=tmp_path)
    ids = np.concatenate([data.train.ids, data.val.ids, data.test.ids]).tolist()
    assert len(ids) == 15 and not any("_mask" in i for i in ids)


def test_preflight_reports_every_data_set_problem_once(tmp_path: Path) -> None:
    """Two broken SYNTHETIC folders and a missing file: one error, every problem named."""
    from reproduce.datasets.load import preflight

    rng = np.random.default_rng(8)
    good, bad = tmp_path / "good", tmp_path / "bad"
    for root in (good, bad):
        for c in "ab":
            for i in range(3):
                save(root / c / f"{i}.png", smooth(rng, 16))
    (bad / "a" / "zero.jpg").write_bytes(b"")
    names = [f"folder:{good}", f"folder:{bad}", "retinamnist", f"folder:{good}"]
    with pytest.raises(DatasetError) as err:
        preflight(names, data_dir=tmp_path / "nodata")
    lines = problems_of(err.value)
    assert any("a/zero.jpg: empty file" in line for line in lines)
    assert any("retinamnist" in line and "not found" in line for line in lines)
    assert not any(str(good) in line for line in lines)
    checks = preflight([f"folder:{good}"] * 3)
    assert list(checks) == [f"folder:{good}"] and len(checks[f"folder:{good}"]) == 64
