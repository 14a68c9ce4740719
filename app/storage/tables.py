"""Database tables, one SQLModel family per entity.

Design choice (as in the FastAPI full-stack template): `…Base` holds the shared fields,
the table class adds what only the database may see (password and token hashes), and
`…Public` is what a response may show. A response model therefore cannot leak a secret
by accident: the secret is not a field of any class a route returns.

Privacy by construction: conversation titles, prompts and answers are stored only in
their pseudonymised form (placeholders); finding records hold entity types, counts and
scores, never a value.

Every change here needs a migration (`spielraum db revision -m "..."`, see the README):
the app builds its tables only through `app/storage/migrations/`, and a test fails while
the models and the newest revision disagree. Times use `UtcDateTime` (aware UTC on every
database); indexes serve the queries named next to them.
"""
from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum

from sqlalchemy import Index, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from app.storage.types import UtcDateTime


# The largest id every supported database holds in an id column (PostgreSQL's INTEGER);
# ids from requests are validated against it, so a huge number is a 400, not an overflow.
MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Role(str, Enum):
    EMPLOYEE = "employee"
    DPO = "dpo"
    ADMIN = "admin"
    CURATOR = "curator"


ROLES: tuple[str, ...] = tuple(role.value for role in Role)


class Channel(str, Enum):
    WEB = "web"
    API = "api"


class Verdict(str, Enum):
    SENT = "sent"
    BLOCKED = "blocked"
    ERROR = "error"


# -- users -------------------------------------------------------------------------------
class UserBase(SQLModel):
    username: str = Field(index=True, unique=True, min_length=1, max_length=64)
    role: str = Field(default=Role.EMPLOYEE.value, max_length=16)
    is_active: bool = True


class UserCreate(UserBase):
    password: str = Field(min_length=8, max_length=256)


class User(UserBase, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    # Set when someone other than the user chose the password (a generated one, an admin's
    # reset): the user must pick their own before using the chat (app/accounts/password_first.py).
    must_change_password: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    last_login_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # "local" (password in this table) or "oidc" (signed in through single sign-on; the
    # password hash is then an unusable random value). `external_subject` is the provider's
    # stable `sub` claim, prefixed with the issuer, so a renamed account stays the same person.
    auth_source: str = Field(default="local", max_length=16, sa_column_kwargs={"server_default": "local"})
    external_subject: str | None = Field(default=None, max_length=300, index=True, unique=True)


class UserPublic(UserBase):
    id: int
    created_at: datetime


# -- API tokens --------------------------------------------------------------------------
class ApiTokenBase(SQLModel):
    name: str = Field(default="", max_length=100)


class ApiToken(ApiTokenBase, table=True):
    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    # sha256 hex of the token: the token itself is shown once and never stored.
    token_hash: str = Field(index=True, unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ApiTokenPublic(ApiTokenBase):
    id: int
    user_id: int
    created_at: datetime
    last_used_at: datetime | None


# -- conversations -----------------------------------------------------------------------
class ConversationBase(SQLModel):
    title: str = Field(default="", max_length=200)  # pseudonymised
    model_id: str = Field(max_length=200)


class Conversation(ConversationBase, table=True):
    __tablename__ = "conversations"
    # The sidebar: one person's conversations, most recently used first.
    __table_args__ = (Index("ix_conversations_user_id_updated_at", "user_id", "updated_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    channel: str = Field(default=Channel.WEB.value, max_length=8)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class ConversationPublic(ConversationBase):
    id: int
    channel: str
    created_at: datetime
    updated_at: datetime


# -- exchanges (one prompt and its answer) -----------------------------------------------
class ExchangeBase(SQLModel):
    model_id: str = Field(max_length=200)
    channel: str = Field(default=Channel.WEB.value, max_length=8)
    prompt_pseudonymised: str = ""
    answer_pseudonymised: str = ""
    verdict: str = Field(default=Verdict.SENT.value, max_length=16)
    error_code: str | None = Field(default=None, max_length=64)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    guard_ms: float = 0.0
    upstream_ms: float = 0.0


class Exchange(ExchangeBase, table=True):
    __tablename__ = "exchanges"
    # The data-protection officer's log: newest first (ties broken by id, for stable pages),
    # optionally narrowed to a verdict, a model or a person. Each index ends in created_at so
    # the filtered page is read in order, without sorting.
    __table_args__ = (
        Index("ix_exchanges_created_at_id", "created_at", "id"),
        Index("ix_exchanges_verdict_created_at", "verdict", "created_at"),
        Index("ix_exchanges_model_id_created_at", "model_id", "created_at"),
        Index("ix_exchanges_user_id_created_at", "user_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Empty for a prompt blocked before any conversation existed.
    conversation_id: int | None = Field(default=None, foreign_key="conversations.id", index=True)
    user_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class ExchangePublic(ExchangeBase):
    id: int
    conversation_id: int | None
    created_at: datetime


# -- finding metadata --------------------------------------------------------------------
class FindingRecord(SQLModel, table=True):
    """What the guard found in one exchange, aggregated per entity type; never a value."""

    __tablename__ = "findings"
    # The log filtered by kind of data: the exchanges in which, say, an IBAN was found.
    __table_args__ = (Index("ix_findings_entity_type_exchange_id", "entity_type", "exchange_id"),)

    id: int | None = Field(default=None, primary_key=True)
    exchange_id: int = Field(foreign_key="exchanges.id", index=True)
    entity_type: str = Field(max_length=64)
    count: int = 0
    max_score: float = 0.0
    recognizer: str = Field(default="", max_length=100)
    action: str = Field(default="", max_length=16)


# -- learning: prompt library, first steps, feedback, board, model votes ----------------
# Roles that review and publish library prompts and see the feedback overview.
CURATOR_ROLES: tuple[str, ...] = (Role.CURATOR.value, Role.ADMIN.value)


class PromptStatus(str, Enum):
    PRIVATE = "private"        # the owner's own prompt
    SUBMITTED = "submitted"    # waiting for a curator
    PUBLISHED = "published"    # in the shared library
    REJECTED = "rejected"      # sent back to the owner


class PromptOrigin(str, Enum):
    SHIPPED = "shipped"        # a file under app/learning/library/
    IMPORTED = "imported"      # `spielraum prompts import FILE`
    USER = "user"              # written in Spielraum


class LibraryPrompt(SQLModel, table=True):
    """A prompt template; `{{Variable}}` marks what a person fills in before sending.

    Texts are checked by the guard before they are stored (a template carries no personal
    data). Shipped entries keep the hash of the file content they were loaded from, so a
    restart updates untouched entries and never overwrites a curator's local edit.
    """

    __tablename__ = "library_prompts"

    id: int | None = Field(default=None, primary_key=True)
    # Stable key of a shipped or imported entry (e.g. "buergeranfrage-beantworten").
    source_key: str | None = Field(default=None, index=True, unique=True, max_length=100)
    origin: str = Field(default=PromptOrigin.USER.value, max_length=16)
    content_hash: str = Field(default="", max_length=64)
    locally_edited: bool = False
    title: str = Field(max_length=200)
    category: str = Field(default="", max_length=100, index=True)
    good_for: str = Field(default="", max_length=2000)
    watch_out: str = Field(default="", max_length=2000)
    text: str = Field(max_length=20000)
    status: str = Field(default=PromptStatus.PRIVATE.value, max_length=16, index=True)
    owner_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    curator_note: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class PromptRating(SQLModel, table=True):
    """One person's verdict on a library prompt: +1 useful, -1 not useful (one per person)."""

    __tablename__ = "prompt_ratings"
    __table_args__ = (UniqueConstraint("prompt_id", "user_id", name="uq_prompt_ratings_prompt_user"),)

    id: int | None = Field(default=None, primary_key=True)
    prompt_id: int = Field(foreign_key="library_prompts.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    value: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class BasicsConfirmation(SQLModel, table=True):
    """The person read the Grundlagen page and confirmed it (once; a new version asks again)."""

    __tablename__ = "basics_confirmations"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    version: int = 1
    confirmed_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class AnswerFeedback(SQLModel, table=True):
    """A rating of one answer; the comment is stored pseudonymised, like the exchange."""

    __tablename__ = "answer_feedback"
    __table_args__ = (UniqueConstraint("exchange_id", "user_id", name="uq_answer_feedback_exchange_user"),)

    id: int | None = Field(default=None, primary_key=True)
    exchange_id: int = Field(foreign_key="exchanges.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    model_id: str = Field(max_length=200)
    # The library prompt the answer started from, when the chat was opened from the library.
    prompt_id: int | None = Field(default=None, foreign_key="library_prompts.id", index=True)
    helpful: bool
    reason: str | None = Field(default=None, max_length=32)
    comment: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class BoardPost(SQLModel, table=True):
    """An exchange shared to the team board: a copy of its stored, pseudonymised text.

    A copy, not a reference, so the board shows exactly what the sharer saw before sharing.
    """

    __tablename__ = "board_posts"

    id: int | None = Field(default=None, primary_key=True)
    exchange_id: int = Field(foreign_key="exchanges.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    model_id: str = Field(max_length=200)
    prompt_text: str = ""
    answer_text: str = ""
    note: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class BoardComment(SQLModel, table=True):
    __tablename__ = "board_comments"

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="board_posts.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    text: str = Field(max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class ModelVote(SQLModel, table=True):
    """Which of two answers to the same prompt was more useful ("a", "b" or "tie")."""

    __tablename__ = "model_votes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    exchange_a_id: int = Field(foreign_key="exchanges.id")
    exchange_b_id: int = Field(foreign_key="exchanges.id")
    model_a: str = Field(max_length=200)
    model_b: str = Field(max_length=200)
    winner: str = Field(max_length=8)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class LearningSession(SQLModel, table=True):
    """A Lern-Session: a facilitator sets a task, participants contribute their tries."""

    __tablename__ = "learning_sessions"

    id: int | None = Field(default=None, primary_key=True)
    facilitator_id: int = Field(foreign_key="users.id", index=True)
    title: str = Field(max_length=200)
    task: str = Field(max_length=4000)
    is_open: bool = True
    lesson: str = Field(default="", max_length=4000)
    kept_prompt_id: int | None = Field(default=None, foreign_key="library_prompts.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class SessionEntry(SQLModel, table=True):
    """One participant's try, copied as stored (pseudonymised) from their exchange."""

    __tablename__ = "learning_session_entries"
    __table_args__ = (UniqueConstraint("session_id", "exchange_id", name="uq_session_entries_session_exchange"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="learning_sessions.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    exchange_id: int = Field(foreign_key="exchanges.id")
    model_id: str = Field(max_length=200)
    prompt_text: str = ""
    answer_text: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


# -- the data protection officer's desk ---------------------------------------------------
class FlagKind(str, Enum):
    MISSED = "missed"                # personal data the guard did not catch
    OVER_REDACTED = "over_redacted"  # something replaced that was not personal data


class ExchangeFlag(SQLModel, table=True):
    """A DPO's verdict on one exchange, kept for tuning the guard even after the exchange is purged
    (then `exchange_id` is empty). The note is pseudonymised by the guard before it is stored."""

    __tablename__ = "exchange_flags"

    id: int | None = Field(default=None, primary_key=True)
    exchange_id: int | None = Field(default=None, foreign_key="exchanges.id", index=True)
    kind: str = Field(max_length=16)
    entity_type: str = Field(default="", max_length=64)
    note: str = Field(default="", max_length=1000)
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, index=True, sa_type=UtcDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    resolution: str = Field(default="", max_length=32)  # tuned | dismissed | purged


class AuditEntry(SQLModel, table=True):
    """One DPO or admin action. Append-only: storage offers no update and no delete for it.
    `detail` is JSON with ids, filters and counts; free text in it is pseudonymised first."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, index=True, sa_type=UtcDateTime)
    actor_id: int | None = Field(default=None, foreign_key="users.id")  # empty: the system or the CLI
    actor: str = Field(default="", max_length=64)  # pseudonymous reference, "cli" or "system"
    actor_role: str = Field(default="", max_length=16)
    action: str = Field(max_length=32, index=True)
    target: str = Field(default="", max_length=64)
    detail: str = ""


class RetentionRun(SQLModel, table=True):
    __tablename__ = "retention_runs"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(default_factory=utcnow, index=True, sa_type=UtcDateTime)
    cutoff: datetime = Field(sa_type=UtcDateTime)
    trigger: str = Field(max_length=16)  # job | cli
    deleted_exchanges: int = 0
    deleted_conversations: int = 0


class JobLease(SQLModel, table=True):
    """Who may run a periodic job until when: claimed by one atomic UPDATE … WHERE expired, so
    among several workers or replicas exactly one runs it per interval."""

    __tablename__ = "job_leases"

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(default="", max_length=128)
    expires_at: datetime = Field(sa_type=UtcDateTime)


# -- sign-in sessions (server side, so logout and password changes end them) ---------------
class UserSession(SQLModel, table=True):
    """One signed-in browser. The cookie carries a random session id; only its sha256 is here."""

    __tablename__ = "user_sessions"

    id: int | None = Field(default=None, primary_key=True)
    session_hash: str = Field(index=True, unique=True, max_length=64)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


# -- login throttling (shared by every worker and replica through the database) -----------
class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins per account name or client address, keyed by an HMAC of either:
    neither the name as typed (it may be a mistyped password) nor the address is stored."""

    __tablename__ = "login_throttle"

    key_hash: str = Field(primary_key=True, max_length=64)
    scope: str = Field(max_length=16)  # "account" or "address"
    failures: int = 0
    last_failed_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UtcDateTime)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; every stored time is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


# -- IT's control room (app/admin) --------------------------------------------------------
class Group(SQLModel, table=True):
    """A department or team; models can be restricted to groups, and single sign-on maps
    a claim onto them."""

    __tablename__ = "groups"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True, index=True)
    description: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class UserGroup(SQLModel, table=True):
    __tablename__ = "user_groups"

    user_id: int = Field(foreign_key="users.id", primary_key=True)
    group_id: int = Field(foreign_key="groups.id", primary_key=True, index=True)


class ModelEntry(SQLModel, table=True):
    """A model IT configured in the browser (or imported from YAML).

    `model_id` is what clients ask for. The API key comes either from the environment
    variable named in `api_key_env` or, entered in the browser, is stored encrypted in
    `api_key_encrypted` (never shown again, never exported, never audited).
    `roles` and `groups` are JSON lists; an empty list means "no restriction".
    """

    __tablename__ = "model_entries"

    id: int | None = Field(default=None, primary_key=True)
    model_id: str = Field(max_length=200, unique=True, index=True)
    display_name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    location: str = Field(default="", max_length=200)
    litellm_model: str = Field(max_length=300)
    api_base: str | None = Field(default=None, max_length=500)
    api_key_env: str | None = Field(default=None, max_length=200)
    api_key_encrypted: str | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    requests_per_day: int | None = None
    timeout_seconds: float = 60.0
    roles: str = Field(default="[]", max_length=500)
    groups: str = Field(default="[]")
    enabled: bool = True
    is_default: bool = False
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class GuardEntityRule(SQLModel, table=True):
    """IT's action and score threshold for one entity type; the special type "*" holds the
    default action and threshold for every type without a row of its own."""

    __tablename__ = "guard_entity_rules"

    entity_type: str = Field(max_length=64, primary_key=True)
    action: str = Field(max_length=16)
    threshold: float | None = None
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class GuardTermEntry(SQLModel, table=True):
    """One organisation-specific term: `deny` (always treat as personal or confidential,
    replaced with a placeholder of `entity_type`) or `allow` (never redact)."""

    __tablename__ = "guard_terms"
    __table_args__ = (UniqueConstraint("list_kind", "pattern", "is_regex", name="uq_guard_terms_kind_pattern"),)

    id: int | None = Field(default=None, primary_key=True)
    list_kind: str = Field(max_length=8, index=True)  # deny | allow
    pattern: str = Field(max_length=500)
    is_regex: bool = False
    entity_type: str = Field(default="CONFIDENTIAL", max_length=64)
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class ConfigVersion(SQLModel, table=True):
    """A counter per configuration area ("models", "guard", ...), raised on every change.

    Each worker caches what it built from the configuration and compares one small row per
    request, so a change in the control room reaches every process at once without a restart.
    """

    __tablename__ = "config_versions"

    area: str = Field(max_length=32, primary_key=True)
    version: int = 0
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class ConfigFileState(SQLModel, table=True):
    """The configuration file applied at start (`SPIELRAUM_CONFIG_FILE`): its content hash,
    so the file is imported once per change, not by every worker at every start."""

    __tablename__ = "config_file_state"

    name: str = Field(max_length=32, primary_key=True)  # "startup"
    sha256: str = Field(max_length=64)
    applied_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
