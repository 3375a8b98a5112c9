"""A lawyer's day, end to end in real headless Chromium, at 1280 px and on a 390 px phone:
a monitor's report is read in with ``refuge ingest --team a`` (the real command, in a
subprocess, on the server's store), the person is on the first page (Today), the lawyer opens
the case, reads its summary and timeline, verifies a draft in review, corrects an event in the
browser, searches in Cyrillic for the person written in Latin, and downloads the case. Every
page on the way passes axe-core (no serious or critical violation) and does not scroll sideways.

The day is a fixture (``day``: a ``LawyersDay`` signed in as ``lawyer-a`` on a fresh store,
once per width) with one method per step, called in order from ``test_a_lawyers_day``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

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
ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "examples" / "zhilin-moscow-times-2022-12-30.txt"
REFUGE = Path(sys.executable).with_name("refuge")


@dataclass
class LawyersDay:
    """One lawyer's session in the browser, on a store of their own."""

    base: str
    world: Any  # fixtures.World: the store, its URL, the users
    browser: Any
    width: int
    folder: Path
    case_url: str = ""

    # -- helpers -----------------------------------------------------------------------------
    def go(self, path: str, wait_for: str) -> None:
        self.browser.get(self.base + path)
        self.wait(wait_for)

    def wait(self, element_id: str, seconds: float = 30) -> None:
        WebDriverWait(self.browser, seconds).until(
            ec.presence_of_element_located((By.ID, element_id))
        )

    def check(self) -> None:
        """The page passes axe-core and does not scroll sideways at this width."""
        cr.check_page(self.browser)

    def sign_in(self, name: str = "lawyer-a") -> None:
        self.go("/login", "signin")
        self.check()
        self.browser.find_element(By.ID, "name").send_keys(name)
        self.browser.find_element(By.ID, "password").send_keys(fx.PASSWORD)
        self.browser.find_element(By.ID, "signin").click()
        self.wait("signout")

    # -- the steps of the day ----------------------------------------------------------------
    def ingest_for_team(self, report: Path, team: str = "a") -> None:
        """The monitor reads the report in from the command line, for the lawyer's team."""
        env = {**os.environ, "REFUGE_DATABASE_URL": self.world.url}
        done = subprocess.run(
            [str(REFUGE), "ingest", "--team", team, "--json", "--db", self.world.url, str(report)],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout), done.stdout

    def person_on_the_first_page(self, name: str) -> None:
        self.go("/", "today")
        self.check()
        rows = self.browser.find_elements(By.CSS_SELECTOR, "#today tr.person")
        assert any(name in r.find_element(By.CSS_SELECTOR, ".who").text for r in rows)
        self.browser.find_element(By.LINK_TEXT, name).click()
        self.wait("summary")
        self.case_url = self.browser.current_url
        assert "/cases/" in self.case_url

    def read_the_case(self, name: str) -> None:
        """The summary comes first and speaks in words; the timeline is legible."""
        browser = self.browser
        self.check()
        assert name in browser.find_element(By.ID, "person").text
        summary = browser.find_element(By.ID, "summary")
        assert summary.location["y"] < browser.find_element(By.ID, "timeline").location["y"]
        assert "removal" in browser.find_element(By.ID, "removal").text.lower()
        text = summary.text
        assert "_" not in text.replace("\u2014", ""), "an internal id in the summary"
        links = summary.find_elements(By.CSS_SELECTOR, ".rests a")
        for link in links[:3]:
            target = link.get_attribute("href").split("#", 1)[1]
            assert browser.find_elements(By.ID, target), target
        law = browser.find_elements(By.CSS_SELECTOR, "#summary details.why a[href^='http']")
        assert all(a.get_attribute("rel") == "noopener noreferrer" for a in law)
        drawing = "svg.timeline-narrow" if self.width < 760 else "svg.timeline-wide"
        assert browser.find_element(By.CSS_SELECTOR, drawing).is_displayed()
        assert cr.overlapping_text(browser, drawing) == []
        assert cr.smallest_text_px(browser, drawing) >= 11.5

    def verify_a_draft(self) -> None:
        """The report's drafts wait in review, each with its quote; the lawyer accepts one."""
        self.go("/review", "queue")
        self.check()
        drafts = self.browser.find_elements(By.CSS_SELECTOR, "#queue li.draft")
        assert drafts and self.browser.find_elements(By.CSS_SELECTOR, "#queue blockquote mark")
        self.browser.find_element(By.CSS_SELECTOR, "#queue button.accept").click()
        self.confirm()
        WebDriverWait(self.browser, 30).until(
            lambda d: len(d.find_elements(By.CSS_SELECTOR, "#queue li.draft")) == len(drafts) - 1
        )

    def edit_an_event(self, wording: str) -> None:
        """From the case page, the first event's date wording is corrected in the event form."""
        self.browser.get(self.case_url)
        self.wait("edit-case")
        self.browser.find_element(By.ID, "edit-case").click()
        self.wait("edit-events")
        self.check()
        self.browser.find_element(By.CSS_SELECTOR, "#edit-events a.edit-event").click()
        self.wait("event-form")
        self.check()
        field = self.browser.find_element(By.ID, "f-text")
        field.clear()
        field.send_keys(wording)
        self.browser.find_element(By.ID, "save-event").click()
        self.confirm()
        self.wait("timeline")
        assert wording in self.browser.find_element(By.ID, "events").text

    def search_in_cyrillic(self, query: str, expected: str) -> None:
        """A name typed in Cyrillic finds the person stored in Latin; the name is not in the URL."""
        box = self.browser.find_element(By.CSS_SELECTOR, "#search-box input[name=q]")
        box.send_keys(query, Keys.ENTER)
        self.wait("search-results")
        self.check()
        assert expected in self.browser.find_element(By.ID, "search-results").text
        assert query not in unquote(self.browser.current_url)

    def confirm(self) -> None:
        WebDriverWait(self.browser, 10).until(ec.alert_is_present()).accept()

    def download_the_case(self) -> None:
        """The dossier (PDF) and the case file come down with the session's cookie."""
        link = self.browser.find_element(By.ID, "download-dossier")
        status, kind = self.browser.execute_async_script(
            "const done = arguments[1];"
            "fetch(arguments[0]).then(r => done([r.status, r.headers.get('content-type')]))",
            link.get_attribute("href"),
        )
        assert (status, kind) == (200, "application/pdf")


@pytest.fixture(params=cr.WIDTHS, ids=lambda w: f"{w}px")
def day(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LawyersDay]:
    world = fx.build_world(tmp_path, with_cases=False)
    try:
        with (
            cr.serving(create_app(fx.settings_for(world))) as base,
            cr.chromium(tmp_path / "profile", width=request.param) as browser,
        ):
            found = LawyersDay(base, world, browser, request.param, tmp_path)
            found.sign_in()
            yield found
    finally:
        world.store.close()


def test_a_lawyers_day(day: LawyersDay) -> None:
    name = "Mikhail Zhilin"
    day.ingest_for_team(REPORT, team="a")
    day.person_on_the_first_page(name)
    day.read_the_case(name)
    day.verify_a_draft()
    day.edit_an_event("as the lawyer corrected it")
    day.search_in_cyrillic("Жилин", name)
    day.browser.get(day.case_url)
    day.wait("summary")
    day.download_the_case()
