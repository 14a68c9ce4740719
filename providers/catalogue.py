"""The model catalogue: which models this installation offers, to whom, and within which limits.

Design choice: the catalogue is a plain YAML file the operator edits (named by
``SPIELRAUM_MODELS_FILE``), validated strictly at start-up so a typo fails loudly with the
file, the entry and the field named, instead of surfacing later as a confusing upstream error.

Secrets never live in the catalogue: an entry names the *environment variable* holding its
API key (``api_key_env``), and the key is read only at call time, so it is never stored on
the spec, printed in its repr, or logged. A model IT configured in the browser may instead
carry a *key source* (``with_key_source``): a callable the app hands in that decrypts the
stored key at call time; it is a private attribute, so it is in no repr, dump or export.

Access: a model is for the roles in ``roles`` and, when ``groups`` is non-empty, only for
members of one of those groups; ``requests_per_day`` caps one person's calls per day (the app
counts them). ``default: true`` marks the model the chat preselects (else the first one).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from providers.errors import UnknownModel

KNOWN_ROLES: tuple[str, ...] = ("employee", "curator", "dpo", "admin")

# Local servers (vLLM, Ollama, llama.cpp) accept any key, but the OpenAI client insists on one.
PLACEHOLDER_API_KEY = "unused"


class CatalogueError(Exception):
    """The model catalogue file cannot be used; the message says which file, entry and field."""


class ModelSpec(BaseModel):
    """One model as the operator configured it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    display_name: str = Field(min_length=1)
    litellm_model: str = Field(min_length=1)
    api_base: str | None
    api_key_env: str | None
    description: str = ""
    # Where the model runs, as IT labels it (e.g. "Rechenzentrum Land, Frankfurt"); shown in the
    # DPO's record of processing.
    location: str = ""
    max_tokens: int | None = Field(default=None, gt=0)
    temperature: float | None = Field(default=None, ge=0, le=2)
    timeout_seconds: float = Field(default=60, gt=0)
    # A stream's whole duration, and the longest silence between chunks (default: timeout_seconds).
    # Unset deadline: the app's SPIELRAUM_STREAM_DEADLINE_SECONDS applies.
    stream_deadline_seconds: float | None = Field(default=None, gt=0)
    stream_idle_seconds: float | None = Field(default=None, gt=0)
    roles: tuple[str, ...] = KNOWN_ROLES
    # Empty: everyone with one of `roles`; otherwise only members of at least one of these groups.
    groups: tuple[str, ...] = ()
    # How many prompts one person may send to this model per day (UTC); unset: no limit.
    requests_per_day: int | None = Field(default=None, gt=0)
    # The model the chat preselects; at most one per catalogue (else the first model is it).
    default: bool = False

    _key_source: Callable[[], str | None] | None = PrivateAttr(default=None)

    @field_validator("roles")
    @classmethod
    def _roles_are_known(cls, roles: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(roles) - set(KNOWN_ROLES))
        if unknown:
            raise ValueError(
                f"unknown role(s) {unknown}; allowed are {list(KNOWN_ROLES)}"
            )
        return roles

    def with_key_source(self, source: Callable[[], str | None]) -> "ModelSpec":
        """A copy whose API key comes from ``source()`` at call time (e.g. decrypting a stored key)."""
        copy = self.model_copy()
        copy._key_source = source
        return copy

    def api_key(self) -> str:
        """The API key, read now so a rotated key needs no restart: the key source if there is
        one, else the environment variable; the placeholder when neither gives a key."""
        if self._key_source is not None:
            return self._key_source() or PLACEHOLDER_API_KEY
        if not self.api_key_env:
            return PLACEHOLDER_API_KEY
        return os.environ.get(self.api_key_env) or PLACEHOLDER_API_KEY

    def allows(self, role: str, groups: Iterable[str] = ()) -> bool:
        """May a person with this role, in these groups, use the model?"""
        if role not in self.roles:
            return False
        return not self.groups or bool(set(self.groups) & set(groups))


class Catalogue:
    """The validated list of models, in the operator's order.

    The default is the model marked ``default`` (the first marked one), else the first model."""

    def __init__(self, models: Iterable[ModelSpec]) -> None:
        self._models = list(models)
        self._by_id: dict[str, ModelSpec] = {}
        for spec in self._models:
            if spec.id in self._by_id:
                raise CatalogueError(f"duplicate model id {spec.id!r}")
            self._by_id[spec.id] = spec

    @property
    def models(self) -> list[ModelSpec]:
        return list(self._models)

    def get(self, model_id: str) -> ModelSpec:
        try:
            return self._by_id[model_id]
        except KeyError:
            raise UnknownModel(f"model {model_id!r} is not in the catalogue", model_id=model_id) from None

    def allowed_for(self, role: str, groups: Iterable[str] = ()) -> list[ModelSpec]:
        groups = frozenset(groups)
        return [spec for spec in self._models if spec.allows(role, groups)]

    @property
    def default(self) -> ModelSpec | None:
        marked = [spec for spec in self._models if spec.default]
        return marked[0] if marked else (self._models[0] if self._models else None)

    def default_for(self, role: str, groups: Iterable[str] = ()) -> ModelSpec | None:
        """The model to preselect for this person: the default if they may use it, else their first."""
        allowed = self.allowed_for(role, groups)
        default = self.default
        if default is not None and any(spec is default for spec in allowed):
            return default
        return allowed[0] if allowed else None

    def __contains__(self, model_id: object) -> bool:
        return model_id in self._by_id

    def __len__(self) -> int:
        return len(self._models)

    def __repr__(self) -> str:
        return f"Catalogue({[spec.id for spec in self._models]!r})"


def load_catalogue(path: str | os.PathLike[str]) -> Catalogue:
    """Read and validate the YAML catalogue; raise CatalogueError naming what is wrong and where."""
    path = Path(path)
    raw = _read_yaml(path)
    entries = _model_entries(raw, path)
    specs = [_parse_entry(entry, index, path) for index, entry in enumerate(entries)]
    _reject_duplicates(specs, path)
    defaults = [spec.id for spec in specs if spec.default]
    if len(defaults) > 1:
        raise CatalogueError(f"model catalogue {path}: more than one default model ({', '.join(defaults)})")
    return Catalogue(specs)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogueError(f"model catalogue file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"model catalogue file {path} cannot be read: {exc}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1}, column {mark.column + 1}"
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CatalogueError(f"model catalogue {path} is not valid YAML{where}: {problem}") from None


def _model_entries(raw: Any, path: Path) -> list[Any]:
    if not isinstance(raw, dict) or "models" not in raw:
        raise CatalogueError(f"model catalogue {path} must be a mapping with a 'models' list")
    entries = raw["models"]
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"model catalogue {path}: 'models' must be a non-empty list")
    return entries


def _parse_entry(entry: Any, index: int, path: Path) -> ModelSpec:
    label = f"models[{index}]"
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        label += f" (id {entry['id']!r})"
    if not isinstance(entry, dict):
        raise CatalogueError(f"model catalogue {path}: {label} must be a mapping")
    try:
        return ModelSpec.model_validate(entry)
    except ValidationError as exc:
        problems = "; ".join(_describe(error) for error in exc.errors())
        raise CatalogueError(f"model catalogue {path}: {label}: {problems}") from None


def _describe(error: dict[str, Any]) -> str:
    field = ".".join(str(part) for part in error["loc"]) or "entry"
    if error["type"] == "missing":
        return f"field {field!r} is required"
    if error["type"] == "extra_forbidden":
        return f"unknown field {field!r}"
    # Only the validator's message, never the offending input: a mistyped key could be pasted here.
    return f"field {field!r}: {error['msg']}"


def _reject_duplicates(specs: list[ModelSpec], path: Path) -> None:
    seen: set[str] = set()
    for spec in specs:
        if spec.id in seen:
            raise CatalogueError(f"model catalogue {path}: duplicate model id {spec.id!r}")
        seen.add(spec.id)
