"""Consistent copies of a live store, for backups (services/backup.py) and before migrations.

SQLite: ``VACUUM INTO`` reads the store in one read transaction (so the copy is consistent
while others write under WAL) and writes a compact file encrypted under the same key, never a
clear copy. PostgreSQL: ``pg_dump`` is not installed everywhere refuge runs and must match the
server's major version, so the reliable way is the store's own: every table read through
SQLAlchemy in one REPEATABLE READ transaction (one snapshot), as rows of JSON values.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, insert, select, text
from sqlalchemy.types import Date, DateTime

from refuge.storage.database import StoreError, sqlite_path
from refuge.storage.tables import metadata

log = logging.getLogger("refuge.storage")


def sqlite_copy(engine: Engine, target: Path) -> None:
    """A consistent copy of the SQLite store behind ``engine`` at ``target`` (0600, under the
    store's own key)."""
    target.unlink(missing_ok=True)
    raw = engine.raw_connection()
    try:
        where = str(target).replace("'", "''")
        raw.driver_connection.execute(f"VACUUM INTO '{where}'")  # type: ignore[union-attr]
    finally:
        raw.close()
    os.chmod(target, 0o600)


def pre_upgrade_backup(engine: Engine, revision: str) -> Path | None:
    """The copy ``refuge db upgrade`` takes before migrating: next to a SQLite store in
    ``backups/``; a PostgreSQL store is dumped with pg_dump (pgdump.py)."""
    path = sqlite_path(str(engine.url))
    if path is None:
        from refuge.storage.pgdump import dump_before_upgrade

        return dump_before_upgrade(engine, revision)
    folder = path.parent / "backups"
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{path.stem}-{revision}-{stamp}{path.suffix}"
    sqlite_copy(engine, target)
    return target


# -- PostgreSQL (and any backend): tables as rows -------------------------------------------
def _tables() -> list[Table]:
    """Every table but the store's own wrapped key: rows travel decrypted (inside the age
    file) and are encrypted again under the target store's key."""
    return [t for t in metadata.sorted_tables if t.name != "store_keys"]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decode(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    return value


def dump_tables(engine: Engine) -> dict[str, Any]:
    """Every row of every refuge table, read in one snapshot."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        tables: dict[str, Any] = {}
        for table in _tables():
            names = [c.name for c in table.columns]
            rows = connection.execute(select(table)).all()
            tables[table.name] = {
                "columns": names,
                "rows": [[_encode(v) for v in row] for row in rows],
            }
        connection.rollback()
    return tables


def load_tables(connection: Connection, tables: dict[str, Any]) -> int:
    """Replace every refuge table's rows by ``tables`` (one transaction, the caller's);
    return the number of rows written."""
    known = {t.name for t in _tables()}
    if set(tables) - known:
        raise StoreError("the backup holds tables this refuge does not know")
    for table in reversed(_tables()):
        connection.execute(delete(table))
    count = 0
    for table in _tables():
        data = tables.get(table.name, {"columns": [], "rows": []})
        columns = [table.c[name] for name in data["columns"]]
        rows = [
            {c.name: _decode(c.type, v) for c, v in zip(columns, row, strict=True)}
            for row in data["rows"]
        ]
        if rows:
            connection.execute(insert(table), rows)
            count += len(rows)
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection)
    return count


def _reset_sequences(connection: Connection) -> None:
    for table in _tables():
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and len(table.primary_key.columns) == 1
            ):
                sequence = connection.execute(
                    text("SELECT pg_get_serial_sequence(:t, :c)"),
                    {"t": table.name, "c": column.name},
                ).scalar()
                if sequence:
                    # Names come from our own table metadata and the server, never from input.
                    connection.execute(
                        text(
                            f"SELECT setval('{sequence}', "  # noqa: S608
                            f"COALESCE((SELECT max({column.name}) FROM {table.name}), 0) + 1, "
                            "false)"
                        )
                    )
