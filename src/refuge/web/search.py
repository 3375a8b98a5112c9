"""The search pages: a search box on every page POSTs the query; the answer is a redirect to a
results page named by an opaque, short-lived id, so the query (a name) never sits in a URL, the
browser's history or an access log, and Back never asks to resubmit a form.

The ids live in this process's memory (``refuge serve`` runs one process), bound to the session
that searched (its CSRF token) and its user, for ``TTL`` seconds: an id alone, copied or
leaked, shows nothing to anyone else.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from refuge.api.deps import FormUser, PageUser, StoreDep, WebUser
from refuge.errors import InputError
from refuge.services import search as search_service
from refuge.web.pages import render

router = APIRouter(include_in_schema=False)
TTL = 15 * 60  # seconds
MOST = 10_000  # searches held at once (the oldest are dropped)


@dataclass(frozen=True, slots=True)
class _Held:
    csrf: str
    user_pk: int
    query: str
    expires: float


_held: dict[str, _Held] = {}
_lock = threading.Lock()


def hold(user: PageUser, query: str, now: float | None = None) -> str:
    """Keep ``query`` for ``user``'s session; return the id of its results page."""
    now = time.monotonic() if now is None else now
    key = secrets.token_urlsafe(12)
    with _lock:
        for old in [k for k, v in _held.items() if v.expires <= now]:
            del _held[old]
        while len(_held) >= MOST:
            del _held[next(iter(_held))]
        _held[key] = _Held(user.csrf, user.principal.pk, query, now + TTL)
    return key


def held(user: PageUser, key: str, now: float | None = None) -> str | None:
    """The query behind ``key`` if it is ``user``'s session's and has not expired."""
    now = time.monotonic() if now is None else now
    with _lock:
        found = _held.get(key)
    if found is None or found.expires <= now:
        return None
    if found.user_pk != user.principal.pk or not secrets.compare_digest(found.csrf, user.csrf):
        return None
    return found.query


@router.post("/search")
def search(
    user: FormUser, q: Annotated[str, Form(max_length=search_service.MAX_QUERY)] = ""
) -> Response:
    return RedirectResponse(f"/search/{hold(user, q)}", status_code=303)


@router.get("/search/{key}")
def results(
    request: Request,
    user: WebUser,
    store: StoreDep,
    key: Annotated[str, Path(max_length=32, pattern=r"^[A-Za-z0-9_-]+$")],
) -> HTMLResponse:
    """The results of a search this session made in the last ``TTL`` seconds."""
    query = held(user, key)
    if query is None:
        return render(request, "search.html", 404, user=user, query="", results=None,
                      problem="this search has expired: search again")  # fmt: skip
    try:
        found = search_service.search(store, user.principal, query)
    except InputError as error:
        return render(request, "search.html", 400, user=user, query=query, results=None,
                      problem=str(error))  # fmt: skip
    hits = [(h, pieces(h)) for h in found.hits]
    return render(request, "search.html", user=user, query=query, results=found, hits=hits)


def pieces(hit: search_service.Hit) -> list[tuple[str, bool]]:
    """The snippet cut into (text, is a matching word) for the template to mark up."""
    out: list[tuple[str, bool]] = []
    at = 0
    for start, end in hit.marks:
        out += [(hit.snippet[at:start], False), (hit.snippet[start:end], True)]
        at = end
    out.append((hit.snippet[at:], False))
    return [p for p in out if p[0]]
