"""Baseline for the benchmark: the due list computed by a plain python-frontmatter loop.

Usage: python bench/baseline.py VAULT [--today 2026-11-23]

No cache, no cleverness: walk People/ and Daily/, ``frontmatter.load`` every note, compute
each contact's effective last contact and next due date as SPEC.md describes, and print how
many contacts are overdue and due in the ISO week that contains --today.
"""

from __future__ import annotations

import argparse
import calendar
import os
import re
import sys
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import frontmatter

TIER_CADENCE = {"10": (21, "d"), "50": (2, "m"), "100": (6, "m"), "reserve": None}
CONTACT_KINDS = frozenset({"", "call", "meet", "message", "mail", "visit"})
LOG_RE = re.compile(r"^\s*[-*] (\d{4}-\d{2}-\d{2})(?: ([A-Za-z]+))?:", re.MULTILINE)
LINK_RE = re.compile(r"(!?)\[\[([^\]|#^]+)[^\]]*\]\]")
UNCHECKED_RE = re.compile(r"^\s*[-*+] \[ \]")
CADENCE_RE = re.compile(r"^(\d+)\s*([dwmy])$")
DAY_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def fold(text: str) -> str:
    """Case- and accent-insensitive key."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def to_date(value: Any) -> date | None:
    """A date from a YAML value (date, datetime or ISO string), else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def add_cadence(start: date, amount: int, unit: str) -> date:
    """``start`` plus a cadence; months clamp to the end of the month."""
    if unit == "d":
        return start + timedelta(days=amount)
    if unit == "w":
        return start + timedelta(weeks=amount)
    months = start.month - 1 + amount * (12 if unit == "y" else 1)
    year, month = start.year + months // 12, months % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def cadence_of(meta: dict[str, Any]) -> tuple[int, str] | None:
    """The contact's cadence override, else its tier's; None when never scheduled."""
    raw = meta.get("cadence")
    if raw is not None:
        text = str(raw).strip().lower()
        if text == "never":
            return None
        match = CADENCE_RE.match(text)
        if match:
            return int(match.group(1)), match.group(2)
    tier = meta.get("tier")
    if tier is None:
        return None  # unclassified: never due
    return TIER_CADENCE.get(str(tier).strip())


def notes(folder: Path) -> list[Path]:
    """Markdown notes under ``folder``, skipping ``_``/``.`` files, in sorted order."""
    out: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        out.extend(
            Path(root, f) for f in files if f.endswith(".md") and not f.startswith(("_", "."))
        )
    return sorted(out)


def journal_links(body: str) -> list[str]:
    """Link targets that count as contact: not in unchecked tasks, quotes, code or embeds."""
    out: list[str] = []
    fenced = False
    for line in body.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or stripped.startswith(">") or UNCHECKED_RE.match(line):
            continue
        if "[[" not in line:
            continue
        out.extend(target for bang, target in LINK_RE.findall(line) if not bang)
    return out


def compute(vault: Path, today: date) -> tuple[int, int, int, int]:
    """(contacts, journal notes, overdue, due this week)."""
    contacts: dict[str, tuple[dict[str, Any], date | None]] = {}
    by_key: dict[str, str] = {}
    for path in notes(vault / "People"):
        post = frontmatter.load(str(path))
        meta = post.metadata
        title = path.stem
        last = to_date(meta.get("last_contact"))
        for match in LOG_RE.finditer(post.content):
            kind = (match.group(2) or "").lower()
            day = to_date(match.group(1))
            if kind in CONTACT_KINDS and day is not None and (last is None or day > last):
                last = day
        contacts[title] = (meta, last)
        by_key[fold(title)] = title
        aliases = meta.get("aliases") or []
        for alias in aliases if isinstance(aliases, list) else [aliases]:
            by_key.setdefault(fold(str(alias)), title)

    journal = notes(vault / "Daily")
    seen: dict[str, date] = {}
    for path in journal:
        post = frontmatter.load(str(path))
        day_match = DAY_RE.match(path.stem)
        day = to_date(day_match.group(1)) if day_match else to_date(post.metadata.get("date"))
        if day is None:
            continue
        for target in journal_links(post.content):
            linked = by_key.get(fold(target))
            if linked is not None and (linked not in seen or day > seen[linked]):
                seen[linked] = day

    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    overdue = due = 0
    for title, (meta, last) in contacts.items():
        if meta.get("paused") is True:
            continue
        cadence = cadence_of(meta)
        if cadence is None:
            continue
        journal_day = seen.get(title)
        if journal_day is not None and (last is None or journal_day > last):
            last = journal_day
        next_due = today if last is None else add_cadence(last, *cadence)
        snooze = to_date(meta.get("snooze_until"))
        if snooze is not None and snooze > next_due:
            next_due = snooze
        if next_due < week_start:
            overdue += 1
        elif next_due <= week_end:
            due += 1
    return len(contacts), len(journal), overdue, due


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 23))
    args = parser.parse_args(argv)
    n_contacts, n_journal, overdue, due = compute(args.vault, args.today)
    print(
        f"{n_contacts} contacts, {n_journal} journal notes: {overdue} overdue, {due} due this week"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
