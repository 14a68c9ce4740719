"""Spielraum's provider layer: the model catalogue and the one door to the language models.

litellm reads its offline switches when it is imported, so they are set here, before any
submodule can import it; litellm itself is imported lazily on the first model call (or by
``prepare_litellm()``, which an app may call at start-up to pay the import cost early).
"""
from providers.litellm_setup import set_offline_environment

set_offline_environment()

from providers.catalogue import (  # noqa: E402 - the environment must be set first
    PLACEHOLDER_API_KEY,
    Catalogue,
    CatalogueError,
    ModelSpec,
    load_catalogue,
)
from providers.errors import (  # noqa: E402
    ProviderError,
    StreamInterrupted,
    UnknownModel,
    UpstreamMalformed,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from providers.litellm_client import complete_chat, stream_chat  # noqa: E402
from providers.litellm_setup import prepare_litellm  # noqa: E402
from providers.probe import probe_model, provider_of  # noqa: E402
from providers.local_llama import (  # noqa: E402
    LOCAL_MODEL_ID,
    LocalLlamaServer,
    LocalModelError,
    local_model_installed,
    local_model_spec,
)
from providers.messages import Completion, StreamChunk, Usage  # noqa: E402

__all__ = [
    "LOCAL_MODEL_ID",
    "PLACEHOLDER_API_KEY",
    "Catalogue",
    "CatalogueError",
    "Completion",
    "LocalLlamaServer",
    "LocalModelError",
    "ModelSpec",
    "ProviderError",
    "StreamChunk",
    "StreamInterrupted",
    "UnknownModel",
    "UpstreamMalformed",
    "UpstreamRejected",
    "UpstreamTimeout",
    "UpstreamUnavailable",
    "Usage",
    "complete_chat",
    "load_catalogue",
    "local_model_installed",
    "local_model_spec",
    "prepare_litellm",
    "probe_model",
    "provider_of",
    "stream_chat",
]
