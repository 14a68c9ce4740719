"""The app's side of the guard: run a scan off the event loop, summarise what it found.

Scanning is CPU-bound and synchronous, so it runs in a worker thread; a guard failure
becomes `GuardFailed` (fail closed: the caller sends nothing). Summaries and finding
records hold entity types, counts, scores and recognizer names, never a value.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

import anyio

from app.errors import GuardFailed
from app.storage.tables import FindingRecord
from guardrails import AppliedFinding, Guard, GuardUnavailable, ScanResult, Vault

log = logging.getLogger("spielraum.guard")

# Actions after which the value no longer appears in the text that is sent.
REPLACING_ACTIONS = ("pseudonymize", "mask")


async def scan(guard: Guard, text: str, vault: Vault) -> ScanResult:
    try:
        return await anyio.to_thread.run_sync(guard.scan_prompt, text, vault)
    except GuardUnavailable as exc:
        log.error("guard.unavailable", extra={"reason": exc.reason, "chars": len(text)})
        raise GuardFailed() from None


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
    """One record per entity type: count, highest score, the recognizer behind it, the action."""
    records: dict[str, FindingRecord] = {}
    for finding in findings:
        record = records.get(finding.entity_type)
        if record is None:
            records[finding.entity_type] = FindingRecord(
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
