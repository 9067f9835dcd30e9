"""Who knows whom: the graph of people and the warm-introduction chains through it.

Pure functions over a Snapshot: no I/O, no clock, no click.

Decisions, so that every hop can be explained:

- **Nodes** are people. A contact is a node under its title. A `knows` or `introduced_by`
  target that resolves to no contact is a node too, under the link text: those properties name
  people by definition, so "Tom, whom Anna knows" is someone a chain may run through. Links in
  free text (journal notes, log lines) connect only resolved contacts, because free text also
  links places, books and projects.
- **Edges** are undirected and remember their strongest evidence (a `Via`): `knows` (in either
  person's note: the property, or a link under a heading of `connection_headings`, like
  `## People`; there a typed pair `- spouse: [[Anna]]` names a person even without a note),
  `introduced_by`, `log` (a log line in A's note linking B connects A and B; two
  contacts linked in the same log line are connected too), `journal` (two contacts linked in the
  same journal note). A journal link counts only where it counts as contact: an open task
  "- [ ] introduce [[A]] to [[B]]" is a plan, not an acquaintance, and quotes, code and embeds
  are not meetings either.
- The user's **own contacts** are contacts in a configured tier (reserve too) or with an
  effective last contact. A chain starts at one of them and runs through people known only
  from notes; a chain through another own contact would be longer than that contact's own.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date
from itertools import pairwise
from typing import NamedTuple

from netzwerk.config import Config
from netzwerk.model import TARGET, Contact, Facts, JournalNote, Snapshot, link_key
from netzwerk.network.match import WORD, TextQuery, name_key, quote, search_text, text_match
from netzwerk.text import fold

EDGE_KINDS = ("knows", "introduced_by", "log", "journal")
KIND_RANK = {kind: rank for rank, kind in enumerate(EDGE_KINDS)}


def _where(path: str, line: int | None) -> str:
    return path if line is None else f"{path}:{line}"


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
    return (KIND_RANK[kind], newer, path, line or 0, owner or "", line, owner, text, day)


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
        if self.kind == "knows" and self.text:  # from a connections section of the body
            return f"{owner} knows {other} ({self.text} in {where})"
        if self.kind == "knows":
            return f"{owner} knows {other} (knows in {where})"
        if self.kind == "introduced_by":
            return f"{owner} was introduced by {other} (introduced_by in {where})"
        if self.kind == "log":
            text = f": '{quote(self.text)}'" if self.text else ""
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


def edge_via(edge: _Edge) -> Via:
    """The evidence an edge of the graph keeps, as a Via."""
    return Via(EDGE_KINDS[edge[0]], edge[2], edge[5], edge[6], edge[7], edge[8])


class Graph(NamedTuple):
    """Who knows whom: people as nodes, undirected edges that keep their best evidence."""

    contacts: Mapping[str, Contact]  # node name -> contact; unresolved nodes are absent
    adjacency: Mapping[str, Mapping[str, _Edge]]  # only nodes with at least one edge

    @property
    def nodes(self) -> list[str]:
        """Every node: contacts and people known only by a link, sorted by name."""
        return sorted(set(self.contacts) | set(self.adjacency), key=name_key)

    def contact(self, node: str) -> Contact | None:
        """The contact behind a node; None for someone known only by a link."""
        return self.contacts.get(node)

    def neighbours(self, node: str) -> list[str]:
        """The people `node` is connected to, sorted by name."""
        return sorted(self.adjacency.get(node, {}), key=name_key)

    def via(self, a: str, b: str) -> Via | None:
        """The best evidence that `a` and `b` are connected."""
        edge = self.adjacency.get(a, {}).get(b)
        return None if edge is None else edge_via(edge)


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
        for related in contact.related:
            # Under a connections heading: a contact linked, or anyone named with a relation
            # (`- spouse: [[Anna]]`); other links there may be companies or places.
            other = node_of(related.target, free_text=related.relation is None)
            if other is not None:
                label = related.relation or "linked"
                edge = _edge("knows", contact.path, related.line, name, label)
                connect(name, other, edge)
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


def linked_keys(note: Contact | JournalNote) -> tuple[str, ...]:
    """The link keys of every target through which a note adds edges to the graph
    (`build_graph`), sorted: a note adds an edge at someone only if one of them resolves to
    them, or the note is theirs."""
    if isinstance(note, JournalNote):
        targets = [m.target for m in note.mentions]
    else:
        targets = [*note.knows, *(r.target for r in note.related)]
        targets += [t for entry in note.log for t in entry.links]
        if note.introduced_by:
            targets.append(note.introduced_by)
    return tuple(sorted({link_key(t) for t in targets}))


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


def wanted(target: str) -> str:
    """What TARGET names, folded: `[[Anna]]` as `anna`."""
    return fold(target.strip().removeprefix("[[").removesuffix("]]"))


def match_targets(graph: Graph, target: str) -> dict[str, str]:
    """Nodes that TARGET names (by name or alias), else nodes whose notes match it as text."""
    folded = wanted(target)
    if not folded:
        return {}
    named = name_targets(graph.contacts, folded)
    for node in graph.adjacency:
        if node not in graph.contacts and fold(node) == folded:
            named[node] = "name"
    return named or text_targets(graph.contacts, folded)


def name_targets(contacts: Mapping[str, Contact], folded: str) -> dict[str, str]:
    """The contacts (node -> contact) a TARGET (`wanted`) names, by name or alias."""
    return {
        node: "name"
        for node, contact in contacts.items()
        if any(fold(n) == folded for n in contact.names)
    }


def text_targets(
    contacts: Mapping[str, Contact], folded: str, texts: Mapping[str, str | None] | None = None
) -> dict[str, str]:
    """The contacts (node -> contact) whose notes match a TARGET (`wanted`) as text, with
    where (`texts`: their search texts, if known): `name '…'` when its words are words of a
    name (`stallman`: Richard Stallman), `part of name '…'` when they are only inside one
    (`ski`: Piotr Zieliński)."""
    query = TextQuery(folded)
    found: dict[str, str] = {}
    for name, contact in contacts.items():
        text = texts.get(name) if texts is not None else None
        if not query.matches_folded(text if text is not None else search_text(contact)):
            continue
        why = text_match(contact, query)
        if why is not None:
            if why.startswith(NAMED) and not _word_of_a_name(contact, folded):
                why = "part of " + why
            found[name] = why
    return found


NAMED = "name '"  # how `text_match` says a name matched
NAMED_APART = 5  # up to so many people named are searched for one by one


def _word_of_a_name(contact: Contact, folded: str) -> bool:
    """Whether the words of `folded` are all words of one of the contact's names."""
    wanted = set(WORD.findall(folded))
    return any(wanted <= set(WORD.findall(fold(name))) for name in contact.names)


def _named(why: str) -> bool:
    """Whether a target matched by (the words of) a name."""
    return why == "name" or why.startswith(NAMED)


def is_own(contact: Contact | None, config: Config, people: Mapping[str, Facts]) -> bool:
    """Whether the user knows `contact` first hand: a configured tier (but the target tier of
    people you want to meet) or a recorded contact."""
    if contact is None:
        return False
    tier = config.tier(contact.tier) if contact.tier is not None else None
    if tier is not None and tier.name != TARGET:
        return True
    person = people.get(contact.name)
    return person is not None and person.last is not None


def warmth(tier: str | None, last: date | None, config: Config) -> tuple[int, int]:
    """Warmer first: an earlier tier in the config, then a more recent last contact."""
    ranks = {t.name: rank for rank, t in reversed(list(enumerate(config.tiers)))}
    found = config.tier(tier) if tier is not None else None
    rank = ranks.get(found.name, len(config.tiers)) if found is not None else len(config.tiers)
    return (rank, -last.toordinal() if last else 0)


def _warmth(
    contact: Contact | None, config: Config, people: Mapping[str, Facts]
) -> tuple[int, int]:
    if contact is None:
        return (len(config.tiers) + 1, 0)
    person = people.get(contact.name)
    seen = person.last if person is not None else None
    return warmth(contact.tier, seen.date if seen else None, config)


def chains(
    graph: Graph,
    config: Config,
    targets: Mapping[str, str],
    from_name: str | None,
    max_hops: int,
    people: Mapping[str, Facts],
    limit: int | None = 10,
) -> list[Chain]:
    """The shortest warm-introduction chains to the nodes of `targets` (node -> why it
    matched, `match_targets`) from `from_name`, or else from your own contacts, warmest start
    first (`people`: the Facts by name). `graph` may be a part of the whole: every edge at a
    node the search passes through (`chains_to`, `_chains_from`) and the contact of every
    node it reaches."""

    def alive(node: str) -> bool:  # (nobody introduces you through someone who has died)
        contact = graph.contact(node)
        return contact is None or contact.died is None

    def neighbours(node: str) -> list[str]:
        return [other for other in graph.neighbours(node) if alive(other)]

    targets = {node: why for node, why in targets.items() if alive(node)}
    if not targets:
        return []
    start = _node_named(graph, from_name) if from_name is not None else None
    if from_name is not None and start is None:
        return []

    def own(node: str) -> bool:
        return is_own(graph.contact(node), config, people)

    def search(
        wanted: Mapping[str, str], avoid: Collection[str] = ()
    ) -> list[tuple[tuple[str, ...], str]]:
        def step(node: str) -> list[str]:
            return [other for other in neighbours(node) if other not in avoid]

        if start is not None:
            return _chains_from(step, start, wanted, max_hops)
        return chains_to(step, wanted, max_hops, own) if wanted else []

    # The people named on their own, first: a search keeps one chain from each of your
    # contacts, to the nearest match, which may be one who only mentions them. Those who
    # only mention them are not reached through them (a longer way than to them).
    named = {node: why for node, why in targets.items() if _named(why)}
    if len(named) <= NAMED_APART:  # (each of a few: two Annas both reached through Otto)
        found = [chain for node in sorted(named) for chain in search({node: named[node]})]
    else:
        found = search(named)
    others = {node: why for node, why in targets.items() if node not in named}
    found += search(others, avoid=set(named))

    made: list[Chain] = []
    for chain, matched in found:
        hops = tuple(
            Hop(a, b, via, via.describe(a, b))
            for a, b in pairwise(chain)
            if (via := graph.via(a, b)) is not None
        )
        head = graph.contact(chain[0])
        known = people.get(chain[0])
        seen = known.last if known is not None else None
        made.append(
            Chain(
                start=chain[0],
                target=chain[-1],
                people=chain,
                hops=hops,
                match=matched,
                start_tier=head.tier if head else None,
                start_last=seen.date if seen else None,
            )
        )
    made.sort(  # (a name first: `path stallman` means him, not who mentions him)
        key=lambda c: (
            not _named(c.match),
            len(c.hops),
            _warmth(graph.contact(c.start), config, people),
            name_key(c.start),
            name_key(c.target),
        )
    )
    return made if limit is None else made[:limit]


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


def chains_to(
    neighbours: Callable[[str], list[str]],
    targets: Mapping[str, str],
    max_hops: int,
    own: Callable[[str], bool],
) -> list[tuple[tuple[str, ...], str]]:
    """One shortest chain per own contact, found by searching outwards from the targets
    (`targets`: node -> why it matched; `neighbours`: a node's, sorted by name).

    Own contacts end a chain and are never passed through: a chain through an own contact
    would be longer than that contact's own chain.
    """
    found: list[tuple[tuple[str, ...], str]] = []
    parent: dict[str, str | None] = {}
    origin: dict[str, str] = {}
    frontier: list[str] = []
    for node in sorted(targets, key=name_key):
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
            for other in neighbours(node):
                if other in seen:
                    continue
                seen.add(other)
                parent[other] = node
                origin[other] = origin[node]
                if own(other):
                    found.append((_walk(parent, other), targets[origin[other]]))
                else:
                    following.append(other)
        frontier = sorted(following, key=name_key)
    return found


def _walk(parent: Mapping[str, str | None], node: str) -> tuple[str, ...]:
    people = [node]
    step = parent[node]
    while step is not None:
        people.append(step)
        step = parent[step]
    return tuple(people)


def _chains_from(
    neighbours: Callable[[str], list[str]], start: str, targets: Mapping[str, str], max_hops: int
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
            for other in neighbours(node):
                if other in parent:
                    continue
                parent[other] = node
                following.append(other)
                if other in targets:
                    found.append((tuple(reversed(_walk(parent, other))), targets[other]))
        frontier = sorted(following, key=name_key)
    return found


def ball(graph: Graph, start: str, radius: int) -> dict[str, tuple[str, ...]]:
    """The nodes fewer than `radius` hops from `start`, each with its neighbours (sorted by
    name): all that a search for chains of up to `radius` hops to `start` reads, whoever turns
    out to be one of your own contacts (`chains_to`)."""
    found: dict[str, tuple[str, ...]] = {}
    frontier = [start]
    for _ in range(radius):
        following: list[str] = []
        for node in frontier:
            if node in found:
                continue
            found[node] = tuple(graph.neighbours(node))
            following += [other for other in found[node] if other not in found]
        frontier = following
    return found
