"""Vaults as people already keep them: each convention of real Obsidian vaults read as it is,
with nothing rewritten. Each test builds a small vault of one convention and asserts who the
contacts are, their effective last contact (date, source and file line) and whether they are
due, exactly."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result

from netzwerk import app

TODAY = date(2026, 11, 23)

Run = Callable[..., Result]
WriteVault = Callable[..., Path]


def last_contacts(root: Path) -> dict[str, tuple[str, str, str] | None]:
    """Each contact (as shown) -> (date, source, where) of the effective last contact."""
    vault = app.open_vault(root, TODAY)
    found: dict[str, tuple[str, str, str] | None] = {}
    for person in vault.people().facts:
        last = person.last
        where = f"{last.path}:{last.line}" if last and last.line else (last.path if last else "")
        found[person.shown] = (last.date.isoformat(), last.source, where) if last else None
    return found


def due(run: Run, root: Path) -> dict[str, tuple[str, str]]:
    """Who `netzwerk due` lists: name -> (status, next due)."""
    result = run("--vault", str(root), "due", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {i["shown"]: (i["status"], i["next_due"]) for i in json.loads(result.stdout)}


def problems(run: Run, root: Path) -> list[str]:
    return run("check", str(root)).stdout.splitlines()


# ------------------------------------------------------------------ where people are


def test_people_by_a_marker_in_a_mixed_folder(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    # People beside books and places, marked by a property (as in kepano's vault).
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": (
                "contacts = []\n"
                'contacts_where = ["categories = [[People]]", "type = person", "tags = person"]\n'
            ),
            "References/Ada Okafor.md": (
                '---\ncategories:\n  - "[[People]]"\norg:\n  - "[[Acme]]"\ntier: 50\n'
                "last_contact: 2026-08-01\n---\n"
            ),
            "References/Ben Hale.md": "---\nType: Person\ntier: 10\n---\n",
            "References/Cy Ng.md": (
                '---\ntags: [friend, Person]\ncategories: "[[People|people]]"\n---\n'
            ),
            "References/Dune.md": (
                '---\ncategories:\n  - "[[Books]]"\nauthor: "[[Frank Herbert]]"\n---\n'
            ),
            "References/Lisbon.md": '---\ncategories:\n  - "[[Places]]"\ntype: city\n---\n',
            "References/People.md": "---\ntags: [category]\n---\n",
            "Notes/Plan.md": "---\ntype: project\n---\nwith [[Ada Okafor]]\n",
        },
    )
    assert last_contacts(root) == {
        "Ada Okafor": ("2026-08-01", "last_contact", "References/Ada Okafor.md:7"),
        "Ben Hale": None,
        "Cy Ng": None,
    }
    # Ben Hale, never contacted, is due on his own day of every three weeks (2026-12-07).
    assert due(run, root) == {"Ada Okafor": ("overdue", "2026-10-01")}
    assert problems(run, root) == []


def test_people_in_nested_folders_with_their_chat_notes_and_folder_notes(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    # `people/<slug>/<Name>.md` with dated chat notes beside each person (as in hal's vaults).
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": 'contacts = ["10 Data/people"]\n',
            "10 Data/people/ada-okafor/Ada Okafor.md": (
                "---\ntier: 50\nlast_contact: 2026-03-01\n---\n## Life Events\n"
                "- 1998-00-00: born in Lagos\n- 2020-05-01 moved: to Berlin\n"
            ),
            "10 Data/people/ada-okafor/2026-10-30.md": (
                "---\ndate: 2026-10-30\npeople: ['[[Ada Okafor]]']\n---\nchat about Lagos\n"
            ),
            "10 Data/people/ada-okafor/2024-03-01 - chat.md": "lunch\n",
            "10 Data/people/people.md": "# People\n[[Ada Okafor]]\n",
            "10 Data/people/README.md": "---\ntier: 10\n---\nHow this folder works.\n",
            "10 Data/people/index.md": "- [[Ada Okafor]]\n",
        },
    )
    assert last_contacts(root) == {
        "Ada Okafor": ("2026-10-30", "journal", "10 Data/people/ada-okafor/2026-10-30.md:3"),
    }
    assert due(run, root) == {}
    # Dated bullets under `## Life Events` are no log: `1998-00-00` is no error there.
    assert problems(run, root) == []


def test_excluded_notes_are_never_people_and_check_says_nothing_of_them(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": 'exclude = ["People/Archive/**", "*.excalidraw.md"]\n',
            "People/Ada.md": "---\ntier: 50\n---\n",
            "People/Archive/Old.md": "---\ntier: zz\nbirthday: never\n---\n",
            "People/Map.excalidraw.md": "---\nexcalidraw-plugin: parsed\n---\n",
            "People/README.md": "---\ntier: 10\n---\n",  # README.md is excluded by default
        },
    )
    assert list(last_contacts(root)) == ["Ada"]
    assert problems(run, root) == []


# ------------------------------------------------------------------ interactions as notes


@pytest.mark.parametrize(
    ("front", "body"),
    [
        ('people:\n  - "[[Ada Okafor]]"\n  - "[[Ben Hale]]"', ""),
        ('attendees: ["[[Ada Okafor|Ada]]", "[[Ben Hale]]"]', ""),
        ('participants: "[[Ada Okafor]], [[Ben Hale]]"', ""),
        ('person: "[[People/Ada Okafor]]"\nwith: "[[People/Ben Hale.md|Ben]]"', ""),
        ("with: Ada Okafor, Ben Hale", ""),  # plain names, as some plugins write them
        ("type: meeting", "## Participants\n- [[Ada Okafor]]\n- [[Ben Hale]]\n\n## Notes\n[[Cy]]"),
    ],
)
def test_a_dated_note_naming_people_counts_as_contact_with_each(
    tmp_path: Path, write_vault: WriteVault, run: Run, front: str, body: str
) -> None:
    root = write_vault(
        tmp_path,
        {
            "People/Ada Okafor.md": "---\ntier: 10\nlast_contact: 2026-09-01\n---\n",
            "People/Ben Hale.md": "---\ntier: 10\n---\n",
            "People/Cy.md": "---\ntier: 10\nlast_contact: 2026-11-20\n---\n",
            "Meetings/Kick-off.md": f"---\nDate: 2026-11-10T09:30:00Z\n{front}\n---\n{body}",
        },
    )
    contacts = last_contacts(root)
    assert [contacts[n][:2] if contacts[n] else None for n in ("Ada Okafor", "Ben Hale", "Cy")] == [
        ("2026-11-10", "journal"),
        ("2026-11-10", "journal"),
        ("2026-11-20", "last_contact"),  # a link under another heading is no participant
    ]
    assert due(run, root) == {}
    assert problems(run, root) == []


def test_interaction_keys_and_the_date_key_are_settings(
    tmp_path: Path, write_vault: WriteVault
) -> None:
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": 'interactions = ["met_with"]\n[keys]\ndate = "when"\n',
            "People/Ada.md": "---\ntier: 10\n---\n",
            "People/Ben.md": "---\ntier: 10\n---\n",
            "Log/Lunch.md": '---\nwhen: 2026-11-02\nmet_with: "[[Ada]]"\npeople: "[[Ben]]"\n---\n',
            "Log/2026-11-05 Call.md": '---\nmet_with: "[[Ben]]"\n---\n',  # dated by its name
        },
    )
    assert last_contacts(root) == {
        "Ada": ("2026-11-02", "journal", "Log/Lunch.md:3"),
        "Ben": ("2026-11-05", "journal", "Log/2026-11-05 Call.md:2"),
    }


def test_a_note_dated_after_today_is_a_plan_not_a_contact(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "People/Ada.md": "---\ntier: 10\nlast_contact: 2026-10-01\n---\n",
            "Meetings/Next.md": '---\ndate: 2026-12-01\npeople: ["[[Ada]]"]\n---\n',
            "Daily/2026-12-24.md": "Christmas with [[Ada]]\n",
            "Daily/2026-11-01.md": "- [ ] call [[Ada]]\n",  # an open task is no contact either
        },
    )
    assert last_contacts(root) == {"Ada": ("2026-10-01", "last_contact", "People/Ada.md:3")}
    assert due(run, root) == {"Ada": ("overdue", "2026-10-22")}
    # A daily note ahead of its day is worth a word; a meeting planned ahead is not.
    assert problems(run, root) == [
        "Daily/2026-12-24.md: warning: daily note is dated in the future: 2026-12-24; it "
        "counts as contact from that day on [NW212]"
    ]


# ------------------------------------------------------------------ daily notes


@pytest.mark.parametrize(
    ("settings", "path"),
    [
        ('{"folder": "Journal", "format": "YYYY/MM/DD"}', "Journal/2026/11/02.md"),
        ('{"folder": "Journal/", "format": "DD.MM.YYYY"}', "Journal/02.11.2026.md"),
        (
            '{"folder": "Daily Notes", "format": "YYYY-MM-DD dddd"}',
            "Daily Notes/2026-11-02 Monday.md",
        ),
        ('{"format": "YYYY-MM-DD"}', "2026-11-02.md"),  # no folder: the vault itself
        ('{"folder": "J", "format": "YYYY/MMMM/D MMM YYYY"}', "J/2026/November/2 Nov 2026.md"),
    ],
)
def test_daily_notes_where_obsidian_keeps_them(
    tmp_path: Path, write_vault: WriteVault, run: Run, settings: str, path: str
) -> None:
    root = write_vault(
        tmp_path,
        {
            ".obsidian/daily-notes.json": settings,
            "People/Ada Okafor.md": "---\ntier: 10\n---\n",
            path: "Lunch with [[Ada Okafor]].\n",
            "Ideas.md": "[[Ada Okafor]] would like this\n",
        },
    )
    assert last_contacts(root) == {"Ada Okafor": ("2026-11-02", "journal", f"{path}:1")}
    assert problems(run, root) == []


def test_the_periodic_notes_plugin_wins_over_the_core_daily_notes(
    tmp_path: Path, write_vault: WriteVault
) -> None:
    root = write_vault(
        tmp_path,
        {
            ".obsidian/daily-notes.json": '{"folder": "Daily", "format": "YYYY-MM-DD"}',
            ".obsidian/plugins/periodic-notes/data.json": (
                '{"daily": {"enabled": true, "folder": "Periodic/Days", "format": "YYYYMMDD"}}'
            ),
            "People/Ada.md": "---\ntier: 10\n---\n",
            "Periodic/Days/20261102.md": "[[Ada]]\n",
            "Daily/2026-11-05.md": "[[Ada]]\n",  # not where the daily notes are kept now
        },
    )
    assert last_contacts(root) == {"Ada": ("2026-11-02", "journal", "Periodic/Days/20261102.md:1")}


def test_links_in_daily_notes_in_every_form_people_write_them(
    tmp_path: Path, write_vault: WriteVault
) -> None:
    root = write_vault(
        tmp_path,
        {
            "People/Ada Okafor.md": "---\ntier: 10\n---\n",
            "People/AB1908.md": "---\ntier: 10\n---\n",
            "People/Elias.md": "---\ntier: 10\n---\n",
            "People/Dana.md": "---\ntier: 10\n---\n",
            "Daily/2026-11-02.md": "Coffee with [Ada](../People/Ada%20Okafor.md).\n",
            "Daily/2026-11-03.md": "met:: [[AB1908]]\nSomething (person:: [[Elias]]) said.\n",
            "Daily/2026-11-04.md": "- [x] call [Dana](<People/Dana.md>)\n- ![Ada](Ada.md)\n",
        },
    )
    assert last_contacts(root) == {
        "AB1908": ("2026-11-03", "journal", "Daily/2026-11-03.md:1"),
        "Ada Okafor": ("2026-11-02", "journal", "Daily/2026-11-02.md:1"),
        "Dana": ("2026-11-04", "journal", "Daily/2026-11-04.md:1"),
        "Elias": ("2026-11-03", "journal", "Daily/2026-11-03.md:2"),
    }


def test_a_note_in_the_journal_folder_without_a_date_is_reported_once(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            ".obsidian/daily-notes.json": '{"folder": "Journal", "format": "YYYY/MM/DD"}',
            "Journal/2026/11/02.md": "ok\n",
            "Journal/Weekly review.md": "[[Ada]]\n",
            "Journal/Dated.md": "---\ndate: 2026-11-03\n---\n",
        },
    )
    assert problems(run, root) == [
        "Journal/Weekly review.md: warning: a note in the journal folder without a date: its "
        "name does not fit YYYY/MM/DD and it has no date property [NW215]"
    ]


# ------------------------------------------------------------------ properties and values


def test_property_names_as_obsidian_treats_them(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": (
                '[keys]\nemail = "E-mail"\nphone = "Phone Number"\nrole = "Position"\n'
                'last_contact = "LastChatted"\nname = "Full Name"\n'
            ),
            "People/Jane Doe - Acme Inc.md": (
                '---\nTier: 50\nCompany: "[[Tree Company]]"\nPosition: Founder\n'
                "Birthday: 1990-05-01\nE-mail:\n  - jane@acme.example\n  - jd@home.example\n"
                'Phone Number: ["+1 555 0100"]\nLastChatted: 2026-05-02T18:04:11.000Z\n'
                "Full Name: Jane Doe\n---\n"
            ),
        },
    )
    contact = app.open_vault(root, TODAY).snapshot.resolve("Jane Doe - Acme Inc")
    assert contact is not None
    assert (contact.tier, contact.company, contact.role, contact.email, contact.phone) == (
        "50",
        "Tree Company",
        "Founder",
        ("jane@acme.example", "jd@home.example"),
        ("+1 555 0100",),
    )
    assert (str(contact.birthday), contact.shown, contact.refs["company"]) == (
        "1990-05-01",
        "Jane Doe",
        ("Tree Company",),
    )
    assert last_contacts(root) == {
        "Jane Doe": ("2026-05-02", "last_contact", "People/Jane Doe - Acme Inc.md:10")
    }
    assert due(run, root) == {"Jane Doe": ("overdue", "2026-07-02")}
    assert problems(run, root) == []
    # Every address is searched; the name is what tables and digests show, linked by title.
    found = run("--vault", str(root), "find", "jd@home")
    assert found.stdout.splitlines()[1].startswith("Jane Doe ")
    digest = run("--vault", str(root), "digest", "--stdout").stdout
    assert "- [ ] [[Jane Doe - Acme Inc|Jane Doe]] · Top 50 · 144 days overdue" in digest


@pytest.mark.parametrize(
    ("cadence", "next_due"),
    [
        ("weekly", "2026-11-08"),
        ("fortnightly", "2026-11-15"),
        ("monthly", "2026-12-01"),
        ("quarterly", "2027-02-01"),
        ("twice-yearly", "2027-05-01"),
        ("yearly", "2027-11-01"),
        ("every 3 weeks", "2026-11-22"),
        ("10", "2026-11-11"),
        ("custom", "2027-01-01"),  # no cadence of its own: the tier's (Top 50: 2 months)
    ],
)
def test_cadence_as_people_write_it(
    tmp_path: Path, write_vault: WriteVault, run: Run, cadence: str, next_due: str
) -> None:
    root = write_vault(
        tmp_path,
        {"People/Ada.md": f"---\ntier: 50\nlast_contact: 2026-11-01\ncadence: {cadence}\n---\n"},
    )
    shown = run("--vault", str(root), "show", "Ada", "--format", "json")
    assert json.loads(shown.stdout)["next_due"] == next_due
    assert problems(run, root) == []


def test_next_contact_sets_the_due_date_until_it_has_passed(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "People/Ada.md": (
                "---\ntier: 50\nlast_contact: 2026-11-01\nnext_contact: 2026-11-25\n---\n"
            ),
            "People/Ben.md": "---\nnext_contact: 2026-11-20\n---\n",  # no tier, no cadence
            "People/Cy.md": (
                "---\ntier: 10\nnext_contact: 2026-10-01\n---\n## Log\n- 2026-10-05 call: done\n"
            ),
        },
    )
    # Ada: due on the day set, not two months after her last contact. Ben: only that day.
    # Cy: contacted after the day set, so the cadence runs again (3 weeks after 2026-10-05).
    assert due(run, root) == {
        "Ada": ("due", "2026-11-25"),
        "Ben": ("overdue", "2026-11-20"),
        "Cy": ("overdue", "2026-10-26"),
    }


def test_tiers_named_as_the_vault_names_them(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": (
                'default_tiers = false\n[keys]\ntier = "circle"\ncadence = "cadence_days"\n'
                '[tiers.close]\ncadence = "monthly"\n[tiers.family]\nlabel = "Family"\n'
                'cadence = "2w"\n[tiers.professional]\ncadence = "quarterly"\n'
            ),
            "People/Ada.md": "---\ncircle: close\nlast_contact: 2026-10-01\n---\n",
            "People/Ben.md": "---\ncircle: Family\nlast_contact: 2026-11-01\n---\n",  # a label
            "People/Cy.md": (
                "---\ncircle: professional\ncadence_days: 30\nlast_contact: 2026-10-20\n---\n"
            ),
        },
    )
    assert due(run, root) == {
        "Ada": ("overdue", "2026-11-01"),
        "Ben": ("overdue", "2026-11-15"),
        "Cy": ("overdue", "2026-11-19"),
    }
    assert problems(run, root) == []


# ------------------------------------------------------------------ the body


def test_log_lines_only_under_log_headings(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    note = """---
tier: 50
---
# Jane Doe

## Timeline
- 2026-11-01: started at Acme (no contact)

## Communication Log

### 2026-10-12 — Email
Summary: sent the proposal

### 2026-09-30 — Zoom call
Notes: first call

## Interactions
- 2026-08-01 call: an older one

## Notes
- 2026-11-20 call: not in a log section
<<<<<<< ours
- 2026-11-21 call: in a conflict
=======
>>>>>>> theirs
"""
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": 'log_headings = ["Communication Log", "Interactions"]\n',
            "People/Jane Doe.md": note,
        },
    )
    contact = app.open_vault(root, TODAY).snapshot.resolve("Jane Doe")
    assert contact is not None
    assert [(str(e.date), e.kind, e.text, e.line) for e in contact.log] == [
        ("2026-10-12", "mail", "sent the proposal", 11),
        ("2026-09-30", "call", "first call", 14),
        ("2026-08-01", "call", "an older one", 18),
    ]
    assert last_contacts(root) == {"Jane Doe": ("2026-10-12", "log", "People/Jane Doe.md:11")}
    assert due(run, root) == {}  # Top 50: two months after 2026-10-12
    assert problems(run, root) == [
        "People/Jane Doe.md:22: error: git conflict marker; resolve the merge conflict [NW107]",
        "People/Jane Doe.md:24: error: git conflict marker; resolve the merge conflict [NW107]",
        "People/Jane Doe.md:25: error: git conflict marker; resolve the merge conflict [NW107]",
    ]


def test_connections_from_the_body_count_for_path_and_hubs(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "People/Ada.md": (
                "---\ntier: 10\nlast_contact: 2026-11-01\n---\n## People\n- spouse: [[Anna]]\n"
                "- [[Ben]] (her co-founder)\n- works at [[Acme]]\n"
            ),
            "People/Ben.md": "---\nrole: investor\n---\n## Relationships\n- [[Cy]]\n",
            "People/Cy.md": "---\ncompany: Fund\n---\n",
            "Acme.md": "# Acme\n",
        },
    )
    result = run("--vault", str(root), "path", "Cy", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (chain,) = json.loads(result.stdout)
    assert [hop["reason"] for hop in chain["hops"]] == [
        "Ada knows Ben (linked in People/Ada.md:7)",
        "Ben knows Cy (linked in People/Ben.md:5)",
    ]
    hubs = json.loads(run("--vault", str(root), "hubs", "--format", "json").stdout)
    # Ada: Anna (named with a relation, though she has no note) and Ben; not Acme, a company.
    assert {h["name"]: h["count"] for h in hubs}["Ada"] == 2
    show = json.loads(run("--vault", str(root), "show", "Ada", "--format", "json").stdout)
    assert [c["reason"] for c in show["connections"]] == [
        "Ada knows Anna (spouse in People/Ada.md:6)",
        "Ada knows Ben (linked in People/Ada.md:7)",
    ]


# ------------------------------------------------------------------ found by trying it


@pytest.mark.parametrize(
    "command", [["show", "Ada"], ["due"], ["digest", "--stdout"], ["review"], ["find", "a"]]
)
def test_the_problem_summary_is_printed_once_per_command(
    tmp_path: Path, write_vault: WriteVault, run: Run, command: list[str]
) -> None:
    # Before: `show` printed it three times.
    root = write_vault(tmp_path, {"People/Ada.md": "---\ntier: 50\nbirthday: 1990-13-01\n---\n"})
    result = run("--vault", str(root), *command)
    assert result.exit_code == 0
    assert result.stderr == "netzwerk: 1 error in the vault; run `netzwerk check`\n"


def test_someone_without_a_tier_is_listed_once_in_the_tier_check(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    # Before: once as "consider Top 100" and once more as "no tier yet".
    log = "".join(f"- 2026-{month:02d}-01 call: x\n" for month in range(6, 12))
    root = write_vault(tmp_path, {"People/Bo.md": f"---\ncompany: X\n---\n## Log\n{log}"})
    digest = run("--vault", str(root), "digest", "--stdout").stdout
    check = digest.split("## Tier check\n\n")[1].split("\n\n")[0]
    assert check == "- [[Bo]]: 3 contacts in the last 90 days; no tier yet; consider Top 100"


# ------------------------------------------------------------------ found on the real vaults


def test_a_marked_note_named_by_a_date_is_a_meeting_not_a_person(
    tmp_path: Path, write_vault: WriteVault
) -> None:
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": 'contacts = []\ncontacts_where = ["type = person"]\n',
            "Notes/Ada.md": "---\ntype: person\ntier: 10\n---\n",
            "Notes/2026-11-01 Ada.md": '---\ntype: person\npeople: "[[Ada]]"\n---\n',
            "Daily/Daily.md": "The folder's own note.\n",
        },
    )
    assert last_contacts(root) == {"Ada": ("2026-11-01", "journal", "Notes/2026-11-01 Ada.md:3")}


def test_a_property_of_its_own_is_no_typo(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {"People/Ada.md": "---\nlinkedin_id: ada-l\nwork_email: a@b.example\nlinkdin: x\n---\n"},
    )
    assert problems(run, root) == [
        "People/Ada.md:4: warning: unknown key 'linkdin'; did you mean 'linkedin'? [NW207]"
    ]


def test_the_vault_itself_as_the_journal_folder(tmp_path: Path, write_vault: WriteVault) -> None:
    for written in ('[""]', '["."]'):
        root = write_vault(
            tmp_path / written,
            {
                "netzwerk.toml": f"journal = {written}\n",
                "People/Ada.md": "---\ntier: 10\n---\n",
                "2026-11-02.md": "[[Ada]]\n",
            },
        )
        assert last_contacts(root) == {"Ada": ("2026-11-02", "journal", "2026-11-02.md:1")}


def test_add_where_people_are_found_by_a_property(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    # Before: `add` crashed (IndexError) with `contacts = []`.
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": 'contacts = []\ncontacts_where = ["categories = [[People]]"]\n',
            "References/Ada.md": '---\ncategories:\n  - "[[People]]"\n---\n',
            "References/Dune.md": '---\ncategories:\n  - "[[Books]]"\n---\n',
        },
    )
    result = run("--vault", str(root), "add", "Ben Hale", "--tier", "50")
    assert (result.exit_code, result.stdout) == (0, "References/Ben Hale.md: created\n")
    text = (root / "References/Ben Hale.md").read_text("utf-8")
    assert 'categories:\n  - "[[People]]"\n' in text
    assert list(last_contacts(root)) == ["Ada", "Ben Hale"]


def test_show_has_every_address(tmp_path: Path, write_vault: WriteVault, run: Run) -> None:
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": '[keys]\naddress = "Street Address"\n',
            "People/Ada.md": (
                '---\nStreet Address:\n  - "1 Main St, Springfield"\n  - "2 Elm Rd"\n---\n'
            ),
        },
    )
    shown = run("--vault", str(root), "show", "Ada").stdout
    assert "  Street Address  1 Main St, Springfield, 2 Elm Rd\n" in shown


def test_messages_use_the_vaults_property_names_and_the_name_property(tmp_path: Path) -> None:
    from conftest import invoke, write_files

    root = write_files(
        tmp_path / "v",
        {
            "netzwerk.toml": '[keys]\nlast_contact = "last_contacted"\n',
            "People/Jane Doe - Acme Inc.md": "---\nname: Jane Doe\ntier: 10\n"
            "last_contacted: 2026-06-12\n---\n",
            "People/Sam.md": "---\ntier: 10\nlast_contacted: 2027-01-05\n---\n",
        },
    )
    check = invoke("--vault", str(root), "--today", "2026-12-07", "check")
    assert check.stdout == (
        "People/Sam.md:3: warning: last_contacted is in the future: 2027-01-05 [NW212]\n"
    )
    log = invoke(
        "--vault", str(root), "--today", "2026-12-07", "log", "Jane", "called", "--kind", "call"
    )
    assert log.exit_code == 0, log.output
    assert "logged 2026-12-07 call for Jane Doe; last_contacted 2026-06-12 → 2026-12-07" in (
        log.stdout + log.stderr
    )
