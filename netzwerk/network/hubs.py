"""Hubs: the people who connect the most others."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from netzwerk.model import Contact, Snapshot
from netzwerk.network.graph import Graph, build_graph
from netzwerk.text import fold


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
