"""The per-request map between placeholders and original values.

Placeholders are numbered per entity type in order of first appearance, so pseudonymising
the same conversation again (an API client resending its history, a browser sending back
the mapping it kept) yields the same placeholders. The vault is never persisted by the
server: it lives for one request and is handed back to the user's browser only.

Spelling variants of one value share a placeholder: the key is the normalised view (no
invisible characters, one kind of space, case folded; identifiers without separators).

One person, several ways of naming them: "Katharina Oberländer", later "Frau Oberländer",
"Oberlaender" or the account "k.oberlaender" all get the person's one placeholder. The
mapping stays the flat {placeholder: original} the browser keeps: an alias is recognised
from the words of the full name alone, so both the browser's mapping and an API client's
re-sent history lead to the same placeholders. If the short form came first, the person's
original is upgraded to the full name when it appears. A short form that fits two people
gets a placeholder of its own. What exactly was typed at each occurrence is in the scan
result (`ScanResult.occurrences`), not in the vault.
"""
from __future__ import annotations

import re
from collections import Counter

from guardrails.normalize import normalize

PLACEHOLDER_RE = re.compile(r"\[([A-Z][A-Z0-9_]*?)_(\d{1,4})\]")
# Longest placeholder we ever emit, used to bound buffering while streaming.
MAX_PLACEHOLDER_LEN = 48
# Entity types whose values are names made of words, which short forms may refer to.
NAME_TYPES = frozenset({"PERSON"})
# Types compared by their letters and digits only ("DE89 3704…" is "DE893704…").
_WORDY_TYPES = NAME_TYPES | {"ADDRESS", "LOCATION", "ORGANIZATION", "SECRET"}
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "á": "a",
                           "à": "a", "ó": "o", "ò": "o", "í": "i", "ç": "c", "ñ": "n", "ø": "o",
                           "å": "a", "ł": "l", "ś": "s", "ć": "c", "ń": "n", "ź": "z", "ż": "z",
                           "š": "s", "č": "c", "ř": "r", "ž": "z", "ı": "i", "ş": "s", "ğ": "g"})
_WORD = re.compile(r"[^\W\d_]+")


def normalise(value: str, entity_type: str = "PERSON") -> str:
    """The vault key of a value: case, spacing and invisible characters do not count."""
    view = " ".join(normalize(value).text.split()).casefold()
    if entity_type in _WORDY_TYPES:
        return view
    return "".join(c for c in view if c.isalnum())


def name_words(value: str) -> list[str]:
    """The words of a name, folded so "Oberländer" and "oberlaender" are one word."""
    return _WORD.findall(normalize(value).text.casefold().translate(_TRANSLIT))


class Vault:
    def __init__(self, mapping: dict[str, str] | None = None) -> None:
        self._originals: dict[str, str] = {}
        self._by_value: dict[tuple[str, str], str] = {}
        self._counters: Counter[str] = Counter()
        self._person_words: dict[str, frozenset[str]] = {}
        for placeholder, original in (mapping or {}).items():
            self._adopt(placeholder, original)

    def _adopt(self, placeholder: str, original: str) -> None:
        match = PLACEHOLDER_RE.fullmatch(placeholder) if isinstance(placeholder, str) else None
        if not match or not isinstance(original, str) or not original.strip():
            return  # a malformed entry from a client is ignored, never trusted as a pattern
        entity_type, number = match.group(1), int(match.group(2))
        self._set(placeholder, entity_type, original)
        self._counters[entity_type] = max(self._counters[entity_type], number)

    def _set(self, placeholder: str, entity_type: str, original: str) -> None:
        self._originals[placeholder] = original
        self._by_value.setdefault((entity_type, normalise(original, entity_type)), placeholder)
        if entity_type in NAME_TYPES:
            self._person_words[placeholder] = frozenset(name_words(original))

    def reserve_placeholders_in(self, text: str) -> None:
        """Count placeholders seen in stored history as taken, even without their originals.

        A browser that lost its mapping (another device, cleared storage) must not make
        "[PERSON_1]" mean two people in one conversation: new values continue the numbering.
        """
        for match in PLACEHOLDER_RE.finditer(text):
            entity_type, number = match.group(1), int(match.group(2))
            self._counters[entity_type] = max(self._counters[entity_type], number)

    def placeholder_for(self, entity_type: str, value: str) -> str:
        key = (entity_type, normalise(value, entity_type))
        existing = self._by_value.get(key)
        if existing:
            return existing
        if entity_type in NAME_TYPES:
            alias = self._person_alias(entity_type, value)
            if alias:
                self._by_value[key] = alias
                return alias
        self._counters[entity_type] += 1
        placeholder = f"[{entity_type}_{self._counters[entity_type]}]"
        self._set(placeholder, entity_type, value)
        self._by_value[key] = placeholder
        return placeholder

    def _person_alias(self, entity_type: str, value: str) -> str | None:
        words = name_words(value)
        if not words or not any(len(w) >= 3 for w in words):
            return None
        wanted = set(words)
        prefix = f"[{entity_type}_"
        people = {p: w for p, w in self._person_words.items() if p.startswith(prefix)}
        # A short form of a known person: every word is one of theirs (or its initial).
        part_of = [p for p, known in people.items() if _covers(known, wanted)]
        if len(part_of) == 1:
            return part_of[0]
        if part_of:
            return None
        # The full form of a person first named by a short form: upgrade the original.
        longer = [p for p, known in people.items() if known and _covers(wanted, set(known))]
        if len(longer) == 1 and not any(_covers(known, wanted) for known in people.values()):
            placeholder = longer[0]
            self._set(placeholder, entity_type, value)
            return placeholder
        return None

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


def _covers(known: frozenset[str] | set[str], words: set[str]) -> bool:
    """Is every word in `words` one of `known`, or a one-letter initial of one of them?
    At least one word must be a whole word of three letters or more."""
    whole = False
    for word in words:
        if word in known:
            whole = whole or len(word) >= 3
        elif len(word) == 1 and any(k.startswith(word) for k in known):
            continue
        elif len(word) >= 5 and word[1:] in known and any(k.startswith(word[0]) for k in known if k != word[1:]):
            whole = True  # an account name: initial glued to the surname ("koberlaender")
        else:
            return False
    return whole
