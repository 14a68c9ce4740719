"""Column types whose stored form we choose ourselves rather than inherit from a library default.

`UtcDateTime`: every time in Spielraum is an aware UTC datetime. PostgreSQL stores it as
`timestamptz`. SQLite has no time zones and keeps text; we store the UTC wall-clock time
(`2026-03-01 09:30:15.123456`, one fixed format, so text order is time order and the log's
indexes sort correctly) and attach UTC again when reading. Naive datetimes are refused on
the way in: a time of unknown zone would be silently wrong in the log.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import types


class UtcDateTime(types.TypeDecorator):
    impl = types.DateTime(timezone=True)
    cache_ok = True

    def __repr__(self) -> str:
        return "UtcDateTime()"

    def coerce_compared_value(self, op, value):
        if isinstance(value, timedelta):
            return types.Interval()
        return self

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("Times must be timezone-aware (use datetime.now(timezone.utc)).")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
