"""Claims -> verdicts on SYNTHETIC result tables (invented numbers, built to hit each rule)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy import stats

from reproduce.claims import verdicts


def _claims(tmp_path, claims: list[dict]) -> str:
    import yaml

    doc = {
        "version": 1,
        "registered_on": "2026-11-26",
        "bootstrap": {"resamples": 4000, "seed": 1, "level": 0.95},
        "claims": claims,
    }
    p = tmp_path / "claims.yaml"
    p.write_text(yaml.safe_dump(doc))
    return str(p)


def _claim(**kw):
    base = {"id": "X", "suite": "s", "statement": "synthetic", "metric": "auc",
            "arms": {"a": {"approach": "fe"}, "b": {"approach": "ft"}},
            "pair_on": ["dataset", "seed"], "decision": "superiority"}  # fmt: skip
    return base | kw


def _results(diff: float, n: int = 12, noise: float = 0.005, seed: int = 0) -> pl.DataFrame:
    """SYNTHETIC results: arm a = arm b + diff + noise over n (dataset, seed) pairs."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        base = 0.8 + 0.01 * (i % 4)
        rows.append({"dataset": f"d{i % 3}", "seed": i, "approach": "ft", "auc": base,
                     "status": "ok"})  # fmt: skip
        rows.append({"dataset": f"d{i % 3}", "seed": i, "approach": "fe",
                     "auc": base + diff + rng.normal(0, noise), "status": "ok"})  # fmt: skip
    return pl.DataFrame(rows)


@pytest.mark.parametrize(
    ("decision", "diff", "extra", "expected"),
    [
        ("superiority", 0.05, {}, "supported"),
        ("superiority", -0.05, {}, "contradicted"),
        ("superiority", 0.0, {"noise": 0.03}, "inconclusive"),
        ("noninferiority", -0.005, {"margin": 0.02}, "supported"),
        ("noninferiority", -0.08, {"margin": 0.02}, "contradicted"),
    ],
)
def test_decision_rules(tmp_path, decision, diff, extra, expected):
    noise = extra.pop("noise", 0.005)
    path = _claims(tmp_path, [_claim(decision=decision, **extra)])
    out = verdicts.evaluate_claims(_results(diff, noise=noise), "s", path)
    assert out.columns == list(verdicts.SCHEMA)
    row = out.to_dicts()[0]
    assert row["verdict"] == expected, row
    assert row["n_pairs"] == 12 and row["ci_low"] <= row["estimate"] <= row["ci_high"]


def test_log_ratio_below(tmp_path):
    res = _results(0.0).with_columns(
        pl.when(pl.col("approach") == "fe").then(1.0).otherwise(10.0).alias("cost")
    )
    path = _claims(tmp_path, [_claim(metric="cost", scale="log_ratio", decision="below",
                                     threshold=0.5)])  # fmt: skip
    row = verdicts.evaluate_claims(res, "s", path).to_dicts()[0]
    assert row["estimate"] == pytest.approx(0.1) and row["verdict"] == "supported"


def test_insufficient_and_not_run(tmp_path):
    path = _claims(
        tmp_path,
        [_claim(), _claim(id="Y", arms={"a": {"approach": "zz"}, "b": {"approach": "ft"}})],
    )
    out = verdicts.evaluate_claims(_results(0.05, n=3), "s", path)
    assert out["verdict"].to_list() == ["insufficient_data", "not_run"]


def test_failed_runs_ignored_and_unpaired_counted(tmp_path):
    res = _results(0.05).with_columns(
        pl.when(pl.col("seed") == 0).then(pl.lit("error")).otherwise(pl.lit("ok")).alias("status")
    )
    extra = pl.DataFrame({"dataset": ["d9"], "seed": [99], "approach": ["fe"], "auc": [0.9],
                          "status": ["ok"]})  # fmt: skip
    row = verdicts.evaluate_claims(pl.concat([res, extra]), "s",
                                   _claims(tmp_path, [_claim()])).to_dicts()[0]  # fmt: skip
    assert row["n_pairs"] == 11 and row["n_unpaired"] == 1


def test_bootstrap_matches_scipy_percentile():
    d = np.random.default_rng(3).normal(0.02, 0.03, size=25)
    lo, hi = verdicts.bootstrap_mean_ci(d, 20000, 5, 0.95)
    ref = stats.bootstrap(
        (d,), np.mean, method="percentile", n_resamples=20000, random_state=np.random.default_rng(6)
    ).confidence_interval
    assert lo == pytest.approx(ref.low, abs=2e-3) and hi == pytest.approx(ref.high, abs=2e-3)


def test_slope_rule_matches_linregress(tmp_path):
    rows = []
    for f in (0.05, 0.1, 0.25, 0.5, 1.0):
        for s in range(3):
            gap = 0.1 - 0.02 * np.log(f)  # the gap shrinks as f grows
            rows.append({"dataset": "d", "train_fraction": f, "seed": s, "approach": "ft",
                         "auc": 0.7 + gap + 0.001 * s})  # fmt: skip
            rows.append({"dataset": "d", "train_fraction": f, "seed": s, "approach": "sc",
                         "auc": 0.7})  # fmt: skip
    claim = _claim(arms={"a": {"approach": "ft"}, "b": {"approach": "sc"}},
                   pair_on=["dataset", "train_fraction", "seed"], decision="slope_negative",
                   requires={"train_fraction": [0.05, 0.1, 0.25, 0.5, 1.0]})  # fmt: skip
    row = verdicts.evaluate_claims(pl.DataFrame(rows), "s", _claims(tmp_path, [claim])).row(
        0, named=True
    )
    x = np.log(np.repeat([0.05, 0.1, 0.25, 0.5, 1.0], 3))
    y = (
        0.1
        - 0.02 * np.log(np.repeat([0.05, 0.1, 0.25, 0.5, 1.0], 3))
        + np.tile([0, 0.001, 0.002], 5)
    )
    assert row["estimate"] == pytest.approx(stats.linregress(x, y).slope)
    assert row["estimate"] == pytest.approx(-0.02, abs=1e-3)
    assert row["verdict"] == "supported"


def test_committed_claims_file_is_valid():
    doc = verdicts.load_claims()
    ids = [c["id"] for c in doc["claims"]]
    assert len(ids) == len(set(ids))
    assert {c["suite"] for c in doc["claims"]} == {"guideline", "uap"}


def test_bad_claims_file_named(tmp_path):
    path = _claims(tmp_path, [{"id": "bad", "suite": "s", "statement": "x", "metric": "m",
                               "decision": "noninferiority", "arms": {"a": {}}}])  # fmt: skip
    with pytest.raises(verdicts.InputError) as err:
        verdicts.load_claims(path)
    assert "claim bad" in str(err.value) and "margin" in str(err.value)


def test_verdict_does_not_depend_on_row_order(tmp_path):
    path = _claims(tmp_path, [_claim()])
    res = _results(0.01, noise=0.02)
    a = verdicts.evaluate_claims(res, "s", path)
    b = verdicts.evaluate_claims(res.reverse(), "s", path)
    assert a.equals(b)
