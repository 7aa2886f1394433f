"""In-memory containers of decoded images: :class:`ImageArrays` and :class:`SplitData`.

The small tables here (the de-duplication report, the counts) are pandas DataFrames: the data
sets are loaded on GPU workers, whose image has pandas but not polars.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

#: Schema of :attr:`SplitData.dedup` (one row per split x class x reason with something found).
DEDUP_SCHEMA = {
    "split": "object",
    "class": "object",
    "reason": "object",
    "n_found": "int64",
    "n_removed": "int64",
}


def dedup_frame(rows: list[dict]) -> pd.DataFrame:
    """A de-duplication report with the fixed schema (:data:`DEDUP_SCHEMA`)."""
    frame = pd.DataFrame(rows, columns=list(DEDUP_SCHEMA))
    return frame.astype(DEDUP_SCHEMA)


def empty_dedup() -> pd.DataFrame:
    """An empty de-duplication report with the fixed schema."""
    return dedup_frame([])


@dataclass(frozen=True)
class ImageArrays:
    """Images of one split as compact arrays.

    Parameters
    ----------
    images : np.ndarray
        uint8 (N, H, W, C) with C in {1, 3}.
    labels : np.ndarray
        int64 (N,).
    ids : np.ndarray
        str (N,), stable per image (file relpath, or ``"npz:<split>:<index>"``).

    Raises
    ------
    ValueError
        If dtypes, dimensions or lengths disagree.
    """

    images: np.ndarray
    labels: np.ndarray
    ids: np.ndarray

    def __post_init__(self) -> None:
        x, y, i = self.images, self.labels, self.ids
        if x.dtype != np.uint8 or x.ndim != 4 or x.shape[-1] not in (1, 3):
            raise ValueError(
                f"ImageArrays.images must be uint8 (N, H, W, C) with C in {{1, 3}}; got "
                f"{x.dtype} {x.shape}"
            )
        if y.dtype != np.int64 or y.ndim != 1:
            raise ValueError(f"ImageArrays.labels must be int64 (N,); got {y.dtype} {y.shape}")
        if i.ndim != 1 or not (len(x) == len(y) == len(i)):
            raise ValueError(
                f"ImageArrays lengths differ: images {len(x)}, labels {len(y)}, ids {len(i)}"
            )

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, indices: np.ndarray | list[int]) -> ImageArrays:
        """Return the images at ``indices`` (in that order).

        Parameters
        ----------
        indices : array-like of int or bool mask
            Positions to keep.

        Returns
        -------
        ImageArrays
        """
        idx = np.asarray(indices)
        if idx.dtype == bool:
            idx = np.flatnonzero(idx)
        idx = idx.astype(np.int64)
        return ImageArrays(self.images[idx], self.labels[idx], self.ids[idx])

    def fraction(self, frac: float, seed: int) -> ImageArrays:
        """Stratified, seeded subsample (for learning curves).

        Parameters
        ----------
        frac : float
            Fraction in (0, 1] kept from each class (rounded; at least one image per class
            present).
        seed : int
            Seed of the subsample; the same seed gives the same images.

        Returns
        -------
        ImageArrays
            The kept images in their original order.

        Raises
        ------
        ValueError
            If ``frac`` is outside (0, 1].
        """
        if not 0 < frac <= 1:
            raise ValueError(f"fraction must be in (0, 1]; got {frac}")
        if frac == 1:
            return self.subset(np.arange(len(self)))
        rng = np.random.default_rng(seed)
        keep = []
        for k in np.unique(self.labels):
            members = np.flatnonzero(self.labels == k)
            n = max(1, int(round(frac * len(members))))
            keep.append(rng.choice(members, size=n, replace=False))
        return self.subset(np.sort(np.concatenate(keep)))

    def class_counts(self, n_classes: int) -> list[int]:
        """Number of images per label ``0..n_classes-1``."""
        return np.bincount(self.labels, minlength=n_classes).tolist()


@dataclass(frozen=True)
class SplitData:
    """A data set split into train/val/test, ready for the engine.

    Parameters
    ----------
    name : str
        Data set name (registry key or ``folder:PATH``).
    resolution : int
        Side length of the arrays.
    classes : tuple of str
        Class names in label order.
    train, val, test : ImageArrays
        The splits.
    dedup : pandas.DataFrame
        Exact duplicates found (columns split, class, reason, n_found, n_removed).
    split_file : Path or None
        The CSV (id, split) the split was read from or written to.
    checksum : str
        sha256 (or manifest hash) of the source data.
    native_resolution : int
        Side length of the stored images.
    """

    name: str
    resolution: int
    classes: tuple[str, ...]
    train: ImageArrays
    val: ImageArrays
    test: ImageArrays
    dedup: pd.DataFrame = field(default_factory=empty_dedup)
    split_file: Path | None = None
    checksum: str = ""
    native_resolution: int = 0

    @property
    def n_classes(self) -> int:
        """Number of classes."""
        return len(self.classes)

    @property
    def channels(self) -> int:
        """Channels of the arrays (1 or 3)."""
        return int(self.train.images.shape[-1])

    def counts(self) -> pd.DataFrame:
        """Images per split and class (columns split, class, label, n)."""
        rows = []
        for split in ("train", "val", "test"):
            arr: ImageArrays = getattr(self, split)
            for k, n in enumerate(arr.class_counts(self.n_classes)):
                rows.append({"split": split, "class": self.classes[k], "label": k, "n": n})
        frame = pd.DataFrame(rows, columns=["split", "class", "label", "n"])
        return frame.astype({"split": "object", "class": "object", "label": "int64", "n": "int64"})
