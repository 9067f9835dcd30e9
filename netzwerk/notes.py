"""Split a note into front matter and body, with file line numbers; parse it into the model."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml

from netzwerk.model import (
    LOG_KINDS,
    Birthday,
    Contact,
    Duration,
    JournalNote,
    LogEntry,
    Mention,
)
from netzwerk.problems import Problem, error, warning

try:  # PyYAML's C parser; the pure-Python one is a slow fallback.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

MAX_NOTE_BYTES = 2 * 1024 * 1024

LIST_KEYS = frozenset({"tags", "aliases", "interests", "needs", "offers", "knows"})
TEXT_KEYS = frozenset({"company", "role", "location", "email", "phone", "linkedin"})
DATE_KEYS = frozenset({"last_contact", "snooze_until"})
KNOWN_KEYS = (
    "tier",
    "last_contact",
    "cadence",
    "snooze_until",
    "paused",
    "birthday",
    "tags",
    "aliases",
    "company",
    "role",
    "location",
    "email",
    "phone",
    "linkedin",
    "interests",
    "needs",
    "offers",
    "knows",
    "introduced_by",
)

_STD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
_PLACEHOLDER = re.compile(r"\{\{[^{}\n]*\}\}|<%[\s\S]*?%>")
_CONFLICT = re.compile(r"^(<{7}(?: .*)?|={7}|>{7}(?: .*)?|\|{7}(?: .*)?)$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$")
_YEARLESS = re.compile(r"^(?:--|XXXX-|xxxx-|)(\d{2})-(\d{2})$")
_LOG = re.compile(
    r"^\s*[-*+]\s+(?:\[[ xX]\]\s+)?(\d{4}-\d{2}-\d{2})(?:\s+([^\s:][^:]*?))?\s*:\s?(.*)$"
)
_LINK = re.compile(r"(!?)\[\[([^\[\]|#^]*)(?:[#^][^\[\]|]*)?(?:\|[^\[\]]*)?\]\]")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_TASK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[(.)\]")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_JOURNAL_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True, slots=True)
class Split:
    """A note's text cut into front matter and body."""

    front: str | None  # the YAML between the fences, LF line endings
    body: str
    body_line: int  # file line of the body's first line
    problems: tuple[Problem, ...] = ()
    fatal: bool = False  # the front matter could not be delimited


def decode(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 (a BOM tolerated) with LF line endings, or a problem."""
    if len(raw) > MAX_NOTE_BYTES:
        size = len(raw) / (1024 * 1024)
        limit = MAX_NOTE_BYTES // (1024 * 1024)
        return None, [
            warning(path, None, "NW106", f"note is {size:.1f} MiB, over the {limit} MiB limit; not read")
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            error(
                path,
                line,
                "NW101",
                f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            )
        ]
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
    if text.startswith("---") and text[3:].split("\n", 1)[0].strip() == "":
        lines = text.split("\n")
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                front = "\n".join(lines[1:index])
                body = "\n".join(lines[index + 1 :])
                return Split(front, body, index + 2)
        return Split(
            None,
            text,
            1,
            (error(path, 1, "NW104", "front matter is not terminated: no closing '---' line"),),
            fatal=True,
        )
    stripped = text.lstrip("\n \t")
    if stripped.startswith("---\n") and "\n---" in stripped[3:]:
        line = text[: len(text) - len(stripped)].count("\n") + 1
        return Split(
            None,
            text,
            1,
            (
                error(
                    path,
                    line,
                    "NW105",
                    "front matter must start on line 1; remove what stands before '---'",
                ),
            ),
            fatal=True,
        )
    return Split(None, text, 1)


def is_template(text: str) -> bool:
    """A note that still holds unrendered placeholders (`{{title}}`, `<% … %>`)."""
    return _PLACEHOLDER.search(text) is not None


def compose(path: str, front: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The YAML node tree of the front matter; never constructs Python objects."""
    try:
        node = yaml.compose(front, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else 1
        reason = exc.problem or exc.context or "invalid YAML"
        return None, [error(path, line, "NW201", f"front matter is not valid YAML: {reason}")]
    except yaml.YAMLError as exc:
        return None, [error(path, 1, "NW201", f"front matter is not valid YAML: {exc}")]
    except RecursionError:
        return None, [error(path, 1, "NW201", "front matter is nested too deeply")]
    return node, []


def _scalar_text(node: yaml.Node) -> str:
    return str(node.value)


def _is_plain(node: yaml.ScalarNode) -> bool:
    return not node.style


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


def _coerced(node: yaml.ScalarNode) -> str | None:
    """What YAML would turn a plain scalar into, when that differs from its text."""
    if not _is_plain(node):
        return None
    tag, text = node.tag, node.value
    if tag.endswith(":bool"):
        value = _BOOL_WORDS.get(text.lower())
        if text not in ("true", "false"):
            return "true" if value else "false"
        return None
    if tag.endswith(":int"):
        try:
            number = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError:
            return None
        return None if str(number) == text else f"the number {number}"
    if tag.endswith(":float"):
        try:
            number = float(text.replace("_", ""))
        except ValueError:
            return None
        return None if repr(number) == text else f"the number {number!r}"
    return None


@dataclass
class _Reader:
    """Walks a front-matter node tree into typed values, collecting problems."""

    path: str
    line_offset: int = 2
    problems: list[Problem] | None = None

    def __post_init__(self) -> None:
        self.problems = []
        self._seen: set[int] = set()

    def line(self, node: yaml.Node) -> int:
        return int(node.start_mark.line) + self.line_offset

    def report(self, node: yaml.Node, code: str, message: str, *, severe: bool = True) -> None:
        assert self.problems is not None
        make = error if severe else warning
        self.problems.append(make(self.path, self.line(node), code, message))

    def safe(self, node: yaml.Node, key: str) -> bool:
        """False for anchors reused as aliases and for tags we never construct."""
        stack = [node]
        while stack:
            current = stack.pop()
            if id(current) in self._seen:
                self.report(
                    node,
                    "NW211",
                    f"{key}: YAML aliases (*name) are not supported; write the value out",
                )
                return False
            self._seen.add(id(current))
            if current.tag not in _STD_TAGS:
                self.report(node, "NW210", f"{key}: unsupported YAML tag {current.tag!r}; ignored")
                return False
            if isinstance(current, yaml.SequenceNode):
                stack.extend(current.value)
            elif isinstance(current, yaml.MappingNode):
                for k, v in current.value:
                    stack.extend((k, v))
        return True

    # Typed readers. Each returns None for an empty value or after reporting a problem.

    def scalar(self, node: yaml.Node, key: str) -> str | None:
        if isinstance(node, yaml.ScalarNode):
            if node.tag.endswith(":null") and _is_plain(node):
                return None
            text = _scalar_text(node).strip()
            return text or None
        if isinstance(node, yaml.SequenceNode) and len(node.value) == 1:
            inner = node.value[0]
            # `key: [[Paul]]` is a nested list to YAML: an unquoted wikilink.
            if isinstance(inner, yaml.SequenceNode) and len(inner.value) == 1:
                self.report(
                    node,
                    "NW213",
                    f"{key}: unquoted wikilink; write it in quotes: \"[[{inner.value[0].value}]]\"",
                    severe=False,
                )
                return f"[[{inner.value[0].value}]]"
            if isinstance(inner, yaml.ScalarNode):
                return self.scalar(inner, key)
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
        self.report(node, "NW204", f"{key} must be a single value, not {kind}")
        return None

    def text(self, node: yaml.Node, key: str) -> str | None:
        value = self.scalar(node, key)
        if value is not None and isinstance(node, yaml.ScalarNode):
            self.check_coercion(node, key)
        return value

    def check_coercion(self, node: yaml.ScalarNode, key: str) -> None:
        coerced = _coerced(node)
        if coerced is not None:
            self.report(
                node,
                "NW209",
                f"{key}: YAML reads {node.value} as {coerced}; put it in quotes: "
                f'{key}: "{node.value}"',
                severe=False,
            )

    def date(self, node: yaml.Node, key: str) -> date | None:
        value = self.scalar(node, key)
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.report(node, "NW203", f"{key} is not a date: {value!r}; write YYYY-MM-DD")
        return parsed

    def birthday(self, node: yaml.Node, key: str) -> Birthday | None:
        value = self.scalar(node, key)
        if value is None:
            return None
        parsed = parse_birthday(value)
        if parsed is None:
            self.report(
                node,
                "NW203",
                f"{key} is not a date: {value!r}; write YYYY-MM-DD, or --MM-DD without the year",
            )
        return parsed

    def duration(self, node: yaml.Node, key: str) -> Duration | None:
        value = self.scalar(node, key)
        if value is None:
            return None
        parsed = Duration.parse(value)
        if parsed is None or (parsed.count == 0 and not parsed.never):
            self.report(
                node,
                "NW205",
                f"{key} is not a duration: {value!r}; write e.g. 10d, 3w, 2m, 1y or never",
            )
            return None
        return parsed

    def boolean(self, node: yaml.Node, key: str) -> bool | None:
        value = self.scalar(node, key)
        if value is None:
            return None
        if value.lower() in _BOOL_WORDS:
            return _BOOL_WORDS[value.lower()]
        self.report(node, "NW204", f"{key} must be true or false, not {value!r}")
        return None

    def items(self, node: yaml.Node, key: str) -> tuple[tuple[str, int], ...]:
        """A list's items with their lines; a single string is a one-item list."""
        if isinstance(node, yaml.ScalarNode):
            value = self.text(node, key)
            if value is None:
                return ()
            if key == "tags":
                parts = [p for p in re.split(r"[,\s]+", value) if p]
                return tuple((p, self.line(node)) for p in parts)
            return ((value, self.line(node)),)
        if isinstance(node, yaml.MappingNode):
            self.report(node, "NW204", f"{key} must be a list, not a mapping")
            return ()
        result: list[tuple[str, int]] = []
        for item in node.value:
            if (
                isinstance(item, yaml.SequenceNode)
                and len(item.value) == 1
                and isinstance(item.value[0], yaml.SequenceNode)
                and len(item.value[0].value) == 1
            ):
                item = item.value[0]  # `- [[Anna]]`: a list in a list
            if isinstance(item, yaml.SequenceNode) and len(item.value) == 1:
                inner = item.value[0]
                if isinstance(inner, yaml.ScalarNode):
                    self.report(
                        item,
                        "NW213",
                        f'{key}: unquoted wikilink; write it in quotes: "[[{inner.value}]]"',
                        severe=False,
                    )
                    result.append((f"[[{inner.value}]]", self.line(item)))
                    continue
            if not isinstance(item, yaml.ScalarNode):
                self.report(item, "NW204", f"{key}: each item must be a single value")
                continue
            value = self.text(item, key)
            if value is not None:
                result.append((value, self.line(item)))
        return tuple(result)


def parse_date(value: str) -> date | None:
    """`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]`; None when it is no real date."""
    match = _DATE.match(value.strip())
    if match is None:
        return None
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    try:
        result = date(year, month, day)
        if match.group(4) is not None:
            datetime(year, month, day, int(match.group(4)), int(match.group(5)))
    except ValueError:
        return None
    return result


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


def link_target(text: str) -> str | None:
    """`[[Paul Martin|Paul]]` → `Paul Martin`; a plain name is taken as it is."""
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


def _typo_of(key: str) -> str | None:
    normal = key.strip().lower().replace("-", "_").replace(" ", "_")
    if normal in KNOWN_KEYS:
        return normal
    squashed = {k.replace("_", ""): k for k in KNOWN_KEYS}
    if normal.replace("_", "") in squashed:
        return squashed[normal.replace("_", "")]
    close = difflib.get_close_matches(normal, KNOWN_KEYS, n=1, cutoff=0.8)
    return close[0] if close else None


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
    if parts.fatal or any(p.code == "NW107" and p.line and p.line < parts.body_line for p in problems):
        return None, problems
    fields: dict[str, Any] = {}
    lines: dict[str, int] = {}
    extra: dict[str, str] = {}
    if parts.front is None:
        problems.append(
            warning(path, 1, "NW103", "contact note has no front matter; add a tier to schedule it")
        )
    else:
        node, yaml_problems = compose(path, parts.front)
        problems += yaml_problems
        if yaml_problems:
            return None, problems
        if node is not None and not isinstance(node, yaml.MappingNode):
            problems.append(
                error(path, 2, "NW202", "front matter must be a list of `key: value` lines")
            )
            return None, problems
        if node is not None:
            reader = _Reader(path)
            _read_front(reader, node, keys or {}, fields, lines, extra)
            assert reader.problems is not None
            problems += reader.problems
    log, log_problems = parse_log(path, parts.body, parts.body_line)
    problems += log_problems
    contact = Contact(
        name=name,
        path=path,
        log=log,
        body=parts.body,
        lines=lines,
        extra=extra,
        **fields,
    )
    return contact, problems


_READERS: dict[str, Callable[[_Reader, yaml.Node, str], Any]] = {
    "tier": _Reader.scalar,
    "last_contact": _Reader.date,
    "snooze_until": _Reader.date,
    "cadence": _Reader.duration,
    "paused": _Reader.boolean,
    "birthday": _Reader.birthday,
    "introduced_by": _Reader.scalar,
    **{k: _Reader.text for k in TEXT_KEYS},
}


def _read_front(
    reader: _Reader,
    root: yaml.MappingNode,
    keys: Mapping[str, str],
    fields: dict[str, Any],
    lines: dict[str, int],
    extra: dict[str, str],
) -> None:
    by_property = {prop: key for key, prop in keys.items()}
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        if not isinstance(key_node, yaml.ScalarNode):
            reader.report(key_node, "NW204", "a key must be a plain name")
            continue
        prop = str(key_node.value)
        line = reader.line(key_node)
        if prop in seen:
            reader.report(
                key_node,
                "NW208",
                f"duplicate key {prop!r} (first on line {seen[prop]}); the first one is used",
            )
            continue
        seen[prop] = line
        if not reader.safe(value_node, prop):
            continue
        key = by_property.get(prop, prop if prop not in keys else None)
        if key is None or key not in KNOWN_KEYS:
            _read_unknown(reader, prop, key_node, value_node, extra)
            continue
        lines[key] = line
        if key in LIST_KEYS:
            items = reader.items(value_node, prop)
            if key in ("knows",):
                targets = []
                for item, item_line in items:
                    target = link_target(item)
                    if target:
                        lines[f"knows[{len(targets)}]"] = item_line
                        targets.append(target)
                fields[key] = tuple(targets)
            else:
                fields[key] = tuple(item for item, _ in items)
            continue
        value = _READERS[key](reader, value_node, prop)
        if value is None:
            continue
        if key == "introduced_by":
            value = link_target(value)
        fields[key] = value


def _read_unknown(
    reader: _Reader,
    prop: str,
    key_node: yaml.ScalarNode,
    value_node: yaml.Node,
    extra: dict[str, str],
) -> None:
    typo = _typo_of(prop)
    if typo is not None:
        reader.report(
            key_node,
            "NW207",
            f"unknown key {prop!r}; did you mean {typo!r}?",
            severe=False,
        )
    if isinstance(value_node, yaml.ScalarNode):
        reader.check_coercion(value_node, prop)
        if value_node.value not in ("", None):
            extra[prop] = str(value_node.value)
    elif isinstance(value_node, yaml.SequenceNode):
        items = [str(v.value) for v in value_node.value if isinstance(v, yaml.ScalarNode)]
        for item in value_node.value:
            if isinstance(item, yaml.ScalarNode):
                reader.check_coercion(item, prop)
        extra[prop] = ", ".join(items)


def parse_log(path: str, body: str, first_line: int) -> tuple[tuple[LogEntry, ...], list[Problem]]:
    """Log lines (`- YYYY-MM-DD[ kind]: text`) anywhere in the body, outside code blocks."""
    entries: list[LogEntry] = []
    problems: list[Problem] = []
    fence: str | None = None
    for offset, line in enumerate(body.split("\n")):
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker
            elif marker.startswith(fence[0]) and len(marker) >= len(fence):
                fence = None
            continue
        if fence is not None or not line.lstrip()[:1] in ("-", "*", "+"):
            continue
        match = _LOG.match(line)
        if match is None:
            continue
        number = first_line + offset
        day = parse_date(match.group(1))
        if day is None:
            problems.append(
                error(path, number, "NW203", f"log line date is not a date: {match.group(1)!r}")
            )
            continue
        kind = match.group(2)
        if kind is not None:
            kind = kind.strip().lower()
            if kind not in LOG_KINDS:
                if " " in kind:  # "- 2026-01-02 Note to self: …" is no log line
                    continue
                close = difflib.get_close_matches(kind, LOG_KINDS, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                problems.append(
                    warning(
                        path,
                        number,
                        "NW214",
                        f"unknown log kind {kind!r}; {hint}"
                        f"known kinds: {', '.join(LOG_KINDS)}",
                    )
                )
        text = match.group(3).strip()
        entries.append(LogEntry(day, kind, text, number, links_in(text)))
    return tuple(entries), problems


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
        node, yaml_problems = compose(path, parts.front)
        problems += yaml_problems
        if isinstance(node, yaml.MappingNode):
            front = {
                str(k.value): v.value
                for k, v in node.value
                if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)
            }
    day = journal_date(path, front)
    if day is None:
        return None, problems
    return JournalNote(path, day, tuple(mentions(parts.body, parts.body_line))), problems


def mentions(body: str, first_line: int) -> list[Mention]:
    """Every wikilink in a journal body; links in open tasks, quotes, code and embeds don't count."""
    found: list[Mention] = []
    if "[[" not in body:
        return found
    fence: str | None = None
    for offset, line in enumerate(body.split("\n")):
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker
            elif marker.startswith(fence[0]) and len(marker) >= len(fence):
                fence = None
            continue
        if "[[" not in line:
            continue
        number = first_line + offset
        if fence is not None:
            found += [Mention(t, number, False) for t in _targets(line)]
            continue
        stripped = line.lstrip()
        task = _TASK.match(line)
        blocked = stripped.startswith(">") or (task is not None and task.group(1) not in "xX")
        code_free = _INLINE_CODE.sub("", line)
        for match in _LINK.finditer(line):
            target = match.group(2).strip().rsplit("/", 1)[-1]
            if not target:
                continue
            in_code = match.group(0) not in code_free
            counts = not (blocked or match.group(1) or in_code)
            found.append(Mention(target, number, counts))
    return found


def _targets(line: str) -> list[str]:
    return [
        m.group(2).strip().rsplit("/", 1)[-1] for m in _LINK.finditer(line) if m.group(2).strip()
    ]
