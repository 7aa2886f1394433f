"""Official downloads with published checksums: the downloader and the data sets' sources.

``tlreview reproduce fetch DATASET|ARCH`` (:mod:`reproduce.fetch`) uses :func:`download` for
data sets (:func:`plan_dataset`, here) and weight files (:mod:`reproduce.fetch`).

What can be fetched
-------------------
MedMNIST files (``pneumoniamnist``, ``breastmnist``, ``retinamnist``)
    From Zenodo (record 10519652, MedMNIST v2/v3), checked against the official MD5 the registry
    records (from the ``medmnist`` package's ``INFO`` table); written to
    ``TLREVIEW_DATA_DIR/medmnist/<name>.npz`` or, when that is unset, to the download folder
    (:func:`review.paths.download_dir`), where the loader also looks.
torchvision ImageNet weights (``resnet18``, ``resnet50``, ``densenet121``, ...)
    From ``download.pytorch.org``, checked against the sha256 prefix torchvision publishes in the
    file name (as ``torch.hub`` does); written to torch.hub's checkpoint folder
    (``$TORCH_HOME/hub/checkpoints``), where torchvision's weights API finds them.
SqueezeNet 1.1 (``squeezenet1_1``)
    The Keras HDF5 port's GitHub release, checked against its full sha256; written to
    ``TLREVIEW_WEIGHTS_DIR`` (or the download folder's ``weights/``).
Data that need a login or have no stable direct link (``busi``, ``brain_mri``, ``cifar10``)
    :func:`plan_dataset` returns instructions instead of a download.

How a download is made
----------------------
Into ``<dest>.part`` next to the destination, resumed with an HTTP ``Range`` request when a
partial file is there (a server that ignores the range makes it start again), with a progress
bar on a terminal; then the checksum is verified and the file renamed onto its destination in
one step (``os.replace``), so a destination file is always complete and verified. A file whose
checksum differs is deleted and refused with a message naming the URL, the expected and the
actual checksum.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tqdm.auto import tqdm

from reproduce.datasets.registry import REGISTRY
from review.errors import DatasetError, MissingPathError
from review.paths import download_dir, external_data_dir

#: Bytes read per request chunk.
CHUNK = 1 << 16

#: Seconds between progress lines when standard error is not a terminal.
LOG_EVERY_S = 30.0


class FetchError(DatasetError):
    """A download failed or its checksum differs; the message says what to do."""


@dataclass(frozen=True)
class Download:
    """One file to download.

    Parameters
    ----------
    target : str
        What the user asked for (data set or architecture name).
    url : str
        Official URL.
    dest : Path
        Final location.
    md5, sha256, sha256_prefix : str
        The published checksum (one of them is set).
    note : str
        Licence and citation, printed after the download.
    """

    target: str
    url: str
    dest: Path
    md5: str = ""
    sha256: str = ""
    sha256_prefix: str = ""
    note: str = ""

    @property
    def expected(self) -> str:
        """The checksum as text (``MD5 ...``, ``sha256 ...`` or ``sha256 prefix ...``)."""
        if self.md5:
            return f"MD5 {self.md5}"
        if self.sha256:
            return f"sha256 {self.sha256}"
        return f"sha256 prefix {self.sha256_prefix}"


@dataclass(frozen=True)
class Instructions:
    """What a user does by hand where no direct, checksummed download exists."""

    target: str
    text: str


def _data_root(data_dir: Path | None) -> Path:
    if data_dir is not None:
        return Path(data_dir)
    try:
        return external_data_dir()
    except MissingPathError:
        return download_dir()


_MANUAL = {
    "busi": (
        "BUSI has no stable direct download. Get 'Dataset_BUSI_with_GT' from the authors' page "
        "{url} (Al-Dhabyani et al., Data in Brief 2020, CC BY 4.0), then put the class folders "
        "as {root}/busi/benign, {root}/busi/malignant, {root}/busi/normal. The segmentation "
        "masks (*_mask.png, *_mask_1.png) in the release are skipped by the loader. The "
        "official images vary in size and are resized to 256 px; their manifest hash differs "
        "from the copy used by this project (reported as a warning)."
    ),
    "brain_mri": (
        "The brain tumour MRI set is on Kaggle, which needs a login: {url} (or `kaggle datasets "
        "download -d masoudnickparvar/brain-tumor-mri-dataset` with an API token). Unzip it so "
        "that {root}/brain_mri/Training/<class>/ and {root}/brain_mri/Testing/<class>/ hold the "
        "images (classes glioma, meningioma, notumor, pituitary). It contains exact "
        "duplicates; the loader removes test images that also occur in training and reports "
        "them."
    ),
    "cifar10": (
        "The project reads a JPEG re-encoding of CIFAR-10 as {root}/cifar10/cifar10-jpeg.zip "
        "(train/<class>/NNNN.jpg, test/<class>/NNNN.jpg) that has no official download. The "
        "official data are https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz (MD5 "
        "c58f30108f718f92721af3b95e74349a; torchvision.datasets.CIFAR10(download=True) fetches "
        "and checks it); write its images in that layout into a zip to use it here (its "
        "checksum will differ from the registry's; see {url})."
    ),
}


def plan_dataset(target: str, *, data_dir: Path | None = None) -> Download | Instructions:
    """How a registered data set is fetched.

    Parameters
    ----------
    target : str
        A registered data set.
    data_dir : Path, optional
        Data root (default ``TLREVIEW_DATA_DIR``, else the download folder).

    Returns
    -------
    Download or Instructions

    Raises
    ------
    DatasetError
        If the name is not a registered data set.
    """
    if target not in REGISTRY:
        raise DatasetError(
            f"fetch {target!r}: not a registered data set ({', '.join(sorted(REGISTRY))})"
        )
    spec = REGISTRY[target]
    root = _data_root(data_dir)
    fs = spec.files[0]
    if spec.kind == "npz" and fs.official_md5:
        return Download(
            target=target,
            url=spec.source_url,
            dest=root / fs.relpath,
            md5=fs.official_md5,
            note=f"{spec.license}; cite: {spec.citation}",
        )
    return Instructions(target, _MANUAL[target].format(url=spec.source_url, root=root))


def _digest(path: Path, algo: str) -> str:
    h = hashlib.new(algo)
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def checksum_ok(job: Download, path: Path) -> tuple[bool, str]:
    """Whether ``path`` has the job's published checksum; also the checksum found."""
    if job.md5:
        got = _digest(path, "md5")
        return got == job.md5, f"MD5 {got}"
    got = _digest(path, "sha256")
    if job.sha256:
        return got == job.sha256, f"sha256 {got}"
    return got.startswith(job.sha256_prefix), f"sha256 {got}"


def _progress_bar(total: int | None, start: int, desc: str) -> tqdm | None:
    if not sys.stderr.isatty():
        return None
    return tqdm(
        total=total, initial=start, unit="B", unit_scale=True, desc=desc, dynamic_ncols=True
    )


def download(job: Download, *, quiet: bool = False, timeout: float = 60.0) -> Path:
    """Download, resume, verify and atomically place one file.

    Parameters
    ----------
    job : Download
        What to fetch.
    quiet : bool
        No progress output.
    timeout : float
        Seconds a connection may stall.

    Returns
    -------
    Path
        ``job.dest`` (complete and verified).

    Raises
    ------
    FetchError
        The download broke off (the partial file is kept: running again resumes it), the
        server refused, or the checksum differs (the file is deleted).
    """
    dest = job.dest
    if dest.exists():
        ok, got = checksum_ok(job, dest)
        if ok:
            return dest
        raise FetchError(
            f"fetch {job.target}: {dest} exists but has {got}, expected {job.expected}; remove "
            "it to download the official file"
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(job.url, headers={"User-Agent": "tlreview-fetch"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        resp = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - https/http URL
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # nothing left to send: the part may be complete
            return _finish(job, part)
        raise FetchError(f"fetch {job.target}: {job.url} answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise FetchError(
            f"fetch {job.target}: cannot reach {job.url} ({getattr(exc, 'reason', exc)})"
        ) from None
    with resp:
        resumed = have and resp.status == 206
        if have and not resumed:
            have = 0  # the server sent the whole file: start again
        length = resp.headers.get("Content-Length")
        total = have + int(length) if length is not None else None
        bar = None if quiet else _progress_bar(total, have, f"fetch {job.target}")
        done, last_log = have, time.monotonic()
        if resumed and not quiet:
            print(f"fetch {job.target}: resuming at {have} bytes", file=sys.stderr)
        try:
            with open(part, "ab" if resumed else "wb") as fh:
                while True:
                    block = resp.read(CHUNK)
                    if not block:
                        break
                    fh.write(block)
                    done += len(block)
                    if bar is not None:
                        bar.update(len(block))
                    elif not quiet and time.monotonic() - last_log > LOG_EVERY_S:
                        last_log = time.monotonic()
                        of = f" of {total}" if total else ""
                        print(f"fetch {job.target}: {done}{of} bytes", file=sys.stderr)
        except (OSError, http.client.HTTPException) as exc:  # reset, timeout, IncompleteRead
            raise FetchError(_broken(job, done, total, exc)) from None
        finally:
            if bar is not None:
                bar.close()
    if total is not None and done < total:
        raise FetchError(_broken(job, done, total, "connection closed early"))
    return _finish(job, part)


def _broken(job: Download, done: int, total: int | None, why: object) -> str:
    of = f" of {total}" if total else ""
    return (
        f"fetch {job.target}: download of {job.url} broke off after {done}{of} bytes "
        f"({type(why).__name__ if isinstance(why, BaseException) else why}); run the same "
        "command again to resume"
    )


def _finish(job: Download, part: Path) -> Path:
    ok, got = checksum_ok(job, part)
    if not ok:
        size = part.stat().st_size
        part.unlink()
        raise FetchError(
            f"fetch {job.target}: {job.url} gave a file ({size} bytes) with {got}; expected "
            f"{job.expected}. The file was deleted; nothing was written to {job.dest}"
        )
    os.replace(part, job.dest)
    return job.dest
