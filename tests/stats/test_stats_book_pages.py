"""The pages that read the study table run on an EMPTY table and on a 150-row SYNTHETIC table.

The code cells of book/index.md, book/studies.md, book/trends.md and book/meta.md are executed
in-process with ``review.studies.load_studies`` replaced by the test table (the full strict book
build is tests/test_book.py).
"""

from __future__ import annotations

import re

import IPython.display
import polars as pl
import pytest

import review.studies
from review import paths
from review.stats.synthetic import synthetic_studies

PAGES = {"index": "tlreview", "studies": "The study table",
         "trends": "Trends in models and transfer approaches",
         "meta": "What the studies report: a meta-analysis"}  # fmt: skip


def _run_page(name: str, studies: pl.DataFrame, monkeypatch) -> list[str]:
    text = (paths.book_dir() / f"{name}.md").read_text(encoding="utf-8")
    assert text.startswith("---\njupytext:") and "name: python3" in text
    assert f"\n# {PAGES[name]}\n" in text
    assert "pip install" not in text and "urlopen" not in text
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", text, flags=re.S)
    assert cells
    shown: list[str] = []

    def display(*objs, **_):
        for o in objs:
            shown.append(o.data if isinstance(o, IPython.display.Markdown) else repr(o))

    monkeypatch.setattr(review.studies, "load_studies", lambda path=None: studies)
    monkeypatch.setattr(IPython.display, "display", display)
    ns: dict = {}
    for cell in cells:
        code = "\n".join(line for line in cell.splitlines() if not line.startswith(":tags:"))
        exec(compile(code, f"book/{name}.md", "exec"), ns)  # the page's own code
    for out in shown:
        assert "Error" not in out and "Warning:" not in out and "Traceback" not in out
    return shown


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_an_empty_table(page, monkeypatch):
    empty = synthetic_studies(3).clear()
    shown = _run_page(page, empty, monkeypatch)
    assert any("No studies yet" in s for s in shown)


@pytest.mark.slow
@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_a_150_row_table(page, monkeypatch):
    shown = _run_page(page, synthetic_studies(150, seed=9), monkeypatch)
    assert any("150 studies" in s for s in shown)
    assert not any("No studies yet" in s for s in shown)
