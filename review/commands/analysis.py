"""``tlreview analyze`` and ``tlreview meta`` (statistics of the study table)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the statistics commands to the CLI (filled in by the statistics work)."""
