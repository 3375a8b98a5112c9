"""PostgreSQL: what the database administrator sees (docs/security.md).

The personal columns hold only ciphertext and the merge index only keyed HMACs, read here
with a plain connection that knows nothing of refuge's types; merging still works (the merge
tests run on PostgreSQL too); migrating down decrypts and up encrypts again.
"""

from __future__ import annotations

import base64
import glob
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from refuge.services import store as svc
from refuge.storage import Store, open_store
from refuge.storage.database import create_store_engine
from refuge.storage.merge import fold
from refuge.storage.migrate import upgrade

SECRETS = ("zhilin", "жилин", "ernazar", "mikhail")


def _everything_as_text(url: str, *, case_ids: bool = False) -> str:
    """Every row of every table, as PostgreSQL itself renders it; without the case ids
    unless asked (they are identifiers, visible by design: docs/security.md says so)."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
        dumped = [
            str(connection.execute(text(f'SELECT {_row(name, case_ids)} FROM "{name}" t')).all())
            for name in tables
        ]
    engine.dispose()
    return "\n".join(dumped).lower()


def _row(table: str, case_ids: bool) -> str:
    return "(to_jsonb(t) - 'id')::text" if table == "cases" and not case_ids else "t::text"


@pytest.fixture
def pg_store(store: Store, zhilin_file: Path) -> Store:
    if store.dialect != "postgresql":
        pytest.skip("application-level column encryption is for PostgreSQL")
    svc.import_cases(store, [zhilin_file], "tester")
    return store


def test_personal_columns_are_ciphertext_to_the_server(pg_store: Store) -> None:
    url = pg_store.engine.url.render_as_string(hide_password=False)
    seen = _everything_as_text(url)
    assert "v1:" in seen and "kz" in seen  # ciphertext, and the unencrypted host state
    assert [s for s in SECRETS if s in seen] == []
    assert "zhilin" in _everything_as_text(url, case_ids=True)  # the example's id: zhilin-2022
    assert fold("Zhilin")[:3] not in _keys(url)  # blind index, not letters
    case = svc.load_cases(pg_store)[0]
    assert case.person.name == "Mikhail Zhilin"  # and refuge reads them back


def _keys(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = list(connection.execute(text("SELECT key FROM name_keys")).scalars())
    engine.dispose()
    return found


def test_migrating_down_decrypts_and_up_encrypts_again(pg_store: Store) -> None:
    url = pg_store.engine.url.render_as_string(hide_password=False)
    before = svc.export_cases(pg_store, "json", "tester")
    pg_store.close()
    engine = create_store_engine(url)
    upgrade_down(engine, "0200")
    engine.dispose()
    seen = _everything_as_text(url)
    assert "ernazar" in seen and "v1:" not in seen
    assert "jil" in _keys(url)
    engine = create_store_engine(url)
    upgrade(engine)
    engine.dispose()
    assert "ernazar" not in _everything_as_text(url)
    store = open_store(url)
    assert svc.export_cases(store, "json", "tester") == before
    store.close()


def upgrade_down(engine: object, revision: str) -> None:
    from alembic import command
    from sqlalchemy import Engine

    from refuge.storage.migrate import alembic_config

    assert isinstance(engine, Engine)
    with engine.connect().execution_options(refuge_write=True) as connection, connection.begin():
        command.downgrade(alembic_config(connection), revision)


def test_names_are_found_through_the_blind_index(pg_store: Store) -> None:
    """The case search's name condition on PostgreSQL (api/service.py) uses keyed tokens."""
    from sqlalchemy import select

    from refuge.api.service import _blind_name
    from refuge.storage.tables import cases

    with pg_store.read() as connection:

        def found(query: str) -> list[str]:
            return list(connection.execute(select(cases.c.id).where(_blind_name(query))).scalars())

        assert found("Zhilin") == found("Жилин") == found("mikhail zhilin") == ["zhilin-2022"]
        assert found("Petrov") == [] and found("zh") == []


def test_a_passphrase_change_rewraps_the_postgres_key(
    pg_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from refuge.services.keys import change_passphrase
    from refuge.storage import keys

    url = pg_store.engine.url.render_as_string(hide_password=False)
    pg_store.close()
    change_passphrase(url, "the second passphrase of the team")
    keys._unwrapped.clear()
    with pytest.raises(keys.KeyProblem, match="wrong passphrase"):
        open_store(url)
    monkeypatch.setenv("REFUGE_PASSPHRASE", "the second passphrase of the team")
    store = open_store(url)
    assert [c.person.name for c in svc.load_cases(store)] == ["Mikhail Zhilin"]
    store.close()


def _pg_dump(url: str) -> str:
    """The whole database as ``pg_dump`` writes it (data, schema and all), lower-cased."""
    found = [
        *sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), reverse=True),
        shutil.which("pg_dump"),
    ]
    binary = next((f for f in found if f), None)
    if binary is None:
        pytest.skip("pg_dump is not installed")
    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    dumped = subprocess.run([binary, plain], capture_output=True, text=True, check=True)
    return dumped.stdout.lower()


def _forms(canary: str) -> list[str]:
    """The canary as it would appear in clear, in JSON escapes, or base64-encoded at any
    alignment (job arguments carry report bytes as base64)."""
    raw = canary.encode()
    cores = [base64.b64encode(b"\0" * shift + raw).decode()[4:-4] for shift in range(3)]
    escaped = json.dumps(canary).strip('"').lower()
    return [canary.lower(), escaped, *cores]


def test_a_canary_in_a_report_and_a_totp_secret_are_nowhere_in_pg_dump(
    pg_store: Store, tmp_path: Path
) -> None:
    """A report naming a canary person is read in (a case, its report text, quotes, merges,
    the audit trail), a user enrols a second factor: ``pg_dump`` of the database shows
    neither the canary (in clear, JSON-escaped or base64) nor the TOTP secret."""
    from refuge.auth import totp
    from refuge.auth.users import add_user, ensure_team
    from refuge.services.teams import ingest_for_team

    seed = Path(__file__).resolve().parents[2] / "examples" / "zhilin-moscow-times-2022-12-30.txt"
    text_ = seed.read_text(encoding="utf-8")
    for old, new in (("Mikhail", "Ostap"), ("Zhilin", "Kanaryev"), ("Михаил", "Остап")):
        text_ = text_.replace(old, new)
    report = tmp_path / "canary.txt"
    report.write_text(text_.replace("Жилин", "Канарев"), encoding="utf-8")
    with pg_store.write() as connection:  # a team server: ids are random (identifiers.py)
        ensure_team(connection, "canary-team")
    summary = ingest_for_team(pg_store, [report], "canary-team", "tester")
    assert summary.reports == 1 and summary.created
    secret = totp.new_secret()
    with pg_store.write() as connection:
        pk = add_user(connection, "lawyer-canary", "lawyer", "a long test passphrase for refuge")
        totp.enrol(connection, pk, secret, 0.0)
    with pg_store.read() as connection:
        assert totp.check(connection, pk, totp.current_code(secret, 100.0), 100.0)
    dumped = _pg_dump(pg_store.engine.url.render_as_string(hide_password=False))
    assert "copy public.people" in dumped and "v1:" in dumped  # the data is in the dump
    leaks = [f for c in ("Ostap Kanaryev", "Kanaryev", "Канарев") for f in _forms(c) if f in dumped]
    assert leaks == []
    assert secret.lower() not in dumped
    assert [s for s in SECRETS if s in dumped.replace("zhilin-2022", "")] == []
