"""The weekly digest: its data, its note, and ticked items recorded back as contacts."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Set
from dataclasses import dataclass, fields
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote

from netzwerk import network
from netzwerk.config import Config
from netzwerk.model import Birthday, Contact, Duration, Snapshot, Tier, fold
from netzwerk.problems import Problem, error, warning
from netzwerk.render import md, md_links, render, wikilink
from netzwerk.schedule import (
    DueItem,
    LastContact,
    Week,
    birthdays,
    cadence_of,
    due,
    last_contacts,
)

TEMPLATE = "digest.md.j2"
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


@dataclass(frozen=True, slots=True)
class DigestItem:
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


@dataclass(frozen=True, slots=True)
class BirthdayLine:
    """A birthday this week or next."""

    name: str
    path: str
    date: date
    day: str  # "Sat 28 Nov"
    age: int | None
    next_week: bool
    leap_day: bool  # born on 29 February, celebrated on 28 February this year


@dataclass(frozen=True, slots=True)
class IntroLine:
    """An introduction worth making: `needer` needs what `giver` offers (or is, or does)."""

    needer: str
    needer_path: str
    giver: str
    giver_path: str
    need: str
    verb: str  # "offers", "works as", "is tagged", "works at", "is based in"
    match: str


@dataclass(frozen=True, slots=True)
class GiveLine:
    """Someone the user has only taken from lately: time to give something first."""

    name: str
    path: str
    gave: int
    got: int


@dataclass(frozen=True, slots=True)
class CheckLine:
    """One finding of the tier check."""

    kind: str  # "over capacity" | "silent" | "promote" | "unclassified" | "more"
    name: str | None  # the contact it concerns; None for a whole tier
    path: str | None
    text: str  # "no contact for 359 days (since 2025-12-01), …; consider Top 100"


@dataclass(frozen=True, slots=True)
class TierHealth:
    """How full a tier is and how many in it are overdue."""

    name: str
    label: str
    members: int
    capacity: int | None
    overdue: int
    due: int
    scheduled: bool  # False for a tier whose cadence is `never`


@dataclass(frozen=True, slots=True)
class DigestData:
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
    from netzwerk import memo

    # Begun first: on a large vault whose intros are not in the index yet, they are matched
    # on the other core while the rest of the digest is made here.
    intros = memo.start_intros(snapshot, config, limit=INTROS_SHOWN)
    tag = marker(week.label)
    lasts = last_contacts(snapshot)
    marked = _marked(snapshot, tag)
    before_ticks = lasts
    if marked:
        before_ticks = dict(lasts)
        for name in marked:
            before_ticks.pop(name, None)
        before_ticks.update(last_contacts(snapshot, ignore_marker=tag, only=frozenset(marked)))
    items = due(snapshot, config, week, last=before_ticks)
    done = _ticked_names(snapshot, ticked, marked)

    overdue = tuple(_item(i, week, done) for i in items if i.status == "overdue")
    due_now = tuple(_item(i, week, done) for i in items if i.status == "due")
    born = _birthdays(snapshot, week)
    review = network.review(snapshot, config, today, lasts)
    health, unclassified = _tier_health(snapshot, config, items)

    counts = [
        _plural(len(overdue), "overdue", "overdue"),
        _plural(len(due_now), "due this week", "due this week"),
        _plural(len(born), "birthday"),
    ]
    ticked_count = sum(1 for i in (*overdue, *due_now) if i.ticked)
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
        birthdays=born,
        intros=_intro_lines(intros()),
        give_first=_give_first(snapshot, today),
        tier_check=_tier_check(review, config, lasts),
        tier_health=health,
        unclassified=unclassified,
    )


def _marked(snapshot: Snapshot, tag: str) -> list[str]:
    """The contacts whose log records a tick from the digest with marker `tag`."""
    marked = []
    for contact in snapshot.contacts:
        for entry in contact.log:
            if tag in entry.text:
                marked.append(contact.name)
                break
    return marked


def _ticked_names(
    snapshot: Snapshot, ticked: Mapping[str, date | None] | Set[str], marked: list[str]
) -> dict[str, date | None]:
    """Contact name -> ✅ date for every item shown ticked."""
    given: Mapping[str, date | None] = (
        ticked if isinstance(ticked, Mapping) else dict.fromkeys(sorted(ticked))
    )
    done: dict[str, date | None] = dict.fromkeys(marked)
    by_path = _by_path(snapshot) if given else {}
    for name in sorted(given):
        linked = _resolve(snapshot, by_path, name)
        if linked is not None:
            done[linked.name] = given[name]
    return done


def _item(item: DueItem, week: Week, done: Mapping[str, date | None]) -> DigestItem:
    contact, last = item.contact, item.last
    if item.status == "overdue":
        when = _plural(item.days_overdue, "day") + " overdue"
    elif last is None and item.next_due == week.start:
        when = "never contacted"
    elif last is None:
        when = f"due {day_label(item.next_due)} · never contacted"
    else:
        when = f"due {day_label(item.next_due)}"
    name, path = contact.name, contact.path
    tier = item.tier.label if item.tier is not None else None
    from_log = last is not None and last.source == "log"
    last_kind = last.kind if last is not None and from_log else None
    last_text = last.text if last is not None and from_log else None
    last_note = _title(last) if last is not None and last.source == "journal" else None
    ticked = name in done
    done_on = done.get(name)
    # The text of the template's `task` macro, made here: a Jinja2 macro call per line cost
    # more than everything else in rendering a digest of 2,500 people.
    parts = ["- [x] " if ticked else "- [ ] ", wikilink(name, path)]
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
    if ticked and done_on:
        parts += (" ✅ ", str(done_on))
    return DigestItem(
        name=name,
        path=path,
        tier=tier,
        status=item.status,
        next_due=item.next_due,
        days_overdue=item.days_overdue,
        when=when,
        last_date=last.date if last else None,
        last_kind=last_kind,
        last_text=last_text,
        last_note=last_note,
        interests=contact.interests,
        needs=contact.needs,
        ticked=ticked,
        done=done_on,
        line="".join(parts),
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


def _give_first(snapshot: Snapshot, today: date) -> tuple[GiveLine, ...]:
    lines = [
        GiveLine(b.contact.name, b.contact.path, b.gave, b.got)
        for b in network.balances(snapshot, today)
        if b.status == "give first"
    ]
    lines.sort(key=lambda g: (-(g.got - g.gave), fold(g.name), g.name))
    return tuple(lines[:GIVE_FIRST_SHOWN])


def _tier_check(
    review: network.Review, config: Config, lasts: Mapping[str, LastContact]
) -> tuple[CheckLine, ...]:
    lines = [CheckLine("over capacity", None, None, t.reason) for t in review.over_capacity]
    groups: tuple[tuple[str, tuple[network.Suggestion | network.Unclassified, ...], str], ...] = (
        ("silent", review.demote, "people silent far beyond their cadence"),
        ("promote", review.promote, "people worth a closer tier"),
        ("unclassified", review.unclassified, "people without a tier"),
    )
    for kind, found, what in groups:
        for entry in found[:CHECKS_SHOWN]:
            if isinstance(entry, network.Unclassified):
                text = f"no tier yet; {entry.reason}"
            elif kind == "silent":
                text = _silent_text(entry, config, lasts) or entry.reason
            else:
                text = entry.reason
            lines.append(CheckLine(kind, entry.contact.name, entry.contact.path, text))
        if len(found) > CHECKS_SHOWN:
            more = len(found) - CHECKS_SHOWN
            text = f"and {more} more {what}; netzwerk review lists them all"
            lines.append(CheckLine("more", None, None, text))
    return tuple(lines)


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


def _tier_health(
    snapshot: Snapshot, config: Config, items: list[DueItem]
) -> tuple[tuple[TierHealth, ...], int]:
    members: dict[str, int] = {}
    unclassified = 0
    tiers: dict[str | None, Tier] = {}
    for configured in config.tiers:
        tiers.setdefault(configured.name, configured)  # as config.tier(): the first of a name
    for contact in snapshot.contacts:
        tier = tiers.get(contact.tier)
        if tier is None:
            unclassified += 1
        else:
            members[tier.name] = members.get(tier.name, 0) + 1
    health = []
    for tier in config.tiers:
        in_tier = [i for i in items if i.tier is not None and i.tier.name == tier.name]
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


def notes_section(text: str) -> str | None:
    """The `## Notes` section of a digest (heading to end of file), byte for byte."""
    offset = 0
    fence: str | None = None
    for line in _lines(text):
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
    context = {f.name: getattr(data, f.name) for f in fields(data)}
    context["digest"] = data
    text = render(config, TEMPLATE, context)
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


def make_digest(snapshot: Snapshot, config: Config, week: Week, today: date) -> str:
    """The digest note for `week`: ticks and the Notes section are taken from its current file."""
    old = read_digest(config, week)
    ticks: dict[str, date | None] = {}
    notes: str | None = None
    if old is not None:
        for tick in parse_ticks(old):
            ticks.setdefault(tick.name, tick.date)
        notes = notes_section(old)
    data = build_digest(snapshot, config, week, today, ticks)
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
        from netzwerk.edit import EditError

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
    from netzwerk.edit import replace_file

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


@dataclass(frozen=True, slots=True)
class Tick:
    """A ticked item of a digest: the linked name, the ✅ date if any, the file line."""

    name: str
    date: date | None
    line: int


@dataclass(frozen=True, slots=True)
class Recorded:
    """A contact recorded from a ticked digest item."""

    name: str
    path: str
    date: date
    digest: str  # the digest's label (file name without .md)


@dataclass(frozen=True, slots=True)
class TickResult:
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


def _by_path(snapshot: Snapshot) -> dict[str, Contact]:
    return {c.path.removesuffix(".md").casefold(): c for c in snapshot.contacts}


def _resolve(snapshot: Snapshot, by_path: Mapping[str, Contact], name: str) -> Contact | None:
    """A tick's link target: a title or alias, or a path in the vault."""
    contact = snapshot.resolve(name)
    if contact is None:
        contact = by_path.get(name.removesuffix(".md").casefold())
    if contact is None and "/" in name:
        contact = snapshot.resolve(name.rsplit("/", 1)[1])
    return contact


def digest_files(config: Config) -> list[Path]:
    """Every digest note, sorted."""
    folder = config.digest_path
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.md") if p.is_file() and not p.name.startswith("."))


def apply_tickbacks(snapshot: Snapshot, config: Config, today: date) -> TickResult:
    """Record one contact per ticked digest item not recorded yet; the caller holds the lock.

    A tick is recorded as `- DATE: checked in (digest LABEL)` in the person's note, on the
    ✅ date when present, else `today`. The marker in the text makes this idempotent: an
    item whose person's log already carries the digest's marker is skipped.
    """
    from netzwerk import edit

    by_path = _by_path(snapshot)
    problems: list[Problem] = []
    pending: dict[str, list[tuple[date, str, Contact]]] = {}
    seen: set[tuple[str, str]] = set()
    for file in digest_files(config):
        relative = file.relative_to(config.root).as_posix()
        label = file.stem
        tag = marker(label)
        try:
            text = file.read_bytes().decode("utf-8", "surrogateescape")
        except OSError as exc:
            problems.append(warning(relative, None, "NW502", f"cannot read digest: {exc.strerror}"))
            continue
        for tick in parse_ticks(text):
            contact = _resolve(snapshot, by_path, tick.name)
            if contact is None:
                message = f"ticked item names no contact: {tick.name!r}"
                problems.append(warning(relative, tick.line, "NW501", message))
                continue
            if (label, contact.path) in seen:
                continue
            seen.add((label, contact.path))
            if any(tag in entry.text for entry in contact.log):
                continue
            pending.setdefault(contact.path, []).append((tick.date or today, label, contact))

    written: list[str] = []
    recorded: list[Recorded] = []
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
