"""Attacking one trained run with one UAP (:func:`attack_run`), and reading run folders back.

:func:`attack_run` loads a run folder written with ``keep_model`` (its ``model.pt``), rebuilds
the classifier exactly as the engine built it (:func:`reproduce.approaches.prepare_model` on
:func:`reproduce.approaches.build_backbone`, the saved state dict loaded strictly), and writes
one folder per attack under ``runs_dir()/_uap/<attack_id>/``:

``result.json``
    one tidy row (:data:`reproduce.results.schema.ATTACK_SCHEMA`): the attacked run's config
    columns (its ``seed`` as ``train_seed``), the attack's fields (its ``seed`` as ``seed``), the
    metrics, provenance;
``perturbation.npy``
    the UAP, float32 (3, H, W) in the network's input space;
``history.json``
    one record per pass over the source images.

A failed attack writes a row with ``status = error`` and the sweep goes on.

The hybrid approach (``feature_extractor_hybrid``: an SVM or random forest on frozen features)
is not differentiable and is refused with a clear message; its differentiable counterpart is the
``feature_extractor`` run (the same frozen backbone with a linear head).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import shutil
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import torch

from reproduce.attacks.metrics import evaluate_uap, predict_labels
from reproduce.attacks.spec import METHOD, AttackSpec, attack_id
from reproduce.attacks.uap import (
    AttackError,
    apply_uap,
    generate_uap,
    lp_norm,
    mean_image_norm,
    random_uap,
)
from reproduce.attacks.victim import LoadedRun, find_run, load_run
from reproduce.datasets.load import load_data, load_splits
from reproduce.engine.config import RunConfig
from reproduce.engine.env import environment
from reproduce.engine.io import atomic_write_json, atomic_write_text, atomic_write_with
from reproduce.engine.train import DeviceArrays, ImagePrep, set_determinism
from reproduce.results.schema import ATTACK_SCHEMA, normalise_row
from review import paths


def attacks_root(runs_root: Path | None = None) -> Path:
    """Folder of the attack folders: ``runs_dir()/_uap``."""
    return (runs_root or paths.runs_dir()) / "_uap"


# ============================================================================ images
@lru_cache(maxsize=1)
def _natural_pool() -> np.ndarray:
    """CIFAR-10 training images, uint8 (N, 32, 32, 3): the natural-image source."""

    return load_splits("cifar10", None, seed=0).train.images


def _draw(n_total: int, n: int, seed: int, salt: int) -> np.ndarray:
    """Sorted indices of ``min(n, n_total)`` items drawn without replacement (seeded)."""
    rng = np.random.default_rng([int(seed), int(salt)])
    k = min(int(n), int(n_total))
    return np.sort(rng.choice(n_total, size=k, replace=False))


def _eval_indices(n_total: int, n_eval: int | None) -> np.ndarray:
    """The attacked test images: a fixed random subset (seed 0), the same for every attack."""
    if n_eval is None or n_eval >= n_total:
        return np.arange(n_total)
    return np.sort(np.random.default_rng(0).choice(n_total, size=int(n_eval), replace=False))


def _run_columns(run: LoadedRun) -> dict[str, Any]:
    c = run.config
    return {
        "run_id": run.run_id,
        "suite": run.suite,
        "dataset": c.dataset,
        "arch": c.arch,
        "category": run.category,
        "source": c.source,
        "approach": c.approach,
        "resolution": c.resolution,
        "k_blocks": c.k_blocks,
        "train_fraction": c.train_fraction,
        "train_seed": c.seed,
        "split_seed": c.split_seed,
        "epochs": c.epochs,
        "batch_size": c.batch_size,
        "lr": c.lr,
        "optimizer": c.optimizer,
        "schedule": c.schedule,
        "augment": c.augment,
        "run_auc": run.result.get("auc_macro_ovr"),
        "run_accuracy": run.result.get("accuracy"),
        "classes": ";".join(run.classes),
    }


def spec_columns(spec: AttackSpec, classes: Sequence[str]) -> dict[str, Any]:
    tc = spec.target_class
    return {
        "uap_source": spec.uap_source,
        "norm": spec.norm,
        "eps_ratio": spec.eps_ratio,
        "targeted": spec.targeted,
        "target_class": tc,
        "target_name": classes[tc] if tc is not None and 0 <= tc < len(classes) else None,
        "seed": spec.seed,
        "method": METHOD,
        "n_source": spec.n_source,
        "n_eval": spec.n_eval,
        "max_epochs": spec.max_epochs,
        "step_ratio": spec.step_ratio,
        "attack_batch_size": spec.batch_size,
    }


def normalise_attack_row(row: dict[str, Any]) -> dict[str, Any]:
    """Order ``row`` by :data:`ATTACK_SCHEMA` (missing -> ``None``, NaN -> ``None``)."""

    return normalise_row(row, ATTACK_SCHEMA, "ATTACK_SCHEMA")


def read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def attack_run(
    run: LoadedRun | Path | str,
    specs: Sequence[AttackSpec],
    *,
    device: str = "cpu",
    runs_root: Path | None = None,
    force: bool = False,
    echo: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    """Run every attack of ``specs`` on one trained run (completed attacks are reused).

    Parameters
    ----------
    run
        A loaded run, a run folder or a run id.
    specs
        The attacks.
    device
        Torch device.
    runs_root
        Runs root (default :func:`review.paths.runs_dir`); attack folders go under ``_uap/``.
    force
        Redo completed attacks.
    echo
        Receives one line per attack.

    Returns
    -------
    list of dict
        One :data:`ATTACK_SCHEMA` row per spec, in order (``status`` ``ok`` or ``error``).
    """

    echo = echo or (lambda s: None)
    if not isinstance(run, LoadedRun):
        run = load_run(find_run(run, runs_root), device)
    cfg = run.config
    specs = [s.resolved() for s in specs]
    ids = [attack_id(run.run_id, s) for s in specs]
    root = attacks_root(runs_root)
    rows: list[dict[str, Any] | None] = []
    todo = []
    for aid, spec in zip(ids, specs, strict=True):
        done = read_json(root / aid / "result.json")
        if done is not None and done.get("status") == "ok" and not force:
            rows.append(done)
        else:
            rows.append(None)
            todo.append((aid, spec))
    if not todo:
        return [r for r in rows if r is not None]

    set_determinism(cfg.seed, device)
    data = load_data(cfg.dataset, cfg.resolution, split_seed=cfg.split_seed, dedup=cfg.dedup)
    train = (
        data.train.fraction(cfg.train_fraction, cfg.seed)
        if cfg.train_fraction < 1
        else (data.train)
    )
    assert cfg.resolution is not None
    image_prep = ImagePrep(resolution=int(cfg.resolution), augment=False)

    def prep(xb: torch.Tensor) -> torch.Tensor:
        return image_prep(xb, False, None)

    env = environment(device)
    model = run.model
    n_classes = len(run.classes)
    eval_cache: dict[int | None, tuple[Any, np.ndarray, np.ndarray]] = {}
    norm_cache: dict[tuple[int | None, str], float] = {}

    def eval_set(n_eval: int | None) -> tuple[Any, np.ndarray, np.ndarray]:
        if n_eval not in eval_cache:
            idx = _eval_indices(len(data.test.labels), n_eval)
            t = data.test
            dev = DeviceArrays.from_images(
                np.asarray(t.images)[idx],
                np.asarray(t.labels).reshape(-1)[idx],
                np.asarray(t.ids).astype(str)[idx],
                device,
            )
            labels = dev.y.cpu().numpy()
            clean = predict_labels(model, dev.x, prep=prep)
            eval_cache[n_eval] = (dev, labels, clean)
        return eval_cache[n_eval]

    for aid, spec in todo:
        t0 = time.perf_counter()
        row: dict[str, Any] = {
            "attack_id": aid,
            **_run_columns(run),
            **spec_columns(spec, run.classes),
        }
        work = root / f".partial-{aid}-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        try:
            if spec.targeted and not (0 <= int(spec.target_class or 0) < n_classes):
                raise AttackError(
                    f"target_class={spec.target_class}: the run has {n_classes} "
                    f"classes ({', '.join(run.classes)})"
                )
            dev, labels, clean = eval_set(spec.n_eval)
            key = (spec.n_eval, spec.norm)
            if key not in norm_cache:
                norm_cache[key] = mean_image_norm(dev.x, spec.norm, prep=prep)
            mean_norm = norm_cache[key]
            eps = spec.eps_ratio * mean_norm
            shape = (3, int(cfg.resolution), int(cfg.resolution))
            history: list[dict[str, float]] = []
            epochs_run, src_rate = 0, math.nan
            if spec.uap_source == "random":
                v = random_uap(shape, spec.norm, eps, spec.seed)
            else:
                if spec.uap_source == "natural":
                    pool = _natural_pool()
                    pick = _draw(len(pool), spec.n_source, spec.seed, 1)
                    src = pool[pick]
                else:
                    pick = _draw(len(train.labels), spec.n_source, spec.seed, 2)
                    src = np.asarray(train.images)[pick]
                src_x = DeviceArrays.from_images(
                    src, np.zeros(len(src), np.int64), np.arange(len(src)).astype(str), device
                ).x
                res = generate_uap(
                    model, src_x, spec.uap_config(), eps=eps, prep=prep, device=device
                )
                v, history, epochs_run = res.perturbation, res.history, res.epochs_run
                src_rate = res.source_fooling_rate
            v_dev = v.to(device)
            adv = predict_labels(model, dev.x, prep=prep, perturbation=v_dev)
            metrics = evaluate_uap(
                labels, clean, adv, target=spec.target_class if spec.targeted else None
            )
            vb = v[None]
            row.update(metrics)
            row.update(
                source_fooling_rate=src_rate,
                eps=eps,
                mean_image_norm=mean_norm,
                uap_norm=float(lp_norm(vb, spec.norm)[0]),
                uap_l2=float(lp_norm(vb, "l2")[0]),
                uap_linf=float(lp_norm(vb, "linf")[0]),
                epochs_run=epochs_run,
                status="ok",
                error=None,
            )
            vnp = v.numpy().astype(np.float32)
            atomic_write_with(work / "perturbation.npy", lambda p, a=vnp: _save_npy(p, a))
            atomic_write_json(work / "history.json", history)
            k = min(2, len(labels))
            with torch.no_grad():
                x_clean = prep(dev.x[:k]).cpu()
            x_adv = apply_uap(x_clean, v)
            ex = {
                "clean": x_clean.numpy().astype(np.float32),
                "perturbed": x_adv.numpy().astype(np.float32),
                "image_id": np.asarray(dev.ids[:k]).astype(str),
                "label": labels[:k],
                "clean_pred": clean[:k],
                "adv_pred": adv[:k],
            }
            atomic_write_with(work / "example.npz", lambda p, e=ex: save_npz(p, e))
        except Exception as exc:  # any failure is data; the sweep goes on
            row.update(status="error", error=f"{type(exc).__name__}: {exc}"[:2000])
            atomic_write_text(work / "error.txt", traceback.format_exc())
        row.update(
            attack_s=time.perf_counter() - t0,
            code_version=env["code_version"],
            device=device,
            device_name=env["gpu_name"] or "cpu",
            torch_version=env["torch"],
            finished_utc=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        row = normalise_attack_row(row)
        atomic_write_json(work / "result.json", row)
        final = root / aid
        if final.exists():
            shutil.rmtree(final, ignore_errors=True)
        os.replace(work, final)
        rows[rows.index(None)] = row
        fr = row.get("fooling_rate")
        echo(
            f"{row['status']:6s} {aid} {cfg.dataset} {cfg.arch} {cfg.approach} "
            f"{spec.uap_source:8s} {spec.norm:4s} eps={spec.eps_ratio:g}"
            f"{' target=' + str(spec.target_class) if spec.targeted else ''} seed={spec.seed} "
            f"fool={'-' if fr is None else f'{fr:.3f}'} ({row['attack_s']:.1f}s)"
            + (f"  {row['error']}" if row["status"] == "error" else "")
        )
    return [r for r in rows if r is not None]


def _save_npy(path: Path, arr: np.ndarray) -> None:
    with path.open("wb") as fh:
        np.save(fh, arr)


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with path.open("wb") as fh:
        np.savez_compressed(fh, **arrays)


def example_image(run: dict[str, Any], image_id: str) -> np.ndarray:
    """A test image as the attacked network saw it: float (C, H, W) in [0, 1].

    Committed examples store the image's id, not its pixels (the data stay under
    ``TLREVIEW_DATA_DIR``); this rebuilds the network's view of it from the real data.

    Parameters
    ----------
    run
        The attacked run's config columns (a row of ``results/uap/runs.parquet``).
    image_id
        The test image's id (``ImageArrays.ids``).

    Raises
    ------
    KeyError
        If the id is not in the run's test split.
    """

    fields = {f.name for f in dataclasses.fields(RunConfig)}
    cfg = RunConfig.from_dict({k: v for k, v in run.items() if k in fields and v is not None})
    test = load_data(cfg.dataset, cfg.resolution, split_seed=cfg.split_seed, dedup=cfg.dedup).test
    ids = np.asarray(test.ids).astype(str)
    hit = np.flatnonzero(ids == str(image_id))
    if hit.size == 0:
        raise KeyError(f"image {image_id!r} is not in the test split of {cfg.dataset}")
    i = int(hit[0])
    dev = DeviceArrays.from_images(
        np.asarray(test.images)[i : i + 1], np.asarray(test.labels).reshape(-1)[i : i + 1],
        ids[i : i + 1], "cpu",
    )  # fmt: skip
    with torch.no_grad():
        x = ImagePrep(resolution=int(cfg.resolution), augment=False)(dev.x, False, None)
    return x[0].float().numpy()
