"""Teams from the command line: reading reports in for a team, sharing a case with a team.

The same access rules as the web (``auth.access``): a team's ingest resolves reports only
against the cases the team may see, grants the cases it creates to the team, and is told of a
report another team holds without learning which team or case. Every grant is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from refuge.auth.access import audit_event, grant, visible
from refuge.auth.tables import teams
from refuge.auth.users import Principal
from refuge.services import store as store_service
from refuge.services.acting import changed, find_case, require, write
from refuge.storage import Store, StoreError


def team_pk(connection: Connection, name: str) -> int:
    """The key of team ``name``; an unknown team is an error (a typo must not create one)."""
    found = connection.execute(select(teams.c.pk).where(teams.c.name == name)).scalar()
    if found is None:
        raise StoreError(f"no team named {name!r}; `refuge user add NAME --team {name}` creates it")
    return int(found)


def as_team(connection: Connection, name: str, actor: str) -> Principal:
    """The operator acting for team ``name``: sees exactly what the team sees."""
    return Principal(0, actor, "lawyer", (team_pk(connection, name),))


def ingest_for_team(
    store: Store, paths: Sequence[Path], team: str, actor: str, **options: Any
) -> store_service.IngestSummary:
    """``refuge ingest --team``: the cases read in belong to ``team`` (granted in the report's
    transaction) and reports merge only into the team's cases."""
    with store.read() as connection:
        principal = as_team(connection, team, actor)
    pk = principal.teams[0]

    def grant_new(connection: Connection, case_pk: int) -> None:
        _grant(connection, actor, case_pk, pk)

    return store_service.ingest(
        store, list(paths), actor=actor, among=visible(principal), on_created=grant_new, **options
    )


def share_case(store: Store, principal: Principal, case: int | str, team: str) -> None:
    """Grant a visible case to a team (lawyers; audited): ``refuge share CASE --team T``, the
    API and the pages. Only an existing team: a typo must not create a team nobody is in. The
    operator is told a team does not exist; anyone else gets the answer of a success, so
    nobody can learn which team names exist (the audit records which it was)."""
    require(principal, "lawyer")
    with write(store) as connection:
        pk, _case_id = find_case(connection, principal, case)
        if principal.operator:
            _grant(connection, principal.name, pk, team_pk(connection, team))
        else:
            found = connection.execute(select(teams.c.pk).where(teams.c.name == team)).scalar()
            if found is None:
                audit_event(connection, principal.name, "grant", "case", pk, "share to no team")
                return
            _grant(connection, principal.name, pk, int(found))
    changed()


def share_with_creator(connection: Connection, principal: Principal, case_pk: int) -> None:
    """A case a person opens belongs to their teams (or to them alone, without a team); the
    operator's belong to nobody until shared (``refuge share``)."""
    if principal.operator:
        return
    for team in principal.teams:
        grant(connection, case_pk, team_pk=team)
    if not principal.teams:
        grant(connection, case_pk, user_pk=principal.pk)


def _grant(connection: Connection, actor: str, case_pk: int, team: int) -> None:
    grant(connection, case_pk, team_pk=team)
    audit_event(connection, actor, "grant", "case", case_pk, f"shared with team {team}")
