"""The DPO log's queries read along 0002's indexes on SQLite: no full scan, no sort step.
(Timings and the PostgreSQL plans: bench/dpo_log_query_plans.py.)"""
from __future__ import annotations

from sqlalchemy import create_engine

from app.storage import schema
from bench.dpo_log_query_plans import fill, plans

EXPECTED_INDEX = {
    "newest page": "ix_exchanges_created_at_id",
    "next page (keyset)": "ix_exchanges_created_at_id",
    "IBAN findings in March": "ix_exchanges_created_at_id",
    "blocked only": "ix_exchanges_verdict_created_at",
}


def test_log_queries_use_the_log_indexes_without_sorting(sqlite_url):
    schema.upgrade_database(sqlite_url)
    engine = create_engine(sqlite_url)
    try:
        fill(engine, rows=3000)
        found = plans(engine)
    finally:
        engine.dispose()
    for name, index in EXPECTED_INDEX.items():
        plan = "\n".join(found[name])
        assert f"exchanges USING INDEX {index}" in plan, (name, plan)
        assert "TEMP B-TREE" not in plan, (name, plan)
    assert "findings USING INDEX ix_findings_entity_type_exchange_id" in "\n".join(found["IBAN findings in March"])


def test_without_the_log_indexes_the_newest_page_must_sort(sqlite_url):
    """The check above can fail: at 0001 the same query sorts the whole table."""
    schema.upgrade_database(sqlite_url, schema.INITIAL_REVISION)
    engine = create_engine(sqlite_url)
    try:
        plan = "\n".join(plans(engine)["newest page"])
    finally:
        engine.dispose()
    assert "USE TEMP B-TREE FOR ORDER BY" in plan
