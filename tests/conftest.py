"""Shared fixtures: a small vault written from a dict, a fixed today, and a CLI runner.

Use them as fixtures (``def test_x(tmp_path, write_vault, run): ...``); the plain names
(``TODAY``, ``write_files``, ``invoke``) can also be imported with ``from conftest import …``.

- ``write_vault(tmp_path, {"People/Anna.md": "---\\ntier: 10\\n---\\n"}) -> Path`` writes each
  file (text is written as UTF-8 byte for byte, so ``\\r\\n`` and a BOM survive; bytes as they
  are), creating folders, and returns the vault folder. Files get an mtime one hour in the past
  by default (``age=``), because the index re-reads files modified in the last 2 seconds.
- ``TODAY`` / the ``today`` fixture: 2026-11-23, the Monday of 2026-W48.
- ``run("check", "--strict")`` invokes the ``netzwerk`` command in-process with click's
  ``CliRunner`` (``result.stdout`` and ``result.stderr`` are separate) and with
  ``NETZWERK_TODAY=TODAY``; ``NETZWERK_VAULT``, ``NO_COLOR`` and ``NETZWERK_DEBUG`` are unset
  unless passed in ``env=``; ``color=True`` makes the output look like a terminal. It fails
  the test if the command crashed: an uncaught exception, a traceback or netzwerk's
  "internal error" line.
- ``check_vault(root) -> (snapshot, lines)``: the vault loaded through the core (config,
  notes, cross-note checks) with ``TODAY``, and its problems formatted exactly as ``check``
  prints them, sorted.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner, Result

from netzwerk import app
from netzwerk.cli import cli
from netzwerk.model import Snapshot


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers a core. The watch tests spend most of their time waiting for a
    quiet period to pass; a second worker on the core runs other tests meanwhile."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 * (cores or 1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The watch tests first. Most of their time is spent waiting for a quiet period; started
    first, that waiting overlaps the other workers' busy tests instead of ending the run."""
    items.sort(key=lambda item: item.path.name != "test_watch.py")


TODAY = date(2026, 11, 23)

HOUR = 3600.0


def write_files(root: Path, files: Mapping[str, str | bytes], *, age: float = HOUR) -> Path:
    """Write `{relative path: text or bytes}` under `root` (made if missing); return `root`."""
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.time() - age
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        if age:
            os.utime(path, (stamp, stamp))
    return root


def invoke(
    *args: str,
    env: Mapping[str, str | None] | None = None,
    input: str | None = None,
    color: bool = False,
    crash_ok: bool = False,
) -> Result:
    """Run `netzwerk ARGS…` in-process; fail on a crash unless `crash_ok`.

    `color=True` makes click treat the output as a terminal.
    """
    environment: dict[str, str | None] = {
        "NETZWERK_TODAY": TODAY.isoformat(),
        "NETZWERK_VAULT": None,
        "NETZWERK_DEBUG": None,
        "NO_COLOR": None,
    }
    environment.update(env or {})
    result = CliRunner().invoke(cli, list(args), env=environment, input=input, color=color)
    if not crash_ok:
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        assert not crashed, f"netzwerk {' '.join(args)} raised {result.exception!r}"
        for stream in (result.stdout, result.stderr):
            assert "Traceback" not in stream
            assert "internal error" not in stream
    return result


def problem_lines(root: Path, today: date = TODAY) -> tuple[Snapshot, list[str]]:
    """Load the vault at `root` like `check` does; its problems as printed lines."""
    vault = app.open_vault(root, today, strict=False)
    return vault.snapshot, [p.format() for p in app.check(vault)]


@pytest.fixture
def today() -> date:
    """The fixed "today" of the tests: 2026-11-23."""
    return TODAY


@pytest.fixture
def write_vault() -> Callable[..., Path]:
    """`write_vault(tmp_path, {relative path: text or bytes}, age=3600) -> Path`."""
    return write_files


@pytest.fixture
def run() -> Callable[..., Result]:
    """`run(*args, env=None, input=None, color=False) -> click.testing.Result`."""
    return invoke


@pytest.fixture
def check_vault() -> Callable[..., tuple[Snapshot, list[str]]]:
    """`check_vault(root, today=TODAY) -> (snapshot, printed problem lines)`."""
    return problem_lines


def names(snapshot: Snapshot) -> list[str]:
    """The contacts' names, in the snapshot's order."""
    return [c.name for c in snapshot.contacts]


@pytest.fixture
def contact_names() -> Callable[[Snapshot], list[str]]:
    """`contact_names(snapshot) -> [name, …]`."""
    return names


# --- netzwerk in a process of its own: a deadline, another user, another umask --------------


# Runs `netzwerk ARGS…` with a template time limit of 1 s, so that a template stopped by its
# limit ends soon (netzwerk's own is longer); without the limits (older code) it runs as is.
# {prelude} is code run first (`os` is imported).
_PRELUDE = """
import os, sys
try:
    import netzwerk.sandbox
    netzwerk.sandbox.TIME_LIMIT = 1.0
except ImportError:
    pass
{prelude}
from netzwerk.cli import main
sys.argv[0] = "netzwerk"
main()
"""

# What netzwerk needs on sys.path when run by another user: its source and its dependencies.
_SOURCE = str(Path(__file__).resolve().parent.parent)


def _python_path() -> str:
    paths = [os.environ.get("PYTHONPATH", ""), _SOURCE]
    paths += {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    return os.pathsep.join(p for p in paths if p)


def _environment() -> dict[str, str]:
    env = {**os.environ, "NETZWERK_TODAY": TODAY.isoformat(), "PYTHONPATH": _python_path()}
    for name in ("NETZWERK_VAULT", "NETZWERK_DEBUG", "NO_COLOR"):
        env.pop(name, None)
    return env


def start_process(*args: str, prelude: str = "") -> subprocess.Popen[str]:
    """`netzwerk ARGS…` started in a process of its own (TODAY, no colour); output in pipes."""
    return subprocess.Popen(
        [sys.executable, "-c", _PRELUDE.format(prelude=prelude), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_environment(),
        cwd="/",
    )


def run_process(
    *args: str,
    timeout: float = 60.0,
    user: pwd.struct_passwd | None = None,
    umask: int | None = None,
    python: str = sys.executable,
    prelude: str = "",
) -> subprocess.CompletedProcess[str]:
    """`netzwerk ARGS…` in a process of its own (TODAY, no colour), as `user` and with `umask`
    when given; the test fails when it does not end within `timeout` seconds."""

    def setup() -> None:
        if umask is not None:
            os.umask(umask)
        if user is not None:
            _become(user)

    try:
        return subprocess.run(
            [python, "-c", _PRELUDE.format(prelude=prelude), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=_environment(),
            cwd="/",
            preexec_fn=setup,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"netzwerk {' '.join(args)} did not end within {timeout} s")


def _become(user: pwd.struct_passwd) -> None:
    os.setgroups([])
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)


def _python_for(user: pwd.struct_passwd) -> str | None:
    """An interpreter of this Python version that `user` may run, with netzwerk importable."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for python in (sys.executable, f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"):
        if not os.path.exists(python):
            continue
        try:
            done = subprocess.run(
                [python, "-c", "import netzwerk.cli"],
                env={**os.environ, "PYTHONPATH": _python_path()},
                cwd="/",
                capture_output=True,
                timeout=60,
                preexec_fn=lambda: _become(user),
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return python
    return None


class OtherUser(NamedTuple):
    """A user other than root, and how to run netzwerk as that user."""

    account: pwd.struct_passwd
    python: str

    def run(self, *args: str, umask: int | None = None) -> subprocess.CompletedProcess[str]:
        return run_process(*args, user=self.account, umask=umask, python=self.python)


@pytest.fixture(scope="session")
def other_user() -> OtherUser:
    """`nobody`, when the tests run as root and a Python it may run exists; else skipped."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root, to run netzwerk as another user")
    try:
        account = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no user 'nobody'")
    python = _python_for(account)
    if python is None:
        pytest.skip("no Python that the user 'nobody' can run netzwerk with")
    return OtherUser(account, python)


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A temporary folder every user may enter (pytest's own is the test runner's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="netzwerk-test-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
