"""Personalausweis number (DE_ID_CARD): nine ICAO characters, optional MRZ check digit.

Numbers of the current card begin with one of L M N P R T V W X Y (the issuing authority's
code), as does the older `T` + 8 digits form; passport numbers begin with C F G H J K and
are left to the passport recognizer. See `IcaoDocumentRecognizer` for the scoring.
"""
from __future__ import annotations

from guardrails.recognizers.de._common import IcaoDocumentRecognizer


class IdCardRecognizer(IcaoDocumentRecognizer):
    ENTITY = "DE_ID_CARD"
    LANGUAGES = ("de", "en")
    FIRST_LETTERS = "LMNPRTVWXY"
    # Context words match as substrings: "ausweis" covers Personalausweis and Ausweisnummer;
    # "perso" would also match every "Person".
    CONTEXT = ["ausweis", "pa-nr", "dokumentennummer", "identity", "id-karte", "id card"]
