"""Amendments of the v2 registration: the loader, A2 (full training set) and A1 (paired
bootstrap SE of test images).

Every results table and prediction here is SYNTHETIC (invented numbers built to hit each rule).
Independent references: the bootstrap SE against ``scipy.stats.bootstrap`` with AUCs from
``scipy.stats.mannwhitneyu`` (AUC = U / (n_pos * n_neg)), not the engine's scikit-learn AUC.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml
from scipy import stats

from reproduce.claims import bootstrap as bootstrap_mod
from reproduce.claims.bootstrap import (
    A1_RESAMPLES,
    A1_SEED,
    PredictionStore,
    RunPredictions,
    paired_bootstrap_se,
)
from reproduce.claims.claim import load_claim_set
from reproduce.claims.cli import claims_file
from reproduce.claims.pooled import evaluate_v2
from reproduce.engine.execute import write_predictions
from reproduce.engine.train import macro_auc_ovr
from review.cli import main
from review.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
SUITE = "synthetic_v2"
A1 = "A1_seed_invariant_arms"
A2 = "A2_full_training_set"


# ------------------------------------------------------------------------------------ loader
def _committed() -> dict:
    return yaml.safe_load(claims_file("v2").read_text(encoding="utf-8"))


def _write(tmp_path: Path, doc: dict) -> Path:
    p = tmp_path / "claims_v2.yaml"
    p.write_text(yaml.safe_dump(doc, sort_keys=False))
    return p


def test_committed_amendments_load_typed_and_frozen():
    cs = load_claim_set(claims_file("v2"))
    assert [a.id for a in cs.amendments] == [A1, A2]
    a1 = cs.amendments[0]
    assert a1.date == "2026-12-04"
    assert a1.applies_to == ("G2v2_deep_beats_shallow_fe", "G5v2_deep_beats_shallow_cifar10")
    assert "2,000 resamples, seed 20221026" in a1.change and a1.reason
    assert [a.id for a in cs.amendments_for("G2v2_deep_beats_shallow_fe")] == [A1, A2]
    assert cs.amendments_for("G4bv2_gap_shrinks_with_data") == ()
    with pytest.raises(AttributeError):
        a1.id = "other"  # frozen
    # the registered numbers are the ones the engine uses
    assert (A1_RESAMPLES, A1_SEED) == (2000, 20221026)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda a: a[0].update(note="x"),
         f"amendment {A1}: field 'note': unknown key"),
        (lambda a: a[1]["applies_to"].append("G9v2_nope"),
         f"amendment {A2}: field 'applies_to': unknown claim id 'G9v2_nope'"),
        (lambda a: a[0].pop("reason"),
         f"amendment {A1}: field 'reason': missing"),
        (lambda a: a[0].update(date="4 Dec 2026"),
         f"amendment {A1}: field 'date': got '4 Dec 2026'; expected YYYY-MM-DD"),
        (lambda a: a[1].update(id="A3_something_else"),
         "amendment A3_something_else: field 'id': no such amendment is implemented"),
        (lambda a: a[0]["applies_to"].append("G1bv2_deep_fe_cheaper"),
         f"amendment {A1}: field 'applies_to': claim G1bv2_deep_fe_cheaper: A1 bootstraps"),
        (lambda a: a.append(copy.deepcopy(a[0])),
         f"amendment {A1}: field 'id': used by more than one amendment"),
    ],
)  # fmt: skip
def test_bad_amendments_refused_naming_amendment_and_field(tmp_path, mutate, message):
    doc = _committed()
    mutate(doc["amendments"])
    with pytest.raises(InputError) as exc:
        load_claim_set(_write(tmp_path, doc))
    assert message in str(exc.value)
    assert str(tmp_path / "claims_v2.yaml") in str(exc.value)


def test_v1_file_takes_no_amendments(tmp_path):
    doc = yaml.safe_load(claims_file("v1").read_text(encoding="utf-8"))
    doc["amendments"] = _committed()["amendments"]
    p = tmp_path / "claims.yaml"
    p.write_text(yaml.safe_dump(doc, sort_keys=False))
    with pytest.raises(InputError, match="field 'amendments': unknown key for a v1"):
        load_claim_set(p)


# ------------------------------------------------------------- synthetic claims and results
def _claims(tmp_path: Path, amendments: list[str], **claim) -> object:
    """A SYNTHETIC v2 claims file with claim S1 (deep FE vs shallow FE, AUC, mean over archs)
    and claim S2 (the same contrast, never amended); ``amendments`` name those applied to S1."""
    base = {
        "id": "S1", "supersedes": "G2_deep_beats_shallow_fe", "suite": SUITE,
        "statement": "synthetic", "changes": ["synthetic"],
        "arms": {"a": {"approach": "fe", "category": "deep"},
                 "b": {"approach": "fe", "category": "shallow"}},
        "pair_on": ["dataset", "train_fraction", "seed"], "aggregate_within_pair": "mean",
        "metric": "auc_macro_ovr", "decision": "superiority",
    } | claim  # fmt: skip
    doc = {
        "version": 2, "registered_on": "2026-12-04",
        "supersedes_file": "reproduce/claims/claims.yaml",
        "pooling": {"method": "REML", "test": "knha", "level": 0.95,
                    "prediction_interval": True},
        "min_seeds": 2, "min_datasets": 3,
        "claims": [base, base | {"id": "S2"}],
    }  # fmt: skip
    if amendments:
        doc["amendments"] = [
            {"id": a, "date": "2026-12-04", "applies_to": ["S1"], "change": "synthetic",
             "reason": "synthetic"} for a in amendments
        ]  # fmt: skip
    return load_claim_set(_write(tmp_path, doc))


def _probs(rng: np.random.Generator, labels: np.ndarray, k: int, signal: float) -> np.ndarray:
    """SYNTHETIC class probabilities: softmax of noise plus ``signal`` on the true class."""
    z = rng.normal(0, 1, (len(labels), k))
    z[np.arange(len(labels)), labels] += signal
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# per data set: (classes, test images, deep signal, shallow signal); deep ahead everywhere
DATASETS = {"d1": (2, 150, 1.6, 0.9), "d2": (3, 120, 1.4, 1.0), "d3": (2, 100, 1.5, 0.7)}
DEEP, SHALLOW = ("deep_x", "deep_y"), ("shallow_z",)


def _deterministic_suite(seeds: int = 3, with_fraction: bool = False):
    """SYNTHETIC results and long predictions of seed-invariant arms: every seed's run has the
    same predictions (as two converged convex heads would), so per-seed differences are equal.
    Each run's AUC is computed from its predictions as the engine does. Rows are returned with
    their predictions in a different image order per run (pairing must go by id)."""
    rng = np.random.default_rng(7)
    rows, long_parts, wide = [], [], {}
    for ds, (k, n, s_deep, s_shallow) in DATASETS.items():
        labels = rng.integers(0, k, n)
        labels[:k] = np.arange(k)  # every class present
        ids = np.array([f"{ds}_img{i:04d}" for i in range(n)])
        fixed = {arch: _probs(rng, labels, k, s_deep if arch in DEEP else s_shallow)
                 for arch in DEEP + SHALLOW}  # fmt: skip
        for seed in range(seeds):
            for arch, probs in fixed.items():
                rid = f"{ds}-{arch}-s{seed}"
                cat = "deep" if arch in DEEP else "shallow"
                auc = macro_auc_ovr(labels, probs)
                rows.append({"run_id": rid, "dataset": ds, "arch": arch, "category": cat,
                             "approach": "fe", "train_fraction": 1.0, "seed": seed,
                             "status": "ok", "auc_macro_ovr": auc})  # fmt: skip
                order = np.random.default_rng(seed * 31 + len(rid)).permutation(n)
                wide[rid] = (ids[order], labels[order], probs[order])
                long_parts.append(
                    pl.DataFrame({"id": ids[order], "label": labels[order]})
                    .with_columns(pl.lit(rid).alias("run_id"), pl.lit(0).alias("pred"))
                    .join(pl.DataFrame({"class": list(range(k))}), how="cross")
                    # the cross join repeats each image over its classes: row-major order
                    .with_columns(pl.Series("prob", probs[order].reshape(-1)))
                )
                if with_fraction:  # a learning-curve run: other numbers, same cells otherwise
                    rows.append(rows[-1] | {"run_id": rid + "-f05", "train_fraction": 0.5,
                                            "auc_macro_ovr": 0.5 + 0.1 * rng.random()})  # fmt: skip
    long = pl.concat(long_parts).select("run_id", "id", "label", "pred", "class", "prob")
    return pl.DataFrame(rows), long, wide


def test_synthetic_long_predictions_reproduce_the_rows_auc(tmp_path):
    res, long, _ = _deterministic_suite(seeds=1)
    rid = "d2-deep_x-s0"
    run = PredictionStore(_long_file(tmp_path, long)).get(rid)
    auc = res.filter(pl.col("run_id") == rid)["auc_macro_ovr"][0]
    assert macro_auc_ovr(run.labels, run.probs) == pytest.approx(auc, abs=1e-15)
    assert list(run.ids) == sorted(run.ids)


def _long_file(folder: Path, long: pl.DataFrame, name: str = "predictions.parquet") -> Path:
    f = folder / name
    long.write_parquet(f)
    return f


# ------------------------------------------------------------------- A1: the bootstrap SE
def _mwu_auc(labels: np.ndarray, probs: np.ndarray) -> float:
    """Macro one-vs-rest AUC from scipy's Mann-Whitney U (independent of scikit-learn)."""
    cols = [1] if probs.shape[1] == 2 else range(probs.shape[1])
    aucs = []
    for c in cols:
        pos = labels == c
        if 0 < pos.sum() < len(labels):
            u = stats.mannwhitneyu(probs[pos, c], probs[~pos, c]).statistic
            aucs.append(u / (pos.sum() * (~pos).sum()))
    return float(np.mean(aucs)) if aucs else math.nan


@pytest.mark.parametrize(
    ("ds", "resamples"),
    [pytest.param("d1", A1_RESAMPLES, marks=pytest.mark.slow), ("d1", 200), ("d2", 100)],
)
def test_bootstrap_se_equals_scipy_bootstrap(tmp_path, ds, resamples):
    """SE = scipy.stats.bootstrap(...).standard_error on the same draws: the resampled index
    rows are rng.integers(0, n, (resamples, n)) of default_rng(20221026) in both."""
    res, long, _ = _deterministic_suite(seeds=1)
    store = PredictionStore(_long_file(tmp_path, long))
    runs = {a: store.get(f"{ds}-{a}-s0") for a in DEEP + SHALLOW}
    bs = paired_bootstrap_se([([runs[a] for a in DEEP], [runs["shallow_z"]])],
                             resamples=resamples)  # fmt: skip
    # the reference: rows aligned by id through a dict, AUC by Mann-Whitney U
    ref_ids = sorted(runs["deep_x"].ids)
    aligned = {}
    for a in DEEP + SHALLOW:
        tbl = long.filter(pl.col("run_id") == f"{ds}-{a}-s0")
        by_id = {}
        for r in tbl.iter_rows(named=True):
            by_id.setdefault(r["id"], {})[r["class"]] = (r["prob"], r["label"])
        k = len(by_id[ref_ids[0]])
        aligned[a] = np.array([[by_id[i][c][0] for c in range(k)] for i in ref_ids])
        labels = np.array([by_id[i][0][1] for i in ref_ids])

    def stat(idx):
        deep = np.mean([_mwu_auc(labels[idx], aligned[a][idx]) for a in DEEP])
        return deep - _mwu_auc(labels[idx], aligned["shallow_z"][idx])

    ref = stats.bootstrap((np.arange(len(ref_ids)),), stat, n_resamples=resamples,
                          vectorized=False, method="percentile",
                          rng=np.random.default_rng(A1_SEED))  # fmt: skip
    assert bs.n_dropped == 0 and bs.n_images == len(ref_ids)
    assert bs.se == pytest.approx(ref.standard_error, rel=1e-10)
    assert bs.observed == pytest.approx(stat(np.arange(len(ref_ids))), abs=1e-12)
    assert 0.005 < bs.se < 0.2  # a real, non-degenerate spread


def test_bootstrap_refuses_runs_with_other_test_images():
    a = RunPredictions("ra", "fa", np.array(["1", "2", "3"]), np.array([0, 1, 1]),
                       np.eye(2)[[0, 1, 1]])  # fmt: skip
    b = RunPredictions("rb", "fb", np.array(["1", "2", "4"]), np.array([0, 1, 1]),
                       np.eye(2)[[0, 1, 1]])  # fmt: skip
    with pytest.raises(InputError, match="fb: run rb: field 'id': its test images differ"):
        paired_bootstrap_se([([a], [b])], resamples=10)
    c = RunPredictions("rc", "fc", a.ids, np.array([0, 0, 1]), a.probs)
    with pytest.raises(InputError, match="fc: run rc: field 'label': image '2'"):
        paired_bootstrap_se([([a], [c])], resamples=10)


# ------------------------------------------------------------ A1 in the pooled engine
@pytest.fixture(autouse=True)
def _fewer_resamples(request, monkeypatch):
    """The engine tests use 40 resamples (2,000 x scikit-learn AUCs per run is slow on a shared
    CPU); the registered 2,000 are checked against scipy in test_bootstrap_se_equals_scipy."""
    if "scipy" not in request.node.name:
        monkeypatch.setattr(bootstrap_mod, "A1_RESAMPLES", 40)


def test_deterministic_arms_decided_with_a1_left_out_without(tmp_path):
    res, long, _ = _deterministic_suite()
    store = PredictionStore(_long_file(tmp_path, long))
    # without A1: every data set has zero variance over seeds -> insufficient_data
    v0, e0 = evaluate_v2(res, _claims(tmp_path, []), SUITE, predictions=store)
    r0 = v0.filter(pl.col("claim_id") == "S1").row(0, named=True)
    assert r0["verdict"] == "insufficient_data" and r0["k_datasets"] == 0
    assert r0["datasets_left_out"].count("no sampling variance over seeds") == 3
    assert r0["amendments"] is None
    # with A1: decided on the bootstrap SEs
    v1, e1 = evaluate_v2(res, _claims(tmp_path, [A1]), SUITE, predictions=store)
    r1 = v1.filter(pl.col("claim_id") == "S1").row(0, named=True)
    assert r1["verdict"] == "supported" and r1["k_datasets"] == 3
    assert r1["amendments"] == A1 and f"{A1}: 3 data set(s)" in r1["note"]
    # S2 is not amended: still left out in the same run
    assert v1.filter(pl.col("claim_id") == "S2")["verdict"][0] == "insufficient_data"
    eff = e1.filter(pl.col("claim_id") == "S1").sort("dataset")
    assert eff["included"].to_list() == [True, True, True]
    z = stats.norm.ppf(0.975)
    for row in eff.iter_rows(named=True):
        ds = row["dataset"]
        runs = {a: store.get(f"{ds}-{a}-s0") for a in DEEP + SHALLOW}
        direct = paired_bootstrap_se(
            [([runs[a] for a in DEEP], [runs["shallow_z"]])], resamples=bootstrap_mod.A1_RESAMPLES
        )
        assert row["se"] == pytest.approx(direct.se, rel=1e-12)
        d = res.filter(pl.col("dataset") == ds, pl.col("seed") == 1)
        want = (d.filter(pl.col("category") == "deep")["auc_macro_ovr"].mean()
                - d.filter(pl.col("category") == "shallow")["auc_macro_ovr"][0])  # fmt: skip
        assert row["estimate"] == pytest.approx(want, abs=1e-12)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx(
            (want - z * direct.se, want + z * direct.se)
        )
        assert row["reason"].startswith(f"{A1}: SE from a paired bootstrap of")


def test_a1_reads_run_folders_when_the_suite_file_lacks_a_run(tmp_path):
    res, long, wide = _deterministic_suite()
    store_long = PredictionStore(_long_file(tmp_path, long))
    runs_dir = tmp_path / "runs" / SUITE
    for rid, (ids, labels, probs) in wide.items():
        if rid.startswith("d3-"):
            write_predictions(runs_dir / rid / "predictions.parquet", ids, labels, probs)
    no_d3 = long.filter(~pl.col("run_id").str.starts_with("d3-"))
    partial = PredictionStore(_long_file(tmp_path, no_d3, "no_d3.parquet"), runs_dir)
    cs = _claims(tmp_path, [A1])
    _, e_long = evaluate_v2(res, cs, SUITE, predictions=store_long)
    _, e_mix = evaluate_v2(res, cs, SUITE, predictions=partial)
    assert e_mix["se"].to_list() == pytest.approx(e_long["se"].to_list(), rel=1e-12)
    # no predictions anywhere for d3: left out, saying how to write them
    v, _ = evaluate_v2(res, cs, SUITE, predictions=PredictionStore(partial.long_file, None))
    r = v.filter(pl.col("claim_id") == "S1").row(0, named=True)
    assert r["verdict"] == "insufficient_data" and r["k_datasets"] == 2
    assert f"tlreview reproduce collect {SUITE} --predictions" in r["datasets_left_out"]


def test_a1_refuses_predictions_of_other_runs(tmp_path):
    res, long, _ = _deterministic_suite()
    swapped = long.with_columns(
        pl.when(pl.col("run_id") == "d1-deep_x-s0").then(pl.lit("d1-shallow_z-s0"))
        .when(pl.col("run_id") == "d1-shallow_z-s0").then(pl.lit("d1-deep_x-s0"))
        .otherwise(pl.col("run_id")).alias("run_id")
    )  # fmt: skip
    with pytest.raises(InputError, match="data set d1: the predictions of runs"):
        evaluate_v2(res, _claims(tmp_path, [A1]), SUITE,
                    predictions=PredictionStore(_long_file(tmp_path, swapped)))  # fmt: skip


def test_equal_per_seed_differences_count_as_zero_variance(tmp_path):
    """0.8 - 0.7 on every seed: numpy's SD of the equal differences is ~1e-17, not 0; such a
    data set must be left out (it would otherwise enter with an infinite weight)."""
    rows = []
    for ds, shift in (("d1", 0.0), ("d2", 0.01), ("d3", 0.02), ("d4", 0.0)):
        for s in range(3):
            c = {"dataset": ds, "approach": "fe", "train_fraction": 1.0, "seed": s, "status": "ok"}
            deep = 0.8 if ds == "d4" else 0.8 + shift + 0.01 * s
            rows.append(c | {"category": "deep", "auc_macro_ovr": deep, "run_id": f"{ds}a{s}"})
            rows.append(c | {"category": "shallow", "auc_macro_ovr": 0.7, "run_id": f"{ds}b{s}"})
    v, _ = evaluate_v2(pl.DataFrame(rows), _claims(tmp_path, []), SUITE)
    r = v.filter(pl.col("claim_id") == "S1").row(0, named=True)
    assert "d4: no sampling variance over seeds" in r["datasets_left_out"]
    assert r["k_datasets"] == 3


# ------------------------------------------------------------------------- A2
def test_a2_keeps_the_full_training_set_only_for_the_claims_it_names(tmp_path):
    res, long, _ = _deterministic_suite(with_fraction=True)
    store = PredictionStore(_long_file(tmp_path, long))
    v, _ = evaluate_v2(res, _claims(tmp_path, [A1, A2]), SUITE, predictions=store)
    full = res.filter(pl.col("train_fraction") == 1.0)
    ref, _ = evaluate_v2(full, _claims(tmp_path, [A1]), SUITE, predictions=store)
    s1 = v.filter(pl.col("claim_id") == "S1").row(0, named=True)
    r1 = ref.filter(pl.col("claim_id") == "S1").row(0, named=True)
    for k in ("estimate", "se", "ci_low", "ci_high", "k_datasets", "n_pairs"):
        assert s1[k] == pytest.approx(r1[k], rel=1e-12), k
    n_out = res.height - full.height
    assert f"{A2}: {n_out} row(s) with train_fraction != 1 left out" in s1["note"]
    assert s1["amendments"] == f"{A1}, {A2}"
    # S2 is not amended: the learning-curve rows enter (and add pairs)
    s2 = v.filter(pl.col("claim_id") == "S2").row(0, named=True)
    assert s2["n_pairs"] > s1["n_pairs"] and s2["amendments"] is None


# ------------------------------------------------------------------------- the CLI
def test_cli_verdicts_list_the_amendments_of_each_claim(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TLREVIEW_RUNS_DIR", str(tmp_path / "runs"))
    res = tmp_path / "results.csv"
    pl.DataFrame({"dataset": ["busi"], "approach": ["scratch"], "seed": [0],
                  "auc_macro_ovr": [0.8], "status": ["ok"]}).write_csv(res)  # fmt: skip
    out = tmp_path / "out"
    assert main(["reproduce", "verdicts", "guideline_v2", "--results", str(res),
                 "--out", str(out), "--format", "csv"]) == 0  # fmt: skip
    v = pl.read_csv(out / "verdicts.csv")
    got = dict(zip(v["claim_id"], v["amendments"], strict=True))
    assert got["G2v2_deep_beats_shallow_fe"] == f"{A1}, {A2}"
    assert got["G5v2_deep_beats_shallow_cifar10"] == A1
    assert got["G1v2_deep_fe_noninferior"] == A2
    assert got["G4bv2_gap_shrinks_with_data"] is None
    printed = pl.read_csv(capsys.readouterr().out.encode())
    assert "amendments" in printed.columns
