"""Problems found in a vault: values, never exceptions."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import NamedTuple


class Refused(Exception):
    """What a command could not do, or would not (nothing was written): the message is one
    line for the user. Every such error of netzwerk's is one of these."""


class Severity(enum.Enum):
    """How bad a problem is; errors make `check` exit 1."""

    ERROR = "error"
    WARNING = "warning"


# Stable codes. The README documents each one; tests assert them.
CODES: dict[str, str] = {
    # Files
    "NW101": "file is not valid UTF-8",
    "NW102": "file cannot be read",
    "NW103": "contact note has no front matter",
    "NW104": "front matter is not terminated",
    "NW105": "front matter does not start on line 1",
    "NW106": "note is too large to read",
    "NW107": "git conflict marker",
    "NW108": "folder named like a note",
    "NW109": "symbolic link loop",
    "NW110": "file name Obsidian cannot link",
    "NW120": "unrendered template",
    # Front matter
    "NW201": "front matter is not valid YAML",
    "NW202": "front matter is not a mapping",
    "NW203": "invalid date",
    "NW204": "value has the wrong type",
    "NW205": "invalid duration",
    "NW206": "unknown tier",
    "NW207": "unknown key that looks like a typo",
    "NW208": "duplicate key",
    "NW209": "value YAML would silently coerce",
    "NW210": "unsupported YAML tag",
    "NW211": "YAML anchor or alias",
    "NW212": "date in the future",
    "NW213": "unquoted wikilink",
    "NW214": "invalid log line",
    "NW215": "note in a journal folder without a date",
    "NW216": "trip note without a place or dates",
    # Across notes
    "NW301": "link to no contact",
    "NW302": "two contacts with the same name or alias",
    # Configuration
    "NW401": "netzwerk.toml does not parse",
    "NW402": "invalid setting in netzwerk.toml",
    # Digests
    "NW501": "ticked digest item names no contact",
    "NW502": "ticked digest item could not be recorded",
}


class Problem(NamedTuple):
    """One problem in one file, printed like a compiler diagnostic."""

    path: str  # relative to the vault root, POSIX separators
    line: int | None  # 1-based file line; None for the whole file
    code: str
    message: str  # lower-case start, no final period
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """`path:line: severity: message [CODE]`."""
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity.value}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.code, self.message)


def error(path: str, line: int | None, code: str, message: str) -> Problem:
    return Problem(path, line, code, message, Severity.ERROR)


def warning(path: str, line: int | None, code: str, message: str) -> Problem:
    return Problem(path, line, code, message, Severity.WARNING)


# A problem as plain values (path, line, code, message, severity), for marshal: how the index
# stores problems and how a helper process sends them.
PlainProblem = tuple[str, "int | None", str, str, str]


def plain(problems: Iterable[Problem]) -> tuple[PlainProblem, ...]:
    return tuple((p.path, p.line, p.code, p.message, p.severity.value) for p in problems)


def unplain(rows: Iterable[PlainProblem]) -> list[Problem]:
    """The inverse of `plain`."""
    return [Problem(path, line, code, msg, Severity(sev)) for path, line, code, msg, sev in rows]


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sorted by path and line, without duplicates."""
    return sorted(set(problems), key=Problem.sort_key)


def has_errors(problems: Iterable[Problem], *, strict: bool = False) -> bool:
    return any(strict or p.severity is Severity.ERROR for p in problems)


def to_json(problems: Iterable[Problem]) -> str:
    import json  # lazily: most output is text

    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)
