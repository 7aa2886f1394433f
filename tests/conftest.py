"""Shared test fixtures. Tables written here are SYNTHETIC (invented for the tests)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from review.schema import COLUMNS

#: A valid, SYNTHETIC study row (not a real study).
SYNTHETIC_ROW: dict[str, str] = {
    "study_id": "synthetic_2019_alpha",
    "title": "Synthetic study for tests (not a real publication)",
    "first_author": "Synthetic",
    "year": "2019",
    "venue": "Journal of Test Fixtures",
    "doi": "10.0000/synthetic.0001",
    "pmid": "",
    "source_url": "https://example.org/synthetic/1",
    "anatomical_region": "chest_lung",
    "modality": "xray",
    "task": "binary",
    "n_classes": "2",
    "dataset_name": "Synthetic CXR",
    "dataset_public": "yes",
    "n_images": "5856",
    "n_subjects": "",
    "backbones": "vgg16;resnet50",
    "model_category": "multiple",
    "tl_approach": "feature_extractor",
    "best_backbone": "resnet50",
    "best_approach": "",
    "metric": "accuracy",
    "value": "0.93",
    "n_test": "624",
    "compared_with_experts": "no",
    "expert_comparison": "na",
    "evidence": "Synthetic evidence sentence.",
    "evidence_tl": "abstract",
    "evidence_backbones": "abstract",
    "confidence": "high",
}


def synthetic_rows(n: int = 3) -> list[dict[str, str]]:
    """``n`` valid SYNTHETIC rows with distinct ids and DOIs and some variety."""
    variants = [
        {},
        {
            "backbones": "inception_v3",
            "model_category": "deep",
            "best_backbone": "",
            "tl_approach": "fine_tuning_from_scratch",
            "modality": "ct",
            "year": "2020",
            "metric": "auc",
            "value": "0.88",
        },
        {
            "backbones": "alexnet",
            "model_category": "shallow",
            "best_backbone": "",
            "tl_approach": "feature_extractor_hybrid",
            "modality": "fundus",
            "anatomical_region": "eye",
            "task": "multiclass",
            "n_classes": "5",
            "year": "2018",
            "metric": "",
            "value": "",
            "n_test": "",
        },
    ]
    rows = []
    for i in range(n):
        row = dict(SYNTHETIC_ROW) | variants[i % len(variants)]
        row["study_id"] = f"synthetic_{row['year']}_s{i}"
        row["doi"] = f"10.0000/synthetic.{i:04d}"
        rows.append(row)
    return rows


def write_table(path: Path, rows: list[dict[str, str]], columns=COLUMNS) -> Path:
    """Write rows as a CSV study table (UTF-8) and return the path."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture
def valid_table(tmp_path: Path) -> Path:
    """A valid SYNTHETIC study table with three rows."""
    return write_table(tmp_path / "studies.csv", synthetic_rows(3))


@pytest.fixture
def make_table(tmp_path: Path):
    """Factory: ``make_table(rows=None, columns=COLUMNS, name="studies.csv") -> Path``.

    ``rows`` defaults to three valid SYNTHETIC rows; pass modified rows to build malformed
    tables.
    """

    def _make(rows=None, columns=COLUMNS, name: str = "studies.csv") -> Path:
        return write_table(tmp_path / name, synthetic_rows(3) if rows is None else rows, columns)

    return _make


@pytest.fixture
def rows() -> list[dict[str, str]]:
    """Three valid SYNTHETIC rows to modify in a test."""
    return synthetic_rows(3)


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The book built strictly once per test session (shared by the book and browser tests);
    returns the folder of its HTML."""
    from review.report import build

    return build(tmp_path_factory.mktemp("book"))
