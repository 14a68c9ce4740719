"""A document in the chat: its text passes the guard like typed text; the model sees placeholders only."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.app.browser.support import wait_for_answer
from tests.app.document_files import docx_file, scanned_pdf, text_pdf

pytestmark = pytest.mark.browser

PLANTED = ["Sehr geehrte Frau Anna Schneider,", "Ihre IBAN DE89 3704 0044 0532 0130 00 ist hinterlegt.",
           "Rückfragen unter +49 30 12345678."]
FRAGMENTS = ("Anna", "Schneider", "DE89", "0532 0130", "12345678")


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 850}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
@pytest.mark.parametrize("name, data, mime", [
    ("Anschreiben.pdf", text_pdf(PLANTED), "application/pdf"),
    ("Anschreiben.docx", docx_file(PLANTED),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
], ids=["pdf", "docx"])
def test_an_uploaded_document_reaches_the_model_only_pseudonymised(chat, upstream, viewport, name, data, mime):
    chat.set_viewport_size(viewport)
    box = chat.get_by_label("Ihre Nachricht")
    box.fill("Bitte fassen Sie dieses Schreiben zusammen.")
    chat.locator("#document").set_input_files({"name": name, "mimeType": mime, "buffer": data})
    expect(chat.locator("#chat-status")).to_contain_text("steht im Eingabefeld")
    assert "Anna Schneider" in box.input_value() and f"Dokument: {name}" in box.input_value()
    assert upstream.requests == []   # nothing is sent before the person sends

    chat.get_by_role("button", name="Senden").click()
    turn = wait_for_answer(chat, 0)
    sent = turn.locator(".sent-text").inner_text()
    assert "[PERSON_1]" in sent and "[IBAN_CODE_1]" in sent
    for fragment in FRAGMENTS:
        assert fragment not in sent
        assert fragment not in upstream.all_text(), f"{fragment!r} reached the model"
    expect(turn.locator(".msg-assistant")).to_contain_text("Anna Schneider")


def test_a_scanned_pdf_gets_a_clear_message_and_the_input_is_kept(chat, upstream):
    box = chat.get_by_label("Ihre Nachricht")
    box.fill("Mein Text bleibt.")
    chat.locator("#document").set_input_files({"name": "scan.pdf", "mimeType": "application/pdf",
                                               "buffer": scanned_pdf()})
    expect(chat.get_by_role("alert")).to_contain_text("Eingescannte Seiten sind Bilder")
    expect(box).to_have_value("Mein Text bleibt.")
    assert upstream.requests == []
