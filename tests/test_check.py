"""`netzwerk check`: every kind of bad input is one clear line, never a crash, and the rest of
the vault is still read."""

from __future__ import annotations

import builtins
import io
import json
import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from netzwerk import app
from netzwerk.model import Snapshot

GOOD = "People/Good Friend.md"
GOOD_NOTE = "---\ntier: 10\nlast_contact: 2026-11-01\n---\n## Log\n- 2026-11-02 call: fine\n"

Run = Callable[..., Result]
WriteVault = Callable[..., Path]
CheckVault = Callable[..., tuple[Snapshot, list[str]]]


@pytest.fixture
def make(tmp_path: Path, write_vault: WriteVault) -> Callable[[dict[str, Any]], Path]:
    """A vault with one good note beside the files given."""

    def make(files: dict[str, Any]) -> Path:
        return write_vault(tmp_path / "vault", {GOOD: GOOD_NOTE, **files})

    return make


def check(run: Run, root: Path, *options: str) -> tuple[int, list[str]]:
    result = run("check", str(root), *options)
    return result.exit_code, result.stdout.splitlines()


def assert_good_note_read(check_vault: CheckVault, root: Path) -> Snapshot:
    """The good note beside the bad one is still a contact, with its data and no problem."""
    snapshot, lines = check_vault(root)
    good = snapshot.resolve("Good Friend")
    assert good is not None
    assert (good.tier, good.last_contact, len(good.log)) == ("10", date(2026, 11, 1), 1)
    assert not [line for line in lines if line.startswith(GOOD)]
    return snapshot


# ------------------------------------------------------------------ files that cannot be read


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            "---\ntier: 50\nfoo: bar: baz\nlocation: Lyon\n---\n",
            "People/Bad.md:3: error: front matter is not valid YAML: "
            "mapping values are not allowed in this context [NW201]",
        ),
        (
            "---\ntier: 50\ntags:\n  - a\n - b\n---\n",
            "People/Bad.md:5: error: front matter is not valid YAML: did not find expected key "
            "[NW201]",
        ),
        (
            "---\ntier: 50\n\tcompany: x\n---\n",
            "People/Bad.md:3: error: front matter is not valid YAML: "
            "found a tab character that violates indentation [NW201]",
        ),
        (
            "---\ntier: 50\n---\n# Bad\n",
            None,
        ),
    ],
)
def test_invalid_yaml_is_reported_at_the_file_line_of_the_error(
    make: Callable[[dict[str, Any]], Path],
    run: Run,
    check_vault: CheckVault,
    text: str,
    line: str | None,
) -> None:
    root = make({"People/Bad.md": text})
    code, lines = check(run, root)
    # The last case is the control: the same note, valid, is no problem.
    assert (code, lines) == ((1, [line]) if line else (0, []))
    snapshot = assert_good_note_read(check_vault, root)
    assert (snapshot.resolve("Bad") is None) == (line is not None)


def test_unterminated_front_matter(make: Any, run: Run, check_vault: CheckVault) -> None:
    root = make({"People/Open.md": "---\ntier: 50\nlast_contact: 2026-01-01\n# Open\n"})
    assert check(run, root) == (
        1,
        ["People/Open.md:1: error: front matter is not terminated: no closing '---' line [NW104]"],
    )
    assert_good_note_read(check_vault, root)


def test_front_matter_not_on_line_one(make: Any, run: Run, check_vault: CheckVault) -> None:
    root = make({"People/Late.md": "\n\n---\ntier: 50\n---\n"})
    assert check(run, root) == (
        1,
        [
            "People/Late.md:3: error: front matter must start on line 1; "
            "remove what stands before '---' [NW105]"
        ],
    )
    assert_good_note_read(check_vault, root)


def test_a_file_that_is_not_utf8(make: Any, run: Run, check_vault: CheckVault) -> None:
    root = make({"People/Latin.md": b"---\ntier: 50\ncompany: Caf\xe9 Bleu\n---\n"})
    assert check(run, root) == (
        1,
        ["People/Latin.md:3: error: file is not valid UTF-8 (byte 0xe9); save it as UTF-8 [NW101]"],
    )
    assert_good_note_read(check_vault, root)


def test_an_empty_file_is_a_contact_without_properties(
    make: Any, run: Run, check_vault: CheckVault
) -> None:
    root = make({"People/Empty.md": b""})
    assert check(run, root) == (
        0,
        [
            "People/Empty.md:1: warning: contact note has no front matter; "
            "add a tier to schedule it [NW103]"
        ],
    )
    snapshot = assert_good_note_read(check_vault, root)
    empty = snapshot.resolve("Empty")
    assert empty is not None and empty.tier is None


def test_a_5_mb_note_is_not_read(make: Any, run: Run, check_vault: CheckVault) -> None:
    huge = "---\ntier: 50\n---\n" + ("All work and no play. " * 250_000)
    assert len(huge) > 5_000_000
    root = make({"People/Huge.md": huge})
    started = time.monotonic()
    assert check(run, root) == (
        0,
        ["People/Huge.md: warning: note is over the 2 MiB limit; not read [NW106]"],
    )
    assert time.monotonic() - started < 10
    snapshot = assert_good_note_read(check_vault, root)
    assert snapshot.resolve("Huge") is None


BOMB = """\
---
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
tier: 50
---
"""


def test_a_yaml_alias_bomb_is_refused_quickly(make: Any, run: Run, check_vault: CheckVault) -> None:
    root = make({"People/Bomb.md": BOMB})
    started = time.monotonic()
    code, lines = check(run, root)
    assert time.monotonic() - started < 10
    assert code == 1
    assert lines == [
        f"People/Bomb.md:{n}: error: {key}: YAML aliases (*name) are not supported; "
        "write the value out [NW211]"
        for n, key in enumerate("bcdefghi", 3)
    ]
    snapshot = assert_good_note_read(check_vault, root)
    bomb = snapshot.resolve("Bomb")
    assert bomb is not None and bomb.tier == "50"


def test_an_alias_to_another_key_is_refused(make: Any, run: Run) -> None:
    root = make({"People/Alias.md": "---\naliases: &x\n  - Ali\ntags: *x\n---\n"})
    assert check(run, root) == (
        1,
        [
            "People/Alias.md:4: error: tags: YAML aliases (*name) are not supported; "
            "write the value out [NW211]"
        ],
    )


def test_python_tags_are_never_executed(
    make: Any, run: Run, check_vault: CheckVault, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    root = make(
        {
            "People/Evil.md": (
                "---\ntier: 50\n"
                f'company: !!python/object/apply:os.system ["touch {marker}"]\n'
                f"role: !!python/object/new:os.system [touch {marker}]\n"
                "---\n"
            )
        }
    )
    code, lines = check(run, root)
    assert code == 1
    assert lines == [
        "People/Evil.md:3: error: company: unsupported YAML tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'; ignored [NW210]",
        "People/Evil.md:4: error: role: unsupported YAML tag "
        "'tag:yaml.org,2002:python/object/new:os.system'; ignored [NW210]",
    ]
    snapshot = assert_good_note_read(check_vault, root)
    assert not marker.exists()
    evil = snapshot.resolve("Evil")
    assert evil is not None and (evil.tier, evil.company, evil.role) == ("50", None, None)


def test_duplicate_keys(make: Any, run: Run, check_vault: CheckVault) -> None:
    root = make({"People/Dup.md": "---\ntier: 10\nlocation: Lyon\ntier: 50\n---\n"})
    assert check(run, root) == (
        1,
        [
            "People/Dup.md:4: error: duplicate key 'tier' (first on line 2); "
            "the first one is used [NW208]"
        ],
    )
    snapshot = assert_good_note_read(check_vault, root)
    dup = snapshot.resolve("Dup")
    assert dup is not None and dup.tier == "10"


def test_a_folder_named_like_a_note(make: Any, run: Run, check_vault: CheckVault) -> None:
    root = make({"People/Team.md/Ines Ito.md": "---\ntier: 50\n---\n"})
    assert check(run, root) == (
        0,
        [
            "People/Team.md: warning: a folder is named like a note; "
            "its notes are read as a folder's [NW108]"
        ],
    )
    snapshot = assert_good_note_read(check_vault, root)
    inner = snapshot.resolve("Ines Ito")
    assert inner is not None and inner.path == "People/Team.md/Ines Ito.md"


def test_symbolic_link_loops(make: Any, run: Run, check_vault: CheckVault) -> None:
    root = make({"People/Friends/Ola Olsen.md": "---\ntier: 50\n---\n"})
    os.symlink("..", root / "People/Friends/back")  # a folder link to its folder's parent
    os.symlink(".", root / "People/here")  # a folder link to its own folder
    os.symlink("Self.md", root / "People/Self.md")  # a file link to itself
    assert check(run, root) == (
        0,
        [
            "People/Friends/back: warning: symbolic link loop: links back to a folder already "
            "read [NW109]",
            "People/Self.md: warning: symbolic link loop; not followed [NW109]",
            "People/here: warning: symbolic link loop: links back to a folder already read [NW109]",
        ],
    )
    snapshot = assert_good_note_read(check_vault, root)
    assert sorted(c.path for c in snapshot.contacts) == ["People/Friends/Ola Olsen.md", GOOD]


def test_a_link_to_the_vault_above_does_not_make_every_note_a_contact(
    make: Any, run: Run, check_vault: CheckVault
) -> None:
    root = make({"People/Ola Olsen.md": "---\ntier: 50\n---\n", "Ideas.md": "# Ideas\n"})
    os.symlink("..", root / "People/up")  # back to the vault itself
    assert check(run, root) == (
        0,
        ["People/up: warning: symbolic link loop: links back to a folder already read [NW109]"],
    )
    snapshot = assert_good_note_read(check_vault, root)
    assert sorted(c.path for c in snapshot.contacts) == sorted(["People/Ola Olsen.md", GOOD])


@pytest.mark.security
def test_links_out_of_the_vault_are_never_read(
    make: Any, run: Run, check_vault: CheckVault, tmp_path: Path
) -> None:
    # A pushed symbolic link must not make netzwerk read (or list as people) files elsewhere.
    outside = tmp_path / "outside"
    (outside / "Eve.md").parent.mkdir(parents=True)
    (outside / "Eve.md").write_text("---\ntier: 10\n---\n", encoding="utf-8")
    root = make({"People/Ola Olsen.md": "---\ntier: 50\n---\n"})
    os.symlink(outside, root / "People/Linked")
    os.symlink(outside / "Eve.md", root / "People/Eve.md")
    os.symlink(outside, root / "Elsewhere")  # outside the contact folders: not reported
    link = "warning: a symbolic link out of the vault or into a hidden folder; not read [NW112]"
    assert check(run, root) == (0, [f"People/Eve.md: {link}", f"People/Linked: {link}"])
    snapshot = assert_good_note_read(check_vault, root)
    assert sorted(c.path for c in snapshot.contacts) == sorted(["People/Ola Olsen.md", GOOD])


def test_a_link_to_a_note_too_large_to_read_is_not_a_missing_contact(make: Any, run: Run) -> None:
    huge = "---\ntier: 50\n---\n" + ("All work and no play. " * 100_000)
    root = make({"People/Huge.md": huge, "People/Ann.md": '---\nknows:\n  - "[[Huge]]"\n---\n'})
    assert check(run, root) == (
        0,
        ["People/Huge.md: warning: note is over the 2 MiB limit; not read [NW106]"],
    )


def refuse_to_open(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Make `path` unreadable: tests may run as root, where chmod 000 does not stop a read."""
    refused = str(path)
    real_os_open, real_open = os.open, builtins.open

    def os_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == refused:
            raise PermissionError(13, "Permission denied", str(file))
        return real_os_open(file, *args, **kwargs)

    def open_(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == refused:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(builtins, "open", open_)
    monkeypatch.setattr(io, "open", open_)


def test_a_file_that_cannot_be_read(
    make: Any, run: Run, check_vault: CheckVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make({"People/Locked.md": "---\ntier: 50\n---\n"})
    refuse_to_open(monkeypatch, root / "People/Locked.md")
    expected = ["People/Locked.md: error: cannot read: permission denied [NW102]"]
    assert check(run, root) == (1, expected)
    assert check(run, root) == (1, expected)  # not cached as if it had been read
    assert_good_note_read(check_vault, root)
    monkeypatch.undo()
    assert check(run, root) == (0, [])  # readable again: read again


def test_a_dangling_link_cannot_be_read(make: Any, run: Run, check_vault: CheckVault) -> None:
    root = make({})
    os.symlink("Nowhere.md", root / "People/Gone.md")
    assert check(run, root) == (
        1,
        ["People/Gone.md: error: cannot read: no such file or directory [NW102]"],
    )
    assert_good_note_read(check_vault, root)


def test_conflict_markers_in_front_matter_leave_the_note_out(
    make: Any, run: Run, check_vault: CheckVault
) -> None:
    text = (
        "---\ntier: 50\n<<<<<<< HEAD\nlast_contact: 2026-01-01\n=======\n"
        "last_contact: 2026-02-01\n>>>>>>> theirs\n---\n"
    )
    root = make({"People/Merge.md": text})
    marker = "error: git conflict marker; resolve the merge conflict [NW107]"
    assert check(run, root) == (1, [f"People/Merge.md:{n}: {marker}" for n in (3, 5, 7)])
    snapshot = assert_good_note_read(check_vault, root)
    assert snapshot.resolve("Merge") is None


def test_conflict_markers_in_the_body(make: Any, run: Run, check_vault: CheckVault) -> None:
    text = (
        "---\ntier: 50\n---\n# Merge\n<<<<<<< HEAD\n- 2026-01-01 call: ours\n=======\n"
        "- 2026-01-02 call: theirs\n>>>>>>> theirs\n"
    )
    root = make({"People/Merge.md": text})
    marker = "error: git conflict marker; resolve the merge conflict [NW107]"
    assert check(run, root) == (1, [f"People/Merge.md:{n}: {marker}" for n in (5, 7, 9)])
    snapshot = assert_good_note_read(check_vault, root)
    merge = snapshot.resolve("Merge")
    assert merge is not None and merge.tier == "50"


# ------------------------------------------------------------------ names


def test_two_notes_with_the_same_title_in_different_folders(
    make: Any, run: Run, check_vault: CheckVault
) -> None:
    root = make(
        {
            "People/Work/Sam Lee.md": "---\ntier: 50\n---\n",
            "People/Family/Sam Lee.md": "---\ntier: 10\n---\n",
        }
    )
    ambiguous = "links to it are ambiguous (names are compared ignoring case and accents) [NW302]"
    assert check(run, root) == (
        1,
        [
            "People/Family/Sam Lee.md: error: name 'Sam Lee' is also used by "
            f"People/Work/Sam Lee.md; {ambiguous}",
            "People/Work/Sam Lee.md: error: name 'Sam Lee' is also used by "
            f"People/Family/Sam Lee.md; {ambiguous}",
        ],
    )
    assert_good_note_read(check_vault, root)


def test_names_and_aliases_that_collide_ignoring_case_and_accents(
    make: Any, run: Run, check_vault: CheckVault
) -> None:
    root = make(
        {
            "People/José Núñez.md": "---\ntier: 50\n---\n",
            "People/Other Person.md": "---\ntier: 50\naliases:\n  - jose nunez\n---\n",
            "People/Zoë Ash.md": "---\ntier: 50\naliases: [Zo]\n---\n",
            "People/Zo Brand.md": "---\naliases: [ZOE ASH]\n---\n",
        }
    )
    ambiguous = "links to it are ambiguous (names are compared ignoring case and accents) [NW302]"
    assert check(run, root) == (
        1,
        [
            f"People/José Núñez.md: error: name 'José Núñez' is also used by "
            f"People/Other Person.md; {ambiguous}",
            f"People/Other Person.md:3: error: alias 'jose nunez' is also used by "
            f"People/José Núñez.md; {ambiguous}",
            f"People/Zo Brand.md:2: error: alias 'ZOE ASH' is also used by "
            f"People/Zoë Ash.md; {ambiguous}",
            f"People/Zoë Ash.md: error: name 'Zoë Ash' is also used by "
            f"People/Zo Brand.md; {ambiguous}",
        ],
    )
    assert_good_note_read(check_vault, root)


@pytest.mark.parametrize(("name", "bad"), [("Anna #2", "#"), ("Q&A [old]", "[ ]"), ("a|b", "|")])
def test_a_file_name_obsidian_cannot_link(
    make: Any, run: Run, check_vault: CheckVault, name: str, bad: str
) -> None:
    root = make({f"People/{name}.md": "---\ntier: 50\n---\n"})
    assert check(run, root) == (
        0,
        [
            f"People/{name}.md: warning: Obsidian cannot link a file name containing {bad}; "
            "rename the note [NW110]"
        ],
    )
    snapshot = assert_good_note_read(check_vault, root)
    assert name in [c.name for c in snapshot.contacts]


# ------------------------------------------------------------------ values


def test_values_yaml_would_coerce(make: Any, run: Run, check_vault: CheckVault) -> None:
    root = make({"People/Nils.md": "---\ntier: 50\nphone: 0170123456\ncountry: NO\n---\n"})
    expected = [
        "People/Nils.md:3: warning: phone: YAML reads 0170123456 as the number 31500078; "
        'put it in quotes: phone: "0170123456" [NW209]',
        "People/Nils.md:4: warning: country: YAML reads NO as false; "
        'put it in quotes: country: "NO" [NW209]',
    ]
    assert check(run, root) == (0, expected)
    assert check(run, root, "--strict") == (1, expected)
    snapshot = assert_good_note_read(check_vault, root)
    nils = snapshot.resolve("Nils")
    assert nils is not None and (nils.phone, nils.extra) == (("0170123456",), {"country": "NO"})


def test_last_contact_in_the_future(make: Any, run: Run, check_vault: CheckVault) -> None:
    root = make(
        {
            "People/Fut.md": (
                "---\ntier: 50\nlast_contact: 2026-11-24\n---\n## Log\n- 2027-01-01 call: x\n"
            )
        }
    )
    assert check(run, root) == (
        0,
        [
            "People/Fut.md:3: warning: last_contact is in the future: 2026-11-24 [NW212]",
            "People/Fut.md:6: warning: log line is dated in the future: 2027-01-01 [NW212]",
        ],
    )
    assert check(run, root.parent / "vault", "--strict")[0] == 1
    assert_good_note_read(check_vault, root)


def test_today_itself_is_not_the_future(make: Any, run: Run) -> None:
    root = make({"People/Now.md": "---\ntier: 50\nlast_contact: 2026-11-23\n---\n"})
    assert check(run, root) == (0, [])


def test_an_impossible_date(make: Any, run: Run, check_vault: CheckVault) -> None:
    root = make({"People/Feb.md": "---\ntier: 50\nlast_contact: 2026-02-30\n---\n"})
    assert check(run, root) == (
        1,
        [
            "People/Feb.md:3: error: last_contact is not a date: '2026-02-30'; "
            "write YYYY-MM-DD [NW203]"
        ],
    )
    snapshot = assert_good_note_read(check_vault, root)
    feb = snapshot.resolve("Feb")
    assert feb is not None and (feb.tier, feb.last_contact) == ("50", None)


@pytest.mark.parametrize("tier", ["Reserve", "RESERVE", "top 50", "Top 50"])
def test_a_tier_by_its_label_or_in_another_case_is_that_tier(
    make: Any, run: Run, tier: str
) -> None:
    root = make({"People/Tia.md": f"---\ntier: {tier}\n---\n"})
    assert check(run, root) == (0, [])


@pytest.mark.parametrize(
    ("tier", "hint"),
    [("reserv", "; did you mean 'reserve'?"), ("top10", "; did you mean '10'?"), ("zz", "")],
)
def test_unknown_tier_with_did_you_mean(
    make: Any, run: Run, check_vault: CheckVault, tier: str, hint: str
) -> None:
    root = make({"People/Tia.md": f"---\nlocation: Oslo\ntier: {tier}\n---\n"})
    assert check(run, root) == (
        1,
        [
            f"People/Tia.md:3: error: unknown tier '{tier}'{hint} "
            "(tiers: 10, 50, 100, reserve, target) [NW206]"
        ],
    )
    snapshot = assert_good_note_read(check_vault, root)
    tia = snapshot.resolve("Tia")
    assert tia is not None and (tia.tier, tia.location) == (tier, "Oslo")


def test_mistyped_key_with_did_you_mean(make: Any, run: Run, check_vault: CheckVault) -> None:
    root = make(
        {"People/Typo.md": "---\ntier: 50\nlast-contact: 2026-01-01\nbrthday: --04-02\n---\n"}
    )
    assert check(run, root) == (
        0,
        [
            "People/Typo.md:3: warning: unknown key 'last-contact'; "
            "did you mean 'last_contact'? [NW207]",
            "People/Typo.md:4: warning: unknown key 'brthday'; did you mean 'birthday'? [NW207]",
        ],
    )
    assert_good_note_read(check_vault, root)


def test_a_knows_link_to_no_contact(make: Any, run: Run, check_vault: CheckVault) -> None:
    root = make(
        {
            "People/Kai.md": (
                '---\ntier: 50\nknows:\n  - "[[Good Friend]]"\n  - "[[Nobody]]"\n'
                "  - \"[[Broken]]\"\nintroduced_by: '[[Ghost|G.]]'\n---\n"
            ),
            "People/Broken.md": "---\ntier: [\n---\n",
        }
    )
    assert check(run, root) == (
        1,
        [
            "People/Broken.md:3: error: front matter is not valid YAML: "
            "did not find expected node content [NW201]",
            "People/Kai.md:5: warning: knows: [[Nobody]] is no contact; "
            "create People/Nobody.md or fix the link [NW301]",
            "People/Kai.md:7: warning: introduced_by: [[Ghost]] is no contact [NW301]",
        ],
    )
    snapshot = assert_good_note_read(check_vault, root)
    kai = snapshot.resolve("Kai")
    assert kai is not None and kai.knows == ("Good Friend", "Nobody", "Broken")


def test_crlf_and_bom_notes_report_correct_lines(
    make: Any, run: Run, check_vault: CheckVault
) -> None:
    root = make(
        {
            "People/Win.md": (
                b"\xef\xbb\xbf---\r\ntier: 50\r\nlast_contact: 2026-02-30\r\n---\r\n"
                b"# Win\r\n## Log\r\n- 2026-11-20 call: hello\r\n- 2026-13-01 call: bad\r\n"
            )
        }
    )
    assert check(run, root) == (
        1,
        [
            "People/Win.md:3: error: last_contact is not a date: '2026-02-30'; "
            "write YYYY-MM-DD [NW203]",
            "People/Win.md:8: error: log line date is not a date: '2026-13-01' [NW203]",
        ],
    )
    snapshot = assert_good_note_read(check_vault, root)
    win = snapshot.resolve("Win")
    assert win is not None and [(e.date, e.line) for e in win.log] == [(date(2026, 11, 20), 7)]


# ------------------------------------------------------------------ the report itself


MIXED = {
    "People/B.md": "---\ntier: 50\nlast_contact: 2026-02-30\ncadence: often\n---\n",
    "People/A.md": "---\ntier: 5O\n\n\n\n\n\n\n\n\nphone: 0170123456\n---\n",
    "Daily/2026-11-20.md": "<<<<<<< HEAD\n[[A]]\n",
}
MIXED_LINES = [
    "Daily/2026-11-20.md:1: error: git conflict marker; resolve the merge conflict [NW107]",
    "People/A.md:2: error: unknown tier '5O'; did you mean '50'? "
    "(tiers: 10, 50, 100, reserve, target) [NW206]",
    "People/A.md:11: warning: phone: YAML reads 0170123456 as the number 31500078; "
    'put it in quotes: phone: "0170123456" [NW209]',
    "People/B.md:3: error: last_contact is not a date: '2026-02-30'; write YYYY-MM-DD [NW203]",
    "People/B.md:4: error: cadence is not a duration: 'often'; "
    "write e.g. 10d, 3w, 2m, 1y, every 3 weeks, monthly, 30 (days) or never [NW205]",
]


def test_problems_are_sorted_by_path_then_line(make: Any, run: Run) -> None:
    root = make(MIXED)
    assert check(run, root) == (1, MIXED_LINES)


def test_json_format_gives_the_same_problems_as_objects(make: Any, run: Run) -> None:
    root = make(MIXED)
    result = run("check", str(root), "--format", "json")
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert [set(item) for item in items] == [{"path", "line", "severity", "code", "message"}] * 5
    assert [
        f"{i['path']}:{i['line']}: {i['severity']}: {i['message']} [{i['code']}]" for i in items
    ] == MIXED_LINES
    assert items[1] == {
        "path": "People/A.md",
        "line": 2,
        "severity": "error",
        "code": "NW206",
        "message": "unknown tier '5O'; did you mean '50'? (tiers: 10, 50, 100, reserve, target)",
    }


def test_json_gives_null_for_a_whole_file_problem_and_an_empty_list_when_clean(
    make: Any, run: Run
) -> None:
    root = make({"People/Anna #2.md": "---\ntier: 50\n---\n"})
    result = run("check", str(root), "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)[0]["line"]) == (0, None)
    (root / "People/Anna #2.md").unlink()
    result = run("check", str(root), "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_strict_turns_warnings_into_exit_1(make: Any, run: Run) -> None:
    root = make({"People/Warn.md": "---\ntier: 50\nlastcontact: 2026-01-01\n---\n"})
    assert check(run, root)[0] == 0
    assert check(run, root, "--strict")[0] == 1
    (root / "People/Warn.md").write_text("---\ntier: 50\n---\n", encoding="utf-8")
    assert check(run, root, "--strict") == (0, [])


def test_the_example_vault_is_clean(run: Run) -> None:
    example = Path(__file__).resolve().parent.parent / "example-vault"
    result = run("check", str(example), "--strict")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_problems_are_found_the_same_from_the_index(make: Any, run: Run) -> None:
    root = make(MIXED)
    first = check(run, root)
    assert (root / ".netzwerk").is_dir()
    assert check(run, root) == first == (1, MIXED_LINES)


def test_load_carries_on_when_a_note_is_dropped_mid_run(
    make: Any, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A note deleted between the scan and the read (a sync client at work) is no crash.
    root = make({"People/Gone Soon.md": "---\ntier: 50\n---\n"})
    real_scan = app.scan

    def scan_then_delete(config: Any, **options: Any) -> Any:
        found = real_scan(config, **options)
        (root / "People/Gone Soon.md").unlink()
        return found

    monkeypatch.setattr(app, "scan", scan_then_delete)
    assert check(run, root) == (
        1,
        ["People/Gone Soon.md: error: cannot read: no such file or directory [NW102]"],
    )
