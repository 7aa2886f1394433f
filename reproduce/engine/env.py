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


def choose_threads(requested: int | None = None) -> tuple[int, str]:
    """The number of torch CPU threads for a run, and why.

    ``requested`` (``--threads`` or ``TLREVIEW_THREADS``) wins. Otherwise the CPUs this process
    may use minus the load other processes put on them (1-minute load average), between 1 and
    8. Measured on the project's shared 2-core machine (load 4-5 from other users): one
    EfficientNet-Lite0 training step at 32 px, batch 64, took 0.45-0.59 s with 1 thread and
    0.47-2.5 s with 2 threads (a whole run: 118 s against 530 s), so a busy or 2-core machine
    gets 1 thread.

    Returns
    -------
    threads : int
    reason : str
        One line to print.
    """
    env = os.environ.get("TLREVIEW_THREADS")
    if requested is None and env:
        requested = int(env)
        how = "TLREVIEW_THREADS"
    else:
        how = "--threads"
    if requested is not None:
        return max(1, int(requested)), f"torch threads: {max(1, int(requested))} ({how})"
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = 0.0
    free = cpus - round(load)
    n = 1 if cpus <= 2 else max(1, min(8, free))
    return n, (
        f"torch threads: {n} ({cpus} CPUs, load {load:.1f}; chosen from measured behaviour, "
        "--threads N to change)"
    )
