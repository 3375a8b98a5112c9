"""The case page as served: the summary first, in words, with links to the events it names;
only http(s) addresses become links, and they leak no referrer."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fastapi.testclient import TestClient

fx = sys.modules["refuge_test_web_fixtures"]


def _summary(page: str) -> str:
    return page[page.index('<section id="summary"') : page.index("</section>")]


def test_the_summary_comes_first_and_speaks_in_words(client: TestClient, world: object) -> None:
    fx.sign_in(client, "viewer-a")
    page = client.get(f"/cases/{world.own_ref}").text  # type: ignore[attr-defined]
    assert page.index('id="summary"') < page.index('id="timeline"') < page.index('id="events"')
    summary = _summary(page)
    visible = re.sub(r"<[^>]+>", " ", summary)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", visible), "an internal id in the summary"
    assert "10 Jan 2023" in visible  # the request's day (the fixture's), not the clock's
    targets = set(re.findall(r'href="#(event-\d+)"', summary))
    assert targets and all(f'id="{t}"' in page for t in targets)
    assert re.search(r"the removal of [^<]+ \(event \d+\)", summary)
    for word in ("certain", "possible", "unknown", "verified law", "unverified law"):
        assert word in page[page.index('id="legend"') :]


def test_only_web_addresses_are_links(client: TestClient, world: object, tmp_path: Path) -> None:
    from refuge.auth.access import grant
    from refuge.services.store import import_cases
    from refuge.storage import repository as repo

    text = fx.example_case().read_text(encoding="utf-8").replace("id: zhilin-2022", "id: js-2022")
    text = text.replace("url: https://meduza.io/", "url: javascript:alert(1)//meduza.io/", 1)
    path = tmp_path / "js.yaml"
    path.write_text(text, encoding="utf-8")
    store = world.store  # type: ignore[attr-defined]
    import_cases(store, [path], actor="test")
    with store.write() as connection:
        ref = repo.case_pk(connection, "js-2022")
        team = connection.exec_driver_sql("SELECT pk FROM teams WHERE name = 'a'").scalar()
        grant(connection, ref, team_pk=team)
    fx.sign_in(client, "viewer-a")
    page = client.get(f"/cases/{ref}").text
    hrefs = re.findall(r'<a href="([^"#/][^"]*)"([^>]*)>', page)
    assert hrefs
    for href, rest in hrefs:
        assert href.startswith(("http://", "https://")), href
        assert 'rel="noopener noreferrer"' in rest, href
    assert "javascript:alert(1)//meduza.io/" in page  # shown, as text
    assert 'href="https://www.themoscowtimes.com/' in page
