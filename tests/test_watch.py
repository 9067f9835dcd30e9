"""`netzwerk watch`: a real watchdog observer on a temporary vault, run in a thread."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from netzwerk import watch
from netzwerk.app import this_week
from netzwerk.config import Config
from netzwerk.watch import RebuildResult, run_watch

TODAY = date(2026, 11, 25)  # Wednesday of 2026-W48
DIGEST = "Digests/2026-W48.md"
MARIE = "People/Marie Dupont.md"
QUIET = 0.2  # the debounce in these tests; the default is 0.3 s

MARIE_TEXT = """\
---
tier: 50
interests:
  - painting
---
# Marie Dupont

## Log
- 2026-09-14 call: she is looking for a venue in Nice
"""

PAUL_TEXT = """\
---
tier: 10
last_contact: 2026-11-20
---
# Paul Martin
"""


# Generous: a busy machine may take seconds for what takes a tenth of one on a quiet one.
DEADLINE = 30.0


def wait_for(condition: Callable[[], object], timeout: float = DEADLINE, what: str = "") -> None:
    """Poll `condition` until it is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout} s: {what}")
        time.sleep(0.02)


def stays(condition: Callable[[], object], seconds: float = 3 * QUIET + 0.3) -> None:
    """`condition` holds for `seconds` (several quiet periods)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert condition()
        time.sleep(0.02)


def quiet_count(w: Watch, seconds: float) -> int:
    """The number of rebuilds once none has come for `seconds` (within the deadline)."""
    deadline = time.monotonic() + DEADLINE
    seen, since = w.count, time.monotonic()
    while time.monotonic() - since < seconds:
        assert time.monotonic() < deadline, "rebuilds kept coming"
        if w.count != seen:
            seen, since = w.count, time.monotonic()
        time.sleep(0.02)
    return seen


class Watch:
    """`run_watch` in a thread, with what it reported and rebuilt."""

    def __init__(self, root: Path, **options: Any) -> None:
        self.root = root
        self.day = TODAY
        self.lines: list[str] = []
        self.results: list[RebuildResult] = []
        self.error: BaseException | None = None
        self.stop = threading.Event()
        options.setdefault("quiet_period", QUIET)
        self.thread = threading.Thread(target=self._run, args=(options,), daemon=True)

    def _run(self, options: dict[str, Any]) -> None:
        try:
            config = Config(root=self.root)
            run_watch(
                config,
                build=lambda day: this_week(config, day),
                today=lambda: self.day,
                report=self.lines.append,
                stop=self.stop,
                on_rebuild=self.results.append,
                **options,
            )
        except BaseException as exc:
            self.error = exc

    @property
    def count(self) -> int:
        return len(self.results)

    def digest(self, name: str = DIGEST) -> str:
        try:
            return (self.root / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def reported(self, text: str) -> bool:
        return any(text in line for line in self.lines)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    for relative, text in {MARIE: MARIE_TEXT, "People/Paul Martin.md": PAUL_TEXT}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def no_threads_left() -> Iterator[None]:
    """Every test's observer is stopped and joined: no thread outlives it."""
    before = set(threading.enumerate())
    yield
    wait_for(lambda: not set(threading.enumerate()) - before, what="observer threads stopped")


@contextlib.contextmanager
def watching(root: Path, **options: Any) -> Iterator[Watch]:
    """Start watching; yield once the rebuild at start is done; stop and join at the end."""
    w = Watch(root, **options)
    w.thread.start()
    try:
        wait_for(lambda: w.count >= 1 or w.error, what="the rebuild at start")
        assert w.error is None
        yield w
    finally:
        w.stop.set()
        w.thread.join(10.0)
    assert not w.thread.is_alive()
    assert w.error is None
    assert w.lines[-1] == "stopped watching"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_start_writes_the_digest_and_reports(vault: Path) -> None:
    with watching(vault) as w:
        assert w.lines[0] == f"watching {vault} (Ctrl-C to stop)"
        first = w.results[0]
        assert (first.number, first.reason, first.changed, first.digest) == (1, "start", (), DIGEST)
        assert first.written and first.error is None
        assert "[[Marie Dupont]]" in w.digest()
        assert w.lines[1].endswith(f" rebuilt: start; {DIGEST} written")


def test_an_edit_shows_up_in_the_digest(vault: Path) -> None:
    with watching(vault) as w:
        edit(vault / MARIE, "painting", "sailing")
        wait_for(lambda: "sailing" in w.digest(), what="the edit in the digest")
        wait_for(lambda: w.count == 2)
        assert w.results[1].reason == "change"
        assert w.results[1].changed == (MARIE,)
        assert f" rebuilt: 1 note changed; {DIGEST} written" in w.lines[-1]


def test_own_digest_write_causes_no_second_rebuild(vault: Path) -> None:
    with watching(vault) as w:
        assert w.results[0].written
        stays(lambda: w.count == 1)
        edit(vault / MARIE, "painting", "sailing")
        wait_for(lambda: w.count == 2)
        assert w.results[1].written
        stays(lambda: w.count == 2)


def test_a_thousand_changes_cause_one_rebuild(vault: Path) -> None:
    # A quiet period longer than any pause a busy machine makes while the notes are written.
    with watching(vault, quiet_period=2.0) as w:
        for number in range(1000):
            note = vault / "People" / f"Person {number:04}.md"
            note.write_text(
                f"---\ntier: 100\nlast_contact: 2026-01-01\n---\n# Person {number}\n",
                encoding="utf-8",
            )
        wait_for(lambda: w.count >= 2, what="the rebuild after the burst")
        stays(lambda: w.count == 2, 3.0)
        assert len(w.results[1].changed) == 1000
        # All of them overdue; the most pressing few (by name: the first) listed.
        overdue = re.search(r"^(\d+) overdue", w.digest(), re.MULTILINE)
        assert overdue is not None and int(overdue.group(1)) >= 1000
        assert "[[Person 0000]]" in w.digest()


def test_a_save_through_a_temporary_file_is_seen(vault: Path) -> None:
    with watching(vault) as w:
        temporary = vault / "People" / "Marie Dupont.md.tmp"
        temporary.write_text(MARIE_TEXT.replace("painting", "sailing"), encoding="utf-8")
        os.replace(temporary, vault / MARIE)
        wait_for(lambda: "sailing" in w.digest(), what="the renamed save")
        wait_for(lambda: w.count == 2)
        assert w.results[1].changed == (MARIE,)
        stays(lambda: w.count == 2)


def test_a_vim_style_save_is_seen(vault: Path) -> None:
    with watching(vault) as w:
        people = vault / "People"
        swap = people / ".Marie Dupont.md.swp"
        swap.write_bytes(b"b0VIM 9.0")
        (people / "4913").write_bytes(b"")  # vim checks that it may write in the folder
        (people / "4913").unlink()
        backup = people / "Marie Dupont.md~"
        os.rename(vault / MARIE, backup)
        (vault / MARIE).write_text(MARIE_TEXT.replace("painting", "sailing"), encoding="utf-8")
        backup.unlink()
        swap.unlink()
        wait_for(lambda: "sailing" in w.digest(), what="the vim save")
        wait_for(lambda: w.count == 2)
        assert w.results[1].changed == (MARIE,)
        stays(lambda: w.count == 2)


def test_editor_and_app_files_outside_notes_rebuild_nothing(vault: Path) -> None:
    with watching(vault) as w:
        noise = {
            ".obsidian/workspace.json": "{}",
            ".trash/Old.md": "# old",
            ".git/HEAD": "ref: refs/heads/main\n",
            "People/.#Marie Dupont.md": "lock",
            "People/Marie Dupont.md.swx": "swap",
            "People/notes.txt": "text",
            "People/_template.md": "---\ntier: {{tier}}\n---\n",
            "Attachments/README.md": "# excluded",
        }
        for relative, text in noise.items():
            path = vault / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (vault / MARIE).touch()  # a new mtime, the same bytes
        stays(lambda: w.count == 1)


ARCHIVED = "Archive/Marie Dupont.md"


def test_moves_between_folders_count_both_paths(vault: Path) -> None:
    with watching(vault) as w:
        archive = vault / "Archive"
        archive.mkdir()
        os.rename(vault / MARIE, archive / "Marie Dupont.md")
        wait_for(lambda: "Marie Dupont" not in w.digest(), what="Marie gone from the digest")
        # Both paths changed (a note anywhere may be read), in one rebuild or two.
        wait_for(lambda: {p for r in w.results[1:] for p in r.changed} == {MARIE, ARCHIVED})
        stays(lambda: "Marie Dupont" not in w.digest())
        seen = w.count
        friends = vault / "People" / "Friends"
        friends.mkdir()
        os.rename(archive / "Marie Dupont.md", friends / "Marie Dupont.md")
        wait_for(lambda: "[[Marie Dupont]]" in w.digest(), what="Marie back in the digest")
        back = {"People/Friends/Marie Dupont.md", ARCHIVED}
        wait_for(lambda: {p for r in w.results[seen:] for p in r.changed} == back)
        seen = w.count
        # A whole folder moved out of the contacts: its notes vanish.
        os.rename(friends, archive / "Friends")
        wait_for(lambda: "Marie Dupont" not in w.digest(), what="the folder move")
        moved = {"People/Friends/Marie Dupont.md", "Archive/Friends/Marie Dupont.md"}
        wait_for(lambda: {p for r in w.results[seen:] for p in r.changed} == moved)


def test_the_digest_folder_deleted_is_written_again(vault: Path) -> None:
    with watching(vault) as w:
        shutil.rmtree(vault / "Digests")
        wait_for(lambda: (vault / DIGEST).is_file(), what="the digest written again")
        wait_for(lambda: w.count == 2)
        assert w.results[1].changed == (DIGEST,)
        assert w.results[1].written
        edit(vault / MARIE, "painting", "sailing")  # the new folder is watched too
        wait_for(lambda: "sailing" in w.digest(), what="an edit after the folder came back")
        wait_for(lambda: w.count == 3)  # (the digest is written before the rebuild is counted)
        stays(lambda: w.count == 3)


def test_a_ticked_item_is_recorded_while_watching(vault: Path) -> None:
    with watching(vault) as w:
        edit(vault / DIGEST, "- [ ] [[Marie Dupont]]", "- [x] [[Marie Dupont]]")
        line = "- 2026-11-25: checked in (digest 2026-W48)\n"
        wait_for(lambda: line in (vault / MARIE).read_text(encoding="utf-8"), what="the log line")
        wait_for(lambda: w.count == 2)
        result = w.results[1]
        assert result.changed == (DIGEST,)
        assert [(r.name, r.date, r.digest) for r in result.recorded] == [
            ("Marie Dupont", TODAY, "2026-W48")
        ]
        assert "- [x] [[Marie Dupont]]" in w.digest()
        assert w.reported("recorded 2026-11-25 for Marie Dupont (ticked in 2026-W48)")
        stays(lambda: w.count == 2)  # the log line and the digest are netzwerk's own writes
        assert (vault / MARIE).read_text(encoding="utf-8").count("checked in") == 1


def test_a_failing_rebuild_is_reported_and_watching_goes_on(vault: Path) -> None:
    with watching(vault) as w:
        template = vault / "Templates" / "netzwerk" / "digest.md.j2"
        template.parent.mkdir(parents=True)
        template.write_text("# {{ week }\n", encoding="utf-8")
        wait_for(lambda: w.count == 2, what="the rebuild with the broken template")
        failed = w.results[1]
        assert failed.changed == ("Templates/netzwerk/digest.md.j2",)
        assert failed.error is not None and "template syntax error" in failed.error
        assert not failed.written
        assert w.lines[-1].endswith(f"rebuild failed (1 template changed): {failed.error}")
        assert "\n" not in w.lines[-1]
        edit(vault / MARIE, "painting", "sailing")
        wait_for(lambda: w.count == 3, what="the rebuild after the next edit")
        assert w.results[2].error is not None
        template.unlink()
        wait_for(lambda: w.count == 4, what="the rebuild once the template is fixed")
        assert w.results[3].error is None
        assert w.results[3].changed == ("Templates/netzwerk/digest.md.j2",)
        assert "sailing" in w.digest()


def test_no_rebuild_while_git_holds_its_index_lock(vault: Path) -> None:
    lock = vault / ".git" / "index.lock"
    lock.parent.mkdir()
    with watching(vault) as w:
        lock.write_bytes(b"")
        edit(vault / MARIE, "painting", "sailing")
        (vault / "People" / "Paul Martin.md").unlink()
        wait_for(lambda: w.reported("git is busy"), what="the pause reported")
        stays(lambda: w.count == 1 and "sailing" not in w.digest())
        lock.unlink()
        wait_for(lambda: "sailing" in w.digest(), what="the rebuild once git is done")
        wait_for(lambda: w.count == 2)
        assert w.results[1].changed == (MARIE, "People/Paul Martin.md")
        stays(lambda: w.count == 2)


def test_forced_polling_sees_an_edit(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watch, "POLL_INTERVAL", 0.3)
    with watching(vault, force_polling=True) as w:
        edit(vault / MARIE, "painting", "sailing")
        wait_for(lambda: "sailing" in w.digest(), what="the edit seen by polling")
        wait_for(lambda: w.count == 2)
        assert w.results[1].changed == (MARIE,)


def test_falls_back_to_polling_at_the_inotify_limit(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from watchdog import observers

    native = observers.Observer

    class Exhausted(native):  # type: ignore[misc, valid-type]
        def start(self) -> None:
            raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(observers, "Observer", Exhausted)
    monkeypatch.setattr(watch, "POLL_INTERVAL", 0.3)
    with watching(vault) as w:
        assert w.lines[0] == "inotify watch limit reached; polling every 0.3 s instead"
        edit(vault / MARIE, "painting", "sailing")
        wait_for(lambda: "sailing" in w.digest(), what="the edit seen by polling")


def test_the_rescan_catches_changes_without_events(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Events can be missed (a full inotify queue, a network drive, a bind mount): here the
    # watcher hears none at all, and the rescan alone finds the changed note.
    nina = vault / "People" / "Nina Neu.md"
    nina.write_text("---\ntier: 10\nlast_contact: 2025-01-01\n---\n# Nina Neu\n", encoding="utf-8")
    with watching(vault, rescan_interval=0.5) as w:
        assert "[[Nina Neu]]" in w.digest()
        monkeypatch.setattr(watch._Changes, "dispatch", lambda self, event: None)
        edit(nina, "tier: 10", "tier: 10\npaused: true")
        wait_for(lambda: "Nina Neu" not in w.digest(), what="the rescan")
        wait_for(lambda: w.count == 2)
        assert (w.results[1].reason, w.results[1].changed) == ("rescan", ("People/Nina Neu.md",))
        assert w.lines[-1].endswith(f" rebuilt: rescan: 1 note changed; {DIGEST} written")
        stays(lambda: w.count == 2)


def test_a_new_week_writes_its_digest(vault: Path) -> None:
    with watching(vault) as w:
        w.day = TODAY + timedelta(days=7)
        wait_for(lambda: (vault / "Digests/2026-W49.md").is_file(), what="next week's digest")
        wait_for(lambda: w.count == 2)  # the digest is written before the rebuild is counted
        assert w.results[1].reason == "new day"
        assert " rebuilt: new week 2026-W49; Digests/2026-W49.md written" in w.lines[-1]
        stays(lambda: w.count == 2)


def test_ctrl_c_stops_cleanly(vault: Path) -> None:
    w = Watch(vault, quiet_period=QUIET)
    interrupt = threading.Event()

    def today() -> date:
        if interrupt.is_set():
            raise KeyboardInterrupt
        return TODAY

    config = Config(root=vault)
    w.thread = threading.Thread(
        target=run_watch,
        args=(config,),
        kwargs={
            "build": lambda day: this_week(config, day),
            "today": today,
            "report": w.lines.append,
            "on_rebuild": w.results.append,
        },
        daemon=True,
    )
    w.thread.start()
    wait_for(lambda: w.count == 1, what="the rebuild at start")
    interrupt.set()
    w.thread.join(5.0)
    assert not w.thread.is_alive()
    assert w.lines[-1] == "stopped watching"


@pytest.mark.parametrize(
    ("path", "relevant"),
    [
        ("People/Marie Dupont.md", True),
        ("People/Friends/Marie Dupont.md", True),
        ("Daily/2026-11-25.md", True),
        ("Digests/2026-W48.md", True),
        ("Templates/netzwerk/digest.md.j2", True),
        ("netzwerk.toml", True),
        ("People/_template.md", False),
        ("People/Marie Dupont.md~", False),
        ("People/.Marie Dupont.md.swp", False),
        ("People/4913", False),
        ("People/.#Marie Dupont.md", False),
        ("People/Marie Dupont.md.tmp", False),
        ("Templates/netzwerk/contact.md", False),
        (".obsidian/app.md", False),
        (".netzwerk/index.md", False),
        # A note anywhere may be a person (contacts_where) or a meeting naming people.
        ("Meetings/Kick-off.md", True),
        ("Readme.md", False),  # excluded by default, in any case
        ("Projects/README.md", False),
    ],
)
def test_which_files_matter(tmp_path: Path, path: str, relevant: bool) -> None:
    config = Config(root=tmp_path)
    watcher = watch._Watcher(
        config, lambda day: this_week(config, day), lambda: TODAY, print, None, QUIET
    )
    assert watcher.relevant(path) is relevant


def release(fifo: Path) -> None:
    """Let a reader stuck opening `fifo` go on (it reads an empty file); nothing otherwise."""
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return  # nobody is waiting for it
    os.close(fd)


@pytest.mark.parametrize("polling", [False, True], ids=["events", "polling"])
@pytest.mark.parametrize("when", ["before", "while"], ids=["fifo at start", "fifo made while"])
def test_a_fifo_among_the_notes_is_never_opened(
    vault: Path, monkeypatch: pytest.MonkeyPatch, polling: bool, when: str
) -> None:
    monkeypatch.setattr(watch, "POLL_INTERVAL", 0.3)
    fifo = vault / "People" / "Pipe.md"
    if when == "before":
        os.mkfifo(fifo)
    try:
        with watching(vault, force_polling=polling) as w:
            if when == "while":
                os.mkfifo(fifo)
            edit(vault / MARIE, "painting", "sailing")
            wait_for(lambda: "sailing" in w.digest(), what="the edit seen beside a FIFO")
    finally:
        release(fifo)


@pytest.mark.parametrize("polling", [False, True], ids=["events", "polling"])
def test_links_back_up_count_each_note_once(
    vault: Path, monkeypatch: pytest.MonkeyPatch, polling: bool
) -> None:
    monkeypatch.setattr(watch, "POLL_INTERVAL", 0.3)
    (vault / "People" / "loop").symlink_to(vault / "People")  # a loop
    (vault / "People" / "up").symlink_to(vault)  # back to the vault, its digests among it
    (vault / "People" / "Marie.md").symlink_to(vault / MARIE)  # the same note by two names
    with watching(vault, force_polling=polling, rescan_interval=1.0) as w:
        edit(vault / MARIE, "painting", "sailing")
        wait_for(lambda: "sailing" in w.digest(), what="the edit")
        # (On a busy machine a rebuild may read the note half written, and the next one the
        # rest: one rebuild or two for the one save, each of that one note.)
        settled = quiet_count(w, seconds=2.5)  # a rescan or two: nothing else changed
        assert settled in (2, 3)
        assert [r.changed for r in w.results[1:]] == [(MARIE,)] * (settled - 1)
        assert f" rebuilt: 1 note changed; {DIGEST} written" in w.lines[-1]
