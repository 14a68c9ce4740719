"""Indexes for the data-protection officer's log; every time stored as UTC with its zone.

Indexes: the log reads exchanges newest first (created_at, id), optionally narrowed to a
verdict, a model or a person (each + created_at, so a filtered page comes in order), and
by kind of data found (findings: entity_type, exchange_id). The sidebar reads a person's
conversations by (user_id, updated_at). The single-column user_id indexes on exchanges and
conversations are replaced: the new ones start with user_id and serve the same lookups.

Times (data migration, keeps every row's instant):
- PostgreSQL: a datetime column still `timestamp without time zone` (made by an older
  SQLModel release, which mapped datetime to a naive column) becomes `timestamptz`. The old
  code wrote aware UTC datetimes into it, which PostgreSQL stored as wall-clock time in the
  session's TimeZone, so the values are read back in that same zone
  (`AT TIME ZONE current_setting('TimeZone')`; with the usual server default UTC that is UTC).
  Columns already `timestamptz` (what create_all made at 0001) are left alone.
- SQLite keeps text. Spielraum always wrote naive UTC text ('2026-03-01 09:30:15.123456');
  a value carrying an offset, a 'Z' or a 'T' (written by another tool) is converted to that
  form, so reading attaches UTC correctly and text order stays time order.

Downgrade drops the new indexes and restores the old ones; times stay as they are (0001's
columns are timezone-aware already, and normalised text means the same instant).

Revision ID: 0002_log_indexes_tz
Revises: 0001_initial
Create Date: 2026-12-05 14:49:01.253611
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision: str = "0002_log_indexes_tz"
down_revision: str | Sequence[str] | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DATETIME_COLUMNS = (
    ("users", "created_at"),
    ("api_tokens", "created_at"),
    ("api_tokens", "last_used_at"),
    ("conversations", "created_at"),
    ("conversations", "updated_at"),
    ("exchanges", "created_at"),
)
# Text that is not Spielraum's own 'YYYY-MM-DD HH:MM:SS[.ffffff]' form.
SQLITE_IRREGULAR = ("{c} IS NOT NULL AND ({c} LIKE '%T%' OR {c} LIKE '%Z' "
                    "OR {c} GLOB '*[+-][0-9][0-9]:[0-9][0-9]' OR {c} GLOB '*[+-][0-9][0-9][0-9][0-9]')")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _postgres_times_to_timestamptz(bind)
    elif bind.dialect.name == "sqlite":
        _sqlite_times_to_utc_text(bind)

    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_conversations_user_id")
        batch_op.create_index("ix_conversations_user_id_updated_at", ["user_id", "updated_at"], unique=False)

    with op.batch_alter_table("exchanges", schema=None) as batch_op:
        batch_op.drop_index("ix_exchanges_user_id")
        batch_op.create_index("ix_exchanges_created_at_id", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_exchanges_model_id_created_at", ["model_id", "created_at"], unique=False)
        batch_op.create_index("ix_exchanges_user_id_created_at", ["user_id", "created_at"], unique=False)
        batch_op.create_index("ix_exchanges_verdict_created_at", ["verdict", "created_at"], unique=False)

    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index("ix_findings_entity_type_exchange_id", ["entity_type", "exchange_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index("ix_findings_entity_type_exchange_id")

    with op.batch_alter_table("exchanges", schema=None) as batch_op:
        batch_op.drop_index("ix_exchanges_verdict_created_at")
        batch_op.drop_index("ix_exchanges_user_id_created_at")
        batch_op.drop_index("ix_exchanges_model_id_created_at")
        batch_op.drop_index("ix_exchanges_created_at_id")
        batch_op.create_index("ix_exchanges_user_id", ["user_id"], unique=False)

    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_conversations_user_id_updated_at")
        batch_op.create_index("ix_conversations_user_id", ["user_id"], unique=False)


def _postgres_times_to_timestamptz(bind) -> None:
    inspector = sa.inspect(bind)
    for table, column in DATETIME_COLUMNS:
        kind = next(c["type"] for c in inspector.get_columns(table) if c["name"] == column)
        if isinstance(kind, sa.DateTime) and not kind.timezone:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE TIMESTAMP WITH TIME ZONE "
                       f"USING {column} AT TIME ZONE current_setting('TimeZone')")


def _sqlite_times_to_utc_text(bind) -> None:
    for table, column in DATETIME_COLUMNS:
        rows = bind.execute(sa.text(
            f"SELECT rowid, {column} FROM {table} WHERE {SQLITE_IRREGULAR.format(c=column)}")).fetchall()
        for rowid, value in rows:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                # The value is a time, not personal data; the row id lets a person find it.
                raise RuntimeError(f"{table}.{column} of row {rowid} is not a readable time; "
                                   "please correct it, then upgrade again.") from None
            if moment.tzinfo is not None:
                moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
            bind.execute(sa.text(f"UPDATE {table} SET {column} = :value WHERE rowid = :rowid"),
                         {"value": moment.strftime("%Y-%m-%d %H:%M:%S.%f"), "rowid": rowid})
