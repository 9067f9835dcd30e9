"""netzwerk.merge: three-way merges of notes and digests, the git driver and its setup."""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netzwerk
from netzwerk.config import Config
from netzwerk.merge import (
    LABELS,
    MergeError,
    _Entry,
    _placed,
    git_setup,
    merge_digest,
    merge_driver,
    merge_note,
)

# --------------------------------------------------------------------------- helpers

BASE = """\
---
tier: 50
last_contact: 2026-09-14
tags:
  - artist
company: Atelier Bleu
location: Lyon
interests:
  - painting
  - dogs
---
# Marie Dupont

Paints large abstract canvases. Has a dog called Filou.

## Log
- 2026-09-14 call: she is looking for a venue in Nice
- 2026-06-02 gave: sent her the contact of a frame maker

## Ideas
- a gallery in Nice
"""


def edit(text: str, *changes: tuple[str, str]) -> str:
    """`text` with each (old, new) replaced once; fails loudly when `old` is missing."""
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def merge(base: str, ours: str, theirs: str) -> tuple[str, int]:
    result = merge_note(base.encode(), ours.encode(), theirs.encode())
    return result.data.decode(), result.conflicts


def git_merge_file(base: bytes, ours: bytes, theirs: bytes, tmp_path: Path) -> tuple[bytes, int]:
    """What plain `git merge-file` makes of the three versions."""
    for name, data in (("o", ours), ("b", base), ("t", theirs)):
        (tmp_path / name).write_bytes(data)
    done = subprocess.run(
        ["git", "merge-file", "-p", "-L", "ours", "-L", "base", "-L", "theirs", "o", "b", "t"],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    return done.stdout, done.returncode


# --------------------------------------------------------------------------- git repositories


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git config (conflict style, hooks, signing) leaks into the tests."""
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


DRIVER_SCRIPT = """\
import sys
from pathlib import Path

sys.path.insert(0, {project!r})
from netzwerk.config import load_config
from netzwerk.merge import merge_driver

config, _problems = load_config(Path.cwd())
sys.exit(merge_driver(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], config))
"""


def init_repo(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.org")
    git(root, "config", "commit.gpgsign", "false")


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Path]:
    """A git repository whose merge driver is the netzwerk driver (run via a small script)."""
    root = tmp_path / "vault"
    init_repo(root)
    script = tmp_path / "driver.py"
    project = str(Path(netzwerk.__file__).resolve().parent.parent)
    script.write_text(DRIVER_SCRIPT.format(project=project), encoding="utf-8")
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} %O %A %B %P"
    git_setup(root, Config(root=root), driver=command)
    (root / "People").mkdir()
    (root / "Digests").mkdir()
    yield root


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def branch_edits(root: Path, path: str, base: str, ours: str, theirs: str) -> None:
    """Commit `base`, then `theirs` on branch `phone` and `ours` on main."""
    file = root / path
    file.write_bytes(base.encode())
    commit_all(root, "base")
    git(root, "checkout", "-q", "-b", "phone")
    file.write_bytes(theirs.encode())
    commit_all(root, "phone")
    git(root, "checkout", "-q", "main")
    file.write_bytes(ours.encode())
    commit_all(root, "laptop")


MARIE = "People/Marie Dupont.md"

# Both devices log a contact with Marie; the laptop tags her, the phone records a new company.
LAPTOP = edit(
    BASE,
    ("last_contact: 2026-09-14", "last_contact: 2026-11-20"),
    ("  - artist\n", "  - artist\n  - lyon-circle\n"),
    ("## Log\n", "## Log\n- 2026-11-20 call: she found a venue in Nice\n"),
)
PHONE = edit(
    BASE,
    ("last_contact: 2026-09-14", "last_contact: 2026-11-18"),
    ("company: Atelier Bleu", "company: Atelier Rouge"),
    ("## Log\n", "## Log\n- 2026-11-18 meet: coffee at the Part-Dieu\n"),
)
BOTH = edit(
    BASE,
    ("last_contact: 2026-09-14", "last_contact: 2026-11-20"),
    ("  - artist\n", "  - artist\n  - lyon-circle\n"),
    ("company: Atelier Bleu", "company: Atelier Rouge"),
    (
        "## Log\n",
        "## Log\n- 2026-11-20 call: she found a venue in Nice\n"
        "- 2026-11-18 meet: coffee at the Part-Dieu\n",
    ),
)


# --------------------------------------------------------------------------- end to end


def test_git_merge_of_two_logged_contacts_is_clean(vault: Path) -> None:
    branch_edits(vault, MARIE, BASE, LAPTOP, PHONE)
    assert git(vault, "check-attr", "merge", "--", MARIE).stdout.strip().endswith(": netzwerk")

    done = git(vault, "merge", "--no-edit", "phone", check=False)

    assert done.returncode == 0, done.stdout + done.stderr
    assert (vault / MARIE).read_text(encoding="utf-8") == BOTH
    assert git(vault, "status", "--porcelain").stdout == ""


def test_git_merge_leaves_a_real_conflict_around_the_key_only(vault: Path) -> None:
    laptop = edit(LAPTOP, ("company: Atelier Bleu", "company: Atelier Noir"))
    branch_edits(vault, MARIE, BASE, laptop, PHONE)

    done = git(vault, "merge", "--no-edit", "phone", check=False)

    assert done.returncode != 0
    assert "CONFLICT" in done.stdout
    expected = edit(
        BOTH,
        (
            "company: Atelier Rouge\n",
            f"<<<<<<< ours:{MARIE}\n"
            "company: Atelier Noir\n"
            "=======\n"
            "company: Atelier Rouge\n"
            f">>>>>>> theirs:{MARIE}\n",
        ),
    )
    assert (vault / MARIE).read_text(encoding="utf-8") == expected
    unmerged = git(vault, "diff", "--name-only", "--diff-filter=U").stdout
    assert unmerged.splitlines() == [MARIE]


DIGEST = """\
---
week: 2026-W48
---
# Week 2026-W48

3 due.

## Due this week

- [ ] [[Marie Dupont]] · Top 50 · 23 days overdue · last: 2026-09-14 call
- [ ] [[Paul Martin]] · Top 10 · due Wednesday
- [ ] [[Anna Berg]] · Top 100 · due Friday

## Notes

"""


def test_git_merge_of_a_digest_keeps_ticks_from_both_devices(vault: Path) -> None:
    path = "Digests/2026-W48.md"
    laptop = edit(DIGEST, ("- [ ] [[Marie", "- [x] [[Marie"), ("call\n", "call ✅ 2026-11-24\n"))
    phone = edit(
        DIGEST, ("- [ ] [[Anna", "- [x] [[Anna"), ("due Friday", "due Friday ✅ 2026-11-25")
    )
    branch_edits(vault, path, DIGEST, laptop, phone)

    done = git(vault, "merge", "--no-edit", "phone", check=False)

    assert done.returncode == 0, done.stdout + done.stderr
    expected = edit(
        laptop, ("- [ ] [[Anna", "- [x] [[Anna"), ("due Friday", "due Friday ✅ 2026-11-25")
    )
    assert (vault / path).read_text(encoding="utf-8") == expected


# --------------------------------------------------------------------------- front matter


def test_both_sides_merge_without_conflict() -> None:
    assert merge(BASE, LAPTOP, PHONE) == (BOTH, 0)


@pytest.mark.parametrize(
    ("ours_date", "theirs_date", "expected"),
    [
        ("2026-11-20", "2026-11-18", "2026-11-20"),
        ("2026-11-18", "2026-11-20", "2026-11-20"),
        ("2026-11-18", "2026-11-18T09:30", "2026-11-18T09:30"),
    ],
)
def test_last_contact_takes_the_later_date(ours_date: str, theirs_date: str, expected: str) -> None:
    ours = edit(BASE, ("last_contact: 2026-09-14", f"last_contact: {ours_date}"))
    theirs = edit(BASE, ("last_contact: 2026-09-14", f"last_contact: {theirs_date}"))
    text, conflicts = merge(BASE, ours, theirs)
    assert conflicts == 0
    assert text == edit(BASE, ("last_contact: 2026-09-14", f"last_contact: {expected}"))


def test_last_contact_that_is_not_a_date_conflicts() -> None:
    ours = edit(BASE, ("last_contact: 2026-09-14", "last_contact: 2026-11-20"))
    theirs = edit(BASE, ("last_contact: 2026-09-14", "last_contact: yesterday"))
    text, conflicts = merge(BASE, ours, theirs)
    assert conflicts == 1
    assert "<<<<<<< ours\nlast_contact: 2026-11-20\n=======\nlast_contact: yesterday\n" in text


def test_lines_under_last_contact_survive_the_later_date() -> None:
    base = "---\nlast_contact: 2026-09-14\ntier: 10\n---\n"
    ours = "---\nlast_contact: 2026-11-20\n# met at the fair\ntier: 10\n---\n"
    theirs = "---\nlast_contact: 2026-11-21\ntier: 10\n---\n"
    assert merge(base, ours, theirs) == (
        "---\nlast_contact: 2026-11-21\n# met at the fair\ntier: 10\n---\n",
        0,
    )


def test_identical_edits_on_both_sides_are_kept_once() -> None:
    both = edit(
        BASE,
        ("company: Atelier Bleu", "company: Atelier Vert"),
        ("## Log\n", "## Log\n- 2026-11-20 call: same line on both devices\n"),
    )
    assert merge(BASE, both, both) == (both, 0)
    # The same edits next to different ones on each side.
    ours = edit(both, ("tier: 50", "tier: 10"))
    theirs = edit(both, ("location: Lyon", "location: Nice"))
    expected = edit(both, ("tier: 50", "tier: 10"), ("location: Lyon", "location: Nice"))
    assert merge(BASE, ours, theirs) == (expected, 0)


def test_key_removed_on_one_side_is_removed() -> None:
    ours = edit(BASE, ("location: Lyon\n", ""))
    theirs = edit(BASE, ("tier: 50", "tier: 10"))
    assert merge(BASE, ours, theirs) == (
        edit(BASE, ("location: Lyon\n", ""), ("tier: 50", "tier: 10")),
        0,
    )
    assert merge(BASE, theirs, ours) == merge(BASE, ours, theirs)


def test_key_removed_on_one_side_and_changed_on_the_other_conflicts() -> None:
    ours = edit(BASE, ("location: Lyon\n", ""))
    theirs = edit(BASE, ("location: Lyon", "location: Nice"))
    text, conflicts = merge(BASE, ours, theirs)
    assert conflicts == 1
    # Ours no longer has the key, so it goes with theirs-only keys after ours' keys.
    assert "  - dogs\n<<<<<<< ours\n=======\nlocation: Nice\n>>>>>>> theirs\n---\n" in text


def test_key_added_only_by_theirs_comes_after_ours_keys() -> None:
    ours = edit(BASE, ("location: Lyon\n", "location: Lyon\nrole: painter\n"))
    theirs = edit(BASE, ("tier: 50\n", "tier: 50\nemail: marie@example.org\n"))
    text, conflicts = merge(BASE, ours, theirs)
    assert conflicts == 0
    front = text.split("---\n")[1]
    assert front.splitlines()[-3:] == ["  - painting", "  - dogs", "email: marie@example.org"]
    assert "role: painter\n" in front


def test_other_keys_stay_byte_for_byte_around_a_conflict() -> None:
    base = '---\n# synced\nphone: "0170 123456"  # mobile\ncompany: A\n---\nBody\n'
    ours = base.replace("company: A", "company: B")
    theirs = base.replace("company: A", "company: C")
    text, conflicts = merge(base, ours, theirs)
    assert conflicts == 1
    assert text == (
        '---\n# synced\nphone: "0170 123456"  # mobile\n'
        "<<<<<<< ours\ncompany: B\n=======\ncompany: C\n>>>>>>> theirs\n---\nBody\n"
    )


# --------------------------------------------------------------------------- lists


def test_lists_are_unioned_in_a_stable_order() -> None:
    ours = edit(BASE, ("  - dogs\n", "  - dogs\n  - wine\n  - jazz\n"))
    theirs = edit(
        BASE,
        ("  - painting\n", "  - cycling\n  - painting\n"),
        ("  - dogs\n", "  - dogs\n  - jazz\n  - opera\n"),
    )
    text, conflicts = merge(BASE, ours, theirs)
    assert conflicts == 0
    expected = edit(BASE, ("  - dogs\n", "  - dogs\n  - wine\n  - jazz\n  - cycling\n  - opera\n"))
    assert text == expected


def test_list_item_removed_on_one_side_stays_removed() -> None:
    ours = edit(BASE, ("  - dogs\n", ""), ("  - artist\n", "  - artist\n  - ours\n"))
    theirs = edit(BASE, ("  - dogs\n", "  - dogs\n  - wine\n"), ("  - artist\n", "  - theirs\n"))
    text, conflicts = merge(BASE, ours, theirs)
    assert conflicts == 0
    interests = yaml.safe_load(text.split("---\n")[1])
    assert interests["interests"] == ["painting", "wine"]
    assert interests["tags"] == ["ours", "theirs"]


def test_list_union_keeps_ours_flow_style_and_item_spelling() -> None:
    base = '---\nknows: ["[[Paul Martin]]"]\ntags: [a]\n---\n'
    ours = '---\nknows: ["[[Paul Martin]]", "[[Anna Berg]]"]\ntags: [a, b]\n---\n'
    theirs = "---\nknows:\n    - '[[Paul Martin]]'\n    - '[[Jo Li]]'\ntags: [a, c]\n---\n"
    text, conflicts = merge(base, ours, theirs)
    assert conflicts == 0
    assert text == (
        '---\nknows: ["[[Paul Martin]]", "[[Anna Berg]]", \'[[Jo Li]]\']\ntags: [a, b, c]\n---\n'
    )


def test_list_union_in_block_style_reindents_theirs_items() -> None:
    base = "---\ninterests:\n- painting\n---\n"
    ours = "---\ninterests:\n- painting\n- dogs\n---\n"
    theirs = "---\ninterests: [painting, 'jazz, blues']\n---\n"
    theirs_block = "---\ninterests:\n    - painting\n    - opera  # since 2025\n---\n"
    assert merge(base, ours, theirs) == (
        "---\ninterests:\n- painting\n- dogs\n- 'jazz, blues'\n---\n",
        0,
    )
    assert merge(base, ours, theirs_block) == (
        "---\ninterests:\n- painting\n- dogs\n- opera  # since 2025\n---\n",
        0,
    )


def test_list_comments_merge_like_keys() -> None:
    base = "---\ntags:\n  - a\n---\n"
    ours = "---\ntags:  # mine\n  - a\n  - b\n---\n"
    theirs = "---\ntags:\n  - a  # first\n  - c\n---\n"
    assert merge(base, ours, theirs) == (
        "---\ntags:  # mine\n  - a  # first\n  - b\n  - c\n---\n",
        0,
    )
    clash = "---\ntags:  # theirs\n  - a\n  - c\n---\n"
    text, conflicts = merge(base, ours, clash)
    assert conflicts == 1
    assert text == (
        "---\n<<<<<<< ours\ntags:  # mine\n  - a\n  - b\n=======\n"
        "tags:  # theirs\n  - a\n  - c\n>>>>>>> theirs\n---\n"
    )


def test_list_item_edited_on_one_side_and_removed_on_the_other_conflicts() -> None:
    ours = edit(
        BASE, ("  - painting\n", "  - painting  # oils\n"), ("  - dogs\n", "  - dogs\n  - wine\n")
    )
    theirs = edit(BASE, ("  - painting\n", ""), ("  - dogs\n", "  - dogs\n  - jazz\n"))
    text, conflicts = merge(BASE, ours, theirs)
    assert conflicts == 1
    assert "  - painting  # oils\n" in text
    assert "  - jazz\n" in text


def test_list_items_compare_as_obsidian_reads_them() -> None:
    # PyYAML reads `yes` and `on` as the same boolean; Obsidian sees two tags.
    base = "---\ntags:\n  - a\n---\n"
    ours = "---\ntags:\n  - a\n  - yes\n---\n"
    theirs = "---\ntags:\n  - a\n  - on\n---\n"
    assert merge(base, ours, theirs) == ("---\ntags:\n  - a\n  - yes\n  - on\n---\n", 0)


# --------------------------------------------------------------------------- the log


def test_log_keeps_oldest_first_order() -> None:
    base = "---\ntier: 10\n---\n## Log\n- 2026-01-05 call: a\n- 2026-03-01 meet: b\n"
    ours = base + "- 2026-05-01 call: ours\n"
    theirs = edit(base, ("- 2026-03-01", "- 2026-04-01 mail: theirs\n- 2026-03-01"))
    text, conflicts = merge(base, ours, theirs)
    assert conflicts == 0
    assert text == (
        "---\ntier: 10\n---\n## Log\n- 2026-01-05 call: a\n- 2026-03-01 meet: b\n"
        "- 2026-04-01 mail: theirs\n- 2026-05-01 call: ours\n"
    )


def test_log_line_deleted_on_one_side_stays_deleted() -> None:
    ours = edit(BASE, ("- 2026-06-02 gave: sent her the contact of a frame maker\n", ""))
    theirs = edit(BASE, ("## Log\n", "## Log\n- 2026-11-18 meet: coffee\n"))
    text, conflicts = merge(BASE, ours, theirs)
    assert conflicts == 0
    assert text == edit(ours, ("## Log\n", "## Log\n- 2026-11-18 meet: coffee\n"))


def test_log_line_fixed_on_both_sides_keeps_both_fixes() -> None:
    ours = edit(BASE, ("venue in Nice", "venue in Nice (Promenade)"))
    theirs = edit(BASE, ("venue in Nice", "venue in Nice or Cannes"))
    text, conflicts = merge(BASE, ours, theirs)
    assert conflicts == 0
    assert "venue in Nice (Promenade)\n" in text
    assert "venue in Nice or Cannes\n" in text
    assert "venue in Nice\n" not in text


def test_sub_bullets_stay_under_their_log_line() -> None:
    ours = edit(BASE, ("in Nice\n", "in Nice\n  - ask about the dates\n"))
    theirs = edit(
        BASE,
        ("in Nice\n", "in Nice\n  - she prefers June\n"),
        ("## Log\n", "## Log\n- 2026-11-18 meet: coffee\n  - with Filou\n"),
    )
    text, conflicts = merge(BASE, ours, theirs)
    assert conflicts == 0
    assert text == edit(
        BASE,
        ("in Nice\n", "in Nice\n  - ask about the dates\n  - she prefers June\n"),
        ("## Log\n", "## Log\n- 2026-11-18 meet: coffee\n  - with Filou\n"),
    )


def test_log_section_new_on_both_sides() -> None:
    base = "---\ntier: 10\n---\n# Jo\n"
    ours = base + "\n## Log\n- 2026-11-20 call: ours\n"
    theirs = base + "\n## Log\n- 2026-11-21 call: theirs\n"
    assert merge(base, ours, theirs) == (
        base + "\n## Log\n- 2026-11-21 call: theirs\n- 2026-11-20 call: ours\n",
        0,
    )


def test_body_outside_the_log_merges_like_git() -> None:
    ours = edit(BASE, ("Paints large", "Paints huge"))
    theirs = edit(BASE, ("- a gallery in Nice\n", "- a gallery in Nice\n- a studio visit\n"))
    text, conflicts = merge(BASE, ours, theirs)
    assert conflicts == 0
    assert text == edit(ours, ("- a gallery in Nice\n", "- a gallery in Nice\n- a studio visit\n"))

    theirs = edit(BASE, ("Paints large", "Paints small"), ("## Log\n", "## Log\n- 2026-11-18 x\n"))
    text, conflicts = merge(BASE, ours, theirs)
    assert conflicts == 1
    assert "<<<<<<< ours\nPaints huge" in text
    assert "=======\nPaints small" in text
    assert "- 2026-11-18 x\n- 2026-09-14" in text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_line_either_side_added_is_lost(data: st.DataObject) -> None:
    text = st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff"
        ),
        min_size=1,
        max_size=25,
    ).map(str.strip)
    log_line = st.builds(
        lambda day, kind, words: f"- {day.isoformat()} {kind}: {words}".rstrip(),
        st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
        st.sampled_from(["call", "meet", "gave", "got", "note"]),
        text,
    )
    item = st.from_regex(r"[A-Za-z][A-Za-z0-9 _/-]{0,15}[A-Za-z0-9]", fullmatch=True)
    base_lines = BASE.split("\n")

    def side() -> tuple[str, list[str]]:
        lines = list(base_lines)
        added: list[str] = []
        for new in data.draw(st.lists(item, max_size=4, unique=True)):
            line = f"  - {new}"
            if line not in lines:
                end = lines.index("company: Atelier Bleu")
                lines.insert(data.draw(st.integers(lines.index("tags:") + 1, end)), line)
                added.append(line)
        for new in data.draw(st.lists(log_line, max_size=4, unique=True)):
            if new not in lines:
                start = lines.index("## Log") + 1
                lines.insert(data.draw(st.integers(start, lines.index("## Ideas") - 1)), new)
                added.append(new)
        return "\n".join(lines), added

    ours, ours_added = side()
    theirs, theirs_added = side()
    day = st.none() | st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))
    ours_day, theirs_day = data.draw(day), data.draw(day)
    if ours_day:
        ours = ours.replace("last_contact: 2026-09-14", f"last_contact: {ours_day}")
    if theirs_day:
        theirs = theirs.replace("last_contact: 2026-09-14", f"last_contact: {theirs_day}")

    result, conflicts = merge(BASE, ours, theirs)

    assert conflicts == 0
    lines = result.split("\n")
    for line in ours_added + theirs_added:
        assert line in lines
    front = yaml.safe_load(result.split("---\n")[1])
    ours_tags = yaml.safe_load(ours.split("---\n")[1])["tags"]
    theirs_tags = yaml.safe_load(theirs.split("---\n")[1])["tags"]
    # A side that drew the base's own date changed nothing: the other side's change holds
    # (even an earlier date: a correction); both changed: the later date.
    base_day = date(2026, 9, 14)
    ours_new = ours_day if ours_day != base_day else None
    theirs_new = theirs_day if theirs_day != base_day else None
    if ours_new and theirs_new:
        assert front["last_contact"] == max(ours_new, theirs_new)
    else:
        assert front["last_contact"] == (ours_new or theirs_new or base_day)
    base_tags = ["artist"]
    if ours_tags == base_tags:
        assert front["tags"] == theirs_tags
    elif theirs_tags == base_tags:
        assert front["tags"] == ours_tags
    else:
        assert front["tags"] == ours_tags + [t for t in theirs_tags if t not in ours_tags]


# --------------------------------------------------------------------------- bytes


def test_crlf_bom_and_missing_final_newline_follow_ours() -> None:
    def dos(text: str) -> bytes:
        return ("\ufeff" + text.rstrip("\n").replace("\n", "\r\n")).encode()

    result = merge_note(dos(BASE), dos(LAPTOP), dos(PHONE))
    assert result.conflicts == 0
    assert result.data == dos(BOTH)
    # Theirs saved with LF on another device: ours decides.
    result = merge_note(dos(BASE), dos(LAPTOP), PHONE.encode())
    assert result.data == dos(BOTH)
    result = merge_note(BASE.encode(), LAPTOP.encode(), dos(PHONE))
    assert result.data == BOTH.encode()


def test_crlf_conflict_markers_use_crlf() -> None:
    ours = edit(BASE, ("company: Atelier Bleu", "company: X")).replace("\n", "\r\n")
    theirs = edit(BASE, ("company: Atelier Bleu", "company: Y")).replace("\n", "\r\n")
    result = merge_note(BASE.replace("\n", "\r\n").encode(), ours.encode(), theirs.encode())
    assert result.conflicts == 1
    assert b"\r\n<<<<<<< ours\r\ncompany: X\r\n=======\r\ncompany: Y\r\n>>>>>>> theirs\r\n" in (
        result.data
    )
    assert result.data.count(b"\n") == result.data.count(b"\r\n")


def test_not_utf8_falls_back_to_git_merge_file(tmp_path: Path) -> None:
    base = BASE.encode("latin-1", "replace").replace(b"Lyon", b"Lyon \xe9")
    ours = base.replace(b"tier: 50", b"tier: 10")
    theirs = base.replace(b"## Ideas\n", b"## Ideas\n- \xe9t\xe9\n")
    result = merge_note(base, ours, theirs)
    assert (result.data, result.conflicts) == git_merge_file(base, ours, theirs, tmp_path)
    assert b"tier: 10" in result.data
    assert b"- \xe9t\xe9\n" in result.data


def test_note_without_front_matter_falls_back_to_git_merge_file(tmp_path: Path) -> None:
    base = b"# Jo\n\n## Log\n- 2026-01-01 call: a\n"
    ours = base + b"- 2026-02-01 call: ours\n"
    theirs = base + b"- 2026-03-01 call: theirs\n"
    result = merge_note(base, ours, theirs)
    assert (result.data, result.conflicts) == git_merge_file(base, ours, theirs, tmp_path)
    assert result.conflicts == 1


def test_add_add_with_an_empty_base() -> None:
    ours = "---\ntier: 50\ntags: [a]\n---\n# Jo\n\n## Log\n- 2026-11-20 call: ours\n"
    theirs = "---\ntier: 50\ntags: [b]\n---\n# Jo\n\n## Log\n- 2026-11-21 call: theirs\n"
    assert merge("", ours, theirs) == (
        "---\ntier: 50\ntags: [a, b]\n---\n# Jo\n\n## Log\n"
        "- 2026-11-21 call: theirs\n- 2026-11-20 call: ours\n",
        0,
    )


# --------------------------------------------------------------------------- digests


def test_digest_ticks_from_both_sides_are_kept() -> None:
    ours = edit(DIGEST, ("- [ ] [[Marie", "- [x] [[Marie"))
    theirs = edit(
        DIGEST, ("- [ ] [[Paul", "- [x] [[Paul"), ("Wednesday", "Wednesday ✅ 2026-11-25")
    )
    result = merge_digest(DIGEST.encode(), ours.encode(), theirs.encode())
    assert result.conflicts == 0
    assert result.data.decode() == edit(
        ours, ("- [ ] [[Paul", "- [x] [[Paul"), ("Wednesday", "Wednesday ✅ 2026-11-25")
    )


def test_digest_same_bytes_give_the_same_bytes() -> None:
    data = edit(DIGEST, ("- [ ] [[Paul", "- [x] [[Paul")).encode()
    assert merge_digest(DIGEST.encode(), data, data).data == data
    assert merge_digest(data, data, data).data == data


def test_digest_ticked_on_both_sides_takes_the_earlier_date() -> None:
    ours = edit(DIGEST, ("- [ ] [[Paul", "- [x] [[Paul"), ("Wednesday", "Wednesday ✅ 2026-11-26"))
    theirs = edit(
        DIGEST, ("- [ ] [[Paul", "- [x] [[Paul"), ("Wednesday", "Wednesday ✅ 2026-11-25")
    )
    result = merge_digest(DIGEST.encode(), ours.encode(), theirs.encode())
    assert (result.data.decode(), result.conflicts) == (theirs, 0)


def test_digest_notes_merge_like_git() -> None:
    base = DIGEST + "framer\n\nbooks\n"
    ours = edit(base, ("- [ ] [[Anna", "- [x] [[Anna"), ("framer", "call the framer"))
    theirs = base + "book Nice\n"
    result = merge_digest(base.encode(), ours.encode(), theirs.encode())
    assert result.conflicts == 0
    assert result.data.decode() == ours + "book Nice\n"
    clash = merge_digest(base.encode(), (base + "ours\n").encode(), (base + "theirs\n").encode())
    assert clash.conflicts == 1
    assert clash.data.decode() == base + "<<<<<<< ours\nours\n=======\ntheirs\n>>>>>>> theirs\n"


def test_digest_with_other_differences_falls_back_to_git_merge_file(tmp_path: Path) -> None:
    ours = edit(DIGEST, ("3 due.", "2 due."))
    theirs = edit(DIGEST, ("3 due.", "4 due."), ("- [ ] [[Paul", "- [x] [[Paul"))
    result = merge_digest(DIGEST.encode(), ours.encode(), theirs.encode())
    expected = git_merge_file(DIGEST.encode(), ours.encode(), theirs.encode(), tmp_path)
    assert (result.data, result.conflicts) == expected
    assert result.conflicts == 1


# --------------------------------------------------------------------------- the driver


def run_driver(
    tmp_path: Path, path: str, base: str, ours: str, theirs: str, config: Config
) -> tuple[int, str]:
    files = []
    for name, text in (("O", base), ("A", ours), ("B", theirs)):
        file = tmp_path / f".merge_file_{name}"
        file.write_bytes(text.encode())
        files.append(file)
    base_file, ours_file, theirs_file = files
    code = merge_driver(
        base_file, ours_file, theirs_file, path, config, labels=LABELS, work_tree=tmp_path
    )
    return code, files[1].read_text(encoding="utf-8")


def test_driver_merges_contact_notes_with_the_vaults_key_names(tmp_path: Path) -> None:
    config = Config(root=tmp_path, keys=MappingProxyType({"last_contact": "lastContact"}))
    base = BASE.replace("last_contact", "lastContact")
    ours = LAPTOP.replace("last_contact", "lastContact")
    theirs = PHONE.replace("last_contact", "lastContact")
    code, text = run_driver(tmp_path, MARIE, base, ours, theirs, config)
    assert (code, text) == (0, BOTH.replace("last_contact", "lastContact"))
    # Under the default names the same dates would conflict.
    assert merge_note(base.encode(), ours.encode(), theirs.encode()).conflicts == 1


def test_driver_reports_conflicts_with_exit_code_1(tmp_path: Path) -> None:
    ours = edit(BASE, ("company: Atelier Bleu", "company: X"))
    code, text = run_driver(tmp_path, MARIE, BASE, ours, PHONE, Config(root=tmp_path))
    assert code == 1
    assert "<<<<<<< ours\ncompany: X\n=======\ncompany: Atelier Rouge\n>>>>>>> theirs\n" in text


@pytest.mark.parametrize(
    ("path", "merged"),
    [
        ("People/Friends/Jo.md", True),  # contact folders are searched recursively
        ("Projects/Jo.md", False),  # not a contact folder
        ("People/_template.md", False),  # not a contact
        ("People/Jo.txt", False),
    ],
)
def test_driver_uses_the_note_merge_only_for_contact_notes(
    tmp_path: Path, path: str, merged: bool
) -> None:
    code, text = run_driver(tmp_path, path, BASE, LAPTOP, PHONE, Config(root=tmp_path))
    if merged:
        assert (code, text) == (0, BOTH)
    else:
        # git's line merge: the adjacent changes to last_contact clash.
        assert code == 1
        assert "<<<<<<< ours" in text


def test_driver_uses_the_digest_merge_in_the_digest_folder(tmp_path: Path) -> None:
    ours = edit(DIGEST, ("- [ ] [[Marie", "- [x] [[Marie"))
    theirs = edit(DIGEST, ("- [ ] [[Paul", "- [x] [[Paul"))
    both = edit(ours, ("- [ ] [[Paul", "- [x] [[Paul"))
    config = Config(root=tmp_path, digest_dir="Weekly")
    assert run_driver(tmp_path, "Weekly/2026-W48.md", DIGEST, ours, theirs, config) == (0, both)
    code, _text = run_driver(tmp_path, "Digests/2026-W48.md", DIGEST, ours, theirs, config)
    assert code == 1


def test_driver_knows_a_vault_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    config = Config(root=tmp_path / "notes")
    code, text = run_driver(tmp_path, f"notes/{MARIE}", BASE, LAPTOP, PHONE, config)
    assert (code, text) == (0, BOTH)
    code, _text = run_driver(tmp_path, MARIE, BASE, LAPTOP, PHONE, config)
    assert code == 1  # outside the vault: a plain merge


# --------------------------------------------------------------------------- setup


def test_git_setup_writes_attributes_and_local_config(tmp_path: Path) -> None:
    init_repo(tmp_path / "v")
    root = tmp_path / "v"
    config = Config(root=root, contacts=("People", "Work Contacts"))

    done = git_setup(root, config)

    assert done == [
        "added People/**/*.md merge=netzwerk to .gitattributes",
        'added "Work Contacts/**/*.md" merge=netzwerk to .gitattributes',
        "added Digests/*.md merge=netzwerk to .gitattributes",
        "set merge.netzwerk.name in .git/config",
        "set merge.netzwerk.driver in .git/config",
    ]
    assert (root / ".gitattributes").read_text(encoding="utf-8") == (
        'People/**/*.md merge=netzwerk\n"Work Contacts/**/*.md" merge=netzwerk\n'
        "Digests/*.md merge=netzwerk\n"
    )
    local = ["config", "--local", "--get"]
    assert git(root, *local, "merge.netzwerk.name").stdout == "netzwerk contact notes\n"
    assert git(root, *local, "merge.netzwerk.driver").stdout == (
        f"{shlex.quote(sys.executable)} -P -m netzwerk merge-driver %O %A %B %P\n"
    )
    # git itself reads the quoted pattern.
    attr = git(root, "check-attr", "merge", "--", "Work Contacts/a/Jo.md").stdout
    assert attr == "Work Contacts/a/Jo.md: merge: netzwerk\n"


def test_git_setup_is_idempotent_and_keeps_other_lines(tmp_path: Path) -> None:
    root = tmp_path / "v"
    init_repo(root)
    (root / ".gitattributes").write_bytes(b"*.png binary\r\nDigests/*.md   merge=netzwerk")
    config = Config(root=root)

    first = git_setup(root, config)
    second = git_setup(root, config)

    assert first[0] == "added People/**/*.md merge=netzwerk to .gitattributes"
    assert len(first) == 3
    assert second == ["already set up"]
    assert (root / ".gitattributes").read_bytes() == (
        b"*.png binary\r\nDigests/*.md   merge=netzwerk\r\nPeople/**/*.md merge=netzwerk\r\n"
    )


def test_git_setup_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    init_repo(tmp_path / "repo")
    root = tmp_path / "repo" / "notes"
    root.mkdir()
    done = git_setup(root, Config(root=root))
    assert done[-1] == "set merge.netzwerk.driver in ../.git/config"
    assert (root / ".gitattributes").is_file()
    attr = git(tmp_path / "repo", "check-attr", "merge", "--", "notes/People/Jo.md").stdout
    assert attr.endswith(": netzwerk\n")


def test_git_setup_refuses_outside_a_git_repository(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    with pytest.raises(MergeError, match="not inside a git work tree"):
        git_setup(root, Config(root=root))
    assert not (root / ".gitattributes").exists()


def _placed_one_by_one(entries: list[Any], added: list[Any], newest_first: bool) -> list[Any]:
    """How the driver placed new log entries before: each in turn, by a linear search."""
    merged = list(entries)
    for entry in added:
        position = next(
            (
                i
                for i, e in enumerate(merged)
                if (e.date < entry.date if newest_first else e.date > entry.date)
            ),
            len(merged),
        )
        merged.insert(position, entry)
    return merged


_DAYS = st.sampled_from(["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"])


@given(
    st.lists(_DAYS, max_size=12),
    st.lists(_DAYS, max_size=12),
    st.booleans(),
)
def test_new_log_entries_go_where_placing_them_one_by_one_put_them(
    ours: list[str], theirs: list[str], newest_first: bool
) -> None:
    # In any order a section has (sorted or not), with ties: the same places as before the
    # search became a binary one, which keeps a pull of a huge note from taking minutes.
    entries = [_Entry(f"- {day} call: ours {n}", day, ()) for n, day in enumerate(ours)]
    added = [_Entry(f"- {day} call: theirs {n}", day, ()) for n, day in enumerate(theirs)]
    expected = _placed_one_by_one(entries, added, newest_first)
    assert _placed(entries, added, newest_first) == expected


def test_a_huge_log_on_both_sides_merges_promptly(tmp_path: Path) -> None:
    # 40,000 new lines a side, as a pushed note could hold: every line kept, in date order.
    head = "---\ntier: 10\n---\n# A\n## Log\n"
    ours = head + "".join(f"- 2026-01-{1 + n % 28:02d} call: ours {n}\n" for n in range(40000))
    theirs = head + "".join(f"- 2026-02-{1 + n % 28:02d} call: theirs {n}\n" for n in range(40000))
    result = merge_note(b"---\ntier: 10\n---\n# A\n", ours.encode(), theirs.encode())
    assert result.conflicts == 0
    lines = [line for line in result.data.decode().splitlines() if line.startswith("- 2026-")]
    assert sorted(lines) == sorted(ours.splitlines()[5:] + theirs.splitlines()[5:])


def test_a_last_contact_corrected_on_one_side_stays_corrected() -> None:
    # Only ours changed it (to an earlier day: a mistake put right): ours; both changed it:
    # the later day, whichever side has it.
    earlier = BASE.replace("last_contact: 2026-09-14", "last_contact: 2025-01-01")
    later = BASE.replace("last_contact: 2026-09-14", "last_contact: 2026-10-01")
    assert "last_contact: 2025-01-01\n" in merge(BASE, earlier, BASE)[0]
    assert "last_contact: 2026-10-01\n" in merge(BASE, earlier, later)[0]
