"""Need-to-know access to cases (security.md R11), enforced in one place.

``visible`` is THE filter: every list, search, count, export, alert and single-case lookup of
the web app and the API selects cases through it (``tests/api/test_authz.py`` proves it route
by route). A case is visible to the members of the teams it is granted to and to users granted
it directly; nobody sees every case by role alone, not even an admin (admins manage accounts,
not casework). A case that exists but is not visible is reported exactly like one that does
not exist, so existence does not leak.

The audit helper writes reads (and sign-ins) to the store's audit table in the same
transaction as what they record, with integer keys only, never names or content.
"""

from __future__ import annotations

import time

from sqlalchemy import ColumnElement, Connection, exists, insert, or_, select, true

from refuge.auth.tables import case_access
from refuge.auth.users import Principal
from refuge.storage.audit import record
from refuge.storage.tables import cases


def visible(principal: Principal) -> ColumnElement[bool]:
    """The SQL condition on ``cases`` that keeps only the cases ``principal`` may see.

    A correlated EXISTS rather than ``pk IN (...)``: the database can then walk cases in the
    order asked for and stop after a page, instead of materialising every visible key.
    The command-line operator (who holds the store's key) sees every case."""
    if principal.operator:
        return true()
    grantee = case_access.c.user_pk == principal.pk
    if principal.teams:
        grantee = or_(grantee, case_access.c.team_pk.in_(principal.teams))
    return exists().where(case_access.c.case_pk == cases.c.pk, grantee)


def visible_case(connection: Connection, principal: Principal, pk: int) -> tuple[int, str] | None:
    """``(pk, id)`` of case ``pk`` if ``principal`` may see it, else None (absent or hidden).
    URLs carry the integer key, never the case id: ids are slugs made of people's names."""
    row = connection.execute(
        select(cases.c.pk, cases.c.id).where(cases.c.pk == pk, visible(principal))
    ).first()
    return None if row is None else (int(row.pk), str(row.id))


def visible_ids(connection: Connection, principal: Principal) -> dict[str, int]:
    """``{case id: pk}`` of every case ``principal`` may see."""
    rows = connection.execute(select(cases.c.id, cases.c.pk).where(visible(principal)))
    return {str(r.id): int(r.pk) for r in rows}


def grant(
    connection: Connection,
    case_pk: int,
    *,
    team_pk: int | None = None,
    user_pk: int | None = None,
) -> None:
    """Share case ``case_pk`` with a team or one user (idempotent)."""
    column = case_access.c.team_pk if team_pk is not None else case_access.c.user_pk
    grantee = team_pk if team_pk is not None else user_pk
    exists = connection.execute(
        select(case_access.c.pk).where(case_access.c.case_pk == case_pk, column == grantee)
    ).first()
    if not exists:
        connection.execute(
            insert(case_access).values(
                case_pk=case_pk, team_pk=team_pk, user_pk=user_pk, granted_at=int(time.time())
            )
        )


def audit_event(
    connection: Connection,
    actor: str,
    action: str,
    object_type: str,
    object_pk: int | None,
    detail: str,
) -> None:
    """One audit entry, through the store's writer (same vocabulary checks, same table)."""
    try:
        record(connection, actor, action, object_type, object_pk, detail)
    except ValueError:
        raise ValueError(f"bad audit entry {action!r}") from None
