"""Build the Jupyter Book strictly into a temporary folder and check its pages."""

from __future__ import annotations

import re

import pytest

from review import paths
from review.report import inputs_fingerprint

pytestmark = [pytest.mark.book, pytest.mark.slow, pytest.mark.timeout(1200)]


def _toc_pages() -> list[str]:
    toc = (paths.book_dir() / "_toc.yml").read_text(encoding="utf-8")
    return re.findall(r"(?:root|file):\s*(\S+)", toc)


def test_book_builds_strictly(built_book):
    html = built_book
    for page in _toc_pages():
        f = html / f"{page}.html"
        assert f.exists(), f
        text = f.read_text(encoding="utf-8")
        # no execution errors, tracebacks or warnings printed into the pages
        for bad in ("Traceback", "Error", "Warning:", "stderr"):
            assert bad not in text.replace("StudyTableError", ""), (page, bad)
    stamp = (html.parent / ".inputs-sha256").read_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", stamp)


def test_book_has_downloads(built_book):
    """The study table, its dictionary and the verdicts are copied into the HTML and linked."""
    from review.downloads import available

    names = [d.name for d in available()]
    assert {"studies.csv", "studies.parquet", "data_dictionary.csv"} <= set(names)
    for name in names:
        assert (built_book / "downloads" / name).stat().st_size > 0, name
    index = (built_book / "index.html").read_text(encoding="utf-8")
    assert 'href="downloads/studies.csv"' in index
    studies = (built_book / "studies.html").read_text(encoding="utf-8")
    assert 'href="downloads/data_dictionary.csv"' in studies


def test_book_is_self_contained(built_book):
    """No page loads a script, style sheet or font from the network (it reads offline)."""
    for page in _toc_pages():
        text = (built_book / f"{page}.html").read_text(encoding="utf-8")
        loads = re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"(https?://[^\"]+)\"", text)
        assert loads == [], (page, loads)


def test_fingerprint_changes_with_inputs(tmp_path):
    (tmp_path / "data").mkdir()
    f = tmp_path / "data" / "t.csv"
    f.write_text("a\n1\n")
    first = inputs_fingerprint(tmp_path)
    assert inputs_fingerprint(tmp_path) == first
    f.write_text("a\n2\n")
    assert inputs_fingerprint(tmp_path) != first


def test_changed_inputs_rebuild_every_page(tmp_path, monkeypatch):
    """A page whose source is unchanged must still be re-executed when what it reads changed:
    the build clears the execution cache and passes --all (SYNTHETIC stamp, no real build)."""
    import subprocess

    from review import report

    calls = []
    monkeypatch.setattr(subprocess, "run", lambda cmd, check: calls.append(cmd))
    build = tmp_path / "_build"
    (build / ".jupyter_cache").mkdir(parents=True)
    (build / ".inputs-sha256").write_text(inputs_fingerprint() + "\n")
    report.build(tmp_path)
    assert "--all" not in calls[-1] and (build / ".jupyter_cache").is_dir()
    (build / ".inputs-sha256").write_text("an older fingerprint\n")
    report.build(tmp_path)
    assert "--all" in calls[-1] and not (build / ".jupyter_cache").exists()
    assert (build / ".inputs-sha256").read_text().strip() == inputs_fingerprint()
