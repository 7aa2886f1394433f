"""Job arrays on a real one-node Slurm cluster (``slurm`` marker; see conftest.slurm_cluster).

Submission goes through the CLI exactly as a user types it (``tlreview reproduce submit ...
--executor slurm --partition debug``); the tasks are real Slurm array tasks started by slurmd.
Suites are SYNTHETIC (conftest.write_suite) except the guideline smoke profile, which needs the
real BreastMNIST under TLREVIEW_DATA_DIR.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import polars as pl
import pytest

from reproduce.cluster import load_submission, plan_shards, shard_status, submission_dir
from reproduce.engine.plan import run_configs
from reproduce.results.collect import load_results
from review.cli import main

pytestmark = [pytest.mark.slurm, pytest.mark.slow, pytest.mark.timeout(300)]


def _wait_until(cond, timeout_s: float, what: str, poll_s: float = 0.2) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(poll_s)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")


def _timing(folder: Path, attempt: int, shard: int, suite: str) -> dict:
    """The worker's timing summary of one task (``reproduce.device.worker.run_worker``)."""
    f = folder / "worker" / f"attempt{attempt}-shard{shard}" / f"timing-{suite}.json"
    return json.loads(f.read_text())


def _check_every_run_ok_once(runs_root: Path, suite: str, run_ids: list[str]) -> None:
    """Each run id has exactly one complete folder with status ok; no debris is left."""
    root = runs_root / suite
    folders = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert folders == sorted(run_ids)
    assert not list(root.glob(".partial-*")) and not list(root.glob(".trash-*"))
    df = load_results(suite, runs_root=runs_root)
    assert df.height == len(run_ids) == df["run_id"].n_unique()
    assert df["status"].to_list() == ["ok"] * len(run_ids), df.select("run_id", "status", "error")


@pytest.mark.data
def test_guideline_smoke_as_a_two_task_array(slurm, tmp_path, capsys):
    data = os.environ.get("TLREVIEW_DATA_DIR")
    if not data or not (Path(data) / "medmnist" / "breastmnist.npz").is_file():
        pytest.skip("needs BreastMNIST under TLREVIEW_DATA_DIR (medmnist/breastmnist.npz)")
    runs = tmp_path / "runs"
    argv = ["reproduce", "submit", "guideline", "--profile", "smoke", "--executor", "slurm"]
    t0 = time.monotonic()
    assert main([*argv, "--partition", "debug", "--shards", "2", "--wait"]) == 0
    wall = time.monotonic() - t0
    out = capsys.readouterr()
    array = out.out.strip()
    assert array.isdigit(), out
    rec = load_submission(submission_dir("guideline", "smoke", (), runs))
    assert rec["attempts"][0]["job_ids"] == [f"{array}_0", f"{array}_1"]
    ids = [rid for s in rec["shards"] for rid in s["run_ids"]]
    # the shards are the cost model's balance (by predicted seconds, not by count)
    _, planned = run_configs("guideline", "smoke")
    assert rec["shards"] == plan_shards(planned, 2)["shards"] and len(ids) == 5
    _check_every_run_ok_once(runs, "guideline", ids)
    st = shard_status(rec)
    assert st["job_state"].to_list() == ["COMPLETED", "COMPLETED"]
    # every run was computed by the worker of its own shard (its timing summary says so)
    for sh in rec["shards"]:
        timing = _timing(runs / "guideline" / ".submit" / "smoke", 0, sh["index"], "guideline")
        assert {r["run_id"]: r["status"] for r in timing["runs"]} == dict.fromkeys(
            sh["run_ids"], "ok"
        )
    print(f"guideline smoke as a 2-task Slurm array: {wall:.1f} s", flush=True)


def test_scancel_mid_run_then_resubmit_failed(slurm, slow_suite, tmp_path, capsys):
    runs = tmp_path / "runs"
    suite = "cluster_synthetic"
    base = ["reproduce", "submit", str(slow_suite), "--profile", "tiny", "--executor", "slurm"]
    assert main([*base, "--partition", "debug", "--shards", "2", "--device", "cpu"]) == 0
    array = capsys.readouterr().out.strip()
    folder = submission_dir(suite, "tiny", (), runs)
    rec = load_submission(folder)
    victim = rec["shards"][1]["run_ids"]
    assert len(victim) == 5

    def done(rid: str) -> bool:
        return (runs / suite / rid / "result.json").is_file()

    # Kill shard 1's task once its first run is complete, while it works on the next ones.
    _wait_until(lambda: any(done(r) for r in victim), 120, "shard 1's first run")
    slurm.cmd("scancel", f"{array}_1")
    _wait_until(lambda: not slurm.queue(), 120, "the array to leave the queue", poll_s=0.5)
    before = {
        p.parent.name: p.read_bytes()
        for p in (runs / suite).glob("*/result.json")
        if not p.parent.name.startswith(".")
    }
    lost = [r for r in victim if r not in before]
    assert lost, "the kill came after shard 1 had finished; the test did not interrupt it"
    assert set(rec["shards"][0]["run_ids"]) <= set(before)  # shard 0 was not disturbed

    # status: the cancelled task and its missing runs
    st = ["reproduce", "status", str(slow_suite), "--profile", "tiny", "--format", "json"]
    assert main(st) == 0
    out = capsys.readouterr()
    rows = pl.DataFrame(json.loads(out.out))
    by_shard = dict(
        rows.group_by("shard").agg(pl.col("job_state").first()).sort("shard").iter_rows()
    )
    assert by_shard == {0: "COMPLETED", 1: "CANCELLED"}
    assert set(rows.filter(pl.col("state") != "ok")["run_id"]) == set(lost)

    # resubmit: only shard 1, and only its lost runs are computed
    assert main([*base, "--resubmit-failed", "--wait"]) == 0
    out = capsys.readouterr()
    rec = load_submission(folder)
    assert [a["shards"] for a in rec["attempts"]] == [[0, 1], [1]]
    new_array = out.out.strip()
    assert new_array.isdigit() and new_array != array
    (new_job,) = rec["attempts"][1]["job_ids"]  # one task: submitit submits a plain job
    assert new_job in (new_array, f"{new_array}_0")
    ids = [rid for s in rec["shards"] for rid in s["run_ids"]]
    _check_every_run_ok_once(runs, suite, ids)
    after = {p.parent.name: p.read_bytes() for p in (runs / suite).glob("*/result.json")}
    assert all(after[k] == v for k, v in before.items()), "a completed run was computed again"
    log = "".join(p.read_text() for p in (folder / "logs" / new_job).glob("*_log.err"))
    assert f"{len(lost)} ran, {5 - len(lost)} already complete, 0 failed" in log, log[-2000:]
    timing = _timing(folder, 1, 1, suite)
    assert sorted(r["run_id"] for r in timing["runs"] if r["status"] == "ok") == sorted(lost)
    for rid in ids:  # one metrics line per epoch: nothing appended twice
        lines = (runs / suite / rid / "metrics.jsonl").read_text().splitlines()
        assert len(lines) == 15, (rid, lines)  # the slow suite trains 15 epochs
    # nothing left to do
    assert main([*base, "--resubmit-failed"]) == 0
    assert "nothing to resubmit" in capsys.readouterr().err
