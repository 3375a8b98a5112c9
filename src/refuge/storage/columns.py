"""Application-level encryption of the personal columns on PostgreSQL (docs/security.md).

A SQLite store is one encrypted file (SQLCipher), so its columns are stored as they are. On
PostgreSQL the database administrator reads the tables, so the columns that hold people's
lives (names, aliases, report texts, quotes, notes, free-text attributes, source titles and
URLs, merge proposals) are encrypted by refuge before they leave the process: AES-256-GCM
under a column key derived from the store's data key, a fresh 96-bit nonce per value, and
``table.column`` as associated data, so a value moved to another column fails to decrypt.

What must be looked up stays searchable through **blind indexes**: the merge index
(``name_keys``: the first three letters of every folded name token) holds
HMAC-SHA256(blind-index key, key) truncated to 64 bits instead of the letters, so identity
resolution finds the same candidates without the server seeing a name.

The types below do this transparently for every query: ``process_bind_param`` encrypts (or
blinds) and ``process_result_value`` decrypts, using the cipher that ``database.py`` attaches
to the engine's dialect when it opens a PostgreSQL store. A PostgreSQL store without a cipher
refuses to write personal data (fail closed) instead of writing it in clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import JSON, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from refuge.errors import RefugeError
from refuge.storage import keys

PREFIX = "v1:"
#: The encrypted columns, by kind (the migration that encrypts an existing store walks them).
TEXT_COLUMNS = (
    ("people", "name"), ("people", "born_text"), ("reports", "text"), ("sources", "title"),
    ("sources", "outlet"), ("sources", "url"), ("sources", "published_text"),
    ("events", "date_text"), ("events", "note"), ("evidence", "quote"),
)  # fmt: skip
JSON_COLUMNS = (("people", "aliases"), ("events", "attrs"), ("merges", "candidate"))


class ColumnKeyError(RefugeError):
    exit_code = 5


class ColumnCipher:
    """The column and blind-index keys of one store."""

    def __init__(self, data_key: bytes) -> None:
        self._aead = AESGCM(keys.subkey(data_key, "columns"))
        self._blind = keys.subkey(data_key, "blind-index")

    def encrypt(self, value: str, where: str) -> str:
        nonce = secrets.token_bytes(12)
        sealed = self._aead.encrypt(nonce, value.encode("utf-8"), where.encode())
        return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, value: str, where: str) -> str:
        if not value.startswith(PREFIX):
            raise ColumnKeyError(f"{where} holds a value refuge did not encrypt")
        raw = base64.b64decode(value[len(PREFIX) :])
        try:
            return self._aead.decrypt(raw[:12], raw[12:], where.encode()).decode("utf-8")
        except InvalidTag:
            raise ColumnKeyError(
                f"{where}: a value fails authentication (altered, moved, or another key)"
            ) from None

    def blind(self, value: str, purpose: str) -> str:
        mac = hmac.new(self._blind, f"{purpose}\0{value}".encode(), hashlib.sha256)
        return mac.hexdigest()[:16]


def cipher_of(dialect: Dialect) -> ColumnCipher | None:
    """The cipher of a PostgreSQL store; None for SQLite (the whole file is encrypted)."""
    if dialect.name != "postgresql":
        return None
    found = getattr(dialect, "refuge_cipher", None)
    if found is None:
        raise ColumnKeyError("this PostgreSQL store has no column key yet: run `refuge db upgrade`")
    assert isinstance(found, ColumnCipher)
    return found


class EncryptedText(TypeDecorator[str]):
    """Text, encrypted on PostgreSQL."""

    impl = Text
    cache_ok = True

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        cipher = cipher_of(dialect) if value is not None else None
        return value if cipher is None or value is None else cipher.encrypt(value, self.where)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        cipher = cipher_of(dialect) if value is not None else None
        return value if cipher is None or value is None else cipher.decrypt(value, self.where)


class EncryptedJSON(TypeDecorator[Any]):
    """JSON, stored on PostgreSQL as a JSON string holding the encrypted document."""

    impl = JSON
    cache_ok = True

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        cipher = cipher_of(dialect) if value is not None else None
        if cipher is None:
            return value
        return cipher.encrypt(json.dumps(value, ensure_ascii=False), self.where)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        cipher = cipher_of(dialect) if value is not None else None
        if cipher is None or not isinstance(value, str):
            return value
        return json.loads(cipher.decrypt(value, self.where))


class BlindKey(TypeDecorator[str]):
    """A lookup key, replaced on PostgreSQL by its keyed HMAC (equality still works)."""

    impl = String(16)
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        cipher = cipher_of(dialect) if value is not None else None
        return value if cipher is None or value is None else cipher.blind(value, self.purpose)


def attach_cipher(dialect: Dialect, dbapi_connection: Any) -> None:
    """On a new PostgreSQL connection: unwrap the store's data key (once per engine) and
    attach its cipher to the dialect. A store without ``store_keys`` yet (before the
    migration that creates it) gets none."""
    if getattr(dialect, "refuge_cipher", None) is not None:
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SELECT to_regclass('store_keys')")
        (exists,) = cursor.fetchone()
        row = None
        if exists is not None:
            cursor.execute("SELECT wrapped FROM store_keys ORDER BY created_at DESC LIMIT 1")
            row = cursor.fetchone()
    finally:
        cursor.close()
    dbapi_connection.rollback()
    if row is not None:
        wrapped = keys.WrappedKey.from_json(row[0], "store_keys")
        dialect.refuge_cipher = ColumnCipher(keys.unwrap(wrapped, keys.passphrase()))  # type: ignore[attr-defined]
