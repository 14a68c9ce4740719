"""Blind paste-form cases (issue 10), written before any tuning of the guard.

Build with: python3 ../shared/eval/build.py tests/guardrails/data/paste_heldout_source.py \
                tests/guardrails/data/paste_heldout.jsonl
Markup as in shared/eval/markup.py; identifiers are computed here so their check digits hold
even when a paste form puts invisible characters or odd spaces between their groups.
"""
import random
import re
import sys

# Two values below are broken over lines; build.py's markup reads one line per span, so
# let its pattern cross line breaks for this corpus.
_markup = sys.modules.get("markup")
if _markup is not None:
    _markup.MARK = re.compile(_markup.MARK.pattern, re.DOTALL)

SEED = 1010

_rng = random.Random(SEED)


def _iban(sep=" ", group=4):
    digits = "0123456789"
    bban = "".join(_rng.choice(digits) for _ in range(18))
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


ZW, ZWJ, BOM, SHY = "\u200b", "\u200d", "\ufeff", "\u00ad"
NBSP, THIN, NNBSP = "\u00a0", "\u2009", "\u202f"
FW = str.maketrans("0123456789", "０１２３４５６７８９")

DOCS = [
    # --- invisible characters inside values
    f"Bitte überweisen Sie den Betrag an [[IBAN_CODE:{_iban(ZW)}]], Verwendungszweck Kaution.",
    f"Kontoinhaberin [[PERSON:Ma{ZW}rlene Vo{ZW}ßkuhle]], IBAN [[IBAN_CODE:{_iban(' ' + BOM)}]].",
    f"Die Anfrage kam von Herrn [[PERSON:Jo{SHY}hannes Wit{SHY}tenberg]] aus der Kämmerei.",
    f"Rückfragen bitte an Frau [[PERSON:Ulri{ZWJ}ke Stein{ZWJ}hauer]], sie betreut den Vorgang.",
    f"{BOM}Sehr geehrte Frau [[PERSON:Dagmar Hollerbach]], anbei die Steuer-ID [[DE_TAX_ID:{_taxid(ZW)}]].",
    f"E-Mail des Antragstellers: [[EMAIL_ADDRESS:t.wen{ZW}zel@posteo.de]]",
    f"Telefonisch erreichbar unter [[PHONE_NUMBER:0351{ZW} 4481{SHY}207]] (vormittags).",
    # --- odd spaces as group separators
    f"Neue Bankverbindung: [[IBAN_CODE:{_iban(NBSP)}]], bitte ab März verwenden.",
    f"IBAN [[IBAN_CODE:{_iban(THIN)}]] (Sparkasse), Kontoinhaber [[PERSON:Friedhelm Quast]].",
    f"Ihre Steuer-ID: [[DE_TAX_ID:{_taxid(NNBSP)}]]",
    f"Meine Identifikationsnummer lautet [[DE_TAX_ID:{_taxid(NBSP)}]], bitte korrigieren.",
    f"Rufen Sie mich an: [[PHONE_NUMBER:0221{NBSP}9934{NBSP}0817]]",
    f"Mobil [[PHONE_NUMBER:+49{THIN}160{THIN}7745129]], Festnetz [[PHONE_NUMBER:069{NNBSP}23 88 41]].",
    # --- line breaks and dash/dot grouping
    "Bankverbindung für die Erstattung:\nIBAN [[IBAN_CODE:" + (lambda v: v[:12] + "\n" + v[12:])(_iban()) + "]]\nDanke!",
    "Bitte auf [[IBAN_CODE:" + _iban("-") + "]] überweisen.",
    "Kontonummer (IBAN): [[IBAN_CODE:" + _iban(".") + "]]",
    "IBAN: [[IBAN_CODE:" + (lambda v: v[:17] + "\r\n" + v[17:])(_iban()) + "]] – Inhaber [[PERSON:Yusuf Demirtaş]]",
    # --- capitals
    "BITTE SCHREIBE EINE ERINNERUNG AN FRAU [[PERSON:HILTRUD BRANDSTÄTTER]] WEGEN DER FEHLENDEN UNTERLAGEN.",
    "ANSCHRIFT: [[ADDRESS:GARTENWEG 9, 01067 DRESDEN]]",
    "ABSENDER: [[PERSON:KLAUS-PETER OSTERMEIER]], [[ADDRESS:HAUPTSTRASSE 112, 66111 SAARBRÜCKEN]]",
    "HERR [[PERSON:WOLFGANG TIEDEMANN]] HAT SEINEN ANTRAG ZURÜCKGEZOGEN.",
    # --- e-mail obfuscation and names in user names / local parts
    "Schreiben Sie mir an [[EMAIL_ADDRESS:r.kleinschmidt(at)gmx.de]], danke.",
    "Kontakt: [[EMAIL_ADDRESS:sabine.vogelsang @ stadt-musterhausen.de]]",
    "Die Adresse lautet [[EMAIL_ADDRESS:heinz.borchers[at]t-online.de]].",
    "Im Ticketsystem ist der Fall unter dem Benutzer [[PERSON:katrin.mehlhorn]] angelegt.",
    "Freigabe beantragt durch [[PERSON:jens_oberholzer]] am Montag.",
    "Anmeldename: [[PERSON:annika.luedtke]], Passwort wurde zurückgesetzt.",
    # --- obfuscation
    "Steuer-ID: [[DE_TAX_ID:" + _taxid().translate(FW) + "]]",
    "Frau [[PERSON:M a r i o n   H e i d e n r e i c h]] hat angerufen.",
    "Mail an [[EMAIL_ADDRESS:g.pfeiffer&#64;web.de]] geschickt.",
    "Telefon: [[PHONE_NUMBER:&#48;&#51;&#48; 8812 4477]]",
    # --- first name alone after kinship or role word
    "Mein Sohn [[PERSON:Jannik]] braucht eine Bescheinigung für die Schule.",
    "Meine Schwiegermutter [[PERSON:Gerlinde]] wohnt seit Mai bei uns.",
    "Unsere Sachbearbeiterin [[PERSON:Svenja]] ist diese Woche im Urlaub.",
    "Die Kollegin [[PERSON:Hatice]] übernimmt die Vertretung.",
    "Mein Bruder [[PERSON:Torben]] kann die Vollmacht nicht unterschreiben.",
    "Ihr Enkel [[PERSON:Mattis]] begleitet sie zum Termin.",
    # --- door-bell or mailbox list
    "Klingelschild Haus 4: [[PERSON:Brösel]] | [[PERSON:Ackermann]] | [[PERSON:Nowak]] | [[PERSON:Tschirner]]",
    "Briefkästen EG links: [[PERSON:Hübner]], [[PERSON:Kaya]], [[PERSON:Vollrath]]",
    "Laut Klingelbrett wohnen dort [[PERSON:Pietsch]] / [[PERSON:Lindqvist]] / [[PERSON:Gruber]].",
    # --- full name at line start before a parenthesis
    "Teilnehmende:\n[[PERSON:Renate Kühnel]] (Sachgebiet 3)\n[[PERSON:Olaf Wiesner]] (Bauaufsicht)",
    "[[PERSON:Sibylle Marquardt]] (Personalrat) bittet um Rückmeldung bis Freitag.",
    "Anwesend:\n[[PERSON:Ingo Stratmann]] (Leitung)\n[[PERSON:Nele Hadžić]] (Protokoll)",
    # --- inverted names and dates of birth in rows
    "Name;Vorname;Geburtsdatum\n[[PERSON:Kowalski]];[[PERSON:Piotr]];[[DATE_OF_BIRTH:12.03.1978]]\n[[PERSON:Albrecht]];[[PERSON:Maren]];[[DATE_OF_BIRTH:30.11.1991]]",
    "Nachname\tVorname\tgeb.\n[[PERSON:Sauerland]]\t[[PERSON:Heike]]\t[[DATE_OF_BIRTH:07.06.1965]]",
    "[[PERSON:Ebert, Constanze]]; [[DATE_OF_BIRTH:19.09.1984]]; Antrag vom 02.01.2025",
    "Liste: [[PERSON:Möller, Henrik]] ([[DATE_OF_BIRTH:03.02.1959]]), [[PERSON:Zielinski, Agata]] ([[DATE_OF_BIRTH:22.08.1973]])",
    # --- a whole address in lower case
    "ich wohne in der [[ADDRESS:gartenstraße 7, 79098 freiburg]] und brauche eine meldebescheinigung.",
    "lieferadresse: [[ADDRESS:am schlossberg 21, 35037 marburg]]",
    "bitte an [[ADDRESS:rosenweg 3a, 24103 kiel]] schicken.",
    # --- log user names from initial and surname
    "2025-03-04 08:12:55 WARN login failed for user '[[PERSON:mschneider]]' from 10.0.0.7",
    "sshd[2211]: Accepted password for [[PERSON:kbrandenburg]] from 192.168.4.20 port 51234",
    "Audit: Datei gelöscht von Benutzer [[PERSON:tvoigt]] (Abteilung 32).",
    # --- surname alone, name variants in one text
    "Frau [[PERSON:Katharina Oberländer]] hat angerufen. Bitte rufen Sie [[PERSON:Oberländer]] morgen zurück.",
    "Gespräch mit [[PERSON:Detlef Anschütz]]. [[PERSON:Anschütz]] bringt die Unterlagen am Dienstag.",
    # --- mixed paste forms
    f"Antragsteller: [[PERSON:Bernd{NBSP}Rautenberg]], [[ADDRESS:Mühlenweg{NBSP}5, 49074{NBSP}Osnabrück]]",
    f"Kontakt:{NBSP}[[PERSON:Lea{NBSP}Fischbach]], Tel.{NBSP}[[PHONE_NUMBER:0761{THIN}2200{THIN}918]]",
    "Sehr geehrter Herr Dr. [[PERSON:Anselm Grothe]],\n\nvielen Dank für Ihre Nachricht.",
    "Gruß\n[[PERSON:Merle]]",
    "VERMERK: [[PERSON:SCHULTE-BRÖMMELKAMP]], [[PERSON:ANDREA]], [[DATE_OF_BIRTH:14.12.1970]]",
    "Die Wohnung in der [[ADDRESS:Lindenallee 12, 10115 Berlin]] wurde an [[PERSON:Familie Osterloh]] vermietet.".replace("[[PERSON:Familie Osterloh]]", "Familie [[PERSON:Osterloh]]"),
    "Bitte leiten Sie das an [[PERSON:Frieda]] aus dem Bürgerbüro weiter, meine Tochter.",
    "Mein Mann [[PERSON:Reinhold]] und ich beantragen gemeinsam Wohngeld.",
    "Zuständig: [[PERSON:Weidenhammer]] (Zimmer 3.14), Vertretung: [[PERSON:Ochs]] (Zimmer 3.16)",
    "Der Bescheid ging an [[PERSON:Irmgard Pohlmann-Teichert]], [[ADDRESS:Kirchgasse 2, 97070 Würzburg]].",
]
