"""Accounts that resist abuse: per-key sign-in failure counters (account, client, device),
known devices, the TOTP second factor and its one-time recovery codes; and the audit chain
(previous hash, hash and Ed25519 signature of each entry; older entries stay unchained).

Revision ID: 0310acct
Revises: 0300
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0310acct"
down_revision = "0300"
branch_labels = None
depends_on = None


def _user() -> sa.Column[int]:
    return sa.Column(
        "user_pk", sa.Integer, sa.ForeignKey("users.pk", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("signature", sa.String(128), nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(64), nullable=True))
        batch.add_column(sa.Column("totp_step", sa.BigInteger, nullable=False, server_default="0"))
    op.create_table(
        "sign_in_failures",
        sa.Column("key", sa.String(160), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("until", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "known_devices",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        _user(),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_known_devices_user_pk", "known_devices", ["user_pk"])
    op.create_table(
        "recovery_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        _user(),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_recovery_codes_user_pk", "recovery_codes", ["user_pk"])


def downgrade() -> None:
    op.drop_table("recovery_codes")
    op.drop_table("known_devices")
    op.drop_table("sign_in_failures")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("totp_step")
        batch.drop_column("totp_secret")
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("signature")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
