"""User-facing strings of the account page, merged into `app.i18n.STRINGS` (German first)."""
from __future__ import annotations

ACCOUNT_STRINGS: dict[str, dict[str, str]] = {
    "de": {
        "nav_account": "Konto",
        "account_title": "Ihr Konto",
        "account_must_change": "Ihr Passwort wurde für Sie festgelegt. Bitte wählen Sie jetzt ein eigenes Passwort; "
                               "erst danach können Sie den Chat nutzen.",
        "account_pw_title": "Passwort ändern",
        "account_pw_rule": "Das neue Passwort muss mindestens {min} Zeichen lang sein, darf nicht zu verbreitet sein "
                           "und nicht Ihren Benutzernamen enthalten. Ein Satz aus mehreren Wörtern eignet sich gut.",
        "account_pw_current": "Aktuelles Passwort",
        "account_pw_new": "Neues Passwort",
        "account_pw_again": "Neues Passwort wiederholen",
        "account_pw_sessions_note": "Nach der Änderung werden Sie an allen anderen Geräten und Browsern abgemeldet. "
                                    "Hier bleiben Sie angemeldet.",
        "account_pw_submit": "Passwort ändern",
        "account_pw_changed": "Ihr Passwort wurde geändert. Alle anderen Anmeldungen wurden beendet.",
        "account_pw_wrong_current": "Das aktuelle Passwort stimmt nicht. Bitte versuchen Sie es erneut.",
        "account_pw_mismatch": "Die beiden neuen Passwörter stimmen nicht überein. Bitte geben Sie sie erneut ein.",
        "account_pw_same": "Das neue Passwort ist dasselbe wie das bisherige. Bitte wählen Sie ein anderes.",
        "account_pw_throttled": "Zu viele falsche Versuche. Bitte warten Sie etwa {minutes} Minuten und versuchen "
                                "Sie es dann erneut.",
        "account_tokens_title": "API-Token",
        "account_tokens_intro": "Mit einem API-Token können Programme Spielraum über die OpenAI-kompatible "
                                "Schnittstelle nutzen (/v1). Es gelten dieselben Schutzregeln wie im Chat.",
        "account_tokens_none": "Sie haben noch kein API-Token.",
        "account_token_name": "Bezeichnung",
        "account_token_name_hint": "Wofür ist das Token, zum Beispiel „Skript Posteingang“? Bitte keine "
                                   "personenbezogenen Daten.",
        "account_token_create": "Neues Token erstellen",
        "account_token_created": "Das Token wurde erstellt.",
        "account_token_once": "Es wird nur dieses eine Mal angezeigt. Bitte kopieren Sie es jetzt und bewahren "
                              "Sie es sicher auf, wie ein Passwort.",
        "account_token_label": "Neues Token",
        "account_token_copy": "Token kopieren",
        "account_token_copied": "Kopiert.",
        "account_token_copy_failed": "Kopieren war nicht möglich. Das Token ist markiert: Bitte kopieren Sie es "
                                     "mit Strg+C.",
        "account_token_created_at": "Erstellt",
        "account_token_last_used": "Zuletzt verwendet",
        "account_token_never": "noch nie",
        "account_token_unnamed": "(ohne Bezeichnung)",
        "account_token_actions": "Aktionen",
        "account_token_revoke": "Widerrufen",
        "account_token_revoked": "Das Token wurde widerrufen und funktioniert ab sofort nicht mehr.",
        "account_token_after_password": "Bitte ändern Sie zuerst Ihr Passwort.",
        "account_lang_title": "Sprache",
        "account_lang_legend": "Sprache der Oberfläche",
        "account_lang_submit": "Sprache speichern",
        "account_pw_sso": ("Sie melden sich über Single Sign-on an. Ihr Passwort ändern Sie beim Anmeldedienst "
                           "Ihrer Behörde, nicht hier."),
        "sso_or": "oder",
        "sso_button": "Anmelden mit {name}",
        "sso_unavailable": ("Die Anmeldung über {name} ist gerade nicht erreichbar. Bitte versuchen Sie es später "
                            "erneut oder melden Sie sich mit einem Spielraum-Konto an."),
        "sso_refused_wrong_issuer": ("Die Anmeldung wurde abgelehnt: Die Antwort stammt nicht vom eingerichteten "
                                     "Anmeldedienst. Bitte wenden Sie sich an die IT."),
        "sso_refused_expired": "Die Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.",
        "sso_refused_not_yet_valid": ("Die Anmeldung wurde abgelehnt, weil die Uhrzeit des Anmeldedienstes nicht "
                                      "passt. Bitte wenden Sie sich an die IT."),
        "sso_refused_no_role": ("Ihr Konto beim Anmeldedienst hat keine Rolle für Spielraum. Bitte wenden Sie sich "
                                "an die IT, damit sie Ihnen eine Rolle zuweist."),
        "sso_refused_inactive": "Ihr Spielraum-Zugang ist gesperrt. Bitte wenden Sie sich an die IT.",
        "sso_refused_bad_state": ("Die Anmeldung konnte keiner Anfrage dieses Browsers zugeordnet werden oder hat "
                                  "zu lange gedauert. Bitte starten Sie die Anmeldung erneut."),
        "sso_refused_cancelled": "Die Anmeldung wurde beim Anmeldedienst abgebrochen oder abgelehnt.",
        "sso_refused_code_rejected": ("Der Anmeldedienst hat die Anmeldung nicht bestätigt. Bitte starten Sie die "
                                      "Anmeldung erneut."),
        "sso_refused_generic": ("Die Anmeldung wurde abgelehnt, weil die Antwort des Anmeldedienstes eine Prüfung "
                                "nicht bestanden hat. Bitte wenden Sie sich an die IT."),
    },
    "en": {
        "nav_account": "Account",
        "account_title": "Your account",
        "account_must_change": "Your password was set for you. Please choose your own password now; you can use "
                               "the chat once you have done so.",
        "account_pw_title": "Change password",
        "account_pw_rule": "The new password must be at least {min} characters long, must not be too common and "
                           "must not contain your user name. A sentence of several words works well.",
        "account_pw_current": "Current password",
        "account_pw_new": "New password",
        "account_pw_again": "Repeat the new password",
        "account_pw_sessions_note": "After the change you will be signed out on all other devices and browsers. "
                                    "You stay signed in here.",
        "account_pw_submit": "Change password",
        "account_pw_changed": "Your password has been changed. All other sign-ins have been ended.",
        "account_pw_wrong_current": "The current password is not correct. Please try again.",
        "account_pw_mismatch": "The two new passwords do not match. Please enter them again.",
        "account_pw_same": "The new password is the same as the current one. Please choose another.",
        "account_pw_throttled": "Too many wrong attempts. Please wait about {minutes} minutes and try again.",
        "account_tokens_title": "API tokens",
        "account_tokens_intro": "With an API token, programs can use Spielraum through the OpenAI-compatible "
                                "interface (/v1). The same protection rules apply as in the chat.",
        "account_tokens_none": "You have no API token yet.",
        "account_token_name": "Name",
        "account_token_name_hint": "What is the token for, for example “inbox script”? Please no personal data.",
        "account_token_create": "Create a new token",
        "account_token_created": "The token has been created.",
        "account_token_once": "It is shown only this once. Please copy it now and keep it safe, like a password.",
        "account_token_label": "New token",
        "account_token_copy": "Copy token",
        "account_token_copied": "Copied.",
        "account_token_copy_failed": "Copying was not possible. The token is selected: please copy it with Ctrl+C.",
        "account_token_created_at": "Created",
        "account_token_last_used": "Last used",
        "account_token_never": "never",
        "account_token_unnamed": "(no name)",
        "account_token_actions": "Actions",
        "account_token_revoke": "Revoke",
        "account_token_revoked": "The token has been revoked and stops working at once.",
        "account_token_after_password": "Please change your password first.",
        "account_lang_title": "Language",
        "account_lang_legend": "Language of the interface",
        "account_lang_submit": "Save language",
        "account_pw_sso": "You sign in with single sign-on. Change your password at your authority's sign-in service, not here.",
        "sso_or": "or",
        "sso_button": "Sign in with {name}",
        "sso_unavailable": ("Signing in with {name} is not reachable right now. Please try again later or sign in "
                            "with a Spielraum account."),
        "sso_refused_wrong_issuer": ("Sign-in refused: the answer did not come from the configured sign-in service. "
                                     "Please contact IT."),
        "sso_refused_expired": "The sign-in has expired. Please sign in again.",
        "sso_refused_not_yet_valid": ("Sign-in refused because the sign-in service's clock does not match. "
                                      "Please contact IT."),
        "sso_refused_no_role": ("Your account at the sign-in service has no role for Spielraum. Please ask IT "
                                "to assign you one."),
        "sso_refused_inactive": "Your Spielraum access is locked. Please contact IT.",
        "sso_refused_bad_state": ("The sign-in could not be matched to a request from this browser or took too "
                                  "long. Please start the sign-in again."),
        "sso_refused_cancelled": "The sign-in was cancelled or declined at the sign-in service.",
        "sso_refused_code_rejected": "The sign-in service did not confirm the sign-in. Please start it again.",
        "sso_refused_generic": ("Sign-in refused because the sign-in service's answer failed a check. "
                                "Please contact IT."),
    },
}
