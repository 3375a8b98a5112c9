"""Case keys and ids that tell nobody anything about other teams' cases.

A case's key (``cases.pk``) is the ``ref`` of the web and the API, and an ingested case's id
is what the command line shows. Both used to leak: keys were sequential (a team could count
the cases other teams created between two of its own), and an ingested case's id was the
person's surname and year, given a numeric suffix when another team already held that id, so
a new team learnt that someone else holds a case on that person (issue 13, security.md: no
existence oracles). Now both are drawn at random, independently of what the store holds:

* keys: uniform in 1..2**31-1 (they stay 32-bit integers for both databases and the API),
  drawn again on the rare collision, which the writer sees inside its own transaction only;
* ids of cases read from reports: ``case-`` and 10 letters or digits (50 bits), so the id
  neither names the person (on PostgreSQL ids are stored in clear) nor depends on other ids.

Ids written in a case file by a person (``refuge import``) are theirs and kept, and a store
with no team (one user's laptop, where no other team can learn anything) keeps the analyser's
readable ids (``zhilin-2022``).
"""

from __future__ import annotations

import secrets

from sqlalchemy import Connection, column, select, table

from refuge.storage.tables import cases

MAX_KEY = 2**31 - 1
# Lower-case letters and digits without the look-alikes 0/o, 1/l/i: easy to read out and type.
_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
ID_LENGTH = 10


def new_case_keys(connection: Connection, count: int) -> list[int]:
    """``count`` distinct random case keys that no stored case uses."""
    chosen: set[int] = set()
    while len(chosen) < count:
        drawn = {secrets.randbelow(MAX_KEY) + 1 for _ in range(count - len(chosen))} - chosen
        taken = set(connection.execute(select(cases.c.pk).where(cases.c.pk.in_(drawn))).scalars())
        chosen |= drawn - taken
    return list(chosen)


def new_case_id(connection: Connection) -> str:
    """A random case id no stored case uses."""
    while True:
        candidate = "case-" + "".join(secrets.choice(_ALPHABET) for _ in range(ID_LENGTH))
        if connection.execute(select(cases.c.pk).where(cases.c.id == candidate)).first() is None:
            return candidate


def shared_store(connection: Connection) -> bool:
    """Whether ids must be random: in a store with teams, ids must not tell one team about
    another's cases (a team server on PostgreSQL has teams: its ids, stored in clear, then
    name nobody either)."""
    teams = table("teams", column("pk"))  # auth's table, named here to avoid an import cycle
    return connection.execute(select(teams.c.pk).limit(1)).first() is not None
