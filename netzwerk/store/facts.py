"""The per-contact digest parts, `.netzwerk/facts.sqlite`: each person's Facts and what the
rest of the vault says about them (Cross), by the note's size and mtime, under a key of the
settings and netzwerk's code (`state_key`).

Facts do not depend on the date, so the digest of a new day reads them all from here; when a
few notes changed and nothing others read from them did, only those are read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from netzwerk.config import Config
from netzwerk.model import Birthday, Cross, Duration, Facts, LastContact, OpenTask
from netzwerk.store import connect, remove, transaction, trusted_before
from netzwerk.store.results import code_stamp

DB_NAME = "facts.sqlite"
_TABLE = "entries"
_COLUMNS = "path, size, mtime_ns, shared, problems, kept"


class Entry(NamedTuple):
    """One note as the kept state knows it."""

    size: int
    mtime_ns: int  # -1: not to be trusted (modified too recently when kept)
    shared: int  # a checksum of what other notes read from it (see app.shared_sum); -1: a
    # dated note, which others always read
    problems: tuple[tuple[Any, ...], ...]  # its own problems (`problems.plain`), the ones of
    # dates still to come included: they hold while the state does (`Kept.since`, `until`)
    # Its Facts and what the rest of the vault says about them (a Cross), each None when there
    # is none: as made, or as kept (bytes; `facts` and `cross` decode them). A command that
    # needs a few people's Facts, or only the problems, decodes no one else's.
    kept: tuple[Facts | None, Cross | None] | bytes

    def facts(self) -> Facts | None:
        """Their Facts; None for a journal note, or a contact note that could not be read.
        Damaged when what was kept cannot be decoded."""
        kept = self.kept
        if not isinstance(kept, bytes):
            return kept[0]
        try:
            facts = marshal.loads(kept)[0]
            return None if facts is None else _facts_of(facts)
        except _BROKEN as exc:
            raise Damaged(str(exc)) from exc

    def cross(self) -> Cross | None:
        """What the rest of the vault says about them, if anything; Damaged as `facts`."""
        kept = self.kept
        if not isinstance(kept, bytes):
            return kept[1]
        try:
            c = marshal.loads(kept)[1]
            return None if c is None else Cross(_last_of(c[0]), c[1], c[2], _tasks_of(c[3]))
        except _BROKEN as exc:
            raise Damaged(str(exc)) from exc


class Damaged(ValueError):
    """A kept entry that cannot be decoded: the state is made again from the notes."""


_BROKEN = (ValueError, EOFError, TypeError, IndexError, KeyError, OverflowError)


class Kept(NamedTuple):
    """The kept state of a vault."""

    entries: dict[str, Entry]  # by path: every note scanned
    across: tuple[tuple[Any, ...], ...]  # the problems of the checks across notes, plain
    extra: bytes  # what else the caller keeps with the state (its introductions)
    since: date | None  # the Facts hold from this day (the latest date they count) ...
    until: date | None  # ... until this one (when a note's date comes); None: always


def state_key(config: Config) -> str:
    """What every kept entry depends on besides its own note: every setting and the code."""
    parts = (code_stamp(), repr(config))
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def load(cache_dir: Path, key: str) -> Kept | None:
    """The state kept under `key`, or None."""
    path = cache_dir / DB_NAME
    try:
        if not path.is_file():
            return None
        db = connect(path)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("key") != key:
                return None
            rows = db.execute(f"SELECT {_COLUMNS} FROM {_TABLE}").fetchall()
        finally:
            db.close()
        loads = marshal.loads
        entries = {
            path: Entry(size, mtime, shared, loads(problems) if problems else (), bytes(kept))
            for path, size, mtime, shared, problems, kept in rows
        }
        since, until = marshal.loads(meta["days"])
        return Kept(
            entries,
            tuple(marshal.loads(meta["across"])),
            bytes(meta["extra"]),
            date.fromordinal(since) if since else None,
            date.fromordinal(until) if until else None,
        )
    except (sqlite3.Error, OSError, *_BROKEN):
        return None


def save(
    cache_dir: Path,
    key: str,
    entries: Mapping[str, Entry],
    across: tuple[tuple[Any, ...], ...],
    extra: bytes,
    since: date | None,
    until: date | None,
    *,
    only: Iterable[str] | None = None,
) -> None:
    """Keep a state: all of it, or (`only`) just these paths of one kept under the same key.
    A failure costs speed only."""
    racy = trusted_before()
    path = cache_dir / DB_NAME
    try:
        db = connect(path)
    except (sqlite3.Error, OSError):
        return
    try:
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB)")
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {_TABLE} (path TEXT PRIMARY KEY, size INTEGER,"
            " mtime_ns INTEGER, shared INTEGER, problems BLOB, kept BLOB)"
        )
        paths = list(entries) if only is None else list(only)
        rows = []
        for note in paths:
            entry = entries[note]
            # Modified too recently: it may change again unseen, so it is read again next time.
            mtime = -1 if entry.mtime_ns >= racy else entry.mtime_ns
            problems = marshal.dumps(entry.problems) if entry.problems else None
            rows.append((note, entry.size, mtime, entry.shared, problems, _kept(entry)))
        with transaction(db) as cur:
            if only is None:
                cur.execute(f"DELETE FROM {_TABLE}")
                cur.execute("DROP TABLE IF EXISTS notes")  # (how 0.1 kept them)
            cur.executemany(f"INSERT OR REPLACE INTO {_TABLE} VALUES (?, ?, ?, ?, ?, ?)", rows)
            meta = {
                "key": key,
                "across": marshal.dumps(across),
                "extra": extra,
                "days": marshal.dumps((_day(since) or 0, _day(until) or 0)),
            }
            cur.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))
    except sqlite3.DatabaseError:
        db.close()
        remove(path)
    finally:
        with contextlib.suppress(sqlite3.Error):
            db.close()


# --- plain forms ---------------------------------------------------------------------------


def _day(value: date | None) -> int | None:
    return value.toordinal() if value is not None else None


def _last(last: LastContact | None) -> tuple[Any, ...] | None:
    return None if last is None else (last.date.toordinal(), *last[1:])


def _last_of(plain: tuple[Any, ...] | None) -> LastContact | None:
    return None if plain is None else LastContact(date.fromordinal(plain[0]), *plain[1:])


def _ticked(ticked: tuple[tuple[str, LastContact | None], ...]) -> tuple[Any, ...]:
    return tuple((label, _last(last)) for label, last in ticked)


def _ticked_of(plain: tuple[Any, ...]) -> tuple[tuple[str, LastContact | None], ...]:
    return tuple((label, _last_of(last)) for label, last in plain)


def _tasks(tasks: tuple[OpenTask, ...]) -> tuple[Any, ...]:
    return tuple((*t[:3], _day(t.due), _day(t.scheduled)) for t in tasks)


def _tasks_of(plain: tuple[Any, ...]) -> tuple[OpenTask, ...]:
    return tuple(
        OpenTask(
            path,
            line,
            text,
            date.fromordinal(due) if due else None,
            date.fromordinal(scheduled) if scheduled else None,
        )
        for path, line, text, due, scheduled in plain
    )


# How a Facts field that is not plain already becomes plain, and back, by the field's name.
_FIELDS: dict[str, tuple[Any, Any]] = {
    "tasks": (_tasks, _tasks_of),
    "cadence": (lambda d: (d.count, d.unit), lambda plain: Duration(*plain)),
    "snooze_until": (_day, date.fromordinal),
    "birthday": (tuple, lambda plain: Birthday(*plain)),
    "last": (_last, _last_of),
    "ticked": (_ticked, _ticked_of),
    "next_contact": (_day, date.fromordinal),
}
_CONVERT = [(at, *_FIELDS[name]) for at, name in enumerate(Facts._fields) if name in _FIELDS]


def _kept(entry: Entry) -> bytes:
    """An entry's Facts and Cross as kept: as they were loaded, or made plain."""
    kept = entry.kept
    if isinstance(kept, bytes):
        return kept
    made, cross = kept
    facts: list[Any] | None = None
    if made is not None:
        facts = list(made)
        for at, to_plain, _ in _CONVERT:
            if facts[at] is not None:
                facts[at] = to_plain(facts[at])
    plain_cross = None
    if cross is not None:
        plain_cross = (_last(cross.last), cross.days, cross.mentions, _tasks(cross.tasks))
    data: Any = (tuple(facts) if facts is not None else None, plain_cross)
    return marshal.dumps(data)


def _facts_of(plain: tuple[Any, ...]) -> Facts:
    fields = list(plain)
    for at, _, from_plain in _CONVERT:
        if fields[at]:  # (None and empty tuples stay as they are)
            fields[at] = from_plain(fields[at])
    return Facts(*fields)
