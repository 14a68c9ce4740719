"""The configuration as YAML text: stable, commented, without secrets.

The same configuration always gives the same text (fixed key order, models in the
catalogue's order, terms and groups sorted), apart from the date in the comment header, so
exports can be kept in version control and compared. Fields are written even when empty,
so the file doubles as a template of what can be set. What the header promises (no secrets,
what an import keeps and removes) is what `config_io` does.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any

import yaml
from sqlmodel import Session

from app.admin.config_schema import DEFAULT_TERM_ENTITY
from app.storage import config_store
from app.storage.config_store import DEFAULT_RULE, Snapshot

MODEL_KEYS = ("id", "display_name", "description", "location", "litellm_model", "api_base", "api_key_env",
              "max_tokens", "temperature", "requests_per_day", "timeout_seconds", "roles", "groups", "enabled")


# -- export --------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)  # list items indented under their key


class _Flow(list):
    """A short list written on one line: `roles: [employee, dpo]`."""


class _FlowMap(dict):
    """A small mapping written on one line: `IBAN_CODE: {action: block, threshold: null}`."""


def _represent_str(dumper: yaml.SafeDumper, data: str):
    # A description over several lines reads best as a block; PyYAML falls back to quotes
    # where a block cannot hold the text exactly (e.g. trailing spaces).
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=True))
_Dumper.add_representer(_FlowMap, lambda dumper, data: dumper.represent_mapping(
    "tag:yaml.org,2002:map", data, flow_style=True))


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=100)


def document_data(snapshot: Snapshot) -> dict[str, Any]:
    """The file's content as plain data, in the file's order."""
    models = list(snapshot.models.values())
    default = next((m["id"] for m in models if m["is_default"]), None) \
        or next((m["id"] for m in models if m["enabled"]), None)
    default_rule = snapshot.rules.get(DEFAULT_RULE)
    terms = {"deny": [], "allow": []}
    for (kind, pattern, is_regex), values in sorted(snapshot.terms.items(),
                                                    key=lambda item: (item[0][1].casefold(), item[0][1], item[0][2])):
        term: dict[str, Any] = {"pattern": pattern}
        if is_regex:
            term["regex"] = True
        if values["entity_type"] != DEFAULT_TERM_ENTITY:
            term["entity_type"] = values["entity_type"]
        if values["note"]:
            term["note"] = values["note"]
        terms.setdefault(kind, []).append(term)
    return {
        "version": 1,
        "default_model": default,
        "models": [{key: _Flow(m[key]) if key in ("roles", "groups") else m[key] for key in MODEL_KEYS}
                   for m in models],
        "guard": {
            "default_action": (default_rule["action"] or None) if default_rule else None,
            "score_threshold": default_rule["threshold"] if default_rule else None,
            "entities": {entity_type: _FlowMap(action=rule["action"] or None, threshold=rule["threshold"])
                         for entity_type, rule in sorted(snapshot.rules.items()) if entity_type != DEFAULT_RULE},
            "deny": terms["deny"],
            "allow": terms["allow"],
        },
        "groups": [{"name": name, "description": values["description"]}
                   for name, values in sorted(snapshot.groups.items())],
    }


HEADER = """\
# Spielraum configuration (version 1), exported {date}.
#
# This file holds no secrets. API keys are never exported: a model names the environment
# variable with its key in `api_key_env`; a key entered in the browser stays encrypted in
# the database and is kept when a model with the same id is imported again.{stored}
#
# Import: `spielraum config import FILE` (add --dry-run to see what would change first),
# the page /admin/config, or SPIELRAUM_CONFIG_FILE at start (applied whenever the file changed).
# The file is the whole configuration: models, entity rules and terms that are not in it are
# removed on import. Groups not in it are removed only if nobody is a member and no model
# refers to them. `roles: []` and `groups: []` mean: no restriction.
# Actions: pseudonymize, mask, block, allow. Roles: employee, curator, dpo, admin.
"""


def export_text(snapshot: Snapshot, now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    stored = ""
    if snapshot.stored_keys:
        names = ", ".join(sorted(snapshot.stored_keys))
        stored = f"\n# Models with a key stored in the database (not in this file): {names}."
    data = document_data(snapshot)
    parts = [HEADER.format(date=now.strftime("%Y-%m-%d %H:%M UTC"), stored=stored),
             _dump({"version": data["version"], "default_model": data["default_model"]})]
    parts.append("\n# Models in the order of the catalogue.\n")
    parts.append(_dump({"models": data["models"]}) if data["models"] else "models: []\n")
    parts.append("\n# The guard: the default for every kind of personal data, rules per entity type,\n"
                 "# terms always treated as confidential (deny) and never redacted (allow).\n")
    parts.append(_dump({"guard": data["guard"]}))
    parts.append("\n# Groups (departments) models can be restricted to; members are managed in /admin/users.\n")
    parts.append(_dump({"groups": data["groups"]}) if data["groups"] else "groups: []\n")
    return "".join(parts)


def export_from(session: Session, now: datetime | None = None) -> str:
    return export_text(config_store.read_snapshot(session), now)


def fingerprint(session: Session) -> str:
    """A short hash of the current configuration, to notice a change between preview and confirm."""
    text = export_text(config_store.read_snapshot(session), datetime(2000, 1, 1, tzinfo=timezone.utc))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
