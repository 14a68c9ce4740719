"""The configuration file's shape (version 1), validated strictly.

Strict on purpose: an unknown key is an error (a typo such as `temprature` must not be
ignored silently), and values are not coerced (`"60"` is not a number; a YAML value that
looks like a number but is meant as a name has to be quoted). Only the guard's actions are
matched by their text, against `guardrails.Action`.

What the file does not hold: API keys. `api_key_env` names the environment variable; a key
entered in the browser stays encrypted in the database and is kept when a model of the same
id is imported. A field named like a key is refused with a hint (see `SECRET_KEYS`).

Checks across entries (unique ids, the default model, groups a model refers to, regular
expressions that compile) are in `cross_check`, which reports paths like pydantic's so the
caller can map every problem to its line.
"""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.storage.tables import ROLES
from guardrails import Action, regex_problem

DEFAULT_TERM_ENTITY = "CONFIDENTIAL"
DEFAULT_TIMEOUT_SECONDS = 60.0
# Keys that would carry a secret; refused with a hint instead of "extra inputs are not permitted".
SECRET_KEYS = frozenset({"api_key", "api_key_encrypted", "key", "secret", "password", "token"})
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ENTITY_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _env_name(value: str | None) -> str | None:
    if value and not _ENV_NAME.match(value):  # "" is what an emptied browser field may have stored
        raise ValueError("must be the name of an environment variable (letters, digits, _), not the key itself")
    return value


def _no_password_in_url(value: str | None) -> str | None:
    if value is None:
        return value
    try:
        parts = urlsplit(value)
    except ValueError:
        raise ValueError("is not a valid URL") from None
    if parts.password is not None:
        raise ValueError("must not contain a password; name an environment variable in api_key_env instead")
    return value


def _entity_type(value: str) -> str:
    if len(value) > 64 or not _ENTITY_TYPE.match(value):
        raise ValueError("an entity type is written in capitals, digits and _, e.g. IBAN_CODE")
    return value


def _names_unique(values: list[str]) -> list[str]:
    doubled = sorted({value for value in values if values.count(value) > 1})
    if doubled:
        raise ValueError(f"named more than once: {', '.join(doubled)}")
    return values


def _roles_known(values: list[str]) -> list[str]:
    unknown = sorted(set(values) - set(ROLES))
    if unknown:
        raise ValueError(f"unknown role(s) {', '.join(unknown)}; known roles are {', '.join(ROLES)}")
    return values


EntityType = Annotated[str, AfterValidator(_entity_type)]
# An allow term's type means nothing; the browser may have stored it empty.
TermEntityType = Annotated[str, AfterValidator(lambda value: value and _entity_type(value))]
ActionField = Annotated[Action, Field(strict=False)]  # matched by its text ("mask")
Name = Annotated[str, Field(min_length=1, max_length=64)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class ModelConfig(_Strict):
    """One model (a `ModelEntry` row without its stored key, position and default flag)."""

    id: str = Field(min_length=1, max_length=200)
    display_name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    location: str = Field(default="", max_length=200)
    litellm_model: str = Field(min_length=1, max_length=300)
    api_base: Annotated[str | None, AfterValidator(_no_password_in_url)] = Field(default=None, max_length=500)
    api_key_env: Annotated[str | None, AfterValidator(_env_name)] = Field(default=None, max_length=200)
    max_tokens: int | None = Field(default=None, gt=0)
    temperature: float | None = Field(default=None, ge=0, le=2)
    requests_per_day: int | None = Field(default=None, ge=0)
    timeout_seconds: float = Field(default=DEFAULT_TIMEOUT_SECONDS, gt=0)
    # Empty: no restriction (every role, every group), as in the ModelEntry table.
    roles: Annotated[list[str], AfterValidator(_roles_known), AfterValidator(_names_unique)] = []
    groups: Annotated[list[Name], AfterValidator(_names_unique)] = []
    enabled: bool = True


class EntityRule(_Strict):
    # null: this type follows the default action and only sets its own threshold
    # (a rule row with an empty action, as the guard policy page stores it).
    action: ActionField | None = None
    threshold: float | None = Field(default=None, ge=0, le=1)


class TermConfig(_Strict):
    pattern: str = Field(min_length=1, max_length=500)
    regex: bool = False
    entity_type: TermEntityType = DEFAULT_TERM_ENTITY
    note: str = Field(default="", max_length=500)


class GuardConfig(_Strict):
    # Both empty: no rule of IT's own; the guard's start-up policy (SPIELRAUM_GUARD_POLICY_FILE
    # or the built-in default, pseudonymise) applies.
    default_action: ActionField | None = None
    score_threshold: float | None = Field(default=None, ge=0, le=1)
    entities: dict[EntityType, EntityRule] = {}
    deny: list[TermConfig] = []
    allow: list[TermConfig] = []


class GroupConfig(_Strict):
    name: Name
    description: str = Field(default="", max_length=500)


class ConfigDocument(_Strict):
    version: Literal[1]
    default_model: str | None = None
    models: list[ModelConfig] = []
    guard: GuardConfig = GuardConfig()
    groups: list[GroupConfig] = []


def secret_key_problems(data: Any) -> list[tuple[tuple, str]]:
    """Keys that look like a secret's, anywhere in a model entry: refused with a hint, never echoed."""
    found = []
    if isinstance(data, dict) and isinstance(data.get("models"), list):
        for index, entry in enumerate(data["models"]):
            if isinstance(entry, dict):
                for key in entry:
                    if str(key).lower() in SECRET_KEYS:
                        found.append((("models", index, key),
                                      "secrets do not belong in this file: name the environment variable "
                                      "in api_key_env, or enter the key in the browser (/admin/models)"))
    return found


def cross_check(document: ConfigDocument, known_groups: set[str]) -> list[tuple[tuple, str]]:
    """Problems between entries, as (path, message); `known_groups` are the database's groups."""
    problems: list[tuple[tuple, str]] = []
    first_model: dict[str, int] = {}
    for index, model in enumerate(document.models):
        if model.id in first_model:
            problems.append((("models", index, "id"), f"the id is used by models[{first_model[model.id]}] already"))
        first_model.setdefault(model.id, index)
    problems += _default_problems(document, first_model)
    problems += _group_problems(document, known_groups)
    problems += _guard_problems(document.guard)
    return problems


def _default_problems(document: ConfigDocument, first_model: dict[str, int]) -> list[tuple[tuple, str]]:
    if document.default_model is None:
        if document.models:
            return [(("default_model",), "exactly one default model is needed: name one of the models' ids")]
        return []
    if document.default_model not in first_model:
        return [(("default_model",), "names no model in this file")]
    if not document.models[first_model[document.default_model]].enabled:
        return [(("default_model",), "the default model must be enabled")]
    return []


def _group_problems(document: ConfigDocument, known_groups: set[str]) -> list[tuple[tuple, str]]:
    problems = []
    seen: dict[str, int] = {}
    for index, group in enumerate(document.groups):
        if group.name in seen:
            problems.append((("groups", index, "name"), f"the group is listed as groups[{seen[group.name]}] already"))
        seen.setdefault(group.name, index)
    available = set(seen) | known_groups
    for index, model in enumerate(document.models):
        for position, name in enumerate(model.groups):
            if name not in available:
                problems.append((("models", index, "groups", position),
                                 "unknown group: add it under `groups` (or in /admin/groups)"))
    return problems


_REGEX_PROBLEMS = {
    "too_long": "longer than the allowed length",
    "backreference": "back-references are not allowed",
    "nested_repetition": "a repetition inside a repetition can run for ever; write e.g. [ab]+ instead of (a|ab)*",
    "too_slow": "too slow on long input",
    "empty": "empty",
    "invalid": "cannot be used",
}


def _guard_problems(guard: GuardConfig) -> list[tuple[tuple, str]]:
    problems = []
    for kind in ("deny", "allow"):
        seen: dict[tuple[str, bool], int] = {}
        for index, term in enumerate(getattr(guard, kind)):
            key = (term.pattern, term.regex)
            if key in seen:
                problems.append((("guard", kind, index, "pattern"), f"listed as {kind}[{seen[key]}] already"))
            seen.setdefault(key, index)
            if kind == "deny" and not term.entity_type:
                problems.append((("guard", kind, index, "entity_type"), "a deny term needs an entity type"))
            if term.regex:
                try:
                    re.compile(term.pattern)
                except re.error as exc:
                    # The compiler's reason and position, not the pattern (it may be sensitive).
                    problems.append((("guard", kind, index, "pattern"),
                                     f"not a valid regular expression: {exc.msg} at position {exc.pos}"))
                    continue
                # The same safety rules as the browser form: it runs on every prompt.
                problem = regex_problem(term.pattern)
                if problem:
                    problems.append((("guard", kind, index, "pattern"),
                                     f"regular expression refused ({_REGEX_PROBLEMS.get(problem, problem)})"))
    return problems
