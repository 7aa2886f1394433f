"""Every location the project reads or writes, in one place.

Nothing here touches the file system at import time: the functions only build paths. External
roots (real data, weights, caches, run outputs) come from environment variables so that a user
can point the package at their own copies; each getter that needs a root that is not set raises
:class:`MissingPathError` with a message that says what to set and where to get the files.

Environment variables
---------------------
TLREVIEW_DATA_DIR
    Folder holding the real image data (``medmnist/``, ``busi/``, ``brain_mri/``, ``cifar10/``).
TLREVIEW_WEIGHTS_DIR
    Folder holding pretrained weight files that cannot be downloaded by a package manager.
TLREVIEW_CACHE_DIR
    Where decoded image arrays, extracted features and splits are cached.
TLREVIEW_RUNS_DIR
    Where reproduction runs write their folders.

Defaults outside the source tree
--------------------------------
Without ``TLREVIEW_CACHE_DIR`` / ``TLREVIEW_RUNS_DIR``, caches go to the platform's per-user
cache folder (``platformdirs.user_cache_path("tlreview")``, e.g. ``~/.cache/tlreview`` on Linux)
and runs to the per-user data folder (``platformdirs.user_data_path("tlreview") / "runs"``, e.g.
``~/.local/share/tlreview/runs``); ``tlreview reproduce run`` prints where. A checkout that
already has the former defaults ``cache/`` or ``runs/`` in the repository keeps using them, so
existing runs are not lost. Files fetched by ``tlreview reproduce fetch`` without
``TLREVIEW_DATA_DIR`` go to :func:`download_dir`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from review.errors import MissingPathError

#: Root of the checkout (the folder holding ``pyproject.toml``).
ROOT = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """Curated tables shipped with the project (``data/``)."""
    return ROOT / "data"


def studies_csv() -> Path:
    """The study table, one row per included study."""
    return data_dir() / "studies.csv"


def vocab_dir() -> Path:
    """Controlled vocabularies, one small CSV (``term, description``) per vocabulary."""
    return data_dir() / "vocab"


def vocab_csv(name: str) -> Path:
    """The CSV of the controlled vocabulary ``name``."""
    return vocab_dir() / f"{name}.csv"


def backbones_csv() -> Path:
    """Backbone catalogue: canonical name -> family, year, parameters, depth, category."""
    return data_dir() / "backbones.csv"


def reported_dir() -> Path:
    """Aggregates reported by published work, each row with its source."""
    return data_dir() / "reported"


def kim2022_reported_csv() -> Path:
    """The counts reported in the review's abstract (Kim et al. 2022)."""
    return reported_dir() / "kim2022.csv"


def curation_dir() -> Path:
    """Search log, screening records and the second coding pass."""
    return data_dir() / "curation"


def results_dir() -> Path:
    """Committed results of the reproduction suites (tidy tables, configs, environments)."""
    return ROOT / "results"


def book_dir() -> Path:
    """The Jupyter Book sources."""
    return ROOT / "book"


def _env_dir(var: str, default: Path | None, what: str, how: str) -> Path:
    value = os.environ.get(var)
    if value:
        return Path(value).expanduser()
    if default is not None:
        return default
    raise MissingPathError(f"{var} is not set: it must point at {what}. {how}")


def external_data_dir() -> Path:
    """Root of the real image data sets (``TLREVIEW_DATA_DIR``)."""
    return _env_dir(
        "TLREVIEW_DATA_DIR",
        None,
        "the folder holding the real image data (medmnist/, busi/, brain_mri/, cifar10/)",
        "In this project's checkout that is ../shared/data; elsewhere download the official "
        "copies (see `tlreview reproduce datasets`).",
    )


def weights_dir() -> Path:
    """Root of weight files that no package manager provides (``TLREVIEW_WEIGHTS_DIR``)."""
    return _env_dir(
        "TLREVIEW_WEIGHTS_DIR",
        None,
        "the folder holding pretrained weight files (e.g. squeezenet_v1.1_tf_kernels_notop.h5)",
        "In this project's checkout that is ../shared/weights; see `tlreview reproduce models` "
        "for where each file comes from.",
    )


def user_data_root() -> Path:
    """The platform's per-user data folder of tlreview (e.g. ``~/.local/share/tlreview``)."""
    import platformdirs  # CPU side only: the GPU image has none (its runs set the variables)

    return platformdirs.user_data_path("tlreview", appauthor=False)


def user_cache_root() -> Path:
    """The platform's per-user cache folder of tlreview (e.g. ``~/.cache/tlreview``)."""
    import platformdirs  # CPU side only: the GPU image has none (its runs set the variables)

    return platformdirs.user_cache_path("tlreview", appauthor=False)


def download_dir() -> Path:
    """Where ``tlreview reproduce fetch`` puts data when ``TLREVIEW_DATA_DIR`` is unset.

    ``user_data_root() / "data"``; the data loader looks there too. Only a path: nothing is
    created here.
    """
    return user_data_root() / "data"


def _legacy_or(name: str, default: Callable[[], Path]) -> Path:
    legacy = ROOT / name
    return legacy if legacy.is_dir() else default()


def cache_dir() -> Path:
    """Cache of decoded arrays, splits and features (``TLREVIEW_CACHE_DIR``).

    Default: ``cache/`` in the checkout when it exists (the former default), else the
    platform's per-user cache folder (:func:`user_cache_root`).
    """
    value = os.environ.get("TLREVIEW_CACHE_DIR")
    if value:
        return Path(value).expanduser()
    return _legacy_or("cache", user_cache_root)


def runs_dir() -> Path:
    """Where reproduction runs are written (``TLREVIEW_RUNS_DIR``).

    Default: ``runs/`` in the checkout when it exists (the former default), else
    ``user_data_root() / "runs"``.
    """
    value = os.environ.get("TLREVIEW_RUNS_DIR")
    if value:
        return Path(value).expanduser()
    return _legacy_or("runs", lambda: user_data_root() / "runs")


def where(kind: str) -> str:
    """One line saying where ``kind`` (``"cache"`` or ``"runs"``) is and how to change it."""
    var = {"cache": "TLREVIEW_CACHE_DIR", "runs": "TLREVIEW_RUNS_DIR"}[kind]
    path = cache_dir() if kind == "cache" else runs_dir()
    how = "set by " + var if os.environ.get(var) else f"default; set {var} to change"
    return f"{kind}: {path} ({how})"


def source_models_csv() -> Path:
    """``data/source_models.csv``: the model registry exported for torch-free readers."""
    return data_dir() / "source_models.csv"
