"""Filing on stored cases, on SQLite and PostgreSQL: a dossier by case id, and a sent request
recorded as an event that moves the case's alerts on, audited."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from refuge.cli.filing import dossier, request
from refuge.errors import InputError
from refuge.services import store as svc
from refuge.services.filing import FilingRefused, record_request_sent
from refuge.storage import Store
from refuge.storage.audit import entries

AT = date(2022, 12, 27)


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("REFUGE_ACTOR", "filing-test")
    return CliRunner()


def _actions(store: Store) -> set[str | None]:
    return {a.rule for a in svc.collect_alerts(store, AT, 14) if a.kind == "action"}


def test_dossier_of_a_stored_case(
    runner: CliRunner, store: Store, store_url: str, zhilin_file: Path, tmp_path: Path
) -> None:
    """CASE as a store id: the same dossier as from the file."""
    svc.import_cases(store, [zhilin_file], actor="test")
    out = tmp_path / "d.html"
    args = ["zhilin-2022", "--at", "2022-12-27", "--format", "html", "-o", str(out)]
    result = runner.invoke(dossier, [*args, "--database", store_url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "late November" in out.read_text(encoding="utf-8")


def test_sent_request_becomes_an_event_and_alerts_move_on(
    runner: CliRunner, store: Store, store_url: str, zhilin_file: Path
) -> None:
    svc.import_cases(store, [zhilin_file], actor="test")
    assert "cat.act.request_interim_measures" in _actions(store)
    args = ["zhilin-2022", "--to", "cat", "--sent", "2022-12-27", "--json"]
    result = runner.invoke(request, [*args, "--database", store_url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["event"] == "im-request-cat-2022-12-27"
    [case] = svc.load_cases(store, "zhilin-2022")
    event = case.event("im-request-cat-2022-12-27")
    assert (event.type, dict(event.attrs), str(event.date)) == (
        "interim_measures_request", {"body": "CAT"}, "2022-12-27",
    )  # fmt: skip
    assert "cat.act.request_interim_measures" not in _actions(store)
    with store.read() as connection:
        last = entries(connection)[-1]
    assert (last.actor, last.detail) == (
        "filing-test",
        "interim measures request to cat recorded as sent",
    )


def test_a_second_request_gets_its_own_event(store: Store, zhilin_file: Path) -> None:
    svc.import_cases(store, [zhilin_file], actor="test")
    first = record_request_sent(store, "zhilin-2022", "hrc", AT, "t")
    second = record_request_sent(store, "zhilin-2022", "hrc", AT, "t")
    assert (first.id, second.id) == ("im-request-hrc-2022-12-27", "im-request-hrc-2022-12-27-2")


def test_unknown_body_changes_nothing(store: Store, zhilin_file: Path) -> None:
    svc.import_cases(store, [zhilin_file], actor="test")
    with pytest.raises(FilingRefused, match="unknown body"):
        record_request_sent(store, "zhilin-2022", "wgad", AT, "t")
    [case] = svc.load_cases(store, "zhilin-2022")
    assert not any(e.type == "interim_measures_request" for e in case.events)


def test_case_files_are_not_rewritten(runner: CliRunner, zhilin_file: Path) -> None:
    """--sent on a case file says what to add instead of editing the lawyer's file."""
    before = zhilin_file.read_bytes()
    args = [str(zhilin_file), "--to", "cat", "--sent", "2022-12-27"]
    with pytest.raises(InputError, match="add this event to its events"):
        runner.invoke(request, args, catch_exceptions=False)
    assert zhilin_file.read_bytes() == before


def test_refusal_writes_no_file(runner: CliRunner, zhilin_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    args = [str(zhilin_file), "--to", "echr", "--at", "2022-12-27", "-o", str(out)]
    with pytest.raises(FilingRefused, match="Kazakhstan is not a party to the ECHR"):
        runner.invoke(request, args, catch_exceptions=False)
    assert not out.exists()
