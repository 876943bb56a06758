"""Alembic operations on the shared tables (outbox, inbox, dead letters, audit log, policy
versions), one copy for the four services' migrations.

Migrations are history, not code (architecture.md § Round 2): every function here is frozen
DDL, written out column by column as the tables stood at that revision, never built from
`shared.platform.db.metadata`. A change to the shared tables is a new function here and a new
revision in every service calling it; `shared/tests/integration/test_migrations.py` checks
that models and migrations agree.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# asyncpg prepares each statement: one SQL command per op.execute.
_AUDIT_APPEND_ONLY = (
    """
    CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
    """,
)


def _created_at() -> sa.Column[object]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


# -- revision 0001 (each service's first): the shared tables as first shipped ----------------
def create_shared_tables() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("event_id", postgresql.UUID(as_uuid=False), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("envelope", sa.LargeBinary(), nullable=False),
        sa.Column(
            "headers",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        _created_at(),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
    )
    op.create_index(
        "ix_outbox_unpublished", "outbox", ["id"], postgresql_where="published_at IS NULL"
    )
    op.create_index(
        "ix_outbox_unpublished_key",
        "outbox",
        ["key", "id"],
        postgresql_where="published_at IS NULL",
    )
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column(
            "handled_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("consumer", "event_id", name="pk_inbox"),
    )
    op.create_table(
        "dead_letter",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.Text(), nullable=True),
        sa.Column("value", sa.LargeBinary(), nullable=True),
        sa.Column(
            "headers",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("event_id", sa.String(length=100), nullable=True),
        sa.Column("event_type", sa.String(length=200), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _created_at(),
        sa.Column("replayed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_dead_letter"),
        sa.UniqueConstraint(
            "consumer", "topic", "partition", "offset", name="uq_dead_letter_message"
        ),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("actor_sub", sa.String(length=200), nullable=True),
        sa.Column("actor_role", sa.String(length=20), nullable=True),
        sa.Column("actor_org", sa.String(length=50), nullable=True),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("entity", sa.String(length=100), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=False),
        sa.Column("before", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("after", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("request_id", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_entity", "audit_log", ["entity", "entity_id"])
    op.create_table(
        "policy_version",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        _created_at(),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("year", "version", name="pk_policy_version"),
    )
    for statement in _AUDIT_APPEND_ONLY:
        op.execute(statement)


def drop_shared_tables() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log")
    op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for table in ("policy_version", "audit_log", "dead_letter", "inbox", "outbox"):
        op.drop_table(table)


# -- revision "shared_columns": the second pass of the shared kernel (commit b32901f) ---------
_PENDING = "published_at IS NULL AND parked_at IS NULL"


def add_shared_columns() -> None:
    """Outbox ordering by writing transaction and parked rows; inbox and dead letters keyed
    by event source as well as id (CloudEvents ids are unique per source only)."""
    # Existing rows get the migrating transaction's id: committed, so publishable at once.
    op.execute("ALTER TABLE outbox ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id()")
    op.add_column("outbox", sa.Column("parked_at", sa.DateTime(timezone=True), nullable=True))
    op.drop_index("ix_outbox_unpublished_key", table_name="outbox")
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.create_index("ix_outbox_pending", "outbox", ["id"], postgresql_where=_PENDING)
    op.create_index("ix_outbox_pending_key", "outbox", ["key", "id"], postgresql_where=_PENDING)

    # Records written before carry no source: '' (they age out with the inbox retention).
    op.add_column(
        "inbox",
        sa.Column(
            "event_source", sa.String(length=200), server_default=sa.text("''"), nullable=False
        ),
    )
    op.alter_column("inbox", "event_source", server_default=None)
    op.alter_column(
        "inbox", "event_id", type_=sa.String(length=200), existing_type=sa.String(length=100)
    )
    op.drop_constraint("pk_inbox", "inbox", type_="primary")
    op.create_primary_key("pk_inbox", "inbox", ["consumer", "event_source", "event_id"])

    op.add_column("dead_letter", sa.Column("event_source", sa.String(length=200), nullable=True))
    op.alter_column(
        "dead_letter",
        "event_id",
        type_=sa.String(length=200),
        existing_type=sa.String(length=100),
        existing_nullable=True,
    )


def drop_shared_columns() -> None:
    op.alter_column(
        "dead_letter",
        "event_id",
        type_=sa.String(length=100),
        existing_type=sa.String(length=200),
        existing_nullable=True,
    )
    op.drop_column("dead_letter", "event_source")
    op.drop_constraint("pk_inbox", "inbox", type_="primary")
    op.create_primary_key("pk_inbox", "inbox", ["consumer", "event_id"])
    op.alter_column(
        "inbox", "event_id", type_=sa.String(length=100), existing_type=sa.String(length=200)
    )
    op.drop_column("inbox", "event_source")
    op.drop_index("ix_outbox_pending_key", table_name="outbox")
    op.drop_index("ix_outbox_pending", table_name="outbox")
    op.create_index(
        "ix_outbox_unpublished", "outbox", ["id"], postgresql_where="published_at IS NULL"
    )
    op.create_index(
        "ix_outbox_unpublished_key",
        "outbox",
        ["key", "id"],
        postgresql_where="published_at IS NULL",
    )
    op.drop_column("outbox", "parked_at")
    op.drop_column("outbox", "txid")
