"""The job functions: plain functions over a store, run by a worker (PostgreSQL) or in-process
(SQLite). Each returns a small JSON result (counts, case ids) and raises to fail: a
``PermanentJobError`` parks the job at once (retrying cannot help), anything else is retried.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import Connection

from refuge.auth.access import audit_event, grant, visible
from refuge.auth.users import Principal
from refuge.errors import RefugeError
from refuge.jobs import inbox
from refuge.services import store as store_service
from refuge.storage import Store

ACTOR = "refuge-worker"


class PermanentJobError(RefugeError):
    """The job's input is bad (an unreadable report, a feed that was removed): no retry."""

    exit_code = 4


class Deferrer(Protocol):
    """What a job needs to start other jobs (polling a feed defers one job per article)."""

    def defer(self, task: str, **kwargs: Any) -> int: ...


def ingest_report(
    store: Store,
    queue: Deferrer,
    *,
    report: int,
    analyzer: str = store_service.DEFAULT_ANALYZER,
) -> dict[str, Any]:
    """Read inbox row ``report`` and store its cases, as ``refuge ingest`` does (same SHA-256
    idempotence: a report stored by an earlier, killed attempt is skipped). New cases are
    shared, in the report's own transaction, with the uploader's teams (an upload) or the
    feed's team; the inbox then drops the bytes and keeps the result."""
    waiting = inbox.get(store, report)
    if waiting is None:
        raise PermanentJobError(f"no report {report} is waiting to be read")
    if waiting.data is None:  # read by an earlier attempt (or discarded)
        return waiting.result or {}
    actor, among, share = ACTOR, None, _team_share(waiting.team)
    if waiting.user_pk is not None:
        uploader = _uploader(store, waiting.user_pk)
        actor, among, share = uploader.name, visible(uploader), _uploader_share(uploader)
    summary = store_service.ingest_bytes(
        store, waiting.data, waiting.name, actor=actor, analyzer=analyzer, host=waiting.host,
        among=among, on_created=share, language=waiting.language,
    )  # fmt: skip
    if summary.failed:
        raise PermanentJobError(f"the report could not be read: {summary.failed[0][1]}")
    result = summary.to_json()
    inbox.mark_read(store, report, result)
    return result


def _uploader(store: Store, user_pk: int) -> Principal:
    from refuge.auth.users import principal

    with store.read() as connection:
        found = principal(connection, user_pk)
    if found is None:
        raise PermanentJobError("the account that uploaded the report no longer exists")
    return found


def _uploader_share(uploader: Principal) -> Callable[[Connection, int], None]:
    """New cases belong to the uploader's teams (or to the uploader alone, without a team)."""

    def share(connection: Connection, case_pk: int) -> None:
        for team in uploader.teams:
            grant(connection, case_pk, team_pk=team)
        if not uploader.teams:
            grant(connection, case_pk, user_pk=uploader.pk)
        audit_event(connection, uploader.name, "grant", "case", case_pk, "shared with creator")

    return share


def _team_share(team: str | None) -> Callable[[Connection, int], None] | None:
    """New cases of a feed belong to the feed's team."""
    if not team:
        return None

    def share(connection: Connection, case_pk: int) -> None:
        from refuge.auth.users import ensure_team

        grant(connection, case_pk, team_pk=ensure_team(connection, team))

    return share


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
