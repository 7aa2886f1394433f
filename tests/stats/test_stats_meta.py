"""Meta-analysis engine against values pinned with R's metafor (tests/stats/metafor_pins.py).

Each pinned value in metafor_pins.py carries the R call that produced it; the script that
produced them is tests/stats/r/metafor_pins.R. Data: dat.bcg (Colditz et al. 1994 via
metafor) and SYNTHETIC sets (stats_fixtures.py). Tolerances: 1e-6 for closed-form results
(FE, DL, Q, effect sizes), 1e-4 for iterative ones (PM, REML, ML, Q-profile bounds).
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from metafor_pins import R_PINS
from stats_fixtures import SACC_N, SACC_X, bcg, data_set

from review.errors import InputError
from review.stats import meta

CLOSED = {"rel": 1e-6, "abs": 1e-6}
ITER = {"rel": 1e-4, "abs": 1e-4}


def tol(method: str) -> dict:
    return CLOSED if method in ("FE", "DL") else ITER


# ---- effect sizes ---------------------------------------------------------------------------


def test_bcg_log_risk_ratios_match_escalc():
    d = bcg()
    # as.numeric(bcg$yi), as.numeric(bcg$vi) with bcg <- escalc(measure="RR", ..., data=dat.bcg)
    assert d["yi"].to_list() == pytest.approx(R_PINS["bcg.yi"], **CLOSED)
    assert d["vi"].to_list() == pytest.approx(R_PINS["bcg.vi"], **CLOSED)


def test_logit_proportion_matches_escalc_plo_with_continuity_correction():
    yi, vi = meta.logit_proportion(SACC_X, SACC_N)
    # escalc(measure="PLO", xi=xi, ni=ni): the 50/50 study gets 1/2 added to both cells
    assert yi.tolist() == pytest.approx(R_PINS["sacc.yi"], **CLOSED)
    assert vi.tolist() == pytest.approx(R_PINS["sacc.vi"], **CLOSED)
    assert np.isfinite(yi).all()


@pytest.mark.parametrize(
    ("auc", "npos", "nneg", "key"),
    [(0.893, 51, 58, "hm.se.0893_51_58"), (0.75, 30, 70, "hm.se.0750_30_70"),
     (0.99, 100, 100, "hm.se.0990_100_100")],
)  # fmt: skip
def test_auc_hanley_mcneil_matches_r(auc, npos, nneg, key):
    assert meta.auc_hanley_mcneil([auc], [npos], [nneg])[0] == pytest.approx(R_PINS[key], **CLOSED)


@pytest.mark.parametrize(("m", "n"), [(10, 15), (51, 58), (200, 40)])
def test_auc_hanley_mcneil_at_chance_equals_the_exact_mann_whitney_variance(m, n):
    # independent check: under no discrimination (A = 0.5), Var(U / mn) = (m + n + 1) / (12 mn)
    exact = np.sqrt((m + n + 1) / (12 * m * n))
    assert meta.auc_hanley_mcneil([0.5], [m], [n])[0] == pytest.approx(exact, rel=1e-12)


def test_effect_sizes_from_a_study_table():
    studies = pl.DataFrame({
        "study_id": ["a", "b", "c", "d", "e"], "metric": ["accuracy", "accuracy", "auc", "auc",
                                                          "accuracy"],
        "value": [0.9, 1.0, 0.85, 1.0, 0.8], "n_test": [100, 50, 200, 80, None],
    })  # fmt: skip
    acc = meta.effect_sizes(studies, "accuracy")
    assert acc["study_id"].to_list() == ["a", "b"]  # no n_test: left out
    y, v = meta.logit_proportion([90, 50], [100, 50])
    assert acc["yi"].to_list() == pytest.approx(y.tolist())
    assert acc["vi"].to_list() == pytest.approx(v.tolist())
    auc = meta.effect_sizes(studies, "auc")
    assert auc["study_id"].to_list() == ["c"]  # AUC = 1 has no finite logit
    se = meta.auc_hanley_mcneil([0.85], [100], [100])[0]
    assert auc["vi"][0] == pytest.approx(se**2 / (0.85 * 0.15) ** 2)
    assert auc["yi"][0] == pytest.approx(np.log(0.85 / 0.15))
    assert "balanced" in auc["assumption"][0]
    empty = meta.effect_sizes(studies.clear(), "auc")
    assert empty.height == 0 and {"yi", "vi"} <= set(empty.columns)


# ---- pooling ----------------------------------------------------------------------------

CASES = [(d, m, t) for d in ("bcg", "s5", "shom", "sacc") for m in meta.METHODS
         for t in ("z", "knha") if not (m == "FE" and t == "knha")]  # fmt: skip


@pytest.mark.parametrize(("data", "method", "test"), CASES)
def test_pooling_matches_metafor(data, method, test):
    y, v = data_set(data)
    fit = meta.rma(y, v, method=method, test=test)
    row = meta.pool_row(fit)
    key = f"{data}.{method}.{test}"
    t = tol(method)
    got = {"estimate": row["estimate"], "se": row["se"], "ci_low": row["ci_low"],
           "ci_high": row["ci_high"], "stat": row["stat"], "p_val": row["p_val"],
           "tau2": fit.tau2, "i2": row["i2"], "h2": row["h2"]}  # fmt: skip
    for name, val in got.items():
        assert val == pytest.approx(R_PINS[f"{key}.{name}"], **t), name
    assert row["q"] == pytest.approx(R_PINS[f"{key}.q"], **CLOSED)
    assert row["q_p"] == pytest.approx(R_PINS[f"{key}.q_p"], **CLOSED)
    assert row["df"] == (fit.k - 1 if test == "knha" else None)
    if method == "FE":
        assert row["tau2"] is None and row["pi_low"] is None and row["tau2_ci_low"] is None
        return
    for name in ("pi_low", "pi_high"):
        assert row[name] == pytest.approx(R_PINS[f"{key}.{name}"], **t), name
    # Q-profile bounds are roots of an equation: iterative for every estimator
    for name in ("tau2_ci_low", "tau2_ci_high", "i2_ci_low", "i2_ci_high", "h2_ci_low",
                 "h2_ci_high"):  # fmt: skip
        assert row[name] == pytest.approx(R_PINS[f"{key}.{name}"], **ITER), name


def test_homogeneous_set_truncates_tau2_and_its_interval_at_zero():
    y, v = data_set("shom")
    for method in ("DL", "PM", "REML", "ML"):
        fit = meta.rma(y, v, method=method)
        ci = meta.confint_tau2(fit)
        assert fit.tau2 == 0.0 and fit.i2 == 0.0 and fit.h2 == 1.0
        assert ci["tau2_ci_low"] == 0.0 and ci["tau2_ci_high"] == 0.0


def test_pool_returns_fixed_schema_rows_per_method():
    d = bcg()
    out = meta.pool(d, methods=meta.METHODS)
    assert out.schema == pl.Schema(meta.POOL_SCHEMA)
    assert out["method"].to_list() == list(meta.METHODS)
    assert out["k"].to_list() == [13] * 5
    assert out["conf_level"].to_list() == [0.95] * 5
    assert meta.pool(d.head(1)).height == 0
    assert meta.pool(d.head(1)).schema == pl.Schema(meta.POOL_SCHEMA)
    # pandas input works too
    assert meta.pool(d.to_pandas())["estimate"][0] == pytest.approx(R_PINS["bcg.REML.z.estimate"],
                                                                   **ITER)  # fmt: skip


def test_statsmodels_combine_effects_agrees():
    from statsmodels.stats.meta_analysis import combine_effects

    y, v = data_set("bcg")
    dl = combine_effects(y, v, method_re="chi2")
    fe, rdl = meta.rma(y, v, method="FE"), meta.rma(y, v, method="DL")
    assert dl.mean_effect_fe == pytest.approx(fe.beta[0], **CLOSED)
    assert dl.sd_eff_w_fe == pytest.approx(fe.se[0], **CLOSED)
    assert dl.mean_effect_re == pytest.approx(rdl.beta[0], **CLOSED)
    assert dl.sd_eff_w_re == pytest.approx(rdl.se[0], **CLOSED)
    assert dl.tau2 == pytest.approx(rdl.tau2, **CLOSED)
    assert dl.q == pytest.approx(rdl.q, **CLOSED)
    assert 100 * dl.i2 == pytest.approx(rdl.i2, **CLOSED)
    # Knapp-Hartung: statsmodels' "random effect wls" scale
    knha = meta.rma(y, v, method="DL", test="knha")
    assert dl.sd_eff_w_re_hksj == pytest.approx(knha.se[0], **CLOSED)
    pm = combine_effects(y, v, method_re="iterated")  # Paule-Mandel
    rpm = meta.rma(y, v, method="PM")
    assert pm.tau2 == pytest.approx(rpm.tau2, **ITER)
    assert pm.mean_effect_re == pytest.approx(rpm.beta[0], **ITER)


@pytest.mark.parametrize(
    ("yi", "vi", "message"),
    [([], [], "no studies"), ([0.1, 0.2], [0.1, 0.0], "> 0"),
     ([0.1, 0.2], [0.1, -1.0], "> 0"), ([0.1, np.nan], [0.1, 0.1], "finite"),
     ([0.1, 0.2], [0.1], "has 2 values")],
)  # fmt: skip
def test_rma_rejects_bad_input(yi, vi, message):
    with pytest.raises(InputError, match=message):
        meta.rma(yi, vi)


def test_bad_method_and_test_are_input_errors():
    with pytest.raises(InputError, match="method"):
        meta.rma([0.1, 0.2], [0.1, 0.1], method="HS")
    with pytest.raises(InputError, match="test"):
        meta.rma([0.1, 0.2], [0.1, 0.1], test="t")


# ---- meta-regression and subgroups --------------------------------------------------------

MREG = [(m, t) for m in meta.METHODS for t in ("z", "knha") if not (m == "FE" and t == "knha")]


@pytest.mark.parametrize(("method", "test"), MREG)
def test_meta_regression_matches_metafor(method, test):
    d = bcg()
    out = meta.meta_regression(d, ["ablat", "year"], method=method, test=test)
    key = f"bcg.mreg.{method}.{test}"
    t = tol(method)
    assert out["term"].to_list() == ["intrcpt", "ablat", "year"]
    assert out["estimate"].to_list() == pytest.approx(R_PINS[f"{key}.beta"], **t)
    assert out["se"].to_list() == pytest.approx(R_PINS[f"{key}.se"], **t)
    assert out["p_val"].to_list() == pytest.approx(R_PINS[f"{key}.p_val"], **t)
    assert out["ci_low"].to_list() == pytest.approx(R_PINS[f"{key}.ci_low"], **t)
    assert out["tau2"][0] == pytest.approx(R_PINS[f"{key}.tau2"], **t)
    assert out["qm"][0] == pytest.approx(R_PINS[f"{key}.qm"], **t)
    assert out["qm_p"][0] == pytest.approx(R_PINS[f"{key}.qm_p"], **t)
    assert out["qe"][0] == pytest.approx(R_PINS[f"{key}.qe"], **CLOSED)
    assert out["i2"][0] == pytest.approx(R_PINS[f"{key}.i2"], **t)
    if method != "FE":
        assert out["r2"][0] == pytest.approx(R_PINS[f"{key}.r2"], **t)
    assert out.schema == pl.Schema(meta.METAREG_SCHEMA)


def test_meta_regression_dummy_codes_strings_like_r_factor():
    out = meta.meta_regression(bcg(), ["alloc"])
    assert out["term"].to_list() == ["intrcpt", "alloc=random", "alloc=systematic"]
    assert out["estimate"].to_list() == pytest.approx(R_PINS["bcg.mreg.alloc.REML.z.beta"], **ITER)


def test_meta_regression_with_too_few_studies_is_empty():
    assert meta.meta_regression(bcg().head(3), ["ablat", "year"]).height == 0


@pytest.mark.parametrize("test", ["z", "knha"])
def test_subgroups_match_metafor(test):
    groups, tests = meta.subgroup_analysis(bcg(), "alloc", method="REML", test=test)
    assert groups["subgroup"].to_list() == ["alternate", "random", "systematic"]
    qm = tests.filter(pl.col("test_type") == "QM (common tau2)").row(0, named=True)
    assert qm["stat"] == pytest.approx(R_PINS[f"bcg.sub.alloc.REML.{test}.qm"], **ITER)
    assert qm["p_val"] == pytest.approx(R_PINS[f"bcg.sub.alloc.REML.{test}.qm_p"], **ITER)
    assert qm["tau2"] == pytest.approx(R_PINS[f"bcg.sub.alloc.REML.{test}.tau2"], **ITER)
    assert qm["df2"] == (10 if test == "knha" else None)
    if test == "z":
        for g in ("alternate", "random", "systematic"):
            r = groups.filter(pl.col("subgroup") == g).row(0, named=True)
            assert r["estimate"] == pytest.approx(R_PINS[f"bcg.sub.{g}.estimate"], **ITER)
            assert r["se"] == pytest.approx(R_PINS[f"bcg.sub.{g}.se"], **ITER)
            assert r["tau2"] == pytest.approx(R_PINS[f"bcg.sub.{g}.tau2"], **ITER)
        qb = tests.filter(pl.col("test_type") == "Q_between (separate tau2)").row(0, named=True)
        assert qb["stat"] == pytest.approx(R_PINS["bcg.sub.alloc.REML.qb"], **ITER)
        assert qb["p_val"] == pytest.approx(R_PINS["bcg.sub.alloc.REML.qb_p"], **ITER)
        assert qb["df1"] == 2


def test_subgroup_with_one_study_is_listed_not_pooled():
    d = bcg().with_columns(pl.when(pl.col("trial") == 1).then(pl.lit("solo"))
                           .otherwise(pl.col("alloc")).alias("grp"))  # fmt: skip
    groups, tests = meta.subgroup_analysis(d, "grp")
    solo = groups.filter(pl.col("subgroup") == "solo").row(0, named=True)
    assert solo["status"].startswith("not pooled") and solo["k"] == 1
    assert solo["estimate"] == pytest.approx(d["yi"][0])
    assert tests["k"].to_list() == [12, 12]
    assert groups.schema == pl.Schema(meta.SUBGROUP_SCHEMA)
    assert tests.schema == pl.Schema(meta.SUBGROUP_TEST_SCHEMA)
