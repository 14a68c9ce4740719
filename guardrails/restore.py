"""Put the originals back into a model's answer, for the requesting user only.

Placeholders are looked up as whole tokens in the vault (never used as regular
expressions). A streamed answer may split a placeholder across chunks ("[PER" + "SON_1]"),
so `StreamRestorer` holds back a trailing fragment that could still become a placeholder
and releases it as soon as it either completes or cannot be one.

A link carries what it holds to a third party the moment it is clicked or previewed
(`[Profil](https://x.example/?iban=[IBAN_CODE_1])`). So a placeholder inside a URL, a
Markdown link target or an HTML attribute is never restored: it stays a placeholder and the
result says which placeholders were withheld, so the interface can say why.

Text the user typed that looks like a placeholder was escaped by the guard with fullwidth
brackets ("［PERSON_1］"); restoring turns it back into what the user typed.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from guardrails.vault import MAX_PLACEHOLDER_LEN, PLACEHOLDER_RE, Vault

_POSSIBLE_PREFIX = re.compile(r"[\[［][A-Z0-9_]*\Z")
_ESCAPED = re.compile(r"［([A-Z][A-Z0-9_]*?_\d{1,4})］")
# Text right before a placeholder that puts it inside a link: a scheme or "www." earlier in
# the same run of non-space characters, a Markdown link target "](" or an HTML attribute.
_LINK_CONTEXT = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|\b(?:mailto|tel|sms|callto|data|javascript|file|geo|xmpp|skype):|\bwww\.)"
    r"[^\s\"'<>]*\Z"
    r"|\b[\w-]+(?:\.[\w-]+)+/[^\s\"'<>]*\Z"
    r"|[?&][\w.%-]+=[^\s\"'<>&]*\Z"
    r"|\]\([^\s)]*\Z"
    r"|\b(?:href|src|action|formaction|data|poster|srcset|background|cite|ping)\s*=\s*[\"']?[^\"'>\s]*\Z"
    r"|<[a-z][a-z0-9+.-]*:[^\s>]*\Z"
    r"|\burl\(\s*[\"']?[^)\s]*\Z", re.IGNORECASE)
# How much text before a placeholder is enough to decide (a URL is rarely longer).
LINK_LOOKBEHIND = 2048


@dataclass
class RestoreResult:
    text: str
    # Placeholders left in place because they stood inside a link (each listed once).
    withheld: list[str] = field(default_factory=list)


def escape_placeholders(text: str, keep: Callable[[str], str | None] | None = None) -> str:
    """Make text that looks like a placeholder unmistakably not one (fullwidth brackets).
    With `keep` (a vault's `original`), placeholders it knows stay as they are."""
    if "[" not in text:
        return text

    def escape(m: re.Match) -> str:
        if keep is not None and keep(m.group(0)) is not None:
            return m.group(0)
        return f"［{m.group(0)[1:-1]}］"

    return PLACEHOLDER_RE.sub(escape, text)


def unescape_placeholders(text: str) -> str:
    return _ESCAPED.sub(r"[\1]", text)


def restore_answer(text: str, vault: Vault, before: str = "") -> RestoreResult:
    """Originals back into `text`, except inside links. `before` is earlier answer text
    (placeholders as sent by the model), needed to tell whether `text` starts inside a link."""
    withheld: list[str] = []
    context = before[-LINK_LOOKBEHIND:]

    def swap(match: re.Match) -> str:
        placeholder = match.group(0)
        original = vault.original(placeholder)
        if original is None:
            return placeholder
        preceding = (context + text[max(0, match.start() - LINK_LOOKBEHIND):match.start()])[-LINK_LOOKBEHIND:]
        if in_link(preceding):
            if placeholder not in withheld:
                withheld.append(placeholder)
            return placeholder
        return original

    restored = PLACEHOLDER_RE.sub(swap, text)
    return RestoreResult(unescape_placeholders(restored), withheld)


def restore_text(text: str, vault: Vault) -> str:
    return restore_answer(text, vault).text


def in_link(preceding: str) -> bool:
    """Does a placeholder right after `preceding` stand inside a URL or link target?"""
    tail = preceding[-LINK_LOOKBEHIND:]
    # Only the current run of non-space characters (or an open Markdown target) matters.
    return bool(_LINK_CONTEXT.search(tail[-600:]))


class StreamRestorer:
    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._pending = ""
        self._seen = ""  # answer text already released, as the model sent it
        self.withheld: list[str] = []

    def feed(self, chunk: str) -> str:
        text = self._pending + chunk
        cut = _held_back_from(text)
        self._pending = text[cut:]
        return self._release(text[:cut])

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return self._release(text)

    def _release(self, text: str) -> str:
        result = restore_answer(text, self._vault, self._seen)
        self._seen = (self._seen + text)[-LINK_LOOKBEHIND:]
        self.withheld += [p for p in result.withheld if p not in self.withheld]
        return result.text


def _held_back_from(text: str) -> int:
    """Index where a possibly unfinished placeholder starts, or len(text)."""
    start = max(text.rfind("["), text.rfind("［"))
    if start == -1 or len(text) - start > MAX_PLACEHOLDER_LEN:
        return len(text)
    if _POSSIBLE_PREFIX.match(text, start):
        return start
    return len(text)
