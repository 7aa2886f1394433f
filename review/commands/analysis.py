"""``tlreview analyze`` and ``tlreview meta`` (statistics of the study table)."""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import warnings
from pathlib import Path

import polars as pl

from review.errors import InputError
from review.output import write_frame
from review.stats import bias
from review.stats.analyze import AnalysisConfig, analyze
from review.stats.bias import MIN_K_WARNING
from review.stats.meta import METHODS, TESTS, pool_row, rma
from review.studies import load_studies

#: The one source of the statistics defaults: ``analyze`` and ``meta`` fall through to it.
DEFAULT = AnalysisConfig()

#: Keys of the ``tlreview meta`` JSON object, in order (the CLI contract).
META_KEYS: tuple[str, ...] = (
    "k", "method", "test", "estimate", "se", "ci_low", "ci_high", "p_val", "tau2", "tau2_ci_low",
    "tau2_ci_high", "i2", "i2_ci_low", "i2_ci_high", "h2", "q", "q_p", "pi_low", "pi_high",
    "egger_z", "egger_p", "begg_tau", "begg_p", "trimfill_k0", "trimfill_side",
    "trimfill_estimate", "leave1out_estimate",
)  # fmt: skip


def register(sub: argparse._SubParsersAction) -> None:
    """Add the statistics commands (``analyze``, ``meta``) to the CLI."""

    a = sub.add_parser(
        "analyze", help="run every statistical analysis of the study table",
        description="Run the descriptives, trend tests, regressions, association tests and "
        "meta-analyses on a study table; write every table (CSV and parquet) and figure (PNG) "
        "to DIR with a manifest.csv and config.json.",
    )  # fmt: skip
    a.add_argument(
        "--studies",
        metavar="PATH",
        default=None,
        help="study table CSV (default: the committed data/studies.csv)",
    )
    a.add_argument("--out", metavar="DIR", required=True, help="output folder")
    a.add_argument(
        "--method",
        choices=METHODS,
        default=None,
        help=f"tau^2 estimator (default {DEFAULT.method})",
    )
    a.add_argument(
        "--test", choices=TESTS, default=None, help=f"z or Knapp-Hartung (default {DEFAULT.test})"
    )
    a.add_argument("--no-figures", action="store_true", help="write the tables only")
    a.set_defaults(func=_analyze)

    m = sub.add_parser(
        "meta", help="pool a generic effect-size table (as R metafor's rma)",
        description="Pool effect sizes and sampling variances from a CSV file: estimate, "
        "heterogeneity with Q-profile CIs, prediction interval, Egger-type and Begg tests, "
        "trim-and-fill and leave-one-out, computed as R's metafor does. Keys that do not "
        "apply to a method are null; I2 is in percent; under --test knha egger_z is a t value.",
    )  # fmt: skip
    m.add_argument("file", metavar="FILE.csv", help="CSV with one row per study")
    m.add_argument("--yi", required=True, metavar="COL", help="effect-size column")
    m.add_argument("--vi", required=True, metavar="COL", help="sampling-variance column")
    m.add_argument(
        "--method",
        choices=METHODS,
        default=None,
        help=f"tau^2 estimator (default {DEFAULT.method})",
    )
    m.add_argument(
        "--test", choices=TESTS, default=None, help=f"z or Knapp-Hartung (default {DEFAULT.test})"
    )
    m.add_argument("--format", choices=("json", "table"), default="json", help="output format")
    m.set_defaults(func=_meta)


def _analyze(args: argparse.Namespace) -> int:

    studies = load_studies(args.studies)
    cfg = AnalysisConfig(
        method=args.method or DEFAULT.method,
        test=args.test or DEFAULT.test,
        figures=not args.no_figures,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warnings are written into the tables' notes
        manifest = analyze(studies, args.out, cfg)
    write_frame(manifest, "table")
    print(f"wrote {manifest.filter(manifest['path'].is_not_null()).height} files to {args.out}")
    return 0


def read_effect_sizes(path: str | Path, yi: str, vi: str) -> tuple[list[float], list[float]]:
    """Read and check the ``yi`` and ``vi`` columns of a CSV file.

    Parameters
    ----------
    path
        CSV file with a header row.
    yi, vi
        Column names.

    Returns
    -------
    yi, vi : list of float

    Raises
    ------
    InputError
        Listing every problem: a missing file or column, a value that is not a finite number,
        a sampling variance that is not positive (each naming file, row and column; the header
        is row 1), or fewer than two studies.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: file not found; expected a CSV file with columns {yi!r} and {vi!r}")
    with p.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{p}: the file is empty; expected a header row with {yi!r} and "
                             f"{vi!r}") from None  # fmt: skip
        except csv.Error as exc:
            raise InputError(f"{p}: not a valid CSV file ({exc})") from None
        missing = [c for c in (yi, vi) if c not in header]
        if missing:
            raise InputError("\n".join(
                f"{p}, row 1: no column {c!r}; columns are: {', '.join(header)}" for c in missing
            ))  # fmt: skip
        iy, iv = header.index(yi), header.index(vi)
        ys, vs, problems = [], [], []
        try:
            rows = list(reader)
        except csv.Error as exc:
            raise InputError(f"{p}: not a valid CSV file ({exc})") from None
    for r, row in enumerate(rows, start=2):
        if not row:
            continue
        vals = []
        for col, idx, positive in ((yi, iy, False), (vi, iv, True)):
            raw = row[idx] if idx < len(row) else ""
            try:
                x = float(raw)
                if not math.isfinite(x):
                    raise ValueError
            except ValueError:
                problems.append(f"{p}, row {r}, column {col!r}: got {raw!r}; expected a number")
                continue
            if positive and x <= 0:
                problems.append(f"{p}, row {r}, column {col!r}: got {raw!r}; expected a "
                                "positive sampling variance")  # fmt: skip
                continue
            vals.append(x)
        if len(vals) == 2:
            ys.append(vals[0])
            vs.append(vals[1])
    if problems:
        raise InputError("\n".join(problems))
    if len(ys) < 2:
        raise InputError(f"{p}: k = {len(ys)} stud{'y' if len(ys) == 1 else 'ies'}; expected at "
                         "least 2 rows with effect sizes to pool")  # fmt: skip
    return ys, vs


def meta_summary(yi: list[float], vi: list[float], method: str = "REML", test: str = "z"
                 ) -> dict[str, object]:  # fmt: skip
    """The ``tlreview meta`` result as a dict with the keys of :data:`META_KEYS`.

    Parameters
    ----------
    yi, vi
        Effect sizes and sampling variances (k >= 2).
    method, test
        As in :func:`review.stats.meta.rma`.

    Returns
    -------
    dict
        ``tau2`` and its CI, the I² CI and the prediction interval are ``None`` for ``FE``;
        the small-study tests, trim-and-fill and leave-one-out are ``None`` when k < 3.
    """

    fit = rma(yi, vi, method=method, test=test)
    row = pool_row(fit)
    out: dict[str, object] = {key: row.get(key) for key in META_KEYS}
    out.update(k=fit.k, method=method, test=test)
    for key in ("egger_z", "egger_p", "begg_tau", "begg_p", "trimfill_k0", "trimfill_side",
                "trimfill_estimate", "leave1out_estimate"):  # fmt: skip
        out[key] = None
    if fit.k >= 3:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", bias.SmallStudyWarning)
            rt, rk = bias.regtest(fit), bias.ranktest(fit)
        tf = bias.trimfill(fit)
        out.update(
            egger_z=rt["stat"], egger_p=rt["p_val"], begg_tau=rk["tau"], begg_p=rk["p_val"],
            trimfill_k0=tf.k0, trimfill_side=tf.side, trimfill_estimate=float(tf.fit.beta[0]),
            leave1out_estimate=bias.leave_one_out(fit)["estimate"].to_list(),
        )  # fmt: skip
    for key, val in out.items():
        if isinstance(val, float) and not math.isfinite(val):
            out[key] = None
    return out


def _meta(args: argparse.Namespace) -> int:

    yi, vi = read_effect_sizes(args.file, args.yi, args.vi)
    res = meta_summary(yi, vi, args.method or DEFAULT.method, args.test or DEFAULT.test)
    if 3 <= len(yi) < MIN_K_WARNING:
        print(
            f"warning: k = {len(yi)} < {MIN_K_WARNING}: the Egger-type and Begg tests have "
            "little power; interpret with caution",
            file=sys.stderr,
        )
    if args.format == "json":
        sys.stdout.write(json.dumps(res, indent=1) + "\n")
    else:

        def show(v: object) -> str:
            if v is None:
                return "null"
            if isinstance(v, list):
                return "[" + ", ".join(f"{x:.6g}" for x in v) + "]"
            return f"{v:.6g}" if isinstance(v, float) else str(v)

        frame = pl.DataFrame({"key": list(res), "value": [show(v) for v in res.values()]})
        write_frame(frame, "table")
    return 0
