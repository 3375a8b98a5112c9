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
        to_find_out: [time allowed]      # facts to find out that must mention these words
        not_to_find_out: [time allowed]  #   (or must not)

Assertions name rule and event ids, never prose, so rewording an explanation breaks nothing.

A scenario from a decided case may add ``holding``: what the authority held, one entry per
instrument and article it ruled on::

    holding:
      - instrument: echr           # as the packs name it: echr, cat, iccpr, refugee-convention...
        article: "3"               # "7" matches a finding on "6, 7"; "33" and "33(1)" match
        violation: false           # what the authority held
        decision: ECtHR, X v. Russia, no. 1/10, 1 Jan 2012
        date: 2012-01-01           # the decision's date
        at: 2011-06-09             # optional: when to evaluate (default: the decision date)
        removal: actual            # actual (the person was removed; default) | prospective

The runner evaluates the case at ``at`` and counts the findings that contradict each holding:
a *false alarm* is a ``certain`` breach (for a prospective holding, a certain breach or
protection) under an instrument and article the authority held not violated; a *miss* is no
breach at all (prospective: no breach or protection) under one it held violated. Both are
failures of the scenario, and ``refuge packs test`` prints the totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
_SCENARIO_KEYS = ("name", "source", "expect", "tags", "case_file", "holding")
_HOLDING_KEYS = ("instrument", "article", "violation", "decision", "date", "at", "removal", "note")
_REMOVALS = ("actual", "prospective")


@dataclass(frozen=True)
class Holding:
    """What a court or treaty body held about one article of one instrument."""

    instrument: str
    article: str
    violation: bool
    decision: str
    decided: date
    at: date
    removal: str = "actual"

    def label(self) -> str:
        held = "violation" if self.violation else "no violation"
        return f"{self.instrument} art. {self.article}: {held} ({self.decision})"


@dataclass(frozen=True)
class HoldingReport:
    """The engine's findings that contradict a scenario's holdings, as brief descriptions."""

    false_alarms: tuple[str, ...] = ()
    misses: tuple[str, ...] = ()

    def failures(self) -> list[str]:
        return [f"false alarm: {f}" for f in self.false_alarms] + [
            f"miss: {m}" for m in self.misses
        ]


@dataclass(frozen=True)
class Scenario:
    path: Path
    name: str
    source: str
    case: Case
    expect: list[dict[str, Any]]
    tags: tuple[str, ...] = ()
    holding: tuple[Holding, ...] = field(default=())


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
        _holdings(data.get("holding"), path),
    )


def _holdings(data: Any, path: Path) -> tuple[Holding, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        raise ScenarioFailure(f"{path}: holding must be a list of mappings")
    return tuple(_holding(item, f"{path}: holding[{i}]") for i, item in enumerate(data))


def _holding(item: Any, where: str) -> Holding:
    if not isinstance(item, dict):
        raise ScenarioFailure(f"{where}: must be a mapping with keys {', '.join(_HOLDING_KEYS)}")
    unknown = sorted(set(item) - set(_HOLDING_KEYS))
    if unknown:
        raise ScenarioFailure(
            f"{where}: unknown keys {unknown}; allowed: {', '.join(_HOLDING_KEYS)}"
        )
    decided, at = item.get("date"), item.get("at", item.get("date"))
    removal = item.get("removal", "actual")
    problems = [
        *(f"{k} is required" for k in ("instrument", "article", "decision") if not item.get(k)),
        *(
            ["violation must be true or false"]
            if not isinstance(item.get("violation"), bool)
            else []
        ),
        *(["date must be a day (YYYY-MM-DD)"] if not isinstance(decided, date) else []),
        *(["at must be a day (YYYY-MM-DD)"] if not isinstance(at, date) else []),
        *([f"removal must be one of {', '.join(_REMOVALS)}"] if removal not in _REMOVALS else []),
    ]
    if problems:
        raise ScenarioFailure(f"{where}: " + "; ".join(problems))
    assert isinstance(decided, date) and isinstance(at, date)
    return Holding(
        str(item["instrument"]),
        str(item["article"]),
        bool(item["violation"]),
        str(item["decision"]),
        decided,
        at,
        str(removal),
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
    return failures + check_holdings(scenario, engine).failures()


def check_holdings(scenario: Scenario, engine: Engine | None = None) -> HoldingReport:
    """Count the engine's findings that contradict what the authority held."""
    engine = engine or Engine()
    false_alarms: list[str] = []
    misses: list[str] = []
    for held in scenario.holding:
        findings = engine.evaluate(scenario.case, held.at).findings
        kinds = ("breach",) if held.removal == "actual" else ("breach", "protection")
        relevant = [f for f in findings if f.kind in kinds and _covers(f, held)]
        if held.violation and not relevant:
            misses.append(f"at {held.at}: no {' or '.join(kinds)} finding; {held.label()}")
        if not held.violation:
            false_alarms += [
                f"at {held.at}: {_brief(f)}; {held.label()}"
                for f in relevant
                if f.status == "certain"
            ]
    return HoldingReport(tuple(false_alarms), tuple(misses))


def _covers(finding: Finding, held: Holding) -> bool:
    """Whether ``finding`` rules on the instrument and article of ``held``: article "7" is
    covered by a finding on "6, 7", and "33" and "33(1)" cover each other."""
    if finding.instrument != held.instrument:
        return False
    wanted = held.article.replace(" ", "")
    for part in finding.article.replace(" ", "").split(","):
        if part == wanted or part.startswith(wanted + "(") or wanted.startswith(part + "("):
            return True
    return False


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
    for wanted in check.get("to_find_out") or []:
        if not any(wanted in fact for fact in result.to_find_out):
            failures.append(f"nothing to find out mentions {wanted!r}; got: {result.to_find_out}")
    for unwanted in check.get("not_to_find_out") or []:
        if any(unwanted in fact for fact in result.to_find_out):
            failures.append(f"unexpected to find out {unwanted!r}: {result.to_find_out}")
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
