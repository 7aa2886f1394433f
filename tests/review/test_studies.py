"""Loading and validating the study table. All tables here are SYNTHETIC."""

from __future__ import annotations

import polars as pl
import pytest

from review.schema import COLUMNS, FIELDS, data_dictionary_markdown, vocabulary
from review.studies import (
    StudyTableError,
    load_studies,
    study_backbones,
    to_pandas,
    validate_studies,
)


def test_committed_table_validates():
    assert validate_studies() == []
    df = load_studies()
    assert df.columns == list(COLUMNS)


def test_valid_synthetic_table_loads_typed(valid_table):
    df = load_studies(valid_table)
    assert df.height == 3
    assert df.schema["year"] == pl.Int64
    assert df.schema["value"] == pl.Float64
    assert df.schema["backbones"] == pl.List(pl.String)
    assert df["backbones"][0].to_list() == ["vgg16", "resnet50"]
    # empty optional values are nulls, not empty strings or zeros
    assert df["pmid"].null_count() == 3
    assert df.filter(pl.col("study_id") == "synthetic_2018_s2")["value"][0] is None


def test_pandas_view(valid_table):
    pdf = to_pandas(load_studies(valid_table))
    assert list(pdf.columns) == list(COLUMNS)
    assert pdf.loc[0, "backbones"] == ["vgg16", "resnet50"]


def test_study_backbones_one_row_per_pair(valid_table):
    sb = study_backbones(load_studies(valid_table))
    assert sb.height == 4  # 2 + 1 + 1 backbones
    assert set(sb["category"]) == {"shallow", "deep"}


def _problems(path):
    return validate_studies(path)


def _one(problems, row, field):
    hits = [p for p in problems if p.row == row and p.field == field]
    assert hits, f"no problem at row {row} field {field}: {[str(p) for p in problems]}"
    return hits[0]


# Each case: (description, mutation of row index 1 (spreadsheet row 3), field, text expected
# in the message). Row index 1 of the synthetic rows is the deep/inception row.
CASES = [
    ("bad vocabulary", {"modality": "x-ray"}, "modality", "one of: xray"),
    ("year out of range", {"year": "2021"}, "year", "[1990, 2020]"),
    ("year not integer", {"year": "2019.0"}, "year", "a whole number"),
    ("value above 1", {"value": "93.5"}, "value", "[0.0, 1.0]"),
    ("value not a number", {"value": "high"}, "value", "a number"),
    ("list with comma", {"backbones": "vgg16,resnet50"}, "backbones", "separator ';'"),
    ("list with space", {"backbones": "inception_v3; resnet50"}, "backbones", "no spaces"),
    ("list empty item", {"backbones": "inception_v3;;"}, "backbones", "no empty items"),
    ("unknown backbone", {"backbones": "inception_v3;resnet51"}, "backbones", "resnet51"),
    ("missing required", {"title": ""}, "title", "required"),
    ("trailing space", {"venue": "Radiology "}, "venue", "without leading or trailing"),
    ("bad study id", {"study_id": "Bad-ID"}, "study_id", "matching"),
    ("bad doi", {"doi": "https://doi.org/10.1/x"}, "doi", "matching"),
    ("bad url", {"source_url": "www.example.org"}, "source_url", "matching"),
    ("metric without value", {"value": ""}, "value", "both given or both empty"),
    ("binary with 3 classes", {"n_classes": "3", "task": "binary"}, "n_classes", "binary"),
    ("expert na mismatch", {"compared_with_experts": "yes"}, "expert_comparison", "better"),
    (
        "category vs backbones",
        {"model_category": "shallow"},
        "model_category",
        "inception_v3 is not shallow",
    ),
    ("negative count", {"n_images": "-5"}, "n_images", ">= 1"),
    ("best backbone not used", {"best_backbone": "vgg16"}, "best_backbone", "inception_v3"),
    ("unknown evidence kind", {"evidence_tl": "paper"}, "evidence_tl", "one of: abstract"),
    ("evidence kind missing", {"evidence_backbones": ""}, "evidence_backbones", "required"),
]


@pytest.mark.parametrize(("desc", "mutation", "field", "text"), CASES, ids=[c[0] for c in CASES])
def test_malformed_value_named_precisely(make_table, rows, desc, mutation, field, text):
    rows[1].update(mutation)
    path = make_table(rows)
    problems = _problems(path)
    p = _one(problems, 3, field)
    msg = str(p)
    assert str(path) in msg and "row 3" in msg and f"field '{field}'" in msg
    assert text in msg, msg
    # the other rows are untouched and reported clean
    assert all(q.row == 3 for q in problems), [str(q) for q in problems]
    with pytest.raises(StudyTableError) as err:
        load_studies(path)
    assert err.value.problems == problems


def test_duplicate_study_id_and_doi(make_table, rows):
    rows[2]["study_id"] = rows[0]["study_id"]
    rows[2]["doi"] = rows[0]["doi"].upper()
    problems = _problems(make_table(rows))
    assert "also on row 2" in str(_one(problems, 4, "study_id"))
    assert "same DOI on row 2" in str(_one(problems, 4, "doi"))


def test_all_problems_reported_at_once(make_table, rows):
    rows[0]["year"] = "1800"
    rows[1]["modality"] = "pet"
    rows[2]["value"] = "2"
    problems = _problems(make_table(rows))
    assert {(p.row, p.field) for p in problems} >= {(2, "year"), (3, "modality"), (4, "value")}


def test_missing_and_unknown_columns(make_table, rows):
    cols = [c for c in COLUMNS if c != "tl_approach"] + ["notes"]
    for r in rows:
        r["notes"] = "x"
    problems = _problems(make_table(rows, columns=cols))
    fields = {p.field for p in problems if p.row == 1}
    assert fields == {"tl_approach", "notes"}
    assert any("required" in str(p) for p in problems)
    assert any("only the known columns" in str(p) for p in problems)


def test_duplicate_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(",".join([*COLUMNS, "year"]) + "\n", encoding="utf-8")
    problems = _problems(path)
    assert any(p.field == "year" and "each column once" in str(p) for p in problems)


def test_ragged_row(make_table, rows, tmp_path):
    path = make_table(rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2] + ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = _one(_problems(path), 3, None)
    assert "fields, as in the header" in str(p)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    (p,) = _problems(path)
    assert "empty" in str(p) and str(path) in str(p)


def test_missing_file(tmp_path):
    (p,) = _problems(tmp_path / "nope.csv")
    assert "existing CSV file" in str(p)


def test_not_utf8(make_table, rows):
    path = make_table(rows)
    data = path.read_bytes().replace(b"Synthetic study", b"Synth\xe9tic study", 1)
    path.write_bytes(data)
    (p,) = _problems(path)
    assert p.row == 2 and "UTF-8" in str(p)


def test_utf8_bom_and_non_ascii_accepted(make_table, rows):
    rows[0]["first_author"] = "Müller"
    path = make_table(rows)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_studies(path)["first_author"][0] == "Müller"


def test_quoted_newline_and_commas_kept(make_table, rows):
    rows[0]["title"] = 'A title, with "quotes" and\na newline'
    df = load_studies(make_table(rows))
    assert df["title"][0] == rows[0]["title"]


def test_nothing_is_coerced(make_table, rows):
    rows[0]["year"] = " 2019"
    problems = _problems(make_table(rows))
    assert _one(problems, 2, "year")


def test_header_only_is_valid_and_empty(make_table):
    df = load_studies(make_table([]))
    assert df.height == 0 and df.columns == list(COLUMNS)


def test_data_readme_dictionary_in_sync():
    from review import paths

    text = (paths.data_dir() / "README.md").read_text(encoding="utf-8")
    assert data_dictionary_markdown() in text, "regenerate with `python -m review.schema`"


def test_every_vocab_field_has_terms_with_descriptions():
    from review.schema import vocabulary_table

    for f in FIELDS:
        if f.vocab:
            table = vocabulary_table(f.vocab)
            assert table and all(d.strip() for d in table.values()), f.vocab
    assert "feature_extractor" in vocabulary("tl_approach")


def test_evidence_vocabulary_is_the_issue_15_list():
    from review.schema import FIELD_BY_NAME, vocabulary_table

    table = vocabulary_table("evidence")
    assert list(table) == ["abstract", "full_text", "authors_code", "figure_or_table", "citation"]
    assert all(len(d.split()) >= 5 for d in table.values())  # a real description per term
    for name in ("evidence_tl", "evidence_backbones"):
        f = FIELD_BY_NAME[name]
        assert (f.kind, f.vocab, f.required) == ("vocab", "evidence", True)
    # the free-text paraphrase keeps its meaning next to the two new fields
    assert FIELD_BY_NAME["evidence"].kind == "str"


def test_committed_evidence_values_are_terms():
    df = load_studies()
    terms = set(vocabulary("evidence"))
    for name in ("evidence_tl", "evidence_backbones"):
        assert df[name].null_count() == 0
        assert set(df[name].to_list()) <= terms
