"""One tiny real call to a model, to tell IT whether its settings work ("Verbindung testen").

The same door as every chat (`complete_chat`: the spec's base URL, key, timeout, no retries),
with a one-word prompt and an answer of a few tokens, so a test costs next to nothing on a paid
API. A failure leaves as the usual named ProviderError, whose detail holds no upstream text.
"""
from __future__ import annotations

import time

from providers.catalogue import CatalogueError, ModelSpec
from providers.litellm_client import complete_chat
from providers.litellm_setup import prepare_litellm

PROBE_MESSAGES = [{"role": "user", "content": "ping"}]
PROBE_MAX_TOKENS = 5
PROBE_DEADLINE_SECONDS = 30.0


async def probe_model(spec: ModelSpec, *, deadline_seconds: float = PROBE_DEADLINE_SECONDS) -> int:
    """Milliseconds until the model answered; raises ProviderError when it did not."""
    started = time.perf_counter()
    await complete_chat(spec, PROBE_MESSAGES, max_tokens=PROBE_MAX_TOKENS,
                        deadline_seconds=min(deadline_seconds, spec.timeout_seconds))
    return round((time.perf_counter() - started) * 1000)


def provider_of(litellm_model: str) -> str:
    """The provider litellm reads from a model string ("ollama_chat/mistral" -> "ollama_chat"),
    decided offline; CatalogueError when litellm knows no such provider."""
    litellm = prepare_litellm()
    try:
        return litellm.get_llm_provider(model=litellm_model)[1]
    except Exception:  # noqa: BLE001 - litellm raises its BadRequestError; the string is the user's own
        raise CatalogueError(f"litellm knows no provider for the model string {litellm_model!r}") from None
