"""Encrypt the TOTP secrets of a PostgreSQL store with the store's column key; an index that
lets ``refuge alerts`` find the cases to evaluate without reading the alerts index's rows.

A TOTP secret is as sensitive as a password and, unlike one, kept in a form that gives the
codes: a database administrator reading it could pass the second factor. On PostgreSQL the
column becomes text (a sealed value is longer than 64 characters) and every enrolled secret is
encrypted in place (storage/columns.py, ``users.totp_secret`` as associated data); downgrade
decrypts. SQLite needs nothing: the whole file is encrypted.

Revision ID: 0420security
Revises: 20261206_0410
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from refuge.storage.columns import PREFIX, cipher_of

revision = "0420security"
down_revision = "20261206_0410"
branch_labels = None
depends_on = None

WHERE = "users.totp_secret"


def upgrade() -> None:
    op.create_index(
        "ix_case_index_tail_from_packs", "case_index", ["tail_from", "packs"], unique=False
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":  # PostgreSQL cannot index a JSON column
        op.create_index(
            "ix_case_index_settled",
            "case_index",
            ["alerting", "stable_from", "packs", "final"],
            unique=False,
        )
        return
    op.alter_column("users", "totp_secret", type_=sa.Text(), existing_type=sa.String(64))
    cipher = cipher_of(bind.dialect)
    assert cipher is not None
    _convert(bind, lambda v: v if v.startswith(PREFIX) else cipher.encrypt(v, WHERE))


def downgrade() -> None:
    op.drop_index("ix_case_index_tail_from_packs", table_name="case_index")
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.drop_index("ix_case_index_settled", table_name="case_index")
        return
    cipher = cipher_of(bind.dialect)
    assert cipher is not None
    _convert(bind, lambda v: cipher.decrypt(v, WHERE) if v.startswith(PREFIX) else v)
    op.alter_column("users", "totp_secret", type_=sa.String(64), existing_type=sa.Text())


def _convert(bind: Any, change: Any) -> None:
    users = sa.table("users", sa.column("pk", sa.Integer), sa.column("totp_secret", sa.Text))
    rows = bind.execute(
        sa.select(users.c.pk, users.c.totp_secret).where(users.c.totp_secret.is_not(None))
    ).all()
    for pk, value in rows:
        bind.execute(sa.update(users).where(users.c.pk == pk).values(totp_secret=change(value)))
