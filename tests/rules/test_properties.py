"""Properties the engine must keep whatever the timeline (hypothesis)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.casefile import dump_json, dump_yaml, parse_case
from refuge.domain import Case, DateRange, Event, Person
from refuge.rules.engine import evaluate

TEMPLATES: list[tuple[str, dict[str, object]]] = [
    ("entry", {"irregular": True}),
    ("detention", {"grounds": "border"}),
    ("detention", {"grounds": "extradition"}),
    ("asylum_application", {}),
    ("asylum_registration", {}),
    ("asylum_decision", {"outcome": "refused"}),
    ("asylum_decision", {"outcome": "granted"}),
    ("appeal_lodged", {"against": "asylum_decision"}),
    ("appeal_decision", {"against": "asylum_decision", "outcome": "upheld", "final": True}),
    ("appeal_lodged", {"against": "extradition_decision"}),
    ("charge", {"by": "RU", "offence": "desertion"}),
    ("extradition_request", {"by": "RU"}),
    ("extradition_decision", {"outcome": "granted"}),
    ("conviction", {"offence": "illegal border crossing", "expulsion": True}),
    ("expulsion_order", {}),
    ("interim_measures", {"body": "CAT"}),
    ("interim_measures", {"body": "HRC"}),
    ("risk_allegation", {"harm": "torture"}),
    ("removal", {"to": "RU", "via": "deportation"}),
    ("removal", {"to": "RU", "via": "extradition"}),
    ("release", {}),
]
START = date(2016, 1, 1).toordinal()


@st.composite
def events(draw: st.DrawFn) -> list[Event]:
    count = draw(st.integers(1, 12))
    out = []
    for i in range(count):
        kind, attrs = draw(st.sampled_from(TEMPLATES))
        first = START + draw(st.integers(0, 3000))
        width = draw(st.sampled_from([0, 0, 0, 2, 9, 30]))
        sequence = draw(st.one_of(st.none(), st.integers(1, 5)))
        when = DateRange(date.fromordinal(first), date.fromordinal(first + width))
        out.append(Event(f"e{i}", kind, when, dict(attrs), sequence=sequence))
    return out


def make_case(evs: list[Event], facts: dict[str, bool] | None = None) -> Case:
    person = Person("Test Person", citizenship=("RU",))
    return Case("prop", person, "KZ", "RU", tuple(evs), facts=facts or {})


def signature(case: Case, at: date) -> object:
    result = evaluate(case, at)
    findings = sorted(
        (f.kind, f.rule, f.status, str(f.date), f.state or "", tuple(sorted(f.events)))
        for f in result.findings
    )
    return result.removal.lawful, sorted(result.removal.orders.items()), findings


AT = st.integers(START, START + 3300).map(date.fromordinal)


@settings(max_examples=60, deadline=None)
@given(events(), AT, st.randoms(use_true_random=False))
def test_the_order_of_events_in_the_file_does_not_matter(
    evs: list[Event], at: date, rnd: object
) -> None:
    shuffled = list(evs)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert signature(make_case(evs), at) == signature(make_case(shuffled), at)


@settings(max_examples=60, deadline=None)
@given(events(), AT)
def test_an_unrelated_event_changes_no_conclusion(evs: list[Event], at: date) -> None:
    other = Event("unrelated", "other", DateRange.day(at - timedelta(days=3)), {"label": "x"})
    assert signature(make_case(evs), at) == signature(make_case([*evs, other]), at)


@settings(max_examples=40, deadline=None)
@given(events(), AT)
def test_yaml_and_json_round_trips_give_the_same_answers(evs: list[Event], at: date) -> None:
    case = make_case(evs)
    assert signature(parse_case(dump_yaml(case)), at) == signature(case, at)
    assert signature(parse_case(dump_json(case)), at) == signature(case, at)


@settings(max_examples=60, deadline=None)
@given(events(), AT)
def test_nothing_unverified_or_fuzzy_is_ever_certain(evs: list[Event], at: date) -> None:
    for finding in evaluate(make_case(evs), at).findings:
        if finding.basis == "unverified":
            assert finding.status != "certain", finding


@settings(max_examples=40, deadline=None)
@given(events(), AT)
def test_widening_a_date_never_makes_an_answer_more_certain(evs: list[Event], at: date) -> None:
    """Fuzzier facts can only turn certain answers into possible ones, never the reverse."""
    exact = [dataclasses.replace(e, date=DateRange.day(e.date.earliest)) for e in evs]
    # Sequence numbers order events whose ranges overlap; after widening they would order
    # events the exact dates put the other way round, so the wide timeline drops them.
    wide = [
        dataclasses.replace(
            e, date=DateRange(e.date.earliest, e.date.earliest + timedelta(5)), sequence=None
        )
        for e in evs
    ]
    certain_wide = {
        (f.kind, f.rule) for f in evaluate(make_case(wide), at).findings if f.status == "certain"
    }
    exact_values = {(f.kind, f.rule) for f in evaluate(make_case(exact), at).findings}
    assert certain_wide <= exact_values


@settings(max_examples=60, deadline=None)
@given(st.integers(START, START + 3000), st.booleans())
def test_same_day_events_need_a_sequence_to_be_ordered(day: int, ordered: bool) -> None:
    when = DateRange.day(date.fromordinal(day))
    measures = Event(
        "im", "interim_measures", when, {"body": "CAT"}, sequence=1 if ordered else None
    )
    removal = Event(
        "r", "removal", when, {"to": "RU", "via": "deportation"}, sequence=2 if ordered else None
    )
    result = evaluate(make_case([measures, removal]), when.latest)
    [breach] = [
        f for f in result.of_kind("breach") if f.rule == "cat.22.interim_measures_respected"
    ]
    assert breach.status == ("certain" if ordered else "possible")


@settings(max_examples=40, deadline=None)
@given(events(), AT, st.sampled_from(["TR", "RU", "DE", "XX"]))
def test_kazakh_law_never_judges_a_case_hosted_elsewhere(
    evs: list[Event], at: date, host: str
) -> None:
    case = dataclasses.replace(make_case(evs), host=host)
    result = evaluate(case, at)
    assert not [f for f in result.findings if f.order in ("kz", "kz-policy")]
    assert "kz" not in result.removal.orders
    assert result.removal.lawful is not True  # no legal basis is assessed without national law
    assert result.jurisdiction is not None and result.jurisdiction.international_only
