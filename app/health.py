"""`GET /healthz`: can this instance serve a prompt safely?

200 when the database answers and the guard is loaded; 503 otherwise, so a load balancer
or container runtime stops sending traffic. An empty catalogue is reported, not fatal:
the app runs and tells people that IT has not set up a model yet.
"""
from __future__ import annotations

import logging

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.storage.engine import database_ok
from app.deps import CatalogueDep, GuardDep, SettingsDep

router = APIRouter()
log = logging.getLogger("spielraum.health")


@router.get("/healthz", include_in_schema=False)
async def healthz(request: Request, guard: GuardDep, catalogue: CatalogueDep, settings: SettingsDep) -> JSONResponse:
    db_ok = await anyio.to_thread.run_sync(database_ok, request.app.state.engine)
    try:
        status = guard.status()
        guard_report = {"ok": status.get("recognizers", 0) > 0, "recognizers": status.get("recognizers", 0),
                        "pipelines": status.get("pipelines", {})}
    except Exception as exc:  # noqa: BLE001 - reported as unhealthy
        log.error("health.guard_failed", extra={"error_type": type(exc).__name__})
        guard_report = {"ok": False, "recognizers": 0, "pipelines": {}}
    models = len(catalogue)
    catalogue_report = {
        "ok": models > 0, "models": models,
        "file": str(settings.models_file) if settings.models_file else None,
        "note": None if models else "no model catalogue configured (SPIELRAUM_MODELS_FILE)",
    }
    healthy = db_ok and guard_report["ok"]
    body = {"status": "ok" if healthy else "unavailable",
            "database": {"ok": db_ok, "dialect": request.app.state.engine.dialect.name},
            "guard": guard_report, "catalogue": catalogue_report}
    return JSONResponse(body, status_code=200 if healthy else 503)
