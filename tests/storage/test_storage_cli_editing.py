"""``refuge event``, ``refuge person`` and ``refuge user list|role|team|reset`` through click's
CliRunner, on SQLite and PostgreSQL: the operator's edits go through the same services as the
web's, validated, audited as ``operator:NAME``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from refuge.cli.accounts import user
from refuge.cli.editing import event, person
from refuge.cli.store import import_, init, review
from refuge.errors import RefugeError
from refuge.services import store as svc
from refuge.storage import open_store
from refuge.storage.audit import entries

PASSWORD = "a long enough passphrase for the cli"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("REFUGE_ACTOR", "cli-test")
    return CliRunner()


def _run(runner: CliRunner, command: object, args: list[str], code: int = 0, **kw: str) -> str:
    """The output, or for an error (``code`` > 0) the message ``refuge`` prints (the entry point
    turns a ``RefugeError`` into its message and exit code)."""
    result = runner.invoke(command, args, **kw)  # type: ignore[arg-type]
    if code == 0:
        assert result.exit_code == 0, result.output
        return result.output
    error = result.exception
    assert isinstance(error, RefugeError) and error.exit_code == code, (result.output, error)
    return str(error)


def test_events_and_the_person_from_the_command_line(
    runner: CliRunner, empty_url: str, zhilin_file: Path
) -> None:
    db = ["--db", empty_url]
    _run(runner, init, db)
    _run(runner, import_, [str(zhilin_file), *db])
    added = _run(
        runner,
        event,
        [
            *("add", "zhilin-2022", "--type", "detention", "--date", "2022-10", *db),
            *("--attr", "grounds=extradition", "--as-written", "in October"),
        ],
    )
    new = added.split()[0].split("/")[1]
    refused = _run(
        runner, event, ["edit", "zhilin-2022", new, "--attr", "grounds=holiday", *db], code=2
    )
    assert "grounds" in refused and "'holiday' is not allowed" in refused
    _run(runner, event, ["edit", "zhilin-2022", new, "--to", "2022-11", *db])
    _run(runner, person, ["zhilin-2022", "--born", "1991", "--alias", "Михаил Жилин", *db])
    store = open_store(empty_url)
    try:
        [case] = svc.load_cases(store, "zhilin-2022")
        stored = case.event(new)
        assert (str(stored.date), stored.get("grounds")) == (
            "2022-10-01..2022-11-30",
            "extradition",
        )
        assert case.person.aliases == ("Михаил Жилин",) and case.person.name == "Mikhail Zhilin"
    finally:
        store.close()
    _run(runner, event, ["delete", "zhilin-2022", new, "--yes", *db])
    _run(runner, review, ["complete", "zhilin-2022", *db])
    store = open_store(empty_url)
    try:
        [case] = svc.load_cases(store, "zhilin-2022")
        assert new not in {e.id for e in case.events} and case.complete
        with store.read() as connection:
            mine = [e.detail for e in entries(connection) if e.actor == "operator:cli-test"]
    finally:
        store.close()
    assert mine == [
        "event added by hand",
        "event edited by hand",
        "person edited by hand",
        "event deleted by hand",
        "case marked complete",
    ]
    missing = _run(runner, event, ["delete", "zhilin-2022", "e999", "--yes", *db], code=4)
    assert "no such event" in missing


def test_users_from_the_command_line(runner: CliRunner, empty_url: str) -> None:
    db = ["--db", empty_url]
    _run(runner, init, db)
    for name in ("amina", "bekzat"):
        _run(
            runner,
            user,
            ["add", name, "--role", "monitor", "--team", "almaty", *db],
            input=f"{PASSWORD}\n",
        )
    _run(runner, user, ["role", "amina", "admin", *db])
    _run(runner, user, ["team", "bekzat", "bishkek", *db])
    weak = _run(runner, user, ["reset", "bekzat", *db], code=2, input="password1\n")
    assert "at least 15 characters" in weak
    _run(runner, user, ["reset", "bekzat", *db], input=PASSWORD + " renewed\n")
    _run(runner, user, ["disable", "bekzat", *db])
    listed = json.loads(_run(runner, user, ["list", "--json", *db]))
    assert listed == [
        {"name": "amina", "role": "admin", "teams": ["almaty"], "disabled": False},
        {"name": "bekzat", "role": "monitor", "teams": ["bishkek"], "disabled": True},
    ]
    unknown = _run(runner, user, ["role", "nobody", "viewer", *db], code=4)
    assert "no user called 'nobody'" in unknown
