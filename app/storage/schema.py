"""The database schema's versions: Alembic migrations, configured in code.

`upgrade_database` is what the app factory and `spielraum db upgrade` run. It is safe when
several worker processes start at once: the whole upgrade runs in one transaction that
first takes a lock — a transaction-scoped advisory lock on PostgreSQL, `BEGIN IMMEDIATE`
(SQLite's write lock) on SQLite — so the second worker waits, then finds the schema at
head and does nothing. Both databases have transactional DDL, so a failing revision
leaves the schema as it was.

A database made by Spielraum before migrations existed (tables from `create_all`, no
`alembic_version`) is recognised and stamped at `0001_initial`, which is exactly that
schema, before upgrading: nothing is dropped or rebuilt from scratch.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, DateTime, String, TypeDecorator, create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url

log = logging.getLogger("spielraum.schema")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
INITIAL_REVISION = "0001_initial"
# The tables create_all made before migrations; their presence without alembic_version marks an old database.
LEGACY_TABLES = frozenset({"users", "api_tokens", "conversations", "exchanges", "findings"})
# Any constant works; it names "the schema migration" among the database's advisory locks.
PG_ADVISORY_LOCK_KEY = 0x5350_4D49  # "SPMI"
# A worker that waits for another's upgrade waits this long for SQLite's write lock.
SQLITE_LOCK_WAIT_MS = 120_000


class SchemaError(RuntimeError):
    """The database cannot be brought to the schema this code needs; the message says why."""


def configure_options() -> dict:
    """Options for `context.configure`, shared by upgrades and autogenerate.

    `transactional_ddl`: `locked_connection` runs every command in one transaction, on
    SQLite too (it emits BEGIN IMMEDIATE itself), so Alembic may rely on it."""
    return {"render_as_batch": True, "transactional_ddl": True, "compare_type": True, "compare_server_default": False,
            "render_item": _render_item}


def _render_item(type_: str, obj, autogen_context):
    """Render the models' decorated types by what they store (`sa.String`, `sa.DateTime`),
    so revisions never import sqlmodel or app code that may change later."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        if isinstance(obj.impl, String):
            return f"sa.String(length={obj.impl.length!r})" if obj.impl.length else "sa.String()"
        if isinstance(obj.impl, DateTime):
            return f"sa.DateTime(timezone={obj.impl.timezone!r})"
    return False


def _database_url(engine_or_url: Engine | str) -> str:
    if isinstance(engine_or_url, Engine):
        return engine_or_url.url.render_as_string(hide_password=False)
    return engine_or_url


def _migration_engine(url: str) -> Engine:
    """An engine just for migrating: one connection, in one explicit, locking transaction.

    On SQLite, foreign keys are off while migrating (batch mode rebuilds tables, and with
    them on, dropping a referenced table would delete or reject rows); they are checked
    before the commit instead. The app's own engine keeps them on.
    """
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    database = make_url(url).database
    if not database or database == ":memory:" or "mode=memory" in url:
        # The migration engine's own connection would migrate a throwaway database.
        raise SchemaError("An in-memory SQLite database cannot be migrated; please use a file "
                          "(the default: SPIELRAUM_DATA_DIR/spielraum.db).")
    Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_LOCK_WAIT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@contextmanager
def locked_connection(engine_or_url: Engine | str) -> Iterator[Connection]:
    """A connection inside one transaction that holds the migration lock until it ends."""
    engine = _migration_engine(_database_url(engine_or_url))
    try:
        with engine.connect() as connection, connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_ADVISORY_LOCK_KEY})
            yield connection
            if connection.dialect.name == "sqlite":
                _check_foreign_keys(connection)
    finally:
        engine.dispose()


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({row[0] for row in broken})
        raise SchemaError(f"The migration would leave rows with missing references in: {', '.join(tables)}")


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Revision files are named by their id, e.g. versions/0002_log_indexes_tz.py.
    config.set_main_option("file_template", "%%(rev)s")
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _alembic_quiet() -> Iterator[None]:
    """Alembic narrates every context it opens at INFO; our own `schema.*` events say what changed."""
    logger = logging.getLogger("alembic")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def upgrade_database(engine_or_url: Engine | str, revision: str = "head") -> None:
    with _alembic_quiet(), locked_connection(engine_or_url) as connection:
        adopted = _adopt_legacy_database(connection)
        before = _current(connection)
        command.upgrade(alembic_config(connection), revision)
        after = _current(connection)
    if adopted:
        log.warning("schema.adopted", extra={"stamped": INITIAL_REVISION})
    if after != before:
        log.info("schema.upgraded", extra={"from_revision": before, "to_revision": after})


def downgrade_database(engine_or_url: Engine | str, revision: str) -> None:
    with _alembic_quiet(), locked_connection(engine_or_url) as connection:
        before = _current(connection)
        command.downgrade(alembic_config(connection), revision)
        after = _current(connection)
    log.warning("schema.downgraded", extra={"from_revision": before, "to_revision": after})


def current_revision(engine_or_url: Engine | str) -> str | None:
    """The revision the database is at; None for an empty (or pre-migration) database.
    Only reads: a SQLite file that does not exist yet is not created."""
    url = _database_url(engine_or_url)
    database = make_url(url).database if url.startswith("sqlite") else None
    if database and database != ":memory:" and not Path(database).exists():
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return _current(connection)
    finally:
        engine.dispose()


def _adopt_legacy_database(connection: Connection) -> bool:
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables or not tables & LEGACY_TABLES:
        return False
    missing = LEGACY_TABLES - tables
    if missing:
        raise SchemaError("The database holds some of Spielraum's tables but not all of them "
                          f"(missing: {', '.join(sorted(missing))}) and no migration history; "
                          "it is left untouched. Please restore it from a backup or point "
                          "SPIELRAUM_DATABASE_URL at another database.")
    command.stamp(alembic_config(connection), INITIAL_REVISION)
    return True


def pending_changes(engine_or_url: Engine | str) -> list:
    """What autogenerate would put into a new revision: empty when models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from sqlmodel import SQLModel

    from app.storage import tables  # noqa: F401 - registers the tables

    with locked_connection(engine_or_url) as connection:
        options = {k: v for k, v in configure_options().items() if k != "render_item"}
        context = MigrationContext.configure(connection, opts=options)
        return compare_metadata(context, SQLModel.metadata)


def new_revision(engine_or_url: Engine | str, message: str, autogenerate: bool = True) -> str:
    """Write versions/<NNNN>_<slug>.py from the difference between the models and the database
    (which must be at head); returns the new revision id."""
    script = ScriptDirectory.from_config(alembic_config())
    numbers = [int(match.group(1)) for rev in script.walk_revisions()
               if (match := re.match(r"(\d{4})_", rev.revision))]
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40] or "change"
    rev_id = f"{max(numbers, default=0) + 1:04d}_{slug}"
    with locked_connection(engine_or_url) as connection:
        if autogenerate and _current(connection) != script.get_current_head():
            raise SchemaError("The database is not at the newest revision; run `spielraum db upgrade` first.")
        command.revision(alembic_config(connection), message=message, autogenerate=autogenerate, rev_id=rev_id)
    return rev_id
