"""Golden scenarios: real and synthetic cases with dated expectations, run against the packs.

A scenario file is a case file (``case``, ``sources``, ``events``, ``facts``; or ``case_file``:
a path relative to the scenario) plus ``name``, ``source`` (where the facts come from) and
``expect``: a list of checks, each at a date::

    expect:
      - at: 2022-12-30
        removal_lawful: false            # true | false | null (unknown)
        orders: {kz: false}              # per legal order, any subset
        includes:                        # findings that must be there (given keys must match;
          - {kind: breach, rule: rc.33_1.asylum_seeker, status: certain, events: [handover]}
        excludes:                        #  events: a subset of the finding's events)
          - {kind: breach, rule: cat.22.interim_measures_respected}
        none_of_kind: [action]           # no finding of these kinds at all

Assertions name rule and event ids, never prose, so rewording an explanation breaks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from refuge.casefile.load import case_from_data, read_case_text, read_yaml
from refuge.domain import Case
from refuge.errors import ScenarioFailure
from refuge.rules.engine import Engine
from refuge.rules.results import Evaluation, Finding

_CASE_KEYS = ("case", "sources", "events", "facts")
_SCENARIO_KEYS = ("name", "source", "expect", "tags", "case_file")


@dataclass(frozen=True)
class Scenario:
    path: Path
    name: str
    source: str
    case: Case
    expect: list[dict[str, Any]]
    tags: tuple[str, ...] = ()


def default_scenario_dir() -> Path:
    return Path(str(resources.files("refuge") / "lawpacks" / "scenarios"))


def load_scenario(path: Path) -> Scenario:
    data, lines = read_yaml(read_case_text(path), str(path))
    if not isinstance(data, dict):
        raise ScenarioFailure(f"{path}: a scenario is a mapping")
    unknown = set(data) - set(_CASE_KEYS) - set(_SCENARIO_KEYS)
    if unknown:
        raise ScenarioFailure(
            f"{path}: unknown keys {sorted(unknown)}; allowed: "
            f"{', '.join(_CASE_KEYS + _SCENARIO_KEYS)}"
        )
    if "case_file" in data:  # the case lives in its own file (e.g. a bundled example)
        case_path = (path.parent / str(data["case_file"])).resolve()
        case_data, lines = read_yaml(read_case_text(case_path), str(case_path))
    else:
        case_data = {k: v for k, v in data.items() if k in _CASE_KEYS}
    case = case_from_data(case_data, str(path), lines)
    expect = data.get("expect") or []
    if not isinstance(expect, list) or not expect:
        raise ScenarioFailure(f"{path}: expect must be a non-empty list of checks")
    return Scenario(
        path,
        str(data.get("name") or path.stem),
        str(data.get("source") or ""),
        case,
        expect,
        tuple(data.get("tags") or ()),
    )


def load_scenarios(folder: Path | None = None) -> list[Scenario]:
    folder = folder or default_scenario_dir()
    return [load_scenario(p) for p in sorted(folder.glob("*.yaml"))]


def check_scenario(scenario: Scenario, engine: Engine | None = None) -> list[str]:
    """Run every check of ``scenario``; return the failures in domain terms (empty if it passes)."""
    engine = engine or Engine()
    failures: list[str] = []
    for check in scenario.expect:
        at = check.get("at")
        if not isinstance(at, date):
            failures.append(f"a check needs 'at: YYYY-MM-DD' (got {at!r})")
            continue
        result = engine.evaluate(scenario.case, at)
        failures += [f"at {at}: {f}" for f in _check(check, result)]
    return failures


def _check(check: dict[str, Any], result: Evaluation) -> list[str]:
    failures = []
    if "removal_lawful" in check and result.removal.lawful != check["removal_lawful"]:
        failures.append(
            f"removal lawful is {_tri(result.removal.lawful)}, expected "
            f"{_tri(check['removal_lawful'])}"
        )
    for order, expected in (check.get("orders") or {}).items():
        actual = result.removal.orders.get(order, "absent")
        if actual != expected:
            failures.append(f"order {order}: lawful is {_tri(actual)}, expected {_tri(expected)}")
    for spec in check.get("includes") or []:
        if not any(_matches(f, spec) for f in result.findings):
            failures.append(f"missing finding {spec}; got: {_summary(result, spec)}")
    for spec in check.get("excludes") or []:
        found = [f for f in result.findings if _matches(f, spec)]
        if found:
            failures.append(f"unexpected finding {spec}: {_brief(found[0])}")
    for kind in check.get("none_of_kind") or []:
        found = result.of_kind(kind)
        if found:
            failures.append(f"expected no {kind} finding, got {[_brief(f) for f in found]}")
    return failures


def _matches(finding: Finding, spec: dict[str, Any]) -> bool:
    for key, expected in spec.items():
        if key == "events":
            if not set(expected) <= set(finding.events):
                return False
        elif key == "date":
            if str(finding.date) != str(expected):
                return False
        elif getattr(finding, key, None) != expected:
            return False
    return True


def _brief(finding: Finding) -> str:
    state = f", {finding.state}" if finding.state else ""
    return (
        f"{finding.kind} {finding.rule} ({finding.status}{state}; {finding.date}; "
        f"events {list(finding.events)})"
    )


def _summary(result: Evaluation, spec: dict[str, Any]) -> str:
    same_rule = [f for f in result.findings if f.rule == spec.get("rule")]
    shown = same_rule or list(result.findings)
    return "; ".join(_brief(f) for f in shown) or "no findings"


def _tri(value: Any) -> str:
    return {True: "true", False: "false", None: "unknown"}.get(value, str(value))
