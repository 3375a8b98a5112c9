"""Is the database fit to hold the cases? Checked whenever a command opens a store.

SQLite: ``PRAGMA quick_check`` on open (linear in the file, no index cross-check), the full
``integrity_check`` in ``refuge db check``; a damaged file is refused with the way out (a
restore) instead of being served as if healthy. PostgreSQL: the server settings that decide
whether a committed transaction survives a power cut (``fsync``, ``full_page_writes``) and
whether a corrupted page is noticed (``data_checksums``) are read and warned about; refuge
cannot change them and a test server legitimately runs without ``fsync``, so it does not
refuse.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError

from refuge.storage.database import StoreError

log = logging.getLogger("refuge.storage")

#: setting -> (value refuge wants, what goes wrong otherwise)
PG_SETTINGS = {
    "fsync": ("on", "committed cases can be lost in a power cut or crash"),
    "full_page_writes": ("on", "a crash can leave torn pages that recovery cannot repair"),
    "data_checksums": ("on", "corrupted pages on disk go unnoticed"),
}


def check_engine(engine: Engine, *, full: bool = False) -> list[str]:
    """Problems found (SQLite: raise when damaged; PostgreSQL: warnings, logged and
    returned)."""
    if engine.dialect.name == "sqlite":
        sqlite_check(engine, full=full)
        return []
    warnings = postgres_warnings(engine)
    for warning in warnings:
        log.warning("PostgreSQL: %s", warning)
    return warnings


def sqlite_check(engine: Engine, *, full: bool = False) -> None:
    """Refuse a damaged store. ``quick_check`` reads the whole file (seconds for 100,000
    cases), so on open it is skipped when the file and its WAL are exactly as they were after
    the last check that passed (size and modification time, kept in ``<store>.checked``;
    a WAL with frames in it always means a check).
    Bit rot in an unchanged file is still caught: SQLCipher authenticates every page it reads."""
    stamp = _stamp(engine)
    if not full and stamp is not None and _read_stamp(engine) == stamp:
        return
    _run_check(engine, full)
    if stamp is not None and _stamp(engine) == stamp:  # nothing changed during the check
        _write_stamp(engine, stamp)


def _stamp_path(engine: Engine) -> Path | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def _stamp(engine: Engine) -> str | None:
    """The store file's size and modification time; None (always check) when there is no
    file, or when its WAL holds frames (left by a crash, or another process is writing)."""
    path = _stamp_path(engine)
    if path is None:
        return None
    try:
        if path.with_name(f"{path.name}-wal").stat().st_size > 0:
            return None
    except FileNotFoundError:
        pass
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return f"{info.st_size}:{info.st_mtime_ns}"


def _read_stamp(engine: Engine) -> str | None:
    path = _stamp_path(engine)
    assert path is not None
    try:
        return path.with_name(path.name + ".checked").read_text(encoding="ascii").strip()
    except OSError:
        return None


def _write_stamp(engine: Engine, stamp: str) -> None:
    path = _stamp_path(engine)
    assert path is not None
    target = path.with_name(path.name + ".checked")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(stamp + "\n")


def _run_check(engine: Engine, full: bool) -> None:
    pragma = "integrity_check" if full else "quick_check"
    try:
        with engine.connect() as connection:
            rows = [r[0] for r in connection.exec_driver_sql(f"PRAGMA {pragma}")]
    except DatabaseError:
        rows = ["unreadable pages"]
    if rows != ["ok"]:
        raise StoreError(
            f"the store is damaged ({pragma} found {len(rows)} problem(s)): restore the last "
            "backup with `refuge restore FILE`"
        )


def postgres_warnings(engine: Engine) -> list[str]:
    found = []
    with engine.connect() as connection:
        for setting, (wanted, risk) in PG_SETTINGS.items():
            value = connection.execute(text(f"SHOW {setting}")).scalar()
            if value != wanted:
                found.append(f"{setting} is {value}: {risk}")
    return found
