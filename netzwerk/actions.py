"""What the editing commands do: plan one safe edit of one note (add, log, snooze, …)."""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from netzwerk import edit
from netzwerk.config import Config
from netzwerk.facts import WAS
from netzwerk.files import create, shown_path, vault_lock, writable
from netzwerk.model import (
    CONTACT_KINDS,
    DURATION_HINT,
    KNOWN_KEYS,
    LIST_KEYS,
    LOG_KINDS,
    Contact,
    Duration,
    Snapshot,
    parse_date,
)
from netzwerk.notes import parse_birthday
from netzwerk.problems import BadValue, Refused
from netzwerk.render import renderer
from netzwerk.text import did_you_mean, fold

CONTACT_TEMPLATE = "contact.md.j2"
# Characters that break an Obsidian link or a file name on some system.
MAX_TITLE = 120  # characters of a new note's title (file systems allow 255 bytes)
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
        raise ActionError(f"{name!r} cannot be made into a note title: it has no letters")
    return cleaned[:MAX_TITLE].rstrip()


def _why_not(name: str) -> str:
    """Why `name` cannot be a note's title as it is, in words."""
    unsafe = sorted({c for c in _UNSAFE_NAME.findall(name) if c.isprintable()})
    if unsafe:
        return f"Obsidian cannot link {' '.join(unsafe)}"
    if any(not c.isprintable() for c in name):
        return "it holds a control character"
    if name.startswith(("_", ".")):
        return "a name starting with . or _ is hidden or left out"
    if len(name) > MAX_TITLE or len(name.encode("utf-8")) > 240:
        return f"a title is at most {MAX_TITLE} characters"
    return "it ends with a dot or a space"


def check_tier(config: Config, tier: str) -> str:
    """The name of the tier `tier` means (its name or label, in any case); BadValue if none."""
    found = config.tier(tier)
    if found is not None:
        return found.name
    names = [t.name for t in config.tiers]
    hint = did_you_mean(tier, [*names, *(t.label for t in config.tiers)], cutoff=0.4)
    raise BadValue(f"unknown tier {tier!r}{hint} (tiers: {', '.join(names)})")


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
            raise BadValue(f"{key}: {raw!r} is not a date (YYYY-MM-DD)")
        return day
    if key == "birthday":
        if parse_birthday(value) is None:
            raise BadValue(f"birthday: {raw!r} is not a date (YYYY-MM-DD or --MM-DD)")
        return value
    if key == "cadence":
        if Duration.parse(value) is None:
            raise BadValue(f"cadence: {raw!r} is not a duration; {DURATION_HINT}")
        return value.lower()
    if key == "tier":
        return _tier_value(check_tier(config, value))
    if key == "paused":
        if value.lower() not in ("true", "false"):
            raise BadValue(f"paused: {raw!r} must be true or false")
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
        raise ActionError(f"{name!r} cannot be a note title ({_why_not(name)}); try {file_name!r}")
    path = new_note_path(config, file_name, people_folder(config, snapshot.contacts))
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
    after = new_note(config, name, values, tier=tier, tags=tags, today=today)
    return Planned(edit.Edit(path, b"", after), "created", create=True)


def new_note_path(config: Config, file_name: str, where: str) -> Path:
    """Where a new note called `file_name` goes in the folder `where` (`people_folder`);
    ActionError for a name that would leave it."""
    folder = Path(os.path.normpath(config.root / where))
    path = Path(os.path.normpath(folder / f"{file_name}.md"))  # (links: `files.writable`)
    if path.parent != folder:
        raise ActionError(f"{file_name!r} would be written outside {where or 'the vault'}/")
    return path


def new_note(
    config: Config,
    name: str,
    values: Mapping[str, object],
    *,
    tier: str | None = None,
    tags: Sequence[str] = (),
    today: date,
    template: Callable[[Mapping[str, object]], str] | None = None,
    logs: Sequence[edit.AddLog] = (),
) -> bytes:
    """A new contact note's bytes: the contact template rendered for `name`, then `values`
    (by property name, as this vault writes them) set, then `logs` added. `template` is the
    contact template loaded once (`render.renderer`), for making many notes."""
    written = dict(values)
    for key in ("email", "phone"):  # one address is written as one value, as most vaults do
        value = written.get(config.key(key))
        if isinstance(value, list | tuple) and len(value) == 1:
            written[config.key(key)] = value[0]
    if not config.contacts:  # people are found by a property: a new note gets it
        rule = config.contacts_where[0]
        prop = next((p for p in written if p.casefold() == rule.key), rule.key)
        had = written.get(prop)
        if isinstance(had, list | tuple):
            written[prop] = [*had, rule.written] if rule.written not in had else list(had)
        elif rule.written.startswith("[[") or rule.key in ("tags", "categories", "aliases"):
            written[prop] = [rule.written]
        else:
            written[prop] = rule.written
    context = {
        "name": name,
        "today": today.isoformat(),
        "tier": tier or "",
        "tags": list(tags),
        "key": {key: config.key(key) for key in KNOWN_KEYS},  # the vault's property names
        "log_heading": config.log_headings[0],
    }
    text = (template or renderer(config, CONTACT_TEMPLATE))(context)
    # A template that writes netzwerk's own name of a property the vault names otherwise
    # (`company:` where the vault has `org:`) leaves no empty second property behind.
    removals = [
        edit.SetKey(key, None)
        for key, prop in config.keys.items()
        if key.casefold() != prop.casefold()
    ]
    ops: list[edit.SetKey | edit.AddLog] = [*_only_empty(text, removals)]
    ops += [edit.SetKey(k, v) for k, v in written.items()]
    return edit.apply_ops(text.encode("utf-8"), [*ops, *logs])


def people_folder(config: Config, contacts: Sequence[Contact]) -> str:
    """Where a new person's note goes: the first contact folder; where people are found by a
    property only, where most of them lie (the vault itself when there are none)."""
    if config.contacts:
        return config.contacts[0]
    folders = Counter(c.path.rsplit("/", 1)[0] if "/" in c.path else "" for c in contacts)
    return min(folders, key=lambda f: (-folders[f], f)) if folders else ""


def _only_empty(text: str, ops: list[edit.SetKey]) -> list[edit.SetKey]:
    """The removals, less those of properties the rendered template gave a value."""
    data = text.encode("utf-8")
    return [
        op
        for op in ops
        if op.value is not None or edit.property_value(data, op.key) in (None, "", [])
    ]


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
            hint = did_you_mean(kind, LOG_KINDS, cutoff=0.5)
            raise BadValue(f"unknown kind {kind!r}{hint} (kinds: {', '.join(LOG_KINDS)})")
    if day > today:
        raise BadValue(f"{day.isoformat()} is in the future; log what has happened")
    summary = f"logged {day.isoformat()}{' ' + kind if kind else ''} for {contact.shown}"
    counts = kind is None or kind in CONTACT_KINDS
    raised: list[edit.SetKey] = []
    if counts and (contact.last_contact is None or day > contact.last_contact):
        key = config.key("last_contact")
        raised.append(edit.SetKey(key, day, only_later=True))
        old = contact.last_contact
        summary += f"; {key} {old.isoformat() if old else 'none'} → {day.isoformat()}"
        if old is not None and not any(
            entry.date == old and (entry.kind is None or entry.kind in CONTACT_KINDS)
            for entry in contact.log
        ):
            # The contact last_contact recorded is kept in the line that replaces it (as a
            # tick's line does): else a first log line would read as a first meeting.
            was = f"{key} was {old.isoformat()}"
            text = f"{text} {WAS} {was}" if text.strip() else was
    ops: list[edit.SetKey | edit.AddLog] = [edit.AddLog(day, kind, text, config.log_headings)]
    ops += raised
    return Planned(edit.plan(_path(config, contact), ops), summary)


def plan_snooze(config: Config, contact: Contact, until: str, *, today: date) -> Planned:
    """`snooze_until` a date, or a duration from today."""
    day = parse_date(until)
    if day is None:
        duration = Duration.parse(until)
        if duration is None or duration.never:
            raise BadValue(f"{until!r} is neither a date (YYYY-MM-DD) nor a duration (2w, 3m)")
        day = duration.after(today)
        if day is None:
            raise BadValue(f"{until!r} is too far in the future")
    if day <= today:
        raise BadValue(f"{day.isoformat()} is not in the future")
    op = edit.SetKey(config.key("snooze_until"), day)
    summary = f"snoozed {contact.shown} until {day.isoformat()}"
    return Planned(edit.plan(_path(config, contact), [op]), summary)


def plan_pause(config: Config, contact: Contact, *, paused: bool) -> Planned:
    """Set `paused: true`, or remove it."""
    op = edit.SetKey(config.key("paused"), True if paused else None)
    summary = f"{'paused' if paused else 'unpaused'} {contact.shown}"
    return Planned(edit.plan(_path(config, contact), [op]), summary)


NO_TIER = "none"  # `tier NAME none`: the contact has no tier any more


def plan_tier(config: Config, contact: Contact, tier: str) -> Planned:
    """Move a contact to another configured tier (its name or label), or to none."""
    if tier.strip().casefold() == NO_TIER and config.tier(tier) is None:
        op = edit.SetKey(config.key("tier"), None)
        summary = f"{contact.shown}: {config.key('tier')} {contact.tier or 'none'} → none"
        return Planned(edit.plan(_path(config, contact), [op]), summary)
    name = check_tier(config, tier)
    op = edit.SetKey(config.key("tier"), _tier_value(name))
    summary = f"{contact.shown}: {config.key('tier')} {contact.tier or 'none'} → {name}"
    return Planned(edit.plan(_path(config, contact), [op]), summary)


def plan_unsnooze(config: Config, contact: Contact) -> Planned:
    """Remove `snooze_until`: due again as the cadence says."""
    op = edit.SetKey(config.key("snooze_until"), None)
    return Planned(edit.plan(_path(config, contact), [op]), f"unsnoozed {contact.shown}")


def _tier_value(name: str) -> object:
    # `tier: 10` as Obsidian users write it, not `tier: "10"`.
    return int(name) if name.isdigit() and not name.startswith("0") else name


def _path(config: Config, contact: Contact) -> Path:
    """The contact's note, refused now (also for --dry-run) if netzwerk would not write it."""
    path = config.root / contact.path
    writable(path, config.root)
    return path


def apply(config: Config, planned: Planned) -> bool:
    """Write a planned change under the vault lock; False when nothing changes."""
    with vault_lock(config.cache_dir, tidy=config.written_folders()):
        if planned.create:
            create(planned.edit.path, planned.edit.after.decode("utf-8"), root=config.root)
            return True
        return edit.write(planned.edit, root=config.root)
