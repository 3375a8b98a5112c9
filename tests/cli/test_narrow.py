"""The terminal at 80 columns: ids, names and dates wrap between words, never cut (issue 11).

Each command runs in a real subprocess with COLUMNS=80 over a real SQLite store.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from refuge.casefile import load_case_file

EXAMPLE = Path(__file__).parents[2] / "src" / "refuge" / "examples" / "zhilin-2022.yaml"
LONG_ID = "synthetic-long-case-id-2023-01"
LONG_NAME = "Synthetic Person Long Name Here"


def run(store: Path, *args: str, narrow: bool = True) -> str:
    env = {**os.environ, "COLUMNS": "80", "REFUGE_DATABASE_URL": f"sqlite:///{store}"}
    env.pop("LINES", None)
    result = subprocess.run(
        [sys.executable, "-m", "refuge", *args], capture_output=True, text=True, env=env,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    if narrow:  # (init and import print a path, which may be longer)
        assert all(len(line) <= 80 for line in result.stdout.splitlines()), result.stdout
        assert "…" not in result.stdout
    return result.stdout


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("narrow")
    other = folder / "long.yaml"
    other.write_text(
        EXAMPLE.read_text(encoding="utf-8")
        .replace("id: zhilin-2022", f"id: {LONG_ID}")
        .replace("Mikhail Zhilin", LONG_NAME),
        encoding="utf-8",
    )
    path = folder / "store.db"
    run(path, "init", narrow=False)
    run(path, "import", str(EXAMPLE), str(other), narrow=False)
    return path


def test_cases_shows_whole_ids_and_names(store: Path) -> None:
    out = run(store, "cases", "--at", "2023-01-10")
    for whole in ("zhilin-2022", LONG_ID, "Mikhail Zhilin", LONG_NAME):
        assert whole in out, whole


def test_case_shows_every_event_id_and_date_whole(store: Path) -> None:
    out = run(store, "case", "zhilin-2022", "--at", "2023-01-10")
    case = load_case_file(EXAMPLE)
    for event in case.events:
        assert re.search(rf"\b{re.escape(event.id)}\b", out), event.id
        for day in {event.date.earliest, event.date.latest}:
            assert day.isoformat() in out, (event.id, day)
    assert "Mikhail Zhilin" in out


def test_packs_shows_every_rule_id_whole(store: Path) -> None:
    out = run(store, "packs")
    rules = json.loads(run(store, "packs", "--json", narrow=False))["rules"]
    for rule in rules:
        assert rule["id"] in out, rule["id"]


def test_alerts_groups_by_person_with_whole_names_ids_and_dates(store: Path) -> None:
    out = run(store, "alerts", "--at", "2023-01-10")
    rows = json.loads(run(store, "alerts", "--at", "2023-01-10", "--json", narrow=False))
    assert {r["case"] for r in rows} == {"zhilin-2022", LONG_ID}
    for row in rows:
        assert row["name"] in out and row["case"] in out
        assert out.count(row["name"]) == 1  # one entry per person
        for step in row["steps"]:
            if step["rule"]:
                assert step["rule"] in out
            assert step["when"] in out
            if not step["when"].startswith("as soon"):
                assert step["due"] in out


def test_evaluate_summary_fits_a_screen_and_explain_repeats_nothing() -> None:
    env = {**os.environ, "COLUMNS": "80"}
    args = [sys.executable, "-m", "refuge", "evaluate", str(EXAMPLE), "--at", "2022-12-20"]
    summary = subprocess.run(args, capture_output=True, text=True, env=env, check=True).stdout
    full = subprocess.run(
        [*args, "--explain"], capture_output=True, text=True, env=env, check=True
    ).stdout
    data = json.loads(
        subprocess.run([*args, "--json"], capture_output=True, text=True, check=True).stdout
    )
    assert len(summary.splitlines()) <= 60, len(summary.splitlines())
    assert len(full.splitlines()) > len(summary.splitlines())
    running = [
        f for f in data["findings"] if f["kind"] in ("deadline", "action") and f.get("state") in
        (None, "running")
    ]  # fmt: skip
    assert running
    for finding in running:
        assert finding["rule"] in summary  # every open deadline and action, with days left
    assert re.search(r"\(in \d+ days\)", summary)
    assert "as soon as possible" in summary
    # --explain prints each rule's explanation once
    explanations = [f["explanation"] for f in data["findings"] if f.get("explanation")]
    flat = " ".join(full.split())
    for text in set(explanations):
        whole = " ".join(text.split())
        assert flat.count(whole) == 1, whole
