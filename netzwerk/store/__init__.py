"""What netzwerk keeps in `.netzwerk/` between runs: only what is derived from the notes.

- `index`: every note as parsed, by its path, size and mtime (`index.fresh`);
- `results`: whole results of commands, by every file they read (`results.result_key`);
- `facts`: each person's Facts and what the rest of the vault says about them, by the note's
  size and mtime and the settings (`facts.state_key`): the digest of a new day, or after a few
  notes changed, reads no other note.

Deleting the folder loses nothing; a damaged or outdated file is rebuilt silently.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from netzwerk.files import adopt, cache_file, inside

# A file modified this recently may change again within the same mtime tick: don't trust it.
RACY_SECONDS = 2.0


def trusted_before() -> int:
    """The mtime (ns) before which a file's size and mtime identify its content."""
    return time.time_ns() - int(RACY_SECONDS * 1e9)


def connect(path: Path) -> sqlite3.Connection:
    """A connection to one of the cache's databases (the folder is made if missing); OSError
    when `.netzwerk/` cannot be used (`files.cache_file`).

    A rollback journal, not a write-ahead log: each run writes in one or two transactions,
    which a log would write twice.
    """
    target = cache_file(path)
    db = sqlite3.connect(target, timeout=10.0, isolation_level=None)
    adopt(target)  # made by root: the vault's owner's, like the folder
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


@contextlib.contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Cursor]:
    """One write transaction: committed at the end of the block, rolled back on an error."""
    cur = db.cursor()
    cur.execute("BEGIN IMMEDIATE")
    try:
        yield cur
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    cur.execute("COMMIT")


def remove(path: Path) -> None:
    """Delete a database file and its journal (never through a `.netzwerk` that leads out of
    the vault; a link in it is removed, not followed)."""
    if not inside(path.parent, path.parent.parent):
        return
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink()
