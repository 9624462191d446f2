"""dti cycles: a cycle's kind and the scored DTI cohort of a dti cycle

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cycle") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=12), server_default="levels", nullable=False))
        batch.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "dti_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("group_name", sa.String(length=120), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("band", sa.String(length=60), nullable=True),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("framework_hash", sa.String(length=80), nullable=False),
        sa.Column("input_hash", sa.String(length=80), nullable=False),
        sa.Column("source_file", sa.String(length=500), nullable=True),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scored_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycle.id"], name=op.f("fk_dti_result_cycle_id_cycle")),
        sa.ForeignKeyConstraint(["unit_id"], ["admin_unit.id"], name=op.f("fk_dti_result_unit_id_admin_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dti_result")),
        sa.UniqueConstraint("cycle_id", "unit_id", name=op.f("uq_dti_result_cycle_id")),
    )
    op.create_index(op.f("ix_dti_result_cycle_id"), "dti_result", ["cycle_id"], unique=False)
    op.create_index(op.f("ix_dti_result_unit_id"), "dti_result", ["unit_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_dti_result_unit_id"), table_name="dti_result")
    op.drop_index(op.f("ix_dti_result_cycle_id"), table_name="dti_result")
    op.drop_table("dti_result")
    with op.batch_alter_table("cycle") as batch:
        batch.drop_column("published_at")
        batch.drop_column("kind")
