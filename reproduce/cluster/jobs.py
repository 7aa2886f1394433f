"""Slurm job states (``squeue``, then ``sacct``) and Slurm time limits.

Job states are read from ``squeue`` first (it knows pending, running and recently finished
jobs and needs no accounting database), then from ``sacct`` for jobs ``squeue`` has forgotten
(clusters with accounting). A job neither knows is ``UNKNOWN``: it is no longer queued.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable

from review.errors import InputError

__all__ = ["ACTIVE_STATES", "is_active", "parse_time_minutes", "pid_alive", "slurm_states"]

#: Slurm states of a job that has not finished (it may still write runs).
ACTIVE_STATES: frozenset[str] = frozenset(
    {
        "PENDING",
        "CONFIGURING",
        "RUNNING",
        "COMPLETING",
        "REQUEUED",
        "REQUEUE_HOLD",
        "REQUEUE_FED",
        "RESIZING",
        "SUSPENDED",
        "STAGE_OUT",
        "SIGNALING",
        "RESV_DEL_HOLD",
    }
)

_TIME = re.compile(r"^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$")


def is_active(state: str | None) -> bool:
    """Whether a job in ``state`` may still be running (or start)."""
    return (state or "").split(" ")[0].upper() in ACTIVE_STATES


def parse_time_minutes(text: str | int) -> int:
    """Slurm's time formats in whole minutes (rounded up).

    Accepted: ``MINUTES``, ``MINUTES:SECONDS``, ``HOURS:MINUTES:SECONDS``, ``DAYS-HOURS``,
    ``DAYS-HOURS:MINUTES`` and ``DAYS-HOURS:MINUTES:SECONDS`` (``sbatch --time``).

    Raises
    ------
    InputError
        Anything else, or a zero limit.

    Examples
    --------
    >>> parse_time_minutes("04:00:00"), parse_time_minutes("1-12"), parse_time_minutes("90")
    (240, 2160, 90)
    """
    s = str(text).strip()
    m = _TIME.match(s)
    if not m:
        raise InputError(
            f"--time {text!r}: expected minutes, HH:MM:SS or D-HH[:MM[:SS]] (e.g. 04:00:00)"
        )
    days, a, b, c = m.groups()
    parts = [int(x) for x in (a, b, c) if x is not None]
    if days is not None:  # D-H, D-H:M, D-H:M:S
        h, mi, sec = (parts + [0, 0])[:3]
        seconds = ((int(days) * 24 + h) * 60 + mi) * 60 + sec
    elif len(parts) == 1:
        seconds = parts[0] * 60
    elif len(parts) == 2:
        seconds = parts[0] * 60 + parts[1]
    else:
        seconds = (parts[0] * 60 + parts[1]) * 60 + parts[2]
    if seconds <= 0:
        raise InputError(f"--time {text!r}: the limit must be positive")
    return -(-seconds // 60)


def _run(cmd: list[str]) -> str | None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout if out.returncode == 0 else None


def slurm_states(job_ids: Iterable[str]) -> dict[str, str]:
    """State of each Slurm job or array task (``"123"`` or ``"123_4"``).

    Parameters
    ----------
    job_ids
        Job ids as submitit reports them (array tasks as ``ARRAY_TASK``).

    Returns
    -------
    dict
        id -> state (``PENDING``, ``RUNNING``, ``COMPLETED``, ``CANCELLED``, ``FAILED``,
        ``TIMEOUT``, ... or ``UNKNOWN`` when neither ``squeue`` nor ``sacct`` knows it).
    """
    wanted = [str(j) for j in job_ids]
    states: dict[str, str] = {}
    for base in sorted({j.split("_")[0] for j in wanted}):
        # squeue fails as a whole on an id it has forgotten, so one call per job.
        out = _run(["squeue", "-h", "-r", "-t", "all", "-j", base, "-o", "%i|%T"])
        for line in (out or "").splitlines():
            jid, _, state = line.strip().partition("|")
            if jid:
                states[jid] = state.strip()
    missing = [j for j in wanted if j not in states]
    if missing:
        out = _run(["sacct", "-n", "-P", "-X", "-j", ",".join(missing), "-o", "JobID,State"])
        for line in (out or "").splitlines():
            jid, _, state = line.strip().partition("|")
            if jid in missing and state:
                states[jid] = state.split(" ")[0]
    return {j: states.get(j, "UNKNOWN") for j in wanted}


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists on this machine (local executor tasks)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
