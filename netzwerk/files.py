"""Writing netzwerk's files safely: atomic replacement, new files that never overwrite, and the
vault's write lock. (Editing notes, which needs a YAML parser, is `netzwerk.edit`.)"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

from netzwerk.problems import Refused


class EditError(Refused):
    """A note could not be changed; the message says what happened and what to do."""


class NoteChanged(EditError):
    """The file changed on disk between reading and writing it."""


def replace_file(
    path: Path,
    data: bytes,
    *,
    expected: bytes | None = None,
    left: str = "it was left unchanged",
    sync_folder: bool = True,
) -> None:
    """Atomically put `data` at `path` (a temporary file in the same folder, synced, renamed
    over it), keeping the mode of the file it replaces. `sync_folder=False` leaves making the
    rename durable to `sync_folders` (a command that writes many files syncs each folder once).

    With `expected` (the bytes the caller read), refuse with NoteChanged when the file holds
    anything else: checked before writing and again right before the rename, so that an
    editor's save in between is never overwritten.
    """
    mode: int | None = None
    with contextlib.suppress(FileNotFoundError):
        mode = stat.S_IMODE(os.stat(path).st_mode)
    if expected is not None:
        _check_unchanged(path, expected)
    temporary = _write_temporary(path, data, mode)
    with discarded_on_failure(temporary, f"could not write {path}", left):
        if expected is not None:
            _check_unchanged(path, expected)
        os.replace(temporary, path)
    if sync_folder:
        _fsync_folder(path.parent)


def _check_unchanged(path: Path, expected: bytes) -> None:
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        raise NoteChanged(
            f"{path} was deleted or moved since netzwerk read it; nothing was written. "
            "Run the command again"
        ) from None
    except OSError as exc:
        raise EditError(f"cannot read {path}: {exc.strerror or exc}; nothing was written") from exc
    if current != expected:
        raise NoteChanged(
            f"{path} was changed on disk since netzwerk read it (probably saved in an "
            "editor); nothing was written. Run the command again"
        )


@contextlib.contextmanager
def discarded_on_failure(
    temporary: Path, could_not: str | None = None, left: str = ""
) -> Iterator[None]:
    """Delete `temporary` when the block fails. With `could_not` ("could not write X"), an
    OSError becomes an EditError that says so, why, and `left` (what was left as it was)."""
    try:
        yield
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if could_not is not None and isinstance(exc, OSError):
            raise EditError(f"{could_not}: {exc.strerror or exc}; {left}") from exc
        raise


def create(path: Path, content: str, *, sync_folder: bool = True) -> None:
    """Write a new note atomically; EditError if the file already exists (never overwrites).
    `sync_folder`: as for `replace_file`."""
    try:
        data = content.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EditError(f"cannot save {path} as UTF-8: {exc.reason}") from None
    exists = EditError(
        f"{path} already exists; netzwerk never overwrites a note. Choose another name or "
        "edit the existing note"
    )
    if os.path.lexists(path):
        raise exists
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EditError(f"cannot create the folder for {path}: {exc.strerror or exc}") from exc
    temporary = _write_temporary(path, data, None)
    try:
        # A hard link publishes the complete file atomically and fails if the name is taken,
        # where a rename would silently replace a note created in the meantime.
        os.link(temporary, path)
    except FileExistsError:
        raise exists from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise EditError(f"could not create {path}: {exc.strerror or exc}") from exc
        # No hard links on this file system: exclusive create still never overwrites.
        _write_exclusive(path, data, exists)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    if sync_folder:
        _fsync_folder(path.parent)


def sync_folders(folders: Iterable[Path]) -> None:
    """Make the files created or replaced in these folders durable, each folder once."""
    for folder in sorted(set(folders)):
        _fsync_folder(folder)


def _write_temporary(beside: Path, data: bytes, mode: int | None) -> Path:
    """A fully written and fsynced hidden `.tmp` file in the same folder as `beside`."""
    for _ in range(100):
        temporary = beside.with_name(f".{beside.name}.{os.urandom(4).hex()}.tmp")
        try:
            # 0o666 lets the umask decide for a new note; an edited note gets its mode below.
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise EditError(
                f"cannot write in {beside.parent}: {exc.strerror or exc}; nothing was changed"
            ) from exc
        break
    else:
        raise EditError(f"cannot create a temporary file in {beside.parent}")
    with (
        discarded_on_failure(temporary, f"could not write {beside}", "nothing was changed"),
        os.fdopen(fd, "wb") as handle,
    ):
        if mode is not None:
            os.chmod(temporary, mode)
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return temporary


def _write_exclusive(path: Path, data: bytes, exists: EditError) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise exists from None
    except OSError as exc:
        raise EditError(f"could not create {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(path)  # a half-written new note helps nobody
        raise EditError(f"could not create {path}: {exc.strerror or exc}") from exc


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; some file systems cannot sync a folder, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------
# Locking

_held: dict[tuple[str, int], int] = {}  # (lock file, pid) -> depth: re-entry in one process


@contextlib.contextmanager
def vault_lock(cache_dir: Path, timeout: float = 10.0) -> Iterator[None]:
    """Hold the vault's write lock (`cache_dir/lock`); EditError after `timeout` seconds."""
    lock_path = cache_dir / "lock"
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise EditError(
            f"cannot create the lock file {lock_path}: {exc.strerror or exc}; "
            "check that the vault is writable"
        ) from exc
    held = (os.path.realpath(lock_path), os.getpid())
    try:
        if held in _held:
            # This process holds it already; a second flock on a new descriptor would wait
            # for itself.
            _held[held] += 1
            try:
                yield
            finally:
                _held[held] -= 1
            return
        _acquire(fd, lock_path, timeout)
        _held[held] = 1
        try:
            with contextlib.suppress(OSError):
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
            yield
        finally:
            del _held[held]
            # The file stays: deleting it would let a waiter lock a file nobody else sees.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            _unlock(fd)
    finally:
        os.close(fd)


def _acquire(fd: int, lock_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not _try_lock(fd):
        now = time.monotonic()
        if now >= deadline:
            holder = _holder(lock_path)
            raise EditError(
                f"another netzwerk process is writing to this vault ({holder}lock file "
                f"{lock_path}); try again"
            )
        time.sleep(min(0.05, deadline - now))


def _holder(lock_path: Path) -> str:
    try:
        pid = lock_path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f"pid {pid}, " if pid.isdigit() else ""


if sys.platform == "win32":

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:

    def _try_lock(fd: int) -> bool:
        # flock dies with its process: a lock file left by a killed netzwerk never blocks.
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                return False
            raise EditError(f"cannot lock the vault: {exc.strerror or exc}") from exc
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
