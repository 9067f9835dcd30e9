"""Checks beyond a single note's parse: each a function (snapshot, config, today) -> problems."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from netzwerk.config import Config
from netzwerk.model import YEAR_OR_MONTH, Snapshot, parse_date
from netzwerk.problems import Problem, error, warning
from netzwerk.text import UNLINKABLE, fold, suggest

Check = Callable[[Snapshot, Config, date], Iterable[Problem]]


def check_tiers(snapshot: Snapshot, config: Config, today: date) -> Iterator[Problem]:
    """A tier that is not configured, with the closest configured one."""
    names = [t.name for t in config.tiers]
    for contact in snapshot.contacts:
        if contact.tier is None or config.tier(contact.tier) is not None:
            continue  # a tier's name or label, in any case
        hint = suggest(contact.tier, names, cutoff=0.4)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        yield error(
            contact.path,
            contact.lines.get("tier"),
            "NW206",
            f"unknown tier {contact.tier!r}{suggestion} (tiers: {', '.join(names)})",
        )


def _after(day: str, today: date) -> bool:
    """Whether a date, a month (`2027-03`) or a year (`2031`) as written lies after today."""
    full = parse_date(day)
    if full is not None:
        return full > today
    if not YEAR_OR_MONTH.fullmatch(day):
        return False  # (no date: `check` says so already)
    parts = tuple(int(part) for part in day.split("-"))
    return parts > (today.year, today.month)[: len(parts)]


def check_future(snapshot: Snapshot, config: Config, today: date) -> Iterator[Problem]:
    """Contact recorded after today: a typo, or a clock that is wrong."""
    for contact in snapshot.contacts:
        if contact.last_contact is not None and contact.last_contact > today:
            yield warning(
                contact.path,
                contact.lines.get("last_contact"),
                "NW212",
                f"{config.key('last_contact')} is in the future: "
                f"{contact.last_contact.isoformat()}",
            )
        if contact.died and _after(contact.died, today):
            yield warning(
                contact.path,
                contact.lines.get("died"),
                "NW212",
                f"{config.key('died')} is in the future: {contact.died}",
            )
        for entry in contact.log:
            if entry.date > today and entry.kind != "note":
                yield warning(
                    contact.path,
                    entry.line,
                    "NW212",
                    f"log line is dated in the future: {entry.date.isoformat()}",
                )


def check_future_days(snapshot: Snapshot, config: Config, today: date) -> Iterator[Problem]:
    """A daily note dated after today: it does not count until its day (a meeting note for a
    day to come is a plan, and no problem)."""
    for note in snapshot.journals:
        if note.daily and note.date > today:
            yield warning(
                note.path,
                None,
                "NW212",
                f"daily note is dated in the future: {note.date.isoformat()}; it counts as "
                "contact from that day on",
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
        if UNLINKABLE.isdisjoint(contact.name) and contact.name.isprintable():
            continue
        bad = sorted(set(contact.name) & UNLINKABLE)
        bad += sorted({repr(c)[1:-1] for c in contact.name if unicodedata.category(c) == "Cc"})
        if bad:
            yield warning(
                contact.path,
                None,
                "NW110",
                f"Obsidian cannot link a file name containing {' '.join(bad)}; rename the note",
            )


# Checks of each contact on its own and whatever the date; checks that depend on the date;
# checks that compare contacts with each other.
NOTE_CHECKS: tuple[Check, ...] = (check_tiers,)
DATED_CHECKS: tuple[Check, ...] = (check_future, check_future_days)
ACROSS_CHECKS: tuple[Check, ...] = (check_links, check_names)
CHECKS = NOTE_CHECKS + DATED_CHECKS + ACROSS_CHECKS


def validate(snapshot: Snapshot, config: Config, today: date) -> list[Problem]:
    """Every problem of the checks beyond a single note's parse; a fresh list on each call."""
    return [problem for check in CHECKS for problem in check(snapshot, config, today)]


def run(
    checks: tuple[Check, ...], snapshot: Snapshot, config: Config, today: date
) -> list[Problem]:
    """The problems `checks` find."""
    return [problem for check in checks for problem in check(snapshot, config, today)]
