"""netzwerk.notes: one note's text to a Contact or a JournalNote, with problems and file lines."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path
from types import MappingProxyType
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netzwerk import body as note_body
from netzwerk import notes
from netzwerk.config import Config
from netzwerk.model import (
    GET_KINDS,
    GIVE_KINDS,
    NEVER,
    Birthday,
    Contact,
    Duration,
    JournalNote,
    LogEntry,
    Mention,
)

PATH = "People/Marie Dupont.md"


def config(keys: dict[str, str] | None = None) -> Config:
    return Config(Path("/vault"), keys=MappingProxyType(dict(keys or {})))


def parse_contact(
    path: str, raw: bytes, keys: dict[str, str] | None = None
) -> tuple[Contact | None, list[notes.Problem]]:
    """A note in the contacts folder, read."""
    found, problems = notes.read_note(path, raw, "contact", config(keys))
    assert found is None or isinstance(found, Contact)
    return found, problems


def parse_journal(path: str, raw: bytes) -> tuple[JournalNote | None, list[notes.Problem]]:
    """A note in the journal folder, read."""
    found, problems = notes.read_note(path, raw, "journal", config())
    assert found is None or isinstance(found, JournalNote)
    return found, problems


def parse(text: str | bytes, keys: dict[str, str] | None = None) -> tuple[Contact, list[str]]:
    """A contact note that must parse; its problems as printed lines."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    contact, problems = parse_contact(PATH, raw, keys)
    assert contact is not None, [p.format() for p in problems]
    return contact, [p.format() for p in problems]


def note(front: str, body: str = "") -> str:
    return f"---\n{front}---\n{body}"


# ------------------------------------------------------------------ keys and their types


FULL = """\
---
tier: 50
last_contact: 2026-09-14
cadence: 3w
snooze_until: 2026-12-01
paused: false
birthday: 1988-04-02
tags:
  - artist
  - lyon
aliases:
  - Marie D.
company: Atelier Bleu
role: Painter
location: Lyon
email: marie@example.org
phone: "+33 6 12 34 56 78"
linkedin: https://www.linkedin.com/in/marie
interests: [painting, dogs]
needs:
  - an exhibition on the Côte d'Azur
offers:
  - introductions to galleries in Lyon
knows:
  - "[[Paul Martin]]"
introduced_by: "[[Anna Berg]]"
---
# Marie Dupont
"""


def test_every_known_key_is_read_to_its_type() -> None:
    contact, problems = parse(FULL)
    assert problems == []
    assert contact.name == "Marie Dupont"
    assert contact.tier == "50"
    assert contact.last_contact == date(2026, 9, 14)
    assert contact.cadence == Duration(3, "w")
    assert contact.snooze_until == date(2026, 12, 1)
    assert contact.paused is False
    assert contact.birthday == Birthday(4, 2, 1988)
    assert contact.tags == ("artist", "lyon")
    assert contact.aliases == ("Marie D.",)
    assert contact.company == "Atelier Bleu"
    assert contact.role == "Painter"
    assert contact.location == "Lyon"
    assert contact.email == ("marie@example.org",)
    assert contact.phone == ("+33 6 12 34 56 78",)
    assert contact.linkedin == "https://www.linkedin.com/in/marie"
    assert contact.interests == ("painting", "dogs")
    assert contact.needs == ("an exhibition on the Côte d'Azur",)
    assert contact.offers == ("introductions to galleries in Lyon",)
    assert contact.knows == ("Paul Martin",)
    assert contact.introduced_by == "Anna Berg"
    assert contact.lines["tier"] == 2
    assert contact.lines["introduced_by"] == 26
    assert contact.lines["knows[0]"] == 25


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-09-14", date(2026, 9, 14)),
        ("2026-09-14T10:30", date(2026, 9, 14)),
        ("2026-09-14T10:30:15", date(2026, 9, 14)),
        ("2026-09-14 10:30:15", date(2026, 9, 14)),
        ('"2026-09-14"', date(2026, 9, 14)),
        # As apps and sync tools write them: UTC, an offset, fractions of a second.
        ("2026-09-14T10:30:15Z", date(2026, 9, 14)),
        ("2026-09-14T23:30:00.123+02:00", date(2026, 9, 14)),
        ('"2026-09-14T10:30:15.5-0500"', date(2026, 9, 14)),
        ("2026-09-14 10:30:15 Z", date(2026, 9, 14)),
    ],
)
def test_dates_and_datetimes(written: str, expected: date) -> None:
    contact, problems = parse(note(f"last_contact: {written}\nsnooze_until: {written}\n"))
    assert (contact.last_contact, contact.snooze_until, problems) == (expected, expected, [])


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1988-04-02", Birthday(4, 2, 1988)),
        ("--04-02", Birthday(4, 2, None)),
        ('"--04-02"', Birthday(4, 2, None)),
        ("04-02", Birthday(4, 2, None)),
        ("XXXX-04-02", Birthday(4, 2, None)),
        ("--02-29", Birthday(2, 29, None)),
    ],
)
def test_birthdays_with_and_without_year(written: str, expected: Birthday) -> None:
    contact, problems = parse(note(f"birthday: {written}\n"))
    assert (contact.birthday, problems) == (expected, [])


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("10d", Duration(10, "d")),
        ("3w", Duration(3, "w")),
        ("2m", Duration(2, "m")),
        ("1y", Duration(1, "y")),
        ("never", NEVER),
        ("6M", Duration(6, "m")),
    ],
)
def test_durations(written: str, expected: Duration) -> None:
    contact, problems = parse(note(f"cadence: {written}\n"))
    assert (contact.cadence, problems) == (expected, [])


@pytest.mark.parametrize(
    ("front", "line"),
    [
        (
            "cadence: 3 weeks\n",
            "People/Marie Dupont.md:2: error: cadence is not a duration: '3 weeks'; "
            "write e.g. 10d, 3w, 2m, 1y, every 3 weeks, monthly, 30 (days) or never [NW205]",
        ),
        (
            "cadence: 0d\n",
            "People/Marie Dupont.md:2: error: cadence is not a duration: '0d'; "
            "write e.g. 10d, 3w, 2m, 1y, every 3 weeks, monthly, 30 (days) or never [NW205]",
        ),
        (
            "tier: 50\nbirthday: --02-30\n",
            "People/Marie Dupont.md:3: error: birthday is not a date: '--02-30'; "
            "write YYYY-MM-DD, or --MM-DD without the year [NW203]",
        ),
        (
            "tier: 50\n\nlast_contact: 2024-13-01\n",
            "People/Marie Dupont.md:4: error: last_contact is not a date: '2024-13-01'; "
            "write YYYY-MM-DD [NW203]",
        ),
        (
            "paused: maybe\n",
            "People/Marie Dupont.md:2: error: paused must be true or false, not 'maybe' [NW204]",
        ),
        (
            "tier:\n  - 10\n  - 50\n",
            "People/Marie Dupont.md:2: error: tier must be a single value, not a list [NW204]",
        ),
        (
            "company:\n  name: Atelier\n",
            "People/Marie Dupont.md:2: error: company must be a single value, not a mapping "
            "[NW204]",
        ),
        (
            "tags:\n  a: b\n",
            "People/Marie Dupont.md:2: error: tags must be a list, not a mapping [NW204]",
        ),
    ],
)
def test_wrongly_typed_values_are_reported_on_their_line(front: str, line: str) -> None:
    _, problems = parse(note(front))
    assert problems == [line]


def test_quoted_wikilinks_keep_only_the_note_name() -> None:
    contact, problems = parse(
        note(
            'knows:\n  - "[[Paul Martin]]"\n  - "[[Paul Martin|Paul]]"\n'
            '  - "[[Work/Anna Berg]]"\n  - "[[Jo Kim#Family]]"\n'
            "introduced_by: '[[Anna Berg|Anna]]'\n"
        )
    )
    assert problems == []
    assert contact.knows == ("Paul Martin", "Paul Martin", "Anna Berg", "Jo Kim")
    assert contact.introduced_by == "Anna Berg"
    assert [contact.lines[f"knows[{i}]"] for i in range(4)] == [3, 4, 5, 6]


def test_an_unquoted_wikilink_is_read_and_reported() -> None:
    contact, problems = parse(note("knows:\n  - [[Paul Martin]]\nintroduced_by: [[Anna]]\n"))
    assert contact.knows == ("Paul Martin",)
    assert contact.introduced_by == "Anna"
    assert problems == [
        "People/Marie Dupont.md:3: warning: knows: unquoted wikilink; "
        'write it in quotes: "[[Paul Martin]]" [NW213]',
        "People/Marie Dupont.md:4: warning: introduced_by: unquoted wikilink; "
        'write it in quotes: "[[Anna]]" [NW213]',
    ]


def test_lists_written_as_a_single_string() -> None:
    contact, problems = parse(
        note(
            "tags: artist, lyon\naliases: Marie D.\ninterests: painting\nneeds: a venue\n"
            "offers: frames\nknows: '[[Paul Martin]]'\n"
        )
    )
    assert problems == []
    assert contact.tags == ("artist", "lyon")
    assert contact.aliases == ("Marie D.",)
    assert contact.interests == ("painting",)
    assert contact.needs == ("a venue",)
    assert contact.offers == ("frames",)
    assert contact.knows == ("Paul Martin",)


def test_unknown_keys_are_kept_and_ignored() -> None:
    contact, problems = parse(
        note('tier: 10\nfavourite_colour: blue\ninstagram: "@marie"\nkids: [Léa, Tom]\n')
    )
    assert problems == []
    assert contact.extra == {"favourite_colour": "blue", "instagram": "@marie", "kids": "Léa, Tom"}
    assert contact == Contact(
        name="Marie Dupont",
        path=PATH,
        tier="10",
        body=contact.body,
        log=contact.log,
        lines=contact.lines,
        extra=contact.extra,
    )


def test_empty_values_are_the_same_as_absent_keys() -> None:
    empty, problems = parse(
        note(
            "tier:\nlast_contact:\ncadence:\nsnooze_until: ~\npaused:\nbirthday: null\n"
            'tags:\naliases: []\ncompany: ""\nrole:\nlocation:\nemail:\nphone:\n'
            "linkedin:\ninterests:\nneeds:\noffers:\nknows:\nintroduced_by:\n"
        )
    )
    assert problems == []
    assert empty == Contact(name="Marie Dupont", path=PATH, lines=empty.lines)


@pytest.mark.parametrize(
    ("front", "line"),
    [
        (
            "phone: 0170123456\n",
            "People/Marie Dupont.md:2: warning: phone: YAML reads 0170123456 as the number "
            '31500078; put it in quotes: phone: "0170123456" [NW209]',
        ),
        (
            "country: NO\n",
            "People/Marie Dupont.md:2: warning: country: YAML reads NO as false; "
            'put it in quotes: country: "NO" [NW209]',
        ),
        (
            "tags: [1_000]\n",
            "People/Marie Dupont.md:2: warning: tags: YAML reads 1_000 as the number 1000; "
            'put it in quotes: tags: "1_000" [NW209]',
        ),
    ],
)
def test_values_yaml_would_coerce_are_reported_never_used_coerced(front: str, line: str) -> None:
    contact, problems = parse(note(front))
    assert problems == [line]
    assert contact.phone in ((), ("0170123456",))
    assert contact.extra.get("country") in (None, "NO")


def test_a_quoted_phone_number_is_no_problem() -> None:
    contact, problems = parse(note('phone: "0170123456"\ncountry: "NO"\n'))
    assert (contact.phone, contact.extra, problems) == (("0170123456",), {"country": "NO"}, [])


def test_mistyped_key_suggests_the_known_one() -> None:
    contact, problems = parse(note("tier: 50\nlastcontact: 2026-01-02\nTags: [a]\n"))
    assert problems == [
        "People/Marie Dupont.md:3: warning: unknown key 'lastcontact'; "
        "did you mean 'last_contact'? [NW207]",
    ]
    assert contact.tags == ("a",)  # property names are compared ignoring case


def test_keys_mapping_reads_the_vaults_own_property_names() -> None:
    keys = {"last_contact": "lastContact", "location": "city"}
    contact, problems = parse(note("lastContact: 2026-09-14\ncity: Lyon\n"), keys)
    assert (contact.last_contact, contact.location, problems) == (date(2026, 9, 14), "Lyon", [])
    assert contact.lines["last_contact"] == 2


def test_keys_mapping_suggests_the_vaults_name_for_netzwerks_own() -> None:
    keys = {"last_contact": "lastContact"}
    contact, problems = parse(note("last_contact: 2026-09-14\n"), keys)
    assert contact.last_contact is None
    assert problems == [
        "People/Marie Dupont.md:2: warning: unknown key 'last_contact'; "
        "did you mean 'lastContact'? [NW207]"
    ]


def test_duplicate_key_keeps_the_first() -> None:
    contact, problems = parse(note("tier: 10\ncompany: A\ntier: 50\n"))
    assert contact.tier == "10"
    assert problems == [
        "People/Marie Dupont.md:4: error: duplicate key 'tier' (first on line 2); "
        "the first one is used [NW208]"
    ]


def test_crlf_and_bom_notes_keep_their_file_lines() -> None:
    raw = (
        b"\xef\xbb\xbf---\r\ntier: 50\r\nlast_contact: 2026-02-30\r\n---\r\n# Marie\r\n"
        b"\r\n## Log\r\n- 2026-09-14 call: venue in Nice\r\n"
    )
    contact, problems = parse(raw)
    assert contact.tier == "50"
    assert problems == [
        "People/Marie Dupont.md:3: error: last_contact is not a date: '2026-02-30'; "
        "write YYYY-MM-DD [NW203]"
    ]
    assert contact.log == (LogEntry(date(2026, 9, 14), "call", "venue in Nice", 8),)


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_byte_that_is_not_utf8_is_shown_with_its_line(bom: bytes) -> None:
    raw = bom + b"---\ntier: 50\n---\nCaf\xe9 with Marie\n"
    contact, problems = parse_contact(PATH, raw)
    assert contact is None
    assert [p.format() for p in problems] == [
        "People/Marie Dupont.md:4: error: file is not valid UTF-8 (byte 0xe9); "
        "save it as UTF-8 [NW101]"
    ]


@pytest.mark.parametrize("brk", ["\x85", "\u2028"])
def test_yaml_only_line_breaks_do_not_shift_file_lines(brk: str) -> None:
    # YAML breaks lines at NEL and LS; editors and netzwerk's lines don't.
    _, problems = parse(note(f'role: "a{brk}b"\ncadence: 3x\n'))
    assert problems == [
        "People/Marie Dupont.md:3: error: cadence is not a duration: '3x'; "
        "write e.g. 10d, 3w, 2m, 1y, every 3 weeks, monthly, 30 (days) or never [NW205]"
    ]
    contact, problems = parse_contact(PATH, note(f'role: "a{brk}b"\nx: y: z\n').encode())
    assert contact is None
    assert [p.format() for p in problems] == [
        "People/Marie Dupont.md:3: error: front matter is not valid YAML: "
        "mapping values are not allowed in this context [NW201]"
    ]


def test_a_note_without_front_matter_is_a_contact_without_properties() -> None:
    contact, problems = parse("# Marie\n\n## Log\n- 2026-09-14 call: hello\n")
    assert contact.tier is None
    assert [e.line for e in contact.log] == [4]
    assert problems == [
        "People/Marie Dupont.md:1: warning: contact note has no front matter; "
        "add a tier to schedule it [NW103]"
    ]


def test_front_matter_without_its_opening_fence_is_named_as_such() -> None:
    # As a real vault has it: the properties typed without the first `---`; Obsidian shows
    # them as text, and so does netzwerk, but check says what is wrong, and where.
    text = "tags:\n  - person\nbirthday: 1934-02-15\nlast_contact:\n---\n\n# Niklaus\n"
    contact, problems = parse(text)
    assert (contact.tier, contact.birthday, contact.tags) == (None, None, ())
    assert problems == [
        "People/Marie Dupont.md:1: warning: front matter without its opening --- (line 5 "
        "closes it): Obsidian and netzwerk read it as text; add --- as the first line [NW103]"
    ]
    # A note that only starts with a colon in its first sentence is a note without properties.
    _, problems = parse("Note: met at the fair\n\nSome text.\n---\n")
    assert problems == [
        "People/Marie Dupont.md:1: warning: contact note has no front matter; "
        "add a tier to schedule it [NW103]"
    ]


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("---\ntier: 50\nname: {{title}}\n---\n", "3: warning: an unrendered template ({{title}})"),
        ("# {{title}}\n", "1: warning: an unrendered template ({{title}})"),
        (
            "---\ntier: 50\n---\nCreated <% tp.date.now() %>\n",
            "4: warning: an unrendered template (<% tp.date.now() %>)",
        ),
        (
            "---\ntier: <%\n  tp.system.prompt('tier')\n%>\n---\n",
            "2: warning: an unrendered template (<% tp.system.prompt('tier') %>)",
        ),
    ],
)
def test_unrendered_templates_are_not_contacts_and_check_says_which(
    text: str, placeholder: str
) -> None:
    contact, problems = parse_contact(PATH, text.encode())
    assert contact is None
    assert [p.format() for p in problems] == [
        f"{PATH}:{placeholder}; not read until it is filled in [NW111]"
    ]


@pytest.mark.parametrize(
    "value",
    [
        'interests: ["Vue {{ mustache }} syntax"]',
        "role: uses {{ }} in Jinja",
        "# Notes on {{x}} use",
    ],
)
def test_a_placeholder_inside_text_is_text(value: str) -> None:
    text = note("tier: 50\n", value + "\n") if value.startswith("#") else note(value + "\n")
    contact, problems = parse(text)
    assert problems == []
    assert contact.name == "Marie Dupont"


# ------------------------------------------------------------------ log lines


BODY = """\
# Marie Dupont

## Log
- 2026-09-14 call: she is looking for a venue in Nice
- 2026-09-10 meet: coffee with [[Paul Martin]]
* 2026-08-01 Message: texted
- 2026-06-02 gave: sent her the contact of a frame maker
- 2026-05-01 got: a painting
- 2026-04-01 intro: to [[Anna Berg|Anna]]
- 2026-03-01 note: prefers mornings
- 2026-02-01 mail:
- [x] 2026-01-15 visit: studio
- 2026-01-02: no kind
- 2026-01-01 calll: typo
- 2025-13-01 call: bad date
- 2025-12-01 Note to self: not a log line
  - 2025-11-01 call: nested item
Some text - 2025-10-01 call: not at the start

```
- 2025-09-01 call: inside a code block
```
~~~~
- 2025-08-01 call: inside a tilde block
```
- 2025-07-01 call: still inside
~~~~
- 2025-06-01 visit: after the blocks
"""


def test_log_lines_with_kinds_and_file_lines() -> None:
    contact, problems = parse(note("tier: 50\n", BODY))
    first = 4  # "---", "tier", "---" come first
    got = [(str(e.date), e.kind, e.text, e.line - first, e.links) for e in contact.log]
    assert got == [
        ("2026-09-14", "call", "she is looking for a venue in Nice", 3, ()),
        ("2026-09-10", "meet", "coffee with [[Paul Martin]]", 4, ("Paul Martin",)),
        ("2026-08-01", "message", "texted", 5, ()),
        ("2026-06-02", "gave", "sent her the contact of a frame maker", 6, ()),
        ("2026-05-01", "got", "a painting", 7, ()),
        ("2026-04-01", "intro", "to [[Anna Berg|Anna]]", 8, ("Anna Berg",)),
        ("2026-03-01", "note", "prefers mornings", 9, ()),
        ("2026-02-01", "mail", "", 10, ()),
        ("2026-01-15", "visit", "studio", 11, ()),
        ("2026-01-02", None, "no kind", 12, ()),
        ("2026-01-01", "calll", "typo", 13, ()),
        ("2025-11-01", "call", "nested item", 16, ()),
        ("2025-06-01", "visit", "after the blocks", 27, ()),
    ]
    assert problems == [
        "People/Marie Dupont.md:17: warning: unknown log kind 'calll'; did you mean 'call'? "
        "known kinds: call, meet, message, mail, visit, gave, got, intro, warmup, note [NW214]",
        "People/Marie Dupont.md:18: error: log line date is not a date: '2025-13-01' [NW203]",
    ]


LOG_LIKE = st.sampled_from(
    [
        "- 2026-01-02 call: hi",
        "* 2026-01-02: met [[Paul]]",
        "  + [x] 2026-01-02 gave: a book",
        "- 2026-13-40 call: bad date",
        "- 2026-01-02 Note to self: no kind",
        "- 2026-01-02 cal: a typo",
        "-  2026-01-02  meet :  spaced",
        "- 2026-01-02",
        "-\t2026-01-02 call:\tx",
        "- 2026-01-02 call\x0b: form feed",
        "\u3000- 2026-01-02 call: ideographic space",
        "-",
        "",
        "   ",
        "text",
        "- not a log line",
        "## Log",
        "### Log",
        "## Notes",
        "# Title #",
        "#tag",
        "### 2026-01-03 — Email",
        "Summary: a heading entry's text",
        "- 2026-01-02 call: a\x0bb",
        "- 2026-01-02 call: [[A]] and [[B|b]]",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(LOG_LIKE, max_size=12))
def test_log_lines_read_in_one_pass_as_line_by_line(lines: list[str]) -> None:
    # A body without code blocks is read in one regex pass; a code block at its end sends it
    # line by line and changes nothing above it.
    body = "## Log\n" + "\n".join(lines)
    logs = ("Log",)
    assert note_body.parse_log(PATH, body, 5, logs) == note_body.parse_log(
        PATH, body + "\n```\n```", 5, logs
    )


def split_line_by_line(text: str) -> tuple[str | None, str, int]:
    """What notes.split finds, the plain way: the first `---` or `...` line after line 1."""
    if text.startswith("---") and text[3:].split("\n", 1)[0].strip() == "":
        lines = text.split("\n")
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
        return None, text, 1
    return None, text, 1


@given(
    st.lists(st.sampled_from(["---", "--- ", "---\x0b", "...", "-- -", "----", "a: b", "", " ---"]))
)
def test_front_matter_is_found_as_line_by_line(lines: list[str]) -> None:
    text = "\n".join(lines)
    found = notes.split(PATH, text)
    assert (found.front, found.body, found.body_line) == split_line_by_line(text)


def test_log_kinds_count_as_contact_give_or_get() -> None:
    contact, _ = parse(note("tier: 50\n", BODY))
    by_kind = {e.kind: e for e in contact.log}
    assert [k for k, e in by_kind.items() if e.is_contact] == [
        "call",
        "meet",
        "message",
        "mail",
        "visit",
        None,
    ]
    assert [k for k in by_kind if k in GIVE_KINDS] == ["gave", "intro"]
    assert [k for k in by_kind if k in GET_KINDS] == ["got"]


# ------------------------------------------------------------------ journal notes


JOURNAL = """\
# Monday

- [[Marie Dupont]] called
- [ ] call [[Paul Martin]]
- [x] lunch with [[Anna Berg|Anna]]
- [X] met [[Work/Jo Kim]]
> quoting [[Ben Ode]]
![[Cleo Park]]
`[[Dan Roe]]` in code, then [[Eve Lund#Notes]]
1. [ ] numbered open task with [[Finn Ray]]
2. [x] numbered done task with [[Gus Hall]]

```
[[Hal Ivy]]
```
[[Ida Jay]] and ![[Ida Jay]] and [[ ]] [[Jon Kay^block]]
`[[Kim Lo]]` is code, ![[Kim Lo]] an embed
"""


def test_journal_mentions_and_what_counts_as_contact() -> None:
    journal, problems = parse_journal("Daily/2026-11-20.md", JOURNAL.encode())
    assert problems == []
    assert journal is not None
    assert journal.date == date(2026, 11, 20)
    assert list(journal.mentions) == [
        Mention("Marie Dupont", 3, True),
        Mention("Paul Martin", 4, False),
        Mention("Anna Berg", 5, True),
        Mention("Jo Kim", 6, True),
        Mention("Ben Ode", 7, False),
        Mention("Cleo Park", 8, False),
        Mention("Dan Roe", 9, False),
        Mention("Eve Lund", 9, True),
        Mention("Finn Ray", 10, False),
        Mention("Gus Hall", 11, True),
        Mention("Hal Ivy", 14, False),
        Mention("Ida Jay", 16, True),
        Mention("Ida Jay", 16, False),
        Mention("Jon Kay", 16, True),
        Mention("Kim Lo", 17, False),
        Mention("Kim Lo", 17, False),
    ]


def test_journal_line_numbers_count_the_front_matter_and_crlf() -> None:
    raw = b"---\r\nmood: good\r\n---\r\n\r\n- [x] [[Marie Dupont]]\r\n"
    journal, problems = parse_journal("Daily/2026-11-20 Friday.md", raw)
    assert problems == []
    assert journal is not None
    assert journal.date == date(2026, 11, 20)
    assert journal.mentions == (Mention("Marie Dupont", 5, True),)


def test_journal_date_from_the_date_property() -> None:
    raw = b"---\ndate: 2026-11-20\n---\nmet [[Marie Dupont]]\n"
    journal, _ = parse_journal("Daily/Friday.md", raw)
    assert journal is not None
    assert (journal.date, journal.mentions) == (
        date(2026, 11, 20),
        (Mention("Marie Dupont", 4, True),),
    )


def test_an_undated_note_in_the_journal_folder_is_reported() -> None:
    journal, problems = parse_journal("Daily/Ideas.md", b"[[Marie Dupont]]\n")
    assert journal is None
    assert [p.format() for p in problems] == [
        "Daily/Ideas.md: warning: a note in the journal folder without a date: its name does "
        "not fit YYYY-MM-DD and it has no date property [NW215]"
    ]


# ------------------------------------------------------------------ property-based


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.binary(max_size=400)))
def test_any_text_or_bytes_never_raise(data: str | bytes) -> None:
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    for path in ("People/X.md", "Daily/2026-01-02.md"):
        contact, problems = parse_contact(path, raw)
        assert contact is None or contact.name == path.rsplit("/", 1)[-1][:-3]
        assert all(p.path == path for p in problems)
        _, problems = parse_journal(path, raw)
        assert all(p.path == path for p in problems)


YAMLISH = st.text(
    alphabet=st.sampled_from(
        [*(string.ascii_letters[:6] + "0123 -:#'\"[]{},&*!|>?%@`~\n\t\\."), "é", "\x85", "\x00"]
    ),
    max_size=200,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    front=YAMLISH,
    body=st.text(max_size=200),
    prefix=st.sampled_from(["", "\ufeff"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_arbitrary_front_matter_never_raises(
    front: str, body: str, prefix: str, newline: str
) -> None:
    text = prefix + f"---\n{front}\n---\n{body}".replace("\n", newline)
    raw = text.encode("utf-8", "surrogatepass")
    _, problems = parse_contact("People/X.md", raw)
    assert all(p.line is None or p.line >= 1 for p in problems)
    journal, _ = parse_journal("Daily/2026-01-02.md", raw)
    assert journal is not None and journal.date == date(2026, 1, 2)


# The fast path must read its subset of YAML exactly like PyYAML. Values are drawn from the
# subset, from just beyond it (where fast_front must give up), and from what YAML coerces.
KNOWN = list(notes.KNOWN_KEYS)
UNKNOWN = ["country", "lastcontact", "Tier", "first name", "my-key", "x.y", "date", "_id", "Ort"]
TEXTS = [
    "Lyon", "Atelier Bleu", "0170123456", "+49 170 123", "NO", "no", "Yes", "on", "off", "y",
    "true", "False", "~", "null", "", "--04-02", "04-02", "XXXX-04-02", "2026-02-30",
    "2026-09-14", "2026-09-14T10:30", "2026-09-14 10:30:00", "2024-13-01", "3w", "10d", "never",
    "0d", "50", "10", "reserve", "1.5", "1e3", "1_000", "0x1F", "017", ".5", ".inf", "+1", "-1",
    "1:30", "=", "<<", "Côte d'Azur", "don't", "a#b", "a #b", "[[Paul]]", '"[[Paul]]"',
    "http://x.y/z", "a:b", "a: b", "a:", "?x", "-x", "- x", "-", "--", "...", "!x", "&a x", "*a",
    "|", ">", "%x", "@x", "`x", ",x", "a, b", "{a}", "a[b]", "a?b", "x\x85y", "x\u2028y",
    "x\x7fy", "x\x01y", "Zürich", "x\ufeffy", "'q'", 'a"b', "a\\b", "a'b",
]  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(TEXTS),
    st.text(st.sampled_from(list("ab 0-:#'\"[],{}!&*?|>\\é\x85")), max_size=6),
)
COMMENT = st.sampled_from(["", "", "", " # c", "  #c", "#c", " #"])


@st.composite
def yaml_scalar(draw: st.DrawFn) -> str:
    text = draw(TEXT)
    style = draw(st.sampled_from(["plain", "plain", "double", "single", "single raw"]))
    if style == "double":
        return f'"{text}"'
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "single raw":
        return f"'{text}'"
    return text


@st.composite
def yaml_value(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["scalar"] * 4 + ["flow", "block", "block", "empty", "beyond"]))
    if kind == "scalar":
        return " " + draw(yaml_scalar()) + draw(COMMENT)
    if kind == "empty":
        return draw(st.sampled_from(["", " ", " # c"]))
    if kind == "flow":
        items = draw(st.lists(yaml_scalar(), max_size=4))
        sep = draw(st.sampled_from([", ", ",", " , "]))
        trailing = draw(st.sampled_from(["", "", ",", " "]))
        return " [" + sep.join(items) + trailing + "]" + draw(COMMENT)
    if kind == "beyond":
        return draw(
            st.sampled_from(
                [
                    " Atelier\n  Bleu",
                    " a\n   - x",
                    " a\n\n  more",
                    "\n  sub: x",
                    "\n  - a\n  - b: c",
                    " {a: b}",
                    "\n  - - a",
                    "\n  - [a]",
                    " |\n  text",
                    " >-\n  folded",
                    ' "two\n  lines"',
                ]
            )
        )
    indent = draw(st.sampled_from(["", "  ", "    "]))
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        own = indent if draw(st.integers(0, 9)) else draw(st.sampled_from(["", " ", "   "]))
        after = draw(st.sampled_from(["", "", "", "\n", "\n# c", "\n  # c"]))
        space = draw(st.sampled_from([" ", " ", "  "]))
        lines.append(own + "-" + space + draw(yaml_scalar()) + draw(COMMENT) + after)
    return draw(COMMENT) + "\n" + "\n".join(lines)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 7))):
        key = draw(st.sampled_from(KNOWN + UNKNOWN))
        space = draw(st.sampled_from(["", "", " "]))
        lines.append(key + space + ":" + draw(yaml_value()))
        lines.append(draw(st.sampled_from(["", "", "", "", "", "# comment", "   "])))
    return "\n".join(line for line in lines if line)


def outcome(result: tuple[Contact | None, list[notes.Problem]]) -> object:
    contact, problems = result
    # Contact's equality leaves out `lines` and `extra`: compare them too.
    seen = (contact, contact.lines, contact.extra) if contact is not None else None
    return seen, [p.format() for p in problems]


# Values a note holds when nothing is wrong with it, for front matter that mostly stays in the
# quick path's subset (each key once, with a value of its kind; lists of text), with now and
# then a value from beyond it.
FINE = {
    "tier": ["50", "10", "reserve", "100"],
    "last_contact": ["2026-09-14", "2025-01-31", "2026-09-14T10:30"],
    "snooze_until": ["2026-12-01"],
    "birthday": ["1972-04-16", "--04-02", "04-02", "XXXX-02-29"],
    "cadence": ["3w", "10d", "2m", "1y", "never", "0d"],
    "paused": ["true", "no", "on", "False"],
    "introduced_by": ["[[Paul]]", "[[Paul Martin|Paul]]", "Paul", "[[Paul]] at work"],
}
FINE_TEXT = [
    "Lyon", "Atelier Bleu", "Zürich", "3D printing", "+49 170 123", "https://example.org/x",
    "a #b", "Côte d'Azur", " padded ", "[[Paul]]", "[[Paul Martin|Paul]]", "~", "", "50",
]  # fmt: skip


def fine_scalar(texts: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(texts).map(lambda t: f'"{t}"'),
        st.sampled_from(texts).map(lambda t: "'" + t.replace("'", "''") + "'"),
        st.sampled_from([t for t in texts if t.strip() == t and t]),
    )


@st.composite
def fine_value(draw: st.DrawFn, key: str) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(yaml_value())  # anything
    comment = draw(st.sampled_from(["", "", "", " # c"]))
    if key not in notes.LIST_KEYS or draw(st.integers(0, 9)) == 0:
        return " " + draw(fine_scalar(FINE.get(key, FINE_TEXT))) + comment
    items = st.lists(fine_scalar(FINE_TEXT), max_size=4)
    if draw(st.booleans()):
        return " [" + ", ".join(draw(items)) + "]" + comment
    indent = draw(st.sampled_from(["", "  "]))
    after = st.sampled_from(["", "", "", "\n", "\n# c"])
    lines = [f"{indent}- {item}{draw(after)}" for item in draw(items)]
    return comment + "\n" + "\n".join(lines)


@st.composite
def fine_front_matter(draw: st.DrawFn) -> str:
    keys = draw(st.lists(st.sampled_from(KNOWN + UNKNOWN), unique=True, max_size=8))
    return "\n".join(key + ":" + draw(fine_value(key)) for key in keys)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=st.one_of(front_matter(), fine_front_matter()), mapped=st.booleans())
def test_the_quick_reader_agrees_with_pyyaml(front: str, mapped: bool) -> None:
    if notes.quick_entries(front) is None:
        return  # beyond the quick reader: only PyYAML reads it
    raw = f"---\n{front}\n---\n# Body\n## Log\n- 2026-01-02 call: hi\n".encode()
    keys = {"last_contact": "lastcontact", "location": "Ort"} if mapped else None
    quick = parse_contact(PATH, raw, keys)
    with mock.patch.object(notes, "quick_entries", return_value=None):
        full = parse_contact(PATH, raw, keys)
    assert outcome(quick) == outcome(full)


@pytest.mark.parametrize(
    "front",
    [
        "tier: 50\nlast_contact: 2026-09-14 # by phone\ntags:\n  - a\n  - 'b'\n",
        'knows:\n- "[[Paul]]"\ntags: [a, "b",]\n# comment\n\nphone: 0170123456\ncountry: NO\n',
        "birthday: --04-02\nlast_contact: 2026-02-30\nemail:\nrole: ~\n",
        "tier: reserve\nbirthday: 1972-04-16\npaused: true\ncadence: 3w\nemail:\nrole: ~\n",
        "linkedin: https://example.org/in/x\ninterests: [3D printing, opera]\ncountry: Norway\n",
        "introduced_by: '[[Anna Berg]]'\nneeds:\n\n  - a flat\n# more later\noffers: []\n",
    ],
)
def test_typical_front_matter_takes_the_quick_reader(front: str) -> None:
    # Keeps the equivalence test above honest: these must not fall back to PyYAML.
    assert notes.quick_entries(front) is not None


@pytest.mark.parametrize(
    ("front", "problem"),
    [
        ("tier: [,]\n", "front matter is not valid YAML"),
        ("tier: [a,,b]\n", "front matter is not valid YAML"),
        ("company: a\x85b\n", "front matter is not valid YAML"),
        ("company: a\x01b\n", "front matter is not valid YAML"),
    ],
)
def test_fast_path_refuses_what_yaml_refuses(front: str, problem: str) -> None:
    assert notes.quick_entries(front) is None
    contact, problems = parse_contact(PATH, f"---\n{front}---\n".encode())
    assert contact is None
    assert [p.code for p in problems] == ["NW201"]
    assert problem in problems[0].message


@pytest.mark.parametrize(
    "value",
    ["", "~", "null", "yes", "No", "on", "12", "0170123456", "1_000", "0x1F", "1.5", ".inf",
     "2026-09-14", "2026-09-14 10:30:00", "=", "<<", "Lyon", "12 Main St", "-3", "+1"],
)  # fmt: skip
def test_plain_scalars_get_the_types_pyyaml_gives_them(value: str) -> None:
    import yaml

    node = yaml.compose(f"k: {value}\n", Loader=yaml.SafeLoader).value[0][1]
    assert notes.resolve(value) == node.tag.rsplit(":", 1)[-1]


def test_equals_sign_is_text_in_both_paths() -> None:
    contact, problems = parse(note("tier: 50\ncompany: =\nrole: <<\n"))
    assert (contact.company, contact.role, problems) == ("=", "<<", [])
    with mock.patch.object(notes, "quick_entries", return_value=None):
        assert notes.read_front(PATH, "company: =\nrole: <<\n")[1] == []


def _link_target_by_regex(text: str) -> str | None:
    """What `link_target` gives, by the link pattern alone (its fast path must agree)."""
    match = note_body._LINK.search(text)
    if match is not None:
        return match.group(2).strip().rsplit("/", 1)[-1] or None
    return text.strip() or None


@settings(max_examples=2000, deadline=None)
@given(
    inner=st.text(st.sampled_from(list("[]|#^/ ab!é\n")), max_size=10),
    wrap=st.sampled_from([("[[", "]]"), ("", ""), ("[[", "]"), ("![[", "]]"), (" [[", "]] ")]),
)
def test_a_link_target_is_read_as_the_link_pattern_reads_it(
    inner: str, wrap: tuple[str, str]
) -> None:
    text = wrap[0] + inner + wrap[1]
    assert note_body.link_target(text) == _link_target_by_regex(text)
