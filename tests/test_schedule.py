"""Scheduling: effective last contact, cadences, due lists, weeks and birthdays."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netzwerk import schedule
from netzwerk.config import DEFAULT_TIERS, Config
from netzwerk.facts import all_facts, facts_of
from netzwerk.model import (
    Birthday,
    Contact,
    Duration,
    JournalNote,
    LastContact,
    LogEntry,
    Mention,
    Snapshot,
    Tier,
)
from netzwerk.schedule import Week, first_due, last_in_week, parse_week, week_of

TODAY = date(2026, 11, 25)  # a Wednesday in 2026-W48
W48 = Week(date(2026, 11, 23), date(2026, 11, 29), "2026-W48")
CONFIG = Config(root=Path("/vault"))


def person(name: str, **fields: Any) -> Contact:
    return Contact(name=name, path=f"People/{name}.md", **fields)


def log(day: date, kind: str | None = None, text: str = "", line: int = 10) -> LogEntry:
    return LogEntry(day, kind, text, line)


def journal(day: date, *mentions: Mention, path: str | None = None) -> JournalNote:
    return JournalNote(path or f"Daily/{day}.md", day, mentions)


def names(items: list[Any]) -> list[str]:
    return [i.person.name for i in items]


# Facts as of a day after every date these tests write: everything written has happened.
LATER = date(2100, 1, 1)


def last_contacts(snapshot: Snapshot, today: date = LATER) -> dict[str, LastContact]:
    """The effective last contact of everyone who has one, as their Facts record it."""
    return {f.name: f.last for f in all_facts(snapshot, today) if f.last is not None}


def due(snapshot: Snapshot, config: Config, week: Week) -> list[schedule.DueItem]:
    return schedule.due(all_facts(snapshot, week.start), config, week)


def birthdays(snapshot: Snapshot, start: date, end: date) -> list[schedule.BirthdayItem]:
    return schedule.birthdays(all_facts(snapshot, start), start, end)


def next_due(
    contact: Contact, config: Config, last: LastContact | None, now: date | None = None
) -> date | None:
    return schedule.next_due(facts_of(contact, None, LATER), config, last, now)


def cadence_of(contact: Contact, config: Config) -> Duration | None:
    return schedule.cadence_of(facts_of(contact, None, LATER), config)


# --- effective last contact ----------------------------------------------------------------


def test_last_contact_property_alone() -> None:
    marie = person("Marie", last_contact=date(2026, 9, 1), lines={"last_contact": 3})
    last = last_contacts(Snapshot((marie,)))["Marie"]
    assert last == LastContact(date(2026, 9, 1), "last_contact", "People/Marie.md", 3, None)


def test_latest_source_wins() -> None:
    marie = person(
        "Marie",
        last_contact=date(2026, 9, 1),
        log=(log(date(2026, 9, 14), "call", "venue in Nice"), log(date(2026, 6, 2), "meet")),
    )
    snapshot = Snapshot((marie,), (journal(date(2026, 9, 10), Mention("Marie", 4, True)),))
    last = last_contacts(snapshot)["Marie"]
    assert (last.date, last.source, last.text, last.kind) == (
        date(2026, 9, 14),
        "log",
        "venue in Nice",
        "call",
    )


def test_journal_newer_than_log_wins() -> None:
    marie = person("Marie", log=(log(date(2026, 9, 14), "call"),))
    snapshot = Snapshot((marie,), (journal(date(2026, 10, 1), Mention("Marie", 7, True)),))
    last = last_contacts(snapshot)["Marie"]
    assert (last.date, last.source, last.path, last.line) == (
        date(2026, 10, 1),
        "journal",
        "Daily/2026-10-01.md",
        7,
    )


@pytest.mark.parametrize("kind", ["gave", "got", "intro", "note"])
def test_log_kinds_that_are_not_contact_are_ignored(kind: str) -> None:
    marie = person("Marie", log=(log(date(2026, 9, 14), kind),))
    assert last_contacts(Snapshot((marie,))) == {}


@pytest.mark.parametrize("kind", [None, "call", "meet", "message", "mail", "visit"])
def test_log_kinds_that_are_contact_count(kind: str | None) -> None:
    marie = person("Marie", log=(log(date(2026, 9, 14), kind),))
    assert last_contacts(Snapshot((marie,)))["Marie"].date == date(2026, 9, 14)


def test_tie_prefers_log_over_journal_over_property() -> None:
    day = date(2026, 9, 14)
    both = person("Marie", last_contact=day, log=(log(day, "call", "venue"),))
    snapshot = Snapshot((both,), (journal(day, Mention("Marie", 3, True)),))
    assert last_contacts(snapshot)["Marie"].source == "log"
    no_log = person("Marie", last_contact=day)
    snapshot = Snapshot((no_log,), (journal(day, Mention("Marie", 3, True)),))
    assert last_contacts(snapshot)["Marie"].source == "journal"


def test_tie_between_log_lines_takes_the_first_in_the_note() -> None:
    day = date(2026, 9, 14)
    marie = person("Marie", log=(log(day, "call", "first", 8), log(day, "mail", "second", 9)))
    assert last_contacts(Snapshot((marie,)))["Marie"].text == "first"


def test_tie_between_journal_notes_takes_the_first_path() -> None:
    day = date(2026, 9, 14)
    snapshot = Snapshot(
        (person("Marie"),),
        (
            journal(day, Mention("Marie", 9, True), path="Daily/2026-09-14 b.md"),
            journal(day, Mention("Marie", 5, True), path="Daily/2026-09-14 a.md"),
        ),
    )
    assert last_contacts(snapshot)["Marie"].path == "Daily/2026-09-14 a.md"


def test_journal_mention_resolves_alias_and_case() -> None:
    marie = person("Marie Dupont", aliases=("Marie D.",))
    snapshot = Snapshot(
        (marie,),
        (
            journal(date(2026, 9, 1), Mention("marie dupont", 3, True)),
            journal(date(2026, 9, 2), Mention("Marie D.", 3, True)),
        ),
    )
    assert last_contacts(snapshot)["Marie Dupont"].date == date(2026, 9, 2)


def test_journal_mention_that_does_not_count_is_ignored() -> None:
    snapshot = Snapshot(
        (person("Marie"),), (journal(date(2026, 9, 1), Mention("Marie", 3, False)),)
    )
    assert last_contacts(snapshot) == {}


def test_journal_mention_of_no_contact_is_ignored() -> None:
    snapshot = Snapshot((person("Marie"),), (journal(date(2026, 9, 1), Mention("Paul", 3, True)),))
    assert last_contacts(snapshot) == {}


def test_a_digest_schedules_its_week_without_its_own_ticks() -> None:
    marie = person(
        "Marie",
        log=(
            log(date(2026, 11, 24), None, "checked in (digest 2026-W48)", 8),
            log(date(2026, 9, 14), "call", "venue", 9),
        ),
    )
    (facts,) = all_facts(Snapshot((marie,)), LATER)
    assert facts.last is not None and facts.last.date == date(2026, 11, 24)
    without = last_in_week(facts, W48)
    assert without is not None and without.date == date(2026, 9, 14)
    other = last_in_week(facts, week_of(date(2026, 12, 2)))
    assert other is not None and other.date == date(2026, 11, 24)


# --- journal exclusions through the loader -------------------------------------------------


def write_vault(root: Path, files: dict[str, str]) -> Config:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Config(root=root)


MARIE = "---\ntier: 50\naliases:\n  - Marie D.\n---\n# Marie Dupont\n"


@pytest.mark.parametrize(
    ("body", "counts"),
    [
        ("Lunch with [[Marie Dupont]].\n", True),
        ("Lunch with [[Marie Dupont|Marie]].\n", True),
        ("Lunch with [[Marie D.]].\n", True),
        ("- [x] call [[Marie Dupont]]\n", True),
        ("- [ ] call [[Marie Dupont]]\n", False),
        ("> quoting [[Marie Dupont]]\n", False),
        ("```\n[[Marie Dupont]]\n```\n", False),
        ("Her card: ![[Marie Dupont]]\n", False),
        ("Inline `[[Marie Dupont]]` code\n", False),
    ],
)
def test_journal_link_counts_through_the_loader(tmp_path: Path, body: str, counts: bool) -> None:
    from netzwerk import app

    write_vault(
        tmp_path,
        {"People/Marie Dupont.md": MARIE, "Daily/2026-10-01.md": "# Thursday\n\n" + body},
    )
    snapshot = app.open_vault(tmp_path, TODAY).snapshot
    last = last_contacts(snapshot).get("Marie Dupont")
    if counts:
        assert last is not None
        assert (last.date, last.source) == (date(2026, 10, 1), "journal")
    else:
        assert last is None


# --- cadence and next due ------------------------------------------------------------------


def test_cadence_from_tier_and_override() -> None:
    assert cadence_of(person("A", tier="10"), CONFIG) == Duration(3, "w")
    assert cadence_of(person("A", tier="10", cadence=Duration(10, "d")), CONFIG) == Duration(
        10, "d"
    )
    assert cadence_of(person("A", cadence=Duration(1, "y")), CONFIG) == Duration(1, "y")


def test_cadence_unclassified_and_unknown_tier_are_none() -> None:
    assert cadence_of(person("A"), CONFIG) is None
    assert cadence_of(person("A", tier="1000"), CONFIG) is None


def last_on(day: date) -> LastContact:
    return LastContact(day, "last_contact", "People/A.md", None, None)


@pytest.mark.parametrize(
    ("cadence", "last", "expected"),
    [
        (Duration(10, "d"), date(2026, 11, 1), date(2026, 11, 11)),
        (Duration(3, "w"), date(2026, 11, 1), date(2026, 11, 22)),
        (Duration(1, "m"), date(2026, 1, 31), date(2026, 2, 28)),
        (Duration(1, "m"), date(2028, 1, 31), date(2028, 2, 29)),
        (Duration(2, "m"), date(2026, 12, 31), date(2027, 2, 28)),
        (Duration(1, "y"), date(2028, 2, 29), date(2029, 2, 28)),
        (Duration(4, "y"), date(2028, 2, 29), date(2032, 2, 29)),
    ],
)
def test_next_due_calendar_arithmetic(cadence: Duration, last: date, expected: date) -> None:
    contact = person("A", cadence=cadence)
    assert next_due(contact, CONFIG, last_on(last)) == expected


def test_next_due_never_paused_unclassified() -> None:
    last = last_on(date(2026, 1, 1))
    assert next_due(person("A", tier="reserve"), CONFIG, last) is None
    assert next_due(person("A", tier="10", cadence=Duration.parse("never")), CONFIG, last) is None
    assert next_due(person("A", tier="10", paused=True), CONFIG, last) is None
    assert next_due(person("A"), CONFIG, last) is None
    assert next_due(person("A", tier="nope"), CONFIG, last) is None


def test_next_due_snooze() -> None:
    last = last_on(date(2026, 10, 1))
    later = person("A", tier="10", snooze_until=date(2026, 12, 24))
    assert next_due(later, CONFIG, last) == date(2026, 12, 24)
    earlier = person("A", tier="10", snooze_until=date(2026, 10, 5))
    assert next_due(earlier, CONFIG, last) == date(2026, 10, 22)


def test_next_due_never_contacted_is_their_day_of_the_cycle() -> None:
    contact = person("A", tier="10")
    first = next_due(contact, CONFIG, None, W48.start)
    assert first is not None and W48.start <= first < W48.start + timedelta(weeks=3)
    assert first == first_due("A", Duration(3, "w"), W48.start)
    assert next_due(contact, CONFIG, None) is None
    snoozed = person("A", tier="10", snooze_until=first + timedelta(days=1))
    assert next_due(snoozed, CONFIG, None, W48.start) == first + timedelta(days=1)


def test_next_due_past_the_calendar_is_none() -> None:
    contact = person("A", cadence=Duration(1, "y"))
    assert next_due(contact, CONFIG, last_on(date(9999, 6, 1))) is None


# --- the due list --------------------------------------------------------------------------


def test_due_statuses_and_days() -> None:
    # Top 10 (3 weeks): due on the week's first day, its last day, just before, just after.
    snapshot = Snapshot(
        (
            person("Due Monday", tier="10", last_contact=date(2026, 11, 2)),
            person("Due Sunday", tier="10", last_contact=date(2026, 11, 8)),
            person("Overdue", tier="10", last_contact=date(2026, 11, 1)),
            person("Next week", tier="10", last_contact=date(2026, 11, 9)),
        )
    )
    items = {i.person.name: i for i in due(snapshot, CONFIG, W48)}
    assert sorted(items) == ["Due Monday", "Due Sunday", "Overdue"]
    assert (items["Overdue"].status, items["Overdue"].days_overdue) == ("overdue", 1)
    assert items["Overdue"].next_due == date(2026, 11, 22)
    assert (items["Due Monday"].status, items["Due Monday"].days_overdue) == ("due", 0)
    assert items["Due Sunday"].next_due == date(2026, 11, 29)
    assert items["Due Sunday"].tier == DEFAULT_TIERS[0]
    assert items["Due Sunday"].cadence == Duration(3, "w")


def test_due_excludes_paused_never_unclassified_unknown_tier_snoozed() -> None:
    old = date(2020, 1, 1)
    snapshot = Snapshot(
        (
            person("Paused", tier="10", last_contact=old, paused=True),
            person("Reserve", tier="reserve", last_contact=old),
            person("Never", tier="10", cadence=Duration.parse("never"), last_contact=old),
            person("Unclassified", last_contact=old),
            person("Unknown tier", tier="5", last_contact=old),
            person("Snoozed", tier="10", last_contact=old, snooze_until=date(2026, 11, 30)),
            person("Snooze over", tier="10", last_contact=old, snooze_until=date(2026, 11, 22)),
            person("Snoozed into week", tier="10", last_contact=old, snooze_until=TODAY),
            person("Cadence only", cadence=Duration(1, "y"), last_contact=old),
        )
    )
    items = {i.person.name: i for i in due(snapshot, CONFIG, W48)}
    assert sorted(items) == ["Cadence only", "Snooze over", "Snoozed into week"]
    assert items["Snooze over"].status == "overdue"
    assert items["Snooze over"].next_due == date(2026, 11, 22)
    assert (items["Snoozed into week"].status, items["Snoozed into week"].next_due) == (
        "due",
        TODAY,
    )
    assert items["Cadence only"].tier is None


def test_never_contacted_is_due_in_the_week_of_their_day() -> None:
    new = person("New", tier="100")
    day = first_due("New", Duration(6, "m"), W48.start)
    week = week_of(day)
    items = due(Snapshot((new,)), CONFIG, week)
    assert len(items) == 1
    assert (items[0].status, items[0].next_due, items[0].last) == ("due", day, None)
    # In the weeks before and after their day they are not due: never overdue all at once.
    for other in (week_of(day - timedelta(days=7)), week_of(day + timedelta(days=7))):
        assert due(Snapshot((new,)), CONFIG, other) == []


def test_due_order_relative_to_cadence_then_name() -> None:
    snapshot = Snapshot(
        (
            # 21 days overdue on a 3-week cadence: ratio 1.
            person("Zoe", tier="10", last_contact=date(2026, 10, 12)),
            # 61 days overdue on a 2-month cadence (60 days): ratio > 1.
            person("Yann", tier="50", last_contact=date(2026, 7, 23)),
            # 30 days overdue on a 10-day cadence: ratio 3.
            person("Xavier", cadence=Duration(10, "d"), last_contact=date(2026, 10, 14)),
            # Ratio 1 again: ties are broken by name, accents folded.
            person("Émile", cadence=Duration(7, "d"), last_contact=date(2026, 11, 9)),
            person("eva", cadence=Duration(7, "d"), last_contact=date(2026, 11, 9)),
            person("Ethan", cadence=Duration(7, "d"), last_contact=date(2026, 11, 9)),
            # Due this week: after every overdue, soonest relative to cadence first.
            person("Anna", tier="10", last_contact=date(2026, 11, 5)),
            person("Bea", tier="10", last_contact=date(2026, 11, 2)),
        )
    )
    order = names(due(snapshot, CONFIG, W48))
    assert order == ["Xavier", "Yann", "Émile", "Ethan", "eva", "Zoe", "Bea", "Anna"]


def test_due_is_deterministic_whatever_the_input_order() -> None:
    people = [person(f"P{i}", tier="10", last_contact=date(2026, 10, 1)) for i in range(20)]
    first = due(Snapshot(tuple(people)), CONFIG, W48)
    second = due(Snapshot(tuple(reversed(people))), CONFIG, W48)
    assert names(first) == names(second) == sorted(names(first))


def test_due_uses_the_effective_last_contact() -> None:
    marie = person("Marie", tier="10", last_contact=date(2026, 1, 1))
    snapshot = Snapshot((marie,), (journal(date(2026, 11, 20), Mention("Marie", 3, True)),))
    assert due(snapshot, CONFIG, W48) == []


def test_custom_tiers() -> None:
    config = Config(root=Path("/v"), tiers=(Tier("inner", "Inner circle", Duration(1, "w"), 5),))
    snapshot = Snapshot(
        (
            person("A", tier="inner", last_contact=date(2026, 11, 16)),
            person("B", tier="10", last_contact=date(2020, 1, 1)),
        )
    )
    assert names(due(snapshot, config, W48)) == ["A"]


# --- weeks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start", "end", "label"),
    [
        (date(2026, 11, 25), date(2026, 11, 23), date(2026, 11, 29), "2026-W48"),
        (date(2026, 11, 23), date(2026, 11, 23), date(2026, 11, 29), "2026-W48"),
        (date(2026, 11, 29), date(2026, 11, 23), date(2026, 11, 29), "2026-W48"),
        (date(2026, 12, 31), date(2026, 12, 28), date(2027, 1, 3), "2026-W53"),
        (date(2027, 1, 3), date(2026, 12, 28), date(2027, 1, 3), "2026-W53"),
        (date(2021, 1, 1), date(2020, 12, 28), date(2021, 1, 3), "2020-W53"),
        (date(2025, 12, 31), date(2025, 12, 29), date(2026, 1, 4), "2026-W01"),
        (date(2027, 1, 4), date(2027, 1, 4), date(2027, 1, 10), "2027-W01"),
    ],
)
def test_week_of_monday_start_is_the_iso_week(
    day: date, start: date, end: date, label: str
) -> None:
    assert week_of(day) == Week(start, end, label)
    assert parse_week(label) == Week(start, end, label)


def test_week_of_sunday_start() -> None:
    # Sunday 22 November to Saturday 28 November: most of its days lie in ISO week 48.
    expected = Week(date(2026, 11, 22), date(2026, 11, 28), "2026-W48")
    assert week_of(date(2026, 11, 22), 6) == expected
    assert week_of(date(2026, 11, 28), 6) == expected
    assert week_of(date(2026, 11, 29), 6).start == date(2026, 11, 29)
    assert parse_week("2026-W48", 6) == expected


def test_week_of_sunday_start_across_new_year() -> None:
    week = week_of(date(2027, 1, 1), 6)
    assert (week.start, week.end, week.label) == (date(2026, 12, 27), date(2027, 1, 2), "2026-W53")


@pytest.mark.parametrize("label", ["2026-W48", "2026-w48", "2026W48", "2026w48", " 2026-W48 "])
def test_parse_week_spellings(label: str) -> None:
    assert parse_week(label) == W48


@pytest.mark.parametrize(
    "label", ["2026-W00", "2026-W54", "2025-W53", "2026-48", "W48", "2026-W48x", "", "twenty"]
)
def test_parse_week_rejects(label: str) -> None:
    assert parse_week(label) is None


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(min_value=0, max_value=6),
)
def test_week_of_and_parse_week_round_trip(day: date, week_start: int) -> None:
    week = week_of(day, week_start)
    assert week.start <= day <= week.end == week.start + timedelta(days=6)
    assert week.start.weekday() == week_start
    assert parse_week(week.label, week_start) == week
    # Consecutive weeks get distinct labels.
    assert week_of(week.end + timedelta(days=1), week_start).label != week.label


def test_week_contains() -> None:
    assert TODAY in W48
    assert date(2026, 11, 30) not in W48


# --- birthdays -----------------------------------------------------------------------------


def test_birthdays_in_window_with_age_and_yearless() -> None:
    snapshot = Snapshot(
        (
            person("Anna", birthday=Birthday(11, 28, 1988)),
            person("Ben", birthday=Birthday(11, 24)),
            person("Cleo", birthday=Birthday(12, 1, 1990)),
            person("Dora", birthday=Birthday(11, 22, 1990)),
        )
    )
    items = birthdays(snapshot, W48.start, W48.end)
    assert [(i.person.name, i.date, i.age) for i in items] == [
        ("Ben", date(2026, 11, 24), None),
        ("Anna", date(2026, 11, 28), 38),
    ]


def test_birthdays_on_29_february() -> None:
    snapshot = Snapshot(
        (person("Leap", birthday=Birthday(2, 29, 1992)), person("Any", birthday=Birthday(2, 29)))
    )
    common = birthdays(snapshot, date(2027, 2, 22), date(2027, 2, 28))
    assert [(i.person.name, i.date, i.age) for i in common] == [
        ("Any", date(2027, 2, 28), None),
        ("Leap", date(2027, 2, 28), 35),
    ]
    leap = birthdays(snapshot, date(2028, 2, 28), date(2028, 3, 1))
    assert [(i.date, i.age) for i in leap] == [(date(2028, 2, 29), None), (date(2028, 2, 29), 36)]
    assert birthdays(snapshot, date(2028, 2, 23), date(2028, 2, 28)) == []


def test_birthdays_window_across_new_year() -> None:
    snapshot = Snapshot(
        (
            person("Jan", birthday=Birthday(1, 2, 2000)),
            person("Dec", birthday=Birthday(12, 30)),
            person("Mar", birthday=Birthday(3, 1)),
        )
    )
    items = birthdays(snapshot, date(2026, 12, 28), date(2027, 1, 10))
    assert [(i.person.name, i.date, i.age) for i in items] == [
        ("Dec", date(2026, 12, 30), None),
        ("Jan", date(2027, 1, 2), 27),
    ]


def test_birthdays_not_before_birth() -> None:
    snapshot = Snapshot((person("Baby", birthday=Birthday(11, 24, 2027)),))
    assert birthdays(snapshot, W48.start, W48.end) == []
    born = Snapshot((person("Baby", birthday=Birthday(11, 24, 2026)),))
    assert [i.age for i in birthdays(born, W48.start, W48.end)] == [0]
