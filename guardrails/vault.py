"""The per-request map between placeholders and original values.

Placeholders are numbered per entity type in order of first appearance, so pseudonymising
the same conversation again (an API client resending its history, a browser sending back
the mapping it kept) yields the same placeholders. The vault is never persisted by the
server: it lives for one request and is handed back to the user's browser only.
"""
from __future__ import annotations

import re
from collections import Counter

PLACEHOLDER_RE = re.compile(r"\[([A-Z][A-Z0-9_]*?)_(\d{1,4})\]")
# Longest placeholder we ever emit, used to bound buffering while streaming.
MAX_PLACEHOLDER_LEN = 48


def normalise(value: str) -> str:
    """Spelling variants of one value share a placeholder: case and spacing do not count."""
    return " ".join(value.split()).casefold()


class Vault:
    def __init__(self, mapping: dict[str, str] | None = None) -> None:
        self._originals: dict[str, str] = {}
        self._by_value: dict[tuple[str, str], str] = {}
        self._counters: Counter[str] = Counter()
        for placeholder, original in (mapping or {}).items():
            self._adopt(placeholder, original)

    def _adopt(self, placeholder: str, original: str) -> None:
        match = PLACEHOLDER_RE.fullmatch(placeholder)
        if not match or not isinstance(original, str) or not original.strip():
            return  # a malformed entry from a client is ignored, never trusted as a pattern
        entity_type, number = match.group(1), int(match.group(2))
        self._originals[placeholder] = original
        self._by_value.setdefault((entity_type, normalise(original)), placeholder)
        self._counters[entity_type] = max(self._counters[entity_type], number)

    def reserve_placeholders_in(self, text: str) -> None:
        """Count placeholders seen in stored history as taken, even without their originals.

        A browser that lost its mapping (another device, cleared storage) must not make
        "[PERSON_1]" mean two people in one conversation: new values continue the numbering.
        """
        for match in PLACEHOLDER_RE.finditer(text):
            entity_type, number = match.group(1), int(match.group(2))
            self._counters[entity_type] = max(self._counters[entity_type], number)

    def placeholder_for(self, entity_type: str, value: str) -> str:
        key = (entity_type, normalise(value))
        existing = self._by_value.get(key)
        if existing:
            return existing
        self._counters[entity_type] += 1
        placeholder = f"[{entity_type}_{self._counters[entity_type]}]"
        self._originals[placeholder] = value
        self._by_value[key] = placeholder
        return placeholder

    def original(self, placeholder: str) -> str | None:
        return self._originals.get(placeholder)

    def known_values(self) -> list[tuple[str, str]]:
        """(original, entity_type) pairs, longest first, for re-finding known values."""
        pairs = [(orig, PLACEHOLDER_RE.fullmatch(ph).group(1)) for ph, orig in self._originals.items()]
        return sorted(pairs, key=lambda p: -len(p[0]))

    def as_mapping(self) -> dict[str, str]:
        return dict(self._originals)

    def __len__(self) -> int:
        return len(self._originals)
