"""``tlreview reproduce``: exit codes, one-line errors, run/status/collect on a SYNTHETIC suite."""

from __future__ import annotations

import json

import polars as pl
import pytest

from review.cli import main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["reproduce", "run", "no_such_suite"], "unknown suite 'no_such_suite'"),
        (["reproduce", "run", "guideline", "--shard", "4/4"], "--shard '4/4'"),
        (["reproduce", "run", "guideline", "--shard", "x"], "--shard 'x'"),
        (["reproduce", "run", "guideline", "--profile", "nope"], "no profile 'nope'"),
        (["reproduce", "status", "guideline", "--set", "bogus=1"], "unknown field 'bogus'"),
        (["reproduce", "collect", "no_such_suite"], "unknown suite"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0]


def test_run_status_collect_on_synthetic_suite(tiny_suite, tmp_path, capsys):
    args = ["reproduce", "run", str(tiny_suite), "--device", "cpu", "--quiet", "--set", "epochs=1"]
    assert main([*args, "--dry-run", "--format", "json"]) == 0
    planned = json.loads(capsys.readouterr().out)
    assert len(planned) == 6 and {r["state"] for r in planned} == {"pending"}
    assert main([*args, "--shard", "0/2"]) == 0
    assert (
        main(["reproduce", "status", str(tiny_suite), "--set", "epochs=1", "--format", "json"]) == 0
    )
    capsys.readouterr()
    assert main(args) == 0  # the rest; shard 0's runs are skipped
    err = capsys.readouterr().err
    assert "already complete" in err
    assert (
        main(["reproduce", "status", str(tiny_suite), "--set", "epochs=1", "--format", "json"]) == 0
    )
    states = {r["state"] for r in json.loads(capsys.readouterr().out)}
    assert states == {"ok"}
    out = tmp_path / "res"
    assert (
        main(
            [
                "reproduce",
                "collect",
                str(tiny_suite),
                "--profile",
                "smoke",
                "--set",
                "epochs=1",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    df = pl.read_parquet(out / "results.parquet")
    assert df.height == 6 and set(df["status"]) == {"ok"}


def test_datasets_command_lists_the_registry(capsys):
    assert main(["reproduce", "datasets", "--format", "json"]) == 0
    names = {r["name"] for r in json.loads(capsys.readouterr().out)}
    assert {"breastmnist", "pneumoniamnist", "retinamnist", "busi", "brain_mri"} <= names
