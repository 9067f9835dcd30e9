"""Never silently wrong (issue 21, items 8, 12 and 13 on the reading side): what a vault can
hold that used to be accepted without a word, or taken for what it is not."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result

from netzwerk import app
from netzwerk.edit import AddLog, apply_ops

TODAY = date(2026, 11, 23)
Run = Callable[..., Result]
WriteVault = Callable[..., Path]


def check(run: Run, root: Path) -> list[str]:
    return run("check", str(root)).stdout.splitlines()


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("tier: [10]", "tier must be a single value, not a list"),
        ("last_contact: [2026-01-01]", "last_contact must be a single value, not a list"),
        ("paused: [true]", "paused must be a single value, not a list"),
    ],
)
def test_a_one_item_list_is_not_a_single_value(
    tmp_path: Path, write_vault: WriteVault, run: Run, front: str, message: str
) -> None:
    root = write_vault(tmp_path, {"People/Ada.md": f"---\n{front}\n---\n"})
    assert check(run, root) == [f"People/Ada.md:2: error: {message} [NW204]"]
    (ada,) = app.open_vault(root, TODAY).snapshot.contacts
    assert (ada.tier, ada.last_contact, ada.paused) == (None, None, False)


def test_a_link_in_a_list_is_still_a_link(tmp_path: Path, write_vault: WriteVault) -> None:
    # Obsidian's link properties may be lists of one link.
    root = write_vault(
        tmp_path,
        {"People/Ada.md": '---\nintroduced_by: ["[[Ben]]"]\n---\n', "People/Ben.md": ""},
    )
    ada = app.open_vault(root, TODAY).snapshot.resolve("Ada")
    assert ada is not None and ada.introduced_by == "Ben"


@pytest.mark.parametrize("written", ["２０２６-１１-０１", "2026-11-０１"])
def test_full_width_digits_are_no_date(
    tmp_path: Path, write_vault: WriteVault, run: Run, written: str
) -> None:
    root = write_vault(tmp_path, {"People/Ada.md": f"---\nlast_contact: {written}\n---\n"})
    assert check(run, root) == [
        f"People/Ada.md:2: error: last_contact is not a date: {written!r}; write YYYY-MM-DD [NW203]"
    ]


@pytest.mark.parametrize(
    ("files", "line"),
    [
        (
            {"Daily/2026-02-30.md": "[[Ada]]\n"},
            "Daily/2026-02-30.md: error: the file name is not a date: '2026-02-30' [NW203]",
        ),
        (
            {"Daily/Plan.md": "---\ndate: 2026-02-30\n---\n[[Ada]]\n"},
            "Daily/Plan.md:2: error: date is not a date: '2026-02-30'; write YYYY-MM-DD [NW203]",
        ),
    ],
)
def test_a_daily_note_with_an_impossible_date_is_reported(
    tmp_path: Path, write_vault: WriteVault, run: Run, files: dict[str, str], line: str
) -> None:
    root = write_vault(tmp_path, {"People/Ada.md": "---\ntier: 10\n---\n", **files})
    assert check(run, root) == [line]


def test_a_digest_folder_inside_the_contacts_folder_is_no_contact(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": 'digest_dir = "People/Digests"\n',
            "People/Ada.md": "---\ntier: 10\n---\n",
        },
    )
    assert run("--vault", str(root), "digest").exit_code == 0
    assert (root / "People/Digests/2026-W48.md").is_file()
    assert [c.name for c in app.open_vault(root, TODAY).snapshot.contacts] == ["Ada"]
    assert check(run, root) == []


def test_a_file_name_with_a_line_break_cannot_be_linked(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"People/Ada\nLovelace.md": "---\ntier: 10\n---\n"})
    assert check(run, root) == [
        "People/Ada\\nLovelace.md: warning: Obsidian cannot link a file name containing \\n; "
        "rename the note [NW110]"
    ]


def test_a_file_name_that_is_not_utf8_is_one_problem_and_the_rest_loads(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"People/Ada.md": "---\ntier: 10\n---\n"})
    bad = os.fsencode(root / "People") + b"/Jos\xe9.md"
    with open(bad, "wb") as handle:
        handle.write(b"---\ntier: 10\n---\n")
    result = run("check", str(root))
    assert (result.exit_code, result.stdout.splitlines()) == (
        0,
        [
            "People/Jos\\xe9.md: warning: the file name is not valid UTF-8; not read: rename it "
            "[NW113]"
        ],
    )
    for command in ("due", "digest", "find", "hubs", "review"):
        assert run("--vault", str(root), command).exit_code == 0, command
    assert [c.name for c in app.open_vault(root, TODAY).snapshot.contacts] == ["Ada"]


BODY_WITH_COMMENTS = """\
---
tier: 10
---
## Log
- 2026-10-01 call: real
%%
- 2026-11-20 call: only a comment
%%
<!--
- 2026-11-21 call: an HTML comment
-->
%% - 2026-11-22 call: a one-line comment %%
"""


def test_log_lines_in_comments_are_no_contacts(tmp_path: Path, write_vault: WriteVault) -> None:
    root = write_vault(tmp_path, {"People/Ada.md": BODY_WITH_COMMENTS})
    ada = app.open_vault(root, TODAY).snapshot.resolve("Ada")
    assert ada is not None and [(str(e.date), e.text) for e in ada.log] == [("2026-10-01", "real")]


def test_a_new_log_line_is_never_written_into_a_comment() -> None:
    text = "---\ntier: 10\n---\n## Log\n- 2026-10-01 call: real\n%%\n- 2026-11-20 call: x\n%%\n"
    after = apply_ops(text.encode(), [AddLog(date(2026, 11, 23), "call", "new")])
    assert after.decode() == text.replace(
        "- 2026-10-01 call: real\n", "- 2026-10-01 call: real\n- 2026-11-23 call: new\n"
    )
    commented = "# Ada\n%%\n## Log\n- 2026-11-20 call: x\n%%\n"
    after = apply_ops(commented.encode(), [AddLog(date(2026, 11, 23), None, "new")])
    assert after.decode() == commented + "\n## Log\n- 2026-11-23: new\n"


def test_a_yaml_control_character_is_reported_on_its_own_line(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    # Before: the message spanned two lines and named line 1.
    root = write_vault(tmp_path, {"People/Ada.md": '---\ntier: 50\nloc: x\nrole: "a\x01b"\n---\n'})
    assert check(run, root) == [
        "People/Ada.md:4: error: front matter is not valid YAML: #x0001 is a control character "
        "YAML refuses [NW201]"
    ]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("a" * 300, f"a title is at most 120 characters); try '{'a' * 120}'"),
        (".hidden", "a name starting with . or _ is hidden or left out); try 'hidden'"),
        ("a\x01b", "it holds a control character); try 'a b'"),
        ("Anna [Work]", "Obsidian cannot link [ ]); try 'Anna Work'"),
    ],
)
def test_a_name_that_cannot_be_a_title_says_why(
    tmp_path: Path, write_vault: WriteVault, run: Run, name: str, why: str
) -> None:
    root = write_vault(tmp_path, {"netzwerk.toml": ""})
    result = run("--vault", str(root), "add", name)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {name!r} cannot be a note title ({why}\n",
    )


def test_a_vault_that_is_a_file(tmp_path: Path, run: Run) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = run("--vault", str(tmp_path / "notes.txt"), "due")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: vault folder {str(tmp_path / 'notes.txt')!r} is not a folder\n",
    )


@pytest.mark.security
def test_init_never_writes_or_reads_outside_the_vault(tmp_path: Path, run: Run) -> None:
    # Issue 21, item 4: Obsidian's settings naming a folder outside, a .gitignore that is a
    # link out of the vault, a netzwerk.toml linked from elsewhere.
    vault, outside = tmp_path / "vault", tmp_path / "outside"
    (vault / ".obsidian").mkdir(parents=True)
    outside.mkdir()
    (vault / ".obsidian/daily-notes.json").write_text('{"folder": "../../out"}', "utf-8")
    (outside / "ignore").write_text("secret\n", "utf-8")
    (vault / ".gitignore").symlink_to(outside / "ignore")
    result = run("init", str(vault))
    assert result.exit_code == 1
    assert "nothing was written [NW120]" in result.stderr
    assert (outside / "ignore").read_text("utf-8") == "secret\n"
    assert not (tmp_path / "out").exists() and not (tmp_path.parent / "out").exists()
    assert sorted(p.name for p in vault.iterdir()) == [".gitignore", ".obsidian"]  # nothing
    (vault / ".gitignore").unlink()
    (outside / "settings.toml").write_text('contacts = ["/etc"]\n', "utf-8")
    (vault / "netzwerk.toml").symlink_to(outside / "settings.toml")
    checked = run("check", str(vault))
    assert checked.stdout.splitlines() == [
        "netzwerk.toml: error: a symbolic link out of the vault; not read (settings come from "
        "the vault) [NW401]"
    ]


@pytest.mark.security
def test_a_fifo_among_the_notes_is_reported_and_never_opened(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"People/Ada.md": "---\ntier: 10\n---\n"})
    os.mkfifo(root / "People/Pipe.md")
    result = run("check", str(root))  # (opening the FIFO would block forever)
    assert result.stdout.splitlines() == [
        "People/Pipe.md: warning: not a regular file (a FIFO, a socket or a device); not read "
        "[NW114]"
    ]
    assert [c.name for c in app.open_vault(root, TODAY).snapshot.contacts] == ["Ada"]


def test_a_tick_dated_after_today_waits_for_its_day(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(
        tmp_path, {"People/Ada.md": "---\ntier: 10\nlast_contact: 2026-01-05\n---\n"}
    )
    assert run("--vault", str(root), "digest").exit_code == 0
    digest = root / "Digests/2026-W48.md"
    text = digest.read_text("utf-8")
    digest.write_text(
        text.replace("- [ ] [[Ada]]", "- [x] [[Ada]]", 1).replace(
            "last: 2026-01-05", "last: 2026-01-05 ✅ 2099-01-01", 1
        ),
        "utf-8",
    )
    result = run("--vault", str(root), "digest")
    lines = digest.read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "[x]" in text)
    assert result.stderr.splitlines()[0] == (
        f"Digests/2026-W48.md:{line}: warning: ticked item is dated 2099-01-01, after today; it "
        "is recorded once that day has come [NW501]"
    )
    assert "2099" not in (root / "People/Ada.md").read_text("utf-8")


@pytest.mark.parametrize("cadence", ["99999999999w", "99999999999", "1000y"])
def test_a_cadence_past_the_calendar_is_an_error_not_a_crash(
    tmp_path: Path, write_vault: WriteVault, run: Run, cadence: str
) -> None:
    root = write_vault(
        tmp_path,
        {
            "People/Kai Cad.md": f"---\ntier: 10\ncadence: {cadence}\n---\n",
            "People/Ann.md": "---\ntier: 10\nlast_contact: 2026-01-05\n---\n",
        },
    )
    assert check(run, root) == [
        f"People/Kai Cad.md:3: error: cadence is not a duration: '{cadence}'; write e.g. 10d, "
        "3w, 2m, 1y, every 3 weeks, monthly, 30 (days) or never [NW205]"
    ]
    for command in (["due"], ["digest", "--stdout"], ["show", "Kai"], ["export", "ics"]):
        result = run("--vault", str(root), *command)
        assert result.exit_code == 0, command
    assert "Ann" in run("--vault", str(root), "due").stdout
    toml = '[tiers.10]\ncadence = "99999999999w"\n'
    (root / "netzwerk.toml").write_text(toml, encoding="utf-8")
    result = run("--vault", str(root), "due")
    assert result.exit_code == 1
    assert "netzwerk.toml:2: error: tier '10': cadence is not a duration" in result.stderr
