"""In real headless Chromium: a lawyer edits an event (with the confirmation, and a refused
date shown next to its field); the review queue shows each draft's quote in its report's
context, a monitor sees no decision buttons and a lawyer's decisions ask to confirm; a user
changes their password and their other session ends."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from refuge.auth.access import grant
from refuge.auth.users import ensure_team
from refuge.services import teams
from refuge.services.store import import_cases, load_cases
from refuge.storage import repository as repo

_spec = importlib.util.spec_from_file_location(
    "refuge_test_browser", Path(__file__).parent / "test_browser.py"
)
assert _spec is not None and _spec.loader is not None
_browser = sys.modules.get(_spec.name) or importlib.util.module_from_spec(_spec)
if _spec.name not in sys.modules:
    sys.modules[_spec.name] = _browser
    _spec.loader.exec_module(_browser)

server = _browser.server  # the same uvicorn server and Chromium as test_browser.py
browser = _browser.browser
_sign_in = _browser._sign_in
By, ec, WebDriverWait = _browser.By, _browser.ec, _browser.WebDriverWait
fx = sys.modules["refuge_test_web_fixtures"]
pytestmark = pytest.mark.slow

REPORT = """Kazakhstan Deports Russian Deserter

January 10, 2023

Kazakhstan has deported Ivan Petrov, a Russian citizen who fled mobilization, media reported
Tuesday. Petrov on Sept. 28 requested political asylum in Kazakhstan after being detained by
border guards. His application was refused in November. An appeals court upheld his
deportation on Monday, and migration police handed him to Russia, his lawyer said."""


def _own_case(world: Any) -> int:
    import_cases(world.store, [fx.example_case()], actor="test")
    with world.store.write() as connection:
        ref = repo.case_pk(connection, "zhilin-2022")
        assert ref is not None
        grant(connection, ref, team_pk=ensure_team(connection, "a"))
    return ref


def _confirm(driver: Any, accept: bool = True) -> str:
    alert = WebDriverWait(driver, 10).until(ec.alert_is_present())
    text = str(alert.text)
    alert.accept() if accept else alert.dismiss()
    return text


def _field(driver: Any, ident: str, value: str) -> None:
    element = driver.find_element(By.ID, ident)
    element.clear()
    element.send_keys(value)


def test_a_lawyer_edits_an_event(server: tuple[str, Any], browser: Any) -> None:
    base, world = server
    ref = _own_case(world)
    [before] = load_cases(world.store, "zhilin-2022")
    target = before.events[0]
    _sign_in(browser, base, "lawyer-a")
    browser.get(f"{base}/cases/{ref}")
    browser.find_element(By.ID, "edit-case").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "edit-events")))
    browser.find_element(By.CSS_SELECTOR, f"#edit-{target.id} a.edit-event").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "event-form")))

    _field(browser, "f-earliest", "2022-11-31")  # no such day: refused, shown at the date
    browser.find_element(By.ID, "save-event").click()
    assert "Save this event" in _confirm(browser)
    error = WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "error-date")))
    assert "2022-11-31" in error.text
    assert load_cases(world.store, "zhilin-2022")[0] == before  # nothing changed

    _field(browser, "f-earliest", "2022-11-01")
    _field(browser, "f-latest", "2022-11-30")
    _field(browser, "f-text", "in November")
    browser.find_element(By.ID, "save-event").click()
    _confirm(browser)
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "timeline")))
    [after] = load_cases(world.store, "zhilin-2022")
    edited = after.event(target.id)
    assert (str(edited.date), edited.date.text, edited.review) == (
        "2022-11-01..2022-11-30",
        "in November",
        "verified",
    )
    assert "in November" in browser.find_element(By.ID, "events").text


def test_review_shows_quotes_in_context_and_only_allowed_decisions(
    server: tuple[str, Any], browser: Any, tmp_path: Path
) -> None:
    base, world = server
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    summary = teams.ingest_for_team(world.store, [path], "a", "test")
    assert summary.created

    _sign_in(browser, base, "monitor-a")
    browser.get(base + "/review")
    drafts = browser.find_elements(By.CSS_SELECTOR, "#queue li.draft")
    assert drafts
    quotes = browser.find_elements(By.CSS_SELECTOR, "#queue blockquote.in-context mark")
    assert quotes and all(q.text and q.text in " ".join(REPORT.split()) for q in quotes)
    context = browser.find_element(By.CSS_SELECTOR, "#queue blockquote.in-context .context")
    assert context.text.strip("…").strip()  # text around the quote, from the stored report
    assert browser.find_elements(By.CSS_SELECTOR, "#queue button") == []
    assert browser.find_element(By.ID, "read-only").is_displayed()
    browser.find_element(By.ID, "signout").click()

    _sign_in(browser, base, "lawyer-a")
    browser.get(base + "/review")
    count = len(browser.find_elements(By.CSS_SELECTOR, "#queue li.draft"))
    browser.find_element(By.CSS_SELECTOR, "#queue button.accept").click()
    assert _confirm(browser, accept=False).startswith("Accept the ")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#queue li.draft")) == count  # kept
    browser.find_element(By.CSS_SELECTOR, "#queue button.accept").click()
    _confirm(browser)
    WebDriverWait(browser, 20).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#queue li.draft")) == count - 1
    )


def test_a_password_change_ends_the_other_sessions(server: tuple[str, Any], browser: Any) -> None:
    base, _world = server
    new = "quiet harbour lanterns drifting north"
    with httpx.Client(base_url=base) as other:
        signed = other.post("/login", data={"name": "viewer-a", "password": fx.PASSWORD})
        assert signed.status_code == 303
        assert other.get("/").status_code == 200
        _sign_in(browser, base, "viewer-a")
        browser.get(base + "/account/password")
        _field(browser, "old", fx.PASSWORD)
        _field(browser, "new", "password")  # too short: the browser's own check stops it
        _field(browser, "again", "password")
        browser.find_element(By.ID, "change-password").click()
        assert browser.find_elements(By.ID, "message") == []
        _field(browser, "new", new)
        _field(browser, "again", new)
        browser.find_element(By.ID, "change-password").click()
        message = WebDriverWait(browser, 20).until(
            ec.presence_of_element_located((By.ID, "message"))
        )
        assert "1 other session" in message.text
        assert other.get("/").status_code == 303  # signed out
    browser.get(base + "/")
    assert browser.find_elements(By.ID, "signout")  # this session stays
    browser.find_element(By.ID, "signout").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "signin")))
    browser.find_element(By.ID, "name").send_keys("viewer-a")
    browser.find_element(By.ID, "password").send_keys(new)
    browser.find_element(By.ID, "signin").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "signout")))
