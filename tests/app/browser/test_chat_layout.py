"""The chat's layout and sending behaviour on a desktop (1366×850) and a phone (390×844).

What the issue saw: the answer hidden behind the input after a second prompt, the input
1,000 px down on a phone, only Ctrl+Enter sending, the text staying in the box until the
answer was done, and the length limit reported only after sending.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.app.browser.support import PROMPT, send, wait_for_answer

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 850}
PHONE = {"width": 390, "height": 844}


def fully_visible(page, locator) -> bool:
    """The element's bottom edge lies inside the transcript's visible area and above the input."""
    return page.evaluate(
        """(node) => {
            const box = node.getBoundingClientRect();
            const area = document.getElementById('transcript').getBoundingClientRect();
            const composer = document.getElementById('composer').getBoundingClientRect();
            return box.bottom <= area.bottom + 1 && box.bottom <= composer.top + 1 && box.top >= area.top - 1;
        }""", locator.element_handle())


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_newest_answer_is_in_view_after_each_prompt(chat, upstream, viewport):
    chat.set_viewport_size(viewport)
    send(chat, "Bitte erklären Sie kurz, was ein Verwaltungsakt ist.\n" + "Mit Beispiel.\n" * 12)
    wait_for_answer(chat, 0)
    send(chat, "Und nun bitte noch ein zweites Beispiel aus dem Bürgeramt.")
    second = wait_for_answer(chat, 1)
    answer = second.locator(".msg-assistant")
    chat.wait_for_timeout(100)
    assert fully_visible(chat, answer), "the newest answer is hidden"
    # The input stays on screen all the while.
    box = chat.locator("#prompt").bounding_box()
    assert box is not None and box["y"] + box["height"] <= viewport["height"]


def test_on_a_phone_the_input_is_reachable_at_once_and_the_list_folds_away(chat):
    chat.set_viewport_size(PHONE)
    chat.reload()
    prompt = chat.get_by_label("Ihre Nachricht")
    expect(prompt).to_be_in_viewport()
    box = prompt.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]
    expect(chat.locator("#conversation-list")).to_be_hidden()
    header = chat.locator(".site-header").bounding_box()
    assert header["height"] < 60, f"header takes {header['height']}px"

    toggle = chat.get_by_role("button", name="Unterhaltungen")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(chat.get_by_role("link", name="Neue Unterhaltung").first).to_be_visible()
    toggle.click()
    expect(prompt).to_be_visible()
    assert chat.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Escape folds the list away again and returns to the button.
    toggle.click()
    chat.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(prompt).to_be_visible()


def test_enter_sends_shift_enter_adds_a_line_and_the_input_empties_at_once(chat, upstream):
    upstream.behaviour = "slow"
    upstream.delay_seconds = 1.5
    box = chat.get_by_label("Ihre Nachricht")
    box.click()
    box.type("Erste Zeile")
    box.press("Shift+Enter")
    box.type("zweite Zeile")
    expect(box).to_have_value("Erste Zeile\nzweite Zeile")
    assert upstream.requests == []
    box.press("Enter")
    # Emptied while the answer is still on its way, the prompt shows in the transcript.
    expect(box).to_have_value("")
    expect(chat.locator("article.turn .msg-user")).to_contain_text("zweite Zeile")
    expect(chat.get_by_role("button", name="Stopp")).to_be_visible()
    wait_for_answer(chat, 0)
    expect(chat.get_by_role("button", name="Senden")).to_be_visible()
    assert upstream.requests[-1]["messages"][-1]["content"] == "Erste Zeile\nzweite Zeile"


def test_a_counter_appears_near_the_limit_and_an_overlong_prompt_is_not_sent(chat, upstream, live_server):
    limit = live_server.app.state.settings.max_prompt_chars
    counter = chat.locator("#char-counter")
    box = chat.get_by_label("Ihre Nachricht")
    box.fill("kurz")
    expect(counter).to_be_hidden()
    box.fill("a" * (limit - 10))
    expect(counter).to_be_visible()
    expect(counter).not_to_have_class("over")
    box.fill("a" * (limit + 5))
    expect(counter).to_contain_text("um 5 Zeichen")
    box.press("Enter")
    expect(chat.get_by_role("alert")).to_contain_text("bitte kürzen Sie")
    expect(box).to_have_value("a" * (limit + 5))
    assert upstream.requests == []


def test_the_what_was_sent_panel_opens_only_on_the_first_turn(chat, upstream):
    send(chat, PROMPT)
    first = wait_for_answer(chat, 0)
    send(chat, "Noch eine Frage an Frau Anna Schneider.")
    second = wait_for_answer(chat, 1)
    expect(first.locator("details.sent-panel")).to_have_attribute("open", "")
    expect(second.locator("details.sent-panel")).not_to_have_attribute("open", "")
    expect(second.locator("details.sent-panel summary")).to_contain_text("1 Name")
