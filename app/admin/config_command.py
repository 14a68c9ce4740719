"""`spielraum config export [-o FILE]` and `spielraum config import FILE [--dry-run]`.

Exit codes: 0 done (or nothing to change), 1 the file or database cannot be used, 2 the file
has errors (each printed as `FILE:LINE: path: message` on stderr; nothing was written).
The audit entries of an import name the actor "cli".
"""
from __future__ import annotations

import sys
from pathlib import Path

from sqlmodel import Session

from app.admin import config_io
from app.admin.config_startup import ConfigFileError, read_file
from app.admin.config_yaml import ConfigFileInvalid


def run_config_command(args, engine_factory) -> int:
    _settings, engine = engine_factory()
    try:
        if args.config_command == "export":
            return _export(engine, args.output)
        return _import(engine, Path(args.file), args.dry_run)
    finally:
        engine.dispose()


def _export(engine, output: str | None) -> int:
    with Session(engine) as session:
        text = config_io.export_from(session)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        print(f"Wrote the configuration to {output}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0


def _import(engine, path: Path, dry_run: bool) -> int:
    try:
        text, _digest = read_file(path)
    except ConfigFileError as exc:
        print(f"spielraum: {exc}", file=sys.stderr)
        return 1
    with Session(engine) as session:
        try:
            plan = config_io.import_text(session, text, config_io.CLI, str(path), dry_run=dry_run)
        except ConfigFileInvalid as exc:
            for line in exc.lines():
                print(line, file=sys.stderr)
            print(f"spielraum: {len(exc.problems)} problem(s) in {path}; nothing was changed.", file=sys.stderr)
            return 2
    if plan.is_empty:
        print("No changes: the configuration already matches the file.")
        return 0
    print("\n".join(config_io.describe(plan)))
    if dry_run:
        print("Dry run: nothing was changed.")
    else:
        print(f"Imported {path.name}: changed {', '.join(plan.changed_areas())}.")
    return 0
