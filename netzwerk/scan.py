"""The vault's note files as they are on disk: found, with their size and mtime, and the key
of a state of them. Only what a command needs before it reads any note (a warm run, which may
answer from a result kept for the key, needs nothing more)."""

from __future__ import annotations

import contextlib
import errno
import marshal
import operator
import os
import stat
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from netzwerk.config import CACHE_DIR, CONFIG_FILE, Config
from netzwerk.fork import Helper, answered, collect, fork_helper
from netzwerk.problems import Problem, error, plain, unplain, warning


class NoteFile(NamedTuple):
    """A note found on disk (a named tuple: a scan makes one per note, 10,000 and more)."""

    path: str  # relative, POSIX separators
    abspath: str
    kind: str  # "contact" or "journal"
    size: int
    mtime_ns: int


def scan(config: Config, *, stat_files: bool = True) -> tuple[list[NoteFile], list[Problem]]:
    """Every contact and journal note, sorted; problems with the folders themselves.

    Without `stat_files` (for a vault with no index yet, whose every note is read anyway), a
    note's size and mtime are left unknown (`UNSTATTED`) and found when it is read: a stat of
    each of 10,000 files cost a cold command 50 ms before anything else could begin.
    """
    found: dict[str, NoteFile] = {}
    problems: list[Problem] = []
    root = str(config.root)
    skip = {config.templates, CACHE_DIR, config.digest_dir}
    for kind, folders in (("journal", config.journal), ("contact", config.contacts)):
        for folder in folders:
            # The vault and the folders above this one: a link back to them is a loop too.
            above = [
                root,
                *(
                    os.path.join(root, *folder.split("/")[:n])
                    for n in range(1, 1 + folder.count("/"))
                ),
            ]
            _walk(root, folder, kind, skip, found, problems, _identities(above), stat_files)
    return sorted(found.values()), problems  # by path: the first field, and unique


Scanned = tuple[list[NoteFile], list[Problem]]


class Ahead:
    """`scan`, begun in a helper on the other core while this process goes on, and what
    `look_up` finds from the scan (say, a result kept for it): the helper sends the scan only
    when nothing is found. Where no helper can do it, it is done here when asked for."""

    def __init__(self, config: Config, look_up: Callable[[Scanned], bytes | None]) -> None:
        self.config, self.look_up = config, look_up
        self._found: bytes | None = None
        self._scanned: Scanned | None = None
        self._helper: Helper | None = fork_helper(self._work)
        self._collected = False

    def _work(self) -> bytes:
        files, problems = scanned = scan(self.config)
        found = self.look_up(scanned)
        sent = None if found is not None else [tuple(file) for file in files]
        data: Any = (found, sent, plain(problems))
        return marshal.dumps(data)

    def busy(self) -> bool:
        """Whether the helper is still at work (asking for the result would wait)."""
        return self._helper is not None and not self._collected and not answered(self._helper)

    def found(self) -> bytes | None:
        self._collect()
        return self._found

    def scan(self) -> Scanned:
        self._collect()
        if self._scanned is None:  # not sent: something was found
            self._scanned = scan(self.config)
        return self._scanned

    def _collect(self) -> None:
        if self._collected:
            return
        self._collected = True
        data = collect(self._helper) if self._helper is not None else None
        if data is not None:
            with contextlib.suppress(EOFError, ValueError, TypeError):
                found, files, problems = marshal.loads(data)
                if files is not None:
                    self._scanned = [_new(NoteFile, file) for file in files], unplain(problems)
                self._found = found
                return
        self._scanned = scan(self.config)  # no helper, or it failed: here
        self._found = self.look_up(self._scanned)


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
    stat_files: bool = True,
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
        entries = sorted(os.scandir(folder), key=_BY_NAME)
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
            # From the folder's listing, without a stat: a regular file or a link to one.
            quick = not stat_files and not is_dir and entry.is_file()
            note_stat = None if quick else entry.stat()
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
            _walk(root, path, kind, skip, found, problems, seen, stat_files)
            continue
        if not name.endswith(".md") or not (note_stat is None or stat.S_ISREG(note_stat.st_mode)):
            continue
        if kind == "contact" and name.startswith("_"):
            continue
        if path not in found:
            if note_stat is None:
                size = mtime = UNSTATTED
            else:
                size, mtime = note_stat.st_size, note_stat.st_mtime_ns
            found[path] = _new(NoteFile, (path, entry.path, kind, size, mtime))


UNSTATTED = -1  # the size and mtime of a note scanned without its stat, until it is read


def statted(files: Sequence[NoteFile]) -> bool:
    """Whether every file has its size and mtime (see `scan`)."""
    return all(f.size != UNSTATTED for f in files)


_BY_NAME = operator.attrgetter("name")
_new = tuple.__new__


def reason(exc: OSError) -> str:
    """Why a file or folder cannot be read, as a message says it."""
    return (exc.strerror or str(exc)).lower()


def state_key(config: Config, files: list[NoteFile], *parts: str) -> str | None:
    """A key for everything a command's result depends on: every note's path, size and mtime,
    the digests, the templates and netzwerk.toml, plus `parts` (the command, its options, the
    day). None when a file changed so recently that its mtime cannot be trusted, or when the
    files were scanned without their stats (and not read since)."""
    if not statted(files):
        return None
    import hashlib  # (in the helper that looks up a result: not before it begins)

    from netzwerk import index as index_mod

    digest = hashlib.sha256()
    for part in (index_mod.VERSION, code_stamp(), config.fingerprint(), *parts):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    stamps: list[tuple[str, int, int]] = []
    for folder in (config.digest_path, config.templates_path):
        stamps += _folder_stamps(config, folder)
    stamps += _folder_stamps(config, config.root, names=(CONFIG_FILE,))
    newest = max([max((f.mtime_ns for f in files), default=0), *(m for _, _, m in stamps)])
    if time.time_ns() - newest < int(index_mod.RACY_SECONDS * 1e9):
        return None  # (before hashing: a digest just written makes most keys None)
    digest.update(_notes_hash(files))
    digest.update(marshal.dumps(stamps, 0))
    return digest.hexdigest()


def _notes_hash(files: list[NoteFile]) -> bytes:
    """A hash of every note's path, size and mtime; a command asks twice for the same scan
    (before it looks up a result and after it writes one), so the last is kept."""
    kept = _NOTES_HASH.get(id(files))
    if kept is not None and kept[0] is files:
        return kept[1]
    stamps = [(f.path, f.size, f.mtime_ns) for f in files]
    # marshal format 0: one canonical byte string for the list, many times faster than
    # formatting 10,000 lines (no references or interning flags that depend on the objects).
    import hashlib

    found = hashlib.sha256(marshal.dumps(stamps, 0)).digest()
    _NOTES_HASH.clear()
    _NOTES_HASH[id(files)] = (files, found)
    return found


_NOTES_HASH: dict[int, tuple[list[NoteFile], bytes]] = {}


def complete(files: list[NoteFile], statted: Mapping[str, NoteFile]) -> None:
    """A scan made without stats (`UNSTATTED`), given those found as its notes were read: in
    place, in the list its caller holds too, which is what it reads of the vault from now on."""
    files[:] = [statted.get(f.path, f) for f in files]
    _NOTES_HASH.clear()


def code_stamp() -> str:
    """netzwerk's own files: results computed by another version of the code are not reused."""
    here = os.path.dirname(os.path.abspath(__file__))
    stamps = []
    for folder in (here, os.path.join(here, "templates"), os.path.join(here, "..", "templates")):
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith((".py", ".j2")):
                info = entry.stat()
                stamps.append(f"{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(stamps)


def _folder_stamps(
    config: Config, folder: str | os.PathLike[str], names: tuple[str, ...] | None = None
) -> list[tuple[str, int, int]]:
    stamps = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return [(str(folder), -1, -1)]
    for entry in entries:
        if names is not None and entry.name not in names:
            continue
        try:
            info = entry.stat()
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            stamps.append((entry.path, info.st_size, info.st_mtime_ns))
    return stamps
