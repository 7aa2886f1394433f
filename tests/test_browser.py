"""Open every page of the built book in headless Chromium at 1400 and 390 px wide.

Each page must show no console or page error, make no network request (the book reads
offline), load every image, keep every element inside the viewport unless it sits in a scroll
box, show no table cell starting with a quote and no ``null``/``NaN``/``None`` in its text, and
link back to the table of contents. Screenshots go to ``book/_build/screenshots/`` (CI
artefacts). The test skips, saying why, only when Chromium cannot start.
"""

from __future__ import annotations

import pytest

from review import paths
from review.browser import WIDTHS, browser, check_book, check_page, toc_pages

pytestmark = [pytest.mark.browser, pytest.mark.book, pytest.mark.slow, pytest.mark.timeout(1800)]

SCREENSHOTS = paths.book_dir() / "_build" / "screenshots"
#: Pages another change rewrites onto review.output / review.figures (issue #16); until then
#: they still print polars' text tables (quoted strings). Remove a page here once it passes.
PENDING: set[str] = set()


def _chromium_or_skip() -> None:
    try:
        with browser():
            pass
    except RuntimeError as exc:
        print(f"browser test skipped: {exc}")
        pytest.skip(f"Chromium cannot start: {exc}")


@pytest.fixture(scope="module")
def reports(built_book):
    _chromium_or_skip()
    return {(r.page, r.width): r for r in check_book(built_book, WIDTHS, SCREENSHOTS)}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", toc_pages())
def test_page_reads_well(reports, page, width, request):
    if page in PENDING:
        request.applymarker(pytest.mark.xfail(reason=f"{page} not yet on review.output",
                                              strict=False))  # fmt: skip
    r = reports[(page, width)]
    assert r.screenshot is not None and r.screenshot.stat().st_size > 0
    assert r.problems == [], f"{page} at {width} px:\n" + "\n".join(r.problems)


def test_checks_catch_a_bad_page(tmp_path):
    """The checks fail on a SYNTHETIC page with every problem they look for."""
    _chromium_or_skip()
    (tmp_path / "bad.html").write_text(
        "<html><body><main><article>"
        "<img src='missing.png' alt='x'>"
        "<div style='width: 3000px'>too wide</div>"
        "<div style='overflow-x: auto'><div style='width: 3000px'>scrolls: fine</div></div>"
        '<table><tr><td>"quoted"</td><td>ok</td></tr></table>'
        "<p>value: NaN and null</p>"
        "<script>console.error('boom')</script>"
        "<script src='https://example.org/x.js'></script>"
        "</article></main></body></html>",
        encoding="utf-8",
    )
    with browser() as b:
        r = check_page(b, tmp_path, "bad", 390)
    text = "\n".join(r.problems)
    for expected in ("image not loaded", "wider than the viewport: div", "cell starts with a "
                     "quote", "visible null", "visible NaN", "console error: boom",
                     "network request: https://example.org", "no link back"):  # fmt: skip
        assert expected in text, (expected, text)
    assert sum("wider than the viewport" in p for p in r.problems) == 1, r.problems
