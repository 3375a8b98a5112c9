"""Benchmark of the news reader on hand-annotated passages, through ``refuge analyze``'s path.

    python bench/events.py [--lang en|ru|all] [--split dev|test|test2|all] [--json] [--verbose]
                           [--check] [--repeat N] [--no-speed]

Data: every ``bench/data/events/<lang>/*.gold.yaml`` (format: ``tasks/events-bench-format.md``,
rules: ``bench/data/events/ANNOTATION.md``) and the 9 shared DEV gold cases of
``shared/data/country-reports-gold/`` (English, split ``dev``).

Each passage is read by ``refuge.services.analysis.analyze_report`` — the function ``refuge
analyze`` calls, with the same spaCy pipeline — as a user would run ``refuge analyze
passage.txt --published <source date> [--host <report country>]``: the source's publication
date (a day for news, the year for the annual State Department reports, whose undated steps
are then left out) and, for the country reports only, the country the report is about as the
host to assume when the passage names none.

Scoring: the draft case of the gold's person (else the main draft case) against the gold. An
extracted event matches a gold event when the types are equal and the date intervals overlap;
one-to-one, closest start dates first. Precision, recall and F1 per type and overall (micro),
person (gold name or alias, case and spacing aside), host and origin accuracy; ``dev`` and
``test`` halves separately, and ``test2``: a second held-out group annotated in session 3
before any rule of that round was written (never tuned on). ``--verbose`` prints every miss
and false alarm with its sentence.

Speed: start-up of a fresh ``refuge analyze`` process (wall) against ``refuge --help``;
reports per second per core (CPU time, after start-up) over all passages, against the date
layer alone (``read_article`` + ``find_timexes``) on the same passages in the same run; peak
memory. Targets (issue 10): English test half F1 >= 0.80 at precision >= 0.85, person/host/
origin >= 0.90; >= 50 reports/s per core; start-up < 3 s.
"""

from __future__ import annotations

import argparse
import datetime
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from refuge.domain import DateRange

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = ROOT / "bench" / "data" / "events"
SHARED_GOLD = SHARED / "data" / "country-reports-gold"
SEED = ROOT / "examples" / "zhilin-moscow-times-2022-12-30.txt"

#: The country a report folder is about (the host to assume when a passage names none).
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
class GoldEvent:
    type: str
    date: DateRange
    quote: str


@dataclass(frozen=True)
class Gold:
    """One gold case: the passage to read, how a user would run it, what should come out."""

    name: str
    lang: str
    split: str
    text: str
    published: DateRange
    hint: str | None  # --host: the country an annual report is about
    person: list[str]
    host: str
    origin: str | None
    events: list[GoldEvent]
    problems: list[str]  # quotes that do not sit at their offsets (--check)


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


def _passage_file(ref: str, folder: Path) -> Path:
    """``shared/...`` names a shared file (never copied); anything else sits beside the gold."""
    return SHARED.parent / ref if ref.startswith("shared/") else folder / ref


def load_one(path: Path, lang: str, split: str | None = None) -> Gold:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    passage = data["passage"]
    whole = _passage_file(str(passage["file"]), path.parent).read_text(encoding="utf-8")
    start, end = int(passage.get("start", 0)), int(passage.get("end", len(whole)))
    events: list[GoldEvent] = []
    problems: list[str] = []
    for e in data["events"]:
        quote = ""
        for src in e.get("source") or []:
            quote = str(src.get("quote", ""))
            if "start" in src and whole[src["start"] : src["end"]] != quote:
                problems.append(f"{e.get('id')}: quote not at {src['start']}:{src['end']}")
            elif "start" in src and not start <= src["start"] <= src["end"] <= end:
                problems.append(f"{e.get('id')}: quote outside the passage")
        events.append(GoldEvent(e["type"], _range(e["date"]), quote))
    person = data["case"]["person"]
    folder = Path(str(passage["file"])).parent.name
    return Gold(
        name=path.name.removesuffix(".yaml").removesuffix(".gold"),
        lang=lang,
        split=split or str(data["split"]),
        text=whole[start:end],
        published=_range(data["sources"][0]["published"]),
        hint=_REPORT_COUNTRY.get(folder) if str(passage["file"]).startswith("shared/") else None,
        person=[person["name"], *person.get("aliases", [])],
        host=data["case"]["host"],
        origin=data["case"].get("origin"),
        events=events,
        problems=problems,
    )


def load_gold(lang: str, split: str) -> list[Gold]:
    """Every gold case of the language(s) and split(s) asked for."""
    out: list[Gold] = []
    if lang in ("en", "all"):
        out += [load_one(p, "en", "dev") for p in sorted(SHARED_GOLD.glob("*.yaml"))]
    for folder in sorted(DATA.iterdir()) if DATA.is_dir() else []:
        if folder.is_dir() and lang in (folder.name, "all"):
            out += [load_one(p, folder.name) for p in sorted(folder.glob("*.gold.yaml"))]
    return [g for g in out if split in (g.split, "all")]


def run(gold: Gold) -> Any:
    """What ``refuge analyze passage.txt --published ... [--host ...]`` computes."""
    from refuge.services.analysis import analyze_report

    return analyze_report(
        gold.text.encode("utf-8"),
        name=f"{gold.name}.txt",
        published=gold.published,
        host=gold.hint,
    )


def match(found: list[tuple[str, DateRange]], gold: list[GoldEvent]) -> list[tuple[int, int]]:
    """One-to-one matches (found index, gold index): same type, overlapping dates; the pairs
    with the closest start dates are taken first."""
    pairs = [
        (abs((f[1].earliest - g.date.earliest).days), i, j)
        for i, f in enumerate(found)
        for j, g in enumerate(gold)
        if f[0] == g.type and f[1].overlaps(g.date)
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
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)} | {
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def _name_ok(found: str, gold: list[str]) -> bool:
    norm = " ".join(found.split()).lower()
    return any(norm == " ".join(g.split()).lower() for g in gold)


def _case_for(cases: list[Any], person: list[str]) -> Any:
    """The draft case of the gold's person when one is drafted (a passage about two people
    has a gold file for each), else the main draft case."""
    return next((c for c in cases if _name_ok(c.person.name, person)), cases[0] if cases else None)


def score(golds: list[Gold], verbose: bool = False) -> dict[str, Any]:
    """Per-type and overall precision/recall/F1, and person/host/origin accuracy."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    people = hosts = origins = 0
    files: list[dict[str, Any]] = []
    for gold in golds:
        result = run(gold)
        case = _case_for(result.cases, gold.person)
        events = list(case.events) if case else []
        found = [(e.type, e.date) for e in events]
        pairs = match(found, gold.events)
        hit_f, hit_g = {i for i, _ in pairs}, {j for _, j in pairs}
        for i, (kind, _) in enumerate(found):
            (tp if i in hit_f else fp)[kind] += 1
        for j, g in enumerate(gold.events):
            if j not in hit_g:
                fn[g.type] += 1
        people += case is not None and _name_ok(case.person.name, gold.person)
        hosts += case is not None and case.host == gold.host
        origins += case is not None and case.origin == gold.origin
        files.append(
            {
                "file": gold.name,
                "split": gold.split,
                "person": case.person.name if case else None,
                "host": case.host if case else None,
                "origin": case.origin if case else None,
                "matched": len(pairs),
                "found": len(found),
                "gold": len(gold.events),
            }
        )
        if verbose:
            _explain(gold, case, result.article.text, events, hit_f, hit_g)
    n = len(golds)
    return {
        "files": files,
        "per_type": {k: _prf(tp[k], fp[k], fn[k]) for k in sorted(set(tp) | set(fp) | set(fn))},
        "overall": _prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
        "person_accuracy": round(people / n, 3) if n else 0.0,
        "host_accuracy": round(hosts / n, 3) if n else 0.0,
        "origin_accuracy": round(origins / n, 3) if n else 0.0,
    }


def _explain(
    gold: Gold, case: Any, text: str, events: list[Any], hit_f: set[int], hit_g: set[int]
) -> None:
    who = f"{case.person.name} host {case.host} origin {case.origin}" if case else "no case"
    print(f"== {gold.name} [{gold.split}]: {who}", file=sys.stderr)
    print(f"   gold: {gold.person[0]} host {gold.host} origin {gold.origin}", file=sys.stderr)
    for i, e in enumerate(events):
        if i not in hit_f:
            quote = " ".join((e.evidence[0].quote or "").split()) if e.evidence else ""
            print(f"   FALSE ALARM {e.type:20} {e.date}: {quote[:240]!r}", file=sys.stderr)
    for j, g in enumerate(gold.events):
        if j not in hit_g:
            print(f"   MISS        {g.type:20} {g.date}: {g.quote!r}", file=sys.stderr)


def throughput(golds: list[Gold], repeat: int) -> dict[str, float]:
    """Reports per second per core after start-up; the date layer alone as same-run baseline;
    start-up of a fresh ``refuge analyze`` process against ``refuge --help``; peak memory."""
    from refuge.ingest.article import read_article
    from refuge.ingest.temporal import find_timexes

    exe = [sys.executable, "-m", "refuge"]
    help_s = min(_wall([*exe, "--help"]) for _ in range(2))
    sample = SEED
    if golds and all(g.lang == "ru" for g in golds):  # Russian start-up: a Russian report
        sample = Path(tempfile.mkdtemp(prefix="refuge-bench-")) / "ru.txt"
        sample.write_text(golds[0].text, encoding="utf-8")
    startup = min(_wall([*exe, "analyze", str(sample), "--json"]) for _ in range(2))
    for gold in golds:
        run(gold)  # warm-up
    start = time.process_time()
    for _ in range(repeat):
        for gold in golds:
            run(gold)
    full = time.process_time() - start
    start = time.process_time()
    for _ in range(repeat):
        for gold in golds:
            article = read_article(gold.text.encode("utf-8"), name="p.txt")
            find_timexes(article.text, gold.published.latest, language=gold.lang)
    dates_only = time.process_time() - start
    reports = len(golds) * repeat
    return {
        "reports": reports,
        "reports_per_second": round(reports / full, 1) if full else 0.0,
        "date_layer_reports_per_second": round(reports / dates_only, 1) if dates_only else 0.0,
        "cost_ratio_vs_date_layer": round(full / dates_only, 1) if dates_only else 0.0,
        "startup_analyze_s": round(startup, 2),
        "startup_help_s": round(help_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - start


def _table(name: str, result: dict[str, Any]) -> str:
    lines = [f"-- {name}", f"{'type':24} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for kind, s in [*result["per_type"].items(), ("OVERALL", result["overall"])]:
        lines.append(
            f"{kind:24} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
            f"{s['tp']:4d} {s['fp']:4d} {s['fn']:4d}"
        )
    lines.append(
        f"person {result['person_accuracy']:.3f}  host {result['host_accuracy']:.3f}  "
        f"origin {result['origin_accuracy']:.3f}  ({len(result['files'])} gold files)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=("en", "ru", "all"), default="all")
    parser.add_argument("--split", choices=("dev", "test", "test2", "all"), default="all")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="every miss and false alarm")
    parser.add_argument("--check", action="store_true", help="only check the gold files")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    args = parser.parse_args(argv)
    golds = load_gold(args.lang, args.split)
    if not golds:
        print("no gold file for that language and split", file=sys.stderr)
        return 2
    if args.check:
        bad = [f"{g.name}: {p}" for g in golds for p in g.problems]
        print("\n".join(bad) or f"{len(golds)} gold files, every quote at its offsets")
        return 1 if bad else 0
    out: dict[str, Any] = {}
    for lang in sorted({g.lang for g in golds}):
        for split in ("dev", "test", "test2"):
            chosen = [g for g in golds if g.lang == lang and g.split == split]
            if chosen:
                out[f"{lang}-{split}"] = score(chosen, args.verbose)
    if not args.no_speed:
        out["throughput"] = throughput(golds, args.repeat)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for name, result in out.items():
            if name != "throughput":
                print(_table(name, result) + "\n")
        if "throughput" in out:
            print("\n".join(f"{k:32} {v}" for k, v in out["throughput"].items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
