"""Benchmark of the law engine on realistic synthetic timelines.

    python bench/engine.py [--cases N] [--seed S] [--clock wall|cpu] [--json]

Generates asylum/removal timelines of 10-20 events with fuzzy dates, then measures, on one core:
cases per second for ``evaluate`` without explanations and with them, and the time to explain one
case. Targets (issue 2): 10,000 cases/s per core without explanations; under 5 ms to explain one.
Ratios are printed against the explained run in the same process, the engine's own baseline.

It then measures the batch path (``refuge.rules.batch``) on the same cases: cases/s including
the building of the columns, and excluding it (the columns evaluated at several dates), with
their ratios to the per-case run without explanations measured just before; and it checks that
both paths agree on a sample (``batch_disagreements`` must be 0).

``--clock cpu`` times with the process's CPU time instead of the wall clock: on a machine shared
with other work the wall clock measures the scheduler as much as the code, while CPU time stays
the work of one core (``bench/engine_ab.py`` uses it).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date, timedelta

from refuge.domain import Case, DateRange, Event, Person
from refuge.rules.batch import build_columns, evaluate_batch, evaluate_columns, summarise
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


#: The clock every figure is timed with (``--clock``): wall time, or the process's CPU time.
clock = time.perf_counter


def rate(engine: Engine, cases: list[Case], ats: list[date], explain: bool) -> float:
    start = clock()
    for case, at in zip(cases, ats, strict=True):
        engine.evaluate(case, at, explain=explain)
    return len(cases) / (clock() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    global clock
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
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
    result: dict[str, object] = {
        "cases": args.cases,
        "events_per_case": statistics.mean(len(c.events) for c in cases),
        "cases_per_s_without_explanations": round(lean),
        "cases_per_s_with_explanations": round(full),
        "ratio_lean_vs_explained": round(lean / full, 2),
        "explain_one_case_ms": round(explain_ms, 2),
        "target_cases_per_s": 10_000,
        "target_explain_ms": 5.0,
    }
    result.update(batch_figures(engine, cases, ats, lean))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        print(f"{key:36} {value}")


def batch_figures(
    engine: Engine, cases: list[Case], ats: list[date], lean: float
) -> dict[str, object]:
    """Batch throughput on the same cases, at dates drawn like the per-case run's."""
    days = sorted(ats)[:: max(1, len(ats) // 5)][:5]
    evaluate_batch(cases[:100], days[0])  # compile the batch plan
    start = clock()
    columns = build_columns(cases)
    built = clock()
    for day in days:
        evaluate_columns(columns, day)
    done = clock()
    per_date = (done - built) / len(days)
    with_columns = len(cases) / ((built - start) + per_date)
    without = len(cases) / per_date
    sample = range(0, len(cases), max(1, len(cases) // 300))
    result = evaluate_batch([cases[i] for i in sample], days[0])
    disagreements = sum(
        summarise(engine.evaluate(cases[i], days[0], explain=False))
        != (result.verdict_summary(k), result.findings_summary(k))
        for k, i in enumerate(sample)
    )
    return {
        "batch_cases_per_s_with_columns": round(with_columns),
        "batch_cases_per_s_without_columns": round(without),
        "batch_columns_ms": round((built - start) * 1000, 1),
        "batch_eval_ms_per_date": round(per_date * 1000, 1),
        "ratio_batch_with_columns_vs_lean": round(with_columns / lean, 1),
        "ratio_batch_without_columns_vs_lean": round(without / lean, 1),
        "batch_disagreements": f"{disagreements}/{len(sample)}",
    }


def _timed(run: object) -> float:
    start = clock()
    run()  # type: ignore[operator]
    return clock() - start


if __name__ == "__main__":
    main()
