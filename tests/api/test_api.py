"""What the API does, as a client sees it: tokens expire, reviews change the case, proposals
merge or split, reports become cases of the uploader's team only, exports and sharing."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from refuge.api.app import create_app
from refuge.casefile import case_to_data
from refuge.services.store import load_cases
from refuge.storage.tables import audit, events, merges

fx = sys.modules["refuge_test_web_fixtures"]


def _get(client: TestClient, world: Any, user: str, path: str) -> Any:
    return client.get(path, headers=fx.bearer(world.tokens[user]))


def _post(client: TestClient, world: Any, user: str, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, headers=fx.bearer(world.tokens[user]), json=body)


def test_tokens_expire(world: Any) -> None:
    now = [1_000.0]
    app = create_app(fx.settings_for(world, clock=lambda: now[0]))
    with TestClient(app) as client:
        from refuge.auth import tokens

        with world.store.write() as connection:
            secret = tokens.create(connection, 1, "read", 1, now[0])
        assert client.get("/api/law", headers=fx.bearer(secret)).status_code == 200
        now[0] += 86_401
        assert client.get("/api/law", headers=fx.bearer(secret)).status_code == 401
        assert client.get("/api/law", headers=fx.bearer("rfg_forged")).status_code == 401


def test_case_list_filters_and_case_view(client: TestClient, world: Any) -> None:
    listed = _get(client, world, "viewer-a", "/api/cases?host=KZ&origin=RU").json()
    assert [c["id"] for c in listed["items"]] == ["zhilin-2022"]
    assert _get(client, world, "viewer-a", "/api/cases?host=US").json()["total"] == 0
    assert _get(client, world, "viewer-a", "/api/cases?q=zhilin").json()["total"] == 1
    assert _get(client, world, "viewer-a", "/api/cases?q=Canary").json()["total"] == 0
    view = _get(client, world, "viewer-a", f"/api/cases/{world.own_ref}").json()
    assert view["case"]["case"]["person"]["name"] == "Mikhail Zhilin"
    assert view["evaluation"]["findings"]


def test_review_edit_then_reject(client: TestClient, world: Any) -> None:
    ref = world.own_ref
    with world.store.read() as connection:
        first = connection.execute(
            select(events.c.id).where(events.c.case_pk == ref).order_by(events.c.position)
        ).first()[0]  # type: ignore[index]
    body = {"event": first, "action": "edit", "earliest": "2022-09-20", "latest": "2022-09-22"}
    assert _post(client, world, "lawyer-a", f"/api/cases/{ref}/review", body).status_code == 200
    with world.store.read() as connection:
        row = connection.execute(
            select(events).where(events.c.case_pk == ref, events.c.id == first)
        ).one()
    assert (str(row.date_earliest), str(row.date_latest), row.review) == (
        "2022-09-20",
        "2022-09-22",
        "verified",
    )
    bad = {"event": first, "action": "edit", "earliest": "2022-09-22", "latest": "2022-09-20"}
    assert _post(client, world, "lawyer-a", f"/api/cases/{ref}/review", bad).status_code == 400
    unknown = {"event": "no-such-event", "action": "accept"}
    assert _post(client, world, "lawyer-a", f"/api/cases/{ref}/review", unknown).status_code == 404
    extra = {"event": first, "action": "accept", "role": "admin"}
    assert _post(client, world, "lawyer-a", f"/api/cases/{ref}/review", extra).status_code == 422


def _proposal(world: Any) -> int:
    candidate = case_to_data(load_cases(world.store, "zhilin-2022")[0])
    candidate["case"]["id"] = "zhilin-second"
    with world.store.write() as connection:
        return int(
            connection.execute(
                insert(merges)
                .values(
                    case_pk=world.own_ref,
                    kind="proposal",
                    score=0.6,
                    reasons=["same name"],
                    candidate=candidate,
                    review="draft",
                    created_at=datetime.now(UTC),
                )
                .returning(merges.c.pk)
            ).scalar_one()
        )


def test_rejected_proposal_becomes_a_case_of_the_reviewer(client: TestClient, world: Any) -> None:
    pk = _proposal(world)
    queue = _get(client, world, "viewer-a", "/api/review").json()
    assert [p["pk"] for p in queue["proposals"]] == [pk]
    done = _post(client, world, "lawyer-a", f"/api/proposals/{pk}/review", {"action": "reject"})
    assert done.status_code == 200
    new_ref = done.json()["case_ref"]
    assert new_ref != world.own_ref
    assert _get(client, world, "viewer-a", f"/api/cases/{new_ref}").status_code == 200
    assert _get(client, world, "lawyer-b", f"/api/cases/{new_ref}").status_code == 404
    again = _post(client, world, "lawyer-a", f"/api/proposals/{pk}/review", {"action": "accept"})
    assert again.status_code == 404  # already decided
    assert _get(client, world, "viewer-a", "/api/review").json()["proposals"] == []


def test_export_and_share(client: TestClient, world: Any) -> None:
    csv = _get(client, world, "lawyer-a", f"/api/cases/{world.own_ref}/export?fmt=csv").json()
    assert csv["content"].startswith("case,person,host")
    assert _get(client, world, "lawyer-b", f"/api/cases/{world.own_ref}").status_code == 404
    shared = _post(client, world, "lawyer-a", f"/api/cases/{world.own_ref}/share", {"team": "b"})
    assert shared.status_code == 200
    assert _get(client, world, "lawyer-b", f"/api/cases/{world.own_ref}").status_code == 200
    nowhere = {"team": "nosuchteam"}
    missing = _post(client, world, "lawyer-a", f"/api/cases/{world.own_ref}/share", nowhere)
    # Team names are not probeable: a missing team is answered exactly like a real one.
    assert (missing.status_code, missing.content) == (shared.status_code, shared.content)
    with world.store.read() as connection:
        actions = connection.execute(select(audit.c.action)).scalars().all()
    assert "export" in actions and "grant" in actions


def test_users_list_for_admins(client: TestClient, world: Any) -> None:
    found = _get(client, world, "admin-a", "/api/users").json()
    assert {"name": "lawyer-a", "role": "lawyer", "teams": ["a"]} in found
    # A team admin sees the users of their own teams only.
    assert sorted(u["name"] for u in found) == sorted(
        ["viewer-a", "monitor-a", "lawyer-a", "admin-a"]
    )
    assert all("password" not in str(u) for u in found)


def test_person_review_leaves_the_queue(client: TestClient, world: Any) -> None:
    queue = _get(client, world, "viewer-a", "/api/review").json()
    assert [p["name"] for p in queue["people"]] == ["Mikhail Zhilin"]
    path = f"/api/cases/{world.own_ref}/person"
    assert _post(client, world, "viewer-a", path, {"action": "accept"}).status_code == 403
    assert _post(client, world, "lawyer-a", path, {"action": "accept"}).status_code == 200
    assert _get(client, world, "viewer-a", "/api/review").json()["people"] == []


def test_a_report_never_merges_into_another_teams_case(client: TestClient, world: Any) -> None:
    """Team B uploads a report on the person of team A's case: it becomes team B's own case;
    team A's case is untouched and nothing of it is revealed."""
    seed = fx.example_case().parents[3] / "examples" / "zhilin-moscow-times-2022-12-30.txt"
    before = next(c for c in load_cases(world.store) if c.id == "zhilin-2022")
    response = _post(
        client,
        world,
        "lawyer-b",
        "/api/reports",
        {"text": seed.read_text(encoding="utf-8"), "name": "mt.txt"},
    )
    done = fx.uploaded(client, world.tokens["lawyer-b"], response)
    assert done["state"] == "done", done
    refs = done["cases"]
    assert refs and world.own_ref not in refs
    after = next(c for c in load_cases(world.store) if c.id == "zhilin-2022")
    assert after == before
    with world.store.read() as connection:  # merging into team B's own case is fine
        targets = connection.execute(select(merges.c.case_pk)).scalars().all()
    assert world.own_ref not in targets
    for ref in refs:
        assert _get(client, world, "lawyer-b", f"/api/cases/{ref}").status_code == 200
        assert _get(client, world, "lawyer-a", f"/api/cases/{ref}").status_code == 404


def test_a_report_in_an_unread_language_says_so(client: TestClient, world: Any) -> None:
    """Kazakh is not read yet: the upload succeeds, drafts nothing and says why (API and page)."""
    kazakh = (
        "Ресей азаматы Михаил Жилин Қазақстанда ұсталды. Сот оны Ресейге экстрадициялау "
        "туралы шешім шығарды, бұл халықаралық құқыққа қайшы."
    )
    warning = "language kk is not read yet; no case drafted"
    response = _post(client, world, "lawyer-a", "/api/reports", {"text": kazakh, "name": "k.txt"})
    done = fx.uploaded(client, world.tokens["lawyer-a"], response)
    assert done["state"] == "done" and done["cases"] == []
    assert done["warnings"] == [warning]
    assert warning in done["message"]
    csrf = fx.sign_in(client, "monitor-a")
    page = client.post("/reports", data={"csrf": csrf, "text": kazakh + " Екінші."})
    page = fx.uploaded_page(client, page)
    assert warning in page.text


def test_a_scanned_pdf_upload_says_it_has_no_text(client: TestClient, world: Any) -> None:
    """The web upload reads PDFs; one without a text layer is stored and says why no case."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    scan = io.BytesIO()
    writer.write(scan)
    csrf = fx.sign_in(client, "monitor-a")
    page = client.post(
        "/reports",
        data={"csrf": csrf},
        files={"upload": ("scan.pdf", scan.getvalue(), "application/pdf")},
    )
    page = fx.uploaded_page(client, page)
    assert "no text layer" in page.text


def test_today_lists_people_of_the_readers_team_only(client: TestClient, world: Any) -> None:
    rows = _get(client, world, "viewer-a", "/api/today").json()
    assert [r["name"] for r in rows] == ["Mikhail Zhilin"]
    row = rows[0]
    assert row["case_ref"] == world.own_ref and row["removed"] is True
    rules = {s["rule"] for s in row["steps"]}
    assert "cat.act.whereabouts_and_guarantees" in rules
    assert "cat.act.request_interim_measures" not in rules
    assert all(s["when"] != "now" and s["todo"] != "now" for s in row["steps"])
    other = _get(client, world, "lawyer-b", "/api/today").json()
    assert [r["name"] for r in other] == [fx.CANARY]


def test_an_import_proposal_needs_both_cases_visible(
    client: TestClient, world: Any, tmp_path: Path
) -> None:
    """An imported case (no team) proposed for merging into team a's case cannot be merged by
    team a's lawyer until the imported case is shared with the team."""
    from refuge.auth.access import grant
    from refuge.auth.users import ensure_team
    from refuge.services.store import import_cases, list_merges
    from refuge.storage import repository as repo

    copy = tmp_path / "cyrillic.yaml"
    copy.write_text(
        fx.example_case().read_text(encoding="utf-8")
        .replace("id: zhilin-2022", "id: zhilin-imported")
        .replace("name: Mikhail Zhilin", "name: Михаил Жилин"),
        encoding="utf-8",
    )  # fmt: skip
    import_cases(world.store, [copy], actor="test")
    (proposal,) = list_merges(world.store, pending_only=True)
    path = f"/api/proposals/{proposal.pk}/review"
    assert _post(client, world, "lawyer-a", path, {"action": "accept"}).status_code == 404
    with world.store.write() as connection:
        pk = repo.case_pk(connection, "zhilin-imported")
        assert pk is not None
        grant(connection, pk, team_pk=ensure_team(connection, "a"))
    assert _post(client, world, "lawyer-a", path, {"action": "accept"}).status_code == 200
    with world.store.read() as connection:
        assert repo.case_pk(connection, "zhilin-imported") is None
