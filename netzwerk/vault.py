"""Load the notes of a vault (as `scan` finds them), through the index, into a Snapshot."""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from netzwerk import index as index_mod
from netzwerk import notes
from netzwerk.config import Config
from netzwerk.fork import (
    MAX_SHARES,
    Helper,
    Shares,
    background,
    collect,
    fork_helper,
    received,
    send,
)
from netzwerk.model import Contact, JournalNote, Snapshot, fold
from netzwerk.problems import Problem, error, sorted_problems
from netzwerk.scan import UNSTATTED, NoteFile, Scanned, complete, reason, scan

# Characters Obsidian cannot put in a file name or a link.
UNLINKABLE = set('[]#^|\\:*"<>?')

Progress = Callable[[int, int], None]
Parsed = tuple[Contact | JournalNote | None, list[Problem]]
_new = tuple.__new__


@dataclass
class LoadStats:
    """What a load did: how many notes it saw, parsed again and forgot."""

    files: int = 0
    parsed: int = 0
    removed: int = 0


@dataclass
class Loaded:
    """The result of loading a vault."""

    snapshot: Snapshot
    problems: list[Problem]
    stats: LoadStats = field(default_factory=LoadStats)


def parse_file(file: NoteFile, config: Config) -> Parsed:
    """Read and parse one note (a note that cannot be read gives an NW102 problem)."""
    return parse_note(file, config)[1]


def parse_note(file: NoteFile, config: Config) -> tuple[NoteFile, Parsed]:
    """`parse_file`, and the file with the size and mtime it was read at where it was scanned
    without them (`UNSTATTED`; they stay so when it cannot be read)."""
    try:
        raw, file = _read(file, notes.MAX_NOTE_BYTES + 1)
    except OSError as exc:
        return file, (None, [error(file.path, None, "NW102", f"cannot read: {reason(exc)}")])
    if file.kind == "contact":
        return file, notes.parse_contact(file.path, raw, config.keys)
    return file, notes.parse_journal(file.path, raw)


def _read(file: NoteFile, limit: int) -> tuple[bytes, NoteFile]:
    """The note's first `limit` bytes (all of a smaller file), and the note with its stat.

    A read of `limit` bytes allocates them up front: asking for 2 MiB to read a note of 1 KiB
    made reading 10,000 notes four times slower. So the first read is sized by the file's size
    as scanned (or found now, by a stat of the open file: the one of what is read), one byte
    more to see the end; later reads only happen if it grew since.
    """
    fd = os.open(file.abspath, os.O_RDONLY)
    try:
        size = file.size
        if size == UNSTATTED:
            info = os.fstat(fd)
            size = info.st_size
            file = _new(NoteFile, (file.path, file.abspath, file.kind, size, info.st_mtime_ns))
        chunks: list[bytes] = []
        left = limit
        want = min(size + 1, left)
        while left > 0:
            chunk = os.read(fd, want)
            if not chunk:
                break
            if len(chunk) == size < want and not chunks:
                return chunk, file  # all of it, as scanned: no second read to see the end
            chunks.append(chunk)
            left -= len(chunk)
            want = min(left, 65536)
        return b"".join(chunks), file
    finally:
        os.close(fd)


def load(
    config: Config,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    scanned: Scanned | None = None,
    also: Sequence[tuple[Callable[[], object], str]] = (),
    meanwhile: Callable[[], object] | None = None,
) -> Loaded:
    """Scan the vault and parse only what changed since the last run.

    `also`: background work (see `fork.background`) for the helper that parses a share of the
    notes, if one is forked, once it has stored them: work that saves this process time later,
    such as compiling a template into the cache. Without such a helper it is not done.
    `meanwhile`: what this process needs done later anyway (importing the modules that work
    on the notes), done before it parses them: where a helper parses a share of them, while
    the helper begins, which then takes more shares, so that it costs half its time.
    """
    files, problems = scanned if scanned is not None else scan(config)
    problems = list(problems)
    stats = LoadStats(files=len(files))
    cache = index_mod.Index(config.cache_dir, config.fingerprint())
    rows = cache.open(rebuild=rebuild)
    contacts: list[Contact] = []
    journals: list[JournalNote] = []
    broken: list[str] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()  # nothing here makes cycles; collecting while building 10,000 notes costs 30%
    try:
        stale = [f for f in files if _stale(rows.get(f.path), f)]
        fresh, stored, hand_over, statted = _parse_many(
            stale, config, progress, cache, also, meanwhile
        )
        stats.parsed = len(stale)
        if statted:
            complete(files, statted)
        for file in files:
            parsed = fresh.get(file.path)
            if parsed is None:
                try:
                    parsed = index_mod.decode(rows[file.path].data)
                except Exception:  # a damaged row is parsed again
                    parsed = parse_file(file, config)
                    stats.parsed += 1
                    fresh[file.path] = parsed
            entity, file_problems = parsed
            problems.extend(file_problems)
            if isinstance(entity, Contact):
                contacts.append(entity)
            elif isinstance(entity, JournalNote):
                journals.append(entity)
            elif file.kind == "contact" and file_problems:  # not read: an error, or too large
                broken.append(file.path.rsplit("/", 1)[-1][:-3])
        kept = [
            (file, parsed)
            for file in files
            if (parsed := fresh.get(file.path)) is not None
            and file.path not in stored
            and _storable(parsed)
        ]
        paths = {f.path for f in files}
        removed = [p for p in rows if p not in paths]
        stats.removed = len(removed)

        def store() -> None:
            encode = index_mod.encode
            changed = [
                index_mod.Row(file.path, file.kind, file.size, file.mtime_ns, encode(*parsed))
                for file, parsed in kept
            ]
            cache.update(changed, removed)

        # Many new rows are written on the other core while this process goes on: by the
        # helper that parsed the other share of them, else by one started for it.
        if hand_over is not None:
            hand_over(kept if cache.writable else [], removed)
        elif not (len(kept) >= PARALLEL_MIN and background(store, "files")):
            store()
        contacts.sort(key=lambda c: (fold(c.name), c.name, c.path))
        journals.sort(key=lambda j: (j.date, j.path))
        snapshot = Snapshot(tuple(contacts), tuple(journals), tuple(sorted(broken)))
    finally:
        if threading.active_count() == 1:
            # A command run once: its notes live as long as it does. Moved out of the
            # collector's sight, the next collection does not walk a million objects (which
            # made the checks after a load twice as slow). A long-running process with threads
            # (netzwerk watch) does not freeze: garbage frozen with the notes would stay.
            gc.freeze()
        if gc_was_enabled:
            gc.enable()
    return Loaded(snapshot, problems, stats)


# Below this many notes to parse, a second process costs more than it saves.
PARALLEL_MIN = 1500
SHARE = 32  # notes a process takes at a time when two parse them (more, for a huge vault)


HandOver = Callable[[list[tuple[NoteFile, Parsed]], list[str]], None]


def _parse_many(
    files: list[NoteFile],
    config: Config,
    progress: Progress | None,
    cache: index_mod.Index,
    also: Sequence[tuple[Callable[[], object], str]] = (),
    meanwhile: Callable[[], object] | None = None,
) -> tuple[dict[str, Parsed], set[str], HandOver | None, dict[str, NoteFile]]:
    """Parse notes; a large batch is parsed by this process and a forked second one (the
    machine's 2nd core), which then stores what both parsed in the index. Also the paths it
    stores, with such a helper how to hand it the rest of the index's changes to store too
    (this process's notes with them), and the notes that were scanned without their stat,
    with it."""
    results: dict[str, Parsed] = {}
    statted: dict[str, NoteFile] = {}

    def parse(file: NoteFile) -> tuple[NoteFile, Parsed]:
        read, parsed = parse_note(file, config)
        if read is not file:
            statted[file.path] = read
        return read, parsed

    total = len(files)
    size = max(SHARE, -(-total // MAX_SHARES))
    shares = Shares(-(-total // size)) if total >= PARALLEL_MIN else None
    child = None
    if shares is not None and shares.open:
        child = _fork_parser(files, shares, size, config, cache, also)
    if meanwhile is not None:
        meanwhile()
    if child is None or shares is None:
        if shares is not None:
            shares.close()
        for done, file in enumerate(files, 1):
            results[file.path] = parse(file)[1]
            if progress is not None:
                progress(done, total)
        return results, set(), None, statted
    # Share by share, as the two processes are free: neither waits long for the other. This
    # process's notes are encoded for the index as they are parsed, while the helper is busy
    # too: the helper stores them once it is handed them.
    own: list[tuple[str, str, int, int, bytes]] = []
    encode = index_mod.encode if cache.writable else None
    for number in shares:
        start = number * size
        for done, file in enumerate(files[start : start + size], start + 1):
            read, parsed = parse(file)
            results[file.path] = parsed
            if encode is not None and _storable(parsed):
                own.append((read.path, read.kind, read.size, read.mtime_ns, encode(*parsed)))
            if progress is not None and done < total:
                progress(done, total)
    shares.close()
    collected = _collect(child)
    if collected is None:  # the helper failed: do its shares here
        send(child, b"")
        for file in files:
            if file.path not in results:
                results[file.path] = parse(file)[1]
        if progress is not None:
            progress(total, total)
        return results, set(), None, statted
    received, stamps = collected
    unrecord = index_mod.unrecord
    for path, values in received.items():
        results[path] = unrecord(values)
    for stamped in stamps:
        statted[stamped[0]] = _new(NoteFile, stamped)
    if progress is not None:
        progress(total, total)

    def hand_over(parsed: list[tuple[NoteFile, Parsed]], removed: list[str]) -> None:
        # Encoded here, a row each: the helper stores them as they are.
        encode = index_mod.encode
        rows = own + [(f.path, f.kind, f.size, f.mtime_ns, encode(*p)) for f, p in parsed]
        data: Any = (rows, removed)
        if send(child, marshal.dumps(data)):
            return

        def store() -> None:
            cache.update([index_mod.Row._make(row) for row in rows], removed)

        if not background(store, "files"):  # the helper is gone: another stores them
            store()

    return results, set(received).union(row[0] for row in own), hand_over, statted


def _fork_parser(
    files: list[NoteFile],
    shares: Shares,
    size: int,
    config: Config,
    cache: index_mod.Index,
    also: Sequence[tuple[Callable[[], object], str]] = (),
) -> Helper | None:
    """A helper that parses the `shares` of `files` (of `size` notes each) it takes and sends
    them as plain values; then, while this process goes on, it stores them in the index with
    the rows and removals this process hands over."""
    records: list[tuple[NoteFile, index_mod.Record, bool]] = []

    def parse() -> bytes:
        record = index_mod.record
        dumps: Any = marshal.dumps
        pieces: list[bytes] = []
        for number in shares:
            first = len(records)
            stamps: list[tuple[Any, ...]] = []
            for file in files[number * size : (number + 1) * size]:
                read, parsed = parse_note(file, config)
                records.append((read, record(*parsed), _storable(parsed)))
                if read is not file:
                    stamps.append(tuple(read))  # marshal takes a plain tuple
            # A share's notes in one piece, made as they are parsed: the answer is ready as
            # soon as the last share is, and is made into notes with a `marshal.loads` a share.
            pairs = [(file.path, plain) for file, plain, _ in records[first:]]
            piece = dumps((pairs, stamps))
            pieces += (len(piece).to_bytes(4, "big"), piece)
        shares.close()
        return b"".join(pieces)

    def store() -> None:
        dumps: Any = marshal.dumps
        # In path order, as the shares were taken: rows inserted so are stored faster.
        own = [
            index_mod.Row(f.path, f.kind, f.size, f.mtime_ns, dumps(plain))
            for f, plain, storable in records
            if storable
        ]
        # This process's rows are read as they come (it waits until they are), while the
        # helper's own are stored: it sends them once it has made its notes into a snapshot.
        sent: list[bytes] = []
        reader = threading.Thread(target=lambda: sent.append(received()))
        reader.start()
        with cache.updating() as put:
            put(own, ())
            reader.join()
            more: list[tuple[str, str, int, int, bytes]] = []
            removed: list[str] = []
            with contextlib.suppress(EOFError, ValueError, TypeError, IndexError):
                more, removed = marshal.loads(sent[0])  # nothing, if it sent nothing
            put(sorted(index_mod.Row._make(row) for row in more), removed)

    then = [*also, (store, "files")]
    return fork_helper(parse, then=then, fed=True)


def _collect(
    child: Helper,
) -> tuple[dict[str, index_mod.Record], list[tuple[str, str, str, int, int]]] | None:
    """The notes a parsing helper sent (its shares' pieces, each behind its length), and the
    files it found the size and mtime of (those scanned without them), as plain tuples."""
    data = collect(child)
    if data is None:
        return None
    received: dict[str, index_mod.Record] = {}
    stamps: list[tuple[str, str, str, int, int]] = []
    view, at = memoryview(data), 0
    try:
        while at < len(data):
            end = at + 4 + int.from_bytes(view[at : at + 4], "big")
            if end > len(data):
                return None
            pairs, stats = marshal.loads(view[at + 4 : end])
            received.update(pairs)
            stamps += stats
            at = end
    except (EOFError, ValueError, TypeError):
        return None
    return received, stamps


def unreadable(problems: Sequence[Problem]) -> bool:
    """Whether a file could not be read (NW102): it may be readable later without any change
    to its size or mtime, so nothing derived from it is kept."""
    return bool(problems) and any(p.code == "NW102" for p in problems)


def _storable(parsed: Parsed) -> bool:
    """A note that could not be read is read again next time, not taken from the index."""
    return not unreadable(parsed[1])


def _stale(row: index_mod.Row | None, file: NoteFile) -> bool:
    return row is None or row.size != file.size or row.mtime_ns != file.mtime_ns


def load_vault(
    config: Config,
    *,
    today: date,
    progress: Progress | None = None,
    scanned: Scanned | None = None,
    then: Callable[[Loaded], None] | None = None,
    also: Sequence[tuple[Callable[[], object], str]] = (),
    meanwhile: Callable[[], object] | None = None,
) -> tuple[Snapshot, list[Problem]]:
    """The vault's snapshot and every problem in it (per note and across notes), sorted.

    `then` is called with the notes as loaded, before they are checked across notes.
    """
    from netzwerk.validate import validate

    loaded = load(config, progress=progress, scanned=scanned, also=also, meanwhile=meanwhile)
    if then is not None:
        then(loaded)
    problems = loaded.problems + validate(loaded.snapshot, config, today)
    return loaded.snapshot, sorted_problems(problems)


class LookupProblem(Exception):
    """NAME matches no contact, or several."""


def find_contact(snapshot: Snapshot, name: str) -> Contact:
    """The contact whose title or alias is `name`, ignoring case and accents."""
    wanted = fold(name)
    exact = [c for c in snapshot.contacts if c.name == name]
    if len(exact) == 1:
        return exact[0]
    matches = [c for c in snapshot.contacts if any(fold(n) == wanted for n in c.names)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = ", ".join(f"{c.name} ({c.path})" for c in matches)
        raise LookupProblem(f"{name!r} is ambiguous: {listed}")
    # "Marie" for "Marie Dupont": a unique name that starts with the words given.
    starting = [
        c for c in snapshot.contacts if any(fold(n).startswith(wanted + " ") for n in c.names)
    ]
    if len(starting) == 1:
        return starting[0]
    if starting:
        listed = ", ".join(c.name for c in starting[:8])
        more = f" and {len(starting) - 8} more" if len(starting) > 8 else ""
        raise LookupProblem(f"{name!r} could be {listed}{more}; give the full name")
    broken = [b for b in snapshot.broken if fold(b) == wanted]
    if broken:
        raise LookupProblem(
            f"the note of {broken[0]!r} has errors and is not read; "
            "run `netzwerk check` and fix them first"
        )
    import difflib

    names = {fold(n): c.name for c in snapshot.contacts for n in c.names}
    close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
    starts = [c.name for c in snapshot.contacts if fold(c.name).startswith(wanted)]
    suggestions = list(dict.fromkeys([names[c] for c in close] + starts))[:3]
    hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    raise LookupProblem(f"no contact named {name!r}{hint}")
