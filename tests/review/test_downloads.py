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
