"""Several worker processes starting at once against one database: exactly one migrates,
the others wait for its lock and find the schema at head. Real processes, real databases."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from sqlalchemy import create_engine, inspect

from app.storage import schema

WORKERS = 3
# Each process waits at a shared start line (a file appears), then upgrades.
WORKER = textwrap.dedent("""
    import sys, time, pathlib
    from app.storage.schema import upgrade_database
    go = pathlib.Path(sys.argv[2])
    while not go.exists():
        time.sleep(0.01)
    upgrade_database(sys.argv[1])
    print("ok")
""")


def run_workers(url: str, tmp_path) -> list[subprocess.CompletedProcess]:
    go = tmp_path / "go"
    processes = [subprocess.Popen([sys.executable, "-c", WORKER, url, str(go)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(WORKERS)]
    go.touch()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def test_workers_starting_together_all_succeed_on_one_schema(database_url, tmp_path):
    results = run_workers(database_url, tmp_path)
    assert [r.returncode for r in results] == [0] * WORKERS, [r.stderr[-2000:] for r in results]
    assert schema.current_revision(database_url) == schema.head_revision()
    engine = create_engine(database_url)
    try:
        assert "exchanges" in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
    finally:
        engine.dispose()
