"""Problems in the user's files are data: where, which field, what is wrong, what to write.

Every stage adds to one ``Problems`` list; nothing is printed and then ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# The exit status of every command. Wrong usage is click's own (click.UsageError exits with 2).
EXIT_OK = 0
EXIT_PROBLEMS = 1  # problems in the user's files; every problem is reported
EXIT_USAGE = 2


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # relative to the site folder, with forward slashes
    line: int  # 1-based; 0 when the problem is about the whole file
    field: str  # "values[3].period"; "" for the whole file
    message: str
    severity: Severity = "error"
    code: str = "invalid"

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        prefix = " warning:" if self.severity == "warning" else ""
        return f"{where}:{field}{prefix} {self.message}"

    def github(self, prefix: str = "") -> str:
        """A GitHub Actions workflow command, shown on the changed line of a pull request.

        GitHub reads ``file`` from the repository's root: ``prefix`` is the site folder's
        path from there ("" when the site is the repository itself).
        """
        kind = "error" if self.severity == "error" else "warning"
        text = f"{self.field}: {self.message}" if self.field else self.message
        # Workflow commands end at a newline and treat % specially; properties also end
        # at a comma and the value at "::".
        text = _escape_data(text)
        file = _escape_data(prefix + self.file).replace(",", "%2C").replace(":", "%3A")
        line = f",line={self.line}" if self.line else ""
        return f"::{kind} file={file}{line}::{text}"


class Problems:
    """Every problem found in one run, in a stable order."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(
        self,
        file: str,
        line: int,
        field: str,
        message: str,
        *,
        severity: Severity = "error",
        code: str = "invalid",
    ) -> None:
        self._items.append(Problem(file, line, field, message, severity, code))

    def warn(self, file: str, line: int, field: str, message: str, *, code: str) -> None:
        self.add(file, line, field, message, severity="warning", code=code)

    def extend(self, items: Iterable[Problem]) -> None:
        self._items.extend(items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(set(self._items), key=_order))

    def __len__(self) -> int:
        return len(set(self._items))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity == "warning"]

    def failed(self, strict: bool) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def to_json(self) -> str:
        return json.dumps([asdict(p) for p in self], indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _order(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, p.line, p.field, p.message)


class UserError(Exception):
    """A mistake in the user's files or command line that stops the run (reported, no traceback)."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(f"{len(problems.errors)} problem(s)")
        self.problems = problems


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
