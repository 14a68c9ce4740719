"""The prompt library as data: shipped YAML/JSON files, variables, loading without overwriting.

Design choice: the shipped prompts are plain files under `app/learning/library/` so a curator
reviews them in a pull request like code. On start they are upserted by their stable `key`;
each row remembers the hash of the file content it came from. A changed file updates a row
nobody touched, while a row a curator edited in Spielraum (`locally_edited`) is kept as is.
The same loader serves `spielraum prompts import FILE` (origin "imported").

Shipped texts are not scanned by the guard at start (that would cost seconds on every
start); a test proves every shipped entry is free of personal data. Imported files and
prompts written in Spielraum are scanned before they are stored.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.storage import learning_store

LIBRARY_DIR = Path(__file__).resolve().parent / "library"
VARIABLE_RE = re.compile(r"\{\{\s*([^{}\n]{1,60}?)\s*\}\}")
FIELDS = ("title", "category", "good_for", "watch_out", "text")
LIMITS = {"title": 200, "category": 100, "good_for": 2000, "watch_out": 2000, "text": 20000}
KEY_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")


class LibraryFileError(Exception):
    """A library file a person can fix: the message names the file, entry and field."""


@dataclass(frozen=True)
class PromptEntry:
    key: str
    title: str
    category: str
    good_for: str
    watch_out: str
    text: str

    def fields(self) -> dict[str, str]:
        return {"source_key": self.key, **{name: getattr(self, name) for name in FIELDS}}

    def content_hash(self) -> str:
        return content_hash(self.fields())


def content_hash(fields: dict[str, str]) -> str:
    canonical = json.dumps({name: fields.get(name, "") for name in FIELDS}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def variables(text: str) -> list[str]:
    """The distinct `{{Variable}}` names in order of first appearance."""
    seen: list[str] = []
    for match in VARIABLE_RE.finditer(text):
        if match.group(1) not in seen:
            seen.append(match.group(1))
    return seen


def fill(text: str, values: dict[str, str]) -> str:
    """The text with each `{{Variable}}` replaced; a variable left empty stays visible."""
    def replace(match: re.Match) -> str:
        value = values.get(match.group(1), "").strip()
        return value if value else match.group(0)
    return VARIABLE_RE.sub(replace, text)


def parse_entries(path: Path) -> list[PromptEntry]:
    """Entries of one YAML or JSON file: `{"prompts": [{key, title, category, ...}]}` or a bare list."""
    try:
        raw = path.read_text(encoding="utf-8")
        data = json.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise LibraryFileError(f"{path.name}: cannot be read ({type(exc).__name__})") from None
    items = data.get("prompts") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise LibraryFileError(f"{path.name}: expected a list under 'prompts'")
    entries = []
    for index, item in enumerate(items, start=1):
        entries.append(_entry(path.name, index, item))
    keys = [entry.key for entry in entries]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise LibraryFileError(f"{path.name}: duplicate keys {', '.join(duplicates)}")
    return entries


def _entry(file_name: str, index: int, item: object) -> PromptEntry:
    where = f"{file_name}, entry {index}"
    if not isinstance(item, dict):
        raise LibraryFileError(f"{where}: expected a mapping")
    key = str(item.get("key", "")).strip()
    if not KEY_RE.fullmatch(key):
        raise LibraryFileError(f"{where}: 'key' must be lower-case letters, digits and hyphens")
    values = {}
    for name in FIELDS:
        value = item.get(name, "")
        if not isinstance(value, str):
            raise LibraryFileError(f"{where} ({key}): '{name}' must be text")
        value = value.strip()
        if name in ("title", "text") and not value:
            raise LibraryFileError(f"{where} ({key}): '{name}' is missing")
        if len(value) > LIMITS[name]:
            raise LibraryFileError(f"{where} ({key}): '{name}' is longer than {LIMITS[name]} characters")
        values[name] = value
    return PromptEntry(key=key, **values)


def shipped_entries(folder: Path = LIBRARY_DIR) -> list[PromptEntry]:
    entries: list[PromptEntry] = []
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.json")):
        entries.extend(parse_entries(path))
    keys = [entry.key for entry in entries]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise LibraryFileError(f"duplicate keys across library files: {', '.join(duplicates)}")
    return entries


def store_entries(engine: Engine, entries: list[PromptEntry], origin: str) -> dict[str, int]:
    """Upsert entries by key; counts per outcome ("added", "updated", "unchanged", "kept")."""
    counts = {"added": 0, "updated": 0, "unchanged": 0, "kept": 0}
    with Session(engine) as session:
        for entry in entries:
            try:
                outcome = learning_store.upsert_sourced_prompt(session, entry.fields(), entry.content_hash(), origin)
            except IntegrityError:
                # Another worker starting at the same moment added this key first: same content.
                session.rollback()
                outcome = "unchanged"
            counts[outcome] += 1
    return counts


def load_shipped(engine: Engine, folder: Path = LIBRARY_DIR) -> dict[str, int]:
    return store_entries(engine, shipped_entries(folder), "shipped")


def as_listing(prompts) -> list[dict]:
    """What `spielraum prompts list --format json` prints per prompt."""
    return [{"key": p.source_key, "title": p.title, "category": p.category, "good_for": p.good_for,
             "watch_out": p.watch_out, "text": p.text, "variables": variables(p.text), "origin": p.origin,
             "status": p.status} for p in prompts]
