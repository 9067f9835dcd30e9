"""Benchmark the installed ``netzwerk`` command on generated vaults (see bench/README.md).

Usage: python bench/run.py [--sizes 1000,10000,100000] [--runs 5] [--keep DIR] [--json FILE]

Whole-process wall times (start to exit of a child process), median of --runs runs, for the
digest with a cold, warm and slightly stale cache, the other read commands, ``--help``, the
peak memory of a cold digest, and a plain python-frontmatter baseline on the same vault.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-23"
TARGET_SIZE = 10_000  # SPEC.md gives its targets for 10,000 contacts

# (key, label, netzwerk arguments after the global options)
OTHER_COMMANDS: tuple[tuple[str, str, list[str]], ...] = (
    ("due", "due", ["due"]),
    ("review", "review", ["review"]),
    ("intros", "intros", ["intros"]),
    ("hubs", "hubs", ["hubs"]),
    ("balance", "balance", ["balance"]),
    ("find", "find anna", ["find", "anna"]),
    ("path", "path investor", ["path", "investor"]),  # generate.py always tags an investor
    ("check", "check", ["check"]),
)

# key -> (limit, unit) at 10,000 contacts; the --help limit applies at every size.
TARGETS: dict[str, tuple[float, str]] = {
    "help": (0.15, "s"),
    "digest_cold": (1.5, "s"),
    "digest_warm": (0.3, "s"),
    "digest_changed": (0.35, "s"),
    "peak_memory": (150.0, "MB"),
    **{key: (0.5, "s") for key, _, _ in OTHER_COMMANDS},
}


@dataclass(slots=True)
class Sample:
    """One finished child process."""

    seconds: float
    exit: int
    maxrss_kib: int
    message: str = ""


@dataclass(slots=True)
class Measurement:
    """All runs of one thing to measure."""

    label: str
    cmd: list[str]
    seconds: list[float] = field(default_factory=list)
    exits: list[int] = field(default_factory=list)
    maxrss_kib: list[int] = field(default_factory=list)
    error: str | None = None  # what the first failing run said

    def add(self, sample: Sample) -> None:
        self.seconds.append(sample.seconds)
        self.exits.append(sample.exit)
        self.maxrss_kib.append(sample.maxrss_kib)
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

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["median"] = self.median
        data["min"] = min(self.seconds) if self.median is not None else None
        return data


def run_once(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float, logs: Path) -> Sample:
    """Run ``cmd`` to completion; wall time, exit code and the max RSS of exactly this child."""
    out_path, err_path = logs / "stdout.txt", logs / "stderr.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(
                cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err
            )
        except OSError as exc:
            return Sample(time.perf_counter() - start, 127, 0, str(exc))
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped by wait4; keep Popen from waiting again
    message = ""
    if code != 0:
        message = last_line(err_path) or last_line(out_path)
        if code < 0:
            message = f"killed by signal {-code}" + (" (timeout)" if elapsed >= timeout else "")
    return Sample(elapsed, code, usage.ru_maxrss, message)


def last_line(path: Path) -> str:
    """The last non-empty line of a log file, shortened."""
    lines = [ln for ln in path.read_text("utf-8", errors="replace").splitlines() if ln.strip()]
    return lines[-1].strip()[:120] if lines else ""


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class Bench:
    """Runs the measurements for one vault."""

    def __init__(self, netzwerk: list[str], vault: Path, runs: int, timeout: float) -> None:
        self.netzwerk = netzwerk
        self.vault = vault
        self.runs = runs
        self.timeout = timeout
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("NETZWERK_")}
        self.env["NO_COLOR"] = "1"
        self.logs = Path(tempfile.mkdtemp(prefix="netzwerk-bench-logs-"))
        self.results: dict[str, Measurement] = {}
        self.baseline_output = ""

    def nw(self, *args: str) -> list[str]:
        return [*self.netzwerk, "--vault", str(self.vault), "--today", TODAY, *args]

    def once(self, cmd: list[str]) -> Sample:
        return run_once(cmd, self.vault, self.env, self.timeout, self.logs)

    def measure(
        self, key: str, label: str, cmd: list[str], before: Callable[[int], None] | None = None
    ) -> Measurement:
        m = self.results.setdefault(key, Measurement(label, cmd))
        for i in range(self.runs):
            if before is not None:
                before(i)
            m.add(self.once(cmd))
        progress(f"  {label}: {fmt_seconds(m)} {m.error or ''}".rstrip())
        return m

    def clear_cache(self, _: int = 0) -> None:
        shutil.rmtree(self.vault / ".netzwerk", ignore_errors=True)
        shutil.rmtree(self.vault / "Digests", ignore_errors=True)

    def run_all(self) -> None:
        digest = self.nw("-q", "digest")
        self.measure("help", "netzwerk --help", [*self.netzwerk, "--help"])
        cold = self.measure("digest_cold", "digest, cold (no .netzwerk/)", digest, self.clear_cache)
        peak = Measurement("peak memory, cold digest", digest)
        peak.seconds, peak.exits, peak.maxrss_kib = cold.seconds, cold.exits, cold.maxrss_kib
        peak.error = cold.error
        self.results["peak_memory"] = peak
        self.once(digest)  # warm up the cache
        # netzwerk trusts no file younger than 2 s (it could change within the same mtime
        # tick); a real warm run comes later than that.
        time.sleep(2.1)
        self.once(digest)
        self.measure("digest_warm", "digest, warm", digest)

        notes = sorted((self.vault / "People").rglob("*.md"))
        originals: dict[Path, bytes] = {}

        def change_one(i: int) -> None:
            # A different note each run; appending always changes the size.
            path = notes[(i + 1) * len(notes) // (self.runs + 1)]
            data = originals.setdefault(path, path.read_bytes())
            sep = b"" if data.endswith(b"\n") else b"\n"
            path.write_bytes(data + sep + f"- 2026-11-20 call: bench {i}\n".encode())

        try:
            self.measure("digest_changed", "digest, one note changed", digest, change_one)
        finally:
            for path, data in originals.items():
                path.write_bytes(data)
        time.sleep(2.1)
        self.once(digest)  # re-index the restored notes before the other commands
        time.sleep(2.1)  # that run rewrote the digest note: past the 2 s a new file is not trusted

        for key, label, args in OTHER_COMMANDS:
            self.once(self.nw(*args))  # warm: the same command has run on this vault before
            self.measure(key, f"{label} (warm)", self.nw(*args))

        baseline = [sys.executable, str(HERE / "baseline.py"), str(self.vault), "--today", TODAY]
        self.measure("baseline", "baseline: python-frontmatter loop", baseline)
        self.baseline_output = (self.logs / "stdout.txt").read_text("utf-8", errors="replace")

    def close(self) -> None:
        shutil.rmtree(self.logs, ignore_errors=True)


def fmt_seconds(m: Measurement) -> str:
    if m.median is None:
        return f"n/a (exit {m.failed_exit})" if m.failed_exit is not None else "n/a"
    return f"{m.median:.3f}"


def verdict(value: float | None, key: str, size: int) -> tuple[str, str]:
    """(target text, ok/OVER) for a measured value."""
    if key not in TARGETS or (size != TARGET_SIZE and key != "help"):
        return "", ""
    limit, unit = TARGETS[key]
    text = f"≤ {limit:g} {unit}"
    if value is None:
        return text, "n/a"
    return text, "ok" if value <= limit else "OVER"


def report(size: int, bench: Bench, info: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The table for one size and its JSON record."""
    res = bench.results
    rows: list[tuple[str, str, str, str, str]] = []
    for key, m in res.items():
        if key == "peak_memory":
            value = max(m.maxrss_kib) * 1024 / 1e6 if m.median is not None else None
            shown = f"{value:.1f} MB" if value is not None else fmt_seconds(m)
        else:
            value = m.median
            shown = fmt_seconds(m)
        rows.append((m.label, shown, *verdict(value, key, size), m.error or ""))
    base = res["baseline"].median
    ratios: dict[str, float | None] = {}
    for key in ("digest_warm", "digest_cold"):
        value = res[key].median
        ratio = value / base if value is not None and base else None
        ratios[f"{key}/baseline"] = ratio
        name = key.replace("_", " ")
        shown = f"{ratio:.3f}" if ratio is not None else "n/a"
        rows.append((f"ratio {name} / baseline", shown, "", "", ""))

    width = max(len(r[0]) for r in rows)
    head = f"{'what':<{width}}  {'median s':>12}  target"
    lines = [
        "",
        f"== {size:,} contacts · median of {bench.runs} runs · {info['vault_note']} ==",
        head,
        "-" * (len(head) + 12),
    ]
    for label, shown, target, mark, error in rows:
        tail = f"  {target:<9} {mark:<4}" if target else " " * 16
        tail = f"{tail}  {error}" if error else tail
        lines.append(f"{label:<{width}}  {shown:>12}{tail}".rstrip())
    lines.append(f"baseline says: {bench.baseline_output.strip() or 'n/a'}")
    if size != TARGET_SIZE:
        lines.append(f"(SPEC targets apply at {TARGET_SIZE:,} contacts; --help at every size)")
    record = {
        "contacts": size,
        **info,
        "measurements": {key: m.as_json() for key, m in res.items()},
        "peak_memory_mb": (
            max(res["peak_memory"].maxrss_kib) * 1024 / 1e6
            if res["peak_memory"].median is not None
            else None
        ),
        "ratios": ratios,
        "baseline_output": bench.baseline_output.strip(),
    }
    return "\n".join(lines), record


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="contacts per vault")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--keep", type=Path, help="keep vaults in DIR/SIZE; reuse them if present")
    parser.add_argument("--json", type=Path, help="write the raw numbers to this file")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--journal-days", type=int, default=365, help="daily notes (365)")
    parser.add_argument("--netzwerk", help="command to benchmark, e.g. 'python -m netzwerk'")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per process (600)")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes: not a list of numbers: {args.sizes!r}")
    if args.runs < 1 or any(s < 1 for s in sizes):
        parser.error("--runs and --sizes must be positive")

    netzwerk = find_netzwerk(args.netzwerk)
    progress(f"benchmarking: {shlex.join(netzwerk)}")
    compile_bytecode()
    meta = {
        "netzwerk": netzwerk,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "runs": args.runs,
        "today": TODAY,
        "seed": args.seed,
        "journal_days": args.journal_days,
    }
    records: list[dict[str, Any]] = []
    scratch = Path(tempfile.mkdtemp(prefix="netzwerk-bench-"))
    try:
        for size in sizes:
            vault, info = prepare_vault(size, args.keep, scratch, args.seed, args.journal_days)
            bench = Bench(netzwerk, vault, args.runs, args.timeout)
            try:
                bench.run_all()
            finally:
                bench.close()
            table, record = report(size, bench, info)
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
