"""The geometry of a case's timeline, drawn by the template as inline SVG, twice: a wide
drawing (time runs left to right on a real date axis) and a narrow one for phones (time runs
down, one row per event, so text keeps its size at 360 px).

Every label is laid out here with its box, and no two boxes overlap: in the wide drawing an
event's label sits beside its mark in the first *lane* (row) where it fits, which is how a
Gantt chart avoids collisions; in the narrow one each event has its own row, wrapped to the
width. Text widths are estimated generously (``CHAR``, about the advance of a wide Latin or
Cyrillic letter), so the real glyphs stay inside their boxes; the Chromium tests measure them.

A fuzzy date is a bar from its earliest to its latest day (an exact date is a dot), so the
page never shows a guess as a point. Removals and orders to remove are drawn in the danger
class, steps that protect the person in the safe class. The protections the law engine finds
in force are bands from the event they rest on to the reference day; running deadlines are
bands from their trigger to their last day. All numbers are computed here and the template
only places them (no inline style: the CSP forbids it). The reference day comes from the
caller; nothing here reads the clock.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from refuge.domain import Case, DateRange
from refuge.rules.results import Evaluation, Finding
from refuge.services.case_summary import day_text, range_text

Scale = Callable[[date], float]  # a day to its x
FONT = 13  # user units; the wide drawing is never shown narrower than NARROWEST_WIDE px
CHAR = 0.62 * FONT  # a generous advance per character
WIDE = 800
NARROW = 360
NARROWEST_WIDE = 760  # the CSS breakpoint (px) below which the narrow drawing is shown
PAD = 12
LANE = 28
BAND = 24
MAX_BANDS = 6
DANGER = {"removal", "expulsion_order", "extradition_decision", "extradition_request"}
SAFE = {
    "asylum_application",
    "asylum_registration",
    "appeal_lodged",
    "interim_measures_request",
    "interim_measures",
    "status_grant",
    "release",
}


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )

    def inside(self, width: float, height: float) -> bool:
        return (
            self.x >= 0
            and self.y >= 0
            and self.x + self.width <= width
            and (self.y + self.height <= height)
        )


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float  # the baseline
    text: str
    anchor: str  # start | end
    cls: str
    full: str  # the whole text when ``text`` had to be shortened

    @property
    def box(self) -> Box:
        width = len(self.text) * CHAR
        left = self.x - width if self.anchor == "end" else self.x
        return Box(round(left, 1), round(self.y - FONT, 1), round(width, 1), FONT + 4)


@dataclass(frozen=True, slots=True)
class Shape:
    tag: str  # rect | circle | line
    cls: str
    attrs: tuple[tuple[str, float], ...]
    title: str = ""


@dataclass(frozen=True, slots=True)
class Drawing:
    width: int
    height: int
    shapes: tuple[Shape, ...]
    labels: tuple[Label, ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    wide: Drawing
    narrow: Drawing
    start: str
    end: str
    events: int


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to draw: an event (with its number) or a band (protection, deadline)."""

    when: DateRange
    kind: str  # danger | safe | neutral | protection | deadline
    text: str
    status: str = ""  # bands: certain | possible | unknown; events: draft | ""


def draw(case: Case, evaluation: Evaluation | None, today: date) -> Timeline:
    """Lay out ``case``'s events (and the protections and deadlines found) both ways."""
    events = _events(case)
    bands = _bands(case, evaluation, today)[:MAX_BANDS]
    days = [d for i in events + bands for d in (i.when.earliest, i.when.latest)] + [today]
    start, end = min(days), max(days)
    margin = timedelta(days=max(2, (end - start).days // 40))
    start, end = start - margin, end + margin
    return Timeline(
        wide(events, bands, start, end, today),
        narrow(events, bands, today),
        day_text(start),
        day_text(end),
        len(events),
    )


def _events(case: Case) -> list[Item]:
    numbered = [
        Item(
            e.date,
            _kind(e.type),
            f"{index}. {e.type.replace('_', ' ')}",
            "draft" if e.review == "draft" else "",
        )
        for index, e in enumerate(case.events, start=1)
    ]
    return sorted(numbered, key=lambda i: (i.when.earliest, i.when.latest))


def _bands(case: Case, evaluation: Evaluation | None, today: date) -> list[Item]:
    """Protections in force at ``today`` (from the latest event they rest on) and deadlines
    still running (from their trigger to their last day)."""
    if evaluation is None:
        return []
    found: list[Item] = []
    seen: set[str] = set()
    for f in evaluation.findings:
        running = f.kind == "deadline" and f.state in (None, "running")
        if (f.kind != "protection" and not running) or f.title in seen:
            continue
        seen.add(f.title)
        begin = _rests_from(case, f) or (today if f.kind == "protection" else f.date.earliest)
        stop = today if f.kind == "protection" else f.date.latest
        word = "in force" if f.kind == "protection" else f"last day {range_text(f.date)}"
        found.append(
            Item(DateRange(min(begin, stop), stop), f.kind, f"{f.title} ({word})", f.status)
        )
    return found


def _rests_from(case: Case, finding: Finding) -> date | None:
    days = [e.date.earliest for e in case.events if e.id in finding.events]
    return max(days) if days else None


def _kind(event_type: str) -> str:
    if event_type in DANGER:
        return "danger"
    return "safe" if event_type in SAFE else "neutral"


# -- wide: time left to right ----------------------------------------------------------------
ROOM = (PAD, WIDE - PAD)
GAP = 10  # between a mark and its label


@dataclass
class _Canvas:
    """What a drawing holds so far."""

    shapes: list[Shape]
    labels: list[Label]


def wide(
    events: Sequence[Item], bands: Sequence[Item], start: date, end: date, today: date
) -> Drawing:
    """Bands on top (one row each), the date axis, then the events in lanes."""
    span = max((end - start).days, 1)

    def x(day: date) -> float:
        return round(PAD + (day - start).days / span * (WIDE - 2 * PAD), 1)

    canvas = _Canvas([], [])
    top = float(PAD)
    for band in bands:
        _band(canvas, band, x(band.when.earliest), x(band.when.latest), top)
        top += BAND
    axis = top + 8
    _axis(canvas, ticks(start, end, WIDE - 2 * PAD), x, axis)
    bottom = _lanes(canvas, events, x, axis + 30)
    now = x(today)
    line = (("x1", now), ("y1", PAD), ("x2", now), ("y2", bottom + 4))
    canvas.shapes.append(Shape("line", "today", line))
    text = f"today, {day_text(today)}"
    canvas.labels.append(_beside(text, now - 4, now + 4, bottom + 20, "today-label"))
    return Drawing(WIDE, int(bottom + 30), tuple(canvas.shapes), tuple(canvas.labels))


def _band(canvas: _Canvas, band: Item, left: float, right: float, top: float) -> None:
    """One band in its own row, its label inside it when it fits, else beside it."""
    right = max(right, left + 6)
    cls = f"band band-{band.kind} status-{band.status}"
    canvas.shapes.append(Shape("rect", cls, _rect(left, top, right - left, BAND - 6), band.text))
    baseline = top + BAND - 10
    if len(band.text) * CHAR + 12 <= right - left:
        canvas.labels.append(Label(left + 6, baseline, band.text, "start", "band-label", band.text))
        return
    beside = _beside(band.text, left - 4, right + 4, baseline, "band-label")
    if beside.text == beside.full or right - left < 0.5 * (WIDE - 2 * PAD):
        canvas.labels.append(beside)
        return
    canvas.labels.append(_fit(band.text, left + 6, right - 6, baseline, "start", "band-label"))


def _axis(canvas: _Canvas, marks: list[tuple[date, str]], x: Scale, axis: float) -> None:
    """The axis line and its ticks; a tick label that would collide with the previous one
    (or leave the drawing) is left out, its tick kept."""
    line = (("x1", PAD), ("y1", axis), ("x2", WIDE - PAD), ("y2", axis))
    canvas.shapes.append(Shape("line", "axis", line))
    placed: list[Box] = []
    for day, text in marks:
        at = x(day)
        tick = (("x1", at), ("y1", axis), ("x2", at), ("y2", axis + 6))
        canvas.shapes.append(Shape("line", "tick", tick))
        label = Label(at, axis + 20, text, "start", "tick", text)
        box = label.box
        if box.x + box.width > WIDE - PAD or any(box.overlaps(b) for b in placed):
            continue
        canvas.labels.append(label)
        placed.append(box)


def _lanes(canvas: _Canvas, events: Sequence[Item], x: Scale, top: float) -> float:
    """Each event (in date order) with its label in the first lane where both fit; returns
    the bottom of the last lane."""
    lanes: list[float] = []  # the right end of what each lane holds so far
    for item in events:
        left, right = x(item.when.earliest), x(item.when.latest)
        text = f"{item.text} · {range_text(item.when)}"
        label = _beside(text, left - GAP, right + GAP, 0, "event-label")
        lo = min(left - GAP, label.box.x)
        hi = max(right + GAP, label.box.x + label.box.width)
        lane = next((n for n, used in enumerate(lanes) if used + 8 <= lo), len(lanes))
        if lane == len(lanes):
            lanes.append(hi)
        lanes[lane] = hi
        middle = top + lane * LANE + LANE / 2
        canvas.shapes.append(_mark(item, left, right, middle))
        canvas.labels.append(dataclasses.replace(label, y=middle + 5))
    return top + max(len(lanes), 1) * LANE


def _beside(text: str, left: float, right: float, y: float, cls: str) -> Label:
    """``text`` right of ``[left, right]``, else left of it, else shortened to fit the wider
    side (the whole text stays in the label's tooltip)."""
    width = len(text) * CHAR
    if right + width <= ROOM[1]:
        return Label(right, y, text, "start", cls, text)
    if left - width >= ROOM[0]:
        return Label(left, y, text, "end", cls, text)
    if ROOM[1] - right >= left - ROOM[0]:
        return _fit(text, right, ROOM[1], y, "start", cls)
    return _fit(text, ROOM[0], left, y, "end", cls)


def _fit(text: str, left: float, right: float, y: float, anchor: str, cls: str) -> Label:
    """``text`` shortened with an ellipsis to fit ``[left, right]``."""
    chars = max(int((right - left) // CHAR) - 1, 1)
    short = text if len(text) <= chars else text[:chars].rstrip() + "…"
    return Label(left if anchor == "start" else right, y, short, anchor, cls, text)


def _mark(item: Item, left: float, right: float, middle: float) -> Shape:
    cls = f"mark mark-{item.kind}" + (" mark-draft" if item.status == "draft" else "")
    title = f"{item.text}: {range_text(item.when)}"
    if item.when.exact:
        return Shape("circle", cls, (("cx", left), ("cy", middle), ("r", 6.0)), title)
    width = max(right - left, 4.0)
    return Shape("rect", cls + " fuzzy", _rect(left, middle - 6, width, 12), title)


def _rect(x: float, y: float, width: float, height: float) -> tuple[tuple[str, float], ...]:
    return (("x", round(x, 1)), ("y", round(y, 1)), ("width", round(width, 1)), ("height", height))


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def ticks(start: date, end: date, width: float) -> list[tuple[date, str]]:
    """Axis ticks for ``[start, end]`` drawn ``width`` units wide: the finest of days, weeks,
    months, quarters, years and decades whose labels fit side by side."""
    span = max((end - start).days, 1)
    for step, label_chars in _STEPS:
        days = _tick_days(start, end, step)
        if len(days) > 1 and (step_days(step) / span) * width >= label_chars * CHAR + 10:
            return [(d, _tick_text(d, step)) for d in days]
    return [(start, day_text(start)), (end, day_text(end))]


_STEPS = (
    ("day", 6),
    ("week", 6),
    ("month", 8),
    ("quarter", 8),
    ("year", 4),
    ("5 years", 4),
    ("10 years", 4),
)


def step_days(step: str) -> int:
    return {
        "day": 1,
        "week": 7,
        "month": 28,
        "quarter": 90,
        "year": 365,
        "5 years": 1826,
        "10 years": 3652,
    }[step]


def _tick_days(start: date, end: date, step: str) -> list[date]:
    if step == "day":
        return [start + timedelta(days=n) for n in range((end - start).days + 1)]
    if step == "week":
        first = start + timedelta(days=(7 - start.weekday()) % 7)
        return [first + timedelta(days=7 * n) for n in range((end - first).days // 7 + 1)]
    months = {"month": 1, "quarter": 3, "year": 12, "5 years": 60, "10 years": 120}[step]
    found: list[date] = []
    index = start.year * 12 + start.month - 1
    while True:
        year, month = divmod(index, 12)
        day = date(year, month + 1, 1)
        if day > end:
            return found
        if day >= start and (year * 12 + month) % months == 0:
            found.append(day)
        index += 1


def _tick_text(day: date, step: str) -> str:
    if step in ("day", "week"):
        return f"{day.day} {_MONTHS[day.month - 1]}"
    if step in ("month", "quarter"):
        return f"{_MONTHS[day.month - 1]} {day.year}"
    return str(day.year)


# -- narrow: time runs down ------------------------------------------------------------------
AXIS_X = 20 + MAX_BANDS * 10
TEXT_X = AXIS_X + 14
LINE = FONT + 5


def narrow(events: Sequence[Item], bands: Sequence[Item], today: date) -> Drawing:
    """One row per event (its date, then its label wrapped to the width), in date order; the
    bands run down the left margin between the rows of their first and last day."""
    rows: list[tuple[Item, int]] = [(e, 0) for e in events] + [(b, n) for n, b in enumerate(bands)]
    rows.append((Item(DateRange.day(today), "today", f"today, {day_text(today)}"), 0))
    rows.sort(key=lambda r: (r[0].when.earliest, r[0].kind == "today"))
    canvas = _Canvas([], [])
    y: float = PAD
    anchors: list[tuple[date, float]] = []
    for item, _lane in rows:
        anchors.append((item.when.earliest, y + FONT / 2 + 2))
        y = _row(canvas, item, y)
    height = y + PAD
    for item, lane in rows:
        _span(
            canvas, item, lane, _down(anchors, item.when.earliest), _down(anchors, item.when.latest)
        )
    axis = Shape(
        "line", "axis", (("x1", AXIS_X), ("y1", PAD), ("x2", AXIS_X), ("y2", height - PAD))
    )
    return Drawing(NARROW, int(height), (axis, *canvas.shapes), tuple(canvas.labels))


def _row(canvas: _Canvas, item: Item, y: float) -> float:
    """One row at ``y``: its date in bold, its text wrapped, its mark on the axis; returns
    where the next row starts."""
    chars = int((NARROW - TEXT_X - PAD) // CHAR)
    middle = y + FONT / 2 + 2
    if item.kind == "today":
        lines = wrap(item.text, chars)
        line = (("x1", AXIS_X - 8), ("y1", y - 4), ("x2", NARROW - PAD), ("y2", y - 4))
        canvas.shapes.append(Shape("line", "today", line))
    elif item.kind in ("protection", "deadline"):
        lines = wrap(f"from {day_text(item.when.earliest)}", chars) + wrap(item.text, chars)
    else:
        lines = wrap(range_text(item.when), chars) + wrap(item.text, chars)
        canvas.shapes.append(_mark(item, AXIS_X, AXIS_X, middle))
    for n, text in enumerate(lines):
        cls = "row-date" if n == 0 else "event-label"
        canvas.labels.append(Label(TEXT_X, y + FONT, text, "start", cls, text))
        y += LINE
    return y + 8


def _span(canvas: _Canvas, item: Item, lane: int, top: float, bottom: float) -> None:
    """A fuzzy event's range along the axis, or a band in its column of the left margin."""
    if item.kind in ("danger", "safe", "neutral") and not item.when.exact:
        line = (("x1", AXIS_X), ("y1", top), ("x2", AXIS_X), ("y2", max(bottom, top + 6)))
        canvas.shapes.append(Shape("line", "range", line))
    elif item.kind in ("protection", "deadline"):
        cls = f"band band-{item.kind} status-{item.status}"
        box = _rect(8 + lane * 10, top, 8, max(bottom - top, 8))
        canvas.shapes.append(Shape("rect", cls, box, item.text))


def _down(anchors: list[tuple[date, float]], day: date) -> float:
    """The y of ``day`` between the rows around it (rows are not evenly spaced in time)."""
    before = [a for a in anchors if a[0] <= day]
    after = [a for a in anchors if a[0] >= day]
    if not before:
        return anchors[0][1]
    if not after:
        return anchors[-1][1]
    (d0, y0), (d1, y1) = before[-1], after[0]
    if d1 == d0:
        return y0
    return y0 + (y1 - y0) * (day - d0).days / (d1 - d0).days


def wrap(text: str, chars: int) -> list[str]:
    """``text`` in lines of at most ``chars`` characters, broken between words (a word longer
    than a line is cut into pieces)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > chars:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:chars])
            word = word[chars:]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= chars:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines
