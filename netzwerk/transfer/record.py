"""One person as a contacts export describes them, whatever the format, and the small rules
every reader shares: cleaning names, e-mail addresses, LinkedIn URLs, labels and dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from netzwerk.model import Birthday
from netzwerk.problems import Problem


class Record(NamedTuple):
    """A person (or something that is not one) read from an export file."""

    source: str  # the file, as the user named it
    line: int  # the line the record starts on
    name: str  # the display name; "" when the record has none
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()  # as written
    countries: tuple[str, ...] = ()  # ISO codes of the record's addresses, for phone numbers
    company: str = ""
    role: str = ""
    location: str = ""
    birthday: Birthday | None = None
    died: str = ""  # vCard's DEATHDATE as `died` holds it: a day, month, year, `true` or text
    linkedin: str = ""
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # names of people this person knows
    connected: date | None = None  # LinkedIn's "Connected On"
    skip: str | None = None  # why this is not a person: "a company card", "a group", …

    def details(self) -> list[str]:
        """What the record holds besides its name, for the message when it is skipped."""
        held = [f"e-mail {e}" for e in self.emails] + [f"phone {p}" for p in self.phones]
        if self.linkedin:
            held.append(f"LinkedIn {self.linkedin}")
        if self.birthday is not None:
            held.append(f"birthday {self.birthday}")
        return held


class Read(NamedTuple):
    """What one file gave: its records (in file order), its problems and its format."""

    records: list[Record]
    problems: list[Problem]
    format: str  # "linkedin", "google", "outlook", "vcard"; "" when none was recognised


class Decoded(NamedTuple):
    """A file's text with LF line ends, how it was decoded, and its lines that are not UTF-8
    (line number -> the first bad byte) when it is UTF-8 with a few broken sequences."""

    text: str
    encoding: str  # "utf-8", "cp1252", "utf-16"
    bad_lines: dict[int, int]
    problems: list[Problem]


# --- names ---------------------------------------------------------------------------------

# Pictographs and their glue are decoration, not part of a name (`Hoeijmakers🔸`).
_DECORATION = {"So", "Sk", "Co", "Cs", "Cn"}
_GLUE = {"\u200d", "\ufe0e", "\ufe0f", "\u20e3"}
_NICKNAME = re.compile(r"\s*[\"“”„«»]([^\"“”„«»]+)[\"“”„«»]\s*")
_BRACKETED = re.compile(r"\s*\(([^()]+)\)\s*")


def clean_text(text: str) -> str:
    """One line of text: NFC, no control characters, single spaces, trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    return " ".join(text.split())


def clean_name(text: str) -> str:
    """A person's name without pictographs, tabs or doubled spaces."""
    text = clean_text(text)
    if not text.isascii():
        text = "".join(
            c for c in text if c not in _GLUE and unicodedata.category(c) not in _DECORATION
        )
    return " ".join(text.split()).strip(" ,;")


def nicknames(text: str, *, brackets: bool = False) -> tuple[str, tuple[str, ...]]:
    """`James "Tyler"` -> ("James", ("Tyler",)); with `brackets`, `Robert (RC)` too."""
    found = [m.strip() for m in _NICKNAME.findall(text)]
    text = _NICKNAME.sub(" ", text)
    if brackets:
        found += [m.strip() for m in _BRACKETED.findall(text)]
        text = _BRACKETED.sub(" ", text)
    return " ".join(text.split()), tuple(f for f in found if f)


def without_credentials(family: str) -> str:
    """`Nayak, MSc, MBA, PHR` -> `Nayak`: letters after a comma in a family name."""
    head, comma, _ = family.partition(",")
    return head.strip() if comma and head.strip() else family


def is_blank(text: str) -> bool:
    """Empty, or only dashes and dots (`-` for "no company")."""
    return not text.strip(" -–—./_")


def looks_like_email(text: str) -> bool:
    return EMAIL.fullmatch(text) is not None


# --- e-mail, LinkedIn, labels ----------------------------------------------------------------

EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]+")


def email_of(text: str) -> str | None:
    """The address in `text` (`mailto:` dropped), or None when it is no e-mail address."""
    text = text.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text if EMAIL.fullmatch(text) else None


@lru_cache(maxsize=65536)  # every record's URL is compared several times
def linkedin_key(url: str) -> str | None:
    """A LinkedIn profile URL compared by its slug: scheme, host, trailing slash, query and
    percent-encoding do not matter. None for anything else."""
    text = url.strip().replace("\\:", ":")
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        return None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() not in ("in", "pub"):
        return None
    return "/".join(s.casefold() for s in segments[:2] if s)


def linkedin_url(text: str) -> str:
    """The URL as the source gives it, unescaped and trimmed; a scheme added if missing."""
    url = text.strip().replace("\\:", ":")
    return url if "://" in url else "https://" + url.lstrip("/")


# Labels that the address book keeps for itself, not the user's groups.
SYSTEM_LABELS = frozenset(
    {
        "mycontacts",
        "my contacts",
        "starred",
        "starred in android",
        "friends_and_family_system",
        "coworkers_system",
        "family_system",
        "friends_system",
        "contacts",
        "all contacts",
        "card",
    }
)
_TAG_UNSAFE = re.compile(r"[^\w/-]+")


def tag_of(label: str) -> str | None:
    """An Obsidian tag for an address-book label (`My Friends` -> `My-Friends`); None for
    system labels and what cannot be a tag."""
    text = clean_text(label).lstrip("*# ").strip()
    folded = text.casefold()
    if not text or folded in SYSTEM_LABELS or folded.startswith(("imported on ", "system group")):
        return None
    tag = _TAG_UNSAFE.sub("-", text).strip("-/")
    if not tag or tag.isdigit():
        return None
    return tag


# --- dates -----------------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january", "januar", "janvier"),
            ("feb", "february", "februar", "fév", "févr", "fevrier", "février"),
            ("mar", "march", "märz", "maerz", "mars"),
            ("apr", "april", "avril"),
            ("may", "mai"),
            ("jun", "june", "juni", "juin"),
            ("jul", "july", "juli", "juil", "juillet"),
            ("aug", "august", "août", "aout"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "okt", "oktober", "octobre"),
            ("nov", "november", "novembre"),
            ("dec", "december", "dez", "dezember", "déc", "décembre"),
        ),
        1,
    )
    for m in names
}
_ISO = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_YEARLESS = re.compile(r"--(\d{2})-?(\d{2})")
_SLASHED = re.compile(r"(\d{1,2})([/.])(\d{1,2})\2(\d{2}|\d{4})(?:,?\s+\d{1,2}:\d{2}.*)?")
_WORDY = re.compile(r"(\d{1,2})[ -]([^\W\d_]{3,9})\.?[ -](\d{2}|\d{4})")
_WORDY_US = re.compile(r"([^\W\d_]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})")
# The year Apple writes for a birthday without one (X-APPLE-OMIT-YEAR=1604).
APPLE_NO_YEAR = 1604


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # Excel's `5-Jan-26`, LinkedIn 2018's `1/8/18`
        year += 2000 if year < 70 else 1900
    return year


def _birthday(year: int | None, month: int, day: int) -> Birthday | None:
    try:
        date(year if year is not None else 2000, month, day)  # 2000: 29 February exists
    except ValueError:
        return None
    return Birthday(month, day, year)


def parse_day(text: str, *, day_first: bool = False) -> Birthday | None:
    """A date as exports write it, with or without the year; None when it is no date.

    `1988-04-02`, `19880402`, `1988-04-02T00:00:00Z`, `--0412`, `--04-12`, Apple's `1604-…`,
    `22 Dec 2025`, `5-Jan-26`, `Dec 22, 2025`, and `M/D/YYYY` (Outlook US, LinkedIn 2018;
    `D.M.YYYY` with dots, or with `day_first`).
    """
    text = text.strip()
    if not text:
        return None
    if match := _YEARLESS.fullmatch(text):
        return _birthday(None, int(match.group(1)), int(match.group(2)))
    if match := _ISO.fullmatch(text):
        year = int(match.group(1))
        found = _birthday(year, int(match.group(2)), int(match.group(3)))
        if found is not None and year == APPLE_NO_YEAR:
            return found._replace(year=None)
        return found if found is not None and year > 0 else None
    if match := _SLASHED.fullmatch(text):
        first, second = int(match.group(1)), int(match.group(3))
        month, day = (second, first) if day_first or match.group(2) == "." else (first, second)
        if month > 12 and day <= 12:
            month, day = day, month
        return _birthday(_year(match.group(4)), month, day)
    if match := _WORDY.fullmatch(text):
        named = _MONTHS.get(match.group(2).casefold())
        return _birthday(_year(match.group(3)), named, int(match.group(1))) if named else None
    if match := _WORDY_US.fullmatch(text):
        named = _MONTHS.get(match.group(1).casefold())
        return _birthday(int(match.group(3)), named, int(match.group(2))) if named else None
    return None


def parse_full_date(text: str) -> date | None:
    """A date with its year (LinkedIn's `Connected On`); None otherwise."""
    found = parse_day(text)
    if found is None or found.year is None:
        return None
    return date(found.year, found.month, found.day)
