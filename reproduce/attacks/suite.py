"""The ``uap`` suite (Minagi et al. 2022): train what is missing, attack every model, collect.

``reproduce/suites/uap.yaml`` is an ordinary engine suite (``defaults`` + ``grids`` of run
configs, so ``tlreview reproduce run uap --keep-model`` trains its models) with, per profile, an
``attacks`` list of grids over :class:`~reproduce.attacks.spec.AttackSpec` fields
(:func:`~reproduce.attacks.spec.load_uap_profile`). ``seed: run`` (the default) attacks each
model with the seed it was trained with, so the seeds of a configuration are independent
replications of training *and* UAP generation. :func:`run_uap_suite` trains what is missing
(reusing completed runs by run id; a completed run without ``model.pt`` is retrained with
``keep_model``), attacks every model with every attack of the profile (skipping completed
attacks by attack id, :func:`reproduce.attacks.execute.attack_run`), and :func:`collect_uap`
writes the tidy tables to ``results/uap/``.
"""

from __future__ import annotations

import itertools
import shutil
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

from reproduce.attacks.execute import (
    attack_run,
    attacks_root,
    load_run,
    normalise_attack_row,
    read_json,
    save_npz,
    spec_columns,
)
from reproduce.attacks.spec import (
    METHOD,
    AttackSpec,
    UAPProfile,
    attack_id,
    classes_of,
    load_uap_profile,
    resolve_target,
)
from reproduce.attacks.summary import seed_summary
from reproduce.attacks.uap import (
    AttackError,
)
from reproduce.engine.config import canonical_json
from reproduce.engine.env import environment
from reproduce.engine.execute import execute_run
from reproduce.engine.io import atomic_write_json, atomic_write_text, atomic_write_with
from reproduce.results.collect import load_results, polars_schema
from reproduce.results.schema import ATTACK_SCHEMA
from review import paths

__all__ = [
    "collect_uap",
    "expand_attacks",
    "load_attack_rows",
    "planned_attack_ids",
    "run_uap_suite",
]


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
                d["target_class"] = resolve_target(d["target_class"], dataset, f"{where} grid {gi}")
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
                        **spec_columns(spec, classes_of(c.dataset)),
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
    rows = [r for r in (read_json(root / i / "result.json") for i in ids) if r is not None]
    if not rows:
        return pl.DataFrame(schema=polars_schema(ATTACK_SCHEMA))
    return pl.DataFrame(
        [normalise_attack_row(r) for r in rows], schema=polars_schema(ATTACK_SCHEMA), strict=False
    )


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

    Files: ``results.parquet``/``results.csv`` (one row per attack,
    :data:`~reproduce.results.schema.ATTACK_SCHEMA`),
    ``summary.csv`` (mean and t-CI over seeds per configuration and metric), ``runs.parquet``/
    ``runs.csv`` (the attacked runs' engine rows), ``config.yaml`` (the profile as run, with the
    suite file's text), ``env.json`` (software and hardware; ``wall_s`` of the sweep when given)
    and ``examples/`` (a few perturbations, each with the id, label and predictions of one
    attacked test image; its pixels stay under ``TLREVIEW_DATA_DIR`` and
    :func:`reproduce.attacks.execute.example_image` rebuilds them; at most ``example_budget``
    bytes).

    Returns
    -------
    tuple
        The attack rows and the written paths.
    """

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
            atomic_write_with(path, lambda p, a=arrays: save_npz(p, a))
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
