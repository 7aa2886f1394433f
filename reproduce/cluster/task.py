"""What one task of a job array runs: the runs of its shard, into the shared runs folder.

The task is a plain function (:func:`run_shard`) that submitit pickles by reference, so the
task process imports the installed package (the same checkout or environment as the
submitter). It re-plans the suite from its name, profile and overrides, keeps the runs whose
ids the submitter assigned to the shard and runs them with the engine's resumable runner:
completed runs are skipped, a killed run leaves only a ``.partial-*`` folder that the next
attempt removes, and a failed run is recorded as ``status = error`` and retried by the next
attempt. Two tasks never share a run, and every file is written atomically.
"""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review.errors import InputError

__all__ = ["ShardTask", "run_shard"]


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
    device
        ``auto``, ``cpu``, ``cuda`` or ``cuda:N``.
    shard
        Shard index (for the log).
    keep_model
        Save each trained model in its run folder.
    """

    suite: str
    profile: str
    sets: tuple[str, ...]
    run_ids: tuple[str, ...]
    runs_root: str
    device: str = "auto"
    shard: int = 0
    keep_model: bool = False


def run_shard(task: ShardTask) -> dict[str, Any]:
    """Run the shard's runs; return counts of what happened.

    Parameters
    ----------
    task
        The shard.

    Returns
    -------
    dict
        ``shard, host, device, ok, skipped, error`` and the ``run_ids`` of failed runs.

    Raises
    ------
    InputError
        A run id of the shard is not in the suite's plan any more (the suite file, the
        overrides or the engine version changed since the submission).
    """
    from reproduce.env import resolve_device
    from reproduce.runner import run_configs, run_suite

    suite, planned = run_configs(task.suite, task.profile, sets=task.sets)
    by_id = {p.run_id: p for p in planned}
    missing = [rid for rid in task.run_ids if rid not in by_id]
    if missing:
        raise InputError(
            f"shard {task.shard}: run id(s) {', '.join(missing[:5])} are not in "
            f"{suite.name}/{task.profile} any more (suite, --set or engine version changed "
            "since the submission); submit again"
        )
    device = resolve_device(task.device)
    mine = [by_id[rid] for rid in task.run_ids]
    print(
        f"shard {task.shard}: {len(mine)} run(s) of {suite.name}/{task.profile} on {device} "
        f"({socket.gethostname()}, CUDA_VISIBLE_DEVICES={os.environ.get('CUDA_VISIBLE_DEVICES')})",
        file=sys.stderr,
        flush=True,
    )
    outcomes = run_suite(
        mine,
        suite=suite.name,
        runs_root=Path(task.runs_root),
        device=device,
        keep_model=task.keep_model,
        quiet=True,
    )
    counts = {s: sum(o.status == s for o in outcomes) for s in ("ok", "skipped", "error")}
    print(
        f"shard {task.shard}: {counts['ok']} ran, {counts['skipped']} already complete, "
        f"{counts['error']} failed",
        file=sys.stderr,
        flush=True,
    )
    return {
        "shard": task.shard,
        "host": socket.gethostname(),
        "device": device,
        **counts,
        "failed": [o.run_id for o in outcomes if o.status == "error"],
    }
