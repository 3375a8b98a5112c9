"""Store the case format's ``complete`` flag (a person checked that the file records every
event), which the store dropped until now: a case marked complete in a file lost the mark on
import, and the engine then never let a finding resting on an absent event be certain.

Revision ID: 0340complete
Revises: 20261206_0330
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0340complete"
down_revision = "20261206_0330"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "cases",
        sa.Column("complete", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("complete")
