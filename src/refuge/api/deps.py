"""Request dependencies: the store, the settings and who is asking.

The API authenticates only by ``Authorization: Bearer <token>`` (never cookies, so no CSRF
exposure); pages authenticate only by the session cookie and check a session-bound CSRF token
on every form. Both resolve to a ``Principal`` whose role and scope the services check.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request

from refuge.api import service
from refuge.api.settings import WebSettings
from refuge.auth import sessions, tokens
from refuge.auth.users import Principal, principal
from refuge.storage import Store


class SignInRequired(Exception):
    """A page was asked for without a live session: the app redirects to the sign-in page."""


class BadCsrfToken(Exception):
    """A form came without the session's CSRF token."""


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[WebSettings, Depends(get_settings)]


def api_principal(request: Request, store: StoreDep, settings: SettingsDep) -> Principal:
    """The token's user, or 401 (the same for a missing, unknown, expired or revoked token)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    found = None
    if scheme.lower() == "bearer" and token:
        with store.read() as connection:
            hit = tokens.lookup(connection, token.strip(), settings.clock())
            found = principal(connection, hit[0], hit[1]) if hit else None
    if found is None:
        raise HTTPException(401, "a valid API token is needed", {"WWW-Authenticate": "Bearer"})
    return found


ApiUser = Annotated[Principal, Depends(api_principal)]


@dataclass(frozen=True, slots=True)
class PageUser:
    principal: Principal
    csrf: str


def page_user(request: Request, store: StoreDep, settings: SettingsDep) -> PageUser:
    """The session's user (idle and absolute expiry applied), or a redirect to sign in."""
    token = request.cookies.get(settings.cookie_name, "")
    if token:
        now = settings.clock()
        idle, absolute = settings.idle_minutes * 60, settings.absolute_hours * 3600
        with store.read() as connection:
            live, change = sessions.lookup(connection, token, now, idle, absolute)
            found = principal(connection, live.user_pk) if live else None
        if change is not None:
            with service.write(store) as connection:
                sessions.apply(connection, token, change, now)
        if live is not None and found is not None:
            return PageUser(found, live.csrf)
    raise SignInRequired


WebUser = Annotated[PageUser, Depends(page_user)]


def form_user(user: WebUser, csrf: Annotated[str, Form(max_length=100)] = "") -> PageUser:
    """``page_user`` plus the form's CSRF token, compared in constant time."""
    if not hmac.compare_digest(csrf.encode(), user.csrf.encode()):
        raise BadCsrfToken
    return user


FormUser = Annotated[PageUser, Depends(form_user)]
