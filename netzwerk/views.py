"""How results look on a terminal: table rows, the contact card, the review's sections, and
the JSON of the due list. Pure functions of a result; `netzwerk.cli` prints what they give."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from netzwerk.model import TARGET
from netzwerk.problems import one_line
from netzwerk.text import duration_words, plural

Row = list[str]
Section = tuple[str, list[Row]]


def table(rows: Iterable[Iterable[str]], header: Iterable[str] | None = None) -> list[str]:
    """Aligned columns, a line per row (the header first); the last column is never padded.
    What a cell holds stays in its cell: a line break or a terminal's control character in a
    name is written as an escape."""
    cells = [list(header)] if header is not None else []
    cells += [[one_line(cell) for cell in r] for r in rows]
    if not cells:
        return []
    widths = [max(len(row[i]) for row in cells if i < len(row)) for i in range(len(cells[0]))]
    return [
        "  ".join([cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + row[-1:]).rstrip()
        for row in cells
    ]


def summary(errors: int, warnings: int) -> str:
    """The one line about a vault's problems that every command prints on stderr."""
    parts = [plural(errors, "error")] if errors else []
    if warnings:
        parts.append(plural(warnings, "warning"))
    return f"netzwerk: {' and '.join(parts)} in the vault; run `netzwerk check`"


def check_summary(problems: Sequence[Any], notes: int) -> str:
    """`check`'s last line, on stderr: `2 errors and 3 warnings in 72 notes`."""
    errors = sum(1 for p in problems if p.severity.value == "error")
    warnings = len(problems) - errors
    parts = [plural(errors, "error")] if errors else []
    if warnings:
        parts.append(plural(warnings, "warning"))
    return f"{' and '.join(parts)} in {plural(notes, 'note')}"


def last_contact(item: Any) -> str:
    """`2026-09-14 (log call)`, `2026-11-15 ([[2026-11-15]])`, `never`."""
    last = item.last
    if last is None:
        return "never"
    where = last.source
    if last.source == "journal":
        where = f"[[{last.path.rsplit('/', 1)[-1].removesuffix('.md')}]]"
    elif last.source == "log" and last.kind:
        where = f"log {last.kind}"
    return f"{last.date.isoformat()} ({where})"


def hooks(item: Any) -> str:
    """Something to talk about: interests, needs, what was said last."""
    parts = []
    if item.person.interests:
        parts.append("ask about: " + ", ".join(item.person.interests))
    if item.person.needs:
        parts.append("needs: " + ", ".join(item.person.needs))
    if item.last is not None and item.last.text:
        parts.append("last: " + item.last.text)
    return "; ".join(parts)


DUE_HEADER = ["NAME", "TIER", "LAST CONTACT", "NEXT DUE", "OVERDUE", "HOOKS"]


def due_rows(items: Sequence[Any]) -> list[Row]:
    """The due list as table rows."""
    return [
        [
            i.person.shown,
            i.tier.label if i.tier else (i.person.tier or ""),
            last_contact(i),
            i.next_due.isoformat(),
            str(i.days_overdue) if i.status == "overdue" else "due",
            hooks(i),
        ]
        for i in items
    ]


def due_json(items: Sequence[Any]) -> list[dict[str, object]]:
    """The due list as `--format json` gives it."""
    return [
        {
            "name": i.person.name,
            "shown": i.person.shown,
            "path": i.person.path,
            "tier": i.person.tier,
            "status": i.status,
            "last_contact": i.last.date.isoformat() if i.last else None,
            "last_source": i.last.source if i.last else None,
            "next_due": i.next_due.isoformat(),
            "days_overdue": i.days_overdue,
            "cadence": str(i.cadence),
            "interests": list(i.person.interests),
            "needs": list(i.person.needs),
            "last_text": i.last.text if i.last else None,
        }
        for i in items
    ]


def card(data: Any, key: Callable[[str], str]) -> tuple[list[Row], list[Section]]:
    """`show`: the rows of properties, then the log, connections and introductions."""
    c = data.contact
    rows: list[Row] = []
    for field in ("company", "role", "location", "email", "phone", "address", "linkedin"):
        value = getattr(c, field)
        if value:
            rows.append([f"  {key(field)}", value if isinstance(value, str) else ", ".join(value)])
    if c.birthday:
        rows.append([f"  {key('birthday')}", str(c.birthday)])
    if c.died is not None:
        rows.append([f"  {key('died')}", c.died or "yes"])
    for field in ("tags", "interests", "needs", "offers"):
        if getattr(c, field):
            rows.append([f"  {key(field)}", ", ".join(getattr(c, field))])
    rows += [[f"  {k}", v] for k, v in sorted(c.extra.items())]
    last = data.last
    if last is None:
        rows.append(["  last contact", "never"])
    else:
        what = f"{last.kind}: " if last.kind else ""
        text = f" — {what}{last.text}" if last.text else ""
        where = f"{last.path}:{last.line}" if last.line else last.path
        rows.append(["  last contact", f"{last.date.isoformat()}{text} ({where})"])
    if c.died is not None:
        rows.append(["  next due", "never (died)"])
    elif c.paused:
        rows.append(["  next due", "paused"])
    elif data.next_due is not None:
        cadence = data.cadence
        every = f" ({duration_words(cadence.count, cadence.unit, every=True)})" if cadence else ""
        rows.append(["  next due", f"{data.next_due.isoformat()}{every}"])
    else:
        rows.append(["  next due", "not scheduled"])
    b = data.balance
    status = f" · {b.status}" if b.status else ""
    totals = f"gave {b.gave}, got {b.got} (last 12 months: gave {b.gave_12m}, got {b.got_12m})"
    rows.append(["  balance", totals + status])
    log = [
        f"{e.date.isoformat()}{' ' + e.kind if e.kind else ''}: {e.text}" for e in data.recent_log
    ]
    sections: list[Section] = [
        ("log", [[line] for line in log]),
        ("connections", [[f"{x.name} — {x.reason}"] for x in data.connections]),
        ("introductions", [[i.reason] for i in data.intros]),
    ]
    if data.paths:
        sections.append(("paths", [[line] for line in path_lines(data.paths)]))
    elif data.tier is not None and data.tier.name == TARGET and c.died is None:  # (as Warm up)
        sections.append(("paths", [["no warm path yet"]]))
    return rows, sections


def path_lines(chains: Sequence[Any]) -> list[str]:
    """The chains to someone you want to meet, one line each: people, then each hop."""
    lines = []
    for people, length, hops in chain_lines(chains):
        lines.append(people + length)
        lines += [f"     {hop}" for hop in hops]
    return lines


def review(data: Any) -> tuple[str, list[Section]]:
    """`review`: the tiers' loads, then the suggestions by kind."""
    loads = " · ".join(
        f"{t.tier.label} {t.members}" + (f"/{t.tier.capacity}" if t.tier.capacity else "")
        for t in data.tiers
    )

    def change(s: Any) -> Row:
        return [s.person.shown, f"{s.current or '—'} → {s.suggested or '—'}", s.reason]

    return loads, [
        ("Over capacity", [[t.tier.label, t.reason] for t in data.over_capacity]),
        ("Promote", [change(s) for s in data.promote]),
        ("Demote", [change(s) for s in data.demote]),
        ("Unclassified", [[u.person.shown, u.reason] for u in data.unclassified]),
        ("Drifting", [[d.person.shown, d.reason] for d in data.drift]),
    ]


def find_rows(
    hits: Sequence[Any], tier_label: Callable[[str | None], str], filters: Row
) -> list[Row]:
    """`find`: name, tier, where it matched, path."""
    return [
        [
            h.contact.shown,
            tier_label(h.contact.tier),
            ", ".join(h.fields) or ", ".join(filters),
            h.contact.path,
        ]
        for h in hits
    ]


def chain_lines(chains: Sequence[Any]) -> list[tuple[str, str, list[str]]]:
    """`path`: each chain's people, its length and match, and its hops' reasons."""
    found = []
    for number, chain in enumerate(chains, 1):
        hops = len(chain.hops)
        length = "you know them directly" if not hops else f"{hops} hop{'s' if hops != 1 else ''}"
        match = f" · matches {chain.match}" if chain.match and chain.match != "name" else ""
        found.append(
            (
                one_line(f"{number}. {' → '.join(chain.people)}"),
                one_line(f"   {length}{match}"),
                [one_line(hop.reason) for hop in chain.hops],
            )
        )
    return found


def balance_rows(rows: Sequence[Any]) -> list[Row]:
    """`balance`: gave and got, in all and in the last 12 months, and the status."""
    return [
        [b.person.shown, str(b.gave), str(b.got), str(b.gave_12m), str(b.got_12m), b.status or ""]
        for b in rows
    ]


def near(data: Any, tier_label: Callable[[str | None], str]) -> list[Section]:
    """`near`: whom you know there (due ones first), two hops away, introductions."""
    people = data.people

    def status(path: str) -> str:
        item = data.due.get(path)
        if item is not None and item.status == "overdue":
            return f"{plural(item.days_overdue, 'day')} overdue"
        if item is not None:
            return "due this week"
        upcoming = data.next_due.get(path)
        return f"next due {upcoming.isoformat()}" if upcoming else "not scheduled"

    return [
        (
            "You know there",
            [
                [people[p.path].shown, tier_label(people[p.path].tier), p.where, status(p.path)]
                for p in data.known
            ],
        ),
        (
            "Two hops away",
            [
                [people[p.path].shown, p.where, f"through {people[via].shown}"]
                for p, via in data.place.two_hops
            ],
        ),
        (
            "You want to meet there",
            [
                [people[p.path].shown, p.where, f"through {people[via].shown}" if via else ""]
                for p, via in data.place.wanted
            ],
        ),
        ("Also in your notes", [[people[p.path].shown, p.where] for p in data.place.others]),
        ("Introductions there", [[i.reason] for i in data.place.intros]),
    ]


def near_json(data: Any) -> dict[str, object]:
    """`near --format json`."""
    people = data.people

    def person(found: Any, via: str | None = None) -> dict[str, object]:
        item = data.due.get(found.path)
        upcoming = data.next_due.get(found.path)
        return {
            "name": people[found.path].name,
            "path": found.path,
            "tier": people[found.path].tier,
            "where": found.where,
            "status": item.status if item is not None else None,
            "days_overdue": item.days_overdue if item is not None else 0,
            "next_due": upcoming.isoformat() if upcoming else None,
            "through": people[via].name if via is not None else None,
        }

    return {
        "known": [person(p) for p in data.known],
        "two_hops": [person(p, via) for p, via in data.place.two_hops],
        "want_to_meet": [person(p, via) for p, via in data.place.wanted],
        "others": [person(p) for p in data.place.others],
        "intros": [i.as_dict() for i in data.place.intros],
    }
