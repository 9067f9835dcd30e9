"""What the digest keeps of trips and of the people you want to meet, found when the notes are
read and kept with the Facts: plain rows, read back on every digest without the modules that
use them."""

from __future__ import annotations

from typing import NamedTuple


class KeptTrip(NamedTuple):
    """A trip and everyone in the places it goes to (`network.places.Located` rows)."""

    path: str
    places: tuple[str, ...]
    start: int  # ordinal
    end: int
    located: tuple[tuple[str, str, tuple[str, ...]], ...]  # (path, where, neighbours' paths)
    intros: tuple[tuple[str, ...], ...]  # `digest.IntroLine` rows among everyone there


class Chains(NamedTuple):
    """The part of the who-knows-whom graph around a target that a search for warm paths of
    up to `week.warmup.MAX_HOPS` hops reads: node -> its neighbours, by name."""

    target: str  # the target's path
    name: str  # their node: the note's title
    ball: tuple[tuple[str, tuple[str, ...]], ...]
