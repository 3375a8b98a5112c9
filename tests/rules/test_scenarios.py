"""The golden scenarios of the law packs, one test each."""

from __future__ import annotations

import pytest

from refuge.rules.scenarios import check_scenario, load_scenarios

SCENARIOS = load_scenarios()


def test_there_are_golden_scenarios() -> None:
    assert SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.path.stem for s in SCENARIOS])
def test_scenario(scenario, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    if "known-failure" in scenario.tags:
        request.applymarker(pytest.mark.xfail(strict=True, reason="known engine/pack gap"))
    failures = check_scenario(scenario)
    assert not failures, f"{scenario.name}:\n  " + "\n  ".join(failures)
