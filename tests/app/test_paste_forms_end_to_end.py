"""Text as people paste it, through the real app to the recording fake upstream (issue 10).

Each row plants personal data in a form that copy-and-paste from Word, PDF or e-mail produces
(invisible characters, unusual spaces, line breaks inside numbers, capitals, obfuscated
addresses) and asserts that no fragment of any value — no word of 3+ letters of a name, no
group of 3+ digits of an identifier — reaches the upstream, the database or the log. The
haystacks are normalised first (invisible characters dropped, NFKC, spaces unified), so a
fragment split by a zero-width space would still be found.
"""
from __future__ import annotations

import logging
import re
import unicodedata

import pytest

from tests.app.conftest import dump_database
from tests.app.test_pages import chat_csrf, login, stream

NAME = "Katharina Oberländer"
IBAN = "DE89 3704 0044 0532 0130 00"
TAX_ID = "65929970489"
PHONE = "0171 2345678"

ZW = {"zwsp": "\u200b", "zwj": "\u200d", "bom": "\ufeff", "shy": "\u00ad"}
SPACES = {"nbsp": "\u00a0", "thin": "\u2009", "narrow_nbsp": "\u202f"}

CASES = {
    **{f"invisible-{k}-in-iban": (f"Bitte überweisen an IBAN DE89{c}3704{c}0044{c}0532{c}0130{c}00.", [IBAN])
       for k, c in ZW.items()},
    **{f"invisible-{k}-in-name": (f"Schreiben Sie an Frau Katha{c}rina Ober{c}länder wegen des Antrags.", [NAME])
       for k, c in ZW.items()},
    **{f"space-{k}-in-iban": (f"Die IBAN lautet {IBAN.replace(' ', c)}.", [IBAN]) for k, c in SPACES.items()},
    **{f"space-{k}-in-phone": (f"Rückruf unter 0171{c}2345678 erbeten.", [PHONE]) for k, c in SPACES.items()},
    **{f"space-{k}-in-tax-id": (f"Steuer-ID: 65{c}929{c}970{c}489", [TAX_ID]) for k, c in SPACES.items()},
    "iban-over-two-lines": ("Bitte auf DE89 3704 0044\n0532 0130 00 überweisen.", [IBAN]),
    "iban-with-dashes": ("Konto: DE89-3704-0044-0532-0130-00, bitte prüfen.", [IBAN]),
    "iban-with-dots": ("Konto: DE89.3704.0044.0532.0130.00, bitte prüfen.", [IBAN]),
    "sentence-in-capitals": ("BITTE SCHREIBE AN FRAU KATHARINA OBERLÄNDER EINE ERINNERUNG.", [NAME]),
    "address-in-capitals": ("Die Anschrift ist LINDENSTRASSE 14, 04109 LEIPZIG.", ["Lindenstrasse 14", "04109"]),
    "name-in-user-name": ("Der Account katharina.oberlaender ist gesperrt, Frau Katharina Oberländer fragt nach.",
                          [NAME, "oberlaender"]),
    "email-with-at-in-brackets": ("Antwort an k.oberlaender(at)example.org schicken.", ["oberlaender"]),
    "email-with-spaces": ("Antwort an k.oberlaender @ example.org schicken.", ["oberlaender"]),
    "fullwidth-digits": ("Telefon: ０１７１ ２３４５６７８", [PHONE]),
}


def fragments(value: str) -> list[str]:
    words = re.findall(r"[^\W\d_]{3,}", value)
    groups = re.findall(r"\d{3,}", value)
    return [w for w in words if w.lower() not in {"str", "strasse", "straße"}] + groups


def normalised(text: str) -> str:
    text = "".join(c for c in text if unicodedata.category(c) != "Cf" and c != "\u00ad")
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).casefold().replace("ae", "ä")


def leaks(haystack: str, values: list[str]) -> list[str]:
    hay = normalised(haystack)
    return [f for v in values for f in fragments(v) if normalised(f).replace("ae", "ä") in hay]


def stored_text(engine) -> str:
    """The database's text values without password, token and session hashes: long opaque
    strings. A value written out (an IBAN without spaces has 22 characters) stays."""
    return re.sub(r"[A-Za-z0-9+/$=_.-]{32,}", " ", dump_database(engine, text_only=True))


@pytest.mark.parametrize("case", sorted(CASES))
def test_pasted_forms_leave_no_fragment(env, fake_upstream, caplog, case):
    prompt, values = CASES[case]
    env.user()
    login(env.client, "erika")
    caplog.set_level(logging.DEBUG)
    response, events = stream(env.client, chat_csrf(env.client), prompt)
    assert response.status_code == 200 and events[0]["type"] == "sent", events[:1]
    assert events[-1]["type"] == "done", events[-1]
    upstream = fake_upstream.all_text()
    assert upstream, "the model was not called"
    assert leaks(upstream, values) == [], "upstream"
    assert leaks(stored_text(env.app.state.engine), values) == [], "database"
    # Messages and every text field of every record (timings and ids are numbers, whose
    # digits would match a digit group by chance).
    logged = " ".join([r.getMessage() for r in caplog.records]
                      + [v for r in caplog.records for v in vars(r).values() if isinstance(v, str)])
    assert leaks(logged, values) == [], "log"


def test_a_surname_alone_earlier_in_the_history_is_replaced_too(env, fake_upstream):
    """The API client resends everything; the full name comes only in the last message."""
    user = env.user()
    token = env.token(user)
    messages = [{"role": "user", "content": "Oberländer hat angerufen."},
                {"role": "assistant", "content": "Was möchte sie?"},
                {"role": "user", "content": "Frau Katharina Oberländer möchte einen Rückruf."}]
    response = env.client.post("/v1/chat/completions", json={"model": "fake", "messages": messages},
                               headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200
    sent = fake_upstream.requests[-1]["messages"]
    assert [m["content"] for m in sent][0] == "[PERSON_1] hat angerufen."
    assert leaks(fake_upstream.all_text(), [NAME]) == []


def test_a_placeholder_typed_by_the_person_cannot_be_confused_with_a_real_one(env, fake_upstream):
    env.user()
    login(env.client, "erika")
    _, events = stream(env.client, chat_csrf(env.client),
                       "Im Formular steht [PERSON_1]; gemeint ist Frau Katharina Oberländer.")
    sent = fake_upstream.requests[-1]["messages"][-1]["content"]
    assert sent.count("[PERSON_1]") == 1           # only the real one
    answer = "".join(e.get("text", "") for e in events if e["type"] == "delta")
    assert "[PERSON_1]" in answer and NAME in answer   # the typed one comes back as typed


def test_an_original_is_never_restored_into_a_link(env, fake_upstream):
    env.user()
    login(env.client, "erika")
    fake_upstream.behaviour = "reply"
    fake_upstream.reply_text = ("Hier ist das Profil: [Profil](https://x.example/?iban=[IBAN_CODE_1]) "
                                "für [PERSON_1].")
    _, events = stream(env.client, chat_csrf(env.client),
                       f"Frau {NAME} hat die IBAN {IBAN}.")
    answer = "".join(e.get("text", "") for e in events if e["type"] == "delta")
    assert "https://x.example/?iban=[IBAN_CODE_1]" in answer and IBAN not in answer
    assert NAME in answer
    assert events[-1]["type"] == "done" and events[-1]["links_withheld"] == 1
