"""The store commands through click's CliRunner, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from refuge.cli.store import alerts, case, cases, db, export, import_, ingest, init
from refuge.storage import StoreError


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("REFUGE_ACTOR", "cli-test")
    return CliRunner()


def _ok(runner: CliRunner, command: object, args: list[str]) -> str:
    result = runner.invoke(command, args, catch_exceptions=False)  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    return result.output


def test_init_import_export_round_trip(
    runner: CliRunner, empty_url: str, zhilin_file: Path, tmp_path: Path
) -> None:
    """init, db current, import, export --format json (to a 0600 file) and re-import."""
    db_args = ["--database", empty_url]
    assert "schema" in _ok(runner, init, db_args)
    assert "up to date" in _ok(runner, db, ["current", *db_args])
    assert "already up to date" in _ok(runner, db, ["upgrade", *db_args])
    assert _ok(runner, import_, [str(zhilin_file), *db_args]).strip() == "1 created, 0 replaced"
    out = tmp_path / "all.json"
    _ok(runner, export, ["--plaintext", "--format", "json", "-o", str(out), *db_args])
    assert out.stat().st_mode & 0o777 == 0o600
    assert [c["case"]["id"] for c in json.loads(out.read_text(encoding="utf-8"))] == ["zhilin-2022"]
    assert "0 created, 1 replaced" in _ok(runner, import_, [str(out), *db_args])
    assert _ok(runner, db, ["reindex", *db_args]).strip() == "1 cases reindexed"
    yaml_text = _ok(runner, export, ["--plaintext", "--case", "zhilin-2022", *db_args])
    assert yaml_text.startswith("case:\n  id: zhilin-2022")


def test_cases_case_and_alerts_as_json(
    runner: CliRunner, empty_url: str, zhilin_file: Path
) -> None:
    db_args = ["--database", empty_url]
    _ok(runner, init, db_args)
    _ok(runner, import_, [str(zhilin_file), *db_args])
    listed = json.loads(_ok(runner, cases, ["--json", "--at", "2022-12-27", *db_args]))
    assert [(c["id"], c["events"]) for c in listed] == [("zhilin-2022", 14)]
    shown = json.loads(_ok(runner, case, ["zhilin-2022", "--json", "--at", "2022-12-27", *db_args]))
    assert shown["evaluation"]["at"] == "2022-12-27"
    assert shown["corroboration"]["handover"] == 2
    found = json.loads(_ok(runner, alerts, ["--json", "--at", "2022-12-27", *db_args]))
    # one row per person (issue 11), its steps the alerts of the case
    assert [r["case"] for r in found] == ["zhilin-2022"]
    assert sorted(s["kind"] for s in found[0]["steps"]) == ["action", "action", "removal"]
    assert found[0]["removed"] is False and found[0]["name"] == "Mikhail Zhilin"
    table = _ok(runner, alerts, ["--at", "2022-12-27", "--within", "7", *db_args])
    assert "zhilin-2022" in table and "Mikhail Zhilin" in table and "removal" in table
    assert "Timeline of zhilin-2022" in _ok(runner, case, ["zhilin-2022", *db_args])


def test_ingest_prints_a_summary(runner: CliRunner, empty_url: str, tmp_path: Path) -> None:
    from fakes import report

    db_args = ["--database", empty_url, "--analyzer", "fakes:analyze"]
    (tmp_path / "a.txt").write_text(
        report(
            "z", "Zhilin", "  - {id: a, type: asylum_application, date: 2022-09-26, source: s1}"
        ),
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text("BROKEN", encoding="utf-8")
    _ok(runner, init, ["--database", empty_url])
    out = _ok(runner, ingest, [str(tmp_path), "--workers", "2", *db_args])
    assert "1 reports stored: 1 cases created" in out
    assert "failed:" in out and "b.txt" in out
    again = json.loads(_ok(runner, ingest, [str(tmp_path), "--json", *db_args]))
    assert again["reports"] == 0
    assert [s["reason"] for s in again["skipped"]] == ["already ingested"]


def test_commands_on_a_missing_store_say_to_run_init(runner: CliRunner, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    result = runner.invoke(cases, ["--database", url])
    assert isinstance(result.exception, StoreError)
    assert "refuge init" in str(result.exception)
    assert not (tmp_path / "none.db").exists()


def test_merges_and_review_commands(runner: CliRunner, empty_url: str, tmp_path: Path) -> None:
    """An unsure match is listed by `refuge merges --pending` and settled by `review merge`."""
    from fakes import report

    from refuge.cli.store import merges, review

    event = "  - {id: a, type: asylum_application, date: 2022-09-26, source: s1}"
    (tmp_path / "a.txt").write_text(report("z", "Zhilin", event, born="1986"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        report("z2", "Zhilin", event.replace("2022-09-26", "2022-09-27"), citizenship="[]"),
        encoding="utf-8",
    )
    db_args = ["--database", empty_url]
    _ok(runner, init, db_args)
    _ok(runner, ingest, [str(tmp_path), "--analyzer", "fakes:analyze", *db_args])
    (pending,) = json.loads(_ok(runner, merges, ["--pending", "--json", *db_args]))
    assert (pending["kind"], pending["case_id"]) == ("proposal", "z")
    out = _ok(runner, review, ["merge", str(pending["pk"]), "rejected", *db_args])
    assert "case z2" in out
    assert "z/a verified" in _ok(runner, review, ["event", "z", "a", "verified", *db_args])
    assert json.loads(_ok(runner, merges, ["--pending", "--json", *db_args])) == []
