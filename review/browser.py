"""Open the built book in headless Chromium: page checks, screenshots and PDF printing.

Uses Playwright's Python API with the system's Chromium (Debian ``chromium``; Playwright's own
browser download is never needed). :func:`check_book` opens every page of the table of contents
at the given widths and returns the problems a reader would see; :func:`print_pdf` prints the
pages, in table-of-contents order, into one PDF.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from review import paths

#: Where the system Chromium is looked for (``TLREVIEW_CHROMIUM`` overrides).
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
WIDTHS = (1400, 390)

# JavaScript run in each page: the problems a reader would see.
_PAGE_CHECKS = r"""
() => {
  const out = {broken_images: [], too_wide: [], quoted_cells: [], bad_text: [], toc: false};
  for (const img of document.images) {
    if (!img.complete || img.naturalWidth === 0) out.broken_images.push(img.src.slice(0, 80));
  }
  const vw = document.documentElement.clientWidth;
  const inScrollBox = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden')
          && p.clientWidth <= vw + 1) return true;
    }
    return false;
  };
  const hiddenByAncestor = (el) => {
    for (let p = el; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.display === 'none' || s.visibility === 'hidden') return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > vw + 1 || r.left < -1) {
      if (inScrollBox(el) || hiddenByAncestor(el)) continue;
      const s = getComputedStyle(el);
      if (s.position === 'fixed' && r.left >= vw) continue;  // off-canvas drawers
      out.too_wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '')
        + ' ' + Math.round(r.left) + '..' + Math.round(r.right) + ' > ' + vw);
    }
  }
  for (const td of document.querySelectorAll('article td, article th')) {
    const t = td.innerText.trim();
    if (/^["']/.test(t)) out.quoted_cells.push(t.slice(0, 60));
  }
  const main = document.querySelector('main') || document.body;
  const text = main.innerText;
  for (const w of ['null', 'NaN', 'None', 'undefined']) {
    const m = text.match(new RegExp('(^|[^A-Za-z_])' + w + '($|[^A-Za-z_])'));
    if (m) {
      const i = m.index;
      const around = text.slice(Math.max(0, i - 40), i + 40).replace(/\s+/g, ' ');
      out.bad_text.push(w + ': …' + around + '…');
    }
  }
  // the table of contents: a link to the landing page (the book's root, index.html)
  out.toc = Array.from(document.querySelectorAll('a[href]')).some(
    (a) => a.href.split('#')[0].endsWith('/index.html'));
  return out;
}
"""


# Before printing: every row of an interactive table (itables' DataTables) of up to 100 rows;
# longer ones (e.g. the 400-query search log) print their first 25 rows and say how many
# there are (the full table is on the web page and in the downloads).
_ALL_ROWS = r"""
async () => {
  const key = Object.keys(window).find((k) => k.startsWith('_itables_'));
  if (!key) return 0;
  const m = await window[key];
  let n = 0;
  for (const t of document.querySelectorAll('table.dataTable')) {
    const api = m.jQuery(t).DataTable();
    api.page.len(api.page.info().recordsTotal <= 100 ? -1 : 25).draw();
    n += 1;
  }
  return n;
}
"""


def chromium_path() -> str | None:
    """The system Chromium executable, or ``None`` when none is installed."""
    env = os.environ.get("TLREVIEW_CHROMIUM")
    if env:
        return env
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def toc_pages(book: Path | None = None) -> list[str]:
    """Page names of the book's table of contents, root first."""
    book = paths.book_dir() if book is None else book
    toc = (book / "_toc.yml").read_text(encoding="utf-8")
    return re.findall(r"(?:root|file):\s*(\S+)", toc)


@contextmanager
def browser() -> Iterator[object]:
    """A headless Chromium (Playwright ``Browser``); raises ``RuntimeError`` if none starts."""
    # playwright: optional (dev extra), only for the browser test and the PDF
    from playwright.sync_api import Error, sync_playwright

    exe = chromium_path()
    if exe is None:
        raise RuntimeError("no Chromium found (apt-get install chromium, or set TLREVIEW_CHROMIUM)")
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(
                executable_path=exe,
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
        except Error as exc:
            raise RuntimeError(f"Chromium at {exe} did not start: {exc}") from exc
        try:
            yield b
        finally:
            b.close()


@dataclass
class PageReport:
    """What one page looked like at one width."""

    page: str
    width: int
    screenshot: Path | None
    problems: list[str] = field(default_factory=list)


def check_page(b: object, html_dir: Path, page: str, width: int,
               screenshot_dir: Path | None = None) -> PageReport:  # fmt: skip
    """Open ``page`` at ``width`` px with the network cut off and list what reads badly.

    Checks: console errors and page errors; requests that leave the machine (the book must
    read offline); images that did not load; elements wider than the viewport outside a
    scroll box; table cells starting with a quote; ``null``/``NaN``/``None``/``undefined`` in
    the visible text; a link back to the table of contents.
    """
    ctx = b.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    problems: list[str] = []

    def route(r):  # noqa: ANN001 - playwright Route
        if r.request.url.startswith(("file:", "data:", "blob:")):
            r.continue_()
        else:
            problems.append(f"network request: {r.request.url[:100]}")
            r.abort()

    ctx.route("**/*", route)
    pg = ctx.new_page()
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text[:200]}")
          if m.type in ("error", "assert") else None)  # fmt: skip
    pg.on("pageerror", lambda e: problems.append(f"page error: {str(e)[:200]}"))
    url = (html_dir / f"{page}.html").resolve().as_uri()
    pg.goto(url, wait_until="load")
    pg.wait_for_timeout(1500)  # interactive tables initialise after load
    res = pg.evaluate(_PAGE_CHECKS)
    problems += [f"image not loaded: {s}" for s in res["broken_images"]]
    problems += [f"wider than the viewport: {s}" for s in res["too_wide"][:10]]
    problems += [f"cell starts with a quote: {s}" for s in res["quoted_cells"][:10]]
    problems += [f"visible {s}" for s in res["bad_text"]]
    if not res["toc"]:
        problems.append("no link back to the table of contents")
    shot = None
    if screenshot_dir is not None:
        screenshot_dir.mkdir(parents=True, exist_ok=True)
        shot = screenshot_dir / f"{page}-{width}.png"
        pg.screenshot(path=str(shot), full_page=True)
    ctx.close()
    return PageReport(page, width, shot, problems)


def check_book(html_dir: Path, widths: Sequence[int] = WIDTHS,
               screenshot_dir: Path | None = None) -> list[PageReport]:  # fmt: skip
    """:func:`check_page` for every page of the table of contents at every width."""
    with browser() as b:
        return [
            check_page(b, html_dir, page, w, screenshot_dir) for page in toc_pages() for w in widths
        ]


def print_pdf(html_dir: Path, out: Path) -> Path:
    """Print every page of the book (table-of-contents order) into one PDF at ``out``."""
    # pypdf: optional (dev extra), only to join the printed pages into one PDF
    from pypdf import PdfWriter

    out.parent.mkdir(parents=True, exist_ok=True)
    parts = []
    with browser() as b:
        ctx = b.new_context(viewport={"width": 1100, "height": 1400})
        pg = ctx.new_page()
        for page in toc_pages():
            pg.goto((html_dir / f"{page}.html").resolve().as_uri(), wait_until="load")
            pg.wait_for_timeout(1000)
            pg.evaluate(_ALL_ROWS)  # print every row of the interactive tables, not one page
            part = out.parent / f".{out.stem}-{page}.pdf"
            pg.emulate_media(media="print")
            margin = {"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"}
            pg.pdf(path=str(part), format="A4", print_background=True, margin=margin, scale=0.85)
            parts.append(part)
        ctx.close()
    writer = PdfWriter()
    for part in parts:
        writer.append(str(part))
    with out.open("wb") as fh:
        writer.write(fh)
    for part in parts:
        part.unlink()
    return out
