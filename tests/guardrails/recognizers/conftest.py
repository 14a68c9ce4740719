from __future__ import annotations

import pytest

from guardrails.nlp_engine import OfflineSpacyNlpEngine
from tests.guardrails.recognizers.identifier_support import nlp_engine


@pytest.fixture(scope="session")
def nlp() -> OfflineSpacyNlpEngine:
    """The offline NLP engine (blank pipelines), loaded once for all recognizer tests."""
    return nlp_engine()
