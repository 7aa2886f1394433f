"""The study-table schema: the one place that says which columns exist and what they may hold.

The fields follow the curation codebook (``CODEBOOK.md`` in the shared folder); the terms of
each controlled vocabulary live in ``data/vocab/<name>.csv`` with a description per term, so
that a term is added in one place and documented there.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

import polars as pl

from review import paths

#: Separator of list fields (e.g. ``backbones``).
LIST_SEPARATOR = ";"
#: Years a study may carry: the review's search ended on 2020-12-31; CNN transfer learning
#: for medical images does not predate 1990.
YEAR_MIN, YEAR_MAX = 1990, 2020


@dataclass(frozen=True)
class Field:
    """One column of the study table.

    Parameters
    ----------
    name
        Column name.
    kind
        ``"str"``, ``"int"``, ``"float"``, ``"vocab"`` (one term of ``vocab``) or ``"list"``
        (terms of ``vocab`` joined by ``;``).
    required
        Whether every row must have a value.
    description
        One line for the data dictionary.
    vocab
        Name of the controlled vocabulary (file ``data/vocab/<vocab>.csv``).
    pattern
        Regular expression a ``str`` value must match in full.
    minimum, maximum
        Inclusive bounds of a numeric value.
    """

    name: str
    kind: str
    required: bool
    description: str
    vocab: str | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def expected(self) -> str:
        """Human-readable statement of what a valid value looks like."""
        if self.kind in ("vocab", "list"):
            terms = ", ".join(vocabulary(self.vocab))
            if self.kind == "list":
                return f"terms separated by '{LIST_SEPARATOR}' from: {terms}"
            return f"one of: {terms}"
        if self.kind == "int":
            return f"a whole number{_bounds(self)}"
        if self.kind == "float":
            return f"a number{_bounds(self)}"
        if self.pattern:
            return f"text matching {self.pattern}"
        return "text"


def _bounds(f: Field) -> str:
    if f.minimum is not None and f.maximum is not None:
        lo = int(f.minimum) if f.kind == "int" else f.minimum
        hi = int(f.maximum) if f.kind == "int" else f.maximum
        return f" in [{lo}, {hi}]"
    if f.minimum is not None:
        return f" >= {int(f.minimum) if f.kind == 'int' else f.minimum}"
    return ""


FIELDS: tuple[Field, ...] = (
    Field(
        "study_id",
        "str",
        True,
        "Unique id `firstauthor_year_word`, lowercase ascii.",
        pattern=r"[a-z][a-z0-9]*_[0-9]{4}_[a-z0-9_]+",
    ),
    Field("title", "str", True, "Title as printed on the source."),
    Field("first_author", "str", True, "First author's surname as printed."),
    Field("year", "int", True, "Year of publication.", minimum=YEAR_MIN, maximum=YEAR_MAX),
    Field(
        "venue",
        "str",
        False,
        "Journal or conference as printed (empty if the source does not show it).",
    ),
    Field(
        "doi",
        "str",
        False,
        "DOI without the resolver prefix, when shown on the source.",
        pattern=r"10\.[0-9]{4,9}/\S+",
    ),
    Field("pmid", "str", False, "PubMed id, when shown on the source.", pattern=r"[0-9]{1,9}"),
    Field("source_url", "str", True, "The page the row was coded from.", pattern=r"https?://\S+"),
    Field(
        "anatomical_region", "vocab", True, "Anatomical region imaged.", vocab="anatomical_region"
    ),
    Field("modality", "vocab", True, "Imaging modality.", vocab="modality"),
    Field("task", "vocab", True, "Classification task type.", vocab="task"),
    Field("n_classes", "int", False, "Number of classes.", minimum=2),
    Field("dataset_name", "str", False, "Name of the data set used."),
    Field(
        "dataset_public", "vocab", True, "Whether the data set is public.", vocab="dataset_public"
    ),
    Field("n_images", "int", False, "Total images used.", minimum=1),
    Field("n_subjects", "int", False, "Total subjects (patients) used.", minimum=1),
    Field(
        "backbones",
        "list",
        False,
        "Pretrained backbones used (canonical names); empty when the source names none.",
        vocab="backbone",
    ),
    Field("model_category", "vocab", True, "The review's model category.", vocab="model_category"),
    Field(
        "tl_approach",
        "vocab",
        True,
        "The review's transfer-learning approach.",
        vocab="tl_approach",
    ),
    Field(
        "best_backbone",
        "vocab",
        False,
        "Best backbone when several were compared.",
        vocab="backbone",
    ),
    Field(
        "best_approach",
        "vocab",
        False,
        "Best approach when several were compared.",
        vocab="tl_approach",
    ),
    Field("metric", "vocab", False, "Metric of the headline test result.", vocab="metric"),
    Field(
        "value",
        "float",
        False,
        "Headline test result of the best configuration.",
        minimum=0.0,
        maximum=1.0,
    ),
    Field("n_test", "int", False, "Size of the test set behind `value`.", minimum=1),
    Field(
        "compared_with_experts",
        "vocab",
        True,
        "Whether the model was compared with experts.",
        vocab="compared_with_experts",
    ),
    Field(
        "expert_comparison",
        "vocab",
        True,
        "Outcome of the expert comparison.",
        vocab="expert_comparison",
    ),
    Field(
        "evidence", "str", True, "One-sentence paraphrase of what decided approach and backbones."
    ),
    Field(
        "evidence_tl",
        "vocab",
        True,
        "Kind of source `tl_approach` rests on (URL in data/curation/pass2_log.csv).",
        vocab="evidence",
    ),
    Field(
        "evidence_backbones",
        "vocab",
        True,
        "Kind of source `backbones` (and so `model_category`) rests on.",
        vocab="evidence",
    ),
    Field("confidence", "vocab", True, "Coder's confidence.", vocab="confidence"),
)

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
COLUMNS: tuple[str, ...] = tuple(f.name for f in FIELDS)
LIST_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.kind == "list")
#: Vocabularies used by the study table (others, e.g. ``exclusion_reason``, serve curation).
VOCABULARIES: tuple[str, ...] = tuple(sorted({f.vocab for f in FIELDS if f.vocab}))


@cache
def vocabulary(name: str) -> tuple[str, ...]:
    """Return the terms of a controlled vocabulary, in file order.

    Parameters
    ----------
    name
        Vocabulary name, e.g. ``"modality"``.

    Returns
    -------
    tuple of str
        The terms.
    """
    return tuple(vocabulary_table(name))


@cache
def vocabulary_table(name: str) -> dict[str, str]:
    """Return ``{term: description}`` for a controlled vocabulary."""
    path = paths.vocab_csv(name)
    if not path.exists():
        raise FileNotFoundError(f"{path}: vocabulary '{name}' not found")
    with path.open(newline="", encoding="utf-8") as fh:
        return {row["term"]: row["description"] for row in csv.DictReader(fh)}


def polars_schema() -> dict:
    """Polars dtypes of the loaded table (list fields as ``List(String)``)."""
    kinds = {
        "str": pl.String,
        "vocab": pl.String,
        "int": pl.Int64,
        "float": pl.Float64,
        "list": pl.List(pl.String),
    }
    return {f.name: kinds[f.kind] for f in FIELDS}


def data_dictionary():
    """The data dictionary as a polars DataFrame (``field, type, required, description,
    allowed``), used by ``data/README.md`` and the book."""
    return pl.DataFrame(
        {
            "field": [f.name for f in FIELDS],
            "type": [f.kind for f in FIELDS],
            "required": [f.required for f in FIELDS],
            "description": [f.description for f in FIELDS],
            "allowed": [f.expected for f in FIELDS],
        }
    )


def data_dictionary_markdown() -> str:
    """The data dictionary as a Markdown table (the block between the markers in
    ``data/README.md``; ``python -m review.schema`` prints it)."""
    lines = ["| field | type | required | description | allowed values |", "|---|---|---|---|---|"]
    for f in FIELDS:
        allowed = f.expected.replace("|", "\\|")
        req = "yes" if f.required else "no"
        lines.append(f"| `{f.name}` | {f.kind} | {req} | {f.description} | {allowed} |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(data_dictionary_markdown())
