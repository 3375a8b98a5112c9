"""Benchmark of the law engine on realistic synthetic timelines.

    python bench/engine.py [--cases N] [--seed S] [--json]

Generates asylum/removal timelines of 10-20 events with fuzzy dates, then measures, on one core:
cases per second for ``evaluate`` without explanations and with them, and the time to explain one
case. Targets (issue 2): 10,000 cases/s per core without explanations; under 5 ms to explain one.
Ratios are printed against the explained run in the same process, the engine's own baseline.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date, timedelta

from refuge.domain import Case, DateRange, Event, Person
from refuge.rules.engine import Engine

# A plausible procedure, in order; each step is kept with some probability.
STEPS: list[tuple[str, dict[str, object], float]] = [
    ("flight", {"from": "RU"}, 0.5),
    ("entry", {"irregular": True}, 0.8),
    ("detention", {"grounds": "border"}, 0.6),
    ("asylum_application", {}, 0.95),
    ("asylum_registration", {}, 0.7),
    ("charge", {"by": "RU", "offence": "desertion", "wanted": "interstate"}, 0.5),
    ("detention", {"grounds": "extradition"}, 0.5),
    ("extradition_request", {"by": "RU"}, 0.5),
    ("asylum_decision", {"outcome": "refused"}, 0.8),
    ("appeal_lodged", {"against": "asylum_decision", "level": "administrative"}, 0.7),
    (
        "appeal_decision",
        {"against": "asylum_decision", "level": "administrative", "outcome": "upheld"},
        0.5,
    ),
    ("appeal_lodged", {"against": "asylum_decision", "level": "first_instance"}, 0.4),
    ("conviction", {"offence": "illegal border crossing", "expulsion": True}, 0.4),
    ("extradition_decision", {"outcome": "granted"}, 0.4),
    ("appeal_lodged", {"against": "extradition_decision"}, 0.3),
    ("risk_allegation", {"harm": "torture"}, 0.5),
    ("interim_measures_request", {"body": "CAT"}, 0.2),
    ("interim_measures", {"body": "CAT"}, 0.15),
    ("appeal_decision", {"against": "asylum_decision", "outcome": "upheld", "final": True}, 0.3),
    ("expulsion_order", {}, 0.3),
    ("removal", {"to": "RU", "via": "deportation"}, 0.3),
]


def synthetic_case(rng: random.Random, index: int) -> Case:
    day = date(2016, 1, 1) + timedelta(days=rng.randrange(3000))
    events: list[Event] = []
    for kind, attrs, chance in STEPS:
        if rng.random() > chance:
            continue
        day += timedelta(days=rng.choice([0, 1, 3, 7, 14, 30, 60]))
        width = rng.choice([0, 0, 0, 0, 2, 9, 29])
        when = DateRange(day, day + timedelta(days=width))
        events.append(Event(f"e{len(events)}", kind, when, dict(attrs)))
    while len(events) < 10:
        day += timedelta(days=rng.randrange(1, 20))
        events.append(Event(f"e{len(events)}", "other", DateRange.day(day), {"label": "note"}))
    person = Person(f"Person {index}", citizenship=("RU",))
    return Case(f"c{index}", person, "KZ", "RU", tuple(events[:20]), tags=("mobilization",))


def rate(engine: Engine, cases: list[Case], ats: list[date], explain: bool) -> float:
    start = time.perf_counter()
    for case, at in zip(cases, ats, strict=True):
        engine.evaluate(case, at, explain=explain)
    return len(cases) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cases = [synthetic_case(rng, i) for i in range(args.cases)]
    ats = [c.events[-1].date.latest + timedelta(days=rng.randrange(-60, 60)) for c in cases]
    engine = Engine()
    rate(engine, cases[:100], ats[:100], explain=False)  # warm caches
    lean = rate(engine, cases, ats, explain=False)
    full = rate(engine, cases, ats, explain=True)
    explain_ms = (
        statistics.median(
            _timed(lambda i=i: engine.evaluate(cases[i], ats[i], explain=True)) for i in range(200)
        )
        * 1000
    )
    result = {
        "cases": args.cases,
        "events_per_case": statistics.mean(len(c.events) for c in cases),
        "cases_per_s_without_explanations": round(lean),
        "cases_per_s_with_explanations": round(full),
        "ratio_lean_vs_explained": round(lean / full, 2),
        "explain_one_case_ms": round(explain_ms, 2),
        "target_cases_per_s": 10_000,
        "target_explain_ms": 5.0,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        print(f"{key:36} {value}")


def _timed(run: object) -> float:
    start = time.perf_counter()
    run()  # type: ignore[operator]
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
