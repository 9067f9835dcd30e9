"""Work on the machine's other core, in forked helper processes.

A helper sees everything as it was at the fork and changes nothing its parent sees: what it
makes comes back as bytes, or it writes to the cache in `.netzwerk/`. There is no helper where
there is no fork, or where forking is not safe, in a process with threads (netzwerk watch):
the work is then done in the process itself.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from collections.abc import Callable

Helper = tuple[int, int]  # a forked helper process: its pid and the pipe it answers through

# Helpers writing to the cache, not waited for yet, by what they write: "files" (the index of
# notes), or the start of the keys of the results they store.
_pending: dict[str, list[Helper]] = {}


def fork_helper(work: Callable[[], bytes]) -> Helper | None:
    """Run `work` in a forked process until `collect`; None where no helper can be forked."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the helper: work, send, leave without running any cleanup
        status = 1
        try:
            os.close(read_end)
            data = work()
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def collect(helper: Helper) -> bytes | None:
    """What a helper made, once it is done; None when it failed."""
    pid, read_end = helper
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    return data if status == 0 else None


def background(work: Callable[[], object], writes: str) -> bool:
    """Start `work`, which only writes `writes` in the cache ("files", or the start of the
    keys of the results it stores), in a helper; False if it must run here.

    `settle` waits for it: what it writes is read again only after that, and the process does
    not end before it.
    """

    def run() -> bytes:
        # Behind everything the command waits for (the other helpers, the command itself):
        # nobody waits for a cache write until the command ends.
        with contextlib.suppress(OSError):
            os.nice(10)
        work()
        return b""

    helper = fork_helper(run)
    if helper is None:
        return False
    _pending.setdefault(writes, []).append(helper)
    return True


def settle(reading: str | None = None) -> None:
    """Wait until the background helpers are done that write what `reading` starts with (all
    of them without it); a failed one only cost the cache."""
    for writes in list(_pending):
        if reading is None or reading.startswith(writes):
            for helper in _pending.pop(writes):
                collect(helper)


atexit.register(settle)  # a process does not end before its helpers
