"""The software and hardware a run used, device selection, and atomic file writes.

Every run folder holds ``env.json`` (:func:`environment`); every file the engine writes goes
through :func:`atomic_write_bytes` (a temporary file in the same folder, then ``os.replace``),
so a reader never sees half a file and a killed process leaves no truncated result behind.
"""

from __future__ import annotations

import json
import os
import platform
import socket
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from review.errors import InputError

__all__ = [
    "atomic_write_bytes",
    "atomic_write_json",
    "atomic_write_text",
    "atomic_write_with",
    "environment",
    "resolve_device",
]


def atomic_write_with(path: Path, write: Callable[[Path], None]) -> Path:
    """Write ``path`` atomically: ``write(tmp)`` fills a temporary sibling, then it is renamed.

    Parameters
    ----------
    path
        Final location (its folder is created).
    write
        Function that writes the whole file to the temporary path it is given.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file + ``os.replace``)."""
    return atomic_write_with(path, lambda tmp: tmp.write_bytes(data))


def atomic_write_text(path: Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, data: Any) -> Path:
    """Write ``data`` as indented JSON atomically (NaN written as ``null``)."""
    return atomic_write_text(path, json.dumps(_nan_to_none(data), indent=1, default=str) + "\n")


def _nan_to_none(obj: Any) -> Any:
    if isinstance(obj, float) and obj != obj:
        return None
    if isinstance(obj, dict):
        return {k: _nan_to_none(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_nan_to_none(v) for v in obj]
    return obj


def resolve_device(name: str = "auto") -> str:
    """Turn ``auto|cpu|cuda|cuda:N`` into a torch device string.

    Parameters
    ----------
    name
        ``auto`` picks ``cuda`` when a GPU is visible, else ``cpu``.

    Returns
    -------
    str
        The device.

    Raises
    ------
    InputError
        ``cuda`` asked for but not available, or an unknown name.
    """
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cpu":
        return "cpu"
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise InputError(f"--device {name}: no CUDA device is visible to torch")
        return name
    raise InputError(f"--device {name!r}: expected auto, cpu, cuda or cuda:N")


def environment(device: str = "cpu") -> dict[str, Any]:
    """Describe the software and hardware of this process.

    Parameters
    ----------
    device
        The torch device the run uses.

    Returns
    -------
    dict
        python, platform, hostname, cpu_count, package versions (tlreview, torch, torchvision,
        timm, scikit-learn, numpy), CUDA and cuDNN versions, GPU name, device, git SHA, code
        version and the UTC time.
    """
    from importlib.metadata import PackageNotFoundError, version

    import torch

    from reproduce.config import code_version, git_sha

    def _v(pkg: str) -> str | None:
        try:
            return version(pkg)
        except PackageNotFoundError:
            return None

    gpu = None
    if device.startswith("cuda") and torch.cuda.is_available():
        gpu = torch.cuda.get_device_name(torch.device(device))
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "hostname": socket.gethostname(),
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "tlreview": _v("tlreview"),
        "torch": torch.__version__,
        "torchvision": _v("torchvision"),
        "timm": _v("timm"),
        "scikit_learn": _v("scikit-learn"),
        "numpy": _v("numpy"),
        "cuda": torch.version.cuda,
        "cudnn": torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None,
        "gpu_name": gpu,
        "device": device,
        "git_sha": git_sha(),
        "code_version": code_version(),
        "time_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def progress(iterable: Any, *, quiet: bool = False, **kwargs: Any) -> Any:
    """A tqdm progress bar, disabled with ``quiet`` or when standard error is not a terminal
    (logs, CI, notebook pages stay free of progress output)."""
    from tqdm.auto import tqdm

    disable = quiet or not sys.stderr.isatty()
    return tqdm(iterable, disable=disable, leave=False, dynamic_ncols=True, **kwargs)
