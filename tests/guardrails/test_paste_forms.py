"""Copy-and-paste forms must not let a value, or any fragment of it, through (issue 10).

Each table inserts one paste artefact into a value and checks two things: the finding covers
the whole value in the ORIGINAL text, and no fragment of the value (every run of 3+ letters,
every group of 3+ digits, also as split by the artefact) is readable in the sent text.
"""
from __future__ import annotations

import re

import pytest

from guardrails import PLACEHOLDER_RE, Vault

IBAN = "DE89 3704 0044 0532 0130 00"
TAX_ID = "26 485 910 723"  # a valid Steuer-ID in the groups of the tax letter
PHONE = "0341 5567821"
NAME = "Katharina Oberländer"

INVISIBLE = {"ZWSP": "\u200b", "ZWJ": "\u200d", "BOM": "\ufeff", "SHY": "\u00ad", "WJ": "\u2060"}
SPACES = {"NBSP": "\u00a0", "THIN": "\u2009", "NNBSP": "\u202f", "FIGURE": "\u2007"}


def fragments(value: str) -> set[str]:
    """Every piece of a value a reader could use: runs of letters (3+) and digits (3+),
    in the value as typed and with every non-alphanumeric character removed."""
    pieces = set()
    for form in (value, re.sub(r"[^\w\s]|_", "", value), re.sub(r"[\W_]", "", value)):
        pieces |= {m for m in re.findall(r"[^\W\d_]{3,}|\d{3,}", form)}
    return pieces


def assert_gone(result, text: str, value: str) -> None:
    start = text.index(value)
    covering = [f for f in result.findings if f.start <= start and f.end >= start + len(value)]
    assert covering, f"no single finding covers the value; findings: {result.findings}"
    leaked = [p for p in fragments(value) if p.lower() in result.text.lower()]
    assert not leaked, f"fragments left in the sent text: {leaked} in {result.text!r}"


def _insert_every(value: str, char: str, step: int) -> str:
    return "".join(c + (char if i % step == step - 1 and i < len(value) - 1 else "") for i, c in enumerate(value))


@pytest.mark.parametrize("char_name", sorted(INVISIBLE))
@pytest.mark.parametrize("template,value,step", [
    ("Bitte überweisen Sie den Betrag an {v}, Verwendungszweck Kaution.", IBAN, 5),
    ("Kontoinhaberin: Frau {v}, bitte zurückrufen.", NAME, 4),
    ("Ihre Steuer-ID lautet {v}.", TAX_ID, 3),
    ("Rückruf bitte unter {v} (vormittags).", PHONE, 4),
    ("Antwort bitte an {v} senden.", "k.oberlaender@example.org", 6),
])
def test_invisible_characters_inside_values(guard, char_name, template, value, step):
    pasted = _insert_every(value, INVISIBLE[char_name], step)
    text = template.format(v=pasted)
    result = guard.scan_prompt(text, Vault(), "de")
    assert_gone(result, text, pasted)
    assert INVISIBLE[char_name] not in result.text.replace("\ufeff", "") or char_name == "BOM"


@pytest.mark.parametrize("space_name", sorted(SPACES))
@pytest.mark.parametrize("template,value", [
    ("Neue Bankverbindung: IBAN {v}, bitte ab März verwenden.", IBAN),
    ("Meine Steuer-ID: {v}", TAX_ID),
    ("Telefon: {v}", "0221 9934 0817"),
    ("Mobil erreichbar unter {v}.", "+49 160 7745129"),
])
def test_unusual_spaces_as_group_separators(guard, space_name, template, value):
    pasted = value.replace(" ", SPACES[space_name])
    text = template.format(v=pasted)
    assert_gone(guard.scan_prompt(text, Vault(), "de"), text, pasted)


@pytest.mark.parametrize("pasted", [
    "DE89 3704 0044 05\n32 0130 00",
    "DE89 3704 0044 0532\n0130 00",
    "DE89 3704\r\n0044 0532 0130 00",
    "DE89 3704 0044 0532 01 \n 30 00",
    "DE89-3704-0044-0532-0130-00",
    "DE89.3704.0044.0532.0130.00",
    "DE89\u00a03704\u200b0044\u00a00532\u00a00130\u00a000",
])
def test_iban_broken_over_lines_or_grouped_with_punctuation(guard, pasted):
    text = f"Kontoverbindung:\nIBAN {pasted}\nVielen Dank!"
    assert_gone(guard.scan_prompt(text, Vault(), "de"), text, pasted)


@pytest.mark.parametrize("text,value", [
    ("BITTE SCHREIBE AN FRAU KATHARINA OBERLÄNDER WEGEN DER UNTERLAGEN.", "KATHARINA OBERLÄNDER"),
    ("SEHR GEEHRTER HERR WOLFGANG TIEDEMANN, IHR ANTRAG IST DA.", "WOLFGANG TIEDEMANN"),
    ("ANSCHRIFT: LINDENSTRASSE 14, 04109 LEIPZIG", "LINDENSTRASSE 14, 04109 LEIPZIG"),
    ("ABSENDER: HAUPTSTRASSE 112, 66111 SAARBRÜCKEN", "HAUPTSTRASSE 112, 66111 SAARBRÜCKEN"),
    ("ich wohne in der gartenstraße 7, 79098 freiburg.", "gartenstraße 7, 79098 freiburg"),
    ("lieferadresse: am schlossberg 21, 35037 marburg", "am schlossberg 21, 35037 marburg"),
    ("bitte an rosenweg 3a, 24103 kiel schicken.", "rosenweg 3a, 24103 kiel"),
    ("KENNZEICHEN: B-AB 1234, HALTER: KLAUS MEIER", "B-AB 1234"),
    ("KENNZEICHEN: B-AB 1234, HALTER: KLAUS MEIER", "KLAUS MEIER"),
    ("AUSWEIS GEHÖRT HERRN PETER LANGE AUS KÖLN", "PETER LANGE"),
])
def test_capitals_and_lower_case(guard, text, value):
    assert_gone(guard.scan_prompt(text, Vault(), "de"), text, value)


@pytest.mark.parametrize("text", [
    "BITTE UM RÜCKRUF WEGEN DER MÜLLABFUHR IN UNSERER STRASSE.",
    "KURZE FRAGE ZUR BIOTONNE: WANN WIRD SIE GELEERT?",
    "WICHTIG: DIE FRIST ENDET AM FREITAG.",
    "ES DAUERT LANGE, BIS DER ANTRAG BEARBEITET IST.",
    "DER KLEINE HUND BELLT LAUT.",
    "Die Zahlung 3, 10000 Euro wurde verbucht.",
    "Bitte die Anlage a b c d beachten.",
])
def test_normalised_views_do_not_invent_personal_data(guard, text):
    result = guard.scan_prompt(text, Vault(), "de")
    assert result.findings == [], result.text


@pytest.mark.parametrize("written", [
    "k.oberlaender(at)example.org",
    "k.oberlaender[at]example.org",
    "k.oberlaender (at) example.org",
    "k.oberlaender @ example.org",
    "k.oberlaender{at}example.org",
    "k.oberlaender&#64;example.org",
])
def test_obfuscated_email_addresses(guard, written):
    text = f"Schreiben Sie mir an {written}, danke."
    result = guard.scan_prompt(text, Vault(), "de")
    assert_gone(result, text, written)
    assert any(f.entity_type == "EMAIL_ADDRESS" for f in result.findings)


@pytest.mark.parametrize("text,value", [
    ("Steuer-ID: ２６ ４８５ ９１０ ７２３", "２６ ４８５ ９１０ ７２３"),
    ("Frau M a r i o n   H e i d e n r e i c h hat angerufen.", "M a r i o n   H e i d e n r e i c h"),
    ("Telefon: &#48;&#51;&#52;&#49; 5567821", "&#48;&#51;&#52;&#49; 5567821"),
])
def test_deliberate_obfuscation(guard, text, value):
    result = guard.scan_prompt(text, Vault(), "de")
    start = text.index(value)
    assert any(f.start <= start and f.end >= start + len(value) for f in result.findings), result.text


@pytest.mark.parametrize("later", [
    "Der Zugang katharina.oberlaender ist gesperrt.",
    "Mail von k.oberlaender@example.org kam an.",
    "Benutzer koberlaender hat sich angemeldet.",
    "Bitte Oberlaender informieren.",
    "Frau Oberländer ruft morgen an.",
])
def test_names_in_user_names_and_local_parts_share_the_persons_placeholder(guard, later):
    vault = Vault()
    first, second = guard.scan_conversation([f"Das ist {NAME} aus dem Bauamt.", later], vault, ["de", "de"])
    assert first.text == "Das ist [PERSON_1] aus dem Bauamt."
    assert "oberl" not in second.text.lower() and "katharina" not in second.text.lower(), second.text
    assert PLACEHOLDER_RE.search(second.text)
    if "@" not in later:
        assert "[PERSON_1]" in second.text, second.text
