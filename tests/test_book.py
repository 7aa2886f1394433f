"""Build the Jupyter Book strictly into a temporary folder and check its pages."""

from __future__ import annotations

import re

import pytest

from review import paths
from review.report import build, inputs_fingerprint

pytestmark = [pytest.mark.book, pytest.mark.slow, pytest.mark.timeout(1200)]


def _toc_pages() -> list[str]:
    toc = (paths.book_dir() / "_toc.yml").read_text(encoding="utf-8")
    return re.findall(r"(?:root|file):\s*(\S+)", toc)


def test_book_builds_strictly(tmp_path):
    html = build(tmp_path)
    for page in _toc_pages():
        f = html / f"{page}.html"
        assert f.exists(), f
        text = f.read_text(encoding="utf-8")
        # no execution errors, tracebacks or warnings printed into the pages
        for bad in ("Traceback", "Error", "Warning:", "stderr"):
            assert bad not in text.replace("StudyTableError", ""), (page, bad)
    stamp = (tmp_path / "_build" / ".inputs-sha256").read_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", stamp)


def test_fingerprint_changes_with_inputs(tmp_path):
    (tmp_path / "data").mkdir()
    f = tmp_path / "data" / "t.csv"
    f.write_text("a\n1\n")
    first = inputs_fingerprint(tmp_path)
    assert inputs_fingerprint(tmp_path) == first
    f.write_text("a\n2\n")
    assert inputs_fingerprint(tmp_path) != first
