"""`netzwerk init`: a new vault, and an existing one adopted as it is.

Each vault here follows a convention of a real vault that keeps notes about people (people
marked in a mixed folder, per-person folders with chat notes, capitalised or other property
names, tiers of their own, meeting notes, daily notes named every which way). The tests assert
what init prints, line for line, and what the vault then holds: its contacts, their last
contact and whether they are due.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import TODAY

from netzwerk import app
from netzwerk.adopt import Note, Obsidian, adopt
from netzwerk.config import Config, load_config
from netzwerk.model import Duration
from netzwerk.notes import read_front, split
from netzwerk.schedule import first_due

Run = Callable[..., Result]
WriteVault = Callable[..., Path]

OBSIDIAN = {".obsidian/app.json": "{}"}
WROTE = ["wrote netzwerk.toml", "added .netzwerk/ to .gitignore"]
NO_DAILY = "found no daily notes; netzwerk reads them in Daily/ as YYYY-MM-DD"


def init(run: Run, root: Path, *args: str) -> list[str]:
    """`netzwerk init ROOT`'s lines; the netzwerk.toml it leaves must load without problems."""
    result = run("init", str(root), *args)
    assert (result.exit_code, result.stderr) == (0, "")
    assert load_config(root)[1] == []
    return result.stdout.splitlines()


def last_contacts(root: Path) -> dict[str, str | None]:
    """Each contact (by title) and the date of their effective last contact."""
    people = app.open_vault(root, TODAY).people().facts
    return {p.name: p.last.date.isoformat() if p.last else None for p in people}


def due(run: Run, root: Path) -> dict[str, str]:
    """Who `netzwerk due` lists, and as what (overdue, due)."""
    result = run("--vault", str(root), "due", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {item["name"]: item["status"] for item in json.loads(result.stdout)}


def toml(root: Path) -> str:
    """What netzwerk.toml sets: its lines, comments left out."""
    lines = (root / "netzwerk.toml").read_text(encoding="utf-8").splitlines()
    return "\n".join(line.split("  #")[0] for line in lines if line and line[0] != "#")


def snapshot_files(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes, and every folder (as `<dir>`)."""
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else b"<dir>")
        for p in sorted(root.rglob("*"))
        if ".netzwerk" not in p.parts
    }


def person(**keys: str) -> str:
    """A person's note with these properties (values written as they are)."""
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in keys.items()) + "---\n"


# ------------------------------------------------------------------ a new vault


def test_init_creates_a_vault(tmp_path: Path, run: Run) -> None:
    root = tmp_path / "new" / "vault"
    assert init(run, root) == [
        f"created {root}",
        "wrote netzwerk.toml",
        "created People/",
        "added .netzwerk/ to .gitignore",
        '0 contacts. Next: netzwerk add "NAME"',
    ]
    # People/ is where `add` puts people; Daily/ is no longer made: Obsidian makes the
    # folder of its daily notes itself, and an empty folder the vault does not use is clutter.
    assert sorted(p.name for p in root.iterdir()) == [
        ".gitignore",
        ".netzwerk",
        "People",
        "netzwerk.toml",
    ]
    assert (root / ".gitignore").read_text(encoding="utf-8") == ".netzwerk/\n"
    assert load_config(root) == (Config(root=root), [])  # nothing set: every default
    assert toml(root) == ""
    assert "# contacts = " in (root / "netzwerk.toml").read_text()  # to change, commented out
    check = run("check", str(root))
    assert (check.exit_code, check.stdout, check.stderr) == (0, "", "")


def test_init_is_idempotent(tmp_path: Path, run: Run) -> None:
    init(run, tmp_path)
    before = snapshot_files(tmp_path)
    assert init(run, tmp_path) == [
        "kept the existing netzwerk.toml",
        ".gitignore already ignores .netzwerk/",
        '0 contacts. Next: netzwerk add "NAME"',
    ]
    assert snapshot_files(tmp_path) == before


def test_init_in_the_working_directory(tmp_path: Path, run: Run, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("-q", "init").stdout == ""
    assert (tmp_path / "netzwerk.toml").is_file() and (tmp_path / "People").is_dir()


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
    assert said in init(run, root)
    assert (root / ".gitignore").read_bytes() == after


# ------------------------------------------------------------------ where the people are


@pytest.mark.parametrize(
    ("folder", "people"),
    [
        ("Contacts", ["Ada Okafor", "Ben Adler"]),
        ("friends", ["Ada Okafor", "Ben Adler"]),
        ("PERSONS", ["Ada Okafor", "Ben Adler"]),
        ("10 Example Data/people", ["Ada Okafor", "Ben Adler"]),
    ],
)
def test_init_finds_a_folder_named_for_people(
    tmp_path: Path, write_vault: WriteVault, run: Run, folder: str, people: list[str]
) -> None:
    root = write_vault(
        tmp_path,
        {
            **OBSIDIAN,
            f"{folder}/Ada Okafor.md": person(tier="50", last_contact="2026-11-01"),
            f"{folder}/Ben Adler.md": person(tier="50", last_contact="2026-01-01"),
            "Books/Dune.md": person(author='"[[Ben Adler]]"'),
        },
    )
    assert init(run, root) == [
        f"found 2 people in {folder}/",
        NO_DAILY,
        *WROTE,
        "2 contacts. Next: netzwerk due",
    ]
    assert load_config(root)[0].contacts == (folder,)
    assert last_contacts(root) == {"Ada Okafor": "2026-11-01", "Ben Adler": "2026-01-01"}
    assert due(run, root) == {"Ben Adler": "overdue"}
    assert not (root / "People").exists()


def test_init_takes_every_folder_named_for_people(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    # Before, init took one of them (People over Contacts over …) and left the others out.
    root = write_vault(
        tmp_path,
        {
            "Friends/Ann.md": person(tier="10"),
            "Work/Contacts/Bo.md": person(tier="50"),
            "Friends/Family/Cy.md": person(tier="10"),  # inside Friends/: no folder of its own
        },
    )
    assert init(run, root)[:2] == ["found 2 people in Friends/", "found 1 person in Work/Contacts/"]
    assert load_config(root)[0].contacts == ("Friends", "Work/Contacts")
    assert sorted(last_contacts(root)) == ["Ann", "Bo", "Cy"]


def test_init_reads_per_person_folders_with_chat_notes_beside_them(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    chat = "---\ntags:\n  - chat\ndate: {day}\npeople: [ada-lovelace, alan-kay]\n---\nHi!\n"
    root = write_vault(
        tmp_path,
        {
            **OBSIDIAN,
            "people/ada-lovelace/Ada Lovelace.md": person(
                tags="['person']", title="Mathematician", city="London"
            ),
            "people/ada-lovelace/2026-03-01.md": chat.format(day="2026-03-01"),
            "people/alan-kay/Alan Kay.md": person(tags="['person']", title="Inventor"),
            "people/alan-kay/2026-05-02.md": chat.format(day="2026-05-02"),
            "people/alan-kay/1998-00-00.md": "not a date, not a person\n",
        },
    )
    assert init(run, root) == [
        "found 2 people in people/",
        NO_DAILY,
        "found 2 meeting notes naming people under people",
        "mapped title → role",
        "mapped city → location",
        *WROTE,
        "2 contacts, none with a tier yet. Next: netzwerk review",
    ]
    assert last_contacts(root) == {"Ada Lovelace": "2026-05-02", "Alan Kay": "2026-05-02"}
    snapshot = app.open_vault(root, TODAY).snapshot
    assert [(c.role, c.location) for c in snapshot.contacts] == [
        ("Mathematician", "London"),
        ("Inventor", None),
    ]


MIXED = {
    **OBSIDIAN,
    "References/Ada Okafor.md": (
        '---\ncategories:\n  - "[[People]]"\norg:\n  - "[[Acme]]"\nlastContact: 2026-10-01\n---\n'
    ),
    "References/Ben Adler.md": '---\ncategories:\n  - "[[People|people]]"\n---\n',
    "References/Dune.md": '---\ncategories:\n  - "[[Books]]"\nauthor:\n  - "[[Ben Adler]]"\n---\n',
    "References/Kyoto.md": '---\ncategories:\n  - "[[Places]]"\n---\n',
    "References/Acme.md": '---\ncategories:\n  - "[[Companies]]"\n---\n',
    "Categories/People.md": "---\ntags:\n  - categories\n---\n![[People.base]]\n",
    "Notes/2026-11-02 Meeting with Ada.md": (
        '---\ncategories:\n  - "[[Meetings]]"\ndate: 2026-11-02\npeople:\n'
        '  - "[[Ada Okafor]]"\n---\n- talked about [[Dune]]\n'
    ),
    "Notes/Dune review.md": '---\nauthor: "[[Ben Adler]]"\ndate: 2026-11-10\n---\n',
}


def test_init_finds_people_marked_in_a_mixed_folder(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, MIXED)
    assert init(run, root) == [
        "found 2 people in References/ by categories: [[People]]",
        NO_DAILY,
        "found 1 meeting note naming people under people",
        "mapped lastContact → last_contact",
        "mapped org → company",
        *WROTE,
        "2 contacts, none with a tier yet. Next: netzwerk review",
    ]
    config = load_config(root)[0]
    assert (config.contacts, [(r.key, r.value) for r in config.contacts_where]) == (
        (),
        [("categories", "people")],
    )
    # No book, place, company or category note; an author is no meeting.
    assert last_contacts(root) == {"Ada Okafor": "2026-11-02", "Ben Adler": None}
    assert not (root / "People").exists()


@pytest.mark.parametrize(
    ("marks", "line", "rule"),
    [
        ("type: person", "by type: person", "type = person"),
        ("type: Contact", "by type: Contact", "type = Contact"),
        ("tags:\n  - friend\n  - person", "by tags: person", "tags = person"),
        ("tags: [people]", "by tags: people", "tags = people"),
        ("category: '[[Person]]'", "by category: [[Person]]", "category = [[Person]]"),
    ],
)
def test_init_finds_people_by_each_mark(
    tmp_path: Path, write_vault: WriteVault, run: Run, marks: str, line: str, rule: str
) -> None:
    root = write_vault(
        tmp_path,
        {
            "Notes/Ada Okafor.md": f"---\n{marks}\ntier: 10\n---\n",
            "Notes/Kyoto.md": "---\ntype: place\ntags: [travel]\n---\n",
        },
    )
    assert init(run, root)[0] == f"found 1 person in Notes/ {line}"
    assert f"contacts_where = {json.dumps([rule])}" in toml(root)
    assert sorted(last_contacts(root)) == ["Ada Okafor"]


def test_init_uses_a_folder_and_a_mark_when_the_vault_needs_both(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "People/Ada Okafor.md": person(tier="10"),
            "People/Ben Adler.md": person(type="person", tier="10"),
            "Work/Clients/Cy Park.md": person(type="person", tier="50"),
            "Work/Dee Lin.md": person(type="person", tier="50"),
            "Work/Acme.md": person(type="company"),
        },
    )
    assert init(run, root)[:2] == [
        "found 2 people in People/",
        "found 2 people in 2 folders by type: person",
    ]
    config = load_config(root)[0]
    assert (config.contacts, len(config.contacts_where)) == (("People",), 1)
    assert "contacts =" not in toml(root)  # People/ is the default
    assert sorted(last_contacts(root)) == ["Ada Okafor", "Ben Adler", "Cy Park", "Dee Lin"]


def test_init_says_where_it_found_no_people(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"Kontakte/Ann.md": person(tier="10"), "Ideas.md": "x\n"})
    assert init(run, root) == [
        "found no people: no folder named People, Contacts, Persons or Friends, and no note "
        "with type: person, tags: person or categories: [[People]]",
        NO_DAILY,
        *WROTE,
        '0 contacts. Next: netzwerk add "NAME"',
    ]
    assert not (root / "People").exists()  # the vault keeps its people elsewhere


def test_init_adopts_an_empty_people_folder(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"Ideas.md": "x\n"})
    (root / "Contacts").mkdir()
    assert init(run, root)[0] == "found no people yet in Contacts/"
    assert load_config(root)[0].contacts == ("Contacts",)


# ------------------------------------------------------------------ notes that are never people


def test_init_leaves_out_readmes_and_templates_beside_people(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "contacts/README.md": "# Contacts\n\nPut contact notes here.\n",
            "contacts/Readme.md": "# Contacts\n",
            "contacts/People MOC.md": "- [[Jane Doe - Acme Inc]]\n",
            "contacts/Jane Doe - Acme Inc.md": person(type="contact", name='"Jane Doe"'),
            "contacts/Templates/Contact.md": person(type="contact", name=""),
            "Templates/Person.md": person(type="contact", tier=""),
            "Notes/Sam Patel.md": person(type="contact"),
        },
    )
    assert init(run, root)[:6] == [
        "found 1 person in contacts/",
        "found 1 person in Notes/ by type: contact",
        "left out contacts/People MOC.md: not a person",
        "left out Templates/: templates, not people",
        "left out contacts/Templates/: templates, not people",
        "found no daily notes; netzwerk reads them in Daily/ as YYYY-MM-DD",
    ]
    # (`Readme.md` needs nothing: README.md is left out in any case.)
    assert load_config(root)[0].exclude == (
        "README.md",
        "index.md",
        "Index.md",
        "People MOC.md",
        "Templates/*",
        "contacts/Templates/*",
    )
    assert sorted(last_contacts(root)) == ["Jane Doe - Acme Inc", "Sam Patel"]
    assert run("check", str(root)).stdout == ""


# ------------------------------------------------------------------ helpers


def _front(text: str) -> tuple[Any, ...]:
    entries, problems = read_front("x.md", text)
    assert problems == [] and entries is not None
    return tuple(entries)


def _note(path: str, text: str) -> Note:
    parts = split(path, text)
    return Note(path, _front(parts.front) if parts.front else (), parts.body, parts.body_line)


# ------------------------------------------------------------------ daily notes


@pytest.mark.parametrize(
    ("fmt", "paths"),
    [
        ("YYYY-MM-DD", ["2026-11-02.md", "2026-11-20.md"]),
        ("YYYY/MM/DD", ["2026/11/02.md", "2026/11/20.md"]),
        ("YYYY/MM/YYYY-MM-DD", ["2026/11/2026-11-02.md", "2026/11/2026-11-20.md"]),
        ("DD.MM.YYYY", ["02.11.2026.md", "20.11.2026.md"]),
        ("YYYY-MM-DD dddd", ["2026-11-02 Monday.md", "2026-11-20 Friday.md"]),
        ("MMMM Do, YYYY", ["November 2nd, 2026.md", "November 20th, 2026.md"]),
    ],
)
def test_init_counts_daily_notes_where_obsidian_keeps_them(
    tmp_path: Path, write_vault: WriteVault, run: Run, fmt: str, paths: list[str]
) -> None:
    settings = json.dumps({"folder": "Journal/Days/", "format": fmt})
    root = write_vault(
        tmp_path,
        {
            ".obsidian/daily-notes.json": settings,
            "Friends/Ann.md": person(tier="10"),
            **{f"Journal/Days/{p}": "- [x] called [[Ann]]\n" for p in paths},
            "Journal/Days/Plans.md": "- [[Ann]] in December\n",
        },
    )
    assert init(run, root) == [
        "found 1 person in Friends/",
        f"found 2 daily notes in Journal/Days/ as {fmt} (Obsidian's daily notes settings)",
        *WROTE,
        "1 contact; `netzwerk check` finds 1 warning. Next: netzwerk check",
    ]
    # Obsidian's settings are read by netzwerk itself: nothing to write.
    assert "journal" not in toml(root)
    assert last_contacts(root) == {"Ann": "2026-11-20"}
    # The note that is no daily note is reported (issue 19: not silently ignored).
    assert run("check", str(root)).stdout.startswith("Journal/Days/Plans.md: warning:")


def test_init_counts_daily_notes_of_the_periodic_notes_plugin(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    periodic = {"daily": {"enabled": True, "folder": "Log", "format": "DD.MM.YYYY"}}
    root = write_vault(
        tmp_path,
        {
            ".obsidian/plugins/periodic-notes/data.json": json.dumps(periodic),
            "People/Ann.md": person(tier="10"),
            "Log/20.11.2026.md": "Lunch with [[Ann]].\n",
        },
    )
    assert (
        init(run, root)[1]
        == "found 1 daily note in Log/ as DD.MM.YYYY (Obsidian's daily notes settings)"
    )
    assert last_contacts(root) == {"Ann": "2026-11-20"}


@pytest.mark.parametrize(
    ("folder", "fmt", "paths"),
    [
        ("Daily", "YYYY-MM-DD", ["2026-11-02.md", "2026-11-20.md"]),
        ("10 Example Data/dailys", "YYYY-MM-DD", ["2026-11-02.md", "2026-11-20.md"]),
        ("Journal", "YYYY/MM/DD", ["2026/11/02.md", "2026/11/20.md"]),
        ("Journal", "YYYY-MM-DD", ["2026/11/2026-11-02.md", "2026/11/2026-11-20 Fri.md"]),
        ("Daily Notes", "DD.MM.YYYY", ["02.11.2026.md", "20.11.2026.md"]),
        ("diary", "YYYYMMDD", ["20261102.md", "20261120.md"]),
        ("Journal", "DD-MM-YYYY", ["02-11-2026.md", "20-11-2026.md"]),
        ("Journal", "MM-DD-YYYY", ["11-02-2026.md", "11-20-2026.md"]),
    ],
)
def test_init_finds_daily_notes_by_their_names(
    tmp_path: Path, write_vault: WriteVault, run: Run, folder: str, fmt: str, paths: list[str]
) -> None:
    root = write_vault(
        tmp_path,
        {
            "People/Ann.md": person(tier="10"),
            **{f"{folder}/{p}": "- met [[Ann]]\n" for p in paths},
            # Dated, but meetings: not daily notes.
            "Meetings/2026-11-21 Ann.md": "---\nwith: '[[Ann]]'\n---\n",
            "Meetings/2026-11-22 Ann.md": "---\nwith: '[[Ann]]'\n---\n",
            "Meetings/2026-11-23 Ann.md": "---\nwith: '[[Ann]]'\n---\n",
        },
    )
    lines = init(run, root)
    assert lines[1] == f"found 2 daily notes in {folder}/ as {fmt}"
    config = load_config(root)[0]
    assert (config.journal, config.journal_format) == ((folder,), fmt)
    written = "" if folder == "Daily" else f"journal = {json.dumps([folder])}"
    assert written in toml(root)
    assert ("journal_format" in toml(root)) == (fmt != "YYYY-MM-DD")
    assert app.open_vault(root, TODAY).snapshot.journals[0].date.isoformat() == "2026-11-02"


def test_init_reads_daily_notes_in_the_vault_itself_when_obsidian_keeps_them_there(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            ".obsidian/core-plugins.json": json.dumps({"daily-notes": True, "canvas": False}),
            "people/ada/Ada.md": person(tags="[person]"),
            "2026-11-20.md": "Coffee with [[Ada]].\n",
            "Birthdays.md": "- [[Ada]]: 10 December\n",
        },
    )
    assert init(run, root)[1] == "found 1 daily note in the vault's top folder as YYYY-MM-DD"
    assert 'journal = ["."]' in toml(root)
    assert load_config(root)[0].journal == ("",)
    assert last_contacts(root) == {"Ada": "2026-11-20"}
    assert run("check", str(root)).stdout == ""


def test_init_reads_dataview_fields_in_daily_notes(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "10 Example Data/people/AB1908.md": person(birthday="1999-05-05"),
            "10 Example Data/people/Elias.md": person(birthday="1984-06-14"),
            "10 Example Data/dailys/2022-01-16.md": "met:: [[AB1908]] on my way home.\n",
            "10 Example Data/dailys/2022-08-11.md": "I talked to (person:: [[Elias]]).\n",
            "10 Example Data/dailys/2022-08-12.md": "- [ ] call (person:: [[Elias]])\n",
        },
    )
    assert init(run, root)[:2] == [
        "found 2 people in 10 Example Data/people/",
        "found 3 daily notes in 10 Example Data/dailys/ as YYYY-MM-DD",
    ]
    assert last_contacts(root) == {"AB1908": "2022-01-16", "Elias": "2022-08-11"}


def test_init_leaves_out_the_folder_note_of_the_journal(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            ".obsidian/daily-notes.json": '{"folder": "Daily"}',
            "People/Max Muster.md": person(Name="Max Muster"),
            "Daily/2024-06-14.md": '---\nDate: "2024-06-14"\n---\n',
            "Daily/Daily.md": "# Daily overview\n```dataview\nTASK\n```\n",
        },
    )
    assert init(run, root)[1:3] == [
        "left out Daily/Daily.md: the folder's own note, not a daily note",
        "found 1 daily note in Daily/ as YYYY-MM-DD (Obsidian's daily notes settings)",
    ]
    assert run("check", str(root)).stdout == ""


def test_init_replaces_daily_notes_settings_outside_the_vault(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            ".obsidian/daily-notes.json": '{"folder": "../elsewhere"}',
            "People/Ann.md": person(tier="10"),
        },
    )
    assert init(run, root)[1] == NO_DAILY
    assert 'journal = ["Daily"]' in toml(root)  # else netzwerk reads Obsidian's settings
    assert run("check", str(root)).stdout == ""


@pytest.mark.parametrize("settings", ["{not json", '["Daily"]', '{"folder": 3}'])
def test_init_ignores_unusable_daily_notes_settings(
    tmp_path: Path, write_vault: WriteVault, run: Run, settings: str
) -> None:
    root = write_vault(tmp_path, {".obsidian/daily-notes.json": settings, "People/A.md": ""})
    assert init(run, root)[1] == NO_DAILY
    assert load_config(root)[0].journal == ("Daily",)
    assert not (root / "Daily").exists()


# ------------------------------------------------------------------ meeting notes


@pytest.mark.parametrize(
    ("front", "under"),
    [
        ('people:\n  - "[[Ada Okafor]]"', "people"),
        ('attendees: ["[[Ada Okafor]]", "[[Ben Adler]]"]', "attendees"),
        ('Participants: "[[Ada Okafor]]"', "Participants"),
        ('person: "[[People/Ada Okafor]]"', "person"),
        ("with: ada-okafor", "with"),
    ],
)
def test_init_counts_meeting_notes_under_each_default_key(
    tmp_path: Path, write_vault: WriteVault, run: Run, front: str, under: str
) -> None:
    root = write_vault(
        tmp_path,
        {
            "People/Ada Okafor.md": person(tier="50"),
            "People/Ben Adler.md": person(tier="reserve"),
            "Interactions/2026-10-01 Ada.md": f"---\n{front}\n---\n",
            "Interactions/Call.md": f"---\n{front}\ndate: 2026-11-05\n---\n",
            "Interactions/Undated.md": f"---\n{front}\n---\n",
        },
    )
    assert init(run, root) == [
        "found 2 people in People/",
        NO_DAILY,
        f"found 2 meeting notes naming people under {under}",
        *WROTE,
        "2 contacts. Next: netzwerk due",
    ]
    assert "interactions" not in toml(root)  # the defaults
    assert last_contacts(root)["Ada Okafor"] == "2026-11-05"


@pytest.mark.parametrize("key", ["met_with", "contacts", "Who"])
def test_init_adds_the_vaults_own_meeting_keys(
    tmp_path: Path, write_vault: WriteVault, run: Run, key: str
) -> None:
    root = write_vault(
        tmp_path,
        {
            "People/Ada Okafor.md": person(tier="50"),
            "Meetings/2026-11-05.md": f'---\n{key}: ["[[Ada Okafor]]"]\n---\n',
            "Meetings/2026-11-06.md": f"---\n{key}:\n  - Ada Okafor\n  - Zed Nobody\n---\n",
            "Books/Dune.md": '---\nauthor: "[[Ada Okafor]]"\ndate: 2026-11-20\n---\n',
        },
    )
    assert init(run, root)[2] == f"found 2 meeting notes naming people under {key}"
    interactions = ["people", "attendees", "participants", "person", "with", key]
    assert f"interactions = {json.dumps(interactions)}" in toml(root)
    assert last_contacts(root) == {"Ada Okafor": "2026-11-06"}  # not the book's date


def test_init_counts_meeting_notes_with_a_participants_section(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "People/Max Muster.md": person(Company='"[[Tree Company]]"'),
            "Meetings/Meeting - 2024-06-14 2247.md": (
                '---\nDate: "2024-06-14"\n---\n## Participants\n- [[Max Muster]]\n## Content\n'
            ),
            "Meetings/Meeting - 2024-06-18 2100.md": (
                '---\nDate: "2024-06-18"\n---\n## Participants\n\n## Content\n'
            ),
        },
    )
    assert init(run, root)[2] == "found 1 meeting note naming people under ## Participants"
    assert last_contacts(root) == {"Max Muster": "2024-06-14"}


def test_init_maps_the_date_of_meeting_notes(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "People/Ada Okafor.md": person(tier="50"),
            "Meetings/Kickoff.md": person(meeting_date="2026-11-05", people='"[[Ada Okafor]]"'),
            "Meetings/Review.md": person(
                created="2026-11-20", meeting_date="2026-11-10", people='"[[Ada Okafor]]"'
            ),
        },
    )
    assert init(run, root)[2:4] == [
        "found 2 meeting notes naming people under people",
        "mapped meeting_date → date",
    ]
    assert 'date = "meeting_date"' in toml(root)
    assert last_contacts(root) == {"Ada Okafor": "2026-11-10"}


# ------------------------------------------------------------------ property names


@pytest.mark.parametrize(
    ("prop", "value", "key", "seen"),
    [
        ("lastContact", "2026-11-01", "last_contact", "2026-11-01"),
        ("last_contacted", "2026-11-01", "last_contact", "2026-11-01"),
        ("LastChatted", "2026-11-01", "last_contact", "2026-11-01"),
        ("last_contact_date", "2026-11-01", "last_contact", "2026-11-01"),
        ("city", "Austin", "location", "Austin"),
        ("org", '"[[Acme]]"', "company", "Acme"),
        ("organization", "Acme", "company", "Acme"),
        ("organizations", "[acme, mit]", "company", "acme, mit"),
        ("title", "Founder", "role", "Founder"),
        ("position", "Founder", "role", "Founder"),
        ("Position", "Founder", "role", "Founder"),
        ("crm_tags", "[lead, local]", "tags", ("lead", "local")),
        ("E-mail", "ada@example.org", "email", ("ada@example.org",)),
        ("Phone Number", '"+1 555"', "phone", ("+1 555",)),
        ("Street Address", "[Coliseum, Rome]", "address", ("Coliseum", "Rome")),
        ("next_contact_due", "2026-12-01", "next_contact", "2026-12-01"),
        ("cadence_days", "30", "cadence", "30d"),
        ("contact_cadence", "quarterly", "cadence", "3m"),
        ("date_of_birth", "1990-03-14", "birthday", "1990-03-14"),
        ("full_name", "Ada Okafor-Smith", "name", "Ada Okafor-Smith"),
    ],
)
def test_init_maps_each_property_name(
    tmp_path: Path,
    write_vault: WriteVault,
    run: Run,
    prop: str,
    value: str,
    key: str,
    seen: object,
) -> None:
    root = write_vault(
        tmp_path,
        {
            "People/Ada Okafor.md": person(tier="50", **{prop: value}),
            "People/Ben Adler.md": person(tier="50"),
        },
    )
    assert init(run, root)[2] == f"mapped {prop} → {key}"
    assert f"{key} = {json.dumps(prop)}" in toml(root)
    ada = app.open_vault(root, TODAY).snapshot.contacts[0]
    got = getattr(ada, "display" if key == "name" else key)
    assert (
        str(got) if key in ("cadence", "birthday", "last_contact", "next_contact") else got
    ) == seen
    assert ada.extra == {}  # read as netzwerk's key, not as an unknown property


def test_init_maps_no_capitalised_key_obsidian_already_matches(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "People/Max Muster.md": person(
                Name="Max Muster", Company='"[[Tree Company]]"', Birthday="1980-02-03", LinkedIn=""
            ),
        },
    )
    assert init(run, root) == [
        "found 1 person in People/",
        NO_DAILY,
        *WROTE,
        "1 contact, none with a tier yet. Next: netzwerk review",
    ]
    max_ = app.open_vault(root, TODAY).snapshot.contacts[0]
    assert (max_.company, str(max_.birthday)) == ("Tree Company", "1980-02-03")


def test_init_maps_a_key_only_where_netzwerks_own_name_is_unused(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            # `company` is used by one person: `org` stays the vault's own property.
            "People/Ada.md": person(company="Acme", org="Acme Group"),
            "People/Ben.md": person(org="Initech"),
            # Only in a book: not a person's property.
            "Books/Dune.md": person(type="book", city="Arrakeen"),
            # A value that is no date is not a last contact.
            "People/Cy.md": person(last_contacted="ages ago"),
        },
    )
    assert [line for line in init(run, root) if line.startswith("mapped")] == []
    assert "[keys]" not in toml(root)


# ------------------------------------------------------------------ tiers


CIRCLES = {
    "People/Ada Okafor.md": person(
        type="person", circle="close", cadence_days="30", last_contact="2026-10-01"
    ),
    "People/Bo Lin.md": person(type="person", circle="close", cadence_days="30"),
    "People/Marcus Webb.md": person(
        type="person", circle="family", cadence_days="14", last_contact="2026-11-15"
    ),
    "People/Priya Sharma.md": person(type="person", circle="professional", cadence_days="90"),
    "People/Sam Roe.md": person(type="person", circle="acquaintance", last_contact="2025-01-01"),
    "Templates/Person.md": "---\ntype: person\ncircle: friend\n---\n# {{title}}\n",
}


def test_init_turns_the_vaults_circles_into_tiers(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, CIRCLES)
    assert init(run, root) == [
        "found 5 people in People/",
        NO_DAILY,
        "mapped circle → tier",
        "mapped cadence_days → cadence",
        "found 4 tiers under circle: family, close, professional, acquaintance; "
        "netzwerk's default tiers left out",
        *WROTE,
        "5 contacts. Next: netzwerk due",
    ]
    assert toml(root).split("\n[keys]")[0] == (
        "default_tiers = false\n"
        '[tiers.family]\nlabel = "Family"\ncadence = "2w"\n'
        '[tiers.close]\nlabel = "Close"\ncadence = "30d"\n'
        '[tiers.professional]\nlabel = "Professional"\ncadence = "90d"\n'
        '[tiers.acquaintance]\nlabel = "Acquaintance"\ncadence = "6m"'
    )
    config = load_config(root)[0]
    assert [t.name for t in config.tiers] == ["family", "close", "professional", "acquaintance"]
    # Each by their own cadence (Marcus: 14 days after 15 November), the unmet ones on their
    # own day of their cadence (staggered starts: not all at once).
    unmet = {
        name: "due"
        for name, days in (("Bo Lin", 30), ("Priya Sharma", 90))
        if first_due(name, Duration(days, "d"), TODAY) <= TODAY + timedelta(days=6)
    }
    assert due(run, root) == {
        "Ada Okafor": "overdue",
        "Marcus Webb": "due",
        "Sam Roe": "overdue",
        **unmet,
    }
    assert run("check", str(root)).stdout == ""


def test_init_keeps_the_default_tiers_beside_the_vaults_own(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "contacts/Ana.md": person(relationship_tier="warm", contact_cadence="monthly"),
            "contacts/Jane.md": person(relationship_tier="core", contact_cadence='"custom"'),
            "contacts/Lena.md": person(relationship_tier="Top 10"),
        },
    )
    assert "found 2 tiers under relationship_tier: core, warm" in init(run, root)
    assert "default_tiers" not in toml(root)
    config = load_config(root)[0]
    assert [(t.name, str(t.cadence)) for t in config.tiers] == [
        ("10", "3w"),
        ("50", "2m"),
        ("100", "6m"),
        ("reserve", "never"),
        ("target", "never"),
        ("core", "3w"),
        ("warm", "1m"),
    ]


def test_init_writes_no_tiers_for_netzwerks_own(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path, {"People/A.md": person(tier="10"), "People/B.md": person(tier="Reserve")}
    )
    assert not any("tier" in line for line in init(run, root))
    assert "tiers" not in toml(root)


# ------------------------------------------------------------------ headings

CRM_NOTE = """---
type: contact
last_contacted: 2026-05-20
---
# Evelyn Park

## Life Events

- 1998-00-00: moved to London
- 2019-08-01: started at Park Advisory

## Communication Log

### 2026-06-12 — Email

- **Summary:** Sent an update.

### 2026-04-10 — Zoom call

## Family

- spouse: [[Sam Park]]
- [[Kim Park]], her sister
"""


def test_init_finds_log_and_connection_headings(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "contacts/Evelyn Park.md": CRM_NOTE,
            "contacts/Sam Park.md": person(type="contact")
            + "## Interactions\n- 2026-07-01 call: hi\n",
            "contacts/Kim Park.md": "---\ntype: contact\n---\n## Timeline\n- 2026-08-01: moved\n",
        },
    )
    assert init(run, root)[2:] == [
        "mapped last_contacted → last_contact",
        "found dated log entries under ## Communication Log in 1 note",
        "found dated log entries under ## Interactions in 1 note",
        "found links to people under ## Family in 1 note",
        *WROTE,
        "3 contacts, none with a tier yet. Next: netzwerk review",
    ]
    config = load_config(root)[0]
    assert config.log_headings == ("Log", "Communication Log", "Interactions")
    assert config.connection_headings == ("People", "Related", "Relationships", "Family")
    assert last_contacts(root) == {
        "Evelyn Park": "2026-06-12",
        "Kim Park": None,  # a timeline is no log
        "Sam Park": "2026-07-01",
    }
    evelyn = app.open_vault(root, TODAY).snapshot.contacts[0]
    assert [(r.target, r.relation) for r in evelyn.related] == [
        ("Sam Park", "spouse"),
        ("Kim Park", None),
    ]
    assert run("check", str(root)).stdout == ""  # 1998-00-00 in Life Events is no error


# ------------------------------------------------------------------ an existing netzwerk.toml


def test_init_never_overwrites_netzwerk_toml_but_says_what_it_lacks(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    mine = b'# mine\r\ncontacts = ["References"]\r\n\r\n[keys]\r\ncompany = "org"\r\n'
    root = write_vault(tmp_path, {**MIXED, "netzwerk.toml": mine})
    assert init(run, root) == [
        "found 2 people in References/ by categories: [[People]]",
        NO_DAILY,
        "found 1 meeting note naming people under people",
        "mapped lastContact → last_contact",
        "mapped org → company",
        "kept the existing netzwerk.toml; settings found for this vault that it lacks:",
        '  contacts_where = ["categories = [[People]]"]  # and notes marked as people, '
        "wherever they are",
        "  [keys]  # netzwerk's name = this vault's property",
        '  last_contact = "lastContact"',
        "added .netzwerk/ to .gitignore",
        # By its own settings, with lastContact not mapped (yet): a warning says so.
        "5 contacts, none with a tier yet; `netzwerk check` finds 1 warning. Next: netzwerk check",
    ]
    assert (root / "netzwerk.toml").read_bytes() == mine


def test_init_with_a_netzwerk_toml_that_has_all_it_found(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    mine = 'contacts = ["Friends"]\n'
    root = write_vault(tmp_path, {"netzwerk.toml": mine, "Friends/Ann.md": person(tier="10")})
    assert init(run, root) == [
        "found 1 person in Friends/",
        NO_DAILY,
        "kept the existing netzwerk.toml",
        "added .netzwerk/ to .gitignore",
        "1 contact. Next: netzwerk due",
    ]
    assert toml(root) == mine.strip()


def test_init_with_a_broken_netzwerk_toml_changes_nothing_and_creates_no_folder(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"netzwerk.toml": "contacts = [\n"})
    result = run("init", str(root))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "kept the existing netzwerk.toml (it has errors: `netzwerk check` shows them)",
        "added .netzwerk/ to .gitignore",
        "netzwerk.toml has errors. Next: netzwerk check",
    ]
    assert (root / "netzwerk.toml").read_text(encoding="utf-8") == "contacts = [\n"
    assert sorted(p.name for p in root.iterdir()) == [".gitignore", "netzwerk.toml"]


# ------------------------------------------------------------------ any vault at all


def test_init_never_crashes_on_what_a_vault_holds(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    outside = write_vault(tmp_path / "outside", {"Eve.md": person(type="person")})
    root = write_vault(
        tmp_path / "vault",
        {
            "People/Ada.md": person(tier="10"),
            "People/Bad YAML.md": "---\ntier: [10\n---\n",
            "People/Unclosed.md": "---\ntier: 10\n",
            "People/Binary.md": b"\x00\xff\xfe binary \x80",
            "People/Latin-1.md": "---\ncity: K\xf8benhavn\n---\n".encode("latin-1"),
            "People/Mapping.md": "---\ncircle:\n  inner: true\n---\n",
            "People/Alias.md": "---\nx: &a 1\ny: *a\n---\n",
            "Notes/Huge.md": "---\ntype: person\n---\n" + "x" * (3 * 1024 * 1024),
            "Notes/Picture.png": b"\x89PNG",
        },
    )
    os.symlink(root, root / "People" / "loop")
    os.symlink(outside, root / "Linked")  # a folder outside the vault: never read
    os.symlink(outside / "Eve.md", root / "Notes" / "Eve.md")
    lines = init(run, root)
    assert lines[0] == "found 7 people in People/"
    assert "contacts_where" not in toml(root)  # Eve is outside the vault
    # Ada, and two read despite a bad value; the five others are what `check` lists.
    assert (
        lines[-1]
        == "3 contacts; `netzwerk check` finds 5 errors and 1 warning. Next: netzwerk check"
    )


def test_init_reads_each_note_once(
    tmp_path: Path, write_vault: WriteVault, monkeypatch: Any
) -> None:
    from netzwerk import scaffold

    root = write_vault(tmp_path, {f"People/P{i}.md": person(tier="10") for i in range(20)})
    opened: list[str] = []
    real_open = open

    def counting(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", counting)
    scaffold.init_vault(root)
    notes = [f for f in opened if f.endswith(".md")]
    assert sorted(notes) == sorted(set(notes)) and len(notes) == 20


# ------------------------------------------------------------------ detection, directly


def note(path: str, text: str = "") -> Note:
    """A note as init reads it."""
    parts = split(path, text)
    entries = read_front(path, parts.front)[0] if parts.front is not None else []
    return Note(path, tuple(entries or ()), parts.body, parts.body_line)


def test_adopt_of_no_notes_finds_nothing() -> None:
    assert adopt([], Obsidian()) == ({}, ())


def test_adopt_chooses_the_rule_that_finds_most_and_only_rules_that_add_people() -> None:
    notes = [
        note("A/Ada.md", "---\ntype: person\ntags: [person]\n---\n"),
        note("A/Ben.md", "---\ntype: person\n---\n"),
        note("B/Cy.md", "---\ntags: [person]\n---\n"),
        note("B/Dee.md", "---\ntags: [person]\ntype: person\n---\n"),
        note("B/Eve.md", "---\ntype: person\n---\n"),
    ]
    found = adopt(notes, Obsidian())
    assert found.settings["contacts_where"] == ["type = person", "tags = person"]
    assert found.found[:2] == (
        "found 4 people in 2 folders by type: person",
        "found 1 person in B/ by tags: person",
    )


def test_adopt_takes_a_rule_as_most_of_the_vault_writes_it() -> None:
    notes = [
        note("R/Ada.md", '---\ncategories: ["[[People]]"]\n---\n'),
        note("R/Ben.md", '---\ncategories: ["[[people]]"]\n---\n'),
        note("R/Cy.md", '---\ncategories: ["[[people]]"]\n---\n'),
    ]
    assert adopt(notes, Obsidian()).settings["contacts_where"] == ["categories = [[people]]"]


def test_adopt_gives_a_tier_the_cadence_most_of_its_people_have() -> None:
    notes = [
        note("People/A.md", "---\ncircle: inner\ncadence_days: 14\n---\n"),
        note("People/B.md", "---\ncircle: inner\ncadence_days: 14\n---\n"),
        note("People/C.md", "---\ncircle: inner\ncadence_days: 30\n---\n"),
        note("People/D.md", "---\ncircle: outer\n---\n"),  # none: by its name
        note("People/E.md", "---\ncircle: Dormant\n---\n"),
        note("People/F.md", "---\ncircle: misc\n---\n"),
    ]
    tiers = adopt(notes, Obsidian()).settings["tiers"]
    assert tiers == {
        "inner": {"label": "Inner", "cadence": "2w"},
        "misc": {"label": "Misc", "cadence": "3m"},
        "outer": {"label": "Outer", "cadence": "6m"},
        "Dormant": {"cadence": "never"},
    }


def test_init_writes_any_tier_name_and_folder_as_valid_toml(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            'Old "B" [c]/Friends/Ada.md': person(ring='"inner circle"'),
            'Old "B" [c]/Friends/Ben.md': person(ring="A-list"),
            'Old "B" [c]/Friends/Cy.md': person(ring="Übrige"),
            'Old "B" [c]/Friends/Dee.md': person(ring="'x.y = [z]'"),
            "Templates [old]/Person.md": person(type="person"),
            "Notes/Eve.md": person(type="person"),
        },
    )
    lines = init(run, root)
    assert lines[2] == "left out Templates [old]/: templates, not people"
    config = load_config(root)[0]
    assert config.contacts == ('Old "B" [c]/Friends',)
    assert [t.name for t in config.tiers] == ["inner circle", "A-list", "x.y = [z]", "Übrige"]
    assert config.exclude[-1] == "Templates [[]old]/*"
    assert sorted(last_contacts(root)) == ["Ada", "Ben", "Cy", "Dee", "Eve"]


def test_adopt_keeps_a_dated_folder_note_in_the_journal() -> None:
    notes = [
        note("Daily/Daily.md", "---\ndate: 2026-11-02\n---\n"),  # dated: a daily note too
        note("Daily/2026-11-03.md"),
        note("Daily/Sub/Sub.md"),  # a folder note: no daily note
    ]
    found = adopt(notes, Obsidian(daily=("Daily", "YYYY-MM-DD")))
    assert found.settings == {"exclude": ["README.md", "index.md", "Index.md", "Daily/Sub/Sub.md"]}


def test_init_says_which_settings_have_errors(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": "week_start = 'monday'\n",
            ".obsidian/daily-notes.json": '{"folder": "/elsewhere"}',
            "People/Ann.md": person(tier="10"),
        },
    )
    result = run("init", str(root))
    assert result.stdout.splitlines()[2:] == [
        "kept the existing netzwerk.toml; settings found for this vault that it lacks:",
        '  journal = ["Daily"]  # daily notes, whose [[links]] count as contact',
        "added .netzwerk/ to .gitignore",
        ".obsidian/daily-notes.json has errors. Next: netzwerk check",
    ]
