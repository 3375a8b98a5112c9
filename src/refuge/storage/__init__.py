"""Persistence for refuge: SQLite by default, PostgreSQL for a team, one schema for both.

Owns the tables, the migrations, the row <-> domain mapping, the audit trail and identity
resolution. Imports the domain, the case-file format and nothing from services or doors.

    store = open_store("sqlite:///cases.db")   # or postgresql://user@host/db
    with store.write() as connection:           # one transaction, writers serialised
        ...
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine

from refuge.errors import RefugeError
from refuge.storage.database import StoreError, create_store_engine, default_url, normalise_url
from refuge.storage.integrity import check_engine
from refuge.storage.migrate import current_revision, head_revision, known_revision


class Store:
    """An open store: an engine plus the two kinds of transaction refuge uses."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (SQLite: deferred, so readers never block writers under WAL)."""
        with self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction; writers queue for each other (SQLite ``BEGIN IMMEDIATE``,
        PostgreSQL advisory lock), so a merge always sees every case committed before it."""
        with (
            self.engine.connect().execution_options(refuge_write=True) as connection,
            connection.begin(),
        ):
            yield connection

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, *, check: bool = True) -> Store:
    """Open the store at ``url`` (default: ``REFUGE_DATABASE_URL`` or the data directory).

    Refuses a store that does not exist yet, cannot be decrypted, is damaged (SQLite's
    ``quick_check``, unless ``check`` is false) or whose schema is not the one this version of
    refuge writes, with the command that fixes it. A PostgreSQL server that could lose or
    silently corrupt committed data is warned about (integrity.py).
    """
    url = url or default_url()
    parsed = normalise_url(url)
    path = parsed.database
    on_disk = parsed.get_backend_name() == "sqlite" and path and path != ":memory:"
    if on_disk and not Path(str(path)).exists():
        raise StoreError(f"no refuge store at {path}: run `refuge init` first")
    engine = create_store_engine(url)
    try:
        revision = current_revision(engine)
        if check:
            check_engine(engine)
    except RefugeError:  # a damaged store, a wrong passphrase: already one clear line
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        cause = str(getattr(exc, "orig", None) or exc).strip()
        reason = cause.splitlines()[0] if cause else type(exc).__name__
        raise StoreError(
            f"cannot open the store at {parsed.render_as_string(hide_password=True)}: {reason}; "
            "check --db or REFUGE_DATABASE_URL, or restore the store from a backup"
        ) from None
    head = head_revision()
    if revision != head:
        engine.dispose()
        if revision is None:
            raise StoreError("no refuge store here yet: run `refuge init` first")
        if not known_revision(revision):
            raise StoreError(newer_schema(revision, head))
        raise StoreError(
            f"the store's schema is at revision {revision}, this refuge needs {head}: "
            "run `refuge db upgrade` (after a backup)"
        )
    return Store(engine)


def newer_schema(revision: str, head: str) -> str:
    return (
        f"the store's schema ({revision}) is newer than this refuge knows (its newest is "
        f"{head}): use the refuge release that wrote it, or a newer one"
    )


__all__ = ["Store", "StoreError", "open_store"]
