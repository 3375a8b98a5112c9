"""A/B benchmark of the law engine: this tree against an older checkout, interleaved.

    git worktree add --detach /tmp/engine-base <commit>
    python bench/engine_ab.py --baseline /tmp/engine-base [--rounds 5] [--cases 3000] [--json]

The development machine is shared and its load moves absolute figures 2-3x within minutes, so
two runs made at different times cannot be compared. This script runs ``bench/engine.py`` (the
same cases, the same seed) alternately on the baseline's ``src`` and on this tree's ``src``,
``--rounds`` times each, in fresh processes, timed in CPU time (``--clock cpu``: the work of one
core, which the wall clock of a loaded machine does not show), and keeps the best figure of
each side (best-of-N: the run least disturbed by other work). It prints both and their ratio;
the ratios are what docs/engine-performance.md reports.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Figures where more is better; the rest (milliseconds) are better lower.
HIGHER = (
    "cases_per_s_without_explanations",
    "cases_per_s_with_explanations",
    "batch_cases_per_s_with_columns",
    "batch_cases_per_s_without_columns",
)
LOWER = ("explain_one_case_ms", "batch_columns_ms", "batch_eval_ms_per_date")


def run(src: Path, cases: int) -> dict[str, object]:
    """One run of bench/engine.py (this tree's script) importing refuge from ``src``."""
    env = dict(os.environ, PYTHONPATH=str(src))
    command = [sys.executable, str(HERE / "engine.py"), "--cases", str(cases)]
    out = subprocess.run(
        [*command, "--clock", "cpu", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, object] = json.loads(out.stdout)
    return figures


def best(runs: list[dict[str, object]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key in HIGHER:
        out[key] = max(float(str(r[key])) for r in runs)
    for key in LOWER:
        out[key] = min(float(str(r[key])) for r in runs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True, help="an older checkout")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sides = {"baseline": args.baseline.resolve() / "src", "this tree": HERE.parent / "src"}
    runs: dict[str, list[dict[str, object]]] = {name: [] for name in sides}
    for i in range(args.rounds):
        order = list(sides) if i % 2 == 0 else list(reversed(sides))
        for name in order:
            runs[name].append(run(sides[name], args.cases))
            print(f"round {i + 1}/{args.rounds}: {name} done", file=sys.stderr)
    base, this = best(runs["baseline"]), best(runs["this tree"])
    disagreements = {name: [r["batch_disagreements"] for r in rs] for name, rs in runs.items()}
    result = {
        "rounds": args.rounds,
        "cases": args.cases,
        "baseline": base,
        "this_tree": this,
        "ratio_this_vs_baseline": {k: round(this[k] / base[k], 3) for k in base},
        "batch_disagreements": disagreements,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{'measure (best of ' + str(args.rounds) + ')':40} {'baseline':>12} {'this':>12} ratio")
    for key in base:
        ratio = result["ratio_this_vs_baseline"][key]
        print(f"{key:40} {base[key]:>12,.1f} {this[key]:>12,.1f} {ratio}")
    print(f"batch_disagreements: {disagreements}")


if __name__ == "__main__":
    main()
