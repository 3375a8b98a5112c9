"""Keys of an encrypted store: create them at ``init``, change the passphrase, rotate the data
key, and encrypt a store written by an older refuge in clear (docs/security.md).

Every step that replaces a file does so atomically, and a data-key rotation is crash-safe:
the new key is written to a pending key file first, SQLCipher rekeys the store in one
transaction, and only then does the pending file replace the old one; a store opened in
between is tried with both keys (database._working_key).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, insert, select

from refuge.storage import StoreError, keys, open_store
from refuge.storage.database import (
    prepare_directory,
    private_files,
    refuse_unkeyed,
    sqlcipher_module,
    sqlite_path,
)
from refuge.storage.tables import store_keys


def _store_file(url: str) -> Path:
    path = sqlite_path(url)
    if path is None:
        raise StoreError(
            "a new data key re-encrypts a SQLite store; on PostgreSQL only the passphrase can "
            "be changed yet (`refuge key rotate` without --data-key; docs/security.md)"
        )
    return path


def ensure_key(url: str) -> bool:
    """Give a new SQLite store its key file (asking for a new passphrase); True when one was
    created. A store that exists in clear is left alone (``refuge db encrypt`` does it)."""
    path = sqlite_path(url)
    if path is None or keys.key_path(path).exists():
        return False
    refuse_unkeyed(path)
    secret = keys.passphrase(new=True, label="new passphrase for the store")
    prepare_directory(path.parent)
    keys.write_key_file(keys.key_path(path), keys.wrap(keys.new_data_key(), secret))
    return True


def change_passphrase(url: str, new_secret: str) -> None:
    """Re-wrap the data key under ``new_secret``: 32 bytes re-encrypted, the store untouched
    (SQLite: the key file; PostgreSQL: the ``store_keys`` row, in one transaction)."""
    if sqlite_path(url) is None:
        _change_postgres_passphrase(url, new_secret)
        return
    key_file = keys.key_path(_store_file(url))
    data_key = keys.unwrap(keys.read_key_file(key_file), keys.passphrase())
    keys.write_key_file(key_file, keys.wrap(data_key, new_secret))


def _change_postgres_passphrase(url: str, new_secret: str) -> None:
    store = open_store(url)
    try:
        with store.write() as connection:
            row = connection.execute(select(store_keys)).first()
            if row is None:
                raise StoreError("this PostgreSQL store has no key yet: run `refuge db upgrade`")
            wrapped = keys.WrappedKey.from_json(row.wrapped, "store_keys")
            rewrapped = keys.wrap(keys.unwrap(wrapped, keys.passphrase()), new_secret)
            connection.execute(delete(store_keys))
            connection.execute(
                insert(store_keys).values(
                    key_id=rewrapped.key_id,
                    wrapped=rewrapped.to_json(),
                    created_at=datetime.now(UTC),
                )
            )
    finally:
        store.close()


def rotate_data_key(url: str) -> None:
    """A new data key for the store: SQLCipher re-encrypts every page under it."""
    path = _store_file(url)
    key_file = keys.key_path(path)
    secret = keys.passphrase()
    old = keys.unwrap(keys.read_key_file(key_file), secret)
    new = keys.new_data_key()
    pending = keys.pending_path(key_file)
    keys.write_key_file(pending, keys.wrap(new, secret))
    _rekey(path, keys.subkey(old, "sqlcipher"), keys.subkey(new, "sqlcipher"))
    _rewrap_audit_key(path, old, new)
    os.replace(pending, key_file)


def _rewrap_audit_key(path: Path, old: bytes, new: bytes) -> None:
    """The audit signing key follows the data key (before the key file does: until then a
    reader tries both keys, as it does for the store)."""
    from refuge.storage import audit_chain
    from refuge.storage.columns import ColumnCipher

    audit_file = path.with_name(path.name + ".audit-key")
    if audit_file.exists():
        signing = audit_chain.read_key_file(audit_file, [ColumnCipher(old), ColumnCipher(new)])
        audit_chain.write_key_file(audit_file, signing, ColumnCipher(new))


def _rekey(path: Path, old: bytes, new: bytes) -> None:
    connection = sqlcipher_module().connect(str(path), isolation_level=None)
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(f"PRAGMA key = \"x'{old.hex()}'\"")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute(f"PRAGMA rekey = \"x'{new.hex()}'\"")
    except sqlcipher_module().DatabaseError:
        raise StoreError(f"cannot rekey the store at {path}: it is damaged") from None
    finally:
        connection.close()


def encrypt_plaintext_store(url: str) -> Path:
    """Encrypt a store an older refuge wrote in clear; the clear file is overwritten with
    zeros and removed (the disk may still hold old copies: see docs/security.md)."""
    path = _store_file(url)
    if keys.key_path(path).exists():
        raise StoreError(f"the store at {path} is already encrypted")
    if not path.exists():
        raise StoreError(f"no refuge store at {path}")
    secret = keys.passphrase(new=True, label="new passphrase for the store")
    data_key = keys.new_data_key()
    target = path.with_name(f".{path.name}.encrypting")
    target.unlink(missing_ok=True)
    _export_encrypted(path, target, keys.subkey(data_key, "sqlcipher"))
    keys.write_key_file(keys.key_path(path), keys.wrap(data_key, secret))
    for name in (f"{path.name}-wal", f"{path.name}-shm", path.name):
        _shred(path.with_name(name))
    os.replace(target, path)
    private_files(path)
    return path


def _export_encrypted(source: Path, target: Path, key: bytes) -> None:
    connection = sqlcipher_module().connect(str(source), isolation_level=None)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        where = str(target).replace("'", "''")
        connection.execute(f"ATTACH DATABASE '{where}' AS encrypted KEY \"x'{key.hex()}'\"")
        connection.execute("SELECT sqlcipher_export('encrypted')")
        version = connection.execute("PRAGMA main.user_version").fetchone()[0]
        connection.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        connection.execute("DETACH DATABASE encrypted")
    except sqlcipher_module().DatabaseError:
        target.unlink(missing_ok=True)
        raise StoreError(f"cannot read the store at {source}: it is damaged") from None
    finally:
        connection.close()
    os.chmod(target, 0o600)


def _shred(path: Path) -> None:
    """Overwrite a clear file before removing it (best effort: journaling file systems and
    SSDs may keep old blocks; full-disk encryption is what covers those)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with path.open("r+b") as handle:
        handle.write(b"\0" * size)
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
