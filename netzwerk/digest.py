"""The weekly digest: its data (from everyone's Facts), its note, and ticked items recorded back
as contacts."""

from __future__ import annotations

import errno
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple
from urllib.parse import unquote

from netzwerk.config import Config
from netzwerk.facts import WAS, marker
from netzwerk.files import (
    EditError,
    inside,
    read_regular,
    replace_file,
    shown_path,
    writable,
)
from netzwerk.model import Birthday, Facts, LastContact, Tier, link_key, parse_date
from netzwerk.network.intros import Intro
from netzwerk.network.review import (
    GIVE_FIRST,
    Suggestion,
    balances,
    review,
    tier_counts,
    tier_loads,
)
from netzwerk.problems import Problem, error, warning
from netzwerk.render import md, md_links, render, wikilink
from netzwerk.schedule import DueItem, Week, birthdays, due
from netzwerk.text import TEXT, duration_words, fold, line_kinds, plural

TAG = "netzwerk/digest"
TEMPLATE = "digest.md.j2"
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


def build_digest(
    people: Sequence[Facts],
    intros: Sequence[IntroLine],
    config: Config,
    week: Week,
    today: date,
    ticked: Mapping[str, date | None] = {},
) -> DigestData:
    """The digest of `week`; `ticked` names items ticked in its current note (✅ dates).

    The week is scheduled as if its own tick-backs had not been recorded yet, so ticking an
    item changes only its checkbox; a contact whose log already records this digest's tick
    shows ticked even when the note lost the tick.
    """
    items = due(people, config, week, before_ticks=True)
    done: dict[str, date | None] = {
        p.path: None for p in people if any(label == week.label for label, _ in p.ticked)
    }
    if ticked:
        resolve = resolver(people)
        for name in sorted(ticked):
            path = resolve(name)
            if path is not None:
                done[path] = ticked[name]
    lines = [_digest_item(item, week, done) for item in items]
    overdue = tuple(i for i in lines if i.status == "overdue")
    due_now = tuple(i for i in lines if i.status == "due")
    born = _birthdays(people, week)
    give = [b for b in balances(people, today) if b.status == GIVE_FIRST]
    give.sort(key=lambda b: (-(b.got - b.gave), fold(b.person.name), b.person.name))
    give_first = tuple(GiveLine(b.person.name, b.person.path, b.gave, b.got) for b in give)
    counts = tier_counts(people)
    health, unclassified = _tier_health(config, counts, items)
    summary = [
        plural(len(overdue), "overdue", "overdue"),
        plural(len(due_now), "due this week", "due this week"),
        plural(len(born), "birthday"),
    ]
    ticked_count = sum(1 for i in lines if i.ticked)
    if ticked_count:
        summary.append(plural(ticked_count, "done", "done"))
    return DigestData(
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
        tier_check=_tier_check(people, config, today, counts),
        tier_health=health,
        unclassified=unclassified,
        shown={p.path: p.shown for p in people if p.shown != p.name},
    )


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


def _digest_item(item: DueItem, week: Week, done: Mapping[str, date | None]) -> DigestItem:
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
    ticked = person.path in done
    done_on = done.get(person.path)
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


def _birthdays(people: Sequence[Facts], week: Week) -> tuple[BirthdayLine, ...]:
    return tuple(
        BirthdayLine(
            name=item.person.name,
            path=item.person.path,
            date=item.date,
            day=day_label(item.date),
            age=item.age,
            next_week=item.date > week.end,
            leap_day=_leap_day(item.person.birthday, item.date),
        )
        for item in birthdays(people, week.start, week.end + timedelta(days=7))
    )


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


def _tier_check(
    people: Sequence[Facts], config: Config, today: date, counts: Mapping[str | None, int]
) -> tuple[CheckLine, ...]:
    lines = [
        CheckLine("over capacity", None, None, t.reason)
        for t in tier_loads(config.tiers, counts)
        if t.over
    ]
    found = review(people, config, today)
    groups: tuple[tuple[str, Sequence[Any], Callable[[Any], str], str], ...] = (
        (
            "silent",
            found.demote,
            lambda s: _silent_text(s, config),
            "people silent far beyond their cadence",
        ),
        ("promote", found.promote, lambda s: s.reason, "people worth a closer tier"),
        (
            "unclassified",
            found.unclassified,
            lambda u: f"no tier yet; {u.reason}",
            "people without a tier",
        ),
    )
    for kind, entries, text_of, what in groups:
        # The order of `netzwerk review`: the strongest case first, then by name.
        for entry in entries[:CHECKS_SHOWN]:
            lines.append(CheckLine(kind, entry.person.name, entry.person.path, text_of(entry)))
        if len(entries) > CHECKS_SHOWN:
            more = len(entries) - CHECKS_SHOWN
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
    if not inside(path, config.root):
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


def make_digest(
    people: Sequence[Facts], intros: Sequence[IntroLine], config: Config, week: Week, today: date
) -> str:
    """The digest note for `week`: its ticks and Notes section are taken from its file."""
    old = read_digest(config, week)
    ticks: dict[str, date | None] = {}
    notes: str | None = None
    if old is not None:
        for tick in parse_ticks(old):
            ticks.setdefault(tick.name, tick.date)
        notes = notes_section(old)
    data = build_digest(people, intros, config, week, today, ticks)
    return render_digest(data, config, notes)


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
    lines = text.split("\n")
    for number, (line, kind) in enumerate(zip(lines, line_kinds(lines), strict=True), 1):
        if kind != TEXT:
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
    """Every digest note, sorted: regular files (or links to them) inside the vault."""
    folder = config.digest_path
    if not folder.is_dir() or not inside(folder, config.root):
        return []
    return sorted(
        p
        for p in folder.rglob("*.md")
        if p.is_file() and not p.name.startswith(".") and inside(p, config.root)
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
    """Ticks to record, by the contact's path: (date, digest label, name); and problems."""

    ticks: dict[str, list[tuple[date, str, str]]]
    problems: list[Problem]


def pending_ticks(config: Config, people: Sequence[Facts], today: date) -> Pending:
    """The ticked digest items not recorded yet, one per contact and digest: on the ✅ date when
    present, else `today`."""
    by_path = {p.path: p for p in people}
    resolve: Callable[[str], str | None] | None = (
        None  # made for the first tick: most runs find none
    )
    problems: list[Problem] = []
    pending: dict[str, list[tuple[date, str, str]]] = {}
    seen: set[tuple[str, str]] = set()
    for found in _digest_ticks(config):
        if isinstance(found, Problem):
            problems.append(found)
            continue
        relative, label, tick = found
        if resolve is None:
            resolve = resolver(people)
        path = resolve(tick.name)
        if path is None:
            message = f"ticked item names no contact: {tick.name!r}"
            problems.append(warning(relative, tick.line, "NW501", message))
            continue
        person = by_path[path]
        if (label, path) in seen or any(label == done for done, _ in person.ticked):
            continue
        seen.add((label, path))
        if tick.date is not None and tick.date > today:
            message = (
                f"ticked item is dated {tick.date.isoformat()}, after today; it is recorded "
                "once that day has come"
            )
            problems.append(warning(relative, tick.line, "NW501", message))
            continue
        pending.setdefault(path, []).append((tick.date or today, label, person.name))
    return Pending(pending, problems)


def _tick_ops(config: Config, path: str, entries: list[tuple[date, str, str]]) -> list[Any]:
    """A log line for each tick; and, as `netzwerk log` does for a contact, last_contact
    raised to the latest tick. The line of that tick says what last_contact was before
    (`· last_contact was 2026-06-10`), so that the digest can still show the week as it was."""
    from netzwerk import edit

    key = config.key("last_contact")
    latest = max(day for day, _, _ in entries)
    current = edit.property_value(edit.read_note(config.root / path), key)
    was = parse_date(str(current)) if isinstance(current, date | str) else None
    raised = was is None or was < latest
    ops: list[Any] = []
    for day, label, _ in entries:
        text = tick_text(label)
        if raised and day == latest and was is not None:
            text += f" {WAS} {key} was {was.isoformat()}"
        ops.append(edit.AddLog(day, None, text, config.log_headings))
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
    """Record each pending tick as `- DATE: checked in (digest LABEL)` in the person's note
    (the marker makes it idempotent); the caller holds the vault's lock."""
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
        recorded += [Recorded(name, path, day, label) for day, label, name in entries]
    return TickResult(tuple(written), tuple(recorded), tuple(problems))
