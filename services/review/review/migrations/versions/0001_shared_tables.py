"""The tables every service has: outbox, inbox, dead letters, audit log, policy versions.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from shared.platform.db.migration_ops import create_shared_tables, drop_shared_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_shared_tables()


def downgrade() -> None:
    drop_shared_tables()
