"""The DPO desk's queries on 100,000 exchanges, in SQLite and in PostgreSQL.

Generates exchanges (with findings, spread over the last year) into a fresh database made
by the real migrations, then times the desk's own functions: the log's first page, a
filtered page (entity type + 30-day range), a text search, and the statistics dashboard
(30 days, per day). Prints p50/p95 in ms and the query plan of each log query. Run from
the repository root:

    .venv/bin/python bench/dpo_log.py [--rows 100000] [--repeat 30] [--no-postgres]
        [--log-indexes]   # also create the log indexes if the schema does not have them yet

PostgreSQL: postgresql+psycopg://postgres@127.0.0.1:5432/test (a schema of its own, dropped
afterwards); skipped with the reason when no server answers there.
"""
from __future__ import annotations

import argparse
import random
import secrets
import statistics as stats
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, insert, inspect  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.dpo import statistics  # noqa: E402
from app.storage import dpo_queries, schema  # noqa: E402
from app.storage.dpo_queries import LogFilter  # noqa: E402
from app.storage.tables import Exchange, FindingRecord, User, utcnow  # noqa: E402

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MODELS = ["llama-intern", "mistral-intern", "gpt-4o-cloud", "demo-echo"]
TYPES = ["PERSON", "ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "IBAN_CODE", "DE_TAX_ID", "DATE_OF_BIRTH",
         "DE_LICENSE_PLATE"]
WORDS = ("Bitte formulieren Sie einen Bescheid Antrag Frist Schreiben Zusammenfassung Erläuterung "
         "Verwaltungsakt Gebühr Zuständigkeit Sachstand Rückfrage Termin").split()
# The indexes the storage branch plans for the log (created here only with --log-indexes).
LOG_INDEXES = {
    "ix_bench_exchanges_created_at": "exchanges (created_at, id)",
    "ix_bench_exchanges_verdict_created": "exchanges (verdict, created_at)",
    "ix_bench_exchanges_model_created": "exchanges (model_id, created_at)",
    "ix_bench_exchanges_user_created": "exchanges (user_id, created_at)",
    "ix_bench_findings_type_exchange": "findings (entity_type, exchange_id)",
}


def generate(engine, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(insert(User), [{"id": n, "username": f"user{n}", "role": "employee", "is_active": True,
                                     "password_hash": "x", "created_at": now} for n in range(1, 41)])
    exchanges, findings = [], []
    next_finding = 1
    for n in range(1, rows + 1):
        kinds = rng.sample(TYPES, rng.choice((0, 0, 1, 1, 2, 3)))
        words = rng.choices(WORDS, k=rng.randint(8, 30))
        if rng.random() < 0.01:
            words.append("Widerspruchsbescheid")
        words += [f"[{kind}_1]" for kind in kinds]
        rng.shuffle(words)
        verdict = rng.choices(("sent", "blocked", "error"), (90, 8, 2))[0]
        exchanges.append({
            "id": n, "user_id": rng.randint(1, 40), "model_id": rng.choice(MODELS), "channel": "web",
            "prompt_pseudonymised": " ".join(words), "answer_pseudonymised": "Sehr geehrte " + " ".join(words[:12]),
            "verdict": verdict, "error_code": None, "prompt_tokens": len(words), "completion_tokens": 40,
            "guard_ms": rng.uniform(5, 80), "upstream_ms": rng.uniform(200, 4000),
            "created_at": now - timedelta(seconds=rng.randint(0, 365 * 86400)), "conversation_id": None})
        for kind in kinds:
            findings.append({"id": next_finding, "exchange_id": n, "entity_type": kind, "count": rng.randint(1, 3),
                             "max_score": rng.uniform(0.5, 1.0), "recognizer": f"{kind.title()}Recognizer",
                             "action": "block" if verdict == "blocked" else "pseudonymize"})
            next_finding += 1
        if len(exchanges) >= 10_000:
            _flush(engine, exchanges, findings)
    _flush(engine, exchanges, findings)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def _flush(engine, exchanges: list, findings: list) -> None:
    if not exchanges:
        return
    with engine.begin() as conn:
        conn.execute(insert(Exchange), exchanges)
        if findings:
            conn.execute(insert(FindingRecord), findings)
    exchanges.clear()
    findings.clear()


def add_log_indexes(engine) -> list[str]:
    existing = {tuple(ix["column_names"]) for table in ("exchanges", "findings")
                for ix in inspect(engine).get_indexes(table)}
    made = []
    with engine.begin() as conn:
        for name, target in LOG_INDEXES.items():
            columns = tuple(c.strip() for c in target.split("(", 1)[1].rstrip(")").split(","))
            if columns not in existing:
                conn.exec_driver_sql(f"CREATE INDEX {name} ON {target}")
                made.append(name)
        conn.exec_driver_sql("ANALYZE")
    return made


def cases(today):
    month_ago = today - timedelta(days=29)
    return {
        "log, first page": lambda s: dpo_queries.log_page(s, LogFilter()),
        "log, entity type + 30 days": lambda s: dpo_queries.log_page(
            s, LogFilter(entity_type="IBAN_CODE", since=month_ago, until=today)),
        "log, text search": lambda s: dpo_queries.log_page(s, LogFilter(q="Widerspruchsbescheid")),
        "dashboard, 30 days per day": lambda s: statistics.dashboard(s, month_ago, today, by_week=False),
    }


def _p50_p95(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return stats.median(samples), samples[max(0, int(round(0.95 * len(samples))) - 1)]


def time_case(engine, function, repeat: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Wall-clock and this process's CPU time: on a shared, overloaded machine the wall clock
    mostly measures waiting for a core, the CPU time what the query path itself costs here
    (for SQLite, which runs in-process, that includes the database's own work)."""
    wall, cpu = [], []
    for round_ in range(repeat + 2):
        with Session(engine) as session:
            start, start_cpu = time.perf_counter(), time.process_time()
            function(session)
            elapsed, elapsed_cpu = (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000
        if round_ >= 2:  # two warm-up rounds
            wall.append(elapsed)
            cpu.append(elapsed_cpu)
    return _p50_p95(wall), _p50_p95(cpu)


def plans(engine, function) -> list[str]:
    """The plan of the first statement a case runs (the page query itself)."""
    captured = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with Session(engine) as session:
            function(session)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = captured[0]
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + statement, parameters).fetchall()
    return [" ".join(str(part) for part in row[-1:]) for row in rows]


def run(label: str, engine, args) -> None:
    print(f"\n== {label}: generating {args.rows:,} exchanges", flush=True)
    started = time.perf_counter()
    schema.upgrade_database(engine)
    generate(engine, args.rows)
    print(f"   generated in {time.perf_counter() - started:.1f} s")
    if args.log_indexes:
        print(f"   log indexes added by the benchmark: {add_log_indexes(engine) or 'none (schema has them)'}")
    with open("/proc/loadavg") as fh:
        print(f"   load average: {fh.read().split()[0]} on {__import__('os').cpu_count()} cores")
    today = utcnow().date()
    for name, function in cases(today).items():
        (p50, p95), (cpu50, cpu95) = time_case(engine, function, args.repeat)
        verdict = "ok" if p95 <= 200 else "OVER 200 ms"
        print(f"   {name:30} wall p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {verdict:11}"
              f"  cpu p50 {cpu50:6.1f} ms  p95 {cpu95:6.1f} ms")
        if name.startswith("log"):
            for line in plans(engine, function):
                print(f"      plan: {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--log-indexes", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{folder}/bench.db")
        run("SQLite", engine, args)
        engine.dispose()

    if args.no_postgres:
        return 0
    try:
        import psycopg

        admin = psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True,
                                connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - report why and carry on
        print(f"\n== PostgreSQL skipped: not reachable at 127.0.0.1:5432/test ({type(exc).__name__})")
        return 0
    name = "bench_dpo_" + secrets.token_hex(4)
    admin.execute(f'CREATE SCHEMA "{name}"')
    try:
        engine = create_engine(f"{PG_SERVER}?options=-csearch_path%3D{name}")
        run("PostgreSQL", engine, args)
        engine.dispose()
    finally:
        admin.execute(f'DROP SCHEMA "{name}" CASCADE')
        admin.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
