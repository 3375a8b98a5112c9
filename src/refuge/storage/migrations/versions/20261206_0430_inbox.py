"""Reports waiting to be read (``inbox``) and the arguments of in-process jobs.

A job's argument is now the key of an ``inbox`` row instead of the report's bytes: on
PostgreSQL the queue's ``args`` column is not encrypted, while the inbox row's name and bytes
are (like every personal column), and the bytes are dropped once the report is read. On SQLite
``job_runs.args`` keeps the (id-only) arguments so an admin can retry a parked job.

Revision ID: 20261206_0430
Revises: 0420security
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261206_0430"
down_revision = "0420security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("host", sa.String(2), nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("team", sa.String(64), nullable=True),
        sa.Column("user_pk", sa.Integer(), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("pk", name="pk_inbox"),
    )
    op.create_index("ix_inbox_job_id", "inbox", ["job_id"])
    op.add_column("job_runs", sa.Column("args", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job_runs") as batch:
        batch.drop_column("args")
    op.drop_index("ix_inbox_job_id", table_name="inbox")
    op.drop_table("inbox")
