"""IBANs, compact or in groups of four (spaces, dashes or dots), validated by `schwifty`.

`schwifty` checks the ISO 13616 checksum and each country's BBAN layout, so a typo or a
random string of the right length is refused. A greedy group pattern can swallow a trailing
word or number ("… 0875 72 BIC …"); instead of a cleverer regex, the recognizer tries the
candidate and then shorter versions of it, group by group, and keeps the longest that is valid.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from guardrails.recognizers.de._common import VALIDATED_STRONG, Candidate, CandidateRecognizer

_IBAN = re.compile(
    r"(?<![\w])[A-Z]{2}\d{2}"
    r"(?:[ ]?[A-Z0-9]{4}){2,7}"
    r"(?:[ ]?[A-Z0-9]{1,3})?"
    r"(?![\w])", re.IGNORECASE)
# Grouped with dashes or dots instead ("DE89-3704-0044-…", "DE89.3704.0044.…"), one kind throughout.
_IBAN_PUNCTUATED = re.compile(
    r"(?<![\w.-])[A-Z]{2}\d{2}([.-])[A-Z0-9]{4}(?:\1[A-Z0-9]{4}){1,6}(?:\1[A-Z0-9]{1,3})?(?![\w]|[.-]\w)",
    re.IGNORECASE)
_GROUP_END = re.compile(r"[ .-]?[A-Z0-9]{1,4}$", re.IGNORECASE)
_MIN_LENGTH = 15  # Norway, the shortest IBAN


def is_valid_iban(value: str) -> bool:
    try:
        IBAN(re.sub(r"[ .-]", "", value).upper())
    except (SchwiftyException, ValueError):
        return False
    return True


class IbanRecognizer(CandidateRecognizer):
    ENTITY = "IBAN_CODE"
    LANGUAGES = ("de", "en")
    CONTEXT = ["iban", "bankverbindung", "konto", "kontonummer", "überweisung", "bank", "account"]

    def candidates(self, text: str) -> Iterator[Candidate]:
        for m in (*_IBAN.finditer(text), *_IBAN_PUNCTUATED.finditer(text)):
            value = m.group(0)
            while len(re.sub(r"[ .-]", "", value)) >= _MIN_LENGTH:
                if is_valid_iban(value):
                    yield Candidate(m.start(), m.start() + len(value), VALIDATED_STRONG, "iban")
                    break
                value = _GROUP_END.sub("", value)
