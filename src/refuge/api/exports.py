"""Bulk exports need more than a session (issue 13: one insider exported 154 cases in 10 s).

Exports are counted from the audit trail itself (a user's ``export`` entries of the last hour),
so nothing new has to be trusted. Up to ``WebSettings.export_free`` an hour need nothing more.
Beyond that, each export needs a step-up — the user's password or a current one-time code in
the ``X-Refuge-Step-Up`` header — and, when ``export_approver`` is on, an approval by another
person (``refuge user approve-exports NAME --count N``, an audited ``grant`` entry valid for an
hour) covering it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, func, select

from refuge.api.settings import WebSettings
from refuge.auth import totp
from refuge.auth.users import Principal, check_password
from refuge.errors import RefugeError
from refuge.storage import Store
from refuge.storage.tables import audit

APPROVAL = "export approval"
WINDOW = timedelta(hours=1)


class StepUpRequired(RefugeError):
    """A bulk export without the step-up or the approval it needs (answered 403)."""

    exit_code = 3


def check_bulk(store: Store, principal: Principal, settings: WebSettings, step_up: str) -> None:
    """Raise ``StepUpRequired`` unless ``principal`` may export once more now."""
    since = datetime.now(UTC) - WINDOW
    with store.read() as connection:
        done = _exports_since(connection, principal.name, since)
        if done < settings.export_free:
            return
        approved = _approved_since(connection, principal, since) if settings.export_approver else 0
        attempt = check_password(connection, principal.name, step_up) if step_up else None
    if settings.export_approver and done - settings.export_free >= approved:
        raise StepUpRequired(
            f"more than {settings.export_free} exports in an hour need another person's "
            f"approval: ask a colleague to run `refuge user approve-exports {principal.name}`"
        )
    if attempt is not None and attempt.ok:
        return
    with store.write() as connection:
        if step_up and totp.check(connection, principal.pk, step_up, settings.clock()):
            return
    raise StepUpRequired(
        f"more than {settings.export_free} exports in an hour: confirm it is you by sending "
        "your password or a current one-time code in the X-Refuge-Step-Up header"
    )


def _exports_since(connection: Connection, name: str, since: datetime) -> int:
    return int(
        connection.execute(
            select(func.count()).where(
                audit.c.actor == name, audit.c.action == "export", audit.c.at >= since
            )
        ).scalar_one()
    )


def _approved_since(connection: Connection, principal: Principal, since: datetime) -> int:
    details = connection.execute(
        select(audit.c.detail).where(
            audit.c.action == "grant",
            audit.c.object_type == "user",
            audit.c.object_pk == principal.pk,
            audit.c.actor != principal.name,
            audit.c.detail.like(f"{APPROVAL} %"),
            audit.c.at >= since,
        )
    ).scalars()
    return sum(int(d.rsplit(" ", 1)[-1]) for d in details if d.rsplit(" ", 1)[-1].isdigit())
