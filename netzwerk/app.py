"""What each command does: one function per command, composing the stages of the pipeline
(scan → notes → facts → schedule, network, digest → render → write). The only module that
knows the caches exist (`netzwerk.store`) and when each is used.

A command takes a `Vault` (the settings, today, and each stage made once, when first asked
for) and its options, and returns data; `netzwerk.cli` turns that into text or JSON.
"""

from __future__ import annotations

import contextlib
import errno
import marshal
import zlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from netzwerk.config import Config, load_config
from netzwerk.model import TARGET, Contact, Facts, JournalNote, Snapshot, link_key, title_of
from netzwerk.problems import Problem, Refused, Severity, sorted_problems
from netzwerk.scan import Scan, scan
from netzwerk.text import fold, plural

_T = TypeVar("_T")

# More changed notes than this: reading the vault through the index is about as quick.
MAX_CHANGED = 500
# A search for chains reads a part of the graph from at most this many notes, or a quarter of
# the vault's (more, and reading the whole graph costs little more).
MAX_AROUND = 2000


class Output(NamedTuple):
    """What a command printed, in order: (text, to stderr, end with a newline, a table to fit
    to the terminal), and its exit status. A command run again on an unchanged vault prints it
    again from the cache."""

    printed: tuple[tuple[str, bool, bool, bool], ...]
    code: int


class People:
    """Everyone's Facts (sorted by name), the introductions the digest shows, how many
    problems the vault has today, what the digest shows of trips and people to meet, and the
    kept state they come from (each note's problems, the problems across notes). The Facts
    and the digest's rows are decoded when first asked for: the counts and a few people's
    Facts need neither."""

    def __init__(
        self,
        kept: Any,  # store.facts.Kept
        errors: int,
        warnings: int,
        remake: Callable[[], Any],  # the kept state made again from the notes (damaged)
    ) -> None:
        self.kept = kept
        self.errors = errors
        self.warnings = warnings
        self.remake = remake
        self._facts: list[Facts] | None = None
        self._by_path: dict[str, Facts] | None = None
        self._rows: tuple[tuple[Any, ...], ...] | None = None

    @property
    def intros(self) -> tuple[Any, ...]:
        """The introductions the digest shows (`digest.IntroLine`)."""
        return self._digest_rows()[0]

    @property
    def trips(self) -> tuple[Any, ...]:
        """Who is where each trip goes (`week.kept.KeptTrip`)."""
        return self._digest_rows()[1]

    @property
    def chains(self) -> tuple[Any, ...]:
        """The graph around each person you want to meet (`week.kept.Chains`)."""
        return self._digest_rows()[2]

    def _digest_rows(self) -> tuple[tuple[Any, ...], ...]:
        if self._rows is None:
            from netzwerk.digest import IntroLine
            from netzwerk.week.kept import Chains, KeptTrip

            intro_rows, trip_rows, chain_rows = marshal.loads(self.kept.extra)
            self._rows = (
                tuple(IntroLine(*row) for row in intro_rows),
                tuple(KeptTrip(*row) for row in trip_rows),
                tuple(Chains(*row) for row in chain_rows),
            )
        return self._rows

    @property
    def facts(self) -> list[Facts]:
        """Everyone's Facts, by name."""
        if self._facts is None:
            found = self._decoded(lambda entries: [e.facts() for e in entries.values()])
            people = [f for f in found if f is not None]
            people.sort(key=lambda p: (fold(p.name), p.name, p.path))
            self._facts = people
        return self._facts

    def of(self, path: str) -> Facts | None:
        """The Facts of the contact at `path`, decoding no one else's."""
        if self._facts is not None:  # (everyone's decoded already)
            if self._by_path is None:
                self._by_path = {f.path: f for f in self._facts}
            return self._by_path.get(path)
        return self._decoded(lambda entries: e.facts() if (e := entries.get(path)) else None)

    def _decoded(self, decode: Callable[[dict[str, Any]], _T]) -> _T:
        """`decode(entries)`; if a kept entry is damaged, the state is made again from the
        notes first."""
        from netzwerk.store.facts import Damaged

        try:
            return decode(self.kept.entries)
        except Damaged:
            self.kept = self.remake()
            return decode(self.kept.entries)


class VaultError(Refused):
    """The vault cannot be used as it is (no such folder, a broken netzwerk.toml)."""


class Vault:
    """One command's view of a vault: its settings and today's date, and each stage of the
    pipeline, made once when first asked for."""

    def __init__(
        self,
        config: Config,
        today: date,
        *,
        config_problems: Sequence[Problem] = (),
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.config = config
        self.today = today
        self.config_problems = list(config_problems)
        self.progress = progress
        self._scan: Scan | None = None
        self._loaded: Any = None  # vault.Loaded
        self._problems: list[Problem] | None = None
        self._people: People | None = None
        self._light: tuple[dict[str, Light] | None] | None = None
        self._read: dict[tuple[str, int, int], Any] = {}  # notes read by `read`, by their stat
        self._indexed: set[tuple[str, int, int]] = set()  # of those, the ones in the index
        self._kept_notes: dict[str, Any] = {}  # notes decoded from the index by `_decoded`
        self._titles: dict[str, list[str]] | None = None  # contacts' paths by title (`light`)

    # --- the stages ----------------------------------------------------------------------

    def scan(self) -> Scan:
        """The note files and their stats."""
        if self._scan is None:
            self._scan = scan(self.config)
        return self._scan

    def loaded(self) -> Any:
        """Every note, read through the index (`vault.Loaded`)."""
        if self._loaded is None:
            from netzwerk.vault import load

            self._loaded = load(self.config, self.scan(), progress=self.progress)
        return self._loaded

    @property
    def snapshot(self) -> Snapshot:
        snapshot: Snapshot = self.loaded().snapshot
        return snapshot

    def problems(self) -> list[Problem]:
        """Every problem of the notes and across them, sorted (netzwerk.toml's not included):
        the scan's, and those of the notes and across them, from the notes when they are
        loaded already, else from the kept state."""
        if self._problems is None:
            found = list(self.scan().problems)
            if self._loaded is not None and self._people is None:
                from netzwerk.validate import validate

                loaded = self._loaded
                found += loaded.problems + validate(loaded.snapshot, self.config, self.today)
            else:
                from netzwerk.problems import unplain

                kept = self.people().kept
                found += unplain(kept.across)
                for entry in kept.entries.values():
                    if entry.problems:
                        found += unplain(entry.problems)
            self._problems = sorted_problems(found)
        return self._problems

    def people(self) -> People:
        """Everyone's Facts: kept in the cache, read again only for notes that changed."""
        if self._people is None:
            self._people = _people(self)
        return self._people

    def counts(self) -> tuple[int, int]:
        """The vault's errors and warnings (for the one-line summary)."""
        if self._problems is None and (self._people is not None or self._loaded is None):
            people = self.people()
            return people.errors, people.warnings
        problems = self.problems()
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        return errors, len(problems) - errors

    def refresh(self) -> None:
        """Forget every stage: the notes changed (netzwerk wrote some)."""
        self._scan = self._loaded = self._problems = self._people = self._light = None
        self._read, self._indexed, self._kept_notes, self._titles = {}, set(), {}, None

    def read(self, file: Any) -> Any:
        """A note (`scan.NoteFile`) read and parsed (`vault.read_note`), once per command
        however many stages ask for it."""
        key = (file.path, file.size, file.mtime_ns)
        if key not in self._read:
            from netzwerk.vault import read_note

            self._read[key] = read_note(file, self.config)
        return self._read[key]

    def keep_read(self, files: Iterable[Any]) -> None:
        """These notes, as `read` parsed them, into the index: each once per command."""
        from netzwerk.store import index

        rows: list[index.Row] = []
        for file in files:
            key = (file.path, file.size, file.mtime_ns)
            if key not in self._indexed:
                self._indexed.add(key)
                data = index.encode(self.read(file))
                rows.append(index.Row(file.path, file.kind, file.size, file.mtime_ns, data))
        if rows:
            index.Index(self.config.cache_dir, self.config.fingerprint()).update(rows, ())

    def contact(self, name: str) -> Contact:
        """The contact NAME means (title or alias, ignoring case and accents): LookupProblem."""
        from netzwerk.network.match import find_terms
        from netzwerk.vault import LookupProblem, find_contact

        terms = find_terms(name)
        if self._loaded is None and terms:
            # Whoever NAME can mean holds its words in their search text (which holds their
            # names, folded): found among those alone, or else (no one, several) as the
            # whole vault says, with its suggestions. Also as the whole vault says when NAME
            # is the title of another note (one that could not be read, which comes first).
            with contextlib.suppress(LookupProblem):
                found = find_contact(self.holding(terms), name)
                wanted = fold(name)
                if fold(found.name) == wanted or not any(
                    fold(title_of(file.path)) == wanted for file in self.scan().files
                ):
                    return found
        return find_contact(self.snapshot, name)

    def contacts_at(self, paths: Collection[str]) -> dict[str, Contact]:
        """The contacts of these notes: from the index when the notes are not loaded (a few
        of them, for a result kept by what others read), else from the snapshot."""
        found = self._decoded(paths) if self._loaded is None else None
        if found is not None:
            return {path: c for path, c in found.items() if isinstance(c, Contact)}
        wanted = set(paths)
        return {c.path: c for c in self.snapshot.contacts if c.path in wanted}

    def _decoded(self, paths: Collection[str]) -> dict[str, Any] | None:
        """The contacts and dated notes at `paths` as read in this command (`read`) or kept in
        the index; None when one of them is not kept as the note is now, or is neither."""
        from netzwerk.store import index

        known = self._kept_notes
        files = {f.path: f for f in self.scan().files}
        found: dict[str, Any] = {}
        for path in paths:  # (read in this command: maybe changed too recently to be kept)
            file = files.get(path)
            read = self._read.get((path, file.size, file.mtime_ns)) if file else None
            if read is not None and isinstance(read[0], Contact | JournalNote):
                found[path] = read[0]
            elif path in known:
                found[path] = known[path]
        wanted = [path for path in paths if path not in found]
        cache = index.Index(self.config.cache_dir, self.config.fingerprint())
        rows = cache.rows_of(wanted) if wanted else {}
        for path in wanted:
            row, file = rows.get(path), files.get(path)
            if file is None or not index.fresh(row, file.size, file.mtime_ns):
                return None
            assert row is not None
            try:
                entity = index.decode(row.data)[0]
            except Exception:  # a damaged row: read them all
                return None
            if not isinstance(entity, Contact | JournalNote):
                return None
            found[path] = known[path] = entity
        return found

    def holding(self, terms: Sequence[str]) -> Snapshot:
        """The contacts whose search text (`network.match.search_text`) holds every one of
        `terms`, in a snapshot of their own: while the notes are not loaded, from their light
        forms (`light`), decoding only the contacts found."""
        from netzwerk.vault import arranged

        def holds(text: str | None) -> bool:
            return text is not None and all(term in text for term in terms)

        light = self.light() if self._loaded is None else None
        if light is not None:
            decoded = self._decoded([p for p, note in light.items() if holds(note.text)])
            if decoded is not None:
                return arranged(decoded.values())
        light = self._keep_light()
        return Snapshot(tuple(c for c in self.snapshot.contacts if holds(light[c.path].text)))

    def around(self, contact: Contact) -> Snapshot:
        """The notes `network.graph.build_graph` makes the edges at `contact` from
        (`around_nodes`); the whole snapshot when the notes are loaded already."""
        found = self.around_nodes({contact.name}) if self._loaded is None else None
        if found is None or all(c.path != contact.path for c in found.contacts):
            return self.snapshot
        return found

    def around_nodes(self, nodes: Collection[str], most: int | None = None) -> Snapshot | None:
        """The notes `network.graph.build_graph` makes the edges at each of `nodes` (contacts'
        titles; names without a note, in any spelling) from: their notes, every note that
        links them, and every contact those notes link (so that each link means whom it means
        in the whole vault), with every note that links a name without a note they are
        connected to (whose first spelling names it); found through the light forms
        (`light`), decoding only these. None when they cannot tell (more than a few notes
        changed, a damaged row) or when they are more than `most`."""
        from netzwerk.network.graph import build_graph
        from netzwerk.vault import arranged

        light = self.light()
        if light is None:
            return None
        wanted = {link_key(node) for node in nodes}
        same = {p for node in nodes for p in self._titled().get(node, ())}
        keys = wanted.union(*(light[p].names for p in same))
        while True:
            notes = {p for p, note in light.items() if not keys.isdisjoint(note.links)}
            notes |= same
            linked = keys.union(*(light[p].links for p in notes))
            named = {p for p, note in light.items() if not linked.isdisjoint(note.names)}
            part = self.same_titles(notes | named)
            if most is not None and len(part) > most:
                return None
            decoded = self._decoded(part)
            if decoded is None:
                return None
            snapshot = arranged(
                (n for n in decoded.values() if isinstance(n, Contact)),
                (n for n in decoded.values() if isinstance(n, JournalNote)),
            )
            graph = build_graph(snapshot)
            # (A name without a note is a node under its first spelling: found by its key.)
            edges = [at for n, at in graph.adjacency.items() if link_key(n) in wanted]
            unnamed = {link_key(n) for at in edges for n in at if graph.contact(n) is None}
            if unnamed <= keys:
                return snapshot
            keys |= unnamed

    def same_titles(self, paths: Iterable[str]) -> set[str]:
        """These notes and every contact's with the title of one of them: everyone with a
        title is one node of the graph (a name used twice, a problem `check` names). From
        the light forms, which must be there."""
        titled = self._titled()
        return {other for path in paths for other in (path, *titled.get(title_of(path), ()))}

    def _titled(self) -> dict[str, list[str]]:
        """The contacts' paths by title (`light`)."""
        if self._titles is None:
            light = self.light()
            assert light is not None
            self._titles = {}
            for path, note in light.items():
                if note.names:
                    self._titles.setdefault(title_of(path), []).append(path)
        return self._titles

    def light(self) -> dict[str, Light] | None:
        """Every note's light form (`Light`), kept in the index by the note's size and mtime;
        the notes changed since are read again (`read`; into the index too). None when more
        than a few changed, or one cannot be read."""
        if self._light is None:
            self._light = (self._read_light(),)
        return self._light[0]

    def _read_light(self) -> dict[str, Light] | None:
        from netzwerk.store import index
        from netzwerk.vault import unreadable

        cache = index.Index(self.config.cache_dir, self.config.fingerprint())
        kept = cache.light()
        files = self.scan().files
        stale = [f for f in files if not _same(kept.get(f.path), f.size, f.mtime_ns)]
        if len(stale) > MAX_CHANGED:
            return None
        made: dict[str, Light] = {}
        for file in stale:
            entity, problems = self.read(file)
            if unreadable(problems):
                return None
            made[file.path] = light_of(entity)
        if stale:
            self.keep_read(stale)
            cache.update_light(
                [(f.path, f.size, f.mtime_ns, *_plain_light(made[f.path])) for f in stale]
            )
        found: dict[str, Light] = {}
        try:
            for file in files:
                if file.path in made:
                    found[file.path] = made[file.path]
                else:
                    text, data = kept[file.path][2:]
                    names, links = marshal.loads(data)
                    if not isinstance(text, str | None) or not type(names) is type(links) is tuple:
                        return None  # a damaged row
                    found[file.path] = Light(text, names, links)
        except (ValueError, EOFError, TypeError):  # a damaged row
            return None
        return found

    def _keep_light(self) -> dict[str, Light]:
        """Every note's light form, from the notes as loaded; kept in the index."""
        from netzwerk.store import index

        snapshot = self.snapshot
        entities: dict[str, Any] = {c.path: c for c in snapshot.contacts}
        entities.update((j.path, j) for j in snapshot.journals)
        files = self.scan().files
        light = {f.path: light_of(entities.get(f.path)) for f in files}
        if self.keepable():
            rows = [(f.path, f.size, f.mtime_ns, *_plain_light(light[f.path])) for f in files]
            cache = index.Index(self.config.cache_dir, self.config.fingerprint())
            cache.update_light(rows, whole=True)
        return light

    def shared_key(self, kind: str, *parts: object) -> str | None:
        """The key of a result that depends only on what notes read from each other
        (`shared_sum`), the settings and `parts`; None: not to be kept (`_shared_key`)."""
        return _shared_key(self.config, self.people().kept.entries, kind, parts)

    def person(self, contact: Contact) -> Facts:
        """A contact's Facts."""
        person = self.people().of(contact.path)
        if person is not None:
            return person
        from netzwerk.facts import cross_of, facts_of

        cross = cross_of(self.snapshot, self.today).get(contact.path)
        return facts_of(contact, cross, self.today, key=self.config.key("last_contact"))

    # --- whole results -----------------------------------------------------------------

    def answer(self, parts: Sequence[str], make: Callable[[], Output]) -> Output:
        """`make()`, or what it printed when last run on exactly this vault (every note's size
        and mtime, the settings, templates and digests, the day) with the same `parts` (the
        command and everything that changes what it prints)."""
        from netzwerk.store import results

        if self.config_problems:  # a broken netzwerk.toml: nothing to trust, nothing to keep
            return make()
        key = results.result_key(self.config, self.scan(), *parts, self.today.isoformat())
        if key is not None:
            kept = results.get(self.config.cache_dir, key)
            if kept is not None:
                with _suppressed():
                    printed, code = marshal.loads(kept)
                    return Output(tuple(tuple(p) for p in printed), int(code))
        output = make()
        if key is not None and self.keepable():
            data: Any = (output.printed, output.code)
            results.put(self.config.cache_dir, key, marshal.dumps(data))
        return output

    def keepable(self) -> bool:
        """Whether what was computed may be kept: a file that could not be read may be
        readable later without a change to its size or mtime."""
        found = list(self.scan().problems)
        if self._loaded is not None:
            found += self._loaded.problems
        return not any(p.code == "NW102" for p in found)


class Light(NamedTuple):
    """What `find`, `show` and the look-up of a name read of every note, kept in the index
    so that after an edit they decode only the notes they show (`Vault.light`)."""

    text: str | None  # a contact's search text (`network.match.search_text`); None: no one's
    names: tuple[str, ...]  # the link keys of a contact's title and aliases
    links: tuple[str, ...]  # the link keys the note adds edges to the graph through


def light_of(note: object) -> Light:
    """The light form of a note as parsed."""
    from netzwerk.network.graph import linked_keys
    from netzwerk.network.match import search_text

    if isinstance(note, Contact):
        names = tuple(sorted({link_key(name) for name in note.names}))
        return Light(search_text(note), names, linked_keys(note))
    if isinstance(note, JournalNote):
        return Light(None, (), linked_keys(note))
    return Light(None, (), ())


def _plain_light(light: Light) -> tuple[str | None, bytes]:
    data: Any = (light.names, light.links)
    return light.text, marshal.dumps(data)


def _same(kept: tuple[Any, ...] | None, size: int, mtime_ns: int) -> bool:
    """Whether something kept by a note's size and mtime holds for the note as it is."""
    return kept is not None and kept[0] == size and kept[1] == mtime_ns


class _suppressed:
    """Ignore a damaged cache entry: it is recomputed."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: object, tb: object) -> bool:
        return isinstance(exc, ValueError | EOFError | TypeError | KeyError | IndexError)


def open_vault(
    root: Path,
    today: date,
    *,
    strict: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Vault:
    """The vault at `root`; VaultError when there is none, or (`strict`) when its
    netzwerk.toml has errors, which are then in the error's `problems`."""
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "does not exist"
        raise VaultError(f"vault folder {str(root)!r} {what}")
    config, problems = load_config(root)
    if problems and strict:
        error = VaultError("netzwerk.toml has errors; fix them and run the command again")
        error.problems = problems  # type: ignore[attr-defined]
        raise error
    return Vault(config, today, config_problems=problems, progress=progress)


# --- everyone's Facts, kept between runs --------------------------------------------------


def shared_sum(entity: object, config: Config, today: date) -> int:
    """A checksum of what the Facts and checks of other notes read from a note: for a contact
    its names, the links of its properties, of each log line, of its connections (with their
    relations) and of its open tasks, what
    introductions and places match on, and whether you know them first hand or want to meet
    them (which decide warm paths and who is two hops away); 0 for a note that is nobody's;
    -1 for another note netzwerk reads (a dated note, a trip, a place: always read by
    others)."""
    if isinstance(entity, Contact):
        from netzwerk.network.intros import intro_inputs

        # The links of each log line together: two people linked in one line know each other.
        links = tuple(sorted(tuple(sorted(e.links)) for e in entity.log if e.links))
        # A relation makes a name without a note a person (`- son: [[Tom]]`).
        related = tuple(
            sorted((r.target, r.relation or "", r.relation is None) for r in entity.related)
        )
        tasks = tuple(
            sorted(
                (
                    t.text,
                    t.due.toordinal() if t.due else 0,
                    t.scheduled.toordinal() if t.scheduled else 0,
                    t.targets,
                )
                for t in entity.tasks
                if t.targets
            )
        )
        tier = config.tier(entity.tier)
        shared: Any = (
            entity.aliases,
            entity.knows,
            entity.introduced_by,
            links,
            related,
            intro_inputs(entity),
            tasks,
            entity.refs.get("company", ()),
            entity.address,  # (places match on it)
            tier is not None and tier.name == TARGET,  # the digest's warm paths lead to them
        )
        return zlib.crc32(marshal.dumps(shared, 0))  # (format 0: the same bytes for equal values)
    return 0 if entity is None else -1


def _shared_key(config: Config, entries: dict[str, Any], kind: str, parts: object) -> str | None:
    """`Vault.shared_key` of these entries: each note's path and shared checksum, and the
    size and mtime of a note every other reads (a daily note, a trip). None when such a note
    changed too recently for its size and mtime to tell its content."""
    from netzwerk.store import trusted_before
    from netzwerk.store.results import inputs_key

    racy = trusted_before()
    if any(e.shared == -1 and not 0 <= e.mtime_ns < racy for e in entries.values()):
        return None
    notes: Any = [
        (path, e.shared, e.size, e.mtime_ns) if e.shared == -1 else (path, e.shared)
        for path, e in sorted(entries.items())
    ]
    data: Any = (repr(config), repr(parts), notes)
    return inputs_key(kind, [marshal.dumps(data, 0)])


def _people(vault: Vault) -> People:
    from netzwerk.store import facts as kept_facts

    config = vault.config
    key = kept_facts.state_key(config)
    kept = kept_facts.load(config.cache_dir, key)
    if kept is not None and not _holds(kept, vault.today):
        kept = None  # a date written in the notes has come, or (an earlier day) not yet
    quick = _update(vault, kept) if kept is not None else None
    if quick is None:
        kept = _whole(vault)
        if vault.keepable():
            kept_facts.save(config.cache_dir, key, *kept)
    else:
        kept, changed = quick
        if changed:
            kept_facts.save(config.cache_dir, key, *kept, only=changed)
    assert kept is not None
    entries = kept.entries
    scanned = vault.scan().problems
    rows = [row for e in entries.values() if e.problems for row in e.problems]
    errors = sum(1 for row in (*kept.across, *rows) if row[4] == "error")
    errors += sum(1 for p in scanned if p.severity is Severity.ERROR)
    warnings = len(scanned) + len(kept.across) + len(rows) - errors
    return People(kept, errors, warnings, lambda: _remade(vault, key))


def _remade(vault: Vault, key: str) -> Any:
    """The kept state made again from every note, and kept (`store.facts.Kept`)."""
    from netzwerk.store import facts as kept_facts

    kept = _whole(vault)
    if vault.keepable():
        kept_facts.save(vault.config.cache_dir, key, *kept)
    return kept


def _holds(kept: Any, today: date) -> bool:
    """Whether kept Facts (and the problems of dates still to come) hold on `today`: no date
    in the notes lies between the day they were made and today."""
    if kept.until is not None and today >= kept.until:
        return False
    return kept.since is None or today >= kept.since


def _update(vault: Vault, kept: Any) -> tuple[Any, list[str]] | None:
    """The kept state brought up to date when only a few contact notes (or notes netzwerk
    does not read) changed and nothing others read from them did, and the paths changed.
    None when every note must be read."""
    entries: dict[str, Any] = dict(kept.entries)
    files = vault.scan().files
    if len(files) != len(entries):
        return None
    changed = []
    for file in files:
        entry = entries.get(file.path)
        if entry is None:  # added (and, as the count is the same, another removed)
            return None
        if entry.size != file.size or entry.mtime_ns != file.mtime_ns:
            changed.append(file)
    if len(changed) > MAX_CHANGED:
        return None
    if not changed:
        return kept, []
    from netzwerk.facts import contact_dates
    from netzwerk.problems import plain
    from netzwerk.store.facts import Damaged
    from netzwerk.validate import NOTE_CHECKS, check_future, run

    since, until = kept.since, kept.until
    today = vault.today
    # A problem across notes (a link to nobody, a name used twice) names a line of its note:
    # one that moved with an edit is found again by reading every note.
    across = {row[0] for row in kept.across}
    for file in changed:
        if file.path in across:
            return None
        old = entries[file.path]
        entity, parsed = vault.read(file)
        shared = shared_sum(entity, vault.config, today)
        if shared != old.shared or shared == -1:
            return None  # what others read from it changed (or it is a dated note)
        problems = list(parsed)  # (what the index keeps of the note: its parse alone)
        if isinstance(entity, Contact):
            days = contact_dates(entity)
            until = min([d for d in days if d > today] + ([until] if until else []), default=None)
            since = max([d for d in days if d <= today] + ([since] if since else []), default=None)
            checks = (*NOTE_CHECKS, check_future)
            problems += run(checks, Snapshot((entity,)), vault.config, today)
        if any(p.code == "NW102" for p in problems):
            return None
        try:
            cross = old.cross()
        except Damaged:  # a damaged cache: every note is read
            return None
        entries[file.path] = old._replace(
            size=file.size,
            mtime_ns=file.mtime_ns,
            problems=plain(sorted_problems(problems)),
            kept=(
                _facts(entity, cross, vault.config, today) if isinstance(entity, Contact) else None,
                cross,
            ),
        )
    vault.keep_read(changed)
    state = kept._replace(entries=entries, since=since, until=until)
    return state, [file.path for file in changed]


def _facts(contact: Contact, cross: Any, config: Config, today: date) -> Facts:
    """A contact's Facts as the digest keeps them: addresses only of people it greets, the
    role only of people you want to meet (`facts.facts_of`)."""
    from netzwerk.facts import facts_of
    from netzwerk.schedule import greeted

    tier = config.tier(contact.tier)
    return facts_of(
        contact,
        cross,
        today,
        greets=greeted(contact.tier, contact.greetings, config),
        target=tier is not None and tier.name == TARGET,
        key=config.key("last_contact"),
    )


def _whole(vault: Vault) -> Any:
    """The state of every note (`store.facts.Kept`): each one's entry with its problems, the
    problems across notes, the digest's intros, the days the Facts hold between."""
    from netzwerk.digest import INTROS_SHOWN, intro_lines
    from netzwerk.facts import cross_of, holding
    from netzwerk.problems import plain
    from netzwerk.store.facts import Entry, Kept
    from netzwerk.validate import ACROSS_CHECKS, DATED_CHECKS, NOTE_CHECKS, run

    loaded = vault.loaded()
    snapshot = loaded.snapshot
    config = vault.config
    own: dict[str, list[Problem]] = {}
    # (Problems of dates still to come: kept too, as the Facts are made again when one comes.)
    checks = (*NOTE_CHECKS, *DATED_CHECKS)
    for problem in [*loaded.problems, *run(checks, snapshot, config, vault.today)]:
        own.setdefault(problem.path, []).append(problem)
    across = plain(sorted_problems(run(ACROSS_CHECKS, snapshot, config, vault.today)))
    cross = cross_of(snapshot, vault.today)
    contacts = {c.path: c for c in snapshot.contacts}
    dated = {j.path for j in snapshot.journals} | {n.path for n in snapshot.notes}
    entries: dict[str, Any] = {}
    for file in vault.scan().files:
        contact = contacts.get(file.path)
        entries[file.path] = Entry(
            file.size,
            file.mtime_ns,
            shared_sum(contact, config, vault.today)
            if contact is not None
            else (-1 if file.path in dated else 0),
            plain(sorted_problems(own.get(file.path, ()))),
            (
                _facts(contact, cross.get(file.path), config, vault.today)
                if contact is not None
                else None,
                cross.get(file.path),
            ),
        )
    found = intro_lines(intros(vault, limit=INTROS_SHOWN, entries=entries))
    trips, chains = _trips_and_chains(snapshot, config)
    rows: Any = ([tuple(line) for line in found], trips, chains)
    return Kept(entries, across, marshal.dumps(rows), *holding(snapshot, vault.today))


def _trips_and_chains(
    snapshot: Snapshot, config: Config
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Who is where each trip goes, and the warm paths to each person you want to meet, as
    plain rows (`week.kept`); the graph is built only when the
    vault has a trip or a target."""
    journeys = [note for note in snapshot.notes if note.trip is not None]
    targets = [c for c in snapshot.contacts if (t := config.tier(c.tier)) and t.name == TARGET]
    if not journeys and not targets:
        return [], []
    from netzwerk.digest import intro_lines
    from netzwerk.network.graph import ball, build_graph
    from netzwerk.network.places import located
    from netzwerk.week.warmup import MAX_HOPS

    graph = build_graph(snapshot)
    trips: list[tuple[Any, ...]] = []
    for note in journeys:
        assert note.trip is not None
        there = located(snapshot, note.trip.places, graph)
        trips.append(
            (
                note.path,
                note.trip.places,
                note.trip.start.toordinal(),
                note.trip.end.toordinal(),
                tuple(tuple(row) for row in there.located),
                tuple(tuple(line) for line in intro_lines(there.intros)),
            )
        )
    # Around each target, the part of the graph a search for warm paths reads: who of its
    # people you know first hand is decided from the Facts when the digest is made.
    chains: list[tuple[Any, ...]] = [
        (target.path, target.name, tuple(ball(graph, target.name, MAX_HOPS).items()))
        for target in targets
    ]
    return trips, chains


# --- introductions, kept by what notes read from each other --------------------------------


def intros(
    vault: Vault,
    *,
    name: str | None = None,
    limit: int | None = None,
    per_need: int = 3,
    entries: dict[str, Any] | None = None,
) -> list[Any]:
    """Introductions worth making (`network.intros.Intro`); matched again only when a need,
    an offer, a tag, a role, a company, a place or an intro log line changed (or anything
    else other notes read: `shared_sum`). `entries`: the kept state, while it is being made."""
    from netzwerk.network.intros import Intro
    from netzwerk.network.intros import intros as match
    from netzwerk.store import results

    if entries is None:
        entries = vault.people().kept.entries
    key = _shared_key(vault.config, entries, "intros", (name, limit, per_need))
    kept = results.get(vault.config.cache_dir, key) if key is not None else None
    if kept is not None:
        with _suppressed():
            rows = marshal.loads(kept)
            by_path = vault.contacts_at(list(dict.fromkeys(p for row in rows for p in row[:2])))
            return [
                Intro(by_path[a], by_path[b], need, found, field, score, reason, also)
                for a, b, need, found, field, score, reason, also in rows
            ]
    made = match(vault.snapshot, per_need=per_need, name=name, limit=limit)
    if key is not None:
        data: Any = [(i.needer.path, i.giver.path, *i[2:]) for i in made]
        results.put(vault.config.cache_dir, key, marshal.dumps(data))
    return made


# --- the commands -------------------------------------------------------------------------


def check(vault: Vault) -> list[Problem]:
    """Every problem: netzwerk.toml's, then (unless it does not parse) the notes' and across."""
    problems = list(vault.config_problems)
    if not any(p.code == "NW401" for p in problems):
        problems += vault.problems()
    return sorted_problems(problems)


class Indexed(NamedTuple):
    """What `index` did."""

    notes: int
    read: int
    removed: int


def index(vault: Vault, *, rebuild: bool = False) -> Indexed:
    """Bring the index up to date (`rebuild`: forget every cache first)."""
    from netzwerk.store import results
    from netzwerk.vault import load

    if rebuild:
        results.forget(vault.config.cache_dir)
    loaded = load(vault.config, vault.scan(), rebuild=rebuild, progress=vault.progress)
    return Indexed(len(vault.scan().files), loaded.read, loaded.removed)


def due(vault: Vault, week: Any, tiers: Sequence[str] = ()) -> list[Any]:
    """Who is overdue or due in `week` (`schedule.DueItem`), of these tiers only if given."""
    from netzwerk.schedule import due as due_items

    items = due_items(vault.people().facts, vault.config, week)
    if not tiers:
        return items
    wanted = tier_names(vault.config, tiers)
    return [i for i in items if i.tier is not None and i.tier.name in wanted]


def tier_names(config: Config, tiers: Sequence[str]) -> frozenset[str]:
    """The names of the tiers given on the command line (names or labels, any case);
    BadValue for one that is no tier."""
    from netzwerk.actions import check_tier

    return frozenset(check_tier(config, tier) for tier in tiers)


def _in_tiers(config: Config, tier: str | None, wanted: frozenset[str]) -> bool:
    found = config.tier(tier)
    return found is not None and found.name in wanted


class DigestRun(NamedTuple):
    """A digest made: its text, its file, whether it was written, the ticks recorded."""

    text: str
    path: str  # the digest note, relative to the vault
    written: bool
    recorded: tuple[Any, ...]  # digest.Recorded
    problems: tuple[Problem, ...]  # ticks that could not be recorded
    errors: int  # problems in the vault
    warnings: int


def digest(vault: Vault, week: Any, *, write: bool = True) -> DigestRun:
    """The digest of `week`; with `write`, ticked items are recorded first and the note is
    written (the vault's lock held throughout)."""
    from netzwerk.digest import digest_file, write_digest
    from netzwerk.files import vault_lock
    from netzwerk.store import results

    config = vault.config
    path = digest_file(config, week).relative_to(config.root).as_posix()
    parts = ("digest", week.label, "write" if write else "stdout")
    key = None
    if not vault.config_problems:
        key = results.result_key(config, vault.scan(), *parts, vault.today.isoformat())
    kept = results.get(config.cache_dir, key) if key is not None else None
    if kept is not None:
        with _suppressed():
            text, errors, warnings = marshal.loads(kept)
            return DigestRun(text, path, False, (), (), int(errors), int(warnings))

    counted: list[tuple[int, int]] = []  # the problem counts kept with the week's parts

    def made() -> str:
        text, counts = _digest_text(vault, week)
        if counts is not None:
            counted.append(counts)
        return text

    recorded: tuple[Any, ...] = ()
    problems: tuple[Problem, ...] = ()
    written = False
    if write:
        with vault_lock(config.cache_dir, tidy=config.written_folders()):
            recorded, problems = _record_ticks(vault)
            text = made()
            written = write_digest(config, week, text)
    else:
        text = made()
    errors, warnings = counted[-1] if counted else vault.counts()
    if not problems and vault.keepable():
        key = results.result_key(config, vault.scan(), *parts, vault.today.isoformat())
        if key is not None:
            data: Any = (text, errors, warnings)
            results.put(config.cache_dir, key, marshal.dumps(data))
    return DigestRun(text, path, written, recorded, problems, errors, warnings)


def _digest_text(vault: Vault, week: Any) -> tuple[str, tuple[int, int] | None]:
    """The digest note of `week` as it would be written, and the problem counts kept with the
    week's parts when they were kept."""
    from netzwerk.digest import digest_inputs, finish

    config = vault.config
    inputs = digest_inputs(config, week)
    parts, counts = _week_parts(vault, week, inputs)

    def facts_of(path: str) -> Facts | None:
        return vault.people().of(path)

    try:
        text = _rendered(vault, finish(parts, config, vault.today, facts_of), inputs.notes)
    except Exception:
        if counts is None:
            raise
        # Kept parts of a damaged cache: made again from the notes.
        parts, counts = _week_parts(vault, week, inputs, kept=False)
        text = _rendered(vault, finish(parts, config, vault.today, facts_of), inputs.notes)
    return text, counts


def _rendered(vault: Vault, data: Any, notes: str | None) -> str:
    """The digest note showing `data` (`digest.render_digest`), kept by what it is made
    from: the data, the note's own `## Notes` section, the templates and the settings. An
    edit that changes nothing the digest shows (most edits: the week lists a few people)
    renders nothing and loads no template."""
    from netzwerk.digest import render_digest
    from netzwerk.store import parts as records
    from netzwerk.store import results

    config = vault.config
    key = None
    if not vault.config_problems:
        # (marshal format 0: equal data give equal bytes.)
        shown: Any = (records.plain(data), notes)
        key = results.template_key(config, "digest-note", marshal.dumps(shown, 0))
    kept = results.get(config.cache_dir, key) if key is not None else None
    if kept is not None:
        with _suppressed():
            text = marshal.loads(kept)
            if isinstance(text, str):
                return text
    text = render_digest(data, config, notes)
    if key is not None and vault.keepable():
        results.put(config.cache_dir, key, marshal.dumps(text))
    return text


def _week_parts(
    vault: Vault, week: Any, inputs: Any, *, kept: bool = True
) -> tuple[Any, tuple[int, int] | None]:
    """The digest of `week` but the day's tier check (`digest.WeekParts`): kept by everything
    it reads (the notes, what the digest notes say, the settings), for the days the Facts it
    was made from hold, with the vault's problem counts (returned when it was kept)."""
    from netzwerk.digest import WeekParts, make_week, week_types
    from netzwerk.store import parts as records
    from netzwerk.store import results

    config = vault.config
    key = None
    if not vault.config_problems:
        said = repr(records.plain((inputs.ticks, inputs.tasks, inputs.reconnected)))
        # Made on a day of the week, the parts serve every day of it; else only that day.
        day = "" if week.start <= vault.today <= week.end else vault.today.isoformat()
        key = results.result_key(config, vault.scan(), "week", week.label, day, said, digests=False)
    found = results.get(config.cache_dir, key) if key is not None and kept else None
    if found is not None:
        with _suppressed():
            since, until, errors, warnings, data = marshal.loads(found)
            now = vault.today.toordinal()
            parts = records.unplain(data, week_types())
            if since <= now and (not until or now < until) and isinstance(parts, WeekParts):
                return parts, (int(errors), int(warnings))
    people = vault.people()
    made = make_week(
        people.facts,
        people.intros,
        config,
        week,
        vault.today,
        inputs,
        trips=people.trips,
        chains=people.chains,
    )
    if key is not None and vault.keepable():
        since, until = people.kept.since, people.kept.until
        value: Any = (
            since.toordinal() if since else 0,
            until.toordinal() if until else 0,
            people.errors,
            people.warnings,
            records.plain(made),
        )
        results.put(config.cache_dir, key, marshal.dumps(value))
    return made, None


def digest_preview(vault: Vault, week: Any) -> list[tuple[str, bytes, bytes]]:
    """What `digest` would write, nothing written: (path, before, after) for each note the
    ticks would edit and for the digest note itself, in that order."""
    from netzwerk.digest import digest_bytes, digest_file, pending_ticks, planned_ticks

    config = vault.config
    changes: list[tuple[str, bytes, bytes]] = []
    pending = pending_ticks(config, lambda: vault.people().facts, vault.today)
    for planned in planned_ticks(config, pending):
        label = planned.path.relative_to(config.root).as_posix()
        changes.append((label, planned.before, planned.after))
    text = _digest_text(vault, week)[0]
    current, data = digest_bytes(config, week, text)
    label = digest_file(config, week).relative_to(config.root).as_posix()
    changes.append((label, current or b"", data))
    return [change for change in changes if change[1] != change[2]]


def _record_ticks(vault: Vault) -> tuple[tuple[Any, ...], tuple[Problem, ...]]:
    """Record the digests' ticked items not recorded yet; the caller holds the lock."""
    from netzwerk.digest import apply_tickbacks, pending_ticks

    pending = pending_ticks(vault.config, lambda: vault.people().facts, vault.today)
    if not pending.ticks and not pending.problems:
        return (), ()
    done = apply_tickbacks(vault.config, pending)
    if done.written:
        vault.refresh()
    return done.recorded, done.problems


def show(vault: Vault, name: str) -> Any:
    """Everything about one contact (`network.search.Card`)."""
    from netzwerk.network.graph import build_graph
    from netzwerk.network.search import card

    vault.people()  # first: from the kept Facts, while the notes are not loaded yet
    contact = vault.contact(name)
    found = intros(vault, name=contact.name)
    around = vault.around(contact)  # (the notes their connections come from)
    made = card(
        around,
        vault.config,
        vault.today,
        contact,
        vault.person(contact),
        graph=build_graph(around),
        introductions=found,
    )
    tier = vault.config.tier(contact.tier)
    if tier is None or tier.name != TARGET:
        return made
    # Someone you want to meet: the warm-introduction paths to them.
    from netzwerk.network.graph import chains
    from netzwerk.week.warmup import MAX_HOPS

    graph, targets, facts = _chain_graph(vault, contact.name, None, MAX_HOPS)
    found = chains(graph, vault.config, targets, None, MAX_HOPS, facts)
    return made._replace(paths=tuple(c for c in found if c.target == contact.name))


def find(
    vault: Vault,
    text: str | None,
    *,
    tags: Sequence[str] = (),
    tier: str | None = None,
    where: Sequence[tuple[str, str]] = (),
) -> list[Any]:
    """Contacts matching TEXT and the filters (`network.search.Hit`), best first."""
    from netzwerk.network.match import find_terms
    from netzwerk.network.search import find_hits

    terms = find_terms(text)
    # Words to look for: only the contacts whose search text holds them all are read.
    contacts = vault.holding(terms) if terms else vault.snapshot
    hits = find_hits(contacts, text, tags=tags, where=where, config=vault.config)
    if tier is None:
        return hits
    wanted = tier_names(vault.config, [tier])
    return [h for h in hits if _in_tiers(vault.config, h.contact.tier, wanted)]


def review(vault: Vault) -> Any:
    """Suggested tier changes (`network.review.Review`)."""
    from netzwerk.network.review import review as review_people

    return review_people(vault.people().facts, vault.config, vault.today)


def introductions(vault: Vault, *, name: str | None = None, limit: int | None = 20) -> list[Any]:
    """Introductions worth making, for one contact if `name` is given."""
    who = vault.contact(name).name if name else None
    return intros(vault, name=who, limit=limit)


class Paths(NamedTuple):
    """Warm-introduction chains, and whether anybody matched the target at all."""

    chains: list[Any]  # network.graph.Chain
    matched: bool
    died: tuple[str, ...] = ()  # when everyone the target matched has died: their names


def paths(vault: Vault, target: str, *, from_name: str | None = None, max_hops: int = 4) -> Paths:
    """The shortest chains from your own contacts (or `from_name`) to TARGET."""
    from netzwerk.network.graph import chains

    begin = vault.contact(from_name) if from_name else None
    if begin is not None and begin.died is not None:
        raise Refused(f"{begin.name} has died: nobody is introduced through them")
    start = begin.name if begin is not None else None
    graph, targets, people = _chain_graph(vault, target, start, max_hops)
    found = chains(graph, vault.config, targets, start, max_hops, people)
    gone = [node for node in targets if (c := graph.contact(node)) and c.died is not None]
    died = tuple(sorted(gone)) if targets and len(gone) == len(targets) else ()
    return Paths(found, bool(found) or bool(targets), died)


def _chain_graph(
    vault: Vault, target: str, start: str | None, max_hops: int
) -> tuple[Any, dict[str, str], Mapping[str, Facts]]:
    """What a search for chains to TARGET (from `start`, or from your own contacts) reads: a
    graph, the nodes TARGET matches (`network.graph.match_targets`) and the Facts of the
    graph's contacts by name; the part of the graph the search reaches (`_chain_part`) while
    the notes are not loaded, else the whole."""
    from netzwerk.facts import by_name
    from netzwerk.network.graph import Graph, build_graph, match_targets, wanted

    if not wanted(target):
        return Graph({}, {}), {}, {}  # (nobody: no note needs to be read to say so)
    vault.people()  # first: from the kept Facts, while the notes are not loaded yet
    tried = vault._loaded is None
    part = _chain_part(vault, target, start, max_hops) if tried else None
    if part is not None:
        return part
    graph = build_graph(vault.snapshot)
    if tried and vault.light() is None:
        vault._keep_light()  # (so that the next search reads a part)
    return graph, match_targets(graph, target), by_name(vault.people().facts)


def _chain_part(
    vault: Vault, target: str, start: str | None, max_hops: int
) -> tuple[Any, dict[str, str], Mapping[str, Facts]] | None:
    """`_chain_graph` from the light forms: the targets' contacts, and the edges at every
    node the search passes through, found a hop at a time as `network.graph.chains` searches
    (from `start` through anyone; from the targets through anyone but your own contacts,
    where chains end). None when the light forms cannot tell, or the part is a large one."""
    from netzwerk.network.graph import Graph, is_own

    light = vault.light()
    if light is None:
        return None
    found = _targets(vault, light, target)
    if found is None:
        return None
    targets, contacts = found
    begin = {start} if start else set()
    part = _graph_around(vault, begin)
    if part is None:
        return None
    graph, facts = part
    people = vault.people()
    facts.update((c.name, f) for c in contacts.values() if (f := people.of(c.path)) is not None)

    def passes(node: str) -> bool:
        contact = graph.contact(node) or contacts.get(node)
        return bool(start) or not is_own(contact, vault.config, facts)

    seen = set(begin or targets)
    frontier = [start] if start else [node for node in targets if passes(node)]
    passed: set[str] = set()
    for _ in range(max_hops):
        if not frontier:
            break
        passed.update(frontier)
        part = _graph_around(vault, passed | begin)
        if part is None:
            return None
        graph = part[0]
        facts.update(part[1])
        following: list[str] = []
        for node in frontier:
            for other in graph.neighbours(node):
                if other not in seen:
                    seen.add(other)
                    if passes(other):
                        following.append(other)
        frontier = following
    # The targets' contacts beside the part: a chain may start at one of them.
    return Graph({**contacts, **graph.contacts}, graph.adjacency), targets, facts


def _targets(
    vault: Vault, light: Mapping[str, Light], target: str
) -> tuple[dict[str, str], dict[str, Contact]] | None:
    """`network.graph.match_targets` from the light forms: the nodes TARGET matches, and the
    contacts among them (node -> contact; everyone with a title is one node, the last of
    them, as in the whole graph). None when too many would be read."""
    from netzwerk.network.graph import name_targets, text_targets, wanted
    from netzwerk.network.match import TextQuery
    from netzwerk.vault import arranged

    folded = wanted(target)

    def contacts(paths: list[str]) -> dict[str, Contact] | None:
        if len(paths) > _most_around(vault):
            return None
        found = vault.contacts_at(vault.same_titles(paths))
        return {c.name: c for c in arranged(found.values()).contacts}

    # The contacts TARGET names (by one of their names' keys), and the names without a note
    # it names (a key notes link); a key is folded already, but for its accents.
    linked = {key for note in light.values() for key in note.links}
    every = linked.union(*(note.names for note in light.values()))
    meant = {key for key in every if (key == folded if key.isascii() else fold(key) == folded)}
    named = contacts([p for p, note in light.items() if not meant.isdisjoint(note.names)])
    part = _graph_around(vault, meant & linked)
    if named is None or part is None:
        return None
    targets = name_targets(named, folded)
    graph = part[0]
    targets.update(
        (node, "name")
        for node in graph.adjacency
        if graph.contact(node) is None and fold(node) == folded
    )
    if targets:
        return targets, named
    # Else whoever matches TARGET as text.
    query = TextQuery(folded)
    matched = contacts(
        [p for p, note in light.items() if note.text and query.matches_folded(note.text)]
    )
    if matched is None:
        return None
    texts = {name: light[c.path].text for name, c in matched.items()}
    return text_targets(matched, folded, texts), matched


def _most_around(vault: Vault) -> int:
    return max(MAX_AROUND, len(vault.scan().files) // 4)


def _graph_around(vault: Vault, nodes: set[str]) -> tuple[Any, dict[str, Facts]] | None:
    """The graph of `Vault.around_nodes` and its contacts' Facts by name; None when that
    cannot tell, or is more notes than a part may be (`MAX_AROUND`)."""
    from netzwerk.facts import by_name
    from netzwerk.network.graph import build_graph

    snapshot = vault.around_nodes(nodes, _most_around(vault)) if nodes else Snapshot()
    if snapshot is None:
        return None
    people = vault.people()
    facts = [f for c in snapshot.contacts if (f := people.of(c.path)) is not None]
    return build_graph(snapshot), by_name(facts)


class Near(NamedTuple):
    """Whom you know in a place (due ones first), who lives there two hops away, and the
    introductions worth making there; with each person's due item this week, if any."""

    place: Any  # network.places.Place
    known: tuple[Any, ...]  # network.places.Located, due ones first
    due: dict[str, Any]  # schedule.DueItem by path
    next_due: dict[str, date | None]  # by path
    people: dict[str, Facts]  # everyone's Facts by path


def near(vault: Vault, place_name: str) -> Near:
    """Whom you know in PLACE (ignoring case and accents), as a trip's section says."""
    from netzwerk.network.places import located, place
    from netzwerk.schedule import due as due_items
    from netzwerk.schedule import next_due, week_of
    from netzwerk.text import fold

    facts = vault.people().facts
    by_path = {p.path: p for p in facts}
    found = place(located(vault.snapshot, (place_name,)), by_path, vault.config)
    week = week_of(vault.today, vault.config.week_start)
    due = {i.person.path: i for i in due_items(facts, vault.config, week)}
    upcoming = {
        p.path: next_due(person, vault.config, person.last, vault.today)
        for p in found.known
        if (person := by_path.get(p.path)) is not None
    }

    def order(p: Any) -> tuple[object, ...]:
        item = due.get(p.path)
        person = by_path[p.path]
        return (item is None, -(item.days_overdue if item else 0), fold(person.name), p.path)

    return Near(found, tuple(sorted(found.known, key=order)), due, upcoming, by_path)


def hubs(vault: Vault, *, limit: int = 20) -> list[Any]:
    """People by how many others they connect (`network.hubs.Hub`)."""
    from netzwerk.network.hubs import Hub
    from netzwerk.network.hubs import hubs as ranked
    from netzwerk.store import results

    # Who connects whom is what notes read from each other; the rest of what is shown (the
    # tier) comes from each hub's note as it is now.
    key = vault.shared_key("hubs", limit)
    kept = results.get(vault.config.cache_dir, key) if key is not None else None
    if kept is not None:
        with _suppressed():
            rows = marshal.loads(kept)
            by_path = vault.contacts_at([path for _, path, _ in rows if path is not None])
            return [Hub(name, by_path[path] if path else None, n) for name, path, n in rows]
    made = ranked(vault.snapshot, limit=limit)
    if key is not None:
        data: Any = [(h.name, h.contact.path if h.contact else None, h.count) for h in made]
        results.put(vault.config.cache_dir, key, marshal.dumps(data))
    return made


def balance(vault: Vault, name: str | None = None) -> list[Any]:
    """The relationship account of everyone with an entry, or of one contact."""
    from netzwerk.network.review import balance_of, balances

    if name:
        return [balance_of(vault.person(vault.contact(name)), vault.today)]
    return balances(vault.people().facts, vault.today)


# --- changing notes ---------------------------------------------------------------------


def add(
    vault: Vault,
    name: str,
    *,
    tier: str | None,
    tags: Sequence[str],
    sets: Sequence[tuple[str, str]],
) -> Any:
    """A new contact note, planned (`actions.Planned`); `apply` writes it."""
    from netzwerk.actions import plan_add

    return plan_add(
        vault.config, vault.snapshot, name, tier=tier, tags=tags, sets=sets, today=vault.today
    )


def log(vault: Vault, name: str, text: str, *, kind: str | None, day: date) -> Any:
    """A log line for a contact, planned."""
    from netzwerk.actions import plan_log

    contact = vault.contact(name)
    return plan_log(vault.config, contact, text, kind=kind, day=day, today=vault.today)


def snooze(vault: Vault, name: str, until: str) -> Any:
    """`snooze_until` a date or a duration from today, planned."""
    from netzwerk.actions import plan_snooze

    return plan_snooze(vault.config, vault.contact(name), until, today=vault.today)


def unsnooze(vault: Vault, name: str) -> Any:
    """`snooze_until` removed, planned."""
    from netzwerk.actions import plan_unsnooze

    return plan_unsnooze(vault.config, vault.contact(name))


def pause(vault: Vault, name: str, *, paused: bool) -> Any:
    """`paused: true` set or removed, planned."""
    from netzwerk.actions import plan_pause

    return plan_pause(vault.config, vault.contact(name), paused=paused)


def tier(vault: Vault, name: str, tier_name: str) -> Any:
    """Another tier, planned."""
    from netzwerk.actions import plan_tier

    return plan_tier(vault.config, vault.contact(name), tier_name)


def apply(vault: Vault, planned: Any) -> bool:
    """Write a planned change under the vault's lock; False when nothing changes."""
    from netzwerk.actions import apply as write

    return write(vault.config, planned)


# --- import and export --------------------------------------------------------------------


class Imported(NamedTuple):
    """What `import` did (or, with `dry_run`, would do)."""

    plan: Any  # transfer.planning.Plan, counts adjusted for notes that could not be written
    written: tuple[str, ...]  # the notes written, relative to the vault
    dry_run: bool
    summary: str


def import_files(
    vault: Vault,
    files: Sequence[tuple[Path, str]],
    *,
    source: str = "auto",
    overwrite: bool = False,
    tags: Sequence[str] = (),
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> Imported:
    """Read the export files (path, as the user named it), match each record to a contact,
    plan the notes, and (unless `dry_run`) write them under the vault's one lock."""
    from netzwerk.actions import CONTACT_TEMPLATE
    from netzwerk.files import vault_lock
    from netzwerk.render import renderer
    from netzwerk.transfer.planning import Options, plan_import
    from netzwerk.transfer.source import read_export

    reads = [read_export(path, shown, source) for path, shown in files]
    records = [r for read in reads for r in read.records]
    problems = [p for read in reads for p in read.problems]
    options = Options(vault.today, overwrite, tuple(t.lstrip("#") for t in tags))
    template = renderer(vault.config, CONTACT_TEMPLATE)

    def planned() -> Any:
        return plan_import(
            vault.config,
            vault.snapshot.contacts,
            records,
            problems,
            options,
            template=template,
            broken=vault.snapshot.broken,
            progress=progress,
            total=len(records),
        )

    if dry_run:
        plan = planned()
        return Imported(plan, (), True, _import_summary(plan))
    with vault_lock(vault.config.cache_dir):
        plan = planned()
        plan, written = _write_notes(plan, vault.config.root, progress)
    if written:
        vault.refresh()
    return Imported(plan, tuple(written), False, _import_summary(plan))


def _import_summary(plan: Any) -> str:
    from netzwerk.transfer.planning import summary

    return str(summary(plan))


def _write_notes(
    plan: Any, root: Path, progress: Callable[[str, int, int], None] | None
) -> tuple[Any, list[str]]:
    """Write every planned note (each atomically); a note that cannot be written is a
    problem, and the others are still written."""
    import os

    from netzwerk import edit
    from netzwerk.files import EditError, create, sync_folders
    from netzwerk.problems import error

    written: list[str] = []
    failed: list[Problem] = []
    folders: set[Path] = set()
    created, updated, skipped = plan.created, plan.updated, plan.skipped
    try:
        for done, change in enumerate(plan.changes, 1):
            try:
                # Each note is written atomically; the folders are synced once, at the end.
                if change.create:
                    content = change.edit.after.decode("utf-8")
                    create(change.path, content, root=root, sync_folder=False)
                else:
                    edit.write(change.edit, root=root, sync_folder=False)
            except EditError as exc:
                failed.append(error(change.label, None, "NW612", f"not written: {exc}"))
                created -= change.create
                updated -= not change.create
                skipped += 1
            else:
                written.append(change.label)
                folders.add(Path(os.path.realpath(change.path)).parent)
            if progress is not None:
                progress("writing", done, len(plan.changes))
    finally:
        sync_folders(folders)
    if failed:
        plan = plan._replace(
            created=created,
            updated=updated,
            skipped=skipped,
            problems=sorted_problems([*plan.problems, *failed]),
        )
    return plan, written


def export_vcard(vault: Vault, tiers: Sequence[str] = ()) -> tuple[bytes, int]:
    """Every contact (of these tiers only, if given) as vCard 4.0, and how many."""
    from netzwerk.transfer.names import display_name
    from netzwerk.transfer.vcard import write_vcards

    wanted = tier_names(vault.config, tiers)
    contacts = [
        c for c in vault.snapshot.contacts if not tiers or _in_tiers(vault.config, c.tier, wanted)
    ]
    people = [(c, display_name(c, vault.config)) for c in contacts]
    return write_vcards(people), len(people)


def export_ics(vault: Vault, weeks: int = 4) -> Any:
    """Birthdays and the next `weeks` weeks' due contacts as iCalendar (`transfer.ics.Feed`)."""
    from netzwerk.transfer.ics import feed

    return feed(vault.people().facts, vault.config, vault.today, weeks)


def write_export(path: Path, data: bytes) -> bool:
    """Write an export file atomically; False (nothing written) when it holds these bytes."""
    from netzwerk.files import EditError, read_regular, replace_file, writable

    if path.is_dir():
        raise EditError(f"{path} is a folder; name a file")
    # A file the command line names: written where it says (its folder is the "vault"). The
    # rule of every write first, so that a link (to /dev/zero, a FIFO) is refused, not read.
    target = writable(path, path.parent)
    try:
        if read_regular(target, len(data)) == data:
            return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        if exc.errno != errno.EFBIG:  # (larger than the export: it changes)
            raise EditError(f"cannot read {path}: {exc.strerror or exc}") from None
    replace_file(path, data, root=path.parent, left="nothing was written")
    return True


# --- setting up ---------------------------------------------------------------------------


def init(root: Path, today: date, *, git: bool = False) -> list[str]:
    """Create a vault or adopt an existing one; what was found and done, a line each, the
    last one how many contacts the vault now has and what to run next."""
    from netzwerk import scaffold

    lines = scaffold.init_vault(root)
    if git:
        lines += git_setup(root, create=True)
    return [*lines, _contacts_now(root, today)]


def _contacts_now(root: Path, today: date) -> str:
    """How many contacts the vault has with its settings, and the command to run next."""
    try:
        vault = open_vault(root, today)
    except VaultError as exc:
        problems: list[Problem] = getattr(exc, "problems", [])
        where = problems[0].path if problems else "netzwerk.toml"
        return f"{where} has errors. Next: netzwerk check"
    contacts = vault.snapshot.contacts
    said = plural(len(contacts), "contact")
    if contacts and not any(c.tier or c.cadence or c.next_contact for c in contacts):
        said += ", none with a tier yet"
    errors, warnings = vault.counts()
    if errors or warnings:
        found = " and ".join(
            plural(n, word) for n, word in ((errors, "error"), (warnings, "warning")) if n
        )
        return f"{said}; `netzwerk check` finds {found}. Next: netzwerk check"
    if not contacts:
        return f'{said}. Next: netzwerk add "NAME"'
    if said.endswith("yet"):
        return f"{said}. Next: netzwerk review"
    return f"{said}. Next: netzwerk due"


def git_setup(root: Path, *, create: bool = False) -> list[str]:
    """Register the git merge driver in this clone (`create`: make a repository if needed)."""
    from netzwerk.merge import setup

    config, problems = load_config(root)
    if problems:
        raise VaultError("netzwerk.toml has errors; run `netzwerk check` first")
    marked: list[str] = []
    if config.contacts_where:  # the folders of people marked by a property, outside `contacts`
        from netzwerk.scan import kind_of

        vault = Vault(config, date.today())  # noqa: DTZ011 - which notes are people: no date
        folders = {
            contact.path.rsplit("/", 1)[0] if "/" in contact.path else ""
            for contact in vault.snapshot.contacts
            if kind_of(contact.path, config) != "contact"
        }
        marked = sorted(folders - {""})
        if "" in folders:
            marked.append(".")
    return setup(root, config, create=create, marked=marked)


def merge_driver(root: Path, base: str, ours: str, theirs: str, path: str) -> int:
    """What git runs to merge a note; 0 for a clean merge, 1 for conflicts left. It needs no
    vault: the settings of the one at `root`, if any, else the defaults (where netzwerk.toml
    has errors, the defaults for those settings: a merge is never refused for them)."""
    from netzwerk.merge import merge_driver as merge

    config = load_config(root)[0] if root.is_dir() else Config(root)
    return merge(base, ours, theirs, path, config)


def watch(
    config: Config,
    *,
    today: Callable[[], date],
    report: Callable[[str], None],
    rescan: float,
    poll: bool,
) -> bool:
    """Keep this week's digest current until Ctrl-C (True then): the `digest` command on
    every change."""
    from netzwerk.watch import run_watch

    return run_watch(
        config,
        build=lambda day: this_week(config, day),
        today=today,
        report=report,
        rescan_interval=rescan,
        force_polling=poll,
    )


def this_week(config: Config, day: date) -> DigestRun:
    """The `digest` command for the week of `day`, as `watch` runs it after each change."""
    from netzwerk.schedule import week_of

    return digest(Vault(config, day), week_of(day, config.week_start), write=True)
