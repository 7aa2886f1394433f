"""Damaged run folders, committed results and concurrent sweeps: nothing lost, nothing silent.

Every run here is made by the engine on its SYNTHETIC data set and toy backbone (tiny2, from
tests/reproduce/conftest.py); the damage is done by the test.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from reproduce.engine.config import RunConfig
from reproduce.engine.execute import RunLocked, _run_lock, execute_run, run_suite
from reproduce.engine.io import atomic_write_text
from reproduce.engine.plan import plan_runs
from reproduce.models.registry import unregister_model
from reproduce.results.collect import collect, load_results
from review.errors import CollectError


@pytest.fixture
def tiny2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - fixture
    """The SYNTHETIC toy backbone in the model registry; runs and caches in tmp_path."""
    from tests.reproduce.conftest import register_tiny2

    monkeypatch.setenv("TLREVIEW_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(tmp_path / "cache"))
    register_tiny2()
    yield
    unregister_model("tiny2")


def _cfg(seed: int) -> RunConfig:
    return RunConfig.from_dict(
        {"dataset": "synthetic", "arch": "tiny2", "approach": "fine_tuning_from_scratch",
         "epochs": 1, "batch_size": 32, "seed": seed}
    )  # fmt: skip


@pytest.fixture
def runs(tmp_path: Path, tiny2: None) -> tuple[Path, list[str]]:
    root = tmp_path / "runs"
    planned = plan_runs([_cfg(0), _cfg(1), _cfg(2)])
    outcomes = run_suite(planned, suite="s", runs_root=root, quiet=True, echo=lambda s: None)
    assert [o.status for o in outcomes] == ["ok"] * 3
    return root, [p.run_id for p in planned]


DAMAGE = {
    "deleted": lambda f: f.unlink(),
    "truncated": lambda f: f.write_text(f.read_text()[:40]),
    "list": lambda f: f.write_text("[]"),
    "extra_key": lambda f: f.write_text(json.dumps({**json.loads(f.read_text()), "x": 1})),
    "auc_string": lambda f: f.write_text(
        json.dumps({**json.loads(f.read_text()), "auc_macro_ovr": "0.9"})
    ),
    "auc_null": lambda f: f.write_text(
        json.dumps({**json.loads(f.read_text()), "auc_macro_ovr": None})
    ),
    "auc_1.7": lambda f: f.write_text(
        json.dumps({**json.loads(f.read_text()), "auc_macro_ovr": 1.7})
    ),
    "folder": lambda f: (f.unlink(), f.mkdir()),
    "predictions_missing": lambda f: (f.parent / "predictions.parquet").unlink(),
    "predictions_corrupt": lambda f: (f.parent / "predictions.parquet").write_bytes(b"PAR1junk"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_run_is_named_on_one_line_and_nothing_is_written(
    runs: tuple[Path, list[str]], tmp_path: Path, damage: str
) -> None:
    root, ids = runs
    DAMAGE[damage](root / "s" / ids[1] / "result.json")
    out = tmp_path / "out"
    with pytest.raises(CollectError) as err:
        collect("s", runs_root=root, out_dir=out, run_ids=ids, predictions=True)
    assert len(err.value.problems) == 1 and ids[1] in err.value.problems[0]
    assert not out.exists()


def test_a_copied_run_folder_is_refused_not_duplicated(runs: tuple[Path, list[str]]) -> None:
    root, ids = runs
    shutil.copytree(root / "s" / ids[0], root / "s" / "0123456789abcdef")
    with pytest.raises(CollectError, match="does not match its folder"):
        load_results("s", runs_root=root, strict=True)


def test_missing_planned_runs_fail_unless_allowed(runs: tuple[Path, list[str]], tmp_path: Path):
    root, ids = runs
    planned = [*ids, "ffffffffffffffff"]
    with pytest.raises(CollectError, match="planned run has no folder"):
        collect("s", runs_root=root, out_dir=tmp_path / "o", run_ids=planned)
    df, _ = collect("s", runs_root=root, out_dir=tmp_path / "o", run_ids=planned,
                    allow_missing=True)  # fmt: skip
    assert df.height == 3


def test_collect_refuses_to_shrink_committed_results(runs: tuple[Path, list[str]], tmp_path):
    root, ids = runs
    out = tmp_path / "results"
    collect("s", runs_root=root, out_dir=out)
    before = (out / "results.parquet").read_bytes()
    with pytest.raises(CollectError, match="losing 2 run"):
        collect("s", runs_root=root, out_dir=out, run_ids=ids[:1])
    assert (out / "results.parquet").read_bytes() == before
    df, _ = collect("s", runs_root=root, out_dir=out, run_ids=ids[:1], force=True)
    assert pl.read_parquet(out / "results.parquet").height == 1 == df.height


def test_a_run_being_written_is_skipped_by_a_second_sweep(tmp_path: Path, tiny2: None) -> None:
    root = tmp_path / "runs"
    (planned,) = plan_runs([_cfg(0)])
    suite = root / "s"
    suite.mkdir(parents=True)
    script = (
        "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT);"
        "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(suite / f".lock-{planned.run_id}")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(RunLocked):
            execute_run(planned, suite="s", runs_root=root)
        out = run_suite([planned], suite="s", runs_root=root, quiet=True, echo=lambda s: None)
        assert [o.status for o in out] == ["busy"]
    finally:
        holder.kill()
        holder.wait()
    # The holder is gone (as after a crash): its lock is released; the run goes ahead.
    (stale := suite / f".partial-{planned.run_id}-1").mkdir()
    assert execute_run(planned, suite="s", runs_root=root).status == "ok"
    assert not stale.exists()


def test_a_reused_pid_does_not_block_a_sweep(tmp_path: Path, tiny2: None) -> None:
    root = tmp_path / "runs"
    (planned,) = plan_runs([_cfg(0)])
    # A stale partial named after a PID that is alive now (our own parent, say).
    (root / "s" / f".partial-{planned.run_id}-{os.getppid()}").mkdir(parents=True)
    assert execute_run(planned, suite="s", runs_root=root).status == "ok"


def test_files_follow_the_umask(tmp_path: Path) -> None:
    f = atomic_write_text(tmp_path / "x.txt", "x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(f.stat().st_mode) == 0o666 & ~mask


def test_the_lock_is_exclusive_within_a_process(tmp_path: Path) -> None:
    with _run_lock(tmp_path, "abc"), pytest.raises(RunLocked):
        with _run_lock(tmp_path, "abc"):
            pass


def test_os_errors_are_one_line_with_exit_2(tmp_path: Path) -> None:
    full = subprocess.run(
        [sys.executable, "-m", "review.cli", "reproduce", "collect", "guideline", "--out",
         "/proc/version/x"],
        capture_output=True, text=True, check=False,
        env={**os.environ, "TLREVIEW_RUNS_DIR": str(tmp_path)},
    )  # fmt: skip
    assert full.returncode == 2
    lines = [ln for ln in full.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "Traceback" not in full.stderr
