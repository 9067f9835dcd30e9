"""The cold parse on two cores: the one place netzwerk starts a process.

A vault read without an index spends most of its time parsing notes. When there are many, a
forked helper parses too: both take shares of the notes from one pipe, each as it comes free,
so neither waits for the other however fast each one runs (on a busy machine it costs no more
than parsing alone would). The helper sends back what it made; if it fails, this process
does its shares too. The fork happens before any note is read, while this process is small.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import struct
import sys
import threading
from collections.abc import Callable
from typing import Any

MIN_ITEMS = 2000  # fewer items: starting a helper costs more than it saves
SHARE = 32  # items a process takes at a time
_RECORD = struct.Struct("<I")  # a share's number in the pipe (4 bytes: read atomically)
_PIPE_RECORDS = 16384  # 64 KiB of share numbers fit into a pipe before anyone reads


def can_fork() -> bool:
    """Whether a helper may be forked here: a POSIX system, two cores, no other threads."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        sys.platform != "win32"
        and (cores or 1) > 1
        and threading.active_count() == 1
        and hasattr(os, "fork")
    )


def share_out(
    count: int,
    here: Callable[[int], None],
    there: Callable[[int], bytes],
    progress: Callable[[int, int], None] | None = None,
) -> dict[int, bytes]:
    """Do items 0…count-1: `here(i)` in this process, `there(i)` (which returns bytes) in a
    helper, each item once. Returns what the helper made, by item."""
    if count < MIN_ITEMS or not can_fork():
        for item in range(count):
            here(item)
            if progress is not None:
                progress(item + 1, count)
        return {}
    size = max(SHARE, -(-count // _PIPE_RECORDS))
    shares = -(-count // size)
    take_read, take_write = os.pipe()
    os.write(take_write, b"".join(_RECORD.pack(n) for n in range(shares)))
    os.close(take_write)
    answer_read, answer_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the helper
        code = 1
        try:
            os.close(answer_read)
            made: list[tuple[int, bytes]] = []
            for share in _shares(take_read):
                made += [(item, there(item)) for item in _items(share, size, count)]
            data: Any = made
            with os.fdopen(answer_write, "wb") as answer:
                answer.write(marshal.dumps(data))
            code = 0
        finally:
            os._exit(code)  # no cleanup of the parent's state in the helper
    os.close(answer_write)
    done: set[int] = set()
    received = b""
    try:
        for share in _shares(take_read):
            for item in _items(share, size, count):
                here(item)
                done.add(item)
            if progress is not None:
                progress(min(count, (share + 1) * size), count)
        with os.fdopen(answer_read, "rb", closefd=False) as answer:
            received = answer.read()
    finally:
        os.close(take_read)
        os.close(answer_read)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    made_there: dict[int, bytes] = {}
    with contextlib.suppress(ValueError, EOFError, TypeError):
        made_there = dict(marshal.loads(received))
    for item in range(count):  # the helper failed (or was killed): its shares are done here
        if item not in done and item not in made_there:
            here(item)
    return made_there


def _shares(pipe: int) -> Any:
    """The share numbers this process takes from the pipe, one at a time, until none is left."""
    while True:
        record = os.read(pipe, _RECORD.size)
        if len(record) < _RECORD.size:
            return
        yield _RECORD.unpack(record)[0]


def _items(share: int, size: int, count: int) -> range:
    return range(share * size, min(count, (share + 1) * size))
