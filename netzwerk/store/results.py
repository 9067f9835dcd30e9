"""Whole results, `.netzwerk/results.sqlite`: what a command printed, by everything it read.

A command run again on an unchanged vault (the same notes, sizes and mtimes, settings,
templates and digests, the same day and options) answers from here without reading a note.
The same table keeps results keyed by a hash of exactly their inputs (the introductions).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import sqlite3
import stat
import time
from collections.abc import Iterable
from pathlib import Path

from netzwerk.config import CONFIG_FILE, Config
from netzwerk.files import readable
from netzwerk.scan import Scan
from netzwerk.store import connect, remove, transaction, trusted_before

DB_NAME = "results.sqlite"
KEPT = 32  # the newest results kept; older ones are dropped


def result_key(config: Config, scanned: Scan, *parts: str, digests: bool = True) -> str | None:
    """The key of a command's result: every note's path, size and mtime, the digests (unless
    `digests` is false: the caller keys what it reads of them itself), the templates and
    netzwerk.toml, the settings and netzwerk's own code, plus `parts` (the command, its
    options, the day). None when a file changed too recently to be trusted."""
    stamps = _tree_stamps(config.templates_path, config.root)
    if digests:
        stamps += _tree_stamps(config.digest_path, config.root)
    stamps.append(_file_stamp(config.root / CONFIG_FILE))
    newest = max([scanned.newest, *(m for _, _, m in stamps)])
    if newest >= trusted_before():
        return None
    digest = hashlib.sha256()
    for part in (code_stamp(), repr(config), *parts, *(p.format() for p in scanned.problems)):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(scanned.stamp)
    # marshal format 0: one canonical byte string for a list of tuples, quickly made.
    digest.update(marshal.dumps(stamps, 0))
    return digest.hexdigest()


def template_key(config: Config, kind: str, data: bytes) -> str | None:
    """The key of what the templates render from `data`: the templates (the vault's, with
    every file they may include, and netzwerk's own with its code), the settings and `data`.
    None when a template changed too recently to be trusted."""
    stamps = _tree_stamps(config.templates_path, config.root)
    if max((mtime for _, _, mtime in stamps), default=0) >= trusted_before():
        return None
    digest = hashlib.sha256()
    for part in (kind, code_stamp(), repr(config)):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(marshal.dumps(stamps, 0))
    digest.update(data)
    return f"{kind}:{digest.hexdigest()}"


def inputs_key(kind: str, hashes: Iterable[bytes]) -> str:
    """The key of a result that depends on exactly these hashed inputs (and the code)."""
    digest = hashlib.sha256(f"{kind}\0{code_stamp()}\0".encode())
    for part in hashes:
        digest.update(part)
    return f"{kind}:{digest.hexdigest()}"


def get(cache_dir: Path, key: str) -> bytes | None:
    """A kept result, or None (also when the cache cannot be read)."""
    path = cache_dir / DB_NAME
    try:
        if not path.is_file():
            return None
        db = connect(path)
        try:
            row = db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        finally:
            db.close()
    except (sqlite3.Error, OSError):
        return None
    return bytes(row[0]) if row else None


def put(cache_dir: Path, key: str, value: bytes) -> None:
    """Keep a result; the oldest beyond KEPT are dropped. A failure costs speed only."""
    path = cache_dir / DB_NAME
    try:
        db = connect(path)
    except (sqlite3.Error, OSError):
        return
    try:
        db.execute(
            "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL,"
            " stamp INTEGER NOT NULL)"
        )
        # Which results are the oldest, read without their values: a row's stamp is stored
        # after its value, so the table alone reads every kept value to find it.
        db.execute("CREATE INDEX IF NOT EXISTS results_by_stamp ON results (stamp, key)")
        with transaction(db) as cur:
            cur.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?)", (key, value, time.time_ns())
            )
            cur.execute(
                "DELETE FROM results WHERE key NOT IN "
                "(SELECT key FROM results ORDER BY stamp DESC LIMIT ?)",
                (KEPT,),
            )
    except sqlite3.DatabaseError:
        db.close()
        remove(path)  # damaged: it starts again next time
        return
    finally:
        with contextlib.suppress(sqlite3.Error):
            db.close()


def forget(cache_dir: Path) -> None:
    """Delete every kept result."""
    remove(cache_dir / DB_NAME)


@functools.cache  # the code does not change while it runs
def code_stamp() -> str:
    """netzwerk's own files: results computed by another version of the code are not reused."""
    package = Path(__file__).resolve().parent.parent
    stamps = []
    for folder in (package, package / "templates", package.parent / "templates"):
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", "templates"))
            for name in sorted(filenames):
                if name.endswith((".py", ".j2")):
                    with contextlib.suppress(OSError):
                        info = os.stat(os.path.join(dirpath, name))
                        stamps.append(f"{dirpath}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(stamps)


def _tree_stamps(folder: Path, root: Path) -> list[tuple[str, int, int]]:
    """Every file of `folder` (the templates, the digests), of its folders and of folders
    linked there from elsewhere in the vault: a template may include one of them, and the
    digests of every folder are read for ticks. Each folder once; no link out of the vault or
    into its hidden folders is followed, as nothing is read there."""
    if not folder.is_dir():
        return [(str(folder), -1, -1)]
    stamps: list[tuple[str, int, int]] = []
    seen: set[tuple[int, int]] = set()
    folders = [str(folder)]
    while folders:
        path = folders.pop()
        try:
            info = os.stat(path)
            if (info.st_dev, info.st_ino) in seen:
                continue  # a link back to a folder already stamped
            seen.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError:
            stamps.append((path, -1, -1))
            continue
        inner = []
        for entry in entries:
            if entry.is_symlink() and not readable(entry.path, root):
                continue
            try:
                found = entry.stat()
            except OSError:
                continue
            if stat.S_ISDIR(found.st_mode):
                inner.append(entry.path)
            elif stat.S_ISREG(found.st_mode):
                stamps.append((entry.path, found.st_size, found.st_mtime_ns))
        folders += reversed(inner)  # (depth first, by name)
    return stamps


def _file_stamp(path: Path) -> tuple[str, int, int]:
    """A file's path, size and mtime; -1, -1 when it is missing or no regular file."""
    try:
        info = os.stat(path)
    except OSError:
        return (str(path), -1, -1)
    if not stat.S_ISREG(info.st_mode):
        return (str(path), -1, -1)
    return (str(path), info.st_size, info.st_mtime_ns)
