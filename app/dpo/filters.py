"""Reading the log's filter from a query string: every field checked, bad input is a 400
that names the field (never a 500, never echoing the value)."""
from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session, select

from app.dpo.access import References
from app.errors import InvalidRequest
from app.storage.dpo_queries import LogFilter
from app.storage.tables import User, Verdict

_ENTITY = re.compile(r"[A-Z][A-Z0-9_]{0,63}")
_REFERENCE = re.compile(r"U-[0-9a-f]{6}")
FIELDS = ("since", "until", "entity_type", "model", "verdict", "user", "q")


def _bad(field_de: str, field_en: str) -> InvalidRequest:
    return InvalidRequest(f"Der Filter „{field_de}“ ist ungültig. Bitte korrigieren Sie die Eingabe.",
                          f"The filter '{field_en}' is invalid. Please correct it.", code="invalid_filter")


def _date(value: str, field_de: str, field_en: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _bad(field_de, field_en) from None


def user_ids_for(session: Session, references: References, value: str) -> tuple[int, ...]:
    """The users behind a pseudonymous reference (the table of users is small)."""
    ids = session.exec(select(User.id)).all()
    return tuple(uid for uid in ids if references.of(uid) == value)


def parse_filter(params: dict[str, str], session: Session, references: References) -> LogFilter:
    get = lambda name: (params.get(name) or "").strip()  # noqa: E731
    since = _date(get("since"), "von", "from")
    until = _date(get("until"), "bis", "until")
    if since and until and since > until:
        raise _bad("von/bis", "from/until")
    entity_type = get("entity_type")
    if entity_type and not _ENTITY.fullmatch(entity_type):
        raise _bad("Datenart", "kind of data")
    verdict = get("verdict")
    if verdict and verdict not in {v.value for v in Verdict}:
        raise _bad("Ergebnis", "outcome")
    model = get("model")
    if len(model) > 200:
        raise _bad("Modell", "model")
    user = get("user")
    if user and not _REFERENCE.fullmatch(user):
        raise _bad("Person", "person")
    q = get("q")
    if len(q) > 200:
        raise _bad("Suche", "search")
    return LogFilter(since=since, until=until, entity_type=entity_type or None, model_id=model or None,
                     verdict=verdict or None, q=q or None,
                     user_ids=user_ids_for(session, references, user) if user else None)


def filter_params(params: dict[str, str]) -> dict[str, str]:
    """The filter fields that are set, for links (next page, export) and the audit log."""
    return {name: params[name].strip() for name in FIELDS if (params.get(name) or "").strip()}


def parse_page(value: str | None) -> int:
    if not value:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= 100_000:
        raise _bad("Seite", "page")
    return int(value)
