"""Fluents: states that events start and end ("the asylum claim is pending").

A fluent is bound to one case as a list of *episodes*: a starting point and the points that
may end it. With fuzzy dates the order of two points can be unknown, so the fluent's value at a
reference is three-valued:

    holds(ref) = OR over episodes [ started(ref) AND NOT OR over ends (ended(ref) AND start < end) ]

Its value at the end of a day can only change on the first or the last day of a point (from
"not yet" to "maybe" to "certainly happened"), so evaluating at those change points (never day
by day) gives the whole history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from refuge.rules.timeline import Point, Ref, before
from refuge.rules.tri import Tri


@dataclass(frozen=True, slots=True)
class End:
    point: Point
    matches: Tri  # does the event satisfy the terminating pattern?
    after_start: Tri  # is it after the episode's start?


@dataclass(frozen=True, slots=True)
class Episode:
    start: Point
    matches: Tri
    ends: tuple[End, ...] = ()
    key: str = ""  # the event behind the episode (differs from start.key for timeless fluents)

    def holds(self, ref: Ref) -> Tri:
        started = _and(ref.occurred(self.start), self.matches)
        if started is False:
            return False
        ended: Tri = False
        for end in self.ends:
            value = _and(_and(ref.occurred(end.point), end.matches), end.after_start)
            if value is True:
                return False
            if value is None:
                ended = None
        if ended is None:
            return None
        return started


@dataclass(slots=True)
class BoundFluent:
    """A fluent's episodes in one case."""

    name: str
    episodes: list[Episode] = field(default_factory=list)

    def holds(self, ref: Ref) -> Tri:
        result: Tri = False
        for episode in self.episodes:
            value = episode.holds(ref)
            if value is True:
                return True
            if value is None:
                result = None
        return result

    def evidence(self, ref: Ref) -> list[str]:
        """Ids of the events behind the value at ``ref``: live starts and the ends that count."""
        keys: list[str] = []
        for episode in self.episodes:
            if episode.holds(ref) is False and ref.occurred(episode.start) is not True:
                continue
            keys.append(episode.key or episode.start.key)
            keys.extend(
                end.point.key
                for end in episode.ends
                if ref.occurred(end.point) is not False
                and end.matches is not False
                and end.after_start is not False
            )
        return keys

    def change_points(self) -> set[int]:
        days: set[int] = set()
        for episode in self.episodes:
            for point in (episode.start, *(end.point for end in episode.ends)):
                days.add(point.earliest)
                days.add(point.latest)
        return days


def episode(start: Point, matches: Tri, ends: list[tuple[Point, Tri]], key: str = "") -> Episode:
    """An episode from ``start``, ended by whichever of ``ends`` can come after it."""
    live = tuple(
        End(point, m, before(start, point))
        for point, m in ends
        if m is not False and before(start, point) is not False
    )
    return Episode(start, matches, live, key or start.key)


def _and(a: Tri, b: Tri) -> Tri:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True
