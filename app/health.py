"""`GET /healthz`: can this instance serve a prompt safely, and how loaded is it?

200 when the database answers and the guard is loaded; 503 otherwise, so a load balancer
or container runtime stops sending traffic. An empty catalogue is reported, not fatal:
the app runs and tells people that IT has not set up a model yet.

It always answers quickly, also under full load: the guard's and the pool's saturation are
read from counters (no guard slot, no thread, no connection needed); the database probe runs
in a thread of its own with a short time limit and is skipped while the pool is exhausted
(then the pool, not the database, is the answer: "busy"). A saturated guard or pool is
reported (`"saturated": true`) but stays 200: the instance works, it only asks people to retry.
"""
from __future__ import annotations

import logging

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.deps import ModelDirectoryDep, SettingsDep
from app.storage.engine import database_ok, pool_status

router = APIRouter()
log = logging.getLogger("spielraum.health")

PROBE_SECONDS = 2.0


@router.get("/healthz", include_in_schema=False)
async def healthz(request: Request, directory: ModelDirectoryDep, settings: SettingsDep) -> JSONResponse:
    # The loaded engine, not the current policy: health must not wait for a database query.
    guard = request.app.state.guard
    # The last catalogue this process built (no query): health must answer while the pool is exhausted.
    catalogue = directory.peek()
    engine = request.app.state.engine
    pool = pool_status(engine)
    db_ok = True if pool["saturated"] else await _probe_database(request)
    try:
        status = guard.status()
        guard_report = {"ok": status.get("recognizers", 0) > 0, "recognizers": status.get("recognizers", 0),
                        "pipelines": status.get("pipelines", {})}
    except Exception as exc:  # noqa: BLE001 - reported as unhealthy
        log.error("health.guard_failed", extra={"error_type": type(exc).__name__})
        guard_report = {"ok": False, "recognizers": 0, "pipelines": {}}
    gate = getattr(request.app.state, "guard_gate", None)
    if gate is not None:
        guard_report["load"] = gate.status()
    models = len(catalogue)
    catalogue_report = {
        "ok": models > 0, "models": models,
        "file": str(settings.models_file) if settings.models_file else None,
        "note": None if models else "no model configured (SPIELRAUM_MODELS_FILE or /admin/models)",
    }
    healthy = db_ok and guard_report["ok"]
    body = {"status": "ok" if healthy else "unavailable",
            "database": {"ok": db_ok, "dialect": engine.dialect.name, "pool": pool},
            "guard": guard_report, "catalogue": catalogue_report}
    return JSONResponse(body, status_code=200 if healthy else 503)


def _health_limiter(request: Request) -> anyio.CapacityLimiter:
    # One probe at a time, in a thread that neither the guard nor the chat's database calls share.
    limiter = getattr(request.app.state, "health_limiter", None)
    if limiter is None:
        limiter = request.app.state.health_limiter = anyio.CapacityLimiter(1)
    return limiter


async def _probe_database(request: Request) -> bool:
    limiter = _health_limiter(request)
    if limiter.borrowed_tokens:
        return True  # a probe is still running; do not stack another thread behind it
    with anyio.move_on_after(PROBE_SECONDS):
        return await anyio.to_thread.run_sync(database_ok, request.app.state.engine, limiter=limiter,
                                              abandon_on_cancel=True)
    return False
