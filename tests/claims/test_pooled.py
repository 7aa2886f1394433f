"""The v2 decision engine on SYNTHETIC result tables (invented numbers built to hit each rule).

Independent references: per-data-set means and standard errors against
``scipy.stats.ttest_1samp``, slopes against ``scipy.stats.linregress``, and the pooled effect
against ``review.stats.meta.pool`` called directly (the function pinned to R's metafor in
tests/stats/test_stats_meta.py).
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
import yaml
from scipy import stats

from reproduce.claims.claim import load_claim_set
from reproduce.claims.pooled import (
    EFFECT_SCHEMA,
    VERDICT_SCHEMA,
    evaluate_v2,
    uap_pseudo_sources,
)
from review.errors import InputError
from review.stats.meta import pool

SUITE = "synthetic_v2"


def _claims(tmp_path, **claim) -> object:
    """A SYNTHETIC v2 claims file holding one claim (defaults: superiority of ft over sc)."""
    base = {
        "id": "S1", "supersedes": "G4_transfer_beats_scratch", "suite": SUITE,
        "statement": "synthetic", "changes": ["synthetic"],
        "arms": {"a": {"approach": "ft"}, "b": {"approach": "sc"}},
        "pair_on": ["dataset", "arch", "seed"], "metric": "auc", "decision": "superiority",
    } | claim  # fmt: skip
    if base.get("decision") == "within":
        base.pop("pair_on", None)
        base["arms"] = {"a": base["arms"]["a"]}
    v1 = next(p for p in (pytest.ROOT / "reproduce/claims/claims.yaml",
                          pytest.ROOT / "reproduce/claims.yaml") if p.is_file())  # fmt: skip
    doc = {
        "version": 2, "registered_on": "2026-12-04",
        "supersedes_file": str(v1.relative_to(pytest.ROOT)),
        "pooling": {"method": "REML", "test": "knha", "level": 0.95,
                    "prediction_interval": True},
        "min_seeds": 2, "min_datasets": 3, "claims": [base],
    }  # fmt: skip
    p = tmp_path / "claims_v2.yaml"
    p.write_text(yaml.safe_dump(doc, sort_keys=False))
    return load_claim_set(p)


@pytest.fixture(autouse=True)
def _root():
    from pathlib import Path

    pytest.ROOT = Path(__file__).resolve().parents[2]


def _results(effects: dict[str, float], seeds: int = 5, noise: float = 0.01, rng_seed: int = 0,
             archs: tuple[str, ...] = ("x",)) -> pl.DataFrame:  # fmt: skip
    """SYNTHETIC rows: per data set, arm ft = arm sc + effect + noise, for each seed and arch."""
    rng = np.random.default_rng(rng_seed)
    rows = []
    for ds, eff in effects.items():
        for s in range(seeds):
            for arch in archs:
                base = 0.7 + 0.01 * s
                common = {"dataset": ds, "arch": arch, "seed": s, "status": "ok"}
                rows.append(common | {"approach": "sc", "auc": base})
                rows.append(common | {"approach": "ft", "auc": base + eff + rng.normal(0, noise)})
    return pl.DataFrame(rows)


def _one(tmp_path, res, **claim):
    cs = _claims(tmp_path, **claim)
    v, e = evaluate_v2(res, cs, SUITE)
    assert v.schema == pl.Schema(VERDICT_SCHEMA) and e.schema == pl.Schema(EFFECT_SCHEMA)
    return v.row(0, named=True), e


def _direct_pool(res: pl.DataFrame) -> dict:
    """The reference: mean paired difference per data set over seeds, pooled by review.stats."""
    w = res.pivot(on="approach", index=["dataset", "arch", "seed"], values="auc")
    w = w.with_columns((pl.col("ft") - pl.col("sc")).alias("d"))
    w = w.group_by(["dataset", "seed"]).agg(pl.col("d").mean())
    yi, vi = [], []
    for ds in sorted(w["dataset"].unique()):
        d = w.filter(pl.col("dataset") == ds)["d"].to_numpy()
        yi.append(d.mean())
        vi.append(d.var(ddof=1) / len(d))
    return pool(pl.DataFrame({"yi": yi, "vi": vi}), methods=("REML",), test="knha").row(
        0, named=True
    )


def test_pooling_equals_review_stats_called_directly(tmp_path):
    res = _results({"d1": 0.03, "d2": 0.05, "d3": 0.01, "d4": 0.04}, noise=0.02,
                   archs=("x", "y"))  # fmt: skip
    row, eff = _one(tmp_path, res)
    ref = _direct_pool(res)
    for k in ("estimate", "se", "ci_low", "ci_high", "pi_low", "pi_high", "tau2"):
        assert row[k] == pytest.approx(ref[k], rel=1e-12, abs=1e-15), k
    assert row["k_datasets"] == 4 and row["n_pairs"] == 40
    assert "review.stats.meta.pool (REML, knha, k = 4)" in row["note"]
    assert "averaged within each data set and seed over arch" in row["note"]
    # per data set: mean and t interval as scipy computes them
    w = res.pivot(on="approach", index=["dataset", "arch", "seed"], values="auc")
    d1 = (w.filter(pl.col("dataset") == "d1").with_columns(d=pl.col("ft") - pl.col("sc"))
          .group_by("seed").agg(pl.col("d").mean())["d"].to_numpy())  # fmt: skip
    tt = stats.ttest_1samp(d1, 0.0)
    ci = tt.confidence_interval(0.95)
    e1 = eff.filter(pl.col("dataset") == "d1").row(0, named=True)
    assert e1["estimate"] == pytest.approx(d1.mean())
    assert e1["se"] == pytest.approx(d1.mean() / tt.statistic)
    assert (e1["ci_low"], e1["ci_high"]) == pytest.approx((ci.low, ci.high))


@pytest.mark.parametrize(
    ("effects", "noise", "expected", "robust"),
    [
        ({"d1": 0.05, "d2": 0.06, "d3": 0.055, "d4": 0.05}, 0.005, "supported", True),
        (
            {f"d{i}": x for i, x in enumerate((0.01, 0.12, 0.03, 0.1, 0.06, 0.08, 0.02, 0.11))},
            0.002,
            "supported",
            False,
        ),
        ({"d1": -0.05, "d2": -0.06, "d3": -0.055}, 0.005, "contradicted", False),
        ({"d1": 0.03, "d2": -0.03, "d3": 0.0}, 0.01, "inconclusive", False),
    ],
)
def test_superiority_branches(tmp_path, effects, noise, expected, robust):
    row, _ = _one(tmp_path, _results(effects, noise=noise))
    assert row["verdict"] == expected, row
    assert row["robust"] is robust
    assert row["pi_low"] <= row["ci_low"] <= row["estimate"] <= row["ci_high"] <= row["pi_high"]


@pytest.mark.parametrize(
    ("effects", "expected"),
    [
        ({"d1": -0.005, "d2": 0.0, "d3": -0.003, "d4": 0.002, "d5": -0.004}, "supported"),
        ({"d1": -0.06, "d2": -0.07, "d3": -0.05}, "contradicted"),
        ({"d1": -0.04, "d2": 0.02, "d3": -0.02}, "inconclusive"),
    ],
)
def test_noninferiority_branches(tmp_path, effects, expected):
    row, _ = _one(tmp_path, _results(effects, noise=0.004), decision="noninferiority",
                  margin=0.02)  # fmt: skip
    assert row["verdict"] == expected, row
    assert row["margin"] == 0.02
    assert row["robust"] is (expected == "supported" and row["pi_low"] > -0.02)


def _cost(ratios: dict[str, float], seeds: int = 4) -> pl.DataFrame:
    """SYNTHETIC compute times: arm ft costs ratio x arm sc (with a little seed noise)."""
    rows = []
    for ds, r in ratios.items():
        for s in range(seeds):
            t = 100.0 * (1 + 0.1 * s)
            j = 1 + 0.02 * ((s * 7 + len(ds)) % 3 - 1)
            for ap, v in (("sc", t), ("ft", t * r * j)):
                rows.append({"dataset": ds, "arch": "x", "seed": s, "approach": ap, "cost": v})
    return pl.DataFrame(rows)


@pytest.mark.parametrize(
    ("ratios", "expected"),
    [
        ({"d1": 0.1, "d2": 0.12, "d3": 0.09}, "supported"),
        ({"d1": 0.9, "d2": 1.1, "d3": 1.0}, "contradicted"),
        ({"d1": 0.2, "d2": 0.9, "d3": 0.5}, "inconclusive"),
    ],
)
def test_below_on_log_ratios(tmp_path, ratios, expected):
    res = _cost(ratios)
    row, eff = _one(tmp_path, res, metric="cost", scale="log_ratio", decision="below",
                    threshold=0.5)  # fmt: skip
    assert row["verdict"] == expected, row
    assert row["scale"] == "ratio"
    # the reported estimate is exp(pooled mean log ratio)
    w = res.pivot(on="approach", index=["dataset", "arch", "seed"], values="cost")
    w = w.with_columns(d=(pl.col("ft") / pl.col("sc")).log())
    y = [w.filter(pl.col("dataset") == d)["d"].to_numpy() for d in sorted(ratios)]
    ref = pool(pl.DataFrame({"yi": [x.mean() for x in y],
                             "vi": [x.var(ddof=1) / len(x) for x in y]}),
               methods=("REML",), test="knha").row(0, named=True)  # fmt: skip
    assert row["estimate"] == pytest.approx(math.exp(ref["estimate"]))
    assert row["ci_high"] == pytest.approx(math.exp(ref["ci_high"]))
    assert eff["estimate"].to_list() == pytest.approx([math.exp(x.mean()) for x in y])


def _curves(slopes: dict[str, float | None], seeds: int = 3) -> pl.DataFrame:
    """SYNTHETIC learning curves: gap = 0.1 + slope * log(f) (+ seed noise); ``None``: f=1 only."""
    rng = np.random.default_rng(4)
    rows = []
    for ds, slope in slopes.items():
        fracs = (1.0,) if slope is None else (0.1, 0.25, 0.5, 1.0)
        for f in fracs:
            for s in range(seeds):
                gap = 0.1 + (slope or 0.0) * math.log(f) + rng.normal(0, 0.005)
                common = {"dataset": ds, "arch": "x", "train_fraction": f, "seed": s}
                rows.append(common | {"approach": "sc", "auc": 0.7})
                rows.append(common | {"approach": "ft", "auc": 0.7 + gap})
    return pl.DataFrame(rows)


@pytest.mark.parametrize(
    ("slopes", "expected"),
    [
        ({"d1": -0.03, "d2": -0.025, "d4": -0.028, "d3": None}, "supported"),
        ({"d1": 0.03, "d2": 0.025, "d3": 0.028}, "contradicted"),
        ({"d1": 0.03, "d2": -0.03}, "inconclusive"),
    ],
)
def test_slope_negative_per_data_set(tmp_path, slopes, expected):
    res = _curves(slopes)
    row, eff = _one(tmp_path, res, decision="slope_negative",
                    pair_on=["dataset", "arch", "train_fraction", "seed"],
                    min_datasets=2)  # fmt: skip
    assert row["verdict"] == expected, row
    ref_y, ref_v = [], []
    for ds in sorted(k for k, v in slopes.items() if v is not None):
        g = res.filter(pl.col("dataset") == ds).pivot(
            on="approach", index=["train_fraction", "seed"], values="auc"
        )
        fit = stats.linregress(np.log(g["train_fraction"].to_numpy()),
                               (g["ft"] - g["sc"]).to_numpy())  # fmt: skip
        e = eff.filter(pl.col("dataset") == ds).row(0, named=True)
        assert e["estimate"] == pytest.approx(fit.slope) and e["se"] == pytest.approx(fit.stderr)
        ref_y.append(fit.slope)
        ref_v.append(fit.stderr**2)
    ref = pool(pl.DataFrame({"yi": ref_y, "vi": ref_v}), methods=("REML",), test="knha")
    assert row["estimate"] == pytest.approx(ref["estimate"][0])
    if None in slopes.values():
        assert "d3: one training fraction: no learning curve" in row["datasets_left_out"]


def test_slope_is_not_fooled_by_differences_between_data_sets(tmp_path):
    """The v1 bug: one regression across data sets. Here the gap shrinks within both curves, but
    the data set run only at small fractions has a small gap and the one run at large fractions
    a big gap; a pooled regression would see a positive slope."""
    rows = []
    for ds, fracs, level in (("lo", (0.05, 0.1, 0.2), 0.0), ("hi", (0.5, 0.75, 1.0), 0.3)):
        for f in fracs:
            for s in range(3):
                gap = level - 0.02 * math.log(f) + 0.001 * ((s * 5 + int(f * 100)) % 3)
                common = {"dataset": ds, "arch": "x", "train_fraction": f, "seed": s}
                rows.append(common | {"approach": "sc", "auc": 0.5})
                rows.append(common | {"approach": "ft", "auc": 0.5 + gap})
    res = pl.DataFrame(rows)
    d = res.pivot(on="approach", index=["dataset", "train_fraction", "seed"], values="auc")
    across = stats.linregress(np.log(d["train_fraction"].to_numpy()), (d["ft"] - d["sc"]))
    assert across.slope > 0  # what the v1 rule would have fitted
    row, _ = _one(tmp_path, res, decision="slope_negative",
                  pair_on=["dataset", "arch", "train_fraction", "seed"],
                  min_datasets=2)  # fmt: skip
    assert row["estimate"] == pytest.approx(-0.02, abs=2e-3) and row["verdict"] == "supported"


def _anchor(means: dict[str, list[float]]) -> pl.DataFrame:
    """SYNTHETIC anchor runs: test AUC per seed of a 28-px ResNet-18 on each data set."""
    return pl.DataFrame(
        [{"dataset": ds, "seed": s, "approach": "scratch", "arch": "resnet18_medmnist",
          "resolution": 28, "auc": v}
         for ds, vals in means.items() for s, v in enumerate(vals)]
    )  # fmt: skip


# published ResNet-18 (28) test AUC (data/reported/medmnist_v2.csv): pneumonia 0.944, retina 0.717
@pytest.mark.parametrize(
    ("means", "expected"),
    [
        (
            {"pneumoniamnist": [0.940, 0.945, 0.942], "retinamnist": [0.715, 0.719, 0.716]},
            "supported",
        ),
        (
            {
                "pneumoniamnist": [0.80, 0.81, 0.79],
                "retinamnist": [0.57, 0.58, 0.56],
                "dermamnist": [0.77, 0.765, 0.78],
            },
            "contradicted",
        ),
        # |mean difference| <= margin, but the CI reaches beyond it: not supported (v1 bug)
        (
            {"pneumoniamnist": [0.99, 0.88, 0.97, 0.90], "retinamnist": [0.75, 0.68, 0.76, 0.67]},
            "inconclusive",
        ),
    ],
)
def test_within_needs_the_ci_inside_the_margin(tmp_path, means, expected):
    row, eff = _one(
        tmp_path, _anchor(means), decision="within", margin=0.03,
        arms={"a": {"approach": "scratch", "arch": "resnet18_medmnist", "resolution": 28}},
        reference="data/reported/medmnist_v2.csv (ResNet-18 (28) AUC)", min_datasets=1,
    )  # fmt: skip
    assert row["verdict"] == expected, row
    if expected == "inconclusive":
        assert abs(row["estimate"]) <= 0.03 and (row["ci_low"] < -0.03 or row["ci_high"] > 0.03)
    e = eff.filter(pl.col("dataset") == "pneumoniamnist")["estimate"][0]
    assert e == pytest.approx(np.mean(means["pneumoniamnist"]) - 0.944)


def test_left_out_data_sets_and_insufficient_data(tmp_path):
    res = _results({"d1": 0.05, "d2": 0.05, "breastmnist": 0.05})
    res = pl.concat([res, _results({"d3": 0.05}, seeds=1)])
    row, eff = _one(tmp_path, res)
    assert row["verdict"] == "insufficient_data" and row["k_datasets"] == 2
    assert row["n_pairs"] == 10  # pair cells of the data sets kept (not d3's one pair)
    assert "breastmnist: the same 780 BUSI" in row["datasets_left_out"]
    assert "d3: 1 seed(s) < min_seeds 2" in row["datasets_left_out"]
    assert "breastmnist" not in eff["dataset"].to_list()
    assert eff.filter(pl.col("dataset") == "d3")["included"].to_list() == [False]


def test_zero_variance_data_set_left_out_not_crashing(tmp_path):
    res = _results({"d1": 0.05, "d2": 0.04, "d3": 0.06, "d4": 0.05}).with_columns(
        pl.when(pl.col("dataset") == "d4")
        .then(pl.when(pl.col("approach") == "ft").then(0.8).otherwise(0.75))
        .otherwise(pl.col("auc"))
        .alias("auc")
    )
    row, _ = _one(tmp_path, res)
    assert "d4: no sampling variance over seeds" in row["datasets_left_out"]
    assert row["k_datasets"] == 3 and row["verdict"] == "supported"


def test_not_run_and_missing_pair_field(tmp_path):
    row, eff = _one(tmp_path, pl.DataFrame())
    assert row["verdict"] == "not_run" and eff.height == 0
    assert "tlreview reproduce run synthetic_v2 --profile gpu" in row["note"]
    res = _results({"d1": 0.05}).with_columns(pl.lit("other").alias("approach"))
    assert _one(tmp_path, res)[0]["verdict"] == "not_run"
    with pytest.raises(InputError, match="field 'pair_on': arch not a column"):
        _one(tmp_path, _results({"d1": 0.05, "d2": 0.05}).drop("arch"))


def test_unpaired_cells_are_listed(tmp_path):
    res = _results({"d1": 0.05, "d2": 0.05, "d3": 0.05})
    res = res.filter(~((pl.col("dataset") == "d2") & (pl.col("seed") == 4)
                       & (pl.col("approach") == "sc")))  # fmt: skip
    row, _ = _one(tmp_path, res)
    assert "1 cell(s) of arm a with no arm-b partner: dataset=d2, arch=x, seed=4" in row["note"]


def test_aggregate_within_pair_is_read(tmp_path):
    """The v1 bug: aggregate_within_pair was never read (cells were always averaged)."""
    res = _results({"d1": 0.05, "d2": 0.04, "d3": 0.06})
    dup = res.filter(pl.col("approach") == "ft").with_columns(pl.col("auc") + 0.1)
    res = pl.concat([res, dup])  # two ft rows per cell
    without, _ = _one(tmp_path, res)
    assert without["verdict"] == "insufficient_data" and without["n_pairs"] == 0
    assert "15 cell(s) with several rows of arm a left out" in without["note"]
    mean, _ = _one(tmp_path, res, aggregate_within_pair="mean")
    ref = _direct_pool(res.group_by(["dataset", "arch", "seed", "approach"])
                       .agg(pl.col("auc").mean()))  # fmt: skip
    assert mean["estimate"] == pytest.approx(ref["estimate"])
    assert mean["estimate"] == pytest.approx(0.1, abs=0.01)


def test_cifar10_checkpoints_below_the_floor_are_excluded(tmp_path):
    res = _results({"d1": 0.05, "d2": 0.04, "d3": 0.06}, archs=("good", "weak"))
    res = res.with_columns(pl.lit("cifar10").alias("source"))
    cs = _claims(tmp_path, requires={"cifar10_min_test_accuracy": 0.85})
    v, _ = evaluate_v2(res, cs, SUITE, source_accuracy={"good": 0.91, "weak": 0.278})
    row = v.row(0, named=True)
    assert "weak cifar10 checkpoint excluded: test accuracy 0.2780 < 0.85" in row[
        "datasets_left_out"]  # fmt: skip
    assert row["n_pairs"] == 15  # only the 'good' architecture's pairs
    v, _ = evaluate_v2(res, cs, SUITE, source_accuracy={})
    assert v["verdict"][0] == "not_run"


def _uap(seeds: int = 3) -> pl.DataFrame:
    """SYNTHETIC attack rows: 3 data sets x 2 approaches x seeds x 2 norms x 4 sources."""
    rng = np.random.default_rng(7)
    rows = []
    fr = {"natural": 0.40, "training": 0.55, "noise_white": 0.10, "noise_lowpass": 0.20}
    for ds in ("d1", "d2", "d3", "breastmnist"):
        for ap, scale in (("fine_tuning_from_scratch", 1.0), ("scratch", 0.5)):
            for s in range(seeds):
                for norm, eps in (("linf", 0.02), ("l2", 0.04), ("linf", 0.04)):
                    for src, v in fr.items():
                        rows.append({
                            "dataset": ds, "arch": "x", "approach": ap, "source": "imagenet",
                            "seed": s, "victim_run_id": f"{ds}-{ap}", "norm": norm,
                            "eps_ratio": eps, "uap_source": src, "targeted": False,
                            "target_class": None, "excluded": ds == "d3" and ap == "scratch",
                            "fooling_rate": v * scale + rng.normal(0, 0.004)
                            + (0.2 if eps == 0.04 and norm == "linf" else 0.0),
                        })  # fmt: skip
                rows.append(rows[-1] | {"targeted": True, "target_class": 1, "fooling_rate": 0.9})
    return pl.DataFrame(rows)


def test_uap_pseudo_sources():
    rows = _uap().filter(~pl.col("targeted"))
    out = uap_pseudo_sources(rows)
    cell = (pl.col("dataset") == "d1") & (pl.col("seed") == 0) & (pl.col("norm") == "linf") & (
        pl.col("eps_ratio") == 0.02) & (pl.col("approach") == "scratch")  # fmt: skip
    got = dict(out.filter(cell).select("uap_source", "fooling_rate").rows())
    assert got["noise_max"] == pytest.approx(max(got["noise_white"], got["noise_lowpass"]))
    assert got["natural_minus_noise_max"] == pytest.approx(got["natural"] - got["noise_max"])


def test_uap_claims_at_both_operating_points(tmp_path):
    res = _uap()
    row_ids, row_ids_effects = [], []
    for src_a, src_b, ap_b in (("natural", "noise_max", "fine_tuning_from_scratch"),
                               ("natural_minus_noise_max", "natural_minus_noise_max",
                                "scratch")):  # fmt: skip
        cs = _claims(
            tmp_path, suite="uap_v2", metric="fooling_rate",
            arms={"a": {"uap_source": src_a, "approach": "fine_tuning_from_scratch"},
                  "b": {"uap_source": src_b, "approach": ap_b}},
            pair_on=["dataset", "arch", "norm", "seed"],
        )  # fmt: skip
        v, e = evaluate_v2(res, cs, "uap_v2")
        assert v["analysis"].to_list() == ["primary: linf eps_ratio 0.02",
                                           "secondary: l2 eps_ratio 0.04"]  # fmt: skip
        row_ids.append(v)
        row_ids_effects.append(e)
    u1, u3 = row_ids
    # natural (0.40) vs the stronger noise (0.20): +0.20 in every data set, targeted rows ignored
    assert u1["estimate"].to_list() == pytest.approx([0.2, 0.2], abs=0.01)
    assert u1["k_datasets"].to_list() == [3, 3]  # breastmnist left out
    # edge 0.20 for transfer vs 0.10 for scratch; d3's scratch victim is excluded -> 2 data sets
    assert u3["verdict"].to_list() == ["insufficient_data", "insufficient_data"]
    assert u3["k_datasets"].to_list() == [2, 2]
    e = row_ids_effects[1]
    assert e["dataset"].to_list() == ["d1", "d2"] * 2
    assert e["estimate"].to_list() == pytest.approx([0.1] * 4, abs=0.01)
    assert "excluded victims" in u3["datasets_left_out"][0]


def _u1_natural_vs_noise(tmp_path):
    """A U1v2-shaped claim (transfer-learned models: natural vs the stronger noise)."""
    return _claims(
        tmp_path, suite="uap_v2", metric="fooling_rate",
        arms={"a": {"uap_source": "natural", "approach": "fine_tuning_from_scratch"},
              "b": {"uap_source": "noise_max", "approach": "fine_tuning_from_scratch"}},
        pair_on=["dataset", "arch", "norm", "seed"],
    )  # fmt: skip


def test_uap_flags_stored_as_text_are_read(tmp_path):
    """A results CSV may hold targeted/excluded as text: 'true' must not count as untargeted."""
    res = _uap()
    text = res.with_columns(pl.col("targeted").cast(pl.String).str.to_uppercase(),
                            pl.col("excluded").cast(pl.String))  # fmt: skip
    cs = _u1_natural_vs_noise(tmp_path)
    a, _ = evaluate_v2(res, cs, "uap_v2")
    b, _ = evaluate_v2(text, cs, "uap_v2")
    assert a.equals(b)


def test_uap_derived_rows_of_collected_results_are_not_counted_twice(tmp_path):
    """results/uap_v2/results.parquet holds its own noise_max / natural_minus_noise_max rows
    (derived = true): deciding on it gives the same verdicts as on the raw rows."""
    res = _uap().with_columns(derived=pl.lit(False))
    derived = (
        uap_pseudo_sources(res.drop("derived"))
        .filter(pl.col("uap_source").is_in(["noise_max", "natural_minus_noise_max"]))
        .with_columns(derived=pl.lit(True))
    )
    both = pl.concat([res, derived], how="diagonal_relaxed")
    cs = _u1_natural_vs_noise(tmp_path)
    a, ea = evaluate_v2(res, cs, "uap_v2")
    b, eb = evaluate_v2(both, cs, "uap_v2")
    assert a.equals(b) and ea.equals(eb)


def test_every_committed_guideline_v2_claim_is_decidable():
    """The committed v2 claims on a SYNTHETIC table shaped like the guideline_v2 suite's rows:
    every claim finds its arms and pairs (no claim is silently unreachable)."""
    from reproduce.claims.cli import claims_file

    cs = load_claim_set(claims_file("v2"))
    rng = np.random.default_rng(11)
    cat = {"efficientnet_lite0": "deep", "squeezenet1_1": "shallow", "resnet18": "deep",
           "densenet121": "deep", "alexnet": "shallow", "vgg16": "shallow"}  # fmt: skip
    rows = []

    def add(ds, arch, approach, source, seed, auc, f=1.0, res=128, k=None, cost=10.0):
        rows.append({"dataset": ds, "resolution": res, "arch": arch, "category": cat.get(arch),
                     "approach": approach, "source": source, "k_blocks": k,
                     "train_fraction": f, "seed": seed, "status": "ok",
                     "auc_macro_ovr": auc + rng.normal(0, 0.01),
                     "compute_s": cost * (1 + rng.uniform(0, 0.1))})  # fmt: skip

    for ds in ("brain_mri", "busi", "pneumoniamnist", "retinamnist"):
        for s in range(3):
            for arch in ("efficientnet_lite0", "squeezenet1_1"):
                add(ds, arch, "feature_extractor", "imagenet", s, 0.85, cost=5)
                add(ds, arch, "fine_tuning_from_scratch", "imagenet", s, 0.86, cost=50)
                add(ds, arch, "scratch", "random", s, 0.75, cost=50)
            add(ds, "squeezenet1_1", "fine_tuning", "imagenet", s, 0.855, k=1)
            for arch, auc in (("resnet18", 0.8), ("densenet121", 0.8), ("alexnet", 0.75),
                              ("vgg16", 0.76)):  # fmt: skip
                add(ds, arch, "feature_extractor", "cifar10", s, auc)
            if ds in ("pneumoniamnist", "brain_mri", "busi"):
                for f in (0.1, 0.25, 0.5):
                    gap = 0.11 - 0.02 * math.log(f)
                    add(ds, "efficientnet_lite0", "fine_tuning_from_scratch", "imagenet", s,
                        0.75 + gap, f=f)  # fmt: skip
                    add(ds, "efficientnet_lite0", "scratch", "random", s, 0.75, f=f)
            if ds in ("pneumoniamnist", "retinamnist"):
                add(ds, "resnet18_medmnist", "scratch", "random", s,
                    {"pneumoniamnist": 0.944, "retinamnist": 0.717}[ds], res=28)  # fmt: skip
    res = pl.DataFrame(rows)
    v, e = evaluate_v2(res, cs, "guideline_v2",
                       source_accuracy={a: 0.9 for a in ("resnet18", "densenet121", "alexnet",
                                                         "vgg16")})  # fmt: skip
    decided = {"supported", "contradicted", "inconclusive"}
    assert set(v["verdict"]) <= decided, v.select("claim_id", "verdict", "note").to_dicts()
    got = dict(v.select("claim_id", "k_datasets").rows())
    assert got["G4bv2_gap_shrinks_with_data"] == 3 and got["G6v2_medmnist_v2_anchor"] == 2
    assert all(got[c] == 4 for c in got if not c.startswith(("G4b", "G6")))
    assert v.filter(pl.col("claim_id") == "G1bv2_deep_fe_cheaper")["verdict"][0] == "supported"
