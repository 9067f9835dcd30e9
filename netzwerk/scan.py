"""The vault's notes as they are on disk: found, with their size and mtime.

Only what a command needs before it reads any note: a warm run, answered from a result kept
for exactly these files (`netzwerk.store.results`), needs nothing more.

Every Markdown note of the vault is found, but for hidden folders (`.obsidian`, `.git`,
`.netzwerk`), templates, digests and what `exclude` names: people may be kept anywhere
(`contacts_where`), and a meeting may be noted anywhere (`interactions`).
"""

from __future__ import annotations

import errno
import fnmatch
import functools
import hashlib
import marshal
import os
import re
import stat
from typing import NamedTuple

from netzwerk.config import Config
from netzwerk.files import CACHE_DIR, readable
from netzwerk.problems import Problem, error, warning


class NoteFile(NamedTuple):
    """A note found on disk."""

    path: str  # relative, POSIX separators
    abspath: str
    kind: str  # "contact" (in a contact folder), "journal" (in a journal folder) or "note"
    size: int
    mtime_ns: int


class Scan(NamedTuple):
    """Every note, sorted by path, and problems with the contact and journal folders."""

    files: list[NoteFile]
    problems: list[Problem]
    stamp: bytes  # a hash of every note's path, size and mtime (what a kept result is for)
    newest: int  # the latest mtime of a note (ns; 0: none)


def scan(config: Config) -> Scan:
    """Every note of the vault, sorted, with where it lies; problems with the folders."""
    found: dict[str, NoteFile] = {}
    problems: list[Problem] = []
    _Walker(config, found, problems).walk("")
    files = sorted(found.values())
    # marshal format 0: one canonical byte string for a list of tuples, quickly made.
    notes = marshal.dumps([(f.path, f.size, f.mtime_ns) for f in files], 0)
    newest = max((f.mtime_ns for f in files), default=0)
    return Scan(files, problems, hashlib.sha256(notes).digest(), newest)


def kind_of(path: str, config: Config) -> str:
    """Where a note lies: "contact", "journal" or "note"."""
    return folder_kind(path.rsplit("/", 1)[0] if "/" in path else "", config)


def folder_kind(folder: str, config: Config) -> str:
    """What the notes directly in `folder` (relative; "" for the vault's own) are: "contact"
    in a contact folder or one of its folders, "journal" likewise, else "note"."""
    for kind, folders in (("contact", config.contacts), ("journal", config.journal)):
        for top in folders:
            if folder == top or (top and folder.startswith(f"{top}/")):
                return kind
    return "note"


def excluded(path: str, config: Config) -> bool:
    """Whether a note matches one of the `exclude` patterns (its path or its file name)."""
    folded = path.casefold()  # (README.md, Readme.md: file names as people see them)
    names, pattern = _exclusion(config.exclude)
    name = folded.rsplit("/", 1)[-1]
    if folded in names or name in names:
        return True
    return pattern is not None and bool(pattern.match(folded) or pattern.match(name))


@functools.lru_cache(maxsize=8)
def _exclusion(patterns: tuple[str, ...]) -> tuple[frozenset[str], re.Pattern[str] | None]:
    """The `exclude` patterns without a wildcard (most: `README.md`), and the others as one
    expression: a vault's every file is matched against them."""
    folded = [p.casefold() for p in patterns]
    names = frozenset(p for p in folded if not _WILDCARD.search(p))
    globs = [fnmatch.translate(p) for p in folded if p not in names]
    return names, re.compile("|".join(globs)) if globs else None


_WILDCARD = re.compile(r"[*?\[]")


class _Walker:
    """One walk of the vault's folders."""

    def __init__(self, config: Config, found: dict[str, NoteFile], problems: list[Problem]):
        self.config = config
        self.root = str(config.root)
        self.real_root = os.path.realpath(self.root)
        self.found = found
        self.problems = problems
        self.skip = {config.templates, CACHE_DIR, config.digest_dir, *config.template_folders}
        self.watched = tuple(f for f in (*config.contacts, *config.journal) if f)
        self.seen: set[tuple[int, int]] = set()  # folders read: a link back to one is a loop

    def report(self, rel: str, problem: Problem) -> None:
        """Problems are reported where people and journal notes are kept, not elsewhere."""
        if any(rel == f or rel.startswith(f"{f}/") for f in self.watched):
            self.problems.append(problem)

    def walk(self, rel: str) -> None:
        folder = os.path.join(self.root, rel) if rel else self.root
        try:
            info = os.stat(folder)
        except OSError:
            return
        if (info.st_dev, info.st_ino) in self.seen:
            message = "symbolic link loop: links back to a folder already read"
            self.report(rel, warning(rel, None, "NW109", message))
            return
        self.seen.add((info.st_dev, info.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            self.report(rel, error(rel, None, "NW102", f"cannot read folder: {reason(exc)}"))
            return
        kind = folder_kind(rel, self.config)
        for entry in entries:
            self.entry(rel, kind, entry)

    def entry(self, rel: str, kind: str, entry: os.DirEntry[str]) -> None:
        name = entry.name
        path = f"{rel}/{name}" if rel else name
        if not name.isascii() and not _utf8(name):  # bytes the file system gave as they are
            shown = os.fsencode(path).decode("utf-8", "backslashreplace")
            message = "the file name is not valid UTF-8; not read: rename it"
            self.report(path, warning(shown, None, "NW113", message))
            return
        if name.startswith(".") or path in self.skip:
            return
        try:
            if entry.is_symlink() and not readable(entry.path, self.real_root):
                message = "a symbolic link out of the vault or into a hidden folder; not read"
                self.report(path, warning(path, None, "NW112", message))
                return
            is_dir = entry.is_dir()
            note_stat = None if is_dir else entry.stat()
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self.report(path, warning(path, None, "NW109", "symbolic link loop; not followed"))
            elif name.endswith(".md"):
                self.report(path, error(path, None, "NW102", f"cannot read: {reason(exc)}"))
            return
        if is_dir:
            if name.endswith(".md"):
                message = "a folder is named like a note; its notes are read as a folder's"
                self.report(path, warning(path, None, "NW108", message))
            self.walk(path)
            return
        if not name.endswith(".md") or note_stat is None:
            return
        if not stat.S_ISREG(note_stat.st_mode):  # never opened: a FIFO would block the read
            message = "not a regular file (a FIFO, a socket or a device); not read"
            self.report(path, warning(path, None, "NW114", message))
            return
        if (kind == "contact" and name.startswith("_")) or excluded(path, self.config):
            return
        self.found[path] = NoteFile(
            path, entry.path, kind, note_stat.st_size, note_stat.st_mtime_ns
        )


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def reason(exc: OSError) -> str:
    """Why a file or folder cannot be read, as a message says it."""
    return (exc.strerror or str(exc)).lower()
