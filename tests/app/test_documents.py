"""Documents: text extraction from real PDF, DOCX, ODT and text files, and clear refusals."""
from __future__ import annotations

import io
import logging
import zipfile

import pytest

from app.chat.documents import MAX_BYTES, DocumentError, extract_text
from tests.app.document_files import docx_file, encrypted_pdf, odt_file, scanned_pdf, text_pdf
from tests.app.test_pages import chat_csrf, login

LINES = ["Bescheid über Gebühren", "Frau Anna Schneider, Hauptstraße 5, 10115 Berlin", "Betrag: 120 Euro"]


@pytest.mark.parametrize("name, data", [
    ("bescheid.pdf", text_pdf(LINES)),
    ("bescheid.docx", docx_file(LINES[:2], table=[["Betrag:", "120 Euro"]])),
    ("bescheid.odt", odt_file(LINES[0], LINES[1:])),
    ("bescheid.txt", "\n".join(LINES).encode("utf-8")),
    ("bescheid.md", "\n".join(LINES).encode("cp1252")),
], ids=["pdf", "docx", "odt", "txt-utf8", "md-cp1252"])
def test_text_is_extracted(name, data):
    text = extract_text(name, data)
    assert "Bescheid über Gebühren" in text
    assert "Anna Schneider" in text and "Hauptstraße 5" in text
    assert "120 Euro" in text


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (70 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize("name, data, code", [
    ("geschuetzt.pdf", encrypted_pdf(LINES), "document_encrypted"),
    ("scan.pdf", scanned_pdf(), "document_no_text"),
    ("bild.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "document_type"),
    ("alt.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "document_type"),
    ("falsch.pdf", b"PK\x03\x04 not a pdf", "document_type"),
    ("leer.txt", b"   \n ", "document_no_text"),
    ("kaputt.docx", b"PK\x03\x04 broken", "document_unreadable"),
    ("bombe.docx", _zip_bomb(), "document_too_large"),
], ids=["encrypted", "scanned", "image", "old-doc", "wrong-magic", "empty", "damaged", "zip-bomb"])
def test_refusals_name_the_reason(name, data, code):
    with pytest.raises(DocumentError) as caught:
        extract_text(name, data)
    assert caught.value.code == code
    assert caught.value.message_de and caught.value.message_en


def test_upload_endpoint_returns_text_and_keeps_nothing(env, caplog):
    env.user("erika")
    login(env.client)
    csrf = chat_csrf(env.client)
    with caplog.at_level(logging.INFO):
        response = env.client.post("/chat/document", content=text_pdf(LINES), headers={
            "x-csrf-token": csrf, "x-filename": "Bescheid%20Schneider.pdf", "accept": "application/json"})
    assert response.status_code == 200
    body = response.json()
    assert body["filename"] == "Bescheid Schneider.pdf" and "Anna Schneider" in body["text"]
    assert "Schneider" not in caplog.text
    from tests.app.conftest import dump_database
    assert "Schneider" not in dump_database(env.app.state.engine)


def test_upload_refusals_are_400_or_413_with_a_message(env):
    env.user("erika")
    login(env.client)
    csrf = chat_csrf(env.client)
    headers = {"x-csrf-token": csrf, "x-filename": "scan.pdf", "accept": "application/json"}
    response = env.client.post("/chat/document", content=scanned_pdf(), headers=headers)
    assert response.status_code == 400 and response.json()["error"]["code"] == "document_no_text"
    assert "eingescannt" in response.json()["error"]["message_de"].lower()
    response = env.client.post("/chat/document", content=b"x" * (MAX_BYTES + 1),
                               headers={**headers, "x-filename": "gross.txt"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "document_too_large"
    assert env.client.post("/chat/document", content=b"abc",
                           headers={"x-filename": "a.txt", "accept": "application/json"}).status_code == 403
