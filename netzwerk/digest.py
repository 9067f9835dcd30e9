"""The weekly digest: its data, its note, and ticked items recorded back as contacts."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Set
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

from netzwerk import network
from netzwerk.config import Config
from netzwerk.model import Birthday, Contact, Duration, Snapshot, Tier, fold
from netzwerk.problems import Problem, error, warning
from netzwerk.render import DIGEST_TEMPLATE, md, md_links, render, wikilink
from netzwerk.schedule import (
    DueItem,
    LastContact,
    Week,
    birthdays,
    cadence_of,
    due,
    due_key,
    journal_lasts,
    last_contacts,
)

TAG = "netzwerk/digest"
INTROS_SHOWN = 5
GIVE_FIRST_SHOWN = 5
CHECKS_SHOWN = 10  # per kind of finding; `netzwerk review` lists them all
_VERBS = {
    "offers": "offers",
    "role": "works as",
    "tags": "is tagged",
    "company": "works at",
    "location": "is based in",
}

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def marker(label: str) -> str:
    """What a log line recorded from digest `label` carries, so it is recorded only once."""
    return f"(digest {label})"


def tick_text(label: str) -> str:
    """The text of the log line a tick in digest `label` records."""
    return f"checked in {marker(label)}"


# --- the data the template shows -----------------------------------------------------------


class DigestItem(NamedTuple):
    """One person due or overdue, with hooks for a natural conversation."""

    name: str
    path: str  # the contact's note, relative to the vault root
    tier: str | None  # the tier's label ("Top 50"); None without a known tier
    status: str  # "overdue" | "due"
    next_due: date
    days_overdue: int
    when: str  # "23 days overdue", "due Thu 26 Nov", "never contacted"
    last_date: date | None
    last_kind: str | None  # the log line's kind ("call"); None otherwise
    last_text: str | None  # the log line's text
    last_note: str | None  # the journal note's title when the last contact is a journal link
    interests: tuple[str, ...]
    needs: tuple[str, ...]
    ticked: bool
    done: date | None  # the Tasks plugin's ✅ date, kept when the tick carried one
    line: str = ""  # the whole task line, as the shipped template's `task` macro writes it


class BirthdayLine(NamedTuple):
    """A birthday this week or next."""

    name: str
    path: str
    date: date
    day: str  # "Sat 28 Nov"
    age: int | None
    next_week: bool
    leap_day: bool  # born on 29 February, celebrated on 28 February this year


class IntroLine(NamedTuple):
    """An introduction worth making: `needer` needs what `giver` offers (or is, or does)."""

    needer: str
    needer_path: str
    giver: str
    giver_path: str
    need: str
    verb: str  # "offers", "works as", "is tagged", "works at", "is based in"
    match: str


class GiveLine(NamedTuple):
    """Someone the user has only taken from lately: time to give something first."""

    name: str
    path: str
    gave: int
    got: int


class CheckLine(NamedTuple):
    """One finding of the tier check."""

    kind: str  # "over capacity" | "silent" | "promote" | "unclassified" | "more"
    name: str | None  # the contact it concerns; None for a whole tier
    path: str | None
    text: str  # "no contact for 359 days (since 2025-12-01), …; consider Top 100"


class TierHealth(NamedTuple):
    """How full a tier is and how many in it are overdue."""

    name: str
    label: str
    members: int
    capacity: int | None
    overdue: int
    due: int
    scheduled: bool  # False for a tier whose cadence is `never`


class DigestData(NamedTuple):
    """Everything the digest template shows."""

    week: str  # "2026-W48"
    start: date
    end: date
    title: str  # "Week 2026-W48 · 23–29 November 2026"
    summary: str  # "3 overdue · 5 due this week · 2 birthdays"
    overdue: tuple[DigestItem, ...]
    due: tuple[DigestItem, ...]
    birthdays: tuple[BirthdayLine, ...]
    intros: tuple[IntroLine, ...]
    give_first: tuple[GiveLine, ...]
    tier_check: tuple[CheckLine, ...]
    tier_health: tuple[TierHealth, ...]
    unclassified: int  # contacts without a known tier, for the chart
    tag: str = TAG


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
    return f"{start.day}–{end.day} {_MONTHS[end.month - 1]} {end.year}"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


# --- each contact's share ------------------------------------------------------------------
#
# A digest is made in two steps: every contact's share of it (a Part: their task line, their
# birthday, their tier check findings), then the sections assembled from all the shares. A
# share depends on the contact's own note and on what the rest of the vault says about them
# (their Cross: journal links and mentions), so the next digest of the same week and day
# recomputes only the contacts whose notes changed (see netzwerk.incremental).


class Cross(NamedTuple):
    """What other notes say about one contact (a plain tuple in the index)."""

    last: tuple[int, str, int | None] | None  # the latest journal link: day ordinal, path, line
    days: tuple[int, ...]  # the days of journal links in the review window, as ordinals
    mentions: int  # links from journals and from other contacts' notes


class ItemPart(NamedTuple):
    """A DigestItem without its tick: the task line has no checkbox and no ✅ date yet."""

    order: float  # minus how overdue relative to the cadence: the due list's order
    name: str
    path: str
    tier: str | None
    status: str
    next_due: int  # day ordinal
    days_overdue: int
    when: str
    last_date: int | None  # day ordinal
    last_kind: str | None
    last_text: str | None
    last_note: str | None
    interests: tuple[str, ...]
    needs: tuple[str, ...]
    line: str


class BirthdayPart(NamedTuple):
    """A BirthdayLine, its date a day ordinal."""

    name: str
    path: str
    date: int
    day: str
    age: int | None
    next_week: bool
    leap_day: bool


class Part(NamedTuple):
    """One contact's share of a week's digest (a plain tuple in the index).

    Dates are day ordinals; task lines are kept without their checkbox, which the digest's
    ticks decide.
    """

    path: str
    name: str
    folded: str  # fold(name), for sorting
    tier: str | None  # as the note says
    item: ItemPart | None  # when due or overdue
    birthdays: tuple[BirthdayPart, ...]
    give: tuple[int, int] | None  # (gave, got) when they gave and got nothing back
    promote: tuple[int, str] | None  # (sort weight, text)
    demote: tuple[float, str] | None
    unclassified: tuple[int, str] | None
    marks: tuple[str, ...]  # log texts that carry a digest marker


class Around(NamedTuple):
    """What other notes say about contacts, by contact name (see Cross)."""

    journal: dict[str, LastContact]  # the latest journal link that counts as contact
    days: dict[str, set[date]]  # days of such links in the review window
    mentions: dict[str, int]


def around(snapshot: Snapshot, today: date) -> Around:
    """What the whole vault says about each of its contacts."""
    since = today - timedelta(days=network.RECENT_DAYS)
    return Around(
        journal_lasts(snapshot),
        network.journal_days(snapshot, since, today),
        network.mention_counts(snapshot),
    )


def cross_of(snapshot: Snapshot, known: Around) -> dict[str, Cross]:
    """Each contact's Cross, by path (contacts nobody links to are left out)."""
    found: dict[str, Cross] = {}
    for contact in snapshot.contacts:
        name = contact.name
        last = known.journal.get(name)
        seen = known.days.get(name)
        count = known.mentions.get(name, 0)
        if last is None and not seen and not count:
            continue
        found[contact.path] = Cross(
            (last.date.toordinal(), last.path, last.line) if last is not None else None,
            tuple(sorted(d.toordinal() for d in seen)) if seen else (),
            count,
        )
    return found


def around_of(snapshot: Snapshot, cross: Mapping[str, Cross]) -> Around:
    """`around` for the contacts of `snapshot`, from their kept Cross."""
    known = Around({}, {}, {})
    for contact in snapshot.contacts:
        found = cross.get(contact.path)
        if found is None:
            continue
        if found.last is not None:
            ordinal, where, line = found.last
            known.journal[contact.name] = LastContact(
                date.fromordinal(ordinal), "journal", where, line, None
            )
        if found.days:
            known.days[contact.name] = {date.fromordinal(d) for d in found.days}
        known.mentions[contact.name] = found.mentions
    return known


def contact_parts(
    snapshot: Snapshot, config: Config, week: Week, today: date, known: Around
) -> dict[str, Part | None]:
    """The share of every contact in `snapshot` (by path; None for a contact in no section),
    given what the whole vault says about them.

    `snapshot` may hold just a few contacts (and no journals): `known` brings the rest.
    """
    journal, days, mentions = known.journal, known.days, known.mentions
    tag = marker(week.label)
    lasts = last_contacts(snapshot, journal=journal)
    marks = _digest_marks(snapshot)
    marked = [name for name, texts in marks.values() if any(tag in t for t in texts)]
    # The week is scheduled as if its own tick-backs had not been recorded yet, so ticking an
    # item changes only its checkbox.
    before_ticks = lasts
    if marked:
        before_ticks = dict(lasts)
        for name in marked:
            before_ticks.pop(name, None)
        before_ticks.update(
            last_contacts(snapshot, ignore_marker=tag, only=frozenset(marked), journal=journal)
        )
    items = {i.contact.path: i for i in due(snapshot, config, week, last=before_ticks)}
    born: dict[str, tuple[BirthdayPart, ...]] = {}
    for birthday in _birthdays(snapshot, week):
        born[birthday.path] = (*born.get(birthday.path, ()), _birthday_part(birthday))
    give = {
        b.contact.path: (b.gave, b.got)
        for b in network.balances(snapshot, today)
        if b.status == network.GIVE_FIRST
    }
    review = network.review(snapshot, config, today, lasts, journal=days, mentions=mentions)
    promote = {s.contact.path: (s.recent, s.reason) for s in review.promote}
    demote = {
        s.contact.path: (s.weight, _silent_text(s, config, lasts) or s.reason)
        for s in review.demote
    }
    unclassified = {
        u.contact.path: (u.mentions, f"no tier yet; {u.reason}") for u in review.unclassified
    }
    parts: dict[str, Part | None] = {}
    new = tuple.__new__
    for contact in snapshot.contacts:
        path = contact.path
        item = items.get(path)
        found = (
            _item_part(item, week) if item is not None else None,
            born.get(path, ()),
            give.get(path),
            promote.get(path),
            demote.get(path),
            unclassified.get(path),
            marks[path][1] if path in marks else (),
        )
        if not any(found):  # in no section: the tier counts are all the digest needs
            parts[path] = None
            continue
        parts[path] = new(Part, (path, contact.name, fold(contact.name), contact.tier, *found))
    return parts


def _digest_marks(snapshot: Snapshot) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Per contact (by path) whose log records ticks from digests: its name and those lines."""
    found = {}
    for contact in snapshot.contacts:
        if contact.log:
            texts = tuple([e.text for e in contact.log if "(digest " in e.text])
            if texts:
                found[contact.path] = (contact.name, texts)
    return found


def _item_part(item: DueItem, week: Week) -> ItemPart:
    contact, last = item.contact, item.last
    if item.status == "overdue":
        when = _plural(item.days_overdue, "day") + " overdue"
    elif last is None and item.next_due == week.start:
        when = "never contacted"
    elif last is None:
        when = f"due {day_label(item.next_due)} · never contacted"
    else:
        when = f"due {day_label(item.next_due)}"
    tier = item.tier.label if item.tier is not None else None
    from_log = last is not None and last.source == "log"
    last_kind = last.kind if last is not None and from_log else None
    last_text = last.text if last is not None and from_log else None
    last_note = _title(last) if last is not None and last.source == "journal" else None
    # The text of the template's `task` macro, made here: a Jinja2 macro call per line cost
    # more than everything else in rendering a digest of 2,500 people.
    parts = [wikilink(contact.name, contact.path)]
    if tier:
        parts += (" · ", md(tier))
    parts += (" · ", when)
    if last is not None:
        parts += (" · last: ", str(last.date))
        if last_kind:
            parts += (" ", md(last_kind))
        if last_text:
            parts += (" — ", md_links(last_text))
        if last_note:
            parts += (" in ", wikilink(last_note))
    if contact.interests:
        parts += (" · ask about: ", ", ".join(map(md, contact.interests)))
    if contact.needs:
        parts += ("; " if contact.interests else " · ", "needs: ")
        parts.append(", ".join(map(md, contact.needs)))
    return ItemPart(
        order=due_key(item, week)[0],
        name=contact.name,
        path=contact.path,
        tier=tier,
        status=item.status,
        next_due=item.next_due.toordinal(),
        days_overdue=item.days_overdue,
        when=when,
        last_date=last.date.toordinal() if last is not None else None,
        last_kind=last_kind,
        last_text=last_text,
        last_note=last_note,
        interests=contact.interests,
        needs=contact.needs,
        line="".join(parts),
    )


def _birthday_part(line: BirthdayLine) -> BirthdayPart:
    return BirthdayPart(
        line.name,
        line.path,
        line.date.toordinal(),
        line.day,
        line.age,
        line.next_week,
        line.leap_day,
    )


def _birthday_line(part: BirthdayPart) -> BirthdayLine:
    return BirthdayLine(
        part.name,
        part.path,
        date.fromordinal(part.date),
        part.day,
        part.age,
        part.next_week,
        part.leap_day,
    )


def _title(last: LastContact) -> str:
    return Path(last.path).stem


def _birthdays(snapshot: Snapshot, week: Week) -> tuple[BirthdayLine, ...]:
    lines = []
    for item in birthdays(snapshot, week.start, week.end + timedelta(days=7)):
        born = item.contact.birthday
        lines.append(
            BirthdayLine(
                name=item.contact.name,
                path=item.contact.path,
                date=item.date,
                day=day_label(item.date),
                age=item.age,
                next_week=item.date > week.end,
                leap_day=_leap_day(born, item.date),
            )
        )
    return tuple(lines)


def _leap_day(born: Birthday | None, day: date) -> bool:
    """Born on 29 February, celebrated on 28 February in a common year."""
    return born is not None and (born.month, born.day) == (2, 29) and day.day == 28


def _silent_text(
    entry: network.Suggestion, config: Config, lasts: Mapping[str, LastContact]
) -> str | None:
    """Why someone looks like a demotion, in words that do not change from day to day."""
    last = lasts.get(entry.contact.name)
    cadence = cadence_of(entry.contact, config)
    if last is None or cadence is None or cadence.never:
        return None
    colder = config.tier(entry.suggested)
    where = f"consider {colder.label}" if colder is not None else "consider letting go"
    return f"no contact since {last.date.isoformat()}, cadence {_words(cadence)}; {where}"


def _words(duration: Duration) -> str:
    unit = {"d": "day", "w": "week", "m": "month", "y": "year"}.get(duration.unit, duration.unit)
    return f"{duration.count} {unit}{'' if duration.count == 1 else 's'}"


# --- the sections, assembled from the shares ------------------------------------------------


class Inputs(NamedTuple):
    """Everything a week's digest is made of, but for the ticks in its note."""

    parts: dict[str, Part]  # by path, of the contacts that appear in a section
    tiers: dict[str | None, int]  # contacts per tier name, as their notes say
    around: Around  # what other notes say about each contact (kept as `cross_of` gives it)
    intros: tuple[IntroLine, ...]


def digest_inputs(
    snapshot: Snapshot,
    config: Config,
    week: Week,
    today: date,
    *,
    intros: Callable[[], list[network.Intro]] | None = None,
) -> Inputs:
    """The shares of every contact and the introductions worth making (`intros`: the
    `memo.start_intros` of this snapshot with limit INTROS_SHOWN, when already begun)."""
    from netzwerk import memo

    if intros is None:
        # Begun first: on a large vault whose intros are not in the index yet, they are
        # matched on the other core while the rest of the digest is made here.
        intros = memo.start_intros(snapshot, config, limit=INTROS_SHOWN)
    known = around(snapshot, today)
    shares = contact_parts(snapshot, config, week, today, known)
    parts = {path: part for path, part in shares.items() if part is not None}
    return Inputs(parts, network.tier_counts(snapshot), known, _intro_lines(intros()))


def build_digest(
    snapshot: Snapshot,
    config: Config,
    week: Week,
    today: date,
    ticked: Mapping[str, date | None] | Set[str] = frozenset(),
) -> DigestData:
    """The digest of `week`; `ticked` names items ticked in its current note (with ✅ dates).

    The week is scheduled as if its own tick-backs had not been recorded yet, so ticking an
    item changes only its checkbox; a contact whose log already holds this digest's marker
    shows ticked even when the note lost the tick.
    """
    inputs = digest_inputs(snapshot, config, week, today)
    return assemble(inputs, config, week, resolver(snapshot), ticked)


def resolver(snapshot: Snapshot) -> Callable[[str], str | None]:
    """A tick's link target (a title or alias, or a path in the vault) -> the contact's path."""
    by_path = {c.path.removesuffix(".md").casefold(): c.path for c in snapshot.contacts}

    def by_name(name: str) -> str | None:
        contact = snapshot.resolve(name)
        return contact.path if contact is not None else None

    return lambda name: resolve_tick(name, by_name, by_path)


def resolve_tick(
    name: str, by_name: Callable[[str], str | None], by_path: Mapping[str, str]
) -> str | None:
    """A tick's link target: a title or alias, or a path in the vault."""
    found = by_name(name)
    if found is None:
        found = by_path.get(name.removesuffix(".md").casefold())
    if found is None and "/" in name:
        found = by_name(name.rsplit("/", 1)[1])
    return found


def assemble(
    inputs: Inputs,
    config: Config,
    week: Week,
    resolve: Callable[[str], str | None],
    ticked: Mapping[str, date | None] | Set[str] = frozenset(),
) -> DigestData:
    """The digest of `week` from every contact's share; `resolve` finds a tick's contact."""
    parts = inputs.parts
    tag = marker(week.label)
    given: Mapping[str, date | None] = (
        ticked if isinstance(ticked, Mapping) else dict.fromkeys(sorted(ticked))
    )
    done: dict[str, date | None] = {
        p.path: None for p in parts.values() if any(tag in text for text in p.marks)
    }
    for name in sorted(given):
        path = resolve(name)
        if path is not None and path in parts:
            done[path] = given[name]

    shown = sorted((p for p in parts.values() if p.item is not None), key=_item_order)
    items = [_digest_item(p.item, done) for p in shown if p.item is not None]
    overdue = tuple(i for i in items if i.status == "overdue")
    due_now = tuple(i for i in items if i.status == "due")
    born = sorted(
        (line for p in parts.values() for line in p.birthdays),
        key=lambda b: (b.date, fold(b.name), b.name),
    )
    birthday_lines = tuple(_birthday_line(b) for b in born)
    give = [(GiveLine(p.name, p.path, *p.give), p.folded) for p in parts.values() if p.give]
    give.sort(key=lambda g: (-(g[0].got - g[0].gave), g[1], g[0].name))
    give_first = tuple(g for g, _ in give[:GIVE_FIRST_SHOWN])
    health, unclassified = _tier_health(config, inputs.tiers, parts, items)

    counts = [
        _plural(len(overdue), "overdue", "overdue"),
        _plural(len(due_now), "due this week", "due this week"),
        _plural(len(birthday_lines), "birthday"),
    ]
    ticked_count = sum(1 for i in items if i.ticked)
    if ticked_count:
        counts.append(_plural(ticked_count, "done", "done"))
    return DigestData(
        week=week.label,
        start=week.start,
        end=week.end,
        title=f"Week {week.label} · {range_label(week.start, week.end)}",
        summary=" · ".join(counts),
        overdue=overdue,
        due=due_now,
        birthdays=birthday_lines,
        intros=inputs.intros,
        give_first=give_first,
        tier_check=_tier_check(config, inputs.tiers, parts.values()),
        tier_health=health,
        unclassified=unclassified,
    )


def _item_order(part: Part) -> tuple[float, str, str]:
    return (part.item.order if part.item is not None else 0.0, part.folded, part.name)


def _digest_item(item: ItemPart, done: Mapping[str, date | None]) -> DigestItem:
    ticked = item.path in done
    done_on = done.get(item.path)
    line = ("- [x] " if ticked else "- [ ] ") + item.line
    if ticked and done_on:
        line += f" ✅ {done_on}"
    return DigestItem(
        name=item.name,
        path=item.path,
        tier=item.tier,
        status=item.status,
        next_due=date.fromordinal(item.next_due),
        days_overdue=item.days_overdue,
        when=item.when,
        last_date=date.fromordinal(item.last_date) if item.last_date is not None else None,
        last_kind=item.last_kind,
        last_text=item.last_text,
        last_note=item.last_note,
        interests=item.interests,
        needs=item.needs,
        ticked=ticked,
        done=done_on,
        line=line,
    )


def _intro_lines(intros: list[network.Intro]) -> tuple[IntroLine, ...]:
    lines = []
    for intro in intros:
        lines.append(
            IntroLine(
                needer=intro.needer.name,
                needer_path=intro.needer.path,
                giver=intro.giver.name,
                giver_path=intro.giver.path,
                need=intro.need,
                verb=_VERBS.get(intro.field, "has"),
                match=intro.match,
            )
        )
    return tuple(lines)


def _tier_check(
    config: Config, tiers: Mapping[str | None, int], parts: Collection[Part]
) -> tuple[CheckLine, ...]:
    loads = network.tier_loads(config.tiers, tiers)
    lines = [CheckLine("over capacity", None, None, t.reason) for t in loads if t.over]
    groups: tuple[tuple[str, Callable[[Part], tuple[float, str] | None], str], ...] = (
        ("silent", lambda p: p.demote, "people silent far beyond their cadence"),
        ("promote", lambda p: p.promote, "people worth a closer tier"),
        ("unclassified", lambda p: p.unclassified, "people without a tier"),
    )
    for kind, finding, what in groups:
        found = [(f, p) for p in parts if (f := finding(p)) is not None]
        # The order of `netzwerk review`: the strongest case first, then by name.
        found.sort(key=lambda e: (-e[0][0], e[1].folded, e[1].name))
        for (_, text), part in found[:CHECKS_SHOWN]:
            lines.append(CheckLine(kind, part.name, part.path, text))
        if len(found) > CHECKS_SHOWN:
            more = len(found) - CHECKS_SHOWN
            text = f"and {more} more {what}; netzwerk review lists them all"
            lines.append(CheckLine("more", None, None, text))
    return tuple(lines)


def _tier_health(
    config: Config,
    counts: Mapping[str | None, int],
    parts: Mapping[str, Part],
    items: list[DigestItem],
) -> tuple[tuple[TierHealth, ...], int]:
    members: dict[str, int] = {}
    unclassified = 0
    tiers: dict[str | None, Tier] = {}
    for configured in config.tiers:
        tiers.setdefault(configured.name, configured)  # as config.tier(): the first of a name
    for name, count in counts.items():
        tier = tiers.get(name)
        if tier is None:
            unclassified += count
        else:
            members[tier.name] = members.get(tier.name, 0) + count
    health = []
    for tier in config.tiers:
        in_tier = [i for i in items if tiers.get(parts[i.path].tier) is tier]
        health.append(
            TierHealth(
                name=tier.name,
                label=tier.label,
                members=members.get(tier.name, 0),
                capacity=tier.capacity,
                overdue=sum(1 for i in in_tier if i.status == "overdue"),
                due=sum(1 for i in in_tier if i.status == "due"),
                scheduled=not tier.cadence.never,
            )
        )
    return tuple(health), unclassified


# --- the note ------------------------------------------------------------------------------

_NOTES_HEADING = re.compile(r"^##[ \t]+Notes[ \t]*\r?\n?$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


@functools.lru_cache(maxsize=4)
def notes_section(text: str) -> str | None:
    """The `## Notes` section of a digest (heading to end of file), byte for byte.

    Remembered for the last few texts: making a digest asks this of the same text up to six
    times, and a digest of 2,500 people has as many lines.
    """
    offset = 0
    fence: str | None = None
    for line in _lines(text):
        first = line[:1]
        if first not in "#`~" and not first.isspace():  # neither a heading nor a fence
            offset += len(line)
            continue
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        elif match:
            fence = match.group(1)
        elif _NOTES_HEADING.match(line):
            return text[offset:]
        offset += len(line)
    return None


def render_digest(data: DigestData, config: Config, notes_section: str | None) -> str:
    """The digest note; a previous `## Notes` section replaces the template's, byte for byte."""
    context: dict[str, object] = data._asdict()
    context["digest"] = data
    text = render(config, DIGEST_TEMPLATE, context)
    return text if notes_section is None else render_notes(text, notes_section)


def digest_file(config: Config, week: Week) -> Path:
    """`Digests/2026-W48.md`."""
    return config.digest_path / f"{week.label}.md"


def read_digest(config: Config, week: Week) -> str | None:
    """The current digest note of `week`, if any (undecodable bytes kept via surrogates)."""
    try:
        return digest_file(config, week).read_bytes().decode("utf-8", "surrogateescape")
    except FileNotFoundError:
        return None


def make_digest(
    snapshot: Snapshot, config: Config, week: Week, today: date, inputs: Inputs | None = None
) -> str:
    """The digest note for `week`: ticks and the Notes section are taken from its current file.

    `inputs`: `digest_inputs(snapshot, config, week, today)` when the caller has them.
    """
    if inputs is None:
        inputs = digest_inputs(snapshot, config, week, today)
    return render_week(inputs, config, week, resolver(snapshot))


def render_week(
    inputs: Inputs, config: Config, week: Week, resolve: Callable[[str], str | None]
) -> str:
    """The digest note for `week` from its inputs and the ticks in its current file."""
    old = read_digest(config, week)
    ticks: dict[str, date | None] = {}
    notes: str | None = None
    if old is not None:
        for tick in parse_ticks(old):
            ticks.setdefault(tick.name, tick.date)
        notes = notes_section(old)
    data = assemble(inputs, config, week, resolve, ticks)
    return render_digest(data, config, notes)


def write_digest(config: Config, week: Week, text: str) -> bool:
    """Write the digest atomically; False (and no write) when the bytes would not change.

    The `## Notes` section is taken again from the file on disk right before writing, so a
    note the user saved since the digest was rendered is kept. Raises `edit.EditError` when
    the file cannot be read or written.
    """
    path = digest_file(config, week)
    try:
        return _write_digest(path, text)
    except OSError as exc:
        from netzwerk.files import EditError

        relative = path.relative_to(config.root).as_posix()
        reason = exc.strerror or str(exc)
        raise EditError(f"could not write {relative}: {reason}; it was left as it was") from exc


def _write_digest(path: Path, text: str) -> bool:
    try:
        current: bytes | None = path.read_bytes()
    except FileNotFoundError:
        current = None
    if current is not None:
        notes = notes_section(current.decode("utf-8", "surrogateescape"))
        if notes is not None:
            text = render_notes(text, notes)
    data = text.encode("utf-8", "surrogateescape")
    if data == current:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    from netzwerk.files import replace_file

    replace_file(path, data, None if current is None else os.stat(path).st_mode & 0o7777)
    return True


def render_notes(text: str, notes: str) -> str:
    """`text` with its `## Notes` section (or end) replaced by `notes`."""
    own = notes_section(text)
    head = text[: len(text) - len(own)] if own is not None else text
    if head and not head.endswith("\n"):
        head += "\n"
    return head + notes


# --- tick-back -----------------------------------------------------------------------------

_TICK = re.compile(
    r"^\s*[-*+]\s+\[[xX]\]\s+"
    r"(?:\[\[(?P<wiki>[^\[\]|#^\r\n]+)(?:[#^][^\[\]|\r\n]*)?(?:\|[^\[\]\r\n]*)?\]\]"
    r"|\[(?:[^\[\]\\\r\n]|\\.)*\]\((?P<url>[^()\s]+)\))"
)
_DONE = re.compile(r"✅\s*(\d{4})-(\d{2})-(\d{2})")


class Tick(NamedTuple):
    """A ticked item of a digest: the linked name, the ✅ date if any, the file line."""

    name: str
    date: date | None
    line: int


class Recorded(NamedTuple):
    """A contact recorded from a ticked digest item."""

    name: str
    path: str
    date: date
    digest: str  # the digest's label (file name without .md)


class TickResult(NamedTuple):
    """What tick-back wrote and what it could not do."""

    written: tuple[str, ...]  # notes changed, relative to the vault root
    recorded: tuple[Recorded, ...]
    problems: tuple[Problem, ...]


def parse_ticks(text: str) -> list[Tick]:
    """Ticked task lines `- [x] [[Name]] …` (or `[[Name|shown]]`), with `✅ YYYY-MM-DD`.

    The `## Notes` section is the user's own and holds no digest items.
    """
    notes = notes_section(text)
    if notes is not None:
        text = text[: len(text) - len(notes)]
    ticks: list[Tick] = []
    fence: str | None = None
    for number, line in enumerate(text.split("\n"), 1):
        fenced = _FENCE.match(line)
        if fence is not None:
            if fenced and fenced.group(1)[0] == fence[0] and len(fenced.group(1)) >= len(fence):
                fence = None
            continue
        if fenced:
            fence = fenced.group(1)
            continue
        match = _TICK.match(line)
        if match is None:
            continue
        if match.group("wiki") is not None:
            name = match.group("wiki").strip()
        else:
            name = unquote(match.group("url")).removesuffix(".md")
        if name:
            ticks.append(Tick(name, _done_date(line[match.end() :]), number))
    return ticks


def _done_date(rest: str) -> date | None:
    found = _DONE.findall(rest)
    if not found:
        return None
    year, month, day = found[-1]
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def digest_files(config: Config) -> list[Path]:
    """Every digest note, sorted."""
    folder = config.digest_path
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.md") if p.is_file() and not p.name.startswith("."))


def _digest_ticks(config: Config) -> Iterator[tuple[str, str, Tick] | Problem]:
    """(digest file, its label, tick) for every tick in every digest; a problem per file that
    cannot be read."""
    for file in digest_files(config):
        relative = file.relative_to(config.root).as_posix()
        try:
            text = file.read_bytes().decode("utf-8", "surrogateescape")
        except OSError as exc:
            yield warning(relative, None, "NW502", f"cannot read digest: {exc.strerror}")
            continue
        for tick in parse_ticks(text):
            yield relative, file.stem, tick


def ticks_pending(
    config: Config, parts: Mapping[str, Part], resolve: Callable[[str], str | None]
) -> bool:
    """Whether `apply_tickbacks` has anything to record or report."""
    for found in _digest_ticks(config):
        if isinstance(found, Problem):
            return True
        _, label, tick = found
        path = resolve(tick.name)
        part = parts.get(path) if path is not None else None
        if part is None:
            return True
        tag = marker(label)
        if not any(tag in text for text in part.marks):
            return True
    return False


def apply_tickbacks(snapshot: Snapshot, config: Config, today: date) -> TickResult:
    """Record one contact per ticked digest item not recorded yet; the caller holds the lock.

    A tick is recorded as `- DATE: checked in (digest LABEL)` in the person's note, on the
    ✅ date when present, else `today`. The marker in the text makes this idempotent: an
    item whose person's log already carries the digest's marker is skipped.
    """
    by_path: dict[str, Contact] = {}
    resolve: Callable[[str], str | None] | None = None
    problems: list[Problem] = []
    pending: dict[str, list[tuple[date, str, Contact]]] = {}
    seen: set[tuple[str, str]] = set()
    for found in _digest_ticks(config):
        if isinstance(found, Problem):
            problems.append(found)
            continue
        relative, label, tick = found
        if resolve is None:  # made for the first tick: most runs find none
            by_path = {c.path: c for c in snapshot.contacts}
            resolve = resolver(snapshot)
        path = resolve(tick.name)
        if path is None:
            message = f"ticked item names no contact: {tick.name!r}"
            problems.append(warning(relative, tick.line, "NW501", message))
            continue
        contact = by_path[path]
        if (label, contact.path) in seen:
            continue
        seen.add((label, contact.path))
        tag = marker(label)
        if any(tag in entry.text for entry in contact.log):
            continue
        pending.setdefault(contact.path, []).append((tick.date or today, label, contact))

    written: list[str] = []
    recorded: list[Recorded] = []
    if not pending:
        return TickResult((), (), tuple(problems))
    from netzwerk import edit

    for path in sorted(pending):
        entries = sorted(pending[path], key=lambda e: (e[0], e[1]))
        ops = [edit.AddLog(day, None, tick_text(label)) for day, label, _ in entries]
        try:
            change = edit.plan(config.root / path, ops)
            if edit.write(change):
                written.append(path)
        except edit.EditError as exc:
            reason = str(exc).replace(str(config.root / path), path)
            problems.append(error(path, None, "NW502", f"cannot record ticked items: {reason}"))
            continue
        recorded += [Recorded(c.name, path, day, label) for day, label, c in entries]
    return TickResult(tuple(written), tuple(recorded), tuple(problems))
