"""Generate a deterministic synthetic netzwerk vault for benchmarks.

Usage: python bench/generate.py OUT_DIR --contacts N [--seed S] [--journal-days 365]

Writes ``netzwerk.toml``, ``People/<folder>/<Name>.md`` (N contact notes spread over 20
subfolders) and ``Daily/YYYY-MM-DD.md`` (one journal note per day for the days before
``TODAY``). The same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

TODAY = date(2026, 11, 23)


def words(text: str) -> tuple[str, ...]:
    """A comma-separated word list (keeps the vocabulary compact)."""
    return tuple(" ".join(w.split()) for w in text.split(",") if w.strip())


FIRST_NAMES = words(
    """
    Anna, Paul, Marie, Jonas, Léa, Lukas, Sophie, Élodie, Mateo, Zoë, Björn, Søren, Inès, Chloé,
    Noah, Émile, Jürgen, Håkon, Lena, Felix, Clara, Max, Emma, Ben, Mia, Leon, Hannah, Elias,
    Lina, Finn, Amélie, Théo, Camille, Hugo, Louise, Jules, Agnès, Raphaël, Margaux, Nils,
    Ingrid, Astrid, Gustav, Sven, Freya, Oskar, Ida, Mattias, Lucía, José, Martín, Sofía,
    Andrés, Valentina, Iñaki, Ramón, Beatriz, João, Gonçalo, Mariana, Tomás, Rita, Giulia,
    Marco, Francesca, Luca, Chiara, Niccolò, Aylin, Emre, Zeynep, Mehmet, Katarzyna, Paweł,
    Agnieszka, Łukasz, Jiří, Petra, Tereza, Ondřej, Siobhán, Ciarán, Aoife, Niamh, Yuki, Haruto,
    Mei, Wei, Priya, Arjun, Ananya, Kwame, Amara, Chidi, Fatima, Omar, Layla, Youssef, Noor,
    Dmitri, Olga
    """
)

LAST_NAMES = words(
    """
    Berg, Dupont, Martin, Müller, Schmidt, Nguyen, García, López, Weber, Fischer, Wagner,
    Becker, Schäfer, Koch, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Zimmermann, Braun,
    Krüger, Hofmann, Hartmann, Lange, Lefèvre, Moreau, Laurent, Girard, Bonnet, Fontaine,
    Rousseau, Mercier, Dubois, Leroy, Château, Faure, Andersson, Johansson, Lindqvist, Nyström,
    Øster, Hansen, Sørensen, Jensen, Fernández, Martínez, Rodríguez, Pérez, Sánchez, Gómez,
    Muñoz, Álvarez, Silva, Santos, Gonçalves, Conceição, Rossi, Russo, Ferrari, Esposito,
    Bianchi, Romano, Colombo, Ricci, Yılmaz, Kaya, Demir, Şahin, Kowalski, Nowak, Wiśniewski,
    Wójcik, Novák, Svoboda, Dvořáková, O'Connor, O'Brien, Murphy, Kelly, Tanaka, Suzuki,
    Watanabe, Chen, Wang, Li, Sharma, Patel, Iyer, Mensah, Okafor, Adeyemi, Haddad, Mansour,
    Khalil, Ivanova, Petrov, Müller-Lüdenscheidt, von Ahlefeldt, de la Cruz
    """
)

FOLDERS = words(
    """
    Colleagues, Clients, Friends, Family, Investors, Neighbours, University, School,
    Conferences, Sports club, Music, Art, Startups, Press, Suppliers, Former colleagues, Travel,
    Community, Mentors, Café regulars
    """
)

TAGS = words(
    """
    artist, founder, engineer, designer, journalist, teacher, doctor, lawyer, musician, writer,
    recruiter, organiser, photographer, researcher, coach, consultant, marketing, sales,
    product, finance, climber, runner, parent, neighbour, alumni, conference, open-source,
    volunteer
    """
)

INTERESTS = words(
    """
    painting, dogs, cats, climbing, running, sailing, jazz, opera, cooking, wine, coffee,
    gardening, chess, photography, cycling, skiing, hiking, board games, science fiction, crime
    novels, football, tennis, yoga, pottery, woodworking, bread baking, beekeeping,
    birdwatching, vintage cars, Italian cinema, Japanese gardens, the Côte d'Azur, Bauhaus
    architecture, podcasts, his kids' football team, her marathon training, learning Spanish
    """
)

# Needs and offers share vocabulary so that introduction suggestions have something to match.
TOPICS = words(
    """
    an exhibition venue in Nice, a frame maker, a good tax advisor, a designer, a React
    developer, a flat in Berlin, an investor, seed funding, a co-founder, a publisher, a
    photographer, a recruiter, a lawyer for startups, a mentor, a speaking slot at a conference,
    customers in retail, a job in Zürich, a data scientist, a translator, a PR agency, a
    climbing partner, a piano teacher, an event organiser in Nice, a venue in Lyon, office space
    in Hamburg
    """
)

OFFER_PREFIXES = ("introductions to", "knows", "can help with", "recommends")

COMPANIES = words(
    """
    Atelier Bleu, Acme GmbH, Nordlicht AG, Blue Harbour Ventures, Café Müller, Studio Lumière,
    Kraftwerk Labs, Fjord Analytics, Sonnenschein Verlag, Rheinwerk Consulting, Helvetia Data,
    Brücke Capital, Maison Girard, Pixelwerk, Grüne Welle e.V., Universität Heidelberg, Charité,
    Zalando, Siemens, SAP, Deutsche Bahn, Le Monde, Spotify, Stripe, Freelance
    """
)

ROLES = words(
    """
    CEO, CTO, founder, engineer, designer, product manager, partner, journalist, professor,
    student, consultant, sales lead, editor, curator, recruiter, event manager, doctor, lawyer,
    investor, teacher
    """
)

LOCATIONS = words(
    """
    Berlin, Hamburg, München, Köln, Zürich, Wien, Lyon, Nice, Paris, Lisboa, Barcelona, Milano,
    København, Stockholm, Kraków, Praha, London, Dublin, Amsterdam, Göteborg, Düsseldorf,
    Frankfurt am Main, Genève
    """
)

CADENCES = words(
    """
    10d, 2w, 3w, 1m, 2m, 3m, 6m, 1y, never
    """
)

CONTACT_KINDS = ("call", "meet", "message", "mail", "visit")
LOG_KINDS = (*CONTACT_KINDS, "gave", "got", "intro", "note")
# Contact kinds are more common in a real log than gave/got/intro/note.
LOG_KIND_WEIGHTS = (14, 12, 16, 8, 4, 6, 5, 3, 6)

LOG_TEXTS = (
    "coffee, talked about {interest}",
    "she is looking for {topic}",
    "he mentioned he needs {topic}",
    "quick catch-up, all well",
    "birthday wishes",
    "asked about {interest}",
    "sent an article on {interest}",
    "recommended {topic}",
    "lunch near the office",
    "met at a conference, talked about {interest}",
    "Christmas mail",
    "congratulated on the new job",
    "long walk, talked about {interest} and family",
)

SENTENCES = (
    "Loves {interest}.",
    "Big fan of {interest}.",
    "Works on something new, ask about it.",
    "Met through a friend years ago.",
    "Has two kids and a dog.",
    "Always has good book recommendations.",
    "Dreams of {topic}.",
    "Very well connected in {location}.",
    "Moved to {location} last year.",
    "Great listener; remembers everything.",
)

DAILY_TEXTS = (
    "Lunch with {link}, talked about {interest}.",
    "Call with {link} about {topic}.",
    "Ran into {link} in {location}.",
    "{link} sent a nice message.",
    "Coffee with {link}.",
    "Dinner with {link} and friends.",
    "Long call with {link}; follow up next month.",
    "Met {link} at a meetup on {interest}.",
)

DAILY_TASKS = ("call", "mail", "write to", "send the article to", "congratulate", "thank")

DAILY_FILLER = (
    "Focused work in the morning.",
    "Read a chapter of a novel.",
    "Went for a run.",
    "Groceries, laundry, the usual.",
    "Worked on the quarterly report.",
    "Too many meetings today.",
)


def fold(text: str) -> str:
    """Case- and accent-insensitive key, as netzwerk compares names."""
    folded = text.casefold().translate(_EXTRA_FOLDS)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Letters NFKD does not decompose; netzwerk folds them too ("Ø." and "O." are one alias).
_EXTRA_FOLDS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"}
)


def ascii_slug(text: str) -> str:
    """A plain ASCII form for e-mail addresses."""
    out = fold(text).replace("ø", "o").replace("ł", "l").replace("ı", "i").replace("ß", "ss")
    return "".join(ch for ch in out if ch.isascii() and (ch.isalnum() or ch == ".")) or "x"


@dataclass(slots=True)
class Person:
    """One generated contact, before it is rendered."""

    name: str
    first: str
    last: str
    folder: str
    tier: str | None
    interests: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


def person_names(count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """Unique (name, first, last) triples; a number suffix once the combinations run out."""
    firsts = list(FIRST_NAMES)
    lasts = list(LAST_NAMES)
    combos = [(f, la) for f in firsts for la in lasts]
    rng.shuffle(combos)
    # "Anna" must exist for the `find anna` benchmark, so put one Anna first.
    anna = next(i for i, (f, _) in enumerate(combos) if f == "Anna")
    combos[0], combos[anna] = combos[anna], combos[0]
    out = []
    for i in range(count):
        first, last = combos[i % len(combos)]
        round_ = i // len(combos)
        name = f"{first} {last}" if round_ == 0 else f"{first} {last} {round_ + 1}"
        out.append((name, first, last))
    return out


def days_ago(rng: random.Random, low: int, high: int) -> date:
    """A date between ``high`` and ``low`` days before TODAY (inclusive)."""
    return TODAY - timedelta(days=rng.randint(low, high))


def yaml_list(key: str, values: list[str], flow: bool, quote: bool = False) -> str:
    """A YAML list in block or flow style."""
    items = [f'"{v}"' if quote or needs_quotes(v) else v for v in values]
    if flow:
        return f"{key}: [{', '.join(items)}]\n"
    return f"{key}:\n" + "".join(f"  - {v}\n" for v in items)


def needs_quotes(value: str) -> bool:
    """Whether a plain YAML scalar would be misread (or is ambiguous in flow style)."""
    return any(ch in value for ch in ":#,[]{}'\"") or value[:1] in "-?!&*|>%@`"


def assign_tier(rng: random.Random) -> str | None:
    """1% Top 10, 5% Top 50, 15% Top 100, 10% reserve, 10% none, the rest mixed."""
    r = rng.random()
    if r < 0.01:
        return "10"
    if r < 0.06:
        return "50"
    if r < 0.21:
        return "100"
    if r < 0.31:
        return "reserve"
    if r < 0.41:
        return None
    # The remaining 59% are the wide circle: mostly reserve or unclassified, some Top 100.
    return rng.choices(("100", "reserve", None, "50"), weights=(30, 40, 25, 5))[0]


def pick_topic(rng: random.Random) -> str:
    return rng.choice(TOPICS)


def render_contact(
    p: Person,
    index: int,
    people: list[Person],
    hubs: int,
    rng: random.Random,
    investor: bool,
) -> str:
    """The Markdown text of one contact note."""
    fm: list[str] = ["---\n"]
    flow = rng.random() < 0.2
    if p.tier is not None:
        fm.append(f"tier: {p.tier}\n")
    elif rng.random() < 0.3:
        fm.append("tier:\n")  # an empty value, as templates leave it
    last_contact: date | None = None
    if rng.random() < 0.85:
        last_contact = days_ago(rng, 1, 730)
        fm.append(f"last_contact: {last_contact.isoformat()}\n")
    if rng.random() < 0.6:
        year = rng.randint(1950, 2004)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        if rng.random() < 0.1:
            fm.append(f'birthday: "--{month:02d}-{day:02d}"\n')
        else:
            fm.append(f"birthday: {year}-{month:02d}-{day:02d}\n")
    tags = rng.sample(TAGS, rng.choice((0, 1, 1, 2, 2, 3)))
    if investor:
        tags.append("investor")
    if tags:
        fm.append(yaml_list("tags", tags, flow))
    if p.aliases:
        fm.append(yaml_list("aliases", p.aliases, flow))
    location = rng.choice(LOCATIONS)
    if rng.random() < 0.7:
        fm.append(f"company: {quote_if_needed(rng.choice(COMPANIES))}\n")
    if rng.random() < 0.5:
        fm.append(f"role: {rng.choice(ROLES)}\n")
    if rng.random() < 0.8:
        fm.append(f"location: {location}\n")
    r = rng.random()
    if r < 0.5:
        fm.append(f"email: {ascii_slug(p.first)}.{ascii_slug(p.last)}{index}@example.org\n")
    elif r < 0.55:
        fm.append("email:\n")
    if rng.random() < 0.3:
        fm.append(f'phone: "+49 170 {rng.randint(1000000, 9999999)}"\n')
    if rng.random() < 0.15:
        fm.append(f"linkedin: https://www.linkedin.com/in/{ascii_slug(p.first)}-{index}\n")
    if p.interests:
        fm.append(yaml_list("interests", p.interests, flow))
    needs = [pick_topic(rng) for _ in range(rng.choice((0, 0, 0, 1, 1, 2)))]
    if needs:
        fm.append(yaml_list("needs", sorted(set(needs)), flow))
    offers = [
        f"{rng.choice(OFFER_PREFIXES)} {pick_topic(rng)}"
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2)))
    ]
    if offers:
        fm.append(yaml_list("offers", sorted(set(offers)), flow))
    known = pick_others(index, rng.choice((0, 0, 1, 1, 2, 3, 4, 5)), len(people), hubs, rng)
    if known:
        fm.append(yaml_list("knows", [f"[[{people[k].name}]]" for k in known], False, True))
    if rng.random() < 0.05:
        other = pick_others(index, 1, len(people), hubs, rng)
        if other:
            fm.append(f'introduced_by: "[[{people[other[0]].name}]]"\n')
    if p.tier is not None and rng.random() < 0.05:
        fm.append(f"cadence: {rng.choice(CADENCES)}\n")
    if rng.random() < 0.01:
        fm.append(f"snooze_until: {(TODAY + timedelta(days=rng.randint(-20, 60))).isoformat()}\n")
    if rng.random() < 0.01:
        fm.append("paused: true\n")
    if rng.random() < 0.1:
        fm.append(f"met_at: {rng.choice(('conference', 'party', 'work', 'school'))}\n")
    fm.append("---\n")

    interest = p.interests[0] if p.interests else rng.choice(INTERESTS)
    body = [f"# {p.name}\n\n"]
    for sentence in rng.sample(SENTENCES, rng.randint(0, 2)):
        body.append(
            sentence.format(interest=interest, topic=pick_topic(rng), location=location) + "\n"
        )
    n_log = rng.choice((0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6))
    if n_log or rng.random() < 0.3:
        body.append("\n## Log\n")
        dates = sorted((days_ago(rng, 1, 730) for _ in range(n_log)), reverse=True)
        for d in dates:
            kind = rng.choices(LOG_KINDS, weights=LOG_KIND_WEIGHTS)[0]
            if kind == "intro":
                other = pick_others(index, 1, len(people), hubs, rng)
                text = f"introduced to [[{people[other[0]].name}]]" if other else "introduced"
            else:
                text = rng.choice(LOG_TEXTS).format(interest=interest, topic=pick_topic(rng))
            body.append(f"- {d.isoformat()} {kind}: {text}\n")
    return "".join(fm) + "\n" + "".join(body)


def quote_if_needed(value: str) -> str:
    return f'"{value}"' if needs_quotes(value) else value


def pick_others(index: int, count: int, total: int, hubs: int, rng: random.Random) -> list[int]:
    """Up to ``count`` distinct other contacts; 30% of picks go to the first ``hubs`` people."""
    out: list[int] = []
    for _ in range(count * 2):
        if len(out) == count:
            break
        k = int(hubs * rng.random() ** 2) if rng.random() < 0.3 else rng.randrange(total)
        if k != index and k not in out:
            out.append(k)
    return out


def render_daily(
    day: date, people: list[Person], close: list[int], rng: random.Random
) -> tuple[str, int]:
    """The Markdown text of one journal note and the number of contacts it mentions."""
    lines = [f"# {day.isoformat()}\n\n"]
    mentioned = rng.choice((0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8))
    for _ in range(rng.randint(0, 2)):
        lines.append(f"{rng.choice(DAILY_FILLER)}\n")
    for _ in range(mentioned):
        k = rng.choice(close) if close and rng.random() < 0.5 else rng.randrange(len(people))
        p = people[k]
        r = rng.random()
        if r < 0.1 and p.aliases:
            link = f"[[{p.aliases[0]}]]"
        elif r < 0.25:
            link = f"[[{p.name}|{p.first}]]"
        else:
            link = f"[[{p.name}]]"
        r = rng.random()
        if r < 0.2:
            lines.append(f"- [ ] {rng.choice(DAILY_TASKS)} {link}\n")
        elif r < 0.28:
            lines.append(f"- [x] {rng.choice(DAILY_TASKS)} {link} ✅ {day.isoformat()}\n")
        elif r < 0.31:
            lines.append(f"> {link} once said: never eat lunch alone\n")
        else:
            text = rng.choice(DAILY_TEXTS).format(
                link=link,
                interest=rng.choice(INTERESTS),
                topic=pick_topic(rng),
                location=rng.choice(LOCATIONS),
            )
            lines.append(f"- {text}\n")
    return "".join(lines), mentioned


CONFIG = """\
# netzwerk benchmark vault (generated by bench/generate.py); every value is the default
contacts = ["People"]
journal = ["Daily"]
digest_dir = "Digests"
week_start = "monday"
"""


def generate_vault(
    out: Path, contacts: int, seed: int = 1, journal_days: int = 365, config: bool = True
) -> dict[str, int]:
    """Write the vault into ``out`` and return a few counts."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    if config:
        (out / "netzwerk.toml").write_text(CONFIG, encoding="utf-8", newline="\n")
        (out / ".gitignore").write_text(".netzwerk/\n", encoding="utf-8", newline="\n")

    used = set()
    people: list[Person] = []
    for name, first, last in person_names(contacts, rng):
        used.add(fold(name))
        people.append(
            Person(
                name=name,
                first=first,
                last=last,
                folder=rng.choice(FOLDERS),
                tier=assign_tier(rng),
                interests=rng.sample(INTERESTS, rng.choice((0, 1, 1, 2, 2, 3))),
            )
        )
    for p in people:
        if rng.random() < 0.1:
            alias = f"{p.first} {p.last[0]}."
            if fold(alias) not in used:
                used.add(fold(alias))
                p.aliases.append(alias)
    # The first 0.5% of people are picked far more often in `knows`, so they become hubs.
    hubs = max(1, contacts // 200)
    investors = {i for i in range(contacts) if rng.random() < 0.005}
    if contacts:
        investors.add(contacts // 2)  # `path investor` always has a target

    people_dir = out / "People"
    for folder in FOLDERS:
        (people_dir / folder).mkdir(parents=True, exist_ok=True)
    for i, p in enumerate(people):
        text = render_contact(p, i, people, hubs, rng, i in investors)
        path = os.path.join(people_dir, p.folder, p.name + ".md")
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)

    daily_dir = out / "Daily"
    daily_dir.mkdir(parents=True, exist_ok=True)
    close = [i for i, p in enumerate(people) if p.tier in ("10", "50")]
    links = 0
    for n in range(journal_days, 0, -1):
        day = TODAY - timedelta(days=n)
        text, mentioned = render_daily(day, people, close, rng) if people else ("", 0)
        links += mentioned
        with open(daily_dir / f"{day.isoformat()}.md", "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    return {
        "contacts": contacts,
        "journal_notes": journal_days,
        "journal_links": links,
        "investors": len(investors),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="vault folder to write (created if missing)")
    parser.add_argument("--contacts", type=int, required=True, help="number of contact notes")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--journal-days", type=int, default=365, help="daily notes before 2026-11-23 (365)"
    )
    parser.add_argument("--no-config", action="store_true", help="do not write netzwerk.toml")
    args = parser.parse_args(argv)
    if args.contacts < 0 or args.journal_days < 0:
        parser.error("--contacts and --journal-days must not be negative")
    if (args.out / "People").exists():
        parser.error(f"{args.out / 'People'} exists; use an empty folder")
    start = time.perf_counter()
    counts = generate_vault(
        args.out, args.contacts, args.seed, args.journal_days, config=not args.no_config
    )
    elapsed = time.perf_counter() - start
    summary = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
    print(f"{args.out}: {summary} in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
