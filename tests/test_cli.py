"""The command line: exit codes, usage errors, colour, and no traceback ever (`init`: in
test_init.py)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import Result

from netzwerk.cli import cli

Run = Callable[..., Result]
WriteVault = Callable[..., Path]

ANSI = re.compile(r"\x1b\[")


# ------------------------------------------------------------------ usage, exit codes, output


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--bogus", "check"], {}, "Error: No such option '--bogus'."),
        (["check", "--bogus"], {}, "Error: No such option '--bogus'."),
        (["nosuch"], {}, "Error: No such command 'nosuch'."),
        (
            ["--today", "2026-02-30", "check"],
            {},
            "Error: Invalid value for '--today': '2026-02-30' is not a date (YYYY-MM-DD)",
        ),
        (
            ["--today", "tomorrow", "check"],
            {},
            "Error: Invalid value for '--today': 'tomorrow' is not a date (YYYY-MM-DD)",
        ),
        (
            ["check"],
            {"NETZWERK_TODAY": "2026-13-01"},
            "Error: Invalid value for '--today': '2026-13-01' is not a date (YYYY-MM-DD)",
        ),
        (
            ["check", "--format", "xml"],
            {},
            "Error: Invalid value for '--format': 'xml' is not one of 'text', 'json'.",
        ),
        (["check", "a", "b"], {}, "Error: Got unexpected extra argument (b)"),
    ],
)
def test_wrong_usage_exits_2(
    tmp_path: Path, run: Run, monkeypatch: Any, args: list[str], env: dict[str, str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args, env=env)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == message
    assert "Traceback" not in result.stderr


def test_today_from_the_option_and_the_environment(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path, {"People/Ann.md": "---\ntier: 10\nlast_contact: 2026-11-24\n---\n"}
    )
    future = "People/Ann.md:3: warning: last_contact is in the future: 2026-11-24 [NW212]\n"
    assert run("check", str(root)).stdout == future  # NETZWERK_TODAY=2026-11-23
    assert run("--today", "2026-11-24", "check", str(root)).stdout == ""
    assert run("check", str(root), env={"NETZWERK_TODAY": "2026-11-30"}).stdout == ""
    assert (
        run(
            "--today", "2026-11-01", "check", str(root), env={"NETZWERK_TODAY": "2026-11-30"}
        ).stdout
        == future
    )


def test_help_and_version(run: Run) -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert all(command in result.stdout for command in ("init", "check", "index"))
    version = run("--version")
    assert (version.exit_code, version.stdout.startswith("netzwerk ")) == (0, True)


BAD = {
    "People/Ann.md": "---\ntier: 5O\nlastcontact: 2026-01-01\n---\n",
    "People/Ben.md": "---\ntier: 10\n---\n",
}


def test_errors_exit_1_and_warnings_alone_exit_0(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, BAD)
    result = run("check", str(root))
    # The problems on stdout, one summary on stderr (nothing at all for a clean vault).
    assert (result.exit_code, result.stderr) == (1, "1 error and 1 warning in 2 notes\n")
    assert result.stdout.splitlines() == [
        "People/Ann.md:2: error: unknown tier '5O'; did you mean '50'? "
        "(tiers: 10, 50, 100, reserve, target) [NW206]",
        "People/Ann.md:3: warning: unknown key 'lastcontact'; did you mean 'last_contact'? [NW207]",
    ]
    assert run("-q", "check", str(root)).stderr == ""
    (root / "People/Ann.md").write_text(
        "---\ntier: 50\nlastcontact: 2026-01-01\n---\n", encoding="utf-8"
    )
    assert run("check", str(root)).exit_code == 0
    assert run("check", "--strict", str(root)).exit_code == 1


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_ansi_escapes_when_not_a_terminal(
    tmp_path: Path, write_vault: WriteVault, run: Run, fmt: str
) -> None:
    root = write_vault(tmp_path, BAD)
    result = run("check", "--format", fmt, str(root))
    assert result.exit_code == 1
    assert "unknown tier" in result.stdout
    assert not ANSI.search(result.stdout) and not ANSI.search(result.stderr)


def test_colour_on_a_terminal_but_never_with_no_color(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, BAD)
    coloured = run("check", str(root), color=True)
    assert ANSI.search(coloured.stdout)  # a terminal gets colour...
    plain = run("check", str(root), color=True, env={"NO_COLOR": "1"})
    assert not ANSI.search(plain.stdout) and not ANSI.search(plain.stderr)  # ...unless NO_COLOR
    assert plain.stdout == re.sub(r"\x1b\[[0-9;]*m", "", coloured.stdout)
    as_json = run("check", "--format", "json", str(root), color=True)
    assert json.loads(as_json.stdout)[0]["code"] == "NW206"
    # What a command printed is kept for the next run: one made under NO_COLOR is not what a
    # terminal without it gets.
    other = write_vault(tmp_path / "other", BAD)
    for _ in range(2):
        assert run("check", str(other), color=True, env={"NO_COLOR": "1"}).stdout == plain.stdout
    assert run("check", str(other), color=True).stdout == coloured.stdout


def test_nothing_in_the_vault_makes_a_traceback(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    # A bit of every kind of bad input at once; `run` fails on any crash or traceback.
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": "[keys]\nlast_contact = 'lastContact'\n",
            "People/A.md": b"\xff\xfe\x00",
            "People/B.md": "---\n!!python/object:os.system\n---\n",
            "People/C.md": "---\n- a list\n---\n",
            "People/D.md": "---\n? [complex, key]\n: value\n---\n",
            "People/E.md": "---\nlastContact: [[Ann]]\nknows: {a: b}\ntags: [[x]]\n---\n",
            "People/F.md": "---\n" + "[" * 5000 + "\n---\n",
            "People/G.md": "---\ntier: !!binary aGVsbG8=\nbirthday: 1988-02-29T25:00\n---\n",
            "Daily/2026-11-20.md": "---\ndate: [\n---\n[[A]] ![[B]] [[",
            "Daily/notes.md": "---\ndate: 2026-02-30\n---\n[[C]]\n",
        },
    )
    for args in (["check"], ["check", "--format", "json"], ["check", "--strict"], ["index"]):
        result = run(*args, str(root))
        assert result.exit_code in (0, 1)
    assert run("index", "--rebuild", str(root)).exit_code == 0


# ------------------------------------------------------ a command line as good as the best


def all_commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []

    def walk(command: click.Command, name: str) -> None:
        if isinstance(command, click.Group):
            for sub, child in command.commands.items():
                walk(child, f"{name} {sub}".strip())
        else:
            found.append((name, command))

    walk(cli, "")
    return found


@pytest.mark.parametrize(("name", "command"), all_commands(), ids=lambda x: str(x))
def test_every_option_has_help_and_every_command_an_example(
    name: str, command: click.Command, run: Run
) -> None:
    missing = [p.name for p in command.params if isinstance(p, click.Option) and not p.help]
    assert missing == []
    shown = run(*name.split(), "--help").stdout
    assert "Examples:" in shown and f"netzwerk {name.split()[0]}" in shown.split("Examples:")[1]


def test_tables_fit_the_terminal_and_not_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    from netzwerk import cli_base

    table = "NAME  HOOKS\nAnna  " + "ask about: " + "x" * 200 + "\nBo    short"
    monkeypatch.setattr(cli_base.sys.stdout, "isatty", lambda: False, raising=False)
    assert cli_base.fitted(table) == table
    monkeypatch.setattr(cli_base.sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback: os.terminal_size((80, 24)))
    lines = cli_base.fitted(table).splitlines()
    assert [len(line) for line in lines] == [11, 80, 11]
    assert lines[1].endswith("x…")


def test_find_exits_the_same_with_and_without_json(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"People/Ann.md": "---\ntier: 50\n---\n"})
    text = run("--vault", str(root), "find", "nobody")
    as_json = run("--vault", str(root), "find", "nobody", "--format", "json")
    assert (text.exit_code, as_json.exit_code, as_json.stdout) == (1, 1, "[]\n")
    assert run("--vault", str(root), "find", "ann", "--format", "json").exit_code == 0


def test_digest_dry_run_shows_the_diff_and_writes_nothing(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path, {"People/Ann.md": "---\ntier: 50\nlast_contact: 2026-01-05\n---\n"}
    )
    result = run("--vault", str(root), "digest", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith("--- a/Digests/2026-W48.md\n+++ b/Digests/2026-W48.md\n")
    assert "+- [ ] [[Ann]] · Top 50 · 263 days overdue · last: 2026-01-05\n" in result.stdout
    assert not (root / "Digests").exists()
    assert run("--vault", str(root), "digest").exit_code == 0
    assert run("--vault", str(root), "digest", "--dry-run").stdout == "nothing to change\n"


def test_ctrl_c_ends_watch_with_status_130(tmp_path: Path, write_vault: WriteVault) -> None:
    import signal
    import time

    from conftest import start_process

    root = write_vault(tmp_path, {"People/Ann.md": "---\ntier: 50\n---\n"})
    # Ctrl-C as a terminal delivers it to the command in the foreground. A suite started in
    # the background (`&` in a script, nohup, some CI runners) hands its processes SIGINT
    # ignored, and Python then leaves it ignored: the child takes the default back first.
    foreground = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)"
    process = start_process("--vault", str(root), "watch", prelude=foreground)
    try:
        deadline = time.monotonic() + 60
        while not (root / "Digests/2026-W48.md").is_file():  # the first build is done
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert out.splitlines()[-1] == "stopped watching"
