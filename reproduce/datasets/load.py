"""Loading a data set as train/val/test arrays: caching, splitting, exact-duplicate detection.

Pipeline of :func:`load_splits`:

1. locate and checksum the source (``TLREVIEW_DATA_DIR`` or ``folder:PATH``);
2. decode every image once at native resolution, cached as uint8 under
   ``cache_dir()/datasets/<name>/<resolution>.npz`` together with the source checksum and a
   content hash of every image's decoded pixels (a cache whose checksum differs is rebuilt);
3. assign splits: official where published; otherwise stratified and seeded (70/10/20, or a
   validation split of 10 % carved from an official training split), *grouped by pixel hash* so
   all copies of an image land in the same split. Seeded splits are written to
   ``cache_dir()/splits/<name>-seed<seed>.csv`` (columns ``id, split``) and reused;
   Where the split is drawn here, near duplicates (:mod:`reproduce.datasets.neardup`) are
   grouped with their originals as well (split files ``...-seed<seed>-near.csv``);
4. exact duplicates: an image whose pixels also occur in an earlier split (train < val < test)
   is removed from its evaluation split (``dedup="exact"``, the default); duplicates within a
   split are kept; both, and identical images with different labels, are counted per split and
   class in :attr:`SplitData.dedup`. Near duplicates across splits (possible only where the
   split is official) are reported and kept, or removed with ``dedup="strict"``. Nothing is
   dropped silently;
5. resize (PIL, bicubic, antialiased) when another resolution is asked for, cached likewise.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from reproduce.datasets import neardup
from reproduce.datasets.arrays import ImageArrays, SplitData, dedup_frame
from reproduce.datasets.checksum import native_resolution
from reproduce.datasets.pack import pack_dataset
from reproduce.datasets.registry import DatasetError, DatasetSpec, get_spec
from reproduce.datasets.sources import (
    RESIZE_MODES,
    SPLITS,
    DatasetWarning,
    Pool,
    file_digests,
    folder_checksum,
    locate,
    read_folder,
    read_npz,
    read_zip,
    verify_file,
)
from reproduce.datasets.synthetic import SyntheticSplits, is_synthetic, synthetic_splits
from reproduce.engine.env import progress
from review.paths import cache_dir

#: Fractions (train, val, test) of a data set without an official split.
NO_SPLIT_FRACTIONS = (0.7, 0.1, 0.2)
#: Fraction of an official training split carved out as validation split.
VAL_FRACTION_OF_TRAIN = 0.1
#: Fraction of an official training split carved out as test split (user folder without test).
TEST_FRACTION_OF_TRAIN = 0.2

REASON_CROSS = "exact duplicate of an image in an earlier split"
REASON_WITHIN = "exact duplicate within the split (kept)"
REASON_CONFLICT = "same pixels as an image with another label (kept)"
REASON_NEAR_CROSS = "near duplicate of an image in an earlier split"
REASON_NEAR_WITHIN = "near duplicate within the split (kept)"

#: Values of ``dedup``: ``exact`` removes exact duplicates of an earlier split's images from the
#: later split (default); ``strict`` removes near duplicates too; ``off`` removes nothing. All
#: three report everything found.
DEDUP_POLICIES = ("exact", "strict", "off")


def dedup_policy(value: bool | str) -> str:
    """Normalise a ``dedup`` argument (``True`` = ``"exact"``, ``False`` = ``"off"``).

    Raises
    ------
    DatasetError
        For a value outside :data:`DEDUP_POLICIES` and booleans.
    """
    if value is True:
        return "exact"
    if value is False:
        return "off"
    if value in DEDUP_POLICIES:
        return str(value)
    raise DatasetError(f"dedup={value!r}: expected one of {', '.join(DEDUP_POLICIES)}")


def cache_slug(spec: DatasetSpec) -> str:
    """File-system-safe name of a data set for cache paths."""
    if spec.name.startswith("folder:"):
        path = spec.name[len("folder:") :]
        digest = hashlib.sha1(path.encode()).hexdigest()[:8]
        base = "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(path).name)
        return f"folder-{base}-{digest}"
    return spec.name


def dataset_cache_dir(spec: DatasetSpec, resize: str = "squash") -> Path:
    """``cache_dir()/datasets/<slug>[-<resize>]``: decoded arrays of one data set."""
    suffix = "" if resize == "squash" else f"-{resize}"
    return cache_dir() / "datasets" / f"{cache_slug(spec)}{suffix}"


def split_file_path(spec: DatasetSpec, seed: int, official: bool, near: bool = False) -> Path:
    """Where the split of a data set is written.

    ``-official`` when nothing is random; ``-seed<seed>-near`` when the seeded split kept
    near-duplicate groups together, ``-seed<seed>`` when it grouped exact duplicates only.
    """
    tag = "official" if official else f"seed{seed}{'-near' if near else ''}"
    return cache_dir() / "splits" / f"{cache_slug(spec)}-{tag}.csv"


def pixel_hashes(images: np.ndarray) -> np.ndarray:
    """Content hash (blake2b-128 of shape and bytes, hex) of every image's decoded pixels."""
    out = np.empty(len(images), dtype="<U32")
    for i, a in enumerate(images):
        h = hashlib.blake2b(digest_size=16)
        h.update(str(a.shape).encode())
        h.update(np.ascontiguousarray(a).tobytes())
        out[i] = h.hexdigest()
    return out


def _atomic_savez(path: Path, **arrays: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ----------------------------------------------------------------------------- native pool


def source_checksum(spec: DatasetSpec, data_dir: Path | None = None) -> str:
    """Checksum of a data set's source as read now (verified against the registry for files).

    Raises
    ------
    review.errors.MissingPathError
        If the file or folder is missing.
    DatasetError
        If a file's checksum matches neither the recorded nor the official one.
    """
    path = locate(spec, data_dir)
    if spec.kind == "npz":
        return verify_file(spec, path)
    if spec.kind == "zip":
        checksum = file_digests(path)[0]
        fs = spec.files[0]
        if fs.sha256 and checksum != fs.sha256:
            raise DatasetError(
                f"{spec.name}: checksum mismatch for {path}: expected sha256 {fs.sha256}, got "
                f"{checksum} ({fs.note}); official copy: {spec.source_url}"
            )
        return checksum
    return folder_checksum(spec, path)


def _read_pool(
    spec: DatasetSpec, data_dir: Path | None, checksum: str, resize: str
) -> tuple[Pool, int]:
    path = locate(spec, data_dir)
    if spec.kind == "npz":
        return read_npz(spec, path, checksum), spec.native_resolution
    if spec.kind == "zip":
        pool, side, _ = read_zip(spec, path, checksum, resize)
        return pool, side
    pool, side, _ = read_folder(spec, path, checksum, resize)
    return pool, side


def load_native(
    spec: DatasetSpec, data_dir: Path | None = None, resize: str = "squash"
) -> tuple[Pool, int, np.ndarray]:
    """Decoded images of a data set at native resolution, from the cache when it is current.

    Parameters
    ----------
    spec : DatasetSpec
        The data set.
    data_dir : Path, optional
        Root of the data (default ``TLREVIEW_DATA_DIR``).
    resize : {"squash", "pad", "crop"}
        How non-square images of a folder become square (cached separately per mode).

    Returns
    -------
    pool : Pool
        All images with labels, ids, official splits and the source checksum.
    resolution : int
        Native side length.
    hashes : np.ndarray
        Pixel hash of every image (see :func:`pixel_hashes`).
    """
    if resize not in RESIZE_MODES:
        raise DatasetError(f"resize={resize!r}: expected one of {', '.join(RESIZE_MODES)}")
    cdir = dataset_cache_dir(spec, resize)
    meta_path = cdir / "native.json"
    checksum = source_checksum(spec, data_dir)
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        npz = cdir / f"{meta['resolution']}.npz"
        if meta.get("checksum") == checksum and npz.exists():
            with np.load(npz, allow_pickle=False) as z:
                if str(z["checksum"]) == checksum and "hashes" in z.files:
                    pool = Pool(
                        images=z["images"],
                        labels=z["labels"],
                        ids=z["ids"],
                        official=z["official"],
                        checksum=checksum,
                    )
                    return pool, int(meta["resolution"]), z["hashes"]
    pool, side = _read_pool(spec, data_dir, checksum, resize)
    hashes = pixel_hashes(pool.images)
    _atomic_savez(
        cdir / f"{side}.npz",
        images=pool.images,
        labels=pool.labels,
        ids=pool.ids,
        official=pool.official,
        hashes=hashes,
        checksum=np.array(pool.checksum),
    )
    _atomic_write_text(
        meta_path,
        json.dumps(
            {"checksum": pool.checksum, "resolution": side, "channels": pool.images.shape[-1]}
        ),
    )
    return pool, side, hashes


def near_duplicate_pairs(
    spec: DatasetSpec, pool: Pool, resize: str = "squash"
) -> np.ndarray | None:
    """Confirmed near-duplicate pairs of a data set's images (cached next to its arrays).

    Returns
    -------
    np.ndarray or None
        int64 (P, 2) index pairs into the pool (exact duplicates included), or None when the
        data set has more than :data:`reproduce.datasets.neardup.MAX_IMAGES` images (a
        :class:`DatasetWarning` says that it was not searched).
    """
    n = len(pool.ids)
    if n > neardup.MAX_IMAGES:
        warnings.warn(
            f"{spec.name}: {n} images, more than {neardup.MAX_IMAGES}: not searched for near "
            "duplicates (exact duplicates are still found)",
            DatasetWarning,
            stacklevel=3,
        )
        return None
    path = dataset_cache_dir(spec, resize) / "near.npz"
    params = np.array([neardup.MAX_DISTANCE, neardup.MAX_MAD, n], dtype=np.float64)
    if path.exists():
        with np.load(path, allow_pickle=False) as z:
            if str(z["checksum"]) == pool.checksum and np.array_equal(z["params"], params):
                return z["pairs"]
    pairs = neardup.near_pairs(pool.images)
    _atomic_savez(path, pairs=pairs, params=params, checksum=np.array(pool.checksum))
    return pairs


def duplicate_groups(hashes: np.ndarray, pairs: np.ndarray | None) -> np.ndarray:
    """Group id per image joining exact duplicates (same pixel hash) and near-duplicate pairs."""
    _, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
    exact = np.stack([first[inverse], np.arange(len(hashes))], axis=1)
    exact = exact[exact[:, 0] != exact[:, 1]]
    both = exact if pairs is None else np.concatenate([exact, pairs.reshape(-1, 2)])
    return neardup.near_groups(len(hashes), both)


# ----------------------------------------------------------------------------------- splits


def stratified_group_split(
    labels: np.ndarray, groups: np.ndarray, fractions: dict[str, float], seed: int
) -> np.ndarray:
    """Stratified, seeded split that keeps every group (e.g. identical images) in one split.

    Parameters
    ----------
    labels : np.ndarray
        int (N,) labels.
    groups : np.ndarray
        (N,) group keys; a group takes the label of its first member.
    fractions : dict
        Split name -> fraction of each class's groups (the first split takes the remainder).
    seed : int
        Seed of the permutation.

    Returns
    -------
    np.ndarray
        str (N,) split per item.
    """
    names = list(fractions)
    _, first, inverse = np.unique(groups, return_index=True, return_inverse=True)
    group_label = labels[first]
    group_split = np.empty(len(first), dtype=object)
    rng = np.random.default_rng(seed)
    for k in np.unique(group_label):
        members = np.flatnonzero(group_label == k)
        members = members[np.argsort(first[members])]  # order of first appearance
        members = members[rng.permutation(len(members))]
        start = 0
        for name in names[1:]:
            n = int(round(fractions[name] * len(members)))
            group_split[members[start : start + n]] = name
            start += n
        group_split[members[start:]] = names[0]
    return group_split[inverse].astype(str)


def _assign_splits(
    spec: DatasetSpec,
    pool: Pool,
    hashes: np.ndarray,
    seed: int,
    near: bool = False,
    write: bool = True,
) -> tuple[np.ndarray, Path]:
    """Official splits, else a seeded split grouped by ``hashes`` (any group keys).

    An existing split file is read; otherwise the split is drawn and (``write``) written.
    """
    present = set(np.unique(pool.official)) - {""}
    if present == set(SPLITS):
        split_file = split_file_path(spec, seed, official=True)
        assigned = pool.official.astype(str)
    else:
        split_file = split_file_path(spec, seed, official=False, near=near)
        assigned = pool.official.astype(str).copy()
        if not present:
            fr = dict(zip(SPLITS, NO_SPLIT_FRACTIONS, strict=True))
            assigned = stratified_group_split(pool.labels, hashes, fr, seed)
        else:
            missing = [s for s in ("val", "test") if s not in present]
            fr = {"train": 1.0}
            for s in missing:
                fr[s] = VAL_FRACTION_OF_TRAIN if s == "val" else TEST_FRACTION_OF_TRAIN
            tr = np.flatnonzero(pool.official == "train")
            assigned[tr] = stratified_group_split(pool.labels[tr], hashes[tr], fr, seed)
    if split_file.exists():
        return _read_split_file(split_file, pool.ids), split_file
    if write:
        _atomic_write_text(split_file, _split_csv(pool.ids.astype(str), assigned))
    return assigned, split_file


def _split_csv(ids: np.ndarray, assigned: np.ndarray) -> str:
    """The split file's text: ``id,split`` rows (minimal quoting, ``\\n`` line ends)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "split"])
    w.writerows(zip(ids.tolist(), np.asarray(assigned).astype(str).tolist(), strict=True))
    return buf.getvalue()


def _read_split_file(path: Path, ids: np.ndarray) -> np.ndarray:
    with path.open(newline="", encoding="utf-8") as fh:
        lookup = {row["id"]: row["split"] for row in csv.DictReader(fh)}
    missing = [i for i in ids if i not in lookup]
    extra = len(set(lookup) - set(ids.tolist()))
    bad = sorted(set(lookup.values()) - set(SPLITS))
    if missing or extra or bad:
        raise DatasetError(
            f"split file {path} does not match the data: {len(missing)} image id(s) missing "
            f"(e.g. {missing[:2]}), {extra} id(s) not in the data, unknown split names {bad}; "
            "delete the file to write a new split (the old split is then lost)"
        )
    return np.array([lookup[i] for i in ids.tolist()])


def find_duplicates(
    assigned: np.ndarray,
    labels: np.ndarray,
    hashes: np.ndarray,
    classes: tuple[str, ...],
    dedup: bool | str = True,
    *,
    near: np.ndarray | None = None,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Exact (and near) duplicates across and within splits, per split and class.

    Parameters
    ----------
    assigned : np.ndarray
        str (N,) split of each image.
    labels : np.ndarray
        int (N,) labels.
    hashes : np.ndarray
        (N,) pixel hashes.
    classes : tuple of str
        Class names (for the report).
    dedup : {"exact", "strict", "off"} or bool
        ``exact`` (or True) removes images that duplicate an image of an earlier split (train <
        val < test); ``strict`` removes near duplicates of an earlier split's images too;
        ``off`` (or False) removes nothing.
    near : np.ndarray, optional
        int (N,) near-duplicate group of each image (:func:`duplicate_groups`); without it,
        near duplicates are not reported.

    Returns
    -------
    keep : np.ndarray
        bool (N,): images kept.
    report : pandas.DataFrame
        Columns split, class, reason, n_found, n_removed; rows only where n_found > 0. An image
        is counted once, under the first reason that applies: exact duplicate across splits,
        near duplicate across splits, exact duplicate within the split, near duplicate within
        the split; label conflicts are counted in addition.
    """
    policy = dedup_policy(dedup)
    rank = np.array([SPLITS.index(s) for s in assigned], dtype=np.int64)
    n = len(hashes)

    def across_and_within(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not n:
            return np.zeros(0, bool), np.zeros(0, bool)
        _, inverse = np.unique(groups, return_inverse=True)
        first_rank = np.full(inverse.max() + 1, 99)
        np.minimum.at(first_rank, inverse, rank)
        cross = rank > first_rank[inverse]
        _, first_idx = np.unique(inverse * 3 + rank, return_index=True)
        within = np.ones(n, bool)
        within[first_idx] = False
        return cross, within & ~cross

    cross, within = across_and_within(hashes)
    if near is not None:
        near_cross, near_within = across_and_within(near)
        near_cross &= ~cross
        near_within &= ~(cross | within | near_cross)
    else:
        near_cross = near_within = np.zeros(n, bool)
    # label conflicts: identical pixels with more than one label
    if n:
        _, inverse = np.unique(hashes, return_inverse=True)
        groups = inverse.max() + 1
        lab_min = np.full(groups, np.iinfo(np.int64).max)
        lab_max = np.full(groups, -1)
        np.minimum.at(lab_min, inverse, labels)
        np.maximum.at(lab_max, inverse, labels)
        conflict = (lab_min != lab_max)[inverse]
    else:
        conflict = np.zeros(0, bool)
    remove_exact = policy in ("exact", "strict")
    remove_near = policy == "strict"
    keep = np.ones(n, bool)
    if remove_exact:
        keep &= ~cross
    if remove_near:
        keep &= ~near_cross
    checks = (
        (REASON_CROSS, cross, remove_exact),
        (REASON_NEAR_CROSS, near_cross, remove_near),
        (REASON_WITHIN, within, False),
        (REASON_NEAR_WITHIN, near_within, False),
        (REASON_CONFLICT, conflict, False),
    )
    rows = []
    for split in SPLITS:
        in_split = assigned == split
        for k, cls in enumerate(classes):
            m = in_split & (labels == k)
            for reason, flag, removed in checks:
                found = int((m & flag).sum())
                if found:
                    kept = reason in (REASON_CROSS, REASON_NEAR_CROSS) and not removed
                    rows.append(
                        {
                            "split": split,
                            "class": cls,
                            "reason": reason + " (kept)" if kept else reason,
                            "n_found": found,
                            "n_removed": found if removed else 0,
                        }
                    )
    report = dedup_frame(rows)
    return keep, report


# --------------------------------------------------------------------------------- resizing


def resize_images(images: np.ndarray, side: int, desc: str = "resize") -> np.ndarray:
    """Resize uint8 (N, H, W, C) images to (N, side, side, C) with PIL bicubic (antialiased)."""
    n, _, _, c = images.shape
    out = np.empty((n, side, side, c), dtype=np.uint8)

    def work(i: int) -> None:
        a = images[i, ..., 0] if c == 1 else images[i]
        r = Image.fromarray(a).resize((side, side), Image.Resampling.BICUBIC)
        out[i] = np.asarray(r).reshape(side, side, c)

    with ThreadPoolExecutor(max_workers=max(1, min(8, os.cpu_count() or 1))) as ex:
        list(progress(ex.map(work, range(n)), total=n, desc=desc))
    return out


def _resized(spec: DatasetSpec, pool: Pool, side: int, resize: str = "squash") -> np.ndarray:
    path = dataset_cache_dir(spec, resize) / f"{side}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as z:
            if str(z["checksum"]) == pool.checksum and len(z["images"]) == len(pool.ids):
                return z["images"]
    images = resize_images(pool.images, side, desc=f"resize {spec.name} to {side} px")
    _atomic_savez(path, images=images, checksum=np.array(pool.checksum))
    return images


# ------------------------------------------------------------------------------------ entry


def load_splits(
    name: str,
    resolution: int | None = None,
    *,
    seed: int = 0,
    data_dir: Path | str | None = None,
    dedup: bool | str = True,
    resize: str = "squash",
) -> SplitData:
    """Load a data set as train/val/test arrays (see the module docstring for the steps).

    Parameters
    ----------
    name : str
        Registry key (``"breastmnist"``) or ``"folder:PATH"``.
    resolution : int, optional
        Side length of the returned arrays; default the native one. Resized arrays of the whole
        data set are cached, so large resolutions of large sets cost memory and disk (the engine
        normally resizes on the device instead).
    seed : int
        Seed of the split where none is official (ignored for fully official splits).
    data_dir : Path or str, optional
        Root of the data; default ``TLREVIEW_DATA_DIR``.
    dedup : {"exact", "strict", "off"} or bool
        ``exact`` (or True, the default) removes images duplicating an image of an earlier
        split from val/test; ``strict`` removes near duplicates too; ``off`` (or False) keeps
        all. Duplicates are reported either way (:attr:`SplitData.dedup`).
    resize : {"squash", "pad", "crop"}
        How non-square images of a folder data set become square (default ``squash``: resized
        without keeping the aspect ratio; see ``reproduce.datasets.sources.RESIZE_MODES``).

    Returns
    -------
    SplitData

    Raises
    ------
    review.errors.MissingPathError
        If ``TLREVIEW_DATA_DIR`` is unset or the data are missing (names the file, its checksum
        and where to obtain it).
    DatasetError
        If checksums, keys, shapes or labels do not match the registry, or a written split file
        no longer matches the data.
    """
    spec = get_spec(name)
    if resolution is not None and resolution < 1:
        raise DatasetError(
            f"{name}: resolution must be a positive number of pixels; got {resolution}"
        )
    policy = dedup_policy(dedup)
    root = Path(data_dir) if data_dir is not None else None
    pool, native, hashes = load_native(spec, root, resize)
    pairs = near_duplicate_pairs(spec, pool, resize)
    groups = duplicate_groups(hashes, pairs)
    near = pairs is not None
    assigned, split_file = _assign_splits(spec, pool, groups if near else hashes, seed, near)
    keep, report = find_duplicates(
        assigned, pool.labels, hashes, spec.classes, policy, near=groups if near else None
    )
    side = native if resolution is None else int(resolution)
    images = pool.images if side == native else _resized(spec, pool, side, resize)

    def part(split: str) -> ImageArrays:
        idx = np.flatnonzero((assigned == split) & keep)
        return ImageArrays(images[idx], pool.labels[idx], pool.ids[idx].astype(str))

    return SplitData(
        name=spec.name,
        resolution=side,
        classes=spec.classes,
        train=part("train"),
        val=part("val"),
        test=part("test"),
        dedup=report,
        split_file=split_file,
        checksum=pool.checksum,
        native_resolution=native,
    )


def load_data(
    dataset: str,
    resolution: int | None = None,
    *,
    split_seed: int = 0,
    dedup: bool | str = True,
    resize: str | None = None,
) -> SplitData | SyntheticSplits:
    """The splits of ``dataset`` (registered, ``folder:PATH`` or synthetic) for a run.

    This is the engine's one entry to the data.

    Images are kept at native size when the network's input is as large or larger (they are
    upsampled on the device, batch by batch); a data set whose native size exceeds
    ``resolution`` is resized once, antialiased, by the data registry (and cached).
    """
    if is_synthetic(dataset):
        return synthetic_splits(dataset)
    res = stored_side(dataset, resolution)
    packed = pack_dataset(dataset, res, split_seed=split_seed, dedup=dedup)
    if packed is not None:
        return packed
    return load_splits(dataset, res, seed=split_seed, dedup=dedup, resize=resize or "squash")


def stored_side(dataset: str, resolution: int | None) -> int | None:
    """The side a run's images are stored at before the device resizes them.

    ``None`` (native size) when the network's input is at least the native size (images are
    upsampled on the device, batch by batch); else ``resolution`` (resized once, antialiased).
    """
    native = native_resolution(dataset)
    return None if (resolution is None or (native and resolution >= native)) else resolution


def preflight(
    names: list[str] | tuple[str, ...],
    *,
    data_dir: Path | str | None = None,
    resize: str = "squash",
) -> dict[str, str]:
    """Check every data set a sweep needs, once, before any run starts.

    Each distinct name is located, checksummed and decoded (the decoded arrays are cached, so
    the runs that follow do not decode again). Every problem of every data set is collected, so
    a sweep fails once with all of them instead of once per planned run.

    Parameters
    ----------
    names : sequence of str
        Registry keys or ``folder:PATH`` (repeats are checked once).
    data_dir : Path or str, optional
        Root of the data; default ``TLREVIEW_DATA_DIR``.
    resize : {"squash", "pad", "crop"}
        How non-square folder images become square.

    Returns
    -------
    dict
        Name -> checksum of its source.

    Raises
    ------
    DatasetError
        One line per problem (missing file with where to get it, checksum, layout, decode).
    """
    root = Path(data_dir) if data_dir is not None else None
    checksums: dict[str, str] = {}
    problems: list[str] = []
    for name in dict.fromkeys(names):
        try:
            pool, _, _ = load_native(get_spec(name), root, resize)
            checksums[name] = pool.checksum
        except (DatasetError, FileNotFoundError) as exc:
            problems.extend(line for line in str(exc).splitlines() if line.strip())
    if problems:
        raise DatasetError("\n".join(problems))
    return checksums
