"""One settings object, read from `SPIELRAUM_*` environment variables.

Built by the app factory or the CLI, never at import time, so tests build their own.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPIELRAUM_", env_file=None, extra="ignore")

    # Where the SQLite file and the generated session secret live.
    data_dir: Path = Path("data")
    # Any SQLAlchemy URL; empty means SQLite in data_dir (e.g. postgresql+psycopg://user@host/db).
    database_url: str = ""
    models_file: Path | None = None
    # The control room's configuration as YAML (`spielraum config export`); imported at start
    # whenever its content changed since the last import (see app/admin/config_startup.py).
    config_file: Path | None = None
    # Without a models file, offer the built-in "Demo: Echo" model (see app/demo_model.py).
    demo_model: bool = True
    # Where the server reaches itself for the demo model; `spielraum serve` sets it from --host/--port.
    self_url: str | None = None
    # The optional local demo model (llama.cpp + SmolLM2, see app/chat/local_model.py): "auto" serves it
    # when the local-model extra and its model file are installed. `spielraum serve` starts it once
    # on 127.0.0.1:local_model_port (0: a free port) and sets local_model_url for its workers.
    local_model: Literal["auto", "on", "off"] = "auto"
    local_model_port: int = Field(default=0, ge=0, le=65535)
    local_model_url: str | None = None
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
    # Seals the API keys IT enters in the browser (app/chat/model_keys.py); unset: derived from
    # the secret key above. Changing it makes stored keys unreadable (enter them again).
    config_secret_key: str | None = Field(default=None, repr=False)
    admin_password: str | None = None
    session_cookie: str = "spielraum_session"
    session_max_age_seconds: int = Field(default=8 * 3600, ge=60)
    # Set to true behind HTTPS so the session cookie is never sent in clear text.
    session_https_only: bool = False

    # Single sign-on with OpenID Connect (app/accounts/oidc*.py); off while the issuer is empty.
    # The issuer's discovery document and keys are fetched when a sign-in starts and cached.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scopes: str = "openid profile email"
    # Dotted path to the roles in the ID token: `realm_access.roles` (Keycloak), `roles` (Entra ID).
    oidc_role_claim: str = ""
    # Provider role -> Spielraum role, as JSON ({"spielraum-admins": "admin"}); without a map,
    # provider roles named like Spielraum's (employee, curator, dpo, admin) count as they are.
    oidc_role_map: dict[str, str] = Field(default_factory=dict)
    # Dotted path to the group names; empty leaves group membership to the users page.
    oidc_group_claim: str = ""
    # Provider group -> Spielraum group, as JSON (Entra ID sends group ids); unmapped values are
    # matched by name against existing groups.
    oidc_group_map: dict[str, str] = Field(default_factory=dict)
    # The role of a person whose token carries no mapped role; empty refuses the sign-in.
    oidc_default_role: str = ""
    oidc_display_name: str = "Single Sign-on"
    # Where the provider sends the browser back; empty derives it from the request
    # (set it behind a reverse proxy: https://spielraum.example.org/login/oidc/callback).
    oidc_redirect_uri: str = ""
    oidc_metadata_ttl_seconds: int = Field(default=300, ge=0)
    oidc_timeout_seconds: float = Field(default=5.0, gt=0)

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

    @model_validator(mode="after")
    def _oidc_roles_exist(self) -> "Settings":
        # A typo in a role would silently give people no access (or the wrong one): refuse to start.
        known = ("employee", "curator", "dpo", "admin")
        wrong = sorted({r for r in self.oidc_role_map.values() if r not in known}
                       | ({self.oidc_default_role} - {""} - set(known)))
        if wrong:
            raise ValueError(f"SPIELRAUM_OIDC_ROLE_MAP / _DEFAULT_ROLE name unknown roles {wrong}; "
                             f"choose from {', '.join(known)}")
        return self

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
