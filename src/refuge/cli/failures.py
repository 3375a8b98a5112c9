"""What the command line says when the fault is the installation, the store or the file system
rather than refuge's own checks: one line that says what to do, never a traceback (issue 8).

Only failures a user can fix are translated; anything else still raises, so real bugs keep
their traceback.
"""

from __future__ import annotations

import sys

import click

from refuge.errors import InstallError, RefugeError

REINSTALL = "reinstall refuge with its dependencies (in its folder: .venv/bin/pip install -e .)"


def translate(exc: BaseException) -> RefugeError | None:
    """The user-facing error for ``exc``, or None when it is not one a user can fix."""
    if isinstance(exc, ImportError):
        return InstallError(f"refuge is not completely installed: {_missing(exc)}; {REINSTALL}")
    database = _database_error(exc)
    if database is not None:
        return database
    if isinstance(exc, OSError) and exc.strerror:
        where = f" {exc.filename}" if exc.filename else ""
        return RefugeError(f"cannot use{where}: {exc.strerror}")
    return None


def unavailable(name: str, exc: ImportError) -> click.Command:
    """A stand-in for a command whose module cannot be imported: listed by ``refuge --help``
    (which must keep working), failing with the install error when run."""

    def run() -> None:
        raise exc

    return click.Command(
        name,
        callback=run,
        short_help="(unavailable: refuge is not completely installed)",
        add_help_option=False,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )


def _missing(exc: ImportError) -> str:
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        return f"module {exc.name!r} cannot be found"
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return first_line.rstrip(".")


def _database_error(exc: BaseException) -> RefugeError | None:
    """A database driver's error (corrupt file, server down, no permission) as a StoreError.
    SQLAlchemy is only consulted if it was imported: then it raised ``exc``, if anyone did."""
    if "sqlalchemy.exc" not in sys.modules:
        return None
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return None
    from refuge.storage.database import StoreError

    reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else "unknown"
    return StoreError(
        f"the store cannot be used: {reason}; check --db or REFUGE_DATABASE_URL, "
        "or restore the store from a backup"
    )
