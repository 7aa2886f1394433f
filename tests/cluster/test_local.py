"""``--executor local``: one task per visible GPU through submitit's LocalExecutor, on a CPU.

The two "GPUs" are the entries of ``CUDA_VISIBLE_DEVICES=0,1``; on a machine without a GPU
torch sees none and the tasks compute on the CPU (``--device cpu``), which is what this test
needs: two task processes, each given its own device entry. The suite is SYNTHETIC
(conftest.write_suite).
"""

from __future__ import annotations

import json

import pytest

from reproduce.cluster import load_submission, shard_status, submission_dir
from reproduce.results.collect import load_results
from review.cli import main


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_local_executor_one_task_per_visible_gpu(quick_suite, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0,1")
    argv = ["reproduce", "submit", str(quick_suite), "--profile", "tiny", "--executor", "local"]
    assert main([*argv, "--device", "cpu"]) == 0  # default: as many tasks as visible GPUs
    out = capsys.readouterr()
    pids = out.out.split()
    assert len(pids) == 2 and len(set(pids)) == 2 and all(p.isdigit() for p in pids), out
    runs = tmp_path / "runs"
    folder = submission_dir("cluster_synthetic", "tiny", (), runs)
    rec = load_submission(folder)
    assert rec["executor"] == "local" and len(rec["shards"]) == 2
    assert rec["attempts"][0]["job_ids"] == pids
    assert rec["attempts"][0]["final_states"] == {p: "COMPLETED" for p in pids}
    st = shard_status(rec)
    assert st["ok"].to_list() == [3, 3] and st["job_state"].to_list() == ["COMPLETED"] * 2

    df = load_results("cluster_synthetic", runs_root=runs)
    ids = sorted(r for s in rec["shards"] for r in s["run_ids"])
    assert sorted(df["run_id"].to_list()) == ids and set(df["status"]) == {"ok"}
    for shard, pid in zip(rec["shards"], pids, strict=True):
        log = (folder / "logs" / f"{pid}_0_log.err").read_text()
        # its own device entry, and exactly its own runs
        assert f"CUDA_VISIBLE_DEVICES={shard['index']})" in log, log
        timing = (
            folder / "worker" / f"attempt0-shard{shard['index']}" / "timing-cluster_synthetic.json"
        )
        computed = {
            r["run_id"] for r in json.loads(timing.read_text())["runs"] if r["status"] == "ok"
        }
        assert computed == set(shard["run_ids"])
