"""Strict study-table validation (issue 11, study-table part). All tables are SYNTHETIC.

The rows come from ``tests/conftest.py`` (``synthetic_rows``) or from hypothesis strategies;
every bad value is generated here.
"""

from __future__ import annotations

import csv
import os
import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import review.studies as studies_mod
from review.cli import main
from review.schema import COLUMNS, FIELD_BY_NAME, YEAR_MAX, YEAR_MIN, vocabulary
from review.studies import StudyTableError, _check_value, load_studies, validate_studies


def _shared_helpers():
    """``synthetic_rows`` and ``write_table`` of tests/conftest.py (loaded by path: the name
    ``conftest`` is ambiguous on sys.path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "tlreview_tests_shared", Path(__file__).resolve().parents[1] / "conftest.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.synthetic_rows, mod.write_table


synthetic_rows, write_table = _shared_helpers()

# (field, bad value, text expected in the message); row index 0 = spreadsheet row 2
BAD_VALUES = [
    ("year", "\uff12\uff10\uff12\uff10", "ASCII digits"),  # full-width 2020
    ("year", "+2020", "no '+'"),
    ("year", "\u0662\u0660\u0661\u0669", "ASCII digits"),  # Arabic-Indic 2019
    ("n_images", "\u0665\u0668\u0665\u0666", "ASCII digits"),
    ("n_images", "+5856", "no '+'"),
    ("n_images", str(10**20), "64-bit"),
    ("n_images", str(2**63), "64-bit"),
    ("n_test", "\U0001d7fc\U0001d7fd", "ASCII digits"),  # mathematical digits
    ("value", "+0.5", "no '+'"),
    ("value", "0.\u0665", "ASCII digits"),
    ("study_id", "synthetic_\u0662\u0660\u0661\u0669_alpha", "matching"),
    ("pmid", "\uff11\uff12\uff13", "matching"),
    ("doi", "10.\u0661\u0662\u0663\u0664/x", "matching"),
    ("title", "A title with a NUL\x00 byte", "control characters"),
    ("title", "Escape \x1b[31m red", "control characters"),
    ("first_author", "Tab\tname", "control characters"),
    ("venue", "C1 control \x85 here", "control characters"),
    ("evidence", "Bell \x07", "control characters"),
    ("dataset_name", "Delete \x7f", "control characters"),
    ("modality", "xray\n", "without"),
]


@pytest.mark.parametrize(("field", "bad", "text"), BAD_VALUES)
def test_bad_values_are_named(make_table, rows, field, bad, text):
    rows[0][field] = bad
    path = make_table(rows)
    problems = validate_studies(path)
    hits = [p for p in problems if p.row == 2 and p.field == field]
    assert hits and text in str(hits[0]), [str(p) for p in problems]
    assert all(p.row == 2 for p in problems)
    with pytest.raises(StudyTableError):
        load_studies(path)


@pytest.mark.parametrize("n", ["9223372036854775807", "1"])
def test_int64_bounds_accepted(make_table, rows, n):
    rows[0]["n_images"] = n
    assert load_studies(make_table(rows))["n_images"][0] == int(n)


def test_huge_count_is_exit_2_not_a_traceback(make_table, rows, capsys):
    # before the fix: passed validation, then TypeError in loading, `studies list`, `analyze`
    rows[0]["n_images"] = str(10**20)
    path = make_table(rows)
    for argv in (["studies", "list", "--studies", str(path)], ["studies", "validate", str(path)]):
        assert main(argv) == 2
        assert "64-bit" in capsys.readouterr().err


def test_a_newline_inside_a_quoted_title_is_kept(make_table, rows):
    rows[0]["title"] = "Two\nlines, and a comma"
    assert load_studies(make_table(rows))["title"][0] == "Two\nlines, and a comma"


# --- files that are not files -----------------------------------------------------------------


def test_directory_is_one_problem(tmp_path, capsys):
    (p,) = validate_studies(tmp_path)
    assert "not a directory" in str(p)
    assert main(["studies", "validate", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "not a directory" in err[0] and "1 problem" in err[1]
    assert main(["studies", "list", "--studies", str(tmp_path)]) == 2


@pytest.mark.timeout(30)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a POSIX FIFO")
def test_fifo_does_not_hang(tmp_path, capsys):
    fifo = tmp_path / "studies.csv"
    os.mkfifo(fifo)
    (p,) = validate_studies(fifo)
    assert "not a pipe" in str(p)
    assert main(["studies", "validate", str(fifo)]) == 2


# --- row numbers as a spreadsheet shows them ------------------------------------------------


def _lines_with(path: Path, transform) -> Path:
    text = path.read_text(encoding="utf-8")
    path.write_text(transform(text), encoding="utf-8", newline="")
    return path


def test_row_numbers_after_a_quoted_newline(make_table, rows):
    rows[0]["title"] = "First line\nsecond line"
    rows[1]["year"] = "20x9"
    problems = validate_studies(make_table(rows))
    assert [(p.row, p.field) for p in problems] == [(3, "year")]


def test_row_numbers_after_a_blank_line(make_table, rows):
    rows[1]["year"] = "20x9"
    path = make_table(rows)
    # a blank line after the first data row: a spreadsheet shows it as (empty) row 3
    _lines_with(path, lambda t: t.replace("\r\n", "\n", 1).replace("\n", "\n\n", 2)
                .replace("\n\n", "\n", 1))  # fmt: skip
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[2] == ""
    problems = validate_studies(path)
    assert [(p.row, p.field) for p in problems] == [(4, "year")]


def test_decoding_errors_use_the_same_row_numbers(make_table, rows):
    rows[0]["title"] = "First line\nsecond line"
    rows[1]["title"] = "Caf\u00e9"
    path = make_table(rows)
    path.write_bytes(path.read_bytes().replace("Caf\u00e9".encode(), b"Caf\xe9"))
    (p,) = validate_studies(path)
    assert p.row == 3 and "UTF-8" in str(p)  # physical line 4, spreadsheet row 3


# --- speed: what makes 100,000 rows fast ------------------------------------------------------


def test_backbones_catalogue_read_once_per_table(make_table, monkeypatch):
    calls = []
    real = studies_mod.load_backbones
    monkeypatch.setattr(studies_mod, "load_backbones", lambda *a: calls.append(1) or real(*a))
    validate_studies(make_table(synthetic_rows(60)))
    assert len(calls) == 1


def test_cli_validates_once(make_table, monkeypatch, capsys):
    calls = []
    real = studies_mod._validate
    monkeypatch.setattr(studies_mod, "_validate", lambda p: calls.append(p) or real(p))
    assert main(["studies", "validate", str(make_table())]) == 0
    assert len(calls) == 1 and "valid (3 studies)" in capsys.readouterr().out


def test_fast_and_slow_paths_agree(make_table, rows):
    # the polars screen is used without blank lines; a blank line forces the Python path
    for r in rows:
        r["year"] = "+2019"
    fast = validate_studies(make_table(rows))
    path = _lines_with(make_table(rows, name="blank.csv"), lambda t: t + "\n")
    slow = validate_studies(path)
    strip = [(p.row, p.field, p.value, p.expected) for p in fast]
    assert strip == [(p.row, p.field, p.value, p.expected) for p in slow] and len(strip) == 3


# --- property-based: random valid rows pass; one mutated field is caught or stays valid ---

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs")),
    min_size=1,
    max_size=20,
)


@st.composite
def valid_rows(draw) -> dict[str, str]:
    """A random valid SYNTHETIC row (free text, numbers and vocabulary terms drawn)."""
    row = dict(synthetic_rows(1)[0])
    year = draw(st.integers(YEAR_MIN, YEAR_MAX))
    word = draw(st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=8))
    row.update(
        study_id=f"synthetic_{year}_{word}",
        year=str(year),
        title=draw(_text),
        first_author=draw(_text),
        evidence=draw(_text),
        n_images=str(draw(st.integers(1, 2**63 - 1))),
        n_test=str(draw(st.integers(1, 10**9))),
        value=repr(draw(st.floats(0.0, 1.0))),
        modality=draw(st.sampled_from(vocabulary("modality"))),
        anatomical_region=draw(st.sampled_from(vocabulary("anatomical_region"))),
        tl_approach=draw(st.sampled_from(vocabulary("tl_approach"))),
        confidence=draw(st.sampled_from(vocabulary("confidence"))),
    )
    return row


def _write(rows: list[dict[str, str]]) -> tuple[tempfile.TemporaryDirectory, Path]:
    tmp = tempfile.TemporaryDirectory()
    return tmp, write_table(Path(tmp.name) / "studies.csv", rows)


CROSS_FIELDS = {"value", "metric", "n_classes", "expert_comparison", "model_category",
                "best_backbone"}  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row=valid_rows())
def test_property_random_valid_row_passes(row):
    tmp, path = _write([row])
    with tmp:
        assert validate_studies(path) == []
        assert load_studies(path).height == 1


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    row=valid_rows(),
    field=st.sampled_from(COLUMNS),
    value=st.one_of(
        st.text(max_size=12),
        st.integers(-(2**70), 2**70).map(str),
        st.floats(allow_nan=True).map(repr),
        st.sampled_from(["+1", "２０２０", "٥", "1_0", " 5", "\x00", "a;b", "2019\n", "-0"]),
    ),
)
def test_property_single_mutation_is_caught_or_valid(row, field, value):
    row[field] = value
    tmp, path = _write([row])
    with tmp:
        problems = validate_studies(path)  # never raises
        assert all(p.row in (1, 2, None) for p in problems)
        f = FIELD_BY_NAME[field]
        mine = [p for p in problems if p.field == field]
        with open(path, newline="", encoding="utf-8") as fh:
            read = next(iter(csv.DictReader(fh)))[field]  # the value as the file holds it
        wrong = (f.required and read == "") or (read != "" and _check_value(f, read) is not None)
        if wrong:
            assert mine, (field, value)
        elif field not in CROSS_FIELDS and field not in ("study_id", "doi"):
            assert not mine, [str(p) for p in mine]
        if not problems:
            load_studies(path)  # a valid table always loads
