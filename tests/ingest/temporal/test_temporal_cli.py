"""The `dates` command, driven through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from refuge.cli.dates import dates

REPORT = "Zhilin on Sept. 26 requested asylum. A court upheld his deportation on Wednesday."


def test_json_output_lists_every_expression_with_iso_dates() -> None:
    result = CliRunner().invoke(dates, ["-", "--dct", "2022-12-30", "--json"], input=REPORT)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["text"] for r in rows] == ["Sept. 26", "Wednesday"]
    assert rows[1] == {
        "start": REPORT.index("Wednesday"),
        "end": REPORT.index("Wednesday") + len("Wednesday"),
        "text": "Wednesday",
        "type": "DATE",
        "value": "2022-12-28",
        "mod": None,
        "earliest": "2022-12-28",
        "latest": "2022-12-28",
    }


def test_table_output_reads_a_file(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("He was detained in late November.", encoding="utf-8")
    result = CliRunner().invoke(dates, [str(report), "--dct", "2022-12-30"])
    assert result.exit_code == 0, result.output
    assert "late November" in result.output
    assert "2022-11-21" in result.output and "END" in result.output


def test_bad_dct_is_a_usage_error_naming_the_option() -> None:
    result = CliRunner().invoke(dates, ["-", "--dct", "30/12/2022"], input=REPORT)
    assert result.exit_code == 2
    assert "--dct" in result.output and "YYYY-MM-DD" in result.output


def test_missing_dct_is_a_usage_error() -> None:
    result = CliRunner().invoke(dates, ["-"], input=REPORT)
    assert result.exit_code == 2
    assert "--dct" in result.output


def test_non_utf8_input_is_a_clear_error(tmp_path: Path) -> None:
    report = tmp_path / "latin1.txt"
    report.write_bytes("déporté le 26 septembre".encode("latin-1"))
    result = CliRunner().invoke(dates, [str(report), "--dct", "2022-12-30"])
    assert result.exit_code != 0
    assert "not UTF-8" in result.output and "latin1.txt" in result.output


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(dates, [str(tmp_path / "nope.txt"), "--dct", "2022-12-30"])
    assert result.exit_code != 0
    assert "nope.txt" in result.output
