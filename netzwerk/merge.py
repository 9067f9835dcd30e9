"""Three-way merges of contact notes and digests for git's merge driver; its setup."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import TypeVar

import yaml

from netzwerk.config import Config
from netzwerk.files import TEMPORARY, read_regular, replace_file
from netzwerk.model import LIST_KEYS, Contact
from netzwerk.problems import Refused
from netzwerk.text import TEXT, line_kinds

# The C loader when PyYAML was built with libyaml.
_Loader: type[yaml.CSafeLoader | yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DRIVER = "netzwerk"
DRIVER_NAME = "netzwerk contact notes"
DRIVER_ARGS = "merge-driver %O %A %B %P"
LABELS = ("ours", "base", "theirs")
DATE_MAX_KEYS = frozenset({"last_contact"})
MARKER_SIZE = 7

_Lines = tuple[str, ...]
_Labels = tuple[str, str, str]
_T = TypeVar("_T")


class MergeError(Refused):
    """A merge or the driver's setup cannot be done (no git, not a repository, …)."""


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged bytes and how many conflicts were left for the user."""

    data: bytes
    conflicts: int


# --------------------------------------------------------------------------- text


_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class _Text:
    """A decoded file: LF line ends, ending in a newline unless empty, plus its original form."""

    text: str
    bom: bool
    crlf: bool
    final_newline: bool


def _decode(data: bytes, *, ours: bool = False) -> _Text | None:
    """None when the bytes are not UTF-8 (or `ours` mixes line endings: no single style to keep)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    bom = text.startswith(_BOM)
    if bom:
        text = text[1:]
    crlf_count, lf_count = text.count("\r\n"), text.count("\n")
    if ours and 0 < crlf_count < lf_count:
        return None
    final_newline = not text or text.endswith("\n")
    text = text.replace("\r\n", "\n")
    if text and not text.endswith("\n"):
        text += "\n"
    return _Text(text, bom, crlf_count > 0 and crlf_count == lf_count, final_newline)


def _encode(text: str, like: _Text) -> bytes:
    """`text` written the way `like` was: BOM, line endings and final newline."""
    if not like.final_newline and text.endswith("\n"):
        text = text[:-1]
    if like.crlf:
        text = text.replace("\n", "\r\n")
    return ((_BOM if like.bom else "") + text).encode("utf-8")


def _split(text: str) -> list[str]:
    """Lines with their "\\n"; only "\\n" ends a line (str.splitlines knows many more)."""
    return [line + "\n" for line in text.split("\n")[:-1]]


def _trivial(base: bytes, ours: bytes, theirs: bytes) -> MergeResult | None:
    if ours == theirs or theirs == base:
        return MergeResult(ours, 0)
    if ours == base:
        return MergeResult(theirs, 0)
    return None


def _texts(
    base: bytes, ours: bytes, theirs: bytes, labels: _Labels
) -> tuple[_Text, _Text, _Text] | MergeResult:
    """The three sides decoded, or the result when no structured merge is needed or possible."""
    trivial = _trivial(base, ours, theirs)
    if trivial is not None:
        return trivial
    ours_text = _decode(ours, ours=True)
    base_text, theirs_text = _decode(base), _decode(theirs)
    if ours_text is None or base_text is None or theirs_text is None:
        return _git_merge_file(base, ours, theirs, labels)
    return base_text, ours_text, theirs_text


# --------------------------------------------------------------------------- git merge-file


def _git_merge_file(base: bytes, ours: bytes, theirs: bytes, labels: _Labels) -> MergeResult:
    """git's own three-way merge of three byte strings; its exit code is the conflict count."""
    with tempfile.TemporaryDirectory(prefix="netzwerk-merge-") as tmp:
        paths = []
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(tmp) / name
            path.write_bytes(data)
            paths.append(str(path))
        command = ["git", "merge-file", "-p", f"--marker-size={MARKER_SIZE}"]
        for label in labels:
            command += ["-L", label]
        try:
            done = subprocess.run(
                [*command, *paths], capture_output=True, cwd=tmp, check=False, timeout=60
            )
        except FileNotFoundError as exc:
            raise MergeError("git is not installed or not on PATH") from exc
        except subprocess.TimeoutExpired as exc:
            raise MergeError("git merge-file did not finish") from exc
    if not 0 <= done.returncode <= 127:
        reason = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise MergeError(f"git merge-file failed: {reason}")
    return MergeResult(done.stdout, done.returncode)


def _merge_lines(
    base: Sequence[str], ours: Sequence[str], theirs: Sequence[str], labels: _Labels
) -> tuple[list[str], int]:
    """Three-way merge of LF lines, calling git only when both sides changed."""
    if list(ours) == list(theirs) or list(theirs) == list(base):
        return list(ours), 0
    if list(ours) == list(base):
        return list(theirs), 0
    result = _git_merge_file(
        "".join(base).encode("utf-8"),
        "".join(ours).encode("utf-8"),
        "".join(theirs).encode("utf-8"),
        labels,
    )
    return _split(result.data.decode("utf-8")), result.conflicts


def _conflict(ours: Sequence[str], theirs: Sequence[str], labels: _Labels) -> list[str]:
    return [
        f"{'<' * MARKER_SIZE} {labels[0]}\n",
        *ours,
        f"{'=' * MARKER_SIZE}\n",
        *theirs,
        f"{'>' * MARKER_SIZE} {labels[2]}\n",
    ]


def _pick3(base: _T | None, ours: _T, theirs: _T) -> _T | None:
    """The side that changed, or the common value; None when both changed differently."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    return None


def _union(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """Ours' lines minus those theirs deleted, plus theirs' new lines after their neighbours."""
    if list(ours) == list(theirs) or list(theirs) == list(base):
        return list(ours)
    if list(ours) == list(base):
        return list(theirs)
    in_base, in_ours, in_theirs = set(base), set(ours), set(theirs)
    result = [line for line in ours if line not in in_base or line in in_theirs]
    for index, line in enumerate(theirs):
        if line in in_ours or line in in_base:
            continue
        position = 0
        for previous in reversed(theirs[:index]):
            if previous in result:
                position = len(result) - result[::-1].index(previous)
                break
        # At the same place ours' additions come first, as in a git conflict.
        while position < len(result) and result[position] not in in_base:
            position += 1
        result.insert(position, line)
    return result


# --------------------------------------------------------------------------- contact notes


@dataclass(frozen=True, slots=True)
class _Note:
    opening: str
    preamble: _Lines  # front-matter lines before the first key (comments, blanks)
    keys: dict[str, _Lines]  # each top-level key's block, in file order
    closing: str
    body: _Lines


_EMPTY_NOTE = _Note("---\n", (), {}, "---\n", ())
_YAML_BREAKS = ("\r", "\x85", "\u2028", "\u2029")  # YAML line breaks that "\n" splitting misses


def _parse_note(text: str) -> _Note | None:
    """Front matter split into key blocks (lines found by yaml.compose) and the body."""
    lines = _split(text)
    if not lines or lines[0].rstrip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if end is None:
        return None
    inner = lines[1:end]
    source = "".join(inner)
    if any(mark in source for mark in _YAML_BREAKS):
        return None
    try:
        node = yaml.compose(source, Loader=_Loader)
    except (yaml.YAMLError, ValueError):
        return None
    body = tuple(lines[end + 1 :])
    if node is None:
        return _Note(lines[0], tuple(inner), {}, lines[end], body)
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        return None
    starts: list[tuple[int, str]] = []
    for key_node, _value in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            return None
        starts.append((key_node.start_mark.line, str(key_node.value)))
    names = [name for _line, name in starts]
    numbers = [line for line, _name in starts]
    if len(set(names)) != len(names) or numbers != sorted(set(numbers)):
        return None
    keys: dict[str, _Lines] = {}
    for index, (line, name) in enumerate(starts):
        stop = numbers[index + 1] if index + 1 < len(numbers) else len(inner)
        keys[name] = tuple(inner[line:stop])
    return _Note(lines[0], tuple(inner[: numbers[0]]), keys, lines[end], body)


@dataclass(frozen=True, slots=True)
class _Options:
    list_keys: AbstractSet[str]
    date_max_keys: AbstractSet[str]
    labels: _Labels


def merge_note(
    base: bytes,
    ours: bytes,
    theirs: bytes,
    *,
    last_contact_key: str = "last_contact",
    list_keys: AbstractSet[str] = LIST_KEYS,
    date_max_keys: AbstractSet[str] = DATE_MAX_KEYS,
    labels: _Labels = LABELS,
    log_headings: Sequence[str] = ("Log",),
) -> MergeResult:
    """Three-way merge of a contact note: front matter key by key, the Log (the first section
    named in `log_headings`) as a union."""
    decoded = _texts(base, ours, theirs, labels)
    if isinstance(decoded, MergeResult):
        return decoded
    base_text, ours_text, theirs_text = decoded
    # An empty base is git's add/add: both sides created the note.
    base_note = _parse_note(base_text.text) if base_text.text.strip() else _EMPTY_NOTE
    ours_note, theirs_note = _parse_note(ours_text.text), _parse_note(theirs_text.text)
    if base_note is None or ours_note is None or theirs_note is None:
        return _git_merge_file(base, ours, theirs, labels)
    # last_contact_key always merges as the later date, whatever date_max_keys holds.
    options = _Options(frozenset(list_keys), frozenset(date_max_keys) | {last_contact_key}, labels)
    front, front_conflicts = _merge_front_matter(base_note, ours_note, theirs_note, options)
    headings = frozenset(title.casefold() for title in log_headings)
    body, body_conflicts = _merge_body(
        base_note.body, ours_note.body, theirs_note.body, labels, headings
    )
    text = "".join([ours_note.opening, *front, ours_note.closing, *body])
    return MergeResult(_encode(text, ours_text), front_conflicts + body_conflicts)


def _merge_front_matter(
    base: _Note, ours: _Note, theirs: _Note, options: _Options
) -> tuple[list[str], int]:
    lines, conflicts = _merge_key("", base.preamble, ours.preamble, theirs.preamble, options)
    names = [*ours.keys, *(name for name in theirs.keys if name not in ours.keys)]
    for name in names:
        block, conflict = _merge_key(
            name, base.keys.get(name), ours.keys.get(name), theirs.keys.get(name), options
        )
        lines += block
        conflicts += conflict
    return lines, conflicts


def _merge_key(
    name: str, base: _Lines | None, ours: _Lines | None, theirs: _Lines | None, options: _Options
) -> tuple[list[str], int]:
    """One key's block; None is an absent key."""
    if ours == theirs or theirs == base:
        return list(ours or ()), 0
    if ours == base:
        return list(theirs or ()), 0
    if ours is not None and theirs is not None:
        merged: list[str] | None = None
        if name in options.date_max_keys:
            merged = _later_date(base, ours, theirs)
        elif name in options.list_keys:
            merged = _union_list(base, ours, theirs)
        if merged is not None:
            return merged, 0
    return _conflict(ours or (), theirs or (), options.labels), 1


def _load_value(block: Sequence[str]) -> tuple[bool, object]:
    """The value of a one-key block; (False, None) when it does not load."""
    try:
        data = yaml.load("".join(block), Loader=_Loader)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        return False, None
    if not isinstance(data, dict) or len(data) != 1:
        return False, None
    return True, next(iter(data.values()))


_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


def _sortable_date(value: object) -> str | None:
    """ISO text that sorts like the date; "" for an empty value; None for a non-date."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _DATE_TEXT.fullmatch(value.strip()):
        return value.strip().replace(" ", "T")
    return None


def _later_date(base: _Lines | None, ours: _Lines, theirs: _Lines) -> list[str] | None:
    """The later date's key line; lines under it (comments) merge like any other key."""
    ours_ok, ours_value = _load_value(ours)
    theirs_ok, theirs_value = _load_value(theirs)
    if not ours_ok or not theirs_ok:
        return None
    ours_date, theirs_date = _sortable_date(ours_value), _sortable_date(theirs_value)
    if ours_date is None or theirs_date is None:
        return None
    if not _value_on_key_line(ours) or not _value_on_key_line(theirs):
        return None
    rest = _pick3(base[1:] if base else None, ours[1:], theirs[1:])
    if rest is None:
        return None
    return [ours[0] if ours_date >= theirs_date else theirs[0], *rest]


def _value_on_key_line(block: _Lines) -> bool:
    try:
        node = yaml.compose("".join(block), Loader=_Loader)
    except (yaml.YAMLError, ValueError):
        return False
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        return False
    end = node.value[0][1].end_mark
    return bool(end.line == 0 or (end.line == 1 and end.column == 0))


@dataclass(frozen=True, slots=True)
class _List:
    """A list key's block, with each item's source text for reuse."""

    lines: _Lines
    # Items are compared by their scalar text, as Obsidian (YAML 1.2) reads them: `yes` and
    # `on` are two different tags, `"[[Paul]]"` and `'[[Paul]]'` the same link.
    items: tuple[str, ...]
    texts: tuple[str, ...]  # each item as written, quotes included
    flow: bool | None  # None: the key has no value at all
    # flow style: text before "[", the separator between items, text after "]"
    prefix: str = ""
    separator: str = ", "
    suffix: str = ""
    # block style: lines before the first item, each item's lines, lines after, dash column
    header: _Lines = ()
    chunks: tuple[_Lines, ...] = ()
    tail: _Lines = ()
    indent: int = 2


def _compose_list(text: str) -> tuple[yaml.Node | None, list[yaml.ScalarNode]] | None:
    """The value node of a one-key block and its scalar items; None when not such a list."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, ValueError):
        return None
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        return None
    value = node.value[0][1]
    if isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null"):
        return None, []
    if not isinstance(value, yaml.SequenceNode):
        return None
    items = [item for item in value.value if isinstance(item, yaml.ScalarNode)]
    if len(items) != len(value.value):
        return None
    return value, items


def _parse_list(block: _Lines) -> _List | None:
    """None when the block is not a list of scalars."""
    text = "".join(block)
    composed = _compose_list(text)
    if composed is None:
        return None
    sequence, nodes = composed
    if sequence is None:
        return _List(block, (), (), None)
    items = tuple(str(n.value) for n in nodes)
    texts = tuple(text[n.start_mark.index : n.end_mark.index] for n in nodes)
    if isinstance(sequence, yaml.CollectionNode) and sequence.flow_style:
        separator = (
            text[nodes[0].end_mark.index : nodes[1].start_mark.index] if len(nodes) > 1 else ", "
        )
        return _List(
            block,
            items,
            texts,
            True,
            prefix=text[: sequence.start_mark.index],
            separator=separator,
            suffix=text[sequence.end_mark.index :],
        )
    if not nodes:
        return None
    dashes: list[int] = []
    for n in nodes:
        dash = _dash_line(block, n.start_mark.line, n.start_mark.column)
        if dash is None or (dashes and dash <= dashes[-1]):
            return None
        dashes.append(dash)
    indents = {len(block[d]) - len(block[d].lstrip(" ")) for d in dashes}
    if len(indents) != 1:
        return None
    last = nodes[-1].end_mark
    stop = max(last.line + (1 if last.column > 0 else 0), dashes[-1] + 1)
    bounds = [*dashes, stop]
    return _List(
        block,
        items,
        texts,
        False,
        header=tuple(block[: dashes[0]]),
        chunks=tuple(tuple(block[a:b]) for a, b in itertools.pairwise(bounds)),
        tail=tuple(block[stop:]),
        indent=indents.pop(),
    )


def _dash_line(block: _Lines, line: int, column: int) -> int | None:
    """The line holding the "-" of an item that starts at (line, column)."""
    if line >= len(block):
        return None
    if block[line][:column].lstrip().startswith("-"):
        return line
    for number in range(line - 1, -1, -1):
        stripped = block[number].strip()
        if stripped == "-":
            return number
        if stripped and not stripped.startswith("#"):
            return None
    return None


def _item_text(source: _List, index: int, flow: bool) -> str:
    """An item's text for a list in the other style: as written when it means the same there."""
    text, item = source.texts[index], source.items[index]
    if "\n" not in text:
        probe = f"k: [{text}]\n" if flow else f"k:\n  - {text}\n"
        composed = _compose_list(probe)
        if composed is not None and [str(n.value) for n in composed[1]] == [item]:
            return text
    dumped = yaml.safe_dump([item], default_flow_style=True, allow_unicode=True, width=1 << 30)
    return str(dumped).strip()[1:-1]


def _union_list(base: _Lines | None, ours: _Lines, theirs: _Lines) -> list[str] | None:
    """Ours' items minus theirs' removals, then theirs' additions; in ours' style.

    None (a conflict) when that would drop a line one side added: a comment next to the items
    that the other side also changed, or an item one side edited and the other removed.
    """
    ours_list, theirs_list = _parse_list(ours), _parse_list(theirs)
    base_list = _parse_list(base) if base is not None else _List((), (), (), None)
    if ours_list is None or theirs_list is None or base_list is None:
        return None
    style = ours_list if ours_list.flow is not None else theirs_list
    other = theirs_list if style is ours_list else ours_list
    if style.flow is None:
        return list(ours)
    if other.flow != style.flow and not _plain(other):
        return None
    picked: list[tuple[_List, int]] = []
    for i, item in enumerate(ours_list.items):
        if item in base_list.items and item not in theirs_list.items:
            if _changed(base_list, ours_list, item):
                return None  # edited by ours, removed by theirs
            continue
        picked.append((ours_list, i))
    seen = set(ours_list.items)
    for i, item in enumerate(theirs_list.items):
        if item in seen:
            continue
        if item in base_list.items:
            if _changed(base_list, theirs_list, item):
                return None  # edited by theirs, removed by ours
            continue
        picked.append((theirs_list, i))
        seen.add(item)
    if style.flow:
        return _flow_list(base_list, style, other, picked)
    return _block_list(base_list, style, other, picked)


def _plain(lst: _List) -> bool:
    """The list holds nothing but its key and items (no comments or other lines to keep)."""
    if lst.flow is None:
        return len(lst.lines) == 1 and "#" not in lst.lines[0]
    if lst.flow:
        return "#" not in lst.prefix + lst.separator + lst.suffix and lst.suffix.strip() == ""
    return (
        len(lst.header) == 1
        and "#" not in lst.header[0]
        and not lst.tail
        and all(len(chunk) == 1 and "#" not in chunk[0] for chunk in lst.chunks)
    )


def _chunk(lst: _List, index: int, indent: int) -> _Lines | None:
    """A block item's lines at `indent`; None when they cannot be moved there."""
    lines = _reindent(lst.chunks[index], indent - lst.indent)
    return tuple(lines) if lines is not None else None


def _changed(base: _List, side: _List, item: str) -> bool:
    """Whether `side` changed the lines of an item that is in both (block lists only)."""
    if base.flow is not False or side.flow is not False:
        return False
    return _chunk(base, base.items.index(item), 0) != _chunk(side, side.items.index(item), 0)


def _flow_list(
    base: _List, style: _List, other: _List, picked: list[tuple[_List, int]]
) -> list[str] | None:
    same = other.flow is True
    known = base.flow is True
    prefix = (
        _pick3(base.prefix if known else None, style.prefix, other.prefix) if same else style.prefix
    )
    suffix = (
        _pick3(base.suffix if known else None, style.suffix, other.suffix) if same else style.suffix
    )
    if prefix is None or suffix is None:
        return None
    texts = [
        source.texts[i] if source.flow else _item_text(source, i, flow=True) for source, i in picked
    ]
    return _split(f"{prefix}[{style.separator.join(texts)}]{suffix}")


def _block_list(
    base: _List, style: _List, other: _List, picked: list[tuple[_List, int]]
) -> list[str] | None:
    same = other.flow is False
    known = base.flow is False
    header = (
        _pick3(base.header if known else None, style.header, other.header) if same else style.header
    )
    tail = _pick3(base.tail if known else None, style.tail, other.tail) if same else style.tail
    if header is None or tail is None:
        return None
    lines = list(header)
    for source, i in picked:
        chunk = _chunk(source, i, style.indent) if source.flow is False else None
        partner = other if source is style else style
        item = source.items[i]
        if chunk is not None and partner.flow is False and item in partner.items:
            # In both lists: the lines under the item merge like a key.
            theirs = _chunk(partner, partner.items.index(item), style.indent)
            old = _chunk(base, base.items.index(item), style.indent) if item in base.items else None
            chunk = _pick3(old if known else None, chunk, theirs) if theirs is not None else None
            if chunk is None:
                return None
        lines += chunk or [f"{' ' * style.indent}- {_item_text(source, i, flow=False)}\n"]
    return lines + list(tail)


def _reindent(lines: _Lines, delta: int) -> list[str] | None:
    if delta >= 0:
        return [(" " * delta + line) if line.strip() else line for line in lines]
    cut = " " * -delta
    if any(line.strip() and not line.startswith(cut) for line in lines):
        return None
    return [line[-delta:] if line.strip() else line for line in lines]


# --------------------------------------------------------------------------- the body and its Log


_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*$")
_LOG_LINE = re.compile(r"^[-*+][ \t]+(\d{4}-\d{2}-\d{2})")


def _headings(lines: Sequence[str]) -> list[tuple[int, int, str]]:
    """(index, level, title) of each ATX heading outside fenced code."""
    found: list[tuple[int, int, str]] = []
    for index, (line, kind) in enumerate(zip(lines, line_kinds(lines), strict=True)):
        match = _HEADING.match(line.rstrip("\n")) if kind == TEXT else None
        if match:
            title = match.group(2).rstrip("#").strip()
            found.append((index, len(match.group(1)), title))
    return found


def _log_section(lines: Sequence[str], names: AbstractSet[str]) -> tuple[int, int] | None:
    """(heading index, end index) of the first log section (a heading named in `names`)."""
    headings = _headings(lines)
    for position, (index, level, title) in enumerate(headings):
        if title.casefold() in names:
            end = next((i for i, lv, _t in headings[position + 1 :] if lv <= level), len(lines))
            return index, end
    return None


def _merge_body(
    base: _Lines, ours: _Lines, theirs: _Lines, labels: _Labels, names: AbstractSet[str]
) -> tuple[list[str], int]:
    ours_log, theirs_log = _log_section(ours, names), _log_section(theirs, names)
    if ours_log is None or theirs_log is None:
        return _merge_lines(base, ours, theirs, labels)
    base_log = _log_section(base, names)
    o_head, o_end = ours_log
    t_head, t_end = theirs_log
    b_pre: _Lines = base
    b_heading: str | None = None
    b_log: _Lines = ()
    b_post: _Lines = ()
    # Without a section in base (new on both sides) all of base counts as text before it.
    if base_log is not None:
        b_head, b_end = base_log
        b_pre, b_heading = base[:b_head], base[b_head]
        b_log, b_post = base[b_head + 1 : b_end], base[b_end:]
    pre, pre_conflicts = _merge_lines(b_pre, ours[:o_head], theirs[:t_head], labels)
    heading = theirs[t_head] if ours[o_head] == b_heading else ours[o_head]
    log = _merge_log(b_log, ours[o_head + 1 : o_end], theirs[t_head + 1 : t_end])
    post, post_conflicts = _merge_lines(b_post, ours[o_end:], theirs[t_end:], labels)
    return [*pre, heading, *log, *post], pre_conflicts + post_conflicts


@dataclass(frozen=True, slots=True)
class _Entry:
    """A log line and the lines under it (sub-bullets, blank lines) up to the next one."""

    line: str
    date: str
    subs: _Lines


def _parse_log(lines: Sequence[str]) -> tuple[_Lines, list[_Entry], _Lines]:
    """(lines before the first entry, entries, trailing blank lines)."""
    end = len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    head: list[str] = []
    entries: list[tuple[str, str, list[str]]] = []
    for line in lines[:end]:
        match = _LOG_LINE.match(line)
        if match:
            entries.append((line, match.group(1), []))
        elif entries:
            entries[-1][2].append(line)
        else:
            head.append(line)
    parsed = [_Entry(line, day, tuple(subs)) for line, day, subs in entries]
    return tuple(head), parsed, tuple(lines[end:])


def _direction(entries: Sequence[_Entry]) -> int:
    """-1 newest first, 1 oldest first, 0 cannot tell."""
    rising = sum(b.date > a.date for a, b in itertools.pairwise(entries))
    falling = sum(b.date < a.date for a, b in itertools.pairwise(entries))
    return (rising > falling) - (falling > rising)


def _merge_log(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """Union of the entries minus those one side deleted, in the section's date order."""
    b_head, b_entries, b_tail = _parse_log(base)
    o_head, o_entries, o_tail = _parse_log(ours)
    t_head, t_entries, t_tail = _parse_log(theirs)
    in_base = {e.line: e for e in reversed(b_entries)}
    in_theirs = {e.line: e for e in reversed(t_entries)}
    # The example note and `netzwerk log` put the newest entry first.
    newest_first = (
        _direction(o_entries) or _direction(t_entries) or _direction(b_entries) or -1
    ) < 0
    merged: list[_Entry] = []
    for entry in o_entries:
        old, other = in_base.get(entry.line), in_theirs.get(entry.line)
        if other is None:
            # Deleted by theirs: gone, unless ours added lines under it.
            if old is None or entry.subs != old.subs:
                merged.append(entry)
            continue
        subs = _union(old.subs if old else (), entry.subs, other.subs)
        merged.append(_Entry(entry.line, entry.date, tuple(subs)))
    placed = {e.line for e in o_entries}
    added: list[_Entry] = []
    for entry in t_entries:
        if entry.line in placed:
            continue
        placed.add(entry.line)
        old = in_base.get(entry.line)
        if old is not None and entry.subs == old.subs:
            continue  # deleted by ours
        added.append(entry)
    merged = _placed(merged, added, newest_first)
    lines = _union(b_head, o_head, t_head)
    for entry in merged:
        lines += [entry.line, *entry.subs]
    return lines + _union(b_tail, o_tail, t_tail)


def _placed(entries: list[_Entry], added: list[_Entry], newest_first: bool) -> list[_Entry]:
    """`entries` with each of `added` put, in turn, before the first entry that is older than
    it (newer, in a section oldest first), else at the end; in O(n log n), not one search per
    entry (a pushed note of 40,000 lines a side took the driver 33 s).

    The running oldest date of `entries` (newest first) only falls, so where an entry goes is
    a binary search in it; an entry put there becomes that running date itself, so the ones
    that go before the same entry come in date order, equal dates in their own order."""
    if not added:
        return entries
    running: list[str] = []
    for entry in entries:
        if not running:
            running.append(entry.date)
        else:
            last = running[-1]
            running.append(min(last, entry.date) if newest_first else max(last, entry.date))
    by_slot: dict[int, list[_Entry]] = {}
    for entry in added:
        low, high = 0, len(running)
        while low < high:  # the first running date older (newer) than the entry's
            middle = (low + high) // 2
            beyond = running[middle] < entry.date if newest_first else running[middle] > entry.date
            if beyond:
                high = middle
            else:
                low = middle + 1
        by_slot.setdefault(low, []).append(entry)
    placed: list[_Entry] = []
    for slot in range(len(entries) + 1):
        group = by_slot.get(slot)
        if group:
            placed += sorted(group, key=lambda e: e.date, reverse=newest_first)
        if slot < len(entries):
            placed.append(entries[slot])
    return placed


# --------------------------------------------------------------------------- digests


_TASK = re.compile(r"^(?P<lead>[ \t]*[-*+] \[)(?P<mark>[ xX])(?P<rest>\] .*)$")
_DONE = re.compile(r" ✅ (\d{4}-\d{2}-\d{2})")
_NOTES = re.compile(r"^##[ \t]+Notes[ \t]*$")


@dataclass(frozen=True, slots=True)
class _Task:
    key: str  # the line without its checkbox state and ✅ date
    ticked: bool
    done: str | None


def _task(line: str) -> _Task | None:
    match = _TASK.match(line.rstrip("\n"))
    if match is None:
        return None
    rest = match.group("rest")
    done = _DONE.search(rest)
    key = match.group("lead") + " " + _DONE.sub("", rest, count=1)
    return _Task(key, match.group("mark") in "xX", done.group(1) if done else None)


def _same_item(a: str, b: str) -> bool:
    if a == b:
        return True
    task_a, task_b = _task(a), _task(b)
    return task_a is not None and task_b is not None and task_a.key == task_b.key


def _split_notes(lines: list[str]) -> tuple[list[str], list[str]]:
    """(the generated part, the user's `## Notes` section at the end)."""
    for index in range(len(lines) - 1, -1, -1):
        if _NOTES.match(lines[index].rstrip("\n")):
            return lines[:index], lines[index:]
    return lines, []


def _pick_tick(ours: str, theirs: str) -> str | None:
    """The ticked one of two versions of a task; the earlier ✅ date if both are ticked."""
    a, b = _task(ours), _task(theirs)
    if a is None or b is None or a.key != b.key:
        return None
    if a.ticked != b.ticked:
        return ours if a.ticked else theirs
    if a.done and b.done:
        return ours if a.done <= b.done else theirs
    return theirs if b.done and not a.done else ours


def _merge_ticks(base: list[str], ours: list[str], theirs: list[str]) -> list[str] | None:
    """Line-by-line merge of two digests that differ only in ticks; None otherwise."""
    if len(ours) != len(theirs):
        return None
    aligned = len(base) == len(ours) and all(map(_same_item, base, ours))
    merged: list[str] = []
    for index, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        if a == b or (aligned and b == base[index]):
            merged.append(a)
        elif aligned and a == base[index]:
            merged.append(b)
        else:
            picked = _pick_tick(a, b)
            if picked is None:
                return None
            merged.append(picked)
    return merged


def merge_digest(
    base: bytes, ours: bytes, theirs: bytes, *, labels: _Labels = LABELS
) -> MergeResult:
    """Three-way merge of a weekly digest: ticks from both sides, the Notes section by git."""
    decoded = _texts(base, ours, theirs, labels)
    if isinstance(decoded, MergeResult):
        return decoded
    base_text, ours_text, theirs_text = decoded
    b_main, b_notes = _split_notes(_split(base_text.text))
    o_main, o_notes = _split_notes(_split(ours_text.text))
    t_main, t_notes = _split_notes(_split(theirs_text.text))
    main = _merge_ticks(b_main, o_main, t_main)
    if main is None:
        return _git_merge_file(base, ours, theirs, labels)
    notes, conflicts = _merge_lines(b_notes, o_notes, t_notes, labels)
    return MergeResult(_encode("".join(main + notes), ours_text), conflicts)


# --------------------------------------------------------------------------- the driver


def _vault_path(path_in_repo: str, config: Config, work_tree: Path) -> PurePosixPath | None:
    """The path relative to the vault root; None when it lies outside the vault."""
    path = PurePosixPath(path_in_repo.replace("\\", "/"))
    try:
        prefix = config.root.resolve().relative_to(work_tree.resolve())
    except (ValueError, OSError):
        return path
    if prefix == Path("."):
        return path
    vault = PurePosixPath(prefix.as_posix())
    return path.relative_to(vault) if path.is_relative_to(vault) else None


def _kind(path: PurePosixPath | None, config: Config) -> str:
    if path is None or path.suffix.lower() != ".md":
        return "text"
    if path.is_relative_to(PurePosixPath(config.digest_dir)):
        return "digest"
    if path.is_relative_to(PurePosixPath(config.templates)) or path.name.startswith(("_", ".")):
        return "text"
    if any(path.is_relative_to(PurePosixPath(folder)) for folder in config.contacts):
        return "note"
    return "text"


def _marked(path: str, data: bytes, config: Config) -> bool:
    """Whether our side of a note is a contact by `contacts_where`."""
    from netzwerk.notes import read_note

    name = path.replace("\\", "/")
    if not name.endswith(".md"):
        return False
    found, _ = read_note(name, data, "note", config)
    return isinstance(found, Contact)


def merge_driver(
    base_path: str | os.PathLike[str],
    ours_path: str | os.PathLike[str],
    theirs_path: str | os.PathLike[str],
    path_in_repo: str,
    config: Config,
    *,
    labels: _Labels | None = None,
    work_tree: Path | None = None,
) -> int:
    """git's `%O %A %B %P` merge driver: merge into %A; 0 when clean, 1 when conflicts remain."""
    ours_file = Path(ours_path)
    base, ours, theirs = (_read_side(Path(p)) for p in (base_path, ours_path, theirs_path))
    _remove_stale_merge_files(ours_file.parent)
    if labels is None:
        labels = (f"ours:{path_in_repo}", f"base:{path_in_repo}", f"theirs:{path_in_repo}")
    # git runs merge drivers at the top of the work tree.
    kind = _kind(_vault_path(path_in_repo, config, work_tree or Path.cwd()), config)
    if kind == "text" and config.contacts_where and _marked(path_in_repo, ours, config):
        kind = "note"  # a person marked by a property (`type: person`), wherever it lies
    try:
        if kind == "digest":
            result = merge_digest(base, ours, theirs, labels=labels)
        elif kind == "note":
            result = merge_note(
                base,
                ours,
                theirs,
                last_contact_key=config.key("last_contact"),
                list_keys=frozenset(config.key(key) for key in LIST_KEYS),
                date_max_keys=frozenset(config.key(key) for key in DATE_MAX_KEYS),
                labels=labels,
                log_headings=config.log_headings,
            )
        else:
            result = _git_merge_file(base, ours, theirs, labels)
    except MergeError:
        raise
    except Exception:  # a bug in the smart merge must not block the user's merge
        result = _git_merge_file(base, ours, theirs, labels)
    if result.data != ours:
        try:
            # git's own temporary file, in the work tree's top folder: written in place of
            # itself, never through a link.
            replace_file(ours_file, result.data, root=ours_file.parent)
        except Refused as exc:
            raise MergeError(str(exc)) from None
    return 0 if result.conflicts == 0 else 1


# git writes the three sides to files; none is a note netzwerk would not read whole.
MAX_SIDE_BYTES = 64 << 20


def _read_side(path: Path) -> bytes:
    """One side of the merge: a regular file of at most MAX_SIDE_BYTES (never a FIFO or a
    device such as /dev/zero, which would never end)."""
    try:
        return read_regular(path, MAX_SIDE_BYTES)
    except OSError as exc:
        raise MergeError(f"cannot read {path}: {exc.strerror or exc}") from None


def _remove_stale_merge_files(folder: Path) -> None:
    """netzwerk's temporary files beside git's `.merge_file_XXXXXX` whose merge is over (git
    deleted that file): left by a merge driver that was killed while writing."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.startswith("..merge_file_") and TEMPORARY.fullmatch(name):
            merged = name[1:].rsplit(".", 2)[0]
            stale = folder / name
            with contextlib.suppress(OSError):
                gone = not os.path.lexists(folder / merged)
                if gone and stale.is_file() and not stale.is_symlink():
                    stale.unlink()


# --------------------------------------------------------------------------- setup


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
            timeout=60,
        )
    except FileNotFoundError as exc:
        raise MergeError("git is not installed or not on PATH") from exc
    except subprocess.TimeoutExpired as exc:
        raise MergeError(f"git {args[0]} did not finish") from exc


_GLOB = re.compile(r"([*?\[\\])")


def _attribute_line(folder: str, pattern: str) -> str:
    """A .gitattributes line for `folder/pattern`, escaping glob characters and quoting blanks."""
    escaped = _GLOB.sub(r"\\\1", folder.strip("/"))
    if escaped.startswith(("#", "!")):
        escaped = "\\" + escaped
    path = f"{escaped}/{pattern}" if escaped not in ("", ".") else "*.md"  # the whole vault
    if any(char in path for char in ' \t"'):
        path = '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{path} merge={DRIVER}"


def driver_command(vault: str | None = None) -> str:
    """The command git runs to merge a note: this interpreter by its absolute path with
    `-m netzwerk`, so that it works without netzwerk on PATH (a git GUI, Obsidian Git). With
    `-P`: git runs it at the top of the work tree, and `python -m` would first import from
    there, so a `netzwerk/` folder someone pushes into the repository would run as netzwerk."""
    where = f" --vault {shlex.quote(vault)}" if vault else ""
    return f"{shlex.quote(sys.executable)} -P -m netzwerk{where} {DRIVER_ARGS}"


def git_setup(
    root: Path, config: Config, *, driver: str | None = None, marked: Sequence[str] = ()
) -> list[str]:
    """Register the merge driver: .gitattributes lines and local git config; what it did.
    `marked`: folders outside `contacts` where people marked by `contacts_where` lie (the
    driver merges their other notes as git would)."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise MergeError(f"{root} is not inside a git work tree")
    done: list[str] = []

    wanted = [_attribute_line(folder, "**/*.md") for folder in (*config.contacts, *marked)]
    wanted.append(_attribute_line(config.digest_dir, "*.md"))
    attributes = root / ".gitattributes"
    try:
        text = read_regular(attributes, MAX_SIDE_BYTES).decode("utf-8", "surrogateescape")
    except FileNotFoundError:
        text = ""
    except OSError as exc:
        raise MergeError(f"cannot read {attributes}: {exc.strerror}") from exc
    present = {" ".join(line.split()) for line in text.split("\n")}
    missing = [line for line in dict.fromkeys(wanted) if line not in present]
    if missing:
        newline = "\r\n" if "\r\n" in text else "\n"
        if text and not text.endswith("\n"):
            text += newline
        text += "".join(line + newline for line in missing)
        try:
            replace_file(attributes, text.encode("utf-8", "surrogateescape"), root=root)
        except Refused as exc:
            raise MergeError(str(exc)) from None
        except OSError as exc:
            raise MergeError(f"cannot write {attributes}: {exc.strerror}") from exc
        done += [f"added {line} to .gitattributes" for line in missing]

    where = _git(root, "rev-parse", "--git-path", "config").stdout.strip() or ".git/config"
    driver = driver or driver_command()
    for name, value in ((f"merge.{DRIVER}.name", DRIVER_NAME), (f"merge.{DRIVER}.driver", driver)):
        current = _git(root, "config", "--local", "--get", name)
        if current.returncode == 0 and current.stdout.rstrip("\n") == value:
            continue
        changed = _git(root, "config", "--local", name, value)
        if changed.returncode != 0:
            raise MergeError(f"git config {name} failed: {changed.stderr.strip()}")
        done.append(f"set {name} in {where}")
    return done or ["already set up"]


def setup(
    root: Path, config: Config, *, create: bool = False, marked: Sequence[str] = ()
) -> list[str]:
    """`git_setup` for the vault at `root`, in the repository that holds it (`create`: make one
    when there is none); a vault below the work tree's top gets a driver that names it."""
    done: list[str] = []
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if create and inside.returncode != 0:
        # A repository git will not use here (another user's, "dubious ownership") is no
        # reason to make one over it: `git init` as root would take its .git/config away.
        for folder in (root, *root.resolve().parents):
            if os.path.lexists(folder / ".git"):
                reason = " ".join(inside.stderr.split()) or "git cannot use it"
                raise MergeError(
                    f"{folder / '.git'} exists but git refuses it ({reason}); nothing was "
                    "changed in it: run this as the repository's owner"
                )
        made = subprocess.run(
            ["git", "init", "-q", str(root)], capture_output=True, text=True, check=False
        )
        if made.returncode != 0:
            raise MergeError(f"git init failed: {made.stderr.strip()}")
        done.append("created a git repository")
    vault = None
    top = _git(root, "rev-parse", "--show-toplevel")
    if top.returncode == 0 and Path(top.stdout.strip()).resolve() != root.resolve():
        # git runs the driver at the top of the work tree: point it at the vault.
        vault = os.path.relpath(root.resolve(), Path(top.stdout.strip()).resolve())
    return done + git_setup(root, config, driver=driver_command(vault), marked=marked)
