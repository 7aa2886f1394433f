"""Rebuild every generated file from code (``make regenerate``); ``--check`` lists stale ones.

Generated files, each with the function that produces its text:

``data/README.md``
    the data dictionary block (between the ``data-dictionary`` markers), from
    :func:`review.schema.data_dictionary_markdown`;
``data/source_models.csv``
    the model registry (:func:`reproduce.models.describe.models_frame`);
``data/datasets.csv``
    the data-set registry (:func:`reproduce.datasets.describe.registry_frame`);
``results/guideline/recomputed/verdicts.csv`` and ``effects.csv``
    the pilot's (v1) pre-registered claims decided on the committed results by the current
    rules (:func:`reproduce.claims.verdicts.evaluate_claims`, issue #13's verdict-code fixes
    included). ``results/guideline/verdicts.csv`` itself is the pilot's verdicts as committed
    with its results, before those fixes, and is kept as it was (not regenerated).
``results/uap/recomputed/verdicts.csv``
    the fragility pilot's (v1) claims U1-U3 decided on the committed ``results/uap`` rows by
    the same function (the suite committed no verdicts of its own); the report's downloads
    (:mod:`review.downloads`) copy it, so the base layer never imports the claims code.
``results/uap_v2/verdicts.csv`` and ``effects.csv``
    the second round's claims U1v2-U3v2 decided on ``results/uap_v2/results.parquet``
    (:func:`reproduce.claims.cli.decide_claims`, what ``tlreview reproduce verdicts uap_v2``
    writes); nothing while that table is not committed.

CI runs the check (``tests/test_generated.py``), so a registry or claim change without the
regenerated file fails.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from reproduce.claims.claim import load_claim_set
from reproduce.claims.cli import claims_file, decide_claims
from reproduce.claims.pilot import pilot_effects
from reproduce.claims.verdicts import evaluate_claims
from reproduce.datasets.describe import registry_frame
from reproduce.models.describe import models_frame
from review import paths
from review.schema import data_dictionary_markdown

__all__ = ["GENERATED", "main", "regenerate", "stale"]

_BLOCK = re.compile(
    r"(<!-- data-dictionary:[^\n]*-->\n)(.*?)(\n<!-- end data-dictionary -->)", flags=re.S
)


def _data_readme(current: str) -> str:
    if not _BLOCK.search(current):
        raise ValueError("data/README.md: the data-dictionary markers are missing")
    return _BLOCK.sub(lambda m: m.group(1) + data_dictionary_markdown() + m.group(3), current)


def _guideline_verdicts(current: str) -> str:
    res = paths.results_dir() / "guideline" / "results.parquet"
    return evaluate_claims(pl.read_parquet(res), "guideline").write_csv()


def _uap_verdicts(current: str) -> str:
    res = paths.results_dir() / "uap" / "results.parquet"
    return evaluate_claims(pl.read_parquet(res), "uap").write_csv()


def _guideline_effects(current: str) -> str:
    res = pl.read_parquet(paths.results_dir() / "guideline" / "results.parquet")
    return pilot_effects(res, load_claim_set(claims_file("v1")), "guideline").write_csv()


def _uap_v2(which: int) -> Callable[[str], str]:
    def make(current: str) -> str:
        if not (paths.results_dir() / "uap_v2" / "results.parquet").is_file():
            return current  # the round has not run: nothing to decide, nothing written
        return decide_claims("uap_v2", "v2")[which].write_csv()

    return make


#: Path (relative to the checkout) -> ``text(current text) -> regenerated text``.
GENERATED: dict[str, Callable[[str], str]] = {
    "data/README.md": _data_readme,
    "data/source_models.csv": lambda _: models_frame().write_csv(),
    "data/datasets.csv": lambda _: registry_frame().write_csv(),
    "results/guideline/recomputed/verdicts.csv": _guideline_verdicts,
    "results/guideline/recomputed/effects.csv": _guideline_effects,
    "results/uap/recomputed/verdicts.csv": _uap_verdicts,
    "results/uap_v2/verdicts.csv": _uap_v2(0),
    "results/uap_v2/effects.csv": _uap_v2(1),
}


def _texts(root: Path) -> dict[str, tuple[str, str]]:
    out = {}
    for rel, make in GENERATED.items():
        path = root / rel
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        out[rel] = (current, make(current))
    return out


def stale(root: Path | None = None) -> list[str]:
    """Generated files whose committed text differs from what the code produces now."""
    return [rel for rel, (cur, new) in _texts(root or paths.ROOT).items() if cur != new]


def regenerate(root: Path | None = None) -> list[str]:
    """Rewrite every stale generated file; return the ones rewritten."""
    root = root or paths.ROOT
    written = []
    for rel, (cur, new) in _texts(root).items():
        if cur != new:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(new, encoding="utf-8")
            written.append(rel)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m reproduce.regenerate [--check]``."""
    ap = argparse.ArgumentParser(prog="python -m reproduce.regenerate", description=__doc__)
    ap.add_argument("--check", action="store_true", help="list stale files; exit 1 if any")
    args = ap.parse_args(argv)
    if args.check:
        bad = stale()
        for rel in bad:
            print(f"stale: {rel} (run `make regenerate`)", file=sys.stderr)
        return 1 if bad else 0
    for rel in regenerate():
        print(f"regenerated {rel}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
