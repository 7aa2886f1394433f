"""Every exception of the project, in one base module that imports nothing from the project.

Exceptions that mean "the user's input is wrong" are listed in :data:`USER_ERRORS`; the CLI
reports them as one line per problem with exit status 2. Other modules raise these classes (or
subclasses defined here) to get the same treatment.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AttackError",
    "ConfigError",
    "DatasetWarning",
    "DatasetError",
    "CollectError",
    "InputError",
    "MissingPathError",
    "ModelError",
    "Problem",
    "QueryError",
    "SmallStudyWarning",
    "StudyTableError",
    "USER_ERRORS",
    "problems_of",
]


class InputError(ValueError):
    """Bad input that is not a table or query problem (e.g. a bad option value)."""


class CollectError(InputError):
    """Run folders that cannot be collected, or a collection that would lose results.

    ``problems`` holds one line per run or file (each names the file).
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class MissingPathError(FileNotFoundError):
    """A required file or folder is missing; the message says how to provide it."""


class QueryError(ValueError):
    """A query names an unknown column or is not valid SQL."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a table.

    Attributes
    ----------
    file
        Path of the file.
    row
        1-based row as a spreadsheet shows it (header = 1); ``None`` for file-level problems.
    field
        Column concerned, or ``None``.
    value
        The offending value as read, or ``None``.
    expected
        What a valid value would look like.
    """

    file: str
    row: int | None
    field: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        got = "" if self.value is None else f"got {self.value!r}; "
        return f"{', '.join(where)}: {got}expected {self.expected}"


class StudyTableError(ValueError):
    """The study table is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the study table:\n" + "\n".join(map(str, problems))
        )


class ConfigError(InputError):
    """A run configuration is invalid (names the field, the value and what is expected)."""


class DatasetError(InputError):
    """A data file is not what the registry expects (checksum, keys, shapes, labels, layout).

    The message names the file, what was expected, what was found and how to obtain the
    official file.
    """


class ModelError(InputError):
    """Bad architecture or source name, or a weight file that is not what the registry expects."""


class AttackError(InputError):
    """An attack cannot run as asked (names the run, the field and what is expected)."""


class DatasetWarning(UserWarning):
    """A data set differs from the registry in a way that other legitimate copies also do."""


class SmallStudyWarning(UserWarning):
    """A small-study test was run on fewer than 10 studies (little power)."""


#: Exceptions the CLI reports as one line per problem with exit status 2.
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
