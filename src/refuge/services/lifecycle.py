"""Creating and upgrading a store: the use cases behind ``refuge init`` and ``refuge db``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from refuge.services.keys import ensure_key
from refuge.storage import StoreError, newer_schema
from refuge.storage.database import create_store_engine, default_url, normalise_url
from refuge.storage.integrity import check_engine
from refuge.storage.migrate import current_revision, head_revision, known_revision, upgrade
from refuge.storage.snapshot import pre_upgrade_backup


def location(url: str | None = None) -> str:
    """Where the store is, fit to print: the URL without its password."""
    return normalise_url(url or default_url()).render_as_string(hide_password=True)


def init_store(url: str | None = None) -> str | None:
    """Create the store (SQLite file or PostgreSQL schema) at the newest schema revision; a
    new SQLite store first gets its key (keys.ensure_key asks for a passphrase)."""
    url = url or default_url()
    ensure_key(url)
    engine = create_store_engine(url)
    try:
        _refuse_newer(current_revision(engine))
        return upgrade(engine)
    finally:
        engine.dispose()


@dataclass(frozen=True, slots=True)
class Upgrade:
    before: str | None
    after: str | None
    backup: Path | None  # the copy taken before migrating, if any migration ran


def upgrade_store(url: str | None = None, *, backup: bool = True) -> Upgrade:
    """Apply pending migrations, after an automatic backup (SQLite: an encrypted copy in
    ``backups/`` beside it; PostgreSQL: pg_dump, storage/pgdump.py) unless ``backup`` is
    False (the operator took one); return the revisions before and after."""
    url = url or default_url()
    engine = create_store_engine(url)
    try:
        before = current_revision(engine)
        if before is None:
            raise StoreError("no refuge store here yet: run `refuge init` first")
        _refuse_newer(before)
        if before == head_revision():
            return Upgrade(before, before, None)
        check_engine(engine)
        taken = pre_upgrade_backup(engine, before) if backup else None
        return Upgrade(before, upgrade(engine), taken)
    finally:
        engine.dispose()


def _refuse_newer(revision: str | None) -> None:
    if revision is not None and not known_revision(revision):
        raise StoreError(newer_schema(revision, head_revision()))


def store_revision(url: str | None = None) -> tuple[str | None, str]:
    """The store's schema revision and the one this refuge needs."""
    engine = create_store_engine(url or default_url())
    try:
        return current_revision(engine), head_revision()
    finally:
        engine.dispose()
