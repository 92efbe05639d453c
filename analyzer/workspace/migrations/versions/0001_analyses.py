"""The analyses table: one row per saved analysis.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analyses",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("profile_name", sa.String(200), nullable=False),
        sa.Column("profile_yaml", sa.Text, nullable=False),
        sa.Column("catalog_hash", sa.String(64), nullable=False),
        sa.Column("catalog_version", sa.String(40), nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("report", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("analyses")
