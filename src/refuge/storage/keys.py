"""The key hierarchy that protects a store at rest (docs/security.md).

A random 256-bit **data key** encrypts the store. It is never written anywhere in clear: a
**key file** next to the store holds it wrapped (AES-GCM) by a **key-encryption key** derived
from the operator's passphrase with Argon2id. Changing the passphrase re-wraps 32 bytes and
re-encrypts nothing; rotating the data key rekeys the store. The keys actually used are
derived from the data key with HKDF, one per purpose (the SQLCipher page key, and for
PostgreSQL the column and blind-index keys), so no key serves two purposes.

The passphrase comes from ``REFUGE_PASSPHRASE``, else from the file named by
``REFUGE_KEY_FILE``, else from a prompt the terminal front door installs
(:func:`set_prompt`). The OS keyring is not used: servers and CI have none, and a key file
readable only by the service account does the same job there.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import json
import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from refuge.errors import RefugeError

KEY_FILE_FORMAT = "refuge-key-file"
#: RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes): about a quarter of a
#: second per unlock on a laptop, once per command.
DEFAULT_KDF = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}
#: Only for test suites, and only when REFUGE_TEST_FAST_KDF=1 is set explicitly when the key
#: file is written: the store is then as well protected as its passphrase alone.
TEST_KDF = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
MIN_PASSPHRASE = 12


class KeyProblem(RefugeError):
    """A key or passphrase problem: missing, wrong, or a damaged key file."""

    exit_code = 5


Prompt = Callable[[str, bool], str]


def terminal_prompt(label: str, confirm: bool) -> str:
    """Ask on the terminal without echo; twice for a new passphrase."""
    first = getpass.getpass(f"{label}: ")
    if confirm and getpass.getpass(f"{label} (again): ") != first:
        raise KeyProblem("the two passphrases differ; nothing was changed")
    return first


_prompt: Prompt | None = terminal_prompt if sys.stdin is not None and sys.stdin.isatty() else None
_unwrapped: dict[tuple[bytes, bytes], bytes] = {}


def set_prompt(prompt: Prompt | None) -> None:
    """Install how to ask a person for a passphrase: ``prompt(label, confirm) -> str``."""
    global _prompt
    _prompt = prompt


def key_path(store_path: Path) -> Path:
    """Where the wrapped data key of the SQLite store at ``store_path`` lives."""
    return store_path.with_name(store_path.name + ".key")


def passphrase(*, new: bool = False, label: str = "passphrase") -> str:
    """The operator's passphrase: ``REFUGE_PASSPHRASE``, the file ``REFUGE_KEY_FILE``, or a
    prompt (asked twice when ``new``)."""
    value = os.environ.get("REFUGE_PASSPHRASE")
    if not value and os.environ.get("REFUGE_KEY_FILE"):
        value = _read_key_file_env(Path(os.environ["REFUGE_KEY_FILE"]))
    if not value and _prompt is not None:
        value = _prompt(label, new)
    if not value:
        raise KeyProblem(
            "the store is encrypted and no passphrase was given: set REFUGE_PASSPHRASE or "
            "REFUGE_KEY_FILE, or run the command on a terminal"
        )
    if new and len(value) < MIN_PASSPHRASE:
        raise KeyProblem(f"the passphrase must have at least {MIN_PASSPHRASE} characters")
    return value


def new_passphrase(key_file: Path | None = None) -> str:
    """The passphrase a rotation changes to: ``key_file``, ``REFUGE_NEW_PASSPHRASE`` or a
    prompt asked twice."""
    value = _read_key_file_env(key_file) if key_file else os.environ.get("REFUGE_NEW_PASSPHRASE")
    if not value and _prompt is not None:
        value = _prompt("new passphrase", True)
    if not value:
        raise KeyProblem(
            "give the new passphrase: REFUGE_NEW_PASSPHRASE, --new-key-file, or a terminal"
        )
    if len(value) < MIN_PASSPHRASE:
        raise KeyProblem(f"the passphrase must have at least {MIN_PASSPHRASE} characters")
    return value


def _read_key_file_env(path: Path) -> str:
    """A passphrase file's content; refused when others may read the file (R29)."""
    try:
        if path.stat().st_mode & 0o077:
            raise KeyProblem(f"the key file {path} can be read by others: chmod 600 it")
        return path.read_text(encoding="utf-8").strip("\r\n")
    except OSError as exc:
        raise KeyProblem(f"cannot read the key file {path}: {exc.strerror}") from None


@dataclass(frozen=True, slots=True)
class WrappedKey:
    """A key file's content: the data key wrapped by the passphrase's key."""

    key_id: str
    salt: bytes
    kdf: dict[str, int]
    wrapped: bytes

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": KEY_FILE_FORMAT,
                "version": 1,
                "key_id": self.key_id,
                "kdf": {"name": "argon2id", "salt": _b64(self.salt), **self.kdf},
                "wrapped": _b64(self.wrapped),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str, where: Path | str) -> WrappedKey:
        try:
            data = json.loads(text)
            if data.get("format") != KEY_FILE_FORMAT or data.get("version") != 1:
                raise ValueError
            kdf = data["kdf"]
            params = {k: int(kdf[k]) for k in ("time_cost", "memory_cost", "parallelism")}
            return cls(str(data["key_id"]), _unb64(kdf["salt"]), params, _unb64(data["wrapped"]))
        except (ValueError, KeyError, TypeError):
            raise KeyProblem(f"the key file {where} is damaged or not a refuge key file") from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _kek(secret: str, salt: bytes, kdf: dict[str, int]) -> bytes:
    return hash_secret_raw(secret.encode("utf-8"), salt, hash_len=32, type=Type.ID, **kdf)


def _kdf_params() -> dict[str, int]:
    return dict(TEST_KDF if os.environ.get("REFUGE_TEST_FAST_KDF") == "1" else DEFAULT_KDF)


def wrap(data_key: bytes, secret: str) -> WrappedKey:
    """Wrap ``data_key`` under a fresh salt and the current Argon2id parameters."""
    salt, key_id, kdf = secrets.token_bytes(16), secrets.token_hex(8), _kdf_params()
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_kek(secret, salt, kdf)).encrypt(nonce, data_key, _ad(key_id))
    return WrappedKey(key_id, salt, kdf, nonce + sealed)


def unwrap(wrapped: WrappedKey, secret: str) -> bytes:
    """The data key, or a one-line error when the passphrase is wrong."""
    cache = (wrapped.to_json().encode(), hashlib.sha256(secret.encode()).digest())
    if cache in _unwrapped:
        return _unwrapped[cache]
    kek = _kek(secret, wrapped.salt, wrapped.kdf)
    try:
        key = AESGCM(kek).decrypt(wrapped.wrapped[:12], wrapped.wrapped[12:], _ad(wrapped.key_id))
    except InvalidTag:
        raise KeyProblem("wrong passphrase for the store (nothing was changed)") from None
    _unwrapped[cache] = key
    return key


def _ad(key_id: str) -> bytes:
    return f"refuge data key v1 {key_id}".encode()


def new_data_key() -> bytes:
    return secrets.token_bytes(32)


def subkey(data_key: bytes, purpose: str) -> bytes:
    """A key for one purpose (``sqlcipher``, ``columns``, ``blind-index``...) from the data
    key, with HKDF-SHA256."""
    return HKDF(hashes.SHA256(), 32, salt=None, info=f"refuge/{purpose}".encode()).derive(data_key)


def read_key_file(path: Path) -> WrappedKey:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyProblem(f"no key file at {path}") from None
    return WrappedKey.from_json(text, path)


def write_key_file(path: Path, wrapped: WrappedKey) -> None:
    """Write atomically, 0600: a torn key file would lock the team out of its own store."""
    temporary = path.with_name(f".{path.name}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(wrapped.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def pending_path(path: Path) -> Path:
    """The key file of a data-key rotation in progress (see services/keys.py)."""
    return path.with_name(path.name + ".new")


def load_data_keys(path: Path) -> list[bytes]:
    """The data key of the key file at ``path`` (unwrapped with the operator's passphrase),
    followed by the key of an interrupted rotation if one is pending."""
    found = [unwrap(read_key_file(path), passphrase())]
    pending = pending_path(path)
    if pending.exists():
        found.append(unwrap(read_key_file(pending), passphrase()))
    return found
