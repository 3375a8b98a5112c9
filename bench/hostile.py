"""Hostile input: does the time to read it grow linearly, and how does it compare with prose?

    python bench/hostile.py [--scale N] [--json]

Each hostile shape (many quotes, unattributed quote marks, only quote marks, only names, an
alias bomb in a case file) is read at one size and at twice that size through the same entry
points the commands use (``read_article`` + ``find_quotes`` as ``refuge analyze`` does,
``parse_case`` as ``refuge check`` does). Printed per shape: seconds at each size, the growth
ratio (about 2 for linear work; 4 would be quadratic) and the ratio to ordinary prose of the same
size read in the same run (the baseline). The unit tests check what is refused and what is
found; the time it takes is measured here, where a loaded machine cannot fail a build.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

from refuge.casefile import parse_case
from refuge.errors import CaseFileError
from refuge.ingest.article import read_article
from refuge.ingest.quotes import find_quotes

ROOT = Path(__file__).resolve().parents[1]
PROSE = (ROOT / "examples" / "zhilin-moscow-times-2022-12-30.txt").read_text(encoding="utf-8")

# Each shape: a repeated unit; the text is the unit times ``scale * weight``.
SHAPES: dict[str, tuple[str, int]] = {
    "many-quotes": ('"a b c d," Zhovtis said. ', 6),
    "unattributed": ('x "a b c d" y ', 10),
    "only-marks": ('"', 100),
    "only-names": ("Ivan Petrov Sidorov ", 6),
}

# The classic "billion laughs" (nine levels of nine aliases); refused, whatever its size.
BOMB = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def _seconds(run: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def _quotes_of(text: str) -> Callable[[], object]:
    return lambda: find_quotes(read_article(text, name="hostile.txt"), use_model=False)


def _refuse_bomb() -> None:
    try:
        parse_case(BOMB, "bomb.yaml")
    except CaseFileError:
        return
    raise SystemExit("the alias bomb was accepted")


def measure(scale: int) -> dict[str, dict[str, float]]:
    """Seconds at one and two times ``scale`` for each shape, with growth and prose ratios."""
    out: dict[str, dict[str, float]] = {}
    for name, (unit, weight) in SHAPES.items():
        small = unit * (scale * weight)
        large = small + small
        prose = (PROSE * (len(large) // len(PROSE) + 1))[: len(large)]
        t_small = _seconds(_quotes_of(small))
        t_large = _seconds(_quotes_of(large))
        t_prose = _seconds(_quotes_of(prose))
        out[name] = {
            "chars": len(large),
            "s_at_1x": round(t_small, 3),
            "s_at_2x": round(t_large, 3),
            "growth_2x": round(t_large / t_small, 2) if t_small else 0.0,
            "vs_prose": round(t_large / t_prose, 2) if t_prose else 0.0,
        }
    out["alias-bomb"] = {"chars": len(BOMB), "s_at_1x": round(_seconds(_refuse_bomb), 4)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10_000, help="units at the smaller size")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.scale)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{'shape':14} {'chars':>10} {'1x s':>8} {'2x s':>8} {'growth':>7} {'vs prose':>9}")
    for name, row in result.items():
        print(
            f"{name:14} {row['chars']:>10,.0f} {row['s_at_1x']:>8} {row.get('s_at_2x', ''):>8} "
            f"{row.get('growth_2x', ''):>7} {row.get('vs_prose', ''):>9}"
        )


if __name__ == "__main__":
    main()
