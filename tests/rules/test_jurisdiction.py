"""Where the law applies: national packs to their own state, treaties to the states they bind."""

from __future__ import annotations

from datetime import date

from tests.rules.party_fixture import Record, Reservation, Table

from refuge.casefile import parse_case
from refuge.domain import DateRange
from refuge.rules.batch import evaluate_batch, summarise
from refuge.rules.engine import Engine

BASE = Engine()

CASE = """\
case:
  id: t
  person: {{name: T, citizenship: [{origin}]}}
  host: {host}
  origin: {origin}
events:
  - {{id: apply, type: asylum_application, date: 2023-03-01}}
  - {{id: registered, type: asylum_registration, date: 2023-03-02}}
  - {{id: refusal, type: asylum_decision, outcome: refused, date: 2023-05-10}}
  - {{id: risk, type: risk_allegation, harm: torture, date: 2023-03-01}}
  - {{id: im, type: interim_measures, body: CAT, date: 2023-05-12}}
  - {{id: order, type: expulsion_order, date: 2023-05-20}}
  - {{id: out, type: removal, to: {origin}, via: deportation, date: 2023-06-01}}
"""
AT = date(2023, 12, 31)


def case(host: str = "TR", origin: str = "UZ") -> object:
    return parse_case(CASE.format(host=host, origin=origin))


def day(text: str) -> DateRange:
    return DateRange.parse_shorthand(text)


def table(**extra: Record) -> Table:
    records = {
        ("cat", "TR"): Record("party", day("1988-08-01")),
        ("cat-22", "TR"): Record("party", day("1988-08-01")),
        ("iccpr", "TR"): Record("party", day("2003-12-23")),
        ("refugee-convention", "TR"): Record(
            "party", day("1962-06-30"), reservations=(Reservation("geographic_limitation"),)
        ),
        ("cat", "KZ"): Record("party", day("1998-09-25")),
        ("cat-22", "KZ"): Record("party", day("2008")),
        ("iccpr", "KZ"): Record("party", day("2006-04-24")),
        ("refugee-convention", "KZ"): Record("party", day("1999-04-15")),
        ("cat", "UZ"): Record("party", day("1995-09-28")),
    }
    records |= {tuple(k.split("__")): v for k, v in extra.items()}  # type: ignore[misc]
    return Table(records)


def engine(parties: Table | None = None) -> Engine:
    return Engine(BASE.library.with_parties(parties or table()))


def test_a_national_pack_does_not_judge_another_state() -> None:
    result = engine().evaluate(case("TR"), AT)  # type: ignore[arg-type]
    rules = {f.rule for f in result.findings}
    assert not [r for r in rules if r.startswith("kz")], rules
    assert "kz" not in result.removal.orders
    assert not result.of_kind("deadline")  # Kazakh deadlines do not run in Türkiye
    assert result.jurisdiction is not None and result.jurisdiction.international_only
    statement = "no national law of TR is encoded; international law only"
    assert result.jurisdiction.statement == statement
    assert statement in result.removal.reasons
    assert result.removal.lawful is False  # barred by CAT
    quiet = parse_case(CASE.format(host="TR", origin="UZ").split("  - {id: risk")[0])
    # nothing bars it, yet it is never "lawful" on international law alone
    assert engine().evaluate(quiet, AT).removal.lawful is None
    data = result.to_json()
    assert data["jurisdiction"]["international_only"] is True
    assert data["jurisdiction"]["statement"] == statement
    # international law still judges the removal
    assert "cat.3.non_refoulement" in {f.rule for f in result.of_kind("breach")}


def test_the_same_case_in_kazakhstan_is_judged_by_kazakh_law() -> None:
    result = engine().evaluate(case("KZ"), AT)  # type: ignore[arg-type]
    assert "kz" in result.removal.orders
    assert result.jurisdiction is not None and result.jurisdiction.national == ("kz", "kz-policy")
    assert any(f.rule.startswith("kz.") for f in result.findings)


def test_an_unknown_host_is_said_and_treaties_are_at_most_possible() -> None:
    result = engine().evaluate(case("XX"), AT)  # type: ignore[arg-type]
    assert result.jurisdiction is not None and not result.jurisdiction.host_known
    assert "the host state is unknown" in result.jurisdiction.statement
    assert any("party status unknown" in n for n in result.notices)
    breaches = result.of_kind("breach")
    assert breaches and all(f.status != "certain" for f in breaches)


def test_an_unrecorded_party_status_gives_no_finding_and_a_notice() -> None:
    result = engine().evaluate(case("AF", origin="UZ"), AT)  # type: ignore[arg-type]
    assert not [f for f in result.findings if f.order in ("cat", "iccpr", "refugee-convention")]
    assert "party status of AF for CAT not recorded" in result.notices
    assert "party status of AF for CAT not recorded" in result.to_json()["notices"]


def test_a_removal_before_the_state_was_bound_is_no_breach() -> None:
    late = table(cat__TR=Record("party", day("2024-01-01")))
    breaches = {f.rule for f in engine(late).evaluate(case("TR"), AT).of_kind("breach")}
    assert "cat.3.non_refoulement" not in breaches
    assert "cat.22.interim_measures_respected" in breaches  # the declaration binds separately


def test_a_fuzzy_entry_into_force_makes_the_finding_at_most_possible() -> None:
    fuzzy = table(cat__TR=Record("party", DateRange(date(2023, 5, 1), date(2023, 7, 1))))
    found = {f.rule: f for f in engine(fuzzy).evaluate(case("TR"), AT).of_kind("breach")}
    assert found["cat.3.non_refoulement"].status == "possible"
    assert "may not yet have been bound" in found["cat.3.non_refoulement"].explanation


def test_art_22_rules_need_the_declaration() -> None:
    without = table(**{"cat-22__TR": Record("signatory", None)})
    rules = {f.rule for f in engine(without).evaluate(case("TR"), AT).findings}
    assert "cat.22.interim_measures_respected" not in rules
    assert "cat.3.non_refoulement" in rules


def test_a_state_that_left_a_treaty_stays_judged_for_acts_before() -> None:
    left = table(cat__TR=Record("party", day("1988-08-01"), until=day("2023-09-16")))
    assert "cat.3.non_refoulement" in {
        f.rule for f in engine(left).evaluate(case("TR"), AT).of_kind("breach")
    }
    gone = table(cat__TR=Record("party", day("1988-08-01"), until=day("2023-05-16")))
    assert "cat.3.non_refoulement" not in {
        f.rule for f in engine(gone).evaluate(case("TR"), AT).of_kind("breach")
    }


def test_the_geographical_limitation_withholds_convention_findings() -> None:
    refugee = CASE.replace(
        "  - {{id: refusal, type: asylum_decision, outcome: refused, date: 2023-05-10}}\n",
        "  - {{id: grant, type: status_grant, status: refugee, date: 2023-05-10}}\n",
    )
    afghan = parse_case(refugee.format(host="TR", origin="AF"))
    result = engine().evaluate(afghan, AT)
    assert not [f for f in result.findings if f.order == "refugee-convention"]
    assert any("geographical limitation" in n for n in result.notices)
    ukrainian = parse_case(refugee.format(host="TR", origin="UA"))
    found = {f.rule for f in engine().evaluate(ukrainian, AT).findings}
    assert "rc.32.expulsion_of_refugee" in found or "rc.33_1.refugee" in found


def test_the_batch_path_gates_like_the_engine() -> None:
    eng = engine()
    population = [case(h, o) for h in ("TR", "KZ", "XX", "AF") for o in ("UZ", "AF")]
    for at in (date(2023, 5, 11), date(2023, 5, 25), AT):
        result = evaluate_batch(population, at, library=eng.library)  # type: ignore[arg-type]
        for i, c in enumerate(population):
            verdict, findings = summarise(eng.evaluate(c, at, explain=False))  # type: ignore[arg-type]
            assert result.verdict_summary(i) == verdict
            assert result.findings_summary(i) == findings


def test_the_bundled_party_table_judges_russia_in_2005_under_the_iccpr() -> None:
    """Issue 9: a removal by Russia in 2005 was missed ("not yet in force": Kazakhstan's date)."""
    text = CASE.format(host="RU", origin="UZ").replace("2023-", "2005-")
    result = BASE.evaluate(parse_case(text), date(2005, 12, 31))
    breaches = {f.rule for f in result.of_kind("breach")}
    assert "iccpr.7.non_refoulement" in breaches
    assert "cat.3.non_refoulement" in breaches
    assert result.jurisdiction is not None and result.jurisdiction.international_only


def test_a_host_not_party_to_the_refugee_convention_gets_no_finding_under_it() -> None:
    result = BASE.evaluate(parse_case(CASE.format(host="UZ", origin="TJ")), AT)
    assert not [f for f in result.findings if f.order == "refugee-convention"]
    assert any(f.order == "cat" for f in result.findings)
