"""The `netzwerk` command: parse options, call one function of `netzwerk.app`, print its result
as text or JSON, choose the exit code. Nothing else happens here."""

from __future__ import annotations

import functools
import os
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


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    click.echo(message, err=err, nl=nl, color=_color())


class Printer:
    """What a command prints, in order, collected (for the result cache) and printed at its end."""

    def __init__(self) -> None:
        self.printed: list[tuple[str, bool, bool]] = []

    def __call__(self, message: str = "", *, err: bool = False, nl: bool = True) -> None:
        self.printed.append((message, err, nl))

    def table(self, rows: Iterable[Iterable[str]], header: Iterable[str] | None = None) -> None:
        lines = views.table(rows, header)
        if lines:
            head = [style(lines[0], bold=True)] if header is not None else lines[:1]
            self("\n".join(head + lines[1:]))

    def json(self, data: object) -> None:
        import json

        self(json.dumps(data, ensure_ascii=False, indent=2, default=str))

    def output(self, code: int = 0) -> Output:
        from netzwerk.app import Output

        return Output(tuple(self.printed), code)


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
                    self.root, self.today, strict=strict, progress=_progress()
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


def _progress() -> Callable[[int, int], None] | None:
    """A progress line on stderr for a cold index that takes longer than a second."""
    if not sys.stderr.isatty():
        return None
    start = time.monotonic()

    def report(done: int, total: int) -> None:
        if time.monotonic() - start < 1.0 or total < 2 or (done % 97 and done != total):
            return
        filled = 30 * done // total
        sys.stderr.write(f"\rindexing [{'#' * filled}{'-' * (30 - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return report


def _parse_today(ctx: click.Context, param: click.Parameter, value: str | None) -> date:
    if value is None:
        return date.today()  # noqa: DTZ011 - the one place "today" comes from the clock
    return _date(value, None)


def _date(value: str, hint: str | None) -> date:
    from netzwerk.model import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=hint)
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
        from netzwerk.problems import Refused

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
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
    ctx.obj = Session(vault, today, quiet)


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
        parts = (ctx.command_path, repr(sorted(ctx.params.items())), str(session.quiet))

        def make() -> Output:
            say = Printer()
            try:
                func(session, say, *args, **kwargs)
            except SystemExit as exc:
                return say.output(exc.code if isinstance(exc.code, int) else 1)
            return say.output()

        vault = session.vault(strict=func.__name__ != "check")
        output = vault.answer(parts, make)
        for message, err, nl in output.printed:
            echo(message, err=err, nl=nl)
        if output.code:
            sys.exit(output.code)

    return wrapper  # type: ignore[return-value]


def _week(session: Session, week: str | None, day: date | None = None) -> Week:
    from netzwerk.schedule import parse_week, week_of

    config = session.vault().config
    if week is None:
        return week_of(day or session.today, config.week_start)
    parsed = parse_week(week, config.week_start)
    if parsed is None:
        raise click.BadParameter(f"{week!r} is not a week like 2026-W48", param_hint="'--week'")
    return parsed


def _key_value(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> Any:
    pairs = []
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{value!r} is not KEY=VALUE")
        pairs.append((key.strip(), rest))
    return pairs


# ---------------------------------------------------------------- vault and index


@cli.command()
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option("--git", "git", is_flag=True, help="Also register the git merge driver.")
@pass_session
def init(session: Session, path: str | None, git: bool) -> None:
    """Create a vault, or adopt an existing Obsidian vault. Never overwrites anything."""
    where = path or session.vault_option
    root = (Path(where) if where else Path.cwd()).resolve()
    try:
        lines = app.init(root, session.today, git=git)
    except OSError as exc:
        raise Failure(f"cannot set up {str(root)!r}: {exc.strerror or exc}") from None
    if not session.quiet:
        for line in lines:
            echo(line)


@cli.command()
@with_vault_argument
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@format_option
@pass_session
@cached
def check(session: Session, say: Printer, strict: bool, fmt: str) -> None:
    """Validate the vault. One `path:line: severity: message [CODE]` line per problem."""
    from netzwerk.problems import has_errors, to_json

    problems = app.check(session.vault(strict=False))
    if fmt == "json":
        say(to_json(problems))
    else:
        for problem in problems:
            colour = "red" if problem.severity.value == "error" else "yellow"
            label = f"{problem.severity.value}:"
            head, _, tail = problem.format().partition(f" {label}")
            say(f"{head} {style(label, fg=colour, bold=True)}{tail}")
    if has_errors(problems, strict=strict):
        sys.exit(1)


@cli.command()
@with_vault_argument
@click.option("--rebuild", is_flag=True, help="Forget the cache and read every note again.")
@pass_session
def index(session: Session, rebuild: bool) -> None:
    """Refresh the cache in .netzwerk/. Every command does this implicitly."""
    done = app.index(session.vault(), rebuild=rebuild)
    if not session.quiet:
        cached = f"{done.notes - done.read} from the cache"
        forgotten = f", {done.removed} forgotten" if done.removed else ""
        echo(f"{done.notes} notes: {done.read} read, {cached}{forgotten}")


# ---------------------------------------------------------------- the weekly job


def _check_tiers(session: Session, tiers: Iterable[str]) -> None:
    from netzwerk.actions import ActionError, check_tier

    config = session.vault().config
    for tier in tiers:
        if config.tier(tier) is None:
            try:
                check_tier(config, tier)
            except ActionError as exc:
                raise click.BadParameter(str(exc), param_hint="'--tier'") from None


@cli.command()
@click.option("--week", metavar="YYYY-Www", help="Another week than this one.")
@click.option("--tier", "tiers", multiple=True, metavar="T", help="Only this tier (repeatable).")
@format_option
@pass_session
@cached
def due(session: Session, say: Printer, week: str | None, tiers: tuple[str, ...], fmt: str) -> None:
    """Who is overdue or due this week, most overdue first."""
    _check_tiers(session, tiers)
    target = _week(session, week)
    items = app.due(session.vault(), target, tiers)
    session.summary(say)
    if fmt == "json":
        say.json(views.due_json(items))
        return
    if not items:
        if not session.quiet:
            say(f"Nobody is due in {target.label} ({target.start} to {target.end}).")
        return
    say.table(views.due_rows(items), views.DUE_HEADER)
    if not session.quiet:
        overdue = sum(1 for i in items if i.status == "overdue")
        say(f"\n{target.label}: {overdue} overdue, {len(items) - overdue} due this week")


@cli.command()
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The week containing this date.")
@click.option("--week", metavar="YYYY-Www", help="This week (2026-W48).")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the digest instead of writing it.")
@pass_session
def digest(session: Session, day: str | None, week: str | None, to_stdout: bool) -> None:
    """Write this week's digest note. Ticked items are recorded first."""
    if day is not None and week is not None:
        raise click.UsageError("give --date or --week, not both")
    when = _date(day, "'--date'") if day is not None else None
    made = app.digest(session.vault(), _week(session, week, when), write=not to_stdout)
    for problem in made.problems:
        echo(problem.format(), err=True)
    if not session.quiet:
        for rec in made.recorded:
            echo(f"recorded {rec.date} for {rec.name} (ticked in {rec.digest})")
    session.summary(counts=(made.errors, made.warnings))
    if to_stdout:
        echo(made.text, nl=False)
    elif not session.quiet:
        echo(f"wrote {made.path}" if made.written else f"{made.path} is up to date")


# ---------------------------------------------------------------- editing notes


def _edit(
    session: Session, plan: Callable[[Vault], Any], dry_run: bool, *, summary: bool = True
) -> None:
    """Plan one change with the vault (a summary of its problems first), then show or make it."""
    vault = session.vault()
    if summary:
        session.summary()
    planned = plan(vault)
    label = planned.edit.path.resolve().relative_to(vault.config.root.resolve()).as_posix()
    if dry_run:
        diff = planned.edit.diff(label)
        if diff:
            echo(diff, nl=not diff.endswith("\n"))
        elif not session.quiet:
            echo(f"{label}: nothing to change")
        return
    changed = app.apply(vault, planned)
    if not session.quiet:
        echo(f"{label}: {planned.summary}" if changed else f"{label}: nothing to change")


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
@pass_session
def add(
    session: Session,
    name: str,
    tier: str | None,
    tags: tuple[str, ...],
    sets: list[tuple[str, str]],
    dry_run: bool,
) -> None:
    """Create a contact note from the contact template."""
    _edit(
        session, lambda v: app.add(v, name, tier=tier, tags=tags, sets=sets), dry_run, summary=False
    )


@cli.command()
@click.argument("name")
@click.argument("text", required=False, default="")
@click.option(
    "--kind", metavar="K", help="call, meet, message, mail, visit, gave, got, intro, warmup, note."
)
@click.option("--date", "day", metavar="YYYY-MM-DD", help="When it happened (default: today).")
@dry_run_option
@pass_session
def log(
    session: Session, name: str, text: str, kind: str | None, day: str | None, dry_run: bool
) -> None:
    """Add a line to a contact's Log. Raises last_contact when it is newer."""
    when = _date(day, "'--date'") if day is not None else session.today
    _edit(session, lambda v: app.log(v, name, text, kind=kind, day=when), dry_run)


@cli.command()
@click.argument("name")
@click.argument("until", metavar="UNTIL|DURATION")
@dry_run_option
@pass_session
def snooze(session: Session, name: str, until: str, dry_run: bool) -> None:
    """Not due before a date (2027-01-10) or for a while (3w, 2m)."""
    _edit(session, lambda v: app.snooze(v, name, until), dry_run)


@cli.command()
@click.argument("name")
@dry_run_option
@pass_session
def pause(session: Session, name: str, dry_run: bool) -> None:
    """Never due, without changing the tier (paused: true)."""
    _edit(session, lambda v: app.pause(v, name, paused=True), dry_run)


@cli.command()
@click.argument("name")
@dry_run_option
@pass_session
def unpause(session: Session, name: str, dry_run: bool) -> None:
    """Schedule a paused contact again."""
    _edit(session, lambda v: app.pause(v, name, paused=False), dry_run)


@cli.command()
@click.argument("name")
@click.argument("tier_name", metavar="TIER")
@dry_run_option
@pass_session
def tier(session: Session, name: str, tier_name: str, dry_run: bool) -> None:
    """Move a contact to another tier."""
    _edit(session, lambda v: app.tier(v, name, tier_name), dry_run)


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
@pass_session
def watch(session: Session, poll: bool, rescan: float) -> None:
    """Keep this week's digest current while you edit. Ctrl-C stops it."""
    source = click.get_current_context().find_root().get_parameter_source("today")
    fixed = source is not None and source is not click.core.ParameterSource.DEFAULT
    # Follow the clock, so that a new week gets its digest, unless --today fixes the day.
    today: Callable[[], date] = (lambda: session.today) if fixed else date.today
    config = session.vault().config
    app.watch(config, today=today, report=echo, rescan=rescan, poll=poll)


# ---------------------------------------------------------------- relationships


def _tier_label(session: Session, name: str | None) -> str:
    tier = session.vault().config.tier(name)
    return tier.label if tier else (name or "—")


@cli.command()
@click.argument("name")
@format_option
@pass_session
@cached
def show(session: Session, say: Printer, name: str, fmt: str) -> None:
    """A contact card. Properties, last contact, next due, balance, log, connections."""
    data = app.show(session.vault(), name)
    session.summary(say)
    if fmt == "json":
        say.json(data.as_dict())
        return
    c = data.contact
    say(style(c.shown, bold=True) + f" · {_tier_label(session, c.tier)} · {c.path}")
    if c.aliases:
        say(f"  also known as {', '.join(c.aliases)}")
    rows, sections = views.card(data, session.vault().config.key)
    say.table(rows)
    for title, lines in sections:
        if lines:
            say(f"  {title}")
            for (line,) in lines:
                say(f"    {line}")


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
@pass_session
@cached
def find(
    session: Session,
    say: Printer,
    text: str | None,
    tags: tuple[str, ...],
    tier: str | None,
    where: list[tuple[str, str]],
    fmt: str,
) -> None:
    """Search contacts. TEXT is looked for in names, properties and note text."""
    hits = app.find(session.vault(), text, tags=tags, tier=tier, where=where)
    session.summary(say)
    if fmt == "json":
        say.json([h.as_dict() for h in hits])
        return
    if not hits:
        if not session.quiet:
            say("No contact matches.")
        sys.exit(1)
    filters = [f"tag {t}" for t in tags] + ([f"tier {tier}"] if tier else [])
    filters += [f"{k}={v}" for k, v in where]
    rows = views.find_rows(hits, lambda t: _tier_label(session, t), filters)
    say.table(rows, ["NAME", "TIER", "MATCHED IN", "PATH"])


@cli.command()
@format_option
@pass_session
@cached
def review(session: Session, say: Printer, fmt: str) -> None:
    """Suggest tier changes. Capacity, promotions, demotions, unclassified people."""
    data = app.review(session.vault())
    session.summary(say)
    if fmt == "json":
        say.json(data.as_dict())
        return
    loads, sections = views.review(data)
    say(style("Tiers", bold=True) + f"  {loads}")
    for title, rows in sections:
        say()
        say(style(title, bold=True))
        if rows:
            say.table([["  " + r[0], *r[1:]] for r in rows])
        else:
            say("  none")
    if not session.quiet:
        say("\nSuggestions only: change a tier with `netzwerk tier NAME TIER`.")


@cli.command()
@click.option("--for", "name", metavar="NAME", help="Only introductions for this person.")
@click.option("--all", "show_all", is_flag=True, help="Every suggestion, not the first 20.")
@format_option
@pass_session
@cached
def intros(session: Session, say: Printer, name: str | None, show_all: bool, fmt: str) -> None:
    """Introductions worth making. Needs matched against offers."""
    rows = app.introductions(session.vault(), name=name, limit=None if show_all else 20)
    session.summary(say)
    if fmt == "json":
        say.json([r.as_dict() for r in rows])
        return
    if not rows:
        if not session.quiet:
            say("No introductions to suggest.")
        return
    say.table(
        [[f"{r.score:.1f}", r.needer.name, r.giver.name, r.reason] for r in rows],
        ["SCORE", "NEEDS", "CAN HELP", "WHY"],
    )


@cli.command()
@click.argument("target")
@click.option("--from", "from_name", metavar="NAME", help="Start the chains at this person.")
@click.option("--max-hops", default=4, show_default=True, type=click.IntRange(1, 8))
@format_option
@pass_session
@cached
def path(
    session: Session, say: Printer, target: str, from_name: str | None, max_hops: int, fmt: str
) -> None:
    """Warm introductions. Chains of people from your contacts to TARGET."""
    found = app.paths(session.vault(), target, from_name=from_name, max_hops=max_hops)
    session.summary(say)
    if fmt == "json":
        say.json([c.as_dict() for c in found.chains])
        return
    if not found.chains:
        if found.matched:
            say(f"No chain within {max_hops} hop{'s' if max_hops != 1 else ''} to {target!r}.")
        else:
            say(f"Nobody in your notes matches {target!r}.")
        sys.exit(1)
    for people, length, hops in views.chain_lines(found.chains):
        say(style(people, bold=True) + length)
        for hop in hops:
            say(f"     {hop}")


@cli.command()
@click.argument("place")
@format_option
@pass_session
@cached
def near(session: Session, say: Printer, place: str, fmt: str) -> None:
    """Whom you know in PLACE, who lives there two hops away, introductions there."""
    data = app.near(session.vault(), place)
    session.summary(say)
    if fmt == "json":
        say.json(views.near_json(data))
        return
    sections = [s for s in views.near(data, lambda t: _tier_label(session, t)) if s[1]]
    if not sections:
        if not session.quiet:
            say(f"Nobody in your notes is in {place!r}.")
        sys.exit(1)
    for number, (title, rows) in enumerate(sections):
        if number:
            say()
        say(style(title, bold=True))
        say.table([["  " + r[0], *r[1:]] for r in rows])


@cli.command()
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, None))
@format_option
@pass_session
@cached
def hubs(session: Session, say: Printer, limit: int, fmt: str) -> None:
    """People ranked by how many others they connect."""
    rows = app.hubs(session.vault(), limit=limit)
    session.summary(say)
    if fmt == "json":
        say.json([h.as_dict() for h in rows])
        return
    if not rows:
        if not session.quiet:
            say("Nobody is connected yet: add `knows` links or mention people together.")
        return
    say.table(
        [
            [
                str(h.count),
                h.name,
                _tier_label(session, h.contact.tier) if h.contact else "(no note)",
            ]
            for h in rows
        ],
        ["CONNECTS", "NAME", "TIER"],
    )


@cli.command()
@click.argument("name", required=False)
@format_option
@pass_session
@cached
def balance(session: Session, say: Printer, name: str | None, fmt: str) -> None:
    """The relationship account. What you gave and got, per person."""
    rows = app.balance(session.vault(), name)
    session.summary(say)
    if fmt == "json":
        say.json([b.as_dict() for b in rows])
        return
    if not rows:
        if not session.quiet:
            say("No gave/got entries yet: log them with `netzwerk log NAME --kind gave`.")
        return
    say.table(views.balance_rows(rows), ["NAME", "GAVE", "GOT", "12M GAVE", "12M GOT", "STATUS"])


# ---------------------------------------------------------------- git


@cli.command("git-setup")
@click.argument("path", required=False, type=click.Path(file_okay=False))
@pass_session
def git_setup_command(session: Session, path: str | None) -> None:
    """Register the git merge driver. Run once per clone."""
    lines = app.git_setup(Path(path).resolve() if path else session.root)
    if not session.quiet:
        for line in lines:
            echo(line)


@cli.command("merge-driver")
@click.argument("base", type=click.Path(dir_okay=False))
@click.argument("ours", type=click.Path(dir_okay=False))
@click.argument("theirs", type=click.Path(dir_okay=False))
@click.argument("path")
@pass_session
def merge_driver_command(session: Session, base: str, ours: str, theirs: str, path: str) -> None:
    """The merge driver git runs. Merges notes key by key, the Log by date."""
    from netzwerk.merge import MergeError

    try:
        code = app.merge_driver(session.root_or_here, base, ours, theirs, path)
    except (MergeError, OSError) as exc:
        raise Failure(f"merge driver: {exc}") from None
    sys.exit(code)


def main() -> None:
    """The `netzwerk` command."""
    cli.main(prog_name="netzwerk")
