"""The vault's note files as they are on disk: found, with their size and mtime.

Only what a command needs before it reads any note: a warm run, answered from a result kept
for exactly these files (`netzwerk.store.results`), needs nothing more.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import NamedTuple

from netzwerk.config import CACHE_DIR, Config
from netzwerk.problems import Problem, error, warning


class NoteFile(NamedTuple):
    """A note found on disk."""

    path: str  # relative, POSIX separators
    abspath: str
    kind: str  # "contact" or "journal"
    size: int
    mtime_ns: int


class Scan(NamedTuple):
    """Every contact and journal note, sorted by path, and problems with the folders."""

    files: list[NoteFile]
    problems: list[Problem]


def scan(config: Config) -> Scan:
    """Every contact and journal note of the vault, sorted; problems with the folders."""
    found: dict[str, NoteFile] = {}
    problems: list[Problem] = []
    root = str(config.root)
    skip = {config.templates, CACHE_DIR, config.digest_dir}
    for kind, folders in (("journal", config.journal), ("contact", config.contacts)):
        for folder in folders:
            # The vault and the folders above this one: a link back to them is a loop too.
            parts = folder.split("/")
            above = [root, *(os.path.join(root, *parts[:n]) for n in range(1, len(parts)))]
            _walk(root, folder, kind, skip, found, problems, _identities(above))
    return Scan(sorted(found.values()), problems)


def _identities(paths: list[str]) -> set[tuple[int, int]]:
    seen = set()
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            continue
        seen.add((info.st_dev, info.st_ino))
    return seen


def _walk(
    root: str,
    rel: str,
    kind: str,
    skip: set[str],
    found: dict[str, NoteFile],
    problems: list[Problem],
    seen: set[tuple[int, int]],
) -> None:
    folder = os.path.join(root, rel)
    try:
        info = os.stat(folder)
    except OSError:
        return
    if (info.st_dev, info.st_ino) in seen:
        problems.append(
            warning(rel, None, "NW109", "symbolic link loop: links back to a folder already read")
        )
        return
    seen.add((info.st_dev, info.st_ino))
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        problems.append(error(rel, None, "NW102", f"cannot read folder: {reason(exc)}"))
        return
    for entry in entries:
        name = entry.name
        path = f"{rel}/{name}"
        if name.startswith(".") or path in skip:
            continue
        try:
            is_dir = entry.is_dir()
            note_stat = None if is_dir else entry.stat()
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                problems.append(warning(path, None, "NW109", "symbolic link loop; not followed"))
            elif name.endswith(".md"):
                problems.append(error(path, None, "NW102", f"cannot read: {reason(exc)}"))
            continue
        if is_dir:
            if name.endswith(".md"):
                problems.append(
                    warning(
                        path,
                        None,
                        "NW108",
                        "a folder is named like a note; its notes are read as a folder's",
                    )
                )
            _walk(root, path, kind, skip, found, problems, seen)
            continue
        if not name.endswith(".md") or note_stat is None or not stat.S_ISREG(note_stat.st_mode):
            continue
        if kind == "contact" and name.startswith("_"):
            continue
        if path not in found:
            found[path] = NoteFile(path, entry.path, kind, note_stat.st_size, note_stat.st_mtime_ns)


def reason(exc: OSError) -> str:
    """Why a file or folder cannot be read, as a message says it."""
    return (exc.strerror or str(exc)).lower()
