"""Re-find values already known in this conversation, wherever and however they recur.

A value found in one message is personal data in every message of the request, even where
the recognizers would not find it again in a new context ("Oberländer" alone, "oberlaender"
in an account name). So are the values of the vault that the browser sent back. Words of
a full name count on their own too ("Katharina Oberländer" makes "Frau Oberländer" and
"k.oberlaender" hers), unless the word is also an ordinary word ("Vogel", "Koch") or a place.

Terms are searched in the normalised view, so invisible characters inside a recurrence do
not hide it; umlauts match their transliteration ("ä" also as "ae").
"""
from __future__ import annotations

import re

from guardrails.findings import Finding
from guardrails.names import context_rules as rules
from guardrails.names.lexicon import Lexicon
from guardrails.normalize import NormalizedText, normalize
from guardrails.vault import NAME_TYPES, Vault

RECOGNIZER = "ConversationVault"
_MIN_LENGTH = 3
_WORDY_TYPES = NAME_TYPES | {"ADDRESS", "LOCATION", "ORGANIZATION"}
_TRANSLIT = {"ä": "(?:ä|ae)", "ö": "(?:ö|oe)", "ü": "(?:ü|ue)", "ß": "(?:ß|ss)"}
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


class KnownTerms:
    def __init__(self, lexicon: Lexicon) -> None:
        self._lex = lexicon
        self._terms: dict[str, tuple[str, bool]] = {}  # pattern -> (entity_type, is a name part)

    def add_vault(self, vault: Vault) -> None:
        for original, entity_type in vault.known_values():
            self._add(original, entity_type, whole_value=True)

    def add_findings(self, text: str, findings: list[Finding]) -> None:
        for f in findings:
            value = text[f.start:f.end]
            single_word = entity_is_name(f.entity_type) and len(_NAME_WORD.findall(value)) == 1
            if single_word and not self._distinctive(_NAME_WORD.findall(normalize(value).text)[0]):
                continue
            self._add(value, f.entity_type, whole_value=True)

    def _add(self, value: str, entity_type: str, whole_value: bool) -> None:
        view = " ".join(normalize(value).text.split())
        if len(view) >= _MIN_LENGTH:
            self._terms.setdefault(_pattern(view, entity_type), (entity_type, False))
        if entity_is_name(entity_type):
            words = _NAME_WORD.findall(view)
            if len(words) > 1:
                for word in words:
                    if self._distinctive(word):
                        self._terms.setdefault(_name_part_pattern(word), (entity_type, True))

    def _distinctive(self, word: str) -> bool:
        """May this word of a name stand for the person on its own?"""
        lex = self._lex
        lower = word.lower()
        return (len(word) >= _MIN_LENGTH and lower not in rules.TITLES and lower not in rules.PARTICLES
                and not lex.is_common_word(word) and not lex.is_noun(word) and not lex.is_lowercase_word(lower)
                and not lex.is_place(word) and not lex.is_english_word(word) and not lex.is_non_name(word))

    def find(self, view: NormalizedText) -> list[Finding]:
        if not self._terms:
            return []
        found = []
        for pattern, (entity_type, part) in self._terms.items():
            for m in re.finditer(pattern, view.text, flags=re.IGNORECASE):
                start, end = view.to_original(m.start(), m.end())
                found.append(Finding(entity_type, start, end, 1.0 if not part else 0.9, RECOGNIZER))
        return found


def entity_is_name(entity_type: str) -> bool:
    return entity_type in NAME_TYPES


def _letters(value: str) -> str:
    return "".join(_TRANSLIT.get(c.lower(), re.escape(c)) for c in value)


def _pattern(view: str, entity_type: str) -> str:
    if entity_type in _WORDY_TYPES:
        body = r"\s+".join(_letters(w) for w in view.split())
    else:  # identifiers: any of the separators people type between any two characters
        body = r"[\s./-]{0,2}".join(re.escape(c) for c in view if c.isalnum())
    return r"(?<!\w)" + body + r"(?!\w)"


def _name_part_pattern(word: str) -> str:
    """A word of a name alone, also in an account name with an initial ("mschneider", "k.oberlaender")."""
    return r"(?<!\w)(?:(?-i:[a-z])[._-]?)?" + _letters(word) + r"(?!\w)"
