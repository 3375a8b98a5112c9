"""The filing routes as a client sees them: the dossier and the request as attachments named
by reference only, refusals as 409 with the reason, a sent request recorded (and audited)."""

from __future__ import annotations

import io
import sys
from typing import Any

import docx
from fastapi.testclient import TestClient

from refuge.services.store import load_cases
from refuge.storage.audit import entries

fx = sys.modules["refuge_test_web_fixtures"]


def _get(client: TestClient, world: Any, path: str) -> Any:
    return client.get(path, headers=fx.bearer(world.tokens["lawyer-a"]))


def test_dossier_is_an_attachment_named_by_reference(client: TestClient, world: Any) -> None:
    response = _get(client, world, f"/api/cases/{world.own_ref}/dossier?format=docx&at=2022-12-27")
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="case-{world.own_ref}-dossier.docx"'
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "Mikhail Zhilin" in text and "late November" in text
    with world.store.read() as connection:
        assert entries(connection)[-1].detail == "dossier generated"


def test_request_refusal_is_409_with_the_reason(client: TestClient, world: Any) -> None:
    response = _get(client, world, f"/api/cases/{world.own_ref}/request?to=echr&at=2022-12-27")
    assert response.status_code == 409
    assert "Kazakhstan is not a party to the ECHR" in response.json()["detail"]


def test_request_sent_is_recorded(client: TestClient, world: Any) -> None:
    response = client.post(
        f"/api/cases/{world.own_ref}/requests",
        headers=fx.bearer(world.tokens["lawyer-a"]),
        json={"to": "cat", "sent": "2022-12-27"},
    )
    assert response.status_code == 201
    assert response.json() == {"case_ref": world.own_ref, "event": "im-request-cat-2022-12-27"}
    [case] = load_cases(world.store, "zhilin-2022")
    assert case.event("im-request-cat-2022-12-27").attrs["body"] == "CAT"


def test_bad_body_changes_nothing(client: TestClient, world: Any) -> None:
    response = client.post(
        f"/api/cases/{world.own_ref}/requests",
        headers=fx.bearer(world.tokens["lawyer-a"]),
        json={"to": "wgad", "sent": "2022-12-27"},
    )
    assert response.status_code == 422
    [case] = load_cases(world.store, "zhilin-2022")
    assert not any(e.type == "interim_measures_request" for e in case.events)


def test_dates_are_iso_days_only(client: TestClient, world: Any) -> None:
    """A number is not a date (pydantic would read it as a Unix time): refused, nothing added."""
    headers = fx.bearer(world.tokens["lawyer-a"])
    url = f"/api/cases/{world.own_ref}"
    assert (
        client.post(f"{url}/requests", headers=headers, json={"to": "cat", "sent": 0}).status_code
        == 422
    )
    assert client.get(f"{url}/dossier?at=0", headers=headers).status_code == 422
    assert client.get(f"{url}/dossier?at=2022-13-45", headers=headers).status_code == 422
