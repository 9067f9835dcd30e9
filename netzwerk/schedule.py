"""Whom to get in touch with: pure functions of (snapshot, config, week); no clock, no I/O."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date, timedelta
from typing import NamedTuple

from netzwerk.config import Config
from netzwerk.model import CONTACT_KINDS, Contact, Duration, LogEntry, Snapshot, Tier, fold

# When two sources give the same date, the one with more to say wins: a log line carries
# text for conversation hooks, a journal note at least a place to look, `last_contact` nothing.
_SOURCE_RANK = {"log": 0, "journal": 1, "last_contact": 2}


class LastContact(NamedTuple):
    """The effective last contact with someone and where it was recorded."""

    date: date
    source: str  # "last_contact" | "log" | "journal"
    path: str  # the note that records it (the contact's note or the journal note)
    line: int | None
    text: str | None  # the log line's text, for conversation hooks
    kind: str | None = None  # the log line's kind (`call`, `meet`, …) when it has one


class Week(NamedTuple):
    """A week of seven days, first and last day inclusive."""

    start: date
    end: date
    label: str  # "2026-W48"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


class DueItem(NamedTuple):
    """Someone to get in touch with this week."""

    contact: Contact
    tier: Tier | None
    last: LastContact | None
    next_due: date
    status: str  # "overdue" | "due"
    days_overdue: int  # days `next_due` lies before the week's start; 0 if due
    cadence: Duration


class BirthdayItem(NamedTuple):
    """A birthday celebrated in a window of days."""

    contact: Contact
    date: date  # the day it is celebrated (28 February for 29 February in common years)
    age: int | None  # the age reached that day, when the birth year is known


# --- weeks ---------------------------------------------------------------------------------

_WEEK_LABEL = re.compile(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")
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


# --- last contact --------------------------------------------------------------------------


def _better(new: LastContact, old: LastContact | None) -> bool:
    if old is None:
        return True
    return (new.date, -_SOURCE_RANK[new.source]) > (old.date, -_SOURCE_RANK[old.source])


def _contact_last(contact: Contact, ignore_marker: str | None) -> LastContact | None:
    # On one date, the first line in the note wins (a log reads newest first by convention).
    latest: LogEntry | None = None
    latest_date = date.min
    latest_line = 0
    for entry in contact.log:
        kind = entry.kind
        if kind is not None and kind not in CONTACT_KINDS:
            continue
        day = entry.date
        if latest is not None and (
            day < latest_date or (day == latest_date and entry.line >= latest_line)
        ):
            continue
        if ignore_marker is not None and ignore_marker in entry.text:
            continue
        latest, latest_date, latest_line = entry, day, entry.line
    recorded = contact.last_contact
    # A log line beats `last_contact` on the same date: it has more to say (see _SOURCE_RANK).
    if latest is not None and (recorded is None or latest_date >= recorded):
        return LastContact(
            latest_date, "log", contact.path, latest_line, latest.text or None, latest.kind
        )
    if recorded is not None:
        line = contact.lines.get("last_contact")
        return LastContact(recorded, "last_contact", contact.path, line, None)
    return None


def last_contacts(
    snapshot: Snapshot,
    *,
    ignore_marker: str | None = None,
    only: Collection[str] | None = None,
    journal: Mapping[str, LastContact] | None = None,
) -> dict[str, LastContact]:
    """The effective last contact of each contact that has one, keyed by contact name.

    `ignore_marker`: log lines whose text contains it are left out (the digest uses this to
    schedule a week as it was before its own ticks were recorded). `only`: just these names.
    `journal`: `journal_lasts(snapshot)` when already known (or known from elsewhere).
    """
    if journal is None:
        journal = journal_lasts(snapshot, only=only)
    result: dict[str, LastContact] = {}
    for contact in snapshot.contacts:
        if only is not None and contact.name not in only:
            continue
        last = _contact_last(contact, ignore_marker)
        # The note itself goes first: a journal link wins only when strictly later or better.
        linked = journal.get(contact.name)
        if linked is not None and _better(linked, last):
            last = linked
        if last is not None:
            result[contact.name] = last
    return result


def journal_lasts(
    snapshot: Snapshot, *, only: Collection[str] | None = None
) -> dict[str, LastContact]:
    """The latest journal link that counts as contact, per contact name."""
    result: dict[str, LastContact] = {}
    # Journals are sorted by date: for one contact and date the first note and line wins.
    for journal in sorted(snapshot.journals, key=lambda j: (j.date, j.path)):
        for mention in sorted(journal.mentions, key=lambda m: m.line):
            if not mention.counts:
                continue
            linked = snapshot.resolve(mention.target)
            if linked is None or (only is not None and linked.name not in only):
                continue
            candidate = LastContact(journal.date, "journal", journal.path, mention.line, None)
            if _better(candidate, result.get(linked.name)):
                result[linked.name] = candidate
    return result


# --- cadence and due dates -----------------------------------------------------------------


def cadence_of(contact: Contact, config: Config) -> Duration | None:
    """The contact's cadence, else its tier's; None without either (or with an unknown tier)."""
    if contact.cadence is not None:
        return contact.cadence
    tier = config.tier(contact.tier)
    return tier.cadence if tier is not None else None


def next_due(
    contact: Contact, config: Config, last: LastContact | None, now: date | None = None
) -> date | None:
    """When contact is due next; None when never scheduled (paused, `never`, unclassified).

    Someone never contacted is due `now` (the due list passes the week's first day, so they
    show as due this week); without `now` such a contact has no date and None is returned.
    """
    return _due_date(contact, cadence_of(contact, config), last, now)


def _due_date(
    contact: Contact, cadence: Duration | None, last: LastContact | None, now: date | None
) -> date | None:
    if contact.paused or cadence is None or cadence.never:
        return None
    due_on = now if last is None else cadence.after(last.date)
    if due_on is None:
        return None
    if contact.snooze_until is not None and contact.snooze_until > due_on:
        return contact.snooze_until
    return due_on


def due_key(item: DueItem, week: Week) -> tuple[float, str, str]:
    """The order of the due list: most overdue relative to the cadence first, then by name.

    Exact enough for ordering: a quotient of two small integers is correctly rounded, so equal
    ratios give equal floats and different ones different floats.
    """
    urgency = (week.start - item.next_due).days / max(1, item.cadence.approx_days())
    return (-urgency, fold(item.contact.name), item.contact.name)


def due(
    snapshot: Snapshot,
    config: Config,
    week: Week,
    *,
    last: Mapping[str, LastContact] | None = None,
) -> list[DueItem]:
    """Overdue and due contacts for `week`, most overdue relative to cadence first, then name.

    `last` may pass precomputed `last_contacts(snapshot)` to avoid computing it twice.
    """
    lasts = last_contacts(snapshot) if last is None else last
    tiers: dict[str, Tier] = {}
    for configured in config.tiers:
        tiers.setdefault(configured.name, configured)
    items: list[DueItem] = []
    for contact in snapshot.contacts:
        tier = tiers.get(contact.tier) if contact.tier is not None else None
        cadence = contact.cadence
        if cadence is None and tier is not None:
            cadence = tier.cadence
        if cadence is None or contact.paused or cadence.never:
            continue  # never scheduled (see _due_date)
        previous = lasts.get(contact.name)
        when = _due_date(contact, cadence, previous, week.start)
        if when is None or when > week.end:
            continue
        overdue = when < week.start
        items.append(
            DueItem(
                contact=contact,
                tier=tier,
                last=previous,
                next_due=when,
                status="overdue" if overdue else "due",
                days_overdue=(week.start - when).days if overdue else 0,
                cadence=cadence,
            )
        )
    items.sort(key=lambda i: due_key(i, week))
    return items


# --- birthdays -----------------------------------------------------------------------------


def birthdays(snapshot: Snapshot, start: date, end: date) -> list[BirthdayItem]:
    """Birthdays celebrated from `start` to `end` inclusive, by date and then name."""
    items: list[BirthdayItem] = []
    for contact in snapshot.contacts:
        birthday = contact.birthday
        if birthday is None:
            continue
        for year in range(start.year, end.year + 1):
            day = birthday.in_year(year)
            if not start <= day <= end:
                continue
            if birthday.year is None:
                items.append(BirthdayItem(contact, day, None))
            elif year >= birthday.year:
                items.append(BirthdayItem(contact, day, year - birthday.year))
    items.sort(key=lambda i: (i.date, fold(i.contact.name), i.contact.name))
    return items
