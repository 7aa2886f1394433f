"""Inspecting a user's folder before a run (``tlreview reproduce datasets folder:PATH``).

The folder is SYNTHETIC: smooth random images made in the test, some non-square, some 12-bit
stored in 16-bit PNGs, one exact and one near duplicate, three images in a sub-folder.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from PIL import Image

from reproduce.datasets.inspection import inspect_folder
from reproduce.datasets.sources import DatasetWarning
from review.errors import DatasetError


@pytest.fixture(autouse=True)
def _tmp_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(cache))
    return cache


def smooth(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """SYNTHETIC smooth grey image."""
    small = rng.integers(0, 256, (6, 6), dtype=np.uint8)
    return np.asarray(Image.fromarray(small).resize((w, h), Image.Resampling.BICUBIC))


def save(path: Path, pixels: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """SYNTHETIC user folder: 2 classes x 20 images (+ copies), mixed sizes and depths."""
    rng = np.random.default_rng(0)
    root = tmp_path / "scans"
    for cls in ("healthy", "lesion"):
        for i in range(12):
            save(root / cls / f"{i}.png", smooth(rng, 64, 64))
        for i in range(5):
            save(root / cls / f"wide{i}.png", smooth(rng, 48, 80))
        for i in range(3):
            ramp = (smooth(rng, 64, 64).astype(np.uint16) * 16).clip(0, 4095)  # 12-bit data
            save(root / cls / "followup" / f"{i}.png", ramp)
    save(root / "healthy" / "0_copy.png", np.asarray(Image.open(root / "healthy" / "0.png")))
    near = Image.open(root / "lesion" / "0.png").resize((50, 50))
    save(root / "lesion" / "0_small.png", np.asarray(near))
    return root


def test_inspection_reports_what_the_loader_will_do(folder: Path, _tmp_cache: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DatasetWarning)  # findings are notes, not warnings
        ins = inspect_folder(f"folder:{folder}", resize="pad")
    text = "\n".join(ins.notes)
    assert "42 images in 2 classes (0=healthy, 1=lesion)" in text
    assert "6 images sit in sub-folders" in text
    assert "stored at 224 x 224 px" in text and "42 of 42 images are resized" in text
    assert "10 images are not square: padded with black" in text
    assert "6 images have 16-bit samples: scaled to 0-255 by the 12-bit range" in text
    assert "1 exact duplicates, 1 near duplicates" in text
    assert "stratified by class with seed 0, keeping near-duplicate groups together" in text
    counts = dict(zip(ins.classes["class"], ins.classes["n_files"], strict=True))
    assert counts == {"healthy": 21, "lesion": 21}
    assert ins.splits["n"].sum() == 42  # nothing crosses a seeded split: nothing removed
    sizes = {(r["width"], r["height"], r["mode"]): r for r in ins.sizes.to_dicts()}
    assert sizes[(80, 48, "L")]["n"] == 10 and sizes[(80, 48, "L")]["becomes"] == "pad: 224 px"
    assert sizes[(64, 64, "I;16")]["bits"] == 16
    assert ins.duplicates.filter(pl.col("reason").str.starts_with("near"))["n_found"].sum() == 1
    assert not (_tmp_cache / "splits").exists()  # inspecting writes no split file
    titles = [t for t, _ in ins.sections()]
    assert titles[0] == "images per class" and len(titles) == 4


def test_inspection_raises_what_a_run_would_raise(folder: Path) -> None:
    (folder / "lesion" / "broken.jpg").write_bytes(b"")
    with pytest.raises(DatasetError, match="lesion/broken.jpg: empty file"):
        inspect_folder(folder)
    with pytest.raises(DatasetError, match="expected one of squash, pad, crop"):
        inspect_folder(folder, resize="stretch")


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_write_inspection_formats(folder: Path, fmt: str) -> None:
    import io
    import json

    from reproduce.datasets.inspection import write_inspection

    buf = io.StringIO()
    write_inspection(inspect_folder(folder), fmt, buf)
    text = buf.getvalue()
    if fmt == "json":
        doc = json.loads(text)
        assert doc["notes"][0].startswith("folder:") and len(doc["splits"]) == 6
    else:
        assert "# duplicates (exact and near) per split and class" in text
        assert "# image sizes and modes" in text
