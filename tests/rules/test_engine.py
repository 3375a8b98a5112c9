"""Targeted checks of the engine's semantics and of its JSON contract."""

from __future__ import annotations

import ast
import itertools
from datetime import date
from pathlib import Path

from refuge.casefile import load_case_file, parse_case
from refuge.rules.engine import evaluate

SRC = Path(__file__).parents[2] / "src" / "refuge"
EXAMPLE = SRC / "examples" / "zhilin-2022.yaml"

CASE = """\
case:
  id: t
  person: {{name: T, citizenship: [UZ]}}
  host: KZ
  origin: UZ
events:
  - {{id: apply, type: asylum_application, date: 2023-03-01}}
  - {{id: refusal, type: asylum_decision, outcome: refused, date: 2023-05-10}}
  - {{id: order, type: expulsion_order, date: 2023-05-20}}
  - {{id: out, type: removal, to: UZ, via: deportation, date: {removal}}}
"""


def breaches(removal: str, at: date = date(2023, 12, 31)) -> dict[str, str]:
    case = parse_case(CASE.format(removal=removal))
    return {f.rule: f.status for f in evaluate(case, at).of_kind("breach")}


def test_the_engine_never_reads_the_clock() -> None:
    for path in (SRC / "rules").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("today", "now", "utcnow"):
                raise AssertionError(f"{path.name}:{node.lineno} reads the clock")


def test_removal_while_the_claim_is_pending_is_a_breach() -> None:
    # Pending only because no decision is recorded: certain only once a person marked the file
    # complete (issue 9 fault 2).
    assert breaches("2023-04-01")["rc.33_1.asylum_seeker"] == "possible"
    text = CASE.format(removal="2023-04-01").replace("  host: KZ", "  complete: true\n  host: KZ")
    found = {f.rule: f.status for f in evaluate(parse_case(text), date(2023, 12, 31)).findings}
    assert found["rc.33_1.asylum_seeker"] == "certain"
    # The national bar's own article is unverified: capped at possible.
    assert found["kz.refugees.asylum_seeker_pending_claim"] == "possible"


def test_removal_on_the_day_of_the_refusal_is_unknown_order_so_possible() -> None:
    assert breaches("2023-05-10")["rc.33_1.asylum_seeker"] == "possible"


def test_removal_after_the_refusal_no_longer_breaches_the_pending_claim_rule() -> None:
    found = breaches("2023-05-11")
    assert "kz.refugees.asylum_seeker_pending_claim" not in found
    # The refusal could still be challenged: art. 33(1) is only possibly engaged.
    assert found["rc.33_1.asylum_seeker"] == "possible"


def test_a_fuzzy_removal_straddling_the_end_of_a_protection_is_only_possible() -> None:
    found = breaches("{earliest: 2023-05-01, latest: 2023-05-31}")
    assert found["rc.33_1.asylum_seeker"] == "possible"


def test_no_breach_before_the_removal_has_happened() -> None:
    assert breaches("2023-06-01", at=date(2023, 5, 25)) == {}


def test_evaluate_json_keeps_the_contract_keys() -> None:
    data = evaluate(load_case_file(EXAMPLE), date(2022, 12, 30)).to_json()
    assert {"case", "at", "removal", "findings"} <= set(data)
    assert {"lawful", "orders", "barred_by"} <= set(data["removal"])
    keys = {
        "kind",
        "rule",
        "instrument",
        "article",
        "status",
        "basis",
        "date",
        "events",
        "explanation",
    }
    for finding in data["findings"]:
        assert keys <= set(finding)
        assert finding["kind"] in ("protection", "deadline", "breach", "action")
        assert finding["status"] in ("certain", "possible", "unknown")


def test_explanations_name_their_citation_and_rest_on_real_events() -> None:
    case = load_case_file(EXAMPLE)
    ids = {e.id for e in case.events}
    for finding in evaluate(case, date(2022, 12, 30)).findings:
        assert set(finding.events) <= ids
        assert finding.explanation


def test_explanations_can_be_skipped_for_speed_without_changing_answers() -> None:
    case = load_case_file(EXAMPLE)
    full = evaluate(case, date(2022, 12, 30))
    lean = evaluate(case, date(2022, 12, 30), explain=False)
    assert [(f.rule, f.status) for f in full.findings] == [
        (f.rule, f.status) for f in lean.findings
    ]
    assert all(f.explanation == "" for f in lean.findings)


def test_the_outlook_covers_the_period_with_verdicts_equal_to_daily_evaluation() -> None:
    from datetime import timedelta

    from refuge.rules.engine import Engine

    case = load_case_file(EXAMPLE)
    start, end = date(2022, 9, 1), date(2023, 3, 1)
    spans = Engine.default().outlook(case, start, end)
    assert spans[0].since == start and spans[-1].until == end
    for before, after in itertools.pairwise(spans):
        assert after.since == before.until + timedelta(days=1)
        assert not before.same_verdict(after)
    day = start
    while day <= end:  # the test may go day by day; the engine never does
        [span] = [s for s in spans if s.since <= day <= s.until]
        verdict = evaluate(case, day, explain=False).removal
        assert (verdict.lawful, verdict.orders) == (span.verdict.lawful, span.verdict.orders)
        day += timedelta(days=1)
