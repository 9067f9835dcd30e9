"""Introductions worth making: one person's needs matched with another's offers, tags, role,
company or place, by word stems; pairs already introduced are left out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from netzwerk.model import Contact, Snapshot
from netzwerk.network.match import WORD, field_values, phrase_stems
from netzwerk.text import fold, fold_text

# How much a match in each of the giver's fields is worth: what someone offers is the point.
FIELD_WEIGHTS = {"offers": 3.0, "role": 2.0, "tags": 2.0, "company": 1.0, "location": 1.0}
_GIVER_FIELDS = tuple(FIELD_WEIGHTS)
_VERB = {
    "offers": "offers",
    "role": "works as",
    "tags": "is tagged",
    "company": "works at",
    "location": "is based in",
}


class Intro(NamedTuple):
    """An introduction worth making: `giver` may help with what `needer` needs."""

    needer: Contact
    giver: Contact
    need: str
    match: str  # the giver's offer, tag, role, company or location that matched
    field: str  # offers | role | tags | company | location
    score: float
    reason: str
    also: str | None = None  # the giver's next best matching phrase, if any

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "needer": self.needer.name,
            "giver": self.giver.name,
            "need": self.need,
            "match": self.match,
            "field": self.field,
            "also": self.also,
            "score": self.score,
            "reason": self.reason,
        }


def _phrase_score(need: Sequence[frozenset[str]], phrase: Sequence[frozenset[str]]) -> float:
    """Shared words: each matched word, the share of the need covered, and adjacent pairs."""
    matched = [i for i, stems in enumerate(need) if any(stems & s for s in phrase)]
    if not matched:
        return 0.0
    score = len(matched) + len(matched) / len(need)
    # Two need words side by side in the phrase too are a phrase-level match.
    for i in matched:
        if i + 1 in matched:
            for j in range(len(phrase) - 1):
                if need[i] & phrase[j] and need[i + 1] & phrase[j + 1]:
                    score += 0.5
                    break
    return score


class _IntroIndex:
    """The givers' phrases (offers, tags, role, company, location), indexed by stem."""

    def __init__(self, contacts: Sequence[Contact]) -> None:
        holders: dict[tuple[str, str], list[int]] = {}
        for number, contact in enumerate(contacts):
            for field in _GIVER_FIELDS:
                value = getattr(contact, field)
                if not value:
                    continue
                for text in value if isinstance(value, tuple) else (value,):
                    holders.setdefault((field, text), []).append(number)
        # Distinct phrases, best field first so that a tie between fields goes to offers.
        self.phrases: list[tuple[str, str, tuple[frozenset[str], ...], list[int]]] = []
        self.by_stem: dict[str, list[int]] = {}
        for (field, text), givers in sorted(
            holders.items(), key=lambda h: (_GIVER_FIELDS.index(h[0][0]), h[0][1])
        ):
            stems = phrase_stems(text)
            if not stems:
                continue
            position = len(self.phrases)
            self.phrases.append((field, text, stems, givers))
            for stem in frozenset().union(*stems):
                self.by_stem.setdefault(stem, []).append(position)
        self.stems = frozenset(self.by_stem)
        self._ranked: dict[tuple[frozenset[str], ...], list[tuple[float, int, int, int]]] = {}

    def ranked(
        self, need: tuple[frozenset[str], ...], order: Sequence[int]
    ) -> list[tuple[float, int, int, int]]:
        """(score, giver, best phrase, next phrase or -1) per giver matching `need`, best first.

        A giver's score is their best phrase's plus half their second best: someone who offers
        "venues on the Côte d'Azur" and "organises art exhibitions" fits better than either.
        """
        found = self._ranked.get(need)
        if found is not None:
            return found
        positions: set[int] = set()
        for stem in frozenset().union(*need):
            positions.update(self.by_stem.get(stem, ()))
        scored = []
        for position in positions:
            field, _, stems, _ = self.phrases[position]
            score = round(FIELD_WEIGHTS[field] * _phrase_score(need, stems), 2)
            scored.append((-score, position))
        scored.sort()
        best: dict[int, list[tuple[float, int]]] = {}
        for negative, position in scored:
            for giver in self.phrases[position][3]:
                phrases = best.setdefault(giver, [])
                if len(phrases) < 2:
                    phrases.append((-negative, position))
        found = []
        for giver, ((score, first), *rest) in best.items():
            second = rest[0] if rest else (0.0, -1)
            found.append((round(score + second[0] / 2, 2), giver, first, second[1]))
        found.sort(key=lambda r: (-r[0], order[r[1]]))
        self._ranked[need] = found
        return found


def intros(
    snapshot: Snapshot,
    *,
    per_need: int | None = 3,
    name: str | None = None,
    limit: int | None = None,
) -> list[Intro]:
    """Introductions worth making: needs matched with others' offers, tags, role, company, place.

    One row per (needer, giver, need) with the giver's best-matching phrase; at most
    `per_need` givers per need (None: all); with `name` (a contact's title), only rows where
    that contact needs or gives. Sorted by score, then needer, giver and need; `limit` rows.
    """
    contacts = [c for c in snapshot.contacts if c.died is None]  # (no one introduces the dead)
    if not any(c.needs for c in contacts):
        return []
    order = range(len(contacts))  # a snapshot holds its contacts in name order
    index = _IntroIndex(contacts)
    named: int | None = None
    named_stems: frozenset[str] = frozenset()
    if name is not None:
        numbers = [i for i, c in enumerate(contacts) if c.name == name]
        if not numbers:
            return []
        named = numbers[0]
        for field in _GIVER_FIELDS:
            for text in field_values(contacts[named], field):
                named_stems = named_stems.union(*phrase_stems(text))
    has_intro = {i for i, c in enumerate(contacts) if any(e.kind == "intro" for e in c.log)}
    memo: dict[str, tuple[set[str], str]] = {}

    rows: list[tuple[float, int, int, str, int, int, int, int]] = []
    for needer_number, needer in enumerate(contacts):
        for need in needer.needs:
            key = phrase_stems(need)
            if not key:
                continue
            # With `name`, only needs this contact could help with can give rows about them.
            if named not in (None, needer_number) and not any(k & named_stems for k in key):
                continue
            taken = 0
            for score, giver_number, position, second in index.ranked(key, order):
                if per_need is not None and taken >= per_need:
                    break
                giver = contacts[giver_number]
                if giver_number == needer_number or giver.name == needer.name:
                    continue
                if (needer_number in has_intro or giver_number in has_intro) and _introduced(
                    needer, giver, snapshot, memo
                ):
                    continue
                taken += 1
                if named is None or named in (needer_number, giver_number):
                    rows.append(
                        (
                            -score,
                            order[needer_number],
                            order[giver_number],
                            need,
                            needer_number,
                            giver_number,
                            position,
                            second,
                        )
                    )
    rows.sort()
    if limit is not None:
        rows = rows[:limit]
    result = []
    for negative, _, _, need, needer_number, giver_number, position, second in rows:
        needer, giver = contacts[needer_number], contacts[giver_number]
        field, text, _, _ = index.phrases[position]
        reason = f"{needer.name} needs '{need}'; {giver.name} {_VERB[field]} '{text}'"
        also: str | None = None
        if second >= 0:
            also_field, also, _, _ = index.phrases[second]
            verb = "" if also_field == field else f"{_VERB[also_field]} "
            reason += f" and {verb}'{also}'"
        result.append(Intro(needer, giver, need, text, field, -negative, reason, also))
    return result


def _introduced(
    a: Contact, b: Contact, snapshot: Snapshot, memo: dict[str, tuple[set[str], str]]
) -> bool:
    """Whether an `intro` log line in either note links or names the other."""
    return _intro_names(a, b, snapshot, memo) or _intro_names(b, a, snapshot, memo)


def _intro_names(
    owner: Contact, other: Contact, snapshot: Snapshot, memo: dict[str, tuple[set[str], str]]
) -> bool:
    known = memo.get(owner.name)
    if known is None:
        linked: set[str] = set()
        texts: list[str] = []
        for entry in owner.log:
            if entry.kind != "intro":
                continue
            for target in entry.links:
                contact = snapshot.resolve(target)
                if contact is not None:
                    linked.add(contact.name)
            texts.append(" ".join(WORD.findall(fold_text(entry.text))))
        known = (linked, " " + " | ".join(texts) + " ")
        memo[owner.name] = known
    linked, text = known
    if other.name in linked:
        return True
    if not text.strip():
        return False
    # A name written out ("introduced her to Paul Martin") counts too, as whole words.
    for written in other.names:
        words = " ".join(WORD.findall(fold(written)))
        if words and f" {words} " in text:
            return True
    return False


def intro_inputs(contact: Contact) -> tuple[object, ...]:
    """Everything of one contact that `intros` reads: a hash of every contact's is the key of
    the introductions kept for a vault."""
    intro_lines = tuple([(e.text, e.links) for e in contact.log if e.kind == "intro"])
    return (
        contact.path,
        contact.name,
        contact.aliases,
        contact.needs,
        contact.offers,
        contact.tags,
        contact.role,
        contact.company,
        contact.location,
        intro_lines,
        contact.died is not None,
    )
