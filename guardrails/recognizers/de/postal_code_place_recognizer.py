"""ADDRESS: a German postcode followed by its place ("04109 Leipzig", "D-10115 Berlin").

A city name alone is not personal data ("Die Stadt Köln plant ..."), but postcode plus place
narrows a person down to a delivery area, so only the pair is flagged. Evidence comes from
two independent checks: the five digits must be a possible postcode, and the following
word(s) must be a known German place (GeoNames list in `data/places_de.txt`). A postcode
followed by an unknown capitalised word ("12345 Musterdorf") is weak evidence; it is scored
below the policy threshold and only an address context word ("wohnhaft", "Anschrift") lifts
it, through Presidio's context enhancer. The same holds for a round number before a town
whose name is also a counted noun ("15000 Essen"), where a count is the likelier reading.
"""
from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from guardrails.recognizers.de._places import POSTCODE, postcode_place_at

KNOWN_PLACE_SCORE = 0.85
UNKNOWN_PLACE_SCORE = 0.3
# Towns whose names are also plural nouns that follow counts ("15000 Essen", "12000 Waren").
# After a round number they are read as a count unless an address cue lifts the score.
_NOUN_PLACES = frozenset("""
Essen Waren Mengen Platten Ringe Stellen Kirchen Linden Weiden Wissen Boden Buch Wetter Lage Lauf Sinn
Brand Stein Wald Bach Berg Insel Hammer Nagel Mantel Norden Mitte Weil Wehr Hahn Senden Werben Elend
""".split())


class PostalCodePlaceRecognizer(EntityRecognizer):
    LANGUAGES = ("de", "en")
    ENTITIES = ["ADDRESS"]
    CONTEXT = ["wohnhaft", "wohnt", "wohne", "wohnen", "lebt", "anschrift", "adresse", "meldeadresse",
               "postanschrift", "wohnort", "wohnsitz", "plz", "postleitzahl", "gemeldet",
               "address", "lives", "resident"]

    def __init__(self, supported_language: str = "de") -> None:
        super().__init__(supported_entities=self.ENTITIES, name="PostalCodePlaceRecognizer",
                         supported_language=supported_language, context=self.CONTEXT)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for m in POSTCODE.finditer(text):
            found = postcode_place_at(text, m.start(), allow_unknown=True)
            if found is None:
                continue
            score = KNOWN_PLACE_SCORE if found.known else UNKNOWN_PLACE_SCORE
            if found.known and m.group(1).endswith("00") and _place_word(text, m.end()) in _NOUN_PLACES:
                score = UNKNOWN_PLACE_SCORE
            results.append(RecognizerResult(
                "ADDRESS", found.start, found.end, score,
                analysis_explanation=AnalysisExplanation(self.name, score),
                recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                      RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return results


def _place_word(text: str, postcode_end: int) -> str:
    rest = text[postcode_end:postcode_end + 40].split()
    return rest[0].rstrip(".,;:!?") if rest else ""
