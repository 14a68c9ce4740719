"""PERSON recognizer: names found, ordinary words left alone, in one table.

Each row is a sentence and the exact name spans expected in it (an empty tuple means the
sentence holds no name and nothing may be flagged). The recognizer runs for real, through
Presidio's NLP artifacts, with whatever German pipeline is installed.
"""
from __future__ import annotations

import pytest

from guardrails.engine import build_engine
from guardrails.names import find_person_names
from guardrails.recognizers.generic.person_name_recognizer import PersonNameRecognizer

CASES = [
    # forms of address and titles (the title is not part of the name)
    ("Bitte rufen Sie Frau Wiesner wegen der Nachforderung zurück.", ("Wiesner",)),
    ("Herr Prof. Dr. Georg Albers hält den Vortrag im Ratssaal.", ("Georg Albers",)),
    ("Sehr geehrte Frau Dr. Yilmaz-Berger, anbei der Bescheid.", ("Yilmaz-Berger",)),
    ("Die Unterlagen gingen an Herrn von Bülow zurück.", ("von Bülow",)),
    ("Familie Kowalski wohnt seit März in der Gemeinde.", ("Kowalski",)),
    # double-barrelled surnames whose second part is also a noun; compounds of words stay words
    ("Die Unterlagen für Frau Dr. Weißenborn-Kaiser liegen vor.", ("Weißenborn-Kaiser",)),
    ("Das Koch-Rezept liegt bei, die Kita-Gruppe kommt um neun.", ()),
    # informal lower case: a frequent first name, then a surname no list knows, but not a noun
    ("hallo, ich bin mehmet özdemir und brauche hilfe beim antrag", ("mehmet özdemir",)),
    ("hab mit anna unterlagen sortiert", ("anna",)),
    # form labels written without a colon
    ("Bitte übernehmen Sie: Vorname Tamara, Nachname Horvat.", ("Tamara", "Horvat")),
    ("Der Nachname ist im Formular nicht lesbar.", ()),
    # names that are also words count only with a cue
    ("Herr Koch aus der Kämmerei hat angerufen.", ("Koch",)),
    ("Frau Winter übernimmt die Vertretung.", ("Winter",)),
    ("Der Koch der Kantine bereitet das Mittagessen vor.", ()),
    ("Im Winter ist das Freibad geschlossen.", ()),
    ("Der Vogel saß auf dem Dach des Rathauses.", ()),
    # first name + surname without any cue
    ("Die Akte hat gestern Bernd Kleinschmidt mitgenommen.", ("Bernd Kleinschmidt",)),
    ("Laut Protokoll hat Aylin Öztürk zugestimmt.", ("Aylin Öztürk",)),
    ("Wir haben Anna-Lena Hofstätter zum Gespräch eingeladen.", ("Anna-Lena Hofstätter",)),
    ("Die Stellungnahme schrieb Hans Peter Lindqvist.", ("Hans Peter Lindqvist",)),
    ("Bitte Sebastian Lange in Kopie setzen.", ("Sebastian Lange",)),
    # particles, double-barrelled, non-German letters
    ("Die Zeugin Johanna van der Meer wurde geladen.", ("Johanna van der Meer",)),
    ("Ansprechpartnerin ist Małgorzata Wiśniewska.", ("Małgorzata Wiśniewska",)),
    ("Herr Çelik hat die Gebühr bezahlt.", ("Çelik",)),
    # role nouns
    ("Ihre Tochter Lea besucht die Grundschule am Markt.", ("Lea",)),
    ("Kollegin Hannah meint, der Termin passt.", ("Hannah",)),
    ("Die Sachbearbeiterin hat den Vorgang abgeschlossen.", ()),
    ("Der Bürgermeister begrüßt die Gäste.", ()),
    # salutations, sign-offs, forms
    ("Liebe Frau Brenner, vielen Dank für Ihre Nachricht.", ("Brenner",)),
    ("Hallo Tobias, kannst du mir die Liste schicken?", ("Tobias",)),
    ("Danke für die Hilfe!\nViele Grüße\nKerstin Maaß", ("Kerstin Maaß",)),
    ("Vorname: Dariusz\nNachname: Szymański", ("Dariusz", "Szymański")),
    ("Antragsteller: Hoffmann, Ilse", ("Hoffmann, Ilse",)),
    ("Die Unterlagen von BRANDT, Heike fehlen noch.", ("BRANDT, Heike",)),
    ("Sehr geehrte Damen und Herren, bitte senden Sie mir ein Formular.", ()),
    ("Mit freundlichen Grüßen\nIhr Bürgerbüro", ()),
    # genitive, coordination, lower case, user names
    ("Krämers Einwand wurde im Protokoll vermerkt.", ("Krämers",)),
    ("Beteiligt sind Jonas und Miriam Eckhardt.", ("Jonas", "Miriam Eckhardt")),
    ("ich hab mit sophie kramer gesprochen, passt alles", ("sophie kramer",)),
    ("Fehlgeschlagene Anmeldung für Benutzer j.krueger um 08:15 Uhr.", ("j.krueger",)),
    ("Das Benutzerkonto wurde gesperrt.", ()),
    # precision traps
    ("Am Freitag tagt der Ausschuss im Mai erneut.", ()),
    ("Frau Holle ist ein Märchen der Brüder Grimm.", ()),
    ("Der Ernst der Lage ist allen bewusst.", ()),
    ("Die AOK Nordost hat den Antrag bewilligt.", ()),
    ("Das Bauordnungsamt der Stadt Münster prüft den Antrag.", ()),
    ("Die Vogelschutzrichtlinie gilt auch hier.", ()),
    ("Wie komme ich von Köln nach Hamburg?", ()),
    ("Geburtsort: Santa Cruz", ()),
    ("Antwort: Frau Kästner ist einverstanden.", ("Kästner",)),
    # more administrative phrasing
    ("Rückfragen bitte an Sachbearbeiter Thomas Reuter, Zimmer 214.", ("Thomas Reuter",)),
    ("Wir gratulieren Herrn Oberbürgermeister Dr. Klaus Wenzel zum Geburtstag.", ("Klaus Wenzel",)),
    ("Kannst du eine Mail an Jens schreiben, dass Petra morgen krank ist?", ("Jens", "Petra")),
    ("Bitte Termin mit Frau Nguyen Thi Lan vereinbaren.", ("Nguyen Thi Lan",)),
    ("Der Sohn von Ali Hassan hat die Schule gewechselt.", ("Ali Hassan",)),
    ("Gesprächspartner waren Frau Schulze-Wettering und Herr El Masri.", ("Schulze-Wettering", "El Masri")),
    ("Die Eheleute Martina und Jörg Brandstätter beantragen Wohngeld.", ("Martina", "Jörg Brandstätter")),
    ("Dies ist ein Fall für Herrn Özdemir von der Ausländerbehörde.", ("Özdemir",)),
    ("Bitte leiten Sie das an Fr. Albrecht weiter.", ("Albrecht",)),
    ("cc: Andreas Wolf, Beate Sommer", ("Andreas Wolf", "Beate Sommer")),
    ("Von: Julia Hartwig <j.hartwig@example.org>", ("Julia Hartwig",)),
    ("Nach Rücksprache mit Frau Dr. med. Ilona Hartung wurde verlängert.", ("Ilona Hartung",)),
    ("Der Antrag Weber wird zurückgestellt.", ("Weber",)),
    ("Die Stadt Essen und die Stadt Bochum kooperieren.", ()),
    ("Ich habe mit der Frau am Empfang gesprochen.", ()),
    ("Sehr geehrter Herr Bürgermeister, sehr geehrte Damen und Herren,", ()),
    ("Am 3. Mai Grundsteinlegung der neuen Schule.", ()),
    ("Die Caritas und die Diakonie bieten Beratung an.", ()),
    ("Viele Grüße aus dem Sozialamt", ()),
    ("Ich liebe Bücher über Verwaltungsgeschichte.", ()),
    # maiden names, lone given names, initials, informal salutations
    ("Frau Helga Brück geb. Lorenz hat den Antrag unterschrieben.", ("Helga Brück", "Lorenz")),
    ("Gerd meinte, die Sitzung fällt aus.", ("Gerd",)),
    ("hallo sven, kannst du kurz anrufen?", ("sven",)),
    ("Das Gutachten stammt von Marie L. Hofbauer.", ("Marie L. Hofbauer",)),
    ("Die Öle und Fette werden getrennt entsorgt.", ()),
    ("kannst du morgen mit lukas die ablage machen?", ("lukas",)),
    ("die rosa mappe liegt bei mir im büro", ()),
    ("Die Nato und die Uno haben getagt.", ()),
    ("Der Nikolaus kommt am 6. Dezember in den Kindergarten.", ()),
    ("Die Kita Regenbogen hat ab August wieder freie Plätze.", ()),
    ("Hallo Team, bitte denkt an die Zeiterfassung.", ()),
    ("Die Feuerwehr Nord rückte zu einem Einsatz in der Bahnhofstraße aus.", ()),
    # English
    ("Dear Mrs Thompson, thank you for your letter.", ("Thompson",)),
    ("My name is Daniel Okoro and I need a certificate.", ("Daniel Okoro",)),
]


@pytest.fixture(scope="module")
def engine():
    return build_engine()


def _flagged(engine, text: str, language: str) -> set[str]:
    recognizer = PersonNameRecognizer(supported_language=language)
    artifacts = engine.nlp_engine.process_text(text, language)
    return {text[r.start:r.end] for r in recognizer.analyze(text, ["PERSON"], artifacts) if r.score >= 0.4}


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_person_names(engine, text, expected):
    language = "en" if text.startswith(("Dear", "My name")) else "de"
    assert _flagged(engine, text, language) == set(expected)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_person_names_without_a_trained_model(text, expected):
    """The list and cue rules alone, as on an installation without the NER model."""
    language = "en" if text.startswith(("Dear", "My name")) else "de"
    found = {text[s.start:s.end] for s in find_person_names(text, language) if s.score >= 0.4}
    assert found == set(expected)


def test_recognizer_declares_person_for_both_languages():
    assert PersonNameRecognizer.LANGUAGES == ("de", "en")
    assert PersonNameRecognizer(supported_language="en").supported_entities == ["PERSON"]


def test_other_entity_requests_are_ignored(engine):
    text = "Herr Albers ruft an."
    artifacts = engine.nlp_engine.process_text(text, "de")
    assert PersonNameRecognizer().analyze(text, ["EMAIL_ADDRESS"], artifacts) == []


@pytest.mark.parametrize(("text", "name"), [
    ("Bitte antworte Frau Lindemann bis Freitag.", "Lindemann"),
    ("Der Antrag von Karolina Nowicka ist vollständig.", "Karolina Nowicka"),
])
def test_full_guard_pseudonymises_names(guard, text, name):
    findings = [f for f in guard.analyze(text, "de") if f.entity_type == "PERSON"]
    assert [text[f.start:f.end] for f in findings] == [name]
