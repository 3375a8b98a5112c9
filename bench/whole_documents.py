"""Whole annual reports read at once: separate draft cases for the individuals they describe.

    python bench/whole_documents.py [--json] [--show-held-out]

For each full report named in ``bench/data/events/whole-documents.yaml`` (in
``shared/data/country-reports/``, or under ``bench/data/events/reports/`` for the reports added
later), ``refuge analyze``'s function reads the whole file (``--published <year> --host
<country>``, the country from the report's folder as ``bench/events.py`` takes it). A
hand-counted individual is found when a draft case's person is that name or an alias (case and
spacing aside). Recall is given for the ``dev`` reports (developed on) and the ``held-out``
reports (not developed on) separately, and over all.

Every other drafted name is listed for a reader to judge: headings, organisations and outlets
drafted as people are counted by hand from that list (target: zero). The lists of the held-out
reports are printed only with ``--show-held-out`` (for the final count, not while tuning).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml

from events import report_country
from refuge.domain import DateRange

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT.parent / "shared" / "data" / "country-reports"
COUNTS = ROOT / "bench" / "data" / "events" / "whole-documents.yaml"
SPLITS = ("dev", "held-out")


def _norm(name: str) -> str:
    return " ".join(name.split()).lower()


def report_path(report: str, entry: dict[str, Any]) -> Path:
    """A shared report by default; ``file`` names one kept in this repository."""
    return ROOT / str(entry["file"]) if "file" in entry else REPORTS / report


def read_report(path: Path) -> list[str]:
    """The person of every draft case of one whole report, as ``refuge analyze`` drafts them."""
    from refuge.services.analysis import analyze_report

    result = analyze_report(
        path.read_bytes(),
        name=path.name,
        published=DateRange.parse_shorthand(path.stem),
        host=report_country(path.parent.name),
    )
    return [case.person.name for case in result.cases]


def check(report: str, entry: dict[str, Any]) -> dict[str, Any]:
    """Which counted individuals one report's draft cases find, and what else was drafted."""
    people = entry["people"]
    drafted = read_report(report_path(report, entry))
    names = {_norm(n) for n in drafted}
    hits = [
        p["name"]
        for p in people
        if names & {_norm(p["name"]), *(_norm(a) for a in p.get("aliases", []))}
    ]
    expected = {_norm(a) for p in people for a in [p["name"], *p.get("aliases", [])]}
    return {
        "split": entry["split"],
        "counted": len(people),
        "found": len(hits),
        "missed": [p["name"] for p in people if p["name"] not in hits],
        "other_drafted_names": [n for n in drafted if _norm(n) not in expected],
    }


def _recall(rows: list[dict[str, Any]]) -> dict[str, Any]:
    found = sum(r["found"] for r in rows)
    counted = sum(r["counted"] for r in rows)
    return {
        "reports": len(rows),
        "found": found,
        "counted": counted,
        "recall": round(found / counted, 3) if counted else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--show-held-out", action="store_true", help="list misses and names of held-out reports"
    )
    args = parser.parse_args()
    counts = yaml.safe_load(COUNTS.read_text(encoding="utf-8"))["reports"]
    out = {report: check(report, entry) for report, entry in counts.items()}
    totals = {s: _recall([r for r in out.values() if r["split"] == s]) for s in SPLITS}
    totals["all"] = _recall(list(out.values()))
    shown = {k: v for k, v in out.items() if v["split"] == "dev" or args.show_held_out}
    if args.json:
        print(json.dumps({"reports": shown, "totals": totals}, indent=2))
        return 0
    for report, row in shown.items():
        print(
            f"{report:24} [{row['split']}] {row['found']}/{row['counted']}  missed: {row['missed']}"
        )
        print(f"{'':24} other drafted names: {row['other_drafted_names']}")
    for split, t in totals.items():
        print(
            f"recall of separate draft cases, {split:8} ({t['reports']} reports): "
            f"{t['found']}/{t['counted']} = {t['recall']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
