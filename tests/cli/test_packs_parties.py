"""``refuge packs parties``: the party table at 80 columns, as JSON, and its errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from refuge.rules.parties import load_party_table


def refuge(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "80"}
    return subprocess.run(
        [sys.executable, "-m", "refuge", "packs", "parties", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_the_table_fits_80_columns_and_wraps_instead_of_cutting() -> None:
    result = refuge("--instrument", "cat")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    for state in load_party_table().states("cat"):
        assert any(line.split()[:1] == [state] for line in lines), state
    for source in ("UNTC IV.9", "UK FCO treaty record (CAT)"):
        assert source in " ".join(" ".join(line.split()) for line in lines)


def test_reservations_and_binding_on_a_date_are_shown() -> None:
    result = refuge("--state", "tr", "--instrument", "refugee-convention", "--at", "2020")
    assert result.returncode == 0, result.stderr
    assert "geographic" in result.stdout and "limitation" in result.stdout
    assert "bound" in result.stdout


def test_json_says_when_russia_left_the_echr() -> None:
    before = json.loads(
        refuge("--state", "RU", "--instrument", "echr", "--at", "2022-09-15", "--json").stdout
    )
    after = json.loads(
        refuge("--state", "RU", "--instrument", "echr", "--at", "2022-09-16", "--json").stdout
    )
    assert before["parties"][0]["binding"] == "bound"
    assert after["parties"][0]["binding"] == "not_bound"
    assert after["parties"][0]["until"] == "2022-09-16"
    assert after["parties"][0]["url"].startswith("https://www.coe.int/")


def test_an_unknown_state_is_not_recorded_never_a_party() -> None:
    data = json.loads(refuge("--state", "xx", "--at", "2020-01-01", "--json").stdout)
    rows = data["parties"]
    assert len(rows) == len(load_party_table().instruments())
    assert {r["status"] for r in rows} == {"not_recorded"}
    assert {r["binding"] for r in rows} == {"not_recorded"}


def test_bad_input_is_a_clear_error_without_traceback() -> None:
    for args, message in (
        (("--instrument", "nope"), "unknown instrument 'nope'; known: cat"),
        (("--state", "Turkey"), "is not an ISO 3166-1 alpha-2 country code"),
        (("--at", "2022-13"), "month 13 does not exist"),
    ):
        result = refuge(*args)
        assert result.returncode == 2, args
        assert message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
