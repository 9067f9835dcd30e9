"""Whom to get in touch with: pure functions of (facts, config, week); no clock, no I/O."""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from netzwerk.config import Config
from netzwerk.model import NEVER, TARGET, Duration, Facts, LastContact, Tier
from netzwerk.text import fold


class Week(NamedTuple):
    """A week of seven days, first and last day inclusive."""

    start: date
    end: date
    label: str  # "2026-W48"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


class DueItem(NamedTuple):
    """Someone to get in touch with this week."""

    person: Facts
    tier: Tier | None
    last: LastContact | None
    next_due: date
    status: str  # "overdue" | "due"
    days_overdue: int  # days `next_due` lies before the week's start; 0 if due
    cadence: Duration


class BirthdayItem(NamedTuple):
    """A birthday celebrated in a window of days."""

    person: Facts
    date: date  # the day it is celebrated (28 February for 29 February in common years)
    age: int | None  # the age reached that day, when the birth year is known


# --- weeks ---------------------------------------------------------------------------------

# The days netzwerk takes as today or as a digest's week: the week around one, the week after
# it (birthdays) and the year before it (the balance) lie inside Python's calendar (years 1 to
# 9999), with room to spare.
FIRST_DAY = date(2, 1, 1)
LAST_DAY = date(9998, 12, 31)


def in_calendar(day: date) -> bool:
    """Whether `day` can be today, or in a digest's week: FIRST_DAY to LAST_DAY."""
    return FIRST_DAY <= day <= LAST_DAY


_WEEK_LABEL = re.compile(r"^\s*([0-9]{4})-?[Ww]([0-9]{1,2})\s*$")
_THURSDAY = 3


def _offset_to_thursday(week_start: int) -> int:
    """Days from a week's first day to its Thursday."""
    return (_THURSDAY - week_start) % 7


def week_of(day: date, week_start: int = 0) -> Week:
    """The week (starting on weekday `week_start`, 0 = Monday) that contains `day`.

    The label is the ISO week holding the week's Thursday, which is the ISO week sharing
    most of its days: for Monday starts exactly the ISO week, and a bijection for any start.
    """
    start = day - timedelta(days=(day.weekday() - week_start) % 7)
    thursday = start + timedelta(days=_offset_to_thursday(week_start))
    year, number, _ = thursday.isocalendar()
    return Week(start, start + timedelta(days=6), f"{year:04d}-W{number:02d}")


def parse_week(label: str, week_start: int = 0) -> Week | None:
    """`2026-W48`, `2026-w48` or `2026W48` -> that week; None when it is no week."""
    match = _WEEK_LABEL.match(label)
    if match is None:
        return None
    try:
        thursday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 4)
        start = thursday - timedelta(days=_offset_to_thursday(week_start))
        return week_of(start, week_start)
    except (ValueError, OverflowError):
        return None


def weeks_in_year(label: str) -> tuple[int, int] | None:
    """For a label like a week's whose week the year does not have (`2027-W53`), the year
    and how many weeks it has; else None."""
    match = _WEEK_LABEL.match(label)
    if match is None or not 1 <= int(match.group(1)) <= 9999:
        return None
    year = int(match.group(1))
    weeks = date(year, 12, 28).isocalendar()[1]
    return (year, weeks) if int(match.group(2)) > weeks else None


# --- cadence and due dates -----------------------------------------------------------------


def cadence_of(person: Facts, config: Config) -> Duration | None:
    """The contact's cadence, else its tier's; None without either (or with an unknown tier),
    and for someone you want to meet (the target tier: never due as a contact)."""
    tier = config.tier(person.tier)
    if tier is not None and tier.name == TARGET:
        return None
    if person.cadence is not None:
        return person.cadence
    return tier.cadence if tier is not None else None


# Staggered starts: someone with a tier and no contact ever recorded is due on a day of their
# own in each cycle of their cadence, counted from this Monday, so that a tier given to 200
# people at once brings a steady stream of them rather than all 200 at once.
STAGGER_EPOCH = date(2024, 1, 1)


def first_due(name: str, cadence: Duration, on_or_after: date) -> date:
    """When someone never contacted is due next, on or after `on_or_after`: their day in every
    cycle of `cadence`, by a hash of their name (the note's title, NFC as macOS and Linux
    store it alike), the same on every machine and wherever the note is moved."""
    days = max(1, cadence.approx_days())
    offset = zlib.crc32(unicodedata.normalize("NFC", name).encode("utf-8")) % days
    first = STAGGER_EPOCH + timedelta(days=offset)
    cycles = -(-(on_or_after - first).days // days)  # rounded up
    return first + timedelta(days=cycles * days)


def next_due(
    person: Facts, config: Config, last: LastContact | None, now: date | None = None
) -> date | None:
    """When someone is due next; None when never scheduled (paused, `never`, unclassified).

    A `next_contact` date not yet met by a contact decides, whatever the cadence. Someone never
    contacted is due on their day of the cadence's cycle on or after `now` (`first_due`; the
    due list passes the week's first day); without `now` such a contact has no date and None
    is returned. Someone you want to meet (the target tier) is never due.
    """
    if person.paused:
        return None
    due_on: date | None
    cadence = cadence_of(person, config)
    if cadence is None and is_target(person, config):
        return None
    if person.next_contact is not None and (last is None or last.date < person.next_contact):
        due_on = person.next_contact
    else:
        if cadence is None or cadence.never:
            return None
        if last is None:
            due_on = first_due(person.name, cadence, now) if now is not None else None
        else:
            due_on = cadence.after(last.date)
    if due_on is None:
        return None
    if person.snooze_until is not None and person.snooze_until > due_on:
        return person.snooze_until
    return due_on


def first_contact(item: DueItem) -> bool:
    """Whether the item is someone never contacted, due on their own day (`first_due`)."""
    return item.last is None and item.person.next_contact is None


def due_key(item: DueItem, week: Week) -> tuple[bool, float, str, str]:
    """The order of the due list: first contacts in their week (never overdue, they would
    never rise above the overdue, and the week's budget counts them), then the most overdue
    relative to the cadence, then by name.

    Exact enough for ordering: a quotient of two small integers is correctly rounded, so equal
    ratios give equal floats and different ones different floats.
    """
    urgency = (week.start - item.next_due).days / max(1, item.cadence.approx_days())
    return (not first_contact(item), -urgency, fold(item.person.name), item.person.name)


def last_in_week(person: Facts, week: Week) -> LastContact | None:
    """The last contact as the week's digest schedules it: without its own ticks."""
    for label, last in person.ticked:
        if label == week.label:
            return last
    return person.last


def due(
    people: Iterable[Facts], config: Config, week: Week, *, before_ticks: bool = False
) -> list[DueItem]:
    """Overdue and due contacts for `week`, most overdue relative to cadence first, then name.

    `before_ticks`: schedule the week as it was before the ticks of its own digest were
    recorded, so that ticking an item changes only its checkbox.
    """
    tiers: dict[str, Tier] = {}
    for configured in config.tiers:
        tiers.setdefault(configured.name, configured)
    items: list[DueItem] = []
    for person in people:
        tier = tiers.get(person.tier) if person.tier is not None else None
        if tier is None and person.tier is not None:
            tier = config.tier(person.tier)  # a label, or another case
        if tier is not None and tier.name == TARGET:
            continue  # someone you want to meet: never due as a contact
        cadence = person.cadence
        if cadence is None and tier is not None:
            cadence = tier.cadence
        if person.paused or (person.next_contact is None and (cadence is None or cadence.never)):
            continue  # never scheduled
        last = last_in_week(person, week) if before_ticks else person.last
        when = next_due(person, config, last, week.start)
        if when is None or when > week.end:
            continue
        overdue = when < week.start
        items.append(
            DueItem(
                person=person,
                tier=tier,
                last=last,
                next_due=when,
                status="overdue" if overdue else "due",
                days_overdue=(week.start - when).days if overdue else 0,
                cadence=cadence if cadence is not None else NEVER,
            )
        )
    items.sort(key=lambda i: due_key(i, week))
    return items


def is_target(person: Facts, config: Config) -> bool:
    """Whether someone is in the target tier: a person you want to meet."""
    tier = config.tier(person.tier)
    return tier is not None and tier.name == TARGET


def greeted(tier: str | None, greetings: bool | None, config: Config) -> bool:
    """Whether the settings send someone season's greetings: a member of a tier of
    `greetings` (Top 100) or `greetings: true`, never `greetings: false`."""
    season = config.greetings
    if season is None or greetings is False:
        return False
    if greetings:
        return True
    found = config.tier(tier)
    return found is not None and found.name in season.tiers


# --- the week's budget ---------------------------------------------------------------------

MIN_BUDGET = 5


def week_budget(people: Iterable[Facts], config: Config) -> int:
    """How many due people a week's digest lists: `week_budget`, else the contacts a week the
    tiers imply (each scheduled tier's members over its cadence in weeks, summed, rounded up),
    at least MIN_BUDGET."""
    if config.week_budget is not None:
        return config.week_budget
    members: dict[str, int] = {}
    for person in people:
        tier = config.tier(person.tier)
        if tier is not None and not person.died:
            members[tier.name] = members.get(tier.name, 0) + 1
    weekly = 0.0
    for tier in {t.name: t for t in reversed(config.tiers)}.values():
        days = tier.cadence.approx_days()
        if tier.name != TARGET and not tier.cadence.never and days:
            weekly += members.get(tier.name, 0) * 7 / days
    return max(MIN_BUDGET, math.ceil(round(weekly, 6)))


# --- birthdays -----------------------------------------------------------------------------


def birthdays(people: Iterable[Facts], start: date, end: date) -> list[BirthdayItem]:
    """Birthdays celebrated from `start` to `end` inclusive, by date and then name (of the
    living)."""
    items: list[BirthdayItem] = []
    for person in people:
        birthday = person.birthday
        if birthday is None or person.died:
            continue
        for year in range(start.year, end.year + 1):
            day = birthday.in_year(year)
            if not start <= day <= end:
                continue
            if birthday.year is None:
                items.append(BirthdayItem(person, day, None))
            elif year >= birthday.year:
                items.append(BirthdayItem(person, day, year - birthday.year))
    items.sort(key=lambda i: (i.date, fold(i.person.name), i.person.name))
    return items
