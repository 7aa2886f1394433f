"""Runner: run folders, atomicity, resume after a kill, failures as data, determinism, collect.

SYNTHETIC data and the toy ``tiny2`` backbone, except the BreastMNIST test (real data, skipped
without ``TLREVIEW_DATA_DIR``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import polars as pl
import pytest
import yaml

from reproduce.engine import execute as runner
from reproduce.engine.config import RunConfig
from reproduce.engine.execute import execute_run, run_suite
from reproduce.engine.plan import expand_suite, load_suite, plan_runs
from reproduce.results.collect import collect, load_results, polars_schema
from reproduce.results.schema import RESULT_SCHEMA
from reproduce.results.status import status_frame

ROOT = Path(__file__).resolve().parents[2]
FE = RunConfig(
    dataset="synthetic",
    arch="tiny2",
    approach="fine_tuning",
    k_blocks=1,
    resolution=16,
    epochs=2,
    batch_size=32,
    lr=0.05,
)


def _plan(tiny_suite: Path):
    return plan_runs(expand_suite(load_suite(str(tiny_suite)), "smoke"))


def test_suite_end_to_end_on_synthetic(tiny_suite, tmp_path):
    planned = _plan(tiny_suite)
    outs = run_suite(planned, suite="tiny", device="cpu", quiet=True, echo=lambda s: None)
    assert [o.status for o in outs] == ["ok"] * len(planned), [o.result["error"] for o in outs]
    folder = outs[0].folder
    for name in ("config.yaml", "metrics.jsonl", "predictions.parquet", "env.json", "result.json"):
        assert (folder / name).is_file(), name
    res = json.loads((folder / "result.json").read_text())
    assert list(res) == list(RESULT_SCHEMA)
    assert 0.0 <= res["auc_macro_ovr"] <= 1.0 and res["n_test"] == 48
    assert res["flops_per_image"] > 0 and res["wall_s"] > 0
    env = json.loads((folder / "env.json").read_text())
    assert {"python", "torch", "cuda", "gpu_name", "git_sha", "hostname"} <= set(env)
    cfg = yaml.safe_load((folder / "config.yaml").read_text())
    assert cfg["run_id"] == folder.name
    pred = pl.read_parquet(folder / "predictions.parquet")
    assert pred.columns == ["id", "label", "prob_0", "prob_1", "pred"] and pred.height == 48
    metrics = [json.loads(x) for x in (folder / "metrics.jsonl").read_text().splitlines()]
    assert metrics
    # the learnable synthetic task is learnt by the fine-tuned runs
    df = load_results("tiny")
    assert df.height == len(planned) and df.schema == polars_schema(RESULT_SCHEMA)
    ft = df.filter(pl.col("approach") == "fine_tuning_from_scratch")
    assert ft["auc_macro_ovr"][0] > 0.8
    # rerun: everything is skipped
    again = run_suite(planned, suite="tiny", device="cpu", quiet=True, echo=lambda s: None)
    assert {o.status for o in again} == {"skipped"}
    # collect writes one tidy table
    out = tmp_path / "collected"
    table, written = collect("tiny", out_dir=out, predictions=True)
    assert (out / "results.parquet").is_file() and (out / "results.csv").is_file()
    assert pl.read_parquet(out / "results.parquet").height == len(planned)
    long = pl.read_parquet(out / "predictions.parquet")
    assert long.height == 48 * 2 * len(planned)
    st = status_frame(planned, suite="tiny")
    assert set(st["state"]) == {"ok"}


def test_failed_run_is_recorded_and_the_sweep_goes_on(tiny_suite, monkeypatch):
    planned = _plan(tiny_suite)
    real = runner._run_body

    def flaky(cfg, *args, **kwargs):
        if cfg.approach == "scratch":
            raise RuntimeError("injected failure")
        return real(cfg, *args, **kwargs)

    monkeypatch.setattr(runner, "_run_body", flaky)
    outs = run_suite(planned, suite="tiny", device="cpu", quiet=True, echo=lambda s: None)
    status = {o.result["approach"]: o.status for o in outs}
    assert status["scratch"] == "error" and status["feature_extractor"] == "ok"
    bad = next(o for o in outs if o.status == "error")
    assert bad.result["error"] == "RuntimeError: injected failure"
    assert "injected failure" in (bad.folder / "error.txt").read_text()
    # the next sweep retries the failed run (and only it)
    monkeypatch.setattr(runner, "_run_body", real)
    again = run_suite(planned, suite="tiny", device="cpu", quiet=True, echo=lambda s: None)
    assert sorted(o.status for o in again).count("ok") == 1
    assert {o.status for o in again} == {"ok", "skipped"}


KILL_SCRIPT = """
import os, signal, sys
sys.path.insert(0, {tests!r})
import conftest
conftest.register_tiny2()  # the SYNTHETIC tiny2 backbone
from reproduce.engine.config import RunConfig
from reproduce.engine.execute import execute_run

cfg = RunConfig(**{cfg!r})

def hook(event, record):
    if record.get("epoch") == 1:
        os.kill(os.getpid(), signal.SIGKILL)  # killed mid-run, after the first epoch

execute_run(cfg, suite="tiny", device="cpu", hook=hook)
"""


def test_run_killed_mid_way_leaves_no_result_and_is_redone(tmp_path):
    d = FE.to_dict()
    d["lr_grid"] = tuple(d["lr_grid"])
    script = KILL_SCRIPT.format(tests=str(Path(__file__).parent), cfg=d)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == -9, proc.stderr
    root = Path(os.environ["TLREVIEW_RUNS_DIR"]) / "tiny"
    partial = list(root.glob(".partial-*"))
    assert len(partial) == 1 and (partial[0] / "metrics.jsonl").read_text().strip()
    assert not list(root.glob("*/result.json"))
    out = execute_run(FE, suite="tiny", device="cpu")
    assert out.status == "ok"
    assert not list(root.glob(".partial-*"))
    lines = (out.folder / "metrics.jsonl").read_text().splitlines()
    assert [json.loads(x)["epoch"] for x in lines] == [1, 2]  # clean redo, nothing appended


def test_rerun_of_a_config_gives_identical_metrics_and_predictions():
    a = execute_run(FE, suite="tiny", device="cpu")
    pa = pl.read_parquet(a.folder / "predictions.parquet")
    b = execute_run(FE, suite="tiny", device="cpu", force=True)
    keys = ("auc_macro_ovr", "accuracy", "balanced_accuracy", "val_auc_macro_ovr", "best_epoch")
    assert {k: a.result[k] for k in keys} == {k: b.result[k] for k in keys}
    assert pa.equals(pl.read_parquet(b.folder / "predictions.parquet"))
    c = execute_run(
        RunConfig(**{**FE.to_dict(), "seed": 1, "lr_grid": ()}), suite="tiny", device="cpu"
    )
    assert c.run_id != a.run_id


def test_keep_model_saves_weights():
    import torch

    out = execute_run(FE, suite="tiny", device="cpu", keep_model=True)
    ckpt = torch.load(out.folder / "model.pt", weights_only=True)
    assert "head.weight" in ckpt["state_dict"] and ckpt["config"]["approach"] == "fine_tuning"
    hyb = RunConfig(
        dataset="synthetic",
        arch="tiny2",
        approach="feature_extractor_hybrid",
        resolution=16,
        classifier="rf",
    )
    out2 = execute_run(hyb, suite="tiny", device="cpu", keep_model=True)
    assert (out2.folder / "model.pkl").is_file()
    assert out2.result["selected_classifier"] == "rf"


@pytest.mark.data
@pytest.mark.slow
def test_guideline_smoke_on_breastmnist():
    if not os.environ.get("TLREVIEW_DATA_DIR"):
        pytest.skip("TLREVIEW_DATA_DIR is not set: the real BreastMNIST file is not available")
    suite = load_suite("guideline")
    planned = plan_runs(expand_suite(suite, "smoke"))
    assert {p.config.dataset for p in planned} == {"breastmnist"}
    outs = run_suite(planned, suite="guideline", device="cpu", quiet=True, echo=lambda s: None)
    errors = [(o.result["approach"], o.result["error"]) for o in outs if o.status != "ok"]
    assert not errors
    df = load_results("guideline")
    assert df.height == len(planned)
    assert df["n_test"].is_between(140, 156).all()  # 156 published, minus exact duplicates
    assert df["auc_macro_ovr"].is_between(0.0, 1.0).all()
    # one epoch: the frozen ImageNet features already separate the classes on real data
    frozen = df.filter(pl.col("approach").str.starts_with("feature_extractor"))
    assert frozen.height == 2 and (frozen["auc_macro_ovr"] > 0.6).all()
