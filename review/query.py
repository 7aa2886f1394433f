"""Query the study table: filters, counts, cross-tabs and SQL.

All functions take a loaded table (default: the committed one) and return polars DataFrames.

Examples
--------
>>> from review import query
>>> from review.studies import load_studies
>>> studies = load_studies()
>>> resnet = query.filter_studies(studies, contains={"backbones": "resnet50"}, where="year > 2018")
>>> by_approach = query.count_by("tl_approach", studies)
>>> per_backbone = query.sql("SELECT backbone, COUNT(*) AS n FROM study_backbones GROUP BY 1")
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Mapping, Sequence

import polars as pl

from review.errors import QueryError
from review.schema import COLUMNS, FIELD_BY_NAME, LIST_FIELDS, vocabulary
from review.studies import load_backbones, load_studies, study_backbones

__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_TIMEOUT_S",
    "QueryError",
    "check_select",
    "count_by",
    "crosstab",
    "filter_studies",
    "sql",
    "sql_limited",
    "sql_tables",
]


def _check_columns(cols: Sequence[str], available: Sequence[str]) -> None:
    unknown = [c for c in cols if c not in available]
    if unknown:
        raise QueryError(
            f"unknown column(s) {', '.join(map(repr, unknown))}; "
            f"known columns: {', '.join(available)}"
        )


def sql_tables(df: pl.DataFrame | None = None) -> dict[str, pl.DataFrame]:
    """The tables visible to :func:`sql`.

    Returns
    -------
    dict
        ``studies`` (one row per study; list fields as lists), ``study_backbones`` (one row
        per study x backbone, with family and category) and ``backbones`` (the catalogue).
    """
    df = load_studies() if df is None else df
    return {"studies": df, "study_backbones": study_backbones(df), "backbones": load_backbones()}


#: Default most rows returned by :func:`sql` (``--limit``).
DEFAULT_LIMIT = 10_000
#: Default time limit of one query, in seconds.
DEFAULT_TIMEOUT_S = 30.0

# Words that make a statement something other than a read-only query. Matched as bare words
# outside string literals, quoted identifiers and comments (no column of the tables has these
# names; a quoted "drop" is an identifier, not this keyword).
_FORBIDDEN = frozenset(
    """insert update delete drop create alter truncate copy into attach detach pragma
    explain show grant revoke merge call execute exec load install vacuum set begin commit
    rollback""".split()
)
_TOKEN = re.compile(
    r"""(?P<ws>\s+)|(?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))|(?P<string>'(?:[^']|'')*(?:'|\Z))"""
    r"""|(?P<quoted>"(?:[^"]|"")*(?:"|\Z))|(?P<word>[A-Za-z_][A-Za-z0-9_$]*)|(?P<other>.)""",
    re.S,
)


def _words(query: str) -> list[tuple[str, str]]:
    """The tokens of ``query`` that matter here: ``(kind, text)`` with kind ``word``,
    ``string``, ``quoted`` or ``other`` (comments and white space dropped)."""
    out = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        out.append((kind, m.group()))
    return out


def check_select(query: str) -> None:
    """Refuse anything but one read-only ``SELECT`` (or ``WITH ... SELECT``).

    Raises
    ------
    QueryError
        For more than one statement, a statement that is not a query (``DROP``, ``CREATE``,
        ``DELETE``, ``COPY``, ``SHOW``...), a recursive CTE (it can run without end), or a
        file-reading table function (``read_csv``, ``read_parquet``, ``scan_*``...), naming
        what was found.
    """
    toks = _words(query)
    while toks and toks[-1] == ("other", ";"):
        toks.pop()
    if not toks:
        raise QueryError("empty query; expected one SELECT statement")
    if ("other", ";") in toks:
        raise QueryError("more than one statement (';'); expected exactly one SELECT")
    first = next((t for k, t in toks if k != "other" or t != "("), "")
    if first.lower() not in ("select", "with"):
        raise QueryError(
            f"{first!r} is not allowed; expected one read-only SELECT (or WITH ... SELECT) over "
            f"the tables {', '.join(SQL_TABLES)}"
        )
    for i, (kind, text) in enumerate(toks):
        if kind != "word":
            continue
        low = text.lower()
        if low == "recursive":
            raise QueryError("WITH RECURSIVE is not allowed (a recursive query can run without "
                             "end); expected a non-recursive SELECT")  # fmt: skip
        if low in _FORBIDDEN:
            raise QueryError(
                f"{text.upper()} is not allowed; expected a read-only SELECT (the study tables "
                "cannot be changed and no file can be read or written)"
            )
        nxt = toks[i + 1] if i + 1 < len(toks) else ("", "")
        if nxt == ("other", "(") and (low.startswith(("read_", "scan_"))):
            raise QueryError(
                f"{text}(...) reads files and is not allowed; expected a SELECT over the "
                f"tables {', '.join(SQL_TABLES)}"
            )


#: The tables visible to :func:`sql`.
SQL_TABLES: tuple[str, ...] = ("studies", "study_backbones", "backbones")


def sql(
    query: str,
    df: pl.DataFrame | None = None,
    *,
    limit: int | None = DEFAULT_LIMIT,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> pl.DataFrame:
    """Run one read-only SQL query over the study tables (polars' SQL dialect).

    Parameters
    ----------
    query
        One ``SELECT`` (or ``WITH ... SELECT``) over ``studies``, ``study_backbones`` and
        ``backbones`` (:func:`check_select` says what is refused).
    df
        A loaded study table; defaults to the committed one.
    limit
        Most rows returned (``None``: all); when more rows match, the first ``limit`` are
        returned and the frame carries no marker, so callers that must know use
        :func:`sql_limited`.
    timeout
        Seconds before the query is cancelled.

    Returns
    -------
    polars.DataFrame

    Raises
    ------
    QueryError
        If the query is refused, not valid, names unknown tables or columns, or runs past
        ``timeout``.
    """
    return sql_limited(query, df, limit=limit, timeout=timeout)[0]


def sql_limited(
    query: str,
    df: pl.DataFrame | None = None,
    *,
    limit: int | None = DEFAULT_LIMIT,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> tuple[pl.DataFrame, bool]:
    """:func:`sql` and whether rows were cut at ``limit``."""
    check_select(query)
    if limit is not None and limit < 0:
        raise QueryError(f"limit {limit}: expected a number of rows >= 0")
    ctx = pl.SQLContext(sql_tables(df), eager=False)
    try:
        lazy = ctx.execute(query)
        if limit is not None:
            lazy = lazy.head(limit + 1)
        out = _collect(lazy, timeout)
    except (pl.exceptions.PolarsError, ValueError, TypeError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise QueryError(f"SQL error: {first}") from exc
    cut = limit is not None and out.height > limit
    return (out.head(limit) if cut else out), cut


def _collect(lazy: pl.LazyFrame, timeout: float) -> pl.DataFrame:
    """Collect in the background; cancel and raise :class:`QueryError` after ``timeout`` s.

    polars cancels cooperatively: an operation already running (e.g. a large join) may go on
    in a background thread until it ends. The CLI exits right after the error, which ends it;
    a long-lived Python session keeps that thread busy for the rest of that operation.
    """
    job = lazy.collect(background=True)
    start = time.monotonic()
    delay = 0.001
    while True:
        res = job.fetch()
        if res is not None:
            return res
        if time.monotonic() - start > timeout:
            job.cancel()
            raise QueryError(f"the query ran longer than {timeout:g} s and was cancelled")
        time.sleep(delay)
        delay = min(0.05, delay * 2)


def filter_studies(
    df: pl.DataFrame | None = None,
    *,
    where: str | None = None,
    equals: Mapping[str, str | int] | None = None,
    contains: Mapping[str, str] | None = None,
    columns: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Select studies.

    Parameters
    ----------
    df
        A loaded study table; defaults to the committed one.
    where
        A SQL boolean expression over the study columns, e.g. ``"year >= 2019 AND
        modality = 'xray'"``.
    equals
        ``{column: value}``: keep rows whose column equals the value.
    contains
        ``{list_column: term}``: keep rows whose list column contains the term, e.g.
        ``{"backbones": "resnet50"}``.
    columns
        Columns to return (default: all).

    Returns
    -------
    polars.DataFrame
    """
    df = load_studies() if df is None else df
    out = df
    for col, val in (equals or {}).items():
        _check_columns([col], df.columns)
        out = out.filter(pl.col(col).cast(pl.String) == str(val))
    for col, term in (contains or {}).items():
        _check_columns([col], df.columns)
        if col not in LIST_FIELDS:
            raise QueryError(
                f"'{col}' is not a list column; list columns: {', '.join(LIST_FIELDS)}"
            )
        terms = vocabulary(FIELD_BY_NAME[col].vocab)
        if term not in terms:
            near = difflib.get_close_matches(term, terms, n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise QueryError(
                f"{col}={term!r}: unknown term{hint} (the '{FIELD_BY_NAME[col].vocab}' "
                f"vocabulary has {len(terms)} terms; see data/vocab/{FIELD_BY_NAME[col].vocab}.csv)"
            )
        out = out.filter(pl.col(col).list.contains(term))
    if where:
        out = out.filter(where_expr(where, out))
    if columns:
        _check_columns(columns, df.columns)
        out = out.select(columns)
    return out


def where_expr(where: str, df: pl.DataFrame) -> pl.Expr:
    """Parse ``where`` as one SQL boolean expression over the columns of ``df``.

    The text is parsed as an expression (``polars.sql_expr``), never pasted into a query, so
    ``1=0 UNION ALL SELECT ...`` or a subquery is a parse error, not a second query.

    Raises
    ------
    QueryError
        If it is not one expression, is not boolean or names unknown columns.
    """
    if any(k == "other" and t == ";" for k, t in _words(where)):
        raise QueryError(f"--where {where!r}: expected one condition, without ';'")
    try:
        expr = pl.sql_expr(where)
        if not isinstance(expr, pl.Expr):
            raise QueryError(f"--where {where!r}: expected one condition")
        dtype = df.head(0).select(expr).dtypes[0]
    except (pl.exceptions.PolarsError, ValueError, TypeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise QueryError(f"--where {where!r}: {first}") from None
    if dtype != pl.Boolean:
        raise QueryError(f"--where {where!r}: a condition (true/false) is expected, got {dtype}")
    return expr


def count_by(by: str, df: pl.DataFrame | None = None) -> pl.DataFrame:
    """Count studies by one column (list columns count each term once per study).

    Parameters
    ----------
    by
        Column name, e.g. ``"tl_approach"`` or ``"backbones"``.
    df
        A loaded study table; defaults to the committed one.

    Returns
    -------
    polars.DataFrame
        Columns ``<by>, n, share`` (share of studies, so shares of a list column may sum to
        more than 1), sorted by ``n`` descending, then by value.
    """
    df = load_studies() if df is None else df
    _check_columns([by], COLUMNS)
    total = df.height
    col = df.select(by).explode(by) if by in LIST_FIELDS else df.select(by)
    out = col.group_by(by).len("n").sort(["n", by], descending=[True, False], nulls_last=True)
    share = (pl.col("n") / total) if total else pl.lit(None, dtype=pl.Float64)
    return out.with_columns(share.alias("share"))


def crosstab(row: str, column: str, df: pl.DataFrame | None = None) -> pl.DataFrame:
    """Cross-tabulate two columns as a wide table of study counts.

    Parameters
    ----------
    row, column
        Column names; list columns are exploded (a study counts once per term).
    df
        A loaded study table; defaults to the committed one.

    Returns
    -------
    polars.DataFrame
        One row per value of ``row``, one column per value of ``column`` (plus ``total``).
    """
    df = load_studies() if df is None else df
    _check_columns([row, column], COLUMNS)
    if row == column:
        raise QueryError("crosstab needs two different columns")
    long = df.select(row, column)
    for c in (row, column):
        if c in LIST_FIELDS:
            long = long.explode(c)
    long = long.with_columns(pl.col(column).cast(pl.String).fill_null("(missing)"))
    if long.height == 0:
        return pl.DataFrame(
            {row: [], "total": []}, schema={row: df.schema[row], "total": pl.UInt32}
        )
    counts = long.group_by(row, column).len("n")
    wide = counts.pivot(on=column, index=row, values="n", sort_columns=True)
    value_cols = [c for c in wide.columns if c != row]
    return (
        wide.with_columns(pl.col(value_cols).fill_null(0))
        .with_columns(pl.sum_horizontal(value_cols).alias("total"))
        .sort(row, nulls_last=True)
    )
