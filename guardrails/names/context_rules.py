"""Name cues: the words and phrases after which a capitalised word is most likely a name.

Cues come in two strengths. A *strong* cue (Herr, Frau, Dr., "mein Name ist", "Name:",
"Sehr geehrte", a sign-off such as "Viele Grüße,") makes the next capitalised word a name
even when that word is also an ordinary noun (Herr Vogel, Frau Koch). A *weak* cue (a role
noun such as Kollege, Tochter, Antragsteller) only supports a word that is known as a name
or at least does not look like a German noun. The cue itself never becomes part of the
name span. Everything is word sets and a handful of precompiled phrase patterns.
"""
from __future__ import annotations

import re
from enum import IntEnum


class Strength(IntEnum):
    NONE = 0
    WEAK = 1
    STRONG = 2


# Forms of address and academic titles: always followed by a name or by more titles.
TITLES = frozenset("""
herr herrn frau fr hr familie fam eheleute geschwister mr mrs ms miss mister dr prof
professor professorin dipl ing med rer nat phil jur dent vet habil mag
""".split())

# Role nouns that often stand right before a name ("ihre Tochter Sabine", "Kollege Andrzej").
ROLE_NOUNS = frozenset("""
kollege kollegin kollegen sachbearbeiter sachbearbeiterin bürger bürgerin antragsteller
antragstellerin bewerber bewerberin kunde kundin inhaber inhaberin tochter sohn mann ehemann
ehefrau gatte gattin mutter vater bruder schwester oma opa enkel enkelin onkel tante
vorsitzende vorsitzender bürgermeister bürgermeisterin oberbürgermeister oberbürgermeisterin
landrat landrätin mitarbeiter mitarbeiterin ansprechpartner ansprechpartnerin betreuer
betreuerin mieter mieterin vermieter vermieterin nachbar nachbarin patient patientin schüler
schülerin azubi praktikant praktikantin lebensgefährte lebensgefährtin partner partnerin
klient klientin mandant mandantin akte personalakte vorgang sache angelegenheit antrag
widerspruch nichte neffe schwager schwägerin schwiegermutter schwiegervater schwiegersohn
schwiegertochter schwiegereltern cousin cousine großmutter großvater urgroßmutter urgroßvater
stiefvater stiefmutter stiefsohn stieftochter pflegesohn pflegetochter pflegekind urenkel
urenkelin verlobte verlobter lebenspartner lebenspartnerin freund freundin ehepartner
ehepartnerin witwe witwer halbbruder halbschwester zwillingsbruder zwillingsschwester
niece nephew cousin grandmother grandfather
colleague son daughter husband wife mother father brother sister customer client applicant
""".split())

# Phrases whose end is followed directly by a name.
_STRONG_PHRASES = [
    r"mein(?:\s+vollständiger)?\s+name\s+(?:ist|lautet|war)",
    r"ich\s+hei(?:ß|ss)e",
    r"hier\s+(?:ist|spricht|schreibt)",
    r"my\s+name\s+is",
    r"(?:vor|nach|familien|geburts|mädchen|ruf|nutzer|benutzer|kunden)?name[n]?\s*:",
    r"vornamen?\s*:",
    # Form labels written without a colon ("Vorname Tamara, Nachname Horvat"), only before a capital.
    r"(?:vor|nach|familien|geburts|mädchen|ruf)namen?(?=\s+(?-i:[A-ZÄÖÜ]))", r"name,\s*vorname\s*:", r"full\s+name\s*:", r"first\s+name\s*:", r"last\s+name\s*:",
    r"(?:antragsteller|ansprechpartner|sachbearbeiter|bearbeiter|inhaber|kunde|kundin|"
    r"mieter|vermieter|eigentümer|verfasser|unterzeichner|absender|empfänger|patient|"
    r"bewerber|schüler|teilnehmer|vertreter|betreuer|kontaktperson|kontakt|zeuge)(?:in)?\s*:",
    # Who is in charge, in office notes and minutes ("Zuständig: Weidenhammer (Zimmer 3.14)").
    r"(?:zuständig(?:e[rn]?)?|vertretung|vertreten\s+durch|bearbeitet\s+von|sachbearbeitung|"
    r"ansprechperson|protokollführer(?:in)?|verantwortlich(?:e[rn]?)?)\s*:",
    r"(?:von|an|cc|from|to)\s*:",
    r"gez\.", r"geb\.", r"geborene[r]?", r"verh\.", r"verw\.", r"i\.\s?a\.", r"i\.\s?v\.", r"c/o", r"z\.\s?hd\.?", r"zu\s+händen(?:\s+von)?",
    r"sehr\s+geehrte[rs]?", r"guten\s+(?:tag|morgen|abend)",
]
# Salutations open a message or a line; mid-sentence "liebe" is a verb ("ich liebe Bücher").
SALUTATION = re.compile(r"(?:^|(?<=\n)|(?<=[.!?]\s))\s*(?:Liebe[rs]?|Hallo|hallo|Hi|hi|Hey|hey|Moin|moin|"
                        r"Servus|servus|Dear|Hello|Good\s+morning)(?=[\s,])")
# Sign-offs: the name follows after a comma or a line break.
_SIGN_OFFS = [
    r"mit\s+freundlichen\s+grü(?:ß|ss)en", r"freundliche\s+grü(?:ß|ss)e",
    r"(?:viele|beste|herzliche|liebe|schöne|sonnige)\s+grü(?:ß|ss)e", r"grü(?:ß|ss)e", r"gru(?:ß|ss)",
    r"mfg", r"lg", r"vg", r"(?:best|kind|warm)\s+regards", r"regards", r"best", r"cheers",
    r"sincerely", r"yours\s+sincerely", r"thanks", r"danke", r"vielen\s+dank", r"hochachtungsvoll",
    r"im\s+auftrag", r"in\s+vertretung",
]
STRONG_PHRASE = re.compile(r"(?<![\w.])(?:" + "|".join(_STRONG_PHRASES) + r")(?=[\s:,]|$)", re.IGNORECASE)
SIGN_OFF = re.compile(r"(?<![\w.])(?:" + "|".join(_SIGN_OFFS) + r")\s*(?:,\s*|!\s*|\n\s*)", re.IGNORECASE)
# A short sign-off and a name on the same line, closing the message or the line ("LG Sina").
SIGN_OFF_INLINE = re.compile(
    r"(?<![\w.])(?:lg|vg|mfg|gru(?:ß|ss)|grü(?:ß|ss)e|(?:viele|liebe|beste)\s+grü(?:ß|ss)e|danke|cheers)[ \t]+"
    r"(?=(?-i:[A-ZÄÖÜ][^\W\d_]+)(?:[ \t]+(?-i:[A-ZÄÖÜ][^\W\d_]+))?[ \t.!]*(?:$|\n))", re.IGNORECASE)
# Labels after which a list may give "Nachname, Vorname".
INVERTED_LABEL = re.compile(r"(?:name|kunde|kundin|inhaber(?:in)?|antragsteller(?:in)?|mieter(?:in)?|"
                            r"patient(?:in)?|teilnehmer(?:in)?|schüler(?:in)?)\s*:\s*$", re.IGNORECASE)

# Form labels whose value is a place or an organisation, never a person ("Geburtsort: Novi Sad").
NON_PERSON_LABEL = re.compile(
    r"(?<!\w)(?:geburtsort|wohnort|dienstort|arbeitsort|tatort|ort|stadt|gemeinde|landkreis|land|staat|"
    r"staatsangehörigkeit|nationalität|herkunftsland|geburtsland|straße|strasse|adresse|anschrift|"
    r"firma|arbeitgeber|unternehmen|behörde|schule|kita|einrichtung|träger|gericht|krankenkasse|"
    r"bank|kreditinstitut|place\s+of\s+birth|city|country|nationality|company|employer)\s*:\s*$",
    re.IGNORECASE)

# Log lines and IT tickets name people by their account ("durch den Benutzer m.seidel").
USERNAME = re.compile(
    r"(?<!\w)(?:benutzer(?:in|name|kennung|konto)?|nutzer(?:in|name|kennung)?|user(?:name|id)?|login|"
    r"kennung|account|anmeldename)(?:\s*[:=]\s*|\s+)[\"'„‚»]?"
    r"(?P<handle>[A-Za-z][A-Za-z0-9]*(?:[._-][A-Za-z0-9]+)*)", re.IGNORECASE)
# sshd and similar logs: "Accepted password for kbrandenburg from …", "Failed password for invalid user x".
LOG_ACCOUNT = re.compile(
    r"\b(?:accepted|failed)\s+(?:password|publickey|keyboard-interactive\S*)\s+for\s+(?:invalid\s+user\s+)?"
    r"(?P<handle>[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*)\s+from\b|\bsession\s+(?:opened|closed)\s+for\s+user\s+"
    r"(?P<handle2>[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*)", re.IGNORECASE)
# Door-bell, letter-box and resident lists: the surnames follow, separated by | / , ; or "und".
BELL_LIST_CUE = re.compile(
    r"(?<!\w)(?:klingel\w*|briefk[aä]st\w*|türschild\w*|namensschild\w*|postk[aä]st\w*|"
    r"mieterliste\w*|bewohnerliste\w*|hausbewohner\w*|bewohner(?:innen)?|klingeltableau\w*)", re.IGNORECASE)
SYSTEM_ACCOUNTS = frozenset("""
admin administrator root system guest gast service test nobody daemon www-data sa anonymous
unbekannt unknown wurde hat ist war mit und oder der die das den dem ein eine einen kein
keine nicht nicht-angemeldet id name konto passwort kennwort gesperrt entsperrt angelegt
gelöscht is was has with the and or not interface experience manual story agent guide group
groups data rights role roles request failed failure success successful attempt attempts
for from invalid denied locked unlocked
""".split())

# Lower-case particles inside a name ("Friederike von Saldern", "Ludwig van der Berg").
PARTICLES = frozenset("von van der den de di da del della du le la zu zur vom ten ter dos das bin ibn al el".split())
# Particles that may open a name after a title ("Herr von Saldern"); articles may not
# ("Herr der Lage").
LEADING_PARTICLES = frozenset("von van de di da del della du zu vom ten ter dos al el bin ibn".split())
# Articles before a genitive rule out a name: "des Müllers" is the miller's.
ARTICLES = frozenset("des eines dem der die das den ein eine einem einer".split())
ARTICLES_AND_PREPOSITIONS = ARTICLES | frozenset("im am vom zum zur beim ins ans aufs im an auf in "
                                                "aus bei mit nach seit von vor zu über unter".split())
CONJUNCTIONS = frozenset("und and sowie &".split())


def strong_phrase_ends(text: str) -> list[int]:
    return [m.end() for m in STRONG_PHRASE.finditer(text)] + [m.end() for m in SALUTATION.finditer(text)]


def sign_off_ends(text: str) -> list[int]:
    return [m.end() for m in SIGN_OFF.finditer(text)]


def inline_sign_off_ends(text: str) -> list[int]:
    """Ends of "LG", "Gruß" … before a name on the same line; the name must be a known first name."""
    return [m.end() for m in SIGN_OFF_INLINE.finditer(text)]


def title_strength(word: str) -> Strength:
    if len(word) > 1 and word.isupper():
        return Strength.NONE  # "FR", "HR": abbreviations of other things
    lowered = word.lower()
    if lowered in TITLES:
        return Strength.STRONG
    if lowered in ROLE_NOUNS:
        return Strength.WEAK
    return Strength.NONE
