"""Every chapter of the book executes: the code cells of each page in ``_toc.yml`` run in order,
in-process, on the committed table and results (the strict HTML build is tests/test_book.py)."""

from __future__ import annotations

import re

import IPython.display
import matplotlib
import pytest

from review import paths

#: Pages whose cells take more than a few seconds on the shared CPU.
SLOW_PAGES = {"curation", "guideline", "fragility", "trends"}


def _toc_pages() -> list[str]:
    toc = (paths.book_dir() / "_toc.yml").read_text(encoding="utf-8")
    return re.findall(r"(?:root|file):\s*(\S+)", toc)


def code_cells(page: str) -> list[str]:
    """The code of every ``{code-cell}`` of a page (a cell ends at a line that is only ```)."""
    text = (paths.book_dir() / f"{page}.md").read_text(encoding="utf-8")
    cells = re.findall(r"^```\{code-cell\} ipython3\n(.*?)^```$", text, flags=re.S | re.M)
    return ["\n".join(ln for ln in c.splitlines() if not ln.startswith(":tags:")) for c in cells]


def test_every_chapter_of_the_toc_is_a_page_with_code_or_the_root():
    pages = _toc_pages()
    assert pages[0] == "index" and {"guideline", "fragility", "meta"} <= set(pages)
    assert all(code_cells(p) for p in pages[1:]), "every chapter computes what it shows"


@pytest.mark.parametrize(
    "page",
    [pytest.param(p, marks=pytest.mark.slow) if p in SLOW_PAGES else p for p in _toc_pages()],
)
def test_chapter_code_cells_run_without_error(page, monkeypatch):
    matplotlib.use("Agg")
    shown: list[str] = []
    monkeypatch.setattr(
        IPython.display, "display", lambda *objs, **_: shown.extend(map(repr, objs))
    )
    ns: dict = {}
    for i, code in enumerate(code_cells(page), start=1):
        exec(compile(code, f"book/{page}.md cell {i}", "exec"), ns)  # the page's own code
    for out in shown:
        assert "Traceback" not in out and "Warning:" not in out, (page, out[:300])
