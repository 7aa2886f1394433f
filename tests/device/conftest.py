"""The CPU rehearsal of the whole GPU path, shared by the suites that have one.

``rehearse(suite, profile, n_runs)`` runs, on real data on the CPU: ``tlreview reproduce pack``
-> ``unpack-pack`` of every part -> the worker with polars blocked, without the data folder and
with the pack's weights only (as on the GPU machine) -> ``tlreview reproduce unpack`` ->
``collect``, checks each step's exit status and that all ``n_runs`` runs came back ok, and
returns the collected table with what the steps printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python -m review.cli ARGS`` in ``cwd``, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "review.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@dataclass(frozen=True)
class Rehearsal:
    """What one rehearsal left: the collected table, the pack's parts, the worker's output."""

    table: pd.DataFrame
    parts: list[dict]
    unpacked: Path
    out: Path
    summary: dict


@pytest.fixture
def rehearse(tmp_path: Path) -> Callable[[str, str, int], Rehearsal]:
    """A function running the GPU path of ``suite``'s ``profile`` on the CPU (module docstring)."""

    def run(suite: str, profile: str, n_runs: int) -> Rehearsal:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TLREVIEW_CACHE_DIR": str(tmp_path / "cache"),
            "OMP_NUM_THREADS": "1",
        }
        r = cli("reproduce", "pack", suite, "--profile", profile,
                "--out", str(tmp_path / "pack"), "--format", "json", env=env)  # fmt: skip
        assert r.returncode == 0, r.stderr
        parts = json.loads(r.stdout)["parts"]
        for p in parts:
            r = cli("reproduce", "unpack-pack", str(tmp_path / "pack" / p["name"]),
                    "--into", str(tmp_path / "unpacked"), env=env)  # fmt: skip
            assert r.returncode == 0, r.stderr
        # The GPU machine has neither the data folder, the weight packages' files nor polars.
        worker_env = {k: v for k, v in env.items() if k != "TLREVIEW_DATA_DIR"}
        worker_env.update(TLREVIEW_RUNS_DIR=str(tmp_path / "gpu-runs"),
                          TLREVIEW_WEIGHTS_DIR=str(tmp_path / "unpacked" / "weights"))  # fmt: skip
        w = subprocess.run(
            [sys.executable, str(ROOT / "tests/device/block_polars.py"), "reproduce.device.worker",
             "--suite", suite, "--profile", profile, "--pack", str(tmp_path / "unpacked"),
             "--out", str(tmp_path / "out"), "--device", "cpu", "--time-budget", "900"],
            env=worker_env, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
        )  # fmt: skip
        assert w.returncode == 0, w.stderr[-3000:]
        summary = json.loads((tmp_path / "out" / f"timing-{suite}.json").read_text())
        assert summary["runs_error"] == 0
        assert summary["runs_done"] == summary["planned_runs"] == n_runs
        runs_env = {**env, "TLREVIEW_RUNS_DIR": str(tmp_path / "runs")}
        r = cli("reproduce", "unpack", str(tmp_path / "out"), "--results-dir",
                str(tmp_path / "results"), "--no-refresh-costs", env=runs_env)  # fmt: skip
        assert r.returncode == 0 and f"{n_runs} run(s) added" in r.stdout, r.stdout + r.stderr
        r = cli("reproduce", "collect", suite, "--profile", profile, "--out",
                str(tmp_path / "results" / "c"), env=runs_env)  # fmt: skip
        assert r.returncode == 0, r.stderr
        table = pd.read_parquet(tmp_path / "results" / "c" / "results.parquet")
        assert len(table) == n_runs and set(table["status"]) == {"ok"}
        return Rehearsal(table, parts, tmp_path / "unpacked", tmp_path / "out", summary)

    return run
