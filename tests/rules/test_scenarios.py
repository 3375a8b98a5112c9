"""The golden scenarios of the law packs, one test each, and the false-alarm count against
decided cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from refuge.errors import ScenarioFailure
from refuge.rules.scenarios import (
    check_holdings,
    check_scenario,
    default_scenario_dir,
    load_scenario,
    load_scenarios,
)

SCENARIOS = load_scenarios()
DECIDED = [s for s in SCENARIOS if s.holding]


def test_there_are_golden_scenarios() -> None:
    assert SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.path.stem for s in SCENARIOS])
def test_scenario(scenario, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    if "known-failure" in scenario.tags:
        request.applymarker(pytest.mark.xfail(strict=True, reason="known engine/pack gap"))
    failures = check_scenario(scenario)
    assert not failures, f"{scenario.name}:\n  " + "\n  ".join(failures)


def test_no_certain_finding_contradicts_a_decided_case() -> None:
    """The issue's target: zero certain findings contradicting what the authority held, over
    every decided-case scenario not tagged known-failure."""
    counted = [s for s in DECIDED if "known-failure" not in s.tags]
    reports = {s.path.stem: check_holdings(s) for s in counted}
    assert sum(len(r.false_alarms) for r in reports.values()) == 0, {
        k: r.false_alarms for k, r in reports.items() if r.false_alarms
    }
    assert sum(len(r.misses) for r in reports.values()) == 0, {
        k: r.misses for k, r in reports.items() if r.misses
    }


#: The articles that decide whether a return itself was lawful (non-refoulement).
RETURN_ARTICLES = {
    ("echr", "3"),
    ("cat", "3"),
    ("iccpr", "6"),
    ("iccpr", "7"),
    ("refugee-convention", "33"),
    ("refugee-convention", "33(1)"),
}


def test_decided_cases_cover_several_hosts_and_returns_held_lawful() -> None:
    """What issue 9 asks of the set: decided cases from at least five host states, and in at
    least a third of them the authority held the return compatible with the non-refoulement
    article it ruled on (no violation of ECHR art. 3, CAT art. 3, ICCPR arts 6-7 or RC art. 33)."""
    assert len(DECIDED) >= 12
    assert len({s.case.host for s in DECIDED}) >= 5
    compatible = []
    for scenario in DECIDED:
        on_return = [h for h in scenario.holding if (h.instrument, h.article) in RETURN_ARTICLES]
        if on_return and not any(h.violation for h in on_return):
            compatible.append(scenario.path.stem)
    assert 3 * len(compatible) >= len(DECIDED), compatible
    for scenario in DECIDED:
        assert scenario.source and scenario.case.sources, scenario.path.name
        assert "decided" in scenario.tags, scenario.path.name


SYNTHETIC = (default_scenario_dir() / "s12-recognised-refugee-extradited.yaml").read_text()


def _with_holding(tmp_path: Path, holding: str) -> Path:
    path = tmp_path / "held.yaml"
    path.write_text(SYNTHETIC + "holding:\n" + holding, encoding="utf-8")
    return path


def test_a_certain_breach_against_a_no_violation_holding_is_a_false_alarm(tmp_path: Path) -> None:
    scenario = load_scenario(
        _with_holding(
            tmp_path,
            "  - {instrument: refugee-convention, article: '33', violation: false,\n"
            "     decision: a test decision, date: 2024-06-01, at: 2024-03-01}\n",
        )
    )
    report = check_holdings(scenario)
    assert len(report.false_alarms) == 1 and not report.misses
    assert "rc.33_1.refugee" in report.false_alarms[0]
    assert any(f.startswith("false alarm: ") for f in check_scenario(scenario))


def test_a_violation_without_any_breach_finding_is_a_miss(tmp_path: Path) -> None:
    scenario = load_scenario(
        _with_holding(
            tmp_path,
            "  - {instrument: cat, article: '3', violation: true, decision: test,\n"
            "     date: 2024-06-01, at: 2024-03-01}\n"
            "  - {instrument: refugee-convention, article: '33(1)', violation: true,\n"
            "     decision: test, date: 2024-06-01, at: 2024-03-01}\n",
        )
    )
    report = check_holdings(scenario)
    assert not report.false_alarms
    [miss] = report.misses  # RC 33(1) is found; CAT art. 3 is not
    assert "cat art. 3: violation" in miss


def test_a_prospective_holding_counts_protections(tmp_path: Path) -> None:
    scenario = load_scenario(
        _with_holding(
            tmp_path,
            "  - {instrument: refugee-convention, article: '33', violation: false,\n"
            "     removal: prospective, decision: test, date: 2024-02-20}\n",
        )
    )
    [alarm] = check_holdings(scenario).false_alarms
    assert "protection rc.33_1.refugee (certain" in alarm


@pytest.mark.parametrize(
    ("holding", "message"),
    [
        (
            "  - {instrument: cat, article: '3', violation: maybe, decision: d,\n"
            "     date: 2024-01-01}\n",
            "violation must be true or false",
        ),
        (
            "  - {instrument: cat, violation: true, decision: d, date: 2024-01}\n",
            "article is required; date must be a day",
        ),
        (
            "  - {instrument: cat, article: '3', violation: true, decision: d, date: 2024-01-01,\n"
            "     court: CAT}\n",
            "unknown keys ['court']",
        ),
        (
            "  - {instrument: cat, article: '3', violation: true, decision: d, date: 2024-01-01,\n"
            "     removal: later}\n",
            "removal must be one of actual, prospective",
        ),
    ],
)
def test_malformed_holdings_are_named(tmp_path: Path, holding: str, message: str) -> None:
    with pytest.raises(ScenarioFailure, match=r"held\.yaml: holding\[0\]: ") as info:
        load_scenario(_with_holding(tmp_path, holding))
    assert message in str(info.value)
