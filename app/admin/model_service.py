"""Changing the models IT configures in the browser: every change raises the `models`
configuration version and is written to the audit log, in one transaction.

`record_change` commits, so it comes last. Snapshots for the log name the sealed key
`api_key_encrypted`, which the change log replaces by "(gesetzt)"/"(leer)": the log shows
that a key was entered or removed, never the key or its ciphertext.
"""
from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.admin.change_log import record_change
from app.chat.model_keys import KeyCipher
from app.storage import model_entries
from app.storage.config_versions import MODELS, bump
from app.storage.tables import ModelEntry, User

AREA = "models"


def snapshot(entry: ModelEntry) -> dict[str, Any]:
    return {
        "model_id": entry.model_id, "display_name": entry.display_name, "description": entry.description,
        "location": entry.location, "litellm_model": entry.litellm_model, "api_base": entry.api_base,
        "api_key_env": entry.api_key_env, "api_key_encrypted": bool(entry.api_key_encrypted),
        "max_tokens": entry.max_tokens, "temperature": entry.temperature,
        "requests_per_day": entry.requests_per_day, "timeout_seconds": entry.timeout_seconds,
        "roles": model_entries.roles_of(entry), "groups": model_entries.groups_of(entry),
        "enabled": entry.enabled, "is_default": entry.is_default,
    }


def _apply(entry: ModelEntry, values: dict[str, Any], key_mode: str, new_key: str, cipher: KeyCipher) -> None:
    for name in ("display_name", "description", "location", "litellm_model", "api_base", "api_key_env",
                 "max_tokens", "temperature", "requests_per_day", "timeout_seconds", "enabled", "is_default"):
        setattr(entry, name, values[name])
    entry.roles = model_entries.as_json_list(values["roles"])
    entry.groups = model_entries.as_json_list(values["groups"])
    if key_mode == "stored":
        if new_key:
            entry.api_key_encrypted = cipher.seal(new_key)
    else:
        entry.api_key_encrypted = None  # switching the key source away removes the stored key


def _commit(session: Session, actor: User, verb: str, entry_model_id: str,
            before: dict | None, after: dict | None) -> None:
    bump(session, MODELS)
    record_change(session, actor, area=AREA, verb=verb, target=f"model:{entry_model_id}", before=before, after=after)


def create(session: Session, actor: User, model_id: str, values: dict[str, Any], key_mode: str, new_key: str,
           cipher: KeyCipher) -> ModelEntry:
    entry = ModelEntry(model_id=model_id, display_name=values["display_name"], litellm_model=values["litellm_model"],
                       position=model_entries.next_position(session))
    _apply(entry, values, key_mode, new_key, cipher)
    model_entries.save(session, entry)
    after = snapshot(entry)
    _commit(session, actor, "create", model_id, None, after)
    return entry


def update(session: Session, actor: User, entry: ModelEntry, values: dict[str, Any], key_mode: str, new_key: str,
           cipher: KeyCipher) -> None:
    before = snapshot(entry)
    _apply(entry, values, key_mode, new_key, cipher)
    model_entries.save(session, entry)
    after = snapshot(entry)
    if key_mode == "stored" and new_key and before["api_key_encrypted"]:
        after["api_key_replaced"] = True  # both sides say "(gesetzt)"; this says it is a new one
    _commit(session, actor, "update", entry.model_id, before, after)


def set_enabled(session: Session, actor: User, entry: ModelEntry, enabled: bool) -> None:
    before = {"enabled": entry.enabled}
    entry.enabled = enabled
    model_entries.save(session, entry)
    _commit(session, actor, "enable" if enabled else "disable", entry.model_id, before, {"enabled": enabled})


def make_default(session: Session, actor: User, entry: ModelEntry) -> None:
    before = {"is_default": entry.is_default}
    entry.is_default = True
    model_entries.save(session, entry)
    _commit(session, actor, "default", entry.model_id, before, {"is_default": True})


def delete(session: Session, actor: User, entry: ModelEntry) -> None:
    before = snapshot(entry)
    model_id = entry.model_id
    model_entries.delete(session, entry)
    _commit(session, actor, "delete", model_id, before, None)
