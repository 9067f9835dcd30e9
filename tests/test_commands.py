"""The editing commands and the weekly job, end to end through the command line."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from netzwerk import edit
from netzwerk.cli import cli

TODAY = "2026-11-23"
EXAMPLE = Path(__file__).resolve().parent.parent / "example-vault"

MARIE = """---
tier: 50
last_contact: 2026-09-14  # the call about Nice
tags: [artist, painter]
aliases:
  - Marie D.
---
# Marie Dupont

## Log
- 2026-09-14 call: she is looking for a venue in Nice
- 2026-06-02 gave: sent her the contact of a frame maker
"""


def make_vault(root: Path, files: dict[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run(vault: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--vault", str(vault), "--today", TODAY, *args])
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return make_vault(
        tmp_path,
        {
            "People/Marie Dupont.md": MARIE,
            "People/Paul Martin.md": "---\ntier: 100\nlocation: Nice\n---\n# Paul Martin\n",
            "People/Marie Curie.md": "---\ntier: reserve\n---\n",
        },
    )


def test_log_inserts_the_line_in_order_and_raises_last_contact(vault: Path) -> None:
    code, out, _ = run(vault, "log", "Marie D.", "coffee in Lyon", "--kind", "meet")
    assert code == 0
    assert out == (
        "People/Marie Dupont.md: logged 2026-11-23 meet for Marie Dupont; "
        "last_contact 2026-09-14 → 2026-11-23\n"
    )
    text = (vault / "People/Marie Dupont.md").read_text(encoding="utf-8")
    assert "last_contact: 2026-11-23  # the call about Nice\n" in text
    assert text.endswith(
        "## Log\n- 2026-11-23 meet: coffee in Lyon\n"
        "- 2026-09-14 call: she is looking for a venue in Nice\n"
        "- 2026-06-02 gave: sent her the contact of a frame maker\n"
    )


def test_log_of_an_older_date_keeps_last_contact(vault: Path) -> None:
    code, out, _ = run(vault, "log", "Marie Dupont", "a postcard", "--date", "2026-07-01")
    assert code == 0
    assert "last_contact" not in out
    text = (vault / "People/Marie Dupont.md").read_text(encoding="utf-8")
    assert "last_contact: 2026-09-14  # the call about Nice" in text
    lines = text.splitlines()
    assert (
        lines.index("- 2026-07-01: a postcard")
        == lines.index("- 2026-09-14 call: she is looking for a venue in Nice") + 1
    )


def test_a_gave_line_is_no_contact_and_leaves_last_contact(vault: Path) -> None:
    code, out, _ = run(vault, "log", "Marie Dupont", "sent a gallery list", "--kind", "gave")
    assert code == 0
    assert out.endswith("logged 2026-11-23 gave for Marie Dupont\n")
    assert "last_contact: 2026-09-14" in (vault / "People/Marie Dupont.md").read_text("utf-8")


def test_dry_run_prints_a_diff_and_writes_nothing(vault: Path) -> None:
    before = (vault / "People/Marie Dupont.md").read_bytes()
    code, out, _ = run(vault, "log", "Marie Dupont", "call", "--kind", "call", "--dry-run")
    assert code == 0
    assert out.startswith("--- a/People/Marie Dupont.md\n+++ b/People/Marie Dupont.md\n")
    assert "-last_contact: 2026-09-14  # the call about Nice\n" in out
    assert "+last_contact: 2026-11-23  # the call about Nice\n" in out
    assert "+- 2026-11-23 call: call\n" in out
    assert (vault / "People/Marie Dupont.md").read_bytes() == before


def test_ambiguous_name_lists_candidates_and_writes_nothing(vault: Path) -> None:
    before = {p: p.read_bytes() for p in (vault / "People").iterdir()}
    code, out, err = run(vault, "log", "marie", "hello")
    assert code == 1
    assert out == ""
    assert err == ("Error: 'marie' could be Marie Curie, Marie Dupont; give the full name\n")
    assert {p: p.read_bytes() for p in (vault / "People").iterdir()} == before


def test_unknown_name_suggests_the_closest(vault: Path) -> None:
    code, _, err = run(vault, "pause", "Paul Martn")
    assert code == 1
    assert err == "Error: no contact named 'Paul Martn'; did you mean 'Paul Martin'?\n"


def test_names_match_ignoring_case_and_accents(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Zoë Lefèvre.md": "---\ntier: 10\n---\n"})
    code, out, _ = run(vault, "pause", "zoe lefevre")
    assert code == 0
    assert out == "People/Zoë Lefèvre.md: paused Zoë Lefèvre\n"
    assert (vault / "People/Zoë Lefèvre.md").read_text(
        "utf-8"
    ) == "---\ntier: 10\npaused: true\n---\n"


def test_pause_unpause_snooze_and_tier_change_one_line_each(vault: Path) -> None:
    path = vault / "People/Paul Martin.md"
    assert run(vault, "pause", "Paul Martin")[0] == 0
    assert (
        path.read_text("utf-8")
        == "---\ntier: 100\nlocation: Nice\npaused: true\n---\n# Paul Martin\n"
    )
    assert run(vault, "unpause", "Paul Martin")[0] == 0
    assert path.read_text("utf-8") == "---\ntier: 100\nlocation: Nice\n---\n# Paul Martin\n"
    code, out, _ = run(vault, "snooze", "Paul Martin", "3w")
    assert (code, out) == (0, "People/Paul Martin.md: snoozed Paul Martin until 2026-12-14\n")
    code, out, _ = run(vault, "tier", "Paul Martin", "50")
    assert (code, out) == (0, "People/Paul Martin.md: Paul Martin: tier 100 → 50\n")
    assert path.read_text("utf-8") == (
        "---\ntier: 50\nlocation: Nice\nsnooze_until: 2026-12-14\n---\n# Paul Martin\n"
    )


def test_unpause_of_someone_not_paused_changes_nothing(vault: Path) -> None:
    before = (vault / "People/Paul Martin.md").read_bytes()
    code, out, _ = run(vault, "unpause", "Paul Martin")
    assert (code, out) == (0, "People/Paul Martin.md: nothing to change\n")
    assert (vault / "People/Paul Martin.md").read_bytes() == before


def usage_error(err: str) -> str:
    """The last line of a usage error (click prints the usage and a hint above it)."""
    return err.rstrip("\n").splitlines()[-1]


def test_tier_is_validated_with_a_suggestion(vault: Path) -> None:
    # A value on the command line that is wrong is a usage error: exit 2.
    code, _, err = run(vault, "tier", "Paul Martin", "5")
    assert code == 2
    assert usage_error(err) == (
        "Error: unknown tier '5'; did you mean '50'? (tiers: 10, 50, 100, reserve, target)"
    )


def test_snooze_refuses_a_date_in_the_past(vault: Path) -> None:
    code, _, err = run(vault, "snooze", "Paul Martin", "2026-01-01")
    assert code == 2
    assert usage_error(err) == "Error: 2026-01-01 is not in the future"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["snooze", "Paul Martin", "tomorrow"],
         "Error: 'tomorrow' is neither a date (YYYY-MM-DD) nor a duration (2w, 3m)"),
        (["log", "Paul Martin", "hi", "--kind", "metting"],
         "Error: unknown kind 'metting'; did you mean 'meet'? (kinds: call, meet, message, mail, "
         "visit, gave, got, intro, warmup, note)"),
        (["log", "Paul Martin", "hi", "--date", "2027-01-01"],
         "Error: 2027-01-01 is in the future; log what has happened"),
        (["add", "Nina", "--set", "birthday=soon"],
         "Error: birthday: 'soon' is not a date (YYYY-MM-DD or --MM-DD)"),
        (["due", "--tier", "Top 5"], "Error: unknown tier 'Top 5'; did you mean 'Top 50'? "
         "(tiers: 10, 50, 100, reserve, target)"),
        (["show", ""], "Error: Invalid value for 'NAME': a name cannot be empty"),
        (["log", "  ", "hi"], "Error: Invalid value for 'NAME': a name cannot be empty"),
    ],
)  # fmt: skip
def test_wrong_values_on_the_command_line_exit_2(
    vault: Path, args: list[str], message: str
) -> None:
    code, out, err = run(vault, *args)
    assert (code, out, usage_error(err)) == (2, "", message)


def test_tier_labels_and_none(vault: Path) -> None:
    assert run(vault, "tier", "Paul Martin", "top 50")[:2] == (
        0,
        "People/Paul Martin.md: Paul Martin: tier 100 → 50\n",
    )
    code, out, _ = run(vault, "due", "--tier", "Top 50", "--format", "json")
    assert code == 0 and {i["name"] for i in json.loads(out)} <= {"Paul Martin", "Marie Dupont"}
    assert run(vault, "tier", "Paul Martin", "none")[:2] == (
        0,
        "People/Paul Martin.md: Paul Martin: tier 50 → none\n",
    )
    assert "tier:" not in (vault / "People/Paul Martin.md").read_text("utf-8")


def test_unsnooze(vault: Path) -> None:
    assert run(vault, "snooze", "Paul Martin", "3w")[0] == 0
    assert "snooze_until: 2026-12-14" in (vault / "People/Paul Martin.md").read_text("utf-8")
    assert run(vault, "unsnooze", "Paul Martin")[:2] == (
        0,
        "People/Paul Martin.md: unsnoozed Paul Martin\n",
    )
    assert "snooze_until" not in (vault / "People/Paul Martin.md").read_text("utf-8")


def test_a_log_line_without_text_has_no_dangling_colon(vault: Path) -> None:
    assert run(vault, "log", "Paul Martin", "--kind", "call")[0] == 0
    assert run(vault, "log", "Marie Curie")[0] == 0
    assert "\n- 2026-11-23 call\n" in (vault / "People/Paul Martin.md").read_text("utf-8")
    assert "\n- 2026-11-23\n" in (vault / "People/Marie Curie.md").read_text("utf-8")
    shown = json.loads(run(vault, "show", "Paul Martin", "--format", "json")[1])
    assert shown["last_contact"]["date"] == "2026-11-23"


def test_a_first_name_close_to_a_contacts_gets_a_suggestion(vault: Path) -> None:
    code, _, err = run(vault, "show", "Mari")
    assert code == 1
    assert err.startswith("Error: 'Mari' could be") or "did you mean" in err
    code, _, err = run(vault, "show", "Pual")
    assert (code, err) == (1, "Error: no contact named 'Pual'; did you mean 'Paul Martin'?\n")


def test_add_creates_a_note_from_the_template(vault: Path) -> None:
    code, out, _ = run(
        vault,
        "add",
        "Ingrid Halvorsen",
        "--tier",
        "100",
        "--tag",
        "investor",
        "--set",
        "company=Nordlys Ventures",
        "--set",
        "phone=0170123456",
        "--set",
        "knows=Paul Martin",
    )
    assert (code, out) == (0, "People/Ingrid Halvorsen.md: created\n")
    text = (vault / "People/Ingrid Halvorsen.md").read_text("utf-8")
    assert text.startswith("---\ntier: 100\nlast_contact:\nbirthday:\ntags:\n  - investor\n")
    assert 'phone: "0170123456"\n' in text
    assert 'knows:\n  - "[[Paul Martin]]"\n' in text
    assert "company: Nordlys Ventures\n" in text
    assert "# Ingrid Halvorsen\n" in text
    assert run(vault, "check")[:2] == (0, "")


KEYED = '[keys]\ncompany = "org"\nlast_contact = "last_contacted"\nrole = "Position"\n'


@pytest.mark.parametrize(
    "template",
    [
        None,  # the shipped template, which writes the vault's own names
        "---\ntier:\ncompany:\nrole:\n---\n# {{ name }}\n",  # a template with netzwerk's names
    ],
)
def test_add_writes_the_vaults_own_property_names(tmp_path: Path, template: str | None) -> None:
    files = {"netzwerk.toml": 'log_headings = ["Communication Log"]\n' + KEYED}
    if template is not None:
        files["Templates/netzwerk/contact.md.j2"] = template
    vault = make_vault(tmp_path, files)
    code, _, err = run(
        vault, "add", "Jane Doe", "--tier", "50", "--set", "company=Acme", "--set", "role=CTO"
    )
    assert (code, err) == (0, "")
    text = (vault / "People/Jane Doe.md").read_text("utf-8")
    front = text.split("---\n")[1]
    # Never a second, empty `company:` beside `org:`, nor `role:` beside `Position:`.
    assert "company:" not in front and "role:" not in front
    assert "org: Acme\n" in front and "Position: CTO\n" in front
    if template is None:
        assert "last_contacted:\n" in front and "last_contact:" not in front
        assert text.endswith("# Jane Doe\n\n\n## Communication Log\n")
    # `log` and a ticked digest item raise the vault's last_contacted alike.
    assert run(vault, "log", "Jane Doe", "call", "--kind", "call", "--date", "2026-11-20")[0] == 0
    text = (vault / "People/Jane Doe.md").read_text("utf-8")
    assert "last_contacted: 2026-11-20\n" in text and "last_contact:" not in text
    assert "## Communication Log\n- 2026-11-20 call: call\n" in text
    assert run(vault, "check")[:2] == (0, "")
    # (Due again once the cadence has passed: a digest item to tick.)
    later = ["--today", "2027-02-01"]
    assert run(vault, *later, "digest")[0] == 0
    digest = vault / "Digests/2027-W05.md"
    digest.write_text(
        digest.read_text("utf-8").replace("- [ ] [[Jane Doe]]", "- [x] [[Jane Doe]]"), "utf-8"
    )
    assert run(vault, *later, "digest")[0] == 0
    text = (vault / "People/Jane Doe.md").read_text("utf-8")
    assert "last_contacted: 2027-02-01\n" in text and "last_contact:" not in text
    assert "- 2027-02-01: checked in (digest 2027-W05) · last_contacted was 2026-11-20\n" in text


def test_add_refuses_an_existing_name_or_alias(vault: Path) -> None:
    code, _, err = run(vault, "add", "marie d.")
    assert code == 1
    assert err == "Error: 'marie d.' already exists: People/Marie Dupont.md (Marie Dupont)\n"


def test_add_refuses_a_name_obsidian_cannot_link(vault: Path) -> None:
    code, _, err = run(vault, "add", "Anna [Work]")
    assert code == 1
    assert err == (
        "Error: 'Anna [Work]' cannot be a note title (Obsidian cannot link [ ]); try 'Anna Work'\n"
    )
    assert not list((vault / "People").glob("Anna*"))


def test_add_never_writes_outside_the_contact_folder(vault: Path) -> None:
    code, _, err = run(vault, "add", "../../escape")
    assert code == 1
    assert "cannot be a note title" in err
    assert not (vault.parent / "escape.md").exists()


def test_a_vault_template_overrides_the_shipped_one(vault: Path) -> None:
    make_vault(vault, {"Templates/netzwerk/contact.md.j2": "---\ntier:\n---\n# {{ name }} (new)\n"})
    assert run(vault, "add", "Kari Solberg", "--tier", "reserve")[0] == 0
    assert (vault / "People/Kari Solberg.md").read_text("utf-8") == (
        "---\ntier: reserve\n---\n# Kari Solberg (new)\n"
    )


def test_a_note_that_is_not_utf8_is_never_rewritten(tmp_path: Path) -> None:
    raw = "---\ntier: 50\n---\n# Jürgen\n".encode("latin-1")
    vault = make_vault(tmp_path, {"People/Jürgen Weiß.md": raw})
    code, _, err = run(vault, "log", "Jürgen Weiß", "call")
    assert code == 1
    assert err == (
        "netzwerk: 1 error in the vault; run `netzwerk check`\n"
        "Error: the note of 'Jürgen Weiß' has errors and is not read; "
        "run `netzwerk check` and fix them first\n"
    )
    assert (vault / "People/Jürgen Weiß.md").read_bytes() == raw


@pytest.mark.parametrize("command", [["log", "Anna", "coffee"], ["tier", "Anna", "100"],
                                     ["pause", "Anna"], ["snooze", "Anna", "3w"]])  # fmt: skip
def test_a_name_whose_note_cannot_be_read_never_edits_another_note(
    tmp_path: Path, command: list[str]
) -> None:
    """`Anna` is the title of a note that cannot be read: the command refuses, and neither
    Anna Schmidt (whose name starts with it) nor someone with the alias Anna is edited in
    its place, with a kept index or without."""
    schmidt = "---\ntier: 10\nlast_contact: 2026-01-01\n---\n## Log\n- 2026-01-01 call: hi\n"
    alias = "---\ntier: 50\naliases: [Anna]\n---\n"
    vault = make_vault(
        tmp_path,
        {
            "People/Anna.md": "---\ntier: 50\nlast_contact: 2026-01-01\n## Log\n",
            "People/Anna Schmidt.md": schmidt,
            "People/Hanna Berg.md": alias,
        },
    )
    for _ in range(2):  # (the second time with the index the first one kept)
        code, _, err = run(vault, *command)
        assert code == 1
        assert err.endswith(
            "Error: the note of 'Anna' has errors and is not read; "
            "run `netzwerk check` and fix them first\n"
        )
        assert (vault / "People/Anna Schmidt.md").read_text("utf-8") == schmidt
        assert (vault / "People/Hanna Berg.md").read_text("utf-8") == alias


def test_a_note_changed_after_reading_is_left_alone(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = vault / "People/Marie Dupont.md"
    real_plan = edit.plan

    def plan_then_editor_saves(target: Path, ops: list[object]) -> edit.Edit:
        planned = real_plan(target, ops)  # type: ignore[arg-type]
        path.write_text(MARIE + "- 2026-11-22: typed in Obsidian meanwhile\n", encoding="utf-8")
        return planned

    monkeypatch.setattr(edit, "plan", plan_then_editor_saves)
    code, _, err = run(vault, "log", "Marie Dupont", "call")
    assert code == 1
    assert "changed on disk" in err
    assert path.read_text("utf-8").endswith("- 2026-11-22: typed in Obsidian meanwhile\n")


def test_due_lists_overdue_first_with_hooks(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Marie Dupont.md": MARIE.replace("tags:", "interests: [painting]\ntags:"),
            "People/Paul Martin.md": "---\ntier: 10\nlast_contact: 2026-11-03\n---\n",
            "People/Anna Berg.md": "---\ntier: 10\nlast_contact: 2026-11-20\n---\n",
        },
    )
    code, out, _ = run(vault, "due")
    assert code == 0
    rows = [re.split(r"\s{2,}", line) for line in out.splitlines()]
    assert rows[0] == ["NAME", "TIER", "LAST CONTACT", "NEXT DUE", "OVERDUE", "HOOKS"]
    assert rows[1] == [
        "Marie Dupont",
        "Top 50",
        "2026-09-14 (log call)",
        "2026-11-14",
        "9",
        "ask about: painting; last: she is looking for a venue in Nice",
    ]
    assert rows[2] == ["Paul Martin", "Top 10", "2026-11-03 (last_contact)", "2026-11-24", "due"]
    assert out.index("HOOKS") == out.splitlines()[1].index("ask about")
    assert rows[-1] == ["2026-W48: 1 overdue, 1 due this week"]
    data = json.loads(run(vault, "due", "--format", "json")[1])
    assert [(d["name"], d["status"], d["next_due"]) for d in data] == [
        ("Marie Dupont", "overdue", "2026-11-14"),
        ("Paul Martin", "due", "2026-11-24"),
    ]
    assert run(vault, "due", "--tier", "10", "--format", "json")[1].count('"name"') == 1
    code, _, err = run(vault, "due", "--week", "2026-W99")
    assert code == 2 and "'2026-W99': 2026 has 53 weeks" in err
    code, _, err = run(vault, "digest", "--week", "2027-W53")
    assert code == 2 and "'2027-W53': 2027 has 52 weeks" in err
    code, _, err = run(vault, "due", "--week", "2026-W00")
    assert code == 2 and "'2026-W00' is not a week like 2026-W48" in err


def test_digest_writes_once_and_is_stable(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE, vault)
    code, out, _ = run(vault, "digest")
    assert (code, out) == (0, "wrote Digests/2026-W48.md\n")
    path = vault / "Digests/2026-W48.md"
    first = path.read_bytes()
    os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    code, out, _ = run(vault, "digest")
    assert (code, out) == (0, "Digests/2026-W48.md is up to date\n")
    assert path.read_bytes() == first
    assert path.stat().st_mtime_ns == 1_700_000_000_000_000_000
    assert run(vault, "digest", "--stdout")[1].encode("utf-8") == first


def test_a_ticked_item_is_recorded_once_and_stays_ticked(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE, vault)
    assert run(vault, "digest")[0] == 0
    path = vault / "Digests/2026-W48.md"
    text = path.read_text("utf-8")
    text = text.replace("- [ ] [[Yuki Sato]]", "- [x] [[Yuki Sato]]", 1)
    text = text.replace(
        "<!-- Your notes", "Called Yuki, she has a stall in Neukölln.\n<!-- Your notes"
    )
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(vault, "digest")
    assert code == 0
    assert (
        out == "recorded 2026-11-23 for Yuki Sato (ticked in 2026-W48)\nwrote Digests/2026-W48.md\n"
    )
    note = (vault / "People/Yuki Sato.md").read_text("utf-8")
    assert note.count("(digest 2026-W48)") == 1
    digest = path.read_text("utf-8")
    assert "- [x] [[Yuki Sato]]" in digest
    assert digest.endswith(text[text.index("## Notes") :])
    # Yuki is no longer overdue, but her ticked line stays in the digest.
    assert "Called Yuki, she has a stall in Neukölln." in digest
    for _ in range(2):
        assert run(vault, "digest")[0] == 0
    assert (vault / "People/Yuki Sato.md").read_text("utf-8").count("(digest 2026-W48)") == 1


def test_read_commands_answer_an_unchanged_vault_from_the_cache(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netzwerk import app

    old = 1_700_000_000_000_000_000
    for note in (vault / "People").iterdir():
        os.utime(note, ns=(old, old))
    first = run(vault, "due", "--format", "json")
    assert first[0] == 0

    def no_loading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the vault was read")

    monkeypatch.setattr(app.Vault, "loaded", no_loading)
    monkeypatch.setattr(app.Vault, "people", no_loading)
    assert run(vault, "due", "--format", "json") == first
    # Another option, another day or a changed note is computed afresh.
    monkeypatch.undo()
    assert run(vault, "due", "--format", "json", "--tier", "10")[1] != first[1]
    path = vault / "People/Paul Martin.md"
    path.write_text("---\ntier: 10\nlast_contact: 2026-08-01\n---\n", encoding="utf-8")
    os.utime(path, ns=(old + 10**9, old + 10**9))
    changed = run(vault, "due", "--format", "json")
    assert '"Paul Martin"' in changed[1] and changed[1] != first[1]


def test_path_tells_nobody_matches_from_no_chain(vault: Path) -> None:
    assert run(vault, "path", "astronaut") == (1, "Nobody in your notes matches 'astronaut'.\n", "")
    code, out, _ = run(vault, "path", "Nice", "--from", "Marie Curie", "--max-hops", "1")
    assert (code, out) == (1, "No chain within 1 hop to 'Nice'.\n")
