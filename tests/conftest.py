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
import time
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from netzwerk import app
from netzwerk.cli import cli
from netzwerk.model import Snapshot

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
