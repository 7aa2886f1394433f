"""Curation tables: PRISMA flow, second pass, kappa. Committed tables and SYNTHETIC ones."""

from __future__ import annotations

import polars as pl
import pytest

from review import curation, paths
from review.errors import StudyTableError
from review.studies import load_studies

HAVE_CURATION = (paths.curation_dir() / "records.csv").exists()
needs_curation = pytest.mark.skipif(not HAVE_CURATION, reason="curation tables not committed yet")
HAVE_SECOND = (paths.curation_dir() / "second_pass.csv").exists()
needs_second_pass = pytest.mark.skipif(not HAVE_SECOND, reason="second pass not committed yet")


def _records(rows):
    """SYNTHETIC screening records."""
    return pl.DataFrame(
        [dict(zip(curation.RECORD_COLUMNS, r, strict=True)) for r in rows],
        schema=dict.fromkeys(curation.RECORD_COLUMNS, pl.String),
    )


SYN = [
    ("r1", "q1", "https://a", "A", "2019", "include", "", "", "a_2019_x", "c", ""),
    ("r2", "q1", "https://b", "B", "2022", "exclude", "after_cutoff", "", "", "c", ""),
    ("r3", "q2", "https://c", "A", "2019", "duplicate", "", "r1", "", "c", ""),
    ("r4", "q2", "https://d", "D", "2018", "exclude", "not_primary", "", "", "c", ""),
    ("r5", "q2", "https://e", "E", "2019", "exclude", "not_primary", "", "", "c", ""),
]


def test_prisma_flow_synthetic(tmp_path):
    path = tmp_path / "records.csv"
    _records(SYN).write_csv(path)
    log = pl.DataFrame({"query_id": ["q1", "q2", "p2-a-q001"]})  # + one evidence look-up
    flow = curation.prisma_flow(curation.load_records(path), log)
    assert flow == {
        "queries": 2,
        "identified": 5,
        "duplicates_removed": 1,
        "screened": 4,
        "excluded": 3,
        "excluded_by_reason": {"not_primary": 2, "after_cutoff": 1},
        "included": 1,
        "evidence_queries": 1,
    }


@pytest.mark.parametrize(
    ("index", "field", "value"),
    [(1, "exclusion_reason", "too_old"), (2, "duplicate_of", "r99"), (0, "decision", "maybe"),
     (0, "study_id", "")],
)  # fmt: skip
def test_bad_records_named(tmp_path, index, field, value):
    rows = [list(r) for r in SYN]
    rows[index][curation.RECORD_COLUMNS.index(field)] = value
    path = tmp_path / "records.csv"
    _records(rows).write_csv(path)
    with pytest.raises(StudyTableError) as err:
        curation.load_records(path)
    (p,) = err.value.problems
    assert p.row == index + 2 and p.field == field


def test_sample_is_seeded_and_sized():
    pop = [f"s{i:03d}" for i in range(121)]
    a = curation.draw_second_pass_sample(pop, 0.15, seed=7)
    assert a == curation.draw_second_pass_sample(list(reversed(pop)), 0.15, seed=7)
    assert len(a) == 19  # ceil(0.15 * 121)
    assert a != curation.draw_second_pass_sample(pop, 0.15, seed=8)


def test_kappa_matches_sklearn():
    metrics = pytest.importorskip("sklearn.metrics")
    a = ["fe", "fe", "ft", "multi", "fe", "ft", "multi", "multi", "fe", "ft"]
    b = ["fe", "ft", "ft", "multi", "fe", "fe", "multi", "fe", "fe", "ft"]
    assert curation.cohen_kappa(a, b) == pytest.approx(metrics.cohen_kappa_score(a, b), abs=1e-12)
    assert curation.cohen_kappa(a, a) == 1.0


@needs_curation
def test_committed_prisma_is_consistent():
    flow = curation.prisma_flow()
    assert flow["screened"] == flow["identified"] - flow["duplicates_removed"]
    assert flow["included"] == flow["screened"] - flow["excluded"]
    assert sum(flow["excluded_by_reason"].values()) == flow["excluded"]
    assert flow["included"] == load_studies().height


@needs_curation
def test_included_rows_and_records_match():
    records = curation.load_records()
    studies = load_studies()
    inc = records.filter(pl.col("decision") == "include")
    assert sorted(inc["study_id"].to_list()) == sorted(studies["study_id"].to_list())
    # every study is coded from a page screened for it: its include record or a duplicate of it
    rec_of = dict(inc.select("study_id", "record_id").iter_rows())
    for sid, url in studies.select("study_id", "source_url").iter_rows():
        rid = rec_of[sid]
        pages = records.filter((pl.col("record_id") == rid) | (pl.col("duplicate_of") == rid))
        assert url in pages["url"].to_list(), sid
    log = curation.load_search_log()
    assert set(records["query_id"]) <= set(log["query_id"])
    assert studies["year"].max() <= 2020


@needs_second_pass
def test_committed_second_pass():
    meta = curation.second_pass_meta()
    sp = curation.load_second_pass()
    sample = curation.draw_second_pass_sample(meta["population"], meta["fraction"], meta["seed"])
    assert sorted(sp["study_id"].unique().to_list()) == sample
    assert len(sample) >= 0.15 * len(meta["population"])
    # the agree flag is what the two codings say (studies the second coder could not code
    # carry no flag and are left out of the agreement statistics)
    for r in sp.iter_rows(named=True):
        if r["coded"]:
            assert r["agree"] == ((r["first_pass"] or "") == (r["second_pass"] or "")), r
        else:
            assert r["agree"] is None and not r["second_pass"], r
    # the main table carries every resolved value, unless the second curation pass (issue 15)
    # changed it later on recorded evidence (data/curation/pass2_log.csv)
    studies = load_studies()
    later = {}
    if (paths.curation_dir() / "pass2_log.csv").exists():
        log = curation.load_pass2_log()
        later = {(s, f): a for s, f, a in log.select("study_id", "field", "after").iter_rows()}
    for r in sp.iter_rows(named=True):
        row = studies.filter(pl.col("study_id") == r["study_id"]).row(0, named=True)
        val = row[r["field"]]
        want = later.get((r["study_id"], r["field"]), r["resolved"] or "")
        if r["field"] == "backbones":
            assert sorted(val) == sorted(want.split(";") if want else []), r
        elif r["field"] == "value" and want:
            assert val == pytest.approx(float(want)), r
        else:
            assert ("" if val is None else str(val)) == want, r
    k = curation.agreement(sp)
    assert set(k.filter(pl.col("kappa").is_not_null())["field"]) == {
        "tl_approach", "model_category"}  # fmt: skip
