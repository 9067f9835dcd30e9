"""Writing netzwerk's files safely: the one rule for where netzwerk writes, atomic replacement
that keeps a file's owner, new files that never overwrite, netzwerk's own stale temporary files
removed, and the vault's write lock. (Editing notes, which needs a YAML parser, is
`netzwerk.edit`.)

Every file netzwerk writes goes through `writable`: the notes it edits or creates, digests,
`.gitattributes`, and what it keeps in `.netzwerk/` (the lock, the caches).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
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

CACHE_DIR = ".netzwerk"  # netzwerk's own folder in the vault: the one hidden folder it writes


class EditError(Refused):
    """A note could not be changed; the message says what happened and what to do."""


class NoteChanged(EditError):
    """The file changed on disk between reading and writing it."""


class NotWritable(EditError):
    """A path netzwerk never writes: a link, not a regular file, or outside the vault."""


# ---------------------------------------------------------------------------------------------
# Where netzwerk writes


def inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """Whether the real location of `path` (links followed) lies inside the real `root`."""
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def readable(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """Whether netzwerk reads `path` as a note, template or digest: its real location lies
    inside the real `root`, and a link on its way does not lead into a hidden folder of the
    vault (`.git`, `.obsidian`, `.netzwerk`). A link inside the vault can point at
    `.git/config` as easily as at a note, and what a note or template holds can end up in a
    digest that git pushes."""
    if not inside(path, root):
        return False
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    if real == os.path.abspath(path) or real == real_root:
        return True  # no link on the way: the vault's own folders
    relative = real[len(real_root.rstrip(os.sep)) + 1 :]
    return not any(part.startswith(".") for part in relative.split(os.sep))


def writable(path: Path, root: Path) -> Path:
    """The rule for every file netzwerk writes, in one place: the real location of its folder
    lies inside the vault's real root and in no hidden folder of it (`.git`, `.obsidian`)
    but netzwerk's own `.netzwerk`, and the file itself, if it exists, is a regular file
    and no symbolic link. Returns where to write it (the real folder, the same name).

    So a link to a folder elsewhere in the vault is followed, as Obsidian follows it; a link
    out of the vault is not, and a note that is itself a link is never written, wherever it
    points (it could point at `.git/config`). NotWritable says which and why.
    """
    shown = shown_path(path, root)
    folder = os.path.realpath(path.parent)
    if not inside(folder, root):
        raise NotWritable(
            f"{shown} lies outside the vault (its folder is {folder}); netzwerk never writes "
            "outside the vault, so nothing was written [NW120]"
        )
    within = os.path.relpath(folder, os.path.realpath(root))
    hidden = [part for part in within.split(os.sep) if part.startswith(".") and part != "."]
    if hidden and within != CACHE_DIR:
        raise NotWritable(
            f"{shown} lies in a hidden folder of the vault ({hidden[0]}); netzwerk never "
            "writes there but in its own .netzwerk, so nothing was written [NW120]"
        )
    target = Path(folder) / path.name
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return target
    except NotADirectoryError:
        raise NotWritable(
            f"{_first_file(path.parent, root)} is a file, not a folder; nothing was written [NW120]"
        ) from None
    except OSError as exc:
        raise EditError(f"cannot use {shown}: {exc.strerror or exc}") from exc
    if stat.S_ISLNK(info.st_mode):
        raise NotWritable(
            f"{shown} is a symbolic link (to {os.readlink(target)}); netzwerk never writes "
            "through a link, so nothing was written [NW120]"
        )
    if stat.S_ISDIR(info.st_mode):
        raise NotWritable(
            f"{shown} is a folder, not a file; netzwerk will not write in its place: rename "
            "or remove the folder [NW120]"
        )
    if not stat.S_ISREG(info.st_mode):
        raise NotWritable(f"{shown} is not a regular file; nothing was written [NW120]")
    return target


def shown_path(path: Path, root: Path) -> str:
    """`path` relative to the vault when it lies in it (as written, links not followed)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _first_file(folder: Path, root: Path) -> str:
    """The first part of `folder` that exists and is not a folder."""
    for part in (*reversed(folder.parents), folder):
        if os.path.lexists(part) and not os.path.isdir(part):
            return shown_path(part, root)
    return shown_path(folder, root)


def make_folders(folder: Path, root: Path) -> None:
    """Create `folder` (its real location, inside the vault) and any missing folder above it;
    run as root, each new folder gets the owner of the folder it is made in."""
    real = Path(os.path.realpath(folder))
    missing: list[Path] = []
    while not os.path.lexists(real) and real != real.parent:
        missing.append(real)
        real = real.parent
    if not real.is_dir():
        shown = shown_path(real, root)
        raise NotWritable(f"{shown} is a file, not a folder; nothing was written [NW120]")
    for new in reversed(missing):
        try:
            os.mkdir(new)
        except FileExistsError:
            pass
        except OSError as exc:
            shown = shown_path(new, root)
            raise EditError(f"cannot create the folder {shown}: {exc.strerror or exc}") from exc
        adopt(new)


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. A FIFO, a device or a folder is
    never read (reading one could block or never end): OSError, as for a larger file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        chunks = []
        size = 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise OSError(errno.EFBIG, f"larger than {limit:,} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------
# Owners: a run as root (sudo, a system cron job) must not take the user's files away


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def adopt(path: Path) -> None:
    """Run as root, give a file or folder netzwerk just made the owner and group of the folder
    it is in (so that the vault's owner can still change it); otherwise nothing."""
    if not _as_root():
        return
    with contextlib.suppress(OSError):
        folder = os.stat(path.parent)
        info = os.lstat(path)
        if (info.st_uid, info.st_gid) != (folder.st_uid, folder.st_gid):
            os.chown(path, folder.st_uid, folder.st_gid, follow_symlinks=False)


def _keep_owner(fd: int, owner: tuple[int, int], path: Path, shown: str) -> None:
    """Give the new version of a file the owner and group of the old one; refuse (EditError)
    rather than take the file from its owner when that is not allowed."""
    info = os.fstat(fd)
    uid, gid = owner
    if (info.st_uid, info.st_gid) == owner:
        return
    try:
        os.fchown(fd, uid if info.st_uid != uid else -1, gid if info.st_gid != gid else -1)
    except OSError as exc:
        raise EditError(
            f"{shown} belongs to {_who(uid, gid)}; netzwerk runs as "
            f"{_who(os.geteuid(), os.getegid())} and cannot give the new version the same "
            "owner, so nothing was written. Run the command as the owner of the note"
        ) from exc


def _who(uid: int, gid: int) -> str:
    try:
        import grp
        import pwd

        user = pwd.getpwuid(uid).pw_name
        group = grp.getgrgid(gid).gr_name
    except (ImportError, KeyError):
        return f"uid {uid}, gid {gid}"
    return f"{user}:{group}"


# ---------------------------------------------------------------------------------------------
# Writing


def replace_file(
    path: Path,
    data: bytes,
    *,
    root: Path,
    expected: bytes | None = None,
    left: str = "it was left unchanged",
    sync_folder: bool = True,
) -> None:
    """Atomically put `data` at `path` (a temporary file in the same folder, synced, renamed
    over it), keeping the mode, owner and group of the file it replaces; `path` must be
    `writable` in the vault at `root`. `sync_folder=False` leaves making the rename durable to
    `sync_folders` (a command that writes many files syncs each folder once).

    With `expected` (the bytes the caller read), refuse with NoteChanged when the file holds
    anything else: checked before writing and again right before the rename, so that an
    editor's save in between is never overwritten.
    """
    target = writable(path, root)
    shown = shown_path(path, root)
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    if expected is not None:
        _check_unchanged(target, expected, shown)
    if info is not None:
        mode: int | None = stat.S_IMODE(info.st_mode)
        owner: tuple[int, int] | None = (info.st_uid, info.st_gid)
    else:
        make_folders(target.parent, root)
        mode = owner = None
    temporary = _write_temporary(target, data, mode, owner, shown)
    with discarded_on_failure(temporary, f"could not write {shown}", left):
        if expected is not None:
            _check_unchanged(target, expected, shown)
        os.replace(temporary, target)
    if info is None:
        adopt(target)
    if sync_folder:
        _fsync_folder(target.parent)


def _check_unchanged(path: Path, expected: bytes, shown: str) -> None:
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        raise NoteChanged(
            f"{shown} was deleted or moved since netzwerk read it; nothing was written. "
            "Run the command again"
        ) from None
    except OSError as exc:
        raise EditError(f"cannot read {shown}: {exc.strerror or exc}; nothing was written") from exc
    if current != expected:
        raise NoteChanged(
            f"{shown} was changed on disk since netzwerk read it (saved by an editor, a sync or "
            "another program); nothing was written. Run the command again"
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


def create(path: Path, content: str, *, root: Path, sync_folder: bool = True) -> None:
    """Write a new note atomically (`writable` in the vault at `root`); EditError if the file
    already exists (never overwrites). Run as root, it gets the owner of its folder.
    `sync_folder`: as for `replace_file`."""
    shown = shown_path(path, root)
    try:
        data = content.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EditError(f"cannot save {shown} as UTF-8: {exc.reason}") from None
    exists = EditError(
        f"{shown} already exists; netzwerk never overwrites a note. Choose another name or "
        "edit the existing note"
    )
    if os.path.lexists(path):
        raise exists
    target = writable(path, root)
    make_folders(target.parent, root)
    temporary = _write_temporary(target, data, None, None, shown)
    try:
        # A hard link publishes the complete file atomically and fails if the name is taken,
        # where a rename would silently replace a note created in the meantime.
        adopt(temporary)
        os.link(temporary, target)
    except FileExistsError:
        raise exists from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise EditError(f"could not create {shown}: {exc.strerror or exc}") from exc
        # No hard links on this file system: exclusive create still never overwrites.
        _write_exclusive(target, data, exists)
        adopt(target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    if sync_folder:
        _fsync_folder(target.parent)


def sync_folders(folders: Iterable[Path]) -> None:
    """Make the files created or replaced in these folders durable, each folder once."""
    for folder in sorted(set(folders)):
        _fsync_folder(folder)


# netzwerk's own temporary files: `.NAME.8e1cbb6b.tmp` beside the file NAME being written.
TEMPORARY = re.compile(r"\..+\.[0-9a-f]{8}\.tmp")
# A temporary file older than this is left from a run that was killed: a write takes moments.
STALE_AFTER = 60.0


def _write_temporary(
    beside: Path, data: bytes, mode: int | None, owner: tuple[int, int] | None, shown: str
) -> Path:
    """A fully written and fsynced hidden `.tmp` file in the same folder as `beside`, with
    `mode` and `owner` when given."""
    for _ in range(100):
        temporary = beside.with_name(f".{beside.name}.{os.urandom(4).hex()}.tmp")
        try:
            # 0o666 lets the umask decide for a new note; an edited note gets its mode below.
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise EditError(
                f"cannot write beside {shown}: {exc.strerror or exc}; nothing was changed"
            ) from exc
        break
    else:
        raise EditError(f"cannot create a temporary file beside {shown}")
    with (
        discarded_on_failure(temporary, f"could not write {shown}", "nothing was changed"),
        os.fdopen(fd, "wb") as handle,
    ):
        if owner is not None:
            _keep_owner(fd, owner, beside, shown)
        if mode is not None:
            os.chmod(temporary, mode)  # after the owner: a new owner may clear some mode bits
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return temporary


def remove_stale_temporaries(root: Path, folders: Iterable[Path]) -> int:
    """Remove netzwerk's own temporary files left by a run that was killed while writing:
    only names of its own pattern, only regular files (no links), only older than
    STALE_AFTER, only in `folders` (and their subfolders, links not followed), in the vault's
    own folder and in `.netzwerk/` (those two without subfolders). The caller holds the
    vault's lock, so no other netzwerk process is writing. The number removed."""
    removed = 0
    oldest = time.time() - STALE_AFTER
    places = [(root, False), (root / ".netzwerk", False), *((f, True) for f in folders)]
    for folder, recursive in places:
        if not inside(folder, root):
            continue
        for path, dirnames, filenames in os.walk(folder):
            if not recursive:
                dirnames[:] = []
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if TEMPORARY.fullmatch(name) and _remove_if_stale(Path(path, name), oldest):
                    removed += 1
    return removed


def _remove_if_stale(path: Path, oldest: float) -> bool:
    try:
        info = os.lstat(path)
        if stat.S_ISREG(info.st_mode) and info.st_mtime < oldest:
            os.unlink(path)
            return True
    except OSError:
        pass
    return False


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


def cache_file(path: Path) -> Path:
    """A file of netzwerk's own in `.netzwerk/` (the vault being the folder above it), made
    ready to be opened: `writable`, no link where SQLite puts its journal, the folder made.
    Run as root, the folder belongs to the vault's owner. OSError otherwise: a cache that
    cannot be used costs speed, nothing else."""
    root = path.parent.parent
    try:
        target = writable(path, root)
        for suffix in ("-journal", "-wal", "-shm"):
            writable(path.with_name(path.name + suffix), root)
        make_folders(target.parent, root)
    except EditError as exc:
        raise OSError(errno.EPERM, str(exc)) from None
    adopt(target.parent)
    return target


# ---------------------------------------------------------------------------------------------
# Locking

_held: dict[tuple[str, int], int] = {}  # (lock file, pid) -> depth: re-entry in one process
# (lock file) -> when another netzwerk process last released the lock, as this one found it
# when it took the lock (time.time_ns(); 0 when unknown): see `released_since`.
_released: dict[str, int] = {}
_RELEASED = re.compile(rb"released (\d+)\n?")


@contextlib.contextmanager
def vault_lock(
    cache_dir: Path, timeout: float = 10.0, *, tidy: Iterable[Path] = ()
) -> Iterator[None]:
    """Hold the vault's write lock (`cache_dir/lock`, the vault being `cache_dir`'s folder);
    EditError after `timeout` seconds. Once it is held, netzwerk's stale temporary files are
    removed from the folders it writes (`tidy`, see `remove_stale_temporaries`)."""
    root = cache_dir.parent
    lock_path = cache_dir / "lock"
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        target = writable(lock_path, root)
        make_folders(target.parent, root)
        adopt(target.parent)
        fd = os.open(target, flags, 0o644)
    except NotWritable:
        raise
    except (OSError, EditError) as exc:
        cause = exc if isinstance(exc, OSError) else exc.__cause__
        reason = cause.strerror if isinstance(cause, OSError) else None
        raise EditError(
            f"cannot create the lock file {lock_path}: {reason or exc}; {_cache_hint(cache_dir)}"
        ) from exc
    adopt(target)
    held = (str(target), os.getpid())
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
                found = _RELEASED.fullmatch(os.read(fd, 64))
                _released[held[0]] = int(found.group(1)) if found else 0
                _rewrite(fd, f"{os.getpid()}\n")
            remove_stale_temporaries(root, tidy)
            yield
        finally:
            del _held[held]
            # The file stays: deleting it would let a waiter lock a file nobody else sees.
            with contextlib.suppress(OSError):
                _rewrite(fd, f"released {time.time_ns()}\n")
            _unlock(fd)
    finally:
        os.close(fd)


def _rewrite(fd: int, text: str) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, text.encode())


def released_since(cache_dir: Path, since_ns: int) -> bool:
    """Whether, while this process holds the lock, another netzwerk process had held it and
    let it go after `since_ns` (time.time_ns()): then the changes a file had meanwhile may
    be that process's."""
    key = os.path.realpath(cache_dir / "lock")
    return _released.get(key, 0) > since_ns


def _cache_hint(cache_dir: Path) -> str:
    """What to do when `.netzwerk/` cannot be used."""
    try:
        info = os.stat(cache_dir)
    except OSError:
        return "check that the vault is writable"
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return (
            f"{cache_dir.name}/ belongs to {_who(info.st_uid, info.st_gid)}; it holds only "
            "netzwerk's cache and lock: delete it and run the command again"
        )
    return "check that the vault is writable"


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
