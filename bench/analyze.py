"""Throughput, start-up and memory of the whole ``refuge analyze`` pipeline.

    python bench/analyze.py [--passages N] [--json]

Reports: start-up (a fresh ``refuge analyze`` process on the founding article, wall clock,
against a fresh ``refuge --help`` process as the interpreter's own baseline), then, in this
process after the models are loaded, reports per second per core over report-sized passages of
the US State Department country reports (paragraph windows of about 3,000 characters), and the
peak memory. Targets (issue 3): 20 reports/s per core after start-up; start-up under 3 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ARTICLE = ROOT / "examples" / "zhilin-moscow-times-2022-12-30.txt"


def passages(limit: int, size: int = 3000) -> list[str]:
    """Report-sized windows of the country reports, cut at line breaks."""
    out: list[str] = []
    for path in sorted((SHARED / "data" / "country-reports").glob("*/*.txt")):
        text = path.read_text(encoding="utf-8")
        start = 0
        while start < len(text) and len(out) < limit:
            end = text.find("\n", start + size)
            end = len(text) if end == -1 else end
            out.append(text[start:end])
            start = end
    return out[:limit]


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    exe = [sys.executable, "-m", "refuge"]
    baseline = min(wall([*exe, "--help"]) for _ in range(2))
    startup = min(wall([*exe, "analyze", str(ARTICLE), "--json"]) for _ in range(2))

    from refuge.services.analysis import analyze_report

    analyze_report(ARTICLE.read_bytes(), name=ARTICLE.name)  # load the models once
    texts = passages(args.passages)
    cpu = time.process_time()
    start = time.perf_counter()
    cases = sum(len(analyze_report(t, name="passage.txt").drafts) for t in texts)
    elapsed = time.perf_counter() - start
    per_core = len(texts) / (time.process_time() - cpu)
    result = {
        "startup_analyze_s": round(startup, 2),
        "startup_help_s": round(baseline, 2),
        "startup_ratio_vs_help": round(startup / baseline, 2),
        "reports": len(texts),
        "cases_drafted": cases,
        "reports_per_s_wall": round(len(texts) / elapsed, 1),
        "reports_per_s_per_core_cpu": round(per_core, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "targets": {"reports_per_s_per_core": 20, "startup_s": 3},
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
