"""Descriptives and the comparison with the review's reported counts (SYNTHETIC tables)."""

from __future__ import annotations

import polars as pl
import pytest
from metafor_pins import R_PINS
from scipy import stats

from review.stats import descriptives as desc
from review.stats.synthetic import synthetic_studies
from review.studies import study_backbones

CLOSED = {"rel": 1e-6, "abs": 1e-6}


def test_size_band_boundaries():
    assert [desc.size_band(x) for x in (1, 999, 1000, 9999, 10_000, 250_000, None)] == [
        "<1k", "<1k", "1k-10k", "1k-10k", "10k-100k", ">=100k", "unknown"]  # fmt: skip


def test_describe_counts_every_variable():
    studies = synthetic_studies(80, seed=5)
    out = desc.describe(studies)
    assert out.schema == pl.Schema(desc.COUNT_SCHEMA)
    for var in ("model_category", "tl_approach", "anatomical_region", "modality", "year",
                "size_band"):  # fmt: skip
        part = out.filter(pl.col("variable") == var)
        assert part["n"].sum() == 80, var
        assert part["share"].sum() == pytest.approx(1.0), var
    fam = out.filter(pl.col("variable") == "backbone_family")
    assert fam["n"].sum() == study_backbones(studies).height
    assert set(fam["unit"]) == {"study x backbone"}
    years = out.filter(pl.col("variable") == "year")["level"].to_list()
    assert years == [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]
    assert desc.describe(studies.clear()).height == 0


def test_chi_square_goodness_of_fit_matches_r():
    r = desc.goodness_of_fit([30, 25, 20, 40], [0.2, 0.3, 0.2, 0.3])
    assert r["test"] == "chi-square"
    # chisq.test(c(30, 25, 20, 40), p=c(0.2, 0.3, 0.2, 0.3))
    assert r["stat"] == pytest.approx(R_PINS["gof.chisq.stat"], **CLOSED)
    assert r["p_val"] == pytest.approx(R_PINS["gof.chisq.p"], **CLOSED)


@pytest.mark.parametrize(
    ("x", "p", "key"),
    [([5, 1, 2], [0.2, 0.5, 0.3], "gof.emt.p"), ([9, 0, 3], [0.5, 0.3, 0.2], "gof.emt2.p")],
)
def test_exact_multinomial_matches_r_enumeration(x, p, key):
    r = desc.goodness_of_fit(x, p)
    assert r["test"] == "exact multinomial (enumeration)"
    assert r["p_val"] == pytest.approx(R_PINS[key], **CLOSED)


def test_exact_multinomial_two_categories_is_the_binomial_test():
    pv, _ = desc.exact_multinomial_test([3, 12], [0.4, 0.6])
    assert pv == pytest.approx(stats.binomtest(3, 15, 0.4).pvalue, **CLOSED)


def test_monte_carlo_branch_estimates_the_exact_p(monkeypatch):
    x, p = [9, 6, 4, 2, 1], [0.3, 0.3, 0.2, 0.1, 0.1]
    exact, how = desc.exact_multinomial_test(x, p)
    assert how.endswith("(enumeration)")
    monkeypatch.setattr(desc, "EXACT_MAX_OUTCOMES", 10)
    mc, how = desc.exact_multinomial_test(x, p, mc_draws=50_000)
    assert how.startswith("exact multinomial (Monte Carlo")
    assert abs(mc - exact) < 4 * (exact * (1 - exact) / 50_000) ** 0.5


def test_compare_reported_side_by_side_and_tests():
    studies = synthetic_studies(121, seed=7)
    side, gof = desc.compare_reported(studies)
    assert side.schema == pl.Schema(desc.COMPARE_SCHEMA)
    assert gof.schema == pl.Schema(desc.GOF_SCHEMA)
    assert gof["variable"].to_list() == ["model_category", "tl_approach", "backbone_most_used"]
    assert all("does not show agreement" in c for c in gof["caveat"].to_list())
    tl = side.filter((pl.col("variable") == "tl_approach") & pl.col("in_test"))
    assert tl["n_reported"].sum() == 121
    assert tl["share_reported"].sum() == pytest.approx(1.0)
    mc = side.filter((pl.col("variable") == "model_category") & pl.col("in_test"))
    assert mc["n_reported"].to_list() == [57, 33, 24]
    ours = [int((studies["model_category"] == t).sum()) for t in ("multiple", "deep", "shallow")]
    assert mc["n_ours"].to_list() == ours
    row = gof.filter(pl.col("variable") == "model_category").row(0, named=True)
    ref = desc.goodness_of_fit(ours, [57, 33, 24])
    assert row["p_val"] == pytest.approx(ref["p_val"])
    bb = gof.filter(pl.col("variable") == "backbone_most_used").row(0, named=True)
    assert bb["test"] == "exact binomial"


def test_most_used_family_share_is_tested_as_r_binom_test():
    # SYNTHETIC table: 20 of 100 studies use an Inception-family backbone; the review reports
    # 26 of 121. binom.test(20, 100, 26/121)$p.value
    studies = synthetic_studies(100, seed=3)
    bb = [["inception_v3"] if i < 20 else ["resnet50"] for i in range(100)]
    studies = studies.with_columns(pl.Series("backbones", bb, dtype=studies.schema["backbones"]))
    _, gof = desc.compare_reported(studies)
    row = gof.filter(pl.col("variable") == "backbone_most_used").row(0, named=True)
    assert (row["test"], row["stat"], row["n"]) == ("exact binomial", 20.0, 100)
    assert row["p_val"] == pytest.approx(R_PINS["binom.p"], **CLOSED)


def test_compare_reported_on_an_empty_table():
    side, gof = desc.compare_reported(synthetic_studies(3).clear())
    assert side.filter(pl.col("variable") == "studies_included")["n_ours"][0] == 0
    assert gof["p_val"].null_count() == gof.height
    assert all(t.startswith("none") for t in gof["test"].to_list())
