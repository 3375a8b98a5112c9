"""The editing pages: a case's person, host and origin, its events (added, changed, deleted
with a form generated from the event vocabulary), and the "complete" statement.

Thin like the other pages: each route parses the form and calls ``services.editing``; a
refused edit is shown again with each problem next to its field (status 400, nothing saved).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from refuge.api import service
from refuge.api.deps import FormUser, SettingsDep, StoreDep, WebUser
from refuge.domain.vocabulary import CERTAINTIES, EVENT_TYPES
from refuge.services import editing
from refuge.services.acting import NotFound, require

router = APIRouter(include_in_schema=False)
EventId = Annotated[str, Query(max_length=128)]
_TYPES = "^(" + "|".join(EVENT_TYPES) + ")$"


def _render(request: Request, name: str, code: int = 200, **context: Any) -> HTMLResponse:
    from refuge.web.pages import render

    return render(request, name, code, **context)


def _case(store: Any, user: Any, ref: int, at: date) -> Any:
    require(user.principal, "lawyer")
    return service.show_case(store, user.principal, ref, at).case


# -- the person, host, origin and completeness -------------------------------------------------
@router.get("/cases/{ref}/edit")
def edit_case(
    request: Request, ref: int, user: WebUser, store: StoreDep, settings: SettingsDep
) -> HTMLResponse:
    case = _case(store, user, ref, settings.today())
    return _edit_page(request, user, ref, case, editing.person_input(case), {})


def _edit_page(
    request: Request,
    user: Any,
    ref: int,
    case: Any,
    person: editing.PersonInput,
    errors: dict[str, list[str]],
) -> HTMLResponse:
    code = 400 if errors else 200
    return _render(
        request, "case_edit.html", code, user=user, ref=ref, case=case, form=person, errors=errors
    )


@router.post("/cases/{ref}/person")
def save_person(
    request: Request,
    ref: int,
    user: FormUser,
    store: StoreDep,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=200)] = "",
    aliases: Annotated[str, Form(max_length=4000)] = "",
    citizenship: Annotated[str, Form(max_length=100)] = "",
    born: Annotated[str, Form(max_length=22)] = "",
    host: Annotated[str, Form(max_length=2)] = "",
    origin: Annotated[str, Form(max_length=2)] = "",
) -> Response:
    split = editing.split_list
    given = editing.PersonInput(name, split(aliases), split(citizenship), born, host, origin)
    try:
        editing.save_person(store, user.principal, ref, given)
    except editing.Invalid as exc:
        case = _case(store, user, ref, settings.today())
        return _edit_page(request, user, ref, case, given, exc.fields)
    return RedirectResponse(f"/cases/{ref}", status_code=303)


@router.post("/cases/{ref}/complete")
def save_complete(
    ref: int,
    user: FormUser,
    store: StoreDep,
    complete: Annotated[str, Form(pattern="^(yes|no)$")],
) -> Response:
    editing.set_complete(store, user.principal, ref, complete == "yes")
    return RedirectResponse(f"/cases/{ref}", status_code=303)


# -- events ----------------------------------------------------------------------------------
@router.get("/cases/{ref}/events/new")
def new_event(
    request: Request,
    ref: int,
    user: WebUser,
    store: StoreDep,
    settings: SettingsDep,
    type: Annotated[str, Query(pattern=_TYPES)] = "other",
) -> HTMLResponse:
    case = _case(store, user, ref, settings.today())
    given = editing.EventInput(type, "")
    return _event_page(request, user, ref, case, None, given, {})


@router.get("/cases/{ref}/events/{event}/edit")
def edit_event(
    request: Request,
    ref: int,
    event: str,
    user: WebUser,
    store: StoreDep,
    settings: SettingsDep,
    type: Annotated[str, Query(pattern="^(|" + _TYPES[2:])] = "",
) -> HTMLResponse:
    case = _case(store, user, ref, settings.today())
    found = next((e for e in case.events if e.id == event), None)
    if found is None:
        raise NotFound("no such event")
    given = editing.event_input(found)
    if type and type != given.type:  # another type: keep the date, drop its attributes
        given = editing.EventInput(type, given.earliest, given.latest, given.text)
    return _event_page(request, user, ref, case, event, given, {})


def _event_page(
    request: Request,
    user: Any,
    ref: int,
    case: Any,
    event_id: str | None,
    given: editing.EventInput,
    errors: dict[str, list[str]],
) -> HTMLResponse:
    return _render(
        request,
        "event_form.html",
        400 if errors else 200,
        user=user,
        ref=ref,
        case=case,
        event_id=event_id,
        form=given,
        spec=EVENT_TYPES[given.type],
        types=EVENT_TYPES,
        certainties=CERTAINTIES,
        errors=errors,
    )


@router.post("/cases/{ref}/events")
async def add_event(
    request: Request, ref: int, user: FormUser, store: StoreDep, settings: SettingsDep
) -> Response:
    return await _save(request, ref, None, user, store, settings.today())


@router.post("/cases/{ref}/events/{event}")
async def save_event(
    request: Request, ref: int, event: str, user: FormUser, store: StoreDep, settings: SettingsDep
) -> Response:
    return await _save(request, ref, event, user, store, settings.today())


async def _save(
    request: Request, ref: int, event_id: str | None, user: Any, store: Any, at: date
) -> Response:
    from starlette.concurrency import run_in_threadpool

    given = _read_event(await request.form())
    try:
        saved = await run_in_threadpool(
            editing.save_event, store, user.principal, ref, event_id, given
        )
    except editing.Invalid as exc:
        case = await run_in_threadpool(_case, store, user, ref, at)
        return _event_page(request, user, ref, case, event_id, given, exc.fields)
    return RedirectResponse(f"/cases/{ref}#event-{saved}", status_code=303)


def _read_event(form: Any) -> editing.EventInput:
    """The event form's fields; attributes are read by the vocabulary of the chosen type
    (``attr.NAME``; several checked boxes make a list), each bounded in length."""

    def one(key: str, limit: int = 200) -> str:
        value = form.get(key, "")
        return value[:limit] if isinstance(value, str) else ""

    kind = one("type", 32)
    spec = EVENT_TYPES.get(kind)
    attrs: dict[str, Any] = {}
    for name in spec.attrs if spec else ():
        values = [v[:500] for v in form.getlist(f"attr.{name}") if isinstance(v, str) and v]
        if values:
            attrs[name] = values if len(values) > 1 else values[0]
    return editing.EventInput(
        kind,
        one("earliest", 10),
        one("latest", 10),
        one("text"),
        attrs,
        one("certainty", 16),
        one("note", 2000),
    )


@router.post("/cases/{ref}/events/{event}/delete")
def delete_event(ref: int, event: str, user: FormUser, store: StoreDep) -> Response:
    editing.delete_event(store, user.principal, ref, event)
    return RedirectResponse(f"/cases/{ref}/edit", status_code=303)
