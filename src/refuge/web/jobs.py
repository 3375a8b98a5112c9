"""Background jobs in the web app: an upload's progress (page and API) and the admins' page of
failed jobs (retry, dismiss).

The server's queue is opened on first use: procrastinate on PostgreSQL (``refuge worker``
processes read the uploads), a background thread on SQLite. ``start`` runs when the app is
built: on SQLite it defers again the uploads a killed server left unread.

The progress page refreshes itself (``<meta http-equiv="refresh">`` and the ``Refresh``
header) while the report is being read: no JavaScript is needed.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from refuge.api import schemas, service
from refuge.api.deps import ApiUser, FormUser, StoreDep, WebUser
from refuge.jobs import inbox, runs
from refuge.jobs.queue import Queue, open_queue
from refuge.services import uploads
from refuge.storage import Store

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["review"], responses=schemas.ERRORS)
REFRESH_SECONDS = 2
_lock = threading.Lock()
Upload = Annotated[int, Path(ge=1, le=2**31 - 1)]


def job_queue(app: FastAPI) -> Queue:
    """The app's queue, opened on first use."""
    with _lock:
        queue: Queue | None = getattr(app.state, "job_queue", None)
        if queue is None:
            store: Store = app.state.store
            queue = open_queue(store, app.state.settings.database_url, background=True)
            app.state.job_queue = queue
        return queue


def start(app: FastAPI) -> None:
    """Read the uploads a killed server left: on SQLite every unfinished one (their jobs died
    with it); on PostgreSQL those stored but never deferred (the queue keeps the others)."""
    store: Store = app.state.store
    in_process = store.dialect != "postgresql"
    if inbox.unread(store, in_process=in_process):
        inbox.resume(store, job_queue(app), in_process=in_process)


async def get_queue(request: Request) -> Queue:
    return job_queue(request.app)


QueueDep = Annotated[Queue, Depends(get_queue)]


async def submit(
    store: Store, queue: Queue, user: Any, data: bytes, name: str, host: str | None
) -> int:
    """Check the role, store the upload and defer its reading (off the event loop)."""
    service.require(user, "monitor")
    return await run_in_threadpool(uploads.submit, store, queue, user, data, name, host)


# -- an upload's progress ----------------------------------------------------------------------
@router.get("/reports/{upload}")
def upload_page(request: Request, user: WebUser, store: StoreDep, upload: Upload) -> Response:
    """Waiting, reading, done (links to the cases) or failed; refreshes itself until done."""
    from refuge.web.pages import render

    found = uploads.progress(store, user.principal, upload)
    if found is None:
        raise service.NotFound("no such upload")
    page = render(request, "upload.html", user=user, progress=found, refresh=REFRESH_SECONDS)
    if not found.finished:
        page.headers["Refresh"] = str(REFRESH_SECONDS)
    return page


@api_router.get("/uploads/{upload}", response_model=schemas.UploadProgressOut)
def upload_progress(user: ApiUser, store: StoreDep, upload: Upload) -> dict[str, Any]:
    """Where an upload stands: ``state`` waiting, reading, done or failed; when done, the
    cases it produced that you may see (their refs), ``message`` and ``warnings``."""
    found = uploads.progress(store, user, upload)
    if found is None:
        raise service.NotFound("no such upload")
    return found.to_json()


# -- the admins' page of jobs ----------------------------------------------------------------
@router.get("/admin/jobs")
def jobs_page(request: Request, user: WebUser, store: StoreDep) -> HTMLResponse:
    """Parked jobs first (with their error), then the latest jobs (admins only)."""
    from refuge.web.pages import render

    service.require(user.principal, "admin")
    failed = runs.list_runs(store, failed_only=True, limit=100)
    latest = runs.list_runs(store, limit=50)
    return render(request, "jobs.html", user=user, failed=failed, latest=latest)


@router.post("/admin/jobs/retry")
def retry_job(
    user: FormUser, store: StoreDep, queue: QueueDep, job: Annotated[int, Form(ge=1)]
) -> Response:
    """Run a parked job again from its first attempt."""
    service.require(user.principal, "admin")
    _parked(store, job)
    queue.retry(job)
    _audit(store, user.principal.name, job, "job retried")
    return RedirectResponse("/admin/jobs", status_code=303)


@router.post("/admin/jobs/dismiss")
def dismiss_job(user: FormUser, store: StoreDep, job: Annotated[int, Form(ge=1)]) -> Response:
    """Give up on a parked job: it leaves the list and its waiting report is dropped."""
    service.require(user.principal, "admin")
    _parked(store, job)
    runs.dismiss(store, job)
    pk = inbox.by_job(store, job)
    if pk is not None:
        inbox.discard(store, pk)
    _audit(store, user.principal.name, job, "job dismissed")
    return RedirectResponse("/admin/jobs", status_code=303)


def _parked(store: Store, job: int) -> None:
    found = runs.get(store, job)
    if found is None or found.status != "failed":
        raise service.NotFound("no such parked job")


def _audit(store: Store, actor: str, job: int, detail: str) -> None:
    from refuge.auth.access import audit_event

    with service.write(store) as connection:
        audit_event(connection, actor, "update", "job", job, detail)
