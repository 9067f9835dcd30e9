"""Who knows whom: the graph, warm-introduction paths, hubs, introductions, balance, review.

Pure functions over a Snapshot: no I/O, no clock ("today" is a parameter), no click.

Decisions, so that every hop can be explained:

- **Nodes** are people. A contact is a node under its title. A `knows` or `introduced_by`
  target that resolves to no contact is a node too, under the link text: those properties name
  people by definition, so "Tom, whom Anna knows" is someone a chain may run through. Links in
  free text (journal notes, log lines) connect only resolved contacts, because free text also
  links places, books and projects.
- **Edges** are undirected and remember their strongest evidence (a `Via`): `knows` (in either
  person's note), `introduced_by`, `log` (a log line in A's note linking B connects A and B; two
  contacts linked in the same log line are connected too), `journal` (two contacts linked in the
  same journal note). A journal link counts only where it counts as contact: an open task
  "- [ ] introduce [[A]] to [[B]]" is a plan, not an acquaintance, and quotes, code and embeds
  are not meetings either.
- The user's **own contacts** are contacts in a configured tier (reserve too) or with an
  effective last contact. A chain starts at one of them and runs through people known only
  from notes; a chain through another own contact would be longer than that contact's own.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any, NamedTuple

from netzwerk.model import (
    CONTACT_KINDS,
    GET_KINDS,
    GIVE_KINDS,
    KNOWN_KEYS,
    Contact,
    Duration,
    LogEntry,
    Snapshot,
    Tier,
    fold,
    link_key,
)

if TYPE_CHECKING:
    from netzwerk.config import Config
    from netzwerk.schedule import LastContact

EDGE_KINDS = ("knows", "introduced_by", "log", "journal")
_KIND_RANK = {kind: rank for rank, kind in enumerate(EDGE_KINDS)}

GIVE_FIRST = "give first"
ONLY_TAKES = "only takes"
ONLY_TAKES_AFTER = 3  # gave this often and never got anything back
RECENT_DAYS = 90  # the window for promotion candidates
PROMOTE_AFTER = 3  # contacts within RECENT_DAYS
PROMOTE_CADENCE_DAYS = 60  # only tiers this slow (or never) are candidates for promotion
SILENT_CADENCES = 3  # silent for this many cadences: a demotion candidate
_GIVE_OR_GET = GIVE_KINDS | GET_KINDS  # the kinds of LogEntry.is_gave and .is_got


# --------------------------------------------------------------------------- text matching

_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_EXTRA_FOLDS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"}
)
_WORD = re.compile(r"[^\W_]+")


def _fold_text(text: str) -> str:
    """`fold()` for long texts (note bodies): the same result, without a per-character loop."""
    if text.isascii():
        return text.lower()
    folded = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))
    # str.translate is slow on non-ASCII text; most text is ASCII once the accents are gone.
    return folded if folded.isascii() else folded.translate(_EXTRA_FOLDS)


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
def _stems(word: str) -> frozenset[str]:
    """A folded word's English and German stems; two words match when these intersect."""
    english, german = _stemmers()
    return frozenset((english.stemWord(word), german.stemWord(word)))


_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


def _words(text: str) -> list[str]:
    """Content words of a text: folded, at least two letters, no stop words; `co-working` is
    one word, as `coworking`."""
    folded = _HYPHEN.sub("", _fold_text(text))
    return [w for w in _WORD.findall(folded) if len(w) > 1 and w not in STOP_WORDS]


class _TextQuery:
    """A search text: a folded substring, or every content word matched by stem."""

    __slots__ = ("folded", "prefixes", "stems")

    def __init__(self, text: str) -> None:
        self.folded = _fold_text(text).strip()
        words = _words(text)
        self.stems = [_stems(w) for w in words]
        # A stem is nearly always a prefix of the word it came from; its first few letters
        # are a cheap filter before tokenising a long text.
        self.prefixes = [tuple({s[:4] for s in stems}) for stems in self.stems]

    def matches(self, text: str) -> bool:
        folded = _fold_text(text)
        if self.folded and self.folded in folded:
            return True
        if not self.stems:
            return False
        if not all(any(p in folded for p in prefixes) for prefixes in self.prefixes):
            return False
        present: set[str] = set()
        for word in _WORD.findall(folded):
            present |= _stems(word)
        return all(stems & present for stems in self.stems)


def _name_key(name: str) -> tuple[str, str]:
    return (fold(name), name)


def _where(path: str, line: int | None) -> str:
    return path if line is None else f"{path}:{line}"


def _quote(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --------------------------------------------------------------------------- graph


# An edge's evidence as stored in the graph; a tuple, so that comparing two pieces of evidence
# is one C-level comparison (strongest first) and building 20,000 edges stays cheap:
# (kind rank, -date ordinal or 0, path, line or 0, owner or "", line, owner, text, date).
_Edge = tuple[int, int, str, int, str, "int | None", "str | None", "str | None", "date | None"]


def _edge(
    kind: str,
    path: str,
    line: int | None,
    owner: str | None,
    text: str | None = None,
    day: date | None = None,
) -> _Edge:
    newer = -day.toordinal() if day is not None else 0
    return (_KIND_RANK[kind], newer, path, line or 0, owner or "", line, owner, text, day)


class Via(NamedTuple):
    """The evidence that two people are connected: what, where and in whose note."""

    kind: str  # knows | introduced_by | log | journal
    path: str
    line: int | None
    owner: str | None = None  # whose note holds it; None for a journal note
    text: str | None = None  # the log line's text
    day: date | None = None  # the log line's or journal note's date

    def describe(self, a: str, b: str) -> str:
        """Why `a` and `b` are connected, in words, with the file and line."""
        where = _where(self.path, self.line)
        owner = self.owner
        other = b if owner == a else a
        if self.kind == "knows":
            return f"{owner} knows {other} (knows in {where})"
        if self.kind == "introduced_by":
            return f"{owner} was introduced by {other} (introduced_by in {where})"
        if self.kind == "log":
            text = f": '{_quote(self.text)}'" if self.text else ""
            if owner in (a, b):
                return f"{owner}'s log mentions {other}{text} ({where})"
            return f"both linked in {owner}'s log{text} ({where})"
        return f"both linked in {where}"

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "kind": self.kind,
            "path": self.path,
            "line": self.line,
            "owner": self.owner,
            "text": self.text,
            "date": self.day.isoformat() if self.day else None,
        }


def _via(edge: _Edge) -> Via:
    return Via(EDGE_KINDS[edge[0]], edge[2], edge[5], edge[6], edge[7], edge[8])


class Graph(NamedTuple):
    """Who knows whom: people as nodes, undirected edges that keep their best evidence."""

    contacts: Mapping[str, Contact]  # node name -> contact; unresolved nodes are absent
    adjacency: Mapping[str, Mapping[str, _Edge]]  # only nodes with at least one edge

    @property
    def nodes(self) -> list[str]:
        """Every node: contacts and people known only by a link, sorted by name."""
        return sorted(set(self.contacts) | set(self.adjacency), key=_name_key)

    def contact(self, node: str) -> Contact | None:
        """The contact behind a node; None for someone known only by a link."""
        return self.contacts.get(node)

    def neighbours(self, node: str) -> list[str]:
        """The people `node` is connected to, sorted by name."""
        return sorted(self.adjacency.get(node, {}), key=_name_key)

    def via(self, a: str, b: str) -> Via | None:
        """The best evidence that `a` and `b` are connected."""
        edge = self.adjacency.get(a, {}).get(b)
        return None if edge is None else _via(edge)


def build_graph(snapshot: Snapshot) -> Graph:
    """The who-knows-whom graph of a snapshot (see the module docstring for the rules)."""
    contacts = {c.name: c for c in snapshot.contacts}
    adjacency: dict[str, dict[str, _Edge]] = {}
    nodes: dict[str, str | None] = {}  # link target -> contact name, None for no contact
    unresolved: dict[str, str] = {}  # link key -> the first spelling seen

    def node_of(target: str, free_text: bool) -> str | None:
        if target in nodes:
            found = nodes[target]
        else:
            contact = snapshot.resolve(target)
            found = nodes[target] = contact.name if contact is not None else None
        if found is not None or free_text:
            return found
        key = link_key(target)
        return unresolved.setdefault(key, target.strip()) if key else None

    def connect(a: str, b: str, edge: _Edge) -> None:
        if a == b:
            return
        edges = adjacency.get(a)
        if edges is None:  # (setdefault would make an empty dict on every call)
            edges = adjacency[a] = {}
        old = edges.get(b)
        if old is None or edge < old:
            edges[b] = edge
            other = adjacency.get(b)
            if other is None:
                other = adjacency[b] = {}
            other[a] = edge

    for contact in snapshot.contacts:
        name = contact.name
        lines = contact.lines
        for index, target in enumerate(contact.knows):
            other = node_of(target, free_text=False)
            if other is not None:
                line = lines.get(f"knows[{index}]") or lines.get("knows")
                connect(name, other, _edge("knows", contact.path, line, name))
        if contact.introduced_by:
            other = node_of(contact.introduced_by, free_text=False)
            if other is not None:
                line = lines.get("introduced_by")
                connect(name, other, _edge("introduced_by", contact.path, line, name))
        for entry in contact.log:
            if not entry.links:
                continue
            linked = _distinct(node_of(t, free_text=True) for t in entry.links)
            if not linked:
                continue
            edge = _edge("log", contact.path, entry.line, name, entry.text, entry.date)
            for i, a in enumerate(linked):
                connect(name, a, edge)
                for b in linked[i + 1 :]:
                    connect(a, b, edge)

    for journal in snapshot.journals:
        first_line: dict[str, int] = {}
        for mention in journal.mentions:
            if not mention.counts:
                continue
            person = node_of(mention.target, free_text=True)
            if person is not None and person not in first_line:
                first_line[person] = mention.line
        if len(first_line) < 2:
            continue
        people = list(first_line)
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                line = min(first_line[a], first_line[b])
                connect(a, b, _edge("journal", journal.path, line, None, None, journal.date))

    return Graph(contacts, adjacency)


def _distinct(names: Iterable[str | None]) -> list[str]:
    seen: dict[str, None] = {}
    for name in names:
        if name is not None:
            seen.setdefault(name, None)
    return list(seen)


# --------------------------------------------------------------------------- paths


class Hop(NamedTuple):
    """One step of a chain: `source` can introduce you to `to`, and why."""

    source: str
    to: str
    via: Via
    reason: str

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {"from": self.source, "to": self.to, "reason": self.reason, **self.via.as_dict()}


class Chain(NamedTuple):
    """A warm-introduction chain from one of your own contacts to a target person."""

    start: str
    target: str
    people: tuple[str, ...]  # start … target; just (target,) when you know them directly
    hops: tuple[Hop, ...]
    match: str  # why the target matched: "name", "company 'Acme GmbH'", …
    start_tier: str | None
    start_last: date | None

    @property
    def reason(self) -> str:
        """The whole chain in words."""
        if not self.hops:
            return "you know them directly"
        return "; ".join(hop.reason for hop in self.hops)

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "start": self.start,
            "target": self.target,
            "people": list(self.people),
            "hops": [hop.as_dict() for hop in self.hops],
            "length": len(self.hops),
            "match": self.match,
            "start_tier": self.start_tier,
            "start_last_contact": self.start_last.isoformat() if self.start_last else None,
            "reason": self.reason,
        }


_TEXT_FIELDS = ("company", "role", "tags", "location", "needs", "offers", "interests")
_FIELD_LABEL = {
    "company": "company",
    "role": "role",
    "tags": "tag",
    "location": "location",
    "needs": "needs",
    "offers": "offers",
    "interests": "interest",
    "aliases": "alias",
}


def _field_values(contact: Contact, field: str) -> tuple[str, ...]:
    value = getattr(contact, field)
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (str(value),)


def _match_targets(graph: Graph, target: str) -> dict[str, str]:
    """Nodes that TARGET names (by name or alias), else nodes whose notes match it as text."""
    wanted = fold(target.strip().removeprefix("[[").removesuffix("]]"))
    if not wanted:
        return {}
    named: dict[str, str] = {}
    for node, contact in graph.contacts.items():
        if any(fold(n) == wanted for n in contact.names):
            named[node] = "name"
    for node in graph.adjacency:
        if node not in graph.contacts and fold(node) == wanted:
            named[node] = "name"
    if named:
        return named
    query = _TextQuery(wanted)
    found: dict[str, str] = {}
    for name, contact in graph.contacts.items():
        if not query.matches(_search_text(contact)):
            continue
        why = _text_match(contact, query)
        if why is not None:
            found[name] = why
    return found


def matches(snapshot: Snapshot, target: str, *, graph: Graph | None = None) -> dict[str, str]:
    """Everyone TARGET names or matches, with why: tells "nobody matches" from "no chain"."""
    return _match_targets(graph if graph is not None else build_graph(snapshot), target)


def _search_text(contact: Contact) -> str:
    """Everything `find` and `path` search in a contact, one field a line."""
    parts = [*contact.names, *contact.tags, *contact.interests, *contact.needs, *contact.offers]
    parts += [v for v in (contact.company, contact.role, contact.location) if v]
    parts.append(contact.body)
    return "\n".join(parts)


def _text_match(contact: Contact, query: _TextQuery) -> str | None:
    """Which field of `contact` matches `query`, in words; None when none does."""
    for name in contact.names:
        if query.matches(name):
            return f"name '{name}'"
    for field in _TEXT_FIELDS:
        for value in _field_values(contact, field):
            if query.matches(value):
                return f"{_FIELD_LABEL[field]} '{_quote(value)}'"
    if contact.body and query.matches(contact.body):
        return "note text"
    return None


def is_own(contact: Contact | None, config: Config, last: Mapping[str, LastContact]) -> bool:
    """Whether the user knows `contact` first hand: a configured tier or a recorded contact."""
    if contact is None:
        return False
    if contact.tier is not None and config.tier(contact.tier) is not None:
        return True
    return last.get(contact.name) is not None


def _warmth(
    contact: Contact | None, config: Config, last: Mapping[str, LastContact]
) -> tuple[int, int]:
    """Warmer first: an earlier tier in the config, then a more recent last contact."""
    if contact is None:
        return (len(config.tiers) + 1, 0)
    ranks = {tier.name: rank for rank, tier in enumerate(config.tiers)}
    rank = ranks.get(contact.tier or "", len(config.tiers))
    seen = last.get(contact.name)
    return (rank, -seen.date.toordinal() if seen else 0)


def paths(
    snapshot: Snapshot,
    config: Config,
    target: str,
    *,
    from_name: str | None = None,
    max_hops: int = 4,
    last: Mapping[str, LastContact] | None = None,
    limit: int | None = 10,
    graph: Graph | None = None,
) -> list[Chain]:
    """Shortest warm-introduction chains to TARGET, warmest start first."""
    if last is None:
        from netzwerk.schedule import last_contacts

        last = last_contacts(snapshot)
    graph = graph if graph is not None else build_graph(snapshot)
    targets = _match_targets(graph, target)
    if not targets:
        return []
    if from_name is not None:
        start = _node_named(graph, from_name)
        if start is None:
            return []
        found = _chains_from(graph, start, targets, max_hops)
    else:

        def own(node: str) -> bool:
            return is_own(graph.contact(node), config, last)

        found = _chains_to(graph, targets, max_hops, own)

    chains: list[Chain] = []
    for people, matched in found:
        hops = tuple(
            Hop(a, b, via, via.describe(a, b))
            for a, b in pairwise(people)
            if (via := graph.via(a, b)) is not None
        )
        head = graph.contact(people[0])
        seen = last.get(people[0])
        chains.append(
            Chain(
                start=people[0],
                target=people[-1],
                people=people,
                hops=hops,
                match=matched,
                start_tier=head.tier if head else None,
                start_last=seen.date if seen else None,
            )
        )
    chains.sort(
        key=lambda c: (
            len(c.hops),
            _warmth(graph.contact(c.start), config, last),
            _name_key(c.start),
            _name_key(c.target),
        )
    )
    return chains if limit is None else chains[:limit]


def _node_named(graph: Graph, name: str) -> str | None:
    """The node called `name` (title or alias, ignoring case and accents)."""
    if name in graph.contacts:
        return name
    wanted = fold(name.strip().removeprefix("[[").removesuffix("]]"))
    for node in graph.nodes:
        contact = graph.contact(node)
        names = contact.names if contact is not None else (node,)
        if any(fold(n) == wanted for n in names):
            return node
    return None


def _chains_to(
    graph: Graph, targets: Mapping[str, str], max_hops: int, own: Callable[[str], bool]
) -> list[tuple[tuple[str, ...], str]]:
    """One shortest chain per own contact, found by searching outwards from the targets.

    Own contacts end a chain and are never passed through: a chain through an own contact
    would be longer than that contact's own chain.
    """
    found: list[tuple[tuple[str, ...], str]] = []
    parent: dict[str, str | None] = {}
    origin: dict[str, str] = {}
    frontier: list[str] = []
    for node in sorted(targets, key=_name_key):
        if own(node):
            found.append(((node,), targets[node]))
        else:
            parent[node] = None
            origin[node] = node
            frontier.append(node)
    seen = set(parent) | {people[0] for people, _ in found}
    for _ in range(max_hops):
        if not frontier:
            break
        following: list[str] = []
        for node in frontier:
            for other in graph.neighbours(node):
                if other in seen:
                    continue
                seen.add(other)
                parent[other] = node
                origin[other] = origin[node]
                if own(other):
                    found.append((_walk(parent, other), targets[origin[other]]))
                else:
                    following.append(other)
        frontier = sorted(following, key=_name_key)
    return found


def _walk(parent: Mapping[str, str | None], node: str) -> tuple[str, ...]:
    people = [node]
    step = parent[node]
    while step is not None:
        people.append(step)
        step = parent[step]
    return tuple(people)


def _chains_from(
    graph: Graph, start: str, targets: Mapping[str, str], max_hops: int
) -> list[tuple[tuple[str, ...], str]]:
    """One shortest chain from `start` to each target within reach (any node may be passed)."""
    parent: dict[str, str | None] = {start: None}
    found: list[tuple[tuple[str, ...], str]] = []
    if start in targets:
        found.append(((start,), targets[start]))
    frontier = [start]
    for _ in range(max_hops):
        following: list[str] = []
        for node in frontier:
            for other in graph.neighbours(node):
                if other in parent:
                    continue
                parent[other] = node
                following.append(other)
                if other in targets:
                    found.append((tuple(reversed(_walk(parent, other))), targets[other]))
        frontier = sorted(following, key=_name_key)
    return found


# --------------------------------------------------------------------------- hubs


@dataclass(frozen=True, slots=True)
class Hub:
    """Someone who connects many people."""

    name: str
    contact: Contact | None  # None: known only by a link
    count: int  # distinct people connected

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "name": self.name,
            "path": self.contact.path if self.contact else None,
            "tier": self.contact.tier if self.contact else None,
            "count": self.count,
        }


def hubs(snapshot: Snapshot, limit: int | None = None, *, graph: Graph | None = None) -> list[Hub]:
    """People ranked by how many distinct people they connect, ties by name."""
    graph = graph if graph is not None else build_graph(snapshot)
    keys = [(-len(edges), fold(node), node) for node, edges in graph.adjacency.items()]
    best = sorted(keys) if limit is None else heapq.nsmallest(limit, keys)
    return [Hub(node, graph.contact(node), -negative) for negative, _, node in best]


# --------------------------------------------------------------------------- balance


class Balance(NamedTuple):
    """The relationship account with one person: what the user gave and got."""

    contact: Contact
    gave: int
    got: int
    gave_12m: int
    got_12m: int
    status: str | None  # "give first" | "only takes" | None
    last_gave: date | None = None
    last_got: date | None = None

    @property
    def reason(self) -> str:
        """The status in words."""
        if self.status == GIVE_FIRST:
            return f"you got {_times(self.got)} from {self.contact.name} and never gave"
        if self.status == ONLY_TAKES:
            return f"you gave {self.contact.name} {_times(self.gave)} and never got anything"
        return f"gave {self.gave}, got {self.got}"

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "name": self.contact.name,
            "path": self.contact.path,
            "gave": self.gave,
            "got": self.got,
            "gave_12m": self.gave_12m,
            "got_12m": self.got_12m,
            "status": self.status,
            "last_gave": self.last_gave.isoformat() if self.last_gave else None,
            "last_got": self.last_got.isoformat() if self.last_got else None,
            "reason": self.reason,
        }


def _times(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


def balance_of(contact: Contact, today: date) -> Balance:
    """One contact's account; log lines dated after `today` do not count yet."""
    since = today - timedelta(days=365)
    gave = got = gave_12m = got_12m = 0
    last_gave: date | None = None
    last_got: date | None = None
    for entry in contact.log:
        kind = entry.kind
        if kind not in _GIVE_OR_GET:
            continue
        day = entry.date
        if day > today:
            continue
        recent = day > since
        if kind in GIVE_KINDS:
            gave += 1
            gave_12m += recent
            last_gave = max(last_gave or day, day)
        else:
            got += 1
            got_12m += recent
            last_got = max(last_got or day, day)
    status: str | None = None
    if got >= 1 and gave == 0:
        status = GIVE_FIRST
    elif gave >= ONLY_TAKES_AFTER and got == 0:
        status = ONLY_TAKES
    return Balance(contact, gave, got, gave_12m, got_12m, status, last_gave, last_got)


_STATUS_RANK = {GIVE_FIRST: 0, ONLY_TAKES: 1, None: 2}


def balances(
    snapshot: Snapshot, today: date, *, names: Collection[str] | None = None
) -> list[Balance]:
    """Gave vs got per contact; flagged accounts first, then by name.

    Without `names`, contacts with no gave/got entries are left out; with `names` (contact
    titles), exactly those contacts are returned, empty accounts included.
    """
    rows: list[Balance] = []
    for contact in snapshot.contacts:
        if names is not None:
            if contact.name in names:
                rows.append(balance_of(contact, today))
            continue
        for entry in contact.log:
            if entry.kind in _GIVE_OR_GET:
                row = balance_of(contact, today)
                if row.gave or row.got:
                    rows.append(row)
                break
    rows.sort(key=lambda b: (_STATUS_RANK[b.status], _name_key(b.contact.name)))
    return rows


# --------------------------------------------------------------------------- introductions

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


@lru_cache(maxsize=65536)
def _phrase_stems(text: str) -> tuple[frozenset[str], ...]:
    """The stems of each content word of a phrase, in order (phrases repeat: cache them)."""
    return tuple(_stems(w) for w in _words(text))


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
            stems = _phrase_stems(text)
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
    contacts = snapshot.contacts
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
            for text in _field_values(contacts[named], field):
                named_stems = named_stems.union(*_phrase_stems(text))
    has_intro = {i for i, c in enumerate(contacts) if any(e.kind == "intro" for e in c.log)}
    memo: dict[str, tuple[set[str], str]] = {}

    rows: list[tuple[float, int, int, str, int, int, int, int]] = []
    for needer_number, needer in enumerate(contacts):
        for need in needer.needs:
            key = _phrase_stems(need)
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
            texts.append(" ".join(_WORD.findall(_fold_text(entry.text))))
        known = (linked, " " + " | ".join(texts) + " ")
        memo[owner.name] = known
    linked, text = known
    if other.name in linked:
        return True
    if not text.strip():
        return False
    # A name written out ("introduced her to Paul Martin") counts too, as whole words.
    for written in other.names:
        words = " ".join(_WORD.findall(fold(written)))
        if words and f" {words} " in text:
            return True
    return False


# --------------------------------------------------------------------------- review


@dataclass(frozen=True, slots=True)
class TierLoad:
    """How full a tier is."""

    tier: Tier
    count: int

    @property
    def over(self) -> int:
        """How many people more than the tier's capacity (0 when within)."""
        cap = self.tier.capacity
        return 0 if cap is None else max(0, self.count - cap)

    @property
    def reason(self) -> str:
        """The load in words: `Top 10 has 12 people, capacity 10: 2 over`."""
        cap = self.tier.capacity
        if cap is None:
            return f"{self.tier.label} has {self.count} people"
        if self.over:
            return f"{self.tier.label} has {self.count} people, capacity {cap}: {self.over} over"
        return f"{self.tier.label} has {self.count} of {cap} people"

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "tier": self.tier.name,
            "label": self.tier.label,
            "count": self.count,
            "capacity": self.tier.capacity,
            "over": self.over,
            "reason": self.reason,
        }


class Suggestion(NamedTuple):
    """A suggested tier change; netzwerk never makes it itself."""

    contact: Contact
    current: str | None
    suggested: str | None
    reason: str
    recent: int = 0  # contacts in the last RECENT_DAYS days
    silent_days: int | None = None
    weight: float = 0.0  # for a demotion: how many times the cadence they have been silent

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "name": self.contact.name,
            "path": self.contact.path,
            "tier": self.current,
            "suggested": self.suggested,
            "recent_contacts": self.recent,
            "silent_days": self.silent_days,
            "reason": self.reason,
        }


class Unclassified(NamedTuple):
    """A contact without a tier, with how often the notes mention them."""

    contact: Contact
    mentions: int
    last: date | None

    @property
    def reason(self) -> str:
        """`mentioned 3 times; last contact 2026-09-14`."""
        said = f"mentioned {_times(self.mentions)}" if self.mentions else "not mentioned elsewhere"
        seen = f"last contact {self.last.isoformat()}" if self.last else "no contact recorded"
        return f"{said}; {seen}"

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "name": self.contact.name,
            "path": self.contact.path,
            "mentions": self.mentions,
            "last_contact": self.last.isoformat() if self.last else None,
            "reason": self.reason,
        }


class Review(NamedTuple):
    """Tier re-evaluation: load per tier and suggested changes."""

    tiers: tuple[TierLoad, ...]
    promote: tuple[Suggestion, ...]
    demote: tuple[Suggestion, ...]
    unclassified: tuple[Unclassified, ...]

    @property
    def over_capacity(self) -> tuple[TierLoad, ...]:
        """The tiers holding more people than their capacity."""
        return tuple(t for t in self.tiers if t.over)

    @property
    def empty(self) -> bool:
        """Nothing to suggest."""
        return not (self.over_capacity or self.promote or self.demote or self.unclassified)

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "tiers": [t.as_dict() for t in self.tiers],
            "over_capacity": [t.as_dict() for t in self.over_capacity],
            "promote": [s.as_dict() for s in self.promote],
            "demote": [s.as_dict() for s in self.demote],
            "unclassified": [u.as_dict() for u in self.unclassified],
        }


def _recent_days(
    snapshot: Snapshot,
    since: date,
    today: date,
    journal: Mapping[str, Collection[date]] | None = None,
) -> dict[str, set[date]]:
    """Per contact, the distinct days in (since, today] with a recorded contact."""
    days: dict[str, set[date]] = {}
    for contact in snapshot.contacts:
        found = {
            e.date
            for e in contact.log
            if since < e.date <= today and (e.kind is None or e.kind in CONTACT_KINDS)
        }
        if contact.last_contact is not None and since < contact.last_contact <= today:
            found.add(contact.last_contact)
        if found:
            days[contact.name] = found
    if journal is None:
        journal = journal_days(snapshot, since, today)
    for person, linked in journal.items():
        days.setdefault(person, set()).update(linked)
    return days


def journal_days(snapshot: Snapshot, since: date, today: date) -> dict[str, set[date]]:
    """Per contact, the days in (since, today] of journal notes that link to them as contact."""
    days: dict[str, set[date]] = {}
    resolve = _resolver(snapshot)
    for journal in snapshot.journals:
        if not since < journal.date <= today:
            continue
        for mention in journal.mentions:
            if mention.counts:
                person = resolve(mention.target)
                if person is not None:
                    days.setdefault(person, set()).add(journal.date)
    return days


class _Names(dict[str, "str | None"]):
    """Link text -> the name of the contact it resolves to (None: no contact), remembered."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def __missing__(self, target: str) -> str | None:
        contact = self.snapshot.resolve(target)
        name = self[target] = contact.name if contact is not None else None
        return name


def _resolver(snapshot: Snapshot) -> Callable[[str], str | None]:
    """`snapshot.resolve` to a contact name, remembered per link text (links repeat a lot)."""
    return _Names(snapshot).__getitem__


def mention_counts(snapshot: Snapshot) -> dict[str, int]:
    """How often other notes mention each contact: journal links, others' log links, knows."""
    counts = {c.name: 0 for c in snapshot.contacts}
    resolve = _resolver(snapshot)
    for journal in snapshot.journals:
        for mention in journal.mentions:
            person = resolve(mention.target)
            if person is not None:
                counts[person] += 1
    for contact in snapshot.contacts:
        owner = contact.name
        targets = list(contact.knows)
        if contact.introduced_by:
            targets.append(contact.introduced_by)
        for entry in contact.log:
            targets += entry.links
        for target in targets:
            person = resolve(target)
            if person is not None and person != owner:
                counts[person] += 1
    return counts


def review(
    snapshot: Snapshot,
    config: Config,
    today: date,
    last: Mapping[str, LastContact],
    *,
    journal: Mapping[str, Collection[date]] | None = None,
    mentions: Mapping[str, int] | None = None,
) -> Review:
    """Tiers over capacity, promotion and demotion candidates, unclassified contacts.

    `journal` (`journal_days` since RECENT_DAYS before today) and `mentions`
    (`mention_counts`) may be given when known: the digest reviews a few changed contacts
    with what the rest of the vault says about them.
    """
    from netzwerk.schedule import cadence_of

    tiers = config.tiers
    rank = {tier.name: i for i, tier in enumerate(tiers)}
    scheduled = [t for t in tiers if not t.cadence.never]
    loads = tier_loads(tiers, tier_counts(snapshot))

    since = today - timedelta(days=RECENT_DAYS)
    days = _recent_days(snapshot, since, today, journal)
    by_name = {tier.name: tier for tier in tiers}
    promote: list[Suggestion] = []
    demote: list[Suggestion] = []
    unclassified: list[Unclassified] = []
    silence: dict[tuple[int, str], Duration] = {}  # cadence -> SILENT_CADENCES times it
    for contact in snapshot.contacts:
        tier = by_name.get(contact.tier) if contact.tier is not None else None
        seen = last.get(contact.name)
        if contact.tier is None:
            if mentions is None:
                mentions = mention_counts(snapshot)
            unclassified.append(
                Unclassified(contact, mentions.get(contact.name, 0), seen.date if seen else None)
            )
        recent = len(days.get(contact.name, ()))
        # An unknown tier is a mistake `check` reports, not a level to promote from.
        known = tier is not None or contact.tier is None
        if recent >= PROMOTE_AFTER and known and _slow(tier):
            warmer = _warmer(tier, scheduled, rank)
            if warmer is not None:
                expects = (
                    f"{tier.label} expects one every {_duration_words(tier.cadence)}"
                    if tier is not None and not tier.cadence.never
                    else f"{tier.label} is not scheduled"
                    if tier is not None
                    else "no tier yet"
                )
                promote.append(
                    Suggestion(
                        contact,
                        contact.tier,
                        warmer.name,
                        f"{recent} contacts in the last {RECENT_DAYS} days; {expects}; "
                        f"consider {warmer.label}",
                        recent=recent,
                    )
                )
        if tier is None or contact.paused or seen is None:
            continue
        cadence = cadence_of(contact, config)
        if cadence is None or cadence.never:
            continue
        silent_after = silence.get((cadence.count, cadence.unit))
        if silent_after is None:
            silent_after = Duration(cadence.count * SILENT_CADENCES, cadence.unit)
            silence[cadence.count, cadence.unit] = silent_after
        limit = silent_after.after(seen.date)
        if limit is None or today < limit:
            continue
        silent = (today - seen.date).days
        colder = _colder(tier, tiers, rank)
        where = f"consider {colder.label}" if colder is not None else "consider letting go"
        demote.append(
            Suggestion(
                contact,
                contact.tier,
                colder.name if colder is not None else None,
                f"no contact for {silent} days (since {seen.date.isoformat()}), "
                f"{SILENT_CADENCES} or more times the cadence of {_duration_words(cadence)}; "
                f"{where}",
                recent=recent,
                silent_days=silent,
                weight=silent / max(1, cadence.approx_days()),
            )
        )
    promote.sort(key=promote_key)
    demote.sort(key=demote_key)
    unclassified.sort(key=unclassified_key)
    return Review(loads, tuple(promote), tuple(demote), tuple(unclassified))


def promote_key(suggestion: Suggestion) -> tuple[int, str, str]:
    """Most contacts lately first, then by name."""
    return (-suggestion.recent, *_name_key(suggestion.contact.name))


def demote_key(suggestion: Suggestion) -> tuple[float, str, str]:
    """Silent the most times their cadence first, then by name."""
    return (-suggestion.weight, *_name_key(suggestion.contact.name))


def unclassified_key(entry: Unclassified) -> tuple[int, str, str]:
    """Mentioned most often first, then by name."""
    return (-entry.mentions, *_name_key(entry.contact.name))


def tier_counts(snapshot: Snapshot) -> dict[str | None, int]:
    """How many contacts each tier name has, as their notes say (None: no tier)."""
    counts: dict[str | None, int] = {}
    for contact in snapshot.contacts:
        counts[contact.tier] = counts.get(contact.tier, 0) + 1
    return counts


def tier_loads(tiers: Sequence[Tier], counts: Mapping[str | None, int]) -> tuple[TierLoad, ...]:
    """How full each tier is, given how many contacts each tier name has."""
    return tuple(TierLoad(t, counts.get(t.name, 0)) for t in tiers)


def _slow(tier: Tier | None) -> bool:
    """Whether a tier is slow enough that frequent contact suggests a warmer one."""
    if tier is None or tier.cadence.never:
        return True
    return tier.cadence.approx_days() >= PROMOTE_CADENCE_DAYS


def _warmer(tier: Tier | None, scheduled: Sequence[Tier], rank: Mapping[str, int]) -> Tier | None:
    """The next warmer scheduled tier; for no tier or an unscheduled one, the coldest scheduled."""
    if tier is None or tier.cadence.never:
        return scheduled[-1] if scheduled else None
    warmer = [t for t in scheduled if rank[t.name] < rank[tier.name]]
    return warmer[-1] if warmer else None


def _colder(tier: Tier, tiers: Sequence[Tier], rank: Mapping[str, int]) -> Tier | None:
    colder = [t for t in tiers if rank[t.name] > rank[tier.name]]
    return colder[0] if colder else None


def _duration_words(duration: Duration) -> str:
    if duration.never:
        return "never"
    unit = {"d": "day", "w": "week", "m": "month", "y": "year"}[duration.unit]
    return f"{unit}" if duration.count == 1 else f"{duration.count} {unit}s"


# --------------------------------------------------------------------------- find

_FIND_FIELDS = ("tags", "company", "role", "location", "interests", "needs", "offers")
_LIST_KEYS = ("tags", "aliases", "interests", "needs", "offers", "knows")
_SCALAR_KEYS = tuple(k for k in KNOWN_KEYS if k not in _LIST_KEYS)


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
        return (contact.name,)
    if key in _LIST_KEYS:
        values: tuple[str, ...] = getattr(contact, key)
        return values
    if key in _SCALAR_KEYS:
        value = getattr(contact, key)
        if value is None or (key == "paused" and "paused" not in contact.lines):
            return ()
        if isinstance(value, bool):
            return ("true" if value else "false",)
        if isinstance(value, date):
            return (value.isoformat(),)
        return (str(value),)
    return None


def _where_matches(contact: Contact, key: str, value: str, vault_keys: Mapping[str, str]) -> bool:
    wanted = _fold_text(value).strip()
    folded_key = key.strip().lower()
    own_key = vault_keys.get(folded_key, folded_key)
    values = _key_values(contact, own_key)
    if values is None:
        values = tuple(v for k, v in contact.extra.items() if k.strip().lower() == folded_key)
    if own_key == "tags":
        return _has_tag(contact, value) if wanted else bool(values)
    return any(wanted in _fold_text(v) for v in values)


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
    phrase = " ".join(_fold_text(text or "").split())
    terms = phrase.split()
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
        everything = _fold_text(_search_text(contact))
        if not all(t in everything for t in terms):
            continue
        hits.append(_text_hit(contact, phrase, terms))
    hits.sort(key=lambda h: (h.rank, _name_key(h.contact.name)))
    return hits


def _text_hit(contact: Contact, phrase: str, terms: Sequence[str]) -> Hit:
    """How well a contact that holds every term matches: by name, properties or body."""
    names = [("name", fold(contact.name))] + [("alias", fold(a)) for a in contact.aliases]
    haystacks = list(names)
    for field in _FIND_FIELDS:
        haystacks += [(field, _fold_text(v)) for v in _field_values(contact, field)]
    name_words = {w for _, h in names for w in _WORD.findall(h)}
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
    fields = _distinct(f for f, h in haystacks if any(t in h for t in terms))
    if rank == 4:
        fields.append("body")
    return Hit(contact, rank, tuple(fields))


def find(
    snapshot: Snapshot,
    text: str | None,
    *,
    tags: Sequence[str] = (),
    tier: str | None = None,
    where: Sequence[tuple[str, str]] = (),
    config: Config | None = None,
) -> list[Contact]:
    """Contacts matching TEXT and the filters, ignoring case and accents; name matches first."""
    hits = find_hits(snapshot, text, tags=tags, tier=tier, where=where, config=config)
    return [hit.contact for hit in hits]


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
        }


def _properties(contact: Contact) -> dict[str, object]:
    """The contact's set properties, in netzwerk's key order, plus unknown keys."""
    out: dict[str, object] = {}
    for key in (*_SCALAR_KEYS, *_LIST_KEYS):
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
    last: Mapping[str, LastContact],
    *,
    graph: Graph | None = None,
) -> Card:
    """The data for `show NAME`."""
    from netzwerk.schedule import cadence_of, next_due

    graph = graph if graph is not None else build_graph(snapshot)
    seen = last.get(contact.name)
    connections = tuple(
        sorted(
            (
                Connection(other, graph.contact(other), via, via.describe(contact.name, other))
                for other, edge in graph.adjacency.get(contact.name, {}).items()
                if (via := _via(edge)) is not None
            ),
            key=lambda x: (_KIND_RANK[x.via.kind], _name_key(x.name)),
        )
    )
    recent = tuple(sorted(contact.log, key=lambda e: (e.date, e.line), reverse=True)[:5])
    return Card(
        contact=contact,
        tier=config.tier(contact.tier),
        cadence=cadence_of(contact, config),
        last=seen,
        next_due=next_due(contact, config, seen, today),
        balance=balance_of(contact, today),
        recent_log=recent,
        connections=connections,
        intros=tuple(intros(snapshot, name=contact.name)),
    )
