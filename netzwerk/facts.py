"""What the notes say about each person, whatever the date (`Facts`): their own note, and what
the rest of the vault says about them (`Cross`). Pure functions; no clock, no I/O.

Scheduling, review, balance and the digest read Facts only, so that a new day needs none of
the notes again: only each person's status changes with the date (see `netzwerk.store.facts`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import date

from netzwerk.model import (
    CONTACT_KINDS,
    GET_KINDS,
    GIVE_KINDS,
    WARMUP_KINDS,
    Contact,
    Cross,
    Facts,
    LastContact,
    LogEntry,
    OpenTask,
    Snapshot,
    parse_date,
)

# When two sources give the same date, the one with more to say wins: a log line carries
# text for conversation hooks, a journal note at least a place to look, `last_contact` nothing.
_SOURCE_RANK = {"log": 0, "journal": 1, "last_contact": 2}

# A log line recorded from a ticked digest item carries the digest's label (see digest.marker).
_MARK = re.compile(r"\(digest ([^()\s]+)\)")


# A log line that raised last_contact says what it was, so that the earlier contact is not
# lost: `(digest 2026-W48) · last_contact was …` (a tick), `called about the harvest ·
# last_contact was …` (`netzwerk log`, with the property's name as the vault writes it).
WAS = "·"
_TICK_WAS = re.compile(r"(?P<mark>\(digest [^()\s]+\)) · .* was (?P<day>\d{4}-\d{2}-\d{2})\s*$")


@functools.lru_cache(maxsize=8)
def _said_was(key: str) -> re.Pattern[str]:
    """The ending `log` gives a line that raised the property `key`: `· key was DATE`, or the
    whole text of a line without one (the name ignoring case, as properties are matched)."""
    name = re.escape(key)
    return re.compile(rf"(?:^(?:· )?| · )(?i:{name}) was (\d{{4}}-\d{{2}}-\d{{2}})\s*$")


def _hook(text: str, key: str) -> str:
    """A log line's text as a conversation hook: without what last_contact was (a tick's
    ending, whatever the property was called, or `log`'s)."""
    if " was " not in text:
        return text
    if "(digest " in text:
        text = _TICK_WAS.sub(r"\g<mark>", text)
    return _said_was(key).sub("", text)


# What a ticked digest item records in the person's log, by the kind of item: the log line's
# kind and text (and the text of a second step). Read back, the text says which kind it was.
TICKS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "due": (None, ("checked in",)),
    "birthday": ("message", ("birthday wishes",)),
    "greetings": ("message", ("season's greetings",)),
    "follow-up": (
        "message",
        ("thank-you for the first meeting", "follow-up after the first meeting"),
    ),
    "reconnect": (None, ("reconnected",)),
}
GREETED = TICKS["greetings"][1][0]
WISHED = TICKS["birthday"][1][0]


def tick_kind(text: str) -> str:
    """The kind of digest item a recorded tick was, by its text (`due` when unknown)."""
    folded = text.casefold()
    for kind, (_, texts) in TICKS.items():
        if folded.startswith(texts):
            return kind
    return "due"


def marker(label: str) -> str:
    """What a log line recorded from digest `label` carries, so it is recorded only once."""
    return f"(digest {label})"


def better(new: LastContact, old: LastContact | None) -> bool:
    """Whether `new` is a later last contact than `old` (on one date, the one with more to say)."""
    if old is None:
        return True
    return (new.date, -_SOURCE_RANK[new.source]) > (old.date, -_SOURCE_RANK[old.source])


def own_last(
    contact: Contact, today: date, ignore: str | None = None, key: str = "last_contact"
) -> LastContact | None:
    """The last contact the note itself records up to `today`: a log line that counts, or
    `last_contact` (`key`: its property's name). `ignore`: log lines whose text holds it are
    left out (a digest's own ticks)."""
    # On one date, the first line in the note wins (a log reads newest first by convention).
    latest: LogEntry | None = None
    for entry in contact.log:
        if (entry.kind is not None and entry.kind not in CONTACT_KINDS) or entry.date > today:
            continue
        if latest is not None and (
            entry.date < latest.date or (entry.date == latest.date and entry.line >= latest.line)
        ):
            continue
        if ignore is not None and ignore in entry.text:
            continue
        latest = entry
    recorded = contact.last_contact
    seen: set[date] = set()
    while ignore is not None and recorded is not None and recorded not in seen:
        # Set by one of the ignored ticks: what it was before (the tick's line says), if any;
        # that may be the day of another of them (two items of one digest ticked on two days).
        seen.add(recorded)
        ticks = [e for e in contact.log if e.date == recorded and ignore in e.text]
        if not ticks:
            break
        said = [was for e in ticks if (was := _TICK_WAS.search(e.text)) is not None]
        recorded = parse_date(said[0].group("day")) if said else None
    if recorded is not None and recorded > today:
        recorded = None  # (a date still to come: `check` warns)
    # A log line beats `last_contact` on the same date: it has more to say (see _SOURCE_RANK).
    if latest is not None and (recorded is None or latest.date >= recorded):
        # (What last_contact was, kept in the line, is no hook for a conversation.)
        text = _hook(latest.text, key)
        return LastContact(latest.date, "log", contact.path, latest.line, text or None, latest.kind)
    if recorded is not None:
        line = contact.lines.get("last_contact")
        return LastContact(recorded, "last_contact", contact.path, line, None)
    return None


def with_journal(last: LastContact | None, cross: Cross | None) -> LastContact | None:
    """The later of the note's own last contact and the latest journal link to them."""
    if cross is not None and cross.last is not None and better(cross.last, last):
        return cross.last
    return last


def cross_of(snapshot: Snapshot, today: date) -> dict[str, Cross]:
    """What the rest of the vault says about each contact, by path (only those it mentions).

    A journal or meeting note dated after `today` does not count: it is a plan.
    """
    journal: dict[str, LastContact] = {}
    days: dict[str, set[int]] = {}
    mentions: dict[str, int] = {}
    tasks: dict[str, list[OpenTask]] = {}

    def task_of(task: OpenTask, owner: str | None = None) -> None:
        """An open task for each contact it links (but the one whose note it is in)."""
        for target in dict.fromkeys(task.targets):
            linked = snapshot.resolve(target)
            if linked is not None and linked.path != owner:
                tasks.setdefault(linked.path, []).append(task._replace(targets=()))

    # Journals are sorted by date: for one contact and date the first note and line wins.
    for note in sorted(snapshot.journals, key=lambda j: (j.date, j.path)):
        for task in note.tasks:
            task_of(task)
        if note.date > today:
            continue
        for mention in sorted(note.mentions, key=lambda m: m.line):
            linked = snapshot.resolve_name(mention.target) if mention.plain else None
            linked = linked or snapshot.resolve(mention.target)
            if linked is None:
                continue
            path = linked.path
            mentions[path] = mentions.get(path, 0) + 1
            if not mention.counts:
                continue
            days.setdefault(path, set()).add(note.date.toordinal())
            candidate = LastContact(note.date, "journal", note.path, mention.line, None)
            if better(candidate, journal.get(path)):
                journal[path] = candidate
    for other in snapshot.notes:
        for task in other.tasks:
            task_of(task)
    for contact in snapshot.contacts:
        for task in contact.tasks:
            task_of(task, contact.path)
        targets = list(contact.knows)
        if contact.introduced_by:
            targets.append(contact.introduced_by)
        targets += [related.target for related in contact.related]
        for entry in contact.log:
            targets += entry.links
        for target in targets:
            linked = snapshot.resolve(target)
            if linked is not None and linked.path != contact.path:
                mentions[linked.path] = mentions.get(linked.path, 0) + 1
    return {
        path: Cross(
            journal.get(path),
            tuple(sorted(days.get(path, ()))),
            mentions.get(path, 0),
            tuple(sorted(set(tasks.get(path, ())))),
        )
        for path in sorted(set(journal) | set(days) | set(mentions) | set(tasks))
    }


def holding(snapshot: Snapshot, today: date) -> tuple[date | None, date | None]:
    """The days the Facts made on `today` hold between: from the latest day up to `today` on
    which a note's date came (on an earlier day, a date they count has not come yet) to the
    first day after it on which one comes (a planned meeting, a log line or a last contact
    written ahead); None: no such day."""
    days = [j.date for j in snapshot.journals]
    for contact in snapshot.contacts:
        days += contact_dates(contact)
    since = max((day for day in days if day <= today), default=None)
    until = min((day for day in days if day > today), default=None)
    return since, until


def contact_dates(contact: Contact) -> list[date]:
    """Every date of a contact's note that counts once it has come."""
    found = [entry.date for entry in contact.log]
    if contact.last_contact is not None:
        found.append(contact.last_contact)
    return found


def facts_of(
    contact: Contact,
    cross: Cross | None,
    today: date,
    *,
    greets: bool = True,
    target: bool = True,
    key: str = "last_contact",
) -> Facts:
    """One person's Facts as of `today` (dates still to come do not count yet) from their note
    and what the rest of the vault says about them. Without `greets` (someone the settings
    send no season's greetings) their addresses and first sentence are left out, without
    `target` (not someone you want to meet) their role: every digest reads everyone's Facts.
    `key`: the name of the last_contact property, as the vault writes it."""
    now = today.toordinal()
    # The days with a contact: `plain` from anything but a digest's ticks, `marked` by the
    # labels of the digests whose ticks recorded them (so a digest can leave out its own).
    plain: set[int] = set(cross.days) if cross is not None else set()
    marked: dict[int, set[str]] = {}
    dated: list[int] = []
    gave: list[int] = []
    got: list[int] = []
    greeted: list[int] = []
    wished: list[int] = []
    warmup: tuple[int, str] | None = None
    labels: set[str] = set()
    ticks: set[tuple[str, str, int]] = set()
    met = min(plain, default=None)
    for entry in contact.log:  # (one pass: a vault has tens of thousands of log lines)
        kind, day, text = entry.kind, entry.date.toordinal(), entry.text
        if kind != "note":
            dated.append(day)
        marks = _MARK.findall(text) if "(digest " in text else ()
        if marks:
            labels.update(marks)
            if day > now or (kind is not None and kind not in CONTACT_KINDS):
                ticks.update((label, tick_kind(text), day) for label in marks)
        if day > now:
            continue
        if kind is None or kind in CONTACT_KINDS:
            if marks:
                what = tick_kind(text)
                for label in marks:
                    marked.setdefault(day, set()).add(label)
                    ticks.add((label, what, day))
                was = _TICK_WAS.search(text)
                if was is not None:
                    before = parse_date(was.group("day"))
                    if before is not None and before <= today:
                        plain.add(before.toordinal())
            else:
                plain.add(day)
                met = day if met is None or day < met else met
                if " was " in text and (was := _said_was(key).search(text)) is not None:
                    before = parse_date(was.group(1))
                    if before is not None and before <= today:  # (what `log` replaced)
                        plain.add(before.toordinal())
                        met = min(met, before.toordinal())
            # (`Season’s greetings`, as phones and macOS type the apostrophe, counts too.)
            start = text[:8].casefold().replace("\u2019", "'")
            if start == "season's" and text.casefold().replace("\u2019", "'").startswith(GREETED):
                greeted.append(day)
            elif start == "birthday" and text.casefold().startswith(WISHED):
                wished.append(day)
        elif kind in GIVE_KINDS:
            gave.append(day)
        elif kind in GET_KINDS:
            got.append(day)
        elif kind in WARMUP_KINDS and (warmup is None or day > warmup[0]):
            warmup = (day, text)
    if contact.last_contact is not None:
        dated.append(contact.last_contact.toordinal())
        day = contact.last_contact.toordinal()
        # On the day of a tick, last_contact is the tick's (as `own_last` reads it).
        if contact.last_contact <= today and day not in marked:
            plain.add(day)
    ticked = tuple(
        (label, with_journal(own_last(contact, today, marker(label), key), cross))
        for label in sorted(labels)
    )
    days = plain | set(marked) if marked else plain
    own_tasks = contact.tasks + (cross.tasks if cross is not None else ())
    tasks = tuple(sorted({task._replace(targets=()) for task in own_tasks})) if own_tasks else ()
    blurb = None
    if greets:
        from netzwerk.body import first_sentence  # (not imported by a digest from kept Facts)

        blurb = first_sentence(contact.body)
    return Facts(
        contact.name,
        contact.path,
        contact.aliases,
        contact.tier,
        contact.cadence,
        contact.paused or contact.died is not None,
        contact.snooze_until,
        contact.birthday,
        contact.interests,
        contact.needs,
        with_journal(own_last(contact, today, key=key), cross),
        ticked,
        tuple(sorted(days)),
        tuple(sorted(gave)),
        tuple(sorted(got)),
        cross.mentions if cross is not None else 0,
        tuple(sorted(dated)),
        contact.shown,
        contact.next_contact,
        tasks,
        tuple(
            (label, what, day, day not in plain and marked.get(day) == {label})
            for label, what, day in sorted(ticks)
        ),
        tuple(sorted(greeted)),
        tuple(sorted(wished)),
        warmup,
        contact.greetings,
        contact.email[0] if contact.email and greets else None,
        contact.phone[0] if contact.phone and greets else None,
        contact.address[0] if contact.address and greets else None,
        blurb,
        contact.company,
        contact.role if target else None,
        contact.location,
        contact.tags,
        met,
        contact.died is not None,
    )


def all_facts(snapshot: Snapshot, today: date) -> list[Facts]:
    """Every contact's Facts as of `today`, in the snapshot's order (by name)."""
    cross = cross_of(snapshot, today)
    return [facts_of(contact, cross.get(contact.path), today) for contact in snapshot.contacts]


def by_name(facts: Mapping[str, Facts] | list[Facts]) -> dict[str, Facts]:
    """Facts by the contact's title."""
    values = facts.values() if isinstance(facts, Mapping) else facts
    return {f.name: f for f in values}
