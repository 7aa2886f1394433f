"""Meta-analysis of reported performance, computed as R's metafor (``rma.uni``) computes it.

Effect sizes
    :func:`logit_proportion` (metafor ``escalc(measure="PLO")``: accuracy with its test-set size)
    and :func:`auc_hanley_mcneil` (the Hanley & McNeil 1982 standard error of an AUC);
    :func:`effect_sizes` derives both from a study table.
Pooling
    :func:`rma` fits equal-effects (``FE``) and random-effects models with tau² by DerSimonian-
    Laird (``DL``), Paule-Mandel (``PM``), restricted maximum likelihood (``REML``) or maximum
    likelihood (``ML``), with Wald-type (``z``) or Knapp-Hartung (``knha``) inference, optional
    moderators (meta-regression), the Q test, I², H², Q-profile confidence intervals for tau²,
    I² and H² (metafor's ``confint()``) and the prediction interval (``predict()``).
Tidy wrappers
    :func:`pool`, :func:`subgroup_analysis`, :func:`meta_regression` and :func:`leave_one_out`
    take a DataFrame and return polars DataFrames with fixed schemas (``estimate, se, ci_low,
    ci_high, p_val, k, conf_level`` plus method-specific columns).

Every formula below follows metafor (Viechtbauer 2010, J Stat Softw 36(3)); the tests pin
values computed with metafor 3.8-1 itself (``tests/stats/r/metafor_pins.R``). The iterative
estimators (PM, REML, ML and the Q-profile bounds) are solved to 1e-12 by bracketing root
finders, so they agree with metafor to its own convergence tolerance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy import optimize, stats

from review.errors import InputError

__all__ = [
    "METHODS",
    "TESTS",
    "POOL_SCHEMA",
    "MetaConfig",
    "RmaFit",
    "auc_hanley_mcneil",
    "confint_tau2",
    "effect_sizes",
    "logit_proportion",
    "meta_regression",
    "pool",
    "pool_row",
    "rma",
    "subgroup_analysis",
]

#: Estimators of the between-study variance (``FE``: none, tau² = 0).
METHODS: tuple[str, ...] = ("FE", "DL", "PM", "REML", "ML")
#: Inference for the coefficients: normal (``z``) or Knapp-Hartung (``knha``, t and F).
TESTS: tuple[str, ...] = ("z", "knha")

_TOL = 1e-12


@dataclass(frozen=True)
class MetaConfig:
    """Settings of a meta-analysis.

    Parameters
    ----------
    method
        One of :data:`METHODS`.
    test
        ``"z"`` or ``"knha"``.
    level
        Confidence level of every interval (0.95 as in metafor).
    """

    method: str = "REML"
    test: str = "z"
    level: float = 0.95

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InputError(f"method {self.method!r}: expected one of {', '.join(METHODS)}")
        if self.test not in TESTS:
            raise InputError(f"test {self.test!r}: expected one of {', '.join(TESTS)}")
        if not 0.0 < self.level < 1.0:
            raise InputError(f"level {self.level!r}: expected a number in (0, 1)")


# ---------------------------------------------------------------------------------------------
# Effect sizes
# ---------------------------------------------------------------------------------------------


def logit_proportion(
    x: Sequence[float] | np.ndarray, n: Sequence[float] | np.ndarray, add: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Logit-transformed proportions and their sampling variances (metafor ``measure="PLO"``).

    ``yi = log(x / (n - x))`` and ``vi = 1/x + 1/(n - x)``. As in metafor's defaults
    (``add=1/2, to="only0"``), ``add`` is added to both cells of a study with ``x = 0`` or
    ``x = n`` (so that a reported accuracy of 1.0 still has a finite logit and variance).

    Parameters
    ----------
    x
        Number of events (e.g. correctly classified test images).
    n
        Number of trials (test-set size).
    add
        Continuity correction for zero cells.

    Returns
    -------
    yi, vi : numpy.ndarray
        Logits and sampling variances.

    Examples
    --------
    >>> yi, vi = logit_proportion([90], [100])
    >>> round(float(yi[0]), 6), round(float(vi[0]), 6)
    (2.197225, 0.111111)
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    if np.any(n <= 0) or np.any(x < 0) or np.any(x > n):
        raise InputError("logit_proportion: expected 0 <= x <= n and n > 0")
    a = x.copy()
    b = n - x
    zero = (a == 0) | (b == 0)
    a[zero] += add
    b[zero] += add
    return np.log(a / b), 1.0 / a + 1.0 / b


def auc_hanley_mcneil(
    auc: Sequence[float] | np.ndarray,
    n_pos: Sequence[float] | np.ndarray,
    n_neg: Sequence[float] | np.ndarray,
) -> np.ndarray:
    """Standard error of an AUC by Hanley & McNeil (1982, Radiology 143:29-36, eq. 2).

    ``SE² = [A(1-A) + (n_pos-1)(Q1-A²) + (n_neg-1)(Q2-A²)] / (n_pos n_neg)`` with
    ``Q1 = A/(2-A)`` and ``Q2 = 2A²/(1+A)``.

    Parameters
    ----------
    auc
        Areas under the ROC curve, in (0, 1].
    n_pos, n_neg
        Numbers of positive (abnormal) and negative (normal) cases.

    Returns
    -------
    numpy.ndarray
        Standard errors.

    Examples
    --------
    At A = 0.5 it equals the exact null variance of the Mann-Whitney statistic,
    ``(n_pos + n_neg + 1) / (12 n_pos n_neg)``:

    >>> round(float(auc_hanley_mcneil([0.5], [10], [15])[0]), 6)
    0.120185
    """
    a = np.asarray(auc, dtype=float)
    na = np.asarray(n_pos, dtype=float)
    nn = np.asarray(n_neg, dtype=float)
    if np.any((a <= 0) | (a > 1)) or np.any(na < 1) or np.any(nn < 1):
        raise InputError("auc_hanley_mcneil: expected 0 < auc <= 1 and n_pos, n_neg >= 1")
    q1 = a / (2 - a)
    q2 = 2 * a**2 / (1 + a)
    var = (a * (1 - a) + (na - 1) * (q1 - a**2) + (nn - 1) * (q2 - a**2)) / (na * nn)
    return np.sqrt(var)


#: Schema of :func:`effect_sizes`.
EFFECT_SIZE_SCHEMA: dict[str, pl.DataType] = {
    "study_id": pl.String,
    "metric": pl.String,
    "value": pl.Float64,
    "n_test": pl.Int64,
    "yi": pl.Float64,
    "vi": pl.Float64,
    "scale": pl.String,
    "assumption": pl.String,
}


def effect_sizes(studies: pl.DataFrame, metric: str = "accuracy") -> pl.DataFrame:
    """Effect sizes of the headline results of a study table.

    Rows need ``metric``, ``value`` and ``n_test``. Accuracy becomes a logit proportion
    (``x = round(value * n_test)`` correct images out of ``n_test``, :func:`logit_proportion`).
    AUC becomes ``logit(AUC)`` with variance ``SE² / (A(1-A))²`` (delta method) from the
    Hanley-McNeil SE, assuming a balanced test set (``n_pos = n_neg = n_test / 2``) because the
    study table does not record the class split; AUC = 1 has no finite logit and is dropped.

    Parameters
    ----------
    studies
        Study table (the columns of :mod:`review.schema`; others are kept).
    metric
        ``"accuracy"`` or ``"auc"``.

    Returns
    -------
    polars.DataFrame
        The study columns plus ``yi, vi, scale, assumption``; one row per usable study.
    """
    if metric not in ("accuracy", "auc"):
        raise InputError(f"metric {metric!r}: expected 'accuracy' or 'auc'")
    need = {"study_id", "metric", "value", "n_test"}
    missing = need - set(studies.columns)
    if missing:
        raise InputError(f"effect_sizes: missing column(s) {', '.join(sorted(missing))}")
    sub = studies.filter(
        (pl.col("metric") == metric)
        & pl.col("value").is_not_null()
        & pl.col("n_test").is_not_null()
        & (pl.col("n_test") >= 2)
    )
    if metric == "auc":
        sub = sub.filter((pl.col("value") > 0) & (pl.col("value") < 1))
    if sub.height == 0:
        extra = {c: t for c, t in studies.schema.items() if c not in EFFECT_SIZE_SCHEMA}
        return pl.DataFrame(schema={**EFFECT_SIZE_SCHEMA, **extra})
    value = sub["value"].to_numpy().astype(float)
    n = sub["n_test"].to_numpy().astype(float)
    if metric == "accuracy":
        yi, vi = logit_proportion(np.round(value * n), n)
        scale, assumption = "logit proportion (PLO)", "x = round(accuracy * n_test)"
    else:
        se = auc_hanley_mcneil(value, n / 2, n / 2)
        yi = np.log(value / (1 - value))
        vi = se**2 / (value * (1 - value)) ** 2
        scale, assumption = "logit AUC", "balanced test set: n_pos = n_neg = n_test / 2"
    return sub.with_columns(
        pl.Series("yi", yi),
        pl.Series("vi", vi),
        pl.lit(scale).alias("scale"),
        pl.lit(assumption).alias("assumption"),
    )


# ---------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RmaFit:
    """A fitted (mixed-effects) meta-analytic model, as metafor's ``rma.uni`` object.

    Attributes
    ----------
    yi, vi, X
        Effect sizes, sampling variances and design matrix (first column the intercept).
    terms
        Names of the columns of ``X``.
    method, test, level
        Estimator, inference and confidence level.
    beta, vb, se, stat, p_val, ci_low, ci_high
        Coefficients, their covariance, standard errors, z or t statistics, p values and
        confidence bounds.
    df
        Degrees of freedom of the t tests (``k - p``) for ``knha``; ``None`` for ``z``.
    tau2
        Estimated (residual) between-study variance (0 for ``FE``).
    q, q_df, q_p
        Cochran's Q (residual heterogeneity QE under equal-effects weights), df and p value.
    qm, qm_df, qm_p
        Omnibus test of the moderators (without the intercept; chi² for ``z``, F for ``knha``);
        ``nan`` without moderators.
    vt
        Typical within-study variance ``(k - p) / tr(P)`` under equal-effects weights.
    i2, h2
        I² (percent) and H², as metafor prints them.
    notes
        What was changed from the request and why (e.g. ``k = 1``: tau² fixed at 0 and ``z``
        inference, as metafor does).
    """

    yi: np.ndarray
    vi: np.ndarray
    X: np.ndarray
    terms: tuple[str, ...]
    method: str
    test: str
    level: float
    beta: np.ndarray
    vb: np.ndarray
    se: np.ndarray
    stat: np.ndarray
    p_val: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    df: int | None
    tau2: float
    q: float
    q_df: int
    q_p: float
    qm: float
    qm_df: int
    qm_p: float
    vt: float
    i2: float
    h2: float
    weights: np.ndarray = field(repr=False)
    notes: tuple[str, ...] = ()

    @property
    def k(self) -> int:
        """Number of studies."""
        return int(self.yi.size)

    @property
    def p(self) -> int:
        """Number of coefficients."""
        return int(self.X.shape[1])

    @property
    def crit(self) -> float:
        """Critical value of the confidence intervals (normal or t)."""
        alpha = 1 - self.level
        if self.df is None:
            return float(stats.norm.ppf(1 - alpha / 2))
        return float(stats.t.ppf(1 - alpha / 2, self.df))

    def predict(self, x: Sequence[float] | None = None) -> dict[str, float]:
        """Predicted mean with its confidence and prediction interval (metafor ``predict()``).

        Parameters
        ----------
        x
            Moderator values (without the intercept); ``None`` for an intercept-only model.

        Returns
        -------
        dict
            ``pred, se, ci_low, ci_high, pi_low, pi_high``; the prediction interval is
            ``pred ± crit * sqrt(se² + tau²)`` with the model's critical value (t with
            ``k - p`` df under ``knha``). For ``FE`` it equals the confidence interval.
        """
        xv = np.concatenate([[1.0], np.asarray(x if x is not None else [], dtype=float)])
        if xv.size != self.p:
            raise InputError(
                f"predict: expected {self.p - 1} moderator value(s), got {xv.size - 1}"
            )
        pred = float(xv @ self.beta)
        se = float(math.sqrt(xv @ self.vb @ xv))
        c = self.crit
        spi = math.sqrt(se**2 + self.tau2)
        return {
            "pred": pred,
            "se": se,
            "ci_low": pred - c * se,
            "ci_high": pred + c * se,
            "pi_low": pred - c * spi,
            "pi_high": pred + c * spi,
        }


def _wls(y: np.ndarray, v: np.ndarray, X: np.ndarray, tau2: float):
    """Weighted least squares at a given tau²: beta, (X'WX)^-1, weights, residuals."""
    w = 1.0 / (v + tau2)
    if X.shape[1] == 1:  # the intercept (``_design`` always puts it first): O(k) sums
        sw = float(np.sum(w))
        beta1 = np.array([float(w @ y) / sw])
        return beta1, np.array([[1.0 / sw]]), w, y - beta1[0]
    xtw = X.T * w
    ainv = np.linalg.inv(xtw @ X)
    beta = ainv @ (xtw @ y)
    return beta, ainv, w, y - X @ beta


def _rss(y: np.ndarray, v: np.ndarray, X: np.ndarray, tau2: float) -> float:
    """Generalised Q statistic ``y'P(tau²)y`` (the weighted residual sum of squares)."""
    _, _, w, r = _wls(y, v, X, tau2)
    return float(np.sum(w * r * r))


def _trace_p(w: np.ndarray, X: np.ndarray, ainv: np.ndarray) -> float:
    """``tr(P)`` with ``P = W - W X (X'WX)^-1 X' W``, without forming P."""
    if X.shape[1] == 1:
        # sum_i w_i (sum_{j != i} w_j) / sum w, with the sums over j != i added up from both
        # ends rather than subtracted, so that one dominant weight does not cancel the rest
        before = np.concatenate([[0.0], np.cumsum(w[:-1])])
        after = np.concatenate([np.cumsum(w[::-1][:-1])[::-1], [0.0]])
        return float(np.sum(w * (before + after)) * ainv[0, 0])
    xw2x = (X.T * (w * w)) @ X
    return float(np.sum(w) - np.trace(ainv @ xw2x))


def _score(y: np.ndarray, v: np.ndarray, X: np.ndarray, tau2: float, reml: bool) -> float:
    """Derivative (times 2) of the (restricted) log-likelihood with respect to tau²."""
    _, ainv, w, r = _wls(y, v, X, tau2)
    wr = w * r
    if reml:
        return float(np.sum(wr * wr) - _trace_p(w, X, ainv))
    return float(np.sum(wr * wr) - np.sum(w))


def _upper_bracket(f, start: float) -> float:
    hi = max(start, 1e-4)
    for _ in range(200):
        if f(hi) < 0:
            return hi
        hi *= 2.0
    raise ArithmeticError("could not bracket the root of the tau² equation")


def _tau2(y: np.ndarray, v: np.ndarray, X: np.ndarray, method: str) -> float:
    """Estimate tau² (truncated at 0, as metafor does)."""
    k, p = X.shape
    if method == "FE":
        return 0.0
    if method == "DL":
        _, ainv, w, r = _wls(y, v, X, 0.0)
        rss = float(np.sum(w * r * r))
        return max(0.0, (rss - (k - p)) / _trace_p(w, X, ainv))
    spread = float(np.var(y)) + float(np.mean(v))
    if method == "PM":

        def f(t: float) -> float:
            return _rss(y, v, X, t) - (k - p)

    else:
        reml = method == "REML"

        def f(t: float) -> float:
            return _score(y, v, X, t, reml)

    if f(0.0) <= 0:
        return 0.0
    hi = _upper_bracket(f, 10 * spread)
    root = float(optimize.brentq(f, 0.0, hi, xtol=_TOL, rtol=4 * np.finfo(float).eps))
    if method in ("ML", "REML") and _loglik(y, v, X, 0.0, method) > _loglik(y, v, X, root, method):
        return 0.0  # metafor's ll0check: a root that is not the maximum falls back to 0
    return root


def _loglik(y: np.ndarray, v: np.ndarray, X: np.ndarray, tau2: float, method: str) -> float:
    """(Restricted) log-likelihood at ``tau2``, as metafor computes it."""
    k, p = X.shape
    _, ainv, w, r = _wls(y, v, X, tau2)
    rss = float(np.sum(w * r * r))
    ll = -0.5 * float(np.sum(np.log(v + tau2))) - 0.5 * rss
    if method == "ML":
        return ll - 0.5 * k * math.log(2 * math.pi)
    logdet = -np.linalg.slogdet(ainv)[1]
    return ll - 0.5 * (k - p) * math.log(2 * math.pi) - 0.5 * float(logdet)


def _design(X: np.ndarray | None, k: int) -> np.ndarray:
    if X is None:
        return np.ones((k, 1))
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    return np.column_stack([np.ones(k), X])


def rma(
    yi: Sequence[float] | np.ndarray,
    vi: Sequence[float] | np.ndarray,
    mods: np.ndarray | None = None,
    *,
    method: str = "REML",
    test: str = "z",
    level: float = 0.95,
    terms: Sequence[str] | None = None,
) -> RmaFit:
    """Fit an equal-, random- or mixed-effects meta-analytic model (metafor ``rma.uni``).

    Parameters
    ----------
    yi, vi
        Effect sizes and their sampling variances (``vi > 0``).
    mods
        Moderator matrix (k x m) without intercept; ``None`` for an intercept-only model.
    method
        ``FE``, ``DL``, ``PM``, ``REML`` or ``ML``.
    test
        ``z`` (normal) or ``knha`` (Knapp-Hartung: coefficient covariance scaled by
        ``sum(w r²) / (k - p)``, t tests with ``k - p`` df, F test of the moderators; not
        truncated, as in metafor).
    level
        Confidence level.
    terms
        Names of the moderator columns (default ``x1, x2, ...``).

    Returns
    -------
    RmaFit

    Raises
    ------
    InputError
        On fewer than ``p + 1`` studies, non-finite values or non-positive variances.

    Notes
    -----
    I² and H² follow metafor: for ``FE`` they are ``100 max(0, (Q - (k-p)) / Q)`` and
    ``Q / (k - p)``; otherwise ``100 tau² / (vt + tau²)`` and ``(vt + tau²) / vt`` with the
    typical within-study variance ``vt = (k - p) / tr(P)`` (which equals the Q-based values
    for DL).

    Examples
    --------
    >>> fit = rma([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.03], method="DL")
    >>> round(fit.tau2, 6) >= 0
    True
    """
    cfg = MetaConfig(method=method, test=test, level=level)
    y = np.asarray(yi, dtype=float).ravel()
    v = np.asarray(vi, dtype=float).ravel()
    k = y.size
    if v.size != k:
        raise InputError(f"rma: yi has {k} values but vi has {v.size}")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(v))):
        raise InputError("rma: yi and vi must be finite numbers")
    if np.any(v <= 0):
        raise InputError("rma: every sampling variance vi must be > 0")
    if k == 0:
        raise InputError("rma: no studies to pool")
    X = _design(mods, k)
    p = X.shape[1]
    notes: list[str] = []
    if k == 1 and p == 1:
        # metafor: with k = 1 tau² is 0 and only z inference is possible
        notes.append("k = 1: tau2 fixed at 0 and z inference (as metafor does)")
        cfg = MetaConfig(method=cfg.method, test="z", level=cfg.level)
    elif k < p + 1:
        raise InputError(f"rma: need at least {p + 1} studies for {p} coefficient(s), got {k}")
    if np.linalg.matrix_rank(X) < p:
        raise InputError("rma: the moderators are collinear (design matrix not of full rank)")
    names = ("intrcpt",) + tuple(terms if terms is not None else (f"x{j}" for j in range(1, p)))

    try:
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            return _fit(y, v, X, cfg, names, tuple(notes))
    except (ArithmeticError, FloatingPointError, np.linalg.LinAlgError, RuntimeError) as exc:
        raise InputError(
            f"rma: the values cannot be fitted in double precision ({exc}); rescale yi and vi "
            "(e.g. change units) so that they lie within 1e-30..1e30"
        ) from None


def _fit(
    y: np.ndarray,
    v: np.ndarray,
    X: np.ndarray,
    cfg: MetaConfig,
    names: tuple[str, ...],
    notes: tuple[str, ...],
) -> RmaFit:
    """The body of :func:`rma` (checked inputs)."""
    k, p = X.shape
    tau2 = 0.0 if k == 1 else _tau2(y, v, X, cfg.method)
    beta, ainv, w, r = _wls(y, v, X, tau2)
    if cfg.test == "knha":
        rss_knha = float(np.sum(w * r * r))
        # metafor: an RSS at machine precision (all yi equal) gives s2w = 0, so se = 0 and
        # the test statistic is infinite (p = 0) rather than a number made of rounding
        s2w = 0.0 if rss_knha <= np.finfo(float).eps else rss_knha / (k - p)
        vb = s2w * ainv
        df: int | None = k - p
    else:
        vb = ainv
        df = None
    se = np.sqrt(np.diag(vb))
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = beta / se  # ±inf (or nan for 0/0) when s2w = 0, as in metafor
    alpha = 1 - cfg.level
    if df is None:
        p_val = 2 * stats.norm.sf(np.abs(stat))
        crit = stats.norm.ppf(1 - alpha / 2)
    else:
        p_val = 2 * stats.t.sf(np.abs(stat), df)
        crit = stats.t.ppf(1 - alpha / 2, df)

    # residual heterogeneity under equal-effects weights
    _, ainv0, w0, r0 = _wls(y, v, X, 0.0)
    q = float(np.sum(w0 * r0 * r0))
    q_df = k - p
    q_p = float(stats.chi2.sf(q, q_df)) if q_df > 0 else float("nan")
    vt = q_df / _trace_p(w0, X, ainv0) if q_df > 0 else float("nan")
    if q_df == 0:
        i2 = h2 = float("nan")  # no heterogeneity can be measured with k = p
    elif cfg.method == "FE":
        i2 = 100 * max(0.0, (q - q_df) / q) if q > 0 else 0.0
        h2 = q / q_df
    else:
        i2 = 100 * tau2 / (vt + tau2)
        h2 = (vt + tau2) / vt

    if p > 1:
        b = beta[1:]
        try:
            qm = float(b @ np.linalg.solve(vb[1:, 1:], b))
        except np.linalg.LinAlgError:  # vb = 0 (knha with s2w = 0): metafor's QM is NA too
            qm = float("nan")
        qm_df = p - 1
        if df is None:
            qm_p = float(stats.chi2.sf(qm, qm_df))
        else:
            qm = qm / qm_df
            qm_p = float(stats.f.sf(qm, qm_df, df))
    else:
        qm, qm_df, qm_p = float("nan"), 0, float("nan")

    return RmaFit(
        yi=y, vi=v, X=X, terms=names, method=cfg.method, test=cfg.test, level=cfg.level,
        beta=beta, vb=vb, se=se, stat=stat, p_val=p_val,
        ci_low=beta - crit * se, ci_high=beta + crit * se, df=df, tau2=float(tau2),
        q=q, q_df=q_df, q_p=q_p, qm=qm, qm_df=qm_df, qm_p=qm_p, vt=float(vt),
        i2=float(i2), h2=float(h2), weights=w, notes=notes,
    )  # fmt: skip


def confint_tau2(fit: RmaFit, level: float | None = None) -> dict[str, float]:
    """Q-profile confidence intervals for tau², I² and H² (metafor ``confint()``).

    The bounds solve ``y'P(tau²)y = chi²_{k-p}`` at the upper and lower ``alpha/2`` quantiles
    (Viechtbauer 2007). A bound whose equation has no solution on ``[0, inf)`` is 0. I² and H²
    bounds are the tau² bounds transformed with the model's typical within-study variance.

    Parameters
    ----------
    fit
        A random- or mixed-effects fit (not ``FE``).
    level
        Confidence level (default the fit's).

    Returns
    -------
    dict
        ``tau2, tau2_ci_low, tau2_ci_high, i2, i2_ci_low, i2_ci_high, h2, h2_ci_low,
        h2_ci_high`` (I² in percent).

    Examples
    --------
    The Q-profile interval brackets the DerSimonian-Laird estimate; a lower bound below 0 is 0:

    >>> fit = rma([0.10, 0.30, 0.35, 0.60, 0.45, 0.20], [0.02, 0.03, 0.05, 0.04, 0.06, 0.01],
    ...           method="DL")
    >>> ci = confint_tau2(fit)
    >>> ci["tau2_ci_low"] <= ci["tau2"] == fit.tau2 <= ci["tau2_ci_high"], ci["tau2_ci_low"]
    (True, 0.0)
    """
    if fit.method == "FE":
        raise InputError("confint_tau2: an equal-effects (FE) model has no tau² to bound")
    level = fit.level if level is None else level
    alpha = 1 - level
    df = fit.k - fit.p
    if df < 1:
        keys = ("tau2_ci_low", "tau2_ci_high", "i2_ci_low", "i2_ci_high", "h2_ci_low",
                "h2_ci_high")  # fmt: skip
        return {"tau2": fit.tau2, "i2": fit.i2, "h2": fit.h2, **dict.fromkeys(keys)}
    y, v, X = fit.yi, fit.vi, fit.X
    crit_hi = stats.chi2.ppf(1 - alpha / 2, df)  # solves the lower bound
    crit_lo = stats.chi2.ppf(alpha / 2, df)  # solves the upper bound
    q0 = _rss(y, v, X, 0.0)

    # metafor searches [0, max(100, 10 tau²)] and reports the upper end when the root lies beyond
    tau2_max = max(100.0, 10 * fit.tau2)

    def bound(crit: float) -> float:
        if q0 < crit:
            return 0.0

        def f(t: float) -> float:
            return _rss(y, v, X, t) - crit

        if f(tau2_max) > 0:
            return tau2_max
        return float(optimize.brentq(f, 0.0, tau2_max, xtol=_TOL, rtol=4 * np.finfo(float).eps))

    lo, hi = bound(crit_hi), bound(crit_lo)

    def i2(t: float) -> float:
        return 100 * t / (fit.vt + t)

    def h2(t: float) -> float:
        return (fit.vt + t) / fit.vt

    return {
        "tau2": fit.tau2, "tau2_ci_low": lo, "tau2_ci_high": hi,
        "i2": fit.i2, "i2_ci_low": i2(lo), "i2_ci_high": i2(hi),
        "h2": fit.h2, "h2_ci_low": h2(lo), "h2_ci_high": h2(hi),
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Tidy wrappers
# ---------------------------------------------------------------------------------------------

#: Schema of :func:`pool` (one row per fitted model).
POOL_SCHEMA: dict[str, pl.DataType] = {
    "estimate": pl.Float64,
    "se": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "p_val": pl.Float64,
    "k": pl.Int64,
    "conf_level": pl.Float64,
    "method": pl.String,
    "test": pl.String,
    "stat": pl.Float64,
    "df": pl.Int64,
    "tau2": pl.Float64,
    "tau2_ci_low": pl.Float64,
    "tau2_ci_high": pl.Float64,
    "i2": pl.Float64,
    "i2_ci_low": pl.Float64,
    "i2_ci_high": pl.Float64,
    "h2": pl.Float64,
    "h2_ci_low": pl.Float64,
    "h2_ci_high": pl.Float64,
    "q": pl.Float64,
    "q_df": pl.Int64,
    "q_p": pl.Float64,
    "pi_low": pl.Float64,
    "pi_high": pl.Float64,
}


def _arrays(
    df: pl.DataFrame, yi: str, vi: str, what: str = "data"
) -> tuple[np.ndarray, np.ndarray]:
    for col in (yi, vi):
        if col not in df.columns:
            raise InputError(f"{what}: no column {col!r}; columns: {', '.join(df.columns)}")
    y = df[yi].cast(pl.Float64, strict=False).to_numpy()
    v = df[vi].cast(pl.Float64, strict=False).to_numpy()
    return y, v


def _as_polars(df) -> pl.DataFrame:
    if isinstance(df, pl.DataFrame):
        return df
    return pl.from_pandas(df)


def pool_row(fit: RmaFit) -> dict[str, object]:
    """The :data:`POOL_SCHEMA` row of an intercept-only fit.

    Heterogeneity bounds, tau² and the prediction interval are ``None`` for ``FE`` (they do not
    apply to an equal-effects model); I² and H² are then the Q-based values metafor prints.
    """
    if fit.p != 1:
        raise InputError("pool_row: expects an intercept-only model")
    is_fe = fit.method == "FE"
    het: dict[str, float | None] = {}
    if not is_fe:
        try:
            het = confint_tau2(fit)
        except (ArithmeticError, ValueError, np.linalg.LinAlgError):
            het = {}  # bounds that cannot be solved are null (the CLI notes it)
    pred = fit.predict()
    return {
        "estimate": float(fit.beta[0]),
        "se": float(fit.se[0]),
        "ci_low": float(fit.ci_low[0]),
        "ci_high": float(fit.ci_high[0]),
        "p_val": float(fit.p_val[0]),
        "k": fit.k,
        "conf_level": fit.level,
        "method": fit.method,
        "test": fit.test,
        "stat": float(fit.stat[0]),
        "df": fit.df,
        "tau2": None if is_fe else fit.tau2,
        "tau2_ci_low": het.get("tau2_ci_low"),
        "tau2_ci_high": het.get("tau2_ci_high"),
        "i2": fit.i2,
        "i2_ci_low": het.get("i2_ci_low"),
        "i2_ci_high": het.get("i2_ci_high"),
        "h2": fit.h2,
        "h2_ci_low": het.get("h2_ci_low"),
        "h2_ci_high": het.get("h2_ci_high"),
        "q": fit.q,
        "q_df": fit.q_df,
        "q_p": fit.q_p,
        "pi_low": None if is_fe else pred["pi_low"],
        "pi_high": None if is_fe else pred["pi_high"],
    }


def pool(
    df,
    yi: str = "yi",
    vi: str = "vi",
    *,
    methods: Sequence[str] = ("REML",),
    test: str = "z",
    level: float = 0.95,
) -> pl.DataFrame:
    """Pool effect sizes with one or several estimators.

    Parameters
    ----------
    df
        polars or pandas DataFrame with one row per study.
    yi, vi
        Columns of effect sizes and sampling variances.
    methods
        Estimators to fit, one output row each.
    test
        ``z`` or ``knha``.
    level
        Confidence level.

    Returns
    -------
    polars.DataFrame
        :data:`POOL_SCHEMA`; empty when fewer than two studies are given (:func:`rma`
        itself fits k = 1 as metafor does).

    Examples
    --------
    The DerSimonian-Laird and equal-effects estimates agree with statsmodels:

    >>> import numpy as np
    >>> import polars as pl
    >>> from statsmodels.stats.meta_analysis import combine_effects
    >>> yi, vi = [0.10, 0.30, 0.35, 0.60, 0.45, 0.20], [0.02, 0.03, 0.05, 0.04, 0.06, 0.01]
    >>> out = pool(pl.DataFrame({"yi": yi, "vi": vi}), methods=("DL", "FE"))
    >>> ref = combine_effects(np.array(yi), np.array(vi), method_re="chi2")
    >>> out["method"].to_list()
    ['DL', 'FE']
    >>> bool(np.allclose(out["estimate"], [ref.mean_effect_re, ref.mean_effect_fe]))
    True
    """
    df = _as_polars(df)
    y, v = _arrays(df, yi, vi)
    if y.size < 2:
        return pl.DataFrame(schema=POOL_SCHEMA)
    rows = [pool_row(rma(y, v, method=m, test=test, level=level)) for m in methods]
    return pl.DataFrame(rows, schema=POOL_SCHEMA, orient="row")


#: Schema of the per-subgroup rows of :func:`subgroup_analysis`.
SUBGROUP_SCHEMA: dict[str, pl.DataType] = {
    "factor": pl.String,
    "subgroup": pl.String,
    **POOL_SCHEMA,
    "status": pl.String,
}
#: Schema of the between-subgroup tests of :func:`subgroup_analysis`.
SUBGROUP_TEST_SCHEMA: dict[str, pl.DataType] = {
    "factor": pl.String,
    "test_type": pl.String,
    "stat": pl.Float64,
    "df1": pl.Int64,
    "df2": pl.Int64,
    "p_val": pl.Float64,
    "n_groups": pl.Int64,
    "k": pl.Int64,
    "method": pl.String,
    "test": pl.String,
    "tau2": pl.Float64,
    "note": pl.String,
}


def subgroup_analysis(
    df,
    by: str,
    yi: str = "yi",
    vi: str = "vi",
    *,
    method: str = "REML",
    test: str = "z",
    level: float = 0.95,
    min_k: int = 2,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Pool within subgroups and test whether the subgroups differ.

    Two between-subgroup tests are reported (rows of the second frame):

    ``Q_between (separate tau2)``
        Each subgroup with at least ``min_k`` studies is pooled on its own (own tau²);
        ``Q_b = sum (mu_g - mu)² / se_g²`` with ``mu`` the inverse-variance mean of the
        subgroup estimates, chi² with ``G - 1`` df (metafor: ``rma(est, sei=se,
        method="FE")$QE``; the default of R's meta package).
    ``QM (common tau2)``
        The moderator test of the mixed-effects model ``rma(yi, vi, mods = ~ factor(by),
        method)`` on the same studies: one tau² shared by all subgroups (chi², or F under
        ``knha``).

    Subgroups with fewer than ``min_k`` studies are listed with ``status`` saying so and left
    out of both tests; the tests need at least two subgroups.

    Parameters
    ----------
    df
        One row per study, with the columns ``yi``, ``vi`` and ``by``.
    by
        Grouping column.
    yi, vi
        Effect-size and variance columns.
    method, test, level
        As in :func:`rma`.
    min_k
        Smallest subgroup that is pooled and tested.

    Returns
    -------
    groups, tests : polars.DataFrame
        :data:`SUBGROUP_SCHEMA` and :data:`SUBGROUP_TEST_SCHEMA`.
    """
    df = _as_polars(df)
    if by not in df.columns:
        raise InputError(f"subgroup_analysis: no column {by!r}")
    y, v = _arrays(df, yi, vi)
    g = np.array([str(x) if x is not None else "(missing)" for x in df[by].to_list()])
    levels = sorted(set(g.tolist()))
    rows, kept = [], []
    for lev in levels:
        m = g == lev
        base = {"factor": by, "subgroup": lev}
        if m.sum() >= max(2, min_k):
            fit = rma(y[m], v[m], method=method, test=test, level=level)
            rows.append({**base, **pool_row(fit), "status": "pooled"})
            kept.append((lev, fit))
        else:
            empty = dict.fromkeys(POOL_SCHEMA)
            empty.update(k=int(m.sum()), conf_level=level, method=method, test=test)
            if m.sum() == 1:
                empty.update(estimate=float(y[m][0]), se=float(math.sqrt(v[m][0])))
            rows.append({**base, **empty, "status": f"not pooled: k < {max(2, min_k)}"})
    groups = pl.DataFrame(rows, schema=SUBGROUP_SCHEMA, orient="row")
    tests = []
    if len(kept) >= 2:
        est = np.array([f.beta[0] for _, f in kept])
        var = np.array([f.se[0] ** 2 for _, f in kept])
        qb_fit = rma(est, var, method="FE")
        tests.append({
            "factor": by, "test_type": "Q_between (separate tau2)", "stat": qb_fit.q,
            "df1": len(kept) - 1, "df2": None, "p_val": qb_fit.q_p, "n_groups": len(kept),
            "k": int(sum(f.k for _, f in kept)), "method": method, "test": test, "tau2": None,
            "note": "subgroup estimates compared with their own tau2 (chi2)",
        })  # fmt: skip
        keep_levels = [lev for lev, _ in kept]
        m = np.isin(g, keep_levels)
        mods = np.column_stack([(g[m] == lev).astype(float) for lev in keep_levels[1:]])
        mfit = rma(
            y[m],
            v[m],
            mods,
            method=method,
            test=test,
            level=level,
            terms=[f"{by}={lev}" for lev in keep_levels[1:]],
        )
        tests.append({
            "factor": by, "test_type": "QM (common tau2)", "stat": mfit.qm,
            "df1": mfit.qm_df, "df2": mfit.df, "p_val": mfit.qm_p, "n_groups": len(kept),
            "k": mfit.k, "method": method, "test": test, "tau2": mfit.tau2,
            "note": ("mixed-effects model with subgroup dummies (" +
                     ("F test" if test == "knha" else "chi2 test") + ")"),
        })  # fmt: skip
    return groups, pl.DataFrame(tests, schema=SUBGROUP_TEST_SCHEMA, orient="row")


#: Schema of :func:`meta_regression` (one row per coefficient; model statistics repeated).
METAREG_SCHEMA: dict[str, pl.DataType] = {
    "term": pl.String,
    "estimate": pl.Float64,
    "se": pl.Float64,
    "stat": pl.Float64,
    "p_val": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "k": pl.Int64,
    "conf_level": pl.Float64,
    "method": pl.String,
    "test": pl.String,
    "df": pl.Int64,
    "tau2": pl.Float64,
    "qm": pl.Float64,
    "qm_df": pl.Int64,
    "qm_p": pl.Float64,
    "qe": pl.Float64,
    "qe_df": pl.Int64,
    "qe_p": pl.Float64,
    "i2": pl.Float64,
    "r2": pl.Float64,
}


def meta_regression(
    df,
    moderators: Sequence[str],
    yi: str = "yi",
    vi: str = "vi",
    *,
    method: str = "REML",
    test: str = "z",
    level: float = 0.95,
) -> pl.DataFrame:
    """Mixed-effects meta-regression (metafor ``rma(yi, vi, mods = ~ ..., method)``).

    Numeric moderators enter as they are; string moderators as treatment dummies with the
    alphabetically first level as reference (R's ``factor`` coding). Rows with a missing
    moderator are dropped.

    Parameters
    ----------
    df
        One row per study.
    moderators
        Moderator columns.
    yi, vi
        Effect-size and variance columns.
    method, test, level
        As in :func:`rma`.

    Returns
    -------
    polars.DataFrame
        :data:`METAREG_SCHEMA`: one row per coefficient; ``r2`` is metafor's pseudo-R²
        ``max(0, 100 (tau²_0 - tau²) / tau²_0)`` against the intercept-only model on the same
        studies (``None`` for ``FE`` or when ``tau²_0 = 0``). Empty when too few studies.
    """
    df = _as_polars(df)
    missing = [m for m in moderators if m not in df.columns]
    if missing:
        raise InputError(f"meta_regression: no column(s) {', '.join(missing)}")
    sub = df.drop_nulls(list(moderators))
    y, v = _arrays(sub, yi, vi)
    cols, names = [], []
    for mod in moderators:
        s = sub[mod]
        if s.dtype.is_numeric():
            cols.append(s.cast(pl.Float64).to_numpy())
            names.append(mod)
        else:
            vals = np.array([str(x) for x in s.to_list()])
            for lev in sorted(set(vals.tolist()))[1:]:
                cols.append((vals == lev).astype(float))
                names.append(f"{mod}={lev}")
    p = len(cols) + 1
    if y.size < p + 2 or not cols:
        return pl.DataFrame(schema=METAREG_SCHEMA)
    X = np.column_stack(cols)
    if np.linalg.matrix_rank(np.column_stack([np.ones(y.size), X])) < p:
        return pl.DataFrame(schema=METAREG_SCHEMA)
    fit = rma(y, v, X, method=method, test=test, level=level, terms=names)
    r2 = None
    if method != "FE":
        t0 = rma(y, v, method=method, test=test, level=level).tau2
        r2 = max(0.0, 100 * (t0 - fit.tau2) / t0) if t0 > 0 else None
    rows = []
    for j, term in enumerate(fit.terms):
        rows.append({
            "term": term, "estimate": float(fit.beta[j]), "se": float(fit.se[j]),
            "stat": float(fit.stat[j]), "p_val": float(fit.p_val[j]),
            "ci_low": float(fit.ci_low[j]), "ci_high": float(fit.ci_high[j]), "k": fit.k,
            "conf_level": fit.level, "method": fit.method, "test": fit.test, "df": fit.df,
            "tau2": fit.tau2, "qm": fit.qm, "qm_df": fit.qm_df, "qm_p": fit.qm_p,
            "qe": fit.q, "qe_df": fit.q_df, "qe_p": fit.q_p, "i2": fit.i2, "r2": r2,
        })  # fmt: skip
    return pl.DataFrame(rows, schema=METAREG_SCHEMA, orient="row")
