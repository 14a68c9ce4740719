"""The prompt library through the real app: shipped data, search, a prompt with variables
into the chat, own prompts refused or stored, submission and publishing, ratings."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from sqlmodel import Session

from app.learning import library
from app.storage import learning_store
from app.storage.tables import PromptStatus
from guardrails import Vault
from tests.app.conftest import PLANTED, dump_database, leaked
from tests.app.learning.support import chat_turn, csrf_of, signed_in
from tests.app.test_pages import HTML


def test_the_shipped_library_has_at_least_30_complete_german_entries():
    entries = library.shipped_entries()
    assert len(entries) >= 30
    assert len({entry.key for entry in entries}) == len(entries)
    for entry in entries:
        assert entry.title and entry.category and entry.good_for and entry.watch_out, entry.key
        assert library.variables(entry.text), f"{entry.key} has no {{{{variable}}}}"
    assert len({entry.category for entry in entries}) >= 4


def test_every_shipped_prompt_is_free_of_personal_data(guard):
    """Shipped texts are not scanned at start; this proves they need not be."""
    for entry in library.shipped_entries():
        findings = [f.entity_type for name in library.FIELDS
                    for f in guard.scan_prompt(entry.fields()[name], Vault()).findings]
        assert findings == [], f"{entry.key}: {findings}"


def test_variables_and_filling():
    text = "Erklären Sie {{Begriff}} für {{ Zielgruppe }}; noch einmal: {{Begriff}}."
    assert library.variables(text) == ["Begriff", "Zielgruppe"]
    filled = library.fill(text, {"Begriff": "Ermessen", "Zielgruppe": ""})
    assert filled == "Erklären Sie Ermessen für {{ Zielgruppe }}; noch einmal: Ermessen."


def test_start_loads_the_library_without_overwriting_local_edits(make_env, tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    source = folder / "a.yaml"
    entry = ("prompts:\n  - key: probe\n    title: Probe\n    category: Test\n    good_for: x\n"
             "    watch_out: y\n    text: 'Schreiben Sie über {{Thema}}.'\n")
    source.write_text(entry, encoding="utf-8")
    env = make_env()
    engine = env.app.state.engine
    assert library.load_shipped(engine, folder) == {"added": 1, "updated": 0, "unchanged": 0, "kept": 0}
    assert library.load_shipped(engine, folder)["unchanged"] == 1
    source.write_text(entry.replace("Probe", "Probe 2"), encoding="utf-8")
    assert library.load_shipped(engine, folder)["updated"] == 1
    with Session(engine) as session:
        prompt = learning_store.get_prompt_by_key(session, "probe")
        assert prompt.title == "Probe 2"
        prompt.title, prompt.locally_edited = "Von der Redaktion verbessert", True
        learning_store.save_prompt(session, prompt)
    source.write_text(entry.replace("Probe", "Probe 3"), encoding="utf-8")
    assert library.load_shipped(engine, folder)["kept"] == 1
    with Session(engine) as session:
        assert learning_store.get_prompt_by_key(session, "probe").title == "Von der Redaktion verbessert"


def test_a_broken_library_file_names_file_entry_and_field(tmp_path):
    path = tmp_path / "kaputt.yaml"
    path.write_text("prompts:\n  - key: ok-key\n    title: ''\n    text: 'x'\n", encoding="utf-8")
    with pytest.raises(library.LibraryFileError, match=r"kaputt.yaml, entry 1 \(ok-key\): 'title' is missing"):
        library.parse_entries(path)


def test_library_page_lists_searches_and_filters(env):
    client = signed_in(env)
    page = client.get("/learning/library", headers=HTML)
    assert page.status_code == 200
    assert page.text.count('class="card prompt-card"') >= 30
    assert 'href="/learning/library"' in page.text and "Prompt-Bibliothek" in page.text
    found = client.get("/learning/library", params={"q": "leichte sprache"}, headers=HTML).text
    assert "Text in Leichte Sprache übertragen" in found
    assert "Tagesordnung für eine Besprechung" not in found
    filtered = client.get("/learning/library", params={"category": "Organisation"}, headers=HTML).text
    assert "Tagesordnung für eine Besprechung vorschlagen" in filtered
    assert "Bürgeranfrage freundlich beantworten" not in filtered


def _prompt_id(env, key: str) -> int:
    with env.session() as session:
        return learning_store.get_prompt_by_key(session, key).id


def test_a_library_prompt_with_variables_reaches_the_chat_and_the_guard(env, fake_upstream):
    client = signed_in(env)
    prompt_id = _prompt_id(env, "rechtsbegriff-erklaeren")
    detail = client.get(f"/learning/library/{prompt_id}", headers=HTML).text
    assert '<label for="var_0">Begriff</label>' in detail
    assert "Fakten prüfen" in detail
    csrf = csrf_of(client, f"/learning/library/{prompt_id}")
    used = client.post(f"/learning/library/{prompt_id}/use", data={"csrf": csrf, "var_0": "Widerspruchsfrist"},
                       headers=HTML, follow_redirects=False)
    assert used.status_code == 303
    query = parse_qs(urlparse(used.headers["location"]).query)
    assert query["library_prompt"] == [str(prompt_id)]
    filled = query["prompt"][0]
    assert filled.startswith("Erklären Sie den Begriff „Widerspruchsfrist“") and "{{" not in filled
    # The chat page opens with the text in the URL; the person sends it (with a planted name).
    assert client.get(used.headers["location"], headers=HTML).status_code == 200
    events = chat_turn(client, csrf, filled + f" Die Frage kam von {PLANTED['name']}.")
    sent = fake_upstream.requests[-1]["messages"][-1]["content"]
    assert "Widerspruchsfrist" in sent and not leaked(sent)
    assert events["sent"]["exchange_id"]


def test_own_prompt_with_personal_data_is_refused_with_its_kinds_and_the_form_kept(env):
    client = signed_in(env)
    csrf = csrf_of(client, "/learning/prompts/new")
    text = f"Schreiben Sie an {PLANTED['name']}, IBAN {PLANTED['iban']}, wegen {{{{Thema}}}}."
    response = client.post("/learning/prompts", data={"csrf": csrf, "title": "Mahnung", "text": text}, headers=HTML)
    assert response.status_code == 400
    assert "Name" in response.text and "IBAN" in response.text and "nicht gespeichert" in response.text
    assert "Mahnung" in response.text and "{{Thema}}" in response.text  # nothing typed is lost
    assert not leaked(dump_database(env.app.state.engine))


def test_submit_publish_and_rate_a_prompt(env):
    author = signed_in(env, "erika")
    csrf = csrf_of(author, "/learning/prompts/new")
    created = author.post("/learning/prompts", data={
        "csrf": csrf, "title": "Widerspruch freundlich bestätigen", "category": "Korrespondenz",
        "good_for": "Eingangsbestätigungen", "watch_out": "Fristen prüfen",
        "text": "Bestätigen Sie freundlich den Eingang eines Widerspruchs zu {{Thema}}."},
        headers=HTML, follow_redirects=False)
    assert created.status_code == 303
    prompt_id = int(created.headers["location"].rsplit("/", 1)[1])

    colleague = signed_in(env, "max")
    assert colleague.get(f"/learning/library/{prompt_id}", headers=HTML).status_code == 404  # still private
    assert colleague.get("/learning/curate", headers=HTML).status_code == 403

    submitted = author.post(f"/learning/prompts/{prompt_id}/submit", data={"csrf": csrf}, headers=HTML)
    assert "Eingereicht" in submitted.text
    curator = signed_in(env, "kurt", "curator")
    queue = curator.get("/learning/curate", headers=HTML).text
    assert "Widerspruch freundlich bestätigen" in queue and "erika" in queue
    curator_csrf = csrf_of(curator, "/learning/curate")
    curator.post(f"/learning/curate/{prompt_id}/publish", data={"csrf": curator_csrf, "note": "Danke!"}, headers=HTML)
    with env.session() as session:
        assert learning_store.get_prompt(session, prompt_id).status == PromptStatus.PUBLISHED.value

    listing = colleague.get("/learning/library", params={"q": "Widerspruch"}, headers=HTML).text
    assert "Widerspruch freundlich bestätigen" in listing
    colleague_csrf = csrf_of(colleague)
    colleague.post(f"/learning/library/{prompt_id}/rate", data={"csrf": colleague_csrf, "value": "1"}, headers=HTML)
    author.post(f"/learning/library/{prompt_id}/rate", data={"csrf": csrf, "value": "1"}, headers=HTML)
    # The most useful rise: with two "useful" votes it is listed first.
    first = re.search(r'<h2><a href="/learning/library/(\d+)">', colleague.get("/learning/library", headers=HTML).text)
    assert first.group(1) == str(prompt_id)
    assert "+2 (2 Bewertungen)" in colleague.get(f"/learning/library/{prompt_id}", headers=HTML).text


def test_admin_curates_too_and_an_edit_of_a_shipped_prompt_is_kept(env):
    admin = signed_in(env, "chefin", "admin")
    prompt_id = _prompt_id(env, "tagesordnung")
    csrf = csrf_of(admin, f"/learning/prompts/{prompt_id}/edit")
    admin.post(f"/learning/prompts/{prompt_id}", data={
        "csrf": csrf, "title": "Tagesordnung (Hausfassung)", "category": "Organisation",
        "text": "Schlagen Sie eine Tagesordnung zu {{Thema}} vor."}, headers=HTML)
    with env.session() as session:
        prompt = learning_store.get_prompt(session, prompt_id)
        assert prompt.locally_edited and prompt.title == "Tagesordnung (Hausfassung)"
    assert library.load_shipped(env.app.state.engine)["kept"] == 1


def test_employees_cannot_edit_published_prompts_or_rate_with_bad_values(env):
    client = signed_in(env)
    prompt_id = _prompt_id(env, "tagesordnung")
    assert client.get(f"/learning/prompts/{prompt_id}/edit", headers=HTML).status_code == 404
    csrf = csrf_of(client)
    assert client.post(f"/learning/library/{prompt_id}/rate", data={"csrf": csrf, "value": "7"},
                       headers=HTML).status_code == 400
    assert client.post(f"/learning/library/{prompt_id}/rate", data={"value": "1"}, headers=HTML).status_code == 403
