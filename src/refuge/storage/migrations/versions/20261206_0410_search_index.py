"""The search index: the folded words of each case's names and report text (keyed HMACs of
them on PostgreSQL), built here for the cases already stored.

Revision ID: 20261206_0410
Revises: 0340complete
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261206_0410"
down_revision = "0340complete"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_terms",
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(16), nullable=False),
        sa.Column("in_name", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_pk"],
            ["cases.pk"],
            name="fk_search_terms_case_pk_cases",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", "case_pk", name="pk_search_terms"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_search_terms_case_pk", "search_terms", ["case_pk"])
    names_only = sa.column("in_name") == sa.true()
    op.create_index(
        "ix_search_terms_names",
        "search_terms",
        ["token", "case_pk"],
        sqlite_where=names_only,
        postgresql_where=names_only,
    )
    # The cases stored before this revision (through the current tables, so the tokens are
    # blinded on PostgreSQL exactly as new ones will be).
    from refuge.storage import search_index

    search_index.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_search_terms_names", table_name="search_terms")
    op.drop_index("ix_search_terms_case_pk", table_name="search_terms")
    op.drop_table("search_terms")
