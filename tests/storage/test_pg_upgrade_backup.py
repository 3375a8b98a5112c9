"""``refuge db upgrade`` on PostgreSQL takes a pg_dump first (security.md: automatic backup
before a migration), or refuses and says how to go on; ``--no-backup`` is the explicit way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command

from refuge.services import store as svc
from refuge.storage import StoreError
from refuge.storage.database import create_store_engine
from refuge.storage.migrate import alembic_config, current_revision

OLDER = "0340complete"


@pytest.fixture
def older_pg(store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    if not store_url.startswith("postgresql"):
        pytest.skip("the SQLite copy is tested in test_encryption.py")
    monkeypatch.setenv("REFUGE_DATA_DIR", str(tmp_path / "data"))
    engine = create_store_engine(store_url)
    with engine.connect().execution_options(refuge_write=True) as connection, connection.begin():
        command.downgrade(alembic_config(connection), OLDER)
    engine.dispose()
    return store_url


def _refuge(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "refuge", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _revision(url: str) -> str | None:
    engine = create_store_engine(url)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


def test_an_upgrade_dumps_the_database_first(older_pg: str, tmp_path: Path) -> None:
    done = svc.upgrade_store(older_pg)
    assert done.before == OLDER and done.after != OLDER and done.backup is not None
    assert done.backup.parent == tmp_path / "data" / "backups"
    assert done.backup.stat().st_mode & 0o777 == 0o600
    assert done.backup.read_bytes()[:5] == b"PGDMP"  # pg_restore's custom format
    assert done.backup.stat().st_size > 10_000  # the tables, not an empty file
    assert OLDER in done.backup.name


def test_without_pg_dump_the_upgrade_is_refused_and_says_how(
    older_pg: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REFUGE_PG_DUMP", str(tmp_path / "no-such-pg_dump"))
    with pytest.raises(StoreError, match="no automatic backup before migrating") as refused:
        svc.upgrade_store(older_pg)
    assert "refuge db upgrade --no-backup" in str(refused.value)
    assert _revision(older_pg) == OLDER  # nothing was migrated
    refused_cli = _refuge("db", "upgrade", "--database", older_pg)
    assert refused_cli.returncode == 5 and "refuge backup" in refused_cli.stderr
    assert "Traceback" not in refused_cli.stderr
    result = _refuge("db", "upgrade", "--no-backup", "--database", older_pg)
    assert result.returncode == 0, result.stderr
    assert "upgraded 0340complete ->" in result.stdout and "backup taken" not in result.stdout
    assert _revision(older_pg) != OLDER
