"""netzwerk.toml and finding the vault: defaults, problems with lines, and the `[keys]` mapping."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from netzwerk import app
from netzwerk.config import DEFAULT_TIERS, Config, find_vault, load_config
from netzwerk.model import Duration, Tier

Run = Callable[..., Result]
WriteVault = Callable[..., Path]


def problems_of(root: Path) -> list[str]:
    return [p.format() for p in load_config(root)[1]]


def test_every_setting_has_a_default(tmp_path: Path) -> None:
    config, problems = load_config(tmp_path)
    assert problems == []
    assert config == Config(root=tmp_path)
    assert (config.contacts, config.journal, config.digest_dir) == (
        ("People",),
        ("Daily",),
        "Digests",
    )
    assert (config.templates, config.week_start) == ("Templates/netzwerk", 0)
    assert [(t.name, str(t.cadence), t.capacity) for t in config.tiers] == [
        ("10", "3w", 10),
        ("50", "2m", 50),
        ("100", "6m", 100),
        ("reserve", "never", None),
        ("target", "never", None),
    ]
    assert dict(config.keys) == {}


def test_settings_are_read(tmp_path: Path, write_vault: WriteVault) -> None:
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": (
                '\ufeffcontacts = ["Kontakte", "./Work//People/"]\njournal = "Journal"\n'
                'digest_dir = "Meta/Digests"\ntemplates = "Meta/Templates"\nweek_start = "Sunday"\n'
                '\n[tiers.inner]\nlabel = "Inner circle"\ncadence = "10d"\ncapacity = 5\n'
                '\n[tiers.50]\n\n[tiers.later]\ncadence = "never"\n'
                '\n[keys]\nlast_contact = "lastContact"\nlocation = " city "\n'
            )
        },
    )
    config, problems = load_config(root)
    assert problems == []
    assert config.contacts == ("Kontakte", "Work/People")
    assert config.journal == ("Journal",)
    assert (config.digest_dir, config.templates, config.week_start) == (
        "Meta/Digests",
        "Meta/Templates",
        6,
    )
    # [tiers.NAME] tables add tiers and change only what they set: the defaults stay.
    assert config.tiers == (
        *DEFAULT_TIERS,
        Tier("inner", "Inner circle", Duration(10, "d"), 5),
        Tier("later", "later", Duration(0, "never"), None),
    )
    assert dict(config.keys) == {"last_contact": "lastContact", "location": "city"}
    assert (config.key("last_contact"), config.key("tier")) == ("lastContact", "tier")


DEFAULTS = [("10", "Top 10", "3w"), ("50", "Top 50", "2m"), ("100", "Top 100", "6m"),
            ("reserve", "Reserve", "never"), ("target", "Want to meet", "never")]  # fmt: skip


@pytest.mark.parametrize(
    ("toml", "tiers"),
    [
        # One default tier's cadence changed: the other default tiers stay as they are.
        ('[tiers.10]\ncadence = "2w"\n', [("10", "Top 10", "2w"), *DEFAULTS[1:]]),
        # `NAME = false` removes one default tier.
        ("[tiers]\n100 = false\nreserve = false\n", [*DEFAULTS[:2], DEFAULTS[4]]),
        # `default_tiers = false`: the vault's own tiers only.
        (
            'default_tiers = false\n[tiers.close]\ncadence = "monthly"\n'
            '[tiers.family]\nlabel = "Family"\ncadence = "every 2 weeks"\n',
            [("close", "close", "1m"), ("family", "Family", "2w")],
        ),
        # A cadence as a number of days.
        ("[tiers.warm]\ncadence = 45\n", [*DEFAULTS, ("warm", "warm", "45d")]),
    ],
)
def test_tier_tables_change_only_what_they_set(
    tmp_path: Path, write_vault: WriteVault, toml: str, tiers: list[tuple[str, str, str]]
) -> None:
    config, problems = load_config(write_vault(tmp_path, {"netzwerk.toml": toml}))
    assert problems == []
    assert [(t.name, t.label, str(t.cadence)) for t in config.tiers] == tiers


def test_a_tier_overridden_keeps_the_other_tiers_scheduling(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    # Before: overriding one default tier made every other tier "unknown" and nobody due.
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": '[tiers.10]\ncadence = "2w"\n',
            "People/Ann.md": "---\ntier: 50\nlast_contact: 2026-01-01\n---\n",
            "People/Bo.md": "---\ntier: 10\nlast_contact: 2026-11-05\n---\n",
        },
    )
    result = run("--vault", str(root), "due", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    due = {item["name"]: item["next_due"] for item in json.loads(result.stdout)}
    assert due == {"Ann": "2026-03-01", "Bo": "2026-11-19"}


def test_an_empty_journal_list_means_no_journal(tmp_path: Path, write_vault: WriteVault) -> None:
    root = write_vault(tmp_path, {"netzwerk.toml": "journal = []\n"})
    config, problems = load_config(root)
    assert (config.journal, problems) == ((), [])


@pytest.mark.parametrize(
    ("toml", "lines"),
    [
        (
            'contacts = ["People"]\njournal = [\n',
            ["netzwerk.toml:2: error: invalid value at the end of the file [NW401]"],
        ),
        (
            'contacts = ["People"]\n\nweek_start = monday\n',
            ["netzwerk.toml:3: error: invalid value (column 14) [NW401]"],
        ),
        (b'contacts = ["Leute\xff"]\n', ["netzwerk.toml: error: file is not valid UTF-8 [NW401]"]),
    ],
)
def test_a_broken_netzwerk_toml_is_reported_with_its_line(
    tmp_path: Path, write_vault: WriteVault, run: Run, toml: str | bytes, lines: list[str]
) -> None:
    root = write_vault(tmp_path, {"netzwerk.toml": toml, "People/Bad.md": "---\ntier: [\n---\n"})
    assert problems_of(root) == lines
    result = run("check", str(root))
    # The notes are not checked against settings that could not be read.
    assert (result.exit_code, result.stdout.splitlines(), result.stderr) == (
        1,
        lines,
        "1 error in 1 note\n",
    )
    result = run("index", str(root))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        *lines,
        "Error: netzwerk.toml has errors; fix them and run the command again",
    ]


@pytest.mark.parametrize(
    "command",
    [["due"], ["digest"], ["digest", "--stdout"], ["review"], ["show", "Ann"], ["hubs"],
     ["log", "Ann", "called"], ["watch"]],
)  # fmt: skip
def test_an_invalid_setting_stops_every_command_that_reads_the_vault(
    tmp_path: Path, write_vault: WriteVault, run: Run, command: list[str]
) -> None:
    # Before: a tier cadence of "3 weeks" made the tier unscheduled, and `due` silently
    # reported nobody due.
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": '[tiers.10]\ncadence = "3 weeks"\n',
            "People/Ann.md": "---\ntier: 10\nlast_contact: 2026-01-01\n---\n",
        },
    )
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    result = run("--vault", str(root), *command)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "netzwerk.toml:2: error: tier '10': cadence is not a duration: '3 weeks'; write e.g. "
        "10d, 3w, 2m, 1y, every 3 weeks, monthly, 30 (days) or never [NW402]",
        "Error: netzwerk.toml has errors; fix them and run the command again",
    ]
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


@pytest.mark.parametrize(
    ("toml", "lines"),
    [
        # Issue 21, item 6: a key mapped onto another of netzwerk's keys would make `log`
        # overwrite a tier with a date; two keys onto one property, one with the other.
        (
            '[keys]\nlast_contact = "tier"\n',
            ["netzwerk.toml:2: error: [keys]: tier and last_contact would both be read from and "
             "written to 'tier'; map them to different properties [NW402]"],
        ),
        (
            '[keys]\nlocation = "city"\ncompany = "City"\n',
            ["netzwerk.toml:2: error: [keys]: company and location would both be read from and "
             "written to 'city'; map them to different properties [NW402]"],
        ),
        # Issue 21, item 9: what used to end in an internal error.
        (
            'contacts = ["Peo\\u0000ple"]\n',
            ["netzwerk.toml:1: error: contacts must name a folder, or contacts_where a rule "
             "[NW402]",
             "netzwerk.toml:1: error: contacts: folder 'Peo\\x00ple' is not a visible folder of "
             "the vault [NW402]"],
        ),
        ("x = " + "[" * 3000 + "]" * 3000 + "\n",
         ["netzwerk.toml: error: nested too deeply [NW401]"]),
    ],
)  # fmt: skip
def test_settings_that_would_cost_notes_or_crash_are_refused(
    tmp_path: Path, write_vault: WriteVault, run: Run, toml: str, lines: list[str]
) -> None:
    root = write_vault(tmp_path, {"netzwerk.toml": toml, "People/Ann.md": "---\ntier: 50\n---\n"})
    checked = run("check", str(root))
    assert (checked.exit_code, checked.stdout.splitlines()) == (1, lines)
    logged = run("--vault", str(root), "log", "Ann", "call")
    assert logged.exit_code == 1
    assert (root / "People/Ann.md").read_text("utf-8") == "---\ntier: 50\n---\n"


def test_a_netzwerk_toml_that_cannot_be_read(tmp_path: Path, run: Run) -> None:
    (tmp_path / "netzwerk.toml").mkdir()
    result = run("check", str(tmp_path))
    assert (result.exit_code, result.stdout) == (
        1,
        "netzwerk.toml: error: cannot read: is a directory [NW401]\n",
    )


@pytest.mark.parametrize(
    ("toml", "line"),
    [
        (
            'contacts = ["People"]\ncontact = ["Friends"]\n',
            "netzwerk.toml:2: error: unknown setting 'contact'; did you mean 'contacts'? [NW402]",
        ),
        (
            '# mine\nfolders = ["People"]\n',
            "netzwerk.toml:2: error: unknown setting 'folders' [NW402]",
        ),
        (
            'journal = "Daily"\n"week_start" = "mon"\n',
            "netzwerk.toml:2: error: week_start must be a weekday name, not 'mon' [NW402]",
        ),
        (
            'contacts = ["People", "../Elsewhere"]\n',
            "netzwerk.toml:1: error: contacts: folder '../Elsewhere' is not a visible folder of "
            "the vault [NW402]",
        ),
        (
            "\ncontacts = []\n",
            "netzwerk.toml:2: error: contacts must name a folder, or contacts_where a rule [NW402]",
        ),
        (
            "journal = [1, 2]\n",
            "netzwerk.toml:1: error: journal must be a list of folder names [NW402]",
        ),
        (
            'digest_dir = "/tmp/digests"\n',
            "netzwerk.toml:1: error: digest_dir must be a visible folder of the vault (not a "
            "hidden one) [NW402]",
        ),
        (
            'digest_dir = ".git/refs/heads"\n',  # (digests were once written there)
            "netzwerk.toml:1: error: digest_dir must be a visible folder of the vault (not a "
            "hidden one) [NW402]",
        ),
        (
            'contacts = ["People", ".git/hooks"]\n',
            "netzwerk.toml:1: error: contacts: folder '.git/hooks' is not a visible folder of the "
            "vault [NW402]",
        ),
        (
            "tiers = 3\n",
            "netzwerk.toml:1: error: tiers must be a table of tiers ([tiers.10], [tiers.50], …) "
            "[NW402]",
        ),
        (
            '[tiers.10]\ncadence = "3w"\n\n[tiers.50]\ncadence = "3 weeks"\n',
            "netzwerk.toml:5: error: tier '50': cadence is not a duration: '3 weeks'; write e.g. "
            "10d, 3w, 2m, 1y, every 3 weeks, monthly, 30 (days) or never [NW402]",
        ),
        (
            "[tiers.10]\ncapacity = -1\n",
            "netzwerk.toml:2: error: tier '10': capacity must be a whole number [NW402]",
        ),
        (
            '[tiers.10]\ncolour = "red"\n',
            "netzwerk.toml:2: error: tier '10': unknown setting 'colour' [NW402]",
        ),
        (
            '[keys]\nrole = "title"\nlast_contct = "lastContact"\n',
            "netzwerk.toml:3: error: [keys]: unknown key 'last_contct'; "
            "did you mean 'last_contact'? [NW402]",
        ),
        (
            '[keys]\nrole = ""\n',
            "netzwerk.toml:2: error: [keys]: role must name a property, without a line break or "
            "control character [NW402]",
        ),
        (
            '[keys]\nlast_contact = "last\\rcontact"\n',  # (once an internal error on writing)
            "netzwerk.toml:2: error: [keys]: last_contact must name a property, without a line "
            "break or control character [NW402]",
        ),
        (
            'week_start = "monday"\nphone_region = "XX"\n',
            "netzwerk.toml:2: error: phone_region must be a two-letter country code such as "
            '"DE" or "GB", not \'XX\' [NW402]',
        ),
        (
            "phone_region = 49\n",
            "netzwerk.toml:1: error: phone_region must be a two-letter country code such as "
            '"DE" or "GB", not 49 [NW402]',
        ),
    ],
)
def test_an_invalid_setting_is_reported_with_its_line(
    tmp_path: Path, write_vault: WriteVault, run: Run, toml: str, line: str
) -> None:
    root = write_vault(tmp_path, {"netzwerk.toml": toml, "People/Ann.md": "---\ntier: zz\n---\n"})
    assert problems_of(root) == [line]
    result = run("check", str(root))
    assert result.exit_code == 1
    # The vault is still checked, with defaults where the settings were wrong.
    assert result.stdout.splitlines() == [
        f"People/Ann.md:2: error: unknown tier 'zz' (tiers: {tier_names(root)}) [NW206]",
        line,
    ]


@pytest.mark.parametrize(("toml", "region"), [("", None), ('phone_region = "de"\n', "DE")])
def test_phone_region_is_a_country_code(
    tmp_path: Path, write_vault: WriteVault, toml: str, region: str | None
) -> None:
    root = write_vault(tmp_path, {"netzwerk.toml": toml})
    config, problems = load_config(root)
    assert (config.phone_region, problems) == (region, [])


def tier_names(root: Path) -> str:
    return ", ".join(t.name for t in load_config(root)[0].tiers)


def test_keys_mapping_reads_an_existing_schema(tmp_path: Path, write_vault: WriteVault) -> None:
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": '[keys]\nlast_contact = "lastContact"\nrole = "title"\n'
            'location = "city"\nknows = "related"\n',
            "People/Marie.md": (
                "---\ntier: 50\nlastContact: 2026-09-14\ntitle: Painter\ncity: Lyon\n"
                'related:\n  - "[[Paul]]"\n---\n'
            ),
            "People/Paul.md": "---\ntier: 50\nlast_contact: 2026-01-01\nrole: Framer\n---\n",
        },
    )
    vault = app.open_vault(root, date(2026, 11, 23))
    snapshot, problems = vault.snapshot, vault.problems()
    marie = snapshot.resolve("Marie")
    assert marie is not None
    assert (marie.last_contact, marie.role, marie.location, marie.knows) == (
        date(2026, 9, 14),
        "Painter",
        "Lyon",
        ("Paul",),
    )
    assert marie.extra == {}
    paul = snapshot.resolve("Paul")
    assert paul is not None and (paul.last_contact, paul.role) == (None, None)
    assert paul.extra == {"last_contact": "2026-01-01", "role": "Framer"}
    assert [p.format() for p in problems] == [
        "People/Paul.md:3: warning: unknown key 'last_contact'; did you mean 'lastContact'? "
        "[NW207]",
        "People/Paul.md:4: warning: unknown key 'role'; did you mean 'title'? [NW207]",
    ]


def test_a_mapped_key_name_is_used_in_messages(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": '[keys]\nknows = "related"\n',
            "People/Marie.md": '---\ntier: 50\nrelated:\n  - "[[Nobody]]"\n---\n',
        },
    )
    assert run("check", str(root)).stdout.splitlines() == [
        "People/Marie.md:4: warning: related: [[Nobody]] is no contact; "
        "create People/Nobody.md or fix the link [NW301]"
    ]


# ------------------------------------------------------------------ finding the vault


@pytest.fixture
def vaults(tmp_path: Path, write_vault: WriteVault) -> dict[str, Path]:
    """Three vaults, each with one contact named after it, and a folder that is none."""
    found = {}
    for name in ("flag", "env", "upward"):
        found[name] = write_vault(
            tmp_path / name,
            {"netzwerk.toml": "", f"People/{name.title()} Person.md": "---\ntier: zz\n---\n"},
        )
    (found["upward"] / "Daily" / "2026").mkdir(parents=True)
    found["plain"] = write_vault(
        tmp_path / "plain", {"People/Plain Person.md": "---\ntier: zz\n---\n"}
    )
    (found["plain"] / "sub").mkdir()
    return found


def checked(result: Result) -> str:
    """Which vault `check` read: the one note it complains about."""
    assert result.exit_code == 1, result.stderr
    (line,) = result.stdout.splitlines()
    return line.split(":", 1)[0]


def test_vault_option_wins(vaults: dict[str, Path], run: Run, monkeypatch: Any) -> None:
    monkeypatch.chdir(vaults["upward"] / "Daily" / "2026")
    result = run(
        "--vault", str(vaults["flag"]), "check", env={"NETZWERK_VAULT": str(vaults["env"])}
    )
    assert checked(result) == "People/Flag Person.md"


def test_environment_variable_comes_next(
    vaults: dict[str, Path], run: Run, monkeypatch: Any
) -> None:
    monkeypatch.chdir(vaults["upward"] / "Daily" / "2026")
    result = run("check", env={"NETZWERK_VAULT": str(vaults["env"])})
    assert checked(result) == "People/Env Person.md"


def test_nearest_netzwerk_toml_upward(vaults: dict[str, Path], run: Run, monkeypatch: Any) -> None:
    monkeypatch.chdir(vaults["upward"] / "Daily" / "2026")
    assert checked(run("check")) == "People/Upward Person.md"
    assert find_vault(None, Path.cwd()) == vaults["upward"].resolve()


def test_an_obsidian_vault_needs_no_netzwerk_toml(
    vaults: dict[str, Path], run: Run, monkeypatch: Any
) -> None:
    (vaults["plain"] / ".obsidian").mkdir()
    monkeypatch.chdir(vaults["plain"] / "sub")
    assert checked(run("check")) == "People/Plain Person.md"
    assert find_vault(None, Path.cwd()) == vaults["plain"].resolve()


@pytest.mark.parametrize(
    "command",
    [["check"], ["due"], ["digest"], ["show", "Plain Person"], ["index"], ["git-setup"],
     ["add", "New Person"], ["log", "Plain Person", "call"], ["watch"]],
)  # fmt: skip
def test_outside_a_vault_every_command_stops_and_writes_nothing(
    vaults: dict[str, Path], run: Run, monkeypatch: Any, command: list[str]
) -> None:
    # Before: the working directory was taken for a vault, and `digest` wrote Digests/ there.
    monkeypatch.chdir(vaults["plain"] / "sub")
    before = sorted(p.relative_to(vaults["plain"]) for p in vaults["plain"].rglob("*"))
    result = run(*command)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: no vault here: neither {Path.cwd()} nor a folder above it holds "
        "netzwerk.toml or .obsidian/; run `netzwerk init` to make this folder one, or give "
        "--vault PATH\n"
    )
    assert sorted(p.relative_to(vaults["plain"]) for p in vaults["plain"].rglob("*")) == before
    assert find_vault(None, Path.cwd()) is None


def test_a_vault_path_argument_to_check(vaults: dict[str, Path], run: Run) -> None:
    assert checked(run("check", str(vaults["env"]))) == "People/Env Person.md"


def test_a_vault_folder_that_does_not_exist(tmp_path: Path, run: Run) -> None:
    missing = tmp_path / "nowhere"
    result = run("--vault", str(missing), "check")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: vault folder {str(missing)!r} does not exist\n"
