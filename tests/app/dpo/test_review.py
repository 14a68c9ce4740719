"""The redaction log, the detail page, flags and purging, on exchanges made through the real chat.

Real guard, real SQLite, the fake upstream over HTTP: each test chats as an employee first,
then signs in as the DPO and works with what was stored.
"""
from __future__ import annotations

import json
import re

from sqlmodel import select

from app.storage.tables import AuditEntry, Exchange, ExchangeFlag, FindingRecord
from tests.app.conftest import PII_PROMPT, dump_database, leaked
from tests.app.dpo.support import chat_as, sign_in_dpo
from tests.app.test_pages import HTML

PLAIN = "Wie formuliere ich eine höfliche Absage für einen Termin?"


def _row_links(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/dpo/exchanges/(\d+)"', html)]


def _audit(env) -> list[tuple[str, str, dict]]:
    with env.session() as session:
        return [(e.action, e.target, json.loads(e.detail)) for e in
                session.exec(select(AuditEntry).order_by(AuditEntry.id)) if e.action != "retention_purge"]


def test_log_lists_every_exchange_newest_first_with_counts_and_references(env):
    chat_as(env, "erika", [PII_PROMPT, PLAIN])
    sign_in_dpo(env)
    page = env.client.get("/dpo", headers=HTML)
    assert page.status_code == 200
    ids = _row_links(page.text)
    assert len(ids) == 2 and ids == sorted(ids, reverse=True)
    assert "PERSON" in page.text and "IBAN_CODE" in page.text
    assert "erika" not in page.text.split("<main")[1], "only the pseudonymous reference is shown"
    assert re.search(r"<code>U-[0-9a-f]{6}</code>", page.text)
    assert leaked(page.text) == []


def test_log_filters_by_entity_type_verdict_model_user_search_and_date(env):
    chat_as(env, "erika", [PII_PROMPT])
    chat_as(env, "max", [PLAIN])
    sign_in_dpo(env)
    with env.session() as session:
        pii_id, plain_id = [e.id for e in session.exec(select(Exchange).order_by(Exchange.id))]

    def ids(**params) -> list[int]:
        response = env.client.get("/dpo", params=params, headers=HTML)
        assert response.status_code == 200, response.text
        return _row_links(response.text)

    assert ids(entity_type="IBAN_CODE") == [pii_id]
    assert ids(verdict="sent") == [plain_id, pii_id]
    assert ids(verdict="blocked") == []
    assert ids(model="fake") == [plain_id, pii_id] and ids(model="other") == []
    assert ids(q="Absage") == [plain_id]
    assert ids(q="[PERSON_1]") == [pii_id]
    assert ids(q="Schmidt") == [], "the original never reached the stored text"
    assert ids(since="2000-01-01", until="2000-12-31") == []
    page = env.client.get("/dpo", params={"entity_type": "PERSON"}, headers=HTML).text
    reference = re.search(r"<code>(U-[0-9a-f]{6})</code>", page).group(1)
    assert ids(user=reference) == [pii_id]
    assert ids(user="U-000000") == []


def test_bad_filters_are_a_clear_400_not_a_500(env):
    sign_in_dpo(env)
    for params in ({"since": "gestern"}, {"verdict": "maybe"}, {"entity_type": "x; drop"},
                   {"user": "erika"}, {"page": "0"}, {"since": "2026-02-01", "until": "2026-01-01"}):
        response = env.client.get("/dpo", params=params)
        assert response.status_code == 400, params
        assert response.json()["error"]["code"] == "invalid_filter"


def test_paging_walks_all_rows_without_gaps(env):
    chat_as(env, "erika", [f"Frage Nummer {n}" for n in range(5)])
    sign_in_dpo(env)
    from app.storage import dpo_queries
    with env.session() as session:
        first = dpo_queries.log_page(session, dpo_queries.LogFilter(), 1, per_page=2)
        second = dpo_queries.log_page(session, dpo_queries.LogFilter(), 2, per_page=2)
        third = dpo_queries.log_page(session, dpo_queries.LogFilter(), 3, per_page=2)
    seen = [r.id for r in first.rows + second.rows + third.rows]
    assert len(seen) == 5 == len(set(seen))
    assert first.has_next and second.has_next and not third.has_next
    assert 'rel="next"' not in env.client.get("/dpo", headers=HTML).text


def test_detail_page_highlights_placeholders_shows_findings_policy_timings_and_is_audited(env):
    chat_as(env, "erika", [PII_PROMPT])
    sign_in_dpo(env)
    with env.session() as session:
        exchange = session.exec(select(Exchange)).one()
    page = env.client.get(f"/dpo/exchanges/{exchange.id}", headers=HTML)
    assert page.status_code == 200
    assert '<mark class="ph" title="Name">[PERSON_1]' in page.text
    assert '<mark class="ph" title="IBAN">[IBAN_CODE_1]' in page.text
    assert "Echo:" in page.text, "the pseudonymised answer is shown"
    assert "pseudonymize" in page.text and "Prüfung (ms)" in page.text
    assert leaked(page.text) == []
    assert ("view_exchange", f"exchange:{exchange.id}", {}) in _audit(env)
    assert env.client.get("/dpo/exchanges/999999", headers=HTML).status_code == 404


def test_a_flagged_miss_hides_the_text_from_the_employee_and_can_be_purged(env):
    chat_as(env, "erika", [PLAIN + " Rückfragen an Herrn Zwoelfhuber."])
    csrf = sign_in_dpo(env)
    with env.session() as session:
        exchange = session.exec(select(Exchange)).one()
    response = env.client.post(f"/dpo/exchanges/{exchange.id}/flags", data={
        "kind": "missed", "entity_type": "PERSON", "note": "Name von Anna Schmidt durchgerutscht", "csrf": csrf},
        headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    with env.session() as session:
        flag = session.exec(select(ExchangeFlag)).one()
    assert flag.kind == "missed" and flag.entity_type == "PERSON"
    assert "Anna Schmidt" not in flag.note and "[PERSON_1]" in flag.note, "the note is pseudonymised"
    detail = env.client.get(f"/dpo/exchanges/{exchange.id}", headers=HTML).text
    assert 'id="hidden-notice"' in detail and "Absage" in detail, "the DPO still sees the text"
    flags_page = env.client.get("/dpo/flags", headers=HTML).text
    assert f'href="/dpo/exchanges/{exchange.id}"' in flags_page

    # The employee's own conversation no longer shows the text.
    env.client.cookies.clear()
    from tests.app.test_pages import login
    login(env.client, "erika")
    conversation = env.client.get(f"/c/{exchange.conversation_id}", headers=HTML).text
    assert "Absage" not in conversation

    csrf = sign_in_dpo(env)
    response = env.client.post(f"/dpo/exchanges/{exchange.id}/purge", data={"csrf": csrf}, headers=HTML,
                               follow_redirects=False)
    assert response.status_code == 303
    with env.session() as session:
        assert session.exec(select(Exchange)).all() == []
        assert session.exec(select(FindingRecord)).all() == []
        kept = session.exec(select(ExchangeFlag)).one()
    assert kept.exchange_id is None and kept.resolution == "purged"
    actions = [a for a, _, _ in _audit(env)]
    assert actions[-2:] == ["view_exchange", "purge_exchange"] and "flag" in actions
    assert leaked(dump_database(env.app.state.engine)) == []


def test_flag_input_is_checked(env):
    chat_as(env, "erika", [PLAIN])
    csrf = sign_in_dpo(env)
    with env.session() as session:
        exchange_id = session.exec(select(Exchange)).one().id
    bad = [{"kind": "nonsense"}, {"kind": "missed"}, {"kind": "missed", "entity_type": "a b"}]
    for data in bad:
        response = env.client.post(f"/dpo/exchanges/{exchange_id}/flags", data={**data, "csrf": csrf})
        assert response.status_code == 400, data
    no_csrf = env.client.post(f"/dpo/exchanges/{exchange_id}/flags", data={"kind": "over_redacted"})
    assert no_csrf.status_code == 403
    ok = env.client.post(f"/dpo/exchanges/{exchange_id}/flags", data={"kind": "over_redacted", "csrf": csrf},
                         follow_redirects=False)
    assert ok.status_code == 303


def test_resolving_a_flag(env):
    chat_as(env, "erika", [PLAIN])
    csrf = sign_in_dpo(env)
    with env.session() as session:
        exchange_id = session.exec(select(Exchange)).one().id
    env.client.post(f"/dpo/exchanges/{exchange_id}/flags", data={"kind": "over_redacted", "csrf": csrf})
    with env.session() as session:
        flag_id = session.exec(select(ExchangeFlag)).one().id
    assert env.client.post(f"/dpo/flags/{flag_id}/resolve", data={"resolution": "x", "csrf": csrf}).status_code == 400
    env.client.post(f"/dpo/flags/{flag_id}/resolve", data={"resolution": "tuned", "csrf": csrf})
    with env.session() as session:
        assert session.get(ExchangeFlag, flag_id).resolution == "tuned"
    assert ("resolve_flag", f"flag:{flag_id}", {"resolution": "tuned"}) in _audit(env)
    audit_page = env.client.get("/dpo/audit", headers=HTML).text
    assert "resolve_flag" in audit_page and "flag" in audit_page
