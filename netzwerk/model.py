"""The vault's entities as frozen dataclasses (and a named tuple); no I/O here."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

_T = TypeVar("_T")

# Log kinds and what they mean for the relationship.
CONTACT_KINDS = frozenset({"call", "meet", "message", "mail", "visit"})
GIVE_KINDS = frozenset({"gave", "intro"})
GET_KINDS = frozenset({"got"})
LOG_KINDS = ("call", "meet", "message", "mail", "visit", "gave", "got", "intro", "note")

# The front-matter keys netzwerk knows, in SPEC's order.
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


def fold(text: str) -> str:
    """Lower-case and strip accents, for matching names the way people type them."""
    if text.isascii():
        return text.casefold().strip()
    return _fold_unicode(text)


@lru_cache(maxsize=65536)
def _fold_unicode(text: str) -> str:
    folded = text.casefold()
    if _HAS_EXTRA.search(folded):  # translate() is slow on non-ASCII text: only when needed
        folded = folded.translate(_EXTRA_FOLDS)
    decomposed = unicodedata.normalize("NFKD", folded)
    return _COMBINING.sub("", decomposed).strip()


# Letters that NFKD does not decompose.
_EXTRA = {"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"}
_EXTRA_FOLDS = str.maketrans(_EXTRA)
_HAS_EXTRA = re.compile(f"[{''.join(_EXTRA)}]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$")


@lru_cache(maxsize=16384)  # the notes of a vault share a few thousand days
def parse_date(value: str) -> date | None:
    """`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]`; None when it is no real date."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    match = _DATE.match(value.strip())
    if match is None:
        return None
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    try:
        result = date(year, month, day)
        if match.group(4) is not None:
            datetime(year, month, day, int(match.group(4)), int(match.group(5)), tzinfo=UTC)
    except ValueError:
        return None
    return result


_DURATION = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Duration:
    """A cadence: days, weeks, calendar months or years; or never."""

    count: int
    unit: str  # "d", "w", "m", "y"; "never" with count 0

    @classmethod
    def parse(cls, text: str) -> Duration | None:
        """`10d 3w 2m 1y never`; None when the text is not a duration."""
        stripped = text.strip().lower()
        if stripped == "never":
            return NEVER
        match = _DURATION.match(stripped)
        if match is None:
            return None
        return cls(int(match.group(1)), match.group(2).lower())

    @property
    def never(self) -> bool:
        return self.unit == "never"

    def after(self, start: date) -> date | None:
        """The date one duration after `start`; None for never or past the calendar."""
        return _after(self.count, self.unit, start)

    def approx_days(self) -> int:
        """Length in days, for comparing how overdue people are relative to cadence."""
        return {"d": 1, "w": 7, "m": 30, "y": 365}.get(self.unit, 0) * self.count

    def __str__(self) -> str:
        return "never" if self.never else f"{self.count}{self.unit}"


NEVER = Duration(0, "never")


# Remembered: a vault's people share a few hundred last-contact dates and a few cadences.
@lru_cache(maxsize=65536)
def _after(count: int, unit: str, start: date) -> date | None:
    try:
        if unit == "d":
            return start + timedelta(days=count)
        if unit == "w":
            return start + timedelta(weeks=count)
        if unit in ("m", "y"):
            return add_months(start, count if unit == "m" else 12 * count)
    except OverflowError:
        return None
    return None


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(start: date, months: int) -> date:
    """Calendar months later; the day clamps to the month's end (31 Jan + 1m = 28/29 Feb)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    last = 29 if month == 1 and calendar.isleap(year) else _MONTH_DAYS[month]
    return date(year, month + 1, min(start.day, last))


class Birthday(NamedTuple):
    """A birthday, with or without the year."""

    month: int
    day: int
    year: int | None = None

    def in_year(self, year: int) -> date:
        """The day it is celebrated in `year` (29 February on 28 February in other years)."""
        if self.month == 2 and self.day == 29 and not calendar.isleap(year):
            return date(year, 2, 28)
        return date(year, self.month, self.day)

    def __str__(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


class LogEntry(NamedTuple):
    """One `- YYYY-MM-DD[ kind]: text` line of a note's body.

    A named tuple rather than a dataclass: a warm run makes some 35,000 of them from the
    index, and a tuple is made several times faster.
    """

    date: date
    kind: str | None  # None: no kind given (counts as contact)
    text: str
    line: int
    links: tuple[str, ...] = ()  # wikilink targets in the text

    @property
    def is_contact(self) -> bool:
        return self.kind is None or self.kind in CONTACT_KINDS

    @property
    def is_gave(self) -> bool:
        return self.kind in GIVE_KINDS

    @property
    def is_got(self) -> bool:
        return self.kind in GET_KINDS


class Mention(NamedTuple):
    """A wikilink in a journal note."""

    target: str  # the linked note's name (no folder, heading or alias part)
    line: int
    counts: bool  # False inside an unchecked task, quote, code block or embed


class JournalNote(NamedTuple):
    """A dated note in a journal folder."""

    path: str
    date: date
    mentions: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class Contact:
    """One person: a note in a contact folder."""

    name: str  # the note's title (file name without .md)
    path: str  # relative to the vault root, POSIX separators
    tier: str | None = None
    last_contact: date | None = None
    cadence: Duration | None = None
    snooze_until: date | None = None
    paused: bool = False
    birthday: Birthday | None = None
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    company: str | None = None
    role: str | None = None
    location: str | None = None
    email: str | None = None
    phone: str | None = None
    linkedin: str | None = None
    interests: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    knows: tuple[str, ...] = ()  # link targets
    introduced_by: str | None = None
    log: tuple[LogEntry, ...] = ()
    body: str = ""
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def names(self) -> tuple[str, ...]:
        """The title and every alias."""
        return (self.name, *self.aliases)


def _direct_maker(cls: type[_T]) -> Callable[..., _T]:
    """A function that makes a `cls` (a frozen slots dataclass) from every field, in order,
    by setting its slots.

    Contacts are made by the ten thousand (parsed, or decoded from the index): a generated
    `__init__` sets each field through `object.__setattr__`, which took half as long again as
    decoding the rest of a contact.
    """
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    lines = [f"def make({', '.join(names)}):", "    made = new(cls)"]
    for number, name in enumerate(names):
        scope[f"set{number}"] = getattr(cls, name).__set__
        lines.append(f"    set{number}(made, {name})")
    lines.append("    return made")
    exec("\n".join(lines), scope)
    maker: Callable[..., _T] = scope["make"]
    return maker


# Contact(name, path, tier, …, body, lines, extra): every field, in order, none left out.
make_contact = _direct_maker(Contact)


class Tier(NamedTuple):
    """A circle of people with a cadence and a capacity."""

    name: str
    label: str
    cadence: Duration
    capacity: int | None


def link_key(target: str) -> str:
    """How a wikilink target is compared with note names: Obsidian ignores case."""
    return target.strip().casefold()


@dataclass(frozen=True)
class Snapshot:
    """Everything read from a vault: contacts sorted by name, journal notes by date."""

    contacts: tuple[Contact, ...] = ()
    journals: tuple[JournalNote, ...] = ()
    broken: tuple[str, ...] = ()  # names of contact notes that could not be read

    def __post_init__(self) -> None:
        # Aliases first so that a title always wins over someone else's alias; of two contacts
        # with one alias the first wins (walked backwards, it is assigned last).
        by_link = {
            link_key(alias): contact
            for contact in reversed(self.contacts)
            for alias in contact.aliases
        }
        by_link.update({link_key(contact.name): contact for contact in self.contacts})
        object.__setattr__(self, "_by_link", by_link)
        # Link texts repeat (checks, counts and the graph each look up the same `knows`).
        object.__setattr__(self, "_resolved", _Resolved(by_link))

    def links(self) -> dict[str, Contact]:
        """Every title and alias, as `link_key` gives it, with the contact a link to it means."""
        by_link: dict[str, Contact] = self._by_link  # type: ignore[attr-defined]
        return by_link

    def resolve(self, target: str) -> Contact | None:
        """The contact a wikilink target (title or alias, any case) points to."""
        resolved: _Resolved = self._resolved  # type: ignore[attr-defined]
        return resolved[target]


class _Resolved(dict[str, "Contact | None"]):
    """Link text -> the contact it points to (None: none), looked up once per text."""

    def __init__(self, by_link: dict[str, Contact]) -> None:
        super().__init__()
        self.by_link = by_link

    def __missing__(self, target: str) -> Contact | None:
        found = self[target] = self.by_link.get(link_key(target))
        return found
