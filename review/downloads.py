"""The report's downloads: the study table, its data dictionary, results and verdicts.

:func:`export_downloads` writes every file of :data:`DOWNLOADS` that its inputs allow into a
folder; the book's Sphinx extension (:mod:`review.sphinxext`) does so at every build and copies
the folder into the HTML as ``downloads/`` (Sphinx ``html_extra_path``), and the pages link the
files with :func:`download_links`. Missing inputs (e.g. results not yet committed) are skipped,
never faked.

Every result download is a copy of a committed file: verdicts are decided by
``tlreview reproduce verdicts`` or ``make regenerate`` (``results/*/recomputed/``), never here,
so this base-layer module imports nothing from ``reproduce``.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from review import paths
from review.schema import data_dictionary
from review.studies import load_studies

#: Folder of the downloads inside the built HTML (links are relative to the pages).
URL_DIR = "downloads"


@dataclass(frozen=True)
class Download:
    """One downloadable file of ``downloads/``.

    Attributes
    ----------
    name
        File name in ``downloads/``.
    description
        What it is, in a few words.
    group
        Which part of the report it belongs to (pages list the downloads of their groups).
    source
        The repository file it is made from (relative to the checkout); the download exists
        only when this file does.
    make
        Writes the download to the given path from ``source``; ``None``: a plain copy.
    """

    name: str
    description: str
    group: str
    source: str
    make: Callable[[Path], None] | None = None

    def present(self) -> bool:
        """Whether the source exists (so the build holds this download)."""
        return (paths.ROOT / self.source).is_file()

    def write(self, dest: Path) -> None:
        """Write the download to ``dest``."""
        if self.make is None:
            shutil.copyfile(paths.ROOT / self.source, dest)
        else:
            self.make(dest)


def _studies_parquet(dest: Path) -> None:
    load_studies().write_parquet(dest)


def _dictionary_csv(dest: Path) -> None:
    data_dictionary().with_columns(
        pl.col("required").replace_strict({True: "yes", False: "no"}, return_dtype=pl.String)
    ).write_csv(dest)


_G, _U = "results/guideline", "results/uap"


def _suite_v2(suite: str, group: str, what: str) -> tuple[Download, ...]:
    """The files a v2 suite commits under ``results/<suite>/`` (each only when present)."""
    r = f"results/{suite}"
    return (
        Download(f"{suite}_verdicts.csv", f"verdicts of the v2 {what} claims (data sets pooled)",
                 group, f"{r}/verdicts.csv"),
        Download(f"{suite}_effects.csv", "per-data-set and pooled effects behind each verdict",
                 group, f"{r}/effects.csv"),
        Download(f"{suite}_summary.csv", "mean and 95 % CI over seeds per configuration", group,
                 f"{r}/summary.csv"),
        Download(f"{suite}_results.csv", "one row per run (CSV)", group, f"{r}/results.csv"),
        Download(f"{suite}_results.parquet", "the same rows, typed (Parquet)", group,
                 f"{r}/results.parquet"),
    )  # fmt: skip


#: Every download, in the order the pages list them.
DOWNLOADS: tuple[Download, ...] = (
    Download("studies.csv", "the study table, one row per included study (CSV)", "study table",
             "data/studies.csv"),
    Download("studies.parquet", "the same table, typed (Parquet; list columns as lists)",
             "study table", "data/studies.csv", _studies_parquet),
    Download("data_dictionary.csv", "every column: type, required, description, allowed values",
             "study table", "review/schema.py", _dictionary_csv),
    Download("guideline_verdicts.csv", "verdicts of the pilot's guideline claims G1-G6, as "
             "committed with its runs", "guideline suite", f"{_G}/verdicts.csv"),
    Download("guideline_verdicts_recomputed.csv", "the same claims decided by the current rules "
             "(make regenerate)", "guideline suite", f"{_G}/recomputed/verdicts.csv"),
    Download("guideline_effects_recomputed.csv", "per-data-set effects behind those verdicts",
             "guideline suite", f"{_G}/recomputed/effects.csv"),
    Download("guideline_results.csv", "one row per run of the guideline suite (CSV)",
             "guideline suite", f"{_G}/results.csv"),
    Download("guideline_results.parquet", "the same rows, typed (Parquet)", "guideline suite",
             f"{_G}/results.parquet"),
    *_suite_v2("guideline_v2", "guideline suite v2", "guideline"),
    Download("uap_verdicts.csv", "verdicts of the fragility claims U1-U3 (make regenerate)",
             "fragility suite", f"{_U}/recomputed/verdicts.csv"),
    Download("uap_summary.csv", "mean and 95 % CI over seeds per attack configuration",
             "fragility suite", f"{_U}/summary.csv"),
    Download("uap_results.csv", "one row per attack (CSV)", "fragility suite",
             f"{_U}/results.csv"),
    Download("uap_results.parquet", "the same rows, typed (Parquet)", "fragility suite",
             f"{_U}/results.parquet"),
    *_suite_v2("uap_v2", "fragility suite v2", "fragility"),
    Download("results_README.md", "what every column of the results means", "results",
             "results/README.md"),
)  # fmt: skip


def export_downloads(dest: str | Path) -> list[Download]:
    """Write every download whose source exists into ``dest/downloads/``.

    Returns
    -------
    list of Download
        The files written (a download whose source is absent is skipped, never faked).
    """
    folder = Path(dest) / URL_DIR
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    done = [d for d in DOWNLOADS if d.present()]
    for d in done:
        d.write(folder / d.name)
    return done


def available(groups: Sequence[str] | None = None) -> list[Download]:
    """Downloads whose sources exist now (what :func:`export_downloads` writes)."""
    return [d for d in DOWNLOADS if d.present() and (groups is None or d.group in groups)]


class DownloadLinks:
    """A list of download links (HTML); displays itself in a notebook."""

    def __init__(self, items: list[Download], intro: str) -> None:
        self.items = items
        lis = "".join(
            f'<li><a href="{URL_DIR}/{html.escape(d.name)}" download>'
            f"<code>{html.escape(d.name)}</code></a>: {html.escape(d.description)}</li>"
            for d in items
        )
        self.html = (
            f'<div class="tlr-downloads"><p>{html.escape(intro)}</p><ul>{lis}</ul></div>'
            if items
            else f"<p>{html.escape(intro)} (none available in this build)</p>"
        )

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"DownloadLinks({[d.name for d in self.items]})"


def download_links(groups: Sequence[str] | None = None, intro: str = "Downloads:") -> DownloadLinks:
    """Links to the downloads of ``groups`` (all by default) that this build contains."""
    return DownloadLinks(available(groups), intro)
