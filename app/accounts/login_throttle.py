"""Login throttling per account name and per client address, shared through the database.

Policy (`ThrottlePolicy`): after 5 failed sign-ins for one account name, or 20 from one
client address, within 15 minutes, further attempts are refused for 30 seconds, then for a
delay that doubles with every further failure (capped at an hour). The counter forgets
after 15 quiet minutes; a successful sign-in clears the account's counter (not the
address's, so one known password does not unlock guessing at others).

Shared by construction: the counters live in the `login_throttle` table, so every worker
process and replica sees the same numbers. (Redis would do as well, but the `redis` client
is not in requirements.lock; the database store needs nothing new.)

No user enumeration: the account name is counted as typed (case folded), whether or not
such a user exists, and the refusal is the same for both. Nothing secret is stored: keys
are HMAC-SHA256 of the name or address with the app's secret, so neither a name (possibly
a password typed into the wrong field) nor an IP address can be read back from the table.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from app.storage import crud
from app.storage.tables import LoginThrottle, as_utc, utcnow

log = logging.getLogger("spielraum.accounts")

ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class ThrottlePolicy:
    account_limit: int = 5
    address_limit: int = 20
    window: timedelta = timedelta(minutes=15)
    base_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)

    def limit(self, scope: str) -> int:
        return self.account_limit if scope == ACCOUNT else self.address_limit

    def delay(self, failures_over_limit: int) -> timedelta:
        factor = 2 ** min(failures_over_limit, 20)
        return min(self.base_delay * factor, self.max_delay)


class SignInThrottle:
    def __init__(self, engine: Engine, secret: str, policy: ThrottlePolicy | None = None) -> None:
        self._engine = engine
        self._secret = secret.encode("utf-8")
        self.policy = policy or ThrottlePolicy()

    # -- keys ------------------------------------------------------------------------------
    def _key(self, scope: str, value: str) -> str:
        return hmac.new(self._secret, f"{scope}:{value}".encode("utf-8"), hashlib.sha256).hexdigest()

    def _keys(self, username: str, address: str) -> list[tuple[str, str]]:
        keys = [(ACCOUNT, self._key(ACCOUNT, username.strip().casefold()))]
        if address:
            keys.append((ADDRESS, self._key(ADDRESS, address)))
        return keys

    # -- the three questions the login route asks --------------------------------------------
    def retry_after(self, username: str, address: str, now: datetime | None = None) -> int:
        """Seconds until this name and address may try again (0: now)."""
        now = now or utcnow()
        wait = 0.0
        with Session(self._engine) as session:
            for _, key in self._keys(username, address):
                row = crud.get_throttle(session, key)
                if row is not None and row.locked_until is not None:
                    wait = max(wait, (as_utc(row.locked_until) - now).total_seconds())
        return math.ceil(wait) if wait > 0 else 0

    def record_failure(self, username: str, address: str, now: datetime | None = None) -> int:
        """Count a failed sign-in; return the seconds to wait if this failure locked it."""
        now = now or utcnow()
        wait = 0.0
        for scope, key in self._keys(username, address):
            locked_until = self._count(scope, key, now)
            if locked_until is not None:
                wait = max(wait, (locked_until - now).total_seconds())
        if wait > 0:
            log.warning("login.throttled", extra={"retry_after": math.ceil(wait)})
        return math.ceil(wait) if wait > 0 else 0

    def record_success(self, username: str) -> None:
        with Session(self._engine) as session:
            crud.delete_throttle(session, self._key(ACCOUNT, username.strip().casefold()))

    # -- the counter -------------------------------------------------------------------------
    def _count(self, scope: str, key: str, now: datetime) -> datetime | None:
        # Two workers may create the same row at once: the loser retries and updates it.
        for attempt in range(3):
            try:
                with Session(self._engine) as session:
                    row = crud.get_throttle(session, key, for_update=True)
                    row = self._next_state(row, scope, key, now)
                    crud.save_throttle(session, row)
                    return as_utc(row.locked_until) if row.locked_until is not None else None
            except (IntegrityError, OperationalError):
                if attempt == 2:
                    raise
        return None

    def _next_state(self, row: LoginThrottle | None, scope: str, key: str, now: datetime) -> LoginThrottle:
        if row is None:
            row = LoginThrottle(key_hash=key, scope=scope, failures=0, last_failed_at=now)
        quiet_since = as_utc(row.last_failed_at)
        if row.locked_until is not None:
            quiet_since = max(quiet_since, as_utc(row.locked_until))
        if now - quiet_since > self.policy.window:
            row.failures, row.locked_until = 0, None
        row.failures += 1
        row.last_failed_at = now
        limit = self.policy.limit(scope)
        if row.failures >= limit:
            row.locked_until = now + self.policy.delay(row.failures - limit)
        return row
