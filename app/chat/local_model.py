"""The optional local demo model: when it runs, and how the app finds it.

`spielraum serve` (the parent process, once, however many workers) starts the llama.cpp server
and hands its address to the workers in ``SPIELRAUM_LOCAL_MODEL_URL``, the way it hands them
``SPIELRAUM_SELF_URL`` for the echo demo; each worker then only adds the catalogue entry. So the
model is loaded into memory once, and a worker never starts or stops a process.

``SPIELRAUM_LOCAL_MODEL``: "off" never serves it; "on" serves it or stops the start with the
reason; "auto" (the default) serves it when the extra and the model file are installed, and
otherwise, or when it fails to start, goes on without it after a warning.
"""
from __future__ import annotations

import logging

from app.settings import Settings
from providers import LocalLlamaServer, ModelSpec, local_model_installed, local_model_spec

log = logging.getLogger("spielraum.local_model")

LOG_FILENAME = "local-model.log"


def local_model_wanted(settings: Settings) -> bool:
    if settings.local_model == "off":
        return False
    return settings.local_model == "on" or local_model_installed()


def start_local_model(settings: Settings) -> LocalLlamaServer:
    """Start the server and wait until it answers; LocalModelError says why it could not."""
    server = LocalLlamaServer.for_installed_model(
        settings.local_model_port, log_path=settings.data_dir / LOG_FILENAME)
    server.start()
    log.info("local_model.started", extra={"url": server.base_url, "pid": server.pid})
    return server


def configured_local_model(settings: Settings) -> ModelSpec | None:
    """The catalogue entry for the local server this process was told about, if any."""
    if settings.local_model == "off" or not settings.local_model_url:
        return None
    return local_model_spec(settings.local_model_url)
