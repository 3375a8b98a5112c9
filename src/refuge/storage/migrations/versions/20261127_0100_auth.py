"""Identity and access: users, teams, memberships, sessions, API tokens, per-case grants.

Owned by the web/API layer (``refuge.auth.tables``); frozen here as plain definitions so later
changes to the models need a new migration.

Revision ID: auth01
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "auth01"
down_revision = "0001"
branch_labels = None
depends_on = None


def _fk(table: str, *, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(
        f"{table[:-1]}_pk",
        sa.Integer,
        sa.ForeignKey(f"{table}.pk", ondelete="CASCADE"),
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("throttled_until", sa.BigInteger, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.CheckConstraint("role IN ('viewer', 'monitor', 'lawyer', 'admin')", name="role"),
    )
    op.create_table(
        "teams",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
    )
    op.create_table(
        "memberships",
        _fk("users"),
        _fk("teams"),
        sa.PrimaryKeyConstraint("user_pk", "team_pk"),
    )
    op.create_index("ix_memberships_team_pk", "memberships", ["team_pk"])
    op.create_table(
        "sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        _fk("users"),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("last_seen", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_sessions_user_pk", "sessions", ["user_pk"])
    _create_tokens_and_access()


def _create_tokens_and_access() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        _fk("users"),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.CheckConstraint("scope IN ('read', 'write')", name="scope"),
    )
    op.create_index("ix_api_tokens_user_pk", "api_tokens", ["user_pk"])
    op.create_table(
        "case_access",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "case_pk",
            sa.Integer,
            sa.ForeignKey("cases.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        _fk("teams", nullable=True),
        _fk("users", nullable=True),
        sa.Column("granted_at", sa.BigInteger, nullable=False),
        sa.CheckConstraint("(team_pk IS NULL) <> (user_pk IS NULL)", name="one_grantee"),
    )
    for column in ("case_pk", "team_pk", "user_pk"):
        op.create_index(f"ix_case_access_{column}", "case_access", [column])


def downgrade() -> None:
    for table in ("case_access", "api_tokens", "sessions", "memberships", "teams", "users"):
        op.drop_table(table)
