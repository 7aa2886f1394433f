"""Submit a suite profile as one job array (Slurm, local processes or in-process) via submitit.

:func:`submit` plans the profile, splits its runs into shards of equal predicted time
(:mod:`reproduce.cluster.shards`), submits one job array with one task per shard (each task runs
:func:`reproduce.cluster.task.run_shard`) and writes ``submission.json`` next to the runs::

    <runs root>/<suite>/.submit/<profile>[-<overrides hash>]/
        submission.json     profile, shards and their run ids, job ids, git SHA, predicted time
        logs/<job id>/      submitit's pickles and each task's stdout/stderr

The run folders themselves are the engine's (``<runs root>/<suite>/<run id>/``): atomic and
resumable, so a task killed mid-run loses only the run it was writing. :func:`shard_status`
reads the job states together with the run folders, and ``submit(..., resubmit_failed=True)``
submits a new array over the shards whose runs failed or never ran (their completed runs are
skipped by the engine).

Executors: ``slurm`` (``sbatch`` job array; the runs root must be on a file system that every
node sees), ``local`` (submitit's LocalExecutor: one process per shard on this machine, one
visible GPU each through ``CUDA_VISIBLE_DEVICES``; waits for the tasks) and ``debug``
(submitit's DebugExecutor: the shards run one after the other in this process).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import submitit

from reproduce.cluster.jobs import is_active, parse_time_minutes, pid_alive, slurm_states
from reproduce.cluster.shards import plan_shards
from reproduce.cluster.task import ShardTask, run_shard, time_budget_s
from reproduce.engine.config import code_version, git_sha
from reproduce.engine.io import atomic_write_json
from reproduce.engine.plan import run_configs
from review import paths
from review.errors import InputError

__all__ = [
    "EXECUTORS",
    "ClusterOptions",
    "job_columns",
    "load_submission",
    "shard_status",
    "submission_dir",
    "submit",
    "visible_gpus",
]

EXECUTORS: tuple[str, ...] = ("slurm", "local", "debug")
#: Time limit of a Slurm task without ``--time`` (minutes).
DEFAULT_SLURM_MINUTES = 60
SUBMISSION_FORMAT = 1


@dataclass(frozen=True)
class ClusterOptions:
    """Scheduler options of a submission (``None``: the scheduler's default).

    Attributes
    ----------
    partition, account, qos, constraint
        ``sbatch --partition/--account/--qos/--constraint``.
    gpus_per_task, cpus_per_task
        ``sbatch --gpus-per-task/--cpus-per-task``.
    mem
        ``sbatch --mem`` (memory per node, e.g. ``32G``).
    time
        Time limit of each task (``sbatch --time`` formats); also the local executor's.
    array_parallelism
        At most this many tasks of the array run at once (``--array=0-N%P``).
    slurm_extra
        Further ``#SBATCH`` options as ``KEY=VALUE`` (``KEY`` alone for a flag), e.g.
        ``gres=gpu:a100:1`` or ``exclusive``.
    job_name
        ``sbatch --job-name``.
    """

    partition: str | None = None
    gpus_per_task: int | None = None
    cpus_per_task: int | None = None
    mem: str | None = None
    time: str | None = None
    array_parallelism: int | None = None
    account: str | None = None
    qos: str | None = None
    constraint: str | None = None
    slurm_extra: tuple[str, ...] = ()
    job_name: str | None = None

    def merged(self, other: ClusterOptions) -> ClusterOptions:
        """These options with every option set in ``other`` taking precedence."""
        mine = asdict(self)
        for k, v in asdict(other).items():
            if v not in (None, (), []):
                mine[k] = tuple(v) if k == "slurm_extra" else v
        mine["slurm_extra"] = tuple(mine["slurm_extra"])
        return ClusterOptions(**mine)

    def validate(self) -> None:
        """Check the values (one-line :class:`InputError` naming the option)."""
        for name in ("gpus_per_task", "cpus_per_task", "array_parallelism"):
            v = getattr(self, name)
            if v is not None and (not isinstance(v, int) or v < (0 if name[0] == "g" else 1)):
                flag = "--" + name.replace("_", "-")
                raise InputError(f"{flag} {v!r}: expected a positive integer")
        if self.time is not None:
            parse_time_minutes(self.time)
        _extra_parameters(self.slurm_extra)


def _extra_parameters(items: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip().lstrip("-")
        if not key or not all(c.isalnum() or c in "-_" for c in key):
            raise InputError(
                f"--slurm-extra {item!r}: expected KEY=VALUE (an sbatch option without its "
                "leading --, e.g. gres=gpu:a100:1) or KEY for a flag"
            )
        out[key.replace("-", "_")] = value if sep else True
    return out


# ============================================================================ locations
def submission_dir(
    suite: str, profile: str, sets: Sequence[str] = (), runs_root: Path | None = None
) -> Path:
    """Folder of a profile's submission: ``<runs root>/<suite>/.submit/<profile>[-<hash>]``.

    Overrides (``--set``) change the runs, so each distinct set of overrides gets its own
    folder (8 hex digits of the SHA-256 of the sorted overrides).
    """
    name = profile
    if sets:
        name += "-" + hashlib.sha256("\n".join(sorted(sets)).encode()).hexdigest()[:8]
    return (runs_root or paths.runs_dir()) / suite / ".submit" / name


def load_submission(folder: Path) -> dict[str, Any] | None:
    """The ``submission.json`` in ``folder`` (``None`` when there is none).

    Raises
    ------
    InputError
        The file exists but is not a submission record.
    """
    f = folder / "submission.json"
    if not f.is_file():
        return None
    try:
        data = json.loads(f.read_text())
    except ValueError as exc:
        raise InputError(f"{f}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("shards"), list):
        raise InputError(f"{f}: expected a submission record with a 'shards' list")
    return data


def visible_gpus() -> list[str]:
    """This machine's visible GPUs as ``CUDA_VISIBLE_DEVICES`` entries (``[]`` without one).

    ``CUDA_VISIBLE_DEVICES`` when set (its entries may be indices or UUIDs), otherwise
    ``0 .. torch.cuda.device_count() - 1``.
    """
    env = os.environ.get("CUDA_VISIBLE_DEVICES")
    if env is not None:
        return [t.strip() for t in env.split(",") if t.strip() and t.strip() != "-1"]
    import torch  # torch: only when CUDA_VISIBLE_DEVICES does not say

    return [str(i) for i in range(torch.cuda.device_count())]


# ============================================================================ submit
def submit(
    suite: str,
    profile: str,
    *,
    executor: str = "slurm",
    options: ClusterOptions | None = None,
    shards: int | None = None,
    sets: Sequence[str] = (),
    runs_root: Path | None = None,
    device: str = "auto",
    resubmit_failed: bool = False,
    wait: bool = False,
    keep_model: bool = False,
    dry_run: bool = False,
    echo: Callable[[str], None] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Submit a profile's runs as one job array (or resubmit its failed shards).

    Parameters
    ----------
    suite
        Suite name or YAML path.
    profile
        Profile name.
    executor
        ``slurm``, ``local`` or ``debug``.
    options
        Scheduler options (:class:`ClusterOptions`). With ``resubmit_failed`` the recorded
        options are reused and the options set here take precedence.
    shards
        Number of tasks. Default: the number of visible GPUs for ``local`` (at least 1), 1
        otherwise. Never more than the number of runs.
    sets
        ``FIELD=VALUE`` overrides of every run (as ``tlreview reproduce run --set``).
    runs_root
        Shared runs folder (default ``TLREVIEW_RUNS_DIR`` or ``runs/``); made absolute.
    device
        Device of every task (``auto``: a GPU when the task sees one).
    resubmit_failed
        Submit again only the shards of the existing submission whose runs failed or never
        ran and whose last job is no longer active.
    wait
        Wait until the submitted tasks have finished (always for ``local`` and ``debug``).
    keep_model
        Save each trained model in its run folder.
    dry_run
        Only plan the shards: return the plan (``predictor``, ``predicted_s``,
        ``predicted_makespan_s``, ``shards``), submit and write nothing.
    echo
        Where progress lines go (default standard error).

    Returns
    -------
    tuple
        The submission record as written to ``submission.json``, and the ids of the jobs
        submitted by this call (``[]`` when there was nothing to resubmit).

    Raises
    ------
    InputError
        Unknown executor, bad option, no Slurm here, an active submission of the same
        profile (for a new submission), or no submission (for ``resubmit_failed``).
    """
    echo = echo or (lambda s: print(s, file=sys.stderr, flush=True))
    if executor not in EXECUTORS:
        raise InputError(f"--executor {executor!r}: expected one of {', '.join(EXECUTORS)}")
    options = options or ClusterOptions()
    options.validate()
    if shards is not None and shards < 1:
        raise InputError(f"--shards {shards}: expected an integer >= 1")
    root = Path(runs_root or paths.runs_dir()).resolve()
    suite_arg = str(Path(suite).resolve()) if Path(suite).suffix in (".yaml", ".yml") else suite
    s, planned = run_configs(suite_arg, profile, sets=sets)
    folder = submission_dir(s.name, profile, sets, root)
    record = load_submission(folder)
    previous = None  # a finished earlier submission replaced by this one (kept beside it)

    if resubmit_failed:
        if dry_run:
            raise InputError(
                "--dry-run plans a new submission; `tlreview reproduce status` shows which "
                "shards --resubmit-failed would submit again"
            )
        if record is None:
            raise InputError(
                f"{folder / 'submission.json'}: no submission of {s.name}/{profile} to "
                "resubmit; submit it first"
            )
        if shards is not None:
            raise InputError("--shards cannot change on --resubmit-failed (the shards are fixed)")
        if executor != record["executor"]:
            raise InputError(
                f"--executor {executor}: the submission used {record['executor']}; "
                f"resubmit with --executor {record['executor']}"
            )
        options = ClusterOptions(**_options_from_record(record)).merged(options)
        status = shard_status(record)
        redo = [
            int(r["shard"])
            for r in status.iter_rows(named=True)
            if (r["error"] or r["partial"] or r["pending"]) and not is_active(r["job_state"])
        ]
        busy = [int(r["shard"]) for r in status.iter_rows(named=True) if is_active(r["job_state"])]
        if busy:
            echo(f"shard(s) {_ranges(busy)} still active: not resubmitted")
        if not redo:
            echo(f"{s.name}/{profile}: nothing to resubmit (every shard ok or still active)")
            return record, []
        known = {p.run_id for p in planned}
        lost = [rid for k in redo for rid in record["shards"][k]["run_ids"] if rid not in known]
        if lost:
            raise InputError(
                f"{folder / 'submission.json'}: run id(s) {', '.join(lost[:5])} are no longer "
                "in the profile (suite, --set or engine version changed); submit anew"
            )
    else:
        if record is not None and not dry_run:
            latest = _latest_jobs(record)
            states = _job_states(record, latest)
            active = sorted(j for j in latest.values() if is_active(states.get(j)))
            if active:
                raise InputError(
                    f"{s.name}/{profile} is already submitted and job(s) {', '.join(active)} are "
                    "active; see `tlreview reproduce status`, or --resubmit-failed once they end"
                )
            previous = record
        if executor == "local" and shards is None:
            shards = max(1, len(visible_gpus()))
        plan = plan_shards(planned, shards or 1)
        if dry_run:
            return {**plan, "suite": s.name, "profile": profile, "n_runs": len(planned)}, []
        record = {
            "format": SUBMISSION_FORMAT,
            "suite": s.name,
            "suite_arg": suite_arg,
            "profile": profile,
            "sets": list(sets),
            "executor": executor,
            "options": _options_to_record(options),
            "device": device,
            "keep_model": keep_model,
            "runs_root": str(root),
            "git_sha": git_sha(),
            "code_version": code_version(),
            "created_utc": _now(),
            "n_runs": len(planned),
            **plan,
            "attempts": [],
        }
        redo = list(range(len(record["shards"])))
        if not redo:
            raise InputError(f"{s.name}/{profile}: the profile has no runs")

    attempt_no = len(record["attempts"])
    limit = parse_time_minutes(options.time) if options.time else None
    if limit is None and executor == "slurm":
        limit = DEFAULT_SLURM_MINUTES
    seeds_of = {p.run_id: p.config.seed for p in planned}
    tasks = [
        ShardTask(
            suite=record["suite_arg"],
            profile=profile,
            sets=tuple(record["sets"]),
            run_ids=tuple(record["shards"][k]["run_ids"]),
            runs_root=record["runs_root"],
            out=str(folder / "worker" / f"attempt{attempt_no}-shard{k}"),
            device=record["device"],
            shard=k,
            keep_model_seeds=tuple(
                sorted({seeds_of[r] for r in record["shards"][k]["run_ids"]})
                if record.get("keep_model")
                else ()
            ),
            time_budget_s=time_budget_s(limit),
        )
        for k in redo
    ]
    jobs = _submit_tasks(executor, folder, options, tasks, record)
    attempt = {
        "attempt": attempt_no,
        "submitted_utc": _now(),
        "git_sha": git_sha(),
        "options": _options_to_record(options),
        "shards": redo,
        "job_ids": [str(j.job_id) for j in jobs],
    }
    record["attempts"].append(attempt)
    if previous is not None:
        (folder / "submission.json").replace(
            folder / f"submission.{previous.get('created_utc', 'old')}.json"
        )
    atomic_write_json(folder / "submission.json", record)
    array = str(jobs[0].job_id).split("_")[0]
    what = f"job array {array}" if executor == "slurm" else f"{executor} job(s)"
    makespan = record.get("predicted_makespan_s")
    echo(
        f"{s.name}/{profile}: submitted {what} ({len(jobs)} task(s), shard(s) {_ranges(redo)}, "
        f"{sum(len(t.run_ids) for t in tasks)} run(s)"
        + (
            f"; longest shard predicted {makespan:.0f} s on {record.get('cost_device')}"
            if makespan is not None
            else ""
        )
        + f") -> {folder / 'submission.json'}"
    )
    if executor in ("local", "debug") or wait:
        states = _wait(executor, jobs, echo)
        attempt["final_states"] = states
        atomic_write_json(folder / "submission.json", record)
    return record, attempt["job_ids"]


def _submit_tasks(
    executor: str,
    folder: Path,
    options: ClusterOptions,
    tasks: list[ShardTask],
    record: dict[str, Any],
) -> list[Any]:
    logs = folder / "logs" / "%j"  # one folder per Slurm job; local and debug use logs/
    minutes = parse_time_minutes(options.time) if options.time else None
    if executor == "debug":
        ex = submitit.DebugExecutor(folder=logs.parent)
        return ex.map_array(run_shard, tasks)
    if executor == "local":
        gpus = visible_gpus()
        ex = submitit.LocalExecutor(folder=logs.parent, max_num_timeout=0)
        jobs = []
        for task in tasks:
            # One GPU per task, round-robin over the visible ones; none on a CPU machine.
            token = gpus[task.shard % len(gpus)] if gpus else ""
            ex.update_parameters(
                timeout_min=minutes or 7 * 24 * 60,
                setup=[f"export CUDA_VISIBLE_DEVICES={token}"],
                signal_delay_s=30,
            )
            jobs.append(ex.submit(run_shard, task))
        return jobs
    missing = [c for c in ("sbatch", "srun") if shutil.which(c) is None]
    if missing:
        raise InputError(
            f"--executor slurm: {' and '.join(missing)} not found; run on a Slurm login node "
            "(or use --executor local)"
        )
    ex = submitit.SlurmExecutor(folder=logs, max_num_timeout=0)
    params: dict[str, Any] = {
        "job_name": options.job_name or f"tlreview-{record['suite']}-{record['profile']}",
        "time": minutes or DEFAULT_SLURM_MINUTES,
        "partition": options.partition,
        "gpus_per_task": options.gpus_per_task or None,
        "cpus_per_task": options.cpus_per_task,
        "mem": options.mem,
        "array_parallelism": options.array_parallelism,
        "account": options.account,
        "qos": options.qos,
        "constraint": options.constraint,
        # one torch thread per allocated CPU (Slurm allocates one unless --cpus-per-task)
        "setup": ["export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}"],
    }
    extra = _extra_parameters(options.slurm_extra)
    if extra:
        params["additional_parameters"] = extra
    ex.update_parameters(**{k: v for k, v in params.items() if v is not None})
    try:
        return ex.map_array(run_shard, tasks)
    except FileNotFoundError as exc:
        raise InputError(
            f"--executor slurm: {exc.filename or 'sbatch'} not found; run on a Slurm login node "
            "(or use --executor local)"
        ) from None
    except subprocess.CalledProcessError as exc:  # sbatch refused the job
        msg = (getattr(exc, "stderr", None) or getattr(exc, "output", b"") or b"").decode(
            errors="replace"
        )
        raise InputError(f"sbatch refused the job array: {msg.strip() or exc}") from None


def _wait(executor: str, jobs: list[Any], echo: Callable[[str], None]) -> dict[str, str]:
    """Wait for the jobs; return job id -> final state."""
    states: dict[str, str] = {}
    if executor == "slurm":
        ids = [str(j.job_id) for j in jobs]
        while True:
            now = slurm_states(ids)
            if not any(is_active(s) for s in now.values()):
                return now
            time.sleep(2)
    for job in jobs:
        try:
            out = job.result()
            states[str(job.job_id)] = "COMPLETED"
            echo(
                f"shard {out['shard']}: task {job.job_id} completed on {out['host']} "
                f"({out['device']}): {out['ok']} ran, {out['skipped']} already complete, "
                f"{out['error']} failed"
            )
        except Exception as exc:  # noqa: BLE001 - a failed task is recorded, the others go on
            first = str(exc).strip().splitlines()
            states[str(job.job_id)] = "FAILED"
            echo(f"task {job.job_id} failed: {first[-1] if first else type(exc).__name__}")
    return states


def _options_to_record(options: ClusterOptions) -> dict[str, Any]:
    d = asdict(options)
    d["slurm_extra"] = list(options.slurm_extra)
    return d


def _options_from_record(record: dict[str, Any]) -> dict[str, Any]:
    d = dict(record.get("options") or {})
    d["slurm_extra"] = tuple(d.get("slurm_extra") or ())
    known = set(ClusterOptions.__dataclass_fields__)
    return {k: v for k, v in d.items() if k in known}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _ranges(ks: Sequence[int]) -> str:
    return ",".join(str(k) for k in ks)


# ============================================================================ status
def _latest_jobs(record: dict[str, Any]) -> dict[int, str]:
    """Shard index -> the job id of its latest attempt."""
    latest: dict[int, str] = {}
    for att in record.get("attempts", []):
        for k, jid in zip(att["shards"], att["job_ids"], strict=True):
            latest[int(k)] = str(jid)
    return latest


def _job_states(record: dict[str, Any], latest: dict[int, str]) -> dict[str, str]:
    ids = list(latest.values())
    if record["executor"] == "slurm":
        return slurm_states(ids)
    final: dict[str, str] = {}
    for att in record.get("attempts", []):
        final.update(att.get("final_states") or {})
    out = {}
    for jid in ids:
        if jid in final:
            out[jid] = final[jid]
        elif record["executor"] == "local" and jid.isdigit() and pid_alive(int(jid)):
            out[jid] = "RUNNING"
        else:
            out[jid] = "UNKNOWN"
    return out


def run_states(record: dict[str, Any]) -> dict[str, str]:
    """Run id -> ``ok``, ``error``, ``partial`` (being written or killed) or ``pending``."""
    root = Path(record["runs_root"]) / record["suite"]
    out = {}
    for shard in record["shards"]:
        for rid in shard["run_ids"]:
            state = "pending"
            f = root / rid / "result.json"
            if f.is_file():
                try:
                    state = str(json.loads(f.read_text()).get("status", "unknown"))
                except ValueError:
                    state = "unknown"
            elif any(root.glob(f".partial-{rid}-*")):
                state = "partial"
            out[rid] = state
    return out


def shard_status(record: dict[str, Any]) -> pl.DataFrame:
    """One row per shard: its latest job, the job's state and the states of its runs.

    Parameters
    ----------
    record
        A submission record (:func:`load_submission`).

    Returns
    -------
    polars.DataFrame
        ``shard, job_id, job_state, attempts, runs, ok, error, partial, pending, predicted_s``.
    """
    latest = _latest_jobs(record)
    jstates = _job_states(record, latest)
    rstates = run_states(record)
    tries: dict[int, int] = {}
    for att in record.get("attempts", []):
        for k in att["shards"]:
            tries[int(k)] = tries.get(int(k), 0) + 1
    rows = []
    for shard in record["shards"]:
        k = int(shard["index"])
        states = [rstates[r] for r in shard["run_ids"]]
        jid = latest.get(k)
        rows.append(
            {
                "shard": k,
                "job_id": jid,
                "job_state": jstates.get(jid) if jid else None,
                "attempts": tries.get(k, 0),
                "runs": len(states),
                "ok": states.count("ok"),
                "error": sum(s not in ("ok", "partial", "pending") for s in states),
                "partial": states.count("partial"),
                "pending": states.count("pending"),
                "predicted_s": shard.get("predicted_s"),
            }
        )
    schema = {
        "shard": pl.Int64,
        "job_id": pl.String,
        "job_state": pl.String,
        "attempts": pl.Int64,
        "runs": pl.Int64,
        "ok": pl.Int64,
        "error": pl.Int64,
        "partial": pl.Int64,
        "pending": pl.Int64,
        "predicted_s": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema)


def job_columns(record: dict[str, Any]) -> pl.DataFrame:
    """Run id -> ``shard, job_id, job_state`` (for ``tlreview reproduce status``)."""
    latest = _latest_jobs(record)
    jstates = _job_states(record, latest)
    rows = []
    for shard in record["shards"]:
        k = int(shard["index"])
        jid = latest.get(k)
        for rid in shard["run_ids"]:
            rows.append(
                {
                    "run_id": rid,
                    "shard": k,
                    "job_id": jid,
                    "job_state": jstates.get(jid) if jid else None,
                }
            )
    schema = {"run_id": pl.String, "shard": pl.Int64, "job_id": pl.String, "job_state": pl.String}
    return pl.DataFrame(rows, schema=schema)
