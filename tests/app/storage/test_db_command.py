"""`spielraum db upgrade|current|revision` and the upgrade the app runs on start."""
from __future__ import annotations

from sqlalchemy import create_engine, inspect

from app.cli import main
from app.storage import schema
from tests.app.storage.test_migrations import CREATED, make_legacy_database


def test_db_current_then_upgrade(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SPIELRAUM_DATA_DIR", str(tmp_path / "data"))
    assert main(["db", "current"]) == 0
    out = capsys.readouterr().out
    assert "current: (none)" in out and "needs `spielraum db upgrade`" in out
    assert not (tmp_path / "data" / "spielraum.db").exists()  # looking does not create the file

    assert main(["db", "upgrade"]) == 0
    assert f"Database at revision {schema.head_revision()}." in capsys.readouterr().out
    assert main(["db", "current"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_db_upgrade_reports_an_unreachable_server_without_the_url(monkeypatch, capsys):
    monkeypatch.setenv("SPIELRAUM_DATABASE_URL", "postgresql+psycopg://spielraum:geheim@127.0.0.1:1/x")
    assert main(["db", "upgrade"]) == 1
    err = capsys.readouterr().err
    assert "cannot use the database" in err and "geheim" not in err


def test_db_revision_refuses_a_database_behind_head(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SPIELRAUM_DATA_DIR", str(tmp_path / "data"))
    before = sorted((schema.MIGRATIONS_DIR / "versions").glob("*.py"))
    assert main(["db", "revision", "-m", "nothing"]) == 1
    assert "spielraum db upgrade" in capsys.readouterr().err
    assert sorted((schema.MIGRATIONS_DIR / "versions").glob("*.py")) == before


def test_app_start_upgrades_a_database_from_before_migrations(make_env, tmp_path):
    url = f"sqlite:///{tmp_path / 'data' / 'spielraum.db'}"
    (tmp_path / "data").mkdir()
    make_legacy_database(url)
    env = make_env()
    assert env.settings.database_url == url
    assert schema.current_revision(url) == schema.head_revision()
    with env.session() as session:
        from sqlmodel import select

        from app.storage.tables import Exchange
        assert session.exec(select(Exchange)).one().created_at == CREATED
    engine = create_engine(url)
    assert "alembic_version" in inspect(engine).get_table_names()
    engine.dispose()


def test_serve_stops_with_the_reason_on_a_database_it_cannot_migrate(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'spielraum.db'}"
    make_legacy_database(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE findings")
    engine.dispose()
    monkeypatch.setenv("SPIELRAUM_DATABASE_URL", url)
    assert main(["serve", "--port", "1"]) == 1
    assert "missing: findings" in capsys.readouterr().err
