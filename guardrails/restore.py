"""Put the originals back into a model's answer, for the requesting user only.

Placeholders are looked up as whole tokens in the vault (never used as regular
expressions). A streamed answer may split a placeholder across chunks ("[PER" + "SON_1]"),
so `StreamRestorer` holds back a trailing fragment that could still become a placeholder
and releases it as soon as it either completes or cannot be one.
"""
from __future__ import annotations

import re

from guardrails.vault import MAX_PLACEHOLDER_LEN, PLACEHOLDER_RE, Vault

_POSSIBLE_PREFIX = re.compile(r"\[[A-Z0-9_]*\Z")


def restore_text(text: str, vault: Vault) -> str:
    def swap(match: re.Match) -> str:
        original = vault.original(match.group(0))
        return original if original is not None else match.group(0)

    return PLACEHOLDER_RE.sub(swap, text)


class StreamRestorer:
    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._pending = ""

    def feed(self, chunk: str) -> str:
        text = self._pending + chunk
        cut = _held_back_from(text)
        self._pending = text[cut:]
        return restore_text(text[:cut], self._vault)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return restore_text(text, self._vault)


def _held_back_from(text: str) -> int:
    """Index where a possibly unfinished placeholder starts, or len(text)."""
    start = text.rfind("[")
    if start == -1 or len(text) - start > MAX_PLACEHOLDER_LEN:
        return len(text)
    if _POSSIBLE_PREFIX.match(text, start):
        return start
    return len(text)
