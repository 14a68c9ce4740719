"""The rules of reviewing: what a DPO action records in the audit log, how free text is made
safe before it is stored, and how an exchange is shown with its placeholders labelled."""
from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session

from app.dpo.access import References
from app.errors import GuardFailed, InvalidRequest, NotFound
from app.storage import audit, crud, dpo_writes
from app.storage.dpo_queries import exchange_flags
from app.storage.tables import Exchange, FlagKind, User
from app.rendering import placeholder_parts
from guardrails import Guard, GuardUnavailable, Vault

RESOLUTIONS = ("tuned", "dismissed")
_ENTITY = re.compile(r"[A-Z][A-Z0-9_]{0,63}")


def safe_text(guard: Guard, text: str) -> str:
    """Free text a DPO types (a note, a reason, a search) may itself hold personal data: it is
    stored only as the guard pseudonymises it. If the guard fails, nothing is stored."""
    text = text.strip()
    if not text:
        return ""
    try:
        return guard.scan_prompt(text, Vault()).text
    except GuardUnavailable:
        raise GuardFailed() from None


def record(session: Session, references: References, user: User | None, action: str, target: str = "",
           **detail: Any) -> None:
    audit.append(session, action=action, actor_id=user.id if user else None,
                 actor=references.of(user.id) if user else "cli", actor_role=user.role if user else "cli",
                 target=target, detail=detail)



def get_exchange(session: Session, exchange_id: int) -> Exchange:
    exchange = session.get(Exchange, exchange_id)
    if exchange is None:
        raise NotFound()
    return exchange


def add_flag(session: Session, guard: Guard, references: References, user: User, exchange_id: int,
             kind: str, entity_type: str, note: str) -> None:
    get_exchange(session, exchange_id)
    if kind not in {k.value for k in FlagKind}:
        raise InvalidRequest("Bitte wählen Sie die Art der Markierung.", "Please choose the kind of flag.",
                             code="invalid_flag")
    entity_type = entity_type.strip().upper()
    if entity_type and not _ENTITY.fullmatch(entity_type):
        raise InvalidRequest("Die Datenart ist ungültig.", "The kind of data is invalid.", code="invalid_flag")
    if kind == FlagKind.MISSED.value and not entity_type:
        raise InvalidRequest("Bitte geben Sie an, welche Art von Daten übersehen wurde.",
                             "Please state which kind of data was missed.", code="invalid_flag")
    if len(note) > 1000:
        raise InvalidRequest("Die Notiz ist zu lang (höchstens 1000 Zeichen).",
                             "The note is too long (at most 1000 characters).", code="invalid_flag")
    flag = dpo_writes.add_flag(session, exchange_id=exchange_id, kind=kind, entity_type=entity_type,
                               note=safe_text(guard, note)[:1000], created_by=user.id)
    record(session, references, user, "flag", f"exchange:{exchange_id}", flag_id=flag.id, kind=kind,
           entity_type=entity_type)


def resolve_flag(session: Session, references: References, user: User, flag_id: int, resolution: str) -> None:
    if resolution not in RESOLUTIONS:
        raise InvalidRequest("Bitte wählen Sie, wie die Markierung erledigt wurde.",
                             "Please choose how the flag was resolved.", code="invalid_resolution")
    if dpo_writes.resolve_flag(session, flag_id, resolution) is None:
        raise NotFound()
    record(session, references, user, "resolve_flag", f"flag:{flag_id}", resolution=resolution)


def purge_exchange(session: Session, references: References, user: User, exchange_id: int) -> None:
    get_exchange(session, exchange_id)
    dpo_writes.purge_exchange(session, exchange_id)
    record(session, references, user, "purge_exchange", f"exchange:{exchange_id}", deleted_exchanges=1)


def reveal_user(session: Session, guard: Guard, references: References, user: User, exchange: Exchange,
                reason: str, allowed: bool) -> str:
    if not allowed:
        raise InvalidRequest("Das Aufdecken von Namen ist in dieser Installation abgeschaltet.",
                             "Revealing names is switched off in this installation.", code="reveal_disabled",
                             status_code=403)
    if len(reason.strip()) < 10 or len(reason) > 500:
        raise InvalidRequest("Bitte nennen Sie einen Grund (10 bis 500 Zeichen).",
                             "Please state a reason (10 to 500 characters).", code="reason_required")
    owner = crud.get_user(session, exchange.user_id)
    record(session, references, user, "reveal_user", references.of(exchange.user_id),
           exchange_id=exchange.id, reason=safe_text(guard, reason))
    return owner.username if owner else "—"


def detail_context(session: Session, exchange: Exchange, lang: str) -> dict[str, Any]:
    findings = crud.list_findings(session, exchange.id)
    flags = exchange_flags(session, exchange.id)
    return {
        "exchange": exchange, "findings": findings, "flags": flags,
        "hidden": any(flag.kind == FlagKind.MISSED.value for flag in flags),
        "prompt_parts": placeholder_parts(exchange.prompt_pseudonymised or "", lang),
        "answer_parts": placeholder_parts(exchange.answer_pseudonymised or "", lang),
    }
