"""German administrative texts for the latency benchmark, written for Spielraum.

Mixed like real prompts: e-mails, notes, forms and requests, with personal data planted in
some of them and plain prose in others (prose costs the NER model just as much).
"""

TEXTS = [
    "Sehr geehrte Frau Dombrowski, vielen Dank für Ihre Nachricht vom 4. November. Wir haben Ihren Antrag "
    "auf Wohngeld geprüft und benötigen noch die Lohnbescheinigungen der letzten drei Monate sowie eine Kopie "
    "des Mietvertrags. Bitte senden Sie die Unterlagen bis zum 15. Dezember an die Wohngeldstelle, Zimmer 2.14, "
    "oder geben Sie sie persönlich zu unseren Sprechzeiten ab. Für Rückfragen erreichen Sie Herrn Kaya unter "
    "0231 50-23417. Mit freundlichen Grüßen, im Auftrag Johanna Lindqvist",
    "Vermerk zur Vorsprache am Dienstag: Herr Bogdan Nowicki, wohnhaft Hafenstraße 27, 48153 Münster, "
    "geb. 11.02.1979, erkundigte sich nach dem Stand seines Einbürgerungsantrags. Er legte den Reisepass "
    "C01X00T47 und die Meldebescheinigung vor. Die Steuer-ID 12 345 678 903 wurde nicht benötigt. "
    "Der Vorgang liegt derzeit beim Bundesamt zur Sicherheitsüberprüfung; eine Entscheidung ist "
    "nicht vor Ende des ersten Quartals zu erwarten. Rückruf erbeten unter 0176 23456789.",
    "Bitte formuliere eine freundliche, kurze Antwort an eine Bürgerin, die sich über die lange Bearbeitungs"
    "dauer ihres Bauantrags beschwert. Erkläre, dass die Stellungnahmen der Fachämter noch ausstehen, dass "
    "wir die Unterlagen vollständig vorliegen haben und dass wir uns spätestens in vier Wochen melden. "
    "Der Ton soll verbindlich, aber nicht bürokratisch sein, und die Antwort soll in einfacher Sprache "
    "geschrieben werden, damit sie gut verständlich ist. Nenne keine Paragraphen, sondern beschreibe die "
    "nächsten Schritte in zwei oder drei Sätzen. Zum Schluss ein Hinweis auf unsere Sprechzeiten.",
    "Name: Aylin Öztürk\nAnschrift: Am Stadtgarten 9, 50667 Köln\nGeburtsdatum: 23.06.1990\nTelefon: "
    "0221 / 9876543\nE-Mail: aylin.oeztuerk@example.org\nIBAN: DE89 3704 0044 0532 0130 00\nBitte prüfe, ob "
    "die Angaben für den Antrag auf Kinderzuschlag vollständig sind und welche Nachweise noch fehlen. "
    "Die Familienkasse hat im Oktober geschrieben, dass die Einkommensnachweise nicht ausreichen. "
    "Welche Unterlagen werden üblicherweise zusätzlich verlangt, und wie lange dauert die Prüfung?",
    "Protokoll der Dienstbesprechung vom 12. März: Anwesend waren die Kolleginnen und Kollegen aus dem "
    "Ordnungsamt, dem Bürgerbüro und der Kämmerei. Besprochen wurden die neuen Öffnungszeiten, die "
    "Umstellung auf die elektronische Akte und die Vertretungsregelung während der Osterferien. "
    "Frau Nguyen übernimmt die Koordination der Schulungen, Herr Brandt klärt mit der IT die Zugänge. "
    "Die nächste Besprechung findet am 9. April um 10 Uhr im Sitzungssaal statt. Bis dahin sollen alle "
    "Teams ihre Rückmeldungen zum Entwurf der Dienstanweisung schriftlich einreichen.",
]
