"""``tlreview reproduce verdicts``: writes verdicts.csv and effects.csv; bad input exits 2.

The results tables written here are SYNTHETIC (invented numbers)."""

from __future__ import annotations

import numpy as np
import polars as pl

from review.cli import main


def _synthetic_v2_results(path):
    """SYNTHETIC guideline_v2 rows: 4 data sets x 3 seeds, EfficientNet-Lite0 transfer vs
    scratch, transfer ahead by about 0.05 AUC (category given so no registry is needed)."""
    rng = np.random.default_rng(1)
    rows = []
    for ds in ("brain_mri", "busi", "pneumoniamnist", "retinamnist", "breastmnist"):
        for s in range(3):
            common = {
                "dataset": ds,
                "resolution": 128,
                "arch": "efficientnet_lite0",
                "category": "deep",
                "train_fraction": 1.0,
                "seed": s,
                "status": "ok",
            }
            rows.append(
                common
                | {
                    "approach": "scratch",
                    "source": "random",
                    "auc_macro_ovr": 0.8 + rng.normal(0, 0.01),
                }
            )
            rows.append(common | {"approach": "fine_tuning_from_scratch", "source": "imagenet",
                                  "auc_macro_ovr": 0.85 + rng.normal(0, 0.01)})  # fmt: skip
    pl.DataFrame(rows).write_parquet(path)


def test_verdicts_v2_writes_both_tables(tmp_path, capsys):
    res = tmp_path / "results.parquet"
    _synthetic_v2_results(res)
    out = tmp_path / "out"
    assert main(["reproduce", "verdicts", "guideline", "--claims", "v2", "--results", str(res),
                 "--out", str(out), "--format", "csv"]) == 0  # fmt: skip
    v = pl.read_csv(out / "verdicts.csv")
    e = pl.read_csv(out / "effects.csv")
    g4 = v.filter(pl.col("claim_id") == "G4v2_transfer_beats_scratch").row(0, named=True)
    assert g4["verdict"] == "supported" and g4["k_datasets"] == 4
    assert "breastmnist" in g4["datasets_left_out"]
    assert set(e.filter(pl.col("claim_id") == "G4v2_transfer_beats_scratch")["dataset"]) == {
        "brain_mri", "busi", "pneumoniamnist", "retinamnist"}  # fmt: skip
    assert v.filter(pl.col("claim_id") == "G1v2_deep_fe_noninferior")["verdict"][0] == "not_run"
    assert "G4v2_transfer_beats_scratch" in capsys.readouterr().out


def test_verdicts_v1_does_not_overwrite_the_pilot(tmp_path, monkeypatch):
    from review import paths

    folder = tmp_path / "results" / "guideline"
    folder.mkdir(parents=True)
    _synthetic_v2_results(folder / "results.parquet")
    (folder / "verdicts.csv").write_text("the committed pilot\n")
    monkeypatch.setattr(paths, "results_dir", lambda: tmp_path / "results")
    assert main(["reproduce", "verdicts", "guideline"]) == 0
    assert (folder / "verdicts.csv").read_text() == "the committed pilot\n"
    v = pl.read_csv(folder / "recomputed" / "verdicts.csv")
    assert v["claim_id"][0] == "G1_deep_fe_noninferior"
    assert (folder / "recomputed" / "effects.csv").is_file()


def test_bad_input_exits_2(tmp_path, capsys):
    assert main(["reproduce", "verdicts", "guideline_v2", "--results",
                 str(tmp_path / "nope.parquet")]) == 2  # fmt: skip
    assert "nope.parquet: results file not found" in capsys.readouterr().err
    assert main(["reproduce", "verdicts", "nosuch", "--claims", "v2"]) == 2
    assert "suite 'nosuch': no v2 claim decides it" in capsys.readouterr().err
    bad = tmp_path / "results.csv"
    pl.DataFrame({"dataset": ["busi"], "approach": ["scratch"], "auc_macro_ovr": [0.8],
                  "source": ["random"]}).vstack(pl.DataFrame(
        {"dataset": ["busi"], "approach": ["fine_tuning_from_scratch"], "auc_macro_ovr": [0.9],
         "source": ["imagenet"]})).write_csv(bad)  # fmt: skip
    assert main(["reproduce", "verdicts", "guideline_v2", "--results", str(bad),
                 "--out", str(tmp_path / "o")]) == 2  # fmt: skip
    assert "field 'pair_on'" in capsys.readouterr().err
