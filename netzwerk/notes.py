"""Read one note: front matter and body with file line numbers, typed into the model.

The front matter is split off by python-frontmatter, with a handler that reads it as Obsidian
does and composes it with PyYAML's C parser: every key keeps its file line, nothing is
constructed (no tag can run code, no alias is expanded), and the body stays byte for byte.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple

import yaml
from frontmatter.default_handlers import YAMLHandler

from netzwerk import body
from netzwerk.config import Config
from netzwerk.model import (
    BOOL_WORDS,
    DURATION_HINT,
    KNOWN_KEYS,
    LIST_KEYS,
    TEXT_KEYS,
    YEAR_OR_MONTH,
    Birthday,
    Contact,
    Duration,
    JournalNote,
    Mention,
    Note,
    Trip,
    parse_date,
    title_of,
)
from netzwerk.problems import Problem, error, warning
from netzwerk.text import suggest

# PyYAML's C parser; the pure-Python one is a slow fallback.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_NOTE_BYTES = 2 * 1024 * 1024

# YAML 1.1 also resolves a plain `=` to "value" and `<<` to "merge": to netzwerk both are text.
_STD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "value", "merge")
}
_CONFLICT = re.compile(r"^(<{7}(?: .*)?|={7}|>{7}(?: .*)?|\|{7}(?: .*)?)$")
_YEARLESS = re.compile(r"^(?:--|XXXX-|xxxx-|)([0-9]{2})-([0-9]{2})$")


# --- front matter -------------------------------------------------------------------------


class FrontMatter(YAMLHandler):
    """python-frontmatter's YAML handler, reading front matter as Obsidian does: a `---` on
    line 1, up to the next `---` (or `...`) line. `split` keeps the body byte for byte (the
    stock handler strips it); `load` composes the YAML with file lines instead of loading it.
    """

    FM_BOUNDARY = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)

    def detect(self, text: str) -> bool:
        end = text.find("\n")
        return text.startswith("---") and not text[3 : end if end >= 0 else None].strip()

    def split(self, text: str) -> tuple[str, str]:
        """(front matter, body); ValueError when the front matter is not closed."""
        start = text.find("\n") + 1
        close = self.FM_BOUNDARY.search(text, start) if start else None
        if close is None:
            raise ValueError("front matter is not terminated")
        return text[start : max(start, close.start() - 1)], text[close.end() + 1 :]

    def load(self, fm: str, **kwargs: object) -> Any:
        """The YAML node tree of the front matter (PyYAML's composer: no object is built)."""
        return yaml.compose(fm, Loader=_LOADER)


HANDLER = FrontMatter()


class Split(NamedTuple):
    """A note's text cut into front matter and body."""

    front: str | None  # the YAML between the fences, LF line endings
    body: str
    body_line: int  # file line of the body's first line
    problems: tuple[Problem, ...] = ()
    fatal: bool = False  # the front matter could not be delimited


def decode(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 (a BOM tolerated) with LF line endings, or a problem."""
    if len(raw) > MAX_NOTE_BYTES:
        limit = MAX_NOTE_BYTES // (1024 * 1024)
        return None, [warning(path, None, "NW106", f"note is over the {limit} MiB limit; not read")]
    bom = 3 if raw[:3] == b"\xef\xbb\xbf" else 0
    try:
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start + bom].count(b"\n") + 1
        byte = raw[exc.start + bom]
        message = f"file is not valid UTF-8 (byte 0x{byte:02x}); save it as UTF-8"
        return None, [error(path, line, "NW101", message)]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []


def conflict_markers(path: str, text: str) -> list[Problem]:
    """A problem for each git conflict marker line."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text and "=======" not in text:
        return []
    return [
        error(path, number, "NW107", "git conflict marker; resolve the merge conflict")
        for number, line in enumerate(text.split("\n"), 1)
        if _CONFLICT.match(line.rstrip())
    ]


def split(path: str, text: str) -> Split:
    """Find the front matter, which Obsidian only reads when it starts on line 1."""
    if HANDLER.detect(text):
        try:
            front, body = HANDLER.split(text)
        except ValueError:
            problem = error(
                path, 1, "NW104", "front matter is not terminated: no closing '---' line"
            )
            return Split(None, text, 1, (problem,), fatal=True)
        head = text[: len(text) - len(body)]  # up to the closing line, perhaps at the end
        return Split(front, body, head.count("\n") + (1 if head.endswith("\n") else 2))
    stripped = text.lstrip("\n \t")
    if stripped.startswith("---\n") and "\n---" in stripped[3:]:
        line = text[: len(text) - len(stripped)].count("\n") + 1
        message = "front matter must start on line 1; remove what stands before '---'"
        return Split(None, text, 1, (error(path, line, "NW105", message),), fatal=True)
    return Split(None, text, 1)


# A placeholder as a whole line: a property's value, a heading, a list item.
_WHOLE_PLACEHOLDER = re.compile(
    r"^(?:[\w\- ]+:[ \t]*|#+[ \t]+|-[ \t]+)?[\"']?"
    r"(\{\{[^{}\n]*\}\}|<%[^%\n]*%>)"
    r"[\"']?[ \t]*$",
    re.M,
)


# Templater's commands are never left in a note it rendered, wherever they stand.
_TEMPLATER = re.compile(r"(<%[-_*+]?(?:[^%]|%(?!>))*%>)")


def unrendered(path: str, text: str) -> tuple[str, int | None] | None:
    """A note that is an unrendered template: a placeholder (`{{title}}`) as a whole value,
    title or heading, as the core Templates plugin writes them, or a Templater command
    (`<% tp.date.now() %>`) anywhere; the placeholder it holds, or None. A placeholder inside
    text (`Vue {{ x }}`) is text. Returns the placeholder and its file line.
    """
    name = path.rsplit("/", 1)[-1]
    if "{{" in name or "<%" in name:
        return name, None
    if "{{" not in text and "<%" not in text:
        return None
    found = _WHOLE_PLACEHOLDER.search(text) or _TEMPLATER.search(text)
    if found is None:
        return None
    return " ".join(found.group(1).split()), text.count("\n", 0, found.start(1)) + 1


class Scalar(NamedTuple):
    """A scalar of the front matter: its text, line, whether it was written plain, and the
    type YAML 1.1 gives it ("str", "int", "float", "bool", "null", "timestamp", …)."""

    value: str
    line: int
    plain: bool
    tag: str


class Seq(NamedTuple):
    """A list of the front matter."""

    items: tuple[Node, ...]
    line: int


class Map(NamedTuple):
    """A mapping nested in the front matter (netzwerk's keys never hold one)."""

    line: int


Node = Scalar | Seq | Map
Entry = tuple[str, int, Node]  # key, key line, value

# YAML also breaks lines at NEL, LS and PS, which editors don't: then count file lines by "\n".
_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")


def _file_line(front: str) -> Callable[[Any], int]:
    """A YAML mark's file line (the front matter starts on line 2)."""
    if _YAML_BREAKS.search(front) is None:
        return lambda mark: int(mark.line) + 2
    return lambda mark: front.count("\n", 0, int(mark.index)) + 2


def read_front(path: str, front: str) -> tuple[list[Entry] | None, list[Problem]]:
    """The front matter's top-level entries with their file lines; None when it cannot be read.

    Aliases and foreign tags are reported, never built.
    """
    quick = quick_entries(front)
    if quick is not None:
        return quick, []
    line_of = _file_line(front)
    try:
        root = HANDLER.load(front)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_of(mark) if mark is not None else 1
        reason = exc.problem or exc.context or "invalid YAML"
        return None, [error(path, line, "NW201", f"front matter is not valid YAML: {reason}")]
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: where it stands
        line = front.count("\n", 0, max(0, int(exc.position))) + 2
        what = f"#x{exc.character:04x}" if isinstance(exc.character, int) else "a character"
        message = f"front matter is not valid YAML: {what} is a control character YAML refuses"
        return None, [error(path, line, "NW201", message)]
    except yaml.YAMLError as exc:
        message = f"front matter is not valid YAML: {' '.join(str(exc).split())}"
        return None, [error(path, 1, "NW201", message)]
    except RecursionError:
        return None, [error(path, 1, "NW201", "front matter is nested too deeply")]
    if root is None:
        return [], []
    if not isinstance(root, yaml.MappingNode):
        return None, [error(path, 2, "NW202", "front matter must be a list of `key: value` lines")]
    problems: list[Problem] = []
    entries: list[Entry] = []
    seen: set[int] = set()  # shared by all keys: `tags: *x` reuses another key's node
    for key_node, value_node in root.value:
        line = line_of(key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(error(path, line, "NW204", "a key must be a plain name"))
            continue
        key = str(key_node.value)
        value = _convert(path, key, line, value_node, seen, problems, line_of)
        if isinstance(value, Seq | Map):
            value = value._replace(line=line)  # a block list starts below its key: report the key
        if value is not None:
            entries.append((key, line, value))
    return entries, problems


def _convert(
    path: str,
    key: str,
    key_line: int,
    node: yaml.Node,
    seen: set[int],
    problems: list[Problem],
    line_of: Callable[[Any], int],
) -> Node | None:
    """A composed YAML node as a Node; aliases and foreign tags are refused, never built."""
    if id(node) in seen:
        # An alias is the anchored node itself, marked where the anchor is: report the key.
        message = f"{key}: YAML aliases (*name) are not supported; write the value out"
        problems.append(error(path, key_line, "NW211", message))
        return None
    line = line_of(node.start_mark)
    seen.add(id(node))
    if node.tag not in _STD_TAGS:
        message = f"{key}: unsupported YAML tag {node.tag!r}; ignored"
        problems.append(error(path, line, "NW210", message))
        return None
    if isinstance(node, yaml.ScalarNode):
        return Scalar(str(node.value), line, not node.style, str(node.tag).rsplit(":", 1)[-1])
    if isinstance(node, yaml.SequenceNode):
        items = []
        for item in node.value:
            converted = _convert(path, key, key_line, item, seen, problems, line_of)
            if converted is None:
                return None
            items.append(converted)
        return Seq(tuple(items), line)
    for k, v in node.value:
        for part in (k, v):
            if _convert(path, key, key_line, part, seen, problems, line_of) is None:
                return None
    return Map(line)


@functools.lru_cache(maxsize=4096)  # dates, numbers and words repeat
def resolve(value: str) -> str:
    """The type YAML 1.1 gives a plain scalar ("str", "int", "bool", "null", …), by PyYAML's
    own table of implicit types."""
    for tag, regexp in yaml.resolver.Resolver.yaml_implicit_resolvers.get(value[:1], ()):
        if regexp.match(value):
            return str(tag).rsplit(":", 1)[-1]
    return "str"


# The quick reader. Most front matter is `key: value` lines and `  - item` lists: this reads
# exactly that subset (`_FAST_LINES`, in one pass) and gives up (None) on anything else, which
# then goes through PyYAML's composer. It reads a note in half the time the composer takes
# (most of a cold run is reading notes); tests/test_notes.py checks that both agree.
_INDICATORS = frozenset("?:,[]{}#&*!|>'\"%@`")
# Tabs, and characters YAML reads as line breaks (NEL, LS, PS) or refuses (controls, BOM).
_FAST_REFUSE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


# A one-line plain scalar that needs no second look: no indicator first, no colon, no comment.
_SIMPLE_PLAIN = re.compile(r"[^\-?:,\[\]{}#&*!|>'\"%@`\s][^:#]*")


def _plain(text: str, line: int) -> Scalar:
    """A plain scalar with the type YAML 1.1 gives it."""
    return Scalar(text, line, True, resolve(text) if text[:1] in _MAYBE_TYPED else "str")


# The first characters of plain scalars YAML may read as more than text (and "" for none).
_MAYBE_TYPED = frozenset(yaml.resolver.Resolver.yaml_implicit_resolvers)


def _fast_scalar(text: str, line: int) -> Scalar | None:
    """A one-line scalar with an optional comment; None when it is anything more."""
    if not text:
        return Scalar("", line, True, "null")
    if _SIMPLE_PLAIN.fullmatch(text):
        return _plain(text, line)
    first = text[0]
    if first == '"':
        end = text.find('"', 1)
        if end < 0 or "\\" in text[:end]:
            return None
        rest = text[end + 1 :].strip()
        if rest and not rest.startswith("#"):
            return None
        return Scalar(text[1:end], line, False, "str")
    if first == "'":
        index = 1
        while True:
            end = text.find("'", index)
            if end < 0:
                return None
            if text[end + 1 : end + 2] == "'":
                index = end + 2
                continue
            break
        rest = text[end + 1 :].strip()
        if rest and not rest.startswith("#"):
            return None
        return Scalar(text[1:end].replace("''", "'"), line, False, "str")
    if first in _INDICATORS or (first == "-" and text[1:2] in ("", " ")):
        return None
    comment = text.find(" #")
    if comment >= 0:
        text = text[:comment]
    text = text.rstrip()
    if ": " in text or text.endswith(":") or "\t" in text:
        return None
    return _plain(text, line)


def _fast_flow(text: str, line: int) -> Seq | None:
    """`[a, "b", c]` on one line, with simple items only."""
    close = text.rfind("]")
    if close < 0 or text[close + 1 :].strip()[:1] not in ("", "#"):
        return None
    inner = text[1:close]
    if any(c in inner for c in "[]{}#\\"):
        return None
    if not inner.strip():
        return Seq((), line)
    items: list[Node] = []
    parts = inner.split(",")
    if len(parts) > 1 and not parts[-1].strip():
        parts.pop()  # one trailing comma, as YAML allows
    for raw in parts:
        part = raw.strip()
        if not part:
            return None  # `[,]`, `[a,,b]`: YAML refuses an empty entry
        if part[0] in "\"'":
            if len(part) < 2 or part[-1] != part[0] or part[0] in part[1:-1]:
                return None
            items.append(Scalar(part[1:-1], line, False, "str"))
        elif (
            part[0] in _INDICATORS
            or ": " in part
            or part.endswith(":")
            or (part[0] == "-" and part[1:2] in ("", " "))
        ):
            return None
        else:
            items.append(_plain(part, line))
    return Seq(tuple(items), line)


# A plain scalar that is text as it stands (`_SIMPLE_PLAIN`), without the spaces after it.
_SIMPLE = r"([^\-?:,\[\]{}#&*!|>'\"%@`\s](?:[^:#\n]*[^:#\s])?)[ ]*$"
# A double-quoted scalar without escapes, quotes kept (so that `""` is seen), maybe a comment.
_QUOTED = r'("[^"\\\n]*")[ ]*(?:\#.*)?$'
# Each line of front matter, as one of: a key (1) with a simple value (2), a quoted one (3) or
# another (4); a list item (5, its indent and dash) with a simple value (6), a quoted one (7)
# or another (8); a blank line or a comment at the start of a line (no group); anything else
# (9), an indented comment too.
_FAST_LINES = re.compile(
    rf"^(?:([A-Za-z_][\w\-.]*(?:[ ]+[\w\-.]+)*)[ ]*:(?:[ ]+(?:{_SIMPLE}|{_QUOTED}|(.*)))?"
    rf"|( *-)(?:[ ]+(?:{_SIMPLE}|{_QUOTED}|(.*)))?|[ ]*|\#.*|(.+))$",
    re.M,
)


def _fast_rows(front: str) -> list[tuple[str, ...]] | None:
    """Each line of the front matter as `_FAST_LINES` splits it; None when a line is not in
    the subset, or anchors and aliases or control characters need the full parser."""
    if ("&" in front and "*" in front) or _FAST_REFUSE.search(front):
        return None
    rows: list[tuple[str, ...]] = _FAST_LINES.findall(front)
    return rows if len(rows) == front.count("\n") + 1 else None


def quick_entries(front: str, first_line: int = 2) -> list[Entry] | None:
    """The front matter's top-level entries, or None when it needs the full YAML parser."""
    rows = _fast_rows(front)
    if rows is None:
        return None
    count = len(rows)
    entries: list[Entry] = []
    scalar = _fast_scalar
    i = 0
    while i < count:
        key, simple, quoted, rest, dash, _, _, _, other = rows[i]
        i += 1
        if not key:
            if dash or (other and not other.isspace()):
                # An item without a key, an indented comment, a scalar continued on an indented
                # line, not YAML's subset: PyYAML reads it.
                return None
            continue
        number = first_line + i - 1
        node: Node | None
        if simple:
            entries.append((key, number, _plain(simple, number)))
            continue
        if quoted:
            entries.append((key, number, Scalar(quoted[1:-1], number, False, "str")))
            continue
        if rest:
            rest = rest.strip()
            if rest and rest[0] != "#":
                node = _fast_flow(rest, number) if rest[0] == "[" else scalar(rest, number)
                if node is None:
                    return None
                entries.append((key, number, node))
                continue
        items: list[Node] = []
        indent = -1
        while i < count:
            starts, _, _, _, dash, simple, quoted, value, other = rows[i]
            if not dash:
                if starts:  # the next key
                    break
                if other and not other.isspace():
                    return None  # a nested mapping, a scalar over several lines, …
                i += 1  # a blank line or a comment
                continue
            if indent < 0:
                indent = len(dash)
            elif len(dash) != indent:
                return None
            i += 1
            if simple:
                items.append(_plain(simple, first_line + i - 1))
                continue
            if quoted:
                items.append(Scalar(quoted[1:-1], first_line + i - 1, False, "str"))
                continue
            if value:
                value = value.strip()
                if value[:1] in ("[", "{"):
                    return None
            found = scalar(value, first_line + i - 1)
            if found is None:
                return None
            items.append(found)
        if items:
            entries.append((key, number, Seq(tuple(items), number)))
        else:
            entries.append((key, number, Scalar("", number, True, "null")))
    return entries


# --- typed values --------------------------------------------------------------------------


def _coerced(node: Scalar) -> str | None:
    """What YAML would turn a plain scalar into, when that differs from its text."""
    if not node.plain:
        return None
    tag, text = node.tag, node.value
    if tag == "bool":
        if text in ("true", "false"):
            return None
        return "true" if BOOL_WORDS.get(text.lower()) else "false"
    if tag == "int":
        try:
            number = yaml.load(text, Loader=_LOADER)
        except yaml.YAMLError:
            return None
        return None if str(number) == text else f"the number {number}"
    if tag == "float":
        try:
            number = float(text.replace("_", ""))
        except ValueError:
            return None
        return None if repr(number) == text else f"the number {number!r}"
    return None


@functools.lru_cache(maxsize=16384)  # birthdays repeat, and a Birthday cannot change
def parse_birthday(value: str) -> Birthday | None:
    """A full date, or `--MM-DD`, `MM-DD`, `XXXX-MM-DD` without the year."""
    full = parse_date(value)
    if full is not None:
        return Birthday(full.month, full.day, full.year)
    match = _YEARLESS.match(value.strip())
    if match is None:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    try:
        date(2000, month, day)  # a leap year, so 29 February is valid
    except ValueError:
        return None
    return Birthday(month, day, None)


class _Reader:
    """Turns front-matter entries into typed values, collecting problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def report(self, line: int, code: str, message: str, *, severe: bool = True) -> None:
        make = error if severe else warning
        self.problems.append(make(self.path, line, code, message))

    # Typed readers. Each returns None for an empty value or after reporting a problem.

    def scalar(self, node: Node, key: str) -> str | None:
        if isinstance(node, Scalar):
            if node.plain and node.tag == "null":
                return None
            return node.value.strip() or None
        if isinstance(node, Seq) and len(node.items) == 1:
            # `key: [[Paul]]` is a nested list to YAML: an unquoted wikilink. (`tier: [10]` is
            # a list, reported: taking its item would hide what YAML reads.)
            inner = node.items[0]
            link = self.unquoted_link(inner, key, node.line)
            if link is not None:
                return link
            if isinstance(inner, Scalar) and inner.value.strip().startswith("[["):
                return inner.value.strip()  # a link in a list, as Obsidian writes a link type
        kind = "a list" if isinstance(node, Seq) else "a mapping"
        self.report(node.line, "NW204", f"{key} must be a single value, not {kind}")
        return None

    @staticmethod
    def is_unquoted_link(node: Node) -> bool:
        """`key: [[Paul]]`, which YAML reads as a list holding a list holding a name."""
        return (
            isinstance(node, Seq)
            and len(node.items) == 1
            and isinstance(node.items[0], Seq)
            and len(node.items[0].items) == 1
            and isinstance(node.items[0].items[0], Scalar)
        )

    def unquoted_link(self, node: Node, key: str, line: int) -> str | None:
        """`[[Paul]]` written without quotes, which YAML reads as a list in a list."""
        if not (isinstance(node, Seq) and len(node.items) == 1):
            return None
        inner = node.items[0]
        if not isinstance(inner, Scalar):
            return None
        message = f'{key}: unquoted wikilink; write it in quotes: "[[{inner.value}]]"'
        self.report(line, "NW213", message, severe=False)
        return f"[[{inner.value}]]"

    def text(self, node: Node, key: str) -> str | None:
        value = self.scalar(node, key)
        if value is not None and isinstance(node, Scalar):
            self.check_coercion(node, key)
        return value

    def check_coercion(self, node: Scalar, key: str) -> None:
        coerced = _coerced(node)
        if coerced is not None:
            self.report(
                node.line,
                "NW209",
                f"{key}: YAML reads {node.value} as {coerced}; put it in quotes: "
                f'{key}: "{node.value}"',
                severe=False,
            )

    def date(self, node: Node, key: str) -> date | None:
        value = self.scalar(node, key)
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.report(node.line, "NW203", f"{key} is not a date: {value!r}; write YYYY-MM-DD")
        return parsed

    def birthday(self, node: Node, key: str) -> Birthday | None:
        value = self.scalar(node, key)
        if value is None:
            return None
        parsed = parse_birthday(value)
        if parsed is None:
            self.report(
                node.line,
                "NW203",
                f"{key} is not a date: {value!r}; write YYYY-MM-DD, or --MM-DD without the year",
            )
        return parsed

    def died(self, node: Node, key: str) -> str | None:
        """`died: 1852-11-27` (a date and time as its date; or a month, a year) as written, ""
        for `true`; None for `false` or nothing. A value that is none of these is reported and
        still means someone has died: wishing them a happy birthday would be the worse error."""
        if not isinstance(node, Scalar):
            self.scalar(node, key)  # (reports it, or reads a link written without quotes)
            return ""
        value = self.scalar(node, key)
        if value is None:
            return None
        word = BOOL_WORDS.get(value.lower())
        if word is not None:
            return "" if word else None
        if YEAR_OR_MONTH.fullmatch(value):
            return value
        day = parse_date(value)
        if day is not None:
            return day.isoformat()
        self.report(
            node.line,
            "NW203",
            f"{key} is not a date: {value!r}; write YYYY-MM-DD, a year or true (read as died)",
        )
        return value

    def duration(self, node: Node, key: str) -> Duration | None:
        value = self.scalar(node, key)
        if value is None or value.casefold() == "custom":
            return None  # `custom`: no cadence of its own (next_contact sets the date)
        parsed = Duration.parse(value)
        if parsed is None or (parsed.count == 0 and not parsed.never):
            self.report(node.line, "NW205", f"{key} is not a duration: {value!r}; {DURATION_HINT}")
            return None
        return parsed

    def boolean(self, node: Node, key: str) -> bool | None:
        value = self.scalar(node, key)
        if value is None:
            return None
        if value.lower() in BOOL_WORDS:
            return BOOL_WORDS[value.lower()]
        self.report(node.line, "NW204", f"{key} must be true or false, not {value!r}")
        return None

    def items(self, node: Node, key: str) -> list[tuple[str, int]]:
        """A list's items with their lines; a single string is a one-item list."""
        if isinstance(node, Scalar):
            value = self.text(node, key)
            if value is None:
                return []
            if key == "tags":
                return [(p, node.line) for p in re.split(r"[,\s]+", value) if p]
            return [(value, node.line)]
        if isinstance(node, Map):
            self.report(node.line, "NW204", f"{key} must be a list, not a mapping")
            return []
        result: list[tuple[str, int]] = []
        for entry in node.items:
            if type(entry) is Scalar and entry.tag == "str":  # text as written: nothing to check
                value = entry.value.strip()
                if value:
                    result.append((value, entry.line))
                continue
            item = entry
            if isinstance(item, Seq) and len(item.items) == 1 and isinstance(item.items[0], Seq):
                item = item.items[0]  # `- [[Anna]]`: a list in a list
            link = self.unquoted_link(item, key, item.line)
            if link is not None:
                result.append((link, item.line))
                continue
            if not isinstance(item, Scalar):
                self.report(item.line, "NW204", f"{key}: each item must be a single value")
                continue
            value = self.text(item, key)
            if value is not None:
                result.append((value, item.line))
        return result


_READERS: dict[str, Callable[[_Reader, Node, str], Any]] = {
    "tier": _Reader.scalar,
    "last_contact": _Reader.date,
    "snooze_until": _Reader.date,
    "next_contact": _Reader.date,
    "cadence": _Reader.duration,
    "paused": _Reader.boolean,
    "birthday": _Reader.birthday,
    "died": _Reader.died,
    "introduced_by": _Reader.scalar,
    "greetings": _Reader.boolean,
}


@functools.lru_cache(maxsize=1024)
def _typo_of(key: str) -> str | None:
    """The known key an unknown one looks like a typo of."""
    normal = key.strip().lower().replace("-", "_").replace(" ", "_")
    if normal in KNOWN_KEYS:
        return normal
    squashed = {k.replace("_", ""): k for k in KNOWN_KEYS}
    if normal.replace("_", "") in squashed:
        return squashed[normal.replace("_", "")]
    close = suggest(normal, KNOWN_KEYS, cutoff=0.8)
    if not close or normal.startswith(f"{close[0]}_") or normal.endswith(f"_{close[0]}"):
        return None  # `linkedin_id`, `work_email`: a property of its own, not a typo
    return close[0]


# --- what a note is ------------------------------------------------------------------------

_DATE_NAME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")


def never_a_person(path: str) -> bool:
    """Notes that are never people, wherever they are: one named by a date (a chat or meeting
    note filed beside a person) and a folder's own note (`People/People.md`)."""
    return bool(_DATE_NAME.match(path.rsplit("/", 1)[-1])) or _folder_note(path)


def _folder_note(path: str) -> bool:
    """A folder's own note, as the Folder notes plugin keeps it (`Daily/Daily.md`)."""
    parts = path.split("/")
    return len(parts) > 1 and parts[-1][:-3] == parts[-2]


def read_note(
    path: str, raw: bytes, kind: str, config: Config
) -> tuple[Contact | JournalNote | Note | None, list[Problem]]:
    """One note: a contact, a journal note or a note of an interaction, another note netzwerk
    reads something from (a trip, a place, open tasks that link people), or nothing netzwerk
    reads (None). `kind` is where it lies: "contact" in a contact folder, "journal" in a
    journal folder, "note" anywhere else.

    Another note's problems are not netzwerk's to report, unless it is a person, a meeting
    or a trip (or a task that links someone has a date that is none).
    """
    text, problems = decode(path, raw)
    if kind == "contact" and never_a_person(path):
        kind = "note"
    # The notes of a trips folder are trips: their problems are reported like a person's.
    reported = kind != "note" or in_folders(path, config.trips)
    if text is None:
        return None, problems if reported else []
    template = unrendered(path, text)
    if template is not None:
        if not reported:
            return None, []
        placeholder, line = template
        message = f"an unrendered template ({placeholder}); not read until it is filled in"
        return None, [warning(path, line, "NW111", message)]
    problems += conflict_markers(path, text)
    parts = split(path, text)
    problems += parts.problems
    front_conflict = any(
        p.code == "NW107" and p.line and p.line < parts.body_line for p in problems
    )
    if parts.fatal or (front_conflict and kind != "journal"):
        return None, problems if reported else []
    entries: list[Entry] = []
    if parts.front is not None and not front_conflict:
        found, front_problems = read_front(path, parts.front)
        if not reported and found is None:
            return None, []
        problems += front_problems
        if found is None and kind == "contact":
            return None, problems
        entries = found or []  # a daily note is dated by its name: its body still counts
    if kind == "note" and _is_person(entries, config) and not never_a_person(path):
        kind = "contact"
    if kind == "contact":
        return _contact(path, parts, entries, config, problems)
    if kind == "note" and (reported or _tagged(entries, config, TRIP_TAG)):
        return _other(path, parts, entries, config, problems, trip=True)
    return _journal(path, parts, entries, config, problems, daily=kind == "journal")


TRIP_TAG = "trip"


def in_folders(path: str, folders: tuple[str, ...]) -> bool:
    """Whether a note lies in one of `folders` (searched recursively; "" is the vault)."""
    return any(
        path.startswith(f"{folder}/") or (not folder and "/" not in path) for folder in folders
    )


def _values(node: Node) -> list[tuple[str, int]]:
    """A property's values as text with their lines: one value, or each item of a list."""
    items: list[Node] = list(node.items) if isinstance(node, Seq) else [node]
    found = []
    for item in items:
        if isinstance(item, Seq) and len(item.items) == 1:
            item = item.items[0]  # `- [[Nice]]` unquoted: a list in a list
        if (
            isinstance(item, Scalar)
            and item.value.strip()
            and not (item.plain and item.tag == "null")
        ):
            found.append((item.value.strip(), item.line))
    return found


def _entry(entries: list[Entry], key: str) -> tuple[int, Node] | None:
    """The first entry of property `key` (ignoring case), with its line."""
    wanted = key.casefold()
    for prop, line, node in entries:
        if prop.casefold() == wanted:
            return line, node
    return None


def _tagged(entries: list[Entry], config: Config, tag: str) -> bool:
    """Whether the note's tags hold `tag` (`#trip`, `trip/2026` too, in any case)."""
    found = _entry(entries, config.key("tags"))
    if found is None:
        return False
    for value, _ in _values(found[1]):
        for part in re.split(r"[,\s]+", value):
            folded = part.lstrip("#").casefold()
            if folded == tag or folded.startswith(tag + "/"):
                return True
    return False


def _other(
    path: str,
    parts: Split,
    entries: list[Entry],
    config: Config,
    problems: list[Problem],
    *,
    trip: bool = False,
) -> tuple[Note | None, list[Problem]]:
    """A note that is neither a person nor dated: what netzwerk reads from it (a trip, its
    place, its open tasks that link someone), or None. Only a trip's own problems and those
    of its tasks are reported."""
    tasks, task_problems = body.open_tasks(path, parts.body, parts.body_line)
    located = _entry(entries, config.key("location"))
    places = [body.link_texts(value)[0] for value, _ in _values(located[1])] if located else []
    places = [place for place in places if place]
    journey: Trip | None = None
    reported = list(task_problems)
    if trip:
        journey, trip_problems = _trip(path, entries, config, places)
        reported = [*problems, *trip_problems, *reported]
    location = ", ".join(places) or None
    if journey is None and location is None and not tasks:
        return None, reported
    return Note(path, location, tasks, journey), reported


def _trip(
    path: str, entries: list[Entry], config: Config, places: list[str]
) -> tuple[Trip | None, list[Problem]]:
    """A trip note's places and dates (`location`, `start`, `end`), or the problem."""
    problems: list[Problem] = []
    days: dict[str, tuple[date | None, int | None]] = {}
    for key in ("start", "end"):
        found = _entry(entries, key)
        values = _values(found[1]) if found is not None else []
        if not values:
            days[key] = (None, found[0] if found else None)
            continue
        written, line = values[0]
        day = parse_date(written)
        if day is None:
            problems.append(
                error(path, line, "NW203", f"{key} is not a date: {written!r}; write YYYY-MM-DD")
            )
        days[key] = (day, line)
    start, start_line = days["start"]
    end, end_line = days["end"]
    if not places:
        message = (
            f"a trip needs a {config.key('location')}: the place it goes to, or a list of places"
        )
        problems.append(warning(path, None, "NW216", message))
    if start is None and not any(p.code == "NW203" for p in problems):
        problems.append(
            warning(
                path,
                None,
                "NW216",
                "a trip needs a start date (and an end date if it lasts more than a day)",
            )
        )
    if start is not None and end is not None and end < start:
        message = (
            f"the trip ends before it starts: end {end.isoformat()}, start {start.isoformat()}"
        )
        problems.append(warning(path, end_line or start_line, "NW216", message))
        return None, problems
    if start is None or not places:
        return None, problems
    return Trip(tuple(places), start, end or start), problems


def _is_person(entries: list[Entry], config: Config) -> bool:
    """Whether the front matter matches one of the rules of `contacts_where`."""
    if not config.contacts_where:
        return False
    values: dict[str, list[str]] = {}
    for key, _, node in entries:
        values.setdefault(key.casefold(), []).extend(rule_values(node))
    return any(rule.matches(values.get(rule.key, ())) for rule in config.contacts_where)


def rule_values(node: Node) -> list[str]:
    """A property's values as `contacts_where` rules compare them: its text, or its items'."""
    if isinstance(node, Scalar):
        return [node.value]
    values = []
    if isinstance(node, Seq):
        for item in node.items:
            if isinstance(item, Seq) and len(item.items) == 1:
                item = item.items[0]  # `- [[People]]` unquoted: a list in a list
            if isinstance(item, Scalar):
                values.append(item.value)
    return values


# A first line as front matter starts: a property name and a colon (the fence forgotten).
_PROPERTY_LINE = re.compile(r"[A-Za-z_][\w\-. ]*:(?:[ ].*)?")


def _unopened_front(body: str) -> int | None:
    """The line (0 for the body's first) of a `---` that closes front matter whose opening
    `---` is missing: the body starts with a `key:` line and a `---` line follows before any
    blank line or heading; None otherwise."""
    lines = body.split("\n", 200)[:200]
    if not lines or not _PROPERTY_LINE.fullmatch(lines[0]):
        return None
    for number, line in enumerate(lines[1:], 1):
        if line.rstrip() == "---":
            return number
        if not line.strip() or line.startswith("#"):
            return None
    return None


def _contact(
    path: str, parts: Split, entries: list[Entry], config: Config, problems: list[Problem]
) -> tuple[Contact, list[Problem]]:
    fields: dict[str, Any] = {}
    lines: dict[str, int] = {}
    extra: dict[str, str] = {}
    refs: dict[str, tuple[str, ...]] = {}
    if parts.front is None:
        closing = _unopened_front(parts.body)
        if closing is not None:  # `key: value` lines up to a `---`, but no `---` above them
            message = (
                f"front matter without its opening --- (line {parts.body_line + closing} "
                "closes it): Obsidian and netzwerk read it as text; add --- as the first line"
            )
        else:
            message = "contact note has no front matter; add a tier to schedule it"
        problems.append(warning(path, 1, "NW103", message))
    else:
        reader = _Reader(path)
        _read_entries(reader, entries, config.keys, fields, lines, extra, refs)
        problems += reader.problems
    log, log_problems = body.parse_log(path, parts.body, parts.body_line, config.log_headings)
    problems += log_problems
    related = body.parse_connections(parts.body, parts.body_line, config.connection_headings)
    tasks, task_problems = body.open_tasks(path, parts.body, parts.body_line, own=True)
    problems += task_problems
    name = title_of(path)
    display = fields.pop("name", None)
    contact = Contact(
        name=name,
        path=path,
        log=log,
        body=parts.body,
        lines=lines,
        extra=extra,
        display=display if display and display != name else None,
        refs=refs,
        related=related,
        tasks=tasks,
        **fields,
    )
    return contact, problems


def _read_entries(
    reader: _Reader,
    entries: list[Entry],
    keys: Mapping[str, str],
    fields: dict[str, Any],
    lines: dict[str, int],
    extra: dict[str, str],
    refs: dict[str, tuple[str, ...]],
) -> None:
    """The known keys into `fields` (typed) and `lines`, unknown ones into `extra`. Property
    names are compared ignoring case, as Obsidian does; `[keys]` maps netzwerk's to them."""
    by_property = _key_map(tuple(keys.items())) if keys else _OWN_KEYS
    seen: dict[str, tuple[str, int]] = {}
    for prop, line, node in entries:
        folded = prop.casefold()
        if folded in seen:
            first, first_line = seen[folded]
            same = f"duplicate key {prop!r}" if first == prop else f"key {prop!r} repeats {first!r}"
            reader.report(
                line, "NW208", f"{same} (first on line {first_line}); the first one is used"
            )
            continue
        seen[folded] = (prop, line)
        key = by_property.get(folded)
        if key is None:
            _read_unknown(reader, prop, line, node, extra, keys)
            continue
        lines[key] = line
        if key in LIST_KEYS:
            found: list[str] = []
            targets: list[str] = []
            for item, item_line in reader.items(node, prop):
                if key == "knows":
                    target = body.link_target(item)
                    if target:
                        lines[f"knows[{len(found)}]"] = item_line
                        found.append(target)
                    continue
                if key in _LINKED_LISTS and "[[" in item:
                    item, linked = body.link_texts(item)
                    targets += linked
                if item:
                    found.append(item)
            fields[key] = tuple(found)
            if targets:
                refs[key] = tuple(targets)
            continue
        if key in TEXT_KEYS:
            value, shown_links = _text(reader, node, prop)
            if shown_links:
                refs[key] = shown_links
        else:
            value = _READERS[key](reader, node, prop)
        if value is None:
            continue
        if key == "introduced_by":
            value = body.link_target(value)
        fields[key] = value


# A property's name, ignoring case -> netzwerk's key it holds.
_OWN_KEYS = {key: key for key in KNOWN_KEYS}


@functools.lru_cache(maxsize=8)
def _key_map(keys: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """`_OWN_KEYS` with `[keys]`: a mapped key is read from the vault's name only."""
    found = {key: key for key in KNOWN_KEYS if key not in dict(keys)}
    found.update({prop.casefold(): key for key, prop in keys if key in KNOWN_KEYS})
    return found


# List keys whose items may be links shown as text (tags, aliases and knows are names).
_LINKED_LISTS = frozenset({"interests", "needs", "offers", "address"})


def _text(reader: _Reader, node: Node, key: str) -> tuple[str | None, tuple[str, ...]]:
    """A text key's value as shown (`[[Tree Company]]` as Tree Company; a list of values
    joined with commas), and the notes it links to."""
    if type(node) is Scalar and node.tag == "str" and "[[" not in node.value:
        return node.value.strip() or None, ()  # text as written: nothing to check
    if isinstance(node, Seq) and not reader.is_unquoted_link(node):
        values = [value for value, _ in reader.items(node, key)]
    else:
        value = reader.text(node, key)
        values = [value] if value is not None else []
    shown: list[str] = []
    targets: list[str] = []
    for value in values:
        text, linked = body.link_texts(value)
        if text:
            shown.append(text)
        targets += linked
    return (", ".join(shown) or None), tuple(targets)


def _read_unknown(
    reader: _Reader,
    prop: str,
    line: int,
    node: Node,
    extra: dict[str, str],
    keys: Mapping[str, str],
) -> None:
    typo = _typo_of(prop)
    if typo is not None:
        typo = keys.get(typo, typo)  # suggest the name this vault uses (`[keys]`)
        if typo.casefold() != prop.casefold():
            message = f"unknown key {prop!r}; did you mean {typo!r}?"
            reader.report(line, "NW207", message, severe=False)
    if isinstance(node, Scalar):
        reader.check_coercion(node, prop)
        if node.value and not (node.plain and node.tag == "null"):
            extra[prop] = node.value
    elif isinstance(node, Seq):
        values = []
        for item in node.items:
            if isinstance(item, Scalar):
                reader.check_coercion(item, prop)
                values.append(item.value)
        extra[prop] = ", ".join(values)


# --- journal and interaction notes ---------------------------------------------------------


def _journal(
    path: str,
    parts: Split,
    entries: list[Entry],
    config: Config,
    problems: list[Problem],
    *,
    daily: bool,
) -> tuple[JournalNote | Note | None, list[Problem]]:
    """A dated note: a journal (daily) note, or another note naming people it was with; for
    another note, what else netzwerk reads from it (`_other`)."""
    day, date_problem = _note_date(path, entries, config, daily=daily)
    people = _people(entries, config)
    heading_people = _heading_people(parts, config)
    if not daily and not people and not heading_people:
        return _other(path, parts, entries, config, problems)  # not an interaction
    if day is None:
        if not daily:
            return _other(path, parts, entries, config, problems)
        if date_problem is not None:
            return None, [*problems, date_problem]
        if _in_journal_root(path, config) or _folder_note(path):
            return None, []  # beside daily notes in the vault's own folder; a folder's note
        message = (
            f"a note in the journal folder without a date: its name does not fit "
            f"{config.journal_format} and it has no {config.key('date')} property"
        )
        return None, [*problems, warning(path, None, "NW215", message)]
    if date_problem is not None:
        problems.append(date_problem)
    found: list[Mention] = list(people) + heading_people
    if daily:
        found += body.mentions(parts.body, parts.body_line, config.interactions)
    tasks, task_problems = body.open_tasks(path, parts.body, parts.body_line)
    return JournalNote(path, day, tuple(found), daily, tasks), problems + task_problems


def _in_journal_root(path: str, config: Config) -> bool:
    return "/" not in path and "" in config.journal


def _note_date(
    path: str, entries: list[Entry], config: Config, *, daily: bool
) -> tuple[date | None, Problem | None]:
    """The date of a journal note (its file name in the journal's format, else its date
    property) or of another note (its date property, else a file name starting with a
    date); and a problem when what is written is no real date."""
    key = config.key("date").casefold()
    written: tuple[str, int] | None = None
    for prop, line, node in entries:
        if prop.casefold() == key and isinstance(node, Scalar) and node.value.strip():
            written = (node.value.strip(), line)
            break
    name = title_of(path)
    if daily:
        day, bad = daily_date(path, config)
        if day is not None:
            return day, None
        if bad is not None and written is None:
            return None, error(path, None, "NW203", f"the file name is not a date: {bad!r}")
    elif _DATE_NAME.match(name) and written is None:
        day = parse_date(name[:10])
        if day is None:
            return None, error(path, None, "NW203", f"the file name is not a date: {name[:10]!r}")
        return day, None
    if written is None:
        return None, None
    day = parse_date(written[0])
    if day is None:
        message = f"{config.key('date')} is not a date: {written[0]!r}; write YYYY-MM-DD"
        return None, error(path, written[1], "NW203", message)
    return day, None


def _people(entries: list[Entry], config: Config) -> list[Mention]:
    """Who a note says it was with: the values of its interaction keys, links or names."""
    found: list[Mention] = []
    for prop, _, node in entries:
        if prop.casefold() not in config.interactions:
            continue
        items: list[Node] = list(node.items) if isinstance(node, Seq) else [node]
        for item in items:
            if isinstance(item, Seq) and len(item.items) == 1:
                item = item.items[0]  # `- [[Ada]]` unquoted: a list in a list
            if not isinstance(item, Scalar) or not item.value.strip():
                continue
            if item.plain and item.tag == "null":
                continue
            targets = body.links_in(item.value)
            if targets:
                found += [Mention(target, item.line, True) for target in targets]
            else:
                for name in item.value.split(","):
                    if name.strip():
                        found.append(Mention(name.strip(), item.line, True, plain=True))
    return found


def _heading_people(parts: Split, config: Config) -> list[Mention]:
    """The people linked under a heading named like an interaction key (`## Participants`)."""
    if "[[" not in parts.body:
        return []
    return [
        Mention(target, line.number, True)
        for line in body.data_lines(parts.body, parts.body_line)
        if line.section in config.interactions and not line.text.lstrip().startswith("#")
        for target in body.links_in(line.text)
    ]


# --- daily notes' file names ---------------------------------------------------------------

_TOKENS = {
    "YYYY": r"(?P<year>[0-9]{4})",
    "YY": r"(?P<yy>[0-9]{2})",
    "MMMM": r"(?P<monthname>[^\W\d_]+)",
    "MMM": r"(?P<mon>[^\W\d_]{3,4}\.?)",
    "MM": r"(?P<month>[0-9]{2})",
    "M": r"(?P<month>[0-9]{1,2})",
    "DDDD": r"(?P<yday>[0-9]{3})",
    "DD": r"(?P<day>[0-9]{2})",
    "Do": r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)",
    "D": r"(?P<day>[0-9]{1,2})",
    "dddd": r"[^\W\d_]+",
    "ddd": r"[^\W\d_]{2,3}\.?",
}
_TOKEN = re.compile(r"\[([^\]]*)\]|" + "|".join(sorted(_TOKENS, key=len, reverse=True)))
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip


@functools.lru_cache(maxsize=16)
def format_pattern(fmt: str) -> re.Pattern[str]:
    """A moment.js date format (Obsidian's, `YYYY/MM/DD`, `DD.MM.YYYY`, `YYYY-MM-DD dddd`)
    as a regular expression for a path below the journal folder, `.md` left out; a title may
    follow the date after a space or an underscore."""
    parts: list[str] = []
    at = 0
    used: set[str] = set()
    for match in _TOKEN.finditer(fmt):
        parts.append(re.escape(fmt[at : match.start()]))
        if match.group(1) is not None:
            parts.append(re.escape(match.group(1)))
        else:
            token = _TOKENS[match.group(0)]
            group = re.search(r"\?P<(\w+)>", token)
            if group is not None and group.group(1) in used:  # a second day: no new group
                token = re.sub(r"\?P<\w+>", "?:", token)
            elif group is not None:
                used.add(group.group(1))
            parts.append(token)
        at = match.end()
    parts.append(re.escape(fmt[at:]))
    # A title after the date (`2026-11-20 Friday`, `2026-11-20 - Call with Ada`) is allowed.
    return re.compile("^" + "".join(parts) + r"(?:[ _][^/]*)?$", re.IGNORECASE)


def daily_date(path: str, config: Config) -> tuple[date | None, str | None]:
    """The date a daily note's path names in the journal's format; (None, the name) when it
    fits the format but is no real date; (None, None) when it does not fit."""
    for folder in config.journal:
        prefix = f"{folder}/" if folder else ""
        if not path.startswith(prefix):
            continue
        below = path[len(prefix) : -3]
        match = format_pattern(config.journal_format).match(below)
        if match is None:
            match = format_pattern(config.journal_format).match(below.rsplit("/", 1)[-1])
        if match is None:
            continue
        found = match.groupdict()
        try:
            year = int(found["year"]) if found.get("year") else 2000 + int(found["yy"])
            if found.get("monthname") or found.get("mon"):
                word = (found.get("monthname") or found.get("mon") or "").casefold().rstrip(".")
                month = next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(word[:3]))
            else:
                month = int(found["month"])
            return date(year, month, int(found["day"])), None
        except (KeyError, ValueError, TypeError, StopIteration):
            return None, below
    return None, None
