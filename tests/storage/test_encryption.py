"""Data at rest (issue 13, docs/security.md): the store is an encrypted file, keys rotate,
backups and exports are sealed, damage and newer schemas are refused clearly.

The canary test reads the raw bytes of every file refuge could have written (the data
directory, backups, exports and the temporary directory) and requires that a name from an
ingested report appears nowhere in clear, while the same name is readable through refuge.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyrage
import pytest
from click.testing import CliRunner
from sqlalchemy import text

from refuge.cli import cli
from refuge.services import backup as backup_svc
from refuge.services import keys as keys_svc
from refuge.services import store as svc
from refuge.storage import StoreError, keys, open_store
from refuge.storage.database import create_store_engine
from refuge.storage.migrate import upgrade

CANARY = "Vsevolod Kanareykin"
REPORT = f"""Court upholds deportation of activist

Almaty, 14 March 2023. A regional court on Tuesday upheld the deportation order against
{CANARY}, a human rights activist who fled Russia. {CANARY.split()[1]} applied for asylum in
Kazakhstan in January 2023 and has been held in a migration centre since. "The court did not
even read our appeal," his lawyer said.
"""


@pytest.fixture
def tmpdir_watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary directory of this test's own, used by refuge and everything it calls."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


def _run(args: list[str], ok: bool = True) -> str:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result.output


def _files(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


def _in_clear(path: Path, needle: str) -> bool:
    data = path.read_bytes().lower()
    return any(form in data for form in _forms(needle))


def _forms(needle: str) -> list[bytes]:
    word = needle.split()[1].lower()
    return [word.encode("utf-8"), word.encode("utf-16-le")]


def _encodings(key: bytes) -> list[bytes]:
    import base64

    return [key, key.hex().encode(), key.hex().upper().encode(), base64.b64encode(key)]


@pytest.fixture
def identity(tmp_path: Path) -> tuple[Path, str]:
    """An age identity file (outside the data directory) and its public key."""
    key = pyrage.x25519.Identity.generate()
    path = tmp_path / "keys" / "identity.txt"
    path.parent.mkdir()
    path.write_text(str(key) + "\n", encoding="utf-8")
    return path, str(key.to_public())


def test_a_canary_name_is_nowhere_on_disk_in_clear(
    tmp_path: Path, tmpdir_watched: Path, identity: tuple[Path, str]
) -> None:
    data = tmp_path / "data"
    url = f"sqlite:///{data / 'refuge.db'}"
    reports = tmp_path / "in"
    reports.mkdir()
    (reports / "report.txt").write_text(REPORT, encoding="utf-8")
    identity_file, public = identity
    db = ["--database", url]
    _run(["init", *db])
    _run(["ingest", str(reports), "--host", "KZ", "--json", *db])
    listed = json.loads(_run(["cases", "--json", "--at", "2023-03-20", *db]))
    assert any(CANARY.split()[1] in c["name"] for c in listed), "the report was not stored"
    (data / "backups").mkdir()
    _run(["backup", "-o", str(data / "backups" / "b.age"), "-r", public, *db])
    _run(["export", "--format", "json", "-o", str(data / "all.age"), "-r", public, *db])
    armored = _run(["export", "-r", public, *db])
    assert armored.startswith("-----BEGIN AGE ENCRYPTED FILE-----")
    assert not any(f.encode() in armored.encode().lower() for f in ["kanareykin"])
    opened = pyrage.decrypt((data / "all.age").read_bytes(), backup_svc.identities(identity_file))
    assert CANARY.split()[1].encode() in opened  # the export holds the name, sealed

    written = _files(data, tmpdir_watched)
    assert {p.name for p in written} >= {"refuge.db", "refuge.db.key", "b.age", "all.age"}
    leaks = [str(p) for p in written if _in_clear(p, CANARY)]
    assert leaks == []
    data_key = keys.load_data_keys(data / "refuge.db.key")[0]
    secrets = [k for key in (data_key, keys.subkey(data_key, "sqlcipher")) for k in _encodings(key)]
    assert [str(p) for p in written if any(k in p.read_bytes() for k in secrets)] == []
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(data / "refuge.db").execute("SELECT count(*) FROM sqlite_master").fetchall()
    assert all(p.stat().st_mode & 0o077 == 0 for p in written)


def test_a_plaintext_store_is_refused_then_encrypted_by_db_encrypt(tmp_path: Path) -> None:
    """A store an older refuge wrote in clear is refused until `refuge db encrypt`."""
    path = tmp_path / "old" / "refuge.db"
    url = f"sqlite:///{path}"
    engine = create_store_engine(url, plaintext=True)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit (at, actor, action, object_type, detail) "
                f"VALUES ('2026-01-01', '{CANARY}', 'create', 'x', 'case')"
            )
        )
    engine.dispose()
    assert _in_clear(path, CANARY)
    with pytest.raises(StoreError, match="not encrypted: run `refuge db encrypt`"):
        open_store(url)
    _run(["db", "encrypt", "--database", url])
    assert not any(_in_clear(p, CANARY) for p in _files(path.parent))
    store = open_store(url)
    with store.read() as connection:
        assert connection.execute(text("SELECT actor FROM audit")).scalar() == CANARY
    store.close()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchall()


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in _files(folder)}


def test_a_wrong_passphrase_gives_one_line_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'refuge.db'}"
    svc.init_store(url)
    before = _digest(tmp_path / "data")
    monkeypatch.setenv("REFUGE_PASSPHRASE", "not the right passphrase")
    result = CliRunner().invoke(cli, ["cases", "--database", url])
    assert result.exit_code != 0
    assert isinstance(result.exception, StoreError | keys.KeyProblem)
    assert str(result.exception) == "wrong passphrase for the store (nothing was changed)"
    assert _digest(tmp_path / "data") == before
    command = [sys.executable, "-c", "from refuge.cli import main; main()", "cases"]
    done = subprocess.run(
        [*command, "--database", url], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr.strip().splitlines()) == (
        5,
        ["error: wrong passphrase for the store (nothing was changed)"],
    )
    assert _digest(tmp_path / "data") == before


def test_the_passphrase_can_come_from_a_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret"
    secret.write_text("a passphrase kept in a file\n", encoding="utf-8")
    monkeypatch.delenv("REFUGE_PASSPHRASE")
    monkeypatch.setenv("REFUGE_KEY_FILE", str(secret))
    url = f"sqlite:///{tmp_path / 'data' / 'refuge.db'}"
    secret.chmod(0o644)
    with pytest.raises(keys.KeyProblem, match="can be read by others"):
        svc.init_store(url)
    secret.chmod(0o600)
    svc.init_store(url)
    open_store(url).close()
    monkeypatch.setenv("REFUGE_PASSPHRASE", "a passphrase kept in a file")
    open_store(url).close()  # the same secret by either route
    monkeypatch.delenv("REFUGE_KEY_FILE")
    monkeypatch.delenv("REFUGE_PASSPHRASE")
    with pytest.raises(keys.KeyProblem, match="REFUGE_PASSPHRASE or REFUGE_KEY_FILE"):
        open_store(url)


def test_the_default_kdf_is_the_strong_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REFUGE_TEST_FAST_KDF")
    url = f"sqlite:///{tmp_path / 'data' / 'refuge.db'}"
    keys_svc.ensure_key(url)
    written = json.loads((tmp_path / "data" / "refuge.db.key").read_text(encoding="utf-8"))
    assert written["kdf"]["name"] == "argon2id"
    assert {k: written["kdf"][k] for k in keys.DEFAULT_KDF} == keys.DEFAULT_KDF
    assert keys.DEFAULT_KDF["memory_cost"] >= 65536


def _cases(url: str) -> list[str]:
    store = open_store(url)
    try:
        return [c.id for c in svc.load_cases(store)]
    finally:
        store.close()


def test_key_rotation_keeps_the_data_readable(
    tmp_path: Path, zhilin_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data" / "refuge.db"
    url = f"sqlite:///{path}"
    svc.init_store(url)
    store = open_store(url)
    svc.import_cases(store, [zhilin_file], "tester")
    store.close()
    old_key = keys.subkey(keys.load_data_keys(keys.key_path(path))[0], "sqlcipher")
    store_bytes = hashlib.sha256(path.read_bytes()).hexdigest()

    monkeypatch.setenv("REFUGE_NEW_PASSPHRASE", "the second passphrase of the store")
    assert "passphrase changed" in _run(["key", "rotate", "--database", url])
    assert hashlib.sha256(path.read_bytes()).hexdigest() == store_bytes  # nothing re-encrypted
    with pytest.raises(keys.KeyProblem, match="wrong passphrase"):
        open_store(url)
    monkeypatch.setenv("REFUGE_PASSPHRASE", "the second passphrase of the store")
    assert _cases(url) == ["zhilin-2022"]

    assert "re-encrypted" in _run(["key", "rotate", "--data-key", "--database", url])
    assert not keys.pending_path(keys.key_path(path)).exists()
    assert _cases(url) == ["zhilin-2022"]
    with pytest.raises(StoreError, match="cannot decrypt"):
        create_store_engine(url, page_key=old_key)


def test_an_interrupted_data_key_rotation_still_opens(tmp_path: Path, zhilin_file: Path) -> None:
    """Crash after the rekey, before the pending key file replaced the old one."""
    path = tmp_path / "data" / "refuge.db"
    url = f"sqlite:///{path}"
    svc.init_store(url)
    key_file = keys.key_path(path)
    old = keys.load_data_keys(key_file)[0]
    new = keys.new_data_key()
    keys.write_key_file(keys.pending_path(key_file), keys.wrap(new, keys.passphrase()))
    keys_svc._rekey(path, keys.subkey(old, "sqlcipher"), keys.subkey(new, "sqlcipher"))
    assert _cases(url) == []


def _backup(url: str, public: str, out: Path) -> None:
    backup_svc.backup(url, backup_svc.recipients([public], []), out, "tester")


def test_backup_restore_round_trip(
    store_url: str, tmp_path: Path, zhilin_file: Path, identity: tuple[Path, str], second_url: str
) -> None:
    identity_file, public = identity
    store = open_store(store_url)
    svc.import_cases(store, [zhilin_file], "tester")
    before = svc.export_cases(store, "json", "tester")
    store.close()
    out = tmp_path / "backup.age"
    _backup(store_url, public, out)
    assert out.stat().st_mode & 0o777 == 0o600
    target = second_url
    if target.startswith("postgresql"):
        svc.init_store(target)
    revision = backup_svc.restore(
        out, backup_svc.identities(identity_file), target, replace=False, actor="tester"
    )
    assert revision == svc.store_revision(target)[0]
    store = open_store(target)
    assert svc.export_cases(store, "json", "tester") == before
    svc.import_cases(store, [zhilin_file], "tester")  # sequences continue after a restore
    store.close()


def test_a_tampered_or_foreign_backup_is_refused_and_changes_nothing(
    tmp_path: Path, zhilin_file: Path, identity: tuple[Path, str]
) -> None:
    identity_file, public = identity
    url = f"sqlite:///{tmp_path / 'data' / 'refuge.db'}"
    svc.init_store(url)
    store = open_store(url)
    svc.import_cases(store, [zhilin_file], "tester")
    store.close()
    out = tmp_path / "backup.age"
    _backup(url, public, out)
    before = _digest(tmp_path / "data")
    tampered = bytearray(out.read_bytes())
    tampered[len(tampered) // 2] ^= 0x01
    (tmp_path / "tampered.age").write_bytes(bytes(tampered))
    ids = backup_svc.identities(identity_file)
    with pytest.raises(StoreError, match="altered"):
        backup_svc.restore(tmp_path / "tampered.age", ids, url, replace=True, actor="t")
    stranger = [pyrage.x25519.Identity.generate()]
    with pytest.raises(StoreError, match="not for this identity"):
        backup_svc.restore(out, stranger, url, replace=True, actor="t")
    with pytest.raises(StoreError, match="--replace"):
        backup_svc.restore(out, ids, url, replace=False, actor="t")
    assert _digest(tmp_path / "data") == before


def test_a_damaged_store_is_refused_with_the_way_out(tmp_path: Path, zhilin_file: Path) -> None:
    path = tmp_path / "data" / "refuge.db"
    url = f"sqlite:///{path}"
    svc.init_store(url)
    store = open_store(url)
    svc.import_cases(store, [zhilin_file], "tester")
    store.close()  # the last connection checkpoints the WAL into the file
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page + 100 : 3 * page + 164] = os.urandom(64)  # a page in the middle
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"damaged.*refuge restore"):
        open_store(url)
    result = CliRunner().invoke(cli, ["db", "check", "--database", url])
    assert result.exit_code != 0 and "damaged" in str(result.exception)


def test_a_newer_schema_is_refused_without_a_traceback(store_url: str) -> None:
    engine = create_store_engine(store_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '29991231_9999'"))
    engine.dispose()
    for attempt in (open_store, svc.upgrade_store, svc.init_store):
        with pytest.raises(StoreError, match="newer than this refuge"):
            attempt(store_url)


def test_upgrade_takes_a_backup_first(tmp_path: Path) -> None:
    path = tmp_path / "data" / "refuge.db"
    url = f"sqlite:///{path}"
    keys_svc.ensure_key(url)
    engine = create_store_engine(url)
    upgrade(engine, "auth01")  # a revision behind head
    engine.dispose()
    done = svc.upgrade_store(url)
    assert done.before != done.after and done.backup is not None
    assert done.backup.parent == path.parent / "backups"
    assert done.backup.stat().st_mode & 0o777 == 0o600
    key = keys.subkey(keys.load_data_keys(keys.key_path(path))[0], "sqlcipher")
    copy = create_store_engine(f"sqlite:///{done.backup}", page_key=key)
    with copy.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    copy.dispose()
    assert version == done.before


def test_postgres_without_fsync_is_warned_about(
    store_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    if not store_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL server setting")
    with caplog.at_level(logging.WARNING, logger="refuge.storage"):
        open_store(store_url).close()
    assert any("fsync is off" in r.getMessage() for r in caplog.records)  # the test server: -F
    assert backup_svc.check_store(store_url)[0].startswith("fsync is off")


def test_a_loose_data_directory_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "loose"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    url = f"sqlite:///{folder / 'refuge.db'}"
    svc.init_store(url)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in _files(folder))
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    with pytest.raises(StoreError, match="shared with other users"):
        svc.init_store(f"sqlite:///{shared / 'refuge.db'}")


def test_pseudonymised_exports_keep_dates_and_drop_names(store: object, zhilin_file: Path) -> None:
    from refuge.storage import Store

    assert isinstance(store, Store)
    svc.import_cases(store, [zhilin_file], "tester")
    clear = json.loads(svc.export_cases(store, "json", "tester"))[0]
    first = json.loads(svc.export_cases(store, "json", "tester", pseudonymise=True))[0]
    second = json.loads(svc.export_cases(store, "json", "tester", pseudonymise=True))[0]
    dumped = json.dumps(first, ensure_ascii=False)
    assert "Zhilin" not in dumped and "Жилин" not in dumped and "Ernazar" not in dumped
    person = first["case"]["person"]
    assert person["name"].startswith("person-") and person["aliases"][0].startswith("person-")
    assert person["name"] != second["case"]["person"]["name"]  # unlinkable across exports
    assert first["case"]["host"] == "KZ" and first["case"]["origin"] == "RU"

    def dates(export: dict[str, Any]) -> list[Any]:
        return [
            (d["earliest"], d["latest"]) if isinstance(d := e["date"], dict) else (d, d)
            for e in export["events"]
        ]

    assert dates(first) == dates(clear)
    assert [e["type"] for e in first["events"]] == [e["type"] for e in clear["events"]]
    assert "quote" in json.dumps(clear) and "quote" not in dumped
