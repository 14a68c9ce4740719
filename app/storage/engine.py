"""The database engine, built from settings by the app factory (never at import time).

SQLite is the default for a single small installation: the file lives in the data
directory, WAL journaling lets the chat read while an exchange is written, and the
connection is shared across threads because FastAPI runs sync work in a thread pool.
Any other SQLAlchemy URL (PostgreSQL via `postgresql+psycopg://…`) works unchanged.
The schema is brought to the newest migration on start-up (`app.storage.schema`).
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy import text
from sqlmodel import Session, create_engine

from app.storage import tables  # noqa: F401 - registers the tables on SQLModel.metadata
from app.settings import Settings


def build_engine(settings: Settings, **engine_kwargs) -> Engine:
    url = settings.database_url
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **engine_kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **engine_kwargs)


def _ensure_sqlite_folder(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_tables(engine: Engine) -> None:
    """Bring the database to the newest schema revision (kept under this name for its callers).

    Tables are never made with `create_all` any more: every change goes through a migration,
    so a database made by an older release is upgraded, not half-created."""
    from app.storage.schema import upgrade_database

    upgrade_database(engine)


def database_ok(engine: Engine) -> bool:
    try:
        with Session(engine) as session:
            session.connection().execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - health reports the state, the log gets the type
        return False
