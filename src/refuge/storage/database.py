"""Engines for the two databases refuge supports, configured for durability.

SQLite (the laptop default): WAL, ``synchronous=FULL`` (case files are written by people, so
durability beats throughput; security.md decision 2), foreign keys on, a busy timeout, temp
storage in memory, and ``BEGIN IMMEDIATE`` for writes so two writers queue instead of failing
half-way. PostgreSQL (a team): psycopg 3; writes take a transaction-scoped advisory lock so
writers are serialised the same way on both databases (merging reports must see every case
committed before it, or two processes would create the same person twice).

A SQLite file store is encrypted with SQLCipher (pages, WAL and journal alike) under a key
from the store's key file (storage/keys.py); a store without a key file is refused, never
opened in clear. Only ``plaintext=True`` (an in-process argument no command exposes; the
benchmark baseline and ``refuge db encrypt`` use it) opens a file with the plain SQLite.
The data directory is kept private: created 0700, a looser one tightened (or refused when it
is not the user's), files 0600.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url

from refuge.errors import RefugeError
from refuge.storage import keys

log = logging.getLogger("refuge.storage")

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


def create_store_engine(
    url: str, *, plaintext: bool = False, page_key: bytes | None = None
) -> Engine:
    """An engine for ``url`` with refuge's connection settings applied.

    A SQLite file is opened with SQLCipher under ``page_key`` (a raw 256-bit key), else under
    the page key derived from its key file's data key (unwrapped with the operator's
    passphrase); ``plaintext`` opens it with plain SQLite."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, plaintext, page_key)
    engine = create_engine(parsed, pool_pre_ping=True)
    event.listen(engine, "connect", lambda conn, _rec: _pg_connect(engine, conn))
    event.listen(engine, "begin", _pg_begin)
    return engine


def _pg_connect(engine: Engine, dbapi_connection: Any) -> None:
    from refuge.storage.columns import attach_cipher

    attach_cipher(engine.dialect, dbapi_connection)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite store URL (None for PostgreSQL or an in-memory database)."""
    parsed = normalise_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def _sqlite_engine(url: URL, plaintext: bool, page_key: bytes | None) -> Engine:
    path = Path(url.database) if url.database and url.database != ":memory:" else None
    if path is None or plaintext:
        if path is not None:
            prepare_directory(path.parent)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
        event.listen(engine, "connect", _sqlite_connect)
    else:
        prepare_directory(path.parent)
        key = _working_key(path, [page_key] if page_key else _store_keys(path))
        engine = create_engine(
            url, module=sqlcipher_module(), connect_args={"timeout": SQLITE_BUSY_MS / 1000}
        )
        event.listen(engine, "connect", lambda conn, _rec: _cipher_connect(conn, path, key))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def sqlcipher_module() -> Any:
    from sqlcipher3 import dbapi2  # type: ignore[import-untyped]

    return dbapi2


def refuse_unkeyed(path: Path) -> None:
    """A non-empty file without a key file is a store in clear, or not a database at all:
    say which (a stray file must not be called a store to encrypt)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as head:
        if head.read(16) != b"SQLite format 3\x00":
            raise StoreError(
                f"the file at {path} is not a database refuge can open (damaged, or not a "
                "store): check --db, or restore a backup with `refuge restore`"
            )
    raise StoreError(f"the store at {path} is not encrypted: run `refuge db encrypt` to encrypt it")


def _store_keys(path: Path) -> list[bytes]:
    key_file = keys.key_path(path)
    if not key_file.exists():
        refuse_unkeyed(path)
        raise StoreError(f"no refuge store at {path}: run `refuge init` first")
    return [keys.subkey(k, "sqlcipher") for k in keys.load_data_keys(key_file)]


def _working_key(path: Path, candidates: Sequence[bytes]) -> bytes:
    """The candidate key that opens ``path`` (the second one only after an interrupted
    data-key rotation); a clear error when none does."""
    if not path.exists() or path.stat().st_size == 0:
        return candidates[0]
    for key in candidates:
        connection = sqlcipher_module().connect(str(path))
        try:
            _apply_key(connection, key)
            connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
            return key
        except sqlcipher_module().DatabaseError:
            continue
        finally:
            connection.close()
    raise StoreError(
        f"cannot decrypt the store at {path}: its key file does not belong to it, or the "
        "file is damaged (restore it with `refuge restore`)"
    )


def _apply_key(dbapi_connection: Any, key: bytes) -> None:
    # SQLCipher logs decryption failures to stderr itself; refuge reports them in one line.
    dbapi_connection.execute("PRAGMA cipher_log_level = NONE")
    dbapi_connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")


def _cipher_connect(dbapi_connection: Any, path: Path, key: bytes) -> None:
    _apply_key(dbapi_connection, key)
    _sqlite_connect(dbapi_connection, None)
    private_files(path)


def private_files(path: Path) -> None:
    """The store file and its WAL and shared-memory files readable by the user only."""
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
        target = path.with_name(name)
        try:
            if stat.S_IMODE(target.stat().st_mode) & 0o077:
                target.chmod(0o600)
        except FileNotFoundError:
            continue


def prepare_directory(directory: Path) -> None:
    """Create the data directory private to the user (0700): the store holds people's lives.

    A directory that exists and others can read is tightened to 0700 when it is the user's
    own; a shared one (not the user's, or sticky like /tmp) is refused."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = directory.stat()
    if not stat.S_IMODE(info.st_mode) & 0o077:
        return
    if info.st_uid != os.geteuid() or info.st_mode & stat.S_ISVTX:
        raise StoreError(
            f"the store's directory {directory} is shared with other users: keep the store "
            "in a directory of its own (REFUGE_DATA_DIR)"
        )
    directory.chmod(0o700)
    log.warning("tightened the permissions of %s to 0700 (others could read it)", directory)


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
