"""Shared tables, second pass: outbox.txid and parked_at (with the pending-row indexes),
inbox and dead letters keyed by event source (the columns added with commit b32901f, which
revision 0001 never created).

Revision ID: 0003_shared_columns
Revises: 0002
Create Date: 2026-11-30
"""

from shared.platform.db.migration_ops import add_shared_columns, drop_shared_columns

revision = "0003_shared_columns"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_shared_columns()


def downgrade() -> None:
    drop_shared_columns()
