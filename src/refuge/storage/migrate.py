"""Schema migrations through Alembic's Python API, with the scripts shipped in the package."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing into ``refuge/storage/migrations`` (no alembic.ini needed)."""
    config = Config()
    location = resources.files("refuge.storage") / "migrations"
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revision(revision: str) -> bool:
    """Whether ``revision`` is one this refuge ships (a newer refuge may have written it)."""
    script = ScriptDirectory.from_config(alembic_config())
    return any(r.revision == revision for r in script.walk_revisions())


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Apply the migrations up to ``revision`` in one transaction; return the new revision."""
    with (
        engine.connect().execution_options(refuge_write=True) as connection,
        connection.begin(),
    ):
        command.upgrade(alembic_config(connection), revision)
    return current_revision(engine)
