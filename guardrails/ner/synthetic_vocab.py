"""Word lists that fill the slots of the synthetic templates.

Most of these words are the traps of German for a name tagger: every noun is capitalised, so
sentence-initial nouns, role nouns, months and salutations look like names to a naive model.
They appear unlabelled in the synthetic sentences; authorities and places carry ORG and LOC,
as in GermEval, so the two sources do not contradict each other.
"""
from __future__ import annotations

MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember")
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")

ROLES = (
    "Bürgermeister", "Bürgermeisterin", "Oberbürgermeisterin", "Sachbearbeiter", "Sachbearbeiterin",
    "Amtsleiter", "Amtsleiterin", "Referentin", "Referent", "Dezernent", "Dezernentin", "Landrat",
    "Landrätin", "Antragsteller", "Antragstellerin", "Sachgebietsleiterin", "Teamleiterin",
    "Pressesprecher", "Datenschutzbeauftragte", "Kämmerer", "Hausmeister", "Praktikantin",
    "Auszubildende", "Beamtin", "Richterin", "Notar", "Gutachter", "Personalrat", "Abteilungsleiter",
    "Fachbereichsleiterin", "Ministerin", "Staatssekretär", "Kollegin", "Kollege", "Vorgesetzte",
    "Bearbeiterin", "Schulleiterin", "Ortsvorsteher", "Gleichstellungsbeauftragte", "Stadtkämmerin",
)

AUTHORITY_KINDS = (
    "Finanzamt", "Landratsamt", "Jobcenter", "Bürgeramt", "Standesamt", "Ausländerbehörde",
    "Amtsgericht", "Sozialamt", "Jugendamt", "Ordnungsamt", "Stadtverwaltung", "Bezirksamt",
    "Gesundheitsamt", "Kreisverwaltung", "Bauamt", "Stadtwerke", "Landgericht", "Polizeipräsidium",
)
AUTHORITIES = (
    "Bundesagentur für Arbeit", "Deutsche Rentenversicherung", "Bundesamt für Migration und Flüchtlinge",
    "BAMF", "Kraftfahrt-Bundesamt", "AOK", "Techniker Krankenkasse", "Bundeszentralamt für Steuern",
    "Statistisches Bundesamt", "Bundesministerium des Innern", "Landesamt für Besoldung und Versorgung",
    "Familienkasse", "Verwaltungsgericht Berlin", "Bundesverwaltungsamt", "Deutsche Bahn", "Telekom",
)

STREET_SUFFIXES = ("straße", "weg", "allee", "platz", "ring", "gasse")

# Capitalised words that open sentences in administrative text.
NOUNS = (
    "Antrag", "Bescheid", "Termin", "Rückfragen", "Unterlagen", "Anlage", "Frist", "Widerspruch",
    "Kosten", "Gebühren", "Zuständigkeit", "Protokoll", "Sitzung", "Beschluss", "Haushalt", "Vergabe",
    "Ausschreibung", "Genehmigung", "Bauantrag", "Wohngeld", "Kindergeld", "Elterngeld",
    "Meldebescheinigung", "Führungszeugnis", "Personalausweis", "Reisepass", "Aufenthaltstitel",
    "Einbürgerung", "Datenschutz", "Digitalisierung", "Fortbildung", "Urlaub", "Krankmeldung",
    "Dienstreise", "Abrechnung", "Rechnung", "Mahnung", "Zahlung", "Überweisung", "Stellungnahme",
    "Vermerk", "Verfügung", "Akte", "Vorgang", "Posteingang", "Entwurf", "Vorlage", "Entscheidung",
    "Prüfung", "Bearbeitung", "Wartezeit", "Öffnungszeiten", "Sprechzeiten", "Schulung",
    "Besprechung", "Ergebnis", "Zusammenfassung", "Hinweis", "Nachweis", "Gutachten", "Satzung",
    "Verordnung", "Anhörung", "Zustellung", "Ablehnung", "Bewilligung", "Förderung", "Zuschuss",
    "Mietvertrag", "Grundsteuer", "Hundesteuer", "Gewerbeanmeldung", "Ummeldung", "Baugenehmigung",
    "Stromausfall", "Serverwartung", "Dienstplan", "Homeoffice", "Videokonferenz", "Tagesordnung",
)
# Things listed in comma-separated enumerations: capitalised, but never people.
OBJECTS = (
    "Computer", "Monitore", "Drucker", "Kabel", "Laptops", "Headsets", "Stühle", "Tische",
    "Schränke", "Papier", "Toner", "Scanner", "Beamer", "Lautsprecher", "Telefone", "Tablets",
    "Aktenordner", "Briefumschläge", "Stempel", "Formulare", "Ausweise", "Fahrzeuge", "Schlüssel",
    "Lohnabrechnungen", "Kontoauszüge", "Mietverträge", "Zeugnisse", "Geburtsurkunden",
    "Meldebescheinigungen", "Passfotos", "Nachweise", "Arbeitsverträge", "Rechnungen", "Quittungen",
)
# Legal citations and abbreviations, as in notes, decisions and prompts about them.
CITATIONS = (
    "§ 35 BauGB", "Art. 6 DSGVO", "§ 44 SGB X", "§ 9 BauNVO", "Art. 3 GG", "§ 24 VwVfG",
    "§ 80 Abs. 5 VwGO", "§ 7 Abs. 2 AufenthG", "§ 22 SGB II", "§ 1 BDSG", "§ 15 PatG",
    "§ 14 MarkenG", "BVerwG, Urteil vom 12.03.2020 - 4 C 1.19", "BGH NJW 2019, 123",
    "BSG SozR 4-4200 § 22 Nr. 1", "a. a. O.", "vgl. OVG NRW, Beschluss vom 3.5.2021",
    "BVerfGE 65, 1", "EuGH, Urteil vom 16.07.2020", "VG Berlin, Az. 10 K 123.21",
)
# Sentence starters besides nouns: adjectives, adverbs, nominalisations.
STARTERS = (
    "Lange", "Braun", "Neue", "Alte", "Weitere", "Offene", "Fehlende", "Kurze", "Wichtige",
    "Leider", "Bitte", "Danke", "Anbei", "Gerne", "Zudem", "Außerdem", "Hierzu", "Sofern",
    "Ansonsten", "Insgesamt", "Grundsätzlich", "Zunächst", "Abschließend", "Rückwirkend",
)

# Sentences with no person in them; many contain the ordinary-word surnames.
NEGATIVE_SENTENCES = (
    "Sehr geehrte Damen und Herren,",
    "Liebe Kolleginnen und Kollegen,",
    "Hallo zusammen,",
    "Guten Tag,",
    "Mit freundlichen Grüßen",
    "Viele Grüße aus dem Fachbereich",
    "Der Bürgermeister ist Herr der Lage.",
    "Wir sind Herr der Lage, die Wartezeiten sinken.",
    "Herr der Ringe läuft heute im Kino.",
    "Ein Vogel hat im Dachboden des Rathauses genistet.",
    "Der Koch der Kantine bittet um Rückmeldung zum Speiseplan.",
    "Ein Fuchs wurde im Stadtpark gesichtet.",
    "Braun ist die Farbe der neuen Aktenordner.",
    "Lange Wartezeiten im Bürgeramt sorgen für Beschwerden.",
    "Das dauert leider noch lange.",
    "Die Wände im Flur sollen weiß gestrichen werden.",
    "Schwarz auf weiß steht es im Bescheid.",
    "Der Wolf ist im Landkreis wieder heimisch.",
    "Der Bauer beantragt eine Förderung für Blühstreifen.",
    "Ein Becker von Kaffee steht auf dem Schreibtisch.",
    "Im Winter ist das Bürgerbüro samstags geschlossen.",
    "Im Sommer gelten verkürzte Sprechzeiten.",
    "Der König der Löwen wird im Stadttheater aufgeführt.",
    "Der Hahn in der Teeküche tropft.",
    "Klein, aber fein: das neue Serviceportal.",
    "Groß ist die Nachfrage nach Terminen.",
    "Kurz gesagt: Der Antrag ist vollständig.",
    "Die Schneider-Werkstatt im Keller bleibt geschlossen.",
    "Ein Fischer hat am Hafen eine Genehmigung beantragt.",
    "Der Jäger muss seinen Jagdschein verlängern.",
    "Der Graf von Monte Christo steht in der Stadtbibliothek.",
    "Stein auf Stein wächst das neue Rathaus.",
    "Der Berg an Akten wird kleiner.",
    "Frank und frei gesagt: Das Formular ist zu lang.",
    "Die Neumann-Regel gilt hier nicht.",
    "Die Sachbearbeiterin ist heute nicht im Haus.",
    "Der Landrat eröffnet die Sitzung um zehn Uhr.",
    "Frau Bürgermeisterin hat die Sitzung eröffnet.",
    "Herr Präsident, meine Damen und Herren!",
    "Sehr geehrte Frau Ministerin,",
    "Sehr geehrter Herr Bürgermeister,",
    "Bitte leiten Sie die Unterlagen an die zuständige Sachbearbeiterin weiter.",
    "Antragsteller müssen den Personalausweis vorlegen.",
    "Könnten Sie mir helfen, eine Antwort an den Bürger zu formulieren?",
    "Fasse bitte die folgende Stellungnahme in drei Sätzen zusammen.",
    "Schreibe eine freundliche Absage auf die Bewerbung.",
    "Übersetze den Bescheid in einfache Sprache.",
    "Erstelle eine Tabelle mit allen offenen Vorgängen.",
    "Wie lautet die Frist für einen Widerspruch gegen den Bescheid?",
    "Was bedeutet Zuständigkeit im Verwaltungsverfahren?",
    "Kann ich den Urlaubsantrag auch digital einreichen?",
    "Bitte um Rückruf.",
    "Anbei sende ich Ihnen die fehlenden Unterlagen.",
    "Vielen Dank für Ihre Geduld.",
    "Die Kollegin aus der Poststelle hat das Schreiben weitergeleitet.",
    "Die Bewerberin hat ihre Zeugnisse nachgereicht.",
    "Der Hausmeister hat die Heizung repariert.",
    "Eingang: 12 neue Anträge, Ausgang: 9 Bescheide.",
    "Betreff: Rückfrage zu Ihrem Antrag",
    "Betreff: Einladung zur Dienstbesprechung",
    "Aktenzeichen und Datum bitte immer angeben.",
    "Gez. Der Oberbürgermeister",
    "Im Auftrag",
    "Amtsleitung",
    "Sachgebiet Wohngeld",
    "Fachbereich 3 – Bürgerdienste",
    "[INFO] Export abgeschlossen, 0 Fehler.",
    "[WARN] Zeitüberschreitung beim Abruf des Postfachs.",
    "Datenschutz geht vor: keine Namen in den Chat kopieren.",
    "Die Mitarbeitenden werden gebeten, die Schulung bis Freitag abzuschließen.",
    "Die Bürgerinnen und Bürger können Termine online buchen.",
    "Sprechstunde der Bürgermeisterin jeden ersten Montag im Monat.",
)
