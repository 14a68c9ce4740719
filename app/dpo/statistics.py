"""The dashboard's numbers and the geometry of its charts.

Charts are plain SVG drawn by the server (no script, no chart library, no CDN): bars are
computed here as rectangles and the template only places them. Every chart states its
numbers in a table next to it and every bar carries its value as text, so nothing is
conveyed by colour or shape alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from app.storage import dpo_queries

BAR_AREA_HEIGHT = 160
MAX_DAYS = 366


@dataclass
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float


def column_chart(points: list[tuple[str, float]], width: int = 640, height: int = BAR_AREA_HEIGHT) -> dict:
    """Vertical bars for a time series: the tallest bar fills the height."""
    top = max((value for _, value in points), default=0) or 1
    slot = width / max(len(points), 1)
    bars = [Bar(label, value, x=i * slot + slot * 0.1, y=height - value / top * height,
                width=max(slot * 0.8, 1), height=value / top * height) for i, (label, value) in enumerate(points)]
    return {"bars": bars, "width": width, "height": height, "max": top,
            "first": points[0][0] if points else "", "last": points[-1][0] if points else ""}


def row_chart(points: list[tuple[str, float]], width: int = 640, row: int = 22) -> dict:
    """Horizontal bars for categories, labelled at the left, value at the right end."""
    top = max((value for _, value in points), default=0) or 1
    label_width, value_width = 190, 60
    span = width - label_width - value_width
    bars = [Bar(label, value, x=label_width, y=i * row + 3, width=max(value / top * span, 1), height=row - 6)
            for i, (label, value) in enumerate(points)]
    return {"bars": bars, "width": width, "height": max(len(points), 1) * row, "label_width": label_width}


def period_range(since: date | None, until: date | None, today: date) -> tuple[date, date]:
    until = until or today
    since = since or until - timedelta(days=29)
    if (until - since).days >= MAX_DAYS:
        since = until - timedelta(days=MAX_DAYS - 1)
    return since, until


def _periods(since: date, until: date, by_week: bool) -> list[str]:
    days = [since + timedelta(days=n) for n in range((until - since).days + 1)]
    keys = [_week(d) if by_week else d.isoformat() for d in days]
    return list(dict.fromkeys(keys))


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _to_period(day_key: str, by_week: bool) -> str:
    return _week(date.fromisoformat(day_key)) if by_week else day_key


def dashboard(session: Session, since: date, until: date, by_week: bool) -> dict:
    periods = _periods(since, until, by_week)
    volumes = {p: {"total": 0, "blocked": 0, "with_pii": 0} for p in periods}
    for day_key, values in dpo_queries.daily_volumes(session, since, until).items():
        entry = volumes.setdefault(_to_period(day_key, by_week), {"total": 0, "blocked": 0, "with_pii": 0})
        for name, value in values.items():
            entry[name] += value
    findings = dpo_queries.finding_totals(session, since, until)
    by_type: dict[str, dict[str, int]] = {}
    for entity_type, per_day in findings.by_type_and_day.items():
        row = by_type.setdefault(entity_type, {p: 0 for p in periods})
        for day_key, value in per_day.items():
            period = _to_period(day_key, by_week)
            row[period] = row.get(period, 0) + value
    totals = {name: sum(v[name] for v in volumes.values()) for name in ("total", "blocked", "with_pii")}
    share = [(p, round(100 * v["with_pii"] / v["total"], 1) if v["total"] else 0.0) for p, v in volumes.items()]
    type_totals = sorted(((t, sum(row.values())) for t, row in by_type.items()), key=lambda item: -item[1])
    recognizers = findings.by_recognizer[:10]
    missed = dpo_queries.guard_missed(session, since, until, findings)
    missed_rows = sorted(((t, v["person_mark"], v["dpo_flag"]) for t, v in missed.items()),
                         key=lambda item: -(item[1] + item[2]))
    return {
        "since": since, "until": until, "by_week": by_week, "periods": periods, "volumes": volumes,
        "totals": totals, "share_total": round(100 * totals["with_pii"] / totals["total"], 1) if totals["total"] else 0.0,
        "by_type": dict(sorted(by_type.items())), "type_totals": type_totals, "recognizers": recognizers,
        "missed": missed_rows,
        "charts": {
            "exchanges": column_chart([(p, v["total"]) for p, v in volumes.items()]),
            "blocked": column_chart([(p, v["blocked"]) for p, v in volumes.items()]),
            "share": column_chart(share),
            "types": row_chart(type_totals),
            "recognizers": row_chart(recognizers),
            "missed": row_chart([(t, marks + flags) for t, marks, flags in missed_rows]),
        },
    }
