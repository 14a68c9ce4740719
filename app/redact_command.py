"""`spielraum redact --jsonl`: the guard as a filter, for evaluation with shared/eval/score.py.

It uses exactly the guard the chat uses (same settings, and the policy of the control room when
the configured database exists and holds one). One line in, one line out, in
the same order: a bad line gets an error line of its own and the run goes on, so an
evaluation never loses the lines after a broken one and never shifts ids.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from app.settings import Settings

FORMATS_HELP = """\
input (stdin), one JSON object per line (UTF-8; empty lines are skipped):
  {"id": "a1", "text": "Bitte rufen Sie Frau Anna Schmidt an.", "language": "de"}
  id        any JSON value, copied to the output (optional)
  text      the text to check (required, a string)
  language  "de" or "en" (optional; guessed from the text when missing)

output (stdout), one JSON object per input line, in the same order:
  {"id": "a1", "redacted_text": "Bitte rufen Sie Frau [PERSON_1] an.",
   "findings": [{"entity_type": "PERSON", "start": 21, "end": 33, "score": 0.85,
                 "recognizer": "..."}]}
  start/end are character offsets into the original text. A prompt the policy would
  block is shown with [ENTITY_TYPE] in place of each finding.

a line that cannot be read gets an error line instead, and the run goes on:
  {"id": "a2", "error": "invalid_json", "message": "line 2: not valid JSON"}
  (id is null where none could be read; error is one of invalid_json, not_an_object,
  missing_text, text_not_a_string, invalid_language, guard_failed)

exit status: 0 when every line was processed, 1 when at least one line had an error.
"""

LANGUAGES = ("de", "en")


class LineError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _read_line(line: str, line_no: int) -> tuple[Any, str, str | None]:
    """(id, text, language) of one input line, or LineError naming what is wrong."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        raise LineError("invalid_json", f"line {line_no}: not valid JSON") from None
    if not isinstance(record, dict):
        raise LineError("not_an_object", f"line {line_no}: expected a JSON object")
    if "text" not in record:
        raise LineError("missing_text", f"line {line_no}: the 'text' field is missing")
    if not isinstance(record["text"], str):
        raise LineError("text_not_a_string", f"line {line_no}: 'text' must be a string")
    language = record.get("language")
    if language is not None and language not in LANGUAGES:
        raise LineError("invalid_language", f"line {line_no}: 'language' must be one of {', '.join(LANGUAGES)}")
    return record.get("id"), record["text"], language


def _id_of(line: str) -> Any:
    """The id of a line that is otherwise unusable, where one can be read."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return None
    return record.get("id") if isinstance(record, dict) else None


def with_database_policy(settings: Settings, guard):
    """The policy IT keeps in the control room, when the configured database exists; the file /
    settings policy otherwise. A missing SQLite file is not created (this command only reads)."""
    from sqlalchemy.engine import make_url

    from app.guard_policy import effective_guard
    from app.storage.engine import build_engine

    if settings.is_sqlite:
        database = make_url(settings.database_url).database
        if not database or database == ":memory:" or not Path(database).exists():
            return guard
    engine = build_engine(settings)
    try:
        return effective_guard(engine, guard)
    finally:
        engine.dispose()


def run_redact_jsonl(stdin: TextIO, stdout: TextIO, settings: Settings | None = None, guard=None) -> int:
    # Imported here: `spielraum --help` and the other commands need not load the NLP stack.
    from app.guard_setup import guard_from_settings
    from guardrails import Vault

    if guard is None:
        settings = settings or Settings()
        guard = with_database_policy(settings, guard_from_settings(settings))
    failures = 0
    for line_no, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            record_id, text, language = _read_line(line, line_no)
            try:
                result = guard.scan_prompt(text, Vault(), language=language)
            except Exception as exc:  # noqa: BLE001 - one failing line must not end the run
                # Only the type: a message could quote the text.
                raise LineError("guard_failed", f"line {line_no}: the guard failed ({type(exc).__name__})") from None
        except LineError as exc:
            failures += 1
            print(exc.message, file=sys.stderr)
            out = {"id": _id_of(line), "error": exc.code, "message": exc.message}
        else:
            out = {
                "id": record_id,
                "redacted_text": result.text if not result.blocked else _placeholders_only(text, result),
                "findings": [{"entity_type": f.entity_type, "start": f.start, "end": f.end, "score": f.score,
                              "recognizer": f.recognizer} for f in result.findings],
            }
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return 1 if failures else 0


def _placeholders_only(text: str, result) -> str:
    """A blocked prompt has no sent text; show the redaction anyway for evaluation."""
    out, cursor = [], 0
    for f in result.findings:
        out += [text[cursor:f.start], f"[{f.entity_type}]"]
        cursor = f.end
    out.append(text[cursor:])
    return "".join(out)
