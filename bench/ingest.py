"""Benchmark: ``refuge ingest`` of 2,000+ reports with 2 worker processes.

    PYTHONPATH=src .venv/bin/python bench/ingest.py [--reports 2000] [--workers 2]

The reports are built from public texts in ../shared: the founding article and the passages
of the US State Department country reports that speak of asylum, refugees, deportation or
extradition (the passages of the gold cases first). Each report is one passage under a
headline, numbered so that every report has distinct content, and passages repeat, so the
run also exercises merging (the same person in many reports). Prints reports per second and
the peak resident memory of the parent and of the largest worker, and, as the baseline run in
the same command, the same reports through ``analyze`` alone with the same number of worker
processes: the difference is the ingest overhead (storing and merging; target under 25%).
"""

from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

SHARED = Path(__file__).resolve().parents[2] / "shared"
_KEYWORDS = re.compile(r"asylum|refugee|deport|extradit|expel|forcibly returned", re.IGNORECASE)


def passages() -> list[str]:
    """The gold passages, then every other paragraph of the country reports on removal."""
    found = [(SHARED / "seed" / "zhilin-moscow-times-2022-12-30.txt").read_text(encoding="utf-8")]
    for gold in sorted((SHARED / "data" / "country-reports-gold").glob("*.yaml")):
        spec = yaml.safe_load(gold.read_text(encoding="utf-8"))["passage"]
        text = (SHARED.parent / spec["file"]).read_text(encoding="utf-8")
        found.append(text[spec["start"] : spec["end"]])
    for report in sorted((SHARED / "data" / "country-reports").glob("*/*.txt")):
        found.extend(_windows(report.read_text(encoding="utf-8").splitlines()))
    return found


def _windows(lines: list[str], before: int = 6, after: int = 10) -> list[str]:
    """Non-overlapping windows of lines around each line on removal (the files keep the PDF
    line breaks and have no blank lines between paragraphs)."""
    out, end = [], 0
    for i, line in enumerate(lines):
        if i >= end and _KEYWORDS.search(line):
            start, end = max(end, i - before), i + after
            out.append("\n".join(lines[start:end]))
    return out


def write_reports(folder: Path, count: int) -> list[Path]:
    texts = passages()
    paths = []
    for i in range(count):
        path = folder / f"report-{i:05d}.md"
        body = texts[i % len(texts)]
        path.write_text(f"# Report {i}: removal and asylum news\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def _analyze(path: Path) -> int:
    from refuge.services.analysis import analyze_report

    return len(analyze_report(path.read_bytes(), name=path.name).drafts)


def analyze_only(paths: list[Path], workers: int) -> float:
    """Seconds to analyse ``paths`` without a store, with ``workers`` processes (the baseline)."""
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_analyze, paths, chunksize=16))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default=None, help="store URL (default: a temp SQLite)")
    args = parser.parse_args()

    from refuge.services import store as svc
    from refuge.storage import open_store

    folder = Path(tempfile.mkdtemp(prefix="refuge-reports-"))
    paths = write_reports(folder, args.reports)
    baseline = analyze_only(paths, args.workers)
    url = args.database or f"sqlite:///{folder / 'store' / 'refuge.db'}"
    svc.init_store(url)
    store = open_store(url)
    started = time.perf_counter()
    summary = svc.ingest(store, [folder], actor="bench", workers=args.workers)
    seconds = time.perf_counter() - started
    store.close()
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{args.reports} reports, {args.workers} workers: {seconds:.0f} s, "
        f"{args.reports / seconds:.1f} reports/s; stored {summary.reports}, cases created "
        f"{len(summary.created)}, merged {len(summary.merged)}, proposals "
        f"{len(summary.proposed)}, skipped {len(summary.skipped)}, failed {len(summary.failed)}"
    )
    print(f"peak RSS: parent {parent:.0f} MiB, largest worker {worker:.0f} MiB")
    print(
        f"baseline, analyze alone with {args.workers} workers: {baseline:.0f} s, "
        f"{args.reports / baseline:.1f} reports/s; ingest overhead (store + merge): "
        f"{(seconds - baseline) / baseline:+.0%} (target under 25%)"
    )


if __name__ == "__main__":
    main()
