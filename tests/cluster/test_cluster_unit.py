"""reproduce.cluster without a cluster: shard balancing, options, sbatch scripts, resubmission.

The scheduler commands in ``test_sbatch_script_*`` are SYNTHETIC stand-ins (shell scripts named
``sbatch``/``squeue``/``sacct`` on ``PATH`` that record what they were given); the real Slurm
tests are in ``test_slurm.py``. Suites are SYNTHETIC (``conftest.write_suite``).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import shutil
from pathlib import Path

import pytest
from local_slurm import SlurmUnavailable, start_cluster

from reproduce.cluster import (
    ClusterOptions,
    balance_shards,
    load_submission,
    plan_shards,
    predict_seconds,
    submission_dir,
)
from reproduce.cluster.jobs import is_active, parse_time_minutes
from reproduce.cluster.task import time_budget_s
from reproduce.device import cost
from reproduce.device.worker import run_worker
from reproduce.engine.plan import run_configs
from review.cli import main
from review.errors import InputError


# ---------------------------------------------------------------------------- shard balancing
def _makespan(seconds: list[float], shards: list[list[int]]) -> float:
    return max(sum(seconds[i] for i in s) for s in shards)


def test_shards_balance_time_not_count():
    # one long run and ten short ones: by count each shard would get 5-6 runs and one of them
    # 10 + 5 = 15 s; by time the long run is alone (10 s) and the ten short ones share (10 s).
    seconds = [1.0] * 5 + [10.0] + [1.0] * 5
    shards = balance_shards(seconds, 2)
    assert shards == [[5], [0, 1, 2, 3, 4, 6, 7, 8, 9, 10]]
    assert _makespan(seconds, shards) == 10.0


def test_shards_partition_every_run_once_and_are_deterministic():
    rng = random.Random(0)
    seconds = [rng.uniform(1, 100) for _ in range(57)]
    shards = balance_shards(seconds, 7)
    assert sorted(itertools.chain.from_iterable(shards)) == list(range(57))
    assert len(shards) == 7 and all(s == sorted(s) for s in shards)
    assert balance_shards(seconds, 7) == shards


@pytest.mark.parametrize("trial", range(20))
def test_shards_within_lpt_bound_of_the_optimum(trial):
    # Graham (1969): longest-processing-time-first is within 4/3 - 1/(3m) of the optimal
    # makespan; the optimum is found here by brute force over every assignment.
    rng = random.Random(trial)
    n, m = rng.randint(3, 8), rng.randint(2, 3)
    seconds = [float(rng.randint(1, 20)) for _ in range(n)]
    best = min(
        max(sum(s for s, a in zip(seconds, assign, strict=True) if a == k) for k in range(m))
        for assign in itertools.product(range(m), repeat=n)
    )
    got = _makespan(seconds, balance_shards(seconds, m))
    assert best <= got <= (4 / 3 - 1 / (3 * m)) * best + 1e-9


def test_shards_never_empty_and_bad_input():
    assert balance_shards([3.0, 1.0], 5) == [[0], [1]]
    with pytest.raises(InputError, match="--shards 0"):
        balance_shards([1.0], 0)
    with pytest.raises(InputError, match="run #1"):
        balance_shards([1.0, -2.0], 2)


# ---------------------------------------------------------------------------- options
@pytest.mark.parametrize(
    ("text", "minutes"),
    [("90", 90), ("1:30", 2), ("04:00:00", 240), ("1-12", 2160), ("2-00:30", 2910), (45, 45)],
)
def test_slurm_time_formats(text, minutes):
    assert parse_time_minutes(text) == minutes


@pytest.mark.parametrize("text", ["", "4h", "1:2:3:4", "0", "-5"])
def test_slurm_time_rejects(text):
    with pytest.raises(InputError, match="--time"):
        parse_time_minutes(text)


def test_options_merge_and_validate():
    rec = ClusterOptions(partition="gpu", time="01:00:00", slurm_extra=("gres=gpu:1",))
    new = rec.merged(ClusterOptions(time="08:00:00"))
    assert (new.partition, new.time, new.slurm_extra) == ("gpu", "08:00:00", ("gres=gpu:1",))
    with pytest.raises(InputError, match="--cpus-per-task 0"):
        ClusterOptions(cpus_per_task=0).validate()
    with pytest.raises(InputError, match="--slurm-extra '=x'"):
        ClusterOptions(slurm_extra=("=x",)).validate()
    assert is_active("RUNNING") and is_active("PENDING") and not is_active("CANCELLED by 0")
    assert not is_active("UNKNOWN") and not is_active(None)


# ---------------------------------------------------------------------------- CLI errors
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--time", "4h"], "--time '4h'"),
        (["--slurm-extra", "=x"], "--slurm-extra '=x'"),
        (["--shards", "0"], "--shards 0"),
        (["--profile", "nope"], "no profile 'nope'"),
        (["--resubmit-failed"], "no submission of cluster_synthetic/tiny"),
    ],
)
def test_submit_bad_input_exits_2_with_one_line(quick_suite, capsys, extra, message):
    argv = ["reproduce", "submit", str(quick_suite), "--profile", "tiny", *extra]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0], err


def test_submit_without_slurm_says_so(quick_suite, tmp_path, monkeypatch, capsys):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    argv = ["reproduce", "submit", str(quick_suite), "--profile", "tiny", "--shards", "2"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "sbatch and srun not found" in err[0], err


# ---------------------------------------------------------------------------- sbatch script
FAKE_SBATCH = """#!/bin/sh
# SYNTHETIC sbatch: records the script it is given and answers like sbatch.
n=$(cat "{rec}/count" 2>/dev/null || echo 4240); n=$((n + 1)); echo $n > "{rec}/count"
cp "$1" "{rec}/script-$n.sh"
echo "Submitted batch job $n"
"""


@pytest.fixture
def fake_slurm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SYNTHETIC sbatch/squeue/sacct on PATH; returns the folder of recorded scripts."""
    bin_dir, rec = tmp_path / "fake-bin", tmp_path / "fake-rec"
    bin_dir.mkdir()
    rec.mkdir()
    (bin_dir / "sbatch").write_text(FAKE_SBATCH.format(rec=rec))
    for name in ("squeue", "sacct"):  # knows no job: every state reads UNKNOWN
        (bin_dir / name).write_text("#!/bin/sh\nexit 1\n")
    (bin_dir / "srun").write_text("#!/bin/sh\nexit 0\n")  # submitit looks for it
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return rec


def test_sbatch_script_carries_every_option(quick_suite, fake_slurm, tmp_path, capsys):
    argv = [
        "reproduce", "submit", str(quick_suite), "--profile", "tiny", "--shards", "3",
        "--partition", "gpu", "--gpus-per-task", "1", "--cpus-per-task", "8", "--mem", "32G",
        "--time", "04:00:00", "--array-parallelism", "2", "--account", "proj", "--qos", "high",
        "--constraint", "a100", "--slurm-extra", "gres=gpu:a100:1", "--slurm-extra", "exclusive",
    ]  # fmt: skip
    assert main(argv) == 0
    assert capsys.readouterr().out.strip() == "4241"
    script = (fake_slurm / "script-4241.sh").read_text()
    for line in (
        "#SBATCH --partition=gpu",
        "#SBATCH --gpus-per-task=1",
        "#SBATCH --cpus-per-task=8",
        "#SBATCH --mem=32G",
        "#SBATCH --time=240",
        "#SBATCH --array=0-2%2",
        "#SBATCH --account=proj",
        "#SBATCH --qos=high",
        "#SBATCH --constraint=a100",
        "#SBATCH --gres=gpu:a100:1",
        "#SBATCH --exclusive",
        "#SBATCH --job-name=tlreview-cluster_synthetic-tiny",
        "export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}",
    ):
        assert line in script.splitlines(), line
    rec = load_submission(submission_dir("cluster_synthetic", "tiny", (), tmp_path / "runs"))
    assert rec is not None and rec["profile"] == "tiny" and rec["executor"] == "slurm"
    assert [len(s["run_ids"]) for s in rec["shards"]] == [2, 2, 2]
    assert sorted(sum((s["run_ids"] for s in rec["shards"]), [])) == sorted(
        {rid for s in rec["shards"] for rid in s["run_ids"]}
    )
    assert rec["attempts"][0]["job_ids"] == ["4241_0", "4241_1", "4241_2"]
    assert rec["predictor"] == "cost-model:h200" and rec["cost_device"] == "h200"
    shard_s = [s["predicted_s"] for s in rec["shards"]]
    assert rec["predicted_s"] == pytest.approx(sum(shard_s))
    assert rec["predicted_makespan_s"] == max(shard_s) and min(shard_s) > 0
    assert rec["git_sha"] is None or len(rec["git_sha"]) == 40

    # status: the jobs are unknown to the (fake) scheduler, no run has started
    st = ["reproduce", "status", str(quick_suite), "--profile", "tiny", "--format", "json"]
    assert main(st) == 0
    out = capsys.readouterr()
    rows = json.loads(out.out)
    assert {r["state"] for r in rows} == {"pending"} and {r["job_state"] for r in rows} == {
        "UNKNOWN"
    }
    assert sorted({(r["shard"], r["job_id"]) for r in rows}) == [
        (0, "4241_0"),
        (1, "4241_1"),
        (2, "4241_2"),
    ]
    assert "shard 2: job 4241_2 UNKNOWN (attempts 1); 0/2 ok" in out.err

    # resubmission keeps the shards and the recorded options; a given option overrides one
    argv = ["reproduce", "submit", str(quick_suite), "--profile", "tiny", "--resubmit-failed"]
    assert main([*argv, "--time", "8:00:00"]) == 0
    script = (fake_slurm / "script-4242.sh").read_text().splitlines()
    assert "#SBATCH --time=480" in script and "#SBATCH --partition=gpu" in script
    assert "#SBATCH --array=0-2%2" in script
    rec2 = load_submission(submission_dir("cluster_synthetic", "tiny", (), tmp_path / "runs"))
    assert rec2["shards"] == rec["shards"] and len(rec2["attempts"]) == 2
    assert rec2["attempts"][1]["shards"] == [0, 1, 2]
    # a new submission while the old one is not active replaces it (the old one is kept)
    assert main(["reproduce", "submit", str(quick_suite), "--profile", "tiny"]) == 0
    folder = submission_dir("cluster_synthetic", "tiny", (), tmp_path / "runs")
    assert len(list(folder.glob("submission.*.json"))) == 1


# ---------------------------------------------------------------------------- debug executor
def test_debug_executor_resubmits_only_what_is_missing(quick_suite, tmp_path, capsys):
    argv = ["reproduce", "submit", str(quick_suite), "--profile", "tiny", "--executor", "debug"]
    assert main([*argv, "--shards", "2", "--device", "cpu"]) == 0
    capsys.readouterr()
    runs = tmp_path / "runs" / "cluster_synthetic"
    rec = load_submission(submission_dir("cluster_synthetic", "tiny", (), tmp_path / "runs"))
    assert rec["attempts"][0]["final_states"] and set(
        rec["attempts"][0]["final_states"].values()
    ) == {"COMPLETED"}
    # Lose one run of shard 1 (as if its folder never got written): only shard 1 is resubmitted,
    # only that run is computed again, every other run keeps its result file untouched.
    victim = rec["shards"][1]["run_ids"][0]
    shutil.rmtree(runs / victim)
    before = {
        p.parent.name: p.read_bytes() for p in runs.glob("*/result.json") if p.parent.name[0] != "."
    }
    assert main([*argv, "--resubmit-failed"]) == 0
    err = capsys.readouterr().err
    assert "shard(s) 1," in err and "1 ran, 2 already complete, 0 failed" in err
    after = {
        p.parent.name: p.read_bytes() for p in runs.glob("*/result.json") if p.parent.name[0] != "."
    }
    assert set(after) == set(before) | {victim} and len(after) == 6
    assert all(after[k] == v for k, v in before.items())
    assert json.loads(after[victim])["status"] == "ok"
    assert main([*argv, "--resubmit-failed"]) == 0
    assert "nothing to resubmit" in capsys.readouterr().err
    rec = load_submission(submission_dir("cluster_synthetic", "tiny", (), tmp_path / "runs"))
    assert [a["shards"] for a in rec["attempts"]] == [[0, 1], [1]]


def test_dry_run_plans_and_submits_nothing(quick_suite, tmp_path, capsys):
    argv = ["reproduce", "submit", str(quick_suite), "--profile", "tiny", "--shards", "4"]
    assert main([*argv, "--dry-run", "--format", "json"]) == 0
    out = capsys.readouterr()
    rows = json.loads(out.out)
    assert [r["runs"] for r in rows] == [2, 2, 1, 1]
    assert {r["predictor"] for r in rows} == {"cost-model:h200"}
    assert "6 run(s) in 4 shard(s)" in out.err
    assert not (tmp_path / "runs").exists()
    assert main([*argv, "--dry-run", "--resubmit-failed"]) == 2


def test_plan_balances_predicted_seconds_of_the_cost_model(tmp_path, capsys):
    # PneumoniaMNIST (4,708 training images; planning needs no data): one 60-epoch run and
    # six 1-epoch runs. By count the shards would get 4 and 3 runs; by predicted time the long
    # run is alone.
    suite = tmp_path / "uneven.yaml"
    suite.write_text(
        """suite: uneven
description: planning test (nothing is run)
profiles:
  p:
    defaults: {dataset: pneumoniamnist, arch: squeezenet1_1, source: random,
               approach: scratch, resolution: 64, batch_size: 256, lr: 0.01}
    grids:
      - {epochs: 1, seed: [0, 1, 2, 3, 4, 5]}
      - {epochs: 60, seed: 0}
"""
    )
    _, planned = run_configs(str(suite), "p")
    seconds, predictor = predict_seconds(planned)
    assert predictor == "cost-model:h200"
    counts = cost.dataset_counts("pneumoniamnist")
    table = cost.load_table()
    assert seconds == [
        cost.predict_run(p.config, counts, table, "h200")["seconds"] for p in planned
    ]
    assert seconds[6] > sum(seconds[:6])
    plan = plan_shards(planned, 2)
    assert [len(s["run_ids"]) for s in plan["shards"]] == [1, 6]
    assert plan["shards"][0]["run_ids"] == [planned[6].run_id]
    assert plan["predicted_makespan_s"] == plan["shards"][0]["predicted_s"]


def test_worker_budget_keeps_a_reserve_and_refuses_unknown_run_ids(quick_suite, tmp_path):
    assert time_budget_s(60) == 3240.0  # 6 minutes of 60 in reserve
    assert time_budget_s(5) == 240.0  # at least 1 minute
    assert time_budget_s(24 * 60) == 24 * 3600 - 600.0  # at most 10 minutes
    assert time_budget_s(None) is None
    with pytest.raises(InputError, match="0123456789abcdef are not in cluster_synthetic/tiny"):
        run_worker(
            str(quick_suite),
            "tiny",
            out=tmp_path / "w",
            device="cpu",
            bare=False,
            run_ids=["0123456789abcdef"],
        )
    assert not (tmp_path / "runs").exists()  # nothing ran


def test_local_slurm_says_why_it_cannot_start(tmp_path, monkeypatch):
    # the fixture turns this exception into a skip that prints its message
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(SlurmUnavailable, match="needs root"):
        start_cluster(tmp_path / "slurm")
    assert not (tmp_path / "slurm").exists()
