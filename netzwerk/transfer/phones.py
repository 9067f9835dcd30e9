"""Phone numbers and countries, through the `phonenumbers` library (Google's libphonenumber).

A national number (`0170 1234567`) means nothing without its country: the record's own
address country is asked first (a UK mobile number read with region DE is a *valid* German
number), then the vault's `phone_region`. Numbers are always text, never YAML numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import phonenumbers

from netzwerk.text import fold

_DIGITS = re.compile(r"\d")


def clean_phone(text: str) -> str:
    """The number as written, minus a `tel:` prefix and doubled spaces."""
    text = text.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
        if ";ext=" in text:
            text = text.replace(";ext=", " ext. ")
    return " ".join(text.split())


def is_national(text: str) -> bool:
    """Written without its country code (`0170 …`, not `+49 …` or `0049 …`)."""
    stripped = text.lstrip("( ")
    return not stripped.startswith(("+", "00"))


def phone_for_note(text: str, regions: Iterable[str]) -> str:
    """The number as the note gets it: a national number in international form when one of
    `regions` (the record's countries, then the vault's region) reads it as a valid number,
    `0049 151 …` as `+49 151 …` (the same number, dialled from abroad); everything else as
    written."""
    number = clean_phone(text)
    if number.lstrip("( ").startswith("+"):
        return number
    parsed = _read(number, regions)
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        return number
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def phone_key(text: str, regions: Iterable[str] = ()) -> str:
    """How numbers are compared: E.164 when the number says its country or one of `regions`
    reads it as a valid number (`0151 …` in Germany is `+49 151 …`), else its digits."""
    number = clean_phone(text)
    parsed = _read(number, regions)
    if parsed is not None:
        key = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        return f"{key};{parsed.extension}" if parsed.extension else str(key)
    return "".join(_DIGITS.findall(number)) or number.casefold()


def _read(number: str, regions: Iterable[str]) -> phonenumbers.PhoneNumber | None:
    """The number by its own country code (`+49`, `0049`), else in the first of `regions`
    that reads it as a valid number; None when neither does."""
    if not is_national(number):
        return _parse(_plus(number), None)
    for region in regions:
        parsed = _parse(number, region)
        if parsed is not None and phonenumbers.is_valid_number(parsed):
            return parsed
    return None


def _plus(number: str) -> str:
    """`0049 …` (the international prefix most of the world dials) as `+49 …`."""
    stripped = number.lstrip("( ")
    return "+" + stripped[2:] if stripped.startswith("00") else number


def number_countries(numbers: Iterable[str]) -> list[str]:
    """The countries of the numbers written with their country code (`+34 …` -> ES): a
    record's own hint for its national numbers."""
    found: list[str] = []
    for text in numbers:
        parsed = _read(clean_phone(text), ())
        region = phonenumbers.region_code_for_number(parsed) if parsed is not None else None
        if region and region != "ZZ" and region not in found:
            found.append(region)
    return found


@lru_cache(maxsize=4096)
def _parse(number: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Country names in the languages phonenumbers knows (`Deutschland`, `Germany`) -> code."""
    from phonenumbers.geodata.locale import LOCALE_DATA

    names: dict[str, str] = {}
    for code, by_language in LOCALE_DATA.items():
        for name in by_language.values():
            if name and not name.startswith("*"):
                names.setdefault(fold(name), code)
    # What address books write besides phonenumbers' names (`U.S.A.` and `U.K.` lose their
    # dots before the look-up).
    names.update(
        {
            "usa": "US",
            "us": "US",
            "united states of america": "US",
            "uk": "GB",
            "england": "GB",
            "scotland": "GB",
            "wales": "GB",
            "great britain": "GB",
            "uae": "AE",
            "russian federation": "RU",
            "holland": "NL",
        }
    )
    return names


def country_code(text: str) -> str | None:
    """The ISO code of a country written as a code (`de`, `DE`) or a name (`Deutschland`)."""
    text = " ".join(text.strip().strip(".").split())
    if not text:
        return None
    names = _country_names()
    key = fold(text)
    found = names.get(key) or names.get(key.replace(".", "")) or names.get(key.removeprefix("the "))
    if found is not None:
        return found
    code = text.upper()
    return code if len(code) == 2 and code in phonenumbers.SUPPORTED_REGIONS else None


def region_known(code: str) -> bool:
    """Whether phonenumbers knows the region `code` (`DE`)."""
    return code.upper() in phonenumbers.SUPPORTED_REGIONS
