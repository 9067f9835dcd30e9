"""The cache in `.netzwerk/`: parsed notes keyed by path, size and mtime (SQLite)."""

from __future__ import annotations

import contextlib
import marshal
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from netzwerk import fork
from netzwerk.model import (
    Birthday,
    Contact,
    Duration,
    JournalNote,
    LogEntry,
    Mention,
    make_contact,
)
from netzwerk.problems import PlainProblem, Problem, plain, unplain

# Bump when the parsed form changes: an index of another version is rebuilt silently.
VERSION = "2"
DB_NAME = "index.sqlite"
# Results in a file of their own: storing one never waits for the index being written.
RESULTS_NAME = "results.sqlite"
# A file modified this recently may change again within the same mtime tick: don't trust it.
RACY_SECONDS = 2.0


class Row(NamedTuple):
    """One cached file: what was parsed and the stat it was parsed at."""

    path: str
    kind: str
    size: int
    mtime_ns: int
    data: bytes


class Index:
    """An SQLite file that holds nothing but what is derived from the notes."""

    def __init__(self, cache_dir: Path, fingerprint: str) -> None:
        self.path = cache_dir / DB_NAME
        self.fingerprint = fingerprint
        self.db: sqlite3.Connection | None = None
        self.writable = True

    def open(self, *, rebuild: bool = False) -> dict[str, Row]:
        """The cached rows; a missing, corrupt or outdated index starts empty."""
        fork.settle("files")  # what helpers of this process still write is read here
        if rebuild:
            self._remove()
        try:
            return self._open()
        except (sqlite3.Error, OSError, ValueError):
            self.close()
            self._remove()
            try:
                return self._open()
            except (sqlite3.Error, OSError):
                # No writable cache (read-only vault): work without one.
                self.writable = False
                return {}
        finally:
            self.close()  # `update` connects again: a helper process may be the one to write

    def _connect(self) -> sqlite3.Connection:
        self.db = _connect(self.path)
        return self.db

    def _open(self) -> dict[str, Row]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = self._connect()
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, kind TEXT NOT NULL,"
            " size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, data BLOB NOT NULL)"
        )
        db.execute("DROP TABLE IF EXISTS results")  # kept here before they had a file of their own
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("version") != VERSION or meta.get("fingerprint") != self.fingerprint:
            with self._transaction() as cur:
                cur.execute("DELETE FROM files")
                cur.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('version', ?), ('fingerprint', ?)",
                    (VERSION, self.fingerprint),
                )
            return {}
        rows = db.execute("SELECT path, kind, size, mtime_ns, data FROM files").fetchall()
        make = Row._make
        return {r[0]: make(r) for r in rows}

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        assert self.db is not None
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")

    def update(self, changed: Iterable[Row], removed: Iterable[str]) -> None:
        """Store re-parsed files and forget vanished ones, after `open`; a failure only costs
        speed."""
        with self.updating() as put:
            put(changed, removed)

    @contextlib.contextmanager
    def updating(self) -> Iterator[Callable[[Iterable[Row], Iterable[str]], None]]:
        """`update` in steps, as what is to be stored comes in: the rows and removals given to
        what this yields are stored in one transaction, ended with the block. From the first
        rows given to its end, another writer of the index waits (as a helper's reader of it
        does anyway: `fork.settle`)."""
        cur: sqlite3.Cursor | None = None
        failed = not self.writable

        def put(changed: Iterable[Row], removed: Iterable[str]) -> None:
            nonlocal cur, failed
            if failed:
                return
            racy = time.time_ns() - int(RACY_SECONDS * 1e9)  # modified since: not trusted
            rows = [
                (r.path, r.kind, r.size, -1 if r.mtime_ns > racy else r.mtime_ns, r.data)
                for r in changed
            ]
            gone = [(p,) for p in removed]
            if not rows and not gone:
                return
            try:
                if cur is None:
                    cur = self._connect().cursor()
                    cur.execute("BEGIN IMMEDIATE")
                cur.executemany("DELETE FROM files WHERE path = ?", gone)
                cur.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)", rows)
            except sqlite3.Error:
                failed = True

        try:
            yield put
            if cur is not None and not failed:
                with contextlib.suppress(sqlite3.Error):
                    cur.execute("COMMIT")
        finally:
            self.close()  # what was not committed is rolled back

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None

    def _remove(self) -> None:
        """Delete the index and the results kept beside it (a rebuild starts clean)."""
        for name in (DB_NAME, RESULTS_NAME):
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    self.path.with_name(name + suffix).unlink()


# Rows are stored with marshal, as plain tuples: several times faster than pickling
# dataclasses, which matters on a warm run that decodes every row.


def encode(entity: Contact | JournalNote | None, problems: Iterable[Problem]) -> bytes:
    """One parsed note as bytes."""
    return marshal.dumps(record(entity, problems))  # type: ignore[arg-type]


Record = tuple[tuple[object, ...], tuple[PlainProblem, ...]]


def record(entity: Contact | JournalNote | None, problems: Iterable[Problem]) -> Record:
    """One parsed note as plain values (what `encode` writes)."""
    probs = plain(problems)
    if isinstance(entity, Contact):
        c = entity
        made: tuple[object, ...] = (
            "c",
            c.name,
            c.path,
            c.tier,
            _day(c.last_contact),
            (c.cadence.count, c.cadence.unit) if c.cadence is not None else None,
            _day(c.snooze_until),
            c.paused,
            (c.birthday.month, c.birthday.day, c.birthday.year) if c.birthday else None,
            c.tags,
            c.aliases,
            c.company,
            c.role,
            c.location,
            c.email,
            c.phone,
            c.linkedin,
            c.interests,
            c.needs,
            c.offers,
            c.knows,
            c.introduced_by,
            tuple((e.date.toordinal(), e.kind, e.text, e.line, e.links) for e in c.log),
            c.body,
            c.lines,
            c.extra,
        )
    elif isinstance(entity, JournalNote):
        j = entity
        made = ("j", j.path, j.date.toordinal(), tuple(tuple(m) for m in _mentions(j)))
    else:
        made = ("n",)
    return made, probs


def _day(value: date | None) -> int | None:
    return value.toordinal() if value is not None else None


def _mentions(journal: JournalNote) -> list[tuple[str, int, bool]]:
    return [(m.target, m.line, m.counts) for m in journal.mentions]


def decode(data: bytes) -> tuple[Contact | JournalNote | None, list[Problem]]:
    """The inverse of encode."""
    return unrecord(marshal.loads(data))


def unrecord(values: Record) -> tuple[Contact | JournalNote | None, list[Problem]]:
    """The inverse of `record`."""
    record: Any
    record, probs = values
    problems = unplain(probs)
    kind = record[0]
    if kind == "c":
        (_, name, path, tier, last, cadence, snooze, paused, birthday, tags, aliases,
         company, role, location, email, phone, linkedin, interests, needs, offers, knows,
         introduced_by, log, body, lines, extra) = record  # fmt: skip
        day = _day_of
        new = tuple.__new__
        contact = make_contact(
            name,
            path,
            tier,
            day(last) if last is not None else None,
            Duration(*cadence) if cadence is not None else None,
            day(snooze) if snooze is not None else None,
            paused,
            Birthday(*birthday) if birthday is not None else None,
            tags,
            aliases,
            company,
            role,
            location,
            email,
            phone,
            linkedin,
            interests,
            needs,
            offers,
            knows,
            introduced_by,
            tuple([new(LogEntry, (day(d), k, t, ln, lk)) for d, k, t, ln, lk in log]),
            body,
            lines,
            extra,
        )
        return contact, problems
    if kind == "j":
        _, path, ordinal, mentions = record
        return JournalNote(path, _day_of(ordinal), tuple([Mention(*m) for m in mentions])), problems
    return None, problems


class _Days(dict[int, date]):
    """Ordinal -> date, each date made once: the notes of a vault share a few hundred days."""

    def __missing__(self, ordinal: int) -> date:
        day = self[ordinal] = date.fromordinal(ordinal)
        return day


_day_of = _Days().__getitem__


# Results of whole commands, keyed by the state of every file they read. A run on an
# unchanged vault (same files, sizes and mtimes, same day) answers from here without
# decoding a single note; anything else recomputes.
RESULTS_KEPT = 32


def _connect(path: Path) -> sqlite3.Connection:
    """A connection to one of the cache's databases.

    A rollback journal, not a write-ahead log: each run writes in a few large transactions,
    which a log writes twice (into it, then into the database when it is checkpointed).
    """
    db = sqlite3.connect(path, timeout=10.0, isolation_level=None)
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def _results_db(cache_dir: Path) -> sqlite3.Connection:
    cache_dir.mkdir(parents=True, exist_ok=True)
    db = _connect(cache_dir / RESULTS_NAME)
    db.execute(
        "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL,"
        " stamp INTEGER NOT NULL)"
    )
    return db


def get_result(cache_dir: Path, key: str) -> bytes | None:
    """A stored result, or None (also when the cache cannot be read)."""
    fork.settle(key)
    if not (cache_dir / RESULTS_NAME).exists():
        return None
    try:
        db = _results_db(cache_dir)
        try:
            row = db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return bytes(row[0]) if row else None


def get_results(cache_dir: Path, keys: Iterable[str]) -> dict[str, bytes]:
    """The stored results of `keys` that there are (none when the cache cannot be read)."""
    wanted = list(keys)
    for key in wanted:
        fork.settle(key)
    if not (cache_dir / RESULTS_NAME).exists():
        return {}
    try:
        db = _results_db(cache_dir)
        try:
            marks = ", ".join("?" * len(wanted))
            rows = db.execute(
                f"SELECT key, value FROM results WHERE key IN ({marks})", wanted
            ).fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return {}
    return {key: bytes(value) for key, value in rows}


def put_result(cache_dir: Path, key: str, value: bytes) -> None:
    """Store a result; the oldest ones beyond RESULTS_KEPT are dropped. Failures cost speed only."""
    try:
        db = _results_db(cache_dir)
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?)", (key, value, time.time_ns())
            )
            db.execute(
                "DELETE FROM results WHERE key NOT IN "
                "(SELECT key FROM results ORDER BY stamp DESC LIMIT ?)",
                (RESULTS_KEPT,),
            )
            db.execute("COMMIT")
        finally:
            db.close()
    except sqlite3.Error:
        pass
