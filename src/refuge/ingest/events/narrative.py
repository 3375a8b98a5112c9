"""Bounding undated events by the procedure and ordering same-period events.

Why: a report rarely dates every step. "Kazakh authorities refused his claim in late November"
and "an appeals court upheld his deportation on Wednesday" date two steps; the removal reported
on Friday falls between the ruling and the report. The bounds come from the precedence table
of :mod:`dates`, never from a guess, and the interval keeps the words that justify it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from refuge.domain import DateRange
from refuge.ingest.events.dates import PRECEDES


@dataclass(slots=True)
class EventDraft:
    """An event being built: the merged mentions of one happening to one person."""

    type: str
    attrs: dict[str, Any]
    mentions: list[int]  # indexes of the trigger mentions
    words: list[str]  # the trigger words, for explainability
    position: int  # offset of the first mention (narrative order)
    date: DateRange | None = None
    report_day: datetime.date | None = None
    before_mention: int | None = None  # comes before the event holding this mention
    same_date_as: int | None = None  # shares the date of the event holding this mention
    after_return: bool = False  # happened in the origin state after the removal
    state: bool = False  # a background state ("wanted for")
    anchored: bool = False  # dated or tied to a dated event by the text
    sequence: int | None = None
    label: str | None = None
    sentence: int = -1  # index of the first mention's sentence
    lasted: str | None = None  # "spent a year behind bars": dated by its end (began_before)


#: "after spending exactly one year behind bars": a custody that began that long before.
_SPENT = re.compile(
    r"\b(?:spent|spending)\s+(?:exactly\s+|nearly\s+|almost\s+|about\s+|over\s+|more\s+than\s+)?"
    r"(an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+"
    r"(day|week|month|year)s?\b",
    re.I,
)
_COUNT = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip


def began_before(words: str, date: DateRange) -> DateRange | None:
    """A custody told by its length ("spent a year behind bars", dated by its end) began that
    long before the date the sentence gives; the interval keeps its width."""
    spent = _SPENT.search(words)
    if spent is None:
        return None
    count = _COUNT.get(spent.group(1).lower()) or int(spent.group(1))
    unit = spent.group(2).lower()
    days = {"day": 1, "week": 7}.get(unit)
    if days is not None:
        delta = datetime.timedelta(days=days * count)
        return DateRange(
            date.earliest - delta, date.latest - delta, f"{date.text} minus {count} {unit}s"
        )
    months = count * (12 if unit == "year" else 1)
    return DateRange(
        _months_back(date.earliest, months),
        _months_back(date.latest, months),
        f"{spent.group(0)} before {date.text}",
    )


def _months_back(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, d)
        except ValueError:
            continue
    return datetime.date(year, month + 1, 28)


_DECISIONS = frozenset({"asylum_decision", "expulsion_order", "extradition_decision", "conviction"})


def _precedes(a: EventDraft, b: EventDraft) -> bool:
    """Does the procedure put ``a`` before ``b``? Appeals follow only the decision they attack."""
    if a.type not in PRECEDES.get(b.type, frozenset()):
        return False
    against = b.attrs.get("against")
    if b.type in ("appeal_lodged", "appeal_decision") and against:
        if a.type in _DECISIONS and a.type != against:
            return False
        if a.type == "appeal_lodged" and a.attrs.get("against") not in (None, against):
            return False
    return True


def _predecessors(event: EventDraft, events: list[EventDraft]) -> list[EventDraft]:
    out = [e for e in events if e is not event and _precedes(e, event)]
    if event.after_return:
        out += [e for e in events if e.type == "removal"]
    if event.type == "removal" or event.after_return:
        return out
    first_detention = min(
        (e for e in out if e.type == "detention" and e.date),
        key=lambda e: e.date.earliest,  # type: ignore[union-attr]
        default=None,
    )
    return [e for e in out if e.type != "detention" or e is first_detention]


def _owner(mention: int | None, events: list[EventDraft]) -> EventDraft | None:
    if mention is None:
        return None
    return next((e for e in events if mention in e.mentions), None)


#: The lower bound of a step the text gives no earlier limit for: open, not a guessed year.
OPEN_START = datetime.date(1900, 1, 1)


def bound_undated(
    events: list[EventDraft],
    report: DateRange | None,
    keep_unanchored: bool,
    story_start: datetime.date | None = None,
) -> list[EventDraft]:
    """Give every undated event an interval; drop those the text ties to nothing datable
    unless the report has a day (then "before the report" is a useful bound).

    The lower bound, when no preceding step is dated: the first dated step of the case, else
    the start of the period a report covers (an annual report's year), else ``story_start``
    (the earliest date the report mentions)."""
    for event in events:
        shared = _owner(event.same_date_as, events)
        if event.date is None and shared is not None and shared.date is not None:
            event.date = DateRange(shared.date.earliest, shared.date.latest, shared.date.text)
            if event.lasted:
                event.date = began_before(event.lasted, event.date) or event.date
            event.anchored = True
    kept: list[EventDraft] = []
    for event in events:
        main = _owner(event.before_mention, events)
        if event.date is None and event.lasted and main is not None and main.date is not None:
            # "released after spending a year behind bars": it began a year before the release
            event.date = began_before(event.lasted, main.date)
        if event.date is not None:
            event.anchored = True
            kept.append(event)
            continue
        bounded = _bound(event, events, report, story_start)
        if bounded is None or (not event.anchored and not keep_unanchored):
            continue
        event.date = bounded
        kept.append(event)
    return kept


def _bound(
    event: EventDraft,
    events: list[EventDraft],
    report: DateRange | None,
    story_start: datetime.date | None,
) -> DateRange | None:
    dated = [e for e in events if e.date is not None]
    lows = [e.date.earliest for e in _predecessors(event, dated) if e.date]
    highs: list[datetime.date] = []
    why: list[str] = []
    main = _owner(event.before_mention, events)
    if main is not None and main.date is not None:
        highs.append(main.date.latest)
        why.append(f"before the {main.type.replace('_', ' ')}")
    for later in dated:
        if (
            later is not event
            and later.date is not None
            and event.type != "detention"
            and _precedes(event, later)
        ):
            highs.append(later.date.latest)
    if event.report_day is not None:
        highs.append(event.report_day)
        why.append("no later than the report of it")
    elif report is not None:
        highs.append(report.latest)
    if lows:
        event.anchored = True
        why.insert(0, "after the preceding steps")
    if main is not None or event.report_day is not None:
        event.anchored = True
    if not highs:
        return None
    latest = min(highs)
    if lows and max(lows) <= latest:
        earliest = max(lows)
    else:
        starts = [e.date.earliest for e in dated if e.date and e.date.earliest <= latest]
        if not starts and report is not None and not report.exact:
            starts = [report.earliest]
        if not starts and story_start is not None:
            starts = [story_start]
        starts = [day for day in starts if day <= latest]
        if not starts and report is not None and report.exact:
            starts = [OPEN_START]  # a dated news report whose text dates nothing: "before it"
            why.append("no earlier bound in the text")
        if not starts:
            return None
        earliest = min(starts)
        why.append("within the story told")
    return DateRange(
        earliest, latest, "not dated in the text: " + ", ".join(why or ["before the report"])
    )


def _depth(
    event: EventDraft,
    events: list[EventDraft],
    seen: frozenset[int] = frozenset(),
    memo: dict[int, int] | None = None,
) -> int:
    """Longest chain of known predecessors (the procedure's order plus "after" clauses)."""
    memo = {} if memo is None else memo
    if id(event) in seen:
        return 0
    if id(event) in memo:
        return memo[id(event)]
    before = _predecessors(event, events)
    before += [
        e
        for e in events
        if e is not event
        and (e.before_mention in event.mentions or e.same_date_as in event.mentions)
    ]
    depth = 1 + max((_depth(e, events, seen | {id(event)}, memo) for e in before), default=0)
    memo[id(event)] = depth
    return depth


def assign_sequence(events: list[EventDraft]) -> None:
    """Number the events whose dates overlap another event they are ordered with.

    Sequence numbers state an order for *every* pair of numbered events whose dates overlap,
    so a number is withdrawn (from the vaguer event) wherever two overlapping numbered events
    are not ordered by the narrative: no order is ever asserted that the text does not give.
    """
    memo: dict[int, int] = {}
    depth = {id(e): _depth(e, events, memo=memo) for e in events}
    for a in events:
        for b in events:
            if a is b or a.date is None or b.date is None or not a.date.overlaps(b.date):
                continue
            if depth[id(a)] != depth[id(b)] and _related(a, b, events):
                a.sequence = depth[id(a)]
                b.sequence = depth[id(b)]
    while (conflict := _conflict(events)) is not None:
        conflict.sequence = None


def _conflict(events: list[EventDraft]) -> EventDraft | None:
    """The vaguer of two overlapping numbered events that the narrative does not order."""
    numbered = [e for e in events if e.sequence is not None and e.date is not None]
    for i, a in enumerate(numbered):
        for b in numbered[i + 1 :]:
            assert a.date is not None and b.date is not None
            if a.sequence == b.sequence or not a.date.overlaps(b.date) or _related(a, b, events):
                continue
            width_a = (a.date.latest - a.date.earliest).days
            width_b = (b.date.latest - b.date.earliest).days
            return a if width_a >= width_b else b
    return None


def _related(a: EventDraft, b: EventDraft, events: list[EventDraft]) -> bool:
    return (
        b in _predecessors(a, events)
        or a in _predecessors(b, events)
        or any(
            x.before_mention in y.mentions or x.same_date_as in y.mentions
            for x, y in ((a, b), (b, a))
        )
    )
