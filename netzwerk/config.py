"""netzwerk.toml -> Config. Every setting has a default here."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from netzwerk.model import KNOWN_KEYS, Duration, Tier
from netzwerk.problems import Problem, error
from netzwerk.text import did_you_mean

CONFIG_FILE = "netzwerk.toml"
CACHE_DIR = ".netzwerk"

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# netzwerk's own property names; `[keys]` maps them to a vault's names.
KEYS = KNOWN_KEYS

DEFAULT_TIERS = (
    Tier("10", "Top 10", Duration(3, "w"), 10),
    Tier("50", "Top 50", Duration(2, "m"), 50),
    Tier("100", "Top 100", Duration(6, "m"), 100),
    Tier("reserve", "Reserve", Duration(0, "never"), None),
)


@dataclass(frozen=True)
class Config:
    """A vault's settings."""

    root: Path
    contacts: tuple[str, ...] = ("People",)
    journal: tuple[str, ...] = ("Daily",)
    digest_dir: str = "Digests"
    templates: str = "Templates/netzwerk"
    week_start: int = 0  # 0 = Monday … 6 = Sunday
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    phone_region: str | None = None  # "DE": how `import` reads numbers without a country code

    def tier(self, name: str | None) -> Tier | None:
        """The tier called `name`, if configured."""
        for tier in self.tiers:
            if tier.name == name:
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

    def fingerprint(self) -> str:
        """What the index depends on: a changed setting invalidates cached parses."""
        parts = [",".join(self.contacts), ",".join(self.journal), self.templates]
        parts += [f"{k}={v}" for k, v in sorted(self.keys.items())]
        return "|".join(parts)


def find_vault(explicit: str | None, cwd: Path) -> Path:
    """--vault, else NETZWERK_VAULT, else the nearest netzwerk.toml upward, else cwd."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("NETZWERK_VAULT")
    if env:
        return Path(env).expanduser().resolve()
    here = cwd.resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return here


_Bad = Callable[..., None]

_TOML_LINE = re.compile(r"at line (\d+)")


def load_config(root: Path) -> tuple[Config, list[Problem]]:
    """Read `root/netzwerk.toml`; problems are returned, defaults fill the gaps."""
    path = root / CONFIG_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(root=root), []
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
    return _build(root, data, raw.decode("utf-8-sig", errors="replace"))


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _line_of(source: str, *needles: str) -> int | None:
    """The first line that opens the `[table` or sets the key (tomllib keeps no positions)."""
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
    "journal",
    "digest_dir",
    "templates",
    "week_start",
    "phone_region",
    "tiers",
    "keys",
)


def _build(root: Path, data: dict[str, object], source: str) -> tuple[Config, list[Problem]]:
    problems: list[Problem] = []

    def bad(setting: str, message: str, *needles: str) -> None:
        line = _line_of(source, *(needles or (setting,)))
        problems.append(error(CONFIG_FILE, line, "NW402", message))

    def folders(setting: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = data.get(setting)
        if value is None:
            return default
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            bad(setting, f"{setting} must be a list of folder names")
            return default
        if not value:
            if setting == "contacts":  # every command that adds a contact needs a folder
                bad(setting, "contacts must name at least one folder")
                return default
            return ()  # `journal = []`: no journal, not the default one
        cleaned = tuple(_clean_folder(v) for v in value)
        for original, folder in zip(value, cleaned, strict=True):
            if folder is None:
                bad(setting, f"{setting}: folder {original!r} is not inside the vault")
        return tuple(f for f in cleaned if f is not None) or default

    def folder(setting: str, default: str) -> str:
        value = data.get(setting)
        if value is None:
            return default
        if not isinstance(value, str) or _clean_folder(value) is None:
            bad(setting, f"{setting} must be a folder inside the vault")
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
            bad("week_start", f"week_start must be a weekday name, not {raw_week!r}")

    config = Config(
        root=root,
        phone_region=_phone_region(data.get("phone_region"), bad),
        contacts=folders("contacts", ("People",)),
        journal=folders("journal", ("Daily",)),
        digest_dir=folder("digest_dir", "Digests"),
        templates=folder("templates", "Templates/netzwerk"),
        week_start=week_start,
        tiers=_tiers(data.get("tiers"), bad),
        keys=MappingProxyType(_keys(data.get("keys"), bad)),
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
        f'phone_region must be a two-letter country code such as "DE" or "GB", not {raw!r}',
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


def _clean_folder(value: str) -> str | None:
    parts = [p for p in value.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or ".." in parts or value.startswith("/"):
        return None
    return "/".join(parts)


def _tiers(raw: object, bad: _Bad) -> tuple[Tier, ...]:
    if raw is None:
        return DEFAULT_TIERS
    if not isinstance(raw, dict) or not raw:
        bad(
            "tiers", "tiers must be a table of tiers ([tiers.10], [tiers.50], …)", "[tiers", "tiers"
        )
        return DEFAULT_TIERS
    defaults = {t.name: t for t in DEFAULT_TIERS}
    tiers: list[Tier] = []
    for name, spec in raw.items():
        needle = f"[tiers.{name}]"
        if not isinstance(spec, dict):
            bad("tiers", f"tier {name!r} must be a table with label, cadence and capacity", needle)
            continue
        default = defaults.get(name)
        label = spec.get("label", default.label if default else name)
        if not isinstance(label, str):
            bad("tiers", f"tier {name!r}: label must be text", needle)
            label = name
        cadence_raw = spec.get("cadence", str(default.cadence) if default else None)
        cadence = Duration.parse(cadence_raw) if isinstance(cadence_raw, str) else None
        if cadence is None:
            bad(
                "tiers",
                f"tier {name!r}: cadence must be a duration like 3w, 2m, 1y or never",
                needle,
            )
            cadence = Duration(0, "never")
        capacity = spec.get("capacity", default.capacity if default else None)
        if capacity is not None and (
            not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0
        ):
            bad("tiers", f"tier {name!r}: capacity must be a whole number", needle)
            capacity = None
        for key in spec:
            if key not in ("label", "cadence", "capacity"):
                bad("tiers", f"tier {name!r}: unknown setting {key!r}", needle)
        tiers.append(Tier(str(name), label, cadence, capacity))
    return tuple(tiers) or DEFAULT_TIERS


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
        elif not isinstance(name, str) or not name.strip():
            bad("keys", f"[keys]: {key} must name a property", key)
        else:
            mapping[key] = name.strip()
    return mapping
