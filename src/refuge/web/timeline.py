"""The geometry of a case's timeline, drawn by the template as inline SVG.

A fuzzy date is a bar from its earliest to its latest day (an exact date is a dot), so the
page never shows a guess as a point. Removals and orders to remove are drawn in the danger
class, steps that protect the person (asylum claim, appeal, interim measures, status) in the
safe class; protections found by the law engine are bands along the top. All numbers are
computed here; the template only places them (no inline style: the CSP forbids it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from refuge.domain import Case
from refuge.rules.results import Evaluation

WIDTH = 900
LEFT = 10
ROW = 22
TOP = 40
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
class Mark:
    x: float
    width: float
    y: float
    kind: str  # danger | safe | neutral
    label: str
    exact: bool
    when: str


@dataclass(frozen=True, slots=True)
class Band:
    x: float
    width: float
    label: str
    status: str


@dataclass(frozen=True, slots=True)
class Timeline:
    width: int
    height: int
    marks: list[Mark]
    bands: list[Band]
    start: str
    end: str


def draw(case: Case, evaluation: Evaluation | None, today: date) -> Timeline:
    """Lay out ``case``'s events (and the protections found) on one shared time axis."""
    events = sorted(case.events, key=lambda e: (e.date.earliest, e.date.latest))
    days = [d for e in events for d in (e.date.earliest, e.date.latest)] or [today]
    start, end = min(days) - timedelta(days=3), max(days) + timedelta(days=3)
    span = max((end - start).days, 1)

    def x(day: date) -> float:
        clipped = min(max(day, start), end)
        return round(LEFT + (clipped - start).days / span * (WIDTH - 2 * LEFT), 1)

    marks = [
        Mark(
            x(e.date.earliest),
            max(x(e.date.latest) - x(e.date.earliest), 0.0),
            TOP + i * ROW,
            _kind(e.type),
            e.type.replace("_", " "),
            e.date.exact,
            e.date.text or _range_text(e.date.earliest, e.date.latest),
        )
        for i, e in enumerate(events)
    ]
    bands = []
    for finding in evaluation.of_kind("protection") if evaluation else []:
        left, right = x(finding.date.earliest), x(min(finding.date.latest, end))
        bands.append(Band(left, max(right - left, 3.0), finding.title, finding.status))
    height = TOP + len(marks) * ROW + 10
    return Timeline(WIDTH, height, marks, bands[:4], start.isoformat(), end.isoformat())


def _kind(event_type: str) -> str:
    if event_type in DANGER:
        return "danger"
    return "safe" if event_type in SAFE else "neutral"


def _range_text(earliest: date, latest: date) -> str:
    return earliest.isoformat() if earliest == latest else f"{earliest} – {latest}"
