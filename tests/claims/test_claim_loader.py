"""The claims loader: both committed registrations load; SYNTHETIC claims files with mistakes are
refused with the file, the claim id and the field."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from reproduce.claims.claim import Claim, load_claim_set
from review.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


def _find(name: str) -> Path:
    """A committed claims file, before or after the move into reproduce/claims/."""
    for p in (ROOT / "reproduce" / "claims" / name, ROOT / "reproduce" / name):
        if p.is_file():
            return p
    raise AssertionError(f"{name} not found")


V1, V2 = _find("claims.yaml"), _find("claims_v2.yaml")


def _v2_doc() -> dict:
    """A minimal SYNTHETIC v2 file (one claim), edited by each test."""
    return {
        "version": 2,
        "registered_on": "2026-12-04",
        "supersedes_file": str(V1.relative_to(ROOT)),
        "pooling": {"method": "REML", "test": "knha", "level": 0.95,
                    "prediction_interval": True},
        "min_seeds": 2,
        "min_datasets": 3,
        "claims": [{
            "id": "S1", "supersedes": "G4_transfer_beats_scratch", "suite": "synthetic_v2",
            "statement": "synthetic", "changes": ["synthetic change"],
            "arms": {"a": {"approach": "fine_tuning_from_scratch"}, "b": {"approach": "scratch"}},
            "pair_on": ["dataset", "arch", "seed"], "metric": "auc_macro_ovr",
            "decision": "superiority",
        }],
    }  # fmt: skip


def _write(tmp_path: Path, doc: dict) -> Path:
    p = tmp_path / "claims.yaml"
    p.write_text(yaml.safe_dump(doc, sort_keys=False))
    return p


def _refused(tmp_path: Path, doc: dict) -> str:
    with pytest.raises(InputError) as err:
        load_claim_set(_write(tmp_path, doc))
    return str(err.value)


def test_both_committed_registrations_load():
    v1, v2 = load_claim_set(V1), load_claim_set(V2)
    assert v1.version == 1 and v2.version == 2
    assert v1.bootstrap.seed == 20221026 and v1.bootstrap.resamples == 10000
    assert v2.pooling.method == "REML" and v2.pooling.test == "knha"
    assert set(v2.suites) == {"guideline_v2", "uap_v2"}
    old = {c.id for c in v1.claims}
    assert all(c.supersedes in old and c.changes for c in v2.claims)
    g2 = v2.get("G2v2_deep_beats_shallow_fe")
    assert g2.aggregate_within_pair == "mean" and g2.arms.a.get("category") == ("deep",)
    g4b = v2.get("G4bv2_gap_shrinks_with_data")
    assert g4b.min_datasets == 2 and g4b.min_seeds == 2  # claim override, file default
    g6 = v2.get("G6v2_medmnist_v2_anchor")
    assert (g6.reference.file, g6.reference.method, g6.reference.column) == (
        "data/reported/medmnist_v2.csv",
        "ResNet-18 (28)",
        "test_auc",
    )
    assert v2.get("G5v2_deep_beats_shallow_cifar10").requires.cifar10_min_test_accuracy == 0.85


def test_claim_is_frozen():
    c = load_claim_set(V2).claims[0]
    assert isinstance(c, Claim)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.margin = 0.5  # type: ignore[misc]


def test_misspelled_pair_on_key_is_refused(tmp_path):
    doc = _v2_doc()
    doc["claims"][0]["pair_onn"] = doc["claims"][0].pop("pair_on")
    msg = _refused(tmp_path, doc)
    assert "claim S1: field 'pair_onn': unknown key" in msg
    assert "claim S1: field 'pair_on': missing" in msg


def test_misspelled_pair_on_field_is_refused(tmp_path):
    doc = _v2_doc()
    doc["claims"][0]["pair_on"] = ["dataset", "arch", "seeed"]
    assert "claim S1: field 'pair_on': unknown field 'seeed'" in _refused(tmp_path, doc)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ({"decision": "better"}, "field 'decision': got 'better'"),
        ({"margin": 0.02}, "field 'margin': not used by decision superiority"),
        ({"decision": "noninferiority"}, "field 'margin': missing"),
        ({"aggregate_within_pair": "max"}, "field 'aggregate_within_pair': got 'max'"),
        ({"scale": "log_ratio"}, "field 'scale': log_ratio is only decided by 'below'"),
        (
            {"arms": {"a": {"aproach": "x"}, "b": {"approach": "y"}}},
            "field 'arms.a.aproach': unknown arm field",
        ),
        ({"arms": {"a": {"approach": "x"}}}, "field 'arms.b': missing"),
        ({"changes": []}, "field 'changes': expected a non-empty list"),
        ({"supersedes": "G9_nothing"}, "field 'supersedes': 'G9_nothing' is not a claim"),
        ({"pair_on": ["dataset", "arch"]}, "needs dataset and seed"),
        ({"min_seeds": 0}, "field 'min_seeds': got 0"),
        ({"requires": {"cifar10_min_acc": 0.85}}, "field 'requires.cifar10_min_acc'"),
    ],
)
def test_claim_mistakes_are_refused_with_claim_and_field(tmp_path, edit, expected):
    doc = _v2_doc()
    doc["claims"][0].update(edit)
    msg = _refused(tmp_path, doc)
    assert expected in msg and str(tmp_path) in msg


def test_missing_fields_are_named(tmp_path):
    doc = _v2_doc()
    for k in ("suite", "statement", "metric"):
        del doc["claims"][0][k]
    msg = _refused(tmp_path, doc)
    for k in ("suite", "statement", "metric"):
        assert f"claim S1: field '{k}': missing" in msg


def test_metric_default_is_used(tmp_path):
    doc = _v2_doc()
    del doc["claims"][0]["metric"]
    doc["metric_default"] = "accuracy"
    assert load_claim_set(_write(tmp_path, doc)).claims[0].metric == "accuracy"


def test_top_level_unknown_and_missing_keys(tmp_path):
    doc = _v2_doc()
    doc["poolling"] = doc.pop("pooling")
    msg = _refused(tmp_path, doc)
    assert "field 'poolling': unknown key" in msg and "field 'pooling': missing" in msg
    doc = _v2_doc()
    doc["pooling"]["method"] = "FE"
    assert "field 'method'" in _refused(tmp_path, doc)


def test_v1_bootstrap_has_no_silent_default(tmp_path):
    """The v1 bug: a missing bootstrap seed fell back to 0 while the file registered 20221026."""
    doc = yaml.safe_load(V1.read_text())
    del doc["bootstrap"]["seed"]
    assert "field 'seed': missing" in _refused(tmp_path, doc)
    doc = yaml.safe_load(V1.read_text())
    del doc["bootstrap"]
    assert "field 'bootstrap': missing" in _refused(tmp_path, doc)


def test_v1_unknown_claim_key_is_refused(tmp_path):
    """The v1 bug: unknown keys were accepted silently."""
    doc = yaml.safe_load(V1.read_text())
    doc["claims"][0]["pairon"] = doc["claims"][0].pop("pair_on")
    msg = _refused(tmp_path, doc)
    assert "claim G1_deep_fe_noninferior: field 'pairon': unknown key" in msg


def test_within_reference_must_exist(tmp_path):
    doc = _v2_doc()
    doc["claims"][0].update(
        decision="within", margin=0.03, arms={"a": {"approach": "scratch"}},
        reference="data/reported/medmnist_v2.csv (ResNet-99 (28) AUC)",
    )  # fmt: skip
    del doc["claims"][0]["pair_on"]
    assert "no row with method 'ResNet-99 (28)'" in _refused(tmp_path, doc)


def test_duplicate_ids_refused(tmp_path):
    doc = _v2_doc()
    doc["claims"].append(dict(doc["claims"][0]))
    assert "claim S1: field 'id': used by more than one claim" in _refused(tmp_path, doc)
