"""The groups page: create, rename and describe, members, and deleting only what no model names."""
from __future__ import annotations

import json
import re

import pytest
from sqlmodel import select

from app.storage import config_versions, groups as group_store
from app.storage.tables import AuditEntry, Group, ModelEntry, UserGroup
from tests.app.test_pages import HTML, csrf_from, login


@pytest.fixture
def admin(env):
    env.user("boss", role="admin")
    assert login(env.client, "boss").status_code == 303
    return env


def post(env, path: str, **data):
    token = csrf_from(env.client.get("/admin/groups", headers=HTML).text)
    return env.client.post(path, data={"csrf": token, **data}, headers=HTML, follow_redirects=False)


def create(env, name: str, description: str = "") -> int:
    response = post(env, "/admin/groups", name=name, description=description)
    assert response.status_code == 303, response.text[:300]
    return int(re.search(r"/admin/groups/(\d+)", response.headers["location"]).group(1))


def add_model(env, model_id: str, groups: list[str]) -> None:
    with env.session() as session:
        session.add(ModelEntry(model_id=model_id, display_name=model_id, litellm_model="openai/x",
                               groups=json.dumps(groups)))
        session.commit()


def versions(env) -> tuple[int, int]:
    with env.session() as session:
        return (config_versions.current(session, config_versions.USERS),
                config_versions.current(session, config_versions.MODELS))


def test_create_list_and_describe(admin):
    group_id = create(admin, "Sozialamt", "Leistungen nach SGB XII")
    page = admin.client.get("/admin/groups", headers=HTML).text
    assert f'href="/admin/groups/{group_id}">Sozialamt</a>' in page and "Leistungen nach SGB XII" in page
    detail = admin.client.get(f"/admin/groups/{group_id}?done=created", headers=HTML).text
    assert "Die Gruppe wurde angelegt." in detail and "Kein Modell ist auf diese Gruppe beschränkt." in detail
    with admin.session() as session:
        [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == "config.groups.create")).all()
        assert json.loads(entry.detail)["after"] == {"name": "Sozialamt", "description": "Leistungen nach SGB XII"}


@pytest.mark.parametrize(("name", "message"), [("", "nicht leer"), ("a/b", "keinen /"), ("x" * 65, "höchstens 64"),
                                               ("Sozialamt", "gibt es schon")])
def test_bad_names_are_refused_next_to_the_field(admin, name, message):
    create(admin, "Sozialamt")
    response = post(admin, "/admin/groups", name=name)
    assert response.status_code == 400 and 'id="group-name-error"' in response.text and message in response.text
    with admin.session() as session:
        assert len(session.exec(select(Group)).all()) == 1


def test_renaming_follows_into_the_model_restrictions(admin):
    group_id = create(admin, "Sozialamt")
    add_model(admin, "llama-intern", ["Sozialamt", "Bauamt"])
    add_model(admin, "other", ["Bauamt"])
    users_before, models_before = versions(admin)
    assert post(admin, f"/admin/groups/{group_id}", name="Amt für Soziales", description="neu").status_code == 303
    with admin.session() as session:
        entries = {e.model_id: json.loads(e.groups) for e in session.exec(select(ModelEntry))}
        assert entries == {"llama-intern": ["Amt für Soziales", "Bauamt"], "other": ["Bauamt"]}
        assert session.get(Group, group_id).description == "neu"
    assert versions(admin) == (users_before + 1, models_before + 1)


def test_a_group_a_model_names_cannot_be_deleted_until_the_model_lets_go(admin):
    group_id = create(admin, "Sozialamt")
    add_model(admin, "llama-intern", ["Sozialamt"])
    page = admin.client.get(f"/admin/groups/{group_id}", headers=HTML).text
    assert "llama-intern" in page
    refused = post(admin, f"/admin/groups/{group_id}/delete")
    assert refused.status_code == 409 and "solange Modelle auf sie beschränkt" in refused.text
    assert "llama-intern" in refused.text
    with admin.session() as session:
        entry = session.exec(select(ModelEntry)).one()
        entry.groups = "[]"
        session.add(entry)
        session.commit()
    assert post(admin, f"/admin/groups/{group_id}/delete").headers["location"] == "/admin/groups?done=deleted"
    with admin.session() as session:
        assert session.get(Group, group_id) is None


def test_members_are_added_and_removed_and_deleting_keeps_the_accounts(admin):
    group_id = create(admin, "Bauamt")
    erika = admin.user("erika")
    assert post(admin, f"/admin/groups/{group_id}/members", username="erika").status_code == 303
    unknown = post(admin, f"/admin/groups/{group_id}/members", username="niemand")
    assert unknown.status_code == 400 and 'id="member-username-error"' in unknown.text
    page = admin.client.get(f"/admin/groups/{group_id}", headers=HTML).text
    assert f'href="/admin/users/{erika.id}">erika</a>' in page
    with admin.session() as session:
        assert group_store.group_names_of(session, erika.id) == {"Bauamt"}
    assert post(admin, f"/admin/groups/{group_id}/members/{erika.id}/remove").status_code == 303
    with admin.session() as session:
        assert group_store.group_names_of(session, erika.id) == set()
    post(admin, f"/admin/groups/{group_id}/members", username="erika")
    post(admin, f"/admin/groups/{group_id}/delete")
    with admin.session() as session:
        assert session.exec(select(UserGroup)).all() == []
        assert session.get(type(erika), erika.id) is not None


def test_group_names_of_only_the_users_own_groups(env):
    a, b = env.user("a"), env.user("b")
    with env.session() as session:
        ga, gb = group_store.create_group(session, "GA"), group_store.create_group(session, "GB")
        group_store.set_user_groups(session, a.id, [ga.id, gb.id])
        group_store.set_user_groups(session, b.id, [gb.id])
        session.commit()
        assert group_store.group_names_of(session, a.id) == {"GA", "GB"}
        assert group_store.group_names_of(session, b.id) == {"GB"}
        assert [(g.name, n) for g, n in group_store.list_groups(session)] == [("GA", 1), ("GB", 2)]


def test_other_roles_cannot_reach_the_groups(env):
    env.user("erika")
    login(env.client, "erika")
    assert env.client.get("/admin/groups", headers=HTML).status_code == 403
