"""Checks across the vault: each a function (snapshot, config, today) -> problems."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from netzwerk.config import Config
from netzwerk.model import Snapshot, fold
from netzwerk.problems import Problem, error, warning
from netzwerk.vault import UNLINKABLE

Check = Callable[[Snapshot, Config, date], Iterable[Problem]]


def check_tiers(snapshot: Snapshot, config: Config, today: date) -> Iterator[Problem]:
    """A tier that is not configured, with the closest configured one."""
    names = [t.name for t in config.tiers]
    for contact in snapshot.contacts:
        if contact.tier is None or contact.tier in names:
            continue
        close = difflib.get_close_matches(contact.tier, names, n=1, cutoff=0.4)
        lowered = [n for n in names if n.lower() == contact.tier.lower()]
        hint = (lowered or close or [""])[0]
        suggestion = f"; did you mean {hint!r}?" if hint else ""
        yield error(
            contact.path,
            contact.lines.get("tier"),
            "NW206",
            f"unknown tier {contact.tier!r}{suggestion} (tiers: {', '.join(names)})",
        )


def check_future(snapshot: Snapshot, config: Config, today: date) -> Iterator[Problem]:
    """Contact recorded after today: a typo, or a clock that is wrong."""
    for contact in snapshot.contacts:
        if contact.last_contact is not None and contact.last_contact > today:
            yield warning(
                contact.path,
                contact.lines.get("last_contact"),
                "NW212",
                f"last_contact is in the future: {contact.last_contact.isoformat()}",
            )
        for entry in contact.log:
            if entry.date > today and entry.kind != "note":
                yield warning(
                    contact.path,
                    entry.line,
                    "NW212",
                    f"log line is dated in the future: {entry.date.isoformat()}",
                )


def check_links(snapshot: Snapshot, config: Config, today: date) -> Iterator[Problem]:
    """`knows` and `introduced_by` must point at a contact."""
    broken = {b.casefold() for b in snapshot.broken}

    def missing(target: str) -> bool:
        return snapshot.resolve(target) is None and target.casefold() not in broken

    key = config.key
    for contact in snapshot.contacts:
        for number, target in enumerate(contact.knows):
            if missing(target):
                yield warning(
                    contact.path,
                    contact.lines.get(f"knows[{number}]", contact.lines.get("knows")),
                    "NW301",
                    f"{key('knows')}: [[{target}]] is no contact; "
                    f"create People/{target}.md or fix the link",
                )
        if contact.introduced_by and missing(contact.introduced_by):
            yield warning(
                contact.path,
                contact.lines.get("introduced_by"),
                "NW301",
                f"{key('introduced_by')}: [[{contact.introduced_by}]] is no contact",
            )


def check_names(snapshot: Snapshot, config: Config, today: date) -> Iterator[Problem]:
    """Two contacts one link could mean; file names Obsidian cannot link."""
    owners: defaultdict[str, list[tuple[str, str, int | None, bool]]] = defaultdict(list)
    for contact in snapshot.contacts:
        folded = fold(contact.name)
        owners[folded].append((contact.path, contact.name, None, True))
        if not contact.aliases:
            continue
        for alias in dict.fromkeys(contact.aliases):
            if fold(alias) == folded:
                continue
            owners[fold(alias)].append((contact.path, alias, contact.lines.get("aliases"), False))
    for claims in owners.values():
        if len(claims) < 2:
            continue  # one claim is one path
        paths = sorted({c[0] for c in claims})
        if len(paths) < 2:
            continue
        for path, name, line, is_title in claims:
            others = ", ".join(p for p in paths if p != path)
            what = "name" if is_title else "alias"
            yield error(
                path,
                line,
                "NW302",
                f"{what} {name!r} is also used by {others}; "
                "links to it are ambiguous (names are compared ignoring case and accents)",
            )
    for contact in snapshot.contacts:
        if UNLINKABLE.isdisjoint(contact.name):
            continue
        bad = sorted(set(contact.name) & UNLINKABLE)
        if bad:
            yield warning(
                contact.path,
                None,
                "NW110",
                f"Obsidian cannot link a file name containing {' '.join(bad)}; rename the note",
            )


# Checks of each contact on its own, and checks that compare contacts with each other.
LOCAL_CHECKS: tuple[Check, ...] = (check_tiers, check_future)
ACROSS_CHECKS: tuple[Check, ...] = (check_links, check_names)
CHECKS = LOCAL_CHECKS + ACROSS_CHECKS
# The codes only ACROSS_CHECKS report: a problem with another code concerns its note alone.
ACROSS_CODES = frozenset({"NW110", "NW301", "NW302"})


def validate(snapshot: Snapshot, config: Config, today: date) -> list[Problem]:
    """Every problem of the checks beyond a single note's parse; a fresh list on each call."""
    return [problem for check in CHECKS for problem in check(snapshot, config, today)]


def validate_local(snapshot: Snapshot, config: Config, today: date) -> list[Problem]:
    """The problems of LOCAL_CHECKS: each contact's depend on its own note alone."""
    return [problem for check in LOCAL_CHECKS for problem in check(snapshot, config, today)]
