"""netzwerk.scan, netzwerk.vault and the index: which files are notes, and a cache that reads
only what changed and never gives a stale or wrong answer."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from netzwerk import notes
from netzwerk import scan as scan_mod
from netzwerk import vault as vault_mod
from netzwerk.config import Config, load_config
from netzwerk.model import Snapshot
from netzwerk.problems import Problem
from netzwerk.store import index as index_mod
from netzwerk.store import results

WriteVault = Callable[..., Path]

FILES: dict[str, str | bytes] = {
    "People/Marie Dupont.md": (
        "---\ntier: 50\nlast_contact: 2026-09-14\naliases: [Marie D.]\n"
        'knows:\n  - "[[Paul Martin]]"\n---\n# Marie\n## Log\n- 2026-09-14 call: venue in Nice\n'
    ),
    "People/Paul Martin.md": "---\ntier: 10\ncompany: Atelier\n---\n",
    "People/Work/Anna Berg.md": "---\ntier: 100\nlast_contact: 2026-02-30\n---\n",
    "Daily/2026-11-20.md": "- [x] lunch with [[Marie D.]]\n",
    "Daily/2026/2026-11-21.md": "- [ ] call [[Paul Martin]]\n",
}


def config_of(root: Path) -> Config:
    config, problems = load_config(root)
    assert problems == []
    return config


class Stats(NamedTuple):
    files: int
    parsed: int
    removed: int


class Loaded(NamedTuple):
    snapshot: Snapshot
    problems: list[Problem]
    stats: Stats


def load(config: Config, **options: Any) -> Loaded:
    """The vault scanned and read through the index, with what the load did."""
    scanned = scan_mod.scan(config)
    loaded = vault_mod.load(config, scanned, **options)
    stats = Stats(len(scanned.files), loaded.read, loaded.removed)
    return Loaded(loaded.snapshot, loaded.problems, stats)


def summary(loaded: Loaded) -> object:
    """Everything a load gives, including what Contact's equality leaves out."""
    snapshot = loaded.snapshot
    extras = [(c.path, c.lines, c.extra) for c in snapshot.contacts]
    return snapshot, extras, sorted(p.format() for p in loaded.problems)


@pytest.fixture
def root(tmp_path: Path, write_vault: WriteVault) -> Path:
    return write_vault(tmp_path / "vault", FILES)


@pytest.fixture
def parse_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths netzwerk.notes parses, in order."""
    calls: list[str] = []
    real = notes.read_note

    def counting(path: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(notes, "read_note", counting)
    return calls


def set_old_mtime(path: Path, seconds_ago: float = 7200) -> None:
    stamp = path.stat().st_mtime - seconds_ago
    os.utime(path, (stamp, stamp))


# ------------------------------------------------------------------ which files are notes


def test_contacts_and_journal_notes_are_found_in_their_folders(
    tmp_path: Path, write_vault: WriteVault
) -> None:
    root = write_vault(
        tmp_path,
        {
            **FILES,
            "Ideas.md": "---\ntier: 10\n---\n",
            "Projects/Marie Dupont plan.md": "[[Marie Dupont]]\n",
            "People/photo.png": b"\x89PNG",
            "People/notes.txt": "---\ntier: 10\n---\n",
            "People/.hidden.md": "---\ntier: 10\n---\n",
            "People/_template.md": "---\ntier:\n---\n",
            "People/Draft.md": "---\ntier: 10\n---\n# {{title}}\n",
            "People/Templater.md": "<% tp.file.title %>\n",
            "Daily/Weekly plan.md": "[[Paul Martin]]\n",
        },
    )
    loaded = load(config_of(root))
    snapshot = loaded.snapshot
    assert [c.path for c in snapshot.contacts] == [
        "People/Work/Anna Berg.md",
        "People/Marie Dupont.md",
        "People/Paul Martin.md",
    ]
    assert [(str(j.date), j.path) for j in snapshot.journals] == [
        ("2026-11-20", "Daily/2026-11-20.md"),
        ("2026-11-21", "Daily/2026/2026-11-21.md"),
    ]
    # Other notes' problems are not netzwerk's to report; a contact or journal folder's are.
    assert [p.format() for p in loaded.problems] == [
        "Daily/Weekly plan.md: warning: a note in the journal folder without a date: its name "
        "does not fit YYYY-MM-DD and it has no date property [NW215]",
        "People/Draft.md:4: warning: an unrendered template ({{title}}); not read until it is "
        "filled in [NW111]",
        "People/Templater.md:1: warning: an unrendered template (<% tp.file.title %>); not read "
        "until it is filled in [NW111]",
        "People/Work/Anna Berg.md:3: error: last_contact is not a date: '2026-02-30'; "
        "write YYYY-MM-DD [NW203]",
    ]


def test_the_templates_folder_is_never_scanned(tmp_path: Path, write_vault: WriteVault) -> None:
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": 'contacts = ["People"]\ntemplates = "People/Templates"\n',
            "People/Ann.md": "---\ntier: 10\n---\n",
            "People/Templates/contact.md": "---\ntier: 5O\n---\n",
            "People/Templates/digest.md.j2": "{{ x }}\n",
        },
    )
    loaded = load(config_of(root))
    assert [c.name for c in loaded.snapshot.contacts] == ["Ann"]
    assert loaded.problems == []


def test_the_digest_folder_inside_a_contact_folder_is_not_contacts(
    tmp_path: Path, write_vault: WriteVault
) -> None:
    root = write_vault(
        tmp_path,
        {
            "netzwerk.toml": 'digest_dir = "People/Digests"\n',
            "People/Ann.md": "---\ntier: 10\n---\n",
            "People/Digests/2026-W48.md": "- [ ] [[Ann]] · Top 10\n",
        },
    )
    assert [c.name for c in load(config_of(root)).snapshot.contacts] == ["Ann"]


def test_contacts_are_sorted_by_name_ignoring_case_and_accents(
    tmp_path: Path, write_vault: WriteVault
) -> None:
    root = write_vault(
        tmp_path,
        {f"People/{n}.md": "---\ntier: 10\n---\n" for n in ("zoe", "Émile", "anna", "Bob", "Élan")},
    )
    names = [c.name for c in load(config_of(root)).snapshot.contacts]
    assert names == ["anna", "Bob", "Élan", "Émile", "zoe"]


# ------------------------------------------------------------------ the index


@pytest.mark.parametrize("batch", [2, vault_mod._BATCH], ids=["in batches", "at once"])
def test_a_second_run_on_an_unchanged_vault_reads_no_note(
    root: Path, parse_calls: list[str], batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vault_mod, "_BATCH", batch)  # (how many notes go to the index at once)
    config = config_of(root)
    first = load(config)
    assert (first.stats.files, first.stats.parsed) == (5, 5)
    assert sorted(parse_calls) == sorted(FILES)
    parse_calls.clear()
    second = load(config)
    assert (second.stats.files, second.stats.parsed, second.stats.removed) == (5, 0, 0)
    assert parse_calls == []
    assert summary(second) == summary(first)


def test_the_index_command_reports_what_it_read(root: Path, run: Callable[..., Any]) -> None:
    assert run("index", str(root)).stdout == "5 notes: 5 read, 0 from the cache\n"
    assert run("index", str(root)).stdout == "5 notes: 0 read, 5 from the cache\n"
    (root / "People/Paul Martin.md").unlink()
    assert run("index", str(root)).stdout == "4 notes: 0 read, 4 from the cache, 1 forgotten\n"
    assert run("index", "--rebuild", str(root)).stdout == "4 notes: 4 read, 0 from the cache\n"


@pytest.mark.parametrize("change", ["size", "mtime"])
def test_an_edited_note_is_read_again_alone(
    root: Path, parse_calls: list[str], change: str
) -> None:
    config = config_of(root)
    load(config)
    parse_calls.clear()
    note = root / "People/Paul Martin.md"
    if change == "size":
        note.write_text("---\ntier: 50\ncompany: Atelier\n---\n", encoding="utf-8")
    else:  # same size, other bytes, another (old) mtime
        note.write_text("---\ntier: 50\ncompany: Atelyer\n---\n", encoding="utf-8")
        note.write_text("---\ntier: 10\ncompany: Atelyer\n---\n", encoding="utf-8")
    set_old_mtime(note, 600)
    loaded = load(config)
    assert (loaded.stats.parsed, parse_calls) == (1, ["People/Paul Martin.md"])
    paul = loaded.snapshot.resolve("Paul Martin")
    assert paul is not None
    assert (paul.tier, paul.company) == (
        ("50", "Atelier") if change == "size" else ("10", "Atelyer")
    )


def test_a_note_rewritten_within_the_same_timestamp_is_not_missed(
    tmp_path: Path, write_vault: WriteVault
) -> None:
    # Written just now: the index does not trust its mtime and reads it again next time.
    root = write_vault(tmp_path, {"People/Ann.md": "---\ntier: 10\n---\n"}, age=0)
    config = config_of(root)
    note = root / "People/Ann.md"
    stamp = note.stat().st_mtime_ns
    assert load(config).snapshot.contacts[0].tier == "10"
    note.write_text("---\ntier: 50\n---\n", encoding="utf-8")  # same size
    os.utime(note, ns=(stamp, stamp))  # and the same mtime
    loaded = load(config)
    assert (loaded.stats.parsed, loaded.snapshot.contacts[0].tier) == (1, "50")


def test_deleted_and_renamed_files_are_noticed(root: Path, parse_calls: list[str]) -> None:
    config = config_of(root)
    load(config)
    parse_calls.clear()
    (root / "People/Work/Anna Berg.md").unlink()
    (root / "People/Paul Martin.md").rename(root / "People/Paul Marten.md")
    (root / "Daily/2026-11-20.md").unlink()
    loaded = load(config)
    assert (loaded.stats.files, loaded.stats.parsed, loaded.stats.removed) == (3, 1, 3)
    assert parse_calls == ["People/Paul Marten.md"]
    assert [c.name for c in loaded.snapshot.contacts] == ["Marie Dupont", "Paul Marten"]
    assert [j.path for j in loaded.snapshot.journals] == ["Daily/2026/2026-11-21.md"]
    assert loaded.problems == []  # Anna's problem went with her note
    again = load(config)
    assert (again.stats.parsed, again.stats.removed) == (0, 0)


def damage_file(path: Path) -> None:
    path.write_bytes(b"\x00garbage, not SQLite\xff" * 100)


def damage_rows(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE notes SET data = ?", (b"\x00not marshal",))
    db.close()


def delete_cache(path: Path) -> None:
    for file in path.parent.iterdir():
        file.unlink()
    path.parent.rmdir()


@pytest.mark.parametrize("damage", [delete_cache, damage_file, damage_rows])
def test_a_missing_or_corrupt_index_is_rebuilt_silently(
    root: Path, damage: Callable[[Path], None]
) -> None:
    config = config_of(root)
    first = load(config)
    db = root / ".netzwerk" / index_mod.DB_NAME
    assert db.is_file()
    damage(db)
    rebuilt = load(config)
    assert rebuilt.stats.parsed == 5
    assert summary(rebuilt) == summary(first)
    assert load(config).stats.parsed == 0  # and the new index works


def test_an_index_of_another_version_is_rebuilt(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_of(root)
    monkeypatch.setattr(index_mod, "VERSION", "0-older")
    first = load(config)
    assert load(config).stats.parsed == 0
    monkeypatch.undo()
    rebuilt = load(config)
    assert rebuilt.stats.parsed == 5
    assert summary(rebuilt) == summary(first)


def test_the_check_command_survives_a_corrupt_index(root: Path, run: Callable[..., Any]) -> None:
    expected = run("check", str(root))
    damage_file(root / ".netzwerk" / index_mod.DB_NAME)
    again = run("check", str(root))
    assert (again.exit_code, again.stdout, again.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    )
    assert again.stdout.startswith("People/Work/Anna Berg.md:3: error: last_contact")


def test_changing_the_folders_in_netzwerk_toml_invalidates_the_index(
    root: Path, parse_calls: list[str]
) -> None:
    load(config_of(root))
    (root / "netzwerk.toml").write_text('contacts = ["People/Work"]\n', encoding="utf-8")
    parse_calls.clear()
    loaded = load(config_of(root))
    assert [c.name for c in loaded.snapshot.contacts] == ["Anna Berg"]
    # Every note is read again: what a note is depends on the folders (and on contacts_where).
    assert sorted(parse_calls) == [
        "Daily/2026-11-20.md",
        "Daily/2026/2026-11-21.md",
        "People/Marie Dupont.md",
        "People/Paul Martin.md",
        "People/Work/Anna Berg.md",
    ]
    (root / "netzwerk.toml").write_text('contacts = ["People"]\njournal = []\n', encoding="utf-8")
    loaded = load(config_of(root))
    assert (loaded.stats.parsed, len(loaded.snapshot.contacts), loaded.snapshot.journals) == (
        5,
        3,
        (),
    )


def test_changing_the_keys_mapping_invalidates_the_index(root: Path) -> None:
    load(config_of(root))
    (root / "netzwerk.toml").write_text('[keys]\ncompany = "employer"\n', encoding="utf-8")
    loaded = load(config_of(root))
    paul = loaded.snapshot.resolve("Paul Martin")
    assert paul is not None
    assert (loaded.stats.parsed, paul.company, paul.extra) == (5, None, {"company": "Atelier"})


def test_a_read_only_vault_works_without_a_cache(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = summary(load(config_of(root)))
    delete_cache(root / ".netzwerk" / index_mod.DB_NAME)

    def no_cache(self: Any) -> Any:
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(index_mod.Index, "_rows", no_cache)
    loaded = load(config_of(root))
    assert (loaded.stats.parsed, summary(loaded)) == (5, expected)


def test_odd_entries_in_a_contact_folder(tmp_path: Path, write_vault: WriteVault) -> None:
    root = write_vault(
        tmp_path,
        {**FILES, "People/photo.png": b"\x89PNG", "People/Folder.md/Inside.md": "---\n---\n"},
    )
    os.symlink("Nowhere.md", root / "People/Gone.md")  # a link to nothing
    os.symlink("Loop.md", root / "People/Loop.md")  # a link to itself
    os.symlink("Marie Dupont.md", root / "People/Marie.md")  # a link to a note
    os.mkfifo(root / "People/Pipe.md")  # not a regular file: never opened, but reported
    files, problems, *_ = scan_mod.scan(config_of(root))
    paths = [f.path for f in files]
    assert "People/Marie.md" in paths
    assert "People/Pipe.md" not in paths
    assert {p.code for p in problems} == {"NW102", "NW108", "NW109", "NW114"}
    assert [p.path for p in problems if p.code == "NW114"] == ["People/Pipe.md"]
    assert all(f.size > 0 and f.mtime_ns > 0 for f in files)


def test_a_result_key_changes_with_any_note_and_only_then(root: Path) -> None:
    config = config_of(root)
    scanned = scan_mod.scan(config)
    key = results.result_key(config, scanned, "digest")
    assert key is not None
    assert results.result_key(config, scanned, "digest") == key
    assert results.result_key(config, scanned, "due") != key
    note = root / "People/Paul Martin.md"
    note.write_text("---\ntier: 10\ncompany: Atelyer\n---\n", encoding="utf-8")  # same size
    set_old_mtime(note, 600)
    rescanned = scan_mod.scan(config)
    assert results.result_key(config, rescanned, "digest") not in (None, key)
    assert results.result_key(config, scanned, "digest") == key


def test_a_result_key_is_none_while_a_file_may_still_change(root: Path) -> None:
    config = config_of(root)
    (root / "People/Paul Martin.md").write_text("---\ntier: 50\n---\n", encoding="utf-8")
    assert results.result_key(config, scan_mod.scan(config), "digest") is None


def test_a_rebuilt_index_keeps_no_result(root: Path, run: Callable[..., Any]) -> None:
    cache = root / ".netzwerk"
    results.put(cache, "digest:x", b"text")
    assert results.get(cache, "digest:x") == b"text"
    run("index", "--rebuild", str(root))
    assert results.get(cache, "digest:x") is None


def test_the_kept_results_are_the_newest_few(root: Path) -> None:
    """The cache does not grow with every edit: beyond results.KEPT the oldest go, however
    large, in a cache made before the order of results was indexed too."""
    import sqlite3

    cache = root / ".netzwerk"
    cache.mkdir(exist_ok=True)
    db = sqlite3.connect(cache / results.DB_NAME)
    db.execute(  # (a cache as an earlier netzwerk made it)
        "CREATE TABLE results (key TEXT PRIMARY KEY, value BLOB NOT NULL, stamp INTEGER NOT NULL)"
    )
    db.execute("INSERT INTO results VALUES ('old', ?, 0)", (b"x" * 300_000,))
    db.commit()
    db.close()
    for n in range(results.KEPT + 3):
        results.put(cache, f"r{n}", b"y" * (200_000 if n % 2 else 10))
    kept = [n for n in range(results.KEPT + 3) if results.get(cache, f"r{n}") is not None]
    assert kept == list(range(3, results.KEPT + 3))
    assert results.get(cache, "old") is None
    assert results.get(cache, f"r{results.KEPT + 2}") == b"y" * 10
