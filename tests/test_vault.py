"""netzwerk.vault and netzwerk.index: which files are notes, and a cache that reads only what
changed and never gives a stale or wrong answer."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from netzwerk import fork, notes
from netzwerk import index as index_mod
from netzwerk import scan as scan_mod
from netzwerk import vault as vault_mod
from netzwerk.config import Config, load_config
from netzwerk.vault import Loaded, load

WriteVault = Callable[..., Path]

FILES: dict[str, str | bytes] = {
    "People/Marie Dupont.md": (
        "---\ntier: 50\nlast_contact: 2026-09-14\naliases: [Marie D.]\n"
        'knows:\n  - "[[Paul Martin]]"\n---\n# Marie\n- 2026-09-14 call: venue in Nice\n'
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
    for name in ("parse_contact", "parse_journal"):
        real = getattr(notes, name)

        def counting(path: str, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
            calls.append(path)
            return _real(path, *args, **kwargs)

        monkeypatch.setattr(notes, name, counting)
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
    assert [p.format() for p in loaded.problems] == [
        "People/Work/Anna Berg.md:3: error: last_contact is not a date: '2026-02-30'; "
        "write YYYY-MM-DD [NW203]"
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


def test_a_second_run_on_an_unchanged_vault_reads_no_note(
    root: Path, parse_calls: list[str]
) -> None:
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
        db.execute("UPDATE files SET data = ?", (b"\x00not marshal",))
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
    assert sorted(parse_calls) == [
        "Daily/2026-11-20.md",
        "Daily/2026/2026-11-21.md",
        "People/Work/Anna Berg.md",
    ]
    (root / "netzwerk.toml").write_text('contacts = ["People"]\njournal = []\n', encoding="utf-8")
    loaded = load(config_of(root))
    assert (loaded.stats.parsed, len(loaded.snapshot.contacts), loaded.snapshot.journals) == (
        3,
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


def big_vault(count: int) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for number in range(count):
        files[f"People/Person {number:03d}.md"] = (
            f"---\ntier: {(10, 50, 100)[number % 3]}\nlast_contact: 2026-{number % 12 + 1:02d}-01\n"
            f'knows:\n  - "[[Person {(number + 1) % count:03d}]]"\n---\n'
            f"- 2026-0{number % 9 + 1}-02 call: hello {number}\n"
        )
        files[f"Daily/2026-10-{number % 28 + 1:02d} {number}.md"] = (
            f"- [x] met [[Person {number:03d}]]\n"
        )
    files["People/Broken.md"] = "---\ntier: [\n---\n"
    files["People/Latin.md"] = b"---\ncompany: Caf\xe9\n---\n"
    files["People/Dup 001.md"] = "---\naliases: [Person 001]\n---\n"
    return files


def test_the_parallel_cold_parse_gives_the_same_result(
    tmp_path: Path, write_vault: WriteVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = big_vault(60)
    serial = load(config_of(write_vault(tmp_path / "serial", files)))
    forked: list[object] = []
    real_fork = vault_mod._fork_parser

    def fork(*args: Any) -> Any:
        child = real_fork(*args)
        forked.append(child)
        return child

    monkeypatch.setattr(vault_mod, "PARALLEL_MIN", 2)
    monkeypatch.setattr(vault_mod, "_fork_parser", fork)
    parallel = load(config_of(write_vault(tmp_path / "parallel", files)))
    assert forked and forked[0] is not None  # a second process took shares of the notes
    assert parallel.stats.parsed == serial.stats.parsed == 123
    assert summary(parallel) == summary(serial)
    assert len(parallel.snapshot.contacts) == 61
    assert [p.format() for p in parallel.problems] == [p.format() for p in serial.problems]


@pytest.mark.parametrize("parallel", [True, False])
def test_meanwhile_is_done_once_the_helper_is_forked_before_any_note_is_parsed(
    tmp_path: Path, write_vault: WriteVault, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    # The work a command needs later (its imports) is done while the helper begins parsing,
    # not after the notes are read; without a helper, before the notes are parsed here.
    this_process = os.getpid()
    events: list[str] = []
    real_fork, real_parse = vault_mod._fork_parser, vault_mod.parse_note

    def fork(*args: Any) -> Any:
        events.append("fork")
        return real_fork(*args)

    def parse_note(*args: Any) -> Any:
        if os.getpid() == this_process:
            events.append("parse")
        return real_parse(*args)

    monkeypatch.setattr(vault_mod, "PARALLEL_MIN", 2 if parallel else 10_000)
    monkeypatch.setattr(vault_mod, "_fork_parser", fork)
    monkeypatch.setattr(vault_mod, "parse_note", parse_note)
    config = config_of(write_vault(tmp_path, big_vault(20)))
    loaded = load(config, meanwhile=lambda: events.append("meanwhile"))
    first = ["fork", "meanwhile", "parse"] if parallel else ["meanwhile", "parse"]
    assert events[: len(first)] == first
    assert events.count("meanwhile") == 1
    assert len(loaded.snapshot.contacts) == 21  # 20, the duplicate; two cannot be read


@pytest.mark.parametrize("slow", ["this process", "the helper"])
def test_the_process_that_is_slower_parses_fewer_notes(
    tmp_path: Path, write_vault: WriteVault, monkeypatch: pytest.MonkeyPatch, slow: str
) -> None:
    # However fast each of the two runs, they share the notes as they come free: neither
    # waits with a fixed half still to parse.
    files = big_vault(40)
    serial = load(config_of(write_vault(tmp_path / "serial", files)))
    this_process = os.getpid()
    real_parse = vault_mod.parse_note

    def parse_note(*args: Any) -> Any:
        if (os.getpid() == this_process) == (slow == "this process"):
            time.sleep(0.004)
        return real_parse(*args)

    helper_parsed: list[int] = []
    real_collect = vault_mod._collect

    def collect(child: Any) -> Any:
        received = real_collect(child)
        helper_parsed.append(len(received[0]) if received else 0)
        return received

    monkeypatch.setattr(vault_mod, "PARALLEL_MIN", 2)
    monkeypatch.setattr(vault_mod, "SHARE", 1)
    monkeypatch.setattr(vault_mod, "parse_note", parse_note)
    monkeypatch.setattr(vault_mod, "_collect", collect)
    parallel = load(config_of(write_vault(tmp_path / "parallel", files)))
    assert summary(parallel) == summary(serial)
    assert [p.format() for p in parallel.problems] == [p.format() for p in serial.problems]
    count = parallel.stats.parsed
    if slow == "this process":
        assert helper_parsed[0] > count * 3 // 4
    else:
        assert helper_parsed[0] < count // 4


def test_a_failed_parallel_helper_is_done_in_process(
    tmp_path: Path, write_vault: WriteVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = big_vault(10)
    serial = load(config_of(write_vault(tmp_path / "serial", files)))
    monkeypatch.setattr(vault_mod, "PARALLEL_MIN", 2)
    real_collect = vault_mod._collect
    monkeypatch.setattr(vault_mod, "_collect", lambda child: real_collect(child) and None)
    parallel = load(config_of(write_vault(tmp_path / "parallel", files)))
    assert summary(parallel) == summary(serial)


def test_a_large_index_is_written_on_the_other_core(
    tmp_path: Path, write_vault: WriteVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = big_vault(30)
    writers = tmp_path / "writers"
    real = index_mod.Index.updating

    @contextlib.contextmanager
    def updating(self: index_mod.Index) -> Any:
        with real(self) as put:

            def logged(changed: Any, removed: Any) -> None:
                changed = list(changed)
                with writers.open("a") as log:  # from whichever process writes
                    log.write(f"{os.getpid()} {len(changed)}\n")
                put(changed, removed)

            yield logged

    monkeypatch.setattr(vault_mod, "PARALLEL_MIN", 2)
    monkeypatch.setattr(index_mod.Index, "updating", updating)
    config = config_of(write_vault(tmp_path / "vault", files))
    first = load(config)
    fork.settle("files")
    # The helper that parsed a share of the notes stored all of them: its own, then this
    # process's once it had handed them over (both shares had some).
    written = [line.split() for line in writers.read_text().splitlines()]
    assert {int(pid) for pid, _ in written} != {os.getpid()}
    assert len({pid for pid, _ in written}) == 1
    assert [int(rows) > 0 for _, rows in written] == [True, True]
    assert sum(int(rows) for _, rows in written) == 63
    # The next load waits for it and finds every note in the index.
    second = load(config)
    assert (second.stats.parsed, summary(second)) == (0, summary(first))


def test_a_failed_index_writer_costs_only_speed(
    tmp_path: Path, write_vault: WriteVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = big_vault(30)
    this_process = os.getpid()

    def dies(*args: Any) -> None:
        assert os.getpid() != this_process, "the index is written by helper processes only"
        os._exit(3)

    # Both writers die: the helper that parsed a share of the notes, and the one that stores
    # the rest.
    monkeypatch.setattr(vault_mod, "PARALLEL_MIN", 2)
    monkeypatch.setattr(index_mod.Index, "updating", dies)
    config = config_of(write_vault(tmp_path / "vault", files))
    first = load(config)
    monkeypatch.undo()
    second = load(config)
    assert (second.stats.parsed, summary(second)) == (first.stats.parsed, summary(first))


def test_a_read_only_vault_works_without_a_cache(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = summary(load(config_of(root)))
    delete_cache(root / ".netzwerk" / index_mod.DB_NAME)

    def no_cache(self: Any) -> Any:
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(index_mod.Index, "_open", no_cache)
    loaded = load(config_of(root))
    assert (loaded.stats.parsed, summary(loaded)) == (5, expected)


def test_a_scan_without_stats_finds_what_a_full_scan_finds(
    tmp_path: Path, write_vault: WriteVault
) -> None:
    # A vault without an index is scanned from the folders' listings alone; it finds the same
    # notes and the same problems with odd entries, only without sizes and mtimes.
    root = write_vault(
        tmp_path,
        {**FILES, "People/photo.png": b"\x89PNG", "People/Folder.md/Inside.md": "---\n---\n"},
    )
    os.symlink("Nowhere.md", root / "People/Gone.md")  # a link to nothing
    os.symlink("Loop.md", root / "People/Loop.md")  # a link to itself
    os.symlink("Marie Dupont.md", root / "People/Marie.md")  # a link to a note
    os.mkfifo(root / "People/Pipe.md")  # not a regular file: never read
    config = config_of(root)
    full, full_problems = scan_mod.scan(config)
    quick, quick_problems = scan_mod.scan(config, stat_files=False)
    assert [f.path for f in quick] == [f.path for f in full]
    assert "People/Marie.md" in [f.path for f in quick]
    assert "People/Pipe.md" not in [f.path for f in quick]
    assert [p.format() for p in quick_problems] == [p.format() for p in full_problems]
    assert {p.code for p in quick_problems} == {"NW102", "NW108", "NW109"}
    assert {(f.size, f.mtime_ns) for f in quick} == {(scan_mod.UNSTATTED, scan_mod.UNSTATTED)}
    assert all(f.size > 0 and f.mtime_ns > 0 for f in full)


@pytest.mark.parametrize("parallel", [False, True])
def test_a_load_completes_a_scan_without_stats_and_stores_them(
    tmp_path: Path, write_vault: WriteVault, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    # The stats are found as the notes are read, by this process and the helper: the scan the
    # caller passed is completed, no result is keyed by it before, and the index is stored
    # with them, so the next load parses nothing.
    root = write_vault(tmp_path, big_vault(30))
    for path in root.rglob("*.md"):
        set_old_mtime(path)
    if parallel:
        monkeypatch.setattr(vault_mod, "PARALLEL_MIN", 2)
        monkeypatch.setattr(vault_mod, "SHARE", 4)
    config = config_of(root)
    scanned = scan_mod.scan(config, stat_files=False)
    assert scan_mod.state_key(config, scanned[0], "command") is None
    loaded = load(config, scanned=scanned)
    full = scan_mod.scan(config)
    assert scanned[0] == full[0]  # the same NoteFiles a full scan makes, stats and all
    assert scan_mod.state_key(config, scanned[0], "command") is not None
    assert summary(loaded) == summary(load(config_of(write_vault(tmp_path / "b", big_vault(30)))))
    fork.settle()
    again = load(config, scanned=full)
    assert again.stats.parsed == 0
    assert summary(again) == summary(loaded)


@pytest.mark.parametrize(
    ("scanned", "limit"),
    [(11, 100), (5, 100), (0, 100), (20, 100), (-1, 100), (11, 4)],
)
def test_a_note_is_read_whole_whatever_its_size_was_when_scanned(
    tmp_path: Path, scanned: int, limit: int
) -> None:
    # The size as scanned sizes the first read; a note that grew or shrank since is still
    # read whole (up to the limit). One scanned without its stat (-1) gets it as it is read.
    path = tmp_path / "note.md"
    path.write_bytes(b"hello world")
    file = scan_mod.NoteFile("note.md", str(path), "contact", scanned, scanned)
    raw, read = vault_mod._read(file, limit)
    assert raw == b"hello world"[:limit]
    if scanned == scan_mod.UNSTATTED:
        assert (read.size, read.mtime_ns) == (11, path.stat().st_mtime_ns)
    else:
        assert read is file


def test_a_result_is_stored_while_the_index_is_being_written(tmp_path: Path) -> None:
    # Helpers store results while another writes the index: neither waits for the other.
    import sqlite3
    import time

    cache = tmp_path / ".netzwerk"
    index_mod.Index(cache, "f").open()
    writer = sqlite3.connect(cache / index_mod.DB_NAME, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the index, locked for writing
    try:
        start = time.monotonic()
        index_mod.put_result(cache, "digest:x", b"text")
        assert index_mod.get_result(cache, "digest:x") == b"text"
        assert time.monotonic() - start < 5  # not the 10 s the lock is waited for
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_result_key_changes_with_any_note_and_only_then(root: Path) -> None:
    # The notes' part of the key is remembered for the scan it was made of: a later scan that
    # sees one note changed gives another key, even right after the first was asked for.
    config = config_of(root)
    files, _ = scan_mod.scan(config)
    key = scan_mod.state_key(config, files, "digest")
    assert key is not None
    assert scan_mod.state_key(config, files, "digest") == key
    assert scan_mod.state_key(config, list(files), "digest") == key
    assert scan_mod.state_key(config, files, "due") != key
    note = root / "People/Paul Martin.md"
    note.write_text("---\ntier: 10\ncompany: Atelyer\n---\n", encoding="utf-8")  # same size
    set_old_mtime(note, 600)
    rescanned, _ = scan_mod.scan(config)
    assert scan_mod.state_key(config, rescanned, "digest") not in (None, key)
    assert scan_mod.state_key(config, files, "digest") == key


def test_a_rebuilt_index_keeps_no_result(tmp_path: Path) -> None:
    cache = tmp_path / ".netzwerk"
    index_mod.Index(cache, "f").open()
    index_mod.put_result(cache, "digest:x", b"text")
    index_mod.Index(cache, "f").open(rebuild=True)
    assert index_mod.get_result(cache, "digest:x") is None


def test_results_left_in_an_older_index_are_dropped(tmp_path: Path) -> None:
    # Results used to share the index's file; they have their own now, and the old table
    # (which can hold megabytes of kept digest states) goes when the index is opened.
    import sqlite3

    cache = tmp_path / ".netzwerk"
    index_mod.Index(cache, "f").open()
    db = sqlite3.connect(cache / index_mod.DB_NAME)
    db.execute("CREATE TABLE results (key TEXT PRIMARY KEY, value BLOB, stamp INTEGER)")
    db.execute("INSERT INTO results VALUES ('digest:x', zeroblob(100000), 1)")
    db.commit()
    db.close()
    index_mod.Index(cache, "f").open()
    db = sqlite3.connect(cache / index_mod.DB_NAME)
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert "results" not in tables
    assert "files" in tables
