"""Execute planned runs: one folder per run, atomic, resumable, failures as data.

A run's folder is ``runs_dir()/<suite>/<run_id>/`` and holds

``config.yaml``
    the resolved config, the run id, the data checksum and the code version;
``metrics.jsonl``
    one JSON record per epoch (or per hybrid candidate);
``predictions.parquet``
    per test sample: ``id``, ``label``, ``prob_0..prob_{K-1}``, ``pred``;
``env.json``
    python, torch, CUDA, GPU name, git SHA, hostname (:func:`reproduce.engine.env.environment`);
``result.json``
    one row: the config columns, ``status`` and the metrics
    (:data:`reproduce.results.schema.RESULT_SCHEMA`);
``model.pt``
    only with ``keep_model``: the trained network's state dict (or the pickled scikit-learn
    estimator of the hybrid as ``model.pkl``).

A run is written into ``.partial-<run_id>-<pid>/`` and renamed to its final name when
complete, so a run killed mid-way leaves no result and is redone cleanly by the next sweep (its
stale partial folder is removed). A completed run (``status = ok``) is skipped; a failed run
records ``status = error`` with the message (and ``error.txt`` with the traceback) and the sweep
goes on; failed runs are retried by the next sweep.

One run reads top to bottom in :func:`execute_run` and :func:`_run_body`::

    cfg -> datasets.load_data -> approaches.get(cfg.approach).fit (models.build_backbone inside)
        -> classification_metrics (evaluate) -> predictions.parquet + result.json (results)

Planning (suites, ids, shards) is :mod:`reproduce.engine.plan`. Nothing here imports polars:
GPU workers run this module without it.
"""

from __future__ import annotations

import dataclasses
import fcntl
import io
import json
import math
import os
import pickle
import shutil
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import torch
import yaml

from reproduce import approaches
from reproduce.approaches import SplitArrays, run_approach
from reproduce.datasets.load import load_data
from reproduce.engine.config import RunConfig, approach_label
from reproduce.engine.env import environment, progress
from reproduce.engine.io import _UMASK, atomic_write_json, atomic_write_text, atomic_write_with
from reproduce.engine.plan import PlannedRun, plan_runs, suite_dir
from reproduce.engine.train import classification_metrics, set_determinism
from reproduce.results.schema import config_columns, normalise_row
from review.errors import InputError

__all__ = ["RunOutcome", "execute_run", "read_result", "run_suite", "write_predictions"]


# ============================================================================ one run
@dataclass(frozen=True)
class RunOutcome:
    """What happened to one run: ``status`` is ``ok``, ``error`` or ``skipped`` (done before)."""

    run_id: str
    status: str
    folder: Path
    result: dict[str, Any]


def read_result(folder: Path) -> dict[str, Any] | None:
    """The run's ``result.json`` (``None`` when absent or unreadable)."""
    try:
        return json.loads((folder / "result.json").read_text())
    except (OSError, ValueError):
        return None


class RunLocked(InputError):
    """Another live process is writing this run (it holds the run's lock)."""


@contextmanager
def _run_lock(root: Path, rid: str) -> Iterator[None]:
    """Hold ``.lock-<run_id>`` exclusively while the run is written.

    The lock is an ``fcntl.flock`` on a file, released by the kernel when its holder exits or
    dies: a crashed run never blocks a later sweep, and a reused PID cannot fake a live writer.

    Raises
    ------
    RunLocked
        If another process holds it.
    """
    lock = root / f".lock-{rid}"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666 & ~_UMASK)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunLocked(f"run {rid} is being written by another process ({lock})") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {socket.gethostname()} {time.time():.0f}\n".encode())
        yield
    finally:
        os.close(fd)


def _clear_stale_partials(root: Path, rid: str) -> None:
    """Remove partial folders of ``rid`` left by dead writers (the caller holds the lock)."""
    for p in root.glob(f".partial-{rid}-*"):
        shutil.rmtree(p, ignore_errors=True)


def execute_run(
    planned: PlannedRun | RunConfig,
    *,
    suite: str,
    runs_root: Path | None = None,
    device: str = "cpu",
    keep_model: bool = False,
    quiet: bool = True,
    force: bool = False,
    hook: Callable[[str, dict[str, Any]], None] | None = None,
) -> RunOutcome:
    """Run one config into its folder (or skip it when already complete).

    Parameters
    ----------
    planned
        A :class:`PlannedRun` (or a config, planned here).
    suite
        Suite name (the folder under the runs root).
    runs_root
        Default :func:`review.paths.runs_dir`.
    device
        Torch device (already resolved: ``cpu``, ``cuda``, ``cuda:N``).
    keep_model
        Save the trained model in the run folder.
    quiet
        No progress bars.
    force
        Rerun even if complete.
    hook
        Called as ``hook(event, record)`` for every metrics record (tests use it to kill or fail
        a run mid-way).

    Returns
    -------
    RunOutcome
        ``ok``, ``error`` (the sweep should continue) or ``skipped``.
    """
    if isinstance(planned, RunConfig):
        planned = plan_runs([planned])[0]
    rid = planned.run_id
    root = suite_dir(suite, runs_root)
    final = root / rid
    done = read_result(final)
    if done is not None and done.get("status") == "ok" and not force:
        return RunOutcome(rid, "skipped", final, done)
    root.mkdir(parents=True, exist_ok=True)
    with _run_lock(root, rid):
        done = read_result(final)  # another process may have finished it meanwhile
        if done is not None and done.get("status") == "ok" and not force:
            return RunOutcome(rid, "skipped", final, done)
        _clear_stale_partials(root, rid)
        return _execute_locked(planned, suite, root, final, device, keep_model, quiet, hook)


def _execute_locked(
    planned: PlannedRun,
    suite: str,
    root: Path,
    final: Path,
    device: str,
    keep_model: bool,
    quiet: bool,
    hook: Callable[[str, dict[str, Any]], None] | None,
) -> RunOutcome:
    cfg, rid = planned.config, planned.run_id
    work = root / f".partial-{rid}-{os.getpid()}"
    work.mkdir()
    env = environment(device)
    header = {
        "run_id": rid,
        "suite": suite,
        "data_checksum": planned.data_checksum,
        "code_version": env["code_version"],
        "config": cfg.to_dict(),
    }
    atomic_write_text(work / "config.yaml", yaml.safe_dump(header, sort_keys=False))
    atomic_write_json(work / "env.json", env)
    t0 = time.perf_counter()
    row: dict[str, Any] = {"run_id": rid, "suite": suite, **config_columns(cfg)}
    metrics_file = (work / "metrics.jsonl").open("a", encoding="utf-8")

    def log(record: dict[str, Any]) -> None:
        metrics_file.write(json.dumps(record, default=_json_default) + "\n")
        metrics_file.flush()
        if hook is not None:
            hook("metrics", record)

    try:
        row.update(
            _run_body(
                cfg,
                planned.data_checksum,
                work,
                device=device,
                log=log,
                keep_model=keep_model,
                quiet=quiet,
            )
        )
        row["status"], row["error"] = "ok", None
    except Exception as exc:  # any failure is data: recorded, the sweep goes on
        row["status"] = "error"
        row["error"] = f"{type(exc).__name__}: {exc}"[:2000]
        atomic_write_text(work / "error.txt", traceback.format_exc())
    finally:
        metrics_file.close()
    row.update(
        wall_s=time.perf_counter() - t0,
        data_checksum=planned.data_checksum,
        code_version=env["code_version"],
        device=device,
        device_name=env["gpu_name"] or "cpu",
        torch_version=env["torch"],
        finished_utc=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    atomic_write_json(work / "result.json", normalise_row(row))
    # Swap the complete folder into place (an older failed attempt is replaced).
    if final.exists():
        trash = root / f".trash-{rid}-{os.getpid()}"
        os.replace(final, trash)
        shutil.rmtree(trash, ignore_errors=True)
    os.replace(work, final)
    return RunOutcome(rid, row["status"], final, normalise_row(row))


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, float) and math.isnan(obj):
        return None
    return str(obj)


def _run_body(
    cfg: RunConfig,
    dsum: str,
    work: Path,
    *,
    device: str,
    log: Callable[[dict[str, Any]], None],
    keep_model: bool,
    quiet: bool,
) -> dict[str, Any]:
    """Load the data, run the approach, write predictions (and the model); return metrics."""
    set_determinism(cfg.seed, device)
    data = load_data(
        cfg.dataset,
        cfg.resolution,
        split_seed=cfg.split_seed,
        dedup=cfg.dedup_arg,
        resize=cfg.resize,
    )
    if cfg.resolution is None:
        cfg = dataclasses.replace(cfg, resolution=int(data.train.images.shape[1]))
    train_full = data.train
    train = (
        train_full.fraction(cfg.train_fraction, cfg.seed)
        if cfg.train_fraction < 1
        else (train_full)
    )

    def arrays(a: Any) -> SplitArrays:
        return SplitArrays(
            np.asarray(a.images), np.asarray(a.labels).reshape(-1), np.asarray(a.ids).astype(str)
        )

    n_classes = len(data.classes)
    approaches.get(cfg.approach)  # fails early, naming the registered approaches
    out = run_approach(
        cfg,
        arrays(train),
        arrays(data.val),
        arrays(data.test),
        n_classes=n_classes,
        data_checksum=dsum,
        device=device,
        log=log,
        full_train=arrays(train_full),
        quiet=quiet,
    )
    test = arrays(data.test)
    metrics = classification_metrics(test.labels, out.test_probs)
    write_predictions(work / "predictions.parquet", test.ids, test.labels, out.test_probs)
    if keep_model and out.model is not None:
        if isinstance(out.model, torch.nn.Module):
            state = {k: v.detach().cpu() for k, v in out.model.state_dict().items()}
            buf = io.BytesIO()
            torch.save(
                {"state_dict": state, "config": cfg.to_dict(), "classes": list(data.classes)}, buf
            )
            atomic_write_with(work / "model.pt", lambda p: p.write_bytes(buf.getvalue()))
        else:
            blob = pickle.dumps(out.model)
            atomic_write_with(work / "model.pkl", lambda p: p.write_bytes(blob))
    dedup = getattr(data, "dedup", None)
    removed = int(dedup["n_removed"].sum()) if dedup is not None and len(dedup) else 0
    gpu = device.startswith("cuda")
    return {
        **metrics,
        **{f"val_{k}": v for k, v in out.val_metrics.items()},
        "best_epoch": out.best_epoch,
        "selected_lr": out.selected.get("lr"),
        "selected_classifier": out.selected.get("classifier"),
        "head_iterations": out.selected.get("n_iter"),
        "head_converged": out.selected.get("converged"),
        "selected": json.dumps(out.selected, sort_keys=True, default=_json_default),
        "compute_s": out.compute_s,
        "gpu_s": out.compute_s if gpu else None,
        "feature_extract_s": out.feature_extract_s,
        "feature_cache_hit": out.feature_cache_hit,
        "trainable_params": out.trainable_params,
        "total_params": out.total_params,
        "flops_per_image": out.flops_per_image,
        "n_train": len(train.labels),
        "n_val": len(data.val.labels),
        "n_test": len(test.labels),
        "n_classes": n_classes,
        "dedup_removed": removed,
        "resolution": cfg.resolution,
        "classes": ";".join(data.classes),
    }


def write_predictions(path: Path, ids: np.ndarray, labels: np.ndarray, probs: np.ndarray) -> Path:
    """Write per-sample test predictions: ``id, label, prob_0..prob_{K-1}, pred`` (parquet).

    Written with pyarrow (no data-frame library needed on a GPU worker).
    """
    columns: dict[str, Any] = {
        "id": pa.array(np.asarray(ids).astype(str), pa.string()),
        "label": pa.array(np.asarray(labels).astype(np.int64)),
        **{f"prob_{k}": pa.array(probs[:, k].astype(np.float64)) for k in range(probs.shape[1])},
        "pred": pa.array(probs.argmax(axis=1).astype(np.int64)),
    }
    table = pa.table(columns)
    return atomic_write_with(path, lambda p: pq.write_table(table, p))


def run_suite(
    planned: Sequence[PlannedRun],
    *,
    suite: str,
    runs_root: Path | None = None,
    device: str = "cpu",
    keep_model: bool = False,
    quiet: bool = False,
    force: bool = False,
    echo: Callable[[str], None] | None = None,
) -> list[RunOutcome]:
    """Run every planned config in order; a failed run is recorded and the sweep goes on.

    When standard error is not a terminal (logs, CI, ``nohup``), a line ``running RUN_ID: N s``
    is printed every ``TLREVIEW_PROGRESS_S`` seconds (default 60) while a run is in progress.
    """
    echo = echo or (lambda s: print(s, file=sys.stderr))
    outcomes = []
    every = float(os.environ.get("TLREVIEW_PROGRESS_S", "60"))
    for p in progress(planned, quiet=quiet, desc=f"{suite} runs"):
        try:
            with _heartbeat(p.run_id, every, echo, enabled=not sys.stderr.isatty()):
                o = execute_run(
                    p,
                    suite=suite,
                    runs_root=runs_root,
                    device=device,
                    keep_model=keep_model,
                    quiet=quiet,
                    force=force,
                )
        except RunLocked as exc:  # another sweep is on it: go on with the next run
            echo(f"busy    {p.run_id} ({exc})")
            folder = suite_dir(suite, runs_root) / p.run_id
            outcomes.append(RunOutcome(p.run_id, "busy", folder, {}))
            continue
        c = p.config
        auc = o.result.get("auc_macro_ovr")
        auc_s = f"{auc:.4f}" if isinstance(auc, float) else "-"
        line = (
            f"{o.status:7s} {o.run_id} {c.dataset} {c.arch}/{c.source} {c.approach} "
            f"({approach_label(c.approach)})"
            f"{'' if c.k_blocks is None else f' k={c.k_blocks}'} seed={c.seed} "
            f"auc={auc_s} wall={o.result.get('wall_s', 0) or 0:.1f}s"
        )
        if o.status == "error":
            line += f"  ({o.result.get('error')})"
        echo(line)
        outcomes.append(o)
    return outcomes


@contextmanager
def _heartbeat(
    run_id: str, every: float, echo: Callable[[str], None], *, enabled: bool
) -> Iterator[None]:
    """Print ``running RUN_ID: N s`` every ``every`` seconds until the block ends."""
    if not enabled or every <= 0:
        yield
        return
    stop = threading.Event()
    start = time.monotonic()

    def beat() -> None:
        while not stop.wait(every):
            echo(f"running {run_id}: {time.monotonic() - start:.0f} s")

    t = threading.Thread(target=beat, daemon=True)
    t.start()
    try:
        yield
    finally:
        stop.set()
        t.join()
