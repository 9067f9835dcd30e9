"""The command line: `init`, exit codes, usage errors, colour, and no traceback ever."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from netzwerk.config import Config, load_config

Run = Callable[..., Result]
WriteVault = Callable[..., Path]

ANSI = re.compile(r"\x1b\[")


def snapshot_files(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes, and every folder (as None)."""
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else b"<dir>")
        for p in sorted(root.rglob("*"))
        if ".netzwerk" not in p.parts
    }


# ------------------------------------------------------------------ init


def test_init_creates_a_vault(tmp_path: Path, run: Run) -> None:
    root = tmp_path / "new" / "vault"
    result = run("init", str(root))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"created {root}",
        "wrote netzwerk.toml (contacts in People/, journal in Daily/)",
        "created People/",
        "created Daily/",
        "added .netzwerk/ to .gitignore",
    ]
    assert (root / "People").is_dir() and (root / "Daily").is_dir()
    assert (root / ".gitignore").read_text(encoding="utf-8") == ".netzwerk/\n"
    config, problems = load_config(root)
    assert (config, problems) == (Config(root=root), [])  # every default written out
    check = run("check", str(root))
    assert (check.exit_code, check.stdout, check.stderr) == (0, "", "")


def test_init_is_idempotent(tmp_path: Path, run: Run) -> None:
    run("init", str(tmp_path))
    before = snapshot_files(tmp_path)
    result = run("init", str(tmp_path))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "kept the existing netzwerk.toml",
        ".gitignore already ignores .netzwerk/",
    ]
    assert snapshot_files(tmp_path) == before


def test_init_in_the_working_directory(tmp_path: Path, run: Run, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("-q", "init").stdout == ""
    assert (tmp_path / "netzwerk.toml").is_file() and (tmp_path / "People").is_dir()


@pytest.mark.parametrize(
    ("folders", "people"),
    [
        (["Contacts"], "Contacts"),
        (["friends"], "friends"),
        (["FRIENDS", "persons"], "persons"),
        (["Friends", "contacts", "people"], "people"),
        (["Kontakte"], None),
    ],
)
def test_init_adopts_the_people_folder_of_an_obsidian_vault(
    tmp_path: Path, write_vault: WriteVault, run: Run, folders: list[str], people: str | None
) -> None:
    files = {f"{folder}/Ann {i}.md": "---\ntier: 10\n---\n" for i, folder in enumerate(folders)}
    root = write_vault(tmp_path, {".obsidian/app.json": "{}", **files})
    result = run("init", str(root))
    assert result.exit_code == 0
    config, problems = load_config(root)
    assert problems == []
    assert config.contacts == (people or "People",)
    assert (root / "People").is_dir() == (people is None)
    assert run("check", str(root)).exit_code == 0


def test_init_takes_the_daily_notes_folder_from_obsidian(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            ".obsidian/daily-notes.json": '{"folder": "Journal/Days/", "format": "YYYY-MM-DD"}',
            "Friends/Ann.md": "---\ntier: 10\n---\n",
            "Journal/Days/2026-11-20.md": "- [x] called [[Ann]]\n",
        },
    )
    result = run("init", str(root))
    assert result.stdout.splitlines() == [
        "wrote netzwerk.toml (contacts in Friends/, journal in Journal/Days/)",
        "added .netzwerk/ to .gitignore",
    ]
    config, _ = load_config(root)
    assert (config.contacts, config.journal) == (("Friends",), ("Journal/Days",))
    due = run("check", str(root))
    assert (due.exit_code, due.stdout) == (0, "")


@pytest.mark.parametrize("settings", ["{not json", '{"folder": ""}', '["Daily"]', '{"folder": 3}'])
def test_init_ignores_unusable_daily_notes_settings(
    tmp_path: Path, write_vault: WriteVault, run: Run, settings: str
) -> None:
    root = write_vault(tmp_path, {".obsidian/daily-notes.json": settings})
    assert run("init", str(root)).exit_code == 0
    assert load_config(root)[0].journal == ("Daily",)
    assert (root / "Daily").is_dir()


def test_init_never_overwrites_netzwerk_toml(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    toml = '# mine\ncontacts = ["Kontakte"]\njournal = ["Tagebuch"]\n'
    root = write_vault(tmp_path, {"netzwerk.toml": toml, "Friends/Ann.md": "---\n---\n"})
    result = run("init", str(root))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "kept the existing netzwerk.toml",
        "created Kontakte/",
        "created Tagebuch/",
        "added .netzwerk/ to .gitignore",
    ]
    assert (root / "netzwerk.toml").read_text(encoding="utf-8") == toml
    assert not (root / "People").exists() and not (root / "Daily").exists()


def test_init_with_a_broken_netzwerk_toml_creates_no_default_folders(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"netzwerk.toml": "contacts = [\n"})
    result = run("init", str(root))
    assert result.exit_code == 0
    assert (root / "netzwerk.toml").read_text(encoding="utf-8") == "contacts = [\n"
    assert sorted(p.name for p in root.iterdir()) == [".gitignore", "netzwerk.toml"]


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        (b"node_modules/\n", b"node_modules/\n.netzwerk/\n", "added .netzwerk/ to .gitignore"),
        (b"*.tmp", b"*.tmp\n.netzwerk/\n", "added .netzwerk/ to .gitignore"),
        (b"a\r\nb\r\n", b"a\r\nb\r\n.netzwerk/\r\n", "added .netzwerk/ to .gitignore"),
        (b"caf\xe9\n", b"caf\xe9\n.netzwerk/\n", "added .netzwerk/ to .gitignore"),
        (b"x\n/.netzwerk\n", b"x\n/.netzwerk\n", ".gitignore already ignores .netzwerk/"),
        (b".netzwerk \r\n", b".netzwerk \r\n", ".gitignore already ignores .netzwerk/"),
    ],
)
def test_init_adds_to_gitignore_without_touching_its_lines(
    tmp_path: Path, write_vault: WriteVault, run: Run, before: bytes, after: bytes, said: str
) -> None:
    root = write_vault(tmp_path, {".gitignore": before})
    result = run("init", str(root))
    assert result.exit_code == 0
    assert said in result.stdout.splitlines()
    assert (root / ".gitignore").read_bytes() == after


def test_init_on_a_file_is_a_usage_error(tmp_path: Path, run: Run) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run("init", str(tmp_path / "file"))
    assert result.exit_code == 2
    assert "is a file" in result.stderr
    assert (tmp_path / "file").read_text(encoding="utf-8") == "x"


def test_init_where_nothing_can_be_written(tmp_path: Path, run: Run, monkeypatch: Any) -> None:
    from netzwerk import scaffold

    def refuse(root: Path) -> list[str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(scaffold, "init_vault", refuse)
    result = run("init", str(tmp_path / "v"))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: cannot set up {str(tmp_path / 'v')!r}: Permission denied\n"


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
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [
        "People/Ann.md:2: error: unknown tier '5O'; did you mean '50'? "
        "(tiers: 10, 50, 100, reserve) [NW206]",
        "People/Ann.md:3: warning: unknown key 'lastcontact'; did you mean 'last_contact'? [NW207]",
    ]
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
