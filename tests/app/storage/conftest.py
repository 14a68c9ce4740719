"""Databases for the migration tests: a SQLite file per test, and on PostgreSQL a fresh
schema per test (found through `search_path`), dropped afterwards.

The PostgreSQL server is the trust-auth one at 127.0.0.1:5432, database `test`; where it
does not answer, the PostgreSQL cases skip with the reason.
"""
from __future__ import annotations

import secrets
from pathlib import Path

import pytest

PG_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FIXTURES = Path(__file__).parent / "fixtures"


def pg_unreachable() -> str | None:
    import psycopg

    try:
        with psycopg.connect(PG_DSN, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL at 127.0.0.1:5432/test is not reachable ({type(exc).__name__})"


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'spielraum.db'}"


@pytest.fixture
def pg_url() -> str:
    reason = pg_unreachable()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = "spielraum_mig_" + secrets.token_hex(4)
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str:
    """Each test that takes it runs once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


def legacy_schema_sql(dialect: str) -> list[str]:
    """The statements main's `create_all` ran before migrations existed (committed fixture)."""
    text = (FIXTURES / f"legacy_schema_{dialect}.sql").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("--")]
    return [statement.strip() for statement in "\n".join(lines).split(";") if statement.strip()]
