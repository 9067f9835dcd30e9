"""Where people are: place names matched ignoring case and accents, the people you know in a
place (by their `location`, or their company note's when `company` links one), the people two
hops away who live there (someone you know knows them), and the introductions worth making
among them.

Who is where, and whom each of them is connected to, comes from the notes (`located`); who of
them you know first hand is decided from everyone's Facts (`sort_out`), so that `netzwerk near
PLACE` and a trip's section in the digest (whose rows are kept with the Facts) agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from netzwerk.config import Config
from netzwerk.model import TARGET, Contact, Facts, Note, Snapshot
from netzwerk.network.graph import Graph, build_graph, warmth
from netzwerk.network.intros import Intro, intros
from netzwerk.network.match import WORD, name_key
from netzwerk.schedule import is_target
from netzwerk.text import fold, fold_text


def words(text: str) -> tuple[str, ...]:
    """A place name as the words it is compared by: folded, `Côte d'Azur` = `cote d azur`."""
    return tuple(WORD.findall(fold_text(text)))


def in_place(value: str, place: Sequence[str], *, street: bool = False) -> bool:
    """Whether a location (`Nice, France`, `Kreuzberg, Berlin`) names the place (its words, one
    after the other): `Nice` is in `Nice, France` but not in `Venice`. With `street` (a postal
    address), not where a street word follows: `12 London Road, Brighton` is not in London."""
    if not place:
        return False
    found = words(value)
    width = len(place)
    return any(
        found[at : at + width] == tuple(place)
        and not (street and at + width < len(found) and found[at + width] in STREET_WORDS)
        for at in range(len(found) - width + 1)
    )


# Words that make the place name before them a street's (`London Road`, `Berliner Str.` needs
# none: `Berliner` is no `Berlin`).
STREET_WORDS = frozenset(
    {
        "road", "rd", "street", "st", "avenue", "ave", "lane", "ln", "drive", "dr", "way",
        "boulevard", "blvd", "court", "ct", "place", "pl", "square", "sq", "terrace", "row",
        "strasse", "str", "weg", "gasse", "allee", "platz", "ring", "damm", "ufer", "chaussee",
    }
)  # fmt: skip


def locations(contact: Contact, notes: Mapping[str, Note], snapshot: Snapshot) -> list[str]:
    """Where a contact is: their `location`, their company's when `company` links a note with
    one (`Antibes (Galerie du Port)`), then their postal addresses (`located` tells them by
    `contact.address`)."""
    found = [contact.location] if contact.location else []
    for target in contact.refs.get("company", ()):
        company = snapshot.resolve(target)
        note = notes.get(fold(target.rsplit("/", 1)[-1]))
        if company is not None and company.location:
            found.append(f"{company.location} ({company.name})")
        elif company is None and note is not None and note.location:
            found.append(f"{note.location} ({note.title})")
    return found + list(contact.address)


class Located(NamedTuple):
    """Someone in a place: where the notes put them, and the contacts they are connected to
    (by path), of whom one may be yours."""

    path: str
    where: str  # the location that matched: `Nice`, or `Antibes (Galerie du Port)`
    neighbours: tuple[str, ...]


INTROS_KEPT = 50  # the best introductions among everyone in a place (a city: hundreds)


class Rows(NamedTuple):
    """Everyone in a place, and the introductions worth making among all of them."""

    located: tuple[Located, ...]  # by name
    intros: tuple[Intro, ...]


def located(snapshot: Snapshot, places: Iterable[str], graph: Graph | None = None) -> Rows:
    """Everyone in one of `places`, by name, with whom they are connected to; and the best
    introductions worth making among them (INTROS_KEPT)."""
    wanted = [found for place in places if (found := words(place))]
    if not wanted:
        return Rows((), ())
    notes = {fold(note.title): note for note in snapshot.notes if note.location}
    there: list[tuple[Contact, str]] = []
    for contact in snapshot.contacts:
        if not contact.location and not contact.address and "company" not in contact.refs:
            continue
        addresses = set(contact.address)
        for where in locations(contact, notes, snapshot):
            street = where in addresses
            if any(in_place(where, place, street=street) for place in wanted):
                there.append((contact, where))
                break
    if not there:
        return Rows((), ())
    graph = graph if graph is not None else build_graph(snapshot)
    rows = []
    for contact, where in there:
        linked = (graph.contact(other) for other in graph.neighbours(contact.name))
        rows.append(Located(contact.path, where, tuple(c.path for c in linked if c is not None)))
    group = Snapshot(tuple(contact for contact, _ in there))
    return Rows(tuple(rows), tuple(intros(group, limit=INTROS_KEPT)))


def is_known(person: Facts | None, config: Config) -> bool:
    """Whether you know someone first hand: a tier (but the target tier of people you want to
    meet) or a recorded contact (as `network.graph.is_own`, from their Facts)."""
    if person is None:
        return False
    tier = config.tier(person.tier) if person.tier is not None else None
    return (tier is not None and tier.name != TARGET) or person.last is not None


class Sorted(NamedTuple):
    """Everyone in a place, sorted out by how you know them."""

    known: list[Located]  # first hand
    far: list[tuple[Located, str]]  # two hops away, with the path of the contact you know
    wanted: list[tuple[Located, str | None]]  # you want to meet them (and, if two hops, via)
    others: list[Located]  # the rest: in your notes, and no one you know knows them

    def acquainted(self) -> set[str]:
        """The paths of those you know, first hand or through a contact: introductions are
        worth making among them."""
        return {p.path for p in self.known} | {p.path for p, _ in self.far}


class Place(NamedTuple):
    """Whom you know in a place, who lives there two hops away (and through whom), whom you
    want to meet there, who else of your notes is there, and the introductions worth making
    among those you know."""

    known: tuple[Located, ...]
    two_hops: tuple[tuple[Located, str], ...]  # (them, the path of the contact you know)
    intros: tuple[Intro, ...]
    wanted: tuple[tuple[Located, str | None], ...] = ()
    others: tuple[Located, ...] = ()  # in your notes, and no one you know knows them


def sort_out(located: Iterable[Located], people: Mapping[str, Facts], config: Config) -> Sorted:
    """Of everyone in a place, those you know, those one of your contacts knows with the
    warmest of them, and the people you want to meet (`people`: everyone's Facts by path)."""
    found = Sorted([], [], [], [])
    for there in located:
        person = people.get(there.path)
        if person is not None and person.died:
            continue  # (their note may still say where they lived)
        if is_known(person, config):
            found.known.append(there)
            continue
        yours = [
            friend
            for path in there.neighbours
            if (friend := people.get(path)) is not None
            and is_known(friend, config)
            and not friend.died
        ]
        best = min(yours, key=lambda p: (_warmth(p, config), name_key(p.name)), default=None)
        if person is not None and is_target(person, config):
            found.wanted.append((there, best.path if best is not None else None))
        elif best is not None:
            found.far.append((there, best.path))
        else:
            found.others.append(there)
    return found


def place(rows: Rows, people: Mapping[str, Facts], config: Config) -> Place:
    """Whom you know in a place, who lives there two hops away, whom you want to meet there,
    who else of your notes is there, and the introductions among those you know first hand
    or two hops away."""
    found = sort_out(rows.located, people, config)
    there = found.acquainted()
    return Place(
        tuple(found.known),
        tuple(found.far),
        tuple(i for i in rows.intros if i.needer.path in there and i.giver.path in there),
        tuple(found.wanted),
        tuple(found.others),
    )


def _warmth(person: Facts, config: Config) -> tuple[int, int]:
    return warmth(person.tier, person.last.date if person.last is not None else None, config)
