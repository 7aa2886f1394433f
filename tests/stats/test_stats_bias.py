"""Small-study tests, trim-and-fill and leave-one-out against metafor (tests/stats/metafor_pins.py).

Data: dat.bcg (Colditz et al. 1994 via metafor) and SYNTHETIC sets (stats_fixtures.py).
"""

from __future__ import annotations

import warnings

import polars as pl
import pytest
from metafor_pins import R_PINS
from stats_fixtures import data_set

from review.stats import bias, meta

CLOSED = {"rel": 1e-6, "abs": 1e-6}
ITER = {"rel": 1e-4, "abs": 1e-4}
CASES = [(d, m) for d in ("bcg", "s5", "sfun", "sties") for m in ("FE", "DL", "REML")]


def _fit(data: str, method: str, test: str = "z") -> meta.RmaFit:
    y, v = data_set(data)
    return meta.rma(y, v, method=method, test=test)


@pytest.mark.parametrize(("data", "method"), CASES)
def test_regtest_matches_metafor(data, method):
    t = CLOSED if method in ("FE", "DL") else ITER
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bias.SmallStudyWarning)
        r = bias.regtest(_fit(data, method))
    key = f"{data}.{method}.regtest"
    assert r["stat"] == pytest.approx(R_PINS[f"{key}.z"], **t)
    assert r["p_val"] == pytest.approx(R_PINS[f"{key}.p"], **t)
    assert r["limit_estimate"] == pytest.approx(R_PINS[f"{key}.est"], **t)


@pytest.mark.parametrize("data", ["bcg", "s5", "sfun", "sties"])
def test_regtest_knha_matches_metafor(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bias.SmallStudyWarning)
        r = bias.regtest(_fit(data, "REML", "knha"))
    assert r["stat"] == pytest.approx(R_PINS[f"{data}.REML.knha.regtest.t"], **ITER)
    assert r["p_val"] == pytest.approx(R_PINS[f"{data}.REML.knha.regtest.p"], **ITER)
    assert r["df"] == len(data_set(data)[0]) - 2


@pytest.mark.parametrize(("data", "method"), CASES)
def test_ranktest_matches_metafor(data, method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bias.SmallStudyWarning)
        r = bias.ranktest(_fit(data, method))
    assert r["tau"] == pytest.approx(R_PINS[f"{data}.{method}.ranktest.tau"], **CLOSED)
    assert r["p_val"] == pytest.approx(R_PINS[f"{data}.{method}.ranktest.p"], **CLOSED)
    assert r["p_method"] == ("normal approximation (ties)" if data == "sties" else "exact")


@pytest.mark.parametrize(("data", "method"), CASES)
def test_trimfill_matches_metafor(data, method):
    tf = bias.trimfill(_fit(data, method))
    key = f"{data}.{method}.trimfill"
    assert tf.k0 == R_PINS[f"{key}.k0"]
    assert tf.side == ("right" if R_PINS[f"{key}.right"] == 1 else "left")
    t = CLOSED if method in ("FE", "DL") else ITER
    assert tf.fit.beta[0] == pytest.approx(R_PINS[f"{key}.estimate"], **t)
    assert tf.fit.se[0] == pytest.approx(R_PINS[f"{key}.se"], **t)
    assert tf.fit.k == len(data_set(data)[0]) + tf.k0
    assert len(tf.filled_yi) == tf.k0


def test_trimfill_fills_the_synthetic_funnel_on_the_left():
    tf = bias.trimfill(_fit("sfun", "REML"))
    assert tf.k0 == 5 and tf.side == "left"  # metafor: 5 missing studies on the left side
    y, _ = data_set("sfun")
    assert tf.filled_yi.max() < y.max()


@pytest.mark.parametrize(("data", "method"), CASES)
def test_leave_one_out_matches_metafor(data, method):
    fit = _fit(data, method)
    out = bias.leave_one_out(fit)
    key = f"{data}.{method}.leave1out"
    t = CLOSED if method in ("FE", "DL") else ITER
    assert out["estimate"].to_list() == pytest.approx(R_PINS[f"{key}.estimate"], **t)
    assert out["se"].to_list() == pytest.approx(R_PINS[f"{key}.se"], **t)
    if method != "FE":
        assert out["tau2"].to_list() == pytest.approx(R_PINS[f"{key}.tau2"], **t)
    assert out["omitted"].to_list() == [str(i + 1) for i in range(fit.k)]
    assert out.schema == pl.Schema(bias.LEAVE1OUT_SCHEMA)


def test_small_study_tests_warn_below_ten_studies():
    fit = _fit("s5", "REML")
    with pytest.warns(bias.SmallStudyWarning, match="k = 5 < 10"):
        bias.regtest(fit)
    with pytest.warns(bias.SmallStudyWarning):
        bias.ranktest(fit)
    table = bias.small_study_tests(fit)
    assert table.schema == pl.Schema(bias.BIAS_SCHEMA)
    assert all("k = 5 < 10" in n for n in table["note"].to_list()[:2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bias.regtest(_fit("bcg", "REML"))  # k = 13: no warning


def test_small_study_tests_are_empty_and_trimfill_refuses_below_three_studies():
    y, v = data_set("s5")
    fit = meta.rma(y[:2], v[:2])
    assert bias.small_study_tests(fit).height == 0
    assert bias.leave_one_out(fit).height == 0
    with pytest.raises(ValueError, match="at least 3"):
        bias.trimfill(fit)
