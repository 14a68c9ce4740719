"""The password rule, table-driven, and where it is applied (CLI, first start, changes)."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from app.accounts.password_rule import COMMON_FILE, check_password, generate_password, password_problems, WeakPassword

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("password, username, problems", [
    ("12345678", "", {"too_short", "trivial_pattern"}),
    ("kurz-aber-1", "", {"too_short"}),
    ("Passwort2024!", "", {"common"}),
    ("P@ssw0rt12345", "", {"common"}),
    ("qwertzuiop123", "", {"common"}),
    ("ichliebedich!!", "", {"common"}),
    ("hallohallohallo", "", {"common"}),
    ("839201746352", "", {"common"}),          # digits only: a PIN or a date, however long
    ("aaaaaaaaaaaa", "", {"trivial_pattern"}),
    ("123456789012", "", {"trivial_pattern"}),
    ("abcdefghijklm", "", {"trivial_pattern"}),
    ("abcabcabcabc", "", {"trivial_pattern"}),
    ("asdfghjklöä", "", {"too_short", "trivial_pattern"}),
    ("zyxwvutsrqpo", "", {"trivial_pattern"}),
    ("erika-ist-toll-2024", "erika", {"contains_username"}),
    ("Mein-ERIKA-Zugang-9", "Erika", {"contains_username"}),
    ("Tee-Kanne-Fenster-7", "erika", set()),
    ("ein-langes-Passwort", "max", set()),
    ("korrekt Pferd Batterie Heftklammer", "max", set()),
])
def test_password_rule(password, username, problems):
    assert {p.code for p in password_problems(password, username)} == problems


def test_messages_are_german_and_english_and_never_quote_the_password():
    with pytest.raises(WeakPassword) as caught:
        check_password("Passwort2024!", "erika")
    assert "verbreitet" in caught.value.message_de and "common" in caught.value.message_en
    assert "Passwort2024" not in str(caught.value) + caught.value.message_de + caught.value.message_en


def test_generated_passwords_satisfy_the_rule():
    for _ in range(200):
        assert password_problems(generate_password("admin"), "admin") == []


def test_the_shipped_list_is_what_the_build_script_makes():
    before = COMMON_FILE.read_bytes()
    subprocess.run([sys.executable, "tools/build_common_passwords.py"], cwd=ROOT, check=True, capture_output=True)
    assert COMMON_FILE.read_bytes() == before
    assert "passwort" in before.decode().split() and "qwertz" in before.decode().split()


# -- where the rule applies --------------------------------------------------------------
@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SPIELRAUM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SPIELRAUM_DATABASE_URL", raising=False)
    return tmp_path


@pytest.mark.parametrize("weak", ["12345678", "Passwort2024!", "dora-sagt-hallo-1"])
def test_user_add_refuses_a_weak_password(data_dir, capsys, monkeypatch, weak):
    from app.cli import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(weak + "\n"))
    assert main(["user", "add", "dora", "--password-stdin"]) == 1
    err = capsys.readouterr().err
    assert "not accepted" in err and weak not in err


def test_first_start_refuses_a_weak_admin_password(tmp_path):
    from app.accounts.provisioning import AccountError, ensure_admin
    from app.settings import Settings
    from app.storage.engine import build_engine, create_tables

    settings = Settings(data_dir=tmp_path, admin_password="12345678")
    engine = build_engine(settings)
    create_tables(engine)
    with pytest.raises(AccountError, match="SPIELRAUM_ADMIN_PASSWORD is not accepted"):
        ensure_admin(engine, settings)


def test_serve_stops_with_a_clear_message_for_a_weak_admin_password(tmp_path):
    import os

    env = {**os.environ, "SPIELRAUM_DATA_DIR": str(tmp_path), "SPIELRAUM_ADMIN_PASSWORD": "admin12345678"}
    env.pop("SPIELRAUM_DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "app.cli", "serve", "--port", "1"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "SPIELRAUM_ADMIN_PASSWORD is not accepted" in result.stderr
    assert "admin12345678" not in result.stderr + result.stdout


def test_password_change_refuses_a_weak_password(data_dir, capsys, monkeypatch):
    from app.cli import main

    monkeypatch.setattr(sys, "stdin", io.StringIO("Tee-Kanne-Fenster-7\n"))
    assert main(["user", "add", "dora", "--password-stdin"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("dora1234dora\n"))
    assert main(["user", "password", "dora", "--password-stdin"]) == 1
    assert "user name" in capsys.readouterr().err
