"""`SPIELRAUM_CONFIG_FILE`: starting the app from a configuration file.

At start the file is imported when its content differs from the file imported last time
(its SHA-256 is kept in `config_file_state`). So an unchanged file leaves the browser's edits
alone, and a changed file wins over them, once.

Several worker processes start at once: the check and the import run in one transaction
that holds the same lock as the schema migration (`schema.locked_connection`: an advisory
lock on PostgreSQL, BEGIN IMMEDIATE on SQLite). The second worker waits, then finds the
hash stored and does nothing. A broken file stops the start with every problem and its line;
nothing is written then.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.admin import config_io
from app.admin.config_yaml import ConfigFileInvalid
from app.storage import config_store
from app.storage.schema import locked_connection

log = logging.getLogger("spielraum.config")

STATE_NAME = "startup"


class ConfigFileError(RuntimeError):
    """The configuration file cannot be applied; the message lists the problems with their lines."""


def read_file(path: Path) -> tuple[str, str]:
    """The file's text and SHA-256; a missing or undecodable file is a ConfigFileError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigFileError(f"{path}: cannot read the configuration file ({exc.strerror or type(exc).__name__})") from None
    if len(raw) > config_io.MAX_FILE_BYTES:
        raise ConfigFileError(f"{path}:1: the file is larger than {config_io.MAX_FILE_BYTES // 1024} KB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ConfigFileError(f"{path}:{line}: the file is not UTF-8 text") from None
    return text, hashlib.sha256(raw).hexdigest()


def apply_config_file(engine: Engine | str, path: Path) -> list[str] | None:
    """Import `path` if it changed since the last import. Returns the areas that changed
    (empty: the file matched the database already), or None when the file was applied before."""
    text, digest = read_file(path)
    with locked_connection(engine) as connection, Session(bind=connection) as session:
        if config_store.applied_file_hash(session, STATE_NAME) == digest:
            return None
        try:
            plan = config_io.preview(session, text, str(path))
        except ConfigFileInvalid as exc:
            raise ConfigFileError("The configuration file (SPIELRAUM_CONFIG_FILE) cannot be used:\n"
                                  + "\n".join(exc.lines())) from None
        areas = config_io.apply(session, plan, config_io.SYSTEM, path.name)
        config_store.remember_file_hash(session, STATE_NAME, digest)
        session.commit()
    log.info("config.file_applied", extra={"areas": areas, "sha256": digest[:12]})
    return areas
