"""``tlreview reproduce submit``: a suite profile as one job array (Slurm, local GPUs, debug)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import polars as pl

from reproduce.cluster.submit import (
    ClusterOptions,
    job_columns,
    load_submission,
    shard_status,
    submission_dir,
    submit,
)
from review.output import FORMATS, write_frame

__all__ = ["add_job_columns", "register_submit", "shard_plan_frame"]


def register_submit(s: argparse._SubParsersAction) -> None:
    """Add ``submit`` to the ``reproduce`` group."""
    p = s.add_parser(
        "submit",
        help="submit a suite profile as one job array (Slurm, local GPUs)",
        description=(
            "Submit a suite profile as one job array through submitit: one task per shard, "
            "shards of equal predicted time. Example: tlreview reproduce submit guideline "
            "--profile gpu --partition gpu --gpus-per-task 1 --cpus-per-task 8 --mem 32G "
            "--time 04:00:00 --shards 8. Writes submission.json under RUNS/SUITE/.submit/; "
            "`tlreview reproduce status` shows job and run states; --resubmit-failed submits "
            "again only the shards whose runs failed or never ran."
        ),
    )
    p.add_argument("suite", help="suite name (reproduce/suites/NAME.yaml) or YAML path")
    p.add_argument("--profile", default="smoke", help="profile (default smoke)")
    p.add_argument(
        "--executor",
        choices=("slurm", "local", "debug"),
        default="slurm",
        help="slurm: sbatch job array; local: one process per visible GPU on this machine; "
        "debug: the shards in this process (default slurm)",
    )
    p.add_argument(
        "--shards",
        type=int,
        default=None,
        help="number of tasks (default: visible GPUs for local, else 1)",
    )
    p.add_argument("--partition", default=None, help="sbatch --partition")
    p.add_argument("--gpus-per-task", type=int, default=None, help="sbatch --gpus-per-task")
    p.add_argument("--cpus-per-task", type=int, default=None, help="sbatch --cpus-per-task")
    p.add_argument("--mem", default=None, help="sbatch --mem (per node, e.g. 32G)")
    p.add_argument(
        "--time",
        default=None,
        help="time limit of each task: minutes, HH:MM:SS or D-HH:MM:SS (default 60 minutes "
        "on Slurm, none locally)",
    )
    p.add_argument(
        "--array-parallelism", type=int, default=None, help="at most this many tasks at once"
    )
    p.add_argument("--account", default=None, help="sbatch --account")
    p.add_argument("--qos", default=None, help="sbatch --qos")
    p.add_argument("--constraint", default=None, help="sbatch --constraint")
    p.add_argument(
        "--slurm-extra",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="any other sbatch option without its leading -- (repeatable), e.g. "
        "gres=gpu:a100:1, reservation=xyz, exclusive",
    )
    p.add_argument("--job-name", default=None, help="sbatch --job-name")
    p.add_argument(
        "--device", default="auto", help="device of every task: auto, cpu, cuda (default auto)"
    )
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="FIELD=VALUE")
    p.add_argument("--keep-model", action="store_true", help="save each trained model")
    p.add_argument(
        "--resubmit-failed",
        action="store_true",
        help="resubmit only the shards whose runs failed or never ran",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print the shards (runs, predicted time) and submit nothing",
    )
    p.add_argument("--format", choices=FORMATS, default="table", help="output format of --dry-run")
    p.add_argument(
        "--wait", action="store_true", help="wait until the tasks end (local/debug always wait)"
    )
    p.add_argument(
        "--runs-dir",
        type=Path,
        default=None,
        help="shared runs root (default TLREVIEW_RUNS_DIR or runs/)",
    )
    p.set_defaults(func=_submit)


def _submit(args: argparse.Namespace) -> int:
    options = ClusterOptions(
        partition=args.partition,
        gpus_per_task=args.gpus_per_task,
        cpus_per_task=args.cpus_per_task,
        mem=args.mem,
        time=args.time,
        array_parallelism=args.array_parallelism,
        account=args.account,
        qos=args.qos,
        constraint=args.constraint,
        slurm_extra=tuple(args.slurm_extra),
        job_name=args.job_name,
    )
    record, job_ids = submit(
        args.suite,
        args.profile,
        executor=args.executor,
        options=options,
        shards=args.shards,
        sets=args.sets,
        runs_root=args.runs_dir,
        device=args.device,
        resubmit_failed=args.resubmit_failed,
        wait=args.wait,
        keep_model=args.keep_model,
        dry_run=args.dry_run,
    )
    if args.dry_run:
        write_frame(shard_plan_frame(record), args.format)
        print(
            f"{record['suite']}/{record['profile']}: {record['n_runs']} run(s) in "
            f"{len(record['shards'])} shard(s); {_predicted(record)}",
            file=sys.stderr,
        )
        return 0
    if job_ids:  # the job (array) id on standard output, e.g. for `JOB=$(tlreview ...)`
        print(job_ids[0].split("_")[0] if args.executor == "slurm" else " ".join(job_ids))
    waited = args.wait or args.executor != "slurm"
    if waited:
        status = shard_status(record)
        _print_shards(status)
        print(_summary(status), file=sys.stderr)
        bad = status.filter((pl.col("error") > 0) | (pl.col("pending") + pl.col("partial") > 0))
        return 1 if bad.height else 0
    return 0


def _predicted(plan: dict[str, Any]) -> str:
    if plan.get("predicted_s") is None:
        return f"no predicted time, shards balanced by number of runs ({plan['predictor']})"
    return (
        f"predicted {plan['predicted_s']:.0f} s in all, {plan['predicted_makespan_s']:.0f} s "
        f"for the longest shard ({plan['predictor']})"
    )


def shard_plan_frame(plan: dict[str, Any]) -> pl.DataFrame:
    """One row per planned shard: ``shard, runs, predicted_s`` (and the predictor)."""
    return pl.DataFrame(
        {
            "shard": [int(sh["index"]) for sh in plan["shards"]],
            "runs": [len(sh["run_ids"]) for sh in plan["shards"]],
            "predicted_s": [sh["predicted_s"] for sh in plan["shards"]],
            "predictor": [plan["predictor"]] * len(plan["shards"]),
        },
        schema={
            "shard": pl.Int64,
            "runs": pl.Int64,
            "predicted_s": pl.Float64,
            "predictor": pl.String,
        },
    )


def _summary(status: pl.DataFrame) -> str:
    n = {c: int(status[c].sum()) for c in ("runs", "ok", "error", "partial", "pending")}
    return (
        f"{n['runs']} run(s) in {status.height} shard(s): {n['ok']} ok, {n['error']} failed, "
        f"{n['partial']} interrupted, {n['pending']} not run"
    )


def _print_shards(status: pl.DataFrame) -> None:
    for r in status.iter_rows(named=True):
        print(
            f"shard {r['shard']}: job {r['job_id']} {r['job_state']} (attempts {r['attempts']}); "
            f"{r['ok']}/{r['runs']} ok, {r['error']} failed, {r['partial']} interrupted, "
            f"{r['pending']} not run",
            file=sys.stderr,
        )


def add_job_columns(
    frame: pl.DataFrame,
    suite: str,
    profile: str,
    sets: list[str],
    runs_root: Path | None,
) -> pl.DataFrame:
    """Add ``shard, job_id, job_state`` to a ``status`` frame when the profile was submitted.

    Also prints one line per shard (job, job state, run states) on standard error.
    """
    record = load_submission(submission_dir(suite, profile, sets, runs_root))
    if record is None:
        return frame
    _print_shards(shard_status(record))
    return frame.join(job_columns(record), on="run_id", how="left", maintain_order="left")
