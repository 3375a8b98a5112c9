"""Background jobs and feeds (issue 14): refuge's ``job_runs`` and ``feeds`` tables and, on
PostgreSQL, procrastinate's queue schema.

Procrastinate's schema is applied here, by refuge's own migrations (so ``refuge init`` and
``refuge db upgrade`` are the one way a store's schema changes), from the ``schema.sql`` that
the pinned procrastinate ships. Upgrading procrastinate past a version with schema changes
needs a new refuge migration that applies procrastinate's migration scripts between the two
versions (docs/jobs.md). SQLite has no queue: jobs run in-process.

Revision ID: 20261206_0330
Revises: 0310acct
Create Date: 2026-12-06
"""

from __future__ import annotations

from importlib import resources

import sqlalchemy as sa
from alembic import op

revision = "20261206_0330"
down_revision = "0310acct"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("job_id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("task", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job_id", name="pk_job_runs"),
    )
    op.create_table(
        "feeds",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("team", sa.String(64), nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("polled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.String(64), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("retry_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen", sa.JSON(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_feeds"),
        sa.UniqueConstraint("url", name="uq_feeds_url"),
    )
    if op.get_bind().dialect.name == "postgresql":
        sql = (resources.files("procrastinate.sql") / "schema.sql").read_text(encoding="utf-8")
        _raw(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _raw(_DROP_PROCRASTINATE)
    op.drop_table("feeds")
    op.drop_table("job_runs")


def _raw(sql: str) -> None:
    """Run a multi-statement script without parameter parsing (it holds ``%`` and ``$$``)."""
    dbapi = op.get_bind().connection.dbapi_connection
    assert dbapi is not None
    cursor = dbapi.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


# Everything procrastinate's schema.sql creates is named procrastinate_*.
_DROP_PROCRASTINATE = """
DO $$
DECLARE item record;
BEGIN
  FOR item IN SELECT tablename FROM pg_tables
              WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate%' LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.tablename);
  END LOOP;
  FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
              JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%' LOOP
    EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', item.signature);
  END LOOP;
  FOR item IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
              WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate%'
                AND t.typtype IN ('e', 'c') LOOP
    EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', item.typname);
  END LOOP;
END $$;
"""
