"""Query plans and timings of the data-protection officer's log queries on a filled database.

Shows that the indexes of revision 0002 carry the log: the newest-first page, the next page
(keyset: older than the last row seen) and "exchanges with an IBAN finding in March" are
read along an index in order, without sorting the table. Run from the repository root:

    .venv/bin/python bench/dpo_log_query_plans.py [--rows 50000] [--postgres]

SQLite runs in a temporary file; `--postgres` also runs on the trust-auth server at
127.0.0.1:5432 (database `test`, in a schema of its own that is dropped afterwards).
The rows are synthetic and hold placeholders only.
"""
from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import and_, create_engine, exists, insert, select, tuple_  # noqa: E402

from app.storage.schema import upgrade_database  # noqa: E402
from app.storage.tables import Exchange, FindingRecord, User  # noqa: E402

PAGE = 50
START = datetime(2026, 1, 1, tzinfo=timezone.utc)
ENTITY_TYPES = ("PERSON", "ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "IBAN_CODE", "DE_TAX_ID", "DATE_OF_BIRTH")


def log_queries() -> dict:
    """The DPO log's queries, shaped as the log page runs them."""
    columns = (Exchange.id, Exchange.created_at, Exchange.user_id, Exchange.model_id, Exchange.verdict)
    newest = select(*columns).order_by(Exchange.created_at.desc(), Exchange.id.desc()).limit(PAGE)
    cursor_time, cursor_id = START + timedelta(days=200), 10**9
    next_page = (select(*columns)
                 .where(tuple_(Exchange.created_at, Exchange.id) < tuple_(cursor_time, cursor_id))
                 .order_by(Exchange.created_at.desc(), Exchange.id.desc()).limit(PAGE))
    with_iban_in_march = (
        select(*columns)
        .where(Exchange.created_at >= datetime(2026, 3, 1, tzinfo=timezone.utc),
               Exchange.created_at < datetime(2026, 4, 1, tzinfo=timezone.utc),
               exists().where(and_(FindingRecord.exchange_id == Exchange.id,
                                   FindingRecord.entity_type == "IBAN_CODE")))
        .order_by(Exchange.created_at.desc(), Exchange.id.desc()).limit(PAGE))
    blocked = (select(*columns).where(Exchange.verdict == "blocked")
               .order_by(Exchange.created_at.desc(), Exchange.id.desc()).limit(PAGE))
    return {"newest page": newest, "next page (keyset)": next_page,
            "IBAN findings in March": with_iban_in_march, "blocked only": blocked}


def fill(engine, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with engine.begin() as conn:
        conn.execute(insert(User), [{"username": f"user{i}", "password_hash": "x", "role": "employee",
                                     "is_active": True, "created_at": START} for i in range(1, 51)])
        user_ids = list(conn.execute(select(User.id)).scalars())
        exchanges, findings = [], []
        for n in range(1, rows + 1):
            exchanges.append({
                "id": n, "model_id": rng.choice(("llama-intern", "gpt-4o", "mistral")), "channel": "web",
                "prompt_pseudonymised": "Bitte an [PERSON_1] schreiben.", "answer_pseudonymised": "…",
                "verdict": "blocked" if rng.random() < 0.03 else "sent", "prompt_tokens": 20,
                "completion_tokens": 80, "guard_ms": 12.0, "upstream_ms": 800.0,
                "user_id": rng.choice(user_ids),
                "created_at": START + timedelta(seconds=n * 365 * 86400 // rows)})
            for entity in rng.sample(ENTITY_TYPES, rng.choice((0, 1, 1, 2, 3))):
                findings.append({"exchange_id": n, "entity_type": entity, "count": 1, "max_score": 0.9,
                                 "recognizer": "bench", "action": "pseudonymize"})
        conn.execute(insert(Exchange), exchanges)
        conn.execute(insert(FindingRecord), findings)
        conn.exec_driver_sql("ANALYZE")


def explain(conn, query) -> list[str]:
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": False})
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), _params(compiled))
        return [row[3] for row in rows]
    rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + str(compiled),
                                _params(compiled))
    return [row[0] for row in rows]


def _params(compiled):
    """Bind values processed by the column types (UTC text on SQLite), in the driver's style."""
    processors = compiled._bind_processors
    values = {key: (processors[key](value) if key in processors else value)
              for key, value in compiled.params.items()}
    if compiled.positional:
        return tuple(values[key] for key in compiled.positiontup)
    return values


def plans(engine) -> dict[str, list[str]]:
    with engine.connect() as conn:
        return {name: explain(conn, query) for name, query in log_queries().items()}


def timings_ms(engine, repeat: int = 20) -> dict[str, float]:
    result = {}
    with engine.connect() as conn:
        for name, query in log_queries().items():
            samples = []
            for _ in range(repeat):
                start = time.perf_counter()
                conn.execute(query).fetchall()
                samples.append((time.perf_counter() - start) * 1000)
            result[name] = statistics.median(samples)
    return result


def report(label: str, url: str, rows: int) -> None:
    upgrade_database(url)
    engine = create_engine(url)
    try:
        fill(engine, rows)
        times = timings_ms(engine)
        print(f"== {label}: {rows} exchanges ==")
        for name, plan in plans(engine).items():
            print(f"-- {name}: median {times[name]:.2f} ms")
            for line in plan:
                print("   " + line)
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report("SQLite", f"sqlite:///{folder}/bench.db", args.rows)
    if args.postgres:
        import psycopg

        dsn = "host=127.0.0.1 port=5432 user=postgres dbname=test"
        schema = "spielraum_bench_" + secrets.token_hex(4)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        try:
            report("PostgreSQL", f"postgresql+psycopg://postgres@127.0.0.1:5432/test"
                                 f"?options=-csearch_path%3D{schema}", args.rows)
        finally:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    return 0


if __name__ == "__main__":
    sys.exit(main())
