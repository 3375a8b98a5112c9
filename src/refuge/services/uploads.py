"""Reports uploaded through the web, read as background jobs.

The server never reads a report in its own process any more: ``submit`` stores the upload in
the inbox (encrypted on PostgreSQL) and defers an ``ingest_report`` job whose argument is the
inbox key; a ``refuge worker`` reads it (PostgreSQL) or the server's background thread does
(SQLite). ``progress`` is what the upload's page and ``GET /api/uploads/{id}`` show: waiting,
reading, done (the cases the uploader may see, with the same messages as before) or failed.

The report, its cases and the grants to the uploader's teams are still one transaction (in the
job), so a killed server or worker never leaves a case its team cannot see; a report whose job
died with the server is deferred again when the server starts (``jobs.inbox.resume``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from refuge.auth.access import visible_ids
from refuge.auth.users import Principal
from refuge.errors import InputError
from refuge.jobs import inbox, runs
from refuge.jobs.inbox import Deferrer
from refuge.limits import MAX_REPORT_BYTES
from refuge.services.store import ALREADY_HELD
from refuge.storage import Store

STATES = ("waiting", "reading", "done", "failed")


@dataclass(frozen=True, slots=True)
class Progress:
    """Where an upload stands (never its text or name)."""

    upload: int
    state: str  # one of STATES
    attempts: int = 0
    cases: list[int] = field(default_factory=list)  # refs of visible cases it produced
    proposed: int = 0
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def to_json(self) -> dict[str, Any]:
        return {
            "upload": self.upload, "state": self.state, "finished": self.finished,
            "attempts": self.attempts, "cases": self.cases, "proposed": self.proposed,
            "message": self.message, "warnings": self.warnings, "error": self.error,
        }  # fmt: skip


def submit(
    store: Store, queue: Deferrer, principal: Principal, data: bytes, name: str, host: str | None
) -> int:
    """Check and store an upload, defer its reading; returns the upload's number. The caller
    has checked the role (monitors and up)."""
    if not data.strip():
        raise InputError("the report is empty")
    if len(data) > MAX_REPORT_BYTES:
        raise InputError("the report is larger than 2 MB")
    return inbox.submit(store, queue, data, name[:200], host=host, user_pk=principal.pk)


def progress(store: Store, principal: Principal, upload: int) -> Progress | None:
    """The upload's progress, or None if it is not ``principal``'s own upload."""
    waiting = inbox.get(store, upload)
    if waiting is None or waiting.user_pk != principal.pk:
        return None
    if waiting.result is not None:
        return _done(store, principal, upload, waiting.result)
    job = runs.get(store, waiting.job_id) if waiting.job_id is not None else None
    if job is None or job.status == "queued":
        return Progress(upload, "waiting", job.attempts if job else 0, error=_error(job))
    if job.status == "doing":
        return Progress(upload, "reading", job.attempts)
    if job.status in ("failed", "dismissed"):
        return Progress(upload, "failed", job.attempts, error=job.error or "the job failed")
    return Progress(upload, "reading", job.attempts)  # succeeded, result being written


def _error(job: runs.JobRow | None) -> str | None:
    """A retried job's last error (it waits for its next attempt)."""
    return job.error if job is not None and job.error else None


def _done(store: Store, principal: Principal, upload: int, result: dict[str, Any]) -> Progress:
    if result.get("discarded"):
        return Progress(upload, "failed", error="an administrator discarded this report")
    with store.read() as connection:
        seen = visible_ids(connection, principal)
    ids = [*result.get("created", []), *result.get("merged", []), *result.get("proposed", [])]
    found = [seen[c] for c in ids if c in seen]
    warnings = [str(w["warning"]) for w in result.get("warnings", [])]
    skipped = [str(s["reason"]) for s in result.get("skipped", [])]
    message = _message(int(result.get("reports", 0)), skipped, warnings, found)
    proposed = len(result.get("proposed", []))
    return Progress(upload, "done", cases=found, proposed=proposed, message=message,
                    warnings=warnings)  # fmt: skip


def _message(stored: int, skipped: Sequence[str], warnings: Sequence[str], found: list[int]) -> str:
    if skipped and not stored:
        if ALREADY_HELD in skipped:
            return ALREADY_HELD[0].upper() + ALREADY_HELD[1:] + "."
        return "This report was already added."
    warned = " ".join(f"Warning: {w}." for w in warnings)
    if not found and warned:
        return f"The report was stored. {warned}"
    if not found:
        return "The report was stored; it produced no case you can see."
    return f"The report produced {len(found)} case(s) for review."
