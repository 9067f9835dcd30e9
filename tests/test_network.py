"""The network package on small snapshots built in the tests."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from netzwerk.config import DEFAULT_TIERS, Config
from netzwerk.facts import all_facts, by_name
from netzwerk.model import Contact, Duration, JournalNote, LogEntry, Mention, Snapshot, Tier
from netzwerk.network import graph, hubs, intros, review, search

TODAY = date(2026, 11, 23)
CONFIG = Config(root=Path("."))


def person(name: str, **fields: Any) -> Contact:
    """A contact note at People/NAME.md; `knows` and `introduced_by` take plain names."""
    fields.setdefault("lines", {})
    return Contact(name=name, path=f"People/{name}.md", **fields)


def log(day: date | str, kind: str | None, text: str, line: int = 20) -> LogEntry:
    if isinstance(day, str):
        day = date.fromisoformat(day)
    links = tuple(part.split("]]")[0] for part in text.split("[[")[1:])
    return LogEntry(day, kind, text, line, links)


def journal(day: str, *mentions: tuple[str, int, bool]) -> JournalNote:
    return JournalNote(
        f"Daily/{day}.md",
        date.fromisoformat(day),
        tuple(Mention(target, line, counts) for target, line, counts in mentions),
    )


def snap(*contacts: Contact, journals: tuple[JournalNote, ...] = ()) -> Snapshot:
    return Snapshot(tuple(sorted(contacts, key=lambda c: c.name)), journals)


def chains(
    snapshot: Snapshot,
    target: str,
    *,
    from_name: str | None = None,
    max_hops: int = 4,
    limit: int | None = 10,
) -> list[graph.Chain]:
    """The shortest warm-introduction chains to TARGET in the whole graph, warmest first."""
    people = by_name(all_facts(snapshot, TODAY))
    whole = graph.build_graph(snapshot)
    targets = graph.match_targets(whole, target)
    return graph.chains(whole, CONFIG, targets, from_name, max_hops, people, limit)


class network:
    """The functions these tests call, over each contact's Facts where they take them."""

    build_graph = staticmethod(graph.build_graph)
    hubs = staticmethod(hubs.hubs)
    intros = staticmethod(intros.intros)

    @staticmethod
    def find(snapshot: Snapshot, text: str | None, **filters: Any) -> list[Contact]:
        return [hit.contact for hit in search.find_hits(snapshot, text, **filters)]

    @staticmethod
    def balances(
        snapshot: Snapshot, today: date, *, names: list[str] | None = None
    ) -> list[review.Balance]:
        people = all_facts(snapshot, today)
        if names is not None:
            return [review.balance_of(p, today) for p in people if p.name in names]
        return review.balances(people, today)

    @staticmethod
    def review(snapshot: Snapshot, config: Config, today: date) -> review.Review:
        return review.review(all_facts(snapshot, today), config, today)

    @staticmethod
    def card(snapshot: Snapshot, config: Config, today: date, contact: Contact) -> search.Card:
        return search.card(
            snapshot, config, today, contact, by_name(all_facts(snapshot, today))[contact.name]
        )


# --------------------------------------------------------------------------- graph


def test_knows_connects_both_ways_and_says_where() -> None:
    graph = network.build_graph(
        snap(person("Anna", knows=("Ben",), lines={"knows": 5, "knows[0]": 6}), person("Ben"))
    )
    assert graph.neighbours("Ben") == ["Anna"]
    via = graph.via("Ben", "Anna")
    assert via is not None
    assert via.describe("Ben", "Anna") == "Anna knows Ben (knows in People/Anna.md:6)"


def test_a_knows_link_to_no_contact_is_a_node_but_free_text_links_are_not() -> None:
    graph = network.build_graph(
        snap(person("Anna", knows=("Tom Kraus",), log=(log("2026-01-02", "meet", "with [[Zed]]"),)))
    )
    assert graph.neighbours("Anna") == ["Tom Kraus"]
    assert graph.contact("Tom Kraus") is None
    assert "Zed" not in graph.nodes


def test_log_line_connects_owner_and_every_link_in_it() -> None:
    anna = person("Anna", log=(log("2026-10-03", "meet", "dinner with [[Ben]] and [[Cleo]]"),))
    graph = network.build_graph(snap(anna, person("Ben"), person("Cleo")))
    assert graph.neighbours("Anna") == ["Ben", "Cleo"]
    assert graph.neighbours("Ben") == ["Anna", "Cleo"]
    via = graph.via("Ben", "Cleo")
    assert via is not None
    assert via.describe("Ben", "Cleo") == (
        "both linked in Anna's log: 'dinner with [[Ben]] and [[Cleo]]' (People/Anna.md:20)"
    )


def test_journal_co_mentions_count_but_not_in_open_tasks() -> None:
    notes = (
        journal("2026-10-03", ("Anna", 4, True), ("Ben", 7, True)),
        # "- [ ] introduce [[Anna]] to [[Cleo]]": a plan, not an acquaintance.
        journal("2026-10-04", ("Anna", 3, False), ("Cleo", 3, False)),
    )
    graph = network.build_graph(snap(person("Anna"), person("Ben"), person("Cleo"), journals=notes))
    assert graph.neighbours("Anna") == ["Ben"]
    via = graph.via("Anna", "Ben")
    assert via is not None and via.describe("Anna", "Ben") == "both linked in Daily/2026-10-03.md:4"


def test_stronger_evidence_wins_for_the_reason() -> None:
    notes = (journal("2026-10-03", ("Anna", 4, True), ("Ben", 5, True)),)
    anna = person("Anna", knows=("Ben",), lines={"knows": 3})
    graph = network.build_graph(snap(anna, person("Ben"), journals=notes))
    via = graph.via("Anna", "Ben")
    assert via is not None and via.kind == "knows"


def test_links_to_oneself_make_no_edge() -> None:
    anna = person("Anna", knows=("Anna",), log=(log("2026-01-01", None, "me: [[Anna]]"),))
    assert network.build_graph(snap(anna)).adjacency == {}


# --------------------------------------------------------------------------- paths


def test_target_reachable_only_through_a_person_without_a_tier() -> None:
    snapshot = snap(
        person("Anna", tier="50", knows=("Ben",), lines={"knows": 5}),
        person("Ben", knows=("Carl",), lines={"knows": 4}),  # no tier, never contacted
        person("Carl", company="Nordlys Ventures"),
    )
    found = chains(snapshot, "Carl")
    assert [c.people for c in found] == [("Anna", "Ben", "Carl")]
    assert found[0].reason == (
        "Anna knows Ben (knows in People/Anna.md:5); Ben knows Carl (knows in People/Ben.md:4)"
    )


def test_own_target_is_known_directly() -> None:
    snapshot = snap(person("Anna", tier="reserve"), person("Ben", knows=("Anna",)))
    found = chains(snapshot, "anna")
    assert [(c.people, c.reason) for c in found] == [(("Anna",), "you know them directly")]


def test_recorded_contact_makes_an_own_contact_without_tier() -> None:
    snapshot = snap(
        person("Anna", last_contact=date(2026, 5, 1), knows=("Ben",)),
        person("Ben"),
    )
    assert [c.people for c in chains(snapshot, "Ben")] == [("Anna", "Ben")]


def test_accents_and_case_are_ignored_in_the_target() -> None:
    snapshot = snap(person("Anna", tier="10", knows=("Zoë Adams",)), person("Zoë Adams"))
    assert [c.target for c in chains(snapshot, "zoe adams")] == ["Zoë Adams"]


def test_cycles_terminate_and_give_the_shortest_chain() -> None:
    snapshot = snap(
        person("Anna", tier="10", knows=("Ben",)),
        person("Ben", knows=("Cleo",)),
        person("Cleo", knows=("Dora", "Ben")),
        person("Dora", knows=("Ben", "Emil")),  # Ben → Cleo → Dora → Ben: a cycle
        person("Emil"),
    )
    assert [c.people for c in chains(snapshot, "Emil")] == [("Anna", "Ben", "Dora", "Emil")]


def test_ties_go_to_the_warmer_tier_then_the_more_recent_contact_then_the_name() -> None:
    snapshot = snap(
        person("Zack", tier="10", knows=("Tom",), last_contact=date(2026, 1, 1)),
        person("Bert", tier="100", knows=("Tom",), last_contact=date(2026, 11, 1)),
        person("Cleo", tier="100", knows=("Tom",), last_contact=date(2026, 10, 1)),
        person("Abel", tier="100", knows=("Tom",), last_contact=date(2026, 10, 1)),
        person("Tom"),
    )
    assert [c.start for c in chains(snapshot, "Tom")] == ["Zack", "Bert", "Abel", "Cleo"]


def test_shorter_chains_come_before_warmer_ones() -> None:
    snapshot = snap(
        person("Anna", tier="10", knows=("Ben",)),
        person("Ben", knows=("Tom",)),
        person("Zora", tier="reserve", knows=("Tom",)),
        person("Tom"),
    )
    assert [len(c.hops) for c in chains(snapshot, "Tom")] == [1, 2]


def test_chains_do_not_pass_through_another_own_contact() -> None:
    snapshot = snap(
        person("Anna", tier="10", knows=("Ben",)),
        person("Ben", tier="50", knows=("Tom",)),
        person("Tom"),
    )
    assert [c.people for c in chains(snapshot, "Tom")] == [("Ben", "Tom")]


def test_from_restricts_the_start_and_may_pass_own_contacts() -> None:
    snapshot = snap(
        person("Anna", tier="10", knows=("Ben",)),
        person("Ben", tier="50", knows=("Tom",)),
        person("Tom"),
    )
    assert [c.people for c in chains(snapshot, "Tom", from_name="anna")] == [("Anna", "Ben", "Tom")]
    assert chains(snapshot, "Tom", from_name="Nobody") == []


def test_text_target_matches_company_and_word_stems() -> None:
    snapshot = snap(
        person("Anna", tier="10", knows=("Ines", "Karl")),
        person("Ines", tags=("investor",)),
        person("Karl", company="Acme GmbH"),
    )
    found = chains(snapshot, "investors")
    assert [(c.target, c.match) for c in found] == [("Ines", "tag 'investor'")]
    assert [(c.target, c.match) for c in chains(snapshot, "acme")] == [
        ("Karl", "company 'Acme GmbH'")
    ]


def test_max_hops_limits_the_chain() -> None:
    snapshot = snap(
        person("Anna", tier="10", knows=("B1",)),
        person("B1", knows=("B2",)),
        person("B2", knows=("Tom",)),
        person("Tom"),
    )
    assert chains(snapshot, "Tom", max_hops=2) == []
    assert len(chains(snapshot, "Tom", max_hops=3)) == 1


def test_nothing_to_find_gives_empty_lists() -> None:
    assert chains(Snapshot(), "anyone") == []
    no_knows = snap(person("Anna", tier="10"), person("Ben"))
    assert chains(no_knows, "Ben") == []
    assert chains(no_knows, "nothing like this") == []
    assert network.hubs(Snapshot()) == []
    assert network.intros(Snapshot()) == []
    assert network.balances(Snapshot(), TODAY) == []
    assert network.find(Snapshot(), "x") == []
    assert not any(network.review(Snapshot(), CONFIG, TODAY)[1:])


# --------------------------------------------------------------------------- intros

MARIE = person(
    "Marie Dupont",
    tier="50",
    location="Lyon",
    needs=("an exhibition on the Côte d'Azur",),
    offers=("introductions to galleries in Lyon",),
)
PAUL = person(
    "Paul Martin", tier="100", location="Nice", offers=("organises art exhibitions in Nice",)
)


def test_marie_is_introduced_to_the_organiser_in_nice() -> None:
    rows = network.intros(snap(MARIE, PAUL, person("Ben", location="Lyon", tags=("dogs",))))
    assert [(r.needer.name, r.giver.name) for r in rows] == [("Marie Dupont", "Paul Martin")]
    assert rows[0].reason == (
        "Marie Dupont needs 'an exhibition on the Côte d'Azur'; "
        "Paul Martin offers 'organises art exhibitions in Nice'"
    )


def test_offers_outrank_tags_and_location() -> None:
    rows = network.intros(
        snap(
            person("Nina", needs=("a good photographer",)),
            person("Olaf", offers=("photographers for weddings",)),
            person("Pia", tags=("photographer",)),
        )
    )
    assert [r.giver.name for r in rows] == ["Olaf", "Pia"]
    assert rows[0].score > rows[1].score


def test_a_place_in_a_need_matches_the_givers_location() -> None:
    lou = person("Lou", location="Nice")
    rows = network.intros(snap(person("Nina", needs=("a venue in Nice",)), lou, MARIE))
    assert [(r.giver.name, r.field, r.match) for r in rows] == [("Lou", "location", "Nice")]
    assert rows[0].reason == "Nina needs 'a venue in Nice'; Lou is based in 'Nice'"


def test_german_stems_and_stop_words() -> None:
    rows = network.intros(
        snap(
            person("Nina", needs=("eine Ausstellung in Hamburg",)),
            person("Olaf", offers=("organisiert Ausstellungen",)),
            person("Pia", offers=("eine Wohnung in Berlin",)),  # shares only stop words
        )
    )
    assert [r.giver.name for r in rows] == ["Olaf"]


def test_never_introduces_someone_to_themselves() -> None:
    rows = network.intros(snap(person("Nina", needs=("a jazz band",), offers=("plays jazz",))))
    assert rows == []


def test_already_introduced_pairs_are_left_out() -> None:
    linked = MARIE._replace(log=(log("2026-10-01", "intro", "introduced her to [[Paul Martin]]"),))
    assert network.intros(snap(linked, PAUL)) == []
    by_name = PAUL._replace(log=(log("2026-10-01", "intro", "told him about marie dupont"),))
    assert network.intros(snap(MARIE, by_name)) == []
    # Another kind of log line is no introduction.
    other = MARIE._replace(log=(log("2026-10-01", "call", "talked about [[Paul Martin]]"),))
    assert len(network.intros(snap(other, PAUL))) == 1


def test_one_row_per_needer_giver_and_need_with_the_best_match() -> None:
    rows = network.intros(
        snap(
            person("Nina", needs=("a React developer",)),
            person("Olaf", offers=("React development", "React consulting"), tags=("react",)),
        )
    )
    assert [(r.giver.name, r.match, r.field) for r in rows] == [
        ("Olaf", "React development", "offers")
    ]


def test_intros_sorted_by_score_then_names() -> None:
    rows = network.intros(
        snap(
            person("Zoe", needs=("a tax advisor",)),
            person("Abe", needs=("a tax advisor",)),
            person("Tim", offers=("tax advisor",)),
        )
    )
    assert [(r.needer.name, r.giver.name) for r in rows] == [("Abe", "Tim"), ("Zoe", "Tim")]


def test_intros_for_one_contact_as_needer_or_giver() -> None:
    snapshot = snap(
        MARIE,
        PAUL,
        person("Gil", needs=("galleries in Lyon",)),
        person("Hal", needs=("a React developer",), offers=("organises exhibitions",)),
    )
    rows = network.intros(snapshot, name="Marie Dupont")
    assert [(r.needer.name, r.giver.name) for r in rows] == [
        ("Gil", "Marie Dupont"),
        ("Marie Dupont", "Hal"),  # ties with Paul Martin: by name
        ("Marie Dupont", "Paul Martin"),
    ]
    assert len(network.intros(snapshot, limit=1)) == 1


# --------------------------------------------------------------------------- balance


def entries(*kinds: str, day: date = date(2026, 6, 1)) -> tuple[LogEntry, ...]:
    return tuple(log(day, kind, "x", line) for line, kind in enumerate(kinds, 10))


def test_give_first_when_the_user_only_took() -> None:
    rows = network.balances(snap(person("Anna", log=entries("got"))), TODAY)
    assert [(r.person.name, r.gave, r.got, r.status) for r in rows] == [
        ("Anna", 0, 1, "give first")
    ]


def test_only_takes_after_three_gifts_without_return() -> None:
    rows = network.balances(
        snap(
            person("Anna", log=entries("gave", "gave", "intro")),  # intro counts as gave
            person("Ben", log=entries("gave", "gave")),
            person("Cleo", log=entries("gave", "gave", "gave", "got")),
        ),
        TODAY,
    )
    assert {r.person.name: r.status for r in rows} == {
        "Anna": "only takes",
        "Ben": None,
        "Cleo": None,
    }
    assert rows[0].person.name == "Anna"  # flagged accounts first


def test_twelve_month_window_boundary() -> None:
    outside = TODAY - timedelta(days=365)
    inside = TODAY - timedelta(days=364)
    anna = person(
        "Anna",
        log=(
            log(outside, "gave", "x", 10),
            log(inside, "gave", "x", 11),
            log(TODAY, "got", "x", 12),
            log(TODAY + timedelta(days=1), "got", "future", 13),
        ),
    )
    [row] = network.balances(snap(anna), TODAY)
    assert (row.gave, row.got, row.gave_12m, row.got_12m) == (2, 1, 1, 1)


def test_contacts_without_gave_or_got_only_when_named() -> None:
    snapshot = snap(person("Anna", log=entries("call")), person("Ben", log=entries("got")))
    assert [r.person.name for r in network.balances(snapshot, TODAY)] == ["Ben"]
    named = network.balances(snapshot, TODAY, names=["Anna"])
    assert [(r.person.name, r.gave, r.got, r.status) for r in named] == [("Anna", 0, 0, None)]


# --------------------------------------------------------------------------- hubs


def test_hubs_count_distinct_people_ties_by_name() -> None:
    snapshot = snap(
        person("Hub", knows=("A", "B", "C")),
        person("A", knows=("Hub",)),  # the same edge again: still one person
        person("B", knows=("C",)),
        person("C"),
    )
    assert [(h.name, h.count) for h in network.hubs(snapshot)] == [
        ("Hub", 3),
        ("B", 2),
        ("C", 2),
        ("A", 1),
    ]
    assert [h.name for h in network.hubs(snapshot, limit=2)] == ["Hub", "B"]


# --------------------------------------------------------------------------- review

SMALL = Config(
    root=Path("."),
    tiers=(
        Tier("10", "Top 10", Duration(3, "w"), 2),
        *DEFAULT_TIERS[1:],
    ),
)


def test_review_reports_tiers_over_capacity() -> None:
    snapshot = snap(*(person(n, tier="10") for n in ("A", "B", "C")), person("D", tier="50"))
    result = network.review(snapshot, SMALL, TODAY)
    assert [(t.tier.name, t.members, t.over) for t in result.over_capacity] == [("10", 3, 1)]
    assert result.over_capacity[0].reason == "Top 10 has 3 people, capacity 2: 1 over"


def recent_contacts(count: int) -> tuple[LogEntry, ...]:
    return tuple(log(TODAY - timedelta(days=10 * i), "call", "x", 10 + i) for i in range(count))


def test_review_promotes_frequent_contacts_in_slow_tiers() -> None:
    snapshot = snap(
        person("Often", tier="100", log=recent_contacts(3)),
        person("Twice", tier="100", log=recent_contacts(2)),
        person("Close", tier="10", log=recent_contacts(5)),
        person("Loose", log=recent_contacts(4)),
    )
    result = network.review(snapshot, CONFIG, TODAY)
    assert [(s.person.name, s.current, s.suggested) for s in result.promote] == [
        ("Loose", None, "100"),
        ("Often", "100", "50"),
    ]
    assert result.promote[1].reason == (
        "3 contacts in the last 90 days; Top 100 expects one every 6 months; consider Top 50"
    )


def test_review_demotes_after_three_silent_cadences() -> None:
    snapshot = snap(
        person("Gone", tier="10", last_contact=TODAY - timedelta(weeks=9)),
        person("Nearly", tier="10", last_contact=TODAY - timedelta(weeks=9, days=-1)),
        person("Paused", tier="10", paused=True, last_contact=date(2020, 1, 1)),
    )
    result = network.review(snapshot, CONFIG, TODAY)
    assert [(s.person.name, s.suggested, s.silent_days) for s in result.demote] == [
        ("Gone", "50", 63)
    ]


def test_review_lists_unclassified_most_mentioned_first() -> None:
    notes = (journal("2026-10-03", ("Bea", 3, True), ("Cid", 4, False)),)
    snapshot = snap(
        person("Anna", tier="10", knows=("Cid", "Bea"), log=(log("2026-11-01", None, "[[Cid]]"),)),
        person("Adam"),
        person("Bea"),
        person("Cid"),
        journals=notes,
    )
    result = network.review(snapshot, CONFIG, TODAY)
    assert [(u.person.name, u.mentions) for u in result.unclassified] == [
        ("Cid", 3),
        ("Bea", 2),
        ("Adam", 0),
    ]


# --------------------------------------------------------------------------- find


FOLKS = snap(
    person("Zoë Adams", tags=("#work/acme",), location="Lyon", tier="50"),
    person("Ben Zoeller", tags=("workshop",), extra={"met_at": "Conference Lyon"}),
    person("Cleo", body="Met Zoe at the climbing gym.", tier="10"),
)


def names(found: list[Contact]) -> list[str]:
    return [c.name for c in found]


def test_find_ignores_accents_and_puts_name_matches_first() -> None:
    assert names(network.find(FOLKS, "zoe")) == ["Zoë Adams", "Ben Zoeller", "Cleo"]


def test_find_tags_with_hash_and_hierarchy() -> None:
    assert names(network.find(FOLKS, None, tags=["#work"])) == ["Zoë Adams"]
    assert names(network.find(FOLKS, None, tags=["work/acme"])) == ["Zoë Adams"]
    assert names(network.find(FOLKS, None, tags=["work/other"])) == []


def test_find_where_known_and_unknown_keys() -> None:
    assert names(network.find(FOLKS, None, where=[("location", "lyon")])) == ["Zoë Adams"]
    assert names(network.find(FOLKS, None, where=[("met_at", "conference")])) == ["Ben Zoeller"]
    assert names(network.find(FOLKS, None, where=[("tags", "workshop")])) == ["Ben Zoeller"]
    city = dataclasses.replace(CONFIG, keys={"location": "city"})
    assert names(network.find(FOLKS, None, where=[("city", "LYON")], config=city)) == ["Zoë Adams"]


def test_find_tier_and_every_word() -> None:
    assert names(network.find(FOLKS, "zoe", tier="10")) == ["Cleo"]
    assert names(network.find(FOLKS, "zoe climbing")) == ["Cleo"]


# --------------------------------------------------------------------------- card


def test_card_has_due_date_balance_recent_log_and_connections() -> None:
    anna = person(
        "Anna",
        tier="10",
        knows=("Ben",),
        lines={"knows": 4},
        log=tuple(log(date(2026, 11, d), "call", f"call {d}", 10 + d) for d in range(1, 8)),
    )
    snapshot = snap(anna, person("Ben"))
    result = network.card(snapshot, CONFIG, TODAY, anna)
    assert result.next_due == date(2026, 11, 28)  # 7 November + 3 weeks
    assert [e.text for e in result.recent_log] == [f"call {d}" for d in (7, 6, 5, 4, 3)]
    assert [(c.name, c.reason) for c in result.connections] == [
        ("Ben", "Anna knows Ben (knows in People/Anna.md:4)")
    ]


@pytest.mark.parametrize("target", ["", "   ", "[[]]"])
def test_blank_target_finds_nothing(target: str) -> None:
    snapshot = snap(person("Anna", tier="10", knows=("Ben",)), person("Ben"))
    assert chains(snapshot, target) == []
