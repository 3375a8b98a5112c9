"""Fixtures for the web tests (see fixtures.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "refuge_test_web_fixtures", Path(__file__).parent / "fixtures.py"
)
assert _spec is not None and _spec.loader is not None
fixtures = sys.modules.setdefault(_spec.name, importlib.util.module_from_spec(_spec))
if not hasattr(fixtures, "World"):
    _spec.loader.exec_module(fixtures)

world = fixtures.world
client = fixtures.client

_chromium_spec = importlib.util.spec_from_file_location(
    "refuge_test_web_chromium", Path(__file__).parent / "chromium.py"
)
assert _chromium_spec is not None and _chromium_spec.loader is not None
chromium = sys.modules.setdefault(
    _chromium_spec.name, importlib.util.module_from_spec(_chromium_spec)
)
if not hasattr(chromium, "check_page"):
    _chromium_spec.loader.exec_module(chromium)
