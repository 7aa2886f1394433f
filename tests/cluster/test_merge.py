"""Results from several machines: ``collect`` over several runs folders, one row per run id.

Runs are computed on the SYNTHETIC suite (conftest.write_suite) into two runs folders that
overlap, as when two machines or clusters ran parts of the same profile.
"""

from __future__ import annotations

import json

import polars as pl

from reproduce.engine.execute import run_suite
from reproduce.engine.plan import run_configs
from reproduce.results.collect import load_results
from review.cli import main


def test_collect_merges_runs_folders_by_run_id(quick_suite, tmp_path, capsys):
    a, b = tmp_path / "machine_a", tmp_path / "machine_b"
    _, planned = run_configs(str(quick_suite), "tiny")
    assert len(planned) == 6
    run_suite(planned[:4], suite="cluster_synthetic", runs_root=a, device="cpu", quiet=True)
    run_suite(planned[2:], suite="cluster_synthetic", runs_root=b, device="cpu", quiet=True)
    # Machine B's copy of run 2 is a failed attempt (edited here: SYNTHETIC failure record);
    # machine A's ok copy must win, whichever order the folders are given in.
    rid2 = planned[2].run_id
    f = b / "cluster_synthetic" / rid2 / "result.json"
    row = json.loads(f.read_text())
    f.write_text(json.dumps({**row, "status": "error", "error": "RuntimeError: synthetic"}))
    (b / "cluster_synthetic" / rid2 / "predictions.parquet").unlink(missing_ok=True)

    for roots in ([a, b], [b, a]):
        df = load_results("cluster_synthetic", runs_root=roots)
        assert df["run_id"].to_list() == sorted(p.run_id for p in planned)
        assert set(df["status"]) == {"ok"}
    assert load_results("cluster_synthetic", runs_root=b).height == 4

    out = tmp_path / "merged"
    argv = ["reproduce", "collect", str(quick_suite), "--profile", "tiny", "--out", str(out)]
    assert main([*argv, "--runs-dir", str(b), "--runs-dir", str(a), "--predictions"]) == 0
    assert "6 run(s) (ok: 6)" in capsys.readouterr().err
    table = pl.read_parquet(out / "results.parquet")
    assert table.height == 6 and table["run_id"].n_unique() == 6
    pred = pl.read_parquet(out / "predictions.parquet")
    assert set(pred["run_id"]) == {p.run_id for p in planned}  # run 2's from machine A
