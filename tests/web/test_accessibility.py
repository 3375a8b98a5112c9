"""Every page in real headless Chromium at 1280 px and on a 390 px phone: axe-core (vendored,
tests/web/vendor) finds no serious or critical violation, nothing scrolls sideways, a skip
link leads to the content, and the keyboard focus is visible."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from refuge.api.app import create_app

fx = sys.modules["refuge_test_web_fixtures"]
cr = sys.modules["refuge_test_web_chromium"]
cr.require()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """The app over the shared world (two teams, the founding case in team a)."""
    folder = tmp_path_factory.mktemp("a11y")
    world = fx.build_world(folder)
    with cr.serving(create_app(fx.settings_for(world))) as base:
        yield base, world
    world.store.close()


@pytest.fixture(params=cr.WIDTHS, ids=lambda w: f"{w}px")
def browser(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    with cr.chromium(tmp_path / "profile", width=request.param) as driver:
        yield driver


def _sign_in(driver: Any, base: str, name: str) -> None:
    driver.get(base + "/login")
    cr.check_page(driver)  # the sign-in page itself
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(fx.PASSWORD)
    driver.find_element(By.ID, "signin").click()
    WebDriverWait(driver, 20).until(ec.presence_of_element_located((By.ID, "signout")))


def test_every_page_passes_axe_and_fits_the_screen(site: tuple[str, Any], browser: Any) -> None:
    base, world = site
    _sign_in(browser, base, "lawyer-a")
    pages = ["/", "/cases", "/cases?risk=removal", f"/cases/{world.own_ref}", "/review"]
    pages += ["/reports/new", "/law", "/cases/999999"]
    for path in pages:
        browser.get(base + path)
        WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.TAG_NAME, "h1")))
        cr.check_page(browser)
    browser.get(f"{base}/cases/{world.own_ref}")
    for details in browser.find_elements(By.CSS_SELECTOR, "details"):
        browser.execute_script("arguments[0].open = true", details)
    cr.check_page(browser)  # with every explanation folded open


def test_the_pages_of_editing_search_accounts_and_jobs_pass_axe(
    site: tuple[str, Any], browser: Any
) -> None:
    base, world = site
    _sign_in(browser, base, "admin-a")
    pages = [f"/cases/{world.own_ref}/edit", f"/cases/{world.own_ref}/events/new"]
    pages += ["/admin/users", "/admin/jobs", "/account/password"]
    for path in pages:
        browser.get(base + path)
        WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.TAG_NAME, "h1")))
        cr.check_page(browser)
    box = browser.find_element(By.CSS_SELECTOR, "#search-box input[name=q]")
    box.send_keys("Жилин", Keys.ENTER)
    WebDriverWait(browser, 20).until(lambda driver: "/search/" in driver.current_url)
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.TAG_NAME, "h1")))
    cr.check_page(browser)  # the results page


def test_a_failed_sign_in_passes_axe(site: tuple[str, Any], browser: Any) -> None:
    base, _world = site
    browser.get(base + "/login")
    browser.find_element(By.ID, "name").send_keys("nobody")
    browser.find_element(By.ID, "password").send_keys("wrong password here")
    browser.find_element(By.ID, "signin").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "login-failed")))
    cr.check_page(browser)


def test_the_skip_link_and_a_visible_focus(site: tuple[str, Any], browser: Any) -> None:
    base, world = site
    _sign_in(browser, base, "viewer-a")
    browser.get(f"{base}/cases/{world.own_ref}")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.get_attribute("class") == "skip" and skip.is_displayed()
    assert _outline(browser) >= 2  # the focused link shows a ring
    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    link = browser.find_element(By.CSS_SELECTOR, "#summary a")
    browser.execute_script("arguments[0].focus()", link)
    link.send_keys(Keys.SHIFT, Keys.TAB)
    link.send_keys(Keys.TAB)  # keyboard focus (focus-visible) back on the link
    assert _outline(browser) >= 2


def _outline(driver: Any) -> float:
    width = driver.execute_script(
        "const s = getComputedStyle(document.activeElement);"
        "return s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth);"
    )
    return float(width)
