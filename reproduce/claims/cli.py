"""``tlreview reproduce verdicts SUITE``: decide a suite's pre-registered claims from its results.

Writes ``verdicts.csv`` (one row per claim; v2: per claim and operating point) and
``effects.csv`` (per claim and data set, for forest plots) for the registrations ``v1``, ``v2``
and the follow-up file ``later`` (``claims_later.yaml``: the later designs, decided by the v2
rules, ``tlreview reproduce verdicts later_designs --claims later``); the verdicts list the
amendments applied to each claim. Amendment A1 reads test predictions from ``results/<suite>/
predictions.parquet`` (``tlreview reproduce collect SUITE --predictions``), else from the run
folders under the runs directory. The v1 pilot's committed
``results/<suite>/verdicts.csv`` is never overwritten by default: a v1 recomputation goes to
``results/<suite>/recomputed/``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import polars as pl

from reproduce.claims.bootstrap import PredictionStore
from reproduce.claims.claim import load_claim_set
from reproduce.claims.pilot import evaluate_v1, pilot_effects
from reproduce.claims.pooled import evaluate_v2
from reproduce.engine.io import atomic_write_text
from review import paths
from review.errors import InputError
from review.output import FORMATS, write_frame

__all__ = ["register_verdicts", "claims_file", "read_results", "verdicts_command"]

_HERE = Path(__file__).resolve().parent


#: The committed claims file of each registration (``--claims``).
CLAIMS_FILES: dict[str, str] = {
    "v1": "claims.yaml",
    "v2": "claims_v2.yaml",
    "later": "claims_later.yaml",
}
#: Registrations decided by the v2 engine (data sets pooled by review.stats).
POOLED = ("v2", "later")


def claims_file(version: str) -> Path:
    """The committed claims file of a registration (``v1``, ``v2``, ``later``), wherever it sits."""
    name = CLAIMS_FILES[version]
    for p in (_HERE / name, _HERE.parent / name):
        if p.is_file():
            return p
    raise InputError(f"{name}: the {version} claims file is not in {_HERE} or {_HERE.parent}")


def read_results(path: Path) -> pl.DataFrame:
    """A suite's tidy results: ``results.parquet`` / ``.csv``, or a folder holding one.

    Raises
    ------
    InputError
        The path does not exist or is not a parquet/CSV table.
    """
    if path.is_dir():
        for name in ("results.parquet", "results.csv"):
            if (path / name).is_file():
                return read_results(path / name)
        raise InputError(f"{path}: no results.parquet or results.csv in this folder")
    if not path.is_file():
        raise InputError(f"{path}: results file not found")
    try:
        if path.suffix == ".parquet":
            return pl.read_parquet(path)
        if path.suffix == ".csv":
            return pl.read_csv(path, infer_schema_length=None)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(f"{path}: not a readable table ({exc})") from exc
    raise InputError(f"{path}: expected a .parquet or .csv results table")


def _shown(path: Path) -> str:
    """``path`` relative to the project root when inside it (no local paths in outputs)."""
    root = _HERE.parents[1]
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def _source_accuracy(folder: Path) -> dict[str, float]:
    """CIFAR-10 test accuracy per architecture from ``pretrain_cifar10.json`` beside the results."""
    f = folder / "pretrain_cifar10.json"
    if not f.is_file():
        return {}
    try:
        items = json.loads(f.read_text(encoding="utf-8"))
        return {str(x["arch"]): float(x["test_accuracy"]) for x in items}
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{f}: expected a list of {{arch, test_accuracy}} ({exc})") from exc


def verdicts_command(
    suite: str,
    version: str | None = None,
    results: Path | None = None,
    out: Path | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, list[Path]]:
    """Decide ``suite``'s claims (:func:`decide_claims`) and write ``verdicts.csv`` and
    ``effects.csv``.

    Parameters
    ----------
    suite
        ``guideline``, ``uap`` (v1), ``guideline_v2``, ``uap_v2`` (v2) or ``later_designs``
        (later); with ``version="v2"`` ``guideline`` means ``guideline_v2``.
    version
        ``v1``, ``v2`` or ``later``; default from the suite name (``*_v2``: v2; a suite of
        ``claims_later.yaml``: later; else v1).
    results
        The results table or its folder; default ``results/<suite>/``. A missing default means
        the suite has not run: every claim is ``not_run``.
    out
        Output folder; default ``results/<suite>/`` (v2) or ``results/<suite>/recomputed/`` (v1).

    Returns
    -------
    (verdicts, effects, written)
    """
    verdicts, effects, out_default = decide_claims(suite, version, results)
    out = out or out_default
    written = [
        atomic_write_text(out / "verdicts.csv", verdicts.write_csv()),
        atomic_write_text(out / "effects.csv", effects.write_csv()),
    ]
    return verdicts, effects, written


def decide_claims(
    suite: str, version: str | None = None, results: Path | None = None
) -> tuple[pl.DataFrame, pl.DataFrame, Path]:
    """``suite``'s verdicts and per-data-set effects, and the folder they belong in (parameters
    as :func:`verdicts_command`; nothing is written).

    Returns
    -------
    (verdicts, effects, default output folder)
    """
    if version is None:
        later = load_claim_set(claims_file("later")).suites
        version = "v2" if suite.endswith("_v2") else "later" if suite in later else "v1"
    if version not in CLAIMS_FILES:
        raise InputError(f"--claims {version!r}: expected one of {', '.join(CLAIMS_FILES)}")
    cs = load_claim_set(claims_file(version))
    if version == "v2" and suite not in cs.suites and f"{suite}_v2" in cs.suites:
        suite = f"{suite}_v2"
    if suite not in cs.suites:
        raise InputError(f"suite {suite!r}: no {version} claim decides it; expected one of "
                         f"{', '.join(cs.suites)}")  # fmt: skip
    default_folder = paths.results_dir() / suite
    if results is None:
        folder = default_folder
        have = any((folder / n).is_file() for n in ("results.parquet", "results.csv"))
        df = read_results(folder) if have else pl.DataFrame()
        what = _shown(folder)
    else:
        df = read_results(results)
        folder = results if results.is_dir() else results.parent
        what = _shown(results)
    if version in POOLED:
        store = PredictionStore(folder / "predictions.parquet", paths.runs_dir() / suite)
        verdicts, effects = evaluate_v2(df, cs, suite, source_accuracy=_source_accuracy(folder),
                                        what=what, predictions=store)  # fmt: skip
        return verdicts, effects, default_folder
    verdicts = evaluate_v1(df, cs, suite, what)
    effects = pilot_effects(df, cs, suite, what)
    return verdicts, effects, default_folder / "recomputed"


def register_verdicts(sub: argparse._SubParsersAction) -> None:
    """Add ``verdicts`` to the ``reproduce`` group."""
    v = sub.add_parser(
        "verdicts",
        help="decide a suite's pre-registered claims (writes verdicts.csv and effects.csv)",
        description="Decide the claims of SUITE from its collected results. Example: tlreview "
        "reproduce verdicts guideline_v2 (v2: data sets pooled by REML + Knapp-Hartung); "
        "tlreview reproduce verdicts later_designs --claims later (the later designs' claims, "
        "v2 rules); "
        "tlreview reproduce verdicts guideline --claims v1 (the pilot's rules, written to "
        "results/guideline/recomputed/ so the committed pilot stays).",
    )
    v.add_argument("suite", help="guideline, uap (v1), guideline_v2, uap_v2 (v2) or "
                   "later_designs (later)")  # fmt: skip
    v.add_argument("--claims", choices=tuple(CLAIMS_FILES), default=None,
                   help="registration (default: v2 for *_v2 suites, later for later_designs, "
                   "else v1)")  # fmt: skip
    v.add_argument("--results", type=Path, default=None,
                   help="results table or folder (default results/SUITE/)")  # fmt: skip
    v.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default results/SUITE/, v1: results/SUITE/recomputed/)",
    )
    v.add_argument("--format", choices=FORMATS, default="table", help="format of the summary")
    v.set_defaults(func=_verdicts)


def _verdicts(args: argparse.Namespace) -> int:
    verdicts, _, written = verdicts_command(args.suite, args.claims, args.results, args.out)
    cols = [c for c in ("claim_id", "analysis", "verdict", "robust", "estimate", "ci_low",
                        "ci_high", "pi_low", "pi_high", "k_datasets", "n_pairs", "amendments")
            if c in verdicts.columns]  # fmt: skip
    write_frame(verdicts.select(cols), args.format)
    for p in written:
        print(p, file=sys.stderr)
    return 0
