"""`netzwerk init`: create a vault or adopt an existing Obsidian vault; never overwrite."""

from __future__ import annotations

import json
from pathlib import Path

from netzwerk.config import CACHE_DIR, CONFIG_FILE

PEOPLE_FOLDERS = ("people", "contacts", "persons", "friends")


def detect_people(root: Path) -> str | None:
    """An existing people folder (`People`, `Contacts`, `Persons`, `Friends`, any case)."""
    if not root.is_dir():
        return None
    found = sorted(
        p.name for p in root.iterdir() if p.is_dir() and p.name.lower() in PEOPLE_FOLDERS
    )
    found.sort(key=lambda name: PEOPLE_FOLDERS.index(name.lower()))
    return found[0] if found else None


def detect_daily(root: Path) -> str | None:
    """The daily-notes folder Obsidian is configured with."""
    settings = root / ".obsidian" / "daily-notes.json"
    try:
        data = json.loads(settings.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    folder = data.get("folder") if isinstance(data, dict) else None
    if isinstance(folder, str) and folder.strip("/ "):
        return folder.strip("/ ")
    return None


def render_config(people: str, daily: str) -> str:
    """A netzwerk.toml with every setting written out at its default."""
    return f"""# netzwerk settings: every value here is the default unless you change it.
contacts = [{json.dumps(people)}]   # folders whose notes are people
journal = [{json.dumps(daily)}]     # dated notes whose [[links]] count as contact
digest_dir = "Digests"
templates = "Templates/netzwerk"
week_start = "monday"

[tiers.10]
label = "Top 10"
cadence = "3w"
capacity = 10

[tiers.50]
label = "Top 50"
cadence = "2m"
capacity = 50

[tiers.100]
label = "Top 100"
cadence = "6m"
capacity = 100

[tiers.reserve]
label = "Reserve"
cadence = "never"

# [keys]                          # property names, if your notes use other ones
# last_contact = "lastContact"
"""


def init_vault(root: Path) -> list[str]:
    """Set up `root` as a vault; returns what was done, one line each."""
    done: list[str] = []
    if not root.exists():
        root.mkdir(parents=True)
        done.append(f"created {root}")
    people = detect_people(root)
    daily = detect_daily(root) or "Daily"
    config = root / CONFIG_FILE
    if config.exists():
        done.append(f"kept the existing {CONFIG_FILE}")
    else:
        people = people or "People"
        with open(config, "x", encoding="utf-8") as handle:
            handle.write(render_config(people, daily))
        done.append(f"wrote {CONFIG_FILE} (contacts in {people}/, journal in {daily}/)")
    for folder in (people or "People", daily):
        path = root / folder
        if not path.exists():
            path.mkdir(parents=True)
            done.append(f"created {folder}/")
    ignore = root / ".gitignore"
    entry = f"{CACHE_DIR}/"
    lines = ignore.read_text(encoding="utf-8").splitlines() if ignore.exists() else []
    if entry in lines or CACHE_DIR in lines or f"/{CACHE_DIR}/" in lines:
        done.append(f".gitignore already ignores {entry}")
    else:
        with open(ignore, "a", encoding="utf-8") as handle:
            text = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
            if text and not text.endswith("\n"):
                handle.write("\n")
            handle.write(entry + "\n")
        done.append(f"added {entry} to .gitignore")
    return done
