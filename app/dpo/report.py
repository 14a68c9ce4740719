"""The monthly report a DPO hands on, and the record of processing (Art. 30 GDPR in spirit),
both generated from what is stored and configured right now, never written by hand."""
from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlparse

from sqlmodel import Session

from app.errors import InvalidRequest
from app.settings import Settings
from app.storage import dpo_queries
from app.storage.tables import Role
from guardrails import Guard
from providers import Catalogue


def month_range(value: str | None, today: date) -> tuple[date, date]:
    """'2026-11' -> (2026-11-01, 2026-11-30); empty: the current month."""
    if value:
        try:
            year, month = (int(part) for part in value.split("-"))
            first = date(year, month, 1)
        except ValueError:
            raise InvalidRequest("Der Monat ist ungültig (JJJJ-MM).", "The month is invalid (YYYY-MM).",
                                 code="invalid_month") from None
    else:
        first = today.replace(day=1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return first, last


def monthly_report(session: Session, first: date, last: date) -> dict:
    findings = dpo_queries.finding_totals(session, first, last)
    type_totals = {entity_type: sum(per_day.values()) for entity_type, per_day in findings.by_type_and_day.items()}
    missed = dpo_queries.guard_missed(session, first, last, findings)
    return {
        "first": first, "last": last,
        "totals": dpo_queries.exchange_totals(session, first, last),
        "types": sorted(type_totals.items(), key=lambda item: -item[1]),
        "recognizers": findings.by_recognizer[:10],
        "missed": sorted(((t, v["person_mark"], v["dpo_flag"]) for t, v in missed.items()), key=lambda i: i[0]),
        "flags": dpo_queries.flag_summary(session, first, last),
        "retention_runs": dpo_queries.retention_runs(session, first, last),
    }


def _where(spec) -> str:
    if spec.location:
        return spec.location
    host = urlparse(spec.api_base).hostname if spec.api_base else None
    return host or spec.litellm_model.split("/", 1)[0]


def record_of_processing(settings: Settings, catalogue: Catalogue, guard: Guard) -> dict:
    policy = guard.policy
    return {
        "models": [{"id": spec.id, "name": spec.display_name, "where": _where(spec),
                    "provider": spec.litellm_model.split("/", 1)[0], "roles": list(spec.roles),
                    "groups": list(spec.groups),
                    "description": spec.description} for spec in catalogue.models],
        "policy": {"default_action": policy.default_action.value, "threshold": policy.score_threshold,
                   "actions": {kind: action.value for kind, action in sorted(policy.actions.items())},
                   "thresholds": dict(sorted(policy.thresholds.items())),
                   # Counts only: the terms themselves are IT's configuration, see /admin/guard.
                   "deny_terms": len(policy.deny_terms), "allow_terms": len(policy.allow_terms)},
        "retention_days": settings.retention_days,
        "reveal_users": settings.dpo_reveal_users,
        "database": "PostgreSQL" if settings.database_url.startswith("postgresql") else
                    ("SQLite" if settings.is_sqlite else settings.database_url.split(":", 1)[0]),
        "roles": [role.value for role in Role],
    }
