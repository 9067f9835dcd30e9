"""No fault may cost a note, and none ends in "internal error" (issue 21): netzwerk's stale
temporary files are removed, impossible dates and odd files in netzwerk's places get one clear
line, the merge driver reads only regular files, and a collision with another netzwerk
process is called what it is. (`watch` and FIFOs, link loops: tests/test_watch.py.)
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import OtherUser, run_process, start_process

from netzwerk import app

Run = Callable[..., Any]
WriteVault = Callable[..., Path]

ANNA = "---\ntier: 10\nlast_contact: 2026-01-05\n---\n# Anna Berg\n\n## Log\n"
DIGEST = "Digests/2026-W48.md"
HOUR = 3600.0


def one_error_line(stderr: str) -> str:
    """The one `Error: …` line of a refused command (the vault's summary line aside)."""
    lines = [line for line in stderr.splitlines() if not line.startswith("netzwerk: ")]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


# --- 7. netzwerk's own stale temporary files ---------------------------------------------------


def leftovers(root: Path) -> dict[str, Path]:
    """What a killed run leaves, as the writers name their temporary files."""
    return {
        "note": root / "People/.Anna Berg.md.8e1cbb6b.tmp",
        "note in a subfolder": root / "People/Work/.Kai Kern.md.0a1b2c3d.tmp",
        "digest": root / "Digests/.2026-W48.md.deadbeef.tmp",
        ".gitattributes": root / "..gitattributes.12345678.tmp",
        "cache": root / ".netzwerk/.lock.abcdef01.tmp",
    }


def age(path: Path, seconds: float) -> None:
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp), follow_symlinks=False)


def test_the_next_write_removes_stale_temporary_files(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"People/Anna Berg.md": ANNA, "People/Work/Kai Kern.md": ANNA})
    stale = leftovers(root)
    for path in stale.values():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\ntier: 10\n---\nthe whole new note\n", encoding="utf-8")
        age(path, HOUR)
    kept = {
        "fresh: a write may be under way": root / "People/.Bea.md.0badf00d.tmp",
        "not netzwerk's name": root / "People/.Anna Berg.md.tmp",
        "a user's note": root / "People/Tmp.md.8e1cbb6b.tmp",
        "a hidden folder": root / ".obsidian/.workspace.8e1cbb6b.tmp",
    }
    for path in kept.values():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("keep\n", encoding="utf-8")
    for name, path in kept.items():
        if not name.startswith("fresh"):
            age(path, HOUR)
    link = root / "People/.Link.md.11111111.tmp"
    link.symlink_to(root / "People/Anna Berg.md")
    age(link, HOUR)

    assert run("--vault", str(root), "due").exit_code == 0  # reading removes nothing
    assert all(path.exists() for path in stale.values())
    assert run("--vault", str(root), "log", "Anna", "hi").exit_code == 0
    assert [name for name, path in stale.items() if os.path.lexists(path)] == []
    assert [name for name, path in kept.items() if not path.exists()] == []
    assert link.is_symlink()


def test_a_write_killed_at_the_rename_leaves_a_file_the_next_run_removes(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"People/Anna Berg.md": ANNA})
    killed = run_process(
        "--vault", str(root), "log", "Anna", "killed", prelude="os.replace = lambda *a: os._exit(9)"
    )
    assert killed.returncode == 9
    [left] = [p for p in (root / "People").iterdir() if p.name != "Anna Berg.md"]
    assert left.name.startswith(".Anna Berg.md.") and left.name.endswith(".tmp")
    assert "killed" in left.read_text(encoding="utf-8")
    assert (root / "People/Anna Berg.md").read_text(encoding="utf-8") == ANNA
    age(left, HOUR)
    assert run("--vault", str(root), "log", "Anna", "again").exit_code == 0
    assert sorted(p.name for p in (root / "People").iterdir()) == ["Anna Berg.md"]


def test_the_merge_driver_removes_its_own_leftovers(tmp_path: Path, run: Run) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    for name, text in (("base", "a\n"), ("ours", "a\nb\n"), ("theirs", "c\na\n")):
        (top / name).write_text(text, encoding="utf-8")
    ours = top / ".merge_file_Ab12Cd"
    ours.write_text("a\nb\n", encoding="utf-8")
    over = top / "..merge_file_Zz99Yy.0123abcd.tmp"  # its merge is over: git removed the file
    under_way = top / "..merge_file_Ab12Cd.89abcdef.tmp"
    for path in (over, under_way):
        path.write_text("merged\n", encoding="utf-8")
    result = run(
        "--vault",
        str(top),
        "merge-driver",
        str(top / "base"),
        str(ours),
        str(top / "theirs"),
        "notes.txt",
    )
    assert result.exit_code == 0, result.stderr
    assert ours.read_text(encoding="utf-8") == "c\na\nb\n"
    assert not over.exists()
    assert under_way.exists()


# --- 9. no internal error for what a vault or a command line can contain -----------------------

COMMANDS = [
    ["due"],
    ["digest"],
    ["digest", "--stdout"],
    ["check"],
    ["show", "Anna"],
    ["log", "Anna", "hi"],
    ["snooze", "Anna", "3w"],
    ["review"],
    ["balance"],
    ["hubs"],
    ["intros"],
    ["find", "Anna"],
]


@pytest.mark.parametrize("day", ["0001-01-01", "0001-01-03", "9999-12-28", "9999-12-31"])
@pytest.mark.parametrize("week_start", ["monday", "sunday"])
def test_a_day_at_the_end_of_the_calendar_is_a_usage_error(
    tmp_path: Path, write_vault: WriteVault, run: Run, day: str, week_start: str
) -> None:
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": f'week_start = "{week_start}"\n',
            "People/Anna Berg.md": ANNA.replace("tier: 10", "tier: 10\nbirthday: 1990-01-01"),
        },
    )
    for args in COMMANDS:
        result = run("--vault", str(root), "--today", day, *args)  # `run` fails on a crash
        assert result.exit_code == 2, (args, result.stderr)
        assert result.stderr.splitlines()[-1] == (
            f"Error: Invalid value for '--today': '{day}' is outside the dates netzwerk works "
            "with (0002-01-01 to 9998-12-31)"
        )
    assert (root / "People/Anna Berg.md").read_text(encoding="utf-8").endswith("## Log\n")


def test_the_first_and_last_days_netzwerk_works_with(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"People/Anna Berg.md": ANNA})
    for day in ("0002-01-01", "9998-12-31"):
        for args in COMMANDS:
            result = run("--vault", str(root), "--today", day, *args)
            assert result.exit_code in (0, 1), (day, args, result.stderr)
    for option in (["--date", "9999-12-30"], ["--week", "9999-W52"], ["--date", "0001-01-01"]):
        result = run("--vault", str(root), "digest", *option)
        assert result.exit_code == 2
        assert result.stderr.splitlines()[-1].startswith("Error: Invalid value for ")


def test_a_folder_where_the_digest_goes(tmp_path: Path, write_vault: WriteVault, run: Run) -> None:
    root = write_vault(tmp_path, {"People/Anna Berg.md": ANNA, f"{DIGEST}/inside.md": "x\n"})
    result = run("--vault", str(root), "digest")
    assert result.exit_code == 1
    assert one_error_line(result.stderr) == (
        f"Error: {DIGEST} is a folder, not a file; netzwerk will not write in its place: rename "
        "or remove the folder [NW120]"
    )
    assert run("--vault", str(root), "digest", "--stdout").exit_code == 0
    assert (root / DIGEST / "inside.md").read_text(encoding="utf-8") == "x\n"


def test_a_file_where_the_digest_folder_goes(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"People/Anna Berg.md": ANNA, "Digests": "my notes\n"})
    result = run("--vault", str(root), "digest")
    assert result.exit_code == 1
    assert one_error_line(result.stderr) == (
        "Error: Digests is a file, not a folder; nothing was written [NW120]"
    )
    assert (root / "Digests").read_text(encoding="utf-8") == "my notes\n"


def test_a_file_where_the_netzwerk_folder_goes(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"People/Anna Berg.md": ANNA, ".netzwerk": "not a folder\n"})
    assert run("--vault", str(root), "due").exit_code == 0  # no cache: slower, not wrong
    result = run("--vault", str(root), "log", "Anna", "hi")
    assert result.exit_code == 1
    assert one_error_line(result.stderr) == (
        "Error: .netzwerk is a file, not a folder; nothing was written [NW120]"
    )
    assert (root / ".netzwerk").read_text(encoding="utf-8") == "not a folder\n"


def test_an_unreadable_netzwerk_folder_costs_only_speed(
    shared_tmp: Path, other_user: OtherUser
) -> None:
    user = other_user.account
    root = shared_tmp / "vault"
    (root / "People").mkdir(parents=True)
    (root / "People/Anna Berg.md").write_text(ANNA, encoding="utf-8")
    for path in (root, root / "People", root / "People/Anna Berg.md"):
        os.chown(path, user.pw_uid, user.pw_gid)
    (root / ".netzwerk").mkdir(mode=0o700)  # left by a run as root, say
    for args in (["due"], ["check"], ["digest", "--stdout"], ["show", "Anna"]):
        done = other_user.run("--vault", str(root), *args)
        assert done.returncode == 0, (args, done.stderr)
        assert "internal error" not in done.stderr
    done = other_user.run("--vault", str(root), "log", "Anna", "hi")
    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert line.startswith(f"Error: cannot create the lock file {root / '.netzwerk/lock'}: ")
    assert ".netzwerk/ belongs to root" in line


@pytest.mark.parametrize("side", ["base", "ours", "theirs"])
def test_the_merge_driver_reads_only_regular_files(tmp_path: Path, side: str) -> None:
    files = {name: tmp_path / name for name in ("base", "ours", "theirs")}
    for path in files.values():
        path.write_text("a\n", encoding="utf-8")
    files[side] = Path("/dev/zero")
    done = run_process(
        "--vault", str(tmp_path), "merge-driver", *map(str, files.values()), "People/A.md"
    )
    assert done.returncode == 1
    assert one_error_line(done.stderr) == (
        "Error: merge driver: cannot read /dev/zero: not a regular file"
    )


def test_the_merge_driver_reads_no_fifo(tmp_path: Path) -> None:
    for name in ("base", "theirs"):
        (tmp_path / name).write_text("a\n", encoding="utf-8")
    os.mkfifo(tmp_path / "ours")
    args = [str(tmp_path / n) for n in ("base", "ours", "theirs")]
    done = run_process("--vault", str(tmp_path), "merge-driver", *args, "People/A.md")
    assert done.returncode == 1
    assert "not a regular file" in one_error_line(done.stderr)


# --- 13. messages that say what is true ------------------------------------------------------


def test_a_collision_with_another_netzwerk_process_is_called_that(
    tmp_path: Path, write_vault: WriteVault
) -> None:
    root = write_vault(tmp_path, {"People/Anna Berg.md": ANNA})
    vault = app.open_vault(root, date(2026, 11, 23))
    planned = app.log(vault, "Anna", "from this process", kind=None, day=date(2026, 11, 23))
    other = run_process("--vault", str(root), "log", "Anna", "from the other process")
    assert other.returncode == 0, other.stderr
    with pytest.raises(Exception) as caught:
        app.apply(vault, planned)
    assert str(caught.value) == (
        "People/Anna Berg.md was changed by another netzwerk process after this one read it; "
        "nothing was written. Run the command again"
    )
    text = (root / "People/Anna Berg.md").read_text(encoding="utf-8")
    assert "from the other process" in text and "from this process" not in text


def test_a_change_by_an_editor_is_not_blamed_on_netzwerk(
    tmp_path: Path, write_vault: WriteVault
) -> None:
    root = write_vault(tmp_path, {"People/Anna Berg.md": ANNA})
    run_process("--vault", str(root), "log", "Anna", "earlier, by netzwerk")
    vault = app.open_vault(root, date(2026, 11, 23))
    planned = app.log(vault, "Anna", "from this process", kind=None, day=date(2026, 11, 23))
    note = root / "People/Anna Berg.md"
    note.write_text(note.read_text(encoding="utf-8") + "typed in Obsidian\n", encoding="utf-8")
    with pytest.raises(Exception) as caught:
        app.apply(vault, planned)
    message = str(caught.value)
    assert message.startswith("People/Anna Berg.md was changed on disk since netzwerk read it")
    assert "netzwerk process" not in message
    assert note.read_text(encoding="utf-8").endswith("typed in Obsidian\n")


def test_two_processes_logging_at_once_both_succeed_or_say_why(
    tmp_path: Path, write_vault: WriteVault
) -> None:
    root = write_vault(tmp_path, {"People/Anna Berg.md": ANNA})
    for attempt in range(10):
        both = [
            start_process("--vault", str(root), "log", "Anna", f"{attempt}-{n}") for n in (1, 2)
        ]
        for process in both:
            _, err = process.communicate(timeout=60)
            if process.returncode:
                assert "editor" not in err, err
                assert "another netzwerk process" in err, err
