"""``tlreview analyze`` and ``tlreview meta`` (statistics of the study table)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import re
import stat
import statistics
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
    "trimfill_estimate", "leave1out_estimate", "notes",
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


#: Accepted magnitudes: larger effects or variances outside this range would overflow the
#: double-precision sums of squared weighted residuals (w² r² up to 1e120 stays finite).
YI_MAX_ABS = 1e30
VI_RANGE = (1e-30, 1e30)
#: Largest accepted ratio of the largest to the smallest sampling variance (tested: random sets
#: up to this ratio always fit; one study then outweighs another by 1e16, the precision of a
#: double).
VI_MAX_RATIO = 1e16
#: A number as a CSV cell may hold it: ASCII digits only (no ``0_5``, no full-width digits).
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _check_regular_file(p: Path, what: str) -> None:
    """A one-line error unless ``p`` is a regular file (checked with stat, before any open,
    so that a FIFO cannot block the command)."""
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(f"{p}: file not found; expected {what}") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror}); expected {what}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{p}: is a directory; expected {what}")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{p}: not a regular file (a pipe, socket or device); expected {what}")


def read_effect_sizes(path: str | Path, yi: str, vi: str) -> tuple[list[float], list[float]]:
    """Read and check the ``yi`` and ``vi`` columns of a CSV file.

    Parameters
    ----------
    path
        CSV file (UTF-8) with a header row.
    yi, vi
        Column names (two different columns).

    Returns
    -------
    yi, vi : list of float

    Raises
    ------
    InputError
        Listing every problem: a missing, unreadable or non-regular file, a file that is not
        UTF-8 text, the same or a duplicated column name, a missing column, a value that is not
        a finite number written with ASCII digits (``0_5`` is refused), an effect beyond
        ±:data:`YI_MAX_ABS`, a sampling variance that is not positive or lies outside
        :data:`VI_RANGE` (each naming file, row and column; the header is row 1 and blank lines
        count as rows, as a spreadsheet shows them), variances spanning more than
        :data:`VI_MAX_RATIO`, or no rows at all.
    """
    p = Path(path)
    want = f"a CSV file with columns {yi!r} and {vi!r}"
    if yi == vi:
        raise InputError(f"--yi and --vi both name column {yi!r}; expected two different columns")
    _check_regular_file(p, want)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror}); expected {want}") from None
    if b"\x00" in data:
        row = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(f"{p}, row {row}: a NUL byte (a binary file?); expected {want}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise InputError(
            f"{p}, row {row}: byte 0x{bad} is not UTF-8; expected {want} encoded as UTF-8 "
            "(re-save it as UTF-8)"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{p}: the file is empty; expected a header row with {yi!r} and "
                         f"{vi!r}") from None  # fmt: skip
    except csv.Error as exc:
        raise InputError(f"{p}, row 1: not valid CSV ({exc}); expected {want}") from None
    dups = sorted({c for c in header if header.count(c) > 1})
    if dups:
        raise InputError("\n".join(
            f"{p}, row 1: column {c!r} appears {header.count(c)} times; expected each column "
            "name once" for c in dups
        ))  # fmt: skip
    missing = [c for c in (yi, vi) if c not in header]
    if missing:
        raise InputError("\n".join(
            f"{p}, row 1: no column {c!r}; columns are: {', '.join(header)}" for c in missing
        ))  # fmt: skip
    iy, iv = header.index(yi), header.index(vi)
    ys, vs, problems, rows = [], [], [], []
    row_no = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"{p}, row {row_no + 1}: not valid CSV ({exc})") from None
        row_no += 1
        if not row:
            continue
        vals = []
        for col, idx, is_var in ((yi, iy, False), (vi, iv, True)):
            raw = row[idx] if idx < len(row) else ""
            why = _number_problem(raw.strip(" "), is_var)
            if why:
                problems.append(f"{p}, row {row_no}, column {col!r}: got {raw!r}; expected {why}")
            else:
                vals.append(float(raw))
        if len(vals) == 2:
            ys.append(vals[0])
            vs.append(vals[1])
            rows.append(row_no)
    if problems:
        raise InputError("\n".join(problems))
    if not ys:
        raise InputError(f"{p}: no rows; expected at least 1 row with effect sizes to pool")
    lo, hi = min(range(len(vs)), key=vs.__getitem__), max(range(len(vs)), key=vs.__getitem__)
    if vs[hi] / vs[lo] > VI_MAX_RATIO:
        raise InputError(
            f"{p}, column {vi!r}: the sampling variances span {vs[hi] / vs[lo]:.1e} (row "
            f"{rows[lo]}: {vs[lo]!r}, row {rows[hi]}: {vs[hi]!r}); expected at most "
            f"{VI_MAX_RATIO:.0e} between the largest and the smallest (double precision cannot "
            "weigh studies further apart)"
        )
    return ys, vs


def _number_problem(raw: str, is_var: bool) -> str | None:
    """What was expected if ``raw`` is not an acceptable effect or variance, else ``None``."""
    if not _NUMBER.fullmatch(raw):
        return "a number (ASCII digits, e.g. 0.25 or -1.5e-3)"
    x = float(raw)
    if not math.isfinite(x):
        return "a finite number"
    if not is_var:
        return None if abs(x) <= YI_MAX_ABS else f"an effect size within ±{YI_MAX_ABS:.0e}"
    if x <= 0:
        return "a positive sampling variance"
    lo, hi = VI_RANGE
    if not lo <= x <= hi:
        return f"a sampling variance within [{lo:.0e}, {hi:.0e}] (rescale the effect sizes)"
    return None


#: The secondary analyses of ``tlreview meta`` and the keys each one fills.
SECONDARY: dict[str, tuple[str, ...]] = {
    "egger": ("egger_z", "egger_p"),
    "begg": ("begg_tau", "begg_p"),
    "trimfill": ("trimfill_k0", "trimfill_side", "trimfill_estimate"),
    "leave1out": ("leave1out_estimate",),
}


def meta_summary(yi: list[float], vi: list[float], method: str = "REML", test: str = "z"
                 ) -> dict[str, object]:  # fmt: skip
    """The ``tlreview meta`` result as a dict with the keys of :data:`META_KEYS`.

    The pooled estimate is always computed (any k >= 1 with finite positive variances). Each
    secondary analysis (Egger-type regression test, Begg's rank test, trim-and-fill,
    leave-one-out) is computed on its own; one that cannot be computed for these data is
    ``None`` and ``notes[<analysis>]`` says why, as metafor reports such a case.

    Parameters
    ----------
    yi, vi
        Effect sizes and sampling variances (k >= 1).
    method, test
        As in :func:`review.stats.meta.rma`.

    Returns
    -------
    dict
        ``tau2`` and its CI, the I² CI and the prediction interval are ``None`` for ``FE``;
        the secondary analyses are ``None`` when k < 3; ``notes`` maps an analysis
        (``heterogeneity``, ``egger``, ``begg``, ``trimfill``, ``leave1out``, ``model``) to
        the reason it is missing or was changed.
    """

    scale = _scale_of(vi)
    if scale != 1.0:  # a power of two: exact, and undone below (z, p, I², H² do not change)
        yi = [y / scale for y in yi]
        vi = [v / scale**2 for v in vi]
    fit = rma(yi, vi, method=method, test=test)
    notes: dict[str, str] = {}
    if fit.notes:
        notes["model"] = "; ".join(fit.notes)
    row = pool_row(fit)
    if method != "FE" and fit.k >= 2 and row["tau2_ci_low"] is None:
        notes["heterogeneity"] = "not computed: the Q-profile bounds of tau2 could not be solved"
    out: dict[str, object] = {key: row.get(key) for key in META_KEYS}
    out.update(k=fit.k, method=method, test=fit.test)
    if fit.k < 3:
        for name, keys in SECONDARY.items():
            out.update(dict.fromkeys(keys))
            notes[name] = f"not computed: needs at least 3 studies, got k = {fit.k}"
        if fit.k == 1 and method != "FE":
            notes["heterogeneity"] = "not computed: k = 1"
    else:
        rt, why = bias.attempt(bias.regtest, fit)
        out.update(egger_z=rt and rt["stat"], egger_p=rt and rt["p_val"])
        if why:
            notes["egger"] = why
        rk, why = bias.attempt(bias.ranktest, fit)
        out.update(begg_tau=rk and rk["tau"], begg_p=rk and rk["p_val"])
        if why:
            notes["begg"] = why
        tf, why = bias.attempt(bias.trimfill, fit)
        out.update(
            trimfill_k0=tf and tf.k0, trimfill_side=tf and tf.side,
            trimfill_estimate=tf and float(tf.fit.beta[0]),
        )  # fmt: skip
        if why:
            notes["trimfill"] = why
        l1o, why = bias.attempt(bias.leave_one_out, fit)
        out["leave1out_estimate"] = None if l1o is None else l1o["estimate"].to_list()
        if why:
            notes["leave1out"] = why
    for key, val in out.items():
        if isinstance(val, float) and not math.isfinite(val):
            out[key] = None
        elif isinstance(val, list):
            out[key] = [x if math.isfinite(x) else None for x in val]
    for name, keys in SECONDARY.items():
        if name not in notes and any(out[key] is None for key in keys):
            notes[name] = "not computed: the result is not a finite number"
    if scale != 1.0:
        for key in LINEAR_KEYS:
            if isinstance(out[key], float):
                out[key] *= scale
            elif isinstance(out[key], list):
                out[key] = [None if x is None else x * scale for x in out[key]]
        for key in ("tau2", "tau2_ci_low", "tau2_ci_high"):
            if isinstance(out[key], float):
                out[key] *= scale**2
    out["notes"] = notes
    return out


#: Keys of :data:`META_KEYS` on the scale of the effect sizes (the others are tau² on the
#: squared scale, or free of the scale).
LINEAR_KEYS: tuple[str, ...] = (
    "estimate", "se", "ci_low", "ci_high", "pi_low", "pi_high", "trimfill_estimate",
    "leave1out_estimate",
)  # fmt: skip


def _scale_of(vi: list[float]) -> float:
    """1, or the power of two near ``sqrt(median(vi))`` when that median lies outside
    1e-8..1e8: the analysis is run on ``yi / s`` and ``vi / s²`` so that the weights stay far
    from overflow and underflow, and the results are scaled back exactly."""
    med = statistics.median(vi)
    if 1e-8 <= med <= 1e8:
        return 1.0
    return 2.0 ** round(math.log2(math.sqrt(med)))


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
                return "[" + ", ".join("null" if x is None else f"{x:.6g}" for x in v) + "]"
            if isinstance(v, dict):
                return "; ".join(f"{k}: {x}" for k, x in v.items()) or "none"
            return f"{v:.6g}" if isinstance(v, float) else str(v)

        frame = pl.DataFrame({"key": list(res), "value": [show(v) for v in res.values()]})
        write_frame(frame, "table")
    return 0
