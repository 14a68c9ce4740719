"""The chat's two writes per turn: open (one transaction, conversation included) and finish (one UPDATE).
Run on SQLite and PostgreSQL; what is read back afterwards is what a later request would see."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import create_engine
from sqlmodel import Session, select

from app.storage import crud, schema
from app.storage.tables import Conversation, Exchange, FindingRecord, User, utcnow


def _engine_with_user(url: str):
    schema.upgrade_database(url)
    engine = create_engine(url)
    with Session(engine) as session:
        user = User(username="erika", password_hash="x")
        session.add(user)
        session.commit()
        session.refresh(user)
    return engine, user.id


def test_opening_an_exchange_starts_its_conversation_and_links_the_findings(database_url):
    engine, user_id = _engine_with_user(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            exchange = crud.store_new_exchange(
                session, Exchange(user_id=user_id, model_id="m1", channel="api", prompt_pseudonymised="Hallo [PERSON_1]"),
                [FindingRecord(entity_type="PERSON", count=1, max_score=0.9, recognizer="r", action="pseudonymize"),
                 FindingRecord(entity_type="IBAN_CODE", count=1, max_score=1.0, recognizer="i", action="pseudonymize")],
                title="Hallo [PERSON_1]")
            assert exchange.id is not None and exchange.conversation_id is not None
        with Session(engine) as session:
            conversation = session.get(Conversation, exchange.conversation_id)
            assert (conversation.user_id, conversation.title, conversation.channel, conversation.model_id) == (
                user_id, "Hallo [PERSON_1]", "api", "m1")
            stored = session.exec(select(FindingRecord).where(FindingRecord.exchange_id == exchange.id)).all()
            assert sorted(f.entity_type for f in stored) == ["IBAN_CODE", "PERSON"]
    finally:
        engine.dispose()


def test_a_continued_conversation_is_touched_and_takes_the_new_model(database_url):
    engine, user_id = _engine_with_user(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            old = utcnow() - timedelta(days=3)
            conversation = Conversation(user_id=user_id, model_id="m1", title="t", created_at=old, updated_at=old)
            session.add(conversation)
            session.commit()
            crud.store_new_exchange(session, Exchange(user_id=user_id, model_id="m2", conversation_id=conversation.id), [],
                                    title="ignored for an existing conversation")
        with Session(engine) as session:
            touched = session.get(Conversation, conversation.id)
            assert touched.model_id == "m2" and touched.title == "t"
            assert touched.updated_at > old + timedelta(days=2)
            assert len(session.exec(select(Conversation)).all()) == 1
    finally:
        engine.dispose()


def test_finishing_writes_the_answer_and_reports_a_missing_exchange(database_url):
    engine, user_id = _engine_with_user(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            exchange = crud.store_new_exchange(session, Exchange(user_id=user_id, model_id="m"), [], title="t")
            assert crud.update_exchange(session, exchange.id, answer_pseudonymised="Antwort", upstream_ms=12.5,
                                        prompt_tokens=3, completion_tokens=4)
            assert not crud.update_exchange(session, exchange.id + 1000, answer_pseudonymised="nirgends")
        with Session(engine) as session:
            stored = session.get(Exchange, exchange.id)
            assert (stored.answer_pseudonymised, stored.prompt_tokens, stored.completion_tokens, stored.verdict) == (
                "Antwort", 3, 4, "sent")
    finally:
        engine.dispose()
