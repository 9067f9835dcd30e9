"""The digest of example-vault/ for 2026-11-23 is the committed expected note.

Regenerate on purpose with `NETZWERK_REGENERATE=1 python -m pytest tests/test_golden.py`,
then read the diff before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from netzwerk.cli import cli

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "example-vault"
GOLDEN = HERE / "golden"


def _run(vault: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--vault", str(vault), "--today", "2026-11-23", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _compare(name: str, actual: str) -> None:
    expected = GOLDEN / name
    if os.environ.get("NETZWERK_REGENERATE"):
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")


def test_digest_of_the_example_vault(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns(".netzwerk"))
    assert _run(vault, "digest") == "wrote Digests/2026-W48.md\n"
    _compare("digest-2026-W48.md", (vault / "Digests/2026-W48.md").read_text(encoding="utf-8"))


def test_due_of_the_example_vault(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns(".netzwerk"))
    _compare("due-2026-W48.txt", _run(vault, "due"))


def test_the_example_vault_checks_clean() -> None:
    result = CliRunner().invoke(cli, ["check", str(EXAMPLE)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
