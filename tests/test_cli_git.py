"""git set-up through the command line, and a real merge through `netzwerk merge-driver`."""

from __future__ import annotations

import io
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from netzwerk import cli_base as cli_module
from netzwerk.cli import cli

GIT_ENV = {
    "GIT_AUTHOR_NAME": "T",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "T",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "NETZWERK_TODAY": "2026-11-23",
}

NOTE = """---
tier: 50
last_contact: 2026-09-14
company: Atelier Bleu
tags:
  - artist
---
# Marie Dupont

## Log
- 2026-09-14 call: she is looking for a venue in Nice
"""


@pytest.fixture(autouse=True)
def _git_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_init_git_creates_the_repository_and_registers_the_driver(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    code, out, _ = run("init", str(vault), "--git")
    assert code == 0
    assert out.splitlines()[-6:] == [
        "created a git repository",
        "added People/**/*.md merge=netzwerk to .gitattributes",
        "added Digests/*.md merge=netzwerk to .gitattributes",
        "set merge.netzwerk.name in .git/config",
        "set merge.netzwerk.driver in .git/config",
        '0 contacts. Next: netzwerk add "NAME"',  # init ends with how many, and what next
    ]
    # The interpreter by its absolute path: works without netzwerk on PATH (a git GUI).
    assert git(vault, "config", "merge.netzwerk.driver").stdout.strip() == (
        f"{shlex.quote(sys.executable)} -P -m netzwerk merge-driver %O %A %B %P"
    )
    attributes = git(vault, "check-attr", "merge", "People/Work/Anna Berg.md").stdout
    assert attributes.strip() == "People/Work/Anna Berg.md: merge: netzwerk"
    assert run("--vault", str(vault), "git-setup") == (0, "already set up\n", "")


def test_git_setup_outside_a_repository_is_refused(tmp_path: Path) -> None:
    code, out, err = run("--vault", str(tmp_path), "git-setup")
    assert (code, out) == (1, "")
    assert err == f"Error: {tmp_path} is not inside a git work tree\n"


def repository(root: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> Path:
    """A repository at `root` with Marie's note and `files`, the driver set up, committed;
    no netzwerk on PATH (as in a git GUI) and no netzwerk.toml."""
    monkeypatch.setenv("PATH", str(Path(shutil.which("git") or "/usr/bin/git").parent))
    for relative, text in {"People/Marie Dupont.md": NOTE, **files}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    assert git(root, "init", "-q", "-b", "main").returncode == 0
    assert run("--vault", str(root), "git-setup")[0] == 0
    git(root, "add", "-A")
    assert git(root, "commit", "-qm", "start").returncode == 0
    return root


def merge_two_devices(repo: Path, *phone: str) -> subprocess.CompletedProcess[str]:
    """The command `phone` on a branch, a long call logged on main, then main merges it."""
    git(repo, "checkout", "-qb", "phone")
    assert run("--vault", str(repo), *phone)[0] == 0
    git(repo, "commit", "-qam", "phone")
    git(repo, "checkout", "-q", "main")
    assert run("--vault", str(repo), "log", "Marie", "long call", "--kind", "call")[0] == 0
    git(repo, "commit", "-qam", "laptop")
    return git(repo, "merge", "--no-edit", "phone")


def test_two_devices_merge_through_the_command_line_driver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = repository(tmp_path / "vault", monkeypatch, {})
    git(repo, "checkout", "-qb", "phone")
    assert run("--vault", str(repo), "log", "Marie", "texted", "--kind", "message",
               "--date", "2026-11-20")[0] == 0  # fmt: skip
    assert run("--vault", str(repo), "tier", "Marie", "10")[0] == 0
    git(repo, "commit", "-qam", "phone")
    git(repo, "checkout", "-q", "main")
    assert run("--vault", str(repo), "log", "Marie", "long call", "--kind", "call")[0] == 0
    assert run("--vault", str(repo), "snooze", "Marie", "2w")[0] == 0
    git(repo, "commit", "-qam", "laptop")

    merged = git(repo, "merge", "--no-edit", "phone")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = (repo / "People/Marie Dupont.md").read_text(encoding="utf-8")
    assert text == (
        "---\ntier: 10\nlast_contact: 2026-11-23\ncompany: Atelier Bleu\ntags:\n  - artist\n"
        "snooze_until: 2026-12-07\n---\n# Marie Dupont\n\n## Log\n"
        # One line could not tell the order: log lines go oldest first, and the merge keeps it.
        "- 2026-09-14 call: she is looking for a venue in Nice\n"
        "- 2026-11-20 message: texted\n"
        "- 2026-11-23 call: long call\n"
    )
    assert run("--vault", str(repo), "check") == (0, "", "")


def test_a_real_conflict_is_left_with_markers_that_check_reports(tmp_path: Path) -> None:
    repo = tmp_path / "vault"
    (repo / "People").mkdir(parents=True)
    (repo / "People/Marie Dupont.md").write_text(NOTE, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    run("--vault", str(repo), "git-setup")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")
    note = repo / "People/Marie Dupont.md"
    git(repo, "checkout", "-qb", "other")
    note.write_text(NOTE.replace("Atelier Bleu", "Atelier Rouge"), encoding="utf-8")
    git(repo, "commit", "-qam", "rouge")
    git(repo, "checkout", "-q", "main")
    note.write_text(NOTE.replace("Atelier Bleu", "Atelier Vert"), encoding="utf-8")
    git(repo, "commit", "-qam", "vert")
    assert git(repo, "merge", "--no-edit", "other").returncode != 0
    lines = note.read_text(encoding="utf-8").splitlines()
    start = lines.index("<<<<<<< ours:People/Marie Dupont.md")
    assert lines[start : start + 5] == [
        "<<<<<<< ours:People/Marie Dupont.md",
        "company: Atelier Vert",
        "=======",
        "company: Atelier Rouge",
        ">>>>>>> theirs:People/Marie Dupont.md",
    ]
    code, out, _ = run("--vault", str(repo), "check")
    assert code == 1
    assert f"People/Marie Dupont.md:{start + 1}: error: git conflict marker" in out


def test_progress_shows_only_on_a_terminal_after_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stderr = Terminal()
    monkeypatch.setattr(sys, "stderr", stderr)
    clock = iter([0.0, 0.5, 1.5, 1.6])
    monkeypatch.setattr(cli_module.time, "monotonic", lambda: next(clock))
    report = cli_module.progress()
    assert report is not None
    report(97, 194)  # within the first second: nothing
    assert stderr.getvalue() == ""
    report(97, 194)
    report(194, 194)
    assert stderr.getvalue() == (
        "\rindexing [###############---------------] 97/194"
        "\rindexing [##############################] 194/194\n"
    )
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert cli_module.progress() is None


def test_people_marked_by_a_property_merge_through_the_driver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: only `contacts` folders got the driver; people found by contacts_where merged
    # as plain text, so two devices' log lines conflicted.
    monkeypatch.setenv("PATH", str(Path(shutil.which("git") or "/usr/bin/git").parent))
    repo = tmp_path / "vault"
    (repo / "References").mkdir(parents=True)
    (repo / "netzwerk.toml").write_text(
        'contacts = []\ncontacts_where = ["type = person"]\n', encoding="utf-8"
    )
    note = repo / "References/Marie Dupont.md"
    note.write_text(NOTE.replace("tier: 50\n", "type: person\ntier: 50\n"), encoding="utf-8")
    (repo / "References/Dune.md").write_text("---\ntype: book\n---\n", encoding="utf-8")
    (repo / ".gitignore").write_text(".netzwerk/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    code, out, _ = run("--vault", str(repo), "git-setup")
    assert code == 0
    assert "added References/**/*.md merge=netzwerk to .gitattributes" in out.splitlines()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")
    merged = merge_two_devices(repo, "log", "Marie", "texted", "--date", "2026-11-20")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = note.read_text(encoding="utf-8")
    assert "- 2026-11-23 call: long call\n" in text and "- 2026-11-20: texted\n" in text


@pytest.mark.security
def test_a_netzwerk_folder_pushed_into_the_repository_does_not_run_when_git_merges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git runs the merge driver at the top of the work tree, and `python -m netzwerk` would
    import a `netzwerk/` folder found there first: one that someone pushed must not run."""
    ran = tmp_path / "ran"
    pushed = {
        "netzwerk/__init__.py": f"open({str(ran)!r}, 'w').close()\n",
        "netzwerk/__main__.py": "raise SystemExit(2)\n",
    }
    repo = repository(tmp_path / "vault", monkeypatch, pushed)
    merged = merge_two_devices(repo, "tier", "Marie", "10")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert not ran.exists()
    text = (repo / "People/Marie Dupont.md").read_text(encoding="utf-8")
    assert "tier: 10\n" in text and "- 2026-11-23 call: long call\n" in text
