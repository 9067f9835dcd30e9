"""Derived results kept in the index, keyed by a fingerprint of exactly their inputs.

Matching every need against every offer is the costliest part of a digest on a large vault,
and its inputs (names, needs, offers, tags, role, company, location, intro log lines) rarely
change: a log line or a new `last_contact` leaves them as they were.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from netzwerk import index, network
from netzwerk.config import Config
from netzwerk.model import Contact, Snapshot

T = TypeVar("T")


def intro_inputs(contact: Contact) -> tuple[object, ...]:
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
    )


def intro_hash(contact: Contact) -> bytes:
    """A hash of `intro_inputs`, remembered from the last `fingerprint` when it was made there
    (a whole digest asks for the intros and for its state)."""
    known = _intro_hashes.get(id(contact))
    if known is not None and known[0] is contact:
        return known[1]
    # marshal format 0 writes equal values as equal bytes (no references, no interning flags)
    # and different values as different bytes; it is several times faster than repr().
    data: Any = intro_inputs(contact)
    return hashlib.blake2b(marshal.dumps(data, 0), digest_size=16).digest()


# The hashes of the last snapshot fingerprinted, by id(contact), with the contact itself (an id
# is only reused once its contact is gone); only that snapshot's, so no contact is kept alive.
_intro_hashes: dict[int, tuple[Contact, bytes]] = {}


def fingerprint(snapshot: Snapshot) -> str:
    """A hash of the inputs of the intros of every contact."""
    global _intro_hashes
    hashes = {id(c): (c, intro_hash(c)) for c in snapshot.contacts}
    _intro_hashes = hashes
    data = b"".join([known[1] for known in hashes.values()])
    return hashlib.sha256(index.VERSION.encode() + b"\0" + data).hexdigest()


def intros(
    snapshot: Snapshot,
    config: Config,
    *,
    per_need: int | None = 3,
    name: str | None = None,
    limit: int | None = None,
) -> list[network.Intro]:
    """`network.intros`, answered from the index when no input changed since it was computed."""
    return start_intros(snapshot, config, per_need=per_need, name=name, limit=limit)()


# Below this many contacts, matching is quicker than forking a helper to do it.
PARALLEL_MIN = 1500

_Row = tuple[str, str, str, str, str, float, str, "str | None"]


def start_intros(
    snapshot: Snapshot,
    config: Config,
    *,
    per_need: int | None = 3,
    name: str | None = None,
    limit: int | None = None,
) -> Callable[[], list[network.Intro]]:
    """`intros`, begun now and finished by calling what this returns.

    A large vault's intros are looked up in the index, and matched when it does not have them,
    in a forked helper process, on the machine's other core, while the caller goes on with the
    rest of its work.
    """
    from netzwerk import fork

    by_path = {c.path: c for c in snapshot.contacts}
    options = (str(per_need), name or "", str(limit))

    def kept() -> tuple[str, list[network.Intro] | None]:
        """The key of these intros, and them if the index has them."""
        key = "intros:" + ":".join((fingerprint(snapshot), *options))
        data = index.get_result(config.cache_dir, key)
        return key, _intros_of(data, by_path) if data is not None else None

    def matched() -> list[network.Intro]:
        return network.intros(snapshot, per_need=per_need, name=name, limit=limit)

    def here() -> list[network.Intro]:
        key, found = kept()
        if found is None:
            found = matched()
            index.put_result(config.cache_dir, key, marshal.dumps(_rows(found)))
        return found

    if len(snapshot.contacts) < PARALLEL_MIN:
        found = here()
        return lambda: found
    # On a large vault the inputs are hashed, looked up and matched on the other core too;
    # the helper stores what it matched once it has sent it (the cache may be busy).
    new: list[tuple[str, bytes]] = []

    def there() -> bytes:
        key, found = kept()
        if found is not None:
            return marshal.dumps(_rows(found))
        data = marshal.dumps(_rows(matched()))
        new.append((key, data))
        return data

    def keep() -> None:
        for key, data in new:
            index.put_result(config.cache_dir, key, data)

    helper = fork.fork_helper(there, then=[(keep, "intros:")])
    if helper is None:
        found = here()
        return lambda: found

    def collected() -> list[network.Intro]:
        data = fork.collect(helper)
        found = _intros_of(data, by_path) if data else None
        return found if found is not None else here()  # the helper failed: match here

    return collected


def _rows(found: list[network.Intro]) -> list[_Row]:
    return [
        (i.needer.path, i.giver.path, i.need, i.match, i.field, i.score, i.reason, i.also)
        for i in found
    ]


def _intros_of(data: bytes, by_path: dict[str, Contact]) -> list[network.Intro] | None:
    """Intros back from their rows; None when the data does not fit this snapshot."""
    try:
        rows: Sequence[_Row] = marshal.loads(data)
        return [
            network.Intro(by_path[a], by_path[b], need, match, field, score, reason, also)
            for a, b, need, match, field, score, reason, also in rows
        ]
    except (KeyError, ValueError, EOFError, TypeError):
        return None
