"""IPv4 and IPv6 addresses, validated by the standard library's `ipaddress`.

IPv4 needs exactly four dotted parts (so "1.2.3" version strings never match) and is dropped
when a version label precedes it ("Version 2.10.3.1") or a currency follows it (thousands
separators in "1.250.100.200 €"). `ipaddress` rejects octets above 255 and leading zeros,
which also removes dates and most dotted numbers. Four single digits (`4.4.2.2`) are section
numbers of a document far more often than an address anyone would need to protect.
IPv6 candidates must hold at least two colons and a decimal digit (so words like "Bef::"
stay out), and `ipaddress` decides; clock times ("14:32:10") never parse.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from guardrails.recognizers.de._common import VALIDATED, Candidate, CandidateRecognizer

_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\w]|\.\d)")
_IPV6 = re.compile(
    r"(?<![\w:.])(?=[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:)"
    r"[0-9A-Fa-f:]{2,39}(?:\.\d{1,3}){0,3}(?:%\w+)?(?:/\d{1,3})?(?![\w:])")
_VERSION_BEFORE = re.compile(r"(?:\bversion|\bv|\bver|\brelease|\bbuild|\bupdate)\.?\s*$",
                             re.IGNORECASE)
_OUTLINE_NUMBER = re.compile(r"\d(?:\.\d){3}$")
_CURRENCY_AFTER = re.compile(r"^\s*(?:€|eur\b|euro\b|\$|usd\b|chf\b)", re.IGNORECASE)


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_interface(value) if "/" in value else ipaddress.ip_address(value.split("%")[0])
    except ValueError:
        return False
    return True


class IpAddressRecognizer(CandidateRecognizer):
    ENTITY = "IP_ADDRESS"
    LANGUAGES = ("de", "en")
    CONTEXT = ["ip", "ip-adresse", "ipv4", "ipv6", "adresse", "zugriff", "server", "address"]

    def candidates(self, text: str) -> Iterator[Candidate]:
        for m in _IPV4.finditer(text):
            if (_is_address(m.group(0)) and not _OUTLINE_NUMBER.match(m.group(0))
                    and not _VERSION_BEFORE.search(text[max(0, m.start() - 12):m.start()])
                    and not _CURRENCY_AFTER.match(text[m.end():m.end() + 6])):
                yield Candidate(m.start(), m.end(), VALIDATED, "ipv4")
        for m in _IPV6.finditer(text):
            if any(c.isdigit() for c in m.group(0)) and _is_address(m.group(0)):
                yield Candidate(m.start(), m.end(), VALIDATED, "ipv6")
