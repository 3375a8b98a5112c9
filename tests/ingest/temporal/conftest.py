"""Fixtures: `te` is bench/tempeval.py (readers and scorer), loaded by path as it is no package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"


def load_tempeval() -> ModuleType:
    if "tempeval" in sys.modules:
        return sys.modules["tempeval"]
    spec = importlib.util.spec_from_file_location("tempeval", BENCH / "tempeval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["tempeval"] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def te() -> ModuleType:
    return load_tempeval()
