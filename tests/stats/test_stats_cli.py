"""``tlreview meta`` and ``tlreview analyze``: the CLI contract (SYNTHETIC tables and dat.bcg)."""

from __future__ import annotations

import json

import polars as pl
import pytest
from metafor_pins import R_PINS
from stats_fixtures import bcg

from review.cli import main
from review.commands.analysis import META_KEYS
from review.schema import COLUMNS
from review.stats.synthetic import synthetic_studies
from review.studies import load_studies

ITER = {"rel": 1e-4, "abs": 1e-4}
CLOSED = {"rel": 1e-6, "abs": 1e-6}


@pytest.fixture
def bcg_csv(tmp_path):
    path = tmp_path / "bcg.csv"
    bcg().select("trial", "author", "yi", "vi").write_csv(path)
    return path


def _meta(capsys, *args) -> dict:
    assert main(["meta", *map(str, args)]) == 0
    return json.loads(capsys.readouterr().out)


def test_meta_defaults_to_the_same_method_and_test_as_analyze(bcg_csv, capsys):
    from review.stats.analyze import AnalysisConfig

    res = _meta(capsys, bcg_csv, "--yi", "yi", "--vi", "vi")
    assert (res["method"], res["test"]) == (AnalysisConfig().method, AnalysisConfig().test)
    assert res["test"] == "knha"


def test_meta_json_has_exactly_the_contract_keys(bcg_csv, capsys):
    res = _meta(capsys, bcg_csv, "--yi", "yi", "--vi", "vi", "--test", "z")
    assert list(res) == list(META_KEYS)
    assert list(META_KEYS) == [
        "k", "method", "test", "estimate", "se", "ci_low", "ci_high", "p_val", "tau2",
        "tau2_ci_low", "tau2_ci_high", "i2", "i2_ci_low", "i2_ci_high", "h2", "q", "q_p",
        "pi_low", "pi_high", "egger_z", "egger_p", "begg_tau", "begg_p", "trimfill_k0",
        "trimfill_side", "trimfill_estimate", "leave1out_estimate", "notes",
    ]  # fmt: skip
    assert res["notes"] == {}
    assert res["k"] == 13 and res["method"] == "REML" and res["test"] == "z"
    k = "bcg.REML.z"
    for key in (
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "p_val",
        "tau2",
        "tau2_ci_low",
        "tau2_ci_high",
        "i2",
        "i2_ci_low",
        "i2_ci_high",
        "h2",
        "pi_low",
        "pi_high",
    ):
        assert res[key] == pytest.approx(R_PINS[f"{k}.{key}"], **ITER), key
    assert res["q"] == pytest.approx(R_PINS[f"{k}.q"], **CLOSED)
    assert res["egger_z"] == pytest.approx(R_PINS["bcg.REML.regtest.z"], **ITER)
    assert res["egger_p"] == pytest.approx(R_PINS["bcg.REML.regtest.p"], **ITER)
    assert res["begg_tau"] == pytest.approx(R_PINS["bcg.REML.ranktest.tau"], **CLOSED)
    assert res["begg_p"] == pytest.approx(R_PINS["bcg.REML.ranktest.p"], **CLOSED)
    assert res["trimfill_k0"] == R_PINS["bcg.REML.trimfill.k0"] == 1
    assert res["trimfill_side"] == "right"
    assert res["trimfill_estimate"] == pytest.approx(R_PINS["bcg.REML.trimfill.estimate"], **ITER)
    assert res["leave1out_estimate"] == pytest.approx(R_PINS["bcg.REML.leave1out.estimate"],
                                                      **ITER)  # fmt: skip


def test_meta_fe_has_nulls_where_keys_do_not_apply(bcg_csv, capsys):
    res = _meta(capsys, bcg_csv, "--yi", "yi", "--vi", "vi", "--method", "FE")
    for key in ("tau2", "tau2_ci_low", "tau2_ci_high", "i2_ci_low", "i2_ci_high", "pi_low",
                "pi_high"):  # fmt: skip
        assert res[key] is None, key
    assert res["i2"] == pytest.approx(R_PINS["bcg.FE.z.i2"], **CLOSED)
    assert res["estimate"] == pytest.approx(R_PINS["bcg.FE.z.estimate"], **CLOSED)


def test_meta_knha_and_table_format(bcg_csv, capsys):
    res = _meta(capsys, bcg_csv, "--yi", "yi", "--vi", "vi", "--method", "DL", "--test", "knha")
    assert res["se"] == pytest.approx(R_PINS["bcg.DL.knha.se"], **CLOSED)
    assert res["pi_low"] == pytest.approx(R_PINS["bcg.DL.knha.pi_low"], **CLOSED)
    assert main(["meta", str(bcg_csv), "--yi", "yi", "--vi", "vi", "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "trimfill_side" in out and "(28 rows)" in out


def test_meta_warns_on_stderr_below_ten_studies(tmp_path, capsys):
    f = tmp_path / "s.csv"
    f.write_text("yi,vi\n0.12,0.04\n0.58,0.025\n-0.21,0.06\n0.95,0.035\n0.40,0.05\n")
    assert main(["meta", str(f), "--yi", "yi", "--vi", "vi"]) == 0
    cap = capsys.readouterr()
    assert json.loads(cap.out)["k"] == 5
    assert "k = 5 < 10" in cap.err


def test_meta_with_two_studies_nulls_the_small_study_keys(tmp_path, capsys):
    f = tmp_path / "two.csv"
    f.write_text("yi,vi\n0.1,0.02\n0.3,0.03\n")
    res = _meta(capsys, f, "--yi", "yi", "--vi", "vi")
    assert res["k"] == 2
    assert res["egger_z"] is None and res["leave1out_estimate"] is None


@pytest.mark.parametrize(
    ("content", "cols", "expected"),
    [
        ("yi,vi\n0.1,x\n0.2,0.1\n", ("yi", "vi"),
         ["row 2, column 'vi': got 'x'; expected a number"]),
        ("yi,vi\n0.1,0.1\n0.2,-0.5\n0.3,0\n", ("yi", "vi"),
         ["row 3, column 'vi': got '-0.5'; expected a positive",
          "row 4, column 'vi': got '0'; expected a positive"]),
        ("yi,vi\n,0.1\n0.2,0.1\n", ("yi", "vi"), ["row 2, column 'yi': got ''"]),
        ("yi,vi\n", ("yi", "vi"), ["no rows; expected at least 1 row"]),
        ("yi,vi\n0.1,0.1\n", ("yi", "var"), ["row 1: no column 'var'"]),
    ],
)  # fmt: skip
def test_meta_bad_input_exits_2_naming_file_row_and_column(tmp_path, capsys, content, cols,
                                                           expected):  # fmt: skip
    f = tmp_path / "bad.csv"
    f.write_text(content)
    assert main(["meta", str(f), "--yi", cols[0], "--vi", cols[1]]) == 2
    err = capsys.readouterr().err
    for e in expected:
        assert f"error: {f}" in err and e in err, err
    assert "Traceback" not in err


def test_meta_missing_file(tmp_path, capsys):
    assert main(["meta", str(tmp_path / "nope.csv"), "--yi", "a", "--vi", "b"]) == 2
    assert "nope.csv: file not found" in capsys.readouterr().err


def _write_studies(df: pl.DataFrame, path) -> None:
    df.with_columns(pl.col("backbones").list.join(";")).select(COLUMNS).write_csv(path)


def test_analyze_writes_every_table_and_figure(tmp_path, capsys):
    src = tmp_path / "studies.csv"
    _write_studies(synthetic_studies(40, seed=11), src)
    assert load_studies(src).height == 40  # the SYNTHETIC table is valid
    out = tmp_path / "out"
    assert main(["analyze", "--studies", str(src), "--out", str(out)]) == 0
    manifest = pl.read_csv(out / "manifest.csv")
    tables = manifest.filter(pl.col("kind") == "table")
    for name in ("descriptives", "reported_comparison", "reported_gof", "trend_tests",
                 "approach_regression", "association_tests", "meta_pooled", "meta_subgroups",
                 "meta_subgroup_tests", "meta_regression", "small_study_tests",
                 "leave_one_out", "primary_trend_tests", "primary_association_tests",
                 "bounds_shares", "bounds_tests", "unknown_share", "unknown_share_tests",
                 "evidence_mix"):  # fmt: skip
        assert name in tables["name"].to_list()
        assert (out / "tables" / f"{name}.csv").exists()
        assert pl.read_parquet(out / "tables" / f"{name}.parquet").height == \
            pl.read_csv(out / "tables" / f"{name}.csv").height  # fmt: skip
    figs = manifest.filter((pl.col("kind") == "figure") & pl.col("path").is_not_null())
    for name in ("trend_tl_approach", "heatmap_modality_approach", "forest_accuracy",
                 "funnel_accuracy"):  # fmt: skip
        assert name in figs["name"].to_list()
        assert (out / "figures" / f"{name}.png").stat().st_size > 1000
    pooled = pl.read_parquet(out / "tables" / "meta_pooled.parquet")
    assert {"estimate", "se", "ci_low", "ci_high", "p_val", "k", "conf_level"} <= set(
        pooled.columns
    )
    assert json.loads((out / "config.json").read_text())["n_studies"] == 40


def test_analyze_on_an_empty_table(tmp_path, capsys):
    src = tmp_path / "studies.csv"
    _write_studies(synthetic_studies(3).clear(), src)
    out = tmp_path / "out"
    assert main(["analyze", "--studies", str(src), "--out", str(out), "--no-figures"]) == 0
    manifest = pl.read_csv(out / "manifest.csv")
    assert (manifest["kind"] == "table").all()
    assert pl.read_parquet(out / "tables" / "meta_pooled.parquet").height == 0


def test_analyze_invalid_table_exits_2(tmp_path, capsys):
    src = tmp_path / "studies.csv"
    src.write_text("study_id\nx\n")
    assert main(["analyze", "--studies", str(src), "--out", str(tmp_path / "o")]) == 2
    assert "error:" in capsys.readouterr().err
