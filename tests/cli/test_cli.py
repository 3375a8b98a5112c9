"""The command line as a user meets it: exit codes, messages, JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parents[2] / "src" / "refuge" / "examples" / "zhilin-2022.yaml"


def refuge(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "refuge", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_check_accepts_the_example_and_writes_nothing(tmp_path: Path) -> None:
    result = refuge("check", str(EXAMPLE), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_check_reports_file_line_and_key_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "case:\n  id: x\n  person: {name: A}\n  host: KZ\nevents:\n"
        "  - {type: removel, date: 2022-01-01}\n"
    )
    result = refuge("check", str(bad))
    assert result.returncode == 2
    assert f"{bad}:6: events[0].type: unknown event type 'removel'" in result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_json(tmp_path: Path) -> None:
    result = refuge("evaluate", str(EXAMPLE), "--at", "2022-12-30", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["at"] == "2022-12-30"
    assert any(f["kind"] == "breach" for f in data["findings"])


def test_evaluate_human_report_names_the_breach() -> None:
    result = refuge("evaluate", str(EXAMPLE), "--at", "2022-12-30")
    assert result.returncode == 0, result.stderr
    assert "Breaches of safeguards" in result.stdout
    assert "33(1)" in result.stdout


def test_evaluate_rejects_an_impossible_date() -> None:
    result = refuge("evaluate", str(EXAMPLE), "--at", "2022-02-30")
    assert result.returncode == 2
    assert "--at" in result.stderr


def test_packs_lists_rules_with_basis() -> None:
    result = refuge("packs", "--json")
    data = json.loads(result.stdout)
    assert {r["basis"] for r in data["rules"]} == {"verified", "secondary", "unverified"}


def test_packs_test_runs_the_golden_scenarios() -> None:
    result = refuge("packs", "test", "--json")
    assert result.returncode == 0, result.stdout
    data = json.loads(result.stdout)
    assert data["failed"] == 0
    totals = data["holdings"]
    assert totals["scenarios"] >= 12 and totals["holdings"] >= totals["scenarios"]
    assert totals["false_alarms_outside_known_failures"] == 0
    assert totals["misses_outside_known_failures"] == 0
    decided = [r for r in data["scenarios"] if r["holdings"]]
    assert sum(len(r["misses"]) for r in decided) == totals["misses"]


TURKISH = """\
case:
  id: tr1
  person: {name: T, citizenship: [UZ]}
  host: TR
  origin: UZ
events:
  - {id: risk, type: risk_allegation, harm: torture, date: 2023-03-01}
  - {id: order, type: expulsion_order, date: 2023-05-20}
  - {id: out, type: removal, to: UZ, via: deportation, date: 2023-06-01}
"""


def test_evaluate_says_when_no_national_law_is_encoded(tmp_path: Path) -> None:
    path = tmp_path / "tr.yaml"
    path.write_text(TURKISH)
    statement = "no national law of TR is encoded; international law only"
    human = refuge("evaluate", str(path), "--at", "2023-12-31")
    assert human.returncode == 0, human.stderr
    assert statement in " ".join(human.stdout.split())
    assert "kz." not in human.stdout
    data = json.loads(refuge("evaluate", str(path), "--at", "2023-12-31", "--json").stdout)
    assert data["jurisdiction"] == {
        "host": "TR",
        "host_known": True,
        "national_orders": [],
        "international_only": True,
        "statement": statement,
    }
    assert isinstance(data["notices"], list)
    assert not [f for f in data["findings"] if f["order"].startswith("kz")]
