"""The configuration file applied at start: its content hash (table config_file_state).

Revision ID: 0008_configcode_file_state
Revises: 0007_control_room
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008_configcode_file_state'
down_revision: str | Sequence[str] | None = '0007_control_room'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('config_file_state',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )


def downgrade() -> None:
    op.drop_table('config_file_state')
