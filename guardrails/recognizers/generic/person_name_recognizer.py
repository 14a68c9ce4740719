"""PERSON: names found from name lists, name cues and the NER model's PERSON spans.

The logic lives in `guardrails.names`; this class only adapts it to Presidio. The NER
model's spans (when the shipped German model is installed) arrive through
`nlp_artifacts.entities` and are one more piece of evidence, never the only gate: without a
model the list and cue rules work alone.
"""
from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.names import find_person_names, load_lexicon


class PersonNameRecognizer(EntityRecognizer):
    LANGUAGES = ("de", "en")
    ENTITIES = ["PERSON"]

    def __init__(self, supported_language: str = "de", name: str = "PersonNameRecognizer") -> None:
        super().__init__(supported_entities=list(self.ENTITIES), name=name,
                         supported_language=supported_language)

    def load(self) -> None:
        load_lexicon()  # read the lists at start-up, not on the first prompt

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        if entities and "PERSON" not in entities:
            return []
        results = []
        for span in find_person_names(text, self.supported_language, _ner_person_spans(nlp_artifacts)):
            explanation = AnalysisExplanation(recognizer=self.name, original_score=span.score,
                                              textual_explanation=f"person name ({span.rule})")
            results.append(RecognizerResult(
                entity_type="PERSON", start=span.start, end=span.end, score=span.score,
                analysis_explanation=explanation,
                recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                      RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return results


def _ner_person_spans(nlp_artifacts: NlpArtifacts | None) -> list[tuple[int, int]]:
    if nlp_artifacts is None or not nlp_artifacts.entities:
        return []
    return [(ent.start_char, ent.end_char) for ent in nlp_artifacts.entities if ent.label_ == "PERSON"]
