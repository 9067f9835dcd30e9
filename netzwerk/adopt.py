"""What an existing vault already does, found in its notes, as netzwerk.toml settings.

Where its people are (folders named for them, or a mark in their properties), where its daily
notes are and how they are named, the keys its meeting notes name people under, its own names
for netzwerk's properties, its tiers, and the headings of its logs and connections. Pure
functions of the notes (`Note`) and of Obsidian's settings (`Obsidian`): `scaffold` reads both
from disk and writes what `adopt` returns.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from netzwerk import body
from netzwerk.config import (
    DEFAULT_INTERACTIONS,
    DEFAULT_JOURNAL_FORMAT,
    Config,
)
from netzwerk.model import KNOWN_KEYS, Duration, link_key, parse_date, rule_value, slug, title_of
from netzwerk.notes import (
    Entry,
    Node,
    Scalar,
    daily_date,
    never_a_person,
    parse_birthday,
    rule_values,
)
from netzwerk.scan import excluded
from netzwerk.text import plural


class Note(NamedTuple):
    """A note as `init` looks at it."""

    path: str  # relative to the vault, `/`-separated
    entries: tuple[Entry, ...]  # its front matter's top-level keys; () for none or unreadable
    body: str
    body_line: int  # file line of the body's first line


class Obsidian(NamedTuple):
    """What Obsidian's own settings say about the vault."""

    daily: tuple[str, str] | None = None  # daily notes' folder ("" = the vault) and format
    daily_outside: bool = False  # the settings put daily notes outside the vault
    daily_plugin: bool = False  # the Daily notes plugin is on (without settings: the vault)
    templates: tuple[str, ...] = ()  # the folders of Templates and Templater


class Adoption(NamedTuple):
    """The settings a vault needs (only those that differ from the defaults), and what was
    found, a line each."""

    settings: dict[str, Any]
    found: tuple[str, ...]


PEOPLE_FOLDERS = ("people", "contacts", "persons", "friends")
DAILY_FOLDERS = (
    "daily", "dailies", "dailys", "daily notes", "dailynotes", "journal", "journals", "diary",
    "days", "tagebuch",
)  # fmt: skip
# File-name formats of daily notes, most usual first (a title may follow the date).
FORMATS = (
    "YYYY-MM-DD", "YYYY/MM/DD", "DD.MM.YYYY", "YYYY_MM_DD", "YYYYMMDD", "YYYY.MM.DD",
    "DD-MM-YYYY", "MM-DD-YYYY", "DD.MM.YY", "MMMM D, YYYY", "MMMM Do, YYYY", "D MMMM YYYY",
    "dddd, MMMM Do YYYY",
)  # fmt: skip

# Properties that mark a note as a person's, and the values that do.
_MARK_KEYS = ("categories", "category", "type", "tags")
_MARK_VALUES = frozenset({"people", "person", "persons", "contact", "contacts"})
# Notes beside people that are about the folder, not a person.
_NOT_A_PERSON = re.compile(
    r"^(?:readme|read me|index|_index|toc|contents|table of contents|moc|start here|overview"
    r"|dashboard|home)$|^.+ (?:moc|index|overview)$",
    re.IGNORECASE,
)
_DATE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}")
# Keys that link people without the note being a meeting with them.
_NOT_MEETINGS = frozenset(
    {
        "author", "authors", "artist", "artists", "director", "directors", "cast", "host",
        "hosts", "guest", "guests", "creator", "creators", "maker", "publisher", "owner",
        "assignee", "categories", "category", "tags", "type", "aliases", "alias", "org",
        "orgs", "organization", "organizations", "company", "up", "parent", "related",
        "source", "topics", "loc", "location", "knows", "introduced_by", "cssclasses",
    }
)  # fmt: skip

# Other names vaults give netzwerk's properties, compared without case, spaces, `-` and `_`.
# fmt: off
SYNONYMS: dict[str, tuple[str, ...]] = {
    "tier": ("relationship_tier", "circle", "ring", "relationship_circle", "tier_level"),
    "last_contact": (
        "last_contacted", "lastchatted", "last_contact_date", "last_contacted_on",
        "last_talked", "last_spoke", "last_interaction", "last_touch",
    ),
    "cadence": ("cadence_days", "contact_cadence", "contact_frequency", "frequency"),
    "snooze_until": ("snoozed_until", "snooze"),
    "paused": ("do_not_contact",),
    "birthday": ("birthdate", "date_of_birth", "dob", "bday"),
    "died": ("deathday", "death_date", "date_of_death", "dod", "deceased", "died_on", "death"),
    "tags": ("crm_tags", "person_tags", "contact_tags", "labels"),
    "aliases": ("alias",),
    "company": ("org", "organization", "organizations", "orgs", "employer", "companies"),
    "role": ("title", "position", "job_title", "job", "occupation", "profession"),
    "location": ("city", "town", "lives_in"),
    "email": ("e-mail", "mail", "emails", "email_address"),
    "phone": ("phone_number", "mobile", "telephone", "tel", "cell", "phones"),
    "linkedin": ("linkedin_url",),
    "interests": ("hobbies",),
    "introduced_by": ("referred_by", "met_through", "introducer"),
    "name": ("full_name", "display_name"),
    "next_contact": (
        "next_contact_due", "next_contact_date", "next_follow_up", "follow_up", "followup",
        "follow_up_date",
    ),
    "address": ("street_address", "postal_address", "home_address", "addresses"),
}
# fmt: on
_DATE_KEYS = frozenset({"last_contact", "next_contact", "snooze_until"})

# A cadence for a tier the vault names, by its name, when its people have none.
_TIER_CADENCES = (
    (re.compile(r"cold|dormant|archiv|reserve|inactive|former|past|lost"), "never"),
    (re.compile(r"close|inner|core|family|best|top|vip|intimate"), "3w"),
    (re.compile(r"friend|warm|active|good"), "2m"),
    (re.compile(r"acquaint|network|professional|work|colleague|loose|outer|weak"), "6m"),
)
_LOG_WORDS = re.compile(
    r"\b(?:log|logs|interactions?|communications?|conversations?|meetings?|calls?|touchpoints?"
    r"|contact history)\b",
    re.IGNORECASE,
)
_CONNECTION_WORDS = re.compile(
    r"\b(?:connections?|network|family|friends|colleagues|relations|relatives|knows"
    r"|acquaintances|team)\b",
    re.IGNORECASE,
)
_DATED_ITEM = re.compile(r"^\s*[-*+]\s+(?:\[.\]\s+)?\d{4}-\d{2}-\d{2}")
_DATED_TITLE = re.compile(r"^\d{4}-\d{2}-\d{2}")

_DEFAULTS = Config(root=Path())


def adopt(notes: Sequence[Note], obsidian: Obsidian, folders: Iterable[str] = ()) -> Adoption:
    """The settings `notes` need, and what was found; `folders` are the vault's top-level
    folders (a people folder may have no notes yet)."""
    if not notes:
        return Adoption({}, ())
    found: list[str] = []
    settings: dict[str, Any] = {}
    templates = [n for n in notes if _in_templates(n.path)]
    notes = [n for n in notes if not _in_templates(n.path) and not excluded(n.path, _DEFAULTS)]

    named = people_folders([n.path for n in notes], folders)
    in_folders = {n.path: n for n in notes if _in(n.path, named) and _may_be_person(n)}
    not_people = [n.path for n in notes if _in(n.path, named) and _about_folder(n.path)]

    journal = _journal(notes, obsidian, named)
    dailies = {n.path for n in notes if journal.reads(n.path)}
    rules = _rules(n for n in notes if n.path not in in_folders and n.path not in dailies)

    for folder in named:
        count = sum(1 for path in in_folders if _in(path, [folder]))
        found.append(f"found {_counted(count)} in {_where(folder)}")
    people = dict(in_folders)
    for rule in rules:
        people.update(rule.people)
        parents = sorted({_parent(path) for path in rule.people})
        where = _where(parents[0]) if len(parents) == 1 else f"{len(parents)} folders"
        shown = f"{rule.prop}: {rule.value}"
        found.append(f"found {_counted(len(rule.people))} in {where} by {shown}")
    if not people and not named:
        found.append(
            "found no people: no folder named People, Contacts, Persons or Friends, and no "
            "note with type: person, tags: person or categories: [[People]]"
        )
    if named != ["People"] and (named or rules):
        settings["contacts"] = named
    if rules:
        settings["contacts_where"] = [rule.setting for rule in rules]

    exclude = [_glob(path.rsplit("/", 1)[-1]) for path in not_people]
    found += [f"left out {path}: not a person" for path in not_people]
    for folder in sorted({_template_folder(n.path) for n in templates}):
        inside = [n for n in templates if _in(n.path, [folder])]
        if any(_in(n.path, named) or _marked(n, rules) for n in inside):
            exclude.append(f"{_glob(folder)}/*")
            found.append(f"left out {folder}/: templates, not people")
    for path in journal.folder_notes:
        exclude.append(_glob(path))
        found.append(f"left out {path}: the folder's own note, not a daily note")
    if exclude:
        settings["exclude"] = [*_DEFAULTS.exclude, *dict.fromkeys(exclude)]

    found.append(journal.line)
    settings.update(journal.settings)

    known = _People(people)
    keys, key_lines = _keys([people[path] for path in sorted(people)])
    meetings, date_key = _meetings(
        [n for n in notes if n.path not in people and n.path not in dailies], known
    )
    found += meetings.lines
    if meetings.keys:
        settings["interactions"] = [*DEFAULT_INTERACTIONS, *meetings.keys]
    if date_key is not None:
        keys["date"] = date_key
        key_lines.append(f"mapped {date_key} → date")
    found += key_lines

    tiers = _tiers([people[path] for path in sorted(people)], keys)
    if tiers is not None:
        found.append(tiers.line)
        if not tiers.defaults:
            settings["default_tiers"] = False
        settings["tiers"] = tiers.tables

    logs, connections, heading_lines = _headings([people[p] for p in sorted(people)], known)
    found += heading_lines
    if logs:
        settings["log_headings"] = [*_DEFAULTS.log_headings, *logs]
    if connections:
        settings["connection_headings"] = [*_DEFAULTS.connection_headings, *connections]
    if keys:
        settings["keys"] = keys
    return Adoption(settings, tuple(found))


# --- where notes are ----------------------------------------------------------------------


def _counted(count: int) -> str:
    return plural(count, "person", "people") if count else "no people yet"


def _glob(text: str) -> str:
    """`text` as an `exclude` pattern that matches only itself."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def _in(path: str, folders: Iterable[str]) -> bool:
    return any(not f or path.startswith(f"{f}/") for f in folders)


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _where(folder: str) -> str:
    return f"{folder}/" if folder else "the vault's top folder"


def _in_templates(path: str) -> bool:
    """In a folder named for templates (Obsidian's own template folders are never scanned)."""
    return any("template" in part.casefold() for part in path.split("/")[:-1])


def _template_folder(path: str) -> str:
    parts = path.split("/")[:-1]
    for index, part in enumerate(parts):
        if "template" in part.casefold():
            return "/".join(parts[: index + 1])
    return ""


def people_folders(paths: Sequence[str], top: Iterable[str]) -> list[str]:
    """Folders named for people, anywhere (`10 Example Data/people`), not inside another."""
    named: set[str] = {f for f in top if f.casefold() in PEOPLE_FOLDERS and not _in_templates(f)}
    for path in paths:
        parts = path.split("/")[:-1]
        for index, part in enumerate(parts):
            if part.casefold() in PEOPLE_FOLDERS:
                named.add("/".join(parts[: index + 1]))
                break
    return sorted(f for f in named if not _in(f, named - {f}))


def _about_folder(path: str) -> bool:
    """A README or index beside people, which the default `exclude` does not leave out."""
    return bool(_NOT_A_PERSON.match(title_of(path)))


def _may_be_person(note: Note) -> bool:
    """Whether a note in a people folder is read as a person."""
    name = note.path.rsplit("/", 1)[-1]
    return not (never_a_person(note.path) or name.startswith("_") or _about_folder(note.path))


# --- people marked by a property ------------------------------------------------------------


def _marks(note: Note) -> Iterator[tuple[tuple[str, str], str, str]]:
    """The marks of a person in a note's properties: the rule, the property and the value as
    the note writes them."""
    for key, _, node in note.entries:
        folded = key.casefold()
        if folded not in _MARK_KEYS:
            continue
        for value in rule_values(node):
            if rule_value(value) in _MARK_VALUES:
                yield (folded, rule_value(value)), key, value.strip()


def _marked(note: Note, rules: Sequence[_Rule]) -> bool:
    keys = {rule.key for rule in rules}
    return any(rule in keys for rule, _, _ in _marks(note))


class _Rule(NamedTuple):
    """A rule for `contacts_where`, as the vault writes it, and the people it adds."""

    key: tuple[str, str]  # the property and the value, folded
    prop: str
    value: str
    people: dict[str, Note]

    @property
    def setting(self) -> str:
        return f"{self.prop} = {self.value}"


def _rules(notes: Iterable[Note]) -> list[_Rule]:
    """The rules for `contacts_where` that find people outside the people folders, the one
    that finds most first, each with the people only it adds."""
    marked: dict[tuple[str, str], dict[str, Note]] = defaultdict(dict)
    written: dict[tuple[str, str], Counter[tuple[str, str]]] = defaultdict(Counter)
    for note in notes:
        for rule, prop, value in _marks(note):
            marked[rule][note.path] = note
            written[rule][(prop, value)] += 1
    chosen: list[_Rule] = []
    covered: set[str] = set()
    for rule in sorted(marked, key=lambda r: (-len(marked[r]), r)):
        new = {path: note for path, note in marked[rule].items() if path not in covered}
        if new:
            prop, value = min(written[rule], key=lambda w: (-written[rule][w], w))
            chosen.append(_Rule(rule, prop, value, new))
            covered.update(new)
    return chosen


def _most_common(counter: Counter[str]) -> str:
    return min(counter, key=lambda text: (-counter[text], text))


# --- daily notes --------------------------------------------------------------------------


class _Journal(NamedTuple):
    config: Config  # a config reading daily notes where they were found
    settings: dict[str, Any]
    line: str
    folder_notes: list[str]  # folder notes in the journal folder, which are no daily notes

    def reads(self, path: str) -> bool:
        """Whether `path` is a daily note, dated by its name."""
        folder = self.config.journal[0]
        inside = _in(path, [folder]) if folder else "/" not in path
        return inside and daily_date(path, self.config)[0] is not None


def _count_daily(notes: Sequence[Note], folder: str, fmt: str) -> int:
    config = Config(root=Path(), journal=(folder,), journal_format=fmt)
    return sum(
        1
        for n in notes
        if (_in(n.path, [folder]) if folder else "/" not in n.path)
        and daily_date(n.path, config)[0] is not None
    )


def _journal(notes: Sequence[Note], obsidian: Obsidian, people: Sequence[str]) -> _Journal:
    """Where the daily notes are and how they are named: Obsidian's settings, else a folder
    named for them (or the vault itself, Obsidian's default) and the format most of them fit."""
    candidates = [n for n in notes if not _in(n.path, people)]
    if obsidian.daily is not None and not obsidian.daily_outside:
        folder, fmt = obsidian.daily
        count = _count_daily(candidates, folder, fmt)
        line = f"{_daily(count)} in {_where(folder)} as {fmt} (Obsidian's daily notes settings)"
        return _journal_of(folder, fmt, {}, line, candidates)
    folders: set[str] = set()
    for note in candidates:
        parts = note.path.split("/")[:-1]
        for index, part in enumerate(parts):
            if part.casefold() in DAILY_FOLDERS:
                folders.add("/".join(parts[: index + 1]))
    if obsidian.daily_plugin:
        folders.add("")  # where Obsidian puts daily notes without settings
    best: tuple[int, int, int, str, str] | None = None
    for folder in folders:
        for rank, fmt in enumerate(FORMATS):
            count = _count_daily(candidates, folder, fmt)
            # Most notes; then a named folder over the vault, the deeper one; then the format.
            key = (count, folder.count("/") + bool(folder), -rank, folder, fmt)
            if count and (best is None or key > best):
                best = key
    default = _DEFAULTS.journal[0], _DEFAULTS.journal_format
    settings: dict[str, Any] = {}
    if best is None:
        if obsidian.daily_outside:  # not Obsidian's folder, which is not in this vault
            settings["journal"] = [default[0]]
        line = f"found no daily notes; netzwerk reads them in {_where(default[0])} as {default[1]}"
        return _journal_of(*default, settings, line, [])
    count, _, _, folder, fmt = best
    if obsidian.daily_outside or (folder, fmt) != default:
        settings["journal"] = [folder or "."]  # netzwerk.toml writes the vault itself as "."
        if fmt != DEFAULT_JOURNAL_FORMAT:
            settings["journal_format"] = fmt
    line = f"{_daily(count)} in {_where(folder)} as {fmt}"
    return _journal_of(folder, fmt, settings, line, candidates)


def _daily(count: int) -> str:
    return f"found {plural(count, 'daily note')}"


def _journal_of(
    folder: str, fmt: str, settings: dict[str, Any], line: str, notes: Sequence[Note]
) -> _Journal:
    """The journal found, with the folder notes (`Daily/Daily.md`) in it, which `check`
    would otherwise ask a date of."""
    config = Config(root=Path(), journal=(folder,), journal_format=fmt)
    folder_notes = [
        n.path
        for n in notes
        if folder
        and _in(n.path, [folder])
        and title_of(n.path) == _parent(n.path).rsplit("/", 1)[-1]
        and daily_date(n.path, config)[0] is None
        and not _has(n, "date")
    ]
    return _Journal(config, settings, line, folder_notes)


# --- meeting notes ------------------------------------------------------------------------


class _People:
    """Who a name or link means among the people found, as the reading side resolves it."""

    def __init__(self, people: dict[str, Note]) -> None:
        self.links: set[str] = set()
        self.slugs: set[str] = set()
        for path, note in people.items():
            names = [title_of(path)]
            for key, _, node in note.entries:
                if key.casefold() == "aliases":
                    names += [v for v in rule_values(node) if v.strip()]
            self.links.update(link_key(name) for name in names)
            self.slugs.update(slug(name) for name in names)

    def named(self, node: Node) -> list[str]:
        """The people a property's value names: links, or names written out."""
        found = []
        for value in rule_values(node):
            targets = body.links_in(value)
            if targets:
                found += [t for t in targets if link_key(t) in self.links]
            else:
                found += [n for n in value.split(",") if n.strip() and slug(n) in self.slugs]
        return found


class _Meetings(NamedTuple):
    keys: list[str]  # interaction keys beyond the defaults
    lines: list[str]


def _note_date(note: Note, key: str) -> bool:
    for prop, _, node in note.entries:
        if prop.casefold() == key and isinstance(node, Scalar):
            return parse_date(node.value) is not None
    return key == "date" and bool(_DATE_NAME.match(note.path.rsplit("/", 1)[-1]))


def _date_keys(note: Note) -> Iterator[str]:
    """Properties that may date a note (`meeting_date`, `day`), not when it was made."""
    for prop, _, node in note.entries:
        folded = prop.casefold()
        named = "date" in folded or folded in ("day", "when", "on", "datum")
        made = any(word in folded for word in ("creat", "modif", "updat", "due"))
        if named and not made and isinstance(node, Scalar) and parse_date(node.value):
            yield prop


def _meetings(notes: Sequence[Note], known: _People) -> tuple[_Meetings, str | None]:
    """The keys dated notes name people under (`people`, `attendees`, `met_with`, …) and the
    date property of those that have no `date`."""
    naming: dict[str, Note] = {}
    by_key: dict[str, set[str]] = defaultdict(set)
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for note in notes:
        for prop, _, node in note.entries:
            folded = prop.casefold()
            if folded not in _NOT_MEETINGS and known.named(node):
                by_key[folded].add(note.path)
                written[folded][prop] += 1
                naming[note.path] = note
        for heading in _heading_people(note, known):
            by_key[f"## {heading}"].add(note.path)
            written[f"## {heading}"][f"## {heading}"] += 1
            naming[note.path] = note
    dated = {path for path, note in naming.items() if _note_date(note, "date")}
    date_key = None
    undated = [note for path, note in naming.items() if path not in dated]
    if undated and not any(_has(n, "date") for n in naming.values()):
        counted = Counter(key for note in undated for key in dict.fromkeys(_date_keys(note)))
        if counted:
            date_key = _most_common(counted)
            dated |= {n.path for n in undated if _note_date(n, date_key.casefold())}
    lines = []
    extra = []
    for key in sorted(by_key, key=lambda k: (-len(by_key[k] & dated), k)):
        count = len(by_key[key] & dated)
        if not count:
            continue
        if not key.startswith("## ") and key not in DEFAULT_INTERACTIONS:
            extra.append(_most_common(written[key]))
        shown = _most_common(written[key])
        lines.append(f"found {plural(count, 'meeting note')} naming people under {shown}")
    return _Meetings(extra, lines), date_key


def _has(note: Note, key: str) -> bool:
    return any(prop.casefold() == key for prop, _, _ in note.entries)


def _heading_people(note: Note, known: _People) -> set[str]:
    """Headings named like an interaction key (`## Participants`) with people linked below."""
    if "[[" not in note.body:
        return set()
    titles: dict[str, str] = {}
    found = set()
    for line in body.data_lines(note.body, note.body_line):
        title = body.heading_title(line.text)
        if title is not None:
            titles[title.casefold()] = title
            continue
        if line.section in DEFAULT_INTERACTIONS and any(
            link_key(t) in known.links for t in body.links_in(line.text)
        ):
            found.add(titles.get(line.section, line.section))
    return found


# --- property names -------------------------------------------------------------------------


def _norm(key: str) -> str:
    return re.sub(r"[\W_]+", "", key.casefold())


_BY_NAME = {_norm(s): key for key, names in SYNONYMS.items() for s in (key, *names)}


def _keys(people: Sequence[Note]) -> tuple[dict[str, str], list[str]]:
    """`[keys]`: netzwerk's keys the people's notes write under another name (and never
    under netzwerk's own), each mapped to the name most of them use."""
    used: Counter[str] = Counter()
    values: dict[str, list[Node]] = defaultdict(list)
    for note in people:
        for prop, _, node in note.entries:
            used[prop] += 1
            values[prop].append(node)
    own = {prop.casefold() for prop in used}
    mapping: dict[str, str] = {}
    for prop in sorted(used, key=lambda p: (-used[p], p)):
        key = _BY_NAME.get(_norm(prop))
        if key is None or key in own or prop.casefold() in (*KNOWN_KEYS, "date"):
            continue
        if key not in mapping and _fits(key, values[prop]):
            mapping[key] = prop
    order = {key: index for index, key in enumerate(KNOWN_KEYS)}
    mapping = dict(sorted(mapping.items(), key=lambda item: order[item[0]]))
    return mapping, [f"mapped {prop} → {key}" for key, prop in mapping.items()]


def _fits(key: str, nodes: Sequence[Node]) -> bool:
    """Whether most of the values written are what netzwerk reads under `key`."""
    written = [n.value.strip() for n in nodes if isinstance(n, Scalar) and n.tag != "null"]
    written = [w for w in written if w]
    if key in _DATE_KEYS:
        good = sum(1 for w in written if parse_date(w))
    elif key == "birthday":
        good = sum(1 for w in written if parse_birthday(w))
    elif key == "cadence":
        good = sum(1 for w in written if Duration.parse(w) or w.casefold() == "custom")
    elif key == "paused":
        good = sum(1 for w in written if w.casefold() in ("true", "false", "yes", "no"))
    elif key == "died":
        good = sum(
            1
            for w in written
            if parse_date(w) or w[:4].isdigit() or w.casefold() in ("true", "false", "yes", "no")
        )
    elif key == "tier":
        good = sum(1 for n in nodes if isinstance(n, Scalar) and n.tag != "bool")
        return good * 2 >= len(nodes)
    else:
        return True
    return good * 2 >= len(written)


# --- tiers --------------------------------------------------------------------------------


class _Tiers(NamedTuple):
    tables: dict[str, dict[str, Any]]
    defaults: bool  # the vault uses netzwerk's default tiers too
    line: str


def _scalar(note: Note, prop: str) -> str | None:
    for key, _, node in note.entries:
        if key.casefold() == prop.casefold() and isinstance(node, Scalar):
            if node.tag == "null" or not node.value.strip():
                return None
            text = node.value.strip()
            return body.link_target(text) if text.startswith("[[") else text
    return None


def _tiers(people: Sequence[Note], keys: dict[str, str]) -> _Tiers | None:
    """The vault's own tiers (`circle: close`) as `[tiers.NAME]` tables, each with the cadence
    most of its people have (else one its name suggests); None when it uses only netzwerk's."""
    members: dict[str, list[Duration]] = defaultdict(list)
    written: dict[str, Counter[str]] = defaultdict(Counter)
    uses_defaults = False
    prop = keys.get("tier", "tier")
    for note in people:
        tier = _scalar(note, prop)
        if tier is None:
            continue
        if _DEFAULTS.tier(tier) is not None:
            uses_defaults = True
            continue
        written[tier.casefold()][tier] += 1
        cadence = _scalar(note, keys.get("cadence", "cadence"))
        parsed = Duration.parse(cadence) if cadence else None
        cadences = members.setdefault(tier.casefold(), [])
        if parsed is not None and not (parsed.count == 0 and not parsed.never):
            cadences.append(parsed)
    if not written:
        return None
    tables: dict[str, dict[str, Any]] = {}
    for folded in written:
        name = _most_common(written[folded])
        table: dict[str, Any] = {}
        if name[:1].islower():
            table["label"] = name[:1].upper() + name[1:]
        table["cadence"] = _cadence(name, members[folded])
        tables[name] = table
    ordered = dict(
        sorted(tables.items(), key=lambda item: (_length(item[1]["cadence"]), item[0].casefold()))
    )
    names = ", ".join(ordered)
    rest = "" if uses_defaults else "; netzwerk's default tiers left out"
    line = f"found {plural(len(ordered), 'tier')} under {prop}: {names}{rest}"
    return _Tiers(ordered, uses_defaults, line)


def _cadence(name: str, cadences: Sequence[Duration]) -> str:
    if cadences:
        counted = Counter(cadences)
        best = min(counted, key=lambda d: (-counted[d], d.approx_days() or 10**6))
        if best.unit == "d" and best.count % 7 == 0:
            best = Duration(best.count // 7, "w")
        return str(best)
    for pattern, cadence in _TIER_CADENCES:
        if pattern.search(name.casefold()):
            return cadence
    return "3m"


def _length(cadence: str) -> int:
    parsed = Duration.parse(cadence)
    return 10**6 if parsed is None or parsed.never else parsed.approx_days()


# --- headings -----------------------------------------------------------------------------


def _headings(people: Sequence[Note], known: _People) -> tuple[list[str], list[str], list[str]]:
    """Headings people's notes keep a dated log under (`## Communication Log`), and headings
    they link other people under (`## Family`), beyond the defaults; and the lines saying so."""
    logs: dict[str, set[str]] = defaultdict(set)
    links: dict[str, set[str]] = defaultdict(set)
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for note in people:
        own = link_key(title_of(note.path))
        for title, dated, linked in _sections(note):
            folded = title.casefold()
            written[folded][title] += 1
            if dated and _LOG_WORDS.search(title):
                logs[folded].add(note.path)
            others = any(link_key(t) in known.links and link_key(t) != own for t in linked)
            if others and _CONNECTION_WORDS.search(title):
                links[folded].add(note.path)
    lines: list[str] = []

    def found(notes: dict[str, set[str]], defaults: Iterable[str], what: str) -> list[str]:
        """The headings netzwerk does not read already, most notes first, each said."""
        known = {h.casefold() for h in defaults}
        titles = []
        for folded in sorted(notes, key=lambda f: (-len(notes[f]), f)):
            if folded not in known:
                titles.append(_most_common(written[folded]))
                count = plural(len(notes[folded]), "note")
                lines.append(f"found {what} under ## {titles[-1]} in {count}")
        return titles

    found_logs = found(logs, _DEFAULTS.log_headings, "dated log entries")
    found_links = found(links, _DEFAULTS.connection_headings, "links to people")
    return found_logs, found_links, lines


def _sections(note: Note) -> Iterator[tuple[str, bool, list[str]]]:
    """Each heading of a note's body: its title, whether dated entries stand under it (lines
    `- 2026-06-12 …` or headings `### 2026-06-12 — Email`), and the links below it."""
    stack: list[tuple[int, str]] = []
    dated: set[str] = set()
    linked: dict[str, list[str]] = {}
    for line in body.data_lines(note.body, note.body_line):
        title = body.heading_title(line.text)
        if title is not None:
            level = len(line.text.lstrip()) - len(line.text.lstrip().lstrip("#"))
            while stack and stack[-1][0] >= level:
                stack.pop()
            owner = _owner(stack)
            if _DATED_TITLE.match(title) and owner is not None:
                dated.add(owner)
            stack.append((level, title))
            linked.setdefault(_owner(stack) or "", [])
            continue
        owner = _owner(stack)
        if owner is None:
            continue
        if _DATED_ITEM.match(line.text):
            dated.add(owner)
        if "[[" in line.text:
            linked.setdefault(owner, []).extend(body.links_in(line.text))
    for title, links in linked.items():
        if title:
            yield title, title in dated, links


def _owner(stack: Sequence[tuple[int, str]]) -> str | None:
    """The nearest heading above that is not itself a dated entry."""
    for _, title in reversed(stack):
        if not _DATED_TITLE.match(title):
            return title
    return None
