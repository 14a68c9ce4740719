"""Sessions, throttling and id bounds on PostgreSQL (skipped with the reason where none answers)."""
from __future__ import annotations

import pytest

from app.storage.tables import MAX_ID
from tests.app.accounts.test_login_throttle import WRONG, attempt, browser
from tests.app.conftest import PASSWORD
from tests.app.test_pages import HTML, login
from tests.app.test_postgres_storage import SERVER, pg_schema  # noqa: F401 - the fixture

pytestmark = pytest.mark.postgres


def test_sessions_throttling_and_ids_on_postgres(make_env, pg_schema):  # noqa: F811 - the fixture
    url = f"{SERVER}?options=-csearch_path%3D{pg_schema}"
    first, second = make_env(database_url=url), make_env(database_url=url)
    assert first.app.state.engine.dialect.name == "postgresql"
    first.user()

    # A live session opens the chat; after logout the captured cookie does not.
    assert login(first.client).status_code == 303
    captured = first.client.cookies.get(first.settings.session_cookie)
    assert first.client.get("/", headers=HTML, follow_redirects=False).status_code == 200
    csrf = first.client.get("/", headers=HTML).text.split('name="csrf-token" content="')[1].split('"')[0]
    first.client.post("/logout", data={"csrf": csrf})
    second.client.cookies.set(second.settings.session_cookie, captured)
    assert second.client.get("/", headers=HTML, follow_redirects=False).status_code == 303

    # The largest valid id is a plain 404; one more is a 404 too, refused before the query
    # (PostgreSQL's INTEGER would overflow), as on every route since the security merge.
    assert login(second.client).status_code == 303
    assert second.client.get(f"/c/{MAX_ID}").status_code == 404
    assert second.client.get(f"/c/{MAX_ID + 1}").status_code == 404

    # Two app instances count failures in one table.
    for index in range(5):
        attempt(browser(first if index % 2 else second, "10.9.0.1"), "erika", WRONG)
    assert attempt(browser(first, "10.9.0.2"), "erika", PASSWORD).status_code == 429
