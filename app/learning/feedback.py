"""Feedback on answers and the overview built from it (and from model-comparison votes).

Reasons are a fixed list so the overview can count them; the comment is free text and is
stored pseudonymised. The overview aggregates in Python: the numbers of ratings in one
authority are small, and one readable function beats a clever query.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from app.storage.tables import AnswerFeedback, ModelVote

REASONS: tuple[tuple[str, str], ...] = (
    ("fachlich_falsch", "reason_wrong"),
    ("erfunden", "reason_invented"),
    ("unvollstaendig", "reason_incomplete"),
    ("unbrauchbar_formuliert", "reason_badly_worded"),
    ("hilfreich", "reason_helpful"),
)
REASON_CODES = tuple(code for code, _ in REASONS)
REASON_KEYS = dict(REASONS)


@dataclass
class Tally:
    helpful: int = 0
    not_helpful: int = 0
    wins: int = 0
    losses: int = 0
    ties: int = 0

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def share_helpful(self) -> int | None:
        return round(100 * self.helpful / self.total) if self.total else None


@dataclass
class Overview:
    per_model: dict[str, Tally] = field(default_factory=dict)
    per_prompt: dict[int, Tally] = field(default_factory=dict)
    reasons: list[tuple[str, int]] = field(default_factory=list)
    comments: list[AnswerFeedback] = field(default_factory=list)
    votes: int = 0


def build_overview(feedback: list[AnswerFeedback], votes: list[ModelVote]) -> Overview:
    overview = Overview()
    reasons: Counter[str] = Counter()
    for item in feedback:
        for key, table in ((item.model_id, overview.per_model), (item.prompt_id, overview.per_prompt)):
            if key is None:
                continue
            tally = table.setdefault(key, Tally())
            if item.helpful:
                tally.helpful += 1
            else:
                tally.not_helpful += 1
        if item.reason:
            reasons[item.reason] += 1
        if item.comment:
            overview.comments.append(item)
    for vote in votes:
        a = overview.per_model.setdefault(vote.model_a, Tally())
        b = overview.per_model.setdefault(vote.model_b, Tally())
        if vote.winner == "a":
            a.wins, b.losses = a.wins + 1, b.losses + 1
        elif vote.winner == "b":
            b.wins, a.losses = b.wins + 1, a.losses + 1
        else:
            a.ties, b.ties = a.ties + 1, b.ties + 1
    overview.reasons = reasons.most_common()
    overview.votes = len(votes)
    return overview


def feedback_csv(feedback: list[AnswerFeedback], prompt_titles: dict[int, str]) -> str:
    """One row per rating; the comment as stored (pseudonymised). Cells that a spreadsheet
    would run as a formula are prefixed with an apostrophe (CSV injection)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["created_at", "model", "prompt", "helpful", "reason", "comment"])
    for item in feedback:
        writer.writerow([_cell(v) for v in (
            item.created_at.isoformat(timespec="seconds"), item.model_id,
            prompt_titles.get(item.prompt_id, "") if item.prompt_id else "",
            "yes" if item.helpful else "no", item.reason or "", item.comment)])
    return out.getvalue()


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
