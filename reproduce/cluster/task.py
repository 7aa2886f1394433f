"""What one task of a job array runs: the long-lived worker on its shard's runs.

The task is a plain function (:func:`run_shard`) that submitit pickles by reference, so the
task process imports the installed package (the same checkout or environment as the
submitter). It runs :func:`reproduce.device.worker.run_worker` restricted to the run ids the
submitter assigned to the shard: one process per task, so each (architecture, resolution,
batch) shape warms up once; runs in the worker's order (seed-major, the suite's claim order);
no run started that is predicted not to finish within the task's time limit; every finished
run written at once into the shared runs folder. Run folders are atomic and resumable:
completed runs are skipped, a killed run leaves only a ``.partial-*`` folder that the next
attempt removes, a failed run is recorded as ``status = error`` and retried by the next attempt.
Two tasks never share a run.
"""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reproduce.engine.config import APPROACHES
from reproduce.engine.device import resolve_device

__all__ = ["ShardTask", "run_shard", "time_budget_s"]


@dataclass(frozen=True)
class ShardTask:
    """Everything one task needs (pickled into the job).

    Attributes
    ----------
    suite
        Suite name or YAML path.
    profile
        Profile name.
    sets
        ``FIELD=VALUE`` overrides (as ``tlreview reproduce run --set``).
    run_ids
        The shard's run ids.
    runs_root
        The shared runs folder (absolute).
    out
        Folder of the worker's timing summary and result stream for this task and attempt.
    device
        ``auto``, ``cpu``, ``cuda`` or ``cuda:N``.
    shard
        Shard index (for the log).
    keep_model_seeds
        Save the trained model in the run folder of runs with these seeds (``--keep-model``:
        every seed of the shard).
    time_budget_s
        Start no run predicted to end after this many seconds (``None``: no limit).
    """

    suite: str
    profile: str
    sets: tuple[str, ...]
    run_ids: tuple[str, ...]
    runs_root: str
    out: str
    device: str = "auto"
    shard: int = 0
    keep_model_seeds: tuple[int, ...] = ()
    time_budget_s: float | None = None


def time_budget_s(limit_minutes: int | None) -> float | None:
    """The worker's budget within a task's time limit: 10 % (1 to 10 minutes) kept in reserve.

    Examples
    --------
    >>> time_budget_s(60), time_budget_s(5), time_budget_s(None)
    (3240.0, 240.0, None)
    """
    if limit_minutes is None:
        return None
    limit = 60.0 * limit_minutes
    return limit - min(600.0, max(60.0, 0.1 * limit))


def run_shard(task: ShardTask) -> dict[str, Any]:
    """Run the shard's runs with the worker; return counts of what happened.

    Parameters
    ----------
    task
        The shard.

    Returns
    -------
    dict
        ``shard, host, device, ok, skipped, error, not_started`` and the ``failed`` run ids.

    Raises
    ------
    review.errors.InputError
        A run id of the shard is not in the suite's plan any more (the suite file, the
        overrides or the engine version changed since the submission).
    """
    # torch: the worker is imported in the task's process only (submitting needs no torch)
    from reproduce.device.worker import run_worker

    device = resolve_device(task.device)
    print(
        f"shard {task.shard}: {len(task.run_ids)} run(s) of {task.suite}/{task.profile} on "
        f"{device} ({socket.gethostname()}, "
        f"CUDA_VISIBLE_DEVICES={os.environ.get('CUDA_VISIBLE_DEVICES')})",
        file=sys.stderr,
        flush=True,
    )
    summary = run_worker(
        task.suite,
        task.profile,
        out=Path(task.out),
        runs_root=Path(task.runs_root),
        device=device,
        time_budget=task.time_budget_s,
        bare=False,
        keep_model_seeds=task.keep_model_seeds,
        keep_model_approaches=APPROACHES,
        run_ids=task.run_ids,
        sets=task.sets,
    )
    rows = summary["runs"]
    counts = {s: sum(r["status"] == s for r in rows) for s in ("ok", "skipped", "error")}
    counts["not_started"] = sum(r["status"] == "not_started_budget" for r in rows)
    print(
        f"shard {task.shard}: {counts['ok']} ran, {counts['skipped']} already complete, "
        f"{counts['error']} failed, {counts['not_started']} not started (time budget)",
        file=sys.stderr,
        flush=True,
    )
    return {
        "shard": task.shard,
        "host": socket.gethostname(),
        "device": device,
        **counts,
        "failed": [r["run_id"] for r in rows if r["status"] == "error"],
    }
