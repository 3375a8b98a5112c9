"""The audit trail is tamper-evident on SQLite and PostgreSQL: every kind of tampering (edit,
delete, reorder, insert, a re-hashed rewrite) is detected and the first bad entry named;
concurrent writers do not fork the chain."""

from __future__ import annotations

import base64
import secrets
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from sqlalchemy import delete, insert, select, update

from refuge.storage import Store, StoreError
from refuge.storage.audit import record
from refuge.storage.audit_chain import (
    canonical,
    entry_hash,
    existing_key,
    key_path,
    read_key_file,
    verify,
)
from refuge.storage.columns import ColumnCipher
from refuge.storage.tables import audit


def _write(store: Store, count: int) -> None:
    for i in range(count):
        with store.write() as connection:
            record(connection, f"user{i}", "read", "case", i, f"case {i} read")


def _verdict(store: Store):  # type: ignore[no-untyped-def]
    key = existing_key(store.engine)
    assert key is not None
    with store.read() as connection:
        return verify(connection, key.public_key())


def _row(store: Store, seq: int) -> dict[str, object]:
    with store.read() as connection:
        return dict(connection.execute(select(audit).where(audit.c.seq == seq)).one()._mapping)


def test_an_untouched_trail_verifies_and_its_key_is_private(store: Store) -> None:
    _write(store, 6)
    verdict = _verdict(store)
    assert verdict.ok and verdict.checked == 6 and verdict.signed
    assert key_path(store.engine).stat().st_mode & 0o777 == 0o600


def test_an_edited_entry_is_named(store: Store) -> None:
    _write(store, 6)
    with store.write() as connection:
        connection.execute(update(audit).where(audit.c.seq == 3).values(actor="someone else"))
    verdict = _verdict(store)
    assert (verdict.first_bad, verdict.problem) == (3, "content differs from its hash")
    assert verdict.checked == 2


def test_a_deleted_entry_is_detected_at_the_next(store: Store) -> None:
    _write(store, 6)
    with store.write() as connection:
        connection.execute(delete(audit).where(audit.c.seq == 3))
    verdict = _verdict(store)
    assert (verdict.first_bad, verdict.problem) == (4, "does not follow the entry before")


def test_reordered_entries_are_detected(store: Store) -> None:
    _write(store, 6)
    three, four = _row(store, 3), _row(store, 4)
    with store.write() as connection:
        for seq, source in ((3, four), (4, three)):
            values = {k: v for k, v in source.items() if k != "seq"}
            connection.execute(update(audit).where(audit.c.seq == seq).values(**values))
    verdict = _verdict(store)
    assert (verdict.first_bad, verdict.problem) == (3, "does not follow the entry before")


def test_an_inserted_entry_with_a_forged_signature_is_named(store: Store) -> None:
    _write(store, 4)
    last = _row(store, 4)
    forger = Ed25519PrivateKey.generate()
    at = last["at"]
    data = canonical(str(last["hash"]), 5, at, "intruder", "read", "case", 1, "case 1 read")  # type: ignore[arg-type]
    digest = entry_hash(data)
    with store.write() as connection:
        connection.execute(
            insert(audit).values(
                seq=5, at=at, actor="intruder", action="read", object_type="case", object_pk=1,
                detail="case 1 read", prev_hash=last["hash"], hash=digest,
                signature=forger.sign(bytes.fromhex(digest)).hex(),
            )
        )  # fmt: skip
    verdict = _verdict(store)
    assert (verdict.first_bad, verdict.problem) == (5, "signature is not valid")


def test_a_rewritten_and_rehashed_chain_fails_on_signatures(store: Store) -> None:
    _write(store, 4)
    row = _row(store, 2)
    data = canonical(
        str(row["prev_hash"]),
        2,
        row["at"],  # type: ignore[arg-type]
        "nobody",
        "read",
        "case",
        1,
        "case 1 read",
    )
    with store.write() as connection:
        connection.execute(
            update(audit).where(audit.c.seq == 2).values(actor="nobody", hash=entry_hash(data))
        )
    verdict = _verdict(store)
    assert (verdict.first_bad, verdict.problem) == (2, "signature is not valid")


def test_concurrent_writers_do_not_fork_the_chain(store: Store) -> None:
    def writer() -> None:
        _write(store, 10)

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    verdict = _verdict(store)
    assert verdict.ok and verdict.checked == 80


def test_the_cli_names_the_first_bad_entry(store: Store, store_url: str) -> None:
    _write(store, 3)
    command = [sys.executable, "-m", "refuge", "audit", "verify", "--db", store_url]
    intact = subprocess.run(command, capture_output=True, text=True, check=False)
    assert intact.returncode == 0, intact.stderr
    assert "audit trail intact: 3 entries" in intact.stdout
    with store.write() as connection:
        connection.execute(update(audit).where(audit.c.seq == 2).values(detail="edited"))
    broken = subprocess.run(command, capture_output=True, text=True, check=False)
    assert broken.returncode == 5
    assert "audit entry 2: content differs from its hash" in broken.stderr


@pytest.fixture(autouse=True)
def _key_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """PostgreSQL stores keep their key in the data directory: a private one per test."""
    monkeypatch.setenv("REFUGE_DATA_DIR", str(tmp_path) + "/data-dir")


def test_the_signing_key_is_wrapped_by_the_stores_data_key(store: Store) -> None:
    """The key file holds no usable private key: neither PEM nor the raw key bytes; a cipher
    of another data key cannot open it; the store's own can (the chain verifies)."""
    _write(store, 2)
    path = key_path(store.engine)
    key = existing_key(store.engine)
    assert key is not None and _verdict(store).ok
    text = path.read_text(encoding="ascii")
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    assert "PRIVATE KEY" not in text and raw.hex() not in text
    assert base64.b64encode(raw).decode() not in text
    with pytest.raises(StoreError, match="does not open with this store's key"):
        read_key_file(path, [ColumnCipher(secrets.token_bytes(32))])


def test_a_signing_key_written_unwrapped_is_rewrapped_on_first_use(store: Store) -> None:
    path = key_path(store.engine)
    legacy = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(legacy.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    found = existing_key(store.engine)
    assert found is not None
    public = (Encoding.Raw, PublicFormat.Raw)
    assert found.public_key().public_bytes(*public) == legacy.public_key().public_bytes(*public)
    assert "PRIVATE KEY" not in path.read_text(encoding="ascii")
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_data_key_rotation_rewraps_the_signing_key(sqlite_store_url: str) -> None:
    from refuge.services.keys import rotate_data_key
    from refuge.storage import open_store

    store = open_store(sqlite_store_url)
    _write(store, 3)
    before = key_path(store.engine).read_text(encoding="ascii")
    store.close()
    rotate_data_key(sqlite_store_url)
    store = open_store(sqlite_store_url)
    try:
        assert key_path(store.engine).read_text(encoding="ascii") != before
        verdict = _verdict(store)
        assert verdict.ok and verdict.checked == 3 and verdict.signed
    finally:
        store.close()


@pytest.fixture
def sqlite_store_url(tmp_path: Path) -> str:
    from refuge.services.store import init_store

    url = f"sqlite:///{tmp_path / 'rotated' / 'refuge.db'}"
    init_store(url)
    return url
