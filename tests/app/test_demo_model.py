"""The built-in demo model: a newcomer can chat right after `spielraum serve`, no model server needed."""
from __future__ import annotations

from app.chat.web_service import ChatTurn
from app.chat.demo_model import DEMO_MODEL_ID
from app.factory import create_app
from app.settings import Settings
from tests.app.conftest import AppEnv, ServerThread, collect_turn, dump_database, free_port


def test_demo_model_answers_over_http_with_what_the_model_received(tmp_path, guard):
    port = free_port()
    settings = Settings(data_dir=tmp_path / "data", secret_key="test", self_url=f"http://127.0.0.1:{port}")
    app = create_app(settings, guard=guard)
    assert [m.id for m in app.state.models.peek().models] == [DEMO_MODEL_ID]
    with ServerThread(app, port=port):
        env = AppEnv(app, None, settings)
        user = env.user("newcomer")
        events = collect_turn(app, ChatTurn(user=user, model_id=DEMO_MODEL_ID, conversation_id=None, vault={},
                                            prompt="Bitte antworten Sie Herrn Bogdan Nowicki, Tel. 0176 23456789."))
    sent = next(e for e in events if e["type"] == "sent")
    answer = "".join(e["text"] for e in events if e["type"] == "delta")
    assert events[-1]["type"] == "done", events
    assert "Nowicki" not in sent["sent_text"] and "[PERSON_1]" in sent["sent_text"]
    assert answer.startswith("Ich bin kein echtes Sprachmodell")
    assert "Statt Ihrer Angaben kamen 2 Platzhalter bei mir an" in answer
    assert "Bogdan Nowicki" in answer and "0176 23456789" in answer  # restored for this user
    assert "Nowicki" not in dump_database(app.state.engine)


def test_no_demo_model_when_a_catalogue_is_configured(make_env):
    env = make_env(self_url="http://127.0.0.1:1")
    assert DEMO_MODEL_ID not in [m.id for m in env.app.state.models.peek().models]
    assert env.client.post("/demo/v1/chat/completions", json={}).status_code == 404


def test_demo_model_can_be_switched_off(tmp_path, guard):
    settings = Settings(data_dir=tmp_path / "data", secret_key="t", self_url="http://127.0.0.1:1", demo_model=False)
    assert len(create_app(settings, guard=guard).state.models.peek()) == 0


def test_demo_answers_in_the_language_of_the_message_and_claims_nothing_untrue():
    from app.chat.demo_upstream import _answer

    english = _answer({"messages": [{"role": "user", "content": "Please write to [PERSON_1] about the fee."}]})
    assert english.startswith("I am not a real language model")
    assert "1 placeholder(s) reached me" in english
    assert "where your browser still holds the mapping" in english
    german = _answer({"messages": [{"role": "user", "content": "Was ist ein Verwaltungsakt?"}]})
    assert german.startswith("Ich bin kein echtes Sprachmodell")
    assert "keine personenbezogenen Daten ersetzt" in german
    assert "wieder durch Ihre Angaben ersetzt" not in german + english
