"""``tlreview reproduce``: data sets, source models, running and collecting suites, pretraining.

Subcommands
-----------
datasets [folder:PATH]
    The data-set registry (compact; ``--all`` for every column), or the inspection of a folder
    of your own images.
fetch DATASET|ARCH
    Download a data set or ImageNet weights from the official source, checksum-verified.
models
    The source-model registry (architecture x source, provenance, license, preprocessing).
run SUITE
    Run a suite profile (``--profile NAME``; the help lists each suite's profiles), optionally
    one shard (``--shard i/n``);
    completed runs are skipped, failed runs are recorded and the sweep goes on (exit 1 if any
    run failed).
status SUITE
    The state of every run of a profile (ok, error, partial, pending), with its shard, job id
    and job state when the profile was submitted as a job array.
submit SUITE
    Submit a profile as one job array (Slurm, local GPUs) through submitit; ``--resubmit-failed``
    submits again the shards whose runs failed or never ran (:mod:`reproduce.cluster`).
collect SUITE
    Write ``results.parquet`` and ``results.csv`` (default ``results/<suite>/``); ``--runs-dir``
    repeated merges several runs folders, one row per run id.
pretrain ARCH
    Pretrain an architecture on CIFAR-10 (the ``cifar10`` source); GPU recommended.
verdicts SUITE
    Decide the suite's pre-registered claims (``--claims v1|v2``): ``verdicts.csv`` and
    ``effects.csv``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import polars as pl

from reproduce.attacks.cli import register_attack
from reproduce.claims.cli import register_verdicts
from reproduce.cluster.cli import add_job_columns, register_submit
from reproduce.datasets.describe import COMPACT_COLUMNS, describe_datasets
from reproduce.datasets.inspection import inspect_folder, write_inspection
from reproduce.datasets.load import DEDUP_POLICIES, preflight
from reproduce.datasets.sources import RESIZE_MODES
from reproduce.datasets.synthetic import is_synthetic
from reproduce.device.cli import register_device
from reproduce.engine.config import APPROACH_LABELS, APPROACHES, PretrainRecipe
from reproduce.engine.device import resolve_device
from reproduce.engine.env import choose_threads
from reproduce.engine.plan import (
    PlannedRun,
    Suite,
    load_suite,
    packaged_profiles,
    parse_shard,
    run_configs,
)
from reproduce.results.collect import collect
from reproduce.results.status import plan_frame, status_frame
from review.errors import InputError
from review.output import FORMATS, write_frame
from review.paths import where


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``reproduce`` group to the CLI."""
    p = sub.add_parser(
        "reproduce",
        help="rerun the review's transfer-learning configurations on real data",
        description="Data sets, source models, and resumable suites of transfer-learning runs.",
    )
    s = p.add_subparsers(dest="command", metavar="SUBCOMMAND", required=True)

    d = s.add_parser(
        "datasets",
        help="list the registered data sets, or inspect folder:PATH",
        description="Without an argument: the registered data sets and where each is found "
        "(compact; --all for every column). With folder:PATH: what the loader will make of "
        "your own images (classes, counts, the split it would draw, exact and near "
        "duplicates per split and class, sizes, modes and bit depths, resizing).",
    )
    d.add_argument("target", nargs="?", help="folder:PATH of your own images (optional)")
    d.add_argument("--all", action="store_true", help="every column of the registry")
    d.add_argument("--resize", choices=RESIZE_MODES, default="squash", help=RESIZE_HELP)
    d.add_argument("--dedup", choices=DEDUP_POLICIES, default="exact", help=DEDUP_HELP)
    d.add_argument("--split-seed", type=int, default=0, help="seed of a drawn split")
    d.add_argument("--format", choices=FORMATS, default="table", help="output format")
    d.set_defaults(func=_datasets)

    f = s.add_parser(
        "fetch",
        help="download a data set or an architecture's ImageNet weights (checksum-verified)",
        description="Download from the official source and verify the published checksum "
        "(MedMNIST from Zenodo, torchvision and SqueezeNet weights); resumable and atomic. "
        "Prints instructions where a login is needed (BUSI, brain MRI, CIFAR-10 zip).",
    )
    f.add_argument("target", help="data set (e.g. pneumoniamnist) or architecture (resnet18)")
    f.add_argument("--quiet", action="store_true", help="no progress output")
    f.set_defaults(func=_fetch)

    m = s.add_parser("models", help="list the registered source models")
    m.add_argument("--all", action="store_true", help="every column (default: a compact view)")
    m.add_argument("--format", choices=FORMATS, default="table", help="output format")
    m.set_defaults(func=_models)

    r = s.add_parser(
        "run",
        help="run a suite profile (skips completed runs)",
        description="Run a suite profile. Example: tlreview reproduce run guideline "
        "--profile smoke --device cpu. Shard a sweep over machines with --shard i/n "
        "(0 <= i < n); results merge by run id.",
    )
    _suite_args(r)
    r.add_argument(
        "--dataset",
        help="data set of every run: a registered name or folder:PATH (your own images)",
    )
    r.add_argument(
        "--approach",
        choices=APPROACHES,
        help="approach of every run: "
        + "; ".join(f"{a} = {APPROACH_LABELS.get(a, a)}" for a in APPROACHES),
    )
    r.add_argument("--arch", help="architecture of every run (see `tlreview reproduce models`)")
    r.add_argument("--dedup", choices=DEDUP_POLICIES, default=None, help=DEDUP_HELP)
    r.add_argument("--resize", choices=RESIZE_MODES, default=None, help=RESIZE_HELP)
    r.add_argument("--shard", metavar="I/N", help="run only shard I of N (0-based)")
    r.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (default auto)")
    r.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch CPU threads (default: chosen from the CPUs and their load, printed)",
    )
    r.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="override a config field in every run (repeatable), e.g. epochs=1",
    )
    r.add_argument(
        "--keep-model",
        action="store_true",
        help="save the trained model in each run folder (model.pt / model.pkl)",
    )
    r.add_argument("--force", action="store_true", help="rerun completed runs")
    r.add_argument("--dry-run", action="store_true", help="list the runs, run nothing")
    r.add_argument("--quiet", action="store_true", help="no progress bars")
    r.add_argument(
        "--runs-dir",
        type=Path,
        default=None,
        help="runs root (default TLREVIEW_RUNS_DIR, else a per-user folder; printed)",
    )
    r.add_argument("--format", choices=FORMATS, default="table", help="output format of --dry-run")
    r.set_defaults(func=_run)

    st = s.add_parser("status", help="state of every run of a suite profile")
    _suite_args(st)
    st.add_argument("--shard", metavar="I/N", help="only shard I of N")
    st.add_argument("--set", dest="sets", action="append", default=[], metavar="FIELD=VALUE")
    st.add_argument("--runs-dir", type=Path, default=None)
    st.add_argument("--format", choices=FORMATS, default="table", help="output format")
    st.set_defaults(func=_status)

    c = s.add_parser("collect", help="write the tidy results table of a suite")
    c.add_argument("suite", help="suite name (reproduce/suites/NAME.yaml) or YAML path")
    c.add_argument(
        "--profile",
        default=None,
        help="keep only this profile's runs (default: every run of the suite)",
    )
    c.add_argument("--set", dest="sets", action="append", default=[], metavar="FIELD=VALUE")
    c.add_argument("--out", type=Path, default=None, help="output folder (default results/SUITE)")
    c.add_argument(
        "--predictions",
        action="store_true",
        help="also write every run's per-sample test predictions",
    )
    c.add_argument(
        "--runs-dir",
        type=Path,
        action="append",
        default=None,
        help="runs root (default TLREVIEW_RUNS_DIR or runs/); repeat it to merge the runs "
        "folders of several machines or clusters (one row per run id)",
    )
    c.add_argument(
        "--force", action="store_true", help="replace an existing table even if rows are lost"
    )
    c.add_argument(
        "--allow-missing",
        action="store_true",
        help="leave out planned runs that have no folder (corrupt runs still fail)",
    )
    c.set_defaults(func=_collect)

    pt = s.add_parser("pretrain", help="pretrain an architecture on CIFAR-10 (cifar10 source)")
    pt.add_argument("arch", help="architecture name (see `tlreview reproduce models`)")
    recipe = PretrainRecipe()
    for f in dataclasses.fields(PretrainRecipe):
        pt.add_argument(
            f"--{f.name.replace('_', '-')}",
            type=type(getattr(recipe, f.name)),
            default=None,
            help=f"recipe field (default {getattr(recipe, f.name)!r}, as PretrainRecipe)",
        )
    pt.add_argument("--device", default="auto")
    pt.add_argument(
        "--out",
        type=Path,
        default=None,
        help="checkpoint path (default cache/pretrained/ARCH-cifar10.pt)",
    )
    pt.add_argument("--quiet", action="store_true")
    pt.set_defaults(func=_pretrain)

    register_attack(s)
    register_device(s)
    register_submit(s)
    register_verdicts(s)


def _suite_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("suite", help="suite name (reproduce/suites/NAME.yaml) or YAML path")
    listed = "; ".join(f"{k}: {', '.join(v)}" for k, v in packaged_profiles().items())
    p.add_argument(
        "--profile", default="smoke", help=f"profile of the suite (default smoke). {listed}"
    )


RESIZE_HELP = (
    "how non-square images become square: squash (default; aspect ratio not kept), pad "
    "(black bands), crop (centre square)"
)
DEDUP_HELP = (
    "duplicates across splits: exact (default) removes exact copies of earlier-split images "
    "from val/test, strict also removes near duplicates, off keeps all (all are reported)"
)


def _datasets(args: argparse.Namespace) -> int:
    if args.target:
        if not args.target.startswith("folder:"):
            raise InputError(
                f"datasets {args.target!r}: expected folder:PATH (a folder of class sub-folders);"
                " without an argument the registered data sets are listed"
            )
        ins = inspect_folder(
            args.target, seed=args.split_seed, resize=args.resize, dedup=args.dedup
        )
        write_inspection(ins, args.format)
        return 0
    frame = describe_datasets()
    write_frame(frame if args.all else frame.select(COMPACT_COLUMNS), args.format)
    if not args.all and args.format == "table":
        print("(--all for every column: source, checksums, licence, citation)", file=sys.stderr)
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from reproduce.fetch import fetch  # torch: weights are planned from the model registry

    fetch(args.target, quiet=args.quiet)
    return 0


def _models(args: argparse.Namespace) -> int:
    from reproduce.models.describe import describe_models  # torch: the model registry

    frame = describe_models()
    write_frame(frame if args.all else frame.select(MODEL_COLUMNS), args.format)
    if not args.all and args.format == "table":
        print("(--all for every column: provenance, checksums, preprocessing)", file=sys.stderr)
    return 0


#: Columns of the default view of ``tlreview reproduce models``.
MODEL_COLUMNS = (
    "arch",
    "display_name",
    "category",
    "feature_dim",
    "n_blocks",
    "default_resolution",
    "source",
    "imagenet_top1",
    "available",
)


def _plan(args: argparse.Namespace) -> tuple[Suite, list[PlannedRun]]:
    shard = parse_shard(getattr(args, "shard", None))
    sets = list(args.sets)
    for field in ("dataset", "approach", "arch", "dedup", "resize"):
        value = getattr(args, field, None)
        if value is not None:
            sets.append(f"{field}={value}")
    return run_configs(args.suite, args.profile, sets=sets, shard=shard)


def _run(args: argparse.Namespace) -> int:
    from reproduce.engine.execute import run_suite  # torch: imported when a run starts

    suite, planned = _plan(args)
    if args.dry_run:
        write_frame(plan_frame(planned, suite=suite.name, runs_root=args.runs_dir), args.format)
        return 0
    device = resolve_device(args.device)
    # every data set is located, checksummed and decoded once, before any run starts
    for mode in sorted({p.config.resize or "squash" for p in planned}):
        names = [p.config.dataset for p in planned if (p.config.resize or "squash") == mode]
        preflight([n for n in names if not is_synthetic(n)], resize=mode)
    print(
        f"{suite.name}/{args.profile}: {len(planned)} run(s) on {device}"
        f"{'' if not args.shard else f' (shard {args.shard})'}",
        file=sys.stderr,
    )
    print(where("runs") if args.runs_dir is None else f"runs: {args.runs_dir}", file=sys.stderr)
    print(where("cache"), file=sys.stderr)
    if device == "cpu":
        import torch  # the engine's dependency, already imported by run_suite

        threads, why = choose_threads(args.threads)
        torch.set_num_threads(threads)
        print(why, file=sys.stderr)
    outcomes = run_suite(
        planned,
        suite=suite.name,
        runs_root=args.runs_dir,
        device=device,
        keep_model=args.keep_model,
        quiet=args.quiet,
        force=args.force,
    )
    n = {s: sum(o.status == s for o in outcomes) for s in ("ok", "skipped", "error")}
    print(
        f"done: {n['ok']} ran, {n['skipped']} already complete, {n['error']} failed",
        file=sys.stderr,
    )
    # the results go to standard output (the run lines above went to standard error)
    frame = status_frame(planned, suite=suite.name, runs_root=args.runs_dir)
    labels = [APPROACH_LABELS.get(a, a) for a in frame["approach"].to_list()]
    frame = frame.with_columns(pl.Series("approach_label", labels, dtype=pl.String))
    cols = ["run_id", "dataset", "arch", "source", "approach_label", "k_blocks", "seed"]
    cols += ["state", "auc_macro_ovr", "wall_s", "error"]
    write_frame(frame.select(cols), args.format)
    return 1 if n["error"] else 0


def _status(args: argparse.Namespace) -> int:
    suite, planned = _plan(args)
    frame = status_frame(planned, suite=suite.name, runs_root=args.runs_dir)
    # A profile submitted as a job array: its jobs' states next to the runs'.
    frame = add_job_columns(frame, suite.name, args.profile, args.sets, args.runs_dir)
    write_frame(frame, args.format)
    return 0


def _collect(args: argparse.Namespace) -> int:
    suite = load_suite(args.suite)
    run_ids = None
    if args.profile:
        _, planned = run_configs(args.suite, args.profile, sets=args.sets)
        run_ids = [p.run_id for p in planned]
    df, written = collect(
        suite.name,
        out_dir=args.out,
        runs_root=args.runs_dir,
        run_ids=run_ids,
        predictions=args.predictions,
        force=args.force,
        allow_missing=args.allow_missing,
    )
    counts = df.group_by("status").len().sort("status").rows() if df.height else []
    print(
        f"{df.height} run(s) ({', '.join(f'{s}: {n}' for s, n in counts) or 'none'})",
        file=sys.stderr,
    )
    for p in written:
        print(p)
    return 0


def _pretrain(args: argparse.Namespace) -> int:
    from reproduce.models.pretrain import pretrain_cifar10  # torch: imported when it starts

    changes = {
        f.name: getattr(args, f.name)
        for f in dataclasses.fields(PretrainRecipe)
        if getattr(args, f.name) is not None
    }
    path, acc = pretrain_cifar10(
        args.arch,
        PretrainRecipe(**changes),
        device=resolve_device(args.device),
        out=args.out,
        quiet=args.quiet,
    )
    print(f"{args.arch}: CIFAR-10 test accuracy {acc:.4f}; checkpoint {path}")
    return 0
