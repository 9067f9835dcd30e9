"""Small text helpers every stage shares: folding, suggestions, wording, fences. No I/O."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache

# Letters that NFKD does not decompose into a base letter and accents.
_EXTRA_FOLDS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"}
)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@lru_cache(maxsize=65536)  # names and link texts repeat across a vault
def fold(text: str) -> str:
    """Lower-case, strip accents and surrounding space: how people type names and places.

    Scripts are not transliterated into each other: `Müller` matches `muller`, `田中` stays.
    """
    if text.isascii():
        return text.casefold().strip()
    return fold_text(text).strip()


def fold_text(text: str) -> str:
    """`fold` without stripping, and without remembering: for long texts such as note bodies."""
    if text.isascii():
        return text.casefold()
    folded = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))
    return folded if folded.isascii() else folded.translate(_EXTRA_FOLDS)


def suggest(word: str, choices: Iterable[str], *, cutoff: float = 0.6, n: int = 1) -> list[str]:
    """The choices closest to `word` ("did you mean"), ignoring case and accents first."""
    options = list(dict.fromkeys(choices))
    same = [c for c in options if fold(c) == fold(word)]
    if same:
        return same[:n]
    folded = {fold(c): c for c in reversed(options)}
    close = difflib.get_close_matches(fold(word), list(folded), n=n, cutoff=cutoff)
    return [folded[c] for c in close]


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str:
    """`; did you mean 'x'?` for the closest choice, or ""."""
    close = suggest(word, choices, cutoff=cutoff)
    return f"; did you mean {close[0]!r}?" if close else ""


_UNITS = {"d": "day", "w": "week", "m": "month", "y": "year"}


def duration_words(count: int, unit: str, *, every: bool = False) -> str:
    """`3 weeks`, `1 month`; with `every`: `every 3 weeks`, `every month`."""
    if unit == "never":
        return "never"
    word = _UNITS[unit]
    if every:
        return f"every {word}" if count == 1 else f"every {count} {word}s"
    return f"{count} {word}{'' if count == 1 else 's'}"


def plural(count: int, one: str, many: str | None = None) -> str:
    """`1 birthday`, `3 birthdays`; `many` for irregular words (`3 overdue`)."""
    return f"{count} {one if count == 1 else (many if many is not None else one + 's')}"


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def day_label(day: date) -> str:
    """`Thu 26 Nov`."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1][:3]}"


def range_label(start: date, end: date) -> str:
    """`23–29 November 2026`, `30 November – 6 December 2026`, across years in full."""
    if start.year != end.year:
        return (
            f"{start.day} {_MONTHS[start.month - 1]} {start.year} – "
            f"{end.day} {_MONTHS[end.month - 1]} {end.year}"
        )
    if start.month != end.month:
        return (
            f"{start.day} {_MONTHS[start.month - 1]} – "
            f"{end.day} {_MONTHS[end.month - 1]} {end.year}"
        )
    if start == end:
        return f"{start.day} {_MONTHS[end.month - 1]} {end.year}"
    return f"{start.day}–{end.day} {_MONTHS[end.month - 1]} {end.year}"


def ago(days: int) -> str:
    """How long before a week's first day, in words: `this week` (0 or fewer days),
    `1 day ago`, `10 days ago`, `5 weeks ago`, `4 months ago`, `2 years ago`."""
    if days <= 0:
        return "this week"
    if days < 14:
        return f"{plural(days, 'day')} ago"
    if days < 70:
        return f"{days // 7} weeks ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def times(count: int) -> str:
    """`once`, `twice`, `3 times`."""
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


# The line that opens or closes a fenced code block (CommonMark: up to three spaces of indent).
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")

# What a line of Markdown is, as far as fenced code blocks and comments go.
TEXT, FENCE_LINE, CODE, COMMENT = 0, 1, 2, 3


def line_kinds(lines: Sequence[str]) -> list[int]:
    """For each line (with or without its ending): TEXT, FENCE_LINE (a fence opening or
    closing a code block), CODE (inside one) or COMMENT (inside an Obsidian `%% … %%` or an
    HTML `<!-- … -->` comment, or wholly one: hidden when the note is read)."""
    kinds: list[int] = []
    fence: str | None = None
    closer: str | None = None  # the end of the comment the line is in
    for line in lines:
        if closer is not None:
            end = line.find(closer)
            if end >= 0:
                closer = _opened(line[end + len(closer) :])
            kinds.append(COMMENT)
            continue
        match = FENCE.match(line) if ("`" in line or "~" in line) else None
        if fence is None:
            if match:
                fence = match.group(1)
                kinds.append(FENCE_LINE)
            elif "%%" in line or "<!--" in line:
                closer = _opened(line)
                stripped = line.strip()
                whole = stripped.startswith(("%%", "<!--")) and (
                    closer is not None or stripped.endswith(("%%", "-->"))
                )
                kinds.append(COMMENT if whole else TEXT)
            else:
                kinds.append(TEXT)
            continue
        closes = (
            match is not None
            and match.group(1)[0] == fence[0]
            and len(match.group(1)) >= len(fence)
            and not line[match.end() :].strip()
        )
        if closes:
            fence = None
        kinds.append(FENCE_LINE if closes else CODE)
    return kinds


def _opened(text: str) -> str | None:
    """The closer of a comment that `text` opens and does not close (`%%`, `-->`), if any."""
    closer: str | None = None
    at = 0
    while True:
        if closer is None:
            starts = [(text.find(o, at), c) for o, c in (("%%", "%%"), ("<!--", "-->"))]
            found = [(i, c) for i, c in starts if i >= 0]
            if not found:
                return None
            index, closer = min(found)
            at = index + (2 if closer == "%%" else 4)
        else:
            end = text.find(closer, at)
            if end < 0:
                return closer
            at = end + len(closer)
            closer = None


# Characters Obsidian cannot put in a file name it links to, or in a link.
UNLINKABLE = frozenset('[]#^|\\:*"<>?')
