"""Benchmark: ``refuge dossier`` of a 50-event case (target: under 2 s), in each format.

    PYTHONPATH=src .venv/bin/python bench/filing.py [--events 50] [--repeat 3]

The case is the founding case (13 events) with detentions, hearings and appeals added, each with
a source and a quote, up to ``--events``. Times ``gather_dossier`` + ``render_dossier`` (what
the command runs after reading the file) after one warm-up run (WeasyPrint loads its fonts
once per process), as wall time and as CPU time of this process: on a shared machine the wall
time also counts the other processes' turns. The baseline, in the same process, is
``evaluate_case_file``'s work (the engine's evaluation and one-year outlook of the same case,
what ``refuge evaluate`` does), so the ratio says what the documents cost on top of the law.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from refuge.casefile import load_case_file
from refuge.domain import Case, DateRange, Event, Evidence
from refuge.rules.engine import Engine
from refuge.services.filing import gather_dossier, render_dossier

EXAMPLE = Path(__file__).parents[1] / "src" / "refuge" / "examples" / "zhilin-2022.yaml"
AT, GENERATED = date(2022, 12, 27), date(2026, 12, 6)
_TYPES = (
    ("detention", {"grounds": "extradition", "place": "Astana"}),
    ("appeal_lodged", {"against": "detention", "level": "appeal"}),
    ("appeal_decision", {"against": "detention", "outcome": "upheld", "level": "appeal"}),
    ("other", {"label": "hearing adjourned"}),
)


def case_of(events: int) -> Case:
    base = load_case_file(EXAMPLE)
    extra = []
    for i in range(max(0, events - len(base.events))):
        kind, attrs = _TYPES[i % len(_TYPES)]
        day = date(2022, 10, 1) + timedelta(days=i % 80)
        quote = f"the court held a hearing on the extradition request, report {i}"
        extra.append(
            Event(f"x{i}", kind, DateRange.day(day), attrs, (Evidence("mt-2022-12-30", quote),))
        )
    return dataclasses.replace(base, events=base.events + tuple(extra))


def timed(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall and best CPU seconds over ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    case = case_of(args.events)
    render_dossier(gather_dossier(case, AT, GENERATED), "pdf")  # warm-up: fonts, imports
    engine = Engine.default()

    def baseline() -> None:
        engine.evaluate(case, AT)
        engine.outlook(case, AT, AT + timedelta(days=365))

    base_wall, base_cpu = timed(baseline, args.repeat)
    print(f"{len(case.events)} events; baseline (evaluate + outlook): "
          f"{base_wall:.3f} s wall, {base_cpu:.3f} s CPU")  # fmt: skip
    for fmt in ("pdf", "docx", "html"):
        wall, cpu = timed(_dossier(case, fmt), args.repeat)
        verdict = "under" if wall < 2 else "OVER"
        print(f"dossier {fmt:4}: {wall:.3f} s wall ({verdict} 2 s), {cpu:.3f} s CPU; "
              f"x{wall / base_wall:.0f} the baseline")  # fmt: skip


def _dossier(case: Case, fmt: str) -> Callable[[], object]:
    return lambda: render_dossier(gather_dossier(case, AT, GENERATED), fmt)


if __name__ == "__main__":
    main()
