"""Build `app/accounts/data/common_passwords.txt`, the password rule's list of common passwords.

Source: written for Spielraum from the passwords that published analyses of leaked password
sets keep naming as the most frequent, in Germany (the Hasso-Plattner-Institut's yearly
"Top 10" lists: 123456, passwort, hallo, qwertz, schatz, …) and in English-speaking countries
(password, qwerty, iloveyou, dragon, monkey, …), plus German and English words, football
clubs, seasons and keyboard walks that such lists are full of. The words are common
vocabulary, not copied from any leaked list; the file is part of Spielraum under its licence.

The list holds normalised *cores*: the rule strips digits and symbols around a password,
folds case, undoes leetspeak (`P@ssw0rt2024!` -> `passwort`) and looks the core up, so one
entry covers its many variants and the file stays small. Run
`python tools/build_common_passwords.py` after editing the seeds; the output is sorted and
deduplicated, so a rebuild without changes leaves the file byte for byte the same.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.accounts.password_rule import normalise  # noqa: E402 - the rule's own normalisation

OUTPUT = ROOT / "app" / "accounts" / "data" / "common_passwords.txt"

GERMAN = """
passwort kennwort geheim hallo hallo123 schatz schatzi liebe ichliebedich iloveyou
sommer winter fruehling herbst sonne mond stern himmel blume rose engel teufel
hase maus baerchen mausi schnucki schnuffel hasi spatz liebling prinzessin prinz
fussball bayern bayernmuenchen borussia dortmund schalke werder hamburg hertha
berlin muenchen koeln deutschland germany willkommen zuhause familie freund freundin
arbeit buero verwaltung amt rathaus behoerde dienst computer internet zugang anmeldung
benutzer login admin administrator root test tester probe muster mustermann beispiel
start anfang neu neustart wechsel aendern januar februar maerz april mai juni juli
august september oktober november dezember montag dienstag mittwoch donnerstag freitag
samstag sonntag katze hund pferd tiger loewe adler falke wolf baer drache
schokolade kaffee bier pizza gummibaer weihnachten ostern urlaub sicherheit sicher
""".split()

ENGLISH = """
password passw0rd letmein welcome monkey dragon master shadow sunshine princess football
baseball soccer hockey superman batman trustno1 whatever freedom secret access qwerty
iloveyou lovely love flower hello charlie michael jennifer jordan harley ranger hunter
buster thomas tigger robert daniel andrew joshua matthew summer winter spring autumn
starwars pokemon minecraft computer internet changeme default guest user administrator
mustang ferrari porsche chelsea liverpool arsenal manchester united america london
""".split()

# Keyboard walks and digit runs, German (QWERTZ) and English (QWERTY) layouts.
PATTERNS = """
qwertz qwertzu qwertzui qwertzuiop qwertzuiopü asdfgh asdfghjkl asdfghjklöä yxcvbnm
qwerty qwertyuiop zxcvbnm qayxsw qaywsx 1qay2wsx yxcvb asdf qwer abc abcd abcdef
abcdefgh abcdefghijkl azerty
""".split()


def build() -> list[str]:
    words = {normalise(word) for word in GERMAN + ENGLISH + PATTERNS}
    return sorted(word for word in words if word)


def main() -> None:
    words = build()
    OUTPUT.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} entries -> {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
