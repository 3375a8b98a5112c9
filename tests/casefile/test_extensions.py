"""The case-format additions of issue 9: old files stay valid, new keys round-trip, bad values
are errors naming file, line and key."""

from __future__ import annotations

import datetime

import pytest

from refuge.casefile import dump_json, dump_yaml, parse_case
from refuge.domain import DateRange
from refuge.errors import CaseFileError

HEAD = """\
case:
  id: test-9
  person: {name: A. Person, citizenship: [UZ]}
  host: RU
  origin: UZ
"""

FULL = (
    HEAD.replace("origin: UZ", "origin: UZ\n  complete: true")
    + """\
events:
  - {id: req, type: extradition_request, by: UZ, date: 2012-01}
  - id: assurances
    type: diplomatic_assurances
    from: UZ
    by: Prosecutor General of Uzbekistan
    content: [no_torture, no_death_penalty, fair_trial]
    monitoring: consular visits only
    date: 2012-02-10
  - {id: one-promise, type: diplomatic_assurances, from: UZ, content: no_torture,
     monitoring: false, date: 2012-02-11}
  - {id: decision, type: extradition_decision, outcome: granted, served: 2012-03, date: 2012-02-20}
  - {id: refusal, type: asylum_decision, outcome: refused, authority: host_agency,
     served: {earliest: 2012-02-01, latest: 2012-02-15, text: "early February"}, date: 2012-02-01}
  - {id: appeal, type: appeal_lodged, against: extradition_decision, suspensive: true,
     date: 2012-03-05}
  - {id: ruling, type: appeal_decision, against: extradition_decision, outcome: upheld,
     served: 2012-04-02, date: 2012-03-30}
  - {id: expel, type: expulsion_order, served: 2012-04-03, date: 2012-04-01}
  - {id: court, type: conviction, served: 2012-04-04, date: 2012-04-01}
  - {id: mandate, type: status_grant, status: mandate refugee, by: UNHCR, authority: unhcr,
     date: 2012-01-15}
  - {id: claim, type: risk_allegation, harm: torture, state: UZ, date: 2012-01-20}
  - {id: ecthr, type: risk_assessment, outcome: no_risk, harm: torture, by: ECtHR,
     authority: regional_court, state: UZ, date: 2013-05-01}
  - {id: rule39, type: interim_measures_request, body: ECtHR, date: 2012-04-05}
  - {id: measures, type: interim_measures, body: ECtHR, date: 2012-04-06}
  - {id: taken, type: removal, to: UZ, via: rendition, date: 2012-05}
"""
)


def problems(text: str) -> list[str]:
    with pytest.raises(CaseFileError) as info:
        parse_case(text, "case.yaml")
    return info.value.problems


def test_every_addition_is_read_and_round_trips_loss_free() -> None:
    case = parse_case(FULL, "case.yaml")
    assert case.complete is True
    assert case.event("assurances").attrs["content"] == [
        "no_torture",
        "no_death_penalty",
        "fair_trial",
    ]
    assert case.event("one-promise").attrs == {
        "from": "UZ",
        "content": "no_torture",
        "monitoring": False,
    }
    assert case.event("decision").attrs["served"] == DateRange.parse_shorthand("2012-03")
    served = case.event("refusal").attrs["served"]
    assert (served.earliest, served.latest) == (
        datetime.date(2012, 2, 1),
        datetime.date(2012, 2, 15),
    )
    assert served.text == "early February"  # a fuzzy service date stays fuzzy
    assert case.event("appeal").attrs["suspensive"] is True
    assert case.event("mandate").attrs["authority"] == "unhcr"
    assert case.event("ecthr").attrs["state"] == "UZ"
    assert case.event("taken").attrs["via"] == "rendition"
    assert parse_case(dump_yaml(case)) == case
    assert parse_case(dump_json(case)) == case
    assert "complete: true" in dump_yaml(case)


def test_complete_defaults_to_false_and_is_not_written_out() -> None:
    case = parse_case(HEAD + "events: []\n", "case.yaml")
    assert case.complete is False
    assert "complete" not in dump_yaml(case)
    assert parse_case(dump_yaml(case)) == case


def test_complete_must_be_true_or_false() -> None:
    text = HEAD.replace("origin: UZ", "origin: UZ\n  complete: yes please") + "events: []\n"
    [message] = problems(text)
    assert message.startswith("case.yaml:6: case.complete: must be true")


def test_served_must_be_a_date() -> None:
    text = HEAD + "events:\n  - {id: d, type: expulsion_order, served: soon, date: 2012-01-01}\n"
    [message] = problems(text)
    assert message.startswith("case.yaml:7: events[0].served: 'soon' is not a date")


def test_unknown_assurance_content_names_the_item_and_the_allowed_values() -> None:
    text = HEAD + (
        "events:\n"
        "  - id: a\n    type: diplomatic_assurances\n    date: 2012-01-01\n"
        "    content: [no_torture, no_beatings]\n"
    )
    [message] = problems(text)
    assert message.startswith("case.yaml:10: events[0].content[1]: 'no_beatings' is not allowed")
    assert "no_death_penalty" in message and "access_monitoring" in message


def test_empty_assurance_content_and_bad_monitoring_are_errors() -> None:
    text = HEAD + (
        "events:\n"
        "  - {id: a, type: diplomatic_assurances, date: 2012-01-01, content: [], monitoring: 3}\n"
    )
    found = problems(text)
    assert any("events[0].content: an empty list" in p for p in found)
    assert any("events[0].monitoring: must be true, false or a few words" in p for p in found)


def test_unknown_keys_on_new_types_stay_errors() -> None:
    text = HEAD + ("events:\n  - {id: a, type: diplomatic_assurances, date: 2012-01-01, to: RU}\n")
    [message] = problems(text)
    assert message.startswith("case.yaml:7: events[0].to: unknown key 'to'; allowed:")
    assert "content" in message and "monitoring" in message


def test_authority_is_a_closed_list() -> None:
    text = HEAD + ("events:\n  - {id: a, type: status_grant, authority: UNHCR, date: 2012-01-01}\n")
    [message] = problems(text)
    assert "events[0].authority: 'UNHCR' is not allowed; allowed: host_agency" in message


def test_suspensive_is_true_or_false() -> None:
    text = HEAD + "events:\n  - {id: a, type: appeal_lodged, suspensive: maybe, date: 2012-01-01}\n"
    [message] = problems(text)
    assert message.startswith("case.yaml:7: events[0].suspensive: must be true or false")
