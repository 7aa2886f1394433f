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

from collections.abc import Mapping, Sequence

import polars as pl

from review.errors import QueryError
from review.schema import COLUMNS, LIST_FIELDS
from review.studies import load_backbones, load_studies, study_backbones

__all__ = ["QueryError", "count_by", "crosstab", "filter_studies", "sql", "sql_tables"]


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


def sql(query: str, df: pl.DataFrame | None = None) -> pl.DataFrame:
    """Run a SQL query over the study tables (polars' SQL dialect).

    Parameters
    ----------
    query
        A ``SELECT`` statement over ``studies``, ``study_backbones`` and ``backbones``.
    df
        A loaded study table; defaults to the committed one.

    Returns
    -------
    polars.DataFrame

    Raises
    ------
    QueryError
        If the query is not valid or names unknown tables or columns.
    """
    ctx = pl.SQLContext(sql_tables(df), eager=True)
    try:
        return ctx.execute(query)
    except (pl.exceptions.PolarsError, ValueError, TypeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise QueryError(f"SQL error: {first}") from exc


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
        out = out.filter(pl.col(col).list.contains(term))
    if where:
        out = sql(f"SELECT * FROM studies WHERE {where}", out)
    if columns:
        _check_columns(columns, df.columns)
        out = out.select(columns)
    return out


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
