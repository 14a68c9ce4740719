"""What a person does with a turn: stop it, copy it, regenerate it, edit and resend it.

Also the per-turn model label, the marking of restored values, and the contract with the
feedback feature (data-exchange-id on a finished answer and the "spielraum:answer" event).
"""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.storage.tables import Exchange
from tests.app.browser.support import NAME, ORIGINAL_FRAGMENTS, PROMPT, send, wait_for_answer

pytestmark = pytest.mark.browser


def exchanges_of(live_server, conversation_id: int) -> list[Exchange]:
    with Session(live_server.app.state.engine) as session:
        return list(session.exec(select(Exchange).where(Exchange.conversation_id == conversation_id)))


def conversation_id_of(page) -> int:
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def test_stop_ends_the_answer_keeps_what_arrived_and_the_server_records_it(chat, upstream, live_server):
    upstream.behaviour = "stall_stream"
    upstream.delay_seconds = 30
    send(chat, "Bitte schreiben Sie einen langen Text über das Meldewesen.")
    answer = chat.locator("article.turn .msg-assistant .msg-body")
    expect(answer).to_contain_text("Echo:")
    chat.get_by_role("button", name="Stopp").click()

    expect(chat.locator("article.turn .turn-stopped")).to_have_text("Abgebrochen: Die Antwort ist unvollständig.")
    expect(answer).to_contain_text("Echo:")
    expect(chat.get_by_role("button", name="Senden")).to_be_visible()
    expect(chat.locator("#transcript")).to_have_attribute("aria-busy", "false")
    # The server saw the browser leave and stored the partial exchange as such.
    cid = conversation_id_of(chat)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        stored = exchanges_of(live_server, cid)
        if stored and stored[0].error_code == "client_disconnected":
            break
        time.sleep(0.2)
    assert stored[0].error_code == "client_disconnected"


def test_copy_as_text_and_as_markdown_gives_the_restored_answer(chat, upstream, live_server):
    chat.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    upstream.behaviour = "reply"
    upstream.reply_text = "Echo: **Wichtig** für [PERSON_1]:\n\n| A | B |\n|---|---|\n| 1 | 2 |"
    send(chat, f"Schreiben Sie an {NAME}.")
    turn = wait_for_answer(chat, 0)

    turn.get_by_role("button", name="Als Markdown kopieren").click()
    copied = chat.evaluate("navigator.clipboard.readText()")
    assert copied == f"Echo: **Wichtig** für {NAME}:\n\n| A | B |\n|---|---|\n| 1 | 2 |"

    turn.get_by_role("button", name="Kopieren", exact=True).click()
    expect(turn.locator(".copy-answer")).to_have_text("Kopiert.")
    copied = chat.evaluate("navigator.clipboard.readText()")
    assert f"Wichtig für {NAME}" in copied and "**" not in copied and "|---|" not in copied


def test_regenerate_replaces_the_last_answer_and_its_stored_exchange(chat, upstream, live_server):
    send(chat, PROMPT)
    wait_for_answer(chat, 0)
    cid = conversation_id_of(chat)
    first = exchanges_of(live_server, cid)[0]

    chat.get_by_role("button", name="Neu erzeugen").click()
    deadline = time.monotonic() + 15
    while len(upstream.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    turn = wait_for_answer(chat, 0)
    expect(chat.locator("article.turn")).to_have_count(1)
    expect(turn.locator(".msg-assistant")).to_contain_text(NAME)

    assert len(upstream.requests) == 2
    # The model got the same pseudonymised prompt again, without the replaced turn as history.
    assert upstream.requests[1]["messages"] == upstream.requests[0]["messages"]
    stored = exchanges_of(live_server, cid)
    assert len(stored) == 1 and stored[0].created_at > first.created_at
    for fragment in ORIGINAL_FRAGMENTS:
        assert fragment not in upstream.all_text()


def test_edit_and_resend_the_last_prompt(chat, upstream, live_server):
    send(chat, "Bitte einen Brief an Frau Anna Schneider wegen der Mahnung.")
    wait_for_answer(chat, 0)
    send(chat, "Kürzer bitte.")
    wait_for_answer(chat, 1)
    # Only the newest turn can be edited or regenerated.
    expect(chat.locator("article.turn").nth(0).get_by_role("button", name="Bearbeiten")).to_have_count(0)

    chat.locator("article.turn").nth(1).get_by_role("button", name="Bearbeiten").click()
    box = chat.get_by_label("Ihre Nachricht")
    expect(box).to_have_value("Kürzer bitte.")
    expect(chat.locator("#edit-note")).to_be_visible()
    box.fill("Länger bitte, mit Gruß an Frau Anna Schneider.")
    box.press("Enter")
    expect(chat.locator("article.turn").nth(1).locator(".msg-user")).to_contain_text("Länger bitte")
    wait_for_answer(chat, 1)
    expect(chat.locator("article.turn")).to_have_count(2)
    expect(chat.locator("#edit-note")).to_be_hidden()

    last = upstream.requests[-1]["messages"]
    assert [m["role"] for m in last] == ["user", "assistant", "user"]
    assert "[PERSON_1]" in last[-1]["content"] and "Schneider" not in upstream.all_text()
    assert len(exchanges_of(live_server, conversation_id_of(chat))) == 2


def test_model_label_restored_marks_and_the_answer_event(chat, upstream):
    chat.evaluate("""() => { window.__answers = [];
        document.addEventListener('spielraum:answer', e => window.__answers.push(
            [e.detail.exchangeId, e.detail.element.getAttribute('data-exchange-id')])); }""")
    send(chat, PROMPT)
    turn = wait_for_answer(chat, 0)
    answer = turn.locator(".msg-assistant")
    expect(answer.locator(".model-label")).to_contain_text("Echo (Test)")
    restored = answer.locator(".restored", has_text=NAME)
    expect(restored).to_have_count(1)
    assert "Wieder eingesetzt" in restored.get_attribute("title")
    events = chat.evaluate("window.__answers")
    assert len(events) == 1 and str(events[0][0]) == events[0][1]
    expect(answer).to_have_attribute("data-exchange-id", str(events[0][0]))

    # On page load every rendered answer is announced as well.
    chat.add_init_script("""window.__answers = [];
        document.addEventListener('spielraum:answer', e => window.__answers.push(e.detail.exchangeId));""")
    chat.reload()
    expect(chat.locator(".msg-assistant .model-label")).to_contain_text("Echo (Test)")
    expect(chat.locator(".msg-assistant .restored", has_text=NAME)).to_have_count(1)
    assert chat.evaluate("window.__answers") == [events[0][0]]
    assert chat.console_errors == []


def test_a_library_prompt_fills_the_input_and_is_not_sent(chat, upstream, live_server):
    chat.goto(f"{live_server.url}/?prompt=Bitte%20fassen%20Sie%20zusammen%3A%20")
    expect(chat.get_by_label("Ihre Nachricht")).to_have_value("Bitte fassen Sie zusammen: ")
    chat.wait_for_timeout(300)
    assert upstream.requests == []
    expect(chat.locator("article.turn")).to_have_count(0)
    chat.get_by_role("button", name="Bürgerbrief vereinfachen").click()
    expect(chat.get_by_label("Ihre Nachricht")).to_have_value(
        "Formulieren Sie diesen Bescheid-Absatz in einfacher Sprache, freundlich und ohne Amtsdeutsch: ")
    assert upstream.requests == []
