"""Small-study effects and influence: regression and rank tests, trim-and-fill, leave-one-out.

All functions reproduce metafor's defaults:

* :func:`regtest` is ``regtest(fit)`` (``model="rma"``, ``predictor="sei"``): the model is
  refitted with the standard error as a moderator, with the fit's estimator and test; the
  test of that slope is the Egger-type test and the intercept the "limit estimate" as the
  standard error goes to 0.
* :func:`ranktest` is ``ranktest(fit)`` (Begg & Mazumdar 1994): Kendall's tau between the
  standardised deviates from the equal-effects estimate and the sampling variances, with R's
  ``cor.test(..., method="kendall", exact=TRUE)`` p value (exact without ties; with ties the
  normal approximation with the tie-corrected variance, no continuity correction).
* :func:`trimfill` is ``trimfill(fit)`` (Duval & Tweedie 2000): estimator ``L0``, side chosen
  from the sign of the slope of the ``sqrt(vi)`` meta-regression (negative: missing studies
  on the right), iterated to a stable number of missing studies; the filled data are refitted
  with the fit's estimator (and, as in metafor, Wald-type tests).
* :func:`leave_one_out` is ``leave1out(fit)``.

Both tests have little power with few studies: the results carry a warning when k < 10
(:data:`MIN_K_WARNING`), the usual rule (Sterne et al. 2011, BMJ 343:d4002).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import stats

from review.errors import InputError, SmallStudyWarning
from review.stats.meta import RmaFit, rma

__all__ = [
    "BIAS_SCHEMA",
    "LEAVE1OUT_SCHEMA",
    "MIN_K_WARNING",
    "SmallStudyWarning",
    "TrimFill",
    "leave_one_out",
    "ranktest",
    "regtest",
    "small_study_tests",
    "trimfill",
]

#: Below this number of studies the small-study tests carry a warning.
MIN_K_WARNING = 10


def _low_k_note(k: int) -> str:
    if k < MIN_K_WARNING:
        return f"k = {k} < {MIN_K_WARNING}: the test has little power; interpret with caution"
    return ""


def _warn_k(k: int, what: str) -> None:
    if k < MIN_K_WARNING:
        warnings.warn(f"{what}: {_low_k_note(k)}", SmallStudyWarning, stacklevel=3)


def regtest(fit: RmaFit, *, warn: bool = True) -> dict[str, object]:
    """Regression test for funnel-plot asymmetry (metafor ``regtest()`` defaults).

    Parameters
    ----------
    fit
        An intercept-only fit (:func:`review.stats.meta.rma`) with at least 3 studies.
    warn
        Emit a :class:`SmallStudyWarning` when k < 10.

    Returns
    -------
    dict
        ``stat`` (z, or t with ``df`` under ``knha``), ``df``, ``p_val``, ``limit_estimate``
        with ``ci_low, ci_high`` (the intercept: the estimate as the standard error goes to
        0), ``k``, ``note``.

    Examples
    --------
    Under ``FE`` the test is Egger's weighted regression on the standard error; the slope's z
    equals a direct weighted least-squares fit (numpy):

    >>> import numpy as np
    >>> from review.stats.meta import rma
    >>> yi, vi = [0.10, 0.30, 0.35, 0.60, 0.45, 0.20], [0.02, 0.03, 0.05, 0.04, 0.06, 0.01]
    >>> r = regtest(rma(yi, vi, method="FE"), warn=False)
    >>> y, v = np.array(yi), np.array(vi)
    >>> X, W = np.column_stack([np.ones(6), np.sqrt(v)]), np.diag(1 / v)
    >>> cov = np.linalg.inv(X.T @ W @ X)
    >>> bool(np.isclose(r["stat"], (cov @ X.T @ W @ y)[1] / np.sqrt(cov[1, 1])))
    True
    """
    if fit.p != 1:
        raise InputError("regtest: expects an intercept-only model")
    if fit.k < 3:
        raise InputError(f"regtest: needs at least 3 studies, got {fit.k}")
    if warn:
        _warn_k(fit.k, "regtest")
    sei = np.sqrt(fit.vi)
    f = rma(fit.yi, fit.vi, sei, method=fit.method, test=fit.test, level=fit.level, terms=["sei"])
    return {
        "stat": float(f.stat[1]),
        "df": f.df,
        "p_val": float(f.p_val[1]),
        "limit_estimate": float(f.beta[0]),
        "ci_low": float(f.ci_low[0]),
        "ci_high": float(f.ci_high[0]),
        "k": fit.k,
        "note": _low_k_note(fit.k),
    }


def _kendall_r(x: np.ndarray, y: np.ndarray) -> tuple[float, float, str]:
    """Kendall's tau-b and the p value of R's ``cor.test(x, y, method="kendall", exact=TRUE)``."""
    ties = len(np.unique(x)) < x.size or len(np.unique(y)) < y.size
    if not ties:
        res = stats.kendalltau(x, y, method="exact")
        return float(res.statistic), float(res.pvalue), "exact"
    n = x.size
    tau = float(stats.kendalltau(x, y).statistic)

    def tie_sizes(a: np.ndarray) -> np.ndarray:
        _, c = np.unique(a, return_counts=True)
        return c[c > 1].astype(float)

    tx, ty = tie_sizes(x), tie_sizes(y)
    t0 = n * (n - 1) / 2
    t1 = float(np.sum(tx * (tx - 1)) / 2)
    t2 = float(np.sum(ty * (ty - 1)) / 2)
    s = tau * math.sqrt((t0 - t1) * (t0 - t2))
    v0 = n * (n - 1) * (2 * n + 5)
    vt = float(np.sum(tx * (tx - 1) * (2 * tx + 5)))
    vu = float(np.sum(ty * (ty - 1) * (2 * ty + 5)))
    v1 = float(np.sum(tx * (tx - 1)) * np.sum(ty * (ty - 1)))
    v2 = float(np.sum(tx * (tx - 1) * (tx - 2)) * np.sum(ty * (ty - 1) * (ty - 2)))
    var_s = (v0 - vt - vu) / 18 + v1 / (2 * n * (n - 1)) + v2 / (9 * n * (n - 1) * (n - 2))
    z = s / math.sqrt(var_s)
    return tau, float(2 * stats.norm.sf(abs(z))), "normal approximation (ties)"


def ranktest(fit: RmaFit, *, warn: bool = True) -> dict[str, object]:
    """Begg & Mazumdar's rank correlation test (metafor ``ranktest()``).

    Parameters
    ----------
    fit
        A fit whose ``yi`` and ``vi`` are tested (the estimator does not matter: the test
        uses the equal-effects estimate, as metafor does).
    warn
        Emit a :class:`SmallStudyWarning` when k < 10.

    Returns
    -------
    dict
        ``tau`` (Kendall's tau-b), ``p_val``, ``p_method``, ``k``, ``note``.

    Examples
    --------
    Kendall's tau between the standardised effects and their variances, as SciPy computes it:

    >>> import numpy as np
    >>> from scipy import stats
    >>> from review.stats.meta import rma
    >>> yi, vi = [0.10, 0.30, 0.35, 0.60, 0.45, 0.20], [0.02, 0.03, 0.05, 0.04, 0.06, 0.01]
    >>> r = ranktest(rma(yi, vi, method="FE"), warn=False)
    >>> y, v = np.array(yi), np.array(vi)
    >>> theta = np.sum(y / v) / np.sum(1 / v)
    >>> ystar = (y - theta) / np.sqrt(v - 1 / np.sum(1 / v))
    >>> bool(np.isclose(r["tau"], stats.kendalltau(ystar, v).statistic)), r["p_method"]
    (True, 'exact')
    """
    if fit.k < 3:
        raise InputError(f"ranktest: needs at least 3 studies, got {fit.k}")
    if warn:
        _warn_k(fit.k, "ranktest")
    w = 1.0 / fit.vi
    theta = float(np.sum(w * fit.yi) / np.sum(w))
    vb = 1.0 / float(np.sum(w))
    ystar = (fit.yi - theta) / np.sqrt(fit.vi - vb)
    tau, p, how = _kendall_r(ystar, fit.vi)
    return {"tau": tau, "p_val": p, "p_method": how, "k": fit.k, "note": _low_k_note(fit.k)}


@dataclass(frozen=True)
class TrimFill:
    """Result of :func:`trimfill`.

    Attributes
    ----------
    k0
        Estimated number of missing studies.
    se_k0
        Its standard error (metafor's formula for ``L0``).
    side
        ``"left"`` or ``"right"``: where the studies were missing.
    fit
        The model fitted to the observed plus filled studies (the input fit when ``k0 = 0``).
    filled_yi, filled_vi
        The imputed studies (empty when ``k0 = 0``).
    iterations
        Number of trim iterations.
    """

    k0: int
    se_k0: float
    side: str
    fit: RmaFit
    filled_yi: np.ndarray
    filled_vi: np.ndarray
    iterations: int


def trimfill(fit: RmaFit, side: str | None = None, maxiter: int = 100) -> TrimFill:
    """Trim-and-fill with metafor's defaults (estimator ``L0``, side chosen by the data).

    Parameters
    ----------
    fit
        An intercept-only fit with at least 3 studies.
    side
        ``"left"``, ``"right"`` or ``None`` (chosen as metafor does).
    maxiter
        Most trim iterations.

    Returns
    -------
    TrimFill

    Examples
    --------
    Six studies whose small (high-variance) ones lean right: two studies are imputed on the left.

    >>> from review.stats.meta import rma
    >>> yi, vi = [0.10, 0.30, 0.35, 0.60, 0.45, 0.20], [0.02, 0.03, 0.05, 0.04, 0.06, 0.01]
    >>> tf = trimfill(rma(yi, vi, method="FE"))
    >>> tf.k0, tf.side, len(tf.filled_yi)
    (2, 'left', 2)
    """
    if fit.p != 1:
        raise InputError("trimfill: expects an intercept-only model")
    if fit.k < 3:
        raise InputError(f"trimfill: needs at least 3 studies, got {fit.k}")
    method, level = fit.method, fit.level
    yi, vi = fit.yi.copy(), fit.vi.copy()
    if side is None:
        slope = rma(yi, vi, np.sqrt(vi), method=method, level=level).beta[1]
        side = "right" if slope < 0 else "left"
    elif side not in ("left", "right"):
        raise InputError(f"trimfill: side {side!r}: expected 'left' or 'right'")
    if side == "right":
        yi = -yi
    order = np.argsort(yi, kind="stable")
    yi, vi = yi[order], vi[order]
    k = yi.size
    k0, k0_prev, it = 0, -1, 0
    beta, se_k0 = 0.0, 0.0
    yc = yi.copy()
    while k0 != k0_prev:
        k0_prev = k0
        it += 1
        if it > maxiter:
            raise ArithmeticError("trimfill: no convergence within maxiter iterations")
        tfit = rma(yi[: k - k0], vi[: k - k0], method=method, level=level)
        beta = float(tfit.beta[0])
        yc = yi - beta
        ranks = stats.rankdata(np.abs(yc), method="ordinal")
        signed = np.sign(yc) * ranks
        sr = float(np.sum(signed[signed > 0]))
        k0_raw = (4 * sr - k * (k + 1)) / (2 * k - 1)
        var_sr = (k * (k + 1) * (2 * k + 1) + 10 * k0_raw**3 + 27 * k0_raw**2 + 17 * k0_raw
                  - 18 * k * k0_raw**2 - 18 * k * k0_raw + 6 * k**2 * k0_raw) / 24  # fmt: skip
        se_k0 = max(0.0, 4 * math.sqrt(var_sr) / (2 * k - 1)) if var_sr > 0 else 0.0
        k0 = max(0, _r_round(k0_raw))
        if k0 >= k:
            raise ArithmeticError("trimfill: estimated as many missing studies as observed")
    if k0 == 0:
        return TrimFill(0, se_k0, side, fit, np.empty(0), np.empty(0), it)
    mirrored = 2 * beta - yi[k - k0 :]
    fill_y = -mirrored if side == "right" else mirrored
    fill_v = vi[k - k0 :]
    ffit = rma(np.concatenate([fit.yi, fill_y]), np.concatenate([fit.vi, fill_v]), method=method,
               level=level)  # fmt: skip
    return TrimFill(int(k0), se_k0, side, ffit, fill_y, fill_v, it)


def _r_round(x: float) -> int:
    """R's ``round()`` (IEC 60559: halves to even), as metafor rounds k0."""
    return int(np.round(x))


#: Schema of :func:`leave_one_out`.
LEAVE1OUT_SCHEMA: dict[str, pl.DataType] = {
    "omitted": pl.String,
    "estimate": pl.Float64,
    "se": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "p_val": pl.Float64,
    "k": pl.Int64,
    "conf_level": pl.Float64,
    "tau2": pl.Float64,
    "i2": pl.Float64,
    "q": pl.Float64,
    "q_p": pl.Float64,
}


def leave_one_out(fit: RmaFit, labels: Sequence[str] | None = None) -> pl.DataFrame:
    """Refit the model without each study in turn (metafor ``leave1out()``).

    Parameters
    ----------
    fit
        An intercept-only fit with at least 3 studies.
    labels
        Study labels (default ``1..k``).

    Returns
    -------
    polars.DataFrame
        :data:`LEAVE1OUT_SCHEMA`, one row per omitted study, in input order; empty when
        k < 3.

    Examples
    --------
    Under ``FE`` each row is the inverse-variance mean of the other studies (numpy):

    >>> import numpy as np
    >>> from review.stats.meta import rma
    >>> yi, vi = [0.10, 0.30, 0.35, 0.60, 0.45, 0.20], [0.02, 0.03, 0.05, 0.04, 0.06, 0.01]
    >>> loo = leave_one_out(rma(yi, vi, method="FE"))
    >>> y, v = np.array(yi[1:]), np.array(vi[1:])
    >>> loo.height, bool(np.isclose(loo["estimate"][0], np.sum(y / v) / np.sum(1 / v)))
    (6, True)
    """
    if fit.p != 1:
        raise InputError("leave_one_out: expects an intercept-only model")
    labels = [str(i + 1) for i in range(fit.k)] if labels is None else [str(x) for x in labels]
    if len(labels) != fit.k:
        raise InputError(f"leave_one_out: {len(labels)} labels for {fit.k} studies")
    if fit.k < 3:
        return pl.DataFrame(schema=LEAVE1OUT_SCHEMA)
    rows = []
    idx = np.arange(fit.k)
    for i in idx:
        keep = idx != i
        f = rma(fit.yi[keep], fit.vi[keep], method=fit.method, test=fit.test, level=fit.level)
        rows.append({
            "omitted": labels[i], "estimate": float(f.beta[0]), "se": float(f.se[0]),
            "ci_low": float(f.ci_low[0]), "ci_high": float(f.ci_high[0]),
            "p_val": float(f.p_val[0]), "k": f.k, "conf_level": f.level,
            "tau2": f.tau2, "i2": f.i2, "q": f.q, "q_p": f.q_p,
        })  # fmt: skip
    return pl.DataFrame(rows, schema=LEAVE1OUT_SCHEMA, orient="row")


#: Schema of :func:`small_study_tests`.
BIAS_SCHEMA: dict[str, pl.DataType] = {
    "test": pl.String,
    "stat_name": pl.String,
    "stat": pl.Float64,
    "df": pl.Int64,
    "p_val": pl.Float64,
    "estimate": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "k": pl.Int64,
    "k0": pl.Int64,
    "side": pl.String,
    "method": pl.String,
    "note": pl.String,
}


def small_study_tests(fit: RmaFit) -> pl.DataFrame:
    """The regression test, the rank test and trim-and-fill as one tidy table.

    Parameters
    ----------
    fit
        An intercept-only fit.

    Returns
    -------
    polars.DataFrame
        :data:`BIAS_SCHEMA`; ``estimate`` is the limit estimate (regtest) or the filled
        estimate (trimfill); ``note`` carries the k < 10 warning. Empty when k < 3.
    """
    if fit.k < 3:
        return pl.DataFrame(schema=BIAS_SCHEMA)
    rt = regtest(fit, warn=False)
    rk = ranktest(fit, warn=False)
    tf = trimfill(fit)
    note = _low_k_note(fit.k)
    rows = [
        {"test": "regtest (Egger-type, predictor sei)", "stat_name": "z" if rt["df"] is None
         else "t", "stat": rt["stat"], "df": rt["df"], "p_val": rt["p_val"],
         "estimate": rt["limit_estimate"], "ci_low": rt["ci_low"], "ci_high": rt["ci_high"],
         "k": fit.k, "k0": None, "side": None, "method": fit.method, "note": note},
        {"test": "ranktest (Begg)", "stat_name": "kendall_tau", "stat": rk["tau"], "df": None,
         "p_val": rk["p_val"], "estimate": None, "ci_low": None, "ci_high": None, "k": fit.k,
         "k0": None, "side": None, "method": fit.method,
         "note": "; ".join(x for x in (note, f"p: {rk['p_method']}") if x)},
        {"test": "trimfill (L0)", "stat_name": "k0", "stat": float(tf.k0), "df": None,
         "p_val": float(tf.fit.p_val[0]), "estimate": float(tf.fit.beta[0]),
         "ci_low": float(tf.fit.ci_low[0]), "ci_high": float(tf.fit.ci_high[0]),
         "k": tf.fit.k, "k0": tf.k0, "side": tf.side, "method": fit.method,
         "note": "estimate of the observed plus filled studies"},
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=BIAS_SCHEMA, orient="row")
