"""Applying second-pass patches (issue 15) and querying by evidence kind.

Every table and patch here is SYNTHETIC (made in the test; no real study).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl
import pytest

from review import curation
from review.cli import main
from review.studies import StudyTableError, load_studies


def _write(path: Path, header, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def setup(tmp_path, make_table, rows):
    """A SYNTHETIC table (row 0 with an unclear approach), search log and a patch folder."""
    rows[0]["tl_approach"] = "unclear"
    rows[0]["venue"] = ""
    table = make_table(rows)
    log = _write(
        tmp_path / "search_log.csv",
        curation.SEARCH_COLUMNS,
        [["syn-q001", "pages", "synthetic query", "2026-11-26", "3", "1", "syn"]],
    )
    patches = tmp_path / "pass2"
    patches.mkdir()
    _write(
        patches / "a_changes.csv",
        curation.PATCH_CHANGE_COLUMNS,
        [
            ["synthetic_2019_s0", "tl_approach", "unclear", "fine_tuning_from_scratch",
             "full_text", "https://example.org/syn/full", "Synthetic: all layers trained."],
            ["synthetic_2019_s0", "venue", "", "Synthetic Reports", "citation",
             "https://example.org/syn/doi", "Synthetic: DOI prefix names the journal."],
        ],
    )  # fmt: skip
    _write(
        patches / "a_evidence.csv",
        curation.PATCH_EVIDENCE_COLUMNS,
        [
            ["synthetic_2019_s0", "full_text", "abstract", "https://example.org/syn/full"],
            [
                "synthetic_2020_s1",
                "abstract",
                "figure_or_table",
                "https://example.org/syn/fig ; https://example.org/syn/fig2",  # two URLs
            ],
        ],
    )
    _write(
        patches / "b_changes.csv",
        curation.PATCH_CHANGE_COLUMNS,
        [["synthetic_2018_s2", "backbones", "alexnet", "alexnet;vgg16", "authors_code",
          "https://example.org/syn/code", "Synthetic: the repository builds both."]],
    )  # fmt: skip
    _write(
        patches / "b_searches.csv",
        curation.SEARCH_COLUMNS,
        [
            ["p2-b-q001", "code", "synthetic repo", "2026-12-04", "5", "0", "p2-b"],
            ["p2-b-q002", "pages", "synthetic full text", "2026-12-04", "2", "0", "p2-b"],
        ],
    )
    out = tmp_path / "pass2_log.csv"
    return {"table": table, "log": log, "patches": patches, "out": out, "tmp": tmp_path}


def _apply(s, **kw):
    return curation.apply_pass2(s["patches"], s["table"], s["log"], s["out"], **kw)


def test_apply_changes_evidence_searches_and_log(setup):
    s = setup
    summary = _apply(s)
    assert summary.to_dicts() == [
        {"part": "a", "changes": 2, "applied_now": 2, "already_applied": 0, "evidence_rows": 2,
         "evidence_set_now": 2, "searches": 0, "searches_appended": 0},
        {"part": "b", "changes": 1, "applied_now": 1, "already_applied": 0, "evidence_rows": 0,
         "evidence_set_now": 1, "searches": 2, "searches_appended": 2},
    ]  # fmt: skip
    df = load_studies(s["table"])
    r0 = df.row(0, named=True)
    assert r0["tl_approach"] == "fine_tuning_from_scratch" and r0["venue"] == "Synthetic Reports"
    assert (r0["evidence_tl"], r0["evidence_backbones"]) == ("full_text", "abstract")
    r1 = df.row(1, named=True)
    assert (r1["evidence_tl"], r1["evidence_backbones"]) == ("abstract", "figure_or_table")
    r2 = df.row(2, named=True)
    # a backbones change without an evidence row carries its own evidence kind
    assert r2["backbones"] == ["alexnet", "vgg16"] and r2["evidence_backbones"] == "authors_code"
    assert curation.load_search_log(s["log"])["query_id"].to_list() == [
        "syn-q001", "p2-b-q001", "p2-b-q002"]  # fmt: skip
    log = curation.load_pass2_log(s["out"])
    assert log.height == 6  # 3 field changes + 3 evidence kinds
    assert set(log["field"]) == {"tl_approach", "venue", "backbones", "evidence_tl",
                                 "evidence_backbones"}  # fmt: skip
    assert log.filter(log["field"] == "venue")["patch_row"].to_list() == ["3"]


def test_second_run_changes_nothing(setup):
    s = setup
    _apply(s)
    before = {p: p.read_bytes() for p in (s["table"], s["log"], s["out"])}
    summary = _apply(s)
    assert summary["applied_now"].to_list() == [0, 0]
    assert summary["already_applied"].to_list() == [2, 1]
    assert summary["searches_appended"].to_list() == [0, 0]
    assert summary["evidence_set_now"].to_list() == [0, 0]
    assert {p: p.read_bytes() for p in before} == before


def _problems(s) -> list[str]:
    with pytest.raises(StudyTableError) as err:
        _apply(s)
    return [str(p) for p in err.value.problems]


def test_before_must_match_the_table(setup):
    s = setup
    path = s["patches"] / "b_changes.csv"
    path.write_text(path.read_text().replace(",alexnet,alexnet;vgg16", ",vgg19,alexnet;vgg16"))
    original = s["table"].read_bytes()
    (msg,) = _problems(s)
    assert f"{path}, row 2, field 'before': got 'vgg19'" in msg
    assert "current synthetic_2018_s2.backbones 'alexnet'" in msg and "row 4" in msg
    assert s["table"].read_bytes() == original and not s["out"].exists()  # nothing written


def test_conflicting_patches_refused(setup):
    s = setup
    _write(
        s["patches"] / "c_changes.csv",
        curation.PATCH_CHANGE_COLUMNS,
        [["synthetic_2019_s0", "tl_approach", "unclear", "feature_extractor", "full_text",
          "https://example.org/syn/other", "Synthetic: another reading."]],
    )  # fmt: skip
    (msg,) = _problems(s)
    assert "c_changes.csv, row 2, field 'after': got 'feature_extractor'" in msg
    assert "a_changes.csv row 2 sets synthetic_2019_s0.tl_approach" in msg


def test_evidence_row_contradicting_the_change(setup):
    s = setup
    _write(
        s["patches"] / "b_evidence.csv",
        curation.PATCH_EVIDENCE_COLUMNS,
        [["synthetic_2018_s2", "abstract", "full_text", "https://example.org/syn/x"]],
    )
    (msg,) = _problems(s)
    assert "b_evidence.csv, row 2, field 'evidence_backbones': got 'full_text'" in msg
    assert "'authors_code'" in msg


@pytest.mark.parametrize(
    ("row", "field", "text"),
    [
        (["synthetic_2099_zz", "venue", "", "X", "abstract", "https://e.org", ""],
         "study_id", "a study_id of"),
        (["synthetic_2019_s0", "n_images", "5856", "5000", "paper", "https://e.org", ""],
         "evidence", "one of: abstract, full_text"),
        (["synthetic_2019_s0", "study_id", "synthetic_2019_s0", "x_2019_y", "abstract",
          "https://e.org", ""], "field", "other than study_id"),
        (["synthetic_2019_s0", "n_images", "5856", "5000", "abstract", "doi:10.1/x", ""],
         "url", "the URL"),
        # the patched table must validate: the patch row is named, not the table's
        (["synthetic_2020_s1", "model_category", "deep", "shallow", "abstract", "https://e.org",
          ""], "model_category", "inception_v3 is not shallow"),
    ],
)  # fmt: skip
def test_bad_patch_rows_named(setup, row, field, text):
    s = setup
    path = _write(s["patches"] / "c_changes.csv", curation.PATCH_CHANGE_COLUMNS, [row])
    msgs = _problems(s)
    assert len(msgs) == 1, msgs
    assert msgs[0].startswith(f"{path}, row 2, field '{field}'") and text in msgs[0], msgs[0]


def test_search_id_reused_with_other_content(setup):
    s = setup
    _write(
        s["patches"] / "c_searches.csv",
        curation.SEARCH_COLUMNS,
        [["syn-q001", "pages", "a different query", "2026-12-04", "1", "0", "p2-c"]],
    )
    (msg,) = _problems(s)
    assert "c_searches.csv, row 2, field 'query_id': got 'syn-q001'" in msg


def test_changed_source_url_must_have_been_screened(setup):
    s = setup
    recs = _write(
        s["tmp"] / "records.csv",
        curation.RECORD_COLUMNS,
        [["r1", "syn-q001", "https://example.org/synthetic/1", "T", "2019", "include", "", "",
          "synthetic_2019_s0", "syn", ""]],
    )  # fmt: skip
    _write(
        s["patches"] / "c_changes.csv",
        curation.PATCH_CHANGE_COLUMNS,
        [["synthetic_2019_s0", "source_url", "https://example.org/synthetic/1",
          "https://example.org/unscreened", "abstract", "https://example.org/unscreened", ""]],
    )  # fmt: skip
    with pytest.raises(StudyTableError) as err:
        _apply(s, records_path=recs)
    (p,) = err.value.problems
    assert p.field == "after" and "a URL screened for synthetic_2019_s0" in p.expected


def test_check_only_writes_nothing(setup):
    s = setup
    original = s["table"].read_bytes()
    summary = _apply(s, write=False)
    assert summary["applied_now"].sum() == 3
    assert s["table"].read_bytes() == original and not s["out"].exists()


def test_cli_apply_and_bad_patch_exit_2(setup, capsys):
    s = setup
    argv = ["studies", "apply-pass2", "--patches", str(s["patches"]), "--studies",
            str(s["table"]), "--search-log", str(s["log"]), "--log", str(s["out"])]  # fmt: skip
    assert main([*argv, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["applied_now"] for r in out] == [2, 1]
    _write(s["patches"] / "c_evidence.csv", curation.PATCH_EVIDENCE_COLUMNS,
           [["synthetic_2018_s2", "abstract", "hearsay", "https://e.org"]])  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "c_evidence.csv, row 2, field 'evidence_backbones'" in lines[0]
    assert "Traceback" not in err


def test_count_where_evidence(setup, capsys):
    s = setup
    _apply(s)
    argv = ["studies", "count", "tl_approach", "--studies", str(s["table"]), "--format", "csv"]
    assert main([*argv, "--where", "evidence_tl = 'full_text'"]) == 0
    recs = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["tl_approach"], r["n"]) for r in recs] == [("fine_tuning_from_scratch", "1")]
    assert main([*argv, "--where", "evidence_tl = 'abstract'"]) == 0
    recs = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert sorted(r["tl_approach"] for r in recs) == ["feature_extractor_hybrid",
                                                      "fine_tuning_from_scratch"]  # fmt: skip
    assert main([*argv, "--where", "evidence_tl = "]) == 2  # bad SQL: exit 2


def test_count_where_on_committed_table(capsys):
    """The issue's example command runs on the committed table."""
    assert main(["studies", "count", "tl_approach", "--where", "evidence_tl = 'full_text'",
                 "--format", "json"]) == 0  # fmt: skip
    got = json.loads(capsys.readouterr().out)
    df = load_studies()
    n_full = df.filter(df["evidence_tl"] == "full_text").height
    assert sum(r["n"] for r in got) == n_full


# --- blind third-coder check (SYNTHETIC codes) -------------------------------------------------


def _third(tmp_path: Path, rows) -> Path:
    return _write(tmp_path / "third_pass.csv", curation.THIRD_PASS_COLUMNS, rows)


def test_third_pass_sample_is_seeded_and_sized():
    pop = [f"s{i:03d}" for i in range(143)]
    a = curation.draw_third_pass_sample(pop, 24, seed=3)
    assert len(a) == 24 == len(set(a)) and a == sorted(a)
    assert a == curation.draw_third_pass_sample(list(reversed(pop)), 24, seed=3)
    assert a != curation.draw_third_pass_sample(pop, 24, seed=4)
    with pytest.raises(ValueError):
        curation.draw_third_pass_sample(pop, 200, seed=3)


def test_third_pass_bad_code_named(tmp_path):
    path = _third(tmp_path, [
        ["synthetic_2019_s0", "true", "https://e.org", "2019", "x-ray", "vgg16", "multiple",
         "feature_extractor", "abstract", ""],
    ])  # fmt: skip
    with pytest.raises(StudyTableError) as err:
        curation.load_third_pass(path)
    (p,) = err.value.problems
    assert (p.row, p.field, p.value) == (2, "modality", "x-ray")


def test_third_pass_agreement_and_kappa(tmp_path, valid_table):
    studies = load_studies(valid_table)  # SYNTHETIC: s0 vgg16;resnet50 multiple feature_extractor
    path = _third(tmp_path, [
        # agrees on everything (backbones in another order)
        ["synthetic_2019_s0", "true", "https://e.org/0", "2019", "xray", "resnet50;vgg16",
         "multiple", "feature_extractor", "full_text", ""],
        # disagrees on approach and year
        ["synthetic_2020_s1", "true", "https://e.org/1", "2019", "ct", "inception_v3", "deep",
         "fine_tuning", "abstract", ""],
        # could not be retrieved: left out
        ["synthetic_2018_s2", "false", "", "", "", "", "", "", "", "source not found"],
    ])  # fmt: skip
    third = curation.load_third_pass(path)
    cmp_ = curation.third_pass_comparison(third, studies)
    assert cmp_.height == 2 * len(curation.THIRD_PASS_FIELDS)
    ag = {r["field"]: r for r in curation.third_pass_agreement(cmp_).iter_rows(named=True)}
    assert ag["backbones"]["n_agree"] == 2 and ag["year"]["n_agree"] == 1
    assert ag["tl_approach"]["agreement"] == 0.5
    assert ag["all fields"]["n"] == 10 and ag["all fields"]["n_agree"] == 8
    metrics = pytest.importorskip("sklearn.metrics")
    t = cmp_.filter(pl.col("field") == "tl_approach")
    ref = metrics.cohen_kappa_score(t["table"].to_list(), t["third_pass"].to_list())
    assert ag["tl_approach"]["kappa"] == pytest.approx(ref, abs=1e-12)
    assert ag["year"]["kappa"] is None


def test_pass2_summary_counts_resolved_unknowns(setup):
    s = setup
    _apply(s)
    sm = curation.pass2_summary(curation.load_pass2_log(s["out"]))
    tl = sm.filter(pl.col("field") == "tl_approach").row(0, named=True)
    assert (tl["evidence"], tl["n_changes"], tl["n_unknown_resolved"]) == ("full_text", 1, 1)
    assert sm.filter(pl.col("field") == "venue")["n_unknown_resolved"].to_list() == [0]
    assert sm["n_changes"].sum() == curation.load_pass2_log(s["out"]).height


def test_start_third_pass_records_and_hides_the_coded_fields(tmp_path, valid_table):
    studies = load_studies(valid_table)  # SYNTHETIC
    meta = tmp_path / "third_pass_meta.json"
    ws = curation.start_third_pass(2, 7, studies, meta, drawn_at="2026-12-04T20:40:00Z")
    assert ws.columns == list(curation.WORKSHEET_COLUMNS)
    assert not set(curation.THIRD_PASS_FIELDS) & set(ws.columns)
    rec = json.loads(meta.read_text())
    assert rec["seed"] == 7 and rec["sample"] == sorted(ws["study_id"].to_list())
    assert rec["sample"] == curation.draw_third_pass_sample(rec["population"], 2, 7)
    # the same draw again is fine; a different one is refused, the record is kept
    assert curation.start_third_pass(2, 7, studies, meta).equals(ws)
    with pytest.raises(FileExistsError):
        curation.start_third_pass(2, 8, studies, meta)
    assert json.loads(meta.read_text()) == rec


def test_line_ends_of_each_file_kept(setup):
    s = setup
    s["log"].write_bytes(s["log"].read_bytes().replace(b"\r\n", b"\n"))  # LF, as polars writes
    table_crlf = b"\r\n" in s["table"].read_bytes()
    _apply(s)
    assert b"\r\n" not in s["log"].read_bytes()
    assert (b"\r\n" in s["table"].read_bytes()) == table_crlf


# --- the committed second pass and third-coder check ----------------------------------------


@pytest.mark.skipif(
    not (curation.paths.curation_dir() / "pass2").is_dir(), reason="no pass-2 patches committed"
)
def test_committed_pass2_is_applied_and_idempotent():
    summary = curation.apply_pass2(write=False)  # checks every patch row against the table
    assert summary["applied_now"].sum() == 0 and summary["evidence_set_now"].sum() == 0
    assert summary["searches_appended"].sum() == 0
    log = curation.load_pass2_log()
    assert (
        log.height
        == summary["already_applied"].sum()
        + log.filter(pl.col("field").str.starts_with("evidence_")).height
    )


@pytest.mark.skipif(
    not (curation.paths.curation_dir() / "third_pass.csv").exists(), reason="no third pass yet"
)
def test_committed_third_pass():
    meta = curation.third_pass_meta()
    third = curation.load_third_pass()
    assert meta["sample"] == curation.draw_third_pass_sample(
        meta["population"], meta["n"], meta["seed"]
    )
    assert sorted(third["study_id"].to_list()) == meta["sample"]
    assert meta["population"] == sorted(load_studies()["study_id"].to_list())
    assert int(third["coded"].sum()) >= 20
    ag = curation.third_pass_agreement()
    assert set(ag.filter(pl.col("kappa").is_not_null())["field"]) == {
        "tl_approach", "model_category"}  # fmt: skip
