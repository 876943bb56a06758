"""credit_record.detail: what a major incident or a revocation was

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 03:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("credit_record", sa.Column("detail", sa.String(length=60), nullable=True))


def downgrade() -> None:
    op.drop_column("credit_record", "detail")
