"""The relationship account (what the user gave and got) and the tier review (who belongs in
which circle), from each person's Facts and the date."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from itertools import pairwise
from typing import NamedTuple

from netzwerk.config import Config
from netzwerk.model import TARGET, Duration, Facts, Tier
from netzwerk.network.match import name_key
from netzwerk.schedule import cadence_of
from netzwerk.text import duration_words, plural, times

GIVE_FIRST = "give first"
ONLY_TAKES = "only takes"
ONLY_TAKES_AFTER = 3  # gave this often and never got anything back
RECENT_DAYS = 90  # the window for promotion candidates
PROMOTE_AFTER = 3  # contacts within RECENT_DAYS
PROMOTE_CADENCE_DAYS = 60  # only tiers this slow (or never) are candidates for promotion
SILENT_CADENCES = 3  # silent for this many cadences: a demotion candidate
_SHORTEST = {"d": 1, "w": 7, "m": 28, "y": 365}  # the fewest days a unit of a cadence has


# --------------------------------------------------------------------------- balance


class Balance(NamedTuple):
    """The relationship account with one person: what the user gave and got."""

    person: Facts
    gave: int
    got: int
    gave_12m: int
    got_12m: int
    status: str | None  # "give first" | "only takes" | None
    last_gave: date | None = None
    last_got: date | None = None

    @property
    def reason(self) -> str:
        """The status in words."""
        if self.status == GIVE_FIRST:
            return f"you got {times(self.got)} from {self.person.name} and never gave"
        if self.status == ONLY_TAKES:
            return f"you gave {self.person.name} {times(self.gave)} and never got anything"
        return f"gave {self.gave}, got {self.got}"

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "name": self.person.name,
            "path": self.person.path,
            "gave": self.gave,
            "got": self.got,
            "gave_12m": self.gave_12m,
            "got_12m": self.got_12m,
            "status": self.status,
            "last_gave": self.last_gave.isoformat() if self.last_gave else None,
            "last_got": self.last_got.isoformat() if self.last_got else None,
            "reason": self.reason,
        }


def balance_of(person: Facts, today: date) -> Balance:
    """One person's account; log lines dated after `today` do not count yet. Of someone who
    has died the account is kept, without a status (nothing to give back)."""
    now = today.toordinal()
    since = now - 365
    gave = [day for day in person.gave if day <= now]
    got = [day for day in person.got if day <= now]
    status: str | None = None
    if not person.died and got and not gave:
        status = GIVE_FIRST
    elif not person.died and len(gave) >= ONLY_TAKES_AFTER and not got:
        status = ONLY_TAKES
    return Balance(
        person,
        len(gave),
        len(got),
        sum(1 for day in gave if day > since),
        sum(1 for day in got if day > since),
        status,
        date.fromordinal(gave[-1]) if gave else None,
        date.fromordinal(got[-1]) if got else None,
    )


_STATUS_RANK = {GIVE_FIRST: 0, ONLY_TAKES: 1, None: 2}


def balances(people: Iterable[Facts], today: date) -> list[Balance]:
    """Gave vs got of everyone with an entry; flagged accounts first, then by name."""
    rows = [
        row
        for person in people
        if (person.gave or person.got) and ((row := balance_of(person, today)).gave or row.got)
    ]
    rows.sort(key=lambda b: (_STATUS_RANK[b.status], name_key(b.person.name)))
    return rows


# --------------------------------------------------------------------------- review


class TierLoad(NamedTuple):
    """How full a tier is."""

    tier: Tier
    members: int

    @property
    def over(self) -> int:
        """How many people more than the tier's capacity (0 when within)."""
        cap = self.tier.capacity
        return 0 if cap is None else max(0, self.members - cap)

    @property
    def reason(self) -> str:
        """The load in words: `Top 10 has 12 people, capacity 10: 2 over`."""
        cap = self.tier.capacity
        if cap is None:
            return f"{self.tier.label} has {self.members} people"
        if self.over:
            return f"{self.tier.label} has {self.members} people, capacity {cap}: {self.over} over"
        return f"{self.tier.label} has {self.members} of {cap} people"

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "tier": self.tier.name,
            "label": self.tier.label,
            "count": self.members,
            "capacity": self.tier.capacity,
            "over": self.over,
            "reason": self.reason,
        }


class Suggestion(NamedTuple):
    """A suggested tier change; netzwerk never makes it itself."""

    person: Facts
    current: str | None
    suggested: str | None
    reason: str
    recent: int = 0  # contacts in the last RECENT_DAYS days
    silent_days: int | None = None
    weight: float = 0.0  # for a demotion: how many times the cadence they have been silent
    since: date | None = None  # for a demotion: the last contact
    cadence: Duration | None = None  # for a demotion: the cadence they are silent beyond

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "name": self.person.name,
            "path": self.person.path,
            "tier": self.current,
            "suggested": self.suggested,
            "recent_contacts": self.recent,
            "silent_days": self.silent_days,
            "reason": self.reason,
        }


class Unclassified(NamedTuple):
    """A contact without a tier, with how often the notes mention them."""

    person: Facts
    mentions: int
    last: date | None

    @property
    def reason(self) -> str:
        """`mentioned 3 times; last contact 2026-09-14`."""
        said = f"mentioned {times(self.mentions)}" if self.mentions else "not mentioned elsewhere"
        seen = f"last contact {self.last.isoformat()}" if self.last else "no contact recorded"
        return f"{said}; {seen}"

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "name": self.person.name,
            "path": self.person.path,
            "mentions": self.mentions,
            "last_contact": self.last.isoformat() if self.last else None,
            "reason": self.reason,
        }


class Drift(NamedTuple):
    """Someone silent for twice their own rhythm: the median gap between their contacts."""

    person: Facts
    usual: float  # the median gap between their recorded contacts, in days
    silent: int  # days since the last contact
    contacts: int  # how many days with a recorded contact

    @property
    def reason(self) -> str:
        """`you usually talk every 3 weeks; it has been 7 weeks`."""
        if self.usual >= 14:
            return (
                f"you usually talk {duration_words(round(self.usual / 7), 'w', every=True)}; "
                f"it has been {plural(self.silent // 7, 'week')}"
            )
        every = duration_words(max(1, round(self.usual)), "d", every=True)
        return f"you usually talk {every}; it has been {plural(self.silent, 'day')}"

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "name": self.person.name,
            "path": self.person.path,
            "usual_gap_days": self.usual,
            "silent_days": self.silent,
            "contacts": self.contacts,
            "reason": self.reason,
        }


DRIFT_CONTACTS = 4  # a rhythm needs this many recorded contacts
DRIFT_TIMES = 2  # silent for more than this many times the rhythm: drifting


def drift_of(person: Facts, config: Config, day: date) -> Drift | None:
    """Whether someone scheduled (a cadence, not paused) has been silent for more than twice
    their own rhythm on `day`, even while their cadence is not yet due; None if not."""
    if len(person.days) < DRIFT_CONTACTS or person.paused:
        return None  # (most people: one look)
    now = day.toordinal()
    days = person.days if person.days[-1] <= now else [d for d in person.days if d <= now]
    if len(days) < DRIFT_CONTACTS:
        return None
    cadence = cadence_of(person, config)
    if cadence is None or cadence.never:
        return None
    gaps = sorted(b - a for a, b in pairwise(days))
    middle = len(gaps) // 2
    usual = gaps[middle] if len(gaps) % 2 else (gaps[middle - 1] + gaps[middle]) / 2
    silent = now - days[-1]
    if silent <= DRIFT_TIMES * usual:
        return None
    return Drift(person, float(usual), silent, len(days))


def drifting(people: Iterable[Facts], config: Config, day: date) -> list[Drift]:
    """Everyone drifting on `day`: the longest silence relative to their rhythm first."""
    found = [
        d
        for p in people
        if len(p.days) >= DRIFT_CONTACTS and (d := drift_of(p, config, day)) is not None
    ]
    found.sort(key=lambda d: (-d.silent / max(d.usual, 1), *name_key(d.person.name)))
    return found


class Review(NamedTuple):
    """Tier re-evaluation: load per tier and suggested changes."""

    tiers: tuple[TierLoad, ...]
    promote: tuple[Suggestion, ...]
    demote: tuple[Suggestion, ...]
    unclassified: tuple[Unclassified, ...]
    drift: tuple[Drift, ...] = ()  # silent twice their own rhythm (not demotion candidates)

    @property
    def over_capacity(self) -> tuple[TierLoad, ...]:
        """The tiers holding more people than their capacity."""
        return tuple(t for t in self.tiers if t.over)

    def as_dict(self) -> dict[str, object]:
        """The JSON form of `--format json`."""
        return {
            "tiers": [t.as_dict() for t in self.tiers],
            "over_capacity": [t.as_dict() for t in self.over_capacity],
            "promote": [s.as_dict() for s in self.promote],
            "demote": [s.as_dict() for s in self.demote],
            "unclassified": [u.as_dict() for u in self.unclassified],
            "drift": [d.as_dict() for d in self.drift],
        }


def recent_days(person: Facts, today: date) -> int:
    """The distinct days with a recorded contact in the RECENT_DAYS up to today."""
    now = today.toordinal()
    return bisect_right(person.days, now) - bisect_right(person.days, now - RECENT_DAYS)


def review(
    people: Sequence[Facts], config: Config, today: date, *, drift_on: date | None = None
) -> Review:
    """Tiers over capacity, promotion and demotion candidates, unclassified contacts, and
    drifting ones (as of `drift_on`, else today)."""
    loads = tier_loads(config.tiers, tier_counts(people))
    promote, demote = suggestions(people, config, today)
    demoted = {s.person.path for s in demote}
    drifted = drifting(people, config, drift_on or today)
    drift = [d for d in drifted if d.person.path not in demoted]
    promote = unless_drifting(promote, {d.person.path for d in drift})
    # Someone without a tier whom a tier is suggested for is listed there, once.
    promoted = {s.person.path for s in promote if s.current is None}
    unclassified = [u for u in unclassified_of(people) if u.person.path not in promoted]
    return Review(loads, tuple(promote), tuple(demote), tuple(unclassified), tuple(drift))


def unclassified_of(people: Iterable[Facts]) -> list[Unclassified]:
    """Everyone without a tier, the most mentioned first."""
    found = [
        Unclassified(p, p.mentions, p.last.date if p.last else None)
        for p in people
        if p.tier is None and not p.died
    ]
    found.sort(key=lambda u: (-u.mentions, *name_key(u.person.name)))
    return found


def unless_drifting(promote: list[Suggestion], drifting: Collection[str]) -> list[Suggestion]:
    """The promotions but of people drifting (by path): many contacts lately, and now a
    silence twice their rhythm, is no case for a closer tier (the drift is the one to act on)."""
    return [s for s in promote if s.person.path not in drifting]


def suggestions(
    people: Iterable[Facts], config: Config, today: date
) -> tuple[list[Suggestion], list[Suggestion]]:
    """Who is worth a closer tier (the most recent contacts first) and who a colder one (the
    longest silence for their cadence first) on `today`."""
    tiers = config.tiers
    rank = {tier.name: i for i, tier in enumerate(tiers)}
    scheduled = [t for t in tiers if not t.cadence.never]
    by_name = {tier.name: tier for tier in tiers}
    promote: list[Suggestion] = []
    demote: list[Suggestion] = []
    for person in people:
        if person.died:
            continue  # (often in touch in their last weeks: no case for a tier)
        tier = by_name.get(person.tier) if person.tier is not None else None
        seen = person.last
        recent = recent_days(person, today)
        # An unknown tier is a mistake `check` reports, not a level to promote from.
        known = tier is not None or person.tier is None
        if recent >= PROMOTE_AFTER and known and _slow(tier):
            warmer = _warmer(tier, scheduled, rank)
            if warmer is not None:
                if tier is None:
                    expects = "no tier yet"
                elif tier.cadence.never:
                    expects = f"{tier.label} is not scheduled"
                else:
                    every = duration_words(tier.cadence.count, tier.cadence.unit, every=True)
                    expects = f"{tier.label} expects one {every}"
                promote.append(
                    Suggestion(
                        person,
                        person.tier,
                        warmer.name,
                        f"{recent} contacts in the last {RECENT_DAYS} days; {expects}; "
                        f"consider {warmer.label}",
                        recent=recent,
                    )
                )
        if tier is None or person.paused or seen is None:
            continue
        cadence = cadence_of(person, config)
        if cadence is None or cadence.never:
            continue
        silent = (today - seen.date).days
        if silent < SILENT_CADENCES * cadence.count * _SHORTEST[cadence.unit]:
            continue  # (most people: no need to count calendar months)
        limit = Duration(cadence.count * SILENT_CADENCES, cadence.unit).after(seen.date)
        if limit is None or today < limit:
            continue
        colder = _colder(tier, tiers, rank)
        where = f"consider {colder.label}" if colder is not None else "consider letting go"
        every = duration_words(cadence.count, cadence.unit)
        demote.append(
            Suggestion(
                person,
                person.tier,
                colder.name if colder is not None else None,
                f"no contact for {silent} days (since {seen.date.isoformat()}), "
                f"{SILENT_CADENCES} or more times the cadence of {every}; "
                f"{where}",
                recent=recent,
                silent_days=silent,
                weight=silent / max(1, cadence.approx_days()),
                since=seen.date,
                cadence=cadence,
            )
        )
    promote.sort(key=lambda s: (-s.recent, *name_key(s.person.name)))
    demote.sort(key=lambda s: (-s.weight, *name_key(s.person.name)))
    return promote, demote


def may_change_tier(person: Facts, config: Config, first: date, last: date) -> bool:
    """Whether `suggestions` could name `person` on a day from `first` to `last` (given that no
    date in the notes comes between: the Facts hold): enough contacts in the window before
    one of the days, or scheduled and silent for long enough by the last one."""
    window = len(person.days) - bisect_right(person.days, first.toordinal() - RECENT_DAYS)
    if window >= PROMOTE_AFTER:
        return True
    if person.tier is None or person.paused or person.last is None:
        return False
    cadence = cadence_of(person, config)
    if cadence is None or cadence.never:
        return False
    silent = (last - person.last.date).days
    return silent >= SILENT_CADENCES * cadence.count * _SHORTEST[cadence.unit]


def tier_counts(people: Iterable[Facts]) -> dict[str | None, int]:
    """How many contacts each tier name has, as their notes say (None: no tier), of the living."""
    counts: dict[str | None, int] = {}
    for person in people:
        if person.died:
            continue
        counts[person.tier] = counts.get(person.tier, 0) + 1
    return counts


def tier_loads(tiers: Sequence[Tier], counts: Mapping[str | None, int]) -> tuple[TierLoad, ...]:
    """How full each tier is, given how many contacts each tier name has."""
    return tuple(TierLoad(t, counts.get(t.name, 0)) for t in tiers)


def _slow(tier: Tier | None) -> bool:
    """Whether a tier is slow enough that frequent contact suggests a warmer one."""
    if tier is None or tier.cadence.never:
        return True
    return tier.cadence.approx_days() >= PROMOTE_CADENCE_DAYS


def _warmer(tier: Tier | None, scheduled: Sequence[Tier], rank: Mapping[str, int]) -> Tier | None:
    """The next warmer scheduled tier; for no tier or an unscheduled one, the coldest scheduled."""
    if tier is None or tier.cadence.never:
        return scheduled[-1] if scheduled else None
    warmer = [t for t in scheduled if rank[t.name] < rank[tier.name]]
    return warmer[-1] if warmer else None


def _colder(tier: Tier, tiers: Sequence[Tier], rank: Mapping[str, int]) -> Tier | None:
    colder = [t for t in tiers if rank[t.name] > rank[tier.name] and t.name != TARGET]
    return colder[0] if colder else None
