"""Small-study effects and influence: regression and rank tests, trim-and-fill, leave-one-out.

All functions reproduce metafor's defaults:

* :func:`regtest` is ``regtest(fit)`` (``model="rma"``, ``predictor="sei"``): the model is
  refitted with the standard error as a moderator, with the fit's estimator and test; the
  test of that slope is the Egger-type test and the intercept the "limit estimate" as the
  standard error goes to 0.
* :func:`ranktest` is ``ranktest(fit)`` (Begg & Mazumdar 1994): Kendall's tau between the
  standardised deviates from the equal-effects estimate and the sampling variances, with R's
  ``cor.test(..., method="kendall")`` p value: exact without ties for k <= 49
  (:data:`KENDALL_EXACT_MAX_N`, R's own default switch), otherwise the normal approximation
  with the tie-corrected variance and no continuity correction. metafor asks for
  ``exact=TRUE`` at any k, an exact distribution whose memory and time grow much faster than
  k (computing it here tried to allocate 18.6 GiB at k = 100,000); from k = 50 on the p
  values here are the approximation R's ``cor.test`` gives by default.
* :func:`trimfill` is ``trimfill(fit)`` (Duval & Tweedie 2000): estimator ``L0``, side chosen
  from the sign of the slope of the ``sqrt(vi)`` meta-regression (negative: missing studies
  on the right), iterated to a stable number of missing studies; the filled data are refitted
  with the fit's estimator (and, as in metafor, Wald-type tests).
* :func:`leave_one_out` is ``leave1out(fit)``; from :data:`LEAVE1OUT_FAST_MIN_K` studies on
  all k leave-one-out fits are solved together in O(k) memory (:func:`_leave1out_fast`).

Each function raises when its analysis cannot be computed for the data (e.g. equal sampling
variances for the regression test); :func:`attempt` turns that into ``None`` and a note, which
is how :func:`small_study_tests` and ``tlreview meta`` report it.

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
    "NOT_COMPUTABLE",
    "SmallStudyWarning",
    "TrimFill",
    "attempt",
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
    if np.all(fit.vi == fit.vi[0]):
        raise ArithmeticError(
            "regtest: the sampling variances are all equal, so the predictor sei is constant"
        )
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


#: Below this many studies (and without ties) the rank test's p value is exact; from here on it
#: is the normal approximation. R's ``cor.test(method="kendall")`` switches at the same n
#: (``exact = n < 50``); the exact distribution grows much faster than n, the approximation
#: is O(n log n).
KENDALL_EXACT_MAX_N = 49


def _kendall_r(x: np.ndarray, y: np.ndarray) -> tuple[float, float, str]:
    """Kendall's tau-b and the p value of R's ``cor.test(x, y, method="kendall")``.

    Exact (``scipy.stats.kendalltau(method="exact")``) without ties and n <=
    :data:`KENDALL_EXACT_MAX_N`; otherwise the normal approximation with the tie-corrected
    variance of S and no continuity correction (R's ``exact=FALSE, continuity=FALSE``), which
    is ``scipy.stats.kendalltau(method="asymptotic")``.

    Raises
    ------
    ArithmeticError
        When ``x`` or ``y`` is constant (tau is undefined; R returns NA).
    """
    if np.all(x == x[0]) or np.all(y == y[0]):
        which = "the standardised effects" if np.all(x == x[0]) else "the sampling variances"
        raise ArithmeticError(f"{which} are all equal, so Kendall's tau is undefined")
    ties = np.unique(x).size < x.size or np.unique(y).size < y.size
    if not ties and x.size <= KENDALL_EXACT_MAX_N:
        res = stats.kendalltau(x, y, method="exact")
        return float(res.statistic), float(res.pvalue), "exact"
    res = stats.kendalltau(x, y, method="asymptotic")
    how = (
        "normal approximation (ties)"
        if ties
        else f"normal approximation (k > {KENDALL_EXACT_MAX_N})"
    )
    return float(res.statistic), float(res.pvalue), how


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
    if np.all(fit.yi == fit.yi[0]):
        # the deviates are all 0 in exact arithmetic (R: NA with "standard deviation is zero")
        raise ArithmeticError("the effect sizes are all equal, so Kendall's tau is undefined")
    w = 1.0 / fit.vi
    theta = float(np.sum(w * fit.yi) / np.sum(w))
    vb = 1.0 / float(np.sum(w))
    if np.any(fit.vi - vb <= 0):
        raise ArithmeticError(
            "one study carries all the weight (vi - 1/sum(1/vi) is 0 in double precision)"
        )
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
        if np.all(vi == vi[0]):
            raise ArithmeticError(
                "trimfill: the sampling variances are all equal, so the side cannot be chosen "
                "from the sqrt(vi) slope (metafor stops here too)"
            )
        slope = rma(yi, vi, np.sqrt(vi), method=method, level=level).beta[1]
        side = "right" if slope < 0 else "left"
    elif side not in ("left", "right"):
        raise InputError(f"trimfill: side {side!r}: expected 'left' or 'right'")
    if np.all(yi == yi[0]):  # a symmetric funnel in exact arithmetic: nothing is missing
        return TrimFill(0, 0.0, side, fit, np.empty(0), np.empty(0), 0)
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
            raise ArithmeticError(
                f"trimfill: estimated {k0} missing studies for {k} observed, leaving none to pool"
            )
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


#: From this many studies on, :func:`leave_one_out` uses the vectorised solver
#: (:func:`_leave1out_fast`) instead of refitting k models.
LEAVE1OUT_FAST_MIN_K = 200


def leave_one_out(
    fit: RmaFit, labels: Sequence[str] | None = None, *, fast: bool | None = None
) -> pl.DataFrame:
    """Refit the model without each study in turn (metafor ``leave1out()``).

    Parameters
    ----------
    fit
        An intercept-only fit with at least 3 studies.
    labels
        Study labels (default ``1..k``).
    fast
        Use the vectorised solver (O(k) memory, about O(k) time; see
        :func:`_leave1out_fast`); default: from :data:`LEAVE1OUT_FAST_MIN_K` studies on.
        ``False`` refits k models (O(k²) time), as metafor does.

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
    if fast is None:
        fast = fit.k >= LEAVE1OUT_FAST_MIN_K
    if fast:
        cols = _leave1out_fast(fit)
        return pl.DataFrame(
            {"omitted": labels, **cols, "k": np.full(fit.k, fit.k - 1),
             "conf_level": np.full(fit.k, fit.level)},
        ).select(pl.col(c).cast(t) for c, t in LEAVE1OUT_SCHEMA.items())  # fmt: skip
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


class _Sums:
    """Power sums of the k studies as functions of tau², minus one study at a time.

    With weights ``w = 1 / (v + t)`` and centred effects ``y``: ``a0 = sum w``, ``a1 = sum w
    y``, ``a2 = sum w y²``, ``b0 = sum w²``, ``b1 = sum w² y``, ``b2 = sum w² y²`` and ``lg =
    sum log(v + t)``. Every intercept-only estimating equation of :mod:`review.stats.meta` is a
    function of these sums, so the sums without study i are the full sums minus study i's
    terms: O(k) work for all k omissions at one t.
    """

    NAMES = ("a0", "a1", "a2", "b0", "b1", "b2", "lg")

    def __init__(self, y: np.ndarray, v: np.ndarray):
        self.y, self.v = y, v

    def terms(self, t: np.ndarray | float, idx: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Each study's terms at t: array (7, n)."""
        y, v = self.y[idx], self.v[idx]
        w = 1.0 / (v + t)
        w2 = w * w
        return np.stack([w, w * y, w * y * y, w2, w2 * y, w2 * y * y, np.log(v + t)])

    def full(self, t: float) -> np.ndarray:
        """The full sums at one t: array (7,)."""
        return self.terms(t).sum(axis=1)


def _equation(s: np.ndarray, k: int, method: str) -> np.ndarray:
    """The tau² estimating equation of ``method`` from the sums ``s`` (7, n) of k studies."""
    a0, a1, a2, b0, b1, b2, _ = s
    mu = a1 / a0
    if method == "PM":
        return a2 - a1 * mu - (k - 1)
    score = b2 - 2 * mu * b1 + mu * mu * b0
    if method == "ML":
        return score - a0
    return score - (a0 - b0 / a0)  # REML


def _loglik_sums(s: np.ndarray, k: int, method: str) -> np.ndarray:
    """(Restricted) log-likelihood from the sums, as :func:`review.stats.meta._loglik`."""
    a0, a1, a2, _, _, _, lg = s
    ll = -0.5 * lg - 0.5 * (a2 - a1 * a1 / a0)
    if method == "ML":
        return ll - 0.5 * k * math.log(2 * math.pi)
    return ll - 0.5 * (k - 1) * math.log(2 * math.pi) - 0.5 * np.log(a0)


class _Cheb:
    """Chebyshev interpolant of the full sums on [lo, hi], checked against exact values."""

    def __init__(self, sums: _Sums, lo: float, hi: float):
        self.lo, self.hi = lo, hi
        self.ok = False
        for deg in (8, 16, 32):
            nodes = np.cos(np.pi * (np.arange(deg + 1) + 0.5) / (deg + 1))
            vals = np.stack([sums.full(self._t(x)) for x in nodes])  # (deg+1, 7)
            self.coef = np.polynomial.chebyshev.chebfit(nodes, vals, deg)
            check = np.linspace(-0.97, 0.97, 7)
            exact = np.stack([sums.full(self._t(x)) for x in check])
            scale = np.stack([np.abs(sums.terms(self._t(x))).sum(axis=1) for x in check[:1]])
            err = np.abs(np.polynomial.chebyshev.chebval(check, self.coef).T - exact)
            if np.all(err <= 1e-12 * scale + 1e-300):
                self.ok = True
                return

    def _t(self, x: np.ndarray | float):
        return self.lo + (x + 1) * (self.hi - self.lo) / 2

    def __call__(self, t: np.ndarray) -> np.ndarray:
        x = 2 * (t - self.lo) / (self.hi - self.lo) - 1
        return np.polynomial.chebyshev.chebval(x, self.coef)  # (7, n)


def _leave1out_tau2(fit: RmaFit, sums: _Sums, s0: np.ndarray) -> np.ndarray:
    """tau² of every leave-one-out fit (PM, ML, REML): vectorised root finding.

    The roots lie in a narrow interval around the full fit's tau² for all but a few studies.
    The full sums are interpolated on that interval (Chebyshev, accuracy checked at 1e-13
    against exact sums to 1e-12), each omission's equation is solved on the interpolant by a
    vectorised Illinois (regula falsi) iteration to 1e-12, and the few roots outside the
    interval are solved exactly by refitting. metafor's rules are kept: tau² = 0 when the
    equation is not positive at 0, and (ML, REML) when the likelihood at 0 is larger.
    """
    k, method = fit.k, fit.method
    y, v = sums.y, sums.v
    m = k - 1
    eq0 = _equation(s0, m, method)
    tau2 = np.zeros(k)
    todo = np.flatnonzero(eq0 > 0)
    if todo.size == 0:
        return tau2
    center = fit.tau2
    spread = float(np.var(y) + np.mean(v))
    h = max(center, spread * 1e-6) * 4.0 / math.sqrt(k)
    exact_idx: np.ndarray = np.empty(0, dtype=int)
    for _ in range(40):
        lo, hi = max(0.0, center - h), center + h
        cheb = _Cheb(sums, lo, hi)
        if not cheb.ok:
            break
        f_lo = _equation(cheb(np.full(todo.size, lo)) - sums.terms(lo, todo), m, method)
        f_hi = _equation(cheb(np.full(todo.size, hi)) - sums.terms(hi, todo), m, method)
        inside = (f_lo > 0) & (f_hi < 0) if lo > 0 else f_hi < 0
        outside = todo[~inside]
        if outside.size <= max(20, k // 1000):
            exact_idx = outside
            break
        h *= 4.0
    else:  # pragma: no cover - the interval grows geometrically; 40 steps cover any double
        cheb = None
    if cheb is None or not cheb.ok:
        exact_idx, todo_fast = todo, np.empty(0, dtype=int)
    else:
        todo_fast = todo[inside]
    if todo_fast.size:
        a = np.full(todo_fast.size, lo)
        b = np.full(todo_fast.size, hi)
        fa = _equation(cheb(a) - sums.terms(a, todo_fast), m, method)
        fb = _equation(cheb(b) - sums.terms(b, todo_fast), m, method)
        if lo == 0:
            fa = eq0[todo_fast]  # exact value at 0 (positive)
        side = np.zeros(todo_fast.size)
        c = a.copy()
        for _ in range(200):
            c_prev = c
            c = b - fb * (b - a) / (fb - fa)
            fc = _equation(cheb(c) - sums.terms(c, todo_fast), m, method)
            pos = fc > 0
            # Illinois: halve the function value of the end point kept twice in a row
            a, fa, b, fb = (np.where(pos, c, a), np.where(pos, fc, fa),
                            np.where(pos, b, c), np.where(pos, fb, fc))  # fmt: skip
            fb = np.where(pos & (side == 1), fb / 2, fb)
            fa = np.where(~pos & (side == -1), fa / 2, fa)
            side = np.where(pos, 1, -1)
            if np.all((np.abs(c - c_prev) <= 1e-14 * np.abs(c)) | (fc == 0)):
                break
        root = c
        if method in ("ML", "REML"):
            ll0 = _loglik_sums(s0[:, todo_fast], m, method)
            llr = _loglik_sums(cheb(root) - sums.terms(root, todo_fast), m, method)
            root = np.where(ll0 > llr, 0.0, root)
        tau2[todo_fast] = root
    idx = np.arange(k)
    for i in exact_idx:
        keep = idx != i
        tau2[i] = rma(fit.yi[keep], fit.vi[keep], method=method).tau2
    return tau2


def _leave1out_fast(fit: RmaFit) -> dict[str, np.ndarray]:
    """Leave-one-out columns of :data:`LEAVE1OUT_SCHEMA` without refitting k models.

    Closed form for FE and DL (the sums without study i are the full sums minus its terms);
    PM, ML and REML solve the k tau² equations together (:func:`_leave1out_tau2`). Effects are
    centred at the full estimate first, so that the sums do not lose precision to a large
    mean. Agrees with refitting (``fast=False``) to about 1e-10 (tested).
    """
    k, method = fit.k, fit.method
    shift = float(fit.beta[0])
    sums = _Sums(fit.yi - shift, fit.vi)
    terms0 = sums.terms(0.0)
    s0 = terms0.sum(axis=1)[:, None] - terms0  # (7, k): sums at tau² = 0 without study i
    m = k - 1
    a0, a1, a2, b0 = s0[0], s0[1], s0[2], s0[3]
    q = a2 - a1 * a1 / a0
    q = np.maximum(q, 0.0)
    tr_p = a0 - b0 / a0
    if method == "FE":
        tau2 = np.zeros(k)
    elif method == "DL":
        tau2 = np.maximum(0.0, (q - (m - 1)) / tr_p)
    else:
        tau2 = _leave1out_tau2(fit, sums, s0)
    st = _sums_at(sums, tau2)
    a0t, a1t, a2t = st[0], st[1], st[2]
    mu = a1t / a0t
    if fit.test == "knha":
        s2w = (a2t - a1t * mu) / (m - 1)
        se = np.sqrt(s2w / a0t)
        crit = stats.t.ppf(1 - (1 - fit.level) / 2, m - 1)
        p_val = 2 * stats.t.sf(np.abs((mu + shift) / se), m - 1)
    else:
        se = np.sqrt(1.0 / a0t)
        crit = stats.norm.ppf(1 - (1 - fit.level) / 2)
        p_val = 2 * stats.norm.sf(np.abs((mu + shift) / se))
    if method == "FE":
        i2 = np.where(q > 0, 100 * np.maximum(0.0, (q - (m - 1)) / np.where(q > 0, q, 1)), 0.0)
    else:
        vt = (m - 1) / tr_p
        i2 = 100 * tau2 / (vt + tau2)
    est = mu + shift
    return {
        "estimate": est, "se": se, "ci_low": est - crit * se, "ci_high": est + crit * se,
        "p_val": p_val, "tau2": tau2, "i2": i2, "q": q, "q_p": stats.chi2.sf(q, m - 1),
    }  # fmt: skip


def _sums_at(sums: _Sums, tau2: np.ndarray) -> np.ndarray:
    """Sums without study i at tau²_i, for every i: array (7, k).

    Exact at tau² = 0 and for the few values far from the bulk; the bulk is read from a checked
    Chebyshev interpolant of the full sums (exact, O(k) each, when it cannot be built).
    """
    k = tau2.size
    out = np.empty((7, k))
    zero = np.flatnonzero(tau2 <= 0)
    if zero.size:
        out[:, zero] = sums.full(0.0)[:, None] - sums.terms(0.0, zero)
    pos = np.flatnonzero(tau2 > 0)
    exact = pos
    if pos.size > 50:
        n_out = max(20, k // 1000)
        order = pos[np.argsort(tau2[pos], kind="stable")]
        bulk = order[n_out // 2 : order.size - n_out // 2]
        lo, hi = float(tau2[bulk[0]]), float(tau2[bulk[-1]])
        if hi == lo:
            lo, hi = lo * (1 - 1e-9), hi * (1 + 1e-9)
        cheb = _Cheb(sums, lo, hi)
        if cheb.ok:
            out[:, bulk] = cheb(tau2[bulk]) - sums.terms(tau2[bulk], bulk)
            exact = np.setdiff1d(pos, bulk)
    for i in exact:
        t = float(tau2[i])
        out[:, i] = sums.full(t) - sums.terms(t, np.array([i]))[:, 0]
    return out


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


#: Failures that make one secondary analysis impossible (it is then null with a note).
NOT_COMPUTABLE: tuple[type[BaseException], ...] = (
    ValueError,
    ArithmeticError,
    FloatingPointError,
    np.linalg.LinAlgError,
)


def attempt(func, *args, **kwargs) -> tuple[object, str | None]:
    """Run one secondary analysis: ``(result, None)``, or ``(None, reason)`` when it cannot be
    computed for these data (as metafor leaves such a result out with a message)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SmallStudyWarning)
            return func(*args, **kwargs), None
    except NOT_COMPUTABLE as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"not computed: {msg}"


def small_study_tests(fit: RmaFit) -> pl.DataFrame:
    """The regression test, the rank test and trim-and-fill as one tidy table.

    Each is computed on its own: one that cannot be computed for these data (e.g. equal
    sampling variances for the regression test) is a row of nulls whose ``note`` says why.

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
    note = _low_k_note(fit.k)
    base = {
        "k": fit.k,
        "k0": None,
        "side": None,
        "method": fit.method,
        "df": None,
        "stat": None,
        "p_val": None,
        "estimate": None,
        "ci_low": None,
        "ci_high": None,
    }

    def join(*parts: str | None) -> str:
        return "; ".join(x for x in parts if x)

    rt, why = attempt(regtest, fit, warn=False)
    reg = {**base, "test": "regtest (Egger-type, predictor sei)",
           "stat_name": "z" if fit.test == "z" else "t", "note": join(note, why)}  # fmt: skip
    if rt is not None:
        reg.update(
            stat=rt["stat"],
            df=rt["df"],
            p_val=rt["p_val"],
            estimate=rt["limit_estimate"],
            ci_low=rt["ci_low"],
            ci_high=rt["ci_high"],
        )
    rk, why = attempt(ranktest, fit, warn=False)
    rank = {**base, "test": "ranktest (Begg)", "stat_name": "kendall_tau",
            "note": join(note, f"p: {rk['p_method']}" if rk else None, why)}  # fmt: skip
    if rk is not None:
        rank.update(stat=rk["tau"], p_val=rk["p_val"])
    tf, why = attempt(trimfill, fit)
    fill = {**base, "test": "trimfill (L0)", "stat_name": "k0",
            "note": why or "estimate of the observed plus filled studies"}  # fmt: skip
    if tf is not None:
        fill.update(
            stat=float(tf.k0),
            p_val=float(tf.fit.p_val[0]),
            estimate=float(tf.fit.beta[0]),
            ci_low=float(tf.fit.ci_low[0]),
            ci_high=float(tf.fit.ci_high[0]),
            k=tf.fit.k,
            k0=tf.k0,
            side=tf.side,
        )
    return pl.DataFrame([reg, rank, fill], schema=BIAS_SCHEMA, orient="row")
