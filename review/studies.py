"""Load and validate the study table.

The table is a UTF-8 CSV (``data/studies.csv``) with the columns of :mod:`review.schema`.
:func:`load_studies` validates the whole file before returning anything and reports *every*
problem at once, each naming the file, the row (1-based, as a spreadsheet shows it: the header
is row 1), the field, the bad value and what was expected. Nothing is coerced or dropped
silently: a value with stray spaces, a float where an integer is expected or an unknown column
is an error, not something to tidy up.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import polars as pl

from review import paths
from review.errors import Problem, StudyTableError
from review.schema import (
    COLUMNS,
    FIELD_BY_NAME,
    FIELDS,
    LIST_FIELDS,
    LIST_SEPARATOR,
    Field,
    polars_schema,
    vocabulary,
)

__all__ = [
    "Problem",
    "StudyTableError",
    "load_studies",
    "load_backbones",
    "study_backbones",
    "to_pandas",
    "validate_studies",
]


_INT_RE = re.compile(r"[+-]?\d+")
_FLOAT_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_OTHER_SEPARATORS = (",", "|", "/")


def _check_value(f: Field, raw: str) -> str | None:
    """Return what was expected if ``raw`` is not a valid value of ``f``, else ``None``."""
    if raw != raw.strip():
        return f"{f.expected}, without leading or trailing spaces"
    if f.kind == "int":
        if not _INT_RE.fullmatch(raw):
            return f.expected
        return _check_bounds(f, int(raw))
    if f.kind == "float":
        if not _FLOAT_RE.fullmatch(raw):
            return f.expected
        return _check_bounds(f, float(raw))
    if f.kind == "vocab":
        return None if raw in vocabulary(f.vocab) else f.expected
    if f.kind == "list":
        items = raw.split(LIST_SEPARATOR)
        if any(sep in raw for sep in _OTHER_SEPARATORS) or any(
            not it or it != it.strip() for it in items
        ):
            return f"{f.expected} (separator '{LIST_SEPARATOR}', no spaces, no empty items)"
        bad = [it for it in items if it not in vocabulary(f.vocab)]
        if bad:
            return f"{f.expected}; unknown term(s): {', '.join(bad)}"
        if len(set(items)) != len(items):
            return f"{f.expected}, each term once"
        return None
    if f.pattern and not re.fullmatch(f.pattern, raw):
        return f.expected
    return None


def _check_bounds(f: Field, x: float) -> str | None:
    if math.isnan(x) or (f.minimum is not None and x < f.minimum):
        return f.expected
    if f.maximum is not None and x > f.maximum:
        return f.expected
    return None


def _read_rows(path: Path) -> tuple[list[str], list[list[str]], list[Problem]]:
    """Read header and rows as text; file-level problems end the reading early."""
    name = str(path)
    if not path.exists():
        return [], [], [Problem(name, None, None, None, "an existing CSV file")]
    data = path.read_bytes()
    if not data.strip():
        return [], [], [Problem(name, None, None, None, "a header row (the file is empty)")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 4]
        return [], [], [Problem(name, line, None, repr(bad), "UTF-8 encoded text")]
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark is how spreadsheet programs write UTF-8
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        return [], [], [Problem(name, reader.line_num, None, None, f"valid CSV ({exc})")]
    rows = [r for r in rows if r]  # blank lines between rows are not records
    if not rows:
        return [], [], [Problem(name, None, None, None, "a header row (the file is empty)")]
    return rows[0], rows[1:], []


def _header_problems(name: str, header: list[str]) -> list[Problem]:
    out = []
    seen = set()
    for col in header:
        if col in seen:
            out.append(Problem(name, 1, col, col, "each column once"))
        seen.add(col)
        if col not in FIELD_BY_NAME:
            out.append(Problem(name, 1, col, col, f"only the known columns: {', '.join(COLUMNS)}"))
    for col in COLUMNS:
        if col not in seen:
            out.append(Problem(name, 1, col, None, f"a column named '{col}' (required)"))
    return out


def _cross_field_problems(name: str, row_no: int, rec: dict[str, str]) -> list[Problem]:
    """Rules that link fields of one row."""
    out = []
    has = {k: bool(v) for k, v in rec.items()}
    if has.get("value") != has.get("metric"):
        missing = "metric" if has.get("value") else "value"
        out.append(
            Problem(
                name,
                row_no,
                missing,
                rec.get(missing, ""),
                "'metric' and 'value' both given or both empty",
            )
        )
    if rec.get("task") == "binary" and rec.get("n_classes") not in ("", "2", None):
        out.append(
            Problem(name, row_no, "n_classes", rec["n_classes"], "2 (or empty) when task is binary")
        )
    if rec.get("task") == "multiclass" and _INT_RE.fullmatch(rec.get("n_classes") or "x"):
        if int(rec["n_classes"]) < 3:
            out.append(
                Problem(
                    name,
                    row_no,
                    "n_classes",
                    rec["n_classes"],
                    "at least 3 (or empty) when task is multiclass",
                )
            )
    cwe, ec = rec.get("compared_with_experts"), rec.get("expert_comparison")
    if cwe == "no" and ec and ec != "na":
        out.append(
            Problem(
                name, row_no, "expert_comparison", ec, "'na' when compared_with_experts is 'no'"
            )
        )
    if cwe == "yes" and ec == "na":
        out.append(
            Problem(
                name,
                row_no,
                "expert_comparison",
                ec,
                "better, similar, worse or mixed when compared_with_experts is 'yes'",
            )
        )
    bbs = [b for b in (rec.get("backbones") or "").split(LIST_SEPARATOR) if b]
    cat = rec.get("model_category")
    if cat in ("shallow", "deep") and bbs:
        cats = _backbone_categories()
        wrong = [b for b in bbs if cats.get(b, "unknown") not in (cat, "unknown")]
        if wrong:
            out.append(
                Problem(
                    name,
                    row_no,
                    "model_category",
                    cat,
                    f"a category matching the backbones ({', '.join(wrong)} "
                    f"is not {cat} in data/backbones.csv)",
                )
            )
    best = rec.get("best_backbone")
    if best and bbs and best not in bbs:
        out.append(
            Problem(
                name, row_no, "best_backbone", best, "one of the row's backbones: " + ", ".join(bbs)
            )
        )
    return out


def _backbone_categories() -> dict[str, str]:
    return dict(load_backbones().select("backbone", "category").iter_rows())


def validate_studies(path: str | Path | None = None) -> list[Problem]:
    """Check a study table and return every problem found (empty list: valid).

    Parameters
    ----------
    path
        CSV file; defaults to the committed ``data/studies.csv``.

    Returns
    -------
    list of Problem
        One entry per problem, in file order.
    """
    path = Path(path) if path is not None else paths.studies_csv()
    name = str(path)
    header, rows, problems = _read_rows(path)
    if problems:
        return problems
    problems = _header_problems(name, header)
    known = [c for c in header if c in FIELD_BY_NAME]
    seen_ids: dict[str, int] = {}
    seen_dois: dict[str, int] = {}
    for i, row in enumerate(rows):
        row_no = i + 2
        if len(row) != len(header):
            problems.append(
                Problem(
                    name,
                    row_no,
                    None,
                    f"{len(row)} fields",
                    f"{len(header)} fields, as in the header",
                )
            )
            continue
        rec = dict(zip(header, row, strict=True))
        for col in known:
            f = FIELD_BY_NAME[col]
            raw = rec[col]
            if raw == "":
                if f.required:
                    problems.append(
                        Problem(name, row_no, col, "", f"a value (required): {f.expected}")
                    )
                continue
            why = _check_value(f, raw)
            if why:
                problems.append(Problem(name, row_no, col, raw, why))
        sid = rec.get("study_id", "")
        if sid:
            if sid in seen_ids:
                problems.append(
                    Problem(
                        name, row_no, "study_id", sid, f"a unique id (also on row {seen_ids[sid]})"
                    )
                )
            else:
                seen_ids[sid] = row_no
        doi = rec.get("doi", "").lower()
        if doi:
            if doi in seen_dois:
                problems.append(
                    Problem(
                        name,
                        row_no,
                        "doi",
                        rec["doi"],
                        f"one row per study (same DOI on row {seen_dois[doi]})",
                    )
                )
            else:
                seen_dois[doi] = row_no
        problems.extend(_cross_field_problems(name, row_no, rec))
    return problems


def load_studies(path: str | Path | None = None) -> pl.DataFrame:
    """Load and validate the study table.

    Parameters
    ----------
    path
        CSV file with the study-table columns; defaults to the committed ``data/studies.csv``.

    Returns
    -------
    polars.DataFrame
        One row per study, columns in schema order, typed (list fields as ``List(String)``,
        empty optional values as null).

    Raises
    ------
    StudyTableError
        If anything is wrong; ``.problems`` lists every problem.

    Examples
    --------
    >>> from review.studies import load_studies
    >>> df = load_studies()
    >>> df.columns[:3]
    ['study_id', 'title', 'first_author']
    """
    path = Path(path) if path is not None else paths.studies_csv()
    problems = validate_studies(path)
    if problems:
        raise StudyTableError(problems)
    header, rows, _ = _read_rows(path)
    records = [dict(zip(header, r, strict=True)) for r in rows]
    cols: dict[str, list] = {}
    for f in FIELDS:
        vals = [rec[f.name] for rec in records]
        if f.kind == "int":
            cols[f.name] = [int(v) if v else None for v in vals]
        elif f.kind == "float":
            cols[f.name] = [float(v) if v else None for v in vals]
        elif f.kind == "list":
            cols[f.name] = [v.split(LIST_SEPARATOR) if v else [] for v in vals]
        else:
            cols[f.name] = [v if v else None for v in vals]
    return pl.DataFrame(cols, schema=polars_schema())


def to_pandas(df: pl.DataFrame | None = None):
    """Return the study table as a pandas DataFrame (list fields as Python lists).

    Parameters
    ----------
    df
        A loaded table; defaults to :func:`load_studies` of the committed table.
    """
    df = load_studies() if df is None else df
    pdf = df.to_pandas()
    for col in LIST_FIELDS:
        pdf[col] = pdf[col].map(list)
    return pdf


def load_backbones(path: str | Path | None = None) -> pl.DataFrame:
    """Load the backbone catalogue (``data/backbones.csv``).

    Returns
    -------
    polars.DataFrame
        Columns ``backbone, display_name, family, year, params_m, depth, category,
        torchvision_name, source, note``.
    """
    path = Path(path) if path is not None else paths.backbones_csv()
    return pl.read_csv(
        path,
        schema_overrides={"year": pl.Int64, "params_m": pl.Float64, "depth": pl.Int64},
    )


def study_backbones(df: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per study x backbone, with the backbone's family and category.

    Parameters
    ----------
    df
        A loaded study table; defaults to the committed one.

    Returns
    -------
    polars.DataFrame
        Columns ``study_id, year, backbone, family, category, model_category, tl_approach,
        anatomical_region, modality``.
    """
    df = load_studies() if df is None else df
    cat = load_backbones().select("backbone", "family", "category")
    return (
        df.select(
            "study_id",
            "year",
            "backbones",
            "model_category",
            "tl_approach",
            "anatomical_region",
            "modality",
        )
        .explode("backbones")
        .drop_nulls("backbones")
        .rename({"backbones": "backbone"})
        .join(cat, on="backbone", how="left")
        .select(
            "study_id",
            "year",
            "backbone",
            "family",
            "category",
            "model_category",
            "tl_approach",
            "anatomical_region",
            "modality",
        )
    )
