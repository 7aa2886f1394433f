"""Queries and SQL over SYNTHETIC tables."""

from __future__ import annotations

import pytest

from review import query
from review.studies import load_studies


@pytest.fixture
def df(valid_table):
    return load_studies(valid_table)


def test_filter_list_membership_and_where(df):
    out = query.filter_studies(df, contains={"backbones": "resnet50"})
    assert out["study_id"].to_list() == ["synthetic_2019_s0"]
    out = query.filter_studies(df, where="year >= 2019", columns=["study_id", "year"])
    assert out.columns == ["study_id", "year"]
    assert sorted(out["year"].to_list()) == [2019, 2020]
    out = query.filter_studies(df, equals={"modality": "ct"})
    assert out.height == 1


def test_filter_errors(df):
    with pytest.raises(query.QueryError, match="unknown column"):
        query.filter_studies(df, columns=["nope"])
    with pytest.raises(query.QueryError, match="not a list column"):
        query.filter_studies(df, contains={"modality": "ct"})
    with pytest.raises(query.QueryError, match="--where 'year >>> 3'"):
        query.filter_studies(df, where="year >>> 3")


def test_count_by_scalar_and_list(df):
    c = query.count_by("tl_approach", df)
    assert dict(zip(c["tl_approach"], c["n"], strict=True)) == {
        "feature_extractor": 1,
        "fine_tuning_from_scratch": 1,
        "feature_extractor_hybrid": 1,
    }
    assert c["share"].sum() == pytest.approx(1.0)
    b = query.count_by("backbones", df)
    assert b.height == 4 and b["n"].sum() == 4


def test_crosstab(df):
    ct = query.crosstab("modality", "tl_approach", df)
    assert ct.height == 3
    assert ct["total"].sum() == 3
    row = ct.filter(ct["modality"] == "ct").to_dicts()[0]
    assert row["fine_tuning_from_scratch"] == 1 and row["feature_extractor"] == 0
    with pytest.raises(query.QueryError):
        query.crosstab("modality", "modality", df)


def test_sql_tables(df):
    out = query.sql(
        "SELECT family, COUNT(DISTINCT study_id) AS n FROM study_backbones "
        "GROUP BY family ORDER BY family",
        df,
    )
    assert dict(zip(out["family"], out["n"], strict=True)) == {
        "alexnet": 1,
        "inception": 1,
        "resnet": 1,
        "vgg": 1,
    }
    out = query.sql("SELECT COUNT(*) AS n FROM backbones WHERE category = 'shallow'", df)
    assert out["n"][0] >= 5
    with pytest.raises(query.QueryError, match="SQL error"):
        query.sql("SELECT * FROM missing_table", df)
