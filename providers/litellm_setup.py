"""Import litellm once, configured so it never phones home.

Design choice: litellm is imported lazily, on the first model call (or an explicit
``prepare_litellm()`` at start-up), because importing it costs seconds that catalogue checks,
the CLI and most tests should not pay. The offline switches are environment variables that
litellm reads *at import time*; ``providers/__init__`` sets them before anything can import
litellm, and this module sets them again in case a caller reached it directly.
"""
from __future__ import annotations

import logging
import os
import threading
from types import ModuleType

# Without these litellm downloads its model cost map from GitHub on import (and retries for
# seconds when offline); with them it uses the copy bundled in the wheel.
OFFLINE_ENVIRONMENT = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "LITELLM_OFFLINE_MODE": "True",
}

# litellm's debug lines contain whole requests (messages, base URL). Prompts reach us already
# pseudonymised, but a name the guard missed must not end up in a log file because an operator
# switched the root logger to DEBUG; so these loggers get an explicit level of at least WARNING
# (an explicit level, because an inherited one follows the root logger down to DEBUG).
LITELLM_LOGGERS = ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy")
QUIETEST_LITELLM_LEVEL = logging.WARNING

_configured: ModuleType | None = None
# The app warms litellm up in a worker thread while a first request may already arrive.
_configure_lock = threading.Lock()


def set_offline_environment() -> None:
    """Default litellm to offline; an operator's explicit setting still wins."""
    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def prepare_litellm() -> ModuleType:
    """Return the litellm module, imported offline with telemetry and debug chatter off."""
    global _configured
    if _configured is not None:
        return _configured
    with _configure_lock:
        if _configured is None:
            set_offline_environment()
            import litellm

            litellm.telemetry = False
            # Otherwise litellm prints "Give Feedback / Get Help" banners with request details.
            litellm.suppress_debug_info = True
            _keep_content_out_of_litellm_logs()
            _configured = litellm
    return _configured


def _keep_content_out_of_litellm_logs() -> None:
    for name in LITELLM_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < QUIETEST_LITELLM_LEVEL:
            logger.setLevel(QUIETEST_LITELLM_LEVEL)
