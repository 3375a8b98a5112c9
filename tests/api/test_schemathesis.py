"""Property-based fuzzing of the REST API from its own OpenAPI document (security.md R13):
no generated input may cause a 5xx, and every response must match the documented schema and
status codes. Bounded: a few dozen examples per operation, derandomised, no network (ASGI)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from refuge.api.app import create_app

fx = sys.modules["refuge_test_web_fixtures"]
WORLD = fx.build_world(Path(tempfile.mkdtemp(prefix="refuge-schemathesis-")))
APP = create_app(fx.settings_for(WORLD))
HEADERS = fx.bearer(WORLD.tokens["lawyer-a"])
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP, headers=HEADERS)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_fails(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=HEADERS)
