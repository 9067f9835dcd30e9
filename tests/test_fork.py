"""Helper processes on the other core: answers, background cache writes, gathering them."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from netzwerk import fork


def writer(path: Path, text: str) -> Callable[[], object]:
    return lambda: path.write_text(text, "utf-8")


def test_a_helper_answers_with_what_its_work_made(forks: list[int]) -> None:
    helper = fork.fork_helper(lambda: b"made over there")
    assert helper is not None
    assert fork.collect(helper) == b"made over there"
    assert len(forks) == 1


def test_a_helper_whose_work_fails_answers_none(forks: list[int]) -> None:
    def fails() -> bytes:
        raise ValueError("broken")

    helper = fork.fork_helper(fails)
    assert helper is not None
    assert fork.collect(helper) is None  # the caller does the work itself


def test_a_helper_that_dies_midway_answers_none(forks: list[int]) -> None:
    helper = fork.fork_helper(lambda: os._exit(3))
    assert helper is not None
    assert fork.collect(helper) is None


def test_background_work_is_done_when_settled(tmp_path: Path, forks: list[int]) -> None:
    target = tmp_path / "written"
    assert fork.background(writer(target, "cache"), "files")
    fork.settle("files")
    assert target.read_text("utf-8") == "cache"
    assert len(forks) == 1


def test_settle_waits_only_for_what_is_read(tmp_path: Path, forks: list[int]) -> None:
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    # Blocks until this process opens the FIFO: settling "files" must not wait for it.
    assert fork.background(lambda: gate.read_text(), "digest-state:")
    assert fork.background(writer(tmp_path / "rows", "rows"), "files")
    fork.settle("files")
    assert (tmp_path / "rows").read_text("utf-8") == "rows"
    gate.write_text("go")
    fork.settle()


def test_gathered_work_goes_with_the_next_helper(tmp_path: Path, forks: list[int]) -> None:
    with fork.gathered():
        assert fork.background(writer(tmp_path / "a", "rows"), "files")
        assert fork.background(writer(tmp_path / "b", "state"), "digest-state:")
        assert forks == []  # queued, not forked yet
        helper = fork.fork_helper(lambda: b"intros")
        assert helper is not None
        assert fork.collect(helper) == b"intros"  # sent before the background work is done
    assert len(forks) == 1  # one helper did all three
    fork.settle("digest-state:x")
    assert (tmp_path / "b").read_text("utf-8") == "state"
    fork.settle("files")
    assert (tmp_path / "a").read_text("utf-8") == "rows"


def test_work_left_at_the_end_of_a_gathering_shares_one_helper(
    tmp_path: Path, forks: list[int]
) -> None:
    with fork.gathered():
        for name in "abc":
            assert fork.background(writer(tmp_path / name, name), "digest-state:")
    assert len(forks) == 1
    fork.settle()
    assert [(tmp_path / n).read_text("utf-8") for n in "abc"] == ["a", "b", "c"]


def test_gathered_work_that_is_read_is_done_on_the_spot(tmp_path: Path, forks: list[int]) -> None:
    with fork.gathered():
        assert fork.background(writer(tmp_path / "rows", "rows"), "files")
        fork.settle("files")  # e.g. the index is opened again before any helper was forked
        assert (tmp_path / "rows").read_text("utf-8") == "rows"
    assert forks == []


def test_a_failing_background_write_does_not_stop_the_next(
    tmp_path: Path, forks: list[int]
) -> None:
    def fails() -> None:
        raise OSError("disk full")

    with fork.gathered():
        assert fork.background(fails, "files")
        assert fork.background(writer(tmp_path / "state", "state"), "digest-state:")
    fork.settle()
    assert (tmp_path / "state").read_text("utf-8") == "state"


def test_a_helper_takes_along_the_work_given_to_it(tmp_path: Path, forks: list[int]) -> None:
    then = [(writer(tmp_path / "rows", "rows"), "files")]
    helper = fork.fork_helper(lambda: b"parsed", then)
    assert helper is not None
    assert fork.collect(helper) == b"parsed"
    fork.settle("files")
    assert (tmp_path / "rows").read_text("utf-8") == "rows"
    assert len(forks) == 1


@pytest.mark.parametrize(("sent", "read"), [(b"yours", b"mine + yours"), (None, b"mine + ")])
def test_a_fed_helper_reads_what_is_sent_after_it_answered(
    tmp_path: Path, forks: list[int], sent: bytes | None, read: bytes
) -> None:
    target = tmp_path / "rows"
    then = [(lambda: target.write_bytes(b"mine + " + fork.received()), "files")]
    helper = fork.fork_helper(lambda: b"parsed", then, fed=True)
    assert helper is not None
    assert fork.collect(helper) == b"parsed"
    if sent is not None:
        assert fork.send(helper, sent)
        assert not fork.send(helper, b"again")  # once
    # Nothing more will be sent: the helper reads the end of its feed, not waited for forever.
    fork.settle("files")
    assert target.read_bytes() == read


def test_gathered_work_reads_what_is_posted_to_it_later(tmp_path: Path, forks: list[int]) -> None:
    target = tmp_path / "state"
    with fork.gathered(fed=True) as batch:
        assert fork.background(lambda: target.write_bytes(b"with " + fork.received()), "x:")
        helper = fork.fork_helper(lambda: b"intros")
        assert helper is not None
        assert fork.collect(helper) == b"intros"
    assert batch.post(b"the problems")  # known only now, after the helper was forked
    fork.settle("x:")
    assert target.read_bytes() == b"with the problems"
    assert len(forks) == 1


def test_work_left_at_the_end_of_a_fed_gathering_is_fed_too(
    tmp_path: Path, forks: list[int]
) -> None:
    target = tmp_path / "state"
    with fork.gathered(fed=True) as batch:
        assert fork.background(lambda: target.write_bytes(b"with " + fork.received()), "x:")
    assert batch.post(b"more")
    fork.settle()
    assert target.read_bytes() == b"with more"
    assert len(forks) == 1


def test_shares_are_each_taken_once_by_whichever_process_asks(forks: list[int]) -> None:
    shares = fork.Shares(500)
    assert shares.open

    def take() -> bytes:
        taken = []
        for number in shares:
            taken.append(number)
            time.sleep(0.0005)  # work on it, while the other process takes the next ones
        return ",".join(map(str, taken)).encode()

    helper = fork.fork_helper(take)
    assert helper is not None
    mine = [int(n) for n in take().split(b",") if n]
    shares.close()
    answer = fork.collect(helper)
    assert answer is not None
    theirs = [int(n) for n in answer.split(b",") if n]
    assert mine and theirs  # both did some
    assert sorted(mine + theirs) == list(range(500))  # each share exactly once
    assert mine == sorted(mine) and theirs == sorted(theirs)  # in order, as each came free


def test_no_shares_are_made_where_a_pipe_could_not_hold_their_numbers() -> None:
    assert not fork.Shares(fork.MAX_SHARES + 1).open
    empty = fork.Shares(0)
    assert list(empty) == []
    empty.close()
