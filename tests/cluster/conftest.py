"""Fixtures of the cluster tests: a real one-node Slurm cluster and SYNTHETIC suites.

``slurm_cluster`` (session) starts the cluster of :mod:`local_slurm` once for every test marked
``slurm`` and stops it afterwards; when Slurm cannot start here (not root, no packages, a
daemon failing) every such test is skipped with the reason and the daemons' log tails, shown
in pytest's summary (``-ra``) and on standard error, never silently.

The suites written here are SYNTHETIC: the engine's built-in synthetic images and a randomly
initialised SqueezeNet 1.1 (no real data, no weights), so the job array's tasks, which are
separate processes, need nothing but the installed package.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from local_slurm import LocalSlurm, SlurmUnavailable, start_cluster  # noqa: E402


@pytest.fixture(scope="session")
def slurm_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSlurm]:
    """A running one-node Slurm cluster (partition ``debug``), stopped after the session."""
    t0 = time.monotonic()
    try:
        cluster = start_cluster(tmp_path_factory.mktemp("slurm"))
    except SlurmUnavailable as exc:
        print(f"\nSlurm tests skipped: {exc}", file=sys.stderr)
        pytest.skip(f"Slurm cannot start here: {exc}")
    print(
        f"\nlocal Slurm cluster up in {time.monotonic() - t0:.1f} s ({cluster.conf})",
        file=sys.stderr,
    )
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def slurm(slurm_cluster: LocalSlurm, monkeypatch: pytest.MonkeyPatch) -> LocalSlurm:
    """The cluster, with ``SLURM_CONF`` pointing this process (and its jobs) at it."""
    monkeypatch.setenv("SLURM_CONF", str(slurm_cluster.conf))
    return slurm_cluster


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs and caches of each test in its own folders; one torch thread per task."""
    monkeypatch.setenv("TLREVIEW_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("TLREVIEW_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # the task processes
    torch.set_num_threads(1)  # this process (debug executor, in-process runs): shared 2 cores


def write_suite(path: Path, *, seeds: int, resolution: int, epochs: int) -> Path:
    """Write a SYNTHETIC suite ``cluster_synthetic`` with profile ``tiny`` (one run per seed)."""
    path.write_text(
        f"""suite: cluster_synthetic
description: SYNTHETIC cluster test suite (synthetic images, random SqueezeNet 1.1)
profiles:
  tiny:
    defaults: {{dataset: synthetic, arch: squeezenet1_1, source: random, approach: scratch,
               resolution: {resolution}, epochs: {epochs}, batch_size: 32, lr: 0.01}}
    grids:
      - seed: {list(range(seeds))}
"""
    )
    return path


@pytest.fixture
def quick_suite(tmp_path: Path) -> Path:
    """SYNTHETIC: 6 runs of well under a second each."""
    return write_suite(tmp_path / "quick.yaml", seeds=6, resolution=28, epochs=1)


@pytest.fixture
def slow_suite(tmp_path: Path) -> Path:
    """SYNTHETIC: 10 runs of several seconds each on a CPU (time to kill a task mid-shard, even
    on an idle machine, where 3-epoch runs finished a shard before the kill arrived)."""
    return write_suite(tmp_path / "slow.yaml", seeds=10, resolution=64, epochs=15)
