"""The audit trail: who changed which object, when, and what kind of change it was.

Each entry is chained by hash to the one before and signed with the store's key
(``audit_chain.py``): ``refuge audit verify`` detects an edited, deleted, reordered or inserted
entry.

Each entry is written on the same connection and in the same transaction as the change it
records, so a change without its entry (or an entry without its change) cannot be committed.
Entries name objects by integer key and describe changes by kind ("event added"), never by
content: the audit table must not become a second copy of the personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select

from refuge.storage.audit_chain import canonical, entry_hash, lock_head, signing_key
from refuge.storage.tables import audit

#: What the store does to cases, then what the web application does (reads, sign-ins, grants).
ACTIONS = (
    "create", "update", "merge", "propose", "ingest", "review", "export", "index",
    "read", "search", "login", "logout", "grant", "token", "user",
)  # fmt: skip
_DETAIL = re.compile(r"^[a-z0-9 _:,.=()-]{1,200}$")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_pk: int | None
    detail: str


def record(
    connection: Connection,
    actor: str,
    action: str,
    object_type: str,
    object_pk: int | None,
    detail: str,
) -> None:
    """Append one entry. ``detail`` is a kind of change from a fixed vocabulary of words and
    counts ("3 events added"); anything else is refused so no free text slips in."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if not _DETAIL.match(detail):
        raise ValueError("audit detail must be a short lowercase description of the change")
    seq, prev = lock_head(connection)
    at = datetime.now(UTC).replace(tzinfo=None)  # stored naive UTC on SQLite; normalised
    digest = entry_hash(
        canonical(prev, seq, at, actor[:128], action, object_type, object_pk, detail)
    )
    signature = signing_key(connection.engine).sign(bytes.fromhex(digest)).hex()
    connection.execute(
        insert(audit).values(
            seq=seq,
            at=at.replace(tzinfo=UTC),
            actor=actor[:128],
            action=action,
            object_type=object_type,
            object_pk=object_pk,
            detail=detail,
            prev_hash=prev,
            hash=digest,
            signature=signature,
        )
    )


def entries(connection: Connection) -> list[AuditEntry]:
    """Every entry, oldest first."""
    rows = connection.execute(select(audit).order_by(audit.c.seq))
    return [
        AuditEntry(r.seq, r.at, r.actor, r.action, r.object_type, r.object_pk, r.detail)
        for r in rows
    ]
