"""Fixtures for the provider tests: an anyio backend and catalogue entries pointing at the fake."""
from __future__ import annotations

import pytest

from providers import ModelSpec


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def make_spec(fake_upstream):
    """Build a ModelSpec aimed at the running FakeUpstream; keyword arguments override fields."""

    def build(**overrides) -> ModelSpec:
        fields = dict(
            id="echo",
            display_name="Echo",
            litellm_model="openai/echo",
            api_base=fake_upstream.base_url,
            api_key_env="SPIELRAUM_TEST_ECHO_KEY",
            max_tokens=256,
            temperature=0.2,
            timeout_seconds=10,
        )
        fields.update(overrides)
        return ModelSpec(**fields)

    return build
