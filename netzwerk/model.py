"""What a vault is made of: contacts, log lines, journal notes, tiers. No I/O, no netzwerk imports.

Records are named tuples: immutable like frozen dataclasses, and made ten times faster, which
counts where a command makes one per note of a vault of 10,000.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

# Log kinds and what they mean for the relationship.
CONTACT_KINDS = frozenset({"call", "meet", "message", "mail", "visit"})
GIVE_KINDS = frozenset({"gave", "intro"})
GET_KINDS = frozenset({"got"})
WARMUP_KINDS = frozenset({"warmup"})  # a step towards someone you want to meet: no contact
LOG_KINDS = ("call", "meet", "message", "mail", "visit", "gave", "got", "intro", "warmup", "note")

# The built-in tier of people you want to meet: never due as a contact.
TARGET = "target"

# Line breaks (YAML's too) and other control characters: no property name holds one.
_NOT_IN_A_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def is_property_name(name: object) -> bool:
    """Whether `name` can stand as a property of front matter that netzwerk writes: some text,
    without a line break or another control character."""
    return isinstance(name, str) and bool(name.strip()) and not _NOT_IN_A_NAME.search(name)


# The front-matter keys netzwerk knows, in SPEC's order.
KNOWN_KEYS = (
    "tier",
    "last_contact",
    "cadence",
    "snooze_until",
    "paused",
    "birthday",
    "died",
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
    "name",
    "next_contact",
    "address",
    "greetings",
)
# Keys that hold a list (one value written alone is a one-item list), and keys of one text.
LIST_KEYS = frozenset(
    {"tags", "aliases", "email", "phone", "address", "interests", "needs", "offers", "knows"}
)
TEXT_KEYS = frozenset({"company", "role", "location", "linkedin", "name"})

# The words YAML 1.1 reads as true or false (netzwerk reads them whatever the quoting).
BOOL_WORDS = {
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "on": True,
    "off": False,
    "y": True,
    "n": False,
}

# A year or a month alone (`1852`, `1852-11`), as `died` may hold it.
YEAR_OR_MONTH = re.compile(r"[0-9]{4}(?:-(?:0[1-9]|1[0-2]))?")

_DATE = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt ]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?"
    r"(?:[ ]*(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?))?)?$"
)


@lru_cache(maxsize=16384)  # the notes of a vault share a few thousand days
def parse_date(value: str) -> date | None:
    """`YYYY-MM-DD`, or a date and time (`2026-06-10T14:30:00.123Z`, `2026-06-10 14:30+02:00`):
    the date as written; None when it is no real date."""
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


_DURATION = re.compile(
    r"^\s*(?:([0-9]+)\s*([dwmy])|every\s+([0-9]+)\s*(days?|weeks?|months?|years?))\s*$",
    re.IGNORECASE,
)
DURATION_HINT = "write e.g. 10d, 3w, 2m, 1y, every 3 weeks, monthly, 30 (days) or never"
# Cadences as people write them in words.
_DURATION_WORDS = {
    "daily": (1, "d"),
    "weekly": (1, "w"),
    "fortnightly": (2, "w"),
    "biweekly": (2, "w"),
    "monthly": (1, "m"),
    "bimonthly": (2, "m"),
    "quarterly": (3, "m"),
    "twice-yearly": (6, "m"),
    "half-yearly": (6, "m"),
    "semiannually": (6, "m"),
    "semi-annually": (6, "m"),
    "yearly": (1, "y"),
    "annually": (1, "y"),
    "every week": (1, "w"),
    "every month": (1, "m"),
    "every year": (1, "y"),
    "every day": (1, "d"),
}


MAX_CADENCE_DAYS = 100 * 365  # a cadence of at most 100 years


@dataclass(frozen=True, slots=True)
class Duration:
    """A cadence: days, weeks, calendar months or years; or never."""

    count: int
    unit: str  # "d", "w", "m", "y"; "never" with count 0

    @classmethod
    def parse(cls, text: str) -> Duration | None:
        """`10d 3w 2m 1y never`, `30` (days), `every 3 weeks`, `monthly`, `quarterly`, …;
        None when the text is not a duration."""
        stripped = " ".join(text.strip().lower().split())
        if stripped == "never":
            return NEVER
        if stripped in _DURATION_WORDS:
            return cls(*_DURATION_WORDS[stripped])
        if stripped.isascii() and stripped.isdigit():
            found = cls(int(stripped), "d")
        else:
            match = _DURATION.match(stripped)
            if match is None:
                return None
            count, unit = match.group(1, 2) if match.group(1) else match.group(3, 4)
            found = cls(int(count), unit[0].lower())
        # Longer than a lifetime is a typo, and past the calendar's end for date arithmetic.
        return found if found.approx_days() <= MAX_CADENCE_DAYS else None

    @property
    def never(self) -> bool:
        return self.unit == "never"

    def after(self, start: date) -> date | None:
        """The date one duration after `start`; None for never or past the calendar."""
        try:
            if self.unit == "d":
                return start + timedelta(days=self.count)
            if self.unit == "w":
                return start + timedelta(weeks=self.count)
            if self.unit in ("m", "y"):
                return add_months(start, self.count if self.unit == "m" else 12 * self.count)
        except OverflowError:
            return None
        return None

    def approx_days(self) -> int:
        """Length in days, for comparing how overdue people are relative to cadence."""
        return {"d": 1, "w": 7, "m": 30, "y": 365}.get(self.unit, 0) * self.count

    def __str__(self) -> str:
        return "never" if self.never else f"{self.count}{self.unit}"


NEVER = Duration(0, "never")


def add_months(start: date, months: int) -> date:
    """Calendar months later; the day clamps to the month's end (31 Jan + 1m = 28/29 Feb)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


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
    """One `- YYYY-MM-DD[ kind]: text` line of a note's body."""

    date: date
    kind: str | None  # None: no kind given (counts as contact)
    text: str
    line: int
    links: tuple[str, ...] = ()  # wikilink targets in the text

    @property
    def is_contact(self) -> bool:
        return self.kind is None or self.kind in CONTACT_KINDS


class Mention(NamedTuple):
    """A link to someone in a journal or interaction note."""

    target: str  # the linked note's name (no folder, heading or alias part)
    line: int
    counts: bool  # False inside an unchecked task, quote, code block or embed
    plain: bool = False  # a name written out (`people: [ada-lovelace]`), not a link


class OpenTask(NamedTuple):
    """An open task with a date (`- [ ] send [[Marie]] the address 📅 2026-11-25`), in a
    contact's note or one that links contacts."""

    path: str  # the note it lives in
    line: int
    text: str  # as written, without its checkbox, dates and fields; links kept
    due: date | None  # the Tasks plugin's 📅, or Dataview's `due::`
    scheduled: date | None  # the Tasks plugin's ⏳, or Dataview's `scheduled::`
    targets: tuple[str, ...] = ()  # the notes it links to

    @property
    def when(self) -> date:
        """The day it is for: its due date, else the day it is scheduled."""
        found = self.due or self.scheduled
        assert found is not None  # (only tasks with a date are kept)
        return found


class JournalNote(NamedTuple):
    """A dated note that says whom the user was with: a daily note in a journal folder, or a
    note of a meeting or chat (`date:` and `people:`) anywhere."""

    path: str
    date: date
    mentions: tuple[Mention, ...]
    daily: bool = True  # a note of the journal folder (not one of a meeting)
    tasks: tuple[OpenTask, ...] = ()  # open tasks with a date that link someone


class Trip(NamedTuple):
    """A trip: where to (one place or several) and when."""

    places: tuple[str, ...]
    start: date
    end: date


class Note(NamedTuple):
    """Another note netzwerk reads something from: a trip, a place (a company's note with a
    `location`), or open tasks with a date that link someone."""

    path: str
    location: str | None = None
    tasks: tuple[OpenTask, ...] = ()
    trip: Trip | None = None

    @property
    def title(self) -> str:
        """The note's title: its file name without `.md`."""
        return title_of(self.path)


_NO_LINES: Mapping[str, int] = MappingProxyType({})
_NO_EXTRA: Mapping[str, str] = MappingProxyType({})
_NO_REFS: Mapping[str, tuple[str, ...]] = MappingProxyType({})


class Related(NamedTuple):
    """Someone a contact's note links to under a connection heading (`## People`)."""

    target: str  # the link's target
    line: int
    relation: str | None  # `spouse` in `- spouse: [[Anna]]`; None for a plain link


class Rule(NamedTuple):
    """`categories = [[People]]`: a note whose property holds this value is a contact."""

    key: str  # the property, folded (names are compared ignoring case)
    value: str  # the value, folded; a link's target for a link
    written: str = ""  # the value as the setting writes it (`[[People]]`), for new notes

    def matches(self, values: Iterable[str]) -> bool:
        """Whether one of the property's values is this one (a link by its target)."""
        return any(rule_value(value) == self.value for value in values)


def rule_value(text: str) -> str:
    """A value as rules compare it: folded to lower case, a link by its target."""
    text = text.strip()
    if text.startswith("[[") and text.endswith("]]"):
        text = text[2:-2].split("|", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    return text.strip().casefold()


class Contact(NamedTuple):
    """One person: a note in a contact folder."""

    name: str  # the note's title (file name without .md)
    path: str  # relative to the vault root, POSIX separators
    tier: str | None = None
    last_contact: date | None = None
    cadence: Duration | None = None
    snooze_until: date | None = None
    paused: bool = False
    birthday: Birthday | None = None
    # Someone who has died: the day, month or year as written (`1852-11-27`, `1852`), or ""
    # for `died: true`. Their note stays as it is; netzwerk suggests no contact with them.
    died: str | None = None
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    company: str | None = None
    role: str | None = None
    location: str | None = None
    email: tuple[str, ...] = ()  # every address, as Obsidian's multitext lists them
    phone: tuple[str, ...] = ()
    linkedin: str | None = None
    interests: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    knows: tuple[str, ...] = ()  # link targets
    introduced_by: str | None = None
    log: tuple[LogEntry, ...] = ()
    body: str = ""
    lines: Mapping[str, int] = _NO_LINES  # file line of each key (`knows[2]` for an item)
    extra: Mapping[str, str] = _NO_EXTRA  # unknown properties, as text
    display: str | None = None  # the `name` property, when the title carries more than it
    next_contact: date | None = None  # due then, whatever the cadence, until it has passed
    address: tuple[str, ...] = ()  # postal addresses
    refs: Mapping[str, tuple[str, ...]] = _NO_REFS  # the notes a text key links to, by key
    related: tuple[Related, ...] = ()  # people linked under the note's connection headings
    greetings: bool | None = None  # season's greetings whatever the tier (False: never)
    tasks: tuple[OpenTask, ...] = ()  # open tasks with a date in the note

    @property
    def names(self) -> tuple[str, ...]:
        """The title and every alias."""
        return (self.name, *self.aliases)

    @property
    def shown(self) -> str:
        """How the person is called: the `name` property, else the title."""
        return self.display or self.name


class Tier(NamedTuple):
    """A circle of people with a cadence and a capacity."""

    name: str
    label: str
    cadence: Duration
    capacity: int | None


def slug(name: str) -> str:
    """A name as a slug, to compare names written out: `Ada Lovelace` and `ada-lovelace`."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "-".join(re.findall(r"[^\W_]+", plain))


def title_of(path: str) -> str:
    """A note's title: its file name (of a path relative to the vault) without `.md`."""
    return path.rsplit("/", 1)[-1][:-3]


def link_key(target: str) -> str:
    """How a wikilink target is compared with note names: Obsidian ignores case."""
    return target.strip().casefold()


class Snapshot:
    """Everything read from a vault: contacts sorted by name, journal notes by date, other
    notes netzwerk reads (trips, places, tasks) by path."""

    __slots__ = ("_by_link", "_by_slug", "_resolved", "broken", "contacts", "journals", "notes")

    def __init__(
        self,
        contacts: tuple[Contact, ...] = (),
        journals: tuple[JournalNote, ...] = (),
        broken: tuple[str, ...] = (),
        notes: tuple[Note, ...] = (),
    ) -> None:
        self.contacts = contacts
        self.journals = journals
        self.broken = broken  # names of contact notes that could not be read
        self.notes = notes
        # Aliases first so that a title always wins over someone else's alias; of two contacts
        # with one alias the first wins (walked backwards, it is assigned last).
        by_link = {
            link_key(alias): contact for contact in reversed(contacts) for alias in contact.aliases
        }
        by_link.update({link_key(contact.name): contact for contact in contacts})
        self._by_link = by_link
        self._resolved: dict[str, Contact | None] = {}  # link texts repeat: each looked up once
        self._by_slug: dict[str, Contact] | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Snapshot):
            return NotImplemented
        mine = (self.contacts, self.journals, self.broken, self.notes)
        return mine == (other.contacts, other.journals, other.broken, other.notes)

    __hash__ = None  # type: ignore[assignment]

    def resolve_name(self, name: str) -> Contact | None:
        """The contact a name written out means (`Ada Lovelace`, `ada-lovelace`): by title or
        alias ignoring case, accents and the way a slug joins words."""
        if self._by_slug is None:
            slugs: dict[str, Contact] = {}
            for contact in reversed(self.contacts):
                for known in contact.names:
                    slugs[slug(known)] = contact
            for contact in reversed(self.contacts):
                slugs[slug(contact.name)] = contact
            self._by_slug = slugs
        return self._by_slug.get(slug(name))

    def resolve(self, target: str) -> Contact | None:
        """The contact a wikilink target (title or alias, any case) points to."""
        try:
            return self._resolved[target]
        except KeyError:
            found = self._resolved[target] = self._by_link.get(link_key(target))
            return found


class LastContact(NamedTuple):
    """The effective last contact with someone and where it was recorded."""

    date: date
    source: str  # "last_contact" | "log" | "journal"
    path: str  # the note that records it (the contact's note or the journal note)
    line: int | None
    text: str | None  # the log line's text, for conversation hooks
    kind: str | None = None  # the log line's kind (`call`, `meet`, …) when it has one


class Cross(NamedTuple):
    """What the rest of the vault says about one contact."""

    last: LastContact | None  # the latest journal link that counts as contact
    days: tuple[int, ...]  # the days (ordinals) of journal links that count as contact, sorted
    mentions: int  # links to them from journal notes and from other contacts' notes
    tasks: tuple[OpenTask, ...] = ()  # open tasks with a date in other notes that link them


class Facts(NamedTuple):
    """What the notes say about one person, whatever the date: all that scheduling, review,
    balance and the digest need, without the note's text."""

    name: str
    path: str
    aliases: tuple[str, ...]
    tier: str | None  # as the note says
    cadence: Duration | None  # the note's own cadence
    paused: bool  # never due: `paused: true`, or someone who has died
    snooze_until: date | None
    birthday: Birthday | None
    interests: tuple[str, ...]
    needs: tuple[str, ...]
    last: LastContact | None  # the effective last contact
    # Per digest (its label) whose ticks the log records: the last contact without them, so
    # that a digest shows its week as it was before its own ticks were recorded.
    ticked: tuple[tuple[str, LastContact | None], ...]
    # Days as ordinals (`date.toordinal()`): every morning's digest reads all of them.
    days: tuple[int, ...]  # distinct days with a recorded contact, sorted
    gave: tuple[int, ...]  # log lines where the user gave (or introduced), sorted
    got: tuple[int, ...]  # log lines where the user got, sorted
    mentions: int
    dated: tuple[int, ...]  # last_contact and the log lines that are not notes, sorted
    shown: str  # how the person is called (the `name` property, else the title)
    next_contact: date | None  # due then, whatever the cadence, until it has passed
    # Open tasks with a date about them: in their note, or linking them from another.
    tasks: tuple[OpenTask, ...]
    # The items of digests ticked and recorded in their log: (the digest's label, the kind of
    # item as `digest.TICKS` names it, the day, whether that day has no other contact).
    ticks: tuple[tuple[str, str, int, bool], ...]
    greeted: tuple[int, ...]  # days of `season's greetings` log lines, sorted
    wished: tuple[int, ...]  # days of `birthday wishes` log lines, sorted
    warmup: tuple[int, str] | None  # the last `warmup` log line: its day and text
    greetings: bool | None  # the `greetings` property
    email: str | None  # the first of each
    phone: str | None
    address: str | None
    blurb: str | None  # the first sentence of the note's text, to make a greeting personal
    company: str | None
    role: str | None
    location: str | None
    tags: tuple[str, ...]
    # The first day a log line (not a digest's tick) or a journal note records a contact: a
    # meeting, as `last_contact` alone cannot tell (it keeps only the latest day).
    met: int | None
    died: bool  # (then also `paused`: never due)

    @property
    def names(self) -> tuple[str, ...]:
        """The title and every alias."""
        return (self.name, *self.aliases)
