"""The ``tlreview`` command line.

Each command group lives in its own module with a ``register(subparsers)`` function; this
module only assembles them, so a new group is one line in :data:`GROUPS`. Bad input (an
invalid table, an unknown column, bad SQL, a missing file) exits with status 2 and one line per
problem on standard error, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Sequence

from review.errors import USER_ERRORS, problems_of

#: Modules that add command groups, in the order ``tlreview --help`` lists them.
GROUPS: tuple[str, ...] = (
    "review.commands.studies",
    "review.commands.analysis",
    "reproduce.cli",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the full argument parser (all groups registered)."""
    parser = argparse.ArgumentParser(
        prog="tlreview",
        description=(
            "Transfer learning for medical image classification (Kim et al. 2022) as executable "
            "science: query the study table, run the statistics, rerun the reproduction suite."
        ),
    )
    sub = parser.add_subparsers(dest="group", metavar="COMMAND", required=True)
    for name in GROUPS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.formatwarning = _one_line_warning  # type: ignore[assignment]
            return int(args.func(args) or 0)
    except USER_ERRORS as exc:
        for line in problems_of(exc):
            print(f"error: {line}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `tlreview studies list | head`
        return 0
    except OSError as exc:  # read-only folder, full disk, ...: the data on disk are untouched
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc} (nothing was lost)", file=sys.stderr)
        return 2


def _one_line_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    line: str | None = None,
) -> str:
    """``warning: MESSAGE`` (a user reads the message, not the source line that warned)."""
    return f"warning: {message}\n"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
