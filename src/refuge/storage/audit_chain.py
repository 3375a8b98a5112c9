"""Tamper evidence for the audit trail: every entry is chained by SHA-256 to the one before and
signed with the store's Ed25519 key, so editing, deleting, reordering or inserting an entry is
detected by ``refuge audit verify``, which names the first bad entry.

What it proves and what it does not (see docs/security.md, "Audit"): without the private key
nobody can write an entry that verifies, so a database administrator or a thief of the
database cannot rewrite history unnoticed. Removing the newest entries (truncation) leaves a
valid shorter chain: ``verify`` prints the head (count and hash) so an operator can note it
off the machine and compare later. Someone holding the key file can re-sign everything: it
lives beside the data for the SQLite default (0600, in the 0700 data directory), away from the
database with PostgreSQL.

The key file holds the private key wrapped (AES-256-GCM) under the store's data key, through
the same column cipher PostgreSQL's personal columns use (keys.py: the data key is itself
wrapped by the passphrase), so a copy of the data directory or of the key file alone cannot
sign. A file written unwrapped by an older refuge is read and rewritten wrapped; only a store
opened in clear (the benchmark's baseline) keeps an unwrapped key.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, Engine, select

from refuge.storage.columns import ColumnCipher, ColumnKeyError
from refuge.storage.database import StoreError, data_dir

GENESIS = "0" * 64
AUDIT_LOCK = 7_261_206  # PostgreSQL advisory lock serialising appends to the chain


def canonical(
    prev: str,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    object_type: str,
    object_pk: int | None,
    detail: str,
) -> bytes:
    """The bytes an entry's hash covers: the previous hash, its position and every field.
    Times are normalised to UTC microseconds (SQLite returns them naive, PostgreSQL in the
    session's zone), fields are length-prefixed so no two entries encode alike."""
    moment = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC)
    fields = (
        prev,
        str(seq),
        moment.strftime("%Y-%m-%dT%H:%M:%S.%f"),
        actor,
        action,
        object_type,
        "" if object_pk is None else str(object_pk),
        detail,
    )
    return b"".join(len(f.encode()).to_bytes(4, "big") + f.encode() for f in fields)


def entry_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key_path(engine: Engine) -> Path:
    """Where the store's signing key lives: beside a SQLite file (``NAME.audit-key``), or in
    the data directory for PostgreSQL (one file per server and database)."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        db = Path(str(url.database))
        return db.with_name(db.name + ".audit-key")
    where = f"{url.host}:{url.port}/{url.database}"
    return data_dir() / f"audit-{hashlib.sha256(where.encode()).hexdigest()[:16]}.key"


_KEYS: dict[Path, Ed25519PrivateKey] = {}
_WRAPPED_HEADER = "refuge audit signing key, wrapped by the store's data key (v1)\n"
_WRAPPED_WHERE = "audit.signing_key"  # the associated data: this sealed value is the key


def signing_key(engine: Engine) -> Ed25519PrivateKey:
    """The store's Ed25519 key, created (0600, wrapped) on first use."""
    path = key_path(engine)
    if path not in _KEYS:
        ciphers = wrapping_ciphers(engine)
        if path.exists():
            _KEYS[path] = read_key_file(path, ciphers)
        else:
            _KEYS[path] = Ed25519PrivateKey.generate()
            write_key_file(path, _KEYS[path], ciphers[0] if ciphers else None)
    return _KEYS[path]


def existing_key(engine: Engine) -> Ed25519PrivateKey | None:
    path = key_path(engine)
    return read_key_file(path, wrapping_ciphers(engine)) if path.exists() else None


def wrapping_ciphers(engine: Engine) -> list[ColumnCipher]:
    """The ciphers of the store's data key (SQLite: also the key of an interrupted data-key
    rotation); none for a store opened in clear."""
    from refuge.storage import keys

    url = engine.url
    if url.get_backend_name() == "sqlite":
        key_file = keys.key_path(Path(str(url.database or "")))
        if url.database in (None, "", ":memory:") or not key_file.exists():
            return []
        return [ColumnCipher(k) for k in keys.load_data_keys(key_file)]
    with engine.connect():  # the first connection attaches the store's cipher
        found = getattr(engine.dialect, "refuge_cipher", None)
    return [found] if isinstance(found, ColumnCipher) else []


def read_key_file(path: Path, ciphers: Sequence[ColumnCipher]) -> Ed25519PrivateKey:
    """The signing key in ``path``, unwrapped with the first of ``ciphers`` that opens it. A
    key an older refuge wrote unwrapped is rewritten wrapped at once."""
    text = path.read_text(encoding="ascii")
    if text.startswith("-----BEGIN"):
        key = _from_pem(text.encode(), path)
        if ciphers:
            write_key_file(path, key, ciphers[0])
        return key
    sealed = text.removeprefix(_WRAPPED_HEADER).strip()
    for cipher in ciphers:
        try:
            return _from_pem(cipher.decrypt(sealed, _WRAPPED_WHERE).encode(), path)
        except ColumnKeyError:
            continue
    raise StoreError(
        f"the audit signing key {path} does not open with this store's key (it belongs to "
        "another store, or was altered): restore it from the backup of this store"
    )


def write_key_file(path: Path, key: Ed25519PrivateKey, cipher: ColumnCipher | None) -> None:
    """Write ``key`` atomically (0600), wrapped by ``cipher`` (None: unwrapped PEM, only for
    a store opened in clear)."""
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    text = pem if cipher is None else _WRAPPED_HEADER + cipher.encrypt(pem, _WRAPPED_WHERE) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _from_pem(pem: bytes, path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise StoreError(f"{path}: not an Ed25519 key")
    return key


def lock_head(connection: Connection) -> tuple[int, str]:
    """Serialise appends (PostgreSQL: a transaction-scoped advisory lock; SQLite writers are
    already serialised) and return the next position and the hash of the newest entry. The
    position is given explicitly, under the lock, so chain order and ``seq`` order agree."""
    from refuge.storage.tables import audit

    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({AUDIT_LOCK})")
    last = connection.execute(
        select(audit.c.seq, audit.c.hash).order_by(audit.c.seq.desc()).limit(1)
    ).first()
    if last is None:
        return 1, GENESIS
    return int(last.seq) + 1, str(last.hash) if last.hash else GENESIS


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of checking the chain: entries checked, entries written before the chain
    existed (not covered), the head hash, and the first bad entry with what is wrong."""

    checked: int
    unchained: int
    head: str
    first_bad: int | None = None
    problem: str | None = None
    signed: bool = True

    @property
    def ok(self) -> bool:
        return self.first_bad is None


def verify(connection: Connection, public: Ed25519PublicKey | None) -> Verdict:
    """Walk the entries in order, recomputing each hash from the one before, and check each
    signature with ``public`` (None: hashes only). Stops at the first bad entry."""
    from refuge.storage.tables import audit

    prev, checked, unchained = GENESIS, 0, 0
    rows = connection.execute(select(audit).order_by(audit.c.seq))
    for row in rows:
        if row.hash is None:
            if checked:
                return Verdict(checked, unchained, prev, row.seq, "entry without a hash")
            unchained += 1
            continue
        data = canonical(
            prev, row.seq, row.at, row.actor, row.action, row.object_type, row.object_pk, row.detail
        )
        if row.prev_hash != prev:
            return Verdict(checked, unchained, prev, row.seq, "does not follow the entry before")
        if entry_hash(data) != row.hash:
            return Verdict(checked, unchained, prev, row.seq, "content differs from its hash")
        if public is not None:
            try:
                public.verify(bytes.fromhex(row.signature or ""), bytes.fromhex(row.hash))
            except (InvalidSignature, ValueError):
                return Verdict(checked, unchained, prev, row.seq, "signature is not valid")
        prev, checked = row.hash, checked + 1
    return Verdict(checked, unchained, prev, signed=public is not None)


def public_fingerprint(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


__all__ = ["Verdict", "canonical", "lock_head", "signing_key", "verify"]
