"""The ``tlreview`` CLI: exit codes and formats (SYNTHETIC tables)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from review.cli import main


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_validate_ok_and_bad(valid_table, make_table, rows, capsys):
    code, out, _ = run(["studies", "validate", str(valid_table)], capsys)
    assert code == 0 and "valid (3 studies)" in out
    code, out, _ = run(["studies", "validate", str(valid_table), "--format", "json"], capsys)
    assert json.loads(out)["n_studies"] == 3
    rows[0]["modality"] = "pet"
    rows[1]["year"] = "3000"
    bad = make_table(rows, name="bad.csv")
    code, out, err = run(["studies", "validate", str(bad)], capsys)
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert len(lines) == 2
    assert "row 2, field 'modality'" in lines[0] and "row 3, field 'year'" in lines[1]
    assert "Traceback" not in err


def test_list_formats(valid_table, capsys):
    base = ["studies", "list", "--studies", str(valid_table), "--columns", "study_id,backbones"]
    code, out, _ = run([*base, "--format", "csv"], capsys)
    assert code == 0
    recs = list(csv.DictReader(io.StringIO(out)))
    assert recs[0] == {"study_id": "synthetic_2019_s0", "backbones": "vgg16;resnet50"}
    code, out, _ = run([*base, "--format", "json", "--contains", "backbones=alexnet"], capsys)
    assert json.loads(out) == [{"study_id": "synthetic_2018_s2", "backbones": ["alexnet"]}]
    code, out, _ = run([*base, "--where", "year = 2020"], capsys)
    assert code == 0 and "synthetic_2020_s1" in out and "(1 rows)" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["studies", "list", "--columns", "nope"],
        ["studies", "list", "--contains", "backbones"],
        ["studies", "list", "--where", "year ==== 2"],
        ["studies", "count", "nope"],
        ["studies", "sql", "SELECT * FROM nothing"],
        ["studies", "sql", "SELEC broken"],
    ],
)
def test_bad_input_exits_2_one_line(valid_table, capsys, argv):
    code, _, err = run([*argv, "--studies", str(valid_table)], capsys)
    assert code == 2
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_invalid_table_exits_2(make_table, rows, capsys):
    rows[0]["task"] = "regression"
    bad = make_table(rows)
    code, _, err = run(["studies", "count", "modality", "--studies", str(bad)], capsys)
    assert code == 2 and "field 'task'" in err


def test_count_and_crosstab(valid_table, capsys):
    code, out, _ = run(
        ["studies", "count", "backbones", "--studies", str(valid_table), "--format", "json"], capsys
    )
    assert {r["backbones"]: r["n"] for r in json.loads(out)}["alexnet"] == 1
    code, out, _ = run(
        ["studies", "count", "modality", "task", "--studies", str(valid_table), "--format", "csv"],
        capsys,
    )
    assert out.splitlines()[0] == "modality,binary,multiclass,total"


def test_sql_json(valid_table, capsys):
    code, out, _ = run(
        [
            "studies",
            "sql",
            "SELECT COUNT(*) AS n FROM studies",
            "--studies",
            str(valid_table),
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0 and json.loads(out) == [{"n": 3}]


def test_console_script_help():
    res = subprocess.run(
        [sys.executable, "-m", "review.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "studies" in res.stdout
    res = subprocess.run(
        [sys.executable, "-m", "review.cli", "studies", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for cmd in ("validate", "list", "count", "sql"):
        assert cmd in res.stdout
