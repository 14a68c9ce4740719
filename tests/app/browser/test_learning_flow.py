"""The learning features in headless Chromium: confirm the Grundlagen on first login, pick a
library prompt, fill its variables, send it, rate the answer; axe-core on the new pages."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from app.storage import learning_store
from tests.app.browser.support import NAME, ORIGINAL_FRAGMENTS, PASSWORD

pytestmark = pytest.mark.browser
# This module's server sends people to the Grundlagen page until they confirm it.
FIRST_STEPS_ON_LOGIN = True


def first_sign_in(page, server, username: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{server.url}/learning/basics?first=1")
    expect(page.locator("#first-login-notice")).to_be_visible()
    page.get_by_label("Ich habe die Grundlagen gelesen").check()
    page.get_by_role("button", name="Gelesen und verstanden").click()
    page.wait_for_url(f"{server.url}/")
    # These tests are about the library and the board; the preview has its own (test_preview.py).
    page.evaluate("(key) => window.localStorage.setItem(key, 'off')", f"spielraum.preview.{username}")
    page.reload()


def test_pick_a_library_prompt_fill_send_and_rate(page, live_server, user, upstream):
    first_sign_in(page, live_server, user)
    page.get_by_role("link", name="Prompt-Bibliothek", exact=True).click()
    page.get_by_label("Suchbegriff").fill("Rechtsbegriff")
    page.get_by_role("button", name="Suchen").click()
    page.get_by_role("link", name="Rechtsbegriff für Laien erklären").click()
    page.get_by_label("Begriff").fill("Widerspruchsfrist")
    page.get_by_role("button", name="Im Chat verwenden").click()

    page.wait_for_url(f"{live_server.url}/")  # the text travelled in the URL, which chat.js tidied up
    box = page.get_by_label("Ihre Nachricht")
    expect(box).to_have_value(__import__("re").compile(r"^Erklären Sie den Begriff „Widerspruchsfrist“"))
    assert upstream.requests == [], "a library prompt is never sent automatically"
    box.press("End")
    box.type(f" Gefragt hat {NAME}.")
    page.get_by_role("button", name="Senden", exact=True).click()

    turn = page.locator("article.turn").first
    expect(turn.locator(".msg-assistant .msg-body")).to_contain_text("Widerspruchsfrist")
    feedback = turn.locator(".feedback")
    expect(feedback).to_contain_text("Bitte prüfen Sie die Antwort")
    assert not any(fragment in upstream.all_text() for fragment in ORIGINAL_FRAGMENTS)

    feedback.get_by_role("button", name="Nicht hilfreich").click()
    feedback.get_by_label("Grund (optional)").select_option(label="unvollständig")
    feedback.get_by_label("Kommentar (optional)").fill("Die Fristberechnung fehlte.")
    feedback.get_by_role("button", name="Bewertung speichern").click()
    expect(feedback.get_by_role("status")).to_have_text("Danke, Ihre Bewertung ist gespeichert.")
    assert page.console_errors == []

    with Session(live_server.app.state.engine) as session:
        [item] = [f for f in learning_store.all_feedback(session) if f.comment == "Die Fristberechnung fehlte."]
        prompt = learning_store.get_prompt_by_key(session, "rechtsbegriff-erklaeren")
    assert item.helpful is False and item.reason == "unvollstaendig" and item.prompt_id == prompt.id

    # Reloading the conversation shows the widget again on the stored answer.
    page.reload()
    expect(page.locator("article.turn .feedback")).to_have_count(1)


def test_compare_two_models_and_vote(page, live_server, upstream):
    # The test catalogue gives DPOs two models; employees have one and are told so.
    username = live_server.add_user("vergleich-dpo", role="dpo")
    first_sign_in(page, live_server, username)
    page.goto(f"{live_server.url}/learning/compare")
    page.get_by_label("Ihre Nachricht").fill(f"Schreiben Sie eine kurze Notiz an {NAME}.")
    expect(page.get_by_label("Modell B")).to_have_value("dpo-only")
    page.get_by_role("button", name="An beide Modelle senden").click()
    expect(page.locator("#answer-a")).to_contain_text("Echo:")
    expect(page.locator("#answer-b")).to_contain_text("Echo:")
    expect(page.locator("#answer-a")).to_contain_text(NAME)  # restored for this person only
    assert len(upstream.requests) == 2
    assert not any(fragment in upstream.all_text() for fragment in ORIGINAL_FRAGMENTS)
    page.get_by_role("button", name="Antwort B").click()
    expect(page.locator("#vote-status")).to_have_text("Danke, Ihre Stimme ist gespeichert.")
    assert page.console_errors == []
    with Session(live_server.app.state.engine) as session:
        votes = learning_store.all_votes(session)
    assert [(v.model_a, v.model_b, v.winner) for v in votes] == [("echo", "dpo-only", "b")]


def test_share_an_answer_from_the_chat_to_the_board(page, live_server, user, upstream):
    first_sign_in(page, live_server, user)
    page.get_by_label("Ihre Nachricht").fill(f"Bitte grüßen Sie {NAME} von mir.")
    page.get_by_role("button", name="Senden", exact=True).click()
    turn = page.locator("article.turn").first
    expect(turn.locator(".msg-assistant .msg-body")).to_contain_text(NAME)  # restored in this browser
    turn.get_by_role("link", name="Im Erfahrungsbrett teilen").click()
    preview = page.locator(".stored-text").first
    expect(preview).to_contain_text("[PERSON_1]")
    assert "Schneider" not in page.locator("main").inner_text()
    page.get_by_label("Was haben Sie gelernt?").fill("Der Name wird ersetzt.")
    page.get_by_role("button", name="Teilen").click()
    expect(page.locator(".board-post").first).to_contain_text("Der Name wird ersetzt.")
    assert "Schneider" not in page.locator("main").inner_text()
    assert page.console_errors == []
