"""Fixtures for the store tests: every store test runs on SQLite AND on a real PostgreSQL.

PostgreSQL comes from ``REFUGE_TEST_POSTGRES_URL`` when set; otherwise a throwaway cluster is
created with ``initdb`` in a temporary directory, started with ``pg_ctl`` on a free loopback
port (through ``runuser -u postgres`` when we run as root) and stopped at the end of the
session. Without PostgreSQL binaries the PostgreSQL half fails when ``CI`` is set (CI must test
both databases) and is skipped with the reason otherwise.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from refuge.services.keys import ensure_key
from refuge.storage import Store, open_store
from refuge.storage.database import create_store_engine
from refuge.storage.migrate import upgrade

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "refuge" / "examples"

# The fake analyser must be importable by name in ingest worker processes, and pytest runs
# with --import-mode=importlib (no sys.path entry for test folders): add this folder.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class _Cluster:
    """A PostgreSQL cluster of our own, in a temporary directory, on a loopback port."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="refuge-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")

    def start(self) -> str:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        run = [str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", self.user]
        subprocess.run(_as_postgres(run), check=True, capture_output=True)
        options = f"-h 127.0.0.1 -p {self.port} -k {self.root} -F"
        ctl = [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options]
        ctl += ["-l", str(self.root / "log"), "-w", "start"]
        subprocess.run(_as_postgres(ctl), check=True, capture_output=True)
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        ctl = [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
        subprocess.run(_as_postgres(ctl), check=False, capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server for tests (its maintenance database)."""
    configured = os.environ.get("REFUGE_TEST_POSTGRES_URL")
    if configured:
        yield configured
        return
    bindir = _pg_bin()
    if bindir is None:
        message = (
            "PostgreSQL binaries (initdb, pg_ctl) not found: install the 'postgresql' package "
            "or set REFUGE_TEST_POSTGRES_URL"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    cluster = _Cluster(bindir)
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def _admin(server: str, statement: str) -> None:
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (no tables), once for SQLite and once for PostgreSQL
    (a database of its own per test, dropped afterwards)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'data' / 'refuge.db'}"
        ensure_key(url)  # `refuge init`'s first step: the store's key file, nothing else
        yield url
        return
    server: str = request.getfixturevalue("postgres_server")
    name = f"refuge_test_{uuid.uuid4().hex[:12]}"
    _admin(server, f'CREATE DATABASE "{name}"')
    yield server.rsplit("/", 1)[0] + "/" + name
    _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def second_url(empty_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Another empty database on the same backend as ``empty_url`` (a restore target); for
    SQLite a path with no store and no key yet."""
    if empty_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'second' / 'refuge.db'}"
        return
    server: str = request.getfixturevalue("postgres_server")
    name = f"refuge_test_{uuid.uuid4().hex[:12]}"
    _admin(server, f'CREATE DATABASE "{name}"')
    yield server.rsplit("/", 1)[0] + "/" + name
    _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def store_url(empty_url: str) -> str:
    """The URL of a store migrated to head."""
    engine = create_store_engine(empty_url)
    upgrade(engine)
    engine.dispose()
    return empty_url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An open, empty store migrated to head."""
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def zhilin_file() -> Path:
    return EXAMPLES / "zhilin-2022.yaml"
