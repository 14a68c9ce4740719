"""users.must_change_password: a password someone else chose must be replaced.

One new column, false for every existing account (they keep working as before); set for
generated and administrator-set passwords by `app/accounts/provisioning.py`. The server
default is `sa.false()`, not autogenerate's `text('0')`, which PostgreSQL refuses for a
boolean. Made with autogenerate against a database at 0005_sessions_throttle, then read.

Revision ID: 0006_users_must_change_password
Revises: 0005_sessions_throttle
Create Date: 2026-12-05 16:12:20.019242
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006_users_must_change_password'
down_revision: str | Sequence[str] | None = '0005_sessions_throttle'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')

