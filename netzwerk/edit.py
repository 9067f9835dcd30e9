"""The only module that modifies notes: surgical line edits, atomic guarded writes."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from netzwerk.files import (
    CACHE_DIR,
    EditError,
    NoteChanged,
    released_since,
    replace_file,
    shown_path,
)
from netzwerk.model import LOG_KINDS, is_property_name, parse_date
from netzwerk.text import TEXT, line_kinds

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


__all__ = [
    "AddLog",
    "Edit",
    "EditError",
    "NotUtf8",
    "NoteChanged",
    "SetKey",
    "apply_ops",
    "front_values",
    "lookup",
    "plan",
    "property_value",
    "write",
]


class NotUtf8(EditError):
    """The note is not UTF-8; netzwerk never rewrites it."""


@dataclass(frozen=True)
class SetKey:
    """Set a front-matter property; `value=None` removes it. The property is found ignoring
    case, as Obsidian does, and keeps the note's spelling (`Tier:` stays `Tier:`).
    `only_later`: a date replaces none or an earlier one only (a last contact never goes back).
    """

    key: str
    value: object  # str | int | bool | date | datetime | list[str] | None
    only_later: bool = False


@dataclass(frozen=True)
class AddLog:
    """Add an entry to the note's log section (the first heading named in `headings`): a
    `- YYYY-MM-DD kind: text` line, or a `### YYYY-MM-DD — Kind` heading with the text
    below it where the section's entries are written that way."""

    date: dt.date
    kind: str | None
    text: str
    headings: tuple[str, ...] = ("Log",)


@dataclass(frozen=True)
class Edit:
    """A planned change to one note: its bytes before and after, and when they were read."""

    path: Path
    before: bytes
    after: bytes
    read_ns: int = 0  # time.time_ns() just before `before` was read

    @property
    def changed(self) -> bool:
        """Whether writing this edit would change the file."""
        return self.before != self.after

    def diff(self, label: str) -> str:
        """A unified diff `a/label` → `b/label`; empty when nothing changes."""
        if not self.changed:
            return ""
        lines = difflib.unified_diff(
            _display_lines(self.before),
            _display_lines(self.after),
            f"a/{label}",
            f"b/{label}",
            lineterm="",
        )
        return "\n".join(lines) + "\n"


def _display_lines(data: bytes) -> list[str]:
    # Line endings are dropped so that CRLF files do not show `^M` in a terminal.
    text = data.decode("utf-8", errors="replace").removeprefix(_BOM)
    lines = [_content(line) for line in _split_lines(text)]
    if lines and not text.endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file"
    return lines


# ---------------------------------------------------------------------------------------------
# Reading


def read_note(path: Path) -> bytes:
    """The note's bytes; NotUtf8 or EditError when it cannot be edited as text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EditError(
            f"cannot read {path}: {exc.strerror or exc}; check that it exists and is readable"
        ) from exc
    _decode(data, str(path))
    return data


def property_value(data: bytes, key: str) -> object:
    """The value of a front-matter property (found ignoring case) as YAML reads it; None
    when the note does not have it or its front matter cannot be read."""
    try:
        return lookup(front_values(data), key)
    except EditError:
        return None


def lookup(front: Mapping[object, object], key: str) -> object:
    """A property of `front_values` found ignoring case, as Obsidian finds it; None if absent."""
    if key in front:
        return front[key]
    wanted = key.casefold()
    return next((v for k, v in front.items() if str(k).casefold() == wanted), None)


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8(
            f"{where} is not valid UTF-8 (invalid byte at offset {exc.start}); netzwerk will "
            "not rewrite it. Save it as UTF-8 in your editor and run the command again"
        ) from None


# ---------------------------------------------------------------------------------------------
# Planning: pure text edits

_BOM = "\ufeff"


def apply_ops(text: bytes, ops: Sequence[SetKey | AddLog]) -> bytes:
    """The note's bytes after applying `ops` in order; every other byte stays as it was."""
    decoded = _decode(text, "the note")
    bom = decoded.startswith(_BOM)
    body = decoded.removeprefix(_BOM)
    index = 0
    while index < len(ops):
        op = ops[index]
        if isinstance(op, SetKey):
            # Consecutive properties are set together: one parse and one check for all.
            stop = index + 1
            while stop < len(ops) and isinstance(ops[stop], SetKey):
                stop += 1
            keys = [o for o in ops[index:stop] if isinstance(o, SetKey)]
            body = _set_keys(body, keys) if len(keys) > 1 else _set_key(body, op)
            index = stop
            continue
        if isinstance(op, AddLog):
            body = _add_log(body, op)
        else:
            raise TypeError(f"not an edit operation: {op!r}")
        index += 1
    try:
        return ((_BOM if bom else "") + body).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EditError(
            f"the new text contains a character that cannot be saved as UTF-8 "
            f"({exc.object[exc.start : exc.end]!r}); nothing was changed"
        ) from None


def front_values(data: bytes) -> dict[object, object]:
    """A note's front matter as the edits read it (an invalid date as its text), for planning
    edits that depend on what is there; EditError when the note cannot be edited."""
    note = _structure(_decode(data, "the note").removeprefix(_BOM))
    if note.close is None:
        return {}
    return _load_mapping("".join(note.lines[1 : note.close]))


def plan(path: Path, ops: Sequence[SetKey | AddLog]) -> Edit:
    """Read the note and compute the edit; nothing is written."""
    read_ns = time.time_ns()
    before = read_note(path)
    try:
        after = apply_ops(before, ops)
    except EditError as exc:
        raise type(exc)(f"{path}: {exc}") from exc
    return Edit(path, before, after, read_ns)


def _split_lines(text: str) -> list[str]:
    """Lines with their endings; only `\\n` ends a line (str.splitlines also splits on \\f, …)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _ending(line: str) -> str:
    if line.endswith("\r\n"):
        return "\r\n"
    return "\n" if line.endswith("\n") else ""


def _content(line: str) -> str:
    return line[: len(line) - len(_ending(line))]


def _is_delimiter(line: str) -> bool:
    return _content(line).rstrip(" \t") == "---"


@dataclass
class _Note:
    lines: list[str]
    nl: str  # the ending for new lines: the file's own
    close: int | None  # index of the closing `---`; None without front matter

    @property
    def body_start(self) -> int:
        return 0 if self.close is None else self.close + 1


def _structure(text: str) -> _Note:
    lines = _split_lines(text)
    nl = next((_ending(line) for line in lines if _ending(line)), "\n")
    if not lines or not _is_delimiter(lines[0]):
        return _Note(lines, nl, None)
    for index in range(1, len(lines)):
        if _is_delimiter(lines[index]):
            return _Note(lines, nl, index)
    raise EditError(
        "the front matter that starts on line 1 has no closing `---` line; add it "
        "(`netzwerk check` shows the problem) and run the command again"
    )


def _insert(lines: list[str], index: int, new: Sequence[str], nl: str) -> None:
    """Insert lines (without endings) before `index`; at the end, keep a missing final newline."""
    added = [text + nl for text in new]
    if index == len(lines) and lines and not _ending(lines[-1]):
        lines[-1] += nl
        added[-1] = new[-1]
    lines[index:index] = added


# ---------------------------------------------------------------------------------------------
# Front matter

# YAML also breaks lines at these; line numbers would no longer match the file's lines.
_YAML_ONLY_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


class _Reader(_Loader):
    """The safe loader, except that an invalid date (`2024-13-01`) reads as its text.

    Such a typo elsewhere in a note must not block an edit (`check` reports it); edits are
    verified by comparing what this loader reads before and after.
    """


def _timestamp_or_text(loader: _Reader, node: ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Reader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


@dataclass(frozen=True)
class _Entry:
    key: str
    line: int  # index in the note's lines
    key_end: int  # column just after the key on its line
    value: Node
    end: int  # index of the value's last line


def _set_key(text: str, op: SetKey) -> str:
    if not is_property_name(op.key):
        raise TypeError(f"not a property name: {op.key!r}")
    wanted = _normalise(op.value)
    note = _structure(text)
    lines = note.lines
    if note.close is None:
        if op.value is None:
            return text
        old: dict[object, object] = {}
        new_block = _new_key_lines(op.key, op.value, note.nl)
        lines[0:0] = ["---" + note.nl, *new_block, "---" + note.nl]
        close = len(new_block) + 1
    else:
        fm_text = "".join(lines[1 : note.close])
        old = _load_mapping(fm_text)
        wanted_key = op.key.casefold()
        entries = [e for e in _entries(fm_text, lines) if e.key.casefold() == wanted_key]
        if len(entries) > 1:
            raise EditError(
                f"the property {op.key!r} appears {len(entries)} times in the front matter; "
                "remove the duplicates and run the command again"
            )
        if entries and entries[0].key != op.key:
            op = SetKey(entries[0].key, op.value, op.only_later)  # the note's own spelling
        if op.only_later and entries and _not_earlier(old.get(op.key), op.value):
            return text
        if entries:
            start, stop, new = _replace(lines, entries[0], op.value, note.nl)
        elif op.value is None:
            return text
        else:
            start = stop = note.close
            new = _new_key_lines(op.key, op.value, note.nl)
        before = list(lines)
        lines[start:stop] = new
        close = note.close + len(new) - (stop - start)
    expected = dict(old)
    if op.value is None:
        expected.pop(op.key, None)
    else:
        expected[op.key] = wanted
    got = _read_back(lines, close)
    if (got is None or not _same(got, expected)) and op.value is None and note.close:
        # Without the property's lines, indented lines below it (comments) would join a
        # block scalar above it (`key: |`); a comment in its place keeps them apart.
        lines = before
        lines[start:stop] = [f"# ({op.key} removed){note.nl}"]
        close = note.close + 1 - (stop - start)
        got = _read_back(lines, close)
    if got is None or not _same(got, expected):
        raise EditError(
            f"setting {op.key!r} would not read back as intended, so the note was left "
            "unchanged; edit this property by hand"
        )
    return "".join(lines)


def _not_earlier(current: object, value: object) -> bool:
    """Whether a property's date is already `value` or later."""
    if isinstance(current, dt.datetime):
        current = current.date()
    if isinstance(current, str):
        current = parse_date(current)
    if isinstance(value, dt.datetime):
        value = value.date()
    return isinstance(current, dt.date) and isinstance(value, dt.date) and current >= value


def _set_keys(text: str, ops: Sequence[SetKey]) -> str:
    """Several properties set at once, as `_set_key` sets each in turn, with one parse and
    one check. Anything unusual (a removal, no front matter, a key named twice or found
    twice, a result that does not read back) goes one key at a time instead."""

    def one_by_one() -> str:
        result = text
        for op in ops:
            result = _set_key(result, op)
        return result

    names = [op.key.casefold() for op in ops if isinstance(op.key, str)]
    if any(op.value is None or op.only_later for op in ops) or len(set(names)) != len(ops):
        return one_by_one()
    for op in ops:
        if not is_property_name(op.key):
            raise TypeError(f"not a property name: {op.key!r}")
    note = _structure(text)
    if note.close is None:
        return one_by_one()
    lines = note.lines
    fm_text = "".join(lines[1 : note.close])
    old = _load_mapping(fm_text)
    entries: dict[str, list[_Entry]] = {}
    for entry in _entries(fm_text, lines):  # found ignoring case, as `_set_key` finds them
        entries.setdefault(entry.key.casefold(), []).append(entry)
    wanted: dict[object, object] = {}
    replaced: list[tuple[int, int, list[str]]] = []
    added: list[str] = []
    for op in ops:
        found = entries.get(op.key.casefold(), [])
        if len(found) > 1:
            return one_by_one()  # which reports the duplicate
        wanted[found[0].key if found else op.key] = _normalise(op.value)
        if found:
            replaced.append(_replace(lines, found[0], op.value, note.nl))
        else:
            added += _new_key_lines(op.key, op.value, note.nl)
    new = list(lines)
    close = note.close
    for start, stop, lines_for in sorted(replaced, key=lambda r: r[0], reverse=True):
        new[start:stop] = lines_for
        close += len(lines_for) - (stop - start)
    new[close:close] = added
    close += len(added)
    expected = dict(old)
    expected.update(wanted)
    got = _read_back(new, close)
    if got is None or not _same(got, expected):
        return one_by_one()
    return "".join(new)


def _load_mapping(fm_text: str) -> dict[object, object]:
    _refuse_aliases(fm_text)
    try:
        data = yaml.load(fm_text, Loader=_Reader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise EditError(
            f"the front matter is not valid YAML{where}; netzwerk will not edit it. Fix it "
            "(`netzwerk check` shows the problem) and run the command again"
        ) from None
    except (yaml.YAMLError, ValueError, OverflowError):
        raise EditError(
            "the front matter is not valid YAML; netzwerk will not edit it. Fix it "
            "(`netzwerk check` shows the problem) and run the command again"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise EditError(
            "the front matter is not a list of `key: value` properties; netzwerk will not "
            "edit it. Fix it and run the command again"
        )
    return data


def _refuse_aliases(fm_text: str) -> None:
    """Anchors and aliases (`&a`, `*a`) are never expanded: loading a "billion laughs" takes
    a moment, comparing what it loads before and after an edit takes forever. YAML's event
    stream shows them without expanding anything."""
    if "&" not in fm_text and "*" not in fm_text:
        return
    try:
        for event in yaml.parse(fm_text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise EditError(
                    "the front matter uses YAML anchors or aliases (&name, *name), which "
                    "netzwerk never expands; it will not edit this note (`netzwerk check` "
                    "reports NW211). Edit it by hand"
                )
    except yaml.YAMLError:
        return  # not valid YAML: loading it says so


def _read_back(lines: list[str], close: int) -> dict[object, object] | None:
    """The front matter of an edited note as a reader gets it; None when it does not load."""
    try:
        return _load_mapping("".join(lines[1:close]))
    except EditError:
        return None


def _entries(fm_text: str, lines: list[str]) -> list[_Entry]:
    """The top-level properties with the lines they occupy (the note's line indices)."""
    return list(_composed(fm_text))


@functools.lru_cache(maxsize=64)
def _composed(fm_text: str) -> tuple[_Entry, ...]:
    """`_entries` of a front matter, which depend on its text alone: the note's lines from 1
    are the front matter's, and the line after it is the closing `---`. Kept for the next
    note with the same front matter (`import` fills one template's many times)."""
    lines = ["---\n", *_split_lines(fm_text), "---\n"]
    if _YAML_ONLY_BREAKS.search(fm_text):
        raise EditError(
            "the front matter contains an unusual line break (a lone carriage return or a "
            "Unicode line separator); netzwerk will not edit it. Edit it by hand"
        )
    # The pure-Python composer: its marks count code points, which is what the line edits use.
    try:
        root = yaml.compose(fm_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        # libyaml accepted it (see _load_mapping), the Python parser does not: stay away.
        raise EditError(
            "the front matter is not valid YAML for every reader; netzwerk will not edit it. "
            "Fix it (`netzwerk check` shows the problem) and run the command again"
        ) from None
    if root is None:
        return ()
    if not isinstance(root, MappingNode) or root.flow_style:
        raise EditError(
            "the front matter is not written one `key: value` per line; netzwerk will not "
            "edit it. Edit it by hand"
        )
    entries: list[_Entry] = []
    for key_node, value in root.value:
        first = key_node.start_mark.line + 1
        if key_node.end_mark.line + 1 != first or not isinstance(key_node, ScalarNode):
            raise EditError(
                "the front matter uses a complex YAML key; netzwerk will not edit it. "
                "Edit it by hand"
            )
        end = max(_last_line(value) + 1, first)
        while end > first and not lines[end].strip():
            end -= 1
        entries.append(_Entry(key_node.value, first, key_node.end_mark.column, value, end))
    for entry, following in pairwise(entries):
        if following.line <= entry.end:
            raise EditError(
                "the front matter has two properties on one line; netzwerk will not edit it. "
                "Edit it by hand"
            )
    return tuple(entries)


def _last_line(node: Node) -> int:
    """The 0-based line of the node's last character, relative to the front matter."""
    if isinstance(node, ScalarNode):
        mark = node.end_mark
        # A block scalar (`|`, `>`) ends after its final line break, at column 0.
        line = mark.line if mark.column > 0 else mark.line - 1
        return max(line, node.start_mark.line)
    if isinstance(node, SequenceNode | MappingNode):
        if node.flow_style or not node.value:
            return int(node.end_mark.line)
        # A block collection's own end mark lies past trailing comments: use its last item.
        last = node.value[-1]
        return _last_line(last[1] if isinstance(last, tuple) else last)
    return int(node.end_mark.line)


def _replace(lines: list[str], entry: _Entry, value: object, nl: str) -> tuple[int, int, list[str]]:
    """(start, stop, new lines) replacing the property's value, or the property when None."""
    first, end, node = entry.line, entry.end, entry.value
    if value is None:
        return first, end + 1, []
    key_line = lines[first]
    colon = key_line.find(":", entry.key_end)
    if colon < 0:
        raise EditError("the front matter uses an unusual key; edit it by hand")
    head = key_line[: colon + 1]
    is_list = isinstance(value, list | tuple)
    block = isinstance(node, SequenceNode | MappingNode) and not node.flow_style
    flow = isinstance(node, SequenceNode | MappingNode) and bool(node.flow_style)
    value_line = node.start_mark.line + 1

    kept = _kept_items(node, value)
    if kept is not None and isinstance(value, list | tuple):
        # The list's items stay as they are written (quoting, comments); the others follow.
        if block and value_line > first:
            after = _last_line(node.value[-1]) + 2  # (the front matter's line 0 is line 1)
            indent = lines[value_line][: node.start_mark.column]
            return after, after, _list_lines(value[kept:], indent, nl)
        if flow and node.start_mark.line == node.end_mark.line:
            row, close = lines[value_line], node.end_mark.column - 1  # (the `]`)
            added = ", ".join(_scalar(item, flow=True) for item in value[kept:])
            return value_line, value_line + 1, [f"{row[:close]}, {added}{row[close:]}"]

    if block and value_line > first and is_list and value:
        # Block list stays a block list, with its own indentation; the key line is kept.
        indent = lines[value_line][: node.start_mark.column]
        return value_line, end + 1, _list_lines(value, indent, nl)

    empty = isinstance(node, ScalarNode) and node.value == "" and node.style is None
    if value_line == first and not block and not empty:
        # The value starts on the key line: replace it in place, keep what follows it.
        start = node.start_mark.column
        stop_mark = node.end_mark
        if stop_mark.line + 1 == end and stop_mark.column > 0:
            rest = lines[end][stop_mark.column :]
        else:
            rest = _ending(lines[end]) or nl
        quote = node.style if isinstance(node, ScalarNode) and node.style in ("'", '"') else None
        inline = _inline(value, flow=flow, quote=quote)
        if inline is not None:
            return first, end + 1, [key_line[:start] + inline + rest]
        key_part = head + _comment(_content(rest)) + (_ending(rest) or nl)
        return first, end + 1, [key_part, *_list_lines(value, "  ", nl)]

    # Empty value, or a value on the following lines: rewrite the key line; comment lines
    # among the value's are kept, below the new value.
    rest = _content(key_line)[colon + 1 :]
    comment = _comment(rest)
    ending = _ending(key_line) or nl
    notes = [line for line in lines[first + 1 : end + 1] if _content(line).lstrip()[:1] == "#"]
    inline = _inline(value, flow=flow, quote=None)
    if inline is not None:
        return first, end + 1, [f"{head} {inline}{comment}{ending}", *notes]
    return first, end + 1, [head + comment + ending, *_list_lines(value, "  ", nl), *notes]


def _kept_items(node: Node, value: object) -> int | None:
    """How many items a list already has when `value` is those items (as they read) and more:
    the ones to add follow them. None otherwise."""
    if not isinstance(node, SequenceNode) or not node.value or not isinstance(value, list | tuple):
        return None
    items = node.value
    if len(value) <= len(items) or not all(isinstance(item, ScalarNode) for item in items):
        return None
    same = all(
        isinstance(v, str) and v == item.value for v, item in zip(value, items, strict=False)
    )
    return len(items) if same else None


def _comment(rest: str) -> str:
    """The `  # comment` part of what follows a value on its line, with its spacing."""
    match = re.search(r"[ \t]*(?<![^ \t])#", rest)
    if match is None:
        return ""
    found = rest[match.start() :]
    return found if found[0] in " \t" else " " + found


def _new_key_lines(key: str, value: object, nl: str) -> list[str]:
    head = _string(key, flow=False, quote=None) + ":"
    inline = _inline(value, flow=False, quote=None)
    if inline is not None:
        return [f"{head} {inline}{nl}"]
    return [head + nl, *_list_lines(value, "  ", nl)]


def _inline(value: object, *, flow: bool, quote: str | None) -> str | None:
    """The value written after `key: `; None for a list written as a block list."""
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        if flow:
            return "[" + ", ".join(_scalar(item, flow=True) for item in value) + "]"
        return None
    return _scalar(value, flow=False, quote=quote)


def _list_lines(value: object, indent: str, nl: str) -> list[str]:
    assert isinstance(value, list | tuple)
    return [f"{indent}- {_scalar(item, flow=False)}{nl}" for item in value]


def _normalise(value: object) -> object:
    """What yaml.safe_load must give back for the written value; TypeError for other types."""
    if value is None or isinstance(value, str | bool | int | dt.date):
        return value
    if isinstance(value, list | tuple):
        for item in value:
            if not isinstance(item, str | bool | int | dt.date):
                raise TypeError(f"cannot write a list item of type {type(item).__name__}")
        return list(value)
    raise TypeError(f"cannot write a value of type {type(value).__name__}")


def _same(a: object, b: object) -> bool:
    """Equal and of the same types all the way down (True == 1 must not pass)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) or (a != a and b != b)  # `.nan` stays `.nan`


def _scalar(value: object, *, flow: bool, quote: str | None = None) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):  # also datetime: `2026-09-14T10:30:00`
        return value.isoformat()
    if isinstance(value, str):
        return _string(value, flow=flow, quote=quote)
    raise TypeError(f"cannot write a value of type {type(value).__name__}")


# Plain scalars that some YAML version reads as a number, bool or null (PyYAML is YAML 1.1,
# Obsidian YAML 1.2): quote them so every reader sees text.
_NUMBERISH = re.compile(
    r"[-+]?(?:[0-9_.,:]*[0-9][0-9_.,:]*(?:e[-+]?[0-9]+)?|0[xob][0-9a-f_]+|\.?inf|\.?nan)",
    re.IGNORECASE,
)
_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "=", "<<"})
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


def _string(text: str, *, flow: bool, quote: str | None) -> str:
    """A string in Obsidian's style: plain unless YAML would read it as something else."""
    if "[[" in text:  # wikilinks are always double-quoted, as Obsidian writes them
        return _double_quoted(text)
    if quote == "'" and text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    if quote is None and _plain_ok(text, flow=flow):
        return text
    return _double_quoted(text)


def _plain_ok(text: str, *, flow: bool) -> bool:
    if not text or text != text.strip(" ") or not text.isprintable():
        return False
    if text[0] in _INDICATORS or text.endswith(":") or ": " in text or " #" in text:
        return False
    if flow and any(c in text for c in ",[]{}"):
        return False
    if text.lower() in _WORDS or _NUMBERISH.fullmatch(text):
        return False
    # The final word: does YAML read it back as this very string?
    document = f"k: [{text}]\n" if flow else f"k: {text}\n"
    try:
        loaded = yaml.load(document, Loader=_Loader)
    except Exception:  # any failure (even a ValueError from a bad date) means: quote it
        return False
    return bool(loaded == {"k": [text] if flow else text})


def _double_quoted(text: str) -> str:
    out = ['"']
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char.isprintable() and char != _BOM:
            out.append(char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    out.append('"')
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Log lines

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*))?")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_DATED = re.compile(r"[-*+][ \t]+(?:\[[ xX]\][ \t]+)?([0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9])")
_DATED_TITLE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9])")


def _heading(content: str) -> tuple[int, str] | None:
    match = _HEADING.fullmatch(content)
    if match is None:
        return None
    title = _CLOSING_HASHES.sub("", match.group(2) or "").strip()
    return len(match.group(1)), title


def _in_fences(lines: Sequence[str]) -> list[bool]:
    """For each line: whether it is inside (or delimits) a fenced code block."""
    return [kind != TEXT for kind in line_kinds([_content(line) for line in lines])]


def _log_text(op: AddLog) -> str:
    if op.kind is not None and op.kind not in LOG_KINDS:
        raise EditError(f"unknown log kind {op.kind!r}; use one of: {', '.join(LOG_KINDS)}")
    # One log entry is one line: collapse whatever line breaks the text brings.
    return " ".join(part.strip() for part in op.text.splitlines() if part.strip())


def _log_line(op: AddLog) -> str:
    text = _log_text(op)
    day = op.date.isoformat()[:10]
    head = f"- {day} {op.kind}" if op.kind else f"- {day}"
    return f"{head}: {text}" if text else head  # no dangling colon without text


def _log_heading(op: AddLog, level: int) -> list[str]:
    """A log entry written as a heading (`### 2026-06-12 — Call`), its text below."""
    text = _log_text(op)
    title = f"{'#' * level} {op.date.isoformat()[:10]}"
    if op.kind:
        title += f" — {op.kind.capitalize()}"
    return [title, text] if text else [title]


def _add_log(text: str, op: AddLog) -> str:
    note = _structure(text)
    lines, begin = note.lines, note.body_start
    fenced = _in_fences(lines[begin:])
    wanted = {title.casefold() for title in op.headings}
    heading: tuple[int, int] | None = None  # (line index, level) of the log heading
    entries: list[tuple[int, str]] = []  # dated headings just below it: (line index, date)
    end = len(lines)
    for index in range(begin, len(lines)):
        found = None if fenced[index - begin] else _heading(_content(lines[index]))
        if found is None:
            continue
        level, title = found
        if heading is None:
            if title.casefold() in wanted:
                heading = (index, level)
        elif level <= heading[1]:
            end = index
            break
        elif level == heading[1] + 1 and (dated := _DATED_TITLE.match(title)):
            entries.append((index, dated.group(1)))
    if heading is None:  # no log section yet: one at the end of the note
        added = [f"## {op.headings[0]}", _log_line(op)]
        if len(lines) > begin and _content(lines[-1]).strip():
            added.insert(0, "")
        _insert(lines, len(lines), added, note.nl)
        return "".join(lines)
    bullets = _dated_lines(lines, heading[0], end, fenced, begin)
    if entries and not bullets:  # the section's entries are headings: write one more
        new = _log_heading(op, heading[1] + 1)
        position = _position(entries, op.date.isoformat()[:10], after=end)
        if position < end:  # before an entry: the blank line that separates them
            _insert(lines, position, [*new, ""], note.nl)
            return "".join(lines)
        while position > heading[0] + 1 and not _content(lines[position - 1]).strip():
            position -= 1  # after the last entry's text, before the blank lines below it
        new.insert(0, "")
        if position < len(lines) and _content(lines[position]).strip():
            new.append("")
        _insert(lines, position, new, note.nl)
        return "".join(lines)
    new_line = _log_line(op)
    if not bullets:
        last = heading[0]
        for index in range(heading[0] + 1, end):
            if _content(lines[index]).strip():
                last = index
        _insert(lines, last + 1, [new_line], note.nl)
        return "".join(lines)
    position = _position(bullets, new_line[2:12], after=bullets[-1][0] + 1)
    if position == bullets[-1][0] + 1:  # after the indented lines of the last entry
        following = position  # (a blank line between them: a paragraph of the entry goes on)
        while following < end and (
            not _content(lines[following]).strip() or lines[following][:1] in (" ", "\t")
        ):
            if _content(lines[following]).strip():
                position = following + 1
            following += 1
    _insert(lines, position, [new_line], note.nl)
    return "".join(lines)


def _dated_lines(
    lines: list[str], heading: int, end: int, fenced: list[bool], begin: int
) -> list[tuple[int, str]]:
    """The section's `- YYYY-MM-DD` lines: (line index, date)."""
    return [
        (index, match.group(1))
        for index in range(heading + 1, end)
        if not fenced[index - begin] and (match := _DATED.match(lines[index]))
    ]


def _position(dated: list[tuple[int, str]], day: str, *, after: int) -> int:
    """Where an entry of `day` goes among the section's dated entries, in their order
    (newest first or oldest first); `after` when it goes last."""
    days = [d for _, d in dated]
    newest_first = sum(a > b for a, b in pairwise(days)) > sum(a < b for a, b in pairwise(days))
    for index, existing in dated:
        if (existing <= day) if newest_first else (existing > day):
            return index
    return after


# ---------------------------------------------------------------------------------------------
# Writing


def write(edit: Edit, *, root: Path, sync_folder: bool = True) -> bool:
    """Atomically replace the note with `edit.after`; False (nothing written) when unchanged.
    The note must be `files.writable` in the vault at `root` (no link, nothing outside it).

    Refused (NoteChanged) when the note on disk is no longer `edit.before`; the message says
    whether another netzwerk process wrote to the vault after the note was read.
    `sync_folder`: as for `files.replace_file`.
    """
    if not edit.changed:
        return False
    left = "the note was left unchanged"
    try:
        replace_file(
            edit.path,
            edit.after,
            root=root,
            expected=edit.before,
            left=left,
            sync_folder=sync_folder,
        )
    except NoteChanged:
        if edit.read_ns and released_since(root / CACHE_DIR, edit.read_ns):
            raise NoteChanged(
                f"{shown_path(edit.path, root)} was changed by another netzwerk process after "
                "this one read it; nothing was written. Run the command again"
            ) from None
        raise
    return True
