"""`netzwerk init`: adopt an existing vault (what `adopt` finds becomes netzwerk.toml) or set
up a new one; never overwrite a file."""

from __future__ import annotations

import contextlib
import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from netzwerk import adopt, notes
from netzwerk.config import (
    CONFIG_FILE,
    Config,
    obsidian_daily_notes,
    obsidian_templates,
    vault_file,
)
from netzwerk.files import CACHE_DIR, create, read_regular, replace_file, writable
from netzwerk.problems import Problem
from netzwerk.scan import scan


def init_vault(root: Path) -> list[str]:
    """Set up `root` as a vault; returns what was found and done, one line each."""
    done: list[str] = []
    if not root.exists():
        root.mkdir(parents=True)
        done.append(f"created {root}")
    writable(root / ".gitignore", root)  # refused before anything is written, not after
    writable(root / CONFIG_FILE, root)
    found = read_notes(root)
    folders = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    adoption = adopt.adopt(found, obsidian(root), folders)
    done += adoption.found
    config = root / CONFIG_FILE
    if config.exists():
        done += kept(config, adoption.settings)
    else:
        create(config, render(adoption.settings), root=root)  # never over one, never a link
        done.append(f"wrote {CONFIG_FILE}")
        people = root / "People"
        if not found and not people.exists() and not adopt.people_folders([], folders):
            people.mkdir()  # a new vault: where `add` puts people
            done.append("created People/")
    done.append(ignore_cache(root))
    return done


# --- reading the vault ----------------------------------------------------------------------


def read_notes(root: Path) -> list[adopt.Note]:
    """Every note of the vault (as `scan` finds them, notes in Obsidian's template folders
    left out), each read once; none outside the vault, no unrendered templates."""
    # No contact or journal folders: to `scan`, every note is just a note.
    settings = Config(
        root, contacts=(), journal=(), exclude=(), template_folders=obsidian_templates(root)
    )
    inside = _Inside(root)
    found = []
    for file in scan(settings).files:
        if not inside(file.abspath):
            continue  # a symbolic link out of the vault
        try:
            with open(file.abspath, "rb") as handle:
                # Sized by the scan (as `vault` reads notes): a read of the limit allocates it.
                raw = handle.read(min(file.size, notes.MAX_NOTE_BYTES) + 1)
        except OSError:
            continue
        text, _ = notes.decode(file.path, raw)
        if text is None:  # too large, or not UTF-8: a note all the same (`check` says why)
            found.append(adopt.Note(file.path, (), "", 1))
            continue
        if notes.unrendered(file.path, text) is not None:
            continue
        parts = notes.split(file.path, text)
        entries: list[notes.Entry] | None = []
        if parts.front is not None:
            entries = notes.read_front(file.path, parts.front)[0]
        found.append(adopt.Note(file.path, tuple(entries or ()), parts.body, parts.body_line))
    return found


class _Inside:
    """Whether a file is in the vault once links are followed (each folder resolved once)."""

    def __init__(self, root: Path) -> None:
        self.root = os.path.join(os.path.realpath(root), "")
        self.folders: dict[str, bool] = {}

    def __call__(self, path: str) -> bool:
        folder = os.path.dirname(path)
        inside = self.folders.get(folder)
        if inside is None:
            inside = os.path.join(os.path.realpath(folder), "").startswith(self.root)
            self.folders[folder] = inside
        if inside and os.path.islink(path):
            return os.path.realpath(path).startswith(self.root)
        return inside


def obsidian(root: Path) -> adopt.Obsidian:
    """What Obsidian's settings in `root/.obsidian/` say about daily notes and templates."""
    daily = obsidian_daily_notes(root)
    plugins: Any = None
    with contextlib.suppress(OSError, ValueError, RecursionError):
        plugins = json.loads(vault_file(root, ".obsidian/core-plugins.json").decode("utf-8"))
    if isinstance(plugins, dict):
        plugin = plugins.get("daily-notes") is True
    else:
        plugin = isinstance(plugins, list) and "daily-notes" in plugins
    return adopt.Obsidian(
        daily=None if daily is None or isinstance(daily, Problem) else daily,
        daily_outside=isinstance(daily, Problem),
        daily_plugin=plugin,
        templates=obsidian_templates(root),
    )


# --- writing netzwerk.toml -------------------------------------------------------------------

_COMMENTS = {
    "contacts": "folders whose notes are people",
    "contacts_where": "and notes marked as people, wherever they are",
    "exclude": "notes that are never people",
    "journal": "daily notes, whose [[links]] count as contact",
    "journal_format": "their file names",
    "interactions": "properties that name the people a dated note was with",
    "log_headings": "headings whose dated lines are a person's log",
    "connection_headings": "headings whose links are people someone knows",
    "default_tiers": "this vault's own tiers replace 10, 50, 100 and reserve",
}

_NEW = """\
# netzwerk settings. Every setting has a default (README.md lists them all): uncomment and
# change the ones this vault needs.
# contacts = ["People"]              # folders whose notes are people
# contacts_where = ["type = person"] # and notes marked as people, wherever they are
# journal = ["Daily"]                # daily notes, whose [[links]] count as contact
# journal_format = "YYYY-MM-DD"
# week_start = "monday"
#
# [keys]                             # this vault's names for netzwerk's properties
# last_contact = "lastContact"
"""

_HEAD = """\
# netzwerk settings, written by `netzwerk init` from what it found in this vault. Only what
# differs from the defaults is set; README.md lists every setting.
"""


def render(settings: dict[str, Any]) -> str:
    """netzwerk.toml for `settings` (those that differ from the defaults), with comments."""
    if not settings:
        return _NEW
    return _HEAD + "\n" + "\n".join(_lines(settings)).lstrip("\n") + "\n"


def _lines(settings: dict[str, Any]) -> list[str]:
    lines = []
    for name, value in settings.items():
        if name in ("tiers", "keys"):
            continue
        line = f"{name} = {_value(value)}"
        comment = _COMMENTS.get(name)
        lines.append(f"{line}  # {comment}" if comment else line)
    if settings.get("tiers"):
        lines += ["", *_TIERS]
    for index, (name, table) in enumerate(settings.get("tiers", {}).items()):
        lines += [*([""] if index else []), f"[tiers.{_key(name)}]"]
        lines += [f"{key} = {_value(value)}" for key, value in table.items()]
    if settings.get("keys"):
        lines += ["", "[keys]  # netzwerk's name = this vault's property"]
        lines += [f"{key} = {_value(value)}" for key, value in settings["keys"].items()]
    return lines


_TIERS = (
    "# This vault's own tiers, each with the cadence most of its people have (else one its",
    "# name suggests): change any of them.",
)


def _value(value: object) -> str:
    """A TOML value: JSON's strings, lists and booleans are TOML's too."""
    return json.dumps(value, ensure_ascii=False)


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name, ensure_ascii=False)


def kept(config: Path, settings: dict[str, Any]) -> list[str]:
    """The existing netzwerk.toml is kept as it is: the settings found that it does not have,
    to add by hand."""
    try:
        data = tomllib.loads(config.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return [f"kept the existing {CONFIG_FILE} (it has errors: `netzwerk check` shows them)"]
    missing: dict[str, Any] = {}
    for name, value in settings.items():
        if name in ("tiers", "keys"):
            present = data.get(name)
            present = present if isinstance(present, dict) else {}
            rest = {k: v for k, v in value.items() if k not in present}
            if rest:
                missing[name] = rest
        elif name not in data:
            missing[name] = value
    if not missing:
        return [f"kept the existing {CONFIG_FILE}"]
    said = f"kept the existing {CONFIG_FILE}; settings found for this vault that it lacks:"
    return [said, *(f"  {line}" for line in _lines(missing) if line)]


# --- .gitignore ------------------------------------------------------------------------------


def ignore_cache(root: Path) -> str:
    """Add netzwerk's cache folder to the vault's .gitignore, keeping every line as it is."""
    ignore = root / ".gitignore"
    entry = f"{CACHE_DIR}/"
    # Bytes: a .gitignore in another encoding or with CRLF line endings is kept as it is. A
    # .gitignore that is a link, or no regular file, is neither read nor written (`writable`).
    writable(ignore, root)
    raw = read_regular(ignore, MAX_IGNORE_BYTES) if os.path.lexists(ignore) else b""
    lines = {line.strip() for line in raw.decode("utf-8", "replace").splitlines()}
    if lines & {CACHE_DIR, entry, f"/{CACHE_DIR}", f"/{CACHE_DIR}/"}:
        return f".gitignore already ignores {entry}"
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    added = (newline if raw and not raw.endswith(b"\n") else b"") + entry.encode() + newline
    replace_file(ignore, raw + added, root=root, expected=raw if raw else None)
    return f"added {entry} to .gitignore"


MAX_IGNORE_BYTES = 16 * 1024 * 1024
