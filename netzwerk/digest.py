"""The weekly digest: its data (from everyone's Facts), its note, and ticked items recorded back
as contacts."""

from __future__ import annotations

import errno
import functools
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from datetime import MAXYEAR, date, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar
from urllib.parse import unquote

from netzwerk.config import Config
from netzwerk.facts import TICKS, WAS, marker
from netzwerk.files import (
    EditError,
    inside,
    read_regular,
    readable,
    replace_file,
    shown_path,
    writable,
)
from netzwerk.model import Birthday, Facts, LastContact, Tier, link_key, parse_date
from netzwerk.network.intros import Intro
from netzwerk.network.review import (
    GIVE_FIRST,
    Drift,
    Suggestion,
    Unclassified,
    balances,
    drift_of,
    drifting,
    may_change_tier,
    suggestions,
    tier_counts,
    tier_loads,
    unclassified_of,
    unless_drifting,
)
from netzwerk.problems import Problem, error, warning
from netzwerk.render import md, md_links, render, wikilink
from netzwerk.schedule import DueItem, Week, birthdays, due, parse_week, week_budget, week_of
from netzwerk.text import TEXT, day_label, duration_words, fold, line_kinds, plural, range_label

if TYPE_CHECKING:
    from netzwerk.week.followups import FollowUp, TaskLine
    from netzwerk.week.greetings import Greeting
    from netzwerk.week.kept import Chains, KeptTrip
    from netzwerk.week.reconnect import Reconnect
    from netzwerk.week.trips import Trip as TripBlock
    from netzwerk.week.warmup import WarmUp

TAG = "netzwerk/digest"
TEMPLATE = "digest.md.j2"
INTROS_SHOWN = 5
GIVE_FIRST_SHOWN = 5
CHECKS_SHOWN = 10  # per kind of finding; `netzwerk review` lists them all
WISHES_BEFORE = 14  # `birthday wishes` logged this many days before a birthday tick it
_VERBS = {
    "offers": "offers",
    "role": "works as",
    "tags": "is tagged",
    "company": "works at",
    "location": "is based in",
}


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
    ticked: bool = False  # wished: ticked here, or `birthday wishes` logged since a week before
    line: str = ""  # the whole task line


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

    kind: str  # "over capacity" | "silent" | "drift" | "promote" | "unclassified" | "more"
    name: str | None  # the contact it concerns; None for a whole tier
    path: str | None
    text: str  # "no contact since 2025-12-01, cadence 2 months; consider Top 100"


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
    # A contact's path -> its `name`, where the title says more (`Jane Doe - Acme Inc`).
    shown: Mapping[str, str] = MappingProxyType({})
    budget: int = 0  # how many due people the week lists (`week_budget`)
    more: int = 0  # due people beyond the budget, not listed
    more_line: str = ""  # `and 14 more — netzwerk due lists them all`, or ""
    overdue_count: int = 0  # everyone overdue, listed or not
    follow_ups: tuple[FollowUp, ...] = ()
    tasks: tuple[TaskLine, ...] = ()
    greetings: tuple[Greeting, ...] = ()
    trips: tuple[TripBlock, ...] = ()
    reconnect: tuple[Reconnect, ...] = ()
    warm_up: tuple[WarmUp, ...] = ()


def intro_lines(found: Sequence[Intro]) -> tuple[IntroLine, ...]:
    """The digest's lines of introductions worth making."""
    return tuple(
        IntroLine(
            needer=intro.needer.name,
            needer_path=intro.needer.path,
            giver=intro.giver.name,
            giver_path=intro.giver.path,
            need=intro.need,
            verb=_VERBS.get(intro.field, "has"),
            match=intro.match,
        )
        for intro in found
    )


# --- the data, from everyone's Facts -------------------------------------------------------


class TierInputs(NamedTuple):
    """What the tier check needs on any day of a week while the Facts hold: the tiers over
    capacity, whom a tier change could be suggested for (by path: their Facts are looked up
    when the check is made, so that a kept week holds none), and of the people without a tier
    and the people drifting (as of the week's start), in `review`'s order, those the check
    can show (`_showable`) and how many there are."""

    over: tuple[CheckLine, ...]
    candidates: tuple[str, ...]
    unclassified: tuple[CheckLine, ...]
    drift: tuple[CheckLine, ...]
    unclassified_count: int
    drift_count: int


class WeekParts(NamedTuple):
    """The digest of a week but its tier check, and what that needs: the same on every day of
    the week (and on the day it was made for) while the Facts hold (`store.facts.Kept.since`,
    `until`)."""

    data: DigestData  # tier_check left empty
    tiers: TierInputs


def finish(
    parts: WeekParts, config: Config, today: date, facts_of: Callable[[str], Facts | None]
) -> DigestData:
    """The digest on `today`: the week's parts and the day's tier check (`facts_of`: a
    contact's Facts by path)."""
    return parts.data._replace(tier_check=tier_check(parts.tiers, config, today, facts_of))


def build_week(
    people: Sequence[Facts],
    intros: Sequence[IntroLine],
    config: Config,
    week: Week,
    today: date,
    ticked: Mapping[str | tuple[str, str], date | None] = {},
    *,
    trips: Sequence[KeptTrip] = (),
    chains: Sequence[Chains] = (),
    ticked_tasks: Mapping[str, date | None] = {},
    previous: Collection[str] | None = None,
) -> WeekParts:
    """The digest of `week` but its tier check; `ticked` names items ticked in its current note
    (✅ dates), by name (an item of the due list) or by (name, kind of item); `ticked_tasks`
    the task lines ticked there (their text after the checkbox); `previous` the paths last
    week's digest suggested to reconnect with (None when there is no such digest); `trips`
    and `chains` what was found about trips and people to meet when the notes were read.

    The week is scheduled as if its own tick-backs had not been recorded yet, so ticking an
    item changes only its checkbox; a contact whose log already records this digest's tick
    shows ticked even when the note lost the tick. Apart from the tier check nothing depends
    on the day within the week: the relationship account counts the days up to `today`, and
    the Facts hold no date between the day they were made and the days they are used on.
    """
    # The week's sections beyond the due list: imported here, as a warm run needs none of them.
    from netzwerk.week.followups import follow_ups, open_tasks
    from netzwerk.week.greetings import greetings
    from netzwerk.week.reconnect import reconnect

    items = due(people, config, week, before_ticks=True)
    done: dict[tuple[str, str], date | None] = {
        (p.path, kind): None for p in people for label, kind, _, _ in p.ticks if label == week.label
    }
    if ticked:
        resolve = resolver(people)
        for key in sorted(ticked, key=lambda k: (k, "") if isinstance(k, str) else k):
            name, kind = (key, "due") if isinstance(key, str) else key
            path = resolve(name)
            if path is not None:
                done[(path, kind)] = ticked[key]
    budget = week_budget(people, config)
    listed = [_digest_item(item, week, done) for item in items[:budget]]
    overdue = tuple(i for i in listed if i.status == "overdue")
    due_now = tuple(i for i in listed if i.status == "due")
    more = len(items) - len(listed)
    born = _birthdays(people, week, done)
    give = [b for b in balances(people, today) if b.status == GIVE_FIRST]
    give.sort(key=lambda b: (-(b.got - b.gave), fold(b.person.name), b.person.name))
    give_first = tuple(GiveLine(b.person.name, b.person.path, b.gave, b.got) for b in give)
    counts = tier_counts(people)
    health, unclassified = _tier_health(config, counts, items)
    due_paths = {i.person.path: i for i in items}
    # One ask a person: someone the due list holds is not asked again as a follow-up (a
    # Top 10 cadence and the second touch both come three weeks after a first meeting).
    listed_paths = {i.path for i in listed}
    follow = tuple(f for f in follow_ups(people, week, done) if f.path not in listed_paths)
    tasks = open_tasks(people, week, ticked_tasks)
    greet = greetings(people, config, week, done)
    dormant = reconnect(people, config, week, done, skip=due_paths, previous=previous)
    overdue_count = sum(1 for i in items if i.status == "overdue")
    summary = [
        plural(overdue_count, "overdue", "overdue"),
        plural(sum(1 for i in items if i.status == "due"), "due this week", "due this week"),
    ]
    if more:
        summary.append(f"the {len(listed)} most pressing listed")
    summary.append(plural(len(born), "birthday"))
    if follow:
        summary.append(plural(len(follow), "follow-up"))
    if tasks:
        summary.append(plural(len(tasks), "open task"))
    if greet:
        summary.append(plural(len(greet), "greeting"))
    ticked_count = sum(
        1 for group in (listed, born, follow, tasks, greet, dormant) for i in group if i.ticked
    )
    if ticked_count:
        summary.append(plural(ticked_count, "done", "done"))
    data = DigestData(
        week=week.label,
        start=week.start,
        end=week.end,
        title=f"Week {week.label} · {range_label(week.start, week.end)}",
        summary=" · ".join(summary),
        overdue=overdue,
        due=due_now,
        birthdays=born,
        intros=tuple(intros[:INTROS_SHOWN]),
        give_first=give_first[:GIVE_FIRST_SHOWN],
        tier_check=(),
        tier_health=health,
        unclassified=unclassified,
        shown={p.path: p.shown for p in people if p.shown != p.name},
        budget=budget,
        more=more,
        more_line=f"and {more} more — {_due_command(week, today)} lists them all" if more else "",
        overdue_count=overdue_count,
        follow_ups=follow,
        tasks=tasks,
        greetings=greet,
        trips=_trips(trips, people, config, week, due_paths),
        reconnect=dormant,
        # (Through whom the digest lists: someone cut by the budget is not asked this week.)
        warm_up=_warm_up(chains, people, config, week, listed_paths),
    )
    return WeekParts(data, tier_inputs(people, config, counts, week, today))


def _due_command(week: Week, today: date) -> str:
    """The command that lists the whole due list of `week`."""
    if week.start <= today <= week.end:
        return "netzwerk due"
    return f"netzwerk due --week {week.label}"


def _trips(
    kept: Sequence[KeptTrip],
    people: Sequence[Facts],
    config: Config,
    week: Week,
    due: Mapping[str, DueItem],
) -> tuple[TripBlock, ...]:
    if not kept:  # (most vaults: no trip, and nothing to import)
        return ()
    from netzwerk.week.trips import trips

    return trips(kept, people, config, week, due)


def _warm_up(
    kept: Sequence[Chains],
    people: Sequence[Facts],
    config: Config,
    week: Week,
    listed: Collection[str],
) -> tuple[WarmUp, ...]:
    if not kept:  # nobody in the target tier
        return ()
    from netzwerk.week.warmup import warm_up

    return warm_up(people, kept, config, week, listed)


def resolver(people: Sequence[Facts]) -> Callable[[str], str | None]:
    """A tick's link target (a title or alias, or a path in the vault) -> the contact's path.

    Titles win over aliases, and of two contacts with one alias the first by name, as links.
    """
    by_link = {link_key(alias): p.path for p in reversed(people) for alias in p.aliases}
    by_link.update({link_key(p.name): p.path for p in people})
    by_path = {p.path.removesuffix(".md").casefold(): p.path for p in people}

    def resolve(name: str) -> str | None:
        found = by_link.get(link_key(name))
        if found is None:
            found = by_path.get(name.removesuffix(".md").casefold())
        if found is None and "/" in name:
            found = by_link.get(link_key(name.rsplit("/", 1)[1]))
        return found

    return resolve


def _digest_item(
    item: DueItem, week: Week, done: Mapping[tuple[str, str], date | None]
) -> DigestItem:
    person, last = item.person, item.last
    if item.status == "overdue":
        when = plural(item.days_overdue, "day") + " overdue"
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
    ticked = (person.path, "due") in done
    done_on = done.get((person.path, "due"))
    # The text of the template's `task` macro, made here: a Jinja2 macro call per line cost
    # more than everything else in rendering a digest of 2,500 people.
    parts = ["- [x] " if ticked else "- [ ] ", wikilink(person.name, person.path, person.shown)]
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
    if person.interests:
        parts += (" · ask about: ", ", ".join(map(md, person.interests)))
    if person.needs:
        parts += ("; " if person.interests else " · ", "needs: ")
        parts.append(", ".join(map(md, person.needs)))
    if ticked and done_on:
        parts.append(f" ✅ {done_on}")
    return DigestItem(
        name=person.name,
        path=person.path,
        tier=tier,
        status=item.status,
        next_due=item.next_due,
        days_overdue=item.days_overdue,
        when=when,
        last_date=last.date if last is not None else None,
        last_kind=last_kind,
        last_text=last_text,
        last_note=last_note,
        interests=person.interests,
        needs=person.needs,
        ticked=ticked,
        done=done_on,
        line="".join(parts),
    )


def _title(last: LastContact) -> str:
    return Path(last.path).stem


def _birthdays(
    people: Sequence[Facts], week: Week, done: Mapping[tuple[str, str], date | None]
) -> tuple[BirthdayLine, ...]:
    lines = []
    for item in birthdays(people, week.start, week.end + timedelta(days=7)):
        person = item.person
        since = (item.date - timedelta(days=WISHES_BEFORE)).toordinal()
        wished = any(since <= day <= week.end.toordinal() for day in person.wished)
        ticked = (person.path, "birthday") in done or wished
        done_on = done.get((person.path, "birthday"))
        line = BirthdayLine(
            name=person.name,
            path=person.path,
            date=item.date,
            day=day_label(item.date),
            age=item.age,
            next_week=item.date > week.end,
            leap_day=_leap_day(person.birthday, item.date),
            ticked=ticked,
        )
        parts = ["- [x] " if ticked else "- [ ] ", wikilink(person.name, person.path, person.shown)]
        parts.append(f" · {line.day}")
        if line.next_week:
            parts.append(" (next week)")
        if line.age is not None:
            parts.append(f" · turns {line.age}")
        if line.leap_day:
            parts.append(" · born on 29 February")
        if ticked and done_on:
            parts.append(f" ✅ {done_on}")
        lines.append(line._replace(line="".join(parts)))
    return tuple(lines)


def _leap_day(born: Birthday | None, day: date) -> bool:
    """Born on 29 February, celebrated on 28 February in a common year."""
    return born is not None and (born.month, born.day) == (2, 29) and day.day == 28


def _silent_text(entry: Suggestion, config: Config) -> str:
    """Why someone looks like a demotion, in words that do not change from day to day."""
    colder = config.tier(entry.suggested)
    where = f"consider {colder.label}" if colder is not None else "consider letting go"
    if entry.since is None or entry.cadence is None:
        return entry.reason
    cadence = duration_words(entry.cadence.count, entry.cadence.unit)
    return f"no contact since {entry.since.isoformat()}, cadence {cadence}; {where}"


def tier_inputs(
    people: Sequence[Facts],
    config: Config,
    counts: Mapping[str | None, int],
    week: Week,
    today: date,
) -> TierInputs:
    """What the tier check needs on any day of `week`, and on `today` if it is another."""
    over = tuple(
        CheckLine("over capacity", None, None, t.reason)
        for t in tier_loads(config.tiers, counts)
        if t.over
    )
    first, last = min(today, week.start), max(today, week.end)
    candidates = tuple(p.path for p in people if may_change_tier(p, config, first, last))
    paths = set(candidates)
    without = unclassified_of(people)
    unclassified = tuple(
        CheckLine("unclassified", u.person.name, u.person.path, f"no tier yet; {u.reason}")
        for u in _showable(without, paths)
    )
    # Drift as of the week's first day: the words stay the same all week.
    drifts = drifting(people, config, week.start)
    drift = tuple(
        CheckLine("drift", d.person.name, d.person.path, d.reason) for d in _showable(drifts, paths)
    )
    return TierInputs(over, candidates, unclassified, drift, len(without), len(drifts))


_Listed = TypeVar("_Listed", Unclassified, Drift)


def _showable(found: Sequence[_Listed], candidates: Collection[str]) -> list[_Listed]:
    """What the tier check can show of `found` on any day of the week: everyone a tier change
    may be suggested for (who then leaves the list) and the first CHECKS_SHOWN of the rest."""
    shown: list[_Listed] = []
    others = 0
    for item in found:
        if item.person.path in candidates:
            shown.append(item)
        elif others < CHECKS_SHOWN:
            shown.append(item)
            others += 1
    return shown


def tier_check(
    inputs: TierInputs, config: Config, today: date, facts_of: Callable[[str], Facts | None]
) -> tuple[CheckLine, ...]:
    """The digest's tier check on `today`, in `review`'s order (`netzwerk review` lists all);
    `facts_of`: a contact's Facts by path."""
    candidates = [f for path in inputs.candidates if (f := facts_of(path)) is not None]
    promote, demote = suggestions(candidates, config, today)
    # As `review`: someone silent beyond their cadence is not drifting too, someone drifting
    # is not worth a closer tier, and someone without a tier whom a tier is suggested for is
    # listed there. (Of the drifting, the kept week holds every candidate for a suggestion.)
    demoted = {s.person.path for s in demote}
    drift = [line for line in inputs.drift if line.path not in demoted]
    # Drifting as of the week's first day, as listed; someone worth a closer tier who has
    # started drifting since (as `review` says today) is listed with them instead.
    adrift = {line.path for line in drift if line.path}
    since = [
        CheckLine("drift", s.person.name, s.person.path, late.reason)
        for s in promote
        if s.person.path not in adrift and (late := drift_of(s.person, config, today))
    ]
    drift_count = inputs.drift_count - (len(inputs.drift) - len(drift)) + len(since)
    drift += since
    promote = unless_drifting(promote, adrift | {line.path for line in since if line.path})
    promoted = {s.person.path for s in promote if s.current is None}
    unclassified = [line for line in inputs.unclassified if line.path not in promoted]
    # Each list with its full length: of the drifting and the unclassified the kept week
    # holds only whom the check can show, and whoever a suggestion takes out is among them.
    groups: tuple[tuple[Sequence[CheckLine], int, str], ...] = (
        (
            [
                CheckLine("silent", s.person.name, s.person.path, _silent_text(s, config))
                for s in demote
            ],
            len(demote),
            "people silent far beyond their cadence",
        ),
        (
            drift,
            drift_count,
            "people silent for twice their own rhythm",
        ),
        (
            [CheckLine("promote", s.person.name, s.person.path, s.reason) for s in promote],
            len(promote),
            "people worth a closer tier",
        ),
        (
            unclassified,
            inputs.unclassified_count - (len(inputs.unclassified) - len(unclassified)),
            "people without a tier",
        ),
    )
    lines = list(inputs.over)
    for found, count, what in groups:
        # The strongest case first, then by name.
        lines += found[:CHECKS_SHOWN]
        if count > CHECKS_SHOWN:
            more = count - CHECKS_SHOWN
            text = f"and {more} more {what}; netzwerk review lists them all"
            lines.append(CheckLine("more", None, None, text))
    return tuple(lines)


def _tier_health(
    config: Config, counts: Mapping[str | None, int], items: Sequence[DueItem]
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
        in_tier = [i for i in items if tiers.get(i.person.tier) is tier]
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


def notes_section(text: str) -> str | None:
    """The `## Notes` section of a digest (heading to end of file), byte for byte."""
    lines = text.splitlines(keepends=True)
    offset = 0
    for line, kind in zip(lines, line_kinds(lines), strict=True):
        if kind == TEXT and _NOTES_HEADING.match(line):
            return text[offset:]
        offset += len(line)
    return None


def render_digest(data: DigestData, config: Config, notes: str | None) -> str:
    """The digest note; a previous `## Notes` section replaces the template's, byte for byte."""
    context: dict[str, object] = data._asdict()
    context["digest"] = data
    text = render(config, TEMPLATE, context)
    return text if notes is None else render_notes(text, notes)


def render_notes(text: str, notes: str) -> str:
    """`text` with its `## Notes` section (or end) replaced by `notes`."""
    own = notes_section(text)
    head = text[: len(text) - len(own)] if own is not None else text
    if head and not head.endswith("\n"):
        head += "\n"
    return head + notes


def digest_file(config: Config, week: Week) -> Path:
    """`Digests/2026-W48.md`."""
    return config.digest_path / f"{week.label}.md"


# A digest is a page of text: a larger file in its place is not read (nor a FIFO, nor a folder).
MAX_DIGEST_BYTES = 16 << 20


def read_digest(config: Config, week: Week) -> str | None:
    """The current digest note of `week`, if any (undecodable bytes kept via surrogates).

    None when there is none, or nothing netzwerk reads: a folder or a FIFO in its place, or a
    link to a file outside the vault; writing it is refused then (`files.writable`)."""
    path = digest_file(config, week)
    if not readable(path, config.root):
        return None
    try:
        data = read_regular(path, MAX_DIGEST_BYTES)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno in (errno.EINVAL, errno.ENOTDIR, errno.EISDIR, errno.ELOOP):
            return None
        raise EditError(f"cannot read {shown_path(path, config.root)}: {exc.strerror}") from exc
    return data.decode("utf-8", "surrogateescape")


class DigestInputs(NamedTuple):
    """What a week's digest reads from digest notes: the items ticked in its current note (by
    name, or by name and kind of item) and the task lines ticked there, its `## Notes`
    section, and whom last week's digest suggested to reconnect with (None: no such note)."""

    ticks: dict[str | tuple[str, str], date | None]
    tasks: dict[str, date | None]
    notes: str | None
    reconnected: list[str] | None  # the link targets of last week's Reconnect section


def digest_inputs(config: Config, week: Week) -> DigestInputs:
    """What `week`'s digest reads from its note and from last week's."""
    old = read_digest(config, week)
    ticks: dict[str | tuple[str, str], date | None] = {}
    tasks: dict[str, date | None] = {}
    notes: str | None = None
    if old is not None:
        for tick in parse_ticks(old):
            if tick.kind is not None:
                ticks.setdefault((tick.name, tick.kind), tick.date)
        tasks = ticked_lines(old, TASKS_HEADING)
        notes = notes_section(old)
    last = read_digest(config, week_of(week.start - timedelta(days=7), config.week_start))
    named = section_links(last, RECONNECT_HEADING) if last is not None else None
    return DigestInputs(ticks, tasks, notes, named)


def make_week(
    people: Sequence[Facts],
    intros: Sequence[IntroLine],
    config: Config,
    week: Week,
    today: date,
    inputs: DigestInputs,
    *,
    trips: Sequence[KeptTrip] = (),
    chains: Sequence[Chains] = (),
) -> WeekParts:
    """`build_week` with what the digest notes say (`digest_inputs`)."""
    previous = None
    if inputs.reconnected is not None:
        resolve = resolver(people)
        previous = {path for name in inputs.reconnected if (path := resolve(name)) is not None}
    return build_week(
        people,
        intros,
        config,
        week,
        today,
        inputs.ticks,
        trips=trips,
        chains=chains,
        ticked_tasks=inputs.tasks,
        previous=previous,
    )


def week_types() -> dict[str, Any]:
    """The records of `WeekParts`, by name (`store.parts.unplain`)."""
    from netzwerk.model import Duration, OpenTask
    from netzwerk.week.followups import FollowUp, TaskLine
    from netzwerk.week.greetings import Greeting
    from netzwerk.week.reconnect import Reconnect
    from netzwerk.week.trips import Trip, TripLine
    from netzwerk.week.warmup import WarmUp

    records = (
        WeekParts,
        DigestData,
        DigestItem,
        BirthdayLine,
        IntroLine,
        GiveLine,
        CheckLine,
        TierHealth,
        TierInputs,
        FollowUp,
        TaskLine,
        Greeting,
        Trip,
        TripLine,
        Reconnect,
        WarmUp,
        Facts,
        LastContact,
        Birthday,
        Duration,
        OpenTask,
    )
    return {kind.__name__: kind for kind in records}


def write_digest(config: Config, week: Week, text: str) -> bool:
    """Write the digest atomically; False (and no write) when the bytes would not change.

    The `## Notes` section is taken again from the file on disk right before writing, so a
    note the user saved since the digest was rendered is kept. Raises EditError when the file
    cannot be read or written.
    """
    path = digest_file(config, week)
    current, data = digest_bytes(config, week, text)
    if data == current:
        return False
    try:
        replace_file(path, data, root=config.root)
    except OSError as exc:
        relative = path.relative_to(config.root).as_posix()
        reason = exc.strerror or str(exc)
        raise EditError(f"could not write {relative}: {reason}; it was left as it was") from exc
    return True


def digest_bytes(config: Config, week: Week, text: str) -> tuple[bytes | None, bytes]:
    """The digest note on disk (None when there is none) and what it is to become: `text`
    with the note's own `## Notes` section. EditError when the note cannot be read, or is
    not UTF-8 (it is never rewritten then)."""
    path = digest_file(config, week)
    relative = path.relative_to(config.root).as_posix()
    try:
        target = writable(path, config.root)
        current: bytes | None = read_regular(target, MAX_DIGEST_BYTES)
    except FileNotFoundError:
        current = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise EditError(f"could not write {relative}: {reason}; it was left as it was") from exc
    if current is not None:
        try:
            kept = current.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = current[: exc.start].count(b"\n") + 1
            raise EditError(
                f"{relative}:{line}: the digest is not valid UTF-8 (byte "
                f"0x{current[exc.start]:02x}); it is never rewritten: save it as UTF-8 "
                "or delete it [NW101]"
            ) from None
        notes = notes_section(kept)
        if notes is not None:
            text = render_notes(text, notes)
    return current, text.encode("utf-8")


# --- tick-back -----------------------------------------------------------------------------

_TICK = re.compile(
    r"^\s*[-*+]\s+\[[xX]\]\s+"
    r"(?:\[\[(?P<wiki>[^\[\]|#^\r\n]+)(?:[#^][^\[\]|\r\n]*)?(?:\|[^\[\]\r\n]*)?\]\]"
    r"|\[(?:[^\[\]\\\r\n]|\\.)*\]\((?P<url>[^()\s]+)\))"
)
_DONE = re.compile(r"✅\s*([0-9]{4})-([0-9]{2})-([0-9]{2})")


class Tick(NamedTuple):
    """A ticked item of a digest: the linked name, the ✅ date if any, the file line, and the
    kind of item (by its section; None for a section whose ticks record nothing)."""

    name: str
    date: date | None
    line: int
    kind: str | None = "due"


class Recorded(NamedTuple):
    """A contact recorded from a ticked digest item."""

    name: str
    path: str
    date: date
    digest: str  # the digest's label (file name without .md)
    kind: str = "due"  # the kind of item (`facts.TICKS`)

    def said(self) -> str:
        """`recorded 2026-11-23 for Yuki Sato (ticked in 2026-W48)`; the kind of item, but
        for one of the due list: `… for Anneke de Vries: greetings (…)`."""
        what = f": {self.kind}" if self.kind != "due" else ""
        return f"recorded {self.date} for {self.name}{what} (ticked in {self.digest})"


class TickResult(NamedTuple):
    """What tick-back wrote and what it could not do."""

    written: tuple[str, ...]  # notes changed, relative to the vault root
    recorded: tuple[Recorded, ...]
    problems: tuple[Problem, ...]


# The kind of item a tick in a section records (by its heading, folded); None for sections
# whose ticks record nothing. A tick under any other heading is a due item's, as before.
SECTION_KINDS: dict[str, str | None] = {
    "overdue": "due",
    "due this week": "due",
    "birthdays": "birthday",
    "greetings": "greetings",
    "follow up": "follow-up",
    "reconnect": "reconnect",
    "open tasks": None,  # a task lives in its own note: ticking its copy here records nothing
    "trip": None,
    "warm up": None,
    "give first": None,
    "tier check": None,
    "tier health": None,
}
TASKS_HEADING = "open tasks"
RECONNECT_HEADING = "reconnect"
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")


@functools.lru_cache(maxsize=4)  # a run reads this week's digest and last week's twice
def _items(text: str) -> tuple[tuple[int, str, str | None], ...]:
    """(file line, text, folded heading of its section) of each list item of a digest outside
    code and its `## Notes`; the section is the innermost heading netzwerk knows (`### Open
    tasks` under `## Follow up`), else the innermost."""
    notes = notes_section(text)
    lines = (text[: len(text) - len(notes)] if notes is not None else text).split("\n")
    found = []
    open_headings: list[tuple[int, str]] = []
    section: str | None = None
    for number, (line, kind) in enumerate(zip(lines, line_kinds(lines), strict=True), 1):
        if kind != TEXT:
            continue
        start = line.lstrip()[:1]
        if start == "#":
            heading = _HEADING.match(line.rstrip("\r"))
            if heading is not None:
                level = len(heading.group(1))
                while open_headings and open_headings[-1][0] >= level:
                    open_headings.pop()
                open_headings.append((level, heading.group(2).strip().casefold()))
                titles = [title for _, title in reversed(open_headings)]
                section = next((t for t in titles if t in SECTION_KINDS), titles[0])
        elif start in ("-", "*", "+"):
            found.append((number, line, section))
    return tuple(found)


def parse_ticks(text: str) -> list[Tick]:
    """Ticked task lines `- [x] [[Name]] …` (or `[[Name|shown]]`), with `✅ YYYY-MM-DD`, and
    the kind of item each is by its section.

    The `## Notes` section is the user's own and holds no digest items.
    """
    ticks: list[Tick] = []
    for number, line, section in _items(text):
        match = _TICK.match(line)
        if match is None:
            continue
        if match.group("wiki") is not None:
            name = match.group("wiki").strip()
        else:
            name = unquote(match.group("url")).removesuffix(".md")
        if name:
            kind = SECTION_KINDS.get(section, "due") if section is not None else "due"
            ticks.append(Tick(name, _done_date(line[match.end() :]), number, kind))
    return ticks


_TICKED = re.compile(r"^\s*[-*+]\s+\[[xX]\]\s+(.*?)\s*$")
_DONE_MARK = re.compile(r"\s*✅\s*\d{4}-\d{2}-\d{2}\s*$")


def ticked_lines(text: str, section: str) -> dict[str, date | None]:
    """The ticked task lines of a section (by its heading, folded): their text after the
    checkbox (without a ✅ date), and the ✅ date."""
    found: dict[str, date | None] = {}
    for _, line, where in _items(text):
        match = _TICKED.match(line.rstrip("\r")) if where == section else None
        if match is not None:
            rest = match.group(1)
            found.setdefault(_DONE_MARK.sub("", rest), _done_date(rest))
    return found


_FIRST_LINK = re.compile(r"^\s*[-*+]\s+(?:\[[ xX]\]\s+)?\[\[([^\[\]|#^\r\n]+)")


def section_links(text: str, section: str) -> list[str]:
    """The first link of each item of a section (by its heading, folded)."""
    found = []
    for _, line, where in _items(text):
        match = _FIRST_LINK.match(line) if where == section else None
        if match is not None:
            found.append(match.group(1).strip())
    return found


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
    """Every digest note, sorted: regular files (or links to them) inside the vault."""
    folder = config.digest_path
    if not folder.is_dir() or not inside(folder, config.root):
        return []
    return sorted(
        p
        for p in folder.rglob("*.md")
        if p.is_file() and not p.name.startswith(".") and readable(p, config.root)
    )


def _digest_ticks(config: Config) -> Iterator[tuple[str, str, Tick] | Problem]:
    """(digest file, its label, tick) for every tick in every digest; a problem per file that
    cannot be read."""
    for file in digest_files(config):
        relative = file.relative_to(config.root).as_posix()
        try:
            text = read_regular(file, MAX_DIGEST_BYTES).decode("utf-8", "surrogateescape")
        except OSError as exc:
            yield warning(relative, None, "NW502", f"cannot read digest: {exc.strerror}")
            continue
        for tick in parse_ticks(text):
            yield relative, file.stem, tick


class Pending(NamedTuple):
    """Ticks to record, by the contact's path: (date, digest label, name, kind, log text);
    and problems."""

    ticks: dict[str, list[tuple[date, str, str, str, str]]]
    problems: list[Problem]


def tick_text(label: str, kind: str = "due", step: int = 0) -> str:
    """The text of the log line a tick of a `kind` of item in digest `label` records (`step`:
    the second text of a kind with two, the follow-up after a thank-you)."""
    return f"{TICKS[kind][1][step]} {marker(label)}"


def pending_ticks(config: Config, everyone: Callable[[], Sequence[Facts]], today: date) -> Pending:
    """The ticked digest items not recorded yet, one per contact, digest and kind of item: on
    the ✅ date when present, else `today` (the digest's last day when today is later).
    `everyone()` gives everyone's Facts, asked for at the first tick found (most runs find
    none)."""
    by_path: dict[str, Facts] = {}
    resolve: Callable[[str], str | None] | None = None
    problems: list[Problem] = []
    pending: dict[str, list[tuple[date, str, str, str, str]]] = {}
    seen: set[tuple[str, str, str]] = set()
    for found in _digest_ticks(config):
        if isinstance(found, Problem):
            problems.append(found)
            continue
        relative, label, tick = found
        if tick.kind is None:
            continue
        if resolve is None:
            people = everyone()
            by_path = {p.path: p for p in people}
            resolve = resolver(people)
        path = resolve(tick.name)
        if path is None:
            message = f"ticked item names no contact: {tick.name!r}"
            problems.append(warning(relative, tick.line, "NW501", message))
            continue
        person = by_path[path]
        key = (label, path, tick.kind)
        recorded = {(done, what) for done, what, _, _ in person.ticks}
        if key in seen or (label, tick.kind) in recorded:
            continue
        seen.add(key)
        if tick.date is not None and tick.date > today:
            message = (
                f"ticked item is dated {tick.date.isoformat()}, after today; it is recorded "
                "once that day has come"
            )
            problems.append(warning(relative, tick.line, "NW501", message))
            continue
        step = 0
        week = parse_week(label, config.week_start)
        if tick.kind == "follow-up":
            from netzwerk.week.followups import step_of

            found_step = step_of(person, week) if week is not None else None
            step = 1 if found_step is not None and found_step[0] == "second" else 0
        text = tick_text(label, tick.kind, step)
        # Without a ✅ date, a tick found after its week (a digest run on Mondays) was most
        # likely made in it: recorded on the week's last day, not a week late (birthday wishes
        # on the birthday at the latest, which may come the week after).
        day = tick.date or (min(today, _latest_day(person, tick.kind, week)) if week else today)
        pending.setdefault(path, []).append((day, label, person.name, tick.kind, text))
    return Pending(pending, problems)


def _latest_day(person: Facts, kind: str, week: Week) -> date:
    """The latest day a tick of `week`'s digest was likely made on: the week's last, or for
    birthday wishes the birthday the digest listed (this week or next): wishes are sent on
    the day at the latest."""
    born = person.birthday
    if kind == "birthday" and born is not None:
        for year in range(week.start.year, min(week.end.year + 1, MAXYEAR) + 1):
            day = born.in_year(year)
            if week.start <= day and (day - week.end).days <= 7:
                return day
    return week.end


def _tick_ops(
    config: Config, path: str, entries: list[tuple[date, str, str, str, str]]
) -> list[Any]:
    """A log line for each tick; and, as `netzwerk log` does for a contact, last_contact
    raised to the latest tick. The line of that tick says what last_contact was before
    (`· last_contact was 2026-06-10`), so that the digest can still show the week as it was."""
    from netzwerk import edit

    key = config.key("last_contact")
    latest = max(day for day, *_ in entries)
    current = edit.property_value(edit.read_note(config.root / path), key)
    was = parse_date(str(current)) if isinstance(current, date | str) else None
    raised = was is None or was < latest
    ops: list[Any] = []
    noted = False
    for day, _, _, kind, text in entries:
        if raised and day == latest and was is not None and not noted:
            text += f" {WAS} {key} was {was.isoformat()}"
            noted = True
        ops.append(edit.AddLog(day, TICKS[kind][0], text, config.log_headings))
    if raised:
        ops.append(edit.SetKey(key, latest, only_later=True))
    return ops


def planned_ticks(config: Config, pending: Pending) -> list[Any]:
    """The edits recording the pending ticks would make (`edit.Edit`), nothing written;
    notes that cannot be edited are left out (the real run reports them)."""
    from netzwerk import edit

    planned = []
    for path in sorted(pending.ticks):
        note = config.root / path
        try:
            writable(note, config.root)
            ops = _tick_ops(config, path, sorted(pending.ticks[path]))
            planned.append(edit.plan(note, ops))
        except edit.EditError:
            continue
    return planned


def apply_tickbacks(config: Config, pending: Pending) -> TickResult:
    """Record each pending tick as a log line in the person's note (`- DATE: checked in
    (digest LABEL)`, `- DATE message: season's greetings (digest LABEL)`, …; the marker makes
    it idempotent); the caller holds the vault's lock."""
    from netzwerk import edit

    written: list[str] = []
    recorded: list[Recorded] = []
    problems = list(pending.problems)
    for path in sorted(pending.ticks):
        entries = sorted(pending.ticks[path])
        try:
            note = config.root / path
            writable(note, config.root)  # a link is never read to be written
            ops = _tick_ops(config, path, entries)
            change = edit.plan(note, ops)
            if edit.write(change, root=config.root):
                written.append(path)
        except edit.EditError as exc:
            reason = str(exc).replace(str(config.root / path), path)
            reason = re.sub(r" \[NW\d+\]$", "", reason)  # the line gets its own code
            problems.append(error(path, None, "NW502", f"cannot record ticked items: {reason}"))
            continue
        recorded += [
            Recorded(name, path, day, label, kind) for day, label, name, kind, _ in entries
        ]
    return TickResult(tuple(written), tuple(recorded), tuple(problems))
