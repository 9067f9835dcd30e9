"""What the editing commands do: plan one safe edit of one note (add, log, snooze, …)."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from netzwerk import edit
from netzwerk.config import Config
from netzwerk.files import create, shown_path, vault_lock, writable
from netzwerk.model import (
    CONTACT_KINDS,
    KNOWN_KEYS,
    LIST_KEYS,
    LOG_KINDS,
    Contact,
    Duration,
    Snapshot,
    parse_date,
)
from netzwerk.notes import parse_birthday
from netzwerk.problems import Refused
from netzwerk.render import render
from netzwerk.text import did_you_mean, fold

CONTACT_TEMPLATE = "contact.md.j2"
# Characters that break an Obsidian link or a file name on some system.
_UNSAFE_NAME = re.compile(r'[\[\]#^|\\/:*"<>?\x00-\x1f]')


class ActionError(Refused):
    """The command cannot do what was asked; nothing was written."""


class Planned(NamedTuple):
    """A planned change and a one-line account of it."""

    edit: edit.Edit
    summary: str
    create: bool = False


def safe_file_name(name: str) -> str:
    """A file name Obsidian can link to: no `[]#^|\\/:*"<>?`, no leading dot or `_`."""
    cleaned = _UNSAFE_NAME.sub(" ", unicodedata.normalize("NFC", name))
    cleaned = re.sub(r"\s+", " ", cleaned).strip().lstrip("._ ").rstrip(". ")
    if not cleaned:
        raise ActionError(f"{name!r} cannot be made into a file name")
    return cleaned[:120].rstrip()


def check_tier(config: Config, tier: str) -> str:
    names = [t.name for t in config.tiers]
    if tier in names:
        return tier
    lowered = [n for n in names if n.lower() == tier.lower()]
    if lowered:
        return lowered[0]
    hint = did_you_mean(tier, names, cutoff=0.4)
    raise ActionError(f"unknown tier {tier!r}{hint} (tiers: {', '.join(names)})")


def _name_taken(snapshot: Snapshot, name: str) -> Contact | None:
    wanted = fold(name)
    for contact in snapshot.contacts:
        if any(fold(n) == wanted for n in contact.names):
            return contact
    return None


def parse_value(config: Config, key: str, raw: str) -> object:
    """A `--set KEY=VALUE` value, typed and checked like the note would be."""
    value = raw.strip()
    if key in ("last_contact", "snooze_until"):
        day = parse_date(value)
        if day is None:
            raise ActionError(f"{key}: {raw!r} is not a date (YYYY-MM-DD)")
        return day
    if key == "birthday":
        if parse_birthday(value) is None:
            raise ActionError(f"birthday: {raw!r} is not a date (YYYY-MM-DD or --MM-DD)")
        return value
    if key == "cadence":
        if Duration.parse(value) is None:
            raise ActionError(f"cadence: {raw!r} is not a duration (10d, 3w, 2m, 1y, never)")
        return value.lower()
    if key == "tier":
        return _tier_value(check_tier(config, value))
    if key == "paused":
        if value.lower() not in ("true", "false"):
            raise ActionError(f"paused: {raw!r} must be true or false")
        return value.lower() == "true"
    if key in ("knows", "introduced_by") and not value.startswith("[["):
        return f"[[{value}]]"
    return value


def plan_add(
    config: Config,
    snapshot: Snapshot,
    name: str,
    *,
    tier: str | None,
    tags: Sequence[str],
    sets: Sequence[tuple[str, str]],
    today: date,
) -> Planned:
    """A new contact note from the contact template; refuses a name that exists."""
    name = " ".join(name.split())
    taken = _name_taken(snapshot, name)
    if taken is not None:
        raise ActionError(f"{name!r} already exists: {taken.path} ({taken.name})")
    file_name = safe_file_name(name)
    if file_name != name:
        raise ActionError(
            f"{name!r} cannot be a note title (Obsidian cannot link "
            f"{' '.join(sorted(set(_UNSAFE_NAME.findall(name))))}); try {file_name!r}"
        )
    path = config.root / config.contacts[0] / f"{file_name}.md"
    writable(path, config.root)  # refused now, not after the template ran
    if os.path.lexists(path):
        raise ActionError(f"{shown_path(path, config.root)} already exists")
    values: dict[str, object] = {}
    if tier is not None:
        values[config.key("tier")] = _tier_value(check_tier(config, tier))
    if tags:
        values[config.key("tags")] = [t.lstrip("#") for t in tags]
    for key, raw in sets:
        prop = config.key(key) if key in KNOWN_KEYS else key
        value = parse_value(config, key, raw)
        if key in LIST_KEYS:
            existing = values.get(prop)
            items = list(existing) if isinstance(existing, list) else []
            values[prop] = [*items, value]
        else:
            values[prop] = value
    for key in ("email", "phone"):  # one address is written as one value, as most vaults do
        written = values.get(config.key(key))
        if isinstance(written, list) and len(written) == 1:
            values[config.key(key)] = written[0]
    text = render(
        config,
        CONTACT_TEMPLATE,
        {"name": name, "today": today.isoformat(), "tier": tier or "", "tags": list(tags)},
    )
    before = b""
    after = edit.apply_ops(text.encode("utf-8"), [edit.SetKey(k, v) for k, v in values.items()])
    return Planned(edit.Edit(path, before, after), "created", create=True)


def plan_log(
    config: Config,
    contact: Contact,
    text: str,
    *,
    kind: str | None,
    day: date,
    today: date,
) -> Planned:
    """A log line; `last_contact` is raised when the line counts as contact and is newer."""
    if kind is not None:
        kind = kind.lower()
        if kind not in LOG_KINDS:
            hint = did_you_mean(kind, LOG_KINDS)
            raise ActionError(f"unknown kind {kind!r}{hint} (kinds: {', '.join(LOG_KINDS)})")
    if day > today:
        raise ActionError(f"{day.isoformat()} is in the future; log what has happened")
    ops: list[edit.SetKey | edit.AddLog] = [edit.AddLog(day, kind, text)]
    summary = f"logged {day.isoformat()}{' ' + kind if kind else ''} for {contact.name}"
    counts = kind is None or kind in CONTACT_KINDS
    if counts and (contact.last_contact is None or day > contact.last_contact):
        ops.append(edit.SetKey(config.key("last_contact"), day))
        was = contact.last_contact.isoformat() if contact.last_contact else "none"
        summary += f"; last_contact {was} → {day.isoformat()}"
    return Planned(edit.plan(_path(config, contact), ops), summary)


def plan_snooze(config: Config, contact: Contact, until: str, *, today: date) -> Planned:
    """`snooze_until` a date, or a duration from today."""
    day = parse_date(until)
    if day is None:
        duration = Duration.parse(until)
        if duration is None or duration.never:
            raise ActionError(f"{until!r} is neither a date (YYYY-MM-DD) nor a duration (2w, 3m)")
        day = duration.after(today)
        if day is None:
            raise ActionError(f"{until!r} is too far in the future")
    if day <= today:
        raise ActionError(f"{day.isoformat()} is not in the future")
    op = edit.SetKey(config.key("snooze_until"), day)
    summary = f"snoozed {contact.name} until {day.isoformat()}"
    return Planned(edit.plan(_path(config, contact), [op]), summary)


def plan_pause(config: Config, contact: Contact, *, paused: bool) -> Planned:
    """Set `paused: true`, or remove it."""
    op = edit.SetKey(config.key("paused"), True if paused else None)
    summary = f"{'paused' if paused else 'unpaused'} {contact.name}"
    return Planned(edit.plan(_path(config, contact), [op]), summary)


def plan_tier(config: Config, contact: Contact, tier: str) -> Planned:
    """Move a contact to another configured tier."""
    name = check_tier(config, tier)
    op = edit.SetKey(config.key("tier"), _tier_value(name))
    summary = f"{contact.name}: tier {contact.tier or 'none'} → {name}"
    return Planned(edit.plan(_path(config, contact), [op]), summary)


def _tier_value(name: str) -> object:
    # `tier: 10` as Obsidian users write it, not `tier: "10"`.
    return int(name) if name.isdigit() and not name.startswith("0") else name


def _path(config: Config, contact: Contact) -> Path:
    """The contact's note, refused now (also for --dry-run) if netzwerk would not write it."""
    path = config.root / contact.path
    writable(path, config.root)
    return path


def written_folders(config: Config) -> list[Path]:
    """The folders netzwerk writes notes in (besides the vault's own and `.netzwerk/`)."""
    return [config.root / folder for folder in (*config.contacts, config.digest_dir)]


def apply(config: Config, planned: Planned) -> bool:
    """Write a planned change under the vault lock; False when nothing changes."""
    with vault_lock(config.cache_dir, tidy=written_folders(config)):
        if planned.create:
            create(planned.edit.path, planned.edit.after.decode("utf-8"), root=config.root)
            return True
        return edit.write(planned.edit, root=config.root)
