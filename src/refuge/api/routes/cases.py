"""Reading: alerts, the case list with filters, one case, its export, the law packs."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query
from fastapi.responses import Response

from refuge.api import schemas, service
from refuge.api.deps import ApiUser, SettingsDep, StoreDep
from refuge.services import filing

router = APIRouter(tags=["cases"], responses=schemas.ERRORS)
Ref = Annotated[int, Path(ge=1, le=2**31 - 1, description="the case's opaque reference")]
Country = Annotated[str, Query(pattern=r"^([A-Za-z]{2})?$")]


@router.get("/alerts", response_model=list[schemas.AlertOut])
def alerts(user: ApiUser, store: StoreDep, settings: SettingsDep) -> list[schemas.AlertOut]:
    """Alerts of the visible cases for the next 14 days, most urgent first."""
    return [
        schemas.AlertOut(case_ref=ref, **a.to_json())
        for ref, a in service.alerts(store, user, settings.today())
    ]


@router.get("/today", response_model=list[schemas.PersonTodayOut])
def today(user: ApiUser, store: StoreDep, settings: SettingsDep) -> list[schemas.PersonTodayOut]:
    """One row per person with something to do in the next 14 days, most urgent first: what is
    at stake, what to file and where, and the days left."""
    return [
        schemas.PersonTodayOut(**row.to_json())
        for row in service.today(store, user, settings.today())
    ]


@router.get("/cases", response_model=schemas.CaseListOut)
def list_cases(
    user: ApiUser,
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=100)] = "",
    host: Country = "",
    origin: Country = "",
    state: Literal["", "draft", "reviewed"] = "",
    risk: Literal["", "removal", "deadline", "action", "unknown"] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> schemas.CaseListOut:
    """One page (50) of the visible cases, filtered; ``q`` searches names and case ids."""
    filters = service.Filters(q, host, origin, state, risk, page)
    found = service.list_cases(store, user, filters, settings.today())
    return schemas.CaseListOut(
        items=[schemas.CaseSummaryOut.model_validate(c, from_attributes=True) for c in found.items],
        total=found.total,
        page=found.page,
        pages=found.pages,
    )


@router.get("/cases/{ref}", response_model=schemas.CaseOut)
def show_case(ref: Ref, user: ApiUser, store: StoreDep, settings: SettingsDep) -> schemas.CaseOut:
    """The case, its corroboration, and the law applied today (404 if not visible)."""
    view = service.show_case(store, user, ref, settings.today())
    return schemas.CaseOut(ref=ref, **view.to_json())


@router.get("/cases/{ref}/export", response_model=schemas.ExportOut)
def export_case(
    ref: Ref,
    user: ApiUser,
    store: StoreDep,
    settings: SettingsDep,
    fmt: Literal["yaml", "json", "csv"] = "json",
    step_up: Annotated[str, Header(alias="X-Refuge-Step-Up", max_length=256)] = "",
) -> schemas.ExportOut:
    """The case as a case file (YAML/JSON) or CSV rows; lawyers only, audited. Beyond the
    hourly allowance, the password or a one-time code in ``X-Refuge-Step-Up`` is needed."""
    content = service.export_case(store, user, ref, fmt, settings, step_up)
    return schemas.ExportOut(format=fmt, content=content)


MEDIA = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}
_FILE = {"content": {m: {} for m in MEDIA.values()}, "description": "The document"}


Day = Annotated[schemas.IsoDay | None, Query(description="YYYY-MM-DD; default: today")]


def download(data: bytes, fmt: str, name: str) -> Response:
    """A document as an attachment; the file name carries the case's reference, no name."""
    disposition = f'attachment; filename="{name}.{fmt}"'
    return Response(data, media_type=MEDIA[fmt], headers={"Content-Disposition": disposition})


@router.get("/cases/{ref}/dossier", response_class=Response, responses={200: _FILE})
def dossier(
    ref: Ref,
    user: ApiUser,
    store: StoreDep,
    settings: SettingsDep,
    fmt: Literal["pdf", "html", "docx"] = Query("pdf", alias="format"),
    at: Day = None,
) -> Response:
    """The case dossier on ``at`` (default today) as PDF, HTML or DOCX (lawyers; audited)."""
    case = service.case_for_filing(store, user, ref, "dossier")
    made = filing.gather_dossier(case, at or settings.today(), settings.today())
    return download(filing.render_dossier(made, fmt), fmt, f"case-{ref}-dossier")


@router.get(
    "/cases/{ref}/request",
    response_class=Response,
    responses={200: _FILE, 409: {**schemas.ERRORS[400], "description": "Refused: not bound"}},
)
def draft_request(
    ref: Ref,
    user: ApiUser,
    store: StoreDep,
    settings: SettingsDep,
    to: Literal["cat", "hrc", "echr"],
    fmt: Literal["docx", "pdf", "md", "html"] = Query("docx", alias="format"),
    lang: Literal["en", "ru"] = "en",
    at: Day = None,
) -> Response:
    """The draft request for interim measures to ``to`` (lawyers; audited); 409 with the
    reason when the host is not bound by the body's instruments on ``at``."""
    case = service.case_for_filing(store, user, ref, "request")
    made = filing.gather_request(case, to, at or settings.today(), settings.today())
    return download(filing.render_request(made, fmt, lang), fmt, f"case-{ref}-request-{to}")


@router.post("/cases/{ref}/requests", response_model=schemas.RequestSentOut, status_code=201)
def request_sent(
    ref: Ref, body: schemas.RequestSentIn, user: ApiUser, store: StoreDep
) -> schemas.RequestSentOut:
    """Record that a request for interim measures was sent (lawyers; audited): it becomes an
    ``interim_measures_request`` event, so deadlines and alerts move on."""
    event = service.record_request_sent(store, user, ref, body.to, body.sent)
    return schemas.RequestSentOut(case_ref=ref, event=event)


@router.get("/law", response_model=list[schemas.LawPackOut])
def law(user: ApiUser) -> list[schemas.LawPackOut]:
    """The law packs and their rules: citations, validity and verification status."""
    return [schemas.LawPackOut.model_validate(p, from_attributes=True) for p in service.law()]
