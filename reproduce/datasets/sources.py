"""Reading the registered files into one pool of decoded images: checksums, npz, folders, zips.

A *pool* holds every image of a data set at its native resolution with its label, stable id and
official split (``""`` when the distributor publishes none). Splitting, de-duplication and
caching happen in :mod:`reproduce.datasets.load`.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from reproduce.datasets.registry import (
    EMBEDDED,
    IMAGE_SUFFIXES,
    SPLIT_FOLDER_NAMES,
    DatasetError,
    DatasetSpec,
)
from reproduce.engine.env import progress
from review.errors import DatasetWarning, MissingPathError
from review.paths import data_dir, download_dir, external_data_dir

#: Splits in evaluation order (a later split loses the duplicates of an earlier one).
SPLITS = ("train", "val", "test")

#: Side used for user folders whose images differ in size.
DEFAULT_FOLDER_RESOLUTION = 224


@dataclass(frozen=True)
class Pool:
    """Every image of a data set at native resolution.

    Attributes
    ----------
    images : np.ndarray
        uint8 (N, H, W, C).
    labels : np.ndarray
        int64 (N,).
    ids : np.ndarray
        str (N,), stable per image.
    official : np.ndarray
        str (N,): ``"train"``, ``"val"``, ``"test"`` or ``""`` (no official split).
    checksum : str
        sha256 of the source file, or manifest hash of the source folder.
    """

    images: np.ndarray
    labels: np.ndarray
    ids: np.ndarray
    official: np.ndarray
    checksum: str


def file_digests(path: Path, chunk: int = 1 << 20) -> tuple[str, str]:
    """Return ``(sha256, md5)`` hex digests of a file, read in chunks."""
    sha, md5 = hashlib.sha256(), hashlib.md5()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            sha.update(block)
            md5.update(block)
    return sha.hexdigest(), md5.hexdigest()


def manifest_hash(entries: Iterable[tuple[str, bytes | Path]]) -> str:
    """Manifest hash of a set of image files.

    Parameters
    ----------
    entries : iterable of (relpath, content)
        ``content`` is the file's bytes or its path.

    Returns
    -------
    str
        sha256 of the lines ``f"{relpath}\\t{sha256(content)}\\n"`` sorted by relpath.
    """
    lines = []
    for rel, content in entries:
        data = content.read_bytes() if isinstance(content, Path) else content
        lines.append(f"{rel}\t{hashlib.sha256(data).hexdigest()}\n")
    return hashlib.sha256("".join(sorted(lines)).encode()).hexdigest()


def _how_to_get(spec: DatasetSpec) -> str:
    if spec.name.startswith("folder:"):
        return "this is a user folder; check its path"
    if spec.source_url:
        return (
            f"official copy: {spec.source_url} (or `tlreview reproduce fetch {spec.name}` on a "
            "machine with internet)"
        )
    return "no download source recorded"


def embedded_path(spec: DatasetSpec) -> Path | None:
    """The copy shipped inside the repository (``data/embedded/``), if the data set has one."""
    rel = EMBEDDED.get(spec.name)
    return data_dir() / rel if rel else None


_NOTED: set[str] = set()


def _note_once(key: str, text: str) -> None:
    if key not in _NOTED:
        _NOTED.add(key)
        print(text, file=sys.stderr)


def candidate_paths(spec: DatasetSpec, data_dir: Path | None = None) -> list[tuple[str, Path]]:
    """Where a registered data set is looked for, in order: ``(where, path)`` pairs.

    ``data_dir`` (or ``TLREVIEW_DATA_DIR``) first; when neither is given, the download folder
    of ``tlreview reproduce fetch`` (:func:`download_dir`); last the copy shipped in
    ``data/embedded/`` (BreastMNIST only).
    """
    fs = spec.files[0]
    out: list[tuple[str, Path]] = []
    if data_dir is not None:
        out.append(("data_dir", Path(data_dir) / fs.relpath))
    else:
        try:
            out.append(("TLREVIEW_DATA_DIR", external_data_dir() / fs.relpath))
        except MissingPathError:
            out.append(("download folder", download_dir() / fs.relpath))
    emb = embedded_path(spec)
    if emb is not None:
        out.append(("embedded", emb))
    return out


def locate(spec: DatasetSpec, data_dir: Path | None = None) -> Path:
    """Return the path of a data set's (first) file or folder, checking that it exists.

    Parameters
    ----------
    spec : DatasetSpec
        The data set.
    data_dir : Path, optional
        Root of the data; default ``TLREVIEW_DATA_DIR`` (when unset: the download folder of
        ``tlreview reproduce fetch``). Ignored for ``folder:PATH`` sets. A data set shipped in
        ``data/embedded/`` (BreastMNIST) is used when the file is not found there; a line on
        standard error says so.

    Raises
    ------
    review.errors.MissingPathError
        Naming the expected file, its checksum and where to obtain it.
    """
    fs = spec.files[0]
    if spec.name.startswith("folder:"):
        path = Path(fs.relpath)
        if not path.exists():
            raise MissingPathError(f"{spec.name}: {path} not found; {_how_to_get(spec)}")
        return path
    tried = candidate_paths(spec, data_dir)
    for where, path in tried:
        if path.exists():
            if where == "embedded":
                _note_once(
                    spec.name,
                    f"{spec.name}: using the copy shipped with tlreview ({path}; CC BY 4.0, "
                    f"see data/README.md): {tried[0][1]} not found",
                )
            return path
    expected = f"sha256 {fs.sha256}" if fs.sha256 else "no checksum recorded"
    if fs.official_md5:
        expected += f" or official MD5 {fs.official_md5}"
    first_where, first = tried[0]
    unset = ""
    if first_where == "download folder":
        unset = "TLREVIEW_DATA_DIR is not set; "
    raise MissingPathError(
        f"{spec.name}: {unset}{first} not found (expected {expected}); {_how_to_get(spec)}; "
        "put it under TLREVIEW_DATA_DIR as " + fs.relpath
    )


def verify_file(spec: DatasetSpec, path: Path) -> str:
    """Check a data file's checksum; return its sha256.

    A file passes when its sha256 equals the recorded one (the copy used here) or its MD5 equals
    the distributor's official MD5.

    Raises
    ------
    DatasetError
        Naming the file, the expected and actual checksums and how to obtain the official file.
    """
    fs = spec.files[0]
    sha, md5 = file_digests(path)
    if (fs.sha256 and sha == fs.sha256) or (fs.official_md5 and md5 == fs.official_md5):
        return sha
    if not fs.sha256 and not fs.official_md5:
        return sha
    raise DatasetError(
        f"{spec.name}: checksum mismatch for {path}: expected sha256 {fs.sha256 or '-'} "
        f"(copy used by this project) or official MD5 {fs.official_md5 or '-'}; got sha256 "
        f"{sha}, MD5 {md5}; {_how_to_get(spec)}"
    )


def _check_folder_checksum(spec: DatasetSpec, path: Path, digest: str) -> None:
    fs = spec.files[0]
    if fs.sha256 and digest != fs.sha256:
        warnings.warn(
            f"{spec.name}: {path} has manifest hash {digest}, the copy used by this project has "
            f"{fs.sha256} ({fs.note}); results may differ from the recorded ones",
            DatasetWarning,
            stacklevel=4,
        )


# --------------------------------------------------------------------------------------- npz


def _as_label_vector(labels: np.ndarray, path: Path, key: str) -> np.ndarray:
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1:
        raise DatasetError(
            f"{path}: {key} has shape {labels.shape}; expected (N,) or (N, 1) (single-label)"
        )
    return labels.astype(np.int64)


def read_npz(spec: DatasetSpec, path: Path, checksum: str) -> Pool:
    """Read a MedMNIST-style ``.npz`` (``{split}_images``, ``{split}_labels``).

    Images must be uint8 (N, R, R) or (N, R, R, C) with ``R = spec.native_resolution`` and
    ``C = spec.channels``; labels (N,) or (N, 1) with values in ``[0, n_classes)``; N equal to
    ``spec.expected_counts[split]`` when recorded.

    Raises
    ------
    DatasetError
        Naming the file, the key, the expected and the actual shape.
    """
    res, ch = spec.native_resolution, spec.channels
    images, labels, ids, official = [], [], [], []
    with np.load(path, allow_pickle=False) as z:
        keys = set(z.files)
        for split in SPLITS:
            ik, lk = f"{split}_images", f"{split}_labels"
            if ik not in keys or lk not in keys:
                raise DatasetError(
                    f"{path}: missing key {ik if ik not in keys else lk}; expected "
                    f"{{train,val,test}}_{{images,labels}}, found {sorted(keys)}"
                )
            x, y = z[ik], z[lk]
            if x.ndim == 3:
                x = x[..., None]
            want = (res, res, ch)
            if x.dtype != np.uint8 or x.ndim != 4 or x.shape[1:] != want:
                shapes = f"(N, {res}, {res})" if ch == 1 else f"(N, {res}, {res}, {ch})"
                raise DatasetError(
                    f"{path}: {ik} has shape {z[ik].shape} dtype {z[ik].dtype}; expected uint8 "
                    f"{shapes}"
                )
            y = _as_label_vector(y, path, lk)
            if len(y) != len(x):
                raise DatasetError(f"{path}: {ik} has {len(x)} images but {lk} has {len(y)} labels")
            n_expected = spec.expected_counts.get(split)
            if n_expected is not None and len(x) != n_expected:
                raise DatasetError(
                    f"{path}: {ik} has {len(x)} images; expected {n_expected} (official count); "
                    f"{_how_to_get(spec)}"
                )
            if len(y) and (y.min() < 0 or y.max() >= spec.n_classes):
                raise DatasetError(
                    f"{path}: {lk} has labels in [{y.min()}, {y.max()}]; expected "
                    f"0..{spec.n_classes - 1} ({', '.join(spec.classes)})"
                )
            images.append(x)
            labels.append(y)
            ids.append(np.array([f"npz:{split}:{i}" for i in range(len(x))]))
            official.append(np.full(len(x), split))
    return Pool(
        images=np.concatenate(images),
        labels=np.concatenate(labels),
        ids=np.concatenate(ids),
        official=np.concatenate(official),
        checksum=checksum,
    )


# ------------------------------------------------------------------------- folders and zips

#: How non-square images become square: ``squash`` (resize, aspect ratio not kept; the
#: default), ``pad`` (centre on a black square, then resize), ``crop`` (centre square, then
#: resize).
RESIZE_MODES = ("squash", "pad", "crop")

#: Folder names never read (operating-system and archive clutter).
_IGNORED_PARTS = ("__MACOSX",)

#: Bit depths a high-bit-depth image is scaled by when its file records none (PNG ``sBIT``):
#: the smallest that holds the data set's largest value.
_DEPTHS = (8, 10, 12, 14, 16)


@dataclass(frozen=True)
class ImageInfo:
    """What one image file holds, as decoded.

    Attributes
    ----------
    width, height : int
        Size in pixels as stored.
    mode : str
        PIL mode as stored (``"L"``, ``"RGB"``, ``"I;16"``, ...).
    bits : int
        Bits per sample as stored (8, or 16 for 16-bit PNG/TIFF).
    significant_bits : int
        Significant bits the file records (PNG ``sBIT`` chunk); 0 when it records none.
    """

    width: int
    height: int
    mode: str
    bits: int
    significant_bits: int = 0


@dataclass(frozen=True)
class Decoded:
    """The images of a folder or zip data set, decoded and scaled to uint8, before resizing.

    Attributes
    ----------
    rels : list of str
        Relative paths (POSIX) of the images, sorted.
    nested : bool
        Layout ``<split>/<class>/<image>`` (else ``<class>/<image>``).
    arrays : list of np.ndarray
        uint8 (H, W) or (H, W, C) per image, at the size stored.
    infos : list of ImageInfo
        What each file held.
    high_depth_bits : int
        Bit depth that high-bit-depth images without an ``sBIT`` chunk were scaled by (0 if
        there were none).
    deep : list of str
        Images found below their class folder (``<class>/<sub>/.../<image>``), read as that
        class.
    """

    rels: list[str]
    nested: bool
    arrays: list[np.ndarray]
    infos: list[ImageInfo]
    high_depth_bits: int
    deep: list[str]


def _split_and_class(rel: str, spec: DatasetSpec, nested: bool) -> tuple[str, str] | None:
    """Split and class of an image path; images deeper than the class folder keep its class."""
    parts = rel.split("/")
    if nested:
        if len(parts) < 3 or parts[0].lower() not in SPLIT_FOLDER_NAMES:
            return None
        return SPLIT_FOLDER_NAMES[parts[0].lower()], parts[1]
    if len(parts) < 2:
        return None
    return "", parts[0]


def _png_chunks(data: bytes) -> tuple[int, int, int]:
    """``(bit depth, colour type, sBIT maximum)`` of a PNG (zeros when not a PNG)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 33:
        return 0, 0, 0
    depth, colour = data[24], data[25]
    pos, sbit = 8, 0
    while pos + 8 <= len(data):
        n = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if kind == b"sBIT":
            sbit = max(data[pos + 8 : pos + 8 + n], default=0)
            break
        if kind in (b"IDAT", b"IEND"):
            break
        pos += 12 + n
    return depth, colour, sbit


_HIGH_DEPTH_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I")


def _decode(data: bytes, mode: str) -> tuple[np.ndarray, ImageInfo]:
    """Decode one image file.

    Returns
    -------
    array : np.ndarray
        uint8 in ``mode`` (``"L"`` or ``"RGB"``) for 8-bit images; for 16-bit grey images the
        raw uint16 samples (H, W), scaled later by :func:`_scale_high_depth`.
    info : ImageInfo

    Raises
    ------
    ValueError
        With a message that names no Python object (the caller adds the file name).
    """
    if not data:
        raise ValueError("empty file (0 bytes)")
    depth, colour, sbit = _png_chunks(data)
    try:
        im = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ValueError(
            f"{_clean(exc)}; images this large are refused (PIL's decompression-bomb limit); "
            "downscale it first"
        ) from None
    except Image.UnidentifiedImageError:
        raise ValueError(
            f"not an image PIL can read ({len(data)} bytes; truncated, or not an image format "
            f"it knows: {', '.join(IMAGE_SUFFIXES)})"
        ) from None
    with im:
        try:
            im.load()
        except Image.DecompressionBombError as exc:
            raise ValueError(f"{_clean(exc)}; downscale it first") from None
        info = ImageInfo(
            width=im.width,
            height=im.height,
            mode=im.mode,
            bits=depth if depth else (16 if im.mode in _HIGH_DEPTH_MODES else 8),
            significant_bits=sbit,
        )
        if im.mode in _HIGH_DEPTH_MODES:
            a = np.asarray(im)
            if a.min() < 0 or a.max() > 65535:
                raise ValueError(
                    f"{im.mode} image with values in [{a.min()}, {a.max()}]; expected 8- or "
                    "16-bit unsigned samples"
                )
            return a.astype(np.uint16), info
        if im.mode in ("F", "I;32", "I;32B", "I;32L"):
            raise ValueError(
                f"{im.mode} (32-bit) image; expected 8- or 16-bit samples (convert it to an "
                "8- or 16-bit PNG first)"
            )
        if colour in (2, 6) and depth == 16:  # PIL keeps the high byte of 16-bit colour
            info = ImageInfo(im.width, im.height, f"{im.mode};16", 16, sbit)
        return np.asarray(im.convert(mode)), info


_OBJECT_REPR = re.compile(r"<[\w.]+ object at 0x[0-9a-fA-F]+>")


def _clean(exc: BaseException) -> str:
    """An exception's message without ``<... object at 0x...>`` reprs."""
    text = _OBJECT_REPR.sub("the file", str(exc)) or type(exc).__name__
    return text.rstrip(".")


def _scale_high_depth(
    arrays: list[np.ndarray], infos: list[ImageInfo], mode: str
) -> tuple[list[np.ndarray], int]:
    """Scale 16-bit samples to uint8 by their real bit depth.

    A file's ``sBIT`` chunk gives its depth; without one, the data set's depth is the smallest
    of 8, 10, 12, 14, 16 bits that holds the largest value of those files (a 12-bit scan stored
    in 16-bit PNGs is scaled by 4095, not 65535, and not clipped at 255 either).

    Returns
    -------
    arrays : list of np.ndarray
        uint8 (H, W) (``mode="L"``) or (H, W, 3) (``mode="RGB"``).
    inferred : int
        The depth used for files without ``sBIT`` (0 when there were none).
    """
    high = [i for i, a in enumerate(arrays) if a.dtype == np.uint16]
    unmarked = [i for i in high if not infos[i].significant_bits]
    inferred = 0
    if unmarked:
        top = max(int(arrays[i].max()) for i in unmarked)
        inferred = next(b for b in _DEPTHS if top < (1 << b))
    out = list(arrays)
    for i in high:
        bits = infos[i].significant_bits or inferred
        a = arrays[i].astype(np.float64) * (255.0 / ((1 << bits) - 1))
        a8 = np.clip(np.rint(a), 0, 255).astype(np.uint8)
        out[i] = np.repeat(a8[..., None], 3, axis=-1) if mode == "RGB" else a8
    return out, inferred


def _to_square(a: np.ndarray, side: int, how: str = "squash") -> np.ndarray:
    """Resize one uint8 image to ``side`` x ``side`` (see :data:`RESIZE_MODES`)."""
    h, w = a.shape[:2]
    if h != w and how == "crop":
        m = min(h, w)
        top, left = (h - m) // 2, (w - m) // 2
        a = a[top : top + m, left : left + m]
    elif h != w and how == "pad":
        m = max(h, w)
        canvas = np.zeros((m, m, *a.shape[2:]), dtype=a.dtype)
        top, left = (m - h) // 2, (m - w) // 2
        canvas[top : top + h, left : left + w] = a
        a = canvas
    if a.shape[0] == side and a.shape[1] == side:
        return a
    im = Image.fromarray(a)
    return np.asarray(im.resize((side, side), Image.Resampling.BICUBIC))


def _resize(a: np.ndarray, side: int) -> np.ndarray:
    return _to_square(a, side, "squash")


def _decode_all(
    items: list[tuple[str, Callable[[], bytes]]], mode: str, desc: str, where: Path | str = ""
) -> tuple[list[np.ndarray], list[ImageInfo]]:
    """Decode every image; every file that fails is named in ONE :class:`DatasetError`."""
    workers = max(1, min(8, os.cpu_count() or 1))

    def work(item: tuple[str, Callable[[], bytes]]) -> tuple[np.ndarray, ImageInfo] | str:
        rel, read = item
        try:
            return _decode(read(), mode)
        except (OSError, ValueError, SyntaxError) as exc:  # PIL: OSError, ValueError, ...
            return f"{rel}: {_clean(exc)}"

    with ThreadPoolExecutor(max_workers=workers) as ex:
        done = list(progress(ex.map(work, items), total=len(items), desc=f"decode {desc}"))
    bad = [d for d in done if isinstance(d, str)]
    if bad:
        root = f" under {where}" if where else ""
        more = f"\n... and {len(bad) - 20} more" if len(bad) > 20 else ""
        raise DatasetError(
            f"{desc}: cannot decode {len(bad)} of {len(items)} image(s){root}; fix or remove "
            "them:\n" + "\n".join(f"{desc}: cannot decode {b}" for b in bad[:20]) + more
        )
    arrays = [d[0] for d in done]  # type: ignore[index]
    infos = [d[1] for d in done]  # type: ignore[index]
    return arrays, infos


def _assemble(
    spec: DatasetSpec,
    where: Path,
    decoded: Decoded,
    checksum: str,
    resize: str = "squash",
) -> tuple[Pool, int, int]:
    rels, arrays = decoded.rels, decoded.arrays
    classes = {c: i for i, c in enumerate(spec.classes)}
    side = spec.native_resolution
    if side == 0:
        side = folder_resolution(arrays)
    channels = spec.channels
    if channels == 0:
        channels = 1 if all(a.ndim == 2 or _is_grey(a) for a in arrays) else 3
    out = np.empty((len(arrays), side, side, channels), dtype=np.uint8)
    for i, a in enumerate(arrays):
        if channels == 1 and a.ndim == 3:
            a = a[..., 0]
        elif channels == 3 and a.ndim == 2:
            a = np.repeat(a[..., None], 3, axis=-1)
        a = _to_square(a, side, resize)
        out[i] = a.reshape(side, side, channels)
    labels = np.empty(len(rels), dtype=np.int64)
    official = np.empty(len(rels), dtype=object)
    for i, rel in enumerate(rels):
        split, cls = _split_and_class(rel, spec, decoded.nested)  # type: ignore[misc]
        labels[i] = classes[cls]
        official[i] = split
    pool = Pool(
        images=out,
        labels=labels,
        ids=np.array(rels, dtype=str),
        official=official.astype(str),
        checksum=checksum,
    )
    _check_counts(spec, where, pool)
    return pool, side, channels


def folder_resolution(arrays: list[np.ndarray]) -> int:
    """Side used for a user folder: the images' common square size, else 224 px."""
    sizes = {a.shape[:2] for a in arrays}
    only = next(iter(sizes))
    return only[0] if len(sizes) == 1 and only[0] == only[1] else DEFAULT_FOLDER_RESOLUTION


def _is_grey(a: np.ndarray) -> bool:
    return bool((a[..., 0] == a[..., 1]).all() and (a[..., 1] == a[..., 2]).all())


def _check_counts(spec: DatasetSpec, where: Path, pool: Pool) -> None:
    if not spec.local_counts:
        return
    for split, want in spec.local_counts.items():
        mask = np.ones(len(pool.labels), bool) if split == "all" else pool.official == split
        got = tuple(int((pool.labels[mask] == k).sum()) for k in range(spec.n_classes))
        if got != tuple(want):
            warnings.warn(
                f"{spec.name}: {where} has per-class counts {got} in split {split!r}; the copy "
                f"used by this project has {tuple(want)} (published total: "
                f"{spec.expected_counts.get(split, 'n/a')})",
                DatasetWarning,
                stacklevel=4,
            )


def _hidden(rel: str) -> bool:
    return any(p.startswith(".") or p in _IGNORED_PARTS for p in rel.split("/"))


def _select(
    rels: Iterable[str], spec: DatasetSpec, nested: bool, where: Path
) -> tuple[list[str], list[str]]:
    """Image files of the layout, and those of them deeper than their class folder."""
    keep, deep, unknown = [], [], set()
    skip = re.compile(spec.exclude) if spec.exclude else None
    for rel in sorted(rels):
        if not rel.lower().endswith(IMAGE_SUFFIXES) or _hidden(rel):
            continue
        if skip is not None and skip.search(rel.rsplit("/", 1)[-1]):
            continue
        sc = _split_and_class(rel, spec, nested)
        if sc is None:
            continue
        if sc[1] not in spec.classes:
            unknown.add(sc[1])
            continue
        keep.append(rel)
        if rel.count("/") > (2 if nested else 1):
            deep.append(rel)
    if unknown:
        raise DatasetError(
            f"{spec.name}: {where} has class folder(s) {sorted(unknown)} not in the registry's "
            f"classes {list(spec.classes)}"
        )
    if not keep:
        raise DatasetError(
            f"{spec.name}: no images ({', '.join(IMAGE_SUFFIXES)}) found under {where} in the "
            "layout <class>/<image> or <split>/<class>/<image>"
        )
    return keep, deep


def _is_nested(spec: DatasetSpec, top_level: Iterable[str]) -> bool:
    tops = {t for t in top_level if not t.startswith(".") and t not in _IGNORED_PARTS}
    return bool(tops) and all(t.lower() in SPLIT_FOLDER_NAMES for t in tops)


def _check_class_folders(
    spec: DatasetSpec, where: Path, rels: list[str], nested: bool, folders: Iterable[str]
) -> None:
    """Every class folder must hold images, and every class must have training images."""
    used = {"/".join(r.split("/")[: 2 if nested else 1]) for r in rels}
    empty = sorted(f for f in folders if f not in used)
    if empty:
        raise DatasetError(
            f"{spec.name}: class folder {where / empty[0]} holds no images "
            f"({', '.join(IMAGE_SUFFIXES)}); remove the empty folder(s) "
            f"{', '.join(str(where / e) for e in empty)} or add images (an empty folder would "
            "become a class with no examples)"
        )
    if nested:
        by_split: dict[str, set[str]] = {}
        for r in rels:
            split, cls = _split_and_class(r, spec, True)  # type: ignore[misc]
            by_split.setdefault(split, set()).add(cls)
        missing = sorted(set(spec.classes) - by_split.get("train", set()))
        if missing and "train" in by_split:
            raise DatasetError(
                f"{spec.name}: {where} has no training images of class(es) {missing}; expected "
                "every class folder under the training split folder"
            )


def _warn_deep(spec: DatasetSpec, where: Path, deep: list[str], total: int) -> None:
    if deep:
        warnings.warn(
            f"{spec.name}: {len(deep)} of {total} images sit in sub-folders of their class "
            f"folder (e.g. {deep[0]}) under {where}; each is read as the class of the folder "
            "directly below the data set (or split) folder",
            DatasetWarning,
            stacklevel=4,
        )


def folder_listing(spec: DatasetSpec, root: Path) -> tuple[list[str], bool]:
    """Image files of a folder data set.

    Images may sit below their class folder (``<class>/<sub>/<image>``): they keep the class
    (a :class:`DatasetWarning` says how many). A class folder without images is an error.

    Returns
    -------
    rels : list of str
        Sorted POSIX paths relative to ``root`` of the images read.
    nested : bool
        Whether the layout is ``<split>/<class>/<image>`` (else ``<class>/<image>``).

    Raises
    ------
    DatasetError
        Unknown or empty class folders, no images at all, or a class without training images.
    """
    rels, nested, _ = _listing(spec, root)
    return rels, nested


def _listing(spec: DatasetSpec, root: Path) -> tuple[list[str], bool, list[str]]:
    nested = _is_nested(spec, [p.name for p in root.iterdir() if p.is_dir()])
    files, folders = [], []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not _hidden(d))
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        depth = 0 if rel_dir == "." else rel_dir.count("/") + 1
        if depth == (2 if nested else 1):
            folders.append(rel_dir)
        files.extend(f if rel_dir == "." else f"{rel_dir}/{f}" for f in filenames)
    rels, deep = _select(files, spec, nested, root)
    if nested:
        folders = [f for f in folders if f.split("/")[0].lower() in SPLIT_FOLDER_NAMES]
    _check_class_folders(spec, root, rels, nested, folders)
    return rels, nested, deep


def folder_checksum(spec: DatasetSpec, root: Path) -> str:
    """Manifest hash of a folder data set; warns (:class:`DatasetWarning`) if it differs."""
    rels, _ = folder_listing(spec, root)
    digest = manifest_hash((r, root / r) for r in rels)
    _check_folder_checksum(spec, root, digest)
    return digest


def _mode(spec: DatasetSpec) -> str:
    return "L" if spec.channels == 1 else "RGB"


def decode_folder(spec: DatasetSpec, root: Path) -> Decoded:
    """Decode every image of a folder data set (no resizing); see :class:`Decoded`.

    Raises
    ------
    DatasetError
        Layout problems (see :func:`folder_listing`), or files that cannot be decoded (all of
        them named in one error).
    """
    rels, nested, deep = _listing(spec, root)
    _warn_deep(spec, root, deep, len(rels))
    items = [(r, (root / r).read_bytes) for r in rels]
    arrays, infos = _decode_all(items, _mode(spec), spec.name, root)
    arrays, bits = _scale_high_depth(arrays, infos, _mode(spec))
    return Decoded(rels, nested, arrays, infos, bits, deep)


def read_folder(
    spec: DatasetSpec, root: Path, checksum: str, resize: str = "squash"
) -> tuple[Pool, int, int]:
    """Decode a folder data set (``<class>/<image>`` or ``<split>/<class>/<image>``).

    Parameters
    ----------
    spec : DatasetSpec
    root : Path
    checksum : str
        Manifest hash of the folder.
    resize : {"squash", "pad", "crop"}
        How non-square images become square (see :data:`RESIZE_MODES`).

    Returns
    -------
    pool : Pool
    resolution : int
        Native side length used (the spec's, or for a user folder the common size, else 224).
    channels : int
        Channels decoded (the spec's, or for a user folder 1 when every image is grey).
    """
    return _assemble(spec, root, decode_folder(spec, root), checksum, resize)


def decode_zip(spec: DatasetSpec, path: Path) -> Decoded:
    """Decode every image of a zip of ``<split>/<class>/<image>`` entries without extracting."""
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
        nested = _is_nested(spec, {n.split("/")[0] for n in names if "/" in n})
        rels, deep = _select(names, spec, nested, path)
        blobs = {r: zf.read(r) for r in progress(rels, desc=f"read {spec.name} zip")}
    _warn_deep(spec, path, deep, len(rels))
    items = [(r, (lambda b=blobs[r]: b)) for r in rels]
    arrays, infos = _decode_all(items, _mode(spec), spec.name, path)
    arrays, bits = _scale_high_depth(arrays, infos, _mode(spec))
    return Decoded(rels, nested, arrays, infos, bits, deep)


def read_zip(
    spec: DatasetSpec, path: Path, checksum: str, resize: str = "squash"
) -> tuple[Pool, int, int]:
    """Decode a zip of ``<split>/<class>/<image>`` entries without extracting it."""
    return _assemble(spec, path, decode_zip(spec, path), checksum, resize)
