"""The control room's user-facing strings, German first; merged into app.i18n.STRINGS.

Each part of the control room adds its keys here, prefixed `admin_`.
"""
from __future__ import annotations

ADMIN_STRINGS: dict[str, dict[str, str]] = {
    "de": {
        "nav_admin": "IT-Verwaltung",
        "admin_nav_label": "Bereiche der IT-Verwaltung",
        "admin_title": "IT-Verwaltung",
        "admin_intro": ("Hier legt die IT fest, welche Sprachmodelle die Beschäftigten nutzen dürfen, wie streng "
                        "die Prüfung auf personenbezogene Daten ist und wer Spielraum nutzt. Jede Änderung wird "
                        "im Prüfprotokoll festgehalten und gilt sofort für alle."),
        "admin_overview": "Übersicht",
        "admin_models": "Modelle",
        "admin_models_hint": "Sprachmodelle hinzufügen, testen, einschränken und abschalten.",
        "admin_guard": "Prüfrichtlinie",
        "admin_guard_hint": "Was mit jeder Art personenbezogener Daten geschieht, eigene Begriffe, Testkonsole.",
        "admin_users": "Benutzer",
        "admin_users_hint": "Konten anlegen, Rollen vergeben, Zugänge sperren, Passwörter zurücksetzen.",
        "admin_groups": "Gruppen",
        "admin_groups_hint": "Abteilungen, auf die sich Modelle beschränken lassen.",
        "admin_config": "Konfiguration als Datei",
        "admin_config_hint": "Die ganze Konfiguration als YAML exportieren oder importieren.",
        "admin_changes": "Änderungsprotokoll",
        "admin_changes_hint": "Wer hat wann was geändert (ohne Geheimnisse).",
    },
    "en": {
        "nav_admin": "IT settings",
        "admin_nav_label": "Sections of the IT settings",
        "admin_title": "IT settings",
        "admin_intro": ("Here IT decides which language models staff may use, how strict the check for personal "
                        "data is and who uses Spielraum. Every change is written to the audit log and applies to "
                        "everyone at once."),
        "admin_overview": "Overview",
        "admin_models": "Models",
        "admin_models_hint": "Add, test, restrict and disable language models.",
        "admin_guard": "Guard policy",
        "admin_guard_hint": "What happens to each kind of personal data, own terms, test console.",
        "admin_users": "Users",
        "admin_users_hint": "Create accounts, assign roles, lock access, reset passwords.",
        "admin_groups": "Groups",
        "admin_groups_hint": "Departments that models can be restricted to.",
        "admin_config": "Configuration as a file",
        "admin_config_hint": "Export or import the whole configuration as YAML.",
        "admin_changes": "Change log",
        "admin_changes_hint": "Who changed what and when (without secrets).",
    },
}


def _merge_area_strings() -> None:
    """Each control-room area keeps its strings in `<area>_strings.py`; one line per area here."""
    from app.admin.config_strings import CONFIG_STRINGS
    from app.admin.guard_strings import GUARD_STRINGS
    from app.admin.models_strings import MODELS_STRINGS
    from app.admin.users_strings import USERS_STRINGS

    for area in (MODELS_STRINGS, GUARD_STRINGS, USERS_STRINGS, CONFIG_STRINGS):
        for lang, table in area.items():
            ADMIN_STRINGS[lang].update(table)


_merge_area_strings()
