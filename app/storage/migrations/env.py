"""Alembic's environment for Spielraum, driven by `app.storage.schema` (no alembic.ini).

`schema.py` opens the connection, takes the migration lock and hands the connection in via
`config.attributes["connection"]`, so every command runs in one transaction that a second
worker process waits for. Batch mode lets the same revisions alter tables on SQLite, which
cannot ALTER most things in place.
"""
from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from app.storage import tables  # noqa: F401 - registers the tables on SQLModel.metadata
from app.storage.schema import configure_options

config = context.config


def run_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True,
                      target_metadata=SQLModel.metadata, **configure_options())
    with context.begin_transaction():
        context.run_migrations()


def run_online(connection) -> None:
    context.configure(connection=connection, target_metadata=SQLModel.metadata, **configure_options())
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
elif config.attributes.get("connection") is not None:
    run_online(config.attributes["connection"])
else:
    raise RuntimeError("Run migrations through `spielraum db …` (app.storage.schema), which opens a locked connection.")
