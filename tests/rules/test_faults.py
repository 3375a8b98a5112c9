"""Legal faults of issue 9 that the scenarios do not pin down in full: what the explanations say."""

from __future__ import annotations

from datetime import date

from refuge.casefile import parse_case
from refuge.rules.engine import evaluate

HEAD = """\
case:
  id: f
  person: {name: F, citizenship: [UZ]}
  host: KZ
  origin: UZ
events:
  - {id: request, type: extradition_request, by: UZ, offence: fraud, date: 2021-11-01}
  - {id: decision, type: extradition_decision, outcome: granted, date: 2022-01-10}
  - {id: removal, type: removal, to: UZ, via: extradition, date: 2022-03-01}
"""
AT = date(2022, 12, 31)


def breach(text: str, rule: str) -> tuple[str, str]:
    found = [f for f in evaluate(parse_case(text), AT).of_kind("breach") if f.rule == rule]
    assert found, rule
    return found[0].status, found[0].explanation


def test_a_risk_found_only_after_the_removal_gives_a_possible_breach_and_says_so() -> None:
    later = (
        "  - {id: views, type: risk_assessment, outcome: risk_found, harm: torture, by: CAT,"
        " date: 2022-06-01}\n"
    )
    status, text = breach(HEAD + later, "cat.3.non_refoulement")
    assert status == "possible"
    assert "only after the removal" in text
    earlier = later.replace("2022-06-01", "2022-02-01")
    assert breach(HEAD + earlier, "cat.3.non_refoulement")[0] == "certain"


def test_a_no_risk_finding_lowers_the_bar_and_is_shown() -> None:
    found = (
        "  - {id: court, type: risk_assessment, outcome: risk_found, harm: torture,"
        " date: 2021-12-01}\n"
    )
    cleared = (
        "  - {id: appeal, type: risk_assessment, outcome: no_risk, harm: torture,"
        " by: Supreme Court, authority: host_court, date: 2022-01-05}\n"
    )
    status, text = breach(HEAD + found + cleared, "cat.3.non_refoulement")
    assert status == "possible"  # lowered, never lawful by itself under CAT art. 3
    assert "found no real risk" in text


def test_cat_covers_torture_but_iccpr_7_covers_ill_treatment() -> None:
    ill = (
        "  - {id: court, type: risk_assessment, outcome: risk_found, harm: ill_treatment,"
        " date: 2021-12-01}\n"
    )
    rules = {f.rule for f in evaluate(parse_case(HEAD + ill), AT).of_kind("breach")}
    assert "iccpr.7.non_refoulement" in rules
    assert "cat.3.non_refoulement" not in rules


def test_disguised_extradition_after_a_refusal_is_flagged() -> None:
    text = HEAD.replace("outcome: granted", "outcome: refused").replace(
        "via: extradition", "via: deportation"
    )
    status, explanation = breach(text, "kz.disguised_extradition")
    assert status == "possible"
    assert "extradition request" in explanation
    elsewhere = text.replace("to: UZ", "to: TR")
    rules = {f.rule for f in evaluate(parse_case(elsewhere), AT).of_kind("breach")}
    assert "kz.disguised_extradition" not in rules


def test_an_unknown_service_is_said_and_the_decision_date_is_the_earliest_start() -> None:
    text = HEAD.replace("  - {id: removal", "  - {id: removal_x").split("  - {id: removal_x")[0]
    result = evaluate(parse_case(text), date(2022, 1, 12))
    [window] = [
        f for f in result.of_kind("deadline") if f.rule == "kz.cpc.592_1.extradition_appeal"
    ]
    assert "does not record" in window.explanation and str(window.date) == "2022-01-20"
    served = text.replace("outcome: granted,", "outcome: granted, served: 2022-01-15,")
    result = evaluate(parse_case(served), date(2022, 1, 22))
    [window] = [
        f for f in result.of_kind("deadline") if f.rule == "kz.cpc.592_1.extradition_appeal"
    ]
    assert window.state == "running" and "was served" in window.explanation


def test_a_fact_the_file_does_not_give_is_listed_once_to_find_out() -> None:
    text = """\
case:
  id: f7
  person: {name: F, citizenship: [RU]}
  host: KZ
  origin: RU
events:
  - {id: request, type: extradition_request, by: RU, date: 2023-02-01}
  - {id: custody, type: detention, grounds: extradition, date: 2023-02-02}
"""
    result = evaluate(parse_case(text), date(2023, 2, 10))
    assert "kz.cpc.590_1_9.military_offence" not in {f.rule for f in result.findings}
    [fact] = result.to_find_out
    assert fact.startswith("the offence named in the extradition request")
    assert result.to_json()["to_find_out"] == [fact]
    named = text.replace("by: RU,", "by: RU, offence: desertion,")
    assert evaluate(parse_case(named), date(2023, 2, 10)).to_find_out == ()


def test_the_time_to_appeal_is_asked_where_no_national_pack_counts_it() -> None:
    """Fault 5: a removal after an order whose time to appeal refuge does not encode for the
    host is a fact to find out, once, citing every rule that turns on it; never a finding."""
    ordered = HEAD.replace("host: KZ", "host: TR").replace(
        "  - {id: decision, type: extradition_decision, outcome: granted, date: 2022-01-10}\n",
        "  - {id: order, type: expulsion_order, date: 2022-02-20}\n",
    )
    result = evaluate(parse_case(ordered), AT)
    asked = [f for f in result.to_find_out if "time allowed under the law of TR" in f]
    assert len(asked) == 1
    assert "(order, removal;" in asked[0]
    assert "ICCPR art. 13" in asked[0]
    assert not any("time allowed" in f.explanation for f in result.findings)
    # Before the removal there is nothing yet to judge, so nothing to ask.
    assert not any(
        "time allowed" in f for f in evaluate(parse_case(ordered), date(2022, 2, 25)).to_find_out
    )
    # Kazakhstan's pack counts the time to appeal an extradition decision (CPC art. 592(1)).
    assert not any("time allowed" in f for f in evaluate(parse_case(HEAD), AT).to_find_out)
