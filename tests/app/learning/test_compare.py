"""Compare models: two turns through the guard, a vote, and the vote in the overview."""
from __future__ import annotations

import re

from tests.app.conftest import PII_PROMPT, leaked
from tests.app.learning.support import chat_turn, csrf_of, signed_in
from tests.app.test_pages import HTML


def _vote(client, csrf, **body):
    return client.post("/learning/compare/vote", json=body, headers={"x-csrf-token": csrf, "accept": "application/json"})


def test_two_models_one_prompt_and_the_vote_feeds_the_overview(env, fake_upstream):
    client = signed_in(env)
    page = client.get("/learning/compare", headers=HTML).text
    assert '<select id="model-a">' in page and '<script src="/static/learning.js" defer></script>' in page
    csrf = csrf_of(client, "/learning/compare")
    a = chat_turn(client, csrf, PII_PROMPT, model_id="fake")["sent"]
    b = chat_turn(client, csrf, PII_PROMPT, model_id="fake-short")["sent"]
    assert a["conversation_id"] != b["conversation_id"]
    assert not leaked(fake_upstream.all_text())
    assert _vote(client, csrf, exchange_a=a["exchange_id"], exchange_b=b["exchange_id"], winner="a").status_code == 200
    # Voting again changes the vote instead of counting twice.
    assert _vote(client, csrf, exchange_a=a["exchange_id"], exchange_b=b["exchange_id"], winner="b").status_code == 200

    admin = signed_in(env, "chefin", "admin")
    overview = re.sub(r">\s+<", "><", admin.get("/learning/feedback", headers=HTML).text)
    assert ('<tr data-model="fake"><th scope="row">fake</th><td>0</td><td>0</td><td>–</td>'
            '<td>0</td><td>1</td><td>0</td></tr>') in overview
    assert ('<tr data-model="fake-short"><th scope="row">fake-short</th><td>0</td><td>0</td><td>–</td>'
            '<td>1</td><td>0</td><td>0</td></tr>') in overview


def test_votes_need_two_own_answers_of_different_models(env):
    client = signed_in(env)
    csrf = csrf_of(client, "/learning/compare")
    a = chat_turn(client, csrf, "Frage eins.", model_id="fake")["sent"]["exchange_id"]
    same = chat_turn(client, csrf, "Frage zwei.", model_id="fake")["sent"]["exchange_id"]
    assert _vote(client, csrf, exchange_a=a, exchange_b=same, winner="a").status_code == 400
    assert _vote(client, csrf, exchange_a=a, exchange_b=a, winner="a").status_code == 404
    assert _vote(client, csrf, exchange_a=a, exchange_b=same, winner="beide").status_code == 400
    stranger = signed_in(env, "max")
    stranger_csrf = csrf_of(stranger, "/learning/compare")
    other = chat_turn(stranger, stranger_csrf, "Frage drei.", model_id="fake-short")["sent"]["exchange_id"]
    assert _vote(stranger, stranger_csrf, exchange_a=a, exchange_b=other, winner="b").status_code == 404
