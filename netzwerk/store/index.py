"""The per-note index, `.netzwerk/index.sqlite`: every note as parsed, by path, size and mtime.

A warm run reads only the notes whose size or mtime changed (`fresh`); the rest comes from
here. Rows are marshalled plain tuples: several times faster to read than pickled records.
"""

from __future__ import annotations

import contextlib
import marshal
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from netzwerk.model import (
    Birthday,
    Contact,
    Duration,
    JournalNote,
    LogEntry,
    Mention,
    Note,
    OpenTask,
    Related,
    Trip,
)
from netzwerk.problems import Problem, plain, unplain
from netzwerk.store import connect, remove, transaction, trusted_before

# Bump when the parsed form changes: an index of another version is rebuilt silently.
VERSION = "5"
DB_NAME = "index.sqlite"

Parsed = tuple[Contact | JournalNote | Note | None, list[Problem]]


class Row(NamedTuple):
    """One cached note: what was parsed and the stat it was parsed at."""

    path: str
    kind: str
    size: int
    mtime_ns: int
    data: bytes


def fresh(row: Row | None, size: int, mtime_ns: int) -> bool:
    """The key of a row: it holds the note as it is while its size and mtime are the same."""
    return row is not None and row.size == size and row.mtime_ns == mtime_ns


class Index:
    """An SQLite file that holds nothing but what is derived from the notes."""

    def __init__(self, cache_dir: Path, fingerprint: str) -> None:
        self.path = cache_dir / DB_NAME
        self.fingerprint = fingerprint  # the settings the parsed form depends on

    def rows(self, *, rebuild: bool = False) -> dict[str, Row]:
        """The cached rows; a missing, damaged or outdated index starts empty."""
        if rebuild:
            remove(self.path)
        try:
            return self._rows()
        except (sqlite3.Error, OSError, ValueError):
            remove(self.path)
            try:
                return self._rows()
            except (sqlite3.Error, OSError):
                return {}  # no writable cache (a read-only vault): work without one

    def _rows(self) -> dict[str, Row]:
        db = connect(self.path)
        try:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS notes (path TEXT PRIMARY KEY, kind TEXT NOT NULL,"
                " size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, data BLOB NOT NULL)"
            )
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("version") != VERSION or meta.get("fingerprint") != self.fingerprint:
                with transaction(db) as cur:
                    cur.execute("DELETE FROM notes")
                    cur.execute("DROP TABLE IF EXISTS light")  # (of other settings too)
                    cur.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('version', ?), ('fingerprint', ?)",
                        (VERSION, self.fingerprint),
                    )
                return {}
            rows = db.execute("SELECT path, kind, size, mtime_ns, data FROM notes").fetchall()
            return {row[0]: Row._make(row) for row in rows}
        finally:
            db.close()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        """A connection to the index; None when it holds the notes of another version or
        other settings."""
        db = connect(self.path)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            current = meta.get("version") == VERSION and meta.get("fingerprint") == self.fingerprint
            yield db if current else None
        finally:
            db.close()

    def rows_of(self, paths: Iterable[str]) -> dict[str, Row]:
        """The cached rows of these notes (none when the index cannot be read)."""
        wanted = list(paths)
        found: dict[str, Row] = {}
        try:
            with self._reading() as db:
                if db is None:
                    return {}
                for start in range(0, len(wanted), 500):  # (SQLite limits a query's values)
                    chunk = wanted[start : start + 500]
                    marks = ", ".join("?" * len(chunk))
                    query = (
                        "SELECT path, kind, size, mtime_ns, data FROM notes"
                        f" WHERE path IN ({marks})"
                    )
                    found.update((r[0], Row._make(r)) for r in db.execute(query, chunk))
        except (sqlite3.Error, OSError):
            return {}
        return found

    def light(self) -> dict[str, tuple[int, int, str | None, bytes]]:
        """What `update_light` keeps of each note, by path: the size and mtime it was made
        at, a text and bytes; empty when the index cannot be read or holds the notes of other
        settings."""
        try:
            with self._reading() as db:
                if db is None:
                    return {}
                query = "SELECT path, size, mtime_ns, text, data FROM light"
                rows = db.execute(query).fetchall()
        except (sqlite3.Error, OSError):
            return {}
        return {path: (size, mtime, text, data) for path, size, mtime, text, data in rows}

    def update_light(
        self, rows: Iterable[tuple[str, int, int, str | None, bytes]], *, whole: bool = False
    ) -> None:
        """Keep a light form of these notes, a text and bytes made from each by its size and
        mtime (`whole`: of every note, the rest forgotten); call it after the notes were read
        through `rows`, which starts an index of other settings afresh. A failure only costs
        speed."""
        racy = trusted_before()
        kept = [(row[0], row[1], row[2] if row[2] < racy else -1, *row[3:]) for row in rows]
        with contextlib.suppress(sqlite3.Error, OSError):
            db = connect(self.path)
            try:
                db.execute(
                    "CREATE TABLE IF NOT EXISTS light (path TEXT PRIMARY KEY, size INTEGER NOT"
                    " NULL, mtime_ns INTEGER NOT NULL, text TEXT, data BLOB NOT NULL)"
                )
                with transaction(db) as cur:
                    if whole:
                        cur.execute("DELETE FROM light")
                    cur.executemany("INSERT OR REPLACE INTO light VALUES (?, ?, ?, ?, ?)", kept)
            finally:
                db.close()

    def update(self, changed: Iterable[Row], removed: Iterable[str]) -> None:
        """Store re-parsed notes and forget vanished ones; a failure only costs speed."""
        racy = trusted_before()  # modified since: stored so that the next run reads it again
        rows = [r if r.mtime_ns < racy else r._replace(mtime_ns=-1) for r in changed]
        gone = [(path,) for path in removed]
        if not rows and not gone:
            return
        with contextlib.suppress(sqlite3.Error, OSError):
            db = connect(self.path)
            try:
                with transaction(db) as cur:
                    cur.executemany("DELETE FROM notes WHERE path = ?", gone)
                    cur.executemany("INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?)", rows)
            finally:
                db.close()


def encode(parsed: Parsed) -> bytes:
    """One parsed note as bytes."""
    entity, problems = parsed
    probs = plain(problems)
    made: tuple[object, ...]
    if isinstance(entity, Contact):
        fields: list[Any] = list(entity)
        for at, convert in _ENCODE_AT:
            if fields[at] is not None:
                fields[at] = convert(fields[at])
        made = ("c", *fields)
    elif isinstance(entity, JournalNote):
        mentions = tuple(tuple(m) for m in entity.mentions)
        tasks = _tasks(entity.tasks)
        made = ("j", entity.path, entity.date.toordinal(), mentions, entity.daily, tasks)
    elif isinstance(entity, Note):
        trip = entity.trip
        journey = (
            None if trip is None else (trip.places, trip.start.toordinal(), trip.end.toordinal())
        )
        made = ("o", entity.path, entity.location, _tasks(entity.tasks), journey)
    else:
        made = ("n",)
    data: Any = (made, probs)
    return marshal.dumps(data)


def decode(data: bytes) -> Parsed:
    """The inverse of `encode`; raises ValueError (or another error) for a damaged row."""
    made, probs = marshal.loads(data)
    problems = unplain(probs)
    kind = made[0]
    if kind == "c":
        fields = list(made[1:])
        for at, convert in _DECODE_AT:
            if fields[at]:  # (None and empty tuples stay as they are)
                fields[at] = convert(fields[at])
        return Contact(*fields), problems
    if kind == "j":
        _, path, ordinal, mentions, daily, tasks = made
        day = date.fromordinal(ordinal)
        found = tuple(Mention(*m) for m in mentions)
        return JournalNote(path, day, found, daily, _tasks_of(tasks)), problems
    if kind == "o":
        _, path, location, tasks, journey = made
        trip = None
        if journey is not None:
            places, start, end = journey
            trip = Trip(tuple(places), date.fromordinal(start), date.fromordinal(end))
        return Note(path, location, _tasks_of(tasks), trip), problems
    return None, problems


def _day(value: date | None) -> int | None:
    return None if value is None else value.toordinal()


def _day_of(value: int | None) -> date | None:
    return None if value is None else date.fromordinal(value)


def _tasks(tasks: tuple[OpenTask, ...]) -> tuple[tuple[Any, ...], ...]:
    """Open tasks as plain tuples (dates as ordinals)."""
    return tuple((*t[:3], _day(t.due), _day(t.scheduled), t.targets) for t in tasks)


def _tasks_of(plain: tuple[tuple[Any, ...], ...]) -> tuple[OpenTask, ...]:
    return tuple(
        OpenTask(path, line, text, _day_of(due), _day_of(scheduled), tuple(targets))
        for path, line, text, due, scheduled, targets in plain
    )


def _log(rows: tuple[tuple[Any, ...], ...]) -> tuple[LogEntry, ...]:
    return tuple([LogEntry(date.fromordinal(d), k, t, n, lk) for d, k, t, n, lk in rows])


# How `encode` makes a Contact field plain, and `decode` makes it again, by the field's name.
_ENCODERS: dict[str, Any] = {
    "last_contact": date.toordinal,
    "snooze_until": date.toordinal,
    "cadence": lambda d: (d.count, d.unit),
    "birthday": tuple,
    "log": lambda log: tuple((e.date.toordinal(), e.kind, e.text, e.line, e.links) for e in log),
    "lines": dict,
    "extra": dict,
    "next_contact": date.toordinal,
    "refs": dict,
    "related": lambda related: tuple(tuple(r) for r in related),
    "tasks": _tasks,
}
_ENCODE_AT = [(at, _ENCODERS[name]) for at, name in enumerate(Contact._fields) if name in _ENCODERS]
_DECODERS: dict[str, Any] = {
    "last_contact": date.fromordinal,
    "snooze_until": date.fromordinal,
    "cadence": lambda plain: Duration(*plain),
    "birthday": lambda plain: Birthday(*plain),
    "log": _log,
    "next_contact": date.fromordinal,
    "related": lambda plain: tuple(Related(*r) for r in plain),
    "tasks": _tasks_of,
}
_DECODE_AT = [(at, _DECODERS[name]) for at, name in enumerate(Contact._fields) if name in _DECODERS]
