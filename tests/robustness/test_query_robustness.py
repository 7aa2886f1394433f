"""Read-only SQL and safe filters (issue 11, SQL part). Tables are the SYNTHETIC test rows."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polars as pl
import pytest

from review import query
from review.cli import main
from review.studies import load_studies


def _shared():
    spec = importlib.util.spec_from_file_location(
        "tlreview_tests_shared_q", Path(__file__).resolve().parents[1] / "conftest.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_conf = _shared()


@pytest.fixture
def table(tmp_path) -> Path:
    return _conf.write_table(tmp_path / "studies.csv", _conf.synthetic_rows(3))


@pytest.fixture
def df(table) -> pl.DataFrame:
    return load_studies(table)


@pytest.fixture
def secret(tmp_path) -> Path:
    f = tmp_path / "secret.csv"
    f.write_text("token\nSECRET-VALUE-42\n")
    return f


REFUSED = [
    ("DROP TABLE studies", "'DROP' is not allowed"),
    ("TRUNCATE studies", "'TRUNCATE' is not allowed"),
    ("DELETE FROM studies", "'DELETE' is not allowed"),
    ("CREATE TABLE x AS SELECT * FROM studies", "'CREATE' is not allowed"),
    ("INSERT INTO studies SELECT * FROM studies", "'INSERT' is not allowed"),
    ("SHOW TABLES", "'SHOW' is not allowed"),
    ("EXPLAIN SELECT * FROM studies", "'EXPLAIN' is not allowed"),
    ("SELECT * INTO copy_of FROM studies", "INTO is not allowed"),
    ("WITH x AS (SELECT 1) DELETE FROM studies", "DELETE is not allowed"),
    ("SELECT 1; DROP TABLE studies", "more than one statement"),
    ("SELECT 1; SELECT 2;", "more than one statement"),
    ("  ", "empty query"),
    ("SELECT * FROM read_csv('{secret}')", "read_csv(...) reads files"),
    ("SELECT * FROM READ_PARQUET('{secret}')", "READ_PARQUET(...) reads files"),
    ("SELECT * FROM read_json ('{secret}')", "read_json(...) reads files"),
    ("SELECT * FROM scan_csv('{secret}')", "scan_csv(...) reads files"),
    ("SELECT * FROM studies WHERE study_id IN (SELECT * FROM read_ipc('{secret}'))", "read_ipc"),
    ("/* hi */ COPY studies TO '/tmp/out.csv'", "'COPY' is not allowed"),
    (
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r",
        "WITH RECURSIVE is not allowed",
    ),
]


@pytest.mark.parametrize(("sql", "expected"), REFUSED)
def test_statements_that_are_not_one_select_are_refused(table, secret, capsys, sql, expected):
    sql = sql.format(secret=secret)
    with pytest.raises(query.QueryError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        query.check_select(sql)
    assert main(["studies", "sql", sql, "--studies", str(table)]) == 2
    cap = capsys.readouterr()
    assert "SECRET-VALUE" not in cap.out + cap.err and len(cap.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT study_id FROM studies",
        "select study_id from studies -- drop table studies",
        "SELECT 'drop; delete' AS note, study_id FROM studies",
        'SELECT study_id AS "drop" FROM studies',
        "WITH b AS (SELECT * FROM study_backbones) SELECT backbone, COUNT(*) AS n FROM b "
        "GROUP BY backbone",
        "(SELECT study_id FROM studies) UNION ALL (SELECT study_id FROM studies)",
        "SELECT s.study_id, b.family FROM studies s JOIN study_backbones sb ON "
        "s.study_id = sb.study_id JOIN backbones b ON b.backbone = sb.backbone",
        "SELECT replace(study_id, '_', '-') AS id FROM studies;",
    ],
)
def test_read_only_selects_still_run(df, sql):
    query.check_select(sql)
    assert query.sql(sql, df).height >= 1


def test_unknown_table_is_a_query_error(df):
    with pytest.raises(query.QueryError, match="SQL error"):
        query.sql("SELECT * FROM '/etc/passwd'", df)


def test_limit_cuts_and_says_so(table, df, capsys):
    sql = "SELECT a.study_id FROM studies a, studies b, studies c"  # 27 rows
    out, cut = query.sql_limited(sql, df, limit=5)
    assert out.height == 5 and cut
    out, cut = query.sql_limited(sql, df, limit=27)
    assert out.height == 27 and not cut
    assert main(["studies", "sql", sql, "--limit", "4", "--format", "csv", "--studies",
                 str(table)]) == 0  # fmt: skip
    cap = capsys.readouterr()
    assert len(cap.out.strip().splitlines()) == 1 + 4 and "more than 4 rows match" in cap.err
    assert query.DEFAULT_LIMIT == 10_000


@pytest.mark.parametrize("bad", ["0", "-3", "ten", "1.5"])
def test_limit_must_be_positive(table, capsys, bad):
    with pytest.raises(SystemExit) as exc:
        main(["studies", "sql", "SELECT 1", "--limit", bad, "--studies", str(table)])
    assert exc.value.code == 2
    assert "expected a whole number >= 1" in capsys.readouterr().err


@pytest.mark.timeout(60)
def test_a_slow_query_is_cancelled_at_the_time_limit(df):
    # SYNTHETIC rows (300) cross-joined three times with string work: about 4 s of CPU here,
    # small enough that the cooperative cancellation does not hold the machine for long
    big = pl.concat([df] * 100)
    sql = ("SELECT COUNT(*) FROM studies a, studies b, studies c "
           "WHERE a.title || b.title || c.title LIKE '%never%'")  # fmt: skip
    with pytest.raises(query.QueryError, match="longer than 0.1 s and was cancelled"):
        query.sql(sql, big, timeout=0.1)


# --- --where is an expression, not text pasted into a query ---------------------------------


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("1=0 UNION ALL SELECT * FROM studies", "--where"),
        ("year > 2000; DROP TABLE studies", "without ';'"),
        ("study_id IN (SELECT study_id FROM studies)", "--where"),
        ("nope = 1", "--where"),
        ("year + 1", "a condition (true/false) is expected"),
        ("year >", "--where"),
    ],
)
def test_where_injection_is_refused(df, table, capsys, where, expected):
    with pytest.raises(query.QueryError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        query.filter_studies(df, where=where)
    assert main(["studies", "list", "--where", where, "--studies", str(table)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_where_still_filters(df):
    out = query.filter_studies(df, where="year >= 2019 AND modality = 'xray'")
    assert out["study_id"].to_list() == ["synthetic_2019_s0"]
    # before the fix this union returned every study twice
    assert query.filter_studies(df, where="year > 1990 OR modality = 'ct'").height == 3


# --- --contains terms are checked against the vocabulary ------------------------------------


def test_unknown_contains_term_is_flagged(df, table, capsys):
    with pytest.raises(query.QueryError, match="'resnet51': unknown term; did you mean resnet50"):
        query.filter_studies(df, contains={"backbones": "resnet51"})
    assert main(["studies", "list", "--contains", "backbones=resnet51", "--studies",
                 str(table)]) == 2  # fmt: skip
    assert "did you mean" in capsys.readouterr().err


def test_known_contains_term_without_matches_is_empty_not_an_error(df):
    assert query.filter_studies(df, contains={"backbones": "densenet121"}).height == 0
