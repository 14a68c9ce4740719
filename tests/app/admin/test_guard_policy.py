"""Each guard setting made in /admin/guard changes what the real chat sends to the (fake) model.

The model is a fake OpenAI-compatible server over real HTTP that records every request, so
"replaced" means: the upstream never saw it; "kept" means: the upstream saw it verbatim.
"""
from __future__ import annotations

import json

from sqlmodel import select

from app.storage import config_versions
from app.storage.tables import AuditEntry, Exchange, FindingRecord, GuardEntityRule, GuardTermEntry
from tests.app.admin.guard_support import Employee, GuardAdmin
from tests.app.conftest import dump_database
from tests.app.test_pages import HTML

AUTHORITY = "Landratsamt Müller-Stadt"


def sent_to_model(fake_upstream) -> str:
    return fake_upstream.requests[-1]["messages"][-1]["content"]


def test_deny_list_word_and_regex_are_replaced_before_the_model_sees_them(env, fake_upstream):
    admin, employee = GuardAdmin(env), Employee(env)
    prompt = "Bitte fassen Sie den Stand zu Projekt Nordlicht im Vorgang VG-2024-0815 zusammen."
    employee.web(prompt)
    assert "Nordlicht" in sent_to_model(fake_upstream) and "VG-2024-0815" in sent_to_model(fake_upstream)

    assert admin.add("deny", "Nordlicht", note="Projektname").status_code == 303
    assert admin.add("deny", r"VG-\d{4}-\d{4}", regex=True, entity_type="FILE_NUMBER").status_code == 303
    events = employee.web(prompt)
    sent = sent_to_model(fake_upstream)
    assert "Nordlicht" not in sent and "VG-2024-0815" not in sent
    assert "[CONFIDENTIAL_1]" in sent and "[FILE_NUMBER_1]" in sent
    # restored for the person, and recorded as the deny list's findings (no value stored)
    answer = "".join(e.get("text", "") for e in events if e["type"] == "delta")
    assert "Nordlicht" in answer and "VG-2024-0815" in answer
    with env.session() as session:
        records = session.exec(select(FindingRecord).where(FindingRecord.recognizer == "deny_list")).all()
        latest = session.exec(select(Exchange).order_by(Exchange.id.desc())).first()
    assert {r.entity_type for r in records} == {"CONFIDENTIAL", "FILE_NUMBER"}
    assert "Nordlicht" not in latest.prompt_pseudonymised and "[CONFIDENTIAL_1]" in latest.prompt_pseudonymised
    # the API goes through the same pipeline
    assert employee.api(prompt).status_code == 200
    assert "Nordlicht" not in sent_to_model(fake_upstream)


def test_allow_list_term_reaches_the_model_while_other_data_is_still_replaced(env, fake_upstream):
    admin, employee = GuardAdmin(env), Employee(env)
    prompt = f"Herr Jens Müller hat beim {AUTHORITY} einen Antrag gestellt, IBAN DE89 3704 0044 0532 0130 00."
    employee.api(prompt)
    assert AUTHORITY not in sent_to_model(fake_upstream), "without the allow list the name inside is replaced"

    assert admin.add("allow", AUTHORITY, note="unsere Behörde").status_code == 303
    assert employee.api(prompt).status_code == 200
    sent = sent_to_model(fake_upstream)
    assert AUTHORITY in sent
    assert "Jens Müller" not in sent and "DE89" not in sent
    employee.web(prompt)
    assert AUTHORITY in sent_to_model(fake_upstream) and "Jens Müller" not in sent_to_model(fake_upstream)


def test_block_policy_blocks_on_web_chat_and_api(env, fake_upstream):
    admin, employee = GuardAdmin(env), Employee(env)
    assert admin.rules(IBAN_CODE=("block", "")).status_code == 303
    prompt = "Überweisen Sie an DE89 3704 0044 0532 0130 00, Frau Anna Schmidt."
    events = employee.web(prompt)
    blocked = [e for e in events if e["type"] == "blocked"]
    assert blocked and blocked[0]["entity_types"] == ["IBAN_CODE"]
    assert "nicht gesendet" in blocked[0]["message_de"] and "IBAN" in blocked[0]["message_de"]
    response = employee.api(prompt)
    assert response.status_code == 400 and response.json()["error"]["code"] == "pii_blocked"
    assert fake_upstream.requests == []


def test_allow_action_lets_a_type_through_and_mask_is_not_restored(env, fake_upstream):
    admin, employee = GuardAdmin(env), Employee(env)
    assert admin.rules(PHONE_NUMBER=("allow", ""), EMAIL_ADDRESS=("mask", "")).status_code == 303
    events = employee.web("Rufen Sie 0171 2345678 an oder schreiben Sie an anna.schmidt@example.org.")
    sent = sent_to_model(fake_upstream)
    assert "0171 2345678" in sent
    assert "anna.schmidt@example.org" not in sent and "****.*******@*******.***" in sent
    answer = "".join(e.get("text", "") for e in events if e["type"] == "delta")
    assert "anna.schmidt@example.org" not in answer, "a masked value never comes back"


def test_a_raised_threshold_drops_a_low_score_finding(env, fake_upstream, guard):
    admin, employee = GuardAdmin(env), Employee(env)
    prompt = "Bitte rufen Sie Frau Anna Schmidt an."
    employee.web(prompt)
    assert "Anna Schmidt" not in sent_to_model(fake_upstream)
    assert admin.rules(PERSON=("", "0,95")).status_code == 303
    employee.web(prompt)
    assert "Anna Schmidt" in sent_to_model(fake_upstream)
    with env.session() as session:
        row = session.get(GuardEntityRule, "PERSON")
    assert (row.action, row.threshold) == ("", 0.95)
    # the default threshold row applies to every type without one of its own
    assert admin.rules(PERSON=("", ""), _default=("pseudonymize", "0.99")).status_code == 303
    employee.web(prompt)
    assert "Anna Schmidt" in sent_to_model(fake_upstream)
    assert admin.rules(_default=("pseudonymize", "")).status_code == 303
    employee.web(prompt)
    assert "Anna Schmidt" not in sent_to_model(fake_upstream)


def test_a_second_app_on_the_same_database_picks_up_a_change(make_env, fake_upstream):
    first, second = make_env(), make_env()
    assert first.settings.database_url == second.settings.database_url
    employee = Employee(second)
    prompt = "Stand zu Projekt Nordlicht bitte."
    employee.api(prompt)
    assert "Nordlicht" in sent_to_model(fake_upstream)      # the second app's cache is built now
    admin = GuardAdmin(first)
    assert admin.add("deny", "Nordlicht").status_code == 303
    employee.api(prompt)
    assert "Nordlicht" not in sent_to_model(fake_upstream)
    with second.session() as session:
        assert config_versions.current(session, config_versions.GUARD) == 1


def test_changes_are_audited_with_before_and_after(env):
    admin = GuardAdmin(env)
    admin.rules(IBAN_CODE=("block", "0.5"))
    admin.add("deny", r"AZ-\d{4}", regex=True, entity_type="FILE_NUMBER")
    with env.session() as session:
        term = session.exec(select(GuardTermEntry)).one()
    env.client.post(f"/admin/guard/terms/{term.id}/delete", data={"csrf": admin.csrf()}, headers=HTML)
    with env.session() as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.action.like("config.guard.%"))
                               .order_by(AuditEntry.id)).all()
        version = config_versions.current(session, config_versions.GUARD)
    assert [e.action for e in entries] == ["config.guard.rules", "config.guard.deny_add", "config.guard.deny_remove"]
    details = [json.loads(e.detail) if isinstance(e.detail, str) else e.detail for e in entries]
    assert details[0] == {"before": {"IBAN_CODE": None}, "after": {"IBAN_CODE": {"action": "block", "threshold": 0.5}}}
    assert details[1]["after"]["pattern"] == r"AZ-\d{4}" and details[1]["before"] is None
    assert details[2]["before"]["entity_type"] == "FILE_NUMBER" and details[2]["after"] is None
    assert all(e.actor == "ida" for e in entries)
    assert version == 3
    # saving an unchanged table changes nothing and records nothing
    response = admin.rules()
    assert response.headers["location"].endswith("saved=none")


def test_invalid_entries_are_refused_with_the_error_next_to_the_field(env):
    admin = GuardAdmin(env)
    for pattern, message in [("(", "ungültig"), ("(a+)+$", "Verschachtelte Wiederholungen"),
                             ("x" * 201, "zu lang"), (r"(\w)\1", "Rückverweise")]:
        response = admin.add("deny", pattern, regex=True)
        assert response.status_code == 400
        assert 'id="deny-pattern-error"' in response.text and message in response.text
        assert 'aria-invalid="true"' in response.text and 'id="guard-errors"' in response.text
    assert admin.add("allow", "…").status_code == 400
    assert admin.add("deny", "Nordlicht", entity_type="NOT_A_TYPE").status_code == 400
    response = admin.rules(PERSON=("", "1,5"), IBAN_CODE=("encrypt", ""))
    assert response.status_code == 400
    assert 'id="threshold-PERSON-error"' in response.text and 'id="action-IBAN_CODE-error"' in response.text
    assert 'value="1,5"' in response.text, "what was typed is shown again"
    assert admin.add("deny", "Nordlicht").status_code == 303
    duplicate = admin.add("deny", "Nordlicht")
    assert duplicate.status_code == 400 and "bereits" in duplicate.text
    with env.session() as session:
        assert len(session.exec(select(GuardTermEntry)).all()) == 1
        assert session.exec(select(GuardEntityRule)).all() == []
        assert config_versions.current(session, config_versions.GUARD) == 1


def test_the_page_lists_every_type_with_an_explanation(env):
    admin = GuardAdmin(env)
    page = admin.client.get("/admin/guard", headers=HTML).text
    for kind in ("PERSON", "IBAN_CODE", "DE_TAX_ID", "SECRET", "FILE_NUMBER", "CONFIDENTIAL", "DE_CADASTRAL"):
        assert f'id="action-{kind}"' in page and f'id="threshold-{kind}"' in page
    assert 'id="action-_default"' in page
    assert "Steuerliche Identifikationsnummer" in page
    env.client.post("/lang", data={"lang": "en", "csrf": admin.csrf()}, headers=HTML)
    english = admin.client.get("/admin/guard", headers=HTML).text
    assert "German tax identification number" in english and "Deny list" in english


def test_test_console_shows_findings_and_stores_nothing(env, fake_upstream, caplog):
    admin = GuardAdmin(env)
    admin.add("deny", "Nordlicht")
    admin.rules(IBAN_CODE=("mask", ""))
    before = dump_database(env.app.state.engine)
    text = "Frau Anna Schmidt, Projekt Nordlicht, IBAN DE89 3704 0044 0532 0130 00."
    caplog.clear()
    response = env.client.post("/admin/guard/test", data={"text": text, "csrf": admin.csrf()}, headers=HTML)
    assert response.status_code == 200
    sent = response.text.split('id="test-sent"')[1].split("</div>")[0]
    assert '<mark class="ph"' in sent and "[PERSON_1]" in sent and "[CONFIDENTIAL_1]" in sent
    assert "Anna Schmidt" not in sent and "Nordlicht" not in sent and "DE89" not in sent
    findings = response.text.split('id="test-findings"')[1].split("</table>")[0]
    for expected in ("PersonNameRecognizer", "deny_list", "IbanRecognizer", "Unkenntlich machen"):
        assert expected in findings
    assert dump_database(env.app.state.engine) == before
    assert fake_upstream.requests == []
    assert "Anna Schmidt" not in caplog.text and "Nordlicht" not in caplog.text
    # a blocking policy shows the verdict
    admin.rules(IBAN_CODE=("block", ""))
    blocked = env.client.post("/admin/guard/test", data={"text": text, "csrf": admin.csrf()}, headers=HTML)
    assert 'id="test-blocked"' in blocked.text and "IBAN_CODE" in blocked.text
    empty = env.client.post("/admin/guard/test", data={"text": " ", "csrf": admin.csrf()}, headers=HTML)
    assert empty.status_code == 400 and 'id="test-text-error"' in empty.text


def test_capabilities_show_recognizers_and_the_name_model(env):
    GuardAdmin(env)
    page = env.client.get("/admin/guard/capabilities", headers=HTML).text
    assert "PersonNameRecognizer" in page and "IbanRecognizer" in page and "TableRows" in page
    model = page.split('id="name-model"')[1].split("</dd>")[0]
    assert "spielraum_de_ner" in model and "0.1.0" in model and "geladen" in model and "MB" in model
    assert "spielraum-de-ner (shipped)" in page and "blank:en" in page
    assert "nicht konfiguriert" in page.split('id="external-ner"')[1].split("</dd>")[0]


def test_dpo_pages_show_the_effective_policy(env):
    admin = GuardAdmin(env)
    admin.rules(IBAN_CODE=("block", ""), PERSON=("", "0.7"))
    admin.add("deny", "Nordlicht")
    admin.add("allow", AUTHORITY)
    env.user("dora", role="dpo")
    env.client.cookies.clear()
    from tests.app.test_pages import login
    login(env.client, "dora")
    record = env.client.get("/dpo/record", headers=HTML).text
    assert "IBAN_CODE: block" in record.split('id="record-actions"')[1].split("</dd>")[0]
    assert "PERSON: 0.7" in record.split('id="record-thresholds"')[1].split("</dd>")[0]
    lists = record.split('id="record-lists"')[1].split("</dd>")[0]
    assert "Sperrliste: 1" in lists and "Erlaubnisliste: 1" in lists


def test_test_console_fails_closed_without_quoting_the_text(make_env, broken_guard, caplog):
    env = make_env(app_guard=broken_guard)
    admin = GuardAdmin(env)
    response = env.client.post("/admin/guard/test", data={"text": "Frau Anna Schmidt", "csrf": admin.csrf()},
                               headers=HTML)
    assert response.status_code == 503
    assert "Anna Schmidt" not in response.text and "Anna Schmidt" not in caplog.text
