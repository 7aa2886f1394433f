"""Reading the registered files into one pool of decoded images: checksums, npz, folders, zips.

A *pool* holds every image of a data set at its native resolution with its label, stable id and
official split (``""`` when the distributor publishes none). Splitting, de-duplication and
caching happen in :mod:`reproduce.datasets.load`.
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from reproduce.datasets.registry import (
    IMAGE_SUFFIXES,
    SPLIT_FOLDER_NAMES,
    DatasetError,
    DatasetSpec,
)
from reproduce.engine.env import progress
from review.errors import DatasetWarning, MissingPathError
from review.paths import external_data_dir

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
    if spec.source_url:
        return f"official copy: {spec.source_url}"
    return "this is a user folder; check its path"


def locate(spec: DatasetSpec, data_dir: Path | None = None) -> Path:
    """Return the path of a data set's (first) file or folder, checking that it exists.

    Parameters
    ----------
    spec : DatasetSpec
        The data set.
    data_dir : Path, optional
        Root of the data; default ``TLREVIEW_DATA_DIR``. Ignored for ``folder:PATH`` sets.

    Raises
    ------
    review.errors.MissingPathError
        Naming the expected file, its checksum and where to obtain it.
    """
    fs = spec.files[0]
    if spec.name.startswith("folder:"):
        path = Path(fs.relpath)
    else:
        root = Path(data_dir) if data_dir is not None else external_data_dir()
        path = root / fs.relpath
    if not path.exists():
        expected = f"sha256 {fs.sha256}" if fs.sha256 else "no checksum recorded"
        if fs.official_md5:
            expected += f" or official MD5 {fs.official_md5}"
        raise MissingPathError(
            f"{spec.name}: {path} not found (expected {expected}); {_how_to_get(spec)}; "
            "put it under TLREVIEW_DATA_DIR as " + fs.relpath
        )
    return path


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


def _split_and_class(rel: str, spec: DatasetSpec, nested: bool) -> tuple[str, str] | None:
    parts = rel.split("/")
    if nested:
        if len(parts) != 3 or parts[0].lower() not in SPLIT_FOLDER_NAMES:
            return None
        return SPLIT_FOLDER_NAMES[parts[0].lower()], parts[1]
    if len(parts) != 2:
        return None
    return "", parts[0]


def _decode(data: bytes, mode: str) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert(mode))


def _resize(a: np.ndarray, side: int) -> np.ndarray:
    if a.shape[0] == side and a.shape[1] == side:
        return a
    im = Image.fromarray(a)
    return np.asarray(im.resize((side, side), Image.Resampling.BICUBIC))


def _decode_all(
    items: list[tuple[str, Callable[[], bytes]]], mode: str, desc: str
) -> list[np.ndarray]:
    workers = max(1, min(8, os.cpu_count() or 1))

    def work(item: tuple[str, Callable[[], bytes]]) -> np.ndarray:
        rel, read = item
        try:
            return _decode(read(), mode)
        except (OSError, ValueError) as exc:  # PIL raises OSError/UnidentifiedImageError
            raise DatasetError(f"{desc}: cannot decode image {rel}: {exc}") from exc

    with ThreadPoolExecutor(max_workers=workers) as ex:
        return list(progress(ex.map(work, items), total=len(items), desc=f"decode {desc}"))


def _assemble(
    spec: DatasetSpec,
    where: Path,
    rels: list[str],
    arrays: list[np.ndarray],
    checksum: str,
    nested: bool,
) -> tuple[Pool, int, int]:
    classes = {c: i for i, c in enumerate(spec.classes)}
    side = spec.native_resolution
    if side == 0:
        sizes = {a.shape[:2] for a in arrays}
        only = next(iter(sizes))
        side = only[0] if len(sizes) == 1 and only[0] == only[1] else DEFAULT_FOLDER_RESOLUTION
    channels = spec.channels
    if channels == 0:
        channels = 1 if all(a.ndim == 2 or _is_grey(a) for a in arrays) else 3
    out = np.empty((len(arrays), side, side, channels), dtype=np.uint8)
    for i, a in enumerate(arrays):
        if channels == 1 and a.ndim == 3:
            a = a[..., 0]
        a = _resize(a, side)
        out[i] = a.reshape(side, side, channels)
    labels = np.empty(len(rels), dtype=np.int64)
    official = np.empty(len(rels), dtype=object)
    for i, rel in enumerate(rels):
        split, cls = _split_and_class(rel, spec, nested)  # type: ignore[misc]
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


def _select(rels: Iterable[str], spec: DatasetSpec, nested: bool, where: Path) -> list[str]:
    keep, unknown = [], set()
    for rel in sorted(rels):
        if not rel.lower().endswith(IMAGE_SUFFIXES):
            continue
        sc = _split_and_class(rel, spec, nested)
        if sc is None:
            continue
        if sc[1] not in spec.classes:
            unknown.add(sc[1])
            continue
        keep.append(rel)
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
    return keep


def _is_nested(spec: DatasetSpec, top_level: Iterable[str]) -> bool:
    tops = {t for t in top_level if not t.startswith(".")}
    return bool(tops) and all(t.lower() in SPLIT_FOLDER_NAMES for t in tops)


def folder_listing(spec: DatasetSpec, root: Path) -> tuple[list[str], bool]:
    """Image files of a folder data set.

    Returns
    -------
    rels : list of str
        Sorted POSIX paths relative to ``root`` of the images read.
    nested : bool
        Whether the layout is ``<split>/<class>/<image>`` (else ``<class>/<image>``).
    """
    nested = _is_nested(spec, [p.name for p in root.iterdir() if p.is_dir()])
    rels = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    return _select(rels, spec, nested, root), nested


def folder_checksum(spec: DatasetSpec, root: Path) -> str:
    """Manifest hash of a folder data set; warns (:class:`DatasetWarning`) if it differs."""
    rels, _ = folder_listing(spec, root)
    digest = manifest_hash((r, root / r) for r in rels)
    _check_folder_checksum(spec, root, digest)
    return digest


def read_folder(spec: DatasetSpec, root: Path, checksum: str) -> tuple[Pool, int, int]:
    """Decode a folder data set (``<class>/<image>`` or ``<split>/<class>/<image>``).

    Returns
    -------
    pool : Pool
    resolution : int
        Native side length used (the spec's, or for a user folder the common size, else 224).
    channels : int
        Channels decoded (the spec's, or for a user folder 1 when every image is grey).
    """
    rels, nested = folder_listing(spec, root)
    mode = "L" if spec.channels == 1 else "RGB"
    items = [(r, (root / r).read_bytes) for r in rels]
    arrays = _decode_all(items, mode, spec.name)
    return _assemble(spec, root, rels, arrays, checksum, nested)


def read_zip(spec: DatasetSpec, path: Path, checksum: str) -> tuple[Pool, int, int]:
    """Decode a zip of ``<split>/<class>/<image>`` entries without extracting it."""
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
        nested = _is_nested(spec, {n.split("/")[0] for n in names if "/" in n})
        rels = _select(names, spec, nested, path)
        blobs = {r: zf.read(r) for r in progress(rels, desc=f"read {spec.name} zip")}
    mode = "L" if spec.channels == 1 else "RGB"
    items = [(r, (lambda b=blobs[r]: b)) for r in rels]
    arrays = _decode_all(items, mode, spec.name)
    return _assemble(spec, path, rels, arrays, checksum, nested)
