"""The auth migration creates exactly the tables of ``refuge.auth.tables`` and rolls back."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from refuge.auth.tables import metadata
from refuge.services.keys import ensure_key
from refuge.storage.database import create_store_engine
from refuge.storage.migrate import alembic_config, head_revision, upgrade


def _ours(name: str | None, kind: str, _parents: object) -> bool:
    return kind != "table" or name in metadata.tables


def test_auth_tables_match_and_roll_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    ensure_key(url)
    engine = create_store_engine(url)
    assert upgrade(engine) == head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": _ours}
        )
        assert compare_metadata(context, metadata) == []
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    with (
        engine.connect().execution_options(refuge_write=True) as connection,
        connection.begin(),
    ):
        config = alembic_config(connection)
        below = ScriptDirectory.from_config(config).get_revision("auth01").down_revision
        command.downgrade(config, str(below))
    assert not set(metadata.tables) & set(inspect(engine).get_table_names())
    assert "cases" in inspect(engine).get_table_names()
    assert upgrade(engine) == head_revision()
    engine.dispose()
