"""The tables of identity and access: users, teams, memberships, sessions, API tokens and the
per-case grants (need to know).

They live in their own ``MetaData`` (same naming convention as the case store) so the storage
layer does not depend on auth; the migration ``*_0100_auth`` creates exactly these tables.
Times are integer Unix seconds: the same on SQLite and PostgreSQL, no naive/aware confusion.
Secrets are never stored: sessions and API tokens are kept as SHA-256 digests, passwords as
Argon2id hashes.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
)

from refuge.storage.columns import EncryptedText
from refuge.storage.tables import NAMING_CONVENTION, cases

metadata = MetaData(naming_convention=NAMING_CONVENTION)

ROLES = ("viewer", "monitor", "lawyer", "admin")
SCOPES = ("read", "write")

users = Table(
    "users",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", String(256), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    # Unused since 20261206_0310 (throttling moved to ``sign_in_failures``); kept so older
    # code reading the table still works until a later migration drops them.
    Column("failures", Integer, nullable=False, default=0),
    Column("throttled_until", BigInteger, nullable=False, default=0),
    Column("disabled", Boolean, nullable=False, default=False),
    # TOTP second factor (RFC 6238): the base32 secret once enrolled, and the last time step
    # accepted, so a code is never accepted twice. As sensitive as a password, and unlike one
    # needed in clear to check a code: on PostgreSQL encrypted with the store's column key.
    # (SQLite keeps its VARCHAR(64): the whole file is encrypted; migration 0420security.)
    Column("totp_secret", EncryptedText("users.totp_secret").with_variant(String(64), "sqlite")),
    Column("totp_step", BigInteger, nullable=False, default=0),
    CheckConstraint("role IN ('viewer', 'monitor', 'lawyer', 'admin')", name="role"),
)

# Failed sign-ins counted per key: the account ("a:"), the client address ("c:") and the
# pair of both ("p:"), or the known device ("d:") — see ``auth/throttle.py``. Counting is one
# UPDATE ... SET failures = failures + 1, so concurrent guesses are all counted.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("key", String(160), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("until", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

# A device a user signed in from (a random cookie, stored as SHA-256): it is exempt from the
# account-wide throttle, so nobody can keep the owner out by guessing from elsewhere.
known_devices = Table(
    "known_devices",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column(
        "user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("created_at", BigInteger, nullable=False),
)

# One-time recovery codes for the second factor, stored as SHA-256 (80 random bits each).
recovery_codes = Table(
    "recovery_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column(
        "user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("created_at", BigInteger, nullable=False),
)

teams = Table(
    "teams",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
)

memberships = Table(
    "memberships",
    metadata,
    Column("user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), nullable=False),
    Column(
        "team_pk", Integer, ForeignKey("teams.pk", ondelete="CASCADE"), nullable=False, index=True
    ),
    PrimaryKeyConstraint("user_pk", "team_pk"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column(
        "user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("csrf", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("last_seen", BigInteger, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column(
        "user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("scope", String(8), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    CheckConstraint("scope IN ('read', 'write')", name="scope"),
)

# A case is visible to the members of a team it is granted to, and to users granted it
# directly. Exactly one of team_pk / user_pk is set.
case_access = Table(
    "case_access",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column(
        "case_pk", Integer, ForeignKey(cases.c.pk, ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("team_pk", Integer, ForeignKey("teams.pk", ondelete="CASCADE"), index=True),
    Column("user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), index=True),
    Column("granted_at", BigInteger, nullable=False),
    CheckConstraint("(team_pk IS NULL) <> (user_pk IS NULL)", name="one_grantee"),
)
