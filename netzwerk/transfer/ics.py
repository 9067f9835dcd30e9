"""The vault as an iCalendar feed (the `icalendar` library): every birthday as a yearly
all-day event, and the next weeks' due contacts as all-day events with their conversation
hooks. The same vault and day give the same bytes: UIDs come from the note's title and
DTSTAMP from the day, never from the clock, so a subscribed calendar sees no churn."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from icalendar import Calendar, Event

from netzwerk.config import Config
from netzwerk.model import Birthday, Facts
from netzwerk.schedule import DueItem, due, week_of
from netzwerk.text import fold, plural
from netzwerk.transfer.vcard import UID_NAMESPACE

PRODID = "-//netzwerk//netzwerk//EN"
# A year-less birthday starts in a leap year, so that 29 February exists.
NO_YEAR = 2000


class Feed(NamedTuple):
    """An iCalendar file and what it holds."""

    data: bytes
    birthdays: int
    due: int


def _uid(kind: str, name: str) -> str:
    return f"{kind}-{uuid.uuid5(UID_NAMESPACE, name)}@netzwerk"


def birthday_event(person: Facts, birthday: Birthday, stamp: datetime) -> Event:
    """A yearly all-day event; 29 February falls on 28 February in other years."""
    event = Event()
    event.add("uid", _uid("birthday", person.name))
    event.add("dtstamp", stamp)
    year = birthday.year if birthday.year is not None else NO_YEAR
    event.add("dtstart", date(year, birthday.month, birthday.day))
    if (birthday.month, birthday.day) == (2, 29):
        event.add("rrule", {"freq": "yearly", "bymonth": 2, "bymonthday": -1})
    else:
        event.add("rrule", {"freq": "yearly"})
    event.add("summary", f"Birthday: {person.name}")
    if birthday.year is not None:
        event.add("description", f"{person.name}, born {birthday.year}")
    event.add("transp", "TRANSPARENT")
    return event


def hooks(item: DueItem) -> str:
    """The conversation hooks, as the digest gives them, in plain text."""
    person, last = item.person, item.last
    parts = [item.tier.label] if item.tier is not None else []
    if item.status == "overdue":
        parts.append(plural(item.days_overdue, "day") + " overdue")
    elif last is None:
        parts.append("never contacted")
    else:
        parts.append(f"due {item.next_due.isoformat()}")
    if last is not None:
        text = f"last: {last.date.isoformat()}"
        if last.source == "log" and last.kind:
            text += f" {last.kind}"
        if last.source == "log" and last.text:
            text += f" — {last.text}"
        parts.append(text)
    asks = []
    if person.interests:
        asks.append("ask about: " + ", ".join(person.interests))
    if person.needs:
        asks.append("needs: " + ", ".join(person.needs))
    if asks:
        parts.append("; ".join(asks))
    return " · ".join(parts)


def due_event(item: DueItem, day: date, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", _uid("due", item.person.name))
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("summary", f"Get in touch: {item.person.name}")
    event.add("description", hooks(item))
    event.add("transp", "TRANSPARENT")
    return event


def due_days(
    people: Sequence[Facts], config: Config, today: date, weeks: int
) -> list[tuple[date, DueItem]]:
    """(day, item) for everyone due from today through the next `weeks` weeks (this one
    included); who is overdue, or due earlier this week, on today's date."""
    found: dict[str, tuple[date, DueItem]] = {}
    start = week_of(today, config.week_start)
    for number in range(weeks):
        week = week_of(start.start + timedelta(weeks=number), config.week_start)
        for item in due(people, config, week):
            if item.person.path in found or (number and item.status == "overdue"):
                continue
            found[item.person.path] = (max(item.next_due, today), item)
    days = sorted(found.values(), key=lambda d: (d[0], fold(d[1].person.name), d[1].person.name))
    return days


def feed(people: Sequence[Facts], config: Config, today: date, weeks: int) -> Feed:
    """The iCalendar file of birthdays and of the next `weeks` weeks' due contacts."""
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "netzwerk")
    born = [p for p in people if p.birthday is not None and not p.died]  # (of the living)
    born.sort(key=lambda p: (p.birthday[:2] if p.birthday else (0, 0), fold(p.name), p.name))
    for person in born:
        assert person.birthday is not None
        calendar.add_component(birthday_event(person, person.birthday, stamp))
    days = due_days(people, config, today, weeks)
    for day, item in days:
        calendar.add_component(due_event(item, day, stamp))
    return Feed(calendar.to_ical(), len(born), len(days))
