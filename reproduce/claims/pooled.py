"""The v2 decision engine: data sets as the unit, pooled by random-effects meta-analysis.

How a v2 claim is decided (the header of ``claims_v2.yaml``, implemented here):

1. Rows: the suite's tidy results, ``status == ok``; for attack suites ``excluded`` victims are
   left out and listed, only untargeted rows count and each operating point is decided on its
   own (L-inf, eps_ratio 0.02: the primary verdict; L2, eps_ratio 0.04: the secondary one).
   BreastMNIST rows never enter (BUSI is the same 780 images). CIFAR-10 checkpoints below a
   claim's ``cifar10_min_test_accuracy`` are excluded and listed.
2. Pairs: arm a and arm b rows paired on ``pair_on`` (:func:`reproduce.claims.pairs.pair_cells`),
   several rows of one arm in a cell combined by ``aggregate_within_pair``; ``d = a - b`` (or
   ``log(a / b)``).
3. Per data set: the pair differences are averaged within each seed (over the other pair fields,
   e.g. two architectures), then the effect is their mean over seeds and its standard error
   ``sd / sqrt(n seeds)``. ``slope_negative``: the OLS slope of ``d`` on ``log(train_fraction)``
   within the data set (its own intercept) and the slope's standard error. ``within``: the
   metric minus the published value. Data sets with fewer than ``min_seeds`` seeds, or whose
   effect has no sampling variance, are left out and listed.
4. Pooled: :func:`review.stats.meta.pool` (REML, Knapp-Hartung, 95 %, prediction interval), the
   engine pinned to R's metafor. Fewer than ``min_datasets`` data sets: ``insufficient_data``.
   With ``min_datasets: 1`` and one data set, that data set's own t interval over seeds is the
   interval (there is nothing to pool; no prediction interval).
5. The decision rule on the pooled CI (and PI for ``robust``).

Amendments (``amendments:`` of the claims file, applied only to the claims they name):

- ``A2_full_training_set``: only rows with ``train_fraction == 1`` enter (step 1; how many rows
  were left out is in the note).
- ``A1_seed_invariant_arms``: a data set whose paired differences are identical over seeds (zero
  variance) takes as SE the standard deviation of its AUC difference over a paired bootstrap of
  the seed-0 runs' test images (:mod:`reproduce.claims.bootstrap`); its CI is then
  ``estimate +- z * se`` (normal quantile). Without A1 such a data set is left out (step 3).

A data set has zero variance when all its per-seed differences are equal; that is tested on the
differences themselves, because the floating-point SD of equal numbers need not be exactly 0.
The verdict row lists the amendments applied to the claim (``amendments``).

Follow-up files (``claims_later.yaml``: new claims under these rules, ``ClaimSet.rules == 2``)
differ in two points their header defines:

- ``b_best_of`` claims pair through :func:`reproduce.claims.pairs.pair_best_of`: arm b is, per
  data set and resolution (and under the approach ``b_same_approach`` maps the a approach to),
  the better of the a row's architectures on mean VALIDATION AUC; each fusion pair and approach
  is its own cell; the choices made are in the verdict's note.
- Step 3 is taken over the pair cells, not over seeds (``ClaimSet.effect_unit == "cell"``): the
  effect is the mean of the cells' differences, its SE their SD / sqrt(n cells), and a data set
  needs ``min_seeds`` cells.

:func:`evaluate_v2` returns two tidy frames: verdicts (:data:`VERDICT_SCHEMA`, one row per claim
and operating point) and per-data-set effects (:data:`EFFECT_SCHEMA`, for forest plots).
Log-ratio claims are reported on the ratio scale (``exp``) in both; ``se`` and ``tau2`` stay on
the log scale.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from scipy import stats

from reproduce.claims import bootstrap
from reproduce.claims.bootstrap import A1_RESAMPLES, A1_SEED, PredictionStore, paired_bootstrap_se
from reproduce.claims.claim import Claim, ClaimSet
from reproduce.claims.pairs import (
    add_derived_columns,
    describe_cells,
    pair_best_of,
    pair_cells,
    select_arm,
    t_interval,
)
from review.errors import InputError
from review.stats.meta import pool

__all__ = [
    "EFFECT_SCHEMA",
    "OPERATING_POINTS",
    "VERDICT_SCHEMA",
    "OperatingPoint",
    "decide",
    "evaluate_v2",
    "uap_pseudo_sources",
]

#: Data sets that never enter a pooled v2 claim, with the reason.
EXCLUDED_DATASETS: dict[str, str] = {
    "breastmnist": "the same 780 BUSI ultrasound images as busi (only busi enters v2 claims)",
}


@dataclass(frozen=True)
class OperatingPoint:
    """An attack budget at which a UAP claim is decided."""

    analysis: str
    norm: str
    eps_ratio: float


#: The UAP claims' operating points: the verdict at L-inf 2 %, L2 4 % beside it.
OPERATING_POINTS: tuple[OperatingPoint, ...] = (
    OperatingPoint("primary", "linf", 0.02),
    OperatingPoint("secondary", "l2", 0.04),
)

#: One row per claim and analysis.
VERDICT_SCHEMA: dict[str, Any] = {
    "claim_id": pl.String,
    "version": pl.Int64,
    "suite": pl.String,
    "analysis": pl.String,
    "verdict": pl.String,
    "robust": pl.Boolean,
    "estimate": pl.Float64,
    "se": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "pi_low": pl.Float64,
    "pi_high": pl.Float64,
    "tau2": pl.Float64,
    "conf_level": pl.Float64,
    "k_datasets": pl.Int64,
    "n_pairs": pl.Int64,
    "datasets": pl.String,
    "datasets_left_out": pl.String,
    "metric": pl.String,
    "scale": pl.String,
    "decision": pl.String,
    "margin": pl.Float64,
    "threshold": pl.Float64,
    "note": pl.String,
    "amendments": pl.String,
}

#: One row per claim, analysis and data set (left-out data sets included, with the reason).
EFFECT_SCHEMA: dict[str, Any] = {
    "claim_id": pl.String,
    "version": pl.Int64,
    "analysis": pl.String,
    "dataset": pl.String,
    "estimate": pl.Float64,
    "se": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "n_seeds": pl.Int64,
    "n_pairs": pl.Int64,
    "included": pl.Boolean,
    "reason": pl.String,
    "metric": pl.String,
    "scale": pl.String,
}

_UAP_CELL = ("dataset", "resolution", "arch", "approach", "source", "seed", "victim_run_id",
             "train_seed", "norm", "eps_ratio", "targeted", "target_class")  # fmt: skip
_NOISE = ("noise_white", "noise_lowpass")


def _flag(df: pl.DataFrame, col: str) -> pl.Expr:
    """A true/false column as booleans, whether stored as bool, number or text; null is false."""
    dtype = df.schema[col]
    if dtype == pl.Boolean:
        e = pl.col(col)
    elif dtype == pl.String:
        e = pl.col(col).str.strip_chars().str.to_lowercase().is_in(["true", "1", "yes"])
    else:
        e = pl.col(col).cast(pl.Float64, strict=False) != 0
    return e.fill_null(False)


def uap_pseudo_sources(rows: pl.DataFrame, metric: str = "fooling_rate") -> pl.DataFrame:
    """Append the pseudo sources ``noise_max`` and ``natural_minus_noise_max`` to attack rows.

    Per attack cell (the rows' identifying columns except ``uap_source``), ``noise_max`` is the
    higher ``metric`` of ``noise_white`` and ``noise_lowpass`` (a cell needs both), and
    ``natural_minus_noise_max`` is ``natural`` minus it (a cell needs all three).

    Returns
    -------
    polars.DataFrame
        ``rows`` with the pseudo rows appended (identifying columns and ``metric`` set; other
        columns null).
    """
    if "uap_source" not in rows.columns or metric not in rows.columns or rows.height == 0:
        return rows
    keys = [k for k in _UAP_CELL if k in rows.columns]
    wide = (
        rows.filter(pl.col("uap_source").is_in(["natural", *_NOISE]))
        .group_by([*keys, "uap_source"])
        .agg(pl.col(metric).mean())
        .pivot(on="uap_source", index=keys, values=metric)
    )
    for s in ("natural", *_NOISE):
        if s not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(s))
    nmax = wide.filter(pl.col("noise_white").is_not_null() & pl.col("noise_lowpass").is_not_null())
    nmax = nmax.with_columns(pl.max_horizontal(*_NOISE).alias("_max"))
    edge = nmax.filter(pl.col("natural").is_not_null())
    extra = pl.concat(
        [
            nmax.select(*keys, pl.lit("noise_max").alias("uap_source"),
                        pl.col("_max").alias(metric)),
            edge.select(*keys, pl.lit("natural_minus_noise_max").alias("uap_source"),
                        (pl.col("natural") - pl.col("_max")).alias(metric)),
        ]
    )  # fmt: skip
    if "status" in rows.columns:
        extra = extra.with_columns(pl.lit("ok").alias("status"))
    return pl.concat([rows, extra], how="diagonal_relaxed")


def decide(claim: Claim, ci_low: float, ci_high: float, pi_low: float | None,
           estimate: float) -> tuple[str, bool | None]:  # fmt: skip
    """The claims file's rule on the pooled interval (analysis scale: log for ratios).

    Returns
    -------
    (verdict, robust)
        ``robust`` (superiority, noninferiority) is true when the claim is supported and the
        prediction interval's lower end clears the same bound; ``None`` when the rule has no
        robustness clause or there is no prediction interval.
    """
    dec = claim.decision
    if dec in ("superiority", "noninferiority"):
        bound = 0.0 if dec == "superiority" else -float(claim.margin or 0.0)
        verdict = ("supported" if ci_low > bound else "contradicted" if ci_high < bound
                   else "inconclusive")  # fmt: skip
        robust = None if pi_low is None else bool(verdict == "supported" and pi_low > bound)
        return verdict, robust
    if dec == "below":
        t = math.log(float(claim.threshold))
        return ("supported" if ci_high < t else "contradicted" if ci_low > t
                else "inconclusive"), None  # fmt: skip
    if dec == "slope_negative":
        return ("supported" if ci_high < 0 else "contradicted" if ci_low > 0
                else "inconclusive"), None  # fmt: skip
    if dec == "within":
        m = float(claim.margin)
        if abs(estimate) <= m and -m <= ci_low and ci_high <= m:
            return "supported", None
        if ci_low > m or ci_high < -m:
            return "contradicted", None
        return "inconclusive", None
    raise InputError(f"claim {claim.id}: decision {dec!r} has no rule")


def _run_command(suite: str) -> str:
    if suite.startswith("uap"):
        return f"tlreview reproduce uap-suite --suite {suite} --profile gpu"
    profiles = _PROFILES.get(suite, ("gpu",))
    runs = " and ".join(f"tlreview reproduce run {suite} --profile {p}" for p in profiles)
    return f"{runs}, then tlreview reproduce collect {suite}"


#: GPU profiles a suite's claims need when that is more than ``gpu`` (later_designs: the
#: EfficientNet-Lite0 + Lite2 pair fine-tuned is the second call, ``gpu_extra``).
_PROFILES: dict[str, tuple[str, ...]] = {"later_designs": ("gpu", "gpu_extra")}


def _prepare(results: pl.DataFrame, claim: Claim, source_accuracy: Mapping[str, float] | None,
             left: list[str], amendments: tuple[str, ...] = (), what: str = "results",
             notes: list[str] | None = None) -> pl.DataFrame:  # fmt: skip
    """Rows a v2 claim may use; what is removed is appended to ``left`` (A2: to ``notes``)."""
    res = results
    if "status" in res.columns:
        res = res.filter(pl.col("status") == "ok")
    if A2 in amendments and res.height:
        if "train_fraction" not in res.columns:
            if "train_fraction" in claim.pair_on:  # pairing refuses the missing pair field
                return res
            raise InputError(f"{what}: claim {claim.id}: field 'train_fraction': not a column "
                             f"of the results; {A2} keeps train_fraction == 1 only")  # fmt: skip
        full = (pl.col("train_fraction").cast(pl.Float64) - 1.0).abs() < 1e-12
        n_out = res.filter(~full.fill_null(False)).height
        res = res.filter(full.fill_null(False))
        if notes is not None:
            notes.append(f"{A2}: {n_out} row(s) with train_fraction != 1 left out")
    if "excluded" in res.columns:
        exc = res.filter(_flag(res, "excluded"))
        if exc.height:
            keys = [k for k in ("dataset", "arch", "approach", "victim_run_id") if k in res.columns]
            left.append(f"excluded victims (test predictions over 95 % one class): "
                        f"{describe_cells(exc, keys)}")  # fmt: skip
            res = res.join(exc.select(keys).unique(), on=keys, how="anti", nulls_equal=True)
    if "dataset" in res.columns:
        for ds, why in EXCLUDED_DATASETS.items():
            if res.filter(pl.col("dataset") == ds).height:
                left.append(f"{ds}: {why}")
                res = res.filter(pl.col("dataset") != ds)
    res = add_derived_columns(res)
    floor = claim.requires.cifar10_min_test_accuracy
    if floor is not None and "source" in res.columns and "arch" in res.columns:
        acc = dict(source_accuracy or {})
        c10 = res.filter(pl.col("source") == "cifar10")
        for arch in sorted(set(c10["arch"].to_list())):
            got = acc.get(arch)
            if got is None and "source_test_accuracy" in res.columns:
                vals = c10.filter(pl.col("arch") == arch)["source_test_accuracy"].drop_nulls()
                got = float(vals.min()) if vals.len() else None
            if got is None or got < floor:
                shown = "unknown" if got is None else f"{got:.4f}"
                left.append(f"{arch} cifar10 checkpoint excluded: test accuracy {shown} "
                            f"< {floor}")  # fmt: skip
                res = res.filter(~((pl.col("source") == "cifar10") & (pl.col("arch") == arch)))
    return res


#: Amendment ids the engine applies (see the module docstring).
A1 = "A1_seed_invariant_arms"
A2 = "A2_full_training_set"
_ZERO_VAR = "no sampling variance over seeds (se = 0): the seeds do not vary this contrast"


def _effect_rows(claim: Claim, analysis: str) -> dict[str, Any]:
    row = dict.fromkeys(EFFECT_SCHEMA)
    row.update(claim_id=claim.id, version=claim.version, analysis=analysis, metric=claim.metric,
               scale="ratio" if claim.scale == "log_ratio" else "difference")  # fmt: skip
    return row


def _per_dataset(claim: Claim, pairs: pl.DataFrame, level: float, analysis: str,
                 unit: str = "seed") -> list[dict]:  # fmt: skip
    """Per-data-set effects from pair cells with a ``d`` column (see the module docstring).

    ``unit`` ``seed`` (v2): the cells' differences are averaged within each seed, the effect and
    its SE are taken over seeds. ``cell`` (follow-up files, as their header says): over the
    cells themselves, and ``min_seeds`` counts cells ("pairs").
    """
    out = []
    min_seeds = int(claim.min_seeds or 1)
    for (ds,), g in sorted(pairs.group_by(["dataset"]), key=lambda t: str(t[0][0])):
        row = _effect_rows(claim, analysis)
        row.update(dataset=str(ds), n_pairs=g.height)
        if claim.decision == "slope_negative":
            cells = g.group_by(["train_fraction", "seed"]).agg(pl.col("d").mean())
            row["n_seeds"] = cells["seed"].n_unique()
            x = np.log(cells["train_fraction"].cast(pl.Float64).to_numpy())
            y = cells["d"].to_numpy()
            if np.unique(x).size < 2:
                row.update(included=False, reason="one training fraction: no learning curve")
            elif row["n_seeds"] < min_seeds or len(y) < 3:
                row.update(included=False, reason=f"{row['n_seeds']} seed(s), {len(y)} point(s); "
                           f"needs >= {min_seeds} seeds and >= 3 points")  # fmt: skip
            else:
                fit = stats.linregress(x, y)
                q = float(stats.t.ppf(1 - (1 - level) / 2, len(y) - 2))
                row.update(estimate=float(fit.slope), se=float(fit.stderr),
                           ci_low=float(fit.slope - q * fit.stderr),
                           ci_high=float(fit.slope + q * fit.stderr), included=True)  # fmt: skip
        else:
            if unit == "cell":
                d = g["d"].to_numpy()
                row["n_seeds"] = g["seed"].n_unique()
                what = "pair cell(s)"
            else:
                per_seed = g.group_by("seed").agg(pl.col("d").mean()).sort("seed")
                d = per_seed["d"].to_numpy()
                row["n_seeds"] = len(d)
                what = "seed(s)"
            if len(d) < min_seeds or len(d) < 2:
                row.update(included=False, reason=f"{len(d)} {what} < min_seeds {min_seeds}")
            else:
                m, se, lo, hi = t_interval(d, level)
                row.update(estimate=m, se=se, ci_low=lo, ci_high=hi, included=True)
                if np.ptp(d) == 0:  # equal differences: sd is 0 (up to rounding, e.g. 1e-17)
                    row.update(estimate=float(d[0]), se=0.0, ci_low=None, ci_high=None)
        if row["included"] and not (row["se"] > 0 and math.isfinite(row["se"])):
            row.update(included=False, reason=_ZERO_VAR)
        if row["included"] is None:
            row["included"] = False
        out.append(row)
    return out


def _apply_a1(claim: Claim, res: pl.DataFrame, pairs: pl.DataFrame, effects: list[dict],
              store: PredictionStore | None, level: float, what: str) -> int:  # fmt: skip
    """Amendment A1 on the zero-variance data sets of ``effects`` (updated in place).

    Returns
    -------
    int
        How many data sets took a bootstrap SE.
    """
    z = float(stats.norm.ppf(1 - (1 - level) / 2))
    keys = list(claim.pair_on)
    n_done = 0
    for e in effects:
        if e["included"] or e["reason"] != _ZERO_VAR:
            continue
        ds = e["dataset"]
        cells0 = pairs.filter((pl.col("dataset") == ds) & (pl.col("seed") == 0))
        if cells0.height == 0:
            e["reason"] = f"{_ZERO_VAR}; {A1}: no seed-0 pair to bootstrap"
            continue
        if "run_id" not in res.columns:
            raise InputError(f"{what}: claim {claim.id}: field 'run_id': not a column of "
                             f"the results; {A1} reads each run's predictions")  # fmt: skip
        arm_rows = []
        for arm in (claim.arms.a, claim.arms.b):
            rows, _ = select_arm(res, arm)
            arm_rows.append(rows.filter(
                (pl.col("dataset") == ds) & (pl.col("seed") == 0)
                & pl.col(claim.metric).is_not_null() & pl.col(claim.metric).is_not_nan()
            ))  # fmt: skip
        cells, missing = [], []
        for cell in cells0.select(keys).iter_rows(named=True):
            match = pl.all_horizontal([pl.col(k).eq_missing(v) for k, v in cell.items()])
            per_arm = []
            for rows in arm_rows:
                got = []
                for rid in rows.filter(match)["run_id"].to_list():
                    run = store.get(rid) if store is not None else None
                    if run is None:
                        missing.append(rid)
                    got.append(run)
                per_arm.append(got)
            cells.append(per_arm)
        if missing:
            where = store.looked_in() if store is not None else "nowhere (no predictions given)"
            e["reason"] = (f"{_ZERO_VAR}; {A1}: no test predictions for seed-0 run(s) "
                           f"{', '.join(missing[:4])}{' ...' if len(missing) > 4 else ''} in "
                           f"{where}; write them with: tlreview reproduce collect "
                           f"{claim.suite} --predictions")  # fmt: skip
            continue
        bs = paired_bootstrap_se([(a, b) for a, b in cells], resamples=bootstrap.A1_RESAMPLES)
        want = float(cells0["d"].mean())
        if abs(bs.observed - want) > 1e-9:
            runs = ", ".join(r.run_id for c in cells for arm in c for r in arm)
            raise InputError(f"{cells[0][0][0].where}: data set {ds}: the predictions of "
                             f"runs {runs} give an AUC difference of {bs.observed!r}, the "
                             f"results {want!r} ({what}); expected their own")  # fmt: skip
        if not (bs.se > 0 and math.isfinite(bs.se)):
            e["reason"] = f"{_ZERO_VAR}; {A1}: the bootstrap SE is {bs.se!r}"
            continue
        dropped = f", {bs.n_dropped} dropped (an AUC undefined)" if bs.n_dropped else ""
        e.update(se=bs.se, ci_low=e["estimate"] - z * bs.se, ci_high=e["estimate"] + z * bs.se,
                 included=True,
                 reason=f"{A1}: SE from a paired bootstrap of {bs.n_images} seed-0 test "
                 f"images ({bs.n_resamples} resamples, seed {A1_SEED}{dropped}); "
                 "CI estimate +- z*SE")  # fmt: skip
        n_done += 1
    return n_done


def _within_cells(claim: Claim, res: pl.DataFrame, what: str) -> tuple[pl.DataFrame | None, str]:
    """Cells (dataset, seed, d = metric - published value) of a ``within`` claim."""
    arm, why = select_arm(res, claim.arms.a)
    if why:
        return None, why
    if arm.height == 0:
        return None, f"no rows of arm a in {what}"
    if claim.metric not in arm.columns:
        raise InputError(f"{what}: claim {claim.id}: field 'metric': no column {claim.metric!r}")
    ref = claim.reference
    table = pl.read_csv(ref.path).filter(pl.col("method") == ref.method)
    table = table.select(pl.col("dataset").str.to_lowercase(), pl.col(ref.column).alias("_ref"))
    cells = arm.join(table, on="dataset", how="left")
    notes = []
    unknown = sorted(set(cells.filter(pl.col("_ref").is_null())["dataset"].to_list()))
    if unknown:
        notes.append(f"no published {ref.method} value for {', '.join(unknown)}")
    cells = cells.filter(pl.col("_ref").is_not_null() & pl.col(claim.metric).is_not_null())
    g = cells.group_by(["dataset", "seed"]).agg(pl.len().alias("_n"),
                                                (pl.col(claim.metric) - pl.col("_ref")).mean()
                                                .alias("d"))  # fmt: skip
    multi = g.filter(pl.col("_n") > 1)
    if multi.height:
        notes.append(f"{multi.height} (dataset, seed) cell(s) with several runs left out: "
                     + describe_cells(multi, ["dataset", "seed"]))  # fmt: skip
    return g.filter(pl.col("_n") == 1).drop("_n"), "; ".join(notes)


def _evaluate_one(claim: Claim, cs: ClaimSet, results: pl.DataFrame, analysis: str,
                  source_accuracy: Mapping[str, float] | None, what: str,
                  predictions: PredictionStore | None = None
                  ) -> tuple[dict, list[dict]]:  # fmt: skip
    pooling = cs.pooling
    amended = tuple(a.id for a in cs.amendments_for(claim.id))
    level = pooling.level
    row: dict[str, Any] = dict.fromkeys(VERDICT_SCHEMA)
    ratio = claim.scale == "log_ratio"
    row.update(claim_id=claim.id, version=cs.version, suite=claim.suite, analysis=analysis,
               metric=claim.metric, scale="ratio" if ratio else "difference",
               decision=claim.decision, margin=claim.margin, threshold=claim.threshold,
               conf_level=level, k_datasets=0, n_pairs=0,
               amendments=", ".join(amended) or None)  # fmt: skip
    left: list[str] = []
    notes: list[str] = []
    res = _prepare(results, claim, source_accuracy, left, amended, what, notes)
    if res.height == 0:
        row.update(
            verdict="not_run",
            datasets_left_out="; ".join(left) or None,
            note=f"no result rows in {what}; run: {_run_command(claim.suite)}",
        )
        return row, []
    if claim.decision == "within":
        pairs, note = _within_cells(claim, res, what)
        if pairs is None:
            row.update(verdict="not_run", note=f"{note}; run: {_run_command(claim.suite)}")
            row["datasets_left_out"] = "; ".join(left) or None
            return row, []
        notes.append(note)
    else:
        pairing = (
            pair_best_of(claim, res, what) if claim.b_best_of else pair_cells(claim, res, what)
        )
        if pairing.pairs is None:
            row.update(verdict="not_run",
                       note=f"{pairing.reason}; run: {_run_command(claim.suite)}")  # fmt: skip
            row["datasets_left_out"] = "; ".join(left) or None
            return row, []
        pairs = pairing.pairs
        notes.append(pairing.note)
        keys = [k for k in claim.pair_on if k not in ("dataset", "seed")]
        if cs.effect_unit == "cell":
            own = [*claim.pair_on, *(["approach", *claim.b_best_of] if claim.b_best_of else [])]
            notes.append(f"effect and SE over each data set's pair cells ({', '.join(own)})")
        elif keys:
            notes.append(f"pairs averaged within each data set and seed over {', '.join(keys)}")
    effects = _per_dataset(claim, pairs, level, analysis, cs.effect_unit or "seed")
    if A1 in amended and claim.decision != "within":
        n_a1 = _apply_a1(claim, res, pairs, effects, predictions, level, what)
        if n_a1:
            notes.append(f"{A1}: {n_a1} data set(s) without variance over seeds took "
                         f"their SE from a paired bootstrap of test images "
                         f"({A1_RESAMPLES} resamples)")  # fmt: skip
    for e in effects:
        if not e["included"]:
            left.append(f"{e['dataset']}: {e['reason']}")
    inc = [e for e in effects if e["included"]]
    row.update(n_pairs=sum(e["n_pairs"] for e in inc), k_datasets=len(inc),
               datasets=", ".join(e["dataset"] for e in inc) or None,
               datasets_left_out="; ".join(left) or None)  # fmt: skip
    need = int(claim.min_datasets or 1)
    if pairs.height == 0:
        row.update(
            verdict="insufficient_data", note="no pairs; " + "; ".join(n for n in notes if n)
        )
    elif len(inc) < need:
        row.update(verdict="insufficient_data",
                   note=f"{len(inc)} data set(s) < min_datasets {need}; "
                   + "; ".join(n for n in notes if n))  # fmt: skip
    else:
        if len(inc) == 1:
            e = inc[0]
            est, se, lo, hi, pil, pih, tau2 = (e["estimate"], e["se"], e["ci_low"], e["ci_high"],
                                               None, None, None)  # fmt: skip
            notes.insert(0, "one data set: its own t interval over seeds, nothing pooled")
        else:
            fit = pool(
                pl.DataFrame({"yi": [e["estimate"] for e in inc],
                              "vi": [e["se"] ** 2 for e in inc]}),
                methods=(pooling.method,), test=pooling.test, level=level,
            ).row(0, named=True)  # fmt: skip
            est, se, lo, hi = fit["estimate"], fit["se"], fit["ci_low"], fit["ci_high"]
            pil, pih, tau2 = fit["pi_low"], fit["pi_high"], fit["tau2"]
            notes.insert(0, f"pooled by review.stats.meta.pool ({pooling.method}, "
                         f"{pooling.test}, k = {len(inc)})")  # fmt: skip
        verdict, robust = decide(claim, lo, hi, pil, est)
        row.update(
            verdict=verdict,
            robust=robust,
            estimate=est,
            se=se,
            ci_low=lo,
            ci_high=hi,
            pi_low=pil,
            pi_high=pih,
            tau2=tau2,
            note="; ".join(n for n in notes if n),
        )
    if ratio:
        notes.append("estimate, CI and PI are ratios a/b (exp of the mean log ratio); se and tau2 "
                     "on the log scale")  # fmt: skip
        row["note"] = "; ".join(x for x in (row["note"], notes[-1]) if x)
        for k in ("estimate", "ci_low", "ci_high", "pi_low", "pi_high"):
            row[k] = None if row[k] is None else math.exp(row[k])
        for e in effects:
            for k in ("estimate", "ci_low", "ci_high"):
                e[k] = None if e[k] is None else math.exp(e[k])
    return row, effects


def evaluate_v2(
    results: pl.DataFrame,
    claim_set: ClaimSet,
    suite: str,
    *,
    source_accuracy: Mapping[str, float] | None = None,
    what: str | Path = "results",
    predictions: PredictionStore | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Decide every v2 claim of ``suite`` on its tidy results.

    Parameters
    ----------
    results
        The suite's rows (``tlreview reproduce collect``); an empty frame gives ``not_run``.
    claim_set
        A claims file with the v2 rules (:func:`reproduce.claims.claim.load_claim_set`): v2 or
        a follow-up file such as ``claims_later.yaml``.
    suite
        ``guideline_v2``, ``uap_v2`` or (a follow-up file) ``later_designs``.
    source_accuracy
        CIFAR-10 test accuracy of each architecture's ``cifar10`` checkpoint (for claims with
        ``cifar10_min_test_accuracy``); a checkpoint without one is excluded and listed.
    what
        Name of the results in messages.
    predictions
        Where amendment A1 finds the runs' test predictions; without it, a data set A1 would
        bootstrap is left out (the reason says where to get them).

    Returns
    -------
    (verdicts, effects)
        :data:`VERDICT_SCHEMA` (one row per claim and analysis: ``primary``, plus ``secondary``
        for attack suites) and :data:`EFFECT_SCHEMA`.

    Raises
    ------
    InputError
        ``claim_set`` is not v2, the suite has no claims, or the results lack a pair field or
        the metric of a claim whose arms they hold.
    """
    if claim_set.rules != 2 or claim_set.pooling is None:
        raise InputError(f"{claim_set.path}: evaluate_v2 needs a claims file with the v2 rules "
                         "(version 2, or a follow-up file naming the v2 file)")  # fmt: skip
    claims = claim_set.for_suite(suite)
    if not claims:
        raise InputError(f"{claim_set.path}: no claim of suite {suite!r}; suites: "
                         f"{', '.join(claim_set.suites)}")  # fmt: skip
    rows, effects = [], []
    for c in claims:
        if c.suite.startswith("uap"):
            base = results
            if results.height and "uap_source" in results.columns:
                base = results
                if "targeted" in base.columns:
                    base = base.filter(~_flag(base, "targeted"))
                if "derived" in base.columns:  # results.parquet's own noise_max rows: made again
                    base = base.filter(~_flag(base, "derived"))
                base = uap_pseudo_sources(base, c.metric)
            for op in OPERATING_POINTS:
                sub = base
                if base.height and {"norm", "eps_ratio"} <= set(base.columns):
                    sub = base.filter(
                        (pl.col("norm") == op.norm)
                        & ((pl.col("eps_ratio") - op.eps_ratio).abs() < 1e-9)
                    )
                label = f"{op.analysis}: {op.norm} eps_ratio {op.eps_ratio:g}"
                r, e = _evaluate_one(
                    c, claim_set, sub, label, source_accuracy, str(what), predictions
                )
                rows.append(r)
                effects.extend(e)
        else:
            r, e = _evaluate_one(
                c, claim_set, results, "primary", source_accuracy, str(what), predictions
            )
            rows.append(r)
            effects.extend(e)
    return (pl.DataFrame(rows, schema=VERDICT_SCHEMA, orient="row"),
            pl.DataFrame(effects, schema=EFFECT_SCHEMA, orient="row"))  # fmt: skip
