"""Derived results kept in the index, keyed by a fingerprint of exactly their inputs.

Matching every need against every offer is the costliest part of a digest on a large vault,
and its inputs (names, needs, offers, tags, role, company, location, intro log lines) rarely
change: a log line or a new `last_contact` leaves them as they were.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Sequence
from typing import TypeVar

from netzwerk import index, network
from netzwerk.config import Config
from netzwerk.model import Contact, Snapshot

T = TypeVar("T")


def _intro_inputs(contact: Contact) -> tuple[object, ...]:
    intro_lines = tuple((e.text, e.links) for e in contact.log if e.kind == "intro")
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


def fingerprint(snapshot: Snapshot, inputs: Callable[[Contact], tuple[object, ...]]) -> str:
    """A hash of what `inputs` takes from every contact."""
    digest = hashlib.sha256(index.VERSION.encode())
    for contact in snapshot.contacts:
        digest.update(repr(inputs(contact)).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def intros(
    snapshot: Snapshot,
    config: Config,
    *,
    per_need: int | None = 3,
    name: str | None = None,
    limit: int | None = None,
) -> list[network.Intro]:
    """`network.intros`, answered from the index when no input changed since it was computed."""
    key = "intros:" + ":".join(
        (fingerprint(snapshot, _intro_inputs), str(per_need), name or "", str(limit))
    )
    by_path = {c.path: c for c in snapshot.contacts}
    cached = index.get_result(config.cache_dir, key)
    if cached is not None:
        try:
            rows: Sequence[tuple[str, str, str, str, str, float, str, str | None]]
            rows = marshal.loads(cached)
            return [
                network.Intro(by_path[a], by_path[b], need, match, field, score, reason, also)
                for a, b, need, match, field, score, reason, also in rows
            ]
        except (KeyError, ValueError, EOFError, TypeError):
            pass  # computed again below
    result = network.intros(snapshot, per_need=per_need, name=name, limit=limit)
    data = [
        (i.needer.path, i.giver.path, i.need, i.match, i.field, i.score, i.reason, i.also)
        for i in result
    ]
    index.put_result(config.cache_dir, key, marshal.dumps(data))
    return result
