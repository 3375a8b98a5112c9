"""Editing through the REST API and the pages (TestClient): events added, changed and
deleted, the person corrected, problems answered per field with nothing changed; user
administration and the password change."""

from __future__ import annotations

import re
import sys
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from refuge.api.app import create_app
from refuge.services.store import load_cases
from refuge.storage.tables import audit

fx = sys.modules["refuge_test_web_fixtures"]


def _call(client: TestClient, world: Any, user: str, method: str, path: str, **body: Any) -> Any:
    return client.request(method, path, headers=fx.bearer(world.tokens[user]), json=body or None)


def test_events_are_added_changed_and_deleted(client: TestClient, world: Any) -> None:
    base = f"/api/cases/{world.own_ref}/events"
    new = {
        "type": "detention",
        "earliest": "2022-12-01",
        "latest": "2022-12-03",
        "text": "early December",
        "attrs": {"grounds": "extradition", "place": "Almaty"},
    }
    made = _call(client, world, "lawyer-a", "POST", base, **new)
    assert made.status_code == 201, made.text
    event = made.json()["event"]
    [case] = load_cases(world.store, "zhilin-2022")
    stored = case.event(event)
    assert (stored.date.text, stored.get("grounds"), stored.review) == (
        "early December",
        "extradition",
        "verified",
    )

    changed = _call(
        client, world, "lawyer-a", "PATCH", f"{base}/{event}", type="release", earliest="2022-12-20"
    )
    assert changed.status_code == 200, changed.text
    [case] = load_cases(world.store, "zhilin-2022")
    assert case.event(event).type == "release" and not case.event(event).attrs

    assert _call(client, world, "lawyer-a", "DELETE", f"{base}/{event}").status_code == 200
    [case] = load_cases(world.store, "zhilin-2022")
    assert event not in {e.id for e in case.events}
    assert _call(client, world, "lawyer-a", "DELETE", f"{base}/{event}").status_code == 404
    with world.store.read() as connection:
        details = connection.execute(
            select(audit.c.detail).where(audit.c.actor == "lawyer-a", audit.c.action == "update")
        ).scalars()
        assert {"event added by hand", "event edited by hand", "event deleted by hand"} <= set(
            details
        )


def test_a_bad_edit_answers_409_per_field_and_changes_nothing(
    client: TestClient, world: Any
) -> None:
    [before] = load_cases(world.store, "zhilin-2022")
    first = before.events[0].id
    bad = {"type": before.events[0].type, "earliest": "2022-13-01", "attrs": {"nonsense": 1}}
    answer = _call(
        client, world, "lawyer-a", "PATCH", f"/api/cases/{world.own_ref}/events/{first}", **bad
    )
    assert answer.status_code == 409
    fields = answer.json()["fields"]
    assert "date" in fields and "unknown key" in " ".join(fields["nonsense"])
    person = {"name": "M. Zhilin", "host": "kz", "citizenship": ["ru"]}
    answer = _call(
        client, world, "lawyer-a", "PATCH", f"/api/cases/{world.own_ref}/person", **person
    )
    assert answer.status_code == 409
    assert {"host", "citizenship"} <= set(answer.json()["fields"])
    [after] = load_cases(world.store, "zhilin-2022")
    assert after == before


def test_roles_and_scopes_are_checked(client: TestClient, world: Any) -> None:
    path = f"/api/cases/{world.own_ref}/events"
    body = {"type": "other", "earliest": "2022", "attrs": {"label": "x"}}
    assert _call(client, world, "monitor-a", "POST", path, **body).status_code == 403
    read_only = fx.bearer(world.read_tokens["lawyer-a"])
    assert client.post(path, headers=read_only, json=body).status_code == 403
    assert _call(client, world, "lawyer-b", "POST", path, **body).status_code == 404
    vocabulary = _call(client, world, "viewer-a", "GET", "/api/vocabulary").json()
    assert vocabulary["removal"]["attrs"]["via"]["values"][0] == "deportation"


def test_the_person_and_completeness(client: TestClient, world: Any) -> None:
    ref = world.own_ref
    person = {
        "name": "Mikhail Zhilin",
        "aliases": ["Михаил Жилин"],
        "citizenship": ["RU"],
        "born": "1988",
        "host": "KZ",
        "origin": "RU",
    }
    assert _call(
        client, world, "lawyer-a", "PATCH", f"/api/cases/{ref}/person", **person
    ).is_success
    done = _call(client, world, "lawyer-a", "POST", f"/api/cases/{ref}/complete", complete=True)
    assert done.status_code == 200
    [case] = load_cases(world.store, "zhilin-2022")
    assert case.person.aliases == ("Михаил Жилин",) and case.person.born is not None
    assert case.complete


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found[1]


def test_the_event_form_shows_problems_next_to_the_field(client: TestClient, world: Any) -> None:
    fx.sign_in(client, "lawyer-a")
    page = client.get(f"/cases/{world.own_ref}/events/new?type=asylum_decision")
    assert page.status_code == 200
    for name in ("outcome", "by", "authority", "served"):  # generated from the vocabulary
        assert f'name="attr.{name}"' in page.text
    form = {
        "csrf": _csrf(page.text),
        "type": "asylum_decision",
        "earliest": "2022-11",
        "attr.outcome": "refused",
        "attr.served": "someday",
    }
    [before] = load_cases(world.store, "zhilin-2022")
    refused = client.post(f"/cases/{world.own_ref}/events", data=form)
    assert refused.status_code == 400
    assert re.search(r'id="error-served"[^>]*>[^<]*someday', refused.text)
    assert 'value="refused" selected' in refused.text  # what was typed is kept
    [after] = load_cases(world.store, "zhilin-2022")
    assert after == before
    form["attr.served"] = "2022-11-20"
    saved = client.post(f"/cases/{world.own_ref}/events", data=form, follow_redirects=False)
    assert saved.status_code == 303
    [after] = load_cases(world.store, "zhilin-2022")
    assert len(after.events) == len(before.events) + 1


def test_admins_manage_their_team_and_everyone_their_password(world: Any) -> None:
    app = create_app(fx.settings_for(world))
    with TestClient(app, base_url="http://127.0.0.1") as admin:
        fx.sign_in(admin, "admin-a")
        csrf = _csrf(admin.get("/admin/users").text)
        page = admin.get("/admin/users").text
        assert "viewer-a" in page and "lawyer-b" not in page  # another team's users are not shown
        add = {"csrf": csrf, "name": "newcomer", "role": "monitor", "team": "a"}
        add |= {"password": "correct horse battery staple refuge", "step_up": "wrong"}
        assert admin.post("/admin/users", data=add).status_code == 403  # step-up needed
        add["step_up"] = fx.PASSWORD
        assert admin.post("/admin/users", data=add, follow_redirects=False).status_code == 303
        other = {"csrf": csrf, "name": "lawyer-b", "role": "viewer", "step_up": fx.PASSWORD}
        assert admin.post("/admin/users/role", data=other).status_code == 404
        weak = {"csrf": csrf, "name": "newcomer", "password": "password1234567"}
        answer = admin.post("/admin/users/reset", data=weak | {"step_up": fx.PASSWORD})
        assert answer.status_code == 400 and "too weak" in answer.text
    with (
        TestClient(app, base_url="http://127.0.0.1") as one,
        TestClient(app, base_url="http://127.0.0.1") as two,
    ):
        fx.sign_in(one, "newcomer", "correct horse battery staple refuge")
        fx.sign_in(two, "newcomer", "correct horse battery staple refuge")
        csrf = _csrf(one.get("/account/password").text)
        change = {"csrf": csrf, "old": "correct horse battery staple refuge"}
        change |= {
            "new": "violet tractor singing under lamps",
            "again": "violet tractor singing under lamps",
        }
        answer = one.post("/account/password", data=change)
        assert answer.status_code == 200 and "1 other session" in answer.text
        assert one.get("/").status_code == 200  # this session stays
        assert two.get("/", follow_redirects=False).status_code == 303  # the other one ended
