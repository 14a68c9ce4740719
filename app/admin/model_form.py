"""The model form: what IT typed, checked field by field, with a message key for each problem.

Kept apart from the routes so the rules read in one place and can be tested without HTTP.
The API key field is write-only: it is never put back into the form, and an empty field on
an edit keeps the stored key (`key_mode` "stored" with a key already sealed).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from providers import CatalogueError, provider_of
from providers.catalogue import KNOWN_ROLES

MODEL_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,199}$")
KEY_MODES = ("none", "env", "stored")
LOCATION_SUGGESTIONS = ("EU-Rechenzentrum", "lokal", "USA")


@dataclass
class ModelForm:
    """The form's values as text (to show them again) and, once valid, as typed values."""
    model_id: str = ""
    display_name: str = ""
    description: str = ""
    location: str = ""
    litellm_model: str = ""
    api_base: str = ""
    key_mode: str = "none"
    api_key_env: str = ""
    max_tokens: str = ""
    temperature: str = ""
    requests_per_day: str = ""
    timeout_seconds: str = "60"
    roles: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    enabled: bool = True
    is_default: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    # Never shown: the key typed into the password field, only to be sealed.
    new_api_key: str = field(default="", repr=False)

    @classmethod
    def from_post(cls, data: dict[str, Any], *, roles: list[str], groups: list[str]) -> "ModelForm":
        text = {name: str(data.get(name) or "").strip() for name in (
            "model_id", "display_name", "description", "location", "litellm_model", "api_base", "key_mode",
            "api_key_env", "max_tokens", "temperature", "requests_per_day", "timeout_seconds")}
        return cls(**text, roles=roles, groups=groups, enabled=bool(data.get("enabled")),
                   is_default=bool(data.get("is_default")), new_api_key=str(data.get("api_key") or "").strip())

    def validate(self, *, taken_ids: set[str], known_groups: list[str], has_stored_key: bool,
                 editing: bool) -> dict[str, Any]:
        """The typed values for the table row; problems go to `self.errors` (field -> string key)."""
        errors = self.errors
        if not editing:
            if not MODEL_ID_RE.fullmatch(self.model_id):
                errors["model_id"] = "admin_models_err_model_id"
            elif self.model_id in taken_ids:
                errors["model_id"] = "admin_models_err_model_id_taken"
        if not self.display_name or len(self.display_name) > 200:
            errors["display_name"] = "admin_models_err_display_name"
        if len(self.description) > 2000:
            errors["description"] = "admin_models_err_description"
        if len(self.location) > 200:
            errors["location"] = "admin_models_err_location"
        self._check_model_string()
        self._check_api_base()
        self._check_key(has_stored_key)
        values: dict[str, Any] = {
            "max_tokens": self._number("max_tokens", int, minimum=1, maximum=1_000_000),
            "temperature": self._number("temperature", float, minimum=0, maximum=2),
            "requests_per_day": self._number("requests_per_day", int, minimum=1, maximum=1_000_000),
            "timeout_seconds": self._number("timeout_seconds", float, minimum=1, maximum=3600) or 60.0,
        }
        if any(role not in KNOWN_ROLES for role in self.roles):
            errors["roles"] = "admin_models_err_roles"
        if any(group not in known_groups for group in self.groups):
            errors["groups"] = "admin_models_err_groups"
        values.update(display_name=self.display_name, description=self.description, location=self.location,
                      litellm_model=self.litellm_model, api_base=self.api_base or None,
                      api_key_env=self.api_key_env if self.key_mode == "env" else None,
                      roles=sorted(set(self.roles)), groups=sorted(set(self.groups)),
                      enabled=self.enabled, is_default=self.is_default)
        return values

    def _check_model_string(self) -> None:
        if not self.litellm_model or len(self.litellm_model) > 300:
            self.errors["litellm_model"] = "admin_models_err_litellm_model"
            return
        try:
            provider_of(self.litellm_model)
        except CatalogueError:
            self.errors["litellm_model"] = "admin_models_err_litellm_provider"

    def _check_api_base(self) -> None:
        if not self.api_base:
            return
        parsed = urlparse(self.api_base)
        if parsed.scheme not in ("http", "https") or not parsed.hostname or len(self.api_base) > 500:
            self.errors["api_base"] = "admin_models_err_api_base"
        elif parsed.username or parsed.password:
            # A key in the URL would be shown on the form and in the audit log.
            self.errors["api_base"] = "admin_models_err_api_base_credentials"

    def _check_key(self, has_stored_key: bool) -> None:
        if self.key_mode not in KEY_MODES:
            self.errors["key_mode"] = "admin_models_err_key_mode"
        elif self.key_mode == "env" and not ENV_NAME_RE.fullmatch(self.api_key_env):
            self.errors["api_key_env"] = "admin_models_err_api_key_env"
        elif self.key_mode == "stored" and not self.new_api_key and not has_stored_key:
            self.errors["api_key"] = "admin_models_err_api_key_missing"
        elif self.key_mode == "stored" and len(self.new_api_key) > 4000:
            self.errors["api_key"] = "admin_models_err_api_key_long"

    def _number(self, name: str, kind: type, *, minimum: float, maximum: float) -> Any:
        raw = getattr(self, name).replace(",", ".") if kind is float else getattr(self, name)
        if raw == "":
            return None
        try:
            value = kind(raw)
        except ValueError:
            self.errors[name] = f"admin_models_err_{name}"
            return None
        if not minimum <= value <= maximum:
            self.errors[name] = f"admin_models_err_{name}"
            return None
        return value
