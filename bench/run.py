"""Benchmark the installed ``netzwerk`` command on generated vaults (see bench/README.md).

Usage: python bench/run.py [--sizes 1000,10000,100000] [--runs 5] [--keep DIR] [--json FILE]
                           [--netzwerk CMD] [--compare CMD]

Every figure is a whole-process wall time (start to exit of a child process), the median of
--runs runs: ``--help``; the digest cold, cold with the other core busy, warm, on the next
day and after one note changed; every read command warm and after one edited note; and the
peak memory of a cold digest (summed over the process tree). The machine's speed drifts, so
the targets are ratios to a plain python-frontmatter loop (bench/baseline.py), which runs
once in every round of every measurement, beside the commands it is compared with.

With ``--compare CMD`` every run of the benchmarked netzwerk (A) is followed by the same run
of CMD (B) on its own copy of the vault, so both see the same minutes of the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 11, 23)
TARGET_SIZE = 10_000  # the ratio targets apply at 10,000 contacts
SETTLE_SECONDS = 2.1  # netzwerk does not trust a file modified in the last 2 s
SAMPLE_SECONDS = 0.005  # how often the process tree's memory is sampled

# (key, label, netzwerk arguments after the global options); `show` is added per vault.
READ_COMMANDS: tuple[tuple[str, str, list[str]], ...] = (
    ("due", "due", ["due"]),
    ("review", "review", ["review"]),
    ("intros", "intros", ["intros"]),
    ("hubs", "hubs", ["hubs"]),
    ("balance", "balance", ["balance"]),
    ("find", "find anna", ["find", "anna"]),
    ("path", "path investor", ["path", "investor"]),  # generate.py always tags an investor
    ("check", "check", ["check"]),
)

# Row key -> the highest median / baseline median allowed, at TARGET_SIZE contacts.
RATIO_TARGETS: dict[str, float] = {
    "digest_cold": 1.0,
    "digest_cold_busy": 1.0,  # to the baseline run with the other core busy too
    "digest_warm": 0.15,
    "digest_next_day": 0.25,
    "digest_changed": 0.25,
}
EDITED_RATIO_TARGET = 0.3  # every read command after one edited note
HELP_TARGET_SECONDS = 0.1  # at every size
TREE_MEMORY_TARGET_MB = {10_000: 150.0, 100_000: 400.0}


# --- running one process ---------------------------------------------------------------


@dataclass(slots=True)
class Sample:
    """One finished child process."""

    seconds: float
    exit: int
    maxrss_kib: int  # ru_maxrss from wait4: the largest single process of the tree
    tree_peak_bytes: int | None  # the largest sum of RSS over the tree, if sampled
    message: str = ""


def descendants_and_self(pid: int) -> list[int]:
    """`pid` and every process below it, found through /proc/PID/task/*/children."""
    found: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # the task ended meanwhile
                todo.extend(int(child) for child in children.read_text().split())
    return found


def rss_bytes(pid: int) -> int:
    """VmRSS of one process; 0 when it is gone or a zombie (which has no VmRSS line)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024  # the value is in kB (KiB)
    return 0


class TreeSampler:
    """In a thread, every SAMPLE_SECONDS: the RSS summed over a process and its descendants.

    Pages a forked helper shares with its parent are counted in both, so the sum is an upper
    bound of the memory the tree really uses."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while True:
            total = sum(rss_bytes(pid) for pid in descendants_and_self(self.pid))
            self.peak = max(self.peak, total)
            if self._stop.wait(SAMPLE_SECONDS):
                return

    def stop(self) -> int:
        """Stop sampling; the largest sum seen, in bytes."""
        self._stop.set()
        self._thread.join()
        return self.peak


def run_once(
    cmd: list[str],
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    logs: Path,
    *,
    sample_tree: bool = False,
) -> Sample:
    """Run `cmd` to completion: wall time, exit code, max RSS (and the tree's, if asked)."""
    out_path, err_path = logs / "stdout.txt", logs / "stderr.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(
                cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err
            )
        except OSError as exc:
            return Sample(time.perf_counter() - start, 127, 0, None, str(exc))
        sampler = TreeSampler(proc.pid) if sample_tree else None
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            # Wait for the exit without reaping, so that the PID stays this child's while the
            # sampler may still read it.
            os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
            elapsed = time.perf_counter() - start
        finally:
            timer.cancel()
            tree_peak = sampler.stop() if sampler is not None else None
        _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped by wait4; keep Popen from waiting again
    message = ""
    if code != 0:
        message = last_line(err_path) or last_line(out_path)
        if code < 0:
            message = f"killed by signal {-code}" + (" (timeout)" if elapsed >= timeout else "")
    return Sample(elapsed, code, usage.ru_maxrss, tree_peak, message)


def last_line(path: Path) -> str:
    """The last non-empty line of a log file, shortened."""
    lines = [ln for ln in path.read_text("utf-8", errors="replace").splitlines() if ln.strip()]
    return lines[-1].strip()[:120] if lines else ""


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@contextlib.contextmanager
def other_core_busy() -> Iterator[None]:
    """One CPU-bound process beside everything run inside the block."""
    burner = subprocess.Popen([sys.executable, "-c", "while 1: pass"])
    try:
        yield
    finally:
        burner.kill()  # by its PID
        burner.wait()


# --- what was measured -------------------------------------------------------------------


@dataclass(slots=True)
class Runs:
    """All runs of one command in one row (or the baseline runs of one group)."""

    cmd: list[str]
    seconds: list[float] = field(default_factory=list)
    exits: list[int] = field(default_factory=list)
    maxrss_kib: list[int] = field(default_factory=list)
    tree_peak_bytes: list[int] = field(default_factory=list)
    error: str | None = None  # what the first failing run said

    def add(self, sample: Sample) -> None:
        self.seconds.append(sample.seconds)
        self.exits.append(sample.exit)
        self.maxrss_kib.append(sample.maxrss_kib)
        if sample.tree_peak_bytes is not None:
            self.tree_peak_bytes.append(sample.tree_peak_bytes)
        if sample.exit != 0 and self.error is None:
            self.error = sample.message

    @property
    def failed_exit(self) -> int | None:
        return next((code for code in self.exits if code != 0), None)

    @property
    def median(self) -> float | None:
        if not self.seconds or self.failed_exit is not None:
            return None
        return statistics.median(self.seconds)

    @property
    def maxrss_mb(self) -> float | None:
        if not self.maxrss_kib or self.failed_exit is not None:
            return None
        return max(self.maxrss_kib) * 1024 / 1e6

    @property
    def tree_peak_mb(self) -> float | None:
        if not self.tree_peak_bytes or self.failed_exit is not None:
            return None
        return max(self.tree_peak_bytes) / 1e6

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["median"] = self.median
        data["min"] = min(self.seconds) if self.median is not None else None
        data["maxrss_mb"] = self.maxrss_mb
        data["tree_peak_mb"] = self.tree_peak_mb
        return data


@dataclass(slots=True)
class Row:
    """One line of the table: the runs of each side, measured in one group's rounds."""

    label: str
    group: str  # the group whose baseline runs this row's ratios use
    runs: dict[str, Runs] = field(default_factory=dict)  # by side name


# --- the sides: the netzwerk measured (A) and the one compared with (B) -----------------


class NoteEditor:
    """Appends a log line to a different contact note each time; puts every note back."""

    def __init__(self, vault: Path) -> None:
        notes = sorted((vault / "People").rglob("*.md"))
        # A fixed pseudo-random order: every edit hits another note, spread over the folders,
        # and the same notes in the same order in both sides' copies of the vault.
        self.order = random.Random(0).sample(notes, len(notes))
        self.edits = 0
        self.originals: dict[Path, tuple[bytes, os.stat_result]] = {}

    def append_line(self) -> None:
        path = self.order[self.edits % len(self.order)]
        if path not in self.originals:
            self.originals[path] = (path.read_bytes(), path.stat())
        data = path.read_bytes()
        sep = b"" if data.endswith(b"\n") else b"\n"
        # Appending always changes the size, so netzwerk sees the change in any mtime tick.
        path.write_bytes(data + sep + f"- 2026-11-20 call: bench edit {self.edits}\n".encode())
        self.edits += 1

    def restore(self) -> None:
        """Every edited note back as it was: its bytes and its modification time."""
        for path, (data, stat) in self.originals.items():
            path.write_bytes(data)
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        self.originals.clear()


@dataclass
class Side:
    """One netzwerk command and the vault it runs on."""

    name: str  # "A" (benchmarked) or "B" (--compare)
    netzwerk: list[str]
    vault: Path
    editor: NoteEditor
    last_run_end: float = 0.0  # time.monotonic() when its last run ended


@dataclass(slots=True)
class Step:
    """One row of a group: how to prepare and make the command of one run of one side."""

    key: str
    label: str
    command: Callable[[Side, int], list[str]]  # (side, round) -> argv; prepares the run too
    sample_tree: bool = False


# --- the benchmark of one vault size -----------------------------------------------------


class Bench:
    """Runs every measurement for one vault size, on each side."""

    def __init__(self, sides: list[Side], runs: int, timeout: float) -> None:
        self.sides = sides
        self.runs = runs
        self.timeout = timeout
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("NETZWERK_")}
        self.env["NO_COLOR"] = "1"
        self.logs = Path(tempfile.mkdtemp(prefix="netzwerk-bench-logs-"))
        self.rows: dict[str, Row] = {}
        self.baselines: dict[str, Runs] = {}  # by group
        self.busy_groups: set[str] = set()
        self.baseline_output = ""
        people = sorted((sides[0].vault / "People").rglob("*.md"))
        self.show_name = people[0].stem  # a contact every generated vault has, chosen alike

    # -- commands

    def nw(self, side: Side, *args: str, today: date = TODAY) -> list[str]:
        return [*side.netzwerk, "--vault", str(side.vault), "--today", today.isoformat(), *args]

    def digest(self, side: Side, today: date = TODAY) -> list[str]:
        return self.nw(side, "-q", "digest", today=today)

    def baseline(self) -> list[str]:
        vault = self.sides[0].vault
        return [sys.executable, str(HERE / "baseline.py"), str(vault), "--today", TODAY.isoformat()]

    def read_commands(self) -> list[tuple[str, str, list[str]]]:
        show = ("show", f"show {self.show_name}", ["show", self.show_name])
        return [*READ_COMMANDS, show]

    # -- what a run does before it starts (Step.command)

    def help_command(self, side: Side, _: int) -> list[str]:
        return [*side.netzwerk, "--help"]

    def cold_digest(self, side: Side, _: int) -> list[str]:
        shutil.rmtree(side.vault / ".netzwerk", ignore_errors=True)
        shutil.rmtree(side.vault / "Digests", ignore_errors=True)
        return self.digest(side)

    def next_day_digest(self, side: Side, round_no: int) -> list[str]:
        # Every run is the first digest of its day; nothing changed, not even the digest
        # note the previous run wrote (netzwerk would not trust it within 2 s).
        wait_until(side.last_run_end + SETTLE_SECONDS)
        return self.digest(side, today=TODAY + timedelta(days=round_no + 1))

    def changed_digest(self, side: Side, _: int) -> list[str]:
        side.editor.append_line()
        return self.digest(side)

    def warm(self, args: list[str]) -> Callable[[Side, int], list[str]]:
        def command(side: Side, _: int) -> list[str]:
            return self.nw(side, *args)

        return command

    def after_one_edit(self, args: list[str]) -> Callable[[Side, int], list[str]]:
        def command(side: Side, _: int) -> list[str]:
            side.editor.append_line()
            return self.nw(side, *args)

        return command

    # -- running

    def once(self, side: Side | None, cmd: list[str], *, sample_tree: bool = False) -> Sample:
        cwd = side.vault if side is not None else self.sides[0].vault
        sample = run_once(cmd, cwd, self.env, self.timeout, self.logs, sample_tree=sample_tree)
        if side is not None:
            side.last_run_end = time.monotonic()
        return sample

    def on_each_side(self, *args: str) -> None:
        """`netzwerk ARGS` once on each side, unmeasured (to bring the cache up to date)."""
        for side in self.sides:
            self.once(side, self.nw(side, *args))

    def measure(self, group: str, steps: list[Step], *, with_baseline: bool = True) -> None:
        """Measure a group of rows: --runs rounds; in each, every step on each side in turn
        (prepare A, run A, prepare B, run B), then one run of the baseline loop. The rows'
        ratios divide by the median of the group's baseline runs: the same minutes."""
        for step in steps:
            self.rows[step.key] = Row(step.label, group)
        base = Runs(self.baseline())
        if with_baseline:
            self.baselines[group] = base
        for round_no in range(self.runs):
            for step in steps:
                for side in self.sides:
                    cmd = step.command(side, round_no)  # prepares the run first
                    runs = self.rows[step.key].runs.setdefault(side.name, Runs(cmd))
                    runs.add(self.once(side, cmd, sample_tree=step.sample_tree))
            if with_baseline:
                base.add(self.once(None, base.cmd))
                self.baseline_output = (self.logs / "stdout.txt").read_text("utf-8", "replace")
        for step in steps:
            row = self.rows[step.key]
            shown = "  ".join(f"{name} {fmt_seconds(r)}" for name, r in row.runs.items())
            errors = "  ".join(r.error for r in row.runs.values() if r.error)
            base_shown = f"  baseline {fmt_seconds(base)}" if with_baseline else ""
            progress(f"  {row.label}: {shown}{base_shown}  {errors}".rstrip())

    def settle(self) -> None:
        """Put the edited notes back, then let every side's cache see the vault as it is."""
        for side in self.sides:
            side.editor.restore()
        time.sleep(SETTLE_SECONDS)
        self.on_each_side("-q", "digest")  # re-reads the restored notes, rewrites the digest
        time.sleep(SETTLE_SECONDS)  # past the 2 s in which the new digest note is not trusted

    def run_all(self) -> None:
        try:
            self.measure("help", [Step("help", "netzwerk --help", self.help_command)])
            self.measure_cold()
            self.measure_digest()
            self.measure_read_commands()
        finally:
            for side in self.sides:
                side.editor.restore()

    def measure_cold(self) -> None:
        cold = Step("digest_cold", "digest, cold (no .netzwerk/)", self.cold_digest)
        self.measure("cold", [cold])
        busy = Step("digest_cold_busy", "digest, cold, other core busy", self.cold_digest)
        self.busy_groups.add("cold_busy")  # its baseline runs have the other core busy too
        with other_core_busy():
            self.measure("cold_busy", [busy])
        memory = Step("memory", "peak memory, cold digest", self.cold_digest, sample_tree=True)
        self.measure("memory", [memory], with_baseline=False)

    def measure_digest(self) -> None:
        self.on_each_side("-q", "digest")  # fills the cache; its digest note is too new to trust
        time.sleep(SETTLE_SECONDS)
        self.on_each_side("-q", "digest")  # keeps the whole result
        self.measure("warm", [Step("digest_warm", "digest, warm", self.warm(["-q", "digest"]))])
        label = "digest, next day, nothing changed"
        self.measure("next_day", [Step("digest_next_day", label, self.next_day_digest)])
        self.on_each_side("-q", "digest")  # back to TODAY's digest note
        time.sleep(SETTLE_SECONDS)
        changed = Step("digest_changed", "digest, one note changed", self.changed_digest)
        self.measure("changed", [changed])
        self.settle()

    def measure_read_commands(self) -> None:
        commands = self.read_commands()
        # Warm: answered from the kept results, so the commands can take turns in each round.
        for _, _, args in commands:
            self.on_each_side(*args)  # the same command has run on this vault before
        warm = [
            Step(f"{key}_warm", f"{label} (warm)", self.warm(args)) for key, label, args in commands
        ]
        self.measure("read_warm", warm)
        # After one edited note: each command in a loop of its own, like the digest's row,
        # because what one command keeps in the cache changes what the next one costs.
        for key, label, args in commands:
            self.on_each_side(*args)  # this command ran last on the vault, as in its loop
            step = Step(
                f"{key}_edited", f"{label}, after one edited note", self.after_one_edit(args)
            )
            self.measure(f"{key}_edited", [step])
        for side in self.sides:
            side.editor.restore()

    def close(self) -> None:
        shutil.rmtree(self.logs, ignore_errors=True)


def wait_until(moment: float) -> None:
    """Sleep until time.monotonic() reaches `moment`."""
    delay = moment - time.monotonic()
    if delay > 0:
        time.sleep(delay)


# --- the table ---------------------------------------------------------------------------


def fmt_seconds(runs: Runs) -> str:
    if runs.median is None:
        return f"n/a (exit {runs.failed_exit})" if runs.failed_exit is not None else "n/a"
    return f"{runs.median:.3f}"


def ratio(runs: Runs, base: Runs | None) -> float | None:
    """The median of `runs` divided by the median of the baseline runs beside them."""
    if base is None or runs.median is None or not base.median:
        return None
    return runs.median / base.median


def target_of(key: str, size: int) -> tuple[float, str] | None:
    """(limit, unit) of a row at this size: "s" absolute seconds, "x" ratio, "MB" memory."""
    if key == "help":
        return HELP_TARGET_SECONDS, "s"
    if key == "memory_tree":
        limit = TREE_MEMORY_TARGET_MB.get(size)
        return (limit, "MB") if limit is not None else None
    if size != TARGET_SIZE:
        return None
    if key in RATIO_TARGETS:
        return RATIO_TARGETS[key], "x"
    if key.endswith("_edited"):
        return EDITED_RATIO_TARGET, "x"
    return None


def verdict(value: float | None, target: tuple[float, str] | None) -> str:
    if target is None:
        return ""
    if value is None:
        return "n/a"
    return "ok" if value <= target[0] else "OVER"


def target_text(target: tuple[float, str] | None) -> str:
    if target is None:
        return ""
    limit, unit = target
    return f"≤ {limit:g}x" if unit == "x" else f"≤ {limit:g} {unit}"


def fmt_number(value: float | None, digits: int, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:.{digits}f}{unit}"


def time_line(key: str, row: Row, bench: Bench, size: int) -> list[str]:
    """Cells of a timed row: label, target, per side (seconds, ratio, verdict), base s."""
    base = bench.baselines.get(row.group)
    target = target_of(key, size)
    cells = [row.label, target_text(target)]
    for runs in row.runs.values():
        value_ratio = ratio(runs, base)
        checked = runs.median if target is not None and target[1] == "s" else value_ratio
        cells += [fmt_seconds(runs), fmt_number(value_ratio, 3), verdict(checked, target)]
    cells.append(fmt_seconds(base) if base is not None else "")
    return cells


def memory_lines(row: Row, size: int) -> list[list[str]]:
    """Cells of the two memory rows: the tree's summed peak, the largest single process."""
    target = target_of("memory_tree", size)
    tree = ["peak memory, cold digest, process tree (sum of RSS)", target_text(target)]
    single = ["peak memory, cold digest, largest single process (ru_maxrss)", ""]
    for runs in row.runs.values():
        tree += [fmt_number(runs.tree_peak_mb, 1, " MB"), "", verdict(runs.tree_peak_mb, target)]
        single += [fmt_number(runs.maxrss_mb, 1, " MB"), "", ""]
    return [[*tree, ""], [*single, ""]]


def format_table(header: list[str], lines: list[list[str]], errors: list[str]) -> list[str]:
    """Columns padded to their widest cell: the first left-aligned, the others right."""
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    out = []
    for line, error in zip([header, *lines], ["", *errors], strict=True):
        cells = [line[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)]
        out.append(("  ".join(cells) + (f"  {error}" if error else "")).rstrip())
    out.insert(1, "-" * len(out[0]))
    return out


def report(size: int, bench: Bench, info: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The table for one size and its JSON record."""
    names = [side.name for side in bench.sides]
    header = ["what", "target"]
    for name in names:
        if len(names) == 1:
            header += ["median s", "ratio", ""]
        else:
            header += [f"{name} s", f"{name} ratio", name]
    header.append("base s")
    lines: list[list[str]] = []
    errors: list[str] = []
    for key, row in bench.rows.items():
        new = memory_lines(row, size) if key == "memory" else [time_line(key, row, bench, size)]
        lines += new
        error = "; ".join(f"{name}: {r.error}" for name, r in row.runs.items() if r.error)
        errors += [error] * len(new)

    quiet = pooled_baseline(bench, busy=False)
    busy = pooled_baseline(bench, busy=True)
    busy_ratio = ratio(busy, quiet)
    text = [
        "",
        f"== {size:,} contacts · median of {bench.runs} runs · {info['vault_note']} ==",
        *(
            f"{side.name}: {shlex.join(side.netzwerk)}  (vault {side.vault})"
            for side in bench.sides
        ),
        *format_table(header, lines, errors),
        "ratio: median / median of the baseline runs beside it (base s: one per round); "
        "with the other core busy, both ran with it busy",
        f"baseline loop (bench/baseline.py), quiet: {fmt_seconds(quiet)} s, median of "
        f"{len(quiet.seconds)} runs",
        f"baseline loop, other core busy: {fmt_seconds(busy)} s, median of {len(busy.seconds)} "
        f"runs, {fmt_number(busy_ratio, 3)}x the quiet baseline",
        f"baseline says: {bench.baseline_output.strip() or 'n/a'}",
    ]
    if size != TARGET_SIZE:
        text.append(
            f"(ratio targets apply at {TARGET_SIZE:,} contacts; --help at every size; "
            "memory at 10,000 and 100,000)"
        )
    return "\n".join(text), json_record(size, bench, info, quiet, busy)


def pooled_baseline(bench: Bench, *, busy: bool) -> Runs:
    """Every baseline run made with (busy) or without the other core kept busy."""
    pooled = Runs(bench.baseline())
    for group, runs in bench.baselines.items():
        if (group in bench.busy_groups) == busy:
            pooled.seconds += runs.seconds
            pooled.exits += runs.exits
            pooled.maxrss_kib += runs.maxrss_kib
    return pooled


def json_record(
    size: int, bench: Bench, info: dict[str, Any], quiet: Runs, busy: Runs
) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for key, row in bench.rows.items():
        base = bench.baselines.get(row.group)
        target = target_of("memory_tree" if key == "memory" else key, size)
        sides = {}
        for name, runs in row.runs.items():
            sides[name] = {**runs.as_json(), "ratio": ratio(runs, base)}
        rows[key] = {
            "label": row.label,
            "group": row.group,
            "target": {"limit": target[0], "unit": target[1]} if target is not None else None,
            "baseline_median": base.median if base is not None else None,
            "sides": sides,
        }
    return {
        "contacts": size,
        **info,
        "sides": {side.name: side.netzwerk for side in bench.sides},
        "show": bench.show_name,
        "rows": rows,
        "baselines": {group: runs.as_json() for group, runs in bench.baselines.items()},
        "baseline_quiet": quiet.as_json(),
        "baseline_busy": busy.as_json(),
        "baseline_output": bench.baseline_output.strip(),
    }


# --- vaults and commands -----------------------------------------------------------------


def prepare_vault(
    size: int, keep: Path | None, scratch: Path, seed: int, journal_days: int
) -> tuple[Path, dict[str, Any]]:
    """Reuse KEEP/SIZE if it holds a vault, else generate one."""
    vault = (keep if keep is not None else scratch) / str(size)
    if keep is not None and (vault / "People").is_dir():
        progress(f"{size:,} contacts: reusing {vault}")
        return vault, {"vault": str(vault), "generated_s": None, "vault_note": f"reused {vault}"}
    progress(f"{size:,} contacts: generating {vault}")
    start = time.perf_counter()
    cmd = [sys.executable, str(HERE / "generate.py"), str(vault), "--contacts", str(size)]
    cmd += ["--seed", str(seed), "--journal-days", str(journal_days)]
    subprocess.run(cmd, check=True)
    elapsed = time.perf_counter() - start
    note = f"generated in {elapsed:.1f} s"
    return vault, {"vault": str(vault), "generated_s": elapsed, "vault_note": note}


def copy_vault(vault: Path, scratch: Path) -> Path:
    """A copy of the vault for the compared command (files keep their mtimes), without the
    cache: two versions of netzwerk would each take the other's cache for outdated."""
    copy = Path(tempfile.mkdtemp(prefix=f"compare-{vault.name}-", dir=scratch)) / vault.name
    shutil.copytree(vault, copy, ignore=shutil.ignore_patterns(".netzwerk"))
    return copy


@contextlib.contextmanager
def folder_restored(folder: Path, scratch: Path) -> Iterator[None]:
    """Put `folder` back as it was (its files' bytes and mtimes) when the block ends."""
    saved = Path(tempfile.mkdtemp(prefix="saved-", dir=scratch)) / folder.name
    existed = folder.is_dir()
    if existed:
        shutil.copytree(folder, saved)
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if existed:
            shutil.copytree(saved, folder)
        shutil.rmtree(saved.parent, ignore_errors=True)


def find_netzwerk(override: str | None) -> list[str]:
    """The command to benchmark: --netzwerk; else the `netzwerk` script installed with this
    Python, as a virtual environment runs it; else `netzwerk` on PATH; else python -m netzwerk.

    The script next to this Python comes first: a `netzwerk` on PATH may be another install, or
    a version manager's shim (pyenv's adds about 0.06 s to every run, netzwerk's or not).
    """
    if override:
        return shlex.split(override)
    installed = Path(sysconfig.get_path("scripts")) / "netzwerk"
    if installed.is_file() and os.access(installed, os.X_OK):
        return [str(installed)]
    found = shutil.which("netzwerk")
    return [found] if found else [sys.executable, "-m", "netzwerk"]


def compile_bytecode() -> None:
    """Byte-compile netzwerk as `pip install` does, so that no run pays for compiling.

    An editable install, or PYTHONDONTWRITEBYTECODE=1 in the environment, would otherwise
    make every measured process compile the package's source again.
    """
    try:
        import netzwerk
    except ImportError:
        return
    package = Path(netzwerk.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=False)


def bench_size(
    size: int,
    args: argparse.Namespace,
    netzwerk: list[str],
    compare: list[str] | None,
    scratch: Path,
) -> tuple[str, dict[str, Any]]:
    """Every measurement on one vault size: the table and the JSON record."""
    vault, info = prepare_vault(size, args.keep, scratch, args.seed, args.journal_days)
    sides = [Side("A", netzwerk, vault, NoteEditor(vault))]
    if compare is not None:
        copy = copy_vault(vault, scratch)
        sides.append(Side("B", compare, copy, NoteEditor(copy)))
    bench = Bench(sides, args.runs, args.timeout)
    try:
        with folder_restored(vault / "Digests", scratch):
            bench.run_all()
    finally:
        bench.close()
        for side in sides[1:]:
            shutil.rmtree(side.vault.parent, ignore_errors=True)
    return report(size, bench, info)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="contacts per vault")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--keep", type=Path, help="keep vaults in DIR/SIZE; reuse them if present")
    parser.add_argument("--json", type=Path, help="write the raw numbers to this file")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--journal-days", type=int, default=365, help="daily notes (365)")
    parser.add_argument("--netzwerk", help="command to benchmark, e.g. 'python -m netzwerk'")
    parser.add_argument("--compare", help="a second netzwerk command, run alternately (B)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per process (600)")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes: not a list of numbers: {args.sizes!r}")
    if args.runs < 1 or any(s < 1 for s in sizes):
        parser.error("--runs and --sizes must be positive")

    netzwerk = find_netzwerk(args.netzwerk)
    compare = shlex.split(args.compare) if args.compare else None
    progress(f"benchmarking: A {shlex.join(netzwerk)}")
    if compare is not None:
        progress(f"compared with: B {shlex.join(compare)}")
    compile_bytecode()
    meta = {
        "netzwerk": netzwerk,
        "compare": compare,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "runs": args.runs,
        "today": TODAY.isoformat(),
        "seed": args.seed,
        "journal_days": args.journal_days,
    }
    records: list[dict[str, Any]] = []
    scratch = Path(tempfile.mkdtemp(prefix="netzwerk-bench-"))
    try:
        for size in sizes:
            table, record = bench_size(size, args, netzwerk, compare, scratch)
            print(table, flush=True)
            records.append(record)
            if args.json is not None:  # written after every size, so a long run keeps its data
                data = {"meta": meta, "sizes": records}
                args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
