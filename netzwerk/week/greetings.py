"""Season's greetings: between two days of the year (`greetings` in netzwerk.toml, by default
1 December to 6 January), the members of some tiers (Top 100) and anyone whose note says
`greetings: true`, each with the channel we know and a line of their note to make it
personal. Someone greeted this season before the week is not listed again."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from netzwerk.config import Config, Season
from netzwerk.model import Facts
from netzwerk.render import md, wikilink
from netzwerk.schedule import Week, greeted

KIND = "greetings"  # the kind of item a tick records (`facts.TICKS`)


class Greeting(NamedTuple):
    """Someone to send the season's greetings to."""

    name: str
    path: str
    channels: tuple[str, ...]  # e-mail, phone, postal address: the first of each we know
    blurb: str | None  # the first sentence of their note
    ticked: bool
    done: date | None
    line: str


def _day(year: int, month: int, day: int) -> date:
    """`month`-`day` in `year` (29 February on 28 February in a common year)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def season_of(season: Season, week: Week) -> tuple[date, date] | None:
    """The days of the season that `week` falls in (across New Year when it ends in the next
    year), or None when the week has no day of it."""
    across = season.end < season.start
    # (The years of the calendar only: a week at its very start has no season the year before.)
    for year in range(max(1, week.start.year - 1), min(week.end.year, 9998) + 1):
        start = _day(year, *season.start)
        end = _day(year + 1 if across else year, *season.end)
        if start <= week.end and week.start <= end:
            return start, end
    return None


def greetings(
    people: Iterable[Facts],
    config: Config,
    week: Week,
    done: Mapping[tuple[str, str], date | None],
) -> tuple[Greeting, ...]:
    """Whom to greet in `week`, by name; none outside the season. `done`: the items ticked,
    by (path, kind), with their ✅ dates."""
    season = config.greetings
    window = season_of(season, week) if season is not None else None
    if season is None or window is None:
        return ()
    since, first = window[0].toordinal(), week.start.toordinal()
    last = week.end.toordinal()
    found: list[Greeting] = []
    for person in people:
        if person.paused or not greeted(person.tier, person.greetings, config):
            continue
        if any(since <= day < first for day in person.greeted):
            continue  # greeted this season already
        ticked = (person.path, KIND) in done or any(first <= d <= last for d in person.greeted)
        done_on = done.get((person.path, KIND))
        channels = tuple(c for c in (person.email, person.phone, person.address) if c)
        parts = ["- [x] " if ticked else "- [ ] ", wikilink(person.name, person.path, person.shown)]
        parts += [f" · {md(channel)}" for channel in channels] or [" · no address yet"]
        if person.blurb:
            parts.append(f" · {md(person.blurb)}")
        if ticked and done_on:
            parts.append(f" ✅ {done_on}")
        found.append(
            Greeting(
                person.name, person.path, channels, person.blurb, ticked, done_on, "".join(parts)
            )
        )
    return tuple(found)
