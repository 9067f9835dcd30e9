"""Contacts CSV files: LinkedIn's Connections.csv, Google Contacts and Outlook, recognised by
their header names (the standard `csv` module reads them).

Layouts, as ../shared/FORMATS.md describes the real files:
- LinkedIn: `First Name,Last Name,URL,Email Address,Company,Position,Connected On`, after a
  "Notes:" preamble (header on line 4) or, re-saved by Excel, on line 1; the 2018 layout
  without URL; a copy whose header is gone and whose rows are wrapped in quotes.
- Google: `First Name,…,Labels,E-mail 1 - Value,…` now, `Name,Given Name,…,Group Membership`
  before, values of one kind joined with ` ::: `.
- Outlook: the classic wizard's quoted header, outlook.com's, and Google's "Outlook CSV".
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from netzwerk.model import Birthday
from netzwerk.problems import Problem, error, warning
from netzwerk.transfer.record import (
    Decoded,
    Read,
    Record,
    clean_name,
    clean_text,
    email_of,
    is_blank,
    linkedin_key,
    linkedin_url,
    looks_like_email,
    nicknames,
    parse_day,
    parse_full_date,
    tag_of,
    without_credentials,
)

_MULTI = " ::: "
_HEADER_SEARCH = 25  # rows looked at for a header (LinkedIn's preamble takes three)
_NO_DATE = re.compile(r"0+([/.-])0+(?:\1)0+")  # Outlook's empty date, `0/0/00`
LINKEDIN_COLUMNS = (
    "first name",
    "last name",
    "url",
    "email address",
    "company",
    "position",
    "connected on",
)


class Row(NamedTuple):
    """A CSV row: the line it starts on, the one it ends on, and its cells."""

    start: int
    end: int
    cells: list[str] | None  # None: the csv module could not read it
    error: str = ""


class Fields:
    """A row's cells by (folded) header name."""

    def __init__(self, columns: dict[str, int], cells: list[str]) -> None:
        self.columns = columns
        self.cells = cells

    def get(self, name: str) -> str:
        index = self.columns.get(name)
        if index is None or index >= len(self.cells):
            return ""
        return clean_text(self.cells[index])

    def matching(self, pattern: re.Pattern[str]) -> list[str]:
        """Every non-empty cell of the columns whose name matches, ` ::: ` lists split."""
        found: list[str] = []
        for name, index in self.columns.items():
            if pattern.fullmatch(name) and index < len(self.cells):
                found += [v.strip() for v in self.cells[index].split(_MULTI) if v.strip()]
        return found


Mapper = Callable[[Fields, "Context"], Record]


class Context:
    """Where a row is, and the problems it has (its warnings don't stop the record)."""

    def __init__(self, source: str, line: int, problems: list[Problem]) -> None:
        self.source = source
        self.line = line
        self.problems = problems

    def warn(self, message: str, code: str = "NW606") -> None:
        self.problems.append(warning(self.source, self.line, code, message))


def read_csv(decoded: Decoded, source: str, wanted: str = "auto") -> Read:
    """The records of a contacts CSV file."""
    problems: list[Problem] = []
    # Commas, or what Excel writes where the comma is the decimal sign (`;`), or its
    # "Unicode text" (tabs): the delimiter whose rows hold a header netzwerk knows.
    why = ""
    for delimiter in (",", ";", "\t"):
        rows = _Rows(decoded.text, delimiter)
        found = _find_layout(rows, wanted)
        if not isinstance(found, str):
            break
        why = why or found
    if isinstance(found, str):
        return Read([], [error(source, None, "NW602", why)], "")
    layout, columns, mapper, unwrap = found
    records: list[Record] = []
    for row in rows:
        if row.cells is None:
            message = f"the CSV row cannot be read ({row.error}); skipped"
            problems.append(error(source, row.start, "NW605", message))
            continue
        cells = _unwrap(row.cells) if unwrap else row.cells
        if not any(c.strip() for c in cells):
            continue
        bad = [n for n in range(row.start, row.end + 1) if n in decoded.bad_lines]
        if bad:
            byte = decoded.bad_lines[bad[0]]
            message = f"line {bad[0]} is not valid UTF-8 (byte 0x{byte:02x}); the row was skipped"
            problems.append(error(source, bad[0], "NW604", message))
            records.append(Record(source, row.start, "", skip="unreadable"))
            continue
        context = Context(source, row.start, problems)
        records.append(mapper(Fields(columns, cells), context))
    return Read(records, problems, layout)


class _Rows:
    """The file's rows with their lines; the header search reads ahead, the rest follows."""

    def __init__(self, text: str, delimiter: str = ",") -> None:
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        self._last = 0
        self._ahead: list[Row] = []

    def _next(self) -> Row | None:
        while True:
            before = self._last
            try:
                cells = next(self._reader)
            except StopIteration:
                return None
            except csv.Error as exc:
                self._last = max(self._reader.line_num, before + 1)
                return Row(before + 1, self._last, None, str(exc))
            self._last = self._reader.line_num
            return Row(before + 1, self._last, cells)

    def peek(self, count: int) -> list[Row]:
        while len(self._ahead) < count:
            row = self._next()
            if row is None:
                break
            self._ahead.append(row)
        return self._ahead[:count]

    def drop(self, count: int) -> None:
        del self._ahead[:count]

    def __iter__(self) -> Iterator[Row]:
        while self._ahead:
            yield self._ahead.pop(0)
        while (row := self._next()) is not None:
            yield row


def _header_name(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


def _find_layout(rows: _Rows, wanted: str) -> tuple[str, dict[str, int], Mapper, bool] | str:
    """(layout, columns, mapper, rows wrapped in quotes) or why the file is not understood."""
    ahead = rows.peek(_HEADER_SEARCH)
    for index, row in enumerate(ahead):
        if row.cells is None:
            continue
        names = [_header_name(c) for c in row.cells]
        columns: dict[str, int] = {}
        for position, name in enumerate(names):
            columns.setdefault(name, position)
        layout = _layout_of(columns)
        if layout is None:
            if _headerless_linkedin(row.cells):
                return _checked(wanted, "linkedin", dict(_LINKEDIN_POSITIONS), index, rows, True)
            continue
        return _checked(wanted, layout, columns, index + 1, rows, False)
    if ahead:
        first = next((r.cells for r in ahead if r.cells and any(c.strip() for c in r.cells)), [])
        shown = ",".join(first)[:80]
        return (
            "no header of a LinkedIn, Google or Outlook contacts export "
            f"(first line: {shown!r}); export the contacts again as CSV or vCard"
        )
    return "the file holds no rows"


_LINKEDIN_POSITIONS = {name: i for i, name in enumerate(LINKEDIN_COLUMNS)}


def _checked(
    wanted: str, layout: str, columns: dict[str, int], skip: int, rows: _Rows, unwrap: bool
) -> tuple[str, dict[str, int], Mapper, bool] | str:
    if wanted not in ("auto", layout):
        return f"--from {wanted}: this is a {_NAMES[layout]} file; try --from auto"
    rows.drop(skip)
    return layout, columns, _MAPPERS[layout], unwrap


def _layout_of(columns: dict[str, int]) -> str | None:
    has = columns.__contains__
    if has("first name") and has("last name") and has("connected on"):
        return "linkedin"
    if has("given name") and has("family name"):
        return "google"
    if has("first name") and has("last name"):
        if has("e-mail 1 - value") or has("labels") or has("organization name"):
            return "google"
        if any(has(c) for c in ("e-mail address", "job title", "mobile phone", "categories")):
            return "outlook"
    return None


def _headerless_linkedin(cells: list[str]) -> bool:
    """A LinkedIn row without its header: seven cells (or one cell holding them, quoted) with
    a profile URL third."""
    cells = _unwrap(cells)
    return len(cells) >= 7 and linkedin_key(cells[2]) is not None


def _unwrap(cells: list[str]) -> list[str]:
    """A whole row wrapped in quotes is one cell holding the row: read that cell as a row."""
    if len(cells) == 1 and "," in cells[0]:
        try:
            return next(csv.reader(io.StringIO(cells[0], newline="")), cells)
        except csv.Error:
            return cells
    return cells


# --- LinkedIn --------------------------------------------------------------------------------


def _linkedin(row: Fields, at: Context) -> Record:
    first, first_nicks = nicknames(row.get("first name"), brackets=True)
    last, last_nicks = nicknames(without_credentials(row.get("last name")), brackets=True)
    first, last = clean_name(first), clean_name(last)
    name = clean_name(f"{first} {last}")
    aliases = tuple(clean_name(f"{n} {last}") for n in first_nicks + last_nicks)
    emails = _emails([row.get("email address")], at)
    url = row.get("url")
    linkedin = ""
    if url:
        if linkedin_key(url) is None:
            at.warn(f"URL {url!r} is no LinkedIn profile; not imported")
        else:
            linkedin = linkedin_url(url)
    connected = None
    when = row.get("connected on")
    if when:
        connected = parse_full_date(when)
        if connected is None:
            at.warn(f"Connected On {when!r} is not a date; not imported")
    company = row.get("company")
    return Record(
        at.source,
        at.line,
        name,
        emails=emails,
        company="" if is_blank(company) else company,
        role=row.get("position"),
        linkedin=linkedin,
        aliases=aliases,
        connected=connected,
        skip=None if name else "no name",
    )


def _emails(values: list[str], at: Context) -> tuple[str, ...]:
    found: list[str] = []
    for value in values:
        for part in value.split(_MULTI):
            part = part.strip()
            if not part:
                continue
            email = email_of(part)
            if email is None:
                at.warn(f"{part!r} is not an e-mail address; not imported")
            elif email.casefold() not in {f.casefold() for f in found}:
                found.append(email)
    return tuple(found)


def _birthday(text: str, at: Context) -> Birthday | None:
    if not text or _NO_DATE.fullmatch(text):
        return None
    found = parse_day(text)
    if found is None:
        at.warn(f"birthday {text!r} is not a date; not imported")
    return found


# --- Google ----------------------------------------------------------------------------------

_G_EMAIL = re.compile(r"e-mail \d+ - value")
_G_PHONE = re.compile(r"phone (\d+) - value")
_NOT_A_PHONE = re.compile(r"fax|pager", re.IGNORECASE)  # (as vCards' TYPE=fax and pager)
_G_CITY = re.compile(r"address \d+ - city")
_G_REGION = re.compile(r"address \d+ - region")
_G_COUNTRY = re.compile(r"address \d+ - country")
_G_RELATION = re.compile(r"relation \d+ - value")
_G_WEBSITE = re.compile(r"website \d+ - value")


def _google(row: Fields, at: Context) -> Record:
    name = clean_name(row.get("name"))
    if not name:
        parts = [row.get(c) for c in ("first name", "middle name", "last name")]
        parts += [row.get(c) for c in ("given name", "additional name", "family name")]
        name = clean_name(" ".join(p for p in parts if p))
    name, quoted = nicknames(name)
    nickname = clean_name(row.get("nickname"))
    if not name and nickname:
        name, nickname = nickname, ""
    if not name:
        name = clean_name(row.get("file as"))
    aliases = tuple(a for a in (nickname, *quoted) if a and a != name)
    company = row.get("organization name") or row.get("organization 1 - name")
    role = row.get("organization title") or row.get("organization 1 - title")
    labels = row.get("labels") or row.get("group membership")
    tags = tuple(t for t in (tag_of(x) for x in labels.split(_MULTI)) if t)
    websites = row.matching(_G_WEBSITE)
    name, skip = _name_or_skip(name, company)
    birthday = _birthday(row.get("birthday"), at)
    return Record(
        at.source,
        at.line,
        name,
        emails=_emails(row.matching(_G_EMAIL), at),
        phones=_google_phones(row),
        countries=_countries(row.matching(_G_COUNTRY)),
        company="" if is_blank(company) else company,
        role=role,
        location=_first(row.matching(_G_CITY) or row.matching(_G_REGION)),
        birthday=birthday,
        linkedin=_linkedin_of(websites),
        tags=tags,
        aliases=aliases,
        related=tuple(clean_name(r) for r in row.matching(_G_RELATION)),
        skip=skip,
    )


def _first(values: list[str]) -> str:
    return clean_text(values[0]) if values else ""


def _countries(values: list[str]) -> tuple[str, ...]:
    from netzwerk.transfer.phones import country_code

    codes = [country_code(v) for v in values]
    return tuple(dict.fromkeys(c for c in codes if c))


def _linkedin_of(urls: list[str]) -> str:
    for url in urls:
        if linkedin_key(url) is not None:
            return linkedin_url(url)
    return ""


# --- Outlook ---------------------------------------------------------------------------------

_O_PHONES = (
    "primary phone",
    "mobile phone",
    "business phone",
    "business phone 2",
    "home phone",
    "home phone 2",
    "other phone",
    "car phone",
    "company main phone",
)
_O_EMAILS = (
    ("e-mail address", "e-mail type", "e-mail display name"),
    ("e-mail 2 address", "e-mail 2 type", "e-mail 2 display name"),
    ("e-mail 3 address", "e-mail 3 type", "e-mail 3 display name"),
)
_O_PLACES = ("home", "business", "other")
_IN_PARENS = re.compile(r"\(([^()\s]+@[^()\s]+)\)")


def _outlook(row: Fields, at: Context) -> Record:
    parts = [row.get(c) for c in ("first name", "middle name", "last name")]
    name = clean_name(" ".join(p for p in parts if p))
    if not name:
        name = clean_name(row.get("display name") or row.get("name"))
    name, quoted = nicknames(name)
    nickname = clean_name(row.get("nickname"))
    aliases = tuple(a for a in (nickname, *quoted) if a and a != name)
    emails: list[str] = []
    for address, kind, shown in _O_EMAILS:
        value = row.get(address)
        if not value:
            continue
        if row.get(kind).upper() == "EX" or value.startswith("/"):
            inner = _IN_PARENS.search(row.get(shown))
            if inner is None:
                at.warn(f"{value!r} is an Exchange address, not an e-mail address; not imported")
                continue
            value = inner.group(1)
        emails.append(value)
    company = row.get("company")
    cities = [row.get(f"{p} city") for p in _O_PLACES]
    countries = [row.get(f"{p} country/region") or row.get(f"{p} country") for p in _O_PLACES]
    categories = row.get("categories")
    tags = tuple(t for t in (tag_of(x) for x in re.split(r"[;,]", categories)) if t)
    name, skip = _name_or_skip(name, company)
    birthday = _birthday(row.get("birthday"), at)
    return Record(
        at.source,
        at.line,
        name,
        emails=_emails(emails, at),
        phones=tuple(p for p in (row.get(c) for c in _O_PHONES) if p),
        countries=_countries([c for c in countries if c]),
        company="" if is_blank(company) else company,
        role=row.get("job title"),
        location=_first([c for c in cities if c]),
        birthday=birthday,
        linkedin=_linkedin_of([row.get("web page"), row.get("personal web page")]),
        tags=tags,
        aliases=aliases,
        skip=skip,
    )


_MAPPERS: dict[str, Mapper] = {"linkedin": _linkedin, "google": _google, "outlook": _outlook}
_NAMES = {"linkedin": "LinkedIn", "google": "Google Contacts", "outlook": "Outlook"}


def _name_or_skip(name: str, company: str) -> tuple[str, str | None]:
    """A record's name, and why it is skipped when it has none: an address saved as the name
    (Google's old layout) is no name; a card with a company and no name is the company's."""
    if looks_like_email(name):
        return "", "no name"
    if not name:
        return "", "a company card" if company else "no name"
    return name, None


def _google_phones(row: Fields) -> tuple[str, ...]:
    """The phone numbers of a Google row, but those labelled as a fax or pager (`Work Fax`,
    `homeFax`, `Pager`: the label column of the new layout, the type column of the old)."""
    found: list[str] = []
    for name, index in row.columns.items():
        number = _G_PHONE.fullmatch(name)
        if number is None or index >= len(row.cells):
            continue
        at = number.group(1)
        label = row.get(f"phone {at} - label") or row.get(f"phone {at} - type")
        if _NOT_A_PHONE.search(label):
            continue
        found += [v.strip() for v in row.cells[index].split(_MULTI) if v.strip()]
    return tuple(found)
