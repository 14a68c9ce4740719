"""The desk on PostgreSQL: the same chat-made exchanges found, filtered, flagged, exported,
counted and purged, and the retention lease claimed once (skipped where no server answers)."""
from __future__ import annotations

import json
import re

import pytest
from sqlmodel import select

from app.dpo import retention
from app.storage.tables import AuditEntry, Exchange
from tests.app.conftest import PII_PROMPT, leaked
from tests.app.dpo.support import chat_as, sign_in_dpo
from tests.app.test_pages import HTML
from tests.app.test_postgres_storage import SERVER, pg_schema  # noqa: F401 - the fixture

pytestmark = pytest.mark.postgres


def test_desk_on_postgres(make_env, pg_schema):  # noqa: F811
    env = make_env(database_url=f"{SERVER}?options=-csearch_path%3D{pg_schema}", retention_job=False)
    assert env.app.state.engine.dialect.name == "postgresql"
    chat_as(env, "erika", [PII_PROMPT, "Wie formuliere ich eine höfliche Absage?"])
    csrf = sign_in_dpo(env)

    page = env.client.get("/dpo", params={"entity_type": "IBAN_CODE", "since": "2000-01-01"}, headers=HTML)
    ids = [int(n) for n in re.findall(r'href="/dpo/exchanges/(\d+)"', page.text)]
    assert len(ids) == 1
    assert [int(n) for n in re.findall(r'href="/dpo/exchanges/(\d+)"',
                                       env.client.get("/dpo", params={"q": "Absage"}, headers=HTML).text)] != ids
    detail = env.client.get(f"/dpo/exchanges/{ids[0]}", headers=HTML).text
    assert "[IBAN_CODE_1]" in detail and leaked(detail) == []
    env.client.post(f"/dpo/exchanges/{ids[0]}/flags", data={"kind": "missed", "entity_type": "PERSON", "csrf": csrf})
    lines = [json.loads(line) for line in env.client.get("/dpo/export", params={"format": "jsonl"}).text.splitlines()]
    assert len(lines) == 2 and [item["text_withheld"] for item in lines].count(True) == 1
    stats = env.client.get("/dpo/stats", headers=HTML)
    assert stats.status_code == 200 and "missed-table" in stats.text
    assert env.client.get("/dpo/report", headers=HTML).status_code == 200

    engine = env.app.state.engine
    assert retention.run_if_due(engine, 0, 3600, "one") is not None
    assert retention.run_if_due(engine, 0, 3600, "two") is None, "the lease holds for the interval"
    with env.session() as session:
        assert session.exec(select(Exchange)).all() == []
        actions = [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]
    # The flag form redirects back to the exchange, which is a second view.
    assert actions == ["view_exchange", "flag", "view_exchange", "export", "retention_purge"]
