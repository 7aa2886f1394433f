"""``tlreview reproduce``: the reproduction suite."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``reproduce`` group to the CLI (filled in by the reproduction engine work)."""
