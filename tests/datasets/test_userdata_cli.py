"""The CLI of a new user's own data: inspection, exit codes, flags (SYNTHETIC images)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from review.cli import main


@pytest.fixture(autouse=True)
def _dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TLREVIEW_RUNS_DIR", str(tmp_path / "runs"))


def folder(root: Path, empty_class: bool = False) -> Path:
    """SYNTHETIC two-class folder of smooth 20 x 30 grey images."""
    rng = np.random.default_rng(0)
    for cls in ("no", "yes"):
        for i in range(6):
            small = rng.integers(0, 256, (4, 4), dtype=np.uint8)
            img = Image.fromarray(small).resize((30, 20), Image.Resampling.BICUBIC)
            (root / cls).mkdir(parents=True, exist_ok=True)
            img.save(root / cls / f"{i}.png")
    if empty_class:
        (root / "maybe").mkdir()
    return root


def test_datasets_folder_inspection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = folder(tmp_path / "mine")
    assert main(["reproduce", "datasets", f"folder:{root}", "--resize", "crop"]) == 0
    out = capsys.readouterr().out
    assert "12 images in 2 classes (0=no, 1=yes)" in out
    assert "12 images are not square: centre-cropped to a square" in out
    assert "# split it would make" in out


def test_empty_class_folder_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = folder(tmp_path / "mine", empty_class=True)
    assert main(["reproduce", "datasets", f"folder:{root}"]) == 2
    err = capsys.readouterr().err
    assert str(root / "maybe") in err and len(err.strip().splitlines()) == 1


def test_run_decode_error_fails_once_before_any_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = folder(tmp_path / "mine")
    (root / "yes" / "broken.jpg").write_bytes(b"")
    code = main(
        [
            "reproduce",
            "run",
            "guideline",
            "--profile",
            "smoke",
            "--device",
            "cpu",
            "--dataset",
            f"folder:{root}",
            "--quiet",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("yes/broken.jpg: empty file (0 bytes)") == 1
    assert "<_io.BytesIO" not in err
    assert not (tmp_path / "runs").exists()  # no run started


def test_run_flags_plan_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = folder(tmp_path / "mine")
    args = [
        "reproduce",
        "run",
        "guideline",
        "--profile",
        "smoke",
        "--dry-run",
        "--format",
        "csv",
        "--dataset",
        f"folder:{root}",
        "--approach",
        "fine_tuning_from_scratch",
        "--arch",
        "efficientnet_lite0",
        "--dedup",
        "strict",
    ]
    assert main(args) == 0
    rows = capsys.readouterr().out.strip().splitlines()
    assert len(rows) == 2, rows
    assert f"folder:{root}" in rows[1] and "all layers, from pretrained" in rows[1]


def test_fetch_instructions_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reproduce", "fetch", "brain_mri"]) == 0
    assert "kaggle" in capsys.readouterr().out.lower()
    assert main(["reproduce", "fetch", "nosuchthing"]) == 2


def test_compact_views_and_all(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reproduce", "datasets", "--format", "csv"]) == 0
    compact = capsys.readouterr().out.splitlines()[0].split(",")
    assert main(["reproduce", "datasets", "--all", "--format", "csv"]) == 0
    full = capsys.readouterr().out.splitlines()[0].split(",")
    assert "location" in compact and len(compact) <= 12 < len(full)
    assert main(["studies", "list"]) == 0
    out = capsys.readouterr()
    assert "compact view" in out.err and "title" not in out.out.splitlines()[1]


@pytest.mark.slow
def test_smoke_profile_on_a_fresh_clone_without_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The third command of a new user: no TLREVIEW_DATA_DIR, no download (embedded data)."""
    monkeypatch.delenv("TLREVIEW_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert (
        main(
            [
                "reproduce",
                "run",
                "guideline",
                "--profile",
                "smoke",
                "--device",
                "cpu",
                "--quiet",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    out = capsys.readouterr()
    assert "using the copy shipped with tlreview" in out.err
    assert out.out.count(",ok,") == 5
