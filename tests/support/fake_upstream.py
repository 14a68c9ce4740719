"""A fake OpenAI-compatible model server, served over real HTTP on 127.0.0.1, that records requests.

Design choice: the test double sits at the network edge only. litellm, the OpenAI SDK and
httpx run for real against a real socket, so tests exercise the same serialisation, SSE
parsing, timeouts and error mapping as production. ``http.server`` in a background thread
keeps it dependency-free and fast to start.

Responses use HTTP/1.1: plain answers carry a Content-Length, streams use chunked transfer
encoding. That is what lets ``broken_stream`` be genuinely broken: the server closes the socket
in the middle of the chunked body, exactly as a crashed model server or a cut proxy would.

Behaviours (set ``.behaviour`` per test):
  echo             "Echo: " + the last user message (streamed in several chunks when asked)
  reply            ``.reply_text``
  split_placeholder ``.reply_text`` streamed in chunks that cut every placeholder, "[PER" + "SON_1]"
  error_500        HTTP 500 with an OpenAI-style error body
  error_401        HTTP 401 (bad API key)
  error_400        HTTP 400 whose error message quotes the prompt, as some providers do
  error_429        HTTP 429 (rate limited)
  slow             waits ``.delay_seconds`` before answering like echo
  broken_stream    a few chunks, then the connection is cut without finish_reason or [DONE]
  truncated_stream a few chunks, then a clean end of body, still without finish_reason or [DONE]
  stall_stream     a few chunks, then silence for ``.delay_seconds`` before the rest (a hung model)
  endless_stream   a content chunk every ``.interval_seconds``, never finishing (a runaway model)
  keepalive_stream one empty chunk, then only SSE comments (": keep-alive") every ``.interval_seconds``
  malformed_json   a stream chunk (or plain body) that is not JSON: ``{not json``
  malformed_no_choices  chunks (or a plain body) without ``choices``
  malformed_types  ``choices`` of the wrong type (a string instead of a list)

Endless behaviours stop when the client goes away, when the server stops, or after
``.endless_limit_seconds`` at the latest, so a test that forgets one cannot hang the suite.
"""
from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BEHAVIOURS = (
    "echo",
    "reply",
    "split_placeholder",
    "error_500",
    "error_401",
    "error_400",
    "error_429",
    "slow",
    "broken_stream",
    "truncated_stream",
    "stall_stream",
    "endless_stream",
    "keepalive_stream",
    "malformed_json",
    "malformed_no_choices",
    "malformed_types",
)
MALFORMED = ("malformed_json", "malformed_no_choices", "malformed_types")
FAKE_MODEL_ID = "fake-model"
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9_]*_\d+\]")


class RecordedRequest(dict):
    """The JSON body of one request (a dict), with ``.method``, ``.path``, ``.headers`` and ``.raw``."""

    def __init__(self, body: dict, *, method: str, path: str, headers: dict[str, str], raw: str) -> None:
        super().__init__(body)
        self.method = method
        self.path = path
        self.headers = headers
        self.raw = raw


class FakeUpstream:
    """Context manager: ``with FakeUpstream() as upstream: upstream.base_url …``."""

    def __init__(self) -> None:
        self.behaviour = "echo"
        self.reply_text = "Sehr geehrte Frau [PERSON_1], Ihre IBAN [IBAN_CODE_1] ist vermerkt."
        self.delay_seconds = 2.0
        self.interval_seconds = 0.2
        # A pause between streamed chunks, so each arrives on its own (readers may batch what piles up).
        self.chunk_pause_seconds = 0.0
        self.endless_limit_seconds = 120.0
        self.stopping = threading.Event()
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def behaviour(self) -> str:
        return self._behaviour

    @behaviour.setter
    def behaviour(self, value: str) -> None:
        # Fail in the test that set it, not as a mysterious dropped connection later.
        if value not in BEHAVIOURS:
            raise ValueError(f"unknown FakeUpstream behaviour {value!r}; choose from {BEHAVIOURS}")
        self._behaviour = value

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> "FakeUpstream":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        self.stopping.clear()
        handler = type("BoundHandler", (_Handler,), {"upstream": self})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler, bind_and_activate=False)
        # A listen backlog for benchmarks with many clients (the default of 5 drops connections).
        server.request_queue_size = 256
        server.server_bind()
        server.server_activate()
        # Handler threads may be asleep in "slow" or parked on a keep-alive socket; do not wait.
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        # A short poll interval keeps shutdown (once per test) from costing half a second.
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-upstream", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -- what tests read -------------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._server is not None, "FakeUpstream is not running"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def all_text(self) -> str:
        """Every recorded request body as one string, for "no personal data left" assertions."""
        with self._lock:
            return "\n".join(request.raw for request in self._requests)

    def reset(self) -> None:
        """Forget the recorded requests; the behaviour settings stay as they are."""
        with self._lock:
            self._requests.clear()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)


def echo_text(body: dict) -> str:
    """What the echo behaviour answers for a request body."""
    return "Echo: " + _last_user_content(body)


def _last_user_content(body: dict) -> str:
    for message in reversed(body.get("messages") or []):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):  # OpenAI content parts
                return "".join(part.get("text", "") for part in content if isinstance(part, dict))
            return str(content or "")
    return ""


def word_chunks(text: str) -> list[str]:
    """Cut text into word-sized chunks (each keeps its trailing space), so streams have several."""
    return re.findall(r"\S+\s*|\s+", text) or [text]


def placeholder_splitting_chunks(text: str) -> list[str]:
    """Cut text so every placeholder straddles two chunks: "[PER" | "SON_1]"."""
    cuts = sorted({m.start() + min(4, len(m.group()) - 1) for m in _PLACEHOLDER.finditer(text)})
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def _count_tokens(text: str) -> int:
    return len(text.split())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm each answer would
    # wait ~40 ms for a delayed ACK, which swamps any latency measurement.
    disable_nagle_algorithm = True
    upstream: FakeUpstream  # bound per server in FakeUpstream.start

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # keep test output clean

    # -- routing -----------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._record(b"")
        if self.path.rstrip("/") == "/v1/models":
            self._send_json(200, {"object": "list", "data": [
                {"id": FAKE_MODEL_ID, "object": "model", "created": 0, "owned_by": "fake-upstream"},
            ]})
        else:
            self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        body = self._record(raw)
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
            return
        try:
            self._answer_chat(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. its timeout fired); nothing left to answer

    def _record(self, raw: bytes) -> dict:
        text = raw.decode("utf-8", errors="replace")
        try:
            body = json.loads(text) if text else {}
        except json.JSONDecodeError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        headers = {key.lower(): value for key, value in self.headers.items()}
        self.upstream._record(
            RecordedRequest(body, method=self.command, path=self.path, headers=headers, raw=text)
        )
        return body

    # -- chat completions ----------------------------------------------------------------------
    def _answer_chat(self, body: dict) -> None:
        behaviour = self.upstream.behaviour
        if behaviour == "error_500":
            self._send_json(500, {"error": {"message": "fake upstream failure", "type": "server_error"}})
            return
        if behaviour == "error_401":
            self._send_json(401, {"error": {
                "message": "Incorrect API key provided", "type": "invalid_request_error",
                "code": "invalid_api_key",
            }})
            return
        if behaviour == "error_400":
            self._send_json(400, {"error": {
                "message": f"Invalid request near: {_last_user_content(body)!r}",
                "type": "invalid_request_error",
            }})
            return
        if behaviour == "error_429":
            self._send_json(429, {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}})
            return
        if behaviour == "slow":
            time.sleep(self.upstream.delay_seconds)
        if behaviour in MALFORMED:
            self._answer_malformed(body, behaviour)
            return
        if behaviour in ("endless_stream", "keepalive_stream") and body.get("stream"):
            self._stream_endless(body, keepalive=behaviour == "keepalive_stream")
            return

        if behaviour in ("reply", "split_placeholder"):
            text = self.upstream.reply_text
        else:
            text = echo_text(body)
        if not body.get("stream"):
            self._send_json(200, self._completion(body, text))
            return

        chunks = placeholder_splitting_chunks(text) if behaviour == "split_placeholder" else word_chunks(text)
        if behaviour in ("broken_stream", "truncated_stream"):
            self._stream_truncated(body, chunks[: max(1, min(3, len(chunks) - 1))],
                                   cut_connection=behaviour == "broken_stream")
        else:
            self._stream(body, chunks, text, stall_after=2 if behaviour == "stall_stream" else None)

    def _completion(self, body: dict, text: str) -> dict:
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", FAKE_MODEL_ID),
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }],
            "usage": self._usage(body, text),
        }

    def _usage(self, body: dict, text: str) -> dict:
        prompt = sum(_count_tokens(str(m.get("content") or "")) for m in body.get("messages") or [])
        completion = _count_tokens(text)
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    def _chunk(self, body: dict, delta: dict, finish_reason: str | None) -> dict:
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", FAKE_MODEL_ID),
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
        }

    def _stream(self, body: dict, chunks: list[str], text: str, *, stall_after: int | None = None) -> None:
        self._start_stream()
        self._send_event(self._chunk(body, {"role": "assistant", "content": ""}, None))
        for index, piece in enumerate(chunks):
            if index == stall_after:
                time.sleep(self.upstream.delay_seconds)
            elif index and self.upstream.chunk_pause_seconds:
                time.sleep(self.upstream.chunk_pause_seconds)
            self._send_event(self._chunk(body, {"content": piece}, None))
        self._send_event(self._chunk(body, {}, "stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            usage_chunk = self._chunk(body, {}, None)
            usage_chunk["choices"] = []
            usage_chunk["usage"] = self._usage(body, text)
            self._send_event(usage_chunk)
        self._send_data(b"[DONE]")
        self._end_chunked_body()

    def _stream_truncated(self, body: dict, chunks: list[str], *, cut_connection: bool) -> None:
        self._start_stream()
        self._send_event(self._chunk(body, {"role": "assistant", "content": ""}, None))
        for piece in chunks:
            self._send_event(self._chunk(body, {"content": piece}, None))
        if cut_connection:
            # No terminating zero-length chunk: the client sees an incomplete chunked body.
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)  # socket.SHUT_RDWR
        else:
            self._end_chunked_body()

    def _answer_malformed(self, body: dict, behaviour: str) -> None:
        good = self._chunk(body, {"content": "Guten Tag"}, None)
        if behaviour == "malformed_json":
            payload = b"{not json"
        elif behaviour == "malformed_no_choices":
            payload = json.dumps({"id": "chatcmpl-fake", "object": "chat.completion.chunk"
                                  if body.get("stream") else "chat.completion"}).encode("utf-8")
        else:
            payload = json.dumps({**good, "choices": "nope"}).encode("utf-8")
        if not body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        self._start_stream()
        if behaviour != "malformed_no_choices":
            self._send_event(good)  # the damage comes mid-stream, after a good chunk
        self._send_data(payload)
        self._send_data(b"[DONE]")
        self._end_chunked_body()

    def _stream_endless(self, body: dict, *, keepalive: bool) -> None:
        self._start_stream()
        self._send_event(self._chunk(body, {"role": "assistant", "content": ""}, None))
        upstream = self.upstream
        deadline = time.monotonic() + upstream.endless_limit_seconds
        while time.monotonic() < deadline and not upstream.stopping.wait(upstream.interval_seconds):
            if keepalive:
                self._write_chunk(b": keep-alive\n\n")
            else:
                self._send_event(self._chunk(body, {"content": "weiter "}, None))
        self.close_connection = True
        self._end_chunked_body()

    # -- HTTP plumbing -------------------------------------------------------------------------
    def _send_json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _send_event(self, payload: dict) -> None:
        self._send_data(json.dumps(payload).encode("utf-8"))

    def _send_data(self, data: bytes) -> None:
        self._write_chunk(b"data: " + data + b"\n\n")

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode("ascii") + data + b"\r\n")
        self.wfile.flush()

    def _end_chunked_body(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
