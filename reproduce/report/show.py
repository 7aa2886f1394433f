"""Show what the report functions return on a book page: Markdown text, tables and figures."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import IPython.display
import polars as pl

__all__ = ["Block", "show"]

#: What a report section returns, in display order: Markdown text (``str``), an object that
#: renders itself as HTML (``review.output.show_table``'s tables and claim cards,
#: ``review.figures.show_figure``'s figures), a ``polars.DataFrame`` or a matplotlib figure.
Block = Any


def show(blocks: Iterable[Block]) -> None:
    """Display each block: ``str`` as Markdown, figures closed after drawing, tables as they are."""
    for b in blocks:
        if isinstance(b, str):
            IPython.display.display(IPython.display.Markdown(b))
        elif isinstance(b, pl.DataFrame) or hasattr(b, "_repr_html_"):
            IPython.display.display(b)
        else:  # a matplotlib figure: drawn once, then closed so it is not drawn again
            import matplotlib.pyplot as plt  # matplotlib: imported only when a figure is drawn

            IPython.display.display(b)
            plt.close(b)
