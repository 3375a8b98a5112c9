"""Encrypt the personal columns of a PostgreSQL store (storage/columns.py).

Creates ``store_keys`` (on both databases, so the schema is one; it stays empty on SQLite,
whose whole file is encrypted). On PostgreSQL: a new data key is drawn and wrapped with the
operator's passphrase (REFUGE_PASSPHRASE, REFUGE_KEY_FILE, or asked), every personal value
already stored is encrypted in place, and the merge index's name keys are replaced by their
blind (keyed HMAC) form. Downgrade decrypts, and recomputes the name keys from the names.

Revision ID: 0300
Revises: 0200
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from refuge.storage import keys
from refuge.storage.columns import JSON_COLUMNS, TEXT_COLUMNS, ColumnCipher

revision = "0300"
down_revision = "0200"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_keys",
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("wrapped", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name="pk_store_keys"),
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    wrapped = keys.wrap(keys.new_data_key(), keys.passphrase(new=True, label="new passphrase"))
    bind.execute(
        sa.text("INSERT INTO store_keys (key_id, wrapped, created_at) VALUES (:k, :w, :t)"),
        {"k": wrapped.key_id, "w": wrapped.to_json(), "t": datetime.now(UTC)},
    )
    cipher = ColumnCipher(keys.unwrap(wrapped, keys.passphrase()))
    bind.dialect.refuge_cipher = cipher  # type: ignore[attr-defined]
    _convert(bind, lambda v, where: cipher.encrypt(v, where), encrypting=True)
    for key, case_pk in bind.execute(sa.text("SELECT key, case_pk FROM name_keys")).all():
        bind.execute(
            sa.text("UPDATE name_keys SET key = :new WHERE key = :old AND case_pk = :pk"),
            {"new": cipher.blind(key, "name"), "old": key, "pk": case_pk},
        )


def _convert(bind: Any, change: Any, *, encrypting: bool) -> None:
    """Apply ``change(text, "table.column")`` to every stored personal value. A JSON column
    holds, encrypted, a JSON string whose plaintext is the document's JSON text."""
    for name, column in TEXT_COLUMNS + JSON_COLUMNS:
        kind = sa.JSON if (name, column) in JSON_COLUMNS else sa.Text
        table = sa.table(name, sa.column("pk", sa.Integer), sa.column(column, kind))
        rows = bind.execute(
            sa.select(table.c.pk, table.c[column]).where(table.c[column].is_not(None))
        )
        for pk, value in rows.all():
            where = f"{name}.{column}"
            if kind is sa.Text:
                new = change(value, where)
            elif encrypting:
                new = change(json.dumps(value, ensure_ascii=False), where)
            else:
                new = json.loads(change(value, where))
            bind.execute(sa.update(table).where(table.c.pk == pk).values({column: new}))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        row = bind.execute(sa.text("SELECT wrapped FROM store_keys")).first()
        if row is not None:
            data_key = keys.unwrap(
                keys.WrappedKey.from_json(row[0], "store_keys"), keys.passphrase()
            )
            cipher = ColumnCipher(data_key)
            _convert(bind, lambda v, where: cipher.decrypt(v, where), encrypting=False)
            _recompute_name_keys(bind)
            bind.dialect.refuge_cipher = None  # type: ignore[attr-defined]
    op.drop_table("store_keys")


def _recompute_name_keys(bind: Any) -> None:
    from refuge.domain.cases import Person
    from refuge.storage.merge import name_keys

    bind.execute(sa.text("DELETE FROM name_keys"))
    for case_pk, name, aliases in bind.execute(
        sa.text("SELECT case_pk, name, aliases::text FROM people")
    ).all():
        person = Person(name=name, aliases=tuple(json.loads(aliases) or ()))
        for key in sorted(name_keys(person)):
            bind.execute(
                sa.text("INSERT INTO name_keys (case_pk, key) VALUES (:pk, :k)"),
                {"pk": case_pk, "k": key},
            )
