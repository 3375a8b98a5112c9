"""Editing a case through the API: events added, changed and deleted, the person, host and
origin corrected, the file marked complete (lawyers; the services validate, audit and protect
each edit from later ingests). An edit the case-file rules refuse answers 409 with its
problems per field, and changes nothing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field, StrictBool

from refuge.api import schemas
from refuge.api.deps import ApiUser, StoreDep
from refuge.domain.vocabulary import EVENT_TYPES
from refuge.services import editing


class EditRefusedOut(BaseModel):
    detail: str
    fields: dict[str, list[str]]


_REFUSED = {"model": EditRefusedOut, "description": "Refused by the case-file rules"}
router = APIRouter(tags=["editing"], responses={**schemas.ERRORS, 409: _REFUSED})
Ref = Annotated[int, Path(ge=1, le=2**31 - 1)]
EventId = Annotated[str, Path(min_length=1, max_length=128)]
_Short = Annotated[str, Field(max_length=200)]


class EventIn(BaseModel):
    """An event: the date as YYYY-MM-DD, YYYY-MM or YYYY (``latest`` makes a range, ``text`` is
    the wording); ``attrs`` holds the attributes of the type's vocabulary
    (``GET /api/vocabulary``)."""

    model_config = schemas._In.model_config

    type: str = Field(min_length=1, max_length=32)
    earliest: str = Field(min_length=1, max_length=10)
    latest: str = Field(default="", max_length=10)
    text: _Short = ""
    attrs: dict[Annotated[str, Field(max_length=32)], Any] = Field(default={}, max_length=20)
    certainty: str = Field(default="", max_length=16)
    note: str = Field(default="", max_length=2000)


class EventOut(BaseModel):
    case_ref: int
    event: str


class PersonIn(BaseModel):
    model_config = schemas._In.model_config

    name: str = Field(min_length=1, max_length=200)
    aliases: list[_Short] = Field(default=[], max_length=50)
    citizenship: list[Annotated[str, Field(max_length=2)]] = Field(default=[], max_length=10)
    born: str = Field(default="", max_length=22)
    host: str = Field(min_length=2, max_length=2)
    origin: str = Field(default="", max_length=2)


class CompleteIn(BaseModel):
    model_config = schemas._In.model_config

    complete: StrictBool


def _event(body: EventIn) -> editing.EventInput:
    return editing.EventInput(
        body.type, body.earliest, body.latest, body.text, body.attrs, body.certainty, body.note
    )


@router.post("/cases/{ref}/events", response_model=EventOut, status_code=201)
def add_event(ref: Ref, body: EventIn, user: ApiUser, store: StoreDep) -> EventOut:
    """Add an event by hand (lawyers); it is verified and never overwritten by an ingest."""
    return EventOut(case_ref=ref, event=editing.save_event(store, user, ref, None, _event(body)))


@router.patch("/cases/{ref}/events/{event}", response_model=EventOut)
def edit_event(ref: Ref, event: EventId, body: EventIn, user: ApiUser, store: StoreDep) -> EventOut:
    """Change an event: type, date or range, attributes, certainty, note (lawyers)."""
    return EventOut(case_ref=ref, event=editing.save_event(store, user, ref, event, _event(body)))


@router.delete("/cases/{ref}/events/{event}", response_model=schemas.ReviewedOut)
def delete_event(ref: Ref, event: EventId, user: ApiUser, store: StoreDep) -> schemas.ReviewedOut:
    """Delete an event (lawyers; audited)."""
    editing.delete_event(store, user, ref, event)
    return schemas.ReviewedOut(case_ref=ref)


@router.patch("/cases/{ref}/person", response_model=schemas.ReviewedOut)
def edit_person(ref: Ref, body: PersonIn, user: ApiUser, store: StoreDep) -> schemas.ReviewedOut:
    """Correct the person (name, aliases, citizenship, birth), the host and the origin."""
    given = editing.PersonInput(
        body.name, body.aliases, body.citizenship, body.born, body.host, body.origin
    )
    editing.save_person(store, user, ref, given)
    return schemas.ReviewedOut(case_ref=ref)


@router.post("/cases/{ref}/complete", response_model=schemas.ReviewedOut)
def mark_complete(
    ref: Ref, body: CompleteIn, user: ApiUser, store: StoreDep
) -> schemas.ReviewedOut:
    """State that the file records every event (or withdraw it) (lawyers; audited)."""
    editing.set_complete(store, user, ref, body.complete)
    return schemas.ReviewedOut(case_ref=ref)


@router.get("/vocabulary", response_model=dict[str, dict[str, Any]])
def vocabulary(user: ApiUser) -> dict[str, dict[str, Any]]:
    """The event types and, for each attribute, its kind and allowed values."""
    return {
        name: {
            "meaning": kind.meaning,
            "attrs": {
                a: {"kind": spec.kind, "values": list(spec.values), "open": spec.open_enum}
                for a, spec in kind.attrs.items()
            },
        }
        for name, kind in EVENT_TYPES.items()
    }
