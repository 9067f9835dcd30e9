"""Follow-ups: after a first meeting (the first recorded contact in the last three weeks, a log
line or a journal note: `last_contact` alone keeps no history) a thank-you within two days,
then a second touch about three weeks later, unless a later contact is already recorded; and
the open tasks with a date that name someone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import PurePosixPath
from typing import NamedTuple

from netzwerk.model import Facts, OpenTask
from netzwerk.render import md, md_links, wikilink
from netzwerk.schedule import Week
from netzwerk.text import day_label, fold, plural

NEW_DAYS = 21  # a first contact this many days before the week (or in it): someone new
THANKS_DAYS = 2  # the thank-you is due this many days after the first meeting
THANKS_GRACE = 7  # and stays listed this many days after it was due
SECOND_DAYS = 21  # the second touch is due this many days after the first meeting
THANKS_SPAN = 7  # a contact within this many days of the first meeting was the thank-you
KIND = "follow-up"  # the kind of item a tick records (`facts.TICKS`)


class FollowUp(NamedTuple):
    """Someone met for the first time lately, and the step that is next."""

    name: str
    path: str
    step: str  # "thanks" | "second"
    met: date  # the first recorded contact
    due: date
    overdue: int  # days the step is overdue at the week's start; 0 if not
    ticked: bool
    done: date | None  # the ✅ date of the tick, if it had one
    line: str


class TaskLine(NamedTuple):
    """An open task with a date that names someone, from the note it lives in."""

    text: str  # as written, without its checkbox and dates
    path: str  # the note it lives in
    note: str  # that note's title
    due: date | None
    scheduled: date | None
    overdue: int  # days overdue at the week's start; 0 if not
    ticked: bool
    line: str  # the task line; its text after the checkbox is how its tick is kept


def days_before(person: Facts, label: str) -> Sequence[int]:
    """The days with a recorded contact, less those only the ticks of digest `label` recorded
    (a digest shows its week as it was before its own ticks)."""
    if not person.ticks:
        return person.days
    only = {day for tick, _, day, alone in person.ticks if tick == label and alone}
    return [day for day in person.days if day not in only] if only else person.days


def step_of(person: Facts, week: Week) -> tuple[str, date, date] | None:
    """The follow-up step due for someone in `week`: (step, first meeting, due day), or None."""
    if person.met is None or person.met < week.start.toordinal() - NEW_DAYS or person.paused:
        return None  # (most people: met long ago)
    days = days_before(person, week.label)
    if not days or days[0] < person.met:
        return None  # an earlier contact (or only `last_contact`, which keeps no history)
    met = date.fromordinal(person.met)
    if not week.start - timedelta(days=NEW_DAYS) <= met <= week.end:
        return None
    later = days[1:]
    second = met + timedelta(days=SECOND_DAYS)
    if second <= week.end:
        if any(day > (met + timedelta(days=THANKS_SPAN)).toordinal() for day in later):
            return None  # a contact after the thank-you: the second touch happened
        return "second", met, second
    if later:
        return None  # thanked already (or met again)
    thanks = met + timedelta(days=THANKS_DAYS)
    if thanks + timedelta(days=THANKS_GRACE) < week.start:
        return None
    return "thanks", met, thanks


_STEPS = {"thanks": "say thank you", "second": "a second touch"}


def follow_ups(
    people: Iterable[Facts], week: Week, done: Mapping[tuple[str, str], date | None]
) -> tuple[FollowUp, ...]:
    """Everyone with a follow-up step in `week`, overdue first, then by day and name;
    `done`: the items ticked, by (path, kind), with their ✅ dates."""
    found: list[FollowUp] = []
    for person in people:
        step = step_of(person, week)
        if step is None:
            continue
        kind, met, due = step
        overdue = max(0, (week.start - due).days)
        when = f"{plural(overdue, 'day')} overdue" if overdue else f"due {day_label(due)}"
        ticked = (person.path, KIND) in done
        done_on = done.get((person.path, KIND))
        parts = ["- [x] " if ticked else "- [ ] ", wikilink(person.name, person.path, person.shown)]
        parts += (f" · first met {met.isoformat()} · {_STEPS[kind]} · {when}",)
        parts += _hooks(person)
        if ticked and done_on:
            parts.append(f" ✅ {done_on}")
        found.append(
            FollowUp(
                person.name, person.path, kind, met, due, overdue, ticked, done_on, "".join(parts)
            )
        )
    found.sort(key=lambda f: (-f.overdue, f.due, fold(f.name), f.name, f.path))
    return tuple(found)


def _hooks(person: Facts) -> list[str]:
    parts: list[str] = []
    if person.interests:
        parts += (" · ask about: ", ", ".join(map(md, person.interests)))
    if person.needs:
        parts += ("; " if person.interests else " · ", "needs: ", ", ".join(map(md, person.needs)))
    return parts


def open_tasks(
    people: Iterable[Facts], week: Week, ticked: Mapping[str, date | None]
) -> tuple[TaskLine, ...]:
    """The open tasks with a date up to the week's last day that live in a contact's note or
    link one, once each, overdue first; `ticked`: task lines ticked in the digest's note (by
    their text after the checkbox), kept ticked; nothing else is recorded for them."""
    seen: set[tuple[str, str, date | None, date | None]] = set()
    found: list[TaskLine] = []
    for person in people:
        for task in person.tasks:
            key = (task.path, task.text, task.due, task.scheduled)
            if key in seen or min(d for d in (task.due, task.scheduled) if d) > week.end:
                continue
            seen.add(key)
            found.append(_task_line(task, week, ticked))
    found.sort(key=lambda t: (-t.overdue, t.due or t.scheduled or week.end, t.path, t.text))
    return tuple(found)


def _task_line(task: OpenTask, week: Week, ticked: Mapping[str, date | None]) -> TaskLine:
    when_day = task.due or task.scheduled or week.end
    overdue = max(0, (week.start - when_day).days)
    if overdue:
        when = f"{plural(overdue, 'day')} overdue"
    elif task.due is not None:
        when = f"due {day_label(task.due)}"
    else:
        when = f"scheduled {day_label(when_day)}"
    if task.due is not None and task.scheduled is not None and task.scheduled != task.due:
        when += f" (scheduled {day_label(task.scheduled)})"
    note = PurePosixPath(task.path).stem
    text = f"{md_links(task.text) or '(a task)'} · {when} · in {wikilink(note, task.path)}"
    is_ticked = text in ticked
    done_on = ticked.get(text)
    line = ("- [x] " if is_ticked else "- [ ] ") + text
    if is_ticked and done_on:
        line += f" ✅ {done_on}"
    return TaskLine(task.text, task.path, note, task.due, task.scheduled, overdue, is_ticked, line)
