"""Fixtures shared by every test package."""
from __future__ import annotations

import pytest


@pytest.fixture
def fake_upstream():
    """A fake OpenAI-compatible server over real HTTP on 127.0.0.1 that records every request."""
    from tests.support.fake_upstream import FakeUpstream

    with FakeUpstream() as upstream:
        yield upstream
