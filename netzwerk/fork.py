"""Work on the machine's other core, in forked helper processes.

A helper sees everything as it was at the fork and changes nothing its parent sees: what it
makes comes back as bytes, or it writes to the cache in `.netzwerk/`. There is no helper where
there is no fork, or where forking is not safe, in a process with threads (netzwerk watch):
the work is then done in the process itself.

Every fork of a large process costs it: each page it writes afterwards is copied first, and
a helper that reads the notes copies the pages it touches. So background work can be
`gathered`: it is queued, and the next helper forked takes it along, doing it after its own
answer is sent, or one helper forked at the end of the block does all of it. A helper can
also be fed: what this process learns only later is sent to the work it goes on with.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

_Work = tuple[Callable[[], object], str]  # background work and what it writes in the cache


class Helper(NamedTuple):
    """A forked helper process: its pid, and the pipe it answers through."""

    pid: int
    pipe: int
    goes_on: bool  # after answering, it does background work: `settle` waits for it


# Helpers writing to the cache, not waited for yet, by what they write: "files" (the index of
# notes), or the start of the keys of the results they store.
_pending: dict[str, list[int]] = {}
# Background work gathered for the next helper; None when work is not being gathered.
_queue: list[_Work] | None = None
# The pipes through which helpers wait to be `sent` more, by pid (their write ends).
_feeds: dict[int, int] = {}
_fed = -1  # in a helper: the read end of its own feed
_batch: Batch | None = None  # the block gathering work, if any


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def fork_helper(
    work: Callable[[], bytes], then: Sequence[_Work] = (), *, fed: bool = False
) -> Helper | None:
    """Run `work` in a forked process until `collect`; None where no helper can be forked.

    After sending its answer, the helper does the background work `then` (see `background`)
    and the work gathered so far. With `fed`, that work can read (`received`) what this
    process `send`s it later.
    """
    global _queue
    if not can_fork():
        return None
    riders, _queue = (_queue, []) if _queue else ([], _queue)
    batch = _batch if riders else None
    # `then` first: it may read what this process sends, which waits until it is read.
    helper = _fork(work, [*then, *riders], fed or (batch is not None and batch.fed))
    if helper is None and riders:
        _queue = riders + (_queue or [])  # no helper: the work waits for the next one
    elif batch is not None:
        batch.helper = helper
    return helper


def _fork(
    work: Callable[[], bytes] | None, riders: list[_Work], fed: bool = False
) -> Helper | None:
    read_end, write_end = os.pipe()
    feed_read, feed_write = os.pipe() if fed else (-1, -1)
    try:
        pid = os.fork()
    except OSError:
        for fd in (read_end, write_end, feed_read, feed_write):
            if fd >= 0:
                os.close(fd)
        return None
    if pid == 0:  # the helper: work, send, go on in the background, leave without cleanup
        status = 1
        try:
            os.close(read_end)
            if fed:
                os.close(feed_write)
            _forget_parent(feed_read)
            _answer(work, write_end)
            if riders:
                # Behind everything the command waits for (the other helpers, the command
                # itself): nobody waits for a cache write until the command ends.
                with contextlib.suppress(OSError):
                    os.nice(10)
                for rider, _ in riders:
                    _quietly(rider)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    if fed:
        os.close(feed_read)
        _feeds[pid] = feed_write
    for _, writes in riders:
        _pending.setdefault(writes, []).append(pid)
    if work is None:
        os.close(read_end)
        return Helper(pid, -1, True)
    return Helper(pid, read_end, bool(riders))


def _forget_parent(feed: int) -> None:
    """A helper waits for no helper of its parent's, feeds none, nor takes its gathered work."""
    global _queue, _fed, _batch
    for fd in _feeds.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _feeds.clear()
    _pending.clear()
    _queue = _batch = None
    _fed = feed


def _answer(work: Callable[[], bytes] | None, write_end: int) -> None:
    """Send what `work` makes behind its length, so that a helper that broke off is seen."""
    with os.fdopen(write_end, "wb") as pipe:
        if work is None:
            return
        try:
            data = work()
        except Exception:  # the parent does the work itself
            return
        pipe.write(len(data).to_bytes(8, "big"))
        pipe.write(data)


def _quietly(work: Callable[[], object]) -> None:
    with contextlib.suppress(Exception):  # a background cache write that fails costs speed only
        work()


def collect(helper: Helper) -> bytes | None:
    """What a helper made, once it is sent; None when it failed."""
    with os.fdopen(helper.pipe, "rb") as pipe:
        head = pipe.read(8)
        data = pipe.read()
    complete = len(head) == 8 and int.from_bytes(head, "big") == len(data)
    if helper.goes_on:  # its background work goes on: `settle` waits for it
        return data if complete else None
    _, status = os.waitpid(helper.pid, 0)
    return data if complete and status == 0 else None


def answered(helper: Helper) -> bool:
    """Whether a helper has sent its answer (or ended): `collect` would not wait long."""
    import select

    try:
        return bool(select.select([helper.pipe], [], [], 0)[0])
    except (OSError, ValueError):
        return True


def send(helper: Helper, data: bytes) -> bool:
    """Send a `fed` helper what its background work reads (once); False if it is gone."""
    fd = _feeds.pop(helper.pid, -1)
    if fd < 0:
        return False
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(data)
    except OSError:  # it died: what it would have done with the data is lost
        return False
    return True


def received() -> bytes:
    """In a `fed` helper: what its parent sent; b"" when it sent nothing."""
    global _fed
    if _fed < 0:
        return b""
    fd, _fed = _fed, -1
    with os.fdopen(fd, "rb") as pipe:
        return pipe.read()


class Shares:
    """Numbered shares of a piece of work, each taken by whichever process asks first: this one
    and the helpers forked while it is open. So each does as much as it has time for, however
    fast the other runs. The numbers wait in a pipe; reading one takes it (a pipe's read is
    never split between readers)."""

    def __init__(self, count: int) -> None:
        self.fd = -1
        if count > MAX_SHARES:
            return
        numbers = b"".join(number.to_bytes(4, "big") for number in range(count))
        read_end, write_end = os.pipe()
        try:
            os.set_blocking(write_end, False)
            written = os.write(write_end, numbers)
        except OSError:
            written = -1
        finally:
            os.close(write_end)  # a read past the last number ends at once
        if written == len(numbers):
            self.fd = read_end
        else:
            os.close(read_end)

    @property
    def open(self) -> bool:
        return self.fd >= 0

    def __iter__(self) -> Iterator[int]:
        """Take the next share until none is left."""
        while self.fd >= 0:
            taken = os.read(self.fd, 4)
            if len(taken) < 4:
                return
            yield int.from_bytes(taken, "big")

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


MAX_SHARES = 1024  # 4 KiB of numbers: what the smallest pipe holds (one page)


def background(work: Callable[[], object], writes: str) -> bool:
    """Start `work`, which only writes `writes` in the cache ("files", or the start of the
    keys of the results it stores), in a helper; False if it must run here.

    `settle` waits for it: what it writes is read again only after that, and the process does
    not end before it. While work is `gathered`, it is queued for the next helper instead.
    """
    if not can_fork():
        return False
    if _queue is not None:
        _queue.append((work, writes))
        return True
    return _fork(None, [(work, writes)]) is not None


class Batch:
    """Background work gathered in a block. With `fed`, the helper that takes it can be sent
    (`post`) what the work reads (`received`) once this process has it."""

    def __init__(self, fed: bool) -> None:
        self.fed = fed
        self.helper: Helper | None = None

    def post(self, data: bytes) -> bool:
        """Send `data` to the work; False when it is not in a helper (it then reads b"")."""
        return self.helper is not None and send(self.helper, data)


@contextlib.contextmanager
def gathered(*, fed: bool = False) -> Iterator[Batch]:
    """Queue the background work started in the block; the first helper forked takes it along,
    and what is left at the end is started in one helper."""
    global _queue, _batch
    if _queue is not None and _batch is not None:  # already gathering: the outer block starts it
        yield _batch
        return
    _queue, _batch = [], Batch(fed)
    batch = _batch
    try:
        yield batch
    finally:
        left, _queue, _batch = _queue, None, None
        if left:
            helper = _fork(None, left, batch.fed) if can_fork() else None
            if helper is None:
                for work, _ in left:
                    _quietly(work)
            batch.helper = helper


def settle(reading: str | None = None) -> None:
    """Wait until the background work is done that writes what `reading` starts with (all of
    it without `reading`); work still gathered is done here. A failure only cost the cache."""
    global _queue
    if reading is None:
        for feed in _feeds.values():
            os.close(feed)
        _feeds.clear()
    if _queue:
        now = [w for w in _queue if reading is None or reading.startswith(w[1])]
        if now:
            _queue = [w for w in _queue if w not in now]
            for work, _ in now:
                _quietly(work)
    for writes in list(_pending):
        if reading is None or reading.startswith(writes):
            for pid in _pending.pop(writes):
                feed = _feeds.pop(pid, -1)
                if feed >= 0:  # nothing more is sent to it: what it reads ends here
                    os.close(feed)
                with contextlib.suppress(ChildProcessError):  # waited for under another name
                    os.waitpid(pid, 0)


atexit.register(settle)  # a process does not end before its helpers
