"""The commands that edit one note: add, log, snooze, unsnooze, pause, unpause, tier."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from netzwerk import app
from netzwerk.cli_base import (
    Session,
    a_name,
    date_option,
    dry_run_option,
    echo,
    key_value,
    pass_session,
)

if TYPE_CHECKING:
    from netzwerk.app import Vault

# ---------------------------------------------------------------- editing notes


def edit_note(
    session: Session, plan: Callable[[Vault], Any], dry_run: bool, *, summary: bool = True
) -> None:
    """Plan one change with the vault (a summary of its problems first), then show or make it."""
    vault = session.vault()
    if summary:
        session.summary()
    planned = plan(vault)
    label = os.path.relpath(planned.edit.path, vault.config.root).replace(os.sep, "/")
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


@click.command()
@click.argument("name", callback=a_name)
@click.option("--tier", metavar="T", help="The contact's tier.")
@click.option("--tag", "tags", multiple=True, metavar="T", help="A tag (repeatable).")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    callback=key_value,
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
    edit_note(
        session, lambda v: app.add(v, name, tier=tier, tags=tags, sets=sets), dry_run, summary=False
    )


@click.command()
@click.argument("name", callback=a_name)
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
    when = date_option(day, "'--date'") if day is not None else session.today
    edit_note(session, lambda v: app.log(v, name, text, kind=kind, day=when), dry_run)


@click.command()
@click.argument("name", callback=a_name)
@click.argument("until", metavar="UNTIL|DURATION")
@dry_run_option
@pass_session
def snooze(session: Session, name: str, until: str, dry_run: bool) -> None:
    """Not due before a date (2027-01-10) or for a while (3w, 2m)."""
    edit_note(session, lambda v: app.snooze(v, name, until), dry_run)


@click.command()
@click.argument("name", callback=a_name)
@dry_run_option
@pass_session
def unsnooze(session: Session, name: str, dry_run: bool) -> None:
    """Due again as the cadence says: remove snooze_until."""
    edit_note(session, lambda v: app.unsnooze(v, name), dry_run)


@click.command()
@click.argument("name", callback=a_name)
@dry_run_option
@pass_session
def pause(session: Session, name: str, dry_run: bool) -> None:
    """Never due, without changing the tier (paused: true)."""
    edit_note(session, lambda v: app.pause(v, name, paused=True), dry_run)


@click.command()
@click.argument("name", callback=a_name)
@dry_run_option
@pass_session
def unpause(session: Session, name: str, dry_run: bool) -> None:
    """Schedule a paused contact again."""
    edit_note(session, lambda v: app.pause(v, name, paused=False), dry_run)


@click.command()
@click.argument("name", callback=a_name)
@click.argument("tier_name", metavar="TIER")
@dry_run_option
@pass_session
def tier(session: Session, name: str, tier_name: str, dry_run: bool) -> None:
    """Move a contact to another tier."""
    edit_note(session, lambda v: app.tier(v, name, tier_name), dry_run)
