"""Real headless Chromium for the end-to-end tests: the app under uvicorn on a free loopback
port, a browser at a given viewport (1280 px, or a 390 px phone with touch and the mobile
viewport rules), and the page checks every test can run: axe-core (vendored, see
vendor/README.md) reports no serious or critical violation, and nothing scrolls sideways.

Loaded by ``tests/web/conftest.py`` (like fixtures.py). Chromium is started offline-friendly
(no background networking, no component updates, no sync) with a throw-away profile. Without
Chromium the tests fail in CI and skip elsewhere.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
WIDTHS = (1280, 390)
FAILING_IMPACTS = ("serious", "critical")


def available() -> bool:
    return Path(CHROMIUM).exists() and Path(DRIVER).exists()


def require() -> None:
    """Skip (or, in CI, fail) the calling test module when Chromium is missing."""
    if available():
        return
    if os.environ.get("CI"):
        pytest.fail("chromium and chromium-driver are required in CI", pytrace=False)
    pytest.skip("chromium / chromium-driver not installed", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` under uvicorn in a thread; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium(profile: Path, width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A headless Chromium whose viewport is ``width`` CSS pixels wide (below 600: a phone,
    with the mobile viewport rules, touch and a 3x screen)."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=webdriver.ChromeService(DRIVER), options=options)
    driver.set_page_load_timeout(120)
    phone = width < 600
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 3 if phone else 1, "mobile": phone},
    )
    try:
        yield driver
    finally:
        driver.quit()


def axe_source() -> str:
    data = AXE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == AXE_SHA256, "vendored axe.min.js was changed"
    return data.decode("utf-8")


def axe_violations(driver: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations of the page (every rule axe runs by
    default: WCAG 2.0-2.2 A and AA and best practices; and WCAG 2.2's target size, which axe
    leaves off by default)."""
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(axe_source())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations'], rules: {'target-size': {enabled: true}}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));"
    )
    return [v for v in result if v["impact"] in FAILING_IMPACTS]


def sideways_overflow(driver: Any) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no horizontal scrolling)."""
    return int(
        driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


def check_page(driver: Any) -> None:
    """The checks every page must pass at every width."""
    assert sideways_overflow(driver) <= 0, (driver.current_url, sideways_overflow(driver))
    found = axe_violations(driver)
    assert not found, (driver.current_url, found)


def overlapping_text(driver: Any, selector: str) -> list[tuple[str, str]]:
    """Pairs of visible ``<text>`` elements under ``selector`` whose rendered boxes overlap,
    measured by the browser (the real glyphs, not the layout's estimate)."""
    pairs = driver.execute_script(
        """
        const boxes = [...document.querySelectorAll(arguments[0] + ' text')]
          .filter(t => t.getClientRects().length && t.getBoundingClientRect().width > 0)
          .map(t => [t.textContent, t.getBoundingClientRect()]);
        const out = [];
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i][1], b = boxes[j][1];
          if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5
              && b.top < a.bottom - 0.5) out.push([boxes[i][0], boxes[j][0]]);
        }
        return out;
        """,
        selector,
    )
    return [(str(a), str(b)) for a, b in pairs]


def smallest_text_px(driver: Any, selector: str) -> float:
    """The smallest rendered font size (CSS px, after the SVG's scaling) of the visible text
    under ``selector``."""
    return float(
        driver.execute_script(
            """
            const sizes = [...document.querySelectorAll(arguments[0] + ' text')]
              .filter(t => t.getClientRects().length && t.getBoundingClientRect().width > 0)
              .map(t => {
                const svg = t.ownerSVGElement;
                const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                return parseFloat(getComputedStyle(t).fontSize) * scale;
              });
            return sizes.length ? Math.min(...sizes) : 0;
            """,
            selector,
        )
    )
