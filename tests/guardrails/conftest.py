from __future__ import annotations

import pytest

from guardrails import Guard, build_guard


@pytest.fixture(scope="session")
def guard() -> Guard:
    """The full guard, as the chat builds it (default policy, shipped models)."""
    return build_guard()
