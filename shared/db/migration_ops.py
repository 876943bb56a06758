"""Alembic operations that create the shared tables in a service's first migration.

Kept here so that four services do not carry four copies of the same DDL.
"""

from __future__ import annotations

from alembic import op

from shared.db.metadata import audit_log, dead_letter, inbox, outbox, policy_version

_SHARED_TABLES = (outbox, inbox, dead_letter, audit_log, policy_version)

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


def create_shared_tables() -> None:
    bind = op.get_bind()
    for table in _SHARED_TABLES:
        table.create(bind)
    for statement in _AUDIT_APPEND_ONLY:
        op.execute(statement)


def drop_shared_tables() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log")
    op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    bind = op.get_bind()
    for table in reversed(_SHARED_TABLES):
        table.drop(bind)
