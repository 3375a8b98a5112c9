"""Migrations and connection settings, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from refuge.services.keys import ensure_key
from refuge.storage import Store, StoreError, open_store
from refuge.storage.database import create_store_engine
from refuge.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from refuge.storage.tables import SQLITE_ONLY_INDEXES, metadata


def test_migrations_from_empty_to_head_match_the_tables(empty_url: str) -> None:
    """Upgrading an empty database reaches head and creates exactly the tables of tables.py."""
    engine = create_store_engine(empty_url)
    assert current_revision(engine) is None
    assert upgrade(engine) == head_revision()
    with engine.connect() as connection:
        # Other packages (auth) may add their own tables in later revisions: compare ours.
        # An index made for SQLite alone (tables.SQLITE_ONLY_INDEXES) is not on PostgreSQL.
        skip = () if engine.dialect.name == "sqlite" else SQLITE_ONLY_INDEXES
        opts = {
            "compare_type": True,
            "include_name": _ours,
            "include_object": lambda _object, name, *_rest: name not in skip,
        }
        context = MigrationContext.configure(connection, opts=opts)
        assert compare_metadata(context, metadata) == []
    assert set(inspect(engine).get_table_names()) >= set(metadata.tables)
    engine.dispose()


def _ours(name: str | None, kind: str, _parents: object) -> bool:
    return kind != "table" or name in metadata.tables


def test_downgrade_to_base_and_upgrade_again(empty_url: str) -> None:
    """The migrations can be rolled back to nothing and applied again."""
    engine = create_store_engine(empty_url)
    upgrade(engine)
    upgrade_down(engine)
    assert current_revision(engine) is None
    assert "cases" not in inspect(engine).get_table_names()
    assert upgrade(engine) == head_revision()
    engine.dispose()


def upgrade_down(engine: Engine) -> None:
    with (
        engine.connect().execution_options(refuge_write=True) as connection,
        connection.begin(),
    ):
        command.downgrade(alembic_config(connection), "base")


def test_open_store_refuses_a_store_that_was_never_initialised(empty_url: str) -> None:
    """Opening an empty database says to run `refuge init`, and does not create tables."""
    with pytest.raises(StoreError, match="refuge init"):
        open_store(empty_url)


def test_sqlite_connections_use_wal_foreign_keys_and_full_sync(tmp_path: Path) -> None:
    """Every SQLite connection has the durability settings of security.md R23."""
    url = f"sqlite:///{tmp_path / 'd' / 'refuge.db'}"
    ensure_key(url)
    engine = create_store_engine(url)
    with engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
        assert pragma("PRAGMA busy_timeout").scalar() == 60_000
    assert (tmp_path / "d").stat().st_mode & 0o777 == 0o700
    engine.dispose()


def test_postgres_urls_use_psycopg3() -> None:
    """A plain postgresql:// URL gets the psycopg 3 driver; other databases are refused."""
    from refuge.storage.database import normalise_url

    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    with pytest.raises(StoreError, match="not supported"):
        normalise_url("mysql://u@h/db")


def test_foreign_keys_are_enforced(store: Store) -> None:
    """An event for a case that does not exist is refused on both databases."""
    from datetime import date

    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from refuge.storage.tables import events

    with pytest.raises(IntegrityError), store.write() as connection:
        connection.execute(
            insert(events).values(
                case_pk=999,
                id="e1",
                type="entry",
                date_earliest=date(2022, 1, 1),
                date_latest=date(2022, 1, 1),
                attrs={},
                edited=False,
                position=0,
            )
        )
