"""User-facing strings of the web pages, German first, English selectable.

Plain dictionaries instead of gettext catalogues: the UI has a few dozen strings, the
team reads and reviews them in one file, and a missing key falls back to German (the
reference language) and then to the key itself, so a page never fails to render over a
missing translation. The chosen language lives in the session and in a plain cookie,
so it survives logging out.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

from starlette.requests import Request

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
LANG_COOKIE = "spielraum_lang"

STRINGS: dict[str, dict[str, str]] = {
    "de": {
        "app_name": "Spielraum",
        "skip_link": "Zum Inhalt springen",
        "nav_label": "Hauptnavigation",
        "nav_chat": "Chat",
        "nav_about": "So schützt Spielraum Ihre Daten",
        "logout": "Abmelden",
        "signed_in_as": "Angemeldet als",
        "language": "Sprache",
        "switch_language": "English",
        "switch_language_hint": "Switch to English",
        # login
        "login_title": "Anmelden",
        "login_intro": "Melden Sie sich mit Ihrem Spielraum-Konto an.",
        "username": "Benutzername",
        "password": "Passwort",
        "login_button": "Anmelden",
        "login_failed": "Anmeldung fehlgeschlagen. Bitte prüfen Sie Benutzername und Passwort.",
        "login_throttled": ("Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie {minutes} "
                            "Minute(n) und versuchen Sie es dann erneut."),
        "login_help": "Kein Konto? Wenden Sie sich an die IT Ihrer Behörde.",
        # banner
        "banner_title": "Ein geschützter Raum zum Ausprobieren",
        "banner_text": (
            "Personenbezogene Daten werden durch Platzhalter ersetzt, bevor etwas an das "
            "Sprachmodell geht. Die Antwort wird erst in Ihrem Browser wieder mit den echten "
            "Angaben ergänzt. Spielraum speichert nur den pseudonymisierten Text."
        ),
        "learn_more": "Mehr erfahren",
        "learn_more_long": "Mehr erfahren: So schützt Spielraum Ihre Daten",
        # chat
        "chat_title": "Chat",
        "conversations": "Ihre Unterhaltungen",
        "no_conversations": "Noch keine Unterhaltungen.",
        "new_conversation": "Neue Unterhaltung",
        "untitled": "Unterhaltung",
        "model": "Modell",
        "prompt_label": "Ihre Nachricht",
        "prompt_hint": "Eingabetaste: senden · Umschalt+Eingabe: neue Zeile",
        "send": "Senden",
        "preview_toggle": "Vor dem Senden prüfen",
        "preview_title": "Bitte prüfen: Das würde an das Modell gehen",
        "preview_intro": "Personenbezogene Angaben sind durch Platzhalter ersetzt. Steht noch etwas Persönliches oder Vertrauliches im Text, markieren Sie es unten; es wird dann ebenfalls ersetzt.",
        "preview_send": "Jetzt senden",
        "preview_back": "Zurück zum Bearbeiten",
        "preview_nothing": "Der Schutz hat keine personenbezogenen Angaben gefunden.",
        "preview_loading": "Vorschau wird erstellt …",
        "mark_label": "Weitere Angabe markieren",
        "mark_type": "Art",
        "mark_add": "Markieren",
        "mark_hint": "Tippen Sie das Wort ein oder wählen Sie es oben im Text aus.",
        "mark_list": "Von Ihnen markiert",
        "mark_remove": "Markierung entfernen: {text}",
        "mark_not_found": "„{text}“ kommt im Text nicht vor.",
        "sending": "Wird gesendet …",
        "answer_ready": "Die Antwort ist vollständig.",
        "you": "Sie",
        "assistant": "Antwort",
        "empty_catalogue_title": "Derzeit ist kein Modell für Sie freigegeben",
        "empty_catalogue_text": (
            "Für Ihre Rolle ist im Moment kein Sprachmodell eingerichtet. Bitte wenden Sie "
            "sich an die IT Ihrer Behörde oder an den Datenschutz, damit ein Modell "
            "freigeschaltet wird."
        ),
        "empty_conversation": "Stellen Sie eine Frage, um zu beginnen.",
        "sent_panel_summary": "Was an das Modell gesendet wurde",
        "sent_panel_none": "Keine personenbezogenen Daten erkannt, der Text wurde unverändert gesendet.",
        "sent_panel_mapping": "Zuordnung (nur in Ihrem Browser sichtbar)",
        "sent_panel_no_vault": (
            "Die Zuordnung der Platzhalter ist in diesem Browser nicht vorhanden. "
            "Sie sehen den gespeicherten, pseudonymisierten Text."
        ),
        "placeholder_title": "Platzhalter für",
        "stored_only_pseudonymised": (
            "Diese Unterhaltung wurde in einem anderen Browser oder einer früheren Sitzung "
            "geführt. Angezeigt wird der gespeicherte, pseudonymisierte Text."
        ),
        "blocked_default": (
            "Ihre Nachricht wurde nicht gesendet, weil sie Daten enthält, die nicht an ein "
            "Sprachmodell gehen dürfen. Bitte entfernen Sie diese Angaben und senden Sie erneut."
        ),
        "error_default": "Die Anfrage ist fehlgeschlagen. Bitte versuchen Sie es erneut.",
        "network_error": "Die Verbindung zu Spielraum wurde unterbrochen. Bitte versuchen Sie es gleich noch einmal.",
        "prompt_kept": "Ihre Nachricht ist noch im Eingabefeld.",
        "turn_error": "Diese Nachricht wurde nicht beantwortet.",
        "turn_blocked": "Diese Nachricht wurde nicht gesendet.",
        "empty_prompt": "Bitte geben Sie zuerst eine Nachricht ein.",
        "session_expired": (
            "Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich in einem neuen Tab erneut an "
            "und senden Sie dann hier noch einmal."
        ),
        "noscript": "Für den Chat wird JavaScript benötigt. Bitte aktivieren Sie JavaScript.",
        # about
        "about_title": "So schützt Spielraum Ihre Daten",
        # errors
        "error_title": "Etwas ist schiefgegangen",
        "error_back": "Zurück zum Chat",
        "error_not_found": "Diese Seite oder Unterhaltung wurde nicht gefunden.",
        "error_forbidden": "Dafür fehlt Ihnen die Berechtigung, oder das Formular war abgelaufen. Bitte laden Sie die Seite neu.",
        "error_generic": "Bitte versuchen Sie es in einem Moment erneut.",
        "error_code": "Fehlercode",
        "csrf_failed": "Das Formular ist abgelaufen. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
        # chat layout, conversations, composer (chatux)
        "nav_about_short": "Datenschutz",
        "conversations_short": "Unterhaltungen",
        "new_short": "Neu",
        "transcript_label": "Verlauf der Unterhaltung",
        "search_label": "Unterhaltungen durchsuchen",
        "search_button": "Suchen",
        "search_hint": "Sucht in Titeln und im gesendeten, pseudonymisierten Text.",
        "search_results": "Suchergebnisse",
        "search_clear": "Suche aufheben",
        "search_none": "Keine Unterhaltung gefunden.",
        "channel_api": "API",
        "conversation_actions": "Aktionen",
        "rename_label": "Neuer Titel",
        "rename_button": "Umbenennen",
        "delete_button": "Unterhaltung löschen",
        "delete_confirm": "Diese Unterhaltung endgültig löschen? Das lässt sich nicht rückgängig machen.",
        "deleted": "Die Unterhaltung wurde gelöscht.",
        "renamed": "Die Unterhaltung wurde umbenannt.",
        "pager_label": "Weitere Unterhaltungen",
        "pager_newer": "Neuere",
        "pager_older": "Ältere",
        "starter_title": "Womit möchten Sie beginnen?",
        "starter_hint": "Ein Beispiel füllt nur das Eingabefeld, gesendet wird erst, wenn Sie es möchten.",
        "starter_library": "Weitere Vorlagen in der Prompt-Bibliothek",
        "stop": "Stopp",
        "stopped": "Abgebrochen: Die Antwort ist unvollständig.",
        "writing": "Die Antwort wird geschrieben …",
        "copy": "Kopieren",
        "copy_markdown": "Als Markdown kopieren",
        "copied": "Kopiert.",
        "copy_failed": "Kopieren ist in diesem Browser nicht möglich. Bitte markieren Sie den Text.",
        "regenerate": "Neu erzeugen",
        "edit": "Bearbeiten",
        "editing_note": "Sie bearbeiten Ihre letzte Nachricht. Beim Senden ersetzt sie die bisherige samt Antwort.",
        "edit_cancel": "Bearbeiten abbrechen",
        "answer_by": "Antwort von",
        "restored_title": "Wieder eingesetzt (nur in Ihrem Browser)",
        "masked_title": "Unkenntlich gemacht, nicht wiederherstellbar",
        "chars_count": "{n} von {max} Zeichen",
        "chars_over": "{n} von {max} Zeichen: bitte kürzen Sie um {over} Zeichen.",
        "replace_failed": "Die letzte Nachricht konnte nicht ersetzt werden. Bitte laden Sie die Seite neu.",
        "document_attach": "Dokument",
        "document_hint": (
            "PDF, DOCX, ODT oder Textdatei bis 10 MB. Der Text kommt in das Eingabefeld und wird wie "
            "getippter Text vor dem Senden geprüft; die Datei selbst wird nicht gespeichert."
        ),
        "document_reading": "Das Dokument wird gelesen …",
        "document_added": "Der Text von {name} steht im Eingabefeld ({chars} Zeichen). Er wird erst beim Senden geprüft und übermittelt.",
        "document_heading": "Dokument: {name}",
    },
    "en": {
        "app_name": "Spielraum",
        "skip_link": "Skip to content",
        "nav_label": "Main navigation",
        "nav_chat": "Chat",
        "nav_about": "How Spielraum protects your data",
        "logout": "Sign out",
        "signed_in_as": "Signed in as",
        "language": "Language",
        "switch_language": "Deutsch",
        "switch_language_hint": "Auf Deutsch umschalten",
        "login_title": "Sign in",
        "login_intro": "Sign in with your Spielraum account.",
        "username": "User name",
        "password": "Password",
        "login_button": "Sign in",
        "login_failed": "Sign-in failed. Please check your user name and password.",
        "login_throttled": "Too many failed sign-in attempts. Please wait {minutes} minute(s) and try again.",
        "login_help": "No account? Please contact your authority's IT team.",
        "banner_title": "A protected space to experiment",
        "banner_text": (
            "Personal data is replaced by placeholders before anything leaves for the "
            "language model. The answer is completed with the real details only in your "
            "browser. Spielraum stores only the pseudonymised text."
        ),
        "learn_more": "Learn more",
        "learn_more_long": "Learn more: how Spielraum protects your data",
        "chat_title": "Chat",
        "conversations": "Your conversations",
        "no_conversations": "No conversations yet.",
        "new_conversation": "New conversation",
        "untitled": "Conversation",
        "model": "Model",
        "prompt_label": "Your message",
        "prompt_hint": "Enter: send · Shift+Enter: new line",
        "send": "Send",
        "preview_toggle": "Check before sending",
        "preview_title": "Please check: this would go to the model",
        "preview_intro": "Personal data has been replaced by placeholders. If anything personal or confidential is still in the text, mark it below and it will be replaced too.",
        "preview_send": "Send now",
        "preview_back": "Back to editing",
        "preview_nothing": "The guard found no personal data.",
        "preview_loading": "Preparing the preview …",
        "mark_label": "Mark something else",
        "mark_type": "Kind",
        "mark_add": "Mark",
        "mark_hint": "Type the word, or select it in the text above.",
        "mark_list": "Marked by you",
        "mark_remove": "Remove mark: {text}",
        "mark_not_found": "“{text}” does not occur in the text.",
        "sending": "Sending …",
        "answer_ready": "The answer is complete.",
        "you": "You",
        "assistant": "Answer",
        "empty_catalogue_title": "No model is available to you at the moment",
        "empty_catalogue_text": (
            "No language model is set up for your role right now. Please contact your "
            "authority's IT team or data protection officer to have a model enabled."
        ),
        "empty_conversation": "Ask a question to get started.",
        "sent_panel_summary": "What was sent to the model",
        "sent_panel_none": "No personal data found; the text was sent unchanged.",
        "sent_panel_mapping": "Mapping (visible only in your browser)",
        "sent_panel_no_vault": (
            "This browser does not hold the placeholder mapping. You see the stored, "
            "pseudonymised text."
        ),
        "placeholder_title": "Placeholder for",
        "stored_only_pseudonymised": (
            "This conversation took place in another browser or an earlier session. "
            "The stored, pseudonymised text is shown."
        ),
        "blocked_default": (
            "Your message was not sent because it contains data that must not go to a "
            "language model. Please remove those details and send again."
        ),
        "error_default": "The request failed. Please try again.",
        "network_error": "The connection to Spielraum was interrupted. Please try again in a moment.",
        "prompt_kept": "Your message is still in the input field.",
        "turn_error": "This message was not answered.",
        "turn_blocked": "This message was not sent.",
        "empty_prompt": "Please type a message first.",
        "session_expired": (
            "Your sign-in has expired. Please sign in again in a new tab, then send again here."
        ),
        "noscript": "The chat needs JavaScript. Please enable JavaScript.",
        "about_title": "How Spielraum protects your data",
        "error_title": "Something went wrong",
        "error_back": "Back to the chat",
        "error_not_found": "This page or conversation was not found.",
        "error_forbidden": "You lack the permission for this, or the form had expired. Please reload the page.",
        "error_generic": "Please try again in a moment.",
        "error_code": "Error code",
        "csrf_failed": "The form had expired. Please reload the page and try again.",
        "nav_about_short": "Privacy",
        "conversations_short": "Conversations",
        "new_short": "New",
        "transcript_label": "Conversation history",
        "search_label": "Search conversations",
        "search_button": "Search",
        "search_hint": "Searches titles and the sent, pseudonymised text.",
        "search_results": "Search results",
        "search_clear": "Clear search",
        "search_none": "No conversation found.",
        "channel_api": "API",
        "conversation_actions": "Actions",
        "rename_label": "New title",
        "rename_button": "Rename",
        "delete_button": "Delete conversation",
        "delete_confirm": "Delete this conversation for good? This cannot be undone.",
        "deleted": "The conversation was deleted.",
        "renamed": "The conversation was renamed.",
        "pager_label": "More conversations",
        "pager_newer": "Newer",
        "pager_older": "Older",
        "starter_title": "What would you like to start with?",
        "starter_hint": "An example only fills the input field; nothing is sent until you choose to.",
        "starter_library": "More templates in the prompt library",
        "stop": "Stop",
        "stopped": "Stopped: the answer is incomplete.",
        "writing": "The answer is being written …",
        "copy": "Copy",
        "copy_markdown": "Copy as Markdown",
        "copied": "Copied.",
        "copy_failed": "Copying is not possible in this browser. Please select the text.",
        "regenerate": "Regenerate",
        "edit": "Edit",
        "editing_note": "You are editing your last message. Sending replaces it and its answer.",
        "edit_cancel": "Cancel editing",
        "answer_by": "Answer from",
        "restored_title": "Put back (only in your browser)",
        "masked_title": "Made unrecognisable, cannot be restored",
        "chars_count": "{n} of {max} characters",
        "chars_over": "{n} of {max} characters: please shorten by {over} characters.",
        "replace_failed": "The last message could not be replaced. Please reload the page.",
        "document_attach": "Document",
        "document_hint": (
            "PDF, DOCX, ODT or text file up to 10 MB. Its text goes into the input field and is checked "
            "like typed text before sending; the file itself is not stored."
        ),
        "document_reading": "Reading the document …",
        "document_added": "The text of {name} is in the input field ({chars} characters). It is checked and sent only when you send.",
        "document_heading": "Document: {name}",
    },
}

def _merge_workspace_strings() -> None:
    """Workspaces keep their strings next to their code; they are merged here once."""
    from app.accounts.strings import ACCOUNT_STRINGS
    from app.admin.strings import ADMIN_STRINGS
    from app.dpo.strings import DPO_STRINGS
    from app.learning.strings import LEARNING_STRINGS

    for lang, strings in DPO_STRINGS.items():
        STRINGS[lang].update(strings)
    for workspace in (LEARNING_STRINGS, ACCOUNT_STRINGS, ADMIN_STRINGS):
        for lang, table in workspace.items():
            for key, value in table.items():
                STRINGS[lang].setdefault(key, value)


_merge_workspace_strings()

# Singular and plural label per entity type, for legends such as "2 Namen, 1 IBAN wurden ersetzt".
ENTITY_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "de": {
        "PERSON": ("Name", "Namen"),
        "LOCATION": ("Ort", "Orte"),
        "ADDRESS": ("Adresse", "Adressen"),
        "DE_ADDRESS": ("Adresse", "Adressen"),
        "ORGANIZATION": ("Organisation", "Organisationen"),
        "IBAN_CODE": ("IBAN", "IBANs"),
        "PHONE_NUMBER": ("Telefonnummer", "Telefonnummern"),
        "EMAIL_ADDRESS": ("E-Mail-Adresse", "E-Mail-Adressen"),
        "CREDIT_CARD": ("Kreditkartennummer", "Kreditkartennummern"),
        "DATE_TIME": ("Datum", "Daten"),
        "DATE_OF_BIRTH": ("Geburtsdatum", "Geburtsdaten"),
        "IP_ADDRESS": ("IP-Adresse", "IP-Adressen"),
        "URL": ("Webadresse", "Webadressen"),
        "DE_TAX_ID": ("Steuer-ID", "Steuer-IDs"),
        "DE_TAX_NUMBER": ("Steuernummer", "Steuernummern"),
        "DE_SOCIAL_SECURITY": ("Sozialversicherungsnummer", "Sozialversicherungsnummern"),
        "DE_ID_CARD": ("Ausweisnummer", "Ausweisnummern"),
        "DE_PASSPORT": ("Reisepassnummer", "Reisepassnummern"),
        "DE_DRIVERS_LICENSE": ("Führerscheinnummer", "Führerscheinnummern"),
        "DE_CADASTRAL": ("Flurstücksangabe", "Flurstücksangaben"),
        "DE_LICENSE_PLATE": ("Kfz-Kennzeichen", "Kfz-Kennzeichen"),
        "DE_POSTAL_CODE": ("Postleitzahl", "Postleitzahlen"),
        "DE_VAT_ID": ("USt-IdNr.", "USt-IdNrn."),
        "DE_HEALTH_INSURANCE": ("Krankenversichertennummer", "Krankenversichertennummern"),
        "FILE_NUMBER": ("Aktenzeichen", "Aktenzeichen"),
        "SECRET": ("Zugangsgeheimnis (Passwort, Schlüssel)", "Zugangsgeheimnisse"),
        "CONFIDENTIAL": ("vertrauliche Angabe", "vertrauliche Angaben"),
    },
    "en": {
        "PERSON": ("name", "names"),
        "LOCATION": ("place", "places"),
        "ADDRESS": ("address", "addresses"),
        "DE_ADDRESS": ("address", "addresses"),
        "ORGANIZATION": ("organisation", "organisations"),
        "IBAN_CODE": ("IBAN", "IBANs"),
        "PHONE_NUMBER": ("phone number", "phone numbers"),
        "EMAIL_ADDRESS": ("e-mail address", "e-mail addresses"),
        "CREDIT_CARD": ("credit card number", "credit card numbers"),
        "DATE_TIME": ("date", "dates"),
        "DATE_OF_BIRTH": ("date of birth", "dates of birth"),
        "IP_ADDRESS": ("IP address", "IP addresses"),
        "URL": ("web address", "web addresses"),
        "DE_TAX_ID": ("tax ID", "tax IDs"),
        "DE_TAX_NUMBER": ("tax number", "tax numbers"),
        "DE_SOCIAL_SECURITY": ("social security number", "social security numbers"),
        "DE_ID_CARD": ("ID card number", "ID card numbers"),
        "DE_PASSPORT": ("passport number", "passport numbers"),
        "DE_DRIVERS_LICENSE": ("driving licence number", "driving licence numbers"),
        "DE_CADASTRAL": ("land parcel reference", "land parcel references"),
        "DE_LICENSE_PLATE": ("licence plate", "licence plates"),
        "DE_POSTAL_CODE": ("postcode", "postcodes"),
        "DE_VAT_ID": ("VAT ID", "VAT IDs"),
        "DE_HEALTH_INSURANCE": ("health insurance number", "health insurance numbers"),
        "FILE_NUMBER": ("file reference", "file references"),
        "SECRET": ("secret (password, key)", "secrets"),
        "CONFIDENTIAL": ("confidential item", "confidential items"),
    },
}

_LEGEND_TAIL = {"de": ("wurde ersetzt", "wurden ersetzt"), "en": ("replaced", "replaced")}
_MASKED_TAIL = {"de": ("wurde unkenntlich gemacht", "wurden unkenntlich gemacht"),
                "en": ("made unrecognisable", "made unrecognisable")}


def normalise_language(value: str | None) -> str | None:
    value = (value or "").strip().lower()[:2]
    return value if value in LANGUAGES else None


def request_language(request: Request) -> str:
    """Session first (set by the switch), then the cookie that outlives a logout, then German."""
    session = request.scope.get("session") or {}
    return (normalise_language(session.get("lang"))
            or normalise_language(request.cookies.get(LANG_COOKIE))
            or DEFAULT_LANGUAGE)


def translator(lang: str) -> Callable[[str], str]:
    table = STRINGS.get(lang, STRINGS[DEFAULT_LANGUAGE])
    fallback = STRINGS[DEFAULT_LANGUAGE]

    def t(key: str) -> str:
        return table.get(key) or fallback.get(key) or key

    return t


def entity_label(entity_type: str, count: int, lang: str) -> str:
    labels = ENTITY_LABELS.get(lang, ENTITY_LABELS[DEFAULT_LANGUAGE])
    singular, plural = labels.get(entity_type, (entity_type, entity_type))
    return singular if count == 1 else plural


def entity_list(entity_types: list[str], lang: str) -> str:
    """"IBAN, Telefonnummer": the people's names for entity types, never raw codes."""
    return ", ".join(entity_label(kind, 1, lang) for kind in entity_types)


def _legend_part(summary: Mapping[str, int], lang: str, tails: Mapping[str, tuple[str, str]]) -> str:
    parts = [f"{count} {entity_label(kind, count, lang)}" for kind, count in summary.items() if count > 0]
    if not parts:
        return ""
    total = sum(count for count in summary.values() if count > 0)
    singular_tail, plural_tail = tails.get(lang, tails[DEFAULT_LANGUAGE])
    return f"{', '.join(parts)} {singular_tail if total == 1 else plural_tail}"


def legend(summary: Mapping[str, int], lang: str, masked: Mapping[str, int] | None = None) -> str:
    """'2 Namen, 1 IBAN wurden ersetzt' from {"PERSON": 2, "IBAN_CODE": 1}, plus what was masked
    ('1 E-Mail-Adresse wurde unkenntlich gemacht'); '' when nothing was changed. Counts are
    distinct values, not occurrences."""
    parts = [_legend_part(summary, lang, _LEGEND_TAIL), _legend_part(masked or {}, lang, _MASKED_TAIL)]
    return "; ".join(part for part in parts if part)


def client_strings(lang: str) -> dict:
    """The subset chat.js needs, handed over as JSON so the script holds no user-facing text."""
    keys = ("send", "sending", "answer_ready", "you", "assistant", "sent_panel_summary", "sent_panel_none",
            "sent_panel_mapping", "sent_panel_no_vault", "placeholder_title", "blocked_default",
            "error_default", "network_error", "prompt_kept", "turn_error", "turn_blocked",
            "empty_prompt", "session_expired", "stored_only_pseudonymised", "untitled",
            "stop", "stopped", "writing", "copy", "copy_markdown", "copied", "copy_failed", "regenerate",
            "edit", "answer_by", "restored_title", "masked_title", "chars_count", "chars_over",
            "delete_confirm", "replace_failed", "rename_button", "deleted", "rename_label",
            "conversation_actions", "delete_button", "renamed", "document_reading", "document_added",
            "document_heading", "preview_title", "preview_nothing", "preview_loading", "mark_remove",
            "mark_not_found")
    t = translator(lang)
    labels = ENTITY_LABELS.get(lang, ENTITY_LABELS[DEFAULT_LANGUAGE])
    return {
        "lang": lang,
        "strings": {key: t(key) for key in keys},
        "entity_labels": {kind: list(pair) for kind, pair in labels.items()},
    }


# Example tasks for the empty chat: everyday administrative work, no real personal data.
EXAMPLE_TASKS: dict[str, list[tuple[str, str]]] = {
    "de": [
        ("Bürgerbrief vereinfachen",
         "Formulieren Sie diesen Bescheid-Absatz in einfacher Sprache, freundlich und ohne Amtsdeutsch: "),
        ("Zusammenfassung",
         "Fassen Sie den folgenden Vermerk in fünf Stichpunkten für die Amtsleitung zusammen: "),
        ("E-Mail-Antwort",
         "Entwerfen Sie eine höfliche Antwort auf diese Bürgeranfrage und nennen Sie die nächsten Schritte: "),
        ("Vorschrift erklären",
         "Erklären Sie § 35 VwVfG (Begriff des Verwaltungsakts) mit einem Beispiel aus dem Bürgeramt."),
    ],
    "en": [
        ("Plain-language letter",
         "Rewrite this paragraph of an official notice in plain, friendly language: "),
        ("Summary",
         "Summarise the following internal note in five bullet points for the head of office: "),
        ("E-mail reply",
         "Draft a polite reply to this citizen's enquiry and name the next steps: "),
        ("Explain a rule",
         "Explain section 35 of the German Administrative Procedure Act (administrative act) with an example."),
    ],
}


def example_tasks(lang: str) -> list[dict[str, str]]:
    tasks = EXAMPLE_TASKS.get(lang, EXAMPLE_TASKS[DEFAULT_LANGUAGE])
    return [{"title": title, "prompt": prompt} for title, prompt in tasks]
