"""Finding people (`find`) and everything known about one of them (`show`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple

from netzwerk.config import Config
from netzwerk.model import (
    KNOWN_KEYS,
    LIST_KEYS,
    Contact,
    Duration,
    Facts,
    LastContact,
    LogEntry,
    Snapshot,
    Tier,
)
from netzwerk.network.graph import KIND_RANK, Chain, Graph, Via, build_graph, edge_via
from netzwerk.network.intros import Intro, intros
from netzwerk.network.match import WORD, field_values, find_terms, name_key, search_text
from netzwerk.network.review import Balance, balance_of
from netzwerk.schedule import cadence_of, next_due
from netzwerk.text import fold, fold_text

_FIND_FIELDS = (
    "tags", "company", "role", "location", "email", "phone", "address", "interests", "needs",
    "offers",
)  # fmt: skip
_LIST_KEYS = tuple(k for k in KNOWN_KEYS if k in LIST_KEYS)
_SCALAR_KEYS = tuple(k for k in KNOWN_KEYS if k not in LIST_KEYS)


class Hit(NamedTuple):
    """A contact found by `find`, with where the text matched."""

    contact: Contact
    rank: int  # 0 the name, 1 words of the name, 2 in the name, 3 in properties, 4 in the body
    fields: tuple[str, ...]  # where the text matched: name, alias, tags, company, …, body

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "name": self.contact.name,
            "path": self.contact.path,
            "tier": self.contact.tier,
            "matched": list(self.fields),
        }


def _tag_key(tag: str) -> str:
    return fold(tag.strip().lstrip("#"))


def _has_tag(contact: Contact, wanted: str) -> bool:
    key = _tag_key(wanted)
    return any((t := _tag_key(tag)) == key or t.startswith(key + "/") for tag in contact.tags)


def _key_values(contact: Contact, key: str) -> tuple[str, ...] | None:
    """The values of a netzwerk key as text; None when `key` is not one of netzwerk's keys."""
    if key == "name":
        return (contact.name, contact.display) if contact.display else (contact.name,)
    if key in _LIST_KEYS:
        values: tuple[str, ...] = getattr(contact, key)
        return values
    if key in _SCALAR_KEYS:
        value = getattr(contact, key)
        if value is None or (key == "paused" and "paused" not in contact.lines):
            return ()
        if isinstance(value, bool):
            return ("true" if value else "false",)
        if key == "died" and not value:
            return ("true",)  # (`died: true`: the day is not known)
        if isinstance(value, date):
            return (value.isoformat(),)
        return (str(value),)
    return None


def _where_matches(contact: Contact, key: str, value: str, vault_keys: Mapping[str, str]) -> bool:
    wanted = fold_text(value).strip()
    folded_key = key.strip().lower()
    own_key = vault_keys.get(folded_key, folded_key)
    values = _key_values(contact, own_key)
    if values is None:
        values = tuple(v for k, v in contact.extra.items() if k.strip().lower() == folded_key)
    if own_key == "tags":
        return _has_tag(contact, value) if wanted else bool(values)
    return any(wanted in fold_text(v) for v in values)


def find_hits(
    snapshot: Snapshot,
    text: str | None,
    *,
    tags: Sequence[str] = (),
    tier: str | None = None,
    where: Sequence[tuple[str, str]] = (),
    config: Config | None = None,
) -> list[Hit]:
    """Contacts matching TEXT (every word, anywhere) and the filters; name matches first."""
    vault_keys: dict[str, str] = {}
    if config is not None:
        vault_keys = {prop.lower(): key for key, prop in config.keys.items()}
    wanted_tier = fold(tier) if tier is not None else None
    terms = find_terms(text)
    phrase = " ".join(terms)
    hits: list[Hit] = []
    for contact in snapshot.contacts:
        if wanted_tier is not None and fold(contact.tier or "") != wanted_tier:
            continue
        if tags and not all(_has_tag(contact, t) for t in tags):
            continue
        if where and not all(_where_matches(contact, k, v, vault_keys) for k, v in where):
            continue
        if not terms:
            hits.append(Hit(contact, 0, ()))
            continue
        everything = search_text(contact)
        if not all(t in everything for t in terms):
            continue
        hits.append(_text_hit(contact, phrase, terms))
    hits.sort(key=lambda h: (h.rank, name_key(h.contact.name)))
    return hits


def _text_hit(contact: Contact, phrase: str, terms: Sequence[str]) -> Hit:
    """How well a contact that holds every term matches: by name, properties or body."""
    names = [("name", fold(contact.name))] + [("alias", fold(a)) for a in contact.aliases]
    if contact.display:
        names.append(("name", fold(contact.display)))
    haystacks = list(names)
    for field in _FIND_FIELDS:
        haystacks += [(field, fold_text(v)) for v in field_values(contact, field)]
    name_words = {w for _, h in names for w in WORD.findall(h)}
    if any(h == phrase for _, h in names):
        rank = 0
    elif all(t in name_words for t in terms):
        rank = 1
    elif all(any(t in h for _, h in names) for t in terms):
        rank = 2
    elif all(any(t in h for _, h in haystacks) for t in terms):
        rank = 3
    else:
        rank = 4
    fields = list(dict.fromkeys(f for f, h in haystacks if any(t in h for t in terms)))
    if rank == 4:
        fields.append("body")
    return Hit(contact, rank, tuple(fields))


# --------------------------------------------------------------------------- card


class Connection(NamedTuple):
    """Someone a contact is connected to, and why."""

    name: str
    contact: Contact | None
    via: Via
    reason: str

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {"name": self.name, "reason": self.reason, **self.via.as_dict()}


class Card(NamedTuple):
    """Everything `show NAME` prints about one contact."""

    contact: Contact
    tier: Tier | None
    cadence: Duration | None
    last: LastContact | None
    next_due: date | None
    balance: Balance
    recent_log: tuple[LogEntry, ...]
    connections: tuple[Connection, ...]
    intros: tuple[Intro, ...]
    paths: tuple[Chain, ...] = ()  # for someone you want to meet: warm introductions to them

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        c = self.contact
        last = self.last
        return {
            "name": c.name,
            "path": c.path,
            "tier": c.tier,
            "tier_label": self.tier.label if self.tier else None,
            "cadence": str(self.cadence) if self.cadence else None,
            "last_contact": (
                {
                    "date": last.date.isoformat(),
                    "source": last.source,
                    "path": last.path,
                    "line": last.line,
                    "text": last.text,
                }
                if last is not None
                else None
            ),
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "properties": _properties(c),
            "balance": self.balance.as_dict(),
            "recent_log": [
                {"date": e.date.isoformat(), "kind": e.kind, "text": e.text, "line": e.line}
                for e in self.recent_log
            ],
            "connections": [x.as_dict() for x in self.connections],
            "intros": [i.as_dict() for i in self.intros],
            "paths": [c.as_dict() for c in self.paths],
        }


def _properties(contact: Contact) -> dict[str, object]:
    """The contact's set properties, in netzwerk's key order, plus unknown keys."""
    out: dict[str, object] = {}
    for key in (*_SCALAR_KEYS, *_LIST_KEYS):
        if key == "name":  # only a name the title does not already say
            values: tuple[str, ...] | None = (contact.display,) if contact.display else ()
        else:
            values = _key_values(contact, key)
        if values:
            out[key] = list(values) if key in _LIST_KEYS else values[0]
    for key in sorted(contact.extra):
        out[key] = contact.extra[key]
    return out


def card(
    snapshot: Snapshot,
    config: Config,
    today: date,
    contact: Contact,
    person: Facts,
    *,
    graph: Graph | None = None,
    introductions: Sequence[Intro] | None = None,
) -> Card:
    """The data for `show NAME` (`person`: the contact's Facts; `introductions`: theirs, when
    the caller has them already)."""
    graph = graph if graph is not None else build_graph(snapshot)
    connections = tuple(
        sorted(
            (
                Connection(other, graph.contact(other), via, via.describe(contact.name, other))
                for other, edge in graph.adjacency.get(contact.name, {}).items()
                if (via := edge_via(edge)) is not None
            ),
            key=lambda x: (KIND_RANK[x.via.kind], name_key(x.name)),
        )
    )
    recent = tuple(sorted(contact.log, key=lambda e: (e.date, e.line), reverse=True)[:5])
    return Card(
        contact=contact,
        tier=config.tier(contact.tier),
        cadence=cadence_of(person, config),
        last=person.last,
        next_due=next_due(person, config, person.last, today),
        balance=balance_of(person, today),
        recent_log=recent,
        connections=connections,
        intros=tuple(
            introductions if introductions is not None else intros(snapshot, name=contact.name)
        ),
    )
