"""The authorisation matrix (security.md R11), generated from the app's route table: every
route × every role × a case of the user's own team and a case of another team, through the API
(bearer tokens) and the pages (sessions). A route missing from ``MATRIX`` fails the test, and
the foreign case's canary name must appear in no response a team-A user gets.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from refuge.api.app import create_app, route_table
from refuge.auth.tables import users
from refuge.auth.users import add_user
from refuge.casefile import case_to_data
from refuge.jobs import inbox, runs
from refuge.services.store import load_cases
from refuge.storage.tables import cases, events, merges

fx = sys.modules["refuge_test_web_fixtures"]
ROLES = ("viewer", "monitor", "lawyer", "admin")


@dataclass(frozen=True)
class Rule:
    role: str | None  # the least role allowed; None: public
    per_case: bool  # the path or body names a case: foreign cases answer 404
    ok: int  # the status of an allowed request


MATRIX: dict[tuple[str, str], Rule] = {
    ("GET", "/login"): Rule(None, False, 200),
    ("POST", "/login"): Rule(None, False, 303),
    ("POST", "/logout"): Rule("viewer", False, 303),
    ("GET", "/"): Rule("viewer", False, 200),
    ("GET", "/cases"): Rule("viewer", False, 200),
    ("POST", "/cases"): Rule("viewer", False, 200),
    ("GET", "/cases/{ref}"): Rule("viewer", True, 200),
    ("GET", "/law"): Rule("viewer", False, 200),
    ("GET", "/review"): Rule("viewer", False, 200),
    ("POST", "/review/event"): Rule("lawyer", True, 303),
    ("POST", "/review/proposal"): Rule("lawyer", True, 303),
    ("GET", "/reports/new"): Rule("viewer", False, 200),
    ("POST", "/reports"): Rule("monitor", False, 303),
    ("GET", "/api/openapi.json"): Rule("viewer", False, 200),
    ("GET", "/api/alerts"): Rule("viewer", False, 200),
    ("GET", "/api/today"): Rule("viewer", False, 200),
    ("GET", "/api/cases"): Rule("viewer", False, 200),
    ("GET", "/api/cases/{ref}"): Rule("viewer", True, 200),
    ("GET", "/api/cases/{ref}/export"): Rule("lawyer", True, 200),
    ("GET", "/api/law"): Rule("viewer", False, 200),
    ("GET", "/api/review"): Rule("viewer", False, 200),
    ("POST", "/api/cases/{ref}/review"): Rule("lawyer", True, 200),
    ("POST", "/api/proposals/{pk}/review"): Rule("lawyer", True, 200),
    ("POST", "/api/reports"): Rule("monitor", False, 202),
    ("GET", "/reports/{upload}"): Rule("viewer", True, 200),  # own: the user's own upload
    ("GET", "/api/uploads/{upload}"): Rule("viewer", True, 200),
    ("GET", "/admin/jobs"): Rule("admin", False, 200),
    ("POST", "/admin/jobs/retry"): Rule("admin", False, 303),
    ("POST", "/admin/jobs/dismiss"): Rule("admin", False, 303),
    ("POST", "/api/cases/{ref}/share"): Rule("lawyer", True, 200),
    ("GET", "/api/users"): Rule("admin", False, 200),
    ("POST", "/review/person"): Rule("lawyer", True, 303),
    ("POST", "/api/cases/{ref}/person"): Rule("lawyer", True, 200),
    ("GET", "/cases/{ref}/dossier"): Rule("lawyer", True, 200),
    ("POST", "/cases/{ref}/requests"): Rule("lawyer", True, 303),
    ("GET", "/api/cases/{ref}/dossier"): Rule("lawyer", True, 200),
    ("GET", "/api/cases/{ref}/request"): Rule("lawyer", True, 200),
    ("POST", "/api/cases/{ref}/requests"): Rule("lawyer", True, 201),
    ("POST", "/search"): Rule("viewer", False, 303),
    ("GET", "/search/{key}"): Rule("viewer", False, 200),
    ("POST", "/api/search"): Rule("viewer", False, 200),
    ("GET", "/cases/{ref}/edit"): Rule("lawyer", True, 200),
    ("POST", "/cases/{ref}/person"): Rule("lawyer", True, 303),
    ("POST", "/cases/{ref}/complete"): Rule("lawyer", True, 303),
    ("GET", "/cases/{ref}/events/new"): Rule("lawyer", True, 200),
    ("GET", "/cases/{ref}/events/{event}/edit"): Rule("lawyer", True, 200),
    ("POST", "/cases/{ref}/events"): Rule("lawyer", True, 303),
    ("POST", "/cases/{ref}/events/{event}"): Rule("lawyer", True, 303),
    ("POST", "/cases/{ref}/events/{event}/delete"): Rule("lawyer", True, 303),
    ("POST", "/api/cases/{ref}/events"): Rule("lawyer", True, 201),
    ("PATCH", "/api/cases/{ref}/events/{event}"): Rule("lawyer", True, 200),
    ("DELETE", "/api/cases/{ref}/events/{event}"): Rule("lawyer", True, 200),
    ("PATCH", "/api/cases/{ref}/person"): Rule("lawyer", True, 200),
    ("POST", "/api/cases/{ref}/complete"): Rule("lawyer", True, 200),
    ("GET", "/api/vocabulary"): Rule("viewer", False, 200),
    ("GET", "/admin/users"): Rule("admin", False, 200),
    ("POST", "/admin/users"): Rule("admin", False, 303),
    ("POST", "/admin/users/role"): Rule("admin", False, 303),
    ("POST", "/admin/users/team"): Rule("admin", False, 303),
    ("POST", "/admin/users/reset"): Rule("admin", False, 303),
    ("POST", "/admin/users/disable"): Rule("admin", False, 303),
    ("GET", "/account/password"): Rule("viewer", False, 200),
    # two different new passwords: refused (400) after the access check, nothing changed
    ("POST", "/account/password"): Rule("viewer", False, 400),
}
_EVENT_FORM = {"type": "other", "earliest": "2022-12-01", "attr.label": "a note"}
_EVENT_BODY = {"type": "other", "earliest": "2022-12-01", "attrs": {"label": "a note"}}
_PERSON = {"name": "Mikhail Zhilin", "host": "KZ"}
REPORT = """Kazakhstan Deports Russian Deserter

January 10, 2023

Kazakhstan has deported Ivan Petrov, a Russian citizen who fled mobilization, media reported
Tuesday. Petrov on Sept. 28 requested political asylum in Kazakhstan after being detained by
border guards. His application was refused in November. An appeals court upheld his
deportation on Monday, and migration police handed him to Russia, his lawyer said."""
_sent = iter(range(10_000))


def _report() -> str:
    """A new report each time (a report already in the store is skipped, not re-read)."""
    return f"{REPORT}\n\nReport number {next(_sent)}."


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, Any]]]:
    world = fx.build_world(tmp_path_factory.mktemp("authz"))
    app = create_app(fx.settings_for(world))
    clients: dict[str, Any] = {}
    for role in ROLES:
        client = TestClient(app, base_url="http://127.0.0.1")
        client.__enter__()
        csrf = fx.sign_in(client, f"{role}-a")
        clients[role] = (client, csrf)
    clients["anonymous"] = (TestClient(app, base_url="http://127.0.0.1"), "")
    yield world, clients
    for client, _csrf in clients.values():
        client.close()
    world.store.close()


def test_every_route_is_in_the_matrix(setup: tuple[Any, dict[str, Any]]) -> None:
    world, _clients = setup
    app = create_app(fx.settings_for(world))
    assert set(route_table(app)) == set(MATRIX)


def _proposal(world: Any, ref: int) -> int:
    """A fresh open merge proposal on case ``ref`` (each accept consumes one)."""
    with world.store.write() as connection:
        case_id = connection.execute(select(cases.c.id).where(cases.c.pk == ref)).scalar_one()
    candidate = case_to_data(load_cases(world.store, case_id)[0])
    with world.store.write() as connection:
        return int(
            connection.execute(
                insert(merges)
                .values(
                    case_pk=ref,
                    report_pk=None,
                    kind="proposal",
                    score=0.7,
                    reasons=["test"],
                    candidate=candidate,
                    review="draft",
                    created_at=datetime.now(UTC),
                )
                .returning(merges.c.pk)
            ).scalar_one()
        )


def _upload(world: Any, role: str) -> int:
    """An upload by ``role``-a (or lawyer-b for "b"), waiting in the inbox."""
    name = "lawyer-b" if role == "b" else f"{role}-a"
    with world.store.read() as connection:
        user_pk = connection.execute(select(users.c.pk).where(users.c.name == name)).scalar()
    return inbox.put(world.store, _report().encode(), "r.txt", user_pk=user_pk)


def _parked_job(world: Any) -> int:
    """A fresh parked job (its inbox row does not exist: a retry parks it again)."""
    job = runs.new_run(world.store, "ingest_report", args={"report": 2**31 - 1})
    runs.failed(world.store, job, "ingest_report", "test", parked=True, attempts=4)
    return job


def _event(world: Any, ref: int) -> str:
    with world.store.read() as connection:
        return str(
            connection.execute(
                select(events.c.id).where(events.c.case_pk == ref).order_by(events.c.position)
            ).first()[0]  # type: ignore[index]
        )


def _spare(world: Any) -> str:
    """A fresh user of team A to administer (resets and disabling end their sessions)."""
    name = f"spare{next(_sent)}"
    with world.store.write() as connection:
        add_user(connection, name, "viewer", fx.PASSWORD, "a")
    return name


def _request(world: Any, client: Any, csrf: str, role: str, key: tuple[str, str], ref: int) -> Any:
    method, path = key
    url = path.replace("{ref}", str(ref))
    token = world.tokens.get(f"{role}-a")
    headers = fx.bearer(token) if token and path.startswith("/api/") else {}
    if "{pk}" in path:
        url = url.replace("{pk}", str(_proposal(world, ref)))
    if "{event}" in path:
        url = url.replace("{event}", _event(world, ref))
    if "{upload}" in path:  # one's own upload, or another team's user's
        url = url.replace("{upload}", str(_upload(world, role if ref == world.own_ref else "b")))
    form: dict[str, Any] = {"csrf": csrf}
    body: dict[str, Any] | None = None
    if key == ("POST", "/login"):
        form = {"name": "viewer-a", "password": fx.PASSWORD}
    elif key == ("POST", "/review/event"):
        form |= {"ref": ref, "event": _event(world, ref), "action": "accept"}
    elif key == ("POST", "/review/person"):
        form |= {"ref": ref, "action": "accept"}
    elif key == ("POST", "/review/proposal"):
        form |= {"pk": _proposal(world, ref), "action": "accept"}
    elif key == ("POST", "/reports"):
        form |= {"text": _report()}
    elif key in (("POST", "/admin/jobs/retry"), ("POST", "/admin/jobs/dismiss")):
        form |= {"job": _parked_job(world)}
    elif key == ("POST", "/cases/{ref}/requests"):
        form |= {"to": "cat", "sent": "2022-12-27"}
    elif key == ("POST", "/api/cases/{ref}/requests"):
        body = {"to": "cat", "sent": "2022-12-27"}
    elif key == ("GET", "/api/cases/{ref}/request"):
        url += "?to=cat&format=md&at=2022-12-27"
    elif key == ("GET", "/api/cases/{ref}/dossier"):
        url += "?format=html"
    elif key == ("POST", "/api/cases/{ref}/review"):
        body = {"event": _event(world, ref), "action": "accept"}
    elif key == ("POST", "/api/proposals/{pk}/review"):
        body = {"action": "reject" if role == "admin" else "accept"}
    elif key == ("POST", "/api/cases/{ref}/person"):
        body = {"action": "accept"}
    elif key == ("POST", "/api/cases/{ref}/share"):
        body = {"team": "a"}
    elif key == ("POST", "/api/reports"):
        body = {"text": _report()}
    elif key == ("POST", "/search"):
        form |= {"q": "Canary Foreign Person"}
    elif key == ("GET", "/search/{key}"):  # the results page of this session's own search
        held = client.post("/search", data={"csrf": csrf, "q": "Canary"}, follow_redirects=False)
        where = held.headers.get("location", "")
        url = where if where.startswith("/search/") else "/search/none"
    elif key == ("POST", "/api/search"):
        body = {"query": "Canary Foreign Person"}
    elif key in (("POST", "/cases/{ref}/events"), ("POST", "/cases/{ref}/events/{event}")):
        form |= _EVENT_FORM
    elif key in (("POST", "/api/cases/{ref}/events"), ("PATCH", "/api/cases/{ref}/events/{event}")):
        body = _EVENT_BODY
    elif key == ("POST", "/cases/{ref}/person"):
        form |= _PERSON
    elif key == ("PATCH", "/api/cases/{ref}/person"):
        body = _PERSON
    elif key == ("POST", "/admin/users"):
        form |= {"name": f"new{next(_sent)}", "role": "viewer", "team": "a"}
        form |= {"password": fx.PASSWORD, "step_up": fx.PASSWORD}
    elif key == ("POST", "/admin/users/role"):
        form |= {"name": _spare(world), "role": "monitor", "step_up": fx.PASSWORD}
    elif key == ("POST", "/admin/users/team"):
        form |= {"name": _spare(world), "team": "a"}
    elif key == ("POST", "/admin/users/reset"):
        form |= {"name": _spare(world), "password": fx.PASSWORD + " again", "step_up": fx.PASSWORD}
    elif key == ("POST", "/admin/users/disable"):
        form |= {"name": _spare(world)}
    elif key == ("POST", "/account/password"):
        form |= {"old": fx.PASSWORD, "new": fx.PASSWORD + " one", "again": fx.PASSWORD + " two"}
    elif key == ("POST", "/cases/{ref}/complete"):
        form |= {"complete": "no"}
    elif key == ("POST", "/api/cases/{ref}/complete"):
        body = {"complete": False}
    if key == ("POST", "/login"):  # on a fresh client: signing in must not swap sessions
        with TestClient(client.app, base_url="http://127.0.0.1") as fresh:
            return fresh.post(url, data=form, follow_redirects=False)
    if method == "GET":
        return client.get(url, headers=headers, follow_redirects=False)
    if path.startswith("/api/"):
        return client.request(method, url, headers=headers, json=body or {}, follow_redirects=False)
    return client.post(url, data=form, follow_redirects=False)


def _expected(rule: Rule, role: str, own: bool, api: bool) -> int:
    if rule.role is None:
        return rule.ok
    if role == "anonymous":
        return 401 if api else 303
    if ROLES.index(role) < ROLES.index(rule.role):
        return 403
    if rule.per_case and not own:
        return 404
    return rule.ok


@pytest.mark.parametrize("key", sorted(MATRIX), ids=lambda k: f"{k[0]} {k[1]}")
def test_route_by_role_and_case(setup: tuple[Any, dict[str, Any]], key: tuple[str, str]) -> None:
    world, clients = setup
    rule = MATRIX[key]
    wrong = []
    for role in (*ROLES, "anonymous"):
        client, csrf = clients[role]
        for own in (True, False) if rule.per_case else (True,):
            ref = world.own_ref if own else world.foreign_ref
            response = _request(world, client, csrf, role, key, ref)
            want = _expected(rule, role, own, key[1].startswith("/api/"))
            if key == ("POST", "/logout") and role != "anonymous":
                clients[role] = (client, fx.sign_in(client, f"{role}-a"))  # for what follows
            if response.status_code != want:
                wrong.append((role, "own" if own else "foreign", response.status_code, want))
            assert fx.CANARY not in response.text, (role, key)
    assert not wrong, wrong


def test_read_scoped_token_cannot_write(setup: tuple[Any, dict[str, Any]]) -> None:
    world, clients = setup
    client, _csrf = clients["lawyer"]
    headers = fx.bearer(world.read_tokens["lawyer-a"])
    response = client.post(
        f"/api/cases/{world.own_ref}/review",
        headers=headers,
        json={"event": _event(world, world.own_ref), "action": "accept"},
    )
    assert response.status_code == 403
    assert client.get(f"/api/cases/{world.own_ref}", headers=headers).status_code == 200


def test_foreign_lawyer_sees_only_their_case(setup: tuple[Any, dict[str, Any]]) -> None:
    world, clients = setup
    client, _csrf = clients["viewer"]
    headers = fx.bearer(world.tokens["lawyer-b"])
    listed = client.get("/api/cases", headers=headers).json()
    assert [c["ref"] for c in listed["items"]] == [world.foreign_ref]
    assert listed["total"] == 1
    assert client.get(f"/api/cases/{world.own_ref}", headers=headers).status_code == 404
