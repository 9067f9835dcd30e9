"""The digest again after a few notes changed: only their contacts are computed anew.

Every digest run keeps a state in the index, for its week, day, configuration and code:
each note's stat and problem counts, a hash of what other notes' results read from it (names,
aliases, links, the inputs of introductions), and each contact's share of the digest
(`digest.Part`) with what the rest of the vault says about them (`digest.Cross`).

The next run of the same week and day reads only the notes whose stat changed. When none of
them can change anything for anyone else (no note added or removed, no journal changed, the
same hash), it computes just those contacts' shares and assembles the digest from them and
the kept ones: the same bytes as a digest made from scratch, in a fraction of the time. In
any other case `digest` returns None and the caller makes the whole digest, then keeps its
state in two halves: `keep_files` (what the notes are) as soon as they are loaded, and
`keep_digest` (the shares) once they are computed, both on the other core of a large vault.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from netzwerk import digest as digest_mod
from netzwerk import index
from netzwerk.config import Config
from netzwerk.digest import BirthdayPart, Cross, Inputs, IntroLine, ItemPart, Part
from netzwerk.memo import intro_hash
from netzwerk.model import Contact, Snapshot, link_key
from netzwerk.problems import Problem, Severity
from netzwerk.scan import NoteFile, code_stamp
from netzwerk.schedule import Week
from netzwerk.validate import ACROSS_CODES, validate_local
from netzwerk.vault import parse_file

# More changed notes than this: computing the whole digest is about as quick.
MAX_CHANGED = 500
# From this many contacts on, the state is kept by a helper on the other core.
PARALLEL_MIN = 1500
# Notes changed since the state was written whole, kept as a small delta beside it: writing
# the whole state for 10,000 contacts costs more than the rest of a quick digest.
DELTA_MAX = 300

# A note's entry in the state: size, mtime (-1: not to be trusted, read it again), the hash
# of what others read from it (None for journals and unreadable notes: any change to them
# makes a whole digest), its own errors and warnings, and its tier as the note says.
_File = tuple[int, int, bytes | None, int, int, str | None]


class Quick(NamedTuple):
    """A digest made from a kept state; `keep()` stores the state it was made from."""

    text: str
    errors: int
    warnings: int
    keep: Callable[[], None]


STATE = "digest-state:"  # the start of the keys of kept states


def state_key(config: Config, week: Week, today: date) -> str:
    # Every setting (tiers, cadences, week start, folders), not just those the index needs.
    parts = (index.VERSION, code_stamp(), repr(config), week.label, today.isoformat())
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape"))
    return STATE + digest.hexdigest()


def shared(contact: Contact) -> bytes:
    """A hash of everything in a contact's note that other contacts' results depend on."""
    # Every link in the log, but not where: a new log line without links changes nothing.
    links = tuple(sorted([link for e in contact.log for link in e.links]))
    inputs = (contact.knows, contact.introduced_by, links, intro_hash(contact))
    # marshal format 0: equal values give equal bytes (see memo.fingerprint).
    data: Any = inputs
    return hashlib.blake2b(marshal.dumps(data, 0), digest_size=16).digest()


def run_id() -> int:
    """What ties the two halves of a state kept by one whole digest together."""
    return time.time_ns()


def keep_files(
    config: Config,
    week: Week,
    today: date,
    snapshot: Snapshot,
    files: Sequence[NoteFile],
    problems: Sequence[Problem],
    scan_problems: Sequence[Problem],
    run: int,
) -> None:
    """Store the first half of the state of a whole digest, what the notes are: each file's
    entry, the problem counts (`problems`: all of them) and the names that link to contacts."""
    local: dict[str, list[int]] = {}
    across = [0, 0]
    fresh = set(scan_problems)  # found again by every scan
    for problem in problems:
        if problem in fresh:
            continue
        count = across if problem.code in ACROSS_CODES else local.setdefault(problem.path, [0, 0])
        count[problem.severity is not Severity.ERROR] += 1
    hashes = {c.path: shared(c) for c in snapshot.contacts}
    tiers = {c.path: c.tier for c in snapshot.contacts}
    trusted = _trusted_since()
    entries: dict[str, _File] = {}
    for file in files:
        errors, warnings = local.get(file.path, (0, 0))
        mtime = file.mtime_ns if file.mtime_ns < trusted else -1
        entry = (file.size, mtime, hashes.get(file.path), errors, warnings, tiers.get(file.path))
        entries[file.path] = entry
    in_files = (sum(c[0] for c in local.values()), sum(c[1] for c in local.values()))
    names = {name: contact.path for name, contact in snapshot.links().items()}
    key = state_key(config, week, today)
    _store_files(config, key, run, entries, (*in_files, across[0], across[1]))
    index.put_result(config.cache_dir, key + ":names", marshal.dumps(names))


def keep_digest(
    config: Config, week: Week, today: date, snapshot: Snapshot, inputs: Inputs, run: int
) -> None:
    """Store the second half of the state of a whole digest: every contact's share, what
    other notes say about them, the intros."""
    parts = {path: _plain(part) for path, part in inputs.parts.items()}
    cross = {path: tuple(c) for path, c in digest_mod.cross_of(snapshot, inputs.around).items()}
    intros = [_intro_row(i) for i in inputs.intros]
    _store_digest(config, state_key(config, week, today), run, parts, cross, intros)


def digest(
    config: Config,
    files: Sequence[NoteFile],
    week: Week,
    today: date,
    prepared: Prepared | None = None,
) -> Quick | None:
    """The digest of `week` from the kept state, or None when it must be made from scratch.
    `prepared`: what `prepare` read of that state (used once: the digest changes it)."""
    with _uncollected():
        return _digest(config, files, week, today, prepared)


class Prepared(NamedTuple):
    """The state kept for a week, read before the digest asks for it."""

    key: str
    state: _State | None
    shown: dict[str, Part] | None  # its parts made into Parts, if there was time


def prepare(config: Config, week: Week, today: date, waiting: Callable[[], bool]) -> Prepared:
    """Read the state kept for `week` before `digest` asks for it, while the vault is scanned
    on the other core, say; its parts are made into Parts too if `waiting()` still is."""
    key = state_key(config, week, today)
    with _uncollected():
        state = _load(config, key)
        shown = None
        if state is not None and waiting():
            shown = {path: _part(row) for path, row in state[2].items()}
    return Prepared(key, state, shown)


@contextlib.contextmanager
def _uncollected() -> Iterator[None]:
    """The state is tens of thousands of tuples and strings without a cycle among them: the
    collector would walk them again and again while they are read, for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _digest(
    config: Config,
    files: Sequence[NoteFile],
    week: Week,
    today: date,
    prepared: Prepared | None,
) -> Quick | None:
    key = state_key(config, week, today)
    if prepared is not None and prepared.key == key:
        state, shown = prepared.state, prepared.shown
    else:
        state, shown = _load(config, key), None
    if state is None:
        return None
    base, entries, parts, cross, intros, counts, delta = state
    if len(entries) != len(files):
        return None
    changed = []
    for file in files:
        entry = entries.get(file.path)
        if entry is None:  # added (and, as the count is the same, another removed)
            return None
        if entry[0] != file.size or entry[1] != file.mtime_ns:
            changed.append(file)
    if len(changed) > MAX_CHANGED:
        return None
    contacts = []
    own: dict[str, list[Problem]] = {}
    by_path = {file.path: file for file in changed}
    for file in changed:
        old = entries[file.path]
        if file.kind != "contact" or old[2] is None:
            return None
        contact, found = parse_file(file, config)
        if not isinstance(contact, Contact) or shared(contact) != old[2]:
            return None
        contacts.append(contact)
        own[file.path] = found
    mini = Snapshot(tuple(contacts))
    for problem in validate_local(mini, config, today):
        own[problem.path].append(problem)
    known = {path: Cross(*cross[path]) for path in own if path in cross}
    fresh = digest_mod.contact_parts(mini, config, week, today, digest_mod.around_of(mini, known))

    in_errors, in_warnings, across_errors, across_warnings = counts
    trusted = _trusted_since()
    for contact in contacts:
        path = contact.path
        file = by_path[path]
        found = own[path]
        errors = sum(1 for p in found if p.severity is Severity.ERROR)
        warnings = len(found) - errors
        old = entries[path]
        in_errors += errors - old[3]
        in_warnings += warnings - old[4]
        mtime = file.mtime_ns if file.mtime_ns < trusted else -1
        entry = (file.size, mtime, old[2], errors, warnings, contact.tier)
        entries[path] = delta[0][path] = entry
        part = fresh[path]
        if part is None:
            delta[1][path] = None
            parts.pop(path, None)
            if shown is not None:
                shown.pop(path, None)
        else:
            row = parts[path] = delta[1][path] = _plain(part)
            if shown is not None:
                shown[path] = _part(row)  # as the kept parts are made: the same values

    tiers: dict[str | None, int] = {}
    for entry in entries.values():
        if entry[2] is not None:  # a contact
            tiers[entry[5]] = tiers.get(entry[5], 0) + 1
    inputs = Inputs(
        shown if shown is not None else {path: _part(row) for path, row in parts.items()},
        tiers,
        digest_mod.Around({}, {}, {}),  # what others say was needed for the changed only
        tuple(IntroLine(*row) for row in intros),
    )
    resolve = _Resolver(config, key, inputs.parts).resolve
    if digest_mod.ticks_pending(config, inputs.parts, resolve):
        return None  # the whole digest records them, or reports what it cannot
    text = digest_mod.render_week(inputs, config, week, resolve)
    new_counts = (in_errors, in_warnings, across_errors, across_warnings)

    def store() -> None:
        if not changed:
            return
        if len(delta[0]) > DELTA_MAX:
            run = run_id()
            _store_files(config, key, run, entries, new_counts)
            _store_digest(config, key, run, parts, cross, intros)
        else:
            state: Any = (base, *delta, new_counts)
            index.put_result(config.cache_dir, key + ":delta", marshal.dumps(state))

    return Quick(text, in_errors + across_errors, in_warnings + across_warnings, store)


def _trusted_since() -> int:
    """A file modified after this (ns) may change again within its mtime tick."""
    return time.time_ns() - int(index.RACY_SECONDS * 1e9)


def _store_files(
    config: Config, key: str, run: int, entries: dict[str, _File], counts: tuple[int, ...]
) -> None:
    """Write the first half of a whole state; a new run makes any kept delta void."""
    state: Any = (run, entries, counts)
    index.put_result(config.cache_dir, key + ":files", marshal.dumps(state))


def _store_digest(
    config: Config,
    key: str,
    run: int,
    parts: Mapping[str, tuple[object, ...]],
    cross: Mapping[str, tuple[object, ...]],
    intros: Sequence[tuple[object, ...]],
) -> None:
    """Write the second half of a whole state."""
    state: Any = (run, dict(parts), dict(cross), list(intros))
    index.put_result(config.cache_dir, key, marshal.dumps(state))


# base, entries, parts, cross, intros, counts, and the delta since base (entries, parts); the
# rows of cross and intros are plain tuples of digest.Cross and digest.IntroLine.
_State = tuple[
    int,
    dict[str, _File],
    dict[str, tuple[object, ...]],
    dict[str, Any],
    list[Any],
    tuple[int, int, int, int],
    tuple[dict[str, _File], dict[str, tuple[object, ...] | None]],
]


def _load(config: Config, key: str) -> _State | None:
    """The kept state with the delta written since applied; None when there is none."""
    found = index.get_results(config.cache_dir, (key, key + ":files", key + ":delta"))
    data, files = found.get(key), found.get(key + ":files")
    if data is None or files is None:
        return None
    try:
        base, parts, cross, intros = marshal.loads(data)
        run, entries, counts = marshal.loads(files)
        if run != base:  # the halves of two runs (one of them did not finish)
            return None
        changes: tuple[dict[str, _File], dict[str, tuple[object, ...] | None]] = ({}, {})
        if key + ":delta" in found:
            delta = marshal.loads(found[key + ":delta"])
            if delta[0] == base:  # else written for a state since replaced
                changes = (delta[1], delta[2])
                entries.update(changes[0])
                for path, part in changes[1].items():
                    if part is None:
                        parts.pop(path, None)
                    else:
                        parts[path] = part
                counts = delta[3]
    except (EOFError, ValueError, TypeError, IndexError, AttributeError):
        return None
    return base, entries, parts, cross, intros, counts, changes


class _Resolver:
    """Finds a tick's contact with the names kept with the state (read only when needed)."""

    def __init__(self, config: Config, key: str, parts: Mapping[str, Part]) -> None:
        self.config, self.key, self.parts = config, key, parts
        self.names: dict[str, str] | None = None
        self.paths: dict[str, str] = {}

    def resolve(self, name: str) -> str | None:
        if self.names is None:
            self.names = self._names()
            self.paths = {p.removesuffix(".md").casefold(): p for p in self.parts}
        return digest_mod.resolve_tick(name, self._by_name, self.paths)

    def _by_name(self, name: str) -> str | None:
        return self.names.get(link_key(name)) if self.names is not None else None

    def _names(self) -> dict[str, str]:
        data = index.get_result(self.config.cache_dir, self.key + ":names")
        try:
            names = marshal.loads(data) if data is not None else {}
        except (EOFError, ValueError, TypeError):
            names = {}
        return names if isinstance(names, dict) else {}


def _intro_row(intro: IntroLine) -> tuple[object, ...]:
    return (
        intro.needer,
        intro.needer_path,
        intro.giver,
        intro.giver_path,
        intro.need,
        intro.verb,
        intro.match,
    )


def _plain(part: Part) -> tuple[object, ...]:
    """A Part as marshal takes it: tuples all the way down."""
    item = tuple(part.item) if part.item is not None else None
    born = tuple(tuple(b) for b in part.birthdays)
    return (*part[:4], item, born, *part[6:])


def _part(row: tuple[Any, ...]) -> Part:
    """A Part back from `_plain` (made directly: 10,000 of them per quick digest)."""
    item, born = row[4], row[5]
    if item is None and not born:
        part: Part = tuple.__new__(Part, row)
        return part
    return tuple.__new__(
        Part,
        (
            *row[:4],
            tuple.__new__(ItemPart, item) if item is not None else None,
            tuple([tuple.__new__(BirthdayPart, b) for b in born]),
            *row[6:],
        ),
    )
