"""User administration for admins (add, disable, reset a password, change role and team) and
the password change page for everyone. Thin: each form calls one function of
``services.accounts``; a refusal is shown on the page again, nothing changed. Users are named
in form fields, never in URLs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from refuge.api.deps import FormUser, SettingsDep, StoreDep, WebUser
from refuge.auth.tables import ROLES
from refuge.errors import RefugeError
from refuge.services import accounts
from refuge.services.acting import NotFound, require

router = APIRouter(include_in_schema=False)
Name = Annotated[str, Form(max_length=64)]
Secret = Annotated[str, Form(max_length=256)]
Role = Annotated[str, Form(pattern="^(viewer|monitor|lawyer|admin)$")]


def _render(request: Request, name: str, code: int = 200, **context: Any) -> HTMLResponse:
    from refuge.web.pages import render

    return render(request, name, code, **context)


def _users_page(
    request: Request, user: Any, store: Any, message: str = "", code: int = 200
) -> HTMLResponse:
    found = accounts.accounts(store, user.principal)
    own = accounts.team_names(store, user.principal)
    return _render(
        request,
        "users.html",
        code,
        user=user,
        accounts=found,
        roles=ROLES,
        teams=own,
        message=message,
    )


@router.get("/admin/users")
def users_page(request: Request, user: WebUser, store: StoreDep) -> HTMLResponse:
    require(user.principal, "admin")
    return _users_page(request, user, store)


def _done(request: Request, user: Any, store: Any, change: Any) -> Response:
    """Apply ``change``; on a refusal show the page again with why (nothing changed)."""
    try:
        change()
    except NotFound:
        raise
    except RefugeError as exc:
        code = 403 if isinstance(exc, accounts.StepUpNeeded) else 400
        return _users_page(request, user, store, str(exc).splitlines()[0][:300], code)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users")
def add_user(
    request: Request,
    user: FormUser,
    store: StoreDep,
    name: Name,
    role: Role,
    team: Name,
    password: Secret,
    step_up: Secret = "",
) -> Response:
    require(user.principal, "admin")
    return _done(
        request,
        user,
        store,
        lambda: accounts.add_account(store, user.principal, name, role, password, team, step_up),
    )


@router.post("/admin/users/role")
def change_role(
    request: Request, user: FormUser, store: StoreDep, name: Name, role: Role, step_up: Secret = ""
) -> Response:
    require(user.principal, "admin")
    return _done(
        request, user, store, lambda: accounts.set_role(store, user.principal, name, role, step_up)
    )


@router.post("/admin/users/team")
def change_team(
    request: Request, user: FormUser, store: StoreDep, name: Name, team: Name
) -> Response:
    require(user.principal, "admin")
    return _done(request, user, store, lambda: accounts.set_team(store, user.principal, name, team))


@router.post("/admin/users/reset")
def reset(
    request: Request,
    user: FormUser,
    store: StoreDep,
    name: Name,
    password: Secret,
    step_up: Secret = "",
) -> Response:
    require(user.principal, "admin")
    return _done(
        request,
        user,
        store,
        lambda: accounts.reset_password(store, user.principal, name, password, step_up),
    )


@router.post("/admin/users/disable")
def disable(request: Request, user: FormUser, store: StoreDep, name: Name) -> Response:
    require(user.principal, "admin")
    return _done(
        request, user, store, lambda: accounts.disable_account(store, user.principal, name)
    )


# -- one's own password ----------------------------------------------------------------------
@router.get("/account/password")
def password_page(request: Request, user: WebUser) -> HTMLResponse:
    return _render(request, "password.html", user=user, message="", done=False)


@router.post("/account/password")
def change_password(
    request: Request,
    user: FormUser,
    store: StoreDep,
    settings: SettingsDep,
    old: Secret,
    new: Secret,
    again: Secret,
) -> Response:
    """Change one's own password; every other session of the account ends."""
    if new != again:
        message = "the two new passwords differ; nothing was changed"
        return _render(request, "password.html", 400, user=user, message=message, done=False)
    token = request.cookies.get(settings.cookie_name, "")
    try:
        ended = accounts.change_password(store, user.principal, old, new, token)
    except RefugeError as exc:
        message = str(exc).splitlines()[0][:300]
        return _render(request, "password.html", 400, user=user, message=message, done=False)
    message = f"Your password was changed; {ended} other session(s) were signed out."
    return _render(request, "password.html", user=user, message=message, done=True)
