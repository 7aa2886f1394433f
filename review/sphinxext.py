"""Sphinx extension of the book (``sphinx: extra_extensions`` in ``book/_config.yml``).

* Writes the downloads (:mod:`review.downloads`) at every build and adds them to
  ``html_extra_path``, so the HTML holds ``downloads/studies.csv`` and the rest.
* Removes duplicate inline scripts (sphinx-thebe registers its configuration script twice under
  Sphinx 7, which makes the browser report ``Identifier 'THEBE_JS_URL' has already been
  declared`` on every page).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from review.downloads import export_downloads


def _export(app: Any) -> None:
    dest = Path(app.outdir).parent / "tlreview_extra"
    export_downloads(dest)
    extra = list(app.config.html_extra_path or [])
    if str(dest) not in extra:
        app.config.html_extra_path = [*extra, str(dest)]


def _dedupe_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any
                    ) -> None:  # fmt: skip
    files = context.get("script_files")
    if not files:
        return
    seen, keep = set(), []
    for f in files:
        attrs = getattr(f, "attributes", {}) or {}
        name = getattr(f, "filename", f) or ""  # thebe adds one with None, one with ""
        key = (str(name), tuple(sorted((k, str(v)) for k, v in attrs.items())))
        if key in seen:
            continue
        seen.add(key)
        keep.append(f)
    files[:] = keep


def setup(app: Any) -> dict[str, Any]:
    """Register the build hooks."""
    app.connect("builder-inited", _export)
    app.connect("html-page-context", _dedupe_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
