"""The server-rendered pages: sign in and out, alerts, cases, a case, the review queue, adding
a report, the law. Each route parses the request, calls one function of ``api.service`` (the
same functions the REST API calls) and renders a template.

Jinja2 autoescaping is on for every template (asserted by a test). Nothing from a report or a
case is ever marked safe: reports are shown as extracted text, never as their HTML.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.templating import Jinja2Templates

from refuge.api import service
from refuge.api.deps import FormUser, SettingsDep, StoreDep, WebUser
from refuge.api.routes.cases import download
from refuge.api.settings import WebSettings
from refuge.auth import devices, sessions, throttle
from refuge.auth.access import audit_event
from refuge.auth.users import check_password, settle
from refuge.errors import InputError
from refuge.services import filing, review
from refuge.web import case_view
from refuge.web.jobs import QueueDep, submit

_HERE = resources.files("refuge.web")
ENV = Environment(
    loader=FileSystemLoader(str(_HERE / "templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES = Jinja2Templates(env=ENV)
STATIC = StaticFiles(directory=str(_HERE / "static"))
router = APIRouter(include_in_schema=False)
DASHBOARD_PEOPLE = 100  # the most urgent; GET /api/today returns them all


def render(request: Request, name: str, code: int = 200, **context: Any) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, context, status_code=code)


def error_page(request: Request, status: int, message: str) -> Response:
    return render(request, "error.html", status, status=status, message=message, user=None)


# -- signing in and out ----------------------------------------------------------------------
@router.get("/login")
def login_form(request: Request) -> HTMLResponse:
    return render(request, "login.html", user=None, failed=False, wait=0)


@router.post("/login")
def login(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    code: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Sign in. A failure says the same thing whatever went wrong (no user enumeration)."""
    now = settings.clock()
    old = request.cookies.get(settings.cookie_name)
    client = request.client.host if request.client else "-"
    with store.read() as connection:
        device = devices.recognise(connection, request.cookies.get(devices.COOKIE, ""), name, now)
        attempt = check_password(connection, name, password)
    rules = throttle.keys(name, client, device)
    with service.write(store) as connection:
        outcome = settle(
            connection, attempt, password, now, rules=rules, code=code, mfa_roles=settings.mfa_roles
        )
        if old:
            sessions.end(connection, old)  # a new session on every sign-in: no fixation
        if outcome.user_pk is None:
            audit_event(connection, "-", "login", "user", None, "sign-in failed")
        else:
            token = sessions.create(connection, outcome.user_pk, now)
            known = device or devices.remember(connection, outcome.user_pk, now)
            audit_event(connection, name, "login", "user", outcome.user_pk, "signed in")
    if outcome.user_pk is None:
        return render(request, "login.html", 401, user=None, failed=True, wait=outcome.wait)
    response = RedirectResponse("/", status_code=303)
    _strict_cookie(response, settings, settings.cookie_name, token, settings.absolute_hours * 3600)
    if device is None:
        age = devices.MAX_AGE_DAYS * 86400
        _strict_cookie(response, settings, devices.COOKIE, known, age, path="/login")
    return response


def _strict_cookie(
    response: Response, settings: WebSettings, name: str, value: str, max_age: int, path: str = "/"
) -> None:
    """A cookie script cannot read, sent only to this site (and only over HTTPS when served so)."""
    response.set_cookie(
        name, value, max_age=max_age, path=path, secure=settings.https, httponly=True,
        samesite="strict",
    )  # fmt: skip


@router.post("/logout")
def logout(request: Request, user: FormUser, store: StoreDep, settings: SettingsDep) -> Response:
    token = request.cookies.get(settings.cookie_name, "")
    with service.write(store) as connection:
        sessions.end(connection, token)
        audit_event(connection, user.principal.name, "logout", "user", user.principal.pk, "out")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(settings.cookie_name, path="/", secure=settings.https, httponly=True)
    return response


# -- reading ---------------------------------------------------------------------------------
@router.get("/")
def dashboard(
    request: Request, user: WebUser, store: StoreDep, settings: SettingsDep
) -> HTMLResponse:
    """Today: the people to help first, one row each, most urgent first."""
    rows = service.today(store, user.principal, settings.today())
    shown = rows[:DASHBOARD_PEOPLE]
    return render(
        request, "today.html", user=user, rows=shown, total=len(rows), at=settings.today()
    )


@router.get("/cases")
def cases(
    request: Request,
    user: WebUser,
    store: StoreDep,
    settings: SettingsDep,
    host: Annotated[str, Query(pattern="^([A-Za-z]{2})?$")] = "",
    origin: Annotated[str, Query(pattern="^([A-Za-z]{2})?$")] = "",
    state: Annotated[str, Query(pattern="^(|draft|reviewed)$")] = "",
    risk: Annotated[str, Query(pattern="^(|removal|deadline|action|unknown)$")] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """The case list; filters that name nobody may sit in the URL."""
    filters = service.Filters("", host, origin, state, risk, page)
    found = service.list_cases(store, user.principal, filters, settings.today())
    return render(request, "cases.html", user=user, found=found, filters=filters)


@router.post("/cases")
def search_cases(
    request: Request,
    user: FormUser,
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Form(max_length=100)] = "",
    host: Annotated[str, Form(pattern="^([A-Za-z]{2})?$")] = "",
    origin: Annotated[str, Form(pattern="^([A-Za-z]{2})?$")] = "",
    state: Annotated[str, Form(pattern="^(|draft|reviewed)$")] = "",
    risk: Annotated[str, Form(pattern="^(|removal|deadline|action|unknown)$")] = "",
    page: Annotated[int, Form(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """Searching by name is a POST, so names never reach URLs, history or access logs."""
    filters = service.Filters(q, host, origin, state, risk, page)
    found = service.list_cases(store, user.principal, filters, settings.today())
    return render(request, "cases.html", user=user, found=found, filters=filters)


@router.get("/cases/{ref}")
def case_page(
    request: Request, ref: int, user: WebUser, store: StoreDep, settings: SettingsDep
) -> HTMLResponse:
    at = settings.today()
    view = service.show_case(store, user.principal, ref, at)
    shown = case_view.context(view, at)
    return render(request, "case.html", user=user, ref=ref, view=view, at=at, **shown)


@router.get("/cases/{ref}/dossier")
def dossier(
    ref: int,
    user: WebUser,
    store: StoreDep,
    settings: SettingsDep,
    fmt: Annotated[str, Query(alias="format", pattern="^(pdf|html|docx)$")] = "pdf",
) -> Response:
    """The "Download dossier" button: the same document as ``/api/cases/{ref}/dossier``."""
    case = service.case_for_filing(store, user.principal, ref, "dossier")
    made = filing.gather_dossier(case, settings.today(), settings.today())
    return download(filing.render_dossier(made, fmt), fmt, f"case-{ref}-dossier")


@router.post("/cases/{ref}/requests")
def request_sent(
    ref: int,
    user: FormUser,
    store: StoreDep,
    to: Annotated[str, Form(pattern="^(cat|hrc|echr)$")],
    sent: Annotated[date, Form()],
) -> Response:
    """The lawyer confirms a request for interim measures was sent."""
    service.record_request_sent(store, user.principal, ref, to, sent)
    return RedirectResponse(f"/cases/{ref}", status_code=303)


@router.get("/law")
def law(request: Request, user: WebUser) -> HTMLResponse:
    return render(request, "law.html", user=user, packs=service.law())


# -- reviewing -------------------------------------------------------------------------------
@router.get("/review")
def review_page(request: Request, user: WebUser, store: StoreDep) -> HTMLResponse:
    drafts, proposals = review.review_queue(store, user.principal)
    people = review.people_queue(store, user.principal)
    return render(
        request, "review.html", user=user, drafts=drafts, proposals=proposals, people=people
    )


@router.post("/review/person")
def review_person(
    user: FormUser,
    store: StoreDep,
    ref: Annotated[int, Form(ge=1, le=2**31 - 1)],
    action: Annotated[str, Form(pattern="^(accept|reject)$")],
) -> Response:
    review.review_person(store, user.principal, ref, action)
    return RedirectResponse("/review", status_code=303)


@router.post("/review/event")
def review_event(
    user: FormUser,
    store: StoreDep,
    ref: Annotated[int, Form(ge=1, le=2**31 - 1)],
    event: Annotated[str, Form(max_length=128)],
    action: Annotated[str, Form(pattern="^(accept|reject|edit)$")],
    earliest: Annotated[date | None, Form()] = None,
    latest: Annotated[date | None, Form()] = None,
    date_text: Annotated[str | None, Form(max_length=200)] = None,
) -> Response:
    edit = review.Edit(earliest, latest, date_text)
    review.review_event(store, user.principal, ref, event, action, edit)
    return RedirectResponse("/review", status_code=303)


@router.post("/review/proposal")
def review_proposal(
    user: FormUser,
    store: StoreDep,
    pk: Annotated[int, Form(ge=1, le=2**31 - 1)],
    action: Annotated[str, Form(pattern="^(accept|reject)$")],
) -> Response:
    ref = review.review_proposal(store, user.principal, pk, action)
    return RedirectResponse(f"/cases/{ref}", status_code=303)


# -- adding a report -------------------------------------------------------------------------
@router.get("/reports/new")
def new_report(request: Request, user: WebUser) -> HTMLResponse:
    return render(request, "report.html", user=user)


@router.post("/reports")
async def add_report(
    request: Request,
    user: FormUser,
    store: StoreDep,
    queue: QueueDep,
    text: Annotated[str, Form(max_length=2_000_000)] = "",
    host: Annotated[str, Form(pattern="^([A-Z]{2})?$")] = "",
    upload: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Store the uploaded file (or the pasted text), defer its reading and go to its progress
    page (web/jobs.py)."""
    name, data = "pasted.txt", text.encode()
    if upload is not None and upload.filename:
        data = await upload.read(service.MAX_REPORT_BYTES + 1)
        name = upload.filename[:200]
    if not data.strip():
        raise InputError("choose a file or paste the report's text")
    pk = await submit(store, queue, user.principal, data, name, host or None)
    return RedirectResponse(f"/reports/{pk}", status_code=303)


# Editing cases and administering users live in their own modules (web/editing.py, web/admin.py).
from refuge.web.admin import router as _admin  # noqa: E402
from refuge.web.editing import router as _editing  # noqa: E402

router.include_router(_editing)
router.include_router(_admin)
