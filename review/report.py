"""Build the Jupyter Book report strictly, re-executing pages when their inputs changed.

Jupyter Book's execution cache keys a page by its code only, so a page would keep showing old
numbers after ``data/`` or ``results/`` changed. :func:`build` fingerprints everything the pages
read (the committed tables, results and the package source); when the fingerprint differs from
the last build's, it clears the execution cache and rebuilds every page (``--all``: Sphinx
otherwise sees unchanged page sources and keeps their old outputs).

Run with ``python -m review.report [--out DIR]`` (what ``make report`` does);
``--pdf FILE`` also prints the built pages into one PDF through headless Chromium
(``make report-pdf``).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from review import paths
from review.browser import print_pdf

#: Folders whose files the book pages read, directly or through the package.
INPUT_DIRS = ("data", "results", "review", "reproduce")
_SUFFIXES = {".csv", ".parquet", ".json", ".jsonl", ".yaml", ".yml", ".py", ".md", ".txt"}


def inputs_fingerprint(root: Path | None = None) -> str:
    """SHA-256 over the relative paths and bytes of every input file of the book."""
    root = paths.ROOT if root is None else root
    h = hashlib.sha256()
    for d in INPUT_DIRS:
        base = root / d
        if not base.exists():
            continue
        for f in sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in _SUFFIXES):
            if "__pycache__" in f.parts:
                continue
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def build(out: Path | None = None, strict: bool = True) -> Path:
    """Build the book and return the folder of its HTML.

    Parameters
    ----------
    out
        Folder in which ``_build/html`` is written (default ``book/``, giving
        ``book/_build/html``).
    strict
        Treat warnings as errors and check references (``-W -n --keep-going``).

    Raises
    ------
    subprocess.CalledProcessError
        If the build fails (an execution error or a warning in strict mode).
    """
    book = paths.book_dir()
    out = book if out is None else Path(out)
    build_dir = out / "_build"
    stamp = build_dir / ".inputs-sha256"
    fingerprint = inputs_fingerprint()
    cmd = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        str(book),
        "--path-output",
        str(out),
    ]
    if stamp.exists() and stamp.read_text().strip() != fingerprint:
        shutil.rmtree(build_dir / ".jupyter_cache", ignore_errors=True)
        cmd.append("--all")
    if strict:
        cmd += ["--warningiserror", "--nitpick", "--keep-going"]
    subprocess.run(cmd, check=True)
    stamp.write_text(fingerprint + "\n")
    return build_dir / "html"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: build the report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder to build in (default book/, giving book/_build/html)",
    )
    ap.add_argument(
        "--pdf",
        type=Path,
        default=None,
        help="also print the book into this PDF (headless Chromium; needs `chromium`)",
    )
    args = ap.parse_args(argv)
    try:
        html = build(args.out)
    except subprocess.CalledProcessError as exc:
        print(
            f"error: the book build failed (exit {exc.returncode}); see the log above",
            file=sys.stderr,
        )
        return 1
    print(f"report: {html / 'index.html'}")
    if args.pdf is not None:
        try:
            pdf = print_pdf(html, args.pdf)
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except ModuleNotFoundError as exc:  # playwright / pypdf: the optional dev extra
            print(f"error: {exc}; install them with pip install -e '.[dev]'", file=sys.stderr)
            return 2
        print(f"report PDF: {pdf}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
