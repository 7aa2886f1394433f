"""Look at a user's image folder before training on it (`tlreview reproduce datasets folder:PATH`).

:func:`inspect_folder` decodes every image once, exactly as the loader will, and reports what
the loader will do with it: the classes and their counts, the split it would make (and whether
an official split is used), exact and near duplicates per split and class, the image sizes,
modes and bit depths found, and how each kind of image will be resized. Nothing is trained and
no split file is written, so an inspection never changes a later run.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import polars as pl

from reproduce.datasets import neardup
from reproduce.datasets.load import (
    _assign_splits,
    duplicate_groups,
    find_duplicates,
    pixel_hashes,
)
from reproduce.datasets.registry import folder_spec
from reproduce.datasets.sources import (
    DEFAULT_FOLDER_RESOLUTION,
    RESIZE_MODES,
    SPLITS,
    DatasetWarning,
    _assemble,
    decode_folder,
    manifest_hash,
)
from review.errors import DatasetError
from review.output import write_frame

_HOW = {
    "squash": "squashed to a square (aspect ratio not kept; --resize pad|crop to change)",
    "pad": "padded with black to a square, then resized",
    "crop": "centre-cropped to a square, then resized",
}


@dataclass(frozen=True)
class FolderInspection:
    """What the loader will make of a folder (see :func:`inspect_folder`).

    Attributes
    ----------
    name : str
        ``folder:<absolute path>``.
    notes : list of str
        One sentence per finding, in reading order (layout, classes, split, sizes, resizing,
        bit depth, channels, duplicates).
    classes : polars.DataFrame
        ``class, label, split_folder, n_files``: images found per class (and split folder).
    splits : polars.DataFrame
        ``split, class, n``: images per split and class after duplicate removal.
    duplicates : polars.DataFrame
        ``split, class, reason, n_found, n_removed``: exact and near duplicates.
    sizes : polars.DataFrame
        ``width, height, mode, bits, n, becomes``: files per stored size and mode, and what
        each becomes.
    """

    name: str
    notes: list[str] = field(default_factory=list)
    classes: pl.DataFrame = field(default_factory=pl.DataFrame)
    splits: pl.DataFrame = field(default_factory=pl.DataFrame)
    duplicates: pl.DataFrame = field(default_factory=pl.DataFrame)
    sizes: pl.DataFrame = field(default_factory=pl.DataFrame)

    def sections(self) -> list[tuple[str, pl.DataFrame]]:
        """The tables with their headings, in the order they are printed."""
        return [
            ("images per class", self.classes),
            ("split it would make (after duplicate removal)", self.splits),
            ("duplicates (exact and near) per split and class", self.duplicates),
            ("image sizes and modes", self.sizes),
        ]


def inspect_folder(
    path: str | Path, *, seed: int = 0, resize: str = "squash", dedup: str = "exact"
) -> FolderInspection:
    """Inspect a folder of class sub-folders as the loader will read it.

    Parameters
    ----------
    path : str or Path
        ``PATH/<class>/<image>`` or ``PATH/<split>/<class>/<image>`` (a ``folder:`` prefix is
        accepted).
    seed : int
        Seed of the split drawn where none is official.
    resize : {"squash", "pad", "crop"}
        How non-square images will become square.
    dedup : {"exact", "strict", "off"}
        Duplicate policy of the run the inspection is for.

    Returns
    -------
    FolderInspection

    Raises
    ------
    review.paths.MissingPathError
        If the folder does not exist.
    reproduce.datasets.DatasetError
        The problems the loader would raise (empty or unknown class folders, undecodable files,
        a class without training images), all before any run.
    """
    text = str(path)
    spec = folder_spec(text[len("folder:") :] if text.startswith("folder:") else text)
    root = Path(spec.files[0].relpath)
    if resize not in RESIZE_MODES:
        raise DatasetError(f"resize={resize!r}: expected one of {', '.join(RESIZE_MODES)}")
    with warnings.catch_warnings():  # the notes below say what the warnings would
        warnings.simplefilter("ignore", DatasetWarning)
        decoded = decode_folder(spec, root)
    checksum = manifest_hash((r, root / r) for r in decoded.rels)
    pool, side, channels = _assemble(spec, root, decoded, checksum, resize)
    hashes = pixel_hashes(pool.images)
    n = len(pool.ids)
    pairs = neardup.near_pairs(pool.images) if n <= neardup.MAX_IMAGES else None
    groups = duplicate_groups(hashes, pairs)
    near = pairs is not None
    assigned, split_file = _assign_splits(
        spec, pool, groups if near else hashes, seed, near, write=False
    )
    keep, found = find_duplicates(
        assigned, pool.labels, hashes, spec.classes, dedup, near=groups if near else None
    )

    notes = [
        f"{spec.name}: {n} images in {spec.n_classes} classes "
        f"({', '.join(f'{k}={c}' for k, c in enumerate(spec.classes))}), layout "
        f"{'<split>/<class>/<image>' if decoded.nested else '<class>/<image>'}",
    ]
    if decoded.deep:
        notes.append(
            f"{len(decoded.deep)} images sit in sub-folders of their class folder (e.g. "
            f"{decoded.deep[0]}); each is read as the class of its top folder"
        )
    official = sorted(set(pool.official.tolist()) - {""}, key=SPLITS.index)
    if set(official) == set(SPLITS):
        notes.append("split: the folder's own train/val/test folders are used as they are")
    else:
        drawn = [s for s in SPLITS if s not in official]
        basis = "near-duplicate groups" if near else "exact-duplicate groups"
        source = f"from {'/'.join(official)} " if official else ""
        notes.append(
            f"split: {'/'.join(drawn)} drawn {source}stratified by class with seed {seed}, "
            f"keeping {basis} together; written to {split_file} on the first run"
            + (" (already there: reused)" if split_file.exists() else "")
        )
    sizes = Counter((i.width, i.height, i.mode, i.bits) for i in decoded.infos)
    non_square = sum(c for (w, h, _, _), c in sizes.items() if w != h)
    resized = sum(c for (w, h, _, _), c in sizes.items() if (w, h) != (side, side))
    why = (
        "the common size of all images"
        if len({(w, h) for w, h, _, _ in sizes}) == 1 and side != DEFAULT_FOLDER_RESOLUTION
        else f"the sizes differ or are not square: the default {DEFAULT_FOLDER_RESOLUTION} px"
    )
    notes.append(f"stored at {side} x {side} px ({why}); {resized} of {n} images are resized")
    if non_square:
        notes.append(f"{non_square} images are not square: {_HOW[resize]}")
    high = sum(1 for i in decoded.infos if i.bits > 8)
    if high:
        marked = sum(1 for i in decoded.infos if i.significant_bits)
        depth = (
            f"{decoded.high_depth_bits}-bit range (largest value found)"
            if decoded.high_depth_bits
            else "the depth their sBIT chunk records"
        )
        notes.append(
            f"{high} images have 16-bit samples: scaled to 0-255 by the {depth}"
            + (
                f"; {marked} record their depth (sBIT)"
                if marked and decoded.high_depth_bits
                else ""
            )
        )
    notes.append(
        f"channels: {channels} ("
        + ("every image is grey" if channels == 1 else "some images are colour")
        + "); the networks see RGB, grey images are repeated over 3 channels"
    )
    report = pl.DataFrame(
        found.to_dict(orient="records"),
        schema={
            "split": pl.String,
            "class": pl.String,
            "reason": pl.String,
            "n_found": pl.Int64,
            "n_removed": pl.Int64,
        },
    )
    exact = int(report.filter(pl.col("reason").str.starts_with("exact"))["n_found"].sum())
    near_n = int(report.filter(pl.col("reason").str.starts_with("near"))["n_found"].sum())
    removed = int(report["n_removed"].sum())
    if pairs is None:
        near_text = f"not searched for near duplicates (more than {neardup.MAX_IMAGES} images)"
    else:
        near_text = f"{near_n} near duplicates (same picture saved differently)"
    conflict = int(report.filter(pl.col("reason").str.starts_with("same pixels"))["n_found"].sum())
    notes.append(
        f"duplicates: {exact} exact duplicates, {near_text}; {removed} removed from "
        f"evaluation splits (--dedup {dedup})"
        + (
            f"; {conflict} images share their pixels with an image of another class"
            if conflict
            else ""
        )
    )

    class_rows = Counter(
        (int(lab), off or "(none)") for lab, off in zip(pool.labels, pool.official, strict=True)
    )
    classes = pl.DataFrame(
        [
            {"class": spec.classes[k], "label": k, "split_folder": off, "n_files": c}
            for (k, off), c in sorted(class_rows.items())
        ],
        schema={
            "class": pl.String,
            "label": pl.Int64,
            "split_folder": pl.String,
            "n_files": pl.Int64,
        },
    )
    split_rows = [
        {
            "split": s,
            "class": spec.classes[k],
            "n": int(((assigned == s) & keep & (pool.labels == k)).sum()),
        }
        for s in SPLITS
        for k in range(spec.n_classes)
    ]
    splits = pl.DataFrame(
        split_rows, schema={"split": pl.String, "class": pl.String, "n": pl.Int64}
    )
    size_rows = []
    for (w, h, mode, bits), c in sorted(sizes.items(), key=lambda kv: -kv[1]):
        if (w, h) == (side, side):
            becomes = "kept as is"
        elif w == h:
            becomes = f"resized to {side} px"
        else:
            becomes = f"{resize}: {side} px"
        size_rows.append(
            {"width": w, "height": h, "mode": mode, "bits": bits, "n": c, "becomes": becomes}
        )
    size_frame = pl.DataFrame(
        size_rows,
        schema={
            "width": pl.Int64,
            "height": pl.Int64,
            "mode": pl.String,
            "bits": pl.Int64,
            "n": pl.Int64,
            "becomes": pl.String,
        },
    )
    return FolderInspection(
        name=spec.name,
        notes=notes,
        classes=classes,
        splits=splits,
        duplicates=report,
        sizes=size_frame,
    )


def write_inspection(ins: FolderInspection, fmt: str = "table", out: TextIO | None = None) -> None:
    """Print an inspection: the findings, then each table under its heading.

    Parameters
    ----------
    ins : FolderInspection
        The inspection.
    fmt : {"table", "csv", "json"}
        ``table`` and ``csv`` print the findings as lines and each table under a ``# heading``
        line; ``json`` prints one object ``{"name", "notes", "<table>": [records]}``.
    out : TextIO, optional
        Stream (default standard output).
    """
    out = sys.stdout if out is None else out
    if fmt == "json":
        doc = {"name": ins.name, "notes": ins.notes}
        for key, (_, frame) in zip(
            ("classes", "splits", "duplicates", "sizes"), ins.sections(), strict=True
        ):
            doc[key] = frame.to_dicts()
        out.write(json.dumps(doc, indent=1) + "\n")
        return
    for note in ins.notes:
        out.write(f"{note}\n")
    for title, frame in ins.sections():
        out.write(f"\n# {title}\n")
        if frame.height == 0:
            out.write("(none)\n")
        else:
            write_frame(frame, fmt, out)
