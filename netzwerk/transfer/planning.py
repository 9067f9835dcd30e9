"""Records -> the notes to create and the edits of existing notes, planned and not written.

What import writes: new notes from the contact template, in the vault's own property names;
on an existing note, empty keys filled and nothing else replaced (a different value is a
conflict, kept unless `--overwrite`); lists (e-mail, phone, tags, aliases, knows) grow as a
union. Never tier, cadence, last contact, snooze, paused, interests, needs or offers: the
user's judgement is theirs. Every edit goes through `netzwerk.edit`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from netzwerk import edit
from netzwerk.actions import (
    ActionError,
    new_note,
    new_note_path,
    people_folder,
    safe_file_name,
)
from netzwerk.config import Config
from netzwerk.files import EditError
from netzwerk.model import Birthday, Contact, parse_date
from netzwerk.problems import Problem, error, sorted_problems, warning
from netzwerk.text import fold, plural
from netzwerk.transfer.matching import Index, Match, Person, Similar
from netzwerk.transfer.names import display_name, name_property
from netzwerk.transfer.phones import number_countries, phone_for_note, phone_key
from netzwerk.transfer.record import Record, is_blank, linkedin_key

SCALARS = ("company", "role", "location", "linkedin", "birthday", "died")
CONNECTED = "connected on LinkedIn"  # the text of the `note` log line for "Connected On"
NOT_PEOPLE = ("no name", "a company card", "a group")


class Options(NamedTuple):
    """How to import."""

    today: date
    overwrite: bool = False
    tags: tuple[str, ...] = ()  # added to everyone imported


class NoteChange(NamedTuple):
    """A note to create or change."""

    path: Path
    label: str  # relative to the vault, for messages
    edit: edit.Edit
    create: bool
    changes: tuple[str, ...]  # what changed: property names, "log"


class Plan(NamedTuple):
    """What an import will do."""

    changes: list[NoteChange]  # sorted by label
    created: int
    updated: int
    unchanged: int
    skipped: int
    records: int
    problems: list[Problem]  # sorted


LISTS = ("email", "phone", "tags", "aliases", "knows")


class _State:
    """What the records of one person say, merged with what the note says."""

    def __init__(self, person: Person, contact: Contact | None, config: Config) -> None:
        self.person = person
        self.scalars: dict[str, tuple[object, Record | None]] = {}  # value, record (None: note)
        self.changed: dict[str, object] = {}  # the scalars the import sets
        self.lists: dict[str, list[str]] = {kind: [] for kind in LISTS}  # items to add
        self.logs: list[date] = []
        self.first: Record | None = None
        self._seen: dict[str, set[str]] = {kind: set() for kind in LISTS}
        self._logged: set[date] = set()
        self.note_phones: list[str] = []
        if contact is None:
            return
        for key in SCALARS:
            value = getattr(contact, key)
            if value is not None:
                self.scalars[key] = (value, None)
        regions = _regions(number_countries(contact.phone), config)
        self.note_phones = list(contact.phone)
        self._seen["email"] = {e.casefold() for e in contact.email}
        self._seen["phone"] = {phone_key(p, regions) for p in contact.phone}
        self._seen["tags"] = {fold(t.lstrip("#")) for t in contact.tags}
        self._seen["aliases"] = {fold(a) for a in contact.names}
        self._seen["knows"] = {fold(k) for k in contact.knows}
        connected = fold(CONNECTED)
        self._logged = {
            e.date for e in contact.log if e.kind == "note" and fold(e.text) == connected
        }

    @property
    def phones(self) -> list[str]:
        """The numbers the note has and the ones the import adds."""
        return [*self.note_phones, *self.lists["phone"]]

    def phones_compared(self, regions: Sequence[str]) -> None:
        """Compare numbers from now on with these countries for national numbers: a note's
        `070-123 45 67` is the record's `+46 70 123 45 67` once the record says Sweden."""
        self._seen["phone"] |= {phone_key(p, regions) for p in self.phones}

    def add(self, kind: str, key: str, value: str) -> bool:
        """Add `value` to the list `kind` unless `key` is there already."""
        if key in self._seen[kind]:
            return False
        self._seen[kind].add(key)
        self.lists[kind].append(value)
        return True

    def connected(self, day: date) -> None:
        if day not in self._logged:
            self._logged.add(day)
            self.logs.append(day)


def _regions(countries: Sequence[str], config: Config) -> list[str]:
    region = getattr(config, "phone_region", None)
    return [*countries, *([region] if region else [])]


def _scalar(record: Record, key: str) -> object:
    if key == "birthday":
        return record.birthday
    value = str(getattr(record, key))
    return "" if is_blank(value) else value


def _same(key: str, a: object, b: object) -> bool:
    if key == "birthday":
        return a == b
    if key == "died":  # (a record's `true` says what any note's value says: they died)
        return b == "true" or (a or "true") == b
    if key == "linkedin":
        return linkedin_key(str(a)) == linkedin_key(str(b))
    return fold(" ".join(str(a).split())) == fold(" ".join(str(b).split()))


def _shown(value: object) -> str:
    return repr(str(value))


class Planner:
    """Matches records to people and plans their notes."""

    def __init__(
        self,
        config: Config,
        contacts: Sequence[Contact],
        options: Options,
        broken: Sequence[str] = (),
    ) -> None:
        self.config = config
        self.options = options
        self.index = Index()
        self.states: dict[int, _State] = {}
        self.problems: list[Problem] = []
        self.skipped = 0
        self.records = 0
        self.created: list[Person] = []
        name_prop = name_property(config)
        self._name_prop = name_prop
        for contact in contacts:
            display = display_name(contact, config)
            person = Person(len(self.index.people), contact, contact.name, display, contact.path)
            self.index.add(person, [*contact.names, display])
        self._paths = {fold(p.path) for p in self.index.people}
        self.folder = people_folder(config, contacts)  # where new people's notes go
        self._broken = {fold(name): name for name in broken}  # notes that could not be read

    # --- matching ------------------------------------------------------------------------

    def add(self, record: Record) -> None:
        """One record: skipped, or merged into its person's state."""
        self.records += 1
        if record.skip is not None:
            self.skipped += 1
            held = record.details()
            if record.skip in NOT_PEOPLE and held:
                what = "a record without a name" if record.skip == "no name" else record.skip
                what += f" ({record.name})" if record.name else ""
                more = f" and {len(held) - 3} more" if len(held) > 3 else ""
                message = f"{what} is not imported; it held {', '.join(held[:3])}{more}"
                self.problems.append(warning(record.source, record.line, "NW607", message))
            return
        found = self.index.match(record)
        if found.ambiguous:
            self._ambiguous(record, found)
            return
        person = found.person
        if person is None and fold(record.name) in self._broken:
            self.skipped += 1
            name = self._broken[fold(record.name)]
            message = (
                f"the note of {name!r} has errors and is not read; fix them "
                "(`netzwerk check`) and import again"
            )
            self.problems.append(error(record.source, record.line, "NW612", message))
            return
        if person is None:
            person = self._new_person(record, found)
            if person is None:
                return
        self.index.learn(person, record)
        self._merge(person, record)

    def _ambiguous(self, record: Record, found: Match) -> None:
        self.skipped += 1
        listed = ", ".join(p.path for p in found.ambiguous[:4])
        message = f"{record.name!r} matches several notes by {found.rule} ({listed}); skipped"
        self.problems.append(error(record.source, record.line, "NW611", message))

    def _new_person(self, record: Record, found: Match) -> Person | None:
        try:
            base = safe_file_name(record.name)
        except ActionError:
            self.skipped += 1
            message = f"{record.name!r} cannot be made into a note title; skipped"
            self.problems.append(warning(record.source, record.line, "NW607", message))
            return None
        title = self._free_title(base, record, separate=bool(found.others))
        try:
            path = new_note_path(self.config, title, self.folder)
        except ActionError as exc:
            self.skipped += 1
            self.problems.append(warning(record.source, record.line, "NW607", str(exc)))
            return None
        relative = path.relative_to(self.config.root.resolve()).as_posix()
        person = Person(len(self.index.people), None, title, record.name, relative)
        self.index.add(person, {title, record.name})
        self._paths.add(fold(relative))
        self.created.append(person)
        if found.others:
            other = found.others[0]
            emails = record.emails and other.emails
            kind = "other e-mail addresses" if emails else "another LinkedIn URL"
            message = (
                f"{record.name!r} has {kind} than {other.path}: written as another "
                f"person, {relative}; if they are one, merge the notes by hand"
            )
            self.problems.append(warning(record.source, record.line, "NW609", message))
        elif found.shared:
            other = found.shared[0]
            common = sorted({e.casefold() for e in record.emails} & other.emails)
            message = (
                f"{record.name!r} shares the e-mail address {common[0] if common else '?'} "
                f"with {other.path}, but not the name: written as another person, {relative}; "
                f"if they are one, add {record.name!r} to {other.path}'s aliases and import again"
            )
            self.problems.append(warning(record.source, record.line, "NW614", message))
        return person

    def _free_title(self, base: str, record: Record, *, separate: bool) -> str:
        """`base`, or when someone has that name, `base (Company)`, `base (Company 2)`, …"""
        if not separate and self._free(base):
            return base
        qualifier = record.company or (record.emails[0].split("@")[1] if record.emails else "")
        qualifier = " ".join(qualifier.replace("(", " ").replace(")", " ").split())
        try:
            qualifier = safe_file_name(qualifier) if qualifier else ""
        except ActionError:
            qualifier = ""
        for number in range(1, 1000):
            suffix = " ".join(p for p in (qualifier, str(number) if number > 1 else "") if p)
            title = f"{base} ({suffix or number})"
            if self._free(title):
                return title
        raise ActionError(f"no free title for {base!r}")  # pragma: no cover - 1,000 namesakes

    def _free(self, title: str) -> bool:
        if self.index.named(title):
            return False
        relative = f"{self.folder}/{title}.md" if self.folder else f"{title}.md"
        if fold(relative) in self._paths:
            return False
        return not (self.config.root / relative).exists()

    def _state(self, person: Person) -> _State:
        state = self.states.get(person.number)
        if state is None:
            state = self.states[person.number] = _State(person, person.contact, self.config)
        return state

    def _merge(self, person: Person, record: Record) -> None:
        state = self._state(person)
        if state.first is None:
            state.first = record
        for key in SCALARS:
            new = _scalar(record, key)
            if not new:
                continue
            current = state.scalars.get(key)
            if current is None:
                state.scalars[key] = (new, record)
                state.changed[key] = new
            elif _same(key, current[0], new):
                continue
            elif self.options.overwrite:
                state.scalars[key] = (new, record)
                state.changed[key] = new
            else:
                self._conflict(person, record, key, current, new)
        for email in record.emails:
            state.add("email", email.casefold(), email)
        known = [*state.phones, *record.phones]
        regions = _regions([*record.countries, *number_countries(known)], self.config)
        state.phones_compared(regions)
        for phone in record.phones:
            written = phone_for_note(phone, regions)
            state.add("phone", phone_key(written, regions), written)
        for tag in (*record.tags, *self.options.tags):
            tag = tag.lstrip("#")
            state.add("tags", fold(tag), tag)
        for alias in record.aliases:
            self._alias(person, state, record, alias)
        if record.connected is not None:
            state.connected(record.connected)

    def _conflict(
        self,
        person: Person,
        record: Record,
        key: str,
        current: tuple[object, Record | None],
        new: object,
    ) -> None:
        value, origin = current
        if origin is None:
            where = f"{person.path} has"
        elif origin.source == record.source:
            where = f"line {origin.line} gave"
        else:
            where = f"{origin.source}:{origin.line} gave"
        prop = self.config.key(key)
        message = (
            f"{record.name}: {prop}: {where} {_shown(value)}, this record {_shown(new)}; "
            f"kept {_shown(value)} (--overwrite replaces it)"
        )
        self.problems.append(warning(record.source, record.line, "NW608", message))

    def _alias(self, person: Person, state: _State, record: Record, alias: str) -> None:
        key = fold(alias)
        if not key or key in {fold(person.title), fold(person.display)}:
            return
        others = [p for p in self.index.named(alias) if p is not person]
        if others:
            message = (
                f"{record.name}: alias {alias!r} is already {others[0].path}'s name or alias; "
                "not added"
            )
            self.problems.append(warning(record.source, record.line, "NW613", message))
            return
        if state.add("aliases", key, alias):
            self.index.name(person, alias)

    # --- planning the notes ----------------------------------------------------------------

    def plan(
        self,
        *,
        template: Callable[[Mapping[str, object]], str],
        progress: Callable[[str, int, int], None] | None = None,
    ) -> Plan:
        """Every note to create or change, once all records are in."""
        self._relations()
        self._similar()
        changes: list[NoteChange] = []
        updated = unchanged = 0
        for done, number in enumerate(sorted(self.states), 1):
            if progress is not None:
                progress("planning", done, len(self.states))
            state = self.states[number]
            person = state.person
            if person.contact is None:
                changes.append(self._create(state, template))
                continue
            change = self._update(state)
            if change is None:
                unchanged += 1
            elif change.changes:
                changes.append(change)
                updated += 1
            else:
                self.skipped += len(person.records)
        changes.sort(key=lambda c: c.label)
        return Plan(
            changes,
            len(self.created),
            updated,
            unchanged,
            self.skipped,
            self.records,
            sorted_problems(self.problems),
        )

    def _relations(self) -> None:
        """Related names (vCard RELATED, Apple's related names, Google's relations) become
        `knows` links when they name exactly one contact."""
        for state in self.states.values():
            person = state.person
            for record in person.records:
                for name in record.related:
                    found = [p for p in dict.fromkeys(self.index.named(name)) if p is not person]
                    if len(found) == 1:
                        state.add("knows", fold(found[0].title), f"[[{found[0].title}]]")

    def _similar(self) -> None:
        if not self.created:
            return
        similar = Similar(self.index)
        for person in self.created:
            alike = [p for p in similar.like(person, [person.display]) if p.number < person.number]
            if not alike:
                continue
            record = person.records[0]
            listed = ", ".join(p.path for p in alike[:3])
            more = f" and {len(alike) - 3} more" if len(alike) > 3 else ""
            message = (
                f"{record.name!r} is like {listed}{more}: a similar name, not merged; "
                "if they are one person, merge the notes by hand"
            )
            self.problems.append(warning(record.source, record.line, "NW610", message))

    def _values(self, state: _State) -> dict[str, object]:
        """The imported values of a new note, by property name, in netzwerk's key order."""
        key = self.config.key
        values: dict[str, object] = {}
        scalars = {k: v for k, (v, _) in state.scalars.items()}
        for name in ("birthday", "died"):
            if name in scalars:
                values[key(name)] = _yaml(scalars[name], name)
        for name in ("tags", "aliases"):
            if state.lists[name]:
                values[key(name)] = list(state.lists[name])
        for name in ("company", "role", "location"):
            if name in scalars:
                values[key(name)] = scalars[name]
        for name in ("email", "phone"):
            if state.lists[name]:
                values[key(name)] = list(state.lists[name])
        if "linkedin" in scalars:
            values[key("linkedin")] = scalars["linkedin"]
        if state.lists["knows"]:
            values[key("knows")] = list(state.lists["knows"])
        if state.person.display != state.person.title:
            values[self._name_prop] = state.person.display
        return values

    def _create(self, state: _State, template: Callable[[Mapping[str, object]], str]) -> NoteChange:
        person = state.person
        logs = [edit.AddLog(day, "note", CONNECTED) for day in sorted(state.logs)]
        after = new_note(
            self.config,
            person.title,
            self._values(state),
            today=self.options.today,
            template=template,
            logs=logs,
        )
        path = self.config.root / person.path
        return NoteChange(path, person.path, edit.Edit(path, b"", after), True, ("created",))

    def _update(self, state: _State) -> NoteChange | None:
        """The edit of an existing note; None when nothing changes. A note that cannot be
        edited is a problem and a change with no `changes`."""
        person = state.person
        contact = person.contact
        assert contact is not None
        wanted = self._wanted(state)
        if not wanted:
            return None
        path = self.config.root / contact.path
        record = state.first or person.records[0]
        try:
            before = edit.read_note(path)
            front = edit.front_values(before)
            ops, changes = self._ops(state, wanted, front, record)
            if not ops:
                return None
            after = edit.apply_ops(before, ops)
        except EditError as exc:
            message = f"{contact.path} was not updated: {exc}"
            self.problems.append(error(record.source, record.line, "NW612", message))
            return NoteChange(path, contact.path, edit.Edit(path, b"", b""), False, ())
        if after == before:
            return None
        return NoteChange(path, contact.path, edit.Edit(path, before, after), False, changes)

    def _wanted(self, state: _State) -> list[str]:
        """What the records would change, judged by the parsed note alone."""
        wanted = [k for k in SCALARS if k in state.changed]
        wanted += [kind for kind in LISTS if state.lists[kind]]
        if state.logs:
            wanted.append("log")
        return wanted

    def _ops(
        self, state: _State, wanted: list[str], front: Mapping[object, object], record: Record
    ) -> tuple[list[edit.SetKey | edit.AddLog], tuple[str, ...]]:
        key = self.config.key
        ops: list[edit.SetKey | edit.AddLog] = []
        changes: list[str] = []
        for name in wanted:
            prop = key(name)
            if name in SCALARS:
                raw = edit.lookup(front, prop)
                if raw not in (None, "") and not self.options.overwrite:
                    # The note has a value netzwerk could not read (`birthday: 1988-13-02`).
                    message = (
                        f"{record.name}: {prop}: {state.person.path} has {_shown(raw)}, "
                        f"which is not valid; kept it (fix it, or import with --overwrite)"
                    )
                    self.problems.append(warning(record.source, record.line, "NW608", message))
                    continue
                ops.append(edit.SetKey(prop, _yaml(state.changed[name], name)))
                changes.append(prop)
            elif name == "log":
                ops += [edit.AddLog(day, "note", CONNECTED) for day in sorted(state.logs)]
                changes.append("log")
            else:
                new = state.lists[name]
                items = _items(edit.lookup(front, prop))
                if items is None:
                    message = (
                        f"{record.name}: {prop}: {state.person.path} holds a value that is not "
                        "text (run `netzwerk check`); not changed"
                    )
                    self.problems.append(warning(record.source, record.line, "NW612", message))
                    continue
                merged: list[object] = [*items, *new]
                one = name in ("email", "phone") and len(merged) == 1
                ops.append(edit.SetKey(prop, merged[0] if one else merged))
                changes.append(prop)
        return ops, tuple(changes)


def _items(raw: object) -> list[object] | None:
    """A list property's items as written; None when one of them is not text."""
    if raw is None or raw == "":
        return []
    items = raw if isinstance(raw, list) else [raw]
    if not all(isinstance(i, str) for i in items):
        return None
    return list(items)


def _yaml(value: object, key: str) -> object:
    """A value as the note gets it: a birthday with its year as a date, without as `--MM-DD`;
    `died` as a date, `true`, or text (a year, a month)."""
    if isinstance(value, Birthday):
        if value.year is None:
            return str(value)
        return date(value.year, value.month, value.day)
    if key == "died" and value == "true":
        return True
    if key == "died" and isinstance(value, str) and (day := parse_date(value)) is not None:
        return day  # (a date, as `birthday`; a year alone stays text)
    return value


def summary(plan: Plan) -> str:
    """`12 records: 3 created, 2 updated, 5 unchanged, 2 skipped, 1 problem`."""
    problems = plural(len(plan.problems), "problem")
    return (
        f"{plural(plan.records, 'record')}: {plan.created} created, {plan.updated} updated, "
        f"{plan.unchanged} unchanged, {plan.skipped} skipped, {problems}"
    )


def plan_import(
    config: Config,
    contacts: Sequence[Contact],
    records: Iterable[Record],
    problems: Iterable[Problem],
    options: Options,
    *,
    template: Callable[[Mapping[str, object]], str],
    broken: Sequence[str] = (),
    progress: Callable[[str, int, int], None] | None = None,
    total: int = 0,
) -> Plan:
    """Match every record and plan every note; nothing is written. `broken`: the titles of
    contact notes that could not be read (a record of that name is not made a second note)."""
    planner = Planner(config, contacts, options, broken)
    planner.problems += list(problems)
    for done, record in enumerate(records, 1):
        planner.add(record)
        if progress is not None:
            progress("matching", done, total)
    return planner.plan(template=template, progress=progress)
