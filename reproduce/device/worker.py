"""One long-lived worker per GPU: a whole profile in one process, within a time budget.

Why one process: on a GPU the first call of each (architecture, resolution, batch shape) pays
cuDNN's algorithm search and CUDA's lazy initialisation (tens of seconds on an H200), while the
same run in a warm process takes seconds. The worker therefore

* verifies the pack's manifest before anything trains;
* runs seed-major (every claim's arms for seed 0, then seed 1, ...), grids in the suite's
  order (claim priority), so a budget cut short loses seeds, not claims;
* predicts each run's seconds with :mod:`reproduce.device.cost` and starts no run predicted not
  to finish within ``--time-budget`` (it goes on with smaller runs that fit);
* writes each finished run at once (atomic run folders, as every sweep) and appends it to a
  compressed tar under ``--out`` together with a timing summary, so a call cut off at its limit
  loses only the run in flight;
* measures the bare training step of each (architecture, resolution, batch) shape in the same
  process, so the steady-state rate of the engine can be compared with it.

Everything here imports only what the GPU image has (torch, numpy, pandas, pyarrow, sklearn,
yaml): never polars.

Usage (on the GPU machine, see reproduce/device/README.md)::

    python3 -m reproduce.device.worker --suite guideline_v2 --profile gpu \
        --pack ~/tlpack --out $OUT --time-budget 330 --device cuda
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tarfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from reproduce.datasets.pack import DECODE_SECONDS, pack_environment, verify_pack
from reproduce.device import cost
from reproduce.engine.env import environment
from reproduce.engine.execute import execute_run
from reproduce.engine.io import atomic_write_json
from reproduce.engine.plan import run_configs, suite_dir
from reproduce.models.zoo import build_backbone
from review.errors import InputError

__all__ = ["ResultStream", "main", "run_worker"]

#: Largest compressed tar of run folders before the worker starts the next one.
TAR_LIMIT = 14 * 2**20
#: Files a run folder may carry back (kept models stay on the machine).
_SKIP_IN_TAR = ("model.pt", "model.pkl")


class ResultStream:
    """Finished run folders appended to ``runs-NN.tar.gz`` files of at most :data:`TAR_LIMIT`.

    Each run is written as its own gzip member (a gzip file may hold several), so every
    finished run is on disk and readable the moment it is added.
    """

    def __init__(self, out: Path, suite: str, max_files: int = 5) -> None:
        self.out, self.suite, self.max_files = Path(out), suite, max_files
        self.index = 0
        self.out.mkdir(parents=True, exist_ok=True)

    def _path(self) -> Path:
        return self.out / f"runs-{self.index:02d}.tar.gz"

    def add(self, folder: Path) -> None:
        """Append one run folder (its files but kept models) as ``<suite>/<run_id>/...``."""
        p = self._path()
        if p.exists() and p.stat().st_size > TAR_LIMIT and self.index + 1 < self.max_files:
            self.index += 1
            p = self._path()
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w:gz") as tar:
            for f in sorted(folder.iterdir()):
                if f.is_file() and f.name not in _SKIP_IN_TAR:
                    tar.add(f, arcname=f"{self.suite}/{folder.name}/{f.name}")
        with p.open("ab") as fh:
            fh.write(buf.getvalue())
            fh.flush()
            os.fsync(fh.fileno())


def _counts_from_pack(pack: Path | None) -> Callable[[str], dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    if pack is not None and (pack / "manifest.json").is_file():
        for e in json.loads((pack / "manifest.json").read_text()).get("datasets", []):
            table[e["name"]] = e["counts"]

    def counts(name: str) -> dict[str, int]:
        return table.get(name) or cost.dataset_counts(name)

    return counts


def _steady_rate(folder: Path) -> float | None:
    """Median training img/s over epochs after the first (from ``metrics.jsonl``)."""
    rates = []
    try:
        lines = (folder / "metrics.jsonl").read_text().splitlines()
    except OSError:
        return None
    for ln in lines:
        rec = json.loads(ln)
        if rec.get("epoch", 0) > 1 and rec.get("images_per_s"):
            rates.append(float(rec["images_per_s"]))
    return statistics.median(rates) if rates else None


def bare_step_rate(arch: str, resolution: int, batch: int, device: str, steps: int = 20) -> float:
    """Images/s of the bare bf16 channels-last training step of ``arch`` (random data)."""
    bb = build_backbone(arch, "random")
    head = torch.nn.Linear(bb.spec.feature_dim, 4)
    model = torch.nn.Sequential(bb, head).to(device).to(memory_format=torch.channels_last)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    x = torch.rand(batch, 3, resolution, resolution, device=device).to(
        memory_format=torch.channels_last
    )
    y = torch.randint(0, 4, (batch,), device=device)
    amp = device.startswith("cuda")

    def step() -> None:
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=amp):
            loss = F.cross_entropy(model(x).float(), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    for _ in range(3):
        step()
    if amp:
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    if amp:
        torch.cuda.synchronize()
    return steps * batch / (time.perf_counter() - t0)


def run_worker(
    suite: str, profile: str, *, pack: Path | None = None, **kwargs: Any
) -> dict[str, Any]:
    """Run a profile in this process within a time budget; stream results to ``out``.

    The pack (if any) is active only while the worker runs (:func:`pack_environment`); see
    :func:`_run_worker` for the parameters.
    """
    with pack_environment(Path(pack) if pack is not None else None):
        return _run_worker(suite, profile, pack=pack, **kwargs)


def _run_worker(
    suite: str,
    profile: str,
    *,
    out: Path,
    pack: Path | None = None,
    runs_root: Path | None = None,
    device: str = "cuda",
    time_budget: float | None = None,
    cost_device: str = "h200",
    keep_model_seeds: Sequence[int] = (),
    keep_model_approaches: Sequence[str] = ("fine_tuning_from_scratch", "scratch"),
    bare: bool = True,
    echo: Callable[[str], None] | None = None,
    run_ids: Sequence[str] | None = None,
    sets: Sequence[str] = (),
) -> dict[str, Any]:
    """Run a profile in this process within ``time_budget`` seconds; stream results to ``out``.

    ``run_ids`` restricts the worker to those runs of the profile (one shard of a job array,
    :mod:`reproduce.cluster`); ``sets`` are ``--set FIELD=VALUE`` overrides of every run.

    Returns
    -------
    dict
        The timing summary (also written to ``out/timing-<suite>.json``).
    """
    echo = echo or (lambda s: print(s, file=sys.stderr, flush=True))
    t_start = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"suite": suite, "profile": profile, "device": device}
    if pack is not None:
        check = verify_pack(Path(pack))
        summary["pack_verify_s"] = check["seconds"]
        echo(f"worker: pack verified ({check['files']} files, {check['seconds']:.1f} s)")
    plan_suite, planned = run_configs(suite, profile, sets=sets)
    suite = plan_suite.name  # a YAML path names its suite; run folders go under the name
    summary["suite"] = suite
    if run_ids is not None:
        by_id = {p.run_id: p for p in planned}
        missing = [rid for rid in run_ids if rid not in by_id]
        if missing:
            raise InputError(
                f"run id(s) {', '.join(missing[:5])} are not in {suite}/{profile} (the suite, "
                "--set or the engine version changed since they were planned)"
            )
        planned = [by_id[rid] for rid in dict.fromkeys(run_ids)]
    planned = cost.order_seed_major(planned)
    counts_of = _counts_from_pack(Path(pack) if pack else None)
    table = cost.load_table()
    preds = cost.predict_runs([p.config for p in planned], counts_of, table, cost_device)
    summary["predicted_total_s"] = sum(p["seconds"] for p in preds)
    summary["planned_runs"] = len(planned)
    env = environment(device)
    atomic_write_json(out / "env.json", env)
    stream = ResultStream(out, suite)
    rows: list[dict[str, Any]] = []
    summary["runs"] = rows
    bare_rates: dict[str, float] = {}
    summary["bare_img_s"] = bare_rates
    t_probe = time.perf_counter()
    if bare and device.startswith("cuda"):
        for shape in sorted(
            {(p.config.arch, p.config.resolution, p.config.batch_size) for p in planned}
        ):
            try:
                bare_rates["/".join(map(str, shape))] = bare_step_rate(*shape, device=device)
            except Exception as exc:  # noqa: BLE001 - a failed probe is reported, not fatal
                echo(f"worker: bare-step probe {shape} failed: {exc}")
        echo(f"worker: bare steps {bare_rates}")
    summary["bare_probe_s"] = time.perf_counter() - t_probe
    seen_shapes: set[tuple[str, int, int]] = set()
    # Seconds measured for the same configuration with another seed (seed-major order: after
    # seed 0, the budget is judged on measurements, not on the cost model).
    measured_cell: dict[str, float] = {}
    budget = float(time_budget) if time_budget else float("inf")
    for p, pred in zip(planned, preds, strict=True):
        c = p.config
        elapsed = time.perf_counter() - t_start
        shape = (c.arch, int(c.resolution or 0), int(c.batch_size))
        cell = json.dumps({**c.to_dict(), "seed": None}, sort_keys=True)
        model_s = pred["seconds"]
        predicted = measured_cell.get(cell, model_s)
        if elapsed + predicted > budget:
            rows.append(
                {
                    "run_id": p.run_id,
                    "status": "not_started_budget",
                    "predicted_s": model_s,
                    "expected_s": predicted,
                }
            )
            continue
        keep = c.seed in set(keep_model_seeds) and c.approach in keep_model_approaches
        t0 = time.perf_counter()
        outcome = execute_run(
            p, suite=suite, runs_root=runs_root, device=device, keep_model=keep, quiet=True
        )
        wall = time.perf_counter() - t0
        measured_cell[cell] = min(wall, measured_cell.get(cell, wall))
        first = shape not in seen_shapes
        seen_shapes.add(shape)
        if outcome.status in ("ok", "error"):
            stream.add(outcome.folder)
        rows.append(
            {
                "run_id": p.run_id,
                "status": outcome.status,
                "dataset": c.dataset,
                "arch": c.arch,
                "arch2": c.arch2,
                "approach": c.approach,
                "resolution": c.resolution,
                "batch_size": c.batch_size,
                "seed": c.seed,
                "predicted_s": model_s,
                "expected_s": predicted,
                "measured_s": wall,
                "first_of_shape": first,
                "cell": cell,
                "steady_img_s": _steady_rate(outcome.folder),
                "auc": outcome.result.get("auc_macro_ovr"),
            }
        )
        summary["elapsed_s"] = time.perf_counter() - t_start
        atomic_write_json(out / f"timing-{suite}.json", summary)
        auc = outcome.result.get("auc_macro_ovr")
        echo(
            f"{outcome.status:7s} {c.dataset}/{c.resolution} {c.arch} {c.approach} "
            f"k={c.k_blocks} seed={c.seed} auc={auc if auc is None else round(auc, 4)} "
            f"pred={model_s:.1f}s wall={wall:.1f}s t={summary['elapsed_s']:.0f}s"
        )
    summary["elapsed_s"] = time.perf_counter() - t_start
    summary["pack_decode_s"] = dict(DECODE_SECONDS)
    summary.update(_goal_figures(summary, suite_dir(suite, runs_root)))
    atomic_write_json(out / f"timing-{suite}.json", summary)
    return summary


def _goal_figures(summary: dict[str, Any], root: Path) -> dict[str, Any]:
    """Warm-up share and steady-state rate over the bare step, per shape."""
    rows = [r for r in summary["runs"] if r.get("measured_s")]
    total = sum(r["measured_s"] for r in rows) or 1.0
    # Warm-up of a shape: its first run's seconds minus the same configuration's seconds with a
    # later seed (same work, warm process); shapes never repeated fall back on the cost model.
    later: dict[str, float] = {}
    for r in rows:
        if not r["first_of_shape"]:
            later[r["cell"]] = min(r["measured_s"], later.get(r["cell"], r["measured_s"]))
    warm = 0.0
    for r in rows:
        if r["first_of_shape"]:
            steady = later.get(r["cell"], r["predicted_s"])
            warm += max(0.0, r["measured_s"] - steady)
    ratios = {}
    for key, bare in summary.get("bare_img_s", {}).items():
        arch, res, bs = key.split("/")
        rates = [
            r["steady_img_s"]
            for r in rows
            if r["arch"] == arch
            and r.get("approach") in cost.RATE_APPROACHES
            and str(r["resolution"]) == res
            and str(r["batch_size"]) == bs
            and r["steady_img_s"]
        ]
        if rates and bare:
            ratios[key] = statistics.median(rates) / bare
    probe = float(summary.get("bare_probe_s") or 0.0)  # it also warms the training shapes
    return {
        "warmup_s": warm + probe,
        "warmup_share": (warm + probe) / (total + probe),
        "steady_over_bare": ratios,
        "runs_done": sum(r["status"] in ("ok", "skipped") for r in summary["runs"]),
        "runs_error": sum(r["status"] == "error" for r in summary["runs"]),
        "runs_not_started": sum(r["status"] == "not_started_budget" for r in summary["runs"]),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point (``python -m reproduce.device.worker``)."""
    ap = argparse.ArgumentParser(prog="python -m reproduce.device.worker", description=__doc__)
    ap.add_argument("--suite", required=True)
    ap.add_argument("--profile", required=True)
    ap.add_argument("--out", required=True, type=Path, help="folder for results to bring back")
    ap.add_argument("--pack", type=Path, help="unpacked pack folder (default: local data)")
    ap.add_argument("--runs-dir", type=Path, help="runs root (default TLREVIEW_RUNS_DIR)")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--time-budget", type=float, help="seconds; no run starts that cannot finish")
    ap.add_argument("--keep-model-seeds", default="", help="e.g. 0 (victims for the UAP suite)")
    ap.add_argument("--no-bare", action="store_true", help="skip the bare-step probes")
    a = ap.parse_args(argv)
    seeds = [int(s) for s in a.keep_model_seeds.split(",") if s.strip()]
    s = run_worker(
        a.suite,
        a.profile,
        out=a.out,
        pack=a.pack,
        runs_root=a.runs_dir,
        device=a.device,
        time_budget=a.time_budget,
        keep_model_seeds=seeds,
        bare=not a.no_bare,
    )
    print(
        json.dumps(
            {
                k: s[k]
                for k in (
                    "elapsed_s",
                    "predicted_total_s",
                    "runs_done",
                    "runs_error",
                    "runs_not_started",
                    "warmup_share",
                    "steady_over_bare",
                )
            },
            indent=1,
        )
    )
    return 0 if s["runs_error"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
