"""People you want to meet (the target tier): the warmest introduction path to each, the last
warm-up step (a `warmup` log line) and how long ago, and when a path starts with someone due
this week anyway, the question to ask them.

The part of the who-knows-whom graph around each target is taken when the notes are read
(`Chains`, kept with the Facts); who in it you know first hand, and so the paths and which of
them is warmest, is decided here, from everyone's Facts as they are today."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from typing import NamedTuple

from netzwerk.config import Config
from netzwerk.model import Facts
from netzwerk.network.graph import chains_to, warmth
from netzwerk.network.match import name_key
from netzwerk.network.places import is_known
from netzwerk.render import md, wikilink
from netzwerk.schedule import Week, is_target
from netzwerk.text import ago
from netzwerk.week.kept import Chains

MAX_HOPS = 4  # as `netzwerk path`


def chains(kept: Chains, people: Mapping[str, Facts], config: Config) -> list[tuple[str, ...]]:
    """The shortest chain from each of your own contacts who reach the target, as `netzwerk
    path` finds them (`people`: everyone's Facts by name)."""
    around = dict(kept.ball)

    def neighbours(node: str) -> list[str]:  # (nobody introduces you through the dead)
        return [n for n in around.get(node, ()) if not ((p := people.get(n)) and p.died)]

    found = chains_to(
        neighbours,
        {kept.name: "name"},
        MAX_HOPS,
        lambda node: is_known(people.get(node), config),
    )
    return [chain for chain, _ in found]


class WarmUp(NamedTuple):
    """Someone you want to meet, how to get there and what you did last."""

    name: str
    path: str
    chain: tuple[str, ...]  # the warmest path: your contact … them; () for none
    warmed: date | None  # the last warm-up step
    warmup: str | None  # what it was
    ask: tuple[str, str] | None  # (someone due this week, whom to ask them about)
    line: str


def _link(name: str, people: Mapping[str, Facts]) -> str:
    person = people.get(name)
    if person is None:
        return wikilink(name)
    return wikilink(person.name, person.path, person.shown)


def _rank(
    chain: tuple[str, ...], people: Mapping[str, Facts], config: Config
) -> tuple[object, ...]:
    start = people.get(chain[0])
    last = start.last.date if start is not None and start.last is not None else None
    return (len(chain), warmth(start.tier if start else None, last, config), name_key(chain[0]))


def warm_up(
    people: Iterable[Facts],
    kept: Iterable[Chains],
    config: Config,
    week: Week,
    due: Collection[str],
) -> tuple[WarmUp, ...]:
    """Each target (by name) with the warmest path and the last warm-up step; `due`: the
    paths of the people the week's digest lists as due, whom a path may start with."""
    everyone = list(people)
    by_name = {p.name: p for p in everyone}
    around = {k.target: k for k in kept}
    found: list[WarmUp] = []
    for person in everyone:
        if not is_target(person, config) or person.paused:
            continue
        ball = around.get(person.path)
        mine = chains(ball, by_name, config) if ball is not None else []
        best = min(mine, key=lambda c: _rank(c, by_name, config), default=())
        through = [c for c in mine if len(c) > 1 and _path(c[0], by_name) in due]
        handy = min(through, key=lambda c: _rank(c, by_name, config), default=())
        parts = ["- ", wikilink(person.name, person.path, person.shown)]
        about = ", ".join(v for v in (person.role, person.company) if v)
        if about:
            parts.append(f" · {md(about)}")
        if len(best) > 1:
            parts.append(" · path: " + " → ".join(_link(n, by_name) for n in best))
        elif best:
            parts.append(" · you have met: consider a tier")
        else:
            parts.append(" · no warm path yet")
        warmed: date | None = None
        text: str | None = None
        if person.warmup is not None:
            warmed, text = date.fromordinal(person.warmup[0]), person.warmup[1]
            said = f" — {md(text)}" if text else ""
            parts.append(
                f" · last warm-up {warmed.isoformat()} ({ago((week.start - warmed).days)}){said}"
            )
        else:
            parts.append(" · no warm-up yet")
        ask = (handy[0], handy[1]) if handy else None
        if ask is not None:
            parts.append(
                f" · ask {_link(ask[0], by_name)} about {_link(ask[1], by_name)} "
                "when you get in touch this week"
            )
        found.append(WarmUp(person.name, person.path, best, warmed, text, ask, "".join(parts)))
    return tuple(found)


def _path(name: str, people: Mapping[str, Facts]) -> str | None:
    person = people.get(name)
    return person.path if person is not None else None
