"""`spielraum redact --jsonl`: the guard as a filter, for evaluation with shared/eval/score.py.

Reads {"id", "text", "language"} per line, writes {"id", "redacted_text", "findings"} with
offsets into the original text. It uses exactly the guard the chat uses (same settings).
"""
from __future__ import annotations

import json
import sys
from typing import TextIO

from app.guard_setup import guard_from_settings
from app.settings import Settings
from guardrails import Vault


def run_redact_jsonl(stdin: TextIO, stdout: TextIO, settings: Settings | None = None) -> int:
    guard = guard_from_settings(settings or Settings())
    for line_no, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["text"]
        except (json.JSONDecodeError, KeyError, TypeError):
            print(f"line {line_no}: expected a JSON object with a 'text' field", file=sys.stderr)
            return 2
        result = guard.scan_prompt(text, Vault(), language=record.get("language"))
        stdout.write(json.dumps({
            "id": record.get("id"),
            "redacted_text": result.text if not result.blocked else _placeholders_only(text, result),
            "findings": [{"entity_type": f.entity_type, "start": f.start, "end": f.end, "score": f.score,
                          "recognizer": f.recognizer} for f in result.findings],
        }, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def _placeholders_only(text: str, result) -> str:
    """A blocked prompt has no sent text; show the redaction anyway for evaluation."""
    out, cursor = [], 0
    for f in result.findings:
        out += [text[cursor:f.start], f"[{f.entity_type}]"]
        cursor = f.end
    out.append(text[cursor:])
    return "".join(out)
