"""The guard each request uses: the engine loaded once, the policy as IT configured it now.

Loading the NLP pipelines takes seconds, so every process builds one `Guard`. The policy
(actions, thresholds, deny and allow lists) lives in the database and may change at any
moment in the control room, in any worker. `PolicyCache` keeps the effective policy with
the `guard` configuration version it was built from and compares that version with ONE small
query per request (no TTL: a change applies to the very next request in every worker). When
it moved, the rules are read again and a new guard VIEW is made with `Guard.with_policy`:
same engine and pool, new immutable policy. Requests already running keep the view they got,
so no shared object is ever mutated under another thread.

Without rules in the database the policy from settings / `SPIELRAUM_GUARD_POLICY_FILE`
applies, exactly as before the control room existed.
"""
from __future__ import annotations

import logging

import anyio
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app.storage import config_versions, guard_rules
from guardrails import Guard, GuardPolicy

log = logging.getLogger("spielraum.guard")


class PolicyCache:
    def __init__(self, engine: Engine, guard: Guard) -> None:
        self._engine = engine
        self._base_guard = guard
        self.base_policy: GuardPolicy = guard.policy
        self._current = config_versions.VersionedValue(config_versions.GUARD, self._rebuild, guard)
        self._limiter = anyio.CapacityLimiter(4)

    def _rebuild(self, session: Session) -> Guard:
        policy = guard_rules.effective_policy(self.base_policy, guard_rules.load(session))
        log.info("guard.policy_loaded")
        return self._base_guard.with_policy(policy)

    def guard(self, session: Session | None = None) -> Guard:
        """The guard under the current policy (blocking: one query, a rebuild when the version moved).
        Given a session, the lookup shares it (the chat pipeline reads the model in the same one)."""
        if session is None:
            with Session(self._engine) as own:
                return self._current.get(own)
        return self._current.get(session)

    def policy(self) -> GuardPolicy:
        return self.guard().policy

    async def current_guard(self) -> Guard:
        return await anyio.to_thread.run_sync(self.guard, limiter=self._limiter)


def effective_guard(engine: Engine, guard: Guard) -> Guard:
    """For commands run beside the app (`spielraum redact`): the database's policy when the
    database is there and holds one, else the guard as given."""
    try:
        return PolicyCache(engine, guard).guard()
    except SQLAlchemyError as exc:  # no control-room tables yet: the file / settings policy
        log.warning("guard.policy_from_database_unavailable", extra={"error_type": type(exc).__name__})
        return guard


async def current_guard(request) -> Guard:
    """The guard under the current policy, for async routes (the lookup runs in a thread)."""
    return await request.app.state.guard_policies.current_guard()
