"""The batch path answers exactly what the per-case engine answers (hypothesis, examples)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.rules.party_fixture import Record, Reservation, Table

from refuge.casefile.load import load_case_file
from refuge.domain import Case, DateRange, Event, Person
from refuge.errors import LawPackError
from refuge.rules.batch import (
    RUNNING,
    STATE,
    BatchResult,
    build_columns,
    evaluate_batch,
    evaluate_columns,
    summarise,
)
from refuge.rules.engine import Engine
from refuge.rules.packs import _Loader, default_pack_dir
from refuge.rules.results import Evaluation

ENGINE = Engine()
EXAMPLE = Path(__file__).parents[2] / "src" / "refuge" / "examples" / "zhilin-2022.yaml"

TEMPLATES: list[tuple[str, dict[str, object]]] = [
    ("entry", {"irregular": True}),
    ("entry", {"irregular": False}),
    ("detention", {"grounds": "border"}),
    ("detention", {"grounds": "extradition"}),
    ("asylum_application", {}),
    ("asylum_registration", {}),
    ("asylum_decision", {"outcome": "refused"}),
    ("asylum_decision", {"outcome": "granted"}),
    ("asylum_decision", {"outcome": "withdrawn"}),
    ("asylum_decision", {}),
    ("status_grant", {}),
    ("appeal_lodged", {"against": "asylum_decision"}),
    ("appeal_lodged", {"against": "asylum_decision", "level": "administrative"}),
    ("appeal_lodged", {"against": "asylum_decision", "level": "first_instance"}),
    ("appeal_decision", {"against": "asylum_decision", "outcome": "upheld", "final": True}),
    (
        "appeal_decision",
        {"against": "asylum_decision", "level": "administrative", "outcome": "upheld"},
    ),
    ("appeal_decision", {"against": "expulsion_order", "outcome": "quashed"}),
    ("appeal_decision", {"against": "extradition_decision", "outcome": "quashed"}),
    ("appeal_lodged", {"against": "extradition_decision"}),
    ("appeal_lodged", {"against": "expulsion_order"}),
    ("charge", {"by": "RU", "offence": "desertion"}),
    ("charge", {"by": "UZ", "offence": "fraud"}),
    ("charge", {}),
    ("extradition_request", {"by": "RU"}),
    ("extradition_request", {"by": "RU", "offence": "military desertion"}),
    ("extradition_decision", {"outcome": "granted"}),
    ("extradition_decision", {"outcome": "refused"}),
    (
        "extradition_decision",
        {"outcome": "granted", "served": DateRange(date(2015, 6, 1), date(2015, 6, 3))},
    ),
    ("conviction", {"offence": "illegal border crossing", "expulsion": True}),
    ("expulsion_order", {}),
    ("interim_measures", {"body": "CAT"}),
    ("interim_measures", {"body": "CAT", "lifted": True}),
    ("interim_measures", {"body": "HRC"}),
    ("interim_measures", {"body": "HRC", "lifted": False}),
    ("risk_allegation", {"harm": "torture"}),
    ("risk_allegation", {"harm": "death_penalty"}),
    ("risk_allegation", {"harm": "persecution"}),
    ("risk_assessment", {"outcome": "risk_found", "harm": "torture"}),
    ("risk_assessment", {"outcome": "risk_found", "harm": "ill_treatment"}),
    ("risk_assessment", {"outcome": "risk_found", "harm": "death_penalty"}),
    ("risk_assessment", {"outcome": "no_risk", "harm": "torture"}),
    ("diplomatic_assurances", {"from": "RU", "content": "no_torture"}),
    ("appeal_lodged", {"against": "expulsion_order", "suspensive": True}),
    ("removal", {"to": "RU", "via": "deportation"}),
    ("removal", {"to": "RU", "via": "extradition"}),
    ("departure", {}),
    ("release", {}),
    ("other", {"label": "note"}),
    ("status_grant", {"status": "refugee"}),
    ("status_grant", {"status": "humanitarian"}),
    ("detention", {"grounds": "extradition_arrest"}),
    ("interim_measures_request", {"body": "CAT"}),
    ("interim_measures", {"body": "ECtHR"}),
    ("interim_measures_request", {"body": "ECtHR"}),
    ("detention", {"grounds": "immigration"}),
    ("appeal_decision", {"against": "asylum_decision", "outcome": "quashed"}),
    ("appeal_decision", {"against": "asylum_decision", "outcome": "upheld", "final": False}),
    ("appeal_decision", {"against": "extradition_decision", "outcome": "suspended"}),
    ("appeal_decision", {"against": "extradition_decision", "outcome": "upheld"}),
]
CERTAINTY = [None, None, None, "disputed", "alleged", "confirmed"]
FACTS = [
    "cat_substantial_grounds",
    "iccpr_real_risk",
    "excluded_1f",
    "danger_to_security",
    "particularly_serious_crime_and_danger",
    "art31_conditions_met",
    "zz_a",
]
TEST_FACTS = [f"zz_{c}" for c in "abcdef"]
HOSTS = ["KZ", "KZ", "KZ", "TR", "RU", "XX", "DE"]
INSTRUMENTS = [
    "refugee-convention",
    "refugee-protocol-1967",
    "cat",
    "cat-22",
    "iccpr",
    "iccpr-op1",
    "echr",
]
FIRST = date(2009, 1, 1).toordinal()  # the Kazakh working calendar starts in 2009
SPAN = 6000
# Evaluation days: anywhere, and around the fuzzy entries into force of rule versions.
BOUNDARIES = [date(1998, 8, 1), date(2008, 6, 1), date(2010, 1, 15), date(2021, 7, 1)]
AT = st.one_of(
    st.integers(FIRST - 300, FIRST + SPAN + 400).map(date.fromordinal),
    st.builds(
        lambda d, k: d + timedelta(days=k), st.sampled_from(BOUNDARIES), st.integers(-40, 40)
    ),
)


@st.composite
def cases(draw: st.DrawFn, facts: list[str] = FACTS) -> Case:
    count = draw(st.integers(0, 12))
    base = FIRST + draw(st.integers(0, SPAN - 400))
    events = []
    for i in range(count):
        kind, attrs = draw(st.sampled_from(TEMPLATES))
        first = base + draw(st.integers(0, 400))
        width = draw(st.sampled_from([0, 0, 0, 1, 2, 9, 30]))
        sequence = draw(st.one_of(st.none(), st.integers(-1, 4)))
        when = DateRange(date.fromordinal(first), date.fromordinal(first + width))
        certainty = draw(st.sampled_from(CERTAINTY))
        events.append(
            Event(f"e{i}", kind, when, dict(attrs), certainty=certainty, sequence=sequence)
        )
    given = draw(st.dictionaries(st.sampled_from(facts), st.booleans(), max_size=4))
    tags = draw(st.lists(st.sampled_from(["mobilization", "mobilisation", "x"]), max_size=2))
    citizenship = draw(st.sampled_from([("RU",), ("KZ",), ("RU", "KZ"), ()]))
    origin = draw(st.sampled_from(["RU", "UZ", "UA", "AF", None]))
    host = draw(st.sampled_from(HOSTS))
    person = Person("Test Person", citizenship=citizenship)
    complete = draw(st.booleans())
    return Case(
        "c", person, host, origin, tuple(events), tags=tuple(tags), facts=given, complete=complete
    )


def assert_same(result_cases: list[Case], at: date, engine: Engine = ENGINE) -> None:
    result = evaluate_batch(result_cases, at, library=engine.library)
    for i, case in enumerate(result_cases):
        evaluation = engine.evaluate(case, at, explain=False)
        verdict, findings = summarise(evaluation)
        assert result.verdict_summary(i) == verdict, (i, at)
        assert result.findings_summary(i) == findings, (i, at)
        assert_alert_columns(result, i, evaluation)


def assert_alert_columns(result: BatchResult, i: int, evaluation: Evaluation) -> None:
    """The per-deadline and per-action dates agree with the engine's findings."""
    for k, deadline in enumerate(result.deadline_ids):
        found = [f for f in evaluation.of_kind("deadline") if f.rule == deadline]
        states = {f.state for f in found}
        expected = next((s for s in ("running", "expired", "met") if s in states), "")
        assert STATE[int(result.deadline_state[i, k])] == expected, deadline
        running = [f.date.earliest for f in found if f.state == "running"]
        due = result.deadline_next[i, k]
        assert (np.datetime64(min(running), "D") == due) if running else np.isnat(due)
    for k, rule in enumerate(result.action_rules):
        [action] = [f for f in evaluation.of_kind("action") if f.rule == rule] or [None]
        if action is None:
            continue
        due = result.action_due[i, k]
        if action.date.text == "now":
            assert np.isnat(due), rule
        else:
            assert due == np.datetime64(action.date.latest, "D"), rule


@settings(max_examples=150, deadline=None)
@given(st.lists(cases(), min_size=1, max_size=6), AT)
def test_batch_answers_equal_the_per_case_answers(population: list[Case], at: date) -> None:
    assert_same(population, at)


@settings(max_examples=30, deadline=None)
@given(st.lists(cases(), min_size=1, max_size=4), st.lists(AT, min_size=2, max_size=4))
def test_columns_can_be_evaluated_at_several_dates(population: list[Case], ats: list[date]) -> None:
    columns = build_columns(population)
    for at in ats:
        result = evaluate_columns(columns, at)
        again = evaluate_batch(population, at)
        assert [result.findings_summary(i) for i in range(len(population))] == [
            again.findings_summary(i) for i in range(len(population))
        ]


def test_the_bundled_example_at_several_dates() -> None:
    case = load_case_file(EXAMPLE)
    days = [date(2022, 9, 1) + timedelta(days=k) for k in range(-400, 1200, 9)]
    for at in days:
        assert_same([case], at)


def test_an_empty_population_and_a_case_without_events() -> None:
    assert evaluate_batch([], date(2024, 1, 1)).lawful.shape == (0,)
    empty = Case("empty", Person("X"), "KZ", None, ())
    assert_same([empty], date(2024, 1, 1))


def test_a_case_the_packs_cannot_count_spoils_only_its_own_row() -> None:
    """A trigger beyond the holiday calendar: the engine raises; the batch marks that row."""
    late = Event("r", "asylum_registration", DateRange.day(date(2030, 12, 1)))
    bad = Case("bad", Person("X"), "KZ", "RU", (late,))
    good = load_case_file(EXAMPLE)
    at = date(2031, 1, 1)
    with pytest.raises(LawPackError) as raised:
        ENGINE.evaluate(bad, at, explain=False)
    result = evaluate_batch([good, bad], at)
    assert list(result.errors) == [1]
    assert str(raised.value) in result.errors[1]
    assert (result.verdict_summary(0), result.findings_summary(0)) == summarise(
        ENGINE.evaluate(good, at, explain=False)
    )


def test_alert_columns_agree_with_the_deadline_findings() -> None:
    case = load_case_file(EXAMPLE)
    for at in [date(2022, 9, 1) + timedelta(days=k) for k in range(0, 400, 5)]:
        result = evaluate_batch([case], at)
        running = [
            f
            for f in ENGINE.evaluate(case, at, explain=False).of_kind("deadline")
            if f.state == "running"
        ]
        states = result.deadline_state[0]
        assert (RUNNING in states.tolist()) == bool(running)
        if running:
            soonest = min(f.date.earliest for f in running)
            assert np.nanmin(result.deadline_next[0]) == np.datetime64(soonest, "D")


# A pack that uses every function of the condition language, fuzzy version boundaries, an
# exception and nested short-circuits whose side effects decide "unknown" versus "possible".
TEST_PACK = {
    "pack.yaml": {
        "id": "zz",
        "title": "Test pack",
        "version": "0.0.1",
        "order": "zz",
        "jurisdiction": "*",
        "verified_through": "2026-01-01",
    },
    "rules.yaml": [
        {
            "id": "zz.nested",
            "kind": "protection",
            "effect": "bars_removal",
            "applies_to": ["deportation", "handover"],
            "versions": [
                {
                    "from": {"earliest": "2009-03-01", "latest": "2009-04-30"},
                    "until": "2019-12-31",
                    "when": "(fact('zz_a') and maybe(asylum_sought)) or fact('zz_b')",
                },
                {
                    "from": {"earliest": "2020-01-01", "latest": "2020-03-31"},
                    "when": "removal_via('deportation') or origin_in('RU') "
                    "or (fact('zz_c', None) and not lawfully_present)",
                },
            ],
        },
        {
            "id": "zz.citizen",
            "kind": "protection",
            "effect": "bars_removal",
            "derogable": True,
            "versions": [
                {"when": "citizen_of_host() or (tagged('x') and not fact('zz_d', False))"}
            ],
        },
        {
            "id": "zz.exception",
            "kind": "exception",
            "defeats": ["zz.nested", "zz.citizen"],
            "versions": [
                {
                    "from": "2012-01-01",
                    "when": "fact('zz_e', maybe(removed)) and not (fact('zz_a') or None)",
                }
            ],
        },
        {
            "id": "zz.act",
            "kind": "action",
            "versions": [{"when": "not fact('zz_f') or (None and asylum_sought)"}],
        },
    ],
}


def _test_engine() -> Engine:
    root = Path(tempfile.mkdtemp()) / "lawpacks"
    shutil.copytree(default_pack_dir(), root)
    (root / "zz").mkdir()
    common = {
        "title": "x",
        "instrument": "cat",
        "article": "1",
        "citation": {"text": "test"},
        "basis": "verified",
        "explain": "test",
    }
    TEST_PACK["rules.yaml"] = [{**common, **r} for r in TEST_PACK["rules.yaml"]]  # type: ignore[dict-item]
    for name, data in TEST_PACK.items():
        (root / "zz" / name).write_text(yaml.safe_dump(data, sort_keys=False))
    return Engine(_Loader(root).library())


TEST_ENGINE = _test_engine()


@settings(max_examples=200, deadline=None)
@given(st.lists(cases(TEST_FACTS), min_size=1, max_size=6), AT)
def test_every_condition_function_agrees_with_the_per_case_engine(
    population: list[Case], at: date
) -> None:
    assert_same(population, at, TEST_ENGINE)


@st.composite
def party_tables(draw: st.DrawFn) -> Table:
    """Random party records for the hosts: fuzzy entries into force, withdrawals, reservations."""
    records = {}
    for state in ("KZ", "TR", "RU", "DE"):
        for instrument in INSTRUMENTS:
            kind = draw(st.sampled_from(["party", "party", "party", "not_party", "absent"]))
            if kind == "absent":
                continue
            first = FIRST + draw(st.integers(-400, SPAN))
            width = draw(st.sampled_from([0, 0, 30, 365]))
            start = DateRange(date.fromordinal(first), date.fromordinal(first + width))
            until = None
            if draw(st.booleans()) and draw(st.booleans()):
                end = first + width + draw(st.integers(1, 2000))
                until = DateRange.day(date.fromordinal(end))
            limited = instrument == "refugee-convention" and draw(st.booleans())
            reservations = (Reservation("geographic_limitation"),) if limited else ()
            records[(instrument, state)] = Record(kind, start, until, reservations)
    return Table(records)


@settings(max_examples=60, deadline=None)
@given(party_tables(), st.lists(cases(), min_size=1, max_size=6), AT)
def test_batch_equals_the_engine_whatever_the_hosts_and_party_dates(
    table: Table, population: list[Case], at: date
) -> None:
    assert_same(population, at, Engine(ENGINE.library.with_parties(table)))
