"""A Lern-Session through the real app: task, contributions side by side (pseudonymised),
the best prompt kept in the library with what the team learned."""
from __future__ import annotations

import re

from app.storage import learning_store
from app.storage.tables import PromptStatus
from tests.app.conftest import PII_PROMPT, dump_database, leaked
from tests.app.learning.support import chat_turn, csrf_of, signed_in
from tests.app.test_pages import HTML


def test_a_learning_session_from_task_to_kept_prompt(env):
    lead = signed_in(env, "leitung", "employee")
    csrf = csrf_of(lead, "/learning/sessions")
    refused = lead.post("/learning/sessions", data={"csrf": csrf, "title": "Übung",
                        "task": "Antwort an Anna Schmidt schreiben"}, headers=HTML)
    assert refused.status_code == 400 and "Name" in refused.text and "Antwort an Anna Schmidt" in refused.text
    created = lead.post("/learning/sessions", data={"csrf": csrf, "title": "Antwortschreiben",
                        "task": "Antwortschreiben an eine Bürgerin, die nach dem Stand ihres Antrags fragt."},
                        headers=HTML, follow_redirects=False)
    assert created.status_code == 303
    path = created.headers["location"]

    participant = signed_in(env, "erika")
    p_csrf = csrf_of(participant, path)
    page = participant.get(path, headers=HTML).text
    assert "Antwortschreiben an eine Bürgerin" in page and "/?prompt=Antwortschreiben" in page
    mine = chat_turn(participant, p_csrf, PII_PROMPT)["sent"]["exchange_id"]
    lead_try = chat_turn(lead, csrf, "Schreiben Sie freundlich an {{Name}} zum Stand des Antrags auf {{Leistung}}.")
    assert participant.post(f"{path}/entries", data={"csrf": p_csrf, "exchange_id": mine}, headers=HTML).status_code == 200
    lead.post(f"{path}/entries", data={"csrf": csrf, "exchange_id": lead_try["sent"]["exchange_id"]}, headers=HTML)
    # Someone else's exchange cannot be contributed.
    assert participant.post(f"{path}/entries", data={"csrf": p_csrf, "exchange_id": lead_try["sent"]["exchange_id"]},
                            headers=HTML).status_code == 404

    board = lead.get(path, headers=HTML).text
    assert board.count('<div class="stored-text">') == 4  # two tries, prompt and answer each
    assert "[PERSON_1]" in board and not leaked(board)

    still_placeholder = lead.post(f"{path}/keep", headers=HTML, data={
        "csrf": csrf, "title": "Sachstandsantwort", "text": "Schreiben Sie an [PERSON_1].", "lesson": "x"})
    assert still_placeholder.status_code == 400 and "Platzhalter" in still_placeholder.text
    assert participant.post(f"{path}/keep", headers=HTML, data={
        "csrf": p_csrf, "title": "t", "text": "Schreiben Sie an {{Name}}."}).status_code == 404  # not the facilitator
    kept = lead.post(f"{path}/keep", headers=HTML, follow_redirects=False, data={
        "csrf": csrf, "title": "Sachstandsantwort an Bürgerinnen und Bürger",
        "text": "Schreiben Sie freundlich an {{Name}} zum Stand des Antrags auf {{Leistung}}.",
        "lesson": "Den Stand in einem Satz zuerst nennen."})
    assert kept.status_code == 303, re.findall(r"role=\"alert\"[^<]*<?[^<]*", kept.text)
    page = lead.get(path, headers=HTML).text
    assert "Sachstandsantwort an Bürgerinnen und Bürger" in page and "Eingereicht" in page
    assert "Den Stand in einem Satz zuerst nennen." in page
    with env.session() as session:
        prompt_id = int(re.search(r'href="/learning/library/(\d+)"', page).group(1))
        prompt = learning_store.get_prompt(session, prompt_id)
        assert prompt.status == PromptStatus.SUBMITTED.value
        assert prompt.watch_out == "Den Stand in einem Satz zuerst nennen."
    assert not leaked(dump_database(env.app.state.engine))
