"""Trend tests, logistic regressions and association tests against R (tests/stats/metafor_pins.py).

All tables here are SYNTHETIC.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import polars as pl
import pytest
from metafor_pins import R_PINS
from scipy import stats
from stats_fixtures import logit_table

from review.stats import trends
from review.stats.synthetic import synthetic_studies

CLOSED = {"rel": 1e-6, "abs": 1e-6}
ITER = {"rel": 1e-4, "abs": 1e-4}


@pytest.mark.parametrize(
    ("x", "n", "years", "key"),
    [([1, 2, 2, 4, 6, 9], [5, 6, 8, 10, 12, 15], range(2015, 2021), "trend"),
     ([3, 1, 4, 2, 2], [6, 7, 9, 8, 10], range(2016, 2021), "trend2")],
)  # fmt: skip
def test_cochran_armitage_matches_prop_trend_test(x, n, years, key):
    r = trends.cochran_armitage(x, n, list(years))
    assert r["chi2"] == pytest.approx(R_PINS[f"{key}.x2"], **CLOSED)
    assert r["p_asymptotic"] == pytest.approx(R_PINS[f"{key}.p"], **CLOSED)
    assert math.copysign(1, r["z"]) == math.copysign(1, r["slope"])


@pytest.mark.parametrize(
    ("x", "n"), [([1, 0, 2, 1], [2, 3, 3, 2]), ([0, 0, 1, 3, 2], [3, 2, 2, 4, 3]),
                 ([2, 2, 1], [2, 3, 4])],
)  # fmt: skip
def test_exact_trend_p_equals_brute_force_enumeration(x, n):
    # independent check: enumerate every subset of studies with the observed number of events
    scores = list(range(len(n)))
    units = [j for j, nj in enumerate(n) for _ in range(nj)]
    t_all = np.array([sum(scores[units[i]] for i in c)
                      for c in itertools.combinations(range(len(units)), sum(x))])  # fmt: skip
    t_obs = sum(s * e for s, e in zip(scores, x, strict=True))
    mu = t_all.mean()
    brute = np.mean(np.abs(t_all - mu) >= abs(t_obs - mu) - 1e-9)
    assert trends.cochran_armitage(x, n, scores)["p_exact"] == pytest.approx(brute, rel=1e-9)


def test_trend_tests_apply_the_sparse_rule():
    studies = synthetic_studies(121, seed=3)
    out = trends.trend_tests(studies)
    assert out.schema == pl.Schema(trends.TREND_SCHEMA)
    assert set(out["variable"]) == {"tl_approach", "model_category"}
    for r in out.iter_rows(named=True):
        sparse = min(r["n_level"], r["n"] - r["n_level"]) < trends.MIN_TREND_EVENTS
        assert r["test_used"] == ("exact conditional" if sparse else "asymptotic chi-square")
        assert r["p_val"] == (r["p_exact"] if sparse else r["p_asymptotic"])
        assert "exact conditional" in r["rule"]
    assert trends.trend_tests(studies.clear()).height == 0


def test_year_shares_sum_to_one_per_year():
    ys = trends.year_shares(synthetic_studies(60, seed=1), "tl_approach")
    sums = ys.group_by("year").agg(pl.col("share").sum(), pl.col("n").sum(),
                                   pl.col("n_year").first())  # fmt: skip
    for r in sums.iter_rows(named=True):
        if r["n_year"]:
            assert r["share"] == pytest.approx(1.0) and r["n"] == r["n_year"]


def test_binary_logit_matches_r_glm():
    # 60 SYNTHETIC studies: the multinomial model is too sparse (EPV < 5), so each approach is
    # modelled against the rest; feature_extractor (26 events) keeps modality (EPV 5.2)
    out = trends.approach_regression(logit_table(), modality_reference="ct")
    fe = out.filter((pl.col("outcome") == "feature_extractor") & (pl.col("model") == "binary"))
    assert fe["term"].to_list() == ["year (per year)", "log10 n_images (per 10-fold)",
                                    "modality=mri", "modality=xray"]  # fmt: skip
    assert fe["reference"][0] == "all other approaches"
    # coef(glm(fe ~ year_c + log10_n + modality, family=binomial, data=logit, ...))[-1]
    assert fe["estimate"].to_list() == pytest.approx(R_PINS["logit.glm.beta"][1:], **ITER)
    assert fe["se"].to_list() == pytest.approx(R_PINS["logit.glm.se"][1:], **ITER)
    assert fe["odds_ratio"].to_list() == pytest.approx(np.exp(R_PINS["logit.glm.beta"][1:]), **ITER)
    z = stats.norm.ppf(0.975)
    assert fe["ci_low"][0] == pytest.approx(
        math.exp(R_PINS["logit.glm.beta"][1] - z * R_PINS["logit.glm.se"][1]), **ITER
    )
    multi = out.filter(pl.col("model") == "multinomial")
    assert multi["status"][0].startswith("not fitted: events per parameter")
    assert out.schema == pl.Schema(trends.REGRESSION_SCHEMA)


def test_multinomial_logit_matches_r_nnet_multinom():
    out = trends.approach_regression(logit_table(), outcome_reference="feature_extractor",
                                     modality_reference="ct", min_epv=2)  # fmt: skip
    assert set(out["model"]) == {"multinomial"}
    beta = np.array(R_PINS["logit.multinom.beta"]).reshape(2, 5)[:, 1:]
    se = np.array(R_PINS["logit.multinom.se"]).reshape(2, 5)[:, 1:]
    for j, o in enumerate(["fine_tuning_from_scratch", "multiple"]):
        r = out.filter(pl.col("outcome") == o)
        # coef(multinom(approach ~ year_c + log10_n + modality, data=logit, reltol=1e-14))
        assert r["estimate"].to_list() == pytest.approx(beta[j].tolist(), **ITER)
        assert r["se"].to_list() == pytest.approx(se[j].tolist(), **ITER)


def test_regression_reports_why_it_did_not_fit():
    tiny = logit_table().head(12)
    out = trends.approach_regression(tiny)
    assert out.height == 1 and out["status"][0].startswith("not fitted")
    empty = trends.approach_regression(synthetic_studies(5).clear())
    assert empty["status"][0].startswith("not fitted")


def test_chi_square_association_matches_r():
    t = np.array([[12, 7, 3], [5, 9, 8]])
    r = trends.association(t, "a", "b")
    # chisq.test(matrix(c(12, 5, 7, 9, 3, 8), nrow=2), correct=FALSE)
    assert r["chi2"] == pytest.approx(R_PINS["assoc.chisq.stat"], **CLOSED)
    assert r["p_val"] == pytest.approx(R_PINS["assoc.chisq.p"], **CLOSED)
    assert r["test_used"] == "chi-square"
    assert r["cramers_v"] == pytest.approx(math.sqrt(R_PINS["assoc.chisq.stat"] / 44), **CLOSED)


def test_sparse_two_by_two_uses_fisher_exact_as_r():
    r = trends.association(np.array([[3, 1], [1, 3]]))
    assert r["test_used"] == "Fisher exact (2x2)"
    # fisher.test(matrix(c(3, 1, 1, 3), nrow=2))$p.value
    assert r["p_val"] == pytest.approx(R_PINS["assoc.fisher22.p"], **CLOSED)


def test_fisher_freeman_halton_monte_carlo_estimates_r_exact_p():
    t = np.array([[3, 1, 0], [0, 4, 2], [2, 1, 3]])
    b = 20_000
    p = trends.fisher_freeman_halton_mc(t, draws=b, seed=1)
    ref = R_PINS["assoc.fisher33.p"]  # fisher.test(matrix(c(3,0,2,1,4,1,0,2,3), nrow=3))
    assert abs(p - ref) < 4 * math.sqrt(ref * (1 - ref) / b)
    r = trends.association(t)
    assert r["test_used"].startswith("Fisher-Freeman-Halton")


def test_association_tests_on_a_study_table():
    out = trends.association_tests(synthetic_studies(121, seed=2))
    assert out.schema == pl.Schema(trends.ASSOC_SCHEMA)
    assert out["variable"].to_list() == ["modality", "anatomical_region"]
    assert (out["cramers_v"] >= 0).all() and (out["cramers_v"] <= 1).all()
    ct = trends.contingency(synthetic_studies(121, seed=2), "modality")
    assert ct["n"].sum() == 121
    none = trends.association_tests(synthetic_studies(3).clear())
    assert none["test_used"].to_list() == ["not tested: fewer than two levels"] * 2
