"""A vault someone else can push to must not own the machine (issue 21): templates run in a
sandbox and within limits, netzwerk writes nothing through a link or outside the vault, a run
as root leaves the user's files the user's, and YAML aliases are never expanded.

Run them as a group with `pytest -m security`. Commands that could hang run in a process of
their own with a deadline, so that a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import OtherUser, run_process

pytestmark = pytest.mark.security

Run = Callable[..., Any]
WriteVault = Callable[..., Path]

ANNA = "---\ntier: 10\nlast_contact: 2026-01-05\n---\n# Anna Berg\n\n## Log\n"
TEMPLATE = "Templates/netzwerk/digest.md.j2"
DIGEST = "Digests/2026-W48.md"


def one_error_line(stderr: str) -> str:
    """The one `Error: …` line a refused command prints (and nothing else but the summary)."""
    lines = [line for line in stderr.splitlines() if not line.startswith("netzwerk: ")]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


# --- 1. templates run in a sandbox, within limits --------------------------------------------


def test_a_template_cannot_run_a_command(tmp_path: Path, write_vault: WriteVault, run: Run) -> None:
    marker = tmp_path / "pwned"
    attack = f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}\n"
    root = write_vault(tmp_path / "v", {"People/Anna Berg.md": ANNA, TEMPLATE: attack})
    result = run("--vault", str(root), "digest")
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert line.startswith(f"Error: {TEMPLATE}:1: template error: ")
    assert "unsafe" in line
    assert not marker.exists()
    assert not (root / DIGEST).exists()


def test_a_contact_template_cannot_run_a_command(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    marker = tmp_path / "pwned"
    attack = f"{{{{ joiner.__init__.__globals__.os.popen('touch {marker}').read() }}}}\n"
    root = write_vault(tmp_path / "v", {"Templates/netzwerk/contact.md.j2": attack})
    result = run("--vault", str(root), "add", "Bea Bauer")
    assert result.exit_code == 1
    assert "template error" in one_error_line(result.stderr)
    assert not marker.exists()
    assert not (root / "People" / "Bea Bauer.md").exists()


COSTLY = {
    "a string of a billion characters": "{{ 'x' * 10**9 }}",
    "a number of 300 million digits": "{{ 10 ** (10 ** 8) }}",
    "nested loops": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    ),
    "nested loops with output": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}"
    ),
    "huge output": "{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}",
    "doubling in a namespace": (
        "{% set ns = namespace(s='x') %}"
        "{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}"
    ),
    "squaring in a namespace": (
        "{% set ns = namespace(n=3) %}"
        "{% for i in range(64) %}{% set ns.n = ns.n * ns.n %}{% endfor %}{{ ns.n % 7 }}"
    ),
    "a replacement between every character": "{{ ('x' * 100000)|replace('', 'y' * 100000) }}",
    "a width of a billion": "{{ 'x'|center(1000000000) }}",
    "a format width of a billion": "{{ '{:1000000000}'.format(1) }}",
    "a macro calling itself twice": (
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}"
    ),
    "a block of a million copies": (
        "{% set x %}{% for i in range(100000) %}{{ 'y' * 100000 }}{% endfor %}{% endset %}"
        "{{ x|length }}"
    ),
    # Found by a second campaign: a translation table that is a list, bytes methods, and a
    # list of references to one huge list (compared, or given to max, in one C call).
    "translate with a list table": (
        '{% set L = ["x" * 8000000] * 200 %}{{ ("a" * 8000000).translate(L)|length }}'
    ),
    "bytes made wide": "{{ 'a'.encode().ljust(6000000000)|length }}",
    "bytes replaced": "{{ ('a' * 1000).encode().replace('a'.encode(), ('x' * 8000000).encode()) }}",
    "one huge comparison": (
        '{% set A1 = ["x"] * 8000000 %}{% set A2 = ["x"] * 8000000 %}'
        "{{ [A1] * 8000000 < [A2] * 8000000 }}"
    ),
    "the largest of huge lists": '{% set A = ["x"] * 8000000 %}{{ ([A] * 8000000)|max|length }}',
    # Found by a third: compiling takes time and memory by the token, before any render (1 MB
    # of `y~y~…` took 22 s and 3.8 GB).
    "an expression too long to compile": "{{ " + "~".join(["y"] * 520_000) + " }}",
}


@pytest.mark.parametrize("template", COSTLY.values(), ids=COSTLY.keys())
def test_a_costly_template_ends_with_one_error_line_and_writes_nothing(
    tmp_path: Path, write_vault: WriteVault, template: str
) -> None:
    root = write_vault(tmp_path, {"People/Anna Berg.md": ANNA, TEMPLATE: template + "\n"})
    # With 2 GiB of address space: a limit that holds only after the value was made would
    # end in a MemoryError here, not in netzwerk's own message.
    space = "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))"
    done = run_process("--vault", str(root), "digest", prelude=space)
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    line = one_error_line(done.stderr)
    assert line.startswith(f"Error: {TEMPLATE}")
    assert ": template error: " in line
    # One of netzwerk's limits, before the memory runs out (not "MemoryError" after minutes).
    limits = r"would make|ran for more than|output is over|in all|a count of|too large to compile"
    assert re.search(limits, line)
    assert not (root / "Digests").exists()


def test_a_template_that_is_a_fifo_is_not_read(tmp_path: Path, write_vault: WriteVault) -> None:
    root = write_vault(tmp_path, {"People/Anna Berg.md": ANNA})
    (root / "Templates/netzwerk").mkdir(parents=True)
    os.mkfifo(root / TEMPLATE)
    done = run_process("--vault", str(root), "digest")
    assert done.returncode == 1
    assert "not a regular file" in one_error_line(done.stderr)


def test_a_template_linked_from_outside_the_vault_is_not_read(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the private key\n", encoding="utf-8")
    root = write_vault(tmp_path / "v", {"People/Anna Berg.md": ANNA})
    (root / "Templates/netzwerk").mkdir(parents=True)
    (root / TEMPLATE).symlink_to(secret)
    result = run("--vault", str(root), "digest", "--stdout")
    assert "the private key" not in result.stdout + result.stderr
    assert result.exit_code == 1
    assert "outside the vault" in one_error_line(result.stderr)


def test_no_link_reads_the_git_folder_into_a_digest(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    # `.git/config` lies inside the vault and may hold a token: pushed links to it, as a
    # template included by the digest or as a note, must not copy it into a digest.
    root = write_vault(tmp_path, {"People/Anna Berg.md": ANNA})
    (root / ".git").mkdir()
    (root / ".git/config").write_text(
        "[remote]\n\turl = https://user:SECRETTOKEN@example.com/x.git\n", encoding="utf-8"
    )
    (root / "Templates/netzwerk").mkdir(parents=True)
    (root / "Templates/netzwerk/cfg.j2").symlink_to("../../.git/config")
    (root / TEMPLATE).write_text('{% include "cfg.j2" %}\n', encoding="utf-8")
    (root / "People/Config.md").symlink_to("../.git/config")
    result = run("--vault", str(root), "digest", "--stdout")
    assert "SECRETTOKEN" not in result.stdout + result.stderr
    assert result.exit_code == 1
    assert "in a hidden folder" in one_error_line(result.stderr)
    (root / TEMPLATE).unlink()
    assert run("--vault", str(root), "digest").exit_code == 0
    assert "SECRETTOKEN" not in (root / "Digests/2026-W48.md").read_text(encoding="utf-8")
    found = run("--vault", str(root), "find", "SECRETTOKEN")
    assert "SECRETTOKEN" not in found.stdout
    checked = run("check", str(root))
    assert (
        "People/Config.md: warning: a symbolic link out of the vault or into a hidden folder"
        in (checked.stdout)
    )


@pytest.mark.parametrize("kind", ["link to /dev/zero", "fifo"])
def test_an_export_onto_a_link_or_a_fifo_is_refused_at_once(
    tmp_path: Path, write_vault: WriteVault, kind: str
) -> None:
    # A pushed `feed.ics` that links to /dev/zero (or is a FIFO) must not hang the cron job
    # that exports into the vault: the file is refused before it is read.
    root = write_vault(tmp_path, {"People/Anna Berg.md": ANNA})
    feed = root / "feed.ics"
    if kind == "fifo":
        os.mkfifo(feed)
    else:
        feed.symlink_to("/dev/zero")
    done = run_process("--vault", str(root), "export", "ics", "-o", str(feed), timeout=60)
    assert done.returncode == 1
    assert one_error_line(done.stderr).endswith("nothing was written [NW120]")


def test_the_shipped_contact_template_renders_as_before(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"People/Anna Berg.md": ANNA})
    assert run("--vault", str(root), "add", "Bea Bauer", "--tier", "50").exit_code == 0
    assert (root / "People/Bea Bauer.md").read_text(encoding="utf-8") == (
        "---\ntier: 50\nlast_contact:\nbirthday:\ntags:\naliases:\ncompany:\nrole:\n"
        "location:\nemail:\nphone:\ninterests:\nneeds:\noffers:\nknows:\n---\n"
        "# Bea Bauer\n\n\n## Log\n"
    )


# --- 2. netzwerk never writes through a link or outside the vault -----------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the vault, with a file a link may point at (think ~/.bashrc)."""
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / ".bashrc").write_text("alias ll='ls -l'\n", encoding="utf-8")
    return folder


def vault_with(tmp_path: Path, write_vault: WriteVault, **files: str) -> Path:
    return write_vault(tmp_path / "vault", {"People/Anna Berg.md": ANNA, **files})


def test_a_tick_never_appends_to_a_file_outside_the_vault(
    tmp_path: Path, write_vault: WriteVault, run: Run, outside: Path
) -> None:
    bashrc = outside / ".bashrc"
    root = vault_with(tmp_path, write_vault, **{DIGEST: "# Week\n\n- [x] [[Evil]] · Top 10\n"})
    (root / "People/Evil.md").symlink_to(bashrc)
    result = run("--vault", str(root), "digest")
    assert bashrc.read_text(encoding="utf-8") == "alias ll='ls -l'\n"
    assert "recorded" not in result.stdout


def test_log_on_a_link_out_of_the_vault_writes_nothing(
    tmp_path: Path, write_vault: WriteVault, run: Run, outside: Path
) -> None:
    passwd = outside / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    root = vault_with(tmp_path, write_vault)
    (root / "People/pw.md").symlink_to(passwd)
    for args in (["log", "pw", "hi"], ["log", "pw", "hi", "--dry-run"], ["tier", "pw", "10"]):
        result = run("--vault", str(root), *args)
        assert result.exit_code == 1
        one_error_line(result.stderr)
        assert "root:x:0:0" not in result.stdout
    assert passwd.read_text(encoding="utf-8") == "root:x:0:0:root:/root:/bin/bash\n"


def test_a_contact_folder_linked_out_of_the_vault_gets_no_write(
    tmp_path: Path, write_vault: WriteVault, run: Run, outside: Path
) -> None:
    (outside / "Otto Out.md").write_text("---\ntier: 10\n---\n", encoding="utf-8")
    root = vault_with(tmp_path, write_vault, **{DIGEST: "# Week\n\n- [x] [[Otto Out]] · Top 10\n"})
    (root / "People/ext").symlink_to(outside)
    run("--vault", str(root), "digest")
    result = run("--vault", str(root), "log", "Otto", "hi")
    assert result.exit_code == 1
    assert (outside / "Otto Out.md").read_text(encoding="utf-8") == "---\ntier: 10\n---\n"
    assert sorted(p.name for p in outside.iterdir()) == [".bashrc", "Otto Out.md"]


def test_add_into_a_contact_folder_linked_out_of_the_vault_is_refused(
    tmp_path: Path, run: Run, outside: Path
) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "People").symlink_to(outside)
    result = run("--vault", str(root), "add", "Zoe Zander")
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert line.startswith("Error: People/Zoe Zander.md lies outside the vault")
    assert line.endswith("[NW120]")
    assert sorted(p.name for p in outside.iterdir()) == [".bashrc"]


def test_a_digest_folder_linked_out_of_the_vault_is_refused(
    tmp_path: Path, write_vault: WriteVault, run: Run, outside: Path
) -> None:
    root = vault_with(tmp_path, write_vault)
    (root / "Digests").symlink_to(outside)
    result = run("--vault", str(root), "digest")
    assert result.exit_code == 1
    assert one_error_line(result.stderr).endswith("[NW120]")
    assert sorted(p.name for p in outside.iterdir()) == [".bashrc"]
    assert run("--vault", str(root), "digest", "--stdout").exit_code == 0


@pytest.mark.parametrize("target", ["outside", "inside"])
def test_a_digest_that_is_a_link_is_not_written(
    tmp_path: Path, write_vault: WriteVault, run: Run, outside: Path, target: str
) -> None:
    root = vault_with(tmp_path, write_vault, **{"Notes/week.md": "mine\n"})
    linked = outside / ".bashrc" if target == "outside" else root / "Notes/week.md"
    before = linked.read_bytes()
    (root / "Digests").mkdir()
    (root / DIGEST).symlink_to(linked)
    result = run("--vault", str(root), "digest")
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert line.startswith(f"Error: {DIGEST} is a symbolic link")
    assert linked.read_bytes() == before


def test_a_netzwerk_folder_linked_out_of_the_vault_is_not_used(
    tmp_path: Path, write_vault: WriteVault, run: Run, outside: Path
) -> None:
    root = vault_with(tmp_path, write_vault)
    (root / ".netzwerk").symlink_to(outside)
    assert run("--vault", str(root), "due").exit_code == 0  # without a cache: slower, not wrong
    result = run("--vault", str(root), "log", "Anna", "hi")
    assert result.exit_code == 1
    assert one_error_line(result.stderr).endswith("[NW120]")
    assert sorted(p.name for p in outside.iterdir()) == [".bashrc"]
    assert "hi" not in (root / "People/Anna Berg.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["lock", "index.sqlite", "index.sqlite-journal"])
def test_a_link_in_the_netzwerk_folder_is_never_written_through(
    tmp_path: Path, write_vault: WriteVault, run: Run, outside: Path, name: str
) -> None:
    # `.gitignore` is the vault's too: a `.netzwerk/` can be pushed with links in it.
    bashrc = outside / ".bashrc"
    root = vault_with(tmp_path, write_vault)
    (root / ".netzwerk").mkdir()
    (root / ".netzwerk" / name).symlink_to(bashrc)
    run("--vault", str(root), "due")
    run("--vault", str(root), "log", "Anna", "hi")
    run("--vault", str(root), "digest")
    assert bashrc.read_text(encoding="utf-8") == "alias ll='ls -l'\n"


def test_a_folder_linked_within_the_vault_is_written_in_its_real_place(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    root = write_vault(tmp_path, {"Team/Tom Teller.md": "---\ntier: 10\n---\n# Tom\n"})
    (root / "People").mkdir()
    (root / "People/Team").symlink_to(root / "Team")
    result = run("--vault", str(root), "log", "Tom", "hi")
    assert result.exit_code == 0, result.stderr
    assert (root / "People/Team").is_symlink()
    assert "- 2026-11-23: hi" in (root / "Team/Tom Teller.md").read_text(encoding="utf-8")


def test_a_note_linked_within_the_vault_is_not_written_through(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    # A link may point anywhere in the vault: into a hidden folder (.git/config) it is not
    # even read; to another note, it is read but never written through.
    root = vault_with(tmp_path, write_vault, **{".git/config": "[core]\n", "Work/Ben.md": ""})
    (root / "People/Config.md").symlink_to(root / ".git/config")
    result = run("--vault", str(root), "log", "Config", "hi")
    assert result.exit_code == 1
    assert one_error_line(result.stderr).startswith("Error: no contact named 'Config'")
    assert (root / ".git/config").read_text(encoding="utf-8") == "[core]\n"
    (root / "People/Ben.md").symlink_to(root / "Work/Ben.md")
    result = run("--vault", str(root), "log", "Ben", "hi")
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert line.startswith("Error: People/Ben.md is a symbolic link")
    assert line.endswith("[NW120]")
    assert (root / "Work/Ben.md").read_text(encoding="utf-8") == ""


def test_the_write_rule(tmp_path: Path, outside: Path) -> None:
    from netzwerk.files import NotWritable, writable

    root = tmp_path / "vault"
    (root / "People").mkdir(parents=True)
    (root / "People/Anna.md").write_text("x", encoding="utf-8")
    (root / "People/link.md").symlink_to(root / "People/Anna.md")
    (root / "People/out").symlink_to(outside)
    (root / "People/Folder.md").mkdir()
    os.mkfifo(root / "People/Pipe.md")
    (root / "Digests").write_text("a file", encoding="utf-8")
    (root / ".git/hooks").mkdir(parents=True)
    (root / "People/hooks").symlink_to(root / ".git/hooks")
    assert writable(root / "People/Anna.md", root) == (root / "People/Anna.md").resolve()
    assert writable(root / "People/New/Bea.md", root).name == "Bea.md"
    assert writable(root / ".gitignore", root).name == ".gitignore"  # (a file, not a folder)
    assert writable(root / ".netzwerk/index.sqlite", root).name == "index.sqlite"
    refused = {
        ".git/refs/heads/2026-W48.md": r".git/refs/heads/2026-W48.md lies in a hidden folder",
        ".git/hooks/pre-commit.md": r".git/hooks/pre-commit.md lies in a hidden folder",
        "People/hooks/x.md": r"People/hooks/x.md lies in a hidden folder",
        ".netzwerk/sub/x.md": r".netzwerk/sub/x.md lies in a hidden folder",
        "People/link.md": "People/link.md is a symbolic link",
        "People/out/x.md": "People/out/x.md lies outside the vault",
        "People/Folder.md": "People/Folder.md is a folder, not a file",
        "People/Pipe.md": "People/Pipe.md is not a regular file",
        "Digests/2026-W48.md": "Digests is a file, not a folder",
    }
    for relative, message in refused.items():
        with pytest.raises(NotWritable, match=rf"^{message}.*\[NW120\]$"):
            writable(root / relative, root)


# --- 3. a run as root leaves the user's files the user's -------------------------------------

UID, GID = 1000, 1000  # another user; it need not exist


def owner(path: Path) -> tuple[int, int]:
    info = os.lstat(path)
    return info.st_uid, info.st_gid


def anna_vault(folder: Path) -> Path:
    """A vault of one note in `folder`/vault (a folder another user may enter)."""
    root = folder / "vault"
    (root / "People").mkdir(parents=True)
    (root / "People/Anna Berg.md").write_text(ANNA, encoding="utf-8")
    return root


def chown_all(root: Path, uid: int, gid: int) -> None:
    os.chown(root, uid, gid)
    for folder, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.chown(os.path.join(folder, name), uid, gid, follow_symlinks=False)


@pytest.fixture
def as_root() -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root: what a root run does to a user's files")


@pytest.mark.usefixtures("as_root")
def test_a_rewrite_as_root_keeps_owner_group_and_mode(
    tmp_path: Path, write_vault: WriteVault
) -> None:
    root = write_vault(
        tmp_path / "v", {"People/Anna Berg.md": ANNA, DIGEST: "# Week\n\n- [x] [[Anna Berg]]\n"}
    )
    chown_all(root, UID, GID)
    note = root / "People/Anna Berg.md"
    note.chmod(0o640)
    for args in (["log", "Anna", "hi"], ["tier", "Anna", "50"], ["digest"]):
        done = run_process("--vault", str(root), *args, umask=0o077)
        assert done.returncode == 0, done.stderr
    assert "checked in (digest 2026-W48)" in note.read_text(encoding="utf-8")
    assert owner(note) == (UID, GID)
    assert stat.S_IMODE(note.stat().st_mode) == 0o640
    assert owner(root / DIGEST) == (UID, GID)


@pytest.mark.usefixtures("as_root")
def test_what_root_creates_belongs_to_the_owner_of_its_folder(tmp_path: Path) -> None:
    root = tmp_path / "v"
    (root / "People").mkdir(parents=True)
    (root / "People/Anna Berg.md").write_text(ANNA, encoding="utf-8")
    chown_all(root, UID, GID)
    for args in (["add", "Bea Bauer"], ["digest"]):
        done = run_process("--vault", str(root), *args, umask=0o077)
        assert done.returncode == 0, done.stderr
    created = [root / "People/Bea Bauer.md", root / "Digests", root / DIGEST, root / ".netzwerk"]
    created += sorted((root / ".netzwerk").iterdir())
    assert {str(p.relative_to(root)): owner(p) for p in created} == {
        str(p.relative_to(root)): (UID, GID) for p in created
    }
    assert {p.name for p in (root / ".netzwerk").iterdir()} >= {"lock", "index.sqlite"}


def test_after_sudo_with_umask_077_the_user_can_go_on(
    shared_tmp: Path, other_user: OtherUser
) -> None:
    user = other_user.account
    root = anna_vault(shared_tmp)
    chown_all(root, user.pw_uid, user.pw_gid)
    for args in (["digest"], ["log", "Anna", "by root"]):
        assert run_process("--vault", str(root), *args, umask=0o077).returncode == 0
    for args in (["log", "Anna", "by the user"], ["due"], ["digest"], ["index", "--rebuild"]):
        done = other_user.run("--vault", str(root), *args)
        assert done.returncode == 0, (args, done.stderr)
    text = (root / "People/Anna Berg.md").read_text(encoding="utf-8")
    assert "by root" in text and "by the user" in text


def test_init_as_root_never_makes_a_repository_over_the_users(
    shared_tmp: Path, other_user: OtherUser
) -> None:
    # git will not use another user's repository as root ("dubious ownership"); `git init`
    # over it would have made its .git/config root's.
    user = other_user.account
    root = anna_vault(shared_tmp)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    chown_all(root, user.pw_uid, user.pw_gid)
    done = run_process("--vault", str(root), "init", "--git")
    assert done.returncode == 1
    assert "exists but git refuses it" in one_error_line(done.stderr)
    config = (root / ".git/config").stat()
    assert (config.st_uid, config.st_gid) == (user.pw_uid, user.pw_gid)


def test_a_user_who_cannot_keep_the_owner_does_not_take_the_note(
    shared_tmp: Path, other_user: OtherUser
) -> None:
    # A shared vault: the folder is writable for the user, the note belongs to someone else.
    user = other_user.account
    root = shared_tmp / "vault"
    (root / "People").mkdir(parents=True)
    note = root / "People/Anna Berg.md"
    note.write_text(ANNA, encoding="utf-8")
    chown_all(root, UID, GID)
    for path in (root, root / "People"):
        path.chmod(0o777)
    note.chmod(0o666)
    done = other_user.run("--vault", str(root), "log", "Anna", "hi")
    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert line.startswith("Error: People/Anna Berg.md belongs to ")
    assert f"netzwerk runs as {user.pw_name}" in line
    assert owner(note) == (UID, GID)
    assert note.read_text(encoding="utf-8") == ANNA
    assert [p.name for p in (root / "People").iterdir()] == ["Anna Berg.md"]


# --- 5. YAML aliases are never expanded --------------------------------------------------------


def billion_laughs() -> str:
    """Front matter whose aliases expand to 9^9 (387 million) strings."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, current in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{current}: &{current} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "---\ntier: 50\n" + "\n".join(lines) + "\n---\n# Bob Laugh\n"


@pytest.mark.parametrize(
    "args",
    [["tier", "Bob", "10"], ["pause", "Bob"], ["snooze", "Bob", "3w"], ["log", "Bob", "hi"]],
    ids=["tier", "pause", "snooze", "log"],
)
def test_an_edit_of_a_billion_laughs_note_finishes(
    tmp_path: Path, write_vault: WriteVault, args: list[str]
) -> None:
    text = billion_laughs()
    root = write_vault(tmp_path, {"People/Bob Laugh.md": text})
    done = run_process("--vault", str(root), *args)
    assert done.returncode == 1
    assert "anchors or aliases" in one_error_line(done.stderr)
    assert (root / "People/Bob Laugh.md").read_text(encoding="utf-8") == text


def test_what_a_vault_holds_reaches_the_terminal_as_text(
    tmp_path: Path, write_vault: WriteVault, run: Run
) -> None:
    """A name, a title or a digest's file name can hold what a terminal takes as a command
    (ESC ] 0 sets the window's title, ESC ] 52 the clipboard, ESC [ 2J clears the screen) or
    a line break that makes a line of its own: printed, it is written as an escape."""
    name = '"Yuki\\e]0;PWNTITLE\\a\\e[2J\\nFAKE LINE"'
    root = write_vault(
        tmp_path,
        {
            "People/Yuki Sato.md": f"---\nname: {name}\ntier: 10\n---\n",
            "People/Ann\x1b]52;c;ZWNobw==\x07.md": "---\ntier: 10\n---\n",
            "Digests/2026-W47\n- [ ] injected.md": "## Overdue\n\n- [x] [[Yuki Sato]]\n",
        },
    )
    printed = [
        run("--vault", str(root), *args, color=True).stdout
        for args in (["show", "Yuki"], ["due"], ["find", "Yuki"], ["find", "Ann"], ["digest"])
    ]
    assert "recorded 2026-11-23 for Yuki Sato (ticked in 2026-W47\\n- [ ] injected)" in printed[-1]
    for text in printed:
        assert "\x07" not in text and not re.search(r"\x1b(?!\[[0-9;]*m)", text), text
        assert not any(
            line.startswith(("FAKE LINE", "- [ ] injected")) for line in text.split("\n")
        )
    assert "Yuki\\x1b]0;PWNTITLE\\x07\\x1b[2J\\nFAKE LINE" in printed[0]
