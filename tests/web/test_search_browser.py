"""In real headless Chromium: a lawyer types a name in Cyrillic in the search box of any page
and finds the person her team wrote in Latin, with the matching report text; the URL never
holds the name; Back and reload never ask to resubmit a form; another team's person with the
same name stays hidden."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from refuge.api.app import create_app
from refuge.auth.access import grant
from refuge.auth.users import ensure_team
from refuge.services.store import import_cases
from refuge.storage import repository as repo

fx = sys.modules["refuge_test_web_fixtures"]
cr = sys.modules["refuge_test_web_chromium"]
cr.require()

from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.slow

CASE = """case:
  id: {id}
  person: {{name: "{name}", aliases: [], citizenship: [TJ]}}
  host: RU
  origin: TJ
sources:
  - {{id: s1, outlet: Outlet, url: "https://example.org/{id}"}}
events:
  - id: detention
    type: detention
    date: 2024-03-02
    source: [{{id: s1, quote: "{quote}"}}]
"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """The app under uvicorn in a thread; team a holds "Farrukh Khasanov" (written in Latin
    only), team b another "Фаррух Хасанов"."""
    world = fx.build_world(tmp_path, with_cases=False)
    files = []
    for case_id, name, quote in (
        (
            "khasanov-2024",
            "Farrukh Khasanov",
            "detained at Vnukovo airport on an extradition request",
        ),
        ("other-team", "Фаррух Хасанов", "задержан в аэропорту"),
    ):
        path = tmp_path / f"{case_id}.yaml"
        path.write_text(CASE.format(id=case_id, name=name, quote=quote), encoding="utf-8")
        files.append(path)
    import_cases(world.store, files, actor="test")
    with world.store.write() as connection:
        for case_id, team in (("khasanov-2024", "a"), ("other-team", "b")):
            pk = repo.case_pk(connection, case_id)
            assert pk is not None
            grant(connection, pk, team_pk=ensure_team(connection, team))
    with cr.serving(create_app(fx.settings_for(world))) as base:
        yield base, world
    world.store.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    with cr.chromium(tmp_path / "profile") as driver:
        yield driver


def _no_resubmit_prompt(driver: Any) -> None:
    try:
        driver.switch_to.alert.text  # noqa: B018
    except NoAlertPresentException:
        return
    pytest.fail("the browser asked to resubmit a form")


def test_search_in_cyrillic_finds_the_person_written_in_latin(
    server: tuple[str, Any], browser: Any
) -> None:
    base, _world = server
    browser.get(base + "/login")
    browser.find_element(By.ID, "name").send_keys("lawyer-a")
    browser.find_element(By.ID, "password").send_keys(fx.PASSWORD)
    browser.find_element(By.ID, "signin").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "signout")))
    browser.get(base + "/law")  # the search box is on every page
    box = browser.find_element(By.CSS_SELECTOR, "#search-box input[name=q]")
    box.send_keys("Хасанов")
    box.submit()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "search-results")))
    rows = browser.find_elements(By.CSS_SELECTOR, "#search-results tbody tr")
    assert len(rows) == 1, [r.text for r in rows]  # team b's Фаррух Хасанов stays hidden
    assert "Farrukh Khasanov" in rows[0].text and "khasanov-2024" in rows[0].text
    assert "RU" in rows[0].text
    url = unquote(browser.current_url)
    assert "/search/" in url and "Хасанов" not in url and "Khasanov" not in url
    results_url = browser.current_url
    # Words of the report text, in the page's own box: the snippet marks them.
    again = browser.find_element(By.ID, "search-q")
    again.clear()
    again.send_keys("Vnukovo extradition")
    again.submit()
    WebDriverWait(browser, 20).until(lambda d: d.current_url != results_url)
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "#search-results mark")]
    assert marks == ["Vnukovo", "extradition"]
    browser.back()  # back to the first results: a GET, no form to resubmit
    WebDriverWait(browser, 20).until(lambda d: d.current_url == results_url)
    _no_resubmit_prompt(browser)
    assert "Farrukh Khasanov" in browser.find_element(By.ID, "search-results").text
    browser.refresh()
    _no_resubmit_prompt(browser)
    assert "Farrukh Khasanov" in browser.find_element(By.ID, "search-results").text
    browser.find_element(By.LINK_TEXT, "khasanov-2024").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "timeline")))
