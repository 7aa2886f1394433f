"""The report's downloads are written from the committed files, never invented."""

from __future__ import annotations

import polars as pl

from review.downloads import DOWNLOADS, available, download_links, export_downloads
from review.studies import load_studies


def test_export_downloads(tmp_path):
    done = export_downloads(tmp_path)
    names = {d.name for d in done}
    assert names == {d.name for d in available()}
    assert {"studies.csv", "studies.parquet", "data_dictionary.csv"} <= names
    folder = tmp_path / "downloads"
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert pl.read_parquet(folder / "studies.parquet").height == load_studies().height
    dd = pl.read_csv(folder / "data_dictionary.csv")
    assert {"field", "type", "required", "description", "allowed"} <= set(dd.columns)
    assert set(dd["required"].unique()) <= {"yes", "no"}


def test_missing_sources_are_skipped(tmp_path, monkeypatch):
    from review import downloads

    monkeypatch.setattr(downloads.paths, "ROOT", tmp_path)  # an empty checkout: no sources
    assert downloads.available() == []
    assert "none available" in download_links(intro="Downloads:").html
    assert all(d.source for d in DOWNLOADS)


def test_v2_results_are_offered_when_present(tmp_path, monkeypatch):
    """SYNTHETIC: a checkout holding only one v2 verdicts file offers exactly that download."""
    from review import downloads

    folder = tmp_path / "results" / "guideline_v2"
    folder.mkdir(parents=True)
    (folder / "verdicts.csv").write_text("claim_id,verdict\nG1,supported\n")  # synthetic
    monkeypatch.setattr(downloads.paths, "ROOT", tmp_path)
    assert [d.name for d in downloads.available()] == ["guideline_v2_verdicts.csv"]
    assert [d.name for d in downloads.available(["fragility suite v2"])] == []
    done = downloads.export_downloads(tmp_path / "html")
    assert [d.name for d in done] == ["guideline_v2_verdicts.csv"]
    copied = tmp_path / "html" / "downloads" / "guideline_v2_verdicts.csv"
    assert copied.read_text() == "claim_id,verdict\nG1,supported\n"


def test_uap_verdicts_download_is_the_regenerated_file(tmp_path):
    """The fragility verdicts are copied from results/uap/recomputed/, not decided here."""

    (uap,) = [d for d in DOWNLOADS if d.name == "uap_verdicts.csv"]
    assert uap.source == "results/uap/recomputed/verdicts.csv" and uap.make is None
    if uap.present():
        uap.write(tmp_path / "v.csv")
        got = pl.read_csv(tmp_path / "v.csv")
        assert got["claim_id"].to_list()[:1] == ["U1_natural_uap_beats_noise"]
        assert set(got["verdict"]) <= {"supported", "contradicted", "inconclusive",
                                        "insufficient_data", "not_run"}  # fmt: skip
