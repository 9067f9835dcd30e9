"""The digest after a few notes changed: made from the kept state, the same bytes as from scratch.

Each test copies example-vault/, makes its digest (which keeps the state), changes notes and
then compares the quick digest with one made from the whole vault, and checks which changes
must not take the quick way.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, invoke

from netzwerk import fork, incremental
from netzwerk.config import load_config
from netzwerk.digest import make_digest
from netzwerk.scan import scan
from netzwerk.schedule import week_of
from netzwerk.vault import load_vault

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


def quick(root: Path) -> incremental.Quick | None:
    config, _ = load_config(root)
    files, _ = scan(config)
    return incremental.digest(config, files, week_of(TODAY, config.week_start), TODAY)


def from_scratch(root: Path) -> str:
    config, _ = load_config(root)
    snapshot, _ = load_vault(config, today=TODAY)
    return make_digest(snapshot, config, week_of(TODAY, config.week_start), TODAY)


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
}


@pytest.mark.parametrize("changes", LOCAL.values(), ids=list(LOCAL))
def test_a_local_change_gives_the_bytes_of_a_whole_digest(
    vault: Path, changes: list[tuple[str, Callable[[str], str]]]
) -> None:
    for relative, change in changes:
        edit(vault, relative, change)
    made = quick(vault)
    assert made is not None, "the quick way was not taken"
    assert made.text == from_scratch(vault)


def test_problem_counts_follow_the_changed_note(vault: Path) -> None:
    before = invoke("--vault", str(vault), "digest", "--stdout").stderr
    assert "error" not in before
    edit(vault, MARIE, replace("last_contact: 2026-09-14", "last_contact: someday"))
    made = quick(vault)
    assert made is not None
    config, _ = load_config(vault)
    _, problems = load_vault(config, today=TODAY)
    errors = sum(1 for p in problems if p.severity.value == "error")
    assert (made.errors, made.warnings) == (errors, len(problems) - errors)
    assert made.errors >= 1
    # Fixed again: the count goes back.
    edit(vault, MARIE, replace("last_contact: someday", "last_contact: 2026-09-14"))
    made.keep()
    again = quick(vault)
    assert again is not None and again.errors == 0


def test_successive_changes_build_on_each_other(vault: Path) -> None:
    """Each quick digest keeps its state (as a delta), which the next one starts from."""
    people = sorted((vault / "People").glob("*.md"))[:6]
    for number, path in enumerate(people):
        edit(vault, path.relative_to(vault).as_posix(), append(f"- 2026-11-2{number} call: hi"))
        made = quick(vault)
        assert made is not None
        assert made.text == from_scratch(vault)
        made.keep()


def test_the_command_takes_the_quick_way_and_writes_the_same_note(vault: Path) -> None:
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    assert quick(vault) is not None
    result = invoke("--vault", str(vault), "digest")
    assert result.exit_code == 0
    written = (vault / "Digests" / "2026-W48.md").read_text("utf-8")
    assert written == from_scratch(vault)
    assert "planned the workshop together" not in written  # not due any more: she was called
    assert "[[Marie Dupont]]" not in written.split("## Birthdays")[0]


# Changes that can touch other contacts' shares: the whole digest is made.
WHOLE = {
    "a link in a log line": (MARIE, append("- 2026-11-23 call: with [[Kari Solberg]]")),
    "a new alias": (MARIE, replace("  - Marie D.", "  - Marie D.\n  - Mimi")),
    "knows someone": (MARIE, replace("knows:", "knows:\n  - '[[Ingrid Halvorsen]]'")),
    "needs something": (MARIE, replace("needs:", "needs:\n  - a lawyer")),
}


@pytest.mark.parametrize("change", WHOLE.values(), ids=list(WHOLE))
def test_a_change_others_depend_on_makes_the_whole_digest(
    vault: Path, change: tuple[str, Callable[[str], str]]
) -> None:
    edit(vault, *change)
    assert quick(vault) is None
    result = invoke("--vault", str(vault), "digest", "--stdout")
    assert result.stdout == from_scratch(vault)


def test_a_journal_note_or_a_new_note_makes_the_whole_digest(vault: Path) -> None:
    journal = sorted((vault / "Daily").glob("*.md"))[-1]
    edit(vault, journal.relative_to(vault).as_posix(), append("Met [[Marie Dupont]] again."))
    assert quick(vault) is None
    invoke("--vault", str(vault), "digest")  # keeps a new state
    assert quick(vault) is not None
    new = vault / "People" / "Zoe Newcomer.md"
    new.write_text("---\ntier: top100\n---\n# Zoe\n", "utf-8")
    age(new, HOUR)
    assert quick(vault) is None


def test_another_day_or_setting_has_its_own_state(vault: Path) -> None:
    edit(vault, MARIE, append("- 2026-11-23 call: hi"))
    config, _ = load_config(vault)
    files, _ = scan(config)
    tomorrow = TODAY.replace(day=24)
    assert incremental.digest(config, files, week_of(tomorrow), tomorrow) is None
    toml = vault / "netzwerk.toml"
    text = toml.read_text("utf-8")
    toml.write_text(text + "\n# a comment changes nothing\n", "utf-8")
    config, _ = load_config(vault)
    assert incremental.digest(config, files, week_of(TODAY), TODAY) is not None
    toml.write_text(text.replace('cadence = "3w"', 'cadence = "2w"'), "utf-8")
    config, _ = load_config(vault)
    assert incremental.digest(config, files, week_of(TODAY), TODAY) is None


def test_ticks_recorded_already_keep_the_quick_way_and_show_ticked(vault: Path) -> None:
    note = vault / "Digests" / "2026-W48.md"
    lines = note.read_text("utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("- [ ] [["))
    lines[first] = lines[first].replace("- [ ]", "- [x]", 1).rstrip("\n") + " ✅ 2026-11-22\n"
    note.write_text("".join(lines), "utf-8")
    assert quick(vault) is None  # not recorded yet: the whole digest records it
    result = invoke("--vault", str(vault), "digest")
    assert "recorded 2026-11-22" in result.stdout
    edit(vault, MARIE, append("- 2026-11-23 call: hi"))
    made = quick(vault)
    assert made is not None
    assert made.text == from_scratch(vault)
    assert "- [x] " in made.text and "✅ 2026-11-22" in made.text


def test_a_cold_digest_of_a_large_vault_forks_three_helpers(
    vault: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    # Each fork of the loaded vault makes this process copy every page it writes afterwards:
    # one helper parses half the notes and stores all of them, one matches the intros and
    # keeps the notes' state, one keeps the shares.
    from netzwerk import memo
    from netzwerk import vault as vault_mod

    for module in (vault_mod, memo, incremental):
        monkeypatch.setattr(module, "PARALLEL_MIN", 1)
    shutil.rmtree(vault / ".netzwerk")
    result = invoke("--vault", str(vault), "digest")
    assert result.exit_code == 0, result.output
    assert len(forks) == 3
    monkeypatch.undo()
    config, _ = load_config(vault)
    assert vault_mod.load(config).stats.parsed == 0  # every note is in the index
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    made = quick(vault)
    assert made is not None  # both halves of the state were kept
    assert made.text == from_scratch(vault)


def test_a_large_vault_records_ticks_and_keeps_the_state_of_the_notes_after_them(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a large vault the intros and the notes' half of the state are begun on the other core
    # as soon as the notes are read; recording a tick changes the notes: begun again.
    from netzwerk import memo
    from netzwerk import vault as vault_mod

    for module in (vault_mod, memo, incremental):
        monkeypatch.setattr(module, "PARALLEL_MIN", 1)
    note = vault / "Digests" / "2026-W48.md"
    lines = note.read_text("utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("- [ ] [["))
    lines[first] = lines[first].replace("- [ ]", "- [x]", 1).rstrip("\n") + " ✅ 2026-11-22\n"
    note.write_text("".join(lines), "utf-8")
    age(note, HOUR)
    result = invoke("--vault", str(vault), "digest")
    assert result.exit_code == 0, result.output
    assert "recorded 2026-11-22" in result.stdout
    monkeypatch.undo()
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    made = quick(vault)
    assert made is not None  # the state kept is the one of the notes with the tick recorded
    assert made.text == from_scratch(vault)
    assert "- [x] " in made.text and "✅ 2026-11-22" in made.text


def test_a_large_vault_keeps_its_state_where_no_helper_can_be_forked(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netzwerk import memo
    from netzwerk import vault as vault_mod

    for module in (vault_mod, memo, incremental):
        monkeypatch.setattr(module, "PARALLEL_MIN", 1)
    monkeypatch.setattr(fork, "can_fork", lambda: False)  # as in a process with threads
    shutil.rmtree(vault / ".netzwerk")
    result = invoke("--vault", str(vault), "digest")
    assert result.exit_code == 0, result.output
    monkeypatch.undo()
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    made = quick(vault)
    assert made is not None  # both halves of the state were kept, here
    assert made.text == from_scratch(vault)


def test_a_large_vault_keeps_its_state_on_the_other_core(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[tuple[str, bool]] = []
    real = fork.background

    def spy(work: Callable[[], object], writes: str) -> bool:
        started.append((writes, real(work, writes)))
        return started[-1][1]

    monkeypatch.setattr(incremental, "PARALLEL_MIN", 1)
    monkeypatch.setattr(fork, "background", spy)
    shutil.rmtree(vault / ".netzwerk")
    result = invoke("--vault", str(vault), "digest")
    assert result.exit_code == 0, result.output
    assert started == [(incremental.STATE, True), (incremental.STATE, True)]  # one a half
    # The command waited for the helpers: the state is there for the next digest.
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    made = quick(vault)
    assert made is not None
    assert made.text == from_scratch(vault)


# --- a large vault is scanned on the other core, while the state is read here -------------


@pytest.fixture
def ahead(monkeypatch: pytest.MonkeyPatch) -> list[incremental.Quick | None]:
    """Every vault counts as large enough to be scanned ahead; what each quick digest gave."""
    from netzwerk import cli

    monkeypatch.setattr(cli, "SCAN_AHEAD_INDEX", 0)
    made: list[incremental.Quick | None] = []
    real = incremental.digest

    def spy(*args: Any, **kwargs: Any) -> incremental.Quick | None:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(incremental, "digest", spy)
    return made


def settled(root: Path) -> None:
    """The digest written, and old enough that a result is kept for it (a file changed within
    the last seconds may change again unseen: no result is kept while there is one)."""
    for _ in range(2):  # written, if the notes changed, then up to date
        age(root / "Digests" / "2026-W48.md", HOUR)
        result = invoke("--vault", str(root), "digest")
        assert result.exit_code == 0, result.output
    assert result.stdout == "Digests/2026-W48.md is up to date\n"


def test_a_kept_result_is_found_by_the_helper_that_scans(
    vault: Path, ahead: list[incremental.Quick | None], forks: list[int]
) -> None:
    settled(vault)
    ahead.clear()
    forks.clear()
    result = invoke("--vault", str(vault), "digest")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Digests/2026-W48.md is up to date\n"
    assert len(forks) == 1  # the helper scanned and found the result: nothing else was made
    assert ahead == []
    shown = invoke("--vault", str(vault), "digest", "--stdout")
    assert shown.stdout == from_scratch(vault)


def test_a_changed_note_takes_the_quick_way_with_the_state_read_ahead(
    vault: Path, ahead: list[incremental.Quick | None], forks: list[int]
) -> None:
    settled(vault)
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    ahead.clear()
    forks.clear()
    result = invoke("--vault", str(vault), "digest")
    assert result.exit_code == 0, result.output
    assert len(forks) == 1  # the scan
    assert len(ahead) == 1 and ahead[0] is not None  # the quick way, from the prepared state
    written = (vault / "Digests" / "2026-W48.md").read_text("utf-8")
    assert written == from_scratch(vault)
    assert "planned the workshop together" not in written
    # It kept its state: the next change takes the quick way again, with the same bytes.
    edit(vault, "People/Kari Solberg.md", append("- 2026-11-22 coffee: talked about boats"))
    result = invoke("--vault", str(vault), "digest", "--stdout")
    assert len(ahead) == 2 and ahead[1] is not None
    assert result.stdout == from_scratch(vault)


@pytest.mark.parametrize("answered", [True, False])
def test_what_is_prepared_while_the_helper_scans_stops_once_it_has_answered(
    vault: Path,
    ahead: list[incremental.Quick | None],
    monkeypatch: pytest.MonkeyPatch,
    answered: bool,
) -> None:
    # The template and the kept state are loaded only while the helper is still at work (on
    # a warm run it finds the result first); what was not prepared is made where needed.
    from netzwerk import render
    from netzwerk import scan as scan_mod

    settled(vault)
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    monkeypatch.setattr(scan_mod.Ahead, "busy", lambda self: not answered)
    monkeypatch.setattr(render, "_prepared", None)
    given: list[object] = []
    spy = incremental.digest

    def spy_prepared(*args: Any, **kwargs: Any) -> incremental.Quick | None:
        given.append(args[4])
        return spy(*args, **kwargs)

    monkeypatch.setattr(incremental, "digest", spy_prepared)
    shown = invoke("--vault", str(vault), "digest", "--stdout")
    assert shown.exit_code == 0, shown.output
    assert len(given) == 1
    assert (given[0] is None) is answered
    assert ahead and ahead[-1] is not None  # the quick way, either way
    assert shown.stdout == from_scratch(vault)


@pytest.mark.parametrize("how", ["no helper", "the helper broke off"])
def test_the_scan_is_made_here_when_the_helper_cannot_make_it(
    vault: Path, ahead: list[incremental.Quick | None], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    from netzwerk import scan as scan_mod

    settled(vault)
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    if how == "no helper":
        monkeypatch.setattr(fork, "can_fork", lambda: False)  # as in a process with threads
    else:
        monkeypatch.setattr(scan_mod, "collect", lambda helper: None)
    result = invoke("--vault", str(vault), "digest", "--stdout")
    assert result.exit_code == 0, result.output
    assert ahead and ahead[-1] is not None
    assert result.stdout == from_scratch(vault)
    # and a kept result is found here too
    settled(vault)
    ahead.clear()
    result = invoke("--vault", str(vault), "digest")
    assert result.stdout == "Digests/2026-W48.md is up to date\n"
    assert ahead == []


def test_ticks_recorded_after_a_scan_ahead_are_seen_by_a_fresh_scan(
    vault: Path, ahead: list[incremental.Quick | None]
) -> None:
    settled(vault)
    note = vault / "Digests" / "2026-W48.md"
    lines = note.read_text("utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("- [ ] [["))
    name = lines[first].split("[[", 1)[1].split("]]", 1)[0]
    lines[first] = lines[first].replace("- [ ]", "- [x]", 1)
    note.write_text("".join(lines), "utf-8")
    age(note, HOUR)
    result = invoke("--vault", str(vault), "digest")
    assert result.exit_code == 0, result.output
    assert f"recorded {TODAY} for {name}" in result.stdout
    written = note.read_text("utf-8")
    assert written == from_scratch(vault)  # made from the notes as the tick left them
    assert f"- [x] [[{name}]]" in written
    # The state kept is the one after the tick: a later change takes the quick way.
    edit(vault, MARIE, append("- 2026-11-23 call: planned the workshop together"))
    ahead.clear()
    result = invoke("--vault", str(vault), "digest", "--stdout")
    assert ahead and ahead[-1] is not None
    assert result.stdout == from_scratch(vault)
