"""`spielraum prompts list --format json` and `spielraum prompts import FILE`.

An import is all or nothing: every entry is parsed and checked by the guard first, so a
file with one problem entry changes nothing and the message names the entry to fix.
Entries are upserted by their key (origin "imported"); a curator's local edit is kept.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from sqlmodel import Session

from app.learning import library
from app.storage import learning_store
from app.storage.tables import PromptStatus


def run_prompts_command(args, engine_factory) -> int:
    settings, engine = engine_factory()
    try:
        library.load_shipped(engine)
        if args.prompts_command == "list":
            return _list(engine, args.format)
        return _import(engine, settings, Path(args.file))
    except library.LibraryFileError as exc:
        print(f"spielraum: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()


def _list(engine, output_format: str) -> int:
    with Session(engine) as session:
        prompts = [p for p in learning_store.all_prompts(session) if p.status == PromptStatus.PUBLISHED.value]
        listing = library.as_listing(prompts)
    if output_format == "json":
        print(json.dumps(listing, ensure_ascii=False, indent=2))
    else:
        for item in listing:
            print(f"{item['category']} · {item['title']}")
    return 0


def _import(engine, settings, path: Path) -> int:
    from app.guard_setup import guard_from_settings
    from guardrails import Vault

    if not path.is_file():
        print(f"spielraum: {path} is not a file", file=sys.stderr)
        return 1
    entries = library.parse_entries(path)
    guard = guard_from_settings(settings)
    for entry in entries:
        # Field by field, as in the app (see app.learning.text_check).
        kinds = sorted({f.entity_type for name in library.FIELDS if entry.fields()[name]
                        for f in guard.scan_prompt(entry.fields()[name], Vault()).findings
                        if f.action in ("pseudonymize", "mask", "block")})
        if kinds:
            # Only the kinds: the value itself must not end up in a terminal log.
            print(f"spielraum: {path.name}: entry {entry.key!r} contains personal data ({', '.join(kinds)}); "
                  "nothing was imported. Replace it with a variable such as {{Name}}.", file=sys.stderr)
            return 1
    counts = library.store_entries(engine, entries, "imported")
    print(f"Imported {path.name}: {counts['added']} added, {counts['updated']} updated, "
          f"{counts['unchanged']} unchanged, {counts['kept']} kept (edited locally).")
    return 0
