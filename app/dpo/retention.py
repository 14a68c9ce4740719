"""Retention: delete exchanges older than the configured number of days, counted in the audit log.

Runs two ways: as a job inside the app (every `retention_interval_seconds`) and as
`spielraum purge`. With several workers or replicas each one wakes up on its own schedule,
but only the one that claims the database lease for this interval runs the purge; the lease
is not released afterwards, so the others skip until it expires.
"""
from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import timedelta

import anyio
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.storage import audit, dpo_writes
from app.storage.tables import RetentionRun, utcnow

log = logging.getLogger("spielraum.retention")
LEASE_NAME = "retention"


def purge(engine: Engine, older_than_days: int, trigger: str) -> RetentionRun:
    cutoff = utcnow() - timedelta(days=older_than_days)
    with Session(engine) as session:
        run = dpo_writes.purge_older_than(session, cutoff, trigger)
        audit.append(session, action="retention_purge", actor_id=None, actor=trigger, actor_role="system",
                     target="exchanges", detail={"older_than_days": older_than_days, "cutoff": run.cutoff,
                                                 "deleted_exchanges": run.deleted_exchanges,
                                                 "deleted_conversations": run.deleted_conversations})
        session.refresh(run)
        session.expunge(run)
    log.info("retention.purged", extra={"trigger": trigger, "deleted_exchanges": run.deleted_exchanges,
                                        "deleted_conversations": run.deleted_conversations})
    return run


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def run_if_due(engine: Engine, older_than_days: int, interval_seconds: int, holder: str) -> RetentionRun | None:
    """Purge once per interval per deployment: only the holder of the lease does it."""
    with Session(engine) as session:
        if not dpo_writes.claim_lease(session, LEASE_NAME, holder, timedelta(seconds=interval_seconds)):
            return None
    return purge(engine, older_than_days, "job")


async def retention_loop(engine: Engine, older_than_days: int, interval_seconds: int) -> None:
    holder = holder_name()
    while True:
        try:
            await anyio.to_thread.run_sync(run_if_due, engine, older_than_days, interval_seconds, holder)
        except Exception as exc:  # noqa: BLE001 - a failed run is logged and retried next interval
            log.error("retention.failed", extra={"error_type": type(exc).__name__})
        await anyio.sleep(interval_seconds)
