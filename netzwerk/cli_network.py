"""The commands about people and how they connect: show, find, review, intros, path,
hubs, balance."""

from __future__ import annotations

import sys

import click

from netzwerk import app, views
from netzwerk.cli_base import (
    Printer,
    Session,
    a_name,
    cached,
    format_option,
    key_value,
    pass_session,
    style,
)
from netzwerk.problems import one_line

# ---------------------------------------------------------------- relationships


def tier_label(session: Session, name: str | None) -> str:
    tier = session.vault().config.tier(name)
    return tier.label if tier else (name or "—")


@click.command()
@click.argument("name", callback=a_name)
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
    head = f" · {tier_label(session, c.tier)} · {c.path}"
    say(style(one_line(c.shown), bold=True) + one_line(head))
    if c.aliases:
        say(one_line(f"  also known as {', '.join(c.aliases)}"))
    rows, sections = views.card(data, session.vault().config.key)
    say.table(rows)
    for title, lines in sections:
        if lines:
            say(f"  {title}")
            for (line,) in lines:
                say(f"    {line}")


@click.command()
@click.argument("text", required=False)
@click.option("--tag", "tags", multiple=True, metavar="T", help="Has this tag (repeatable).")
@click.option("--tier", metavar="T", help="In this tier.")
@click.option(
    "--where",
    "where",
    multiple=True,
    metavar="KEY=VALUE",
    callback=key_value,
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
    elif not hits and not session.quiet:
        say("No contact matches.")
    if not hits:
        sys.exit(1)  # (the same with --format json)
    if fmt == "json":
        return
    filters = [f"tag {t}" for t in tags] + ([f"tier {tier}"] if tier else [])
    filters += [f"{k}={v}" for k, v in where]
    rows = views.find_rows(hits, lambda t: tier_label(session, t), filters)
    say.table(rows, ["NAME", "TIER", "MATCHED IN", "PATH"])


@click.command()
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


@click.command()
@click.option(
    "--for", "name", metavar="NAME", callback=a_name, help="Only introductions for this person."
)
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


@click.command()
@click.argument("target")
@click.option("--from", "from_name", metavar="NAME", help="Start the chains at this person.")
@click.option(
    "--max-hops",
    default=4,
    show_default=True,
    type=click.IntRange(1, 8),
    help="The longest chain: people between you and TARGET, plus one.",
)
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
        if found.died:
            who = ", ".join(found.died)
            say(f"{who} {'has' if len(found.died) == 1 else 'have'} died: no introduction to them.")
        elif found.matched:
            why = (
                "" if from_name else ": nobody you know (a tier or a contact) is linked that close"
            )
            say(f"No chain within {max_hops} hop{'s' if max_hops != 1 else ''} to {target!r}{why}.")
        else:
            say(f"Nobody in your notes matches {target!r}.")
        sys.exit(1)
    for people, length, hops in views.chain_lines(found.chains):
        say(style(people, bold=True) + length)
        for hop in hops:
            say(f"     {hop}")


@click.command()
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
    sections = [s for s in views.near(data, lambda t: tier_label(session, t)) if s[1]]
    if not sections:
        if not session.quiet and fmt != "json":
            say(f"Nobody in your notes is in {place!r}.")
        sys.exit(1)  # (the same with --format json)
    if fmt == "json":
        return
    for number, (title, rows) in enumerate(sections):
        if number:
            say()
        say(style(title, bold=True))
        say.table([["  " + r[0], *r[1:]] for r in rows])


@click.command()
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(1, None),
    help="How many people to list.",
)
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
                tier_label(session, h.contact.tier) if h.contact else "(no note)",
            ]
            for h in rows
        ],
        ["CONNECTS", "NAME", "TIER"],
    )


@click.command()
@click.argument("name", required=False, callback=a_name)
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
