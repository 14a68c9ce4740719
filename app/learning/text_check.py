"""The guard in front of every text the learning features store.

Two rules, chosen per kind of text:

- **Prompt templates** (saved, submitted, imported) are *refused* when the guard finds
  personal data, and the kinds found are named. A template is reused by many people; a
  placeholder such as `[PERSON_1]` in it would mean nothing to them, and the right fix is a
  variable (`{{Name}}`), which only the author can choose.
- **Feedback comments** are *stored pseudonymised*, exactly like an exchange: the remark
  stays useful ("[PERSON_1] was invented") and no original is kept. Only a kind of data the
  policy blocks refuses a comment.
- **Board notes and comments** are public to colleagues and the sharer must see exactly what
  will be visible, so they are *refused* like templates rather than silently rewritten.

Both run the scan off the event loop (`app.chat.guarding.scan`), and fail closed.
"""
from __future__ import annotations

from app import i18n
from app.chat.guarding import REPLACING_ACTIONS, scan
from app.errors import AppError
from guardrails import Guard, Vault


class PersonalDataInText(AppError):
    status_code = 400
    code = "personal_data_in_text"


def _kinds(entity_types: list[str], lang: str) -> str:
    return ", ".join(i18n.entity_label(kind, 1, lang) for kind in entity_types)


def refusal(entity_types: list[str], *, template: bool, public: bool = False) -> PersonalDataInText:
    de, en = _kinds(entity_types, "de"), _kinds(entity_types, "en")
    if public:
        return PersonalDataInText(
            f"Ihr Text enthält personenbezogene Daten ({de}) und wurde nicht veröffentlicht. Bitte entfernen "
            "Sie diese Angaben; Ihre Eingabe bleibt im Formular erhalten.",
            f"Your text contains personal data ({en}) and was not published. Please remove it; your "
            "input is kept in the form.", extra={"entity_types": entity_types})
    if template:
        return PersonalDataInText(
            f"Der Prompt enthält personenbezogene Daten ({de}) und wurde nicht gespeichert. Bitte ersetzen "
            "Sie diese Angaben durch eine Variable wie {{Name}}; Ihre Eingaben bleiben im Formular erhalten.",
            f"The prompt contains personal data ({en}) and was not saved. Please replace it with a "
            "variable such as {{Name}}; your input is kept in the form.",
            extra={"entity_types": entity_types})
    return PersonalDataInText(
        f"Der Text enthält Daten, die nicht gespeichert werden dürfen ({de}). Bitte entfernen Sie diese Angaben.",
        f"The text contains data that must not be stored ({en}). Please remove it.",
        extra={"entity_types": entity_types})


def _ordered_types(findings) -> list[str]:
    kinds: list[str] = []
    for finding in findings:
        if finding.action in (*REPLACING_ACTIONS, "block") and finding.entity_type not in kinds:
            kinds.append(finding.entity_type)
    return kinds


async def require_no_personal_data(guard: Guard, *texts: str, public: bool = False) -> None:
    """Raise `PersonalDataInText` naming the kinds found; pass clean texts through.

    Each field is scanned on its own: glued together, a short line such as a category
    ("Lern-Session") reads like a name standing alone, and the guard rightly gets careful.
    """
    kinds: list[str] = []
    for text in texts:
        if text.strip():
            result = await scan(guard, text, Vault())
            kinds += [kind for kind in _ordered_types(result.findings) if kind not in kinds]
    if kinds:
        raise refusal(kinds, template=True, public=public)


async def pseudonymised(guard: Guard, text: str) -> str:
    """The text as it may be stored: personal data replaced by placeholders."""
    if not text.strip():
        return ""
    result = await scan(guard, text, Vault())
    if result.blocked:
        raise refusal(list(result.blocked_entity_types), template=False)
    return result.text
