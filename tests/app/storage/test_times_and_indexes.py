"""Times come back timezone-aware UTC on SQLite and PostgreSQL, old rows keep their instant
through 0002, and 0002's indexes are there (and gone again after a downgrade)."""
from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlmodel import Session, select

from app.storage import schema
from app.storage.tables import Exchange, User
from tests.app.storage.conftest import legacy_schema_sql
from tests.app.storage.test_migrations import CREATED, make_legacy_database

LOG_INDEXES = {
    "exchanges": {"ix_exchanges_created_at_id", "ix_exchanges_verdict_created_at",
                  "ix_exchanges_model_id_created_at", "ix_exchanges_user_id_created_at"},
    "findings": {"ix_findings_entity_type_exchange_id"},
    "conversations": {"ix_conversations_user_id_updated_at"},
}


def index_names(url: str, table: str) -> set[str]:
    engine = create_engine(url)
    try:
        return {index["name"] for index in inspect(engine).get_indexes(table)}
    finally:
        engine.dispose()


def test_times_read_back_aware_utc_and_compare_in_queries(database_url):
    schema.upgrade_database(database_url)
    berlin = timezone(timedelta(hours=2))
    written = datetime(2026, 6, 1, 12, 0, 0, 250000, tzinfo=berlin)  # 10:00:00.25 UTC
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            user = User(username="erika", password_hash="x", created_at=written)
            session.add(user)
            session.commit()
            session.add_all([Exchange(model_id="m", user_id=user.id, created_at=written + timedelta(minutes=m))
                             for m in range(3)])
            session.commit()
        with Session(engine) as session:
            read = session.exec(select(User)).one().created_at
            assert read == written and read.utcoffset() == timedelta(0) and read.hour == 10
            # A bound aware datetime is compared as the same instant, whatever its zone.
            since = datetime(2026, 6, 1, 10, 1, tzinfo=timezone.utc)
            newer = session.exec(select(Exchange).where(Exchange.created_at >= since)
                                 .order_by(Exchange.created_at.desc())).all()
            assert [e.created_at.minute for e in newer] == [2, 1]
            with pytest.raises(Exception, match="timezone-aware"):
                session.add(User(username="naive", password_hash="x", created_at=datetime(2026, 1, 1)))
                session.commit()
    finally:
        engine.dispose()


def test_log_indexes_exist_after_upgrade_and_go_with_a_downgrade(database_url):
    schema.upgrade_database(database_url)
    for table, names in LOG_INDEXES.items():
        assert names <= index_names(database_url, table)
    assert "ix_exchanges_user_id" not in index_names(database_url, "exchanges")

    schema.downgrade_database(database_url, schema.INITIAL_REVISION)
    for table, names in LOG_INDEXES.items():
        assert not names & index_names(database_url, table)
    assert "ix_exchanges_user_id" in index_names(database_url, "exchanges")
    assert "ix_conversations_user_id" in index_names(database_url, "conversations")


def test_sqlite_times_written_by_other_tools_are_normalised_to_utc(sqlite_url):
    make_legacy_database(sqlite_url)
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:  # the same instant, written three other ways
        conn.execute(text("UPDATE users SET created_at = '2026-03-01T10:30:15.123456+01:00'"))
        conn.execute(text("UPDATE conversations SET created_at = '2026-03-01T09:30:15.123456Z', "
                          "updated_at = '2026-03-01 04:30:15.123456-05:00'"))
    engine.dispose()

    schema.upgrade_database(sqlite_url)

    engine = create_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT created_at, updated_at FROM conversations")).one()
            assert tuple(stored) == ("2026-03-01 09:30:15.123456", "2026-03-01 09:30:15.123456")
        with Session(engine) as session:
            assert session.exec(select(User)).one().created_at == CREATED
            assert session.exec(select(Exchange)).one().created_at == CREATED  # already regular: untouched
    finally:
        engine.dispose()


def test_sqlite_unreadable_time_stops_the_upgrade_and_changes_nothing(sqlite_url):
    make_legacy_database(sqlite_url)
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE exchanges SET created_at = 'gestern T abend'"))
    engine.dispose()
    with pytest.raises(RuntimeError, match="exchanges.created_at of row 1"):
        schema.upgrade_database(sqlite_url)
    # One transaction: not even the stamp of 0001 remains.
    assert schema.current_revision(sqlite_url) is None
    assert "alembic_version" not in inspect(create_engine(sqlite_url)).get_table_names()


def test_postgres_naive_timestamps_from_older_sqlmodel_become_timestamptz(pg_url):
    """Older SQLModel releases made `timestamp without time zone`; rows written by the old code
    hold wall-clock time in the session's TimeZone (here Berlin) and must keep their instant."""
    url = pg_url + "%20-ctimezone%3DEurope/Berlin"
    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in legacy_schema_sql("postgresql"):
            conn.exec_driver_sql(statement.replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITHOUT TIME ZONE"))
        conn.execute(text("INSERT INTO users (id, username, role, is_active, password_hash, created_at) "
                          "VALUES (1, 'erika', 'employee', true, 'h', :t)"), {"t": CREATED})
        assert conn.execute(text("SELECT created_at FROM users")).scalar() == datetime(2026, 3, 1, 10, 30, 15, 123456)
    engine.dispose()

    schema.upgrade_database(url)

    engine = create_engine(pg_url)  # read in the server's default zone: the instant is what counts
    try:
        columns = {c["name"]: c["type"] for c in inspect(engine).get_columns("users")}
        assert columns["created_at"].timezone is True
        with Session(engine) as session:
            assert session.exec(select(User)).one().created_at == CREATED
        assert schema.pending_changes(pg_url) == []
    finally:
        engine.dispose()


def test_a_developer_revision_is_autogenerated_from_a_model_change(sqlite_url, tmp_path, monkeypatch):
    """`spielraum db revision -m` on a copy of the migrations: a new column becomes revision 0003."""
    import sqlalchemy as sa

    copy = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", copy)
    schema.upgrade_database(sqlite_url)
    head = max(path.stem for path in (copy / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    following = f"{int(head[:4]) + 1:04d}"
    assert schema.new_revision(sqlite_url, "nothing new", autogenerate=True) == f"{following}_nothing_new"
    (copy / "versions" / f"{following}_nothing_new.py").unlink()

    column = sa.Column("department", sa.String(length=80), nullable=True)
    User.__table__.append_column(column)
    try:
        rev_id = schema.new_revision(sqlite_url, "Users: department")
    finally:
        User.__table__._columns.remove(column)
    assert rev_id == f"{following}_users_department"
    written = (copy / "versions" / f"{rev_id}.py").read_text(encoding="utf-8")
    assert f"down_revision: str | Sequence[str] | None = '{head}'" in written
    assert "batch_op.add_column(sa.Column('department', sa.String(length=80), nullable=True))" in written
    assert "sqlmodel" not in written
