"""The automatic backup ``refuge db upgrade`` takes of a PostgreSQL store before migrating.

The store's own snapshot (snapshot.py) reads the tables of *this* refuge's schema, so it
cannot copy a store still at an older one; ``pg_dump`` can, in its custom format that
``pg_restore`` reads back. It must be at least the server's major version: refuge uses
``REFUGE_PG_DUMP`` when set, else the newest one installed. The password goes through the
environment (``PGPASSWORD``), never the command line (security.md R29). The dump holds what
the database holds: personal columns and TOTP secrets already encrypted by refuge, the rest as
a database administrator sees it (docs/security.md); it is written 0600 in the data
directory's ``backups/`` (0700). When no dump can be taken the upgrade is refused, saying how
to proceed: a ``refuge backup`` first, then ``refuge db upgrade --no-backup``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from sqlalchemy import Engine

from refuge.storage.database import StoreError, data_dir, prepare_directory


def pg_dump_binary() -> str | None:
    configured = os.environ.get("REFUGE_PG_DUMP")
    if configured:
        return configured if Path(configured).is_file() else None
    installed = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), key=_major, reverse=True)
    return installed[0] if installed else shutil.which("pg_dump")


def _major(path: str) -> int:
    version = Path(path).parents[1].name
    return int(version) if version.isdigit() else 0


def dump_before_upgrade(engine: Engine, revision: str) -> Path:
    """``pg_dump`` of the store into ``backups/`` (0600); a clear refusal when it fails."""
    binary = pg_dump_binary()
    if binary is None:
        _refuse("pg_dump is not installed (or REFUGE_PG_DUMP names no file)")
    url = engine.url
    folder = data_dir() / "backups"
    prepare_directory(folder)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{url.database}-{revision}-{stamp}.pgdump"
    conninfo = url.set(drivername="postgresql", password=None).render_as_string()
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        done = subprocess.run(  # noqa: S603  (a fixed program, no shell)
            [binary, "--format=custom", "--dbname", conninfo],
            stdout=handle,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
        )
        handle.flush()
        os.fsync(handle.fileno())
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        first = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["failed"])[0]
        _refuse(f"pg_dump failed ({first[:200]})")
    return target


def _refuse(why: str) -> NoReturn:
    raise StoreError(
        f"no automatic backup before migrating: {why}. Take one with "
        "`refuge backup -o FILE -r age1...` (or pg_dump), then run "
        "`refuge db upgrade --no-backup`; REFUGE_PG_DUMP can name a pg_dump matching the server"
    )
