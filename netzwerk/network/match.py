"""Matching text by meaning rather than letters: folded words, English and German stems, stop
words. Used by introductions (needs against offers), `path` targets and `find`."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from netzwerk.model import Contact
from netzwerk.text import fold, fold_text

WORD = re.compile(r"[^\W_]+")

# Compact stop-word lists, folded (no accents). Besides grammar words they hold the words
# people use to frame a need or an offer ("looking for", "can help with", "introductions to"),
# which would otherwise match every other offer.
_STOP_EN_WORDS = """
    a an the and or but of in on at to for with from by about as into onto over under near
    is are was be been being am do does did has have had it its this that these those there
    i me my we us our you your he him his she her they them their who whom which what
    some any someone somebody something anyone more most very also just not no so than too
    can could would will should may might must need needs needed needing want wants wanted
    looking look find finding get getting help helps helping good great new like
    knows know recommends recommend introductions introduction intro intros contact contacts
    lot lots other others own one two
"""
_STOP_DE_WORDS = """
    der die das den dem des ein eine einen einem einer eines und oder aber in im an am auf
    fur mit von vom zu zum zur bei nach aus uber um als ist sind war sein ich mich mir wir uns
    du dich dir er ihn ihm sie ihr ihre ihren es man jemand jemanden jemandem etwas mehr sehr
    auch nicht kein keine so wie kann konnen konnte braucht brauche brauchen sucht suche suchen
    hilfe hilft helfen gut gute guten guter neu neue neuen neuer kennt kenne empfiehlt kontakt
    kontakte vermittelt vermittlung
"""
STOP_WORDS = frozenset(_STOP_EN_WORDS.split()) | frozenset(_STOP_DE_WORDS.split())


@lru_cache(maxsize=1)
def _stemmers() -> tuple[Any, Any]:
    import snowballstemmer  # lazily: only the commands that match text need it

    return snowballstemmer.stemmer("english"), snowballstemmer.stemmer("german")


@lru_cache(maxsize=65536)
def stems(word: str) -> frozenset[str]:
    """A folded word's English and German stems; two words match when these intersect."""
    english, german = _stemmers()
    return frozenset((english.stemWord(word), german.stemWord(word)))


_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


def words(text: str) -> list[str]:
    """Content words of a text: folded, at least two letters, no stop words; `co-working` is
    one word, as `coworking`."""
    folded = _HYPHEN.sub("", fold_text(text))
    return [w for w in WORD.findall(folded) if len(w) > 1 and w not in STOP_WORDS]


@lru_cache(maxsize=65536)
def phrase_stems(text: str) -> tuple[frozenset[str], ...]:
    """The stems of each content word of a phrase, in order (phrases repeat: cache them)."""
    return tuple(stems(w) for w in words(text))


class TextQuery:
    """A search text: a folded substring, or every content word matched by stem."""

    __slots__ = ("folded", "prefixes", "stems")

    def __init__(self, text: str) -> None:
        self.folded = fold_text(text).strip()
        self.stems = [stems(w) for w in words(text)]
        # A stem is nearly always a prefix of the word it came from; its first few letters
        # are a cheap filter before tokenising a long text.
        self.prefixes = [tuple({s[:4] for s in found}) for found in self.stems]

    def matches(self, text: str) -> bool:
        return self.matches_folded(fold_text(text))

    def matches_folded(self, folded: str) -> bool:
        """`matches` for a text folded already (`fold_text`)."""
        if self.folded and self.folded in folded:
            return True
        if not self.stems:
            return False
        if not all(any(p in folded for p in prefixes) for prefixes in self.prefixes):
            return False
        present: set[str] = set()
        for word in WORD.findall(folded):
            present |= stems(word)
        return all(found & present for found in self.stems)


def name_key(name: str) -> tuple[str, str]:
    """How people are sorted by name: ignoring case and accents, then as written."""
    return (fold(name), name)


def quote(text: str, width: int = 60) -> str:
    """One line of at most `width` characters."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# The fields `path` and `find` look in, and how a match in each is named.
TEXT_FIELDS = ("company", "role", "tags", "location", "needs", "offers", "interests")
FIELD_LABEL = {
    "company": "company",
    "role": "role",
    "tags": "tag",
    "location": "location",
    "needs": "needs",
    "offers": "offers",
    "interests": "interest",
    "aliases": "alias",
}


def field_values(contact: Contact, field: str) -> tuple[str, ...]:
    """A field's values as text (none, one or a list)."""
    value = getattr(contact, field)
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (str(value),)


def search_text(contact: Contact) -> str:
    """Everything `find` and `path` search in a contact, folded (`fold_text`), a field a line."""
    parts = [*contact.names, *contact.tags, *contact.interests, *contact.needs, *contact.offers]
    parts += [*contact.email, *contact.phone, *contact.address]
    parts += [v for v in (contact.display, contact.company, contact.role, contact.location) if v]
    # Folding goes letter by letter, so the parts are folded one by one: the short ones (names,
    # tags, places, which repeat across a vault) once each.
    folded = [_fold_part(part) for part in parts]
    folded.append(fold_text(contact.body))
    return "\n".join(folded)


def find_terms(text: str | None) -> list[str]:
    """The words `find` looks for, folded: a contact matches when its search text holds every
    one."""
    return fold_text(text or "").split()


@lru_cache(maxsize=65536)
def _fold_part(text: str) -> str:
    return fold_text(text)


def text_match(contact: Contact, query: TextQuery) -> str | None:
    """Which field of `contact` matches `query`, in words; None when none does."""
    for name in contact.names:
        if query.matches(name):
            return f"name '{name}'"
    for field in TEXT_FIELDS:
        for value in field_values(contact, field):
            if query.matches(value):
                return f"{FIELD_LABEL[field]} '{quote(value)}'"
    if contact.body and query.matches(contact.body):
        return "note text"
    return None
