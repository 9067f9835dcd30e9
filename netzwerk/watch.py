"""`netzwerk watch`: keep the index and this week's digest current while the user edits."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import stat
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from netzwerk.config import CONFIG_FILE, Config
from netzwerk.problems import Refused, one_line
from netzwerk.scan import excluded

# Seconds between two snapshots of the polling observer (the fallback without inotify).
POLL_INTERVAL = 2.0
# Longest sleep of the idle loop: how soon it notices `stop`, a new day or a finished git.
TICK = 0.2
# A stream of events that never pauses is taken as a batch after this many seconds anyway.
MAX_DELAY = 5.0

# Vim: swap files, the backup `note.md~`, and `4913`, the file it writes to test a folder.
_JUNK_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp")
_JUNK_NAMES = frozenset({"4913"})


@dataclass(frozen=True, slots=True)
class RebuildResult:
    """One rebuild: what triggered it and what it wrote."""

    number: int  # 1 for the rebuild at start, counting every rebuild since
    reason: str  # "start" | "change" | "rescan" | "new day" | "retry"
    changed: tuple[str, ...]  # files whose content changed, relative to the vault root
    digest: str  # this week's digest, relative to the vault root
    written: bool  # the digest file was written (its bytes changed)
    recorded: tuple[Any, ...]  # ticked digest items recorded as contacts (digest.Recorded)
    problems: int  # problems in the vault and in ticked items
    error: str | None = None  # why the rebuild failed, in one line; None when it worked


def run_watch(
    config: Config,
    *,
    build: Callable[[date], Any],
    today: Callable[[], date],
    report: Callable[[str], None],
    stop: threading.Event | None = None,
    quiet_period: float = 0.3,
    rescan_interval: float = 60.0,
    force_polling: bool = False,
    on_rebuild: Callable[[RebuildResult], None] | None = None,
) -> bool:
    """Rebuild this week's digest whenever a note really changes, until stopped: `build(day)`
    records the ticks and writes the note (`app.this_week`, the `digest` command itself).
    True when Ctrl-C stopped it."""
    _quiet_watchdog()
    watcher = _Watcher(config, build, today, report, on_rebuild, quiet_period)
    interrupted = False
    try:
        watcher.start_observer(force_polling)
        report(f"watching {config.root} (Ctrl-C to stop)")
        # Hashes are taken after the observer runs: a change in between is either in them or
        # arrives as an event, and the first rebuild reads the notes after both.
        watcher.hashes = watcher.hash_all()
        watcher.rebuild("start", ())
        watcher.loop(stop if stop is not None else threading.Event(), rescan_interval)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        watcher.stop_observer()
    report("stopped watching")
    return interrupted


class _Changes:
    """The event handler: records changed paths and sets a flag; the build loop does the rest."""

    _KINDS = frozenset({"created", "modified", "deleted", "moved", "closed"})

    def __init__(self, root: str, wanted: Callable[[str], bool]) -> None:
        self._root = root
        self._wanted = wanted
        self._lock = threading.Lock()
        self._files: set[str] = set()
        self._dirs: set[str] = set()
        self._lost = False
        self.flag = threading.Event()

    def dispatch(self, event: Any) -> None:
        """Called on watchdog's thread for each event: record the paths, set the flag, return."""
        try:
            self._record(event)
        except Exception:  # the observer thread must live on; a full comparison catches up
            with self._lock:
                self._lost = True
            self.flag.set()

    def _record(self, event: Any) -> None:
        kind = event.event_type
        if kind not in self._KINDS:
            return
        raw = [event.src_path]
        if kind == "moved":
            raw.append(event.dest_path)  # a save through a temporary file ends as a move
        hit = False
        for path in raw:
            rel = self._relative(path)
            if rel is None:
                continue
            if event.is_directory:
                if kind == "modified":  # a file in it came or went: that file has its event
                    continue
                with self._lock:
                    self._dirs.add(rel)
                hit = True
            elif self._wanted(rel):
                with self._lock:
                    self._files.add(rel)
                hit = True
        if hit:
            self.flag.set()

    def _relative(self, path: str | bytes) -> str | None:
        if not path:
            return None
        rel = os.path.relpath(os.fsdecode(path), self._root).replace(os.sep, "/")
        if rel == ".":
            return ""
        if rel == ".." or rel.startswith("../"):
            return None
        if any(part.startswith(".") for part in rel.split("/")):
            return None  # .git, .obsidian, .trash, .netzwerk, hidden temporary files
        return rel

    def take(self) -> tuple[set[str], set[str], bool]:
        """The changed files and folders since the last call, and whether events were lost."""
        with self._lock:
            taken = self._files, self._dirs, self._lost
            self._files, self._dirs, self._lost = set(), set(), False
        return taken


class _Watcher:
    """The build loop's state: content hashes, the observer, the rebuild count."""

    def __init__(
        self,
        config: Config,
        build: Callable[[date], Any],
        today: Callable[[], date],
        report: Callable[[str], None],
        on_rebuild: Callable[[RebuildResult], None] | None,
        quiet_period: float,
    ) -> None:
        self.config = config
        self.build = build
        self.today = today
        self.report = report
        self.on_rebuild = on_rebuild
        self.quiet = max(quiet_period, 0.01)
        self.root = str(config.root)
        self.changes = _Changes(self.root, self.relevant)
        self.hashes: dict[str, str] = {}
        self.count = 0
        self.last_day: date | None = None
        self.failed = False
        self.last_error: str | None = None
        self.shown: set[str] = set()  # tick-back problems reported by the previous rebuild
        self.observer: Any = None
        self.polling = False
        self.observer_lost = False
        self.git_lock = _git_lock(config.root)
        self._templates = f"{config.templates}/"
        self._notes = tuple(f"{f}/" for f in (config.digest_dir, *config.journal))
        self._contacts = tuple(f"{f}/" for f in config.contacts)
        self._skipped = tuple(f"{f}/" for f in config.template_folders)

    # --- which files matter ------------------------------------------------------------

    def relevant(self, rel: str) -> bool:
        """Whether a file's content can change the digest: notes, digests, templates, settings."""
        name = rel.rpartition("/")[2]
        if not rel or rel.startswith(".") or "/." in rel or _junk(name):
            return False  # hidden: .git, .obsidian, .trash, .netzwerk, editors' temporary files
        if rel == CONFIG_FILE:
            return True
        if rel.startswith(self._templates):
            return name.endswith(".j2")
        if not name.endswith(".md"):
            return False
        if rel.startswith(self._notes):
            return True
        # As `scan.scan` reads them: a note anywhere may be a person (`contacts_where`) or a
        # meeting; not `_template.md` in a contacts folder, an Obsidian template, `exclude`.
        if rel.startswith(self._contacts):
            return not name.startswith("_")
        return not rel.startswith(self._skipped) and not excluded(rel, self.config)

    def _folders(self) -> list[str]:
        return [""]  # the whole vault: people and meetings may be anywhere

    def _files(self) -> list[str]:
        """Every relevant file on disk, each real file once: by its path without links where
        it has one, else by its first path through links. A folder reached again (a link
        back to the vault, to a folder above, a loop) is not entered again."""
        found: list[str] = []
        files: set[tuple[int, int]] = set()
        for follow in (False, True):  # first the real paths, then what only links reach
            folders: set[tuple[int, int] | None] = set()  # (a link back to the vault: once)
            for folder in self._folders():
                top = os.path.join(self.root, folder)
                for path, dirnames, filenames in os.walk(top, followlinks=follow):
                    identity = _identity(path)
                    if identity is None or identity in folders:
                        dirnames[:] = []
                        continue
                    folders.add(identity)
                    dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                    base = os.path.relpath(path, self.root).replace(os.sep, "/")
                    for name in sorted(filenames):
                        rel = name if base == "." else f"{base}/{name}"
                        full = os.path.join(path, name)
                        if not self.relevant(rel) or (not follow and os.path.islink(full)):
                            continue
                        file = _identity(full)
                        if file is not None and file not in files:
                            files.add(file)
                            found.append(rel)
        if os.path.isfile(os.path.join(self.root, CONFIG_FILE)):
            found.append(CONFIG_FILE)
        return found

    def hash_all(self) -> dict[str, str]:
        """The content hash of every relevant file."""
        hashes = {}
        for rel in sorted(self._files()):
            digest = _hash(os.path.join(self.root, rel))
            if digest is not None:
                hashes[rel] = digest
        return hashes

    def compare(self, files: Iterable[str], dirs: Iterable[str]) -> list[str]:
        """The files among `files` and in `dirs` whose content changed; the hashes are updated."""
        candidates = {rel for rel in files if self.relevant(rel)}
        on_disk = self._files() if dirs else []
        for folder in dirs:
            prefix = f"{folder}/" if folder else ""
            candidates.update(rel for rel in self.hashes if rel.startswith(prefix))
            candidates.update(rel for rel in on_disk if rel.startswith(prefix))
        changed = []
        for rel in sorted(candidates):
            digest = _hash(os.path.join(self.root, rel))
            if digest == self.hashes.get(rel):
                continue
            changed.append(rel)
            if digest is None:
                del self.hashes[rel]
            else:
                self.hashes[rel] = digest
        return changed

    def rescan(self) -> list[str]:
        """Hash every relevant file again (events can be lost); the files that changed."""
        fresh = self.hash_all()
        changed = sorted(
            k for k in fresh.keys() | self.hashes.keys() if fresh.get(k) != self.hashes.get(k)
        )
        self.hashes = fresh
        return changed

    def _record_own(self, paths: Iterable[str]) -> None:
        """Remember the content netzwerk itself wrote, so that its events rebuild nothing."""
        for rel in paths:
            digest = _hash(os.path.join(self.root, rel))
            if digest is None:
                self.hashes.pop(rel, None)
            else:
                self.hashes[rel] = digest

    # --- the observer --------------------------------------------------------------------

    def start_observer(self, force_polling: bool) -> None:
        """Start watchdog's native observer; the polling one when forced or when that fails."""
        if not force_polling:
            from watchdog.observers import Observer

            observer: Any = None
            try:
                observer = Observer()
                self._schedule(observer)
                observer.start()
            except Exception as exc:
                if observer is not None:
                    _discard(observer)
                polling = f"polling every {POLL_INTERVAL:g} s instead"
                if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EMFILE):
                    self.report(f"inotify watch limit reached; {polling}")
                else:
                    reason = " ".join(str(exc).split()) or type(exc).__name__
                    self.report(f"cannot watch for changes ({reason}); {polling}")
            else:
                self.observer = observer
                return
        self._start_polling()

    def _start_polling(self) -> None:
        from watchdog.observers.polling import PollingObserverVFS

        # lstat: a link to a folder is not entered (a link loop would be walked 40 levels deep
        # every poll); files reached through links are found by the rescan.
        observer = PollingObserverVFS(os.lstat, os.scandir, polling_interval=POLL_INTERVAL)
        self._schedule(observer)
        observer.start()
        self.observer = observer
        self.polling = True

    def _schedule(self, observer: Any) -> None:
        from watchdog.events import (
            DirCreatedEvent,
            DirDeletedEvent,
            DirMovedEvent,
            FileClosedEvent,
            FileCreatedEvent,
            FileDeletedEvent,
            FileModifiedEvent,
            FileMovedEvent,
        )

        # No open/close-without-write events: netzwerk reading every note must not wake it.
        kinds = [
            FileCreatedEvent,
            FileModifiedEvent,
            FileDeletedEvent,
            FileMovedEvent,
            FileClosedEvent,
            DirCreatedEvent,
            DirDeletedEvent,
            DirMovedEvent,
        ]
        observer.schedule(self.changes, self.root, recursive=True, event_filter=kinds)

    def check_observer(self) -> None:
        """Replace an observer whose thread died by the polling one (once)."""
        observer = self.observer
        if observer is None or self.observer_lost:
            return
        if observer.is_alive() and all(e.is_alive() for e in list(observer.emitters)):
            return
        _discard(observer)
        self.observer = None
        if self.polling:
            self.observer_lost = True
            self.report("the file watcher stopped; changes are found by the rescan only")
            return
        self.report(f"the file watcher stopped; polling every {POLL_INTERVAL:g} s instead")
        try:
            self._start_polling()
        except Exception as exc:
            self.observer_lost = True
            self.report(
                f"cannot poll for changes either ({exc}); changes are found by the rescan only"
            )

    def stop_observer(self) -> None:
        """Stop and join the observer, if one runs."""
        if self.observer is not None:
            _discard(self.observer)
            self.observer = None

    # --- the build loop ------------------------------------------------------------------

    def loop(self, stop: threading.Event, rescan_interval: float) -> None:
        """Wait for batches of changes and rebuild; rescan and follow the calendar meanwhile."""
        next_rescan = time.monotonic() + rescan_interval
        while not stop.is_set():
            if self.changes.flag.wait(TICK):
                if not self._settle(stop):
                    return
                files, dirs, lost = self.changes.take()
                changed = self.rescan() if lost else self.compare(files, dirs)
                self._changed(changed, "change")
                continue
            if self._git_busy():
                continue
            self.check_observer()
            day = self.today()
            if day != self.last_day:
                self.rebuild("new day", ())
            elif time.monotonic() >= next_rescan:
                # The vault may have become a git repository since the start.
                self.git_lock = _git_lock(self.config.root)
                changed = self.rescan()
                if changed:
                    self._changed(changed, "rescan")
                elif self.failed:
                    self.rebuild("retry", ())
                next_rescan = time.monotonic() + rescan_interval

    def _settle(self, stop: threading.Event) -> bool:
        """Wait for a quiet period without events while git is not busy; False when stopped."""
        started = time.monotonic()
        waiting_for_git = False
        limit = max(MAX_DELAY, 4 * self.quiet)
        while not stop.is_set():
            self.changes.flag.clear()
            if self.changes.flag.wait(self.quiet) and time.monotonic() - started < limit:
                continue
            if self._git_busy():
                if not waiting_for_git:
                    waiting_for_git = True
                    self.report(
                        f"{_clock()} git is busy (.git/index.lock); waiting for it to finish"
                    )
                started = time.monotonic()
                continue
            return True
        return False

    def _git_busy(self) -> bool:
        return self.git_lock is not None and os.path.lexists(self.git_lock)

    def _changed(self, changed: list[str], reason: str) -> None:
        if CONFIG_FILE in changed:
            changed = [rel for rel in changed if rel != CONFIG_FILE]
            self.report(f"{_clock()} {CONFIG_FILE} changed; restart netzwerk watch to use it")
        if changed:
            self.rebuild(reason, tuple(changed))

    def rebuild(self, reason: str, changed: tuple[str, ...]) -> RebuildResult:
        """Record ticked items and write this week's digest: the `digest` command itself."""
        from netzwerk.schedule import week_of

        config = self.config
        self.count += 1
        day = self.today()
        week = week_of(day, config.week_start)
        last = self.last_day
        new_week = last is not None and week_of(last, config.week_start).label != week.label
        self.last_day = day
        digest = f"{config.digest_dir}/{week.label}.md"
        cause = _cause(reason, changed, f"new week {week.label}" if new_week else "new day")
        recorded: tuple[Any, ...] = ()
        try:
            made = self.build(day)
        except Exception as exc:
            message = _one_line(exc)
            repeated = reason == "retry" and message == self.last_error
            self.failed, self.last_error = True, message
            if not repeated:
                self.report(f"{_clock()} rebuild failed ({cause}): {message}")
            result = RebuildResult(self.count, reason, changed, digest, False, recorded, 0, message)
        else:
            self.failed, self.last_error = False, None
            recorded = made.recorded
            for rec in recorded:
                self.report(one_line(f"{_clock()} {rec.said()}"))
            lines = {p.format() for p in made.problems}
            for line in sorted(lines - self.shown):
                self.report(line)
            self.shown = lines
            count = made.errors + made.warnings + len(made.problems)
            status = "written" if made.written else "up to date"
            tail = f"; {_plural(count, 'problem')} (netzwerk check)" if count else ""
            self.report(f"{_clock()} rebuilt: {cause}; {digest} {status}{tail}")
            written = made.written
            result = RebuildResult(self.count, reason, changed, digest, written, recorded, count)
            # netzwerk's own writes are no change to rebuild for.
            self._record_own([*(r.path for r in recorded), *([digest] if written else [])])
        if self.on_rebuild is not None:
            self.on_rebuild(result)
        return result


def _quiet_watchdog() -> None:
    """Keep watchdog's internal diagnostics off the user's terminal."""
    # It logs races of its own threads at shutdown: without any handler Python would print
    # them; a NullHandler still lets an application that configures logging see them.
    logger = logging.getLogger("watchdog")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    # It warns when `mkdir -p` makes it watch a new folder twice; nothing the user can act on.
    warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"watchdog\.")


def _discard(observer: Any) -> None:
    """Stop an observer and wait for its threads (one that never started needs no join)."""
    with contextlib.suppress(Exception):
        observer.stop()
    with contextlib.suppress(RuntimeError):
        observer.join(timeout=10)


def _git_lock(root: Path) -> Path | None:
    """`.git/index.lock` of the repository holding the vault (`.git` may be a file)."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git / "index.lock"
        if dot_git.is_file():  # a worktree or submodule: `gitdir: PATH`
            try:
                text = dot_git.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if text.startswith("gitdir:"):
                return (folder / text.removeprefix("gitdir:").strip()) / "index.lock"
            return None
    return None


def _within(rel: str, folder: str) -> bool:
    return rel.startswith(f"{folder}/")


def _junk(name: str) -> bool:
    return name in _JUNK_NAMES or name.endswith(_JUNK_SUFFIXES)


def _identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of what `path` leads to; None when it cannot be reached."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _hash(path: str) -> str | None:
    """sha256 of the file's bytes; None when it is gone or not a regular file (a FIFO, a
    socket or a device is never read: opening or reading one could block for ever)."""
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    except OSError as exc:  # unreadable: the rebuild reports it; a new error is a change
        return f"error {exc.errno}"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
    except OSError as exc:
        return f"error {exc.errno}"
    finally:
        os.close(fd)
    return digest.hexdigest()


def _clock() -> str:
    return time.strftime("%H:%M:%S")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _cause(reason: str, changed: tuple[str, ...], day: str) -> str:
    if reason == "start":
        return "start"
    if reason == "new day":
        return day
    if reason == "retry":
        return "retry"
    templates = sum(1 for rel in changed if not rel.endswith(".md"))
    notes = len(changed) - templates
    parts = [_plural(n, w) for n, w in ((notes, "note"), (templates, "template")) if n]
    what = f"{' and '.join(parts)} changed"
    return f"rescan: {what}" if reason == "rescan" else what


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, Refused):
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
