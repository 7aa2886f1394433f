"""Attacking trained runs with UAPs, and the ``uap`` suite (Minagi et al. 2022).

One attack
----------
:class:`AttackSpec` names one attack on one trained run: the UAP's source (``natural`` =
CIFAR-10 images, ``training`` = the run's medical training images, ``random`` = noise of the same
norm), the norm and its budget ratio, targeted or not, the seed and the generation settings. Its
identity, :func:`attack_id`, hashes the run id, the resolved spec and the code version, so a rerun
is a cache hit. :func:`attack_run` loads a run folder written with ``keep_model`` (its
``model.pt``), rebuilds the classifier exactly as the engine built it
(:func:`reproduce.approaches.prepare_model` on :func:`reproduce.approaches.build_backbone`, the
saved state dict loaded strictly), and writes one folder per attack under
``runs_dir()/_uap/<attack_id>/``:

``result.json``
    one tidy row (:data:`ATTACK_SCHEMA`): the attacked run's config columns (its ``seed`` as
    ``train_seed``), the attack's fields (its ``seed`` as ``seed``), the metrics, provenance;
``perturbation.npy``
    the UAP, float32 (3, H, W) in the network's input space;
``history.json``
    one record per pass over the source images;
``example.npz``
    two attacked test images (clean, as the network sees them), their labels and predictions
    with and without the UAP (for the report's figures).

A failed attack writes a row with ``status = error`` and the sweep goes on.

The hybrid approach (``feature_extractor_hybrid``: an SVM or random forest on frozen features)
is not differentiable and is refused with a clear message; its differentiable counterpart is the
``feature_extractor`` run (the same frozen backbone with a linear head).

The suite
---------
``reproduce/suites/uap.yaml`` is an ordinary engine suite (``defaults`` + ``grids`` of run
configs, so ``tlreview reproduce run uap --keep-model`` trains its models) with, per profile, an
``attacks`` list of grids over :class:`AttackSpec` fields. ``seed: run`` (the default) attacks
each model with the seed it was trained with, so the seeds of a configuration are independent
replications of training *and* UAP generation. :func:`run_uap_suite` trains what is missing
(reusing completed runs by run id; a completed run without ``model.pt`` is retrained with
``keep_model``), attacks every model with every attack of the profile (skipping completed
attacks by attack id), and :func:`collect_uap` writes the tidy tables to ``results/uap/``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
import os
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

from reproduce.attacks.metrics import evaluate_uap, predict_labels, seed_summary
from reproduce.attacks.uap import (
    UAP_SOURCES,
    AttackError,
    UAPConfig,
    apply_uap,
    generate_uap,
    lp_norm,
    mean_image_norm,
    random_uap,
)
from reproduce.config import RunConfig, canonical_json, code_version
from reproduce.env import atomic_write_json, atomic_write_text, atomic_write_with, environment
from review import paths

__all__ = [
    "ATTACK_SCHEMA",
    "METHOD",
    "AttackSpec",
    "LoadedRun",
    "UAPProfile",
    "attack_id",
    "attack_run",
    "attacks_root",
    "classes_of",
    "collect_uap",
    "expand_attacks",
    "find_run",
    "load_attack_rows",
    "load_run",
    "load_uap_profile",
    "normalise_attack_row",
    "planned_attack_ids",
    "run_uap_suite",
]

#: Name of the generation algorithm recorded in every row (see :mod:`reproduce.attacks.uap`).
METHOD = "sgd_uap_v1"

#: Column -> dtype of an attack row, in order.
ATTACK_SCHEMA: dict[str, pl.DataType] = {
    "attack_id": pl.String(),
    "run_id": pl.String(),
    "suite": pl.String(),
    "status": pl.String(),
    "error": pl.String(),
    # the attacked run (its config; its seed is train_seed)
    "dataset": pl.String(),
    "arch": pl.String(),
    "category": pl.String(),
    "source": pl.String(),
    "approach": pl.String(),
    "resolution": pl.Int64(),
    "k_blocks": pl.Int64(),
    "train_fraction": pl.Float64(),
    "train_seed": pl.Int64(),
    "split_seed": pl.Int64(),
    "epochs": pl.Int64(),
    "batch_size": pl.Int64(),
    "lr": pl.Float64(),
    "optimizer": pl.String(),
    "schedule": pl.String(),
    "augment": pl.Boolean(),
    "run_auc": pl.Float64(),
    "run_accuracy": pl.Float64(),
    "classes": pl.String(),
    # the attack
    "uap_source": pl.String(),
    "norm": pl.String(),
    "eps_ratio": pl.Float64(),
    "targeted": pl.Boolean(),
    "target_class": pl.Int64(),
    "target_name": pl.String(),
    "seed": pl.Int64(),
    "method": pl.String(),
    "n_source": pl.Int64(),
    "n_eval": pl.Int64(),
    "max_epochs": pl.Int64(),
    "step_ratio": pl.Float64(),
    "attack_batch_size": pl.Int64(),
    # outcome
    "fooling_rate": pl.Float64(),
    "clean_accuracy": pl.Float64(),
    "perturbed_accuracy": pl.Float64(),
    "changed_rate": pl.Float64(),
    "clean_target_rate": pl.Float64(),
    "source_fooling_rate": pl.Float64(),
    "eps": pl.Float64(),
    "mean_image_norm": pl.Float64(),
    "uap_norm": pl.Float64(),
    "uap_l2": pl.Float64(),
    "uap_linf": pl.Float64(),
    "epochs_run": pl.Int64(),
    "attack_s": pl.Float64(),
    # provenance
    "code_version": pl.String(),
    "device": pl.String(),
    "device_name": pl.String(),
    "torch_version": pl.String(),
    "finished_utc": pl.String(),
}


# ============================================================================ one attack
@dataclass(frozen=True)
class AttackSpec:
    """One attack on one trained run.

    Attributes
    ----------
    uap_source
        ``natural`` (CIFAR-10 training images), ``training`` (the run's medical training
        images) or ``random`` (noise of norm exactly ``eps``, the control).
    norm
        ``l2`` or ``linf``.
    eps_ratio
        Budget as a ratio of the mean Lp norm of the attacked (test) images.
    targeted
        Targeted attack (into ``target_class``).
    target_class
        Target class index (targeted only).
    seed
        Seeds the source images drawn, the batch order and the random control.
    n_source
        Source images drawn (without replacement; all when fewer exist).
    n_eval
        Test images attacked (a fixed random subset, the same for every attack on a run;
        ``None`` = the whole test split).
    max_epochs
        Passes over the source images.
    step_ratio
        Step size as a fraction of ``eps``.
    batch_size
        Source images per step.
    """

    uap_source: str
    norm: str
    eps_ratio: float
    targeted: bool = False
    target_class: int | None = None
    seed: int = 0
    n_source: int = 1000
    n_eval: int | None = None
    max_epochs: int = 5
    step_ratio: float = 0.1
    batch_size: int = 64

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, where: str = "attack") -> AttackSpec:
        """Build a spec from a mapping, rejecting unknown fields (named with ``where``)."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise AttackError(
                f"{where}: unknown field(s) {', '.join(unknown)}; expected some "
                f"of {', '.join(sorted(names))}"
            )
        missing = [n for n in ("uap_source", "norm", "eps_ratio") if n not in data]
        if missing:
            raise AttackError(f"{where}: missing field(s) {', '.join(missing)}")
        return cls(**data)

    def resolved(self) -> AttackSpec:
        """Validate, and normalise the fields the random control does not use.

        Raises
        ------
        AttackError
            Naming the field, its value and what is expected.
        """
        if self.uap_source not in UAP_SOURCES:
            raise AttackError(
                f"uap_source={self.uap_source!r}: expected one of {', '.join(UAP_SOURCES)}"
            )
        for name in ("n_source",):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise AttackError(f"{name}={v!r}: expected an integer >= 1")
        if self.n_eval is not None and (not isinstance(self.n_eval, int) or self.n_eval < 1):
            raise AttackError(f"n_eval={self.n_eval!r}: expected an integer >= 1 or null")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            raise AttackError(f"seed={self.seed!r}: expected an integer")
        u = self.uap_config().validated()
        spec = dataclasses.replace(
            self,
            eps_ratio=u.eps_ratio,
            targeted=u.targeted,
            target_class=u.target_class,
            step_ratio=u.step_ratio,
        )
        if spec.uap_source == "random":
            # the control is drawn, not optimised: no source images, passes or steps
            spec = dataclasses.replace(spec, n_source=1, max_epochs=1, step_ratio=1.0, batch_size=1)
        return spec

    def uap_config(self) -> UAPConfig:
        """The generation settings of :mod:`reproduce.attacks.uap`."""
        return UAPConfig(
            norm=self.norm,
            eps_ratio=self.eps_ratio,
            targeted=self.targeted,
            target_class=self.target_class,
            max_epochs=self.max_epochs,
            step_ratio=self.step_ratio,
            batch_size=self.batch_size,
            seed=self.seed,
        )

    def to_dict(self) -> dict[str, Any]:
        """Field name -> value."""
        return dataclasses.asdict(self)


def attack_id(run_id: str, spec: AttackSpec, code: str | None = None) -> str:
    """The attack's identity: 16 hex digits of SHA-256 over run id, resolved spec, method, code.

    Parameters
    ----------
    run_id
        The attacked run.
    spec
        The attack (resolved first).
    code
        Code version (default :func:`reproduce.config.code_version`).

    Returns
    -------
    str
        The id.
    """
    payload = {
        "run_id": run_id,
        "attack": spec.resolved().to_dict(),
        "method": METHOD,
        "code": code_version() if code is None else code,
    }
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()[:16]


def attacks_root(runs_root: Path | None = None) -> Path:
    """Folder of the attack folders: ``runs_dir()/_uap``."""
    return (runs_root or paths.runs_dir()) / "_uap"


# ============================================================================ loading a run
@dataclass
class LoadedRun:
    """A trained run rebuilt from its folder.

    Attributes
    ----------
    folder
        The run folder.
    run_id
        Its id (the folder name).
    suite
        The suite it belongs to (from ``config.yaml``).
    config
        Its resolved config (``resolution`` set).
    classes
        Class names, in label order.
    model
        The classifier (backbone + head) in eval mode on the requested device.
    result
        Its ``result.json`` row.
    category
        ``shallow`` / ``deep`` (the review's category of the architecture), if known.
    """

    folder: Path
    run_id: str
    suite: str
    config: RunConfig
    classes: tuple[str, ...]
    model: Any
    result: dict[str, Any]
    category: str | None


def find_run(ref: str | Path, runs_root: Path | None = None) -> Path:
    """The folder of a run given as a path or as a run id (searched in every suite).

    Raises
    ------
    AttackError
        No such run, or an id that is ambiguous.
    """
    p = Path(ref)
    if p.is_dir():
        return p
    root = runs_root or paths.runs_dir()
    hits = sorted(q for q in root.glob(f"*/{ref}") if q.is_dir()) if root.is_dir() else []
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise AttackError(
            f"run id {ref!r} is in several suites: "
            f"{', '.join(str(h) for h in hits)}; pass the folder"
        )
    raise AttackError(
        f"run {ref!r}: no such folder, and no run with that id under {root}; train one with "
        "`tlreview reproduce run SUITE --keep-model` (it writes model.pt into the run folder)"
    )


def load_run(folder: Path, device: str = "cpu") -> LoadedRun:
    """Rebuild the classifier of a run folder written with ``keep_model``.

    Parameters
    ----------
    folder
        Run folder holding ``config.yaml``, ``result.json`` and ``model.pt``.
    device
        Torch device.

    Returns
    -------
    LoadedRun
        The model in eval mode.

    Raises
    ------
    AttackError
        Missing files, a failed run, the non-differentiable hybrid, or a state dict that does
        not fit the rebuilt network.
    """
    import torch

    from reproduce.approaches import build_backbone, prepare_model

    folder = Path(folder)
    res_file, model_file = folder / "result.json", folder / "model.pt"
    if not res_file.is_file():
        raise AttackError(f"{folder}: no result.json (not a complete run folder)")
    result = json.loads(res_file.read_text())
    if result.get("status") != "ok":
        raise AttackError(
            f"{folder}: the run's status is {result.get('status')!r}, not 'ok' "
            f"({result.get('error')})"
        )
    if result.get("approach") == "feature_extractor_hybrid" or (folder / "model.pkl").exists():
        raise AttackError(
            f"{folder}: approach feature_extractor_hybrid (scikit-learn classifier on frozen "
            "features) is not differentiable, so no gradient-based UAP can be made for it; "
            "attack the feature_extractor run of the same backbone (its linear-probe variant)"
        )
    if not model_file.is_file():
        raise AttackError(
            f"{folder}: no model.pt; rerun it with `tlreview reproduce run SUITE --keep-model "
            "--force` (the engine saves the trained weights only with --keep-model)"
        )
    header = (
        yaml.safe_load((folder / "config.yaml").read_text())
        if (folder / "config.yaml").is_file()
        else {}
    )
    ckpt = torch.load(model_file, map_location="cpu", weights_only=True)
    cfg = RunConfig.from_dict(dict(ckpt["config"]), where=f"{model_file}: config").resolved()
    classes = tuple(str(c) for c in ckpt["classes"])
    net = prepare_model(
        build_backbone(cfg.arch, cfg.source), cfg.approach, cfg.k_blocks, len(classes)
    )
    try:
        net.load_state_dict(ckpt["state_dict"], strict=True)
    except RuntimeError as exc:
        raise AttackError(
            f"{model_file}: the saved weights do not fit {cfg.arch} ({str(exc).splitlines()[0]})"
        ) from None
    net = net.to(device).eval()
    category = getattr(getattr(net.backbone, "spec", None), "category", None)
    return LoadedRun(
        folder=folder,
        run_id=folder.name,
        suite=str(header.get("suite") or result.get("suite") or folder.parent.name),
        config=cfg,
        classes=classes,
        model=net,
        result=result,
        category=category,
    )


# ============================================================================ images
@lru_cache(maxsize=1)
def _natural_pool() -> np.ndarray:
    """CIFAR-10 training images, uint8 (N, 32, 32, 3): the natural-image source."""
    from reproduce.datasets import load_splits

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


def _spec_columns(spec: AttackSpec, classes: Sequence[str]) -> dict[str, Any]:
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
    from reproduce.collect import normalise_row

    return normalise_row(row, ATTACK_SCHEMA, "ATTACK_SCHEMA")


def _read_json(path: Path) -> dict[str, Any] | None:
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
    import torch

    from reproduce.runner import load_data
    from reproduce.train import DeviceArrays, ImagePrep, set_determinism

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
        done = _read_json(root / aid / "result.json")
        if done is not None and done.get("status") == "ok" and not force:
            rows.append(done)
        else:
            rows.append(None)
            todo.append((aid, spec))
    if not todo:
        return [r for r in rows if r is not None]

    set_determinism(cfg.seed, device)
    data = load_data(cfg)
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
            **_spec_columns(spec, run.classes),
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
            atomic_write_with(work / "example.npz", lambda p, e=ex: _save_npz(p, e))
        except Exception as exc:  # noqa: BLE001 - failures are data; the sweep goes on
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


def _save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with path.open("wb") as fh:
        np.savez_compressed(fh, **arrays)


# ============================================================================ the suite
@dataclass(frozen=True)
class UAPProfile:
    """A profile of a UAP suite file, expanded.

    Attributes
    ----------
    suite
        Suite name (run folders go under ``runs_dir()/<suite>``).
    profile
        Profile name.
    description
        What the profile is for.
    planned
        The runs to train (:class:`reproduce.runner.PlannedRun`).
    attacks
        The profile's attack grids (mappings of :class:`AttackSpec` fields to values or
        lists; ``seed: run`` = the attacked run's seed).
    body
        The profile's mapping as written in the file.
    path
        The suite file.
    """

    suite: str
    profile: str
    description: str
    planned: list[Any]
    attacks: list[dict[str, Any]]
    body: dict[str, Any]
    path: Path


def load_uap_profile(
    suite: str = "uap", profile: str = "smoke", sets: Sequence[str] = ()
) -> UAPProfile:
    """Read a UAP suite file and expand one profile's runs (the engine's expansion).

    Parameters
    ----------
    suite
        Suite name or YAML path.
    profile
        Profile name.
    sets
        ``FIELD=VALUE`` overrides of the run configs (as ``tlreview reproduce run --set``).

    Raises
    ------
    AttackError
        A profile without an ``attacks`` list.
    review.errors.InputError
        Unknown suite or profile, invalid run configs.
    """
    from reproduce.runner import apply_overrides, expand_suite, load_suite, plan_runs

    s = load_suite(suite)
    planned = plan_runs(apply_overrides(expand_suite(s, profile), sets))
    body = s.profiles[profile]
    attacks = body.get("attacks")
    if not isinstance(attacks, list) or not attacks:
        raise AttackError(
            f"{s.path}: profile {profile!r} needs an 'attacks' list of grids "
            "(mappings of attack fields to values)"
        )
    return UAPProfile(
        s.name, profile, str(body.get("description", "")).strip(), planned, attacks, body, s.path
    )


def classes_of(dataset: str) -> tuple[str, ...]:
    """Class names of a data set, in label order (registry, ``folder:PATH`` or synthetic)."""
    from reproduce.runner import SYNTHETIC

    if dataset in SYNTHETIC:
        return tuple(f"class{c}" for c in range(SYNTHETIC[dataset][0]))
    from reproduce.datasets import get_spec

    return tuple(get_spec(dataset).classes)


def _resolve_target(value: Any, dataset: str, where: str) -> int | None:
    """A target given as an index, a class name, or a mapping data set -> index or name."""
    if isinstance(value, dict):
        if dataset not in value and "*" not in value:
            raise AttackError(
                f"{where}: target_class names no target for data set {dataset!r} "
                f"(keys: {', '.join(map(str, value))}; '*' = any other)"
            )
        value = value.get(dataset, value.get("*"))
    if value is None or isinstance(value, int):
        return value
    classes = classes_of(dataset)
    if str(value) not in classes:
        raise AttackError(
            f"{where}: target_class {value!r} is not a class of {dataset} ({', '.join(classes)})"
        )
    return classes.index(str(value))


def expand_attacks(
    grids: Sequence[dict[str, Any]],
    run_seed: int,
    where: str = "attacks",
    dataset: str | None = None,
) -> list[AttackSpec]:
    """Expand attack grids (cartesian product per grid) for a run trained with ``run_seed``.

    ``seed: run`` (or no ``seed``) gives the run's own seed. ``target_class`` may be an index,
    a class name of the run's data set, or a mapping data set -> index or name (``*`` = any
    other data set).

    Returns
    -------
    list of AttackSpec
        Resolved and deduplicated, in grid order.
    """
    out, seen = [], set()
    for gi, grid in enumerate(grids, start=1):
        if not isinstance(grid, dict):
            raise AttackError(f"{where} grid {gi}: expected a mapping")
        g = dict(grid)
        g.setdefault("seed", "run")
        keys = list(g)
        values = [v if isinstance(v, list) else [v] for v in g.values()]
        for combo in itertools.product(*values):
            d = dict(zip(keys, combo, strict=True))
            if d["seed"] == "run":
                d["seed"] = int(run_seed)
            if d.get("targeted") and not isinstance(d.get("target_class"), int | None):
                if dataset is None:
                    raise AttackError(
                        f"{where} grid {gi}: a target given by name needs the run's data set"
                    )
                d["target_class"] = _resolve_target(
                    d["target_class"], dataset, f"{where} grid {gi}"
                )
            spec = AttackSpec.from_dict(d, where=f"{where} grid {gi}").resolved()
            key = canonical_json(spec.to_dict())
            if key not in seen:
                seen.add(key)
                out.append(spec)
    return out


def run_uap_suite(
    suite: str = "uap",
    profile: str = "smoke",
    *,
    device: str = "cpu",
    runs_root: Path | None = None,
    sets: Sequence[str] = (),
    force: bool = False,
    quiet: bool = True,
    echo: Callable[[str], None] | None = None,
) -> tuple[UAPProfile, list[dict[str, Any]]]:
    """Train the profile's models (reusing completed runs) and attack each of them.

    Parameters
    ----------
    suite, profile, sets
        See :func:`load_uap_profile`.
    device
        Torch device.
    runs_root
        Runs root (default :func:`review.paths.runs_dir`).
    force
        Redo completed attacks (trained runs are always reused when complete).
    quiet
        No progress bars while training.
    echo
        Receives one line per run and per attack.

    Returns
    -------
    tuple
        The profile and the attack rows (failed runs give one ``error`` row per planned attack).
    """
    from reproduce.runner import execute_run

    echo = echo or (lambda s: print(s, file=sys.stderr))
    prof = load_uap_profile(suite, profile, sets)
    rows: list[dict[str, Any]] = []
    for p in prof.planned:
        c = p.config
        specs = expand_attacks(
            prof.attacks, c.seed, where=f"{prof.path.name}: {profile}", dataset=c.dataset
        )
        if c.approach == "feature_extractor_hybrid":
            echo(
                f"skip    {p.run_id} {c.dataset} {c.arch} feature_extractor_hybrid: not "
                "differentiable (attack the feature_extractor run instead)"
            )
            continue
        folder = (runs_root or paths.runs_dir()) / prof.suite / p.run_id
        need = not (folder / "model.pt").is_file()
        out = execute_run(
            p,
            suite=prof.suite,
            runs_root=runs_root,
            device=device,
            keep_model=True,
            quiet=quiet,
            force=need and (folder / "result.json").exists(),
        )
        echo(
            f"{out.status:7s} {p.run_id} {c.dataset} {c.arch} {c.approach} seed={c.seed} "
            f"auc={out.result.get('auc_macro_ovr')} wall={out.result.get('wall_s') or 0:.1f}s"
        )
        if out.status == "error":
            # failures are data: one error row per planned attack, on disk (retried next time)
            for spec in specs:
                aid = attack_id(p.run_id, spec)
                row = normalise_attack_row(
                    {
                        "attack_id": aid,
                        "run_id": p.run_id,
                        "suite": prof.suite,
                        "dataset": c.dataset,
                        "arch": c.arch,
                        "source": c.source,
                        "approach": c.approach,
                        "resolution": c.resolution,
                        "train_fraction": c.train_fraction,
                        "train_seed": c.seed,
                        **_spec_columns(spec, classes_of(c.dataset)),
                        "status": "error",
                        "error": f"training failed: {out.result.get('error')}",
                        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
                    }
                )
                atomic_write_json(attacks_root(runs_root) / aid / "result.json", row)
                rows.append(row)
            continue
        try:
            run = load_run(out.folder, device)
        except AttackError as exc:
            echo(f"error   {p.run_id}: {exc}")
            continue
        rows.extend(
            attack_run(run, specs, device=device, runs_root=runs_root, force=force, echo=echo)
        )
    return prof, rows


def load_attack_rows(ids: Sequence[str], runs_root: Path | None = None) -> pl.DataFrame:
    """The attack rows with these ids that exist on disk (:data:`ATTACK_SCHEMA`)."""
    root = attacks_root(runs_root)
    rows = [r for r in (_read_json(root / i / "result.json") for i in ids) if r is not None]
    if not rows:
        return pl.DataFrame(schema=ATTACK_SCHEMA)
    return pl.DataFrame([normalise_attack_row(r) for r in rows], schema=ATTACK_SCHEMA, strict=False)


def planned_attack_ids(prof: UAPProfile) -> list[tuple[Any, AttackSpec, str]]:
    """``(planned run, spec, attack id)`` for every attack of the profile (hybrid runs left out)."""
    out = []
    for p in prof.planned:
        if p.config.approach == "feature_extractor_hybrid":
            continue
        for spec in expand_attacks(prof.attacks, p.config.seed, dataset=p.config.dataset):
            out.append((p, spec, attack_id(p.run_id, spec)))
    return out


def collect_uap(
    prof: UAPProfile,
    *,
    out_dir: Path | None = None,
    runs_root: Path | None = None,
    device: str = "cpu",
    wall_s: float | None = None,
    example_budget: int = 900_000,
) -> tuple[pl.DataFrame, list[Path]]:
    """Write the profile's tidy results (default ``results/<suite>/``).

    Files: ``results.parquet``/``results.csv`` (one row per attack, :data:`ATTACK_SCHEMA`),
    ``summary.csv`` (mean and t-CI over seeds per configuration and metric), ``runs.parquet``/
    ``runs.csv`` (the attacked runs' engine rows), ``config.yaml`` (the profile as run, with the
    suite file's text), ``env.json`` (software and hardware; ``wall_s`` of the sweep when given)
    and ``examples/`` (a few perturbations with two attacked images each, at most
    ``example_budget`` bytes).

    Returns
    -------
    tuple
        The attack rows and the written paths.
    """
    from reproduce.collect import load_results

    out = out_dir or (paths.results_dir() / prof.suite)
    planned = planned_attack_ids(prof)
    df = load_attack_rows([a for _, _, a in planned], runs_root).sort(
        [
            "dataset",
            "arch",
            "approach",
            "train_seed",
            "uap_source",
            "norm",
            "eps_ratio",
            "targeted",
            "seed",
        ],
        nulls_last=True,
    )
    written = [
        atomic_write_with(out / "results.parquet", lambda p: df.write_parquet(p)),
        atomic_write_with(out / "results.csv", lambda p: df.write_csv(p)),
    ]
    summ = seed_summary(df)
    written.append(atomic_write_with(out / "summary.csv", lambda p: summ.write_csv(p)))
    runs = load_results(prof.suite, runs_root=runs_root, run_ids=[p.run_id for p in prof.planned])
    written += [
        atomic_write_with(out / "runs.parquet", lambda p: runs.write_parquet(p)),
        atomic_write_with(out / "runs.csv", lambda p: runs.write_csv(p)),
    ]
    cfg = {
        "suite": prof.suite,
        "profile": prof.profile,
        "description": prof.description,
        "method": METHOD,
        "profile_body": prof.body,
        "runs": [{"run_id": p.run_id, **p.config.to_dict()} for p in prof.planned],
        "suite_file": prof.path.read_text(),
    }
    written.append(atomic_write_text(out / "config.yaml", yaml.safe_dump(cfg, sort_keys=False)))
    env = environment(device)
    env.update(
        suite=prof.suite,
        profile=prof.profile,
        wall_s=wall_s,
        hardware=(
            env["gpu_name"]
            or f"CPU only ({env['cpu_count']} logical cores, {env['torch_threads']} torch threads)"
        ),
        n_attacks=df.height,
        n_ok=int((df["status"] == "ok").sum()) if df.height else 0,
    )
    written.append(atomic_write_json(out / "env.json", env))
    written += _write_examples(df, out / "examples", runs_root, example_budget)
    return df, written


def _write_examples(
    df: pl.DataFrame, folder: Path, runs_root: Path | None, budget: int
) -> list[Path]:
    """Copy a few examples: per data set, one run, non-targeted, the largest L-inf budget."""
    ok = df.filter((pl.col("status") == "ok") & ~pl.col("targeted"))
    if ok.height == 0:
        return []
    shutil.rmtree(folder, ignore_errors=True)
    root = attacks_root(runs_root)
    written, used, index = [], 0, []
    for ds in ok["dataset"].unique(maintain_order=True).to_list():
        sub = ok.filter(pl.col("dataset") == ds)
        pref = sub.filter(pl.col("norm") == "linf")
        sub = pref if pref.height else sub
        sub = sub.filter(pl.col("eps_ratio") == sub["eps_ratio"].max())
        # prefer a transfer-learned deep model, then its first seed
        order = {
            "fine_tuning_from_scratch": 0,
            "feature_extractor": 1,
            "fine_tuning": 2,
            "scratch": 3,
        }
        sub = sub.with_columns(
            pl.col("approach").replace_strict(order, default=9, return_dtype=pl.Int64).alias("_o"),
            (pl.col("category") != "deep").alias("_d"),
        ).sort(["_d", "_o", "train_seed", "seed"])
        run_id = sub["run_id"][0]
        for r in (
            sub.filter(pl.col("run_id") == run_id)
            .unique("uap_source", keep="first", maintain_order=True)
            .iter_rows(named=True)
        ):
            src = root / r["attack_id"]
            v = np.load(src / "perturbation.npy")
            ex = dict(np.load(src / "example.npz"))
            arrays = {
                "perturbation": v.astype(np.float16),
                # The data sets' pixels stay out of the repository (they live under
                # TLREVIEW_DATA_DIR): the example names its test image; see example_image().
                "image_id": ex["image_id"][:1].astype(str),
                "label": ex["label"][:1],
                "clean_pred": ex["clean_pred"][:1],
                "adv_pred": ex["adv_pred"][:1],
            }
            name = f"{ds}-{r['uap_source']}-{r['norm']}.npz"
            path = folder / name
            atomic_write_with(path, lambda p, a=arrays: _save_npz(p, a))
            size = path.stat().st_size
            if used + size > budget:
                path.unlink()
                continue
            used += size
            written.append(path)
            index.append(
                {
                    "file": name,
                    **{
                        k: r[k]
                        for k in (
                            "attack_id",
                            "run_id",
                            "dataset",
                            "arch",
                            "approach",
                            "uap_source",
                            "norm",
                            "eps_ratio",
                            "eps",
                            "seed",
                            "fooling_rate",
                            "classes",
                        )
                    },
                }
            )
    if index:
        frame = pl.DataFrame(index)
        written.append(atomic_write_with(folder / "index.csv", lambda p: frame.write_csv(p)))
    return written


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
    import torch

    from reproduce.runner import load_data
    from reproduce.train import DeviceArrays, ImagePrep

    fields = {f.name for f in dataclasses.fields(RunConfig)}
    cfg = RunConfig.from_dict({k: v for k, v in run.items() if k in fields and v is not None})
    test = load_data(cfg).test
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
