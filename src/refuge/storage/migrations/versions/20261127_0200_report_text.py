"""Keep the text of each ingested report, so evidence can be shown in place.

Evidence offsets point into the report's text (for HTML, the extracted text); without it a
reader sees the quote but not its context.

Revision ID: 0200
Revises: auth01
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0200"
down_revision = "auth01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reports", sa.Column("text", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("text")
