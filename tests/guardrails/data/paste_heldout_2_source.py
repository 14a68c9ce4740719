"""Second blind paste-form set, written after the first was used for tuning, scored untouched.

Build: python3 ../shared/eval/build.py tests/guardrails/data/paste_heldout_2_source.py \
           tests/guardrails/data/paste_heldout_2.jsonl
"""
import random
import re
import sys

_markup = sys.modules.get("markup")
if _markup is not None:
    _markup.MARK = re.compile(_markup.MARK.pattern, re.DOTALL)

SEED = 2020
_rng = random.Random(SEED)


def _iban(sep=" ", group=4):
    bban = "".join(_rng.choice("0123456789") for _ in range(18))
    check = 98 - int(bban + "131400") % 97
    raw = f"DE{check:02d}{bban}"
    return sep.join(raw[i:i + group] for i in range(0, len(raw), group))


def _taxid(sep=" "):
    while True:
        d = list(range(10))
        _rng.shuffle(d)
        body = d[:9]
        body.insert(_rng.randrange(1, 10), _rng.choice(body))
        if body[0] == 0:
            continue
        product = 10
        for x in body:
            s = (x + product) % 10 or 10
            product = (s * 2) % 11
        raw = "".join(map(str, body)) + str((11 - product) % 10)
        return sep.join([raw[:2], raw[2:5], raw[5:8], raw[8:]])


ZW, ZWJ, BOM, SHY, WJ = "\u200b", "\u200d", "\ufeff", "\u00ad", "\u2060"
NBSP, THIN, NNBSP = "\u00a0", "\u2009", "\u202f"

DOCS = [
    f"Überweisung bitte auf {''.join('[[IBAN_CODE:' + _iban(WJ + ' ') + ']]')} (Stadtkasse).",
    f"Sachbearbeiterin ist Frau [[PERSON:Roswitha{ZW} Kuhnert{SHY}-Baal]].",
    f"Steuer-Identifikationsnummer: [[DE_TAX_ID:{_taxid(THIN)}]]",
    f"Handy: [[PHONE_NUMBER:0172{NBSP}884{NBSP}21{NBSP}09]]",
    "Kontoverbindung\nIBAN: [[IBAN_CODE:" + (lambda v: v[:9] + "\n" + v[9:])(_iban()) + "]]",
    "Zahlung an [[IBAN_CODE:" + _iban("-") + "]] erfolgt.",
    "SEHR GEEHRTER HERR [[PERSON:JÜRGEN HASSELBRINK]], IHR ANTRAG WURDE GENEHMIGT.",
    "WOHNHAFT: [[ADDRESS:BIRKENSTRASSE 31, 28195 BREMEN]]",
    "Bitte antworten an [[EMAIL_ADDRESS:f.oltmanns (at) gmx.net]]",
    "Zugangsdaten gehen an [[EMAIL_ADDRESS:ingrid.sturm [at] web.de]].",
    "Ticket angelegt von [[PERSON:sabine.wollweber]] um 09:14.",
    "Meine Nichte [[PERSON:Leonie]] kommt am Freitag vorbei.",
    "Unser Nachbar [[PERSON:Grzegorz]] hat den Schlüssel.",
    "Mein Schwager [[PERSON:Benedikt]] hat den Antrag ausgefüllt.",
    "Auf dem Klingelschild stehen [[PERSON:Reuter]] und [[PERSON:Abramowicz]].",
    "Postkasten 3. OG: [[PERSON:Demir]] / [[PERSON:Feldhaus]]",
    "[[PERSON:Gesine Thormählen]] (Kämmerei) hat die Rechnung freigegeben.",
    "Verteiler:\n[[PERSON:Holger Brandes]] (Amt 61)\n[[PERSON:Yvonne Kaschke]] (Amt 63)",
    "Name;Vorname;geb. am;Ort\n[[PERSON:Wagenknecht]];[[PERSON:Ilse]];[[DATE_OF_BIRTH:04.05.1949]];Gera",
    "[[PERSON:Hoffmeister, Lars]]\t[[DATE_OF_BIRTH:28.02.1982]]\tWohngeld",
    "meine adresse ist [[ADDRESS:kirchstraße 14, 99084 erfurt]]",
    "2025-04-11 10:02:13 ERROR auth: invalid credentials for user=[[PERSON:pkoenig]]",
    "Frau [[PERSON:Oberhuber]] rief an. Später schrieb [[PERSON:Anneliese Oberhuber]] eine Mail.",
    f"Rückruf an [[PERSON:Elke{NBSP}Dannenberg]] unter [[PHONE_NUMBER:040{NNBSP}3318{NNBSP}4470]].",
    "Der Vorgang betrifft das Grundstück in der Ulmenstraße; Ansprechpartner ist [[PERSON:Timo Scharnweber]].",
    "Bitte das Formular ausfüllen und bis Freitag zurückschicken.",
    "Die Sitzung des Bauausschusses findet am 14.05.2025 um 17 Uhr im Rathaus statt.",
    "KURZE FRAGE ZUR MÜLLABFUHR: WANN WIRD DIE BIOTONNE GELEERT?",
    "Anbei die Tabelle mit den Kosten;Summe;Monat\n120;340;Mai",
    "Wie beantrage ich einen neuen Personalausweis, wenn der alte abgelaufen ist?",
]
