"""The cold parse on two cores: the same notes as on one, each note once, a failed helper
costs nothing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from netzwerk import parallel
from netzwerk import scan as scan_mod
from netzwerk import vault as vault_mod
from netzwerk.config import load_config

needs_two_cores = pytest.mark.skipif(not parallel.can_fork(), reason="no second core to use")


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Share out even a handful of items, a few at a time."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    monkeypatch.setattr(parallel, "SHARE", 3)


def run(count: int, there: Callable[[int], bytes]) -> tuple[list[int], dict[int, bytes]]:
    done: list[int] = []
    made = parallel.share_out(count, done.append, there)
    return done, made


@needs_two_cores
def test_every_item_is_done_once(small: None) -> None:
    done, made = run(100, lambda item: str(item * item).encode())
    assert sorted(done + list(made)) == list(range(100))
    assert all(made[item] == str(item * item).encode() for item in made)


@needs_two_cores
@pytest.mark.parametrize("when", [0, 5, 50])
def test_a_helper_that_fails_leaves_its_items_to_this_process(small: None, when: int) -> None:
    """The helper fails on its item after `when` (if it gets that many: on a busy machine
    this process may take the shares first): nothing it made counts, and this process does
    every item the helper did not hand back."""
    parent = os.getpid()
    made_there: list[int] = []  # (the helper's own copy after the fork)

    def there(item: int) -> bytes:
        if os.getpid() != parent and len(made_there) >= when:
            raise RuntimeError("the helper fails")  # (or os._exit: the same for the parent)
        made_there.append(item)
        return b"x"

    done, made = run(100, there)
    assert sorted(done + list(made)) == list(range(100))  # each item once
    assert len(made) <= when  # a helper that failed handed back nothing
    if when == 0:
        assert made == {}


@needs_two_cores
def test_a_helper_killed_midway_leaves_its_items_to_this_process(small: None) -> None:
    parent = os.getpid()

    def there(item: int) -> bytes:
        if os.getpid() != parent:
            os._exit(9)
        return b"x"

    done, made = run(60, there)
    assert (sorted(done), made) == (list(range(60)), {})


def test_few_items_are_done_here_alone() -> None:
    forks: list[int] = []
    done, made = run(10, lambda item: forks.append(item) or b"")
    assert (done, made, forks) == (list(range(10)), {}, [])


NOTE = (
    "---\ntier: {tier}\nlast_contact: 2026-0{month}-01\nknows: ['[[P{other}]]']\n---\n"
    "- 2026-01-02 call: hi {n}\n"
)


def vault(root: Path) -> Path:
    for n in range(40):
        note = NOTE.format(tier=(10, 50, 100)[n % 3], month=n % 9 + 1, other=(n + 1) % 40, n=n)
        path = root / "People" / f"P{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note, encoding="utf-8")
        journal = root / "Daily" / f"2026-10-{n % 28 + 1:02d} {n}.md"
        journal.parent.mkdir(parents=True, exist_ok=True)
        journal.write_text(f"- [x] met [[P{n}]]\n", encoding="utf-8")
    (root / "People" / "Broken.md").write_text("---\ntier: [\n---\n", encoding="utf-8")
    (root / "People" / "Latin.md").write_bytes(b"---\ncompany: Caf\xe9\n---\n")
    return root


def loaded(root: Path) -> Any:
    config, _ = load_config(root)
    found = vault_mod.load(config, scan_mod.scan(config))
    contacts = [(c, dict(c.lines), dict(c.extra)) for c in found.snapshot.contacts]
    return contacts, found.snapshot.journals, sorted(p.format() for p in found.problems)


@needs_two_cores
def test_a_vault_read_on_two_cores_is_the_vault_read_on_one(tmp_path: Path, small: None) -> None:
    root = vault(tmp_path / "a")
    shutil.copytree(root, tmp_path / "b")
    on_two = loaded(root)
    parallel.MIN_ITEMS = 10_000  # (restored by the fixture's monkeypatch)
    assert loaded(tmp_path / "b") == on_two
    assert len(on_two[0]) == 40 and len(on_two[1]) == 40
