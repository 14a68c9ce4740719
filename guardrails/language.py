"""A cheap guess whether a prompt is German or English.

Prompts arrive without a language tag. German is the default; only text that is clearly
English (by its function words) is analysed with the English recognizers.
"""
from __future__ import annotations

import re

_WORD = re.compile(r"[a-zäöüß]+")
_DE = frozenset("der die das und ist nicht ich sie wir ein eine mit für auf dem den des bitte sehr zu von im wie".split())
_EN = frozenset("the and is are not you we a an with for on of please to my your this that what how".split())


def guess_language(text: str, default: str = "de") -> str:
    words = _WORD.findall(text.lower())
    de = sum(w in _DE for w in words)
    en = sum(w in _EN for w in words)
    if en > de * 1.5 and en >= 2:
        return "en"
    return default
