"""Problems found in a vault: values, never exceptions."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from typing import NamedTuple


class Refused(Exception):
    """What a command could not do, or would not (nothing was written): the message is one
    line for the user. Every such error of netzwerk's is one of these."""


class BadValue(Refused):
    """A value given on the command line that cannot be used (an unknown tier or kind, a
    date that is no date): a usage error, exit status 2."""


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
    "NW111": "unrendered template",
    "NW112": "symbolic link out of the vault",
    "NW113": "file name that is not UTF-8",
    "NW114": "not a regular file",
    "NW120": "a place netzwerk will not write",
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
    "NW501": "ticked digest item names no contact or is dated ahead",
    "NW502": "ticked digest item could not be recorded",
    # Import (the path is the export file's, as named on the command line)
    "NW601": "import file cannot be read",
    "NW602": "not a contacts export netzwerk knows",
    "NW603": "import file is not UTF-8",
    "NW604": "line is not valid UTF-8",
    "NW605": "broken record",
    "NW606": "value is not used",
    "NW607": "record is not a person",
    "NW608": "conflict with the note",
    "NW609": "same name, another person",
    "NW610": "similar name, not merged",
    "NW611": "record fits several notes",
    "NW612": "note could not be updated",
    "NW613": "alias belongs to another contact",
    "NW614": "shares an e-mail address with another contact",
}


_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def one_line(text: str) -> str:
    """`text` with control characters written as escapes (`\n`): on one line, and nothing
    a terminal would take as a command."""
    return _CONTROLS.sub(lambda m: repr(m.group())[1:-1], text)


class Problem(NamedTuple):
    """One problem in one file, printed like a compiler diagnostic."""

    path: str  # relative to the vault root, POSIX separators
    line: int | None  # 1-based file line; None for the whole file
    code: str
    message: str  # lower-case start, no final period
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """`path:line: severity: message [CODE]`, on one line whatever a file name holds."""
        path = one_line(self.path)
        where = path if self.line is None else f"{path}:{self.line}"
        return f"{where}: {self.severity.value}: {one_line(self.message)} [{self.code}]"

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
