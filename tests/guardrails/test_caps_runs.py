"""Capitals inside an ordinary line: a name or an address pasted in capitals is still found,
while two acronyms side by side are left alone."""
from __future__ import annotations

import pytest

from guardrails import Vault


@pytest.mark.parametrize("text,gone", [
    ("Die Anschrift ist LINDENSTRASSE 14, 04109 LEIPZIG.", ["LINDENSTRASSE", "04109"]),
    ("Bitte schreiben Sie an FRAU KATHARINA OBERLÄNDER wegen der Frist.", ["KATHARINA", "OBERLÄNDER"]),
    ("Adresse: HAUPTSTRASSE 5, 80331 MÜNCHEN, bitte prüfen.", ["HAUPTSTRASSE", "80331"]),
])
def test_a_run_in_capitals_is_found(guard, text, gone):
    [result] = guard.scan_conversation([text], Vault())
    for fragment in gone:
        assert fragment not in result.text, result.text


@pytest.mark.parametrize("text", ["Nach EU DSGVO und BDSG ist das zulässig.", "Das regelt die DSGVO, nicht das BGB."])
def test_acronyms_stay(guard, text):
    [result] = guard.scan_conversation([text], Vault())
    assert result.text == text
