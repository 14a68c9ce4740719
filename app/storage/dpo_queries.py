"""The DPO desk's reads: the filtered redaction log, one exchange, statistics, export batches.

Design choices, for speed with 100,000+ exchanges:
- the log is ordered by `created_at DESC, id DESC` and fetched one row more than a page, so
  "is there a next page" never needs a COUNT over the whole filter;
- the entity-type filter is a correlated EXISTS on findings, so the newest-first walk over the
  created_at index stops after one page;
- counts per entity type are fetched only for the rows on the page;
- exports walk the log in id-keyed batches, so memory stays flat however large the result.
Days are UTC days; every bound is a timezone-aware UTC time, as the columns require.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import case, or_
from sqlmodel import Session, col, func, select

from app.storage.tables import Exchange, ExchangeFlag, FindingRecord, FlagKind, RetentionRun, Verdict

PERSON_MARK = "person_mark"  # finding records of what people marked themselves before sending


def as_utc(moment: datetime) -> datetime:
    """Columns are timezone-aware UTC; a naive value is taken to be UTC already."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


@dataclass(frozen=True)
class LogFilter:
    since: date | None = None
    until: date | None = None          # inclusive
    entity_type: str | None = None
    model_id: str | None = None
    verdict: str | None = None
    user_ids: tuple[int, ...] | None = None  # None: everyone; (): nobody matched the reference
    q: str | None = None

    def conditions(self) -> list:
        where: list = []
        if self.since:
            where.append(col(Exchange.created_at) >= day_start(self.since))
        if self.until:
            where.append(col(Exchange.created_at) < day_start(self.until + timedelta(days=1)))
        if self.model_id:
            where.append(col(Exchange.model_id) == self.model_id)
        if self.verdict:
            where.append(col(Exchange.verdict) == self.verdict)
        if self.user_ids is not None:
            where.append(col(Exchange.user_id).in_(self.user_ids) if self.user_ids else False)
        if self.entity_type:
            # EXISTS, probed per exchange through findings.exchange_id: the newest-first walk over
            # created_at stops after one page instead of collecting every finding of the type.
            where.append(select(FindingRecord.id).where(
                col(FindingRecord.exchange_id) == col(Exchange.id),
                FindingRecord.entity_type == self.entity_type).exists())
        if self.q:
            pattern = "%" + self.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append(or_(col(Exchange.prompt_pseudonymised).like(pattern, escape="\\"),
                             col(Exchange.answer_pseudonymised).like(pattern, escape="\\")))
        return where


@dataclass
class LogPage:
    rows: list[Exchange]
    counts: dict[int, dict[str, int]]
    hidden: set[int]
    page: int
    has_next: bool
    per_page: int = 50
    flags: dict[int, list[str]] = field(default_factory=dict)


def log_page(session: Session, filters: LogFilter, page: int = 1, per_page: int = 50) -> LogPage:
    query = (select(Exchange).where(*filters.conditions())
             .order_by(col(Exchange.created_at).desc(), col(Exchange.id).desc())
             .offset((page - 1) * per_page).limit(per_page + 1))
    rows = list(session.exec(query))
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    ids = [row.id for row in rows]
    return LogPage(rows=rows, counts=finding_counts(session, ids), hidden=hidden_exchange_ids(session, ids),
                   page=page, has_next=has_next, per_page=per_page, flags=flag_kinds(session, ids))


def finding_counts(session: Session, exchange_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if not exchange_ids:
        return counts
    for exchange_id, entity_type, count in session.exec(
            select(FindingRecord.exchange_id, FindingRecord.entity_type, FindingRecord.count)
            .where(col(FindingRecord.exchange_id).in_(exchange_ids))
            .where(FindingRecord.recognizer != PERSON_MARK)):
        counts[exchange_id][entity_type] = counts[exchange_id].get(entity_type, 0) + count
    return counts


def flag_kinds(session: Session, exchange_ids: list[int]) -> dict[int, list[str]]:
    kinds: dict[int, list[str]] = defaultdict(list)
    if exchange_ids:
        for exchange_id, kind in session.exec(select(ExchangeFlag.exchange_id, ExchangeFlag.kind)
                                              .where(col(ExchangeFlag.exchange_id).in_(exchange_ids))):
            kinds[exchange_id].append(kind)
    return kinds


def hidden_exchange_ids(session: Session, exchange_ids: list[int]) -> set[int]:
    """Exchanges whose text is withheld: a DPO flagged personal data the guard missed."""
    if not exchange_ids:
        return set()
    return set(session.exec(select(ExchangeFlag.exchange_id).where(
        col(ExchangeFlag.exchange_id).in_(exchange_ids), ExchangeFlag.kind == FlagKind.MISSED.value)))


def model_ids(session: Session) -> list[str]:
    return list(session.exec(select(Exchange.model_id).distinct().order_by(Exchange.model_id)))


def entity_types(session: Session) -> list[str]:
    return list(session.exec(select(FindingRecord.entity_type).distinct().order_by(FindingRecord.entity_type)))


def exchange_flags(session: Session, exchange_id: int) -> list[ExchangeFlag]:
    return list(session.exec(select(ExchangeFlag).where(ExchangeFlag.exchange_id == exchange_id)
                             .order_by(col(ExchangeFlag.id))))


def list_flags(session: Session, limit: int = 500) -> list[ExchangeFlag]:
    return list(session.exec(select(ExchangeFlag).order_by(col(ExchangeFlag.created_at).desc(),
                                                           col(ExchangeFlag.id).desc()).limit(limit)))


# -- export ------------------------------------------------------------------------------
def export_batches(session: Session, filters: LogFilter, batch_size: int = 500
                   ) -> Iterator[tuple[list[Exchange], dict[int, list[FindingRecord]], set[int]]]:
    """The filtered log in id order, batch by batch, each with its findings and withheld ids."""
    last_id = 0
    while True:
        rows = list(session.exec(select(Exchange).where(*filters.conditions(), col(Exchange.id) > last_id)
                                 .order_by(col(Exchange.id)).limit(batch_size)))
        if not rows:
            return
        ids = [row.id for row in rows]
        findings: dict[int, list[FindingRecord]] = defaultdict(list)
        for record in session.exec(select(FindingRecord).where(col(FindingRecord.exchange_id).in_(ids))
                                   .order_by(col(FindingRecord.id))):
            findings[record.exchange_id].append(record)
        yield rows, findings, hidden_exchange_ids(session, ids)
        session.expunge_all()  # keep memory flat over a long export
        last_id = ids[-1]


# -- statistics --------------------------------------------------------------------------
def _day(column):
    return func.date(column)


def _between(column, since: date, until: date) -> list:
    return [column >= day_start(since), column < day_start(until + timedelta(days=1))]


def daily_volumes(session: Session, since: date, until: date) -> dict[str, dict[str, int]]:
    """{"2026-12-01": {"total": 12, "blocked": 2, "with_pii": 7}} for each day that had exchanges;
    one pass over the created_at range, personal data found by an EXISTS probe per exchange."""
    day = _day(Exchange.created_at)
    has_pii = select(FindingRecord.id).where(col(FindingRecord.exchange_id) == col(Exchange.id),
                                             FindingRecord.recognizer != PERSON_MARK).exists()
    result: dict[str, dict[str, int]] = {}
    for value, total, blocked, with_pii in session.exec(
            select(day, func.count(),
                   func.sum(case((col(Exchange.verdict) == Verdict.BLOCKED.value, 1), else_=0)),
                   func.sum(case((has_pii, 1), else_=0)))
            .where(*_between(col(Exchange.created_at), since, until)).group_by(day)):
        result[str(value)] = {"total": total, "blocked": int(blocked or 0), "with_pii": int(with_pii or 0)}
    return result


@dataclass
class FindingTotals:
    by_type_and_day: dict[str, dict[str, int]]   # guard findings: {"PERSON": {"2026-12-01": 5}}
    by_recognizer: list[tuple[str, int]]         # guard findings, most frequent first
    person_marks: dict[str, int]                 # what people marked themselves, by entity type


def finding_totals(session: Session, since: date, until: date) -> FindingTotals:
    """Every finding statistic of the dashboard from one grouped pass over the date range."""
    day = _day(Exchange.created_at)
    by_type: dict[str, dict[str, int]] = defaultdict(dict)
    by_recognizer: dict[str, int] = defaultdict(int)
    marks: dict[str, int] = defaultdict(int)
    for value, entity_type, recognizer, total in session.exec(
            select(day, FindingRecord.entity_type, FindingRecord.recognizer, func.sum(FindingRecord.count))
            .join(Exchange, col(FindingRecord.exchange_id) == col(Exchange.id))
            .where(*_between(col(Exchange.created_at), since, until))
            .group_by(day, FindingRecord.entity_type, FindingRecord.recognizer)):
        total = int(total or 0)
        if recognizer == PERSON_MARK:
            marks[entity_type] += total
            continue
        key = str(value)
        by_type[entity_type][key] = by_type[entity_type].get(key, 0) + total
        by_recognizer[recognizer or "?"] += total
    ranked = sorted(by_recognizer.items(), key=lambda item: (-item[1], item[0]))
    return FindingTotals(dict(by_type), ranked, dict(marks))


def missed_flags(session: Session, since: date, until: date) -> dict[str, int]:
    return {entity_type or "?": count for entity_type, count in session.exec(
        select(ExchangeFlag.entity_type, func.count())
        .where(ExchangeFlag.kind == FlagKind.MISSED.value, *_between(col(ExchangeFlag.created_at), since, until))
        .group_by(ExchangeFlag.entity_type))}


def guard_missed(session: Session, since: date, until: date,
                 totals: FindingTotals | None = None) -> dict[str, dict[str, int]]:
    """What the guard missed, by entity type: people's own marks before sending and DPO flags.
    {"PERSON": {"person_mark": 3, "dpo_flag": 1}}."""
    totals = totals or finding_totals(session, since, until)
    result: dict[str, dict[str, int]] = defaultdict(lambda: {"person_mark": 0, "dpo_flag": 0})
    for entity_type, count in totals.person_marks.items():
        result[entity_type]["person_mark"] += count
    for entity_type, count in missed_flags(session, since, until).items():
        result[entity_type]["dpo_flag"] += count
    return dict(result)


def flag_summary(session: Session, since: date, until: date) -> dict[str, dict[str, int]]:
    """{"missed": {"open": 2, "tuned": 1, …}, "over_redacted": {…}}."""
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, resolution, count in session.exec(
            select(ExchangeFlag.kind, ExchangeFlag.resolution, func.count())
            .where(*_between(col(ExchangeFlag.created_at), since, until))
            .group_by(ExchangeFlag.kind, ExchangeFlag.resolution)):
        result[kind][resolution or "open"] = count
    return dict(result)


def retention_runs(session: Session, since: date | None = None, until: date | None = None,
                   limit: int = 100) -> list[RetentionRun]:
    query = select(RetentionRun)
    if since and until:
        query = query.where(*_between(col(RetentionRun.started_at), since, until))
    return list(session.exec(query.order_by(col(RetentionRun.started_at).desc()).limit(limit)))


def exchange_totals(session: Session, since: date, until: date) -> dict[str, int]:
    totals = {"total": 0, Verdict.SENT.value: 0, Verdict.BLOCKED.value: 0, Verdict.ERROR.value: 0}
    for verdict, count in session.exec(select(Exchange.verdict, func.count())
                                       .where(*_between(col(Exchange.created_at), since, until))
                                       .group_by(Exchange.verdict)):
        totals[verdict] = totals.get(verdict, 0) + count
        totals["total"] += count
    return totals

