"""Backups, restores and sealed exports: nothing personal leaves the store in clear unless a
person asks for it by name (``--plaintext``). See docs/security.md.

A backup is an age file (X25519 or SSH recipients, through pyrage) holding a tar archive:
``manifest.json`` (format, database, schema revision, creation time, the SHA-256 of each
member) and the snapshot: for SQLite the store copied with ``VACUUM INTO`` and rekeyed to a
fresh key carried in the archive (so the backup opens without the store's passphrase, and the
live store's key is never in it); for PostgreSQL every table as JSON rows. age authenticates
the whole file, so a tampered backup fails to decrypt; the checksums and the revision are
checked on top, before anything is replaced.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyrage
from sqlalchemy import literal, select

from refuge.storage import StoreError, keys, open_store
from refuge.storage.audit import record
from refuge.storage.database import (
    create_store_engine,
    default_url,
    private_files,
    sqlcipher_module,
    sqlite_path,
)
from refuge.storage.integrity import check_engine, sqlite_check
from refuge.storage.migrate import current_revision, head_revision, known_revision
from refuge.storage.snapshot import dump_tables, load_tables, sqlite_copy
from refuge.storage.tables import audit, cases

BACKUP_FORMAT = "refuge-backup"


# -- recipients and identities ----------------------------------------------------------------
def recipients(given: list[str], files: list[Path]) -> list[Any]:
    """age recipients from ``--recipient`` values and recipients files (one per line, ``#``
    comments); at least one is required."""
    lines = list(given)
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"cannot read recipients file {path}: {exc.strerror}") from None
        lines += [ln.strip() for ln in text.splitlines() if ln.strip() and ln[0] != "#"]
    if not lines:
        raise StoreError(
            "name who may read it: --recipient age1... or --recipients-file FILE "
            "(or --plaintext for an export in clear)"
        )
    return [_recipient(line) for line in lines]


def _recipient(line: str) -> Any:
    try:
        if line.startswith("age1"):
            return pyrage.x25519.Recipient.from_str(line)
        return pyrage.ssh.Recipient.from_str(line)
    except pyrage.RecipientError:
        shown = line if len(line) < 80 else line[:77] + "..."
        raise StoreError(f"not an age or SSH public key: {shown!r}") from None


def identities(path: Path) -> list[Any]:
    """The age identities (``AGE-SECRET-KEY-1...`` lines) of an identity file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot read identity file {path}: {exc.strerror}") from None
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("AGE-SECRET-KEY-"):
            try:
                found.append(pyrage.x25519.Identity.from_str(line))
            except pyrage.IdentityError:
                raise StoreError(f"identity file {path} holds a damaged key") from None
    if not found:
        raise StoreError(f"no age identity (AGE-SECRET-KEY-...) in {path}")
    return found


def seal(data: bytes, to: list[Any], *, armored: bool = False) -> bytes:
    return pyrage.encrypt(data, to, armored=armored)


# -- backup ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BackupInfo:
    dialect: str
    revision: str
    created: str
    size: int


def backup(url: str | None, to: list[Any], output: Path, actor: str) -> BackupInfo:
    """Write an encrypted, verifiable snapshot of the store to ``output`` (0600, atomic)."""
    url = url or default_url()
    store = open_store(url)
    try:
        revision = current_revision(store.engine)
        assert revision is not None
        members = _snapshot(store.engine, url, output.parent)
        with store.write() as connection:
            record(connection, actor, "export", "store", None, "backup written, encrypted")
    finally:
        store.close()
    created = datetime.now(UTC).isoformat(timespec="seconds")
    manifest = {
        "format": BACKUP_FORMAT,
        "version": 1,
        "dialect": store.dialect,
        "revision": revision,
        "created": created,
        "members": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    archive = _tar({"manifest.json": json.dumps(manifest, indent=2).encode(), **members})
    write_private(output, seal(archive, to))
    return BackupInfo(store.dialect, revision, created, output.stat().st_size)


def _snapshot(engine: Any, url: str, scratch: Path) -> dict[str, bytes]:
    path = sqlite_path(url)
    if path is None:
        return {"tables.json": json.dumps(dump_tables(engine)).encode()}
    # The copy is encrypted under the store's key, then rekeyed to a key of its own that
    # travels inside the age file: the backup never contains the live store's key.
    copy = path.with_name(f".{path.name}.backup-{secrets.token_hex(4)}")
    try:
        sqlite_copy(engine, copy)
        own = secrets.token_bytes(32)
        _rekey_file(copy, _store_key(url), own)
        return {"store.db": copy.read_bytes(), "store.key": own.hex().encode()}
    finally:
        copy.unlink(missing_ok=True)


def _store_key(url: str) -> bytes:
    path = sqlite_path(url)
    assert path is not None
    return keys.subkey(keys.load_data_keys(keys.key_path(path))[0], "sqlcipher")


def _rekey_file(path: Path, old: bytes, new: bytes) -> None:
    connection = sqlcipher_module().connect(str(path), isolation_level=None)
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(f"PRAGMA key = \"x'{old.hex()}'\"")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
        connection.execute(f"PRAGMA rekey = \"x'{new.hex()}'\"")
    except sqlcipher_module().DatabaseError:
        raise StoreError("the backup's database cannot be read with its key") from None
    finally:
        connection.close()


def _tar(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o600
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def write_private(path: Path, data: bytes) -> None:
    """Write atomically to a file only the user can read."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


# -- restore -----------------------------------------------------------------------------------
def read_backup(source: Path, ids: list[Any]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Decrypt and verify a backup: its manifest and members, or a clear refusal."""
    try:
        sealed = source.read_bytes()
    except OSError as exc:
        raise StoreError(f"cannot read backup {source}: {exc.strerror}") from None
    try:
        archive = pyrage.decrypt(sealed, ids)
    except pyrage.DecryptError:
        raise StoreError(
            f"cannot decrypt backup {source}: it was altered, or it is not for this identity"
        ) from None
    members = _untar(archive, source)
    try:
        manifest = json.loads(members.pop("manifest.json"))
        listed = manifest["members"]
        ok = manifest["format"] == BACKUP_FORMAT and set(listed) == set(members)
    except (KeyError, ValueError, TypeError):
        ok = False
    if not ok or any(
        hashlib.sha256(data).hexdigest() != listed[name] for name, data in members.items()
    ):
        raise StoreError(f"backup {source} fails verification: its contents do not match")
    if not known_revision(manifest["revision"]):
        raise StoreError(
            f"backup {source} has schema {manifest['revision']}, newer than this refuge"
        )
    return manifest, members


def _untar(archive: bytes, source: Path) -> dict[str, bytes]:
    members: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
            for info in tar.getmembers():
                handle = tar.extractfile(info) if info.isfile() else None
                if handle is None or "/" in info.name:
                    raise tarfile.TarError
                members[info.name] = handle.read()
    except tarfile.TarError:
        raise StoreError(f"backup {source} is not a refuge backup") from None
    return members


def restore(source: Path, ids: list[Any], url: str | None, *, replace: bool, actor: str) -> str:
    """Restore a verified backup into the store at ``url``; return its schema revision."""
    url = url or default_url()
    manifest, members = read_backup(source, ids)
    path = sqlite_path(url)
    if (path is None) != (manifest["dialect"] == "postgresql"):
        raise StoreError(
            f"backup {source} is of a {manifest['dialect']} store; restore it into one"
        )
    if path is None:
        if manifest["revision"] != head_revision():
            raise StoreError(
                f"backup {source} has schema {manifest['revision']}, this refuge writes "
                f"{head_revision()}: restore it with the refuge release that made it"
            )
        _restore_tables(url, members, replace)
    else:
        _restore_sqlite(path, members, replace)
    if manifest["revision"] != head_revision():
        return str(manifest["revision"])  # `refuge db upgrade` comes next (the CLI says so)
    store = open_store(url)
    try:
        with store.write() as connection:
            record(connection, actor, "update", "store", None, "store restored from backup")
    finally:
        store.close()
    return str(manifest["revision"])


def _restore_sqlite(path: Path, members: dict[str, bytes], replace: bool) -> None:
    if path.exists() and not replace:
        raise StoreError(f"a store exists at {path}: add --replace to overwrite it")
    from refuge.services.keys import ensure_key

    if not path.exists():
        ensure_key(f"sqlite:///{path}")
    target = path.with_name(f".{path.name}.restoring")
    write_private(target, members["store.db"])
    try:
        own = bytes.fromhex(members["store.key"].decode())
        engine = create_store_engine(f"sqlite:///{target}", page_key=own)
        try:
            sqlite_check(engine, full=True)
        finally:
            engine.dispose()
        _rekey_file(target, own, _store_key(f"sqlite:///{path}"))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    for name in (f"{path.name}-wal", f"{path.name}-shm"):
        path.with_name(name).unlink(missing_ok=True)
    os.replace(target, path)
    private_files(path)


def _restore_tables(url: str, members: dict[str, bytes], replace: bool) -> None:
    tables = json.loads(members["tables.json"])
    store = open_store(url)
    try:
        with store.write() as connection:
            if not replace and any(
                connection.execute(select(literal(1)).select_from(table).limit(1)).first()
                for table in (cases, audit)
            ):
                raise StoreError("the store is not empty: add --replace to overwrite it")
            load_tables(connection, tables)
    finally:
        store.close()


def check_store(url: str | None) -> list[str]:
    """``refuge db check``: the full integrity check (SQLite) or the server's durability
    settings (PostgreSQL, returned as warnings)."""
    url = url or default_url()
    store = open_store(url, check=False)
    try:
        return check_engine(store.engine, full=True)
    finally:
        store.close()
