"""Write a deterministic LinkedIn `Connections.csv` for timing `netzwerk import`.

Usage: python bench/linkedin.py OUT.csv --vault VAULT [--rows 10000] [--seed 7]

Half the rows are people of VAULT (a vault made by bench/generate.py): a third of those
by their e-mail address, the rest by name (with the LinkedIn URL their note has, if any);
the other half are new people. Like a real export it starts with LinkedIn's "Notes:"
preamble, most rows have no e-mail, and a few rows are hidden members (`,,,,,,02 Jun 2022`),
have credentials after the family name or a pictograph in it. The same arguments always
give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
from datetime import date, timedelta
from pathlib import Path

PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n\n'
)
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Names that bench/generate.py does not use, for the new people.
NEW_FIRST = words(
    "Aarav Bodil Cosmin Dagny Eero Fenna Gideon Halvard Ilona Jarno Kalani Linnea Mirela "
    "Nandor Oona Pieter Quirin Rasmus Saoirse Tjark Ulla Vesna Wiebke Xaver Yrsa Zdenek "
    "Anouk Bastiaan Csilla Dorota Eamon Faustyna Gunnar Hedda Ismo Jovana Kasimir Liesel "
    "Matthis Nele Ottilie Pelle Rieke Sigrun Teodor Urszula Valdemar Wanda Ylva Zeno "
    "Arvid Brigitta Cornelis Dineke Edvard Frauke Gerrit Henrike Ingmar Jolien Klaas "
    "Lieke Marit Nanne Onno Pernille Runa Sjoerd Tove Ulrik Vibeke Wouter Yannick"
)
NEW_LAST = words(
    "Aaltonen Brekke Ciobanu Dahlberg Eklund Fjeld Grabowski Halonen Ilves Jankowski Kask "
    "Lindholm Mäkelä Nordin Oksanen Pihlaja Quist Rantanen Salonen Tamm Uusitalo Virtanen "
    "Wikström Ylönen Zając Aune Bakke Christensen Dvořák Engström Falk Gulbrandsen Holm "
    "Isaksen Jørgensen Kvist Lund Moen Nygaard Ottesen Pettersen Rød Strand Thorsen Ueland "
    "Vik Wold Åberg Østby Andresen Bergstrøm Carlén Dijkstra Eide Fossum Grønlund "
    "Haugen Iversen Jacobsen Kolstad Lysne Myklebust Nilsen Ødegaard Paulsen Ruud Sæther "
    "Tveit Ulstein Vestby Walde"
)
COMPANIES = (
    "Northwind Traders",
    "Contoso",
    "Fabrikam",
    "Tailspin Toys",
    "Wide World Importers",
    "Lucerne Publishing",
    "Adventure Works",
    "Litware",
    "Proseware",
    "Ελληνικά Τρόφιμα ΑΕ",
    " -",
)
POSITIONS = ("Engineer", "Product Manager", "Designer", "Founder", "Consultant", "Recruiter", "")
MONTHS = words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def people(vault: Path) -> list[tuple[str, str, str]]:
    """(name, first e-mail, LinkedIn URL) of each note of the vault, sorted by path."""
    found = []
    for path in sorted((vault / "People").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        email = re.search(r"^email: (\S+)$", text, re.MULTILINE)
        url = re.search(r"^linkedin: (\S+)$", text, re.MULTILINE)
        found.append((path.stem, email.group(1) if email else "", url.group(1) if url else ""))
    return found


def rows(vault: Path, count: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    known = people(vault)
    rng.shuffle(known)
    names = [(f, last) for f in NEW_FIRST for last in NEW_LAST]
    rng.shuffle(names)  # each new person once: namesakes are another benchmark
    made: list[list[str]] = []
    start = date(2012, 1, 1)
    for index in range(count):
        day = start + timedelta(days=rng.randrange(5000))
        connected = f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"
        company, position = rng.choice(COMPANIES), rng.choice(POSITIONS)
        if index % 200 == 199:  # a hidden or closed member
            made.append(["", "", "", "", "", "", connected])
            continue
        if index % 2 == 0 and known:
            name, email, url = known.pop()
            first, _, last = name.partition(" ")
            if not (index % 3 == 0 and email):
                email = ""
            url = url or f"https://www.linkedin.com/in/{slug(name)}-{index}"
        else:
            first, last = names.pop() if names else (rng.choice(NEW_FIRST), rng.choice(NEW_LAST))
            email = f"{slug(first)}.{slug(last)}{index}@example.net" if index % 9 == 0 else ""
            url = f"https://www.linkedin.com/in/{slug(first)}-{slug(last)}-{index}"
            if index % 97 == 0:
                last += ", MBA"
            elif index % 89 == 0:
                last += " 🍀"
        made.append([first, last, url, email, company, position, connected])
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--vault", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows(args.vault, args.rows, args.seed))
    args.out.write_text(PREAMBLE + buffer.getvalue(), encoding="utf-8")
    print(f"wrote {args.out} ({args.rows} rows)")


if __name__ == "__main__":
    main()
