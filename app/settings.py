"""One settings object, read from `SPIELRAUM_*` environment variables.

Built by the app factory or the CLI, never at import time, so tests build their own.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPIELRAUM_", env_file=None, extra="ignore")

    # Where the SQLite file and the generated session secret live.
    data_dir: Path = Path("data")
    # Any SQLAlchemy URL; empty means SQLite in data_dir (e.g. postgresql+psycopg://user@host/db).
    database_url: str = ""
    models_file: Path | None = None
    # Without a models file, offer the built-in "Demo: Echo" model (see app/demo_model.py).
    demo_model: bool = True
    # Where the server reaches itself for the demo model; `spielraum serve` sets it from --host/--port.
    self_url: str | None = None
    # Guard policy: a YAML file (actions per entity type, threshold, timeout); defaults apply without one.
    guard_policy_file: Path | None = None
    guard_timeout_seconds: float = 10.0
    guard_score_threshold: float = 0.4
    # Optional stronger spaCy pipelines an authority installed locally (package name or folder).
    guard_pipeline_de: str | None = None
    guard_pipeline_en: str | None = None
    # Optional GLiNER / transformers person model in a local folder (the library installed separately).
    guard_ner_external: str | None = None
    guard_ner_external_threshold: float = 0.5
    max_prompt_chars: int = Field(default=20_000, ge=100)
    # Any request body above this is refused with 413 before it is parsed (app/request_limits.py).
    max_request_bytes: int = Field(default=1_048_576, ge=65_536)

    # Concurrency (see app/chat/guard_gate.py and app/storage/engine.py). Guard scans run at most
    # guard_slots at once (0: one per CPU core); up to guard_queue_limit requests wait, each at
    # most guard_queue_seconds, before the person is told "busy, please retry". The wait is sized
    # for a burst on a small machine: 64 streamed chats on 2 shared cores took up to ~16 s each
    # (p95, bench/RESULTS.md), so a 20 s wait came close to turning a busy minute into 503s; a
    # minute still ends a real overload with a clear answer, well inside the clients' own
    # time-outs (the OpenAI SDK waits 10 minutes).
    guard_slots: int = Field(default=0, ge=0)
    guard_queue_limit: int = Field(default=256, ge=0)
    guard_queue_seconds: float = Field(default=60.0, gt=0)
    guard_retry_after_seconds: int = Field(default=5, ge=1)
    # Database connections: every call runs off the event loop in a short session.
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    db_pool_timeout_seconds: float = Field(default=10.0, gt=0)
    # A streamed answer's whole duration; a catalogue entry may set its own.
    stream_deadline_seconds: float = Field(default=300.0, gt=0)

    # Accounts and sessions. Without a secret key one is generated once and kept in data_dir.
    secret_key: str | None = None
    admin_password: str | None = None
    session_cookie: str = "spielraum_session"
    session_max_age_seconds: int = Field(default=8 * 3600, ge=60)
    # Set to true behind HTTPS so the session cookie is never sent in clear text.
    session_https_only: bool = False

    # Send a person to the Grundlagen page until they have confirmed it once (app/learning).
    first_steps_on_login: bool = True

    log_level: str = "INFO"

    # The DPO desk. Whether a DPO may reveal the user name behind a pseudonymous reference
    # (one at a time, with a stated reason, audited); off by default.
    dpo_reveal_users: bool = False
    # Exchanges older than this many days are deleted by the retention job (0 keeps nothing).
    retention_days: int = Field(default=90, ge=0)
    # How often the retention job runs; once per interval per deployment (a lease in the database).
    retention_interval_seconds: int = Field(default=3600, ge=60)
    # Run the retention job inside the app; switch off where `spielraum purge` runs from cron instead.
    retention_job: bool = True

    @model_validator(mode="after")
    def _default_database_in_data_dir(self) -> "Settings":
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'spielraum.db'}"
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
