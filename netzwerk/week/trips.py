"""Trips: a note in a trips folder (or tagged `trip`) with a `location` and `start` / `end`
puts a Trip section into the digests of the two weeks before the week it starts in and of
every week it lasts: the people you know there (due ones first), people two hops away who
live there, the people you want to meet there, and introductions worth making among the
people you know.

Who is where comes from the notes when they are read (`Kept`, with the Facts); this module
only picks the trips of a week and orders the people by this week's due list."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date, timedelta
from pathlib import PurePosixPath
from typing import NamedTuple

from netzwerk.config import Config
from netzwerk.model import Facts
from netzwerk.network.match import name_key
from netzwerk.network.places import Located, sort_out
from netzwerk.render import md, wikilink
from netzwerk.schedule import DueItem, Week, week_of
from netzwerk.text import day_label, plural
from netzwerk.week.kept import KeptTrip as Kept

LEAD_WEEKS = 2  # a trip shows this many weeks before the week it starts in
# How many of each a trip lists (a city may hold hundreds): `netzwerk near` lists them all.
KNOWN_SHOWN = 10
TWO_HOPS_SHOWN = 5
WANTED_SHOWN = 5
INTROS_SHOWN = 5


class TripLine(NamedTuple):
    """Someone on a trip's list, with the finished line."""

    name: str
    path: str
    kind: str  # "known" | "two hops" | "want to meet" | "intro" | "more"
    line: str


class Trip(NamedTuple):
    """A trip of this week's digest."""

    title: str
    path: str
    places: tuple[str, ...]
    start: date
    end: date
    heading: str  # `[[Nice and Antibes]] · Fri 4 Dec – Tue 8 Dec · Nice, Antibes`
    lines: tuple[TripLine, ...]


def shown_in(trip: Kept, week: Week, week_start: int) -> bool:
    """Whether `week` is one of the trip's weeks or of the LEAD_WEEKS before it starts."""
    start, end = date.fromordinal(trip.start), date.fromordinal(trip.end)
    first = week_of(start, week_start).start - timedelta(weeks=LEAD_WEEKS)
    return first <= week.start <= end


def trips(
    kept: Iterable[Kept],
    people: Iterable[Facts],
    config: Config,
    week: Week,
    due: Mapping[str, DueItem],
) -> tuple[Trip, ...]:
    """The trips of `week`, by start and path; `due`: this week's due items by path."""
    by_path = {p.path: p for p in people}
    found = []
    for trip in sorted(kept, key=lambda t: (t.start, t.path)):
        if not shown_in(trip, week, config.week_start):
            continue
        start, end = date.fromordinal(trip.start), date.fromordinal(trip.end)
        title = PurePosixPath(trip.path).stem
        when = day_label(start) if start == end else f"{day_label(start)} – {day_label(end)}"
        heading = f"{wikilink(title, trip.path)} · {when} · {', '.join(map(md, trip.places))}"
        here = sort_out((Located(*row) for row in trip.located), by_path, config)
        there = here.acquainted()
        place = trip.places[0]
        lines = _shown(_known(here.known, by_path, config, due), KNOWN_SHOWN, "you know", place)
        lines += _shown(_two_hops(here.far, by_path), TWO_HOPS_SHOWN, "two hops away", place)
        lines += _shown(
            _wanted(here.wanted, by_path, config), WANTED_SHOWN, "you want to meet", place
        )
        lines += _shown(_intros(trip, by_path, there), INTROS_SHOWN, "introductions", place)
        found.append(Trip(title, trip.path, trip.places, start, end, heading, tuple(lines)))
    return tuple(found)


def _shown(lines: list[TripLine], shown: int, what: str, place: str) -> list[TripLine]:
    """The first `shown` lines, and how many more there are."""
    if len(lines) <= shown:
        return lines
    more = len(lines) - shown
    text = f"- and {more} more {what} there — netzwerk near {md(place)} lists them"
    return [*lines[:shown], TripLine("", "", "more", text)]


def _link(person: Facts) -> str:
    return wikilink(person.name, person.path, person.shown)


def _known(
    known: Iterable[Located],
    people: Mapping[str, Facts],
    config: Config,
    due: Mapping[str, DueItem],
) -> list[TripLine]:
    rows = []
    for path, where, _ in known:
        person = people.get(path)
        if person is None:
            continue
        item = due.get(path)
        order = (0, item.days_overdue) if item is not None else (1, 0)
        parts = ["- ", _link(person)]
        tier = config.tier(person.tier)
        if tier is not None:
            parts.append(f" · {md(tier.label)}")
        parts.append(f" · {md(where)}")
        if item is not None and item.status == "overdue":
            parts.append(f" · {plural(item.days_overdue, 'day')} overdue")
        elif item is not None:
            parts.append(" · due this week")
        if person.interests:
            parts.append(" · ask about: " + ", ".join(map(md, person.interests)))
        line = TripLine(person.name, path, "known", "".join(parts))
        rows.append(((order[0], -order[1], *name_key(person.name)), line))
    rows.sort(key=lambda r: r[0])
    return [line for _, line in rows]


def _two_hops(far: Iterable[tuple[Located, str]], people: Mapping[str, Facts]) -> list[TripLine]:
    lines = []
    for (path, where, _), via in far:
        person, friend = people.get(path), people.get(via)
        if person is None or friend is None:
            continue
        text = f"- {_link(person)} · {md(where)} · two hops: through {_link(friend)}"
        lines.append(TripLine(person.name, path, "two hops", text))
    return lines


def _wanted(
    wanted: Iterable[tuple[Located, str | None]], people: Mapping[str, Facts], config: Config
) -> list[TripLine]:
    lines = []
    for (path, where, _), via in wanted:
        person = people.get(path)
        if person is None:
            continue
        tier = config.tier(person.tier)  # (the target tier: whom you want to meet)
        label = tier.label if tier is not None else ""
        parts = ["- ", _link(person), f" · {md(label)}", f" · {md(where)}"]
        friend = people.get(via) if via is not None else None
        if friend is not None:
            parts.append(f" · two hops: through {_link(friend)}")
        lines.append(TripLine(person.name, path, "want to meet", "".join(parts)))
    return lines


def _intros(trip: Kept, people: Mapping[str, Facts], there: Collection[str]) -> list[TripLine]:
    lines = []
    shown: set[tuple[str, str, str]] = set()
    for needer, needer_path, _giver, giver_path, need, verb, match in trip.intros:
        if needer_path not in there or giver_path not in there:
            continue
        if (needer_path, giver_path, need) in shown:
            continue
        shown.add((needer_path, giver_path, need))
        a, b = people.get(needer_path), people.get(giver_path)
        if a is None or b is None:
            continue
        text = f"- introduce: {_link(a)} needs {md(need)}; {_link(b)} {verb} {md(match)}"
        lines.append(TripLine(needer, needer_path, "intro", text))
    return lines
