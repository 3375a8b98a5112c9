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

Key seam: ``signing_key`` reads or creates the key file. Once the storage layer's key
hierarchy lands, the file should hold the key wrapped by the store's data key (replace
``_read_key``/``_write_key``); nothing else here changes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, Engine, select

from refuge.storage.database import data_dir

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


def signing_key(engine: Engine) -> Ed25519PrivateKey:
    """The store's Ed25519 key, created (0600) on first use."""
    path = key_path(engine)
    if path not in _KEYS:
        _KEYS[path] = _read_key(path) if path.exists() else _write_key(path)
    return _KEYS[path]


def existing_key(engine: Engine) -> Ed25519PrivateKey | None:
    path = key_path(engine)
    return _read_key(path) if path.exists() else None


def _read_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path}: not an Ed25519 key")
    return key


def _write_key(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
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
