"""The initial case store: cases, people, sources, events, evidence, reports, merges, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_REVIEW = "review IN ('draft', 'verified', 'rejected')"


def _case_fk(*, unique: bool = False) -> sa.Column[int]:
    return sa.Column(
        "case_pk",
        sa.Integer,
        sa.ForeignKey("cases.pk", ondelete="CASCADE"),
        nullable=False,
        unique=unique,
    )


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(128), nullable=False, unique=True),
        sa.Column("host", sa.String(2), nullable=False),
        sa.Column("origin", sa.String(2)),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("facts", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_cases_host", "cases", ["host"])
    op.create_table(
        "people",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        _case_fk(unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("citizenship", sa.JSON, nullable=False),
        sa.Column("born_earliest", sa.Date),
        sa.Column("born_latest", sa.Date),
        sa.Column("born_text", sa.Text),
        sa.Column("review", sa.String(16), nullable=False),
        sa.Column("edited", sa.Boolean, nullable=False),
        sa.CheckConstraint(_REVIEW, name="review"),
    )
    op.create_table(
        "name_keys",
        _case_fk(),
        sa.Column("key", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("key", "case_pk"),
    )
    op.create_index("ix_name_keys_case_pk", "name_keys", ["case_pk"])
    op.create_table(
        "reports",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("cases", sa.Integer, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    _create_timeline()
    _create_bookkeeping()


def _create_timeline() -> None:
    op.create_table(
        "sources",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        _case_fk(),
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published_earliest", sa.Date),
        sa.Column("published_latest", sa.Date),
        sa.Column("published_text", sa.Text),
        sa.Column("report_pk", sa.Integer, sa.ForeignKey("reports.pk", ondelete="SET NULL")),
        sa.Column("position", sa.Integer, nullable=False),
        sa.UniqueConstraint("case_pk", "id"),
    )
    op.create_index("ix_sources_case_pk", "sources", ["case_pk"])
    op.create_table(
        "events",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        _case_fk(),
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("date_earliest", sa.Date, nullable=False),
        sa.Column("date_latest", sa.Date, nullable=False),
        sa.Column("date_text", sa.Text),
        sa.Column("attrs", sa.JSON, nullable=False),
        sa.Column("certainty", sa.String(16)),
        sa.Column("note", sa.Text),
        sa.Column("review", sa.String(16)),
        sa.Column("sequence", sa.Integer),
        sa.Column("edited", sa.Boolean, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.UniqueConstraint("case_pk", "id"),
    )
    op.create_index("ix_events_case_pk", "events", ["case_pk"])
    op.create_table(
        "evidence",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "event_pk", sa.Integer, sa.ForeignKey("events.pk", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("source_id", sa.String(128), nullable=False),
        sa.Column("quote", sa.Text),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("ix_evidence_event_pk", "evidence", ["event_pk"])


def _create_bookkeeping() -> None:
    op.create_table(
        "merges",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        _case_fk(),
        sa.Column("report_pk", sa.Integer, sa.ForeignKey("reports.pk", ondelete="SET NULL")),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("candidate", sa.JSON),
        sa.Column("review", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_REVIEW, name="review"),
        sa.CheckConstraint("kind IN ('merged', 'proposal')", name="kind"),
    )
    op.create_index("ix_merges_case_pk", "merges", ["case_pk"])
    op.create_table(
        "audit",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("object_type", sa.String(32), nullable=False),
        sa.Column("object_pk", sa.Integer),
        sa.Column("detail", sa.String(200), nullable=False),
    )
    op.create_table(
        "case_index",
        sa.Column(
            "case_pk",
            sa.Integer,
            sa.ForeignKey("cases.pk", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tail_from", sa.Date, nullable=False),
        sa.Column("stable_from", sa.Date, nullable=False),
        sa.Column("packs", sa.String(64), nullable=False),
        sa.Column("alerting", sa.Boolean, nullable=False),
        sa.Column("final", sa.JSON, nullable=False),
        sa.Column("segments", sa.JSON, nullable=False),
    )
    op.create_index("ix_case_index_stable_from", "case_index", ["stable_from"])
    op.create_index("ix_case_index_tail_from", "case_index", ["tail_from"])
    op.create_index("ix_case_index_alerting_stable_from", "case_index", ["alerting", "stable_from"])


def downgrade() -> None:
    for table in (
        "case_index",
        "audit",
        "merges",
        "evidence",
        "events",
        "sources",
        "reports",
        "name_keys",
        "people",
        "cases",
    ):
        op.drop_table(table)
