"""The `netzwerk` command: parse options, call the core, print, choose the exit code."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from netzwerk.config import Config
    from netzwerk.incremental import Prepared
    from netzwerk.model import Contact, Snapshot
    from netzwerk.problems import Problem
    from netzwerk.scan import Ahead
    from netzwerk.schedule import Week
    from netzwerk.vault import Loaded

F = TypeVar("F", bound=Callable[..., Any])


def _color() -> bool | None:
    """Colour only on a terminal (click's default), never with NO_COLOR."""
    return False if os.environ.get("NO_COLOR") else None


# While a cacheable command runs, what it prints is also kept here to store with its result.
_captured: list[tuple[str, bool, bool]] | None = None


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    if _captured is not None:
        _captured.append((message, err, nl))
    click.echo(message, err=err, nl=nl, color=_color())


def style(text: str, **kwargs: Any) -> str:
    if os.environ.get("NO_COLOR"):
        return text
    return click.style(text, **kwargs)


class Failure(click.ClickException):
    """An operation refused or an environment problem: one `Error: …` line, exit 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        echo(f"Error: {self.format_message()}", err=True)


@dataclass
class App:
    """What every command needs: the vault, today, and the loaded notes (on demand)."""

    vault_option: str | None
    today: date
    quiet: bool
    _config: Config | None = None
    _loaded: tuple[Snapshot, list[Problem]] | None = None
    _scanned: Any = None
    _ahead: Ahead | None = None  # the scan begun in a helper
    extra_problems: list[Problem] = field(default_factory=list)

    @property
    def root(self) -> Path:
        from netzwerk.config import find_vault

        return find_vault(self.vault_option, Path.cwd())

    def config(self, *, strict: bool = True) -> Config:
        """The vault's configuration; a broken netzwerk.toml stops every command but check."""
        if self._config is None:
            from netzwerk.config import load_config

            root = self.root
            if not root.is_dir():
                raise Failure(f"vault folder {str(root)!r} does not exist")
            config, problems = load_config(root)
            if problems and strict:
                for problem in problems:
                    echo(problem.format(), err=True)
                raise Failure("netzwerk.toml has errors; fix them and run the command again")
            self.extra_problems = problems
            self._config = config
        return self._config

    def load(
        self,
        *,
        quiet_problems: bool = False,
        then: Callable[[Loaded], None] | None = None,
        also: Sequence[tuple[Callable[[], object], str]] = (),
        meanwhile: Callable[[], object] | None = None,
    ) -> Snapshot:
        """The vault's notes; problems are summarised on stderr, never fatal. If they are read
        here: `then` is called with them as read, before they are checked across notes, `also`
        is given to the helper that parses a share of them, and `meanwhile` is done while it
        begins (see `vault.load`)."""
        snapshot, problems = self.loaded(then=then, also=also, meanwhile=meanwhile)
        if not quiet_problems:
            errors = sum(1 for p in problems if p.severity.value == "error")
            self.summarise(errors, len(problems) - errors)
        return snapshot

    def summarise(self, errors: int, warnings: int) -> None:
        """One line on stderr when the vault has problems: `check` lists them."""
        if self.quiet or not (errors or warnings):
            return
        parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
        if warnings:
            parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
        message = f"netzwerk: {' and '.join(parts)} in the vault; run `netzwerk check`"
        echo(style(message, fg="yellow"), err=True)

    def cacheable(self) -> bool:
        """Whether a result may be kept: a file that could not be read may be readable later
        without any change to its size or mtime."""
        from netzwerk.vault import unreadable

        return not unreadable([*self.scan()[1], *(self._loaded[1] if self._loaded else [])])

    def scan(self, *, refresh: bool = False) -> Any:
        """The vault's note files and their stats (scanned once per command)."""
        if refresh:
            self._forget_ahead()
        if self._scanned is None and self._ahead is not None:
            self._scanned = self._ahead.scan()
        if self._scanned is None or refresh:
            from netzwerk.index import DB_NAME
            from netzwerk.scan import scan

            # Without an index every note is read, and its stat taken then (`vault.load`
            # completes this scan with them).
            config = self.config()
            self._scanned = scan(config, stat_files=(config.cache_dir / DB_NAME).exists())
        return self._scanned

    def scan_ahead(self, look_up: Callable[[Any], bytes | None]) -> Ahead:
        """Begin the scan on the other core, with what `look_up` finds from it: this process
        does something else meanwhile."""
        from netzwerk.scan import Ahead

        if self._ahead is None:
            self._ahead = Ahead(self.config(), look_up)
        return self._ahead

    def _forget_ahead(self) -> None:
        if self._ahead is not None:
            self._ahead.found()  # the helper is waited for, not left behind
            self._ahead = None

    def loaded(
        self,
        then: Callable[[Loaded], None] | None = None,
        also: Sequence[tuple[Callable[[], object], str]] = (),
        meanwhile: Callable[[], object] | None = None,
    ) -> tuple[Snapshot, list[Problem]]:
        if self._loaded is None:
            from netzwerk.vault import load_vault

            config = self.config()
            self._loaded = load_vault(
                config,
                today=self.today,
                progress=_progress(),
                scanned=self.scan(),
                then=then,
                also=also,
                meanwhile=meanwhile,
            )
        return self._loaded

    def reload(self) -> Snapshot:
        self._loaded = None
        self._scanned = None
        self._forget_ahead()
        return self.loaded()[0]

    def contact(self, name: str) -> Contact:
        from netzwerk.vault import LookupProblem, find_contact

        try:
            return find_contact(self.load(), name)
        except LookupProblem as exc:
            raise Failure(str(exc)) from None


def _progress() -> Callable[[int, int], None] | None:
    """A progress line on stderr for a cold index that takes longer than a second."""
    if not sys.stderr.isatty():
        return None
    start = time.monotonic()
    shown = [False]

    def report(done: int, total: int) -> None:
        if time.monotonic() - start < 1.0 or total < 2:
            return
        if done % 97 and done != total:
            return
        width = 30
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\rindexing [{bar}] {done}/{total}")
        shown[0] = True
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return report


def _parse_today(ctx: click.Context, param: click.Parameter, value: str | None) -> date:
    if value is None:
        return date.today()  # noqa: DTZ011 - the one place "today" comes from the clock
    from netzwerk.model import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)")
    return parsed


def format_option(func: F) -> F:
    """`--format text|json` on every command whose output is data."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Output format.",
    )(func)


def dry_run_option(func: F) -> F:
    return click.option(
        "--dry-run", is_flag=True, help="Print the diff it would apply; write nothing."
    )(func)


def print_json(data: object) -> None:
    import json  # lazily: most output is text

    echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


pass_app = click.make_pass_decorator(App)


class Group(click.Group):
    """Keeps commands in the order they are defined in `--help`; no tracebacks ever."""

    ORDER = (
        "init", "check", "index", "due", "digest", "add", "log", "snooze", "pause", "unpause",
        "tier", "show", "find", "review", "intros", "path", "hubs", "balance", "watch",
        "git-setup", "merge-driver",
    )  # fmt: skip

    def list_commands(self, ctx: click.Context) -> list[str]:
        known = [name for name in self.ORDER if name in self.commands]
        return known + sorted(set(self.commands) - set(known))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            echo("Aborted.", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(1)
        except Exception as exc:  # a bug: one line, the traceback only on request
            if os.environ.get("NETZWERK_DEBUG"):
                raise
            echo(
                f"Error: internal error: {type(exc).__name__}: {exc} "
                "(set NETZWERK_DEBUG=1 to see where)",
                err=True,
            )
            sys.exit(1)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--vault",
    metavar="PATH",
    help="The vault folder (default: $NETZWERK_VAULT, else the nearest netzwerk.toml upward, "
    "else the working directory).",
)
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    envvar="NETZWERK_TODAY",
    callback=_parse_today,
    help="Take this date as today (env NETZWERK_TODAY), for reproducible runs.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only what was asked for.")
@click.version_option(package_name="netzwerk", message="netzwerk %(version)s")
@click.pass_context
def cli(ctx: click.Context, vault: str | None, today: date, quiet: bool) -> None:
    """netzwerk: whom to get back in touch with, from a folder of Markdown notes."""
    ctx.obj = App(vault, today, quiet)


def with_vault_argument(func: F) -> F:
    """An optional PATH argument that names the vault (`netzwerk check example-vault`)."""

    @click.argument("path", required=False, type=click.Path(file_okay=False))
    @functools.wraps(func)
    def wrapper(*args: Any, path: str | None, **kwargs: Any) -> Any:
        if path is not None:
            click.get_current_context().find_object(App).vault_option = path  # type: ignore[union-attr]
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def cached(func: F) -> F:
    """Answer a read command from the result cache when no file it reads has changed.

    The key covers every note's path, size and mtime, netzwerk.toml, the command, its
    options, the day and the quiet flag; what the command printed and its exit status are
    stored and replayed.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import marshal

        from netzwerk.index import get_result, put_result
        from netzwerk.scan import state_key, statted

        global _captured
        ctx = click.get_current_context()
        app = ctx.find_object(App)
        assert app is not None
        config = app.config(strict=False)
        if app.extra_problems:  # a broken netzwerk.toml: nothing to trust, nothing to keep
            return func(*args, **kwargs)
        files, problems = app.scan()
        parts = (
            "command",
            ctx.command_path,
            repr(sorted(ctx.params.items())),
            app.today.isoformat(),
            str(app.quiet),
            *(p.format() for p in problems),
        )
        key = state_key(config, files, *parts)
        # Scanned without stats (no index yet): no result is kept, and the one made is kept
        # by the stats the notes had as they were read.
        unstatted = key is None and not statted(files)
        stored = get_result(config.cache_dir, key) if key else None
        if stored is not None:
            printed, code = marshal.loads(stored)
            for message, err, nl in printed:
                click.echo(message, err=err, nl=nl, color=_color())
            if code:
                sys.exit(code)
            return None
        _captured = []
        code = 0
        try:
            func(*args, **kwargs)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            printed, _captured = _captured, None
        if unstatted:
            key = state_key(config, app.scan()[0], *parts)
        if key is not None and app.cacheable():
            put_result(config.cache_dir, key, marshal.dumps((printed, code)))
        if code:
            sys.exit(code)
        return None

    return wrapper  # type: ignore[return-value]


# ---------------------------------------------------------------- vault and index


@cli.command()
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option("--git", "git", is_flag=True, help="Also register the git merge driver.")
@pass_app
def init(app: App, path: str | None, git: bool) -> None:
    """Create a vault, or adopt an existing Obsidian vault. Never overwrites anything."""
    from netzwerk.scaffold import init_vault

    root = (
        Path(path).resolve()
        if path
        else (Path(app.vault_option) if app.vault_option else Path.cwd())
    )
    try:
        lines = init_vault(root.resolve())
    except OSError as exc:
        raise Failure(f"cannot set up {str(root)!r}: {exc.strerror or exc}") from None
    if git:
        lines += _git_setup(root.resolve(), create=True)
    if not app.quiet:
        for line in lines:
            echo(line)


@cli.command()
@with_vault_argument
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@format_option
@pass_app
@cached
def check(app: App, strict: bool, fmt: str) -> None:
    """Validate the vault. One `path:line: severity: message [CODE]` line per problem."""
    from netzwerk.problems import has_errors, sorted_problems, to_json

    config = app.config(strict=False)
    problems = list(app.extra_problems)
    if not any(p.code == "NW401" for p in problems):
        problems += app.loaded()[1]
    problems = sorted_problems(problems)
    if fmt == "json":
        echo(to_json(problems))
    else:
        for problem in problems:
            colour = "red" if problem.severity.value == "error" else "yellow"
            text = problem.format()
            label = f"{problem.severity.value}:"
            head, _, tail = text.partition(f" {label}")
            echo(f"{head} {style(label, fg=colour, bold=True)}{tail}")
    del config
    if has_errors(problems, strict=strict):
        sys.exit(1)


@cli.command()
@with_vault_argument
@click.option("--rebuild", is_flag=True, help="Forget the cache and read every note again.")
@pass_app
def index(app: App, rebuild: bool) -> None:
    """Refresh the cache in .netzwerk/. Every command does this implicitly."""
    from netzwerk.vault import load

    config = app.config()
    loaded = load(config, rebuild=rebuild, progress=_progress())
    if not app.quiet:
        stats = loaded.stats
        echo(
            f"{stats.files} notes: {stats.parsed} read, {stats.files - stats.parsed} from the cache"
            + (f", {stats.removed} forgotten" if stats.removed else "")
        )


def _git_setup(root: Path, *, create: bool = False) -> list[str]:
    import shlex
    import subprocess

    from netzwerk.config import load_config
    from netzwerk.merge import DRIVER_COMMAND, MergeError, git_setup

    config, problems = load_config(root)
    if problems:
        raise Failure("netzwerk.toml has errors; run `netzwerk check` first")
    done: list[str] = []

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(["git", *args], capture_output=True, text=True, check=False)
        except FileNotFoundError:
            raise Failure("git is not installed") from None

    if create and git("-C", str(root), "rev-parse", "--is-inside-work-tree").returncode != 0:
        made = git("init", "-q", str(root))
        if made.returncode != 0:
            raise Failure(f"git init failed: {made.stderr.strip()}")
        done.append("created a git repository")
    driver = DRIVER_COMMAND
    top = git("-C", str(root), "rev-parse", "--show-toplevel")
    if top.returncode == 0 and Path(top.stdout.strip()).resolve() != root.resolve():
        # git runs the driver at the top of the work tree: point it at the vault.
        relative = os.path.relpath(root.resolve(), Path(top.stdout.strip()).resolve())
        driver = driver.replace("netzwerk ", f"netzwerk --vault {shlex.quote(relative)} ", 1)
    try:
        return done + git_setup(root, config, driver=driver)
    except MergeError as exc:
        raise Failure(str(exc)) from None


@cli.command("git-setup")
@click.argument("path", required=False, type=click.Path(file_okay=False))
@pass_app
def git_setup_command(app: App, path: str | None) -> None:
    """Register the git merge driver. Run once per clone."""
    root = Path(path).resolve() if path else app.root
    lines = _git_setup(root)
    if not app.quiet:
        for line in lines:
            echo(line)


@cli.command("merge-driver")
@click.argument("base", type=click.Path(dir_okay=False))
@click.argument("ours", type=click.Path(dir_okay=False))
@click.argument("theirs", type=click.Path(dir_okay=False))
@click.argument("path")
@pass_app
def merge_driver_command(app: App, base: str, ours: str, theirs: str, path: str) -> None:
    """The merge driver git runs. Merges notes key by key, the Log by date."""
    from netzwerk.merge import MergeError, merge_driver

    try:
        code = merge_driver(base, ours, theirs, path, app.config())
    except (MergeError, OSError) as exc:
        raise Failure(f"merge driver: {exc}") from None
    sys.exit(code)


def print_table(rows: Iterable[Iterable[str]], header: Iterable[str] | None = None) -> None:
    """Aligned columns; the last column is never padded."""
    table = [list(header)] if header is not None else []
    table += [list(r) for r in rows]
    if not table:
        return
    widths = [max(len(row[i]) for row in table if i < len(row)) for i in range(len(table[0]))]
    lines = []
    for number, row in enumerate(table):
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + row[-1:]
        line = "  ".join(cells).rstrip()
        lines.append(style(line, bold=True) if header is not None and number == 0 else line)
    echo("\n".join(lines))


# ---------------------------------------------------------------- the weekly job


def _week(app: App, config: Config, week: str | None, day: date | None = None) -> Any:
    from netzwerk.schedule import parse_week, week_of

    if week is None:
        return week_of(day or app.today, config.week_start)
    parsed = parse_week(week, config.week_start)
    if parsed is None:
        raise click.BadParameter(f"{week!r} is not a week like 2026-W48", param_hint="'--week'")
    return parsed


def _last_text(item: Any) -> str:
    last = item.last
    if last is None:
        return "never"
    where = {"last_contact": "last_contact", "log": "log", "journal": "journal"}[last.source]
    if last.source == "journal":
        where = f"[[{last.path.rsplit('/', 1)[-1].removesuffix('.md')}]]"
    elif last.source == "log" and last.kind:
        where = f"log {last.kind}"
    return f"{last.date.isoformat()} ({where})"


def _hooks(contact: Contact, last: Any) -> str:
    parts = []
    if contact.interests:
        parts.append("ask about: " + ", ".join(contact.interests))
    if contact.needs:
        parts.append("needs: " + ", ".join(contact.needs))
    if last is not None and last.text:
        parts.append("last: " + last.text)
    return "; ".join(parts)


@cli.command()
@click.option("--week", metavar="YYYY-Www", help="Another week than this one.")
@click.option("--tier", "tiers", multiple=True, metavar="T", help="Only this tier (repeatable).")
@format_option
@pass_app
@cached
def due(app: App, week: str | None, tiers: tuple[str, ...], fmt: str) -> None:
    """Who is overdue or due this week, most overdue first."""
    from netzwerk.schedule import due as due_items

    config = app.config()
    for tier in tiers:
        if config.tier(tier) is None:
            from netzwerk.actions import ActionError, check_tier

            try:
                check_tier(config, tier)
            except ActionError as exc:
                raise click.BadParameter(str(exc), param_hint="'--tier'") from None
    target = _week(app, config, week)
    items = due_items(app.load(), config, target)
    if tiers:
        items = [i for i in items if i.contact.tier in tiers]
    if fmt == "json":
        print_json(
            [
                {
                    "name": i.contact.name,
                    "path": i.contact.path,
                    "tier": i.contact.tier,
                    "status": i.status,
                    "last_contact": i.last.date.isoformat() if i.last else None,
                    "last_source": i.last.source if i.last else None,
                    "next_due": i.next_due.isoformat(),
                    "days_overdue": i.days_overdue,
                    "cadence": str(i.cadence),
                    "interests": list(i.contact.interests),
                    "needs": list(i.contact.needs),
                    "last_text": i.last.text if i.last else None,
                }
                for i in items
            ]
        )
        return
    if not items:
        if not app.quiet:
            echo(f"Nobody is due in {target.label} ({target.start} to {target.end}).")
        return
    rows = []
    for item in items:
        overdue = str(item.days_overdue) if item.status == "overdue" else "due"
        tier = item.tier.label if item.tier else (item.contact.tier or "")
        rows.append(
            [
                item.contact.name,
                tier,
                _last_text(item),
                item.next_due.isoformat(),
                overdue,
                _hooks(item.contact, item.last),
            ]
        )
    print_table(rows, ["NAME", "TIER", "LAST CONTACT", "NEXT DUE", "OVERDUE", "HOOKS"])
    if not app.quiet:
        overdue_count = sum(1 for i in items if i.status == "overdue")
        echo(
            f"\n{target.label}: {overdue_count} overdue, {len(items) - overdue_count} due this week"
        )


@cli.command()
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The week containing this date.")
@click.option("--week", metavar="YYYY-Www", help="This week (2026-W48).")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the digest instead of writing it.")
@pass_app
def digest(app: App, day: str | None, week: str | None, to_stdout: bool) -> None:
    """Write this week's digest note. Ticked items are recorded first."""
    from netzwerk.model import parse_date

    if day is not None and week is not None:
        raise click.UsageError("give --date or --week, not both")
    when = None
    if day is not None:
        when = parse_date(day)
        if when is None:
            raise click.BadParameter(f"{day!r} is not a date (YYYY-MM-DD)", param_hint="'--date'")
    config = app.config()
    target = _week(app, config, week, when)
    parts = ("digest", target.label, app.today.isoformat(), "stdout" if to_stdout else "write")
    path = f"{config.digest_dir}/{target.label}.md"
    from netzwerk.index import DB_NAME, RESULTS_NAME

    # No result and no state kept yet: nothing to look up (hashing every file's stat costs).
    cold = not (config.cache_dir / RESULTS_NAME).exists()
    look_up = functools.partial(_kept_result, config, parts)
    if not cold and _file_size(config.cache_dir / DB_NAME) >= SCAN_AHEAD_INDEX:
        # A large vault: it is scanned, and the result kept for it looked up, on the other
        # core, while this process loads the template and reads the state kept by the last
        # digest, which it needs if no result is kept: step by step, until the helper has
        # answered (what is left is done when it is needed).
        ahead = app.scan_ahead(look_up)
        prepared = _prepare_digest(config, target, app.today, ahead.busy)
        cached = ahead.found()
    else:
        prepared = None
        cached = None if cold else look_up(app.scan())
    if cached is not None:
        _show_kept(app, cached, to_stdout, path)
        return
    # The digest's own modules are imported where they are used: on a cold run, after the
    # helper that parses half the notes is forked, which then starts sooner.
    from netzwerk.files import EditError, vault_lock
    from netzwerk.fork import Batch, background, gathered, received, settle
    from netzwerk.render import RenderError

    def quick() -> tuple[str, int, int] | None:
        """The digest from the state the last one kept, when only a few notes changed."""
        from netzwerk import incremental

        files, scanned = app.scan()
        made = incremental.digest(config, files, target, app.today, prepared)
        if made is None:
            return None
        scan_errors = sum(1 for p in scanned if p.severity.value == "error")
        errors = made.errors + scan_errors
        warnings = made.warnings + len(scanned) - scan_errors
        app.summarise(errors, warnings)
        made.keep()
        return made.text, errors, warnings

    def parallel(snapshot: Snapshot) -> bool:
        """A large vault's state is kept on the other core while the digest is made here."""
        from netzwerk.incremental import PARALLEL_MIN

        return len(snapshot.contacts) >= PARALLEL_MIN

    def keep_files(snapshot: Snapshot, problems: list[Problem], run: int) -> None:
        from netzwerk import incremental

        files, scanned = app.scan()
        incremental.keep_files(config, target, app.today, snapshot, files, problems, scanned, run)

    def precompile() -> None:
        """The digest's template compiled into the cache, by the helper that parses half the
        notes, once it has answered: this process renders without compiling."""
        from netzwerk import render

        render.precompile(config, render.DIGEST_TEMPLATE)

    def imports() -> None:
        """The modules that make the digest from the notes, imported before they are parsed:
        on a large vault, while the helper that parses a share of them begins."""
        import jinja2  # noqa: F401

        from netzwerk import digest, incremental, memo, validate  # noqa: F401

    def whole() -> tuple[str, int, int]:
        """The digest from every note, recording ticked items first."""
        runs: list[int] = []
        early: list[Callable[[], Any]] = []
        batches: list[Batch] = []

        def begin(notes: Loaded) -> None:
            """On a large vault, as soon as the notes are read: a helper matches the intros
            while they are checked here, then keeps the notes' half of the state with the
            problems this process sends it."""
            from netzwerk import incremental, memo
            from netzwerk.digest import INTROS_SHOWN
            from netzwerk.vault import unreadable

            runs.append(incremental.run_id())
            snapshot = notes.snapshot
            if not parallel(snapshot):
                return
            app.scan()  # as it is now, for the helper
            begun = runs[-1]

            def keep() -> None:
                problems = _problems_of(received())
                if problems is None:  # not sent: checked here
                    from netzwerk.validate import validate

                    problems = notes.problems + validate(snapshot, config, app.today)
                keep_files(snapshot, problems, begun)

            with gathered(fed=True) as batch:
                # App.cacheable: the notes' problems begin with the scan's
                if not unreadable(notes.problems) and not background(keep, incremental.STATE):
                    keep()  # no helper: kept here, the notes checked for it
                early.append(memo.start_intros(snapshot, config, limit=INTROS_SHOWN))
            batches.append(batch)

        snapshot = app.load(then=begin, also=[(precompile, "templates")], meanwhile=imports)
        from netzwerk import digest as digest_mod
        from netzwerk import incremental

        run = runs[-1] if runs else incremental.run_id()
        if not to_stdout:
            ticks = digest_mod.apply_tickbacks(snapshot, config, app.today)
            for problem in ticks.problems:
                echo(problem.format(), err=True)
            if ticks.written:
                # What was begun is for the notes before the ticks: begin again (a new run,
                # so that no half of the state kept for the old notes is taken for this one).
                run = incremental.run_id()
                early.clear()
                for batch in batches:
                    batch.post(b"")
                settle(incremental.STATE)  # its half of the state is written before this one's
                snapshot = app.reload()
                if not app.quiet:
                    for rec in ticks.recorded:
                        echo(f"recorded {rec.date} for {rec.name} (ticked in {rec.digest})")
        problems = app.loaded()[1]
        for batch in batches:
            batch.post(_plain_problems(problems))
        keep = app.cacheable()
        if keep and not early:
            files_kept = functools.partial(keep_files, snapshot, problems, run)
            if not (parallel(snapshot) and background(files_kept, incremental.STATE)):
                files_kept()
        inputs = digest_mod.digest_inputs(
            snapshot, config, target, app.today, intros=early[0] if early else None
        )
        if keep:

            def keep_digest() -> None:
                incremental.keep_digest(config, target, app.today, snapshot, inputs, run)

            if not (parallel(snapshot) and background(keep_digest, incremental.STATE)):
                keep_digest()
        text = digest_mod.make_digest(snapshot, config, target, app.today, inputs)
        errors = sum(1 for p in problems if p.severity.value == "error")
        return text, errors, len(problems) - errors

    try:
        if to_stdout:
            text, errors, warnings = (None if cold else quick()) or whole()
            echo(text, nl=False)
            written = False
        else:
            with vault_lock(config.cache_dir):
                text, errors, warnings = (None if cold else quick()) or whole()
                from netzwerk.digest import write_digest

                written = write_digest(config, target, text)
    except RenderError as exc:
        raise Failure(str(exc)) from None
    except EditError as exc:
        raise Failure(str(exc)) from None
    if not to_stdout and not app.quiet:
        echo(f"wrote {path}" if written else f"{path} is up to date")
    _digest_to_cache(app, config, parts, text, errors, warnings)


def _prepare_digest(
    config: Config, target: Week, today: date, busy: Callable[[], bool]
) -> Prepared | None:
    """What a digest needs if no result is kept for it, made while `busy()` (while a helper
    looks for that result): Jinja2 and the template loaded, then the state the last digest
    kept read (returned; None if it was not). Step by step: on a warm run, the result is
    found before the last steps; what is left is done where it is needed."""
    if not busy():
        return None
    import jinja2  # noqa: F401

    if not busy():
        return None
    from netzwerk import render

    render.prepare(config, render.DIGEST_TEMPLATE)
    if not busy():
        return None
    from netzwerk import incremental

    if not busy():
        return None
    return incremental.prepare(config, target, today, waiting=busy)


# An index this large holds some 2,000 notes: scanning them on the other core saves more time
# than starting a helper costs.
SCAN_AHEAD_INDEX = 2_000_000


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def _plain_problems(problems: list[Problem]) -> bytes:
    """Problems as bytes, for a helper process."""
    import marshal

    from netzwerk.problems import plain

    return marshal.dumps(plain(problems))


def _problems_of(data: bytes) -> list[Problem] | None:
    """The inverse of `_plain_problems`; None for no data."""
    import marshal

    from netzwerk.problems import unplain

    return unplain(marshal.loads(data)) if data else None


def _show_kept(app: App, kept: bytes, to_stdout: bool, path: str) -> None:
    """A digest answered from the result kept for it."""
    import marshal

    text, errors, warnings = marshal.loads(kept)
    app.summarise(errors, warnings)
    if to_stdout:
        echo(text, nl=False)
    elif not app.quiet:
        echo(f"{path} is up to date")


def _kept_result(config: Config, parts: tuple[str, ...], scanned: Any) -> bytes | None:
    """The result kept for a command (`parts`) on the vault as `scanned`, if any."""
    from netzwerk.index import get_result
    from netzwerk.scan import state_key

    files, problems = scanned
    key = state_key(config, files, *parts, *(p.format() for p in problems))
    return get_result(config.cache_dir, key) if key else None


def _digest_to_cache(
    app: App, config: Config, parts: tuple[str, ...], text: str, errors: int, warnings: int
) -> None:
    import marshal

    from netzwerk.index import put_result
    from netzwerk.scan import state_key

    files, problems = app.scan()  # scanned again by app.reload() when tick-backs wrote notes
    key = state_key(config, files, *parts, *(p.format() for p in problems))
    if key is not None and app.cacheable():
        put_result(config.cache_dir, key, marshal.dumps((text, errors, warnings)))


# ---------------------------------------------------------------- editing notes


def _apply(app: App, planned: Any, dry_run: bool) -> None:
    from netzwerk.actions import apply
    from netzwerk.edit import EditError

    config = app.config()
    label = (
        planned.edit.path.relative_to(config.root.resolve()).as_posix() if planned.create else None
    )
    if label is None:
        label = planned.edit.path.relative_to(config.root).as_posix()
    if dry_run:
        diff = planned.edit.diff(label)
        if diff:
            echo(diff, nl=not diff.endswith("\n"))
        elif not app.quiet:
            echo(f"{label}: nothing to change")
        return
    try:
        changed = apply(config, planned)
    except EditError as exc:
        raise Failure(str(exc)) from None
    if not app.quiet:
        echo(f"{label}: {planned.summary}" if changed else f"{label}: nothing to change")


def _action(func: Callable[[], Any]) -> Any:
    from netzwerk.actions import ActionError
    from netzwerk.edit import EditError
    from netzwerk.render import RenderError

    try:
        return func()
    except (ActionError, EditError, RenderError) as exc:
        raise Failure(str(exc)) from None


def _key_value(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> Any:
    pairs = []
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{value!r} is not KEY=VALUE")
        pairs.append((key.strip(), rest))
    return pairs


@cli.command()
@click.argument("name")
@click.option("--tier", metavar="T", help="The contact's tier.")
@click.option("--tag", "tags", multiple=True, metavar="T", help="A tag (repeatable).")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    callback=_key_value,
    help="A property (repeatable; repeat a list key for several items).",
)
@dry_run_option
@pass_app
def add(
    app: App,
    name: str,
    tier: str | None,
    tags: tuple[str, ...],
    sets: list[tuple[str, str]],
    dry_run: bool,
) -> None:
    """Create a contact note from the contact template."""
    from netzwerk.actions import plan_add

    config = app.config()
    snapshot = app.load(quiet_problems=True)
    planned = _action(
        lambda: plan_add(config, snapshot, name, tier=tier, tags=tags, sets=sets, today=app.today)
    )
    _apply(app, planned, dry_run)


@cli.command()
@click.argument("name")
@click.argument("text", required=False, default="")
@click.option(
    "--kind", metavar="K", help="call, meet, message, mail, visit, gave, got, intro, note."
)
@click.option("--date", "day", metavar="YYYY-MM-DD", help="When it happened (default: today).")
@dry_run_option
@pass_app
def log(app: App, name: str, text: str, kind: str | None, day: str | None, dry_run: bool) -> None:
    """Add a line to a contact's Log. Raises last_contact when it is newer."""
    from netzwerk.actions import plan_log
    from netzwerk.model import parse_date

    when = app.today
    if day is not None:
        parsed = parse_date(day)
        if parsed is None:
            raise click.BadParameter(f"{day!r} is not a date (YYYY-MM-DD)", param_hint="'--date'")
        when = parsed
    contact = app.contact(name)
    config = app.config()
    planned = _action(lambda: plan_log(config, contact, text, kind=kind, day=when, today=app.today))
    _apply(app, planned, dry_run)


@cli.command()
@click.argument("name")
@click.argument("until", metavar="UNTIL|DURATION")
@dry_run_option
@pass_app
def snooze(app: App, name: str, until: str, dry_run: bool) -> None:
    """Not due before a date (2027-01-10) or for a while (3w, 2m)."""
    from netzwerk.actions import plan_snooze

    contact = app.contact(name)
    planned = _action(lambda: plan_snooze(app.config(), contact, until, today=app.today))
    _apply(app, planned, dry_run)


@cli.command()
@click.argument("name")
@dry_run_option
@pass_app
def pause(app: App, name: str, dry_run: bool) -> None:
    """Never due, without changing the tier (paused: true)."""
    from netzwerk.actions import plan_pause

    contact = app.contact(name)
    planned = _action(lambda: plan_pause(app.config(), contact, paused=True))
    _apply(app, planned, dry_run)


@cli.command()
@click.argument("name")
@dry_run_option
@pass_app
def unpause(app: App, name: str, dry_run: bool) -> None:
    """Schedule a paused contact again."""
    from netzwerk.actions import plan_pause

    contact = app.contact(name)
    planned = _action(lambda: plan_pause(app.config(), contact, paused=False))
    _apply(app, planned, dry_run)


@cli.command()
@click.argument("name")
@click.argument("tier_name", metavar="TIER")
@dry_run_option
@pass_app
def tier(app: App, name: str, tier_name: str, dry_run: bool) -> None:
    """Move a contact to another tier."""
    from netzwerk.actions import plan_tier

    contact = app.contact(name)
    planned = _action(lambda: plan_tier(app.config(), contact, tier_name))
    _apply(app, planned, dry_run)


@cli.command()
@click.option(
    "--poll",
    is_flag=True,
    help="Poll the vault every 2 s instead of using inotify (network drives, some containers).",
)
@click.option(
    "--rescan",
    type=click.FloatRange(min=1.0),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="Hash every note this often to catch changes the watcher missed.",
)
@pass_app
def watch(app: App, poll: bool, rescan: float) -> None:
    """Keep this week's digest current while you edit. Ctrl-C stops it."""
    from netzwerk.watch import run_watch

    gc.set_threshold(*_GC_DEFAULT)  # a long run collects its garbage as usual
    source = click.get_current_context().find_root().get_parameter_source("today")
    fixed = source is not None and source is not click.core.ParameterSource.DEFAULT
    # Follow the clock, so that a new week gets its digest, unless --today fixes the day.
    today: Callable[[], date] = (lambda: app.today) if fixed else date.today
    run_watch(app.config(), today=today, report=echo, rescan_interval=rescan, force_polling=poll)


# ---------------------------------------------------------------- relationships


def _tier_label(config: Config, name: str | None) -> str:
    tier = config.tier(name)
    return tier.label if tier else (name or "—")


def _last(app: App) -> Any:
    from netzwerk.schedule import last_contacts

    return last_contacts(app.load())


@cli.command()
@click.argument("name")
@format_option
@pass_app
@cached
def show(app: App, name: str, fmt: str) -> None:
    """A contact card. Properties, last contact, next due, balance, log, connections."""
    from netzwerk.network import card

    contact = app.contact(name)
    config = app.config()
    data = card(app.load(), config, app.today, contact, _last(app))
    if fmt == "json":
        print_json(data.as_dict())
        return
    c = data.contact
    echo(style(c.name, bold=True) + f" · {_tier_label(config, c.tier)} · {c.path}")
    if c.aliases:
        echo(f"  also known as {', '.join(c.aliases)}")
    rows = []
    for key in ("company", "role", "location", "email", "phone", "linkedin"):
        value = getattr(c, key)
        if value:
            rows.append([f"  {config.key(key)}", value])
    if c.birthday:
        rows.append([f"  {config.key('birthday')}", str(c.birthday)])
    for key in ("tags", "interests", "needs", "offers"):
        values = getattr(c, key)
        if values:
            rows.append([f"  {config.key(key)}", ", ".join(values)])
    for key, value in sorted(c.extra.items()):
        rows.append([f"  {key}", value])
    last = data.last
    if last is None:
        rows.append(["  last contact", "never"])
    else:
        what = f"{last.kind}: " if last.kind else ""
        text = f" — {what}{last.text}" if last.text else ""
        where = f"{last.path}:{last.line}" if last.line else last.path
        rows.append(["  last contact", f"{last.date.isoformat()}{text} ({where})"])
    if c.paused:
        rows.append(["  next due", "paused"])
    elif data.next_due is not None:
        every = f" (every {_duration_words(data.cadence)})" if data.cadence else ""
        rows.append(["  next due", f"{data.next_due.isoformat()}{every}"])
    else:
        rows.append(["  next due", "not scheduled"])
    b = data.balance
    rows.append(
        [
            "  balance",
            f"gave {b.gave}, got {b.got} (last 12 months: gave {b.gave_12m}, got {b.got_12m})"
            + (f" · {b.status}" if b.status else ""),
        ]
    )
    print_table(rows)
    if data.recent_log:
        echo("  log")
        for entry in data.recent_log:
            kind = f" {entry.kind}" if entry.kind else ""
            echo(f"    {entry.date.isoformat()}{kind}: {entry.text}")
    if data.connections:
        echo("  connections")
        for connection in data.connections:
            echo(f"    {connection.name} — {connection.reason}")
    if data.intros:
        echo("  introductions")
        for intro in data.intros:
            echo(f"    {intro.reason}")


def _duration_words(duration: Any) -> str:
    if duration.never:
        return "never"
    unit = {"d": "day", "w": "week", "m": "month", "y": "year"}[duration.unit]
    return f"{duration.count} {unit}{'s' if duration.count != 1 else ''}"


@cli.command()
@click.argument("text", required=False)
@click.option("--tag", "tags", multiple=True, metavar="T", help="Has this tag (repeatable).")
@click.option("--tier", metavar="T", help="In this tier.")
@click.option(
    "--where",
    "where",
    multiple=True,
    metavar="KEY=VALUE",
    callback=_key_value,
    help="A property contains VALUE (repeatable).",
)
@format_option
@pass_app
@cached
def find(
    app: App,
    text: str | None,
    tags: tuple[str, ...],
    tier: str | None,
    where: list[tuple[str, str]],
    fmt: str,
) -> None:
    """Search contacts. TEXT is looked for in names, properties and note text."""
    from netzwerk.network import find_hits

    config = app.config()
    hits = find_hits(app.load(), text, tags=tags, tier=tier, where=where, config=config)
    if fmt == "json":
        print_json([h.as_dict() for h in hits])
        return
    if not hits:
        if not app.quiet:
            echo("No contact matches.")
        sys.exit(1)
    filters = [f"tag {t}" for t in tags] + ([f"tier {tier}"] if tier else [])
    filters += [f"{k}={v}" for k, v in where]
    rows = [
        [
            h.contact.name,
            _tier_label(config, h.contact.tier),
            ", ".join(h.fields) or ", ".join(filters),
            h.contact.path,
        ]
        for h in hits
    ]
    print_table(rows, ["NAME", "TIER", "MATCHED IN", "PATH"])


@cli.command()
@format_option
@pass_app
@cached
def review(app: App, fmt: str) -> None:
    """Suggest tier changes. Capacity, promotions, demotions, unclassified people."""
    from netzwerk.network import review as review_data

    config = app.config()
    data = review_data(app.load(), config, app.today, _last(app))
    if fmt == "json":
        print_json(data.as_dict())
        return
    loads = " · ".join(
        f"{t.tier.label} {t.count}" + (f"/{t.tier.capacity}" if t.tier.capacity else "")
        for t in data.tiers
    )
    echo(style("Tiers", bold=True) + f"  {loads}")
    sections: list[tuple[str, list[list[str]]]] = [
        ("Over capacity", [[t.tier.label, t.reason] for t in data.over_capacity]),
        (
            "Promote",
            [
                [s.contact.name, f"{s.current or '—'} → {s.suggested or '—'}", s.reason]
                for s in data.promote
            ],
        ),
        (
            "Demote",
            [
                [s.contact.name, f"{s.current or '—'} → {s.suggested or '—'}", s.reason]
                for s in data.demote
            ],
        ),
        ("Unclassified", [[u.contact.name, u.reason] for u in data.unclassified]),
    ]
    for title, rows in sections:
        echo()
        echo(style(title, bold=True))
        if rows:
            print_table([["  " + r[0], *r[1:]] for r in rows])
        else:
            echo("  none")
    if not app.quiet:
        echo("\nSuggestions only: change a tier with `netzwerk tier NAME TIER`.")


@cli.command()
@click.option("--for", "name", metavar="NAME", help="Only introductions for this person.")
@click.option("--all", "show_all", is_flag=True, help="Every suggestion, not the first 20.")
@format_option
@pass_app
@cached
def intros(app: App, name: str | None, show_all: bool, fmt: str) -> None:
    """Introductions worth making. Needs matched against offers."""
    from netzwerk import memo

    snapshot = app.load()
    who = app.contact(name).name if name else None
    rows = memo.intros(snapshot, app.config(), name=who, limit=None if show_all else 20)
    if fmt == "json":
        print_json([r.as_dict() for r in rows])
        return
    if not rows:
        if not app.quiet:
            echo("No introductions to suggest.")
        return
    print_table(
        [[f"{r.score:.1f}", r.needer.name, r.giver.name, r.reason] for r in rows],
        ["SCORE", "NEEDS", "CAN HELP", "WHY"],
    )


@cli.command()
@click.argument("target")
@click.option("--from", "from_name", metavar="NAME", help="Start the chains at this person.")
@click.option("--max-hops", default=4, show_default=True, type=click.IntRange(1, 8))
@format_option
@pass_app
@cached
def path(app: App, target: str, from_name: str | None, max_hops: int, fmt: str) -> None:
    """Warm introductions. Chains of people from your contacts to TARGET."""
    from netzwerk.network import paths

    config = app.config()
    snapshot = app.load()
    start = app.contact(from_name).name if from_name else None
    chains = paths(snapshot, config, target, from_name=start, max_hops=max_hops, last=_last(app))
    if fmt == "json":
        print_json([c.as_dict() for c in chains])
        return
    if not chains:
        from netzwerk.network import matches

        if matches(snapshot, target):
            within = f"{max_hops} hop{'s' if max_hops != 1 else ''}"
            echo(f"No chain within {within} to {target!r}.")
        else:
            echo(f"Nobody in your notes matches {target!r}.")
        sys.exit(1)
    for number, chain in enumerate(chains, 1):
        hops = len(chain.hops)
        length = "you know them directly" if not hops else f"{hops} hop{'s' if hops != 1 else ''}"
        match = f" · matches {chain.match}" if chain.match and chain.match != "name" else ""
        echo(style(f"{number}. {' → '.join(chain.people)}", bold=True) + f"   {length}{match}")
        for hop in chain.hops:
            echo(f"     {hop.reason}")


@cli.command()
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, None))
@format_option
@pass_app
@cached
def hubs(app: App, limit: int, fmt: str) -> None:
    """People ranked by how many others they connect."""
    from netzwerk.network import hubs as hub_rows

    config = app.config()
    rows = hub_rows(app.load(), limit=limit)
    if fmt == "json":
        print_json([h.as_dict() for h in rows])
        return
    if not rows:
        if not app.quiet:
            echo("Nobody is connected yet: add `knows` links or mention people together.")
        return
    print_table(
        [
            [
                str(h.count),
                h.name,
                _tier_label(config, h.contact.tier) if h.contact else "(no note)",
            ]
            for h in rows
        ],
        ["CONNECTS", "NAME", "TIER"],
    )


@cli.command()
@click.argument("name", required=False)
@format_option
@pass_app
@cached
def balance(app: App, name: str | None, fmt: str) -> None:
    """The relationship account. What you gave and got, per person."""
    from netzwerk.network import balance_of, balances

    snapshot = app.load()
    rows = [balance_of(app.contact(name), app.today)] if name else balances(snapshot, app.today)
    if fmt == "json":
        print_json([b.as_dict() for b in rows])
        return
    if not rows:
        if not app.quiet:
            echo("No gave/got entries yet: log them with `netzwerk log NAME --kind gave`.")
        return
    print_table(
        [
            [
                b.contact.name,
                str(b.gave),
                str(b.got),
                str(b.gave_12m),
                str(b.got_12m),
                b.status or "",
            ]
            for b in rows
        ],
        ["NAME", "GAVE", "GOT", "12M GAVE", "12M GOT", "STATUS"],
    )


_GC_DEFAULT = gc.get_threshold()


def main() -> None:
    """The `netzwerk` command: run, flush, and leave without tearing down the loaded vault.

    Freeing a large vault's objects one by one at exit costs tens of milliseconds; every
    file netzwerk writes is closed (and synced) before this point.
    """
    # A command run once makes a million objects and almost no garbage cycles: collecting
    # after every 700 new objects cost a tenth of a large digest. `watch` sets it back.
    gc.set_threshold(100_000, 50, 50)
    try:
        cli.main(prog_name="netzwerk")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    from netzwerk.fork import settle

    settle()  # cache writes still running on the other core end first
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(ValueError, OSError):  # a closed pipe (`| head`)
            stream.flush()
    os._exit(code)
