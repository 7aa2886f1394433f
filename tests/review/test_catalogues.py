"""The committed catalogues: backbones, vocabularies against the codebook, reported figures."""

from __future__ import annotations

import re

import polars as pl
import pytest

from review import paths
from review.schema import vocabulary
from review.studies import load_backbones

CODEBOOK = paths.ROOT.parent / "shared" / "curation" / "CODEBOOK.md"


def test_backbone_catalogue_covers_vocabulary():
    bb = load_backbones()
    assert bb["backbone"].to_list() == list(vocabulary("backbone"))
    assert set(bb["category"]) == {"shallow", "deep", "unknown"}
    assert bb["source"].null_count() == 0


def test_table1_rows_carry_review_source_and_category():
    bb = load_backbones()
    t1 = pl.read_csv(paths.reported_dir() / "kim2022_table1.csv")
    names = {
        "LeNet5": "lenet",
        "AlexNet": "alexnet",
        "VGG16": "vgg16",
        "GoogLeNet": "googlenet",
        "ResNet50": "resnet50",
    }
    for row in t1.iter_rows(named=True):
        ours = bb.filter(pl.col("backbone") == names[row["model"]]).to_dicts()[0]
        expected = "shallow" if row["model_type"].startswith("Shallow") else "deep"
        assert ours["category"] == expected
        assert ours["year"] == row["released_year"]
        assert "Kim et al. 2022 Table 1" in ours["source"]


@pytest.mark.slow
def test_torchvision_parameter_counts():
    tv = pytest.importorskip("torchvision.models")
    bb = load_backbones().filter(pl.col("torchvision_name").is_not_null())
    for name, params_m in bb.select("torchvision_name", "params_m").iter_rows():
        kw = {"aux_logits": False, "init_weights": False} if name == "googlenet" else {}
        if name == "inception_v3":
            kw = {"init_weights": False}
        model = getattr(tv, name)(**kw)
        n = sum(p.numel() for p in model.parameters())
        assert n == round(params_m * 1e6), name


@pytest.mark.skipif(not CODEBOOK.exists(), reason="the shared curation codebook is not present")
def test_vocabularies_match_codebook():
    text = CODEBOOK.read_text(encoding="utf-8")
    for field, vocab in [
        ("anatomical_region", "anatomical_region"),
        ("modality", "modality"),
        ("backbones", "backbone"),
    ]:
        m = re.search(rf"\| `{field}` \|[^|]*\| `([^`]*)`", text)
        assert m, field
        terms = [t.strip() for t in m.group(1).split(",")]
        assert list(vocabulary(vocab)) == terms, field
    assert set(vocabulary("tl_approach")) == set(
        re.findall(
            r"`(feature_extractor(?:_hybrid)?|fine_tuning(?:_from_scratch)?|multiple|unclear)`",
            text.split("| `tl_approach` |")[1].split("\n")[0],
        )
    )
    reasons = re.findall(r"`(\w+)`", text.split("Exclude with a reason:")[1].split("\n\n")[0])
    assert list(vocabulary("exclusion_reason")) == reasons


def test_reported_aggregates_are_consistent():
    rep = pl.read_csv(paths.kim2022_reported_csv())
    assert rep["source"].null_count() == 0
    n = rep.filter(pl.col("item") == "studies_included")["n"][0]
    assert n == 121
    for item in ("model_category", "tl_approach"):
        assert rep.filter(pl.col("item") == item)["n"].sum() == n
    terms = rep.filter(pl.col("item") == "tl_approach")["term"].to_list()
    assert set(terms) <= set(vocabulary("tl_approach"))
