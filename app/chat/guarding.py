"""The app's side of the guard: scan a request's messages, summarise what was found.

`scan_messages` is THE one place where the messages of one request meet the guard: today it
scans them one after the other with one vault (so a value keeps its placeholder across
messages); a conversation-wide scan can replace the loop here without touching any caller.
It is synchronous and CPU-bound: the pipeline runs it through the guard gate, in a worker
thread. A guard failure becomes `GuardFailed` (fail closed: the caller sends nothing).
Summaries and finding records hold entity types, counts, scores and recognizer names, never
a value.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable


from app.errors import GuardFailed
from app.storage.tables import FindingRecord
from guardrails import AppliedFinding, Guard, GuardUnavailable, ScanResult, Vault

log = logging.getLogger("spielraum.guard")

# Actions after which the value no longer appears in the text that is sent.
REPLACING_ACTIONS = ("pseudonymize", "mask")


def scan_messages(guard: Guard, texts: list[str], vault: Vault) -> list[ScanResult]:
    """One ScanResult per text, in order, all with the same vault; GuardFailed if detection fails."""
    results: list[ScanResult] = []
    for text in texts:
        try:
            results.append(guard.scan_prompt(text, vault))
        except GuardUnavailable as exc:
            log.error("guard.unavailable", extra={"reason": exc.reason, "chars": len(text)})
            raise GuardFailed() from None
    return results


def replaced_summary(findings: Iterable[AppliedFinding]) -> dict[str, int]:
    """{"PERSON": 2, "IBAN_CODE": 1}: how many values of each type were replaced, in order of first appearance."""
    summary: dict[str, int] = {}
    for finding in findings:
        if finding.action in REPLACING_ACTIONS:
            summary[finding.entity_type] = summary.get(finding.entity_type, 0) + 1
    return summary


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


def conversation_title(pseudonymised_prompt: str, limit: int = 60) -> str:
    """The first characters of the pseudonymised prompt, never ending in half a placeholder."""
    text = " ".join(pseudonymised_prompt.split())
    if len(text) <= limit:
        return text
    title = text[:limit]
    if title.rfind("[") > title.rfind("]"):
        title = title[:title.rfind("[")]
    return title.rstrip() + " …"
