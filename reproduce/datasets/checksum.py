"""Checksums identifying a data set's files (part of every run id) and native sizes."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from reproduce.datasets.pack import pack_checksum
from reproduce.datasets.registry import get_spec
from reproduce.datasets.synthetic import SYNTHETIC, is_synthetic
from review.errors import InputError


@lru_cache(maxsize=64)
def data_checksum(name: str) -> str:
    """Checksum identifying a data set's files (part of every run id).

    Registered data sets: sha256 over the registry's file checksums. ``folder:PATH`` data sets
    (whose spec carries none): the manifest hash of the folder (one ``relpath<TAB>sha256`` line
    per file, sorted), computed once per process. Synthetic data sets: a fixed tag. With a
    device pack active (``TLREVIEW_PACK_DIR``), the pack's checksum of the data set (the
    registry's for losslessly stored data; its own for JPEG-stored data).
    """
    if is_synthetic(name):
        return f"{name}-v1"
    packed = pack_checksum(name)
    if packed is not None:
        return packed
    spec = get_spec(name)
    digests = [f.sha256 for f in spec.files]
    if all(digests):
        return hashlib.sha256("\n".join(digests).encode()).hexdigest()
    if spec.kind == "folder":
        root = Path(spec.files[0].relpath)
        lines = []
        for p in sorted(q for q in root.rglob("*") if q.is_file()):
            rel = p.relative_to(root).as_posix()
            if any(part.startswith(".") for part in rel.split("/")):
                continue
            lines.append(f"{rel}\t{hashlib.sha256(p.read_bytes()).hexdigest()}\n")
        return hashlib.sha256("".join(lines).encode()).hexdigest()
    raise InputError(f"data set {name!r}: its registry entry has no checksum")


def native_resolution(name: str) -> int | None:
    """The data set's native side in pixels (``None`` when only decoding tells, e.g. folders)."""
    if is_synthetic(name):
        return SYNTHETIC[name][2]
    return get_spec(name).native_resolution or None
