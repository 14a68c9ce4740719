"""Fixtures for the app tests: a real guard, a real SQLite file, a fake model over real HTTP.

The guard is built once per session (loading the NLP pipelines takes seconds) and handed
to every app; each test gets its own data directory, database and catalogue file.
"""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.api_tokens import create_api_token
from app.storage.crud import create_user
from app.storage.tables import User, UserCreate
from app.settings import Settings

# Values planted in prompts; none of them may reach the model or the database.
PLANTED = {
    "name": "Anna Schmidt",
    "surname": "Schmidt",
    "other_name": "Bernd Krüger",
    "iban": "DE89 3704 0044 0532 0130 00",
    "iban_compact": "DE89370400440532013000",
    "tax_id": "65929970489",
    "phone": "0171 2345678",
    "phone_compact": "01712345678",
    "street": "Lindenstraße 17",
}
PII_PROMPT = (
    "Bitte formulieren Sie einen freundlichen Brief an Frau Anna Schmidt, wohnhaft in der "
    "Lindenstraße 17, 10115 Berlin. Ihre IBAN lautet DE89 3704 0044 0532 0130 00, ihre "
    "Steuer-ID ist 65929970489 und ihre Telefonnummer 0171 2345678. Der Sachbearbeiter heißt "
    "Bernd Krüger."
)
# Values whose full form must show up again in the restored answer (an echo of the prompt).
RESTORED_VALUES = ("Anna Schmidt", "DE89 3704 0044 0532 0130 00", "65929970489", "0171 2345678",
                   "Bernd Krüger", "Lindenstraße 17")


# Satisfies the password rule (app/accounts/password_rule.py), like every real account's.
PASSWORD = "Tee-Kanne-Fenster-7"


def leaked(text: str) -> list[str]:
    return [value for value in PLANTED.values() if value.casefold() in text.casefold()]


@pytest.fixture(scope="session")
def guard():
    from app.guard_setup import guard_from_settings

    return guard_from_settings(Settings())


def write_catalogue(path: Path, base_url: str) -> Path:
    common = {"litellm_model": "openai/fake-model", "api_base": base_url, "api_key_env": "SPIELRAUM_TEST_KEY"}
    path.write_text(yaml.safe_dump({"models": [
        {"id": "fake", "display_name": "Fake", "timeout_seconds": 20, **common},
        {"id": "fake-short", "display_name": "Fake (1 s)", "timeout_seconds": 1, **common},
        {"id": "fake-dpo", "display_name": "Fake for DPOs", "roles": ["dpo", "admin"], **common},
    ]}), encoding="utf-8")
    return path


@dataclass
class AppEnv:
    app: FastAPI
    client: TestClient
    settings: Settings

    def session(self) -> Session:
        return Session(self.app.state.engine)

    def user(self, username: str = "erika", role: str = "employee") -> User:
        with self.session() as session:
            user = create_user(session, UserCreate(username=username, role=role, password=PASSWORD))
            session.expunge(user)
            return user

    def token(self, user: User) -> str:
        with self.session() as session:
            return create_api_token(session, session.get(User, user.id), "test")[1]


@pytest.fixture
def make_env(tmp_path, fake_upstream, guard) -> Iterator[Callable[..., AppEnv]]:
    from app.factory import create_app

    clients: list[TestClient] = []

    def make(*, app_guard=None, models: bool = True, **overrides) -> AppEnv:
        settings = Settings(
            data_dir=tmp_path / "data", secret_key="test-secret",
            # The Grundlagen-on-first-login redirect has its own tests (tests/app/learning).
            first_steps_on_login=overrides.pop("first_steps_on_login", False),
            models_file=write_catalogue(tmp_path / "models.yaml", fake_upstream.base_url) if models else None,
            **overrides)
        app = create_app(settings, guard=app_guard or guard)
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return AppEnv(app, client, settings)

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def env(make_env) -> AppEnv:
    return make_env()


def dump_database(engine, *, text_only: bool = False) -> str:
    """Every row of every table, as one string, for "nothing personal was stored" checks;
    with `text_only`, just the text values (numbers and times cannot hold a name or an IBAN,
    and their digits would match a digit group by chance)."""
    from sqlalchemy import MetaData, select

    metadata = MetaData()
    metadata.reflect(bind=engine)
    lines = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                if text_only:
                    lines += [value for value in row if isinstance(value, str)]
                else:
                    lines.append(f"{table.name}: {tuple(row)}")
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerThread:
    """A real uvicorn server for one app, in a background thread."""

    def __init__(self, app: FastAPI, port: int | None = None) -> None:
        import uvicorn

        self.port = port or free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None,
                                                    access_log=False, lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "ServerThread":
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="session")
def blocking_guard(tmp_path_factory):
    """The real guard, configured by a policy file that blocks IBANs."""
    from app.guard_setup import guard_from_settings

    policy = tmp_path_factory.mktemp("policy") / "policy.yaml"
    policy.write_text("actions:\n  IBAN_CODE: block\n", encoding="utf-8")
    return guard_from_settings(Settings(guard_policy_file=policy))


class _BrokenAnalyzer:
    """Stands in for Presidio's analyzer: fails, or takes longer than the guard's time budget."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def analyze(self, **_kwargs):
        if self.mode == "slow":
            time.sleep(2)
            return []
        raise RuntimeError("recognizer crashed")


def _broken_guard(mode: str):
    from types import SimpleNamespace

    from guardrails import Guard, GuardPolicy
    from guardrails.engine import BuiltEngine

    engine = BuiltEngine(analyzer=_BrokenAnalyzer(mode), nlp_engine=SimpleNamespace(descriptions={}),
                         recognizer_names=["broken"])
    return Guard(engine, GuardPolicy(timeout_seconds=0.3))


@pytest.fixture(params=["error", "slow"])
def broken_guard(request):
    """A real Guard whose analysis raises or times out: it must fail closed."""
    return _broken_guard(request.param)


def run_async(function, *args):
    """`anyio.run` in a fresh thread: Playwright's sync API may keep a loop running in this one."""
    import concurrent.futures

    import anyio

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(anyio.run, function, *args).result()


def collect_turn(app: FastAPI, turn) -> list[dict]:
    """Every event of one web-chat turn, from the app's own ChatService."""
    async def collect() -> list[dict]:
        return [event async for event in app.state.chat_service.stream_turn(turn)]
    return run_async(collect)
