"""What the table can support: primary subset, bounds, unknown share, venue type, evidence mix.

Tables here are SYNTHETIC (``synthetic_studies`` or built in the test), except the tests named
``committed``. Reference values come from independent implementations (statsmodels, scipy); the
call that produced each pinned number is written next to it.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy import stats

from review.stats import disclosure, trends
from review.stats.descriptives import load_reported
from review.stats.synthetic import synthetic_studies
from review.studies import load_studies


@pytest.fixture(scope="module")
def syn() -> pl.DataFrame:
    """SYNTHETIC table with unknowns and mixed confidence."""
    s = synthetic_studies(120, seed=11)
    rng = np.random.default_rng(5)
    unclear = rng.random(s.height) < 0.35
    conf = rng.choice(["low", "medium", "high"], size=s.height, p=[0.2, 0.4, 0.4])
    return s.with_columns(
        pl.when(pl.Series(unclear)).then(pl.lit("unclear")).otherwise(pl.col("tl_approach"))
        .alias("tl_approach"),
        pl.Series("confidence", conf),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("k", "n", "conf", "lo", "hi"),
    [
        # statsmodels.stats.proportion.proportion_confint(74, 143, method="wilson")
        (74, 143, 0.95, 0.436202145886806, 0.5978481832243032),
        # proportion_confint(3, 17, alpha=0.1, method="wilson")
        (3, 17, 0.90, 0.07281446654706442, 0.36896697806902595),
        # proportion_confint(0, 9, method="wilson") -> (2.8e-17, 0.29914504841954415)
        (0, 9, 0.95, 0.0, 0.29914504841954415),
        # proportion_confint(9, 9, method="wilson") -> (0.7008549515804557, 1.0)
        (9, 9, 0.95, 0.7008549515804557, 1.0),
    ],
)
def test_wilson_interval_matches_statsmodels(k, n, conf, lo, hi):
    assert disclosure.wilson_interval(k, n, conf) == pytest.approx((lo, hi), abs=1e-12)
    sm = pytest.importorskip("statsmodels.stats.proportion")
    ref = sm.proportion_confint(k, n, alpha=1 - conf, method="wilson")
    assert disclosure.wilson_interval(k, n, conf) == pytest.approx(ref, abs=1e-12)


def test_primary_subset_and_trend_tests(syn):
    for var, unknown in (("tl_approach", "unclear"), ("model_category", "other")):
        sub = disclosure.primary_subset(syn, var)
        keep = pl.col("confidence").is_in(["medium", "high"])
        manual = syn.filter((pl.col(var) != unknown) & keep)
        assert sub.equals(manual)
    pt = disclosure.primary_trend_tests(syn)
    assert pt.columns == list(disclosure.PRIMARY_TREND_SCHEMA)
    ref = trends.trend_tests(disclosure.primary_subset(syn, "tl_approach"), ("tl_approach",))
    got = pt.filter(pl.col("variable") == "tl_approach")
    assert got.select(ref.columns).equals(ref)
    assert "unclear" not in got["level"].to_list()
    r = got.row(0, named=True)
    n_unclear = syn.filter(pl.col("tl_approach") == "unclear").height
    n_low = syn.filter((pl.col("tl_approach") != "unclear") & (pl.col("confidence") == "low"))
    assert (r["n_table"], r["n_unknown"], r["n_low_confidence"]) == (
        syn.height, n_unclear, n_low.height)  # fmt: skip
    assert r["n"] == syn.height - n_unclear - n_low.height


def test_primary_association_matches_scipy_chi2(syn):
    at = disclosure.primary_association_tests(syn, ("modality",), ("tl_approach",))
    sub = disclosure.primary_subset(syn, "tl_approach")
    ct = trends.contingency(sub, "modality", "tl_approach")
    wide = ct.pivot(on="col_level", index="row_level", values="n").drop("row_level").to_numpy()
    wide = wide[wide.sum(axis=1) > 0][:, wide.sum(axis=0) > 0]
    ref = stats.chi2_contingency(wide, correction=False)
    r = at.row(0, named=True)
    assert r["chi2"] == pytest.approx(ref.statistic, rel=1e-12)
    assert r["df"] == ref.dof and r["n"] == sub.height


def test_bounds_shares_contain_every_scenario(syn):
    b = disclosure.bounds_shares(syn, ["tl_approach"])
    n_u = syn.filter(pl.col("tl_approach") == "unclear").height
    for r in b.iter_rows(named=True):
        n = syn.filter(pl.col("tl_approach") == r["level"]).height
        assert r["share_low"] == pytest.approx(n / syn.height)
        assert r["share_high"] == pytest.approx((n + n_u) / syn.height)
        assert r["share_known"] == pytest.approx(n / (syn.height - n_u))
        for lev in b["level"]:
            t = disclosure.scenario_table(syn, "tl_approach", lev)
            share = t.filter(pl.col("tl_approach") == r["level"]).height / t.height
            assert r["share_low"] - 1e-12 <= share <= r["share_high"] + 1e-12
        lo, sr, hi = r["share_low"], r["share_reported"], r["share_high"]
        assert r["reported_within_bounds"] == (lo <= sr <= hi)
    # the review's shares: feature_extractor 38 of the 121 studies (data/reported/kim2022.csv)
    fe = b.filter(pl.col("level") == "feature_extractor")["share_reported"][0]
    rep = load_reported().filter(pl.col("item") == "tl_approach")
    assert fe == pytest.approx(38 / rep["n"].sum())


def test_bounds_tests_scenarios_match_scipy(syn):
    bt = disclosure.bounds_tests(syn, ["tl_approach"])
    scen = set(bt["scenario"])
    levels = ["feature_extractor", "feature_extractor_hybrid", "fine_tuning",
              "fine_tuning_from_scratch", "multiple"]  # fmt: skip
    assert scen == {"as observed", "primary", *[f"unknown = {lv}" for lv in levels]}
    # goodness of fit with every unclear row set to 'multiple': when every expected count is
    # >= 5 it is Pearson's chi-square = scipy.stats.chisquare(observed, n * review_shares)
    t = disclosure.scenario_table(syn, "tl_approach", "multiple")
    rep = load_reported().filter(pl.col("item") == "tl_approach")
    probs = dict(zip(rep["term"], rep["n"] / rep["n"].sum(), strict=True))
    obs = [t.filter(pl.col("tl_approach") == lv).height for lv in probs]
    ref = stats.chisquare(obs, [t.height * p for p in probs.values()])
    g = bt.filter((pl.col("scenario") == "unknown = multiple") & (pl.col("test") ==
                                                                   "goodness_of_fit"))  # fmt: skip
    assert g["stat"][0] == pytest.approx(ref.statistic, rel=1e-12)
    if min(t.height * p for p in probs.values()) >= 5:
        assert g["p_val"][0] == pytest.approx(ref.pvalue, rel=1e-9)
    # trend of 'multiple' in that scenario: Cochran-Armitage chi2 = N r^2 with r Pearson's
    # correlation of year and the 0/1 indicator (scipy.stats.pearsonr)
    tr = bt.filter((pl.col("scenario") == "unknown = multiple") & (pl.col("level") == "multiple"))
    y = t["year"].to_numpy().astype(float)
    x = (t["tl_approach"] == "multiple").to_numpy().astype(float)
    r = stats.pearsonr(y, x).statistic
    assert tr["stat"][0] == pytest.approx(t.height * r**2, rel=1e-9)


@pytest.mark.parametrize(
    ("venue", "doi", "url", "expected"),
    [
        ("Scientific Reports", "10.1038/s41598-019-1", None, "journal"),
        (None, "10.1038/s41598-019-1", None, "journal"),
        ("Proceedings of the IEEE", None, None, "journal"),
        ("2018 IEEE Life Sciences Conference (LSC)", None, None, "conference"),
        ("Machine Learning in Medical Imaging (MLMI 2016), LNCS 10019", None, None, "conference"),
        ("Proceedings of SPIE", None, None, "conference"),
        (None, "10.1117/12.2293971", None, "conference"),
        (None, "10.1117/1.JMI.6.1.011002", None, "journal"),  # SPIE's journal, not proceedings
        (None, "10.1109/ISBI.2018.8363547", None, "conference"),
        ("Investigative Ophthalmology & Visual Science (ARVO abstract) 60(9)", None, None,
         "conference"),
        ("arXiv", None, None, "preprint"),
        (None, "10.1101/2020.04.13.20063479", None, "preprint"),
        (None, None, "https://arxiv.org/abs/2003.10849", "preprint"),
        (None, None, "https://example.org/x", "unknown"),
    ],
)  # fmt: skip
def test_venue_type_rules(venue, doi, url, expected):
    assert disclosure.venue_type(venue, doi, url) == expected


def test_unknown_share_and_tests(syn):
    us = disclosure.unknown_share(syn, by=("year",), variables=("tl_approach",))
    for r in us.iter_rows(named=True):
        g = syn.filter(pl.col("year") == int(r["group"]))
        k = g.filter(pl.col("tl_approach") == "unclear").height
        assert (r["n"], r["n_unknown"]) == (g.height, k)
        assert (r["ci_low"], r["ci_high"]) == disclosure.wilson_interval(k, g.height)
    ut = disclosure.unknown_share_tests(syn, ("tl_approach",))
    yr = ut.filter(pl.col("by") == "year").row(0, named=True)
    y = syn["year"].to_numpy().astype(float)
    x = (syn["tl_approach"] == "unclear").to_numpy().astype(float)
    r = stats.pearsonr(y, x).statistic  # CA chi2 = N r^2 (scipy.stats.pearsonr)
    assert yr["stat"] == pytest.approx(syn.height * r**2, rel=1e-9)
    vt = ut.filter(pl.col("by") == "venue_type")
    # SYNTHETIC venues are all 'SYNTHETIC' (journal): one venue type, nothing to test
    assert vt.height == 0


def test_unknown_share_venue_test_matches_scipy(syn):
    s = syn.with_columns(
        pl.Series("venue", ["Proceedings of a SYNTHETIC Conference" if i % 3 == 0 else
                            "SYNTHETIC Journal" for i in range(syn.height)])
    )  # fmt: skip
    ut = disclosure.unknown_share_tests(s, ("tl_approach",))
    vt = ut.filter(pl.col("by") == "venue_type").row(0, named=True)
    conf = np.arange(s.height) % 3 == 0
    unc = (s["tl_approach"] == "unclear").to_numpy()
    table = np.array([[np.sum(conf & ~unc), np.sum(conf & unc)],
                      [np.sum(~conf & ~unc), np.sum(~conf & unc)]])  # fmt: skip
    ref = stats.chi2_contingency(table, correction=False)  # Pearson, no continuity correction
    assert vt["stat"] == pytest.approx(ref.statistic, rel=1e-12)
    if vt["test"] == "chi-square":
        assert vt["p_val"] == pytest.approx(ref.pvalue, rel=1e-9)


def test_evidence_mix_counts(syn):
    s = syn.with_columns(
        pl.Series("evidence_tl", ["full_text" if i % 4 == 0 else "abstract"
                                  for i in range(syn.height)]),
        pl.Series("evidence_backbones", ["authors_code" if i % 10 == 0 else "abstract"
                                         for i in range(syn.height)]),
    )  # fmt: skip
    em = disclosure.evidence_mix(s)
    tl = em.filter(pl.col("variable") == "tl_approach")
    assert tl["n"].sum() == s.height and tl["full_text"].sum() == (s.height + 3) // 4
    assert (tl["n"] == tl.select("abstract", "full_text", "authors_code", "figure_or_table",
                                 "citation").sum_horizontal()).all()  # fmt: skip
    k = (s.height + 9) // 10
    assert disclosure.code_based_counts(s) == {"evidence_tl": 0, "evidence_backbones": k, "rows": k}


def test_committed_table_runs_every_function():
    s = load_studies()
    assert disclosure.primary_trend_tests(s).height > 0
    b = disclosure.bounds_shares(s)
    assert (b["share_low"] <= b["share_high"]).all()
    us = disclosure.unknown_share(s)
    assert set(us["by"]) == {"year", "venue_type"}
    assert set(disclosure.with_venue_type(s)["venue_type"]) <= set(disclosure.VENUE_TYPES)


def test_bounds_test_summary_ranges(syn):
    bt = disclosure.bounds_tests(syn, ["tl_approach"])
    sm = disclosure.bounds_test_summary(bt)
    assert sm.columns == list(disclosure.BOUNDS_SUMMARY_SCHEMA)
    for r in sm.filter(pl.col("test") == "trend").iter_rows(named=True):
        sc = bt.filter((pl.col("level") == r["level"]) & pl.col("scenario").str.starts_with("unk"))
        assert r["n_scenarios"] == sc.height == 5
        assert (r["p_min"], r["p_max"]) == (sc["p_val"].min(), sc["p_val"].max())
        assert r["n_scenarios_p_lt_05"] == int((sc["p_val"] < 0.05).sum())
        prim = bt.filter((pl.col("level") == r["level"]) & (pl.col("scenario") == "primary"))
        assert r["p_primary"] == prim["p_val"][0]
    assert disclosure.bounds_test_summary(bt.clear()).height == 0
