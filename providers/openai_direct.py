"""A lean path to OpenAI-compatible servers (`openai/<model>` with an `api_base`), without litellm.

Why: litellm costs about a millisecond of CPU per streamed chunk and several per call; for a
proxy whose answers are streamed token by token that is most of its overhead (measured with
bench/proxy_overhead.py). OpenAI's chat-completions wire format is small and stable, so for
the catalogue entries that speak it (vLLM, Ollama, LocalAI, llama.cpp, OpenAI itself) this
module sends the request with one shared httpx client per event loop and parses the SSE
stream itself. Every other provider still goes through litellm.

Errors leave as the same ProviderErrors litellm's are mapped to (`litellm_client.py` decides
the rest); an upstream's error body is read for its code only, never copied into a message.
"""
from __future__ import annotations

import json
import weakref
from asyncio import AbstractEventLoop, get_running_loop
from collections.abc import AsyncIterator
from typing import Any

import httpx

from providers.catalogue import ModelSpec
from providers.errors import ProviderError, UpstreamMalformed, UpstreamRejected, UpstreamTimeout, UpstreamUnavailable

PREFIX = "openai/"
_clients: "weakref.WeakKeyDictionary[AbstractEventLoop, httpx.AsyncClient]" = weakref.WeakKeyDictionary()


def handles(spec: ModelSpec) -> bool:
    return spec.litellm_model.startswith(PREFIX) and bool(spec.api_base)


def _client() -> httpx.AsyncClient:
    loop = get_running_loop()
    client = _clients.get(loop)
    if client is None:
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=64)
        client = _clients[loop] = httpx.AsyncClient(limits=limits, trust_env=False)
    return client


def _request(spec: ModelSpec, arguments: dict[str, Any]) -> httpx.Request:
    body = {"model": spec.litellm_model[len(PREFIX):], "messages": arguments["messages"],
            "stream": arguments["stream"]}
    for key in ("max_tokens", "temperature", "stream_options"):
        if key in arguments:
            body[key] = arguments[key]
    url = spec.api_base.rstrip("/") + "/chat/completions"
    return _client().build_request(
        "POST", url, json=body, headers={"Authorization": f"Bearer {arguments['api_key']}"},
        timeout=httpx.Timeout(spec.timeout_seconds))


async def complete(spec: ModelSpec, arguments: dict[str, Any]) -> dict:
    response = await _client().send(_request(spec, arguments))
    if response.status_code >= 400:
        raise status_error(spec, response.status_code, response.content)
    try:
        payload = response.json()
    except ValueError:
        raise UpstreamMalformed(f"model {spec.id!r} sent an answer that is not JSON", model_id=spec.id) from None
    if not isinstance(payload, dict):
        raise UpstreamMalformed(f"model {spec.id!r} sent an answer that is no object", model_id=spec.id)
    return payload


class DirectStream:
    """The SSE stream of one call: iterate for batches of chunk dicts, `aclose()` to release it.

    Each batch holds the chunks of one network read. When the model is slower than us that is
    one chunk (no added latency); when chunks pile up (a fast model, a busy server) they travel
    on together, so the restorer, the event framing and the socket writes run once per batch
    instead of once per token: under load, that per-chunk work was most of a stream's cost.
    """

    def __init__(self, spec: ModelSpec, response: httpx.Response) -> None:
        self._spec = spec
        self._response = response
        self._batches = self._read()

    def __aiter__(self) -> AsyncIterator[list[dict]]:
        return self._batches

    async def _read(self) -> AsyncIterator[list[dict]]:
        pending = b""
        async for data in self._response.aiter_bytes():
            pending += data
            *lines, pending = pending.split(b"\n")
            batch: list[dict] = []
            done = False
            for line in lines:
                chunk = self._parse(line.strip())
                if chunk is _DONE:
                    done = True
                    break
                if chunk is not None:
                    batch.append(chunk)
            if batch:
                yield batch
            if done:
                return
        last = self._parse(pending.strip())
        if isinstance(last, dict):
            yield [last]

    def _parse(self, line: bytes):
        if not line.startswith(b"data:"):
            return None  # blank separators, ": keep-alive" comments, "event:" lines
        data = line[5:].strip()
        if data == b"[DONE]":
            return _DONE
        try:
            chunk = json.loads(data)
        except ValueError:
            raise UpstreamMalformed(f"model {self._spec.id!r} sent a stream chunk that is not JSON",
                                    model_id=self._spec.id) from None
        if not isinstance(chunk, dict):
            raise UpstreamMalformed(f"model {self._spec.id!r} sent a stream chunk that is no object",
                                    model_id=self._spec.id)
        if isinstance(chunk.get("error"), dict):
            raise UpstreamUnavailable(f"model {self._spec.id!r} reported an error mid-stream", model_id=self._spec.id)
        return chunk

    async def aclose(self) -> None:
        await self._batches.aclose()
        await self._response.aclose()


_DONE = object()


async def open_stream(spec: ModelSpec, arguments: dict[str, Any]) -> DirectStream:
    response = await _client().send(_request(spec, arguments), stream=True)
    if response.status_code >= 400:
        try:
            body = await response.aread()
        finally:
            await response.aclose()
        raise status_error(spec, response.status_code, body)
    return DirectStream(spec, response)


def status_error(spec: ModelSpec, status: int, body: bytes) -> ProviderError:
    """The ProviderError for an HTTP error status; the body is read for its error code only."""
    facts = dict(model_id=spec.id, upstream_status=status)
    if status == 408:
        return UpstreamTimeout(f"model {spec.id!r} reported a timeout (HTTP 408)", **facts)
    if status >= 500 or status < 400:
        return UpstreamUnavailable(f"model {spec.id!r} failed (HTTP {status})", **facts)
    return UpstreamRejected(f"model {spec.id!r} rejected the request (HTTP {status})",
                            reason=_reason(status, body), **facts)


def _reason(status: int, body: bytes) -> str:
    if status == 429:
        return "rate_limited"
    try:
        error = json.loads(body).get("error") or {}
        code = f"{error.get('code') or ''} {error.get('type') or ''}".lower()
    except (ValueError, AttributeError):
        code = ""
    if "context_length" in code:
        return "context_too_long"
    if "content_policy" in code or "content_filter" in code:
        return "content_policy"
    return ""
