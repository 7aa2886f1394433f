"""Write DataFrames as a table, CSV or JSON (the ``--format`` option of every command)."""

from __future__ import annotations

import json
import sys
from typing import TextIO

import polars as pl

FORMATS = ("table", "csv", "json")


def _flatten_lists(df: pl.DataFrame, sep: str = ";") -> pl.DataFrame:
    lists = [c for c, t in df.schema.items() if isinstance(t, pl.List)]
    return df.with_columns(pl.col(c).list.join(sep) for c in lists) if lists else df


def write_frame(df: pl.DataFrame, fmt: str = "table", out: TextIO | None = None) -> None:
    """Write ``df`` to ``out`` (default standard output).

    Parameters
    ----------
    df
        The frame.
    fmt
        ``table`` (aligned, all rows and columns), ``csv`` (list columns joined by ``;``) or
        ``json`` (a list of records; list columns as JSON arrays).
    out
        Text stream.
    """
    out = sys.stdout if out is None else out
    if fmt == "csv":
        out.write(_flatten_lists(df).write_csv())
    elif fmt == "json":
        out.write(json.dumps(df.to_dicts(), ensure_ascii=False, indent=1, default=str) + "\n")
    elif fmt == "table":
        with pl.Config(
            tbl_rows=-1,
            tbl_cols=-1,
            fmt_str_lengths=60,
            tbl_hide_dataframe_shape=True,
            tbl_hide_column_data_types=True,
            tbl_width_chars=200,
            fmt_table_cell_list_len=-1,
        ):
            out.write(f"{df}\n({df.height} rows)\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
