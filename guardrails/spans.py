"""Turn the recognizers' overlapping candidate spans into one non-overlapping set.

Overlapping candidates are merged into their union: for redaction, a character that any
confident recognizer claims is better hidden than leaked. The merged span takes the type of
its strongest member (score first, then length), so "Lindenstraße 14, 04109 Leipzig" stays
one ADDRESS even when a PLZ or a person-named street was found inside it.
"""
from __future__ import annotations

from guardrails.findings import Finding


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    ordered = sorted(findings, key=lambda f: (f.start, -f.end))
    clusters: list[list[Finding]] = []
    cluster_end = -1
    for finding in ordered:
        if clusters and finding.start < cluster_end:
            clusters[-1].append(finding)
            cluster_end = max(cluster_end, finding.end)
        else:
            clusters.append([finding])
            cluster_end = finding.end
    return [_merge(cluster) for cluster in clusters]


def _merge(cluster: list[Finding]) -> Finding:
    if len(cluster) == 1:
        return cluster[0]
    strongest = max(cluster, key=lambda f: (f.score, f.end - f.start))
    credited = _credited(strongest, cluster)
    return Finding(
        entity_type=strongest.entity_type,
        start=min(f.start for f in cluster),
        end=max(f.end for f in cluster),
        score=credited.score,
        recognizer=credited.recognizer,
    )


# The search for values already found (guardrails.known_values) re-finds every value where it
# was first found, at full score; the credit for that span (recognizer and score, as IT sees
# them in the test console and the DPO in the findings) belongs to the recognizer that found it.
_RECURRENCE = "ConversationVault"


def _credited(strongest: Finding, cluster: list[Finding]) -> Finding:
    if strongest.recognizer != _RECURRENCE:
        return strongest
    same = [f for f in cluster if f.recognizer != _RECURRENCE and (f.start, f.end) == (strongest.start, strongest.end)
            and f.entity_type == strongest.entity_type]
    return max(same, key=lambda f: f.score) if same else strongest


_JOINERS = frozenset("._-")


def join_split_names(text: str, findings: list[Finding]) -> list[Finding]:
    """One account name, one finding: "katharina" "." "oberlaender" become one PERSON span,
    so no part of it stays readable between two placeholders."""
    out: list[Finding] = []
    for f in findings:
        if out and out[-1].entity_type == f.entity_type == "PERSON" and f.start - out[-1].end == 1 \
                and text[out[-1].end] in _JOINERS:
            last = out[-1]
            out[-1] = Finding("PERSON", last.start, f.end, max(last.score, f.score), last.recognizer)
        else:
            out.append(f)
    return out
