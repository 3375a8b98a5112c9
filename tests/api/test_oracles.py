"""Existence oracles (issue 13, security.md): what a team learns about other teams' data from
the answers it gets. Each probe asks the same question about something another team holds
and about something nobody holds, and the answers must be identical (refs and random case ids
aside, which are compared by shape)."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from refuge.auth import tokens
from refuge.auth.users import add_user, ensure_team
from refuge.services.store import ingest

fx = sys.modules["refuge_test_web_fixtures"]
SEED = Path(__file__).resolve().parents[2] / "examples" / "zhilin-moscow-times-2022-12-30.txt"
RANDOM_ID = re.compile(r"case-[2-9a-hjkmnp-z]{10}")


def _get(client: TestClient, world: Any, user: str, path: str) -> Any:
    return client.get(path, headers=fx.bearer(world.tokens[user]))


def _post(client: TestClient, world: Any, user: str, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, headers=fx.bearer(world.tokens[user]), json=body)


def _upload(client: TestClient, world: Any, user: str, text: str) -> Any:
    """An upload followed until its job has read it: its progress as JSON (state, message,
    cases...); the upload's own id is left out, it differs between any two uploads."""
    sent = _post(client, world, user, "/api/reports", {"text": text, "name": "report.txt"})
    done = fx.uploaded(client, world.tokens[user], sent)
    assert done["finished"], done
    return {k: v for k, v in done.items() if k not in ("upload", "url")}


def _seen_by(client: TestClient, world: Any, user: str, body: dict[str, Any]) -> dict[str, Any]:
    """What ``user`` is told by an upload and can then read, refs and ids reduced to shapes."""
    listed = _get(client, world, user, "/api/cases").json()["items"]
    ids = [c["id"] for c in listed if c["ref"] in body["cases"]]
    return {
        "state": body["state"],
        "message": body["message"],
        "cases": len(body["cases"]),
        "proposed": body["proposed"],
        "id shapes": ["random" if RANDOM_ID.fullmatch(i) else i for i in ids],
    }


def test_a_new_case_on_a_person_another_team_holds_looks_like_any_new_case(
    client: TestClient, world: Any
) -> None:
    """Team A holds zhilin-2022. A new team C reading a report on Zhilin, and one on a
    person nobody holds, is told the same and gets case ids of the same random shape (an id
    made from the surname was suffixed with -2 when the name was taken)."""
    with world.store.write() as connection:
        pk = add_user(connection, "lawyer-c", "lawyer", fx.PASSWORD, "c")
        world.tokens["lawyer-c"] = tokens.create(connection, pk, "write", 30, time.time())
    report = SEED.read_text(encoding="utf-8")
    held = _upload(client, world, "lawyer-c", report)
    fresh = _upload(
        client, world, "lawyer-c", report.replace("Zhilin", "Zhilkin").replace("Жилин", "Жилкин")
    )
    assert held["state"] == "done", held
    seen = _seen_by(client, world, "lawyer-c", held)
    assert seen == _seen_by(client, world, "lawyer-c", fresh)
    assert seen["id shapes"] == ["random"] and seen["cases"] == 1
    # Refs are drawn at random too: two cases created one after the other are not neighbours,
    # so nobody can count the cases other teams created in between.
    refs = [*held["cases"], *fresh["cases"]]
    assert max(refs) - min(refs) != 1 and world.own_ref not in refs


def test_a_report_another_team_holds_is_answered_the_same_whoever_holds_it(
    client: TestClient, world: Any
) -> None:
    """A report team A read, and one read by the operator for nobody: team B is told the same
    (a copy is stored, ask an administrator), never which team or case holds it."""
    report = SEED.read_text(encoding="utf-8")
    by_team_a = report.replace("Zhilin", "Zhilkin").replace("Жилин", "Жилкин")
    by_nobody = report.replace("Zhilin", "Zhilinsky").replace("Жилин", "Жилинский")
    assert _upload(client, world, "lawyer-a", by_team_a)["state"] == "done"
    path = Path(world.url.removeprefix("sqlite:///")).parent / "nobody.txt"
    path.write_text(by_nobody, encoding="utf-8")
    assert ingest(world.store, [path], actor="operator").reports == 1
    first, second = (_upload(client, world, "lawyer-b", t) for t in (by_team_a, by_nobody))
    assert first == second
    assert "already in the store" in first["message"] and first["cases"] == []
    assert "team" not in first["message"].replace("share the case", "")


def test_sharing_answers_the_same_for_any_team_name(client: TestClient, world: Any) -> None:
    """A team that exists, the sharer's own team and a name no team has: the same answer."""
    path = f"/api/cases/{world.own_ref}/share"
    answers = [
        _post(client, world, "lawyer-a", path, {"team": team})
        for team in ("b", "a", "no-such-team", "B")
    ]
    assert len({(a.status_code, a.content) for a in answers}) == 1
    assert answers[0].status_code == 200


def test_a_case_of_another_team_and_a_missing_case_answer_the_same(
    client: TestClient, world: Any
) -> None:
    missing = next(r for r in range(world.foreign_ref + 1, 2**31) if r != world.own_ref)
    for path in (
        "/api/cases/{}",
        "/api/cases/{}/export?fmt=csv",
        "/api/cases/{}/dossier?format=html",
    ):
        held = _get(client, world, "lawyer-a", path.format(world.foreign_ref))
        absent = _get(client, world, "lawyer-a", path.format(missing))
        assert (held.status_code, held.content) == (absent.status_code, absent.content)
        assert held.status_code == 404


def test_a_team_admin_lists_their_own_teams_users_only(client: TestClient, world: Any) -> None:
    """Users added to other teams (or to none) change nothing in what team A's admin sees."""
    before = _get(client, world, "admin-a", "/api/users")
    with world.store.write() as connection:
        ensure_team(connection, "c")
        add_user(connection, "lawyer-c", "lawyer", fx.PASSWORD, "c")
        add_user(connection, "admin-b", "admin", fx.PASSWORD, "b")
    after = _get(client, world, "admin-a", "/api/users")
    assert (before.status_code, before.json()) == (after.status_code, after.json())
    assert {u["name"] for u in after.json()} == {"viewer-a", "monitor-a", "lawyer-a", "admin-a"}
