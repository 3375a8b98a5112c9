"""`refuge analyze` end to end on the founding article, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
ARTICLE = ROOT / "examples" / "zhilin-moscow-times-2022-12-30.txt"


def refuge(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "refuge", *args], capture_output=True, input=stdin, check=False
    )


@pytest.fixture(scope="module")
def analysis() -> dict[str, object]:
    result = refuge("analyze", str(ARTICLE), "--json")
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_json_contract_keys(analysis: dict[str, object]) -> None:
    assert {"article", "cases", "quotes", "findings"} <= set(analysis)
    article = analysis["article"]
    assert isinstance(article, dict)
    assert {"title", "outlet", "url", "published", "language"} <= set(article)
    assert article["published"] == "2022-12-30"
    assert article["outlet"] == "The Moscow Times"


def test_the_main_case_is_zhilin_with_evidence_offsets(analysis: dict[str, object]) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    cases = analysis["cases"]
    assert isinstance(cases, list) and cases
    main = cases[0]
    assert main["case"]["person"]["name"] == "Mikhail Zhilin"
    assert (main["case"]["host"], main["case"]["origin"]) == ("KZ", "RU")
    types = {e["type"] for e in main["events"]}
    assert {"asylum_application", "asylum_decision", "removal"} <= types
    for event in main["events"]:
        for evidence in event.get("source", []):
            if "start" in evidence:
                assert text[evidence["start"] : evidence["end"]] == evidence["quote"]


def test_the_removal_is_flagged(analysis: dict[str, object]) -> None:
    findings = analysis["findings"]
    assert isinstance(findings, list)
    breaches = {f["rule"] for f in findings if f["kind"] == "breach"}
    assert "rc.33_1.asylum_seeker" in breaches


def test_quotes_name_speaker_and_outlet(analysis: dict[str, object]) -> None:
    quotes = analysis["quotes"]
    assert isinstance(quotes, list)
    assert any(q["speaker"] == "Yevgeny Zhovtis" and q["outlet"] == "RFE/RL" for q in quotes)


def test_yaml_output_is_a_valid_case_file_with_the_same_findings(
    tmp_path: Path, analysis: dict[str, object]
) -> None:
    result = refuge("analyze", str(ARTICLE), "--yaml")
    assert result.returncode == 0, result.stderr.decode()
    case_file = tmp_path / "case.yaml"
    case_file.write_bytes(result.stdout)
    assert refuge("check", str(case_file)).returncode == 0
    evaluated = refuge("evaluate", str(case_file), "--at", "2022-12-30", "--json")
    assert evaluated.returncode == 0, evaluated.stderr.decode()
    again = json.loads(evaluated.stdout)["findings"]
    findings = analysis["findings"]
    assert isinstance(findings, list)
    assert [(f["rule"], f["status"]) for f in again] == [(f["rule"], f["status"]) for f in findings]


def test_standard_input_and_a_published_override() -> None:
    result = refuge(
        "analyze", "-", "--json", "--published", "2023-01-02", stdin=ARTICLE.read_bytes()
    )
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["article"]["published"] == "2023-01-02"
    assert data["at"] == "2023-01-02"


def test_a_missing_file_is_a_clear_error() -> None:
    result = refuge("analyze", "no-such-report.html")
    assert result.returncode != 0
    assert b"no-such-report.html" in result.stderr
    assert b"Traceback" not in result.stderr


def test_a_bad_host_hint_is_refused() -> None:
    result = refuge("analyze", str(ARTICLE), "--host", "Kazakhstan")
    assert result.returncode == 2
    assert b"--host" in result.stderr


def test_an_annual_report_dated_by_its_year_leaves_out_undated_steps() -> None:
    """Issue 10: `--published 2024` reads a report dated by its year the way the benchmark
    does; with a day, the undated "wanted" step is kept, bounded by "before the report"."""
    text = (
        b"Ivan Petrov, wanted in Russia for desertion, was detained in Almaty on May 3, 2024. "
        b"He was deported to Russia on May 9, 2024.\n"
    )
    by_year = refuge("analyze", "-", "--json", "--published", "2024", "--host", "KZ", stdin=text)
    assert by_year.returncode == 0, by_year.stderr.decode()
    year_types = [e["type"] for e in json.loads(by_year.stdout)["cases"][0]["events"]]
    assert year_types == ["detention", "removal"]
    by_day = refuge("analyze", "-", "--json", "--published", "2024-12-31", stdin=text)
    day_types = [e["type"] for e in json.loads(by_day.stdout)["cases"][0]["events"]]
    assert "charge" in day_types


def test_a_bad_published_value_is_refused() -> None:
    result = refuge("analyze", str(ARTICLE), "--published", "2024-13")
    assert result.returncode == 2
    assert b"--published" in result.stderr and b"Traceback" not in result.stderr
