"""Dashboard, monthly report and record of processing, computed from exchanges made through the
real chat (one with personal data, one plain, one blocked by the policy)."""
from __future__ import annotations

import re

from sqlmodel import select

from app.dpo import statistics
from app.storage.tables import Exchange, FindingRecord, utcnow
from tests.app.conftest import PII_PROMPT, leaked
from tests.app.dpo.support import chat_as, sign_in_dpo
from tests.app.test_pages import HTML

PLAIN = "Wie formuliere ich eine höfliche Absage für einen Termin?"


def _cell(html: str, table_id: str, row_header: str) -> list[str]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    row = re.search(rf"<th scope=\"row\">{re.escape(row_header)}</th>(.*?)</tr>", table, re.S)
    assert row, f"{row_header} not in {table_id}"
    return re.findall(r"<td>(.*?)</td>", row.group(1))


def _fill(env):
    chat_as(env, "erika", [PII_PROMPT, PLAIN])
    chat_as(env, "max", [PII_PROMPT])  # blocked: the policy blocks IBANs
    with env.session() as session:
        exchanges = session.exec(select(Exchange).order_by(Exchange.id)).all()
        # What a person marked as missed before sending is stored by the chat as a finding with
        # recognizer "person_mark" (the guard branch builds that flow); planted here as it would be.
        session.add(FindingRecord(exchange_id=exchanges[1].id, entity_type="DE_CADASTRAL", count=2,
                                  recognizer="person_mark", action="pseudonymize"))
        session.commit()
        return [e.id for e in exchanges], [e.verdict for e in exchanges]


def test_dashboard_counts_volumes_blocked_share_types_recognizers_and_misses(make_env, blocking_guard):
    env = make_env(app_guard=blocking_guard)
    ids, verdicts = _fill(env)
    assert verdicts == ["blocked", "sent", "blocked"]
    csrf = sign_in_dpo(env)
    env.client.post(f"/dpo/exchanges/{ids[1]}/flags", data={"kind": "missed", "entity_type": "PERSON",
                                                            "csrf": csrf})
    page = env.client.get("/dpo/stats", headers=HTML)
    assert page.status_code == 200
    today = utcnow().date().isoformat()
    assert _cell(page.text, "volume-table", today) == ["3", "2", "2"]
    assert re.search(r"<dd>3</dd>\s*<dt>[^<]+</dt><dd>2</dd>\s*<dt>[^<]+</dt><dd>66.7 %</dd>", page.text)
    assert _cell(page.text, "types-table", "IBAN_CODE")[-1] == "2"
    assert _cell(page.text, "missed-table", "DE_CADASTRAL") == ["2", "0"]
    assert _cell(page.text, "missed-table", "PERSON") == ["0", "1"]
    assert "DE_CADASTRAL" not in page.text.split('id="types-table"')[1].split("</table>")[0], \
        "a person's own mark is not counted as a guard finding"
    assert page.text.count("<svg class=\"chart\"") == 6 and 'role="img"' in page.text
    weekly = env.client.get("/dpo/stats", params={"by": "week"}, headers=HTML)
    assert weekly.status_code == 200 and re.search(r"\d{4}-W\d{2}", weekly.text)
    assert env.client.get("/dpo/stats", params={"since": "x"}).status_code == 400
    assert leaked(page.text) == []


def test_column_chart_scales_to_the_tallest_bar():
    chart = statistics.column_chart([("a", 2), ("b", 4), ("c", 0)], width=300, height=100)
    heights = [bar.height for bar in chart["bars"]]
    assert heights == [50, 100, 0] and chart["bars"][1].y == 0
    assert statistics.column_chart([])["bars"] == []


def test_monthly_report_and_record_of_processing(make_env, blocking_guard):
    env = make_env(app_guard=blocking_guard, retention_days=30)
    _fill(env)
    sign_in_dpo(env)
    month = utcnow().strftime("%Y-%m")
    report = env.client.get("/dpo/report", params={"month": month}, headers=HTML)
    assert report.status_code == 200
    volumes = report.text.split('id="rep-volumes"')[1].split("</table>")[0]
    assert re.search(r"<td>3</td>.*<td>1</td>.*<td>2</td>", volumes, re.S)
    assert "IBAN_CODE" in report.text and "DE_CADASTRAL" in report.text
    assert "@media print" in env.client.get("/static/style.css").text
    assert env.client.get("/dpo/report", params={"month": "2026-13"}).status_code == 400
    empty = env.client.get("/dpo/report", params={"month": "2001-02"}, headers=HTML).text
    assert "2001-02-01 – 2001-02-28" in empty

    record = env.client.get("/dpo/record", headers=HTML)
    assert record.status_code == 200
    assert "Fake for DPOs" in record.text and "127.0.0.1" in record.text, "where each model runs"
    assert "dpo, admin" in record.text
    assert 'id="record-retention">30 Tage' in record.text
    assert "IBAN_CODE: block" in record.text
