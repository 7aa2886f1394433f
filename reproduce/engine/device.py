"""Device choice: ``auto|cpu|cuda|cuda:N`` to a torch device string."""

from __future__ import annotations

from review.errors import InputError


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
    import torch  # heavy: the CLI resolves the device before importing the engine

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cpu":
        return "cpu"
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise InputError(f"--device {name}: no CUDA device is visible to torch")
        return name
    raise InputError(f"--device {name!r}: expected auto, cpu, cuda or cuda:N")
