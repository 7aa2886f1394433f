"""The software and hardware a run used (:func:`environment`) and console progress bars.

Every run folder holds ``env.json`` (:func:`environment`). Atomic writes are
:mod:`reproduce.engine.io`; device choice is :mod:`reproduce.engine.device`.
"""

from __future__ import annotations

import os
import platform
import socket
import sys
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from tqdm.std import tqdm  # plain bars: they only show on a terminal (tqdm.auto warns in notebooks)

from reproduce.engine.config import code_version, git_sha

__all__ = ["environment", "progress"]


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
    import torch  # heavy: imported when a run starts, not when the CLI parses its arguments

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
    disable = quiet or not sys.stderr.isatty()
    return tqdm(iterable, disable=disable, leave=False, dynamic_ncols=True, **kwargs)
