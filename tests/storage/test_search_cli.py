"""``refuge search`` through click's CliRunner, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_search import case_file

from refuge.cli.search import search
from refuge.cli.store import import_, init
from refuge.errors import RefugeError


@pytest.fixture
def db_args(empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("REFUGE_ACTOR", "cli-test")
    args = ["--db", empty_url]
    runner = CliRunner()
    assert runner.invoke(init, args, catch_exceptions=False).exit_code == 0
    files = [
        str(case_file(tmp_path, "zh-latin", "Mikhail Zhilin", quote="held at the Almaty airport")),
        str(case_file(tmp_path, "kh-cyrillic", "Дмитрий Хасанов")),
    ]
    assert runner.invoke(import_, [*files, *args], catch_exceptions=False).exit_code == 0
    return args


def _run(args: list[str], stdin: str | None = None) -> str:
    result = CliRunner().invoke(search, args, input=stdin, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_search_as_json_across_scripts(db_args: list[str]) -> None:
    found = json.loads(_run(["Жилин", "--json", *db_args]))
    assert [h["case"] for h in found["hits"]] == ["zh-latin"]
    assert found["hits"][0]["name"] == "Mikhail Zhilin" and found["hits"][0]["in_name"]
    found = json.loads(_run(["Hasanov", "--json", *db_args]))
    assert [h["case"] for h in found["hits"]] == ["kh-cyrillic"]


def test_search_reads_the_query_from_stdin_and_shows_the_snippet(db_args: list[str]) -> None:
    out = _run(["-", *db_args], stdin="almaty airport\n")
    assert "zh-latin" in out and "Almaty" in out and "airport" in out
    assert "kh-cyrillic" not in out
    assert "nothing found" in _run(["Petrov", *db_args])


def test_reindex_and_team_and_errors(db_args: list[str]) -> None:
    assert "search index rebuilt: 2 cases" in _run(["--reindex", *db_args])
    with pytest.raises(RefugeError, match="no team named"):
        CliRunner().invoke(search, ["Zhilin", "--team", "nobody", *db_args], catch_exceptions=False)
    with pytest.raises(RefugeError, match="give a QUERY"):
        CliRunner().invoke(search, db_args, catch_exceptions=False)
    with pytest.raises(RefugeError, match="at least two letters"):
        CliRunner().invoke(search, ["2022", *db_args], catch_exceptions=False)
