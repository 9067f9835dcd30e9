"""The digest of a new day, or after a few notes changed: made from everyone's kept Facts,
the same bytes as from scratch.

Each test copies example-vault/, makes its digest (which keeps the Facts), changes notes and
then compares the digest with one made from a copy without any cache, and checks which changes
must read the whole vault again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple
from unittest import mock

import pytest
from conftest import TODAY, invoke

from netzwerk import vault as vault_mod

EXAMPLE = Path(__file__).resolve().parent.parent / "example-vault"
HOUR = 3600


def age(path: Path, seconds: float) -> None:
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """example-vault/ with old mtimes, its digest made once (which keeps the state)."""
    root = tmp_path / "vault"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".netzwerk", "Digests"))
    for path in root.rglob("*"):
        if path.is_file():
            age(path, 2 * HOUR)
    result = invoke("--vault", str(root), "digest")
    assert result.exit_code == 0, result.output
    return root


def edit(root: Path, relative: str, change: Callable[[str], str]) -> None:
    """Change a note as an editor would; its mtime differs from the kept one."""
    path = root / relative
    path.write_text(change(path.read_text("utf-8")), "utf-8")
    age(path, HOUR)


class Made(NamedTuple):
    text: str  # the digest, as `digest --stdout` prints it
    stderr: str
    whole: bool  # whether every note was read again to make it


def digest(root: Path, *args: str, today: date = TODAY) -> Made:
    """`digest --stdout` (or with `args`), and whether it read the whole vault."""
    with mock.patch.object(vault_mod, "load", wraps=vault_mod.load) as load:
        result = invoke("--vault", str(root), "--today", today.isoformat(), "digest", *args)
    assert result.exit_code == 0, result.output
    return Made(result.stdout, result.stderr, load.called)


def quick(root: Path, today: date = TODAY) -> Made | None:
    """The digest if it was made from the kept Facts; None if it read the whole vault."""
    made = digest(root, "--stdout", today=today)
    return None if made.whole else made


def from_scratch(root: Path, today: date = TODAY) -> str:
    """The digest of a copy of the vault without any cache."""
    copy = root.parent / f"scratch-{time.monotonic_ns()}"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".netzwerk"))
    made = digest(copy, "--stdout", today=today)
    assert made.whole
    return made.text


def append(line: str) -> Callable[[str], str]:
    return lambda text: text.rstrip("\n") + "\n" + line + "\n"


def replace(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return change


MARIE = "People/Marie Dupont.md"

# Changes to one note that touch nobody else's share of the digest.
LOCAL = {
    "a call today": [(MARIE, append("- 2026-11-23 call: planned the workshop together"))],
    "tier changed": [(MARIE, replace("tier: 50", "tier: 10"))],
    "no tier": [(MARIE, replace("tier: 50\n", ""))],
    "snoozed": [(MARIE, replace("tier: 50", "tier: 50\nsnooze_until: 2026-12-24"))],
    "paused": [(MARIE, replace("tier: 50", "tier: 50\npaused: true"))],
    "interests": [(MARIE, replace("interests:", "interests:\n  - sailing"))],
    "birthday this week": [(MARIE, replace("birthday: 1988-04-02", "birthday: 1990-11-26"))],
    "an error": [(MARIE, replace("last_contact: 2026-09-14", "last_contact: someday"))],
    "got a favour": [(MARIE, append("- 2026-11-20 got: a lift to the station"))],
    # Issue 22: what the week's new sections read from one note.
    "an open task of her own": [(MARIE, append("- [ ] bring her the catalogue 📅 2026-11-26"))],
    "greetings wanted": [(MARIE, replace("tier: 50", "tier: 50\ngreetings: true"))],
    "a warm-up step": [
        ("People/Ingrid Halvorsen.md", append("- 2026-11-22 warmup: read her interview"))
    ],
    # Whom you know decides the Trip and Warm up sections, from the Facts: still one note.
    "first contact two hops away": [
        ("People/Chiara Conti.md", append("- 2026-11-21 call: about the summer show"))
    ],
    "a tier on a path": [
        ("People/Kari Solberg.md", replace("---\ncompany:", "---\ntier: 100\ncompany:"))
    ],
    "an interest of someone on a trip": [("People/Paul Martin.md", replace("pétanque", "boules"))],
}


@pytest.mark.parametrize("changes", LOCAL.values(), ids=list(LOCAL))
def test_a_local_change_gives_the_bytes_of_a_whole_digest(
    vault: Path, changes: list[tuple[str, Callable[[str], str]]]
) -> None:
    for relative, change in changes:
        edit(vault, relative, change)
    made = quick(vault)
    assert made is not None, "the whole vault was read"
    assert made.text == from_scratch(vault)


def test_problem_counts_follow_the_changed_note(vault: Path) -> None:
    assert quick(vault) is not None
    assert digest(vault, "--stdout").stderr == ""
    edit(vault, MARIE, replace("last_contact: 2026-09-14", "last_contact: someday"))
    made = quick(vault)
    assert made is not None
    check = invoke("--vault", str(vault), "check").stdout.splitlines()
    assert len(check) == 1 and ": error: " in check[0]
    assert made.stderr == "netzwerk: 1 error in the vault; run `netzwerk check`\n"
    # Fixed again: the count goes back.
    edit(vault, MARIE, replace("last_contact: someday", "last_contact: 2026-09-14"))
    again = quick(vault)
    assert again is not None and again.stderr == ""


def test_successive_changes_build_on_each_other(vault: Path) -> None:
    """Each digest keeps the Facts it changed, which the next one starts from."""
    people = sorted((vault / "People").glob("*.md"))[:6]
    for number, path in enumerate(people):
        edit(vault, path.relative_to(vault).as_posix(), append(f"- 2026-11-2{number} call: hi"))
        made = quick(vault)
        assert made is not None
        assert made.text == from_scratch(vault)


def test_the_command_takes_the_quick_way_and_writes_the_same_note(vault: Path) -> None:
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    assert not digest(vault).whole
    written = (vault / "Digests" / "2026-W48.md").read_text("utf-8")
    assert written == from_scratch(vault)
    assert "planned the workshop together" not in written  # not due any more: she was called
    assert "[[Marie Dupont]]" not in written.split("## Follow up")[0]  # (her open task stays)


# Changes that can touch other contacts' shares: the whole digest is made.
WHOLE = {
    "a link in a log line": (MARIE, append("- 2026-11-23 call: with [[Kari Solberg]]")),
    "a new alias": (MARIE, replace("  - Marie D.", "  - Marie D.\n  - Mimi")),
    "knows someone": (MARIE, replace("knows:", "knows:\n  - '[[Ingrid Halvorsen]]'")),
    "needs something": (MARIE, replace("needs:", "needs:\n  - a lawyer")),
    "a task that links someone": (MARIE, append("- [ ] call [[Paul Martin]] 📅 2026-11-27")),
    "someone to meet": (MARIE, replace("tier: 50", "tier: target")),
    "a task in a daily note": (
        "Daily/2026-11-22.md",
        replace("📅 2026-11-25", "📅 2026-11-24"),
    ),
    "a trip changed": ("Trips/Nice and Antibes.md", replace("  - Antibes\n", "")),
    "a company moved": ("Companies/Galerie du Port.md", replace("Antibes", "Cannes")),
}


@pytest.mark.parametrize("change", WHOLE.values(), ids=list(WHOLE))
def test_a_change_others_depend_on_makes_the_whole_digest(
    vault: Path, change: tuple[str, Callable[[str], str]]
) -> None:
    edit(vault, *change)
    made = digest(vault, "--stdout")
    assert made.whole
    assert made.text == from_scratch(vault)


def test_a_journal_note_or_a_new_note_makes_the_whole_digest(vault: Path) -> None:
    journal = sorted((vault / "Daily").glob("*.md"))[-1]
    edit(vault, journal.relative_to(vault).as_posix(), append("Met [[Marie Dupont]] again."))
    assert quick(vault) is None  # (and keeps the Facts anew)
    assert quick(vault) is not None
    new = vault / "People" / "Zoe Newcomer.md"
    new.write_text("---\ntier: top100\n---\n# Zoe\n", "utf-8")
    age(new, HOUR)
    assert quick(vault) is None


def test_another_day_reads_no_note_and_a_setting_reads_them_all(vault: Path) -> None:
    edit(vault, MARIE, append("- 2026-11-23 call: hi"))
    assert quick(vault) is not None
    for later in (date(2026, 11, 24), date(2026, 12, 3), date(2027, 1, 5)):
        made = quick(vault, later)
        assert made is not None, later
        assert made.text == from_scratch(vault, later)
    toml = vault / "netzwerk.toml"
    text = toml.read_text("utf-8")
    toml.write_text(text + "\n# a comment changes nothing\n", "utf-8")
    age(toml, HOUR)
    assert quick(vault) is not None
    toml.write_text(text.replace('cadence = "3w"', 'cadence = "2w"'), "utf-8")
    age(toml, HOUR)
    assert quick(vault) is None


def test_ticks_recorded_already_keep_the_quick_way_and_show_ticked(vault: Path) -> None:
    note = vault / "Digests" / "2026-W48.md"
    lines = note.read_text("utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("- [ ] [["))
    lines[first] = lines[first].replace("- [ ]", "- [x]", 1).rstrip("\n") + " ✅ 2026-11-22\n"
    note.write_text("".join(lines), "utf-8")
    result = invoke("--vault", str(vault), "digest")
    assert "recorded 2026-11-22" in result.stdout
    edit(vault, MARIE, append("- 2026-11-23 call: hi"))
    made = quick(vault)
    assert made is not None
    assert made.text == from_scratch(vault)
    assert "- [x] " in made.text and "✅ 2026-11-22" in made.text


def test_a_command_that_reads_the_notes_still_keeps_the_facts_of_the_rest(vault: Path) -> None:
    # `show` reads every note (for the card's connections); the Facts of everyone else are
    # still the kept ones, not made again from every note.
    from netzwerk import app

    edit(vault, "People/Marie Dupont.md", lambda t: t.replace("  - dogs", "  - sailing", 1))
    with mock.patch.object(app, "_whole", wraps=app._whole) as whole:
        shown = invoke("--vault", str(vault), "show", "Marie Dupont", "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert not whole.called
    assert '"sailing"' in shown.stdout
    assert quick(vault) is not None


def test_a_ticked_copy_of_a_task_and_a_greeting_keep_the_quick_way(vault: Path) -> None:
    """Ticks of the week's new sections: recorded (a greeting) or kept as they are (a task's
    copy), the quick digest the same bytes as a whole one."""
    december = date(2026, 11, 30)
    made = digest(vault, today=december)
    assert made.text.count("## Greetings") == 0  # (--stdout: not written yet)
    invoke("--vault", str(vault), "--today", december.isoformat(), "digest")
    note = vault / "Digests" / "2026-W49.md"
    text = note.read_text("utf-8")
    for start in ("- [ ] [[Paul Martin]] · paul", "- [ ] send [[Marie Dupont]]"):
        assert start in text, start
        text = text.replace(start, "- [x]" + start[5:], 1)
    note.write_text(text, "utf-8")
    result = invoke("--vault", str(vault), "--today", december.isoformat(), "digest")
    assert "recorded 2026-11-30 for Paul Martin: greetings (ticked in 2026-W49)" in result.stdout
    assert "Marie" not in result.stdout  # a task's copy: nothing recorded
    edit(vault, MARIE, append("- 2026-11-29 call: hello"))
    quicker = quick(vault, december)
    assert quicker is not None
    assert quicker.text == from_scratch(vault, december)
    assert "- [x] [[Paul Martin]] · paul" in quicker.text
    assert "- [x] send [[Marie Dupont]]" in quicker.text


def check(root: Path, today: date = TODAY) -> tuple[str, int, bool]:
    """`check`'s output and status, and whether it read the whole vault."""
    with mock.patch.object(vault_mod, "load", wraps=vault_mod.load) as load:
        result = invoke("--vault", str(root), "--today", today.isoformat(), "check")
    return result.output, result.exit_code, load.called


FUTURE = {
    **LOCAL,
    "a log line dated ahead": [(MARIE, append("- 2026-12-02 call: the vernissage"))],
    "last contact dated ahead": [
        (MARIE, replace("last_contact: 2026-09-14", "last_contact: 2026-11-30"))
    ],
}


@pytest.mark.parametrize("changes", FUTURE.values(), ids=list(FUTURE))
def test_check_after_a_local_change_reads_one_note_and_says_what_a_whole_check_says(
    vault: Path, changes: list[tuple[str, Callable[[str], str]]]
) -> None:
    for relative, change in changes:
        edit(vault, relative, change)
    output, code, whole = check(vault)
    assert not whole, "the whole vault was read"
    copy = vault.parent / "scratch"
    shutil.copytree(vault, copy, ignore=shutil.ignore_patterns(".netzwerk"))
    expected = check(copy)
    assert expected[2]
    assert (output, code) == expected[:2]


def test_a_date_in_the_future_is_a_problem_until_its_day_comes(vault: Path) -> None:
    edit(vault, MARIE, append("- 2026-11-25 call: the vernissage"))
    output, code, _ = check(vault)
    assert "log line is dated in the future: 2026-11-25 [NW212]" in output and code == 0
    assert "[NW212]" not in check(vault, date(2026, 11, 25))[0]
    # Back on an earlier day (`--today`): dated ahead again, and not yet a contact.
    assert "dated in the future: 2026-11-25" in check(vault, date(2026, 11, 24))[0]
    made = digest(vault, "--stdout", today=date(2026, 11, 24))
    assert made.text == from_scratch(vault, date(2026, 11, 24))


def test_an_earlier_day_does_not_count_a_contact_of_a_later_one(vault: Path) -> None:
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    assert quick(vault) is not None
    earlier = date(2026, 11, 22)
    assert digest(vault, "--stdout", today=earlier).text == from_scratch(vault, earlier)


def run(root: Path, *args: str) -> tuple[str, int, bool]:
    """A command's output and status, and whether it read the whole vault."""
    with mock.patch.object(vault_mod, "load", wraps=vault_mod.load) as load:
        result = invoke("--vault", str(root), "--today", TODAY.isoformat(), *args)
    return result.output, result.exit_code, load.called


def scratch(root: Path, *args: str) -> tuple[str, int]:
    copy = root.parent / f"scratch-{time.monotonic_ns()}"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".netzwerk"))
    output, code, whole = run(copy, *args)
    assert whole
    return output, code


NETWORK = (("hubs",), ("hubs", "--format", "json"), ("intros",), ("intros", "--format", "json"))


@pytest.mark.parametrize("args", NETWORK, ids=[" ".join(a) for a in NETWORK])
def test_hubs_and_intros_after_a_local_change_read_no_note(vault: Path, args: tuple[str]) -> None:
    assert run(vault, *args)[1] == 0  # (kept by what notes read from each other)
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    edit(vault, "People/Kari Solberg.md", replace("---\ncompany:", "---\ntier: 100\ncompany:"))
    output, code, whole = run(vault, *args)
    assert not whole, "the whole vault was read"
    assert (output, code) == scratch(vault, *args)
    if args[0] == "hubs":
        assert "Kari Solberg" in output and ("Top 100" in output or '"100"' in output)


SHARED = {
    "knows someone": (MARIE, replace("knows:", "knows:\n  - '[[Ingrid Halvorsen]]'")),
    "needs something": (MARIE, replace("needs:", "needs:\n  - an accountant for the gallery")),
    "offers something": ("People/Paul Martin.md", replace("offers:", "offers:\n  - accounting")),
    "a link in a log line": (MARIE, append("- 2026-11-23 call: with [[Kari Solberg]]")),
}


@pytest.mark.parametrize("change", SHARED.values(), ids=list(SHARED))
@pytest.mark.parametrize("args", [("hubs",), ("intros",)], ids=["hubs", "intros"])
def test_hubs_and_intros_follow_what_notes_read_from_each_other(
    vault: Path, args: tuple[str], change: tuple[str, Callable[[str], str]]
) -> None:
    before = run(vault, *args)[0]
    edit(vault, *change)
    output, code, _ = run(vault, *args)
    assert (output, code) == scratch(vault, *args)
    assert run(vault, *args)[:2] == (output, code)
    if change[0] == MARIE and "knows" in str(change[1]) and args == ("hubs",):
        assert output != before


def test_each_day_of_a_week_reads_no_note_and_few_facts(vault: Path) -> None:
    """The week's digest but its tier check is kept: the next days of the week make only the
    tier check, from the Facts of the people it may name, and write what a whole digest
    would."""
    from netzwerk import app
    from netzwerk import digest as digest_mod
    from netzwerk.network.review import may_change_tier
    from netzwerk.store import facts as kept_facts

    monday = date(2026, 11, 23)
    digest(vault, today=monday)
    everyone = app.open_vault(vault, monday).people().facts
    config = app.open_vault(vault, monday).config
    sunday = date(2026, 11, 29)
    named = {p.path for p in everyone if may_change_tier(p, config, monday, sunday)}
    assert named and len(named) < len(everyone)  # (the check below can fail)
    decode = kept_facts.Entry.facts
    decoded: list[str] = []

    def facts(entry: Any) -> Any:
        found = decode(entry)
        decoded.append(found.path if found is not None else "")
        return found

    for later in (date(2026, 11, 24), date(2026, 11, 26), sunday, monday):
        decoded.clear()

        with (
            mock.patch.object(app.Vault, "read", autospec=True) as read,
            mock.patch.object(app, "_whole") as whole,
            mock.patch.object(digest_mod, "build_week") as made,
            mock.patch.object(kept_facts.Entry, "facts", facts),
        ):
            result = invoke("--vault", str(vault), "--today", later.isoformat(), "digest")
        assert result.exit_code == 0, result.output
        assert not (read.called or whole.called or made.called), later
        assert set(decoded) <= named, later
        written = (vault / "Digests" / "2026-W48.md").read_text("utf-8")
        assert written == from_scratch(vault, later)


def test_a_tick_or_last_weeks_digest_makes_the_week_again(vault: Path) -> None:
    from netzwerk import app

    note = vault / "Digests" / "2026-W48.md"
    text = note.read_text("utf-8")
    assert "## Open tasks" in text or "## Follow up" in text
    start = text.index("- [ ] ", text.index("## Follow up"))
    note.write_text(text[:start] + "- [x] " + text[start + 6 :], "utf-8")
    age(note, HOUR)
    made = digest(vault, "--stdout", today=date(2026, 11, 24))
    assert made.text == from_scratch(vault, date(2026, 11, 24))
    # Last week's digest names whom it suggested to reconnect with: not twice running.
    last = vault / "Digests" / "2026-W47.md"
    invoke("--vault", str(vault), "--today", "2026-11-16", "digest")
    age(last, HOUR)
    with mock.patch.object(app, "_people", wraps=app._people) as people:
        made = digest(vault, "--stdout", today=date(2026, 11, 25))
    assert people.called
    assert made.text == from_scratch(vault, date(2026, 11, 25))


VICTOR = "People/Victor Lambert.md"
# Edits that keep every link a note makes but change who they connect (found in review).
REGROUPED = {
    "links of a log line regrouped": [
        (
            VICTOR,
            append(
                "- 2025-01-10 meet: dinner with [[Yuki Sato]] and [[Nora Haddad]]\n"
                "- 2025-01-11 meet: [[Camille Rousseau]]"
            ),
        ),
        (
            VICTOR,
            replace(
                "[[Yuki Sato]] and [[Nora Haddad]]\n- 2025-01-11 meet: [[Camille Rousseau]]",
                "[[Yuki Sato]]\n- 2025-01-11 meet: [[Camille Rousseau]] and [[Nora Haddad]]",
            ),
        ),
    ],
    "a relation named": [
        (VICTOR, append("\n## People\n- [[Tom Lambert]]\n- [[Ana Lambert]]")),
        (
            VICTOR,
            replace(
                "- [[Tom Lambert]]\n- [[Ana Lambert]]",
                "- son: [[Tom Lambert]]\n- daughter: [[Ana Lambert]]",
            ),
        ),
    ],
}


@pytest.mark.parametrize("steps", REGROUPED.values(), ids=list(REGROUPED))
def test_hubs_follow_links_regrouped_within_a_note(
    vault: Path, steps: list[tuple[str, Callable[[str], str]]]
) -> None:
    args = ("hubs", "--limit", "60")
    for relative, change in steps:
        edit(vault, relative, change)
        output, code, _ = run(vault, *args)
        assert (output, code) == scratch(vault, *args)
        assert digest(vault, "--stdout").text == from_scratch(vault)


def test_check_says_the_lines_of_problems_across_notes_as_they_are_now(vault: Path) -> None:
    edit(vault, MARIE, replace("  - Marie D.\n", "  - Marie D.\n  - Yuki\n"))
    edit(vault, "People/Yuki Sato.md", lambda t: t.replace("---\n", "---\naliases:\n  - Yuki\n", 1))
    output, _, _ = check(vault)
    assert "[NW302]" in output
    # Lines added above them: the same problems, on other lines.
    edit(vault, MARIE, replace("tier: 50\n", "tier: 50\nnickname: Mimi\nfavourite: blue\n"))
    edit(vault, "People/Yuki Sato.md", lambda t: t.replace("---\n", "---\nnickname: Yu\n", 1))
    output, code, _ = check(vault)
    copy = vault.parent / "scratch"
    shutil.copytree(vault, copy, ignore=shutil.ignore_patterns(".netzwerk"))
    assert (output, code) == check(copy)[:2]


def test_a_daily_note_changed_within_two_seconds_is_not_kept_by_its_stat(vault: Path) -> None:
    """Same size, same mtime (a coarse clock): what a note said while it was that recent is
    not kept under its size and mtime."""
    from netzwerk import store

    assert run(vault, "hubs")[1] == 0
    note = vault / "Daily" / "2026-11-22.md"
    text = note.read_text("utf-8")
    first, second = (
        text + f"\nSaw [[Yuki Sato]] with [[{n}]].\n" for n in ("Nora Haddad", "Paul Martin")
    )
    assert len(first.encode()) == len(second.encode())
    note.write_text(first, "utf-8")
    age(note, HOUR)
    stamp = note.stat().st_mtime_ns
    # A run one second after the write: the note is too recent to be known by its stat.
    with mock.patch.object(store.time, "time_ns", return_value=stamp + 1_000_000_000):
        assert run(vault, "hubs")[1] == 0
        assert run(vault, "intros")[1] == 0
    note.write_text(second, "utf-8")
    os.utime(note, ns=(stamp, stamp))
    for args in (("hubs",), ("intros",)):
        assert run(vault, *args)[:2] == scratch(vault, *args)


@pytest.mark.parametrize(
    ("today", "week"),
    [("2026-12-20", "2026-W48"), ("2026-11-23", "2026-W52"), ("2026-11-16", "2026-W48")],
)
def test_the_tier_check_of_another_week_is_the_one_of_today(
    vault: Path, today: str, week: str
) -> None:
    day = date.fromisoformat(today)
    for _ in range(2):  # made, then kept
        made = digest(vault, "--stdout", "--week", week, today=day)
        copy = vault.parent / f"scratch-{time.monotonic_ns()}"
        shutil.copytree(vault, copy, ignore=shutil.ignore_patterns(".netzwerk"))
        assert made.text == digest(copy, "--stdout", "--week", week, today=day).text
    # The tier check's suggestions are `review`'s of that day (the first of each kind).
    found = json.loads(
        invoke("--vault", str(vault), "--today", today, "review", "--format", "json").stdout
    )
    check = made.text.split("## Tier check", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^- .*?\[\[([^\]|]+)", check, re.MULTILINE)
    for kind in ("promote", "demote"):
        for suggestion in found[kind][:10]:
            assert suggestion["name"] in listed, (kind, suggestion["name"])


def test_a_kept_week_that_is_no_digest_is_made_again(vault: Path) -> None:
    import marshal
    import sqlite3

    expected = digest(vault, "--stdout").text
    db = sqlite3.connect(vault / ".netzwerk" / "results.sqlite")
    rows = db.execute("SELECT key FROM results").fetchall()
    wrong = [
        (0, 0, 0, 0, ("tuple", (("map", ()),))),  # no WeekParts at all
        (0, 0, 0, 0, ("WeekParts", (("tuple", ()), ("tuple", ())))),  # one of the wrong parts
    ]
    for value in wrong:
        with db:
            for (key,) in rows:
                db.execute(
                    "UPDATE results SET value = ? WHERE key = ?", (marshal.dumps(value), key)
                )
        result = invoke("--vault", str(vault), "--today", "2026-11-24", "digest", "--stdout")
        assert result.exit_code == 0, result.output
        assert result.stdout == from_scratch(vault, date(2026, 11, 24))
    db.close()
    assert expected


def test_a_dry_run_after_a_digest_would_change_nothing(vault: Path) -> None:
    """`digest --dry-run` shows what `digest` would write: the Trip and Warm up sections too."""
    written = (vault / "Digests" / "2026-W48.md").read_text("utf-8")
    assert "## Trip" in written and "## Warm up" in written
    result = invoke("--vault", str(vault), "digest", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "## Trip" not in result.stdout and "## Warm up" not in result.stdout
    assert (vault / "Digests" / "2026-W48.md").read_text("utf-8") == written


FINDS = (
    ("find", "gallery"),
    ("find", "marie"),
    ("find", "workshop together", "--format", "json"),
    ("find", "nice", "--tag", "art"),
    ("find", "zzz-nobody"),
)


PATHS = (
    ("path", "Ingrid Halvorsen"),
    ("path", "investor", "--format", "json"),
    ("path", "gallery"),
    ("path", "Kari", "--max-hops", "2"),
    ("path", "Ingrid", "--from", "Łukasz Wójcik"),
    ("path", "Lea Hoffmann"),
    ("path", "lea hoffmann", "--format", "json"),
    ("path", "nobody at all"),
    ("show", "Ingrid Halvorsen"),  # (someone you want to meet: with the paths to them)
    ("show", "Ingrid Halvorsen", "--format", "json"),
)


@pytest.mark.parametrize("args", FINDS + PATHS, ids=[" ".join(a) for a in FINDS + PATHS])
def test_find_and_path_after_a_local_change_read_a_part_and_say_what_a_whole_vault_says(
    vault: Path, args: tuple[str, ...]
) -> None:
    run(vault, *args)  # (keeps every note's light form)
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together in Nice"))
    edit(vault, "People/Paul Martin.md", replace("pétanque", "the gallery's garden"))
    edit(vault, "People/Magnus Eriksson.md", append("- 2026-11-22 meet: coffee at the station"))
    output, code, whole = run(vault, *args)
    assert not whole, "the whole vault was read"
    assert (output, code) == scratch(vault, *args)


def test_find_follows_notes_added_removed_and_changed_into_no_contact(vault: Path) -> None:
    assert "Marie Dupont" in run(vault, "find", "marie")[0]
    # (A renamed note changes what others read: the whole vault is read for the counts.)
    (vault / "People" / "Marie Dupont.md").rename(vault / "People" / "Maria Dupont.md")
    edit(vault, "People/Paul Martin.md", append("Marie's cousin, says Marie."))
    output, code, _ = run(vault, "find", "marie")
    assert "Maria Dupont" in output and "Paul Martin" in output
    assert "Marie Dupont" not in output
    assert (output, code) == scratch(vault, "find", "marie")
    # A note that is nobody's any more (`contacts_where` aside: it leaves the people folder).
    (vault / "People" / "Maria Dupont.md").rename(vault / "Maria Dupont.md")
    assert "Maria Dupont" not in run(vault, "find", "marie")[0]
    assert run(vault, "find", "marie")[:2] == scratch(vault, "find", "marie")


@pytest.mark.parametrize(
    "damage", ["DROP TABLE light", "UPDATE light SET data = x'00ff'"], ids=["gone", "damaged"]
)
def test_find_reads_the_notes_again_when_their_light_forms_are_gone(
    vault: Path, damage: str
) -> None:
    import sqlite3

    run(vault, "find", "gallery")
    db = sqlite3.connect(vault / ".netzwerk" / "index.sqlite")
    with db:
        db.execute(damage)
    db.close()
    edit(vault, MARIE, append("- 2026-11-23 call: at the gallery"))  # (else the output is kept)
    output, code, _ = run(vault, "find", "gallery")
    assert (output, code) == scratch(vault, "find", "gallery")
    edit(vault, MARIE, append("- 2026-11-23 call: at the gallery again"))
    output, code, whole = run(vault, "find", "gallery")
    assert not whole, "the texts were not kept again"
    assert (output, code) == scratch(vault, "find", "gallery")


SHOWN = ("Marie", "Jonas Becker", "Maximilian Vogt", "Werner Albrecht", "Ayşe Yılmaz", "kari")


@pytest.mark.parametrize("name", SHOWN)
def test_show_after_a_local_change_reads_that_note_and_shows_what_a_whole_show_shows(
    vault: Path, name: str
) -> None:
    run(vault, "show", name)  # (keeps every note's light form)
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    edit(vault, "People/Jonas Becker.md", append("- 2026-11-22 meet: coffee at the station"))
    for args in (("show", name), ("show", name, "--format", "json")):
        output, code, whole = run(vault, *args)
        assert not whole, "the whole vault was read"
        assert (output, code) == scratch(vault, *args)
        assert code == 0


def test_a_name_that_means_no_one_or_several_says_what_a_whole_vault_says(vault: Path) -> None:
    run(vault, "show", "Marie")
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    for name in ("Mari Dupond", "Albrecht", "nobody at all"):
        output, code, _ = run(vault, "show", name)
        assert code != 0
        assert (output, code) == scratch(vault, "show", name)


def test_show_names_someone_without_a_note_as_the_whole_vault_first_spells_them(
    vault: Path,
) -> None:
    # Chiara (not connected to Jonas) comes first: the node is spelled as she links it.
    edit(vault, "People/Chiara Conti.md", append("## People\n\n- colleague: [[tom baker]]"))
    edit(vault, "People/Jonas Becker.md", append("## People\n\n- colleague: [[Tom Baker]]"))
    run(vault, "show", "Jonas Becker")  # (reads every note: what others read changed)
    coffee = "## Log\n- 2026-11-22 meet: coffee at the station\n"
    edit(vault, "People/Jonas Becker.md", replace("## Log\n", coffee))
    output, code, whole = run(vault, "show", "Jonas Becker")
    assert not whole, "the whole vault was read"
    assert "tom baker" in output and "Tom Baker" not in output
    assert (output, code) == scratch(vault, "show", "Jonas Becker")


def test_a_damaged_entry_of_the_kept_facts_is_made_again_from_the_notes(vault: Path) -> None:
    import sqlite3

    db = sqlite3.connect(vault / ".netzwerk" / "facts.sqlite")
    with db:
        db.execute("UPDATE entries SET kept = x'00ff' WHERE path = ?", (MARIE,))
    db.close()
    for args in (("show", "Marie"), ("review",), ("due",)):
        assert run(vault, *args)[:2] == scratch(vault, *args)
    with sqlite3.connect(vault / ".netzwerk" / "facts.sqlite") as db:
        db.execute("UPDATE entries SET kept = x'00ff' WHERE path = ?", (MARIE,))
    db.close()
    edit(vault, MARIE, append("- 2026-11-23 call: at the gallery"))  # (its Cross is read too)
    for args in (("find", "gallery"), ("check",), ("show", "Jonas Becker")):
        assert run(vault, *args)[:2] == scratch(vault, *args)
    assert digest(vault, "--stdout").text == from_scratch(vault)


def test_show_of_a_name_used_twice_has_the_connections_of_both_notes(vault: Path) -> None:
    other = vault / "People" / "Work" / "Marie Dupont.md"
    other.write_text("---\ntier: 100\naliases:\n  - MD2\n---\n", "utf-8")
    age(other, 2 * HOUR)
    run(vault, "show", "MD2")  # (reads every note: a note was added)
    edit(vault, "People/Paul Martin.md", append("- 2026-11-23 call: about the show"))
    output, code, whole = run(vault, "show", "MD2")
    assert not whole, "the whole vault was read"
    assert (output, code) == scratch(vault, "show", "MD2")


def test_a_damaged_light_form_is_made_again(vault: Path) -> None:
    import sqlite3

    run(vault, "find", "gallery")
    with sqlite3.connect(vault / ".netzwerk" / "index.sqlite") as db:
        db.execute("UPDATE light SET text = x'00ff' WHERE path = ?", (MARIE,))
    db.close()
    edit(vault, "People/Paul Martin.md", append("- 2026-11-23 call: about the gallery"))
    for args in (("find", "gallery"), ("show", "Jonas Becker")):
        assert run(vault, *args)[:2] == scratch(vault, *args)


def test_path_through_and_to_someone_without_a_note_reads_a_part(vault: Path) -> None:
    # Sven has no note: Ingrid (whom you want to meet) knows him, and so does Paul.
    edit(vault, "People/Ingrid Halvorsen.md", replace("knows:", "knows:\n  - '[[sven olsen]]'"))
    edit(vault, "People/Paul Martin.md", append("## People\n\n- friend: [[Sven Olsen]]"))
    commands = (("path", "Ingrid Halvorsen"), ("path", "Sven Olsen"), ("show", "Ingrid"))
    for args in commands:
        run(vault, *args)  # (reads every note: what others read changed)
    edit(vault, "People/Paul Martin.md", append("- 2026-11-22 meet: coffee at the station"))
    # (A note with a link to no note is read with every other: the kept state, not the path.)
    run(vault, "check")
    for args in commands:
        output, code, whole = run(vault, *args)
        assert not whole, ("the whole vault was read", args)
        assert (output, code) == scratch(vault, *args)
        assert "Paul Martin → sven olsen" in output or "1. Paul Martin" in output


def _random_vault(root: Path, seed: int) -> tuple[list[str], list[str]]:
    """A vault of people who know each other in every way a note can say so: its contacts'
    names and the names without a note that its links use."""
    import random

    rng = random.Random(seed)
    firsts = ["Anna", "Émile", "Jonas", "Kari", "Lea", "Mia", "Nils", "Oona", "Ravi", "Tomás"]
    lasts = ["Berg", "Roux", "Weiß", "Dahl", "Sørensen", "Ek", "Iyer"]
    pool = [f"{first} {last}" for first in firsts for last in lasts]
    people = rng.sample(pool, rng.randint(20, 40))
    strangers = ["Zed Quinn", "Yara Vidal", "Xavi Puig", "Wim Olsen"]
    everyone = people + strangers

    def spelled(name: str) -> str:
        return rng.choice([name, name.lower(), name.upper()])

    # Mostly people you do not know first hand: chains run through them.
    tiers = ["10", "100", "target", None, None, None, None, None, None]
    files: dict[str, str] = {}
    for name in people:
        front = []
        tier = rng.choice(tiers)
        if tier:
            front.append(f"tier: {tier}")
        if rng.random() < 0.3:
            front.append(f"role: {rng.choice(['investor', 'gallery owner', 'lawyer'])}")
        if rng.random() < 0.2:
            front.append(f"aliases:\n  - {name.split()[0]}")
        known = rng.sample([p for p in everyone if p != name], rng.randint(0, 2))
        if known:
            front.append("knows:\n" + "".join(f"  - '[[{spelled(k)}]]'\n" for k in known))
        if rng.random() < 0.2:
            front.append(f"introduced_by: '[[{spelled(rng.choice(everyone))}]]'")
        body = ["## Log"]
        for day in rng.sample(range(1, 28), rng.choice([0, 0, 0, 0, 0, 1, 2])):
            linked = rng.sample(everyone, rng.randint(0, 2))
            links = " ".join(f"[[{spelled(p)}]]" for p in linked)
            body.append(f"- 2026-10-{day:02} {rng.choice(['call', 'meet'])}: {links} investor")
        if rng.random() < 0.3:
            body.append(f"\n## People\n\n- colleague: [[{spelled(rng.choice(everyone))}]]")
        text = "---\n" + "\n".join(f.rstrip("\n") for f in front) + "\n---\n"
        files[f"People/{name}.md"] = text + "\n".join(body) + "\n"
    for name in rng.sample(people, 2):  # a name used twice: one node, the last note's
        alias = rng.choice(strangers)
        tier = rng.choice(["tier: 10\n", ""])
        files[f"People/Work/{name}.md"] = f"---\n{tier}aliases:\n  - {alias}\n---\n"
    for name in rng.sample(people, 3):  # meeting notes, one named like a contact
        day = rng.choice(["2026-10-05", "2026-12-01"])
        linked = "".join(f"  - '[[{spelled(p)}]]'\n" for p in rng.sample(everyone, 2))
        files[f"Meetings/{name}.md"] = f"---\ndate: {day}\npeople:\n{linked}---\nA meeting.\n"
    for day in range(1, 6):
        linked = rng.sample(everyone, rng.randint(0, 3))
        files[f"Daily/2026-11-{day:02}.md"] = " ".join(f"[[{spelled(p)}]]" for p in linked) + "\n"
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        age(path, 2 * HOUR)
    return people, strangers


@pytest.mark.parametrize("seed", range(10))
def test_path_from_a_part_of_the_graph_is_the_path_of_the_whole(tmp_path: Path, seed: int) -> None:
    from netzwerk import app

    root = tmp_path / "vault"
    people, strangers = _random_vault(root, seed)
    run(root, "path", "investor")  # (keeps every note's light form)
    edit(root, f"People/{people[0]}.md", append("- 2026-11-20 call: a local change"))
    run(root, "check")  # (a note with a link to no note is read with every other: the state)
    whole = app.open_vault(root, TODAY)
    assert whole.snapshot  # (loaded: the whole graph)
    targets = [*people[:12], *(s.lower() for s in strangers), "investor", "Anna", "nobody"]
    for target in targets:
        for start, hops in ((None, 1), (None, 4), (people[1], 2), (people[-1], 4)):
            part = app.open_vault(root, TODAY)
            found = chains(part, target, start, hops)
            # (A name that means several: the whole vault names them, as `show` does.)
            assert part._loaded is None or isinstance(found, str), "the whole vault was read"
            assert found == chains(whole, target, start, hops), (seed, target, start, hops)


def chains(vault: Any, target: str, start: str | None, hops: int) -> object:
    """What `path TARGET --from START --max-hops HOPS` finds, or the problem it reports."""
    from netzwerk import app
    from netzwerk.problems import Refused

    try:
        return app.paths(vault, target, from_name=start, max_hops=hops)
    except Refused as problem:  # (a name used twice, given as --from)
        return str(problem)


@pytest.mark.parametrize("seed", range(4))
def test_path_that_would_read_a_large_part_reads_the_whole_graph_and_finds_the_same(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netzwerk import app

    root = tmp_path / "vault"
    people, strangers = _random_vault(root, seed)
    run(root, "path", "investor")  # (keeps every note's light form)
    edit(root, f"People/{people[0]}.md", append("- 2026-11-20 call: a local change"))
    run(root, "check")
    monkeypatch.setattr(app, "MAX_AROUND", 1)  # (at most a quarter of the notes: 10 or so)
    read_whole = 0
    whole = app.open_vault(root, TODAY)
    assert whole.snapshot
    for target in [*people[:8], strangers[0].lower(), "investor"]:
        part = app.open_vault(root, TODAY)
        found = chains(part, target, None, 4)
        read_whole += part._loaded is not None
        assert found == chains(whole, target, None, 4), (seed, target)
    assert read_whole


def test_path_through_a_meeting_note_named_like_a_contact_reads_a_part(vault: Path) -> None:
    # A meeting note of Ingrid's, named after her: it connects her with Marta.
    meeting = vault / "Meetings" / "Ingrid Halvorsen.md"
    meeting.parent.mkdir(exist_ok=True)
    meeting.write_text(
        "---\ndate: 2026-12-01\npeople:\n  - '[[Ingrid Halvorsen]]'\n  - '[[Marta Kowalska]]'\n"
        "---\nPlanned: the fjord project.\n",
        "utf-8",
    )
    age(meeting, 2 * HOUR)
    commands = (("path", "Ingrid Halvorsen"), ("show", "Marta Kowalska"))
    for args in commands:
        run(vault, *args)  # (reads every note: a note was added)
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    for args in commands:
        output, code, whole = run(vault, *args)
        assert not whole, "the whole vault was read"
        assert (output, code) == scratch(vault, *args)
        assert "Meetings/Ingrid Halvorsen.md" in output


def test_path_after_an_edit_this_very_moment_or_to_nobody_reads_no_whole_vault(
    vault: Path,
) -> None:
    run(vault, "path", "Ingrid Halvorsen")  # (keeps every note's light form)
    path = vault / "People" / "Ingrid Halvorsen.md"
    path.write_text(path.read_text("utf-8") + "- 2026-11-20 warmup: liked her post\n", "utf-8")
    # (Changed too recently for the index to keep it: read in this command, used as read.)
    for args in (("path", "Ingrid Halvorsen"), ("path", "[[]]"), ("path", " ")):
        output, code, whole = run(vault, *args)
        assert not whole, ("the whole vault was read", args)
        assert (output, code) == scratch(vault, *args)


@pytest.mark.parametrize("linked", [False, True], ids=["a subfolder", "a linked folder"])
def test_a_template_included_from_a_subfolder_is_followed_when_it_changes(
    vault: Path, linked: bool
) -> None:
    """The vault's digest template may include others from a folder of its templates folder,
    also one linked there from elsewhere in the vault: a change to them shows in the next
    digest, as to the template itself."""
    templates = vault / "Templates" / "netzwerk"
    parts = vault / "Snippets" if linked else templates / "parts"
    parts.mkdir(parents=True)
    if linked:
        (templates / "parts").symlink_to(parts, target_is_directory=True)
    (templates / "digest.md.j2").write_text(
        "# {{ title }}\n{% include 'parts/footer.j2' %}\n", "utf-8"
    )
    footer = parts / "footer.j2"
    footer.write_text("one\n", "utf-8")
    for path in (templates / "digest.md.j2", footer, *(vault / "Digests").iterdir()):
        age(path, HOUR)  # (old enough for what was made from them to be kept)
    assert "\none\n## Notes" in digest(vault, "--stdout").text
    footer.write_text("two\n", "utf-8")
    age(footer, HOUR / 2)
    assert "\ntwo\n## Notes" in digest(vault, "--stdout").text
    # And when only the data changed, the same template gives the data's new text.
    edit(vault, MARIE, replace("tier: 50", "tier: 10"))
    assert digest(vault, "--stdout").text == from_scratch(vault)


def test_a_digest_whose_data_did_not_change_shows_its_notes_as_they_are_now(
    vault: Path,
) -> None:
    """An edit that changes nothing the digest shows renders nothing again; the note's own
    `## Notes` section, edited meanwhile, is still the one shown, and a changed template
    is rendered as it is now."""
    note = vault / "Digests" / "2026-W48.md"
    first = digest(vault, "--stdout").text
    # Her interests are shown nowhere this week: the digest's data is the same.
    edit(vault, "People/Yuki Sato.md", append("- 2019-01-01 note: likes tea"))
    assert digest(vault, "--stdout").text == first == from_scratch(vault)
    note.write_text(note.read_text("utf-8") + "\nCall the gallery first.\n", "utf-8")
    age(note, HOUR)
    edit(vault, "People/Yuki Sato.md", append("- 2019-01-02 note: and green tea"))
    made = digest(vault, "--stdout").text
    assert made == first + "\nCall the gallery first.\n"
    template = vault / "Templates" / "netzwerk" / "digest.md.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text("# {{ title }}\n\n## Notes\n", "utf-8")
    age(template, HOUR)
    assert digest(vault, "--stdout").text == (
        "# Week 2026-W48 · 23–29 November 2026\n\n## Notes\n\n<!-- Your notes: netzwerk keeps "
        "this section as it is. -->\n\nCall the gallery first.\n"
    )


def test_the_tier_check_of_each_day_lists_and_counts_what_review_would(vault: Path) -> None:
    """Of the people without a tier and the people drifting, the kept week holds only those
    the tier check can show; as the days pass, people move from these lists to a suggestion
    (a contact leaves the window of 90 days, a silence grows past three cadences), and every
    day lists the first ten of each and counts the rest as a digest from scratch does."""
    from netzwerk import digest as digest_mod

    people = vault / "People"
    log = "\n## Log\n"
    for k in range(20):  # no tier, no contact: listed by name
        (people / f"Q{k:02d}.md").write_text("---\ncompany: Q\n---\n", "utf-8")
    for k in range(7):  # no tier, three contacts: worth Top 100 until the first gets old
        first = date.fromordinal(date(2026, 8, 26).toordinal() + k).isoformat()
        contacts = f"- {first} call: a\n- 2026-10-01 call: b\n- 2026-11-01 call: c\n"
        (people / f"Q{2 * k:02d}x.md").write_text(f"---\ncompany: Q\n---{log}{contacts}", "utf-8")
    for k in range(20):  # Top 10, weekly until silent: drifting, some beyond three cadences
        last = date(2026, 9, 22).toordinal() + k
        contacts = "".join(f"- {date.fromordinal(last - 7 * n)} call: x\n" for n in range(5))
        (people / f"D{k:02d}.md").write_text(f"---\ntier: 10\n---{log}{contacts}", "utf-8")
    for path in people.iterdir():
        age(path, 2 * HOUR)
    invoke("--vault", str(vault), "--today", "2026-11-23", "digest")
    checks = []
    for later in (date(2026, 11, 23 + n) for n in range(7)):
        with mock.patch.object(digest_mod, "build_week", wraps=digest_mod.build_week) as made:
            result = invoke("--vault", str(vault), "--today", later.isoformat(), "digest")
        assert result.exit_code == 0, result.output
        assert not made.called, later  # the week's parts as kept
        written = (vault / "Digests" / "2026-W48.md").read_text("utf-8")
        assert written == from_scratch(vault, later), later
        check = written.split("## Tier check")[1].split("\n## ")[0]
        checks.append(check)
        # What `review` lists that day, less whom the check names in a suggestion.
        said = json.loads(
            invoke(
                "--vault", str(vault), "--today", later.isoformat(), "review", "--format", "json"
            ).stdout
        )
        promoted = {p["path"] for p in said["promote"] if p["tier"] is None}
        demoted = {p["path"] for p in said["demote"]}
        for kind, where, leave_out, what in (
            ("unclassified", ": no tier yet; [mn]", promoted, "people without a tier"),
            ("drift", ": you usually talk", demoted, "people silent for twice their own rhythm"),
        ):
            listed = [p["name"] for p in said[kind] if p["path"] not in leave_out]
            shown = re.findall(rf"^- \[\[([^\]]+)\]\]{where}", check, re.MULTILINE)
            assert shown == listed[:10], (later, kind)
            more = f"- and {len(listed) - 10} more {what}; netzwerk review lists them all"
            assert (more in check) == (len(listed) > 10), (later, kind)
    assert all("more people without a tier" in check for check in checks)
    assert "more people silent for twice their own rhythm" in checks[0]
    assert len(set(checks)) == 7  # (each day's differs)


def test_a_tick_in_a_digest_of_a_subfolder_is_recorded_after_a_kept_digest(vault: Path) -> None:
    """Digests are read for ticks in the digest folder's subfolders too (an archive by year):
    one ticked there after the last run is recorded, as a run without `.netzwerk/` does."""
    for path in (vault / "Digests").iterdir():
        age(path, HOUR)
    result = invoke("--vault", str(vault), "digest")
    assert result.stdout == "Digests/2026-W48.md is up to date\n"  # (kept: nothing changed)
    archive = vault / "Digests" / "2026"
    archive.mkdir()
    (archive / "2026-W47.md").write_text(
        "# W47\n\n## Overdue\n\n- [x] [[Yuki Sato]] · Top 50 · ✅ 2026-11-20\n", "utf-8"
    )
    age(archive / "2026-W47.md", HOUR / 2)
    result = invoke("--vault", str(vault), "digest")
    assert "recorded 2026-11-20 for Yuki Sato (ticked in 2026-W47)" in result.stdout
    assert "last_contact: 2026-11-20\n" in (vault / "People" / "Yuki Sato.md").read_text("utf-8")
