"""Near-duplicate images: perceptual hashes, confirmed by pixels, and the groups they form.

Exact duplicates (identical decoded pixels) are found by
:func:`reproduce.datasets.load.pixel_hashes`. *Near* duplicates are the same picture saved
differently: at another size, re-encoded as JPEG, slightly brightened. They are found in two
steps:

1. candidates: the DCT perceptual hash of the ``imagehash`` library (``imagehash.phash``: 64 bits
   from the low frequencies of a 32 x 32 grey version) of the two images differs in at most
   :data:`MAX_DISTANCE` bits;
2. confirmation: the mean absolute difference of their 32 x 32 grey thumbnails is at most
   :data:`MAX_MAD` (of 255).

The hash alone is not enough for medical images, which look alike at low frequencies. Measured
on the MedMNIST copies in this project (28 px; 2026-12-04): among pairs with phash distance <= 6,
the thumbnail difference of BreastMNIST pairs lies in 0-6 levels (BUSI's known re-saved images),
PneumoniaMNIST has 31 pairs at 0 and none between 1 and 6 levels, and RetinaMNIST's fundus
photographs spread from 3 to over 20 levels (random pairs: 34-45). With the limit of 4 levels:
171 BreastMNIST pairs (117 groups), 31 PneumoniaMNIST pairs, 33 RetinaMNIST pairs; phash alone at
distance <= 4 chained 63 unrelated PneumoniaMNIST images into one group.

Near-duplicate *groups* are the connected components of the confirmed pairs. The loader keeps
every group in one split where it draws the split itself, and reports (and with
``dedup="strict"`` removes) the members of a group that an official split put on both sides.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

#: Largest Hamming distance (of 64 bits) between the perceptual hashes of two candidates.
MAX_DISTANCE = 6

#: Largest mean absolute difference (grey levels of 255) between the 32 x 32 grey thumbnails of
#: two near duplicates. Resizing or re-encoding an image changes it by about 1-5 levels.
MAX_MAD = 4.0

#: Side of the thumbnails compared in the confirmation step.
THUMB = 32

#: Data sets with more images than this are not searched for near duplicates (the pairwise
#: comparison grows with the square of the number of images); the loader says so.
MAX_IMAGES = 20_000


def perceptual_hashes(images: np.ndarray) -> np.ndarray:
    """64-bit DCT perceptual hash of every image.

    Parameters
    ----------
    images : np.ndarray
        uint8 (N, H, W, C) with C in {1, 3}.

    Returns
    -------
    np.ndarray
        uint64 (N,): ``imagehash.phash(image)`` with its 8 x 8 bits packed row-major.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.zeros((1, 16, 16, 1), np.uint8)  # SYNTHETIC
    >>> perceptual_hashes(x).dtype
    dtype('uint64')
    """
    import imagehash  # CPU side only: the GPU image has no imagehash (splits come packed)

    out = np.empty(len(images), dtype=np.uint64)
    weights = (np.uint64(1) << np.arange(63, -1, -1, dtype=np.uint64)).astype(np.uint64)
    for i, a in enumerate(images):
        im = Image.fromarray(a[..., 0] if a.shape[-1] == 1 else a)
        bits = imagehash.phash(im).hash.reshape(-1).astype(np.uint64)
        out[i] = np.bitwise_or.reduce(bits * weights)
    return out


def candidate_pairs(hashes: np.ndarray, max_distance: int = MAX_DISTANCE) -> np.ndarray:
    """Index pairs ``(i, j)``, ``i < j``, whose hashes differ in at most ``max_distance`` bits.

    Parameters
    ----------
    hashes : np.ndarray
        uint64 (N,) perceptual hashes.
    max_distance : int
        Largest Hamming distance counted.

    Returns
    -------
    np.ndarray
        int64 (P, 2).
    """
    h = np.ascontiguousarray(hashes, dtype=np.uint64)
    n = len(h)
    found = [np.empty((0, 2), dtype=np.int64)]
    step = max(1, 4_000_000 // max(n, 1))  # rows per block: about 4 M comparisons
    for start in range(0, n, step):
        block = h[start : start + step]
        dist = np.bitwise_count(block[:, None] ^ h[None, :])
        ii, jj = np.nonzero(dist <= max_distance)
        ii = ii + start
        upper = jj > ii
        found.append(np.stack([ii[upper], jj[upper]], axis=1).astype(np.int64))
    return np.concatenate(found)


def thumbnail(image: np.ndarray) -> np.ndarray:
    """32 x 32 grey thumbnail (float32, 0-255) of a uint8 (H, W, C) image."""
    a = image[..., 0] if image.shape[-1] == 1 else image
    im = Image.fromarray(a).convert("L").resize((THUMB, THUMB), Image.Resampling.BILINEAR)
    return np.asarray(im, dtype=np.float32)


def near_pairs(
    images: np.ndarray,
    hashes: np.ndarray | None = None,
    *,
    max_distance: int = MAX_DISTANCE,
    max_mad: float = MAX_MAD,
) -> np.ndarray:
    """Confirmed near-duplicate pairs ``(i, j)``, ``i < j`` (exact duplicates included).

    Parameters
    ----------
    images : np.ndarray
        uint8 (N, H, W, C).
    hashes : np.ndarray, optional
        Their :func:`perceptual_hashes` (computed when not given).
    max_distance : int
        Largest perceptual-hash distance of a candidate pair.
    max_mad : float
        Largest mean absolute difference of the thumbnails of a confirmed pair.

    Returns
    -------
    np.ndarray
        int64 (P, 2).
    """
    if hashes is None:
        hashes = perceptual_hashes(images)
    cand = candidate_pairs(hashes, max_distance)
    if not len(cand):
        return cand
    thumbs = {int(i): thumbnail(images[i]) for i in np.unique(cand)}
    mad = np.array([np.abs(thumbs[int(i)] - thumbs[int(j)]).mean() for i, j in cand])
    return cand[mad <= max_mad]


def near_groups(n: int, pairs: np.ndarray) -> np.ndarray:
    """Group id of every image: connected components of the pairs.

    Parameters
    ----------
    n : int
        Number of images.
    pairs : np.ndarray
        int (P, 2) index pairs (:func:`near_pairs`).

    Returns
    -------
    np.ndarray
        int64 (N,): the smallest index in each image's group (an image without near
        duplicates is its own group).
    """
    parent = np.arange(n)

    def find(i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    for i, j in pairs:
        ri, rj = find(int(i)), find(int(j))
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    return np.array([find(i) for i in range(n)], dtype=np.int64)
