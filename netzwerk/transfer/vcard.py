"""vCard 2.1, 3.0 and 4.0: a reader and a writer of vCard's line grammar, and what a card
means for a person.

Why not vobject, the established library: tried first on real exports (the samples of
mangstadt/ez-vcard and files imitating Apple, Google, Android, Outlook, Nextcloud and Monica,
see ../shared/FORMATS.md), vobject 0.9.9 (December 2024, the newest release) loses data:
- Android's 2.1 quoted-printable with soft line breaks is a ParseError that yields no card at
  all; `ignoreUnreadable=True` silently cuts the name short; `allowQP=True` cuts a NOTE at a
  decoded comma;
- Google's unescaped comma in `FN:Mr. John Richter, James Doe Sr.` comes back as
  `Mr. John Richter`;
- one card without `END:VCARD` stops the whole file: every later card is lost;
- iPhone files with `\\r\\r\\n` line ends fail unless unreadable lines are ignored;
- BDAY stays a raw string (Apple's `1604-…`, `--0512`), `http\\://` stays escaped, and vCard
  4.0 has no semantics (4.0 exists only on unreleased branches).
The grammar itself is small (RFC 6350 section 3: folded lines, `group.NAME;params:value`,
backslash escapes; vCard 2.1's quoted-printable and bare parameters), so netzwerk reads and
writes it here, line by line, reporting a broken line or card and carrying on.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import contextlib
import quopri
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import NamedTuple

from netzwerk.model import BOOL_WORDS, YEAR_OR_MONTH, Birthday, Contact, parse_date
from netzwerk.problems import Problem, error, warning
from netzwerk.transfer.phones import clean_phone, country_code
from netzwerk.transfer.record import (
    Read,
    Record,
    clean_name,
    clean_text,
    email_of,
    linkedin_key,
    linkedin_url,
    nicknames,
    parse_day,
    tag_of,
)

# --- reading the line grammar ---------------------------------------------------------------


class Prop(NamedTuple):
    """One property: `group.NAME;PARAM=a,b:value`, the value decoded but still escaped."""

    group: str  # "" without a group; lower-case (`item1`)
    name: str  # upper-case
    params: dict[str, list[str]]  # upper-case names; 2.1's bare parameters under TYPE
    value: str
    line: int

    def param(self, name: str) -> list[str]:
        return self.params.get(name, [])

    def types(self) -> set[str]:
        return {t.lower() for value in self.param("TYPE") for t in value.split(",")}


class Card(NamedTuple):
    """The properties between BEGIN:VCARD and END:VCARD (or where the card was cut off)."""

    line: int
    props: list[Prop]


_NAME = re.compile(r"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)")
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})
_QP_HEAD = re.compile(r"(?i)^[^:]*;(?:ENCODING=)?QUOTED-PRINTABLE[;:]")
_BINARY_HEAD = re.compile(r"(?i)^(?:[A-Za-z0-9_-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]")
_CHARSET = re.compile(rb"(?i);CHARSET=\"?([A-Za-z0-9_.:-]+)")


def _byte_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) per line: `\\r\\r\\n` and `\\r\\n` end one line, as the CSV reader
    and an editor's line numbers count them."""
    data = data.replace(b"\r\r\n", b"\n").replace(b"\r\n", b"\n")
    if b"\n" not in data:
        data = data.replace(b"\r", b"\n")
    start, number = 0, 1
    while start <= len(data):
        end = data.find(b"\n", start)
        if end < 0:
            end = len(data)
        yield number, data[start:end].rstrip(b"\r")
        start, number = end + 1, number + 1


class _Runs:
    """Consecutive bad lines, reported as one problem (binary junk is many lines)."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        self.run: tuple[str, int, int, str] | None = None  # code, first, last, message

    def add(self, code: str, line: int, message: str) -> None:
        if self.run is not None and self.run[2] == line - 1:
            first_code, first, _, first_message = self.run
            if first_code != code:  # not UTF-8 and not properties: junk
                code, first_message = "NW605", "lines that are not vCard text (binary data?)"
            self.run = (code, first, line, first_message)
            return
        self.flush()
        self.run = (code, line, line, message)

    def flush(self) -> None:
        if self.run is None:
            return
        code, first, last, message = self.run
        if last > first:
            message = f"{message.removesuffix('; skipped')}; skipped (lines {first}-{last})"
        self.problems.append(error(self.source, first, code, message))
        self.run = None


def _logical_lines(
    data: bytes, source: str, runs: _Runs, cp1252: bool
) -> Iterator[tuple[int, str]]:
    """Unfolded lines (line number of their first line, text): a line starting with a space
    or tab continues the previous one; a quoted-printable value ending in `=` continues on
    the next line (vCard 2.1's soft break, Android writes it at column 0). Lines are joined
    as bytes and decoded after: a writer may fold in the middle of a UTF-8 character (RFC
    6350 asks readers to join such lines again). A line that is not UTF-8 is reported, and
    the property it belongs to skipped."""
    chunks: list[tuple[int, bytes]] = []  # (file line, bytes) of the logical line so far
    qp = discard = False
    for number, raw in _byte_lines(data):
        if chunks:
            soft = qp and chunks[-1][1].endswith(b"=")
            if soft or raw[:1] in (b" ", b"\t"):
                if discard:  # a photo's data is never used: not kept in memory either
                    continue
                if soft:
                    chunks[-1] = (chunks[-1][0], chunks[-1][1][:-1])
                    chunks.append((number, raw))
                else:
                    chunks.append((number, raw[1:]))
                continue
            text = _joined(chunks, runs, cp1252)
            if text is not None:
                yield chunks[0][0], text
            chunks = []
        if not raw.strip():
            continue
        head = raw.split(b":", 1)[0].decode("latin-1") + ":"  # (ASCII names and parameters)
        qp = _QP_HEAD.match(head) is not None
        discard = _BINARY_HEAD.match(head) is not None
        chunks = [(number, head.encode("latin-1") if discard else raw)]
    if chunks:
        text = _joined(chunks, runs, cp1252)
        if text is not None:
            yield chunks[0][0], text


def _joined(chunks: list[tuple[int, bytes]], runs: _Runs, cp1252: bool) -> str | None:
    """A logical line's text, or None (reported) when it is not UTF-8 nor in a charset its
    first line declares."""
    raw = b"".join(part for _, part in chunks)
    if cp1252:
        return raw.decode("cp1252", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        declared = _declared_charset(raw)
        if declared is not None:
            return declared
        offset = exc.start
        for number, part in chunks:  # the file line the bad byte stands in
            if offset < len(part):
                runs.add("NW604", number, _not_utf8(part))
                return None
            offset -= len(part)
        runs.add("NW604", chunks[-1][0], _not_utf8(raw))
        return None


def _declared_charset(raw: bytes) -> str | None:
    """A line that says its charset (`N;CHARSET=ISO-8859-1:…`, vCard 2.1) in that charset."""
    head = raw.split(b":", 1)[0]
    match = _CHARSET.search(head)
    if match is None:
        return None
    try:
        return raw.decode(match.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None


def _not_utf8(raw: bytes) -> str:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"line is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); skipped"
    return "line is not valid UTF-8; skipped"


def parse_prop(text: str, line: int) -> Prop | None:
    """A property line, or None when it is not one."""
    match = _NAME.match(text)
    if match is None:
        return None
    position = match.end()
    params: dict[str, list[str]] = {}
    while position < len(text) and text[position] == ";":
        position += 1
        start, quoted = position, False
        while position < len(text):
            char = text[position]
            if char == '"':
                quoted = not quoted
            elif not quoted and char in ";:":
                break
            position += 1
        _add_param(params, text[start:position])
    if position >= len(text) or text[position] != ":":
        return None
    group = (match.group(1) or "").lower()
    return Prop(group, match.group(2).upper(), params, text[position + 1 :], line)


def _add_param(params: dict[str, list[str]], text: str) -> None:
    if not text:
        return
    name, equals, value = text.partition("=")
    if not equals:  # vCard 2.1: `TEL;CELL;PREF:`, `PHOTO;BASE64:`
        bare = name.strip().upper()
        key = "ENCODING" if bare in _ENCODINGS else "TYPE"
        params.setdefault(key, []).append(bare)
        return
    values = [v.strip().strip('"') for v in _split_unquoted(value, ",")]
    params.setdefault(name.strip().upper(), []).extend(values)


def _split_unquoted(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def read_cards(data: bytes, source: str) -> tuple[list[Card], list[Problem]]:
    """The cards of a vCard file; broken lines and cards are problems, the rest is read."""
    problems: list[Problem] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        with contextlib.suppress(UnicodeDecodeError):
            data = data.decode("utf-16").encode("utf-8")
    data = data.removeprefix(b"\xef\xbb\xbf")
    cp1252 = _windows_1252(data)
    if cp1252:
        message = "the file is not UTF-8; read it as Windows-1252 (check accented letters)"
        problems.append(warning(source, None, "NW603", message))
    runs = _Runs(source, problems)
    cards: list[Card] = []
    current: Card | None = None
    for line, text in _logical_lines(data, source, runs, cp1252):
        prop = parse_prop(text, line)
        if prop is None:
            where = "in a card" if current is not None else "outside a card"
            runs.add("NW605", line, f"line is not a vCard property {where}; skipped")
            continue
        runs.flush()
        value = prop.value.strip().upper()
        if prop.name == "BEGIN" and value == "VCARD":
            if current is not None:
                message = f"card has no END:VCARD before the next card on line {line}"
                problems.append(error(source, current.line, "NW605", message))
                cards.append(current)
            current = Card(line, [])
        elif prop.name == "END" and value == "VCARD":
            if current is None:
                problems.append(error(source, line, "NW605", "END:VCARD without BEGIN:VCARD"))
            else:
                cards.append(current)
                current = None
        elif current is None:
            runs.add("NW605", line, "line is not a vCard property outside a card; skipped")
        elif prop.name == "BEGIN" or prop.name == "END":
            current.props.append(prop)  # a nested component (rare): kept, not read
        else:
            current.props.append(prop)
    runs.flush()
    if current is not None:
        message = "card has no END:VCARD at the end of the file"
        problems.append(error(source, current.line, "NW605", message))
        cards.append(current)
    return cards, problems


def _windows_1252(data: bytes) -> bool:
    """No UTF-8 at all, and lines that are not UTF-8 without saying their CHARSET: an old
    Windows program's file."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        loose = data.decode("utf-8", errors="replace")
        if any(ord(c) > 127 and c != "\ufffd" for c in loose):
            return False
        for _, raw in _byte_lines(data):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                if _CHARSET.search(raw.split(b":", 1)[0]) is None:
                    return True
    return False


# --- values ----------------------------------------------------------------------------------


def decoded(prop: Prop) -> str:
    """The value with vCard 2.1's quoted-printable (and its CHARSET) undone; still escaped."""
    encoding = {e.upper() for e in prop.param("ENCODING")}
    if "QUOTED-PRINTABLE" in encoding:
        raw = quopri.decodestring(prop.value.encode("utf-8", errors="replace"))
        return _charset_decode(raw, prop.param("CHARSET"))
    if encoding & {"B", "BASE64"} and prop.name not in _BINARY:
        try:
            raw = base64.b64decode(prop.value, validate=False)
        except (binascii.Error, ValueError):
            return ""
        return _charset_decode(raw, prop.param("CHARSET"))
    return prop.value


def _charset_decode(raw: bytes, charset: list[str]) -> str:
    for name in [*charset, "utf-8"]:
        try:
            codecs.lookup(name)
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("cp1252", errors="replace")


_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", ":": ":", "\\": "\\"}


def unescape(text: str) -> str:
    r"""`\n` `\,` `\;` `\:` `\\` undone; another backslash stays as it is."""
    if "\\" not in text:
        return text
    out, index = [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in _ESCAPES:
            out.append(_ESCAPES[text[index + 1]])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def split_value(text: str, separator: str) -> list[str]:
    """A structured (`;`) or list (`,`) value split where the separator is not escaped, each
    part unescaped."""
    parts, current, index = [], [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if char == separator:
            parts.append(unescape("".join(current)))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append(unescape("".join(current)))
    return parts


# --- a card as a person ----------------------------------------------------------------------

_ANDROID_NICKNAME = "vnd.android.cursor.item/nickname"
_ANDROID_RELATION = "vnd.android.cursor.item/relation"


def read_vcards(data: bytes, source: str) -> Read:
    """The records of a vCard file."""
    cards, problems = read_cards(data, source)
    records = [record_of(card, source, problems) for card in cards]
    return Read(records, problems, "vcard")


def record_of(card: Card, source: str, problems: list[Problem]) -> Record:
    """What a card says about a person; its bad values are added to `problems`."""

    def warn(prop: Prop, message: str) -> None:
        problems.append(warning(source, prop.line, "NW606", message))

    apple_countries = {p.group: decoded(p) for p in card.props if p.name == "X-ABADR"}
    full = given = ""
    nicks: list[str] = []
    emails: list[str] = []
    phones: list[str] = []
    countries: list[str] = []
    places: list[str] = []
    company = title = role = linkedin = died = ""
    birthday = None
    tags: list[str] = []
    related: list[str] = []
    skip = None
    for prop in card.props:
        name = prop.name
        value = decoded(prop)
        if name == "FN":
            full = clean_name(unescape(value))
        elif name == "N":
            parts = [clean_name(p.replace(",", " ")) for p in split_value(value, ";")]
            parts += [""] * (5 - len(parts))
            given = " ".join(p for p in (parts[1], parts[2], parts[0]) if p)
        elif name == "NICKNAME":
            nicks += [clean_name(n) for n in split_value(value, ",")]
        elif name == "X-ANDROID-CUSTOM":
            fields = split_value(value, ";")
            if len(fields) > 1 and fields[0] == _ANDROID_NICKNAME:
                nicks.append(clean_name(fields[1]))
            elif len(fields) > 1 and fields[0] == _ANDROID_RELATION:
                related.append(clean_name(fields[1]))
        elif name == "EMAIL":
            text = unescape(value).strip()
            if not text:
                continue
            email = email_of(text)
            if email is None:
                warn(prop, f"EMAIL {text!r} is not an e-mail address; not imported")
            elif email.casefold() not in {e.casefold() for e in emails}:
                emails.append(email)
        elif name == "TEL":
            text = clean_phone(unescape(value))
            if text and "fax" not in prop.types() and "pager" not in prop.types():
                phones.append(text)
        elif name == "ADR":
            parts = [clean_text(p) for p in split_value(value, ";")] + [""] * 7
            if parts[3] or parts[4]:
                places.append(parts[3] or parts[4])
            country = parts[6] or (apple_countries.get(prop.group, "") if prop.group else "")
            if country:
                countries.append(country)
        elif name == "ORG":
            company = company or clean_text(split_value(value, ";")[0])
        elif name == "TITLE":
            title = title or clean_text(unescape(value))
        elif name == "ROLE":
            role = role or clean_text(unescape(value))
        elif name == "BDAY":
            birthday = birthday or _bday(prop, value, warn)
        elif name == "DEATHDATE":
            died = died or _deathdate(value)
        elif name in ("URL", "X-SOCIALPROFILE"):
            url = unescape(value).strip()
            if not linkedin and linkedin_key(url) is not None:
                linkedin = linkedin_url(url)
        elif name == "CATEGORIES":
            tags += [t for t in (tag_of(c) for c in split_value(value, ",")) if t]
        elif name == "RELATED":
            text = clean_name(unescape(value))
            is_text = [v.lower() for v in prop.param("VALUE")] == ["text"]
            if text and (is_text or ":" not in text):
                related.append(text)
        elif name == "X-ABRELATEDNAMES":
            text = clean_name(unescape(value))
            if text:
                related.append(text)
        elif name == "KIND" and value.strip().lower() in ("group", "org", "location"):
            skip = "a group" if value.strip().lower() == "group" else "a company card"
        elif name == "X-ADDRESSBOOKSERVER-KIND" and value.strip().lower() == "group":
            skip = "a group"
        elif name == "X-ABSHOWAS" and value.strip().upper() == "COMPANY":
            skip = "a company card"
    nicks = [n for n in dict.fromkeys(nicks) if n]
    person = full or given
    if person and company and person == company and not given:
        skip = skip or "a company card"  # FN is the company and N is empty (Google, Outlook)
    name, quoted = nicknames(person)
    if not name and nicks:
        name, nicks = nicks[0], nicks[1:]
    if not name and skip is None:
        skip = "a company card" if company else "no name"
    codes = [country_code(c) for c in countries]
    return Record(
        source,
        card.line,
        name if skip is None else (name or company),
        emails=tuple(emails),
        phones=tuple(dict.fromkeys(phones)),
        countries=tuple(dict.fromkeys(c for c in codes if c)),
        company=company,
        role=title or role,
        location=places[0] if places else "",
        birthday=birthday,
        died=died,
        linkedin=linkedin,
        tags=tuple(dict.fromkeys(tags)),
        aliases=tuple(a for a in dict.fromkeys([*nicks, *quoted]) if a != name),
        related=tuple(dict.fromkeys(r for r in related if r)),
        skip=skip,
    )


def _bday(prop: Prop, value: str, warn: Callable[[Prop, str], None]) -> Birthday | None:
    text = unescape(value).strip()
    if not text:
        return None
    omit = prop.param("X-APPLE-OMIT-YEAR")
    found = parse_day(text)
    if found is not None and omit and str(found.year) in omit:
        found = found._replace(year=None)
    if found is None:
        warn(prop, f"BDAY {text!r} is not a date; not imported")
    return found


def _deathdate(value: str) -> str:
    """RFC 6474's DEATHDATE as `died` holds it: the day, the month (`2020-05`) or the year
    alone; any other text as written (a note reports what it cannot read, and it still means
    someone has died: dropping it would bring back their birthday)."""
    text = unescape(value).strip()
    if YEAR_OR_MONTH.fullmatch(text):
        return text
    said = BOOL_WORDS.get(text.casefold())
    if said is not None:  # (`yes`, as netzwerk writes `died: true`; `no`: alive)
        return "true" if said else ""
    found = parse_day(text)
    if found is not None and found.year is not None:
        return date(found.year, found.month, found.day).isoformat()
    return text


# --- writing ---------------------------------------------------------------------------------

_PARTICLES = frozenset(
    {"von", "van", "de", "der", "den", "da", "di", "du", "del", "della", "la", "le", "zu", "ten"}
)
UID_NAMESPACE = uuid.UUID("6f1c1d1e-7d55-5a4c-9a0e-6e65747a776b")  # netzwerk's own namespace


# Line breaks of every kind, as vCard writes them (`\n`); other control characters, which a
# content line may not hold (RFC 6350 3.3), are left out.
_BREAKS = re.compile("\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def escape(text: str) -> str:
    r"""A text value for vCard 4.0: `\` `,` `;` and line breaks escaped, other control
    characters left out."""
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return _CONTROLS.sub("", _BREAKS.sub("\\\\n", text))


def fold_line(line: str) -> bytes:
    """One content line as UTF-8 with CRLF, folded at 75 octets (RFC 6350 3.2) between
    characters, never inside one."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    out: list[bytes] = []
    chunk = bytearray()
    limit = 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > limit:
            out.append(bytes(chunk))
            chunk = bytearray(b" ")
            limit = 75
        chunk += encoded
    out.append(bytes(chunk))
    return b"\r\n".join(out) + b"\r\n"


def name_parts(name: str) -> tuple[str, str] | None:
    """(family, given) when a name can be split that way; None for one word or a title with
    something in brackets."""
    words = name.split()
    if len(words) < 2 or any(c in name for c in "()[],"):
        return None
    index = len(words) - 1
    while index > 1 and words[index - 1].lower() in _PARTICLES:
        index -= 1
    return " ".join(words[index:]), " ".join(words[:index])


def uid_of(contact: Contact) -> str:
    """A stable UID per person: from the note's title, so a move to another folder keeps it."""
    return f"urn:uuid:{uuid.uuid5(UID_NAMESPACE, contact.name)}"


def card_lines(contact: Contact, display: str) -> list[str]:
    """The content lines of one person's vCard 4.0."""
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"UID:{uid_of(contact)}", f"FN:{escape(display)}"]
    parts = name_parts(display)
    if parts is not None:
        lines.append(f"N:{escape(parts[0])};{escape(parts[1])};;;")
    if contact.aliases:
        lines.append("NICKNAME:" + ",".join(escape(a) for a in contact.aliases))
    lines += [f"EMAIL:{escape(e)}" for e in contact.email]
    lines += [f"TEL:{escape(p)}" for p in contact.phone]
    if contact.company:
        lines.append(f"ORG:{escape(contact.company)}")
    if contact.role:
        lines.append(f"TITLE:{escape(contact.role)}")
    if contact.location:
        lines.append(f"ADR:;;;{escape(contact.location)};;;")
    if contact.died is not None:
        # (and no BDAY: address books make a yearly birthday reminder of it)
        day = parse_date(contact.died)
        if day is not None:
            lines.append(f"DEATHDATE:{day.strftime('%Y%m%d')}")
        elif YEAR_OR_MONTH.fullmatch(contact.died):
            lines.append(f"DEATHDATE:{contact.died}")  # (RFC 6350: `2020-05`, `1954`)
        else:
            lines.append(f"DEATHDATE;VALUE=text:{escape(contact.died or 'yes')}")
    elif contact.birthday is not None:
        b = contact.birthday
        year = f"{b.year:04d}" if b.year is not None else "--"
        lines.append(f"BDAY:{year}{b.month:02d}{b.day:02d}")
    if contact.linkedin:
        lines.append(f"URL:{contact.linkedin}")
    if contact.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in contact.tags))
    lines += [f"RELATED;VALUE=text:{escape(k)}" for k in contact.knows]
    if contact.interests:
        lines.append(f"NOTE:{escape('Interests: ' + ', '.join(contact.interests))}")
    lines.append("END:VCARD")
    return lines


def write_vcards(people: Iterable[tuple[Contact, str]]) -> bytes:
    """A vCard 4.0 file of (contact, display name) pairs: UTF-8, CRLF, folded lines."""
    return b"".join(fold_line(line) for c, display in people for line in card_lines(c, display))
