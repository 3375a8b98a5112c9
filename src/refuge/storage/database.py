"""Engines for the two databases refuge supports, configured for durability.

SQLite (the laptop default): WAL, ``synchronous=FULL`` (case files are written by people, so
durability beats throughput; security.md decision 2), foreign keys on, a busy timeout, temp
storage in memory, and ``BEGIN IMMEDIATE`` for writes so two writers queue instead of failing
half-way. PostgreSQL (a team): psycopg 3; writes take a transaction-scoped advisory lock so
writers are serialised the same way on both databases (merging reports must see every case
committed before it, or two processes would create the same person twice).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url

from refuge.errors import RefugeError

#: Every writer takes this PostgreSQL advisory lock for the length of its transaction.
WRITE_LOCK = 0x52_45_46_55  # "REFU"
SQLITE_BUSY_MS = 60_000


class StoreError(RefugeError):
    """The store cannot be opened or used: missing, not upgraded, or a bad URL."""

    exit_code = 5


def data_dir() -> Path:
    """``REFUGE_DATA_DIR``, else ``~/.local/share/refuge`` (XDG's data home)."""
    configured = os.environ.get("REFUGE_DATA_DIR")
    if configured:
        return Path(configured).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "refuge"


def default_url() -> str:
    """``REFUGE_DATABASE_URL``, else a SQLite file in the data directory."""
    return os.environ.get("REFUGE_DATABASE_URL") or f"sqlite:///{data_dir() / 'refuge.db'}"


def normalise_url(url: str) -> URL:
    """Parse ``url``; plain ``postgresql://`` means psycopg 3, the only driver we ship."""
    try:
        parsed = make_url(url)
    except Exception:  # SQLAlchemy raises several types for a bad URL
        raise StoreError(
            "the database URL is not valid; use sqlite:///PATH or "
            "postgresql://USER@HOST/DB (REFUGE_DATABASE_URL)"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"database {parsed.get_backend_name()!r} is not supported; use SQLite or PostgreSQL"
        )
    return parsed


def create_store_engine(url: str) -> Engine:
    """An engine for ``url`` with refuge's connection settings applied."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    engine = create_engine(parsed, pool_pre_ping=True)
    event.listen(engine, "begin", _pg_begin)
    return engine


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        _prepare_directory(Path(url.database).parent)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _prepare_directory(directory: Path) -> None:
    """Create the data directory private to the user (0700): the store holds people's lives."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling defers it).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        "foreign_keys=ON",
        f"busy_timeout={SQLITE_BUSY_MS}",
        "temp_store=MEMORY",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    mode = "IMMEDIATE" if connection.get_execution_options().get("refuge_write") else "DEFERRED"
    connection.exec_driver_sql(f"BEGIN {mode}")


def _pg_begin(connection: Connection) -> None:
    if connection.get_execution_options().get("refuge_write"):
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
