"""`netzwerk import`: every layout and quirk of ../shared/FORMATS.md, from fixtures of our own
(invented people, real formats) in tests/fixtures/import/, into a vault of existing notes.

The whole import of every fixture is compared with committed expected notes and output
(tests/golden/import/); regenerate on purpose with `NETZWERK_REGENERATE=1` and read the diff.
The other tests state their notes and problems inline.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import Result
from conftest import TODAY, invoke, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netzwerk import edit
from netzwerk.transfer import source

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "import"
GOLDEN = HERE / "golden" / "import"

MARIE = """---
tier: 50
last_contact: 2026-09-14  # the call about Nice
birthday: 1988-04-02
tags: [artist, painter]
aliases:
  - Marie D.
company: Atelier Bleu
location: Lyon
email: marie@atelier-bleu.example
interests:
  - painting
---
# Marie Dupont

Paints large abstract canvases.

## Log
- 2026-09-14 call: she is looking for a venue in Nice
"""

# The vault the fixtures are imported into: people some records are, and some they are not.
VAULT: dict[str, str | bytes] = {
    "People/Marie Dupont.md": MARIE,
    "People/Paul Martin.md": "---\ntier: 100\nlocation: Nice\n---\n# Paul Martin\n",
    "People/Jonas Weber.md": (
        "---\ntier: 50\ncompany: Velo GmbH\nrole:\n"
        "linkedin: https://www.linkedin.com/in/jonas-weber-42\n---\n# Jonas Weber\n"
    ),
    # CRLF, a BOM, a comment, a flow list and no final newline: all must survive.
    "People/Søren Østergaard.md": (
        "\ufeff---\r\ntier: 10\r\nlocation: København   # since 2024\r\n"
        "interests: [cycling, handball]\r\n---\r\n# Søren Østergaard\r\n\r\n## Log\r\n"
        "- 2026-09-30 call: new job"
    ),
    "People/Katharina Schmidt.md": "---\ntier: 100\ncompany: Data AG\n---\n",
    "People/Thomas Müller.md": (
        "---\ntier: 50\ncompany: Siemens\nemail: thomas.mueller@siemens.example\n---\n"
    ),
    "People/Anna Berg.md": "---\ntier: 10\naliases: [Annie]\n---\n",
    "People/田中 太郎.md": "---\ntier: 100\n---\n",
}

LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def new_note(front: str, title: str, *log: str) -> str:
    """A note as the shipped contact template makes it, with `front` as its front matter and
    `log` lines under `## Log`."""
    return f"---\n{front}---\n# {title}\n\n\n## Log\n" + "".join(f"{line}\n" for line in log)


TEMPLATE_KEYS = [
    "tier",
    "last_contact",
    "birthday",
    "tags",
    "aliases",
    "company",
    "role",
    "location",
    "email",
    "phone",
    "interests",
    "needs",
    "offers",
    "knows",
]


def front(**values: str) -> str:
    """The template's front matter with these keys' lines (`company="company: X\\n"`);
    keys that are not in the template follow in the order given."""
    lines = [values.pop(k, f"{k}:\n") for k in TEMPLATE_KEYS]
    return "".join(lines) + "".join(values.values())


def run_import(
    vault: Path, *args: str, where: Path = FIXTURES, monkeypatch: pytest.MonkeyPatch
) -> Result:
    monkeypatch.chdir(where)
    return invoke("--vault", str(vault), "import", *args)


def notes(vault: Path) -> dict[str, bytes]:
    return {
        p.relative_to(vault).as_posix(): p.read_bytes()
        for p in sorted((vault / "People").rglob("*.md"))
    }


def stats(vault: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(vault).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(vault.rglob("*"))
        if p.is_file() and ".netzwerk" not in p.parts
    }


ALL = sorted(p.name for p in FIXTURES.iterdir())


# --- every fixture, compared with the committed notes --------------------------------------


def test_every_fixture_into_a_vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = write_files(tmp_path / "vault", VAULT)
    result = run_import(vault, *ALL, monkeypatch=monkeypatch)
    assert result.exit_code == 1  # broken.vcf and linkedin-excel.csv hold errors
    output = f"$ netzwerk import {' '.join(ALL)}\n{result.stdout}--- stderr\n{result.stderr}"
    found = notes(vault)
    if os.environ.get("NETZWERK_REGENERATE"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in found.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
        (GOLDEN / "output.txt").write_text(output, encoding="utf-8")
    assert output == (GOLDEN / "output.txt").read_text(encoding="utf-8")
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes()
        for p in sorted((GOLDEN / "People").rglob("*.md"))
    }
    assert sorted(found) == sorted(expected)
    for name, data in found.items():
        assert data == expected[name], name


def test_the_whole_summary_and_every_problem_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = write_files(tmp_path / "vault", VAULT)
    result = run_import(vault, *ALL, monkeypatch=monkeypatch)
    assert result.stdout.splitlines()[-1] == (
        "55 records: 39 created, 4 updated, 0 unchanged, 11 skipped, 20 problems"
    )
    assert result.stderr.splitlines() == [
        "android.vcf:17: warning: a record without a name is not imported; it held phone "
        "+34 611 222 333 [NW607]",
        "broken.vcf:6: error: card has no END:VCARD before the next card on line 12 [NW605]",
        "broken.vcf:10: warning: BDAY '1990-02-30' is not a date; not imported [NW606]",
        "broken.vcf:11: error: line is not a vCard property in a card; skipped [NW605]",
        "broken.vcf:15: error: line is not valid UTF-8 (byte 0xe9); skipped [NW604]",
        "broken.vcf:18: error: lines that are not vCard text (binary data?); skipped "
        "(lines 18-20) [NW605]",
        "google-2018.csv:4: warning: a record without a name is not imported; it held e-mail "
        "rk@mail.example [NW607]",
        "google-contacts.csv:2: warning: Marie Dupont: company: People/Marie Dupont.md has "
        "'Atelier Bleu', this record 'Atelier Rouge'; kept 'Atelier Bleu' (--overwrite "
        "replaces it) [NW608]",
        "google-contacts.csv:5: warning: 'Thomas Müller' has other e-mail addresses than "
        "People/Thomas Müller.md: written as another person, People/Thomas Müller (Robert "
        "Bosch GmbH).md; if they are one, merge the notes by hand [NW609]",
        "google-contacts.csv:6: warning: a company card is not imported; it held phone "
        "+49 30 1234567 [NW607]",
        "google-contacts.csv:7: warning: a record without a name is not imported; it held "
        "phone +49 170 5550100 [NW607]",
        "google-contacts.csv:9: warning: birthday '31.02.1990' is not a date; not imported [NW606]",
        "iphone.vcf:23: warning: a company card (Lindgren & Co) is not imported; it held "
        "phone +46 8 123 456 [NW607]",
        "linkedin-2018.csv:3: warning: 'urn:li:member:664200001' is not an e-mail address; "
        "not imported [NW606]",
        "linkedin-Connections.csv:17: warning: 'Katharina Schmitt' is like People/Katharina "
        "Schmidt.md: a similar name, not merged; if they are one person, merge the notes by "
        "hand [NW610]",
        "linkedin-excel.csv:3: error: line 3 is not valid UTF-8 (byte 0xef); the row was "
        "skipped [NW604]",
        "outlook-classic.csv: warning: the file is not UTF-8; read it as Windows-1252 (check "
        "accented letters) [NW603]",
        "outlook-classic.csv:4: warning: '/o=ExchangeLabs/ou=Exchange Administrative Group "
        "(FYDIBOHF23SPDLT)/cn=Recipients/cn=d4e5f6-dieter' is an Exchange address, not an "
        "e-mail address; not imported [NW606]",
        "outlook-classic.csv:5: warning: a company card is not imported; it held phone "
        "+49 221 987654 [NW607]",
        "rfc6350.vcf:20: warning: a company card (Tremblay Ingénierie) is not imported; it "
        "held phone +1-418-555-0100 [NW607]",
    ]


def test_the_second_run_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = write_files(tmp_path / "vault", VAULT)
    run_import(vault, *ALL, monkeypatch=monkeypatch)
    before = stats(vault)
    again = run_import(vault, *ALL, monkeypatch=monkeypatch)
    assert stats(vault) == before  # no byte and no mtime changed
    assert (
        again.stdout == "55 records: 0 created, 0 updated, 43 unchanged, 11 skipped, 18 problems\n"
    )
    # What is left are the files' own problems; nothing about merging is reported again.
    assert "NW609" not in again.stderr and "NW610" not in again.stderr


def test_dry_run_writes_nothing_and_predicts_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = write_files(tmp_path / "vault", VAULT)
    before = stats(vault)
    dry = run_import(vault, "--dry-run", *ALL, monkeypatch=monkeypatch)
    assert stats(vault) == before
    assert dry.stderr.endswith("nothing was written (--dry-run)\n")
    old = notes(vault)
    real = run_import(vault, *ALL, monkeypatch=monkeypatch)
    assert dry.stdout.splitlines()[-1] == real.stdout.splitlines()[-1]
    assert dry.stderr.removesuffix("nothing was written (--dry-run)\n") == real.stderr
    # The diffs printed are exactly the changes the real run made.
    predicted = "".join(
        edit.Edit(Path(name), old.get(name, b""), data)
        .diff(name)
        .replace(f"--- a/{name}", f"--- a/{name}" if name in old else "--- /dev/null")
        for name, data in notes(vault).items()
    )
    assert dry.stdout == predicted + real.stdout.splitlines()[-1] + "\n"


def test_existing_notes_keep_every_other_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = write_files(tmp_path / "vault", VAULT)
    run_import(vault, "linkedin-Connections.csv", monkeypatch=monkeypatch)
    assert (vault / "People/Søren Østergaard.md").read_bytes() == (
        "\ufeff---\r\ntier: 10\r\nlocation: København   # since 2024\r\n"
        "interests: [cycling, handball]\r\n"
        "company: Københavns Kommune\r\nrole: City Planner\r\n"
        "linkedin: https://www.linkedin.com/in/soren-ostergaard\r\n"
        "---\r\n# Søren Østergaard\r\n\r\n## Log\r\n"
        "- 2025-09-02 note: connected on LinkedIn\r\n"
        "- 2026-09-30 call: new job"
    ).encode()


# --- matching ------------------------------------------------------------------------------


def test_a_linkedin_row_becomes_a_note_from_the_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path,
        {
            "in.csv": LINKEDIN_HEADER
            + "Alex,Brenner,https://www.linkedin.com/in/alex-brenner,alex@brenner.example,"
            "Brenner Bau,Site Manager,22 Dec 2025\n"
        },
    )
    vault = write_files(tmp_path / "vault", {"netzwerk.toml": ""})
    result = run_import(vault, "in.csv", where=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "created People/Alex Brenner.md\n"
        "1 record: 1 created, 0 updated, 0 unchanged, 0 skipped, 0 problems\n"
    )
    assert (vault / "People/Alex Brenner.md").read_text(encoding="utf-8") == new_note(
        front(
            company="company: Brenner Bau\n",
            role="role: Site Manager\n",
            email="email: alex@brenner.example\n",
            linkedin="linkedin: https://www.linkedin.com/in/alex-brenner\n",
        ),
        "Alex Brenner",
        "- 2025-12-22 note: connected on LinkedIn",
    )


def test_a_shared_address_never_writes_one_person_into_anothers_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A household's address: Bernd is not Anna, whatever their e-mail says; A. Schmidt and
    # Dr. Anna Schmidt may be her, and are.
    anna = "---\nemail: familie.schmidt@web.de\n---\n"
    write_files(
        tmp_path,
        {
            "in.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:Bernd Schmidt\nEMAIL:familie.schmidt@web.de\n"
            "EMAIL:bernd@work.example\nTEL:+49 172 2222222\nBDAY:1978-07-07\nEND:VCARD\n"
            "BEGIN:VCARD\nVERSION:3.0\nFN:Dr. Anna Schmidt\nEMAIL:FAMILIE.SCHMIDT@web.de\n"
            "ORG:Charité\nEND:VCARD\n"
            "BEGIN:VCARD\nVERSION:3.0\nFN:A. Schmidt\nEMAIL:familie.schmidt@web.de\n"
            "TITLE:Doctor\nEND:VCARD\n"
        },
    )
    vault = write_files(tmp_path / "vault", {"People/Anna Schmidt.md": anna})
    result = run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert result.stdout == (
        "updated People/Anna Schmidt.md: company, role\n"
        "created People/Bernd Schmidt.md\n"
        "3 records: 1 created, 1 updated, 0 unchanged, 0 skipped, 1 problem\n"
    )
    assert result.stderr == (
        "in.vcf:1: warning: 'Bernd Schmidt' shares the e-mail address familie.schmidt@web.de "
        "with People/Anna Schmidt.md, but not the name: written as another person, "
        "People/Bernd Schmidt.md; if they are one, add 'Bernd Schmidt' to "
        "People/Anna Schmidt.md's aliases and import again [NW614]\n"
    )
    text = (vault / "People/Anna Schmidt.md").read_text(encoding="utf-8")
    assert "bernd" not in text.casefold() and "2222222" not in text and "1978" not in text
    bernd = (vault / "People/Bernd Schmidt.md").read_text(encoding="utf-8")
    assert "bernd@work.example" in bernd and "+49 172 2222222" in bernd
    before = stats(vault)
    again = run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert again.stdout == "3 records: 0 created, 0 updated, 2 unchanged, 0 skipped, 0 problems\n"
    assert stats(vault) == before


@pytest.mark.parametrize("label", ["Label", "Type"], ids=["new layout", "old layout"])
def test_google_fax_and_pager_numbers_are_not_phones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, label: str
) -> None:
    header = (
        f"Name,Given Name,Family Name,Phone 1 - {label},Phone 1 - Value,"
        f"Phone 2 - {label},Phone 2 - Value,Phone 3 - {label},Phone 3 - Value\n"
    )
    row = "Lena Vogt,Lena,Vogt,Mobile,+49 170 1234567,Work Fax,+49 30 1234599,Pager,+49 30 55555\n"
    write_files(tmp_path, {"contacts.csv": header + row})
    vault = write_files(tmp_path / "vault", {"People/.keep": ""})
    result = run_import(vault, "contacts.csv", where=tmp_path, monkeypatch=monkeypatch)
    assert result.stdout.splitlines()[0] == "created People/Lena Vogt.md"
    text = (vault / "People/Lena Vogt.md").read_text(encoding="utf-8")
    assert "+49 170 1234567" in text
    assert "1234599" not in text and "55555" not in text


def test_a_national_number_takes_the_country_as_address_books_write_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards = "".join(
        f"BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nTEL:{number}\nADR:;;1 High St;Leeds;;;{country}\n"
        "END:VCARD\n"
        for name, number, country in [
            ("Amy Clark", "07911 123456", "UK"),
            ("Ben Ortiz", "(212) 736-5000", "United States of America"),
            ("Cas de Wit", "06 12345678", "The Netherlands"),
        ]
    )
    write_files(tmp_path, {"in.vcf": cards})
    vault = write_files(tmp_path / "vault", {"People/.keep": ""})
    assert run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch).exit_code == 0
    phones = {
        name: (vault / f"People/{name}.md").read_text(encoding="utf-8").split("phone: ")[1]
        for name in ("Amy Clark", "Ben Ortiz", "Cas de Wit")
    }
    assert phones["Amy Clark"].startswith("+44 7911 123456\n")
    assert phones["Ben Ortiz"].startswith("+1 212-736-5000\n")
    assert phones["Cas de Wit"].startswith("+31 6 12345678\n")


def test_a_line_folded_inside_a_character_is_joined_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Folding at 75 octets may cut a character in two (RFC 6350 asks readers to join the
    # bytes again); a line that is not UTF-8 however it is joined is still reported.
    name = "Jürgen Weißmüller-Lüdenscheid".encode()
    cut = name.index("ü".encode()) + 1  # between the two bytes of ü
    card = (
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:" + name[:cut] + b"\r\n " + name[cut:] + b"\r\n"
        b"EMAIL:jw@example.de\r\nNOTE:caf\xe9\r\n  au lait\r\nEND:VCARD\r\n"
    )
    write_files(tmp_path, {"in.vcf": card})
    vault = write_files(tmp_path / "vault", {"People/.keep": ""})
    result = run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert result.stdout.splitlines()[0] == "created People/Jürgen Weißmüller-Lüdenscheid.md"
    bad = "in.vcf:6: error: line is not valid UTF-8 (byte 0xe9); skipped [NW604]\n"
    assert result.stderr == bad
    text = (vault / "People/Jürgen Weißmüller-Lüdenscheid.md").read_text(encoding="utf-8")
    assert "jw@example.de" in text


def test_one_number_written_three_ways_is_one_phone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `+49 151 2345 6789` in the note; `0049 151 23456789` and `0151 23456789` in a card
    # (the national one read as German because the card's other number is): one number.
    # A national number written earlier is the same as its international form later.
    write_files(
        tmp_path,
        {
            "a.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:Ayse Yilmaz\nEMAIL:ayse@example.de\n"
            "TEL;TYPE=CELL:0049 151 23456789\nTEL;TYPE=WORK:0151 23456789\nEND:VCARD\n",
            "b.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:Erik Exempel\nEMAIL:erik@example.se\n"
            "TEL:070-123 45 67\nEND:VCARD\n",
            "c.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:Erik Exempel\nEMAIL:erik@example.se\n"
            "TEL:+46 70 123 45 67\nEND:VCARD\n",
        },
    )
    ayse = '---\nemail: ayse@example.de\nphone: "+49 151 2345 6789"\n---\n'
    vault = write_files(tmp_path / "vault", {"People/Ayse Yilmaz.md": ayse})
    for name in ("a.vcf", "b.vcf", "c.vcf"):
        assert run_import(vault, name, where=tmp_path, monkeypatch=monkeypatch).exit_code == 0
    assert (vault / "People/Ayse Yilmaz.md").read_text(encoding="utf-8") == ayse
    erik = (vault / "People/Erik Exempel.md").read_text(encoding="utf-8")
    assert "phone: 070-123 45 67\n" in erik and "+46" not in erik


@pytest.mark.parametrize(
    "data",
    [
        (  # LinkedIn's file re-saved by Excel where the comma is the decimal sign
            "\ufeffFirst Name;Last Name;URL;Email Address;Company;Position;Connected On\r\n"
            "Lena;Vogt;https://www.linkedin.com/in/lena-vogt;;Kletterhalle;Trainer;05 Jan 2026\r\n"
        ).encode("utf-8"),
        (  # Excel's "Unicode text": UTF-16, tabs
            "First Name\tLast Name\tE-mail Address\tMobile Phone\tJob Title\r\n"
            "Lena\tVogt\tlena@example.de\t+49 170 1234567\tTrainer\r\n"
        ).encode("utf-16"),
    ],
    ids=["semicolons", "tabs"],
)
def test_a_csv_with_semicolons_or_tabs_is_read_like_one_with_commas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes
) -> None:
    write_files(tmp_path, {"contacts.csv": data})
    vault = write_files(tmp_path / "vault", {"People/.keep": ""})
    result = run_import(vault, "contacts.csv", where=tmp_path, monkeypatch=monkeypatch)
    assert result.stdout.splitlines()[0] == "created People/Lena Vogt.md"
    assert result.exit_code == 0, result.stderr
    text = (vault / "People/Lena Vogt.md").read_text(encoding="utf-8")
    assert "role: Trainer\n" in text


def test_a_record_matches_by_any_email_ignoring_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path,
        {
            "in.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:M. Dupont\nEMAIL:other@mail.example\n"
            "EMAIL:MARIE@Atelier-Bleu.EXAMPLE\nTEL:+33 6 12 34 56 78\nEND:VCARD\n"
        },
    )
    vault = write_files(tmp_path / "vault", {"People/Marie Dupont.md": MARIE})
    result = run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert result.stdout == (
        "updated People/Marie Dupont.md: email, phone\n"
        "1 record: 0 created, 1 updated, 0 unchanged, 0 skipped, 0 problems\n"
    )
    assert (vault / "People/Marie Dupont.md").read_text(encoding="utf-8") == MARIE.replace(
        "email: marie@atelier-bleu.example\n",
        "email:\n  - marie@atelier-bleu.example\n  - other@mail.example\n",
    ).replace("  - painting\n", "  - painting\nphone: +33 6 12 34 56 78\n")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/jonas-weber-42",
        "http://linkedin.com/in/jonas-weber-42",  # scheme and host
        "https://www.linkedin.com/in/jonas-weber-42/",  # trailing slash
        "https://www.linkedin.com/in/jonas-weber-42?trk=people-guest",  # query
        "https://de.linkedin.com/in/Jonas-Weber-42",  # country host, case
        "www.linkedin.com/in/jonas%2Dweber%2D42",  # no scheme, percent-encoding
    ],
)
def test_a_record_matches_by_linkedin_url_normalised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    write_files(tmp_path, {"in.csv": LINKEDIN_HEADER + f"J.,W.,{url},,,Founder,\n"})
    vault = write_files(
        tmp_path / "vault", {"People/Jonas Weber.md": VAULT["People/Jonas Weber.md"]}
    )
    result = run_import(vault, "in.csv", where=tmp_path, monkeypatch=monkeypatch)
    assert result.stdout == (
        "updated People/Jonas Weber.md: role\n"
        "1 record: 0 created, 1 updated, 0 unchanged, 0 skipped, 0 problems\n"
    )
    assert sorted(p.name for p in (vault / "People").iterdir()) == ["Jonas Weber.md"]


@pytest.mark.parametrize(
    "name", ["Søren Østergaard", "soren ostergaard", "SØREN ØSTERGAARD", "Søren Ø.", "søren ø."]
)
def test_a_record_matches_by_title_or_alias_ignoring_case_and_accents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    write_files(
        tmp_path,
        {"in.vcf": f"BEGIN:VCARD\nVERSION:4.0\nFN:{name}\nTITLE:City Planner\nEND:VCARD\n"},
    )
    vault = write_files(
        tmp_path / "vault",
        {"People/Søren Østergaard.md": "---\ntier: 10\naliases: [Søren Ø.]\n---\n"},
    )
    result = run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert result.stdout.startswith("updated People/Søren Østergaard.md: role\n")
    assert (vault / "People/Søren Østergaard.md").read_text(encoding="utf-8") == (
        "---\ntier: 10\naliases: [Søren Ø.]\nrole: City Planner\n---\n"
    )


def test_similar_names_are_never_merged_only_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, {"in.csv": LINKEDIN_HEADER + "Katharina,Schmitt,,,Data GmbH,,\n"})
    vault = write_files(
        tmp_path / "vault", {"People/Katharina Schmidt.md": "---\ncompany: Data AG\n---\n"}
    )
    result = run_import(vault, "in.csv", where=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert result.stderr == (
        "in.csv:2: warning: 'Katharina Schmitt' is like People/Katharina Schmidt.md: a similar "
        "name, not merged; if they are one person, merge the notes by hand [NW610]\n"
    )
    assert (vault / "People/Katharina Schmidt.md").read_text(encoding="utf-8") == (
        "---\ncompany: Data AG\n---\n"
    )
    assert "company: Data GmbH\n" in (vault / "People/Katharina Schmitt.md").read_text("utf-8")


def test_scripts_are_not_transliterated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(
        tmp_path,
        {
            "in.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:Taro Tanaka\nEMAIL:taro@example.jp\n"
            "END:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:田中 太郎\nTEL:+81 3-1234-5678\nEND:VCARD\n"
        },
    )
    vault = write_files(tmp_path / "vault", {"People/田中 太郎.md": "---\ntier: 100\n---\n"})
    result = run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert result.stdout == (
        "created People/Taro Tanaka.md\n"
        "updated People/田中 太郎.md: phone\n"
        "2 records: 1 created, 1 updated, 0 unchanged, 0 skipped, 0 problems\n"
    )


def test_a_namesake_with_other_emails_is_another_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path,
        {
            "in.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:Thomas Müller\nORG:Robert Bosch GmbH\n"
            "EMAIL:t.mueller@bosch.example\nEND:VCARD\n"
        },
    )
    vault = write_files(
        tmp_path / "vault",
        {"People/Thomas Müller.md": VAULT["People/Thomas Müller.md"]},
    )
    first = run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert first.stdout == (
        "created People/Thomas Müller (Robert Bosch GmbH).md\n"
        "1 record: 1 created, 0 updated, 0 unchanged, 0 skipped, 1 problem\n"
    )
    assert first.stderr == (
        "in.vcf:1: warning: 'Thomas Müller' has other e-mail addresses than People/Thomas "
        "Müller.md: written as another person, People/Thomas Müller (Robert Bosch GmbH).md; "
        "if they are one, merge the notes by hand [NW609]\n"
    )
    assert (vault / "People/Thomas Müller (Robert Bosch GmbH).md").read_text("utf-8") == (
        new_note(
            front(
                company="company: Robert Bosch GmbH\n",
                email="email: t.mueller@bosch.example\n",
                name="name: Thomas Müller\n",
            ),
            "Thomas Müller (Robert Bosch GmbH)",
        )
    )
    assert (vault / "People/Thomas Müller.md").read_text("utf-8") == VAULT[
        "People/Thomas Müller.md"
    ]
    again = run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert again.stdout == "1 record: 0 created, 0 updated, 1 unchanged, 0 skipped, 0 problems\n"


def test_a_name_without_emails_or_urls_merges_with_the_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LinkedIn first (no e-mail), Google later (no URL): one person, by name."""
    write_files(
        tmp_path,
        {
            "a.csv": LINKEDIN_HEADER + "Ada,Quist,https://www.linkedin.com/in/ada-quist,,,,\n",
            "b.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:Ada Quist\nEMAIL:ada@quist.example\nEND:VCARD\n",
        },
    )
    vault = write_files(tmp_path / "vault", {"netzwerk.toml": ""})
    result = run_import(vault, "a.csv", "b.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert result.stdout == (
        "created People/Ada Quist.md\n"
        "2 records: 1 created, 0 updated, 0 unchanged, 0 skipped, 0 problems\n"
    )
    text = (vault / "People/Ada Quist.md").read_text("utf-8")
    assert "email: ada@quist.example\n" in text
    assert "linkedin: https://www.linkedin.com/in/ada-quist\n" in text


def test_a_record_that_fits_several_notes_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, {"in.csv": LINKEDIN_HEADER + "Anna,Berg,,,Acme,,\n"})
    vault = write_files(
        tmp_path / "vault",
        {"People/Anna Berg.md": "---\ntier: 10\n---\n", "People/Work/Anna Berg.md": "---\n---\n"},
    )
    before = stats(vault)
    result = run_import(vault, "in.csv", where=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert result.stderr == (
        "in.csv:2: error: 'Anna Berg' matches several notes by name (People/Anna Berg.md, "
        "People/Work/Anna Berg.md); skipped [NW611]\n"
    )
    assert stats(vault) == before


def test_a_record_named_like_a_broken_note_is_not_a_second_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, {"in.csv": LINKEDIN_HEADER + "Ben,Ode,,,Acme,,\n"})
    vault = write_files(tmp_path / "vault", {"People/Ben Ode.md": "---\ntier: [10\n---\n"})
    result = run_import(vault, "in.csv", where=tmp_path, monkeypatch=monkeypatch)
    assert result.stderr == (
        "in.csv:2: error: the note of 'Ben Ode' has errors and is not read; fix them "
        "(`netzwerk check`) and import again [NW612]\n"
    )
    assert sorted(p.name for p in (vault / "People").iterdir()) == ["Ben Ode.md"]


# --- what import writes --------------------------------------------------------------------


def test_conflicts_are_kept_and_reported_overwrite_replaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path,
        {
            "in.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:Marie Dupont\nORG:Atelier Rouge\n"
            "ADR:;;;LYON;;;\nBDAY:1988-04-03\nEND:VCARD\n"
        },
    )
    vault = write_files(tmp_path / "vault", {"People/Marie Dupont.md": MARIE})
    kept = run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert kept.stdout == "1 record: 0 created, 0 updated, 1 unchanged, 0 skipped, 2 problems\n"
    assert kept.stderr == (
        "in.vcf:1: warning: Marie Dupont: birthday: People/Marie Dupont.md has '1988-04-02', "
        "this record '1988-04-03'; kept '1988-04-02' (--overwrite replaces it) [NW608]\n"
        "in.vcf:1: warning: Marie Dupont: company: People/Marie Dupont.md has 'Atelier Bleu', "
        "this record 'Atelier Rouge'; kept 'Atelier Bleu' (--overwrite replaces it) [NW608]\n"
    )
    assert (vault / "People/Marie Dupont.md").read_text("utf-8") == MARIE
    replaced = run_import(vault, "--overwrite", "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert replaced.stdout.splitlines()[0] == "updated People/Marie Dupont.md: company, birthday"
    assert (vault / "People/Marie Dupont.md").read_text("utf-8") == MARIE.replace(
        "birthday: 1988-04-02", "birthday: 1988-04-03"
    ).replace("Atelier Bleu", "Atelier Rouge")  # `LYON` is Lyon: no change


def test_lists_grow_as_a_union(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(
        tmp_path,
        {
            "in.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:Marie Dupont\nNICKNAME:Mimi,Marie D.\n"
            "EMAIL:marie@atelier-bleu.example\nEMAIL:marie@home.example\n"
            "CATEGORIES:painter,Friends,starred\nTEL:+33 6 12 34 56 78\nTEL:+33612345678\n"
            "END:VCARD\n"
        },
    )
    vault = write_files(tmp_path / "vault", {"People/Marie Dupont.md": MARIE})
    run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert (vault / "People/Marie Dupont.md").read_text("utf-8") == (
        MARIE.replace("tags: [artist, painter]", "tags: [artist, painter, Friends]")
        .replace("  - Marie D.\n", "  - Marie D.\n  - Mimi\n")
        .replace(
            "email: marie@atelier-bleu.example\n",
            "email:\n  - marie@atelier-bleu.example\n  - marie@home.example\n",
        )
        .replace("  - painting\n", "  - painting\nphone: +33 6 12 34 56 78\n")
    )


def test_a_property_written_in_another_case_grows_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Property names are found ignoring case, as Obsidian finds them: no second `email:`.
    write_files(
        tmp_path,
        {
            "in.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nEMAIL:ada@old.example\n"
            "EMAIL:ada@new.example\nEND:VCARD\n"
        },
    )
    note = "---\ntier: 50\nEmail:\n  - ada@old.example\n---\n# Ada\n"
    vault = write_files(tmp_path / "vault", {"People/Ada Lovelace.md": note})
    result = run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert (vault / "People/Ada Lovelace.md").read_text("utf-8") == note.replace(
        "  - ada@old.example\n", "  - ada@old.example\n  - ada@new.example\n"
    )


def test_import_never_sets_the_users_judgement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tier, cadence, last contact, snooze, paused, interests, needs, offers: never written,
    not even from a vCard's NOTE of interests or with --overwrite."""
    note = (
        "---\ntier: 50\ncadence: 3w\nlast_contact: 2026-01-02\nsnooze_until: 2026-12-01\n"
        "paused: true\ninterests: [chess]\nneeds: [a flat]\noffers: [advice]\n---\n"
    )
    write_files(
        tmp_path,
        {
            "in.vcf": "BEGIN:VCARD\nVERSION:4.0\nFN:Ola Nordmann\n"
            "NOTE:Interests: sailing\\, skiing\nCATEGORIES:skier\nEND:VCARD\n"
        },
    )
    vault = write_files(tmp_path / "vault", {"People/Ola Nordmann.md": note})
    run_import(vault, "--overwrite", "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert (vault / "People/Ola Nordmann.md").read_text("utf-8") == (
        "---\ntier: 50\ncadence: 3w\nlast_contact: 2026-01-02\nsnooze_until: 2026-12-01\n"
        "paused: true\ninterests: [chess]\nneeds: [a flat]\noffers: [advice]\n"
        "tags:\n  - skier\n---\n"
    )


def test_photos_never_reach_the_front_matter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = write_files(tmp_path / "vault", {"netzwerk.toml": ""})
    run_import(vault, "iphone.vcf", "mac.vcf", "android.vcf", monkeypatch=monkeypatch)
    for name, data in notes(vault).items():
        assert b"/9j/" not in data and b"PHOTO" not in data.upper(), name


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-12", '"--04-12"'),  # Apple
        ("BDAY:1604-04-12", '"--04-12"'),  # Apple's year without its parameter
        ("BDAY:--0412", '"--04-12"'),  # vCard 4.0, Google's 3.0
        ("BDAY:--04-12", '"--04-12"'),  # Monica
        ("BDAY;VALUE=date:1975-04-12", "1975-04-12"),
        ("BDAY:19750412", "1975-04-12"),  # Outlook 2.1
    ],
)
def test_birthdays_with_and_without_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, written: str
) -> None:
    write_files(
        tmp_path, {"in.vcf": f"BEGIN:VCARD\nVERSION:3.0\nFN:Ada Quist\n{line}\nEND:VCARD\n"}
    )
    vault = write_files(tmp_path / "vault", {"netzwerk.toml": ""})
    run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert f"\nbirthday: {written}\n" in (vault / "People/Ada Quist.md").read_text("utf-8")


def test_google_year_less_birthday_and_labels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path,
        {
            "in.csv": "First Name,Last Name,Birthday,Labels,E-mail 1 - Label,E-mail 1 - Value\n"
            "Ada,Quist,--04-17,Climbing Club ::: * myContacts ::: * starred ::: "
            "Imported on 5/6/23,* Home,ada@quist.example\n"
        },
    )
    vault = write_files(tmp_path / "vault", {"netzwerk.toml": ""})
    run_import(vault, "in.csv", where=tmp_path, monkeypatch=monkeypatch)
    text = (vault / "People/Ada Quist.md").read_text("utf-8")
    assert 'birthday: "--04-17"\n' in text
    assert "tags:\n  - Climbing-Club\naliases:" in text


def test_phone_numbers_are_text_and_international_with_a_region(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = (
        "First Name,Last Name,Phone 1 - Label,Phone 1 - Value,Address 1 - Country,"
        "E-mail 1 - Value\n"
    )
    write_files(
        tmp_path,
        {
            "in.csv": header + "Ada,Quist,Mobile,01701234567,,\n"  # no country: the vault's
            "Ben,Okafor,Mobile,07911 123456,United Kingdom,\n"  # own country first
            "Cem,Aydin,Mobile,0532 123 45 67 ::: +90 212 555 0101,,\n"  # own +90 number
        },
    )
    plain = write_files(tmp_path / "plain", {"netzwerk.toml": ""})
    run_import(plain, "in.csv", where=tmp_path, monkeypatch=monkeypatch)
    assert '\nphone: "01701234567"\n' in (plain / "People/Ada Quist.md").read_text("utf-8")
    german = write_files(tmp_path / "german", {"netzwerk.toml": 'phone_region = "DE"\n'})
    run_import(german, "in.csv", where=tmp_path, monkeypatch=monkeypatch)
    assert "\nphone: +49 170 1234567\n" in (german / "People/Ada Quist.md").read_text("utf-8")
    assert "\nphone: +44 7911 123456\n" in (german / "People/Ben Okafor.md").read_text("utf-8")
    assert "\nphone:\n  - +90 532 123 45 67\n  - +90 212 555 0101\n" in (
        german / "People/Cem Aydin.md"
    ).read_text("utf-8")


def test_relations_become_knows_when_they_name_a_contact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path,
        {
            "in.vcf": "BEGIN:VCARD\nVERSION:4.0\nFN:Ada Quist\n"
            "RELATED;TYPE=friend;VALUE=text:paul martin\n"  # a contact, any case
            "RELATED;TYPE=spouse;VALUE=text:Nobody Known\n"  # nobody: dropped
            "item1.X-ABRELATEDNAMES:Ben Okafor\n"  # someone this import creates
            "END:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Ben Okafor\nEND:VCARD\n"
        },
    )
    vault = write_files(tmp_path / "vault", {"People/Paul Martin.md": "---\ntier: 100\n---\n"})
    run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    text = (vault / "People/Ada Quist.md").read_text("utf-8")
    assert '\nknows:\n  - "[[Paul Martin]]"\n  - "[[Ben Okafor]]"\n' in text


def test_an_alias_someone_else_has_is_not_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path, {"in.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:Ada Quist\nNICKNAME:Annie\nEND:VCARD\n"}
    )
    vault = write_files(tmp_path / "vault", {"People/Anna Berg.md": "---\naliases: [Annie]\n---\n"})
    result = run_import(vault, "in.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert result.stderr == (
        "in.vcf:1: warning: Ada Quist: alias 'Annie' is already People/Anna Berg.md's name or "
        "alias; not added [NW613]\n"
    )
    assert "\naliases:\n" in (vault / "People/Ada Quist.md").read_text("utf-8")


def test_the_vaults_own_property_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(
        tmp_path,
        {"in.csv": LINKEDIN_HEADER + "Marie,Dupont,https://www.linkedin.com/in/md,,,Painter,\n"},
    )
    vault = write_files(
        tmp_path / "vault",
        {
            "netzwerk.toml": '[keys]\nrole = "title"\nlinkedin = "LinkedIn"\ncompany = "org"\n',
            "People/Marie Dupont.md": "---\ntier: 50\ntitle: painter\norg: Atelier Bleu\n---\n",
        },
    )
    result = run_import(vault, "in.csv", where=tmp_path, monkeypatch=monkeypatch)
    assert result.stdout.splitlines()[0] == "updated People/Marie Dupont.md: LinkedIn"
    assert (vault / "People/Marie Dupont.md").read_text("utf-8") == (
        "---\ntier: 50\ntitle: painter\norg: Atelier Bleu\n"
        "LinkedIn: https://www.linkedin.com/in/md\n---\n"
    )


def test_tag_option_tags_everyone_imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path, {"in.csv": LINKEDIN_HEADER + "Marie,Dupont,,,,,\nAda,Quist,,,,,\n"})
    vault = write_files(tmp_path / "vault", {"People/Marie Dupont.md": MARIE})
    run_import(vault, "--tag", "#linkedin", "in.csv", where=tmp_path, monkeypatch=monkeypatch)
    assert "tags: [artist, painter, linkedin]" in (vault / "People/Marie Dupont.md").read_text(
        "utf-8"
    )
    assert "\ntags:\n  - linkedin\n" in (vault / "People/Ada Quist.md").read_text("utf-8")
    bad = invoke("--vault", str(vault), "import", "--tag", " ", "in.csv")
    assert bad.exit_code == 2 and "a tag cannot be empty" in bad.stderr


# --- skipped records and broken files -----------------------------------------------------


def test_records_that_are_not_people_are_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = write_files(tmp_path / "vault", {"netzwerk.toml": ""})
    result = run_import(vault, "rfc6350.vcf", "nextcloud.vcf", monkeypatch=monkeypatch)
    assert result.stdout == (
        "created People/Camille Tremblay.md\n"
        "created People/Ida Sørensen.md\n"
        "5 records: 2 created, 0 updated, 0 unchanged, 3 skipped, 1 problem\n"
    )
    # The group cards held no contact details: skipped without a word.
    assert result.stderr == (
        "rfc6350.vcf:20: warning: a company card (Tremblay Ingénierie) is not imported; it held "
        "phone +1-418-555-0100 [NW607]\n"
    )


def test_a_broken_vcard_keeps_every_good_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = write_files(tmp_path / "vault", {"netzwerk.toml": ""})
    result = run_import(vault, "broken.vcf", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert result.stdout == (
        "created People/Greta Vogel.md\n"
        "created People/Henrik Strand.md\n"
        "created People/Ilse Baumann.md\n"
        "created People/Jakob Grün.md\n"
        "4 records: 4 created, 0 updated, 0 unchanged, 0 skipped, 5 problems\n"
    )
    assert [line.split(": ")[0] for line in result.stderr.splitlines()] == [
        "broken.vcf:6",
        "broken.vcf:10",
        "broken.vcf:11",
        "broken.vcf:15",
        "broken.vcf:18",
    ]
    assert "phone: +43 660 1234567\n" in (vault / "People/Ilse Baumann.md").read_text("utf-8")


def test_encodings_and_line_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    row = "Zoë,Lambert,,,Café Central,Barista,\n"
    write_files(
        tmp_path,
        {
            "bom.csv": "\ufeff" + LINKEDIN_HEADER + row,
            "crlf.csv": (LINKEDIN_HEADER + row).replace("\n", "\r\n"),
            "rrn.csv": (LINKEDIN_HEADER + row).replace("\n", "\r\r\n"),
            "cp1252.csv": (LINKEDIN_HEADER + row).encode("cp1252"),
            "utf16.csv": (LINKEDIN_HEADER + row).encode("utf-16"),
        },
    )
    for name in ("bom.csv", "crlf.csv", "rrn.csv", "cp1252.csv", "utf16.csv"):
        vault = write_files(tmp_path / name.replace(".", "-"), {"netzwerk.toml": ""})
        result = run_import(vault, name, where=tmp_path, monkeypatch=monkeypatch)
        assert result.stdout.startswith("created People/Zoë Lambert.md\n"), name
        text = (vault / "People/Zoë Lambert.md").read_text("utf-8")
        assert "company: Café Central\n" in text, name
        warned = "the file is not UTF-8; read it as Windows-1252" in result.stderr
        assert warned == (name == "cp1252.csv"), name


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cp.csv: error: no such file [NW601]"),
        ("folder", "cp.csv: error: is a folder, not an export file [NW601]"),
        (b"", "cp.csv: error: the file is empty; nothing to import [NW602]"),
        (b"\r\n\r\n", "cp.csv: error: the file is empty; nothing to import [NW602]"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "cp.csv: error: not a contacts export netzwerk knows (a LinkedIn, Google or "
            "Outlook CSV file, or vCard) [NW602]",
        ),
        (
            b"name,phone\nAda,123\n",
            "cp.csv: error: no header of a LinkedIn, Google or Outlook contacts export (first "
            "line: 'name,phone'); export the contacts again as CSV or vCard [NW602]",
        ),
        (
            b"First Name,Last Name,Connected On\nA\x00da,Q,\n",
            "cp.csv: error: not a contacts export netzwerk knows (a LinkedIn, Google or "
            "Outlook CSV file, or vCard) [NW602]",
        ),
    ],
)
def test_unusable_files_are_problems_not_tracebacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes | str | None, message: str
) -> None:
    if content == "folder":
        (tmp_path / "cp.csv").mkdir()
    elif isinstance(content, bytes):
        (tmp_path / "cp.csv").write_bytes(content)
    vault = write_files(tmp_path / "vault", {"netzwerk.toml": ""})
    result = run_import(vault, "cp.csv", where=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert result.stderr == message + "\n"
    assert result.stdout == "0 records: 0 created, 0 updated, 0 unchanged, 0 skipped, 1 problem\n"


def test_a_huge_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source, "MAX_BYTES", 1024)
    write_files(tmp_path, {"big.vcf": "BEGIN:VCARD\n" + "NOTE:" + "x" * 2000 + "\nEND:VCARD\n"})
    vault = write_files(tmp_path / "vault", {"netzwerk.toml": ""})
    result = run_import(vault, "big.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert result.stderr == "big.vcf: error: the file is over 0 MiB; split it [NW601]\n"


def test_from_names_the_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = write_files(tmp_path / "vault", {"netzwerk.toml": ""})
    wrong = run_import(vault, "--from", "google", "linkedin-2018.csv", monkeypatch=monkeypatch)
    assert wrong.stderr == (
        "linkedin-2018.csv: error: --from google: this is a LinkedIn file; try --from auto "
        "[NW602]\n"
    )
    vcf = run_import(vault, "--from", "linkedin", "monica.vcf", monkeypatch=monkeypatch)
    assert vcf.stderr == (
        "monica.vcf: error: --from linkedin: this is a vCard file; try --from auto [NW602]\n"
    )
    right = run_import(vault, "--from", "linkedin", "linkedin-2018.csv", monkeypatch=monkeypatch)
    assert right.stdout.startswith("created People/Dev Malhotra.md\n")


def test_json_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = write_files(tmp_path / "vault", VAULT)
    result = run_import(
        vault,
        "--format",
        "json",
        "linkedin-mangled.csv",
        "linkedin-2018.csv",
        monkeypatch=monkeypatch,
    )
    data = json.loads(result.stdout)
    assert data == {
        "dry_run": False,
        "records": 4,
        "created": [
            "People/Dev Malhotra.md",
            "People/Hannah Richter.md",
            "People/Ines Carvalho.md",
        ],
        "updated": [{"path": "People/Jonas Weber.md", "changes": ["role", "log"]}],
        "unchanged": 0,
        "skipped": 0,
        "problems": [
            {
                "path": "linkedin-2018.csv",
                "line": 3,
                "severity": "warning",
                "code": "NW606",
                "message": "'urn:li:member:664200001' is not an e-mail address; not imported",
            }
        ],
        "summary": "4 records: 3 created, 1 updated, 0 unchanged, 0 skipped, 1 problem",
    }
    dry = run_import(
        vault, "--dry-run", "--format", "json", "linkedin-2018.csv", monkeypatch=monkeypatch
    )
    assert json.loads(dry.stdout)["diffs"] == {}


def test_a_note_changed_since_it_was_read_is_a_problem_and_the_rest_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path, {"in.csv": LINKEDIN_HEADER + "Marie,Dupont,,,,Painter,\nAda,Quist,,,,,\n"}
    )
    vault = write_files(tmp_path / "vault", {"People/Marie Dupont.md": MARIE})
    real_write = edit.write

    def saved_meanwhile(change: edit.Edit, *, root: Path, sync_folder: bool = True) -> bool:
        if change.path.name == "Marie Dupont.md":
            change.path.write_text(MARIE + "- 2026-11-23 call: saved in an editor\n", "utf-8")
        return real_write(change, root=root, sync_folder=sync_folder)

    monkeypatch.setattr(edit, "write", saved_meanwhile)
    result = run_import(vault, "in.csv", where=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert result.stdout == (
        "created People/Ada Quist.md\n"
        "2 records: 1 created, 0 updated, 0 unchanged, 1 skipped, 1 problem\n"
    )
    assert re.fullmatch(
        r"People/Marie Dupont\.md: error: not written: .*changed on disk since netzwerk read "
        r"it.* \[NW612\]\n",
        result.stderr,
    )
    assert "saved in an editor" in (vault / "People/Marie Dupont.md").read_text("utf-8")


FUZZ_HEADS = [
    b"BEGIN:VCARD\r\nVERSION:3.0\r\n",
    LINKEDIN_HEADER.encode(),
    b"First Name,Last Name,E-mail 1 - Value,Labels,Birthday,Phone 1 - Value,Address 1 - Country\n",
    b'"First Name","Last Name","E-mail Address","Birthday","Mobile Phone","Home Country/Region"\n',
    b"",
]
FUZZ_PIECES = [
    *(s.encode() for s in ("FN:", "N:", ";", ",", ":", "\\", "=", "=\r\n", "\r\n", "\n", "\r")),
    *(s.encode() for s in (" ", "\t", "BEGIN:VCARD", "END:VCARD", "EMAIL:", "TEL:", "BDAY:")),
    *(s.encode() for s in ("--0229", "1604-", "@", '"', " ::: ", "item1.", "X-ABADR:de")),
    *(s.encode() for s in ("ENCODING=QUOTED-PRINTABLE", "CHARSET=latin1", "KIND:group")),
    *(s.encode() for s in ("RELATED;VALUE=text:", "linkedin.com/in/x", "0170", "+49", "a", "1")),
    *(s.encode() for s in ("ADR:;;;a;;;DE", "NICKNAME:", "CATEGORIES:", "Ø", "🍀", "/", "-")),
    b"\xc3",
    b"\xa9",
    b"\xff",
    b"\x00",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    head=st.sampled_from(FUZZ_HEADS),
    body=st.lists(st.sampled_from(FUZZ_PIECES), max_size=80),
)
def test_no_bytes_in_a_file_make_import_fail(head: bytes, body: list[bytes]) -> None:
    from netzwerk.config import Config
    from netzwerk.render import renderer
    from netzwerk.transfer.planning import Options, plan_import

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in"
        path.write_bytes(head + b"".join(body))
        read = source.read_export(path, "in")
        for problem in read.problems:
            assert re.fullmatch(r"NW60[1-7]", problem.code), problem
        config = Config(root=Path(folder))
        template = renderer(config, "contact.md.j2")
        options = Options(TODAY)
        plan_import(config, [], read.records, read.problems, options, template=template)


def test_progress_is_shown_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from netzwerk import cli_transfer

    monkeypatch.setattr("sys.stderr.isatty", lambda: False)
    assert cli_transfer._progress() is None


def test_help_shows_examples() -> None:
    for args in (["import"], ["export", "vcard"], ["export", "ics"]):
        result = invoke(*args, "--help")
        assert re.search(r"Examples:\n +netzwerk " + " ".join(args) + " ", result.stdout)


def test_every_problem_code_is_known_and_documented() -> None:
    from netzwerk.problems import CODES

    readme = (HERE.parent / "README.md").read_text(encoding="utf-8")
    found = set(re.findall(r"\[(NW6\d\d)\]", (GOLDEN / "output.txt").read_text("utf-8")))
    for code in sorted(c for c in CODES if c.startswith("NW6")):
        assert f"| {code} |" in readme, code
    assert found <= set(CODES)
    sources = "".join(
        p.read_text("utf-8")
        for p in (HERE.parent / "netzwerk").rglob("*.py")
        if p.name != "problems.py"
    )
    assert set(re.findall(r'"(NW6\d\d)"', sources)) == {c for c in CODES if c.startswith("NW6")}


def test_a_cards_deathdate_is_kept_as_died(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = write_files(tmp_path / "vault", {"People/Anna.md": "---\ntier: 10\n---\n"})
    (tmp_path / "dead.vcf").write_bytes(
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Grace Hopper\r\nBDAY:19061209\r\n"
        b"DEATHDATE:19920101\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Alan Turing\r\nDEATHDATE:1954\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Kurt Ex\r\nDEATHDATE:someday\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada L\r\nBDAY:18151210\r\n"
        b"DEATHDATE;VALUE=text:yes\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Mo Ek\r\nDEATHDATE:2020-05\r\nEND:VCARD\r\n"
    )
    result = run_import(vault, "dead.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    grace = (vault / "People/Grace Hopper.md").read_text("utf-8")
    assert "\nbirthday: 1906-12-09\n" in grace and "\ndied: 1992-01-01\n" in grace
    assert '\ndied: "1954"\n' in (vault / "People/Alan Turing.md").read_text("utf-8")
    assert "\ndied: 2020-05\n" in (vault / "People/Mo Ek.md").read_text("utf-8")
    # Text that is no date is kept as written: it still means someone has died.
    assert "\ndied: someday\n" in (vault / "People/Kurt Ex.md").read_text("utf-8")
    assert "\ndied: true\n" in (vault / "People/Ada L.md").read_text("utf-8")
    assert "NW606" not in result.stderr
    digest = invoke("--vault", str(vault), "--today", "2026-12-07", "digest", "--stdout")
    assert "0 birthdays" in digest.stdout  # (Grace on Wednesday, Ada on Thursday)


def test_died_true_goes_out_and_comes_back_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = write_files(
        tmp_path / "vault",
        {"People/Ada.md": "---\ndied: true\n---\n", "People/Bo.md": "---\ndied: 2020-05\n---\n"},
    )
    exported = invoke("--vault", str(vault), "export", "vcard").stdout_bytes
    (tmp_path / "out.vcf").write_bytes(
        exported + b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Cy\r\n"
        b"DEATHDATE;VALUE=text:no\r\nEND:VCARD\r\n"
    )
    again = run_import(vault, "out.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert "NW608" not in again.stderr, again.stderr
    empty = write_files(tmp_path / "empty", {"People/.keep": ""})
    run_import(empty, "out.vcf", where=tmp_path, monkeypatch=monkeypatch)
    assert "\ndied: true\n" in (empty / "People/Ada.md").read_text("utf-8")
    assert "\ndied: 2020-05\n" in (empty / "People/Bo.md").read_text("utf-8")
    assert "died" not in (empty / "People/Cy.md").read_text("utf-8")


def test_a_card_that_says_yes_to_died_leaves_a_notes_date_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = write_files(tmp_path / "vault", {"People/Gus.md": "---\ndied: 1999-02-03\n---\n"})
    (tmp_path / "in.vcf").write_bytes(
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Gus\r\nDEATHDATE;VALUE=text:yes\r\nEND:VCARD\r\n"
    )
    result = run_import(vault, "in.vcf", "--overwrite", where=tmp_path, monkeypatch=monkeypatch)
    assert "NW608" not in result.stderr, result.stderr
    assert "\ndied: 1999-02-03\n" in (vault / "People/Gus.md").read_text("utf-8")
