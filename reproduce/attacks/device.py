"""The second-round UAP attacks (suite ``uap_v2``) in one process on a GPU machine.

Usage (after the ``guideline_v2`` worker kept its seed-0 models, see reproduce/device/run.sh)::

    python3 -m reproduce.attacks.device --victims guideline_v2 --pack PACK --out OUT \
        --device cuda --time-budget 100 [--profile gpu] [--runs-dir DIR]
    python3 -m reproduce.attacks.device --estimate --profile gpu     # the cost table only

What it does, victim by victim (cheapest first: a budget cut loses the largest victims):

1. finds the victims: run folders ``<runs>/<suite>/<run_id>/`` holding ``model.pt`` whose
   ``result.json`` is ``ok`` and whose approach and seed the profile names;
2. predicts the victim's seconds (:func:`estimate_seconds`, re-scaled by the measured /
   predicted ratio of the victims finished so far) and does not start it when it cannot finish
   within ``--time-budget`` (listed in the summary as ``not_started_budget``);
3. rebuilds the model (:func:`reproduce.attacks.victim.load_run`), loads its data through the
   engine's normal path (``TLREVIEW_PACK_DIR``: the same splits as the training), predicts the
   (at most ``n_eval``) test images; a model whose predictions are over
   ``exclude_majority_share`` one class is EXCLUDED: one row with ``excluded = true`` and its
   class shares, no attack (its fooling rate would be near zero by construction);
4. for every (norm, eps_ratio) of the budget curve and every source, one untargeted UAP and its
   row: ``fooling_rate`` (share of test images whose prediction changes: the primary measure)
   beside ``clean_accuracy`` and ``perturbed_accuracy``; targeted UAPs at the profile's point,
   scored as ``target_gain`` = share predicted as the target under the UAP minus the clean share;
   on the first victim(s), natural-image UAPs from 250 ... 2000 images (``n_curve``);
5. appends the victim's rows to ``OUT/uap_v2-rows.jsonl`` (flushed and fsynced per victim) and
   rewrites ``OUT/uap_v2-summary.json``, so a call cut at its limit loses only the victim in
   flight.

Sources: ``natural`` = CIFAR-10 images (``PACK/natural/cifar10.npz``, else the local CIFAR-10
training split) upsampled to the model's resolution by the engine's image preparation;
``training`` = the victim's training images; ``noise_white`` = white noise of the budget's norm
(L2: Gaussian direction scaled to ``eps``; L-inf: random signs times ``eps``, every pixel at the
bound); ``noise_lowpass`` = Gaussian noise on a coarse ``lowpass_grid`` x ``lowpass_grid`` grid
per channel, bilinearly upsampled, then rescaled to the same norm (L2: to norm ``eps``; L-inf:
to maximum ``eps``). The nested draws of natural images (the first ``n`` of one seeded
permutation) make the number-of-images curve a curve over growing sets.

This module imports only what the device image has (torch, numpy, yaml): never polars.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
import yaml

from reproduce.attacks.spec import UAPConfig
from reproduce.attacks.uap import (
    apply_uap,
    generate_uap,
    generate_uap_deepfool,
    lp_norm,
    mean_image_norm,
    random_uap,
)
from reproduce.attacks.victim import load_run
from reproduce.datasets.load import load_data, load_splits
from reproduce.datasets.pack import pack_environment
from reproduce.device.cost import TABLE as STEP_TIMES
from reproduce.device.cost import dataset_counts, load_table
from reproduce.engine.env import environment
from reproduce.engine.train import DeviceArrays, ImagePrep, set_determinism
from review import paths
from review.errors import AttackError, InputError

__all__ = [
    "ROWS_FILE",
    "SUMMARY_FILE",
    "V2_SOURCES",
    "Victim",
    "class_shares",
    "estimate_seconds",
    "find_victims",
    "is_full",
    "load_profile",
    "lowpass_noise",
    "main",
    "run_attacks",
]

#: Rows and summary written to ``--out``.
ROWS_FILE = "uap_v2-rows.jsonl"
SUMMARY_FILE = "uap_v2-summary.json"
#: The UAP sources of the second round.
V2_SOURCES: tuple[str, ...] = ("natural", "training", "noise_white", "noise_lowpass")
SUITE_FILE = Path(__file__).resolve().parents[1] / "suites" / "uap_v2.yaml"
#: Row columns the claims code reads, in order (extra provenance columns follow them).
ROW_COLUMNS: tuple[str, ...] = (
    "dataset",
    "resolution",
    "arch",
    "approach",
    "source",
    "seed",
    "victim_run_id",
    "norm",
    "eps_ratio",
    "uap_source",
    "n_source_images",
    "targeted",
    "target_class",
    "fooling_rate",
    "clean_accuracy",
    "perturbed_accuracy",
    "target_gain",
    "excluded",
    "class_shares",
    "seconds",
)


# ============================================================================ the profile
def load_profile(profile: str = "gpu", path: Path | None = None) -> dict[str, Any]:
    """One profile of the ``uap_v2`` suite file, checked.

    Raises
    ------
    InputError
        Unknown profile, or a field with a value outside what is expected (named).
    """
    path = Path(path or SUITE_FILE)
    data = yaml.safe_load(path.read_text())
    profiles = data.get("profiles") or {}
    if profile not in profiles:
        raise InputError(f"{path}: no profile {profile!r} (profiles: {', '.join(profiles)})")
    p = dict(profiles[profile])
    where = f"{path}: profile {profile}"
    for key in ("victims", "budget_curve", "sources", "generation", "operating_points"):
        if key not in p:
            raise InputError(f"{where}: missing field {key!r}")
    bad = [s for s in p["sources"] if s not in V2_SOURCES]
    if bad:
        raise InputError(f"{where}: sources {bad}: expected some of {', '.join(V2_SOURCES)}")
    inner = p["generation"].get("inner", "gradient")
    if inner not in ("gradient", "deepfool"):
        raise InputError(f"{where}: generation.inner={inner!r}: expected gradient or deepfool")
    curve = {
        (n, float(e)) for n in p["budget_curve"]["norm"] for e in p["budget_curve"]["eps_ratio"]
    }
    for op in p["operating_points"]:
        if (op["norm"], float(op["eps_ratio"])) not in curve:
            raise InputError(f"{where}: operating point {op} is not on the budget curve")
    p["name"] = profile
    p["path"] = str(path)
    return p


# ============================================================================ noise
def lowpass_noise(
    shape: tuple[int, int, int], norm: str, eps: float, seed: int, grid: int = 8
) -> torch.Tensor:
    """Low-pass noise of the budget's norm: coarse Gaussian noise, bilinearly upsampled.

    Parameters
    ----------
    shape
        ``(C, H, W)``.
    norm
        ``l2`` (rescaled to norm ``eps``) or ``linf`` (rescaled to maximum ``eps``).
    eps
        The budget.
    seed
        Seed (a private generator).
    grid
        Side of the coarse grid (smaller = smoother).

    Returns
    -------
    torch.Tensor
        float32 ``shape`` on the CPU, ``||v||_p == eps`` up to float32 rounding, never above.
    """
    g = torch.Generator().manual_seed(int(seed) + 104729)
    c, h, w = shape
    coarse = torch.randn((1, c, grid, grid), generator=g, dtype=torch.float64)
    v = F.interpolate(coarse, size=(h, w), mode="bilinear", align_corners=False)[0]
    if norm == "l2":
        v = v * (float(eps) / float(v.norm()))
        v = v.float()
        scale = min(1.0, float(eps) / max(float(v.double().norm()), 1e-30))
        return v * (scale * (1 - 4e-7) if scale < 1 else 1.0)
    if norm == "linf":
        v = (v * (float(eps) / float(v.abs().max()))).float()
        return v.clamp(-float(eps), float(eps))
    raise AttackError(f"norm={norm!r}: expected l2 or linf")


def noise_uap(
    source: str, shape: tuple[int, int, int], norm: str, eps: float, seed: int, grid: int
) -> torch.Tensor:
    """The noise control of ``source`` (``noise_white`` or ``noise_lowpass``)."""
    if source == "noise_white":
        return random_uap(shape, norm, eps, seed)
    if source == "noise_lowpass":
        return lowpass_noise(shape, norm, eps, seed, grid)
    raise AttackError(f"uap_source={source!r} is not a noise source")


# ============================================================================ victims
@dataclass
class Victim:
    """A kept model of the victims' suite (not loaded yet).

    Attributes
    ----------
    folder
        Run folder (``model.pt``, ``result.json``).
    result
        Its ``result.json``.
    """

    folder: Path
    result: dict[str, Any]

    @property
    def key(self) -> str:
        r = self.result
        return f"{r.get('dataset')}/{r.get('resolution')} {r.get('arch')} {r.get('approach')}"


def find_victims(runs_root: Path, suite: str, profile: dict[str, Any]) -> list[Victim]:
    """The profile's victims under ``runs_root/suite``: kept models of the named approaches and
    seeds, cheapest first: resolution, SqueezeNet before others, the approaches in the profile's
    order, smaller data sets first (so a budget cut loses the most expensive victims)."""
    spec = profile["victims"]
    seeds = {int(s) for s in spec.get("seeds", [0])}
    approaches = list(spec.get("approaches", ["fine_tuning_from_scratch", "scratch"]))
    out = []
    base = Path(runs_root) / suite
    for model in sorted(base.glob("*/model.pt")) if base.is_dir() else []:
        try:
            res = json.loads((model.parent / "result.json").read_text())
        except (OSError, ValueError):
            continue
        if res.get("status") != "ok" or res.get("approach") not in approaches:
            continue
        if int(res.get("seed", -1)) not in seeds:
            continue
        out.append(Victim(model.parent, res))

    def order(v: Victim) -> tuple[Any, ...]:
        r = v.result
        return (
            int(r.get("resolution") or 0),
            0 if str(r.get("arch")).startswith("squeezenet") else 1,
            approaches.index(r["approach"]),
            int(r.get("n_train") or 0) + int(r.get("n_test") or 0),
            str(r.get("dataset")),
            v.folder.name,
        )

    return sorted(out, key=order)


def class_shares(pred: np.ndarray, n_classes: int) -> list[float]:
    """Share of predictions per class (index = class).

    >>> class_shares(np.array([0, 0, 0, 1]), 3)
    [0.75, 0.25, 0.0]
    """
    pred = np.asarray(pred).reshape(-1)
    if pred.size == 0:
        return [float("nan")] * n_classes
    return [float(c) / pred.size for c in np.bincount(pred, minlength=n_classes)[:n_classes]]


# ============================================================================ cost
def _rates(arch: str, res: int, device: str) -> tuple[float, float, str]:
    """(train img/s, inference img/s, where from) for ``arch`` at ``res`` from step_times.csv."""
    table = [t for t in load_table() if t.device == device]
    cands = [t for t in table if t.arch == arch] or table
    if not cands:
        raise AttackError(f"no step times for device {device!r} in {STEP_TIMES}")
    best = min(cands, key=lambda t: (abs(math.log(t.resolution / res)), -t.batch_size))
    scale = (best.resolution / res) ** 2 if res > best.resolution else 1.0
    if best.arch != arch:
        scale *= 0.5
    src = f"{best.arch}@{best.resolution}" + (f" x{scale:.3g}" if scale != 1 else "")
    return best.train_img_s * scale, best.infer_img_s * scale, src


def attack_counts(
    profile: dict[str, Any], n_train: int, n_test: int, *, n_curve: bool, full: bool = True
) -> dict[str, int]:
    """Images through the gradient step and through inference for one victim (``full``: the
    whole budget curve and the targeted UAPs; else the operating points only)."""
    gen = profile["generation"]
    bc = profile["budget_curve"]
    n_points = len(bc["norm"]) * len(bc["eps_ratio"]) if full else len(profile["operating_points"])
    srcs = profile["sources"]
    n_eval = min(n_test, int(profile.get("n_eval") or n_test))
    n_src = {"natural": int(gen["n_source"]), "training": min(int(gen["n_source"]), n_train)}
    passes = int(gen.get("max_epochs", 1))
    grad = fwd = 0
    uaps = 0
    for s in srcs:
        uaps += n_points
        if s in n_src:
            grad += n_points * n_src[s] * passes
            fwd += n_src[s]  # clean predictions of the source set, once
    t = (profile.get("targeted") or {}) if full else {}
    for s in t.get("sources", []):
        k = len(t.get("norm", []))
        uaps += k
        grad += k * n_src[s] * passes
    if n_curve and full and profile.get("n_curve"):
        nc = profile["n_curve"]
        for n in nc["n_source"]:
            p = max(passes, math.ceil(int(nc.get("min_image_visits", 0)) / int(n)))
            grad += int(n) * p
            fwd += int(n)
            uaps += 1
    fwd += uaps * n_eval + n_eval * (1 + len(bc["norm"]))
    if gen.get("inner") == "deepfool":
        grad *= 6  # a few DeepFool iterations x one gradient per class (small class counts)
    return {"grad_images": grad, "eval_images": fwd, "uaps": uaps}


def estimate_seconds(
    profile: dict[str, Any],
    arch: str,
    resolution: int,
    n_train: int,
    n_test: int,
    *,
    n_curve: bool = False,
    warm: bool = True,
    full: bool = True,
) -> dict[str, Any]:
    """Predicted seconds of one victim on the profile's cost device.

    Returns
    -------
    dict
        ``seconds`` and its parts (``grad_images``, ``eval_images``, ``rate_source``).
    """
    c = profile.get("cost", {})
    slow = float(c.get("fp32_slowdown", 2.0))
    tr, inf, src = _rates(arch, int(resolution), str(c.get("device", "h200")))
    k = attack_counts(profile, n_train, n_test, n_curve=n_curve, full=full)
    sec = k["grad_images"] * slow / tr + k["eval_images"] * slow / inf
    sec += float(c.get("load_s", 2.0)) + (0.0 if warm else float(c.get("warmup_s", 5.0)))
    return {"seconds": sec, **k, "rate_source": src}


def _dataset_counts(dataset: str, pack: Path | None) -> tuple[int, int]:
    if pack is not None and (pack / "manifest.json").is_file():
        for e in json.loads((pack / "manifest.json").read_text()).get("datasets", []):
            if e.get("name") == dataset:
                return int(e["counts"]["train"]), int(e["counts"]["test"])
    try:
        n = dataset_counts(dataset)
        return int(n["train"]), int(n["test"])
    except Exception:  # noqa: BLE001 - unknown data set: a small guess, said in the summary
        return 1000, 500


# ============================================================================ attacking
def _natural_pool(pack: Path | None, natural_file: Path | None = None) -> tuple[np.ndarray, str]:
    """CIFAR-10 images uint8 (N, 32, 32, 3) and where they came from: ``natural_file``, else
    the pack's ``natural/cifar10.npz``, else the local CIFAR-10 training split."""
    files = [natural_file] if natural_file is not None else []
    if pack is not None:
        files.append(pack / "natural" / "cifar10.npz")
    for f in files:
        if f.is_file():
            with np.load(f) as z:
                if "images" not in z or z["images"].dtype != np.uint8 or z["images"].ndim != 4:
                    raise InputError(f"{f}: field 'images': expected uint8 (N, H, W, 3)")
                return np.asarray(z["images"]), str(f)
    if natural_file is not None:
        raise InputError(f"{natural_file}: no such file (expected an .npz with 'images')")
    return np.asarray(load_splits("cifar10", None, seed=0).train.images), "cifar10 train split"


def _predict(
    model: Any, x: torch.Tensor, prep: Callable, v: torch.Tensor | None, bs: int = 256
) -> np.ndarray:
    out = []
    with torch.no_grad():
        for s in range(0, len(x), bs):
            xb = prep(x[s : s + bs])
            if v is not None:
                xb = apply_uap(xb, v)
            out.append(model(xb).float().argmax(1).cpu())
    return torch.cat(out).numpy() if out else np.zeros(0, np.int64)


def is_full(profile: dict[str, Any], seed: int) -> bool:
    """Whether a victim of training ``seed`` gets the whole budget curve, the targeted UAPs and
    (when due) the number-of-images curve: seeds in the profile's ``curve_seeds`` (default: all);
    the other seeds are attacked at the operating points only (the replicates the claims need).
    """
    seeds = profile.get("curve_seeds")
    return seeds is None or int(seed) in {int(x) for x in seeds}


def _least_predicted(shares: Sequence[float]) -> int:
    return int(np.argmin(np.asarray(shares)))


def attack_victim(
    victim: Victim,
    profile: dict[str, Any],
    *,
    device: str,
    natural: np.ndarray,
    n_curve: bool,
    echo: Callable[[str], None],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every attack of the profile on one victim: its rows and a summary record."""
    t0 = time.perf_counter()
    run = load_run(victim.folder, device)
    cfg = run.config
    set_determinism(int(profile["generation"].get("seed", 0)), device)
    data = load_data(cfg.dataset, cfg.resolution, split_seed=cfg.split_seed, dedup=cfg.dedup)
    train = (
        data.train.fraction(cfg.train_fraction, cfg.seed) if cfg.train_fraction < 1 else data.train
    )
    res = int(cfg.resolution)
    image_prep = ImagePrep(resolution=res, augment=False)

    def prep(xb: torch.Tensor) -> torch.Tensor:
        return image_prep(xb, False, None)

    n_test = len(np.asarray(data.test.labels).reshape(-1))
    n_eval = min(n_test, int(profile.get("n_eval") or n_test))
    idx = np.arange(n_test)
    if n_eval < n_test:  # a fixed, seeded subset (the same for every attack on this victim)
        idx = np.sort(np.random.default_rng(0).choice(n_test, size=n_eval, replace=False))
    test = DeviceArrays.from_images(
        np.asarray(data.test.images)[idx],
        np.asarray(data.test.labels).reshape(-1)[idx],
        np.asarray(data.test.ids).astype(str)[idx],
        device,
    )
    labels = test.y.cpu().numpy()
    n_classes = len(run.classes)
    clean = _predict(run.model, test.x, prep, None)
    shares = class_shares(clean, n_classes)
    clean_acc = float(np.mean(clean == labels))
    base = {
        "dataset": cfg.dataset,
        "resolution": res,
        "arch": cfg.arch,
        "approach": cfg.approach,
        "source": cfg.source,
        "seed": int(cfg.seed),
        "victim_run_id": run.run_id,
        "clean_accuracy": clean_acc,
        "excluded": False,
        "class_shares": json.dumps(dict(zip(run.classes, shares, strict=True))),
        "victim_auc": run.result.get("auc_macro_ovr"),
        "victim_epochs": int(cfg.epochs),
        "victim_lr": float(run.result.get("selected_lr") or cfg.lr),
        "victim_device": run.result.get("device_name") or run.result.get("device"),
        "victim_train_fraction": float(cfg.train_fraction),
        "n_eval": int(n_eval),
    }
    record: dict[str, Any] = {
        "victim_run_id": run.run_id,
        "dataset": cfg.dataset,
        "resolution": res,
        "arch": cfg.arch,
        "approach": cfg.approach,
        "clean_accuracy": clean_acc,
        "class_shares": dict(zip(run.classes, shares, strict=True)),
    }
    limit = float(profile.get("exclude_majority_share", 0.95))
    if max(shares) > limit:
        row = {**base, "excluded": True, "kind": "excluded", "seconds": time.perf_counter() - t0}
        record.update(status="excluded", reason=f"max class share {max(shares):.3f} > {limit}")
        echo(f"uap: EXCLUDED {victim.key}: class shares {record['class_shares']}")
        record["seconds"] = row["seconds"]
        return [row], record

    gen = profile["generation"]
    seed = int(gen.get("seed", 0))
    passes = int(gen.get("max_epochs", 1))
    shape = (3, res, res)
    mean_norm = {n: mean_image_norm(test.x, n, prep=prep) for n in profile["budget_curve"]["norm"]}
    for op in profile["operating_points"]:
        mean_norm.setdefault(op["norm"], mean_image_norm(test.x, op["norm"], prep=prep))
    n_src = int(gen["n_source"])
    nat_order = np.random.default_rng([seed, 1]).permutation(len(natural))
    tr_images = np.asarray(train.images)
    tr_pick = np.sort(
        np.random.default_rng([seed, 2]).choice(
            len(tr_images), min(n_src, len(tr_images)), replace=False
        )
    )

    def to_dev(a: np.ndarray) -> torch.Tensor:
        return DeviceArrays.from_images(
            a, np.zeros(len(a), np.int64), np.arange(len(a)).astype(str), device
        ).x

    src_x = {
        "natural": to_dev(natural[nat_order[:n_src]]),
        "training": to_dev(tr_images[tr_pick]),
    }
    # clean predictions of the source images, once per source set (not once per UAP)
    src_ref = {k: torch.as_tensor(_predict(run.model, x, prep, None)) for k, x in src_x.items()}
    rows: list[dict[str, Any]] = []

    def one(
        source: str,
        norm: str,
        ratio: float,
        *,
        targeted: bool = False,
        target: int | None = None,
        n_images: int | None = None,
        x_src: torch.Tensor | None = None,
        n_passes: int = passes,
        kind: str = "budget_curve",
    ) -> None:
        t1 = time.perf_counter()
        eps = float(ratio) * mean_norm[norm]
        src_rate = math.nan
        if source.startswith("noise_"):
            v = noise_uap(source, shape, norm, eps, seed, int(profile.get("lowpass_grid", 8)))
            n_used = 0
        else:
            xs = src_x[source] if x_src is None else x_src
            ref = src_ref[source] if x_src is None else None
            ucfg = UAPConfig(
                norm=norm,
                eps_ratio=float(ratio),
                targeted=targeted,
                target_class=target,
                max_epochs=n_passes,
                step_ratio=float(gen.get("step_ratio", 0.2)),
                batch_size=int(gen.get("batch_size", 50)),
                seed=seed,
            )
            if gen.get("inner") == "deepfool":
                r = generate_uap_deepfool(run.model, xs, ucfg, eps=eps, prep=prep, device=device)
            else:
                r = generate_uap(
                    run.model,
                    xs,
                    ucfg,
                    eps=eps,
                    prep=prep,
                    device=device,
                    reference=ref,
                    final_check=False,
                )
            v, src_rate, n_used = r.perturbation, r.source_fooling_rate, int(len(xs))
        vd = v.to(device)
        adv = _predict(run.model, test.x, prep, vd)
        row = {
            **base,
            "norm": norm,
            "eps_ratio": float(ratio),
            "uap_source": source,
            "n_source_images": n_used,
            "targeted": bool(targeted),
            "target_class": target,
            "fooling_rate": float(np.mean(adv != clean)),
            "perturbed_accuracy": float(np.mean(adv == labels)),
            "target_gain": (
                float(np.mean(adv == target) - np.mean(clean == target)) if targeted else None
            ),
            "seconds": time.perf_counter() - t1,
            "kind": kind,
            "eps": eps,
            "mean_image_norm": mean_norm[norm],
            "uap_norm": float(lp_norm(v[None], norm)[0]),
            "source_fooling_rate": src_rate,
            "passes": n_passes if not source.startswith("noise_") else 0,
            "method": f"{gen.get('inner', 'gradient')}_uap_v2",
            "operating_point": any(
                op["norm"] == norm and float(op["eps_ratio"]) == float(ratio)
                for op in profile["operating_points"]
            ),
        }
        rows.append(row)

    bc = profile["budget_curve"]
    full = is_full(profile, int(cfg.seed))
    points = (
        [(n, float(r)) for n in bc["norm"] for r in bc["eps_ratio"]]
        if full
        else [(op["norm"], float(op["eps_ratio"])) for op in profile["operating_points"]]
    )
    for norm, ratio in points:
        for source in profile["sources"]:
            one(source, norm, ratio)
    t = (profile.get("targeted") or {}) if full else {}
    if t:
        target = (
            _least_predicted(shares)
            if t.get("target", "least_predicted") == "least_predicted"
            else int(t["target"])
        )
        for norm in t.get("norm", []):
            for source in t.get("sources", []):
                one(
                    source,
                    norm,
                    float(t["eps_ratio"]),
                    targeted=True,
                    target=target,
                    kind="targeted",
                )
    record["n_curve"] = bool(n_curve and full and profile.get("n_curve"))
    if record["n_curve"]:
        nc = profile["n_curve"]
        for n in nc["n_source"]:
            n = min(int(n), len(natural))
            p = max(passes, math.ceil(int(nc.get("min_image_visits", 0)) / n))
            one(
                "natural",
                nc["norm"],
                float(nc["eps_ratio"]),
                n_images=n,
                x_src=to_dev(natural[nat_order[:n]]),
                n_passes=p,
                kind="n_curve",
            )
    record.update(status="ok", rows=len(rows), seconds=time.perf_counter() - t0)
    for r in rows:
        if r["operating_point"] and not r["targeted"] and r["kind"] == "budget_curve":
            record[f"fool_{r['norm']}_{r['uap_source']}"] = r["fooling_rate"]
    return rows, record


def _row_out(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row.get(k) for k in ROW_COLUMNS}
    out.update({k: v for k, v in row.items() if k not in out})
    for k, v in out.items():
        if isinstance(v, float) and not math.isfinite(v):
            out[k] = None
    return out


def run_attacks(victims_suite: str, *, pack: Path | None = None, **kwargs: Any) -> dict[str, Any]:
    """Attack every victim within a time budget (:func:`_run_attacks`), with ``pack`` active only
    while it runs (:func:`reproduce.datasets.pack.pack_environment`)."""
    with pack_environment(Path(pack) if pack is not None else None):
        return _run_attacks(victims_suite, pack=pack, **kwargs)


def _run_attacks(
    victims_suite: str,
    *,
    out: Path,
    profile: str | dict[str, Any] = "gpu",
    pack: Path | None = None,
    runs_root: Path | None = None,
    device: str = "cuda",
    time_budget: float | None = None,
    natural_file: Path | None = None,
    echo: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Attack every victim of ``victims_suite`` within ``time_budget``; stream rows to ``out``.

    Returns
    -------
    dict
        The summary (also ``out/uap_v2-summary.json``).
    """
    echo = echo or (lambda s: print(s, file=sys.stderr, flush=True))
    t_start = time.perf_counter()
    prof = load_profile(profile) if isinstance(profile, str) else profile
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if runs_root is None:
        runs_root = paths.runs_dir()
    victims = find_victims(Path(runs_root), victims_suite, prof)
    earlier: dict[str, Any] = {}
    done, curved = _resume(out, prof["name"], earlier, echo)
    natural, natural_from = _natural_pool(Path(pack) if pack else None, natural_file)
    summary: dict[str, Any] = {
        "suite": "uap_v2",
        "profile": prof["name"],
        "victims_suite": victims_suite,
        "device": device,
        "time_budget_s": time_budget,
        "natural_images": {"from": natural_from, "available": int(len(natural))},
        "settings": {k: prof[k] for k in prof if k not in ("description", "path")},
        "env": environment(device),
        "victims": earlier.get("victims", []),
        "excluded": earlier.get("excluded", []),
        "not_started_budget": [],
        "errors": [],
    }
    rows_path = out / ROWS_FILE
    budget = float(time_budget) if time_budget else float("inf")
    ratio = 1.0
    warm: set[tuple[str, int]] = set()
    n_curve_left = int((prof.get("n_curve") or {}).get("victims", 0)) - curved
    pack_p = Path(pack) if pack else None

    def write_summary() -> None:
        summary["elapsed_s"] = time.perf_counter() - t_start
        tmp = out / f".{SUMMARY_FILE}.tmp"
        tmp.write_text(json.dumps(summary, indent=1, default=str))
        os.replace(tmp, out / SUMMARY_FILE)

    echo(f"uap: {len(victims)} victims in {victims_suite}; budget {budget:g} s; {natural_from}")
    for v in victims:
        if v.folder.name in done:
            continue
        r = v.result
        arch, res = str(r.get("arch")), int(r.get("resolution") or 0)
        n_train, n_test = _dataset_counts(str(r.get("dataset")), pack_p)
        full = is_full(prof, int(r.get("seed", 0)))
        est = estimate_seconds(
            prof,
            arch,
            res,
            n_train,
            n_test,
            n_curve=n_curve_left > 0,
            warm=(arch, res) in warm,
            full=full,
        )
        expected = est["seconds"] * ratio
        elapsed = time.perf_counter() - t_start
        if elapsed + expected > budget:
            summary["not_started_budget"].append(
                {
                    "victim_run_id": v.folder.name,
                    "victim": v.key,
                    "expected_s": expected,
                    "elapsed_s": elapsed,
                }
            )
            echo(f"uap: not started {v.key} (expected {expected:.1f} s, {elapsed:.0f} s used)")
            write_summary()
            continue
        t0 = time.perf_counter()
        try:
            rows, rec = attack_victim(
                v, prof, device=device, natural=natural, n_curve=n_curve_left > 0, echo=echo
            )
        except Exception as exc:  # noqa: BLE001 - a failed victim is data; the sweep goes on
            summary["errors"].append(
                {
                    "victim_run_id": v.folder.name,
                    "victim": v.key,
                    "error": f"{type(exc).__name__}: {exc}"[:2000],
                }
            )
            echo(f"uap: ERROR {v.key}: {type(exc).__name__}: {exc}")
            write_summary()
            continue
        wall = time.perf_counter() - t0
        warm.add((arch, res))
        rec.update(predicted_s=est["seconds"], expected_s=expected, measured_s=wall)
        if rec["status"] == "ok":
            if rec.get("n_curve"):
                n_curve_left -= 1
            # later predictions follow what this machine measured (never below the model / 4)
            ratio = max(0.25, wall / max(est["seconds"], 1e-9))
            summary["victims"].append(rec)
        else:
            summary["excluded"].append(rec)
        with rows_path.open("a") as fh:
            for row in rows:
                fh.write(json.dumps(_row_out(row), default=str) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        write_summary()
        fools = {k[5:]: round(val, 3) for k, val in rec.items() if k.startswith("fool_")}
        echo(
            f"uap: {rec['status']:8s} {v.key} clean_acc={rec['clean_accuracy']:.3f} "
            f"{fools} {wall:.1f}s (pred {est['seconds']:.1f}s) "
            f"t={time.perf_counter() - t_start:.0f}s"
        )
    write_summary()
    return summary


def _resume(
    out: Path, profile: str, summary: dict[str, Any], echo: Callable[[str], None]
) -> tuple[set[str], int]:
    """Victims an earlier, interrupted call into ``out`` finished (their records are copied into
    ``summary``); rows of victims it did not finish are dropped from the rows file, so a rerun
    into the same folder neither loses nor duplicates a row. Also returns how many finished
    victims carry the number-of-images curve (so it is not made again).

    A victim counts as finished when the earlier summary lists it: the summary is replaced only
    after the victim's rows were written and fsynced.

    Raises
    ------
    InputError
        ``out`` holds the rows of another profile, or a rows line that is not JSON before the
        last line (a killed write can only cut the last one).
    """
    rows_path, summ_path = out / ROWS_FILE, out / SUMMARY_FILE
    if not rows_path.is_file():
        return set(), 0
    prev: dict[str, Any] = {}
    if summ_path.is_file():
        try:
            prev = json.loads(summ_path.read_text())
        except ValueError:
            prev = {}
    if prev and prev.get("profile") != profile:
        raise InputError(
            f"{out}: holds rows of profile {prev.get('profile')!r}, not {profile!r}; "
            "use another --out"
        )
    records = [*prev.get("victims", []), *prev.get("excluded", [])]
    done = {str(r["victim_run_id"]) for r in records if "victim_run_id" in r}
    lines = rows_path.read_text().splitlines()
    keep, curved = [], set()
    for i, line in enumerate(lines, 1):
        try:
            rec = json.loads(line)
        except ValueError:
            if i == len(lines):
                continue  # the cut tail of a killed write
            raise InputError(f"{rows_path}: line {i}: not JSON (expected one row object)") from None
        if str(rec.get("victim_run_id")) in done:
            keep.append(line)
            if rec.get("kind") == "n_curve":
                curved.add(str(rec["victim_run_id"]))
    if len(keep) != len(lines):
        tmp = out / f".{ROWS_FILE}.tmp"
        tmp.write_text("".join(ln + "\n" for ln in keep))
        os.replace(tmp, rows_path)
    summary["victims"] = list(prev.get("victims", []))
    summary["excluded"] = list(prev.get("excluded", []))
    if done:
        echo(
            f"uap: resuming {out}: {len(done)} victim(s) already done, "
            f"{len(lines) - len(keep)} row(s) of unfinished ones dropped"
        )
    return done, len(curved)


# ============================================================================ CLI
def estimate_table(
    profile: dict[str, Any], victims: Sequence[tuple[str, str, int]]
) -> list[dict[str, Any]]:
    """Predicted seconds per (data set, arch, resolution, seed) for every seed of the profile's
    victims (the curve seeds first), the first victim with the n-curve."""
    out, warm = [], set()
    n_curve_left = int((profile.get("n_curve") or {}).get("victims", 0))
    seeds = sorted({int(x) for x in profile["victims"].get("seeds", [0])},
                   key=lambda x: (not is_full(profile, x), x))  # fmt: skip
    for seed in seeds:
        full = is_full(profile, seed)
        for ds, arch, res, ap in victims:
            n_train, n_test = _dataset_counts(ds, None)
            e = estimate_seconds(profile, arch, res, n_train, n_test, n_curve=n_curve_left > 0,
                                 warm=(arch, res) in warm, full=full)  # fmt: skip
            warm.add((arch, res))
            n_curve_left -= 1 if full else 0
            out.append(
                {"dataset": ds, "arch": arch, "resolution": res, "approach": ap, "seed": seed, **e}
            )
    return out


#: The victims the ``guideline_v2`` ``gpu`` profile keeps (seed 0), in the worker's order;
#: EfficientNet-Lite0 from scratch is in ``gpu_extra`` (attacked when it was run).
GPU_VICTIMS: tuple[tuple[str, str, int, str], ...] = tuple(
    (ds, arch, res, ap)
    for res, dss in ((128, ("retinamnist", "pneumoniamnist")), (224, ("busi", "brain_mri")))
    for arch, aps in (
        ("squeezenet1_1", ("fine_tuning_from_scratch", "scratch")),
        ("efficientnet_lite0", ("fine_tuning_from_scratch",)),
    )
    for ap in aps
    for ds in dss
)
EXTRA_VICTIMS: tuple[tuple[str, str, int, str], ...] = tuple(
    (ds, "efficientnet_lite0", res, "scratch")
    for res, dss in ((128, ("retinamnist", "pneumoniamnist")), (224, ("busi", "brain_mri")))
    for ds in dss
)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point (``python -m reproduce.attacks.device``)."""
    ap = argparse.ArgumentParser(
        prog="python -m reproduce.attacks.device",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--victims", default="guideline_v2", help="suite whose kept models to attack")
    ap.add_argument("--profile", default="gpu", help="profile of reproduce/suites/uap_v2.yaml")
    ap.add_argument("--suite-file", type=Path, help="another uap_v2-style suite file")
    ap.add_argument("--pack", type=Path, help="unpacked pack (data, natural images)")
    ap.add_argument("--out", type=Path, help="folder for uap_v2-rows.jsonl and the summary")
    ap.add_argument("--runs-dir", type=Path, help="runs root (default TLREVIEW_RUNS_DIR)")
    ap.add_argument("--natural", type=Path, help="an .npz of natural images ('images' uint8)")
    ap.add_argument("--device", default="cuda")
    ap.add_argument(
        "--time-budget", type=float, help="seconds; no victim starts that cannot finish"
    )
    ap.add_argument(
        "--inner", choices=("gradient", "deepfool"), help="override the profile's inner step"
    )
    ap.add_argument("--estimate", action="store_true", help="print the cost table and exit")
    ap.add_argument("--extra", action="store_true", help="--estimate: add gpu_extra's victims")
    a = ap.parse_args(argv)
    try:
        prof = load_profile(a.profile, a.suite_file)
        if a.inner:
            prof["generation"] = {**prof["generation"], "inner": a.inner}
        if a.estimate:
            tab = estimate_table(prof, GPU_VICTIMS + (EXTRA_VICTIMS if a.extra else ()))
            for r in tab:
                print(
                    f"{r['dataset']:15s} {r['arch']:18s} {r['approach']:24s} "
                    f"{r['resolution']:4d} s{r['seed']} {r['seconds']:6.1f} s "
                    f"grad={r['grad_images']} eval={r['eval_images']} ({r['rate_source']})"
                )
            print(f"total {sum(r['seconds'] for r in tab):.1f} s for {len(tab)} victims")
            return 0
        if a.out is None:
            raise InputError("--out: required (folder for the rows and the summary)")
        s = run_attacks(
            a.victims,
            out=a.out,
            profile=prof,
            pack=a.pack,
            runs_root=a.runs_dir,
            device=a.device,
            time_budget=a.time_budget,
            natural_file=a.natural,
        )
    except (InputError, AttackError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        json.dumps(
            {
                k: (len(s[k]) if isinstance(s[k], list) else s[k])
                for k in ("victims", "excluded", "not_started_budget", "errors", "elapsed_s")
            }
        )
    )
    return 0 if not s["errors"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
