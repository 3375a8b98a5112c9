"""The composition root of the web app: one ASGI app serving the REST API under ``/api/`` and
the server-rendered pages, over the same services.

Cross-cutting protections live here, applied to every response: security headers and a strict
Content-Security-Policy, a request-body cap, cross-site request rejection by Fetch Metadata and
``Origin`` for cookie-authenticated pages, trusted hosts, and generic error bodies (no stack
trace, no personal data, nothing logged but the error's type).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from refuge.api.deps import BadCsrfToken, SignInRequired, api_principal
from refuge.api.exports import StepUpRequired
from refuge.api.ratelimit import RateLimiter
from refuge.api.routes import ROUTERS
from refuge.api.service import Forbidden, NotFound
from refuge.api.settings import WebSettings
from refuge.errors import RefugeError
from refuge.services.editing import Invalid
from refuge.services.filing import FilingRefused
from refuge.storage import open_store

log = logging.getLogger("refuge.web")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The app for ``settings`` (opens the store, which must exist and be up to date)."""
    from refuge.web import jobs
    from refuge.web.pages import STATIC
    from refuge.web.pages import router as pages_router
    from refuge.web.search import router as search_pages_router

    settings = settings or WebSettings()
    keep_uploads_in_memory(settings.max_body_bytes)
    app = FastAPI(
        title="refuge",
        version="0.1.0",
        openapi_url=None,  # served below, only to token holders (security.md §4.3)
        docs_url=None,
        redoc_url=None,
        debug=False,
    )
    app.state.settings = settings
    app.state.store = open_store(settings.database_url)
    for router in ROUTERS:
        app.include_router(router, prefix="/api")
    app.include_router(pages_router)
    app.include_router(jobs.router)
    app.include_router(jobs.api_router)
    app.include_router(search_pages_router)
    jobs.start(app)
    app.mount("/static", STATIC, name="static")
    _add_openapi(app)
    _add_handlers(app)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    app.add_middleware(Guard, settings=settings)  # outermost: its headers go on every answer
    return app


def keep_uploads_in_memory(max_body_bytes: int) -> None:
    """Nothing personal in a temporary file: Starlette's multipart parser spools an uploaded
    file to disk past 1 MiB, in clear. Requests are capped at ``max_body_bytes`` (Guard),
    so raising the spool threshold above the cap keeps every upload in memory."""
    from starlette.formparsers import MultiPartParser

    MultiPartParser.spool_max_size = max(MultiPartParser.spool_max_size, max_body_bytes + 1)


def _add_openapi(app: FastAPI) -> None:
    from fastapi import Depends

    @app.get("/api/openapi.json", include_in_schema=False, dependencies=[Depends(api_principal)])
    def openapi() -> dict[str, Any]:
        return app.openapi()


class Guard:
    """Pure ASGI middleware (Starlette's ``BaseHTTPMiddleware`` adds a task group and streams
    to every request): refuse oversized and cross-site requests before the app sees them,
    turn an escaped exception into a generic 500, and put the security headers on every
    response, errors included."""

    def __init__(self, app: ASGIApp, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings
        self.headers = [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]
        self.requests = RateLimiter(settings.requests_per_second, settings.request_burst)
        self.sign_ins = RateLimiter(settings.sign_ins_per_minute / 60, settings.sign_in_burst)
        if settings.https:
            self.headers.append((b"strict-transport-security", b"max-age=63072000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        extra = list(self.headers)
        overridden: set[bytes] = set()
        if not request.url.path.startswith("/static/"):
            extra.append((b"cache-control", b"no-store"))
            overridden.add(b"cache-control")
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                own = message.get("headers", [])
                names = {name.lower() for name, _ in own}
                kept = [h for h in own if h[0].lower() not in overridden]
                kept += [h for h in extra if h[0] in overridden or h[0] not in names]
                message = {**message, "headers": kept}
            await send(message)

        refusal = self._refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # the handlers missed it: still a generic, headed answer
            log.error("request failed: %s", type(exc).__name__)
            if not started:
                failed = _error(request, 500, "something went wrong; nothing was changed")
                await failed(scope, receive, send_with_headers)

    def _refusal(self, request: Request) -> Response | None:
        client = request.client.host if request.client else "-"
        wait = 0
        if not request.url.path.startswith("/static/"):
            wait = self.requests.wait(client)
        if not wait and request.method == "POST" and request.url.path == "/login":
            wait = self.sign_ins.wait(client)
        if wait:
            refused = _error(request, 429, "too many requests; slow down and try again")
            refused.headers["Retry-After"] = str(wait)
            return refused
        if _too_big(request, self.settings.max_body_bytes):
            return _error(request, 413, "the request is too large")
        if request.method in UNSAFE and not _same_origin(request):
            return _error(request, 403, "cross-site requests are refused")
        return None


def _too_big(request: Request, limit: int) -> bool:
    length = request.headers.get("content-length")
    if length is None:
        return request.method in UNSAFE and "chunked" in request.headers.get(
            "transfer-encoding", ""
        )
    return not length.isdigit() or int(length) > limit


def _same_origin(request: Request) -> bool:
    """Fetch Metadata first, ``Origin`` as the fallback (security.md R10). API requests carry a
    bearer token, never ambient credentials, so only pages are checked."""
    if request.url.path.startswith("/api/"):
        return True
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser (or a very old one): the form's CSRF token still applies
    host = request.headers.get("host", "")
    return origin in (f"http://{host}", f"https://{host}")


def _error(request: Request, status: int, message: str) -> Response:
    """A generic error: JSON for the API, a small page for people."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    from refuge.web.pages import error_page

    return error_page(request, status, message)


def _add_handlers(app: FastAPI) -> None:
    async def sign_in(request: Request, _exc: Exception) -> Response:
        return RedirectResponse("/login", status_code=303)

    async def csrf(request: Request, _exc: Exception) -> Response:
        return _error(request, 403, "the form has expired; reload the page and try again")

    async def not_found(request: Request, _exc: Exception) -> Response:
        return _error(request, 404, "not found")

    async def forbidden(request: Request, _exc: Exception) -> Response:
        return _error(request, 403, "your role does not allow this")

    async def step_up(request: Request, exc: Exception) -> Response:
        return _error(request, 403, str(exc))

    async def invalid_edit(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Invalid)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)[:1000], "fields": exc.fields}, 409)
        return _error(request, 400, str(exc)[:300])

    async def refused(request: Request, exc: Exception) -> Response:
        return _error(request, 400, str(exc).splitlines()[0][:300])

    async def not_bound(request: Request, exc: Exception) -> Response:
        return _error(request, 409, str(exc).splitlines()[0][:300])

    async def http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        response = _error(request, exc.status_code, _GENERIC.get(exc.status_code, "error"))
        response.headers.update(exc.headers or {})
        if exc.status_code == 405:  # every method of the path, not only one route's
            response.headers["Allow"] = _allowed(request)
        return response

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if request.url.path.startswith("/api/"):
            keep = ("loc", "msg", "type")  # never "input": it may be personal data
            errors = [{k: e.get(k) for k in keep} for e in exc.errors()]
            return JSONResponse({"detail": errors}, status_code=422)
        return _error(request, 400, "the form is not valid")

    async def crashed(request: Request, exc: Exception) -> Response:
        log.error("request failed: %s", type(exc).__name__)  # never the message: it may hold data
        return _error(request, 500, "something went wrong; nothing was changed")

    for kind, handler in (
        (SignInRequired, sign_in),
        (BadCsrfToken, csrf),
        (NotFound, not_found),
        (Forbidden, forbidden),
        (StepUpRequired, step_up),
        (FilingRefused, not_bound),
        (Invalid, invalid_edit),
        (RefugeError, refused),
        (StarletteHTTPException, http),
        (RequestValidationError, invalid),
        (Exception, crashed),
    ):
        app.add_exception_handler(kind, handler)


def _allowed(request: Request) -> str:
    """The methods of every route that matches the request's path (several routes may share a
    path, one method each: Starlette's answer names only the first)."""
    from starlette.routing import Match

    found: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE:
            found |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(found))


_GENERIC = {
    401: "sign-in needed",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    413: "the request is too large",
    429: "too many requests; slow down and try again",
}


def route_table(app: FastAPI) -> list[tuple[str, str]]:
    """Every ``(method, path)`` the app answers (static files aside): the inventory the
    authorisation matrix test must cover completely."""
    found: list[tuple[str, str]] = []

    def walk(routes: list[Any], prefix: str) -> None:
        for route in routes:
            original = getattr(route, "original_router", None)
            if original is not None:
                walk(original.routes, prefix + route.include_context.prefix)
            elif getattr(route, "methods", None):
                found.extend((m, prefix + route.path) for m in sorted(route.methods) if m != "HEAD")

    walk(app.router.routes, "")
    return sorted(set(found))
