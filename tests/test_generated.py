"""Every generated file is what the code produces now (``make regenerate`` rebuilds them)."""

from __future__ import annotations

import shutil

import pytest

from reproduce.regenerate import GENERATED, regenerate, stale
from review import paths


@pytest.mark.slow
def test_no_generated_file_is_stale():
    assert stale() == [], "run `make regenerate` and commit the files"


@pytest.mark.slow
def test_a_hand_edited_generated_file_is_found_and_rebuilt(tmp_path):
    for rel in GENERATED:
        if not (paths.ROOT / rel).exists():  # e.g. verdicts of a round not yet run
            continue
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(paths.ROOT / rel, tmp_path / rel)
    src = tmp_path / "data" / "source_models.csv"
    src.write_text(src.read_text().replace("AlexNet", "AlexNet (edited)"))
    readme = tmp_path / "data" / "README.md"
    readme.write_text(readme.read_text().replace("| `study_id` |", "| `study_id_x` |"))
    assert stale(tmp_path) == ["data/README.md", "data/source_models.csv"]
    assert regenerate(tmp_path) == ["data/README.md", "data/source_models.csv"]
    assert stale(tmp_path) == []
    assert src.read_text() == (paths.ROOT / "data" / "source_models.csv").read_text()
