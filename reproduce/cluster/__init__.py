"""Beyond one GPU: a suite profile as one job array (Slurm, local GPUs) through submitit.

See :mod:`reproduce.cluster.submit` (submission, status, resubmission),
:mod:`reproduce.cluster.shards` (shards of equal predicted time) and
:mod:`reproduce.cluster.task` (what each task runs).
"""

from reproduce.cluster.shards import balance_shards, plan_shards, predict_seconds
from reproduce.cluster.submit import (
    EXECUTORS,
    ClusterOptions,
    job_columns,
    load_submission,
    shard_status,
    submission_dir,
    submit,
)

__all__ = [
    "EXECUTORS",
    "ClusterOptions",
    "balance_shards",
    "job_columns",
    "load_submission",
    "plan_shards",
    "predict_seconds",
    "shard_status",
    "submission_dir",
    "submit",
]
