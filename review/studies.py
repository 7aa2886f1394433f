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
import stat
from pathlib import Path

import numpy as np
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


# ASCII digits only (``\d`` would also take "２０２０" or Arabic-Indic digits) and no leading
# "+": a number is written the one way a spreadsheet writes it.
_INT_RE = re.compile(r"-?[0-9]+")
_FLOAT_RE = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# C0 and C1 control characters (NUL, escape, ...); a line break inside a quoted text cell is
# the one control character a CSV cell may legitimately hold.
_CONTROL_RE = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_OTHER_SEPARATORS = (",", "|", "/")
# bytes that are not UTF-8, as ``errors="surrogateescape"`` decodes them
_SURROGATE_RE = re.compile("[\udc80-\udcff]")
#: The range of the Int64 columns the table is loaded into.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _check_value(f: Field, raw: str) -> str | None:
    """Return what was expected if ``raw`` is not a valid value of ``f``, else ``None``."""
    if raw != raw.strip():
        return f"{f.expected}, without leading or trailing spaces"
    bad = _CONTROL_RE.search(raw)
    if bad or (f.kind != "str" and ("\n" in raw or "\r" in raw)):
        ch = bad.group() if bad else "\n"
        return f"{f.expected}, without control characters (found {ch!r})"
    if f.kind == "int":
        if not _INT_RE.fullmatch(raw):
            return f"{f.expected} (ASCII digits, no '+')"
        x = int(raw)
        if not INT64_MIN <= x <= INT64_MAX:
            return f"{f.expected} within the 64-bit integer range"
        return _check_bounds(f, x)
    if f.kind == "float":
        if not _FLOAT_RE.fullmatch(raw):
            return f"{f.expected} (ASCII digits, no '+')"
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
    if f.pattern and not re.fullmatch(f.pattern, raw, re.ASCII):
        return f.expected
    return None


def _check_bounds(f: Field, x: float) -> str | None:
    if math.isnan(x) or (f.minimum is not None and x < f.minimum):
        return f.expected
    if f.maximum is not None and x > f.maximum:
        return f.expected
    return None


def _read_rows(
    path: Path,
) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem], str]:
    """Read the header, the numbered rows and the text; file-level problems end the reading.

    Rows are numbered as a spreadsheet shows them: every CSV record is one row (a quoted
    newline stays inside its cell), a blank line is an (empty, skipped) row, the header is
    row 1. Decoding errors are reported with the same numbering.
    """
    name = str(path)
    try:
        st = path.stat()  # before any open: opening a FIFO would block
    except FileNotFoundError:
        return [], [], [Problem(name, None, None, None, "an existing CSV file")], ""
    except OSError as exc:
        return (
            [],
            [],
            [Problem(name, None, None, None, f"a readable CSV file ({exc.strerror})")],
            "",
        )
    if stat.S_ISDIR(st.st_mode):
        return [], [], [Problem(name, None, None, None, "a CSV file, not a directory")], ""
    if not stat.S_ISREG(st.st_mode):
        why = "a regular CSV file, not a pipe, socket or device"
        return [], [], [Problem(name, None, None, None, why)], ""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return (
            [],
            [],
            [Problem(name, None, None, None, f"a readable CSV file ({exc.strerror})")],
            "",
        )
    if not data.strip():
        return [], [], [Problem(name, None, None, None, "a header row (the file is empty)")], ""
    text = data.decode("utf-8", errors="surrogateescape")
    bad_utf8 = _SURROGATE_RE.search(text) is not None
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark is how spreadsheet programs write UTF-8
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    row_no = 0
    try:
        for rec in reader:
            row_no += 1
            if rec:  # blank lines are rows of a spreadsheet, but not records
                records.append((row_no, rec))
    except csv.Error as exc:
        return [], [], [Problem(name, row_no + 1, None, None, f"valid CSV ({exc})")], ""
    if bad_utf8:
        for no, rec in records:
            for cell in rec:
                bad = _SURROGATE_RE.search(cell)
                if bad is not None:
                    byte = bytes([ord(bad.group()) - 0xDC00])
                    return [], [], [Problem(name, no, None, repr(byte), "UTF-8 encoded text")], ""
        return [], [], [Problem(name, None, None, None, "UTF-8 encoded text")], ""
    if not records:
        return [], [], [Problem(name, None, None, None, "a header row (the file is empty)")], ""
    return records[0][1], records[1:], [], text


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


def _cross_field_problems(
    name: str, row_no: int, rec: dict[str, str], cats: dict[str, str] | None = None
) -> list[Problem]:
    """Rules that link fields of one row (``cats``: backbone -> category, read once)."""
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
        cats = _backbone_categories() if cats is None else cats
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
    return _validate(path)[0]


def _validate(
    path: str | Path | None,
) -> tuple[list[Problem], list[str], pl.DataFrame | None]:
    """Problems, header and the cells (column ``c<j>`` for header position j, as text) of a
    study table; the file is read once.

    Cell checks run column-wise in polars as a conservative screen (a cell passes only if it
    is certainly valid); the few cells it does not pass are judged by :func:`_check_value`,
    the one definition of validity, which also words the message. Cross-field rules are
    screened the same way before :func:`_cross_field_problems` looks at a row.
    """
    path = Path(path) if path is not None else paths.studies_csv()
    name = str(path)
    header, rows, problems, text = _read_rows(path)
    if problems:
        return problems, header, None
    problems = _header_problems(name, header)
    found: list[tuple[int, int, Problem]] = []  # (row index, order within the row, problem)
    good = [i for i, (_, r) in enumerate(rows) if len(r) == len(header)]
    for i, (row_no, row) in enumerate(rows):
        if len(row) != len(header):
            why = f"{len(header)} fields, as in the header"
            found.append((i, 0, Problem(name, row_no, None, f"{len(row)} fields", why)))
    frame = _cells_frame(text, [rows[i][1] for i in good])
    index = {c: j for j, c in enumerate(header)}
    known = [c for c in dict.fromkeys(header) if c in FIELD_BY_NAME]
    for order, col in enumerate(known):
        if frame is None:
            break
        f, j = FIELD_BY_NAME[col], index[col]  # a repeated column: its last copy, as dict() does
        series = frame[f"c{j}"]
        empty = (series == "").to_numpy()
        if f.required:
            for g in np.flatnonzero(empty):
                i = good[g]
                why = f"a value (required): {f.expected}"
                found.append((i, 1 + order, Problem(name, rows[i][0], col, "", why)))
        suspect = np.flatnonzero(~empty & ~_surely_valid(series, f).to_numpy())
        for g in suspect:
            raw = series[int(g)]
            why = _check_value(f, raw)
            if why:
                i = good[g]
                found.append((i, 1 + order, Problem(name, rows[i][0], col, raw, why)))
    if frame is not None:
        _unique_problems(name, header, frame, good, rows, found)
        cats = _backbone_categories()  # once per table, not once per row
        for g in _cross_field_suspects(frame, header, cats):
            i = good[g]
            rec = dict(zip(header, rows[i][1], strict=True))
            for prob in _cross_field_problems(name, rows[i][0], rec, cats):
                found.append((i, 1000, prob))
    found.sort(key=lambda t: (t[0], t[1]))
    return problems + [p for _, _, p in found], header, frame


def _cells_frame(text: str, records: list[list[str]]) -> pl.DataFrame | None:
    """The data records (all as wide as the header) as a polars frame of text columns ``c<j>``.

    polars' CSV reader parses ``text`` (the whole file) fast; its result is used only when it
    reproduces every record of Python's reader exactly (a cheap comparison). Otherwise (blank
    lines, ragged rows, a dialect corner) the records are transposed in Python.
    """
    if not records:
        return None
    width = len(records[0])
    names = [f"c{j}" for j in range(width)]
    if "\x1f" not in text:  # the separator of the comparison must not occur in a cell
        try:
            frame = pl.read_csv(
                text.encode("utf-8"), has_header=False, new_columns=names, infer_schema=False,
                empty_string_is_null=False, quote_char='"', raise_if_empty=False,
            ).slice(1).fill_null("")  # fmt: skip
            if frame.shape == (len(records), width):
                joined = frame.select(pl.concat_str(names, separator="\x1f")).to_series()
                if joined.to_list() == ["\x1f".join(r) for r in records]:
                    return frame
        except (pl.exceptions.PolarsError, ValueError):
            pass
    columns = list(zip(*records, strict=True))
    return pl.DataFrame(
        {n: pl.Series(col, dtype=pl.String) for n, col in zip(names, columns, strict=True)}
    )


_NUMERIC = {
    "int": r"^-?[0-9]+$",
    "float": r"^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$",
}
# control characters a cell may not hold; non-text cells may not hold a line break either
_CONTROL_TEXT = r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_CONTROL_ANY = r"[\x00-\x1f\x7f-\x9f]"


def _surely_valid(s: pl.Series, f: Field) -> pl.Series:
    """A boolean Series: True where ``s`` is certainly a valid non-empty value of ``f``.

    Never True where :func:`_check_value` would object (False may be a false alarm: such
    cells are judged by :func:`_check_value`).
    """
    frame = s.alias("x").to_frame()
    x = pl.col("x")
    ok = (x == x.str.strip_chars()) & ~x.str.contains(
        _CONTROL_TEXT if f.kind == "str" else _CONTROL_ANY
    )
    if f.kind in ("int", "float"):
        dtype = pl.Int64 if f.kind == "int" else pl.Float64
        num = x.cast(dtype, strict=False)
        ok = ok & x.str.contains(_NUMERIC[f.kind]) & num.is_not_null()
        if f.kind == "float":
            ok = ok & num.is_finite()
        if f.minimum is not None:
            ok = ok & (num >= f.minimum)
        if f.maximum is not None:
            ok = ok & (num <= f.maximum)
    elif f.kind == "vocab":
        ok = ok & x.is_in(list(vocabulary(f.vocab)))
    elif f.kind == "list":
        items = x.str.split(LIST_SEPARATOR)
        terms = list(vocabulary(f.vocab))
        ok = (
            ok
            & ~x.str.contains(r"[,|/\s]")
            & items.list.eval(pl.element().is_in(terms)).list.all()
            & (items.list.n_unique() == items.list.len())
        )
    elif f.pattern:
        ok = ok & x.str.contains(f"^(?:{f.pattern})$")
    return frame.select(ok.fill_null(False)).to_series()


def _unique_problems(
    name: str,
    header: list[str],
    frame: pl.DataFrame,
    good: list[int],
    rows: list[tuple[int, list[str]]],
    found: list[tuple[int, int, Problem]],
) -> None:
    """Repeated study ids and DOIs (DOIs compared case-insensitively)."""
    for col, why, key in (
        ("study_id", "a unique id (also on row {})", str),
        ("doi", "one row per study (same DOI on row {})", str.lower),
    ):
        if col not in header:
            continue
        seen: dict[str, int] = {}
        j = max(i for i, h in enumerate(header) if h == col)  # the copy dict() keeps
        for g, raw in enumerate(frame[f"c{j}"].to_list()):
            if not raw:
                continue
            k = key(raw)
            row_no = rows[good[g]][0]
            if k in seen:
                found.append((good[g], 500, Problem(name, row_no, col, raw, why.format(seen[k]))))
            else:
                seen[k] = row_no


def _cross_field_suspects(frame: pl.DataFrame, header: list[str], cats: dict[str, str]):
    """Positions of the rows that a cross-field rule might reject (a superset)."""
    cats_of = ("shallow", "deep")
    needed = ("value", "metric", "task", "n_classes", "compared_with_experts",
              "expert_comparison", "backbones", "model_category", "best_backbone")  # fmt: skip
    if any(c not in header for c in needed):
        return range(frame.height)  # a broken header: check every row the slow way
    last = {n: j for j, n in enumerate(header)}
    c = {n: pl.col(f"c{last[n]}") for n in needed}
    n_cls = c["n_classes"].cast(pl.Int64, strict=False)
    bbs = (
        c["backbones"].str.split(LIST_SEPARATOR).list.eval(pl.element().filter(pl.element() != ""))
    )
    bb_cat = bbs.list.eval(pl.element().replace_strict(cats, default="unknown"))
    cat = c["model_category"]
    fits = {k: bb_cat.list.eval(pl.element().is_in(["unknown", k])).list.all() for k in cats_of}
    suspect = (
        ((c["value"] != "") != (c["metric"] != ""))
        | ((c["task"] == "binary") & ~c["n_classes"].is_in(["", "2"]))
        | ((c["task"] == "multiclass") & (c["n_classes"] != "") & (n_cls.is_null() | (n_cls < 3)))
        | ((c["compared_with_experts"] == "no") & ~c["expert_comparison"].is_in(["", "na"]))
        | ((c["compared_with_experts"] == "yes") & (c["expert_comparison"] == "na"))
        | (
            cat.is_in(list(cats_of))
            & (bbs.list.len() > 0)
            & ~(((cat == "shallow") & fits["shallow"]) | ((cat == "deep") & fits["deep"]))
        )
        | (
            (c["best_backbone"] != "")
            & (bbs.list.len() > 0)
            & ~bbs.list.contains(c["best_backbone"])
        )
    )
    mask = frame.select(suspect.fill_null(True)).to_series().to_numpy()
    return np.flatnonzero(mask)


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
    problems, header, frame = _validate(path)
    if problems:
        raise StudyTableError(problems)
    schema = polars_schema()
    if frame is None:  # a header without rows
        return pl.DataFrame(schema=schema)
    last = {c: j for j, c in enumerate(header)}
    out = []
    for f in FIELDS:
        x = pl.col(f"c{last[f.name]}")
        if f.kind == "list":
            expr = pl.when(x == "").then(pl.lit([], dtype=pl.List(pl.String)))
            expr = expr.otherwise(x.str.split(LIST_SEPARATOR))
        else:
            expr = pl.when(x == "").then(None).otherwise(x).cast(schema[f.name])
        out.append(expr.alias(f.name))
    return frame.select(out)


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
