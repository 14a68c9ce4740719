"""Login throttling through the real login form, the real database and two app instances."""
from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import select

from app.accounts.login_throttle import SignInThrottle, ThrottlePolicy
from app.storage.tables import LoginThrottle, utcnow
from tests.app.conftest import PASSWORD, dump_database
from tests.app.test_pages import csrf_from

WRONG = "Falsches-Passwort-99"


def browser(env, address: str = "10.0.0.1") -> TestClient:
    return TestClient(env.app, client=(address, 50000))


def attempt(client: TestClient, username: str, password: str):
    token = csrf_from(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf": token},
                       follow_redirects=False)


def test_the_probe_30_wrong_passwords_then_the_right_one_is_refused(env):
    env.user()
    client = browser(env)
    statuses = [attempt(client, "erika", WRONG).status_code for _ in range(30)]
    assert statuses[:4] == [401] * 4 and set(statuses[4:]) == {429}
    refused = attempt(client, "erika", PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in refused.text and 'role="alert"' in refused.text


def test_the_account_is_throttled_from_any_address_and_unknown_names_alike(env):
    env.user()
    for index in range(5):
        attempt(browser(env, f"10.0.1.{index}"), "erika", WRONG)
        attempt(browser(env, f"10.0.2.{index}"), "niemand", WRONG)
    known, unknown = attempt(browser(env, "10.0.9.9"), "erika", PASSWORD), attempt(browser(env, "10.0.9.9"), "niemand", WRONG)
    # No user enumeration: the same status, header and message for a real and an unknown account.
    assert known.status_code == unknown.status_code == 429
    # (The two answers are a moment apart, so the countdown may differ by a second.)
    assert 0 < int(known.headers["retry-after"]) <= 30 and 0 < int(unknown.headers["retry-after"]) <= 30
    assert known.text.count("Zu viele") == unknown.text.count("Zu viele") == 1
    # Another account from those addresses is untouched.
    env.user("max")
    assert attempt(browser(env, "10.0.1.0"), "max", PASSWORD).status_code == 303


def test_the_address_is_throttled_across_account_names(env):
    env.user()
    client = browser(env, "10.0.3.3")
    statuses = [attempt(client, f"name-{index}", WRONG).status_code for index in range(20)]
    assert statuses[:19] == [401] * 19 and statuses[19] == 429
    assert attempt(client, "erika", PASSWORD).status_code == 429
    assert attempt(browser(env, "10.0.3.4"), "erika", PASSWORD).status_code == 303


def test_a_success_resets_the_account_counter(env):
    env.user()
    client = browser(env)
    for _ in range(4):
        assert attempt(client, "erika", WRONG).status_code == 401
    assert attempt(client, "erika", PASSWORD).status_code == 303
    other = browser(env, "10.0.0.2")
    assert [attempt(other, "erika", WRONG).status_code for _ in range(5)] == [401] * 4 + [429]


def test_english_message_on_the_login_page(env):
    client = browser(env)
    client.post("/lang", data={"lang": "en", "next": "/login"})
    for _ in range(5):
        response = attempt(client, "erika", WRONG)
    assert response.status_code == 429 and "Too many failed sign-in attempts" in response.text


def test_two_app_instances_on_one_database_share_the_counter(make_env):
    first, second = make_env(), make_env()
    assert first.app is not second.app
    first.user()
    for index in range(5):
        instance = first if index % 2 == 0 else second
        attempt(browser(instance, "10.0.4.4"), "erika", WRONG)
    assert attempt(browser(second, "10.0.4.5"), "erika", PASSWORD).status_code == 429
    assert attempt(browser(first, "10.0.4.5"), "erika", PASSWORD).status_code == 429


def test_nothing_secret_or_identifying_is_stored(env):
    env.user()
    attempt(browser(env, "192.0.2.77"), "erika", "Ein-geheimes-Versehen-1")
    attempt(browser(env, "192.0.2.77"), "Ein-geheimes-Versehen-1", WRONG)  # a password typed as name
    rows = [line for line in dump_database(env.app.state.engine).splitlines() if line.startswith("login_throttle")]
    assert len(rows) == 3  # erika, the mistyped name, the address
    for value in ("192.0.2.77", "Ein-geheimes-Versehen-1", "ein-geheimes-versehen-1", WRONG, "erika"):
        assert value not in "\n".join(rows)


def test_the_delay_grows_and_the_counter_forgets_after_quiet_minutes(env):
    throttle = SignInThrottle(env.app.state.engine, "secret", ThrottlePolicy())
    start = utcnow()
    waits = [throttle.record_failure("erika", "", start + timedelta(seconds=index)) for index in range(8)]
    assert waits[:4] == [0] * 4
    assert waits[4] == 30 and waits[5] == 60 and waits[6] == 120 and waits[7] == 240
    assert throttle.retry_after("erika", "", start + timedelta(seconds=8)) > 200
    after_lock = start + timedelta(seconds=7 + 240)
    assert throttle.retry_after("erika", "", after_lock) == 0
    quiet = after_lock + timedelta(minutes=16)
    assert throttle.record_failure("erika", "", quiet) == 0
    with env.session() as session:
        row = session.exec(select(LoginThrottle).where(LoginThrottle.scope == "account")).one()
        assert row.failures == 1


def test_the_delay_is_capped(env):
    throttle = SignInThrottle(env.app.state.engine, "secret", ThrottlePolicy())
    start = utcnow()
    waits = [throttle.record_failure("erika", "", start) for _ in range(40)]
    assert max(waits) == 3600
