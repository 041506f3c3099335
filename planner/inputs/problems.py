"""Problems found in a user's input, collected in one pass and reported together.

A :class:`Problem` names the file, the place in it (row, feature, key), the column and
what was expected, so that a planner can fix every mistake in one go.  Code that reads
user files appends problems to a :class:`ProblemList`; when the pass is over,
:meth:`ProblemList.raise_if_errors` raises :class:`InputError`, which the CLI turns into
a plain message and exit status 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a warning) in a user's input.

    Parameters
    ----------
    file : str
        The file, as the user named it (relative to the scenario where possible).
    where : str
        The place in the file: ``"row 12"``, ``"feature 3"``, ``"key units.columns.id"``
        or ``""`` for the whole file.
    column : str
        The column or key concerned, or ``""``.
    message : str
        What was found and what was expected, in plain words.
    severity : str
        ``"error"`` (the input cannot be used) or ``"warning"`` (used, but look at it).
    """

    file: str
    where: str
    column: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        place = ", ".join(part for part in (self.file, self.where) if part)
        column = f" column '{self.column}':" if self.column else ""
        return f"{place}:{column} {self.message}"


@dataclass
class ProblemList:
    """An ordered collection of problems with helpers to add errors and warnings."""

    items: list[Problem] = field(default_factory=list)

    def error(self, file: str, where: str, column: str, message: str) -> None:
        """Record an error."""
        self.items.append(Problem(file, where, column, message, "error"))

    def warn(self, file: str, where: str, column: str, message: str) -> None:
        """Record a warning."""
        self.items.append(Problem(file, where, column, message, "warning"))

    def extend(self, other: ProblemList) -> None:
        """Append all problems of ``other``."""
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        """Raise :class:`InputError` holding every problem when any is an error."""
        if self.errors:
            raise InputError(self.items)


class InputError(Exception):
    """The user's input cannot be used; ``problems`` says everything that is wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(f"{len(errors)} problem(s) in the input:\n" + "\n".join(map(str, errors)))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
