"""`netzwerk export vcard` (vCard 4.0, read back by vobject and by our own importer) and
`netzwerk export ics` (iCalendar, read back by icalendar; a leap-day birthday recurs on
28 February in common years)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import icalendar
import vobject
from conftest import TODAY, invoke, write_files
from dateutil.rrule import rrulestr

from netzwerk import app
from netzwerk.model import Contact

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "example-vault"

ADA = """---
tier: 10
last_contact: 2026-10-01
birthday: --02-29
tags: [chess, berlin]
aliases: [Ada Q.]
company: Quist; Partner, Berlin
role: Founder
location: Berlin
email:
  - ada@quist.example
  - ada.quist@mail.example
phone: "+49 170 1234567"
linkedin: https://www.linkedin.com/in/ada-quist
interests: [chess, tango]
knows: ["[[Ben Okafor]]"]
---
# Ada Quist
"""
BEN = "---\ntier: 50\nbirthday: 1988-04-02\nemail: ben@okafor.example\n---\n# Ben Okafor\n"


def export(vault: Path, *args: str) -> bytes:
    result = invoke("--vault", str(vault), "export", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def test_a_vcard_4_0_of_each_contact(tmp_path: Path) -> None:
    vault = write_files(tmp_path, {"People/Ada Quist.md": ADA, "People/Ben Okafor.md": BEN})
    assert export(vault, "vcard") == (
        b"BEGIN:VCARD\r\n"
        b"VERSION:4.0\r\n"
        b"UID:urn:uuid:a11925da-4428-5aba-b4ca-d2dd07847328\r\n"
        b"FN:Ada Quist\r\n"
        b"N:Quist;Ada;;;\r\n"
        b"NICKNAME:Ada Q.\r\n"
        b"EMAIL:ada@quist.example\r\n"
        b"EMAIL:ada.quist@mail.example\r\n"
        b"TEL:+49 170 1234567\r\n"
        b"ORG:Quist\\; Partner\\, Berlin\r\n"
        b"TITLE:Founder\r\n"
        b"ADR:;;;Berlin;;;\r\n"
        b"BDAY:--0229\r\n"
        b"URL:https://www.linkedin.com/in/ada-quist\r\n"
        b"CATEGORIES:chess,berlin\r\n"
        b"RELATED;VALUE=text:Ben Okafor\r\n"
        b"NOTE:Interests: chess\\, tango\r\n"
        b"END:VCARD\r\n"
        b"BEGIN:VCARD\r\n"
        b"VERSION:4.0\r\n"
        b"UID:urn:uuid:37418cc5-7b01-5964-9c30-852d15d72e53\r\n"
        b"FN:Ben Okafor\r\n"
        b"N:Okafor;Ben;;;\r\n"
        b"EMAIL:ben@okafor.example\r\n"
        b"BDAY:19880402\r\n"
        b"END:VCARD\r\n"
    )


def test_the_uid_is_stable_and_the_tier_filter_works(tmp_path: Path) -> None:
    vault = write_files(tmp_path, {"People/Ada Quist.md": ADA, "People/Ben Okafor.md": BEN})
    first = export(vault, "vcard")
    (vault / "People/Friends").mkdir()
    (vault / "People/Ada Quist.md").rename(vault / "People/Friends/Ada Quist.md")
    assert export(vault, "vcard") == first  # moved to another folder: the same UID
    only = export(vault, "vcard", "--tier", "50")
    assert only.count(b"BEGIN:VCARD") == 1 and b"FN:Ben Okafor" in only
    bad = invoke("--vault", str(vault), "export", "vcard", "--tier", "5")
    assert bad.exit_code == 2 and "unknown tier '5'" in bad.stderr


def test_lines_are_folded_at_75_octets_between_characters(tmp_path: Path) -> None:
    interests = ", ".join(["Côte d'Azur 🌊 ételek"] * 12)
    note = f"---\ninterests: [{interests}]\ncompany: {'Ω' * 100}\n---\n"
    vault = write_files(tmp_path, {"People/Zoë Λάμπρου.md": note})
    data = export(vault, "vcard")
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) == 75
    for line in lines:
        line.decode("utf-8")  # no line ends inside a character
    unfolded = data.decode("utf-8").replace("\r\n ", "")
    assert f"ORG:{'Ω' * 100}\r\n" in unfolded
    assert "NOTE:Interests: " + interests.replace(",", "\\,") + "\r\n" in unfolded


def _example(tmp_path: Path) -> Path:
    vault = tmp_path / "example"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns(".netzwerk"))
    return vault


def test_vobject_reads_the_export_back(tmp_path: Path) -> None:
    vault = _example(tmp_path)
    contacts = {c.name: c for c in app.open_vault(vault, TODAY).snapshot.contacts}
    cards = list(vobject.readComponents(export(vault, "vcard").decode("utf-8")))
    assert len(cards) == len(contacts) == 41
    for card in cards:
        contact = contacts[card.fn.value]
        assert card.version.value == "4.0"
        assert [e.value for e in card.contents.get("email", [])] == list(contact.email)
        assert [t.value for t in card.contents.get("tel", [])] == list(contact.phone)
        if contact.company:
            assert card.org.value == [contact.company]
        if contact.role:
            assert card.title.value == contact.role
        if contact.birthday is not None:
            b = contact.birthday
            year = f"{b.year:04d}" if b.year else "--"
            assert card.bday.value == f"{year}{b.month:02d}{b.day:02d}"
        if contact.tags:
            assert card.categories.value == list(contact.tags)
        assert card.uid.value.startswith("urn:uuid:")
    assert len({card.uid.value for card in cards}) == 41


def _details(contact: Contact) -> tuple[object, ...]:
    return (
        contact.email,
        contact.phone,
        contact.company,
        contact.role,
        contact.location,
        contact.birthday,
        contact.tags,
        contact.aliases,
        contact.linkedin,
        contact.knows,
    )


def test_reimporting_the_export_gives_the_same_contact_details(tmp_path: Path) -> None:
    vault = _example(tmp_path)
    (tmp_path / "all.vcf").write_bytes(export(vault, "vcard"))
    empty = write_files(tmp_path / "empty", {"netzwerk.toml": ""})
    result = invoke("--vault", str(empty), "import", str(tmp_path / "all.vcf"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "41 records: 41 created, 0 updated, 0 unchanged, 0 skipped, 0 problems"
    )
    snapshot = app.open_vault(vault, TODAY).snapshot
    before = {c.name: c for c in snapshot.contacts}
    after = {c.name: c for c in app.open_vault(empty, TODAY).snapshot.contacts}
    assert sorted(after) == sorted(before)
    for name, contact in before.items():
        again = after[name]
        # A link by alias (`[[Max Vogt]]`) comes back as the title it names.
        targets = (snapshot.resolve(k) for k in contact.knows)
        known = tuple(t.name for t in targets if t is not None)
        assert _details(again) == _details(contact._replace(knows=known)), name
        assert (again.tier, again.interests, again.last_contact) == (None, (), None)


def test_export_to_a_file_is_written_once(tmp_path: Path) -> None:
    vault = write_files(tmp_path / "vault", {"People/Ada Quist.md": ADA})
    target = tmp_path / "out.vcf"
    first = invoke("--vault", str(vault), "export", "vcard", "-o", str(target))
    assert first.stdout == f"wrote {target} (1 contact)\n"
    stamp = target.stat().st_mtime_ns
    again = invoke("--vault", str(vault), "export", "vcard", "-o", str(target))
    assert again.stdout == f"{target} is up to date (1 contact)\n"
    assert target.stat().st_mtime_ns == stamp
    folder = invoke("--vault", str(vault), "export", "vcard", "-o", str(tmp_path))
    assert folder.exit_code == 1 and "is a folder; name a file" in folder.stderr


# --- iCalendar -------------------------------------------------------------------------------


def test_the_feed_parses_and_a_leap_day_birthday_recurs_on_28_february(tmp_path: Path) -> None:
    vault = _example(tmp_path)
    data = export(vault, "ics")
    calendar = icalendar.Calendar.from_ical(data)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    kenji = events["Birthday: Kenji Tanaka"]  # born 29 February 1992
    assert kenji["dtstart"].dt == date(1992, 2, 29)
    rule = rrulestr(kenji["rrule"].to_ical().decode(), dtstart=kenji["dtstart"].dt)
    in_year = [d.date() for d in rule.between(*_year(2027), inc=True)]
    assert in_year == [date(2027, 2, 28)]
    assert [d.date() for d in rule.between(*_year(2028), inc=True)] == [date(2028, 2, 29)]
    plain = events["Birthday: Søren Østergaard"]
    assert plain["rrule"].to_ical() == b"FREQ=YEARLY"
    assert b"\r\nRRULE:FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2\r\n" in data


def _year(year: int) -> tuple[object, object]:
    from datetime import datetime

    return datetime(year, 1, 1), datetime(year, 12, 31)  # noqa: DTZ001 - floating, as the rule


def test_the_same_vault_and_day_give_the_same_bytes(tmp_path: Path) -> None:
    vault = _example(tmp_path)
    first = export(vault, "ics")
    assert export(vault, "ics") == first
    assert b"DTSTAMP:20261123T000000Z\r\n" in first
    later = invoke("--vault", str(vault), "--today", "2026-11-24", "export", "ics").stdout_bytes
    assert b"DTSTAMP:20261124T000000Z\r\n" in later


def test_due_contacts_are_all_day_events_with_their_hooks(tmp_path: Path) -> None:
    vault = write_files(
        tmp_path,
        {
            # Top 10: three weeks; last contact 2026-10-01: overdue, so on today's date.
            "People/Ada Quist.md": ADA,
            # Top 50: two months from 2026-10-27: due on 2026-12-27, in the fifth week.
            "People/Ben Okafor.md": BEN.replace(
                "tier: 50\n", "tier: 50\nlast_contact: 2026-10-27\n"
            ),
            "People/Cem Aydin.md": "---\ntier: 100\nlast_contact: 2026-11-01\n---\n",  # May
            # Never contacted: due on her own day of the cadence (a staggered start).
            "People/Dana Roth.md": "---\ntier: 10\n---\n",
        },
    )
    feed = app.export_ics(app.open_vault(vault, TODAY), 4)
    assert (feed.birthdays, feed.due) == (2, 2)
    events = icalendar.Calendar.from_ical(feed.data).walk("VEVENT")
    due = [(e["dtstart"].dt, str(e["summary"]), str(e.get("description"))) for e in events[2:]]
    assert due == [
        (
            date(2026, 11, 23),
            "Get in touch: Ada Quist",
            "Top 10 · 32 days overdue · last: 2026-10-01 · ask about: chess, tango",
        ),
        (date(2026, 12, 1), "Get in touch: Dana Roth", "Top 10 · never contacted"),
    ]
    five = app.export_ics(app.open_vault(vault, TODAY), 5)
    assert five.due == 3 and b"SUMMARY:Get in touch: Ben Okafor\r\nDTSTART;VALUE=DATE:20261227" in (
        five.data
    )
    assert b"VALUE=DATE:" in feed.data and b"DTEND" not in feed.data  # one-day events


def test_ics_to_a_file(tmp_path: Path) -> None:
    vault = write_files(tmp_path / "vault", {"People/Ada Quist.md": ADA})
    target = tmp_path / "netzwerk.ics"
    result = invoke("--vault", str(vault), "export", "ics", "-o", str(target), "--weeks", "2")
    assert result.stdout == f"wrote {target} (1 birthdays, 1 due)\n"
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    bad = invoke("--vault", str(vault), "export", "ics", "--weeks", "0")
    assert bad.exit_code == 2


def test_the_name_property_is_the_vcards_name(tmp_path: Path) -> None:
    vault = write_files(
        tmp_path,
        {"People/Thomas Müller (Robert Bosch GmbH).md": "---\nname: Thomas Müller\n---\n"},
    )
    card = export(vault, "vcard").decode("utf-8")
    assert "\r\nFN:Thomas Müller\r\nN:Müller;Thomas;;;\r\n" in card
    empty = write_files(tmp_path / "empty", {"netzwerk.toml": ""})
    (tmp_path / "in.vcf").write_text(card, encoding="utf-8", newline="")
    invoke("--vault", str(empty), "import", str(tmp_path / "in.vcf"))
    assert sorted(p.name for p in (empty / "People").iterdir()) == ["Thomas Müller.md"]


def test_control_characters_in_a_name_never_break_a_card(tmp_path: Path) -> None:
    """A content line holds no control character (RFC 6350 3.3): line breaks of every kind
    (also NEL and U+2028, which some readers break lines at) are written as `\\n`, the rest
    left out; the card still reads back."""
    name = '"Ann\\0a\\x85b\\u2028c\\rd\\e[2Je\\tf"'
    vault = write_files(tmp_path / "v", {"People/Ann.md": f"---\nname: {name}\ntier: 10\n---\n"})
    data = export(vault, "vcard")
    assert b"FN:Anna\\nb\\nc\\nd[2Je\tf\r\n" in data.replace(b"\r\n ", b"")
    (card,) = vobject.readComponents(data.decode("utf-8"))
    assert card.fn.value == "Anna\nb\nc\nd[2Je\tf"


def test_the_feed_has_no_birthday_of_someone_who_died(tmp_path: Path) -> None:
    vault = write_files(
        tmp_path,
        {
            "People/Ada Lovelace.md": "---\nbirthday: 1815-12-10\ndied: 1852-11-27\n---\n",
            "People/Bob Brown.md": "---\nbirthday: 1990-12-10\n---\n",
        },
    )
    calendar = icalendar.Calendar.from_ical(export(vault, "ics"))
    summaries = sorted(str(e["summary"]) for e in calendar.walk("VEVENT"))
    assert summaries == ["Birthday: Bob Brown"]


def test_a_card_of_someone_who_died_has_their_deathdate_and_no_birthday(tmp_path: Path) -> None:
    vault = write_files(
        tmp_path,
        {
            "People/Ada Lovelace.md": "---\nbirthday: 1815-12-10\ndied: 1852-11-27\n---\n",
            "People/Alan Turing.md": "---\ndied: 1954\n---\n",
            "People/Grace Hopper.md": "---\ndied: true\n---\n",
            "People/Mo Ek.md": "---\ndied: 2020-05\n---\n",
            "People/Rita.md": "---\ndied: c. 1990, Rome\n---\n",
        },
    )
    cards = {str(c.fn.value): c for c in vobject.readComponents(export(vault, "vcard").decode())}
    assert cards["Ada Lovelace"].contents["deathdate"][0].value == "18521127"
    assert "bday" not in cards["Ada Lovelace"].contents
    assert cards["Alan Turing"].contents["deathdate"][0].value == "1954"
    assert cards["Grace Hopper"].contents["deathdate"][0].value == "yes"
    assert cards["Mo Ek"].contents["deathdate"][0].value == "2020-05"  # (RFC 6350's month)
    assert cards["Rita"].contents["deathdate"][0].value == "c. 1990, Rome"
    assert cards["Rita"].contents["deathdate"][0].params["VALUE"] == ["text"]
