"""The learning features' queries on PostgreSQL (search, grouping, joins, upserts): the
library flow and feedback overview end to end, in a schema of its own."""
from __future__ import annotations

import re

import pytest

from app.storage import learning_store
from tests.app.conftest import PII_PROMPT, dump_database, leaked
from tests.app.learning.support import chat_turn, csrf_of, signed_in
from tests.app.test_postgres_storage import SERVER, pg_schema  # noqa: F401 - the fixture
from tests.app.test_pages import HTML

pytestmark = pytest.mark.postgres


def test_library_rating_feedback_and_board_on_postgres(make_env, pg_schema):  # noqa: F811
    env = make_env(database_url=f"{SERVER}?options=-csearch_path%3D{pg_schema}")
    client = signed_in(env)
    assert "Text in Leichte Sprache übertragen" in client.get(
        "/learning/library", params={"q": "LEICHTE sprache"}, headers=HTML).text
    with env.session() as session:
        prompt_id = learning_store.get_prompt_by_key(session, "tagesordnung").id
    csrf = csrf_of(client)
    client.post(f"/learning/library/{prompt_id}/rate", data={"csrf": csrf, "value": "1"}, headers=HTML)
    client.post(f"/learning/library/{prompt_id}/rate", data={"csrf": csrf, "value": "-1"}, headers=HTML)
    assert "-1 (1 Bewertungen)" in client.get(f"/learning/library/{prompt_id}", headers=HTML).text

    exchange_id = chat_turn(client, csrf, PII_PROMPT)["sent"]["exchange_id"]
    rated = client.post("/learning/feedback", headers={"x-csrf-token": csrf}, json={
        "exchange_id": exchange_id, "helpful": True, "reason": "hilfreich", "prompt_id": prompt_id})
    assert rated.status_code == 200
    client.post(f"/learning/board/share/{exchange_id}", data={"csrf": csrf, "note": "Gut gegliedert."}, headers=HTML)
    assert "Gut gegliedert." in client.get("/learning/board", headers=HTML).text

    admin = signed_in(env, "chefin", "admin")
    overview = re.sub(r">\s+<", "><", admin.get("/learning/feedback", headers=HTML).text)
    assert f'<tr data-prompt="{prompt_id}">' in overview
    assert not leaked(dump_database(env.app.state.engine))
