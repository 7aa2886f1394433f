"""A trained run rebuilt from its folder (:func:`load_run`), found by id (:func:`find_run`).

Split out of :mod:`reproduce.attacks.execute` so the GPU path (:mod:`reproduce.attacks.device`)
can load victims without importing polars (the device image has none): this module imports
only torch, yaml and the engine's low stages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import yaml

from reproduce.approaches import build_backbone, prepare_model
from reproduce.engine.config import RunConfig
from review import paths
from review.errors import AttackError

__all__ = ["LoadedRun", "find_run", "load_run"]


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
