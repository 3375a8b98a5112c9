"""Whole annual reports read at once: separate draft cases for the individuals they describe.

    python bench/whole_documents.py [--json]

For each full report of ``shared/data/country-reports/`` named in
``bench/data/events/whole-documents.yaml``, ``refuge analyze``'s function reads the whole file
(``--published <year> --host <country>``). A hand-counted individual is found when a draft case's
person is that name or an alias (case and spacing aside). Recall is over all counted individuals.
Every other drafted name is printed for a reader to judge: headings, organisations and outlets
drafted as people are counted by hand from that list (target: zero).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml

from refuge.domain import DateRange

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT.parent / "shared" / "data" / "country-reports"
COUNTS = ROOT / "bench" / "data" / "events" / "whole-documents.yaml"
_COUNTRY = {
    "azerbaijan": "AZ",
    "belarus": "BY",
    "kazakhstan": "KZ",
    "kyrgyzstan": "KG",
    "tajikistan": "TJ",
    "turkey": "TR",
    "turkmenistan": "TM",
    "uzbekistan": "UZ",
}


def _norm(name: str) -> str:
    return " ".join(name.split()).lower()


def read_report(path: Path) -> list[str]:
    """The person of every draft case of one whole report, as ``refuge analyze`` drafts them."""
    from refuge.services.analysis import analyze_report

    result = analyze_report(
        path.read_bytes(),
        name=path.name,
        published=DateRange.parse_shorthand(path.stem),
        host=_COUNTRY[path.parent.name],
    )
    return [case.person.name for case in result.cases]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    counts = yaml.safe_load(COUNTS.read_text(encoding="utf-8"))["reports"]
    found = total = 0
    out: dict[str, Any] = {}
    for report, people in counts.items():
        drafted = read_report(REPORTS / report)
        names = {_norm(n) for n in drafted}
        hits = [
            p["name"]
            for p in people
            if names & {_norm(p["name"]), *(_norm(a) for a in p.get("aliases", []))}
        ]
        expected = {_norm(a) for p in people for a in [p["name"], *p.get("aliases", [])]}
        found += len(hits)
        total += len(people)
        out[report] = {
            "counted": len(people),
            "found": len(hits),
            "missed": [p["name"] for p in people if p["name"] not in hits],
            "other_drafted_names": [n for n in drafted if _norm(n) not in expected],
        }
    recall = round(found / total, 3) if total else 0.0
    if args.json:
        print(json.dumps({"reports": out, "found": found, "counted": total, "recall": recall}))
        return 0
    for report, row in out.items():
        print(f"{report:24} {row['found']}/{row['counted']}  missed: {row['missed']}")
        print(f"{'':24} other drafted names: {row['other_drafted_names']}")
    print(f"recall of separate draft cases: {found}/{total} = {recall}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
