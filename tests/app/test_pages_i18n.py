"""The string tables of the web pages: complete in both languages, legends read naturally."""
from __future__ import annotations

import pytest
from starlette.requests import Request

from app import i18n


def test_both_languages_have_the_same_keys():
    assert set(i18n.STRINGS["de"]) == set(i18n.STRINGS["en"])
    assert set(i18n.ENTITY_LABELS["de"]) == set(i18n.ENTITY_LABELS["en"])


def test_german_speaks_to_the_user_politely():
    # The informal "du"/"dein" must not slip into the German table.
    informal = [key for key, text in i18n.STRINGS["de"].items()
                if any(word in f" {text.lower()} " for word in (" du ", " dein ", " deine ", " dich "))]
    assert informal == []


@pytest.mark.parametrize("summary, lang, expected", [
    ({"PERSON": 2, "IBAN_CODE": 1}, "de", "2 Namen, 1 IBAN wurden ersetzt"),
    ({"PERSON": 2, "IBAN_CODE": 1}, "en", "2 names, 1 IBAN replaced"),
    ({"PHONE_NUMBER": 1}, "de", "1 Telefonnummer wurde ersetzt"),
    ({"EMAIL_ADDRESS": 3}, "de", "3 E-Mail-Adressen wurden ersetzt"),
    ({"SOMETHING_NEW": 2}, "de", "2 SOMETHING_NEW wurden ersetzt"),
    ({}, "de", ""),
    ({"PERSON": 0}, "en", ""),
])
def test_legend(summary, lang, expected):
    assert i18n.legend(summary, lang) == expected


def test_translator_falls_back_to_german_then_to_the_key():
    t = i18n.translator("fr")
    assert t("send") == "Senden"
    assert t("no-such-key") == "no-such-key"


def _request(session: dict | None = None, cookie: str | None = None) -> Request:
    headers = [(b"cookie", f"{i18n.LANG_COOKIE}={cookie}".encode())] if cookie else []
    scope = {"type": "http", "headers": headers}
    if session is not None:
        scope["session"] = session
    return Request(scope)


@pytest.mark.parametrize("session, cookie, expected", [
    (None, None, "de"),
    ({}, "en", "en"),
    ({"lang": "de"}, "en", "de"),
    ({"lang": "xx"}, "zz", "de"),
])
def test_request_language_prefers_session_then_cookie_then_german(session, cookie, expected):
    assert i18n.request_language(_request(session, cookie)) == expected


def test_client_strings_cover_everything_the_script_uses():
    import re
    from pathlib import Path

    script = (Path(i18n.__file__).parent / "static" / "chat.js").read_text(encoding="utf-8")
    used = set(re.findall(r"\bS\.([a-z_]+)", script))
    assert used <= set(i18n.client_strings("de")["strings"])


def test_every_kind_of_data_the_guard_finds_has_a_label_in_both_languages():
    from guardrails.recognizers import build_recognizers

    kinds = {kind for recognizer in build_recognizers(("de", "en")) for kind in recognizer.supported_entities}
    assert kinds, "the guard registered no recognizer"
    for lang in i18n.LANGUAGES:
        assert sorted(kinds - set(i18n.ENTITY_LABELS[lang])) == [], lang


@pytest.mark.parametrize("summary, masked, lang, expected", [
    ({"PERSON": 1}, {"EMAIL_ADDRESS": 1}, "de", "1 Name wurde ersetzt; 1 E-Mail-Adresse wurde unkenntlich gemacht"),
    ({}, {"EMAIL_ADDRESS": 2}, "en", "2 e-mail addresses made unrecognisable"),
])
def test_legend_tells_replaced_from_masked(summary, masked, lang, expected):
    assert i18n.legend(summary, lang, masked) == expected


def test_entity_list_uses_labels_not_codes():
    assert i18n.entity_list(["IBAN_CODE", "PHONE_NUMBER"], "de") == "IBAN, Telefonnummer"
