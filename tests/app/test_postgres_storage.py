"""The chat's storage path on PostgreSQL: same tables, same privacy guarantees as on SQLite.

Runs against `postgresql+psycopg://postgres@127.0.0.1:5432/test` in a schema of its own
(dropped afterwards); skipped with the reason when no server answers there.
"""
from __future__ import annotations

import secrets

import pytest
from sqlmodel import select

from app.chat.web_service import ChatTurn
from app.storage.tables import Conversation, Exchange, FindingRecord
from tests.app.conftest import PII_PROMPT, RESTORED_VALUES, collect_turn, dump_database, leaked

pytestmark = pytest.mark.postgres
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _server_reachable() -> str | None:
    import psycopg

    try:
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL at 127.0.0.1:5432/test is not reachable ({type(exc).__name__})"


@pytest.fixture
def pg_schema():
    reason = _server_reachable()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = "spielraum_test_" + secrets.token_hex(4)
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema
    finally:
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_chat_exchange_is_stored_pseudonymised_on_postgres(make_env, fake_upstream, pg_schema):
    env = make_env(database_url=f"{SERVER}?options=-csearch_path%3D{pg_schema}")
    engine = env.app.state.engine
    assert engine.dialect.name == "postgresql"
    user = env.user()

    events = collect_turn(env.app, ChatTurn(user=user, model_id="fake", prompt=PII_PROMPT))
    assert events[0]["type"] == "sent" and events[-1]["type"] == "done", events
    answer = "".join(e["text"] for e in events if e["type"] == "delta")
    for value in RESTORED_VALUES:
        assert value in answer
    follow = collect_turn(env.app, ChatTurn(user=user, model_id="fake", prompt="Danke, bitte kürzer.",
                                         conversation_id=events[0]["conversation_id"], vault=events[0]["vault"]))
    assert follow[-1]["type"] == "done"

    with env.session() as session:
        exchanges = session.exec(select(Exchange)).all()
        conversations = session.exec(select(Conversation)).all()
        findings = session.exec(select(FindingRecord)).all()
    assert len(exchanges) == 2 and len(conversations) == 1
    assert [e.verdict for e in exchanges] == ["sent", "sent"]
    assert {f.entity_type for f in findings} >= {"PERSON", "IBAN_CODE"}
    dump = dump_database(engine)
    assert "exchanges:" in dump and "findings:" in dump and "users:" in dump
    assert leaked(dump) == []
    assert leaked(fake_upstream.all_text()) == []

    health = env.client.get("/healthz").json()
    assert health["database"]["ok"] is True and health["database"]["dialect"] == "postgresql"
    assert health["database"]["pool"]["in_use"] == 0  # no connection outlives a turn



def test_search_and_delete_of_conversations_on_postgres(make_env, pg_schema):
    from app.storage import crud

    env = make_env(database_url=f"{SERVER}?options=-csearch_path%3D{pg_schema}")
    user = env.user()
    first = collect_turn(env.app, ChatTurn(user=user, model_id="fake", prompt=PII_PROMPT))
    other = collect_turn(env.app, ChatTurn(user=user, model_id="fake", prompt="Frage zur 100%_Gebühr."))
    cid, keep = first[0]["conversation_id"], other[0]["conversation_id"]
    with env.session() as session:
        found, more = crud.search_conversations(session, user.id, "person_1")
        assert [c.id for c in found] == [cid] and more is False
        assert [c.id for c in crud.search_conversations(session, user.id, "100%_")[0]] == [keep]
        assert crud.search_conversations(session, user.id, "G%r")[0] == []   # % is literal, not a wildcard
        assert crud.delete_conversation(session, user.id, cid) == 1
        assert session.exec(select(Exchange).where(Exchange.conversation_id == cid)).all() == []
        assert [c.id for c in session.exec(select(Conversation))] == [keep]
