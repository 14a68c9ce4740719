"""The app's side of the guard: scan a request's messages, summarise what was found.

`scan_messages` is THE one place where the messages of one request meet the guard: it scans
them as one conversation with one vault (a value found anywhere is replaced everywhere and
keeps its placeholder across messages). It is synchronous and CPU-bound: the pipeline runs it through the guard gate, in a worker
thread. A guard failure becomes `GuardFailed` (fail closed: the caller sends nothing).
Summaries and finding records hold entity types, counts, scores and recognizer names, never
a value.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

import anyio

from app.errors import GuardFailed
from app.storage.tables import FindingRecord
from guardrails import PERSON_MARK, AppliedFinding, Guard, GuardUnavailable, ScanResult, Term, Vault

log = logging.getLogger("spielraum.guard")

# Actions after which the value no longer appears in the text that is sent.
REPLACING_ACTIONS = ("pseudonymize", "mask")


def scan_messages(guard: Guard, texts: list[str], vault: Vault, model_written: list[bool] | None = None,
                  terms: Sequence[Term] = ()) -> list[ScanResult]:
    """One ScanResult per text, in order, all with the same vault; GuardFailed if detection fails.

    The texts are scanned as one conversation: a value found in any of them is replaced in all,
    and one person keeps one placeholder however they are named. `model_written` flags earlier
    answers of the model; `terms` are words the person marked as personal data."""
    try:
        return guard.scan_conversation(texts, vault, model_written=model_written, terms=terms)
    except GuardUnavailable as exc:
        log.error("guard.unavailable", extra={"reason": exc.reason, "chars": sum(len(t) for t in texts)})
        raise GuardFailed() from None


async def scan(guard: Guard, text: str, vault: Vault) -> ScanResult:
    """One short text (a title, a library prompt, a note) off the event loop, fail closed."""
    return (await anyio.to_thread.run_sync(scan_messages, guard, [text], vault))[0]


def replaced_summary(findings: Iterable[AppliedFinding]) -> dict[str, int]:
    """{"PERSON": 2, "IBAN_CODE": 1}: how many distinct values of each type were pseudonymised,
    in order of first appearance. A name repeated 247 times is one name: one placeholder."""
    seen: dict[str, set[str]] = {}
    for finding in findings:
        if finding.action == "pseudonymize":
            seen.setdefault(finding.entity_type, set()).add(finding.placeholder or f"{finding.start}")
    return {kind: len(values) for kind, values in seen.items()}


def masked_summary(findings: Iterable[AppliedFinding], text: str) -> dict[str, int]:
    """Distinct masked values per type; the values are compared in memory and never kept."""
    seen: dict[str, set[str]] = {}
    for finding in findings:
        if finding.action == "mask":
            seen.setdefault(finding.entity_type, set()).add(text[finding.start:finding.end])
    return {kind: len(values) for kind, values in seen.items()}


def finding_records(findings: Iterable[AppliedFinding]) -> list[FindingRecord]:
    """One record per entity type: count, highest score, the recognizer behind it, the action.
    What the person marked themselves gets records of its own (recognizer `person_mark`), so the
    data protection officer sees what the guard missed apart from what it found."""
    records: dict[tuple[str, bool], FindingRecord] = {}
    for finding in findings:
        key = (finding.entity_type, finding.recognizer == PERSON_MARK)
        record = records.get(key)
        if record is None:
            records[key] = FindingRecord(
                entity_type=finding.entity_type, count=1, max_score=float(finding.score),
                recognizer=finding.recognizer[:100], action=finding.action)
            continue
        record.count += 1
        if finding.score > record.max_score:
            record.max_score = float(finding.score)
            record.recognizer = finding.recognizer[:100]
        if finding.action == "block":
            record.action = "block"
    return list(records.values())


def conversation_title(pseudonymised_prompt: str, limit: int = 120) -> str:
    """The first characters of the pseudonymised prompt, never ending in half a placeholder.
    The list shows two lines of it and the whole title on hover."""
    text = " ".join(pseudonymised_prompt.split())
    if len(text) <= limit:
        return text
    title = text[:limit]
    if title.rfind("[") > title.rfind("]"):
        title = title[:title.rfind("[")]
    return title.rstrip() + " …"
