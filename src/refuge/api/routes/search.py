"""``POST /api/search``: people and report text across the visible cases.

A POST with a JSON body, so the query (usually a name) never sits in a URL, a proxy's access
log or the browser's history.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from refuge.api import schemas
from refuge.api.deps import ApiUser, StoreDep
from refuge.errors import InputError
from refuge.services import search as search_service

router = APIRouter(tags=["search"], responses=schemas.ERRORS)


class SearchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=search_service.MAX_QUERY)
    limit: int = Field(default=search_service.DEFAULT_LIMIT, ge=1, le=search_service.MAX_LIMIT)


class HitOut(BaseModel):
    ref: int  # the case's opaque reference (GET /api/cases/{ref})
    case: str
    name: str
    host: str
    in_name: bool
    snippet: str
    marks: list[list[int]]  # [start, end) of each matching word in the snippet


class SearchOut(BaseModel):
    total: int
    more: bool  # there may be more than ``total`` (counting stops at 200 in names, 200 in text)
    hits: list[HitOut]
    # Why nothing was searched (a query with no word of two letters, or too many words); the
    # request was well-formed, so it is answered, not refused.
    problem: str | None = None


@router.post("/search", response_model=SearchOut)
def search(body: SearchIn, user: ApiUser, store: StoreDep) -> SearchOut:
    """Cases whose names (in any script or spelling) or report text hold every word of
    ``query``, names first; each with a snippet of the matching text."""
    try:
        results = search_service.search(store, user, body.query, limit=body.limit)
    except InputError as error:
        return SearchOut(total=0, more=False, hits=[], problem=str(error))
    return SearchOut.model_validate(results.to_json())
