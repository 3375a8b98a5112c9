"""The timeline's layout, on the law packs' real scenario cases and on generated ones: no two
labels overlap, everything lies inside the drawing, bands are bands (not slivers), a fuzzy date
is drawn over its whole range, the axis has real ticks in order, and text keeps its size on a
phone. (tests/web/test_lawyers_day.py measures the rendered glyphs in Chromium.)"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.domain import Case, DateRange, Event, Person
from refuge.domain.vocabulary import EVENT_TYPES
from refuge.rules.engine import Engine
from refuge.rules.results import Evaluation, Finding, RemovalVerdict
from refuge.rules.scenarios import load_scenarios
from refuge.web import timeline as tl

SCENARIOS = load_scenarios()


def _check(drawing: tl.Drawing) -> None:
    boxes = [label.box for label in drawing.labels]
    for n, box in enumerate(boxes):
        assert box.inside(drawing.width, drawing.height), (drawing.labels[n], drawing.width)
        for m in range(n + 1, len(boxes)):
            assert not box.overlaps(boxes[m]), (drawing.labels[n], drawing.labels[m])
    for shape in drawing.shapes:
        a = dict(shape.attrs)
        if shape.tag == "rect":
            assert a["x"] >= 0 and a["x"] + a["width"] <= drawing.width + 0.2, shape
            assert a["y"] >= 0 and a["y"] + a["height"] <= drawing.height, shape
        elif shape.tag == "circle":
            assert a["r"] <= a["cx"] <= drawing.width - a["r"], shape
        else:
            for key in ("x1", "x2"):
                assert 0 <= a[key] <= drawing.width, shape
            for key in ("y1", "y2"):
                assert 0 <= a[key] <= drawing.height, shape


def _check_timeline(found: tl.Timeline, case: Case) -> None:
    _check(found.wide)
    _check(found.narrow)
    for drawing in (found.wide, found.narrow):
        marks = [s for s in drawing.shapes if s.cls.startswith("mark")]
        assert len(marks) == len(case.events)
        fuzzy = sum(1 for e in case.events if not e.date.exact)
        assert sum(1 for s in marks if "fuzzy" in s.cls) == fuzzy  # a range, never a dot
        for band in (s for s in drawing.shapes if s.cls.startswith("band")):
            size = dict(band.attrs)
            assert min(size["width"], size["height"]) >= 6, band  # not a sliver
    ticks = [label for label in found.wide.labels if label.cls == "tick"]
    assert len(ticks) >= 2
    assert [t.x for t in ticks] == sorted(t.x for t in ticks)


def _at(case: Case) -> date:
    days = [e.date.latest for e in case.events] or [date(2024, 1, 1)]
    return max(days) + timedelta(days=10)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.path.stem for s in SCENARIOS])
def test_real_cases_lay_out_cleanly(scenario) -> None:  # type: ignore[no-untyped-def]
    at = _at(scenario.case)
    evaluation = Engine.default().evaluate(scenario.case, at)
    _check_timeline(tl.draw(scenario.case, evaluation, at), scenario.case)


TYPES = sorted(EVENT_TYPES)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Case, Evaluation, date]:
    origin = draw(st.dates(date(1990, 1, 1), date(2030, 1, 1)))
    span = draw(st.sampled_from([1, 10, 60, 400, 3000, 12000]))
    events = []
    for n in range(draw(st.integers(0, 40))):
        first = origin + timedelta(days=draw(st.integers(0, span)))
        width = draw(st.sampled_from([0, 0, 1, 5, 30, 365, span]))
        when = DateRange(first, first + timedelta(days=width))
        events.append(Event(f"e{n}", draw(st.sampled_from(TYPES)), when))
    case = Case(id="gen", person=Person("A Person"), host="KZ", origin="RU", events=tuple(events))
    at = origin + timedelta(days=draw(st.integers(-30, span + 400)))
    findings = []
    for n in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["protection", "deadline"]))
        first = origin + timedelta(days=draw(st.integers(0, span)))
        when = DateRange(first, first + timedelta(days=draw(st.integers(0, 40))))
        title = draw(st.text(alphabet="abc дефг XYZ", min_size=1, max_size=220))
        state = "running" if kind == "deadline" else None
        status = draw(st.sampled_from(["certain", "possible", "unknown"]))
        picked = tuple(e.id for e in events[: draw(st.integers(0, 2))])
        findings.append(
            Finding(
                kind,
                f"r{n}",
                "cat",
                "3",
                status,
                "verified",
                when,
                "cat",
                title,
                "c",
                events=picked,
                state=state,
            )
        )
    evaluation = Evaluation("gen", at, RemovalVerdict(None, {}), tuple(findings))
    return case, evaluation, at


@settings(max_examples=150, deadline=None)
@given(cases())
def test_generated_cases_lay_out_cleanly(generated: tuple[Case, Evaluation, date]) -> None:
    case, evaluation, at = generated
    _check_timeline(tl.draw(case, evaluation, at), case)


def test_text_keeps_its_size_on_a_phone() -> None:
    """The narrow drawing is at most 360 units wide, so at 360 CSS px and up its 13-unit text
    is at least 13 px; the wide one is only shown from 760 px, where it stays above 11.5 px."""
    assert tl.NARROW <= 360 and tl.FONT >= 12
    assert tl.FONT * (tl.NARROWEST_WIDE - 40) / tl.WIDE >= 11.5


def test_a_long_label_is_shortened_and_kept_whole_in_its_tooltip() -> None:
    day = date(2022, 5, 1)
    events = tuple(Event(f"e{n}", "detention", DateRange.day(day)) for n in range(3))
    case = Case(id="c", person=Person("P"), host="KZ", origin="RU", events=events)
    title = "No removal " + "while the challenge is pending " * 8
    found = Finding(
        "protection", "r", "cat", "3", "possible", "verified", DateRange.day(day), "cat",
        title, "c", events=("e0",),
    )  # fmt: skip
    drawn = tl.draw(case, Evaluation("c", day, RemovalVerdict(None, {}), (found,)), day)
    band = next(label for label in drawn.wide.labels if label.cls == "band-label")
    assert band.text.endswith("…") and band.full.startswith(title.strip()[:40])
    _check(drawn.wide)


def test_ticks_follow_the_span() -> None:
    assert tl._tick_text(tl.ticks(date(2022, 9, 1), date(2022, 9, 20), 776)[0][0], "day")
    years = tl.ticks(date(2001, 1, 1), date(2020, 1, 1), 776)
    assert all(text.isdigit() for _day, text in years)
    months = tl.ticks(date(2022, 9, 20), date(2023, 1, 15), 776)
    assert [t for _d, t in months][:2] == ["Oct 2022", "Nov 2022"]


def test_wrap_never_exceeds_the_line() -> None:
    text = "a " * 5 + "Антиэкстремистскоезаконодательство " + "word " * 20
    lines = tl.wrap(text, 12)
    assert all(len(line) <= 12 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
