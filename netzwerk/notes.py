"""Read one note: front matter and body with file line numbers, typed into the model.

The front matter is split off by python-frontmatter, with a handler that reads it as Obsidian
does and composes it with PyYAML's C parser: every key keeps its file line, nothing is
constructed (no tag can run code, no alias is expanded), and the body stays byte for byte.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any, NamedTuple

import yaml
from frontmatter.default_handlers import YAMLHandler

from netzwerk.model import (
    KNOWN_KEYS,
    LIST_KEYS,
    LOG_KINDS,
    TEXT_KEYS,
    Birthday,
    Contact,
    Duration,
    JournalNote,
    LogEntry,
    Mention,
    parse_date,
)
from netzwerk.problems import Problem, error, warning
from netzwerk.text import CODE, FENCE_LINE, did_you_mean, line_kinds, suggest

# PyYAML's C parser; the pure-Python one is a slow fallback.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_NOTE_BYTES = 2 * 1024 * 1024

# YAML 1.1 also resolves a plain `=` to "value" and `<<` to "merge": to netzwerk both are text.
_STD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "value", "merge")
}
_PLACEHOLDER = re.compile(r"\{\{[^{}\n]*\}\}|<%[\s\S]*?%>")
_CONFLICT = re.compile(r"^(<{7}(?: .*)?|={7}|>{7}(?: .*)?|\|{7}(?: .*)?)$")
_YEARLESS = re.compile(r"^(?:--|XXXX-|xxxx-|)(\d{2})-(\d{2})$")
_LOG = re.compile(
    r"^\s*[-*+]\s+(?:\[[ xX]\]\s+)?(\d{4}-\d{2}-\d{2})(?:\s+([^\s:][^:]*?))?\s*:\s?(.*)$"
)
_NOT_PLAIN_LINK = re.compile(r"[\[\]|#^]")  # in a link: more than a note's name
_LINK = re.compile(r"(!?)\[\[([^\[\]|#^]*)(?:[#^][^\[\]|]*)?(?:\|[^\[\]]*)?\]\]")
_TASK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[(.)\]")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_JOURNAL_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})")


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


def is_template(text: str) -> bool:
    """A note that still holds unrendered placeholders (`{{title}}`, `<% … %>`)."""
    if "{{" not in text and "<%" not in text:
        return False
    return _PLACEHOLDER.search(text) is not None


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
    except yaml.YAMLError as exc:
        return None, [error(path, 1, "NW201", f"front matter is not valid YAML: {exc}")]
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

_BOOL_WORDS = {
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "on": True,
    "off": False,
    "y": True,
    "n": False,
}


def _coerced(node: Scalar) -> str | None:
    """What YAML would turn a plain scalar into, when that differs from its text."""
    if not node.plain:
        return None
    tag, text = node.tag, node.value
    if tag == "bool":
        if text in ("true", "false"):
            return None
        return "true" if _BOOL_WORDS.get(text.lower()) else "false"
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
            inner = node.items[0]
            # `key: [[Paul]]` is a nested list to YAML: an unquoted wikilink.
            link = self.unquoted_link(inner, key, node.line)
            if link is not None:
                return link
            if isinstance(inner, Scalar):
                return self.scalar(inner, key)
        kind = "a list" if isinstance(node, Seq) else "a mapping"
        self.report(node.line, "NW204", f"{key} must be a single value, not {kind}")
        return None

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

    def duration(self, node: Node, key: str) -> Duration | None:
        value = self.scalar(node, key)
        if value is None:
            return None
        parsed = Duration.parse(value)
        if parsed is None or (parsed.count == 0 and not parsed.never):
            self.report(
                node.line,
                "NW205",
                f"{key} is not a duration: {value!r}; write e.g. 10d, 3w, 2m, 1y or never",
            )
            return None
        return parsed

    def boolean(self, node: Node, key: str) -> bool | None:
        value = self.scalar(node, key)
        if value is None:
            return None
        if value.lower() in _BOOL_WORDS:
            return _BOOL_WORDS[value.lower()]
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
    "cadence": _Reader.duration,
    "paused": _Reader.boolean,
    "birthday": _Reader.birthday,
    "introduced_by": _Reader.scalar,
    **{k: _Reader.text for k in TEXT_KEYS},
}


def link_target(text: str) -> str | None:
    """`[[Paul Martin|Paul]]` → `Paul Martin`; a plain name is taken as it is."""
    if (
        text[:2] == "[["
        and text[-2:] == "]]"
        and not _NOT_PLAIN_LINK.search(text, 2, len(text) - 2)
    ):
        return text[2:-2].strip().rsplit("/", 1)[-1] or None  # `[[Paul Martin]]`, the usual
    match = _LINK.search(text)
    if match is not None:
        target = match.group(2).strip()
        return target.rsplit("/", 1)[-1] or None
    stripped = text.strip()
    return stripped or None


def links_in(text: str) -> tuple[str, ...]:
    """Targets of the wikilinks (not embeds) in a line of text."""
    if "[[" not in text:
        return ()
    found = []
    for match in _LINK.finditer(_INLINE_CODE.sub("", text)):
        if match.group(1):
            continue
        target = match.group(2).strip().rsplit("/", 1)[-1]
        if target:
            found.append(target)
    return tuple(found)


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
    return close[0] if close else None


# --- a contact note ------------------------------------------------------------------------


def parse_contact(
    path: str, raw: bytes, keys: Mapping[str, str] | None = None
) -> tuple[Contact | None, list[Problem]]:
    """Read one contact note; None for a template or a note that could not be read."""
    text, problems = decode(path, raw)
    if text is None:
        return None, problems
    if is_template(text):
        return None, []
    name = path.rsplit("/", 1)[-1][:-3]
    problems += conflict_markers(path, text)
    parts = split(path, text)
    problems += parts.problems
    if parts.fatal or any(
        p.code == "NW107" and p.line and p.line < parts.body_line for p in problems
    ):
        return None, problems
    fields: dict[str, Any] = {}
    lines: dict[str, int] = {}
    extra: dict[str, str] = {}
    if parts.front is None:
        problems.append(
            warning(path, 1, "NW103", "contact note has no front matter; add a tier to schedule it")
        )
    else:
        entries, yaml_problems = read_front(path, parts.front)
        problems += yaml_problems
        if entries is None:
            return None, problems
        reader = _Reader(path)
        _read_entries(reader, entries, keys or {}, fields, lines, extra)
        problems += reader.problems
    log, log_problems = parse_log(path, parts.body, parts.body_line)
    problems += log_problems
    contact = Contact(
        name=name, path=path, log=log, body=parts.body, lines=lines, extra=extra, **fields
    )
    return contact, problems


def _read_entries(
    reader: _Reader,
    entries: list[Entry],
    keys: Mapping[str, str],
    fields: dict[str, Any],
    lines: dict[str, int],
    extra: dict[str, str],
) -> None:
    """The known keys into `fields` (typed) and `lines`, unknown ones into `extra`."""
    by_property = {prop: key for key, prop in keys.items()}
    seen: dict[str, int] = {}
    for prop, line, node in entries:
        if prop in seen:
            reader.report(
                line,
                "NW208",
                f"duplicate key {prop!r} (first on line {seen[prop]}); the first one is used",
            )
            continue
        seen[prop] = line
        key = by_property.get(prop, prop if prop not in keys else None)
        if key not in KNOWN_KEYS:
            _read_unknown(reader, prop, line, node, extra, keys)
            continue
        lines[key] = line
        if key in LIST_KEYS:
            found: list[str] = []
            for item, item_line in reader.items(node, prop):
                if key != "knows":
                    found.append(item)
                    continue
                target = link_target(item)
                if target:
                    lines[f"knows[{len(found)}]"] = item_line
                    found.append(target)
            fields[key] = tuple(found)
            continue
        if key in TEXT_KEYS and type(node) is Scalar and node.tag == "str":
            value = node.value.strip() or None  # text as written: nothing to check
        else:
            value = _READERS[key](reader, node, prop)
        if value is None:
            continue
        if key == "introduced_by":
            value = link_target(value)
        fields[key] = value


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
        reader.report(line, "NW207", f"unknown key {prop!r}; did you mean {typo!r}?", severe=False)
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


# --- the body ------------------------------------------------------------------------------


def body_lines(body: str) -> Iterator[tuple[int, str, bool]]:
    """(offset, line, inside a fenced code block) for each line that is not a fence itself."""
    lines = body.split("\n")
    for offset, (line, kind) in enumerate(zip(lines, line_kinds(lines), strict=True)):
        if kind != FENCE_LINE:
            yield offset, line, kind == CODE


def parse_log(path: str, body: str, first_line: int) -> tuple[tuple[LogEntry, ...], list[Problem]]:
    """Log lines (`- YYYY-MM-DD[ kind]: text`) anywhere in the body, outside code blocks."""
    entries: list[LogEntry] = []
    problems: list[Problem] = []
    for number, match in _log_lines(body, first_line):
        written, kind, text = match.groups()
        day = parse_date(written)
        if day is None:
            problems.append(
                error(path, number, "NW203", f"log line date is not a date: {written!r}")
            )
            continue
        if kind is not None and kind not in _KINDS:
            kind = kind.strip().lower()
            if kind not in _KINDS:
                if " " in kind:  # "- 2026-01-02 Note to self: …" is no log line
                    continue
                hint = did_you_mean(kind, LOG_KINDS).removeprefix("; ")
                hint = f"{hint} " if hint else ""
                problems.append(
                    warning(
                        path,
                        number,
                        "NW214",
                        f"unknown log kind {kind!r}; {hint}known kinds: {', '.join(LOG_KINDS)}",
                    )
                )
        text = text.strip()
        entries.append(LogEntry(day, kind, text, number, links_in(text)))
    return tuple(entries), problems


# _LOG over a whole body at once, for a body without code blocks: no match crosses a line.
_LOG_LINES = re.compile(
    r"^[^\S\n]*[-*+][^\S\n]+(?:\[[ xX]\][^\S\n]+)?(\d{4}-\d{2}-\d{2})"
    r"(?:[^\S\n]+([^\s:][^:\n]*?))?[^\S\n]*:[^\S\n]?(.*)$",
    re.M,
)


def _log_lines(body: str, first_line: int) -> Iterator[tuple[int, re.Match[str]]]:
    """(file line, match) of each line that looks like a log line, outside code blocks."""
    if "```" not in body and "~~~" not in body:  # no code block: one pass over the body
        line, at = first_line, 0
        for match in _LOG_LINES.finditer(body):
            line += body.count("\n", at, match.start())
            at = match.start()
            yield line, match
        return
    for offset, text, fenced in body_lines(body):
        if not fenced and text.lstrip()[:1] in ("-", "*", "+"):
            found = _LOG.match(text)
            if found is not None:
                yield first_line + offset, found


_KINDS = frozenset(LOG_KINDS)


# --- a journal note ------------------------------------------------------------------------


def journal_date(path: str, front: Mapping[str, Any] | None) -> date | None:
    """The date of a journal note: its file name `YYYY-MM-DD…`, else a `date:` property."""
    name = path.rsplit("/", 1)[-1]
    match = _JOURNAL_NAME.match(name)
    if match:
        found = parse_date(match.group(1))
        if found is not None:
            return found
    if front and "date" in front:
        return parse_date(str(front["date"]))
    return None


def parse_journal(path: str, raw: bytes) -> tuple[JournalNote | None, list[Problem]]:
    """A journal note's date and its wikilinks, each marked whether it counts as contact."""
    text, problems = decode(path, raw)
    if text is None:
        return None, problems
    problems += conflict_markers(path, text)
    parts = split(path, text)
    problems += parts.problems
    front: dict[str, Any] | None = None
    if parts.front is not None and "date" in parts.front:
        entries, yaml_problems = read_front(path, parts.front)
        problems += yaml_problems
        if entries:
            front = {key: node.value for key, _, node in entries if isinstance(node, Scalar)}
    day = journal_date(path, front)
    if day is None:
        return None, problems
    return JournalNote(path, day, tuple(mentions(parts.body, parts.body_line))), problems


def mentions(body: str, first_line: int) -> list[Mention]:
    """Every wikilink of a journal body; in open tasks, quotes, code and embeds they don't count."""
    found: list[Mention] = []
    if "[[" not in body:
        return found
    for offset, line, fenced in body_lines(body):
        if "[[" not in line:
            continue
        number = first_line + offset
        if fenced:
            found += [Mention(t, number, False) for t in _targets(line)]
            continue
        stripped = line.lstrip()
        task = _TASK.match(line)
        blocked = stripped.startswith(">") or (task is not None and task.group(1) not in "xX")
        code = [m.span() for m in _INLINE_CODE.finditer(line)] if "`" in line else []
        for match in _LINK.finditer(line):
            target = match.group(2).strip().rsplit("/", 1)[-1]
            if not target:
                continue
            in_code = any(start <= match.start() < end for start, end in code)
            counts = not (blocked or match.group(1) or in_code)
            found.append(Mention(target, number, counts))
    return found


def _targets(line: str) -> list[str]:
    return [
        m.group(2).strip().rsplit("/", 1)[-1] for m in _LINK.finditer(line) if m.group(2).strip()
    ]
