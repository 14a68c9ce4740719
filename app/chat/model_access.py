"""Who may use which model, and how often: the one check the web chat, the API and the pages share.

A model is offered and callable only if it is in the current catalogue (enabled), the person's
role is among its roles and, when it names groups, the person is in one of them. Anything else
looks exactly like a model that does not exist (`model_not_found`), on the web and the API alike.
A model with `requests_per_day` counts the person's prompts to it since midnight UTC from the
stored exchanges; at the limit the turn stops before anything is scanned, stored or sent (429).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlmodel import Session

from app.chat.model_directory import ModelDirectory
from app.errors import AppError, ModelNotFound
from app.storage import model_entries
from app.storage.groups import group_names_of
from app.storage.tables import User
from providers import Catalogue, ModelSpec, UnknownModel


class DailyLimitReached(AppError):
    status_code = 429
    code = "daily_limit_reached"

    def __init__(self, spec: ModelSpec) -> None:
        limit = spec.requests_per_day
        super().__init__(
            f"Sie haben heute bereits {limit} Anfragen an „{spec.display_name}“ gestellt, so viele wie "
            f"erlaubt. Ab Mitternacht (UTC) geht es wieder; bis dahin können Sie ein anderes Modell wählen.",
            f"You have already sent {limit} requests to “{spec.display_name}” today, the daily limit. "
            f"It resets at midnight (UTC); until then you can choose another model.",
            extra={"model": spec.id, "requests_per_day": limit})


@dataclass(frozen=True)
class Offer:
    """The models one person may choose, and the one preselected for them."""
    models: list[ModelSpec]
    default: ModelSpec | None
    catalogue: Catalogue


def start_of_day(now: datetime | None = None) -> datetime:
    now = now or datetime.now(timezone.utc)
    return now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


def offer_for(session: Session, directory: ModelDirectory, user: User) -> Offer:
    catalogue = directory.catalogue(session)
    groups = group_names_of(session, user.id) if any(spec.groups for spec in catalogue.models) else set()
    return Offer(catalogue.allowed_for(user.role, groups), catalogue.default_for(user.role, groups), catalogue)


def checked_model(session: Session, directory: ModelDirectory, user: User, model_id: str) -> ModelSpec:
    """The model, if this person may call it right now; otherwise ModelNotFound or DailyLimitReached."""
    try:
        spec = directory.catalogue(session).get(model_id)
    except UnknownModel:
        raise ModelNotFound() from None
    if not spec.allows(user.role, group_names_of(session, user.id) if spec.groups else ()):
        raise ModelNotFound()
    if spec.requests_per_day is not None:
        used = model_entries.requests_since(session, user.id, spec.id, start_of_day())
        if used >= spec.requests_per_day:
            raise DailyLimitReached(spec)
    return spec
