"""The tables of a refuge store (SQLAlchemy Core), shared by SQLite and PostgreSQL.

One ``MetaData`` with a naming convention, so constraints get the same stable names on both
databases and Alembic migrations can refer to them. The migrations in ``migrations/versions``
create exactly these tables; ``tests/storage/test_migrations.py`` proves the two agree.

Personal data lives only in ``people``, ``sources``, ``events``, ``evidence``, ``reports.text``
and ``merges.candidate``; ``audit`` holds integer keys and kinds of change, never names or
quotes. On PostgreSQL the personal columns are encrypted by refuge (columns.py: the
``Encrypted*`` and ``BlindKey`` types); ``store_keys`` holds the wrapped data key.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)

from refuge.storage.columns import BlindKey, EncryptedJSON, EncryptedText

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

_REVIEW = "review IN ('draft', 'verified', 'rejected')"


def _case_fk() -> Column[int]:
    return Column(
        "case_pk", Integer, ForeignKey("cases.pk", ondelete="CASCADE"), nullable=False, index=True
    )


cases = Table(
    "cases",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(128), nullable=False, unique=True),
    Column("host", String(2), nullable=False),
    Column("origin", String(2)),
    Column("tags", JSON, nullable=False),
    Column("facts", JSON, nullable=False),
    # A person checked that the file records every event that happened (case format
    # ``complete: true``): findings resting on the absence of an event may then be certain.
    Column("complete", Boolean, nullable=False, server_default=false()),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

people = Table(
    "people",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column(
        "case_pk", Integer, ForeignKey("cases.pk", ondelete="CASCADE"), nullable=False, unique=True
    ),
    Column("name", EncryptedText("people.name"), nullable=False),
    Column("aliases", EncryptedJSON("people.aliases"), nullable=False),
    Column("citizenship", JSON, nullable=False),
    Column("born_earliest", Date),
    Column("born_latest", Date),
    Column("born_text", EncryptedText("people.born_text")),
    Column("review", String(16), nullable=False),
    Column("edited", Boolean, nullable=False),
    CheckConstraint(_REVIEW, name="review"),
)

# Short keys of every spelling of a person's name (see merge.name_keys): the index that finds
# merge candidates without comparing a new report against every person in the store.
name_keys = Table(
    "name_keys",
    metadata,
    _case_fk(),
    Column("key", BlindKey("name"), nullable=False),
    PrimaryKeyConstraint("key", "case_pk"),
)

# The search index (search_index.py): every folded word of a case's names and report text,
# the word itself in the encrypted SQLite file, its keyed HMAC on PostgreSQL.
search_terms = Table(
    "search_terms",
    metadata,
    _case_fk(),
    Column("token", BlindKey("search"), nullable=False),
    Column("in_name", Boolean, nullable=False),
    PrimaryKeyConstraint("token", "case_pk"),
    sqlite_with_rowid=False,  # the postings of a word are contiguous and hold in_name
)
# The words of names only (a few per case): the first pass of a search walks these.
Index(
    "ix_search_terms_names",
    search_terms.c.token,
    search_terms.c.case_pk,
    sqlite_where=search_terms.c.in_name == true(),
    postgresql_where=search_terms.c.in_name == true(),
)

reports = Table(
    "reports",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("size", Integer, nullable=False),
    Column("cases", Integer, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    # The text evidence offsets point into (for HTML, the extracted text); null for reports
    # stored before revision 0200 or read by an analyser that gives no text.
    Column("text", EncryptedText("reports.text"), nullable=True),
)

sources = Table(
    "sources",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    _case_fk(),
    Column("id", String(128), nullable=False),
    Column("title", EncryptedText("sources.title")),
    Column("outlet", EncryptedText("sources.outlet")),
    Column("url", EncryptedText("sources.url")),
    Column("published_earliest", Date),
    Column("published_latest", Date),
    Column("published_text", EncryptedText("sources.published_text")),
    Column("report_pk", Integer, ForeignKey("reports.pk", ondelete="SET NULL")),
    Column("position", Integer, nullable=False),
    UniqueConstraint("case_pk", "id"),
)

events = Table(
    "events",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    _case_fk(),
    Column("id", String(128), nullable=False),
    Column("type", String(32), nullable=False),
    Column("date_earliest", Date, nullable=False),
    Column("date_latest", Date, nullable=False),
    Column("date_text", EncryptedText("events.date_text")),
    Column("attrs", EncryptedJSON("events.attrs"), nullable=False),
    Column("certainty", String(16)),
    Column("note", EncryptedText("events.note")),
    Column("review", String(16)),
    Column("sequence", Integer),
    # True when a person wrote or changed the event: ingestion may attach evidence, never edit.
    Column("edited", Boolean, nullable=False),
    Column("position", Integer, nullable=False),
    UniqueConstraint("case_pk", "id"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column(
        "event_pk", Integer, ForeignKey("events.pk", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("source_id", String(128), nullable=False),
    Column("quote", EncryptedText("evidence.quote")),
    Column("start", Integer),
    Column("end", Integer),
    Column("position", Integer, nullable=False),
)

merges = Table(
    "merges",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    _case_fk(),
    Column("report_pk", Integer, ForeignKey("reports.pk", ondelete="SET NULL")),
    Column("kind", String(16), nullable=False),  # merged | proposal
    Column("score", Float, nullable=False),
    Column("reasons", JSON, nullable=False),
    # a proposal's case-file data, applied if a person accepts it
    Column("candidate", EncryptedJSON("merges.candidate")),
    Column("review", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(_REVIEW, name="review"),
    CheckConstraint("kind IN ('merged', 'proposal')", name="kind"),
)

audit = Table(
    "audit",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(32), nullable=False),
    Column("object_type", String(32), nullable=False),
    Column("object_pk", Integer),
    Column("detail", String(200), nullable=False),
    # The chain (storage/audit_chain.py): the previous entry's hash, this entry's hash and
    # its Ed25519 signature; NULL only for entries written before the chain existed.
    Column("prev_hash", String(64)),
    Column("hash", String(64)),
    Column("signature", String(128)),
)

# The alerts batch path (see services/alerts.py): per case, the day from which its evaluation
# can no longer change, and the alert-relevant summaries of the evaluation on its tail.
case_index = Table(
    "case_index",
    metadata,
    Column("case_pk", Integer, ForeignKey("cases.pk", ondelete="CASCADE"), primary_key=True),
    Column("tail_from", Date, nullable=False, index=True),
    Column("stable_from", Date, nullable=False, index=True),
    Column("packs", String(64), nullable=False),
    Column("alerting", Boolean, nullable=False),
    Column("final", JSON, nullable=False),  # the summary from stable_from on
    Column("segments", JSON, nullable=False),  # [[first day, summary], ...] from tail_from on
)

Index("ix_case_index_alerting_stable_from", case_index.c.alerting, case_index.c.stable_from)
# The alerts' queries read these indexes instead of case_index's rows (most of a store's bytes,
# and on an encrypted store each page read is decrypted): "indexed under the current law up to
# this day", and (SQLite only: PostgreSQL cannot index JSON) the settled cases' summaries.
Index("ix_case_index_tail_from_packs", case_index.c.tail_from, case_index.c.packs)
SQLITE_ONLY_INDEXES = ("ix_case_index_settled",)
Index(
    "ix_case_index_settled",
    case_index.c.alerting,
    case_index.c.stable_from,
    case_index.c.packs,
    case_index.c.final,
).ddl_if(dialect="sqlite")
Index("ix_cases_host", cases.c.host)

# The store's data key, wrapped by the operator's passphrase (keys.py), for PostgreSQL stores
# (a SQLite store keeps it in its key file). One row; empty on SQLite.
store_keys = Table(
    "store_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("wrapped", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# -- background jobs and feeds (issue 14) ---------------------------------------------------
# What refuge itself knows of a job: its state as its function saw it, the error that parked
# it, and a small result (counts and case ids, never report text). On PostgreSQL ``job_id`` is
# procrastinate's job id (its own tables hold the queue); on SQLite jobs run in-process and the
# id is this table's own.
job_runs = Table(
    "job_runs",
    metadata,
    Column("job_id", Integer, primary_key=True, autoincrement=True),
    Column("task", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # queued, doing, succeeded, failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text, nullable=True),
    Column("result", JSON, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("args", JSON, nullable=True),  # ids only (an inbox row, a feed): to retry it
)

# A feed (RSS/Atom) or a plain web page polled for reports, with the validators of its last
# answer (conditional requests), its back-off and the entries already read.
feeds = Table(
    "feeds",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("team", String(64), nullable=True),
    Column("language", String(8), nullable=True),
    Column("etag", Text, nullable=True),
    Column("last_modified", Text, nullable=True),
    Column("polled_at", DateTime(timezone=True), nullable=True),
    Column("last_status", String(64), nullable=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("retry_after", DateTime(timezone=True), nullable=True),
    Column("seen", JSON, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
)

# A report waiting to be read by a job (an upload, a feed's article): the job's argument is
# this row's key, never the report (on PostgreSQL the name and bytes are encrypted here like
# every personal column). ``content`` is dropped once the report is read (``result`` then
# holds what the reading produced: counts and case ids); ``args`` of ``job_runs`` name it.
inbox = Table(
    "inbox",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("name", EncryptedText("inbox.name"), nullable=False),
    Column("content", EncryptedText("inbox.content"), nullable=True),  # base64; None once read
    Column("host", String(2), nullable=True),
    Column("language", String(8), nullable=True),
    Column("team", String(64), nullable=True),  # a feed's team, by name
    Column("user_pk", Integer, nullable=True),  # the uploader (their teams get the new cases)
    Column("job_id", Integer, nullable=True, index=True),
    Column("result", JSON, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),
)
