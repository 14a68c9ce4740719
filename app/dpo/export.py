"""The filtered log as CSV or JSON Lines, produced row by row for the web and the CLI alike.

Only pseudonymised content and metadata: the stored text, finding types, counts, scores,
recognizers. An exchange flagged as "personal data was missed" is exported without its text
(`text_withheld`), because an export leaves the desk. CSV cells that a spreadsheet would
read as a formula are prefixed with an apostrophe.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.dpo.access import References
from app.storage.dpo_queries import LogFilter, PERSON_MARK, export_batches

FORMATS = ("csv", "jsonl")
COLUMNS = ("id", "created_at", "user", "model_id", "channel", "verdict", "error_code", "prompt_tokens",
           "completion_tokens", "guard_ms", "upstream_ms", "findings", "text_withheld", "prompt", "answer")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


def _records(engine: Engine, filters: LogFilter, references: References) -> Iterator[dict]:
    with Session(engine) as session:
        for rows, findings, hidden in export_batches(session, filters):
            for row in rows:
                withheld = row.id in hidden
                yield {
                    "id": row.id, "created_at": row.created_at.isoformat(), "user": references.of(row.user_id),
                    "model_id": row.model_id, "channel": row.channel, "verdict": row.verdict,
                    "error_code": row.error_code, "prompt_tokens": row.prompt_tokens,
                    "completion_tokens": row.completion_tokens, "guard_ms": round(row.guard_ms, 1),
                    "upstream_ms": round(row.upstream_ms, 1),
                    "findings": [{"entity_type": f.entity_type, "count": f.count,
                                  "max_score": round(f.max_score, 3), "recognizer": f.recognizer,
                                  "action": f.action, "marked_by_person": f.recognizer == PERSON_MARK}
                                 for f in findings.get(row.id, [])],
                    "text_withheld": withheld,
                    "prompt": "" if withheld else row.prompt_pseudonymised,
                    "answer": "" if withheld else row.answer_pseudonymised,
                }


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def jsonl_lines(engine: Engine, filters: LogFilter, references: References) -> Iterator[str]:
    for item in _records(engine, filters, references):
        yield json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n"


def csv_lines(engine: Engine, filters: LogFilter, references: References) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(COLUMNS)
    yield flush()
    for item in _records(engine, filters, references):
        item["findings"] = ";".join(f"{f['entity_type']}:{f['count']}" for f in item["findings"])
        writer.writerow([_cell(item[name]) for name in COLUMNS])
        yield flush()


def lines(fmt: str, engine: Engine, filters: LogFilter, references: References) -> Iterator[str]:
    return (csv_lines if fmt == "csv" else jsonl_lines)(engine, filters, references)
