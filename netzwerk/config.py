"""netzwerk.toml -> Config. Every setting has a default here."""

from __future__ import annotations

import errno
import json
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from netzwerk.files import CACHE_DIR, inside, read_regular
from netzwerk.model import (
    DURATION_HINT,
    KNOWN_KEYS,
    NEVER,
    TARGET,
    Duration,
    Rule,
    Tier,
    is_property_name,
    rule_value,
)
from netzwerk.problems import Problem, error
from netzwerk.text import did_you_mean

CONFIG_FILE = "netzwerk.toml"

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# netzwerk's own property names; `[keys]` maps them to a vault's names. `date` is the date
# property of journal and interaction notes.
KEYS = (*KNOWN_KEYS, "date")

DEFAULT_TIERS = (
    Tier("10", "Top 10", Duration(3, "w"), 10),
    Tier("50", "Top 50", Duration(2, "m"), 50),
    Tier("100", "Top 100", Duration(6, "m"), 100),
    Tier("reserve", "Reserve", Duration(0, "never"), None),
    Tier(TARGET, "Want to meet", NEVER, None),  # people you do not know yet: never due
)
DEFAULT_EXCLUDE = ("README.md", "index.md", "Index.md")
DEFAULT_INTERACTIONS = ("people", "attendees", "participants", "person", "with")
DEFAULT_JOURNAL_FORMAT = "YYYY-MM-DD"


class Season(NamedTuple):
    """When the digest has a Greetings section, and for whom: `start` to `end` (month, day),
    across New Year when `end` comes first; the members of `tiers`, and anyone whose note says
    `greetings: true`."""

    start: tuple[int, int]
    end: tuple[int, int]
    tiers: tuple[str, ...]


DEFAULT_SEASON = Season((12, 1), (1, 6), ("100",))


@dataclass(frozen=True)
class Config:
    """A vault's settings."""

    root: Path
    contacts: tuple[str, ...] = ("People",)
    contacts_where: tuple[Rule, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    journal: tuple[str, ...] = ("Daily",)
    journal_format: str = DEFAULT_JOURNAL_FORMAT
    interactions: tuple[str, ...] = DEFAULT_INTERACTIONS
    log_headings: tuple[str, ...] = ("Log",)
    connection_headings: tuple[str, ...] = ("People", "Related", "Relationships")
    digest_dir: str = "Digests"
    templates: str = "Templates/netzwerk"
    template_folders: tuple[str, ...] = ()  # Obsidian's and Templater's: never notes
    week_start: int = 0  # 0 = Monday … 6 = Sunday
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    phone_region: str | None = None  # "DE": how `import` reads numbers without a country code
    trips: tuple[str, ...] = ("Trips",)  # folders whose notes are trips
    week_budget: int | None = None  # due people a digest lists; None: what the tiers imply
    greetings: Season | None = DEFAULT_SEASON  # None: no Greetings section
    # Tiers as looked up by name: every digest looks up each person's (not a setting).
    _found: dict[str, Tier | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def tier(self, name: str | None) -> Tier | None:
        """The tier called `name` (its name or label, ignoring case), if configured."""
        if name is None:
            return None
        try:
            return self._found[name]
        except KeyError:
            found = self._found[name] = self._tier(name)
            return found

    def _tier(self, name: str) -> Tier | None:
        wanted = name.strip().casefold()
        for tier in self.tiers:
            if tier.name == name:
                return tier
        for tier in self.tiers:
            if wanted in (tier.name.casefold(), tier.label.casefold()):
                return tier
        return None

    def key(self, key: str) -> str:
        """The property name this vault uses for netzwerk's `key`."""
        return self.keys.get(key, key)

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_DIR

    @property
    def digest_path(self) -> Path:
        return self.root / self.digest_dir

    @property
    def templates_path(self) -> Path:
        return self.root / self.templates

    def written_folders(self) -> list[Path]:
        """The folders netzwerk writes notes in (besides the vault's own and `.netzwerk/`)."""
        return [self.root / folder for folder in (*self.contacts, self.digest_dir)]

    def fingerprint(self) -> str:
        """What reading a note depends on: a changed setting reads every note again."""
        parts: list[object] = [
            self.contacts,
            self.contacts_where,
            self.exclude,
            self.journal,
            self.journal_format,
            self.interactions,
            self.log_headings,
            self.connection_headings,
            self.templates,
            self.template_folders,
            self.digest_dir,
            sorted(self.keys.items()),
            self.trips,
        ]
        return repr(parts)


def find_vault(explicit: str | None, cwd: Path) -> Path | None:
    """--vault, else NETZWERK_VAULT, else the nearest folder upward that holds netzwerk.toml
    or an Obsidian vault (`.obsidian/`); None when there is none."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("NETZWERK_VAULT")
    if env:
        return Path(env).expanduser().resolve()
    here = cwd.resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file() or (folder / ".obsidian").is_dir():
            return folder
    return None


_Bad = Callable[..., None]

_TOML_LINE = re.compile(r"at line (\d+)")


def load_config(root: Path) -> tuple[Config, list[Problem]]:
    """Read `root/netzwerk.toml`; problems are returned, defaults fill the gaps."""
    try:
        raw = vault_file(root, CONFIG_FILE)
    except FileNotFoundError:
        return _build(root, {}, "")
    except OutsideVault:
        message = "a symbolic link out of the vault; not read (settings come from the vault)"
        return Config(root=root), [error(CONFIG_FILE, None, "NW401", message)]
    except OSError as exc:
        return Config(root=root), [
            error(CONFIG_FILE, None, "NW401", f"cannot read: {_lower(exc.strerror or str(exc))}")
        ]
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Config(root=root), [error(CONFIG_FILE, None, "NW401", "file is not valid UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        message = _TOML_LINE.sub("", str(exc)).replace("(, column", "(column").strip()
        if line is None and "(at end of document)" in message:
            # An unclosed array or table: point at the file's last line, where it ran out.
            line = max(1, len(raw.decode("utf-8-sig").splitlines()))
            message = message.replace("(at end of document)", "at the end of the file")
        return Config(root=root), [error(CONFIG_FILE, line, "NW401", _lower(message))]
    except RecursionError:
        return Config(root=root), [error(CONFIG_FILE, None, "NW401", "nested too deeply")]
    return _build(root, data, raw.decode("utf-8-sig", errors="replace"))


class OutsideVault(OSError):
    """A file of the vault that is a link out of it: never read."""


MAX_SETTINGS_BYTES = 1024 * 1024


def vault_file(root: Path, relative: str) -> bytes:
    """The bytes of a settings file of the vault (`netzwerk.toml`, `.obsidian/*.json`): only a
    regular file of at most 1 MiB whose real location is inside the vault (OutsideVault for a
    link out of it); FileNotFoundError when there is none."""
    path = root / relative
    if not os.path.lexists(path):
        raise FileNotFoundError(relative)
    if not inside(path, root):
        raise OutsideVault(relative)
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, "is a directory")
    return read_regular(path, MAX_SETTINGS_BYTES)


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _line_of(source: str, *needles: str) -> int | None:
    """The first line that opens the `[table` or sets the key (tomllib keeps no positions);
    `[table].key` is the key's line in that table, else the table's."""
    for needle in needles:
        table, dot, key = needle.partition("].")
        if needle.startswith("[") and dot:
            start = _line_of(source, table)
            if start is not None:
                for number, line in enumerate(source.splitlines()[start:], start + 1):
                    if line.strip().startswith("["):
                        break
                    if re.match(rf"""(["']?){re.escape(key)}\1\s*=""", line.strip()):
                        return number
                return start
    for number, line in enumerate(source.splitlines(), 1):
        stripped = line.strip()
        for needle in needles:
            if needle.startswith("["):
                if stripped.startswith(needle):
                    return number
            # The whole key: `contacts = …` must not be found for `contact = …`.
            elif re.match(rf"""(["']?){re.escape(needle)}\1\s*=""", stripped):
                return number
    return None


_KNOWN_SETTINGS = (
    "contacts",
    "contacts_where",
    "exclude",
    "journal",
    "journal_format",
    "interactions",
    "log_headings",
    "connection_headings",
    "digest_dir",
    "templates",
    "week_start",
    "default_tiers",
    "phone_region",
    "tiers",
    "keys",
    "trips",
    "week_budget",
    "greetings",
)


def _build(root: Path, data: dict[str, object], source: str) -> tuple[Config, list[Problem]]:
    problems: list[Problem] = []

    def bad(setting: str, message: str, *needles: str) -> None:
        line = _line_of(source, *(needles or (setting,)))
        problems.append(error(CONFIG_FILE, line, "NW402", message))

    def texts(setting: str, default: tuple[str, ...], what: str) -> tuple[str, ...]:
        value = data.get(setting)
        if value is None:
            return default
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            bad(setting, f"{setting} must be a list of {what}")
            return default
        return tuple(v.strip() for v in value)

    def folders(setting: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = data.get(setting)
        if value is None:
            return default
        if isinstance(value, list):  # "" (like ".") is the vault itself
            data[setting] = value = [v if v != "" else "." for v in value]
        found = texts(setting, default, "folder names")
        if not found and setting == "contacts" and value == []:
            return ()  # people are found by `contacts_where` alone
        cleaned = tuple(_clean_folder(v) for v in found)
        for original, folder in zip(found, cleaned, strict=True):
            if folder is None:
                bad(setting, f"{setting}: folder {original!r} is not a visible folder of the vault")
        return tuple(f for f in cleaned if f is not None)

    def folder(setting: str, default: str) -> str:
        value = data.get(setting)
        if value is None:
            return default
        if not isinstance(value, str) or _clean_folder(value) is None:
            bad(setting, f"{setting} must be a visible folder of the vault (not a hidden one)")
            return default
        return _clean_folder(value) or default

    for key in data:
        if key not in _KNOWN_SETTINGS:
            bad(key, f"unknown setting {key!r}{did_you_mean(key, _KNOWN_SETTINGS)}")

    week_start = 0
    raw_week = data.get("week_start")
    if raw_week is not None:
        if isinstance(raw_week, str) and raw_week.lower() in WEEKDAYS:
            week_start = WEEKDAYS.index(raw_week.lower())
        else:
            bad("week_start", f"week_start must be a weekday name, not {_toml(raw_week)}")

    journal, journal_format = ("Daily",), DEFAULT_JOURNAL_FORMAT
    if "journal" not in data:  # where Obsidian keeps its daily notes
        found = obsidian_daily_notes(root)
        if isinstance(found, Problem):
            problems.append(found)
        elif found is not None:
            journal, journal_format = (found[0],), found[1]
    journal_format = _format(data.get("journal_format"), journal_format, bad)

    contacts = folders("contacts", ("People",))
    rules = _rules(texts("contacts_where", (), 'rules like "type = person"'), bad)
    if not contacts and not rules:
        bad("contacts", "contacts must name a folder, or contacts_where a rule")
        contacts = ("People",)
    tiers = _tiers(data.get("tiers"), data.get("default_tiers", True), bad)
    config = Config(
        root=root,
        contacts=contacts,
        contacts_where=rules,
        exclude=tuple(  # the defaults and the vault's own
            dict.fromkeys(DEFAULT_EXCLUDE + texts("exclude", (), "file name patterns"))
        ),
        journal=folders("journal", journal) if "journal" in data else journal,
        journal_format=journal_format,
        interactions=tuple(
            k.casefold() for k in texts("interactions", DEFAULT_INTERACTIONS, "keys")
        ),
        log_headings=texts("log_headings", ("Log",), "headings"),
        connection_headings=texts(
            "connection_headings", ("People", "Related", "Relationships"), "headings"
        ),
        phone_region=_phone_region(data.get("phone_region"), bad),
        digest_dir=folder("digest_dir", "Digests"),
        templates=folder("templates", "Templates/netzwerk"),
        template_folders=obsidian_templates(root),
        week_start=week_start,
        tiers=tiers,
        keys=MappingProxyType(_keys(data.get("keys"), bad)),
        trips=folders("trips", ("Trips",)),
        week_budget=_budget(data.get("week_budget"), bad),
        greetings=_season(data.get("greetings"), tiers, bad),
    )
    return config, problems


def _phone_region(raw: object, bad: _Bad) -> str | None:
    """A region code phonenumbers knows (`DE`, `GB`), upper-cased."""
    if raw is None:
        return None
    if isinstance(raw, str) and re.fullmatch(r"[A-Za-z]{2}", raw.strip()):
        code = raw.strip().upper()
        if _region_known(code):
            return code
    bad(
        "phone_region",
        f'phone_region must be a two-letter country code such as "DE" or "GB", not {_toml(raw)}',
    )
    return None


def _region_known(code: str) -> bool:
    """Whether the phonenumbers library has metadata for `code`, found without importing it
    (which costs every command 25 ms): its `data/region_XX.py` files."""
    import importlib.util

    spec = importlib.util.find_spec("phonenumbers")
    if spec is None or not spec.submodule_search_locations:
        return True  # not installed: import says so; the setting itself looks right
    return any(
        (Path(folder) / "data" / f"region_{code}.py").is_file()
        for folder in spec.submodule_search_locations
    )


def _toml(value: object) -> str:
    """A setting's value in a message, much as TOML writes it: `true`, `2026-12-01`,
    `["monday", true]`, `{a = 1}`; text quoted (`'ten'`), as other messages quote it."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _budget(raw: object, bad: _Bad) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        bad(
            "week_budget",
            f"week_budget must be a whole number of people, at least 1, not {_toml(raw)}",
        )
        return None
    return raw


def _season(raw: object, tiers: tuple[Tier, ...], bad: _Bad) -> Season | None:
    """`greetings = false`, or a table: `from`, `until` ("MM-DD") and `tiers`; without `tiers`,
    the Top 100, or where there is none, the most distant scheduled tier (the longest
    cadence)."""
    found = _season_set(raw, tiers, bad)
    if found is None or (isinstance(raw, dict) and "tiers" in raw):
        return found
    if any(tier.name in found.tiers for tier in tiers):
        return found
    scheduled = [t for t in tiers if not t.cadence.never and t.name != TARGET]
    if not scheduled:
        return found
    distant = max(scheduled, key=lambda t: t.cadence.approx_days() or 0)
    return found._replace(tiers=(distant.name,))


def _season_set(raw: object, tiers: tuple[Tier, ...], bad: _Bad) -> Season | None:
    """The Season `netzwerk.toml` sets, the default filling its gaps."""
    if raw is None:
        return DEFAULT_SEASON
    if raw is False:
        return None
    if not isinstance(raw, dict):
        bad(
            "greetings",
            'greetings must be a table (from = "12-01", until = "01-06", tiers = ["100"]) or false',
            "[greetings",
            "greetings",
        )
        return DEFAULT_SEASON
    found = DEFAULT_SEASON
    for key in raw:
        if key not in ("from", "until", "tiers"):
            hint = did_you_mean(str(key), ("from", "until", "tiers"))
            bad("greetings", f"greetings: unknown setting {key!r}{hint}", f"[greetings].{key}")
    days: dict[str, tuple[int, int]] = {"from": found.start, "until": found.end}
    for key in days:
        if key not in raw:
            continue
        day = _month_day(raw[key])
        if day is None:
            message = f'greetings: {key} must be a day like "12-01" (MM-DD), not {_toml(raw[key])}'
            bad("greetings", message, f"[greetings].{key}")
        else:
            days[key] = day
    found = found._replace(start=days["from"], end=days["until"])
    if "tiers" in raw:
        names = raw["tiers"]
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not all(
            isinstance(n, str | int) and not isinstance(n, bool) for n in names
        ):
            bad("greetings", "greetings: tiers must be a list of tier names", "[greetings].tiers")
        else:
            known = [t.name for t in tiers]
            chosen = []
            for name in map(str, names):
                tier = next(
                    (
                        t
                        for t in tiers
                        if name.casefold() in (t.name.casefold(), t.label.casefold())
                    ),
                    None,
                )
                if tier is None:
                    hint = did_you_mean(name, [*known, *(t.label for t in tiers)])
                    bad(
                        "greetings",
                        f"greetings: unknown tier {name!r}{hint} (tiers: {', '.join(known)})",
                        "[greetings].tiers",
                    )
                else:
                    chosen.append(tier.name)
            found = found._replace(tiers=tuple(dict.fromkeys(chosen)))
    return found


def _month_day(value: object) -> tuple[int, int] | None:
    """`"12-01"` (also `--12-01`) -> (12, 1); None for anything else."""
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"(?:--)?(\d{1,2})-(\d{1,2})", value.strip())
    if match is None:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    try:
        date(2000, month, day)  # a leap year: 02-29 is a day
    except ValueError:
        return None
    return month, day


def _clean_folder(value: str) -> str | None:
    """A folder inside the vault, `/`-separated; "" for the vault itself; None for elsewhere
    and for a hidden folder (`.git`, `.obsidian`: netzwerk neither reads nor writes there)."""
    if "\x00" in value or value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
        return None
    parts = [p for p in value.replace("\\", "/").split("/") if p not in ("", ".")]
    if any(part.startswith(".") for part in parts):  # `..`, or a hidden folder such as .git
        return None
    return "/".join(parts)


_RULE = re.compile(r"^\s*([^=]+?)\s*=\s*(.+?)\s*$")


def _rules(written: tuple[str, ...], bad: _Bad) -> tuple[Rule, ...]:
    rules = []
    for text in written:
        match = _RULE.match(text)
        if match is None:
            bad("contacts_where", f'contacts_where: {text!r} is no rule like "type = person"')
            continue
        key, value = match.groups()
        if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        rules.append(Rule(key.strip().casefold(), rule_value(value), value.strip()))
    return tuple(rules)


# moment.js tokens netzwerk understands in a daily note's file name.
FORMAT_TOKENS = ("YYYY", "YY", "MMMM", "MMM", "MM", "M", "DDDD", "DD", "Do", "D", "dddd", "ddd")


def _format(raw: object, default: str, bad: _Bad) -> str:
    if raw is None:
        return default
    if not isinstance(raw, str) or not valid_format(raw):
        bad("journal_format", "journal_format must be a date format like YYYY-MM-DD")
        return default
    return raw


def valid_format(text: str) -> bool:
    """Whether a moment.js date format names a year, a month and a day, and no folder above."""
    plain = re.sub(r"\[[^\]]*\]", "", text)
    return (
        bool(text.strip())
        and "YY" in plain
        and "M" in plain
        and ("D" in plain)
        and ".." not in text.split("/")
        and not text.startswith("/")
    )


def obsidian_daily_notes(root: Path) -> tuple[str, str] | Problem | None:
    """The folder ("" for the vault itself) and file-name format of Obsidian's daily notes,
    from the Periodic Notes plugin's settings, else the Daily notes plugin's; None without
    either. Read from the vault, so checked like netzwerk.toml: a folder outside the vault is
    a problem."""
    sources = (
        (".obsidian/plugins/periodic-notes/data.json", ("daily",)),
        (".obsidian/daily-notes.json", ()),
    )
    for relative, path in sources:
        try:
            data = json.loads(vault_file(root, relative).decode("utf-8"))
            for step in path:
                data = data.get(step) if isinstance(data, dict) else None
        except (OSError, ValueError, RecursionError):
            continue
        if not isinstance(data, dict) or data.get("enabled") is False:
            continue
        folder = data.get("folder", "")
        fmt = data.get("format") or DEFAULT_JOURNAL_FORMAT
        if not isinstance(folder, str) or not isinstance(fmt, str):
            continue
        cleaned = _clean_folder(folder)
        if cleaned is None or not valid_format(fmt):
            message = f"daily notes in {folder!r} named {fmt!r} are not inside this vault"
            return error(relative, None, "NW402", message)
        return cleaned, fmt
    return None


def obsidian_templates(root: Path) -> tuple[str, ...]:
    """The folders Obsidian's Templates and the Templater plugin keep their templates in (the
    ones inside the vault)."""
    found = []
    for relative, key in (
        (".obsidian/templates.json", "folder"),
        (".obsidian/plugins/templater-obsidian/data.json", "templates_folder"),
    ):
        try:
            data = json.loads(vault_file(root, relative).decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            continue
        folder = data.get(key) if isinstance(data, dict) else None
        cleaned = _clean_folder(folder) if isinstance(folder, str) else None
        if cleaned:
            found.append(cleaned)
    return tuple(dict.fromkeys(found))


def _tiers(raw: object, defaults: object, bad: _Bad) -> tuple[Tier, ...]:
    """The default tiers, changed, removed (`100 = false`) or added to by `[tiers.NAME]`
    tables; none of the defaults with `default_tiers = false`."""
    if not isinstance(defaults, bool):
        bad("default_tiers", "default_tiers must be true or false")
        defaults = True
    tiers: dict[str, Tier] = {t.name: t for t in DEFAULT_TIERS} if defaults else {}
    if raw is None:
        return tuple(tiers.values())
    if not isinstance(raw, dict):
        bad(
            "tiers", "tiers must be a table of tiers ([tiers.10], [tiers.50], …)", "[tiers", "tiers"
        )
        return tuple(tiers.values())
    for name, spec in raw.items():
        needle = f"[tiers.{name}]"
        if spec is False:
            tiers.pop(str(name), None)  # `100 = false`: no such tier
            continue
        if not isinstance(spec, dict):
            bad("tiers", f"tier {name!r} must be a table with label, cadence and capacity", needle)
            continue
        old = tiers.get(str(name))
        label = spec.get("label", old.label if old else str(name))
        if not isinstance(label, str) or not label.strip():
            bad("tiers", f"tier {name!r}: label must be text", f"{needle}.label")
            label = str(name)
        cadence = old.cadence if old else None
        if "cadence" in spec:
            written = spec["cadence"]
            if isinstance(written, int) and not isinstance(written, bool):
                written = str(written)
            cadence = Duration.parse(written) if isinstance(written, str) else None
            if cadence is None:
                bad(
                    "tiers",
                    f"tier {name!r}: cadence is not a duration: {_toml(spec['cadence'])}; "
                    + DURATION_HINT,
                    f"{needle}.cadence",
                )
        if cadence is None:
            if "cadence" not in spec:
                bad("tiers", f"tier {name!r} needs a cadence; {DURATION_HINT}", needle)
            cadence = Duration(0, "never")
        capacity = spec.get("capacity", old.capacity if old else None)
        if capacity is not None and (
            not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0
        ):
            bad("tiers", f"tier {name!r}: capacity must be a whole number", f"{needle}.capacity")
            capacity = None
        for key in spec:
            if key not in ("label", "cadence", "capacity"):
                bad("tiers", f"tier {name!r}: unknown setting {key!r}", f"{needle}.{key}")
        if str(name) == TARGET and not cadence.never:
            message = (
                f"tier {TARGET!r} is the people you want to meet, never due: it takes no cadence"
            )
            bad("tiers", message, f"{needle}.cadence")
            cadence = NEVER
        tiers[str(name)] = Tier(str(name), label.strip(), cadence, capacity)
    return tuple(tiers.values())


def _keys(raw: object, bad: _Bad) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        bad(
            "keys",
            "keys must be a table mapping netzwerk's keys to property names",
            "[keys]",
            "keys",
        )
        return {}
    mapping: dict[str, str] = {}
    for key, name in raw.items():
        if key not in KEYS:
            bad("keys", f"[keys]: unknown key {key!r}{did_you_mean(key, KEYS)}", key)
        elif not is_property_name(name):
            text = "must name a property, without a line break or control character"
            bad("keys", f"[keys]: {key} {text}", key)
        else:
            mapping[key] = name.strip()
    # A property read as two keys would be written as either: the one would overwrite the other.
    owners: dict[str, str] = {}
    for key in KEYS:
        prop = mapping.get(key, key).casefold()
        if prop in owners:
            first = owners[prop]
            mapped = key if key in mapping else first
            bad(
                "keys",
                f"[keys]: {first} and {key} would both be read from and written to "
                f"{mapping.get(mapped, mapped)!r}; map them to different properties",
                mapped,
            )
            mapping.pop(mapped, None)
        else:
            owners[prop] = key
    return mapping
