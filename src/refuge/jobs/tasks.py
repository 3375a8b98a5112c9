"""The job functions: plain functions over a store, run by a worker (PostgreSQL) or in-process
(SQLite). Each returns a small JSON result (counts, case ids) and raises to fail: a
``PermanentJobError`` parks the job at once (retrying cannot help), anything else is retried.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any, Protocol

from refuge.errors import RefugeError
from refuge.services import store as store_service
from refuge.storage import Store

ACTOR = "refuge-worker"


class PermanentJobError(RefugeError):
    """The job's input is bad (an unreadable report, a feed that was removed): no retry."""

    exit_code = 4


class Deferrer(Protocol):
    """What a job needs to start other jobs (polling a feed defers one job per article)."""

    def defer(self, task: str, **kwargs: Any) -> int: ...


def encode(data: bytes) -> str:
    """Bytes as a job argument (job arguments are JSON)."""
    return base64.b64encode(data).decode("ascii")


def ingest_report(
    store: Store,
    queue: Deferrer,
    *,
    content: str,
    name: str,
    host: str | None = None,
    team: str | None = None,
    analyzer: str = store_service.DEFAULT_ANALYZER,
) -> dict[str, Any]:
    """Read one report and store its cases, as ``refuge ingest`` does (same SHA-256
    idempotence: a report stored by an earlier, killed attempt is skipped). New cases are
    shared with ``team``."""
    data = base64.b64decode(content)
    summary = store_service.ingest_bytes(
        store, data, name, actor=ACTOR, analyzer=analyzer, host=host
    )
    if summary.failed:
        raise PermanentJobError(f"the report could not be read: {summary.failed[0][1]}")
    if team and summary.created:
        _share(store, team, summary.created)
    return summary.to_json()


def _share(store: Store, team: str, case_ids: list[str]) -> None:
    from refuge.auth.access import grant
    from refuge.auth.users import ensure_team
    from refuge.storage import repository as repo

    with store.write() as connection:
        team_pk = ensure_team(connection, team)
        for case_id in case_ids:
            pk = repo.case_pk(connection, case_id)
            if pk is not None:
                grant(connection, pk, team_pk=team_pk)


def poll_feed(
    store: Store, queue: Deferrer, *, feed: int, analyzer: str | None = None
) -> dict[str, Any]:
    """Poll one feed now; every new article becomes an ``ingest_report`` job."""
    from refuge.services import feeds
    from refuge.storage import StoreError

    try:
        return feeds.poll_feed(store, feed, queue, analyzer=analyzer).to_json()
    except StoreError as error:  # the feed was removed: nothing to retry
        raise PermanentJobError(str(error)) from None


TaskFunction = Callable[..., dict[str, Any]]

#: task name -> job function
TASKS: dict[str, TaskFunction] = {
    "ingest_report": ingest_report,
    "poll_feed": poll_feed,
}
