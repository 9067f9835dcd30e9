"""`netzwerk init`: create a vault or adopt an existing Obsidian vault; never overwrite."""

from __future__ import annotations

import json
from pathlib import Path

from netzwerk.config import CACHE_DIR, CONFIG_FILE, load_config

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
        # Its folders, not detected ones; none when it has errors (they would be defaults).
        settings, problems = load_config(root)
        folders = [] if problems else [*settings.contacts[:1], *settings.journal[:1]]
    else:
        people = people or "People"
        with open(config, "x", encoding="utf-8") as handle:
            handle.write(render_config(people, daily))
        done.append(f"wrote {CONFIG_FILE} (contacts in {people}/, journal in {daily}/)")
        folders = [people, daily]
    for folder in folders:
        path = root / folder
        if not path.exists():
            path.mkdir(parents=True)
            done.append(f"created {folder}/")
    ignore = root / ".gitignore"
    entry = f"{CACHE_DIR}/"
    # Bytes: a .gitignore in another encoding or with CRLF line endings is kept as it is.
    raw = ignore.read_bytes() if ignore.exists() else b""
    lines = {line.strip() for line in raw.decode("utf-8", "replace").splitlines()}
    if lines & {CACHE_DIR, entry, f"/{CACHE_DIR}", f"/{CACHE_DIR}/"}:
        done.append(f".gitignore already ignores {entry}")
    else:
        newline = b"\r\n" if b"\r\n" in raw else b"\n"
        with open(ignore, "ab") as handle:
            if raw and not raw.endswith(b"\n"):
                handle.write(newline)
            handle.write(entry.encode("utf-8") + newline)
        done.append(f"added {entry} to .gitignore")
    return done
