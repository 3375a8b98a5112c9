"""End to end in real headless Chromium (Debian's chromium + chromium-driver, driven by
Selenium): sign in, upload the founding article, review its drafts with the keyboard, see the
findings, sign out; and an XSS corpus planted in a report and in case fields never runs.

Chromium is started offline-friendly (no background networking, no component updates, no
sync) with a throw-away profile. Without Chromium the tests fail in CI and skip elsewhere.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from refuge.api.app import create_app
from refuge.services.store import import_cases

fx = sys.modules["refuge_test_web_fixtures"]
cr = sys.modules["refuge_test_web_chromium"]
cr.require()
ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "zhilin-moscow-times-2022-12-30.txt"

from selenium.common.exceptions import (  # noqa: E402
    NoAlertPresentException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """``refuge serve``'s app under uvicorn in a thread, on a free loopback port."""
    world = fx.build_world(tmp_path, with_cases=False)
    with cr.serving(create_app(fx.settings_for(world))) as base:
        yield base, world
    world.store.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    with cr.chromium(tmp_path / "profile") as driver:
        yield driver


def _sign_in(driver: Any, base: str, name: str) -> None:
    driver.get(base + "/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(fx.PASSWORD)
    driver.find_element(By.ID, "signin").click()
    WebDriverWait(driver, 20).until(ec.presence_of_element_located((By.ID, "signout")))


def _article() -> Path:
    if SEED.exists():
        return SEED
    pytest.fail(f"the founding article is missing: {SEED}", pytrace=False)


def test_sign_in_upload_review_and_sign_out(server: tuple[str, Any], browser: Any) -> None:
    base, _world = server
    _sign_in(browser, base, "lawyer-a")
    browser.get(base + "/reports/new")
    browser.find_element(By.ID, "upload").send_keys(str(_article()))
    browser.find_element(By.ID, "analyse").click()
    # the progress page refreshes itself (no script needed) until the job has read the report
    state = WebDriverWait(browser, 30).until(
        ec.presence_of_element_located((By.ID, "upload-state"))
    )
    assert state.get_attribute("data-state") in ("waiting", "reading", "done")
    WebDriverWait(browser, 180).until(ec.presence_of_element_located((By.ID, "upload-cases")))
    browser.find_element(By.CSS_SELECTOR, "#upload-cases a").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "timeline")))
    assert "/cases/" in browser.current_url
    assert "Zhilin" in browser.find_element(By.ID, "person").text
    assert browser.find_elements(By.CSS_SELECTOR, "#events li.review-draft")
    case_url = browser.current_url

    browser.get(base + "/review")
    before = len(browser.find_elements(By.CSS_SELECTOR, "#queue li.draft"))
    assert before > 0
    browser.find_element(By.TAG_NAME, "body").send_keys("a")  # keyboard shortcut: accept
    confirm = WebDriverWait(browser, 10).until(ec.alert_is_present())  # every decision asks
    assert confirm.text.startswith("Accept the ")
    confirm.accept()
    WebDriverWait(browser, 20).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#queue li.draft")) == before - 1
    )

    browser.get(case_url)
    findings = browser.find_elements(By.CSS_SELECTOR, "#findings li.finding")
    assert findings, "the case page shows no finding"
    texts = [f.get_attribute("textContent") or "" for f in findings]  # folded in <details>
    assert any("Refugee" in t or "Torture" in t for t in texts)
    assert browser.find_elements(By.CSS_SELECTOR, "#timeline .mark-danger")  # the removal

    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert resources and all(r.startswith(base + "/") for r in resources), resources

    browser.find_element(By.ID, "signout").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "signin")))
    browser.get(base + "/cases")
    assert browser.current_url.endswith("/login")


XSS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "<svg onload=window.__xss=1><circle r=1 /></svg>",
    '"><script>window.__xss=1</script>',
    "javascript:window.__xss=1",
    '<iframe src="javascript:window.__xss=1"></iframe>',
    '<a href="javascript:window.__xss=1" id=xsslink>x</a>',
    "';window.__xss=1;//",
    "<details open ontoggle=window.__xss=1>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
]


def _hostile_case(folder: Path) -> Path:
    text = fx.example_case().read_text(encoding="utf-8")
    payload = " ".join(XSS).replace('"', "'")
    text = text.replace("id: zhilin-2022", "id: hostile-2022")
    text = text.replace("name: Mikhail Zhilin", f'name: "{payload}"')
    text = text.replace(
        "title: Kazakhstan Reportedly Returns Former Presidential Guard to Russia",
        f'title: "{payload}"',
    )
    text = text.replace(
        "url: https://www.themoscowtimes.com/", "url: javascript:window.__xss=1//", 1
    )
    path = folder / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _assert_clean(driver: Any) -> None:
    assert driver.execute_script("return window.__xss === undefined"), driver.current_url
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018


def test_xss_corpus_never_runs(server: tuple[str, Any], browser: Any, tmp_path: Path) -> None:
    base, world = server
    import_cases(world.store, [_hostile_case(tmp_path)], actor="test")
    with world.store.write() as connection:
        from refuge.auth.access import grant
        from refuge.auth.users import ensure_team
        from refuge.storage import repository as repo

        grant(
            connection,
            repo.case_pk(connection, "hostile-2022"),
            team_pk=ensure_team(connection, "a"),
        )
    _sign_in(browser, base, "lawyer-a")
    browser.get(base + "/reports/new")
    report = "Kazakhstan detained Ivan Petrov on 3 March 2023. " + " ".join(XSS)
    browser.find_element(By.ID, "text").send_keys(report)
    browser.find_element(By.ID, "analyse").click()
    WebDriverWait(browser, 180).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#upload-state[data-state='done']"))
    )
    _assert_clean(browser)
    browser.get(base + "/cases")
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#cases a")]
    assert links
    for url in [base + "/", base + "/review", *links]:
        browser.get(url)
        _assert_clean(browser)
    browser.get(base + "/cases")
    hostile = browser.find_element(By.LINK_TEXT, "hostile-2022").get_attribute("href")
    browser.get(hostile)
    _assert_clean(browser)
    assert "<script>window.__xss=1</script>" in browser.find_element(By.ID, "person").text
    assert browser.find_elements(By.ID, "xsslink") == []
    browser.execute_script("window.__xss = 1")  # the detector itself must see a hit
    with pytest.raises(AssertionError):
        _assert_clean(browser)


def test_the_first_page_is_today_one_row_per_person(
    server: tuple[str, Any], browser: Any, tmp_path: Path
) -> None:
    """The Zhilin case (handed over in December 2022) on the first page: his name, the host, what
    can still be done after the removal with the days left, and never "halt the removal"."""
    base, world = server
    import_cases(world.store, [fx.example_case()], actor="test")
    with world.store.write() as connection:
        from refuge.auth.access import grant
        from refuge.auth.users import ensure_team
        from refuge.storage import repository as repo

        grant(
            connection,
            repo.case_pk(connection, "zhilin-2022"),
            team_pk=ensure_team(connection, "a"),
        )
    _sign_in(browser, base, "lawyer-a")
    browser.get(base + "/")
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "today")))
    rows = browser.find_elements(By.CSS_SELECTOR, "#today tr.person")
    assert len(rows) == 1
    row = rows[0]
    assert "Mikhail Zhilin" in row.find_element(By.CSS_SELECTOR, ".who").text
    assert "host KZ" in row.text
    assert "removed" in (row.get_attribute("class") or "")
    assert "already removed" in row.find_element(By.CSS_SELECTOR, ".stake").text
    steps = row.find_elements(By.CSS_SELECTOR, ".steps li")
    text = " ".join(s.text for s in steps)
    assert "Committee against Torture" in text and "whereabouts" in text
    assert "interim measures" not in text.lower()
    assert all(s.find_element(By.CSS_SELECTOR, ".step-when").text != "now" for s in steps)
    browser.find_element(By.LINK_TEXT, "Mikhail Zhilin").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "timeline")))
    assert "/cases/" in browser.current_url
    _assert_clean(browser)


def test_download_dossier_and_record_a_sent_request(server: tuple[str, Any], browser: Any) -> None:
    """A lawyer's case page offers the dossier (a PDF the browser can fetch) and records a sent
    request, which then shows on the timeline."""
    from refuge.auth.access import grant
    from refuge.auth.users import ensure_team
    from refuge.storage import repository as repo

    base, world = server
    import_cases(world.store, [fx.example_case()], actor="test")
    with world.store.write() as connection:
        ref = repo.case_pk(connection, "zhilin-2022")
        assert ref is not None
        grant(connection, ref, team_pk=ensure_team(connection, "a"))
    _sign_in(browser, base, "lawyer-a")
    browser.get(f"{base}/cases/{ref}")
    link = browser.find_element(By.ID, "download-dossier")
    assert link.text == "Download dossier"
    status, kind = browser.execute_async_script(
        "fetch(arguments[0]).then(r => arguments[1]([r.status, r.headers.get('content-type')]))",
        link.get_attribute("href"),
    )
    assert (status, kind) == (200, "application/pdf")
    assert "interim measures request" not in browser.find_element(By.ID, "events").text
    # The date field starts at today (the app's clock); the body defaults to the CAT.
    browser.find_element(By.CSS_SELECTOR, "#request-sent button").click()
    # The page is replaced after the post: an element read mid-way may go stale; ask again.
    WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: "interim measures request" in d.find_element(By.ID, "events").text
    )
