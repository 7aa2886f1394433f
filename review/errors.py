"""Exceptions that mean "the user's input is wrong" (exit status 2 in the CLI)."""

from __future__ import annotations

from review.paths import MissingPathError
from review.query import QueryError
from review.studies import StudyTableError


class InputError(ValueError):
    """Bad input that is not a table or query problem (e.g. a bad option value)."""


#: Exceptions the CLI reports as one line per problem with exit status 2. Other modules may
#: raise subclasses of these (or of ``InputError``) to get the same treatment.
USER_ERRORS: tuple[type[BaseException], ...] = (
    StudyTableError,
    QueryError,
    MissingPathError,
    InputError,
    FileNotFoundError,
)


def problems_of(exc: BaseException) -> list[str]:
    """The lines to print for a user error."""
    if isinstance(exc, StudyTableError):
        return [str(p) for p in exc.problems]
    return [line for line in str(exc).splitlines() if line.strip()] or [type(exc).__name__]
