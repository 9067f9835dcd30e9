"""The body of a note, below its front matter: log sections and their entries, connection
sections, and the links of journal notes (wikilinks, Markdown links, Dataview fields).

Only what stands under a heading named in `log_headings` is a log, and only links under one
named in `connection_headings` are connections. Code blocks, quotes of code and the lines
between git conflict markers are never read as data.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from datetime import date
from typing import NamedTuple
from urllib.parse import unquote

from netzwerk.model import LOG_KINDS, LogEntry, Mention, OpenTask, Related, parse_date
from netzwerk.problems import Problem, error, warning
from netzwerk.text import CODE, COMMENT, TEXT, did_you_mean, line_kinds

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_CONFLICT_START = re.compile(r"^<{7}(?: |$)")
_CONFLICT_END = re.compile(r"^>{7}(?: |$)")
# `- YYYY-MM-DD kind: text`; without text the colon may be left out (`- 2026-11-23 call`).
_LOG = re.compile(
    r"^\s*[-*+]\s+(?:\[[ xX]\]\s+)?([0-9]{4}-[0-9]{2}-[0-9]{2})(?:\s+([^\s:][^:]*?))?\s*"
    r"(?::\s?(.*))?$"
)
# `### 2026-06-12 — Email`: a log entry written as a heading, its text below.
_HEADING_ENTRY = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:\s*[—–:-]+\s*|\s+|$)(.*)$")
_LINK = re.compile(r"(!?)\[\[([^\[\]|#^]*)(?:[#^][^\[\]|]*)?(?:\|[^\[\]]*)?\]\]")
_MD_LINK = re.compile(r"(!?)\[(?:[^\[\]\\]|\\.)*\]\(<?([^()<>\s]+\.md)>?(?:#[^()\s]*)?\)")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_TASK = re.compile(r"^\s*(?:[-*+]|[0-9]+[.)])\s+\[(.)\]")
_FIELD = re.compile(r"(?:^|[(\[])\s*([\w][\w -]*?)::\s*([^)\]]*)")
_RELATION = re.compile(r"^\s*[-*+]\s+([^:\[\]]{1,40}?):\s*(.*)$")
_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?([^:*_]{1,30})(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*"
)

# Words people write for the kind of a contact, as log kinds.
_KIND_WORDS = {
    "call": "call",
    "phone": "call",
    "zoom": "call",
    "video": "call",
    "facetime": "call",
    "teams": "call",
    "skype": "call",
    "meet": "meet",
    "meeting": "meet",
    "coffee": "meet",
    "lunch": "meet",
    "dinner": "meet",
    "breakfast": "meet",
    "drinks": "meet",
    "message": "message",
    "text": "message",
    "sms": "message",
    "chat": "message",
    "whatsapp": "message",
    "signal": "message",
    "dm": "message",
    "slack": "message",
    "mail": "mail",
    "email": "mail",
    "e-mail": "mail",
    "letter": "mail",
    "visit": "visit",
    "gave": "gave",
    "got": "got",
    "intro": "intro",
    "note": "note",
}
_KINDS = frozenset(LOG_KINDS)


class Line(NamedTuple):
    """A line of the body that may hold data: its file line and the headings above it."""

    number: int
    text: str
    section: str  # the title of the nearest heading above, folded ("" before any)
    sections: tuple[str, ...]  # the titles of every heading it stands under, folded


def data_lines(body: str, first_line: int) -> Iterator[Line]:
    """The body's lines outside code blocks and git conflict regions, with their headings;
    headings themselves included (their text starts with `#`)."""
    lines = body.split("\n")
    open_headings: list[tuple[int, str]] = []  # (level, folded title)
    conflict = False
    for offset, (text, kind) in enumerate(zip(lines, line_kinds(lines), strict=True)):
        if kind != TEXT:
            continue
        if _CONFLICT_START.match(text):
            conflict = True
            continue
        if conflict:
            conflict = not _CONFLICT_END.match(text)
            continue
        heading = _HEADING.match(text)
        if heading is not None:
            level = len(heading.group(1))
            title = _CLOSING_HASHES.sub("", heading.group(2) or "").strip().casefold()
            while open_headings and open_headings[-1][0] >= level:
                open_headings.pop()
            open_headings.append((level, title))
        titles = tuple(title for _, title in open_headings)
        yield Line(first_line + offset, text, titles[-1] if titles else "", titles)


def heading_title(text: str) -> str | None:
    """A heading line's title as written; None for another line."""
    heading = _HEADING.match(text)
    if heading is None:
        return None
    return _CLOSING_HASHES.sub("", heading.group(2) or "").strip()


# The same patterns over a whole body at once (`^`/`$` at each line; never across lines).
_HEADING_LINES = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+([^\n]*?))?[ \t]*$", re.MULTILINE)
_LOG_LINES = re.compile(
    r"^[^\S\n]*[-*+][^\S\n]+(?:\[[ xX]\][^\S\n]+)?([0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[^\S\n]+([^\s:][^:\n]*?))?[^\S\n]*(?::[^\S\n]?([^\n]*))?$",
    re.MULTILINE,
)


@functools.lru_cache(maxsize=8)
def _log_heading(headings: tuple[str, ...]) -> re.Pattern[str]:
    """A heading line named like one of `headings` (perhaps inside code: a first look)."""
    names = "|".join(re.escape(title) for title in headings)
    return re.compile(rf"^ {{0,3}}#{{1,6}}[ \t]+(?:{names})(?:[ \t]+#*)?[ \t]*$", re.M | re.I)


def parse_log(
    path: str, body: str, first_line: int, headings: Sequence[str]
) -> tuple[tuple[LogEntry, ...], list[Problem]]:
    """The entries of the log sections (`- YYYY-MM-DD[ kind]: text`, or a heading
    `### YYYY-MM-DD — Kind` with its text below), with problems of bad dates and kinds."""
    if _log_heading(tuple(headings)).search(body) is None:
        return (), []
    wanted = {title.casefold() for title in headings}
    if not any(mark in body for mark in ("`", "~~~", "<<<<<<<", "%%", "<!--")):
        found = _parse_sections(path, body, first_line, wanted)
        if found is not None:
            return found
    return _parse_lines(path, body, first_line, wanted)


def _parse_sections(
    path: str, body: str, first_line: int, wanted: set[str]
) -> tuple[tuple[LogEntry, ...], list[Problem]] | None:
    """`parse_log` for a body without code or conflicts, each log section read in one
    regular-expression pass (most notes: ten times faster than line by line); None when a
    log section has headings of its own (heading entries), which `_parse_lines` reads."""
    heads = [
        (m.start(), m.end(), len(m.group(1)), _CLOSING_HASHES.sub("", m.group(2) or "").strip())
        for m in _HEADING_LINES.finditer(body)
    ]
    entries: list[LogEntry] = []
    problems: list[Problem] = []
    for index, (_, end, level, title) in enumerate(heads):
        if title.casefold() not in wanted:
            continue
        stop = len(body)
        for start, _, other, _ in heads[index + 1 :]:
            if other <= level:
                stop = start
                break
            return None  # a heading inside the log section
        line = first_line + body.count("\n", 0, end)
        at = end
        for match in _LOG_LINES.finditer(body, end, stop):
            line += body.count("\n", at, match.start())
            at = match.start()
            written, kind, text = match.groups()
            _add(entries, problems, path, line, written, kind, text, from_heading=False)
    return tuple(entries), problems


def _parse_lines(
    path: str, body: str, first_line: int, wanted: set[str]
) -> tuple[tuple[LogEntry, ...], list[Problem]]:
    """`parse_log`, line by line: code blocks, conflict regions and heading entries."""
    entries: list[LogEntry] = []
    problems: list[Problem] = []
    pending: tuple[int, str, str | None, str] | None = None  # a heading entry, its text to come
    texts: list[str] = []

    def finish() -> None:
        nonlocal pending
        if pending is not None:
            number, written, kind, title = pending
            text = _summary(texts) or title
            _add(entries, problems, path, number, written, kind, text, from_heading=True)
        pending = None
        texts.clear()

    for line in data_lines(body, first_line):
        in_log = any(title in wanted for title in line.sections)
        title = heading_title(line.text)
        if title is not None:
            finish()
            entry = _HEADING_ENTRY.match(title) if in_log else None
            if entry is not None and title.casefold() not in wanted:
                written, rest = entry.groups()
                kind, rest = _kind_of(rest)
                pending = (line.number, written, kind, rest)
            continue
        if not in_log:
            continue
        if pending is not None:
            texts.append(line.text)
            continue
        match = _LOG.match(line.text) if line.text.lstrip()[:1] in ("-", "*", "+") else None
        if match is not None:
            written, kind, text = match.groups()
            _add(entries, problems, path, line.number, written, kind, text, from_heading=False)
    finish()
    return tuple(entries), problems


def _add(
    entries: list[LogEntry],
    problems: list[Problem],
    path: str,
    number: int,
    written: str,
    kind: str | None,
    text: str | None,
    *,
    from_heading: bool,
) -> None:
    if text is None:  # no colon: a log line only as `- DATE` or `- DATE kind`, no other words
        if kind is not None and kind.strip().lower() not in _KINDS:
            return
        text = ""
    day = parse_date(written)
    if day is None:
        problems.append(error(path, number, "NW203", f"log line date is not a date: {written!r}"))
        return
    if kind is not None and kind not in _KINDS:
        kind = kind.strip().lower()
        if kind not in _KINDS:
            if " " in kind or from_heading:  # "- 2026-01-02 Note to self: …" is no log line
                return
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


def _kind_of(rest: str) -> tuple[str | None, str]:
    """The kind a heading entry names (`Email`, `Zoom call`), and what else it says."""
    words = rest.strip().split()
    for word in words:
        kind = _KIND_WORDS.get(word.strip(".,;:()").casefold())
        if kind is not None:
            return kind, rest.strip() if len(words) > 1 else ""
    return None, rest.strip()


def _summary(texts: list[str]) -> str:
    """What a heading entry's text says, in one line: its summary, else its first line."""
    lines = [t.strip() for t in texts if t.strip()]
    for text in lines:
        label = _LABEL.match(text)
        if label is not None and label.group(1).strip().casefold() in ("summary", "notes", "topic"):
            return text[label.end() :].strip()
    if not lines:
        return ""
    first = lines[0]
    label = _LABEL.match(first)
    return (first[label.end() :] if label is not None else first.lstrip("-*+ ")).strip()


def parse_connections(body: str, first_line: int, headings: Sequence[str]) -> tuple[Related, ...]:
    """The people linked under the connection headings (`## People`), with a relation when the
    line names one (`- spouse: [[Anna]]`)."""
    wanted = {title.casefold() for title in headings}
    if "[[" not in body or not any(title in body.casefold() for title in wanted):
        return ()
    found: list[Related] = []
    for line in data_lines(body, first_line):
        if line.section not in wanted or "[[" not in line.text:
            continue
        relation = _RELATION.match(line.text)
        label = relation.group(1).strip() if relation and "[[" in relation.group(2) else None
        for target in links_in(line.text):
            found.append(Related(target, line.number, label))
    return tuple(found)


def note_name(target: str) -> str:
    """The name of the note a link target means: `People/Ben Hale.md` → `Ben Hale`."""
    name = target.strip().rsplit("/", 1)[-1]
    return name[:-3].rstrip() if name[-3:].casefold() == ".md" else name


def link_target(text: str) -> str | None:
    """`[[Paul Martin|Paul]]` → `Paul Martin`; a plain name is taken as it is."""
    match = _LINK.search(text)
    if match is not None:
        return note_name(match.group(2)) or None
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
        target = note_name(match.group(2))
        if target:
            found.append(target)
    return tuple(found)


def link_texts(text: str) -> tuple[str, list[str]]:
    """A value as shown (links as their alias or target, without brackets) and its links."""
    targets: list[str] = []

    def shown(match: re.Match[str]) -> str:
        target = note_name(match.group(2))
        if target:
            targets.append(target)
        alias = match.group(0).split("|", 1)[1][:-2] if "|" in match.group(0) else None
        return (alias or target).strip()

    return _LINK.sub(shown, text).strip(), targets


def mentions(body: str, first_line: int, interactions: Sequence[str]) -> list[Mention]:
    """Every link of a journal body, each marked whether it counts as contact: not in open
    tasks, quotes, code or embeds. Markdown links to notes count like wikilinks, and the
    plain names of Dataview fields named like interaction keys (`person:: Elias`) too."""
    found: list[Mention] = []
    if "[[" not in body and ".md" not in body and "::" not in body:
        return found
    lines = body.split("\n")
    for offset, (line, kind) in enumerate(zip(lines, line_kinds(lines), strict=True)):
        number = first_line + offset
        if kind in (CODE, COMMENT):  # mentioned, not met
            found += [Mention(t, number, False) for t in _all_targets(line)]
            continue
        if kind != TEXT:
            continue
        stripped = line.lstrip()
        task = _TASK.match(line)
        blocked = stripped.startswith(">") or (task is not None and task.group(1) not in "xX")
        code = [m.span() for m in _INLINE_CODE.finditer(line)] if "`" in line else []
        for match in (*_LINK.finditer(line), *_MD_LINK.finditer(line)):
            target = _target(match)
            if not target:
                continue
            in_code = any(start <= match.start() < end for start, end in code)
            counts = not (blocked or match.group(1) or in_code)
            found.append(Mention(target, number, counts))
        if "::" in line:
            for field in _FIELD.finditer(line):
                key, value = field.group(1).strip().casefold(), field.group(2).strip()
                if key in interactions and value and "[[" not in value:
                    for name in value.split(","):
                        if name.strip():
                            found.append(Mention(name.strip(), number, not blocked, plain=True))
    return found


def _target(match: re.Match[str]) -> str:
    """The note a wikilink or a Markdown link points to, by its name."""
    return note_name(unquote(match.group(2)) if match.re is _MD_LINK else match.group(2))


def _all_targets(line: str) -> list[str]:
    return [t for m in (*_LINK.finditer(line), *_MD_LINK.finditer(line)) if (t := _target(m))]


# --- open tasks ----------------------------------------------------------------------------

# An open task (` ` not done, `/` in progress, as the Tasks plugin has them) and its text.
_OPEN_TASK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[ /]\]\s+(.*?)\s*$")
# The Tasks plugin's dates (📅 due, ⏳ scheduled; 🛫 start, ➕ created, ✅ done, ❌ cancelled).
_EMOJI_DATE = re.compile(r"(📅|⏳|🛫|➕|✅|❌)\ufe0f?[ \t]*(\S*)")
# Its other fields: priorities, recurrence (up to the next field), ids and dependencies.
_EMOJI_FIELD = re.compile(
    r"[⏫🔼🔽⏬🔺]\ufe0f?|🔁\ufe0f?[^📅⏳🛫➕✅❌⏫🔼🔽⏬🔺🆔⛔🏁]*|(?:🆔|⛔|🏁)\ufe0f?[ \t]*\S*"
)
# Dataview's inline fields: `[due:: 2026-11-25]`, `(due:: …)`, or `due:: …` to the end.
_INLINE_FIELD = re.compile(r"\[([\w][\w -]*)::([^\]]*)\]|\(([\w][\w -]*)::([^)]*)\)")
_TRAILING_FIELD = re.compile(r"(?:^|\s)([\w][\w-]*)::\s*(.*)$")
_BLOCK_ID = re.compile(r"\s\^[\w-]+$")
_TASK_DATES = {"📅": "due", "⏳": "scheduled"}


def open_tasks(
    path: str, body: str, first_line: int, *, own: bool = False
) -> tuple[tuple[OpenTask, ...], list[Problem]]:
    """The open tasks of a body that have a date (📅 due or ⏳ scheduled, or Dataview's
    `due::` and `scheduled::`) and link a note, or (`own`: in a contact's note) any; with a
    problem for each date that is no date."""
    if "[ ]" not in body and "[/]" not in body:
        return (), []
    if "📅" not in body and "⏳" not in body and "::" not in body:
        return (), []
    found: list[OpenTask] = []
    problems: list[Problem] = []
    for line in data_lines(body, first_line):
        match = _OPEN_TASK.match(line.text)
        if match is None:
            continue
        text = match.group(1)
        targets = tuple(
            t
            for m in (*_LINK.finditer(text), *_MD_LINK.finditer(text))
            if not m.group(1) and (t := _target(m))
        )
        if not targets and not own:
            continue
        dates: dict[str, str] = {}
        for emoji, written in _EMOJI_DATE.findall(text):
            if emoji in _TASK_DATES:
                dates.setdefault(_TASK_DATES[emoji], written)
        fields = [
            (m.group(1) or m.group(3), m.group(2) or m.group(4))
            for m in _INLINE_FIELD.finditer(text)
        ]
        trailing = _TRAILING_FIELD.search(_INLINE_FIELD.sub("", text))
        if trailing is not None:
            fields.append((trailing.group(1), trailing.group(2)))
        for key, value in fields:
            key = key.strip().casefold()
            if key in ("due", "scheduled"):
                dates.setdefault(key, value.strip())
        if not dates:
            continue
        days: dict[str, date | None] = {}
        for key, written in dates.items():
            days[key] = parse_date(written)
            if days[key] is None:
                message = f"task date is not a date: {written!r}; write YYYY-MM-DD"
                problems.append(error(path, line.number, "NW203", message))
        if days.get("due") is None and days.get("scheduled") is None:
            continue
        found.append(
            OpenTask(
                path, line.number, task_text(text), days.get("due"), days.get("scheduled"), targets
            )
        )
    return tuple(found), problems


def task_text(text: str) -> str:
    """A task's words without its dates, fields and block id."""
    text = _EMOJI_DATE.sub(" ", text)
    text = _EMOJI_FIELD.sub(" ", text)
    text = _INLINE_FIELD.sub(" ", text)
    text = _TRAILING_FIELD.sub(" ", text)
    text = _BLOCK_ID.sub("", text)
    return " ".join(text.split())


# --- a line to make a message personal -----------------------------------------------------

# A sentence ends at `.`, `!` or `?` before a capital letter, unless it ends a short
# abbreviation (`St. Georg`, `Dr. Ode`).
_SENTENCE_END = re.compile(r"(?<=[^\s.]{3}[.!?])\s+(?=[\"“„'(]?[^\W\d_])|(?<=[!?])\s+")
_PROSE_START = re.compile(r"^\s*(?:#|[-*+>|]|\d+[.)]\s|<!--|%%|!\[\[|---|\$\$)")
BLURB_MAX = 160


def first_sentence(body: str) -> str | None:
    """The first sentence of a note's text (below its title, before any list or log), links
    shown as their text: something to make a message personal. None without prose."""
    paragraph: list[str] = []
    fence: str | None = None
    for line in body.split("\n", 200)[:200]:  # (the first paragraph: no need for the rest)
        text = line.strip()
        if fence is not None:  # inside a code block
            if text.startswith(fence):
                fence = None
            continue
        if text.startswith(("```", "~~~")):
            if paragraph:
                break
            fence = text[:3]
            continue
        if not text:
            if paragraph:
                break
            continue
        if _PROSE_START.match(text) or "::" in text or _CONFLICT_START.match(text):
            if paragraph:
                break
            continue
        paragraph.append(text)
    if not paragraph:
        return None
    shown, _ = link_texts(" ".join(paragraph))
    shown = _MD_TEXT.sub(r"\1", shown)
    sentence = _SENTENCE_END.split(shown, maxsplit=1)[0].strip()
    if len(sentence) > BLURB_MAX:
        sentence = sentence[: BLURB_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence or None


_MD_TEXT = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\([^()\s]*\)")
