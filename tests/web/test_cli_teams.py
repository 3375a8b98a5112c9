"""Teams from the command line (issue 11): ``refuge ingest --team`` and ``refuge share``, with
the web's access rules, checked through the REST API as each team's lawyer sees it. Real
subprocesses over the store of the web fixtures (teams a and b)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from refuge.services.store import ALREADY_HELD
from refuge.storage.tables import audit

fx = sys.modules["refuge_test_web_fixtures"]
SEED = Path(__file__).resolve().parents[2] / "examples" / "zhilin-moscow-times-2022-12-30.txt"


def refuge(world: Any, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REFUGE_DATABASE_URL": world.url, "REFUGE_ACTOR": "operator"}
    return subprocess.run(
        [sys.executable, "-m", "refuge", *args], capture_output=True, text=True, env=env,
        check=False,
    )  # fmt: skip


def names(client: TestClient, world: Any, user: str) -> set[str]:
    listed = client.get("/api/cases", headers=fx.bearer(world.tokens[user])).json()
    return {c["name"] for c in listed["items"]}


def test_ingest_for_a_team_then_share_with_another(
    client: TestClient, world: Any, tmp_path: Path
) -> None:
    report = tmp_path / "report.txt"
    report.write_text(
        SEED.read_text(encoding="utf-8").replace("Mikhail", "Oleg").replace("Zhilin", "Zhilkin"),
        encoding="utf-8",
    )
    read = refuge(world, "ingest", "--team", "a", "--host", "KZ", str(report))
    assert read.returncode == 0, read.stderr
    assert "1 cases created" in read.stdout, read.stdout
    assert any("Zhilkin" in n for n in names(client, world, "lawyer-a"))
    assert not any("Zhilkin" in n for n in names(client, world, "lawyer-b"))

    again = refuge(world, "ingest", "--team", "b", "--host", "KZ", str(report))
    assert again.returncode == 0, again.stderr
    assert ALREADY_HELD in again.stdout
    assert "team a" not in again.stdout and "zhilkin" not in again.stdout.lower()

    case_id = next(
        c["id"]
        for c in client.get("/api/cases", headers=fx.bearer(world.tokens["lawyer-a"])).json()[
            "items"
        ]
        if "Zhilkin" in c["name"]
    )
    shared = refuge(world, "share", case_id, "--team", "b")
    assert shared.returncode == 0, shared.stderr
    assert any("Zhilkin" in n for n in names(client, world, "lawyer-b"))
    with world.store.read() as connection:
        grants = (
            connection.execute(select(audit.c.actor).where(audit.c.action == "grant"))
            .scalars()
            .all()
        )
    # the ingest's grant and the share (made as the operator principal)
    assert grants.count("operator") + grants.count("operator:operator") >= 2


def test_an_unknown_team_is_a_clear_error_and_changes_nothing(world: Any) -> None:
    result = refuge(world, "share", "zhilin-2022", "--team", "nobody")
    assert result.returncode != 0
    assert "no team named 'nobody'" in result.stderr
    assert "Traceback" not in result.stderr
    ingest = refuge(world, "ingest", "--team", "nobody", str(SEED))
    assert ingest.returncode != 0 and "no team named 'nobody'" in ingest.stderr
