"""merger links checked: the share of a split commune, why a link is doubtful, a province's confirmation

Revision ID: 0008_merger_links
Revises: 0007_cycle_deadline
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_merger_links"
down_revision: str | Sequence[str] | None = "0007_cycle_deadline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("unit_merger", schema=None) as batch_op:
        batch_op.add_column(sa.Column("share", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("flags", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("status", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("status_by", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("status_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("unit_merger", schema=None) as batch_op:
        batch_op.drop_column("note")
        batch_op.drop_column("status_at")
        batch_op.drop_column("status_by")
        batch_op.drop_column("status")
        batch_op.drop_column("flags")
        batch_op.drop_column("share")
