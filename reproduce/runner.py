"""Run configurations and suites: one folder per run, atomic, resumable, failures as data.

A run's folder is ``runs_dir()/<suite>/<run_id>/`` and holds

``config.yaml``
    the resolved config, the run id, the data checksum and the code version;
``metrics.jsonl``
    one JSON record per epoch (or per hybrid candidate);
``predictions.parquet``
    per test sample: ``id``, ``label``, ``prob_0..prob_{K-1}``, ``pred``;
``env.json``
    python, torch, CUDA, GPU name, git SHA, hostname (:func:`reproduce.env.environment`);
``result.json``
    one row: the config columns, ``status`` and the metrics
    (:data:`reproduce.collect.RESULT_SCHEMA`);
``model.pt``
    only with ``keep_model``: the trained network's state dict (or the pickled scikit-learn
    estimator of the hybrid as ``model.pkl``).

A run is written into ``.partial-<run_id>-<pid>/`` and renamed to its final name when
complete, so a run killed mid-way leaves no result and is redone cleanly by the next sweep (its
stale partial folder is removed). A completed run (``status = ok``) is skipped; a failed run
records ``status = error`` with the message (and ``error.txt`` with the traceback) and the sweep
goes on; failed runs are retried by the next sweep.

Suites are YAML files (``reproduce/suites/<name>.yaml``) with profiles; each profile expands its
grids into :class:`~reproduce.config.RunConfig` objects (:func:`expand_suite`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import itertools
import json
import math
import os
import pickle
import re
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from reproduce.config import ConfigError, RunConfig, code_version, run_id
from reproduce.env import atomic_write_json, atomic_write_text, atomic_write_with, environment
from review import paths
from review.errors import InputError

__all__ = [
    "RunOutcome",
    "Suite",
    "SyntheticSplits",
    "apply_overrides",
    "data_checksum",
    "execute_run",
    "expand_suite",
    "load_suite",
    "parse_shard",
    "plan_runs",
    "run_configs",
    "select_shard",
    "suite_dir",
    "suites_dir",
    "synthetic_splits",
]

SUITE_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


# ============================================================================ data access
@dataclass
class _SynthArrays:
    """Synthetic split (made up in code, no real images)."""

    images: np.ndarray
    labels: np.ndarray
    ids: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, indices: np.ndarray) -> _SynthArrays:
        idx = np.asarray(indices)
        return _SynthArrays(self.images[idx], self.labels[idx], self.ids[idx])

    def fraction(self, frac: float, seed: int) -> _SynthArrays:
        return self.subset(stratified_fraction(self.labels, frac, seed))


@dataclass
class SyntheticSplits:
    """Synthetic train/val/test splits with the attributes of ``reproduce.datasets.SplitData``."""

    name: str
    resolution: int
    classes: tuple[str, ...]
    train: _SynthArrays
    val: _SynthArrays
    test: _SynthArrays
    dedup: Any = None
    split_file: Path | None = None


#: Synthetic data sets understood by :func:`load_data`: name -> (classes, channels, side, n).
SYNTHETIC: dict[str, tuple[int, int, int, tuple[int, int, int]]] = {
    "synthetic": (2, 1, 28, (96, 32, 48)),
    "synthetic3": (3, 3, 28, (120, 45, 60)),
}


def synthetic_splits(name: str = "synthetic", seed: int = 0) -> SyntheticSplits:
    """SYNTHETIC images whose class is a brightness pattern plus noise (tests, benchmarks).

    Class ``c`` has a bright square at a class-specific place over uniform noise, so a small
    network learns it in an epoch or two. Nothing here is real data.

    Parameters
    ----------
    name
        A key of :data:`SYNTHETIC`.
    seed
        Seed of the noise.

    Returns
    -------
    SyntheticSplits
        ``uint8`` (N, H, W, C) arrays.
    """
    k, ch, side, sizes = SYNTHETIC[name]
    rng = np.random.default_rng(1234 + seed)
    out = []
    for split, n in zip(("train", "val", "test"), sizes, strict=True):
        labels = np.arange(n) % k
        rng.shuffle(labels)
        imgs = rng.integers(0, 120, size=(n, side, side, ch), dtype=np.uint8)
        q = side // 4
        for i, c in enumerate(labels):
            r0 = q * (c % 3)
            imgs[i, r0 : r0 + q + 2, q : 3 * q, :] = rng.integers(170, 255, dtype=np.uint8)
        ids = np.array([f"synthetic:{split}:{i}" for i in range(n)])
        out.append(_SynthArrays(imgs, labels.astype(np.int64), ids))
    return SyntheticSplits(name, side, tuple(f"class{c}" for c in range(k)), *out)


def stratified_fraction(labels: np.ndarray, frac: float, seed: int) -> np.ndarray:
    """Sorted indices of a stratified, seeded ``frac`` of ``labels`` (at least 1 per class)."""
    labels = np.asarray(labels).reshape(-1)
    if frac >= 1.0:
        return np.arange(len(labels))
    rng = np.random.default_rng(seed)
    keep = []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        n = max(1, int(round(frac * len(idx))))
        keep.append(rng.choice(idx, size=n, replace=False))
    return np.sort(np.concatenate(keep))


def _is_synthetic(name: str) -> bool:
    return name in SYNTHETIC


@lru_cache(maxsize=64)
def data_checksum(name: str) -> str:
    """Checksum identifying a data set's files (part of every run id).

    Registered data sets: sha256 over the registry's file checksums. ``folder:PATH`` data sets
    (whose spec carries none): the manifest hash of the folder (one ``relpath<TAB>sha256`` line
    per file, sorted), computed once per process. Synthetic data sets: a fixed tag.
    """
    if _is_synthetic(name):
        return f"{name}-v1"
    from reproduce.datasets import get_spec

    spec = get_spec(name)
    digests = [f.sha256 for f in spec.files]
    if all(digests):
        return hashlib.sha256("\n".join(digests).encode()).hexdigest()
    if spec.kind == "folder":
        root = Path(spec.files[0].relpath)
        lines = []
        for p in sorted(q for q in root.rglob("*") if q.is_file()):
            rel = p.relative_to(root).as_posix()
            if any(part.startswith(".") for part in rel.split("/")):
                continue
            lines.append(f"{rel}\t{hashlib.sha256(p.read_bytes()).hexdigest()}\n")
        return hashlib.sha256("".join(lines).encode()).hexdigest()
    raise InputError(f"data set {name!r}: its registry entry has no checksum")


def native_resolution(name: str) -> int | None:
    """The data set's native side in pixels (``None`` when only decoding tells, e.g. folders)."""
    if _is_synthetic(name):
        return SYNTHETIC[name][2]
    from reproduce.datasets import get_spec

    return get_spec(name).native_resolution or None


def load_data(cfg: RunConfig) -> Any:
    """The splits of ``cfg.dataset`` at the size the device pipeline starts from.

    Images are kept at native size when the network's input is as large or larger (they are
    upsampled on the device, batch by batch); a data set whose native size exceeds
    ``cfg.resolution`` is resized once, antialiased, by the data registry (and cached).
    """
    if _is_synthetic(cfg.dataset):
        return synthetic_splits(cfg.dataset)
    from reproduce.datasets import load_splits

    native = native_resolution(cfg.dataset)
    res = (
        None
        if (cfg.resolution is None or (native and cfg.resolution >= native))
        else (cfg.resolution)
    )
    return load_splits(cfg.dataset, res, seed=cfg.split_seed, dedup=cfg.dedup)


def resolve_run(cfg: RunConfig) -> RunConfig:
    """Resolve ``cfg`` and fill the native resolution when it is ``None`` (and known)."""
    c = cfg.resolved()
    if c.resolution is None:
        native = native_resolution(c.dataset)
        if native:
            c = dataclasses.replace(c, resolution=native)
    return c


# ============================================================================ suites
def suites_dir() -> Path:
    """Folder of the packaged suite files (``reproduce/suites``)."""
    return Path(__file__).resolve().parent / "suites"


@dataclass(frozen=True)
class Suite:
    """A parsed suite file.

    Attributes
    ----------
    name
        Suite name (run folders go under ``runs_dir()/<name>``).
    path
        The YAML file.
    description
        What the suite is for.
    profiles
        Profile name -> ``{"description", "defaults", "grids"}``.
    """

    name: str
    path: Path
    description: str
    profiles: dict[str, dict[str, Any]]


def load_suite(name_or_path: str) -> Suite:
    """Read a suite by name (``reproduce/suites/<name>.yaml``) or by path.

    Raises
    ------
    InputError
        Unknown suite (lists the packaged ones) or a malformed file (names the field).
    """
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        path = p
    else:
        path = suites_dir() / f"{name_or_path}.yaml"
    if not path.is_file():
        known = sorted(q.stem for q in suites_dir().glob("*.yaml"))
        raise InputError(
            f"unknown suite {name_or_path!r}: no file {path}; packaged suites: {', '.join(known)}"
        )
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("profiles"), dict):
        raise InputError(f"{path}: expected a mapping with a 'profiles' mapping")
    name = str(data.get("suite") or path.stem)
    if not SUITE_NAME.match(name):
        raise InputError(f"{path}: suite name {name!r} must match {SUITE_NAME.pattern}")
    for prof, body in data["profiles"].items():
        if not isinstance(body, dict) or not isinstance(body.get("grids"), list):
            raise InputError(f"{path}: profile {prof!r} needs a 'grids' list")
    return Suite(name, path, str(data.get("description", "")), data["profiles"])


def _listify(v: Any) -> list[Any]:
    return list(v) if isinstance(v, list) else [v]


def expand_suite(suite: Suite, profile: str) -> list[RunConfig]:
    """Expand a profile's grids into resolved configs (cartesian product per grid, deduplicated).

    Each grid is a mapping field -> value or list of values, merged over the profile's
    ``defaults``. Fields an approach does not use are normalised away
    (:meth:`RunConfig.resolved`), so duplicates collapse; the order is the grids' order.

    Raises
    ------
    InputError
        Unknown profile, or an invalid config (naming the grid and the field).
    """
    if profile not in suite.profiles:
        raise InputError(
            f"suite {suite.name!r} has no profile {profile!r}; profiles: "
            f"{', '.join(suite.profiles)}"
        )
    body = suite.profiles[profile]
    defaults = dict(body.get("defaults") or {})
    out: list[RunConfig] = []
    seen: set[str] = set()
    for gi, grid in enumerate(body["grids"], start=1):
        if not isinstance(grid, dict):
            raise InputError(f"{suite.path}: profile {profile} grid {gi}: expected a mapping")
        merged = {**defaults, **grid}
        keys = list(merged)
        values = [
            [merged[k]]
            if k == "lr_grid" and not _is_nested_list(merged[k])
            else _listify(merged[k])
            for k in keys
        ]
        for combo in itertools.product(*values):
            row = dict(zip(keys, combo, strict=True))
            where = f"{suite.path.name}: profile {profile} grid {gi} ({_short(row)})"
            try:
                cfg = RunConfig.from_dict(row, where=where).resolved()
            except ConfigError as exc:
                msg = str(exc)
                raise ConfigError(msg if msg.startswith(where) else f"{where}: {msg}") from None
            key = json.dumps(cfg.to_dict(), sort_keys=True)
            if key not in seen:
                seen.add(key)
                out.append(cfg)
    return out


def _is_nested_list(v: Any) -> bool:
    return isinstance(v, list) and any(isinstance(x, list) for x in v)


def _short(row: dict[str, Any]) -> str:
    keys = ("dataset", "arch", "source", "approach", "k_blocks", "seed")
    return ", ".join(f"{k}={row[k]}" for k in keys if k in row)


def apply_overrides(configs: Sequence[RunConfig], sets: Sequence[str]) -> list[RunConfig]:
    """Apply ``--set FIELD=VALUE`` overrides (YAML values) to every config, then deduplicate.

    Raises
    ------
    InputError
        Malformed item or unknown field.
    """
    changes: dict[str, Any] = {}
    names = {f.name for f in dataclasses.fields(RunConfig)}
    for item in sets:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise InputError(f"--set {item!r}: expected FIELD=VALUE, e.g. epochs=2")
        if key not in names:
            raise InputError(
                f"--set {item!r}: unknown field {key!r}; fields: {', '.join(sorted(names))}"
            )
        changes[key] = yaml.safe_load(raw)
    if not changes:
        return list(configs)
    out, seen = [], set()
    for cfg in configs:
        c = RunConfig.from_dict({**cfg.to_dict(), **changes}, where="--set").resolved()
        key = json.dumps(c.to_dict(), sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """Parse ``--shard i/n`` (0 <= i < n).

    Raises
    ------
    InputError
        Anything else.
    """
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not m or int(m.group(2)) < 1 or int(m.group(1)) >= int(m.group(2)):
        raise InputError(f"--shard {text!r}: expected i/n with 0 <= i < n (e.g. 0/4 ... 3/4)")
    return int(m.group(1)), int(m.group(2))


def select_shard(run_ids: Sequence[str], shard: tuple[int, int] | None) -> list[int]:
    """Indices of the runs in shard ``(i, n)``: those whose id, as an integer, is i mod n.

    The assignment depends only on each run's id, so it is the same on every machine and does
    not change when other runs are added to the suite.
    """
    if shard is None:
        return list(range(len(run_ids)))
    i, n = shard
    return [j for j, rid in enumerate(run_ids) if int(rid, 16) % n == i]


@dataclass(frozen=True)
class PlannedRun:
    """A config with its identity."""

    config: RunConfig
    run_id: str
    data_checksum: str


def plan_runs(configs: Iterable[RunConfig], code: str | None = None) -> list[PlannedRun]:
    """Resolve each config and compute its data checksum and run id."""
    code = code_version() if code is None else code
    out = []
    for cfg in configs:
        c = resolve_run(cfg)
        dsum = data_checksum(c.dataset)
        out.append(PlannedRun(c, run_id(c, dsum, code), dsum))
    return out


def suite_dir(suite: str, runs_root: Path | None = None) -> Path:
    """``runs_dir()/<suite>``."""
    return (runs_root or paths.runs_dir()) / suite


def run_configs(
    suite: str,
    profile: str,
    *,
    sets: Sequence[str] = (),
    shard: tuple[int, int] | None = None,
) -> tuple[Suite, list[PlannedRun]]:
    """Load a suite, expand a profile, apply overrides and select a shard."""
    s = load_suite(suite)
    planned = plan_runs(apply_overrides(expand_suite(s, profile), sets))
    keep = select_shard([p.run_id for p in planned], shard)
    return s, [planned[i] for i in keep]


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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clear_stale_partials(root: Path, rid: str) -> None:
    for p in root.glob(f".partial-{rid}-*"):
        try:
            pid = int(p.name.rsplit("-", 1)[1])
        except ValueError:
            pid = -1
        if pid != os.getpid() and pid > 0 and _pid_alive(pid):
            raise InputError(f"run {rid} is being written by process {pid} ({p})")
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
    cfg, rid = planned.config, planned.run_id
    root = suite_dir(suite, runs_root)
    final = root / rid
    done = read_result(final)
    if done is not None and done.get("status") == "ok" and not force:
        return RunOutcome(rid, "skipped", final, done)
    root.mkdir(parents=True, exist_ok=True)
    _clear_stale_partials(root, rid)
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
    row: dict[str, Any] = {"run_id": rid, "suite": suite, **_config_columns(cfg)}
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
    except Exception as exc:  # noqa: BLE001 - failures are data: recorded, the sweep goes on
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
    from reproduce.collect import normalise_row

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


def _config_columns(cfg: RunConfig) -> dict[str, Any]:
    d = cfg.to_dict()
    d["lr_grid"] = ";".join(repr(v) for v in cfg.lr_grid)
    return d


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
    import torch

    from reproduce.approaches import SplitArrays, run_approach
    from reproduce.train import classification_metrics, set_determinism

    set_determinism(cfg.seed, device)
    data = load_data(cfg)
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
    pred = out.test_probs.argmax(axis=1)
    import polars as pl

    frame = pl.DataFrame(
        {
            "id": test.ids,
            "label": test.labels.astype(np.int64),
            **{f"prob_{k}": out.test_probs[:, k].astype(np.float64) for k in range(n_classes)},
            "pred": pred.astype(np.int64),
        }
    )
    atomic_write_with(work / "predictions.parquet", lambda p: frame.write_parquet(p))
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
    """Run every planned config in order; a failed run is recorded and the sweep goes on."""
    from reproduce.train import progress

    echo = echo or (lambda s: print(s, file=sys.stderr))
    outcomes = []
    for p in progress(planned, quiet=quiet, desc=f"{suite} runs"):
        o = execute_run(
            p,
            suite=suite,
            runs_root=runs_root,
            device=device,
            keep_model=keep_model,
            quiet=quiet,
            force=force,
        )
        c = p.config
        auc = o.result.get("auc_macro_ovr")
        auc_s = f"{auc:.4f}" if isinstance(auc, float) else "-"
        line = (
            f"{o.status:7s} {o.run_id} {c.dataset} {c.arch}/{c.source} {c.approach}"
            f"{'' if c.k_blocks is None else f' k={c.k_blocks}'} seed={c.seed} "
            f"auc={auc_s} wall={o.result.get('wall_s', 0) or 0:.1f}s"
        )
        if o.status == "error":
            line += f"  ({o.result.get('error')})"
        echo(line)
        outcomes.append(o)
    return outcomes
