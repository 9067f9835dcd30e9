"""A week a person can actually do (issue 22): the budget, staggered starts, follow-ups and open
tasks, season's greetings, trips and `near`, dormant ties, people to meet, drift.

Each test writes a small vault and runs `netzwerk` on it as a user would (`digest --stdout`,
`due`, `review`, `near`), with dates at the edges of each rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import Result
from conftest import invoke, write_files

from netzwerk.model import Duration
from netzwerk.schedule import first_due, parse_week, week_of

Run = Callable[..., Result]


def digest(root: Path, day: str, *args: str) -> str:
    """This week's digest of `day`, printed."""
    result = invoke("--vault", str(root), "--today", day, "digest", "--stdout", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def write_digest(root: Path, day: str) -> str:
    """`digest` (records ticks, writes the note); what it printed."""
    result = invoke("--vault", str(root), "--today", day, "digest")
    assert result.exit_code == 0, result.output
    return result.stdout


def section(text: str, heading: str) -> str | None:
    """The lines of `## heading` (its `###` subsections included), or None when it is not
    there."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1).strip("\n") if match else None


def items(text: str, heading: str) -> list[str]:
    """The list items of a section."""
    found = section(text, heading)
    return [line for line in (found or "").splitlines() if line.startswith("- ")]


def person(tier: str | None = None, **keys: str) -> str:
    """A contact note with these properties (and a log, with `log=`)."""
    log = keys.pop("log", "")
    front = "".join(
        f"{k}: {v}\n" for k, v in ([("tier", tier)] if tier else []) + list(keys.items())
    )
    return f"---\n{front}---\n# Someone\n\n## Log\n{log}"


def tick(root: Path, label: str, name: str, heading: str | None = None) -> None:
    """Tick `name`'s item in digest `label` (in `heading`'s section, if given), as in Obsidian."""
    path = root / "Digests" / f"{label}.md"
    text = path.read_text("utf-8")
    part = section(text, heading) if heading else text
    assert part is not None
    line = next(line for line in part.splitlines() if f"[[{name}]]" in line)
    assert line.startswith("- [ ] ")
    path.write_text(text.replace(line, "- [x] " + line[6:], 1), "utf-8")


# ------------------------------------------------------------------ 1. the week's budget


def test_the_budget_caps_the_due_people_and_ties_go_by_name(tmp_path: Path) -> None:
    # Three people exactly as overdue as each other: the budget of two takes the first two by
    # name, the third is named in one line; `due` still lists all three.
    root = write_files(
        tmp_path,
        {
            "netzwerk.toml": "week_budget = 2\n",
            "People/Cleo.md": person("10", last_contact="2026-10-01"),
            "People/Alba.md": person("10", last_contact="2026-10-01"),
            "People/Bea.md": person("10", last_contact="2026-10-01"),
            "People/Dora.md": person("10", last_contact="2026-11-20", birthday="1990-11-25"),
        },
    )
    text = digest(root, "2026-11-23")
    assert [line.split(" · ")[0] for line in items(text, "Overdue")] == [
        "- [ ] [[Alba]]",
        "- [ ] [[Bea]]",
    ]
    assert section(text, "Due this week") == (
        "The 2 this week can hold are all overdue (above).\n\n"
        "and 1 more — netzwerk due lists them all"
    )
    assert "3 overdue · 0 due this week · the 2 most pressing listed · 1 birthday" in text
    # Birthdays do not count against the budget.
    assert items(text, "Birthdays") == ["- [ ] [[Dora]] · Wed 25 Nov · turns 36"]
    due = invoke("--vault", str(root), "due").stdout
    assert all(name in due for name in ("Alba", "Bea", "Cleo"))


def test_the_digest_of_another_week_names_the_due_list_of_that_week(tmp_path: Path) -> None:
    late = {f"People/P{n}.md": person("10", last_contact=f"2026-11-0{n}") for n in range(1, 8)}
    root = write_files(tmp_path, late)
    text = digest(root, "2026-11-23", "--week", "2026-W50")
    assert "and 2 more — netzwerk due --week 2026-W50 lists them all" in text
    listed = invoke("--vault", str(root), "--today", "2026-11-23", "due", "--week", "2026-W50")
    assert listed.stdout.endswith("\n2026-W50: 7 overdue, 0 due this week\n")
    assert "and 2 more — netzwerk due lists them all" in digest(root, "2026-12-07")


def test_the_budget_is_what_the_tiers_imply_and_at_least_five(tmp_path: Path) -> None:
    # 30 people in Top 10 (every 3 weeks): 10 a week; 60 in Top 50 (2 months, 60 days): 7 a
    # week; 5 in Reserve: none. 17 of 95 due people are listed.
    files = {f"People/Ten {n:02}.md": person("10", last_contact="2026-01-01") for n in range(30)}
    files |= {f"People/Fifty {n:02}.md": person("50", last_contact="2026-01-01") for n in range(60)}
    files |= {f"People/Kept {n}.md": person("reserve") for n in range(5)}
    text = digest(write_files(tmp_path, files), "2026-11-23")
    assert len(items(text, "Overdue")) == 17
    assert "and 73 more — netzwerk due lists them all" in text
    few = write_files(tmp_path / "few", {"People/One.md": person("10", last_contact="2026-01-01")})
    assert "the " not in digest(few, "2026-11-23").split("\n## ")[0]  # 1 due: within the 5


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("week_budget = 0", "week_budget must be a whole number of people, at least 1, not 0"),
        (
            'week_budget = "ten"',
            "week_budget must be a whole number of people, at least 1, not 'ten'",
        ),
        (
            "week_budget = true",
            "week_budget must be a whole number of people, at least 1, not true",
        ),
    ],
)
def test_an_invalid_budget_is_reported_at_its_line(
    tmp_path: Path, setting: str, message: str
) -> None:
    root = write_files(tmp_path, {"netzwerk.toml": f'journal = ["Daily"]\n{setting}\n'})
    result = invoke("check", str(root))
    assert result.stdout == f"netzwerk.toml:2: error: {message} [NW402]\n"


def test_the_generated_vault_lists_at_most_its_budget(tmp_path: Path) -> None:
    # The bench's generator at 1,000 contacts: hundreds overdue, the digest lists the budget.
    import subprocess
    import sys

    generate = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
    vault = tmp_path / "generated"
    subprocess.run(
        [sys.executable, str(generate), str(vault), "--contacts", "1000", "--journal-days", "30"],
        check=True,
        capture_output=True,
    )
    text = digest(vault, "2026-11-23")
    overdue, due = re.search(r"^(\d+) overdue · (\d+) due this week", text, re.M).groups()  # type: ignore[union-attr]
    budget = int(re.search(r"the (\d+) most pressing listed", text).group(1))  # type: ignore[union-attr]
    assert int(overdue) + int(due) > budget
    assert len(items(text, "Overdue")) + len(items(text, "Due this week")) == budget
    assert f"and {int(overdue) + int(due) - budget} more — netzwerk due lists them all" in text


# ------------------------------------------------------------------ 2. staggered starts


def test_two_hundred_people_tiered_at_once_are_a_steady_stream_across_new_year(
    tmp_path: Path,
) -> None:
    # Top 10 is every three weeks: each of 200 new people is due in exactly one of any three
    # weeks in a row, here 2026-W52, 2026-W53 and 2027-W01, across the year's end.
    names = [f"New {n:03}" for n in range(200)]
    root = write_files(tmp_path, {f"People/{name}.md": person("10") for name in names})
    seen: dict[str, list[str]] = {name: [] for name in names}
    for label in ("2026-W52", "2026-W53", "2027-W01"):
        result = invoke("--vault", str(root), "due", "--week", label, "--format", "json")
        due = {row["name"] for row in __import__("json").loads(result.stdout)}
        assert 40 < len(due) < 95, label  # about a third each week, not all at once
        for name in due:
            seen[name].append(label)
    assert all(len(weeks) == 1 for weeks in seen.values())


def test_the_first_day_is_the_same_on_every_machine_and_in_any_folder() -> None:
    three_weeks = Duration(3, "w")
    day = first_due("Zoë Lefèvre", three_weeks, date(2026, 12, 28))
    # The same whether the file system gave the name composed (Linux) or decomposed (macOS).
    decomposed = unicodedata.normalize("NFD", "Zoë Lefèvre")
    assert first_due(decomposed, three_weeks, date(2026, 12, 28)) == day
    # On or after the day asked, and within one cadence; then every three weeks.
    assert date(2026, 12, 28) <= day < date(2026, 12, 28) + timedelta(weeks=3)
    assert first_due("Zoë Lefèvre", three_weeks, day + timedelta(days=1)) == day + timedelta(
        weeks=3
    )
    # A known value: changing how the day is found changes every vault's schedule.
    assert first_due("Camille Rousseau", three_weeks, date(2026, 11, 23)) == date(2026, 12, 4)


def test_someone_never_contacted_is_due_in_their_week_and_not_overdue_after(
    tmp_path: Path,
) -> None:
    day = first_due("Nova", Duration(6, "m"), date(2026, 11, 23))
    root = write_files(tmp_path, {"People/Nova.md": person("100")})
    week = week_of(day)
    text = digest(root, week.start.isoformat())
    [line] = items(text, "Due this week")
    assert line.startswith("- [ ] [[Nova]] · Top 100 · ")
    assert "never contacted" in line
    after = digest(root, (week.start + timedelta(days=7)).isoformat())
    assert "[[Nova]]" not in after


def test_someone_never_contacted_is_listed_in_their_week_however_many_are_overdue(
    tmp_path: Path,
) -> None:
    # Six long overdue fill the budget of five; never overdue, Nina would never rise above
    # them: a first contact comes first in its week, and the budget still holds.
    day = first_due("Nina New", Duration(3, "w"), date(2027, 3, 1))
    old = {f"People/Old {n}.md": person("50", last_contact="2025-01-01") for n in "ABCDEF"}
    root = write_files(tmp_path, {**old, "People/Nina New.md": person("10")})
    for week_start in (week_of(day).start, week_of(day + timedelta(weeks=3)).start):
        text = digest(root, week_start.isoformat())
        [first] = items(text, "Due this week")
        assert first.startswith("- [ ] [[Nina New]] · Top 10 · ")
        assert len(items(text, "Overdue")) == 4
        assert "and 2 more — netzwerk due lists them all" in text
    between = digest(root, (week_of(day).start + timedelta(weeks=1)).isoformat())
    assert "[[Nina New]]" not in between and len(items(between, "Overdue")) == 5


def test_when_first_contacts_take_the_whole_budget_overdue_says_so(tmp_path: Path) -> None:
    day = first_due("Nina New", Duration(3, "w"), date(2027, 3, 1))
    root = write_files(
        tmp_path,
        {
            "netzwerk.toml": "week_budget = 1\n",
            "People/Old.md": person("50", last_contact="2025-01-01"),
            "People/Nina New.md": person("10"),
        },
    )
    text = digest(root, week_of(day).start.isoformat())
    assert section(text, "Overdue") == "The one this week can hold goes to a first contact (below)."
    assert items(text, "Due this week")[0].startswith("- [ ] [[Nina New]]")
    (root / "netzwerk.toml").write_text("week_budget = 5\n", "utf-8")
    assert items(digest(root, week_of(day).start.isoformat()), "Overdue")[0].startswith(
        "- [ ] [[Old]]"
    )


# ------------------------------------------------------------------ 3. follow-ups


def met_on(day: date, *later: date) -> str:
    lines = [f"- {d.isoformat()} call: again" for d in reversed(later)]
    lines.append(f"- {day.isoformat()} meet: we met")
    return person(log="\n".join(lines) + "\n")


W48 = parse_week("2026-W48")
assert W48 is not None


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        # First met 21 days before the week: the second touch is due on its Monday.
        ((21,), "first met 2026-11-02 · a second touch · due Mon 23 Nov"),
        # 22 days before: no longer a first meeting of the last three weeks.
        ((22,), None),
        # 9 days before: the thank-you was due 7 days ago, and is listed a week after.
        ((9,), "first met 2026-11-14 · say thank you · 7 days overdue"),
        ((10,), None),
        # Met this Sunday: the thank-you is due on Tuesday, next week.
        ((-6,), "first met 2026-11-29 · say thank you · due Tue 1 Dec"),
        # Thanked the day after: nothing until the second touch.
        ((9, 8), None),
        # Thanked, then met again more than a week later: no second touch either.
        ((21, 20, 10), None),
        ((21, 20), "first met 2026-11-02 · a second touch · due Mon 23 Nov"),
    ],
)
def test_follow_up_windows(tmp_path: Path, days: tuple[int, ...], expected: str | None) -> None:
    met, *later = (W48.start - timedelta(days=n) for n in days)
    root = write_files(tmp_path, {"People/Newly Met.md": met_on(met, *later)})
    text = digest(root, "2026-11-29")  # (the Sunday: every date above has happened)
    found = items(text, "Follow up")
    if expected is None:
        assert found == []
    else:
        assert found == [f"- [ ] [[Newly Met]] · {expected}"]


def test_last_contact_alone_is_no_first_meeting(tmp_path: Path) -> None:
    # `last_contact` keeps only the latest day: it cannot say that it was the first.
    root = write_files(tmp_path, {"People/Old Friend.md": person("10", last_contact="2026-11-20")})
    assert section(digest(root, "2026-11-23"), "Follow up") is None


def test_a_ticked_thank_you_is_recorded_once_and_stays_ticked(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"People/Newly Met.md": met_on(date(2026, 11, 20))})
    write_digest(root, "2026-11-23")
    tick(root, "2026-W48", "Newly Met", "Follow up")
    assert write_digest(root, "2026-11-24").startswith(
        "recorded 2026-11-24 for Newly Met: follow-up (ticked in 2026-W48)"
    )
    note = (root / "People/Newly Met.md").read_text("utf-8")
    assert "- 2026-11-24 message: thank-you for the first meeting (digest 2026-W48)" in note
    again = (root / "Digests/2026-W48.md").read_text("utf-8")
    assert items(again, "Follow up")[0].startswith("- [x] [[Newly Met]] · first met 2026-11-20")
    write_digest(root, "2026-11-25")
    assert (root / "People/Newly Met.md").read_text("utf-8").count("(digest 2026-W48)") == 1
    # The next week: thanked, so nothing until the second touch three weeks after meeting.
    assert section(digest(root, "2026-11-30"), "Follow up") is None
    assert "a second touch · due Fri 11 Dec" in digest(root, "2026-12-07")


TASKS = {
    "People/Marie.md": person(
        "50",
        last_contact="2026-11-20",
        log="- 2026-01-20 call: hi\n",
    )
    + "\n## Tasks\n- [ ] send her the address of the gallery 📅 2026-11-25\n",
    "People/Paul.md": person("100", last_contact="2026-11-20"),
    "Daily/2026-11-10.md": (
        "- [ ] ask [[Paul]] for the photos 📅 2026-11-16\n"
        "- [ ] call [[Paul|P.]] about the show [due:: 2026-11-27]\n"
        "- [/] book the train with [[Marie]] ⏳ 2026-11-24\n"
        "- [ ] plan the trip with [[Paul]] 📅 2026-12-10\n"
        "- [ ] undated: ring [[Paul]]\n"
        "- [x] done already with [[Paul]] 📅 2026-11-20\n"
        "- [ ] nobody linked 📅 2026-11-20\n"
    ),
    "Projects/Show.md": "# Show\n- [ ] ask [[Marie]] and [[Paul]] for the list due:: 2026-11-28\n",
}


def test_open_tasks_that_link_someone_are_listed_overdue_first(tmp_path: Path) -> None:
    text = digest(write_files(tmp_path, TASKS), "2026-11-23")
    assert section(text, "Follow up") == (
        "### Open tasks\n\n"
        "- [ ] ask [[Paul]] for the photos · 7 days overdue · in [[2026-11-10]]\n"
        "- [ ] book the train with [[Marie]] · scheduled Tue 24 Nov · in [[2026-11-10]]\n"
        "- [ ] send her the address of the gallery · due Wed 25 Nov · in [[Marie]]\n"
        "- [ ] call [[Paul|P.]] about the show · due Fri 27 Nov · in [[2026-11-10]]\n"
        "- [ ] ask [[Marie]] and [[Paul]] for the list · due Sat 28 Nov · in [[Show]]"
    )
    assert "1 birthday" not in text and "5 open tasks" in text


def test_ticking_a_tasks_copy_records_nothing_and_stays_ticked(tmp_path: Path) -> None:
    root = write_files(tmp_path, TASKS)
    write_digest(root, "2026-11-23")
    tick(root, "2026-W48", "Paul", "Follow up")
    before = {p: p.read_bytes() for p in (root / "People").iterdir()}
    daily = (root / "Daily/2026-11-10.md").read_bytes()
    assert "recorded" not in write_digest(root, "2026-11-24")
    assert {p: p.read_bytes() for p in (root / "People").iterdir()} == before
    assert (root / "Daily/2026-11-10.md").read_bytes() == daily  # the task lives on there
    text = (root / "Digests/2026-W48.md").read_text("utf-8")
    assert "- [x] ask [[Paul]] for the photos · 7 days overdue · in [[2026-11-10]]" in text
    # Ticked where it lives, it leaves the list.
    path = root / "Daily/2026-11-10.md"
    path.write_text(path.read_text("utf-8").replace("- [ ] ask", "- [x] ask"), "utf-8")
    assert "for the photos" not in digest(root, "2026-11-24")


def test_a_task_date_that_is_no_date_is_reported(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "People/Paul.md": person("100"),
            "Daily/2026-11-10.md": "\n- [ ] ask [[Paul]] 📅 2026-11-31\n",
            "Notes/Plan.md": "- [ ] and [[Paul]] due:: 2026-13-01\n- [ ] no one 📅 2026-02-30\n",
        },
    )
    assert invoke("check", str(root)).stdout.splitlines() == [
        "Daily/2026-11-10.md:2: error: task date is not a date: '2026-11-31'; "
        "write YYYY-MM-DD [NW203]",
        "Notes/Plan.md:1: error: task date is not a date: '2026-13-01'; write YYYY-MM-DD [NW203]",
    ]


def test_someone_due_is_not_asked_again_as_a_follow_up(tmp_path: Path) -> None:
    # First met on 30 November; Top 10 (every three weeks) and the second touch both fall on
    # Monday 21 December: one ask, in the due list; cut by the budget, the follow-up stays.
    met = "- 2026-11-30 meet: first coffee\n"
    late = {f"People/Old {n}.md": person("50", last_contact="2025-01-01") for n in "AB"}
    files = {"People/Camille.md": person("10", log=met), **late}
    root = write_files(tmp_path, {**files, "netzwerk.toml": "week_budget = 5\n"})
    text = digest(root, "2026-12-21")
    assert [line[:16] for line in items(text, "Due this week")] == ["- [ ] [[Camille]"]
    assert section(text, "Follow up") is None
    (root / "netzwerk.toml").write_text("week_budget = 2\n", "utf-8")
    text = digest(root, "2026-12-21")
    assert "[[Camille]]" not in (section(text, "Due this week") or "")
    [line] = items(text, "Follow up")
    assert line.startswith("- [ ] [[Camille]] · first met 2026-11-30 · a second touch")


def test_logging_someone_known_only_by_last_contact_is_no_first_meeting(tmp_path: Path) -> None:
    note = "---\ntier: 100\nlast_contact: 2026-12-01\n---\n# Pedro Alves\n\nWinemaker.\n"
    root = write_files(tmp_path, {"People/Pedro Alves.md": note})
    args = ("--vault", str(root), "--today", "2027-03-01")
    result = invoke(*args, "log", "Pedro", "called about the harvest", "--kind", "call")
    assert result.exit_code == 0, result.output
    text = (root / "People/Pedro Alves.md").read_text("utf-8")
    # The contact last_contact recorded stays in the note, in the line that replaces it.
    assert "last_contact: 2027-03-01\n" in text
    assert text.endswith(
        "## Log\n- 2027-03-01 call: called about the harvest · last_contact was 2026-12-01\n"
    )
    assert section(digest(root, "2027-03-01"), "Follow up") is None
    # The hook is what was said, not what last_contact was.
    due = invoke(*args, "due", "--week", "2027-W36", "--format", "json").stdout
    assert '"last_text": "called about the harvest"' in due
    # A second line: last_contact was a day the log has, so nothing more to keep.
    invoke(*args, "log", "Pedro", "again", "--date", "2027-03-01")
    result = invoke("--vault", str(root), "--today", "2027-03-02", "log", "Pedro", "wine")
    assert (
        (root / "People/Pedro Alves.md")
        .read_text("utf-8")
        .endswith("- 2027-03-01: again\n- 2027-03-02: wine\n")
    )


@pytest.mark.parametrize("newest_first", [False, True])
def test_what_log_kept_of_last_contact_counts_in_any_order(
    tmp_path: Path, newest_first: bool
) -> None:
    # Olga: a chat on 1 September, last_contact 1 October, lunch on 20 November. Three
    # contacts in 90 days (worth a closer tier), whichever way the log is ordered.
    lines = [
        "- 2026-09-01 call: first chat",
        "- 2026-11-20 meet: lunch · last_contact was 2026-10-01",
    ]
    log = "\n".join(reversed(lines) if newest_first else lines) + "\n"
    root = write_files(
        tmp_path, {"People/Olga.md": person("50", last_contact="2026-11-20", log=log)}
    )
    said = __import__("json").loads(
        invoke("--vault", str(root), "--today", "2026-11-20", "review", "--format", "json").stdout
    )
    assert [p["name"] for p in said["promote"]] == ["Olga"]


def test_log_keeps_last_contact_over_a_day_with_only_a_note(tmp_path: Path) -> None:
    log = "- 2026-09-14 note: connected on LinkedIn\n"
    root = write_files(
        tmp_path, {"People/Ivo.md": person("50", last_contact="2026-09-14", log=log)}
    )
    invoke("--vault", str(root), "--today", "2026-11-20", "log", "Ivo", "coffee", "--kind", "meet")
    text = (root / "People/Ivo.md").read_text("utf-8")
    assert text.endswith("- 2026-11-20 meet: coffee · last_contact was 2026-09-14\n")
    assert section(digest(root, "2026-11-23"), "Follow up") is None


def test_log_keeps_last_contact_under_the_vault_s_own_property_name(tmp_path: Path) -> None:
    note = "---\ntier: 50\nlastContact: 2026-09-14\n---\n# Ivo\n"
    files = {"netzwerk.toml": '[keys]\nlast_contact = "lastContact"\n', "People/Ivo.md": note}
    root = write_files(tmp_path, files)
    invoke("--vault", str(root), "--today", "2026-11-20", "log", "Ivo", "coffee", "--kind", "meet")
    text = (root / "People/Ivo.md").read_text("utf-8")
    assert "lastContact: 2026-11-20\n" in text
    assert text.endswith("- 2026-11-20 meet: coffee · lastContact was 2026-09-14\n")
    assert section(digest(root, "2026-11-23"), "Follow up") is None
    due = invoke("--vault", str(root), "--today", "2026-11-23", "due", "--week", "2027-W03")
    assert "last: coffee" in due.stdout and "was 2026-09-14" not in due.stdout


def test_what_log_kept_counts_when_the_property_s_name_changes_case(tmp_path: Path) -> None:
    note = "---\ntier: 10\nseen: 2026-06-01\n---\n# Pia\n"
    files = {"netzwerk.toml": '[keys]\nlast_contact = "seen"\n', "People/Pia.md": note}
    root = write_files(tmp_path, files)
    invoke("--vault", str(root), "--today", "2026-12-02", "log", "Pia", "tea", "--kind", "meet")
    (root / "netzwerk.toml").write_text('[keys]\nlast_contact = "Seen"\n', "utf-8")
    assert section(digest(root, "2026-12-02"), "Follow up") is None
    due = invoke("--vault", str(root), "--today", "2026-12-02", "due", "--week", "2026-W52")
    assert "last: tea" in due.stdout and "was 2026-06-01" not in due.stdout


def test_log_without_text_keeps_last_contact_as_the_line_s_text(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"People/Bert.md": person("50", last_contact="2026-09-14")})
    invoke("--vault", str(root), "--today", "2026-11-20", "log", "Bert", "--kind", "call")
    text = (root / "People/Bert.md").read_text("utf-8")
    assert text.endswith("- 2026-11-20 call: last_contact was 2026-09-14\n")
    assert section(digest(root, "2026-11-23"), "Follow up") is None
    due = invoke("--vault", str(root), "--today", "2026-11-23", "due", "--week", "2027-W04")
    assert "Bert" in due.stdout and "was 2026-09-14" not in due.stdout
    card = invoke("--vault", str(root), "--today", "2026-11-23", "show", "Bert").stdout
    assert "last contact  2026-11-20 (People/Bert.md:" in card


def test_a_line_of_your_own_ending_in_was_and_a_date_is_left_as_it_is(tmp_path: Path) -> None:
    log = "- 2026-11-19 meet: met at the fair · her shop opening was 2026-11-02\n"
    root = write_files(tmp_path, {"People/Rosa.md": person("10", log=log)})
    [line] = items(digest(root, "2026-11-23"), "Follow up")
    assert "first met 2026-11-19 · say thank you" in line
    due = invoke("--vault", str(root), "--today", "2026-11-23", "due", "--week", "2026-W50")
    assert "last: met at the fair · her shop opening was 2026-11-02" in due.stdout


# ------------------------------------------------------------------ 4. greetings and birthdays


GREET = {
    "People/Anna.md": person("100", last_contact="2026-11-01", email="anna@example.org")
    + "\nAnna paints boats. She lives by the sea.\n",
    "People/Ben.md": person(
        "50", last_contact="2026-11-01", greetings="true", address='"1 Harbour Road, Kiel"'
    ),
    "People/Cy.md": person("100", last_contact="2026-11-01", greetings="false"),
    "People/Dee.md": person("100", last_contact="2026-11-01", phone='"+49 30 1234"', paused="true"),
}


@pytest.mark.parametrize(
    ("day", "listed"),
    [
        ("2026-11-23", False),  # 2026-W48: before 1 December
        ("2026-11-30", True),  # 2026-W49: holds 1 December
        ("2026-12-28", True),  # 2026-W53: across New Year
        ("2027-01-04", True),  # 2027-W01: holds 4 to 6 January
        ("2027-01-11", False),  # 2027-W02: the season is over
    ],
)
def test_greetings_in_the_season_across_new_year(tmp_path: Path, day: str, listed: bool) -> None:
    text = digest(write_files(tmp_path, GREET), day)
    if not listed:
        assert section(text, "Greetings") is None
        return
    assert items(text, "Greetings") == [
        "- [ ] [[Anna]] · anna@example.org · Anna paints boats.",
        "- [ ] [[Ben]] · 1 Harbour Road, Kiel",
    ]


def test_a_ticked_greeting_is_recorded_and_not_asked_for_again_this_season(
    tmp_path: Path,
) -> None:
    root = write_files(tmp_path, GREET)
    write_digest(root, "2026-12-28")
    tick(root, "2026-W53", "Anna", "Greetings")
    assert write_digest(root, "2027-01-02").startswith("recorded 2027-01-02 for Anna")
    note = (root / "People/Anna.md").read_text("utf-8")
    assert "- 2027-01-02 message: season's greetings (digest 2026-W53)" in note
    assert "last_contact: 2027-01-02" in note
    # Still ticked in its week; the next week of the season does not ask again.
    assert items((root / "Digests/2026-W53.md").read_text("utf-8"), "Greetings")[0].startswith(
        "- [x] [[Anna]]"
    )
    assert [line[:12] for line in items(digest(root, "2027-01-04"), "Greetings")] == [
        "- [ ] [[Ben]"
    ]
    # Next season she is greeted again.
    assert "[[Anna]]" in "".join(items(digest(root, "2027-12-06"), "Greetings"))


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_greetings_logged_by_hand_are_not_asked_for_again(tmp_path: Path, apostrophe: str) -> None:
    # Typed on a phone or a Mac, the apostrophe is a typographic one.
    log = f"- 2026-12-02 mail: Season{apostrophe}s greetings and a happy new year\n"
    note = person("100", last_contact="2026-11-01", email="p@example.org", log=log)
    root = write_files(tmp_path, {"People/Pedro.md": note, "People/Quinn.md": person("100")})
    listed = items(digest(root, "2026-12-07"), "Greetings")
    assert [line.split(" · ")[0] for line in listed] == ["- [ ] [[Quinn]]"]


def test_a_tick_found_after_its_week_is_recorded_on_the_week_s_last_day(tmp_path: Path) -> None:
    # A digest run on Mondays finds last week's ticks; the contact was in that week.
    root = write_files(tmp_path, {"People/Sara.md": person("10", last_contact="2027-01-04")})
    write_digest(root, "2027-03-01")
    tick(root, "2027-W09", "Sara")
    assert write_digest(root, "2027-03-08").startswith("recorded 2027-03-07 for Sara")
    note = (root / "People/Sara.md").read_text("utf-8")
    assert "last_contact: 2027-03-07\n" in note
    assert "- 2027-03-07: checked in (digest 2027-W09) · last_contact was 2027-01-04" in note
    # Within its week, the day it is found; with a ✅ date, that day.
    write_digest(root, "2027-03-29")
    tick(root, "2027-W13", "Sara")
    assert write_digest(root, "2027-03-31").startswith("recorded 2027-03-31 for Sara")
    write_digest(root, "2027-04-19")
    path = root / "Digests/2027-W16.md"
    text = path.read_text("utf-8")
    line = next(x for x in text.splitlines() if "[[Sara]]" in x)
    path.write_text(text.replace(line, "- [x] " + line[6:] + " ✅ 2027-04-20"), "utf-8")
    assert write_digest(root, "2027-04-26").startswith("recorded 2027-04-20 for Sara")


def test_wishes_for_a_birthday_of_the_week_after_are_dated_no_earlier_than_it(
    tmp_path: Path,
) -> None:
    note = person("10", last_contact="2026-11-20", birthday="1990-12-02")
    root = write_files(tmp_path, {"People/Ayşe.md": note})
    write_digest(root, "2026-11-23")
    tick(root, "2026-W48", "Ayşe", "Birthdays")
    assert write_digest(root, "2026-12-08").startswith("recorded 2026-12-02 for Ayşe: birthday")
    assert "- 2026-12-02 message: birthday wishes (digest 2026-W48)" in (
        root / "People/Ayşe.md"
    ).read_text("utf-8")
    # A birthday of the digest's own week, the tick found two days after it: on the day.
    write_digest(root, "2027-11-29")
    tick(root, "2027-W48", "Ayşe", "Birthdays")
    assert write_digest(root, "2027-12-04").startswith("recorded 2027-12-02 for Ayşe: birthday")


def test_a_ticked_birthday_records_birthday_wishes(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {"People/Søren.md": person("10", last_contact="2026-11-20", birthday="1989-11-27")},
    )
    write_digest(root, "2026-11-23")
    tick(root, "2026-W48", "Søren", "Birthdays")
    write_digest(root, "2026-11-27")
    note = (root / "People/Søren.md").read_text("utf-8")
    assert (
        "- 2026-11-27 message: birthday wishes (digest 2026-W48) · last_contact was 2026-11-20"
        in note
    )
    text = (root / "Digests/2026-W48.md").read_text("utf-8")
    assert items(text, "Birthdays") == ["- [x] [[Søren]] · Fri 27 Nov · turns 37"]
    assert "· 1 done" in text


def test_two_items_of_one_person_ticked_on_two_days_both_stay_ticked(tmp_path: Path) -> None:
    # Søren is overdue and has his birthday this week: wishes on Friday, a call on Saturday.
    note = person("10", last_contact="2026-09-30", birthday="1989-11-27")
    root = write_files(tmp_path, {"People/Søren.md": note, "People/Other.md": person("10")})
    write_digest(root, "2026-11-23")
    tick(root, "2026-W48", "Søren", "Birthdays")
    write_digest(root, "2026-11-27")
    tick(root, "2026-W48", "Søren", "Overdue")
    assert write_digest(root, "2026-11-28").startswith("recorded 2026-11-28 for Søren (ticked")
    text = (root / "Digests/2026-W48.md").read_text("utf-8")
    assert items(text, "Overdue")[0].startswith("- [x] [[Søren]] · Top 10 · 33 days overdue")
    assert items(text, "Birthdays")[0].startswith("- [x] [[Søren]]")
    note_text = (root / "People/Søren.md").read_text("utf-8")
    assert "- 2026-11-28: checked in (digest 2026-W48) · last_contact was 2026-11-27" in note_text


@pytest.mark.parametrize(
    ("table", "line", "message"),
    [
        ('from = "13-01"', 3, "greetings: from must be a day like \"12-01\" (MM-DD), not '13-01'"),
        (
            'tiers = ["Top 1000"]',
            3,
            "greetings: unknown tier 'Top 1000'; did you mean 'Top 100'? "
            "(tiers: 10, 50, 100, reserve, target)",
        ),
        ('when = "12-01"', 3, "greetings: unknown setting 'when'"),
        # An unquoted date is a TOML date, shown as TOML writes it.
        (
            "from = 2026-12-01",
            3,
            'greetings: from must be a day like "12-01" (MM-DD), not 2026-12-01',
        ),
    ],
)
def test_invalid_greetings_settings(tmp_path: Path, table: str, line: int, message: str) -> None:
    root = write_files(tmp_path, {"netzwerk.toml": f'journal = ["Daily"]\n[greetings]\n{table}\n'})
    assert invoke("check", str(root)).stdout == f"netzwerk.toml:{line}: error: {message} [NW402]\n"


def test_no_greetings_when_switched_off(tmp_path: Path) -> None:
    root = write_files(tmp_path, {**GREET, "netzwerk.toml": "greetings = false\n"})
    assert section(digest(root, "2026-12-07"), "Greetings") is None


# ------------------------------------------------------------------ 5. trips and near


TRIP = {
    "Trips/Nice.md": (
        "---\nlocation: [Nice, Antibes]\nstart: 2026-12-05\nend: 2026-12-08\n---\n# Nice\n"
    ),
    "People/Paul.md": person(
        "100",
        last_contact="2026-07-06",
        location="Nice",
        needs="[young painters]",
        knows='["[[Chiara]]"]',
    ),
    "People/Léa.md": person("10", last_contact="2026-10-01", location="Côte d'Azur, NICE"),
    "People/Chiara.md": person(company='"[[Galerie du Port]]"', role="Painter"),
    "People/Far.md": person(location="Antibes"),  # nobody you know knows her
    "People/Vence.md": person("50", last_contact="2026-11-01", location="Venice"),
    "Companies/Galerie du Port.md": "---\nlocation: Antibes\n---\n# Galerie du Port\n",
}


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        ("2026-11-09", False),  # three weeks before the week it starts in
        ("2026-11-16", True),  # two weeks before 2026-W49
        ("2026-11-23", True),
        ("2026-11-30", True),  # it starts on Saturday 5 December
        ("2026-12-07", True),  # and ends on Tuesday 8 December, a week later
        ("2026-12-14", False),
    ],
)
def test_a_trip_spanning_two_weeks(tmp_path: Path, day: str, shown: bool) -> None:
    text = digest(write_files(tmp_path, TRIP), day)
    if not shown:
        assert section(text, "Trip") is None
        return
    trip = section(text, "Trip")
    assert trip is not None
    lines = trip.splitlines()
    assert lines[0] == "### [[Nice]] · Sat 5 Dec – Tue 8 Dec · Nice, Antibes"
    # Léa (Top 10, overdue) first, then Paul; Chiara two hops away through Paul, found by
    # her gallery's note; intros among them; Far (known by nobody) and Vence (Venice) not.
    assert lines[2].startswith("- [[Léa]] · Top 10 · Côte d'Azur, NICE · ")
    assert lines[3] == "- [[Paul]] · Top 100 · Nice"
    assert lines[4] == "- [[Chiara]] · Antibes (Galerie du Port) · two hops: through [[Paul]]"
    assert lines[5] == "- introduce: [[Paul]] needs young painters; [[Chiara]] works as Painter"
    assert "Far" not in trip and "Vence" not in trip


def test_a_trip_to_a_city_lists_the_first_few(tmp_path: Path) -> None:
    files = {
        f"People/Nice {n:02}.md": person(
            "50", last_contact=f"2026-0{n % 9 + 1}-01", location="Nice"
        )
        for n in range(12)
    }
    files["Trips/Nice.md"] = "---\nlocation: Nice\nstart: 2026-12-05\n---\n"
    trip = section(digest(write_files(tmp_path, files), "2026-11-23"), "Trip") or ""
    lines = [line for line in trip.splitlines() if line.startswith("- ")]
    # Ten, the most overdue first (the two of January), then one line for the rest.
    assert [line.split(" · ")[0] for line in lines[:2]] == ["- [[Nice 00]]", "- [[Nice 09]]"]
    assert len(lines) == 11
    assert lines[-1] == "- and 2 more you know there — netzwerk near Nice lists them"


def test_a_note_tagged_trip_elsewhere_and_broken_trips(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            **TRIP,
            "Trips/Nice.md": "---\nlocation: Nice\nstart: 2026-12-05\n---\n",
            "Notes/Lyon.md": "---\ntags: [trip]\nlocation: Lyon\nstart: 2026-11-26\n---\n",
            "Trips/Nowhere.md": "---\nstart: 2026-12-01\n---\n",
            "Trips/Backwards.md": "---\nlocation: Oslo\nstart: 2026-12-09\nend: 2026-12-01\n---\n",
            "Trips/Bad.md": "---\nlocation: Oslo\nstart: 2026-12-32\n---\n",
        },
    )
    text = digest(root, "2026-11-23")
    assert [line for line in (section(text, "Trip") or "").splitlines() if line[:4] == "### "] == [
        "### [[Lyon]] · Thu 26 Nov · Lyon",
        "### [[Nice]] · Sat 5 Dec · Nice",
    ]
    assert "Nobody you know lives there yet." in text
    assert invoke("check", str(root)).stdout.splitlines() == [
        "Trips/Backwards.md:4: warning: the trip ends before it starts: end 2026-12-01, "
        "start 2026-12-09 [NW216]",
        "Trips/Bad.md:3: error: start is not a date: '2026-12-32'; write YYYY-MM-DD [NW203]",
        "Trips/Nowhere.md: warning: a trip needs a location: the place it goes to, or a list of "
        "places [NW216]",
    ]


def test_near_a_place_ignoring_case_and_accents(tmp_path: Path) -> None:
    root = write_files(tmp_path, TRIP)
    result = invoke("--vault", str(root), "near", "nice")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "You know there",
        "  Léa   Top 10   Côte d'Azur, NICE  32 days overdue",
        "  Paul  Top 100  Nice               next due 2027-01-06",
    ]
    antibes = invoke("--vault", str(root), "near", "ANTIBES", "--format", "json")
    data = __import__("json").loads(antibes.stdout)
    assert [(p["name"], p["where"], p["through"]) for p in data["two_hops"]] == [
        ("Chiara", "Antibes (Galerie du Port)", "Paul")
    ]
    assert data["known"] == [] and data["intros"] == []
    assert invoke("--vault", str(root), "near", "côte d'azur").stdout.startswith(
        "You know there\n  Léa"
    )
    nowhere = invoke("--vault", str(root), "near", "Nic")
    assert (nowhere.exit_code, nowhere.stdout) == (1, "Nobody in your notes is in 'Nic'.\n")


def test_a_trip_and_near_name_the_people_you_want_to_meet_there(tmp_path: Path) -> None:
    # Tara, whom you want to meet, lives in Antibes: Paul knows her; Tom, also there, nobody.
    tara = person("target", location="Antibes", role="Curator")
    paul = TRIP["People/Paul.md"].replace('"[[Chiara]]"', '"[[Chiara]]", "[[Tara]]"')
    files = {**TRIP, "People/Paul.md": paul, "People/Tara.md": tara, "People/Tom.md": tara}
    root = write_files(tmp_path, files)
    trip = items(digest(root, "2026-11-30"), "Trip")
    assert "- [[Tara]] · Want to meet · Antibes · two hops: through [[Paul]]" in trip
    assert "- [[Tom]] · Want to meet · Antibes" in trip
    near = invoke("--vault", str(root), "near", "antibes")
    assert near.exit_code == 0
    assert near.stdout.split("\n\n")[1:] == [
        "You want to meet there\n  Tara  Antibes  through Paul\n  Tom   Antibes",
        "Also in your notes\n  Far  Antibes\n",
    ]
    data = __import__("json").loads(
        invoke("--vault", str(root), "near", "antibes", "--format", "json").stdout
    )
    assert [(p["name"], p["through"]) for p in data["want_to_meet"]] == [
        ("Tara", "Paul"),
        ("Tom", None),
    ]
    assert [p["name"] for p in data["others"]] == ["Far"]


# ------------------------------------------------------------------ 6. reconnect


def dormant(contacts: int, helped: int = 0, **keys: str) -> str:
    lines = [f"- 20{10 + n}-03-01 meet: long ago" for n in range(contacts)]
    lines += [f"- 2012-0{n + 1}-01 got: a favour" for n in range(helped)]
    return person("reserve", **keys, log="\n".join(lines) + "\n")


def reconnected(text: str) -> list[str]:
    return [line.split(" · ")[0][6:] for line in items(text, "Reconnect")]


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7])
def test_reconnect_never_suggests_someone_two_weeks_running(tmp_path: Path, size: int) -> None:
    root = write_files(tmp_path, {f"People/Old {n}.md": dormant(n + 1) for n in range(size)})
    weeks = [date(2026, 12, 21) + timedelta(weeks=n) for n in range(8)]  # across New Year
    chosen = [reconnected(digest(root, day.isoformat())) for day in weeks]
    if size == 1:  # alone: every other week
        assert [len(c) for c in chosen] in ([1, 0] * 4, [0, 1] * 4)
    else:  # one or two a week
        assert all(1 <= len(c) <= 2 for c in chosen)
    for before, after in pairwise(chosen):
        assert not set(before) & set(after), (before, after)
    # The same vault and day: the same choice.
    assert reconnected(digest(root, weeks[3].isoformat())) == chosen[3]


def test_reconnect_heeds_last_weeks_digest_and_prefers_trust_and_novelty(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "People/Mentor.md": dormant(6, helped=2, company="Fjordline", location="Bergen"),
            "People/Same.md": dormant(6, company="Acme", location="Berlin"),
            "People/Once.md": dormant(1),
            "People/Twice.md": dormant(2),
            "People/Now.md": person(
                "10", last_contact="2026-11-20", company="Acme", location="Berlin"
            ),
        },
    )
    first = reconnected(digest(root, "2026-11-23"))
    assert first == ["[[Mentor]]", "[[Same]]"]  # trust and novelty first
    write_digest(root, "2026-11-23")  # last week's digest names Mentor and Same …
    text = digest(root, "2026-11-30")
    assert not {"[[Mentor]]", "[[Same]]"} & set(reconnected(text))
    # Mentor, ticked there, is recorded as a contact, and stays ticked in that week.
    tick(root, "2026-W48", "Mentor", "Reconnect")
    write_digest(root, "2026-11-24")
    assert "- 2026-11-24: reconnected (digest 2026-W48)" in (root / "People/Mentor.md").read_text(
        "utf-8"
    )
    assert "- [x] [[Mentor]]" in (root / "Digests/2026-W48.md").read_text("utf-8")


def test_someone_talked_to_lately_is_no_dormant_tie(tmp_path: Path) -> None:
    # In Reserve, but a call five weeks ago: not dormant (three months at least).
    root = write_files(
        tmp_path,
        {
            "People/Lately.md": person("reserve", last_contact="2026-10-19"),
            "People/Long Ago.md": dormant(3),
        },
    )
    for day in ("2026-11-23", "2026-11-30", "2026-12-07"):
        assert "[[Lately]]" not in "".join(items(digest(root, day), "Reconnect"))
    # Three months on, the two take turns.
    later = [items(digest(root, day), "Reconnect") for day in ("2027-01-18", "2027-01-25")]
    assert "[[Lately]]" in "".join(later[0] + later[1])


# ------------------------------------------------------------------ 7. people to meet


TARGETS = {
    "People/Ingrid.md": person(
        "target",
        cadence="1w",
        next_contact="2026-11-24",
        role="Partner",
        company="Nordlys",
        knows='["[[Kari]]"]',
        log="- 2026-10-21 warmup: commented on her post\n- 2026-05-30 note: read about her\n",
    ),
    "People/Kari.md": person(knows='["[[Magnus]]"]'),
    "People/Magnus.md": person(),
    "People/Luke.md": person("100", last_contact="2026-05-28", knows='["[[Magnus]]"]'),
    "People/Ola.md": person("10", last_contact="2026-11-20", knows='["[[Kari]]"]'),
}


def test_a_target_is_never_due_and_warm_up_is_no_contact(tmp_path: Path) -> None:
    root = write_files(tmp_path, TARGETS)
    due = invoke("--vault", str(root), "due", "--format", "json").stdout
    assert "Ingrid" not in due
    card = invoke("--vault", str(root), "show", "Ingrid").stdout
    assert "last contact  never" in card and "next due      not scheduled" in card
    assert "Ingrid · Want to meet · People/Ingrid.md" in card


def test_show_says_when_there_is_no_warm_path_to_a_target(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"People/Lone.md": person("target"), "People/Ann.md": person()})
    card = invoke("--vault", str(root), "show", "Lone").stdout
    assert card.endswith("  paths\n    no warm path yet\n")
    assert "[[Lone]] · no warm path yet" in "".join(items(digest(root, "2026-11-23"), "Warm up"))
    assert "paths" not in invoke("--vault", str(root), "show", "Ann").stdout


def test_a_target_reached_through_a_due_contact(tmp_path: Path) -> None:
    root = write_files(tmp_path, TARGETS)
    # Ola (Top 10, met last week) is two hops from Ingrid; Luke (Top 100, due on Saturday)
    # three. The shortest path is warmest; Luke, due anyway, is worth asking this week.
    [line] = items(digest(root, "2026-11-23"), "Warm up")
    assert line == (
        "- [[Ingrid]] · Partner, Nordlys · path: [[Ola]] → [[Kari]] → [[Ingrid]] · last "
        "warm-up 2026-10-21 (4 weeks ago) — commented on her post · ask [[Luke]] about "
        "[[Magnus]] when you get in touch this week"
    )
    # The week after, Luke is no longer due (a tick or not, he is past), and Ola is: ask her.
    later = items(digest(root, "2026-12-07"), "Warm up")[0]
    assert "ask [[Ola]] about [[Kari]] when you get in touch this week" in later
    assert "(6 weeks ago)" in later
    card = invoke("--vault", str(root), "show", "Ingrid").stdout
    assert "  paths\n    1. Ola → Kari → Ingrid   2 hops\n" in card


def test_warm_up_asks_only_through_someone_the_digest_lists(tmp_path: Path) -> None:
    # Dana is due and knows Mo, who knows Tara; Olga, longer overdue, takes the budget of one.
    root = write_files(
        tmp_path,
        {
            "netzwerk.toml": "week_budget = 1\n",
            "People/Olga.md": person("10", last_contact="2027-01-04"),
            "People/Dana.md": person("50", last_contact="2026-12-20", knows='["[[Mo]]"]'),
            "People/Mo.md": person(knows='["[[Tara]]"]'),
            "People/Tara.md": person("target"),
        },
    )
    text = digest(root, "2027-03-01")
    assert [line.split(" · ")[0] for line in items(text, "Overdue")] == ["- [ ] [[Olga]]"]
    assert section(text, "Due this week") == (
        "The one this week can hold is overdue (above).\n\nand 1 more — netzwerk due lists them all"
    )
    [line] = items(text, "Warm up")
    assert "path: [[Dana]] → [[Mo]] → [[Tara]]" in line
    assert "ask " not in line
    # With room for both, Dana is listed and worth asking.
    (root / "netzwerk.toml").write_text("week_budget = 2\n", "utf-8")
    [line] = items(digest(root, "2027-03-01"), "Warm up")
    assert line.endswith(" · ask [[Dana]] about [[Mo]] when you get in touch this week")


def test_a_target_tier_with_a_cadence_is_reported(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"netzwerk.toml": '[tiers.target]\ncadence = "3w"\n'})
    assert invoke("check", str(root)).stdout == (
        "netzwerk.toml:2: error: tier 'target' is the people you want to meet, never due: it "
        "takes no cadence [NW402]\n"
    )


# ------------------------------------------------------------------ 8. drift


def rhythm(*days: str, tier: str = "50") -> str:
    return person(tier, log="".join(f"- {day} call: hi\n" for day in reversed(days)))


@pytest.mark.parametrize(
    ("days", "flagged"),
    [
        # Four contacts three weeks apart; seven weeks silent by 23 November: drifting.
        (("2026-08-10", "2026-08-31", "2026-09-21", "2026-10-05"), True),
        # Exactly twice the usual gap (6 weeks) is not yet more than twice.
        (("2026-08-17", "2026-09-07", "2026-09-28", "2026-10-12"), False),
        # Three contacts are no rhythm yet.
        (("2026-08-31", "2026-09-21", "2026-10-05"), False),
    ],
)
def test_drift_with_exactly_four_contacts(
    tmp_path: Path, days: tuple[str, ...], flagged: bool
) -> None:
    root = write_files(tmp_path, {"People/Tom.md": rhythm(*days)})
    review = invoke("--vault", str(root), "review").stdout
    text = digest(root, "2026-11-23")
    check = section(text, "Tier check") or ""
    if flagged:
        assert "Drifting\n  Tom  you usually talk every 3 weeks; it has been 7 weeks\n" in review
        assert "- [[Tom]]: you usually talk every 3 weeks; it has been 7 weeks" in check
    else:
        assert "Drifting\n  none" in review
        assert "usually talk" not in check


def test_someone_drifting_is_not_also_worth_a_closer_tier(tmp_path: Path) -> None:
    # Every two weeks, three of them in the last 90 days, then eight weeks of silence: a
    # promotion by the count, a drift by the rhythm. Only the drift is said, once.
    days = ("2026-08-17", "2026-08-31", "2026-09-14", "2026-09-28")
    root = write_files(
        tmp_path, {"People/Kim.md": rhythm(*days), "People/Lou.md": rhythm(*days[1:])}
    )
    args = ("--vault", str(root), "--today", "2026-11-23", "review")
    said = __import__("json").loads(invoke(*args, "--format", "json").stdout)
    assert [p["name"] for p in said["promote"]] == ["Lou"]
    assert [p["name"] for p in said["drift"]] == ["Kim"]
    check = items(digest(root, "2026-11-23"), "Tier check")
    assert check == [
        "- [[Kim]]: you usually talk every 2 weeks; it has been 8 weeks",
        "- [[Lou]]: 3 contacts in the last 90 days; Top 50 expects one every 2 months; "
        "consider Top 10",
    ]


def test_someone_drifting_by_today_is_not_worth_a_closer_tier_in_the_digest(
    tmp_path: Path,
) -> None:
    # Weekly calls, the last on 10 November: on Wednesday 25 November 15 days of silence,
    # twice the rhythm; on the week's Monday only 13.
    days = ("2026-10-20", "2026-10-27", "2026-11-03", "2026-11-10")
    root = write_files(tmp_path, {"People/Ida.md": rhythm(*days)})
    check = items(digest(root, "2026-11-25"), "Tier check")
    assert not any("consider Top 10" in line for line in check)
    review = invoke("--vault", str(root), "--today", "2026-11-25", "review").stdout
    assert "Drifting\n  Ida  you usually talk every 7 days; it has been 15 days\n" in review


def test_someone_drifting_since_the_week_began_is_listed_as_drifting(tmp_path: Path) -> None:
    # Weekly since September, the last call on 17 November: worth Top 50 on Monday 30
    # November; by Wednesday 15 days of silence, twice the rhythm. The digest then lists the
    # drift, as `review` does, rather than nothing.
    start = date(2026, 9, 1)
    days = [str(start + timedelta(weeks=n)) for n in range(12)]
    root = write_files(tmp_path, {"People/Fay.md": rhythm(*days, tier="100")})
    monday = items(digest(root, "2026-11-30"), "Tier check")
    assert monday == [
        "- [[Fay]]: 11 contacts in the last 90 days; Top 100 expects one every 6 months; "
        "consider Top 50"
    ]
    wednesday = items(digest(root, "2026-12-02"), "Tier check")
    assert wednesday == ["- [[Fay]]: you usually talk every 7 days; it has been 15 days"]


# ------------------------------------------------------------------ merging in git


def test_the_new_sections_merge_like_the_others() -> None:
    # Two devices tick different items of the week's new sections: git's merge keeps both.
    from netzwerk.merge import merge_digest

    golden = Path(__file__).resolve().parent / "golden" / "digest-2026-W48.md"
    base = golden.read_text("utf-8")
    ticks = {
        "laptop": ("- [ ] [[Henrik Dahl]]", "- [ ] ask [[Maximilian Vogt|Max]]"),
        "phone": ("- [ ] [[Lucía Navarro]] · first met", "- [ ] [[Søren Østergaard]] · Fri"),
    }

    def ticked(text: str, starts: tuple[str, ...]) -> str:
        for start in starts:
            assert start in text, start
            text = text.replace(start, "- [x]" + start[5:], 1)
        return text

    laptop, phone = ticked(base, ticks["laptop"]), ticked(base, ticks["phone"])
    result = merge_digest(base.encode(), laptop.encode(), phone.encode())
    assert result.conflicts == 0
    assert result.data.decode("utf-8") == ticked(laptop, ticks["phone"])


# ------------------------------------------------------------------ reading and the index


def test_the_index_keeps_tasks_trips_and_places(tmp_path: Path) -> None:
    import shutil

    from conftest import TODAY

    from netzwerk import app
    from netzwerk.model import OpenTask, Trip

    root = tmp_path / "vault"
    example = Path(__file__).resolve().parent.parent / "example-vault"
    shutil.copytree(example, root, ignore=shutil.ignore_patterns(".netzwerk"))
    read = app.open_vault(root, TODAY).snapshot  # every note parsed …
    kept = app.open_vault(root, TODAY).snapshot  # … then taken from the index
    assert kept == read
    notes = {note.path: note for note in kept.notes}
    trip = notes["Trips/Nice and Antibes.md"].trip
    assert trip == Trip(("Nice", "Antibes"), date(2026, 12, 4), date(2026, 12, 8))
    assert notes["Companies/Galerie du Port.md"].location == "Antibes"
    [daily] = [j for j in kept.journals if j.path == "Daily/2026-11-22.md"]
    assert daily.tasks == (
        OpenTask(
            "Daily/2026-11-22.md",
            7,
            "send [[Marie Dupont]] the address of the [[Galerie du Port]] in Antibes",
            date(2026, 11, 25),
            None,
            ("Marie Dupont", "Galerie du Port"),
        ),
    )
    henrik = next(c for c in kept.contacts if c.name == "Henrik Dahl")
    assert (henrik.greetings, henrik.address) == (True, ("Bryggen 12, 5003 Bergen, Norway",))


# ------------------------------------------------------------------ people who have died
# Real vaults keep the people they have lost (`deathday: 1852-11-27`). Their notes stay as they
# are; nothing of netzwerk suggests getting in touch with them, wishing them a happy birthday,
# asking them for an introduction or introducing them.

MOURNED = {
    # Ada has a tier, a birthday on Thursday of 2026-W50, a need Bob could meet, a gift she
    # gave; she is the only link between you and Ingrid, whom you want to meet.
    "People/Ada Lovelace.md": person(
        "100",
        birthday="1815-12-10",
        died="1852-11-27",
        needs="[a designer]",
        knows='["[[Ingrid Holm]]"]',
        log="- 2020-01-05 call: a long talk\n- 2024-05-01 got: a book\n",
    ),
    # Grace has no tier and is mentioned often: a tier check would suggest her.
    "People/Grace Hopper.md": person(died="true", birthday="1906-12-09", knows="[Ada Lovelace]"),
    "People/Bob Brown.md": person(
        "100", offers="[a designer]", knows='["[[Ada Lovelace]]"]', log="- 2020-01-05 call: x\n"
    ),
    "People/Ingrid Holm.md": person("target"),
    "Daily/2026-11-02.md": "[[Grace Hopper]] [[Grace Hopper]] [[Ada Lovelace]]\n",
}


def test_someone_who_died_is_never_due_greeted_wished_or_suggested(tmp_path: Path) -> None:
    root = write_files(tmp_path / "v", MOURNED)
    text = digest(root, "2026-12-07")
    assert "[[Bob Brown]]" in "".join(items(text, "Overdue"))  # (the same log, alive)
    everything = "\n".join(
        line for line in text.splitlines() if "[[Ada Lovelace]]" in line or "[[Grace" in line
    )
    assert everything == "", everything  # no due, birthday, greetings, tier check, warm-up ask
    assert "0 birthdays" in text
    assert "Bob Brown" in "".join(items(text, "Greetings"))
    due = invoke("--vault", str(root), "--today", "2026-12-07", "due")
    assert "Ada" not in due.stdout and "Bob Brown" in due.stdout
    # `review`: no tier suggested for Grace, no "give first" to Ada (she gave a book).
    review = invoke("--vault", str(root), "--today", "2026-12-07", "review")
    assert review.exit_code == 0, review.output
    assert "Grace" not in review.stdout and "Ada" not in review.stdout


def test_nobody_is_introduced_to_or_through_someone_who_died(tmp_path: Path) -> None:
    root = write_files(tmp_path / "v", MOURNED)
    intros = invoke("--vault", str(root), "--today", "2026-12-07", "intros")
    assert intros.exit_code == 0, intros.output
    assert "Ada" not in intros.stdout  # (her need, Bob's offer)
    path = invoke("--vault", str(root), "--today", "2026-12-07", "path", "Ingrid Holm")
    assert "Ada" not in path.stdout, path.stdout  # (Bob → Ada → Ingrid was the only way)
    warm = section(digest(root, "2026-12-07"), "Warm up") or ""
    assert "Ada" not in warm and "no warm path yet" in warm
    # Alive, Ada is the way, and her need is Bob's to meet: the same vault says so.
    alive = {k: v.replace("died: 1852-11-27\n", "") for k, v in MOURNED.items()}
    root = write_files(tmp_path / "alive", alive)
    intros = invoke("--vault", str(root), "--today", "2026-12-07", "intros")
    assert "Ada Lovelace" in intros.stdout and "Bob Brown" in intros.stdout
    path = invoke("--vault", str(root), "--today", "2026-12-07", "path", "Ingrid Holm")
    assert "Ada Lovelace" in path.stdout


def test_the_card_says_so_and_check_reads_what_died_holds(tmp_path: Path) -> None:
    files = {
        **MOURNED,
        # Each overdue but for `died`.
        "People/Carl.md": person("50", died="2031-01-01", log="- 2020-01-05 call: x\n"),
        "People/Dora.md": person("50", died="maybe", log="- 2020-01-05 call: x\n"),
        "People/Emil.md": person("50", died="1990", log="- 2020-01-05 call: x\n"),
    }
    root = write_files(tmp_path / "v", files)
    card = invoke("--vault", str(root), "--today", "2026-12-07", "show", "Ada Lovelace")
    assert re.search(r"^  died +1852-11-27$", card.stdout, re.M), card.stdout
    assert re.search(r"^  next due +never \(died\)$", card.stdout, re.M)
    card = invoke("--vault", str(root), "--today", "2026-12-07", "show", "Grace Hopper")
    assert re.search(r"^  died +yes$", card.stdout, re.M), card.stdout
    check = invoke("--vault", str(root), "--today", "2026-12-07", "check")
    assert check.stdout.splitlines() == [
        "People/Carl.md:3: warning: died is in the future: 2031-01-01 [NW212]",
        "People/Dora.md:3: error: died is not a date: 'maybe'; write YYYY-MM-DD, a year or true "
        "(read as died) [NW203]",
    ], check.stdout
    due = invoke("--vault", str(root), "--today", "2026-12-07", "due")
    assert "Carl" not in due.stdout and "Emil" not in due.stdout  # (taken as written)
    assert "Dora" not in due.stdout and "Bob Brown" in due.stdout


def test_init_maps_a_vaults_deathday(tmp_path: Path) -> None:
    files = {
        "people/Ada Lovelace.md": person(None, circle="inner", deathday="1852-11-27"),
        "people/Alan Kay.md": person(None, circle="inner", deathday=""),
        "people/Grace Hopper.md": person(None, circle="inner", deathday="1992"),
    }
    root = write_files(tmp_path / "v", files)
    made = invoke("--vault", str(root), "init")
    assert made.exit_code == 0, made.output
    assert "mapped deathday → died" in made.stdout
    assert 'died = "deathday"' in (root / "netzwerk.toml").read_text("utf-8")
    text = digest(root, "2026-12-07")
    assert "[[Alan Kay]]" in text and "Ada" not in text and "Grace" not in text


def test_the_budget_the_tiers_imply_leaves_out_those_who_died(tmp_path: Path) -> None:
    # Ten alive in Top 10 (every 3 weeks) imply 4 a week, so the budget is the least, 5; with
    # the thirty who died it would be 14.
    files = {
        f"People/Alive {i:02}.md": person("10", log="- 2025-01-05 call: x\n") for i in range(10)
    }
    files |= {f"People/Gone {i:02}.md": person("10", died="2001") for i in range(30)}
    text = digest(write_files(tmp_path / "v", files), "2026-12-07")
    assert len(items(text, "Overdue")) == 5
    assert "and 5 more" in text


def test_near_and_a_trip_leave_out_someone_who_died(tmp_path: Path) -> None:
    files = {
        "People/Ada Lovelace.md": person("100", location="Nice", died="1852"),
        "People/Bob Brown.md": person("100", location="Nice"),
        "People/Cleo.md": person("reserve", knows='["[[Dan]]"]', died="true"),
        "People/Dan.md": person(location="Nice"),
        "Trips/Nice.md": "---\nlocation: Nice\nstart: 2026-12-09\n---\n",
    }
    root = write_files(tmp_path / "v", files)
    near = invoke("--vault", str(root), "--today", "2026-12-07", "near", "nice")
    assert near.exit_code == 0, near.output
    assert "Bob Brown" in near.stdout and "Ada" not in near.stdout
    assert "Cleo" not in near.stdout  # (Dan is no one's two hops away but hers)
    trip = section(digest(root, "2026-12-07"), "Trip")
    assert trip is not None and "Bob Brown" in trip
    assert "Ada" not in trip and "Cleo" not in trip


def test_often_in_touch_before_they_died_is_no_case_for_a_tier(tmp_path: Path) -> None:
    often = "- 2026-10-01 call: x\n- 2026-10-08 call: x\n- 2026-10-15 call: x\n"
    files = {
        "People/Kim.md": person("50", died="2026-11-01", log=often),
        "People/Eve.md": person(died="2026-11-20", log=often),
        "People/Liv.md": person("50", log=often),  # (alive: the suggestion stays)
    }
    root = write_files(tmp_path / "v", files)
    review = invoke("--vault", str(root), "--today", "2026-12-07", "review")
    assert "Liv" in review.stdout and "Kim" not in review.stdout and "Eve" not in review.stdout
    check = section(digest(root, "2026-12-07"), "Tier check") or ""
    assert "Liv" in check and "Kim" not in check and "Eve" not in check


def test_a_died_value_netzwerk_cannot_read_still_means_they_died(tmp_path: Path) -> None:
    files = {
        "People/Opa.md": person("10", birthday="1950-12-09", died="27.11.2025"),
        "People/Oma.md": person("10", birthday="1950-12-10", died="[1990]"),
        "People/Ida.md": person("10", birthday="1950-12-11", died="2026-02-30"),
    }
    root = write_files(tmp_path / "v", files)
    check = invoke("--vault", str(root), "--today", "2026-12-07", "check")
    assert [line.rsplit("[", 1)[-1] for line in check.stdout.splitlines()] == [
        "NW203]",
        "NW204]",
        "NW203]",
    ], check.stdout
    assert "(read as died)" in check.stdout
    text = digest(root, "2026-12-07")
    assert "0 birthdays" in text and "Opa" not in text and "Oma" not in text


def test_capacity_and_tier_health_count_the_living(tmp_path: Path) -> None:
    files = {f"People/P{i}.md": person("10", log="- 2026-12-01 call: x\n") for i in range(10)}
    files["People/Mum.md"] = person("10", died="2026-10-01")
    files["People/Dad.md"] = person(died="2020")
    root = write_files(tmp_path / "v", files)
    review = invoke("--vault", str(root), "--today", "2026-12-07", "review")
    assert "Top 10 has 11" not in review.stdout and "over" not in review.stdout, review.stdout
    text = digest(root, "2026-12-07")
    assert '"Top 10 · 10/10 · 0 overdue" : 10' in text and "No tier" not in text


def test_a_died_date_still_to_come_is_reported_by_the_vaults_name(tmp_path: Path) -> None:
    files = {
        "netzwerk.toml": '[keys]\ndied = "deathday"\n',
        "People/A.md": person(deathday="2031"),
        "People/B.md": person(deathday="2027-03"),
        "People/C.md": person(deathday="2026-12"),  # (this month: not after today)
        "People/D.md": person(deathday="2027-01-05T10:00:00Z"),
    }
    root = write_files(tmp_path / "v", files)
    check = invoke("--vault", str(root), "--today", "2026-12-07", "check")
    assert check.stdout.splitlines() == [
        "People/A.md:2: warning: deathday is in the future: 2031 [NW212]",
        "People/B.md:2: warning: deathday is in the future: 2027-03 [NW212]",
        "People/D.md:2: warning: deathday is in the future: 2027-01-05 [NW212]",
    ], check.stdout


def test_init_maps_deceased_also_when_most_say_false(tmp_path: Path) -> None:
    files = {f"people/P{i}.md": person(None, circle="inner", deceased="false") for i in range(3)}
    files["people/Opa.md"] = person(None, circle="inner", deceased="true", birthday="1950-12-09")
    root = write_files(tmp_path / "v", files)
    made = invoke("--vault", str(root), "init")
    assert "mapped deceased → died" in made.stdout, made.stdout
    assert "Opa" not in digest(root, "2026-12-07")


def test_no_path_from_someone_who_died_and_no_paths_to_them(tmp_path: Path) -> None:
    files = {
        "People/Opa.md": person("10", died="2026-11-01", knows='["[[Tara]]"]'),
        "People/Tara.md": person("target", role="Investor"),
        "People/Tom.md": person("target", died="2020"),
    }
    root = write_files(tmp_path / "v", files)
    path = invoke("--vault", str(root), "--today", "2026-12-07", "path", "Tara", "--from", "Opa")
    assert path.exit_code == 1
    assert "Opa has died: nobody is introduced through them" in path.stderr
    card = invoke("--vault", str(root), "--today", "2026-12-07", "show", "Tom")
    assert "paths" not in card.stdout and "never (died)" in card.stdout
    found = invoke("--vault", str(root), "--today", "2026-12-07", "find", "--where", "died=true")
    assert "Tom" not in found.stdout  # (a year is no `true`)
    found = invoke("--vault", str(root), "--today", "2026-12-07", "find", "--where", "died=")
    assert "Opa" in found.stdout and "Tom" in found.stdout and "Tara" not in found.stdout


def test_greetings_go_to_the_most_distant_of_a_vaults_own_tiers(tmp_path: Path) -> None:
    # `init` leaves netzwerk's tiers out for the vault's own: the default Top 100 is none of
    # them, and the section would be gone without a word.
    files = {
        "netzwerk.toml": 'default_tiers = false\n[tiers.family]\ncadence = "2w"\n'
        '[tiers.professional]\ncadence = "90d"\n[tiers.dormant]\ncadence = "never"\n',
        "People/Marcus.md": person("family"),
        "People/Priya.md": person("professional"),
        "People/Old.md": person("dormant"),
    }
    root = write_files(tmp_path / "v", files)
    assert items(digest(root, "2026-12-07"), "Greetings") == ["- [ ] [[Priya]] · no address yet"]
    files["netzwerk.toml"] += '[greetings]\ntiers = ["family"]\n'
    root = write_files(tmp_path / "w", files)
    assert [i.split(" · ")[0] for i in items(digest(root, "2026-12-07"), "Greetings")] == [
        "- [ ] [[Marcus]]"
    ]


def test_path_to_a_surname_means_the_person_and_to_someone_who_died_says_so(
    tmp_path: Path,
) -> None:
    files = {
        # Linus is known first hand and his note mentions Stallman; Richard is one hop away.
        "People/Linus Torvalds.md": person("10", knows='["[[Bob]]"]') + "Argued with Stallman.\n",
        "People/Bob.md": person("50", knows='["[[Richard Stallman]]"]'),
        "People/Richard Stallman.md": person(),
        "People/Ada Lovelace.md": person(died="1852", knows='["[[Bob]]"]'),
    }
    root = write_files(tmp_path / "v", files)
    found = invoke("--vault", str(root), "--today", "2026-12-07", "path", "stallman")
    # Richard first, though Linus, whose note mentions him, is known first hand.
    assert found.stdout.splitlines()[0].startswith("1. Bob → Richard Stallman"), found.stdout
    assert "2. Linus Torvalds   you know them directly · matches note text" in found.stdout
    gone = invoke("--vault", str(root), "--today", "2026-12-07", "path", "Ada Lovelace")
    assert (gone.exit_code, gone.stdout) == (1, "Ada Lovelace has died: no introduction to them.\n")
    # Whoever knows the person named and mentions them keeps the chain to them.
    files["People/Bob.md"] = person("50", knows='["[[Richard Stallman]]"]') + "Met Stallman.\n"
    # Carl mentions him too, and is reached only through him: no way to Carl goes by him.
    files["People/Carl.md"] = person(knows='["[[Richard Stallman]]"]') + "Stallman's friend.\n"
    files["People/Dan.md"] = person("100", knows='["[[Richard Stallman]]"]')
    root = write_files(tmp_path / "w", files)
    found = invoke("--vault", str(root), "--today", "2026-12-07", "path", "stallman")
    lines = found.stdout.splitlines()
    assert lines[0] == "1. Bob → Richard Stallman   1 hop · matches name 'Richard Stallman'", lines
    assert any(line.endswith("Bob   you know them directly · matches note text") for line in lines)
    assert not any("Carl" in line for line in lines), lines
    # The words of a name in another order are still the name.
    found = invoke("--vault", str(root), "--today", "2026-12-07", "path", "stallman richard")
    assert "matches name 'Richard Stallman'" in found.stdout.splitlines()[0]


def test_near_finds_people_by_their_postal_address(tmp_path: Path) -> None:
    files = {
        "People/Jens.md": person("50", address='["Hafenstraße 3, 24944 Flensburg, Germany"]'),
        "People/Kai.md": person("50", location="Kiel"),
    }
    root = write_files(tmp_path / "v", files)
    near = invoke("--vault", str(root), "--today", "2026-12-07", "near", "flensburg")
    assert near.exit_code == 0, near.output
    assert "Jens" in near.stdout and "24944 Flensburg" in near.stdout and "Kai" not in near.stdout


def test_no_chain_to_someone_in_your_notes_says_why(tmp_path: Path) -> None:
    files = {"People/Carlo.md": person(), "People/Anna.md": person("10")}
    root = write_files(tmp_path / "v", files)
    found = invoke("--vault", str(root), "--today", "2026-12-07", "path", "Carlo")
    assert (found.exit_code, found.stdout) == (
        1,
        "No chain within 4 hops to 'Carlo': nobody you know (a tier or a contact) is linked "
        "that close.\n",
    )


def test_without_recent_contacts_nobody_is_outside_your_recent_circle(tmp_path: Path) -> None:
    # A vault of old notes: every tag, company and city would be "new" against no one.
    files = {
        "People/Jon.md": person(company="ISI", tags="[person]", log="- 1998-10-15 call: x\n"),
        "People/Ken.md": person(company="Bell", tags="[person]", log="- 2001-01-10 call: x\n"),
    }
    root = write_files(tmp_path / "v", files)
    lines = items(digest(root, "2026-12-07"), "Reconnect")
    assert lines and all("outside your recent circle" not in line for line in lines), lines
    files["People/Liv.md"] = person(company="Bell", tags="[person]", log="- 2026-11-30 call: x\n")
    lines = items(digest(write_files(tmp_path / "w", files), "2026-12-07"), "Reconnect")
    assert any("outside your recent circle: ISI" in line for line in lines), lines


def test_a_word_inside_a_name_ranks_no_higher_than_a_tag(tmp_path: Path) -> None:
    files = {
        "People/Piotr Zieliński.md": person("10"),
        "People/Emma.md": person("10", interests="[cross-country skiing]"),
        "People/Thomas Müller (Robert Bosch GmbH).md": person("50"),
        "People/Lea.md": person("10", knows='["[[Sara Klein]]"]'),
        "People/Sara Klein.md": person(company="Robert Bosch GmbH"),
    }
    root = write_files(tmp_path / "v", files)
    ski = invoke("--vault", str(root), "--today", "2026-12-07", "path", "ski").stdout
    assert "Emma" in ski and "part of name 'Piotr Zieliński'" in ski, ski
    bosch = invoke("--vault", str(root), "--today", "2026-12-07", "path", "bosch").stdout
    assert bosch.splitlines()[0].startswith("1. Thomas Müller (Robert Bosch GmbH)"), bosch
    assert "Lea → Sara Klein" in bosch
    # Someone who died and whose name holds the word leaves the others to be found.
    files["People/Piotr Zieliński.md"] = person("10", died="2026-10-01")
    root = write_files(tmp_path / "w", files)
    ski = invoke("--vault", str(root), "--today", "2026-12-07", "path", "ski")
    assert ski.exit_code == 0 and "Emma" in ski.stdout and "Piotr" not in ski.stdout


def test_without_a_top_100_greetings_go_to_the_longest_cadence(tmp_path: Path) -> None:
    files = {
        "netzwerk.toml": '[tiers]\n100 = false\n[tiers.close]\ncadence = "monthly"\n',
        "People/A.md": person("10"),
        "People/B.md": person("50"),
        "People/C.md": person("close"),
    }
    greeted = items(digest(write_files(tmp_path / "v", files), "2026-12-07"), "Greetings")
    assert [line.split(" · ")[0] for line in greeted] == ["- [ ] [[B]]"]
    # By cadence, not by the order the settings list the tiers in.
    files = {
        "netzwerk.toml": 'default_tiers = false\n[tiers.inner]\ncadence = "2w"\n'
        '[tiers.outer]\ncadence = "1y"\n[tiers.middle]\ncadence = "3m"\n',
        **{f"People/P-{t}.md": person(t) for t in ("inner", "outer", "middle")},
    }
    greeted = items(digest(write_files(tmp_path / "w", files), "2026-12-07"), "Greetings")
    assert [line.split(" · ")[0] for line in greeted] == ["- [ ] [[P-outer]]"]


def test_the_street_of_an_address_is_no_place(tmp_path: Path) -> None:
    files = {
        "People/Amy.md": person("50", address='["12 London Road, Brighton BN1 4JF, UK"]'),
        "People/Ben.md": person("50", address='["Ben Lane 3\\nLondon"]'),
        "People/Jens.md": person("50", address="24944 Flensburg, Germany"),
        "People/Lou.md": person("50", address="Paris, France"),
        "People/Aiko.md": person("50", address="1-2-3 Shibuya, Shibuya-ku, Tokyo 150-0002, Japan"),
        "People/Ola.md": person("50", address="ul. Marszałkowska 10, 00-950 Warszawa, Poland"),
        "People/Sam.md": person("50", address='"123 Main St New York NY 10001"'),
    }
    root = write_files(tmp_path / "v", files)

    def near(place: str) -> str:
        return invoke("--vault", str(root), "--today", "2026-12-07", "near", place).stdout

    assert "Ben" in near("london") and "Amy" not in near("london")
    assert "Amy" in near("brighton")
    assert "Jens" in near("flensburg") and "Lou" in near("paris")
    assert "Aiko" in near("tokyo") and "Ola" in near("warszawa") and "Sam" in near("new york")


def test_a_month_that_is_none_is_reported_once(tmp_path: Path) -> None:
    root = write_files(tmp_path / "v", {"People/A.md": person(died="2026-13")})
    check = invoke("--vault", str(root), "--today", "2026-12-07", "check")
    assert [line.rsplit(" ", 1)[-1] for line in check.stdout.splitlines()] == ["[NW203]"]


def test_edit_messages_call_people_by_their_name_property(tmp_path: Path) -> None:
    files = {
        "netzwerk.toml": '[keys]\ntier = "circle"\n',
        "People/Jane Doe - Acme Inc.md": "---\nname: Jane Doe\ncircle: 50\n---\n",
    }
    root = write_files(tmp_path / "v", files)
    said = [
        invoke("--vault", str(root), "--today", "2026-12-07", *args).stdout
        for args in (("tier", "Jane", "10"), ("snooze", "Jane", "2w"), ("pause", "Jane"))
    ]
    assert said == [
        "People/Jane Doe - Acme Inc.md: Jane Doe: circle 50 → 10\n",
        "People/Jane Doe - Acme Inc.md: snoozed Jane Doe until 2026-12-21\n",
        "People/Jane Doe - Acme Inc.md: paused Jane Doe\n",
    ]


def test_two_people_named_alike_are_both_reached_through_one_contact(tmp_path: Path) -> None:
    files = {
        "People/Otto.md": person("10"),
        "People/Anna Berg.md": person(knows='["[[Otto]]"]'),
        "People/Anna Moser.md": person(knows='["[[Otto]]"]'),
    }
    root = write_files(tmp_path / "v", files)
    found = invoke("--vault", str(root), "--today", "2026-12-07", "path", "anna").stdout
    assert "1. Otto → Anna Berg   1 hop" in found and "2. Otto → Anna Moser   1 hop" in found
