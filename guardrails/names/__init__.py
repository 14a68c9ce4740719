"""Person-name detection for German and English: name lists, name cues and NER evidence.

`find_person_names(text, language, ner_spans)` returns scored spans; the Presidio recognizer
in `guardrails/recognizers/generic/person_name_recognizer.py` is a thin wrapper around it.
"""
from guardrails.names.detector import NameSpan, find_person_names
from guardrails.names.lexicon import load_lexicon

__all__ = ["NameSpan", "find_person_names", "load_lexicon"]
