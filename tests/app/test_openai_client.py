"""The official `openai` client against a real uvicorn server: the tools people already use work."""
from __future__ import annotations

import openai
import pytest

from tests.app.conftest import PII_PROMPT, RESTORED_VALUES, ServerThread, leaked


@pytest.fixture
def served(env):
    token = env.token(env.user())
    with ServerThread(env.app) as server:
        yield openai.OpenAI(base_url=f"{server.base_url}/v1", api_key=token, max_retries=0, timeout=30)


def test_openai_client_lists_models_and_gets_plain_and_streamed_answers(served, fake_upstream):
    assert [m.id for m in served.models.list()] == ["fake", "fake-short"]

    plain = served.chat.completions.create(model="fake", messages=[{"role": "user", "content": PII_PROMPT}])
    answer = plain.choices[0].message.content
    for value in RESTORED_VALUES:
        assert value in answer
    assert plain.usage.total_tokens > 0

    stream = served.chat.completions.create(model="fake", stream=True,
                                            messages=[{"role": "user", "content": PII_PROMPT}])
    pieces = [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]
    assert len(pieces) > 2
    for value in RESTORED_VALUES:
        assert value in "".join(pieces)

    assert len(fake_upstream.requests) == 2
    assert leaked(fake_upstream.all_text()) == []
    assert "[PERSON_1]" in fake_upstream.all_text()


def test_openai_client_sees_clear_errors(served, fake_upstream):
    with pytest.raises(openai.NotFoundError) as not_found:
        served.chat.completions.create(model="nope", messages=[{"role": "user", "content": "Hallo"}])
    assert not_found.value.code == "model_not_found"

    fake_upstream.behaviour = "broken_stream"
    with pytest.raises(openai.APIError) as broken:
        for _ in served.chat.completions.create(model="fake", stream=True,
                                                messages=[{"role": "user", "content": "Erzählen Sie etwas."}]):
            pass
    assert "unterbrochen" in str(broken.value)
