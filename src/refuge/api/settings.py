"""Settings of the web app (what ``refuge serve`` passes to ``create_app``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime


def _today() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class WebSettings:
    """``https`` decides the cookie: ``__Host-refuge`` (Secure) behind HTTPS, else the
    documented fallback ``refuge_session`` for plain-HTTP loopback use. Sessions end after
    ``idle_minutes`` without a request and ``absolute_hours`` after sign-in."""

    database_url: str | None = None
    https: bool = False
    idle_minutes: int = 30
    absolute_hours: int = 12
    max_body_bytes: int = 10 * 1024 * 1024
    # Roles that must enrol a second factor (TOTP) before they can sign in to the web app.
    mfa_roles: tuple[str, ...] = ("lawyer", "admin")
    # Per client address (api/ratelimit.py): requests a second and burst, and sign-in attempts.
    requests_per_second: float = 20.0
    request_burst: int = 60
    sign_ins_per_minute: float = 10.0
    sign_in_burst: int = 5
    # Bulk exports (api/exports.py): more than ``export_free`` exports in an hour need a
    # step-up (the password or a one-time code again) and, with ``export_approver``, a second
    # person's approval (``refuge user approve-exports``).
    export_free: int = 10
    export_approver: bool = False
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "testserver")
    clock: Callable[[], float] = field(default=time.time)
    today: Callable[[], date] = field(default=_today)

    @property
    def cookie_name(self) -> str:
        return "__Host-refuge" if self.https else "refuge_session"
