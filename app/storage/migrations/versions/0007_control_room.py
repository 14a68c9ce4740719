"""The control room's tables: groups, models, guard rules and term lists, config versions.

Also three user columns for the users page and single sign-on: last login, where the
account signs in (local or oidc, server default "local" so existing rows stay local) and the
provider's subject. Made with autogenerate against a database at 0006, then read.

Revision ID: 0007_control_room
Revises: 0006_users_must_change_password
Create Date: 2026-12-05 17:34:31.588046
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007_control_room'
down_revision: str | Sequence[str] | None = '0006_users_must_change_password'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('config_versions',
    sa.Column('area', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('area')
    )
    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groups_name'), ['name'], unique=True)

    op.create_table('guard_entity_rules',
    sa.Column('entity_type', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('entity_type')
    )
    op.create_table('guard_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_kind', sa.String(length=8), nullable=False),
    sa.Column('pattern', sa.String(length=500), nullable=False),
    sa.Column('is_regex', sa.Boolean(), nullable=False),
    sa.Column('entity_type', sa.String(length=64), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('list_kind', 'pattern', 'is_regex', name='uq_guard_terms_kind_pattern')
    )
    with op.batch_alter_table('guard_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guard_terms_list_kind'), ['list_kind'], unique=False)

    op.create_table('model_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('model_id', sa.String(length=200), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=2000), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('litellm_model', sa.String(length=300), nullable=False),
    sa.Column('api_base', sa.String(length=500), nullable=True),
    sa.Column('api_key_env', sa.String(length=200), nullable=True),
    sa.Column('api_key_encrypted', sa.String(), nullable=True),
    sa.Column('max_tokens', sa.Integer(), nullable=True),
    sa.Column('temperature', sa.Float(), nullable=True),
    sa.Column('requests_per_day', sa.Integer(), nullable=True),
    sa.Column('timeout_seconds', sa.Float(), nullable=False),
    sa.Column('roles', sa.String(length=500), nullable=False),
    sa.Column('groups', sa.String(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('model_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_model_entries_model_id'), ['model_id'], unique=True)

    op.create_table('user_groups',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'group_id')
    )
    with op.batch_alter_table('user_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_groups_group_id'), ['group_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('auth_source', sa.String(length=16), server_default='local', nullable=False))
        batch_op.add_column(sa.Column('external_subject', sa.String(length=300), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_external_subject'), ['external_subject'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_external_subject'))
        batch_op.drop_column('external_subject')
        batch_op.drop_column('auth_source')
        batch_op.drop_column('last_login_at')

    with op.batch_alter_table('user_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_groups_group_id'))

    op.drop_table('user_groups')
    with op.batch_alter_table('model_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_model_entries_model_id'))

    op.drop_table('model_entries')
    with op.batch_alter_table('guard_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guard_terms_list_kind'))

    op.drop_table('guard_terms')
    op.drop_table('guard_entity_rules')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groups_name'))

    op.drop_table('groups')
    op.drop_table('config_versions')
