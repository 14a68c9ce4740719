"""Rating an answer and seeing it in the overview (and the CSV), through the real app."""
from __future__ import annotations

import csv
import io
import re

from app.learning.feedback import feedback_csv
from app.storage import learning_store
from app.storage.tables import AnswerFeedback
from tests.app.conftest import PLANTED, dump_database, leaked
from tests.app.learning.support import chat_turn, csrf_of, signed_in
from tests.app.test_pages import HTML


def _rate(client, csrf, **body):
    return client.post("/learning/feedback", json=body, headers={"x-csrf-token": csrf, "accept": "application/json"})


def test_rating_an_answer_shows_up_in_the_overview_and_the_export(env):
    employee = signed_in(env)
    csrf = csrf_of(employee, "/")
    with env.session() as session:
        prompt_id = learning_store.get_prompt_by_key(session, "rechtsbegriff-erklaeren").id
    exchange_id = chat_turn(employee, csrf, "Erklären Sie den Begriff Ermessen.")["sent"]["exchange_id"]
    other_id = chat_turn(employee, csrf, "Noch eine Frage.", model_id="fake-short")["sent"]["exchange_id"]

    comment = f"Der Paragraf war erfunden, sagt {PLANTED['name']}."
    saved = _rate(employee, csrf, exchange_id=exchange_id, helpful=False, reason="erfunden",
                  comment=comment, prompt_id=prompt_id)
    assert saved.status_code == 200, saved.text
    assert "[PERSON_1]" in saved.json()["comment"]
    assert _rate(employee, csrf, exchange_id=other_id, helpful=True, reason="hilfreich").status_code == 200
    # A second rating of the same answer replaces the first.
    assert _rate(employee, csrf, exchange_id=other_id, helpful=True, reason="hilfreich").status_code == 200
    assert not leaked(dump_database(env.app.state.engine))

    assert employee.get("/learning/feedback", headers=HTML).status_code == 403
    curator = signed_in(env, "kurt", "curator")
    page = re.sub(r">\s+<", "><", curator.get("/learning/feedback", headers=HTML).text)
    assert '<tr data-model="fake"><th scope="row">fake</th><td>0</td><td>1</td><td>0 %</td>' in page
    assert '<tr data-model="fake-short"><th scope="row">fake-short</th><td>1</td><td>0</td><td>100 %</td>' in page
    assert f'<tr data-prompt="{prompt_id}">' in page and "Rechtsbegriff für Laien erklären" in page
    assert "<th scope=\"row\">erfunden</th><td>1</td>" in page
    assert "Der Paragraf war erfunden, sagt [PERSON_1]." in page

    export = curator.get("/learning/feedback.csv")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["created_at", "model", "prompt", "helpful", "reason", "comment"]
    assert len(rows) == 3
    assert any(row[1:] == ["fake", "Rechtsbegriff für Laien erklären", "no", "erfunden",
                           "Der Paragraf war erfunden, sagt [PERSON_1]."] for row in rows)


def test_only_ones_own_answers_can_be_rated_and_bad_input_is_a_400(env):
    owner = signed_in(env)
    csrf = csrf_of(owner, "/")
    exchange_id = chat_turn(owner, csrf, "Eine Frage.")["sent"]["exchange_id"]
    stranger = signed_in(env, "max")
    stranger_csrf = csrf_of(stranger, "/")
    assert _rate(stranger, stranger_csrf, exchange_id=exchange_id, helpful=True).status_code == 404
    assert _rate(owner, csrf, exchange_id=exchange_id, helpful=True, reason="gefällt mir").status_code == 400
    assert _rate(owner, csrf, exchange_id=exchange_id).status_code == 400
    assert _rate(owner, "falsch", exchange_id=exchange_id, helpful=True).status_code == 403
    with env.session() as session:
        assert learning_store.all_feedback(session) == []


def test_the_csv_export_defuses_spreadsheet_formulas():
    item = AnswerFeedback(exchange_id=1, user_id=1, model_id="m", helpful=True, comment="=HYPERLINK(\"x\")")
    rows = list(csv.reader(io.StringIO(feedback_csv([item], {})), delimiter=";"))
    assert rows[1][-1] == "'=HYPERLINK(\"x\")"


def test_the_widget_strings_and_script_are_served(env):
    client = signed_in(env)
    strings = client.get("/learning/feedback/strings").json()
    assert strings["fb_check"].startswith("Bitte prüfen Sie die Antwort")
    assert ["fachlich_falsch", "fachlich falsch"] in strings["reasons"]
    assert [code for code, _ in strings["reasons"]] == [
        "fachlich_falsch", "erfunden", "unvollstaendig", "unbrauchbar_formuliert", "hilfreich"]
    chat = client.get("/", headers=HTML).text
    assert '<script src="/static/feedback.js" defer></script>' in chat
    assert client.get("/static/feedback.js").status_code == 200
