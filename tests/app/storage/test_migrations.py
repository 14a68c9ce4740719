"""Alembic migrations on real SQLite and PostgreSQL: empty databases, databases made by
the code before migrations (with data), model/migration agreement, downgrade."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlmodel import Session, select

from app.storage import schema
from app.storage.tables import ApiToken, Conversation, Exchange, FindingRecord, User
from tests.app.storage.conftest import legacy_schema_sql

APP_TABLES = {"users", "api_tokens", "conversations", "exchanges", "findings"}
# Added by 0003_learning_tables.
LEARNING_TABLES = {"library_prompts", "prompt_ratings", "basics_confirmations", "answer_feedback", "board_posts",
                   "board_comments", "model_votes", "learning_sessions", "learning_session_entries"}
# Added by 0004_dpo_desk.
DPO_TABLES = {"exchange_flags", "audit_log", "retention_runs", "job_leases"}
# Added by 0005_sessions_throttle (not in a database from before migrations).
SECURITY_TABLES = {"user_sessions", "login_throttle"}
CONTROL_ROOM_TABLES = {"groups", "user_groups", "model_entries", "guard_entity_rules", "guard_terms",
                       "config_versions"}
# Added by 0008_configcode_file_state: the hash of the configuration file applied at start.
CONFIG_FILE_TABLES = {"config_file_state"}


def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_creates_every_table_in_an_empty_database(database_url):
    assert schema.current_revision(database_url) is None
    schema.upgrade_database(database_url)
    assert table_names(database_url) == APP_TABLES | LEARNING_TABLES | DPO_TABLES | SECURITY_TABLES | CONTROL_ROOM_TABLES | CONFIG_FILE_TABLES | {"alembic_version"}
    assert schema.current_revision(database_url) == schema.head_revision()
    schema.upgrade_database(database_url)  # a second start changes nothing
    assert schema.current_revision(database_url) == schema.head_revision()


def test_models_and_migrations_agree(database_url):
    """Like `alembic check`: a model change without a revision shows up here."""
    schema.upgrade_database(database_url)
    assert schema.pending_changes(database_url) == []


def test_downgrade_to_base_removes_every_table(database_url):
    schema.upgrade_database(database_url)
    schema.downgrade_database(database_url, "base")
    assert table_names(database_url) <= {"alembic_version"}
    assert schema.current_revision(database_url) is None
    schema.upgrade_database(database_url)  # and back up again
    assert table_names(database_url) >= APP_TABLES | DPO_TABLES


# -- a database made by the code before migrations -----------------------------------------
CREATED = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=timezone.utc)


def make_legacy_database(url: str) -> None:
    """The old create_all schema with a row in every table, stored the way the old code did."""
    engine = create_engine(url)
    dialect = engine.dialect.name
    # SQLite kept naive UTC text; PostgreSQL a timestamptz.
    stamp = CREATED.replace(tzinfo=None) if dialect == "sqlite" else CREATED
    try:
        with engine.begin() as conn:
            for statement in legacy_schema_sql(dialect):
                conn.exec_driver_sql(statement)
            conn.execute(text("INSERT INTO users (id, username, role, is_active, password_hash, created_at) "
                              "VALUES (1, 'erika', 'dpo', true, 'argon2-hash', :t)"), {"t": stamp})
            conn.execute(text("INSERT INTO api_tokens (id, name, user_id, token_hash, created_at, last_used_at) "
                              "VALUES (1, 'ci', 1, :h, :t, NULL)"), {"h": "a" * 64, "t": stamp})
            conn.execute(text("INSERT INTO conversations (id, title, model_id, user_id, channel, created_at, "
                              "updated_at) VALUES (1, 'Brief an [PERSON_1]', 'fake', 1, 'web', :t, :t)"),
                         {"t": stamp})
            conn.execute(text(
                "INSERT INTO exchanges (id, model_id, channel, prompt_pseudonymised, answer_pseudonymised, "
                "verdict, error_code, prompt_tokens, completion_tokens, guard_ms, upstream_ms, conversation_id, "
                "user_id, created_at) VALUES (1, 'fake', 'web', 'Hallo [PERSON_1]', 'Guten Tag', 'sent', NULL, "
                "12, 5, 3.5, 120.0, 1, 1, :t)"), {"t": stamp})
            conn.execute(text("INSERT INTO findings (id, exchange_id, entity_type, count, max_score, recognizer, "
                              "action) VALUES (1, 1, 'PERSON', 1, 0.85, 'DePersonRecognizer', 'pseudonymize')"))
            if dialect == "postgresql":  # the ids came from the sequences before
                for table in APP_TABLES:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1)"))
    finally:
        engine.dispose()


def test_database_from_before_migrations_is_stamped_and_upgraded_with_its_rows(database_url, caplog):
    make_legacy_database(database_url)
    assert "alembic_version" not in table_names(database_url)

    with caplog.at_level("INFO", logger="spielraum.schema"):
        schema.upgrade_database(database_url)

    events = {record.getMessage(): record for record in caplog.records if record.name == "spielraum.schema"}
    assert events["schema.adopted"].stamped == schema.INITIAL_REVISION
    assert events["schema.upgraded"].from_revision == schema.INITIAL_REVISION
    assert events["schema.upgraded"].to_revision == schema.head_revision()

    assert schema.current_revision(database_url) == schema.head_revision()
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            user = session.exec(select(User)).one()
            assert (user.username, user.role, user.password_hash) == ("erika", "dpo", "argon2-hash")
            assert session.exec(select(ApiToken)).one().token_hash == "a" * 64
            assert session.exec(select(Conversation)).one().title == "Brief an [PERSON_1]"
            exchange = session.exec(select(Exchange)).one()
            assert (exchange.prompt_pseudonymised, exchange.prompt_tokens, exchange.upstream_ms) == (
                "Hallo [PERSON_1]", 12, 120.0)
            finding = session.exec(select(FindingRecord)).one()
            assert (finding.entity_type, finding.exchange_id, finding.max_score) == ("PERSON", 1, 0.85)
            assert exchange.created_at == CREATED and exchange.created_at.tzinfo is not None
            # New rows still get fresh ids after the old ones.
            session.add(User(username="max", password_hash="x"))
            session.commit()
            assert session.exec(select(User).where(User.username == "max")).one().id == 2
    finally:
        engine.dispose()


def test_partial_old_database_is_left_untouched_with_a_clear_error(sqlite_url):
    schema.upgrade_database(sqlite_url)
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE alembic_version")
        conn.exec_driver_sql("DROP TABLE findings")
    engine.dispose()
    with pytest.raises(schema.SchemaError, match="missing: findings"):
        schema.upgrade_database(sqlite_url)
    assert table_names(sqlite_url) == (APP_TABLES | LEARNING_TABLES | DPO_TABLES | SECURITY_TABLES | CONTROL_ROOM_TABLES | CONFIG_FILE_TABLES) - {"findings"}


def test_in_memory_sqlite_is_refused_with_a_clear_error():
    with pytest.raises(schema.SchemaError, match="in-memory SQLite"):
        schema.upgrade_database("sqlite://")
