"""The echr pack: art. 3, art. 34 with Rule 39, art. 13 with art. 3, art. 5(1)(f)."""

from __future__ import annotations

from datetime import date

from refuge.casefile import parse_case
from refuge.rules.engine import evaluate

HEAD = """\
case:
  id: e
  person: {{name: E, citizenship: [UZ]}}
  host: {host}
  origin: UZ
events:
"""


def run(host: str, events: str, at: date) -> dict[tuple[str, str], str]:
    result = evaluate(parse_case(HEAD.format(host=host) + events), at)
    return {(f.kind, f.rule): f.status for f in result.findings if f.order == "echr"}


RISKY_REMOVAL = """\
  - {id: risk, type: risk_assessment, outcome: risk_found, harm: ill_treatment, date: 2021-03-01}
  - {id: order, type: expulsion_order, date: 2021-04-01}
  - {id: out, type: removal, to: UZ, via: deportation, date: 2022-09-01}
"""


def test_article_3_bars_removal_to_ill_treatment_by_a_bound_host() -> None:
    found = run("TR", RISKY_REMOVAL, date(2022, 12, 31))
    assert found[("breach", "echr.3.non_refoulement")] == "certain"
    assert run("UZ", RISKY_REMOVAL, date(2022, 12, 31)) == {}  # Uzbekistan is no party


def test_russia_is_judged_for_acts_before_it_ceased_to_be_a_party() -> None:
    before = run("RU", RISKY_REMOVAL, date(2022, 12, 31))
    assert ("breach", "echr.3.non_refoulement") in before
    after = run("RU", RISKY_REMOVAL.replace("2022-09-01", "2022-10-01"), date(2022, 12, 31))
    assert ("breach", "echr.3.non_refoulement") not in after


def test_ignoring_a_rule_39_measure_breaches_article_34() -> None:
    events = RISKY_REMOVAL.replace(
        "  - {id: out",
        "  - {id: r39, type: interim_measures, body: ECtHR, date: 2022-08-20}\n  - {id: out",
    )
    found = run("TR", events, date(2022, 12, 31))
    assert found[("breach", "echr.34.rule39_respected")] == "certain"
    pending = run("TR", events, date(2022, 8, 25))
    assert pending[("protection", "echr.34.rule39_respected")] == "certain"


def test_ask_for_rule_39_only_where_the_host_is_bound() -> None:
    threatened = """\
  - {id: risk, type: risk_allegation, harm: torture, date: 2024-01-10}
  - {id: order, type: expulsion_order, date: 2024-02-01}
"""
    assert ("action", "echr.act.request_rule39") in run("TR", threatened, date(2024, 2, 5))
    assert ("action", "echr.act.request_rule39") not in run("KZ", threatened, date(2024, 2, 5))


def test_removal_during_a_pending_challenge_with_a_risk_raised_breaches_article_13() -> None:
    events = """\
  - {id: risk, type: risk_allegation, harm: torture, date: 2021-03-01}
  - {id: order, type: expulsion_order, date: 2021-04-01}
  - {id: appeal, type: appeal_lodged, against: expulsion_order, date: 2021-04-05}
  - {id: out, type: removal, to: UZ, via: deportation, date: 2021-05-01}
"""
    found = run("DE", events, date(2021, 12, 31))
    assert found[("breach", "echr.13.suspensive_remedy")] == "possible"
    decided = events.replace(
        "  - {id: out",
        "  - {id: ruling, type: appeal_decision, against: expulsion_order, outcome: upheld,"
        " date: 2021-04-20}\n  - {id: out",
    )
    assert ("breach", "echr.13.suspensive_remedy") not in run("DE", decided, date(2021, 12, 31))


def test_detention_for_removal_without_proceedings_is_flagged_as_possible() -> None:
    held = "  - {id: held, type: detention, grounds: extradition_arrest, date: 2023-01-10}\n"
    found = run("UA", held, date(2023, 3, 1))
    assert found[("action", "echr.5_1_f.challenge_detention")] == "possible"
    requested = held + "  - {id: req, type: extradition_request, by: UZ, date: 2023-01-20}\n"
    assert ("action", "echr.5_1_f.challenge_detention") not in run(
        "UA", requested, date(2023, 3, 1)
    )
