"""Dormant ties worth waking: each week one or two people in a tier that is never scheduled
(Reserve) or silent for three years or three times their cadence (and for three months at
least, whatever their tier), chosen by what research on dormant ties says pays off: trust
(much contact once, or they helped you) and novelty (their company, city or field differs
from those of the people you talk to now).

The best few take turns, two a week, so that nobody is suggested two weeks running; last
week's digest, where there is one, is heeded too. The same vault and day give the same
choice."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date, timedelta
from typing import NamedTuple

from netzwerk.config import Config
from netzwerk.model import TARGET, Duration, Facts, add_months
from netzwerk.render import md, md_links, wikilink
from netzwerk.schedule import Week, last_in_week
from netzwerk.text import fold, plural, times
from netzwerk.week.followups import days_before

KIND = "reconnect"  # the kind of item a tick records (`facts.TICKS`)
SILENT_YEARS = 3
SILENT_CADENCES = 3
RECENT_DAYS = 90  # "the people you talk to now": a contact within this many days
POOL = 6  # the best this many take turns
PER_WEEK = 2


class Reconnect(NamedTuple):
    """A dormant tie to wake this week, and why."""

    name: str
    path: str
    shown: str  # how they are called
    tier: str | None  # the tier's label
    last: date
    contacts: int  # days with a recorded contact
    helped: int  # how often they helped you (`got`)
    new: tuple[str, ...]  # what differs from your recent contacts: their company, city, tags
    score: float
    ticked: bool
    done: date | None
    line: str


class _Limits:
    """The last days of contact that make someone dormant in a week: three years before it, or
    three times a cadence (each cadence worked out once)."""

    def __init__(self, week: Week) -> None:
        self.start = week.start
        self.years = self._before(Duration(SILENT_YEARS, "y")) or date.min
        self.cadences: dict[Duration, date | None] = {}

    def cadence(self, cadence: Duration) -> date | None:
        if cadence not in self.cadences:
            self.cadences[cadence] = self._before(
                Duration(cadence.count * SILENT_CADENCES, cadence.unit)
            )
        return self.cadences[cadence]

    def _before(self, span: Duration) -> date | None:
        """The day `span` before the week's first day (None before the calendar's first)."""
        try:
            if span.unit in ("m", "y"):
                return add_months(self.start, -span.count * (12 if span.unit == "y" else 1))
            return self.start - timedelta(days=span.approx_days())
        except (OverflowError, ValueError):
            return None


class _Dormancy:
    """Whether someone is dormant in a week, by the last day of contact that makes them so,
    worked out once per tier and cadence (a digest asks it of thousands of people)."""

    def __init__(self, config: Config, week: Week) -> None:
        self.config = config
        self.limits = _Limits(week)
        self.tiers: dict[str | None, tuple[bool, date | None]] = {}

    def __call__(self, person: Facts, last: date) -> bool:
        if person.tier not in self.tiers:
            tier = self.config.tier(person.tier)
            if tier is not None and tier.name == TARGET:
                found: tuple[bool, date | None] = (False, date.min)  # never: not yet met
            elif tier is not None and tier.cadence.never:
                found = (True, None)  # a tier never scheduled: Reserve
            else:
                cadence = tier.cadence if tier is not None else None
                found = (False, self.limits.cadence(cadence) if cadence is not None else None)
            self.tiers[person.tier] = found
        always, limit = self.tiers[person.tier]
        if always:
            return True
        if limit == date.min:
            return False
        if last <= self.limits.years:
            return True
        if person.cadence is not None:  # their own cadence, never included
            limit = None if person.cadence.never else self.limits.cadence(person.cadence)
        return limit is not None and last <= limit


def candidates(
    people: Iterable[Facts],
    config: Config,
    week: Week,
    skip: Collection[str] = (),
    limit: int | None = None,
) -> list[Reconnect]:
    """Everyone dormant in `week` (but the paths in `skip`: due anyway), best first (`limit`:
    only so many): trust (contacts, up to 12, and three points a time they helped you, up to
    4) plus novelty (two points for a company and for a city none of your recent contacts
    share, one for tags; none without recent contacts to differ from)."""
    # One pass: the companies, places and tags of the people you talked to in the last
    # RECENT_DAYS, and everyone who was last in touch before the week (and is not due).
    since, dormant = week.start - timedelta(days=RECENT_DAYS), _Dormancy(config, week)
    companies: set[str] = set()
    places: set[str] = set()
    tags: set[str] = set()
    before: list[tuple[Facts, date]] = []
    recent = False
    for person in people:
        seen = last_in_week(person, week)
        if seen is None or person.paused:
            continue
        last = seen.date
        if since <= last <= week.end:
            recent = True
            if person.company:
                companies.add(fold(person.company))
            if person.location:
                places.add(fold(person.location))
            tags.update(fold(tag) for tag in person.tags)
        if last < since and person.path not in skip:  # (silent for RECENT_DAYS at least)
            before.append((person, last))
    start = week.start.toordinal()
    scored: list[tuple[float, str, str, str, Facts, date, int, int, tuple[str, ...]]] = []
    for person, last in before:
        if not dormant(person, last):
            continue
        contacts = len(days_before(person, week.label))
        helped = sum(1 for day in person.got if day < start) if person.got else 0
        new: list[str] = []
        novelty = 0.0
        if recent:  # (without recent contacts, nothing is new against them)
            if person.company and fold(person.company) not in companies:
                new.append(person.company)
            if person.location and fold(person.location) not in places:
                new.append(person.location)
            novelty = 2.0 * len(new)
            if person.tags and not any(fold(t) in tags for t in person.tags):
                new.append(", ".join(person.tags))
                novelty += 1
        score = min(contacts, 12) + 3 * min(helped, 4) + novelty
        scored.append(
            (-score, "", person.name, person.path, person, last, contacts, helped, tuple(new))
        )
    if limit is not None and len(scored) > limit:
        # Only the best few are shown: names are folded for those tied with the last of them.
        cut = sorted(row[0] for row in scored)[limit - 1]
        scored = [row for row in scored if row[0] <= cut]
    scored = [(row[0], fold(row[2]), *row[2:]) for row in scored]
    scored.sort(key=lambda row: row[:4])
    found = []
    for negative, _, _, _, person, last, contacts, helped, why in scored[:limit]:
        tier = config.tier(person.tier)
        label = tier.label if tier is not None else None
        found.append(
            Reconnect(
                person.name,
                person.path,
                person.shown,
                label,
                last,
                contacts,
                helped,
                why,
                -negative,
                False,
                None,
                "",
            )
        )
    return found


def turn(pool: list[Reconnect], number: int) -> list[Reconnect]:
    """Whose turn it is in week `number`: two at a time through the pool (four or more never
    repeat from one week to the next), one at a time through two or three, and a single one
    every other week."""
    size = len(pool)
    if size >= 2 * PER_WEEK:
        return [pool[(PER_WEEK * number + i) % size] for i in range(PER_WEEK)]
    if size >= 2:
        return [pool[number % size]]
    return pool[:1] if size and number % 2 == 0 else []


def week_number(week: Week) -> int:
    """Weeks since 1 January of the year 1, a Monday (the calendar's first day): consecutive
    weeks have consecutive numbers."""
    return (week.start.toordinal() - 1) // 7


def reconnect(
    people: Iterable[Facts],
    config: Config,
    week: Week,
    done: Mapping[tuple[str, str], date | None],
    *,
    skip: Collection[str] = (),
    previous: Collection[str] | None = None,
) -> tuple[Reconnect, ...]:
    """This week's one or two. `previous`: the paths last week's digest suggested (None when
    there is no such digest: then whose turn it was), never suggested again this week."""
    pool = candidates(people, config, week, skip, limit=POOL)
    number = week_number(week)
    chosen = turn(pool, number)
    before = previous if previous is not None else {r.path for r in turn(pool, number - 1)}
    if any(r.path in before for r in chosen):
        wanted = len(chosen)
        start = (PER_WEEK * number) % len(pool) if pool else 0
        rotated = pool[start:] + pool[:start]
        chosen = [r for r in rotated if r.path not in before][:wanted]
    return tuple(_line(r, done) for r in chosen)


def _line(found: Reconnect, done: Mapping[tuple[str, str], date | None]) -> Reconnect:
    ticked = (found.path, KIND) in done
    done_on = done.get((found.path, KIND))
    parts = ["- [x] " if ticked else "- [ ] ", wikilink(found.name, found.path, found.shown)]
    if found.tier:
        parts.append(f" · {md(found.tier)}")
    parts.append(f" · silent since {found.last.isoformat()}")
    why = [plural(found.contacts, "contact")]
    if found.helped:
        why.append(f"helped you {times(found.helped)}")
    parts.append(" · " + ", ".join(why))
    if found.new:
        parts.append(" · outside your recent circle: " + ", ".join(map(md_links, found.new)))
    if ticked and done_on:
        parts.append(f" ✅ {done_on}")
    return found._replace(ticked=ticked, done=done_on, line="".join(parts))
