"""Load the notes of a vault (as `scan` finds them) through the index into a Snapshot."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from netzwerk import notes
from netzwerk.config import Config
from netzwerk.model import Contact, JournalNote, Snapshot
from netzwerk.problems import Problem, Refused, error
from netzwerk.scan import NoteFile, Scan, reason
from netzwerk.store import index
from netzwerk.text import fold, suggest

Progress = Callable[[int, int], None]


class Loaded(NamedTuple):
    """A vault's notes as read: the snapshot, each note's problems, what the load did."""

    snapshot: Snapshot
    problems: list[Problem]  # the scan's and each note's own; checks across notes come later
    read: int  # notes parsed (the rest came from the index)
    removed: int  # notes the index forgot (deleted or renamed)


def read_note(file: NoteFile, config: Config) -> index.Parsed:
    """Read and parse one note; a note that cannot be read gives an NW102 problem."""
    try:
        with open(file.abspath, "rb") as handle:
            raw = handle.read(notes.MAX_NOTE_BYTES + 1)
    except OSError as exc:
        return None, [error(file.path, None, "NW102", f"cannot read: {reason(exc)}")]
    if file.kind == "contact":
        return notes.parse_contact(file.path, raw, config.keys)
    return notes.parse_journal(file.path, raw)


def load(
    config: Config,
    scanned: Scan,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> Loaded:
    """Every note of `scanned`: those whose size or mtime changed are read again, the rest is
    taken from the index, which is brought up to date."""
    cache = index.Index(config.cache_dir, config.fingerprint())
    rows = cache.rows(rebuild=rebuild)
    problems = list(scanned.problems)
    parsed: list[tuple[NoteFile, index.Parsed]] = []
    changed: list[index.Row] = []
    stale = [f for f in scanned.files if not index.fresh(rows.get(f.path), f.size, f.mtime_ns)]
    for done, file in enumerate(stale, 1):
        note = read_note(file, config)
        parsed.append((file, note))
        if not unreadable(note[1]):  # read again next time: it may be readable then
            row = index.Row(file.path, file.kind, file.size, file.mtime_ns, index.encode(note))
            changed.append(row)
        if progress is not None:
            progress(done, len(stale))
    fresh = dict((file.path, note) for file, note in parsed)
    read = len(stale)
    for file in scanned.files:
        if file.path in fresh:
            continue
        try:
            fresh[file.path] = index.decode(rows[file.path].data)
        except Exception:  # a damaged row: the note is read again
            note = fresh[file.path] = read_note(file, config)
            row = index.Row(file.path, file.kind, file.size, file.mtime_ns, index.encode(note))
            changed.append(row)
            read += 1
    paths = {f.path for f in scanned.files}
    removed = [path for path in rows if path not in paths]
    cache.update(changed, removed)
    return Loaded(snapshot_of(scanned.files, fresh, problems), problems, read, len(removed))


def snapshot_of(
    files: Iterable[NoteFile], parsed: dict[str, index.Parsed], problems: list[Problem]
) -> Snapshot:
    """The snapshot of `files` as parsed; their problems are added to `problems`."""
    contacts: list[Contact] = []
    journals: list[JournalNote] = []
    broken: list[str] = []
    for file in files:
        entity, found = parsed[file.path]
        problems.extend(found)
        if isinstance(entity, Contact):
            contacts.append(entity)
        elif isinstance(entity, JournalNote):
            journals.append(entity)
        elif file.kind == "contact" and found:  # not read: an error, or too large
            broken.append(file.path.rsplit("/", 1)[-1][:-3])
    contacts.sort(key=lambda c: (fold(c.name), c.name, c.path))
    journals.sort(key=lambda j: (j.date, j.path))
    return Snapshot(tuple(contacts), tuple(journals), tuple(sorted(broken)))


def unreadable(problems: Iterable[Problem]) -> bool:
    """Whether a file could not be read (NW102): it may be readable later without any change
    to its size or mtime, so nothing derived from it is kept."""
    return any(p.code == "NW102" for p in problems)


class LookupProblem(Refused):
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
    names = {fold(n): c.name for c in snapshot.contacts for n in c.names}
    close = [names[c] for c in suggest(wanted, names, n=3)]
    starts = [c.name for c in snapshot.contacts if fold(c.name).startswith(wanted)]
    suggestions = list(dict.fromkeys(close + starts))[:3]
    hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    raise LookupProblem(f"no contact named {name!r}{hint}")
