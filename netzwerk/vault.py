"""Load the notes of a vault (as `scan` finds them) through the index into a Snapshot."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from netzwerk import notes
from netzwerk.config import Config
from netzwerk.model import Contact, JournalNote, Note, Snapshot, title_of
from netzwerk.parallel import share_out
from netzwerk.problems import Problem, Refused, error
from netzwerk.scan import NoteFile, Scan, reason
from netzwerk.store import index
from netzwerk.text import fold, suggest

Progress = Callable[[int, int], None]
_BATCH = 2000  # notes written to the index at a time


class Loaded(NamedTuple):
    """A vault's notes as read: the snapshot, each note's problems, what the load did."""

    snapshot: Snapshot
    problems: list[Problem]  # each note's own; the scan's are the scan's, checks come later
    read: int  # notes parsed (the rest came from the index)
    removed: int  # notes the index forgot (deleted or renamed)


def read_note(file: NoteFile, config: Config) -> index.Parsed:
    """Read and parse one note; a note that cannot be read gives an NW102 problem."""
    limit = notes.MAX_NOTE_BYTES + 1
    try:
        with open(file.abspath, "rb") as handle:
            # Sized by the scan: a read of `limit` bytes allocates them all, for every note.
            raw = handle.read(min(file.size + 1, limit))
            if file.size < len(raw) < limit:  # it grew since the scan
                raw += handle.read(limit - len(raw))
    except OSError as exc:
        return None, [error(file.path, None, "NW102", f"cannot read: {reason(exc)}")]
    return notes.read_note(file.path, raw, file.kind, config)


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
    problems: list[Problem] = []
    parsed: dict[str, index.Parsed] = {}
    changed: list[index.Row] = []  # the notes read again, as the index keeps them
    stale = [f for f in scanned.files if not index.fresh(rows.get(f.path), f.size, f.mtime_ns)]

    def keep(file: NoteFile, record: bytes) -> None:
        # Into the index a batch at a time: the bytes of every note never wait all at once.
        if not unreadable(parsed[file.path][1]):  # read again next time: it may be readable then
            changed.append(index.Row(file.path, file.kind, file.size, file.mtime_ns, record))
        if len(changed) >= _BATCH:
            cache.update(changed, ())
            changed.clear()

    def here(item: int) -> None:
        file = stale[item]
        parsed[file.path] = read_note(file, config)
        keep(file, index.encode(parsed[file.path]))

    def there(item: int) -> bytes:
        return index.encode(read_note(stale[item], config))

    # Many notes to read (a vault without an index): on two cores.
    made = share_out(len(stale), here, there, progress)
    for item in sorted(made):
        file, record = stale[item], made.pop(item)
        parsed[file.path] = index.decode(record)
        keep(file, record)
    read = len(stale)
    for file in scanned.files:
        if file.path in parsed:
            continue
        record = rows[file.path].data
        try:
            parsed[file.path] = index.decode(record)
        except Exception:  # a damaged row: the note is read again
            note = parsed[file.path] = read_note(file, config)
            keep(file, index.encode(note))
            read += 1
    paths = {f.path for f in scanned.files}
    removed = [path for path in rows if path not in paths]
    cache.update(changed, removed)
    snapshot = snapshot_of(scanned.files, parsed, problems)
    return Loaded(snapshot, problems, read, len(removed))


def snapshot_of(
    files: Iterable[NoteFile], parsed: dict[str, index.Parsed], problems: list[Problem]
) -> Snapshot:
    """The snapshot of `files` as parsed; their problems are added to `problems`."""
    contacts: list[Contact] = []
    journals: list[JournalNote] = []
    others: list[Note] = []
    broken: list[str] = []
    for file in files:
        entity, found = parsed[file.path]
        problems.extend(found)
        if isinstance(entity, Contact):
            contacts.append(entity)
        elif isinstance(entity, JournalNote):
            journals.append(entity)
        elif isinstance(entity, Note):
            others.append(entity)
        elif file.kind == "contact" and found:  # not read: an error, or too large
            broken.append(title_of(file.path))
    return arranged(contacts, journals, broken, others)


def arranged(
    contacts: Iterable[Contact],
    journals: Iterable[JournalNote] = (),
    broken: Iterable[str] = (),
    notes: Iterable[Note] = (),
) -> Snapshot:
    """A snapshot of these notes in its order: contacts by name (ignoring case and accents),
    journal notes by date, the rest by path."""
    return Snapshot(
        tuple(sorted(contacts, key=lambda c: (fold(c.name), c.name, c.path))),
        tuple(sorted(journals, key=lambda j: (j.date, j.path))),
        tuple(sorted(broken)),
        tuple(sorted(notes, key=lambda n: n.path)),
    )


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
    # A note of that title that could not be read comes before anyone's alias or a longer
    # name that starts with it: never edit someone else's note in its place.
    broken = [b for b in snapshot.broken if fold(b) == wanted]
    if broken and not any(fold(c.name) == wanted for c in snapshot.contacts):
        raise LookupProblem(
            f"the note of {broken[0]!r} has errors and is not read; "
            "run `netzwerk check` and fix them first"
        )
    matches = [c for c in snapshot.contacts if any(fold(n) == wanted for n in (*c.names, c.shown))]
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
    names = {fold(n): c.name for c in snapshot.contacts for n in c.names}
    close = [names[c] for c in suggest(wanted, names, n=3)]
    starts = [c.name for c in snapshot.contacts if fold(c.name).startswith(wanted)]
    # A first name close to one's (`Anne`, `Ana` for Anna Schmidt), when one word was given.
    firsts: dict[str, list[str]] = {}
    if " " not in wanted:
        for contact in snapshot.contacts:
            for known in contact.names:
                first = fold(known).split(" ", 1)[0]
                firsts.setdefault(first, []).append(contact.name)
    near = [n for f in suggest(wanted, firsts, n=2, cutoff=0.7) for n in firsts[f]]
    suggestions = list(dict.fromkeys(close + starts + near))[:3]
    hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    raise LookupProblem(f"no contact named {name!r}{hint}")
