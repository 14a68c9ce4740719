"""The current model catalogue: the file's (or built-in) models plus the ones IT added in the browser.

Design choice: every process keeps the catalogue it built together with the `models`
configuration version it built it from. `catalogue()` reads that one small row (primary-key
lookup) on each request and rebuilds only when the version moved, so a change made in the
control room on any worker applies to every worker at the next request, without a restart or
a message bus. `peek()` returns the last build without touching the database (for /healthz,
which must answer while the pool is exhausted).

Models from `SPIELRAUM_MODELS_FILE` or built in (the demo model) come first and are read-only
in the browser; enabled `ModelEntry` rows follow in their configured order. A browser entry
marked default takes the default from the file's models, so there is always exactly one.
A browser entry whose id a file model already uses is left out (the form prevents it).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.chat.model_keys import KeyCipher
from app.storage import model_entries
from app.storage.config_versions import MODELS, VersionedValue
from app.storage.tables import ModelEntry
from providers import Catalogue, ModelSpec
from providers.catalogue import KNOWN_ROLES

log = logging.getLogger("spielraum.models")

SOURCE_FILE = "file"
SOURCE_BUILTIN = "builtin"
SOURCE_ADMIN = "admin"


@dataclass(frozen=True)
class BaseModels:
    """The models that do not live in the database, and where each one comes from."""
    catalogue: Catalogue
    sources: dict[str, str]

    def source_of(self, model_id: str) -> str:
        return self.sources.get(model_id, SOURCE_FILE)


def spec_from_entry(entry: ModelEntry, cipher: KeyCipher) -> ModelSpec:
    roles = tuple(role for role in KNOWN_ROLES if role in model_entries.roles_of(entry)) or KNOWN_ROLES
    spec = ModelSpec(
        id=entry.model_id, display_name=entry.display_name, litellm_model=entry.litellm_model,
        api_base=entry.api_base or None, api_key_env=entry.api_key_env or None,
        description=entry.description, location=entry.location, max_tokens=entry.max_tokens,
        temperature=entry.temperature, timeout_seconds=entry.timeout_seconds, roles=roles,
        groups=tuple(model_entries.groups_of(entry)), requests_per_day=entry.requests_per_day,
        default=entry.is_default)
    if entry.api_key_encrypted:
        spec = spec.with_key_source(cipher.source(entry.api_key_encrypted))
    return spec


def build_catalogue(base: Catalogue, entries: list[ModelEntry], cipher: KeyCipher) -> Catalogue:
    taken = {spec.id for spec in base.models}
    added: list[ModelSpec] = []
    for entry in entries:
        if entry.model_id in taken:
            log.warning("models.id_taken_by_file", extra={"model": entry.model_id})
            continue
        try:
            added.append(spec_from_entry(entry, cipher))
        except ValueError as exc:  # a row edited by hand into something invalid: skip it, say which
            log.error("models.entry_invalid", extra={"model": entry.model_id, "error_type": type(exc).__name__})
            continue
        taken.add(entry.model_id)
    specs = list(base.models) + added
    chosen = next((spec for spec in added if spec.default), None)
    if chosen is not None:  # IT's choice in the browser wins over the file's `default: true`
        specs = [spec if spec is chosen or not spec.default else spec.model_copy(update={"default": False})
                 for spec in specs]
    return Catalogue(specs)


class ModelDirectory:
    def __init__(self, engine: Engine, base: BaseModels, cipher: KeyCipher) -> None:
        self._engine = engine
        self.base = base
        self.cipher = cipher
        self._current = VersionedValue(MODELS, self._rebuild, base.catalogue)

    def _rebuild(self, session: Session) -> Catalogue:
        catalogue = build_catalogue(self.base.catalogue, model_entries.enabled_entries(session), self.cipher)
        log.info("models.rebuilt", extra={"models": len(catalogue)})
        return catalogue

    def catalogue(self, session: Session | None = None) -> Catalogue:
        """The current catalogue; one small query, a rebuild only when the version moved.
        Call it off the event loop (it reads the database)."""
        if session is None:
            with Session(self._engine) as own:
                return self._current.get(own)
        return self._current.get(session)

    def peek(self) -> Catalogue:
        """The last catalogue built, without asking the database."""
        return self._current.peek()

    def source_of(self, model_id: str) -> str:
        return self.base.source_of(model_id) if model_id in self.base.catalogue else SOURCE_ADMIN
