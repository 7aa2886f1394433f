"""``python3 -m reproduce.device.unpack_part PART --into DIR``: unpack one part on a GPU machine.

Plain Python (no polars, no torch): extracts the part, checks the sha256 of every file it
carries against the manifest, and prints what it did as one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from reproduce.datasets.pack import unpack_part
from review.errors import InputError


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(prog="python3 -m reproduce.device.unpack_part")
    ap.add_argument("part", type=Path, help="a part*.tar of `tlreview reproduce pack`")
    ap.add_argument("--into", type=Path, required=True, help="the pack folder (created)")
    a = ap.parse_args(argv)
    try:
        info = unpack_part(a.part, a.into.expanduser())
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
