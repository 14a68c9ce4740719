"""The users page on PostgreSQL: the last-admin check locks the administrator rows, and a lock
made in one app instance (worker) ends the session held in another at once."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.app.test_pages import HTML, csrf_from, login
from tests.app.test_postgres_storage import SERVER, pg_schema  # noqa: F401 - the fixture

pytestmark = pytest.mark.postgres


def test_users_admin_across_two_workers_on_postgres(make_env, pg_schema):  # noqa: F811 - the fixture
    url = f"{SERVER}?options=-csearch_path%3D{pg_schema}"
    first, second = make_env(database_url=url), make_env(database_url=url)
    assert first.app.state.engine.dialect.name == "postgresql"
    boss = first.user("boss", role="admin")
    erika = first.user("erika")
    token = first.token(erika)
    assert login(first.client, "boss").status_code == 303
    other = TestClient(second.app)
    assert login(other, "erika").status_code == 303

    def post(path: str):
        csrf = csrf_from(first.client.get("/admin/users", headers=HTML).text)
        return first.client.post(path, data={"csrf": csrf}, headers=HTML, follow_redirects=False)

    assert post(f"/admin/users/{boss.id}/deactivate").status_code == 409  # the last administrator
    assert post(f"/admin/users/{erika.id}/deactivate").status_code == 303
    assert other.get("/", headers=HTML, follow_redirects=False).headers["location"].startswith("/login")
    assert other.get("/v1/models", headers={"authorization": f"Bearer {token}"}).status_code == 401
