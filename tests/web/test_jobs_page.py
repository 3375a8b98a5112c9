"""The admins' jobs page: parked jobs with their error, retry and dismiss (CSRF-checked forms),
over the in-process queue of a SQLite store (the role matrix is in tests/api/test_authz.py)."""

from __future__ import annotations

import sys
import time
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update

from refuge.jobs import inbox, runs
from refuge.storage.tables import inbox as inbox_table

fx: Any = sys.modules["refuge_test_web_fixtures"]
REPORT = """Kazakhstan Deports Russian Deserter

January 10, 2023

Kazakhstan has deported Ivan Petrov, a Russian citizen who fled mobilization, media reported
Tuesday. Petrov on Sept. 28 requested political asylum in Kazakhstan after being detained by
border guards. His application was refused in November."""


def _parked(world: Any, text: str) -> tuple[int, int]:
    """An upload whose job was parked (as after a transient failure on every attempt)."""
    pk = inbox.put(world.store, text.encode(), "r.txt", user_pk=None, team="a")
    job = runs.new_run(world.store, "ingest_report", args={"report": pk})
    runs.failed(world.store, job, "ingest_report", "OperationalError", parked=True, attempts=4)
    with world.store.write() as connection:
        connection.execute(update(inbox_table).where(inbox_table.c.pk == pk).values(job_id=job))
    return pk, job


def test_an_admin_sees_parked_jobs_and_retries_or_dismisses_them(
    client: TestClient, world: Any
) -> None:
    retried_upload, retried = _parked(world, REPORT)
    dismissed_upload, dismissed = _parked(world, REPORT + " Another.")
    csrf = fx.sign_in(client, "admin-a")
    page = client.get("/admin/jobs")
    assert page.status_code == 200
    assert f'id="job-{retried}"' in page.text and f'id="job-{dismissed}"' in page.text
    assert "OperationalError" in page.text

    refused = client.post("/admin/jobs/retry", data={"job": retried}, follow_redirects=False)
    assert refused.status_code == 403  # no CSRF token: nothing happens
    assert runs.get(world.store, retried).status == "failed"  # type: ignore[union-attr]

    done = client.post("/admin/jobs/retry", data={"csrf": csrf, "job": retried})
    assert done.status_code == 200 and str(done.url).endswith("/admin/jobs")
    deadline = time.monotonic() + 120
    while runs.get(world.store, retried).status != "succeeded":  # type: ignore[union-attr]
        assert time.monotonic() < deadline, runs.get(world.store, retried)
        time.sleep(0.1)
    read = inbox.get(world.store, retried_upload)
    assert read is not None and read.data is None and read.result and read.result["created"]

    client.post("/admin/jobs/dismiss", data={"csrf": csrf, "job": dismissed})
    gone = inbox.get(world.store, dismissed_upload)
    assert gone is not None and gone.data is None  # the waiting report is dropped
    assert [j.id for j in runs.list_runs(world.store, failed_only=True)] == []
    page = client.get("/admin/jobs")
    assert 'id="no-failed-jobs"' in page.text
    again = client.post("/admin/jobs/retry", data={"csrf": csrf, "job": dismissed})
    assert again.status_code == 404  # only a parked job can be retried


def test_the_jobs_page_is_for_admins_only(client: TestClient, world: Any) -> None:
    fx.sign_in(client, "lawyer-a")
    assert client.get("/admin/jobs").status_code == 403
    assert 'href="/admin/jobs"' not in client.get("/").text
