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
