from __future__ import annotations

import sys

from fastapi.testclient import TestClient

fx = sys.modules["refuge_test_web_fixtures"]


def test_sign_in_and_read_pages(client: TestClient, world: object) -> None:
    sign_in = fx.sign_in
    sign_in(client, "lawyer-a")
    for path in ("/", "/cases", "/review", "/law", "/reports/new", f"/cases/{world.own_ref}"):  # type: ignore[attr-defined]
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:2000])
    assert "Mikhail Zhilin" in client.get(f"/cases/{world.own_ref}").text  # type: ignore[attr-defined]


def test_the_case_page_says_which_law_judged_the_case(
    client: TestClient, world: object, tmp_path: object
) -> None:
    """A case hosted by a state with no national pack says so plainly on its page."""
    from pathlib import Path

    from refuge.auth.access import grant
    from refuge.services.store import import_cases
    from refuge.storage import repository as repo

    folder = Path(str(tmp_path))
    text = fx.example_case().read_text(encoding="utf-8")
    turkish = folder / "turkish.yaml"
    turkish.write_text(
        text.replace("id: zhilin-2022", "id: turkish-2022").replace("host: KZ", "host: TR"),
        encoding="utf-8",
    )
    store = world.store  # type: ignore[attr-defined]
    import_cases(store, [turkish], actor="test")
    with store.write() as connection:
        ref = repo.case_pk(connection, "turkish-2022")
        team = connection.exec_driver_sql("SELECT pk FROM teams WHERE name = 'a'").scalar()
        grant(connection, ref, team_pk=team)
    fx.sign_in(client, "lawyer-a")
    page = client.get(f"/cases/{ref}").text
    assert "no national law of TR is encoded; international law only" in page
    own = client.get(f"/cases/{world.own_ref}").text  # type: ignore[attr-defined]
    assert "national law of KZ (kz, kz-policy) and international law" in own
