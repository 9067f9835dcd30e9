"""The `netzwerk` command: parse options, call one function of `netzwerk.app`, print its result
as text or JSON, choose the exit code. Nothing else happens here. The commands that edit notes
are in `cli_edit`, those about people in `cli_network`, import and export in `cli_transfer`;
what they share in `cli_base`."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click

from netzwerk import app, views
from netzwerk.cli_base import (
    Failure,
    Group,
    Printer,
    Session,
    cached,
    day_option,
    dry_run_option,
    echo,
    format_option,
    parse_today,
    pass_session,
    style,
    week_option,
    with_vault_argument,
)
from netzwerk.cli_edit import add, log, pause, snooze, tier, unpause, unsnooze
from netzwerk.cli_network import balance, find, hubs, intros, near, path, review, show
from netzwerk.cli_transfer import export_group, import_command
from netzwerk.problems import one_line


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--vault",
    metavar="PATH",
    help="The vault folder (default: $NETZWERK_VAULT, else the nearest folder upward with "
    "netzwerk.toml or .obsidian/).",
)
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    envvar="NETZWERK_TODAY",
    callback=parse_today,
    help="Take this date as today (env NETZWERK_TODAY), for reproducible runs.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only what was asked for.")
@click.version_option(package_name="netzwerk", message="netzwerk %(version)s")
@click.pass_context
def cli(ctx: click.Context, vault: str | None, today: date, quiet: bool) -> None:
    """netzwerk: whom to get back in touch with, from a folder of Markdown notes."""
    ctx.obj = Session(vault, today, quiet)


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

    vault = session.vault(strict=False)
    problems = app.check(vault)
    if fmt == "json":
        say(to_json(problems))
    else:
        for problem in problems:
            colour = "red" if problem.severity.value == "error" else "yellow"
            label = f"{problem.severity.value}:"
            head, _, tail = problem.format().partition(f" {label}")
            say(f"{head} {style(label, fg=colour, bold=True)}{tail}")
    if problems and not session.quiet:
        say(views.check_summary(problems, len(vault.scan().files)), err=True)
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


@cli.command()
@click.option("--week", metavar="YYYY-Www", help="Another week than this one.")
@click.option("--tier", "tiers", multiple=True, metavar="T", help="Only this tier (repeatable).")
@format_option
@pass_session
@cached
def due(session: Session, say: Printer, week: str | None, tiers: tuple[str, ...], fmt: str) -> None:
    """Who is overdue or due this week, most overdue first."""
    target = week_option(session, week)
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
@dry_run_option
@pass_session
def digest(
    session: Session, day: str | None, week: str | None, to_stdout: bool, dry_run: bool
) -> None:
    """Write this week's digest note. Ticked items are recorded first."""
    if day is not None and week is not None:
        raise click.UsageError("give --date or --week, not both")
    when = day_option(day, "'--date'") if day is not None else None
    target = week_option(session, week, when)
    if dry_run:
        from netzwerk.edit import Edit

        changes = app.digest_preview(session.vault(), target)
        for label, before, after in changes:
            diff = Edit(Path(label), before, after).diff(label)
            echo(diff, nl=not diff.endswith("\n"))
        if not changes and not session.quiet:
            echo("nothing to change")
        return
    made = app.digest(session.vault(), target, write=not to_stdout)
    for problem in made.problems:
        echo(problem.format(), err=True)
    if not session.quiet:
        for rec in made.recorded:
            echo(one_line(rec.said()))
    session.summary(counts=(made.errors, made.warnings))
    if to_stdout:
        echo(made.text, nl=False)
    elif not session.quiet:
        echo(f"wrote {made.path}" if made.written else f"{made.path} is up to date")


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
    gc.enable()  # (see `main`: a long-running process collects its garbage)
    if app.watch(config, today=today, report=echo, rescan=rescan, poll=poll):
        sys.exit(130)  # stopped by Ctrl-C, as a shell reports an interrupted command


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


for _command in (add, log, snooze, unsnooze, pause, unpause, tier):
    cli.add_command(_command)
for _command in (show, find, review, intros, path, near, hubs, balance):
    cli.add_command(_command)
cli.add_command(import_command)
cli.add_command(export_group)


# An example or two in every command's --help.
EXAMPLES = {
    "init": ["netzwerk init", "netzwerk init ~/Notes --git"],
    "check": ["netzwerk check", "netzwerk check --strict --format json"],
    "index": ["netzwerk index", "netzwerk index --rebuild"],
    "due": ["netzwerk due", "netzwerk due --week 2026-W50 --tier 10"],
    "digest": ["netzwerk digest", "netzwerk digest --dry-run", "netzwerk digest --stdout"],
    "add": ['netzwerk add "Ada Okafor" --tier 50 --tag climbing --set location=Lagos'],
    "log": ['netzwerk log Marie "coffee in Lyon" --kind meet', "netzwerk log Werner --kind call"],
    "snooze": ["netzwerk snooze Rafael 3w", "netzwerk snooze Rafael 2027-01-10"],
    "unsnooze": ["netzwerk unsnooze Rafael"],
    "pause": ["netzwerk pause Giulia"],
    "unpause": ["netzwerk unpause Giulia"],
    "tier": [
        'netzwerk tier "Kenji Tanaka" 10',
        'netzwerk tier Kenji "Top 50"',
        "netzwerk tier Kenji none",
    ],
    "watch": ["netzwerk watch", "netzwerk watch --poll"],
    "show": ['netzwerk show "Paul Martin"', "netzwerk show Marie --format json"],
    "find": ["netzwerk find climbing", "netzwerk find --tag investor --where company=Atelier"],
    "review": ["netzwerk review"],
    "intros": ["netzwerk intros", "netzwerk intros --for Marie"],
    "path": ["netzwerk path investor", 'netzwerk path "Paul Martin" --from Marie'],
    "near": ["netzwerk near Nice", "netzwerk near 'São Paulo' --format json"],
    "hubs": ["netzwerk hubs --limit 10"],
    "balance": ["netzwerk balance", "netzwerk balance Hanna"],
    "git-setup": ["netzwerk git-setup"],
    "merge-driver": ["netzwerk merge-driver %O %A %B %P   (git runs it; git-setup registers it)"],
}
for _name, _lines in EXAMPLES.items():
    cli.commands[_name].epilog = "\b\nExamples:\n" + "\n".join(f"  {line}" for line in _lines)


def main() -> None:
    """The `netzwerk` command."""
    # A command is a short process: the garbage collector's passes over the hundreds of
    # thousands of objects a vault's notes become cost 10-15% of a cold run and free nothing
    # (netzwerk's records hold no cycles; the peak memory is the same). `watch`, which runs
    # for days, turns it on again.
    gc.disable()
    cli.main(prog_name="netzwerk")
