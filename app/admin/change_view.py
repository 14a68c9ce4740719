"""An audit entry of the control room as a small table: field, before, after.

Entries come from every part of the control room (`record_change(before=..., after=...)`)
and from imports (one entry per area, keyed by model id, entity type or group). Both are
flattened into dotted field names (`llama.temperature`) and only fields whose value differs
are shown, so a person sees what changed without reading JSON.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from app.storage.tables import AuditEntry

MAX_ROWS = 200
_MISSING = object()


@dataclass
class ChangeView:
    entry: AuditEntry
    area: str
    verb: str
    rows: list[tuple[str, str, str]] = field(default_factory=list)   # field, before, after
    hidden_rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict) and value:
        flat: dict[str, Any] = {}
        for key, inner in value.items():
            flat.update(_flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: value} if prefix else {}


def _show(value: Any) -> str:
    if value is _MISSING or value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def view(entry: AuditEntry) -> ChangeView:
    parts = entry.action.split(".")
    result = ChangeView(entry, parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else "")
    try:
        detail = json.loads(entry.detail or "{}")
    except ValueError:
        detail = {}
    if not isinstance(detail, dict):
        detail = {}
    before, after = _flatten(detail.get("before") or {}), _flatten(detail.get("after") or {})
    rows = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, _MISSING), after.get(name, _MISSING)
        if _show(old) != _show(new):
            rows.append((name, _show(old), _show(new)))
    result.rows, result.hidden_rows = rows[:MAX_ROWS], max(0, len(rows) - MAX_ROWS)
    counts = detail.get("counts")
    if isinstance(counts, dict):
        result.counts = {k: v for k, v in counts.items() if isinstance(v, int) and v}
    return result
