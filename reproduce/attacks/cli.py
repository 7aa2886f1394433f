"""``tlreview reproduce attack`` and ``tlreview reproduce uap-suite``.

:func:`register_attack` adds both subcommands to the ``reproduce`` group (the engine's
``reproduce/cli.py`` calls it with its subparsers object).

attack RUN
    Attack one trained run (a run folder, or a run id found under the runs root) with UAPs made
    from natural images, the run's training images and random noise of the same norm; prints
    one tidy row per attack (``--format``) and, with ``--out``, writes them as parquet + CSV.
uap-suite
    Train the ``uap`` suite's models (reusing completed runs), attack each of them, and write
    the tidy results, the seed summary, configs, environment and examples to ``results/uap/``.
uap-collect OUT
    Merge the second round's rows (``OUT/uap_v2-rows.jsonl`` and summary, written on a GPU by
    ``python3 -m reproduce.attacks.device``) into ``results/uap_v2/``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import polars as pl

from reproduce.attacks.spec import NORMS, UAP_SOURCES, AttackSpec, load_uap_profile
from reproduce.claims.verdicts import evaluate_claims
from reproduce.engine.device import resolve_device
from reproduce.engine.io import atomic_write_with
from reproduce.engine.plan import packaged_profiles
from reproduce.results.collect import polars_schema
from reproduce.results.schema import ATTACK_SCHEMA
from review.errors import InputError
from review.output import FORMATS, write_frame

__all__ = ["register_attack"]

#: Columns printed by ``attack`` in table format (every column with --format csv/json).
SHOW = (
    "attack_id",
    "status",
    "uap_source",
    "norm",
    "eps_ratio",
    "targeted",
    "target_class",
    "seed",
    "fooling_rate",
    "clean_accuracy",
    "perturbed_accuracy",
    "uap_norm",
    "eps",
    "attack_s",
    "error",
)


#: The defaults of an attack (one place: :class:`AttackSpec`, which reads UAPConfig's).
_D = AttackSpec(uap_source="natural")


def register_attack(sub: argparse._SubParsersAction) -> None:
    """Add ``attack`` and ``uap-suite`` to the ``tlreview reproduce`` subcommands.

    Parameters
    ----------
    sub
        The subparsers object of the ``reproduce`` group.
    """
    a = sub.add_parser(
        "attack",
        help="fool a trained run with universal adversarial perturbations (UAPs)",
        description="Attack a run trained with --keep-model. Example: tlreview reproduce attack "
        "RUN_ID --source natural --source random --norm linf --eps-ratio 0.04 --seed 0 "
        "--seed 1. The budget eps = ratio x mean Lp norm of the attacked test images (RGB in "
        "[0, 1] at the model's resolution); the random control has norm exactly eps.",
    )
    a.add_argument("run", help="run folder, or run id (searched under the runs root)")
    a.add_argument(
        "--source",
        dest="sources",
        action="append",
        choices=UAP_SOURCES,
        help="UAP source (repeatable; default all three)",
    )
    a.add_argument(
        "--norm",
        dest="norms",
        action="append",
        choices=NORMS,
        help=f"norm of the budget (repeatable; default {_D.norm})",
    )
    a.add_argument(
        "--eps-ratio",
        dest="eps_ratios",
        action="append",
        type=float,
        help=f"budget as a ratio of the mean image norm (repeatable; default {_D.eps_ratio})",
    )
    a.add_argument("--targeted", action="store_true", help="targeted attack into --target-class")
    a.add_argument(
        "--target-class", type=int, default=0, help="target class index of --targeted (default 0)"
    )
    a.add_argument(
        "--seed",
        dest="seeds",
        action="append",
        type=int,
        help=f"attack seed (repeatable; default {_D.seed})",
    )
    a.add_argument("--n-source", type=int, help=f"source images (default {_D.n_source})")
    a.add_argument(
        "--n-eval",
        type=int,
        default=None,
        help="attacked test images (default: the whole test split)",
    )
    a.add_argument("--max-epochs", type=int, help=f"passes over the sources ({_D.max_epochs})")
    a.add_argument("--step-ratio", type=float, help=f"step size / eps ({_D.step_ratio})")
    a.add_argument("--batch-size", type=int, help=f"source images per step ({_D.batch_size})")
    a.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (default auto)")
    a.add_argument(
        "--runs-dir", type=Path, default=None, help="runs root (default TLREVIEW_RUNS_DIR or runs/)"
    )
    a.add_argument("--force", action="store_true", help="redo completed attacks")
    a.add_argument(
        "--out",
        type=Path,
        default=None,
        help="also write the rows to OUT/attacks.parquet and OUT/attacks.csv",
    )
    a.add_argument("--format", choices=FORMATS, default="table", help="output format")
    a.set_defaults(func=_attack)

    u = sub.add_parser(
        "uap-suite",
        help="train and attack the uap suite (Minagi et al. 2022)",
        description="Train the models of a uap suite profile (completed runs are reused, with "
        "--keep-model), attack each with natural-image, training-image and random UAPs, and "
        "write results/uap/. Example: tlreview reproduce uap-suite --profile smoke --device cpu",
    )
    u.add_argument("--suite", default="uap", help="suite name or YAML path (default uap)")
    profiles = ", ".join(packaged_profiles().get("uap", []))
    u.add_argument("--profile", default="smoke", help=f"profile (default smoke): {profiles}")
    u.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (default auto)")
    u.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="override a run-config field in every run (repeatable)",
    )
    u.add_argument(
        "--runs-dir", type=Path, default=None, help="runs root (default TLREVIEW_RUNS_DIR or runs/)"
    )
    u.add_argument("--out", type=Path, default=None, help="results folder (default results/SUITE)")
    u.add_argument("--force", action="store_true", help="redo completed attacks")
    u.add_argument(
        "--dry-run", action="store_true", help="list the planned runs and attacks, run nothing"
    )
    u.add_argument(
        "--collect-only",
        action="store_true",
        help="only write the results folder from completed attacks",
    )
    u.add_argument("--no-collect", action="store_true", help="do not write the results folder")
    u.add_argument("--quiet", action="store_true", help="no progress bars")
    u.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="output format of --dry-run and of the verdicts",
    )
    u.set_defaults(func=_uap_suite)

    c = sub.add_parser(
        "uap-collect",
        help="merge a GPU call's (or CPU run's) uap_v2 rows into results/uap_v2/",
        description="Read OUT/uap_v2-rows.jsonl and OUT/uap_v2-summary.json (written by "
        "`python3 -m reproduce.attacks.device`) into results/uap_v2/: rows.parquet/csv (all "
        "rows), results.parquet/csv (the rows the v2 claims read), summary.json.",
    )
    c.add_argument("out", type=Path, help="the GPU call's output folder")
    c.add_argument("--results-dir", type=Path, default=None, help="results root (default results/)")
    c.add_argument(
        "--replace",
        action="store_true",
        help="replace the committed rows instead of merging (required when they came from "
        "another profile, e.g. a GPU call after the CPU run)",
    )
    c.set_defaults(func=_uap_collect)


def _uap_collect(args: argparse.Namespace) -> int:
    from reproduce.attacks.collect_v2 import collect_uap_v2  # torch: the device module's schema

    info = collect_uap_v2(args.out, args.results_dir, replace=args.replace)
    print(
        f"uap_v2: {info['rows']} row(s), {info['victims']} attacked victim(s), "
        f"{info['excluded']} excluded, {info['claim_rows']} claim row(s) -> {info['folder']}"
    )
    return 0


def _specs(args: argparse.Namespace) -> list:
    if args.n_eval is not None and args.n_eval < 1:
        raise InputError(f"--n-eval {args.n_eval}: expected an integer >= 1")
    specs = []
    # flags left out fall through to AttackSpec's defaults
    given = {
        k: getattr(args, k)
        for k in ("n_source", "n_eval", "max_epochs", "step_ratio", "batch_size")
        if getattr(args, k) is not None
    }
    for src in args.sources or UAP_SOURCES:
        for norm in args.norms or [_D.norm]:
            for eps in args.eps_ratios or [_D.eps_ratio]:
                for seed in args.seeds or [_D.seed]:
                    specs.append(
                        AttackSpec(
                            uap_source=src,
                            norm=norm,
                            eps_ratio=eps,
                            targeted=args.targeted,
                            target_class=args.target_class if args.targeted else None,
                            seed=seed,
                            **given,
                        ).resolved()
                    )
    return specs


def _attack(args: argparse.Namespace) -> int:
    # torch: the attack code is imported when the command runs, not when the CLI starts
    from reproduce.attacks.execute import attack_run, find_run, load_run

    specs = _specs(args)
    device = resolve_device(args.device)
    run = load_run(find_run(args.run, args.runs_dir), device)
    rows = attack_run(
        run,
        specs,
        device=device,
        runs_root=args.runs_dir,
        force=args.force,
        echo=lambda s: print(s, file=sys.stderr),
    )
    df = pl.DataFrame(rows, schema=polars_schema(ATTACK_SCHEMA), strict=False)
    if args.out is not None:
        for name, fn in (("attacks.parquet", df.write_parquet), ("attacks.csv", df.write_csv)):
            print(atomic_write_with(args.out / name, lambda p, f=fn: f(p)), file=sys.stderr)
    write_frame(df.select(SHOW) if args.format == "table" else df, args.format)
    return 1 if (df["status"] != "ok").any() else 0


def _uap_suite(args: argparse.Namespace) -> int:
    # torch: the attack code is imported when the command runs, not when the CLI starts
    from reproduce.attacks.suite import (
        collect_uap,
        load_attack_rows,
        planned_attack_ids,
        run_uap_suite,
    )

    if args.dry_run:
        prof = load_uap_profile(args.suite, args.profile, args.sets)
        plan = planned_attack_ids(prof)
        done = load_attack_rows([a for _, _, a in plan], args.runs_dir)
        ok = set(done.filter(pl.col("status") == "ok")["attack_id"].to_list())
        rows = [
            {
                "run_id": p.run_id,
                "dataset": p.config.dataset,
                "arch": p.config.arch,
                "approach": p.config.approach,
                "train_seed": p.config.seed,
                "attack_id": aid,
                "uap_source": s.uap_source,
                "norm": s.norm,
                "eps_ratio": s.eps_ratio,
                "targeted": s.targeted,
                "seed": s.seed,
                "state": "ok" if aid in ok else "pending",
            }
            for p, s, aid in plan
        ]
        write_frame(pl.DataFrame(rows), args.format)
        print(f"{len(prof.planned)} run(s), {len(plan)} attack(s)", file=sys.stderr)
        return 0
    device = resolve_device(args.device)
    t0 = time.perf_counter()
    if args.collect_only:
        prof = load_uap_profile(args.suite, args.profile, args.sets)
        wall = None
    else:
        prof, _ = run_uap_suite(
            args.suite,
            args.profile,
            device=device,
            runs_root=args.runs_dir,
            sets=args.sets,
            force=args.force,
            quiet=args.quiet,
        )
        wall = time.perf_counter() - t0
    if args.no_collect:
        return 0
    df, written = collect_uap(
        prof, out_dir=args.out, runs_root=args.runs_dir, device=device, wall_s=wall
    )
    for p in written:
        print(p, file=sys.stderr)
    n_err = int((df["status"] != "ok").sum()) if df.height else 0
    print(f"{df.height} attack row(s), {n_err} failed", file=sys.stderr)
    if df.height:
        v = evaluate_claims(df, prof.suite)
        write_frame(
            v.select(
                "claim_id", "n_pairs", "estimate", "ci_low", "ci_high", "p_wilcoxon", "verdict"
            ),
            args.format,
        )
    return 1 if n_err else 0
