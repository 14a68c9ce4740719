"""The desk's pages under /dpo, for the `dpo` role only (see access.py for why not admins).

Every route takes `DpoUser`, so the role is checked before anything is read; actions that
change something also check the CSRF token, and each one is written to the audit log.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from app import i18n
from app.accounts.auth import verify_csrf
from app.deps import CatalogueDep, GuardDep, SessionDep, SettingsDep
from app.dpo import export, report, review, statistics
from app.dpo.access import DpoUser, ReferencesDep
from app.dpo.filters import filter_params, parse_filter, parse_page
from app.errors import InvalidRequest
from app.rendering import page_context, render
from app.storage import audit, dpo_queries
from app.storage.tables import FlagKind, Verdict, utcnow

router = APIRouter(prefix="/dpo")


def _params(request: Request) -> dict[str, str]:
    return {key: value for key, value in request.query_params.items()}


# -- review -------------------------------------------------------------------------------
@router.get("", include_in_schema=False)
def redaction_log(request: Request, user: DpoUser, session: SessionDep, references: ReferencesDep) -> Response:
    params = _params(request)
    filters = parse_filter(params, session, references)
    page = dpo_queries.log_page(session, filters, parse_page(params.get("page")))
    context = page_context(
        request, user, log=page, filters=filter_params(params), references=references,
        entity_types=dpo_queries.entity_types(session), models=dpo_queries.model_ids(session),
        verdicts=[v.value for v in Verdict], formats=export.FORMATS)
    return render(request, "dpo/log.html", context)


@router.get("/exchanges/{exchange_id}", include_in_schema=False)
def exchange_detail(exchange_id: int, request: Request, user: DpoUser, session: SessionDep,
                    references: ReferencesDep, guard: GuardDep, settings: SettingsDep) -> Response:
    exchange = review.get_exchange(session, exchange_id)
    review.record(session, references, user, "view_exchange", f"exchange:{exchange_id}")
    return _detail_page(request, user, session, references, guard, settings, exchange)


def _detail_page(request, user, session, references, guard, settings, exchange, revealed=None,
                 status_code=200) -> Response:
    lang = i18n.request_language(request)
    context = page_context(request, user, references=references, policy=guard.policy,
                           flag_kinds=[k.value for k in FlagKind], revealed=revealed,
                           reveal_allowed=settings.dpo_reveal_users,
                           entity_types=sorted(i18n.ENTITY_LABELS["de"]),
                           **review.detail_context(session, exchange, lang))
    return render(request, "dpo/exchange.html", context, status_code=status_code)


@router.post("/exchanges/{exchange_id}/flags", include_in_schema=False)
def flag_exchange(exchange_id: int, request: Request, user: DpoUser, session: SessionDep,
                  references: ReferencesDep, guard: GuardDep,
                  kind: Annotated[str, Form(max_length=32)] = "",
                  entity_type: Annotated[str, Form(max_length=64)] = "",
                  note: Annotated[str, Form(max_length=2000)] = "",
                  csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    verify_csrf(request, csrf)
    review.add_flag(session, guard, references, user, exchange_id, kind, entity_type, note)
    return RedirectResponse(f"/dpo/exchanges/{exchange_id}?flagged=1", status_code=303)


@router.post("/exchanges/{exchange_id}/purge", include_in_schema=False)
def purge_exchange(exchange_id: int, request: Request, user: DpoUser, session: SessionDep,
                   references: ReferencesDep, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    verify_csrf(request, csrf)
    review.purge_exchange(session, references, user, exchange_id)
    return RedirectResponse("/dpo/flags?purged=1", status_code=303)


@router.post("/exchanges/{exchange_id}/reveal", include_in_schema=False)
def reveal_user(exchange_id: int, request: Request, user: DpoUser, session: SessionDep,
                references: ReferencesDep, guard: GuardDep, settings: SettingsDep,
                reason: Annotated[str, Form(max_length=2000)] = "",
                csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    verify_csrf(request, csrf)
    exchange = review.get_exchange(session, exchange_id)
    name = review.reveal_user(session, guard, references, user, exchange, reason, settings.dpo_reveal_users)
    return _detail_page(request, user, session, references, guard, settings, exchange, revealed=name)


# -- flags and audit ---------------------------------------------------------------------
@router.get("/flags", include_in_schema=False)
def flags(request: Request, user: DpoUser, session: SessionDep, references: ReferencesDep) -> Response:
    context = page_context(request, user, flags=dpo_queries.list_flags(session), references=references,
                           resolutions=review.RESOLUTIONS, purged=request.query_params.get("purged") == "1")
    return render(request, "dpo/flags.html", context)


@router.post("/flags/{flag_id}/resolve", include_in_schema=False)
def resolve_flag(flag_id: int, request: Request, user: DpoUser, session: SessionDep, references: ReferencesDep,
                 resolution: Annotated[str, Form(max_length=32)] = "",
                 csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    verify_csrf(request, csrf)
    review.resolve_flag(session, references, user, flag_id, resolution)
    return RedirectResponse("/dpo/flags", status_code=303)


@router.get("/audit", include_in_schema=False)
def audit_log(request: Request, user: DpoUser, session: SessionDep) -> Response:
    page = parse_page(request.query_params.get("page"))
    entries, has_next = audit.recent(session, page=page)
    return render(request, "dpo/audit.html", page_context(request, user, entries=entries, page=page,
                                                          has_next=has_next))


# -- export ------------------------------------------------------------------------------
@router.get("/export", include_in_schema=False)
def export_log(request: Request, user: DpoUser, session: SessionDep, references: ReferencesDep,
               guard: GuardDep) -> Response:
    params = _params(request)
    fmt = params.get("format", "")
    if fmt not in export.FORMATS:
        raise InvalidRequest("Bitte wählen Sie CSV oder JSON Lines.", "Please choose CSV or JSON Lines.",
                             code="invalid_format")
    filters = parse_filter(params, session, references)
    applied = filter_params(params)
    if "q" in applied:
        applied["q"] = review.safe_text(guard, applied["q"])
    review.record(session, references, user, "export", "log", format=fmt, filter=applied)
    engine = request.app.state.engine
    return StreamingResponse(
        export.lines(fmt, engine, filters, references), media_type=export.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="spielraum-log.{fmt}"', "Cache-Control": "no-store",
                 "X-Content-Type-Options": "nosniff"})


# -- statistics --------------------------------------------------------------------------
@router.get("/stats", include_in_schema=False)
def stats(request: Request, user: DpoUser, session: SessionDep) -> Response:
    params = _params(request)
    since = _date_param(params, "since")
    until = _date_param(params, "until")
    if since and until and since > until:
        raise InvalidRequest("„Von“ liegt nach „Bis“.", "'From' is after 'until'.", code="invalid_filter")
    since, until = statistics.period_range(since, until, utcnow().date())
    data = statistics.dashboard(session, since, until, by_week=params.get("by") == "week")
    return render(request, "dpo/stats.html", page_context(request, user, d=data))


def _date_param(params: dict[str, str], name: str):
    from datetime import date

    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"Das Datum „{name}“ ist ungültig (JJJJ-MM-TT).",
                             f"The date '{name}' is invalid (YYYY-MM-DD).", code="invalid_filter") from None


# -- report and record of processing -------------------------------------------------------
@router.get("/report", include_in_schema=False)
def monthly_report(request: Request, user: DpoUser, session: SessionDep) -> Response:
    first, last = report.month_range(request.query_params.get("month"), utcnow().date())
    data = report.monthly_report(session, first, last)
    return render(request, "dpo/report.html", page_context(request, user, r=data, generated_at=utcnow()))


@router.get("/record", include_in_schema=False)
def record_of_processing(request: Request, user: DpoUser, settings: SettingsDep, catalogue: CatalogueDep,
                         guard: GuardDep) -> Response:
    data = report.record_of_processing(settings, catalogue, guard)
    return render(request, "dpo/record.html", page_context(request, user, rec=data, generated_at=utcnow()))
