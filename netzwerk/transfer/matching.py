"""Which note a record belongs to. One person, one note: a record matches a contact by any
e-mail address (ignoring case), then by LinkedIn URL (normalised), then by title or alias
(ignoring case and accents, never by similarity). A same-named record whose e-mails or URLs
all differ from the note's is another person. Similar names are only reported. An e-mail
address shared by two people (a household's, an office's) leads only to the one whose name
the record could be: Bernd is never written into Anna's note.

The index holds every contact of the vault and every note the import plans, with what
earlier records taught it, so that a person met twice in one import is still one note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from netzwerk.model import Contact
from netzwerk.text import fold
from netzwerk.transfer.record import Record, linkedin_key


class Person:
    """A note records go into: a contact of the vault, or a note the import creates."""

    __slots__ = ("contact", "display", "emails", "number", "path", "records", "title", "urls")

    def __init__(self, number: int, contact: Contact | None, title: str, display: str, path: str):
        self.number = number  # creation order: sorting people by it is deterministic
        self.contact = contact
        self.title = title
        self.display = display  # the person's name (the title may carry more)
        self.path = path  # relative to the vault
        self.emails: set[str] = {e.casefold() for e in contact.email} if contact else set()
        key = linkedin_key(contact.linkedin) if contact and contact.linkedin else None
        self.urls: set[str] = {key} if key else set()
        self.records: list[Record] = []

    def __repr__(self) -> str:
        return f"Person({self.path!r})"

    def conflicts(self, record: Record) -> bool:
        """The record has e-mails (or a LinkedIn URL) and so does the note, and none agree."""
        emails = {e.casefold() for e in record.emails}
        if emails and self.emails and not emails & self.emails:
            return True
        url = linkedin_key(record.linkedin) if record.linkedin else None
        return bool(url and self.urls and url not in self.urls)


class Match(NamedTuple):
    """What a record matched: a person and by which rule; or nobody, with the same-named
    people it is not (`others`); or several people (`ambiguous`)."""

    person: Person | None
    rule: str  # "e-mail", "LinkedIn URL", "name"; "" for nobody
    others: tuple[Person, ...] = ()
    ambiguous: tuple[Person, ...] = ()
    shared: tuple[Person, ...] = ()  # people with one of its e-mails but another name


class Index:
    """Every person by e-mail address, LinkedIn URL and folded name."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self.by_email: dict[str, list[Person]] = {}
        self.by_url: dict[str, list[Person]] = {}
        self.by_name: dict[str, list[Person]] = {}

    def add(self, person: Person, names: Iterable[str]) -> None:
        self.people.append(person)
        for email in person.emails:
            _put(self.by_email, email, person)
        for url in person.urls:
            _put(self.by_url, url, person)
        for name in names:
            self.name(person, name)

    def name(self, person: Person, name: str) -> None:
        """`name` (a title, alias or display name) now leads to `person`."""
        key = fold(name)
        if key:
            _put(self.by_name, key, person)

    def learn(self, person: Person, record: Record) -> None:
        """The record belongs to `person`: its e-mails and URL lead there from now on."""
        person.records.append(record)
        for email in record.emails:
            key = email.casefold()
            if key not in person.emails:
                person.emails.add(key)
                _put(self.by_email, key, person)
        url = linkedin_key(record.linkedin) if record.linkedin else None
        if url and url not in person.urls:
            person.urls.add(url)
            _put(self.by_url, url, person)

    def named(self, name: str) -> list[Person]:
        return self.by_name.get(fold(name), [])

    def match(self, record: Record) -> Match:
        """The person a record belongs to, by the first rule that finds anyone."""
        emails = _unique(p for e in record.emails for p in self.by_email.get(e.casefold(), []))
        maybe = [p for p in emails if self._may_be(record, p)]
        if maybe:
            return self._one(maybe, record, "e-mail")
        shared = tuple(emails)
        url = linkedin_key(record.linkedin) if record.linkedin else None
        urls = list(self.by_url.get(url, [])) if url else []
        if urls:
            return self._one(urls, record, "LinkedIn URL")
        named = _unique(self.named(record.name))
        if not named:
            return Match(None, "", shared=shared)
        fitting = [p for p in named if not p.conflicts(record)]
        if not fitting:
            return Match(None, "", others=tuple(named), shared=shared)
        return self._one(fitting, record, "name")

    def _may_be(self, record: Record, person: Person) -> bool:
        """Whether a record with one of `person`'s e-mail addresses may be them: it has no
        name, or one of theirs (title, alias), or the words of one name cover the other's (`Anna
        Schmidt`, `Dr. Anna Schmidt`, `Schmidt, Anna`, `A. Schmidt`), or both begin with the
        same word (a typo in the surname). `Bernd Schmidt` is not `Anna Schmidt`."""
        words = _words(record.name)
        if not words or person in self.named(record.name):
            return True
        for name in (person.title, person.display):
            theirs = _words(name)
            if not theirs or _covers(theirs, words) or _covers(words, theirs):
                return True
            if _alike(_first_word(record.name), _first_word(name)):
                return True
        return False

    def _one(self, found: list[Person], record: Record, rule: str) -> Match:
        if len(found) == 1:
            return Match(found[0], rule)
        # Several: the one whose name is the record's, if only one is.
        key = fold(record.name)
        named = [p for p in found if key in (fold(p.title), fold(p.display))]
        if len(named) == 1:
            return Match(named[0], rule)
        return Match(None, rule, ambiguous=tuple(found))


_WORD = re.compile(r"\w+")


def _words(name: str) -> frozenset[str]:
    return frozenset(_WORD.findall(fold(name)))


def _first_word(name: str) -> str:
    found = _WORD.search(fold(name))
    return found.group() if found else ""


def _alike(one: str, other: str) -> bool:
    """The same word, or one is the other's initial (`m` and `marie`)."""
    if len(one) == 1 or len(other) == 1:
        return bool(one and other) and one[0] == other[0]
    return one == other


def _covers(words: frozenset[str], wanted: frozenset[str]) -> bool:
    """Every word of `wanted` is one of `words` (or an initial of one, or has one as its)."""
    return all(any(_alike(w, have) for have in words) for w in wanted)


def _put(index: dict[str, list[Person]], key: str, person: Person) -> None:
    found = index.setdefault(key, [])
    if person not in found:
        found.append(person)


def _unique(people: Iterable[Person]) -> list[Person]:
    return list(dict.fromkeys(people))


# --- similar names -------------------------------------------------------------------------

MIN_SIMILAR = 5  # shorter names are alike too often to say anything


def _variants(name: str) -> set[str]:
    """The name and the name with one character left out: two names that share a variant
    are at most two edits apart (`katharina schmidt` / `katharina schmitt` share
    `katharina schmit`)."""
    return {name} | {name[:i] + name[i + 1 :] for i in range(len(name))}


class Similar:
    """Names one or two letters apart, found without comparing every pair."""

    def __init__(self, index: Index) -> None:
        self.by_variant: dict[str, set[int]] = {}
        self.by_name = index.by_name
        self.people = {p.number: p for p in index.people}
        for name, people in index.by_name.items():
            if len(name) >= MIN_SIMILAR:
                for variant in _variants(name):
                    self.by_variant.setdefault(variant, set()).update(p.number for p in people)

    def like(self, person: Person, names: Iterable[str]) -> list[Person]:
        """Other people whose name is one or two letters from one of `names` (but not the same
        name: that is a match or a person already reported)."""
        found: set[int] = set()
        keys = {fold(n) for n in names}
        for key in keys:
            if len(key) >= MIN_SIMILAR:
                for variant in _variants(key):
                    found |= self.by_variant.get(variant, set())
        found.discard(person.number)
        exact = {p.number for key in keys for p in self.by_name.get(key, [])}
        return [self.people[n] for n in sorted(found - exact)]
