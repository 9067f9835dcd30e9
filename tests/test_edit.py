"""netzwerk.edit: every byte outside the intended change survives; writes are atomic and guarded."""

from __future__ import annotations

import difflib
import os
import re
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from netzwerk.edit import (
    AddLog,
    Edit,
    EditError,
    NoteChanged,
    NotUtf8,
    SetKey,
    apply_ops,
    plan,
    read_note,
    write,
)
from netzwerk.files import create, vault_lock
from netzwerk.model import LOG_KINDS

BOM = b"\xef\xbb\xbf"

NOTE = """\
---
tier: 50
last_contact: 2026-09-14
tags:
  - artist
company: Atelier Bleu
---
# Marie Dupont

Paints large abstract canvases.

## Log
- 2026-09-14 call: she is looking for a venue in Nice
- 2026-06-02 gave: sent her the contact of a frame maker
"""


def split(data: bytes) -> list[bytes]:
    """Lines with their endings; only \\n ends a line."""
    parts = data.split(b"\n")
    return [p + b"\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def changed(before: bytes, after: bytes) -> list[str]:
    """The removed (-) and added (+) lines of a line diff, endings included."""
    a, b = split(before), split(after)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            out += ["-" + line.decode() for line in a[i1:i2]]
            out += ["+" + line.decode() for line in b[j1:j2]]
    return out


def front_matter(data: bytes) -> object:
    text = data.decode().removeprefix("\ufeff")
    lines = text.split("\n")
    assert lines[0].rstrip("\r") == "---"
    close = next(i for i in range(1, len(lines)) if lines[i].rstrip("\r") == "---")
    # Each line with its line break, as YAML sees the block (a final `|` value keeps its \n).
    return yaml.safe_load("".join(line + "\n" for line in lines[1:close]))


def same(a: object, b: object) -> bool:
    """Equal with equal types all the way down (True must not pass for 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


# ---------------------------------------------------------------------------------------------
# Preserved features: only the intended lines change


def test_crlf_line_endings_are_kept_and_new_lines_get_crlf() -> None:
    before = NOTE.replace("\n", "\r\n").encode()
    ops = [SetKey("tier", 10), SetKey("paused", True), AddLog(date(2026, 10, 1), "call", "hi")]
    after = apply_ops(before, ops)
    assert changed(before, after) == [
        "-tier: 50\r\n",
        "+tier: 10\r\n",
        "+paused: true\r\n",
        "+- 2026-10-01 call: hi\r\n",
    ]
    assert after.count(b"\n") == after.count(b"\r\n")


def test_utf8_bom_is_kept() -> None:
    before = BOM + NOTE.encode()
    after = apply_ops(before, [SetKey("tier", 10)])
    assert after.startswith(BOM + b"---\n")
    assert changed(before, after) == ["-tier: 50\n", "+tier: 10\n"]


def test_comment_lines_are_kept() -> None:
    before = (
        b"---\n"
        b"# People from the Lyon fair\n"
        b"tier: 50\n"
        b"tags:\n"
        b"  # Obsidian tags, no #\n"
        b"  - artist\n"
        b"# end of netzwerk keys\n"
        b"company: Atelier Bleu\n"
        b"---\n"
    )
    after = apply_ops(before, [SetKey("tags", ["artist", "painter"]), SetKey("tier", 10)])
    assert changed(before, after) == ["-tier: 50\n", "+tier: 10\n", "+  - painter\n"]


def test_items_added_to_a_list_leave_its_items_as_written() -> None:
    # Before: the whole list was written again, its comments and quotes gone (an import
    # adding one e-mail address).
    before = (
        b"---\ntier: 50\nemail:\n  - a@x.de  # work\n  # old: b@y.de (bounced 2024)\n"
        b"  - 'c@z.de'\ntags: [a, 'b c']  # mine\n---\n"
    )
    ops = [
        SetKey("email", ["a@x.de", "c@z.de", "new@example.org"]),
        SetKey("tags", ["a", "b c", "d"]),
    ]
    after = apply_ops(before, ops)
    assert changed(before, after) == [
        "-tags: [a, 'b c']  # mine\n",
        "+  - new@example.org\n",
        "+tags: [a, 'b c', d]  # mine\n",
    ]
    assert front_matter(after)["email"] == ["a@x.de", "c@z.de", "new@example.org"]


def test_a_comment_between_a_key_and_its_value_is_kept() -> None:
    before = b"---\ntier: 50\nsnooze_until:\n  # back from sabbatical in March\n  2027-02-01\n---\n"
    after = apply_ops(before, [SetKey("snooze_until", date(2027, 1, 10))])
    assert (
        after
        == b"---\ntier: 50\nsnooze_until: 2027-01-10\n  # back from sabbatical in March\n---\n"
    )


def test_inline_comment_after_value_is_kept() -> None:
    before = b"---\ntier: 50  # was 100\nemail:  # ask her\n---\n"
    after = apply_ops(before, [SetKey("tier", 10), SetKey("email", "marie@example.org")])
    assert changed(before, after) == [
        "-tier: 50  # was 100\n",
        "-email:  # ask her\n",
        "+tier: 10  # was 100\n",
        "+email: marie@example.org  # ask her\n",
    ]


def test_flow_list_stays_a_flow_list() -> None:
    before = b"---\ntier: 50\ntags: [artist, Lyon]  # mine\naliases: [Marie D.]\n---\n"
    after = apply_ops(before, [SetKey("tags", ["artist", "Nice, France", "dog person"])])
    assert changed(before, after) == [
        "-tags: [artist, Lyon]  # mine\n",
        '+tags: [artist, "Nice, France", dog person]  # mine\n',
    ]
    assert front_matter(after) == {
        "tier": 50,
        "tags": ["artist", "Nice, France", "dog person"],
        "aliases": ["Marie D."],
    }


def test_quoted_values_are_kept() -> None:
    before = (
        b"---\n"
        b"company: 'Atelier Bleu'\n"
        b'phone: "0170123456"\n'
        b'email: "marie@example.org"\n'
        b"tier: 50\n"
        b"---\n"
    )
    after = apply_ops(before, [SetKey("tier", 10)])
    assert changed(before, after) == ["-tier: 50\n", "+tier: 10\n"]
    # The edited value keeps the quoting style it had.
    after = apply_ops(before, [SetKey("company", "L'Atelier"), SetKey("email", "m@x.org")])
    assert changed(before, after) == [
        "-company: 'Atelier Bleu'\n",
        "+company: 'L''Atelier'\n",
        '-email: "marie@example.org"\n',
        '+email: "m@x.org"\n',
    ]


def test_missing_final_newline_is_kept() -> None:
    before = NOTE.rstrip("\n").encode()
    after = apply_ops(before, [SetKey("tier", 10)])
    assert changed(before, after) == ["-tier: 50\n", "+tier: 10\n"]
    assert not after.endswith(b"\n")
    # A log line appended at the very end becomes the last line, still without a newline.
    after = apply_ops(before, [AddLog(date(2026, 1, 5), "meet", "coffee")])
    assert changed(before, after) == [
        "-- 2026-06-02 gave: sent her the contact of a frame maker",
        "+- 2026-06-02 gave: sent her the contact of a frame maker\n",
        "+- 2026-01-05 meet: coffee",
    ]


def test_unknown_keys_are_kept() -> None:
    before = (
        b"---\n"
        b"favourite_colour: ultramarine\n"
        b"x-custom: {a: 1, b: [2, 3]}\n"
        b"meta:\n"
        b"  source: fair\n"
        b"  met: 2025-05-01\n"
        b"last_contact: 2026-01-01\n"
        b"bio: |\n"
        b"  Paints.\n"
        b"  # not a comment\n"
        b"---\n"
    )
    after = apply_ops(before, [SetKey("last_contact", date(2026, 9, 14))])
    assert changed(before, after) == ["-last_contact: 2026-01-01\n", "+last_contact: 2026-09-14\n"]


def test_body_containing_triple_dashes_is_kept() -> None:
    before = (
        b"---\ntier: 50\n---\n# Marie\n\n---\n\nfoo: bar\n---\n\n## Log\n---\n- 2026-01-01: met\n"
    )
    after = apply_ops(before, [SetKey("tier", 10), AddLog(date(2026, 2, 1), None, "call")])
    assert changed(before, after) == ["-tier: 50\n", "+tier: 10\n", "+- 2026-02-01: call\n"]


def test_indentation_of_four_space_lists_is_kept() -> None:
    before = b"---\ntags:\n    - artist\naliases:\n    - Marie D.\nneeds:\n- a venue\n---\n"
    after = apply_ops(before, [SetKey("tags", ["artist", "painter"]), SetKey("needs", ["x"])])
    assert changed(before, after) == ["+    - painter\n", "-- a venue\n", "+- x\n"]


def test_key_order_is_kept_and_new_key_is_appended_last() -> None:
    before = b"---\nzeta: 1\nalpha: 2\ntier: 50\n---\nbody\n"
    after = apply_ops(before, [SetKey("last_contact", date(2026, 9, 14))])
    assert after == b"---\nzeta: 1\nalpha: 2\ntier: 50\nlast_contact: 2026-09-14\n---\nbody\n"


# ---------------------------------------------------------------------------------------------
# SetKey


def test_block_list_is_replaced_in_block_style() -> None:
    before = b"---\nknows:\n  - \"[[Paul Martin]]\"\n  - '[[Anna Berg]]'\ntier: 50\n---\n"
    after = apply_ops(before, [SetKey("knows", ["[[Paul Martin]]", "[[Lea Roth]]"])])
    assert changed(before, after) == ["-  - '[[Anna Berg]]'\n", '+  - "[[Lea Roth]]"\n']


def test_none_removes_the_key_and_its_list_lines() -> None:
    before = b"---\ntier: 50\ntags:\n  - a\n  - b\n# kept\naliases: [x]\n---\n"
    after = apply_ops(before, [SetKey("tags", None), SetKey("aliases", None)])
    assert after == b"---\ntier: 50\n# kept\n---\n"
    assert apply_ops(before, [SetKey("missing", None)]) == before


def test_scalar_becomes_a_block_list_and_back() -> None:
    before = b"---\ntags: artist  # one\n---\n"
    listed = apply_ops(before, [SetKey("tags", ["artist", "painter"])])
    assert listed == b"---\ntags:  # one\n  - artist\n  - painter\n---\n"
    assert apply_ops(listed, [SetKey("tags", "artist")]) == b"---\ntags: artist  # one\n---\n"
    assert apply_ops(listed, [SetKey("tags", [])]) == b"---\ntags: []  # one\n---\n"


def test_empty_values_left_by_a_template_are_filled() -> None:
    before = b"---\nemail:\ntags:  # from the template\nknows:\n---\n"
    after = apply_ops(
        before, [SetKey("email", "marie@example.org"), SetKey("tags", ["artist", "dogs"])]
    )
    assert after == (
        b"---\nemail: marie@example.org\ntags:  # from the template\n  - artist\n  - dogs\n"
        b"knows:\n---\n"
    )


def test_multi_line_value_is_replaced_whole() -> None:
    before = b'---\nbio: |\n  Paints.\n  Big dog fan.\n\nname: "a\n  b"\ntier: 50\n---\n'
    after = apply_ops(before, [SetKey("bio", "Sculpts."), SetKey("name", "Marie")])
    assert after == b'---\nbio: Sculpts.\n\nname: "Marie"\ntier: 50\n---\n'


def test_note_without_front_matter_gets_a_block_at_the_top() -> None:
    assert apply_ops(b"# Marie\n", [SetKey("tier", 50)]) == b"---\ntier: 50\n---\n# Marie\n"
    after = apply_ops(BOM + b"# Marie\r\n", [SetKey("tags", ["a"])])
    assert after == BOM + b"---\r\ntags:\r\n  - a\r\n---\r\n# Marie\r\n"
    assert apply_ops(b"", [SetKey("tier", 10)]) == b"---\ntier: 10\n---\n"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (date(2026, 9, 14), "2026-09-14"),
        (datetime.fromisoformat("2026-09-14T10:30"), "2026-09-14T10:30:00"),
        (True, "true"),
        (False, "false"),
        (7, "7"),
        ("Lyon", "Lyon"),
        ("Côte d'Azur", "Côte d'Azur"),
        ("0170123456", '"0170123456"'),
        ("+49 170 123456", "+49 170 123456"),
        ("NO", '"NO"'),
        ("2026", '"2026"'),
        ("2026-09-14", '"2026-09-14"'),
        ("12:30", '"12:30"'),
        ("1e3", '"1e3"'),
        ("null", '"null"'),
        ("", '""'),
        ("[[Paul Martin]]", '"[[Paul Martin]]"'),
        ("see [[Paul Martin]]", '"see [[Paul Martin]]"'),
        ("[draft]", '"[draft]"'),
        ("#friend", '"#friend"'),
        ("key: value", '"key: value"'),
        (": x", '": x"'),
        ("a #b", '"a #b"'),
        ("C#", "C#"),
        ('say "hi"\nbye', '"say \\"hi\\"\\nbye"'),
        (["[[Paul Martin]]", "NO"], ':\n  - "[[Paul Martin]]"\n  - "NO"'),
        ([], "[]"),
    ],
)
def test_values_are_written_in_obsidian_style(value: object, written: str) -> None:
    after = apply_ops(b"---\ntier: 50\n---\n", [SetKey("key", value)])
    line = f"key{written}" if written.startswith(":") else f"key: {written}"
    assert after == f"---\ntier: 50\n{line}\n---\n".encode()
    assert same(front_matter(after), {"tier": 50, "key": value})


def test_duplicate_key_is_refused() -> None:
    with pytest.raises(EditError, match="'tier' appears 2 times"):
        apply_ops(b"---\ntier: 50\ntier: 10\n---\n", [SetKey("tier", 100)])


@pytest.mark.parametrize(
    ("note", "message"),
    [
        (b"---\ntier: [50\n---\n", "not valid YAML"),
        (b"---\n- a\n- b\n---\n", "not a list of `key: value`"),
        (b"---\ntier: 50\n", "no closing `---`"),
    ],
)
def test_broken_front_matter_is_refused(note: bytes, message: str) -> None:
    with pytest.raises(EditError, match=message):
        apply_ops(note, [SetKey("tier", 10)])


def test_a_note_with_anchors_and_aliases_is_not_edited(tmp_path: Path) -> None:
    # Removing the anchor would break the alias that uses it; and aliases are never expanded
    # (the verification of an edit would expand a "billion laughs" for ever).
    note = tmp_path / "Marie.md"
    note.write_bytes(b"---\nhome: &city Lyon\nlocation: *city\n---\n")
    with pytest.raises(EditError, match="uses YAML anchors or aliases") as caught:
        plan(note, [SetKey("home", None)])
    assert str(note) in str(caught.value)


def test_a_bad_value_elsewhere_does_not_block_an_edit() -> None:
    # `check` reports the impossible birthday; recording a contact must still work.
    before = b"---\nbirthday: 2024-13-01\nratio: .nan\nlast_contact: 2026-01-01\n---\n"
    after = apply_ops(before, [SetKey("last_contact", date(2026, 9, 14))])
    assert changed(before, after) == ["-last_contact: 2026-01-01\n", "+last_contact: 2026-09-14\n"]


def test_unknown_log_kind_is_refused() -> None:
    with pytest.raises(EditError, match="unknown log kind 'lunch'"):
        apply_ops(NOTE.encode(), [AddLog(date(2026, 1, 1), "lunch", "x")])


# ---------------------------------------------------------------------------------------------
# AddLog


def log_lines(data: bytes) -> list[str]:
    return [line for line in data.decode().splitlines() if re.match(r"- \d{4}-", line)]


def test_log_line_in_newest_first_section() -> None:
    after = apply_ops(NOTE.encode(), [AddLog(date(2026, 8, 1), "mail", "sent the venue list")])
    assert log_lines(after) == [
        "- 2026-09-14 call: she is looking for a venue in Nice",
        "- 2026-08-01 mail: sent the venue list",
        "- 2026-06-02 gave: sent her the contact of a frame maker",
    ]
    newest = apply_ops(NOTE.encode(), [AddLog(date(2026, 10, 1), "visit", "x")])
    assert log_lines(newest)[0] == "- 2026-10-01 visit: x"


def test_log_line_in_oldest_first_section() -> None:
    before = b"# Anna\n\n## Log\n- 2025-01-01: met\n- 2025-03-01 call: a\n- 2025-05-01 call: b\n"
    after = apply_ops(before, [AddLog(date(2025, 4, 1), "got", "a book tip")])
    assert changed(before, after) == ["+- 2025-04-01 got: a book tip\n"]
    assert log_lines(after)[2] == "- 2025-04-01 got: a book tip"
    last = apply_ops(before, [AddLog(date(2025, 6, 1), None, "x")])
    assert last.endswith(b"- 2025-05-01 call: b\n- 2025-06-01: x\n")


def test_log_section_is_created_when_missing() -> None:
    before = b"---\ntier: 50\n---\n# Anna\n\nLikes jazz."
    after = apply_ops(before, [AddLog(date(2026, 1, 2), "meet", "jazz club")])
    assert after == before + b"\n\n## Log\n- 2026-01-02 meet: jazz club"
    with_newline = apply_ops(b"# Anna\n\n", [AddLog(date(2026, 1, 2), None, "x")])
    assert with_newline == b"# Anna\n\n## Log\n- 2026-01-02: x\n"
    only_front_matter = apply_ops(b"---\ntier: 50\n---\n", [AddLog(date(2026, 1, 2), None, "x")])
    assert only_front_matter == b"---\ntier: 50\n---\n## Log\n- 2026-01-02: x\n"


def test_log_section_ends_at_the_next_heading() -> None:
    before = (
        b"# Anna\n\n### log\n- 2026-03-01: a\n\n#### 2025\n- 2025-01-01: b\n\n"
        b"## Ideas\n- 2026-05-05: not a log line\n"
    )
    after = apply_ops(before, [AddLog(date(2026, 6, 1), "call", "new")])
    # Newest first (2026-03-01 before 2025-01-01); the subsection belongs to the log section;
    # `## Ideas` (a higher level) ends it.
    assert changed(before, after) == ["+- 2026-06-01 call: new\n"]
    assert after.index(b"- 2026-06-01") < after.index(b"- 2026-03-01")
    before = b"## Log\n- 2026-01-01: a\n\n## Ideas\n- 2026-05-05: x\n"
    after = apply_ops(before, [AddLog(date(2026, 6, 1), None, "new")])
    assert after == b"## Log\n- 2026-01-01: a\n- 2026-06-01: new\n\n## Ideas\n- 2026-05-05: x\n"


def test_log_line_with_equal_dates() -> None:
    oldest_first = b"## Log\n- 2026-01-01: a\n- 2026-02-01: b\n- 2026-02-01: c\n- 2026-03-01: d\n"
    after = apply_ops(oldest_first, [AddLog(date(2026, 2, 1), None, "new")])
    assert log_lines(after) == [
        "- 2026-01-01: a",
        "- 2026-02-01: b",
        "- 2026-02-01: c",
        "- 2026-02-01: new",
        "- 2026-03-01: d",
    ]
    newest_first = b"## Log\n- 2026-03-01: d\n- 2026-02-01: c\n- 2026-02-01: b\n- 2026-01-01: a\n"
    after = apply_ops(newest_first, [AddLog(date(2026, 2, 1), None, "new")])
    assert log_lines(after) == [
        "- 2026-03-01: d",
        "- 2026-02-01: new",
        "- 2026-02-01: c",
        "- 2026-02-01: b",
        "- 2026-01-01: a",
    ]


def test_log_order_that_cannot_be_told_is_oldest_first() -> None:
    before = b"## Log\n- 2026-02-01: only\n"
    assert apply_ops(before, [AddLog(date(2026, 3, 1), None, "x")]).endswith(
        b"only\n- 2026-03-01: x\n"
    )
    assert apply_ops(before, [AddLog(date(2026, 1, 1), None, "x")]) == (
        b"## Log\n- 2026-01-01: x\n- 2026-02-01: only\n"
    )


def test_log_line_goes_after_the_indented_lines_of_an_entry() -> None:
    before = b"## Log\n- 2026-01-01 meet: fair\n  - she paints\n\nSee also [[Paul]].\n"
    after = apply_ops(before, [AddLog(date(2026, 2, 1), "call", "x")])
    assert changed(before, after) == ["+- 2026-02-01 call: x\n"]
    assert b"she paints\n- 2026-02-01 call: x\n\n" in after


def test_log_line_goes_after_every_paragraph_of_the_last_entry() -> None:
    # Before: between the entry's two paragraphs, which made the second one the new entry's.
    before = (
        b"## Log\n- 2026-01-01 call: a\n- 2026-10-01 call: b\n  first line of b\n\n"
        b"  second paragraph of b\n\nNot indented: not the entry's.\n"
    )
    after = apply_ops(before, [AddLog(date(2026, 11, 1), None, "new")])
    assert changed(before, after) == ["+- 2026-11-01: new\n"]
    assert b"  second paragraph of b\n- 2026-11-01: new\n\nNot indented" in after


def test_log_heading_in_a_code_block_is_not_the_log() -> None:
    before = b"# Anna\n\n```\n## Log\n- 2020-01-01: example\n```\n"
    after = apply_ops(before, [AddLog(date(2026, 2, 1), None, "x")])
    assert after == before + b"\n## Log\n- 2026-02-01: x\n"


def test_log_text_with_newlines_is_one_line() -> None:
    after = apply_ops(b"## Log\n", [AddLog(date(2026, 2, 1), "note", "first\nsecond\r\n  third\n")])
    assert after == b"## Log\n- 2026-02-01 note: first second third\n"


def test_log_goes_under_the_vaults_own_log_heading() -> None:
    before = (
        b"# Ada\n\n## Life Events\n- 1998-00-00: born\n\n## Communication Log\n"
        b"- 2026-05-01 call: a\n\n## Notes\nx\n"
    )
    headings = ("Log", "Communication Log")
    after = apply_ops(before, [AddLog(date(2026, 6, 1), "mail", "b", headings)])
    assert changed(before, after) == ["+- 2026-06-01 mail: b\n"]
    assert b"- 2026-05-01 call: a\n- 2026-06-01 mail: b\n\n## Notes" in after
    # Without such a section, the first of the vault's log headings is made.
    made = apply_ops(b"# Ada\n", [AddLog(date(2026, 6, 1), None, "x", ("Interactions",))])
    assert made == b"# Ada\n\n## Interactions\n- 2026-06-01: x\n"


HEADING_LOG = b"""\
# Jane Doe

## Communication Log

### 2026-06-12 \xe2\x80\x94 Email
Summary: sent the proposal

### 2026-05-02 \xe2\x80\x94 Call
Summary: first call

## Next Steps
- follow up
"""


def test_a_log_of_heading_entries_gets_one_more_heading_entry() -> None:
    headings = ("Communication Log",)
    newest = apply_ops(HEADING_LOG, [AddLog(date(2026, 7, 1), "call", "new offer", headings)])
    assert newest.decode() == HEADING_LOG.decode().replace(
        "### 2026-06-12", "### 2026-07-01 \u2014 Call\nnew offer\n\n### 2026-06-12"
    )
    between = apply_ops(HEADING_LOG, [AddLog(date(2026, 6, 1), None, "checked in", headings)])
    assert b"first call\n" not in between.split(b"### 2026-06-01")[0]
    assert between.index(b"### 2026-06-12") < between.index(b"### 2026-06-01\nchecked in\n\n")
    oldest = apply_ops(HEADING_LOG, [AddLog(date(2026, 1, 5), "meet", "fair", headings)])
    assert (
        oldest.decode()
        .split("## Next Steps")[0]
        .endswith("Summary: first call\n\n### 2026-01-05 \u2014 Meet\nfair\n\n")
    )


def test_set_key_finds_the_property_ignoring_case_and_keeps_its_spelling() -> None:
    before = b"---\nTier: 50\nLast_Contact: 2026-01-01\n---\n"
    after = apply_ops(before, [SetKey("tier", 10), SetKey("last_contact", date(2026, 2, 1))])
    assert after == b"---\nTier: 10\nLast_Contact: 2026-02-01\n---\n"


def test_only_later_never_moves_a_date_back() -> None:
    before = b"---\nlast_contacted: 2026-06-10\n---\n"
    earlier = apply_ops(before, [SetKey("last_contacted", date(2026, 5, 1), only_later=True)])
    assert earlier == before
    later = apply_ops(before, [SetKey("last_contacted", date(2026, 7, 1), only_later=True)])
    assert later == b"---\nlast_contacted: 2026-07-01\n---\n"
    missing = apply_ops(b"---\ntier: 50\n---\n", [SetKey("x", date(2026, 7, 1), only_later=True)])
    assert missing == b"---\ntier: 50\nx: 2026-07-01\n---\n"


# ---------------------------------------------------------------------------------------------
# Reading and writing files


def test_note_changed_between_plan_and_write_is_left_untouched(tmp_path: Path) -> None:
    note = tmp_path / "Marie Dupont.md"
    note.write_text(NOTE, encoding="utf-8")
    planned = plan(note, [SetKey("tier", 10)])
    saved_in_editor = NOTE.replace("Paints", "Sculpts")
    note.write_text(saved_in_editor, encoding="utf-8")
    with pytest.raises(NoteChanged) as caught:
        write(planned, root=tmp_path)
    message = str(caught.value)
    assert "changed on disk since netzwerk read it" in message
    assert "nothing was written" in message
    assert "run the command again" in message.lower()
    assert note.read_text(encoding="utf-8") == saved_in_editor
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Marie Dupont.md"]


def test_same_size_change_with_same_mtime_is_still_detected(tmp_path: Path) -> None:
    note = tmp_path / "Marie.md"
    note.write_bytes(b"---\ntier: 50\n---\n")
    planned = plan(note, [SetKey("tier", 10)])
    old = os.stat(note)
    note.write_bytes(b"---\ntier: 99\n---\n")
    os.utime(note, ns=(old.st_atime_ns, old.st_mtime_ns))  # an editor that keeps the mtime
    with pytest.raises(NoteChanged):
        write(planned, root=tmp_path)
    assert note.read_bytes() == b"---\ntier: 99\n---\n"


NO_SPACE = OSError(28, "No space left on device")


@pytest.mark.parametrize(
    ("call", "failure", "raised", "says"),
    [
        # before the rename: the temporary file is complete
        ("replace", NO_SPACE, EditError, "No space left on device; the note was left unchanged"),
        # while the temporary file is written: a full disk, or Ctrl-C
        ("fsync", NO_SPACE, EditError, "No space left on device; nothing was changed"),
        ("fsync", KeyboardInterrupt(), KeyboardInterrupt, None),
    ],
    ids=["full disk before the rename", "full disk while writing", "interrupt while writing"],
)
def test_a_failed_write_leaves_the_original_and_no_temporary_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    call: str,
    failure: BaseException,
    raised: type[BaseException],
    says: str | None,
) -> None:
    note = tmp_path / "Marie.md"
    note.write_text(NOTE, encoding="utf-8")
    planned = plan(note, [SetKey("tier", 10)])

    def fails(*args: object) -> None:
        raise failure

    monkeypatch.setattr(os, call, fails)
    with pytest.raises(raised, match=says):
        write(planned, root=tmp_path)
    assert note.read_text(encoding="utf-8") == NOTE
    assert [p.name for p in tmp_path.iterdir()] == ["Marie.md"]


def test_write_is_atomic_rename_of_a_hidden_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = tmp_path / "Marie.md"
    note.write_text(NOTE, encoding="utf-8")
    note.chmod(0o640)
    planned = plan(note, [SetKey("tier", 10)])
    renames: list[tuple[str, str, bytes, int]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        src_path = Path(src)
        renames.append(
            (
                src_path.name,
                Path(dst).name,
                src_path.read_bytes(),
                stat.S_IMODE(os.stat(src).st_mode),
            )
        )
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    assert write(planned, root=tmp_path) is True
    [(src, dst, content, mode)] = renames
    assert src.startswith(".") and src.endswith(".tmp")
    assert (dst, content, mode) == ("Marie.md", planned.after, 0o640)
    assert note.read_bytes() == planned.after
    assert stat.S_IMODE(note.stat().st_mode) == 0o640


def test_a_note_that_is_a_symbolic_link_is_never_written(tmp_path: Path) -> None:
    # Even a link to a note in the same vault: a link may point at any file (.git/config).
    target = tmp_path / "real.md"
    target.write_bytes(b"---\ntier: 50\n---\n")
    link = tmp_path / "Marie.md"
    link.symlink_to(target)
    with pytest.raises(EditError, match=r"^Marie\.md is a symbolic link \(to .*real\.md\)"):
        write(plan(link, [SetKey("tier", 10)]), root=tmp_path)
    assert link.is_symlink()
    assert target.read_bytes() == b"---\ntier: 50\n---\n"


def test_non_utf8_note_is_never_rewritten(tmp_path: Path) -> None:
    note = tmp_path / "Müller.md"
    latin1 = "---\ntier: 50\n---\n# Müller\n".encode("latin-1")
    note.write_bytes(latin1)
    with pytest.raises(NotUtf8) as caught:
        read_note(note)
    assert str(note) in str(caught.value)
    assert "will not rewrite it" in str(caught.value)
    with pytest.raises(NotUtf8):
        plan(note, [SetKey("tier", 10)])
    with pytest.raises(NotUtf8):
        apply_ops(latin1, [AddLog(date(2026, 1, 1), None, "x")])
    assert note.read_bytes() == latin1


def test_unreadable_note_is_an_edit_error(tmp_path: Path) -> None:
    with pytest.raises(EditError, match=r"cannot read .*missing\.md"):
        read_note(tmp_path / "missing.md")


def test_write_without_change_does_not_touch_the_file(tmp_path: Path) -> None:
    note = tmp_path / "Marie.md"
    note.write_text(NOTE, encoding="utf-8")
    os.utime(note, (1_000_000_000, 1_000_000_000))
    before = os.stat(note)
    planned = plan(note, [SetKey("tier", 50), SetKey("missing", None)])
    assert not planned.changed
    assert write(planned, root=tmp_path) is False
    after = os.stat(note)
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)
    assert planned.diff("People/Marie.md") == ""


def test_create_writes_a_new_note_and_its_folders(tmp_path: Path) -> None:
    note = tmp_path / "People" / "Friends" / "Anna Berg.md"
    create(note, "---\ntier: 10\n---\n# Anna Berg\n", root=tmp_path)
    assert note.read_bytes() == b"---\ntier: 10\n---\n# Anna Berg\n"
    assert [p.name for p in note.parent.iterdir()] == ["Anna Berg.md"]


def test_create_refuses_an_existing_file(tmp_path: Path) -> None:
    note = tmp_path / "Anna Berg.md"
    note.write_text("mine", encoding="utf-8")
    with pytest.raises(EditError, match="already exists; netzwerk never overwrites"):
        create(note, "---\ntier: 10\n---\n", root=tmp_path)
    assert note.read_text(encoding="utf-8") == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["Anna Berg.md"]


def test_create_refuses_a_file_that_appears_while_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = tmp_path / "Anna Berg.md"
    real_link = os.link

    def racing_link(src: str, dst: str) -> None:
        Path(dst).write_text("saved by an editor meanwhile", encoding="utf-8")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(EditError, match="already exists"):
        create(note, "new", root=tmp_path)
    assert note.read_text(encoding="utf-8") == "saved by an editor meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["Anna Berg.md"]


def test_diff_shows_vault_relative_labels_and_crlf_as_plain_lines() -> None:
    before = b"---\r\ntier: 50\r\n---\r\nend"
    planned = Edit(Path("/v/People/Marie.md"), before, apply_ops(before, [SetKey("tier", 10)]))
    assert planned.diff("People/Marie.md") == (
        "--- a/People/Marie.md\n"
        "+++ b/People/Marie.md\n"
        "@@ -1,4 +1,4 @@\n"
        " ---\n"
        "-tier: 50\n"
        "+tier: 10\n"
        " ---\n"
        " end\n"
        "\\ No newline at end of file\n"
    )
    assert "\r" not in planned.diff("People/Marie.md")


# ---------------------------------------------------------------------------------------------
# vault_lock

TRY_LOCK = """
import sys, time
from pathlib import Path
from netzwerk.files import EditError, vault_lock
print("trying", flush=True)
start = time.monotonic()
try:
    with vault_lock(Path(sys.argv[1]), timeout=float(sys.argv[2])):
        print("acquired", round(time.monotonic() - start, 2), flush=True)
except EditError as exc:
    print("refused", round(time.monotonic() - start, 2), exc, flush=True)
"""

HOLD_LOCK = """
import sys, time
from pathlib import Path
from netzwerk.files import vault_lock
with vault_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


def python(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True
    )


def test_second_process_waits_for_the_lock_and_then_times_out(tmp_path: Path) -> None:
    cache = tmp_path / ".netzwerk"
    with vault_lock(cache):
        child = python(TRY_LOCK, str(cache), "0.5")
        out, _ = child.communicate(timeout=30)
    assert out.splitlines()[0] == "trying"
    result = out.splitlines()[1]
    word, waited, message = result.split(" ", 2)
    assert word == "refused"
    assert float(waited) >= 0.5
    assert message == (
        f"another netzwerk process is writing to this vault (pid {os.getpid()}, "
        f"lock file {cache / 'lock'}); try again"
    )


def test_second_process_gets_the_lock_once_it_is_released(tmp_path: Path) -> None:
    cache = tmp_path / ".netzwerk"
    with vault_lock(cache):
        child = python(TRY_LOCK, str(cache), "20")
        assert child.stdout is not None
        assert child.stdout.readline() == "trying\n"
        time.sleep(0.5)
    out, _ = child.communicate(timeout=30)
    word, waited = out.split()
    assert word == "acquired"
    assert float(waited) >= 0.4  # it really waited for this process


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and flock are POSIX")
def test_lock_file_of_a_killed_process_does_not_block(tmp_path: Path) -> None:
    cache = tmp_path / ".netzwerk"
    child = python(HOLD_LOCK, str(cache))
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "locked\n"
        with pytest.raises(EditError, match=f"pid {child.pid}, lock file"), vault_lock(cache, 0.2):
            pass
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert (cache / "lock").read_text(encoding="utf-8") == f"{child.pid}\n"  # left behind
    start = time.monotonic()
    with vault_lock(cache, timeout=5):
        assert time.monotonic() - start < 1
        assert (cache / "lock").read_text(encoding="utf-8") == f"{os.getpid()}\n"


def test_lock_is_reentrant_within_one_process(tmp_path: Path) -> None:
    cache = tmp_path / ".netzwerk"
    with vault_lock(cache, timeout=0.2), vault_lock(cache, timeout=0.2):
        pass
    with vault_lock(cache, timeout=0.2):
        pass


# ---------------------------------------------------------------------------------------------
# Properties: every line outside the edit survives, the front matter reads back as intended

KEYS = (
    "tier",
    "last_contact",
    "birthday",
    "tags",
    "aliases",
    "company",
    "location",
    "email",
    "phone",
    "interests",
    "knows",
    "paused",
    "cadence",
    "favourite_colour",
    "x-custom",
    "lastContact",
)

words = st.from_regex(r"[A-Za-zéüßÇ][A-Za-z0-9éüßÇ._/@-]{0,10}", fullmatch=True)
phrases = st.from_regex(r"[A-Za-zéü][A-Za-z0-9éü ._/@'-]{0,14}[A-Za-z0-9]", fullmatch=True)
quotable = st.text(st.sampled_from("abcXYZ019 .,:#[]{}'\"\\-éü€😀"), max_size=12)


def double_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@st.composite
def scalar_texts(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["plain", "phrase", "int", "date", "bool", "double", "single"]))
    if kind == "plain":
        return draw(words)
    if kind == "phrase":
        return draw(phrases)
    if kind == "int":
        return str(draw(st.integers(-1000, 10**10)))
    if kind == "date":
        return draw(st.dates(date(1900, 1, 1), date(2100, 1, 1))).isoformat()
    if kind == "bool":
        return draw(st.sampled_from(["true", "false"]))
    if kind == "double":
        return double_quoted(draw(quotable))
    return single_quoted(draw(quotable))


@st.composite
def key_chunks(draw: st.DrawFn, key: str) -> list[str]:
    """The lines of one property, in one of the styles people and plugins write."""
    comment = draw(st.sampled_from(["", "", "  # note", " # was 100"]))
    key = draw(st.sampled_from([key, key, key, f'"{key}"', f"'{key}'"]))
    style = draw(
        st.sampled_from(
            ["scalar", "scalar", "empty", "flow", "block", "block", "literal", "map", "flow2"]
        )
    )
    if style == "scalar":
        return [f"{key}: {draw(scalar_texts())}{comment}"]
    if style == "empty":
        return [f"{key}:{comment}"]
    items = draw(st.lists(scalar_texts(), min_size=0 if style == "flow" else 1, max_size=4))
    if style == "flow":
        flow_items = [i if i[0] in "'\"" or i.isalnum() else double_quoted(i) for i in items]
        return [f"{key}: [{', '.join(flow_items)}]{comment}"]
    if style == "flow2":
        return [f"{key}: [a,", "  b]" + comment]
    if style == "block":
        indent = draw(st.sampled_from(["", "  ", "    "]))
        lines = [f"{key}:{comment}"]
        for item in items:
            if len(lines) > 1:
                lines += draw(st.sampled_from([[], [], [f"{indent}  # between items"], [""]]))
            lines.append(f"{indent}- {item}")
        return lines
    if style == "literal":
        return [f"{key}: |", "  first line", "  # not a comment"]
    return [f"{key}:{comment}", "  a: 1", f"  b: [{draw(words)}]"]


BODY_LINES = st.sampled_from(
    [
        "# Marie Dupont",
        "",
        "",
        "---",
        "Some text: with a colon",
        "## Log",
        "### log",
        "## Ideas",
        "- 2026-01-05 call: hi",
        "- 2025-12-01: x",
        "- 2026-03-01 gave: a book",
        "  - a nested line",
        "```",
        "foo: bar",
    ]
)
body_lines = st.lists(
    st.one_of(
        BODY_LINES, st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=20)
    ),
    max_size=8,
)


@dataclass
class Case:
    data: bytes
    nl: str
    has_front_matter: bool
    close: int  # index of the closing --- line (0 without front matter)
    spans: dict[str, tuple[int, int]]  # property -> [first line, end) in the note's lines


@st.composite
def notes(draw: st.DrawFn) -> Case:
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    has_front_matter = draw(st.integers(0, 9)) > 0
    lines: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    if has_front_matter:
        lines.append("---")
        for key in draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=7)):
            # Lines between properties; an indented comment would continue a `|` value.
            after_literal = lines[-1] == "  # not a comment"
            between = ["# a comment", "", "#"] if after_literal else ["# a", "", "#", "  # in"]
            for _ in range(draw(st.integers(0, 2))):
                lines.append(draw(st.sampled_from(between)))
            chunk = draw(key_chunks(key))
            spans[key] = (len(lines), len(lines) + len(chunk))
            lines += chunk
        if draw(st.booleans()):
            trailing = ["# trailing comment", ""]
            if lines[-1] != "  # not a comment":
                trailing.append("  # indented")
            lines.append(draw(st.sampled_from(trailing)))
        lines.append("---")
    body = draw(body_lines)
    if not has_front_matter:
        assume(not body or body[0] != "---")
    lines += body
    text = nl.join(lines)
    if lines and draw(st.booleans()):
        text += nl
    bom = draw(st.booleans())
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    close = len(lines) - len(body) - 1 if has_front_matter else 0
    return Case(data, nl, has_front_matter, close, spans)


tricky = st.sampled_from(
    [
        "NO",
        "yes",
        "0170123456",
        "2026",
        "2026-09-14",
        "[[Paul Martin]]",
        "#tag",
        ": x",
        "a: b",
        "a #b",
        "- x",
        "null",
        "~",
        "",
        " lead",
        "trail ",
        "'q'",
        '"q"',
        "1:30",
        "0o17",
        "1e3",
        ".5",
        "@x",
        "`x",
        "%x",
        "!x",
        "&x",
        "*x",
        "|",
        ">",
        "?",
        "x\ny",
        "\t",
        "a\u2028b",
        "\x85",
        "\ufeffx",
        "é",
        "...",
        "---",
    ]
)
texts = st.one_of(tricky, st.text(max_size=20))
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.dates(),
    st.datetimes(),
    st.datetimes(
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))]
        )
    ),
    texts,
    st.lists(texts, max_size=4),
)
set_keys = st.builds(SetKey, st.sampled_from((*KEYS, "new_key")), values)
add_logs = st.builds(
    AddLog, st.dates(), st.sampled_from((None, *LOG_KINDS)), st.one_of(tricky, st.text(max_size=30))
)


@settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(case=notes(), op=st.one_of(set_keys, set_keys, add_logs))
def test_every_line_outside_the_edit_survives(case: Case, op: SetKey | AddLog) -> None:
    after = apply_ops(case.data, [op])
    before_lines, after_lines = split(case.data), split(after)
    if isinstance(op, AddLog):
        assert_only_log_inserted(case, after, op)
        return
    old = front_matter(case.data) if case.has_front_matter else {}
    old = {} if old is None else old
    assert isinstance(old, dict)
    expected = dict(old)
    if op.value is None:
        expected.pop(op.key, None)
    else:
        expected[op.key] = list(op.value) if isinstance(op.value, list) else op.value
    if not case.has_front_matter:
        if op.value is None:
            assert after == case.data
            return
        bom = b"\xef\xbb\xbf" if case.data.startswith(b"\xef\xbb\xbf") else b""
        nl = case.nl.encode() if b"\n" in case.data else b"\n"
        assert after.startswith(bom + b"---" + nl)
        assert after.endswith(case.data.removeprefix(bom))
    elif op.key in case.spans:
        first, end = case.spans[op.key]
        assert after_lines[:first] == before_lines[:first]
        tail = before_lines[end:]
        assert after_lines[len(after_lines) - len(tail) :] == tail
        assert len(after_lines) >= len(tail) + first
    elif op.value is None:
        assert after == case.data
        return
    else:
        # Appended as the last line(s) of the front matter; nothing else moves.
        close = case.close
        added = len(after_lines) - len(before_lines)
        assert added >= 1
        assert after_lines[:close] + after_lines[close + added :] == before_lines
        assert after_lines[close].startswith(op.key.encode() + b":")
    if b"\n" in case.data:  # new lines take the file's line ending
        crlf = {line.endswith(b"\r\n") for line in after_lines if line.endswith(b"\n")}
        assert crlf == {case.nl == "\r\n"}
    got = front_matter(after)
    assert same({} if got is None else got, expected), (got, expected)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=notes(), ops=st.lists(set_keys, min_size=2, max_size=5))
def test_several_keys_at_once_are_the_same_as_one_after_another(
    case: Case, ops: list[SetKey]
) -> None:
    """apply_ops sets consecutive keys in one pass: byte for byte what setting them one at a
    time gives, or the same refusal."""

    def one_by_one() -> bytes | type[BaseException]:
        data = case.data
        try:
            for op in ops:
                data = apply_ops(data, [op])
        except (EditError, TypeError) as exc:
            return type(exc)
        return data

    try:
        together: bytes | type[BaseException] = apply_ops(case.data, ops)
    except (EditError, TypeError) as exc:
        together = type(exc)
    assert together == one_by_one()


def assert_only_log_inserted(case: Case, after: bytes, op: AddLog) -> None:
    # Split on \n only: a line appended after an unterminated last line is then still a pure
    # insertion, and the old last line is unchanged apart from its new line ending.
    bom = BOM if case.data.startswith(BOM) else b""
    assert after.startswith(bom)
    # CR is compared apart: the old last line gains a whole CRLF when a line is appended to it.
    before_parts = case.data.removeprefix(bom).replace(b"\r\n", b"\n").split(b"\n")
    after_parts = after.removeprefix(bom).replace(b"\r\n", b"\n").split(b"\n")
    if case.nl == "\r\n" and b"\n" in case.data:
        assert after.count(b"\n") == after.count(b"\r\n")
    added = len(after_parts) - len(before_parts)
    assert added in (1, 2, 3)
    day = op.date.isoformat()
    head = f"- {day} {op.kind}" if op.kind else f"- {day}"
    if " ".join(op.text.split()):
        head += ":"  # (without text, no colon)
    body_start = case.close + 1 if case.has_front_matter else 0

    def inserted_at(at: int) -> bool:
        if after_parts[:at] + after_parts[at + added :] != before_parts:
            return False
        inserted = [p.decode() for p in after_parts[at : at + added]]
        return (
            inserted[-1].startswith(head)
            and inserted[:-1] in ([], ["## Log"], ["", "## Log"])
            and at >= body_start
        )

    assert any(inserted_at(at) for at in range(len(before_parts) + 1))
    if case.has_front_matter:
        assert front_matter(after) == front_matter(case.data)


@settings(max_examples=300, deadline=None)
@given(
    days=st.lists(st.dates(date(2000, 1, 1), date(2030, 1, 1)), min_size=2, max_size=8),
    newest_first=st.booleans(),
    new=st.dates(date(1999, 1, 1), date(2031, 1, 1)),
    final_newline=st.booleans(),
)
def test_log_section_stays_in_its_date_order(
    days: list[date], newest_first: bool, new: date, final_newline: bool
) -> None:
    assume(len(set(days)) > 1)
    ordered = sorted(days, reverse=newest_first)
    entries = [f"- {d.isoformat()} call: entry {i}" for i, d in enumerate(ordered)]
    text = (
        "# Anna\n\n## Log\n" + "\n".join(entries) + ("\n\n## Later\nx\n" if final_newline else "")
    )
    after = apply_ops(text.encode(), [AddLog(new, "meet", "new")])
    logged = [line[2:12] for line in log_lines(after)]
    assert logged == sorted(logged, reverse=newest_first)
    assert log_lines(after).count(f"- {new.isoformat()} meet: new") == 1
    # Among equal dates: after them oldest first, before them newest first.
    position = log_lines(after).index(f"- {new.isoformat()} meet: new")
    same_day = [i for i, d in enumerate(logged) if d == new.isoformat() and i != position]
    if same_day:
        assert (position < min(same_day)) if newest_first else (position > max(same_day))
    assert after.endswith(b"\n") == final_newline


def test_no_operations_give_identical_bytes() -> None:
    for data in (NOTE.encode(), BOM + NOTE.replace("\n", "\r\n").encode(), b"", b"x"):
        assert apply_ops(data, []) == data


def test_removing_a_key_keeps_indented_comments_out_of_a_block_scalar_above() -> None:
    # Found by the property test below: without `paused: true`, the indented comment under
    # it would become the last line of the `summary: |` text.
    note = (
        b"---\nsummary: |\n  first line\n  # not a comment\npaused: true\n  # paused for the"
        b" summer\ntier: top50\n---\n# Body\n"
    )
    after = apply_ops(note, [SetKey("paused", None)])
    data = yaml.safe_load(after.split(b"---\n")[1])
    assert data == {"summary": "first line\n# not a comment\n", "tier": "top50"}
    assert b"  # paused for the summer\n" in after  # the user's comment is kept
    assert b"paused: true" not in after
    assert after.endswith(b"tier: top50\n---\n# Body\n")
