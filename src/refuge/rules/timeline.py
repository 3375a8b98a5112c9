"""Points on a timeline and the three-valued "before" between them.

A point is an event (or a derived boundary: a deadline's expiry, a rule version's entry into
force) known to lie somewhere in an inclusive range of days. Days are stored as ordinals so the
comparisons in the engine's inner loop stay cheap.

Two kinds of reference answer "had it happened?":

* ``DayRef(d)`` — the state at the end of day ``d`` (everything dated ``d`` has happened);
* ``EventRef(p)`` — the state just before event ``p`` (used to check a removal against the
  law: an interim measure dated the same day as the removal, order unknown, gives *unknown*).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from refuge.domain import DateRange, Event
from refuge.rules.tri import Tri


@dataclass(frozen=True, slots=True)
class Point:
    key: str  # event id, or a derived id such as "deadline:<id>:<trigger>"
    earliest: int  # date ordinals, inclusive
    latest: int
    sequence: int | None = None
    event: Event | None = None

    @classmethod
    def of_event(cls, event: Event) -> Point:
        return cls(
            event.id,
            event.date.earliest.toordinal(),
            event.date.latest.toordinal(),
            event.sequence,
            event,
        )

    @classmethod
    def derived(cls, key: str, earliest: date, latest: date) -> Point:
        return cls(key, earliest.toordinal(), latest.toordinal())

    @property
    def range(self) -> DateRange:
        return DateRange(date.fromordinal(self.earliest), date.fromordinal(self.latest))


def before(a: Point, b: Point) -> Tri:
    """Is ``a`` strictly before ``b``? Unknown where their ranges overlap or order is unknown."""
    if a is b or a.key == b.key:
        return False
    if a.latest < b.earliest:
        return True
    if b.latest < a.earliest:
        return False
    # The ranges overlap. Sequence numbers, where the author gave both, state the order.
    if a.sequence is not None and b.sequence is not None and a.sequence != b.sequence:
        return a.sequence < b.sequence
    return None


@dataclass(frozen=True, slots=True)
class DayRef:
    day: int  # ordinal
    key: tuple[str, int] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", ("day", self.day))  # memo key, built once

    def occurred(self, point: Point) -> Tri:
        if point.latest <= self.day:
            return True
        if point.earliest > self.day:
            return False
        return None


@dataclass(frozen=True, slots=True)
class EventRef:
    point: Point
    key: tuple[str, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", ("event", self.point.key))  # memo key, built once

    @property
    def day(self) -> int:
        return self.point.latest

    @property
    def span(self) -> tuple[int, int]:
        """The days the event may fall on: the date judged for the law then binding."""
        return (self.point.earliest, self.point.latest)

    def occurred(self, point: Point) -> Tri:
        return before(point, self.point)


Ref = DayRef | EventRef
