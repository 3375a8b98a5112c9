"""Russian date benchmark: the time expressions of the annotated Russian passages, TIMEX-style.

    python bench/dates_ru.py [--split dev|test|all] [--verbose] [--json]

Gold: the ``timexes`` list of every ``bench/data/events/ru/*.gold.yaml`` (hand-annotated: each
date expression of the passage with its TIMEX3 value; DATE type only, see the Russian section
of ``bench/data/events/ANNOTATION.md``). System: ``find_timexes(text, published,
language="ru")``, the function ``refuge analyze`` runs on a Russian report.

Scores as TempEval-3 does: a found expression matches a gold one when their spans overlap
(relaxed); strict counts exact spans; value F1 = relaxed F1 x the share of relaxed matches whose
value is right. Baseline in the same run: dateparser's ``search_dates`` (Russian locale) when it
is installed, values cut to the day. Dev and test halves separately.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from refuge.ingest.temporal import find_timexes

DATA = Path(__file__).resolve().parent / "data" / "events" / "ru"


def load(split: str) -> list[dict[str, Any]]:
    out = []
    for path in sorted(DATA.glob("*.gold.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        if split not in ("all", gold["split"]):
            continue
        text = (DATA / gold["passage"]["file"]).read_text(encoding="utf-8")
        published = gold["sources"][0]["published"]
        out.append(
            {
                "name": path.name.removesuffix(".gold.yaml"),
                "split": gold["split"],
                "text": text,
                "published": published,
                "gold": [(t["start"], t["end"], str(t["value"])) for t in gold.get("timexes", [])],
            }
        )
    return out


def score(docs: list[dict[str, Any]], system: str, verbose: bool) -> dict[str, Any]:
    tp_relaxed = tp_strict = right_value = n_found = n_gold = 0
    for doc in docs:
        found = _run(system, doc["text"], doc["published"])
        gold = doc["gold"]
        n_found += len(found)
        n_gold += len(gold)
        used: set[int] = set()
        for start, end, value in found:
            j = next(
                (j for j, g in enumerate(gold) if j not in used and start < g[1] and g[0] < end),
                None,
            )
            if j is None:
                if verbose:
                    print(f"  {doc['name']}: extra {doc['text'][start:end]!r} {value}")
                continue
            used.add(j)
            tp_relaxed += 1
            tp_strict += (start, end) == gold[j][:2]
            right_value += value == gold[j][2]
            if verbose and value != gold[j][2]:
                print(f"  {doc['name']}: {doc['text'][start:end]!r} {value} != {gold[j][2]}")
        if verbose:
            for j, g in enumerate(gold):
                if j not in used:
                    print(f"  {doc['name']}: missed {doc['text'][g[0] : g[1]]!r} {g[2]}")
    relaxed = _f1(tp_relaxed, n_found, n_gold)
    return {
        "documents": len(docs),
        "gold": n_gold,
        "found": n_found,
        "strict_f1": _f1(tp_strict, n_found, n_gold),
        "relaxed_f1": relaxed,
        "value_f1": round(relaxed * (right_value / tp_relaxed if tp_relaxed else 0.0), 3),
    }


def _f1(tp: int, found: int, gold: int) -> float:
    p = tp / found if found else 0.0
    r = tp / gold if gold else 0.0
    return round(2 * p * r / (p + r), 3) if p + r else 0.0


def _run(system: str, text: str, published: datetime.date) -> list[tuple[int, int, str]]:
    if system == "refuge":
        return [(t.start, t.end, t.value) for t in find_timexes(text, published, language="ru")]
    from dateparser.search import search_dates  # baseline only

    base = datetime.datetime.combine(published, datetime.time())
    settings: Any = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    out: list[tuple[int, int, str]] = []
    at = 0
    for phrase, when in search_dates(text, languages=["ru"], settings=settings) or []:
        start = text.find(phrase, at)
        if start >= 0:
            at = start + len(phrase)
            out.append((start, at, when.date().isoformat()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    docs = load(args.split)
    if not docs:
        sys.exit("no Russian gold file for that split")
    systems = ["refuge"]
    try:
        import dateparser  # noqa: F401

        systems.append("dateparser")
    except ImportError:
        pass
    out: dict[str, Any] = {}
    for split in ("dev", "test"):
        chosen = [d for d in docs if d["split"] == split]
        for system in systems if chosen else []:
            started = time.perf_counter()
            result = score(chosen, system, args.verbose and system == "refuge")
            result["seconds"] = round(time.perf_counter() - started, 3)
            out[f"{split}-{system}"] = result
    if args.json:
        print(json.dumps(out, indent=2))
        return
    for key, r in out.items():
        print(
            f"{key:18} docs {r['documents']:3}  gold {r['gold']:3}  found {r['found']:3}  "
            f"strict {r['strict_f1']:.3f}  relaxed {r['relaxed_f1']:.3f}  "
            f"value F1 {r['value_f1']:.3f}  ({r['seconds']} s)"
        )


if __name__ == "__main__":
    main()
