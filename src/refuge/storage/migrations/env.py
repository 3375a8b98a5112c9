"""Alembic environment for refuge: runs on a connection the caller hands over.

``refuge.storage.migrate`` passes the connection in ``config.attributes["connection"]``; no
alembic.ini is read at run time. SQLite uses batch mode (its ALTER TABLE is limited), so the
same migration files serve both databases.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from refuge.storage.tables import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("refuge migrations run through refuge.storage.migrate, not the alembic CLI")
_run(connection)
