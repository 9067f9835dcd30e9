"""The weekly digest: building, rendering, escaping, writing, and ticks recorded back."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netzwerk import app, digest
from netzwerk.config import Config
from netzwerk.digest import (
    DigestData,
    Tick,
    TickResult,
    digest_file,
    notes_section,
    parse_ticks,
    range_label,
    render_digest,
    write_digest,
)
from netzwerk.facts import all_facts
from netzwerk.files import EditError
from netzwerk.model import Birthday, Contact, Duration, LogEntry, Snapshot
from netzwerk.network.intros import intros
from netzwerk.problems import Severity
from netzwerk.render import (
    RenderError,
    md,
    md_links,
    render,
    shipped_templates,
    wikilink,
)
from netzwerk.schedule import Week, parse_week, week_of

TODAY = date(2026, 11, 25)  # Wednesday of 2026-W48
W48 = Week(date(2026, 11, 23), date(2026, 11, 29), "2026-W48")

MARIE = """\
---
tier: 50
birthday: 1988-11-28
aliases:
  - Marie D.
interests:
  - painting
  - dogs
needs:
  - an exhibition on the Côte d'Azur
---
# Marie Dupont

## Log
- 2026-09-14 call: she is looking for a venue in Nice
- 2026-06-02 gave: sent her the contact of a frame maker
"""

PAUL = """\
---
tier: 10
last_contact: 2026-11-04
offers:
  - venues on the Côte d'Azur
---
# Paul Martin
"""

NEW = """\
---
tier: 100
last_contact: 2026-05-26
---
# Nina Neu
"""


def write_vault(root: Path, files: dict[str, str]) -> Config:
    """Write `{relative path: text}` into `root` and return its default configuration."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return Config(root=root)


def vault(tmp_path: Path, **extra: str) -> Config:
    files = {
        "People/Marie Dupont.md": MARIE,
        "People/Paul Martin.md": PAUL,
        "People/Nina Neu.md": NEW,
    }
    files.update(extra)
    return write_vault(tmp_path, files)


def load(config: Config) -> Snapshot:
    return app.open_vault(config.root, TODAY).snapshot


def build_digest(
    snapshot: Snapshot,
    config: Config,
    week: Week,
    today: date,
    ticked: dict[str, date | None] | frozenset[str] = frozenset(),
) -> DigestData:
    """The digest's data from a snapshot, as the digest command makes it from its Facts."""
    ticks = ticked if isinstance(ticked, dict) else dict.fromkeys(ticked)
    lines = digest.intro_lines(intros(snapshot, limit=digest.INTROS_SHOWN))
    people = all_facts(snapshot, today)
    parts = digest.build_week(people, lines, config, week, today, ticks)
    return digest.finish(parts, config, today, {p.path: p for p in people}.get)


def make_digest(snapshot: Snapshot, config: Config, week: Week, today: date) -> str:
    """The digest note as the digest command writes it (its ticks, its Notes section)."""
    lines = digest.intro_lines(intros(snapshot, limit=digest.INTROS_SHOWN))
    inputs = digest.digest_inputs(config, week)
    people = all_facts(snapshot, today)
    parts = digest.make_week(people, lines, config, week, today, inputs)
    data = digest.finish(parts, config, today, {p.path: p for p in people}.get)
    return digest.render_digest(data, config, inputs.notes)


def apply_tickbacks(snapshot: Snapshot, config: Config, today: date) -> TickResult:
    pending = digest.pending_ticks(config, lambda: all_facts(snapshot, today), today)
    return digest.apply_tickbacks(config, pending)


def line_of(text: str, name: str) -> str:
    """The digest line that links `name`."""
    found = [line for line in text.splitlines() if f"[[{name}]]" in line]
    assert found, f"no line for {name}"
    return found[0]


def section(text: str, heading: str) -> str:
    """The body of `## heading` up to the next heading."""
    start = text.index(f"## {heading}\n") + len(heading) + 4
    end = text.find("\n## ", start)
    return text[start : end if end >= 0 else len(text)]


def run_digest(config: Config, today: date = TODAY) -> str:
    snapshot = load(config)
    week = week_of(today, config.week_start)
    text = make_digest(snapshot, config, week, today)
    write_digest(config, week, text)
    return text


# --- building and rendering ----------------------------------------------------------------


def test_digest_layout(tmp_path: Path) -> None:
    config = vault(tmp_path)
    text = run_digest(config)
    assert text.startswith(
        "---\nweek: 2026-W48\nstart: 2026-11-23\nend: 2026-11-29\n"
        "tags:\n  - netzwerk/digest\n---\n# Week 2026-W48 · 23–29 November 2026\n\n"
        "1 overdue · 2 due this week · 1 birthday\n"
    )
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    # The sections of issue 22 (Follow up, Greetings, Trip, Reconnect, Warm up) only when they
    # have items.
    assert headings == [
        "## Overdue",
        "## Due this week",
        "## Birthdays",
        "## Give first",
        "## Tier check",
        "## Tier health",
        "## Notes",
    ]
    assert line_of(text, "Marie Dupont") == (
        "- [ ] [[Marie Dupont]] · Top 50 · 9 days overdue · last: 2026-09-14 call — she is "
        "looking for a venue in Nice · ask about: painting, dogs; needs: an exhibition on the "
        "Côte d'Azur"
    )
    assert (
        line_of(text, "Paul Martin")
        == "- [ ] [[Paul Martin]] · Top 10 · due Wed 25 Nov · last: 2026-11-04"
    )
    assert (
        line_of(text, "Nina Neu")
        == "- [ ] [[Nina Neu]] · Top 100 · due Thu 26 Nov · last: 2026-05-26"
    )
    assert "- [ ] [[Marie Dupont]] · Sat 28 Nov · turns 38\n" in text
    assert (
        "- [[Marie Dupont]] needs an exhibition on the Côte d'Azur: [[Paul Martin]] offers "
        "venues on the Côte d'Azur\n"
    ) in text
    assert "```mermaid\npie title Members per tier\n" in text
    assert '    "Top 10 · 1/10 · 0 overdue" : 1\n' in text
    assert '    "Top 50 · 1/50 · 1 overdue" : 1\n' in text
    assert "Reserve" not in text  # an empty tier is no slice
    assert text.endswith("## Notes\n\n<!-- Your notes: netzwerk keeps this section as it is. -->\n")
    assert "generated" not in text.casefold()


def test_digest_is_deterministic(tmp_path: Path) -> None:
    first = vault(tmp_path / "a")
    second = vault(tmp_path / "b")
    assert run_digest(first) == run_digest(second)
    assert digest_file(first, W48).read_bytes() == digest_file(second, W48).read_bytes()


def test_a_template_cannot_pick_at_random(tmp_path: Path) -> None:
    """The same vault and day give the same digest: Jinja2's `random` filter is not there."""
    config = vault(tmp_path, **{"Templates/netzwerk/digest.md.j2": "{{ overdue|random }}\n"})
    with pytest.raises(RenderError, match=r"digest\.md\.j2:1: template syntax error: .*random"):
        render_digest(build_digest(load(config), config, W48, TODAY), config, None)


def test_digest_does_not_change_from_day_to_day_within_a_week(tmp_path: Path) -> None:
    config = write_vault(
        tmp_path,
        {
            "People/Helper.md": "---\ntier: 50\n---\n## Log\n- 2026-11-01 got: a tip\n",
            "People/Silent.md": "---\ntier: 10\nlast_contact: 2025-01-01\n---\n",
            "People/Due.md": "---\ntier: 10\nlast_contact: 2026-11-04\n---\n",
        },
    )
    snapshot = load(config)
    texts = {
        render_digest(build_digest(snapshot, config, W48, day, frozenset()), config, None)
        for day in (date(2026, 11, 23), TODAY, date(2026, 11, 29))
    }
    assert len(texts) == 1


def test_empty_sections_say_so(tmp_path: Path) -> None:
    config = write_vault(
        tmp_path, {"People/Anna.md": "---\ntier: 10\nlast_contact: 2026-11-20\n---\n"}
    )
    text = run_digest(config)
    assert (
        "## Overdue\n\nNobody is overdue.\n\n## Due this week\n\nNobody is due this week.\n" in text
    )
    assert "## Birthdays\n\nNo birthdays this week or next.\n" in text
    assert "No introductions to make, and nobody you only take from.\n" in text
    assert "## Tier check\n\nAll tiers look healthy.\n" in text
    assert "0 overdue · 0 due this week · 0 birthdays\n" in text


def test_tier_health_chart(tmp_path: Path) -> None:
    config = write_vault(
        tmp_path,
        {
            "People/Kept.md": "---\ntier: reserve\n---\n",
            "People/Odd.md": "---\ntier: 7\n---\n",
            "People/Late.md": "---\ntier: 10\nlast_contact: 2026-01-01\n---\n",
        },
    )
    assert section(run_digest(config), "Tier health") == (
        "\n```mermaid\npie title Members per tier\n"
        '    "Top 10 · 1/10 · 1 overdue" : 1\n'
        '    "Reserve · 1" : 1\n'
        '    "No tier · 1" : 1\n'
        "```\n"
    )


def test_no_contacts_at_all(tmp_path: Path) -> None:
    text = run_digest(write_vault(tmp_path, {}))
    assert "No contacts in any tier yet.\n" in text
    assert "mermaid" not in text


def test_due_wording(tmp_path: Path) -> None:
    config = write_vault(
        tmp_path,
        {
            "People/One.md": "---\ntier: 10\nlast_contact: 2026-11-01\n---\n",
            "People/Snoozed.md": "---\ntier: 10\ncadence: 1d\nsnooze_until: 2026-11-27\n---\n",
            "People/Logged.md": "---\ncadence: 1w\n---\n## Log\n- 2026-11-18: coffee\n",
            "People/Journal.md": "---\ntier: 10\n---\n",
            "Daily/2026-11-02.md": "Walk with [[Journal]].\n",
        },
    )
    text = run_digest(config)
    assert line_of(text, "One") == "- [ ] [[One]] · Top 10 · 1 day overdue · last: 2026-11-01"
    assert (
        line_of(text, "Snoozed") == "- [ ] [[Snoozed]] · Top 10 · due Fri 27 Nov · never contacted"
    )
    assert (
        line_of(text, "Logged") == "- [ ] [[Logged]] · due Wed 25 Nov · last: 2026-11-18 — coffee"
    )
    assert line_of(text, "Journal") == (
        "- [ ] [[Journal]] · Top 10 · due Mon 23 Nov · last: 2026-11-02 in [[2026-11-02]]"
    )


def test_week_across_new_year_title(tmp_path: Path) -> None:
    config = vault(tmp_path)
    week = parse_week("2026-W53")
    assert week is not None
    data = build_digest(load(config), config, week, date(2026, 12, 30))
    assert data.title == "Week 2026-W53 · 28 December 2026 – 3 January 2027"
    assert range_label(date(2026, 11, 30), date(2026, 12, 6)) == "30 November – 6 December 2026"


def test_week_start_sunday(tmp_path: Path) -> None:
    config = Config(root=vault(tmp_path).root, week_start=6)
    week = week_of(TODAY, 6)
    data = build_digest(load(config), config, week, TODAY)
    assert (data.start, data.end, data.week) == (date(2026, 11, 22), date(2026, 11, 28), "2026-W48")
    assert data.title == "Week 2026-W48 · 22–28 November 2026"


def test_birthdays_in_the_digest(tmp_path: Path) -> None:
    config = write_vault(
        tmp_path,
        {
            "People/Leap.md": "---\nbirthday: 1992-02-29\n---\n",
            "People/Yearless.md": "---\nbirthday: --03-02\n---\n",
            "People/Later.md": "---\nbirthday: 1990-03-20\n---\n",
        },
    )
    week = parse_week("2027-W08")  # 22–28 February 2027; next week runs to 7 March
    assert week is not None
    data = build_digest(load(config), config, week, date(2027, 2, 22))
    text = render_digest(data, config, None)
    assert section(text, "Birthdays") == (
        "\n- [ ] [[Leap]] · Sun 28 Feb · turns 35 · born on 29 February\n"
        "- [ ] [[Yearless]] · Tue 2 Mar (next week)\n"
    )
    assert "0 overdue · 0 due this week · 2 birthdays" in text


def test_give_first_and_tier_check(tmp_path: Path) -> None:
    config = write_vault(
        tmp_path,
        {
            "People/Helper.md": "---\ntier: 50\n---\n## Log\n- 2026-11-01 got: a great tip\n",
            "People/Silent.md": "---\ntier: 10\nlast_contact: 2025-01-01\n---\n",
            "People/Loose.md": "---\nlast_contact: 2026-01-01\n---\n",
        }
        | {
            f"People/Top{i:02d}.md": "---\ntier: 10\nlast_contact: 2026-11-20\n---\n"
            for i in range(10)
        },
    )
    text = run_digest(config)
    assert "- [[Helper]] helped you once and has not had anything back yet\n" in text
    assert "- Top 10 has 11 people, capacity 10: 1 over\n" in text
    assert "- [[Silent]]: no contact since 2025-01-01, cadence 3 weeks; consider Top 50\n" in text
    assert "- [[Loose]]: no tier yet; " in text
    assert '    "No tier · 1" : 1\n' in text


# --- escaping ------------------------------------------------------------------------------


def strange_contact(name: str, **fields: Any) -> Contact:
    """A Top 10 contact; without a log, never contacted and due on the week's first day (a
    daily cadence: every day is their own day of it)."""
    if "log" not in fields:
        fields.setdefault("cadence", Duration(1, "d"))
    return Contact(name=name, path=f"People/{name}.md", tier="10", **fields)


def digest_of(config: Config, *contacts: Contact) -> str:
    data = build_digest(Snapshot(contacts), config, W48, TODAY)
    return render_digest(data, config, None)


def task_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(("- [ ] ", "- [x] "))]


def test_contact_data_is_not_evaluated_as_a_template(tmp_path: Path) -> None:
    contact = strange_contact(
        "Tem Plate",
        interests=("{{ 7*7 }}", "{% raw %}", "{# note #}"),
        needs=("{{ config }}",),
        log=(LogEntry(date(2026, 9, 1), "call", "{{ snapshot }} and {% endraw %}", 20),),
    )
    text = digest_of(Config(root=tmp_path), contact)
    [line] = task_lines(text)
    assert "49" not in text
    assert "{{ 7\\*7 }}" in line
    assert "{\\% raw \\%}" in line
    assert "{\\# note \\#}" in line
    assert "{{ config }}" in line
    assert "{{ snapshot }} and {\\% endraw \\%}" in line


@pytest.mark.parametrize(
    ("name", "link"),
    [
        ("Pipe | Name", "[Pipe \\| Name](People/Pipe%20%7C%20Name.md)"),
        ("Brackets]] Name", "[Brackets\\]\\] Name](People/Brackets%5D%5D%20Name.md)"),
        ("Hash #tag", "[Hash \\#tag](People/Hash%20%23tag.md)"),
        ("Caret ^block", "[Caret \\^block](People/Caret%20%5Eblock.md)"),
    ],
)
def test_unlinkable_names_render_as_safe_links(tmp_path: Path, name: str, link: str) -> None:
    text = digest_of(Config(root=tmp_path), strange_contact(name))
    [line] = task_lines(text)
    assert line == f"- [ ] {link} · Top 10 · never contacted"
    assert parse_ticks(line.replace("[ ]", "[x]")) == [Tick(f"People/{name}", None, 1)]


def test_values_cannot_break_the_task_line(tmp_path: Path) -> None:
    contact = strange_contact(
        "Marie",
        interests=("a | b", "[[Paul]]", "# not a heading", "*bold* _it_ `code`", "<b>html</b>"),
        needs=("two\nlines\r\n- and a list", "- leading dash", "1. numbered", "==mark== %%c%%"),
        log=(LogEntry(date(2026, 9, 1), None, "met [[Paul Martin|Paul]] ![[pic.png]] | x", 20),),
    )
    text = digest_of(Config(root=tmp_path), contact)
    [line] = task_lines(text)
    assert line.startswith("- [ ] [[Marie]] · Top 10 · 62 days overdue · last: 2026-09-01")
    assert (
        " — met [[Paul Martin|Paul]] !\\[\\[pic.png\\]\\] \\| x · ask about: a \\| b, "
        "\\[\\[Paul\\]\\], \\# not a heading, \\*bold\\* \\_it\\_ \\`code\\`, "
        "\\<b\\>html\\</b\\>; needs: two lines - and a list, \\- leading dash, 1\\. numbered, "
        "\\=\\=mark\\=\\= \\%\\%c\\%\\%"
    ) in line


def test_md_filter() -> None:
    assert md("plain text, with: punctuation.") == "plain text, with: punctuation."
    assert md("a|b") == "a\\|b"
    assert md("back\\slash") == "back\\\\slash"
    assert md("- item") == "\\- item"
    assert md("+ item") == "\\+ item"
    assert md("12. item") == "12\\. item"
    assert md("3) item") == "3\\) item"
    assert md("-5 degrees") == "-5 degrees"
    assert md("  one\n\n  two  ") == "one two"
    assert md("x\u2028y") == "x y"
    assert md(42) == "42"


@given(st.text())
def test_md_output_is_one_inert_line(text: str) -> None:
    escaped = md(text)
    assert not any(c in escaped for c in "\r\n\u2028\u2029\x85\x0b\x0c")
    assert not escaped.startswith(("- ", "+ ", "> ", "# ")) and escaped not in ("-", "+")
    for index, char in enumerate(escaped):
        if char in "|[]#*_`<>":
            backslashes = len(escaped[:index]) - len(escaped[:index].rstrip("\\"))
            assert backslashes % 2 == 1, (text, escaped)


NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="/"),
    min_size=1,
    max_size=20,
).filter(lambda n: n.strip() == n and n)


@settings(max_examples=100, deadline=None)
@given(NAMES)
def test_any_name_renders_one_task_line_that_ticks_back(name: str) -> None:
    contact = strange_contact(name)
    config = Config(root=Path("/nonexistent-vault"))
    text = digest_of(config, contact)
    [line] = task_lines(text)
    [found] = parse_ticks(line.replace("- [ ] ", "- [x] ", 1))
    snapshot = Snapshot((contact,))
    data = build_digest(snapshot, config, W48, TODAY, frozenset({found.name}))
    assert [i.ticked for i in data.due] == [True]


def test_md_links_keeps_wellformed_links_only() -> None:
    assert md_links("met [[Paul]] and [[Anna|A.]]") == "met [[Paul]] and [[Anna|A.]]"
    assert md_links("![[embed]]") == "!\\[\\[embed\\]\\]"
    assert md_links("[[broken") == "\\[\\[broken"
    assert md_links("- [[Paul]]") == "\\- [[Paul]]"


def test_wikilink_filter() -> None:
    assert wikilink("Marie Dupont") == "[[Marie Dupont]]"
    assert wikilink("Zoë Lefèvre") == "[[Zoë Lefèvre]]"
    assert wikilink("A|B", "People/Work/A|B.md") == "[A\\|B](People/Work/A%7CB.md)"
    assert wikilink("A (b)", None) == "[[A (b)]]"
    assert wikilink("two\nlines") == "[[two lines]]"


# --- templates -----------------------------------------------------------------------------


def test_shipped_template_is_found() -> None:
    assert (shipped_templates() / "digest.md.j2").is_file()


def test_user_template_overrides(tmp_path: Path) -> None:
    config = vault(
        tmp_path,
        **{
            "Templates/netzwerk/digest.md.j2": (
                "{% for item in overdue %}{{ item.name|wikilink(item.path) }} {{ item.when }}\n"
                "{% endfor %}"
            ),
        },
    )
    data = build_digest(load(config), config, W48, TODAY)
    assert render_digest(data, config, None) == "[[Marie Dupont]] 9 days overdue\n"


def test_user_template_including_itself(tmp_path: Path) -> None:
    config = vault(
        tmp_path, **{"Templates/netzwerk/digest.md.j2": "Mine\n{% include 'digest.md.j2' %}"}
    )
    with pytest.raises(RenderError) as caught:  # includes itself: reported, not a crash
        render_digest(build_digest(load(config), config, W48, TODAY), config, None)
    assert str(caught.value) == (
        "Templates/netzwerk/digest.md.j2: template includes, extends or calls itself without end"
    )


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("ok\n{% if %}\n", "Templates/netzwerk/digest.md.j2:2: template syntax error: "),
        ("ok\n\n{{ nothing.here }}\n", "Templates/netzwerk/digest.md.j2:3: template error: "),
        (
            "{% include 'missing.j2' %}\n",
            "Templates/netzwerk/digest.md.j2:1: template not found: missing.j2",
        ),
        ("{{ week|nofilter }}\n", "Templates/netzwerk/digest.md.j2:1: template syntax error: "),
        ("a\n{{ 1 // 0 }}\n", "Templates/netzwerk/digest.md.j2:2: template error: ZeroDivision"),
        ("{{ overdue[5].name }}\n", "Templates/netzwerk/digest.md.j2:1: template error: "),
    ],
)
def test_broken_user_template(tmp_path: Path, template: str, message: str) -> None:
    config = vault(tmp_path, **{"Templates/netzwerk/digest.md.j2": template})
    data = build_digest(load(config), config, W48, TODAY)
    with pytest.raises(RenderError) as caught:
        render_digest(data, config, None)
    text = str(caught.value)
    assert text.startswith(message)
    assert "\n" not in text


def test_a_changed_template_is_rendered_as_it_is_now(tmp_path: Path) -> None:
    config = write_vault(tmp_path, {"Templates/netzwerk/t.j2": "one {{ x }}\n"})
    assert render(config, "t.j2", {"x": 1}) == "one 1\n"
    (tmp_path / "Templates/netzwerk/t.j2").write_text("two {{ x }}\n", encoding="utf-8")
    assert render(config, "t.j2", {"x": 2}) == "two 2\n"


def test_a_template_rendered_again_in_one_process_is_compiled_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`watch` renders the digest at every rebuild: its template is compiled the first time
    only, and the process keeps no more than a few compiled templates however many it saw."""
    from jinja2 import Environment

    from netzwerk import sandbox

    compiled: list[str | None] = []
    compile_source = Environment.compile

    def counted(self: Environment, source: str, name: str | None = None, *a: object) -> object:
        compiled.append(name)
        return compile_source(self, source, name, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(Environment, "compile", counted)
    config = write_vault(tmp_path, {"Templates/netzwerk/t.j2": "one {{ x }}\n"})
    assert [render(config, "t.j2", {"x": n}) for n in (1, 2)] == ["one 1\n", "one 2\n"]
    assert compiled == ["t.j2"]
    for n in range(sandbox.MAX_COMPILED + 4):
        (tmp_path / "Templates/netzwerk/t.j2").write_text(f"{n} {{{{ x }}}}\n", "utf-8")
        assert render(config, "t.j2", {"x": n}) == f"{n} {n}\n"
    names = {f"Templates/netzwerk/n{n}.j2": f"n{n}" for n in range(sandbox.MAX_COMPILED + 4)}
    other = write_vault(tmp_path / "other", names)
    assert [render(other, f"n{n}.j2", {}) for n in range(20)] == [f"n{n}" for n in range(20)]
    assert len(sandbox.COMPILED._code) <= sandbox.MAX_COMPILED


def test_no_cache_folder_is_created_for_templates(tmp_path: Path) -> None:
    config = write_vault(tmp_path, {"Templates/netzwerk/t.j2": "{{ x }}"})
    assert render(config, "t.j2", {"x": "y"}) == "y"
    assert not config.cache_dir.exists()


def test_user_template_not_utf8(tmp_path: Path) -> None:
    config = vault(tmp_path)
    path = tmp_path / "Templates/netzwerk/digest.md.j2"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"caf\xe9 {{ week }}\n")
    with pytest.raises(RenderError, match=r"digest\.md\.j2: template error: .*not valid UTF-8"):
        render_digest(build_digest(load(config), config, W48, TODAY), config, None)


def test_missing_template_everywhere(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"template not found: nope\.j2"):
        render(Config(root=tmp_path), "nope.j2", {})


# --- the Notes section and writing ---------------------------------------------------------


def test_notes_section_is_kept_byte_for_byte(tmp_path: Path) -> None:
    config = vault(tmp_path)
    run_digest(config)
    path = digest_file(config, W48)
    mine = (
        "## Notes\r\n\r\nCall Marie about [[Paul Martin]] | venue\n- [ ] not a digest item\n"
        "\n\n## My own heading\n```\n## Notes\n```\nno final newline"
    )
    text = path.read_text(encoding="utf-8")
    path.write_bytes((text[: text.index("## Notes")] + mine).encode("utf-8"))
    again = run_digest(config)
    assert again.endswith(mine)
    assert path.read_bytes().endswith(mine.encode("utf-8"))
    assert notes_section(again) == mine


def test_a_digest_that_is_not_utf8_is_never_rewritten(tmp_path: Path) -> None:
    # NW101 promises it: before, the digest was rewritten around the bad byte.
    config = vault(tmp_path)
    run_digest(config)
    path = digest_file(config, W48)
    data = path.read_bytes()
    cut = data.index(b"## Notes")
    bad = data[:cut] + b"## Notes\n\nbad \xff byte\n"
    path.write_bytes(bad)
    line = bad[: bad.index(b"\xff")].count(b"\n") + 1
    with pytest.raises(EditError) as refused:
        run_digest(config)
    assert str(refused.value) == (
        f"Digests/2026-W48.md:{line}: the digest is not valid UTF-8 (byte 0xff); it is never "
        "rewritten: save it as UTF-8 or delete it [NW101]"
    )
    assert path.read_bytes() == bad


def test_unchanged_digest_is_not_rewritten(tmp_path: Path) -> None:
    config = vault(tmp_path)
    text = run_digest(config)
    path = digest_file(config, W48)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert write_digest(config, W48, text) is False
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert run_digest(config) == text
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert [p.name for p in path.parent.iterdir()] == ["2026-W48.md"]  # no temporary files


def test_write_digest_keeps_notes_saved_since_rendering(tmp_path: Path) -> None:
    config = vault(tmp_path)
    run_digest(config)
    path = digest_file(config, W48)
    text = make_digest(load(config), config, W48, TODAY)
    # The user saves a note after netzwerk read the file but before it writes.
    old = path.read_text(encoding="utf-8")
    path.write_text(old + "saved just now\n", encoding="utf-8")
    write_digest(config, W48, text.replace("9 days overdue", "changed"))
    assert path.read_text(encoding="utf-8").endswith("saved just now\n")
    assert "changed" in path.read_text(encoding="utf-8")


def test_unwritable_digest_folder_is_an_edit_error(tmp_path: Path) -> None:
    from netzwerk.edit import EditError

    config = vault(tmp_path)
    (tmp_path / "Digests").write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(EditError, match=r"^Digests is a file, not a folder; nothing was written"):
        write_digest(config, W48, "text\n")


def test_new_digest_gets_the_usual_permissions(tmp_path: Path) -> None:
    config = vault(tmp_path)
    old = os.umask(0o022)
    try:
        write_digest(config, W48, "text\n")
    finally:
        os.umask(old)
    assert digest_file(config, W48).stat().st_mode & 0o777 == 0o644
    digest_file(config, W48).chmod(0o600)
    write_digest(config, W48, "other\n")
    assert digest_file(config, W48).stat().st_mode & 0o777 == 0o600


def test_notes_section_parsing() -> None:
    assert notes_section("# x\n## Notes\nmine") == "## Notes\nmine"
    assert notes_section("# x\n## Noted\n") is None
    assert notes_section("```\n## Notes\n```\n") is None
    assert notes_section("## Notes  \r\nx") == "## Notes  \r\nx"


# --- tick-back -----------------------------------------------------------------------------


def test_parse_ticks() -> None:
    text = "\n".join(
        [
            "- [x] [[Marie Dupont]] · Top 50 ✅ 2026-11-24",
            "- [X] [[Paul Martin|Paul]] · due",
            "  * [x] [[Nina Neu#Log]] indented",
            "- [ ] [[Open]]",
            "- [x] no link",
            "```",
            "- [x] [[In Code]]",
            "```",
            "- [x] [[Bad Date]] ✅ 2026-02-30",
            "- [x] [[Two Dates]] ✅ 2026-11-01 ✅ 2026-11-02",
            "- [x] [A \\| B](People/A%20%7C%20B.md)",
            "+ [x] [[Plus]]",
        ]
    )
    assert parse_ticks(text) == [
        Tick("Marie Dupont", date(2026, 11, 24), 1),
        Tick("Paul Martin", None, 2),
        Tick("Nina Neu", None, 3),
        Tick("Bad Date", None, 9),
        Tick("Two Dates", date(2026, 11, 2), 10),
        Tick("People/A | B", None, 11),
        Tick("Plus", None, 12),
    ]


def tick(config: Config, name: str, suffix: str = "") -> None:
    """Tick `name`'s item in this week's digest, as the user would in Obsidian."""
    path = digest_file(config, W48)
    text = path.read_text(encoding="utf-8")
    old = line_of(text, name)
    assert old.startswith("- [ ] ")
    path.write_text(text.replace(old, "- [x] " + old[6:] + suffix), encoding="utf-8")


def note(config: Config, name: str) -> str:
    return (config.root / "People" / f"{name}.md").read_text(encoding="utf-8")


def test_tick_back_records_one_contact_on_the_tasks_date(tmp_path: Path) -> None:
    config = vault(tmp_path)
    before = run_digest(config)
    tick(config, "Marie Dupont", " ✅ 2026-11-24")

    result = apply_tickbacks(load(config), config, TODAY)
    assert result.written == ("People/Marie Dupont.md",)
    assert result.problems == ()
    assert [(r.name, r.date, r.digest) for r in result.recorded] == [
        ("Marie Dupont", date(2026, 11, 24), "2026-W48")
    ]
    assert "## Log\n- 2026-11-24: checked in (digest 2026-W48)\n- 2026-09-14 call:" in note(
        config, "Marie Dupont"
    )

    # Recorded exactly once, however often netzwerk runs (and on later days).
    for day in (TODAY, date(2026, 11, 26), date(2026, 12, 2)):
        again = apply_tickbacks(load(config), config, day)
        assert (again.written, again.recorded, again.problems) == ((), (), ())
    assert note(config, "Marie Dupont").count("(digest 2026-W48)") == 1

    # The regenerated digest shows the item ticked, keeps ✅ and changes nothing else.
    after = run_digest(config)
    ticked = line_of(before, "Marie Dupont").replace("- [ ]", "- [x]", 1) + " ✅ 2026-11-24"
    assert after == before.replace(line_of(before, "Marie Dupont"), ticked).replace(
        "1 birthday\n", "1 birthday · 1 done\n"
    )
    assert run_digest(config) == after


def test_tick_without_date_uses_today(tmp_path: Path) -> None:
    config = vault(tmp_path)
    run_digest(config)
    tick(config, "Paul Martin")
    result = apply_tickbacks(load(config), config, TODAY)
    assert result.written == ("People/Paul Martin.md",)
    # A tick is a contact, as `netzwerk log` records one: last_contact follows it, and the
    # tick's line keeps what it was, so that this week's digest still shows the week as it was.
    assert note(config, "Paul Martin") == (
        "---\ntier: 10\nlast_contact: 2026-11-25\noffers:\n  - venues on the Côte d'Azur\n---\n"
        "# Paul Martin\n\n## Log\n"
        "- 2026-11-25: checked in (digest 2026-W48) · last_contact was 2026-11-04\n"
    )
    text = run_digest(config)
    assert line_of(text, "Paul Martin") == (
        "- [x] [[Paul Martin]] · Top 10 · due Wed 25 Nov · last: 2026-11-04"
    )


def test_ticked_contact_counts_for_later_weeks(tmp_path: Path) -> None:
    config = vault(tmp_path)
    run_digest(config)
    tick(config, "Nina Neu", " ✅ 2026-11-24")
    apply_tickbacks(load(config), config, TODAY)
    later = build_digest(load(config), config, week_of(date(2026, 12, 2)), date(2026, 12, 2))
    assert "Nina Neu" not in [i.name for i in later.overdue + later.due]


def test_tick_back_when_the_user_deleted_and_reordered_items(tmp_path: Path) -> None:
    config = vault(tmp_path)
    run_digest(config)
    path = digest_file(config, W48)
    text = path.read_text(encoding="utf-8")
    marie, paul, nina = (line_of(text, n) for n in ("Marie Dupont", "Paul Martin", "Nina Neu"))
    # Marie's line deleted; Nina ticked and moved above Paul; Paul ticked via an alias-less
    # path link; a stray tick of someone unknown.
    edited = text.replace(marie + "\n", "").replace(paul + "\n", "")
    edited = edited.replace(
        nina,
        "- [x]" + nina[5:] + "\n- [x] [[People/Paul Martin|Paul]]\n- [x] [[Nobody Known]] hi",
    )
    path.write_text(edited, encoding="utf-8")
    result = apply_tickbacks(load(config), config, TODAY)
    assert result.written == ("People/Nina Neu.md", "People/Paul Martin.md")
    [problem] = result.problems
    assert problem.severity is Severity.WARNING
    assert problem.format() == (
        f"Digests/2026-W48.md:{edited.splitlines().index('- [x] [[Nobody Known]] hi') + 1}: "
        "warning: ticked item names no contact: 'Nobody Known' [NW501]"
    )
    # Regenerating restores the layout; the Notes section stays; deleted Marie comes back.
    again = run_digest(config)
    assert line_of(again, "Marie Dupont").startswith("- [ ] [[Marie Dupont]]")
    assert line_of(again, "Nina Neu").startswith("- [x] [[Nina Neu]]")
    assert line_of(again, "Paul Martin").startswith("- [x] [[Paul Martin]]")
    assert "Nobody Known" not in again


def test_ticks_in_the_notes_section_are_the_users_own(tmp_path: Path) -> None:
    config = vault(tmp_path)
    run_digest(config)
    path = digest_file(config, W48)
    path.write_text(
        path.read_text(encoding="utf-8") + "- [x] [[Paul Martin]] lent him my bike\n",
        encoding="utf-8",
    )
    assert apply_tickbacks(load(config), config, TODAY).written == ()
    assert line_of(run_digest(config), "Paul Martin").startswith("- [ ] ")


def test_tick_line_numbers_in_a_crlf_digest(tmp_path: Path) -> None:
    text = "---\r\nweek: 2026-W48\r\n---\r\n\r\n- [x] [[Nobody]] ✅ 2026-11-24\r\n"
    config = vault(tmp_path, **{"Digests/2026-W48.md": text})
    assert parse_ticks(text) == [Tick("Nobody", date(2026, 11, 24), 5)]
    [problem] = apply_tickbacks(load(config), config, TODAY).problems
    assert (problem.path, problem.line, problem.code) == ("Digests/2026-W48.md", 5, "NW501")


def test_tick_by_alias(tmp_path: Path) -> None:
    config = vault(tmp_path)
    run_digest(config)
    path = digest_file(config, W48)
    path.write_text(
        path.read_text(encoding="utf-8").replace("- [ ] [[Marie Dupont]]", "- [x] [[marie d.]]"),
        encoding="utf-8",
    )
    result = apply_tickbacks(load(config), config, TODAY)
    assert result.written == ("People/Marie Dupont.md",)
    assert line_of(run_digest(config), "Marie Dupont").startswith("- [x] [[Marie Dupont]]")


def test_ticks_in_several_digests_are_recorded_once_each(tmp_path: Path) -> None:
    config = vault(
        tmp_path,
        **{
            "Digests/2026-W47.md": "- [x] [[Marie Dupont]] ✅ 2026-11-18\n",
            "Digests/2026-W48.md": "- [x] [[Marie Dupont]] ✅ 2026-11-24\n- [x] [[Marie Dupont]]\n",
            "Digests/archive/2026-W40.md": "- [x] [[Paul Martin]] ✅ 2026-10-01\n",
        },
    )
    result = apply_tickbacks(load(config), config, TODAY)
    assert result.written == ("People/Marie Dupont.md", "People/Paul Martin.md")
    assert [(r.name, r.date, r.digest) for r in result.recorded] == [
        ("Marie Dupont", date(2026, 11, 18), "2026-W47"),
        ("Marie Dupont", date(2026, 11, 24), "2026-W48"),
        ("Paul Martin", date(2026, 10, 1), "2026-W40"),
    ]
    text = note(config, "Marie Dupont")
    assert "- 2026-11-24: checked in (digest 2026-W48)\n" in text
    assert "- 2026-11-18: checked in (digest 2026-W47)\n" in text
    assert apply_tickbacks(load(config), config, TODAY).written == ()


def test_tick_back_reports_a_note_it_cannot_edit(tmp_path: Path) -> None:
    config = vault(tmp_path, **{"Digests/2026-W48.md": "- [x] [[Marie Dupont]]\n"})
    snapshot = load(config)
    (tmp_path / "People/Marie Dupont.md").write_bytes(b"---\ntier: 50\n---\n\xff\n")
    result = apply_tickbacks(snapshot, config, TODAY)
    assert result.written == ()
    [problem] = result.problems
    assert (problem.path, problem.code) == ("People/Marie Dupont.md", "NW502")
    assert problem.severity is Severity.ERROR
    assert str(tmp_path) not in problem.message


def test_no_digest_folder(tmp_path: Path) -> None:
    config = vault(tmp_path)
    assert apply_tickbacks(load(config), config, TODAY).written == ()


def test_ticked_mapping_and_set(tmp_path: Path) -> None:
    config = vault(tmp_path)
    snapshot = load(config)
    by_set = build_digest(snapshot, config, W48, TODAY, frozenset({"Marie Dupont"}))
    by_map = build_digest(snapshot, config, W48, TODAY, {"marie d.": date(2026, 11, 24)})
    assert isinstance(by_set, DigestData)
    assert [(i.ticked, i.done) for i in by_set.overdue] == [(True, None)]
    assert [(i.ticked, i.done) for i in by_map.overdue] == [(True, date(2026, 11, 24))]
    assert "✅ 2026-11-24" in line_of(render_digest(by_map, config, None), "Marie Dupont")


def test_snoozed_into_next_year_with_yearless_birthday(tmp_path: Path) -> None:
    contact = Contact(
        name="Odd",
        path="People/Odd.md",
        cadence=Duration(1, "y"),
        snooze_until=date(2027, 1, 1),
        birthday=Birthday(11, 24),
    )
    text = digest_of(Config(root=tmp_path), contact)
    assert "- [ ] [[Odd]] · Tue 24 Nov\n" in text
