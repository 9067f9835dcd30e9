"""`netzwerk import` and `netzwerk export`: click only, like `netzwerk.cli` (which registers
these commands): parse options, call one function of `netzwerk.app`, print, choose the exit
code. Kept apart so that cli.py stays a size one can read."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from netzwerk import app
from netzwerk.cli_base import echo, format_option, progress_bar

FORMATS = ("auto", "linkedin", "google", "outlook", "vcard")
LARGE = 1000  # records: a progress bar on a terminal from here on


def _progress() -> Callable[[str, int, int], None] | None:
    """A progress bar on stderr for a large import, only on a terminal."""
    if not sys.stderr.isatty():
        return None

    def report(phase: str, done: int, total: int) -> None:
        if total >= LARGE:
            progress_bar(phase, done, total)

    return report


@click.command(
    "import",
    epilog="""\b
Examples:
  netzwerk import Connections.csv
  netzwerk import contacts.vcf --dry-run
  netzwerk import google.csv outlook.csv --tag imported""",
)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--from",
    "source",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="The files' format; auto recognises it from the content.",
)
@click.option("--dry-run", is_flag=True, help="Print the new notes and the diffs; write nothing.")
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace a note's value that differs from the file's (default: keep it, report it).",
)
@click.option(
    "--tag", "tags", multiple=True, metavar="TAG", help="Add this tag to everyone imported."
)
@format_option
@click.pass_obj
def import_command(
    session: Any,
    files: tuple[str, ...],
    source: str,
    dry_run: bool,
    overwrite: bool,
    tags: tuple[str, ...],
    fmt: str,
) -> None:
    """Import contacts from LinkedIn, Google or Outlook CSV files and vCards.

    One person is one note: a record matches a contact by e-mail, then LinkedIn URL, then
    name (ignoring case and accents). Empty properties are filled, lists grow, other values
    are kept and reported. Running it again changes nothing.
    """
    for tag in tags:
        if not tag.strip().lstrip("#"):
            raise click.BadParameter("a tag cannot be empty", param_hint="'--tag'")
    vault = session.vault()
    done = app.import_files(
        vault,
        [(Path(f), f) for f in files],
        source=source,
        overwrite=overwrite,
        tags=[t.strip() for t in tags],
        dry_run=dry_run,
        progress=_progress() if fmt == "text" else None,
    )
    plan = done.plan
    if fmt == "json":
        import json

        data = {
            "dry_run": done.dry_run,
            "records": plan.records,
            "created": [c.label for c in plan.changes if c.create],
            "updated": [
                {"path": c.label, "changes": list(c.changes)}
                for c in plan.changes
                if not c.create and c.changes
            ],
            "unchanged": plan.unchanged,
            "skipped": plan.skipped,
            "problems": [p.as_dict() for p in plan.problems],
            "summary": done.summary,
        }
        if done.dry_run:
            data["diffs"] = {c.label: c.edit.diff(c.label) for c in plan.changes if c.changes}
        echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        if done.dry_run:
            for change in plan.changes:
                if change.changes:
                    diff = change.edit.diff(change.label)
                    if change.create:  # as git shows a new file
                        diff = diff.replace(f"--- a/{change.label}", "--- /dev/null", 1)
                    echo(diff, nl=not diff.endswith("\n"))
        elif not session.quiet:
            written = set(done.written)
            for change in plan.changes:
                if change.label not in written:
                    continue
                what = "created" if change.create else "updated"
                detail = "" if change.create else f": {', '.join(change.changes)}"
                echo(f"{what} {change.label}{detail}")
        for problem in plan.problems:
            echo(problem.format(), err=True)
        echo(done.summary)
        if done.dry_run and not session.quiet:
            echo("nothing was written (--dry-run)", err=True)
    if any(p.severity.value == "error" for p in plan.problems):
        sys.exit(1)


@click.group("export")
def export_group() -> None:
    """Write the contacts as vCard 4.0 or an iCalendar feed."""


def _output(session: Any, output: str | None, data: bytes, what: str) -> None:
    if output is None or output == "-":
        click.echo(data, nl=False)  # bytes go to the binary stream as they are (CRLF kept)
        return
    changed = app.write_export(Path(output), data)
    if not session.quiet:
        echo(f"wrote {output} ({what})" if changed else f"{output} is up to date ({what})")


@export_group.command(
    "vcard",
    epilog="""\b
Examples:
  netzwerk export vcard -o contacts.vcf
  netzwerk export vcard --tier 10 --tier 50 > close.vcf""",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (default: standard output).")
@click.option("--tier", "tiers", multiple=True, metavar="T", help="Only this tier (repeatable).")
@click.pass_obj
def export_vcard(session: Any, output: str | None, tiers: tuple[str, ...]) -> None:
    """The contacts as one vCard 4.0 file, for a phone or an address book."""
    data, count = app.export_vcard(session.vault(), tiers)
    _output(session, output, data, f"{count} contact{'' if count == 1 else 's'}")


@export_group.command(
    "ics",
    epilog="""\b
Examples:
  netzwerk export ics -o netzwerk.ics
  netzwerk export ics --weeks 8 -o netzwerk.ics""",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (default: standard output).")
@click.option(
    "--weeks",
    type=click.IntRange(1, 52),
    default=4,
    show_default=True,
    help="Due contacts of this many weeks, this one included.",
)
@click.pass_obj
def export_ics(session: Any, output: str | None, weeks: int) -> None:
    """Birthdays (yearly) and who is due (all-day events with hooks) as iCalendar."""
    feed = app.export_ics(session.vault(), weeks)
    what = f"{feed.birthdays} birthdays, {feed.due} due"
    _output(session, output, feed.data, what)
