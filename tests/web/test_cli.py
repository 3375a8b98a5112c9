"""``refuge user add`` and ``refuge token create``: the password is prompted for (twice) and
hashed; the token is printed once and stored only as its hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from refuge.auth.tables import api_tokens, memberships, users
from refuge.cli.web import serve, token, user
from refuge.services.store import init_store
from refuge.storage import open_store

PASSWORD = "a long enough passphrase for the cli"


def test_user_add_then_token_create(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    init_store(url)
    runner = CliRunner()
    added = runner.invoke(
        user,
        ["add", "amina", "--role", "lawyer", "--team", "almaty", "--db", url],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert added.exit_code == 0, added.output
    assert PASSWORD not in added.output
    made = runner.invoke(
        token, ["create", "--user", "amina", "--scope", "read", "--days", "7", "--db", url]
    )
    assert made.exit_code == 0, made.output
    secret = made.output.strip()
    assert secret.startswith("rfg_") and len(secret) > 40
    store = open_store(url)
    with store.read() as connection:
        row = connection.execute(select(users)).one()
        stored = connection.execute(select(api_tokens)).one()
        teams = connection.execute(select(memberships)).all()
    store.close()
    assert row.role == "lawyer" and row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.scope == "read" and stored.expires_at - stored.created_at == 7 * 86400
    assert len(teams) == 1
    revoked = runner.invoke(token, ["revoke", "--user", "amina", "--db", url])
    assert revoked.exit_code == 0 and "revoked 1" in revoked.output
    store = open_store(url)
    with store.read() as connection:
        assert connection.execute(select(api_tokens.c.revoked)).scalar_one() is True
    store.close()


def test_mismatched_or_weak_password_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    init_store(url)
    runner = CliRunner()
    weak = runner.invoke(
        user, ["add", "bob", "--role", "viewer", "--db", url], input="short\nshort\n"
    )
    assert weak.exit_code != 0
    store = open_store(url)
    with store.read() as connection:
        assert connection.execute(select(users)).all() == []
    store.close()


def test_serve_defaults_to_loopback() -> None:
    result = CliRunner().invoke(serve, ["--help"])
    assert result.exit_code == 0 and "127.0.0.1" in result.output
