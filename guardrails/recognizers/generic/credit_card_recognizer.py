"""Payment card numbers: 13 to 19 digits, compact or in groups, Luhn-checked.

The Luhn check (python-stdnum) refuses nine in ten random digit strings; a known issuer
prefix (Visa 4, Mastercard 51-55/2221-2720, Amex 34/37, Discover/UnionPay 6, JCB/Diners 3)
refuses most of the rest, e.g. the digit groups inside an IBAN or a long file number.
Groups must be separated consistently (all spaces or all dashes), as cards print them.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import luhn

from guardrails.recognizers.de._common import VALIDATED, Candidate, CandidateRecognizer

_CARD = re.compile(
    r"(?<![\w.,/-])(?<!\d )"
    r"(?:"
    r"\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}"  # 4-4-4-x (Visa, Mastercard, most others)
    r"|\d{4}([ -])\d{6}\2\d{4,5}"       # 4-6-5 (Amex) and 4-6-4 (Diners)
    r"|\d{13,19}"
    r")"
    r"(?![\w/-]|[ .,]\d)")
_ISSUER_PREFIX = re.compile(r"4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|3[068]|35|6")


def is_valid_card(digits: str) -> bool:
    return (13 <= len(digits) <= 19 and bool(_ISSUER_PREFIX.match(digits))
            and luhn.is_valid(digits))


class CreditCardRecognizer(CandidateRecognizer):
    ENTITY = "CREDIT_CARD"
    LANGUAGES = ("de", "en")
    CONTEXT = ["kreditkarte", "karte", "kartennummer", "visa", "mastercard", "amex",
               "american express", "zahlung", "credit", "card"]

    def candidates(self, text: str) -> Iterator[Candidate]:
        for m in _CARD.finditer(text):
            if is_valid_card(re.sub(r"\D", "", m.group(0))):
                yield Candidate(m.start(), m.end(), VALIDATED, "card (Luhn)")
