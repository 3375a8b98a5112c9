"""``POST /api/search`` and the search pages: across scripts, need-to-know, the query never in a
URL, a log or the audit trail."""

from __future__ import annotations

import logging
import sys

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from refuge.storage.tables import audit

fx = sys.modules["refuge_test_web_fixtures"]


def _search(client: TestClient, user: str, query: str) -> list[str]:
    response = client.post(
        "/api/search", json={"query": query}, headers=fx.bearer(fx.world_tokens[user])
    )
    assert response.status_code == 200, response.text
    return [h["case"] for h in response.json()["hits"]]


@pytest.fixture(autouse=True)
def _tokens(world: object) -> None:
    fx.world_tokens = world.tokens  # type: ignore[attr-defined]


def test_api_search_finds_across_scripts_within_the_team(
    client: TestClient, caplog: pytest.LogCaptureFixture, world: object
) -> None:
    caplog.set_level(logging.DEBUG)
    assert _search(client, "lawyer-a", "Жилин") == ["zhilin-2022"]
    assert _search(client, "lawyer-a", "Zhilin") == ["zhilin-2022"]
    assert _search(client, "viewer-a", "Jilin") == ["zhilin-2022"]
    # Team b's copy quotes him too; team a's case is never shown to team b.
    assert _search(client, "lawyer-b", "Zhilin") == ["foreign-2022"]
    assert _search(client, "lawyer-b", "Canary Foreign") == ["foreign-2022"]
    assert _search(client, "lawyer-a", "Canary") == []
    assert "Жилин" not in caplog.text and "Canary" not in caplog.text
    with world.store.read() as connection:  # type: ignore[attr-defined]
        details = " ".join(connection.execute(select(audit.c.detail)).scalars())
    assert "search: 1 cases found" in details and "canary" not in details.lower()


def test_api_search_answers_the_snippet_and_refuses_bad_input(client: TestClient) -> None:
    headers = fx.bearer(fx.world_tokens["lawyer-a"])
    body = client.post("/api/search", json={"query": "political asylum"}, headers=headers).json()
    hit = body["hits"][0]
    assert hit["case"] == "zhilin-2022" and not hit["in_name"]
    assert [hit["snippet"][s:e].lower() for s, e in hit["marks"]] == ["political", "asylum"]
    assert client.get("/api/search", headers=headers).status_code == 405
    too_long = client.post("/api/search", json={"query": "x" * 300}, headers=headers)
    assert too_long.status_code == 422 and "xxxx" not in too_long.text
    numbers = client.post("/api/search", json={"query": "2022"}, headers=headers)
    assert numbers.status_code == 200 and numbers.json()["hits"] == []
    assert "at least two letters" in numbers.json()["problem"]
    assert client.post("/api/search", json={"query": "Zhilin"}).status_code == 401


def test_search_page_posts_then_redirects_to_an_opaque_id(client: TestClient) -> None:
    csrf = fx.sign_in(client, "lawyer-a")
    posted = client.post("/search", data={"q": "Жилин", "csrf": csrf}, follow_redirects=False)
    assert posted.status_code == 303
    where = posted.headers["location"]
    assert where.startswith("/search/") and "%" not in where and "Zhilin" not in where
    page = client.get(where)
    assert page.status_code == 200
    assert "Mikhail Zhilin" in page.text and "zhilin-2022" in page.text
    assert client.post("/search", data={"q": "Жилин"}).status_code == 403  # no CSRF token
    other = TestClient(client.app, base_url="http://127.0.0.1")
    fx.sign_in(other, "lawyer-b")
    stolen = other.get(where)  # another session cannot use the id
    assert stolen.status_code == 404 and "Mikhail Zhilin" not in stolen.text
    assert client.get("/search/unknown-id").status_code == 404
