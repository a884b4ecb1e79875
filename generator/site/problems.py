"""Problems in the user's files are data: where, which field, what is wrong, what to write.

Every stage adds to one ``Problems`` list; nothing is printed and then ignored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]

# The exit status of every command. Wrong usage is click's own (click.UsageError exits with 2).
EXIT_OK = 0
EXIT_PROBLEMS = 1  # problems in the user's files; every problem is reported
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # Ctrl-C, as a shell reports a command it stopped (128 + SIGINT)


class Terminated(KeyboardInterrupt):
    """SIGTERM, for a command that stops on it as on Ctrl-C (``perfpages serve``, which removes
    its temporary folders): exit status 143, as a shell reports it (128 + SIGTERM)."""

    status = 143


@dataclass(frozen=True)
class SheetPlace:
    """Where in a spreadsheet a problem is: the row as Excel numbers it, and the column."""

    row: int  # as the spreadsheet numbers it (the header is usually row 1)
    column: str = ""  # the header as written; "" for the whole row
    letter: str = ""  # the XLSX column letter, when known
    position: int = -1  # the column's index, to list a row's problems from left to right

    def format(self) -> str:
        """'row 14, column "Actual" (D)', or 'row 14' for the whole row."""
        text = f"row {self.row}"
        if self.column:
            letter = f" ({self.letter})" if self.letter else ""
            text += f', column "{self.column}"{letter}'
        return text


@dataclass(frozen=True)
class Problem:
    """One problem in one of the user's files: a YAML file's line and field, or, with
    ``place``, a spreadsheet's row and column (``line`` 0 and ``field`` "" then)."""

    file: str  # relative to the site folder, with forward slashes; a spreadsheet as given
    line: int  # 1-based; 0 when the problem is about the whole file, or is in a spreadsheet
    field: str  # "values[3].period"; "" for the whole file
    message: str
    severity: Severity = "error"
    code: str = "invalid"
    place: SheetPlace | None = None  # the row and column, for a problem in a spreadsheet

    @classmethod
    def in_sheet(
        cls,
        source: str,
        row: int,
        column: str,
        message: str,
        *,
        letter: str = "",
        position: int = -1,
        severity: Severity = "error",
        code: str = "import.invalid",
    ) -> Problem:
        """A problem in a spreadsheet's cell, in a row (``column`` ""), or, with ``row`` 0, in
        the whole file."""
        place = SheetPlace(row, column, letter, position) if row else None
        return cls(source, 0, "", message, severity, code, place)

    @property
    def where(self) -> str:
        """As printed: ``a.yml:12``, ``q3.csv:row 14, column "Actual" (D)``, or the file."""
        if self.place is not None:
            return f"{self.file}:{self.place.format()}"
        return f"{self.file}:{self.line}" if self.line else self.file

    @property
    def sort_key(self) -> tuple[str, int, int, int, str, str, str]:
        """By file, then line, or row and a row's columns from left to right; then field."""
        place = self.place or SheetPlace(0)
        return (
            self.file,
            self.line,
            place.row,
            place.position,
            place.column,
            self.field,
            self.message,
        )

    def format(self) -> str:
        field = f" {self.field}:" if self.field else ""
        prefix = " warning:" if self.severity == "warning" else ""
        return f"{self.where}:{field}{prefix} {self.message}"

    def github(self, prefix: str = "") -> str:
        """A GitHub Actions workflow command, shown on the changed line of a pull request.

        GitHub reads ``file`` from the repository's root: ``prefix`` is the site folder's
        path from there ("" when the site is the repository itself). A spreadsheet has no
        lines GitHub can show, so its row and column begin the text.
        """
        kind = "error" if self.severity == "error" else "warning"
        text = f"{self.field}: {self.message}" if self.field else self.message
        if self.place is not None:
            text = f"{self.place.format()}: {text}"
        # Workflow commands end at a newline and treat % specially; properties also end
        # at a comma and the value at "::".
        text = _escape_data(text)
        file = _escape_data(prefix + self.file).replace(",", "%2C").replace(":", "%3A")
        line = f",line={self.line}" if self.line else ""
        return f"::{kind} file={file}{line}::{text}"


def json_fields(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``dataclasses.asdict``'s ``dict_factory`` for problems and what holds them: a problem
    with no spreadsheet place leaves ``place`` out, so a YAML problem's JSON is as it was."""
    return {key: value for key, value in pairs if not (key == "place" and value is None)}


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
        return iter(sorted(set(self._items), key=lambda p: p.sort_key))

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
        return json.dumps(
            [asdict(p, dict_factory=json_fields) for p in self], indent=2, ensure_ascii=False
        )


# GitLab Code Quality severities: an error stops the build; a warning stops only --strict.
_CODE_QUALITY_SEVERITY = {"error": "critical", "warning": "minor"}


def code_quality(problems: Problems, prefix: str = "") -> str:
    """A GitLab Code Quality report (JSON): each problem on its line of the merge request.

    ``prefix`` is the site folder's path from the repository's root, as for ``github``. The
    fingerprint, by which GitLab tells a problem the merge request brings from one already on
    the target branch, is a hash of the file, field, message and severity, not the line (an
    edit above a problem moves it, and it is the same problem); the same problem twice in a
    file is told apart by its place in the list. The same problems give the same report.
    """
    report = []
    seen: dict[tuple[str, ...], int] = {}
    for p in problems:
        path = prefix + p.file
        text = f"{p.field}: {p.message}" if p.field else p.message
        if p.place is not None:
            text = f"{p.place.format()}: {text}"
        key = (path, p.field, p.message, p.severity, p.code)
        seen[key] = seen.get(key, 0) + 1
        identity = "\0".join((*key, str(seen[key])))
        report.append(
            {
                "description": text,
                "check_name": p.code,
                "fingerprint": hashlib.sha256(identity.encode("utf-8")).hexdigest(),
                "severity": _CODE_QUALITY_SEVERITY[p.severity],
                "location": {"path": path, "lines": {"begin": max(p.line, 1)}},
            }
        )
    return json.dumps(report, indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


class UserError(Exception):
    """A mistake in the user's files or command line that stops the run (reported, no traceback)."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(f"{len(problems.errors)} problem(s)")
        self.problems = problems

    def __reduce__(self) -> tuple[type[UserError], tuple[Problems]]:
        # Raised in a child process (the generator stage of a large build) and sent back whole.
        return type(self), (self.problems,)


class WrongUsage(Exception):
    """A command perfpages refuses before reading or writing anything (exit status 2): the
    message names the path and says what to give instead."""


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
