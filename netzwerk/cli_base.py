"""What every `netzwerk` command shares: the session (global options and the vault they
name), the printer (what a command prints, cached with its result), options and arguments
used by several commands, and the group that turns netzwerk's refusals into exit codes."""

from __future__ import annotations

import functools
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from netzwerk import app, views

if TYPE_CHECKING:
    from netzwerk.app import Output, Vault
    from netzwerk.schedule import Week

F = TypeVar("F", bound=Callable[..., Any])


def _color() -> bool | None:
    """Colour only on a terminal (click's default), never with NO_COLOR."""
    return False if os.environ.get("NO_COLOR") else None


def style(text: str, **kwargs: Any) -> str:
    return text if os.environ.get("NO_COLOR") else click.style(text, **kwargs)


# What a terminal would take as a command, from text a vault holds (ESC ] 52 sets the
# clipboard, ESC [ 2J clears the screen, a carriage return overwrites the line), written as
# an escape wherever it is printed; line breaks, tabs and the styles `style` makes stay.
_UNSAFE = re.compile(r"\x1b(?!\[[0-9;]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]")


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    message = _UNSAFE.sub(lambda m: repr(m.group())[1:-1], message)
    click.echo(message, err=err, nl=nl, color=_color())


class Printer:
    """What a command prints, in order, collected (for the result cache) and printed at its end."""

    def __init__(self) -> None:
        self.printed: list[tuple[str, bool, bool, bool]] = []

    def __call__(
        self, message: str = "", *, err: bool = False, nl: bool = True, fit: bool = False
    ) -> None:
        self.printed.append((message, err, nl, fit))

    def table(self, rows: Iterable[Iterable[str]], header: Iterable[str] | None = None) -> None:
        """A table; on a terminal its lines are cut to the terminal's width (`fitted`)."""
        lines = views.table(rows, header)
        if lines:
            head = [style(lines[0], bold=True)] if header is not None else lines[:1]
            self("\n".join(head + lines[1:]), fit=True)

    def json(self, data: object) -> None:
        import json

        self(json.dumps(data, ensure_ascii=False, indent=2, default=str))

    def output(self, code: int = 0) -> Output:
        from netzwerk.app import Output

        return Output(tuple(self.printed), code)


def fitted(text: str) -> str:
    """A table's lines cut to the terminal's width with `…` (the last column, the hooks, is
    the long one); as they are when the output is no terminal (a pipe, a file)."""
    if not sys.stdout.isatty():
        return text
    import shutil

    width = shutil.get_terminal_size((100, 24)).columns
    return "\n".join(
        line[: width - 1].rstrip() + "…" if len(line) > width and "\x1b" not in line else line
        for line in text.split("\n")
    )


class Failure(click.ClickException):
    """An operation refused or an environment problem: one `Error: …` line, exit 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        echo(f"Error: {self.format_message()}", err=True)


class Session:
    """The global options, and the vault they name, opened when a command first needs it."""

    def __init__(self, vault: str | None, today: date, quiet: bool) -> None:
        self.vault_option = vault
        self.today = today
        self.quiet = quiet
        self._vault: Vault | None = None

    @property
    def root(self) -> Path:
        from netzwerk.config import find_vault

        found = find_vault(self.vault_option, Path.cwd())
        if found is None:
            raise Failure(
                f"no vault here: neither {Path.cwd()} nor a folder above it holds netzwerk.toml "
                "or .obsidian/; run `netzwerk init` to make this folder one, or give --vault PATH"
            )
        return found

    @property
    def root_or_here(self) -> Path:
        """The vault, or the working directory when there is none (the merge driver)."""
        from netzwerk.config import find_vault

        return find_vault(self.vault_option, Path.cwd()) or Path.cwd()

    def vault(self, *, strict: bool = True) -> Vault:
        if self._vault is None:
            try:
                self._vault = app.open_vault(
                    self.root, self.today, strict=strict, progress=progress()
                )
            except app.VaultError as exc:
                for problem in getattr(exc, "problems", ()):
                    echo(problem.format(), err=True)
                raise Failure(str(exc)) from None
        return self._vault

    def summary(
        self, say: Callable[..., None] = echo, counts: tuple[int, int] | None = None
    ) -> None:
        """One line on stderr when the vault has problems: `check` lists them."""
        errors, warnings = counts if counts is not None else self.vault().counts()
        if not self.quiet and (errors or warnings):
            say(style(views.summary(errors, warnings), fg="yellow"), err=True)


def progress() -> Callable[[int, int], None] | None:
    """A progress line on stderr for a cold index that takes longer than a second."""
    if not sys.stderr.isatty():
        return None
    start = time.monotonic()

    def report(done: int, total: int) -> None:
        if time.monotonic() - start < 1.0 or total < 2:
            return
        progress_bar("indexing", done, total)

    return report


def progress_bar(phase: str, done: int, total: int) -> None:
    """`\rindexing [#####-----] 97/194` on stderr, every 97 items and at the end."""
    if done % 97 and done != total:
        return
    filled = 30 * done // total
    sys.stderr.write(f"\r{phase:8} [{'#' * filled}{'-' * (30 - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def parse_today(ctx: click.Context, param: click.Parameter, value: str | None) -> date:
    if value is None:
        return date.today()  # noqa: DTZ011 - the one place "today" comes from the clock
    return day_option(value, None)


def date_option(value: str, hint: str | None) -> date:
    from netzwerk.model import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=hint)
    return parsed


def day_option(value: str, hint: str | None) -> date:
    """A date that can be today or lie in a digest's week (not at the calendar's very ends)."""
    from netzwerk.schedule import FIRST_DAY, LAST_DAY, in_calendar

    parsed = date_option(value, hint)
    if not in_calendar(parsed):
        raise click.BadParameter(
            f"{value!r} is outside the dates netzwerk works with ({FIRST_DAY} to {LAST_DAY})",
            param_hint=hint,
        )
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


pass_session = click.make_pass_decorator(Session)


class Group(click.Group):
    """Keeps commands in the order they are defined in `--help`; no tracebacks ever."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def invoke(self, ctx: click.Context) -> Any:
        from netzwerk.problems import BadValue, Refused

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BadValue as exc:  # a value on the command line: a usage error, exit 2
            raise click.UsageError(str(exc), ctx) from None
        except Refused as exc:
            raise Failure(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("Aborted.", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(1)
        except Exception as exc:  # a bug: one line, the traceback only on request
            if os.environ.get("NETZWERK_DEBUG"):
                raise
            click.echo(
                f"Error: internal error: {type(exc).__name__}: {exc} "
                "(set NETZWERK_DEBUG=1 to see where)",
                err=True,
            )
            sys.exit(1)


def with_vault_argument(func: F) -> F:
    """An optional PATH argument that names the vault (`netzwerk check example-vault`)."""

    @click.argument("path", required=False, type=click.Path(file_okay=False))
    @functools.wraps(func)
    def wrapper(*args: Any, path: str | None, **kwargs: Any) -> Any:
        if path is not None:
            click.get_current_context().find_object(Session).vault_option = path  # type: ignore[union-attr]
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def cached(func: F) -> F:
    """A read command answered from the result cache when nothing it reads has changed: what
    it printed and its exit status are replayed."""

    @functools.wraps(func)
    def wrapper(session: Session, *args: Any, **kwargs: Any) -> None:
        ctx = click.get_current_context()
        # (Styles are made by `style`, unless NO_COLOR: what was printed differs by it.)
        styled = "plain" if os.environ.get("NO_COLOR") else "styled"
        parts = (ctx.command_path, repr(sorted(ctx.params.items())), str(session.quiet), styled)

        def make() -> Output:
            say = Printer()
            try:
                func(session, say, *args, **kwargs)
            except SystemExit as exc:
                return say.output(exc.code if isinstance(exc.code, int) else 1)
            return say.output()

        vault = session.vault(strict=func.__name__ != "check")
        output = vault.answer(parts, make)
        for message, err, nl, fit in output.printed:
            echo(fitted(message) if fit and not err else message, err=err, nl=nl)
        if output.code:
            sys.exit(output.code)

    return wrapper  # type: ignore[return-value]


def week_option(session: Session, week: str | None, day: date | None = None) -> Week:
    from netzwerk.schedule import parse_week, week_of, weeks_in_year

    config = session.vault().config
    if week is None:
        return week_of(day or session.today, config.week_start)
    parsed = parse_week(week, config.week_start)
    if parsed is None:
        year = weeks_in_year(week)
        if year is not None:
            message = f"{week!r}: {year[0]} has {year[1]} weeks"
        else:
            message = f"{week!r} is not a week like 2026-W48"
        raise click.BadParameter(message, param_hint="'--week'")
    day_option(parsed.start.isoformat(), "'--week'")
    return parsed


def a_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A contact's NAME: never empty (a usage error, exit 2)."""
    if value is not None and not value.strip():
        raise click.BadParameter("a name cannot be empty")
    return value


def key_value(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> Any:
    pairs = []
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{value!r} is not KEY=VALUE")
        pairs.append((key.strip(), rest))
    return pairs
