"""The DPO desk's reads: the filtered redaction log, one exchange, statistics, export batches.

Design choices, for speed with 100,000+ exchanges:
- the log is ordered by `created_at DESC, id DESC` and fetched one row more than a page, so
  "is there a next page" never needs a COUNT over the whole filter;
- the entity-type filter is an `IN (SELECT exchange_id FROM findings WHERE entity_type = …)`
  sub-query, which uses the findings' entity_type index instead of joining every row;
- counts per entity type are fetched only for the rows on the page;
- exports walk the log in id-keyed batches, so memory stays flat however large the result.
Days are UTC days; every bound is a timezone-aware UTC time, as the columns require.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import or_
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
            where.append(col(Exchange.id).in_(
                select(FindingRecord.exchange_id).where(FindingRecord.entity_type == self.entity_type)))
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
    """{"2026-12-01": {"total": 12, "blocked": 2, "with_pii": 7}} for each day that had exchanges."""
    day = _day(Exchange.created_at)
    result: dict[str, dict[str, int]] = {}
    for value, verdict, count in session.exec(
            select(day, Exchange.verdict, func.count()).where(*_between(col(Exchange.created_at), since, until))
            .group_by(day, Exchange.verdict)):
        entry = result.setdefault(str(value), {"total": 0, "blocked": 0, "with_pii": 0})
        entry["total"] += count
        if verdict == Verdict.BLOCKED.value:
            entry["blocked"] += count
    with_pii = (select(day, func.count(func.distinct(Exchange.id)))
                .join(FindingRecord, col(FindingRecord.exchange_id) == col(Exchange.id))
                .where(*_between(col(Exchange.created_at), since, until), FindingRecord.recognizer != PERSON_MARK)
                .group_by(day))
    for value, count in session.exec(with_pii):
        result.setdefault(str(value), {"total": 0, "blocked": 0, "with_pii": 0})["with_pii"] = count
    return result


def findings_by_day_and_type(session: Session, since: date, until: date) -> dict[str, dict[str, int]]:
    """{"PERSON": {"2026-12-01": 5, …}, …}: values found per entity type and day."""
    day = _day(Exchange.created_at)
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for value, entity_type, total in session.exec(
            select(day, FindingRecord.entity_type, func.sum(FindingRecord.count))
            .join(Exchange, col(FindingRecord.exchange_id) == col(Exchange.id))
            .where(*_between(col(Exchange.created_at), since, until), FindingRecord.recognizer != PERSON_MARK)
            .group_by(day, FindingRecord.entity_type)):
        result[entity_type][str(value)] = int(total or 0)
    return result


def top_recognizers(session: Session, since: date, until: date, limit: int = 10) -> list[tuple[str, int]]:
    total = func.sum(FindingRecord.count)
    return [(name or "?", int(count or 0)) for name, count in session.exec(
        select(FindingRecord.recognizer, total)
        .join(Exchange, col(FindingRecord.exchange_id) == col(Exchange.id))
        .where(*_between(col(Exchange.created_at), since, until), FindingRecord.recognizer != PERSON_MARK)
        .group_by(FindingRecord.recognizer).order_by(total.desc()).limit(limit))]


def guard_missed(session: Session, since: date, until: date) -> dict[str, dict[str, int]]:
    """What the guard missed, by entity type: people's own marks before sending and DPO flags.
    {"PERSON": {"person_mark": 3, "dpo_flag": 1}}."""
    result: dict[str, dict[str, int]] = defaultdict(lambda: {"person_mark": 0, "dpo_flag": 0})
    for entity_type, total in session.exec(
            select(FindingRecord.entity_type, func.sum(FindingRecord.count))
            .join(Exchange, col(FindingRecord.exchange_id) == col(Exchange.id))
            .where(*_between(col(Exchange.created_at), since, until), FindingRecord.recognizer == PERSON_MARK)
            .group_by(FindingRecord.entity_type)):
        result[entity_type]["person_mark"] += int(total or 0)
    for entity_type, count in session.exec(
            select(ExchangeFlag.entity_type, func.count())
            .where(ExchangeFlag.kind == FlagKind.MISSED.value, *_between(col(ExchangeFlag.created_at), since, until))
            .group_by(ExchangeFlag.entity_type)):
        result[entity_type or "?"]["dpo_flag"] += count
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

